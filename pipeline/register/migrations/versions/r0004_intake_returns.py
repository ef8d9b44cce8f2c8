"""Files given back to the inbox are counted, so one given back too often is parked (58ea7f8).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_table, holds

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "2 Desember 2026: berkas yang berulang kali dikembalikan ke inbox dihitung"

intake_returns = sa.Table(
    "intake_returns",
    sa.MetaData(),
    sa.Column("sha256", sa.String(), primary_key=True),
    sa.Column("name", sa.String(), nullable=False),
    sa.Column("count", sa.Integer(), nullable=False),
    sa.Column("error", sa.String(), nullable=False),
    sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
)


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, [intake_returns])


def upgrade() -> None:
    ensure_table(intake_returns)


def downgrade() -> None:
    op.drop_table(intake_returns.name)
