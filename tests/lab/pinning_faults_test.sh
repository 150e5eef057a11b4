#!/usr/bin/env bash
# Faults while pinning, against the real daemons:
# 1. Kubo C killed and restarted mid-pinning: every pin reaches pinned with no manual action.
# 2. cluster-follow killed with SIGKILL mid-pinning and restarted: nothing lost (every pin
#    reaches pinned) and nothing redone (pins finished before the kill are not touched again).
# Usage: pinning_faults_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-faulttest
export CLUSTER_FOLLOW_RESTAPI_URL="http://127.0.0.1:9094"
export CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=1s
start_run() {
  ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" pf run >>"$WORK/run.log" 2>&1 &
  run_pid=$!
  wait_until 60 grep -q 'ready; waiting' "$WORK/run.log" || { cat "$WORK/run.log" >&2; fail "run did not start"; }
}
# The lab's cluster also holds other tests' pins: count only the CIDs named on the command line.
pinned_of() { cf pf list --status pinned | awk '{print $2}' | grep -cxF -f <(printf '%s\n' "$@") || true; }
all_of_pinned() { [[ $(pinned_of "$@") -eq $# ]]; }

# Pins that are certainly in flight when the fault strikes: the cluster pins CIDs whose blocks
# Kubo A does not have yet (hashed with --only-hash), so Kubo C's pin/add waits for them; the
# files are added to Kubo A only after the fault, and the pins then complete.
make_files() {  # make_files <dir> <n>: n files of 100 kB
  local i
  mkdir -p "$1"
  for ((i = 0; i < $2; i++)); do head -c 100000 /dev/urandom >"$1/f$i"; done
}
hash_files() { local f; for f in "$1"/f*; do IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --only-hash "$f"; done; }
add_files() { local f; for f in "$1"/f*; do IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --pin=false "$f" >/dev/null; done; }

cf pf init "$TEMPLATE_URL" >/dev/null
start_run

# --- 1. Kubo C dies mid-pinning --------------------------------------------------------------
make_files "$WORK/batch1" 40
mapfile -t batch1 < <(hash_files "$WORK/batch1")
for c in "${batch1[@]}"; do cluster_pin "$c"; done
wait_until 60 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK pf list --status pinning | wc -l) -ge 10 ]]" ||
  fail "the pins never went in flight"
restart_kubo_c_after 3
at_kill=$(pinned_of "${batch1[@]}")
[[ $at_kill -eq 0 ]] || fail "$at_kill pins finished although their blocks did not exist yet"
add_files "$WORK/batch1"
wait_until 180 all_of_pinned "${batch1[@]}" || {
  cf pf list | awk '{print $1}' | sort | uniq -c >&2
  tail -30 "$WORK/run.log" >&2
  fail "after Kubo C restarted, not every pin reached pinned"
}
grep -q 'Kubo is not answering' "$WORK/run.log" || fail "the daemon never noticed Kubo going away"
c_pins=$(kubo_pin_set "$KUBO_C_API")
for c in "${batch1[@]}"; do grep -qx "$c" <<<"$c_pins" || fail "$c is not pinned in Kubo C"; done
pass "Kubo C killed and restarted with 10 pins in flight: all 40 reached pinned with no manual action"

# --- 2. cluster-follow dies mid-pinning --------------------------------------------------------
make_files "$WORK/batch2" 40
mapfile -t batch2 < <(hash_files "$WORK/batch2")
for c in "${batch2[@]}"; do cluster_pin "$c"; done
wait_until 60 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK pf list --status pinning | wc -l) -ge 10 ]]" ||
  fail "no pin of the second batch was ever in flight"
kill -KILL "$run_pid"
wait "$run_pid" 2>/dev/null || true
run_pid=""
in_flight=$(cf pf list --status pinning | wc -l)
after_kill=$(cf pf list --json --status pinned | jq -c '{cid, updated_at}' | sort)
start_run
add_files "$WORK/batch2"
wait_until 180 all_of_pinned "${batch1[@]}" "${batch2[@]}" || {
  cf pf list | awk '{print $1}' | sort | uniq -c >&2
  fail "after a SIGKILL and restart, not every pin reached pinned"
}
now=$(cf pf list --json --status pinned | jq -c '{cid, updated_at}' | sort)
untouched=$(comm -12 <(echo "$after_kill") <(echo "$now") | wc -l)
[[ $untouched -eq $(echo "$after_kill" | grep -c .) ]] ||
  fail "pins finished before the kill were touched again after the restart"
pass "SIGKILL mid-pinning ($in_flight in flight): all 80 pinned after restart; the $untouched pins finished before the kill were not redone"
