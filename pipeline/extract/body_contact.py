"""The contact person a request letter names in its body ("CP. Rina Marlina / 0812-…",
"narahubung: …"): the penanggung jawab when no form gives one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.contact import normalize_telepon
from pipeline.extract.labels import from_line
from pipeline.models import FieldValue, TextLine

CONTACT_RE = re.compile(
    r"\b(?:CP|narahubung|contact\s+person|kontak\s+person)\b\.?\s*:?\s*"
    r"(?P<nama>[A-Z][^/()\d:]{2,60}?)\s*[/,(\-–]?\s*(?:(?:HP|WA|telp\.?|no\.?\s*hp)\s*:?\s*)?"
    r"(?P<telepon>(?:\+62|0)[\d\s.\-]{8,18}\d)",
    re.IGNORECASE,
)
BODY_CONTACT_CONFIDENCE = 0.8  # read from running text, not from a labelled form field


def contact_in_body(lines: Sequence[TextLine]) -> dict[str, FieldValue]:
    """Name and telephone of the contact person named in the body, for review."""
    for index, line in enumerate(lines):
        text = " ".join(ln.text for ln in lines[index : index + 2])
        found = CONTACT_RE.search(text)
        if found is None or found.start() >= len(line.text):
            continue
        prov = from_line("penanggung-jawab/isi-surat", line, BODY_CONTACT_CONFIDENCE)
        out = {"penanggung_jawab.nama": FieldValue(found.group("nama").strip(" ,"), prov)}
        phone = normalize_telepon(found.group("telepon")).value
        if phone:
            out["penanggung_jawab.telepon"] = FieldValue(phone, prov)
        return out
    return {}
