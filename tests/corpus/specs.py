"""What each corpus case shows: medium-independent specs plus the golden expected fields.

A spec is decided once (all random choices happen here); the renderers only lay it out, so
the expected values cannot drift from what is printed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from tests.corpus.corpus_data import (
    ADDRESSES,
    ALT_ADDRESSES,
    NUMBER_SHAPES,
    PANGKAT,
    Date,
    Opd,
    make_date,
    make_nip,
    make_nomor,
    make_person,
    make_subdomain,
    pick_class,
    short_abbr,
    write_date,
)
from tests.corpus.corpus_text import (
    CLOSINGS,
    LEGAL_BASIS,
    NO_SUBDOMAIN_SENTENCES,
    OTHER_SUBJECTS,
    RECIPIENTS,
    REQUEST_SUBJECTS,
    TEMBUSAN,
    app_long_name,
    data_items,
    fill,
    long_paragraphs,
    opening,
    other_body,
    subdomain_sentence,
)

Block = tuple[str, ...]  # ("p", text) | ("li", marker, text) | ("kv", label, value)


class Deck:
    """Draw options evenly: a shuffled cycle, refilled when empty (so every option shows up)."""

    def __init__(self, rng: random.Random, options: tuple[Any, ...]) -> None:
        self.rng, self.options, self.cards = rng, options, list[Any]()

    def draw(self) -> Any:
        if not self.cards:
            self.cards = list(self.options)
            self.rng.shuffle(self.cards)
        return self.cards.pop()


@dataclass
class Kop:
    lines: list[tuple[str, str]]  # (text, role): gov, opd, opd2, addr, contact
    rule: str  # line | double | underscores
    logo: bool


@dataclass
class Signature:
    lines: list[str]  # the title lines above the gap
    nama: str
    pangkat: str | None
    nip: str
    esign: bool


@dataclass
class LetterSpec:
    kop: Kop
    place_date: str
    date_mode: str  # right | left | twocol | label | sig
    labels: list[tuple[str, str]]
    recipient: list[str]
    recipient_beside: bool
    salutation: str | None
    body: list[Block]
    closing: str
    sig: Signature
    tembusan: list[str]
    long: bool
    date: Date
    expected: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class FormRow:
    key: str  # nomor_permohonan, opd, section, nama, telepon, email, jabatan, ...
    label: str
    value: str  # "" when blank
    suffix: str = ""  # printed text after the value (".bantenprov.go.id")


@dataclass
class FormSpec:
    kop: Kop | None
    title: tuple[str, ...]
    rows: list[FormRow]
    numbered: bool
    sub_mode: str  # full | space | suffix | underscore
    declaration: str | None
    place_date: str
    sig: Signature
    expected: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Choices:
    """Decks for every knob, shared by all cases so each option appears."""

    rng: random.Random
    decks: dict[str, Deck] = field(default_factory=dict)

    def __call__(self, knob: str, *options: Any) -> Any:
        if knob not in self.decks:
            self.decks[knob] = Deck(self.rng, tuple(options))
        return self.decks[knob].draw()


# --------------------------------------------------------------------------- shared parts


def make_kop(rng: random.Random, ch: Choices, opd: Opd, mode: str, website: bool) -> Kop:
    lines: list[tuple[str, str]] = [("PEMERINTAH PROVINSI BANTEN", "gov")]
    if opd.is_biro:
        lines.append(("SEKRETARIAT DAERAH", "opd"))
        lines.append((opd.name.upper(), "opd2"))
    elif mode == "abbr" and short_abbr(opd):
        lines.append(((short_abbr(opd) or "").upper(), "opd"))
    else:
        lines.append((opd.name.upper(), "opd"))
    addr = ADDRESSES[opd.place] if rng.random() < 0.7 else rng.choice(ALT_ADDRESSES)
    if opd.place != "Serang":
        addr = ADDRESSES[opd.place]
    lines.append((addr, "addr"))
    tel = f"Telp. (0254) 267{rng.randint(100, 999)}"
    if rng.random() < 0.4:
        tel += f" Fax. (0254) 267{rng.randint(100, 999)}"
    tag = opd.sub or "setda"
    contact = f"{tel} Email: {tag}@bantenprov.go.id"
    if website:
        contact += f" Website: {rng.choice(('www.', ''))}{tag}.bantenprov.go.id"
    lines.append((contact, "contact"))
    return Kop(
        lines=lines, rule=ch("kop_rule", "line", "double", "underscores"), logo=rng.random() < 0.6
    )


def _deputy(opd: Opd) -> str:
    """Who signs "a.n." (on behalf of) the head."""
    if opd.is_biro:
        return "Kepala Bagian Tata Usaha,"
    return {
        "Sekretariat Daerah": "Asisten Administrasi Umum,",
        "Sekretariat DPRD": "Kepala Bagian Umum,",
    }.get(
        opd.name,
        "Wakil Direktur Umum dan Keuangan," if opd.name.startswith("Rumah") else "Sekretaris,",
    )


def _title_case(text: str) -> str:
    out = text.title().replace(" Dan ", " dan ")
    return out.replace("Dprd", "DPRD").replace("Rsud", "RSUD")


def signature_lines(opd: Opd, mode: str) -> list[str]:
    """The title lines above the signature, in one of several real-world shapes."""
    where = "SEKRETARIAT DAERAH PROVINSI BANTEN" if opd.is_biro else "PROVINSI BANTEN"
    rank = opd.head.split()[0]
    abbr = short_abbr(opd)
    if mode == "abbr" and abbr and rank in ("KEPALA", "DIREKTUR") and not opd.is_biro:
        return [f"{rank} {abbr.upper()} {where},"]
    if mode == "an":
        return ["a.n. " + opd.head, where, _deputy(opd)]
    if mode == "plt":
        return ["Plt. " + opd.head, where + ","]
    if mode == "title":
        return [_title_case(opd.head) + " " + _title_case(where) + ","]
    return [opd.head, where]


def make_signature(rng: random.Random, ch: Choices, opd: Opd, sig_mode: str) -> Signature:
    p = make_person(rng, titled=0.85)
    pangkat = rng.choice(PANGKAT) if rng.random() < 0.8 else None
    return Signature(
        lines=signature_lines(opd, sig_mode),
        nama=p.nama,
        pangkat=pangkat,
        nip=make_nip(rng, spaced=rng.random() < 0.8),
        esign=ch("esign", False, False, False, True),
    )


def opd_reference(rng: random.Random, opd: Opd) -> str:
    return opd.name + rng.choice((" Provinsi Banten", " Provinsi Banten", ""))


# --------------------------------------------------------------------------- letters


def _label_rows(
    ch: Choices, nomor: str, date_text: str, date_mode: str, subject: str, hal_label: str
) -> list[tuple[str, str]]:
    rows = [(ch("nomor_label", "Nomor", "NOMOR", "No.", "No", "Nomor Surat", "Nomor"), nomor)]
    if date_mode == "label":
        rows.append(("Tanggal", date_text))
    if ch("sifat", True, False):
        rows.append(("Sifat", ch("sifat_value", "Biasa", "Penting", "Segera", "Biasa")))
    if ch("lampiran", True, True, False):
        rows.append(
            (
                "Lampiran",
                ch("lampiran_value", "1 (satu) berkas", "1 (satu) lembar", "-", "2 (dua) berkas"),
            )
        )
    rows.append((hal_label, subject))
    return rows


def make_letter(
    rng: random.Random,
    ch: Choices,
    opd: Opd,
    other: bool,
    long: bool,
    sub_written: str | None,
    sub_fqdn: str | None,
    app: str,
) -> LetterSpec:
    date_style = ch("date_style", "full", "full0", "old", "abbr", "full")
    dt = make_date(rng, date_style)
    date_text = write_date(rng, dt, date_style)
    date_mode = ch("date_mode", "right", "left", "twocol", "label", "sig", "twocol")
    klass = pick_class(rng, ch("class_kind", "3", "3", "dotted", "dotted", "2"))
    shape = ch("number_shape", *NUMBER_SHAPES)
    spacing = ch("number_spacing", "none", "none", "none", "all", "slashes")
    unit = "DKP" if opd.ambiguous and ch("dkp_unit", True, True, False) else None
    nomor_written, nomor = make_nomor(rng, opd, dt, shape, klass, spacing, unit)
    subject = fill(rng.choice(OTHER_SUBJECTS if other else REQUEST_SUBJECTS), app.upper(), dt)
    hal_label = ch("hal_label", "Perihal", "Hal", "Perihal", "Hal", "PERIHAL")
    kop_mode = ch("kop_mode", "full", "full", "abbr")
    kop = make_kop(rng, ch, opd, kop_mode, website=ch("kop_website", False, False, True))
    sig_mode = ch("sig_mode", "full", "abbr", "an", "plt", "title", "full")
    opd_ref = opd_reference(rng, opd)
    body: list[Block]
    if other:
        body = list(other_body(rng, subject, opd, dt))
    else:
        body = []
        if long:
            body.append(("p", "Dasar:"))
            body += [("li", f"{i + 1}.", t) for i, t in enumerate(LEGAL_BASIS)]
        body.append(("p", opening(rng, opd_ref, app.upper(), dt)))
        if long:
            body += [("p", t) for t in long_paragraphs(rng, opd_ref)]
            items = data_items(rng, rng.randint(8, 11))
            body.append(("p", "Adapun data yang akan diintegrasikan meliputi:"))
            body += [("li", f"{i + 1}.", t) for i, t in enumerate(items)]
        if sub_written:
            body.append(("p", subdomain_sentence(rng, sub_written, app_long_name(app))))
        else:
            body.append(("p", rng.choice(NO_SUBDOMAIN_SENTENCES)))
    place_date = f"{opd.place}, {date_text}"
    labels = _label_rows(ch, nomor_written, date_text, date_mode, subject, hal_label)
    expected: dict[str, Any] = {"nomor_surat": nomor, "opd": opd.name}
    if not other:
        expected.update(tanggal_surat=dt.iso, perihal=" ".join(subject.split()), subdomain=sub_fqdn)
    return LetterSpec(
        kop=kop,
        place_date=place_date,
        date_mode=date_mode,
        labels=labels,
        recipient=list(rng.choice(RECIPIENTS)),
        recipient_beside=date_mode == "twocol" and rng.random() < 0.5,
        salutation=rng.choice(("Dengan hormat,", None, None)) if not other else None,
        body=body,
        closing=rng.choice(CLOSINGS),
        sig=make_signature(rng, ch, opd, sig_mode),
        tembusan=list(TEMBUSAN[: rng.randint(2, 4)]) if rng.random() < 0.3 else [],
        long=long,
        date=dt,
        expected=expected,
        tags={
            "date_style": date_style,
            "date_mode": date_mode,
            "number_shape": shape,
            "number_spacing": spacing,
            "class": klass,
            "kop": kop_mode,
            "sig": sig_mode,
            "hal": hal_label,
            "nomor_label": labels[0][0],
        },
    )


def letter_subdomain(rng: random.Random, ch: Choices, fqdn: str, name: str) -> tuple[str, str]:
    """How the letter body writes the subdomain: (written text, style tag)."""
    style = ch("letter_sub_style", "plain", "plain", "https", "http", "caps", "plain")
    if style == "https":
        return f"https://{fqdn}" + rng.choice(("/", "")), style
    if style == "http":
        return f"http://{fqdn}", style
    if style == "caps":
        return f"{name.upper()}.bantenprov.go.id", style
    return fqdn, style


def subdomain_for(rng: random.Random, ch: Choices, opd: Opd) -> tuple[str, str, str]:
    shape = ch("sub_shape", "bare", "suffixed", "prefixed", "multi", "bare", "suffixed")
    return make_subdomain(rng, opd, shape)
