# Sourced by lab tests: loads the running lab's lab.env and gives small helpers.
# Usage in a test: source "$(dirname "$0")/lab-test-lib.sh" "$LAB_DIR"
# shellcheck shell=bash
set -euo pipefail

LAB_DIR_ARG=${1:?lab folder}
if [[ ! -f "$LAB_DIR_ARG/lab.env" ]]; then
  echo "FAIL: no lab is up in $LAB_DIR_ARG (lab_up fixture missing?)" >&2
  exit 1
fi
# shellcheck disable=SC1091
source "$LAB_DIR_ARG/lab.env"
export PATH="$LAB_BIN:$PATH"
export IPFS_TELEMETRY=off

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "PASS: $*"; }

# Runs a command inside the lab's loopback-only namespace.
in_lab() { ip netns exec "$LAB_NETNS" "$@"; }

# A POST to a Kubo RPC endpoint: kubo_rpc <api-url> <path?query>
kubo_rpc() { in_lab curl -sS --max-time 30 -X POST "$1/api/v0/$2"; }

# wait_until <seconds> <command...>: polls every 0.5 s; false on timeout.
wait_until() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 2; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  return 1
}

# True when <cid> is pinned (recursive or direct) in the Kubo at <api-url>.
kubo_has_pin() {
  kubo_rpc "$1" "pin/ls?arg=$2&type=all" | jq -e --arg c "$2" '.Keys[$c]' >/dev/null
}

# Adds <bytes> random bytes to Kubo A; prints the CID.
add_random_to_a() {
  head -c "$1" /dev/urandom | IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --pin=false
}
kubo_lacks_pin() { ! kubo_has_pin "$@"; }

# Every recursive and direct pin of the Kubo at <api-url>, one CID per line, sorted.
kubo_pin_set() {
  { kubo_rpc "$1" "pin/ls?type=recursive" | jq -r '(.Keys // {}) | keys[]'
    kubo_rpc "$1" "pin/ls?type=direct" | jq -r '(.Keys // {}) | keys[]'; } | sort -u
}

# Pins <cid> on the trusted peer without waiting for its own status.
cluster_pin() { in_lab ipfs-cluster-ctl --host "$TRUSTED_REST" pin add --no-status "$@" >/dev/null; }
cluster_unpin() { in_lab ipfs-cluster-ctl --host "$TRUSTED_REST" pin rm --no-status "$1" >/dev/null; }

# A CID whose blocks exist nowhere: hashed, never stored.
missing_cid() { head -c 4096 /dev/urandom | IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --only-hash; }

# Kills Kubo C and starts it again (same repo, same ports), as the lab started it.
restart_kubo_c_after() {
  local pause=$1 pid
  pid=$(awk '$2 == "kuboC" {print $1}' "$LAB_DIR/pids" | tail -n 1)
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  sleep "$pause"
  rm -f "$KUBO_C_PATH/repo.lock" "$KUBO_C_PATH/api"
  IPFS_PATH="$KUBO_C_PATH" ip netns exec "$LAB_NETNS" setsid ipfs daemon >>"$LAB_DIR/logs/kuboC.log" 2>&1 </dev/null &
  echo "$! kuboC" >>"$LAB_DIR/pids"
  wait_until 60 kubo_rpc "$KUBO_C_API" id || fail "Kubo C did not come back"
}

# For tests that run cluster-follow against Kubo C: sets CF (the binary) and WORK (its config
# folder, removed on exit), points it at Kubo C, and arms an EXIT trap that stops the `run`
# whose pid is in run_pid. A test with more to clean up sets its own trap and calls stop_run.
# Usage: use_cluster_follow <binary> <work-folder-prefix>
use_cluster_follow() {
  CF=$1
  WORK=$(mktemp -d "/tmp/$2.XXXXXX")
  run_pid=""
  trap 'stop_run; rm -rf "$WORK"' EXIT
  export CLUSTER_IPFSHTTP_NODEMULTIADDRESS="$KUBO_C_MADDR"
}
stop_run() { [[ -n "$run_pid" ]] && kill -TERM "$run_pid" 2>/dev/null && wait "$run_pid" 2>/dev/null; run_pid=""; true; }
cf() { in_lab "$CF" --config "$WORK" "$@"; }
