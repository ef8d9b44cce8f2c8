"""The real letters of ../shared/real, split once by the repository each came from: a part the
rules and the confidence model are tuned on, and a part only measured at the end (so a rule
that fits one sender or one archive shows up as a gap between the two numbers).

Used by the tests on the real letters and by `benchmarks/score_real.py` and
`benchmarks/confidence_data.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"

# Repositories whose documents are never looked at while tuning. Chosen so that both parts hold
# digital files and scans; the request letters and forms all come from one repository
# (vandewa/diskominfo), which therefore has to stay on the tuning side.
SCANNED_MEDIA = frozenset({"scan", "photo"})  # truth.jsonl's media read by OCR, not a text layer

HELD_OUT_REPOSITORIES = frozenset(
    {
        "asmuiahmad/OCR-ScanLetter_WebApp",
        "jamdin-thalib/jamdin-thalib.github.io",
        "skivanoclaire/layanandkisp",
        "keswan11/keswan",
        "naufalfad19/sppd",
    }
)


def repository_of(entry: dict[str, object]) -> str:
    return str(entry["source"]).split(":", 1)[0]


def part_of(entry: dict[str, object]) -> str:
    return "held-out" if repository_of(entry) in HELD_OUT_REPOSITORIES else "tune"


def truth_of(part: str, real: Path = REAL) -> list[dict[str, object]]:
    lines = (real / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]
    return [e for e in entries if part == "all" or part_of(e) == part]
