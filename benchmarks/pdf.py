"""Benchmark PDF copies and signatures.

(a) milliseconds per DOCX → PDF conversion with the warm converter (`pipeline.convert.
    PdfConverter`: one LibreOffice listener driven over UNO), after its one-off start-up,
    which is reported separately;
(b) the same with a cold `soffice --convert-to pdf` process per document, both with a fresh
    private profile (what the converter's fallback does) and with a profile reused across
    calls (the best a cold call can do);
(c) milliseconds per PAdES signature (`pipeline.signing.sign_pdf`, B-B, visible stamp with QR)
    and per verification (`check_signatures`, chain to the root) on those PDFs, with a PKI
    made on the spot (root → intermediate → official, as the tests do).

Documents are the templates in templates/ rendered with their sample contexts, taken in turn.

Usage: python -m benchmarks.pdf [--docs 20] [--cold 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from pipeline.convert import PdfConverter, convert_cold, find_soffice
from pipeline.documents import render_docx
from pipeline.documents.samples import SAMPLE_CONTEXTS
from pipeline.signing import Stamp, check_signatures, load_roots, load_signer, official_of, sign_pdf
from tests.pki import PASSPHRASE, make_pki

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def rendered_documents(folder: Path, count: int) -> list[Path]:
    names = sorted(SAMPLE_CONTEXTS)
    documents = []
    for index in range(count):
        name = names[index % len(names)]
        out = folder / f"{index:03d}-{name}"
        documents.append(render_docx(TEMPLATES / name, SAMPLE_CONTEXTS[name], out))
    return documents


def median_ms(samples: list[float]) -> str:
    return (
        f"{statistics.median(samples) * 1000:7.0f} ms (min {min(samples) * 1000:.0f}, max "
        f"{max(samples) * 1000:.0f}, n={len(samples)})"
    )


def warm(documents: list[Path], out: Path) -> list[Path]:
    converter = PdfConverter("soffice", "/usr/bin/python3", 120)
    try:
        started = time.perf_counter()
        converter.convert(documents[0], out / "start.pdf")
        print(
            f"warm converter start-up + first document: {time.perf_counter() - started:.2f} s"
            f" (UNO available: {converter.warm_available})"
        )
        times, pdfs = [], []
        for document in documents:
            target = out / f"{document.stem}.pdf"
            started = time.perf_counter()
            converter.convert(document, target)
            times.append(time.perf_counter() - started)
            pdfs.append(target)
        print(f"(a) warm, per document:                 {median_ms(times)}")
        return pdfs
    finally:
        converter.close()


def cold(documents: list[Path], out: Path) -> None:
    soffice = find_soffice("soffice")
    fresh = []
    for document in documents:
        started = time.perf_counter()
        convert_cold(soffice, document, out / f"cold-{document.stem}.pdf", 120)
        fresh.append(time.perf_counter() - started)
    print(f"(b) cold soffice, fresh profile:         {median_ms(fresh)}")
    profile = out / "profile"
    reused = []
    for document in [documents[0], *documents]:  # the first call creates the profile
        started = time.perf_counter()
        subprocess.run(
            [
                str(soffice),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out / "reused"),
                str(document),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        reused.append(time.perf_counter() - started)
    print(f"    cold soffice, reused profile:        {median_ms(reused[1:])}")
    forwarded(soffice, documents, out)


def forwarded(soffice: Path, documents: list[Path], out: Path) -> None:
    """The no-UNO alternative: a resident soffice on a private profile; each `--convert-to`
    call with that profile hands its job to the resident process over LibreOffice's own pipe."""
    profile = out / "resident"
    base = [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    resident = subprocess.Popen(
        [*base, "--norestore"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        times = []
        for document in [documents[0], *documents]:  # the first call waits for start-up
            started = time.perf_counter()
            subprocess.run(
                [*base, "--convert-to", "pdf", "--outdir", str(out / "fwd"), str(document)],
                capture_output=True,
                check=True,
                timeout=120,
            )
            times.append(time.perf_counter() - started)
        made = len(list((out / "fwd").glob("*.pdf")))
        print(f"    cold call to a resident soffice:     {median_ms(times[1:])} ({made} PDFs)")
    finally:
        os.killpg(resident.pid, signal.SIGTERM)  # the soffice script and its soffice.bin
        resident.wait(timeout=30)


def signing(pdfs: list[Path], folder: Path) -> None:
    pki = make_pki()
    p12 = pki.official_p12(folder / "pejabat.p12", "Pejabat Uji", "198001012005011001", "Uji")
    roots = load_roots([pki.write_root(folder / "akar.pem")])
    signer = load_signer(p12, PASSPHRASE)
    stamp = Stamp(
        official_of(signer.signing_cert),
        "https://contoh/verifikasi/x",
        "uji",
        "Serang",
        "01-01-2026 10:00 WIB",
    )
    sign_pdf(pdfs[0].read_bytes(), signer, stamp)  # warm-up (imports, fonts)
    signed, checks = [], []
    for pdf in pdfs:
        data = pdf.read_bytes()
        started = time.perf_counter()
        result = sign_pdf(data, signer, stamp)
        signed.append(time.perf_counter() - started)
        started = time.perf_counter()
        facts = check_signatures(result, roots)
        checks.append(time.perf_counter() - started)
        assert facts and all(f.intact and f.trusted for f in facts)
    print(f"(c) PAdES B-B signature, per document:  {median_ms(signed)}")
    print(f"    verification (intact + chain):       {median_ms(checks)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--cold", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("soffice") is None:
        raise SystemExit("LibreOffice (soffice) tidak ada; benchmark tidak dapat dijalankan.")
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as scratch:
        folder = Path(scratch)
        documents = rendered_documents(folder, args.docs)
        pdfs = warm(documents, folder)
        cold(documents[: args.cold], folder)
        signing(pdfs, folder)


if __name__ == "__main__":
    main()
