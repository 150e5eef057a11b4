#!/usr/bin/env bash
# Bitswap benchmark (not a test): every block of a UnixFS directory of N small files, fetched from
# Kubo X, two ways in turn: cluster-follow's bitswap client (the pubsub lab driver's fetch-dag,
# walking dag-pb links with many wants in flight) and a fresh Kubo Z peered only with X, which
# fetches every block through Kubo's own bitswap client: `ipfs pin add` (--kubo pin, default;
# Kubo fetches the DAG with parallel workers) or `ipfs refs -r` (--kubo refs). Prints blocks/s,
# CPU seconds and RSS of each, and the ratios. See bench/README.md.
#
# Usage: bench/bitswap_bench.sh [--files N] [--runs R] [--concurrency C] [--kubo pin|refs]
#                               [--json FILE] [--lab-dir DIR] [--driver BINARY]
# Needs root (a loopback-only network namespace) and the lab's Kubo (tests/lab/build-daemons.sh).
# Starts its own Kubo nodes and always stops them (CF_LAB_KEEP=1 keeps the folder and logs).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"

FILES=10000
RUNS=5
CONCURRENCY=512
KUBO_FETCH=pin
JSON=""
LAB_DIR=/tmp/cf-bitswap-bench
DRIVER="$ROOT/build/tests/lab/cf_pubsub_lab_driver"
while [[ $# -gt 0 ]]; do
  case $1 in
    --files) FILES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --concurrency) CONCURRENCY=$2; shift 2 ;;
    --kubo) KUBO_FETCH=$2; shift 2 ;;
    --json) JSON=$(realpath -m "$2"); shift 2 ;;
    --lab-dir) LAB_DIR=$2; shift 2 ;;
    --driver) DRIVER=$(realpath "$2"); shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in FILES RUNS CONCURRENCY; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "--${v,,} must be a positive integer" >&2; exit 2; }
done
[[ $KUBO_FETCH == pin || $KUBO_FETCH == refs ]] || { echo "--kubo must be pin or refs" >&2; exit 2; }
[[ -x $DRIVER ]] || { echo "no driver at $DRIVER (cmake --build build --target cf_pubsub_lab_driver)" >&2; exit 2; }

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
ipfs_on() { local node=$1; shift; IPFS_PATH="$LAB_DIR/kubo$node" lab_exec ipfs "$@"; }
# The Kubo daemon's pid: lab_spawn records the process it started, which may be setsid's parent.
kubo_pid() {
  local pid
  pid=$(awk -v n="kubo$1" '$2 == n {print $1}' "$LAB_DIR/pids" | tail -n 1)
  [[ $(cat "/proc/$pid/comm") == ipfs ]] || pid=$(pgrep -P "$pid" -x ipfs)
  echo "$pid"
}
TICKS=$(getconf CLK_TCK)
cpu_of() { awk -v t="$TICKS" '{printf "%.3f", ($14 + $15) / t}' "/proc/$1/stat"; }
rss_kib_of() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

kubo_init X
kubo_start X
kubo_wait X
X_ID=$(jq -r .Identity.PeerID "$LAB_DIR/kuboX/config")
X_ADDR=/ip4/127.0.0.1/tcp/${KUBO_SWARM[X]}/p2p/$X_ID

python3 - "$LAB_DIR/dir" "$FILES" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root)
for i in range(n):
    with open(os.path.join(root, f"f{i:06d}"), "wb") as f:
        f.write(os.urandom(64))
EOF
DAG_ROOT=$(ipfs_on X add -r -Q --pin=false "$LAB_DIR/dir")
BLOCKS=$(( $(ipfs_on X refs -r -u "$DAG_ROOT" | wc -l) + 1 ))
log "Kubo X holds $DAG_ROOT: $FILES files, $BLOCKS blocks"

RESULTS="$LAB_DIR/results.jsonl"
: >"$RESULTS"

run_ours() {
  local out
  out=$(lab_exec "$DRIVER" fetch-dag "$X_ADDR" --root "$DAG_ROOT" --concurrency "$CONCURRENCY" \
        2>"$LAB_DIR/logs/driver.err") || { echo "$out" >&2; log "cluster-follow's fetch failed"; return 1; }
  sed -n 's/^FETCHED blocks=\([0-9]*\) bytes=[0-9]* seconds=\([0-9.e-]*\) cpu_seconds=\([0-9.e-]*\) max_rss_kib=\([0-9]*\)$/{"path": "cluster-follow", "blocks": \1, "seconds": \2, "cpu_s": \3, "rss_kib": \4}/p' \
    <<<"$out" >>"$RESULTS"
  tail -n 1 "$RESULTS" >&2
}

# A fresh Kubo Z each run (empty blockstore), connected to X only; its CPU and RSS are the
# daemon's own, measured around `ipfs refs -r` (RSS: the daemon's resident size at the end).
run_kubo() {
  local run=$1 pid c0 c1 t0 t1 rss
  rm -rf "$LAB_DIR/kuboZ"
  kubo_init Z
  IPFS_PATH="$LAB_DIR/kuboZ" ipfs config --json Bootstrap '[]'
  kubo_start Z
  kubo_wait Z
  pid=$(kubo_pid Z)
  ipfs_on Z swarm connect "$X_ADDR" >/dev/null
  c0=$(cpu_of "$pid")
  t0=$(date +%s.%N)
  if [[ $KUBO_FETCH == refs ]]; then
    got=$(( $(ipfs_on Z refs -r -u "$DAG_ROOT" | wc -l) + 1 ))
  else
    ipfs_on Z pin add --progress=false "$DAG_ROOT" >/dev/null
    got=$(ipfs_on Z repo stat --size-only=false | awk '/NumObjects/ {print $2}')
  fi
  t1=$(date +%s.%N)
  c1=$(cpu_of "$pid")
  rss=$(rss_kib_of "$pid")
  ((got >= BLOCKS)) || { log "Kubo Z holds $got blocks, expected $BLOCKS"; return 1; }
  kill -TERM -- "-$(awk '$2 == "kuboZ" {print $1}' "$LAB_DIR/pids" | tail -n 1)" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  jq -nc --argjson blocks "$BLOCKS" --argjson t0 "$t0" --argjson t1 "$t1" --argjson c0 "$c0" --argjson c1 "$c1" \
    --argjson rss "$rss" --arg how "$KUBO_FETCH" '{path: "kubo", how: $how, blocks: $blocks, seconds: ($t1 - $t0), cpu_s: ($c1 - $c0), rss_kib: $rss}' >>"$RESULTS"
  tail -n 1 "$RESULTS" >&2
}

# Kubo Z uses the ports the lab reserves for node Y.
KUBO_API[Z]=${KUBO_API[Y]}
KUBO_GATEWAY[Z]=${KUBO_GATEWAY[Y]}
KUBO_SWARM[Z]=${KUBO_SWARM[Y]}
for ((r = 1; r <= RUNS; r++)); do
  log "run $r of $RUNS"
  run_ours
  run_kubo "$r"
done

python3 - "$RESULTS" "$BLOCKS" "$JSON" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
blocks, out = int(sys.argv[2]), sys.argv[3]
def med(path, key):
    return statistics.median(r[key] for r in rows if r["path"] == path)
summary = {}
for path in ("cluster-follow", "kubo"):
    secs = med(path, "seconds")
    summary[path] = {"blocks": blocks, "seconds": secs, "blocks_per_s": blocks / secs,
                     "cpu_s": med(path, "cpu_s"), "rss_mib": med(path, "rss_kib") / 1024}
ours, kubo = summary["cluster-follow"], summary["kubo"]
ratio = {"blocks_per_s": ours["blocks_per_s"] / kubo["blocks_per_s"], "cpu_s": ours["cpu_s"] / kubo["cpu_s"],
         "rss_mib": ours["rss_mib"] / kubo["rss_mib"]}
print(f"{blocks} blocks, median of {len(rows) // 2} runs each; Kubo: ipfs {rows[-1].get('how', '?')}")
print(f"{'':16}{'blocks/s':>12}{'seconds':>10}{'CPU s':>9}{'RSS MiB':>10}")
for name, s in summary.items():
    print(f"{name:16}{s['blocks_per_s']:12.0f}{s['seconds']:10.2f}{s['cpu_s']:9.2f}{s['rss_mib']:10.1f}")
print(f"{'ratio (ours/kubo)':16}{ratio['blocks_per_s']:12.2f}{'':10}{ratio['cpu_s']:9.2f}{ratio['rss_mib']:10.2f}")
if out:
    json.dump({"summary": summary, "ratio": ratio, "runs": rows}, open(out, "w"), indent=2)
EOF
