"""The watched mailbox over TLS (IMAPS), against a real Dovecot with the office's own certificate.

A server whose certificate the machine does not trust is refused with an Indonesian reason that
names `surel.berkas_ca`, and the watcher keeps running; with the certificate given as
`surel.berkas_ca` the message is fetched over TLS, registered and moved to `Tercatat`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.live_process import run_pipeline, start_watcher
from tests.test_mailbox_live import (
    DONE,
    Dovecot,
    complete,
    dovecot,  # noqa: F401  (the fixture the server is made from)
    free_port,
    message,
    settings_for,
    wait_until,
)

pytestmark = pytest.mark.slow


def self_signed(folder: Path) -> tuple[Path, Path]:
    """The office mail server's own certificate for 127.0.0.1, signed by itself."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.diskominfo.uji")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "surel-ca.pem", folder / "surel.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, private


@pytest.fixture
def tls_dovecot(dovecot: Dovecot) -> Iterator[tuple[Dovecot, int, Path]]:  # noqa: F811
    """The test's Dovecot, restarted with IMAPS on a port of its own (plain IMAP stays for the
    test's own client, which delivers and counts)."""
    cert, key = self_signed(dovecot.root)
    tls_port = free_port()
    text = dovecot.config.read_text(encoding="utf-8")
    text = text.replace("ssl = no", f"ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}")
    text = text.replace(
        "inet_listener imaps {\n    port = 0", f"inet_listener imaps {{\n    port = {tls_port}"
    )
    dovecot.stop()
    dovecot.config.write_text(text, encoding="utf-8")
    dovecot.start()
    yield dovecot, tls_port, cert


def test_the_mailbox_is_read_over_tls_with_the_offices_own_certificate(
    tls_dovecot: tuple[Dovecot, int, Path], tmp_path: Path
) -> None:
    server, tls_port, cert = tls_dovecot
    home = tmp_path / "ws"
    assert run_pipeline(home, "init", str(home)).returncode == 0
    made = tmp_path / "pdf"
    made.mkdir()
    server.deliver(message(0, made))
    settings = {**settings_for(server, home), "SUREL__PORT": str(tls_port), "SUREL__TLS": "true"}
    untrusted = tmp_path / "tanpa-ca.log"
    watcher = start_watcher(home, untrusted, settings)
    try:
        wait_until(lambda: "tidak dipercaya" in untrusted.read_text(), 60, untrusted, "refusal")
        assert watcher.poll() is None, "the watcher must keep running without its mailbox"
    finally:
        _stop(watcher)
    assert server.count("INBOX") == 1 and complete(home) == 0
    assert "surel.berkas_ca" in untrusted.read_text()
    trusted = tmp_path / "dengan-ca.log"
    watcher = start_watcher(home, trusted, {**settings, "SUREL__BERKAS_CA": str(cert)})
    try:
        wait_until(lambda: server.count(DONE) == 1 and complete(home) == 1, 90, trusted, "TLS")
    finally:
        _stop(watcher)
    assert watcher.returncode == 0, trusted.read_text()
    assert "Traceback" not in untrusted.read_text() + trusted.read_text()


def _stop(watcher: subprocess.Popen[bytes]) -> None:
    watcher.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        watcher.wait(timeout=30)
