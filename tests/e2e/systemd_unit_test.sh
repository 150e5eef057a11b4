#!/usr/bin/env bash
# configs/cluster-follow@.service is a valid unit: `systemd-analyze verify` accepts an instance
# of it without a single warning (it works on unit files without a running systemd, e.g. in a
# container), the offline security review rates it OK, and the directives operations.md
# promises are there. ExecStart points at the built binary, since verify checks that it is
# executable. Usage: systemd_unit_test.sh <cluster-follow binary>
source "$(dirname "$0")/e2e-lib.sh" "$1"

UNIT="$E2E_DIR/../../configs/cluster-follow@.service"
[[ -f $UNIT ]] || fail "missing $UNIT"
# Not a skip: a machine that cannot check the unit must not report it as checked.
command -v systemd-analyze >/dev/null ||
  fail "systemd-analyze not found; install the Debian package 'systemd' (scripts/setup does)"

grep -q '^ExecStart=/usr/local/bin/cluster-follow %i run$' "$UNIT" || fail "ExecStart is not the installed binary with %i run"
mkdir -p "$WORK/units"
sed "s#^ExecStart=/usr/local/bin/cluster-follow #ExecStart=$(realpath "$CF") #" "$UNIT" >"$WORK/units/cluster-follow@.service"

# verify loads the template from the instance's folder; warnings go to stderr with exit 0,
# so any output at all is a failure.
expect_exit 0 systemd-analyze verify "$WORK/units/cluster-follow@filecoin.service"
[[ -z $OUT ]] || fail "systemd-analyze verify printed warnings: $OUT"
pass "systemd-analyze verify: no errors, no warnings"

# verify really checks: a typo and a missing binary are reported.
cp "$WORK/units/cluster-follow@.service" "$WORK/units/broken@.service"
sed -i 's/^WatchdogSec=60$/WatchdogSecs=60/; s#^ExecStart=[^ ]*#ExecStart=/nonexistent/cluster-follow#' "$WORK/units/broken@.service"
OUT=$(systemd-analyze verify "$WORK/units/broken@x.service" 2>&1) || true
grep -q "WatchdogSecs" <<<"$OUT" || fail "verify did not report an unknown key: $OUT"
grep -q "/nonexistent/cluster-follow" <<<"$OUT" || fail "verify did not report a missing binary: $OUT"
pass "verify reports typos and missing binaries (the check above is not vacuous)"

expect_exit 0 systemd-analyze security --offline=true "$WORK/units/cluster-follow@filecoin.service"
level=$(grep -oE 'Overall exposure level for [^:]+: [0-9.]+' <<<"$OUT" | awk '{print $NF}')
[[ -n $level ]] || fail "no exposure level in: $OUT"
awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' || fail "exposure level $level is above 2.0: $OUT"
pass "systemd-analyze security --offline: exposure $level"

for directive in 'Type=notify' 'NotifyAccess=main' 'ExecReload=/bin/kill -HUP $MAINPID' 'WatchdogSec=60' \
  'Restart=on-failure' 'RestartSec=10s' 'StartLimitBurst=5' 'StartLimitIntervalSec=10min' \
  'Wants=network-online.target ipfs.service' 'After=network-online.target ipfs.service' \
  'User=cluster-follow' 'StateDirectory=cluster-follow' 'Environment=CLUSTER_FOLLOW_PATH=%S/cluster-follow' \
  'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' \
  'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' 'SystemCallFilter=@system-service' \
  'MemoryDenyWriteExecute=yes' 'LockPersonality=yes' 'WantedBy=multi-user.target'; do
  grep -qxF -- "$directive" "$UNIT" || fail "unit lacks '$directive'"
done
pass "the unit has the directives docs/operations.md describes"
