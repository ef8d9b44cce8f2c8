"""`pipeline user add`: local accounts for the web page."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pipeline.errors import ExitCode, PipelineError

app = typer.Typer(help="Akun pengguna halaman web.", no_args_is_help=True)

ROLE_HELP = "admin, sekretariat, kadis, kabid, atau kasi"


class PasswordMismatchError(PipelineError):
    """The password and its confirmation differ."""

    exit_code = ExitCode.USAGE


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Nama pengguna untuk masuk.")],
    role: Annotated[str, typer.Option("--role", help=f"Peran: {ROLE_HELP}.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Baca kata sandi dari standard input.")
    ] = False,
) -> None:
    """Buat akun baru (kata sandi diminta dua kali, atau dari standard input)."""
    from pipeline.service.users import ROLES, add_user

    password = _from_stdin() if password_stdin else _prompted()
    services = ctx.obj.services()
    try:
        made = add_user(services, name, role, password)
    finally:
        services.close()
    typer.echo(f"✓ Akun '{made.name}' dibuat dengan peran {ROLES[made.role]}.")


def _from_stdin() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _prompted() -> str:
    first = typer.prompt("Kata sandi", hide_input=True)
    second = typer.prompt("Ulangi kata sandi", hide_input=True)
    if first != second:
        raise PasswordMismatchError(
            "Kedua kata sandi tidak sama; akun tidak dibuat.", hint="Jalankan perintahnya lagi."
        )
    return str(first)
