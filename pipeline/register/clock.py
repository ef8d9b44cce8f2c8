"""Is this machine's clock plausible? Numbers (agenda, permohonan, surat keluar) carry the
year, and deadlines run from `now`: a clock years off would open new sequences for 2019 or
2035 and make every request overdue at once. So nothing is numbered while the clock is

- before this release existed (a dead CMOS battery resets it to 2000-something),
- more than a few minutes before the newest event the register holds (time went backwards),
- far from the database server's own clock (PostgreSQL on another machine),
- years after everything the register holds: its newest event and the dates of the newest
  letters (an office registers letters every week; a SQLite register has no server clock to
  compare with, so this catches a clock set years ahead).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from pipeline.errors import ExitCode, PipelineError
from pipeline.register.tables import Event, ReceivedFile, Request, now_utc

EARLIEST = datetime(2026, 1, 1, tzinfo=UTC)  # no register of this release is older
BACKWARDS = timedelta(minutes=10)  # an NTP step or two machines a little apart
SERVER_DRIFT = timedelta(minutes=10)
AHEAD = timedelta(days=2 * 365)  # no office register stands still this long
RECENT_LETTERS = 50  # the newest requests whose letter dates are looked at
SETTLED = 20  # newest events and files looked at (more than one request writes)


class ClockError(PipelineError):
    """The clock is implausible: the machine's fault, not a file's (nothing is numbered)."""

    exit_code = ExitCode.CONFIGURATION


def clock_problem(session: Session, now: datetime | None = None) -> str | None:
    """Why the clock cannot be trusted, in Indonesian; None when it is plausible."""
    now = now or now_utc()
    shown = f"{now:%d-%m-%Y %H:%M} UTC"
    if now < EARLIEST:
        return f"jam komputer menunjukkan {shown}, sebelum {EARLIEST:%Y}"
    moments = _recent_moments(session)
    latest = max(moments, default=None)
    if latest is not None and now < latest - BACKWARDS:
        return (
            f"jam komputer menunjukkan {shown}, lebih awal dari catatan terakhir register "
            f"({latest:%d-%m-%Y %H:%M} UTC)"
        )
    # Before the rows this very transaction may have written (the request being numbered
    # already has them, stamped with the clock in question); None on a new register.
    settled = max((m for m in moments if m < now - BACKWARDS), default=None)
    newest = max(settled, _newest_letter(session) or settled) if settled else None
    if newest is not None and now > newest + AHEAD:
        return (
            f"jam komputer menunjukkan {shown}, lebih dari dua tahun sesudah catatan dan "
            f"tanggal surat terbaru di register ({newest:%d-%m-%Y})"
        )
    server = _server_now(session)
    if server is not None and abs(now - server) > SERVER_DRIFT:
        return (
            f"jam komputer menunjukkan {shown}, sedangkan jam server basis data "
            f"{server:%d-%m-%Y %H:%M} UTC"
        )
    return None


# A clock found plausible stays so for this long while it runs evenly with the monotonic
# clock (never stepped since): the register is not asked again for every number of a batch
# (three queries, 0.7 ms, about 2 % of a digital letter's whole intake).
RECHECK_SECONDS = 30.0
EVEN = timedelta(seconds=1)  # the wall clock may drift this far from the monotonic one
_PLAUSIBLE: dict[str, tuple[datetime, float]] = {}  # register → (now, monotonic) of that check


def check_clock(session: Session, now: datetime | None = None) -> None:
    """Refuse (ClockError) to number anything while the clock is implausible."""
    register = str(session.connection().engine.url)
    if now is None and _recently_plausible(register):
        return
    problem = clock_problem(session, now)
    if problem is None and now is None:
        _PLAUSIBLE[register] = (now_utc(), time.monotonic())
    if problem is not None:
        raise ClockError(
            f"Penomoran ditolak: {problem}. Nomor agenda, nomor permohonan dan nomor surat "
            "keluar memakai tahun dari jam ini, jadi tidak ada yang dinomori.",
            hint="Setel jam dan tanggal komputer (mis. `timedatectl set-ntp true`), lalu "
            "ulangi; berkas di inbox menunggu dan tidak hilang.",
        )


def _recently_plausible(register: str) -> bool:
    """The clock passed the check under RECHECK_SECONDS ago and has not been stepped since."""
    passed = _PLAUSIBLE.get(register)
    if passed is None:
        return False
    wall, monotonic = passed
    elapsed = time.monotonic() - monotonic
    if not 0 <= elapsed < RECHECK_SECONDS:
        return False
    return abs(now_utc() - wall - timedelta(seconds=elapsed)) <= EVEN


def _recent_moments(session: Session) -> list[datetime]:
    """When the newest events and files were written (by id, the primary key: no scan of a
    long history)."""
    events = session.exec(select(Event.at).order_by(col(Event.id).desc()).limit(SETTLED)).all()
    files = session.exec(
        select(ReceivedFile.received_at).order_by(col(ReceivedFile.id).desc()).limit(SETTLED)
    ).all()
    return [_aware(m) for m in (*events, *files) if m is not None]


def _newest_letter(session: Session) -> datetime | None:
    """The latest letter date among the newest requests (ISO dates as extracted)."""
    dates = session.exec(
        select(Request.tanggal_surat).order_by(col(Request.id).desc()).limit(RECENT_LETTERS)
    ).all()
    parsed = [_date(d) for d in dates if d]
    return max((d for d in parsed if d is not None), default=None)


def _date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text[:10]).replace(tzinfo=UTC)
    except ValueError:
        return None


def _server_now(session: Session) -> datetime | None:
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return None  # SQLite has no clock but this machine's
    value = connection.execute(text("SELECT now()")).scalar_one()
    return _aware(value) if isinstance(value, datetime) else None


def _aware(moment: datetime | str) -> datetime:
    if isinstance(moment, str):  # SQLite hands back max() of a DATETIME as text
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
