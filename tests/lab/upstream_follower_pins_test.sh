#!/usr/bin/env bash
# Proves the lab itself: content added on Kubo A and pinned with ipfs-cluster-ctl on the trusted
# peer ends pinned in Kubo B by upstream's ipfs-cluster-follow, and is unpinned there after
# `pin rm`. Usage: upstream_follower_pins_test.sh <lab-dir>
source "$(dirname "$0")/lab-test-lib.sh" "$1"

cid=$(add_random_to_a 300000)
[[ -n "$cid" ]] || fail "ipfs add on Kubo A gave no CID"
kubo_has_pin "$KUBO_B_API" "$cid" && fail "$cid is pinned in Kubo B before the cluster pinned it"

in_lab ipfs-cluster-ctl --host "$TRUSTED_REST" pin add --name lab-proof "$cid" >/dev/null
wait_until 90 kubo_has_pin "$KUBO_B_API" "$cid" ||
  fail "$cid pinned on the trusted peer never reached Kubo B through ipfs-cluster-follow"
pass "pin add reached Kubo B: $cid"

in_lab ipfs-cluster-ctl --host "$TRUSTED_REST" pin rm "$cid" >/dev/null
wait_until 90 kubo_lacks_pin "$KUBO_B_API" "$cid" ||
  fail "$cid unpinned on the trusted peer is still pinned in Kubo B"
pass "pin rm reached Kubo B: $cid"
