#!/usr/bin/env bash
# `cluster-follow run` against the lab's real template and Kubo C: it fetches and validates the
# template, waits for Kubo, takes the single-instance lock, logs what it will follow, reloads on
# SIGHUP, exits 0 on SIGTERM; a second `run` fails fast; with the template gone it starts from
# the cached copy with a warning. Issue 11: `run --rest-api` takes the CLUSTER_FOLLOW_RESTAPI_*
# details from the environment; a SIGHUP names each changed setting that needs a restart; a
# SIGTERM cuts a REST poll that never ends.
# Usage: run_against_lab_test.sh <lab-dir> <cluster-follow binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
use_cluster_follow "${2:?cluster-follow binary}" cf-runtest
endless_pid=""
trap 'stop_run; [[ -n "$endless_pid" ]] && kill "$endless_pid" 2>/dev/null; rm -f "$LAB_DIR/tpl/cache-test.json" "$LAB_DIR/tpl/no-peers.json" "$LAB_DIR/tpl/reload-test.json"; rm -rf "$WORK"' EXIT

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

# Issue 11, lost control. A "REST API" that answers 200 and then streams blank lines forever.
cat >"$WORK/endless.py" <<'PY'
import http.server, socketserver, sys, time
class Endless(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        with open(sys.argv[2], "a") as f: f.write(self.path + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b"1\r\n\n\r\n"); self.wfile.flush(); time.sleep(0.05)
        except OSError:
            pass
    def log_message(self, *args): pass
socketserver.ThreadingTCPServer.allow_reuse_address = True
server = socketserver.ThreadingTCPServer(("127.0.0.1", int(sys.argv[1])), Endless)
server.daemon_threads = True
server.serve_forever()
PY
# Not through in_lab (a function: $! would be its subshell, and killing it would leave the
# server holding the test's output open, so ctest would wait on it forever).
ip netns exec "$LAB_NETNS" python3 "$WORK/endless.py" 8797 "$WORK/endless.requests" &
endless_pid=$!
cp "$LAB_DIR/tpl/service.json" "$LAB_DIR/tpl/reload-test.json"
in_lab "$CF" --config "$WORK" c4 init "http://127.0.0.1:8788/reload-test.json" >/dev/null
ip netns exec "$LAB_NETNS" env CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL=7s CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER=follower \
  CLUSTER_FOLLOW_RESTAPI_BASICAUTHPASSWORD=pw "$CF" --config "$WORK" c4 run --rest-api http://127.0.0.1:8797 \
  >"$WORK/run5.log" 2>&1 &
run_pid=$!
wait_until 60 grep -q 'waiting for SIGINT or SIGTERM' "$WORK/run5.log" || { cat "$WORK/run5.log" >&2; fail "run c4 never became ready"; }
grep -q "REST API at http://127.0.0.1:8797 every 7 s" "$WORK/run5.log" || { cat "$WORK/run5.log" >&2; fail "--rest-api ignored CLUSTER_FOLLOW_RESTAPI_POLLINTERVAL"; }
grep -q "is not enabled" "$WORK/run5.log" && fail "--rest-api: the CLUSTER_FOLLOW_RESTAPI_* details were ignored"
grep -q "overrides applied.*--rest-api.*CLUSTER_FOLLOW_RESTAPI_BASICAUTHUSER" "$WORK/run5.log" || fail "the applied overrides are not logged"
pass "--rest-api takes the CLUSTER_FOLLOW_RESTAPI_* details from the environment"

python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); t["pin_tracker"]["stateless"]["concurrent_pins"]=3; json.dump(t,open(sys.argv[1],"w"))' \
  "$LAB_DIR/tpl/reload-test.json"
kill -HUP "$run_pid"
wait_until 30 grep -q 'template reloaded' "$WORK/run5.log" || fail "SIGHUP did not reload the template"
grep -q "pin_tracker.stateless.concurrent_pins changed from [0-9]* to 3: takes effect after a restart" "$WORK/run5.log" ||
  { cat "$WORK/run5.log" >&2; fail "SIGHUP did not say that concurrent_pins needs a restart"; }
pass "SIGHUP names the changed setting that needs a restart"

wait_until 20 test -s "$WORK/endless.requests" || fail "the REST source never polled"
kill -TERM "$run_pid"
# Exited: gone, or a zombie until `wait` (kill -0 still succeeds on a zombie).
if ! wait_until 5 bash -c "! test -e /proc/$run_pid || grep -q '^State:.*Z' /proc/$run_pid/status"; then
  kill -KILL "$run_pid"
  fail "run still alive 5 s after SIGTERM during an endless REST poll"
fi
wait "$run_pid"; code=$?
run_pid=""
[[ $code -eq 0 ]] || fail "run exited $code after SIGTERM during a poll"
pass "SIGTERM cuts an endless REST poll: exit 0 within 5 s"
