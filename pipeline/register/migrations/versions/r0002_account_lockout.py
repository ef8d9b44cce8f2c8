"""Web accounts are locked for a while after wrong passwords in a row (61809a5).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_columns, holds

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "27 November 2026: akun web dikunci sementara setelah salah kata sandi berulang"

WHEN = sa.DateTime(timezone=True)
users = sa.Table(
    "users",
    sa.MetaData(),
    sa.Column("failed_logins", sa.Integer(), nullable=True),
    sa.Column("locked_until", WHEN, nullable=True),
    sa.Column("last_login_at", WHEN, nullable=True),
)


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, [users])


def upgrade() -> None:
    ensure_columns(users.name, users.columns)


def downgrade() -> None:
    with op.batch_alter_table(users.name) as batch:
        for column in reversed(list(users.columns)):
            batch.drop_column(column.name)
