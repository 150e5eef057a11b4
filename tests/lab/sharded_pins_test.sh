#!/usr/bin/env bash
# A sharded add on the real trusted peer (REST `POST /add?shard=true`; ipfs-cluster-ctl 1.1.6
# has no flag for it): a meta pin, its cluster DAG and its shards, all "pin everywhere".
# cluster-follow (REST source, into Kubo C) must leave the same pins as upstream's follower
# (into Kubo B), with the same Kubo pin types: shards recursive, the cluster DAG direct, the
# meta pin (the file's root) not pinned and listed `sharded`. Unpinning the meta pin on the
# trusted peer removes all of them from both. Then the source's own checks against the live
# REST API (RestSourceLab: every pin type parses and round-trips; two polls of an unchanged
# pinset send byte-identical lines, which the PinsetTracker relies on).
# Usage: sharded_pins_test.sh <lab-dir> <cluster-follow binary> <cf_cluster_tests binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-shardtest
CLUSTER_TESTS=${3:?cf_cluster_tests binary}
export CLUSTER_FOLLOW_RESTAPI_URL="http://127.0.0.1:9094"
export CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=1s
status_of() { cf sh list --json | jq -r --arg c "$1" 'select(.cid == $c) | .status'; }
# The Kubo pin type of <cid> at <api>: recursive, direct, or "" when not pinned (indirect too).
pin_type() {
  kubo_rpc "$1" "pin/ls?arg=$2&type=all" | jq -r --arg c "$2" '(.Keys // {})[$c].Type // "" | select(startswith("indirect") | not)'
}

cf sh init "$TEMPLATE_URL" >/dev/null
ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" sh run >"$WORK/run.log" 2>&1 &
run_pid=$!
wait_until 60 grep -q 'ready; waiting' "$WORK/run.log" || { cat "$WORK/run.log" >&2; fail "run did not start"; }

# --- a sharded add: 1.5 MB in shards of at most 500 kB ---------------------------------------
tag="sharded-$RANDOM$RANDOM"
head -c 1500000 /dev/urandom >"$WORK/file"
in_lab curl -fsS -X POST -F "file=@$WORK/file" \
  "http://127.0.0.1:9094/add?shard=true&shard-size=500000&name=$tag&replication-min=-1&replication-max=-1" \
  >"$WORK/add.ndjson" || fail "the sharded add failed: $(cat "$WORK/add.ndjson")"
in_lab curl -fsS "http://127.0.0.1:9094/allocations?filter=all" \
  | jq -r --arg t "$tag" 'select(.name | startswith($t)) | "\(.type) \(.cid)"' | sort >"$WORK/pins"
meta=$(awk '$1 == "meta-pin" {print $2}' "$WORK/pins")
dag=$(awk '$1 == "clusterdag-pin" {print $2}' "$WORK/pins")
mapfile -t shards < <(awk '$1 == "shard-pin" {print $2}' "$WORK/pins")
[[ -n $meta && -n $dag && ${#shards[@]} -ge 3 ]] || { cat "$WORK/pins"; fail "expected a meta, a cluster DAG and >= 3 shard pins"; }
echo "sharded add: meta $meta, cluster DAG $dag, ${#shards[@]} shards"

# --- both followers keep the same pins, with the same types ------------------------------------
both_have() {
  for c in "$dag" "${shards[@]}"; do
    [[ -n $(pin_type "$KUBO_B_API" "$c") && -n $(pin_type "$KUBO_C_API" "$c") ]] || return 1
  done
}
wait_until 120 both_have || {
  tail -20 "$WORK/run.log" >&2
  fail "the cluster DAG and shards are not pinned in both Kubo B (upstream) and Kubo C (ours)"
}
for c in "$dag" "${shards[@]}"; do
  b=$(pin_type "$KUBO_B_API" "$c")
  ours=$(pin_type "$KUBO_C_API" "$c")
  [[ $b == "$ours" ]] || fail "$c is pinned $b by upstream but $ours by cluster-follow"
done
[[ $(pin_type "$KUBO_C_API" "$dag") == direct ]] || fail "the cluster DAG is not pinned direct"
[[ $(pin_type "$KUBO_C_API" "${shards[0]}") == recursive ]] || fail "a shard is not pinned recursive"
[[ -z $(pin_type "$KUBO_B_API" "$meta") ]] || fail "upstream pinned the meta pin (test assumption broken)"
[[ -z $(pin_type "$KUBO_C_API" "$meta") ]] || fail "cluster-follow pinned the meta pin"
wait_until 30 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK sh list --json | jq -r --arg c $meta 'select(.cid == \$c) | .status') == sharded ]]" \
  || fail "the meta pin is $(status_of "$meta"), not sharded"
pass "sharded DAG: cluster DAG direct, ${#shards[@]} shards recursive, meta not pinned (sharded) — as upstream"

# --- unpinning the meta pin removes the whole DAG from both --------------------------------------
in_lab curl -fsS -X DELETE "http://127.0.0.1:9094/pins/$meta" >/dev/null || fail "unpinning the meta pin failed"
none_left() {
  for c in "$dag" "${shards[@]}"; do
    [[ -z $(pin_type "$KUBO_B_API" "$c") && -z $(pin_type "$KUBO_C_API" "$c") ]] || return 1
  done
}
wait_until 120 none_left || fail "the cluster DAG or a shard is still pinned after the meta pin was removed"
pass "unpinning the meta pin removed the cluster DAG and every shard from Kubo B and Kubo C"

# --- the REST source against the live API ----------------------------------------------------------
stop_run
# The sharded DAG is gone again: pin one of each kind the source must parse while the checks
# run, and take them away afterwards (later lab tests share this cluster).
in_lab curl -fsS -X POST -F "file=@$WORK/file" \
  "http://127.0.0.1:9094/add?shard=true&shard-size=500000&name=$tag-2&replication-min=-1&replication-max=-1" >/dev/null
meta2=$(in_lab curl -fsS "http://127.0.0.1:9094/allocations?filter=all" \
  | jq -r --arg n "$tag-2" 'select(.name == $n and .type == "meta-pin") | .cid')
data=$(add_random_to_a 3000)
cluster_pin --name "$tag-data" "$data"
in_lab env CF_LAB_REST_URL=http://127.0.0.1:9094 "$CLUSTER_TESTS" \
  --gtest_filter='RestSourceLab.FetchesTheRealPinset:RestSourceLab.TrackerSeesNoChangeBetweenPolls' | tee "$WORK/gtest.out"
in_lab curl -fsS -X DELETE "http://127.0.0.1:9094/pins/$meta2" >/dev/null || fail "unpinning $meta2 failed"
cluster_unpin "$data"
grep -q '^\[  PASSED  \] 2 tests' "$WORK/gtest.out" || fail "the RestSourceLab checks did not pass (or were skipped)"
grep -qE '^lab pinset: [0-9]+ pins \([1-9][0-9]* data, [1-9][0-9]* meta, [1-9][0-9]* clusterdag, [1-9][0-9]* shard\)' \
  "$WORK/gtest.out" || fail "the live pinset lacked a pin type"
pass "the REST source parses every pin type of the live API; unchanged polls are byte-identical"
