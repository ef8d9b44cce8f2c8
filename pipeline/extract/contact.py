"""Contact details of the person responsible (penanggung jawab): telephone, e-mail, NIP.

The office records what the form says. A telephone number that cannot be an Indonesian number
is dropped with a problem; an e-mail address with a syntax error is kept as written and flagged,
so that the secretariat can confirm it with the OPD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email

__all__ = ["EmailResult", "PhoneResult", "normalize_email", "normalize_nip", "normalize_telepon"]

_REGION = "ID"
_CONFIRM = "mohon dikonfirmasi ke OPD"


@dataclass(frozen=True, slots=True)
class PhoneResult:
    """``value`` in E.164 (``+6281234567890``) when the number is possible, else ``None``."""

    value: str | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class EmailResult:
    """``value`` lowercase as written (``None`` only without an "@"); ``problems`` if invalid."""

    value: str | None
    problems: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------- telephone

_PHONE_REASONS = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "kode negara tidak dikenal",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "kode wilayah (mis. 0254) belum ditulis",
    phonenumbers.ValidationResult.TOO_SHORT: "angkanya terlalu sedikit",
    phonenumbers.ValidationResult.TOO_LONG: "angkanya terlalu banyak",
    phonenumbers.ValidationResult.INVALID_LENGTH: "jumlah angkanya tidak sesuai",
}


def normalize_telepon(raw: str) -> PhoneResult:
    """An Indonesian telephone or mobile number in E.164; a problem when it cannot be one.

    Numbers phonenumbers deems possible but not valid (a new prefix, say) are kept without a
    problem: the library's tables lag behind the operators.
    """
    text = raw.strip()
    if not text:
        return PhoneResult(None, ("Nomor telepon kosong: belum diisi.",))
    try:
        number = phonenumbers.parse(text, _REGION)
    except phonenumbers.NumberParseException:
        return PhoneResult(None, (_bad_phone(text, "bukan nomor telepon yang bisa dibaca"),))
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        why = _PHONE_REASONS.get(reason, "bukan nomor telepon yang mungkin")
        return PhoneResult(None, (_bad_phone(text, why),))
    value = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.country_code != phonenumbers.country_code_for_region(_REGION):
        return PhoneResult(value, (_bad_phone(text, "bukan nomor Indonesia (+62)"),))
    return PhoneResult(value)


def _bad_phone(text: str, reason: str) -> str:
    return f"Nomor telepon '{text}' tidak sah: {reason}; {_CONFIRM}."


# ---------------------------------------------------------------------------------- e-mail

_MAILTO_RE = re.compile(r"^mailto:", re.IGNORECASE)
_BRACKETED_RE = re.compile(r"<([^<>]*@[^<>]*)>")
_SPACE_AT_SEPARATOR_RE = re.compile(r"\s*([@.])\s*")
_EDGE_JUNK = " \t\r\n<>\"'()[]"
_TRAILING_PUNCTUATION = ".,;:!?"
_LOCAL_CHARS_RE = re.compile(r"[a-z0-9.!#$%&'*+/=?^_`{|}~\-]+")
_DOMAIN_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?")


def normalize_email(raw: str) -> EmailResult:
    """Lowercase and clean an e-mail address; keep it as written when its syntax is wrong."""
    value = _clean_email(raw)
    if not value:
        return EmailResult(None, ("Alamat email kosong: belum diisi.",))
    if "@" not in value:
        message = f"Alamat email '{raw.strip()}' tidak sah: tidak ada tanda @; {_CONFIRM}."
        return EmailResult(None, (message,))
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        reason = _email_reason(value)
        return EmailResult(value, (f"Alamat email '{value}' tidak sah: {reason}; {_CONFIRM}.",))
    return EmailResult(value)


def _clean_email(raw: str) -> str:
    value = raw.strip()
    if bracketed := _BRACKETED_RE.search(value):
        value = bracketed.group(1)  # "Budi <budi@x.go.id>"
    value = value.strip(_EDGE_JUNK)
    value = _MAILTO_RE.sub("", value).strip(_EDGE_JUNK)
    value = value.rstrip(_TRAILING_PUNCTUATION + _EDGE_JUNK)
    return _SPACE_AT_SEPARATOR_RE.sub(r"\1", value).lower()


def _email_reason(value: str) -> str:
    """Why an address is invalid, in words a clerk understands."""
    if value.count("@") > 1:
        return "tanda @ lebih dari satu"
    local, domain = value.split("@")
    for reason, broken in (
        ("bagian sebelum @ kosong", not local),
        ("bagian setelah @ kosong", not domain),
        ("ada spasi di dalamnya", any(ch.isspace() for ch in value)),
        ("ada dua titik berurutan (..)", ".." in value),
        ("bagian sebelum @ diawali atau diakhiri titik", local[:1] == "." or local[-1:] == "."),
        ("bagian sebelum @ memuat karakter yang tidak boleh", not _LOCAL_CHARS_RE.fullmatch(local)),
        ("nama domain setelah @ harus memuat titik (contoh: bantenprov.go.id)", "." not in domain),
        ("nama domain setelah @ tidak sesuai aturan", not _valid_domain(domain)),
    ):
        if broken:
            return reason
    return "formatnya tidak sesuai aturan alamat email"


def _valid_domain(domain: str) -> bool:
    return all(_DOMAIN_LABEL_RE.fullmatch(label) for label in domain.split("."))


# ---------------------------------------------------------------------------------- NIP

_NIP_RE = re.compile(
    r"(?P<born>\d{8})(?P<tmt_year>\d{4})(?P<tmt_month>\d{2})(?P<gender>[12])(?P<serial>\d{3})"
)
_NIP_LABEL_RE = re.compile(r"^\s*NIP\s*[.:]?\s*", re.IGNORECASE)


def normalize_nip(raw: str) -> str | None:
    """An 18-digit NIP ("19900511 201802 1 009" → "199005112018021009"), or ``None``.

    Plausible means: a real birth date, an appointment month (TMT) 1–12 not before the birth
    year, and a gender digit 1 or 2.
    """
    digits = re.sub(r"\s+", "", _NIP_LABEL_RE.sub("", raw))
    match = _NIP_RE.fullmatch(digits) if digits.isascii() else None
    if match is None:
        return None
    born = _birth_date(match.group("born"))
    tmt_year, tmt_month = int(match.group("tmt_year")), int(match.group("tmt_month"))
    if born is None or not 1 <= tmt_month <= 12 or tmt_year < born.year:
        return None
    return digits


def _birth_date(text: str) -> date | None:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return born if born.year >= 1900 else None
