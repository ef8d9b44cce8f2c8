"""Collecting tables: drafts of tables and columns, built in order with the limits enforced."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.errors import UnreadableFileError
from pipeline.readers.schema.model import MAX_COLUMNS, MAX_TABLES, Column, Table

_FLAG_ORDER = ("PK", "FK", "UNIQUE", "NOT NULL")


def _flag_rank(label: str) -> int:
    return next((i for i, p in enumerate(_FLAG_ORDER) if label.startswith(p)), len(_FLAG_ORDER))


def _clean(text: str) -> str:
    return " ".join(text.split())


@dataclass
class _ColumnDraft:
    nama: str
    tipe: str
    komentar: str = ""
    flags: list[str] = field(default_factory=list)

    def flag(self, label: str) -> None:
        if label not in self.flags:
            self.flags.append(label)

    def freeze(self) -> Column:
        """``keterangan`` is the comment, then the constraints: ``ID pegawai; PK, NOT NULL``."""
        notes = [_clean(self.komentar), ", ".join(sorted(self.flags, key=_flag_rank))]
        return Column(self.nama, _clean(self.tipe), "; ".join(n for n in notes if n))


@dataclass
class _TableDraft:
    parts: tuple[str, ...]
    columns: dict[str, _ColumnDraft] = field(default_factory=dict)

    def column(self, name: str) -> _ColumnDraft | None:
        return self.columns.get(name.casefold())

    def freeze(self) -> Table:
        return Table(".".join(self.parts), tuple(c.freeze() for c in self.columns.values()))


def _key(parts: Sequence[str]) -> tuple[str, ...]:
    return tuple(p.casefold() for p in parts)


class _Builder:
    """Tables in order of first appearance, with the limits enforced as they grow."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tables: dict[tuple[str, ...], _TableDraft] = {}

    def table(self, parts: tuple[str, ...], *, fresh: bool = False) -> _TableDraft:
        key = _key(parts)
        if key in self.tables and not fresh:
            return self.tables[key]
        if key not in self.tables and len(self.tables) >= MAX_TABLES:
            raise UnreadableFileError(
                f"Berkas spek teknis '{self.source}' memuat lebih dari {MAX_TABLES} tabel.",
                hint=f"Minta OPD memecahnya per aplikasi/modul, paling banyak {MAX_TABLES} "
                "tabel per berkas.",
            )
        self.tables[key] = _TableDraft(parts)
        return self.tables[key]

    def add(self, table: _TableDraft, column: _ColumnDraft) -> None:
        key = column.nama.casefold()
        if key not in table.columns and len(table.columns) >= MAX_COLUMNS:
            raise UnreadableFileError(
                f"Tabel '{'.'.join(table.parts)}' di berkas '{self.source}' memuat lebih dari "
                f"{MAX_COLUMNS:,} kolom.".replace(",", "."),
                hint="Periksa apakah berkasnya benar struktur database; bila benar, minta OPD "
                "memecah tabel tersebut.",
            )
        table.columns[key] = column

    def find(self, parts: tuple[str, ...]) -> _TableDraft | None:
        """The table by its name, qualified or not (``users`` finds ``public.users``)."""
        if not parts:
            return None
        exact = self.tables.get(_key(parts))
        if exact is not None:
            return exact
        return next((t for t in self.tables.values() if _same_table(t.parts, parts)), None)

    def build(self) -> tuple[Table, ...]:
        return tuple(t.freeze() for t in self.tables.values())


def _same_table(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return a[-1].casefold() == b[-1].casefold() and (len(a) == 1 or len(b) == 1)
