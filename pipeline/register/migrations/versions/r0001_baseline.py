"""Baseline: the register as the first release with the intake journal made it (f3193c5,
27 November 2026). On an older, unversioned register it creates the tables that register
lacks and adds `documents.pdf_path`; the search text of requests it already holds is filled.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from pipeline.register.migrations.ensure import ensure_table, holds

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TITLE = "27 November 2026: jurnal penerimaan berkas"

STRING = sa.String()
WHEN = sa.DateTime(timezone=True)
metadata = sa.MetaData()

requests = sa.Table(
    "requests",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("tahun_agenda", sa.Integer(), nullable=False),
    sa.Column("nomor_agenda", STRING, nullable=False),
    sa.Column("nomor_permohonan", STRING, nullable=True),
    sa.Column("nomor_surat", STRING, nullable=True),
    sa.Column("tanggal_surat", STRING, nullable=True),
    sa.Column("opd", STRING, nullable=True),
    sa.Column("perihal", STRING, nullable=True),
    sa.Column("subdomain", STRING, nullable=True),
    sa.Column("pj_nama", STRING, nullable=True),
    sa.Column("pj_telepon", STRING, nullable=True),
    sa.Column("pj_email", STRING, nullable=True),
    sa.Column("pj_jabatan", STRING, nullable=True),
    sa.Column("status", STRING, nullable=False),
    sa.Column("has_letter", sa.Boolean(), nullable=False),
    sa.Column("has_form", sa.Boolean(), nullable=False),
    sa.Column("missing", sa.JSON(), nullable=False),
    sa.Column("provenance", sa.JSON(), nullable=False),
    sa.Column("problems", sa.JSON(), nullable=False),
    sa.Column("received_at", WHEN, nullable=False),
    sa.Column("due_at", WHEN, nullable=True),
    sa.Column("updated_at", WHEN, nullable=False),
    sa.UniqueConstraint("tahun_agenda", "nomor_agenda"),
    sa.Index("ix_requests_nomor_agenda", "nomor_agenda"),
    sa.Index("ix_requests_nomor_permohonan", "nomor_permohonan"),
    sa.Index("ix_requests_nomor_surat", "nomor_surat"),
    sa.Index("ix_requests_opd", "opd"),
    sa.Index("ix_requests_status", "status"),
    sa.Index("ix_requests_subdomain", "subdomain"),
)

files = sa.Table(
    "files",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("sha256", STRING, nullable=False),
    sa.Column("original_name", STRING, nullable=False),
    sa.Column("archived_path", STRING, nullable=False),
    sa.Column("size", sa.Integer(), nullable=False),
    sa.Column("media", STRING, nullable=False),
    sa.Column("kind", STRING, nullable=False),
    sa.Column("needs_ocr", sa.Boolean(), nullable=False),
    sa.Column("signed", sa.Boolean(), nullable=False),
    sa.Column("submission", STRING, nullable=True),
    sa.Column("request_id", sa.Integer(), sa.ForeignKey("requests.id"), nullable=True),
    sa.Column("fields", sa.JSON(), nullable=False),
    sa.Column("problems", sa.JSON(), nullable=False),
    sa.Column("received_at", WHEN, nullable=False),
    sa.Index("ix_files_request_id", "request_id"),
    sa.Index("ix_files_sha256", "sha256", unique=True),
    sa.Index("ix_files_submission", "submission"),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("doc_id", STRING, nullable=False),
    sa.Column("token", STRING, nullable=False),
    sa.Column("request_id", sa.Integer(), sa.ForeignKey("requests.id"), nullable=False),
    sa.Column("kind", STRING, nullable=False),
    sa.Column("path", STRING, nullable=False),
    sa.Column("pdf_path", STRING, nullable=True),
    sa.Column("number", STRING, nullable=True),
    sa.Column("created_at", WHEN, nullable=False),
    sa.Index("ix_documents_doc_id", "doc_id", unique=True),
    sa.Index("ix_documents_request_id", "request_id"),
    sa.Index("ix_documents_token", "token", unique=True),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("request_id", sa.Integer(), sa.ForeignKey("requests.id"), nullable=True),
    sa.Column("file_id", sa.Integer(), sa.ForeignKey("files.id"), nullable=True),
    sa.Column("at", WHEN, nullable=False),
    sa.Column("who", STRING, nullable=False),
    sa.Column("action", STRING, nullable=False),
    sa.Column("from_status", STRING, nullable=True),
    sa.Column("to_status", STRING, nullable=True),
    sa.Column("note", STRING, nullable=True),
    sa.Index("ix_events_request_id", "request_id"),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", STRING, primary_key=True),
    sa.Column("value", sa.Integer(), nullable=False),
)

voided_numbers = sa.Table(
    "voided_numbers",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("number", STRING, nullable=False),
    sa.Column("reason", STRING, nullable=False),
    sa.Column("who", STRING, nullable=False),
    sa.Column("at", WHEN, nullable=False),
    sa.Index("ix_voided_numbers_number", "number", unique=True),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("name", STRING, nullable=False),
    sa.Column("role", STRING, nullable=False),
    sa.Column("password_hash", STRING, nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("created_at", WHEN, nullable=False),
    sa.Index("ix_users_name", "name", unique=True),
)

intake = sa.Table(
    "intake",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True),
    sa.Column("path", STRING, nullable=False),
    sa.Column("original", STRING, nullable=False),
    sa.Column("submission", STRING, nullable=True),
    sa.Column("worker", STRING, nullable=False),
    sa.Column("state", STRING, nullable=False),
    sa.Column("sha256", STRING, nullable=True),
    sa.Column("request_id", sa.Integer(), nullable=True),
    sa.Column("reason", STRING, nullable=True),
    sa.Column("lease_until", WHEN, nullable=False),
    sa.UniqueConstraint("path"),
    sa.Index("ix_intake_worker", "worker"),
)

search_texts = sa.Table(
    "search_texts",
    metadata,
    sa.Column("request_id", sa.Integer(), sa.ForeignKey("requests.id"), primary_key=True),
    sa.Column("fields", STRING, nullable=False),
    sa.Column("letters", STRING, nullable=False),
)

# The request fields the search text was made of, in this order (pipeline.register.fulltext).
INDEXED = (
    "nomor_agenda",
    "nomor_permohonan",
    "nomor_surat",
    "tanggal_surat",
    "opd",
    "perihal",
    "subdomain",
    "pj_nama",
    "pj_telepon",
    "pj_email",
    "pj_jabatan",
)


def present(inspector: sa.Inspector) -> bool:
    return holds(inspector, metadata.sorted_tables)


def upgrade() -> None:
    had_search = sa.inspect(op.get_bind()).has_table(search_texts.name)
    for table in metadata.sorted_tables:
        ensure_table(table)
    if not had_search:
        _fill_search_texts()


def _fill_search_texts() -> None:
    """A register older than the search gets each request's fields as search text, put in
    the full-text index (made first, so its triggers index the rows as they go in)."""
    from pipeline.register.fulltext import folded, install_fulltext

    bind = op.get_bind()
    install_fulltext(bind, set())
    rows = bind.execute(sa.select(requests.c.id, *(requests.c[name] for name in INDEXED))).all()
    if rows:
        bind.execute(
            search_texts.insert(),
            [{"request_id": r[0], "fields": folded(r[1:]), "letters": ""} for r in rows],
        )


def downgrade() -> None:
    raise NotImplementedError("the baseline is the oldest version a register can be taken to")
