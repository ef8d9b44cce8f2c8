"""`pipeline serve`: the web page for clerks and officials (uvicorn).

The web shell is a sibling of the command line, so it is started by its import string (the
uvicorn factory way) with the workspace handed over in PIPELINE_HOME, not imported here.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
from pathlib import Path

import typer

from pipeline.cli.common import State
from pipeline.errors import ConfigurationError

WEB_FACTORY = "pipeline.web.app:app_for_environment"
SECURE_COOKIE_ENV = "PIPELINE_SERVE_SECURE_COOKIE"  # read by pipeline.web.app
PLAIN_HTTP_WARNING = (
    "PERINGATAN: halaman web dibuka untuk komputer lain tanpa HTTPS. Kata sandi dan cookie "
    "sesi akan melintas di jaringan kantor tanpa enkripsi dan dapat disadap. Jalankan dengan "
    "--certfile dan --keyfile (lihat README, bagian sertifikat untuk kantor), atau dengarkan "
    "di 127.0.0.1 di belakang reverse proxy HTTPS kantor (--proxy)."
)


def is_local(host: str) -> bool:
    """Only this computer can reach `host` (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name: it may well be reachable from elsewhere


def check_tls(certfile: Path, keyfile: Path | None) -> None:
    """The certificate and key load together, or an error that says which file to fix."""
    for path in (certfile, keyfile):
        if path is not None and not path.is_file():
            raise ConfigurationError(
                f"Berkas '{path}' tidak ditemukan.",
                hint="Sebutkan berkas sertifikat (--certfile) dan kuncinya (--keyfile), PEM.",
            )
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except (ssl.SSLError, OSError) as exc:
        raise ConfigurationError(
            f"Sertifikat '{certfile}' dan kunci '{keyfile or certfile}' tidak dapat dipakai "
            f"untuk HTTPS ({exc.__class__.__name__}).",
            hint="Keduanya harus berformat PEM, kuncinya tanpa kata sandi, dan kunci itu "
            "harus pasangan sertifikatnya. Lihat README untuk perintah openssl-nya.",
        ) from exc


def run_serve(
    state: State,
    host: str,
    port: int,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    proxy: str | None = None,
) -> None:
    import uvicorn

    from pipeline.service.operations.users import count_users

    if keyfile is not None and certfile is None:
        raise ConfigurationError(
            "--keyfile tanpa --certfile.", hint="Sebutkan juga sertifikatnya: --certfile FILE."
        )
    if certfile is not None:
        check_tls(certfile, keyfile)
    services = state.services()
    try:
        accounts = count_users(services)
    finally:
        services.close()
    os.environ["PIPELINE_HOME"] = str(state.home.resolve())
    secure = certfile is not None or proxy is not None
    os.environ[SECURE_COOKIE_ENV] = "1" if secure else "0"
    scheme = "https" if certfile is not None else "http"
    typer.echo(f"Halaman web: {scheme}://{_in_url(host)}:{port}/  (Ctrl+C untuk berhenti)")
    if proxy is not None:
        typer.echo(
            f"Di belakang reverse proxy {proxy}: alamat pengunjung dibaca dari X-Forwarded-For, "
            "cookie sesi hanya dikirim lewat HTTPS."
        )
    if not accounts:
        typer.echo("Belum ada akun: buat dulu dengan `pipeline user add NAMA --role PERAN`.")
    if not is_local(host):
        if certfile is None:
            typer.echo(PLAIN_HTTP_WARNING, err=True)
        else:
            typer.echo("Halaman web dapat dibuka dari komputer lain di jaringan ini (HTTPS).")
    uvicorn.run(
        WEB_FACTORY,
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        # Forwarded headers only from the proxy named: nobody else may claim another address
        # (the login lockout counts per address).
        proxy_headers=proxy is not None,
        forwarded_allow_ips=proxy,
    )


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host
