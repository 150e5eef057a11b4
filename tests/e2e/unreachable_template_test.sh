#!/usr/bin/env bash
# `run` with a template URL that cannot be reached and nothing cached: one clear error naming
# the URL after bounded retries, and a non-zero exit. Usage: unreachable_template_test.sh <binary>
source "$(dirname "$0")/e2e-lib.sh" "$1"

url="http://127.0.0.1:1/nope"
expect_exit 0 "$CF" x init "$url"
expect_exit 1 "$CF" x run
errors=$(grep -c '^error: ' <<<"$OUT" || true)
[[ $errors -eq 1 ]] || fail "expected exactly one error line, got $errors: $OUT"
grep '^error: ' <<<"$OUT" | grep -q "$url" || fail "the error does not name $url: $OUT"
grep '^error: ' <<<"$OUT" | grep -q "attempts" || fail "the error does not say how many attempts were made: $OUT"
pass "unreachable template: $(grep '^error: ' <<<"$OUT")"
