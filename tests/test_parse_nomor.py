"""Letter numbers (nomor surat): the grammar of docs/architecture.md#letter-numbers, labels, and
what is not a number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.nomor import (
    NOMOR_LABEL_RE,
    ParsedNomor,
    find_nomor,
    month_as_dated,
    parse_nomor,
    repair_decree_digits,
    repair_ocr_digits,
    repair_roman_month,
    year_as_dated,
)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# Letter numbers from the sample letters (truth.jsonl) and docs/architecture.md#letter-numbers.
REAL_NUMBERS = [
    ("482/Distan/1470/2022", "482", "1470", "Distan", None, 2022),
    ("061/888-Disketapang/IV/2020", "061", "888", "Disketapang", 4, 2020),
    ("555.1/1812-SatpolPP/III/2026", "555.1", "1812", "SatpolPP", 3, 2026),
    ("005/631-DPUPR/IV/2021", "005", "631", "DPUPR", 4, 2021),
    ("050/Setwan/1493/2023", "050", "1493", "Setwan", None, 2023),
    ("000.7.2/821/Kesbangpol/2025", "000.7.2", "821", "Kesbangpol", None, 2025),
    ("800/2304/Bappeda/2026", "800", "2304", "Bappeda", None, 2026),
    ("061/162-RSUDBanten/II/2024", "061", "162", "RSUDBanten", 2, 2024),
    ("489/DP3AKKB/694/2020", "489", "694", "DP3AKKB", None, 2020),
    ("800.1.13.2/2227-DiskominfoSP/XII/2023", "800.1.13.2", "2227", "DiskominfoSP", 12, 2023),
    ("000.7.2/RSUDMalingping/1307/2024", "000.7.2", "1307", "RSUDMalingping", None, 2024),
    ("000.1.2.3/BiroAdpim/559/2024", "000.1.2.3", "559", "BiroAdpim", None, 2024),
    ("555/787-Dislominfo/X/2020", "555", "787", "Dislominfo", 10, 2020),
    ("005/12/Br.Dis/2019", "005", "12", "Br.Dis", None, 2019),
    ("900/45/SEK-BPKAD/VI/2021", "900", "45", "SEK-BPKAD", 6, 2021),
    ("050/77-Bappeda-IV/2022", "050", "77", "Bappeda-IV", None, 2022),
    ("188.44/Kep.12-Huk/2020", "188.44", "Kep.12", "Huk", None, 2020),
    ("027/1.234-Disdik/XI/2019", "027", "1.234", "Disdik", 11, 2019),
    ("421.2/123/Disdik/Bid.SMA/2020", "421.2", "123", "Disdik/Bid.SMA", None, 2020),
    ("555/1/X/2020", "555", "1", None, 10, 2020),
    ("555/123/2020", "555", "123", None, None, 2020),
]


@pytest.mark.parametrize(("raw", "klasifikasi", "serial", "unit", "bulan", "tahun"), REAL_NUMBERS)
def test_real_numbers(
    raw: str, klasifikasi: str, serial: str, unit: str | None, bulan: int | None, tahun: int
) -> None:
    assert parse_nomor(raw) == ParsedNomor(raw, klasifikasi, serial, unit, bulan, tahun)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("555 / 787 - Dislominfo / X / 2020", "555/787-Dislominfo/X/2020"),
        ("  061 /888- Disketapang/ IV /2020 ", "061/888-Disketapang/IV/2020"),
        ("555/787–Dislominfo/X/2020", "555/787-Dislominfo/X/2020"),  # en dash from Word
        ("188.44/Kep. 12-Huk/2020", "188.44/Kep.12-Huk/2020"),
    ],
)
def test_spaces_around_separators_are_removed(raw: str, normalized: str) -> None:
    parsed = parse_nomor(raw)
    assert parsed is not None
    assert parsed.normalized == normalized


def test_roman_numeral_hyphened_to_unit_is_a_bidang_not_a_month() -> None:
    parsed = parse_nomor("050/77-Bappeda-IV/2022")
    assert parsed is not None
    assert (parsed.unit, parsed.bulan) == ("Bappeda-IV", None)


@pytest.mark.parametrize(
    "raw",
    [
        "19900511 201802 1 009",  # NIP
        "199005112018021009",
        "1 (satu) berkas",
        "0812-3456-7890",  # phone numbers
        "(0254) 229535",
        "+62 812 3456 7890",
        "05/10/2020",  # dates
        "5/10/2020",
        "05-10-2020",
        "2020-10-05",
        "5 Oktober 2020",
        "126/PRM/2021",  # a nomor permohonan: no serial
        "PRM-2022-0498",
        "555/787-Dislominfo/X/1850",  # year out of range
        "555/787-Dislominfo/X/20",
        "555/787-Dislominfo/XIII/2020",  # XIII is no month, and no unit either
        "555/X/787/Dinkes/2020",  # Roman numeral out of place
        "555/1/2/Dinkes/2020",  # two serials
        "5555/787-Dislominfo/X/2020",  # class code too long
        "Dinkes/787/X/2020",
        "555/787 Dislominfo/X/2020",  # a space that is not around a separator
        "555/Dinas Kesehatan/1/2020",
        "",
        "/",
        "Perihal : Permohonan",
    ],
)
def test_not_letter_numbers(raw: str) -> None:
    assert parse_nomor(raw) is None


@pytest.mark.parametrize(
    ("text", "value", "raw"),
    [
        ("555/1/X/2020      Serang, 5 Oktober 2020", "555/1/X/2020", "555/1/X/2020"),
        (
            "Nomor : 555 / 787 - Dislominfo / X / 2020   Serang, 5 Oktober 2020",
            "555/787-Dislominfo/X/2020",
            "555 / 787 - Dislominfo / X / 2020",
        ),
        (
            " 061/888-Disketapang/IV/2020",
            "061/888-Disketapang/IV/2020",
            "061/888-Disketapang/IV/2020",
        ),
        ("800/2304/Bappeda/2026 5 Oktober 2026", "800/2304/Bappeda/2026", "800/2304/Bappeda/2026"),
        ("555/1/X/2020.", "555/1/X/2020", "555/1/X/2020"),
        ("482/Distan/1470/2022   Lampiran : -", "482/Distan/1470/2022", "482/Distan/1470/2022"),
        ("NOMOR: 482/Distan/1470/2022", "482/Distan/1470/2022", "482/Distan/1470/2022"),
    ],
)
def test_find_nomor_stops_before_trailing_text(text: str, value: str, raw: str) -> None:
    found = find_nomor(text)
    assert found is not None
    assert (found.value, found.raw) == (value, raw)
    assert text[found.start : found.end] == raw
    assert found.parsed.normalized == value


@pytest.mark.parametrize(
    "text", ["", "   ", "-", "1 (satu) berkas", "19900511 201802 1 009", "Serang, 5 Oktober 2020"]
)
def test_find_nomor_without_a_number(text: str) -> None:
    assert find_nomor(text) is None


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("Nomor : 555/1/X/2020", "Nomor : "),
        ("NOMOR : 555/1/X/2020", "NOMOR : "),
        ("Nomor: 555/1/X/2020", "Nomor: "),
        ("Nomor 555/1/X/2020", "Nomor "),
        ("No. 555/1/X/2020", "No. "),
        ("No : 555/1/X/2020", "No : "),
        ("No. : 555/1/X/2020", "No. : "),
        ("No.: 555/1/X/2020", "No.: "),
        ("Nomor Surat : 555/1/X/2020", "Nomor Surat : "),
        ("Nomor Surat: 555/1/X/2020", "Nomor Surat: "),
        ("NOMOR SURAT : 555/1/X/2020", "NOMOR SURAT : "),
        ("No. Surat : 555/1/X/2020", "No. Surat : "),
        ("Nomor :", "Nomor :"),
    ],
)
def test_label_regex_matches_letter_number_labels(line: str, label: str) -> None:
    match = NOMOR_LABEL_RE.match(line)
    assert match is not None
    assert match.group() == label


@pytest.mark.parametrize(
    "line",
    [
        "Nomor Permohonan : PRM-2022-0498",
        "Nomor Permohonan: 126/PRM/2021",
        "Nomor Telepon : 0812-3456-7890",
        "Nomor Telepon Kantor / Hand Phone : 0812",
        "No. Agenda : 12",
        "No Agenda : 12",
        "No. Telp : 0254",
        "NIP : 19900511 201802 1 009",
        "NIP. 19900511 201802 1 009",
        "Penomoran : 1",
        "Nomornya 1",
        "Node : 1",
    ],
)
def test_label_regex_rejects_other_labels(line: str) -> None:
    assert NOMOR_LABEL_RE.search(line) is None


def test_label_never_swallows_the_line_break() -> None:
    match = NOMOR_LABEL_RE.match("Nomor :\n555/1/X/2020")
    assert match is not None
    assert match.group() == "Nomor :"


@pytest.mark.parametrize(
    ("raw", "repaired", "changed"),
    [
        ("555/787-Dislominfo/X/2O2O", "555/787-Dislominfo/X/2020", True),
        ("OO5/l23/I/2020", "005/123/I/2020", True),
        ("800.l.13.2/2227-DiskominfoSP/XII/2023", "800.1.13.2/2227-DiskominfoSP/XII/2023", True),
        ("555/1/X/2020", "555/1/X/2020", False),
        ("061/888-Disketapang/IV/2020", "061/888-Disketapang/IV/2020", False),
        ("050/Setwan/1493/2023", "050/Setwan/1493/2023", False),
    ],
)
def test_repair_ocr_digits(raw: str, repaired: str, changed: bool) -> None:
    assert repair_ocr_digits(raw) == (repaired, changed)


# ---------------------------------------------------------------------- properties


@dataclass(frozen=True)
class Generated:
    spaced: str
    normalized: str
    klasifikasi: str
    serial: str
    unit: str | None
    bulan: int | None
    tahun: int


class_codes = st.from_regex(r"[0-9]{2,3}(\.[0-9]{1,2}){0,3}", fullmatch=True)
serials = st.builds(
    lambda kep, digits, tail: kep + digits + tail,
    st.sampled_from(["", "", "", "Kep."]),
    st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    st.sampled_from(["", "", "", ".1", ".25"]),
)
_chunk = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,9}", fullmatch=True)
units = st.builds(
    lambda first, joins: first + "".join(sep + chunk for sep, chunk in joins),
    _chunk,
    st.lists(st.tuples(st.sampled_from([".", "-"]), _chunk), max_size=2),
).filter(lambda unit: not set(unit.upper()) <= set("IVX"))
spaces = st.sampled_from(["", "", " ", "  "])


def _sep(symbol: str, draw: st.DrawFn) -> str:
    return draw(spaces) + symbol + draw(spaces)


@st.composite
def letter_numbers(draw: st.DrawFn) -> Generated:
    klas, serial, unit = draw(class_codes), draw(serials), draw(units)
    month = draw(st.none() | st.integers(1, 12))
    year = draw(st.integers(1990, 2099))
    layout = draw(st.sampled_from(["joined", "serial-first", "unit-first"]))
    if layout == "joined":
        parts = [(klas, "/"), (serial, "-"), (unit, "/")]
    elif layout == "serial-first":
        parts = [(klas, "/"), (serial, "/"), (unit, "/")]
    else:
        parts = [(klas, "/"), (unit, "/"), (serial, "/")]
    if month is not None:
        parts.append((ROMAN[month - 1], "/"))
    tokens = [token for token, _ in parts] + [str(year)]
    seps = [sep for _, sep in parts]
    normalized = "".join(t + s for t, s in zip(tokens, [*seps, ""], strict=True))
    spaced = "".join(t + _sep(s, draw) for t, s in zip(tokens[:-1], seps, strict=True))
    spaced = draw(spaces) + spaced + tokens[-1] + draw(spaces)
    return Generated(spaced, normalized, klas, serial, unit, month, year)


@settings(max_examples=200)
@given(letter_numbers())
def test_grammar_round_trip(number: Generated) -> None:
    parsed = parse_nomor(number.spaced)
    assert parsed == ParsedNomor(
        number.normalized,
        number.klasifikasi,
        number.serial,
        number.unit,
        number.bulan,
        number.tahun,
    )


trailers = st.sampled_from(
    [
        "",
        "      Serang, 5 Oktober 2020",
        "  Serang,  05 Oktober 2020",
        " Tangerang Selatan, 12 Nopember 2021",
        "   Lampiran : 1 (satu) berkas",
        "\nPerihal : Permohonan",
    ]
)


@settings(max_examples=200)
@given(
    letter_numbers(),
    st.sampled_from(["", "Nomor : ", "NOMOR : ", "No. ", "Nomor Surat: "]),
    trailers,
)
def test_find_nomor_in_a_line(number: Generated, label: str, trailer: str) -> None:
    found = find_nomor(label + number.spaced + trailer)
    assert found is not None
    assert found.value == number.normalized


@settings(max_examples=200)
@given(st.dates())
def test_dates_are_not_letter_numbers(day: date) -> None:
    iso = day.isoformat()
    year, month, dom = iso.split("-")
    for text in (
        iso,
        f"{dom}/{month}/{year}",
        f"{int(dom)}/{int(month)}/{year}",
        f"{dom}-{month}-{year}",
        f"{dom}.{month}.{year}",
    ):
        assert parse_nomor(text) is None


@settings(max_examples=200)
@given(st.from_regex(r"08[1-9][0-9]{7,9}", fullmatch=True), st.integers(0, 2))
def test_phone_numbers_are_not_letter_numbers(digits: str, style: int) -> None:
    text = [digits, f"{digits[:4]}-{digits[4:8]}-{digits[8:]}", f"+62 {digits[1:]}"][style]
    assert parse_nomor(text) is None
    assert find_nomor(text) is None


@settings(max_examples=200)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    parsed = parse_nomor(text)
    found = find_nomor(text)
    if parsed is not None:
        assert " " not in parsed.normalized
    if found is not None:
        assert text[found.start : found.end] == found.raw


def _one_stroke_off(roman: str) -> set[str]:
    """What OCR makes of a Roman month: an I dropped or added, II merged into H."""
    dropped = {roman[:i] + roman[i + 1 :] for i, ch in enumerate(roman) if ch == "I"}
    added = {roman[:i] + "I" + roman[i:] for i in range(len(roman) + 1)}
    merged = {roman.replace("II", "H", 1)} if "II" in roman else set()
    return (dropped | added | merged) - {roman, ""}


@given(st.integers(1, 12), st.data())
def test_a_month_one_stroke_off_the_letters_month_is_read_as_dated(
    month: int, data: st.DataObject
) -> None:
    want = ROMAN[month - 1]
    misread = data.draw(st.sampled_from(sorted(_one_stroke_off(want))))
    assert month_as_dated(f"005/162/{misread}/2020", month) == f"005/162/{want}/2020"


@given(st.integers(1, 12), st.integers(1, 12))
def test_a_number_agreeing_with_its_date_or_far_from_it_is_left_alone(
    printed: int, dated: int
) -> None:
    roman = ROMAN[printed - 1]
    fixed = month_as_dated(f"800/DKP/451/{roman}/2020", dated)
    if printed == dated or roman not in _one_stroke_off(ROMAN[dated - 1]):
        assert fixed is None
    else:
        assert fixed == f"800/DKP/451/{ROMAN[dated - 1]}/2020"


@given(st.integers(1, 12), st.data())
def test_a_month_whose_strokes_ocr_read_as_digits_is_the_month_again(
    month: int, data: st.DataObject
) -> None:
    """'…/V1/2024', '…/X|/2020': any I of the month read as 1, l, | or ! while a V, an X or
    an I is still read as such (else it may be a serial: '…/111/2021' stays)."""
    roman = ROMAN[month - 1]
    strokes = [data.draw(st.sampled_from("I1l|!")) if ch == "I" else ch for ch in roman]
    misread = "".join(strokes)
    number = f"60/SK-NT.01-13.06/{misread}/2024"
    if any(ch in "IVX" for ch in misread):
        assert repair_roman_month(number) == f"60/SK-NT.01-13.06/{roman}/2024"
    elif misread.isdigit():
        assert repair_roman_month(number) == number


def test_a_bidang_numeral_before_the_year_is_no_month() -> None:
    """'…-RSUD.Mlp-VI/2024': VI is the division, hyphened to its unit, not the month."""
    assert month_as_dated("000.5.2/5380-RSUD.Mlp-VI/2024", 2) is None


@given(st.integers(1990, 2099), st.integers(0, 3), st.integers(0, 9))
def test_a_year_one_digit_off_the_letters_year_is_read_as_dated(
    year: int, place: int, digit: int
) -> None:
    printed = f"{year:04d}"
    printed = printed[:place] + str(digit) + printed[place + 1 :]
    fixed = year_as_dated(f"008/4010/{printed}", year)
    if printed == f"{year:04d}" or int(printed) == year - 1 or not 1990 <= int(printed) <= 2099:
        assert fixed is None
    else:
        assert fixed == f"008/4010/{year}"


@given(st.integers(1990, 2099), st.integers(1990, 2099))
def test_a_year_far_from_the_letters_or_the_year_before_is_left_alone(
    printed: int, dated: int
) -> None:
    differing = sum(a != b for a, b in zip(f"{printed}", f"{dated}", strict=True))
    if differing != 1 or printed == dated - 1:
        assert year_as_dated(f"005/II/{printed}", dated) is None


def test_a_number_without_a_closing_year_keeps_its_digits() -> None:
    assert year_as_dated("440/7181/KD.D", 2019) is None
    assert year_as_dated("0482.2 TAHUN 2014", 2019) == "0482.2 TAHUN 2019"


DECREE_LOOKALIKES = {"0": "OoCcDQ(", "1": "lI|"}


@given(st.from_regex(r"[0-9]{1,5}(?:\.[0-9])?", fullmatch=True), st.integers(1990, 2099), st.data())
def test_a_decrees_number_read_with_look_alike_letters_is_read_as_its_digits(
    number: str, year: int, data: st.DataObject
) -> None:
    """A handwritten decree number ('0074', read 'C074' or '(074'): letters standing for
    digits become those digits again, as long as one digit was read as a digit."""
    misread = "".join(
        data.draw(st.sampled_from(DECREE_LOOKALIKES[ch] + ch)) if ch in DECREE_LOOKALIKES else ch
        for ch in number
    )
    repaired = repair_decree_digits(f"{misread} TAHUN {year}")
    if any(ch.isdigit() for ch in misread):
        assert repaired == f"{number} TAHUN {year}"
    else:
        assert repaired == f"{misread} TAHUN {year}"  # no digit: nothing says it is a number


def test_a_decree_repair_leaves_other_numbers_and_words_alone() -> None:
    assert repair_decree_digits("005/Org/II/2020") == "005/Org/II/2020"
    assert repair_decree_digits("Cabang TAHUN 2020") == "Cabang TAHUN 2020"
