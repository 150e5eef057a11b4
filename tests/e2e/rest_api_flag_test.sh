#!/usr/bin/env bash
# `run --rest-api URL` (issue 11): the flag stands in for CLUSTER_FOLLOW_RESTAPI_URL, so a bad
# URL is refused before anything starts (before READY, before the Kubo wait), and the other
# CLUSTER_FOLLOW_RESTAPI_* variables apply to the section it adds.
# Usage: rest_api_flag_test.sh <cluster-follow binary>
source "$(dirname "$0")/e2e-lib.sh" "$1"

mkdir -p "$WORK/tpl"
cp "$E2E_DIR/../../configs/service.follower.example.json" "$WORK/tpl/service.json"
start_template_server "$WORK/tpl"
expect_exit 0 "$CF" c init "$TEMPLATE_BASE/service.json"

one_error() {  # one_error <pattern>: OUT has exactly one error line, matching <pattern>
  local lines
  lines=$(grep '^error: ' <<<"$OUT" || true)
  [[ $(grep -c . <<<"$lines") -eq 1 ]] || fail "expected one error line, got: $OUT"
  grep -qE -- "$1" <<<"$lines" || fail "error line does not match /$1/: $lines"
}

for bad in "ftp://nowhere" "http://[::1" "127.0.0.1:9094"; do
  expect_exit 1 "$CF" c run --kubo-wait 1s --rest-api "$bad"
  one_error 'cluster_follow\.rest_api\.url: .*\(set by --rest-api\)'
  grep -q "waiting for Kubo" <<<"$OUT" && fail "--rest-api $bad: run went on to wait for Kubo"
  pass "--rest-api $bad refused up front: $(grep '^error: ' <<<"$OUT")"
done

# The details from the environment apply to the flag's section (a bad one is refused, naming it).
expect_exit 1 env CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=0s "$CF" c run --kubo-wait 1s --rest-api http://127.0.0.1:9
one_error 'poll_interval: must be at least 1s.*\(set by CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL\)'
pass "CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL applies with --rest-api"

expect_exit 1 env CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER=follower CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD=hunter2 \
  "$CF" c run --kubo-wait 1s --rest-api http://127.0.0.1:9
grep -q "is not enabled" <<<"$OUT" && fail "the credentials were ignored with --rest-api: $OUT"
grep -q "overrides applied.*--rest-api, CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER, CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD" <<<"$OUT" ||
  fail "the applied overrides are not logged: $OUT"
grep -q hunter2 <<<"$OUT" && fail "the password was printed"
pass "CLUSTER_FOLLOW_RESTAPI_BASICAUTH* apply with --rest-api"

# Without any URL, the details are ignored with a warning that says why.
expect_exit 1 env CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER=follower "$CF" c run --kubo-wait 1s
grep -q "CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER is set but no REST API is configured" <<<"$OUT" ||
  fail "no clear warning for a REST detail without a REST API: $OUT"
pass "a REST detail without a URL: clear warning"
