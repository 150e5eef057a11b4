#!/usr/bin/env bash
# What reaches an operator's terminal and what guards the secrets: init refuses URLs that cannot
# work or carry credentials (and writes nothing), identity.json's mode and symlinks, and a
# cluster folder this user may not read (named as such, not "not initialized").
# Usage: terminal_secrets_test.sh <cluster-follow binary>
source "$(dirname "$0")/e2e-lib.sh" "$1"

for url in "http://" "http://[::1" "http://127.0.0.1:99999/t.json"; do
  expect_exit 1 "$CF" bad init "$url"
  grep -q "is not a usable URL" <<<"$OUT" || fail "init $url: not refused clearly: $OUT"
  [[ ! -e "$CLUSTER_FOLLOW_PATH/bad" ]] || fail "init $url left a folder behind"
done
expect_exit 1 "$CF" bad init "https://follower:hunter2@example.org/t.json"
grep -q "must not contain credentials" <<<"$OUT" || fail "credentials in the URL not refused: $OUT"
grep -q "hunter2" <<<"$OUT" && fail "the refusal echoes the password: $OUT"
[[ ! -e "$CLUSTER_FOLLOW_PATH/bad" ]] || fail "init with credentials left a folder behind"
expect_exit 1 env IPFS_GATEWAY="http://u:hunter2@127.0.0.1:8080" "$CF" bad init example.org
grep -q "IPFS gateway.*must not contain credentials" <<<"$OUT" || fail "gateway credentials not refused: $OUT"
[[ ! -e "$CLUSTER_FOLLOW_PATH/bad" ]] || fail "init through a gateway with credentials left a folder behind"
pass "init validates the URL before writing anything; credentials refused and not echoed"

expect_exit 0 "$CF" idc init http://127.0.0.1:9/t.json
ID="$CLUSTER_FOLLOW_PATH/idc/identity.json"
expect_exit 0 "$CF" idc info  # Kubo is not there (info says so); the identity loads, silently
grep -q "identity file" <<<"$OUT" && fail "a 0600 identity.json gets a warning: $OUT"
chmod 644 "$ID"
expect_exit 0 "$CF" idc info
grep -q "identity file $ID is readable by others (mode 0644)" <<<"$OUT" || fail "0644 identity.json not warned about: $OUT"
grep -q "Peer ID: 12D3KooW" <<<"$OUT" || fail "a 0644 identity.json is not used: $OUT"
chmod 666 "$ID"
expect_exit 1 "$CF" idc info
grep -q "is writable by everyone (mode 0666).*chmod 600 $ID" <<<"$OUT" || fail "world-writable identity.json not refused: $OUT"
grep -q "Peer ID:" <<<"$OUT" && fail "a world-writable identity.json was used: $OUT"
chmod 600 "$ID"
mv "$ID" "$WORK/shared-identity.json"
ln -s "$WORK/shared-identity.json" "$ID"
expect_exit 0 "$CF" idc info
grep -q "identity file $ID is a symbolic link to $WORK/shared-identity.json" <<<"$OUT" ||
  fail "a symlinked identity.json not warned about: $OUT"
pass "identity.json: 0644 and symlinks warned about, world-writable refused"

# Permissions only bite a user other than root: run as nobody when this process may switch.
chmod 755 "$WORK" "$CLUSTER_FOLLOW_PATH"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
  [[ $(stat -c %a "$CLUSTER_FOLLOW_PATH/idc") == 700 ]] || fail "cluster folder not 0700"
  expect_exit 1 as_nobody "$CF" idc status
  grep -q "cannot read $CLUSTER_FOLLOW_PATH/idc: permission denied" <<<"$OUT" ||
    fail "status does not name the permission problem: $OUT"
  grep -q "not initialized" <<<"$OUT" && fail "a permission problem reads as not initialized: $OUT"
  expect_exit 1 as_nobody "$CF" idc list
  grep -q "permission denied" <<<"$OUT" || fail "list does not name the permission problem: $OUT"
  expect_exit 3 as_nobody "$CF" nothere status
  pass "an unreadable cluster folder is named as a permission problem (status exit 1, not 3)"
else
  echo "SKIP: cannot switch to uid 65534 here (not real root); the permission check needs another user"
fi
