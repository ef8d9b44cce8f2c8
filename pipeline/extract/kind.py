"""Is this file a request letter, a request form, both, or some other letter?"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract.labels import LabelHit
from pipeline.extract.statement import is_statement_page
from pipeline.models import Kind, ReadDocument

FORM_TITLE_RE = re.compile(
    r"^\s*(?:formulir|form|blanko)\s+(?:isian\s+)?(?:pengajuan|permohonan)(?!.*terlampir)", re.I
)
# Requests this office handles: integration, a (sub)domain, hosting or a server.
REQUEST_RE = re.compile(r"integrasi|domain|hosting|\bserver\b|\bvps\b|kolokasi|colocation", re.I)
ADDRESSEE_RE = re.compile(r"^\s*(?:yth\.?|kepada\s+yth)", re.I)
FORM_LABELS = frozenset(
    {
        "nomor_permohonan",
        "opd",
        "nama",
        "telepon",
        "email",
        "jabatan",
        "subdomain",
        "subdomain_name",
        "pj_section",
    }
)


@dataclass(frozen=True)
class KindEvidence:
    kind: Kind
    letter_pages: frozenset[int]
    form_pages: frozenset[int]


def classify(doc: ReadDocument, hits: Sequence[LabelHit]) -> KindEvidence:
    form_pages = _form_pages(doc, hits)
    letter_pages = _letter_pages(doc, hits) - (form_pages - _pages_with_perihal(hits))
    if letter_pages and form_pages:
        kind = Kind.LETTER_FORM
    elif form_pages:
        kind = Kind.FORM
    elif letter_pages:
        kind = Kind.LETTER if _is_request(doc, hits) else Kind.OTHER
    else:
        kind = Kind.OTHER
    if kind is Kind.LETTER_FORM and not _is_request(doc, hits):
        kind = Kind.FORM
    return KindEvidence(kind, frozenset(letter_pages), frozenset(form_pages))


def _form_pages(doc: ReadDocument, hits: Sequence[LabelHit]) -> set[int]:
    """Pages titled as a form, or holding three of a form's labels; the persons' rows of a
    statement ('Yang bertanda tangan di bawah ini: Nama …') are not a form's."""
    pages = {ln.page for ln in doc.lines if FORM_TITLE_RE.search(ln.text)}
    by_page: dict[int, set[str]] = {}
    for hit in hits:
        if hit.line.page not in pages and is_statement_page(doc.lines, hit.line.page):
            continue
        if hit.field in FORM_LABELS:
            by_page.setdefault(hit.line.page, set()).add(hit.field)
    pages |= {page for page, fields in by_page.items() if len(fields) >= 3}
    if len(doc.form_fields) >= 3 and not pages and doc.pages:
        pages.add(doc.pages[-1].number)
    return pages


def _letter_pages(doc: ReadDocument, hits: Sequence[LabelHit]) -> set[int]:
    pages = _pages_with_perihal(hits)
    addressed = {ln.page for ln in doc.lines if ADDRESSEE_RE.match(ln.text)}
    numbered = {h.line.page for h in hits if h.field == "nomor_surat"}
    return pages | (addressed & numbered)


def _pages_with_perihal(hits: Sequence[LabelHit]) -> set[int]:
    return {h.line.page for h in hits if h.field == "perihal" and h.value}


def _is_request(doc: ReadDocument, hits: Sequence[LabelHit]) -> bool:
    # the subject's own column: an addressee block beside an empty value is not a subject
    perihal = " ".join(h.left_value for h in hits if h.field == "perihal")
    if perihal:
        return bool(REQUEST_RE.search(perihal))
    return bool(REQUEST_RE.search(doc.text))
