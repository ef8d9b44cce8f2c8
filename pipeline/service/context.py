"""Everything a shell needs to call the service, built once by a factory (no singletons)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pipeline.extract import OpdMatcher
from pipeline.reference import load_opd_directory
from pipeline.register.db import create_schema, make_engine
from pipeline.settings import Settings
from pipeline.workflow import WorkingCalendar

PACKAGED_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass
class Services:
    settings: Settings
    engine: Engine
    matcher: OpdMatcher
    calendar: WorkingCalendar

    @property
    def templates(self) -> Path:
        own = self.settings.workspace / "templates"
        return own if own.is_dir() else PACKAGED_TEMPLATES

    def close(self) -> None:
        self.engine.dispose()


def make_matcher(settings: Settings) -> OpdMatcher:
    return OpdMatcher(load_opd_directory(settings.opd_csv))


def open_services(settings: Settings) -> Services:
    engine = make_engine(settings.database_url)
    create_schema(engine)
    return Services(settings, engine, make_matcher(settings), WorkingCalendar())
