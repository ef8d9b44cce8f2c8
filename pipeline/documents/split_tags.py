"""Jinja tags that Word has cut across runs (it does, after a spell check or a partial
reformat): docxtpl may still render them, but the tag's text can pick up stray formatting,
and a tag cut inside its braces breaks. The officials editing templates should hear of it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG_RE = re.compile(r"\{[{%#].*?[}%#]\}", re.S)
PARTS_RE = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml$")


def split_tags(template: Path) -> list[str]:
    """Each tag that spans more than one run, with the text around it."""
    found: list[str] = []
    with zipfile.ZipFile(template) as archive:
        for name in archive.namelist():
            if PARTS_RE.match(name):
                found += list(_in_part(archive.read(name)))
    return found


def _in_part(xml: bytes) -> Iterator[str]:
    root = etree.fromstring(xml)
    for paragraph in root.iter(f"{W}p"):
        runs = [("".join(t.text or "" for t in r.iter(f"{W}t"))) for r in paragraph.iter(f"{W}r")]
        text = "".join(runs)
        edges = _run_edges(runs)
        for match in TAG_RE.finditer(text):
            if any(match.start() < edge < match.end() for edge in edges):
                start, end = max(0, match.start() - 20), min(len(text), match.end() + 20)
                yield f"tag {match.group(0)!r} terpecah di beberapa run Word: …{text[start:end]}…"


def _run_edges(runs: list[str]) -> list[int]:
    edges, position = [], 0
    for run in runs[:-1]:
        position += len(run)
        edges.append(position)
    return edges
