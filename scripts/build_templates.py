"""Build the Word templates in templates/ with python-docx, so they are reproducible.

Usage: python scripts/build_templates.py [--out DIR] [--check]

Every Jinja tag is written as one run, so docxtpl sees it whole; the result is a plain Word
document (paragraphs, tables, tab stops) that the office can keep editing in Word. The output
is byte-for-byte stable: fixed core properties and fixed timestamps inside the zip.
With --check the built templates are linted against the sample contexts.

The templates live in the `templates_*` modules beside this script: `templates_base` (shared
building blocks), `templates_disposisi`, `templates_analisis` and `templates_surat`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from templates_analisis import build_laporan_hasil_analisis
from templates_disposisi import build_lembar_disposisi_kabid, build_lembar_disposisi_kadis
from templates_surat import (
    build_surat_kekurangan_berkas,
    build_surat_penolakan,
    build_surat_selesai_integrasi,
)

ROOT = Path(__file__).resolve().parent.parent

BUILDERS: dict[str, Callable[[Path], Path]] = {
    "lembar-disposisi-kadis.docx": build_lembar_disposisi_kadis,
    "lembar-disposisi-kabid.docx": build_lembar_disposisi_kabid,
    "laporan-hasil-analisis.docx": build_laporan_hasil_analisis,
    "surat-selesai-integrasi.docx": build_surat_selesai_integrasi,
    "surat-penolakan.docx": build_surat_penolakan,
    "surat-kekurangan-berkas.docx": build_surat_kekurangan_berkas,
}


def check(paths: Iterable[Path]) -> int:
    """Lint the built templates against the sample contexts; 0 when all are clean."""
    sys.path.insert(0, str(ROOT))
    from pipeline.documents import check_template, context_keys
    from pipeline.documents.samples import SAMPLE_CONTEXTS

    status = 0
    for path in paths:
        report = check_template(path, context_keys(SAMPLE_CONTEXTS[path.name]))
        print(f"{report.template}: unknown={list(report.unknown)} unused={list(report.unused)}")
        status |= 0 if report.ok else 1
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "templates")
    parser.add_argument("--check", action="store_true", help="lint against the sample contexts")
    args = parser.parse_args(argv)
    built = [build(args.out / name) for name, build in BUILDERS.items()]
    for path in built:
        print(f"built {path}")
    return check(built) if args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
