"""Score `pipeline extract` on one part of ../shared/real, split by source repository.

The real set is split once, by the repository each document came from, into a part the rules
and the confidence model are tuned on and a part that is only measured at the end (so a rule
that fits one sender or one archive shows up as a gap between the two numbers); the split is
`tests/real_split.py`. From the repository's root:

    python -m benchmarks.score_real tune      # the part rules are tuned on
    python -m benchmarks.score_real held-out  # measured only, never tuned on
    python -m benchmarks.score_real all

Extra arguments go to ../shared/eval/score_extract.py (e.g. -v, --only scan).
`benchmarks/printed_real.py` scores its printed-and-scanned copies the same way (`score_part`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.real_split import REAL, truth_of

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score_extract.py"
COMMAND = f"{ROOT / '.venv' / 'bin' / 'pipeline'} extract --json"


def score_part(part: str, real: Path, extra: Sequence[str] = ()) -> int:
    """Run the scorer on the documents of `real` (a folder with its truth.jsonl) in `part`."""
    chosen = truth_of(part, real)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for entry in chosen:
            (folder / str(entry["file"])).symlink_to(real / str(entry["file"]))
        (folder / "truth.jsonl").write_text(
            "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in chosen), encoding="utf-8"
        )
        print(f"{part}: {len(chosen)} documents", flush=True)
        command = [sys.executable, str(SCORER), str(folder), "--cmd", COMMAND, *extra]
        return subprocess.run(command, check=False).returncode


@contextmanager
def work_folder(keep: Path | None) -> Iterator[Path]:
    """`keep` (made when missing) to leave the built files in, else a temporary folder."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory() as scratch:
        yield Path(scratch)


def main(argv: list[str]) -> int:
    return score_part(argv[0] if argv else "tune", REAL, argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
