"""Excel sheets a clerk can work with: bold frozen header, autofilter, real date cells,
columns as wide as their content (up to a limit)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
PERCENT_FORMAT = "0.0%"
MAX_WIDTH = 60
SAMPLED_ROWS = 1_000  # widths are measured on the first rows of a streamed sheet
BOLD = Font(bold=True)


def write_table(
    target: Path,
    title: str,
    headings: Sequence[str],
    formats: Sequence[str | None],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Stream `rows` into a one-sheet workbook (write-only: memory stays flat); returns the
    number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    stream = iter(rows)
    sample = list(islice(stream, SAMPLED_ROWS))
    for index, width in enumerate(column_widths(headings, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold_cell(sheet, h) for h in headings])
    written = 0
    for row in chain(sample, stream):
        sheet.append([_cell(sheet, v, f) for v, f in zip(row, formats, strict=True)])
        written += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{written + 1}"
    save_atomically(workbook, target)
    return written


def fill_sheet(
    sheet: Worksheet,
    headings: Sequence[str],
    rows: Sequence[Sequence[Any]],
    formats: Sequence[str | None] | None = None,
) -> None:
    """A small table on an ordinary sheet (for reports), formatted like `write_table`."""
    sheet.append(list(headings))
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append(list(row))
    if formats:
        for column, number_format in enumerate(formats, start=1):
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = number_format
    for index, width in enumerate(column_widths(headings, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{len(rows) + 1}"


def column_widths(headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[float]:
    widths = [len(h) for h in headings]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], _shown_length(value))
    return [min(w + 2, MAX_WIDTH) for w in widths]


def _shown_length(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    if isinstance(value, float):
        return 8
    return max((len(line) for line in str(value).splitlines()), default=0)


def _bold_cell(sheet: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = BOLD
    return cell


def _cell(sheet: Any, value: Any, number_format: str | None) -> Any:
    if number_format is None or not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def save_atomically(workbook: Workbook, target: Path) -> None:
    """Written next to the target and renamed: a half-written workbook is never left."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
