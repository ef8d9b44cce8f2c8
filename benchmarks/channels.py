"""Speed of the new channels against the raw work they add, one whole process per side.

    python -m benchmarks.channels prepare DIR             # the files both sides read
    python -m benchmarks.channels legacy DIR              # A: .doc/.rtf/.odt through extract
    python -m benchmarks.channels legacy-raw DIR          # B: the DOCX read + the warm conversion
    python -m benchmarks.channels photo DIR               # A: phone photos, one OCR thread
    python -m benchmarks.channels scan DIR                # B: flat scans of the same pages

Legacy (acceptance: A/B <= 1.5): A reads every legacy file with `extract_paths` and a warm
LibreOffice (the watcher's path: sniff, convert through the UNO worker, read the DOCX copy,
extract); B does the same documents' raw parts in one process: the same warm converter's
`to_docx` on each legacy file, then `read_docx` + `extract` on the original DOCX.

Photos (acceptance: A/B <= 1.5): A runs `run_job` (find the page, straighten, flatten the
shadow, OCR) on each phone photo of tests/corpus/photo_corpus.py; B runs it on a flat scan of
the same page (the PDF page rendered at 300 dpi, grey, saved as a PNG that records its dpi,
as a scanner does). Both in one thread, so the ratio is the photo's extra work.

Time the two sides as whole processes, alternating A and B, and quote the median ratio.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

LEGACY = {"doc": "doc:MS Word 97", "rtf": "rtf", "odt": "odt"}
LEGACY_CASES = 12  # DOCX cases of the digital corpus, each saved in every legacy format
PHOTOS = 8
SCAN_DPI = 300


def prepare(folder: Path) -> None:
    from tests.corpus.photo_corpus import make_photos
    from tests.test_extract_corpus import CORPUS

    docx = sorted(CORPUS.glob("*.docx"))[:LEGACY_CASES]
    (folder / "docx").mkdir(parents=True, exist_ok=True)
    for source in docx:
        (folder / "docx" / source.name).write_bytes(source.read_bytes())
    for medium, filter_name in LEGACY.items():
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", filter_name, "--outdir", str(folder / medium), *map(str, docx)],
            check=True, capture_output=True, timeout=600,
        )  # fmt: skip
    photos = make_photos(folder / "photo", PHOTOS)
    (folder / "scan").mkdir(exist_ok=True)
    for index, photo in enumerate(photos):
        _flat_scan(CORPUS / photo.case, folder / "scan" / f"scan_{index:02d}.png")
    print(json.dumps({"legacy": 3 * len(docx), "photos": len(photos)}))


def _flat_scan(pdf: Path, target: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        image = document[0].render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
    finally:
        document.close()
    image.save(target, dpi=(SCAN_DPI, SCAN_DPI))


def legacy(folder: Path) -> None:
    from pipeline.service.context import make_matcher
    from pipeline.service.intake.extracting import DocxCopies, extract_paths
    from pipeline.settings import Settings

    settings = Settings(workspace=folder / "ws")
    files = [p for medium in LEGACY for p in sorted((folder / medium).glob(f"*.{medium}"))]
    with tempfile.TemporaryDirectory(dir=folder) as scratch:  # copies are made anew each run
        copies = DocxCopies.from_settings(settings, Path(scratch))
        try:
            results = extract_paths(files, settings, make_matcher(settings), to_docx=copies)
        finally:
            copies.close()
    print(sum(r.ok for r in results), "of", len(files))


def legacy_raw(folder: Path) -> None:
    from pipeline.convert import OfficeConverter
    from pipeline.extract import extract
    from pipeline.readers.docx import read_docx
    from pipeline.service.context import make_matcher
    from pipeline.settings import Settings

    settings = Settings(workspace=folder / "ws")
    options = settings.konversi
    converter = OfficeConverter(options.soffice, options.python_uno, options.batas_detik)
    out = folder / "ws" / "raw"
    out.mkdir(parents=True, exist_ok=True)
    matcher = make_matcher(settings)
    read = 0
    try:
        for medium in LEGACY:
            for source in sorted((folder / medium).glob(f"*.{medium}")):
                converter.to_docx(source, out / f"{source.stem}.{medium}.docx", f".{medium}")
                docx = read_docx(folder / "docx" / f"{source.stem}.docx")
                read += extract(docx, matcher).kind is not None
    finally:
        converter.close()
    print(read, "read")


def ocr_images(folder: Path) -> None:
    from pipeline.models import Media
    from pipeline.readers.scan import OcrJob, run_job

    lines = 0
    for image in sorted(folder.iterdir()):
        lines += len(run_job(OcrJob(str(image), Media.IMAGE, 1, 120.0)))
    print(lines, "lines")


def main(argv: list[str]) -> None:
    mode, folder = argv[1], Path(argv[2])
    actions = {
        "prepare": lambda: prepare(folder),
        "legacy": lambda: legacy(folder),
        "legacy-raw": lambda: legacy_raw(folder),
        "photo": lambda: ocr_images(folder / "photo"),
        "scan": lambda: ocr_images(folder / "scan"),
    }
    actions[mode]()


if __name__ == "__main__":
    main(sys.argv)
