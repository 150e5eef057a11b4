#!/usr/bin/env bash
# `doctor` against the real trusted ipfs-cluster-service: with the cluster's secret every check
# is ok (the peer line: reachable, private network, Noise, peer ID, protocols, ping, subscribed
# to the cluster topic, in its mesh, a head fetched from it); with a wrong secret the peer line
# fails and names the private network.
# Usage: doctor_lab_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-doctortest

cf dr init "$TEMPLATE_URL" >/dev/null
ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" dr run >"$WORK/run.log" 2>&1 &
run_pid=$!
wait_until 60 grep -q 'ready; waiting' "$WORK/run.log" || fail "run did not start"

cluster_pin "$(add_random_to_a 500)"   # the cluster has a head to announce
out=$(cf dr doctor 2>&1) || fail "doctor with the right secret did not exit 0: $out"
peer_line=$(grep -E '^ok +peer ' <<<"$out") || fail "no ok peer line: $out"
grep -q "$TRUSTED_ADDR" <<<"$peer_line" || fail "the peer line does not name $TRUSTED_ADDR: $peer_line"
detail=$(grep -A1 -E '^ok +peer ' <<<"$out" | tail -n 1)
for what in 'reachable' 'private network ok' 'Noise ok' 'peer ID matches' '/meshsub/' 'ping [0-9.]+ ms' \
            'subscribed to [1-9A-HJ-NP-Za-km-z]+' 'in its mesh' 'head bafy[a-z0-9]+ fetched \([0-9]+ bytes, height [0-9]+\)'; do
  grep -qE "$what" <<<"$detail" || fail "peer check detail lacks '$what': $detail"
done
pass "doctor, right secret: every check ok; $detail"

wrong=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
code=0
out=$(CLUSTER_SECRET=$wrong in_lab "$CF" --config "$WORK" dr doctor 2>&1) || code=$?
[[ $code -eq 1 ]] || fail "doctor with a wrong secret exited $code, expected 1: $out"
grep -qE '^FAIL +peer ' <<<"$out" || fail "no FAIL peer line with a wrong secret: $out"
grep -qi 'private network' <<<"$out" || fail "the failure does not name the private network: $out"
pass "doctor, wrong secret: $(grep -A1 -E '^FAIL +peer ' <<<"$out" | tail -n 1 | sed 's/^ *//')"
