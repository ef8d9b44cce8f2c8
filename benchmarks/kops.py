"""Share of real letterheads (tests/corpus/kops) whose sender `extract` names as a clerk would.

.venv/bin/python -m benchmarks.kops [-v]
"""

from __future__ import annotations

import sys

from pipeline.extract import extract
from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.corpus.kops_data import load_kops, same_sender


def main(argv: list[str]) -> int:
    matcher = make_matcher(Settings())
    counts = {True: [0, 0], False: [0, 0]}
    for kop in load_kops():
        found = extract(kop.letter(), matcher).fields.get("opd")
        got = found.value if found else None
        right = same_sender(got, kop.sender)
        counts[kop.scored][0] += right
        counts[kop.scored][1] += 1
        if not right and "-v" in argv:
            print(f"{' / '.join(kop.lines)}\n    want {kop.sender!r}, got {got!r}")
    scored, other = counts[True], counts[False]
    print(
        f"kops: scored {scored[0]}/{scored[1]} right; uncertain or outside scope "
        f"{other[0]}/{other[1]}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
