#!/usr/bin/env bash
# The kubo layer's connector calls against the lab's real Kubo C (peered with Kubo A), through
# cf_kubo_lab_driver: a recursive pin of a many-block file reports progress and succeeds; its
# pin name shows in Kubo; a direct pin lists as direct; a child block looks up as "indirect
# through"; a CID whose blocks exist nowhere is cut by the no-progress timeout; pin/rm of an
# unpinned CID is a "not pinned" success; pin/update keeps the old pin; swarm/connect succeeds
# to A and fails with Kubo's message to a dead address; repo/stat reports sizes.
# Usage: kubo_connector_test.sh <lab-dir> <cf_kubo_lab_driver binary>
source "$(dirname "$0")/lab-test-lib.sh" "$1"
DRIVER=${2:?cf_kubo_lab_driver binary}
pinned=()  # CIDs this test pinned in Kubo C; removed on exit so other lab tests see a clean C
cleanup() {
  local c
  for c in "${pinned[@]}"; do kubo_rpc "$KUBO_C_API" "pin/rm?arg=$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

drv() { in_lab "$DRIVER" "$1" "$KUBO_C_API" "${@:2}"; }
add_to_a() {  # add_to_a <bytes> [ipfs add flags...]: random content on Kubo A, unpinned
  head -c "$1" /dev/urandom | IPFS_PATH="$KUBO_A_PATH" in_lab ipfs add -Q --pin=false "${@:2}"
}

# --- swarm/connect ----------------------------------------------------------------------------
a_id=$(kubo_rpc "$KUBO_A_API" id | jq -r .ID)
out=$(drv swarm-connect "/ip4/127.0.0.1/tcp/4001/p2p/$a_id" --timeout-ms 10000) ||
  fail "swarm-connect to Kubo A failed: $out"
[[ $out == connected ]] || fail "swarm-connect printed: $out"
# A peer that exists nowhere, on a loopback port nobody listens on.
ghost=12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX
out=$(drv swarm-connect "/ip4/127.0.0.1/tcp/1/p2p/$ghost" --timeout-ms 10000) &&
  fail "swarm-connect to a dead address succeeded: $out"
grep -q "error api_error: .*connect $ghost failure" <<<"$out" || fail "swarm-connect failure lacks Kubo's message: $out"
pass "swarm_connect: ok to Kubo A; failure carries Kubo's message: ${out:0:160}"

# --- recursive pin with progress and a name --------------------------------------------------
big=$(add_to_a 3000000 --chunker=size-1024)
name="cluster-follow/lab test & co"
out=$(drv pin-add "$big" --name "$name" --timeout-ms 20000) || fail "recursive pin-add failed: $out"
pinned+=("$big")
grep -q "^pinned $big\$" <<<"$out" || fail "pin-add did not report $big pinned: $out"
ticks=$(grep -c '^progress nodes=' <<<"$out" || true)
((ticks >= 1)) || fail "no progress ticks for a 3 MB, 1 KiB-chunk file: $out"
grep -q '^final nodes=[1-9]' <<<"$out" || fail "no final node count: $out"
kubo_has_pin "$KUBO_C_API" "$big" || fail "Kubo C does not list $big as pinned"
kubo_name=$(kubo_rpc "$KUBO_C_API" "pin/ls?arg=$big&names=true" | jq -r --arg c "$big" '.Keys[$c].Name')
[[ $kubo_name == "$name" ]] || fail "Kubo has pin name '$kubo_name', want '$name'"
pass "recursive pin of $big: $ticks progress ticks, $(grep '^final' <<<"$out"), named '$kubo_name'"

# --- direct pin, pin_ls of both types, pin_ls_one ------------------------------------------------
small=$(add_to_a 500)
out=$(drv pin-add "$small" --direct --timeout-ms 20000) || fail "direct pin-add failed: $out"
pinned+=("$small")
direct=$(drv pin-ls direct) || fail "pin-ls direct failed: $direct"
grep -q "^$small direct" <<<"$direct" || fail "pin-ls direct lacks $small: $direct"
recursive=$(drv pin-ls recursive) || fail "pin-ls recursive failed: $recursive"
grep -qF "$big recursive $name" <<<"$recursive" || fail "pin-ls recursive lacks $big with its name: $recursive"
grep -q "^$small " <<<"$recursive" && fail "pin-ls recursive lists the direct pin $small"
out=$(drv pin-ls-one "$small") || fail "pin-ls-one failed: $out"
[[ $out == "type=direct name=" ]] || fail "pin-ls-one $small printed: $out"
child=$(IPFS_PATH="$KUBO_A_PATH" in_lab ipfs refs "$big" | awk 'NR == 1')  # awk reads all: no SIGPIPE
out=$(drv pin-ls-one "$child") || fail "pin-ls-one of a child failed: $out"
[[ $out == "type=indirect through $big name=" ]] || fail "pin-ls-one $child printed: $out"
pass "direct pin listed by pin_ls(direct) only; pin_ls_one: direct, and '$out'"

# A CIDv1 (Kubo prints it in base32 whatever base we send; we compare decoded CIDs).
v1=$(add_to_a 5000 --cid-version=1)
out=$(drv pin-add "$v1" --timeout-ms 20000) || fail "pin-add of CIDv1 $v1 failed: $out"
pinned+=("$v1")
out=$(drv pin-ls-one "$v1") || fail "pin-ls-one $v1 failed: $out"
[[ $out == type=recursive* ]] || fail "pin-ls-one of CIDv1 $v1 printed: $out"
# Captured first: with pipefail, `grep -q` closing the pipe early would fail a long listing.
listing=$(drv pin-ls recursive) || fail "pin-ls recursive failed"
grep -q "^$v1 recursive" <<<"$listing" || fail "pin-ls recursive lacks CIDv1 $v1"
pass "CIDv1 $v1 pinned and found by pin_ls_one and pin_ls"

# --- a CID whose blocks exist nowhere: the no-progress timeout ---------------------------------
missing=$(add_to_a 64 --only-hash)
start=$(date +%s%N)
out=$(drv pin-add "$missing" --timeout-ms 3000) && fail "pin-add of unavailable $missing succeeded: $out"
pinned+=("$missing")  # in case Kubo kept it anyway
took_ms=$((($(date +%s%N) - start) / 1000000))
grep -q '^error pin_timeout: .*no progress for 3000 ms' <<<"$out" || fail "wrong error for $missing: $out"
((took_ms >= 3000 && took_ms < 8000)) || fail "cut after ${took_ms} ms, want ~3000"
out=$(drv pin-rm "$missing") || fail "pin-rm of unpinned $missing failed: $out"
[[ $out == "not pinned" ]] || fail "pin-rm of unpinned $missing printed: $out"
out=$(drv pin-ls-one "$missing") || fail "pin-ls-one $missing failed: $out"
[[ $out == "not pinned" ]] || fail "pin-ls-one of unpinned $missing printed: $out"
pass "unavailable $missing cut after ${took_ms} ms (pin_timeout); pin_rm says not pinned"

# --- pin/update keeps the old pin --------------------------------------------------------------
next=$(add_to_a 200000 --chunker=size-1024)
out=$(drv pin-update "$big" "$next" --timeout-ms 30000) || fail "pin-update failed: $out"
pinned+=("$next")
[[ $out == updated ]] || fail "pin-update printed: $out"
for c in "$big" "$next"; do
  out=$(drv pin-ls-one "$c")
  [[ $out == type=recursive* ]] || fail "after pin-update, $c is: $out"
done
pass "pin_update $big -> $next; both recursive"

out=$(drv pin-rm "$next") || fail "pin-rm $next failed: $out"
[[ $out == removed ]] || fail "pin-rm $next printed: $out"
kubo_lacks_pin "$KUBO_C_API" "$next" || fail "$next still pinned after pin-rm"
pass "pin_rm of a pinned CID: removed"

# --- repo/stat ----------------------------------------------------------------------------------
out=$(drv repo-stat) || fail "repo-stat failed: $out"
[[ $out =~ ^repo_size=([0-9]+)\ storage_max=([0-9]+)$ ]] || fail "repo-stat printed: $out"
((BASH_REMATCH[1] > 0 && BASH_REMATCH[2] > 0)) || fail "repo-stat has a zero: $out"
pass "repo_stat: $out"
