"""The command line speaks Bahasa Indonesia: help pages and parse errors, with no English
heading, no Python type name and no parameter identifier left for a clerk to decode."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from pipeline.cli import indonesian
from pipeline.cli.app import app

ENGLISH = (
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Show this message",
    "[required]",
    "[default",
    "Missing",
    "Invalid value",
    "No such",
    "Try '",
    "Error",
    "Input should",
    "<int>",
    "<str>",
    "<path>",
    "<bool>",
    "list[",
    "range",
    "%Y",
    "[OPTIONS]",
    "COMMAND [ARGS]",
)


def _paths(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, child in getattr(command, "commands", {}).items():
        yield from _paths(child, (*path, name))


def _localised() -> Any:
    command = typer.main.get_command(app)
    indonesian.install(command)
    return command


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


def test_every_help_page_is_in_indonesian(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per row: a wrapped phrase would hide
    command = _localised()
    pages = 0
    for path in _paths(command):
        command.main([*path, "--help"], prog_name="pipeline", standalone_mode=False)
        page = capsys.readouterr().out
        assert "Cara pakai: pipeline" in page, path
        assert "Tampilkan bantuan ini lalu keluar." in page, path
        assert _english_in(page) == [], (path, page)
        pages += 1
    assert pages > 20  # every command and group, not just the top page


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["advance", "x", "accept"], "Galat: Nilai 'ID' tidak sah: harus berupa bilangan bulat."),
        (["ingest"], "Galat: Argumen 'BERKAS' wajib diisi."),
        (["frob"], "Galat: Perintah 'frob' tidak dikenal."),
        (["advance", "1", "accept", "--bogus"], "Galat: Opsi --bogus tidak dikenal."),
        (["advance", "1", "accept", "--note"], "Galat: Opsi --note perlu diberi nilai."),
        (["register", "show", "1", "2"], "Galat: Argumen berlebih: 2."),
    ],
)
def test_a_mistyped_command_is_told_in_indonesian(
    args: list[str], said: str, tmp_path: Any
) -> None:
    """Run as the clerk runs it: the installed console script, its stderr and exit code."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("pipeline")), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert said in done.stderr
    assert done.stderr.startswith("Cara pakai: pipeline ") or "Bantuan" not in done.stderr
    assert _english_in(done.stderr) == [], done.stderr


def test_an_unknown_message_is_kept_rather_than_lost() -> None:
    assert indonesian.translated("Something new from Typer.") == "Something new from Typer."
    assert (
        indonesian.translated("Input should be 'a' or 'b'") == "harus salah satu dari 'a' atau 'b'"
    )
