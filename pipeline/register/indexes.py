"""Indexes for the register page's queries, created on existing registers too (idempotent).

`create_all` adds indexes only with a new table, so these are created by name:
the default page (newest first), a status tab, an OPD's late requests, a number looked up
whatever its case, and events by date for the monthly report.
"""

from __future__ import annotations

from sqlalchemy import Connection

REGISTER_INDEXES = {
    "ix_requests_received": "requests (received_at, id)",
    "ix_requests_status_received": "requests (status, received_at, id)",
    "ix_requests_opd_status_due": "requests (opd, status, due_at)",
    "ix_requests_due": "requests (due_at)",
    "ix_requests_lower_nomor_surat": "requests (lower(nomor_surat))",
    "ix_requests_lower_nomor_agenda": "requests (lower(nomor_agenda))",
    "ix_requests_lower_nomor_permohonan": "requests (lower(nomor_permohonan))",
    "ix_requests_lower_subdomain": "requests (lower(subdomain))",
    "ix_events_at": "events (at)",
    "ix_events_request_at": "events (request_id, at, id)",
}


def install_indexes(connection: Connection, present: set[str]) -> None:
    for name, target in REGISTER_INDEXES.items():
        if name in present:
            continue
        connection.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
