"""The Nomor / Sifat / Lampiran / Perihal block of a letter read as one paragraph (a reader that
runs a header table's rows together) still gives each label its own value."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.extract.labels import find_labels
from pipeline.extract.letter import perihal
from pipeline.models import Cell, TextLine

words = st.lists(
    st.sampled_from(["Undangan", "Rapat", "Pembahasan", "Tim", "Teknis", "Data", "Permohonan"]),
    min_size=1,
    max_size=6,
).map(" ".join)
LABELS = {"nomor_surat": "Nomor", "sifat": "Sifat", "lampiran": "Lampiran", "perihal": "Perihal"}
VALUES = {"nomor_surat": "005/045/II/2020", "sifat": "Segera", "lampiran": "1 (satu) berkas"}


def _flowing(text: str) -> TextLine:
    return TextLine(1, (Cell(0.0, text),), 0.0)  # a Word or RTF paragraph: no layout


@settings(max_examples=100)
@given(
    st.permutations(list(LABELS)).map(lambda p: p[: 2 + len(p) // 2]),
    words,
    st.sampled_from([" : ", ": ", " :"]),
)
def test_a_header_block_run_together_keeps_every_value(
    order: list[str], subject: str, colon: str
) -> None:
    values = {**VALUES, "perihal": subject}
    text = " ".join(f"{LABELS[name]}{colon}{values[name]}" for name in order)
    hits = {h.field: h.value for h in find_labels([_flowing(text)])}
    assert hits == {name: values[name] for name in order}


def test_the_subject_of_a_run_together_block_ends_at_the_addressee() -> None:
    line = _flowing(
        "Lampiran : - Perihal: Undangan Rapat Pembahasan Tim Pertimbangan Teknis Pertanahan "
        "Kepada Yth. : 1. Panitia Pertimbangan Teknis Pertanahan"
    )
    found = perihal([line], list(find_labels([line])))
    assert found is not None
    assert found.value == "Undangan Rapat Pembahasan Tim Pertimbangan Teknis Pertanahan"


def test_a_label_word_inside_a_subject_is_not_split() -> None:
    line = _flowing("Perihal : Permohonan Nomor Registrasi Hal Baru")
    assert [(h.field, h.value) for h in find_labels([line])] == [
        ("perihal", "Permohonan Nomor Registrasi Hal Baru")
    ]


@settings(max_examples=100)
@given(st.from_regex(r"[0-9]{3}/PRM/20[0-9]{2}", fullmatch=True))
def test_a_forms_number_beside_its_title_in_one_table_row(number: str) -> None:
    row = TextLine(
        1, (Cell(1.0, "FORMULIR LAYANAN SERVER"), Cell(2.0, "No."), Cell(3.0, number)), 0.0
    )
    assert [(h.field, h.value) for h in find_labels([row])] == [("nomor_surat", number)]


@settings(max_examples=50)
@given(st.from_regex(r"[0-9]{1,3}/SOP\.[A-Z]{3,8}/[IVX]{1,4}/20[0-9]{2}", fullmatch=True))
def test_an_sop_sheets_number_row(number: str) -> None:
    """An SOP's identity table: 'Nomor SOP | 55/SOP.DKISP/X/2025' gives its number."""
    row = TextLine(1, (Cell(1.0, "Nomor SOP"), Cell(2.0, number)), 0.0)
    assert [(h.field, h.value) for h in find_labels([row])] == [("nomor_surat", number)]


def test_a_title_row_without_a_label_beside_it_is_no_hit() -> None:
    row = TextLine(1, (Cell(1.0, "FORMULIR LAYANAN SERVER"), Cell(2.0, "Halaman"), Cell(3.0, "1")))
    assert list(find_labels([row])) == []


def test_a_number_broken_after_a_hyphen_continues_in_the_next_cell() -> None:
    """OCR split 'Nomor : 000.5.2/4025-DinkopUKM-III/2019' into two cells, the second past the
    middle of the page where the date column usually stands; a date there is left out."""
    cells = (Cell(88.0, "Nomor", 0.9), Cell(168.0, ": 000.5.2/4025 - DinkopUKM -", 0.9))
    broken = TextLine(1, (*cells, Cell(357.0, "III / 2019", 0.9)), 595.0)
    dated = TextLine(
        1,
        (*cells[:1], Cell(168.0, ": 000.5.2/4025/", 0.9), Cell(400.0, "Serang, 5 Juni 2019", 0.9)),
        595.0,
    )
    assert next(find_labels([broken])).left_value == "000.5.2/4025 - DinkopUKM - III / 2019"
    assert next(find_labels([dated])).left_value == "000.5.2/4025/"


@settings(max_examples=100)
@given(
    st.lists(st.from_regex(r"[0-9]{1,4}|[A-Z][a-z]{1,3}|[IVX]{1,3}", fullmatch=True), max_size=4),
    st.sampled_from(["No.", "Nomor", "NO."]),
    st.sampled_from(["/", " / ", "/ "]),
)
def test_a_number_after_its_label_without_a_colon_is_read(
    parts: list[str], label: str, slash: str
) -> None:
    """A surat kuasa's 'No. 140 / 2002/ Brk / 760 /X/2021': no colon after the label."""
    number = slash.join(["140", *parts, "2021"])
    hits = [(h.field, h.value) for h in find_labels([_flowing(f"{label} {number}")])]
    assert hits == [("nomor_surat", number)]


def test_a_sentence_opening_with_nomor_is_no_number() -> None:
    for text in ("Nomor 5 Tahun 2020 tentang Pedoman", "No. 12 Jakarta Pusat"):
        assert list(find_labels([_flowing(text)])) == []


ADDRESSEE = ["Kepada Yth.", "Kepala Dinas Komunikasi,", "Provinsi Banten", "Di", "Serang"]


def _laid(*cells: tuple[float, str], conf: float = 0.9) -> TextLine:
    return TextLine(1, tuple(Cell(x, text, conf) for x, text in cells), 612.0)


@settings(max_examples=60)
@given(words, words, st.sampled_from(ADDRESSEE))
def test_a_subject_round_its_label_is_not_the_addressees_line_beside_it(
    first: str, last: str, beside: str
) -> None:
    """Class 4 on OCR: a subject wrapped round its label, the label's colon lost, and the
    addressee block's line beside the label ('Perihal' | 'Provinsi Banten'): the subject is
    the value column's lines above and below the label, never the addressee's words."""
    lines = [
        _laid((50, "Lampiran"), (128, ":"), (142, "1 (satu) berkas"), (383, "Informatika")),
        _laid((142, first)),
        _laid((50, "Perihal"), (383, beside)),
        _laid((142, last)),
        _laid((383, "Di")),
    ]
    found = perihal(lines, list(find_labels(lines)))
    assert found is not None
    assert found.value == f"{first} {last}"


SUBJECT_WORDS = ["Permohonan", "Subdomain", "dan", "Hosting", "Aplikasi", "Sistem", "Informasi"]


@settings(max_examples=80)
@given(
    st.lists(st.sampled_from(SUBJECT_WORDS), min_size=3, max_size=9),
    st.floats(5.0, 7.0),
    st.floats(2.0, 60.0),
    st.floats(-8.0, 40.0),
    st.sampled_from(ADDRESSEE),
)
def test_a_subject_split_into_words_past_the_middle_is_read_whole(
    subject: list[str], pitch: float, gap: float, beside: float, addressee: str
) -> None:
    """Class 4 on OCR: a spaced-out subject read word by word ('Perihal' | 'Permohonan' | … |
    'Aplikasi' | 'Provinsi Banten'), its last words starting past the middle of the page,
    left of the addressee block. The subject is read whole, and never with the addressee's
    words, however close the block starts."""
    cells, x = [], 142.0
    for word in subject:
        cells.append((x, word))
        x += (len(word) + 1) * pitch
    assume(cells[-1][0] > 306)
    block = max(x + gap, 330.0)
    lines = [
        _laid((383 if block < 383 else block, "Serang, 12 Maret 2024")),
        _laid((50, "Nomor"), (128, ":"), (142, "045/0417/2024"), (block, "Kepada Yth.")),
        _laid((50, "Perihal"), (128, ":"), *cells, (block + beside, addressee)),
        _laid((block, "Di")),
    ]
    found = perihal(lines, list(find_labels(lines)))
    assert found is not None
    assert found.value == " ".join(subject)


def test_the_addressee_beside_a_short_subject_is_not_read_into_it() -> None:
    """D011's header: the addressee block is centred (its lines start at 351 to 392), and
    the subject's line holds its 'Kabupaten Jepara' at 374, far past 'Permohonan Alat'."""
    lines = [
        _laid((377, "Jepara, 07 Januari 2020")),
        _laid((62, "No"), (134, ":005/005 /2020"), (387, "Kepada")),
        _laid((62, "Lampiran"), (134, ":"), (351, "Yth. Kepala Dinas Kesehatan")),
        _laid((63, "Perihal"), (134, ": Permohonan Alat"), (374, "Kabupaten Jepara")),
        _laid((386, "di")),
        _laid((392, "Jepara")),
    ]
    found = perihal(lines, list(find_labels(lines)))
    assert found is not None and found.value == "Permohonan Alat"
