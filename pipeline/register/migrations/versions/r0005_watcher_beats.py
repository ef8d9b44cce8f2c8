"""A running watcher's heartbeat, and the backups the nightly service made (0719bde).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_table, holds

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "2 Desember 2026: tanda hidup pemantau dan catatan cadangan"

STRING = sa.String()
WHEN = sa.DateTime(timezone=True)
metadata = sa.MetaData()

watcher_beats = sa.Table(
    "watcher_beats",
    metadata,
    sa.Column("worker", STRING, primary_key=True),
    sa.Column("host", STRING, nullable=False),
    sa.Column("started_at", WHEN, nullable=False),
    sa.Column("beat_at", WHEN, nullable=False),
    sa.Column("stopped_at", WHEN, nullable=True),
)

backups = sa.Table(
    "backups",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("folder", STRING, nullable=False),
    sa.Column("made_at", WHEN, nullable=False),
    sa.Column("files", sa.Integer(), nullable=False),
    sa.Column("total_bytes", sa.Integer(), nullable=False),
)

CREATED = (watcher_beats, backups)


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, CREATED)


def upgrade() -> None:
    for table in CREATED:
        ensure_table(table)


def downgrade() -> None:
    for table in reversed(CREATED):
        op.drop_table(table.name)
