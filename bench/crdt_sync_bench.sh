#!/usr/bin/env bash
# CRDT sync benchmark (not a test): a trusted peer holding N pins, and two followers starting
# empty, both over libp2p only: cluster-follow (Kubo C), then upstream's ipfs-cluster-follow
# (Kubo B), each with the machine to itself (--together: both at once, sharing its 2 cores). For each: time until the whole pinset is known (DAG synced), time
# until all N are pinned in its Kubo (the content is already in every Kubo, so Kubo is not the
# bottleneck), CPU seconds and peak RSS, and the ratios. See bench/README.md.
#
# Usage: bench/crdt_sync_bench.sh [--pins N] [--batch B] [--together] [--timeout S]
#                                 [--json FILE] [--lab-dir DIR] [--cf BINARY]
# --batch B: the trusted peer commits CRDT batches of B pins (consensus.crdt.batching), so the
# DAG has about N/B nodes; without it every pin is one node (a DAG of height N).
# Needs root and the lab daemons; builds its own lab and always tears it down.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

N=10000
BATCH=0
TIMEOUT=3600
JSON=""
LAB_DIR=/tmp/cf-crdtbench
CF="$ROOT/build/src/cli/cluster-follow"
TOGETHER=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --pins) N=$2; shift 2 ;;
    --batch) BATCH=$2; shift 2 ;;
    --together) TOGETHER=(--together); shift ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    --json) JSON=$(realpath -m "$2"); shift 2 ;;
    --lab-dir) LAB_DIR=$2; shift 2 ;;
    --cf) CF=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ && $BATCH =~ ^[0-9]+$ ]] || { echo "--pins and --batch must be numbers" >&2; exit 2; }
[[ -x $CF ]] || { echo "no cluster-follow binary at $CF" >&2; exit 2; }

log() { printf '[bench] %s\n' "$*" >&2; }
started=$SECONDS
trap '"$ROOT/tests/lab/lab-down.sh" "$LAB_DIR" >/dev/null 2>&1 || true; log "lab torn down; $((SECONDS - started)) s in all"' EXIT

"$ROOT/tests/lab/lab-up.sh" "$LAB_DIR"
# shellcheck disable=SC1091
source "$ROOT/tests/lab/lab-test-lib.sh" "$LAB_DIR"
trap '"$ROOT/tests/lab/lab-down.sh" "$LAB_DIR" >/dev/null 2>&1 || true; log "lab torn down; $((SECONDS - started)) s in all"' EXIT

# The lab's own upstream follower already holds the lab's state: the benchmark starts a fresh one.
pid=$(awk '$2 == "follow" {print $1}' "$LAB_DIR/pids" | tail -n 1)
kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
if ((BATCH > 0)); then
  set_trusted_batching "$BATCH" 1s
  log "the trusted peer commits CRDT batches of $BATCH pins"
fi

# N files, added to Kubo A (the trusted peer's) and to Kubo B and C, so pins are local.
dir="$LAB_DIR/files"
python3 - "$dir" "$N" <<'EOF'
import os, sys
os.makedirs(sys.argv[1])
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], f"f{i:07d}"), "wb") as f:
        f.write(b"%d " % i + os.urandom(200))
EOF
for node in A B C; do
  IPFS_PATH="$LAB_DIR/kubo$node" in_lab ipfs add -r -q --pin=false "$dir" >"$LAB_DIR/add$node.list"
done
head -n "$N" "$LAB_DIR/addA.list" >"$LAB_DIR/pins.cids"
cmp -s "$LAB_DIR/addA.list" "$LAB_DIR/addC.list" || { log "the Kubos gave different CIDs"; exit 1; }
log "$N files in Kubo A, B and C; pinning them on the trusted peer"
in_lab python3 "$HERE/measure.py" pin --cids "$LAB_DIR/pins.cids" --parallel 8 --wait 1800

export IPFS_CLUSTER_PATH="$LAB_DIR/follow-bench"
in_lab ipfs-cluster-follow "$CLUSTER_NAME" init "$TEMPLATE_URL" >/dev/null
unset IPFS_CLUSTER_PATH
in_lab "$CF" --config "$LAB_DIR/cf-bench" bench init "$TEMPLATE_URL" >/dev/null
ARGS=(--cids "$LAB_DIR/pins.cids" --lab-dir "$LAB_DIR" --cf "$CF" --cf-config "$LAB_DIR/cf-bench"
      --follow-config "$LAB_DIR/follow-bench" --cluster-name "$CLUSTER_NAME" --timeout "$TIMEOUT")
[[ -n $JSON ]] && ARGS+=(--json "$JSON")
ARGS+=("${TOGETHER[@]}")
in_lab python3 "$HERE/crdt_sync.py" measure "${ARGS[@]}"
