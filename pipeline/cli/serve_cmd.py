"""`pipeline serve`: the web page for clerks and officials (uvicorn).

The web shell is a sibling of the command line, so it is started by its import string (the
uvicorn factory way) with the workspace handed over in PIPELINE_HOME, not imported here.
"""

from __future__ import annotations

import os

import typer

from pipeline.cli.common import State

WEB_FACTORY = "pipeline.web.app:app_for_environment"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def run_serve(state: State, host: str, port: int) -> None:
    import uvicorn

    from pipeline.service.users import count_users

    services = state.services()
    try:
        accounts = count_users(services)
    finally:
        services.close()
    os.environ["PIPELINE_HOME"] = str(state.home.resolve())
    typer.echo(f"Halaman web: http://{host}:{port}/  (Ctrl+C untuk berhenti)")
    if not accounts:
        typer.echo("Belum ada akun: buat dulu dengan `pipeline user add NAMA --role PERAN`.")
    if host not in LOCAL_HOSTS:
        typer.echo("Perhatian: halaman web dapat dibuka dari komputer lain di jaringan ini.")
    uvicorn.run(WEB_FACTORY, factory=True, host=host, port=port, log_level="warning")
