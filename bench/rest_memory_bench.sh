#!/usr/bin/env bash
# Memory benchmark (not a test): peak RSS of `cluster-follow run --rest-api` while it reads a
# pinset of N pins from a synthetic REST API (bench/ndjson_pinset_server.py), on the first poll
# of a fresh follower and again after a restart (the pinset is then in state.db and the first
# poll compares with it). See bench/README.md and docs/benchmarks.md.
#
# Usage: bench/rest_memory_bench.sh [--pins N] [--name-bytes B] [--cf BINARY] [--dir DIR]
#                                   [--timeout SECONDS] [--port BASE]
# Defaults: --pins 200000, --name-bytes 0 (names "bench-<i>"), --cf build/src/cli/cluster-follow,
# --dir /tmp/cf-rest-memory (removed first), --timeout 1800 per run, --port 19090 (uses BASE..BASE+2).
# No root, no lab: the pins are allocated to another peer, so the follower records them as
# `remote` and never sends a pin to the fake Kubo (the bench checks that it received none).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

N=200000
NAME_BYTES=0
CF="$ROOT/build/src/cli/cluster-follow"
DIR=/tmp/cf-rest-memory
TIMEOUT=1800
PORT=19090
while [[ $# -gt 0 ]]; do
  case $1 in
    --pins) N=$2; shift 2 ;;
    --name-bytes) NAME_BYTES=$2; shift 2 ;;
    --cf) CF=$(realpath "$2"); shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "--pins must be a positive integer" >&2; exit 2; }
[[ -x $CF ]] || { echo "no cluster-follow binary at $CF (cmake --build build --target cluster-follow)" >&2; exit 2; }
REST=$PORT KUBO=$((PORT + 1)) METRICS=$((PORT + 2))

log() { printf '[bench] %s\n' "$*" >&2; }
rm -rf "$DIR"
mkdir -p "$DIR"
server=""
cf=""
cleanup() {
  [[ -n $cf ]] && kill "$cf" 2>/dev/null || true
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
}
trap cleanup EXIT

python3 "$HERE/ndjson_pinset_server.py" --pins "$N" --rest-port "$REST" --kubo-port "$KUBO" \
  --name-bytes "$NAME_BYTES" --template "$ROOT/configs/service.follower.example.json" 2>"$DIR/server.log" &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$REST/stats" >/dev/null && break; sleep 0.1; done

"$CF" --config "$DIR/cfg" bench init "http://127.0.0.1:$REST/template.json" >"$DIR/init.log" 2>&1

# One run until its first poll is written (the metrics show a last sync), then SIGTERM.
# Prints: seconds to the first sync, VmHWM (peak RSS) and VmRSS at that moment, in KiB.
measure() {
  local name=$1 t0 hwm rss
  t0=$(date +%s.%N)
  CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=1h "$CF" --config "$DIR/cfg" bench run \
    --rest-api "http://127.0.0.1:$REST" --metrics "127.0.0.1:$METRICS" >"$DIR/$name.log" 2>&1 &
  cf=$!
  local deadline=$((SECONDS + TIMEOUT))
  until curl -sf "http://127.0.0.1:$METRICS/metrics" 2>/dev/null | grep -q '^cluster_follow_last_sync_timestamp_seconds '; do
    kill -0 "$cf" 2>/dev/null || { log "$name: cluster-follow exited; see $DIR/$name.log"; tail -5 "$DIR/$name.log" >&2; exit 1; }
    (( SECONDS < deadline )) || { log "$name: no sync within $TIMEOUT s"; exit 1; }
    sleep 0.5
  done
  local t1
  t1=$(date +%s.%N)
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$cf/status")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$cf/status")
  kill -TERM "$cf"
  wait "$cf" || true
  cf=""
  printf '%s %.1f %s %s\n' "$name" "$(echo "$t1 - $t0" | bc)" "$hwm" "$rss"
}

log "N=$N pins, names of $NAME_BYTES bytes (0: short), binary $CF"
first=$(measure first)
log "first run: $first"
restart=$(measure restart)
log "restart:   $restart"
kubo=$(curl -sf "http://127.0.0.1:$KUBO/stats")
db=$(du -k "$DIR/cfg/bench/state.db" 2>/dev/null | cut -f1 || echo "?")
skipped=$(grep -c 'skipping' "$DIR/first.log" || true)

printf '\n| run | pins | time to first sync (s) | peak RSS (MiB) | RSS at sync (MiB) |\n|---|---|---|---|---|\n'
for row in "$first" "$restart"; do
  read -r name secs hwm rss <<<"$row"
  printf '| %s | %d | %s | %.1f | %.1f |\n' "$name" "$N" "$secs" "$(echo "$hwm / 1024" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
done
printf '\nstate.db: %s KiB; fake Kubo calls: %s; skipped-pin log lines: %s\n' "$db" "$kubo" "$skipped"
if grep -q '"pin/add"' <<<"$kubo"; then log "the follower sent pin/add to the fake Kubo"; exit 1; fi
