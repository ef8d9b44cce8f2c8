"""`pipeline sign` and `pipeline verify`: electronic signatures and the register's documents."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from pipeline.cli.common import State
from pipeline.errors import ExitCode
from pipeline.service.display import action_label, wib_text


def run_sign(state: State, reference: str, p12: Path, passphrase_stdin: bool) -> None:
    from pipeline.service.paperwork.sign import sign_document

    if passphrase_stdin:
        passphrase = sys.stdin.readline().rstrip("\r\n")
    else:
        passphrase = typer.prompt(f"Kata sandi {p12.name}", hide_input=True, default="")
    services = state.services()
    try:
        signed = sign_document(services, reference, p12, passphrase.encode() or None)
    finally:
        services.close()
    official = signed.official
    nip = f", NIP {official.nip}" if official.nip else ""
    typer.echo(f"✓ {signed.kind} {signed.doc_id} ditandatangani oleh {official.nama}{nip}.")
    typer.echo(f"  berkas: {signed.signed_path}")
    if signed.advanced:
        typer.echo(
            f"  langkah selesai, {action_label(signed.advanced.action)}: permohonan "
            f"#{signed.request_id} {signed.advanced.from_status} → {signed.advanced.to_status}"
        )


def run_verify(state: State, file_or_token: str) -> None:
    from pipeline.service.paperwork.verify import has_signature, verify, verify_file

    services = state.services()
    try:
        path = Path(file_or_token)
        if path.is_file() and has_signature(path):
            checked = verify_file(services, path)
            found = checked.document
        else:
            checked, found = None, verify(services, file_or_token)
    finally:
        services.close()
    if found is not None:
        _print_document(found)
    elif checked is not None:
        typer.echo("• Bukan dokumen yang diterbitkan register ini (tidak ada kode verifikasinya).")
    if checked is None:
        return
    for number, facts in enumerate(checked.signatures, 1):
        when = wib_text(facts.signed_at)
        mark = "✗" if not facts.intact else "✓" if facts.trusted and facts.whole_document else "!"
        typer.echo(f"{mark} Tanda tangan {number}: {facts.summary}")
        typer.echo(
            f"  penanda tangan : {facts.nama}" + (f" (NIP {facts.nip})" if facts.nip else "")
        )
        if facts.jabatan:
            typer.echo(f"  jabatan        : {facts.jabatan}")
        stamp = " (cap waktu server)" if facts.timestamped else ""
        typer.echo(f"  waktu          : {when} WIB{stamp}")
        typer.echo(f"  penerbit       : {facts.penerbit}")
    if not checked.all_intact:
        raise typer.Exit(int(ExitCode.SOME_FILES_FAILED))


def _print_document(found: object) -> None:
    from pipeline.service.paperwork.verify import Verified

    assert isinstance(found, Verified)
    issued = wib_text(found.issued_at)
    typer.echo(f"✓ Dokumen terdaftar: {found.kind} {found.doc_id}")
    if found.number:
        typer.echo(f"  nomor surat keluar : {found.number}")
    typer.echo(
        f"  untuk permohonan   : #{found.request_id} (agenda {found.nomor_agenda}) "
        f"{found.opd or '-'} — {found.perihal or '-'}"
    )
    typer.echo(f"  diterbitkan        : {issued} WIB")
