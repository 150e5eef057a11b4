#!/usr/bin/env bash
# The command line without a daemon: version, help, the cluster listing, name validation and
# init (folder and file modes, the exact service.json bytes, DNSLink sources, no overwrite).
# Usage: cli_basics_test.sh <cluster-follow binary>
source "$(dirname "$0")/e2e-lib.sh" "$1"

expect_exit 0 "$CF" --version
[[ $OUT =~ ^cluster-follow\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version printed: $OUT"
expect_exit 0 "$CF" --help
grep -q -- "--config" <<<"$OUT" || fail "--help does not list --config"
expect_exit 0 "$CF" somecluster --help
grep -q "run" <<<"$OUT" && grep -q "status" <<<"$OUT" || fail "<name> --help does not list the commands: $OUT"
expect_exit 0 "$CF" somecluster init --help
pass "version and help"

expect_exit 0 "$CF"
grep -q "No clusters configured yet" <<<"$OUT" || fail "empty listing: $OUT"
expect_exit 1 "$CF" "../escape" init http://127.0.0.1:9/x
grep -q 'invalid cluster name "../escape"' <<<"$OUT" || fail "bad name not refused clearly: $OUT"
[[ ! -e "$WORK/escape" ]] || fail "a path-traversal name created a folder"
pass "listing when empty; invalid names refused"

expect_exit 0 "$CF" zeta init "http://127.0.0.1:9/a?x=1&y=<2>"
grep -q 'Peer ID: 12D3KooW' <<<"$OUT" || fail "init does not show the new peer ID: $OUT"
[[ $(stat -c %a "$CLUSTER_FOLLOW_PATH/zeta") == 700 ]] || fail "cluster folder not 0700"
[[ $(stat -c %a "$CLUSTER_FOLLOW_PATH/zeta/identity.json") == 600 ]] || fail "identity.json not 0600"
[[ $(stat -c %a "$CLUSTER_FOLLOW_PATH/zeta/service.json") == 600 ]] || fail "service.json not 0600"
printf '{\n  "source": "http://127.0.0.1:9/a?x=1\\u0026y=\\u003c2\\u003e"\n}' >"$WORK/expected.json"
cmp "$WORK/expected.json" "$CLUSTER_FOLLOW_PATH/zeta/service.json" ||
  fail "service.json is not byte-identical to upstream's format: $(cat "$CLUSTER_FOLLOW_PATH/zeta/service.json")"
expect_exit 1 "$CF" zeta init http://127.0.0.1:9/other
grep -q "already exists" <<<"$OUT" || fail "re-init not refused: $OUT"
grep -q '127.0.0.1:9/a' "$CLUSTER_FOLLOW_PATH/zeta/service.json" || fail "refused re-init changed service.json"
pass "init writes upstream's format with safe modes and never overwrites"

expect_exit 0 "$CF" alpha init filecoin.collab.ipfscluster.io
grep -q "DNSLink" <<<"$OUT" || fail "DNSLink init does not say how the name is resolved: $OUT"
grep -q '"source": "http://127.0.0.1:8080/ipns/filecoin.collab.ipfscluster.io"' "$CLUSTER_FOLLOW_PATH/alpha/service.json" ||
  fail "DNSLink source not stored through the default gateway with http://: $(cat "$CLUSTER_FOLLOW_PATH/alpha/service.json")"
expect_exit 0 "$CF" mid init example.org --gateway 127.0.0.1:8181
grep -q '"source": "http://127.0.0.1:8181/ipns/example.org"' "$CLUSTER_FOLLOW_PATH/mid/service.json" ||
  fail "scheme-less --gateway not given http://"
pass "DNSLink names resolve through the gateway"

expect_exit 0 "$CF"
names=$(grep '^cluster-follow "' <<<"$OUT" | tr -d '"' | awk '{print $2}' | tr '\n' ' ')
[[ $names == "alpha mid zeta " ]] || fail "listing not sorted: '$names' in: $OUT"
pass "listing sorted"

expect_exit 3 "$CF" never status
expect_exit 1 "$CF" never info
grep -q "has not been initialized" <<<"$OUT" || fail "info on a missing cluster: $OUT"
expect_exit 64 "$CF" zeta frobnicate
grep -q "frobnicate" <<<"$OUT" || fail "unknown command not named: $OUT"
expect_exit 64 "$CF" zeta status --bogus
pass "not-initialized and unknown-command handling (usage errors exit 64)"
