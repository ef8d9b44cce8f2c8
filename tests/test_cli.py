"""The command-line contract of docs/architecture.md#command-line, run as a clerk would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.factories import Submission, form_pdf, letter_docx, letter_pdf

CONTRACT_KEYS = {
    "id",
    "nomor_agenda",
    "nomor_permohonan",
    "nomor_surat",
    "tanggal_surat",
    "opd",
    "perihal",
    "subdomain",
    "penanggung_jawab",
    "status",
    "missing",
    "received_at",
    "due_at",
    "files",
    "documents",
}


def pipeline(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(home), *args],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def wide_pipeline(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The same on a terminal wide enough that no table cell wraps."""
    return pipeline(home, *args, env={**os.environ, "COLUMNS": "300"})


def test_extract_json_prints_one_object_per_file(tmp_path: Path):
    letter = letter_docx(tmp_path / "surat.docx", Submission(nomor="555 / 12 - Dinkes / X / 2026"))
    broken = tmp_path / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4 garbage")
    done = pipeline(tmp_path, "extract", "--json", str(letter), str(broken))
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first["ok"] is True and first["kind"] == "letter"
    assert first["fields"]["nomor_surat"] == "555/12-Dinkes/X/2026"
    assert first["fields"]["tanggal_surat"] == "2026-10-05"
    assert first["fields"]["opd"] == "Dinas Kesehatan"
    assert set(first["fields"]["penanggung_jawab"]) == {
        "nama",
        "telepon",
        "email",
        "jabatan",
        "nip",
    }
    assert first["provenance"]["nomor_surat"]["page"] == 1
    assert second["ok"] is False and "rusak" in second["error"] and second["file"] == str(broken)


def test_extract_for_a_clerk_names_fields_and_kinds_in_words(tmp_path: Path):
    letter = letter_docx(tmp_path / "surat.docx", Submission(nomor="555 / 12 - Dinkes / X / 2026"))
    done = pipeline(tmp_path, "extract", str(letter))
    assert done.returncode == 0, done.stderr
    assert "— surat" in done.stdout
    assert "Nomor surat" in done.stdout and "555/12-Dinkes/X/2026" in done.stdout
    assert "5 Oktober 2026" in done.stdout and "Penanggung jawab — telepon" in done.stdout
    for code in ("nomor_surat", "penanggung_jawab.", "letter", "2026-10-05"):
        assert code not in done.stdout


def test_a_value_with_square_brackets_is_printed_as_it_is(tmp_path: Path):
    """Rich reads '[...]' as markup: a subject's '[SEGERA]' vanished and '[/]' crashed."""
    perihal = "Permohonan Integrasi Sistem Informasi [SEGERA] data [/] lama"
    letter = letter_docx(tmp_path / "surat.docx", Submission(perihal=perihal))
    home = tmp_path / "kantor"
    assert pipeline(tmp_path, "init", str(home)).returncode == 0
    assert pipeline(home, "ingest", str(letter)).returncode == 0
    listed = wide_pipeline(home, "register", "list")
    assert listed.returncode == 0, listed.stderr
    shown = wide_pipeline(home, "register", "show", "1")
    assert shown.returncode == 0, shown.stderr
    assert perihal in shown.stdout


def test_init_watch_once_and_list_as_json(tmp_path: Path):
    home = tmp_path / "kantor"
    assert pipeline(tmp_path, "init", str(home)).returncode == 0
    assert (home / "pipeline.toml").is_file() and (home / "inbox").is_dir()
    sub = Submission(
        opd="Dinas Sosial",
        opd_caps="DINAS SOSIAL",
        subdomain="sibansos",
        nomor="460/77-Dinsos/XI/2026",
    )
    letter_pdf(home / "inbox" / "surat dinsos.pdf", sub)
    form_pdf(home / "inbox" / "formulir dinsos.pdf", sub)
    watched = pipeline(home, "watch", "--once")
    assert watched.returncode == 0, watched.stderr
    assert "2 tercatat" in watched.stdout
    assert "[Menunggu Kepala Dinas]" in watched.stdout and "awaiting_kadis" not in watched.stdout
    listed = pipeline(home, "register", "list", "--format", "json")
    [request] = json.loads(listed.stdout)
    assert set(request) >= CONTRACT_KEYS
    assert request["status"] == "awaiting_kadis"
    assert request["opd"] == "Dinas Sosial"
    assert {f["name"] for f in request["files"]} == {"surat dinsos.pdf", "formulir dinsos.pdf"}
    assert Path(request["documents"][0]["path"]).is_file()
    visible = [p.name for p in (home / "inbox").iterdir() if not p.name.startswith(".")]
    assert visible == ["failed"]
    shown = json.loads(
        pipeline(home, "register", "show", str(request["id"]), "--format", "json").stdout
    )
    assert [e["action"] for e in shown["events"]][:2] == ["diterima", "dipasangkan"]
    table = wide_pipeline(home, "register", "show", str(request["id"])).stdout
    # every value in words with the file and page it came from; no codes, no 'None'
    assert "surat dinsos.pdf: dari baris nomor surat, hlm. 1, yakin" in table
    assert "Menunggu Kepala Dinas" in table and "Lembar disposisi Kepala Dinas" in table
    assert "None" not in table and "awaiting_kadis" not in table and "nomor_surat" not in table
    csv_out = pipeline(home, "register", "list", "--format", "csv", "--status", "awaiting_kadis")
    assert "460/77-Dinsos/XI/2026" in csv_out.stdout


def test_show_unknown_request_says_so_in_indonesian(tmp_path: Path):
    pipeline(tmp_path, "init")
    done = pipeline(tmp_path, "register", "show", "999")
    assert done.returncode == 4
    assert "tidak ada di register" in done.stderr


def test_templates_check_passes_for_shipped_templates(tmp_path: Path):
    pipeline(tmp_path, "init")
    done = pipeline(tmp_path, "templates", "check")
    assert done.returncode == 0, done.stdout
    assert "OK" in done.stdout and "lembar-disposisi-kadis.docx" in done.stdout


def test_subfolder_is_one_submission_even_with_two_files_of_one_name(tmp_path: Path):
    home = tmp_path / "kantor"
    pipeline(tmp_path, "init", str(home))
    sub = Submission(
        opd="Dinas Pariwisata",
        opd_caps="DINAS PARIWISATA",
        subdomain="wisata",
        nomor="556/31-Dispar/XI/2026",
    )
    folder = home / "inbox" / "Dispar November"
    (folder / "surat").mkdir(parents=True)
    (folder / "formulir").mkdir()
    letter_pdf(folder / "surat" / "scan.pdf", sub)
    form_pdf(folder / "formulir" / "scan.pdf", sub)
    watched = pipeline(home, "watch", "--once")
    assert "2 tercatat" in watched.stdout
    assert "[Menunggu Kepala Dinas]" in watched.stdout and "awaiting_kadis" not in watched.stdout, (
        watched.stdout
    )
    [request] = json.loads(pipeline(home, "register", "list", "--format", "json").stdout)
    assert request["status"] == "awaiting_kadis"
    assert len(request["files"]) == 2
    assert not folder.exists()


def test_advance_from_the_command_line(tmp_path: Path):
    home = tmp_path / "kantor"
    pipeline(tmp_path, "init", str(home))
    letter_pdf(home / "inbox" / "lengkap.pdf", Submission(), with_form=True)
    pipeline(home, "watch", "--once")
    wrong = pipeline(home, "advance", "1", "complete")
    assert wrong.returncode == 5
    assert "tidak bisa dilakukan pada status 'awaiting_kadis'" in wrong.stderr
    done = pipeline(home, "advance", "1", "accept", "--note", "Lanjutkan", "--by", "Kadis")
    assert done.returncode == 0 and "awaiting_kadis → awaiting_kabid" in done.stdout
    shown = json.loads(pipeline(home, "register", "show", "1", "--format", "json").stdout)
    assert shown["status"] == "awaiting_kabid"
    assert shown["events"][-1]["note"] == "Lanjutkan" and shown["events"][-1]["who"] == "Kadis"


def test_a_structure_file_in_the_submission_folder_joins_the_request(tmp_path: Path):
    home = tmp_path / "kantor"
    pipeline(tmp_path, "init", str(home))
    folder = home / "inbox" / "Dinkes"
    folder.mkdir()
    letter_pdf(folder / "surat.pdf", Submission(), with_form=True)
    (folder / "struktur.csv").write_text(
        "tabel;kolom;tipe;keterangan\npasien;id;int;Nomor pasien\npasien;nama;varchar(120);Nama\n",
        encoding="utf-8",
    )
    watched = pipeline(home, "watch", "--once")
    assert "struktur data, 1 tabel" in watched.stdout, watched.stdout
    [request] = json.loads(pipeline(home, "register", "list", "--format", "json").stdout)
    assert {f["kind"] for f in request["files"]} == {"letter+form", "struktur-data"}


def _template_with_runs(path: Path, *runs: str) -> None:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph()
    for text in runs:
        paragraph.add_run(text)
    document.save(str(path))


def test_templates_check_names_split_tags_and_broken_jinja(tmp_path: Path):
    pipeline(tmp_path, "init")
    folder = tmp_path / "templates"
    _template_with_runs(folder / "lembar-disposisi-kabid.docx", "No: {{ surat.", "nomor }}")
    _template_with_runs(folder / "surat-penolakan.docx", "Alasan: {{ penolakan.alasan ")
    done = pipeline(tmp_path, "templates", "check")
    assert done.returncode == 1
    assert "terpecah" in done.stdout and "{{ surat.nomor }}" in done.stdout
    assert "SALAH surat-penolakan.docx" in done.stdout and "galat" in done.stdout
    assert list((tmp_path / "outbox").rglob("*.docx")) == []
