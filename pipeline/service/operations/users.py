"""Local accounts for the web page: names, roles and argon2 password hashes (pwdlib), the
server-side sessions signed in with them, and the lockout after wrong passwords."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from pipeline.errors import ConflictError, ExitCode, NotFoundError, PipelineError
from pipeline.register.tables import LoginFailure, User, WebSession, now_utc
from pipeline.service.context import Services
from pipeline.settings import Web

ROLES: dict[str, str] = {
    "admin": "Administrator",
    "sekretariat": "Sekretariat",
    "kadis": "Kepala Dinas",
    "kabid": "Kepala Bidang",
    "kasi": "Kepala Seksi",
}
MIN_PASSWORD = 8
_HASHER = PasswordHash.recommended()
# Once an address has typed `web.maks_gagal_masuk` wrong passwords (any names) within the
# lockout time, each further login from it waits first: 0.1 s, doubling with each further
# wrong one, at most 5 s. A person's few typos cost nothing.
FIRST_DELAY_SECONDS = 0.1
MAX_DELAY_SECONDS = 5.0
# Wrong passwords older than this no longer count towards a lock (nor the pause).
FAILURES_FORGOTTEN_AFTER = timedelta(days=1)


class InvalidAccountError(PipelineError):
    """A role that does not exist or a password that is too short."""

    exit_code = ExitCode.USAGE


class AccountLockedError(PipelineError):
    """Too many wrong passwords in a row: the account waits until `until`."""

    exit_code = ExitCode.CONFLICT

    def __init__(self, until: datetime) -> None:
        super().__init__(
            "Terlalu banyak percobaan masuk dengan kata sandi salah; akun ini dikunci sementara.",
            hint="Coba lagi nanti, atau minta admin menjalankan 'pipeline user enable NAMA'.",
        )
        self.until = until


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)

    @property
    def actor(self) -> str:
        """How the history names this person: 'sekretariat (Sekretariat)'."""
        return f"{self.name} ({self.role_label})"


@dataclass(frozen=True)
class AccountRow:
    """One account as `pipeline user list` shows it."""

    name: str
    role: str
    active: bool
    locked_until: datetime | None
    created_at: datetime
    last_login_at: datetime | None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def add_user(services: Services, name: str, role: str, password: str) -> Account:
    name = name.strip()
    _check_role(role)
    if not name:
        raise InvalidAccountError("Nama pengguna tidak boleh kosong.")
    _check_password(password)
    with Session(services.engine) as session:
        if session.exec(select(User).where(User.name == name)).first():
            raise ConflictError(
                f"Pengguna '{name}' sudah ada.", hint="Pilih nama lain untuk akun baru."
            )
        user = User(
            name=name, role=role, password_hash=_HASHER.hash(password), created_at=now_utc()
        )
        session.add(user)
        session.commit()
        return _account(user)


def authenticate(
    services: Services, name: str, password: str, address: str = "-"
) -> Account | None:
    """The account when the password matches, else None — the same answer, in the same time,
    for an unknown name, a disabled account and a wrong password.

    `web.maks_gagal_masuk` wrong passwords in a row for one name from one client `address`
    lock that name for that address for `web.lama_kunci_menit` (AccountLockedError), right
    password or not, whether the name exists or not: a stranger learns nothing about which
    accounts exist, and cannot lock an official out of any other computer."""
    name = name.strip()
    with Session(services.engine) as session:
        failure = _failure_of(session, name, address)
        locked = failure.locked_until if failure is not None else None
        user = session.exec(select(User).where(User.name == name)).first()
    now = now_utc()
    if locked is not None and locked > now:
        raise AccountLockedError(locked)
    if user is None or not user.active:
        _HASHER.hash(password)  # spend the same time as a real check
        good = False
    else:
        good = _HASHER.verify(password, user.password_hash)
    with Session(services.engine) as session:
        if not good:
            _count_failure(session, name, address, now, services.settings.web)
            session.commit()
            return None
        assert user is not None
        session.exec(
            delete(LoginFailure).where(
                col(LoginFailure.name) == name, col(LoginFailure.address) == address
            )
        )
        fresh = session.get(User, user.id)
        if fresh is None or not fresh.active or fresh.password_hash != user.password_hash:
            session.commit()
            return None  # disabled or given a new password while the hash was checked
        fresh.last_login_at = now
        return _saved(session, fresh)


def _failure_of(session: Session, name: str, address: str) -> LoginFailure | None:
    return session.exec(
        select(LoginFailure).where(LoginFailure.name == name, LoginFailure.address == address)
    ).first()


def _count_failure(session: Session, name: str, address: str, now: datetime, policy: Web) -> None:
    """One more wrong password for (name, address); every `max_failed_logins`-th in a row
    locks the pair. Rows nobody has failed on for a day (and not locked) are dropped."""
    forgotten = now - FAILURES_FORGOTTEN_AFTER
    session.exec(
        delete(LoginFailure).where(
            col(LoginFailure.last_failure_at) < forgotten,
            (col(LoginFailure.locked_until).is_(None)) | (col(LoginFailure.locked_until) < now),
        )
    )
    failure = _failure_of(session, name, address) or LoginFailure(
        name=name, address=address, failures=0, last_failure_at=now
    )
    failure.failures += 1
    failure.last_failure_at = now
    if failure.failures % policy.maks_gagal_masuk == 0:
        failure.locked_until = now + timedelta(minutes=policy.lama_kunci_menit)
    session.add(failure)


def login_delay(services: Services, address: str) -> float:
    """Seconds to wait before checking a login from `address`: nothing for the first
    `web.maks_gagal_masuk` wrong passwords typed there within the lockout time (any names),
    then doubling with each further one."""
    policy = services.settings.web
    since = now_utc() - timedelta(minutes=policy.lama_kunci_menit)
    with Session(services.engine) as session:
        recent = session.exec(
            select(func.coalesce(func.sum(LoginFailure.failures), 0)).where(
                LoginFailure.address == address, col(LoginFailure.last_failure_at) > since
            )
        ).one()
    beyond = int(recent) - policy.maks_gagal_masuk
    if beyond < 0:
        return 0.0
    return min(FIRST_DELAY_SECONDS * 2.0 ** min(beyond, 16), MAX_DELAY_SECONDS)


def open_session(services: Services, who: Account, hours: float) -> str:
    """A new server-side session for the account; the token goes into the cookie. Expired
    sessions of anyone are cleared out on the way."""
    token = secrets.token_urlsafe(32)
    now = now_utc()
    with Session(services.engine) as session:
        session.exec(delete(WebSession).where(col(WebSession.expires_at) <= now))
        session.add(
            WebSession(
                token_hash=_digest(token),
                user_id=who.id,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
        session.commit()
    return token


def session_account(services: Services, token: str) -> Account | None:
    """The account of a live session: its row is there, not expired, the account active."""
    with Session(services.engine) as session:
        found = session.exec(
            select(User)
            .join(WebSession, col(WebSession.user_id) == col(User.id))
            .where(WebSession.token_hash == _digest(token), WebSession.expires_at > now_utc())
        ).first()
    if found is None or not found.active:
        return None
    return _account(found)


def end_session(services: Services, token: str) -> None:
    """Signing out: the session's row goes, so its cookie is refused from now on."""
    with Session(services.engine) as session:
        session.exec(delete(WebSession).where(col(WebSession.token_hash) == _digest(token)))
        session.commit()


def _end_sessions_of(session: Session, user: User) -> None:
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id))


def _lift_locks_of(session: Session, user: User) -> None:
    session.exec(delete(LoginFailure).where(col(LoginFailure.name) == user.name))
    user.failed_logins, user.locked_until = 0, None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def list_users(services: Services) -> list[AccountRow]:
    """Every account; `locked_until` is the latest lock on its name from any address."""
    now = now_utc()
    with Session(services.engine) as session:
        users = session.exec(select(User).order_by(User.name)).all()
        locks = session.exec(
            select(LoginFailure.name, func.max(LoginFailure.locked_until))
            .where(col(LoginFailure.locked_until) > now)
            .group_by(LoginFailure.name)
        ).all()
    locked: dict[str, datetime] = {name: until for name, until in locks if until is not None}
    return [
        AccountRow(u.name, u.role, u.active, locked.get(u.name), u.created_at, u.last_login_at)
        for u in users
    ]


def named(services: Services, name: str) -> Account:
    """The account called `name` (NotFoundError when there is none)."""
    with Session(services.engine) as session:
        return _account(_by_name(session, name))


def set_password(services: Services, name: str, password: str) -> Account:
    """A new password; sessions opened with the old one end, and a lock is lifted."""
    with Session(services.engine) as session:
        user = _by_name(session, name)
        _check_password(password)
        user.password_hash = _HASHER.hash(password)
        _end_sessions_of(session, user)
        _lift_locks_of(session, user)
        return _saved(session, user)


def set_role(services: Services, name: str, role: str) -> Account:
    _check_role(role)
    with Session(services.engine) as session:
        user = _by_name(session, name)
        user.role = role
        return _saved(session, user)


def set_active(services: Services, name: str, active: bool) -> Account:
    """Disable (its sessions end for good) or enable an account; enabling lifts a lock but
    brings no old session back: the account signs in afresh."""
    with Session(services.engine) as session:
        user = _by_name(session, name)
        user.active = active
        _end_sessions_of(session, user)
        if active:
            _lift_locks_of(session, user)
        return _saved(session, user)


def _by_name(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None:
        raise NotFoundError(
            f"Pengguna '{name}' tidak ada.", hint="Lihat daftar akun: pipeline user list."
        )
    return user


def _saved(session: Session, user: User) -> Account:
    session.add(user)
    session.commit()
    return _account(user)


def _account(user: User) -> Account:
    return Account(user.id or 0, user.name, user.role)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidAccountError(
            f"Peran '{role}' tidak dikenal.", hint="Peran yang ada: " + ", ".join(ROLES) + "."
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidAccountError(
            f"Kata sandi terlalu pendek (paling sedikit {MIN_PASSWORD} karakter)."
        )


def count_users(services: Services) -> int:
    with Session(services.engine) as session:
        return len(session.exec(select(User.id)).all())
