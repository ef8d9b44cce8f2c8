"""The facts the code relies on live in the repository: docs/architecture.md, cited by anchor."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
CITING = ("pipeline", "tests", "scripts")
OUTSIDE_NOTES = "DESIGN" + ".md"  # the old design notes outside the repository (split: not a hit)
CITATION_RE = re.compile(r"docs/architecture\.md#([A-Za-z0-9_-]+)")
LOCAL_LINK_RE = re.compile(r"\]\(#([A-Za-z0-9_-]+)\)")


def _files() -> list[Path]:
    found = [ROOT / "README.md"]
    for top in CITING:
        found += (
            p for p in (ROOT / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )
    return found


def _anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces -> '-'."""
    anchors: set[str] = set()
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)):
            text = re.sub(r"[^\w\- ]", "", heading.group(1).lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


def test_no_file_cites_the_design_notes_outside_the_repository() -> None:
    citing = [
        str(path.relative_to(ROOT))
        for path in _files()
        if path.parent != ROOT and OUTSIDE_NOTES.encode() in path.read_bytes()
    ]
    assert citing == [], f"cite docs/architecture.md#<anchor> instead of {OUTSIDE_NOTES}"


def test_every_cited_anchor_is_a_heading_of_the_architecture_doc() -> None:
    anchors = _anchors(DOC.read_text(encoding="utf-8"))
    cited: dict[str, set[str]] = {}
    for path in _files():
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for anchor in CITATION_RE.findall(text):
            cited.setdefault(anchor, set()).add(str(path.relative_to(ROOT)))
    for anchor in LOCAL_LINK_RE.findall(DOC.read_text(encoding="utf-8")):
        cited.setdefault(anchor, set()).add("docs/architecture.md")
    assert len(cited) >= 5  # the code does cite the doc; a broken pattern would pass silently
    unknown = {anchor: sorted(paths) for anchor, paths in cited.items() if anchor not in anchors}
    assert unknown == {}, f"not a heading of docs/architecture.md: {unknown}"


def test_anchors_follow_the_headings() -> None:
    assert _anchors("# Title\n## Exit codes\n```\n# not a heading\n```\n### Extract JSON") == {
        "title",
        "exit-codes",
        "extract-json",
    }
