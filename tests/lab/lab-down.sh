#!/usr/bin/env bash
# Stops every process the lab started (followers before their Kubo, in reverse start order),
# deletes its network namespace and its folder. Safe to run twice or on a half-started lab.
#
# Usage: tests/lab/lab-down.sh [LAB_DIR]   (set CF_LAB_KEEP=1 to keep the folder and its logs)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_DIR="${1:-${CF_LAB_DIR:-/tmp/cf-lab}}"
source "$HERE/lab-common.sh"

if [[ -f "$LAB_DIR/pids" ]]; then
  # Reverse order: followers and the trusted peer go before the Kubo nodes they talk to.
  tac "$LAB_DIR/pids" | while read -r pid name; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 40); do
    alive=0
    while read -r pid name; do
      kill -0 "$pid" 2>/dev/null && alive=1
    done <"$LAB_DIR/pids"
    [[ $alive -eq 0 ]] && break
    sleep 0.25
  done
  while read -r pid name; do
    kill -KILL -- "-$pid" 2>/dev/null || true
  done <"$LAB_DIR/pids"
fi
# Anything else still inside the namespace (a test's own processes) goes too.
if ip netns pids "$LAB_NETNS" >/dev/null 2>&1; then
  for pid in $(ip netns pids "$LAB_NETNS"); do kill -KILL "$pid" 2>/dev/null || true; done
  ip netns delete "$LAB_NETNS" 2>/dev/null || true
fi
if [[ "${CF_LAB_KEEP:-0}" != 1 ]]; then
  rm -rf "$LAB_DIR"
else
  rm -f "$LAB_DIR/lab.env"
fi
lab_log "lab in $LAB_DIR is down"
