"""Group positioned words into visual lines and cells, the way a reader's eye does."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pipeline.models import Cell, TextLine


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float = 1.0

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


def words_to_lines(words: Iterable[Word], page: int, width: float) -> list[TextLine]:
    rows = _rows(sorted(words, key=lambda w: (round(w.top), w.x0)))
    return [TextLine(page=page, cells=_cells(row), width=width) for row in rows]


BLOT_HEIGHT = 2.5  # an unsure OCR 'word' this many times the usual height is no text line
BLOT_CONF = 0.6
BLOT_JOINS = 4.0  # up to this many times the usual height it still joins the nearest row


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words whose vertical middles lie within half a line height belong to one row.

    An unsure OCR 'word' several lines tall (a stamp, a signature, handwriting over the
    letter) never starts a row: as a row's first word it would pull the next lines into one.
    It joins the row nearest its middle when it is at most a few lines tall (a handwritten
    number written into its line), else it stands alone."""
    ordered = sorted(words, key=lambda w: w.top)
    typical = statistics.median(w.height for w in ordered) if ordered else 0.0
    blots = [w for w in ordered if w.conf < BLOT_CONF and w.height > BLOT_HEIGHT * typical]
    rows: list[list[Word]] = []
    for word in ordered:
        if blots and word in blots:
            continue
        middle = (word.top + word.bottom) / 2
        row = rows[-1] if rows else None
        if row and abs(middle - _middle(row)) <= 0.45 * row[0].height:
            row.append(word)
        else:
            rows.append([word])
    for blot in blots:
        _place_blot(blot, rows, typical)
    rows.sort(key=lambda r: min(w.top for w in r))
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def _place_blot(blot: Word, rows: list[list[Word]], typical: float) -> None:
    middle = (blot.top + blot.bottom) / 2
    inside = [r for r in rows if blot.top <= _middle(r) <= blot.bottom]
    if inside and blot.height <= BLOT_JOINS * typical:
        min(inside, key=lambda r: abs(_middle(r) - middle)).append(blot)
    else:
        rows.append([blot])


def _middle(row: Sequence[Word]) -> float:
    return sum((w.top + w.bottom) / 2 for w in row) / len(row)


def _cells(row: Sequence[Word]) -> tuple[Cell, ...]:
    cells: list[Cell] = []
    start = row[0]
    parts = [row[0].text]
    conf = row[0].conf
    for previous, word in itertools.pairwise(row):
        if word.x0 - previous.x1 > _cell_gap(word):
            cells.append(Cell(x0=start.x0, text=" ".join(parts), conf=conf))
            start, parts, conf = word, [], 1.0
        parts.append(word.text)
        conf = min(conf, word.conf)
    cells.append(Cell(x0=start.x0, text=" ".join(parts), conf=conf))
    return tuple(cells)


def _cell_gap(word: Word) -> float:
    """A gap wider than about one em separates columns; word spaces are a third of that."""
    return max(7.0, 0.9 * word.height)
