"""One history writer: every entry comes from an `Action` through
`service.steps.history.record`, every status change through the transition table, and people
read labels, never codes."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from pipeline.register.tables import Request
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.steps.history import SYSTEM_ACTOR, change_status, record
from pipeline.workflow import ACTIONS, Action, Status, TransitionError, WorkingCalendar
from pipeline.workflow.actions import ACTION_LABELS, action_label
from pipeline.workflow.states import TRANSITIONS

PACKAGE = Path(__file__).resolve().parents[1] / "pipeline"
WRITER = PACKAGE / "service" / "steps" / "history.py"
TABLES = "pipeline.register.tables"
# The codes in the register's events.action column. Changing one needs a data migration
# (pipeline/register/migrations/), not only a new value here.
STORED_CODES = {
    "accept",
    "reject",
    "dispose",
    "submit-analysis",
    "complete",
    "diterima",
    "dipasangkan",
    "dikirim-ulang",
    "duplikat",
    "surat-lain",
    "surel",
    "lampiran",
    "struktur-data",
    "dokumen-kembali",
    "lengkap",
    "dokumen",
    "pdf-gagal",
    "ditandatangani",
    "koreksi",
    "konfirmasi",
}
ENGLISH_WORDS = {"accept", "reject", "dispose", "submit", "analysis", "complete", "document"}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _event_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """Local names bound to the register's Event class, and to the module that holds it."""
    classes: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == TABLES:
            classes |= {a.asname or a.name for a in node.names if a.name == "Event"}
        elif isinstance(node, ast.ImportFrom) and node.module == "pipeline.register":
            modules |= {a.asname or a.name for a in node.names if a.name == "tables"}
        elif isinstance(node, ast.Import):
            modules |= {a.asname for a in node.names if a.name == TABLES and a.asname}
    return classes, modules


def _builds_event(node: ast.AST, classes: set[str], modules: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in classes
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "Event"
        and isinstance(func.value, ast.Name)
        and func.value.id in modules
    )


def _sets_status(node: ast.AST) -> bool:
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        literal = node.args[1] if node.func.id == "setattr" and len(node.args) > 1 else None
        return isinstance(literal, ast.Constant) and literal.value == "status"
    return any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets)


def test_only_the_history_writer_builds_an_event():
    builders = []
    for path, tree in _modules():
        classes, modules = _event_names(tree)
        for node in ast.walk(tree):
            if path != WRITER and _builds_event(node, classes, modules):
                builders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert builders == [], "history entries are written by pipeline.service.steps.history.record"


def test_the_event_check_sees_a_hand_built_event():
    tree = ast.parse("from pipeline.register.tables import Event as E\nE(who='x', action='y')\n")
    classes, modules = _event_names(tree)
    assert any(_builds_event(node, classes, modules) for node in ast.walk(tree))
    tree = ast.parse("from pipeline.register import tables\ntables.Event(who='x')\n")
    classes, modules = _event_names(tree)
    assert any(_builds_event(node, classes, modules) for node in ast.walk(tree))


def test_only_the_history_writer_sets_a_status():
    setters = [
        f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
        for path, tree in _modules()
        if path != WRITER
        for node in ast.walk(tree)
        if _sets_status(node)
    ]
    assert setters == [], "statuses change through pipeline.service.steps.history.change_status"
    assert _sets_status(ast.parse("r.status = 'completed'").body[0])
    assert _sets_status(ast.parse("setattr(r, 'status', 'completed')", mode="eval").body)


def test_the_stored_codes_are_the_ones_in_the_register():
    assert {a.value for a in Action} == STORED_CODES
    assert all(isinstance(a, Action) for pair in TRANSITIONS for a in pair[1:])


def test_every_action_has_an_indonesian_label():
    assert set(ACTION_LABELS) == set(Action)
    for action in Action:
        label = action.label
        assert label.strip() and label != action.value, action
        assert not set(label.lower().replace("-", " ").split()) & ENGLISH_WORDS, label
    assert len(set(ACTION_LABELS.values())) == len(ACTION_LABELS)  # no two read the same


def test_a_code_no_release_writes_is_shown_in_words():
    assert action_label("accept") == "disetujui Kepala Dinas"
    assert action_label("nomor-lama") == "nomor lama"


def test_only_official_steps_are_named_actions():
    assert set(ACTIONS) == {a for (_, a) in TRANSITIONS} - {Action.SUBMISSION_COMPLETE}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIPELINE_DB_URL", f"sqlite:///{tmp_path / 'register.db'}")
    workspace = tmp_path / "ws"
    init_workspace(workspace)
    return workspace


def _request(now: datetime) -> Request:
    return Request(
        tahun_agenda=now.year,
        nomor_agenda="001/2026",
        status=Status.INCOMPLETE.value,
        received_at=now,
        updated_at=now,
    )


def test_a_status_change_follows_the_table_and_is_recorded_with_it(home: Path):
    from pipeline.service.context import open_services
    from pipeline.settings import load_settings

    now = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    services = open_services(load_settings(home))
    try:
        with Session(services.engine) as session:
            request = _request(now)
            with pytest.raises(TransitionError):
                change_status(request, Action.ACCEPT, now, WorkingCalendar())
            assert request.status == Status.INCOMPLETE.value
            step = change_status(request, Action.SUBMISSION_COMPLETE, now, WorkingCalendar())
            session.add(request)
            session.flush()
            event = record(session, step.action, request_id=request.id, transition=step, at=now)
            session.commit()
            assert request.status == Status.AWAITING_KADIS.value and request.due_at is not None
            assert (event.who, event.action) == (SYSTEM_ACTOR, "lengkap")
            assert (event.from_status, event.to_status) == ("incomplete", "awaiting_kadis")
    finally:
        services.close()


def test_an_official_cannot_take_the_systems_own_step(home: Path):
    from pipeline.service.context import open_services
    from pipeline.service.steps.advance import advance
    from pipeline.settings import load_settings

    now = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    services = open_services(load_settings(home))
    try:
        with Session(services.engine) as session:
            session.add(_request(now))
            session.commit()
        with pytest.raises(TransitionError, match="Tindakan 'lengkap' tidak bisa dilakukan"):
            advance(services, 1, Action.SUBMISSION_COMPLETE.value, by="Pejabat Uji")
        with Session(services.engine) as session:
            request = session.get(Request, 1)
            assert request is not None and request.status == Status.INCOMPLETE.value
    finally:
        services.close()


def test_register_show_prints_labels_not_codes(home: Path):
    from pipeline.service.context import open_services
    from pipeline.settings import load_settings

    now = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
    services = open_services(load_settings(home))
    try:
        with Session(services.engine) as session:
            request = _request(now)
            session.add(request)
            session.flush()
            for action in Action:
                record(session, action, request_id=request.id, note=f"catatan-{action.name}")
            session.commit()
    finally:
        services.close()
    shown = subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(home), "register", "show", "1"],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "COLUMNS": "300"},  # one history entry a line
    )
    assert shown.returncode == 0, shown.stderr
    lines = {
        line.split(" — catatan-")[1]: line
        for line in shown.stdout.splitlines()
        if " — catatan-" in line
    }
    assert set(lines) == {a.name for a in Action}
    for action in Action:
        said = lines[action.name].split(f"{SYSTEM_ACTOR}: ", 1)[1].split(" — ")[0]
        assert said == action.label, (action, lines[action.name])
