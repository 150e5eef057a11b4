#!/usr/bin/env bash
# cluster-follow following the trusted cluster peer over libp2p (CRDT heads over gossipsub, DAG
# blocks over bitswap; no REST API configured anywhere), side by side with upstream's follower.
# After each phase of an operation mix the Kubo pin types (recursive, direct, none) of every
# CID the phase touched are the same in Kubo B (upstream's follower) and Kubo C (ours):
#   300 pins in 3 bursts; 20 direct pins; names and metadata; a sharded add (the cluster DAG
#   direct, shards max-depth 1, the meta pin never); a pin update; 60 unpins; a re-pin of an
#   unpinned CID; a pin allocated to the trusted peer only (replication 1: neither follower
#   pins it, both list it remote).
# Then a second cluster peer in the private network that is not trusted pins things: they
# never appear. Then the trusted peer runs with CRDT batching (max_batch_size 100) and 300
# more pins arrive as multi-element deltas. At the end `list` agrees with upstream's list.
# Usage: crdt_follow_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
source "$(dirname "$0")/lab-common.sh"
use_cluster_follow "${2:?cluster-follow binary}" cf-crdt
HERE="$(cd "$(dirname "$0")" && pwd)"
unset CLUSTER_FOLLOW_RESTAPI_URL
trap 'stop_run; stop_rogue; restore_trusted_config; rm -rf "$WORK"' EXIT

cf cr init "$TEMPLATE_URL" >/dev/null
ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" cr run >"$WORK/run.log" 2>&1 &
run_pid=$!
wait_until 60 grep -q 'following over libp2p' "$WORK/run.log" || { cat "$WORK/run.log" >&2; fail "run did not follow over libp2p"; }
! grep -qi 'rest api' "$WORK/run.log" || fail "run mentions a REST API"

# Waits until Kubo B and Kubo C give every CID of <file> the same pin type; fails naming the
# first differences after <seconds>.
agree() {
  local c
  while read -r c; do
    [[ $(pin_type "$KUBO_B_API" "$c") == "$(pin_type "$KUBO_C_API" "$c")" ]] || return 1
  done <"$1"
}
wait_agree() {
  local label=$1 file=$2 seconds=$3 c
  if ! wait_until "$seconds" agree "$file"; then
    while read -r c; do
      b=$(pin_type "$KUBO_B_API" "$c"); o=$(pin_type "$KUBO_C_API" "$c")
      [[ $b == "$o" ]] || echo "  $c: upstream '${b:-none}', cluster-follow '${o:-none}', ours listed $(list_status "$c")" >&2
    done <"$file" | head -n 10
    tail -n 20 "$WORK/run.log" >&2
    fail "($label) the two followers' Kubo pinsets differ after ${seconds}s"
  fi
  pass "($label) $(wc -l <"$file") CIDs: Kubo B and Kubo C agree ($(types_of "$file"))"
}
list_status() { cf cr list --json | jq -r --arg c "$1" 'select(.cid == $c) | .status'; }
types_of() { while read -r c; do pin_type "$KUBO_C_API" "$c"; done <"$1" | sed 's/^$/none/' | sort | uniq -c | xargs; }

# --- 1. 300 pins in three bursts -----------------------------------------------------------------
add_files_to_a 300 "$WORK/p1.cids"
for part in 0 1 2; do
  sed -n "$((part * 100 + 1)),$((part * 100 + 100))p" "$WORK/p1.cids" >"$WORK/burst"
  rest_pin_all "$WORK/burst"
done
wait_agree "300 pins in 3 bursts" "$WORK/p1.cids" 240

# --- 2. direct pins; 3. names and metadata -------------------------------------------------------
add_files_to_a 20 "$WORK/direct.cids"
while read -r c; do cluster_pin --mode direct "$c"; done <"$WORK/direct.cids"
wait_agree "20 direct pins" "$WORK/direct.cids" 120
[[ $(pin_type "$KUBO_C_API" "$(head -n 1 "$WORK/direct.cids")") == direct ]] || fail "a direct pin is not direct in Kubo C"
add_files_to_a 5 "$WORK/named.cids"
i=0
while read -r c; do
  i=$((i + 1))
  cluster_pin --name "named-$i" --metadata "owner=lab" --metadata "n=$i" "$c"
done <"$WORK/named.cids"
wait_agree "names and metadata" "$WORK/named.cids" 60
c=$(sed -n 3p "$WORK/named.cids")
wait_until 30 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK cr list --json | jq -r --arg c $c 'select(.cid == \$c) | .name') == named-3 ]]" ||
  fail "the name of $c did not arrive"

# --- 4. a sharded add: shards pinned with max depth 1, the cluster DAG direct ---------------------
tag="crdt-sharded-$RANDOM"
head -c 1200000 /dev/urandom >"$WORK/file"
in_lab curl -fsS -X POST -F "file=@$WORK/file" \
  "http://127.0.0.1:9094/add?shard=true&shard-size=400000&name=$tag&replication-min=-1&replication-max=-1" >/dev/null ||
  fail "the sharded add failed"
in_lab curl -fsS "http://127.0.0.1:9094/allocations?filter=all" |
  jq -r --arg t "$tag" 'select(.name | startswith($t)) | "\(.type) \(.cid)"' >"$WORK/sharded"
awk '$1 != "meta-pin" {print $2}' "$WORK/sharded" >"$WORK/sharded.cids"
awk '$1 == "meta-pin" {print $2}' "$WORK/sharded" >>"$WORK/sharded.cids"
(($(wc -l <"$WORK/sharded.cids") >= 4)) || fail "the sharded add made $(wc -l <"$WORK/sharded.cids") pins"
wait_agree "sharded add" "$WORK/sharded.cids" 120
meta=$(awk '$1 == "meta-pin" {print $2}' "$WORK/sharded")
wait_until 30 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK cr list --json | jq -r --arg c $meta 'select(.cid == \$c) | .status') == sharded ]]" ||
  fail "the meta pin is not listed sharded"

# --- 5. pin update; 6. 60 unpins; 7. a re-pin -----------------------------------------------------
add_files_to_a 1 "$WORK/update.cids"
from=$(head -n 1 "$WORK/p1.cids")
to=$(cat "$WORK/update.cids")
in_lab ipfs-cluster-ctl --host "$TRUSTED_REST" pin update "$from" "$to" >/dev/null || fail "pin update failed"
printf '%s\n%s\n' "$from" "$to" >"$WORK/update.both"
wait_agree "pin update" "$WORK/update.both" 120
[[ -n $(pin_type "$KUBO_C_API" "$to") ]] || fail "the updated pin $to is not pinned"
sed -n 101,160p "$WORK/p1.cids" >"$WORK/unpin.cids"
while read -r c; do cluster_unpin "$c"; done <"$WORK/unpin.cids"
wait_agree "60 unpins" "$WORK/unpin.cids" 120
[[ -z $(pin_type "$KUBO_C_API" "$(head -n 1 "$WORK/unpin.cids")") ]] || fail "an unpinned CID is still pinned in Kubo C"
repin=$(sed -n 2p "$WORK/unpin.cids")
cluster_pin "$repin"
echo "$repin" >"$WORK/repin.cids"
wait_agree "re-pin of an unpinned CID" "$WORK/repin.cids" 60
[[ $(pin_type "$KUBO_C_API" "$repin") == recursive ]] || fail "the re-pinned CID is not pinned again"

# --- 8. a pin allocated to the trusted peer only --------------------------------------------------
add_files_to_a 1 "$WORK/remote.cids"
remote=$(cat "$WORK/remote.cids")
cluster_pin --replication 1 --allocations "$TRUSTED_ID" "$remote"
wait_until 30 bash -c "[[ \$(ip netns exec $LAB_NETNS $CF --config $WORK cr list --json | jq -r --arg c $remote 'select(.cid == \$c) | .status') == remote ]]" ||
  fail "the pin allocated to the trusted peer only is not listed remote (it is '$(list_status "$remote")')"
wait_agree "replication 1, allocated elsewhere" "$WORK/remote.cids" 30
[[ -z $(pin_type "$KUBO_C_API" "$remote") ]] || fail "cluster-follow pinned a pin allocated elsewhere"

# --- an untrusted cluster peer pins: nothing of it appears ----------------------------------------
start_rogue
add_files_to_a 5 "$WORK/rogue.cids"
while read -r c; do in_lab ipfs-cluster-ctl --host "$ROGUE_REST" pin add --no-status "$c" >/dev/null; done <"$WORK/rogue.cids"
sleep 15
while read -r c; do
  [[ -z $(list_status "$c") ]] || fail "a pin made by the untrusted peer appeared in our list: $c"
  [[ -z $(pin_type "$KUBO_C_API" "$c") ]] || fail "a pin made by the untrusted peer was pinned: $c"
done <"$WORK/rogue.cids"
pass "5 pins made by an untrusted cluster peer never appeared"
stop_rogue

# --- CRDT batching on the trusted peer: multi-element deltas --------------------------------------
set_trusted_batching 100 2s
add_files_to_a 300 "$WORK/batched.cids"
rest_pin_all "$WORK/batched.cids"
wait_agree "300 pins in batched deltas" "$WORK/batched.cids" 240
grep -aq 'batch commit (size): 100 items' "$LAB_DIR/logs/trusted.log" || fail "the trusted peer did not commit batches of 100"
restore_trusted_config

# --- list agrees with upstream's list -------------------------------------------------------------
cat "$WORK"/*.cids | sort -u >"$WORK/all.cids"
upstream_list() { IPFS_CLUSTER_PATH="$FOLLOW_PATH" in_lab ipfs-cluster-follow "$CLUSTER_NAME" list; }
# Upstream's stateless tracker reads only Kubo's recursive pins, so it lists its own direct pins
# (direct pins, cluster DAGs) as unexpectedly_unpinned (upstream-follow-cli.md §2): those count
# as pinned when Kubo B holds them direct.
lists_agree() {
  kubo_rpc "$KUBO_B_API" "pin/ls?type=direct" | jq -r '(.Keys // {}) | keys[]' >"$WORK/b.direct"
  upstream_list | awk -v direct="$WORK/b.direct" 'BEGIN {while ((getline c < direct) > 0) d[c] = 1}
    {s = $1; if (s == "unexpectedly_unpinned" && ($2 in d)) s = "pinned"; print $2, s}' | sort >"$WORK/theirs"
  cf cr list | awk '{print $2, $1}' | sort >"$WORK/ours"
  join "$WORK/all.cids" "$WORK/theirs" >"$WORK/theirs.mine"
  join "$WORK/all.cids" "$WORK/ours" >"$WORK/ours.mine"
  cmp -s "$WORK/theirs.mine" "$WORK/ours.mine"
}
wait_until 60 lists_agree || { diff "$WORK/theirs.mine" "$WORK/ours.mine" | head -n 20 >&2; fail "list differs from upstream's list"; }
pass "list agrees with upstream's list on the $(wc -l <"$WORK/ours.mine") CIDs of this test"
