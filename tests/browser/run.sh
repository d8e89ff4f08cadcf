#!/usr/bin/env bash
# run.sh — browser tests: tests/browser/run.sh ROUNDS_BINARY
#
# Installs the node deps if missing or stale, starts ROUNDS_BINARY on a fresh
# SQLite database seeded with `rounds seed --demo` (demo accounts and catalog)
# and a free loopback port, runs every tests/browser/*.test.mjs
# with `node --test` (env BASE_URL, SCREENSHOT_DIR, MAIL_DIR), stops the server, and
# ends with the line "browser: N passed, N failed". Exit status is non-zero if
# anything failed, including a sanitizer report in the server's log.
# Quiet on success; VERBOSE=1 shows the test runner's output anyway.
set -eu -o pipefail

die() { echo "browser: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 ROUNDS_BINARY"
[ -x "$1" ] || die "not executable: $1"
BIN=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
HERE=$(cd "$(dirname "$0")" && pwd -P)
SCREENSHOT_DIR=$HERE/screenshots
# The sanitized server's known library leaks (libh2o's recycled buffers at exit) are
# suppressed as in every other suite, when run.sh is started by hand too.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$HERE/../lsan.supp:print_suppressions=0}
# Argon2id at its least cost in the servers, the demo seed and the CLI (sanitized builds:
# src/lib/crypto.c): the seed's and the journeys' sign-ins took 0.15 s of CPU each.
export ROUNDS_TEST_PASSWORD_COST=min
command -v node >/dev/null || die "node not found (scripts/bootstrap.sh installs it)"

# --- node deps ------------------------------------------------------------
if [ ! -f "$HERE/node_modules/.package-lock.json" ] \
        || [ "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ] \
        || [ "$HERE/package.json" -nt "$HERE/node_modules/.package-lock.json" ]; then
    # --loglevel=error rather than --silent: quiet, but says why it failed.
    out=$(cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error 2>&1) \
        || { printf '%s\n' "$out" >&2; die "npm ci failed in $HERE"; }
fi

# --- server ---------------------------------------------------------------
# Named with our PID, so that a run killed outright (no trap runs) leaves a
# folder that the next harness to start removes (tests/tmp_sweep.sh), after
# stopping what we started: the server and node's process group are recorded
# in $TMP/pids, and everything started from here on (a test file's own server,
# the browsers) carries $TMP in ROUNDS_TEST_RUNS (tests/harness/pids.sh).
"$HERE/../tmp_sweep.sh" "${TMPDIR:-/tmp}" || true
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rounds-pid$$-browser.XXXXXX")
# shellcheck source=tests/harness/pids.sh
. "$HERE/../harness/pids.sh"
run_mark "$TMP"
SERVER_PID=

stop_server() {
    local pid=$SERVER_PID
    SERVER_PID=
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
TESTS_PID=
stop_tests() {
    local pid=$TESTS_PID
    TESTS_PID=
    [ -n "$pid" ] || return 0
    kill -TERM -- "-$pid" 2>/dev/null || return 0
    for _ in $(seq 1 30); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() { stop_tests; stop_server; rm -rf -- "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=scripts/free_port.sh
. "$HERE/../../scripts/free_port.sh"

# Status line of GET /healthz, without curl.
healthz_ok() {
    timeout 2 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET /healthz HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n" "$1" >&3
        IFS= read -r line <&3 || exit 1
        case $line in "HTTP/1."?" 200"*) exit 0 ;; *) exit 1 ;; esac
    ' _ "$1" 2>/dev/null
}

ROUNDS_DB=$TMP/rounds.db "$BIN" migrate >"$TMP/migrate.log" 2>&1 \
    || { cat "$TMP/migrate.log" >&2; die "$BIN migrate failed"; }
# The demo accounts and catalog (hosts, offerings, blocks) that catalog.test.mjs searches,
# and the demo's completed rotation with its certificate, signed with the key the server uses.
mkdir -p "$TMP/data"
ROUNDS_DB=$TMP/rounds.db ROUNDS_DATA_DIR=$TMP/data "$BIN" seed --demo >"$TMP/seed.log" 2>&1 \
    || { tail -40 "$TMP/seed.log" >&2; die "$BIN seed --demo failed"; }

# A port can be taken between check and bind: try a few.
for try in 1 2 3; do
    PORT=$(free_port) || die "no free TCP port found"
    BASE_URL=http://127.0.0.1:$PORT
    # Staff, coaches and hosts sign in with a password alone here; two_factor.test.mjs
    # starts a server of its own with the requirement on.
    env ROUNDS_DB="$TMP/rounds.db" ROUNDS_LISTEN="127.0.0.1:$PORT" ROUNDS_REGISTER_LIMIT_CLIENT=1000 \
        ROUNDS_TWO_FACTOR_ROLES=none \
        ROUNDS_DATA_DIR="$TMP/data" ROUNDS_PUBLIC_URL="$BASE_URL" \
        "$BIN" serve >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    pid_record "$TMP" "$SERVER_PID" rounds
    up=
    for _ in $(seq 1 150); do      # 15 s: sanitizer builds start slowly
        if healthz_ok "$PORT"; then up=1; break; fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -z "$up" ] || break
    stop_server
    grep -qi 'in use' "$TMP/server.log" && [ "$try" -lt 3 ] && continue
    tail -40 "$TMP/server.log" >&2
    die "server did not answer GET /healthz on $BASE_URL"
done

# --- tests ----------------------------------------------------------------
shopt -s nullglob
tests=("$HERE"/*.test.mjs)
# BROWSER_TESTS="layout.test.mjs accounts.test.mjs" runs only those files.
if [ -n "${BROWSER_TESTS:-}" ]; then
    tests=()
    for t in $BROWSER_TESTS; do tests+=("$HERE/$t"); done
fi
[ ${#tests[@]} -gt 0 ] || die "no tests/browser/*.test.mjs"
mkdir -p "$SCREENSHOT_DIR"

# In its own process group (so cleanup can end node, its per-file children and
# their browsers at once), in the background (so our traps run promptly).
# MAIL_DIR: the server's maildir (no SMTP configured), where letters.test.mjs reads invitation links.
# TMPDIR: the tests' own temporary files (os.tmpdir()) go with our folder.
mkdir -p "$TMP/tmp"
TMPDIR=$TMP/tmp BASE_URL=$BASE_URL SCREENSHOT_DIR=$SCREENSHOT_DIR MAIL_DIR=$TMP/data/mail ROUNDS_BIN=$BIN setsid bash -c \
    'cd "$1" && shift && exec node --test --test-reporter=tap "$@"' \
    _ "$HERE" "${tests[@]}" >"$TMP/tests.log" 2>&1 </dev/null &
TESTS_PID=$!
pid_record "$TMP" "$TESTS_PID" node group
rc=0
wait "$TESTS_PID" || rc=$?
TESTS_PID=

passed=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$TMP/tests.log" | tail -1)
failed=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$TMP/tests.log" | tail -1)
passed=${passed:-0}
failed=${failed:-0}
# The runner failed without counting a failed test (crash, bad file): count it.
[ "$rc" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
[ "$passed" -gt 0 ] || [ "$failed" -gt 0 ] || failed=1

server_died=
kill -0 "$SERVER_PID" 2>/dev/null || server_died=1
stop_server
sanitizer=
grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "$TMP/server.log" \
    && sanitizer=1
[ -z "$server_died$sanitizer" ] || failed=$(( failed + 1 ))

if [ "$failed" -gt 0 ] || [ "${VERBOSE:-0}" = 1 ]; then
    cat "$TMP/tests.log"
fi
if [ -n "$server_died" ] || [ -n "$sanitizer" ] \
        || { [ "$failed" -gt 0 ] && [ -s "$TMP/server.log" ]; }; then
    [ -z "$server_died" ] || echo "# server exited during the tests"
    [ -z "$sanitizer" ] || echo "# sanitizer report in the server log"
    echo "# --- server log (last 60 lines) ---"
    tail -60 "$TMP/server.log" | sed 's/^/# /'
fi
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
