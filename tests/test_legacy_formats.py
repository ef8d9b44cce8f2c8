"""Legacy word-processor files (.doc, .rtf, .odt, .docm) and WebP images reach the register.

Everything here is real: LibreOffice converts (the same warm UNO listener and cold
`soffice --convert-to` the PDF copies use), the real letters of ../shared/real are read, and the
end-to-end test drops files into the inbox of a running `pipeline watch`. The inputs that no
real letter covers (.odt, .docm, .xls, a password-protected and a garbage .doc) are made here
from a generated letter. A warm LibreOffice ends with the pipeline, however the pipeline ends.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import olefile
import psutil
import pytest

from pipeline.convert import OfficeConverter
from pipeline.convert.warm import WORKER
from pipeline.convert.warm import _stop as stop_process
from pipeline.errors import UnreadableFileError
from pipeline.models import Media
from pipeline.readers import read_file
from pipeline.readers.sniff import OLE_MAGIC, sniff
from pipeline.service.intake.extracting import DocxCopies
from tests.factories import Submission, letter_docx
from tests.live_drops import ERROR_NOTE
from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.watcher import start_ready

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
D116 = REAL / "D116_keswan-template_permohonan-sivet_blank.doc"
D118 = REAL / "D118_bpn-agam_undangan-template_placeholders.rtf"
D119 = REAL / "D119_bpn-sumbar_surat-tugas_numeric-date.rtf"
D120 = REAL / "D120_sppd-form_bukti-kehadiran-spd_table.doc"
D107 = REAL / "D107_rs-citrahusada-jember_permohonan-ijin-pelatihan.webp"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not here")
needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")

LETTER = Submission(
    nomor="027/412-Bapenda/IV/2026",
    tanggal="14 April 2026",
    opd="Badan Pendapatan Daerah",
    opd_caps="BADAN PENDAPATAN DAERAH",
    perihal="Permohonan Subdomain Aplikasi Pajak Daerah",
    subdomain="pajakdaerah",
)
SETTINGS = {"PEMANTAU__STABIL_DETIK": "0.5", "KONVERSI__PDF": "false"}
DOCM_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
F_ENCRYPTED = 0x0100


# --------------------------------------------------------------------------- making the inputs


def soffice_convert(src: Path, to: str, outdir: Path) -> Path:
    """How an office makes these files: LibreOffice saves the letter in the older format."""
    profile = f"-env:UserInstallation={(outdir / 'profile').as_uri()}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", to, "--outdir", str(outdir), str(src)],
        capture_output=True,
        timeout=120,
        check=True,
    )
    made = outdir / f"{src.stem}.{to.split(':')[0]}"
    assert made.is_file(), f"LibreOffice made no {to} of {src.name}"
    return made


def as_docm(docx: Path, target: Path) -> Path:
    """The letter as Word saves it with a macro project: macro content type, vbaProject.bin."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(DOCX_TYPE.encode(), DOCM_TYPE.encode())
                data = data.replace(
                    b"</Types>",
                    b'<Default Extension="bin" '
                    b'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            out.writestr(item, data)
        out.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    return target


def with_word_stream(doc: Path, target: Path, change: str) -> Path:
    """A copy of a real .doc whose WordDocument stream is marked encrypted, or is garbage
    after its first 32 bytes (the header that says what it is stays valid)."""
    shutil.copyfile(doc, target)
    with olefile.OleFileIO(str(target), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        if change == "encrypted":
            flags = int.from_bytes(stream[0x0A:0x0C], "little") | F_ENCRYPTED
            stream[0x0A:0x0C] = flags.to_bytes(2, "little")
        else:
            stream[32:] = os.urandom(len(stream) - 32)
        ole.write_stream("WordDocument", bytes(stream))
    return target


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The generated letter as .doc, .odt, .rtf and .docm; an .xls and a .ppt file."""
    if shutil.which("soffice") is None:
        pytest.skip("no LibreOffice")
    folder = tmp_path_factory.mktemp("made")
    docx = letter_docx(folder / "surat-bapenda.docx", LETTER)
    files = {
        "docx": docx,
        "doc": soffice_convert(docx, "doc:MS Word 97", folder),
        "odt": soffice_convert(docx, "odt", folder),
        "rtf": soffice_convert(docx, "rtf", folder),
        "docm": as_docm(docx, folder / "surat-bapenda.docm"),
    }
    files["xls"] = ole_file(folder / "data pegawai.xls", "Workbook")
    files["ppt"] = ole_file(folder / "paparan.ppt", "PowerPoint Document")
    return files


def ole_file(path: Path, stream: str, size: int = 4096) -> Path:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream, as Excel 97
    (stream 'Workbook') or PowerPoint 97 ('PowerPoint Document') write them. Sector 0 is the
    FAT, sector 1 the directory, the stream follows (at the mini-stream cutoff, so no mini
    FAT is needed). LibreOffice here has no Calc to make a real .xls."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    sectors = -(-size // 512)
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    header[24:34] = struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    header[44:60] = struct.pack("<IIII", 1, 1, 0, 4096)  # FAT sectors, directory at 1
    header[60:76] = struct.pack("<IIII", end, 0, end, 0)  # no mini FAT, no DIFAT sectors
    header[76:512] = struct.pack("<I", 0) + struct.pack("<I", free) * 108  # FAT in sector 0
    fat = [fat_sector, end, *range(3, 2 + sectors), end]
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack("<I", free) * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, length: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0" if name else b""
        raw = bytearray(128)
        raw[0 : len(encoded)] = encoded
        raw[64:68] = struct.pack("<HBB", len(encoded), kind, 1)
        raw[68:80] = struct.pack("<III", no_stream, no_stream, child)
        raw[116:128] = struct.pack("<IQ", start, length)
        return bytes(raw)

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(stream, 2, no_stream, 2, size)
        + entry("", 0, no_stream, 0, 0) * 2
    )
    body = bytes(range(256)) * (sectors * 2)
    path.write_bytes(bytes(header) + fat_bytes + directory + body[: sectors * 512])
    return path


# --------------------------------------------------------------------------- recognising


@needs_real
def test_files_are_recognised_by_their_content_whatever_their_name(
    made: dict[str, Path], tmp_path: Path
) -> None:
    renamed = {
        "surat.txt": (D116, Media.DOC),
        "undangan.pdf": (D118, Media.RTF),
        "surat.docx": (made["odt"], Media.ODT),
        "makro.docx": (made["docm"], Media.DOCM),
        "foto.jpg": (D107, Media.IMAGE),
    }
    for name, (source, media) in renamed.items():
        shutil.copyfile(source, tmp_path / name)
        assert sniff(tmp_path / name) is media, name


@needs_real
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda m, t: shutil.copyfile(m["xls"], t / "data.doc"), "lembar kerja Excel lama"),
        (lambda m, t: shutil.copyfile(m["ppt"], t / "paparan.doc"), "presentasi PowerPoint"),
        (lambda m, t: with_word_stream(D116, t / "rahasia.doc", "encrypted"), "kata sandi"),
        (lambda m, t: (t / "potong.doc").write_bytes(D116.read_bytes()[:700]), "rusak"),
    ],
    ids=["xls", "ppt", "password", "truncated"],
)
def test_office_files_that_are_no_word_document_are_refused_with_a_reason(
    made: dict[str, Path], tmp_path: Path, make: object, words: str
) -> None:
    make(made, tmp_path)  # type: ignore[operator]
    (path,) = tmp_path.iterdir()
    with pytest.raises(UnreadableFileError) as refused:
        sniff(path)
    assert words in refused.value.message and path.name in refused.value.message
    assert refused.value.hint


# --------------------------------------------------------------------------- converting


@pytest.fixture
def copies(tmp_path: Path) -> Iterator[DocxCopies]:
    converter = OfficeConverter("soffice", "/usr/bin/python3", 60.0)
    kept = DocxCopies(converter, tmp_path / "archive" / "converted")
    try:
        yield kept
    finally:
        kept.close()


@needs_real
@needs_office
def test_a_hang_or_a_garbage_file_gets_a_reason_and_the_next_file_still_converts(
    copies: DocxCopies, tmp_path: Path
) -> None:
    converter = copies.converter
    assert "PERMOHONAN" in read_file(D116, to_docx=copies).text  # warm LibreOffice is up
    first = converter._office
    assert first is not None and converter.warm_available

    # No conversion of the 1.8 MB RTF answers within 20 ms, however idle the machine (at
    # 0.3 s an idle CI machine once converted it in time): a hang as the user sees it.
    converter.timeout = 0.02
    started = time.monotonic()
    with pytest.raises(UnreadableFileError) as hung:
        read_file(D118, to_docx=copies)
    assert time.monotonic() - started < 5, "a hung conversion must be stopped at its limit"
    assert "0.02 detik" in hung.value.message and "konversi.batas_detik" in (hung.value.hint or "")
    assert not psutil.pid_exists(first.pid) or psutil.Process(first.pid).status() == "zombie"

    converter.timeout = 60.0
    garbage = with_word_stream(D120, tmp_path / "sampah.doc", "garbage")
    with pytest.raises(UnreadableFileError) as refused:
        read_file(garbage, to_docx=copies)
    assert "rusak" in refused.value.message  # LibreOffice fails, or 'reads' random letters
    assert "sampah.doc" in refused.value.message and refused.value.hint

    document = read_file(D120, to_docx=copies)  # a fresh LibreOffice takes the next file
    assert document.media is Media.DOC and "BUKTI KEHADIRAN" in document.text
    assert converter.starts >= 2
    assert not list(copies.folder.rglob(".*.tmp")), "no half-written copy is left behind"


@needs_real
@needs_office
def test_converted_copies_are_kept_by_content_and_never_made_twice(
    copies: DocxCopies, tmp_path: Path
) -> None:
    renamed = tmp_path / "surat tugas (1).rtf"
    shutil.copyfile(D119, renamed)
    first = read_file(D119, to_docx=copies)
    kept = copies.path_for(D119)
    assert kept.is_file() and kept.parent.parent == copies.folder
    stamp = kept.stat().st_mtime_ns
    again = read_file(renamed, to_docx=copies)  # same bytes, other name: the same copy
    assert kept.stat().st_mtime_ns == stamp and again.text == first.text
    assert "Nomor: 212/ST-100.1/III/2021" in first.text
    assert "SURAT TUGASNomor" not in first.text  # a line break in a table cell is a space


@needs_office
def test_a_docm_is_read_from_a_copy_that_carries_no_macros(
    made: dict[str, Path], copies: DocxCopies
) -> None:
    document = read_file(made["docm"], to_docx=copies)
    assert document.media is Media.DOCM and LETTER.nomor in document.text
    with zipfile.ZipFile(copies.path_for(made["docm"])) as copy:
        assert not [n for n in copy.namelist() if "vbaProject" in n]
        assert b"macroEnabled" not in copy.read("[Content_Types].xml")


# --------------------------------------------------------------------------- `pipeline extract`


@needs_real
@needs_office
def test_extract_json_reads_every_legacy_format_and_says_its_medium(
    made: dict[str, Path], tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    files = [made["docx"], made["doc"], made["odt"], made["rtf"], made["docm"]]
    files += [D116, D120, D118, D119, made["xls"]]
    done = run_pipeline(home, "extract", "--json", *map(str, files), settings=SETTINGS)
    results = {Path(r["file"]).name: r for r in map(json.loads, done.stdout.splitlines())}
    assert done.returncode == 1, done.stderr  # the .xls is refused, the rest is read
    original = results[made["docx"].name]
    assert original["medium"] == "docx" and original["fields"]["nomor_surat"] == LETTER.nomor
    assert original["fields"]["perihal"] == LETTER.perihal
    assert original["fields"]["tanggal_surat"] == "2026-04-14"
    assert LETTER.subdomain in original["fields"]["subdomain"]
    for medium in ["doc", "odt", "rtf", "docm"]:
        result = results[made[medium].name]
        assert result["ok"] and result["medium"] == medium, result
        # the same letter saved in an older format reads exactly as the DOCX does
        assert result["fields"] == original["fields"], medium
        assert result["kind"] == original["kind"] and result["missing"] == original["missing"]
    for real, medium in [(D116, "doc"), (D120, "doc"), (D118, "rtf"), (D119, "rtf")]:
        result = results[real.name]
        assert result["ok"] and result["medium"] == medium and result["kind"] == "other"
    assert results[D119.name]["fields"]["tanggal_surat"] == "2021-03-25"
    refused = results[made["xls"].name]
    assert not refused["ok"] and refused["medium"] is None
    assert "lembar kerja Excel lama" in refused["error"]
    assert not list(home.glob("archive/converted/**/*.docx")), "extract leaves no copies"


@needs_real
def test_extract_reads_the_webp_letter_by_ocr(tmp_path: Path) -> None:
    done = run_pipeline(tmp_path / "ws", "extract", "--json", str(D107), settings=SETTINGS)
    (result,) = map(json.loads, done.stdout.splitlines())
    assert done.returncode == 0, done.stderr
    assert result["medium"] == "image" and result["ocr_pages"] == [1]
    assert result["fields"]["perihal"] == "Permohonan Ijin Pelatihan"


# --------------------------------------------------------------------------- the watcher


def wait_for(condition: object, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"watcher died:\n{log.read_text(errors='replace')}"
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    pytest.fail(f"timed out; watcher log:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.mark.slow
@needs_real
@needs_office
def test_a_running_watcher_registers_a_doc_and_parks_what_it_cannot_read(
    made: dict[str, Path], tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    assert run_pipeline(home, "init", str(home), settings=SETTINGS).returncode == 0
    log = tmp_path / "watch.log"
    watcher = start_ready(home, log, pipeline_env(home, SETTINGS)).process
    inbox, failed = home / "inbox", home / "inbox" / "failed"
    try:
        dropped = {
            "Surat Bapenda.doc": made["doc"].read_bytes(),
            "surat-tugas.rtf": D119.read_bytes(),
            "rusak.doc": with_word_stream(D116, tmp_path / "x.doc", "garbage").read_bytes(),
            "data pegawai.xls": made["xls"].read_bytes(),
        }
        for name, data in dropped.items():
            (inbox / name).write_bytes(data)
        notes = {"rusak.doc" + ERROR_NOTE, "data pegawai.xls" + ERROR_NOTE}
        wait_for(
            lambda: notes <= {p.name for p in failed.iterdir()} and registered(home) >= 2,
            watcher,
            log,
        )
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
    assert watcher.returncode == 0, log.read_text(errors="replace")

    with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT original_name, media, archived_path, sha256 FROM files")
        files = {name: (media, Path(path), sha) for name, media, path, sha in rows}
        numbers = [n for (n,) in db.execute("SELECT nomor_surat FROM requests")]
    media, archived, sha = files["Surat Bapenda.doc"]
    assert media == "doc" and LETTER.nomor in numbers
    assert archived.read_bytes() == dropped["Surat Bapenda.doc"], "original kept byte-identical"
    assert sha == hashlib.sha256(dropped["Surat Bapenda.doc"]).hexdigest()
    copy = home / "archive" / "converted" / sha[:2] / f"{sha}.docx"
    assert copy.is_file() and zipfile.is_zipfile(copy), "the DOCX copy is kept as derived file"
    assert files["surat-tugas.rtf"][0] == "rtf"

    garbage = (failed / ("rusak.doc" + ERROR_NOTE)).read_text(encoding="utf-8")
    assert "rusak.doc" in garbage and "rusak," in garbage
    workbook = (failed / ("data pegawai.xls" + ERROR_NOTE)).read_text(encoding="utf-8")
    assert "lembar kerja Excel lama" in workbook
    assert (failed / "rusak.doc").read_bytes() == dropped["rusak.doc"]
    assert not list(inbox.glob("*.doc")), "nothing is left waiting in the inbox"


def registered(home: Path) -> int:
    try:
        with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
            return int(db.execute("SELECT count(*) FROM files").fetchone()[0])
    except sqlite3.Error:
        return 0


@needs_office
def test_pdf_copies_yield_the_cpu_to_the_intake(tmp_path: Path) -> None:
    """LibreOffice making PDF copies in the background runs at a lower priority than the
    intake, whose own LibreOffice (reading a .doc now) does not."""
    source = letter_docx(tmp_path / "surat.docx", LETTER)
    background = OfficeConverter("soffice", "/usr/bin/python3", 60.0, background=True)
    intake = OfficeConverter("soffice", "/usr/bin/python3", 60.0)
    try:
        background.convert(source, tmp_path / "surat.pdf")
        intake.convert(source, tmp_path / "surat-2.pdf")
        assert (tmp_path / "surat.pdf").read_bytes().startswith(b"%PDF")
        mine = os.nice(0)
        for converter, expected in ((background, mine + 10), (intake, mine)):
            office = converter._office
            assert office is not None and office.poll() is None
            tree = [psutil.Process(office.pid), *psutil.Process(office.pid).children(True)]
            assert {p.nice() for p in tree} == {min(expected, 19)}
    finally:
        background.close()
        intake.close()


HOLDER = """
import sys, time
from pathlib import Path
from pipeline.convert import OfficeConverter
converter = OfficeConverter("soffice", "/usr/bin/python3", 60.0)
converter.convert(Path(sys.argv[1]), Path(sys.argv[2]))
assert converter._office is not None and converter._worker is not None
print(converter._office.pid, converter._worker.pid, flush=True)
time.sleep(600)
"""


@needs_office
def test_a_worker_whose_pipeline_died_while_it_started_ends_the_office() -> None:
    """The pipeline killed between starting LibreOffice and its converter worker being ready
    (loading `uno` takes a while): the worker finds another parent than the pipeline that
    named itself, and ends the office at once instead of serving nobody. A process group
    stands in for the office; the pipeline's pid is one that has already ended."""
    office = subprocess.Popen(["sleep", "120"], start_new_session=True)
    gone = subprocess.Popen(["true"])
    gone.wait()
    worker = subprocess.Popen(
        ["/usr/bin/python3", str(WORKER), "pipeline-nobody", str(office.pid), str(gone.pid)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert office.wait(timeout=10.0) is not None  # ended by the worker, long before 120 s
        assert worker.wait(timeout=10.0) != 0
    finally:
        for process in (office, worker):
            process.kill()
            process.wait()


def test_a_hung_worker_is_killed_at_once_not_asked_to_stop() -> None:
    """A converter worker stuck inside a LibreOffice call unwinds a stop request (SIGTERM) only
    once that call returns, which a hang never does in time; a hung worker is therefore killed
    at once, so the hang ends at its limit (in CI it once took the 10 s a refused request is
    given). A process that does not end on SIGTERM stands in for the stuck worker."""
    stuck = subprocess.Popen(
        [sys.executable, "-c", STUCK],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert stuck.stdout is not None and stuck.stdout.readline().strip() == "ready"
    started = time.monotonic()
    try:
        stop_process(stuck, grace=0.0)
        assert stuck.poll() is not None
        assert time.monotonic() - started < 2.0
    finally:
        stuck.kill()
        stuck.wait()


STUCK = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
print("ready", flush=True)
time.sleep(60)
"""


def _office_gone(office: int, within: float) -> bool:
    """No process of the office's group (the launcher, soffice.bin) is left after `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        left = [p for p in psutil.process_iter() if _group_of(p) == office and _running(p)]
        if not left:
            return True
        time.sleep(0.2)
    return False


def _running(process: psutil.Process) -> bool:
    """Alive, not a zombie waiting for its parent to collect its exit status."""
    try:
        return bool(process.status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _group_of(process: psutil.Process) -> int | None:
    try:
        return os.getpgid(process.pid)
    except (ProcessLookupError, psutil.Error):
        return None


@needs_office
@pytest.mark.parametrize("ending", ["pipeline killed", "worker stopped"])
def test_no_warm_libreoffice_outlives_the_pipeline(ending: str, tmp_path: Path) -> None:
    """A pipeline killed outright (kill -9, an out-of-memory kill) or a converter worker asked
    to stop takes its warm LibreOffice with it: nothing is left running on the office's
    machine."""
    source = letter_docx(tmp_path / "surat.docx", LETTER)
    script = tmp_path / "holder.py"
    script.write_text(HOLDER, encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, str(script), str(source), str(tmp_path / "surat.pdf")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    office, worker = (int(pid) for pid in holder.stdout.readline().split())
    try:
        assert (tmp_path / "surat.pdf").read_bytes().startswith(b"%PDF")
        if ending == "pipeline killed":
            holder.kill()
        else:
            os.kill(worker, signal.SIGTERM)
        assert _office_gone(office, within=15.0)
    finally:
        holder.kill()
        holder.wait()
        with contextlib.suppress(OSError):  # a failed run leaves no LibreOffice behind
            os.killpg(office, signal.SIGKILL)
