#!/usr/bin/env bash
# p2p stream benchmark (not a test): N bytes over one libp2p stream, three ways: cluster-follow's
# host sends into Kubo's stream mounting (`ipfs p2p listen`), Kubo sends (`ipfs p2p forward`)
# to cluster-follow's host, and Kubo to Kubo for comparison. Prints MB/s and CPU seconds of
# each, with the ratios. See bench/README.md.
#
# Usage: bench/p2p_stream_bench.sh [--bytes N] [--runs R] [--private] [--json FILE]
#                                  [--lab-dir DIR] [--driver BINARY]
# --private: both Kubo nodes and our host in one private network (a swarm.key, as a cluster's
# secret makes one), so every byte also goes through pnet's XSalsa20.
# Needs root (a loopback-only network namespace) and the lab's Kubo (tests/lab/build-daemons.sh).
# Starts its own two Kubo nodes and always stops them (CF_LAB_KEEP=1 keeps the folder and logs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

BYTES=$((1 << 30))
RUNS=3
JSON=""
LAB_DIR=/tmp/cf-p2p-bench
DRIVER="$ROOT/build/tests/p2p/cf_p2p_lab_driver"
PRIVATE=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --bytes) BYTES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --private) PRIVATE=1; shift ;;
    --json) JSON=$(realpath -m "$2"); shift 2 ;;
    --lab-dir) LAB_DIR=$2; shift 2 ;;
    --driver) DRIVER=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $BYTES =~ ^[1-9][0-9]*$ ]] || { echo "--bytes must be a positive integer" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs must be a positive integer" >&2; exit 2; }
[[ -x $DRIVER ]] || { echo "no driver at $DRIVER (cmake --build build --target cf_p2p_lab_driver)" >&2; exit 2; }

# shellcheck disable=SC1091
source "$ROOT/tests/lab/lab-common.sh"   # kubo_init, kubo_start, lab_spawn, KUBO_* ports
log() { printf '[bench] %s\n' "$*" >&2; }
started=$SECONDS
trap '"$ROOT/tests/lab/lab-down.sh" "$LAB_DIR" >/dev/null 2>&1 || true; log "stopped; $((SECONDS - started)) s in all"' EXIT

rm -rf "$LAB_DIR"
mkdir -p "$LAB_DIR/logs"
: >"$LAB_DIR/pids"
PATH="$("$ROOT/tests/lab/build-daemons.sh" | tail -n 1):$PATH"
export PATH
lab_netns_create

PROTOCOL=/x/cf-bench
SINK_PORT=7101
FORWARD_PORT=7102     # Kubo X -> Kubo Y
FORWARD_US_PORT=7103  # Kubo X -> our sink
OUR_PORT=4061
KEY_HEX=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
for node in X Y; do
  kubo_init "$node"
  IPFS_PATH="$LAB_DIR/kubo$node" ipfs config --json Experimental.Libp2pStreamMounting true
  [[ $PRIVATE == 1 ]] && kubo_make_private "$node" "$KEY_HEX"
  kubo_start "$node"
done
DRIVER_KEY=()
[[ $PRIVATE == 1 ]] && DRIVER_KEY=(--swarm-key "$LAB_DIR/kuboY/swarm.key")
for node in X Y; do kubo_wait "$node"; done
Y_ID=$(jq -r .Identity.PeerID "$LAB_DIR/kuboY/config")
Y_ADDR=/ip4/127.0.0.1/tcp/${KUBO_SWARM[Y]}/p2p/$Y_ID
ipfs_on() { local node=$1; shift; IPFS_PATH="$LAB_DIR/kubo$node" lab_exec ipfs "$@"; }

lab_spawn sink python3 "$HERE/stream_pipe.py" sink --port "$SINK_PORT"
lab_wait_log sink 'stream_pipe: sink' 30
ipfs_on Y p2p listen "$PROTOCOL" "/ip4/127.0.0.1/tcp/$SINK_PORT"
ipfs_on X swarm connect "$Y_ADDR" >/dev/null
ipfs_on X p2p forward "$PROTOCOL" "/ip4/127.0.0.1/tcp/$FORWARD_PORT" "/p2p/$Y_ID"
lab_spawn cfsink "$DRIVER" sink "/ip4/127.0.0.1/tcp/$OUR_PORT" --protocol "$PROTOCOL" --streams "$RUNS" \
  --wait 3600 "${DRIVER_KEY[@]}"
lab_wait_log cfsink '^LOCAL' 30
OUR_ID=$(awk '/^LOCAL/ {print $2; exit}' "$LAB_DIR/logs/cfsink.log")
ipfs_on X swarm connect "/ip4/127.0.0.1/tcp/$OUR_PORT/p2p/$OUR_ID" >/dev/null
ipfs_on X p2p forward "$PROTOCOL" "/ip4/127.0.0.1/tcp/$FORWARD_US_PORT" "/p2p/$OUR_ID"
log "Kubo X and Y up; Y relays $PROTOCOL to the sink; X forwards 127.0.0.1:$FORWARD_PORT to Y" \
  "and 127.0.0.1:$FORWARD_US_PORT to our host"

# The Kubo daemon's pid: lab_spawn records the process it started, which may be setsid's parent.
kubo_pid() {
  local pid
  pid=$(awk -v n="kubo$1" '$2 == n {print $1}' "$LAB_DIR/pids" | tail -n 1)
  [[ $(cat "/proc/$pid/comm") == ipfs ]] || pid=$(pgrep -P "$pid" -x ipfs)
  echo "$pid"
}
X_PID=$(kubo_pid X)
Y_PID=$(kubo_pid Y)
TICKS=$(getconf CLK_TCK)
# CPU seconds (user + system, all threads) a process has used so far.
cpu_of() { awk -v t="$TICKS" '{printf "%.3f", ($14 + $15) / t}' "/proc/$1/stat"; }
# The sink's line for the <n>th transfer (1-based), waiting up to 10 minutes.
sink_line() {
  local n=$1 i
  for ((i = 0; i < 2400; i++)); do
    line=$(grep '^{' "$LAB_DIR/logs/sink.log" | sed -n "${n}p")
    [[ -n $line ]] && { echo "$line"; return 0; }
    sleep 0.25
  done
  log "the sink never reported transfer $n"
  return 1
}
# Our sink's RECEIVED line for the <n>th stream, as the JSON the Python sink prints.
our_line() {
  local n=$1 i
  for ((i = 0; i < 2400; i++)); do
    line=$(grep '^RECEIVED' "$LAB_DIR/logs/cfsink.log" | sed -n "${n}p")
    if [[ -n $line ]]; then
      sed 's/^RECEIVED bytes=\([0-9]*\) seconds=\([0-9.e-]*\) cpu_seconds=\([0-9.e-]*\)$/{"bytes": \1, "seconds": \2, "cpu_seconds": \3}/' <<<"$line"
      return 0
    fi
    sleep 0.25
  done
  log "our sink never reported stream $n"
  return 1
}

RESULTS="$LAB_DIR/results.jsonl"
: >"$RESULTS"
transfers=0
# record <path> <sender-cpu> <receiver-cpu> [<sink line>]: one JSON line per transfer, from the
# sink's numbers (by default the Python sink's next line).
record() {
  local line=${4:-}
  if [[ -z $line ]]; then
    transfers=$((transfers + 1))
    line=$(sink_line "$transfers")
  fi
  jq -c --arg path "$1" --argjson sender "$2" --argjson receiver "$3" --argjson want "$BYTES" '
    if .bytes != $want then error("sink got \(.bytes) bytes, expected \($want)") else . end
    | {path: $path, bytes, seconds, mb_per_s: (.bytes / .seconds / 1e6),
       sender_cpu_s: $sender, receiver_cpu_s: $receiver}' <<<"$line" >>"$RESULTS"
  tail -n 1 "$RESULTS" >&2
}

run_ours() {
  local y0 y1 out
  y0=$(cpu_of "$Y_PID")
  out=$(lab_exec "$DRIVER" send "$Y_ADDR" --protocol "$PROTOCOL" --bytes "$BYTES" "${DRIVER_KEY[@]}" 2>"$LAB_DIR/logs/driver.err") \
    || { echo "$out"; tail -n 5 "$LAB_DIR/logs/driver.err"; log "cluster-follow's send failed"; return 1; }
  y1=$(cpu_of "$Y_PID")
  record "cluster-follow sends" "$(sed -n 's/^SENT .*cpu_seconds=\([0-9.e-]*\).*/\1/p' <<<"$out")" \
    "$(awk -v a="$y0" -v b="$y1" 'BEGIN {print b - a}')"
}

run_kubo() {
  local x0 x1 y0 y1
  x0=$(cpu_of "$X_PID")
  y0=$(cpu_of "$Y_PID")
  lab_exec python3 "$HERE/stream_pipe.py" source --port "$FORWARD_PORT" --bytes "$BYTES" >/dev/null
  x1=$(cpu_of "$X_PID")
  y1=$(cpu_of "$Y_PID")
  record kubo "$(awk -v a="$x0" -v b="$x1" 'BEGIN {print b - a}')" "$(awk -v a="$y0" -v b="$y1" 'BEGIN {print b - a}')"
}

run_ours_receiving() {
  local run=$1 x0 x1 line
  x0=$(cpu_of "$X_PID")
  lab_exec python3 "$HERE/stream_pipe.py" source --port "$FORWARD_US_PORT" --bytes "$BYTES" >/dev/null
  line=$(our_line "$run")  # Kubo X may still be flushing when its TCP side closes: wait for us
  x1=$(cpu_of "$X_PID")
  record "cluster-follow receives" "$(awk -v a="$x0" -v b="$x1" 'BEGIN {print b - a}')" \
    "$(jq .cpu_seconds <<<"$line")" "$line"
}

for ((r = 1; r <= RUNS; r++)); do
  log "run $r of $RUNS: $BYTES bytes, cluster-follow sends, Kubo to Kubo, cluster-follow receives"
  run_ours
  run_kubo
  run_ours_receiving "$r"
done

TABLE_ARGS=(--bytes "$BYTES")
[[ $PRIVATE == 1 ]] && TABLE_ARGS+=(--private)
[[ -n $JSON ]] && TABLE_ARGS+=(--json "$JSON")
python3 "$HERE/p2p_stream_table.py" "$RESULTS" "${TABLE_ARGS[@]}"
