#!/usr/bin/env bash
# Gossipsub and bitswap of our host against the real daemons (ipfs-cluster v1.1.6, Kubo):
#  1. We subscribe to the trusted cluster peer's CRDT topic in the private network; a CID pinned
#     with ipfs-cluster-ctl arrives within 5 s as a message authored by the trusted peer, whose
#     head we fetch over bitswap from it (hash verified), decode as dag-pb and find the pin in.
#  2. Rebroadcasts keep arriving (the lab's rebroadcast_interval is 2 s).
#  3. A second cluster peer in the same private network ("rogue", not in trusted_peers) pins
#     something: its messages reach us and are dropped as untrusted, counted, never delivered.
#  4. The trusted peer restarts: we reconnect and resubscribe by ourselves, and a pin made after
#     the restart arrives. The subscription is held HOLD seconds (default 200) in all.
#  5. Bitswap against Kubo A: a UnixFS directory of 10,000 small files is fetched block by
#     block by walking its links; every block verified; Kubo A's ledger shows the blocks sent.
# Usage: pubsub_bitswap_test.sh <lab-dir> <cf_pubsub_lab_driver>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
source "$(dirname "$0")/lab-common.sh"
DRIVER=${2:?driver}
WORK=$(mktemp -d "$LAB_DIR/pubsub.XXXXXX")
HOLD=${CF_PUBSUB_HOLD_SECONDS:-200}
SECRET=$(jq -r .cluster.secret "$LAB_DIR/trusted/service.json")
DRIVER_PID=""

cleanup() {
  [[ -n "$DRIVER_PID" ]] && kill "$DRIVER_PID" 2>/dev/null
  stop_rogue
}
trap cleanup EXIT

# out: the driver's output so far.
out() { cat "$WORK/driver.out"; }
# A MESSAGE line whose heads include a head not in <known-heads-file>, authored by <id>.
new_head_from() {
  out | awk -v a="author=$1" '$1 == "MESSAGE" && $2 == a {sub("heads=", "", $4); n = split($4, h, ","); for (i = 1; i <= n; i++) print h[i]}' |
    sort -u | comm -23 - "$2" | head -n 1
}
heads_now() { out | awk '$1 == "MESSAGE" {sub("heads=", "", $4); n = split($4, h, ","); for (i = 1; i <= n; i++) print h[i]}' | sort -u; }
counter() { out | awk -v k="$1=" '$1 == "COUNTERS" {for (i = 2; i <= NF; i++) if (index($i, k) == 1) v = substr($i, length(k) + 1)} END {print v + 0}'; }

# pin_arrives <label> <pin-command...>: pins, then waits up to 5 s (or $ARRIVAL s) for a
# message from the trusted peer with a new head, and up to 30 s for that head to be fetched and
# to carry the pinned CID. Sets NEW_HEAD.
pin_arrives() {
  local label=$1 cid=$2
  shift 2
  heads_now >"$WORK/known.$label"
  local started=$SECONDS
  "$@" "$cid"
  local i
  NEW_HEAD=""
  for ((i = 0; i < ${ARRIVAL:-5} * 10; i++)); do
    NEW_HEAD=$(new_head_from "$TRUSTED_ID" "$WORK/known.$label")
    [[ -n "$NEW_HEAD" ]] && break
    sleep 0.1
  done
  [[ -n "$NEW_HEAD" ]] || { out | tail -n 20 >&2; fail "($label) no new head from the trusted peer within ${ARRIVAL:-5} s of pinning $cid"; }
  pass "($label) a message with head $NEW_HEAD authored by the trusted peer arrived $((SECONDS - started)) s after the pin"
  wait_until 30 grep -q "^HEAD $NEW_HEAD .* adds=[^ ]*$cid" "$WORK/driver.out" ||
    { grep "^HEAD $NEW_HEAD\|^ERROR" "$WORK/driver.out" >&2; fail "($label) head $NEW_HEAD was not fetched, or does not add $cid"; }
  pass "($label) $(grep "^HEAD $NEW_HEAD" "$WORK/driver.out" | head -n 1)"
}

# --- the rogue: a cluster peer in the same private network, not trusted ----------------------
start_rogue

# --- subscribe ---------------------------------------------------------------------------------
in_lab "$DRIVER" subscribe "$TRUSTED_ADDR" --cluster-name "$CLUSTER_NAME" --trusted "$TRUSTED_ID" \
  --psk-hex "$SECRET" --dial "$ROGUE_ADDR" --hold "$HOLD" --fetch-heads 1 >"$WORK/driver.out" 2>"$WORK/driver.err" &
DRIVER_PID=$!
HOLD_STARTED=$SECONDS
wait_until 30 grep -q "^SUBSCRIBED $TRUSTED_ID" "$WORK/driver.out" ||
  { tail -n 30 "$WORK/driver.err" >&2; fail "the trusted peer's hello did not list the cluster topic within 30 s"; }
pass "subscribed: $(grep "^SUBSCRIBED $TRUSTED_ID" "$WORK/driver.out")"
wait_until 30 grep -q "^SUBSCRIBED $ROGUE_ID" "$WORK/driver.out" || fail "the rogue peer's hello did not list the topic"

# 1. a pin arrives as a signed message from the trusted peer; its head is fetched and decoded.
pin_arrives first "$(add_random_to_a 1000)" cluster_pin
FIRST_HEAD=$NEW_HEAD

# 2. rebroadcasts of that head keep coming.
sleep 10
REBROADCASTS=$(out | grep -c "^MESSAGE author=$TRUSTED_ID .*heads=[^ ]*$FIRST_HEAD" || true)
((REBROADCASTS >= 3)) || fail "only $REBROADCASTS messages carried head $FIRST_HEAD in the 10 s after it (rebroadcast every 2 s)"
pass "rebroadcasts: $REBROADCASTS messages carried $FIRST_HEAD"

# 3. the rogue pins: its message (a new head, validly signed by the rogue) reaches us and is
#    rejected as untrusted, counted, never delivered.
rejected_heads() { out | awk -v a="author=$ROGUE_ID" '$1 == "REJECTED" && $2 == a {sub("heads=", "", $3); n = split($3, h, ","); for (i = 1; i <= n; i++) print h[i]}' | sort -u; }
rejected_heads >"$WORK/rogue.before"
UNTRUSTED_BEFORE=$(counter untrusted)
in_lab ipfs-cluster-ctl --host "$ROGUE_REST" pin add --no-status "$(add_random_to_a 1000)" >/dev/null
rogue_new_head() { [[ -n "$(rejected_heads | comm -23 - "$WORK/rogue.before")" ]]; }
wait_until 40 rogue_new_head || { out | tail -n 20 >&2; fail "no new head from the rogue peer was rejected within 40 s of its pin"; }
untrusted_grew() { (( $(counter untrusted) > UNTRUSTED_BEFORE )); }
wait_until 15 untrusted_grew || fail "the untrusted counter did not grow"
! out | grep -q "^MESSAGE author=$ROGUE_ID" || fail "a message authored by the rogue peer was delivered"
pass "the rogue's new head was rejected as untrusted ($(rejected_heads | comm -23 - "$WORK/rogue.before" | head -n 1)); $(out | grep '^COUNTERS' | tail -n 1)"

# 4. the trusted peer restarts; we reconnect and resubscribe by ourselves.
restart_trusted
wait_until 30 grep -q "^DISCONNECTED $TRUSTED_ID" "$WORK/driver.out" || fail "the trusted peer's restart was not noticed"
resubscribed() { (( $(grep -c "^SUBSCRIBED $TRUSTED_ID" "$WORK/driver.out") >= 2 )); }
wait_until 90 resubscribed ||
  { out | tail -n 20 >&2; fail "no resubscription to the restarted trusted peer within 90 s"; }
pass "reconnected and resubscribed after the trusted peer's restart"
ARRIVAL=20 pin_arrives after-restart "$(add_random_to_a 1000)" cluster_pin

# The whole hold: the driver ends by itself after HOLD seconds, subscribed all along.
wait "$DRIVER_PID" || { tail -n 30 "$WORK/driver.err" >&2; fail "the subscribe driver failed"; }
DRIVER_PID=""
HELD=$((SECONDS - HOLD_STARTED))
((HELD >= 180)) || fail "held only $HELD s"
out | grep -q '^DONE' || fail "the driver did not finish"
! out | grep -q '^ERROR' || { out | grep '^ERROR' >&2; fail "the driver reported errors"; }
((  $(counter bad_signature) == 0 )) || fail "messages with bad signatures: $(counter bad_signature)"
pass "held the subscription $HELD s; last counters: $(out | grep '^COUNTERS' | tail -n 1)"
# Pins made while the driver was subscribed that are still in the cluster leave no trace here.

# 5. bitswap against Kubo A: a directory of 10,000 small files.
python3 - "$WORK/dir" <<'EOF'
import os, sys
root = sys.argv[1]
os.makedirs(root)
for i in range(10000):
    with open(os.path.join(root, f"f{i:05d}"), "wb") as f:
        f.write(os.urandom(64))
EOF
ROOT=$(IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -r -Q --pin=false "$WORK/dir")
EXPECTED=$(( $(IPFS_PATH="$KUBO_A_PATH" in_lab ipfs refs -r -u "$ROOT" | wc -l) + 1 ))
KUBO_A_ID=$(jq -r .Identity.PeerID "$KUBO_A_PATH/config")
KUBO_A_ADDR=/ip4/127.0.0.1/tcp/${KUBO_SWARM[A]}/p2p/$KUBO_A_ID
in_lab "$DRIVER" fetch-dag "$KUBO_A_ADDR" --root "$ROOT" --concurrency 512 --hold-after 5 \
  >"$WORK/fetch.out" 2>"$WORK/fetch.err" &
DRIVER_PID=$!
wait_until 120 grep -q '^FETCHED\|^ERROR' "$WORK/fetch.out" || fail "the DAG fetch did not finish within 120 s"
grep -q '^FETCHED' "$WORK/fetch.out" || { cat "$WORK/fetch.out" >&2; fail "the DAG fetch failed"; }
FETCHED=$(awk '/^FETCHED/ {sub("blocks=", "", $2); print $2}' "$WORK/fetch.out")
((FETCHED == EXPECTED)) || fail "fetched $FETCHED blocks, Kubo A lists $EXPECTED under $ROOT"
grep -q '^COUNTERS .* bad_blocks=0' "$WORK/fetch.out" || fail "blocks failed verification"
OUR_ID=$(awk '/^LOCAL/ {print $2; exit}' "$WORK/fetch.out")
LEDGER=$(kubo_rpc "$KUBO_A_API" "bitswap/ledger?arg=$OUR_ID")
SENT=$(jq -r .Exchanged <<<"$LEDGER")
((SENT >= EXPECTED)) || fail "Kubo A's ledger shows $SENT blocks exchanged with us, expected $EXPECTED: $LEDGER"
wait "$DRIVER_PID" || fail "the fetch driver failed"
DRIVER_PID=""
pass "bitswap: $(grep '^FETCHED' "$WORK/fetch.out"); Kubo A's ledger: $(jq -c . <<<"$LEDGER")"
