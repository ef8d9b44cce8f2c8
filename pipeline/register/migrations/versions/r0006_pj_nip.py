"""The NIP of the person responsible (penanggung jawab), read from forms that carry it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_columns, holds

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "2 Desember 2026: NIP penanggung jawab"

requests = sa.Table("requests", sa.MetaData(), sa.Column("pj_nip", sa.String(), nullable=True))


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, [requests])


def upgrade() -> None:
    ensure_columns(requests.name, requests.columns)  # an unversioned register may have it


# A plain ALTER TABLE (SQLite 3.35+ drops a column in place): a copy-and-move of `requests`
# would lose its triggers and expression indexes until the next `create_schema`.
def downgrade() -> None:
    op.drop_column(requests.name, "pj_nip")
