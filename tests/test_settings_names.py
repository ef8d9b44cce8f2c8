"""Setting names are Bahasa Indonesia; a workspace written with the English names of earlier
releases keeps working, and the admin is told what to rename."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tokenize
from pathlib import Path
from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from pipeline.settings import Settings, default_toml, load_settings
from pipeline.settings_names import RENAMED_KEYS, RENAMED_SECTIONS

ROOT = Path(__file__).resolve().parent.parent
OLD_SECTION = {new: old for old, new in RENAMED_SECTIONS.items()}
PAIRS = [(section, old, new) for section, keys in RENAMED_KEYS.items() for old, new in keys.items()]


def _model_of(section: str) -> type[BaseModel]:
    if not section:
        return Settings
    annotation = Settings.model_fields[section].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    return annotation


def _other_value(section: str, key: str) -> Any:
    """A valid value that differs from the setting's default."""
    default = getattr(_model_of(section)(), key) if section else None
    if (
        default is None
        and section
        and float in get_args(_model_of(section).model_fields[key].annotation)
    ):
        return 0.5  # an optional number (a setting read only when written)
    if isinstance(default, bool):
        return not default
    if isinstance(default, int):
        return default + 3
    if isinstance(default, float):
        return default * 2 if default < 0.5 else default + 1 if default > 1 else default / 2
    return "lain.pem" if key.startswith("berkas") or key == "daftar_opd" else "lain"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if not isinstance(value, str) else f'"{value}"'


def _written(sections: dict[str, dict[str, Any]]) -> str:
    lines = [f"{k} = {_toml_value(v)}" for k, v in sections.pop("", {}).items()]
    for name, table in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


def _value(settings: Settings, section: str, key: str) -> Any:
    holder = getattr(settings, section) if section else settings
    value = getattr(holder, key)
    return str(value) if isinstance(value, Path) else value


@pytest.fixture(autouse=True)
def _no_pipeline_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("PIPELINE_"):
            monkeypatch.delenv(name)


def test_every_new_name_is_a_setting_and_no_old_name_still_is():
    for section, old, new in PAIRS:
        fields = _model_of(section).model_fields
        assert new in fields, f"[{section}] {new}"
        assert old not in fields, f"[{section}] {old} is still a setting name"
    assert not set(RENAMED_SECTIONS) & set(Settings.model_fields)


@pytest.mark.parametrize(("section", "old", "new"), PAIRS)
def test_an_old_name_in_the_file_sets_the_new_setting_and_says_so(
    tmp_path: Path, section: str, old: str, new: str
):
    value = _other_value(section, new)
    written_section = OLD_SECTION.get(section, section)
    (tmp_path / "pipeline.toml").write_text(_written({written_section: {old: value}}))
    loaded = load_settings(tmp_path)
    assert _value(loaded, section, new) == value
    assert any(old in note and new in note for note in loaded.name_notes), loaded.name_notes


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_the_new_name_wins_wherever_the_old_one_is_written(tmp_path_factory, data):
    section, old, new = data.draw(st.sampled_from([p for p in PAIRS if p[0]]))
    old_value, new_value = _other_value(section, new), getattr(_model_of(section)(), new)
    if new_value is None:  # a setting left unset: a path, or a number read only when written
        new_value = 0.75 if isinstance(old_value, float) else "baru.pem"
    in_old_section = data.draw(st.booleans()) and section in OLD_SECTION
    tables: dict[str, dict[str, Any]] = {section: {new: new_value}}
    tables.setdefault(OLD_SECTION[section] if in_old_section else section, {})[old] = old_value
    home = tmp_path_factory.mktemp("ws")
    (home / "pipeline.toml").write_text(_written(tables))
    loaded = load_settings(home)
    assert _value(loaded, section, new) == new_value
    assert any(f"{old} diabaikan karena" in note for note in loaded.name_notes)
    assert not any(f"{old} masih dibaca" in note for note in loaded.name_notes)  # one verdict


def test_old_environment_names_work_and_new_ones_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PIPELINE_WATCHER__STABLE_SECONDS", "4.5")
    monkeypatch.setenv("PIPELINE_OCR__ENABLED", "false")
    monkeypatch.setenv("PIPELINE_EXTRACTION__REVIEW_THRESHOLD", "0.5")
    monkeypatch.setenv("PIPELINE_PEMBACAAN__AMBANG_YAKIN", "0.9")
    (tmp_path / "pipeline.toml").write_text("[pemantau]\nstabil_detik = 2.0\n")
    loaded = load_settings(tmp_path)
    assert loaded.pemantau.stabil_detik == 4.5  # the environment over the file
    assert loaded.ocr.aktif is False
    assert loaded.pembacaan.ambang_yakin == 0.9  # the new name over the old one
    assert loaded.pembacaan.ambang_peluang == pytest.approx(0.99 + 0.05 / 0.15 * 0.01)
    assert any("PIPELINE_PEMANTAU__STABIL_DETIK" in note for note in loaded.name_notes)


def test_a_review_line_on_the_old_score_scale_is_read_as_a_chance(tmp_path: Path):
    """A workspace made before the chance holds `ambang_yakin = 0.85` (then the default): it
    flags what it flagged before, read as the chance 0.99, and the admin is told to rename it."""
    (tmp_path / "pipeline.toml").write_text("[pembacaan]\nambang_yakin = 0.85\n")
    loaded = load_settings(tmp_path)
    assert loaded.pembacaan.ambang_peluang == pytest.approx(0.99)
    assert any("ambang_yakin = 0.85 memakai skala lama" in n for n in loaded.name_notes)
    (tmp_path / "pipeline.toml").write_text(
        "[pembacaan]\nambang_yakin = 0.85\nambang_peluang = 0.995\n"
    )
    loaded = load_settings(tmp_path)
    assert loaded.pembacaan.ambang_peluang == 0.995  # written on the new scale: it wins
    assert any("ambang_yakin diabaikan" in n for n in loaded.name_notes)


def test_a_new_workspace_uses_only_known_names_and_its_defaults(tmp_path: Path):
    (tmp_path / "pipeline.toml").write_text(default_toml())
    loaded = load_settings(tmp_path)
    assert loaded.name_notes == ()
    assert loaded.model_dump(exclude={"workspace"}) == Settings().model_dump(exclude={"workspace"})


def test_a_misspelt_name_is_reported_not_silently_dropped(tmp_path: Path):
    (tmp_path / "pipeline.toml").write_text("[pemantau]\nstabil_detk = 3\n[surel]\nhots = 'x'\n")
    notes = load_settings(tmp_path).name_notes
    assert any("[pemantau] stabil_detk tidak dikenal" in n for n in notes), notes
    assert any("[surel] hots tidak dikenal" in n for n in notes), notes


def test_the_admin_is_told_by_doctor_and_on_every_command(tmp_path: Path):
    pipeline = [sys.executable, "-m", "pipeline", "--home", str(tmp_path)]
    subprocess.run([*pipeline, "init"], check=True, capture_output=True)
    (tmp_path / "pipeline.toml").write_text("[watcher]\nlease_seconds = 90.0\n")  # as of old
    doctor = subprocess.run(
        [*pipeline, "doctor", "--json"], capture_output=True, text=True, check=False
    )
    checks = json.loads(doctor.stdout)["pemeriksaan"]
    finding = next(f for f in checks if f["check"] == "Konfigurasi")
    assert finding["status"] == "peringatan"
    assert (
        "pipeline.toml: nama lama [watcher] lease_seconds masih dibaca; ganti dengan "
        "[pemantau] masa_klaim_detik" in finding["items"]
    )
    listing = subprocess.run(
        [*pipeline, "register", "list"], capture_output=True, text=True, check=False
    )
    assert listing.returncode == 0, listing.stderr
    assert listing.stderr.count("Peringatan: pipeline.toml: nama lama [watcher] masih") == 1
    assert load_settings(tmp_path).pemantau.masa_klaim_detik == 90.0


def _setting_names_in_texts() -> list[tuple[str, str, str]]:
    """Every `section.key` that a message or comment in pipeline/ names, for a known section."""
    sections = {name for name, field in Settings.model_fields.items() if field.annotation}
    found = []
    for path in (ROOT / "pipeline").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type not in (tokenize.STRING, tokenize.COMMENT) or " " not in token.string:
                continue  # a bare "web.request" is an event's name, not a sentence
            for word in token.string.replace("`", " ").replace("(", " ").split():
                section, _, key = word.strip(".,;:)'\"").partition(".")
                if section in sections and key and key.isidentifier() and section != "pipeline":
                    found.append((path.name, section, key))
    return found


def test_every_setting_a_message_names_exists():
    mentioned = _setting_names_in_texts()
    assert len(mentioned) > 20  # the limits, the mailbox, the OCR and the lockout name theirs
    missing = [
        (where, section, key)
        for where, section, key in mentioned
        if key not in _model_of(section).model_fields and key not in {"enabled", "secret"}
    ]
    assert missing == []
