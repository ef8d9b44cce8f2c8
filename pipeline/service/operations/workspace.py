"""`pipeline init`: make a workspace with its folders, settings file, templates and register."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipeline.service.context import PACKAGED_TEMPLATES, open_services
from pipeline.settings import CONFIG_NAME, default_toml, load_settings


def init_workspace(home: Path) -> list[str]:
    """Create what is missing and report it; never overwrite a clerk's edits."""
    home.mkdir(parents=True, exist_ok=True)
    made: list[str] = []
    config = home / CONFIG_NAME
    if not config.exists():
        _write_private(config, default_toml())  # it will hold the SMTP password
        made.append(str(config))
    settings = load_settings(home)
    for folder in (settings.inbox, settings.failed, settings.outbox, settings.archive):
        if not folder.is_dir():
            folder.mkdir(parents=True)
            made.append(str(folder) + "/")
    made += _copy_templates(home / "templates")
    services = open_services(settings)
    services.close()
    return made


def _write_private(path: Path, text: str) -> None:
    """A new file readable and writable by its owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _copy_templates(target: Path) -> list[str]:
    if target.resolve() == PACKAGED_TEMPLATES.resolve():
        return []
    made: list[str] = []
    target.mkdir(exist_ok=True)
    for template in sorted(PACKAGED_TEMPLATES.glob("*.docx")):
        destination = target / template.name
        if not destination.exists():
            shutil.copyfile(template, destination)
            made.append(str(destination))
    return made
