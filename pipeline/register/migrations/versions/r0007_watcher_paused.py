"""Why a running watcher takes no files (the register away, the disk full, the clock wrong),
so doctor and the web page tell a paused intake from a running one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_columns, holds

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "2 Desember 2026: alasan pemantau tertahan"

watcher_beats = sa.Table(
    "watcher_beats", sa.MetaData(), sa.Column("paused", sa.String(), nullable=True)
)


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, [watcher_beats])


def upgrade() -> None:
    ensure_columns(watcher_beats.name, watcher_beats.columns)


def downgrade() -> None:
    op.drop_column(watcher_beats.name, "paused")
