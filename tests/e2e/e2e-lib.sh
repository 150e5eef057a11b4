# Sourced by the CLI end-to-end tests. Each test runs in a private temp folder.
# shellcheck shell=bash
set -euo pipefail
CF=${1:?cluster-follow binary}
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK=$(mktemp -d /tmp/cf-e2e.XXXXXX)
SERVER_PID=""
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
export CLUSTER_FOLLOW_PATH="$WORK/config"
unset IPFS_GATEWAY CLUSTER_IPFSHTTP_NODEMULTIADDRESS

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

# start_template_server <folder>: serves <folder> on loopback; sets TEMPLATE_BASE.
start_template_server() {
  python3 "$E2E_DIR/template_server.py" "$1" "$WORK/port" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do [[ -f "$WORK/port" ]] && break; sleep 0.05; done
  [[ -f "$WORK/port" ]] || fail "template server did not start"
  TEMPLATE_BASE="http://127.0.0.1:$(cat "$WORK/port")"
}

# expect_exit <code> <command...>: runs it, keeps stdout+stderr in OUT, checks the exit code.
expect_exit() {
  local want=$1 got=0
  shift
  OUT=$("$@" 2>&1) || got=$?
  [[ $got -eq $want ]] || fail "'$*' exited $got, expected $want; output: $OUT"
}
