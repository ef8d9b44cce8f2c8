#!/usr/bin/env bash
# The whole test suite: lint, types, layer contracts, then pytest (real SQLite, PostgreSQL,
# LibreOffice and a real running watcher). CI runs it as it is.
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh --fast          # a quick local loop: without the tests marked slow
#   bash scripts/test.sh --fast -k web   # other arguments go to pytest
#
# pytest runs on two worker processes (pytest-xdist), one test file per worker at a time: most
# long tests wait on a live watcher, a timer or a subprocess, so two at once halve the wall time
# on this 2-core machine (13 min instead of about 30). PIPELINE_TEST_WORKERS=0 runs in-process.
set -euo pipefail
cd "$(dirname "$0")/.."
selection=()
if [ "${1:-}" = "--fast" ]; then
  shift
  selection=(-m "not slow")
fi
bash scripts/setup.sh
.venv/bin/ruff check pipeline tests benchmarks scripts
.venv/bin/ruff format --check pipeline tests benchmarks scripts
.venv/bin/mypy pipeline
.venv/bin/lint-imports
workers="${PIPELINE_TEST_WORKERS:-2}"
parallel=()
[ "$workers" != "0" ] && parallel=(-n "$workers" --dist loadfile)
.venv/bin/pytest -q --durations=25 "${parallel[@]}" "${selection[@]}" "$@"
