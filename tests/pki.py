"""A throw-away PKI for signing tests: root CA → intermediate CA → officials (PKCS#12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSPHRASE = b"rahasia-uji"


@dataclass(frozen=True)
class Authority:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate


def _name(cn: str, **extra: str) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Pemerintah Provinsi Banten (uji)"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    oids = {"nip": NameOID.SERIAL_NUMBER, "jabatan": NameOID.TITLE}
    attributes += [x509.NameAttribute(oids[key], value) for key, value in extra.items()]
    return x509.Name(attributes)


def _issue(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: Authority | None,
    ca: bool,
) -> x509.Certificate:
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    return builder.sign(issuer.key if issuer else key, hashes.SHA256())


def make_authority(cn: str, parent: Authority | None = None) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    return Authority(key, _issue(_name(cn), key, parent, ca=True))


@dataclass(frozen=True)
class Pki:
    root: Authority
    intermediate: Authority

    def write_root(self, path: Path) -> Path:
        path.write_bytes(self.root.certificate.public_bytes(serialization.Encoding.PEM))
        return path

    def official_p12(self, path: Path, nama: str, nip: str, jabatan: str) -> Path:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = _name(nama, nip=nip, jabatan=jabatan)
        certificate = _issue(subject, key, self.intermediate, ca=False)
        data = pkcs12.serialize_key_and_certificates(
            nama.encode(),
            key,
            certificate,
            [self.intermediate.certificate],
            serialization.BestAvailableEncryption(PASSPHRASE),
        )
        path.write_bytes(data)
        return path


def make_pki() -> Pki:
    root = make_authority("CA Akar Uji")
    return Pki(root, make_authority("CA Antara Uji", root))
