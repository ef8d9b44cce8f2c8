"""Check a generated corpus: every expected value is really visible in its document.

    python -m tests.corpus.check_corpus [CORPUS_DIR]

Reads the text layer the way a simple extractor would (pdfplumber text plus AcroForm field
values; python-docx paragraphs, tables, headers plus content-control text) and checks that
each golden value can be found in it. Also checks the corpus-level promises (counts, fillable
forms, two-page letters). Prints the problems; exit code 1 when there are any.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pdfplumber
from pdfminer.pdftypes import resolve1

from tests.corpus.corpus_data import OPDS

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            "januari",
            "februari",
            "maret",
            "april",
            "mei",
            "juni",
            "juli",
            "agustus",
            "september",
            "oktober",
            "november",
            "desember",
        )
    )
}
MONTHS.update(
    {
        "pebruari": 2,
        "nopember": 11,
        "jan": 1,
        "feb": 2,
        "peb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "agt": 8,
        "agu": 8,
        "agust": 8,
        "sep": 9,
        "sept": 9,
        "okt": 10,
        "nov": 11,
        "nop": 11,
        "des": 12,
    }
)
CM = 72 / 2.54
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pdf_text(path: Path) -> tuple[list[str], dict[str, str]]:
    with pdfplumber.open(path) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
        # the left column alone, for letters whose label block has the date/recipient beside it
        p0 = pdf.pages[0]
        cut = 3 * CM + 0.58 * (float(p0.width) - 5 * CM) - 0.2 * CM
        pages.append(p0.within_bbox((0, 0, cut, float(p0.height))).extract_text() or "")
        fields: dict[str, str] = {}
        form = pdf.doc.catalog.get("AcroForm")
        if form:
            for ref in resolve1(form).get("Fields", []):
                fl = resolve1(ref)
                name = fl.get("T", b"")
                value = fl.get("V", b"")
                fields[name.decode() if isinstance(name, bytes) else str(name)] = (
                    value.decode() if isinstance(value, bytes) else str(value)
                )
    return pages, fields


def docx_text(path: Path) -> tuple[list[str], dict[str, str]]:
    d = docx.Document(str(path))
    parts = []
    for sec in d.sections:
        parts.append("\n".join(p.text for p in sec.header.paragraphs))
    body = d.element.body
    # every w:t in document order, paragraph by paragraph (tables and content controls too)
    for p in body.iter(W + "p"):
        parts.append("".join(t.text or "" for t in p.iter(W + "t")))
    controls = {}
    for sdt in body.iter(W + "sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        plc = sdt.find(f"{W}sdtPr/{W}showingPlcHdr") is not None
        text = "".join(t.text or "" for t in sdt.iter(W + "t"))
        controls[tag.get(W + "val") if tag is not None else "?"] = "" if plc else text
    return ["\n".join(parts)], controls


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s).lower().replace("_", "")


def opd_shown(opd: str, text: str) -> bool:
    """The canonical name, or an unambiguous abbreviation of it, is in the text."""
    text = " ".join(text.split()).lower()
    row = next(o for o in OPDS if o.name == opd)
    return opd.lower() in text or any(
        re.search(rf"\b{re.escape(a.lower())}\b", text) for a in row.abbrs if a != "DKP"
    )


def words_in_order(needle: str, hay: str) -> bool:
    pos = 0
    for w in needle.split():
        pos = hay.find(w, pos)
        if pos < 0:
            return False
        pos += len(w)
    return True


def dates(text: str) -> set[str]:
    out = set()
    for d, m, y in re.findall(r"\b(\d{1,2}) ([A-Za-z]+)\.? (\d{4})\b", text):
        if m.lower() in MONTHS:
            out.add(f"{y}-{MONTHS[m.lower()]:02d}-{int(d):02d}")
    return out


def check_case(exp: dict[str, Any], text: str, fields: dict[str, str]) -> list[str]:
    f = exp["fields"]
    flat = text + "\n" + "\n".join(fields.values())
    sq = squash(flat)
    digits = re.sub(r"\D", "", flat)
    bad = []
    if "nomor_surat" in f and squash(f["nomor_surat"]) not in squash(text):
        bad.append(f"nomor_surat {f['nomor_surat']!r}")
    if f.get("tanggal_surat") and f["tanggal_surat"] not in dates(text):
        bad.append(f"tanggal_surat {f['tanggal_surat']}")
    if "opd" in f and not opd_shown(f["opd"], flat):
        bad.append(f"opd {f['opd']!r}")
    joined = " ".join(re.sub(r"-\n", "-", text).split())
    if f.get("perihal") and not words_in_order(f["perihal"], joined):
        bad.append(f"perihal {f['perihal']!r}")
    sub = f.get("subdomain")
    if sub and sub not in sq:
        name = sub.removesuffix(".bantenprov.go.id")
        if not (name in (v.lower() for v in fields.values()) and ".bantenprov.go.id" in sq):
            bad.append(f"subdomain {sub}")
    if f.get("nomor_permohonan") and squash(f["nomor_permohonan"]) not in sq:
        bad.append(f"nomor_permohonan {f['nomor_permohonan']}")
    pj = f.get("penanggung_jawab") or {}
    for key in ("nama", "jabatan", "email"):
        if pj.get(key) and squash(pj[key]) not in sq:
            bad.append(f"{key} {pj[key]!r}")
    tel = pj.get("telepon")
    if tel and tel[3:] not in digits:
        bad.append(f"telepon {tel}")
    return bad


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "digital"
    problems: list[str] = []
    stats: Counter[str] = Counter()
    truth = {
        json.loads(ln)["file"]: json.loads(ln)
        for ln in (root / "truth.jsonl").read_text().splitlines()
    }
    for exp_path in sorted(root.glob("*.expected.json")):
        exp = json.loads(exp_path.read_text())
        path = root / exp["file"]
        pages, fields = pdf_text(path) if path.suffix == ".pdf" else docx_text(path)
        tags = truth[exp["file"]]["tags"]
        stats[f"{exp['kind']} {path.suffix[1:]}"] += 1
        if fields and path.suffix == ".pdf":
            stats["acroform pdf"] += 1
        if fields and path.suffix == ".docx":
            stats["content-control docx"] += 1
        for b in check_case(exp, "\n".join(pages), fields):
            problems.append(f"{exp['file']}: not found: {b}")
        if tags.get("long") and path.suffix == ".pdf":
            stats["two-page letter pdf"] += tags["letter_pages"] >= 2
            if tags["letter_pages"] < 2:
                problems.append(f"{exp['file']}: long letter fits on one page")
        for note in tags.get("notes", []):
            stats[f"note: {note}"] += 1
    for key, n in sorted(stats.items()):
        print(f"{n:4d}  {key}")
    if stats["acroform pdf"] < 12:
        problems.append(f"only {stats['acroform pdf']} AcroForm PDFs")
    if sum(n for k, n in stats.items() if k.startswith("letter+form")) < 20:
        problems.append("fewer than 20 letter+form files")
    for p in problems:
        print("PROBLEM:", p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
