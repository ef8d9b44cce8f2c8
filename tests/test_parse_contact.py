"""Contact details: telephone numbers to E.164, e-mail addresses kept and flagged, NIPs."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.contact import (
    EmailResult,
    PhoneResult,
    normalize_email,
    normalize_nip,
    normalize_telepon,
)
from pipeline.extract.ocr_fixes import email_by_name, spells_name, tidy_person_name

# ---------------------------------------------------------------------- telephone


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("081234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("(0254) 229535", "+62254229535"),
        ("0254-229535", "+62254229535"),
        ("(0254) 219765", "+62254219765"),
        ("0824-5416-2664", "+6282454162664"),
        ("082014641555", "+6282014641555"),
        ("+62 844 1829 6612", "+6284418296612"),  # possible, not valid: kept, no problem
        ("  0852 3362 8348  ", "+6285233628348"),
    ],
)
def test_telepon_to_e164(raw: str, value: str) -> None:
    assert normalize_telepon(raw) == PhoneResult(value)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("0812", "terlalu sedikit"),
        ("229535", "kode wilayah"),
        ("abc", "tidak sah"),
        ("0812-3456-7890 / 0813-1111-2222", "tidak sah"),
        ("+999 123", "tidak sah"),
        ("", "kosong"),
        ("   ", "kosong"),
    ],
)
def test_impossible_telepon_has_no_value(raw: str, words: str) -> None:
    result = normalize_telepon(raw)
    assert result.value is None
    assert len(result.problems) == 1
    assert words in result.problems[0]


def test_foreign_number_is_kept_and_flagged() -> None:
    result = normalize_telepon("+1 202 555 0143")
    assert result.value == "+12025550143"
    assert "bukan nomor Indonesia" in result.problems[0]


MOBILE_PREFIXES = ["811", "812", "813", "815", "817", "821", "822", "831", "838", "852", "853"]
MOBILE_PREFIXES += ["855", "856", "857", "858", "859", "877", "878", "881", "888", "895", "896"]


@st.composite
def mobile_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(E.164, the number as someone wrote it on the form)."""
    prefix = draw(st.sampled_from(MOBILE_PREFIXES))
    rest = draw(st.from_regex(r"[0-9]{7,8}", fullmatch=True))
    national = prefix + rest
    groups = [national[:3], national[3:7], national[7:]]
    style = draw(st.integers(0, 7))
    written = [
        "0" + national,
        "0" + "-".join(groups),
        "0" + " ".join(groups),
        "+62 " + " ".join(groups),
        "+62" + national,
        "62" + national,
        "(+62) " + "-".join(groups),
        "0" + ".".join(groups),
    ][style]
    return "+62" + national, written


@settings(max_examples=200)
@given(mobile_numbers())
def test_mobile_numbers_in_every_style(case: tuple[str, str]) -> None:
    e164, written = case
    assert normalize_telepon(written) == PhoneResult(e164)


@settings(max_examples=200)
@given(st.text())
def test_telepon_never_crashes(text: str) -> None:
    result = normalize_telepon(text)
    if result.value is None:
        assert result.problems
    else:
        assert result.value.startswith("+")
        assert result.value[1:].isdigit()


# ---------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("budi@dinkes.bantenprov.go.id", "budi@dinkes.bantenprov.go.id"),
        ("Sutan.Disketapang@BantenProv.go.id", "sutan.disketapang@bantenprov.go.id"),
        ("mailto:kairav.disketapang@gmail.com", "kairav.disketapang@gmail.com"),
        ("<puti.dinsos@gmail.com>", "puti.dinsos@gmail.com"),
        ("Budi Santoso <Budi@X.go.id>,", "budi@x.go.id"),
        ("nadia.bpbd@bantenprov.go.id.", "nadia.bpbd@bantenprov.go.id"),
        ("budi@gmail.com;", "budi@gmail.com"),
        ("budi @ dinkes.bantenprov.go.id", "budi@dinkes.bantenprov.go.id"),
    ],
)
def test_valid_email(raw: str, value: str) -> None:
    assert normalize_email(raw) == EmailResult(value)


@pytest.mark.parametrize(
    ("raw", "value", "words"),
    [
        ("tgk..setwan@bantenprov.go.id", "tgk..setwan@bantenprov.go.id", "dua titik berurutan"),
        ("R.A..Distan@bantenprov.go.id", "r.a..distan@bantenprov.go.id", "dua titik berurutan"),
        (".budi@gmail.com", ".budi@gmail.com", "diawali atau diakhiri titik"),
        ("budi@gmail", "budi@gmail", "harus memuat titik"),
        ("bu di@gmail.com", "bu di@gmail.com", "spasi"),
        ("budi@@gmail.com", "budi@@gmail.com", "tanda @ lebih dari satu"),
        ("budi@gmail_com.id", "budi@gmail_com.id", "nama domain"),
        ("@gmail.com", "@gmail.com", "sebelum @ kosong"),
        ("budi@", "budi@", "setelah @ kosong"),
    ],
)
def test_invalid_email_is_kept_as_written_and_flagged(raw: str, value: str, words: str) -> None:
    result = normalize_email(raw)
    assert result.value == value
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.startswith(f"Alamat email '{value}' tidak sah: ")
    assert problem.endswith("; mohon dikonfirmasi ke OPD.")
    assert words in problem


@pytest.mark.parametrize("raw", ["budi", "budi.dinkes.bantenprov.go.id", "", "  ", "-"])
def test_email_without_at_sign_has_no_value(raw: str) -> None:
    result = normalize_email(raw)
    assert result.value is None
    assert result.problems


_local = st.from_regex(
    r"[a-z0-9]([a-z0-9_+-]{0,10}[a-z0-9])?(\.[a-z0-9]{1,8}){0,2}", fullmatch=True
)
_domain = st.sampled_from(
    ["bantenprov.go.id", "dinkes.bantenprov.go.id", "gmail.com", "yahoo.co.id"]
)


@settings(max_examples=200)
@given(_local, _domain, st.sampled_from(["", "mailto:", "<"]), st.booleans())
def test_email_is_cleaned_and_lowercased(local: str, domain: str, prefix: str, upper: bool) -> None:
    address = f"{local}@{domain}"
    written = address.upper() if upper else address
    written = prefix + written + (">" if prefix == "<" else "")
    assert normalize_email(written) == EmailResult(address)


@settings(max_examples=200)
@given(_local, _local, _domain)
def test_consecutive_dots_are_kept_and_flagged(left: str, right: str, domain: str) -> None:
    address = f"{left}..{right}@{domain}"
    result = normalize_email(address)
    assert result.value == address
    assert result.problems and "dua titik berurutan" in result.problems[0]


@settings(max_examples=200)
@given(st.text())
def test_email_never_crashes(text: str) -> None:
    result = normalize_email(text)
    assert result.value is not None or result.problems
    if result.value is not None:
        assert "@" in result.value
        assert result.value == result.value.lower()


# ---------------------------------------------------------------------- NIP


@pytest.mark.parametrize(
    ("raw", "nip"),
    [
        ("19900511 201802 1 009", "199005112018021009"),
        ("199005112018021009", "199005112018021009"),
        ("NIP. 19900511 201802 1 009", "199005112018021009"),
        ("NIP: 19751231 200003 2 001", "197512312000032001"),
    ],
)
def test_nip(raw: str, nip: str) -> None:
    assert normalize_nip(raw) == nip


@pytest.mark.parametrize(
    "raw",
    [
        "19900231 201802 1 009",  # 31 February
        "19901311 201802 1 009",  # month 13
        "19900511 201813 1 009",  # TMT month 13
        "19900511 201802 3 009",  # gender digit 3
        "19900511 198802 1 009",  # appointed before birth
        "1990051120180210",  # 16 digits
        "1990051120180210091",  # 19 digits
        "19900511-201802-1-009",
        "0812-3456-7890",
        "",
    ],
)
def test_not_a_nip(raw: str) -> None:
    assert normalize_nip(raw) is None


@settings(max_examples=200)
@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(0, 40),
    st.integers(1, 12),
    st.sampled_from("12"),
    st.integers(1, 999),
    st.sampled_from(["", " ", "  "]),
)
def test_nip_written_with_spaces(
    born: date, years: int, month: int, gender: str, serial: int, gap: str
) -> None:
    parts = [
        born.strftime("%Y%m%d"),
        f"{born.year + 18 + years}{month:02d}",
        gender,
        f"{serial:03d}",
    ]
    assert normalize_nip(gap.join(parts)) == "".join(parts)


@settings(max_examples=200)
@given(st.text())
def test_nip_never_crashes(text: str) -> None:
    nip = normalize_nip(text)
    assert nip is None or (len(nip) == 18 and nip.isdigit())


NAMES = ("Ahmad Santoso", "Kartika Kurniasih", "Tati Sembiring", "Ujang Fadilah", "Wulan Ramdani")


@given(st.sampled_from(NAMES), st.data())
def test_an_address_made_of_its_owners_name_is_read_back_by_the_name(
    name: str, data: st.DataObject
) -> None:
    """OCR misreads one letter of 'kartika.kurniasih@…' ('kumiasih'): the form's name on the
    same page reads it back. A name with an initial ('nadias@' of Nadia S.) is how addresses
    are made, and is left as printed."""
    first, last = name.lower().split()
    index = data.draw(st.integers(1, len(last) - 2))
    wrong = data.draw(st.sampled_from([ch for ch in "cmnqvy" if ch != last[index]]))
    misread = f"{first}.{last[:index]}{wrong}{last[index + 1 :]}@bantenprov.go.id"
    assert email_by_name(misread, name) == (f"{first}.{last}@bantenprov.go.id", True)
    initial = f"{first}{last[0]}@bantenprov.go.id"
    assert email_by_name(initial, name) == (initial, False)


@given(st.sampled_from(NAMES), st.sampled_from([".", "_", ""]), st.data())
def test_an_address_spelling_its_owners_name_confirms_it_and_one_letter_off_does_not(
    name: str, joint: str, data: st.DataObject
) -> None:
    """Two readings that agree letter for letter confirm each other ('kartika.kurniasih@…'
    beside Kartika Kurniasih); an initial alone ('kartikak@') or one letter read otherwise
    is no confirmation."""
    first, last = name.lower().split()
    assert spells_name(f"{first}{joint}{last}@bantenprov.go.id", f"{name}, S.Kom.")
    assert not spells_name(f"{first}{last[0]}@bantenprov.go.id", name)
    index = data.draw(st.integers(1, len(last) - 2))
    wrong = data.draw(st.sampled_from([ch for ch in "cmnqvy" if ch != last[index]]))
    assert not spells_name(f"{first}.{last[:index]}{wrong}{last[index + 1 :]}@x.go.id", name)


def test_a_letter_inside_a_run_of_digits_is_a_digit() -> None:
    assert email_by_name("ahmadsulastri9l@yahoo.co.id", "Ahmad Sulastri") == (
        "ahmadsulastri91@yahoo.co.id",
        True,
    )
    assert email_by_name("srikurniasih9o@yahoo.co.id", "Sri Kurniasih")[0] == (
        "srikurniasih90@yahoo.co.id"
    )


@pytest.mark.parametrize(
    ("read", "name"),
    [
        ("a 2 Ir Rizky Suryadi", "Ir. Rizky Suryadi"),  # debris of the row before
        ("ag Wahyu Herlambang", "Wahyu Herlambang"),
        ("Jr. Ria Hasanah", "Ir. Ria Hasanah"),  # an I with a descender
        ("Dr. fr. Andi Suherman, S.Kom.", "Dr. Ir. Andi Suherman, S.Kom."),
        ("Or. Bambang Firmansyah", "Dr. Bambang Firmansyah"),
        ("Dr. H. lwan Santoso, S.Sos.", "Dr. H. Iwan Santoso, S.Sos."),
        ("de Silva", "de Silva"),  # a name's own particle
        ("dr. Andi Lukman", "dr. Andi Lukman"),
    ],
)
def test_ocr_slips_around_a_persons_name_and_titles_are_read_back(read: str, name: str) -> None:
    assert tidy_person_name(read)[0] == name


@given(st.sampled_from(["wan", "ndra", "mam", "smail", "rwan", "lham"]))
def test_a_lower_case_l_before_a_consonant_opens_no_name(rest: str) -> None:
    """No Indonesian name starts 'Lw', 'Ln', 'Lm': 'lwan' is OCR's Iwan."""
    assert tidy_person_name(f"Budi l{rest}")[0] == f"Budi I{rest}"
