#!/usr/bin/env bash
# test.sh — runs every test suite and ends with the line "N passed, N failed".
#
#   scripts/test.sh BUILD_DIR      (make test passes build-address-undefined)
#
# Suites: unit (lib, domain, parsers), store and API against SQLite and then
# against a throwaway PostgreSQL started here (scripts/pg_tmp.sh) and stopped
# on exit, the fuzz corpora replayed through the libFuzzer targets, the
# browser tests in headless Chromium, and the API document (tests/openapi).
# Each suite prints "NAME: N passed, N failed"; a suite that crashes counts
# as one failure.
set -u -o pipefail

BUILD=${1:-build-address-undefined}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"
export ROUNDS_BIN="$ROOT/$BUILD/rounds"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
# Named with our PID: a run killed outright (no trap runs) leaves its folders,
# its PostgreSQL cluster and the suite it was running; the next run's
# tests/tmp_sweep.sh stops and removes them (never those of a run still going).
# Every suite carries log_dir in ROUNDS_TEST_RUNS (tests/harness/pids.sh), and
# so does what it starts: the sweep finds them by it.
tests/tmp_sweep.sh /tmp || true
[ ! -d /dev/shm ] || tests/tmp_sweep.sh /dev/shm || true # tests/fuzz/fuzz_http_request.c's folders
log_dir=$(mktemp -d "/tmp/rounds-pid$$-test.XXXXXX")
pg_dir=""
# shellcheck source=tests/harness/pids.sh
. tests/harness/pids.sh
run_mark "$log_dir"

cleanup() {
    [ -n "$pg_dir" ] && scripts/pg_tmp.sh stop "$pg_dir" >/dev/null 2>&1
    rm -rf "$log_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# run_suite NAME COMMAND...: runs it, shows its output, adds its counts.
run_suite() {
    local name=$1
    shift
    local out="$log_dir/$name.log"
    "$@" >"$out" 2>&1
    local status=$?
    local line
    line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    if [ -n "$line" ]; then
        local p f
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1 # it printed a clean summary but exited non-zero (sanitizer, leak)
        fi
        passed=$((passed + p))
        failed=$((failed + f))
        if [ "$f" -ne 0 ]; then
            echo "---- $name (exit $status) ----"
            # The failing tests by name first, each with the diagnostic block the TAP runners
            # print under it (the browser suite's error and stack): a long server log below
            # may push them out of the tail.
            # The failed checks come before their test's FAIL line.
            grep -B 8 -A 16 -E '^(not ok|FAIL) ' "$out" | grep -vE '^(# ts=|ok |PASS )' | head -80
            grep -vE '^ok ' "$out" | tail -60
        fi
        echo "$name: $p passed, $f failed"
    else
        failed=$((failed + 1))
        echo "---- $name crashed or printed no summary (exit $status) ----"
        tail -60 "$out"
        echo "$name: 0 passed, 1 failed"
    fi
}

# Unit suites need no database.
for t in "$BUILD"/tests/unit/*; do
    [ -x "$t" ] && run_suite "$(basename "$t")" "$t"
done

# The harness's own tests (tests/harness/test_*.sh: the sweep of killed runs).
for t in tests/harness/test_*.sh; do
    [ -x "$t" ] && run_suite "harness-$(basename "$t" .sh)" "$t"
done

# Fuzz corpora: each target replays its committed corpus (crashes fail).
replay_corpus() {
    local target=$1 corpus=$2 n=0
    for f in "$corpus"/*; do
        [ -f "$f" ] || continue
        n=$((n + 1))
    done
    if "$target" -runs=0 "$corpus" >/dev/null 2>&1 && "$target" $(ls "$corpus"/* 2>/dev/null) >/dev/null 2>&1; then
        echo "$(basename "$target"): $n passed, 0 failed"
    else
        "$target" $(ls "$corpus"/* 2>/dev/null) 2>&1 | tail -30
        echo "$(basename "$target"): 0 passed, 1 failed"
        return 1
    fi
}
for target in build/fuzz/fuzz_*; do
    [ -x "$target" ] || continue
    name=$(basename "$target")
    run_suite "corpus-$name" replay_corpus "$target" "tests/fuzz/corpus/$name"
done

# `rounds ledger check` on a database, as a one-check suite.
ledger_check() {
    if "$ROUNDS_BIN" ledger check --db "$1"; then
        echo "ledger: 1 passed, 0 failed"
    else
        echo "ledger: 0 passed, 1 failed"
        return 1
    fi
}

# Stripe's own Node library signs the webhooks of the money suite (tests/stripe/sign.mjs).
if [ -f tests/stripe/package.json ] && { [ ! -f tests/stripe/node_modules/.package-lock.json ] \
        || [ tests/stripe/package-lock.json -nt tests/stripe/node_modules/.package-lock.json ]; }; then
    (cd tests/stripe && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
        || echo "---- npm ci in tests/stripe failed: the money suite will say so ----"
fi

# Store and API suites, on SQLite and then on PostgreSQL.
db_suites() {
    local backend=$1
    for t in "$BUILD"/tests/store/* "$BUILD"/tests/api/*; do
        [ -x "$t" ] || continue
        local name
        name=$(basename "$t")
        if [ "$backend" = postgres ]; then
            local uri
            uri=$(scripts/pg_tmp.sh createdb "$pg_dir" "$(echo "$name" | tr -c 'a-z0-9_\n' '_')") || {
                failed=$((failed + 1))
                echo "$name-postgres: could not create a database"
                continue
            }
            ROUNDS_TEST_DB="$uri" run_suite "$name-postgres" "$t"
            # Every suite leaves a sound ledger (SQLite runs check it as each server stops).
            run_suite "$name-postgres-ledger" ledger_check "$uri"
        else
            ROUNDS_TEST_DB="" run_suite "$name-sqlite" "$t"
        fi
    done
}
db_suites sqlite
pg_dir=$(mktemp -d "/tmp/rounds-pgpid$$-pg.XXXXXX")
chmod 755 "$pg_dir"
if scripts/pg_tmp.sh start "$pg_dir" >"$log_dir/pg-uri" 2>"$log_dir/pg-start.log"; then
    db_suites postgres
else
    echo "---- PostgreSQL did not start ----"
    cat "$log_dir/pg-start.log"
    failed=$((failed + 1))
fi

# Browser tests against the real binary in headless Chromium.
if [ -x tests/browser/run.sh ]; then
    run_suite browser tests/browser/run.sh "$ROUNDS_BIN"
fi
# The API document: a standard OpenAPI 3.1 validator, and real replies against its schemas.
[ -x tests/openapi/run.sh ] && run_suite openapi tests/openapi/run.sh "$ROUNDS_BIN"
[ -x tests/multi/two_instances.sh ] && run_suite multi tests/multi/two_instances.sh "$ROUNDS_BIN"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
