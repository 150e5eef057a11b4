# Sourced by lab tests: loads the running lab's lab.env and gives small helpers.
# Usage in a test: source "$(dirname "$0")/lab-test-lib.sh" "$LAB_DIR"
# shellcheck shell=bash
set -euo pipefail

LAB_DIR_ARG=${1:?lab folder}
LAB_TESTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
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

# The Kubo pin type of <cid> at <api-url>: recursive, direct, or "" when not pinned (indirect too).
pin_type() {
  kubo_rpc "$1" "pin/ls?arg=$2&type=all" | jq -r --arg c "$2" '(.Keys // {})[$c].Type // "" | select(startswith("indirect") | not)'
}

# add_files_to_a <n> <file>: adds <n> distinct small files to Kubo A (unpinned); their CIDs go
# to <file>, one per line.
add_files_to_a() {
  local dir
  dir=$(mktemp -d "$LAB_DIR/files.XXXXXX")
  python3 - "$dir" "$1" <<'PY'
import os, sys
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], f"f{i:06d}"), "wb") as f:
        f.write(b"%d " % i + os.urandom(200))
PY
  # The folder's own CID comes last; the whole listing is captured first (head would make ipfs
  # die of SIGPIPE, which pipefail turns into a failure).
  IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -r -q --pin=false "$dir" >"$dir.list"
  head -n "$1" "$dir.list" >"$2"
  rm -rf "$dir" "$dir.list"
}

# Pins every CID of <file> on the trusted peer through its REST API, 8 at a time, and waits
# until the cluster lists them all.
rest_pin_all() {
  in_lab python3 "$LAB_TESTS/../../bench/measure.py" pin --cids "$1" --parallel 8 --wait 300 >/dev/null
}

# A second cluster peer in the same private network whose peer ID is not in trusted_peers
# ("rogue": cluster port 9097, REST API ROGUE_REST, on Kubo A, bootstrapped to the trusted peer).
ROGUE_PORT=9097
ROGUE_REST=/ip4/127.0.0.1/tcp/9095
start_rogue() {
  local rogue=$LAB_DIR/rogue secret
  secret=$(jq -r .cluster.secret "$LAB_DIR/trusted/service.json")
  rm -rf "$rogue"
  CLUSTER_SECRET="$secret" in_lab ipfs-cluster-service -c "$rogue" init --consensus crdt --datastore pebble \
    >"$LAB_DIR/logs/rogue-init.log" 2>&1
  ROGUE_ID=$(jq -r .id "$rogue/identity.json")
  jq --arg name "$CLUSTER_NAME" --arg listen "/ip4/127.0.0.1/tcp/$ROGUE_PORT" --arg rest "$ROGUE_REST" \
     --arg kubo "${KUBO_A_API/http:\/\/127.0.0.1:/\/ip4\/127.0.0.1\/tcp\/}" --arg trusted "$TRUSTED_ADDR" --arg self "$ROGUE_ID" '
    .cluster.listen_multiaddress = [$listen] | .cluster.peer_addresses = [$trusted]
    | .cluster.mdns_interval = "0s" | .cluster.enable_relay_hop = false
    | .consensus.crdt.cluster_name = $name | .consensus.crdt.trusted_peers = [$self]
    | .consensus.crdt.rebroadcast_interval = "2s"
    | .ipfs_connector.ipfshttp.node_multiaddress = $kubo
    | .api.restapi.http_listen_multiaddress = $rest | del(.api.ipfsproxy) | del(.api.pinsvcapi)' \
    "$rogue/service.json" >"$rogue/service.json.new"
  mv "$rogue/service.json.new" "$rogue/service.json"
  # env -u: a test's CLUSTER_IPFSHTTP_NODEMULTIADDRESS (for cluster-follow) would move it to
  # Kubo C. Not through in_lab: $! must be the daemon itself (ip netns exec, env and setsid
  # exec in place), so that stop_rogue and lab-down.sh can stop it.
  ip netns exec "$LAB_NETNS" env -u CLUSTER_IPFSHTTP_NODEMULTIADDRESS setsid ipfs-cluster-service -c "$rogue" daemon \
    >"$LAB_DIR/logs/rogue.log" 2>&1 </dev/null &
  echo "$! rogue" >>"$LAB_DIR/pids"
  wait_until 120 grep -q '\*\* IPFS Cluster is READY \*\*' "$LAB_DIR/logs/rogue.log" || fail "the rogue cluster peer did not start"
  ROGUE_ADDR=/ip4/127.0.0.1/tcp/$ROGUE_PORT/p2p/$ROGUE_ID
}
stop_rogue() {
  local pid
  pid=$(awk '$2 == "rogue" {print $1}' "$LAB_DIR/pids" | tail -n 1)
  [[ -n "$pid" ]] && { kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; }
  sed -i '/ rogue$/d' "$LAB_DIR/pids"
  true
}

# Restarts the trusted peer (SIGTERM, then the same command lab-up.sh used) and waits for it.
restart_trusted() {
  local pid i
  pid=$(awk '$2 == "trusted" {print $1}' "$LAB_DIR/pids" | tail -n 1)
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  for ((i = 0; i < 120; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  ip netns exec "$LAB_NETNS" env -u CLUSTER_IPFSHTTP_NODEMULTIADDRESS setsid ipfs-cluster-service -c "$LAB_DIR/trusted" \
    daemon >>"$LAB_DIR/logs/trusted.log" 2>&1 </dev/null &
  echo "$! trusted" >>"$LAB_DIR/pids"
  local ready
  ready=$(grep -c '\*\* IPFS Cluster is READY \*\*' "$LAB_DIR/logs/trusted.log")
  wait_until 120 bash -c "(( \$(grep -c '\*\* IPFS Cluster is READY \*\*' $LAB_DIR/logs/trusted.log) > $ready ))" ||
    fail "the trusted peer did not restart"
}

# set_trusted_batching <max_batch_size> <max_batch_age>: restarts the trusted peer with CRDT
# batching; restore_trusted_config puts the lab's configuration back (and restarts it).
set_trusted_batching() {
  local svc=$LAB_DIR/trusted/service.json
  [[ -f $svc.lab ]] || cp "$svc" "$svc.lab"
  jq --argjson n "$1" --arg age "$2" '.consensus.crdt.batching.max_batch_size = $n
    | .consensus.crdt.batching.max_batch_age = $age' "$svc.lab" >"$svc"
  restart_trusted
}
restore_trusted_config() {
  local svc=$LAB_DIR/trusted/service.json
  [[ -f $svc.lab ]] || return 0
  mv "$svc.lab" "$svc"
  restart_trusted
}
