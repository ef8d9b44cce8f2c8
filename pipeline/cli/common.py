"""Shared bits of the command line: the workspace option, services, error rendering."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.service.context import Services
    from pipeline.settings import Settings

home_option = Annotated[
    Path | None,
    typer.Option("--home", help="Folder kerja (bawaan: $PIPELINE_HOME atau folder ini)."),
]


@dataclass
class State:
    home: Path
    warned: bool = False

    def settings(self) -> Settings:
        from pipeline.settings import load_settings

        settings = load_settings(self.home)
        if not self.warned:  # once per command: old setting names, names no setting has
            self.warned = True
            for note in settings.name_notes:
                print(f"Peringatan: {note}.", file=sys.stderr)
        return settings

    def services(self, *, read_only: bool = False) -> Services:
        from pipeline.service.context import open_services

        return open_services(self.settings(), read_only=read_only)


def fail_with(exc: PipelineError) -> NoReturn:
    print(f"Galat: {exc.for_humans()}", file=sys.stderr)
    sys.exit(int(exc.exit_code))
