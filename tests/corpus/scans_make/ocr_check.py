"""Legibility check of a scanned corpus: OCR some files per medium with tesseract and count
how often the expected values printed verbatim come through, next to the same count on a
300 dpi render of the digital original (so OCR's own slips, like Roman I read as 1 or table
rules glued to text, are not blamed on the degradations).

    python tests/corpus/scans_make/ocr_check.py [--dir DIR] [--per-medium N] [--jobs J] [-v]

PDF pages are rendered at the scan's dpi; a recorded quarter turn is undone first (finding the
orientation is the pipeline's job, not this check's). Compared without whitespace, underscores
and case: nomor_surat, perihal, penanggung_jawab.nama and .email, nomor_permohonan.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image

HERE = Path(__file__).resolve().parent
DEFAULT_DIR = HERE.parent / "scans"
DIGITAL = HERE.parent / "digital"
LO_PROFILE = "file:///tmp/lo-scans-profile"
BASELINE_DPI = 300
CHECKED = ("nomor_surat", "perihal", "nama", "email", "nomor_permohonan")
Result = tuple[dict[str, Any], dict[str, bool], dict[str, bool], str]


def squash(text: str) -> str:
    return re.sub(r"[\s_]+", "", text).casefold()


def tesseract(image: Path) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = ["tesseract", str(image), "-", "-l", "ind"]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False).stdout


def upright(img: Image.Image, turn: int) -> Image.Image:
    return img.rotate(-turn, expand=True) if turn else img


def pdf_pages(path: Path, dpi: int, turn: int, tmp: Path, tag: str) -> list[Path]:
    """A PDF's pages as PNG files (PDFium is not thread-safe: call before the OCR threads)."""
    doc = pdfium.PdfDocument(path)
    doc.init_forms()
    pages = []
    for index in range(len(doc)):
        png = tmp / f"{path.stem}_{tag}{index + 1}.png"
        img = doc[index].render(scale=dpi / 72, grayscale=True).to_pil()
        upright(img, turn).save(png, dpi=(dpi, dpi))
        pages.append(png)
    doc.close()
    return pages


def scan_images(corpus: Path, exp: dict[str, Any], tmp: Path) -> list[Path]:
    path = corpus / exp["file"]
    if path.suffix == ".pdf":
        return pdf_pages(path, exp["dpi"], exp["turn"], tmp, "scan")
    if not exp["turn"]:
        return [path]
    img = Image.open(path)
    frames = []
    for index in range(getattr(img, "n_frames", 1)):
        img.seek(index)
        png = tmp / f"{path.stem}_scan{index + 1}.png"
        upright(img.convert("L"), exp["turn"]).save(png)
        frames.append(png)
    return frames


def source_pdfs(chosen: list[dict[str, Any]], tmp: Path) -> dict[str, Path]:
    """The digital originals as PDF (DOCX converted by LibreOffice in one call)."""
    pdfs = {e["source"]: DIGITAL / e["source"] for e in chosen if e["source"].endswith(".pdf")}
    docx = sorted({e["source"] for e in chosen if e["source"].endswith(".docx")})
    if docx:
        cmd = ["soffice", "--headless", f"-env:UserInstallation={LO_PROFILE}", "--convert-to"]
        cmd += ["pdf", "--outdir", str(tmp), *(str(DIGITAL / d) for d in docx)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        pdfs.update({d: tmp / (Path(d).stem + ".pdf") for d in docx})
    return pdfs


def wanted(fields: dict[str, Any]) -> dict[str, str]:
    flat = {**fields, **(fields.get("penanggung_jawab") or {})}
    return {k: str(flat[k]) for k in CHECKED if flat.get(k)}


def hits(text: str, fields: dict[str, Any]) -> dict[str, bool]:
    found = squash(text)
    return {k: squash(v) in found for k, v in wanted(fields).items()}


def check(exp: dict[str, Any], scan: list[Path], source: list[Path]) -> Result:
    text = "\n".join(tesseract(image) for image in scan)
    base = "\n".join(tesseract(image) for image in source)
    return exp, hits(text, exp["fields"]), hits(base, exp["fields"]), text


def pick(corpus: Path, per_medium: int) -> list[dict[str, Any]]:
    """The first `per_medium` clean and hard files of every medium."""
    taken: dict[tuple[str, bool], int] = defaultdict(int)
    chosen = []
    for path in sorted(corpus.glob("*.expected.json")):
        exp = json.loads(path.read_text(encoding="utf-8"))
        key = (exp["medium"], exp["clean"])
        if taken[key] < per_medium:
            taken[key] += 1
            chosen.append(exp)
    return chosen


def report(results: list[Result], verbose: bool) -> None:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for exp, got, base, text in results:
        lot = "clean" if exp["clean"] else "hard"
        for field, hit in got.items():
            for key in (f"{exp['medium']:10s} {lot}", f"{'all':10s} {lot}", f"field {field}"):
                tally[key][0] += hit
                tally[key][1] += base[field]
                tally[key][2] += 1
            if verbose and base[field] and not hit:
                want = squash(wanted(exp["fields"])[field])[:6]
                line = next((ln for ln in text.splitlines() if want in squash(ln)), "")
                print(f"LOST {exp['file']}: {field} {wanted(exp['fields'])[field]!r} | {line[:70]}")
    print(f"{'':20s} {'scan':>6s} {'digital':>8s}  (of N values)")
    for key, (n_scan, n_base, total) in sorted(tally.items()):
        print(f"{key:20s} {100 * n_scan / total:5.1f}% {100 * n_base / total:7.1f}%  ({total})")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--per-medium", type=int, default=4)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="list values the scan lost")
    args = ap.parse_args(argv)
    chosen = pick(args.dir, args.per_medium)
    with tempfile.TemporaryDirectory(prefix="ocr-check-") as name:
        tmp = Path(name)
        pdfs = source_pdfs(chosen, tmp)
        scans = [scan_images(args.dir, e, tmp) for e in chosen]
        sources = [pdf_pages(pdfs[e["source"]], BASELINE_DPI, 0, tmp, "src") for e in chosen]
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(check, chosen, scans, sources))
    report(results, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
