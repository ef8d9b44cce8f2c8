"""The persons of a statement (surat pernyataan, surat kuasa, surat keterangan): the blocks of
`Nama : … / Jabatan : … / Nomor HP : …` rows that "Yang bertanda tangan di bawah ini" (the
signer) and "memberi kuasa kepada" (the person given power) open. Such rows describe people,
not a request form's fields; the person a statement attached to a request puts in charge (the
grantee of a surat kuasa, else its signer) is the contact for that request."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.contact import normalize_nip, normalize_telepon
from pipeline.extract.labels import from_line
from pipeline.models import FieldValue, TextLine

SIGNER_RE = re.compile(r"yang\s+bertanda\s*tangan\s+di\s*bawah\s*ini", re.I)
GRANTEE_RE = re.compile(r"\b(?:memberi(?:kan)?|diberi)\s+kuasa\s+kepada\b", re.I)
# One row of a person's block; OCR reads its colon as a quote or a semicolon, or loses it.
ROW_RE = re.compile(
    r"^\W*(?P<label>nama(?:\s+lengkap)?|jabatan|nip|(?:nomor|no\.?)\s*(?:hp|telepon|telp\.?)"
    r"|telepon|telp\.?|hp|e-?mail)\s*[:;“”\"'.]?\s*(?P<value>\S.*)$",
    re.I,
)
FIELDS = {"nama": "nama", "jabatan": "jabatan", "nip": "nip", "e-mail": "email", "email": "email"}
MAX_ROWS = 6
STATEMENT_PERSON_CONFIDENCE = 0.8  # who is in charge is inferred from the statement: reviewed


def is_statement_page(lines: Sequence[TextLine], page: int) -> bool:
    return any(ln.page == page and SIGNER_RE.search(ln.text) for ln in lines)


def statement_person(lines: Sequence[TextLine]) -> dict[str, FieldValue]:
    """The penanggung jawab a statement names: the grantee's block of a surat kuasa, else the
    signer's block; {} when the document holds no statement."""
    opener = _last(lines, GRANTEE_RE)
    if opener is None:
        opener = _last(lines, SIGNER_RE)
    if opener is None:
        return {}
    out: dict[str, FieldValue] = {}
    for line in lines[opener + 1 : opener + 1 + MAX_ROWS]:
        row = ROW_RE.match(line.text)
        if row is None:
            break
        _put_row(out, row.group("label").lower(), row.group("value").strip(" :;“”\"'"), line)
    return out if "penanggung_jawab.nama" in out else {}


def _put_row(out: dict[str, FieldValue], label: str, value: str, line: TextLine) -> None:
    kind = FIELDS.get(label.split()[0], "telepon")
    prov = from_line("penanggung-jawab/surat-pernyataan", line, STATEMENT_PERSON_CONFIDENCE)
    if kind == "telepon":
        phone = normalize_telepon(value).value
        if phone:
            out["penanggung_jawab.telepon"] = FieldValue(phone, prov)
    elif kind == "nip":
        nip = normalize_nip(value)
        if nip:
            out["penanggung_jawab.nip"] = FieldValue(nip, prov)
    elif value:
        out[f"penanggung_jawab.{kind}"] = FieldValue(value, prov)


def _last(lines: Sequence[TextLine], pattern: re.Pattern[str]) -> int | None:
    found = [i for i, ln in enumerate(lines) if pattern.search(ln.text)]
    return found[-1] if found else None
