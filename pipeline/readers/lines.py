"""Group positioned words into visual lines and cells, the way a reader's eye does."""

from __future__ import annotations

import itertools
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


def _rows(words: Sequence[Word]) -> list[list[Word]]:
    """Words whose vertical middles lie within half a line height belong to one row."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        middle = (word.top + word.bottom) / 2
        row = rows[-1] if rows else None
        if row and abs(middle - _middle(row)) <= 0.45 * row[0].height:
            row.append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


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
