#!/usr/bin/env bash
# Builds the real upstream daemons the lab runs against, from their published Go modules,
# into a cache folder outside the repository:
#   Kubo v0.43.1 (ipfs) through a throw-away wrapper module, because `go install` refuses
#   Kubo >= 0.40 (its go.mod carries `exclude` directives), and
#   ipfs-cluster v1.1.6: ipfs-cluster-service, ipfs-cluster-ctl, ipfs-cluster-follow.
# A binary already in the cache is reused when it reports the expected version.
# Nothing built here is ever committed.
#
# Usage: tests/lab/build-daemons.sh            (prints the bin folder on the last line)
# Env:   CLUSTER_FOLLOW_LAB_CACHE  cache folder (default ~/.cache/cluster-follow-lab)
set -euo pipefail

KUBO_VERSION=v0.43.1
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

build_kubo() {
  local wrapper="$CACHE/kubo-wrapper"
  rm -rf "$wrapper" && mkdir -p "$wrapper"
  (
    cd "$wrapper"
    go mod init cluster-follow-lab/kubo >/dev/null 2>&1
    go get "github.com/ipfs/kubo/cmd/ipfs@${KUBO_VERSION}"
    go build -trimpath -o "$BIN/ipfs.tmp" github.com/ipfs/kubo/cmd/ipfs
  )
  mv "$BIN/ipfs.tmp" "$BIN/ipfs"
}

build_cluster() {
  local tool
  GOBIN="$BIN" go install -trimpath \
    "github.com/ipfs-cluster/ipfs-cluster/cmd/ipfs-cluster-service@${CLUSTER_VERSION}" \
    "github.com/ipfs-cluster/ipfs-cluster/cmd/ipfs-cluster-ctl@${CLUSTER_VERSION}" \
    "github.com/ipfs-cluster/ipfs-cluster/cmd/ipfs-cluster-follow@${CLUSTER_VERSION}"
  for tool in ipfs-cluster-service ipfs-cluster-ctl ipfs-cluster-follow; do
    [[ -x "$BIN/$tool" ]] || { log "missing $BIN/$tool after go install"; exit 1; }
  done
}

start=$(date +%s)
if kubo_ok; then log "kubo ${KUBO_VERSION} cached"; else log "building kubo ${KUBO_VERSION}"; build_kubo; fi
kubo_ok || { log "kubo at $BIN/ipfs does not report ${KUBO_VERSION}"; exit 1; }
if cluster_ok; then log "ipfs-cluster ${CLUSTER_VERSION} cached"; else log "building ipfs-cluster ${CLUSTER_VERSION}"; build_cluster; fi
cluster_ok || { log "ipfs-cluster binaries in $BIN do not report ${CLUSTER_VERSION}"; exit 1; }
log "daemons ready in $(( $(date +%s) - start )) s"
echo "$BIN"
