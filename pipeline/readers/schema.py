"""Technical specifications ("spek teknis"): the tables and columns of an OPD's database.

An OPD describes the database of its system as SQL DDL (a mysqldump, phpMyAdmin export,
pg_dump or SQL Server script), as a CSV, or as an Excel workbook. All three are read into the
same value objects so the analysis report can tabulate them.

SQL is read with a tokenizer and a statement splitter, not a grammar: ``CREATE TABLE`` bodies
give the columns, ``ALTER TABLE ... ADD`` and ``COMMENT ON COLUMN`` (and SQL Server's
``MS_Description`` extended properties) complete them, everything else is skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pipeline.errors import MissingDependencyError, UnreadableFileError

__all__ = ["MAX_BYTES", "MAX_COLUMNS", "MAX_TABLES", "Column", "Table", "read_schema"]

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


def _no_sql(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"Tidak ada definisi tabel (CREATE TABLE) di berkas '{path.name}'.",
        hint="Pastikan berkas berisi struktur tabel, bukan hanya data (INSERT); minta OPD "
        "mengekspor ulang dengan pilihan 'structure' atau 'schema only'.",
    )


def _no_header(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"Daftar tabel dan kolom tidak ditemukan di '{path.name}': tidak ada CREATE TABLE "
        "maupun baris judul yang menyebut 'kolom' (atau 'column'/'field') beserta 'tabel', "
        "'tipe' atau 'keterangan'.",
        hint="Tambahkan baris judul, mis. 'tabel;kolom;tipe;keterangan' (satu lembar) atau "
        "'kolom;tipe;keterangan' (satu lembar per tabel), atau kirim hasil ekspor .sql.",
    )


# --- Collecting tables -----------------------------------------------------------------------

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


# --- SQL: tokens -----------------------------------------------------------------------------


class _Token(NamedTuple):
    kind: str  # word, number, ident (quoted name), string, symbol, end
    text: str  # as written
    value: str  # unquoted: the name of an ident, the content of a string


_END = _Token("end", "", "")
_SQL_HINT = re.compile(r"\bcreate\s+(?:\w+\s+){0,3}table\b", re.IGNORECASE)
_MYSQL_HINT = re.compile(  # MySQL strings take backslash escapes; standard SQL's do not
    r"\bTABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?`|\)\s*ENGINE\s*=", re.IGNORECASE
)
_COPY_DATA = re.compile(  # pg_dump's data blocks are not SQL
    r"^COPY\b[^;]*?\bFROM\s+stdin;[^\n]*\n.*?^\\\.[ \t\r]*$", re.MULTILINE | re.DOTALL
)
_ROUTINES = re.compile(  # MySQL procedures and triggers, written between DELIMITER lines
    r"^[ \t]*DELIMITER[ \t]+(?!;[ \t\r]*$)\S+[^\n]*\n.*?^[ \t]*DELIMITER[ \t]+;[ \t\r]*$",
    re.MULTILINE | re.DOTALL | re.IGNORECASE,
)
_MYSQL_STRING = r"[NnBbXx]?'(?:[^'\\]|\\.|'')*(?:'|\Z)"
_STANDARD_STRING = r"[Ee]'(?:[^'\\]|\\.|'')*(?:'|\Z)|[NnBbXx]?'(?:[^']|'')*(?:'|\Z)"
_DOLLAR_STRING = r"\$(?P<tag>(?:[^\W\d]\w*)?)\$.*?(?:\$(?P=tag)\$|\Z)"  # PostgreSQL
_NEVER = r"(?!)"
_TOKEN_PARTS = (
    r"(?P<go>\n[ \t]*(?i:go)(?:[ \t]+\d+)?[ \t\r]*(?=\n|\Z))",  # SQL Server batch separator
    r"(?P<space>[ \t\r\f\v]+|\n)",
    r"(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))",
    r"(?P<string>{string})",
    r"(?P<dollar>{dollar})",
    r"(?P<ident>`(?:[^`]|``)*(?:`|\Z)|\"(?:[^\"]|\"\")*(?:\"|\Z)"
    r"|(?<![\w\])])\[(?!\s*\](?!\]))(?:[^\]]|\]\])*(?:\]|\Z))",  # not PostgreSQL's text[]
    r"(?P<word>[^\W\d][\w$]*|@+\w+|\#{1,2}\w+)",
    r"(?P<number>\d[\w.]*)",
    r"(?P<symbol>::|.)",
)


def _token_pattern(string: str, dollar: str) -> re.Pattern[str]:
    parts = [p.replace("{string}", string).replace("{dollar}", dollar) for p in _TOKEN_PARTS]
    return re.compile("|".join(parts), re.DOTALL)


_MYSQL_TOKEN = _token_pattern(_MYSQL_STRING, _NEVER)
_STANDARD_TOKEN = _token_pattern(_STANDARD_STRING, _DOLLAR_STRING)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "", "b": "", "Z": ""}


def _tokens(text: str) -> Iterator[_Token]:
    """SQL tokens without whitespace and comments; ``GO`` lines become ``;``."""
    mysql = _MYSQL_HINT.search(text) is not None
    pattern = _MYSQL_TOKEN if mysql else _STANDARD_TOKEN
    text = "\n" + _ROUTINES.sub("", _COPY_DATA.sub("", text))
    position = 0
    while (match := pattern.match(text, position)) is not None and match.end() > position:
        position = match.end()
        kind = match.lastgroup or "symbol"
        if kind not in ("space", "comment"):
            yield _make_token(kind, match.group(), mysql)


def _make_token(kind: str, text: str, mysql: bool) -> _Token:
    if kind == "go":
        return _Token("symbol", ";", ";")
    if kind == "string":
        return _Token("string", text, _unquote_string(text, mysql))
    if kind == "dollar":
        tag = text[: text.index("$", 1) + 1]
        body = text[len(tag) :]
        return _Token("string", text, body.removesuffix(tag) if len(body) >= len(tag) else body)
    if kind == "ident":
        return _Token("ident", text, _unquote_ident(text))
    return _Token(kind, text, text)


def _unquote_string(text: str, mysql: bool) -> str:
    body = text[text.index("'") + 1 :]
    body = body[:-1] if body.endswith("'") else body
    if mysql or text[0] in "Ee":
        return re.sub(r"''|\\(.)", _unescape, body, flags=re.DOTALL)
    return body.replace("''", "'")


def _unescape(match: re.Match[str]) -> str:
    char = match.group(1)
    return "'" if char is None else _ESCAPES.get(char, char)


def _unquote_ident(text: str) -> str:
    close = {"`": "`", '"': '"', "[": "]"}[text[0]]
    body = text[1:-1] if len(text) > 1 and text.endswith(close) else text[1:]
    return body.replace(close * 2, close)


# --- SQL: token helpers ----------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _at(tokens: Sequence[_Token], index: int) -> _Token:
    return tokens[index] if 0 <= index < len(tokens) else _END


def _kw(token: _Token) -> str:
    return token.text.upper() if token.kind == "word" else ""


def _is(token: _Token, symbol: str) -> bool:
    return token.kind == "symbol" and token.text == symbol


def _nesting(token: _Token) -> int:
    if token.kind != "symbol":
        return 0
    return {"(": 1, ")": -1}.get(token.text, 0)


def _skip(tokens: Sequence[_Token], index: int, words: frozenset[str]) -> int:
    while _kw(_at(tokens, index)) in words:
        index += 1
    return index


def _name(tokens: Sequence[_Token], index: int) -> tuple[tuple[str, ...], int]:
    """A possibly qualified name (``public.users``, ``[dbo].[users]``) and the index after it."""
    parts: list[str] = []
    while _at(tokens, index).kind in ("word", "ident"):
        parts.append(tokens[index].value)
        index += 1
        if not _is(_at(tokens, index), "."):
            break
        index += 1
    return tuple(parts), index


def _close(tokens: Sequence[_Token], index: int) -> int:
    """Index of the ``)`` matching the ``(`` at ``index`` (or the end)."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += _nesting(tokens[position])
        if depth == 0:
            return position
    return len(tokens)


def _inside(tokens: Sequence[_Token], index: int) -> Sequence[_Token]:
    return tokens[index + 1 : _close(tokens, index)]


def _split_commas(tokens: Sequence[_Token]) -> list[Sequence[_Token]]:
    parts: list[Sequence[_Token]] = []
    depth, start = 0, 0
    for position, token in enumerate(tokens):
        depth += _nesting(token)
        if depth == 0 and _is(token, ","):
            parts.append(tokens[start:position])
            start = position + 1
    parts.append(tokens[start:])
    return [p for p in parts if p]


def _render(tokens: Sequence[_Token]) -> str:
    """Tokens back to text, tight around brackets: ``DECIMAL (10, 2)`` → ``DECIMAL(10,2)``."""
    out: list[str] = []
    previous = "("
    for token in tokens:
        tight = token.kind == "symbol" and token.text in "(),.[]"
        if out and not tight and previous not in ("(", ",", ".", "["):
            out.append(" ")
        out.append(token.value if token.kind == "ident" else token.text)
        previous = token.text if token.kind == "symbol" else ""
    return "".join(out)


# --- SQL: statements -------------------------------------------------------------------------

_HEADS = _words("CREATE ALTER COMMENT EXEC EXECUTE")


def _sql_tables(path: Path, text: str) -> tuple[Table, ...]:
    builder = _Builder(path.name)
    for statement in _statements(_tokens(text)):
        _apply_statement(builder, statement)
    return builder.build()


def _statements(tokens: Iterable[_Token]) -> Iterator[list[_Token]]:
    """Statements that may describe tables; INSERTs and the like are skipped unbuilt."""
    current: list[_Token] = []
    skipping = False
    for token in tokens:
        if _is(token, ";"):
            if current:
                yield current
            current, skipping = [], False
        elif not skipping:
            skipping = not current and _kw(token) not in _HEADS
            if not skipping:
                current.append(token)
    if current:
        yield current


def _apply_statement(builder: _Builder, statement: list[_Token]) -> None:
    head = _kw(statement[0])
    if head == "CREATE":
        _create_table(builder, statement)
    elif head == "ALTER":
        _alter_table(builder, statement)
    elif head == "COMMENT":
        _comment_on(builder, statement)
    else:
        _extended_property(builder, statement)


_CREATE_PREFIXES = _words("OR REPLACE TEMPORARY TEMP GLOBAL LOCAL UNLOGGED")
_IF_EXISTS = _words("IF NOT EXISTS")


def _create_table(builder: _Builder, tokens: list[_Token]) -> None:
    index = _skip(tokens, 1, _CREATE_PREFIXES)
    if _kw(_at(tokens, index)) != "TABLE":
        return
    parts, index = _name(tokens, _skip(tokens, index + 1, _IF_EXISTS))
    if not parts or not _is(_at(tokens, index), "("):
        return  # CREATE TABLE ... AS SELECT / LIKE / PARTITION OF: no column list to read
    table = builder.table(parts, fresh=True)
    for item in _split_commas(_inside(tokens, index)):
        _apply_item(builder, table, item)


_ALTER_PREFIXES = _words("IF EXISTS ONLY")
_ADD_PREFIXES = _words("WITH CHECK NOCHECK")
_ADD_COLUMN = _words("COLUMN IF NOT EXISTS")


def _alter_table(builder: _Builder, tokens: list[_Token]) -> None:
    """``ALTER TABLE t ADD ...``: the keys of phpMyAdmin and pg_dump, and added columns."""
    if _kw(_at(tokens, 1)) != "TABLE":
        return
    parts, index = _name(tokens, _skip(tokens, 2, _ALTER_PREFIXES))
    table = builder.find(parts)
    if table is None:
        return
    for action in _split_commas(tokens[index:]):
        start = _skip(action, 0, _ADD_PREFIXES)
        if _kw(_at(action, start)) == "ADD":
            _apply_item(builder, table, action[_skip(action, start + 1, _ADD_COLUMN) :])


def _comment_on(builder: _Builder, tokens: list[_Token]) -> None:
    """PostgreSQL/Oracle ``COMMENT ON COLUMN schema.table.column IS '...'``."""
    if _kw(_at(tokens, 1)) != "ON" or _kw(_at(tokens, 2)) != "COLUMN":
        return
    parts, index = _name(tokens, 3)
    if len(parts) < 2 or _kw(_at(tokens, index)) != "IS":
        return
    value = _at(tokens, index + 1)
    _set_comment(builder, parts[:-1], parts[-1], value.value if value.kind == "string" else "")


def _set_comment(builder: _Builder, table: tuple[str, ...], column: str, text: str) -> None:
    found = builder.find(table)
    draft = found.column(column) if found else None
    if draft is not None:
        draft.komentar = text


_PROPERTY_ARGS = (
    "name",
    "value",
    "level0type",
    "level0name",
    "level1type",
    "level1name",
    "level2type",
    "level2name",
)


def _extended_property(builder: _Builder, tokens: list[_Token]) -> None:
    """SQL Server ``EXEC sp_addextendedproperty 'MS_Description', ...`` on a column."""
    start = next((i for i, t in enumerate(tokens[:4]) if _kw(t) == "SP_ADDEXTENDEDPROPERTY"), None)
    if start is None:
        return
    args = _property_args(tokens[start + 1 :])
    if args.get("name", "").casefold() != "ms_description":
        return
    if (args.get("level1type", "").upper(), args.get("level2type", "").upper()) != (
        "TABLE",
        "COLUMN",
    ):
        return
    table = tuple(args[k] for k in ("level0name", "level1name") if args.get(k))
    _set_comment(builder, table, args.get("level2name", ""), args.get("value", ""))


def _property_args(tokens: Sequence[_Token]) -> dict[str, str]:
    args: dict[str, str] = {}
    for position, part in enumerate(_split_commas(tokens)):
        if part[0].text.startswith("@") and _is(_at(part, 1), "="):
            args[part[0].text.lstrip("@").casefold()] = _at(part, 2).value
        elif position < len(_PROPERTY_ARGS):
            args[_PROPERTY_ARGS[position]] = part[0].value
    return args


# --- SQL: column definitions and constraints -------------------------------------------------

_CONSTRAINT_HEADS = _words(
    "CONSTRAINT PRIMARY UNIQUE FOREIGN CHECK FULLTEXT SPATIAL EXCLUDE LIKE DEFAULT"
)
_TYPE_STOPS = _words(  # what may follow a column's type: its attributes and constraints
    "NOT NULL DEFAULT PRIMARY UNIQUE KEY REFERENCES CHECK CONSTRAINT COMMENT COLLATE CHARSET "
    "AUTO_INCREMENT AUTOINCREMENT IDENTITY GENERATED AS ON STORAGE COMPRESSION SPARSE "
    "ROWGUIDCOL FILESTREAM MASKED INVISIBLE VISIBLE COLUMN_FORMAT ENCRYPTED"
)


def _apply_item(builder: _Builder, table: _TableDraft, item: Sequence[_Token]) -> None:
    """One entry of a column list: a column definition or a table-level constraint."""
    if _is_constraint(item):
        for name, label in _constraint_flags(item):
            draft = table.column(name)
            if draft is not None:
                draft.flag(label)
    elif _at(item, 0).kind in ("word", "ident") and item[0].value:
        builder.add(table, _column(item))


def _is_constraint(item: Sequence[_Token]) -> bool:
    head = _kw(_at(item, 0))
    if head in ("KEY", "INDEX"):  # MySQL index lines; but PostgreSQL allows a column "key"
        return any(_is(t, "(") and _at(item, i + 1).kind != "number" for i, t in enumerate(item))
    if head == "PERIOD":
        return _kw(_at(item, 1)) == "FOR"
    return head in _CONSTRAINT_HEADS


def _constraint_flags(item: Sequence[_Token]) -> list[tuple[str, str]]:
    index = _name(item, 1)[1] if _kw(item[0]) == "CONSTRAINT" else 0
    head = _kw(_at(item, index))
    columns = _column_list(item, index)
    if head == "PRIMARY":
        return [(name, "PK") for name in columns]
    if head == "UNIQUE" and len(columns) == 1:
        return [(columns[0], "UNIQUE")]
    if head == "FOREIGN":
        return _foreign_flags(item, index, columns)
    return []


def _column_list(tokens: Sequence[_Token], start: int) -> list[str]:
    """Names in the first parenthesis from ``start``: ``(`a`, b(10) DESC)`` → ``[a, b]``."""
    opening = next((i for i in range(start, len(tokens)) if _is(tokens[i], "(")), None)
    if opening is None:
        return []
    parts = _split_commas(_inside(tokens, opening))
    return [p[0].value for p in parts if p[0].kind in ("word", "ident")]


def _foreign_flags(item: Sequence[_Token], index: int, columns: list[str]) -> list[tuple[str, str]]:
    refers = next((i for i in range(index, len(item)) if _kw(item[i]) == "REFERENCES"), None)
    if refers is None:
        return []
    labels = _references(item, refers + 1, len(columns))
    return list(zip(columns, labels, strict=False))


def _references(tokens: Sequence[_Token], index: int, count: int) -> list[str]:
    """``FK → table.column`` labels for ``count`` referencing columns."""
    target, after = _name(tokens, index)
    base = ".".join(target)
    columns = _column_list(tokens, after) if _is(_at(tokens, after), "(") else []
    if len(columns) == count:
        return [f"FK → {base}.{c}" for c in columns]
    return [f"FK → {base}"] * count


def _column(item: Sequence[_Token]) -> _ColumnDraft:
    end = _type_end(item)
    draft = _ColumnDraft(item[0].value, _render(item[1:end]))
    depth = 0
    for index in range(end, len(item)):
        if depth == 0:
            _apply_attribute(draft, item, index)
        depth += _nesting(item[index])
    return draft


def _type_end(item: Sequence[_Token]) -> int:
    depth = 0
    for index in range(1, len(item)):
        word = _kw(item[index])
        if depth == 0 and (
            word in _TYPE_STOPS or (word == "CHARACTER" and _kw(_at(item, index + 1)) == "SET")
        ):
            return index
        depth += _nesting(item[index])
    return len(item)


def _apply_attribute(draft: _ColumnDraft, item: Sequence[_Token], index: int) -> None:
    word, after = _kw(item[index]), _at(item, index + 1)
    if word == "NOT" and _kw(after) == "NULL":
        draft.flag("NOT NULL")
    elif word == "PRIMARY":
        draft.flag("PK")
    elif word == "UNIQUE":
        draft.flag("UNIQUE")
    elif word == "REFERENCES":
        draft.flag(_references(item, index + 1, 1)[0])
    elif word == "COMMENT" and after.kind in ("string", "ident"):
        draft.komentar = after.value


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
