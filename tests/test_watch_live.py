"""Acceptance: a real `pipeline watch` process takes 200 files dropped into inbox/ while it runs.

The letters and forms are generated here (reportlab, python-docx) in the plain layout of the
office's samples, each submission with its own nomor surat and subdomain, so the test depends
on nothing outside the repository. The files arrive the ways they do on a shared folder: in one
go, slowly in chunks, under a temporary name and then renamed, broken, twice with the same bytes,
and as a subfolder holding one submission.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.live_drops import (
    DRAIN_TIMEOUT,
    ERROR_NOTE,
    STOP_TIMEOUT,
    Plan,
    build_plan,
    drop_all,
)
from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.watcher import LiveWatcher, wait_drained, watching

pytestmark = pytest.mark.slow

SETTINGS = {
    "PEMANTAU__STABIL_DETIK": "1.0",
    "KONVERSI__PDF": "false",  # PDF copies are tested in test_signing.py
}


def run_cli(home: Path, *args: str) -> str:
    done = run_pipeline(home, *args, settings=SETTINGS, timeout=60)
    assert done.returncode == 0, f"pipeline {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    home = tmp_path / "ws"
    run_cli(home, "init", str(home))
    return home


@pytest.fixture
def watcher(workspace: Path, tmp_path: Path) -> Iterator[LiveWatcher]:
    env = pipeline_env(workspace, SETTINGS)
    with watching(workspace, tmp_path / "watch.log", env, timeout=30) as running:
        yield running


def read_log(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")


def note_of(parked: Path) -> Path:
    return parked.with_name(parked.name + ERROR_NOTE)


# --------------------------------------------------------------------------- reading the outcome


@dataclass
class Registered:
    request_id: int | None
    kind: str
    submission: str | None


@dataclass
class Outcome:
    requests: list[dict[str, Any]]  # `pipeline register list --format json`
    files: dict[str, Registered]  # by original name, from the register DB
    duplicate_notes: list[str]
    failed: dict[str, str]  # name in failed/ → its error note

    def request_of(self, name: str) -> dict[str, Any]:
        request_id = self.files[name].request_id
        found = [r for r in self.requests if r["id"] == request_id]
        assert len(found) == 1, f"{name} is not part of exactly one request"
        return found[0]


def read_outcome(home: Path) -> Outcome:
    requests = json.loads(run_cli(home, "register", "list", "--format", "json"))
    files: dict[str, Registered] = {}
    with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT original_name, request_id, kind, submission FROM files")
        for name, request_id, kind, submission in rows:
            assert name not in files, f"{name} registered twice"
            files[name] = Registered(request_id, kind, submission)
        notes = [n for (n,) in db.execute("SELECT note FROM events WHERE action = 'duplikat'")]
    failed_dir = home / "inbox" / "failed"
    failed = {
        p.name: note_of(p).read_text(encoding="utf-8")
        for p in failed_dir.iterdir()
        if not p.name.endswith(ERROR_NOTE)
    }
    return Outcome(requests, files, notes, failed)


# --------------------------------------------------------------------------- the test


def test_watcher_takes_200_files_dropped_while_it_runs(
    workspace: Path, watcher: LiveWatcher, tmp_path: Path
) -> None:
    plan = build_plan()
    assert len(plan.drops) == 200
    distinct = {d.data for d in plan.drops if d.data}
    assert len(distinct) == 200 - 3, "only the twins and the two empty files share bytes"
    inbox, staging, log = workspace / "inbox", tmp_path / "staging", tmp_path / "watch.log"
    staging.mkdir()

    drop_all(inbox, staging, plan)
    wait_drained(inbox, [watcher], DRAIN_TIMEOUT)
    outcome = read_outcome(workspace)

    check_every_file_accounted_for(plan, outcome)
    check_twins(plan, outcome, read_log(log))
    check_requests_unique(plan, outcome)
    check_pairs(plan, outcome)
    check_singles(plan, outcome)
    check_lone_letters(plan, outcome)
    check_disposition_sheets(outcome)
    check_stops_cleanly(watcher.process)
    check_log(plan, read_log(log))


def check_every_file_accounted_for(plan: Plan, outcome: Outcome) -> None:
    strangers = set(outcome.failed) - {d.name for d in plan.drops}
    assert not strangers, f"unexpected files in failed/: {sorted(strangers)}"
    for drop in plan.drops:
        if drop.expect == "failed":
            assert drop.name in outcome.failed, f"{drop.name} should be in failed/"
            assert outcome.failed[drop.name].strip(), f"{drop.name}{ERROR_NOTE} is empty"
            assert drop.name not in outcome.files
            continue
        assert drop.name not in outcome.failed, (
            f"{drop.name} failed: {outcome.failed.get(drop.name, '')}"
        )
        if drop.expect == "twin":
            continue
        assert drop.name in outcome.files, f"{drop.name} is not in the register"
        row = outcome.files[drop.name]
        is_other = drop.expect == "other"
        assert (row.kind == "other") == is_other, (drop.name, row.kind)
        assert (row.request_id is None) == is_other, (drop.name, row.request_id)


def registered_twin(plan: Plan, outcome: Outcome) -> str:
    """Whichever of the two identical files the watcher happened to take first."""
    kept = [name for name in plan.twins if name in outcome.files]
    assert len(kept) == 1, f"identical files registered: {kept}"
    return kept[0]


def check_twins(plan: Plan, outcome: Outcome, log: str) -> None:
    kept = registered_twin(plan, outcome)
    copy = next(name for name in plan.twins if name != kept)
    assert any(f"'{copy}'" in note for note in outcome.duplicate_notes), outcome.duplicate_notes
    assert f"= {copy}: duplikat" in log


def check_requests_unique(plan: Plan, outcome: Outcome) -> None:
    ids = [r["id"] for r in outcome.requests]
    assert len(ids) == len(set(ids)), "a request is listed twice"
    agenda = [r["nomor_agenda"] for r in outcome.requests]
    assert len(agenda) == len(set(agenda)), "a nomor agenda is used twice"
    keys = [(r["nomor_surat"], r["opd"]) for r in outcome.requests if r["nomor_surat"]]
    assert len(keys) == len(set(keys)), "one letter became two requests"
    expected = len(plan.pairs) + 1 + len(plan.singles) + len(plan.lone_letters) + 1
    assert len(outcome.requests) == expected


def check_pairs(plan: Plan, outcome: Outcome) -> None:
    folder, *in_folder = plan.folder
    for letter, form in [*plan.pairs, (in_folder[0], in_folder[1])]:
        request = outcome.request_of(letter)
        names = sorted(f["name"] for f in request["files"])
        assert names == sorted([letter, form]), f"{letter} and {form} not paired: {names}"
        assert request["status"] == "awaiting_kadis", (letter, request["missing"])
    assert {outcome.files[name].submission for name in in_folder} == {folder}


def check_singles(plan: Plan, outcome: Outcome) -> None:
    for name in plan.singles:
        request = outcome.request_of(name)
        assert [f["name"] for f in request["files"]] == [name]
        assert request["status"] == "awaiting_kadis", (name, request["missing"])


def check_lone_letters(plan: Plan, outcome: Outcome) -> None:
    for name in [*plan.lone_letters, registered_twin(plan, outcome)]:
        request = outcome.request_of(name)
        assert request["status"] == "incomplete", name
        assert "formulir_pengajuan" in request["missing"], (name, request["missing"])
        assert [f["name"] for f in request["files"]] == [name]


def check_disposition_sheets(outcome: Outcome) -> None:
    for request in outcome.requests:
        if request["status"] == "incomplete":
            continue
        sheets = [d for d in request["documents"] if d["kind"] == "lembar-disposisi-kadis"]
        assert len(sheets) == 1, (request["nomor_agenda"], request["documents"])
        assert Path(sheets[0]["path"]).is_file(), sheets[0]["path"]


def check_stops_cleanly(process: subprocess.Popen[bytes]) -> None:
    assert process.poll() is None, "the watcher stopped on its own"
    process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"watcher did not stop within {STOP_TIMEOUT:.0f} s of SIGTERM")
    assert code == 0


def check_log(plan: Plan, log: str) -> None:
    """No crash trace, and the closing summary counts every file exactly once."""
    assert "Traceback" not in log, log[-3000:]
    registered = len(plan.drops) - plan.count("other") - plan.count("failed") - 1
    summary = (
        f"Selesai: {registered} tercatat, 1 duplikat, {plan.count('other')} surat lain, "
        f"{plan.count('failed')} gagal."
    )
    assert summary in log, log[-1000:]
