"""Score extraction on replayed OCR output: accuracy overall and on clean scans, and how
often a value the pipeline calls confident is actually right."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract import OpdMatcher, extract
from pipeline.models import Extraction
from pipeline.readers.replay import document_from_json
from tests.test_extract_corpus import flat, norm

REPLAY = Path(__file__).parent / "corpus" / "ocr_replay"
HELD_OUT = Path(__file__).parent / "corpus" / "ocr_replay_heldout"


@dataclass
class Tally:
    right: int = 0
    total: int = 0
    confident_right: int = 0
    confident: int = 0
    given: int = 0  # values the extractor gave (sure or flagged)
    misses: list[str] = field(default_factory=list)

    def rate(self) -> float:
        return self.right / self.total if self.total else 1.0

    def precision(self) -> float:
        return self.confident_right / self.confident if self.confident else 1.0

    def sure_share(self) -> float:
        return self.confident / self.given if self.given else 0.0


def replay_folders() -> list[Path]:
    """The corpus the rules were tuned on, then the held-out ones (other generator seeds)."""
    held_out = sorted(p for p in HELD_OUT.iterdir() if p.is_dir()) if HELD_OUT.is_dir() else []
    return [REPLAY, *held_out]


def replay_cases(folders: list[Path] | None = None) -> list[Path]:
    return [
        case
        for folder in folders or replay_folders()
        for case in sorted(folder.glob("*.expected.json"))
    ]


def score(cases: list[Path], matcher: OpdMatcher, threshold: float) -> dict[str, Tally]:
    tallies = {"all": Tally(), "clean": Tally(), "hard": Tally()}
    for case in cases:
        expected = json.loads(case.read_text(encoding="utf-8"))
        recorded = case.with_name(case.name.replace(".expected.json", ".json"))
        doc = document_from_json(json.loads(recorded.read_text(encoding="utf-8")))
        extraction = extract(doc, matcher)
        group = "clean" if expected.get("clean") else "hard"
        for tally in (tallies["all"], tallies[group]):
            _count(tally, f"{case.parent.name}/{case.name}", expected, extraction, threshold)
    return tallies


def _count(
    tally: Tally, name: str, expected: dict[str, object], ex: Extraction, threshold: float
) -> None:
    fields = {} if expected["kind"] == "other" else flat(expected["fields"])  # type: ignore[arg-type]
    got_kind = ex.kind.value == expected["kind"]
    tally.right += got_kind
    tally.total += 1
    if not got_kind:
        tally.misses.append(f"{name}: kind {ex.kind.value} != {expected['kind']}")
    for key, want in fields.items():
        found = ex.fields.get(key)
        hit = norm(key, found.value if found else None) == norm(key, want)
        tally.right += hit
        tally.total += 1
        tally.given += found is not None
        if found and found.provenance.confidence >= threshold:
            tally.confident += 1
            tally.confident_right += hit
        if not hit:
            conf = f"{found.provenance.confidence:.2f}" if found else "-"
            tally.misses.append(
                f"{name}: {key}: want {want!r} got {found.value if found else None!r} ({conf})"
            )
