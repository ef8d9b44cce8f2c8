"""Check a template's variables against the context the code gives it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.documents._source import template_variables
from pipeline.documents.split_tags import split_tags
from pipeline.errors import TemplateError


@dataclass(frozen=True)
class TemplateReport:
    """What `check_template` found: `unknown` breaks rendering, `unused` is a warning."""

    template: str
    unknown: tuple[str, ...]
    unused: tuple[str, ...]
    split: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.unknown or self.unused or self.split or self.errors)

    @property
    def broken(self) -> bool:
        """Rendering would fail: a variable the data lacks, or Jinja that does not parse."""
        return bool(self.unknown or self.errors)


def check_template(template: Path, context_keys: set[str]) -> TemplateReport:
    """Compare the dotted variables a template uses with the dotted leaf keys of its context.

    A template path counts as known when it is a key, the parent of keys (the template uses a
    whole sub-object) or lies below a key (the template reaches into a value, such as a list).
    """
    split = tuple(split_tags(template)) if template.is_file() else ()
    try:
        used = template_variables(template)
    except TemplateError as exc:
        return TemplateReport(template.name, (), (), split, (exc.for_humans(),))
    unknown = sorted(path for path in used if not _related(path, context_keys))
    unused = sorted(key for key in context_keys if not _related(key, used))
    return TemplateReport(template.name, tuple(unknown), tuple(unused), split)


def context_keys(context: Mapping[str, Any]) -> set[str]:
    """Dotted leaf paths of a nested mapping: {"a": {"b": 1}, "c": 2} → {"a.b", "c"}."""
    keys: set[str] = set()
    for key, value in context.items():
        if isinstance(value, Mapping) and value:
            keys.update(f"{key}.{sub}" for sub in context_keys(value))
        else:
            keys.add(str(key))
    return keys


def _related(path: str, others: Iterable[str]) -> bool:
    """True when `path` equals one of `others` or one is an ancestor of the other."""
    return any(
        path == other or other.startswith(f"{path}.") or path.startswith(f"{other}.")
        for other in others
    )
