"""The register's tables: requests, received files, generated documents, events, counters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, TypeDecorator, UniqueConstraint
from sqlmodel import Field, SQLModel


class AwareDateTime(TypeDecorator[datetime]):
    """Stores UTC, returns timezone-aware values on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the register; use timezone-aware times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


def _aware(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(AwareDateTime(), nullable=nullable))


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Request(SQLModel, table=True):
    __tablename__ = "requests"
    __table_args__ = (UniqueConstraint("tahun_agenda", "nomor_agenda"),)

    id: int | None = Field(default=None, primary_key=True)
    tahun_agenda: int
    nomor_agenda: str = Field(index=True)
    nomor_permohonan: str | None = Field(default=None, index=True)
    nomor_surat: str | None = Field(default=None, index=True)
    tanggal_surat: str | None = None
    opd: str | None = Field(default=None, index=True)
    perihal: str | None = None
    subdomain: str | None = Field(default=None, index=True)
    pj_nama: str | None = None
    pj_telepon: str | None = None
    pj_email: str | None = None
    pj_jabatan: str | None = None
    pj_nip: str | None = None
    status: str = Field(index=True)
    has_letter: bool = False
    has_form: bool = False
    missing: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    provenance: dict[str, Any] = _json()
    problems: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    received_at: datetime = _aware()
    due_at: datetime | None = _aware(nullable=True)
    updated_at: datetime = _aware()


class ReceivedFile(SQLModel, table=True):
    __tablename__ = "files"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(unique=True, index=True)
    original_name: str
    archived_path: str
    size: int
    media: str
    kind: str
    needs_ocr: bool = False
    signed: bool = False
    submission: str | None = Field(default=None, index=True)
    request_id: int | None = Field(default=None, foreign_key="requests.id", index=True)
    fields: dict[str, Any] = _json()
    problems: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    received_at: datetime = _aware()


class Document(SQLModel, table=True):
    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    doc_id: str = Field(unique=True, index=True)
    token: str = Field(unique=True, index=True)  # printed in the QR code for verification
    request_id: int = Field(foreign_key="requests.id", index=True)
    kind: str
    path: str
    pdf_path: str | None = None  # the PDF copy beside the DOCX, once LibreOffice made it
    number: str | None = None
    created_at: datetime = _aware()


class Event(SQLModel, table=True):
    __tablename__ = "events"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int | None = Field(default=None, foreign_key="requests.id", index=True)
    file_id: int | None = Field(default=None, foreign_key="files.id")
    at: datetime = _aware()
    who: str
    action: str
    from_status: str | None = None
    to_status: str | None = None
    note: str | None = None


class Counter(SQLModel, table=True):
    """Per-year gapless sequences, bumped inside the transaction that uses the number."""

    __tablename__ = "counters"

    name: str = Field(primary_key=True)
    value: int = 0


def now_utc() -> datetime:
    return datetime.now(UTC)


class VoidedNumber(SQLModel, table=True):
    """An outgoing letter number that was issued and then voided: never issued again."""

    __tablename__ = "voided_numbers"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, index=True)
    reason: str
    who: str
    at: datetime = _aware()


class User(SQLModel, table=True):
    """A local account for the web page: a name, a role, an argon2 password hash."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    role: str
    password_hash: str
    active: bool = True
    created_at: datetime = _aware()
    failed_logins: int | None = None  # wrong passwords since the last good one
    locked_until: datetime | None = _aware(nullable=True)
    last_login_at: datetime | None = _aware(nullable=True)


class IntakeJob(SQLModel, table=True):
    """One claimed inbox file on its way into the register (the row is gone once done).

    `state` moves claimed → archived → registered; `registered` is written in the same
    transaction as the file's row, its request and its documents, so a restart after a crash
    knows exactly what is left to do. `lease_until` is kept fresh by the claiming worker's
    heartbeat; when it lapses, any worker may take the job over.
    """

    __tablename__ = "intake"

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)  # where the claimed file lies (the worker's folder)
    original: str  # its path relative to the inbox, as dropped
    submission: str | None = None
    worker: str = Field(index=True)
    state: str = "claimed"  # claimed | archived | registered | failed
    sha256: str | None = None
    request_id: int | None = None
    reason: str | None = None
    lease_until: datetime = _aware()


class WebSession(SQLModel, table=True):
    """A signed-in web session. The cookie carries a random token; only its SHA-256 is kept
    here, and a session is valid only while its row exists: signing out, `user disable` and a
    new password delete the rows, so an old cookie is refused even though its signature holds."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = _aware()
    expires_at: datetime = _aware()


class LoginFailure(SQLModel, table=True):
    """Wrong passwords in a row for one typed name from one client address — for any name,
    known or not, so the lockout gives no hint which accounts exist, and a stranger's guesses
    lock a name only for the stranger's own machine."""

    __tablename__ = "login_failures"
    __table_args__ = (UniqueConstraint("name", "address"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    address: str = Field(index=True)
    failures: int = 0
    last_failure_at: datetime = _aware()
    locked_until: datetime | None = _aware(nullable=True)


class IntakeReturn(SQLModel, table=True):
    """A file given back to the inbox after an error nobody expected, counted by its content:
    one given back too often is parked in inbox/failed/ instead of being taken forever, and
    `doctor` lists the ones that keep coming back."""

    __tablename__ = "intake_returns"

    sha256: str = Field(primary_key=True)
    name: str
    count: int = 0
    error: str
    last_at: datetime = _aware()


class WatcherBeat(SQLModel, table=True):
    """A running `pipeline watch` (one row per process, by its worker id) renews `beat_at`
    every few seconds and sets `stopped_at` when it ends: `doctor` and the web page tell from
    it whether intake is running, on any machine sharing the register."""

    __tablename__ = "watcher_beats"

    worker: str = Field(primary_key=True)  # host-pid, as in the intake journal
    host: str
    started_at: datetime = _aware()
    beat_at: datetime = _aware()
    stopped_at: datetime | None = _aware(nullable=True)
    paused: str | None = None  # why it takes no files now (register, disk, clock), in Indonesian


class BackupRecord(SQLModel, table=True):
    """A finished backup made by the nightly service (`pipeline service backup`)."""

    __tablename__ = "backups"

    id: int | None = Field(default=None, primary_key=True)
    folder: str
    made_at: datetime = _aware()
    files: int = 0
    total_bytes: int = 0
