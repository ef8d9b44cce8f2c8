"""The warm path: one LibreOffice listener per converter, driven over UNO for a batch.

It writes PDF copies of generated documents, and DOCX copies of legacy word-processor files
(.doc, .rtf, .odt, .docm) so the DOCX reader can read them. A document that makes LibreOffice
hang (past the time limit) or fail gets its reason, and LibreOffice is stopped at once and
started afresh for the next document: one bad file never poisons the ones after it.

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
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from pipeline.convert.office import (
    DOCX,
    PDF,
    ConversionError,
    ConversionTimeout,
    Target,
    convert_cold,
    find_soffice,
    kill_group,
    lowered,
    move_into_place,
    private_profile,
    staged_source,
    timeout_error,
)

WORKER = Path(__file__).with_name("uno_worker.py")


class OfficeConverter:
    """DOCX → PDF, legacy word files → DOCX. Starts LibreOffice on first use and keeps it
    until `close()`. Safe to share between threads: one conversion at a time. A `background`
    converter (the PDF copies) runs LibreOffice at a lower CPU priority than the intake."""

    def __init__(
        self, soffice: str, python_uno: str, timeout: float, background: bool = False
    ) -> None:
        self.soffice_setting = soffice
        self.python_uno = python_uno
        self.timeout = timeout
        self.background = background
        self._office: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self.warm_available: bool | None = None  # unknown until the first start
        self.starts = 0  # LibreOffice listeners started so far (a restart counts again)
        self._lock = threading.RLock()

    def convert(self, src: Path, dst: Path, keywords: tuple[str, ...] = ()) -> Path:
        """Write the PDF of `src` to `dst`; `keywords` go into the PDF's metadata."""
        return self._convert(src, dst, PDF, keywords, None)

    def to_docx(self, src: Path, dst: Path, suffix: str) -> Path:
        """Write `src` (.doc, .rtf, .odt, .docm: `suffix` says which, whatever its name) to
        `dst` as DOCX. Its macros never run and its links are never fetched."""
        return self._convert(src, dst, DOCX, (), suffix)

    def close(self) -> None:
        with self._lock:
            self._close(grace=5.0 if self.warm_available else 0.0)

    def _convert(
        self,
        src: Path,
        dst: Path,
        target: Target,
        keywords: tuple[str, ...],
        suffix: str | None,
    ) -> Path:
        soffice = find_soffice(self.soffice_setting)
        with self._lock:
            if self.warm_available is not False and self._ensure_started(soffice):
                try:
                    return self._convert_warm(src, dst, target, keywords, suffix)
                except ConversionTimeout:
                    raise  # a second try would only double the wait
                except ConversionError:
                    # Some files crash a listener yet convert in a fresh `--convert-to`
                    # process (LibreOffice 7.4 and a real RTF letter): one cold try.
                    pass
            return convert_cold(
                soffice, src, dst, self.timeout, target, suffix, background=self.background
            )

    def _close(self, grace: float) -> None:
        """Stop the worker and LibreOffice. A connected worker stops LibreOffice itself when
        its input ends, given `grace` seconds; a hung one is stopped with no grace."""
        worker, office = self._worker, self._office
        self._worker = self._office = None
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
        self._close(grace=0.0)
        python = shutil.which(self.python_uno)
        if python is None:
            self.warm_available = False
            return False
        self._scratch = tempfile.TemporaryDirectory(prefix="pipeline-lo-")
        pipe = f"pipeline-{secrets.token_hex(6)}"
        self._office = subprocess.Popen(
            [
                *lowered(self.background),
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
        self.starts += 1
        worker = (python, str(WORKER), pipe, str(self._office.pid), str(os.getpid()))
        self._worker = subprocess.Popen(
            [*lowered(self.background), *worker],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        ready = self._answer(self.timeout)
        self.warm_available = bool(ready and ready.get("ready"))
        if not self.warm_available:
            self._close(grace=0.0)
        return self.warm_available

    def _convert_warm(
        self,
        src: Path,
        dst: Path,
        target: Target,
        keywords: tuple[str, ...],
        suffix: str | None,
    ) -> Path:
        assert self._worker is not None and self._worker.stdin is not None
        assert self._scratch is not None
        scratch = Path(tempfile.mkdtemp(dir=self._scratch.name))
        try:
            source = staged_source(src, scratch, suffix)
            made = scratch / f"made{target.suffix}"
            job = {
                "src": str(source.resolve()),
                "dst": str(made),
                "filter": target.filter,
                "keywords": list(keywords),
            }
            self._worker.stdin.write(json.dumps(job) + "\n")
            self._worker.stdin.flush()
            answer = self._answer(self.timeout)
            if answer is None:
                crashed = self._worker.poll() is not None
                self._close(grace=0.0)  # stopped now; a fresh one starts for the next file
                if crashed:
                    raise ConversionError(
                        f"LibreOffice berhenti mendadak saat mengubah {src.name} ke "
                        f"{target.label}.",
                        hint="Buka berkasnya di LibreOffice/Word untuk memeriksa isinya.",
                    )
                raise timeout_error(src, self.timeout, target)
            if not answer.get("ok") or not made.is_file():
                # After a failed load LibreOffice may be left half-broken: start afresh.
                self._close(grace=0.0)
                raise ConversionError(
                    f"LibreOffice gagal mengubah {src.name} ke {target.label}.",
                    hint="Buka berkasnya di LibreOffice/Word untuk memeriksa isinya.",
                )
            move_into_place(made, dst)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
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
    """Stop the process and its children (soffice is a script that starts soffice.bin), given
    `grace` seconds to end by itself. With no grace (a hung or broken worker, and the office
    it drove) it is killed at once: asked to stop, a worker stuck in a conversion would only
    unwind once LibreOffice answered, and a hang must end at its limit."""
    if grace <= 0:
        kill_group(process, at_once=True)
        return
    try:
        process.wait(timeout=grace)
        return
    except subprocess.TimeoutExpired:
        pass
    kill_group(process)


PdfConverter = OfficeConverter  # the name the PDF copies and the benchmarks know it by
