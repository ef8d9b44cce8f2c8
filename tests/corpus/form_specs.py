"""Form Pengajuan specs: which rows, labels, values and blanks a form shows."""

from __future__ import annotations

import random
from typing import Any

from tests.corpus.corpus_data import (
    JABATAN_PJ,
    Date,
    Opd,
    make_date,
    make_email,
    make_nomor_permohonan,
    make_person,
    make_phone,
    short_abbr,
    write_date,
)
from tests.corpus.corpus_text import (
    DECLARATIONS,
    FORM_LABELS,
    FORM_TITLES,
)
from tests.corpus.specs import Choices, FormRow, FormSpec, make_kop, make_signature


def make_form(
    rng: random.Random,
    ch: Choices,
    opd: Opd,
    sub_name: str,
    sub_fqdn: str,
    dt: Date | None,
    acro: bool,
) -> FormSpec:
    dt = dt or make_date(rng, "full")
    pj = make_person(rng)
    phone_style = ch(
        "phone_style",
        "dash",
        "plain",
        "intl",
        "landline",
        "space",
        "dash",
        "plain",
        "landline_dash",
    )
    tel_written, tel = make_phone(rng, phone_style)
    email_style = ch("email_style", "dinas", "gmail", "dinas", "caps", "opdhost", "gmail")
    mail_written, mail = make_email(rng, pj, opd, email_style)
    jabatan = rng.choice(JABATAN_PJ)
    np_shape = ch(
        "np_shape", "prm_dash", "prm_slash", "blank", "prm_unit", "prm_dash", "int", "blank"
    )
    nomor_permohonan = make_nomor_permohonan(rng, dt, opd, np_shape)
    blank = ch("pj_blank", *(["none"] * 10), "telepon", "email", "jabatan")
    opd_style = ch("form_opd_style", "name", "name", "provinsi", "caps", "abbr", "paren")
    sub_mode = ch("sub_mode", "full", "space", "suffix", "underscore", "full", "suffix")
    pj_values = {"nama": pj.nama, "telepon": tel_written, "email": mail_written, "jabatan": jabatan}
    pj_expected: dict[str, str | None] = {
        "nama": pj.nama,
        "telepon": tel,
        "email": mail,
        "jabatan": jabatan,
    }
    if blank != "none":
        pj_values[blank] = ""
        pj_expected[blank] = None
    lab = {k: rng.choice(v) for k, v in FORM_LABELS.items()}
    rows = [
        FormRow("nomor_permohonan", lab["nomor_permohonan"], nomor_permohonan or ""),
        FormRow("opd", lab["opd"], _form_opd(opd, opd_style)),
        FormRow("section", lab["section"], ""),
    ]
    rows += [FormRow(k, lab[k], pj_values[k]) for k in ("nama", "telepon", "email", "jabatan")]
    if ch("nama_sub_row", True, True, False):
        rows.append(FormRow("nama_subdomain", lab["nama_subdomain"], sub_name))
    rows.append(_sub_row(lab["subdomain"], sub_name, sub_fqdn, sub_mode))
    if ch("np_position", "top", "top", "bottom") == "bottom":
        rows.append(rows.pop(0))
    sig = make_signature(rng, ch, opd, "title")
    sig.lines = [
        rng.choice(("Kepala Dinas", "Kepala Perangkat Daerah", "Mengetahui,", "Penanggung Jawab,"))
    ]
    if sig.lines[0] == "Penanggung Jawab,":
        sig.nama = pj.nama
    decl = rng.choice(DECLARATIONS).replace("{OPD}", opd.name) if rng.random() < 0.8 else None
    with_kop = ch("form_kop", False, False, True)
    expected: dict[str, Any] = {
        "opd": opd.name,
        "subdomain": sub_fqdn,
        "nomor_permohonan": nomor_permohonan,
        "penanggung_jawab": pj_expected,
    }
    return FormSpec(
        kop=make_kop(rng, ch, opd, "full", website=False) if with_kop else None,
        title=rng.choice(FORM_TITLES),
        rows=rows,
        numbered=ch("form_numbered", False, True),
        sub_mode=sub_mode,
        declaration=decl,
        place_date=f"{opd.place}, {write_date(rng, dt, 'full')}",
        sig=sig,
        expected=expected,
        tags={
            "phone": phone_style,
            "email": email_style,
            "np": np_shape,
            "blank": blank,
            "sub_mode": sub_mode,
            "opd_style": opd_style,
            "acro": str(acro),
        },
    )


def _form_opd(opd: Opd, style: str) -> str:
    abbr = short_abbr(opd)
    if style == "provinsi":
        return opd.name + " Provinsi Banten"
    if style == "caps":
        return opd.name.upper()
    if style == "abbr" and abbr:
        return abbr
    if style == "paren" and abbr:
        return f"{opd.name} ({abbr})"
    return opd.name


def _sub_row(label: str, name: str, fqdn: str, mode: str) -> FormRow:
    if mode == "space":
        return FormRow("subdomain", label, f"{name} .bantenprov.go.id")
    if mode == "suffix":
        return FormRow("subdomain", label, name, suffix=".bantenprov.go.id")
    if mode == "underscore":
        return FormRow("subdomain", label, f"{name}____.bantenprov.go.id")
    return FormRow("subdomain", label, fqdn)


PJ_KEYS = ("nama", "telepon", "email", "jabatan")


def form_labels(spec: FormSpec) -> list[tuple[FormRow, str, bool]]:
    """(row, label as printed, is a sub-row) with the optional 1./a. numbering."""
    out: list[tuple[FormRow, str, bool]] = []
    n = sub = 0
    for row in spec.rows:
        if row.key in PJ_KEYS:
            marker = "abcd"[sub] + ". " if spec.numbered else ""
            sub += 1
            out.append((row, marker + row.label, spec.numbered))
        else:
            n += 1
            out.append((row, f"{n}. {row.label}" if spec.numbered else row.label, False))
    return out
