#!/usr/bin/env bash
# The pinning engine against the real daemons, through the REST API source:
# 200 CIDs pinned on the trusted peer (recursive, --mode direct, a 5 MB multi-block file, a CID
# whose blocks exist nowhere) end pinned in Kubo C; the missing one shows pin_error with its
# next retry; Kubo B (upstream's follower) and Kubo C agree; unpin and pin update propagate; a
# CID the user pinned by hand survives the cluster's unpin; `status` exit codes.
# Usage: pinning_engine_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-pintest
export CLUSTER_IPFSHTTP_PINTIMEOUT=4s
export CLUSTER_FOLLOW_RESTAPI_URL="http://127.0.0.1:9094"
export CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=1s
export CLUSTER_PINRECOVERINTERVAL=10s  # the verify pass against Kubo's pin/ls
status_of() { cf pe list --json | jq -r --arg c "$1" 'select(.cid == $c) | .status'; }
status_is() { [[ $(status_of "$1") == "$2" ]]; }
count_pinned() { cf pe list --status pinned | wc -l; }

cf pe init "$TEMPLATE_URL" >/dev/null
ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" pe run --metrics 127.0.0.1:9464 >"$WORK/run.log" 2>&1 &
run_pid=$!
wait_until 60 grep -q 'ready; waiting' "$WORK/run.log" || { cat "$WORK/run.log" >&2; fail "run did not start"; }
grep -q 'following the pinset through the REST API' "$WORK/run.log" || fail "the REST source did not start"

# --- 200 CIDs -------------------------------------------------------------------------------
cids=()
for i in $(seq 1 196); do cids+=("$(add_random_to_a $((1000 + i)))"); done
direct=$(add_random_to_a 5000)
big=$(head -c 5000000 /dev/urandom | IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --pin=false --chunker=size-65536)
missing=$(missing_cid)
v1=$(head -c 3000 /dev/urandom | IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --pin=false --cid-version=1)
for c in "${cids[@]}"; do cluster_pin "$c"; done
cluster_pin --mode direct "$direct"
cluster_pin --name big-file "$big"
cluster_pin --name nowhere "$missing"
cluster_pin "$v1"
all=("${cids[@]}" "$direct" "$big" "$v1")
[[ ${#all[@]} -eq 199 ]] || fail "expected 199 available CIDs, have ${#all[@]}"

wait_until 240 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK pe list --status pinned | wc -l) -ge 199 ]]" || {
  cf pe list | awk '{print $1}' | sort | uniq -c >&2
  tail -20 "$WORK/run.log" >&2
  fail "not every available CID reached pinned"
}
c_pins=$(kubo_pin_set "$KUBO_C_API")
for c in "${all[@]}"; do grep -qx "$c" <<<"$c_pins" || fail "$c is pinned in our store but not in Kubo C"; done
kubo_rpc "$KUBO_C_API" "pin/ls?arg=$direct&type=direct" | jq -e '.Keys' >/dev/null || fail "$direct is not pinned direct in Kubo C"
names=$(kubo_rpc "$KUBO_C_API" "pin/ls?arg=$big&names=true" | jq -r ".Keys[\"$big\"].Name")
[[ $names == "cluster-follow/pe" ]] || fail "Kubo pin name is '$names', expected cluster-follow/pe"
pass "199 available CIDs pinned in Kubo C (recursive, direct, 5 MB multi-block, CIDv1), named cluster-follow/pe"

wait_until 30 status_is "$missing" pin_error || fail "the missing CID is $(status_of "$missing"), not pin_error"
row=$(cf pe list --json | jq -c --arg c "$missing" 'select(.cid == $c)')
jq -e '.next_retry_at > 0 and .attempts >= 1 and (.error | length > 0)' <<<"$row" >/dev/null ||
  fail "pin_error row lacks attempts, error or next_retry_at: $row"
pass "the missing CID is pin_error with its next retry: $row"

code=0; cf pe status >/dev/null || code=$?
[[ $code -eq 1 ]] || fail "status with a pin_error should exit 1 (degraded), got $code"

metrics=$(in_lab curl -fsS --max-time 5 http://127.0.0.1:9464/metrics) || fail "no /metrics on 127.0.0.1:9464"
grep -qE '^cluster_follow_pins\{status="pinned"\} (199|2[0-9][0-9])$' <<<"$metrics" ||
  fail "/metrics does not count 199 pinned: $(grep '^cluster_follow_pins' <<<"$metrics")"
grep -qE '^cluster_follow_kubo_request_duration_seconds_count\{operation="pin/add"\} [1-9]' <<<"$metrics" ||
  fail "/metrics has no Kubo pin/add latency"
[[ $(in_lab curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9464/health) == 200 ]] || fail "/health is not 200"
pass "/metrics counts the pins and Kubo latency; /health is 200"

# --- upstream's follower agrees ----------------------------------------------------------------
wait_until 120 bash -c "$(declare -f kubo_rpc kubo_pin_set in_lab); LAB_NETNS=$LAB_NETNS; for c in ${all[*]}; do kubo_pin_set $KUBO_B_API | grep -qx \$c || exit 1; done" ||
  fail "upstream's follower never pinned every CID in Kubo B"
b_pins=$(kubo_pin_set "$KUBO_B_API")
for c in "${all[@]}"; do
  grep -qx "$c" <<<"$b_pins" || fail "Kubo B lacks $c"
done
pass "Kubo B (upstream follower) and Kubo C agree on all 199 CIDs"

# --- unpin, update, the user's own pin --------------------------------------------------------
for c in "${cids[@]:0:10}"; do cluster_unpin "$c"; done
for c in "${cids[@]:0:10}"; do
  wait_until 60 kubo_lacks_pin "$KUBO_C_API" "$c" || fail "$c unpinned on the cluster is still pinned in Kubo C"
done
pass "10 unpins propagated to Kubo C"

to=$(add_random_to_a 7777)
in_lab ipfs-cluster-ctl --host "$TRUSTED_REST" pin update "${cids[20]}" "$to" >/dev/null
wait_until 60 kubo_has_pin "$KUBO_C_API" "$to" || fail "pin update target $to never pinned in Kubo C"
kubo_has_pin "$KUBO_C_API" "${cids[20]}" || fail "pin update removed the old pin (upstream keeps it)"
pass "pin update propagated: $to pinned, ${cids[20]} kept"

mine=$(add_random_to_a 4242)
kubo_rpc "$KUBO_C_API" "pin/add?arg=$mine&name=users-own" >/dev/null
cluster_pin "$mine"
wait_until 60 status_is "$mine" pinned || fail "$mine never showed pinned"
cluster_unpin "$mine"
wait_until 60 bash -c "! ip netns exec $LAB_NETNS $CF --config $WORK pe list | grep -q $mine" || fail "$mine never left the pinset"
kubo_has_pin "$KUBO_C_API" "$mine" || fail "the user's own pin $mine was unpinned by the cluster's unpin"
pass "a CID pinned by hand before the cluster pinned it is still pinned after the cluster unpinned it"

drifted=${cids[50]}
kubo_rpc "$KUBO_C_API" "pin/rm?arg=$drifted" >/dev/null
kubo_has_pin "$KUBO_C_API" "$drifted" && fail "could not unpin $drifted by hand"
wait_until 60 kubo_has_pin "$KUBO_C_API" "$drifted" || fail "the verify pass never re-pinned $drifted, unpinned by hand"
grep -q 'no longer pinned in Kubo' "$WORK/run.log" || fail "the verify pass did not report the drift"
wait_until 30 status_is "$drifted" pinned || fail "$drifted is $(status_of "$drifted") after the repair"
pass "drift repaired: $drifted unpinned by hand in Kubo C was found by the verify pass and pinned again"

# --- status exit codes ------------------------------------------------------------------------
cluster_unpin "$missing"
wait_until 60 bash -c "ip netns exec $LAB_NETNS $CF --config $WORK pe status >/dev/null" ||
  fail "status did not become healthy (0) after the failing pin left: $(cf pe status)"
pass "status healthy: $(cf pe status)"
code=0; CLUSTER_IPFSHTTP_NODEMULTIADDRESS=/ip4/127.0.0.1/tcp/1 cf pe status --json >"$WORK/down.json" || code=$?
[[ $code -eq 2 ]] || fail "status with Kubo unreachable should exit 2, got $code"
jq -e '.kubo.reachable == false and .running == true' "$WORK/down.json" >/dev/null ||
  fail "status --json does not say the daemon runs and Kubo is unreachable: $(cat "$WORK/down.json")"
stop_run
code=0; cf pe status >/dev/null || code=$?
[[ $code -eq 2 ]] || fail "status with the daemon stopped should exit 2, got $code"
code=0; cf nothere status --quiet || code=$?
[[ $code -eq 3 ]] || fail "status of an uninitialized cluster should exit 3, got $code"
pass "status exit codes: 1 degraded, 0 healthy, 2 Kubo unreachable, 2 not running, 3 not initialized"
