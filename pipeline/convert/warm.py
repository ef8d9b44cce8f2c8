"""The warm path: one LibreOffice listener per converter, driven over UNO for a batch.

LibreOffice's `uno` module exists only for the Python it was built for (Debian: python3-uno
for the system python), so the UNO calls run in `uno_worker.py` under that interpreter; we
talk to it with one JSON line per job. When that Python or its `uno` is missing, every
document takes the cold path instead (a fresh `soffice --convert-to`), which is slower but
gives the same PDF.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any

from pipeline.convert.office import (
    ConversionError,
    convert_cold,
    find_soffice,
    move_into_place,
    private_profile,
    timeout_error,
)

WORKER = Path(__file__).with_name("uno_worker.py")


class PdfConverter:
    """DOCX → PDF. Starts LibreOffice on first use and keeps it until `close()`."""

    def __init__(self, soffice: str, python_uno: str, timeout: float) -> None:
        self.soffice_setting = soffice
        self.python_uno = python_uno
        self.timeout = timeout
        self._office: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self.warm_available: bool | None = None  # unknown until the first start

    def convert(self, src: Path, dst: Path, keywords: tuple[str, ...] = ()) -> Path:
        """Write the PDF of `src` to `dst`; `keywords` go into the PDF's metadata."""
        soffice = find_soffice(self.soffice_setting)
        if self.warm_available is not False and self._ensure_started(soffice):
            return self._convert_warm(src, dst, keywords)
        return convert_cold(soffice, src, dst, self.timeout)

    def close(self) -> None:
        worker, office = self._worker, self._office
        self._worker = self._office = None
        # A connected worker stops LibreOffice itself when its input ends; give it time.
        grace = 5.0 if self.warm_available else 0.0
        if worker is not None:
            with contextlib.suppress(OSError):
                if worker.stdin:
                    worker.stdin.close()
            _stop(worker, grace)
        if office is not None:
            _stop(office, grace)
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def _ensure_started(self, soffice: Path) -> bool:
        if self._worker is not None and self._worker.poll() is None:
            return True
        self.close()
        python = shutil.which(self.python_uno)
        if python is None:
            self.warm_available = False
            return False
        self._scratch = tempfile.TemporaryDirectory(prefix="pipeline-lo-")
        pipe = f"pipeline-{secrets.token_hex(6)}"
        self._office = subprocess.Popen(
            [
                str(soffice),
                f"-env:UserInstallation={private_profile(Path(self._scratch.name))}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._worker = subprocess.Popen(
            [python, str(WORKER), pipe, str(self._office.pid)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        ready = self._answer(self.timeout)
        self.warm_available = bool(ready and ready.get("ready"))
        if not self.warm_available:
            self.close()
        return self.warm_available

    def _convert_warm(self, src: Path, dst: Path, keywords: tuple[str, ...]) -> Path:
        assert self._worker is not None and self._worker.stdin is not None
        assert self._scratch is not None
        made = Path(self._scratch.name) / f"{secrets.token_hex(6)}.pdf"
        job = {"src": str(src.resolve()), "dst": str(made), "keywords": list(keywords)}
        self._worker.stdin.write(json.dumps(job) + "\n")
        self._worker.stdin.flush()
        answer = self._answer(self.timeout)
        if answer is None:
            self.close()  # a hung LibreOffice is restarted for the next document
            raise timeout_error(src, self.timeout)
        if not answer.get("ok") or not made.is_file():
            raise ConversionError(
                f"LibreOffice gagal mengubah {src.name} ke PDF: {answer.get('error', '-')}.",
                hint="Buka berkas DOCX-nya di LibreOffice/Word untuk memeriksa isinya.",
            )
        try:
            move_into_place(made, dst)
        finally:
            made.unlink(missing_ok=True)
        return dst

    def _answer(self, timeout: float) -> dict[str, Any] | None:
        """The worker's next JSON line, or None on timeout or when it died."""
        assert self._worker is not None and self._worker.stdout is not None
        line = _read_line(self._worker.stdout, timeout)
        if not line:
            return None
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            return None
        return answer if isinstance(answer, dict) else None


def _read_line(stream: IO[str], timeout: float) -> str | None:
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        if not selector.select(timeout):
            return None
    return stream.readline()


def _stop(process: subprocess.Popen[Any], grace: float) -> None:
    """Stop the process and its children (soffice is a script that starts soffice.bin)."""
    try:
        process.wait(timeout=grace)
        return
    except subprocess.TimeoutExpired:
        pass
    for signal_number in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal_number)
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue
