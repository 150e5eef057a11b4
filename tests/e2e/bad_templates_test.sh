#!/usr/bin/env bash
# Bad follower templates each give one precise error line naming section and key, and `run`
# exits non-zero before touching Kubo. Usage: bad_templates_test.sh <cluster-follow binary>
source "$(dirname "$0")/e2e-lib.sh" "$1"

mkdir -p "$WORK/tpl"
good="$E2E_DIR/../../configs/service.follower.example.json"
[[ -f $good ]] || fail "missing example template $good"
jq 'del(.cluster)' "$good" >"$WORK/tpl/no-cluster.json"
jq '.datastore = {"pebble": {}, "badger": {}}' "$good" >"$WORK/tpl/two-datastores.json"
jq '.cluster.secret = "abc123"' "$good" >"$WORK/tpl/short-secret.json"
jq 'del(.consensus.crdt.trusted_peers)' "$good" >"$WORK/tpl/no-trusted.json"
jq '.cluster.peer_addresses = ["/ip4/1.2.3/tcp/9096/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"]' "$good" >"$WORK/tpl/bad-maddr.json"
printf '{"cluster": {"secret": "00",\n  oops}\n' >"$WORK/tpl/invalid.json"
start_template_server "$WORK/tpl"

check() {  # check <file> <pattern of the one expected error line>
  local name=${1%.json}
  expect_exit 0 "$CF" "$name" init "$TEMPLATE_BASE/$1"
  expect_exit 1 "$CF" "$name" run --kubo-wait 1s
  local lines
  lines=$(grep '^error: ' <<<"$OUT" || true)
  [[ $(grep -c . <<<"$lines") -eq 1 ]] || fail "$1: expected one error line, got: $OUT"
  grep -qE -- "$2" <<<"$lines" || fail "$1: error line does not match /$2/: $lines"
  pass "$1: $lines"
}

check no-cluster.json 'cluster section is missing'
check two-datastores.json 'datastore: exactly one of .* found 2'
check short-secret.json 'cluster\.secret: .*64 hex'
check no-trusted.json 'consensus\.crdt\.trusted_peers'
check bad-maddr.json 'cluster\.peer_addresses\[0\].*/ip4/1\.2\.3/tcp/9096'
check invalid.json 'invalid JSON.*line 2'
