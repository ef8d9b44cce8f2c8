"""Finding LibreOffice and the cold path: one `soffice --convert-to` process per document."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import MissingDependencyError, PipelineError

INSTALL_HINT = (
    "Pasang LibreOffice (Debian/Ubuntu: `apt-get install libreoffice-writer-nogui`) atau atur "
    "konversi.soffice di pipeline.toml. Sampai saat itu dokumen hanya dibuat dalam DOCX."
)


class ConversionError(PipelineError):
    """LibreOffice ran but produced no output (timeout, crash, unreadable document)."""


class ConversionTimeout(ConversionError):
    """LibreOffice did not finish within the time limit; it was stopped."""


@dataclass(frozen=True)
class Target:
    """What LibreOffice writes: the label a clerk reads, its export filter, the file suffix."""

    label: str
    filter: str
    suffix: str


PDF = Target("PDF", "writer_pdf_Export", ".pdf")
DOCX = Target("DOCX", "MS Word 2007 XML", ".docx")
BACKGROUND_NICENESS = 10  # nice(1)'s own default: below the intake, above idle work


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


def staged_source(src: Path, scratch: Path, suffix: str | None) -> Path:
    """The file LibreOffice opens: `src` itself, or a copy named `source<suffix>` when the
    caller knows the format better than the file's own name (a .doc dropped as 'surat.txt',
    a name starting with '-')."""
    if suffix is None:
        return src
    staged = scratch / f"source{suffix}"
    shutil.copyfile(src, staged)
    return staged


def convert_cold(
    soffice: Path,
    src: Path,
    dst: Path,
    timeout: float,
    target: Target = PDF,
    suffix: str | None = None,
    background: bool = False,
) -> Path:
    """Convert `src` to `dst` (PDF by default) with a fresh `soffice --convert-to` process.
    `suffix`: the format's usual suffix, when `src`'s own name may not say it; `background`:
    the process yields the CPU to the intake (see `lowered`)."""
    with tempfile.TemporaryDirectory(prefix="pipeline-lo-") as scratch:
        root = Path(scratch)
        source = staged_source(src, root, suffix)
        command = [
            *lowered(background),
            str(soffice),
            f"-env:UserInstallation={private_profile(root)}",
            "--headless",
            "--norestore",
            "--convert-to",
            f"{target.suffix[1:]}:{target.filter}",
            "--outdir",
            str(root / "out"),
            str(source),
        ]
        # Its own process group: on timeout the whole of LibreOffice (the launcher and
        # soffice.bin under it) is stopped, not only the launcher.
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            kill_group(process)
            raise timeout_error(src, timeout, target) from exc
        made = root / "out" / f"{source.stem}{target.suffix}"
        if not made.is_file():
            raise ConversionError(
                f"LibreOffice tidak menghasilkan {target.label} untuk {src.name}.",
                hint="Buka berkasnya di LibreOffice/Word untuk memeriksa isinya.",
            )
        move_into_place(made, dst)
    return dst


def lowered(background: bool) -> list[str]:
    """The prefix that starts a program at a lower CPU priority (`nice`) when it works in the
    background: PDF copies of generated documents must not slow the reading of the files
    that arrive (on two cores, LibreOffice converting beside the intake took 7-8 % of its
    throughput). The prefix execs the program, so its pid and process group stay its own."""
    nice = shutil.which("nice") if background else None
    return [nice, "-n", str(BACKGROUND_NICENESS)] if nice else []


def kill_group(process: subprocess.Popen[Any], at_once: bool = False) -> None:
    """Stop a process and its children (soffice is a script that starts soffice.bin): asked
    first (SIGTERM), killed if still there 10 s later; `at_once`, killed without asking."""
    for signal_number in (signal.SIGKILL,) if at_once else (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal_number)
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def timeout_error(src: Path, timeout: float, target: Target = PDF) -> ConversionTimeout:
    return ConversionTimeout(
        f"Konversi {src.name} ke {target.label} melewati batas {timeout:g} detik dan dihentikan.",
        hint="Coba lagi; bila berulang, naikkan konversi.batas_detik di pipeline.toml.",
    )


def move_into_place(made: Path, dst: Path) -> None:
    """Copy beside `dst` then rename, so a reader never sees half a file."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    temporary = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(made, temporary)
        os.replace(temporary, dst)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
