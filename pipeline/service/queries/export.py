"""`pipeline register export`: the rows `register list` shows, as an Excel workbook or CSV.

The rows come from `list_requests` page by page (same filter, same order), so the export and
`register list --format json` never disagree and a million rows do not sit in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipeline.fields import REGISTER_ORDER, Field, value_in
from pipeline.service.context import Services
from pipeline.service.queries.listing import RequestFilter, list_requests
from pipeline.service.queries.sheets import DATE_FORMAT, DATETIME_FORMAT, write_table
from pipeline.workflow.states import STATUS_LABELS, Status

CHUNK = 2_000
SHEET_TITLE = "Register Permohonan"


@dataclass(frozen=True)
class ExportColumn:
    heading: str
    value: Callable[[dict[str, Any]], Any]
    number_format: str | None = None


def _key(key: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row[key]


def _field_column(field: Field, heading: str) -> ExportColumn:
    if field.name == "tanggal_surat":  # a real date cell
        return ExportColumn(heading, lambda r: _day(value_in(r, field)), DATE_FORMAT)
    return ExportColumn(heading, lambda r: value_in(r, field))


COLUMNS = (
    ExportColumn("ID", _key("id")),
    ExportColumn("No. Agenda", _key("nomor_agenda")),
    *(_field_column(f, f.heading) for f in REGISTER_ORDER if f.heading),
    ExportColumn("Status", lambda r: status_label(r["status"])),
    ExportColumn("Kekurangan", lambda r: ", ".join(r["missing"]) or None),
    ExportColumn("Diterima", lambda r: _moment(r["received_at"]), DATETIME_FORMAT),
    ExportColumn("Tenggat", lambda r: _moment(r["due_at"]), DATETIME_FORMAT),
    ExportColumn("Berkas", lambda r: "; ".join(f["name"] for f in r["files"]) or None),
)
HEADINGS = tuple(c.heading for c in COLUMNS)


def status_label(status: str) -> str:
    try:
        return STATUS_LABELS[Status(status)]
    except ValueError:
        return status


def export_requests(services: Services, flt: RequestFilter, target: Path, fmt: str) -> int:
    """Write the filtered requests to `target` (xlsx or csv); returns how many."""
    rows = (tuple(c.value(r) for c in COLUMNS) for r in _all_rows(services, flt))
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        return _write_csv(rows, target)
    formats = tuple(c.number_format for c in COLUMNS)
    return write_table(target, SHEET_TITLE, HEADINGS, formats, rows)


def _all_rows(services: Services, flt: RequestFilter) -> Iterator[dict[str, Any]]:
    remaining = flt.limit
    offset = flt.offset
    while remaining is None or remaining > 0:
        size = CHUNK if remaining is None else min(CHUNK, remaining)
        page = list_requests(services, replace(flt, limit=size, offset=offset))
        yield from page
        if len(page) < size:
            return
        offset += size
        remaining = None if remaining is None else remaining - size


def _write_csv(rows: Iterator[tuple[Any, ...]], target: Path) -> int:
    written = 0
    # utf-8 with a BOM: Excel on an office PC then reads the Indonesian text right
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        for row in rows:
            writer.writerow(["" if v is None else _csv_text(v) for v in row])
            written += 1
    return written


def _csv_text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _day(text: str | None) -> date | str | None:
    """A real date cell; a date that was never understood stays as it was written."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return text


def _moment(text: str | None) -> datetime | None:
    """WIB wall-clock time without the zone: Excel cells cannot hold one."""
    return datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0) if text else None
