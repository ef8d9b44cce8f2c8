"""Acceptance: hostile contents dropped into a real running watcher (`hostile_files.py`).

Every file ends registered, or in inbox/failed/ with an Indonesian note naming the cause and,
for a resource limit, the setting to raise; nothing is lost or registered twice; the watcher
stays alive and stops cleanly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.hostile import run_hostile_detail

pytestmark = pytest.mark.slow


def test_hostile_files_fail_with_reasons_and_nothing_is_lost(tmp_path: Path):
    run = run_hostile_detail(tmp_path)

    assert run.alive, run.log[-3000:]
    assert run.exit_code == 0, "the watcher did not stop cleanly on SIGTERM"
    assert "Traceback" not in run.log, run.log[-3000:]
    assert run.row["lost"] == 0 and run.row["duplicated"] == 0, run.row
    assert run.row["dropped"] == len(run.plan) == 15
    for item in run.plan:
        if item.expect == "failed":
            assert item.name in run.notes, f"{item.name} is not in failed/: {run.row}"
            assert item.words in run.notes[item.name], (item.name, run.notes[item.name])
        else:
            assert item.name in run.problems, f"{item.name} failed: {run.notes.get(item.name)}"
            assert item.words in " ".join(run.problems[item.name]), run.problems[item.name]
    assert run.row["registered"] == 2 and run.row["failed_with_reason"] == 13
