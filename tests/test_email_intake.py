"""E-mails in the inbox: a saved .eml or an Outlook .msg is one submission of its attachments.

Everything is real: the e-mails are built with the standard library's `email` package (and an
Outlook .msg with MS-OXMSG properties in an OLE2 file written by extract-msg's OleWriter), the
attachments are generated letters and forms, and the register is a real workspace. The running
watcher test drops both kinds into the inbox of a real `pipeline watch`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sqlite3
import subprocess
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from sqlmodel import Session, col, select

from pipeline.errors import UnreadableFileError
from pipeline.inbox import Claim
from pipeline.models import Media
from pipeline.readers import read_file
from pipeline.readers.email_message import read_email
from pipeline.readers.sniff import sniff
from pipeline.register.tables import Event, ReceivedFile, Request
from pipeline.service.context import Services
from pipeline.service.intake.ingest import IngestOutcome, ingest_claim
from pipeline.service.queries.listing import RequestFilter, list_requests
from pipeline.settings import Batas
from tests.factories import Submission, form_pdf, letter_pdf
from tests.live_drops import ERROR_NOTE
from tests.live_process import pipeline_env, run_pipeline
from tests.mail_factories import MsgItem, eml_message, msg_bytes
from tests.reliability.watcher import start_ready

SENDER = "Siti Aminah <siti.dinkes@bantenprov.go.id>"
SUBJECT = "Permohonan integrasi SIKESEHATAN — Dinas Kesehatan"
BODY_WORD = "kelengkapannya"  # only in the e-mail's text, never in the letter or the form
BODY = (
    "Yth. Bapak/Ibu di Diskominfo SP,\n\nBersama surel ini kami kirimkan surat permohonan "
    f"integrasi beserta {BODY_WORD}. Formulir diteruskan dari bagian umum.\n\nSalam,\nSiti"
)
LETTER_NAME = "Surat Permohonan – Dinas Kesehatan (asli).pdf"  # non-ASCII: RFC 2231 encoded
FORM_NAME = "Formulir Pengajuan Integrasi — DINKES.pdf"
SCHEMA = "CREATE TABLE pasien (id INT PRIMARY KEY, nama VARCHAR(100));\n"
WHEN = datetime(2026, 10, 6, 9, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("pdf")
    submission = Submission()
    return {
        "letter": letter_pdf(folder / "l.pdf", submission).read_bytes(),
        "form": form_pdf(folder / "f.pdf", submission).read_bytes(),
    }


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def full_email(pdfs: dict[str, bytes]) -> bytes:
    """The letter attached with an encoded name, the form inside a forwarded message, the
    database structure inside a zip; the text only as HTML (as webmail sends it)."""
    forwarded = eml_message(
        "Bagian Umum Dinkes <umum.dinkes@bantenprov.go.id>",
        "Formulir integrasi",
        "Terlampir formulirnya.",
        [(FORM_NAME, pdfs["form"])],
    )
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n")) + "</body></html>"
    message = EmailMessage()
    for header in ("From", "To", "Date", "Message-ID"):
        message[header] = eml_message(SENDER, SUBJECT, "", date=WHEN)[header]
    message["Subject"] = SUBJECT
    message.set_content(html, subtype="html")
    message.add_attachment(pdfs["letter"], maintype="application", subtype="pdf")
    message.get_payload()[-1].replace_header(  # as Thunderbird writes it (RFC 2231)
        "Content-Disposition", f"attachment; filename*=utf-8''{quote(LETTER_NAME)}"
    )
    message.add_attachment(forwarded)
    structure = zipped({"struktur/struktur-data.sql": SCHEMA.encode()})
    message.add_attachment(
        structure, maintype="application", subtype="zip", filename="struktur data.zip"
    )
    raw = message.as_bytes()
    # The form's name as Outlook and Gmail write it: RFC 2047 words inside quotes.
    encoded = base64.b64encode(FORM_NAME.encode()).decode()
    rfc2231 = f"filename*=utf-8''{quote(FORM_NAME)}".encode()
    assert rfc2231 in raw
    return raw.replace(rfc2231, f'filename="=?UTF-8?B?{encoded}?="'.encode())


def claim_of(services: Services, path: Path) -> Claim:
    """The file as the watcher hands it on: moved into a work folder."""
    work = services.settings.work / "test"
    work.mkdir(parents=True, exist_ok=True)
    target = work / path.name
    path.rename(target)
    return Claim(original=path, path=target, submission=None)


def ingest(services: Services, name: str, data: bytes) -> IngestOutcome:
    dropped = services.settings.inbox / name
    dropped.parent.mkdir(parents=True, exist_ok=True)
    dropped.write_bytes(data)
    return ingest_claim(services, claim_of(services, dropped))


def failed_notes(services: Services) -> dict[str, str]:
    failed = services.settings.failed
    if not failed.is_dir():
        return {}
    return {
        p.name.removesuffix(ERROR_NOTE): p.read_text(encoding="utf-8")
        for p in failed.glob(f"*{ERROR_NOTE}")
    }


# --------------------------------------------------------------------------- recognising


def test_e_mails_are_recognised_by_content_whatever_their_name(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    eml = tmp_path / "pesan tanpa akhiran"
    eml.write_bytes(eml_message(SENDER, SUBJECT, BODY).as_bytes())
    thunderbird = tmp_path / "thunderbird.txt"  # mbox-style 'From ' line first
    thunderbird.write_bytes(b"From - Tue Oct 06 09:30:00 2026\r\n" + eml.read_bytes())
    msg = msg_bytes(
        MsgItem("Siti", "siti@bantenprov.go.id", "Permohonan", BODY, WHEN), tmp_path / "x.bin"
    )
    assert sniff(eml) is Media.EML
    assert sniff(thunderbird) is Media.EML
    assert sniff(msg) is Media.MSG
    notes = tmp_path / "catatan.eml"  # a text that merely looks like 'Name: value'
    notes.write_bytes(b"Catatan: rapat hari Senin\nPeserta: semua kepala seksi\n")
    with pytest.raises(UnreadableFileError, match="tidak dikenali"):
        sniff(notes)
    with pytest.raises(UnreadableFileError, match="surel"):
        read_file(eml)  # an e-mail is read through its attachments, never as one document


def test_the_reader_opens_forwards_and_zips_and_decodes_names(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    raw = full_email(pdfs)
    assert b"filename*0*=utf-8''Surat%20Permohonan%20%E2%80%93" in raw, "RFC 2231, continued"
    assert b'filename="=?UTF-8?B?' in raw, "RFC 2047 on the wire"
    target = tmp_path / "full.eml"
    target.write_bytes(raw)
    message = read_email(target, Media.EML)
    names = {a.name: a for a in message.attachments}
    assert set(names) == {LETTER_NAME, FORM_NAME, "struktur-data.sql"}
    assert names[FORM_NAME].data == pdfs["form"] and "pesan terusan" in names[FORM_NAME].via
    assert names["struktur-data.sql"].via == "arsip 'struktur data.zip'"
    assert message.sender == "siti.dinkes@bantenprov.go.id" and message.sender_name == "Siti Aminah"
    assert message.subject == SUBJECT and message.date == WHEN
    assert BODY_WORD in message.body and "<p>" not in message.body, "HTML body read as text"
    assert "Bagian Umum Dinkes" in message.forwarded[0]


def test_a_logo_inside_the_html_text_is_no_attachment(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    """Outlook names the signature's logo image001.png and sends it inline with a Content-ID:
    it belongs to the text, and is never read (or OCR'd) as a file of the submission."""
    message = eml_message(SENDER, SUBJECT, BODY)
    message.add_alternative('<p>Salam</p><img src="cid:logo001">', subtype="html")
    html = message.get_body(preferencelist=("html",))
    assert html is not None
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    html.add_related(
        png, "image", "png", cid="<logo001>", disposition="inline", filename="image001.png"
    )
    message.add_attachment(pdfs["letter"], maintype="application", subtype="pdf", filename="s.pdf")
    target = tmp_path / "logo.eml"
    target.write_bytes(message.as_bytes())
    assert [a.name for a in read_email(target, Media.EML).attachments] == ["s.pdf"]


# --------------------------------------------------------------------------- extract


def test_extract_prints_each_attachment_and_the_merged_submission(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    eml = tmp_path / "permohonan.eml"
    eml.write_bytes(full_email(pdfs))
    done = run_pipeline(tmp_path / "ws", "extract", "--json", str(eml))
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stdout + done.stderr
    assert [Path(r["file"]).name for r in results] == [
        LETTER_NAME,
        FORM_NAME,
        "struktur-data.sql",
        "permohonan.eml",
    ]
    letter, form, _, mail = results
    assert letter["kind"] == "letter" and letter["medium"] == "pdf"
    assert form["kind"] == "form"
    assert mail["medium"] == "eml" and mail["kind"] == "letter+form" and mail["missing"] == []
    expected = Submission()
    fields = mail["fields"]
    assert fields["nomor_surat"] == expected.nomor and fields["opd"] == expected.opd
    assert fields["perihal"] == expected.perihal
    assert fields["penanggung_jawab"]["nama"] == expected.nama
    assert fields["penanggung_jawab"]["email"] == expected.email
    assert mail["email"]["pengirim"] == "siti.dinkes@bantenprov.go.id"
    assert mail["email"]["subjek"] == SUBJECT
    assert mail["email"]["tanggal"] == WHEN.isoformat()


def test_extract_reads_an_outlook_msg_and_its_forwarded_item(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    msg = msg_bytes(outlook_item(pdfs), tmp_path / "permohonan.msg")
    done = run_pipeline(tmp_path / "ws", "extract", "--json", str(msg))
    assert done.returncode == 0, done.stdout + done.stderr
    *parts, mail = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(p["kind"] for p in parts) == ["form", "letter"]
    assert mail["medium"] == "msg" and mail["kind"] == "letter+form" and mail["missing"] == []
    assert mail["fields"]["subdomain"].startswith(Submission().subdomain)
    assert mail["email"]["pengirim"] == "siti.dinkes@bantenprov.go.id"
    assert mail["email"]["tanggal"] == WHEN.isoformat()


def outlook_item(pdfs: dict[str, bytes]) -> MsgItem:
    forward = MsgItem(
        "Bagian Umum",
        "umum.dinkes@bantenprov.go.id",
        "FW: formulir",
        "Formulir terlampir.",
        WHEN,
        [(FORM_NAME, pdfs["form"])],
    )
    return MsgItem(
        "Siti Aminah",
        "siti.dinkes@bantenprov.go.id",
        SUBJECT,
        BODY,
        WHEN,
        [(LETTER_NAME, pdfs["letter"])],
        [forward],
    )


# --------------------------------------------------------------------------- the register


def test_an_e_mail_is_one_complete_request_with_its_sender_subject_date_and_text(
    services: Services, pdfs: dict[str, bytes]
) -> None:
    raw = full_email(pdfs)
    outcome = ingest(services, "permohonan dinkes.eml", raw)
    assert outcome.status == "registered", outcome
    with Session(services.engine) as session:
        requests = session.exec(select(Request)).all()
        files = session.exec(select(ReceivedFile).order_by(col(ReceivedFile.id))).all()
        notes = session.exec(select(Event).where(Event.action == "surel")).all()
    assert len(requests) == 1
    request = requests[0]
    assert request.status == "awaiting_kadis" and request.missing == [], request.missing
    assert request.pj_nama == Submission().nama and request.nomor_surat == Submission().nomor
    kinds = {f.original_name: f.kind for f in files}
    assert kinds == {
        f"permohonan dinkes - {LETTER_NAME}": "letter",
        f"permohonan dinkes - {FORM_NAME}": "form",
        "permohonan dinkes - struktur-data.sql": "struktur-data",
        "permohonan dinkes.eml": "surel",
    }
    assert {f.request_id for f in files} == {request.id}
    mail = next(f for f in files if f.kind == "surel")
    assert mail.media == "eml" and mail.sha256 == hashlib.sha256(raw).hexdigest()
    archived = services.settings.workspace / mail.archived_path
    assert archived.read_bytes() == raw, "the e-mail is archived byte-identical"
    recorded = mail.fields["surel"]
    assert recorded["pengirim"] == "siti.dinkes@bantenprov.go.id"
    assert recorded["subjek"] == SUBJECT and recorded["tanggal"] == WHEN.isoformat()
    assert BODY_WORD in recorded["isi"]
    assert len(notes) == 1 and BODY_WORD in (notes[0].note or "")
    assert "siti.dinkes@bantenprov.go.id" in (notes[0].note or "")
    found = list_requests(services, RequestFilter(q=BODY_WORD))
    assert [r["id"] for r in found] == [request.id], "the e-mail's text is searchable"
    assert not failed_notes(services)
    assert not list(services.settings.work.glob(".surel-*")), "no attachment copies left"

    again = ingest(services, "lagi.eml", raw)
    assert again.status == "duplicate" and again.request_id == request.id
    with Session(services.engine) as session:
        assert len(session.exec(select(Request)).all()) == 1


def test_an_outlook_msg_is_one_complete_request(
    services: Services, pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    msg = msg_bytes(outlook_item(pdfs), tmp_path / "x.msg").read_bytes()
    outcome = ingest(services, "Permohonan.msg", msg)
    assert outcome.status == "registered", outcome
    with Session(services.engine) as session:
        request = session.exec(select(Request)).one()
        mail = session.exec(select(ReceivedFile).where(ReceivedFile.media == "msg")).one()
    assert request.status == "awaiting_kadis" and request.missing == []
    assert mail.request_id == request.id and mail.kind == "surel"
    assert mail.fields["surel"]["pengirim"] == "siti.dinkes@bantenprov.go.id"
    assert "Bagian Umum" in mail.fields["surel"]["terusan"][0]


def test_a_bad_attachment_is_parked_with_its_reason_and_the_rest_registered(
    services: Services, pdfs: dict[str, bytes]
) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nol.bin", bytes(300 * 1024 * 1024))  # 300 MB of zeros, ~300 KB zipped
    attachments = [
        ("surat.pdf", pdfs["letter"]),
        ("../../../etc/formulir.pdf", pdfs["form"]),  # tries to climb out of the folder
        ("lampiran terpotong.pdf", pdfs["letter"].replace(b"Dinas", b"Dinaz")[:900]),
        ("data.zip", bomb.getvalue()),
        ("paparan.pptx", zipped({"[Content_Types].xml": b"<Types/>", "ppt/p.xml": b"<p/>"})),
    ]
    raw = eml_message(SENDER, SUBJECT, BODY, attachments).as_bytes()
    outcome = ingest(services, "campuran.eml", raw)
    assert outcome.status == "registered", outcome
    assert "2 gagal" in outcome.message
    with Session(services.engine) as session:
        request = session.exec(select(Request)).one()
        files = {f.original_name: f for f in session.exec(select(ReceivedFile)).all()}
    assert request.missing == [], "letter and form still make a complete request"
    assert files["campuran - formulir.pdf"].kind == "form", "../ dropped from the name"
    assert files["campuran - paparan.pptx"].kind == "lampiran"
    assert files["campuran - paparan.pptx"].request_id == request.id
    workspace = services.settings.workspace.resolve()
    assert all(
        (workspace / f.archived_path).resolve().is_relative_to(workspace) for f in files.values()
    )
    notes = failed_notes(services)
    assert set(notes) == {"campuran - lampiran terpotong.pdf", "campuran - data.zip"}
    assert "zip bomb" in notes["campuran - data.zip"]
    assert "batas.maks_byte_terbuka" in notes["campuran - data.zip"]
    assert (services.settings.failed / "campuran - data.zip").read_bytes() == bomb.getvalue()
    truncated = notes["campuran - lampiran terpotong.pdf"]
    assert "rusak" in truncated or "terpotong" in truncated, truncated


def test_without_attachments_a_letter_in_the_text_is_registered_anything_else_parked(
    services: Services,
) -> None:
    letter = (
        "Dengan hormat,\nBersama ini kami sampaikan undangan rapat koordinasi pengelolaan "
        "data statistik sektoral tingkat provinsi yang akan dilaksanakan pada hari Kamis, "
        "8 Oktober 2026 bertempat di ruang rapat Diskominfo SP. Mohon kehadiran Bapak/Ibu "
        "atau pejabat yang ditunjuk.\nHormat kami,\nSekretariat Bappeda"
    )
    other = ingest(
        services, "undangan.eml", eml_message(SENDER, "Undangan rapat", letter).as_bytes()
    )
    assert other.status == "other", other
    with Session(services.engine) as session:
        row = session.exec(select(ReceivedFile)).one()
        note = session.exec(select(Event).where(Event.action == "surat-lain")).one()
    assert row.kind == "other" and row.media == "eml" and row.request_id is None
    assert "undangan rapat koordinasi" in (note.note or "")

    empty = ingest(services, "kosong.eml", eml_message(SENDER, "Fw:", "Terlampir.").as_bytes())
    assert empty.status == "failed"
    reason = failed_notes(services)["kosong.eml"]
    assert "tidak membawa lampiran surat atau formulir" in reason
    assert (services.settings.failed / "kosong.eml").is_file()


def test_an_e_mail_with_hundreds_of_attachments_is_refused(services: Services) -> None:
    many = [(f"foto-{i}.txt", f"isi {i}".encode()) for i in range(500)]
    raw = eml_message(SENDER, "Banyak lampiran", BODY, many).as_bytes()
    outcome = ingest(services, "banyak.eml", raw)
    assert outcome.status == "failed"
    reason = failed_notes(services)["banyak.eml"]
    assert "lebih dari 50 lampiran" in reason and "batas.maks_lampiran" in reason
    with Session(services.engine) as session:
        assert not session.exec(select(ReceivedFile)).all()


def test_a_zip_whose_members_lie_about_their_size_is_refused(tmp_path: Path) -> None:
    """A member that unpacks to more than its directory entry says is stopped at the
    declared size, never unpacked in full."""
    data = bytearray(zipped({"a.txt": b"x" * 5000}))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # claims 10 bytes
    raw = eml_message(SENDER, SUBJECT, BODY, [("x.zip", bytes(data))]).as_bytes()
    mail = tmp_path / "x.eml"
    mail.write_bytes(raw)
    message = read_email(mail, Media.EML, Batas())
    assert not message.attachments and len(message.refused) == 1


# --------------------------------------------------------------------------- the watcher


def wait_for(
    condition: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, seconds: float
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"watcher died:\n{log.read_text(errors='replace')}"
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out; watcher log:\n{log.read_text(errors='replace')[-3000:]}")


def requests_of(home: Path) -> list[dict[str, Any]]:
    try:
        with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM requests ORDER BY id")]
    except sqlite3.Error:
        return []


@pytest.mark.slow
def test_a_running_watcher_registers_a_dropped_eml_and_msg(
    pdfs: dict[str, bytes], tmp_path: Path
) -> None:
    home = tmp_path / "ws"
    settings = {"PEMANTAU__STABIL_DETIK": "0.5"}
    assert run_pipeline(home, "init", str(home), settings=settings).returncode == 0
    log = tmp_path / "watch.log"
    watcher = start_ready(home, log, pipeline_env(home, settings)).process
    try:
        (home / "inbox" / "dinkes.eml").write_bytes(full_email(pdfs))
        second = Submission(
            nomor="027/55-Bapenda/X/2026",
            opd="Badan Pendapatan Daerah",
            opd_caps="BADAN PENDAPATAN DAERAH",
            subdomain="pajakdaerah",
            nama="Rudi Hartono, S.T.",
            email="rudi.bapenda@bantenprov.go.id",
        )
        folder = tmp_path / "bapenda"
        folder.mkdir()
        item = MsgItem(
            "Rudi",
            "rudi.bapenda@bantenprov.go.id",
            "Permohonan subdomain pajakdaerah",
            "Terlampir surat dan formulir.",
            WHEN,
            [
                ("surat.pdf", letter_pdf(folder / "l.pdf", second).read_bytes()),
                ("formulir.pdf", form_pdf(folder / "f.pdf", second).read_bytes()),
            ],
        )
        msg_bytes(item, home / "inbox" / "bapenda.msg")
        wait_for(
            lambda: sum(r["status"] == "awaiting_kadis" for r in requests_of(home)) == 2,
            watcher,
            log,
            90,
        )
    finally:
        watcher.terminate()
        watcher.wait(timeout=30)
    assert watcher.returncode == 0, log.read_text(errors="replace")
    requests = requests_of(home)
    assert len(requests) == 2 and all(r["missing"] == "[]" for r in requests)
    assert {r["opd"] for r in requests} == {"Dinas Kesehatan", "Badan Pendapatan Daerah"}
    assert not [p for p in (home / "inbox").iterdir() if p.name not in ("failed", ".work")]
    assert not list((home / "inbox" / "failed").glob("*"))


# --------------------------------------------------------------------------- a generated corpus

MONTHS = {
    "Januari": 1, "Februari": 2, "Maret": 3, "April": 4, "Mei": 5, "Juni": 6, "Juli": 7,
    "Agustus": 8, "September": 9, "Oktober": 10, "November": 11, "Desember": 12,
}  # fmt: skip
OPDS = (
    ("Dinas Kesehatan", "DINAS KESEHATAN", "Dinkes"),
    ("Badan Pendapatan Daerah", "BADAN PENDAPATAN DAERAH", "Bapenda"),
    ("Badan Kepegawaian Daerah", "BADAN KEPEGAWAIAN DAERAH", "BKD"),
    ("Inspektorat", "INSPEKTORAT", "Inspektorat"),
)
SHAPES = ("plain", "html-only", "rfc2047", "forward", "zip", "docx", "one-pdf", "msg")


def corpus_submission(index: int) -> Submission:
    opd, caps, short = OPDS[index % len(OPDS)]
    day, month = 1 + index % 27, list(MONTHS)[index % 12]
    return Submission(
        nomor=f"{400 + index}/{100 + index}-{short}/{index % 12 + 1}/2026",
        tanggal=f"{day} {month} 2026",
        opd=opd,
        opd_caps=caps,
        perihal=f"Permohonan Integrasi Aplikasi Layanan Nomor {index + 1}",
        subdomain=f"layanan{chr(97 + index % 26)}{chr(97 + index // 26)}",
        nama=f"Andi Wijaya {chr(65 + index % 26)}, S.Kom.",
        telepon=f"0812-3456-{7000 + index:04d}",
        email=f"andi{index}@bantenprov.go.id",
        jabatan="Kepala Subbagian Umum dan Kepegawaian",
    )


def expected_fields(s: Submission) -> dict[str, str]:
    day, month, year = s.tanggal.split()
    return {
        "nomor_surat": s.nomor,
        "tanggal_surat": f"{year}-{MONTHS[month]:02d}-{int(day):02d}",
        "opd": s.opd,
        "perihal": s.perihal,
        "subdomain": f"{s.subdomain}.bantenprov.go.id",
        "penanggung_jawab.nama": s.nama,
        "penanggung_jawab.telepon": "+62" + s.telepon.replace("-", "")[1:],
        "penanggung_jawab.email": s.email,
        "penanggung_jawab.jabatan": s.jabatan,
    }


def corpus_mail(index: int, folder: Path) -> Path:
    """One e-mail of the corpus, in the shape its index picks."""
    from tests.factories import form_docx, letter_docx

    s, shape = corpus_submission(index), SHAPES[index % len(SHAPES)]
    work = folder / f"m{index}"
    work.mkdir()
    letter = letter_pdf(work / "l.pdf", s).read_bytes()
    form = form_pdf(work / "f.pdf", s).read_bytes()
    files = [(f"Surat {s.opd} {s.nomor.replace('/', '-')}.pdf", letter), ("Formulir.pdf", form)]
    sender = f"{s.nama} <{s.email}>"
    subject = f"Permohonan integrasi {s.subdomain}"
    if shape == "msg":
        item = MsgItem(s.nama, s.email, subject, BODY, WHEN, files)
        return msg_bytes(item, folder / f"m{index}.msg")
    if shape == "docx":
        files = [
            ("surat.docx", letter_docx(work / "l.docx", s).read_bytes()),
            ("formulir.docx", form_docx(work / "f.docx", s).read_bytes()),
        ]
    elif shape == "one-pdf":
        files = [
            ("surat+formulir.pdf", letter_pdf(work / "lf.pdf", s, with_form=True).read_bytes())
        ]
    elif shape == "zip":
        files = [("berkas permohonan.zip", zipped(dict(files)))]
    elif shape == "forward":
        inner = eml_message("Bagian Umum <umum@bantenprov.go.id>", "Fw", "Terlampir.", files[1:])
        message = eml_message(sender, subject, BODY, files[:1])
        message.add_attachment(inner)
        target = folder / f"m{index}.eml"
        target.write_bytes(message.as_bytes())
        return target
    html = "<p>" + BODY.replace("\n", "<br>") + "</p>" if shape == "html-only" else None
    message = eml_message(sender, subject, BODY, files)
    if html is not None:
        message = EmailMessage()
        for header in ("From", "To", "Subject", "Date", "Message-ID"):
            message[header] = eml_message(sender, subject, "")[header]
        message.set_content(html, subtype="html")
        for name, data in files:
            message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    raw = message.as_bytes()
    if shape == "rfc2047":
        for name, _ in files:
            rfc2231 = f"filename*=utf-8''{quote(name)}".encode()
            plain = f'filename="{name}"'.encode()
            encoded = f'filename="=?UTF-8?B?{base64.b64encode(name.encode()).decode()}?="'
            raw = raw.replace(rfc2231, encoded.encode()).replace(plain, encoded.encode())
    target = folder / f"m{index}.eml"
    target.write_bytes(raw)
    return target


def test_a_generated_corpus_of_e_mails_reads_every_field(tmp_path: Path) -> None:
    """Sixteen e-mails, two of each shape (plain, HTML-only, encoded names, a forward, a zip,
    Word attachments, letter and form in one PDF, Outlook .msg), read by `extract` in one
    batch: each one complete submission, and the fields of all of them at least 99 % right."""
    from pipeline.service.context import make_matcher
    from pipeline.service.intake.extracting import extract_paths
    from pipeline.settings import Settings

    settings = Settings(workspace=tmp_path)
    mails = [corpus_mail(i, tmp_path) for i in range(2 * len(SHAPES))]
    results = extract_paths(mails, settings, make_matcher(settings))
    merged = {r.file: r for r in results if r.medium in ("eml", "msg")}
    right = total = 0
    wrong: list[str] = []
    for index, mail in enumerate(mails):
        result = merged[str(mail)]
        assert result.extraction is not None, result.error
        assert result.extraction.kind.value == "letter+form", (SHAPES[index % 8], result)
        for name, value in expected_fields(corpus_submission(index)).items():
            total += 1
            found = result.extraction.value(name)
            right += found == value
            if found != value:
                wrong.append(f"{mail.name} {name}: {found!r} != {value!r}")
    share = right / total
    print(f"\ne-mail corpus: {right}/{total} fields right ({share:.1%}) in {len(mails)} e-mails")
    assert share >= 0.99, wrong
