"""A scanned letter's subject wrapped under its label: an '&' that joins its lines is kept, and a
dotted rule under it that OCR turned into letters is not part of it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.labels import find_labels
from pipeline.extract.letter import perihal
from pipeline.fields import RULE_REVIEW_LINE
from pipeline.models import Cell, TextLine

words = st.lists(
    st.sampled_from(["Undangan", "Desk", "Rapat", "Data", "Penyusunan", "Website", "Renovasi"]),
    min_size=1,
    max_size=3,
).map(" ".join)


def _row(*cells: tuple[float, str, float]) -> TextLine:
    return TextLine(1, tuple(Cell(x, t, c) for x, t, c in cells), 612.0)


def _subject(lines: list[TextLine]) -> str | None:
    found = perihal(lines, list(find_labels(lines)))
    return found.value if found else None


@settings(max_examples=100)
@given(words, words)
def test_an_ampersand_ending_a_wrapped_line_joins_it_to_the_next(first: str, second: str) -> None:
    lines = [
        _row((79, "Perihal", 0.73), (140, ":", 0.73), (154, f"{first} &", 0.73)),
        _row((154, second, 0.64), (329, "di", 0.64)),
        _row((347, "WONOSOBO", 0.96)),
    ]
    assert _subject(lines) == f"{first} & {second}"


def test_a_dotted_rule_read_as_letters_is_not_the_subject() -> None:
    lines = [
        _row(
            (61, "Perihal", 0.84),
            (134, ": Usulan Renovasi gedung", 0.84),
            (349, "YTH. Kepala DKK Jepara", 0.9),
        ),
        _row((139, "dan gudang peralatan", 0.91), (349, "Di -", 0.91)),
        _row((140, "pnnman anna nan nana", 0.0), (237, "nana", 0.0), (386, "JEPARA", 0.9)),
        _row((158, "Menindaklanjuti kunjungan Kepala DKK Jepara", 0.8)),
    ]
    assert _subject(lines) == "Usulan Renovasi gedung dan gudang peralatan"


def test_an_addressee_under_the_subject_does_not_make_it_look_cut_short() -> None:
    """'Perihal : Permohonan Studi Pendahuluan' over 'Kepada : Yth. Kepala Dinas …' whose
    text starts in the subject's value column: the subject is whole and, all words, sure."""
    lines = [
        _row((72, "Perihal", 0.6), (140, ": Permohonan Studi Pendahuluan", 0.6)),
        _row((72, "Kepada", 0.7), (140, ": Yth. Kepala Dinas Kesehatan", 0.7)),
        _row((146, "Di", 0.8)),
    ]
    found = perihal(lines, list(find_labels(lines)))
    assert found is not None and found.value == "Permohonan Studi Pendahuluan"
    assert found.provenance.confidence >= RULE_REVIEW_LINE
    long_line = "dan Penelitian Lanjutan tentang Penanganan Kesehatan Ibu dan Anak di Jepara"
    cut = [lines[0], _row((142, long_line, 0.7)), lines[1]]
    untaken = perihal(cut, list(find_labels(cut)))
    assert untaken is not None and untaken.value == "Permohonan Studi Pendahuluan"
    assert untaken.provenance.confidence < RULE_REVIEW_LINE, "a line in the column was left"
