"""Check every signature in a PDF: intact, by whom, when, and its chain to trusted roots."""

from __future__ import annotations

import io
import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from pipeline.errors import ConfigurationError
from pipeline.signing.identity import official_of

CERT_SUFFIXES = (".pem", ".crt", ".cer")
# pyHanko logs a traceback for every chain it cannot build; we report that in Indonesian.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko").propagate = False


@dataclass(frozen=True)
class SignatureFacts:
    """One signature as a user sees it (all text in Bahasa Indonesia)."""

    field: str
    intact: bool  # the signed bytes are unchanged and the signature value is right
    trusted: bool  # the certificate chains to one of the trusted roots
    whole_document: bool  # nothing but further signatures was added after it
    nama: str
    nip: str
    jabatan: str
    penerbit: str
    signed_at: datetime | None
    timestamped: bool
    summary: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data


def load_roots(paths: list[Path]) -> list[x509.Certificate]:
    """Certificates from PEM/DER files and from every certificate file in the folders given."""
    roots: list[x509.Certificate] = []
    for path in paths:
        files = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES)
            if (path.is_dir())
            else [path]
        )
        for file in files:
            roots.extend(_certificates(file))
    return roots


def _certificates(file: Path) -> list[x509.Certificate]:
    try:
        data = file.read_bytes()
        if pem.detect(data):
            return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
        return [x509.Certificate.load(data)]
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"Sertifikat akar '{file}' tidak dapat dibaca: {exc}.",
            hint="Periksa penandatanganan.akar_tepercaya di pipeline.toml (berkas PEM/CRT).",
        ) from exc


def check_signatures(data: bytes, roots: list[x509.Certificate]) -> list[SignatureFacts]:
    """Every embedded signature in `data` (a PDF), oldest first; [] when there is none."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        return [_broken("?", f"struktur PDF rusak ({exc})")]
    return [_check_one(signature, roots) for signature in signatures]


def _check_one(signature: Any, roots: list[x509.Certificate]) -> SignatureFacts:
    context = ValidationContext(
        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = validate_pdf_signature(signature, context)
    except Exception as exc:  # pyHanko raises many kinds on a damaged signature
        return _broken(signature.field_name, f"{type(exc).__name__}: {exc}")
    official = official_of(status.signing_cert)
    intact = bool(status.intact and status.valid)
    trusted = bool(status.trusted) and bool(roots)
    whole = status.docmdp_ok is not False and _only_signatures_after(status)
    timestamp = status.timestamp_validity
    signed_at = timestamp.timestamp if timestamp is not None else status.signer_reported_dt
    return SignatureFacts(
        field=signature.field_name,
        intact=intact,
        trusted=trusted,
        whole_document=whole,
        nama=official.nama,
        nip=official.nip,
        jabatan=official.jabatan,
        penerbit=str(status.signing_cert.issuer.native.get("common_name", "-")),
        signed_at=signed_at,
        timestamped=timestamp is not None,
        summary=_summary(intact, trusted, whole, bool(roots)),
    )


def _only_signatures_after(status: Any) -> bool:
    level = status.modification_level
    return level is None or level <= ModificationLevel.FORM_FILLING


def _summary(intact: bool, trusted: bool, whole: bool, have_roots: bool) -> str:
    if not intact:
        return "RUSAK: isi dokumen berubah setelah ditandatangani atau tanda tangan tidak sah"
    parts = ["utuh"]
    if not whole:
        parts.append("tetapi dokumen diubah setelah ditandatangani (selain tanda tangan)")
    if trusted:
        parts.append("rantai sertifikat sah sampai akar tepercaya")
    elif have_roots:
        parts.append("rantai sertifikat TIDAK terhubung ke akar tepercaya")
    else:
        parts.append("rantai sertifikat belum diperiksa (penandatanganan.akar_tepercaya kosong)")
    return ", ".join(parts)


def _broken(field: str, reason: str) -> SignatureFacts:
    return SignatureFacts(
        field=field,
        intact=False,
        trusted=False,
        whole_document=False,
        nama="-",
        nip="",
        jabatan="",
        penerbit="-",
        signed_at=None,
        timestamped=False,
        summary=f"RUSAK: tanda tangan tidak dapat diperiksa ({reason})",
    )
