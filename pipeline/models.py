"""Small typed value objects the stages hand to each other (docs/architecture.md#layers)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pipeline.fields import Part, nested, required_from


class Media(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    IMAGE = "image"
    # Word-processor files read through a DOCX copy that LibreOffice makes.
    DOC = "doc"  # Word 97–2003 (OLE2 compound file with a WordDocument stream)
    RTF = "rtf"
    ODT = "odt"  # OpenDocument text
    DOCM = "docm"  # Word with macros: converted without ever running them
    # E-mail: one submission of the files it carries (pipeline.readers.email_message).
    EML = "eml"  # a saved message (RFC 822: Thunderbird, webmail, the watched mailbox)
    MSG = "msg"  # an Outlook item (OLE2 compound file with __substg1.0_ streams)

    @property
    def converted(self) -> bool:
        """Read through a DOCX copy made by LibreOffice."""
        return self in CONVERTED_MEDIA

    @property
    def email(self) -> bool:
        """An e-mail: read as the files it carries, not as one document."""
        return self in EMAIL_MEDIA


CONVERTED_MEDIA = frozenset({Media.DOC, Media.RTF, Media.ODT, Media.DOCM})
EMAIL_MEDIA = frozenset({Media.EML, Media.MSG})


class Kind(StrEnum):
    LETTER = "letter"
    FORM = "form"
    LETTER_FORM = "letter+form"
    OTHER = "other"
    RETURNED = "returned"


@dataclass(frozen=True)
class Cell:
    """A group of words on one line, separated from its neighbours by a wide gap or a tab."""

    x0: float
    text: str
    conf: float = 1.0  # OCR confidence of its weakest word, 0..1; 1 for text layers


@dataclass(frozen=True)
class TextLine:
    """One visual line of a page, split into cells (table columns, tab stops).

    `width` is the page width in points for laid-out pages (PDF, OCR); 0 for flowing text
    (Word), where a line never wraps into the next one and x0 is a column index.
    """

    page: int
    cells: tuple[Cell, ...]
    width: float = 0.0

    @property
    def conf(self) -> float:
        return min((c.conf for c in self.cells), default=1.0)

    def conf_between(self, start: int, end: int) -> float:
        """The confidence of the cells holding ``text[start:end]``: a value's own words, not
        the rest of its line (a number read unsure beside a date)."""
        at, confs = 0, []
        for cell in self.cells:
            stop = at + len(cell.text)
            if at < end and start < stop:
                confs.append(cell.conf)
            at = stop + 1
        return min(confs, default=self.conf)

    @property
    def laid_out(self) -> bool:
        return self.width > 0

    def left_cells(self) -> tuple[Cell, ...]:
        """The cells of the left half of a laid-out page (drops a right-hand column)."""
        if not self.laid_out:
            return self.cells
        return tuple(c for c in self.cells if c.x0 < 0.5 * self.width) or self.cells[:1]

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells)

    @property
    def x0(self) -> float:
        return self.cells[0].x0 if self.cells else 0.0


@dataclass(frozen=True)
class Page:
    number: int
    lines: tuple[TextLine, ...]
    has_text: bool


@dataclass(frozen=True)
class ReadDocument:
    """What a reader found in one file: text lines per page and fillable-form values."""

    media: Media
    pages: tuple[Page, ...]
    form_fields: dict[str, str] = field(default_factory=dict)
    needs_ocr: bool = False
    signed: bool = False
    ocr_pages: tuple[int, ...] = ()
    notes: tuple[str, ...] = ()  # what a clerk should know, e.g. pages left unread

    @property
    def lines(self) -> tuple[TextLine, ...]:
        return tuple(line for page in self.pages for line in page.lines)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


AGREED_CONFIDENCE = 0.95  # a value two independent readings (letter and form, two files) agree on
AGREED_CHANCE = 0.995  # the same, as a chance of being right (two files of one request agree)


def shown_confidence(confidence: float) -> float:
    """A confidence as stored and shown: three decimals, rounded down, so that rounding never
    lifts a value over the review line."""
    return math.floor(confidence * 1000) / 1000


@dataclass(frozen=True)
class Provenance:
    rule: str
    page: int | None
    matched: str
    confidence: float
    corrected: bool = False
    ocr: bool = False  # read by OCR from a scan or photo

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "page": self.page,
            "matched": self.matched,
            "confidence": shown_confidence(self.confidence),
            "corrected": self.corrected,
            "ocr": self.ocr,
        }


@dataclass(frozen=True)
class FieldValue:
    value: str
    provenance: Provenance


LETTER_FIELDS: tuple[str, ...] = required_from(Part.LETTER)
FORM_FIELDS: tuple[str, ...] = required_from(Part.FORM)


@dataclass(frozen=True)
class Extraction:
    """Fields found in one file, by dotted name, each with its provenance."""

    kind: Kind
    fields: dict[str, FieldValue]
    problems: tuple[str, ...] = ()
    needs_ocr: bool = False

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None

    def nested_values(self) -> dict[str, Any]:
        """The contract's shape: flat fields plus a nested penanggung_jawab object."""
        return nested(lambda f: self.value(f.name))

    def missing(self) -> list[str]:
        wanted = {
            Kind.LETTER: LETTER_FIELDS,
            Kind.FORM: FORM_FIELDS,
            Kind.LETTER_FORM: tuple(dict.fromkeys(LETTER_FIELDS + FORM_FIELDS)),
        }.get(self.kind, ())
        return [name for name in wanted if name not in self.fields]
