"""`pipeline register list|show|others`: what the register holds."""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Lihat isi register permohonan.", no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


CSV_COLUMNS = (
    "id",
    "nomor_agenda",
    "nomor_permohonan",
    "nomor_surat",
    "tanggal_surat",
    "opd",
    "perihal",
    "subdomain",
    "status",
    "missing",
    "received_at",
    "due_at",
)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(help="Saring menurut status.")] = None,
    opd: Annotated[str | None, typer.Option(help="Saring menurut nama OPD (sebagian).")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Cari teks bebas.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Hanya yang terlambat.")] = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
) -> None:
    """Daftar permohonan."""
    from pipeline.service.queries import RequestFilter, list_requests

    services = ctx.obj.services()
    try:
        rows = list_requests(services, RequestFilter(status=status, opd=opd, q=q, overdue=overdue))
    finally:
        services.close()
    if fmt is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt is Format.csv:
        _csv(rows)
    else:
        _table(rows)


@app.command()
def show(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(metavar="ID")],
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
) -> None:
    """Rincian satu permohonan: isian dan asal-usulnya, berkas, dokumen, riwayat."""
    from pipeline.service.queries import show_request

    services = ctx.obj.services()
    try:
        shown = show_request(services, request_id)
    finally:
        services.close()
    if fmt is Format.json:
        typer.echo(json.dumps(shown, ensure_ascii=False, indent=1))
    else:
        _detail(shown)


@app.command()
def others(ctx: typer.Context) -> None:
    """Surat yang bukan permohonan integrasi, untuk diteruskan manual oleh petugas."""
    from pipeline.service.queries import other_files

    services = ctx.obj.services()
    try:
        rows = other_files(services)
    finally:
        services.close()
    table = Table("Diterima", "Berkas", "Nomor surat", "OPD", title="Surat lain")
    for row in rows:
        table.add_row(
            row["received_at"][:16], row["name"], row["nomor_surat"] or "—", row["opd"] or "—"
        )
    Console().print(table)


def _csv(rows: list[dict[str, Any]]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow([*CSV_COLUMNS, "pj_nama", "pj_telepon", "pj_email", "pj_jabatan"])
    for row in rows:
        values = [";".join(row[c]) if c == "missing" else row[c] for c in CSV_COLUMNS]
        person = row["penanggung_jawab"]
        writer.writerow(
            [*values, person["nama"], person["telepon"], person["email"], person["jabatan"]]
        )


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
            str(row["id"]),
            row["nomor_agenda"],
            row["received_at"][:16],
            row["opd"] or "—",
            row["nomor_surat"] or "—",
            row["subdomain"] or "—",
            row["status"],
            ", ".join(row["missing"]) or "—",
        )
    Console().print(table)


def _detail(shown: dict[str, Any]) -> None:
    console = Console()
    review = set(shown["needs_review"])
    table = Table(
        "Isian",
        "Nilai",
        "Asal",
        title=f"Permohonan #{shown['id']} — "
        f"agenda {shown['nomor_agenda']} — status {shown['status']}",
    )
    person = shown["penanggung_jawab"]
    fields = {
        k: shown[k]
        for k in ("nomor_surat", "tanggal_surat", "opd", "perihal", "subdomain", "nomor_permohonan")
    }
    fields.update({f"penanggung_jawab.{k}": v for k, v in person.items()})
    for name, value in fields.items():
        prov = shown["provenance"].get(name, {})
        origin = (
            f"{prov.get('file', '')} hlm {prov.get('page')} ({prov.get('rule')}, "
            f"{prov.get('confidence')})"
            if prov
            else ""
        )
        flag = " ⚠ perlu diperiksa" if name in review else ""
        table.add_row(name, f"{value or '—'}{flag}", origin)
    console.print(table)
    console.print(
        f"Kurang: {', '.join(shown['missing']) or '—'}   Tenggat: {shown['due_at'] or '—'}"
    )
    for problem in shown["problems"]:
        console.print(f"  ! {problem}")
    console.print("Berkas: " + "; ".join(f"{f['name']} ({f['kind']})" for f in shown["files"]))
    for file in shown["files"]:
        if "ringkasan" in file:
            console.print(f"  ✎ {file['name']}: {file['ringkasan']}", markup=False)
    for doc in shown["documents"]:
        pdf = " (+ PDF)" if doc.get("pdf_path") else ""
        console.print(f"Dokumen: {doc['kind']} {doc['doc_id']} → {doc['path']}{pdf}", markup=False)
        if doc.get("signed_path"):
            console.print(f"  ✎ {doc['signed_path']}: {doc['ringkasan']}", markup=False)
    for event in shown["events"]:
        console.print(
            f"  {event['at'][:19]} {event['who']}: {event['action']} — {event['note'] or ''}"
        )
