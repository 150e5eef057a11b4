#!/usr/bin/env bash
# `cluster-follow run` against the lab's real template and Kubo C: it fetches and validates the
# template, waits for Kubo, takes the single-instance lock, logs what it will follow, reloads on
# SIGHUP, exits 0 on SIGTERM; a second `run` fails fast; with the template gone it starts from
# the cached copy with a warning.
# Usage: run_against_lab_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-runtest
trap 'stop_run; rm -f "$LAB_DIR/tpl/cache-test.json" "$LAB_DIR/tpl/no-peers.json"; rm -rf "$WORK"' EXIT

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
grep -q "following over libp2p" <<<"$log" || fail "run with a template naming trusted peers and peer_addresses does not follow over libp2p"
grep -qi "no pinset source" <<<"$log" && fail "run says it follows nothing although the template names a trusted peer"
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

# A template with trusted peers but no peer_addresses gives nothing to dial: run says so plainly.
python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); t["cluster"]["peer_addresses"]=[]; json.dump(t,open(sys.argv[2],"w"))' \
  "$LAB_DIR/tpl/service.json" "$LAB_DIR/tpl/no-peers.json"
in_lab "$CF" --config "$WORK" c3 init "http://127.0.0.1:8788/no-peers.json" >/dev/null
start_run c3 "$WORK/run4.log"
wait_until 60 grep -q 'waiting for SIGINT or SIGTERM' "$WORK/run4.log" || { cat "$WORK/run4.log" >&2; fail "run c3 never became ready"; }
grep -qi "no pinset source" "$WORK/run4.log" || fail "run with nothing to dial does not say plainly that it follows nothing"
stop_run
rm -f "$LAB_DIR/tpl/no-peers.json"
pass "template without peer_addresses: run says it has no pinset source"

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
