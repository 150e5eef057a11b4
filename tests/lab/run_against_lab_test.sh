#!/usr/bin/env bash
# `cluster-follow run` against the lab's real template and Kubo C: it fetches and validates the
# template, waits for Kubo, takes the single-instance lock, logs what it will follow, reloads on
# SIGHUP, exits 0 on SIGTERM; a second `run` fails fast; with the template gone it starts from
# the cached copy with a warning.
# Usage: run_against_lab_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-runtest
trap 'stop_run; rm -f "$LAB_DIR/tpl/cache-test.json"; rm -rf "$WORK"' EXIT

start_run() {  # start_run <name> <log>
  ip netns exec "$LAB_NETNS" "$CF" --config "$WORK" "$1" run >"$2" 2>&1 &
  run_pid=$!
}

in_lab "$CF" --config "$WORK" c1 init "$TEMPLATE_URL" >/dev/null
start_run c1 "$WORK/run1.log"
wait_until 60 grep -q 'waiting for SIGINT or SIGTERM' "$WORK/run1.log" || { cat "$WORK/run1.log" >&2; fail "run never became ready"; }
log=$(cat "$WORK/run1.log")
grep -q "cluster \"$CLUSTER_NAME\"" <<<"$log" || fail "run did not log the cluster name $CLUSTER_NAME"
grep -q "pubsub topic" <<<"$log" || fail "run did not log the pubsub topic"
grep -q "trusted peers: $TRUSTED_ID" <<<"$log" || fail "run did not log the trusted peer $TRUSTED_ID"
grep -q "peer addresses: $TRUSTED_ADDR" <<<"$log" || fail "run did not log the peer address $TRUSTED_ADDR"
grep -q "Kubo is ready" <<<"$log" || fail "run did not report Kubo C ready"
grep -qi "no pinset source" <<<"$log" || fail "run without a source does not say plainly that it follows nothing"
pass "run fetched, validated and logged what it follows"

second=$(in_lab "$CF" --config "$WORK" c1 run 2>&1) && fail "a second run of the same cluster succeeded"
grep -q "already being followed by process $run_pid" <<<"$second" || fail "second run error does not name pid $run_pid: $second"
pass "second run refused: $second"

kill -HUP "$run_pid"
wait_until 30 grep -q 'template reloaded' "$WORK/run1.log" || fail "SIGHUP did not reload the template"
kill -0 "$run_pid" || fail "SIGHUP stopped the daemon"
pass "SIGHUP reloads the template"

kill -TERM "$run_pid"
wait "$run_pid"; code=$?
run_pid=""
[[ $code -eq 0 ]] || fail "run exited $code after SIGTERM"
pass "SIGTERM: clean exit 0"

# Cache fallback: a template that disappears after one good start.
cp "$LAB_DIR/tpl/service.json" "$LAB_DIR/tpl/cache-test.json"
in_lab "$CF" --config "$WORK" c2 init "http://127.0.0.1:8788/cache-test.json" >/dev/null
start_run c2 "$WORK/run2.log"
wait_until 60 grep -q 'waiting for SIGINT or SIGTERM' "$WORK/run2.log" || fail "run c2 never became ready"
stop_run
rm -f "$LAB_DIR/tpl/cache-test.json"
start_run c2 "$WORK/run3.log"
wait_until 120 grep -q 'waiting for SIGINT or SIGTERM' "$WORK/run3.log" || { cat "$WORK/run3.log" >&2; fail "run without its template did not start from the cache"; }
grep -qi "using the cached template" "$WORK/run3.log" || fail "no warning about the cached template"
stop_run
pass "template gone: started from the cached copy with a warning"
