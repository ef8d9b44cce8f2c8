"""Extraction: the key fields of a letter or form, each with where and how it was found."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from pipeline.extract import letter
from pipeline.extract.body_contact import contact_in_body
from pipeline.extract.confidence import calibrated
from pipeline.extract.form import FormReader, repaired
from pipeline.extract.kind import REQUEST_RE, KindEvidence, classify
from pipeline.extract.kop_reread import reread
from pipeline.extract.labels import LabelHit, find_labels
from pipeline.extract.letterhead import (
    Letterhead,
    other_government_in_kop,
    read_letterhead,
    signed_by_unit,
)
from pipeline.extract.nomor import month_as_dated, parse_nomor, year_as_dated
from pipeline.extract.ocr_fixes import (
    email_by_name,
    fix_host_words,
    is_ocr_template,
    spells_name,
)
from pipeline.extract.opd import (
    OpdMatcher,
    OpdVote,
    abbreviation_votes,
    body_votes,
    decide,
    kop_outside_province,
    letterhead_votes,
    signature_votes,
)
from pipeline.extract.statement import is_statement_page, statement_person
from pipeline.fields import OUTSIDE_SENDER_RULE
from pipeline.models import (
    AGREED_CONFIDENCE,
    Extraction,
    FieldValue,
    Kind,
    Provenance,
    ReadDocument,
    TextLine,
)

__all__ = ["OpdMatcher", "extract", "read_fields"]

TEMPLATE_RE = re.compile(r"\$\{[^}]*\}?|(?<![\w&])#[A-Za-z_]{3,}|\{\{[^}]*\}\}")
ISO_DATE_RE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-\d{2}")
OUTSIDE_SENDER_CONFIDENCE = 0.8  # a name as printed, not checked against any list
SIGNED_SENDER_CONFIDENCE = 0.9  # ... and named again where its head signs (signed_by_unit)
# Another government's kop whose unit could not be read: the sender stays empty.
NO_SENDER = FieldValue("", Provenance(OUTSIDE_SENDER_RULE, None, "", 0.0))


def extract(doc: ReadDocument, matcher: OpdMatcher) -> Extraction:
    """The fields of `doc`, each with the chance that it is right."""
    return calibrated(read_fields(doc, matcher))


def read_fields(doc: ReadDocument, matcher: OpdMatcher) -> Extraction:
    """The fields of `doc`, each with its rule's own score (pipeline.extract.confidence)."""
    lines = list(doc.lines)
    hits = list(find_labels(lines))
    evidence = classify(doc, hits)
    fields: dict[str, FieldValue] = {}
    problems: list[str] = []
    form = FormReader(numbered_pages=evidence.form_pages - evidence.letter_pages)
    form.read_acroform(doc.form_fields)
    if evidence.form_pages or evidence.kind is Kind.FORM:
        form.read_hits(lines, _on_pages(hits, evidence.form_pages))
    fields.update(form.fields)
    problems.extend(form.problems)
    if evidence.form_pages and "subdomain" not in fields:  # written under its column heading
        form_lines = [ln for ln in lines if ln.page in evidence.form_pages]
        _put(fields, "subdomain", letter.subdomain_in_body(form_lines, 0))
    if evidence.kind is Kind.OTHER and _asks_for_a_service(lines, hits):
        evidence = replace(evidence, kind=Kind.LETTER)  # its subject sat above its label
    if evidence.kind in (Kind.LETTER, Kind.LETTER_FORM, Kind.OTHER) or evidence.letter_pages:
        fields.update(_letter_fields(lines, hits, evidence, fields))
    elif "tanggal_surat" not in fields:  # a form alone: its own Tanggal line, if it has one
        _put(fields, "tanggal_surat", letter.form_tanggal(lines, hits))
    _put(fields, "opd", _opd(matcher, lines, hits, evidence, form, fields, problems))
    if doc.ocr_pages:
        _fix_hosts(fields, matcher.host_words)
        _email_by_name(fields)
    _confirm_by_letter(fields, lines, evidence)
    _confirm_contact_by_letter(fields, lines, evidence)
    fields = {name: value for name, value in fields.items() if not _blank(value)}
    return Extraction(
        kind=evidence.kind,
        fields=fields,
        problems=tuple(p for p in dict.fromkeys(problems) if not TEMPLATE_RE.search(p)),
        needs_ocr=doc.needs_ocr and not lines,
    )


def _letter_fields(
    lines: list[TextLine],
    hits: list[LabelHit],
    evidence: KindEvidence,
    found: dict[str, FieldValue],
) -> dict[str, FieldValue]:
    statements = _statement_pages(lines, evidence)
    aside = evidence.form_pages | statements
    letter_lines = [ln for ln in lines if ln.page not in aside] or lines
    letter_hits = _indexed_in(letter_lines, [h for h in hits if h.line.page not in aside] or hits)
    out: dict[str, FieldValue] = {}
    _put(out, "nomor_surat", letter.nomor_surat(letter_lines, letter_hits))
    _put(out, "tanggal_surat", letter.tanggal_surat(letter_lines, letter_hits))
    _as_dated(out)
    _put(out, "perihal", letter.perihal(letter_lines, letter_hits))
    if "subdomain" not in found and evidence.kind is not Kind.OTHER:
        _put(out, "subdomain", _subdomain_in_letter(letter_lines))
    if evidence.kind is not Kind.OTHER and "penanggung_jawab.nama" not in found:
        statement_lines = [ln for ln in lines if ln.page in statements]
        out.update(statement_person(statement_lines) or contact_in_body(letter_lines))
    return out


def _as_dated(fields: dict[str, FieldValue]) -> None:
    """An OCR'd number whose Roman month is one stroke off its letter's month ('VII' in a
    letter of August), or whose year is one digit off the letter's year ('2014' in a letter of
    2019), is read with the letter's month and year, flagged corrected (for review)."""
    nomor, tanggal = fields.get("nomor_surat"), fields.get("tanggal_surat")
    if nomor is None or tanggal is None or not nomor.provenance.ocr:
        return
    dated = ISO_DATE_RE.fullmatch(tanggal.value)
    if dated is None:
        return
    value = nomor.value
    value = month_as_dated(value, int(dated.group("month"))) or value
    value = year_as_dated(value, int(dated.group("year"))) or value
    if value != nomor.value:
        fields["nomor_surat"] = FieldValue(value, repaired(nomor.provenance))


def _statement_pages(lines: list[TextLine], evidence: KindEvidence) -> frozenset[int]:
    """Pages of a statement (a surat kuasa or pernyataan) filed with the letter: its own
    number and date are not the letter's."""
    if not evidence.letter_pages:
        return frozenset()
    pages = {ln.page for ln in lines} - evidence.letter_pages - evidence.form_pages
    return frozenset(p for p in pages if is_statement_page(lines, p))


def _subdomain_in_letter(letter_lines: list[TextLine]) -> FieldValue | None:
    """A subdomain the letter's own text names (its letterhead's website is not one)."""
    return letter.subdomain_in_body(letter_lines, letter.letterhead_end(letter_lines))


def _confirm_by_letter(
    fields: dict[str, FieldValue], lines: list[TextLine], evidence: KindEvidence
) -> None:
    """The form's subdomain, also named in the letter's text of the same document: two
    readings that agree are sure even where OCR doubted each of them."""
    form_value = fields.get("subdomain")
    if form_value is None or not evidence.form_pages or not evidence.letter_pages:
        return
    letter_lines = [ln for ln in lines if ln.page not in evidence.form_pages]
    in_letter = _subdomain_in_letter(letter_lines)
    if in_letter is None or in_letter.value.lower() != form_value.value.lower():
        return
    provenance = form_value.provenance
    agreed = replace(
        provenance,
        rule=f"{provenance.rule}+surat",
        confidence=max(provenance.confidence, in_letter.provenance.confidence, AGREED_CONFIDENCE),
    )
    fields["subdomain"] = FieldValue(form_value.value, agreed)


def _confirm_contact_by_letter(
    fields: dict[str, FieldValue], lines: list[TextLine], evidence: KindEvidence
) -> None:
    """The form's penanggung jawab, also named as the contact person in the body of the letter
    filed with it: two readings that agree on the name (and the telephone) are sure."""
    if not evidence.form_pages or not evidence.letter_pages:
        return
    letter_lines = [ln for ln in lines if ln.page not in evidence.form_pages]
    in_letter = contact_in_body(letter_lines)
    names = [fields.get("penanggung_jawab.nama"), in_letter.get("penanggung_jawab.nama")]
    if names[0] is None or names[1] is None or _folded(names[0].value) != _folded(names[1].value):
        return
    for name, read in in_letter.items():
        form_value = fields.get(name)
        if form_value is None or _folded(form_value.value) != _folded(read.value):
            continue
        provenance = form_value.provenance
        agreed = replace(
            provenance,
            rule=f"{provenance.rule}+surat",
            confidence=max(provenance.confidence, AGREED_CONFIDENCE),
        )
        fields[name] = FieldValue(form_value.value, agreed)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def _asks_for_a_service(lines: list[TextLine], hits: list[LabelHit]) -> bool:
    subject = letter.perihal(lines, hits)
    return subject is not None and bool(REQUEST_RE.search(subject.value))


def _opd(
    matcher: OpdMatcher,
    lines: list[TextLine],
    hits: list[LabelHit],
    evidence: KindEvidence,
    form: FormReader,
    fields: dict[str, FieldValue],
    problems: list[str],
) -> FieldValue | None:
    sender = None if form.raw_opd else _sender_outside_master(matcher, lines)
    if sender is not None:
        return sender if sender.value else None
    votes: list[OpdVote] = []
    if form.raw_opd:
        found = matcher.match_name(form.raw_opd.value)
        if found:
            votes.append(
                OpdVote(
                    found[0],
                    "form",
                    5.0 * found[1],
                    form.raw_opd.value,
                    form.raw_opd.provenance.page,
                )
            )
    votes += letterhead_votes(matcher, _first_page(lines))
    votes += signature_votes(matcher, lines)
    votes += body_votes(matcher, lines)
    votes += _nomor_votes(matcher, fields)
    decision = decide(votes)
    if decision.problem:
        problems.append(decision.problem)
    if decision.opd is None:
        if form.raw_opd and not votes:
            problems.append(f"Nama OPD '{form.raw_opd.value}' tidak ada di daftar induk OPD.")
        return None
    best = max((v for v in votes if v.opd == decision.opd), key=lambda v: v.weight)
    rule = "opd/" + "+".join(sorted({v.source for v in votes if v.opd == decision.opd}))
    return FieldValue(
        decision.opd.nama,
        Provenance(rule, best.page, best.matched, decision.confidence, ocr=_scanned(lines)),
    )


def _scanned(lines: list[TextLine]) -> bool:
    return any(line.conf < 1.0 for line in lines)


def _sender_outside_master(matcher: OpdMatcher, lines: list[TextLine]) -> FieldValue | None:
    """A letterhead of another government, or of a unit the master list does not hold, names
    the sender as printed; such a sender is never mapped to a Banten OPD on a shared word. A
    kop whose domain is another institution's leaves the sender empty when its unit was not
    read, and so does a kop that names another government: the names in the body are other
    offices."""
    named = _sender_in_kop(matcher, lines)
    first_page = _first_page(lines)
    if named is None and (kop_outside_province(first_page) or other_government_in_kop(first_page)):
        return NO_SENDER
    return named


def _first_page(lines: list[TextLine]) -> list[TextLine]:
    """The lines of the document's first page: where its kop stands."""
    return [ln for ln in lines if ln.page == lines[0].page]


def _sender_in_kop(matcher: OpdMatcher, lines: list[TextLine]) -> FieldValue | None:
    read = read_letterhead(lines, matcher.name_words)
    if read is None:
        return None
    head = reread(read, lines)
    if head.unit is None or head.name is None:
        return NO_SENDER if head.outside_province else None
    if not head.outside_province and matcher.match_name(head.unit) is not None:
        return None
    if not head.outside_province and head.region is None and _master_in_kop(matcher, head):
        return None
    first = head.lines[0]
    matched = " / ".join(ln.text for ln in head.lines)
    confidence = OUTSIDE_SENDER_CONFIDENCE * head.confidence
    reread_elsewhere = head is not read  # then the signature already had its say
    if not reread_elsewhere and signed_by_unit(head, lines):
        confidence = max(confidence, SIGNED_SENDER_CONFIDENCE)
    return FieldValue(
        head.name,
        Provenance(
            OUTSIDE_SENDER_RULE,
            first.page,
            matched,
            confidence,
            ocr=first.conf < 1,
            corrected=reread_elsewhere,
        ),
    )


def _master_in_kop(matcher: OpdMatcher, head: Letterhead) -> bool:
    return bool(head.unit and matcher.names_in(head.unit))


def _fix_hosts(fields: dict[str, FieldValue], vocabulary: frozenset[str]) -> None:
    """OCR confusions in host names, settled by the OPDs' own subdomains and abbreviations."""
    for name in ("subdomain", "penanggung_jawab.email"):
        found = fields.get(name)
        if found is None or found.provenance.confidence >= 1.0:
            continue
        value, changed = fix_host_words(found.value, vocabulary)
        if changed:
            prov = found.provenance
            fields[name] = FieldValue(value, replace(prov, corrected=True))


def _indexed_in(lines: list[TextLine], hits: list[LabelHit]) -> list[LabelHit]:
    """The hits on `lines` (some of the lines they were found on), each with its line's index
    in `lines`: the readers of a value look at the lines around its label by that index."""
    at = {id(line): index for index, line in enumerate(lines)}
    return [replace(hit, line_index=at[id(hit.line)]) for hit in hits if id(hit.line) in at]


def _email_by_name(fields: dict[str, FieldValue]) -> None:
    """An OCR'd address made of its owner's name, read back by the name on the same form.
    Where the two differ in a letter ('rina.marlina@…' beside 'Rina Marina'), one of them is
    misread, and which one the page cannot say: the name waits for a clerk too. Where the
    address spells the name letter for letter, two readings agree, and each confirms the
    other."""
    email, name = fields.get("penanggung_jawab.email"), fields.get("penanggung_jawab.nama")
    if email is None or name is None or not email.provenance.ocr:
        return
    value, changed = email_by_name(email.value, name.value)
    if changed:
        fields["penanggung_jawab.email"] = FieldValue(value, repaired(email.provenance))
    digits_alone = email_by_name(email.value, "")[0]  # what no name was needed to repair
    if value != digits_alone and name.provenance.ocr:
        fields["penanggung_jawab.nama"] = FieldValue(name.value, repaired(name.provenance))
    elif not changed and name.provenance.ocr and spells_name(email.value, name.value):
        fields["penanggung_jawab.email"] = _agreeing(email, "name")
        fields["penanggung_jawab.nama"] = _agreeing(name, "email")


def _agreeing(value: FieldValue, other: str) -> FieldValue:
    """`value` confirmed by another reading on the page (its rule gains '+other')."""
    prov = value.provenance
    return FieldValue(value.value, replace(prov, rule=f"{prov.rule}+{other}"))


def _nomor_votes(matcher: OpdMatcher, fields: dict[str, FieldValue]) -> list[OpdVote]:
    nomor = fields.get("nomor_surat")
    parsed = parse_nomor(nomor.value) if nomor else None
    if not parsed or not parsed.unit or not nomor:
        return []
    unit = parsed.unit
    tokens = [unit, *unit.replace(".", "-").split("-")]
    return abbreviation_votes(matcher, tokens, "nomor", nomor.provenance.page)


def _on_pages(hits: Sequence[LabelHit], pages: frozenset[int]) -> list[LabelHit]:
    return [h for h in hits if h.line.page in pages] if pages else list(hits)


def _blank(value: FieldValue) -> bool:
    return is_placeholder(value.value) or (value.provenance.ocr and is_ocr_template(value.value))


def is_placeholder(value: str) -> bool:
    """A template's blank left as printed: '${penanggung_jawab_nama}', '#tanggal', dots."""
    return bool(TEMPLATE_RE.search(value)) or not value.strip(" ._-–…:")


def _put(fields: dict[str, FieldValue], name: str, value: FieldValue | None) -> None:
    if value is not None:
        fields[name] = value
