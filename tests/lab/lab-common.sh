# Shared by the lab scripts; source it after setting LAB_DIR.
# Fixed ports are safe: everything lives in a private network namespace that has only `lo`.
# shellcheck shell=bash

CLUSTER_NAME=cflab
TRUSTED_PORT=9096
TRUSTED_REST_PORT=9094
TEMPLATE_PORT=8788
# A, B, C: the lab's Kubo nodes. P: a private-network Kubo (swarm.key) that the p2p test starts.
# X, Y: the p2p benchmark's own pair (bench/p2p_stream_bench.sh).
declare -A KUBO_API=([A]=5001 [B]=5011 [C]=5021 [P]=5031 [X]=5041 [Y]=5051)
declare -A KUBO_GATEWAY=([A]=8080 [B]=8090 [C]=8100 [P]=8110 [X]=8120 [Y]=8130)
declare -A KUBO_SWARM=([A]=4001 [B]=4011 [C]=4021 [P]=4031 [X]=4041 [Y]=4051)

# One namespace per lab folder, so two labs (a test run and a demo) never share one.
LAB_NETNS="cflab-$(printf '%s' "$LAB_DIR" | md5sum | cut -c1-8)"

export IPFS_TELEMETRY=off

lab_log() { printf '[lab] %s\n' "$*" >&2; }

lab_netns_create() {
  if [[ $(id -u) -ne 0 ]]; then
    lab_log "the lab needs root to create network namespace $LAB_NETNS"
    return 1
  fi
  ip netns delete "$LAB_NETNS" 2>/dev/null || true
  ip netns add "$LAB_NETNS"
  ip -n "$LAB_NETNS" link set lo up
  # Belt and braces: the namespace has only lo, so nothing can route beyond loopback.
  if ip -n "$LAB_NETNS" -o link show | grep -v ': lo:' | grep -q .; then
    lab_log "namespace $LAB_NETNS has interfaces other than lo"
    return 1
  fi
}

# Runs a command inside the lab's namespace, in the foreground.
lab_exec() { ip netns exec "$LAB_NETNS" "$@"; }

# Starts a long-running lab process in its own session; its log is logs/<name>.log.
lab_spawn() {
  local name=$1
  shift
  ip netns exec "$LAB_NETNS" setsid "$@" >"$LAB_DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$LAB_DIR/pids"
}

lab_wait_log() {
  local name=$1 pattern=$2 seconds=$3 i
  for ((i = 0; i < seconds * 2; i++)); do
    if grep -q "$pattern" "$LAB_DIR/logs/$name.log" 2>/dev/null; then return 0; fi
    if ! lab_alive "$name"; then
      lab_log "$name exited before it was ready; last lines of its log:"
      tail -n 30 "$LAB_DIR/logs/$name.log" >&2
      return 1
    fi
    sleep 0.5
  done
  lab_log "$name not ready after ${seconds}s (waited for /$pattern/); last lines of its log:"
  tail -n 30 "$LAB_DIR/logs/$name.log" >&2
  return 1
}

lab_alive() {
  local pid
  pid=$(awk -v n="$1" '$2 == n {print $1}' "$LAB_DIR/pids" | tail -n 1)
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

lab_wait_http() {
  local url=$1 seconds=$2 i
  for ((i = 0; i < seconds * 4; i++)); do
    if lab_exec curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.25
  done
  lab_log "$url did not answer within ${seconds}s"
  return 1
}

kubo_init() {
  local node=$1
  local repo="$LAB_DIR/kubo$node"
  export IPFS_PATH="$repo"
  lab_exec ipfs init --profile=test >"$LAB_DIR/logs/kubo$node-init.log" 2>&1
  ipfs config Addresses.API "/ip4/127.0.0.1/tcp/${KUBO_API[$node]}"
  ipfs config Addresses.Gateway "/ip4/127.0.0.1/tcp/${KUBO_GATEWAY[$node]}"
  ipfs config --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/${KUBO_SWARM[$node]}\"]"
  ipfs config --json Plugins.Plugins.telemetry.Disabled true
  ipfs config Routing.Type none
  unset IPFS_PATH
}

# Makes an initialized node private: a swarm.key (go-libp2p pnet v1, base16) from <hex>.
# Its websocket transport goes: Kubo cannot share the TCP listener in a private network.
kubo_make_private() {
  local node=$1 hex=$2
  printf '/key/swarm/psk/1.0.0/\n/base16/\n%s\n' "$hex" >"$LAB_DIR/kubo$node/swarm.key"
  IPFS_PATH="$LAB_DIR/kubo$node" ipfs config --json Swarm.Transports.Network.Websocket false
}

# A private node runs with LIBP2P_FORCE_PNET=1, so it refuses to start without its key.
kubo_start() {
  local node=$1 force=""
  [[ -f "$LAB_DIR/kubo$node/swarm.key" ]] && force=1
  IPFS_PATH="$LAB_DIR/kubo$node" LIBP2P_FORCE_PNET=$force lab_spawn "kubo$node" ipfs daemon
}

kubo_wait() {
  lab_wait_log "kubo$1" 'Daemon is ready' 60
}
