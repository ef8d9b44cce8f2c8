"""Lines the page OCR read badly, read again from the grey page, larger, as one line.

Three passes over a page's words (`pipeline.readers.ocr_words.OcrWord`):

- `second_look`: a few unsure lines are read again and taken when that reading is clearly surer;
- `number_vote`: the letter-number row (`Nomor : 072/029`) is read by two more Tesseract
  readers and, where their readings differ, by RapidOCR, and each character of the number is
  the one the most weight saw;
- `date_check`: an unsure date (`Jepara, 21 Januari 2020`) is read by RapidOCR, and its words
  become sure where it reads them alike.

The first two keep a line as unsure as its first reading was: they change what was read, not
how sure it is; the third changes only how sure a reading is, never what it says.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

import numpy as np
from babel.dates import get_month_names
from PIL import Image

from pipeline.errors import UnreadableFileError
from pipeline.readers import rapid
from pipeline.readers.ocr_clean import otsu_level
from pipeline.readers.ocr_words import Box, GreyPage, OcrWord, mean_word_conf, words_of
from pipeline.readers.tesseract import LANGUAGES, read_line_tsv

# A second look at lines read badly. A phone photo's small, soft print binarised at page scale
# loses the strokes that tell 0 from 4 and / from ' ("054 Sciwan'14932023" for
# 050/Setwan/1493/2023); the same line cut from the grey page, scaled up three times and read
# as one line (Tesseract's --psm 7) keeps them. Only a few lines per page are looked at again:
# those with an unsure word holding a digit (numbers, dates) or opening with a letter's header
# label, the worst first. The second reading is taken only when it is clearly surer, and its
# words never get more confidence than the first reading's least sure word on that line, so a
# value read from an unsure line stays 'perlu diperiksa'.
SECOND_LOOKS = 3  # lines per page read again at most
UNSURE_WORD = 0.6  # a word under this confidence makes its line worth a second look
HEADER_LABELS = frozenset({"nomor", "no", "hal", "perihal", "lampiran", "sifat", "tanggal"})
LINE_SCALE = 3  # the line is read again this many times larger
LINE_MARGIN = (1.0, 0.35)  # blank kept around the line's words, in line heights: across, down
MAX_LINE_HEIGHT = 2.5  # a line box taller than this many word heights holds more than a line
CLEARLY_SURER = 0.1  # the second reading's mean word confidence beats the first's by this
LINE_SECONDS = 5.0  # deadline of one line's second reading
SEPARATORS = frozenset(":/-.")


def second_look(words: list[OcrWord], grey: GreyPage, timeout: float) -> list[OcrWord]:
    """The page's words with its worst-read lines (at most SECOND_LOOKS) replaced by a second
    reading of them from the grey page, where that reading is clearly surer."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
    for word in words:
        lines[word.line_key].append(word)
    chosen = sorted(
        (members for members in lines.values() if _worth_a_second_look(members)),
        key=_look_order,
    )[:SECOND_LOOKS]
    if not chosen:
        return words
    page = grey.matching
    better: dict[tuple[int, int, int], list[OcrWord]] = {}
    for members in chosen:
        found = _line_read_again(members, page, min(timeout, LINE_SECONDS))
        if found is not None:
            better[members[0].line_key] = found
    if not better:
        return words
    result: list[OcrWord] = []
    for word in words:
        if word.line_key not in better:
            result.append(word)
        elif word is lines[word.line_key][0]:
            result += better[word.line_key]
    return result


def _worth_a_second_look(members: list[OcrWord]) -> bool:
    unsure = [w for w in members if w.conf < UNSURE_WORD]
    return bool(unsure) and (
        _opens_with_label(members) or any(ch.isdigit() for w in unsure for ch in w.text)
    )


def _opens_with_label(members: list[OcrWord]) -> bool:
    first = min(members, key=lambda w: w.left).text.lower().strip(".:")
    return first in HEADER_LABELS


def _look_order(members: list[OcrWord]) -> tuple[bool, float]:
    """Header lines first, then the line with the least sure word."""
    return (not _opens_with_label(members), min(w.conf for w in members))


def _line_read_again(
    members: list[OcrWord], page: Image.Image, timeout: float
) -> list[OcrWord] | None:
    """The line's words read again from `page` (grey, 3x larger, as one line; and the same
    binarised by Otsu's threshold, read only when the grey one is not clearly surer), in page
    pixels; None unless clearly surer than `members`."""
    cut = _line_image(members, page)
    if cut is None:
        return None
    box, large = cut
    pixels = np.asarray(large)
    otsu = Image.fromarray(np.where(pixels <= otsu_level(pixels), 0, 255).astype(np.uint8))
    readings: list[list[OcrWord]] = []
    for image in (large, otsu):
        try:
            readings.append(words_of(read_line_tsv(image, timeout)))
        except UnreadableFileError:
            continue
        if _clearly_surer(readings[-1], members):
            break  # the grey reading settles it: the Otsu one is only needed when it does not
    best = max(readings, key=mean_word_conf, default=[])
    if not _clearly_surer(best, members):
        return None
    return [_placed_back(w, box, members) for w in best]


def _line_image(
    members: Sequence[OcrWord], page: Image.Image, scale: float = LINE_SCALE
) -> tuple[Box, Image.Image] | None:
    """Where the line of `members` lies on `page` (with a margin), and that part of the page
    `scale` times larger; None for a box that holds more than a line or nothing."""
    height = statistics.median(w.height for w in members)
    top = min(w.top for w in members)
    bottom = max(w.top + w.height for w in members)
    if height <= 0 or bottom - top > MAX_LINE_HEIGHT * height:
        return None
    left = min(w.left for w in members) - LINE_MARGIN[0] * height
    right = max(w.left + w.width for w in members) + LINE_MARGIN[0] * height
    box = (
        max(0, round(left)),
        max(0, round(top - LINE_MARGIN[1] * height)),
        min(page.width, round(right)),
        min(page.height, round(bottom + LINE_MARGIN[1] * height)),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    crop = page.crop(box)
    size = (round(crop.width * scale), round(crop.height * scale))
    return box, crop.resize(size, Image.Resampling.LANCZOS)


def _clearly_surer(second: list[OcrWord], first: list[OcrWord]) -> bool:
    """Surer on average and at its least sure word, about as much text, and every separator
    the first reading saw still there: a page reading rarely invents a ':' or a '/', so a
    second reading without one has lost a character ('723/PRM/20 19' for 723/PRM/2019)."""
    if not second:
        return False
    length = sum(len(w.text) for w in first)
    again = sum(len(w.text) for w in second)
    return (
        mean_word_conf(second) >= mean_word_conf(first) + CLEARLY_SURER
        and min(w.conf for w in second) > min(w.conf for w in first)
        and 0.7 * length <= again <= 1.4 * length
        and not _separators(first) - _separators(second)
    )


def _separators(words: list[OcrWord]) -> Counter[str]:
    return Counter(ch for w in words for ch in w.text if ch in SEPARATORS)


def _placed_back(
    word: OcrWord, box: Box, first: Sequence[OcrWord], scale: float = LINE_SCALE
) -> OcrWord:
    """A word of the second reading in page pixels, across where it was read and up and down
    where the first reading's words were (a box reaching into the next line would pull that
    line's words into this one), and no surer than the least sure word of the first reading:
    whatever is read from the line stays as unsure as the line was."""
    return OcrWord(
        word.text,
        box[0] + word.left / scale,
        statistics.median(w.top for w in first),
        word.width / scale,
        statistics.median(w.height for w in first),
        min(word.conf, *(w.conf for w in first)),
        first[0].line_key,
    )


# The letter's number names the letter in every reply, and its digits are where the page reading
# fails most: a handwritten '172' read as '142', a ballpoint '029' as '099', a stamp's edge
# turning 'D-7/UMKU' into 'D-77/UMKUM'. The page reading sees the binarised page; the grey page
# read as one line, and by a reader of other training, misreads such a character differently.
# So a number (after Nomor/No opening a row, up to the date beside it) holding an unsure word is
# read again from the grey page by Tesseract with Indonesian and English, by Tesseract with
# English alone and by RapidOCR's recogniser (`pipeline.readers.rapid`), and each of its
# characters is the one the readings saw with the most weight behind them. RapidOCR weighs one
# and a half Tesseract readings: alone it never outvotes two Tesseract readings that agree, with
# one of them it outvotes the other two. Measured on the unsure number rows: of the 27 on the
# real scans of ../shared/real, RapidOCR read 12 right, the page reading 6, each Tesseract line
# reading 8 or 9; of the 56 on the generated scans RapidOCR read 32, Tesseract 37 to 42 (roman
# months: 'VII' for VIII). Voted with that weight, 12 of the real rows come out right (9 with
# Tesseract alone) and 43 of the generated ones, as before, none worse. Characters a letter
# number never holds ('%', '©') have no vote, and a tie keeps the page's reading, so a number
# nobody agrees on stays as read. Dots count for no place: a reader that dropped one ('KHUL' for
# KH.UL) still votes on every other character, and a voted number no reading read whole is
# written over a line reading with as many characters. The number keeps the page reading's
# confidence: a voted number is still 'perlu diperiksa' where its words were unsure. On the
# scans of ../shared/real and the generated ones, reading at the grey page's own size fixed the
# same numbers as three times larger, in half the time.
NUMBER_LABELS = frozenset({"nomor", "no", "nomer"})
VOTERS = (LANGUAGES, "eng")  # Tesseract's line readers besides the page reading
RAPID_WEIGHT = 1.5  # RapidOCR's reading weighs this many Tesseract readings
MAJORITY = 2.0  # a number's length needs this much weight behind it
RAPID_LABEL_RE = re.compile(  # 'Nomor1885/…': RapidOCR glues the number to its label
    r"^\W*(?P<label>n[o0](?:m[o0]r|mer)?(?:\b|(?=\d))\.?\s*[:>]?)", re.IGNORECASE
)
# RapidOCR drops the space between a number and the word after it ('2020Kepda Yth'), which
# would carry the word into the number
GLUED_WORD_RE = re.compile(r"(?<=\d)(?=[A-Z][a-z]{2,})")
VOTED_ROWS = 2  # number rows per page voted on at most, from the top (the letter's own first)
VOTE_SCALE = 1.0  # the grey page's own size
SURE_ROW = 0.9  # a number whose every word is at least this sure is left as read
ROW_BAND = 0.6  # a word lies in the label's row when its middle is this many label heights near
NUMBER_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./-")
LEADING_JUNK = ":;=—–_-.,'\"|\\"  # a colon, or a rule's or a stamp's edge read before a number
NUMBER_SHAPE_RE = re.compile(r"/|\dTAHUN(?:19|20)\d\d", re.IGNORECASE)  # or a decree's 'TAHUN'
RINGS = str.maketrans("°º", "00")  # a zero read small and high: '°32' for 032
LOOKALIKES = ("Il1|i", "O0o")  # characters any reader confuses; the number grammar repairs them
PLACE_COMMA = re.compile(r"^[^\W\d_]+,$")  # 'Jepara,': the date beside the number begins
YEAR_END_RE = re.compile(r"(?:19|20)\d\d\.?$")
WORD_RE = re.compile(r"[A-Z][a-z]{2,}")  # a capitalised word alone, no separator in it


def number_vote(words: list[OcrWord], grey: GreyPage, timeout: float) -> list[OcrWord]:
    """The page's words with the number of its (at most VOTED_ROWS) unsure number rows as most
    readers read it."""
    rows = sorted(
        (row for word in words if _is_number_label(word) for row in (_row_of(word, words),) if row),
        key=lambda row: row[0].top,
    )[:VOTED_ROWS]
    if not rows:
        return words
    page = grey.matching
    for row in rows:
        voted = _voted_row(row, page, min(timeout, LINE_SECONDS))
        if voted is not None:
            replaced = {id(w) for w in row}
            words = [w for w in words if id(w) not in replaced] + voted
    return words


def _is_number_label(word: OcrWord) -> bool:
    return word.text.lower().strip(".:") in NUMBER_LABELS


def _row_of(label: OcrWord, words: Sequence[OcrWord]) -> list[OcrWord]:
    """`label` and the words of the number it opens a row with, left to right, when one of
    them is unsure (an unsure place or date beside a sure number is no reason); else []."""
    middle = label.top + label.height / 2
    band = [w for w in words if abs(w.top + w.height / 2 - middle) < ROW_BAND * label.height]
    if any(w.left < label.left for w in band):
        return []  # 'Jalan Pemuda Nomor 106': a label inside a line is no number row
    row = sorted(band, key=lambda w: w.left)
    part = _number_part(row)
    if not part or min(row[i].conf for i in part) >= SURE_ROW:
        return []
    return row[: part[-1] + 1]  # the date beside it is neither read again nor changed


def _voted_row(row: list[OcrWord], page: Image.Image, timeout: float) -> list[OcrWord] | None:
    """The row with its number as most readers read it; None when that is the page's reading
    but for its end, no number with a '/' (or a decree's '0074 TAHUN 2024'), or nothing they
    agree on."""
    cut = _line_image(row, page, VOTE_SCALE)
    if cut is None:
        return None
    box, image = cut
    readings = [row] + [_read_as(image, language, timeout) for language in VOTERS]
    keys = [_number_key(reading) for reading in readings]
    weights = [1.0] * len(readings)
    if len(set(keys)) > 1:  # against Tesseract's readings all alike RapidOCR could not prevail
        readings.append(_read_by_rapid(image))
        keys.append(_number_key(readings[-1]))
        weights.append(RAPID_WEIGHT)
    given = [index for index, key in enumerate(keys) if key]
    voted = _char_vote([keys[i] for i in given], [weights[i] for i in given])
    if voted is None:
        return None
    voted = _lookalikes_as_read(voted, keys[0])
    if not NUMBER_SHAPE_RE.search(voted) or _same_but_its_end(voted, keys[0]):
        return None
    rewritten = _rewritten(row, voted)
    if rewritten is not None:
        return rewritten
    exact = [r for r, key in zip(readings[1:], keys[1:], strict=True) if key == voted]
    rewritten_lines = (_rewritten(r, voted) for r in readings[1:])  # as many characters
    line = next(iter(exact), None) or next((r for r in rewritten_lines if r is not None), None)
    return None if line is None else [_placed_back(w, box, row, VOTE_SCALE) for w in line]


def _lookalikes_as_read(voted: str, page: str) -> str:
    """The vote with the page's own character wherever the two differ only by a look-alike
    ('II' and 'Il', '0' and 'O'): which of those is meant is the number grammar's to settle
    from its place (a month, a year), not the readers' by a vote."""
    if len(voted) != len(page):
        return voted
    return "".join(
        as_read if any(as_read in group and by_vote in group for group in LOOKALIKES) else by_vote
        for by_vote, as_read in zip(voted, page, strict=True)
    )


def _same_but_its_end(voted: str, page: str) -> bool:
    """The vote is the page's reading, or differs only in where the number ends: a speck
    before the date read as one more character ('2019 3 Serang,'), or a last digit lost at the
    edge of the line. Readings are voted on to settle characters, not the number's end."""
    return voted.startswith(page) or page.startswith(voted)


def _read_as(image: Image.Image, language: str, timeout: float) -> list[OcrWord]:
    try:
        return sorted(words_of(read_line_tsv(image, timeout, language)), key=lambda w: w.left)
    except UnreadableFileError:
        return []


def _read_by_rapid(image: Image.Image) -> list[OcrWord]:
    """RapidOCR's reading of the row as words, when it opens with the number's label: its
    words spread over the image by their length (it gives no boxes), each as sure as can be,
    so that a word placed back keeps the page reading's least sure word's confidence."""
    text = rapid.read_line(image)
    found = RAPID_LABEL_RE.match(text)
    if found is None:
        return []
    rest = GLUED_WORD_RE.sub(" ", text[found.end() :])
    label = found.group("label").replace("0", "o")  # as printed ('No.', ':'), 'Nom0r' read
    tokens = [*label.split(), *rest.split()]
    unit = image.width / max(1, sum(len(t) + 1 for t in tokens))
    words: list[OcrWord] = []
    left = 0.0
    for token in tokens:
        width = unit * len(token)
        words.append(OcrWord(token, left, 0.0, width, float(image.height), 1.0, (0, 0, 0)))
        left += width + unit
    return words


def _number_part(reading: Sequence[OcrWord]) -> list[int]:
    """Indices of the words holding the number: after the reading's first number label, up to
    an addressee ('Kepada Yth.') or the place of a date beside it ('Jepara, 4 Januari 2020');
    none when its first word holds no digit."""
    label = next((i for i, w in enumerate(reading) if _is_number_label(w)), None)
    if label is None:
        return []
    part: list[int] = []
    for index in range(label + 1, len(reading)):
        text = reading[index].text
        if text.lower().startswith(("kepada", "yth")) or PLACE_COMMA.match(text):
            break
        if part and YEAR_END_RE.search(reading[part[-1]].text) and WORD_RE.fullmatch(text):
            break  # a number ends on its year: 'B/2020 Kepda Yth' goes on to its addressee
        part.append(index)
    opening = next((reading[i].text for i in part if reading[i].text.strip(LEADING_JUNK)), "")
    if not any(ch.isdigit() for ch in opening):
        return []  # 'Nomor Telepon', 'No. Permohonan': another number, or none
    return part


def _number_key(reading: Sequence[OcrWord]) -> str:
    key = "".join(reading[i].text for i in _number_part(reading)).lstrip(LEADING_JUNK)
    return key.translate(RINGS)


def _char_vote(keys: Sequence[str], weights: Sequence[float] | None = None) -> str | None:
    """Character by character, what the readings of the heaviest length read, each reading
    with its reader's weight (1 each when not given); None on a tie anywhere or a length
    without MAJORITY behind it. Dots, which a reader drops or adds more than any other
    character ('KHUL' for KH.UL), count for no length: the characters are voted on without
    them, and each run of dots between two characters as most of the same readings have it."""
    weighed = [
        (_undotted(key), weight)
        for key, weight in zip(keys, weights or [1.0] * len(keys), strict=True)
    ]
    lengths: dict[int, float] = defaultdict(float)
    for (bare, _), weight in weighed:
        lengths[len(bare)] += weight
    length = _heaviest(lengths)
    if length is None or lengths[length] < MAJORITY:
        return None
    same = [(undotted, weight) for undotted, weight in weighed if len(undotted[0]) == length]
    chars = [_most_seen([(c[i], weight) for (c, _), weight in same]) for i in range(length)]
    dots = [_most_seen([(d[i], weight) for (_, d), weight in same]) for i in range(length + 1)]
    if None in chars or None in dots:
        return None
    return "".join(f"{d}{c}" for d, c in zip(dots, [*chars, ""], strict=True))


DOT = "."


def _undotted(key: str) -> tuple[str, tuple[str, ...]]:
    """`key` without its dots, and the dots before each of its characters and after the last:
    'KH.UL' is ('KHUL', ('', '', '.', '', ''))."""
    chars: list[str] = []
    dots: list[str] = []
    run = ""
    for char in key:
        if char == DOT:
            run += char
        else:
            chars.append(char)
            dots.append(run)
            run = ""
    return "".join(chars), (*dots, run)


def _most_seen(column: Sequence[tuple[str, float]]) -> str | None:
    """What most weight saw at one place: a number's character, or a run of dots (none: '')."""
    seen: dict[str, float] = defaultdict(float)
    for char, weight in column:
        if char in NUMBER_CHARS or not char.strip(DOT):
            seen[char] += weight
    return _heaviest(seen)


Choice = TypeVar("Choice", bound=Hashable)


def _heaviest(weights: Mapping[Choice, float]) -> Choice | None:
    """The choice with the most weight; None when there is none or two share the most."""
    ranked = sorted(weights.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[1] == ranked[0]):
        return None
    return next(choice for choice, weight in weights.items() if weight == ranked[0])


def _rewritten(row: list[OcrWord], voted: str) -> list[OcrWord] | None:
    """The words of one reading of the row (the page's own first) with the voted characters,
    when its number has as many."""
    part = _number_part(row)
    text = "".join(row[i].text for i in part)
    lead = len(text) - len(text.lstrip(LEADING_JUNK))
    if len(text) - lead != len(voted):
        return None
    chars = text[:lead] + voted
    out = list(row)
    at = 0
    for index in part:
        size = len(row[index].text)
        out[index] = replace(row[index], text=chars[at : at + size])
        at += size
    return out


# A date the page read unsure ('Jepara, 21 Januari 2020' with an unsure day) is read again by
# RapidOCR, a reader of other training; where it reads the same words (letters and digits,
# case aside), every word of the date is taken as CONFIRMED sure, at least. Where it reads
# otherwise (D006's handwritten day: Tesseract '24', RapidOCR '21') the words keep the page's
# confidence, so the date still waits for a clerk. Only the words of the date itself count:
# a line holding more (a number beside it) stays as unsure as its least sure word.
DATE_ROWS = 2  # date rows per page read again at most, from the top
CONFIRMED = 0.96
MONTHS = frozenset(month.casefold() for month in get_month_names("wide", locale="id").values())
DAY_RE = re.compile(r"\d{1,2}")
YEAR_RE = re.compile(r"(?:19|20)\d\d[.,]?")
PLACE_RE = re.compile(r"[^\W\d_]{3,},")


def date_check(words: list[OcrWord], grey: GreyPage) -> list[OcrWord]:
    """The page's words with those of its (at most DATE_ROWS) unsure dates as sure as
    CONFIRMED where RapidOCR reads each date alike."""
    rows = [row for row in _date_rows(words) if min(w.conf for w in row) < CONFIRMED]
    confirmed: set[int] = set()
    for row in sorted(rows, key=lambda r: r[0].top)[:DATE_ROWS]:
        cut = _line_image(row, grey.matching, VOTE_SCALE)
        if cut is not None and _letters(rapid.read_line(cut[1])) == _letters(_text(row)):
            confirmed |= {id(w) for w in row}
    if not confirmed:
        return words
    return [replace(w, conf=max(w.conf, CONFIRMED)) if id(w) in confirmed else w for w in words]


def _date_rows(words: Sequence[OcrWord]) -> list[list[OcrWord]]:
    """The words of each 'day month year' the page reads, with the place before it."""
    rows: list[list[OcrWord]] = []
    for month in words:
        if month.text.strip(".,").casefold() not in MONTHS:
            continue
        middle = month.top + month.height / 2
        band = sorted(
            (w for w in words if abs(w.top + w.height / 2 - middle) < ROW_BAND * month.height),
            key=lambda w: w.left,
        )
        at = next(i for i, w in enumerate(band) if w is month)
        if 0 < at < len(band) - 1 and _day_month_year(band[at - 1 : at + 2]):
            place = at >= 2 and PLACE_RE.fullmatch(band[at - 2].text) is not None
            rows.append(band[at - 2 if place else at - 1 : at + 2])
    return rows


def _day_month_year(words: Sequence[OcrWord]) -> bool:
    return bool(DAY_RE.fullmatch(words[0].text) and YEAR_RE.fullmatch(words[2].text))


def _text(row: Sequence[OcrWord]) -> str:
    return " ".join(w.text for w in row)


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", text).casefold()
