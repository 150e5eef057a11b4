#!/usr/bin/env bash
# Pinning benchmark (not a test): N small pins, cluster-follow vs upstream's ipfs-cluster-follow
# in the same run. Prints pins per second, Kubo requests (total, by path, in flight) and the
# followers' RSS and CPU, with the ratio cluster-follow / upstream. See bench/README.md.
#
# Usage: bench/pinning_bench.sh [--pins N] [--timeout SECONDS] [--json FILE] [--lab-dir DIR]
#                               [--cf BINARY] [--poll-interval D]
# Needs root (the lab's network namespace). Starts its own lab and always tears it down
# (CF_LAB_KEEP=1 keeps the lab folder and its logs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

N=10000
TIMEOUT=1800
JSON=""
LAB_DIR=/tmp/cf-bench
CF="$ROOT/build/src/cli/cluster-follow"
POLL=1s
while [[ $# -gt 0 ]]; do
  case $1 in
    --pins) N=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --json) JSON=$(realpath -m "$2"); shift 2 ;;
    --lab-dir) LAB_DIR=$2; shift 2 ;;
    --cf) CF=$(realpath "$2"); shift 2 ;;
    --poll-interval) POLL=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "--pins must be a positive integer" >&2; exit 2; }
[[ -x $CF ]] || { echo "no cluster-follow binary at $CF (cmake --build build --target cluster-follow)" >&2; exit 2; }

log() { printf '[bench] %s\n' "$*" >&2; }
started=$SECONDS
trap '"$ROOT/tests/lab/lab-down.sh" "$LAB_DIR" >/dev/null 2>&1 || true; log "lab torn down; $((SECONDS - started)) s in all"' EXIT

"$ROOT/tests/lab/lab-up.sh" "$LAB_DIR"
# shellcheck disable=SC1091
source "$LAB_DIR/lab.env"
# shellcheck disable=SC1091
source "$ROOT/tests/lab/lab-common.sh"   # lab_spawn, lab_exec (LAB_DIR is set)
export PATH="$LAB_BIN:$PATH"
in_lab() { ip netns exec "$LAB_NETNS" "$@"; }

# --- stop upstream's follower, so both followers start from zero together later ----------------
pid=$(awk '$2 == "follow" {print $1}' "$LAB_DIR/pids" | tail -n 1)
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
kill -KILL -- "-$pid" 2>/dev/null || true
log "upstream's follower stopped"

# --- N small distinct files, added to Kubo A in one command ------------------------------------
FILES="$LAB_DIR/files"
python3 - "$FILES" "$N" <<'EOF'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
os.makedirs(d)
for i in range(n):
    with open(os.path.join(d, "f%06d" % i), "wb") as f:
        f.write(b"cf-bench file %d\n" % i + os.urandom(1000))
EOF
t=$SECONDS
IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -r --pin=false --progress=false "$FILES" >"$LAB_DIR/added.txt"
awk '$1 == "added" && $3 ~ /\// {print $2}' "$LAB_DIR/added.txt" >"$LAB_DIR/cids.txt"
count=$(sort -u "$LAB_DIR/cids.txt" | wc -l)
[[ $count -eq $N ]] || { log "expected $N distinct file CIDs from ipfs add, got $count"; exit 1; }
log "$N files (1 KiB each) added to Kubo A in $((SECONDS - t)) s"

# --- pin them all on the trusted peer ----------------------------------------------------------
t=$SECONDS
in_lab python3 "$HERE/measure.py" pin --cids "$LAB_DIR/cids.txt" --wait 900
log "pinset of $N ready on the trusted peer in $((SECONDS - t)) s"

# --- counting proxies in front of Kubo B and Kubo C ---------------------------------------------
lab_spawn proxyB python3 "$HERE/count_proxy.py" --listen 5012 --upstream 127.0.0.1:5011 --stats 5013
lab_spawn proxyC python3 "$HERE/count_proxy.py" --listen 5022 --upstream 127.0.0.1:5021 --stats 5023
lab_wait_log proxyB 'count_proxy:' 30
lab_wait_log proxyC 'count_proxy:' 30
in_lab curl -fsS -o /dev/null -X POST http://127.0.0.1:5012/api/v0/id
in_lab curl -fsS -o /dev/null -X POST http://127.0.0.1:5022/api/v0/id

# --- cluster-follow's own configuration (not started yet) ---------------------------------------
in_lab "$CF" --config "$LAB_DIR/cf" bench init "$TEMPLATE_URL" >"$LAB_DIR/logs/cf-init.log" 2>&1

# --- both followers from T0 ---------------------------------------------------------------------
args=(--cids "$LAB_DIR/cids.txt" --lab-dir "$LAB_DIR" --cf "$CF" --cf-config "$LAB_DIR/cf"
      --cf-name bench --follow-bin "$LAB_BIN/ipfs-cluster-follow" --cluster-name "$CLUSTER_NAME"
      --poll-interval "$POLL" --timeout "$TIMEOUT")
[[ -n $JSON ]] && args+=(--json "$JSON")
in_lab python3 "$HERE/measure.py" measure "${args[@]}"
