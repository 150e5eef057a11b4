#!/usr/bin/env bash
# The p2p host against the real go-libp2p daemons of the lab (Kubo v0.42, ipfs-cluster
# v1.1.6): dial and identify Kubo A, Kubo A dials us, the trusted cluster peer with its
# private-network secret (and a wrong one), and a connection held across yamux keepalives.
# Usage: p2p_interop_test.sh <lab-dir> <cf_p2p_lab_driver>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
DRIVER=${2:?driver}
WORK=$(mktemp -d "$LAB_DIR/p2p.XXXXXX")
HOLD_SECONDS=${CF_P2P_HOLD_SECONDS:-190}

KUBO_A_ID=$(jq -r .Identity.PeerID "$KUBO_A_PATH/config")
KUBO_A_ADDR=/ip4/127.0.0.1/tcp/4001/p2p/$KUBO_A_ID
SECRET=$(jq -r .cluster.secret "$LAB_DIR/trusted/service.json")

# (d) first, in the background: a connection to Kubo A held across keepalives.
in_lab "$DRIVER" dial "$KUBO_A_ADDR" --pings 1 --hold "$HOLD_SECONDS" >"$WORK/hold.out" 2>"$WORK/hold.err" &
HOLD_PID=$!

# (a) dial Kubo A without PSK: identify both ways, ping.
in_lab timeout 60 "$DRIVER" dial "$KUBO_A_ADDR" --pings 3 --hold 3 >"$WORK/a.out" 2>"$WORK/a.err" &
A_PID=$!
wait_until 10 grep -q '^PING' "$WORK/a.out" || { cat "$WORK/a.out" "$WORK/a.err"; fail "(a) no ping to Kubo A"; }
OUR_ID=$(awk '/^LOCAL/ {print $2; exit}' "$WORK/a.out")
[[ -n "$OUR_ID" ]] || fail "(a) the driver did not log its peer ID"
kubo_rpc "$KUBO_A_API" swarm/peers | jq -e --arg p "$OUR_ID" '.Peers[] | select(.Peer == $p)' >/dev/null \
  || fail "(a) Kubo A does not list $OUR_ID in swarm/peers"
kubo_rpc "$KUBO_A_API" "id?arg=$OUR_ID" | tee "$WORK/a.id.json" \
  | jq -e '.Protocols | index("/ipfs/ping/1.0.0")' >/dev/null || fail "(a) Kubo A's id of us lacks /ipfs/ping/1.0.0"
wait "$A_PID" || { cat "$WORK/a.out"; fail "(a) driver failed"; }
grep -q '^AGENT kubo/' "$WORK/a.out" || fail "(a) no Kubo agent from identify"
grep '^AGENT\|^PING' "$WORK/a.out"
echo "Kubo A sees: $(jq -c '{ID, AgentVersion, Protocols}' "$WORK/a.id.json")"
pass "(a) dialed Kubo A, identified both ways, pinged"

# (b) Kubo A dials us.
in_lab "$DRIVER" listen /ip4/127.0.0.1/tcp/0 --hold 20 >"$WORK/b.out" 2>"$WORK/b.err" &
B_PID=$!
wait_until 10 grep -q '^LISTEN' "$WORK/b.out" || fail "(b) the driver did not listen"
OUR_ADDR=$(awk '/^LISTEN/ {print $2; exit}' "$WORK/b.out")
kubo_rpc "$KUBO_A_API" "swarm/connect?arg=$OUR_ADDR" | tee "$WORK/b.connect.json"; echo
jq -e '.Strings[0] | test("success")' "$WORK/b.connect.json" >/dev/null || fail "(b) swarm/connect failed"
wait_until 10 grep -q "^INBOUND $KUBO_A_ID" "$WORK/b.out" || fail "(b) no inbound connection reported"
grep '^INBOUND' "$WORK/b.out"
kill "$B_PID" 2>/dev/null || true
wait "$B_PID" 2>/dev/null || true
pass "(b) Kubo A dialed us"

# (c) the trusted cluster peer, private network.
in_lab timeout 60 "$DRIVER" dial "$TRUSTED_ADDR" --psk-hex "$SECRET" --pings 2 >"$WORK/c.out" 2>"$WORK/c.err" \
  || { cat "$WORK/c.out" "$WORK/c.err"; fail "(c) dial with the cluster secret failed"; }
grep -q '^PROTOCOL /meshsub/1.1.0' "$WORK/c.out" || fail "(c) identify lacks /meshsub/1.1.0"
grep '^AGENT\|^PING\|meshsub' "$WORK/c.out"
WRONG=$(printf '%064d' 7)
set +e
in_lab timeout 60 "$DRIVER" dial "$TRUSTED_ADDR" --psk-hex "$WRONG" --pings 1 >"$WORK/c2.out" 2>"$WORK/c2.err"
rc=$?
set -e
cat "$WORK/c2.out"
[[ $rc -eq 1 ]] || fail "(c) wrong secret: expected exit 1, got $rc"
grep -q 'private network' "$WORK/c2.out" || fail "(c) wrong secret: no private-network error"
pass "(c) trusted peer with the cluster secret; a wrong secret fails cleanly"

# (d) the held connection.
echo "waiting for the ${HOLD_SECONDS} s hold..."
if ! wait "$HOLD_PID"; then
  tail -n 20 "$WORK/hold.out" "$WORK/hold.err"
  fail "(d) the held connection to Kubo A failed"
fi
grep -q '^DONE' "$WORK/hold.out" || fail "(d) hold did not finish"
tail -3 "$WORK/hold.out"
pass "(d) held a connection to Kubo A for ${HOLD_SECONDS} s"
