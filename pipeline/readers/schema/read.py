"""Reading the file: size, emptiness, binary formats and text encodings, then the format."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import UnreadableFileError
from pipeline.readers.schema.model import (
    ACCEPTED,
    MAX_BYTES,
    OLE_MAGIC,
    SHEET_SUFFIXES,
    ZIP_MAGIC,
    Table,
)
from pipeline.readers.schema.sql import _no_sql, _sql_tables
from pipeline.readers.schema.sql_tokens import _SQL_HINT
from pipeline.readers.schema.tabular import _csv_tables, _no_header, _read_xlsx


def read_schema(path: Path) -> tuple[Table, ...]:
    """The tables of a technical specification, in the order the file gives them.

    The format comes from the content (a ZIP is a workbook; text is SQL or CSV, the extension
    only deciding which is tried first). Raises ``UnreadableFileError`` with an Indonesian
    message for anything it cannot use, ``MissingDependencyError`` for a workbook when
    openpyxl is not installed.
    """
    data = _read_bytes(path)
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(path, data)
    _refuse_binary(path, data)
    return _read_text(path, _decode(path, data))


# --- Reading the file ------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _too_big(path, size)
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(
            f"Berkas spek teknis '{path.name}' tidak bisa dibaca: {exc.strerror or exc}.",
            hint="Periksa apakah berkasnya masih ada dan bisa dibuka, lalu coba lagi.",
        ) from exc
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise UnreadableFileError(
            f"Berkas spek teknis '{path.name}' kosong.",
            hint=f"Kemungkinan penyalinan terputus. {ACCEPTED}",
        )
    return data


def _too_big(path: Path, size: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"Berkas spek teknis '{path.name}' berukuran {size / 1_048_576:.1f} MB, melebihi batas "
        f"{MAX_BYTES // 1_048_576} MB.",
        hint="Minta OPD mengirim struktur tabelnya saja tanpa isi data (mis. hasil "
        "mysqldump --no-data atau pg_dump --schema-only).",
    )


def _refuse_binary(path: Path, data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        raise UnreadableFileError(
            f"Berkas '{path.name}' berformat Excel lama (.xls) atau dikunci kata sandi.",
            hint="Buka di Excel, lepas kata sandinya bila ada, lalu simpan ulang sebagai .xlsx "
            "atau .csv.",
        )
    if b"%PDF-" in data[:1024]:
        raise UnreadableFileError(
            f"Berkas '{path.name}' adalah PDF; spek teknis hanya dibaca dari .sql, .xlsx "
            "atau .csv.",
            hint="Minta OPD mengirim berkas struktur database aslinya (ekspor .sql atau Excel).",
        )


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UnreadableFileError(
            f"Berkas '{path.name}' bukan teks SQL/CSV maupun lembar Excel (.xlsx), sehingga "
            "tidak bisa dibaca sebagai spek teknis.",
            hint=ACCEPTED,
        )
    return text


def _read_text(path: Path, text: str) -> tuple[Table, ...]:
    suffix = path.suffix.lower()
    sql_first = suffix == ".sql" or (
        suffix not in SHEET_SUFFIXES and _SQL_HINT.search(text) is not None
    )
    readers: tuple[Callable[[Path, str], tuple[Table, ...]], ...] = (
        (_sql_tables, _csv_tables) if sql_first else (_csv_tables, _sql_tables)
    )
    for reader in readers:
        tables = reader(path, text)
        if tables:
            return tables
    raise _no_sql(path) if sql_first else _no_header(path)
