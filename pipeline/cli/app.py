"""`pipeline` — the console script. Heavy modules are imported inside each command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline import logbook
from pipeline.cli import indonesian, register_cmd, service_cmd, templates_cmd, user_cmd
from pipeline.cli.common import State, fail_with, home_option
from pipeline.errors import ExitCode, PipelineError

app = typer.Typer(
    help="Pencatatan surat permohonan integrasi dan pembuatan dokumen — Diskominfo SP Banten.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(register_cmd.app, name="register")
app.add_typer(templates_cmd.app, name="templates")
app.add_typer(user_cmd.app, name="user")
app.add_typer(service_cmd.app, name="service")


@app.callback()
def main_options(ctx: typer.Context, home: home_option = None) -> None:
    chosen = home or Path(os.environ.get("PIPELINE_HOME", "."))
    ctx.obj = State(home=chosen)
    logbook.configure(chosen)


@app.command()
def init(
    ctx: typer.Context,
    directory: Annotated[
        Path | None, typer.Argument(metavar="FOLDER", help="Folder kerja (bawaan: --home).")
    ] = None,
) -> None:
    """Buat folder kerja: inbox/, outbox/, arsip, pipeline.toml, templat, dan register."""
    from pipeline.service.operations.workspace import init_workspace

    home = directory or ctx.obj.home
    made = init_workspace(home)
    for item in made:
        typer.echo(f"dibuat: {item}")
    typer.echo(f"Folder kerja siap di {home.resolve()}.")


@app.command()
def watch(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="Proses yang ada lalu berhenti.")] = False,
    polling: Annotated[bool, typer.Option("--polling", help="Untuk folder SMB/NFS.")] = False,
    ready_file: Annotated[
        Path | None,
        typer.Option(
            "--ready-file",
            help="Tulis berkas ini setelah pemantauan siap; dihapus lagi saat berhenti.",
        ),
    ] = None,
) -> None:
    """Pantau inbox/ dan catat setiap berkas yang masuk."""
    from pipeline.cli.watch_cmd import run_watch

    run_watch(ctx.obj, once=once, polling=polling, ready_file=ready_file)


@app.command()
def ingest(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(metavar="BERKAS", help="Berkas yang dicatat sekarang.")
    ],
) -> None:
    """Catat berkas ini sekarang, dengan cara yang sama seperti pemantau inbox."""
    from pipeline.cli.watch_cmd import run_ingest

    run_ingest(ctx.obj, files)


@app.command()
def extract(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="BERKAS", help="Berkas yang dibaca.")],
    as_json: Annotated[bool, typer.Option("--json", help="Satu objek JSON per baris.")] = False,
) -> None:
    """Baca berkas dan tampilkan isian pentingnya (register tidak diubah)."""
    from pipeline.cli.extract_cmd import run_extract

    run_extract(ctx.obj, files, as_json=as_json)


@app.command()
def advance(
    ctx: typer.Context,
    request_id: Annotated[int, typer.Argument(metavar="ID", help="ID permohonan.")],
    action: Annotated[
        str,
        typer.Argument(
            metavar="TINDAKAN", help="accept, reject, dispose, submit-analysis, complete"
        ),
    ],
    note: Annotated[str | None, typer.Option("--note", help="Catatan/alasan.")] = None,
    by: Annotated[str | None, typer.Option("--by", help="Nama pejabat yang bertindak.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Lampiran langkah ini.")] = None,
) -> None:
    """Jalankan satu langkah SOP untuk permohonan (dicatat dalam riwayat)."""
    from pipeline.cli.workflow_cmd import run_advance

    run_advance(ctx.obj, request_id, action, note, by, file)


@app.command()
def remind(ctx: typer.Context) -> None:
    """Tampilkan (dan kirim via e-mail bila SMTP diatur) yang jatuh tempo dan terlambat."""
    from pipeline.cli.workflow_cmd import run_remind

    run_remind(ctx.obj)


@app.command()
def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Hasil sebagai JSON.")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="Lewati pemeriksaan SHA-256.")] = False,
) -> None:
    """Periksa arsip terhadap register, dokumen, klaim tertahan, dan program pendukung."""
    from pipeline.cli.ops_cmd import run_doctor

    run_doctor(ctx.obj, as_json=as_json, quick=quick)


@app.command()
def backup(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder cadangan (baru/kosong).")
    ],
) -> None:
    """Cadangkan register, arsip, dokumen, pipeline.toml dan templat (aman saat watch jalan)."""
    from pipeline.cli.ops_cmd import run_backup

    run_backup(ctx.obj, folder)


@app.command()
def restore(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Folder cadangan.")],
    force: Annotated[bool, typer.Option("--force", help="Timpa register yang berisi.")] = False,
) -> None:
    """Pulihkan cadangan ke folder kerja ini (diperiksa dulu terhadap manifest-nya)."""
    from pipeline.cli.ops_cmd import run_restore

    run_restore(ctx.obj, folder, force=force)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Perbarui register buatan versi lama ke versi program ini (SQLite disalin dulu)."""
    from pipeline.cli.upgrade_cmd import run_upgrade

    run_upgrade(ctx.obj)


@app.command()
def verify(
    ctx: typer.Context,
    file_or_token: Annotated[str, typer.Argument(metavar="BERKAS|TOKEN")],
) -> None:
    """Dokumen apa ini, untuk permohonan mana, diterbitkan kapan; pada PDF bertanda tangan
    elektronik juga: utuh atau tidak, siapa, kapan, dan rantai sertifikatnya."""
    from pipeline.cli.sign_cmd import run_verify

    run_verify(ctx.obj, file_or_token)


@app.command()
def sign(
    ctx: typer.Context,
    document: Annotated[str, typer.Argument(metavar="DOKUMEN", help="ID, kode, atau berkasnya.")],
    p12: Annotated[Path, typer.Option("--p12", help="Sertifikat penanda tangan (.p12/.pfx).")],
    passphrase_stdin: Annotated[
        bool, typer.Option("--passphrase-stdin", help="Baca kata sandi dari stdin.")
    ] = False,
) -> None:
    """Tanda tangani dokumen secara elektronik (PAdES) dengan sertifikat pejabat."""
    from pipeline.cli.sign_cmd import run_sign

    run_sign(ctx.obj, document, p12, passphrase_stdin)


@app.command()
def report(
    ctx: typer.Context,
    month: Annotated[str, typer.Option("--month", help="Bulan laporan, TTTT-BB.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Berkas .xlsx hasilnya.")],
) -> None:
    """Laporan bulanan ke Excel: per OPD dan status, waktu per langkah SOP, tepat waktu."""
    from pipeline.cli.register_cmd import run_report

    run_report(ctx.obj, month, output)


@app.command("void-number")
def void_number(
    ctx: typer.Context,
    number: Annotated[
        str, typer.Argument(metavar="NOMOR", help="Nomor surat keluar yang dibatalkan.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Alasan pembatalan.")],
    by: Annotated[str, typer.Option("--by", help="Nama petugas.")] = "petugas",
) -> None:
    """Batalkan nomor surat keluar yang sudah terbit (dicatat; tidak pernah dipakai lagi)."""
    from pipeline.service.steps.outgoing import void_outgoing

    services = ctx.obj.services()
    try:
        void_outgoing(services, number, reason, by)
    finally:
        services.close()
    typer.echo(f"Nomor {number} dibatalkan: {reason}")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Alamat yang didengarkan.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Nomor port.")] = 8000,
    certfile: Annotated[
        Path | None,
        typer.Option("--certfile", help="Sertifikat HTTPS (PEM): halaman dilayani lewat HTTPS."),
    ] = None,
    keyfile: Annotated[
        Path | None,
        typer.Option("--keyfile", help="Kunci privat sertifikat HTTPS (PEM, tanpa kata sandi)."),
    ] = None,
    proxy: Annotated[
        str | None,
        typer.Option(
            "--proxy",
            help="Alamat reverse proxy HTTPS di depan halaman ini (mis. 127.0.0.1): header "
            "X-Forwarded-* darinya dipercaya dan cookie sesi hanya dikirim lewat HTTPS.",
        ),
    ] = None,
) -> None:
    """Jalankan halaman web register (bawaan hanya untuk komputer ini: 127.0.0.1)."""
    from pipeline.cli.serve_cmd import run_serve

    run_serve(ctx.obj, host, port, certfile=certfile, keyfile=keyfile, proxy=proxy)


def main() -> None:
    try:
        command = typer.main.get_command(app)
        indonesian.install(command)
        command()
    except PipelineError as exc:
        fail_with(exc)
    except KeyboardInterrupt:
        sys.exit(ExitCode.SOME_FILES_FAILED)
    except Exception as exc:  # a bug: its traceback goes to the log, one line to the screen
        print(f"Galat: {logbook.unexpected('cli', 'Perintah gagal', exc)}", file=sys.stderr)
        sys.exit(ExitCode.INTERNAL)
