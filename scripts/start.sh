#!/usr/bin/env bash
# Set everything up, make the workspace in this folder, and run the watcher on ./inbox.
#
# The watcher rides out the register and the disk failing by itself (it pauses and resumes);
# should it still end with an error (a bug, the machine out of memory), this loop starts it
# again after RESTART_SECONDS, so intake never stops unnoticed. Ctrl+C or SIGTERM stops both.
# On a server, prefer the systemd unit in README.md ("Running as a service").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# A workspace made by an older release: its register is brought to this release's version
# first (a SQLite register is copied beside itself before anything changes). Exit code 4:
# no register yet, which `init` makes.
if [[ -f pipeline.toml ]]; then
  .venv/bin/pipeline upgrade || [[ $? == 4 ]]
fi
.venv/bin/pipeline init .

RESTART_SECONDS="${RESTART_SECONDS:-10}"
child=""
stopping=0
stop() {
  stopping=1
  if [[ -n "$child" ]]; then
    kill -TERM "$child" 2>/dev/null || true
  fi
}
trap stop INT TERM

while true; do
  .venv/bin/pipeline watch "$@" &
  child=$!
  code=0
  wait "$child" || code=$?
  # `wait` returns early when a trapped signal arrives: wait for the watcher to finish.
  while kill -0 "$child" 2>/dev/null; do
    wait "$child" || code=$?
  done
  child=""
  if [[ "$stopping" == 1 || "$code" == 0 ]]; then
    exit 0
  fi
  echo "Pemantau berhenti dengan kode $code; dijalankan lagi dalam ${RESTART_SECONDS} detik." >&2
  sleep "$RESTART_SECONDS" &
  wait $! || true
  if [[ "$stopping" == 1 ]]; then
    exit 0
  fi
done
