#!/usr/bin/env bash
# Catching up with a cluster that already holds 2,000 more pins, over libp2p only:
#  1. A late joiner: cluster-follow started after the pins exist ends with the same pinset as
#     upstream's follower (its list and ours agree on every pin; all pinned in Kubo C).
#  2. Crashes: another fresh follower is killed with SIGKILL at 5 random moments of its
#     catch-up and restarted each time; it ends with the same pinset, and the DAG blocks it
#     fetched in all (its /metrics, read just before each kill) exceed the DAG's size by no more
#     than the blocks that were in flight at the kills, plus a small margin for the moment
#     between the read and the kill.
#  3. The trusted peer restarts during a third follower's catch-up: it completes by itself.
# Usage: crdt_catchup_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
source "$(dirname "$0")/lab-common.sh"
use_cluster_follow "${2:?cluster-follow binary}" cf-catchup
unset CLUSTER_FOLLOW_RESTAPI_URL
METRICS=127.0.0.1:9470
trap 'stop_run; rm -rf "$WORK"' EXIT

# --- 2,000 pins in the cluster, and upstream's follower holding them ------------------------------
add_files_to_a 2000 "$WORK/pins.cids"
rest_pin_all "$WORK/pins.cids"
upstream_has_all() {
  kubo_pin_set "$KUBO_B_API" >"$WORK/b.set"
  [[ -z $(comm -23 <(sort "$WORK/pins.cids") "$WORK/b.set") ]]
}
wait_until 600 upstream_has_all || fail "upstream's follower did not pin the 2,000 CIDs"
pass "the cluster holds 2,000 more pins; upstream's follower pinned them all"

# follower <name> [run args...]: starts a fresh cluster-follow <name>; run_pid is its pid.
start_follower() {
  local name=$1
  shift
  ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" "$name" run "$@" >>"$WORK/$name.log" 2>&1 &
  run_pid=$!
}
# Every CID of the 2,000 is known to <name> and pinned (or preexisting) in Kubo C.
all_pinned() {
  cf "$1" list --status pinned | awk '{print $2}' | sort >"$WORK/$1.pinned"
  [[ -z $(comm -23 <(sort "$WORK/pins.cids") "$WORK/$1.pinned") ]]
}
# status exits 1 or 2 when degraded or not running; its JSON is what counts here.
status_json() { cf "$1" status --json || true; }
merged_nodes() { status_json "$1" | jq -r '.source.crdt.merged_nodes // 0'; }
in_sync() { [[ $(status_json "$1" | jq -r '.source.crdt.in_sync') == true ]]; }
metric() { in_lab curl -fsS --max-time 2 "http://$METRICS/metrics" | awk -v m="$1" '$1 == m {print $2}'; }

# --- 1. a late joiner ----------------------------------------------------------------------------
cf late init "$TEMPLATE_URL" >/dev/null
started=$SECONDS
start_follower late
wait_until 120 in_sync late || { tail -n 20 "$WORK/late.log" >&2; fail "the late joiner's DAG sync did not finish"; }
synced_after=$((SECONDS - started))
wait_until 600 all_pinned late || { tail -n 20 "$WORK/late.log" >&2; fail "the late joiner did not pin every CID"; }
pass "late joiner: DAG synced in ${synced_after}s ($(merged_nodes late) nodes), all 2,000 pinned after $((SECONDS - started))s"
upstream_list() { IPFS_CLUSTER_PATH="$FOLLOW_PATH" in_lab ipfs-cluster-follow "$CLUSTER_NAME" list; }
upstream_list | awk '{print $2}' | sort >"$WORK/upstream.cids"
cf late list | awk '{print $2}' | sort >"$WORK/late.cids"
diff "$WORK/upstream.cids" "$WORK/late.cids" >"$WORK/late.diff" || true
# Ours may list CIDs with a pending unpin that upstream no longer lists; nothing of upstream's may be missing.
[[ -z $(grep '^<' "$WORK/late.diff") ]] || { head -n 10 "$WORK/late.diff" >&2; fail "the late joiner lacks pins upstream's follower lists"; }
pass "late joiner: its list holds every pin of upstream's list ($(wc -l <"$WORK/upstream.cids"))"
stop_run
DAG_NODES=$(merged_nodes late)

# --- 2. five crashes during a catch-up -----------------------------------------------------------
cf crash init "$TEMPLATE_URL" >/dev/null
fetched_total=0
in_flight_total=0
for kill in 1 2 3 4 5; do
  start_follower crash --metrics "$METRICS"
  wait_until 30 metric cluster_follow_dag_processed >/dev/null || fail "no /metrics from the crash follower"
  sleep "$(awk -v r="$RANDOM" 'BEGIN {printf "%.2f", 0.3 + (r % 2000) / 1000}')"
  fetched=$(metric 'cluster_follow_dag_blocks_total{result="fetched"}')
  in_flight=$(metric cluster_follow_dag_in_flight)
  kill -KILL "$run_pid"
  wait "$run_pid" 2>/dev/null || true
  run_pid=""
  fetched_total=$((fetched_total + ${fetched:-0}))
  in_flight_total=$((in_flight_total + ${in_flight:-0}))
  echo "kill $kill: $(merged_nodes crash) nodes merged so far; this run fetched ${fetched:-0}, ${in_flight:-0} in flight" >&2
done
start_follower crash --metrics "$METRICS"
wait_until 120 in_sync crash || { tail -n 20 "$WORK/crash.log" >&2; fail "the crashed follower's DAG sync did not finish"; }
wait_until 600 all_pinned crash || fail "the crashed follower did not pin every CID"
fetched=$(metric 'cluster_follow_dag_blocks_total{result="fetched"}')
fetched_total=$((fetched_total + fetched))
nodes=$(merged_nodes crash)
((nodes == DAG_NODES)) || fail "after the crashes the follower merged $nodes DAG nodes, the late joiner $DAG_NODES"
refetched=$((fetched_total - nodes))
margin=$((5 * 64))
((refetched <= in_flight_total + margin)) ||
  fail "$refetched blocks fetched more than once, more than the $in_flight_total in flight at the kills (+ $margin)"
pass "5 kills: same pinset; $fetched_total blocks fetched for $nodes nodes, $refetched again (in flight at the kills: $in_flight_total)"
stop_run

# --- 3. the trusted peer restarts during a catch-up -----------------------------------------------
cf restart init "$TEMPLATE_URL" >/dev/null
start_follower restart
sleep 0.5
restart_trusted
wait_until 180 in_sync restart || { tail -n 20 "$WORK/restart.log" >&2; fail "the catch-up did not finish after the trusted peer restarted"; }
wait_until 600 all_pinned restart || fail "the follower did not pin every CID after the trusted peer's restart"
((  $(merged_nodes restart) == DAG_NODES )) || fail "the follower merged $(merged_nodes restart) nodes, expected $DAG_NODES"
pass "the trusted peer restarted during a catch-up: the follower completed by itself"
