"""Score `pipeline extract` on one part of ../shared/real, split by source repository.

The real set is split once, by the repository each document came from, into a part the rules
and the confidence model are tuned on and a part that is only measured at the end (so a rule
that fits one sender or one archive shows up as a gap between the two numbers); the split is
`tests/real_split.py`. From the repository's root:

    python -m benchmarks.score_real tune      # the part rules are tuned on
    python -m benchmarks.score_real held-out  # measured only, never tuned on
    python -m benchmarks.score_real all

Extra arguments go to ../shared/eval/score_extract.py (e.g. -v, --only scan).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.real_split import REAL, truth_of

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score_extract.py"
COMMAND = f"{ROOT / '.venv' / 'bin' / 'pipeline'} extract --json"


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
