"""What the revisions made before the register was versioned use: each creates only what an
unversioned register lacks, because an older release's opening had already created new tables
(`create_all`) and added new nullable columns by hand."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import sqlalchemy as sa
from alembic import op


def ensure_table(table: sa.Table) -> None:
    """Create `table` with its indexes; an existing one gets the nullable columns and the
    named indexes it lacks."""
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    if not inspector.has_table(table.name):
        table.create(bind)
        return
    ensure_columns(table.name, table.columns)
    with warnings.catch_warnings():  # the page indexes on lower(...) are not ours to compare
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        present = {index["name"] for index in sa.inspect(bind).get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in present:
            index.create(bind)


def ensure_columns(table: str, columns: Iterable[sa.Column[object]]) -> None:
    """Add the nullable `columns` that `table` lacks (copy-and-move on SQLite when needed)."""
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}
    missing = [column for column in columns if column.name not in present]
    if not missing:
        return
    with op.batch_alter_table(table) as batch:
        for column in missing:
            if not column.nullable:
                raise RuntimeError(f"{table}.{column.name} is NOT NULL: write its own revision")
            batch.add_column(sa.Column(column.name, column.type, nullable=True))


def holds(inspector: sa.Inspector, tables: Iterable[sa.Table]) -> bool:
    """Whether every one of `tables` is there with every one of its columns."""
    names = set(inspector.get_table_names())
    for table in tables:
        if table.name not in names:
            return False
        present = {column["name"] for column in inspector.get_columns(table.name)}
        if not present >= set(table.columns.keys()):
            return False
    return True
