"""Find `Label : value` pairs on text lines, whether laid out as table cells, tab stops or colons.

The rules are data: each label pattern names the field it feeds. A line is read three ways,
strongest first: its first cell is a label and the other cells the value (tables, tab stops);
the text before its first colon is a label (paragraphs); or it starts with a label followed by
the value (when the gap between them was too narrow to make two cells).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from pipeline.extract.lexicon import checked_confidence
from pipeline.models import Cell, Provenance, TextLine

_NO = r"(?:no(?:mor|mer)?[.,]{0,3}|nmr\.?)"  # OCR: "No, Permohonan", "No..."
LABEL_PATTERNS: tuple[tuple[str, str], ...] = (
    ("nomor_permohonan", rf"{_NO}\s*(?:registrasi\s*)?permohonan|id\s*permohonan"),
    (
        "opd",
        r"(?:nama\s*)?(?:opd|instansi|perangkat\s*daerah|unit\s*kerja|satuan\s*kerja)"
        r"(?:\s*pemohon)?",
    ),
    ("subdomain_name", r"nama\s*sub\s*-?\s*domain"),
    (
        "subdomain",
        r"(?:alamat\s*|nama\s*)?sub\s*-?\s*domain(?:\s*yang\s*(?:diajukan|diminta))?"
        r"|domain|url|alamat\s*(?:aplikasi|situs|website|web)",
    ),
    (
        "telepon",
        rf"(?:{_NO}\s*)?(?:telepon|telpon|telp\.?|tlp\.?|hp\.?|handphone|hand\s*phone|"
        r"ponsel|whatsapp|wa|kontak)\b[A-Za-z\s./-]{0,30}",
    ),
    ("email", r"(?:alamat\s*)?(?:e\s*-?\s*mail|surel|surat\s*elektronik)"),
    ("jabatan", r"jabatan"),
    ("nama", r"nama(?:\s*lengkap)?(?:\s*(?:penanggung\s*jawab|pj|petugas))?"),
    ("nomor_surat", rf"{_NO}(?:\s*(?:surat|sop))?"),  # an SOP sheet: "Nomor SOP"
    ("perihal", r"perihal|hal"),
    ("tanggal", r"(?:pada\s*)?tanggal(?:\s*(?:surat|pembuatan))?|tgl\.?(?:\s*surat)?"),
    ("sifat", r"sifat"),
    ("lampiran", r"lampiran|lamp\."),
    ("pj_section", r"penanggung\s*jawab.*"),
    ("nip", r"nip\.?"),
)
_COMPILED = tuple((name, re.compile(rf"(?:{pattern})", re.I)) for name, pattern in LABEL_PATTERNS)
_PREFIX = tuple(
    (name, re.compile(rf"^\s*(?:{pattern})\s*[:.]?\s+(?P<value>\S.*)$", re.I))
    for name, pattern in LABEL_PATTERNS
    if name not in {"pj_section", "telepon"}
)
_TELEPON_PREFIX = re.compile(
    rf"^\s*(?:{_NO}\s*)?(?:telepon|telpon|telp\.?|tlp\.?|hp|handphone|hand\s*phone|ponsel)"
    r"[A-Za-z\s./-]{0,30}?:?\s*(?P<value>\+?\(?\d[\d\s().-]{6,})$",
    re.I,
)
MAX_LABEL_CHARS = 48
FORM_HEADING_RE = re.compile(r"^\s*(?:formulir|form|blanko)\b", re.I)
RULE_DEBRIS = " |¦!;—–»«~'\"“”‘’_-=>°"  # what table rules leave in front of a value
EDGE_JUNK = " \t|¦!:;=—–»«~'\"“”‘’_()[]"  # bits of table rules and colons that OCR leaves
ENUMERATION_RE = re.compile(r"^\s*(?:\d{1,2}|[a-hA-H]|[ivxIVX]{1,4})\s*[.),]\s+")


NUMBER_TAIL_RE = re.compile(r"^[A-Za-z0-9./\- ]*(?:19|20)\d\d\W*$")  # 'III / 2019'
HEADER_LABEL_COLUMN = 0.25  # a letter's header labels (Nomor, Perihal) start left of this
# A letter number standing after its label with no colon between ('No. 140 / 2002/ Brk /
# 760 /X/2021'): digits first, then slashed parts and nothing else on the line.
SLASHED_NUMBER_RE = re.compile(r"^\d[\w.\-]*(?:\s*/\s*[\w.\-]*)+$")


# The block beside a letter's header (its date, the addressee) starts, at the earliest, where
# the leftmost of its lines starts: the right-half cells of RIGHT_COLUMN_LINES or more of the
# lines around a header label (RIGHT_COLUMN_REACH above and below) say where.
RIGHT_COLUMN_SLACK = 8.0
RIGHT_COLUMN_LINES = 2
RIGHT_COLUMN_REACH = 4
MAX_CHAR_PITCH = 7.5  # points per character of a letter's text, with room (5.2-6.8 measured)


def text_reach(cell: Cell) -> float:
    """How far right the text of `cell` and the space after it reach at most: a cell that
    starts further right is no next word of the same text, but another column."""
    return cell.x0 + (len(cell.text) + 1) * MAX_CHAR_PITCH


@dataclass(frozen=True)
class LabelHit:
    field: str
    value: str
    line_index: int
    line: TextLine
    rule: str
    right_column: float | None = None  # where the block beside a header value starts

    @property
    def left_value(self) -> str:
        """The value without a right-hand column beside it (a letter's addressee block)."""
        if self.rule != "label-table" or not self.line.laid_out:
            return self.value
        values = self.line.cells[1:]
        left = [c for c in values if c.x0 < 0.5 * self.line.width]
        left += self._running_on(values[len(left) :], left)
        broken = left and left[-1].text.rstrip().endswith(("-", "/"))
        if broken and len(left) < len(values) and NUMBER_TAIL_RE.match(values[len(left)].text):
            left.append(values[len(left)])  # 'DinkopUKM -' | 'III / 2019': one value, broken
        cells = [c.text for c in left]
        if not cells and self.field in HEADER_FIELDS and self._label_at_left:
            return ""  # 'Perihal' | 'Provinsi Banten': the addressee's line, the subject wrapped
        return _strip_colon(" ".join(cells).strip()) if cells else self.value

    def _running_on(self, rest: Sequence[Cell], left: Sequence[Cell]) -> list[Cell]:
        """The cells past the middle that go on with the value: 'Perihal | Permohonan | … |
        Hosting | Aplikasi | Provinsi Banten' (OCR split a spaced-out subject into words and
        its last one starts past the middle) — each starting where the text before it ends,
        and left of the block beside the header. The addressee's words beside a short subject
        start far past its end ('Permohonan Alat' | 'Kabupaten Jepara'), and stay out."""
        if not left or self.right_column is None:
            return []
        run: list[Cell] = []
        before = left[-1]
        for cell in rest:
            if cell.x0 > text_reach(before) or cell.x0 >= self.right_column - RIGHT_COLUMN_SLACK:
                break
            run.append(cell)
            before = cell
        return run

    @property
    def _label_at_left(self) -> bool:
        return self.line.cells[0].x0 < HEADER_LABEL_COLUMN * self.line.width

    @property
    def value_x(self) -> float:
        """Where the value column starts (estimated for `Label : value` in one cell)."""
        if self.rule == "label-table" and len(self.line.cells) > 1:
            return self.line.cells[1].x0
        return self.line.x0 + 20


def label_of(text: str) -> str | None:
    """The field a label text names, or None when the text is not a known label."""
    bare = text.strip(EDGE_JUNK).rstrip(":").strip(EDGE_JUNK).lstrip(". ")  # '. 4. Nama'
    cleaned = ENUMERATION_RE.sub("", bare)
    if not cleaned or len(cleaned) > MAX_LABEL_CHARS:
        return None
    return _matching(cleaned, _ocr_variants(cleaned)) or _near_label(cleaned)


def _matching(text: str, variants: list[str]) -> str | None:
    """The label `text` or one of its OCR variants names; a one-word label is also tried
    with two misread letters ('Penbal': b for h, n for ri)."""
    for variant in (text, *variants):
        for name, pattern in _COMPILED:
            if pattern.fullmatch(variant):
                return name
    if len(text) > MAX_TWICE_MISREAD_CHARS or " " in text:
        return None
    twice = {second for first in variants for second in _ocr_variants(first)}
    return next((n for v in twice for n, p in _COMPILED if p.fullmatch(v)), None)


LABEL_SPELLINGS: dict[str, str] = {
    "nama lengkap": "nama",
    "jabatan": "jabatan",
    "alamat email": "email",
    "nomor telepon": "telepon",
    "nomor permohonan": "nomor_permohonan",
    "nama opd": "opd",
    "nama perangkat daerah": "opd",
    "alamat sub domain": "subdomain",
    "nama sub domain": "subdomain_name",
    "perihal": "perihal",
    "lampiran": "lampiran",
    "tanggal": "tanggal",
    "nomor surat": "nomor_surat",
}


def _near_label(text: str) -> str | None:
    """A label one or two letters off ('Nama Lengkao', 'Jabatari'), as OCR writes them."""
    if len(text) < 6:
        return None
    found = process.extractOne(
        text.casefold(), list(LABEL_SPELLINGS), scorer=fuzz.ratio, score_cutoff=88
    )
    return LABEL_SPELLINGS[found[0]] if found else None


OCR_LETTER_FIXES: tuple[tuple[str, str], ...] = (
    ("ii", "il"),
    ("1", "l"),
    ("t", "l"),  # 'Perihat'
    ("i", "l"),  # 'Hai'
    ("|", "l"),
    ("!", "l"),
    ("0", "o"),
    ("rn", "m"),
    ("n", "ri"),  # 'Penhal': OCR fuses r and i into n
    ("c", "e"),
    ("b", "h"),  # 'Penbal'
    ("v", "r"),  # 'Pevinal': a faint r read as v ...
    ("n", "h"),  # ... and an h without its ascender as n
)
MAX_TWICE_MISREAD_CHARS = 10  # one word ('Perihal', 'Lampiran'): two fixes are tried together


def _ocr_variants(text: str) -> list[str]:
    """A label as Tesseract may misread it ('Emaii', 'Jabatan' with a '1'): one fix at a time."""
    return [text.replace(wrong, right) for wrong, right in OCR_LETTER_FIXES if wrong in text]


def find_labels(lines: Sequence[TextLine]) -> Iterator[LabelHit]:
    for index, line in enumerate(lines):
        hit = _read_line(line, index)
        if hit and hit.field in HEADER_FIELDS and hit.rule == "label-table" and line.laid_out:
            hit = replace(hit, right_column=_right_column(lines, index))
        if hit:
            yield from _unflattened(hit)


def _right_column(lines: Sequence[TextLine], index: int) -> float | None:
    """Where the block beside the header line `lines[index]` starts at the earliest: the
    leftmost cell in the right half of the lines around it; None unless RIGHT_COLUMN_LINES of
    them have one."""
    line = lines[index]
    near = lines[max(0, index - RIGHT_COLUMN_REACH) : index + RIGHT_COLUMN_REACH + 1]
    starts = [
        min(right)
        for other in near
        if other is not line and other.page == line.page
        for right in ([c.x0 for c in other.cells if c.x0 >= 0.5 * line.width],)
        if right
    ]
    return min(starts) if len(starts) >= RIGHT_COLUMN_LINES else None


# A header label inside another's value: the Nomor / Sifat / Lampiran / Perihal block read as
# one paragraph ("Lampiran : - Perihal: Undangan Rapat … Kepada Yth. : …").
INLINE_HEADER_RE = re.compile(
    r"(?<!\S)(?=(?:Nomor|NOMOR|No\.|Sifat|SIFAT|Lampiran|LAMPIRAN|Perihal|PERIHAL|Hal|HAL)\s*:)"
)
HEADER_FIELDS = frozenset({"nomor_surat", "sifat", "lampiran", "perihal"})


def _unflattened(hit: LabelHit) -> Iterator[LabelHit]:
    """The hits of a header block whose rows a reader ran together into one line."""
    while hit.rule == "label-colon" and hit.field in HEADER_FIELDS:
        inner = INLINE_HEADER_RE.search(hit.value)
        head, _, tail = hit.value[inner.end() :].partition(":") if inner else ("", "", "")
        field = label_of(head) if inner else None
        if inner is None or field not in HEADER_FIELDS:
            break
        yield LabelHit(hit.field, hit.value[: inner.start()].strip(), *_place_of(hit))
        hit = LabelHit(field, _strip_colon(tail.strip()), *_place_of(hit))
    yield hit


def _place_of(hit: LabelHit) -> tuple[int, TextLine, str]:
    return hit.line_index, hit.line, hit.rule


def _read_line(line: TextLine, index: int) -> LabelHit | None:
    return _by_cells(line, index) or _by_colon(line, index) or _by_prefix(line, index)


def _by_cells(line: TextLine, index: int) -> LabelHit | None:
    if len(line.cells) < 2:
        return None
    first = line.cells[0].text
    field = label_of(first)
    if field is None and FORM_HEADING_RE.match(first) and len(line.cells) >= 3:
        return _beside_heading(line, index)
    if field is None and ":" in first:
        return None
    if field is None:
        return None
    rest = [c.text for c in line.cells[1:]]
    value = " ".join(rest).strip()
    return LabelHit(field, _strip_colon(value), index, line, "label-table")


def _beside_heading(line: TextLine, index: int) -> LabelHit | None:
    """A form's heading row with its own number or date beside the title, in cells of one
    table row: 'FORMULIR LAYANAN SERVER | No. | 017/PRM/2024'."""
    field = label_of(line.cells[1].text)
    value = _strip_colon(" ".join(c.text for c in line.cells[2:]).strip())
    if field not in {"nomor_surat", "nomor_permohonan", "tanggal"} or not value:
        return None
    return LabelHit(field, value, index, line, "label-judul")


def _by_colon(line: TextLine, index: int) -> LabelHit | None:
    text = line.text
    if ":" not in text:
        return None
    head, _, tail = text.partition(":")
    field = label_of(head)
    if field is None:
        return None
    return LabelHit(field, _strip_colon(tail.strip()), index, line, "label-colon")


def _by_prefix(line: TextLine, index: int) -> LabelHit | None:
    text = ENUMERATION_RE.sub("", line.text)
    phone = _TELEPON_PREFIX.match(text)
    if phone:
        return LabelHit("telepon", phone.group("value").strip(), index, line, "label-prefix")
    for name, pattern in _PREFIX:
        match = pattern.match(text)
        if match and _prefix_names(name, match.group("value").strip()):
            return LabelHit(name, match.group("value").strip(), index, line, "label-prefix")
    return None


def _prefix_names(field: str, value: str) -> bool:
    """A label word opening a line names its value without a colon, except where a sentence
    may open with it ('Nama kegiatan …', 'Hal ini …'); a number must then look like one."""
    if field == "nomor_surat":
        return bool(SLASHED_NUMBER_RE.match(value))
    return field not in {"perihal", "nama"}


def _strip_colon(value: str) -> str:
    """Drop the colon (and any rule fragments around it) in front of a value."""
    stripped = value.lstrip(RULE_DEBRIS)
    if stripped.startswith(":"):
        stripped = stripped[1:]
    return stripped.lstrip(RULE_DEBRIS)


def is_label_line(line: TextLine) -> bool:
    if line.cells and label_of(line.cells[0].text):
        return True
    head, sep, _ = line.text.partition(":")
    return bool(sep) and label_of(head) is not None


def from_line(
    rule: str,
    line: TextLine,
    base: float,
    *,
    matched: str | None = None,
    corrected: bool = False,
    words: str | None = None,
    read_elsewhere: frozenset[str] = frozenset(),
    within: tuple[int, int] | None = None,
) -> Provenance:
    """Provenance of a value read on `line`: the rule's confidence times the OCR's. A value of
    `words` (a subject, a job title) that reads as Indonesian words, or as names and codes
    `read_elsewhere` in the document, is trusted more than the OCR's own confidence says
    (pipeline.extract.lexicon). With `within` (a span of the line's text), only the OCR's
    confidence in the words of that span counts."""
    ocr = line.conf < 1.0
    conf = line.conf if within is None else line.conf_between(*within)
    read = checked_confidence(words, conf, read_elsewhere) if words else conf
    return Provenance(rule, line.page, matched or line.text, base * read, corrected, ocr)
