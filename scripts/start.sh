#!/usr/bin/env bash
# Set everything up, make the workspace in this folder, and run the watcher on ./inbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/pipeline init .
exec .venv/bin/pipeline watch
