"""Fields of a request letter: nomor surat, tanggal, perihal, the requested subdomain."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.extract.dates import find_place_date
from pipeline.extract.labels import LabelHit, is_label_line
from pipeline.extract.nomor import find_nomor
from pipeline.extract.subdomain import find_subdomains
from pipeline.models import FieldValue, Provenance, TextLine

STOP_RE = re.compile(r"^\s*(?:yth\.?|kepada|di\s*-?$|dengan\s+hormat)", re.I)
SUBDOMAIN_CUE_RE = re.compile(r"sub\s*-?\s*domain|alamat|domain", re.I)


def nomor_surat(hits: Sequence[LabelHit]) -> FieldValue | None:
    for hit in hits:
        if hit.field != "nomor_surat":
            continue
        found = find_nomor(hit.value)
        if found:
            prov = Provenance(f"nomor/{hit.rule}", hit.line.page, hit.line.text, 0.95)
            return FieldValue(found.value, prov)
    return None


def tanggal_surat(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """The letter's own date: a `Tanggal :` label, else the first place-and-date line."""
    for hit in hits:
        if hit.field == "tanggal":
            found = find_place_date(f"Tanggal : {hit.value}")
            if found:
                prov = Provenance("tanggal/label", hit.line.page, hit.line.text, 0.95)
                return FieldValue(found.date.isoformat(), prov)
    for line in lines:
        found = find_place_date(line.text)
        if found:
            prov = Provenance("tanggal/tempat-tanggal", line.page, found.text, 0.9)
            return FieldValue(found.date.isoformat(), prov)
    return None


def perihal(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    for hit in hits:
        if hit.field == "perihal" and hit.value:
            parts = [hit.value, *_continuation(lines, hit)]
            value = " ".join(" ".join(parts).split()).strip(" .")
            prov = Provenance(f"perihal/{hit.rule}", hit.line.page, hit.line.text, 0.9)
            return FieldValue(value, prov)
    return None


def _continuation(lines: Sequence[TextLine], hit: LabelHit) -> list[str]:
    """Wrapped subject lines: indented under the value, before the addressee."""
    extra: list[str] = []
    value_x = hit.line.cells[1].x0 if len(hit.line.cells) > 1 else hit.line.x0 + 15
    for line in lines[hit.line_index + 1 : hit.line_index + 3]:
        if (
            line.page != hit.line.page
            or is_label_line(line)
            or STOP_RE.match(line.text)
            or find_place_date(line.text)
            or line.x0 < value_x - 3
            or len(line.cells) > 1
        ):
            break
        extra.append(line.text)
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
    page = next((ln.page for ln in body if chosen.split(".")[0] in ln.text.lower()), None)
    confidence = 0.9 if len(set(hosts)) == 1 else 0.75
    return FieldValue(chosen, Provenance("subdomain/isi-surat", page, chosen, confidence))


def letterhead_end(lines: Sequence[TextLine]) -> int:
    """Index of the first line after the letterhead (its website must not count as a request)."""
    for index, line in enumerate(lines[:12]):
        if line.text.startswith(("___", "---", "===")) or is_label_line(line):
            return index
        if find_place_date(line.text):
            return index
    return 0
