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
#
# Suites run side by side, ROUNDS_TEST_JOBS at once (default: one more than the
# CPUs, as a suite spends part of its time waiting for its servers), the longest
# first (the browser tests, then PostgreSQL's API suites, …): on 2 CPUs that
# halves the run. Each suite's report is printed as it ends, so their order
# varies; the totals do not.
set -u -o pipefail

BUILD=${1:-build-address-undefined}
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$ROOT"
export ROUNDS_BIN="$ROOT/$BUILD/rounds"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Named with our PID: a run killed outright (no trap runs) leaves its folders,
# its PostgreSQL cluster and the suites it was running; the next run's
# tests/tmp_sweep.sh stops and removes them (never those of a run still going).
# Every suite carries log_dir in ROUNDS_TEST_RUNS (tests/harness/pids.sh), and
# so does what it starts: the sweep finds them by it.
tests/tmp_sweep.sh /tmp || true
[ ! -d /dev/shm ] || tests/tmp_sweep.sh /dev/shm || true # tests/fuzz/fuzz_http_request.c's folders
log_dir=$(mktemp -d "/tmp/rounds-pid$$-test.XXXXXX")
mkdir -p "$log_dir/jobs"
pg_dir=""     # the PostgreSQL cluster of the store and API suites
quiet_pg_dir="" # a second one, for QUIET_CLUSTER_SUITES
# Suites whose PostgreSQL part needs a cluster nobody else commits to: the
# sessions memo (src/store/session_batch.c) answers only while the cluster's
# snapshot stands still, which it never does beside other suites.
QUIET_CLUSTER_SUITES=" test_store_session_batch "
# shellcheck source=tests/harness/pids.sh
. tests/harness/pids.sh
run_mark "$log_dir"

JOBS=${ROUNDS_TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
case $JOBS in '' | *[!0-9]* | 0) echo "ROUNDS_TEST_JOBS must be a positive number" >&2; exit 2 ;; esac
# Each job runs in a process group of its own (job control), so that an
# interrupted run stops every suite still going, with what it started.
set -m
declare -A job_dir_of=() # PID of a running job → its folder under $log_dir/jobs
job_number=0

stop_jobs() {
    local pid
    for pid in "${!job_dir_of[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
    for pid in "${!job_dir_of[@]}"; do wait "$pid" 2>/dev/null; done
    job_dir_of=()
}
cleanup() {
    stop_jobs
    [ -n "$pg_dir" ] && scripts/pg_tmp.sh stop "$pg_dir" >/dev/null 2>&1
    [ -n "$quiet_pg_dir" ] && scripts/pg_tmp.sh stop "$quiet_pg_dir" >/dev/null 2>&1
    rm -rf "$log_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# children_cpu VAR: sets VAR to the CPU seconds (user + system) of this shell's children
# that have ended and been waited for, with theirs (a suite's servers, a browser): bash's
# `times`, run in this shell (in a $(...) subshell it would count the subshell's own).
children_cpu() {
    times >"$JOB_DIR/times"
    printf -v "$1" '%s' "$(tail -1 "$JOB_DIR/times" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); t += a[1] * 60 + a[2] } printf "%.0f", t }')"
}

# run_suite NAME COMMAND...: runs it (inside a job), its output in $log_dir/NAME.log;
# prints its counts line (and, if it failed, why); adds "NAME PASSED FAILED SECONDS
# CPU_SECONDS" to the job's counts (CPU: the suite's processes and what they started and
# waited for; not PostgreSQL's, whose server does the work of every suite).
run_suite() {
    local name=$1
    shift
    local out="$log_dir/$name.log" began=$SECONDS cpu_before cpu_after
    children_cpu cpu_before
    "$@" >"$out" 2>&1
    local status=$?
    local line p=0 f=1
    line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
    if [ -n "$line" ]; then
        p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
        f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
            f=1 # it printed a clean summary but exited non-zero (sanitizer, leak)
        fi
        if [ "$f" -ne 0 ]; then
            echo "---- $name (exit $status) ----"
            # The failing tests by name first, each with the diagnostic block the TAP runners
            # print under it (the browser suite's error and stack): a long server log below
            # may push them out of the tail.
            # The failed checks come before their test's FAIL line.
            grep -B 8 -A 16 -E '^(not ok|FAIL) ' "$out" | grep -vE '^(# ts=|ok |PASS )' | head -80
            grep -vE '^ok ' "$out" | tail -60
        fi
    else
        echo "---- $name crashed or printed no summary (exit $status) ----"
        tail -60 "$out"
    fi
    echo "$name: $p passed, $f failed"
    children_cpu cpu_after
    echo "$name $p $f $((SECONDS - began)) $((cpu_after - cpu_before))" >>"$JOB_DIR/counts"
}

# job COMMAND...: runs COMMAND (run_suite or a function calling it) in the
# background once fewer than JOBS run; its report is printed when it ends.
job() {
    while [ "${#job_dir_of[@]}" -ge "$JOBS" ]; do reap_job; done
    job_number=$((job_number + 1))
    local dir="$log_dir/jobs/$job_number"
    mkdir -p "$dir"
    (
        JOB_DIR=$dir
        "$@" >"$dir/report" 2>&1
        : >"$dir/done"
    ) </dev/null &
    job_dir_of[$!]=$dir
}

# reap_job: waits for a job to end and prints its report.
reap_job() {
    local pid="" dir
    wait -n -p pid
    [ -n "$pid" ] && [ -n "${job_dir_of[$pid]:-}" ] || return 0
    dir=${job_dir_of[$pid]}
    unset "job_dir_of[$pid]"
    cat "$dir/report"
    [ -f "$dir/done" ] || echo "---- a job ended before its suites did: $(head -c 300 "$dir/report") ----"
}

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

# `rounds ledger check` on a database, as a one-check suite.
ledger_check() {
    if "$ROUNDS_BIN" ledger check --db "$1"; then
        echo "ledger: 1 passed, 0 failed"
    else
        echo "ledger: 0 passed, 1 failed"
        return 1
    fi
}

# A store or API suite on PostgreSQL (database URI), then the ledger check of what it left.
postgres_suite() {
    local name=$1 suite=$2 uri=$3
    ROUNDS_TEST_DB="$uri" run_suite "$name-postgres" "$suite"
    # Every suite leaves a sound ledger (SQLite runs check it as each server stops).
    run_suite "$name-postgres-ledger" ledger_check "$uri"
}

# Stripe's own Node library signs the webhooks of the money suite (tests/stripe/sign.mjs).
if [ -f tests/stripe/package.json ] && { [ ! -f tests/stripe/node_modules/.package-lock.json ] \
        || [ tests/stripe/package-lock.json -nt tests/stripe/node_modules/.package-lock.json ]; }; then
    (cd tests/stripe && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
        || echo "---- npm ci in tests/stripe failed: the money suite will say so ----"
fi

# The longest first: the browser tests against the real binary in headless Chromium,
# in two halves (every other file), each against a server and demo database of its
# own (tests/browser/run.sh with BROWSER_TESTS): in one piece they were the run's
# critical path. Their node packages are installed here, once, before either starts.
if [ -x tests/browser/run.sh ]; then
    if [ ! -f tests/browser/node_modules/.package-lock.json ] \
            || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ] \
            || [ tests/browser/package.json -nt tests/browser/node_modules/.package-lock.json ]; then
        (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
            || echo "---- npm ci in tests/browser failed: the browser suites will say so ----"
    fi
    browser_halves=("" "")
    n=0
    for t in tests/browser/*.test.mjs; do
        browser_halves[n % 2]+="$(basename "$t") "
        n=$((n + 1))
    done
    BROWSER_TESTS=${browser_halves[0]} job run_suite browser-1 tests/browser/run.sh "$ROUNDS_BIN"
    BROWSER_TESTS=${browser_halves[1]} job run_suite browser-2 tests/browser/run.sh "$ROUNDS_BIN"
fi
# The two instances behind nginx, the API document (a standard OpenAPI 3.1 validator,
# and real replies against its schemas).
[ -x tests/multi/two_instances.sh ] && job run_suite multi tests/multi/two_instances.sh "$ROUNDS_BIN"
[ -x tests/openapi/run.sh ] && job run_suite openapi tests/openapi/run.sh "$ROUNDS_BIN"

# Store and API suites on PostgreSQL (a throwaway cluster, a database per suite),
# then on SQLite.
pg_dir=$(mktemp -d "/tmp/rounds-pgpid$$-pg.XXXXXX")
chmod 755 "$pg_dir"
suites=()
for t in "$BUILD"/tests/api/* "$BUILD"/tests/store/*; do
    [ -x "$t" ] && suites+=("$t")
done
quiet_pg_dir=$(mktemp -d "/tmp/rounds-pgpid$$-quietpg.XXXXXX")
chmod 755 "$quiet_pg_dir"
if scripts/pg_tmp.sh start "$pg_dir" >"$log_dir/pg-uri" 2>"$log_dir/pg-start.log" &&
        scripts/pg_tmp.sh start "$quiet_pg_dir" >"$log_dir/quiet-pg-uri" 2>>"$log_dir/pg-start.log"; then
    for t in "${suites[@]}"; do
        name=$(basename "$t")
        cluster=$pg_dir
        case $QUIET_CLUSTER_SUITES in *" $name "*) cluster=$quiet_pg_dir ;; esac
        if uri=$(scripts/pg_tmp.sh createdb "$cluster" "$(echo "$name" | tr -c 'a-z0-9_\n' '_')"); then
            job postgres_suite "$name" "$t" "$uri"
        else
            job run_suite "$name-postgres" echo "could not create its database"
        fi
    done
else
    echo "---- PostgreSQL did not start ----"
    cat "$log_dir/pg-start.log"
    job run_suite postgres echo "postgres: 0 passed, 1 failed"
fi
for t in "${suites[@]}"; do
    ROUNDS_TEST_DB="" job run_suite "$(basename "$t")-sqlite" "$t"
done

# Unit suites need no database; the harness's own tests (tests/harness/test_*.sh:
# the sweep of killed runs); the fuzz corpora.
for t in "$BUILD"/tests/unit/*; do
    [ -x "$t" ] && job run_suite "$(basename "$t")" "$t"
done
for t in tests/harness/test_*.sh; do
    [ -x "$t" ] && job run_suite "harness-$(basename "$t" .sh)" "$t"
done
for target in build/fuzz/fuzz_*; do
    [ -x "$target" ] || continue
    name=$(basename "$target")
    job run_suite "corpus-$name" replay_corpus "$target" "tests/fuzz/corpus/$name"
done

while [ "${#job_dir_of[@]}" -gt 0 ]; do reap_job; done

# The totals: every suite's counts; a job that ended early (killed) counts as a failure.
passed=0
failed=0
for dir in "$log_dir"/jobs/*; do
    [ -f "$dir/done" ] || failed=$((failed + 1))
    [ -f "$dir/counts" ] || continue
    while read -r _ p f _; do
        passed=$((passed + p))
        failed=$((failed + f))
    done <"$dir/counts"
done
echo
echo "slowest suites (s): $(cat "$log_dir"/jobs/*/counts 2>/dev/null | sort -k4,4nr | head -8 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $4 }')"
echo "most CPU (s): $(cat "$log_dir"/jobs/*/counts 2>/dev/null | sort -k5,5nr | awk '{ t += $5 } NR <= 8 { s = s (NR > 1 ? ", " : "") $1 " " $5 } END { printf "%s; all suites %d", s, t }')"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
