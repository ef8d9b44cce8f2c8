"""Fields of a request letter: nomor surat, tanggal, perihal, the requested subdomain."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from pipeline.extract.dates import (
    DateMatch,
    find_any_date,
    find_place_date,
    is_unfilled_date_line,
)
from pipeline.extract.hijri import hijri_agrees
from pipeline.extract.labels import LabelHit, from_line, is_label_line
from pipeline.extract.lexicon import repaired_words, repairs_confirmed, tokens_of
from pipeline.extract.nomor import (
    NomorMatch,
    find_nomor,
    find_printed_nomor,
    repair_decree_digits,
    repair_ocr_digits,
    repair_roman_month,
)
from pipeline.extract.ocr_fixes import (
    loose_date,
    normalize_hosts,
    strip_leading_junk,
    without_colon_read_as_digit,
    without_trailing_debris,
)
from pipeline.extract.subdomain import find_subdomains
from pipeline.extract.zones import BODY_OPENINGS, Body, body_of
from pipeline.fields import ATTACHMENT_RULE
from pipeline.models import Cell, FieldValue, Provenance, TextLine

# "Serang, 5 …" or, as OCR reads the comma, "“Scrang. 5 …"; never a street ("Jl. 17 Agustus")
PLACE_RE = re.compile(r"^\W*(?!(?:J[lI]n?|No)\b)[A-Z][a-z]+\s*[,.]\s*[ZOIl]?\d")
# ': ' read as '1:', 'l;' or a lone '1' before the number; never the 1 of 100.3.4/…
COLON_DEBRIS_RE = re.compile(r"^\s*(?:[1Il|]?\s*[:;]|[1Il|](?=\s+\d))\s*")
ADDRESSEE_RE = re.compile(r"^\s*(?:yth\b|kepada\b)", re.I)
# Where a subject's wrapped lines end: the addressee, or the words a letter's body opens with.
STOP_RE = re.compile(rf"^\s*(?:yth\.?|kepada|di\s*-?$|{BODY_OPENINGS})", re.I)
INLINE_STOP_RE = re.compile(r"\s(?:kepada\s+)?yth\b.*$|\skepada\s*$", re.I)
SUBDOMAIN_CUE_RE = re.compile(r"sub\s*-?\s*domain|alamat|domain", re.I)
DAY_NAMES = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad")
EVENT_CONTEXT_RE = re.compile(r"\bhari\b|\bpukul\b|\bsampai\b|\bs\.?\s?d\b|\bpada\s+tanggal\s*$")
FIRST_YEAR, LAST_YEAR = 1945, 2099
# A subject wraps inside its value column, left of the addressee block; a longer line under it
# is the body's first sentence.
MAX_SUBJECT_LINE = 60
# Tesseract's confidence in a 'line' under the subject that is a dotted rule or a speck
# ('pnnman anna nan nana'); a printed wrapped line, however noisy, reads well above it.
DEBRIS_CONFIDENCE = 0.1
VALUE_COLUMN_END = 0.62  # beyond this share of the page width sits the addressee block
YEAR_FIRST_DIGIT = str.maketrans({"3": "2"})
YEAR_SECOND_DIGIT = str.maketrans({"6": "0", "8": "0", "9": "0"})
HIJRI_YEAR_RE = re.compile(r"\b1[34]\d\d\s*H\b\.?")
CALENDARS_AGREE_CONFIDENCE = 0.9  # a Hijri date and a Gregorian one that name the same day
CALENDARS_APART_CONFIDENCE = 0.5  # ... that name different days
PRINTED_NOMOR_CONFIDENCE = 0.9  # a text layer's number outside the strict grammar
PRINTED_OCR_CONFIDENCE = 0.7  # an OCR'd one: digits and slashes are easily misread
WITHOUT_YEAR_FACTOR = 0.85  # most numbers end in their year; one without may be cut short
YEAR_AT_END_RE = re.compile(r"(?:19|20)\d\d$")
# An attachment's header names the letter it belongs to and repeats its number.
ATTACHMENT_NOMOR_RE = re.compile(
    r"^\W*lampiran\s+(?:surat|keputusan|peraturan|nota|edaran|instruksi)\b[^:]{0,80}?"
    r"\bno(?:mor|mer)?\b\.?\s*:?\s*(?P<value>\S.*)$",
    re.I,
)
ATTACHMENT_WEIGHT = 0.9  # a copy of the number, read where the letter's header is not
# Rows of an invitation's event block, around a `Tanggal :` row that dates the event.
EVENT_ROW_RE = re.compile(
    r"^\W*(?:hari|waktu|pukul|jam|tempat|acara|agenda|keperluan)\b\s*[:;/]", re.I
)
ISSUED_AT_RE = re.compile(r"^\W*(?:ditetapkan|dikeluarkan)\s+di\b", re.I)
ISSUED_DATE_LINES = 3  # 'pada tanggal' sits just below, a stamp's debris may come between
# What may stand before the letter's own `tanggal` on its line.
OWN_DATE_LEAD_RE = re.compile(r"(?:^|\bdi\b.*\b)pada$", re.I)


def nomor_surat(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """The number after the first Nomor label that holds one, outside the body (a number
    there is another letter's): in the strict grammar when it fits (with OCR's digit
    confusions repaired), else as printed in the wider real grammar. When the header's number
    cannot be read, the copy an attachment's header prints ('Lampiran Surat Nomor …')."""
    for hit in _outside(body_of(lines), hits):
        if hit.field == "nomor_surat":
            found = _nomor_in(_with_wrapped_nomor(lines, hit), hit.line, hit.rule)
            if found:
                return found
    return _attachment_nomor(lines)


def _nomor_in(value: str, line: TextLine, rule: str, weight: float = 1.0) -> FieldValue | None:
    """The letter number `value` holds, read from `line` by `rule`, or None."""
    found, corrected = find_nomor(value), False
    if line.conf < 1.0:  # OCR: O for 0 and l for 1 in numbers, 1X for IX in months
        found, corrected = _repaired_nomor(value, found)
    if found:
        prov = from_line(f"nomor/{rule}", line, 0.95 * weight, corrected=corrected)
        return FieldValue(found.value, prov)
    as_read = read = find_printed_nomor(value)
    if read is None and line.conf < 1.0:  # a decree's 'C074 TAHUN 2024'
        read = find_printed_nomor(repair_decree_digits(value))
    printed = _misreads_repaired(read) if read and line.conf < 1.0 else read
    if not printed:
        return None
    base = PRINTED_NOMOR_CONFIDENCE if line.conf >= 1.0 else PRINTED_OCR_CONFIDENCE
    base *= 1.0 if YEAR_AT_END_RE.search(printed) else WITHOUT_YEAR_FACTOR
    prov = from_line(f"nomor/tertulis-{rule}", line, base * weight, corrected=printed != as_read)
    return FieldValue(printed, prov)


def _attachment_nomor(lines: Sequence[TextLine]) -> FieldValue | None:
    """The letter's number as an attachment's header repeats it, on a page after the
    letter's first: 'Lampiran Surat Nomor 27/VI-07/0120', 'LAMPIRAN KEPUTUSAN … NOMOR : …'."""
    for line in lines:
        found = ATTACHMENT_NOMOR_RE.match(line.text)
        if found and line.page != lines[0].page:
            value = _nomor_in(found.group("value"), line, ATTACHMENT_RULE, ATTACHMENT_WEIGHT)
            if value:
                return value
    return None


def _misreads_repaired(nomor: str) -> str:
    """A number in the wide grammar as OCR read it, with its month's and year's usual
    misreadings undone ('…/V1/2024', '…/2620')."""
    return _year_misread_repaired(repair_roman_month(nomor))


def _year_misread_repaired(nomor: str) -> str:
    """OCR's '3020' or '2620' for 2020 at the end of a number: the one plausible year whose
    digits differ only by the usual confusions (3→2, 6/8/9→0); else the number as read."""
    found = re.search(r"(\d{4})$", nomor)
    if found is None or FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        return nomor
    year = found.group(1)
    fixed = year[0].translate(YEAR_FIRST_DIGIT) + year[1].translate(YEAR_SECOND_DIGIT) + year[2:]
    return nomor[: found.start()] + fixed if FIRST_YEAR <= int(fixed) <= LAST_YEAR else nomor


def _with_wrapped_nomor(lines: Sequence[TextLine], hit: LabelHit) -> str:
    """A long number broken after '-' or '/' continues on the next line, under the value."""
    value = hit.left_value
    following = lines[hit.line_index + 1] if hit.line_index + 1 < len(lines) else None
    if not value.rstrip().endswith(("-", "/")) or following is None or not following.laid_out:
        return value
    nxt = following.left_cells()
    if nxt and nxt[0].x0 > hit.line.x0 + 8 and not is_label_line(following):
        return value.rstrip() + nxt[0].text.strip()
    return value


def _repaired_nomor(value: str, found: NomorMatch | None) -> tuple[NomorMatch | None, bool]:
    repaired, corrected = repair_ocr_digits(COLON_DEBRIS_RE.sub("", value))
    if corrected or found is None:
        found = find_nomor(repaired)
    for variant in _ocr_nomor_variants(repaired):
        if found is not None:
            break
        found, corrected = find_nomor(repair_ocr_digits(variant)[0]), True
    return found, corrected


def _ocr_nomor_variants(value: str) -> list[str]:
    """Readings tried in turn when the number as read does not parse: 'Br.Umv2023' (a slash
    read as v), '/11/ 2023' (month II read as 11: with a serial already there, the segment
    before the year can only be the month), 'Dinkopukm IV/X/…', 'BiroU mum' or 'Br. PBJ'
    (a space inside a unit), '8638 BPSDMD' (the hyphen between serial and unit lost)."""
    return [
        SLASH_AS_LETTER_RE.sub(r"/\1", value),
        MONTH_AS_DIGITS_RE.sub(lambda m: "/" + "I" * len(m.group(1)) + "/" + m.group(2), value),
        _unit_roman_hyphened(value),
        re.sub(r"-{2,}", "-", re.sub(r"\s+", "", value)),
        _unit_roman_hyphened(re.sub(r"(?<=\d)\s+(?=[A-Za-z]{2})", "-", value)),
        _slashes_restored(value),
    ]


def _slashes_restored(value: str) -> str:
    """A phone photo's thin slashes read as quotes or colons, or lost to a space: '050:Setwan/
    1493'2023', '050 Setwan'1493 2023' (the serial before the unit, the year at the end)."""
    marked = SLASH_AS_MARK_RE.sub("/", value.strip())
    return YEAR_AFTER_SPACE_RE.sub(r"/\1", SERIAL_BEFORE_SPACE_RE.sub(r"\1/", marked))


MAX_COLON_GAP = 40.0  # points from a label's colon to its value, at most, when nothing is lost
VALUE_COLUMN_SLACK = 10.0  # points a wrapped line's start may stray from the value column
SLASH_AS_MARK_RE = re.compile(r"(?<=[0-9A-Za-z.])\s*['’‘`:]\s*(?=[0-9A-Za-z])")
SERIAL_BEFORE_SPACE_RE = re.compile(r"^(\d{1,4}(?:\.\d{1,3})*)\s+(?=[A-Za-z])")
YEAR_AFTER_SPACE_RE = re.compile(r"(?<=\d)\s+((?:19|20)\d\d)\s*$")


def _unit_roman_hyphened(value: str) -> str:
    return re.sub(r"(?<=[A-Za-z])\s+([IVX]{1,4})\s*/", r"-\1/", value)


SLASH_AS_LETTER_RE = re.compile(r"(?<=[A-Za-z.])(?:[vV|lI\\]|\s1)\s*((?:19|20)\d\d)\s*$")


MONTH_AS_DIGITS_RE = re.compile(r"/\s*([1l|]{1,3})\s*/\s*((?:19|20)\d\d)\s*$")


def form_tanggal(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """A form's own date: its `Tanggal :` line, or 'Tanggal 12 Maret 2024' in its header."""
    labelled = labelled_tanggal(hits)
    if labelled:
        return labelled
    for line in lines:
        found = find_place_date(line.text)
        if found and found.text.strip().lower().startswith(("tanggal", "tgl")):
            prov = from_line("tanggal/kepala-formulir", line, 0.9, matched=found.text)
            return FieldValue(found.date.isoformat(), prov)
    for line in reversed(lines):  # the place-and-date line above its signature
        found = find_place_date(line.text)
        if found and found.place and plausible(found) and not _is_event_date(line.text, found):
            prov = from_line("tanggal/tanda-tangan-formulir", line, 0.85, matched=found.text)
            return FieldValue(found.date.isoformat(), prov)
    return None


def labelled_tanggal(hits: Sequence[LabelHit]) -> FieldValue | None:
    """The date on the document's own `Tanggal :` line."""
    for hit in hits:
        if hit.field == "tanggal":
            found = find_place_date("Tanggal : " + hit.value.lstrip(" +:;|-—"))
            if found and plausible(found):
                prov = from_line("tanggal/label", hit.line, 0.95)
                return FieldValue(found.date.isoformat(), prov)
    return None


def tanggal_surat(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """The letter's own date: its `Tanggal :` line, else its place-and-date line (the
    Gregorian date of a Hijri/Gregorian pair) in the header or above the signature — never in
    the body (extract.zones) —, else a bare date beside the Nomor. An event's day ('Hari/
    Tanggal : Jumat, 24 Januari 2020') is never the letter's date, and a date line whose day
    was never filled in gives none."""
    body = body_of(lines)
    hits = [h for h in _outside(body, hits) if not _foreign_tanggal_label(lines, h)]
    labelled = labelled_tanggal(hits) or _date_under_ditetapkan(lines)
    if labelled:
        return labelled
    for index, line in enumerate(lines):
        if body.holds(index):  # events and cited letters
            continue
        if is_unfilled_date_line(line.text):
            return None
        hijri = _gregorian_beside_hijri(lines, index)
        if hijri:
            return hijri
        found = find_place_date(line.text)
        if found and plausible(found) and not _is_event_date(line.text, found):
            if _is_cited_date(line.text, found):
                continue
            span = (found.start, found.end)
            prov = from_line("tanggal/tempat-tanggal", line, 0.9, matched=found.text, within=span)
            return FieldValue(found.date.isoformat(), prov)
    return _date_beside_nomor(lines, hits) or _garbled_date(lines, hits)


def _outside(body: Body, hits: Sequence[LabelHit]) -> list[LabelHit]:
    """The label hits that are not in the body: those of the letter's own header."""
    return [h for h in hits if not body.holds(h.line_index)]


def _foreign_tanggal_label(lines: Sequence[TextLine], hit: LabelHit) -> bool:
    """A `Tanggal :` line that is not the letter's own date: a row of an invitation's event
    block (Hari / Tanggal / Waktu / Tempat / Acara), or one on a later page than the letter's
    first (an attachment's header: "Lampiran surat … Nomor … Tanggal …")."""
    if hit.field != "tanggal":
        return False
    if lines and hit.line.page != lines[0].page:
        return True
    near = lines[max(0, hit.line_index - 2) : hit.line_index + 3]
    return any(EVENT_ROW_RE.match(line.text) for line in near if line is not hit.line)


def _date_under_ditetapkan(lines: Sequence[TextLine]) -> FieldValue | None:
    """A decree's date: the line under "Ditetapkan / Dikeluarkan di …" ("pada tanggal : …",
    its label sometimes lost to a stamp on a scan)."""
    for below in _under_ditetapkan(lines):
        found = find_any_date(below.text)
        if found and plausible(found) and not _is_event_date(below.text, found):
            prov = from_line("tanggal/ditetapkan", below, 0.9, matched=found.text)
            return FieldValue(found.date.isoformat(), prov)
    return None


def _under_ditetapkan(lines: Sequence[TextLine]) -> Iterator[TextLine]:
    """The lines under each "Ditetapkan / Dikeluarkan di …", where a decree's date stands."""
    for index, line in enumerate(lines):
        if ISSUED_AT_RE.match(line.text):
            yield from lines[index + 1 : index + 1 + ISSUED_DATE_LINES]


def _is_cited_date(text: str, found: DateMatch) -> bool:
    """'… surat Gubernur nomor 487.22/0008 tanggal 14 Mei 2018 perihal …', '… sampai dengan
    tanggal 31 Desember 2024': a `tanggal` inside a sentence dates another letter or a period,
    not this one. The letter's own stands at the start of its line ('Tanggal : …', 'Pada
    tanggal …', 'Ditetapkan di Serang pada tanggal …')."""
    if found.place is not None:
        return False
    before = text[: found.start + len(found.text) - len(found.text.lstrip())].strip(" :.,;|")
    return bool(before) and not OWN_DATE_LEAD_RE.search(before)


def plausible(found: DateMatch) -> bool:
    """A letter of this office's archive is dated between 1945 and 2099 ('2620' is OCR)."""
    return FIRST_YEAR <= found.date.year <= LAST_YEAR


def _is_event_date(text: str, found: DateMatch) -> bool:
    """'Jumat, 24 Januari 2020', 'Hari/Tanggal : …', 'pada tanggal …' inside a sentence, a
    schedule's row 'DISDUKCAPIL Selasa, 5 Juni 2018' (the day name read as a place)."""
    before = text[: found.start + len(found.text) - len(found.text.lstrip())].lower()
    opens_with_day = found.text.strip().lower().startswith(DAY_NAMES)
    place_words = (found.place or "").lower().split()
    opens_with_day = opens_with_day or (bool(place_words) and place_words[-1] in DAY_NAMES)
    return opens_with_day or bool(EVENT_CONTEXT_RE.search(before))


def _gregorian_beside_hijri(lines: Sequence[TextLine], index: int) -> FieldValue | None:
    """'Kudus, 11 Jumadil Akhir 1441 H' over '5 Februari 2020 M', or both on one line."""
    line = lines[index]
    marker = HIJRI_YEAR_RE.search(line.text)
    if marker is None or "," not in line.text[: marker.start()]:
        return None
    same_line = find_any_date(line.text[marker.end() :])
    following = lines[index + 1] if index + 1 < len(lines) else None
    found = same_line or (find_any_date(following.text) if following else None)
    source = line if same_line or following is None else following
    if found is None or not plausible(found):
        return None
    prov = from_line("tanggal/masehi", source, 0.9, matched=found.text)
    agrees = hijri_agrees(line.text[: marker.end()], found.date)
    if agrees:  # the day stated twice, in two calendars, alike
        sure = max(prov.confidence, CALENDARS_AGREE_CONFIDENCE)
        prov = replace(prov, rule="tanggal/masehi+hijriah", confidence=sure)
    elif agrees is False:  # one of the two was misread
        prov = replace(prov, confidence=min(prov.confidence, CALENDARS_APART_CONFIDENCE))
    return FieldValue(found.date.isoformat(), prov)


def _date_beside_nomor(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """A date printed without a place on the Nomor line or the line just above or below it."""
    nomor = next((h for h in hits if h.field == "nomor_surat"), None)
    if nomor is None:
        return None
    for line in lines[max(0, nomor.line_index - 1) : nomor.line_index + 2]:
        found = find_any_date(line.text)
        if found and plausible(found) and not _is_event_date(line.text, found):
            prov = from_line("tanggal/samping-nomor", line, 0.85, matched=found.text)
            return FieldValue(found.date.isoformat(), prov)
    return None


def _garbled_date(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """OCR only: a month name missing a letter ('12 uni 2024', a decree's 'Pada Tanaaal : 29
    Aaustus 2018' with its g's cut short) or the label's colon read as a digit ('Tanggal 115
    Sep 2022'); flagged as corrected."""
    repaired = _colon_repaired_date(hits)
    if repaired:
        return repaired
    candidates = [(h.line, h.value) for h in hits if h.field == "tanggal"] + [
        (ln, cell.text) for ln in lines for cell in ln.cells if PLACE_RE.search(cell.text)
    ]
    candidates += [(ln, ln.text) for ln in _under_ditetapkan(lines)]
    for line, text in candidates:
        found = loose_date(text) if line.conf < 1.0 else None
        if found:
            prov = from_line("tanggal/ocr-bulan", line, 0.75, matched=text, corrected=True)
            return FieldValue(found.isoformat(), prov)
    return None


def _colon_repaired_date(hits: Sequence[LabelHit]) -> FieldValue | None:
    for hit in hits:
        if hit.field != "tanggal" or hit.line.conf >= 1.0:  # OCR only
            continue
        fixed = without_colon_read_as_digit(hit.value)
        found = find_place_date("Tanggal : " + fixed) if fixed != hit.value else None
        if found:
            prov = from_line("tanggal/ocr-titik-dua", hit.line, 0.75, corrected=True)
            return FieldValue(found.date.isoformat(), prov)
    return None


def perihal(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> FieldValue | None:
    """The subject after the first Perihal / Hal label outside the body (a 'Perihal :' row
    there describes a letter the body cites)."""
    for hit in _outside(body_of(lines), hits):
        if hit.field != "perihal":
            continue
        if not hit.left_value:
            above = _value_above_label(lines, hit)
            if above:
                return above
            continue
        first = hit.left_value
        ocr = hit.line.conf < 1.0
        first = strip_leading_junk(first, numeric_start=False) if ocr else first
        wrapped = _continuation(lines, hit)
        parts = [_before_stop(first), *wrapped]
        value = " ".join(join_wrapped(parts).split()).strip(" .")
        value = without_trailing_debris(value) if ocr else value
        read = value
        value = repaired_words(value) if ocr else value
        begun_above = _begun_above(lines, hit)
        whole = not (_gap_after_colon(hit) or _left_behind(lines, hit, len(wrapped)) or begun_above)
        own = range(hit.line_index, hit.line_index + 1 + len(wrapped))
        elsewhere = tokens_of(line.text for i, line in enumerate(lines) if i not in own)
        # A repair is sure only when the document prints the repaired word elsewhere.
        words = value if whole and repairs_confirmed(read, value, elsewhere) else None
        rule = f"perihal/{hit.rule}"
        base = PARTLY_SEEN_SUBJECT if begun_above else 0.9
        prov = from_line(rule, hit.line, base, words=words, read_elsewhere=elsewhere)
        return FieldValue(value, replace(prov, corrected=value != read))
    return None


def _gap_after_colon(hit: LabelHit) -> bool:
    """The value starts far right of its colon: words between them were lost (read into
    another line, or not at all)."""
    cells = hit.line.cells
    colon = next((i for i, c in enumerate(cells) if c.text.strip() == ":"), None)
    if colon is None or colon + 1 >= len(cells):
        return False
    return cells[colon + 1].x0 - cells[colon].x0 > MAX_COLON_GAP


def _left_behind(lines: Sequence[TextLine], hit: LabelHit, taken: int) -> bool:
    """A line just after the subject's last one still starts in the value column: part of
    the subject may not have been taken. The addressee ('Kepada Yth. …'), the body's opening
    words or the next label ('Kepada : …') end the subject, wherever their text stands."""
    if not hit.line.laid_out:
        return False
    start = hit.line_index + 1 + taken
    column = hit.value_x
    for line in lines[start : start + 2]:
        if STOP_RE.match(line.text) or is_label_line(line):
            break
        if line.page == hit.line.page and any(
            abs(c.x0 - column) <= VALUE_COLUMN_SLACK for c in line.left_cells()
        ):
            return True
    return False


PARTLY_SEEN_SUBJECT = 0.65  # a subject that may have begun on the line above: for review


def _begun_above(lines: Sequence[TextLine], hit: LabelHit) -> bool:
    """The line just above the subject's starts in the value column with no label of its own:
    the subject may have begun there, set centred on its label ('… Hosting Aplikasi' over
    'Perihal | SIKESDA', a phone photo's tilt putting the label's baseline on the second
    line)."""
    if not hit.line.laid_out or hit.line_index == 0:
        return False
    above = lines[hit.line_index - 1]
    left = above.left_cells()
    return (
        above.page == hit.line.page
        and not is_label_line(above)
        and bool(left)
        and abs(left[0].x0 - hit.value_x) <= VALUE_COLUMN_SLACK
    )


def _value_above_label(lines: Sequence[TextLine], hit: LabelHit) -> FieldValue | None:
    """A wrapped value set vertically centred on its label: its first line sits above the
    label's baseline, in the value column, and the rest below it at the same indent."""
    if not hit.line.laid_out or hit.line_index == 0:
        return None
    above = lines[hit.line_index - 1]
    column = above.x0
    if above.page != hit.line.page or is_label_line(above) or column <= hit.line.x0 + 20:
        return None
    if above.conf < DEBRIS_CONFIDENCE:  # a stamp's or a logo's specks, not a printed line
        return None
    parts = [" ".join(c.text for c in above.cells if c.x0 < VALUE_COLUMN_END * above.width)]
    for line in lines[hit.line_index + 1 : hit.line_index + 4]:
        if abs(line.x0 - column) > 8 or is_label_line(line) or STOP_RE.match(line.text):
            break
        parts.append(" ".join(c.text for c in line.left_cells()))
    value = " ".join(join_wrapped(parts).split()).strip(" .")
    return FieldValue(value, from_line("perihal/di-atas-label", above, 0.85)) if value else None


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
    """Wrapped subject lines of a laid-out page: indented under the value (left column), or
    back at the margin when Word wrapped it so, as long as the addressee follows."""
    if not hit.line.laid_out:
        return []
    extra: list[str] = []
    following = lines[hit.line_index + 1 : hit.line_index + 5]
    for offset, line in enumerate(following):
        left = line.left_cells()
        first = left[0] if left else None
        if first is None or not _continues(line, first, hit, left):
            break
        if first.x0 <= hit.line.x0 + 8 and not _addressee_next(following[offset + 1 :]):
            break
        if min(c.conf for c in left) < DEBRIS_CONFIDENCE:  # a dotted rule OCR made letters of
            break
        extra.append(_before_stop(" ".join(c.text for c in left)))
    return extra


def _continues(line: TextLine, first: Cell, hit: LabelHit, left: tuple[Cell, ...]) -> bool:
    return not (
        line.page != hit.line.page
        or (is_label_line(line) and (len(left) > 1 or ":" in first.text))
        or STOP_RE.match(first.text)
        or find_place_date(first.text)
        or first.x0 < hit.line.x0 - 8
        or first.x0 >= 0.5 * line.width
        or len(" ".join(c.text for c in left)) > MAX_SUBJECT_LINE
    )


def _addressee_next(rest: Sequence[TextLine]) -> bool:
    return bool(rest) and bool(ADDRESSEE_RE.match(rest[0].text))


def subdomain_in_body(lines: Sequence[TextLine], skip: int) -> FieldValue | None:
    """The host the letter asks for, preferring one written after the word 'subdomain'."""
    body = lines[skip:]
    text = "\n".join(normalize_hosts(ln.text) if ln.conf < 1.0 else ln.text for ln in body)
    hosts = find_subdomains(text)
    if not hosts:
        return None
    cue = SUBDOMAIN_CUE_RE.search(text)
    chosen = hosts[0]
    if cue:
        after = find_subdomains(text[cue.start() :])
        chosen = after[0] if after else chosen
    label = chosen.split(".")[0].split("-")[0]
    line = next((ln for ln in body if label in ln.text.lower()), None)
    page, conf = (line.page, line.conf) if line else (None, min(ln.conf for ln in body))
    confidence = (0.9 if len(set(hosts)) == 1 else 0.75) * conf
    prov = Provenance("subdomain/isi-surat", page, chosen, confidence, ocr=conf < 1.0)
    return FieldValue(chosen, prov)


def letterhead_end(lines: Sequence[TextLine]) -> int:
    """Index of the first line after the letterhead (its website must not count as a request)."""
    for index, line in enumerate(lines[:12]):
        if line.text.startswith(("___", "---", "===")) or is_label_line(line):
            return index
        if find_place_date(line.text):
            return index
    return 0
