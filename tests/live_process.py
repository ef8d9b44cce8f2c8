"""The real `pipeline` command in a child process: its environment, one-off commands and a
running watcher, for the tests that go through the command line as a clerk's machine does."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

CLI_TIMEOUT = 120.0


def pipeline_env(home: Path, settings: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without its own PIPELINE_* settings (no foreign register),
    pointed at `home`, plus `settings` by their names after PIPELINE_ (for example
    {"PEMANTAU__STABIL_DETIK": "1.0"})."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update({"PIPELINE_HOME": str(home), "PYTHONUNBUFFERED": "1"})
    env.update({f"PIPELINE_{name}": value for name, value in (settings or {}).items()})
    return env


def pipeline_command(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "--home", str(home), *args]


def run_pipeline(
    home: Path,
    *args: str,
    settings: Mapping[str, str] | None = None,
    timeout: float = CLI_TIMEOUT,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`pipeline --home HOME ARGS…` to its end (typing `stdin`); the caller judges the exit
    code."""
    return subprocess.run(
        pipeline_command(home, *args),
        input=stdin,
        env=pipeline_env(home, settings),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_watcher(
    home: Path, log: Path, settings: Mapping[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`pipeline watch` in the background, everything it prints going to `log`."""
    with log.open("wb") as sink:
        return subprocess.Popen(
            pipeline_command(home, "watch"),
            env=pipeline_env(home, settings),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
