"""Alembic's environment for the register: run by `pipeline.register.migrations` with an open
connection (`config.attributes["connection"]`), or with `sqlalchemy.url` by a developer making
a revision with autogenerate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

from pipeline.register.migrations import include_object, on_version_apply, render_item


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        include_object=include_object,
        render_item=render_item,
        render_as_batch=True,  # SQLite cannot ALTER most things: copy-and-move in batches
        transaction_per_migration=True,
        # The register's SQLite engine issues BEGIN itself, so DDL there is transactional too:
        # a revision that fails leaves nothing half done.
        transactional_ddl=True,
        on_version_apply=on_version_apply,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "give alembic_config(url=...) or a connection"
    from pipeline.register.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as opened:
            _migrate(opened)
    finally:
        engine.dispose()


_run()
