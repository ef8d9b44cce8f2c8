"""Who a certificate belongs to: the official's name, NIP and position from its subject."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509
from pyhanko.sign.signers import SimpleSigner

from pipeline.errors import UnreadableFileError

NIP_RE = re.compile(r"\b(\d{18})\b")


@dataclass(frozen=True)
class Official:
    nama: str
    nip: str
    jabatan: str


def load_signer(p12: Path, passphrase: bytes | None) -> SimpleSigner:
    """The key and certificates in a PKCS#12 (.p12/.pfx) file."""
    if not p12.is_file():
        raise UnreadableFileError(
            f"Berkas sertifikat '{p12}' tidak ditemukan.",
            hint="Sebutkan berkas .p12/.pfx dari BSrE (atau CA kantor) dengan --p12.",
        )
    try:
        signer = SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(p12), passphrase=passphrase
        )
    except (ValueError, TypeError, OSError):
        signer = None
    if not isinstance(signer, SimpleSigner):
        raise UnreadableFileError(
            f"Sertifikat '{p12.name}' tidak dapat dibuka: kata sandi salah atau berkas rusak.",
            hint="Periksa kata sandi berkas .p12, atau minta berkas baru dari penerbitnya.",
        )
    return signer


def official_of(certificate: x509.Certificate) -> Official:
    """Name (CN), NIP (serialNumber, or an 18-digit number in the CN) and position (title/OU)."""
    subject = certificate.subject.native
    nama = str(subject.get("common_name", "")).strip()
    nip = _nip(str(subject.get("serial_number", ""))) or _nip(nama)
    nama = NIP_RE.sub("", nama).strip(" ,-")
    jabatan = subject.get("title") or subject.get("organizational_unit_name") or ""
    if isinstance(jabatan, list):
        jabatan = ", ".join(str(part) for part in jabatan)
    return Official(nama or "-", nip, str(jabatan))


def _nip(text: str) -> str:
    found = NIP_RE.search(re.sub(r"[\s.]", "", text))
    return found.group(1) if found else ""
