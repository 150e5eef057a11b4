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
# ~70,000 nested objects: 420 KB, far under the 4 MiB template cap (issue 11: SIGSEGV before).
deep_json() { python3 -c 'import sys; d = 70000; sys.stdout.write("{\"cluster\": " + "{\"a\": " * d + "0" + "}" * d + "}\n")'; }
deep_json >"$WORK/tpl/deep.json"
cp "$good" "$WORK/tpl/good.json"
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
check deep.json 'template: JSON nested deeper than 128 levels'

# The same document inline in service.json: info, status and doctor name the problem instead of
# crashing, and status keeps an exit code of its table (1, as for any unreadable service.json).
expect_exit 0 "$CF" deepinline init "$TEMPLATE_BASE/good.json"
deep_json >"$CLUSTER_FOLLOW_PATH/deepinline/service.json"
for cmd in info status doctor "run --kubo-wait 1s"; do
  # shellcheck disable=SC2086  # "run --kubo-wait 1s" is three words on purpose
  expect_exit 1 "$CF" deepinline $cmd
  grep -q 'JSON nested deeper than 128 levels' <<<"$OUT" || fail "$cmd on a deep service.json: ${OUT:0:400}"
  pass "$cmd on a deep service.json: $(grep -m1 'nested deeper' <<<"$OUT")"
done
expect_exit 1 "$CF" deepinline status --quiet
