"""Requests per status, kept by triggers, so the register page's counts cost one tiny read
instead of counting a million rows. PostgreSQL updates the tally once per statement (a bulk
COPY stays fast) and touches the statuses in name order, so two writers never deadlock."""

from __future__ import annotations

from sqlalchemy import Connection

SQLITE_DDL = (
    "CREATE TABLE IF NOT EXISTS status_tally (status TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS requests_tally_ai AFTER INSERT ON requests BEGIN "
    "INSERT INTO status_tally(status, n) VALUES (new.status, 1) "
    "ON CONFLICT(status) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER IF NOT EXISTS requests_tally_ad AFTER DELETE ON requests BEGIN "
    "UPDATE status_tally SET n = n - 1 WHERE status = old.status; END",
    "CREATE TRIGGER IF NOT EXISTS requests_tally_au AFTER UPDATE OF status ON requests "
    "WHEN old.status IS NOT new.status BEGIN "
    "UPDATE status_tally SET n = n - 1 WHERE status = old.status; "
    "INSERT INTO status_tally(status, n) VALUES (new.status, 1) "
    "ON CONFLICT(status) DO UPDATE SET n = n + 1; END",
)

_PG_DELTA = {
    "insert": "SELECT status, count(*) AS k FROM new_rows GROUP BY status",
    "delete": "SELECT status, -count(*) AS k FROM old_rows GROUP BY status",
    "update": "SELECT status, count(*) AS k FROM new_rows GROUP BY status UNION ALL "
    "SELECT status, -count(*) AS k FROM old_rows GROUP BY status",
}
_PG_TRANSITION = {
    "insert": "NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _postgres_ddl(present: set[str]) -> list[str]:
    statements = [
        "CREATE TABLE IF NOT EXISTS status_tally (status TEXT PRIMARY KEY, n BIGINT NOT NULL)"
    ]
    for operation, delta in _PG_DELTA.items():
        if f"requests_tally_{operation}" in present:
            continue
        statements.append(
            f"CREATE OR REPLACE FUNCTION status_tally_{operation}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO status_tally(status, n) SELECT status, sum(k) FROM ({delta}) d "
            "GROUP BY status HAVING sum(k) <> 0 ORDER BY status "
            "ON CONFLICT (status) DO UPDATE SET n = status_tally.n + excluded.n; "
            "RETURN NULL; END $$"
        )
        statements.append(
            f"CREATE TRIGGER requests_tally_{operation} AFTER {operation.upper()} "
            f"ON requests REFERENCING {_PG_TRANSITION[operation]} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION status_tally_{operation}()"
        )
    return statements


def install_tallies(connection: Connection, present: set[str]) -> None:
    """Tally table and triggers (those not `present` yet); an empty tally over a filled
    register is rebuilt."""
    postgres = connection.dialect.name == "postgresql"
    for statement in _postgres_ddl(present) if postgres else SQLITE_DDL:
        connection.exec_driver_sql(statement)
    tallied = connection.exec_driver_sql("SELECT 1 FROM status_tally LIMIT 1").first()
    if tallied is None and connection.exec_driver_sql("SELECT 1 FROM requests LIMIT 1").first():
        connection.exec_driver_sql(
            "INSERT INTO status_tally(status, n) SELECT status, count(*) FROM requests "
            "GROUP BY status"
        )


def read_tallies(connection: Connection) -> dict[str, int]:
    rows = connection.exec_driver_sql("SELECT status, n FROM status_tally WHERE n <> 0")
    return {str(status): int(n) for status, n in rows}
