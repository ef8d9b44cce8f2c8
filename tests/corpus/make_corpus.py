"""Generate the digital test corpus: request letters and forms with golden expected fields.

    python -m tests.corpus.make_corpus [OUTDIR]      (default: tests/corpus/digital)

Deterministic: a fixed seed, reportlab `invariant=1` and DOCX packages with fixed timestamps,
so the same code writes the same bytes. Each case is `<case>.pdf|.docx` plus
`<case>.expected.json` ({file, kind, layout, fields}); `truth.jsonl` gathers them in the shape
../shared/eval/score_extract.py reads, with every varied knob under "tags".
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tests.corpus.corpus_data import OPDS, Opd
from tests.corpus.form_specs import make_form
from tests.corpus.render_docx import DocxLook, render_docx
from tests.corpus.render_pdf import PdfLook, render_pdf
from tests.corpus.specs import (
    Choices,
    FormSpec,
    LetterSpec,
    letter_subdomain,
    make_letter,
    subdomain_for,
)

SEED = 20201005
COUNTS = {"letter": 72, "form": 60, "letter+form": 36, "other": 12}
DEFAULT_OUT = Path(__file__).resolve().parent / "digital"
ACRO_NAME_SETS: tuple[dict[str, str], ...] = (
    {
        "nomor_permohonan": "nomor_permohonan",
        "opd": "nama_opd",
        "nama": "nama",
        "telepon": "telepon",
        "email": "email",
        "jabatan": "jabatan",
        "nama_subdomain": "nama_subdomain",
        "subdomain": "subdomain",
    },
    {
        "nomor_permohonan": "NoPermohonan",
        "opd": "NamaOPD",
        "nama": "NamaPJ",
        "telepon": "TelpHP",
        "email": "Email",
        "jabatan": "Jabatan",
        "nama_subdomain": "NamaSubDomain",
        "subdomain": "SubDomain",
    },
    {
        "nomor_permohonan": "txtNomor",
        "opd": "txtOPD",
        "nama": "txtNama",
        "telepon": "txtTelp",
        "email": "txtEmail",
        "jabatan": "txtJabatan",
        "nama_subdomain": "txtNamaSub",
        "subdomain": "txtSubdomain",
    },
    {
        "nomor_permohonan": "no_permohonan",
        "opd": "opd",
        "nama": "pj_nama",
        "telepon": "pj_telepon",
        "email": "pj_email",
        "jabatan": "pj_jabatan",
        "nama_subdomain": "nama_sub_domain",
        "subdomain": "sub_domain",
    },
    {},  # opaque Text1, Text2, ... as Word-to-PDF converters name them
)
DKP_OPDS = tuple(o for o in OPDS if o.ambiguous)
FIELD_ORDER = (
    "nomor_surat",
    "tanggal_surat",
    "opd",
    "perihal",
    "subdomain",
    "nomor_permohonan",
    "penanggung_jawab",
)


@dataclass
class Case:
    cid: str
    kind: str
    medium: str
    layout: str
    letter: LetterSpec | None
    form: FormSpec | None
    look: PdfLook | DocxLook
    fields: dict[str, Any]
    title: str
    watch: list[str] = field(default_factory=list)
    tags: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- looks


def pdf_look(ch: Choices, kind: str, long: bool) -> PdfLook:
    look = PdfLook(
        family=ch(
            "pdf_family", "times", "helv", "libsans", "times", "helv", "libserif", "times", "helv"
        ),
        size=ch("pdf_size", 10.0, 10.5, 11.0, 11.5, 12.0),
        page=ch("page", "A4", "F4", "A4", "F4", "Letter"),
        justify=ch("justify", True, False),
        first_indent=ch("first_indent", True, False, False),
        body_indent=ch("body_indent", True, False, False),
        label_mode=ch("pdf_label", "aligned", "aligned", "inline", "padded"),
        date_flush=ch("date_flush", True, False),
        page_header=long and ch("page_header", True, False),
    )
    if kind not in ("form", "letter+form"):
        return look
    acro = ch(
        f"acro_{kind}",
        *((True, True, False, False, False) if kind == "form" else (True, False, False, False)),
    )
    return replace(
        look,
        form_layout="acro" if acro else ch("pdf_form", "t2", "t3", "para", "inline", "t3"),
        borders=ch("pdf_borders", True, False, True),
        acro_names=ch("acro_names", *ACRO_NAME_SETS) if acro else {},
        acro_border=ch("acro_border", "solid", "underlined", "solid"),
    )


def docx_look(ch: Choices, kind: str) -> DocxLook:
    look = DocxLook(
        font=ch(
            "docx_font",
            "Times New Roman",
            "Arial",
            "Bookman Old Style",
            "Calibri",
            "Tahoma",
            "Arial",
        ),
        size=ch("docx_size", 10.0, 11.0, 11.0, 12.0, 12.0),
        page=ch("page", "A4", "F4", "A4", "F4", "Letter"),
        justify=ch("justify", True, False),
        first_indent=ch("first_indent", True, False, False),
        label_mode=ch("docx_label", "table", "tab", "tab", "inline", "padded", "table"),
        kop_in_header=ch("kop_in_header", False, False, True),
        sig_table=ch("sig_table", True, False),
        date_flush=ch("date_flush", True, False),
    )
    if kind not in ("form", "letter+form"):
        return look
    return replace(
        look,
        form_layout=ch("docx_form", "t2", "t3", "para", "t3"),
        borders=ch("docx_borders", True, False, True),
        sdt=ch("sdt", False, False, False, True),
        form_break=ch("form_break", "page", "section"),
    )


def layout_tag(case_kind: str, letter: LetterSpec | None, look: PdfLook | DocxLook) -> str:
    parts = []
    if letter:
        mode = look.label_mode
        parts.append(f"{'O' if case_kind == 'other' else 'L'}-{mode}-{letter.date_mode}")
    if case_kind in ("form", "letter+form"):
        form = look.form_layout
        if isinstance(look, DocxLook) and look.sdt:
            form += "-sdt"
        if look.borders and form.startswith(("t2", "t3")):
            form += "-b"
        parts.append(f"F-{form}")
    return "+".join(parts)


# --------------------------------------------------------------------------- cases


def make_case(i: int, kind: str, ch: Choices, rng: random.Random) -> Case:
    medium = ch(f"medium_{kind}", "pdf", "pdf", "pdf", "docx", "docx")
    opd: Opd = ch("opd", *OPDS, *DKP_OPDS, *DKP_OPDS)  # the two "DKP"s three times as often
    long = kind in ("letter", "letter+form") and ch("long", *([False] * 6), True)
    look: PdfLook | DocxLook = pdf_look(ch, kind, long) if medium == "pdf" else docx_look(ch, kind)
    app, sub_name, fqdn = subdomain_for(rng, ch, opd)
    letter = form = None
    watch: list[str] = []
    tags: dict[str, Any] = {"opd": opd.name, "long": long}
    if kind != "form":
        has_sub = (kind == "letter" and ch("letter_sub", True, True, True, True, False)) or (
            kind == "letter+form" and ch("both_sub", True, True, False)
        )
        written: str | None = None
        if has_sub:
            written, style = letter_subdomain(rng, ch, fqdn, sub_name)
            watch.append(written)
            tags["letter_sub"] = style
        letter = make_letter(
            rng, ch, opd, kind == "other", long, written, fqdn if has_sub else None, app
        )
        tags.update(letter.tags)
    if kind in ("form", "letter+form"):
        acro = isinstance(look, PdfLook) and look.form_layout == "acro"
        form = make_form(rng, ch, opd, sub_name, fqdn, letter.date if letter else None, acro)
        tags.update({f"form_{k}": v for k, v in form.tags.items()})
    fields: dict[str, Any] = {}
    for part in (letter, form):
        if part:
            fields.update(
                {k: v for k, v in part.expected.items() if v is not None or k not in fields}
            )
    fields = {k: fields[k] for k in FIELD_ORDER if k in fields}
    cid = f"D{i:03d}_{kind.replace('+', '-')}_{medium}"
    title = letter.labels[-1][1] if letter else "Formulir Pengajuan Integrasi"
    return Case(
        cid=cid,
        kind=kind,
        medium=medium,
        layout=layout_tag(kind, letter, look),
        letter=letter,
        form=form,
        look=look,
        fields=fields,
        title=title,
        watch=watch,
        tags=tags,
    )


def plan(rng: random.Random) -> list[str]:
    kinds = [k for k, n in COUNTS.items() for _ in range(n)]
    rng.shuffle(kinds)
    return kinds


def render(case: Case, out: Path) -> str:
    path = out / f"{case.cid}.{case.medium}"
    if isinstance(case.look, PdfLook):
        info = render_pdf(path, case.letter, case.form, case.look, case.title, case.watch)
    else:
        info = render_docx(path, case.letter, case.form, case.look, case.title)
    case.tags.update(info)
    return path.name


def clean(out: Path) -> None:
    for pattern in ("D*.pdf", "D*.docx", "D*.expected.json", "truth.jsonl"):
        for p in out.glob(pattern):
            p.unlink()


SUMMARY_TAGS = (
    "date_mode",
    "date_style",
    "nomor_label",
    "hal",
    "number_shape",
    "number_spacing",
    "kop",
    "sig",
    "letter_sub",
    "form_sub_mode",
    "form_phone",
    "form_email",
    "form_np",
    "form_blank",
    "form_opd_style",
)


def summarize(cases: list[Case]) -> str:
    """Counts per kind and medium, per layout part and per varied knob."""
    rows: Counter[str] = Counter()
    for c in cases:
        rows[f"kind/medium  {c.kind} {c.medium}"] += 1
        for part in c.layout.split("+"):
            rows[f"layout       {part}"] += 1
        for tag in SUMMARY_TAGS:
            if tag in c.tags:
                rows[f"{tag:<12s} {c.tags[tag]}"] += 1
    return "\n".join(f"{n:4d}  {key}" for key, n in sorted(rows.items()))


def write_case(case: Case, out: Path) -> str:
    """Render the document and its .expected.json; returns the truth.jsonl line."""
    name = render(case, out)
    expected = {"file": name, "kind": case.kind, "layout": case.layout, "fields": case.fields}
    (out / f"{case.cid}.expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    record = {
        **expected,
        "submission": None,
        "style": case.layout,
        "medium": case.medium,
        "bad": None,
        "tags": case.tags,
    }
    return json.dumps(record, ensure_ascii=False)


def main(argv: list[str]) -> int:
    """make_corpus.py [OUT [SEED]]: another seed gives a held-out corpus of the same kinds."""
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    clean(out)
    rng = random.Random(int(argv[2]) if len(argv) > 2 else SEED)
    ch = Choices(rng)
    cases = [make_case(i, kind, ch, rng) for i, kind in enumerate(plan(rng), start=1)]
    truth = [write_case(case, out) for case in cases]
    (out / "truth.jsonl").write_text("\n".join(truth) + "\n", encoding="utf-8")
    print(summarize(cases))
    print(f"{len(cases)} cases ({2 * len(cases)} files + truth.jsonl) written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
