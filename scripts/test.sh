#!/usr/bin/env bash
# The whole test suite: lint, types, layer contracts, then pytest (real SQLite, PostgreSQL,
# LibreOffice and a real running watcher). CI runs it as it is.
#
#   bash scripts/test.sh                 # everything
#   bash scripts/test.sh --fast          # a quick local loop: without the tests marked slow
#   bash scripts/test.sh --fast -k web   # other arguments go to pytest
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
.venv/bin/pytest -q "${selection[@]}" "$@"
