"""Fields of the request form: nomor permohonan, penanggung jawab, subdomain, fillable fields."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from pipeline.extract.contact import normalize_email, normalize_nip, normalize_telepon
from pipeline.extract.labels import LabelHit, from_line, is_label_line, label_of, text_reach
from pipeline.extract.ocr_fixes import (
    email_on_bantenprov,
    email_rejoined,
    email_with_lost_underscore,
    is_ocr_template,
    phone_part,
    split_trailing_phone,
    strip_leading_junk,
    tidy_person_name,
    tidy_position,
    tidy_request_number,
    tidy_subdomain,
    under_parent,
)
from pipeline.extract.subdomain import normalize_subdomain
from pipeline.models import Cell, FieldValue, Provenance, TextLine

# Blank on the form: rules, dots, "(diisi …)", or Word's content-control prompt printed as is
PLACEHOLDER_RE = re.compile(
    r"^[\s_.\-–…:]*$|^\(?\s*diisi\b.*|^-+$"
    r"|^\W*klik\s+(?:atau\s+ketuk\s+)?di\s*sini\b|^\W*click\s+(?:or\s+tap\s+)?here\b",
    re.I,
)
SUFFIX_RE = re.compile(r"^\.?\s*bantenprov\.go\.id$", re.I)
ACROFORM_KEYS: tuple[tuple[str, str], ...] = (
    ("penanggung_jawab.nip", r"(?:^|[_\W])nip(?:$|[_\W\d])"),
    ("nomor_permohonan", r"permohonan|no_?perm|nomor_?reg"),
    ("opd", r"opd|instansi|perangkat|unit_?kerja"),
    ("subdomain", r"sub_?domain|domain"),
    ("penanggung_jawab.telepon", r"telp|telepon|phone|hp|ponsel|wa"),
    ("penanggung_jawab.email", r"e_?mail|surel"),
    ("penanggung_jawab.jabatan", r"jabatan|position"),
    ("penanggung_jawab.nama", r"nama|name|pj"),
)
PERSON_FIELDS = {"nama": "penanggung_jawab.nama", "jabatan": "penanggung_jawab.jabatan"}
WRAPPING_FIELDS = {*PERSON_FIELDS, "opd"}
WORD_FIELDS = frozenset({"jabatan"})  # read as words: checked against the Indonesian word list
BLANK_RE = re.compile(r"_{2,}|…+|\.{3,}")
CONTACT_LABELS = frozenset({"nama", "jabatan", "telepon", "email"})
# A title line over the PJ block: 'DATA PENANGGUNG JAWAB', 'Penanggung Jawab Administratif'
PJ_HEADING_RE = re.compile(r"^\W*(?:data\s+)?penanggung\s*jawab(?:\s+\w+)?\W*$", re.I)
# Form words that head a value without feeding a field of ours ('Alamat :', 'Instansi :').
OTHER_FORM_LABELS = frozenset({"alamat", "instansi", "nip", "bidang", "unit"})
MAX_LABEL_WORDS = 4
COLON_RE = re.compile(r"\s?:\s")
OCR_COLON_RE = re.compile(r"\s?[:;]\s|\s[1lI|]\s")
SAME_COLUMN = 24  # labels of one form's rows start within this many points ('a.' vs 'b.')
SECOND_COLUMN_CONFIDENCE = 0.78  # a value cut at a second column may have wrapped unseen


class FormReader:
    """Turns label hits and fillable-field values into validated form fields."""

    def __init__(self, numbered_pages: frozenset[int] = frozenset()) -> None:
        # Pages that are a form and nothing else: their own 'No.' is the request number
        # (on a page shared with the letter it is the letter's number).
        self.numbered_pages = numbered_pages
        self.fields: dict[str, FieldValue] = {}
        self.problems: list[str] = []
        self.raw_opd: FieldValue | None = None

    def read_hits(self, lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> None:
        """Contacts above a 'Penanggung Jawab' heading that the heading's block gives again
        belong to the institution, not to the person responsible, and are skipped."""
        section = _pj_section_start(lines, hits)
        repeated = {h.field for h in hits if h.line_index >= section} & CONTACT_LABELS
        for index, hit in enumerate(hits):
            if hit.line_index < section and hit.field in repeated:
                continue
            if hit.field == "nomor_surat" and hit.line.page not in self.numbered_pages:
                continue
            if hit.field == "nip" and not _among_contacts(hits, index):
                continue
            self._read_hit(lines, hit)

    def read_acroform(self, values: dict[str, str]) -> None:
        for key, raw in values.items():
            name = _acroform_field(key)
            if name and not PLACEHOLDER_RE.match(raw):
                prov = Provenance("isian-pdf", 1, f"{key}={raw}", 0.97)
                self._accept(name, raw, prov)

    def _read_hit(self, lines: Sequence[TextLine], hit: LabelHit) -> None:
        value = " ".join(
            BLANK_RE.sub(" ", hit.left_value if hit.field == "nomor_surat" else hit.value).split()
        )
        first_column = first_column_of(value, ocr=hit.line.conf < 1.0)
        if first_column == value:
            first_column = _before_second_column(lines, hit, value)
        wrapped: list[str] = []
        if hit.field in WRAPPING_FIELDS:
            wrapped = _wrapped(lines, hit) if first_column == value else _wrapped_left(lines, hit)
            value = " ".join([first_column, *wrapped]).strip()
        else:
            value = first_column
        ocr = hit.line.conf < 1.0
        if ocr and is_ocr_template(value):
            return
        if ocr and hit.field not in {"subdomain", "subdomain_name", "telepon", "email", "nip"}:
            value = strip_leading_junk(value, numeric_start=hit.field == "nomor_permohonan")
        if not value or PLACEHOLDER_RE.match(value):
            return
        line_rest = hit.line.text.partition(":")[2]
        two_columns = first_column_of(line_rest) != line_rest or first_column != value
        # Only a value that can wrap (a name, a position) may have lost a line when it was
        # cut at the second column; a number or an address is one token, whole or invalid.
        doubtful = (
            two_columns
            and hit.field in WRAPPING_FIELDS
            and not _whole_administrative_cell(lines, hit)
            and not _next_row_in_sight(lines, hit, len(wrapped))
        )
        base = SECOND_COLUMN_CONFIDENCE if doubtful else 0.92
        words = value if hit.field in WORD_FIELDS else None
        prov = from_line(f"formulir/{hit.rule}", hit.line, base, words=words)
        name = {
            "nomor_surat": "nomor_permohonan",  # a form's own 'No.' is its request number
            "telepon": "penanggung_jawab.telepon",
            "email": "penanggung_jawab.email",
            "nip": "penanggung_jawab.nip",
            **PERSON_FIELDS,
        }.get(hit.field, hit.field)
        if name in {"nomor_permohonan", "opd", "subdomain", "subdomain_name"} or (
            name.startswith("penanggung_jawab.")
        ):
            self._accept(name, value, prov)

    def _accept(self, name: str, raw: str, prov: Provenance) -> None:
        if name in self.fields:
            return
        if name == "opd":
            self.raw_opd = self.raw_opd or FieldValue(raw, prov)
        elif name in {"subdomain", "subdomain_name"}:
            self._subdomain(raw if name == "subdomain" else under_parent(raw), prov)
        elif name == "penanggung_jawab.telepon":
            self._checked(name, normalize_telepon(phone_part(raw)), prov)
        elif name == "penanggung_jawab.email":
            self._email(raw, prov)
        elif name == "penanggung_jawab.nip":
            self._nip(raw, prov)
        elif name == "nomor_permohonan":
            if any(ch.isdigit() for ch in raw):
                text, repaired = _ocr_repair(tidy_request_number, raw.strip(), prov)
                self.fields[name] = FieldValue(text, repaired)
        else:
            self._text_field(name, raw, prov)

    def _email(self, raw: str, prov: Provenance) -> None:
        raw, prov = _ocr_repair(email_rejoined, raw, prov)
        text, guessed = email_with_lost_underscore(raw) if prov.ocr else (raw, False)
        text, prov = _ocr_repair(email_on_bantenprov, text, prov)
        if guessed:
            self.problems.append(
                f"Email '{raw}' dibaca OCR tanpa garis bawah; dibaca sebagai "
                f"'{text}', mohon diperiksa."
            )
            prov = repaired(prov, GUESSED_CONFIDENCE)
        self._checked("penanggung_jawab.email", normalize_email(text), prov)

    def _nip(self, raw: str, prov: Provenance) -> None:
        nip = normalize_nip(raw)
        if nip:
            self.fields["penanggung_jawab.nip"] = FieldValue(nip, prov)
        else:
            self.problems.append(
                f"NIP penanggung jawab '{raw}' tidak sah (harus 18 angka: tanggal lahir, "
                "TMT, jenis kelamin, nomor urut); mohon dikonfirmasi ke OPD."
            )

    def _text_field(self, name: str, raw: str, prov: Provenance) -> None:
        text, phone = split_trailing_phone(raw.strip(" :"))
        if name in TEXT_REPAIRS:
            text, prov = _ocr_repair(TEXT_REPAIRS[name], text, prov)
        self.fields[name] = FieldValue(text, prov)
        if phone and "penanggung_jawab.telepon" not in self.fields:
            moved = repaired(prov, GUESSED_CONFIDENCE)
            self._checked("penanggung_jawab.telepon", normalize_telepon(phone), moved)

    def _subdomain(self, raw: str, prov: Provenance) -> None:
        if "subdomain" in self.fields:
            return
        text = tidy_subdomain(BLANK_RE.sub("", raw).strip())
        if SUFFIX_RE.match(text) or PLACEHOLDER_RE.match(text):
            return
        result = normalize_subdomain(text)
        if result.value:
            self.fields["subdomain"] = FieldValue(result.value, prov)
        self.problems.extend(result.problems)

    def _checked(self, name: str, result: object, prov: Provenance) -> None:
        value = getattr(result, "value", None)
        problems = tuple(getattr(result, "problems", ()))
        if value:
            confidence = prov.confidence if not problems else 0.6
            self.fields[name] = FieldValue(value, _with_confidence(prov, confidence))
        self.problems.extend(problems)


def _pj_section_start(lines: Sequence[TextLine], hits: Sequence[LabelHit]) -> int:
    """The line where the penanggung jawab's block starts: its heading, as a label row
    ('Penanggung Jawab Administratif' | 'Penanggung Jawab Teknis') or a title line alone ('DATA
    PENANGGUNG JAWAB', or the first column's heading whose neighbour OCR lost); len(lines)
    when the form has none."""
    heading = next((h.line_index for h in hits if h.field == "pj_section"), len(lines))
    titled = (i for i, ln in enumerate(lines[:heading]) if PJ_HEADING_RE.match(ln.text))
    return next(titled, heading)


def _among_contacts(hits: Sequence[LabelHit], index: int) -> bool:
    """A 'NIP' row of the penanggung jawab: a row of the form beside their other contact rows,
    in the same column — not the signer's 'NIP. …' under a signature."""
    hit = hits[index]
    if hit.rule == "label-prefix":
        return False
    beside = [hits[i] for i in (index - 1, index + 1) if 0 <= i < len(hits)]
    return any(
        other.field in CONTACT_LABELS
        and other.line.page == hit.line.page
        and abs(other.line.x0 - hit.line.x0) <= SAME_COLUMN
        for other in beside
    )


def _whole_administrative_cell(lines: Sequence[TextLine], hit: LabelHit) -> bool:
    """A Word table's row of two PJ columns under the heading 'Penanggung Jawab Administratif
    | Penanggung Jawab Teknis': the first column is the administrative PJ (the one
    registered), and its value is a whole cell, never a line wrapped out of sight."""
    if hit.line.laid_out:
        return False
    for line in reversed(lines[max(0, hit.line_index - MAX_PJ_ROWS) : hit.line_index]):
        if len(line.cells) >= 2 and ADMINISTRATIVE_RE.search(line.cells[0].text):
            return bool(TECHNICAL_RE.search(" ".join(c.text for c in line.cells[1:])))
    return False


def _next_row_in_sight(lines: Sequence[TextLine], hit: LabelHit, wrapped: int) -> bool:
    """On a text layer laid out in two columns, the form's next row opens right under the
    value (and the lines it wrapped onto), at the labels' column: the value ends there,
    nothing of it was lost beside the second column. OCR may drop or merge a line, so a
    scan's value keeps its doubt."""
    if hit.line.conf < 1.0 or not hit.line.laid_out:
        return False
    index = hit.line_index + 1 + wrapped
    if index >= len(lines) or lines[index].page != hit.line.page:
        return False
    below = lines[index]
    return abs(below.x0 - hit.line.x0) <= SAME_COLUMN and _is_label_cell(below.cells[0].text)


MAX_PJ_ROWS = 8  # rows of a PJ block between its column heading and a value row
ADMINISTRATIVE_RE = re.compile(r"\badministrati[fv]", re.I)
TECHNICAL_RE = re.compile(r"\bteknis\b", re.I)


def first_column_of(value: str, ocr: bool = False) -> str:
    """A second 'Label :' on the same line starts the next column (Administratif | Teknis): the
    first column's value ends before it. OCR reads that colon as ';', '1' or 'l' too."""
    colon_re = OCR_COLON_RE if ocr else COLON_RE
    for colon in (m.start() for m in colon_re.finditer(value)):
        words = value[:colon].split()
        for count in range(1, min(MAX_LABEL_WORDS, len(words) - 1) + 1):
            label = " ".join(words[-count:])
            if label_of(label) or label.casefold() in OTHER_FORM_LABELS:
                return " ".join(words[:-count])
    return value


COLUMN_SLACK = 8  # labels of one column start this near each other across its rows
SECOND_COLUMN_ROWS = 2  # rows around whose cells start where a second column's value does


def _before_second_column(lines: Sequence[TextLine], hit: LabelHit, value: str) -> str:
    """`value` up to the cell where a second column's label starts, when the row's colons
    were lost ('Nama' | 'Rina Marlina' | 'Nama' | 'Andi Pratama', as OCR reads a two-column
    PJ block): a label cell that a row next to it repeats at the same place with a label of
    its own ('NIP' | … | 'Instansi'). A label word inside a value ('Kepala' | 'Bidang') has
    no such column under or over it."""
    cells = hit.line.cells
    if hit.rule != "label-table" or not hit.line.laid_out or label_of(cells[0].text) is None:
        return value
    start, stop = max(0, hit.line_index - 2), hit.line_index + 3
    near = [ln for ln in lines[start:stop] if ln is not hit.line and ln.page == hit.line.page]
    for index in range(2, len(cells)):
        if _second_label(cells[index], near) or _second_value(hit.line, index, near):
            tail = " ".join(c.text for c in cells[index:])
            return value.removesuffix(tail).strip()
    return value


def _second_label(cell: Cell, near: Sequence[TextLine]) -> bool:
    """A label cell that a row next to it repeats at the same place with a label of its own."""
    return _is_label_cell(cell.text) and any(
        abs(c.x0 - cell.x0) <= COLUMN_SLACK and _is_label_cell(c.text)
        for line in near
        for c in line.cells[1:]
    )


def _second_value(line: TextLine, index: int, near: Sequence[TextLine]) -> bool:
    """A value of the second column whose label OCR lost ('Nama' | 'Rina Marlina' | 'Andi
    Pratama'): a cell in the right half, far past the end of the text before it, where the
    second column's values start on SECOND_COLUMN_ROWS of the rows around it."""
    cell = line.cells[index]
    if cell.x0 < 0.5 * line.width or cell.x0 <= text_reach(line.cells[index - 1]):
        return False
    rows = sum(any(abs(c.x0 - cell.x0) <= COLUMN_SLACK for c in ln.cells[1:]) for ln in near)
    return rows >= SECOND_COLUMN_ROWS


def _with_confidence(prov: Provenance, confidence: float) -> Provenance:
    return replace(prov, confidence=confidence)


def _acroform_field(key: str) -> str | None:
    leaf = key.rsplit(".", 1)[-1].lower()
    for name, pattern in ACROFORM_KEYS:
        if re.search(pattern, leaf) and not (name == "penanggung_jawab.nama" and "opd" in leaf):
            return name
    return None


def _wrapped(lines: Sequence[TextLine], hit: LabelHit) -> list[str]:
    """A long name or position wrapped inside its table cell continues on the next line."""
    if len(hit.line.cells) < 2 or not hit.line.laid_out:
        return []
    value_x = hit.line.cells[-1].x0
    extra: list[str] = []
    for line in lines[hit.line_index + 1 : hit.line_index + 3]:
        if line.page != hit.line.page or is_label_line(line) or len(line.cells) != 1:
            break
        if abs(line.x0 - value_x) > 4:
            break
        extra.append(line.text)
    return extra


def _wrapped_left(lines: Sequence[TextLine], hit: LabelHit) -> list[str]:
    """The first column's value wrapped under itself when a second column sits beside it
    ('Jabatan : Kepala Seksi Sistem Informasi | Alamat : …' over 'Kesehatan | Serang')."""
    cells = hit.line.cells
    second = next((c.x0 for c in cells[2:] if _is_label_cell(c.text)), None)
    if len(cells) < 2 or second is None or not hit.line.laid_out:
        return []
    value_x = cells[1].x0
    extra: list[str] = []
    for line in lines[hit.line_index + 1 : hit.line_index + 3]:
        left = [c for c in line.cells if c.x0 < second]
        if line.page != hit.line.page or is_label_line(line) or not left:
            break
        if not value_x - 4 <= left[0].x0 <= value_x + WRAP_INDENT:
            break
        extra.append(" ".join(c.text for c in left))
    return extra


def _is_label_cell(text: str) -> bool:
    bare = text.strip(" :")
    return bool(bare) and (label_of(bare) is not None or bare.casefold() in OTHER_FORM_LABELS)


WRAP_INDENT = 16  # a value cell that opens with ': ' starts its words this far right
REPAIRED_CONFIDENCE = 0.8  # a repaired OCR value is shown for review
GUESSED_CONFIDENCE = 0.6  # a value moved or completed by guesswork
TEXT_REPAIRS: dict[str, Callable[[str], tuple[str, bool]]] = {
    "penanggung_jawab.nama": tidy_person_name,
    "penanggung_jawab.jabatan": tidy_position,
}


def _ocr_repair(
    repair: Callable[[str], tuple[str, bool]], text: str, prov: Provenance
) -> tuple[str, Provenance]:
    """`repair` applied to an OCR'd value; a changed value is flagged corrected, for review."""
    if not prov.ocr:
        return text, prov
    fixed, changed = repair(text)
    return (fixed, repaired(prov)) if changed else (text, prov)


def repaired(prov: Provenance, cap: float = REPAIRED_CONFIDENCE) -> Provenance:
    return replace(prov, confidence=min(prov.confidence, cap), corrected=True)
