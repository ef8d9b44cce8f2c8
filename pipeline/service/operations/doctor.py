"""`pipeline doctor`: is the archive what the register says, and is the machine ready to work?

Checks, each a `Finding` with a status: `ok`, `peringatan` (works, but look at it) or `masalah`
(something is wrong: the command exits non-zero).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from pipeline.inbox import sha256_of, stale_claims
from pipeline.inbox.claim import ERROR_SUFFIX
from pipeline.register.clock import clock_problem
from pipeline.register.db import make_engine
from pipeline.register.liveness import last_backup, stale_after, watcher_state
from pipeline.register.migrations import (
    RegisterOutdatedError,
    RegisterTooNewError,
    require_current,
    schema_state,
)
from pipeline.register.returns import returning
from pipeline.register.tables import Document, IntakeJob, now_utc
from pipeline.settings import Settings
from pipeline.workflow.deadlines import wib_text

OK, WARN, BAD = "ok", "peringatan", "masalah"
SHOWN = 10  # items listed per finding
GIB = 1024**3
DISK_BAD, DISK_WARN = 1 * GIB, 5 * GIB
OCR_LANGUAGES = ("ind", "eng", "osd")


@dataclass(frozen=True)
class Finding:
    check: str
    status: str
    detail: str
    items: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.items) > SHOWN:
            more = len(self.items) - SHOWN
            self.items[SHOWN:] = [f"… dan {more} lainnya"]


@dataclass(frozen=True)
class DoctorReport:
    findings: list[Finding]

    @property
    def healthy(self) -> bool:
        return all(f.status != BAD for f in self.findings)

    def as_json(self) -> dict[str, Any]:
        return {"sehat": self.healthy, "pemeriksaan": [asdict(f) for f in self.findings]}


@dataclass(frozen=True)
class ArchivedRow:
    file_id: int
    sha256: str
    name: str
    archived_path: str


def diagnose(settings: Settings, *, hash_files: bool = True) -> DoctorReport:
    findings: list[Finding] = []
    engine = make_engine(settings.database_url)
    try:
        rows, documents, problem = _register_rows(engine)
        findings.append(_database_finding(settings, problem))
        if problem is None:
            findings.append(_version_finding(engine))
        findings.append(_paths_finding(settings, engine if problem is None else None))
        if problem is None:
            findings += _archive_findings(settings, rows, hash_files)
            findings.append(_documents_finding(documents))
            if settings.konversi.pdf:
                findings.append(_pdf_copies_finding(engine))
            findings.append(_leases_finding(engine))
            findings.append(_returns_finding(engine))
            findings.append(_clock_finding(engine))
            findings += [_watcher_finding(settings, engine), _backup_finding(engine)]
    finally:
        engine.dispose()
    findings += [_claims_finding(settings), _failed_finding(settings)]
    findings += [*_folder_findings(settings), _disk_finding(settings)]
    findings += [_tesseract_finding(settings), *_program_findings()]
    findings.append(_settings_finding(settings))
    return DoctorReport(findings)


def _settings_finding(settings: Settings) -> Finding:
    """Old (English) setting names still in use, and names no setting has."""
    if not settings.name_notes:
        return Finding("Konfigurasi", OK, "semua nama di pipeline.toml dikenal")
    count = len(settings.name_notes)
    return Finding("Konfigurasi", WARN, f"{count} nama perlu diperbaiki", list(settings.name_notes))


# -- register and archive --------------------------------------------------------------------
def _register_rows(engine: Engine) -> tuple[list[ArchivedRow], list[str], str | None]:
    if engine.url.get_backend_name() == "sqlite" and not Path(engine.url.database or "").is_file():
        return [], [], "register belum dibuat"
    try:
        with engine.connect() as connection:
            files = connection.execute(
                text("SELECT id, sha256, original_name, archived_path FROM files ORDER BY id")
            ).all()
            documents = connection.execute(text("SELECT path FROM documents ORDER BY id")).all()
    except SQLAlchemyError as exc:
        return [], [], str(exc.__cause__ or exc).splitlines()[0]
    rows = [ArchivedRow(int(i), str(s), str(n), str(p)) for i, s, n, p in files]
    return rows, [str(p) for (p,) in documents], None


def _database_finding(settings: Settings, problem: str | None) -> Finding:
    where = settings.db_url.split("@")[-1] if settings.db_url else str(settings.register_path)
    if problem is None:
        return Finding("Register", OK, f"terhubung ({where})")
    return Finding(
        "Register",
        BAD,
        f"tidak dapat dibaca ({where}): {problem}. Periksa db_url/PostgreSQL, atau jalankan "
        "`pipeline init`.",
    )


def _version_finding(engine: Engine) -> Finding:
    """Whether this release can use the register as it is, or `pipeline upgrade` must run."""
    try:
        with engine.connect() as connection:
            require_current(schema_state(connection))
    except (RegisterOutdatedError, RegisterTooNewError) as exc:
        return Finding("Versi register", BAD, f"{exc.message} {exc.hint or ''}".strip())
    except SQLAlchemyError as exc:
        return Finding("Versi register", BAD, f"tidak dapat diperiksa: {exc.__class__.__name__}")
    return Finding("Versi register", OK, "sesuai dengan program ini")


def archived_location(settings: Settings, row: ArchivedRow) -> Path:
    """Where the archive keeps this file: `archive/ab/<sha256>.<ext>` of this workspace."""
    return settings.archive / row.sha256[:2] / Path(row.archived_path).name


def _archive_findings(
    settings: Settings, rows: list[ArchivedRow], hash_files: bool
) -> list[Finding]:
    expected = {archived_location(settings, row): row for row in rows}
    missing = [_label(row) for path, row in expected.items() if not path.is_file()]
    findings = [
        Finding(
            "Arsip: berkas hilang",
            BAD,
            f"{len(missing)} berkas di register tidak ada di "
            "arsip; pulihkan dari cadangan (`pipeline restore`).",
            missing,
        )
        if missing
        else Finding("Arsip: berkas hilang", OK, f"{len(rows)} berkas register ada di arsip")
    ]
    if hash_files:
        changed = [
            _label(row)
            for path, row in expected.items()
            if path.is_file() and sha256_of(path) != row.sha256
        ]
        findings.append(
            Finding(
                "Arsip: SHA-256",
                BAD,
                f"{len(changed)} berkas arsip isinya berubah (SHA-256 "
                "tidak cocok); pulihkan dari cadangan.",
                changed,
            )
            if changed
            else Finding("Arsip: SHA-256", OK, "isi setiap berkas arsip cocok dengan register")
        )
    orphans = sorted(
        str(p.relative_to(settings.workspace))
        for p in _archive_files(settings)
        if p not in expected
    )
    findings.append(
        Finding(
            "Arsip: tanpa catatan",
            WARN,
            f"{len(orphans)} berkas di arsip tidak dikenal "
            "register (terputus sebelum tercatat, atau sisa salinan); tidak ada yang dihapus.",
            orphans,
        )
        if orphans
        else Finding("Arsip: tanpa catatan", OK, "setiap berkas arsip tercatat di register")
    )
    return findings


def _archive_files(settings: Settings) -> Iterator[Path]:
    """Files in the content-addressed folders (`archive/ab/…`); the OCR cache is not archive."""
    if not settings.archive.is_dir():
        return
    for folder in settings.archive.iterdir():
        if folder.is_dir() and len(folder.name) == 2:
            yield from (p for p in folder.iterdir() if p.is_file())


def _label(row: ArchivedRow) -> str:
    return f"#{row.file_id} {row.name} ({row.sha256[:12]}…)"


def _documents_finding(documents: list[str]) -> Finding:
    missing = [path for path in documents if not Path(path).is_file()]
    if missing:
        return Finding(
            "Dokumen keluaran",
            BAD,
            f"{len(missing)} dokumen yang tercatat tidak ada di outbox; pulihkan dari cadangan.",
            missing,
        )
    return Finding("Dokumen keluaran", OK, f"{len(documents)} dokumen tercatat ada di outbox")


PDF_GRACE = timedelta(minutes=10)  # the background copier may still be on its way


def _pdf_copies_finding(engine: Engine) -> Finding:
    """Documents whose PDF copy was never made or never recorded (backups skip them)."""
    before = now_utc() - PDF_GRACE
    with Session(engine) as session:
        rows = session.exec(
            select(Document).where(
                col(Document.pdf_path).is_(None), col(Document.created_at) < before
            )
        ).all()
    if not rows:
        return Finding("Salinan PDF", OK, "setiap dokumen keluaran punya salinan PDF")
    return Finding(
        "Salinan PDF",
        WARN,
        f"{len(rows)} dokumen belum punya salinan PDF (LibreOffice gagal, atau pemantau "
        "berhenti sebelum selesai); `pipeline watch` membuatnya saat mulai. Alasan kegagalan "
        "ada di riwayat permohonan (pdf-gagal).",
        [f"{row.doc_id} ({Path(row.path).name})" for row in rows],
    )


def _returns_finding(engine: Engine) -> Finding:
    """Files given back to the inbox again and again after an unexpected error."""
    rows = returning(engine, at_least=2) if inspect(engine).has_table("intake_returns") else []
    if not rows:
        return Finding("Berkas berulang", OK, "tidak ada berkas yang terus kembali ke inbox")
    return Finding(
        "Berkas berulang",
        BAD,
        f"{len(rows)} berkas berulang kali gagal diproses dan dikembalikan ke inbox; "
        "pemantau memarkirnya di inbox/failed setelah beberapa kali. Lihat log pemantau.",
        [f"{row.name} — {row.count} kali: {row.error}" for row in rows],
    )


def _clock_finding(engine: Engine) -> Finding:
    with Session(engine) as session:
        problem = clock_problem(session)
    if problem is None:
        return Finding("Jam komputer", OK, f"{wib_text(now_utc())} WIB, masuk akal")
    return Finding(
        "Jam komputer",
        BAD,
        f"{problem}; penomoran ditolak sampai jam disetel (mis. `timedatectl set-ntp true`).",
    )


# -- the office's services -------------------------------------------------------------------
BACKUP_MAX_AGE = timedelta(days=2)  # the nightly backup missed more than one night


def service_findings(settings: Settings) -> list[Finding]:
    """The watcher's heartbeat and the last backup (`pipeline service status`)."""
    engine = make_engine(settings.database_url)
    try:
        return [_watcher_finding(settings, engine), _backup_finding(engine)]
    except SQLAlchemyError as exc:
        return [_database_finding(settings, str(exc.__cause__ or exc).splitlines()[0])]
    finally:
        engine.dispose()


def _watcher_finding(settings: Settings, engine: Engine) -> Finding:
    """Is some `pipeline watch` renewing its heartbeat (on any machine sharing the register)?"""
    state = watcher_state(engine, stale_after(settings.pemantau.masa_klaim_detik))
    where = ", ".join(state.running)
    if state.running and state.paused:
        held = f"berjalan di {where}, tetapi tidak menerima berkas: {state.paused}"
        return Finding("Pemantau inbox", WARN, held)
    if state.running:
        return Finding("Pemantau inbox", OK, f"berjalan di {where}")
    start = "jalankan `pipeline watch` (atau `sudo systemctl start pipeline-watch`)"
    if state.last_seen is None:
        return Finding(
            "Pemantau inbox",
            WARN,
            f"pemantau belum pernah berjalan untuk register ini; berkas di inbox tidak dicatat "
            f"sampai ia berjalan: {start}.",
        )
    return Finding(
        "Pemantau inbox",
        WARN,
        f"pemantau tidak berjalan sejak {wib_text(state.last_seen)} WIB; berkas yang masuk ke "
        f"inbox sejak itu belum dicatat: {start}.",
    )


def _backup_finding(engine: Engine) -> Finding:
    """The age of the last backup the nightly service made."""
    made = last_backup(engine)
    install = "pasang cadangan malam dengan `pipeline service install`"
    if made is None:
        return Finding(
            "Cadangan",
            WARN,
            f"belum ada cadangan tercatat; {install} atau jalankan "
            "`pipeline service backup FOLDER`.",
        )
    age = now_utc() - made.made_at
    detail = (
        f"cadangan terakhir {age_text(age)} lalu ({wib_text(made.made_at)} WIB) di {made.folder}"
    )
    if age > BACKUP_MAX_AGE:
        return Finding(
            "Cadangan",
            WARN,
            f"{detail}, lebih dari {BACKUP_MAX_AGE.days} hari; periksa `pipeline service "
            "status` dan ruang disk tujuan cadangan.",
        )
    return Finding("Cadangan", OK, detail)


def age_text(age: timedelta) -> str:
    """'35 menit', '5 jam', '3 hari' — how long ago, roughly."""
    minutes = max(0, int(age.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} menit"
    if minutes < 48 * 60:
        return f"{minutes // 60} jam"
    return f"{minutes // (24 * 60)} hari"


def _paths_finding(settings: Settings, engine: Engine | None) -> Finding:
    """Register rows pointing outside the workspace (a restore stopped half-way, or a
    register copied by hand), and a restore that did not finish."""
    from pipeline.service.operations.restore import paths_outside, unfinished_restore

    outside = paths_outside(engine, settings.workspace) if engine is not None else []
    unfinished = unfinished_restore(settings.workspace)
    if unfinished is not None:
        return Finding(
            "Jalur di register",
            BAD,
            f"pemulihan dari cadangan {unfinished.backup} (dimulai {unfinished.started_text()}) "
            f"terputus; jalankan lagi `pipeline restore {unfinished.backup}` untuk "
            "menyelesaikannya.",
            outside,
        )
    if outside:
        return Finding(
            "Jalur di register",
            BAD,
            f"{len(outside)} catatan register menunjuk ke berkas di luar folder kerja "
            f"{settings.workspace} (mis. folder asal cadangan); halaman web tidak dapat "
            "membukanya. Bila folder ini hasil `pipeline restore` yang terputus, jalankan lagi "
            "perintah itu.",
            outside,
        )
    return Finding("Jalur di register", OK, "setiap berkas dan dokumen ada di folder kerja ini")


# -- inbox -----------------------------------------------------------------------------------
def _claims_finding(settings: Settings) -> Finding:
    stuck = [str(p.relative_to(settings.inbox)) for p in stale_claims(settings.work)]
    if stuck:
        return Finding(
            "Klaim tertahan",
            BAD,
            f"{len(stuck)} berkas tertahan di inbox/.work dari "
            "pemroses yang sudah berhenti; jalankan `pipeline watch` untuk "
            "menyelesaikannya.",
            stuck,
        )
    return Finding("Klaim tertahan", OK, "tidak ada berkas yang tertahan di inbox/.work")


LEASE_GRACE = timedelta(minutes=10)  # a running watcher takes an expired claim over sooner


def _leases_finding(engine: Engine) -> Finding:
    """Claims in the register whose worker stopped renewing them, on any machine (a shared
    PostgreSQL register): a watcher anywhere takes them over; none did for a while."""
    now = now_utc()
    with Session(engine) as session:
        expired = session.exec(select(IntakeJob).where(IntakeJob.lease_until < now)).all()
    if not expired:
        return Finding("Klaim di register", OK, "setiap berkas yang diklaim masih dikerjakan")
    overdue = [job for job in expired if now - job.lease_until > LEASE_GRACE]
    items = [
        f"{job.original} — {job.worker}, {job.state}, sejak {wib_text(job.lease_until)} WIB"
        for job in expired
    ]
    if not overdue:
        return Finding(
            "Klaim di register",
            WARN,
            f"{len(expired)} berkas menunggu diambil alih dari pemroses yang berhenti.",
            items,
        )
    return Finding(
        "Klaim di register",
        BAD,
        f"{len(overdue)} berkas diklaim pemroses yang berhenti lebih dari "
        f"{LEASE_GRACE.seconds // 60} menit lalu dan belum diambil alih; jalankan "
        "`pipeline watch` di salah satu mesin.",
        items,
    )


def _failed_finding(settings: Settings) -> Finding:
    folder = settings.failed
    parked = (
        sorted(
            p.name for p in folder.iterdir() if p.is_file() and not p.name.endswith(ERROR_SUFFIX)
        )
        if folder.is_dir()
        else []
    )
    if parked:
        return Finding(
            "Berkas gagal",
            WARN,
            f"{len(parked)} berkas di inbox/failed menunggu "
            "diperbaiki (alasannya di <nama>.error.txt).",
            parked,
        )
    return Finding("Berkas gagal", OK, "inbox/failed kosong")


# -- machine ---------------------------------------------------------------------------------
def _folder_findings(settings: Settings) -> list[Finding]:
    folders = {
        "inbox": settings.inbox,
        "inbox/failed": settings.failed,
        "arsip": settings.archive,
        "outbox": settings.outbox,
    }
    if not settings.db_url:
        folders["folder register"] = settings.register_path.parent
    bad = [
        f"{label}: {'tidak ada' if not path.is_dir() else 'tidak bisa ditulis'} ({path})"
        for label, path in folders.items()
        if not (path.is_dir() and os.access(path, os.W_OK | os.X_OK))
    ]
    if bad:
        return [
            Finding(
                "Izin folder",
                BAD,
                "folder kerja tidak lengkap atau tidak bisa ditulis; "
                "jalankan `pipeline init` atau perbaiki izinnya.",
                bad,
            )
        ]
    return [Finding("Izin folder", OK, "inbox, inbox/failed, arsip dan outbox bisa ditulis")]


def _disk_finding(settings: Settings) -> Finding:
    free = shutil.disk_usage(settings.workspace).free
    detail = f"{free / GIB:.1f} GB kosong di {settings.workspace}"
    if free < DISK_BAD:
        return Finding("Ruang disk", BAD, detail + "; kosongkan disk sebelum menerima berkas.")
    if free < DISK_WARN:
        return Finding("Ruang disk", WARN, detail + "; segera sediakan ruang.")
    return Finding("Ruang disk", OK, detail)


def _tesseract_finding(settings: Settings) -> Finding:
    if not settings.ocr.aktif:
        return Finding("Tesseract (OCR)", OK, "OCR dimatikan (ocr.aktif = false)")
    hint = "pasang: sudo apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng"
    if shutil.which("tesseract") is None:
        return Finding("Tesseract (OCR)", BAD, f"tidak terpasang; pindaian tidak terbaca; {hint}")
    listed = _run(["tesseract", "--list-langs"])
    languages = set(listed.split()) if listed else set()
    missing = [lang for lang in OCR_LANGUAGES if lang not in languages]
    version = (_run(["tesseract", "--version"]) or "").split("\n")[0]
    if missing:
        return Finding(
            "Tesseract (OCR)", BAD, f"{version}: data bahasa kurang ({', '.join(missing)}); {hint}"
        )
    return Finding("Tesseract (OCR)", OK, f"{version}, bahasa {'+'.join(OCR_LANGUAGES)}")


def _program_findings() -> list[Finding]:
    return [
        _program(
            "LibreOffice (soffice)",
            ("soffice", "libreoffice"),
            WARN,
            "untuk mengubah dokumen ke PDF; pasang libreoffice-writer-nogui",
        ),
        _program(
            "Chromium (opsional)",
            ("chromium", "chromium-browser"),
            OK,
            "hanya untuk uji tampilan web; tidak wajib",
        ),
    ]


def _program(label: str, names: tuple[str, ...], missing_status: str, why: str) -> Finding:
    found = next((path for name in names if (path := shutil.which(name))), None)
    if found:
        return Finding(label, OK, found)
    return Finding(label, missing_status, f"tidak terpasang ({why})")


def _run(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout + done.stderr
