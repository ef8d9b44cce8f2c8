"""Web sessions end on the server; logins are locked per (name, address) pair (578caa9).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_table, holds

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "1 Desember 2026: sesi web yang diakhiri di server dan kunci masuk per alamat"

STRING = sa.String()
WHEN = sa.DateTime(timezone=True)
metadata = sa.MetaData()
sa.Table("users", metadata, sa.Column("id", sa.Integer(), primary_key=True))  # referred to

web_sessions = sa.Table(
    "web_sessions",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("token_hash", STRING, nullable=False),
    sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", WHEN, nullable=False),
    sa.Column("expires_at", WHEN, nullable=False),
    sa.Index("ix_web_sessions_token_hash", "token_hash", unique=True),
    sa.Index("ix_web_sessions_user_id", "user_id"),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", STRING, nullable=False),
    sa.Column("address", STRING, nullable=False),
    sa.Column("failures", sa.Integer(), nullable=False),
    sa.Column("last_failure_at", WHEN, nullable=False),
    sa.Column("locked_until", WHEN, nullable=True),
    sa.UniqueConstraint("name", "address"),
    sa.Index("ix_login_failures_address", "address"),
    sa.Index("ix_login_failures_name", "name"),
)

CREATED = (web_sessions, login_failures)


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, CREATED)


def upgrade() -> None:
    for table in CREATED:
        ensure_table(table)


def downgrade() -> None:
    for table in reversed(CREATED):
        op.drop_table(table.name)
