"""Nothing lost, nothing twice: real `pipeline watch` processes killed, flooded, run side by
side on one PostgreSQL register, fed through a Samba share and given hostile names.

Reduced versions of `python -m tests.reliability.report` (RELIABILITY.md at full size).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.reliability.burst import run_burst
from tests.reliability.crash import run_crash
from tests.reliability.kit import Audit, Row
from tests.reliability.names import REFUSED, run_names
from tests.reliability.samba import SambaUnavailable, run_samba
from tests.reliability.workers import run_workers

pytestmark = pytest.mark.slow

SIGTERM_PROMPT_SECONDS = 15.0
RSS_LIMIT_MB = 250.0


def assert_nothing_lost_or_twice(row: Row) -> Audit:
    audit = row.audit
    assert audit is not None
    assert audit.lost == [], f"files neither registered nor parked: {audit.lost[:5]}"
    assert audit.duplicated == 0, "a file was registered twice or noted as a false duplicate"
    assert audit.archive_mismatches == 0, "an archived original differs from what was dropped"
    assert audit.documents_missing == 0 and audit.documents_repeated == 0
    assert audit.agenda_gaps == [], f"agenda numbers with gaps: {audit.agenda_gaps[:5]}"
    assert audit.leftovers == 0, "files or journal rows left behind"
    assert audit.failed_without_reason == 0, "a file parked in failed/ without its reason"
    assert row.lost == 0 and row.duplicated == 0
    return audit


def test_kill_9_at_random_moments_20_times_repeats_nothing(tmp_path: Path) -> None:
    row = run_crash(tmp_path, kills=20, wave=5)
    audit = assert_nothing_lost_or_twice(row)
    assert row.kills == 20
    assert audit.registered == row.dropped == 100, "every dropped letter and form registered"
    assert audit.orphan_documents == 0, "a disposition sheet on disk the register does not know"
    assert row.facts["exit_code"] == 0


@pytest.mark.timeout(1200)
def test_burst_of_1000_files_all_registered_memory_bounded_sigterm_prompt(
    tmp_path: Path,
) -> None:
    row = run_burst(tmp_path, files=1000, scans=2)
    audit = assert_nothing_lost_or_twice(row)
    assert audit.registered == 1000
    assert row.peak_rss_mb is not None and row.peak_rss_mb <= RSS_LIMIT_MB, row.peak_rss_mb
    assert row.facts["stop_code"] == 0, "SIGTERM mid-burst must end the watcher cleanly"
    assert row.facts["stop_seconds"] < SIGTERM_PROMPT_SECONDS, "SIGTERM mid-burst was not prompt"
    assert row.facts["exit_code"] == 0


@pytest.mark.postgres
def test_four_workers_share_one_postgresql_register_and_take_over_a_hung_one(
    tmp_path: Path, pg_url: str
) -> None:
    row = run_workers(tmp_path, pg_url, files=300, workers=4)
    audit = assert_nothing_lost_or_twice(row)
    assert audit.registered == 300
    assert row.facts["taken_over_after_lease"] >= 1, "the hung worker held nothing to take over"
    assert row.facts["exit_codes"] == 0


def test_files_written_through_a_samba_share_are_taken_once_and_complete(
    tmp_path: Path,
) -> None:
    try:
        row = run_samba(tmp_path, files=12, scan_megabytes=12)
    except SambaUnavailable as exc:
        pytest.skip(f"smbd cannot run here: {exc}")
    audit = assert_nothing_lost_or_twice(row)
    assert audit.registered == row.dropped == 13, "the slow large scan and every digital file"
    assert row.facts["slow_put_seconds"] > 3, "the large scan was not written slowly"


def test_odd_names_and_hostile_file_system_cases_in_a_live_watcher(tmp_path: Path) -> None:
    outcome = run_names(tmp_path, folder_files=500)
    assert outcome.alive, "the watcher died"
    assert_nothing_lost_or_twice(outcome.row)
    for name in outcome.odd_names:
        assert name in outcome.registered_names, f"{name!r} not registered under its own name"
    nfc, nfd = (n for n in outcome.odd_names if "Caf" in n)
    assert unicodedata.normalize("NFC", nfd) == nfc and nfc != nfd, "two names, one after NFC"
    refused = {
        name: note for name, note in outcome.failed_notes.items() if name.startswith(REFUSED)
    }
    assert set(refused) == {"tautan ke luar.pdf", "folder tautan", "tidak boleh dibaca.pdf"}
    assert "tautan simbolik" in refused["tautan ke luar.pdf"]
    assert "tautan simbolik" in refused["folder tautan"]
    assert "izin baca ditolak" in refused["tidak boleh dibaca.pdf"]
    assert outcome.targets_untouched, "a symlink's target outside the inbox was changed"
    assert outcome.folder_registered == 500, "the folder of 500 files is one submission, whole"
    assert len(outcome.folder_requests - {None}) == 1, "one submission became several requests"
    assert "dihapus saat dibaca.pdf" not in outcome.registered_names
    assert "Traceback" not in outcome.log
