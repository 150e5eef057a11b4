#!/usr/bin/env bash
# Runs a command in a fresh network namespace that has only lo (as root; otherwise in a user
# namespace with `unshare -r -n`), so a test can reach nothing but loopback.
set -euo pipefail
if [[ $(id -u) -eq 0 ]]; then
  exec unshare -n -- bash -c 'ip link set lo up && exec "$@"' bash "$@"
fi
exec unshare -r -n -- bash -c 'ip link set lo up && exec "$@"' bash "$@"
