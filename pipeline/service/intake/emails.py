"""An e-mail in the inbox (.eml, .msg) is one submission: its attachments are its files.

Each attachment is written to a folder of its own under the work folder and ingested like a
file of a dropped subfolder: the letter and the form open and fill one request, a database
structure and any other file (a spreadsheet, a terms-of-reference PDF) are archived as
attachments of that request; a damaged attachment goes to inbox/failed/ with its reason and
the rest is still registered. The e-mail itself is archived byte-identical and registered last,
in one transaction with its sender, subject, date and text (searchable, and shown on the
request's page as an event). An e-mail without a usable attachment is read from its text: a
letter opens a request, any other real message is registered as *surat lain*; an e-mail with
nothing to read goes to inbox/failed/ with the reason.

A crash part way is safe: the e-mail's journal row still says `claimed`, so it is read again;
the attachments already registered are then known by their SHA-256 (duplicates that point to
their request) and the e-mail joins that request.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pipeline.errors import UnreadableFileError
from pipeline.inbox import Claim, archive_original, sha256_of
from pipeline.models import Extraction, Media
from pipeline.readers.email_message import MailMessage, read_email
from pipeline.readers.sniff import document_like, sniff
from pipeline.register import intake
from pipeline.register.fulltext import index_request
from pipeline.register.tables import ReceivedFile, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.intake.claims import fail_tracked
from pipeline.service.intake.extracting import LETTER_KINDS, body_extraction
from pipeline.service.intake.ingest import IngestOutcome, ingest_claim
from pipeline.service.intake.requests import attach_to_request
from pipeline.service.intake.structure import is_schema_file
from pipeline.service.steps.history import record
from pipeline.workflow import Action

EMAIL_KIND = "surel"
OTHER_FILE_KIND = "lampiran"
USABLE = ("registered", "duplicate", "returned", "other")
PREFIX_CHARS = 60
NOTE_BODY_CHARS = 4_000  # of the text shown in the request's history


@dataclass(frozen=True)
class _Part:
    claim: Claim
    name: str  # the attachment's own name
    via: str


def ingest_email(
    services: Services, claimed: Claim, digest: str, medium: Media, into: int | None
) -> IngestOutcome:
    """Ingest the e-mail `claimed` (its SHA-256 `digest` not yet in the register)."""
    message = read_email(claimed.path, medium, services.settings.batas)
    services.settings.work.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".surel-", dir=services.settings.work))
    try:
        parts = _write_parts(folder, message, claimed)
        return _ingest_parts(services, claimed, digest, message, parts, into)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_parts(folder: Path, message: MailMessage, claimed: Claim) -> list[_Part]:
    """Each attachment as a file, named '<e-mail> - <attachment>' so that a clerk sees in
    inbox/failed/ and on the request's page which e-mail it came with."""
    prefix = claimed.original.stem[:PREFIX_CHARS]
    submission = claimed.submission or claimed.original.name
    parts: list[_Part] = []
    for attachment in message.attachments:
        shown = f"{prefix} - {attachment.name}"
        path = _free(folder, shown)
        path.write_bytes(attachment.data)
        original = claimed.original.with_name(path.name)
        parts.append(_Part(Claim(original, path, submission), attachment.name, attachment.via))
    for refused in message.refused:
        path = _free(folder, f"{prefix} - {refused.name}")
        path.write_bytes(refused.data)
        original = claimed.original.with_name(path.name)
        parts.append(_Part(Claim(original, path, submission), refused.name, refused.reason))
    return parts


def _free(folder: Path, name: str) -> Path:
    candidate, counter = folder / name, 1
    while candidate.exists():
        stem, suffix = os.path.splitext(name)
        candidate = folder / f"{stem} ({counter}){suffix}"
        counter += 1
    return candidate


def _ingest_parts(
    services: Services,
    claimed: Claim,
    digest: str,
    message: MailMessage,
    parts: list[_Part],
    into: int | None,
) -> IngestOutcome:
    refused = {part.claim.path for part in parts[len(message.attachments) :]}
    readable = [p for p in parts if p.claim.path not in refused and _readable(p.claim.path)]
    others = [p for p in parts if p.claim.path not in refused and p not in readable]
    request_id = into
    outcomes: list[IngestOutcome] = []
    for part in readable:  # letters and forms first: they open the request
        outcome = _again(services, part.claim) or ingest_claim(
            services, part.claim, into=request_id
        )
        outcomes.append(outcome)
        request_id = request_id or outcome.request_id
    kept: list[_Part] = []
    for part in others:
        if is_schema_file(part.claim.original) and request_id is not None:
            outcomes.append(ingest_claim(services, part.claim, into=request_id))
        else:
            kept.append(part)
    failed = [p for p in parts if p.claim.path in refused]
    for part in failed:
        fail_tracked(services, part.claim, part.via)
    body = None
    if request_id is None and not any(o.status in USABLE for o in outcomes):
        body = body_extraction(message, services.matcher)  # no letter came: is the text one?
        if body is None:
            raise _nothing_to_read(claimed, message, outcomes, failed)
    registered = _register_email(services, claimed, digest, message, body, request_id, kept, parts)
    bad = sum(o.status == "failed" for o in outcomes) + len(failed)
    note = _summary(message, len(parts) - bad, bad)
    if registered is None:
        return IngestOutcome(claimed.original.name, "other", None, note)
    return IngestOutcome(claimed.original.name, "registered", registered, note)


def _again(services: Services, part: Claim) -> IngestOutcome | None:
    """An attachment this same e-mail registered before a crash: its request, no duplicate
    note (the e-mail is only being finished)."""
    digest = sha256_of(part.path)
    with Session(services.engine) as session:
        query = select(ReceivedFile).where(ReceivedFile.sha256 == digest)
        known = session.exec(query).first()
    if known is None or known.submission != part.submission:
        return None
    part.path.unlink(missing_ok=True)
    return IngestOutcome(part.original.name, "registered", known.request_id, "sudah tercatat")


def _readable(path: Path) -> bool:
    """Read as a letter or form (or parked as damaged); anything else is kept as a file."""
    try:
        sniff(path)
    except UnreadableFileError:
        return document_like(path)
    except OSError:
        return True
    return True


def _nothing_to_read(
    claimed: Claim, message: MailMessage, outcomes: list[IngestOutcome], failed: list[_Part]
) -> UnreadableFileError:
    bad = sum(o.status == "failed" for o in outcomes) + len(failed)
    if bad:
        why = (
            f"tidak satu pun dari {bad} lampirannya bisa dibaca (alasan tiap lampiran ada di "
            "inbox/failed/), dan isi surelnya bukan surat"
        )
    else:
        why = "tidak membawa lampiran surat atau formulir, dan isi surelnya bukan surat"
    sender = message.sender or "pengirim tidak diketahui"
    return UnreadableFileError(
        f"Surel '{claimed.original.name}' (dari {sender}, subjek '{message.subject}') {why}.",
        hint="Minta pengirim mengirim ulang surat permohonan dan formulirnya sebagai lampiran "
        "(PDF atau Word), atau simpan lampirannya langsung ke inbox.",
    )


def _register_email(
    services: Services,
    claimed: Claim,
    digest: str,
    message: MailMessage,
    body: Extraction | None,
    request_id: int | None,
    kept: list[_Part],
    parts: list[_Part],
) -> int | None:
    """The e-mail's own row, its kept attachments, and its text on the request: one
    transaction that also marks the e-mail's journal row registered."""
    archived = _archive(services, claimed, digest)
    stored = [(part, *_archived_part(services, part.claim)) for part in kept]
    now = now_utc()
    with Session(services.engine) as session:
        row = ReceivedFile(
            sha256=digest,
            original_name=claimed.original.name,
            archived_path=str(archived),
            size=archived.stat().st_size,
            media=message.medium.value,
            kind=body.kind.value if body is not None else EMAIL_KIND,  # its text: a letter
            submission=claimed.submission or claimed.original.name,
            fields={
                **_field_values(body),
                EMAIL_KIND: message.summary(),
            },
            problems=list(body.problems) if body is not None else [],
            received_at=now,
        )
        session.add(row)
        session.flush()
        request: Request | None = None
        if body is not None and body.kind in LETTER_KINDS:
            request = attach_to_request(services, session, row, body, now, request_id)
        elif request_id is not None:
            request = session.get(Request, request_id)
        elif body is not None:
            note = _other_note(message)
            record(session, Action.OTHER_LETTER, request_id=None, file_id=row.id, note=note, at=now)
        row.request_id = request.id if request is not None else None
        session.add(row)
        for part, part_digest, part_path in stored:
            _add_kept(session, claimed, part, part_digest, part_path, row.request_id, now)
        if request is not None:
            _on_request(session, request, row, message, parts, now)
        intake.mark_in(session, claimed.job, intake.REGISTERED, request_id=row.request_id)
        session.commit()
        return row.request_id


def _archive(services: Services, claimed: Claim, digest: str) -> Path:
    archived = archive_original(claimed.path, digest, services.settings.archive)
    if claimed.job is not None:
        intake.mark(services.engine, claimed.job, intake.ARCHIVED, sha256=digest)
    return archived


def _archived_part(services: Services, claimed: Claim) -> tuple[str, Path]:
    digest = sha256_of(claimed.path)
    return digest, archive_original(claimed.path, digest, services.settings.archive)


def _add_kept(
    session: Session,
    claimed: Claim,
    part: _Part,
    digest: str,
    archived: Path,
    request_id: int | None,
    now: datetime,
) -> None:
    """A file that is neither letter nor form, archived as an attachment of the request."""
    known = session.exec(select(ReceivedFile).where(ReceivedFile.sha256 == digest)).first()
    if known is not None:
        if known.request_id is None and request_id is not None:
            known.request_id = request_id
            session.add(known)
        return
    row = ReceivedFile(
        sha256=digest,
        original_name=part.claim.original.name,
        archived_path=str(archived),
        size=archived.stat().st_size,
        media=OTHER_FILE_KIND,
        kind=OTHER_FILE_KIND,
        submission=part.claim.submission,
        request_id=request_id,
        fields={"surel": claimed.original.name, "melalui": part.via},
        received_at=now,
    )
    session.add(row)
    session.flush()
    note = f"Lampiran '{part.name}' dari surel '{claimed.original.name}' diarsipkan."
    record(
        session,
        Action.ATTACHMENT_RECEIVED,
        request_id=request_id,
        file_id=row.id,
        note=note,
        at=now,
    )


def _on_request(
    session: Session,
    request: Request,
    row: ReceivedFile,
    message: MailMessage,
    parts: list[_Part],
    now: datetime,
) -> None:
    """Files of this e-mail registered as *surat lain* belong to its request; the e-mail's
    sender, subject and text become searchable and are shown in the request's history."""
    names = [part.claim.original.name for part in parts]
    loose = session.exec(
        select(ReceivedFile).where(
            col(ReceivedFile.original_name).in_(names),
            col(ReceivedFile.request_id).is_(None),
            ReceivedFile.submission == row.submission,
        )
    )
    for found in loose:
        found.request_id = request.id
        session.add(found)
    searchable = " ".join([message.sender_name, message.sender, message.subject, message.body])
    index_request(session, request, searchable)
    note = email_note(message)
    record(session, Action.EMAIL_RECEIVED, request_id=request.id, file_id=row.id, note=note, at=now)


def email_note(message: MailMessage) -> str:
    who = f"{message.sender_name} <{message.sender}>" if message.sender_name else message.sender
    when = message.date.strftime("%d-%m-%Y %H:%M %z") if message.date else "tanpa tanggal"
    body = message.body[:NOTE_BODY_CHARS] + ("…" if len(message.body) > NOTE_BODY_CHARS else "")
    return f"Surel dari {who or '(tanpa pengirim)'}, {when}, subjek: {message.subject}\n\n{body}"


def _other_note(message: MailMessage) -> str:
    return (
        "Surel tanpa lampiran surat/formulir; isinya bukan permohonan integrasi, perlu "
        f"diteruskan manual. {email_note(message)}"
    )


def _field_values(extraction: Extraction | None) -> dict[str, Any]:
    if extraction is None:
        return {}
    return {k: {"value": v.value, **v.provenance.as_dict()} for k, v in extraction.fields.items()}


def _summary(message: MailMessage, good: int, bad: int) -> str:
    sender = message.sender or "pengirim tidak diketahui"
    files = f"{good} lampiran diterima" + (f", {bad} gagal (lihat inbox/failed/)" if bad else "")
    return f"surel dari {sender}: {files}"
