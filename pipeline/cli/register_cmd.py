"""`pipeline register list|export|show|others`: what the register holds."""

from __future__ import annotations

import csv
import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.fields import (
    FIELD_BY_NAME,
    FIELDS,
    LETTER_HEADER,
    REGISTER_ORDER,
    missing_label,
    missing_text,
    value_in,
)
from pipeline.service.display import (
    NO_OTHER_LETTERS,
    NO_OTHER_TO_CHECK,
    REVIEW_MARK,
    file_kind,
    note_text,
    source_text,
    status_text,
    when,
)

if TYPE_CHECKING:
    from pipeline.service.queries.listing import RequestFilter

app = typer.Typer(help="Lihat isi register permohonan.", no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


# CSV headings are the register's column names: the request's own fields first, the
# penanggung jawab's last.
REQUEST_FIELDS = tuple(f for f in REGISTER_ORDER if not f.person_key)
PERSON_FIELDS = tuple(f for f in REGISTER_ORDER if f.person_key)
CSV_COLUMNS = (
    "id",
    "nomor_agenda",
    *(f.name for f in REQUEST_FIELDS),
    "status",
    "missing",
    "received_at",
    "due_at",
)


class SortKey(StrEnum):
    received_at = "received_at"
    nomor_agenda = "nomor_agenda"
    opd = "opd"
    status = "status"
    due_at = "due_at"
    subdomain = "subdomain"


StatusOption = Annotated[str | None, typer.Option(help="Saring menurut status.")]
OpdOption = Annotated[
    str | None, typer.Option(help="Saring menurut nama OPD (sebagian) atau singkatannya.")
]
QOption = Annotated[
    str | None, typer.Option("--q", help="Cari kata dalam isian dan teks surat/formulir.")
]
NomorOption = Annotated[
    str | None,
    typer.Option(help="Nomor surat, nomor agenda, nomor permohonan, atau subdomain (persis)."),
]
SinceOption = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Diterima sejak tanggal ini (TTTT-BB-HH)."),
]
UntilOption = Annotated[
    datetime | None,
    typer.Option(formats=["%Y-%m-%d"], help="Diterima sampai tanggal ini (TTTT-BB-HH)."),
]
OverdueOption = Annotated[bool, typer.Option("--overdue", help="Hanya yang terlambat.")]
SortOption = Annotated[SortKey, typer.Option("--sort", help="Urut menurut kolom ini.")]
DescOption = Annotated[
    bool, typer.Option("--desc/--asc", help="Urutan menurun (bawaan) atau menaik.")
]
LimitOption = Annotated[int | None, typer.Option(min=1, help="Paling banyak sekian baris.")]
OffsetOption = Annotated[int, typer.Option(min=0, help="Lewati sekian baris pertama.")]


def request_filter(
    status: str | None = None,
    opd: str | None = None,
    q: str | None = None,
    nomor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    overdue: bool = False,
    sort: SortKey = SortKey.received_at,
    descending: bool = True,
    limit: int | None = None,
    offset: int = 0,
) -> RequestFilter:
    from pipeline.service.queries.listing import RequestFilter

    return RequestFilter(
        status=status,
        opd=opd,
        q=q,
        nomor=nomor,
        since=since.date() if since else None,
        until=until.date() if until else None,
        overdue=overdue,
        sort=sort.value,
        descending=descending,
        limit=limit,
        offset=offset,
    )


@app.command("list")
def list_(
    ctx: typer.Context,
    status: StatusOption = None,
    opd: OpdOption = None,
    q: QOption = None,
    nomor: NomorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    overdue: OverdueOption = False,
    sort: SortOption = SortKey.received_at,
    descending: DescOption = True,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
) -> None:
    """Daftar permohonan, terbaru lebih dulu (saring, cari, urutkan, halaman)."""
    from pipeline.service.queries.listing import list_requests

    flt = request_filter(
        status, opd, q, nomor, since, until, overdue, sort, descending, limit, offset
    )
    services = ctx.obj.services(read_only=True)
    try:
        rows = list_requests(services, flt)
    finally:
        services.close()
    if fmt is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt is Format.csv:
        _csv(rows)
    else:
        _table(rows)


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas hasil ekspor.")],
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.xlsx,
    status: StatusOption = None,
    opd: OpdOption = None,
    q: QOption = None,
    nomor: NomorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    overdue: OverdueOption = False,
    sort: SortOption = SortKey.received_at,
    descending: DescOption = True,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
) -> None:
    """Ekspor daftar permohonan (saringan sama dengan `register list`) ke Excel atau CSV."""
    from pipeline.service.queries.export import export_requests

    flt = request_filter(
        status, opd, q, nomor, since, until, overdue, sort, descending, limit, offset
    )
    services = ctx.obj.services(read_only=True)
    try:
        written = export_requests(services, flt, output, fmt.value)
    finally:
        services.close()
    typer.echo(f"{written} permohonan diekspor ke {output}")


@app.command()
def show(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(metavar="ID")],
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
) -> None:
    """Rincian satu permohonan: isian dan asal-usulnya, berkas, dokumen, riwayat."""
    from pipeline.service.queries.listing import show_request

    services = ctx.obj.services(read_only=True)
    try:
        shown = show_request(services, request_id)
    finally:
        services.close()
    if fmt is Format.json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=1))
    else:
        _detail(shown)


ToCheckOption = Annotated[
    bool, typer.Option("--to-check", help="Hanya surat yang berisi nilai yang perlu diperiksa.")
]


@app.command()
def others(ctx: typer.Context, to_check: ToCheckOption = False) -> None:
    """Surat yang bukan permohonan integrasi, untuk diteruskan manual oleh petugas."""
    from pipeline.service.paperwork.rendering import other_letter_header
    from pipeline.service.queries.listing import other_files

    services = ctx.obj.services(read_only=True)
    try:
        rows = [row for row in other_files(services) if row["needs_review"] or not to_check]
    finally:
        services.close()
    if not rows:
        typer.echo(NO_OTHER_TO_CHECK if to_check else NO_OTHER_LETTERS)
        return
    labels = [FIELD_BY_NAME[name].label for name in LETTER_HEADER]
    table = Table("Diterima", "Berkas", *labels, title="Surat lain")
    for row in rows:
        header = [
            f"{value or '—'} {REVIEW_MARK}" if review else value or "—"
            for value, review in other_letter_header(row)
        ]
        table.add_row(*_plain(when(row["received_at"]), row["name"], *header))
    Console().print(table)


def _csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow([*CSV_COLUMNS, *(f.column for f in PERSON_FIELDS)])
    for row in rows:
        values = [";".join(row[c]) if c == "missing" else row[c] for c in CSV_COLUMNS]
        writer.writerow([*values, *(value_in(row, f) for f in PERSON_FIELDS)])


def _table(rows: list[dict[str, Any]]) -> None:
    table = Table(
        "ID",
        "Agenda",
        "Diterima",
        "OPD",
        "Nomor surat",
        "Subdomain",
        "Status",
        "Kurang",
        title=f"Register permohonan ({len(rows)})",
    )
    for row in rows:
        table.add_row(
            *_plain(
                str(row["id"]),
                row["nomor_agenda"],
                when(row["received_at"]),
                row["opd"] or "—",
                row["nomor_surat"] or "—",
                row["subdomain"] or "—",
                status_text(row["status"]),
                ", ".join(missing_label(code) for code in row["missing"]) or "—",
            )
        )
    Console().print(table)


def _detail(shown: dict[str, Any]) -> None:
    """A request as the web page shows it: fields in words with where each was read."""
    from pipeline.service.paperwork.rendering import TITLES, shown_value

    console = Console()
    review = set(shown["needs_review"])
    table = Table(
        "Isian",
        "Nilai",
        "Asal",
        title=f"Permohonan #{shown['id']} — "
        f"agenda {shown['nomor_agenda']} — {status_text(shown['status'])}",
    )
    for field in FIELDS:
        value = shown_value(field, value_in(shown, field))
        prov = shown["provenance"].get(field.name)
        flag = f" {REVIEW_MARK}" if field.name in review else ""
        table.add_row(*_plain(field.label, f"{value or '—'}{flag}", _origin(prov)))
    console.print(table)
    missing = "; ".join(missing_text(code) for code in shown["missing"]) or "—"
    due = f"{when(shown['due_at'])} WIB" if shown["due_at"] else "—"
    console.print(f"Kurang: {missing}   Tenggat: {due}", markup=False)
    for problem in shown["problems"]:
        console.print(f"  ! {problem}", markup=False)
    files = "; ".join(f"{f['name']} ({file_kind(f['kind'])})" for f in shown["files"])
    console.print(f"Berkas: {files}", markup=False)
    for file in shown["files"]:
        if "ringkasan" in file:
            console.print(f"  ✎ {file['name']}: {file['ringkasan']}", markup=False)
    for doc in shown["documents"]:
        pdf = " (+ PDF)" if doc.get("pdf_path") else ""
        title = TITLES.get(doc["kind"], doc["kind"])
        console.print(f"Dokumen: {title} {doc['doc_id']} → {doc['path']}{pdf}", markup=False)
        if doc.get("signed_path"):
            console.print(f"  ✎ {doc['signed_path']}: {doc['ringkasan']}", markup=False)
    for event in shown["events"]:
        note = note_text(event["note"]) or ""
        console.print(
            f"  {when(event['at'])} {event['who']}: {event['label']} — {note}", markup=False
        )


def _plain(*cells: str) -> list[Text]:
    """Cells printed as they are: a letter's '[urgent]' or '[/]' is text, not rich markup
    (which would drop the first and fail on the second)."""
    return [Text(cell) for cell in cells]


def _origin(prov: dict[str, Any] | None) -> str:
    """'surat.pdf: dari baris nomor surat, hlm. 1, yakin 99,9 %'."""
    if not prov:
        return ""
    file = f"{prov['file']}: " if prov.get("file") else ""
    return file + source_text(prov)


def run_report(state: Any, month: str, output: Path) -> None:
    """`pipeline report`: build the month's figures, write the workbook, say what is in it."""
    from pipeline.service.queries.report import build_report, month_title, write_report

    services = state.services()
    try:
        report = build_report(services, month)
    finally:
        services.close()
    write_report(report, output)
    share = report.on_time_share
    shown = f"{share:.0%}" if share is not None else "—"
    typer.echo(
        f"Laporan {month_title(report.month)}: {report.received} permohonan diterima, "
        f"{len(report.steps)} langkah selesai, tepat waktu {shown} → {output}"
    )
