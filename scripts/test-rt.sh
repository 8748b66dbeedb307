#!/usr/bin/env bash
# The Request Tracker integration's tests (integrations/rt, docs/rt.md): the extension's
# own Perl tests (prove), then a throwaway RT 5 (scripts/rt-dev.sh, in target/rt-test,
# rebuilt from scratch each run) driven only through REST 2.0 (integrations/rt/xt/rest.t).
# RT is stopped at the end, also on failure. Installs Debian's RT packages if missing.
# Ends with "rt-tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
started=$SECONDS
export RT_DEV_DIR="$root/target/rt-test"
dev="$root/scripts/rt-dev.sh"

bash "$dev" stop
trap 'bash "$dev" stop' EXIT
rm -rf "$RT_DEV_DIR"    # this suite's own throwaway instance, never target/rt-dev

out="$(mktemp)"
trap 'bash "$dev" stop; rm -f "$out"' EXIT
trap 'exit 130' INT TERM    # through the EXIT trap: RT is stopped on an interrupt too
assignments="$(bash "$dev" start)"    # fails the script if RT does not start
eval "$assignments"
# start prints exactly the five assignments, and RT listens on 127.0.0.1 only.
fail() { echo "rt-tests: $*"; exit 1; }
[ "$(printf '%s\n' "$assignments" | sed 's/=.*//' | tr '\n' ' ')" = "RT_URL RT_CLOSER_USER RT_CLOSER_PASSWORD RT_AGENT_USER RT_AGENT_PASSWORD " ] ||
  fail "start printed other lines than the five assignments: $assignments"
port="${RT_URL##*:}"
[[ "$RT_URL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || fail "RT_URL is not on 127.0.0.1: $RT_URL"
listening="$(ss -Hltn "sport = :$port" | awk '{print $4}')"
[ "$listening" = "127.0.0.1:$port" ] || fail "RT listens on '$listening', not only on 127.0.0.1:$port"
server_pid="$(cat "$RT_DEV_DIR/rt-server.pid")"
# A second start finds the running RT: same assignments, no second server.
[ "$(bash "$dev" start 2>/dev/null)" = "$assignments" ] || fail "a second start did not reuse the running RT"
[ "$(cat "$RT_DEV_DIR/rt-server.pid")" = "$server_pid" ] && [ "$(ss -Hltn "sport = :$port" | wc -l)" -eq 1 ] ||
  fail "a second start left two servers"
export RT_URL RT_CLOSER_USER RT_CLOSER_PASSWORD RT_AGENT_USER RT_AGENT_PASSWORD
export ESCALINT_LIB="$root/target/release/libescalint.so" ESCALINT_BIN="$root/target/debug/escalint"
export RT_EXPORT="bash $dev export"

status=0
(cd integrations/rt && prove -l t xt) 2>&1 | tee "$out" || status=$?
passed="$(sed -n 's/^Files=[0-9]*, Tests=\([0-9]*\),.*/\1/p' "$out" | tail -n1)"
failed="$(sed -n 's/^Failed \([0-9]*\)\/[0-9]* subtests.*/\1/p' "$out" | awk '{s += $1} END {print s + 0}')"
passed=$(( ${passed:-0} - failed ))
# stop ends the server and its workers.
bash "$dev" stop
if kill -0 "$server_pid" 2>/dev/null || [ -n "$(ss -Hltn "sport = :$port")" ]; then
  echo "rt-tests: stop left RT running"; status=1
fi
echo "rt-tests: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
