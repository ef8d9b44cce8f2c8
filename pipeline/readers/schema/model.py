"""The value objects of a technical specification and the limits on reading one."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
MAX_TABLES = 500
MAX_COLUMNS = 2_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
MAX_BLANK_RUN = 1_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SHEET_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm"})
ACCEPTED = "Minta OPD mengirim struktur database sebagai .sql, .xlsx atau .csv."


@dataclass(frozen=True)
class Column:
    """One column; ``keterangan`` is its comment, then ``PK``, ``FK → t.c``, ``UNIQUE``,
    ``NOT NULL`` as the DDL declares them: ``ID pegawai; PK, NOT NULL``."""

    nama: str
    tipe: str
    keterangan: str


@dataclass(frozen=True)
class Table:
    """One table; ``nama`` keeps its schema as written (``public.users``, ``dbo.Pegawai``)."""

    nama: str
    kolom: tuple[Column, ...]
