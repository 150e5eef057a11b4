#!/usr/bin/env bash
# identity.json moves both ways between upstream ipfs-cluster-follow and cluster-follow:
# 1. an identity made by upstream `ipfs-cluster-follow <name> init` loads in cluster-follow
#    (read in place, and imported with `init --identity`) and `info` shows the same peer ID;
# 2. an identity made by `cluster-follow <name> init` loads in upstream: its follower runs
#    with it and announces our peer ID.
# Usage: identity_interop_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
CF=${2:?cluster-follow binary}
WORK=$(mktemp -d /tmp/cf-idtest.XXXXXX)
trap 'kill_upstream; rm -rf "$WORK"' EXIT
upstream_pid=""
kill_upstream() { [[ -n "$upstream_pid" ]] && kill -TERM "$upstream_pid" 2>/dev/null && wait "$upstream_pid" 2>/dev/null; true; }

# 1. upstream -> ours
IPFS_CLUSTER_PATH="$WORK/up" in_lab ipfs-cluster-follow idup init "$TEMPLATE_URL" >/dev/null
up_id=$(jq -r .id "$WORK/up/idup/identity.json")
[[ $up_id == 12D3KooW* ]] || fail "upstream init wrote no Ed25519 identity: $up_id"

info=$(in_lab "$CF" --config "$WORK/up" idup info 2>&1) || fail "cluster-follow info on upstream's folder failed: $info"
grep -q "Peer ID: $up_id" <<<"$info" || fail "info on upstream's folder does not show $up_id: $info"

in_lab "$CF" --config "$WORK/ours" imported init "$TEMPLATE_URL" --identity "$WORK/up/idup/identity.json" >/dev/null
cmp -s "$WORK/up/idup/identity.json" "$WORK/ours/imported/identity.json" ||
  fail "imported identity.json differs from upstream's bytes"
info=$(in_lab "$CF" --config "$WORK/ours" imported info 2>&1)
grep -q "Peer ID: $up_id" <<<"$info" || fail "info after --identity import does not show $up_id: $info"
pass "upstream identity $up_id loads in cluster-follow"

# 2. ours -> upstream
in_lab "$CF" --config "$WORK/mine" idmine init "$TEMPLATE_URL" >/dev/null
our_id=$(jq -r .id "$WORK/mine/idmine/identity.json")
[[ $our_id == 12D3KooW* ]] || fail "cluster-follow init wrote no Ed25519 identity: $our_id"
[[ $(stat -c %a "$WORK/mine/idmine/identity.json") == 600 ]] || fail "identity.json is not mode 0600"
[[ $(stat -c %a "$WORK/mine/idmine") == 700 ]] || fail "cluster folder is not mode 0700"

IPFS_CLUSTER_PATH="$WORK/mine" CLUSTER_IPFSHTTP_NODEMULTIADDRESS="/ip4/127.0.0.1/tcp/5011" \
  ip netns exec "$LAB_NETNS" ipfs-cluster-follow idmine run >"$WORK/upstream-run.log" 2>&1 &
upstream_pid=$!
wait_until 120 grep -q 'IPFS Cluster is READY' "$WORK/upstream-run.log" || {
  tail -20 "$WORK/upstream-run.log" >&2
  fail "upstream follower did not start with cluster-follow's identity"
}
grep -q "/p2p/$our_id" "$WORK/upstream-run.log" || fail "upstream follower did not announce our peer ID $our_id"
pass "cluster-follow identity $our_id loads in upstream ipfs-cluster-follow"
