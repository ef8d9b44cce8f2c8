"""Hostile inputs of the new channels, dropped into a real running watcher.

A .doc that is garbage, a password-protected .doc, an e-mail with 500 attachments, a zip bomb
inside an e-mail, an e-mail whose attachment names climb out with '../', a 60-megapixel HEIC
and a .docm with an auto-run macro. Each of the refused ones ends in inbox/failed/ with an
Indonesian note; the .docm is read from a copy without its macros; nothing is written outside
the workspace; the watcher stays alive and still registers the letter dropped after them.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import struct
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from tests.factories import Submission, letter_docx, letter_pdf
from tests.live_drops import ERROR_NOTE
from tests.live_process import pipeline_env, run_pipeline
from tests.mail_factories import eml_message
from tests.reliability.watcher import start_ready
from tests.test_legacy_formats import as_docm, soffice_convert, with_word_stream

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed"),
]
SENDER = "Dinas Kesehatan <dinkes@bantenprov.go.id>"
SETTINGS = {"PEMANTAU__STABIL_DETIK": "0.5"}
HEIC_SIZE = (9000, 6700)  # 60.3 megapixels, a 108-MP phone's binned photo is about this
AUTO_OPEN = b'Attribute VB_Name = "ThisDocument"\r\nSub AutoOpen()\r\nShell "touch /tmp/x"\r\n'


def zip_bomb() -> bytes:
    """A zip of about 250 KB whose one member unpacks to 250 MB of zeros."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("lampiran.pdf", "w", force_zip64=True) as member,
    ):
        for _ in range(250):
            member.write(bytes(1 << 20))
    return buffer.getvalue()


def heic_60_megapixels(target: Path) -> Path:
    """An iPhone-style HEIC whose image header ('ispe') declares 9000×6700 pixels. The picture
    coded inside is small (encoding 60 MP of pixels costs half a minute; 128×96 needs no crop
    box, which would override the declared size), but the reader
    decides from the header, exactly as it must for a real one: nothing is decoded."""
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (128, 96), (250, 250, 250)).save(buffer, format="HEIF", quality=50)
    data = bytearray(buffer.getvalue())
    at = data.find(b"ispe")
    assert at > 0, "no image size box in the HEIC"
    data[at + 8 : at + 16] = struct.pack(">II", *HEIC_SIZE)  # after the box's version/flags
    target.write_bytes(bytes(data))
    return target


def docm_with_auto_open(docx: Path, target: Path) -> Path:
    as_docm(docx, target)
    with zipfile.ZipFile(target, "a") as package:
        package.writestr("word/vbaData.xml", AUTO_OPEN)
    return target


def build(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each hostile file and the words its note in failed/ must hold ('' = registered)."""
    docx = letter_docx(folder / "surat.docx", Submission())
    doc = soffice_convert(docx, "doc:MS Word 97", folder)
    pdf = letter_pdf(folder / "surat.pdf", Submission()).read_bytes()
    mails = {
        "lampiran-500.eml": [(f"foto-{i}.jpg", b"\xff\xd8\xff" + bytes(64)) for i in range(500)],
        "bom-zip.eml": [("arsip.zip", zip_bomb())],
        "nama-jahat.eml": [("../../../luar.txt", b"bukan surat"), ("..\\..\\x.sh", b"rm")],
    }
    for name, attachments in mails.items():
        raw = eml_message(SENDER, "Permohonan", "Terlampir.", attachments).as_bytes()
        (folder / name).write_bytes(raw)
    return {
        "acak.doc": (with_word_stream(doc, folder / "acak.doc", "garbage"), "rusak"),
        "sandi.doc": (with_word_stream(doc, folder / "sandi.doc", "encrypted"), "kata sandi"),
        "lampiran-500.eml": (folder / "lampiran-500.eml", "batas.maks_lampiran"),
        "bom-zip.eml": (folder / "bom-zip.eml", "lampiran"),
        "nama-jahat.eml": (folder / "nama-jahat.eml", "lampiran"),
        "foto-60mp.heic": (heic_60_megapixels(folder / "foto-60mp.heic"), "batas.maks_piksel"),
        "makro.docm": (docm_with_auto_open(docx, folder / "makro.docm"), ""),
        "sesudahnya.pdf": (_written(folder / "sesudahnya.pdf", pdf), ""),
    }


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def wait_for(check: Callable[[], bool], watcher: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert watcher.poll() is None, log.read_text(errors="replace")[-3000:]
        if check():
            return
        time.sleep(0.3)
    pytest.fail(log.read_text(errors="replace")[-3000:])


def registered_names(home: Path) -> set[str]:
    try:
        with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
            return {row[0] for row in db.execute("SELECT original_name FROM files")}
    except sqlite3.Error:
        return set()


def test_hostile_channel_files_are_parked_with_reasons_and_the_watcher_lives(
    tmp_path: Path,
) -> None:
    home, staging = tmp_path / "ws", tmp_path / "masuk"
    staging.mkdir()
    plan = build(staging)
    assert run_pipeline(home, "init", str(home), settings=SETTINGS).returncode == 0
    log = tmp_path / "watch.log"
    watcher = start_ready(home, log, pipeline_env(home, SETTINGS), timeout=240).process
    inbox, failed = home / "inbox", home / "inbox" / "failed"
    try:
        for name, (path, _) in plan.items():
            if name != "sesudahnya.pdf":
                path.rename(inbox / name)
        refused = {n for n, (_, words) in plan.items() if words}
        wait_for(
            lambda: refused <= {p.name for p in failed.glob("*") if p.suffix != ".txt"},
            watcher,
            log,
        )
        plan["sesudahnya.pdf"][0].rename(inbox / "sesudahnya.pdf")
        wait_for(lambda: {"makro.docm", "sesudahnya.pdf"} <= registered_names(home), watcher, log)
        alive = watcher.poll() is None
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
    assert alive and watcher.returncode == 0, log.read_text(errors="replace")[-3000:]
    assert "Traceback" not in log.read_text(errors="replace")
    for name in refused:
        note = (failed / f"{name}{ERROR_NOTE}").read_text(encoding="utf-8")
        assert plan[name][1] in note, (name, note)
    assert not (tmp_path / "luar.txt").exists() and not list(tmp_path.rglob("x.sh"))
    leftovers = [p.name for p in inbox.iterdir() if p.name not in ("failed", ".work")]
    assert not leftovers
