#!/usr/bin/env bash
# Builds the real upstream daemons the lab runs against, from their published Go modules,
# into a cache folder outside the repository:
#   Kubo v0.42.0 (ipfs). v0.43.1 is not used: its go.mod replaces go-libp2p with a fork that
#   the Go module proxy does not serve.
#   ipfs-cluster v1.1.6: ipfs-cluster-service, ipfs-cluster-ctl, ipfs-cluster-follow.
# A binary already in the cache is reused when it reports the expected version.
# Nothing built here is ever committed.
#
# Usage: tests/lab/build-daemons.sh            (prints the bin folder on the last line)
# Env:   CLUSTER_FOLLOW_LAB_CACHE  cache folder (default ~/.cache/cluster-follow-lab)
set -euo pipefail

KUBO_VERSION=v0.42.0
CLUSTER_VERSION=v1.1.6
CACHE="${CLUSTER_FOLLOW_LAB_CACHE:-$HOME/.cache/cluster-follow-lab}"
BIN="$CACHE/bin"
mkdir -p "$BIN"

export CGO_ENABLED=0
export GOFLAGS=-buildvcs=false
export GOTOOLCHAIN=local

log() { printf '[build-daemons] %s\n' "$*" >&2; }

kubo_ok() {
  [[ -x "$BIN/ipfs" ]] && "$BIN/ipfs" version 2>/dev/null | grep -q "ipfs version ${KUBO_VERSION#v}"
}

cluster_ok() {
  local tool
  for tool in ipfs-cluster-service ipfs-cluster-ctl ipfs-cluster-follow; do
    [[ -x "$BIN/$tool" ]] || return 1
    "$BIN/$tool" --version 2>/dev/null | grep -q "${CLUSTER_VERSION#v}" || return 1
  done
}

# Builds ./<package> of module <path>@<version> inside its module-cache folder, where it is the
# main module, so its own go.mod and go.sum decide every dependency. (`go install pkg@version`
# is not usable: it refuses Kubo's `exclude` directives, and for ipfs-cluster it asks the proxy
# for the module's version list, which the proxy here refuses.)
build_in_module_cache() {
  local module=$1 version=$2
  shift 2
  local src pkg
  src=$(go mod download -json "${module}@${version}" | jq -r .Dir)
  [[ -d "$src" ]] || { log "go mod download gave no folder for ${module}@${version}"; exit 1; }
  for pkg in "$@"; do
    # The module cache is read-only; building there writes only to -o and the build cache.
    (cd "$src" && go build -trimpath -o "$BIN/$(basename "$pkg").tmp" "./$pkg")
    mv "$BIN/$(basename "$pkg").tmp" "$BIN/$(basename "$pkg")"
  done
}

build_kubo() {
  build_in_module_cache github.com/ipfs/kubo "$KUBO_VERSION" cmd/ipfs
}

build_cluster() {
  build_in_module_cache github.com/ipfs-cluster/ipfs-cluster "$CLUSTER_VERSION" \
    cmd/ipfs-cluster-service cmd/ipfs-cluster-ctl cmd/ipfs-cluster-follow
}

start=$(date +%s)
if kubo_ok; then log "kubo ${KUBO_VERSION} cached"; else log "building kubo ${KUBO_VERSION}"; build_kubo; fi
kubo_ok || { log "kubo at $BIN/ipfs does not report ${KUBO_VERSION}"; exit 1; }
if cluster_ok; then log "ipfs-cluster ${CLUSTER_VERSION} cached"; else log "building ipfs-cluster ${CLUSTER_VERSION}"; build_cluster; fi
cluster_ok || { log "ipfs-cluster binaries in $BIN do not report ${CLUSTER_VERSION}"; exit 1; }
log "daemons ready in $(( $(date +%s) - start )) s"
echo "$BIN"
