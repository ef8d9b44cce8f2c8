"""Fields of a request letter: nomor surat, tanggal, perihal, the requested subdomain."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.dates import find_place_date
from pipeline.extract.labels import LabelHit, from_line, is_label_line
from pipeline.extract.nomor import find_nomor, repair_ocr_digits
from pipeline.extract.subdomain import find_subdomains
from pipeline.models import FieldValue, Provenance, TextLine

STOP_RE = re.compile(r"^\s*(?:yth\.?|kepada|di\s*-?$|dengan\s+hormat)", re.I)
INLINE_STOP_RE = re.compile(r"\s(?:kepada\s+)?yth\b.*$|\skepada\s*$", re.I)
SUBDOMAIN_CUE_RE = re.compile(r"sub\s*-?\s*domain|alamat|domain", re.I)


def nomor_surat(hits: Sequence[LabelHit]) -> FieldValue | None:
    for hit in hits:
        if hit.field != "nomor_surat":
            continue
        found, corrected = find_nomor(hit.value), False
        if hit.line.conf < 1.0:  # OCR: O for 0 and l for 1 in numbers, 1X for IX in months
            repaired, corrected = repair_ocr_digits(hit.value.lstrip(" :;1Il|"))
            found = find_nomor(repaired) if corrected or found is None else found
        if found:
            prov = Provenance(
                f"nomor/{hit.rule}", hit.line.page, hit.line.text, 0.95 * hit.line.conf, corrected
            )
            return FieldValue(found.value, prov)
    return None


def tanggal_surat(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """The letter's own date: a `Tanggal :` label, else the first place-and-date line."""
    for hit in hits:
        if hit.field == "tanggal":
            found = find_place_date(f"Tanggal : {hit.value}")
            if found:
                prov = Provenance(
                    "tanggal/label", hit.line.page, hit.line.text, 0.95 * hit.line.conf
                )
                return FieldValue(found.date.isoformat(), prov)
    for line in lines:
        found = find_place_date(line.text)
        if found:
            prov = from_line("tanggal/tempat-tanggal", line, 0.9, matched=found.text)
            return FieldValue(found.date.isoformat(), prov)
    return None


def perihal(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    for hit in hits:
        if hit.field == "perihal" and hit.left_value:
            parts = [_before_stop(hit.left_value), *_continuation(lines, hit)]
            value = " ".join(join_wrapped(parts).split()).strip(" .")
            prov = Provenance(
                f"perihal/{hit.rule}", hit.line.page, hit.line.text, 0.9 * hit.line.conf
            )
            return FieldValue(value, prov)
    return None


def join_wrapped(parts: Sequence[str]) -> str:
    """Join wrapped lines; a word broken after a hyphen ("DASHBOARD-" + "COVID") stays whole."""
    out = ""
    for part in (p.strip() for p in parts if p.strip()):
        glue = "" if not out or (out.endswith("-") and part[:1].isalnum()) else " "
        out += glue + part
    return out


def _before_stop(text: str) -> str:
    match = INLINE_STOP_RE.search(text)
    return text[: match.start()] if match else text


def _continuation(lines: Sequence[TextLine], hit: LabelHit) -> list[str]:
    """Wrapped subject lines of a laid-out page: indented under the value, left column only."""
    if not hit.line.laid_out:
        return []
    extra: list[str] = []
    for line in lines[hit.line_index + 1 : hit.line_index + 5]:
        left = line.left_cells()
        first = left[0] if left else None
        if (
            first is None
            or line.page != hit.line.page
            or (is_label_line(line) and (len(left) > 1 or ":" in first.text))
            or STOP_RE.match(first.text)
            or find_place_date(first.text)
            or first.x0 <= hit.line.x0 + 8
            or first.x0 >= 0.5 * line.width
        ):
            break
        extra.append(_before_stop(" ".join(c.text for c in left)))
    return extra


def subdomain_in_body(lines: Sequence[TextLine], skip: int) -> FieldValue | None:
    """The host the letter asks for, preferring one written after the word 'subdomain'."""
    body = lines[skip:]
    text = "\n".join(line.text for line in body)
    hosts = find_subdomains(text)
    if not hosts:
        return None
    cue = SUBDOMAIN_CUE_RE.search(text)
    chosen = hosts[0]
    if cue:
        after = find_subdomains(text[cue.start() :])
        chosen = after[0] if after else chosen
    line = next((ln for ln in body if chosen.split(".")[0] in ln.text.lower()), None)
    page, conf = (line.page, line.conf) if line else (None, 0.5)
    confidence = (0.9 if len(set(hosts)) == 1 else 0.75) * conf
    return FieldValue(chosen, Provenance("subdomain/isi-surat", page, chosen, confidence))


def letterhead_end(lines: Sequence[TextLine]) -> int:
    """Index of the first line after the letterhead (its website must not count as a request)."""
    for index, line in enumerate(lines[:12]):
        if line.text.startswith(("___", "---", "===")) or is_label_line(line):
            return index
        if find_place_date(line.text):
            return index
    return 0
