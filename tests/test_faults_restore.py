"""Issue 15, fault 9: a `pipeline restore` killed half-way.

The restore runs as a real `pipeline` process that is killed with SIGKILL at a chosen step (a
tiny launcher replaces one function of the restore module by `kill -9` on itself, then starts
the ordinary command line). Afterwards `pipeline doctor` must say the workspace is not
healthy and why, a plain retry must finish the restore, and the restored register must hold
every file of the backup once, at paths inside the restored workspace.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from pipeline.errors import ConflictError
from pipeline.service.operations import restore
from pipeline.service.operations.backup import MANIFEST
from tests.fault_kit import FAST, drop, init_workspace, request_pdf
from tests.live_process import pipeline_env, run_pipeline

LETTERS = 3
PATHS = "Jalur di register"

# Starts the ordinary command line with one restore step replaced by SIGKILL on the process:
# argv[1] is "function:call[:after]" — kill on that call of the function (after running it
# when ":after" is given; inside the path rewrite that is before its transaction commits).
LAUNCHER = """
import os, signal, sys
import pipeline.service.operations.restore as restore
name, nth, *after = sys.argv[1].split(":")
real, calls = getattr(restore, name), []
def killed(*args, **kwargs):
    calls.append(1)
    if len(calls) < int(nth):
        return real(*args, **kwargs)
    if after:
        real(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)
setattr(restore, name, killed)
sys.argv = ["pipeline", *sys.argv[2:]]
from pipeline.cli.app import main
main()
"""


@dataclass(frozen=True)
class Source:
    home: Path
    backup: Path
    files: int
    documents: int


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Source:
    """A workspace with registered requests (archive files and documents) and its backup."""
    folder = tmp_path_factory.mktemp("sumber")
    home, backup = folder / "ws", folder / "cadangan"
    init_workspace(home, FAST)
    for index in range(LETTERS):
        drop(home, f"permohonan-{index}.pdf", request_pdf(index))
    done = run_pipeline(home, "watch", "--once", settings=FAST, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    made = run_pipeline(home, "backup", str(backup), settings=FAST)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    documents = manifest["jumlah"]["dokumen"]
    assert manifest["jumlah"]["arsip"] == LETTERS and documents >= LETTERS
    print(f"\nbackup: {LETTERS} archive files, {documents} documents")
    return Source(home, backup, LETTERS, documents)


def killed_restore(target: Path, backup: Path, step: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", LAUNCHER, step, "--home", str(target), "restore"]
    return subprocess.run(
        [*command, str(backup)],
        env=pipeline_env(target, FAST),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def doctor(home: Path) -> tuple[bool, dict[str, dict[str, object]]]:
    done = run_pipeline(home, "doctor", "--json", "--quick", settings=FAST)
    report = json.loads(done.stdout)
    assert report["sehat"] is (done.returncode == 0)
    return report["sehat"], {c["check"]: c for c in report["pemeriksaan"]}


def register_paths(home: Path) -> list[str]:
    """Every path the register stores (archive files, documents, their PDF copies)."""
    if not (home / "register.db").is_file():
        return []
    with sqlite3.connect(home / "register.db") as connection:
        rows = connection.execute(restore.PATH_ROWS).fetchall()
    return [str(row[3]) for row in rows]


def register_names(home: Path) -> list[str]:
    with sqlite3.connect(home / "register.db") as connection:
        return [r[0] for r in connection.execute("SELECT original_name FROM files ORDER BY id")]


def assert_finished(target: Path, source: Source) -> None:
    """Each file of the backup once, every path inside the target, doctor clean."""
    healthy, checks = doctor(target)
    assert healthy, {k: v for k, v in checks.items() if v["status"] != "ok"}
    assert checks[PATHS]["status"] == "ok"
    assert sorted(register_names(target)) == sorted(register_names(source.home))
    paths = register_paths(target)
    assert len(paths) >= source.files + source.documents
    assert all(Path(p).is_relative_to(target.resolve()) and Path(p).is_file() for p in paths)
    assert not (target / restore.MARK).exists()
    assert not list(target.glob("register.db.pulih*"))


STEPS = {
    "copying the archive": "copy_hashed:2",
    "rewriting the paths": "relocate:1:after",
    "after the register was replaced": "_remove_sqlite_file:2",
}


@pytest.mark.parametrize("where", list(STEPS))
def test_a_restore_killed_half_way_is_reported_and_finished_by_a_retry(
    where: str, source: Source, tmp_path: Path
) -> None:
    target = tmp_path / "pulih"
    killed = killed_restore(target, source.backup, STEPS[where])
    assert killed.returncode == -9, killed.stdout + killed.stderr

    assert not [p for p in register_paths(target) if str(source.home) in p]
    healthy, checks = doctor(target)
    assert not healthy
    finding = checks[PATHS]
    assert finding["status"] == "masalah"
    assert f"pipeline restore {source.backup.resolve()}" in str(finding["detail"])

    retry = run_pipeline(target, "restore", str(source.backup), settings=FAST)
    assert retry.returncode == 0, retry.stderr
    assert "terputus; sekarang diselesaikan" in retry.stdout
    assert f"{source.files} berkas di register" in retry.stdout
    assert_finished(target, source)


def test_a_register_left_at_the_source_paths_is_flagged_and_a_retry_finishes_it(
    source: Source, tmp_path: Path
) -> None:
    """What an older `pipeline restore` killed between copying the register and rewriting its
    paths left behind: the backup's files and register in place, paths at the source."""
    target = tmp_path / "pulih"
    shutil.copytree(source.backup, target, ignore=shutil.ignore_patterns(MANIFEST))
    for folder in ("inbox/failed", "archive", "outbox"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    assert all(str(source.home.resolve()) in p for p in register_paths(target))

    healthy, checks = doctor(target)
    assert not healthy
    finding = checks[PATHS]
    assert finding["status"] == "masalah"
    assert "di luar folder kerja" in str(finding["detail"])
    items = [str(item) for item in finding["items"]]  # type: ignore[attr-defined]
    assert any(item.startswith("berkas #1 ") for item in items)
    assert all("Traceback" not in item and "Error" not in item for item in items)

    retry = run_pipeline(target, "restore", str(source.backup), settings=FAST)
    assert retry.returncode == 0, retry.stderr
    assert_finished(target, source)


def test_a_document_moved_outside_the_workspace_is_flagged(source: Source, tmp_path: Path) -> None:
    target = tmp_path / "pulih"
    assert run_pipeline(target, "restore", str(source.backup), settings=FAST).returncode == 0
    elsewhere = tmp_path / "lain" / "surat.docx"
    with sqlite3.connect(target / "register.db") as connection:
        connection.execute("UPDATE documents SET path = ? WHERE id = 1", (str(elsewhere),))
    healthy, checks = doctor(target)
    assert not healthy
    assert checks[PATHS]["items"] == [f"dokumen #1 {_doc_id(target)}: {elsewhere}"]


def test_another_backup_is_refused_with_a_hint_while_a_restore_is_unfinished(
    source: Source, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in FAST.items():
        monkeypatch.setenv(f"PIPELINE_{name}", value)
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    target = tmp_path / "pulih"
    killed = killed_restore(target, source.backup, STEPS["rewriting the paths"])
    assert killed.returncode == -9
    other = tmp_path / "cadangan-lain"
    shutil.copytree(source.backup, other)
    manifest = json.loads((other / MANIFEST).read_text(encoding="utf-8"))
    (other / MANIFEST).write_text(json.dumps({**manifest, "dibuat": "lain"}), encoding="utf-8")

    with pytest.raises(ConflictError) as refused:
        restore.restore_backup(target, other)
    message = refused.value.for_humans()
    assert f"pipeline restore {source.backup.resolve()}" in message and "--force" in message
    restore.restore_backup(target, other, force=True)
    assert_finished(target, source)


def _doc_id(home: Path) -> str:
    with sqlite3.connect(home / "register.db") as connection:
        return str(connection.execute("SELECT doc_id FROM documents WHERE id = 1").fetchone()[0])


def test_the_launcher_kills_only_where_it_is_told(source: Source, tmp_path: Path) -> None:
    """The kill is the injected step's doing: a step the restore never reaches changes
    nothing."""
    target = tmp_path / "pulih"
    done = killed_restore(target, source.backup, "copy_hashed:100000")
    assert done.returncode == 0, done.stderr
    assert_finished(target, source)


@pytest.mark.postgres
def test_a_postgresql_restore_killed_before_its_paths_were_moved_is_finished_by_a_retry(
    pg_url: str, pg_server: str, tmp_path: Path
) -> None:
    """On PostgreSQL `pg_restore` and the path rewrite are two steps: killed between them the
    register points at the source until the retry the mark allows without --force."""
    home, backup, target = tmp_path / "ws", tmp_path / "cadangan", tmp_path / "pulih"
    source_settings = {**FAST, "DB_URL": pg_url}
    init_workspace(home, source_settings)
    for index in range(2):
        drop(home, f"permohonan-{index}.pdf", request_pdf(70 + index))
    assert run_pipeline(home, "watch", "--once", settings=source_settings).returncode == 0
    assert run_pipeline(home, "backup", str(backup), settings=source_settings).returncode == 0
    target_url = _new_database(pg_server, pg_url)
    settings = {**FAST, "DB_URL": target_url}
    try:
        command = [sys.executable, "-c", LAUNCHER, "relocate:1:after", "--home", str(target)]
        killed = subprocess.run(
            [*command, "restore", str(backup)],
            env=pipeline_env(target, settings),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert killed.returncode == -9, killed.stderr
        done = run_pipeline(target, "doctor", "--json", "--quick", settings=settings)
        checks = {c["check"]: c for c in json.loads(done.stdout)["pemeriksaan"]}
        assert done.returncode != 0 and checks[PATHS]["status"] == "masalah"
        assert len(checks[PATHS]["items"]) >= 2  # the files still at the source's archive

        retry = run_pipeline(target, "restore", str(backup), settings=settings)
        assert retry.returncode == 0, retry.stderr
        assert "terputus; sekarang diselesaikan" in retry.stdout
        done = run_pipeline(target, "doctor", "--json", "--quick", settings=settings)
        checks = {c["check"]: c for c in json.loads(done.stdout)["pemeriksaan"]}
        assert checks[PATHS]["status"] == "ok" and checks["Arsip: berkas hilang"]["status"] == "ok"
        assert not (target / restore.MARK).exists()
    finally:
        _drop_database(pg_server, target_url)


def _new_database(pg_server: str, like: str) -> str:
    name = like.rsplit("/", 1)[1] + "_pulih"
    with psycopg.connect(pg_server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return like.rsplit("/", 1)[0] + "/" + name


def _drop_database(pg_server: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(pg_server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
