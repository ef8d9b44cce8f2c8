"""Local accounts for the web page: names, roles and argon2 password hashes (pwdlib)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlmodel import Session, select

from pipeline.errors import ConflictError, ExitCode, NotFoundError, PipelineError
from pipeline.register.tables import User, now_utc
from pipeline.service.context import Services

ROLES: dict[str, str] = {
    "admin": "Administrator",
    "sekretariat": "Sekretariat",
    "kadis": "Kepala Dinas",
    "kabid": "Kepala Bidang",
    "kasi": "Kepala Seksi",
}
MIN_PASSWORD = 8
_HASHER = PasswordHash.recommended()


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
    stamp: str = ""  # changes with the password: older sessions end

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


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


def authenticate(services: Services, name: str, password: str) -> Account | None:
    """The account when the password matches, else None (same answer for an unknown name).
    `web.max_failed_logins` wrong passwords in a row lock the account for
    `web.lockout_minutes` (AccountLockedError), right password or not."""
    policy = services.settings.web
    with Session(services.engine) as session:
        user = session.exec(select(User).where(User.name == name.strip())).first()
        if user is None or not user.active:
            _HASHER.hash(password)  # spend the same time as a real check
            return None
        now = now_utc()
        if user.locked_until is not None and user.locked_until > now:
            raise AccountLockedError(user.locked_until)
        if not _HASHER.verify(password, user.password_hash):
            _count_failure(user, now, policy.max_failed_logins, policy.lockout_minutes)
            session.add(user)
            session.commit()
            return None
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        session.add(user)
        session.commit()
        return _account(user)


def _count_failure(user: User, now: datetime, allowed: int, minutes: float) -> None:
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= allowed:
        user.failed_logins, user.locked_until = 0, now + timedelta(minutes=minutes)


def account(services: Services, user_id: int) -> Account | None:
    with Session(services.engine) as session:
        user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return _account(user)


def list_users(services: Services) -> list[AccountRow]:
    with Session(services.engine) as session:
        users = session.exec(select(User).order_by(User.name)).all()
    now = now_utc()
    return [
        AccountRow(
            u.name,
            u.role,
            u.active,
            u.locked_until if u.locked_until and u.locked_until > now else None,
            u.created_at,
            u.last_login_at,
        )
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
        user.failed_logins, user.locked_until = 0, None
        return _saved(session, user)


def set_role(services: Services, name: str, role: str) -> Account:
    _check_role(role)
    with Session(services.engine) as session:
        user = _by_name(session, name)
        user.role = role
        return _saved(session, user)


def set_active(services: Services, name: str, active: bool) -> Account:
    """Disable (its sessions end at once) or enable an account; enabling lifts a lock."""
    with Session(services.engine) as session:
        user = _by_name(session, name)
        user.active = active
        if active:
            user.failed_logins, user.locked_until = 0, None
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
    stamp = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    return Account(user.id or 0, user.name, user.role, stamp)


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
