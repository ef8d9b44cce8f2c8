"""Indonesian letter numbers (nomor surat): find them after a label, split and classify them.

There is no single national format (docs/architecture.md#letter-numbers), so a number is read
as slash-separated segments, each classified by its shape:

- the first segment is the class code (kode klasifikasi): ``555``, ``000.7.2``;
- one segment carries the serial: ``787``, ``1.234``, ``Kep.12``, possibly joined to the unit
  by a hyphen (``787-Dislominfo``);
- usually one or more segments carry the unit (``Dislominfo``, ``Br.Dis``, ``SEK-BPKAD``,
  ``Bappeda-IV``); the serial may come before or after the unit (``482/Distan/1470/2022``).
  Without a unit (``555/1/X/2020``) the number needs a Roman month or a class code that cannot
  be a day, so that a date such as ``05/10/2020`` is never read as a letter number;
- an optional Roman month (I–XII) as its own segment just before the year;
- the 4-digit year last (1990–2099).

Anything that does not fit is rejected (``None``): a wrong number in the register is worse than
an empty field a clerk fills in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NOMOR_LABEL_RE",
    "NomorMatch",
    "ParsedNomor",
    "find_nomor",
    "find_printed_nomor",
    "month_as_dated",
    "parse_nomor",
    "repair_decree_digits",
    "repair_ocr_digits",
    "repair_roman_month",
]

# "Nomor", "Nomor Surat", "Nomor Surat Permohonan", "No.", "No. :", "No :", "No. Surat :". "No"
# needs a dot or a colon. The value must not start with a letter, so "Nomor Permohonan",
# "Nomor Telepon" and "No. Agenda" are not letter-number labels. The match ends where the value
# starts (spaces after the label included, never a line break).
NOMOR_LABEL_RE = re.compile(
    r"""
    (?<![A-Za-z])
    (?:
        nomor (?:[ \t]+surat (?:[ \t]+permohonan)? )? (?:[ \t]*\.)? (?:[ \t]*:)?
      | no [ \t]*\. (?:[ \t]*surat)? (?:[ \t]*:)?
      | no (?:[ \t]+surat)? [ \t]*:
    )
    (?![A-Za-z])
    (?=[ \t]*(?:[^A-Za-z\s]|$))
    [ \t]*
    """,
    re.IGNORECASE | re.VERBOSE | re.MULTILINE,
)

_CLASS_RE = re.compile(r"[0-9]{2,3}(?:\.[0-9]+)*")
_SERIAL = r"(?:Kep\.)?[0-9]{1,6}(?:\.[0-9]{1,6})*"
_UNIT = r"[A-Za-z][A-Za-z0-9.\-]*"
_SERIAL_RE = re.compile(_SERIAL, re.IGNORECASE)
_UNIT_RE = re.compile(_UNIT)
_SERIAL_UNIT_RE = re.compile(rf"(?P<serial>{_SERIAL})-(?P<unit>{_UNIT})", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?:199[0-9]|20[0-9][0-9])")
_ROMAN_LIKE_RE = re.compile(r"[IVX]+", re.IGNORECASE)
_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Characters a letter number (with spaces around its separators) is made of.
_SPAN_RE = re.compile(r"[A-Za-z0-9./\- \t]+")
_YEAR_END_RE = re.compile(r"(?:199[0-9]|20[0-9][0-9])(?![A-Za-z0-9])")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"})
_SPACED_SEPARATOR_RE = re.compile(r"\s*([/\-])\s*")


@dataclass(frozen=True, slots=True)
class ParsedNomor:
    """A letter number split into its parts. ``normalized`` has no spaces around separators."""

    normalized: str
    klasifikasi: str
    serial: str
    unit: str | None
    bulan: int | None
    tahun: int


@dataclass(frozen=True, slots=True)
class NomorMatch:
    """A letter number found in a text: the span ``text[start:end]`` is ``raw``."""

    value: str
    raw: str
    start: int
    end: int
    parsed: ParsedNomor


def parse_nomor(raw: str) -> ParsedNomor | None:
    """Split and classify a letter number; ``None`` when it is not one (or is ambiguous)."""
    normalized = _normalize_spacing(raw)
    if normalized is None:
        return None
    segments = normalized.split("/")
    if len(segments) < 3 or not _YEAR_RE.fullmatch(segments[-1]):
        return None
    if not _CLASS_RE.fullmatch(segments[0]):
        return None
    body = segments[1:-1]
    bulan = _roman_month(body[-1])
    if bulan is not None:
        body = body[:-1]
    parts = _serial_and_unit(body)
    if parts is None:
        return None
    serial, unit = parts
    if unit is None and bulan is None and not _unambiguous_class(segments[0]):
        return None  # "05/10/2020" is a date, not a letter number
    return ParsedNomor(
        normalized=normalized,
        klasifikasi=segments[0],
        serial=serial,
        unit=unit,
        bulan=bulan,
        tahun=int(segments[-1]),
    )


def find_nomor(text: str) -> NomorMatch | None:
    """Find the letter number at the start of ``text`` (the text after a "Nomor :" label).

    A label at the start is skipped. Trailing text on the same line (a place-and-date such as
    "Serang, 5 Oktober 2020", "Lampiran : -") is not part of the number.
    """
    label = NOMOR_LABEL_RE.match(text)
    offset = label.end() if label else 0
    while offset < len(text) and text[offset].isspace():
        offset += 1
    span = _SPAN_RE.match(text.translate(_DASHES), offset)
    if span is None:
        return None
    for end in _year_ends(span.group(), offset):
        parsed = parse_nomor(text[offset:end])
        if parsed is not None:
            raw = text[offset:end]
            return NomorMatch(parsed.normalized, raw, offset, end, parsed)
    return None


def repair_ocr_digits(raw: str) -> tuple[str, bool]:
    """Fix O→0, l/I→1 and ','→'.' inside numeric segments; return the value and whether it
    changed.

    A segment (between ``/``, ``-`` or spaces) is repaired only when it already holds a real
    digit and every other character is a digit, a dot or one of the look-alike letters, so a
    Roman month (``I``, ``XI``) or a unit is never touched.
    """
    joined = _DOT_SPACE_RE.sub(".", raw)  # "555. 1" → "555.1"
    pieces = re.split(r"([/\-\s]+)", joined)
    repaired = [_repair_segment(piece) for piece in pieces]
    value = repair_roman_month("".join(repaired))
    value = _HYPHENED_ROMAN_RE.sub(_repair_hyphened_roman, value)
    return value, value != raw


_DOT_SPACE_RE = re.compile(r"(?<=\d)\s*\.\s+(?=\d)|(?<=\d)\s+\.\s*(?=\d)")
# A month segment just before the year, as OCR misreads it: "1X", "VII!", "Vlll", "X|".
_ROMAN_BEFORE_YEAR_RE = re.compile(r"(?<=[/-])(\s*)([IVXil1|!]{1,4})(?=\s*/\s*(?:199\d|20\d\d)\b)")
# A Roman numeral hyphened to a unit, before another segment: 'Dinsos-11/XI', 'Bappeda-lll/'.
_HYPHENED_ROMAN_RE = re.compile(r"([A-Za-z.]\s*-\s*)([IVXil1|!]{1,4})(?=\s*/)")
_ROMAN_LOOKALIKES = str.maketrans({"l": "I", "1": "I", "|": "I", "!": "I", "i": "I"})


_NUMBER_SEGMENT_RE = re.compile(r"[/\-.\s]+")
_ROMAN_SHAPED = frozenset("IVXLil1|!")  # what OCR makes of a Roman numeral's strokes
_ROMAN_LETTERS = frozenset("IVXil|!")  # of which one, at least, is no digit 1 and no L


def has_misread_roman(nomor: str) -> bool:
    """A segment of `nomor` is made of a Roman numeral's strokes but is no month ('lil', 'Vl',
    'X|', 'IIII', 'VLII'): the month, or a bidang, was misread."""
    return any(_misread_roman(s) for s in _NUMBER_SEGMENT_RE.split(nomor))


def _misread_roman(segment: str) -> bool:
    """'lil', 'VLII' (no month holds an L), 'X|'; not '11', nor a lone 'L' (a unit's code)."""
    shaped = bool(segment) and set(segment) <= _ROMAN_SHAPED
    return shaped and bool(set(segment) & _ROMAN_LETTERS) and segment not in _ROMAN_MONTHS


def repair_roman_month(nomor: str) -> str:
    """`nomor` with the month before its year as OCR misread its strokes ('V1', 'X|', 'Vll')
    written as the Roman month they make; anything else as it is."""
    return _ROMAN_BEFORE_YEAR_RE.sub(_repair_roman, nomor)


def _repair_roman(match: re.Match[str]) -> str:
    candidate = match.group(2).translate(_ROMAN_LOOKALIKES)
    hyphened = match.string[match.start() - 1 : match.start()] == "-"
    has_roman = any(ch in "IVX" for ch in match.group(2))
    valid = candidate in _ROMAN_MONTHS and (has_roman or hyphened)  # 'DKP-1' is bidang I
    return match.group(1) + candidate if valid else match.group(0)


def _repair_hyphened_roman(match: re.Match[str]) -> str:
    candidate = match.group(2).translate(_ROMAN_LOOKALIKES)
    return match.group(1) + candidate if candidate in _ROMAN_MONTHS else match.group(0)


_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", ",": ".", "§": "5"})


def _repair_segment(segment: str) -> str:
    if not any(ch.isdigit() for ch in segment):
        return segment
    candidate = segment.translate(_LOOKALIKES)
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)*", candidate):
        return candidate
    return segment


def _normalize_spacing(raw: str) -> str | None:
    """Remove spaces around ``/`` and ``-`` and after ``Kep.``; ``None`` if other spaces remain."""
    value = _SPACED_SEPARATOR_RE.sub(r"\1", raw.translate(_DASHES).strip())
    value = re.sub(r"(?i)\b(Kep\.)\s+(?=[0-9])", r"\1", value)
    if not value or any(ch.isspace() for ch in value) or _DOUBLED_SEPARATOR_RE.search(value):
        return None
    return value


_DOUBLED_SEPARATOR_RE = re.compile(r"[/\-]{2,}")  # '--', '-/': a misread, never a number


def _roman_month(segment: str) -> int | None:
    upper = segment.upper()
    if upper in _ROMAN_MONTHS:
        return _ROMAN_MONTHS.index(upper) + 1
    return None


def _serial_and_unit(body: list[str]) -> tuple[str, str | None] | None:
    """Exactly one serial and any number of units among the middle segments, else ``None``."""
    serials: list[str] = []
    units: list[str] = []
    for segment in body:
        if _SERIAL_RE.fullmatch(segment):
            serials.append(segment)
        elif joined := _SERIAL_UNIT_RE.fullmatch(segment):
            serials.append(joined.group("serial"))
            units.append(joined.group("unit"))
        elif _is_unit(segment):
            units.append(segment)
        else:
            return None
    if len(serials) != 1:
        return None
    return serials[0], "/".join(units) if units else None


def _unambiguous_class(segment: str) -> bool:
    """A 3-digit or dotted class code cannot be read as the day of a date."""
    return len(segment) > 2


def _is_unit(segment: str) -> bool:
    """A unit: starts with a letter, no trailing hyphen, not a bare Roman numeral."""
    if not _UNIT_RE.fullmatch(segment) or segment.endswith("-"):
        return False
    return not _ROMAN_LIKE_RE.fullmatch(segment)  # "X", "XIII": a month or a typo, not a unit


def _year_ends(span: str, offset: int) -> list[int]:
    """Absolute end positions of year-like tokens in ``span``, longest candidate first."""
    ends = [offset + m.end() for m in _YEAR_END_RE.finditer(span)]
    return sorted(ends, reverse=True)


# The wider grammar of numbers as real offices print them after a Nomor label: segments of
# letters, digits, dots and hyphens joined by slashes ("B/400.14.5.4/123/Diskominfo/2024",
# "440/7181/KD.D", "83/KOM.03.01.08/APTIKA", "PPE-22-04-058/2022", a blank middle part
# "442//II/2020"), or a decree's "0482.2 TAHUN 2018". Digits may be any script's (a month
# printed in Arabic-Indic digits is kept as printed).
_PRINTED_SEGMENT = r"[^\W_](?:[^\W_]|[.\-](?=[^\W_]))*"
_PRINTED_RE = re.compile(
    rf"(?P<nomor>{_PRINTED_SEGMENT}(?:/(?:{_PRINTED_SEGMENT})?)*/{_PRINTED_SEGMENT}"
    rf"|\d[\d.]*\s+TAHUN\s+(?:19|20)\d\d)(?![^\W_])",
    re.IGNORECASE,
)
_PRINTED_MIN, _PRINTED_MAX = 4, 60
# What may follow a number on its line: a place-and-date, the addressee, another label.
_AFTER_NUMBER_RE = re.compile(r"\s{2,}|\s(?=[A-Z][a-z]+,)|\s(?=kepada|yth)", re.IGNORECASE)


# A decree's number before TAHUN is digits (and dots) only; handwritten, OCR reads a zero left
# open as C or (, a one as l or I.
_DECREE_NUMBER_RE = re.compile(r"^(?P<lead>\W*?)(?P<number>[0-9OoCcDQ(lI|.]{1,8})(?=\s+TAHUN\s)")
_DECREE_LOOKALIKES = str.maketrans("OoCcDQ(lI|", "0000000111")


def repair_decree_digits(text: str) -> str:
    """A decree's number as OCR read it ('C074 TAHUN 2024') with its look-alike letters as the
    digits they stand for ('0074 TAHUN 2024'), when it holds a digit; else the text as read."""
    found = _DECREE_NUMBER_RE.match(text.strip())
    if found is None or not any(ch.isdigit() for ch in found.group("number")):
        return text
    number = found.group("number").translate(_DECREE_LOOKALIKES)
    return found.string[: found.start("number")] + number + found.string[found.end() :]


def find_printed_nomor(text: str) -> str | None:
    """The number printed at the start of ``text`` (the value after a Nomor label) in the wide
    grammar of real letters; None when it holds no digit, no separator or is too long.
    Spaces around separators are dropped, as is a sentence's full stop at the end."""
    value = _SPACED_SEPARATOR_RE.sub(r"\1", text.translate(_DASHES).strip())
    value = _AFTER_NUMBER_RE.split(value, maxsplit=1)[0]
    found = _PRINTED_RE.match(value)
    if found is None:
        return None
    nomor = " ".join(found.group("nomor").split()).rstrip(".")
    if not _PRINTED_MIN <= len(nomor) <= _PRINTED_MAX or not any(ch.isdigit() for ch in nomor):
        return None
    return nomor.upper() if " TAHUN " in nomor.upper() else nomor


# The month a number was given is printed in Roman figures before its year ('…/VIII/2020'),
# and is the month of the letter's date. OCR drops or merges an I ('VII', 'VHI', 'XH' for
# VIII and XII); a month one stroke off the date's month is read as the date's month.
_MONTH_BEFORE_YEAR_RE = re.compile(r"(?<=/)([IVXHl1|]{1,5})(?=/(?:199\d|20\d\d)(?![0-9]))")


def month_as_dated(nomor: str, month: int) -> str | None:
    """`nomor` with its Roman month set to `month` when OCR plausibly misread it (one stroke
    off); None when it already agrees, has no Roman month, or differs by more."""
    found = list(_MONTH_BEFORE_YEAR_RE.finditer(nomor))
    if not found or not 1 <= month <= len(_ROMAN_MONTHS):
        return None
    printed = found[-1]
    want = _ROMAN_MONTHS[month - 1]
    read = printed.group(1).translate(_ROMAN_LOOKALIKES).replace("H", "II")
    if printed.group(1) == want or not _one_stroke_apart(read, want):
        return None
    return nomor[: printed.start(1)] + want + nomor[printed.end(1) :]


def _one_stroke_apart(read: str, want: str) -> bool:
    """The same numeral, or one I more or less ('VII' and 'VIII'); a V or an X is never lost."""
    if read == want:
        return True
    longer, shorter = (read, want) if len(read) > len(want) else (want, read)
    return len(longer) == len(shorter) + 1 and any(
        longer[:i] + longer[i + 1 :] == shorter for i, ch in enumerate(longer) if ch == "I"
    )


# The year a number ends with is its letter's year. OCR misreads one of its digits ('2014' for
# 2019, '2028' for 2020); a year one digit off the date's year is read as the date's year. The
# year before is left alone: a number taken in December may go out on a letter dated January.
_YEAR_AT_END_RE = re.compile(r"(?<![0-9])(199\d|20\d\d)$")


def year_as_dated(nomor: str, year: int) -> str | None:
    """`nomor` with its closing year set to `year` when OCR plausibly misread one digit of it;
    None when it agrees, has no year at its end, differs by more, or is the year before."""
    found = _YEAR_AT_END_RE.search(nomor)
    if found is None:
        return None
    printed, want = found.group(1), f"{year:04d}"
    differing = sum(a != b for a, b in zip(printed, want, strict=True))
    if differing != 1 or int(printed) == year - 1:
        return None
    return nomor[: found.start(1)] + want
