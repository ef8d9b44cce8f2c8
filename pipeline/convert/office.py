"""Finding LibreOffice and the cold path: one `soffice --convert-to pdf` process per document."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.errors import MissingDependencyError, PipelineError

INSTALL_HINT = (
    "Pasang LibreOffice (Debian/Ubuntu: `apt-get install libreoffice-writer-nogui`) atau atur "
    "konversi.soffice di pipeline.toml. Sampai saat itu dokumen hanya dibuat dalam DOCX."
)


class ConversionError(PipelineError):
    """LibreOffice ran but produced no PDF (timeout, crash, unreadable document)."""


def find_soffice(configured: str) -> Path:
    """The LibreOffice program named in the settings (a path, or a name looked up in PATH)."""
    found = shutil.which(configured)
    if found is None:
        raise MissingDependencyError(
            f"LibreOffice tidak ditemukan ('{configured}'); salinan PDF tidak dapat dibuat.",
            hint=INSTALL_HINT,
        )
    return Path(found)


def private_profile(root: Path) -> str:
    """A LibreOffice user profile of our own, so we never share (or lock) the user's."""
    return (root / "lo-profile").as_uri()


def convert_cold(soffice: Path, src: Path, dst: Path, timeout: float) -> Path:
    """Convert `src` (DOCX) to `dst` (PDF) with a fresh `soffice --convert-to` process."""
    with tempfile.TemporaryDirectory(prefix="pipeline-lo-") as scratch:
        root = Path(scratch)
        command = [
            str(soffice),
            f"-env:UserInstallation={private_profile(root)}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(root / "out"),
            str(src),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise timeout_error(src, timeout) from exc
        made = root / "out" / f"{src.stem}.pdf"
        if not made.is_file():
            raise ConversionError(
                f"LibreOffice tidak menghasilkan PDF untuk {src.name}.",
                hint="Buka berkas DOCX-nya di LibreOffice/Word untuk memeriksa isinya.",
            )
        move_into_place(made, dst)
    return dst


def timeout_error(src: Path, timeout: float) -> ConversionError:
    return ConversionError(
        f"Konversi {src.name} ke PDF melewati batas {timeout:g} detik dan dihentikan.",
        hint="Coba lagi; bila berulang, naikkan konversi.batas_detik di pipeline.toml.",
    )


def move_into_place(made: Path, dst: Path) -> None:
    """Copy beside `dst` then rename, so a reader never sees half a PDF."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    temporary = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(made, temporary)
        os.replace(temporary, dst)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
