#!/usr/bin/env bash
# The p2p host against the real go-libp2p daemons of the lab (Kubo v0.42, ipfs-cluster v1.1.6).
# Four connections are held at once for HOLD_SECONDS (default 190) across yamux keepalives,
# each pinged every 10 s and checked to be the same connection:
#   (a) we dial Kubo A (no PSK)           (b) Kubo A dials us (swarm/connect)
#   (c) we dial Kubo P (its swarm.key)    (d) Kubo P dials us (swarm/connect), with the key
# For each, identify both ways: Kubo lists our peer ID in swarm/peers and its `id` of us shows
# our protocols; we saw Kubo's agent; ping RTTs. Meanwhile: (e) the trusted cluster peer with
# the cluster secret, and a wrong secret fails naming the private network; (f) Kubo P with a
# wrong swarm key and without one fails the same way.
# Usage: p2p_interop_test.sh <lab-dir> <cf_p2p_lab_driver>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
source "$(dirname "$0")/lab-common.sh"   # kubo_init, kubo_make_private, kubo_start (LAB_DIR is set)
DRIVER=${2:?driver}
WORK=$(mktemp -d "$LAB_DIR/p2p.XXXXXX")
HOLD_SECONDS=${CF_P2P_HOLD_SECONDS:-190}

declare -A HOLD_PID OUR_ID
cleanup() {
  local pid
  for pid in "${HOLD_PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  pid=$(awk '$2 == "kuboP" {print $1}' "$LAB_DIR/pids" | tail -n 1)
  [[ -n "$pid" ]] && { kill -TERM -- "-$pid" 2>/dev/null || true; }
}
trap cleanup EXIT

# --- Kubo P: a private network of its own -------------------------------------------------------
rm -rf "$LAB_DIR/kuboP"   # a rerun in the same lab starts from a fresh repo
KEY_HEX=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
kubo_init P
kubo_make_private P "$KEY_HEX"
kubo_start P
kubo_wait P || fail "Kubo P (private network) did not start"
grep -q 'Swarm is limited to private network' "$LAB_DIR/logs/kuboP.log" || fail "Kubo P is not private"
KUBO_P_API=http://127.0.0.1:${KUBO_API[P]}
KUBO_P_ID=$(jq -r .Identity.PeerID "$LAB_DIR/kuboP/config")
KUBO_P_ADDR=/ip4/127.0.0.1/tcp/${KUBO_SWARM[P]}/p2p/$KUBO_P_ID
KUBO_P_KEY=$LAB_DIR/kuboP/swarm.key
KUBO_A_ID=$(jq -r .Identity.PeerID "$KUBO_A_PATH/config")
KUBO_A_ADDR=/ip4/127.0.0.1/tcp/${KUBO_SWARM[A]}/p2p/$KUBO_A_ID
SECRET=$(jq -r .cluster.secret "$LAB_DIR/trusted/service.json")

# hold <label> <driver args...>: runs the driver in the background for the whole hold.
hold() {
  local label=$1
  shift
  in_lab "$DRIVER" "$@" --pings 3 --hold "$HOLD_SECONDS" >"$WORK/$label.out" 2>"$WORK/$label.err" &
  HOLD_PID[$label]=$!
  wait_until 10 grep -q '^LOCAL' "$WORK/$label.out" || fail "($label) the driver did not start"
  OUR_ID[$label]=$(awk '/^LOCAL/ {print $2; exit}' "$WORK/$label.out")
}
# kubo_dials_us <label> <kubo-api>: the Kubo connects to the listening driver of <label>.
kubo_dials_us() {
  local address
  address=$(awk '/^LISTEN/ {print $2; exit}' "$WORK/$1.out")
  kubo_rpc "$2" "swarm/connect?arg=$address" | tee "$WORK/$1.connect.json"; echo
  jq -e '.Strings[0] | test("success")' "$WORK/$1.connect.json" >/dev/null || fail "($1) swarm/connect to us failed"
}
# identified_both_ways <label> <kubo-api> <kubo-id>
identified_both_ways() {
  local label=$1 api=$2 kubo_id=$3 our_id=${OUR_ID[$1]}
  wait_until 15 grep -q '^PING' "$WORK/$label.out" || { tail -n 5 "$WORK/$label.out" "$WORK/$label.err"; fail "($label) no ping"; }
  grep -q '^AGENT kubo/' "$WORK/$label.out" || fail "($label) no Kubo agent from identify"
  if [[ $(awk '/^CONNECTED|^INBOUND/ {print $2; exit}' "$WORK/$label.out") != "$kubo_id" ]]; then
    fail "($label) connected to the wrong peer"
  fi
  kubo_rpc "$api" swarm/peers | jq -e --arg p "$our_id" '.Peers[] | select(.Peer == $p)' >/dev/null \
    || fail "($label) Kubo does not list $our_id in swarm/peers"
  kubo_rpc "$api" "id?arg=$our_id" >"$WORK/$label.id.json"
  jq -e '.Protocols | index("/ipfs/ping/1.0.0") and index("/ipfs/id/1.0.0")' "$WORK/$label.id.json" >/dev/null \
    || fail "($label) Kubo's id of us lacks our protocols: $(cat "$WORK/$label.id.json")"
  echo "($label) Kubo sees: $(jq -c '{AgentVersion, Protocols}' "$WORK/$label.id.json");" \
    "we see: $(grep '^AGENT' "$WORK/$label.out"), $(grep -c '^PROTOCOL' "$WORK/$label.out") protocols," \
    "$(grep '^PING' "$WORK/$label.out" | tr '\n' ' ')"
}

# --- the four held connections --------------------------------------------------------------
hold_started=$SECONDS
hold a dial "$KUBO_A_ADDR"
hold b listen /ip4/127.0.0.1/tcp/0
hold c dial "$KUBO_P_ADDR" --swarm-key "$KUBO_P_KEY"
hold d listen /ip4/127.0.0.1/tcp/0 --swarm-key "$KUBO_P_KEY"
kubo_dials_us b "$KUBO_A_API"
kubo_dials_us d "$KUBO_P_API"
identified_both_ways a "$KUBO_A_API" "$KUBO_A_ID"
identified_both_ways b "$KUBO_A_API" "$KUBO_A_ID"
identified_both_ways c "$KUBO_P_API" "$KUBO_P_ID"
identified_both_ways d "$KUBO_P_API" "$KUBO_P_ID"
pass "(a-d) Kubo A and private Kubo P, both directions: identified both ways, pinged"

# --- (e) the trusted cluster peer, private network ---------------------------------------------
# expect_private_network_failure <label> <driver args...>
expect_private_network_failure() {
  local label=$1 rc
  shift
  set +e
  in_lab timeout 60 "$DRIVER" "$@" --pings 1 >"$WORK/$label.out" 2>"$WORK/$label.err"
  rc=$?
  set -e
  grep '^ERROR' "$WORK/$label.out" || true
  [[ $rc -eq 1 ]] || fail "($label) expected exit 1, got $rc"
  grep -q 'private network' "$WORK/$label.out" || fail "($label) no private-network error"
}
in_lab timeout 60 "$DRIVER" dial "$TRUSTED_ADDR" --psk-hex "$SECRET" --pings 2 >"$WORK/e.out" 2>"$WORK/e.err" \
  || { cat "$WORK/e.out" "$WORK/e.err"; fail "(e) dial with the cluster secret failed"; }
grep -q '^PROTOCOL /meshsub/1.1.0' "$WORK/e.out" || fail "(e) identify lacks /meshsub/1.1.0"
grep '^AGENT\|^PING\|meshsub' "$WORK/e.out"
expect_private_network_failure e-wrong dial "$TRUSTED_ADDR" --psk-hex "$(printf '%064d' 7)"
pass "(e) trusted peer with the cluster secret; a wrong secret fails cleanly"

# --- (f) Kubo P refuses peers outside its network ------------------------------------------------
printf '/key/swarm/psk/1.0.0/\n/base16/\n%064d\n' 9 >"$WORK/wrong.key"
expect_private_network_failure f-wrong dial "$KUBO_P_ADDR" --swarm-key "$WORK/wrong.key"
# Without a key, Kubo reads our plaintext as its nonce and ciphertext, and we read its nonce as
# multistream (or both wait until the upgrade times out): either way the error names the cause.
expect_private_network_failure f-none dial "$KUBO_P_ADDR"
pass "(f) Kubo P: a wrong swarm key fails naming the private network; without a key the failure names it too"

# --- the holds ------------------------------------------------------------------------------
# Near the end, Kubo still lists every held connection's peer.
sleep $((HOLD_SECONDS - 15 - (SECONDS - hold_started) > 0 ? HOLD_SECONDS - 15 - (SECONDS - hold_started) : 0))
for label in a b; do
  kubo_rpc "$KUBO_A_API" swarm/peers | jq -e --arg p "${OUR_ID[$label]}" '.Peers[] | select(.Peer == $p)' >/dev/null \
    || fail "($label) Kubo A no longer lists ${OUR_ID[$label]} after $((SECONDS - hold_started)) s"
done
for label in c d; do
  kubo_rpc "$KUBO_P_API" swarm/peers | jq -e --arg p "${OUR_ID[$label]}" '.Peers[] | select(.Peer == $p)' >/dev/null \
    || fail "($label) Kubo P no longer lists ${OUR_ID[$label]} after $((SECONDS - hold_started)) s"
done
echo "after $((SECONDS - hold_started)) s Kubo A and Kubo P still list all four of our peers"
for label in a b c d; do
  if ! wait "${HOLD_PID[$label]}"; then
    tail -n 20 "$WORK/$label.out" "$WORK/$label.err"
    fail "($label) the held connection failed"
  fi
  grep -q '^DONE' "$WORK/$label.out" || fail "($label) hold did not finish"
  echo "($label) $(grep '^HOLD' "$WORK/$label.out" | tail -n 1)"
done
pass "(a-d) four connections (outbound/inbound x public/private) held ${HOLD_SECONDS} s across keepalives"
