#!/usr/bin/env bash
# run.sh — the OpenAPI document's suite: tests/openapi/run.sh ROUNDS_BINARY
#
# Installs the node deps if missing or stale (a standard OpenAPI 3.1 validator
# and ajv), seeds a fresh SQLite database with `rounds seed --demo`, serves it
# twice on free loopback ports (without and with --test-hooks 1), runs
# openapi.test.mjs with `node --test`, stops the servers and ends with the line
# "openapi: N passed, N failed" (a sanitizer report in a server log fails it).
set -eu -o pipefail

die() { echo "openapi: $*" >&2; echo "openapi: 0 passed, 1 failed"; exit 1; }

[ $# -eq 1 ] || die "usage: $0 ROUNDS_BINARY"
[ -x "$1" ] || die "not executable: $1"
BIN=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd -P)
command -v node >/dev/null || die "node not found (scripts/bootstrap.sh installs it)"
# Argon2id at its least cost in the servers and the demo seed (sanitized builds: src/lib/crypto.c).
export ROUNDS_TEST_PASSWORD_COST=min

if [ ! -f "$HERE/node_modules/.package-lock.json" ] \
        || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ] \
        || [ "$HERE/package.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    out=$(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error 2>&1) \
        || { printf '%s\n' "$out" >&2; die "npm ci failed in $HERE"; }
fi

# Named with our PID: should this run be killed outright (no trap runs), the next
# harness's sweep (tests/tmp_sweep.sh) stops the servers recorded in $TMP/pids, and
# whatever carries $TMP in ROUNDS_TEST_RUNS (tests/harness/pids.sh), and removes it.
"$HERE/../tmp_sweep.sh" "${TMPDIR:-/tmp}" || true
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rounds-pid$$-openapi.XXXXXX")
# shellcheck source=tests/harness/pids.sh
. "$HERE/../harness/pids.sh"
run_mark "$TMP"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf -- "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=scripts/free_port.sh
. "$HERE/../../scripts/free_port.sh"
healthz_ok() {
    timeout 2 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n" "$1" >&3
        IFS= read -r line <&3 || exit 1
        case $line in "HTTP/1."?" 200"*) exit 0 ;; *) exit 1 ;; esac
    ' _ "$1" 2>/dev/null
}

mkdir -p "$TMP/data"
ROUNDS_DB=$TMP/rounds.db "$BIN" migrate >"$TMP/migrate.log" 2>&1 || { cat "$TMP/migrate.log" >&2; die "migrate failed"; }
ROUNDS_DB=$TMP/rounds.db ROUNDS_DATA_DIR=$TMP/data "$BIN" seed --demo >"$TMP/seed.log" 2>&1 \
    || { tail -40 "$TMP/seed.log" >&2; die "seed --demo failed"; }

# start NAME HOOKS: serves the database on a free port; prints the port.
start() {
    local name=$1 hooks=$2 port pid
    for try in 1 2 3; do
        port=$(free_port) || die "no free TCP port found"
        env ROUNDS_DB="$TMP/rounds.db" ROUNDS_LISTEN="127.0.0.1:$port" ROUNDS_REGISTER_LIMIT_CLIENT=1000 \
            ROUNDS_TWO_FACTOR_ROLES=none ROUNDS_DATA_DIR="$TMP/data" ROUNDS_PUBLIC_URL="http://127.0.0.1:$port" \
            "$BIN" serve --test-hooks "$hooks" >"$TMP/$name.log" 2>&1 &
        pid=$!
        PIDS+=("$pid")
        pid_record "$TMP" "$pid" rounds
        for _ in $(seq 1 150); do
            healthz_ok "$port" && { PORT=$port; return 0; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        grep -qi 'in use' "$TMP/$name.log" && [ "$try" -lt 3 ] && continue
        tail -40 "$TMP/$name.log" >&2
        die "the $name server did not answer GET /healthz"
    done
}
PORT=
start plain 0
BASE_URL=http://127.0.0.1:$PORT
start hooks 1
HOOKS_URL=http://127.0.0.1:$PORT

rc=0
(cd "$HERE" && BASE_URL=$BASE_URL HOOKS_URL=$HOOKS_URL node --test --test-reporter=tap openapi.test.mjs) \
    >"$TMP/tests.log" 2>&1 </dev/null || rc=$?
passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$TMP/tests.log" | tail -1)
failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$TMP/tests.log" | tail -1)
passed=${passed:-0}
failed=${failed:-0}
[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
[ "$passed" -gt 0 ] || [ "$failed" -gt 0 ] || failed=1
for log in "$TMP/plain.log" "$TMP/hooks.log"; do
    if grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$log"; then
        echo "# sanitizer report in $(basename "$log")"
        tail -60 "$log" | sed 's/^/# /'
        failed=$(( failed + 1 ))
    fi
done
# The routes not yet described are worth seeing even when nothing failed.
sed -n '/routes newer than/,/^ok /p' "$TMP/tests.log" | grep -v '^ok ' || true
if [ "$failed" -gt 0 ] || [ "${VERBOSE:-0}" = 1 ]; then
    cat "$TMP/tests.log"
fi
echo "openapi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
