"""Score `pipeline extract` on one part of ../shared/real, split by source repository.

The real set is split once, by the repository each document came from, into a part the rules
and the confidence model are tuned on and a part that is only measured at the end (so a rule
that fits one sender or one archive shows up as a gap between the two numbers).

    python benchmarks/score_real.py tune      # the part rules are tuned on
    python benchmarks/score_real.py held-out  # measured only, never tuned on
    python benchmarks/score_real.py all

Extra arguments go to ../shared/eval/score_extract.py (e.g. -v, --only scan).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real"
SCORER = ROOT.parent / "shared" / "eval" / "score_extract.py"
COMMAND = f"{ROOT / '.venv' / 'bin' / 'pipeline'} extract --json"

# Repositories whose documents are never looked at while tuning. Chosen so that both parts hold
# digital files and scans; the request letters and forms all come from one repository
# (vandewa/diskominfo), which therefore has to stay on the tuning side.
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


def main(argv: list[str]) -> int:
    part = argv[0] if argv else "tune"
    chosen = truth_of(part)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for entry in chosen:
            (folder / str(entry["file"])).symlink_to(REAL / str(entry["file"]))
        (folder / "truth.jsonl").write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in chosen), encoding="utf-8"
        )
        print(f"{part}: {len(chosen)} documents", flush=True)
        command = [sys.executable, str(SCORER), str(folder), "--cmd", COMMAND, *argv[1:]]
        return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
