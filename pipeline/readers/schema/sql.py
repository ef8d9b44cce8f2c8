"""SQL statements: ``CREATE TABLE``, ``ALTER TABLE ... ADD``, ``COMMENT ON COLUMN`` and
SQL Server's ``MS_Description`` extended properties, read into tables; the rest is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pipeline.errors import UnreadableFileError
from pipeline.readers.schema.build import _Builder, _ColumnDraft, _TableDraft
from pipeline.readers.schema.model import Table
from pipeline.readers.schema.sql_tokens import (
    _at,
    _inside,
    _is,
    _kw,
    _name,
    _nesting,
    _render,
    _skip,
    _split_commas,
    _Token,
    _tokens,
    _words,
)

# --- SQL: statements -------------------------------------------------------------------------

_HEADS = _words("CREATE ALTER COMMENT EXEC EXECUTE")


def _sql_tables(path: Path, text: str) -> tuple[Table, ...]:
    builder = _Builder(path.name)
    for statement in _statements(_tokens(text)):
        _apply_statement(builder, statement)
    return builder.build()


def _no_sql(path: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"Tidak ada definisi tabel (CREATE TABLE) di berkas '{path.name}'.",
        hint="Pastikan berkas berisi struktur tabel, bukan hanya data (INSERT); minta OPD "
        "mengekspor ulang dengan pilihan 'structure' atau 'schema only'.",
    )


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
