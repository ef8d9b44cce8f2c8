"""The vote on a letter number the page OCR read unsure: its row is read again by two more
Tesseract readers and by RapidOCR (weighing one and a half readings) and each character is the
one the most weight saw; a tie, a sure row or a label inside a line leaves the page's reading
as it was, and a voted number keeps the row's confidence."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pipeline.readers import ocr_lines, rapid
from pipeline.readers.ocr_lines import (
    NUMBER_CHARS,
    RAPID_WEIGHT,
    _char_vote,
    _undotted,
    number_vote,
)
from pipeline.readers.ocr_words import GreyPage, OcrWord
from tests.drawn_line import drawn_line

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
KEY = (3, 1, 1)
LINE = ("Nomor", ":", "072/029/2020")


def _page(texts: tuple[str, ...]) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """A grey page holding one line of `texts`, and the box of each."""
    return drawn_line(texts)


def _reading(
    boxes: list[tuple[int, int, int, int]], texts: tuple[str, ...], confs: tuple[float, ...]
) -> list[OcrWord]:
    return [
        OcrWord(text, left, top, right - left, bottom - top, conf, KEY)
        for (left, top, right, bottom), text, conf in zip(boxes, texts, confs, strict=True)
    ]


def _tsv(*texts: str) -> str:
    """Tesseract's TSV rows of one line holding `texts`."""
    return "".join(
        f"5\t1\t1\t1\t1\t{n}\t{100 * n}\t20\t80\t30\t80\t{text}\n"
        for n, text in enumerate(texts, start=1)
    )


@needs_tesseract
def test_a_misread_digit_is_voted_right_and_keeps_the_rows_confidence() -> None:
    image, boxes = _page(LINE)
    first = _reading(boxes, ("Nomor", ":", "072/099/2020"), (0.93, 0.9, 0.41))
    voted = number_vote(first, GreyPage(image), 30.0)
    number = next(w for w in voted if "/" in w.text)
    assert number.text == "072/029/2020"
    assert number.conf == 0.41  # as unsure as the page reading was
    assert (number.left, number.top) == (first[2].left, first[2].top)  # where it was printed


def test_a_sure_number_row_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    image, boxes = _page(LINE)
    first = _reading(boxes, LINE, (0.95, 0.93, 0.91))
    monkeypatch.setattr(ocr_lines, "read_line_tsv", _never)
    assert number_vote(first, GreyPage(image), 30.0) == first


def test_a_label_inside_a_line_opens_no_number_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """'Jalan Pemuda Nomor 106' in a letterhead is an address, not a number row."""
    texts = ("Jalan", "Pemuda", "Nomor", "106/7")
    image, boxes = _page(texts)
    first = _reading(boxes, texts, (0.9, 0.9, 0.9, 0.3))
    monkeypatch.setattr(ocr_lines, "read_line_tsv", _never)
    assert number_vote(first, GreyPage(image), 30.0) == first


@pytest.mark.parametrize(
    ("readers", "wanted"),
    [
        (("072/029/2020", "072/039/2020"), "072/099/2020"),  # three readings, three digits
        (("072/029/2020", "072/0292020"), "072/099/2020"),  # one reading each of its length
        (("072/029/2020", "072/029/2020"), "072/029/2020"),  # both agree against the page
        (("072/02%/2020", "072/029/2020"), "072/029/2020"),  # '%' is no number's: no vote
        (("072/02%/2020", "072/02%/2020"), "072/029/2020"),  # the page's '9' alone where '%'s are
        (("072/099/2020 3", "072/099/2020 3"), "072/099/2020"),  # a speck after it: no vote
        (("072/099/202", "072/099/202"), "072/099/2020"),  # its last digit lost: no vote
        (("072/029/2O2O", "072/029/2O2O"), "072/029/2020"),  # look-alikes stay as read
        (("072/099/2O2O", "072/099/2O2O"), "072/099/2020"),  # ...so nothing is left to vote on
    ],
)
def test_each_character_is_what_most_readings_saw(
    monkeypatch: pytest.MonkeyPatch, readers: tuple[str, str], wanted: str
) -> None:
    """Tesseract's readings alone (RapidOCR reads nothing here)."""
    assert _voted(monkeypatch, readers, "") == wanted


@pytest.mark.parametrize(
    ("readers", "rapid_reads", "wanted"),
    [
        # with one Tesseract reading, RapidOCR outvotes the other two
        (("072/029/2020", "072/099/2020"), "Nomor : 072/029/2020", "072/029/2020"),
        # three Tesseract readings, three digits: RapidOCR settles which
        (("072/029/2020", "072/039/2020"), "Nom0r: 072/029/2020", "072/029/2020"),
        # alone it never outvotes two Tesseract readings that agree
        (("072/099/2020", "072/039/2020"), "Nomor : 072/029/2020", "072/099/2020"),
        # a reading that does not open with the label says nothing of the number
        (("072/029/2020", "072/099/2020"), "T:072/029/2020", "072/099/2020"),
        # a word run on after the year is no part of the number ('2020Kepda Yth')
        (("072/029/2020", "072/099/2020"), "Nomor:072/029/2020Kepada Yth", "072/029/2020"),
        # the number glued to its label ('Nomor072/…') is still the number's reading
        (("072/029/2020", "072/099/2020"), "Nomor072/029/2020", "072/029/2020"),
        # a zero read small and high ('°') is a zero: with the page's it outvotes an 8
        (("°72/029/2020", "872/029/2020"), "", "072/029/2020"),
    ],
)
def test_rapidocr_weighs_one_and_a_half_tesseract_readings(
    monkeypatch: pytest.MonkeyPatch, readers: tuple[str, str], rapid_reads: str, wanted: str
) -> None:
    assert _voted(monkeypatch, readers, rapid_reads) == wanted


def test_rapidocr_is_not_asked_when_tesseracts_readings_all_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Against three readings alike RapidOCR could not prevail: its time is not spent."""
    assert _voted(monkeypatch, ("072/099/2020", "072/099/2020"), None) == "072/099/2020"


@pytest.mark.parametrize(
    ("words", "number"),
    [
        (("Nomor", ":", "005/RS.PKU/B/2020", "Kepda", "Yth"), "005/RS.PKU/B/2020"),
        (("Nomor", ":", "005/728/2018.", "Serang"), "005/728/2018."),
        (("Nomor", ":", "045.2/0417-", "Dinkes", "/III/2024"), "045.2/0417-Dinkes/III/2024"),
    ],
)
def test_a_number_ends_on_its_year_not_on_the_word_after_it(
    words: tuple[str, ...], number: str
) -> None:
    """A capitalised word after the year is the addressee's or a place ('Kepda Yth', a
    misspelt Kepada); inside a number, before its year, it is one of its parts."""
    reading = [OcrWord(w, 100.0 * i, 0.0, 90.0, 30.0, 0.5, KEY) for i, w in enumerate(words)]
    assert ocr_lines._number_key(reading) == number


def test_rapidocr_reads_a_printed_number_row() -> None:
    """The real recogniser, as installed by scripts/setup.sh, with its packaged model."""
    assert rapid.available()
    image, boxes = _page(("Nomor", ":", "005/728/2018"))
    line = image.crop((boxes[0][0] - 20, boxes[0][1] - 15, boxes[-1][2] + 20, boxes[0][3] + 15))
    assert "005/728/2018" in rapid.read_line(line).replace(" ", "")


def test_rapidocr_failing_on_a_row_abstains(monkeypatch: pytest.MonkeyPatch) -> None:
    """A recogniser error on one row costs that row its fourth voter, never the page."""

    def broken(pixels: object) -> object:
        raise RuntimeError("onnxruntime: bad input")

    monkeypatch.setattr(rapid, "_recogniser", lambda: broken)
    image, _ = _page(("Nomor", ":", "005/728/2018"))
    assert rapid.read_line(image.crop((100, 130, 900, 200))) == ""


def _voted(
    monkeypatch: pytest.MonkeyPatch, readers: tuple[str, str], rapid_reads: str | None
) -> str:
    """The number voted on the page reading '072/099/2020' (unsure), with Tesseract's two line
    readings `readers` and RapidOCR's `rapid_reads` (None: it must not be asked)."""
    image, boxes = _page(LINE)
    first = _reading(boxes, ("Nomor", ":", "072/099/2020"), (0.93, 0.9, 0.41))
    answers = iter(readers)

    def reading(line: Image.Image, timeout: float, language: str = "") -> str:
        return _tsv("Nomor", ":", next(answers))

    def rapid_reading(line: Image.Image) -> str:
        assert rapid_reads is not None, "RapidOCR must not be asked"
        return rapid_reads

    monkeypatch.setattr(ocr_lines, "read_line_tsv", reading)
    monkeypatch.setattr(rapid, "read_line", rapid_reading)
    voted = number_vote(first, GreyPage(image), 30.0)
    return next(w.text for w in voted if "/" in w.text)


NUMBERS = st.text(alphabet=sorted(NUMBER_CHARS), min_size=1, max_size=30)


@given(NUMBERS)
def test_readings_that_agree_are_taken_as_they_are(number: str) -> None:
    assert _char_vote([number, number, number]) == number
    assert _char_vote([number, number]) == number


@given(NUMBERS)
def test_a_single_reading_never_decides(number: str) -> None:
    assert _char_vote([number]) is None


@given(NUMBERS, st.data())
def test_rapidocr_carries_a_character_only_with_a_tesseract_reading(
    number: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(number) - 1))
    other = data.draw(st.sampled_from(sorted(NUMBER_CHARS - {number[at]})))
    misread = number[:at] + other + number[at + 1 :]
    weights = [1.0, 1.0, 1.0, RAPID_WEIGHT]
    assert _char_vote([misread, misread, number, number], weights) == number
    assert _char_vote([misread, misread, misread, number], weights) == misread
    assert _char_vote([misread, misread, number], [1.0, 1.0, RAPID_WEIGHT]) == misread


@given(NUMBERS, st.data())
def test_one_reading_off_by_a_character_is_outvoted(number: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(number) - 1))
    other = data.draw(st.sampled_from(sorted(NUMBER_CHARS - {number[at]})))
    misread = number[:at] + other + number[at + 1 :]
    assert _char_vote([misread, number, number]) == number
    assert _char_vote([misread, number]) is None  # one against one: no vote


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4))
def test_a_vote_holds_only_characters_the_readings_saw_at_that_place(keys: list[str]) -> None:
    """Places are counted without the dots (a reader drops or adds them): each character of
    the vote is one a reading saw at that place, each run of dots one a reading had there."""
    voted = _char_vote(keys)
    if voted is not None:
        assert set(voted) <= NUMBER_CHARS
        chars, dots = _undotted(voted)
        readings = [_undotted(key) for key in keys if len(_undotted(key)[0]) == len(chars)]
        for at, char in enumerate(chars):
            assert any(seen[at] == char for seen, _ in readings)
        for at, run in enumerate(dots):
            assert any(had[at] == run for _, had in readings)


@pytest.mark.parametrize(
    ("keys", "wanted"),
    [
        # RapidOCR dropped the dot of 'KH.UL': it still settles the first digits
        (
            (
                "88S/KH.UL/PM/X1//2019",
                "1985/KH.UL/PM/XI1/2019",
                "1685/KH.UL/PM/XI1/2019",
                "1885/KHUL/PM/XI1/2019",
            ),
            "1885/KH.UL/PM/XI1/2019",
        ),
        # the dot is where most of the readings of that length have it
        (("A.1/05/2020", "A1/05/2020", "A.1/05/2020"), "A.1/05/2020"),
        (("A1/05/2020", "A1/05/2020", "A.1/05/2020"), "A1/05/2020"),
    ],
)
def test_a_reading_that_dropped_a_dot_still_votes_on_the_other_characters(
    keys: tuple[str, ...], wanted: str
) -> None:
    weights = [1.0] * (len(keys) - 1) + [RAPID_WEIGHT]
    assert _char_vote(list(keys), weights) == wanted


def test_a_number_no_reading_read_whole_is_written_over_a_line_reading_of_its_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page read one character fewer ('072/99/2020') and every line reading misread
    another character: the voted number, which no reading read whole, is put in place over a
    line reading with as many characters, not dropped."""
    image, boxes = _page(LINE)
    first = _reading(boxes, ("Nomor", ":", "072/99/2020"), (0.93, 0.9, 0.41))
    answers = iter(("172/029/2020", "072/039/2020"))  # each reading misread one character
    monkeypatch.setattr(
        ocr_lines,
        "read_line_tsv",
        lambda line, timeout, language="": _tsv("Nomor", ":", next(answers)),
    )
    monkeypatch.setattr(rapid, "read_line", lambda line: "Nomor : 072/029/2021")
    voted = number_vote(first, GreyPage(image), 30.0)
    assert next(w.text for w in voted if "/" in w.text) == "072/029/2020"


def _never(image: Image.Image, timeout: float, language: str = "") -> str:
    raise AssertionError("this row must not be read again")
