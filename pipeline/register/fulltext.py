"""Full-text search over a request's fields and the text of its letters.

One row per request in `search_texts` holds its searchable words, already folded (lower case,
no diacritics, letters and digits only) so that SQLite FTS5 and PostgreSQL's `simple`
configuration cut them into the same tokens. SQLite indexes them in an FTS5 table kept in step
by triggers; PostgreSQL in a generated `tsvector` column with a GIN index.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, column, func, literal_column, select, table
from sqlmodel import Field, Session, SQLModel

from pipeline.fields import REGISTER_ORDER
from pipeline.register.tables import Request

MAX_LETTER_CHARS = 20_000  # a letter's first pages say what it is about; the rest is noise
_WORD = re.compile(r"[^\W_]+")
# The register columns folded into the index: the agenda number and every searchable field.
INDEXED_FIELDS = ("nomor_agenda", *(f.column for f in REGISTER_ORDER if f.searchable))


class SearchText(SQLModel, table=True):
    __tablename__ = "search_texts"

    request_id: int = Field(primary_key=True, foreign_key="requests.id")
    fields: str = ""  # the request's fields, as folded words
    letters: str = ""  # the text of its letters and forms, as folded words


SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(fields, letters, "
    "content='search_texts', content_rowid='request_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_texts_ai AFTER INSERT ON search_texts BEGIN "
    "INSERT INTO search_fts(rowid, fields, letters) "
    "VALUES (new.request_id, new.fields, new.letters); END",
    "CREATE TRIGGER IF NOT EXISTS search_texts_ad AFTER DELETE ON search_texts BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, fields, letters) "
    "VALUES ('delete', old.request_id, old.fields, old.letters); END",
    "CREATE TRIGGER IF NOT EXISTS search_texts_au AFTER UPDATE ON search_texts BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, fields, letters) "
    "VALUES ('delete', old.request_id, old.fields, old.letters); "
    "INSERT INTO search_fts(rowid, fields, letters) "
    "VALUES (new.request_id, new.fields, new.letters); END",
)
POSTGRES_DDL = (
    "ALTER TABLE search_texts ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, fields || ' ' || letters)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_texts_tsv ON search_texts USING gin (tsv)",
)
POSTGRES_INDEX = "ix_search_texts_tsv"


def install_fulltext(connection: Connection, present: set[str]) -> None:
    """The full-text index of the register's dialect, unless already `present`."""
    if connection.dialect.name != "postgresql":
        for statement in SQLITE_DDL:
            connection.exec_driver_sql(statement)
    elif POSTGRES_INDEX not in present:
        for statement in POSTGRES_DDL:
            connection.exec_driver_sql(statement)


def words(text: str) -> list[str]:
    """Lower-case words without diacritics: what is indexed and what is searched."""
    if text.isascii():
        return _WORD.findall(text.lower())
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def folded(parts: Iterable[str | None]) -> str:
    return " ".join(words(" ".join(part for part in parts if part)))


def index_request(session: Session, request: Request, letter: str | None = None) -> None:
    """Store a request's searchable fields as they are now; a letter's text is added to what
    it had. Call after any change to its fields and when a file joins it."""
    assert request.id is not None, "flush the request before indexing it"
    row = session.get(SearchText, request.id) or SearchText(request_id=request.id)
    row.fields = folded(getattr(request, name) for name in INDEXED_FIELDS)
    if letter:
        added = folded([letter[:MAX_LETTER_CHARS]])
        row.letters = f"{row.letters} {added}".strip() if row.letters else added
    session.add(row)


def holds_words(dialect: str, text: str, request_id: Any) -> Any | None:
    """A condition true when the request `request_id` (a column of the outer query) holds
    every word of `text`: checked row by row while walking a sort index, which is what a
    page of a word found in most letters needs (FTS5 and the GIN recheck seek by id)."""
    matched = matching_ids(dialect, text)
    if matched is None:
        return None
    key = matched.selected_columns[0]
    return matched.where(key == request_id).exists()


def matching_ids(dialect: str, text: str) -> Any | None:
    """A SELECT of the ids of requests holding every word of `text`, the last one as the
    beginning of a word (what a clerk is still typing), or None when `text` has no word.
    Only the last word is a prefix: a prefix costs PostgreSQL's GIN index ten times an exact
    word (it cannot skip through the posting lists)."""
    terms = words(text)
    if not terms:
        return None
    *whole, started = terms
    if dialect == "postgresql":
        query = func.to_tsquery("simple", " & ".join([*whole, f"{started}:*"]))
        texts = table("search_texts", column("request_id"), column("tsv"))
        return select(texts.c.request_id).where(texts.c.tsv.op("@@")(query))
    fts = table("search_fts", column("rowid"))
    expression = " AND ".join([*(f'"{t}"' for t in whole), f'"{started}"*'])
    return select(fts.c.rowid).where(literal_column("search_fts").op("MATCH")(expression))
