"""CSV and XLSX: title rows, a header row naming the roles, then one column per row."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import MissingDependencyError, UnreadableFileError
from pipeline.readers.schema.build import _Builder, _clean, _ColumnDraft
from pipeline.readers.schema.model import (
    HEADER_SEARCH_ROWS,
    MAX_BLANK_RUN,
    MAX_UNPACKED_BYTES,
    Table,
)

# --- CSV and XLSX ----------------------------------------------------------------------------

_ALIASES: dict[str, tuple[str, ...]] = {
    "table": ("tabel", "table", "nama_tabel", "table_name"),
    "column": ("kolom", "column", "field", "nama_kolom", "column_name", "nama_field"),
    "type": ("tipe", "tipe_data", "type", "column_type", "data_type", "jenis_data"),
    "desc": ("keterangan", "deskripsi", "description", "comment", "column_comment", "komentar"),
}
_TITLE = re.compile(r"(?:nama\s+)?(?:tabel|table)\s*[:\-]\s*(\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class _Header:
    column: int
    table: int | None
    type: int | None
    desc: int | None


def _header_of(cells: Sequence[str]) -> _Header | None:
    keys = [_header_key(c) for c in cells]
    found = {role: _first_alias(keys, aliases) for role, aliases in _ALIASES.items()}
    column = found["column"]
    if column is None or (found["table"], found["type"], found["desc"]) == (None, None, None):
        return None
    return _Header(column, found["table"], found["type"], found["desc"])


def _header_key(cell: str) -> str:
    return re.sub(r"[\s\-]+", "_", cell.casefold()).strip("_:.*")


def _first_alias(keys: list[str], aliases: tuple[str, ...]) -> int | None:
    return next((keys.index(a) for a in aliases if a in keys), None)


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else _clean(str(value))


def _get(cells: Sequence[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


class _Rows:
    """Rows of one sheet or CSV: title rows, a header row, then one column per row."""

    def __init__(self, builder: _Builder, default_table: str) -> None:
        self.builder = builder
        self.current = default_table
        self.header: _Header | None = None
        self.before_header = 0
        self.blank_run = 0

    def feed(self, row: Sequence[object]) -> bool:
        """Take one row; False once the rest is not worth reading."""
        cells = [_cell(v) for v in row]
        if not any(cells):
            self.blank_run += 1
            return self.blank_run <= MAX_BLANK_RUN
        self.blank_run = 0
        header, title = _header_of(cells), self._title(cells)
        if header is not None:
            self.header = header
        elif title is not None:
            self.current = title
        elif self.header is not None:
            self._add(self.header, cells)
        else:
            self.before_header += 1
        return self.before_header <= HEADER_SEARCH_ROWS

    def _title(self, cells: list[str]) -> str | None:
        """``Tabel: users`` above a block, when rows do not name their table themselves."""
        if self.header is not None and self.header.table is not None:
            return None
        return _table_title([c for c in cells if c])

    def _add(self, header: _Header, cells: list[str]) -> None:
        self.current = _get(cells, header.table) or self.current
        name = _get(cells, header.column)
        if not name:
            return
        table = self.builder.table((self.current,))
        column = _ColumnDraft(name, _get(cells, header.type), _get(cells, header.desc))
        self.builder.add(table, column)


def _table_title(filled: list[str]) -> str | None:
    """``Nama Tabel: users`` in one cell, or ``Nama Tabel | users`` in two."""
    if len(filled) == 2 and _header_key(filled[0]) in _ALIASES["table"]:
        name = filled[1].split()[0]
    elif len(filled) == 1 and (match := _TITLE.match(filled[0])):
        name = match.group(1)
    else:
        return None
    return name.strip("`\"'[]():,;") or None


def _collect(builder: _Builder, rows: Iterable[Sequence[object]], default_table: str) -> None:
    reader = _Rows(builder, default_table)
    for row in rows:
        if not reader.feed(row):
            break


def _csv_tables(path: Path, text: str) -> tuple[Table, ...]:
    builder = _Builder(path.name)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        _collect(builder, rows, path.stem)
    except csv.Error as exc:
        if not builder.tables:
            return ()  # not a CSV after all (say, SQL with a long string)
        raise UnreadableFileError(
            f"Berkas CSV '{path.name}' rusak: {exc}.",
            hint="Buka di Excel lalu simpan ulang sebagai 'CSV UTF-8', kemudian kirim lagi.",
        ) from exc
    return builder.build()


def _delimiter(text: str) -> str:
    """The delimiter under which a header row appears; else the most frequent one."""
    sample = text.splitlines()[:HEADER_SEARCH_ROWS]
    candidates = sorted(",;\t", key=lambda d: -sum(line.count(d) for line in sample))
    for delimiter in candidates:
        try:
            if any(_header_of(row) for row in csv.reader(sample, delimiter=delimiter)):
                return delimiter
        except csv.Error:
            continue
    return candidates[0]


def _read_xlsx(path: Path, data: bytes) -> tuple[Table, ...]:
    _refuse_zip_bomb(path, data)
    workbook = _open_workbook(path, data)
    builder = _Builder(path.name)
    try:
        for sheet in workbook.worksheets:
            _collect(builder, sheet.iter_rows(values_only=True), str(sheet.title))
    except UnreadableFileError:
        raise
    except Exception as exc:  # openpyxl raises zip, XML and value errors alike
        raise _broken_workbook(path) from exc
    finally:
        workbook.close()
    tables = builder.build()
    if not tables:
        raise _no_header(path)
    return tables


def _refuse_zip_bomb(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _broken_workbook(path) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFileError(
            f"Lembar Excel '{path.name}' mengembang menjadi {unpacked // 1_048_576} MB saat "
            "dibuka (kemungkinan 'zip bomb'); berkas ditolak demi keamanan.",
            hint="Minta OPD mengirim lembar yang hanya berisi struktur tabel.",
        )


def _open_workbook(path: Path, data: bytes) -> Any:
    try:
        import openpyxl
    except ImportError as exc:
        raise MissingDependencyError(
            "Pustaka 'openpyxl' belum terpasang sehingga lembar Excel tidak bisa dibaca.",
            hint="Pasang dengan: pip install openpyxl",
        ) from exc
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # corrupt archive, missing parts, not a workbook at all
        raise _broken_workbook(path) from exc


def _broken_workbook(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"Lembar Excel '{path.name}' rusak atau bukan berkas .xlsx sehingga tidak bisa dibuka.",
        hint="Buka di Excel, simpan ulang sebagai 'Excel Workbook (.xlsx)', lalu kirim lagi.",
    )


def _no_header(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"Daftar tabel dan kolom tidak ditemukan di '{path.name}': tidak ada CREATE TABLE "
        "maupun baris judul yang menyebut 'kolom' (atau 'column'/'field') beserta 'tabel', "
        "'tipe' atau 'keterangan'.",
        hint="Tambahkan baris judul, mis. 'tabel;kolom;tipe;keterangan' (satu lembar) atau "
        "'kolom;tipe;keterangan' (satu lembar per tabel), atau kirim hasil ekspor .sql.",
    )
