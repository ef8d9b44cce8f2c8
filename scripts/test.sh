#!/usr/bin/env bash
# The whole test suite: lint, types, layer contracts, then pytest (real SQLite, PostgreSQL,
# LibreOffice and a real running watcher).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check pipeline tests benchmarks scripts
.venv/bin/ruff format --check pipeline tests benchmarks scripts
.venv/bin/mypy pipeline
.venv/bin/lint-imports
.venv/bin/pytest -q "$@"
