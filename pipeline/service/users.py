"""Local accounts for the web page: names, roles and argon2 password hashes (pwdlib)."""

from __future__ import annotations

from dataclasses import dataclass

from pwdlib import PasswordHash
from sqlmodel import Session, select

from pipeline.errors import ConflictError, ExitCode, PipelineError
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


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


def add_user(services: Services, name: str, role: str, password: str) -> Account:
    name = name.strip()
    if role not in ROLES:
        raise InvalidAccountError(
            f"Peran '{role}' tidak dikenal.", hint="Peran yang ada: " + ", ".join(ROLES) + "."
        )
    if not name:
        raise InvalidAccountError("Nama pengguna tidak boleh kosong.")
    if len(password) < MIN_PASSWORD:
        raise InvalidAccountError(
            f"Kata sandi terlalu pendek (paling sedikit {MIN_PASSWORD} karakter)."
        )
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
        return Account(user.id or 0, user.name, user.role)


def authenticate(services: Services, name: str, password: str) -> Account | None:
    """The account when the password matches, else None (same answer for an unknown name)."""
    with Session(services.engine) as session:
        user = session.exec(select(User).where(User.name == name.strip())).first()
    if user is None or not user.active:
        _HASHER.hash(password)  # spend the same time as a real check
        return None
    if not _HASHER.verify(password, user.password_hash):
        return None
    return Account(user.id or 0, user.name, user.role)


def account(services: Services, user_id: int) -> Account | None:
    with Session(services.engine) as session:
        user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return Account(user.id or 0, user.name, user.role)


def count_users(services: Services) -> int:
    with Session(services.engine) as session:
        return len(session.exec(select(User.id)).all())
