"""`pipeline user`: local accounts for the web page (add, list, passwd, role, disable, enable)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from pipeline.errors import ExitCode, PipelineError
from pipeline.service.display import wib_text

if TYPE_CHECKING:
    from pipeline.service.context import Services
    from pipeline.service.operations.users import AccountRow

T = TypeVar("T")

app = typer.Typer(help="Akun pengguna halaman web.", no_args_is_help=True)

ROLE_HELP = "admin, sekretariat, kadis, kabid, atau kasi"
UserName = Annotated[str, typer.Argument(metavar="NAMA", help="Nama pengguna.")]


class PasswordMismatchError(PipelineError):
    """The password and its confirmation differ."""

    exit_code = ExitCode.USAGE


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAMA", help="Nama pengguna untuk masuk.")],
    role: Annotated[str, typer.Option("--role", help=f"Peran: {ROLE_HELP}.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Baca kata sandi dari standard input.")
    ] = False,
) -> None:
    """Buat akun baru (kata sandi diminta dua kali, atau dari standard input)."""
    from pipeline.service.operations.users import ROLES, add_user

    password = _from_stdin() if password_stdin else _prompted()
    made = _with_services(ctx, lambda services: add_user(services, name, role, password))
    typer.echo(f"✓ Akun '{made.name}' dibuat dengan peran {ROLES[made.role]}.")


@app.command("list")
def list_accounts(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON.")] = False,
) -> None:
    """Daftar akun: peran, aktif atau tidak, terkunci, terakhir masuk."""
    from pipeline.service.operations.users import list_users

    rows = _with_services(ctx, list_users)
    if as_json:
        typer.echo(json.dumps([_row_json(r) for r in rows], ensure_ascii=False, indent=1))
        return
    table = Table("Nama", "Peran", "Keadaan", "Dibuat", "Terakhir masuk", title="Akun web")
    for row in rows:
        table.add_row(
            row.name, row.role_label, _state(row), _wib(row.created_at), _wib(row.last_login_at)
        )
    Console().print(table)


@app.command("passwd")
def passwd(
    ctx: typer.Context,
    name: UserName,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Baca kata sandi dari standard input.")
    ] = False,
) -> None:
    """Ganti kata sandi (sesi yang masuk dengan kata sandi lama berakhir; kunci dibuka)."""
    from pipeline.service.operations.users import named, set_password

    _with_services(ctx, lambda services: named(services, name))  # before asking for a password
    password = _from_stdin() if password_stdin else _prompted()
    done = _with_services(ctx, lambda services: set_password(services, name, password))
    typer.echo(f"✓ Kata sandi '{done.name}' diganti; sesi lamanya berakhir.")


@app.command("role")
def role(
    ctx: typer.Context,
    name: UserName,
    new_role: Annotated[str, typer.Argument(metavar="PERAN", help=f"Peran: {ROLE_HELP}.")],
) -> None:
    """Ganti peran akun."""
    from pipeline.service.operations.users import ROLES, set_role

    done = _with_services(ctx, lambda services: set_role(services, name, new_role))
    typer.echo(f"✓ Peran '{done.name}' sekarang {ROLES[done.role]}.")


@app.command("disable")
def disable(
    ctx: typer.Context,
    name: UserName,
) -> None:
    """Nonaktifkan akun: tidak bisa masuk lagi dan sesinya berakhir saat itu juga."""
    from pipeline.service.operations.users import set_active

    done = _with_services(ctx, lambda services: set_active(services, name, False))
    typer.echo(f"✓ Akun '{done.name}' dinonaktifkan.")


@app.command("enable")
def enable(
    ctx: typer.Context,
    name: UserName,
) -> None:
    """Aktifkan kembali akun, dan buka kuncinya bila terkunci karena salah kata sandi."""
    from pipeline.service.operations.users import set_active

    done = _with_services(ctx, lambda services: set_active(services, name, True))
    typer.echo(f"✓ Akun '{done.name}' aktif dan tidak terkunci.")


def _with_services(ctx: typer.Context, work: Callable[[Services], T]) -> T:
    services = ctx.obj.services()
    try:
        return work(services)
    finally:
        services.close()


def _state(row: AccountRow) -> str:
    if not row.active:
        return "nonaktif"
    return f"terkunci s.d. {_wib(row.locked_until)}" if row.locked_until else "aktif"


def _wib(moment: datetime | None) -> str:
    return wib_text(moment)


def _row_json(row: AccountRow) -> dict[str, object]:
    return {
        "nama": row.name,
        "peran": row.role,
        "aktif": row.active,
        "terkunci_sampai": row.locked_until.isoformat() if row.locked_until else None,
        "dibuat": row.created_at.isoformat(),
        "terakhir_masuk": row.last_login_at.isoformat() if row.last_login_at else None,
    }


def _from_stdin() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _prompted() -> str:
    first = typer.prompt("Kata sandi", hide_input=True)
    second = typer.prompt("Ulangi kata sandi", hide_input=True)
    if first != second:
        raise PasswordMismatchError(
            "Kedua kata sandi tidak sama; tidak ada yang diubah.", hint="Jalankan perintahnya lagi."
        )
    return str(first)
