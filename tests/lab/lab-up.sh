#!/usr/bin/env bash
# Starts the lab (DESIGN §6) inside one loopback-only network namespace:
#   Kubo A + a trusted ipfs-cluster-service (CRDT, a secret, trusted_peers = itself),
#   Kubo B + upstream ipfs-cluster-follow (the reference follower),
#   Kubo C for cluster-follow (started by the test or the demo, not here),
#   an HTTP server on loopback serving the follower template.
# Waits until each part is ready, writes $LAB_DIR/lab.env for tests to source, and returns.
# On any failure it tears down what it started (lab-down.sh) and exits non-zero.
#
# Usage: tests/lab/lab-up.sh [LAB_DIR]      (default /tmp/cf-lab)
# Needs root (ip netns). The namespace is named after the lab folder, see lab-common.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB_DIR="${1:-${CF_LAB_DIR:-/tmp/cf-lab}}"
source "$HERE/lab-common.sh"

trap 'lab_log "lab start failed; tearing down"; "$HERE/lab-down.sh" "$LAB_DIR" >/dev/null 2>&1 || true' ERR

if [[ -e "$LAB_DIR/lab.env" ]]; then
  lab_log "a lab is already up in $LAB_DIR; taking it down first"
  "$HERE/lab-down.sh" "$LAB_DIR"
fi
rm -rf "$LAB_DIR"
mkdir -p "$LAB_DIR"/{logs,tpl}
: > "$LAB_DIR/pids"

BIN="$("$HERE/build-daemons.sh" | tail -n 1)"
export PATH="$BIN:$PATH"

lab_netns_create

# --- Kubo A, B, C -------------------------------------------------------------------------
for node in A B C; do
  kubo_init "$node"
done
A_ID=$(IPFS_PATH="$LAB_DIR/kuboA" ipfs config Identity.PeerID)
for node in B C; do
  IPFS_PATH="$LAB_DIR/kubo$node" ipfs config --json Peering.Peers \
    "[{\"ID\":\"$A_ID\",\"Addrs\":[\"/ip4/127.0.0.1/tcp/${KUBO_SWARM[A]}\"]}]"
done
for node in A B C; do
  kubo_start "$node"
done
for node in A B C; do
  kubo_wait "$node"
done

# --- trusted ipfs-cluster-service on Kubo A -----------------------------------------------
TRUSTED="$LAB_DIR/trusted"
SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
CLUSTER_SECRET="$SECRET" lab_exec ipfs-cluster-service -c "$TRUSTED" init --consensus crdt \
  --datastore pebble >"$LAB_DIR/logs/trusted-init.log" 2>&1
TRUSTED_ID=$(jq -r .id "$TRUSTED/identity.json")
jq --arg id "$TRUSTED_ID" --arg name "$CLUSTER_NAME" \
   --arg listen "/ip4/127.0.0.1/tcp/$TRUSTED_PORT" \
   --arg kubo "/ip4/127.0.0.1/tcp/${KUBO_API[A]}" \
   --arg rest "/ip4/127.0.0.1/tcp/$TRUSTED_REST_PORT" '
  .cluster.listen_multiaddress = [$listen]
  | .cluster.mdns_interval = "0s"
  | .cluster.enable_relay_hop = false
  | .cluster.replication_factor_min = -1 | .cluster.replication_factor_max = -1
  | .consensus.crdt.trusted_peers = [$id]
  | .consensus.crdt.cluster_name = $name
  | .consensus.crdt.rebroadcast_interval = "2s"
  | .ipfs_connector.ipfshttp.node_multiaddress = $kubo
  | .api.restapi.http_listen_multiaddress = $rest
  | del(.api.ipfsproxy) | del(.api.pinsvcapi)' \
  "$TRUSTED/service.json" > "$TRUSTED/service.json.new"
mv "$TRUSTED/service.json.new" "$TRUSTED/service.json"
lab_spawn trusted ipfs-cluster-service -c "$TRUSTED" daemon
lab_wait_log trusted '\*\* IPFS Cluster is READY \*\*' 120

# --- the follower template, served over HTTP -----------------------------------------------
TRUSTED_ADDR="/ip4/127.0.0.1/tcp/$TRUSTED_PORT/p2p/$TRUSTED_ID"
jq --arg peer "$TRUSTED_ADDR" '
  .cluster.peer_addresses = [$peer]
  | .cluster.follower_mode = true
  | .cluster.listen_multiaddress = ["/ip4/127.0.0.1/tcp/0"]
  | .ipfs_connector.ipfshttp.connect_swarms_delay = "1s"
  | .ipfs_connector.ipfshttp.pin_timeout = "20s"
  | .cluster.pin_recover_interval = "30s"
  | del(.api)' "$TRUSTED/service.json" > "$LAB_DIR/tpl/service.json"
lab_spawn tplserver python3 -m http.server "$TEMPLATE_PORT" --bind 127.0.0.1 --directory "$LAB_DIR/tpl"
TEMPLATE_URL="http://127.0.0.1:$TEMPLATE_PORT/service.json"
lab_wait_http "$TEMPLATE_URL" 30

# --- upstream ipfs-cluster-follow on Kubo B --------------------------------------------------
export IPFS_CLUSTER_PATH="$LAB_DIR/follow"
export CLUSTER_IPFSHTTP_NODEMULTIADDRESS="/ip4/127.0.0.1/tcp/${KUBO_API[B]}"
lab_exec ipfs-cluster-follow "$CLUSTER_NAME" init "$TEMPLATE_URL" >"$LAB_DIR/logs/follow-init.log" 2>&1
lab_spawn follow ipfs-cluster-follow "$CLUSTER_NAME" run
unset IPFS_CLUSTER_PATH CLUSTER_IPFSHTTP_NODEMULTIADDRESS
lab_wait_log follow '\*\* IPFS Cluster is READY \*\*' 180

# --- what tests and the demo need ------------------------------------------------------------
cat > "$LAB_DIR/lab.env" <<EOF
# Written by tests/lab/lab-up.sh; source it. Every address is loopback inside netns $LAB_NETNS.
LAB_DIR=$LAB_DIR
LAB_NETNS=$LAB_NETNS
LAB_BIN=$BIN
CLUSTER_NAME=$CLUSTER_NAME
TEMPLATE_URL=$TEMPLATE_URL
TRUSTED_ID=$TRUSTED_ID
TRUSTED_ADDR=$TRUSTED_ADDR
TRUSTED_REST=/ip4/127.0.0.1/tcp/$TRUSTED_REST_PORT
FOLLOW_PATH=$LAB_DIR/follow
KUBO_A_PATH=$LAB_DIR/kuboA
KUBO_B_PATH=$LAB_DIR/kuboB
KUBO_C_PATH=$LAB_DIR/kuboC
KUBO_A_API=http://127.0.0.1:${KUBO_API[A]}
KUBO_B_API=http://127.0.0.1:${KUBO_API[B]}
KUBO_C_API=http://127.0.0.1:${KUBO_API[C]}
KUBO_C_MADDR=/ip4/127.0.0.1/tcp/${KUBO_API[C]}
EOF
trap - ERR
lab_log "lab up in $LAB_DIR (netns $LAB_NETNS); trusted peer $TRUSTED_ID; template $TEMPLATE_URL"
