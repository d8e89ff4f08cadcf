#!/usr/bin/env bash
# The checks below are eval'd strings, expanded when they run, with names set for them:
# shellcheck disable=SC2016,SC2034
# test_sweep.sh — tests/tmp_sweep.sh stops what a killed run left running and removes its
# folder, and touches nothing else.
#
#   tests/harness/test_sweep.sh      (scripts/test.sh runs it; prints "harness-sweep: N passed, N failed")
#
# In a root of its own (inside this script's PID-named folder), it fakes a run killed
# outright (a folder named with a PID no process has) that left servers
# (sleeping processes named rounds, node, chromium: recorded in its pids/ folder, one
# leading a process group with a child, one deaf to SIGTERM, one only carrying the
# run's folder in ROUNDS_TEST_RUNS) and a file, and a run still going (a folder named
# with a live PID, its recorded and marked servers); records that no longer name the
# process that holds the PID now (another program, another start time) stand for PIDs
# used again. One sweep: the dead run's folder, file and processes are gone; the live
# run's folder and processes, the reused PIDs' processes, a folder named otherwise and
# the process the sweep ran under are still there.
set -u -o pipefail

HERE=$(cd "$(dirname "$0")" && pwd -P)
SWEEP=$HERE/../tmp_sweep.sh
# shellcheck source=tests/harness/pids.sh
. "$HERE/pids.sh"

passed=0
failed=0
ok() { passed=$(( passed + 1 )); echo "ok   $1"; }
fail() { failed=$(( failed + 1 )); echo "FAIL $1"; shift; [ $# -eq 0 ] || printf '     %s\n' "$@"; }
check() { # NAME COMMAND...
    local name=$1
    shift
    if "$@"; then ok "$name"; else fail "$name" "${WHY:-}"; fi
    WHY=
}
WHY=

# Our own folder, named like every harness's: should this script be killed, the next
# sweep of /tmp stops the fakes below (they all carry it) and removes it.
BASE=$(mktemp -d "${TMPDIR:-/tmp}/rounds-pid$$-sweeptest.XXXXXX")
unset ROUNDS_TEST_RUNS
run_mark "$BASE"
R=$BASE/root
mkdir -p "$R"
FAKES=()
cleanup() {
    local pid
    for pid in "${FAKES[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    for pid in "${FAKES[@]}"; do wait "$pid" 2>/dev/null; done
    rm -rf -- "$BASE"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# running PID: there and not a zombie.
running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# fake NAME [MARK]: a sleeping process whose command line starts with NAME, carrying
# MARK appended to ROUNDS_TEST_RUNS; sets FAKE to its PID.
fake() {
    local runs=$ROUNDS_TEST_RUNS${2:+:$2}
    ROUNDS_TEST_RUNS=$runs bash -c 'exec -a "$0" sleep 300' "$1" </dev/null >/dev/null 2>&1 &
    FAKE=$!
    FAKES+=("$FAKE")
    wait_exec "$FAKE" "$1"
}
# wait_exec PID NAME: until PID's command line starts with NAME (bash has exec'd).
wait_exec() {
    local i argv0
    for (( i = 0; i < 100; i++ )); do
        argv0=
        IFS= read -r -d '' argv0 <"/proc/$1/cmdline" 2>/dev/null
        [ "$argv0" = "$2" ] && return 0
        sleep 0.02
    done
    echo "# pid $1 never became $2" >&2
}

# ---- the killed run --------------------------------------------------------------
# The PID of no process, ever (PIDs stay under pid_max): one that has ended could be given
# to another process before the sweep looks.
DEAD=$(cat /proc/sys/kernel/pid_max)
D=$(mktemp -d "$R/rounds-pid$DEAD-browser.XXXXXX")
mkdir -p "$D/data/mail"
echo log >"$D/server.log"
DFILE=$(mktemp "$R/rounds-pid$DEAD-metrics.XXXXXX")

fake rounds
D_SERVER=$FAKE
pid_record "$D" "$D_SERVER" rounds

# A process group (tests/browser/run.sh starts node with setsid): the leader and a child.
ROUNDS_TEST_RUNS=$BASE setsid bash -c 'sleep 300 & echo $! >"$1"; exec -a node sleep 300' node "$BASE/child" \
    </dev/null >/dev/null 2>&1 &
D_GROUP=$!
FAKES+=("$D_GROUP")
wait_exec "$D_GROUP" node
D_CHILD=$(cat "$BASE/child")
pid_record "$D" "$D_GROUP" node group

# A server that ignores SIGTERM (SIGKILL 5 s later), recorded one level down like an
# API server's folder inside a run's.
ROUNDS_TEST_RUNS=$BASE bash -c 'trap "" TERM; exec -a rounds sleep 300' </dev/null >/dev/null 2>&1 &
D_DEAF=$!
FAKES+=("$D_DEAF")
wait_exec "$D_DEAF" rounds
mkdir -p "$D/api"
pid_record "$D/api" "$D_DEAF" rounds

# Recorded in no file: a process that only carries the run's folder.
fake chromium "$D"
D_MARKED=$FAKE

# PIDs used again since: the record names another program, or another start time.
fake sleep
OTHER_PROGRAM=$FAKE
pid_record "$D" "$OTHER_PROGRAM" rounds
fake rounds
OTHER_START=$FAKE
mkdir -p "$D/pids"
echo "$(( $(proc_start_time "$OTHER_START") + 1 )) rounds proc" >"$D/pids/$OTHER_START"

# ---- the run still going ------------------------------------------------------------
fake rounds
OWNER=$FAKE # stands for the harness itself
L=$(mktemp -d "$R/rounds-pid$OWNER-browser.XXXXXX")
LFILE=$(mktemp "$R/rounds-pid$OWNER-metrics.XXXXXX")
fake rounds
L_SERVER=$FAKE
pid_record "$L" "$L_SERVER" rounds
fake node "$L"
L_MARKED=$FAKE
OTHER_NAME=$(mktemp -d "$R/rounds-openapi.XXXXXX")

# ---- one sweep, from a process that carries the dead run's folder --------------------
# (as a suite would, orphaned by a scripts/test.sh killed outright: it must spare itself)
started=${EPOCHREALTIME//[.,]/}
ROUNDS_TEST_RUNS=$BASE:$D bash -c '"$1" "$2" >"$3" 2>&1; echo "$?" >"$4"' sweep "$SWEEP" "$R" \
    "$BASE/sweep.out" "$BASE/sweep.rc"
took_ms=$(( (${EPOCHREALTIME//[.,]/} - started) / 1000 ))
sed 's/^/# /' "$BASE/sweep.out"

gone() { # WHAT PID...
    local what=$1 pid
    shift
    for pid in "$@"; do
        running "$pid" && { WHY="$what (pid $pid) still runs"; return 1; }
    done
    return 0
}
there() { # WHAT PID...
    local what=$1 pid
    shift
    for pid in "$@"; do
        running "$pid" || { WHY="$what (pid $pid) was stopped"; return 1; }
    done
    return 0
}
exists() { [ -e "$2" ] || { WHY="$1 ($2) was removed"; return 1; }; }
absent() { [ ! -e "$2" ] || { WHY="$1 ($2) is still there"; return 1; }; }

check "the sweep exits 0" eval '[ "$(cat "$BASE/sweep.rc" 2>/dev/null)" = 0 ] || { WHY="exit $(cat "$BASE/sweep.rc" 2>/dev/null)"; false; }'
check "the killed run's recorded server is stopped" gone "recorded server" "$D_SERVER"
check "the killed run's process group is stopped, leader and child" gone "group" "$D_GROUP" "$D_CHILD"
check "a server deaf to SIGTERM, recorded one folder down, is killed" gone "deaf server" "$D_DEAF"
check "a process carrying the killed run's folder in ROUNDS_TEST_RUNS is stopped" gone "marked process" "$D_MARKED"
check "the killed run's folder and file are removed" eval 'absent folder "$D" && absent file "$DFILE"'
check "a PID now running another program is left alone" there "other program" "$OTHER_PROGRAM"
check "a PID now held by a process started later is left alone" there "later process" "$OTHER_START"
check "the live run's folder and file stay" eval 'exists folder "$L" && exists file "$LFILE" && exists record "$L/pids/$L_SERVER"'
check "the live run's processes keep running" there "live run" "$OWNER" "$L_SERVER" "$L_MARKED"
check "a folder not named by a PID stays" exists folder "$OTHER_NAME"
check "the process the sweep ran under, carrying the dead run's folder, is spared" \
    eval '[ -s "$BASE/sweep.rc" ] || { WHY="it did not finish"; false; }'
check "SIGKILL follows SIGTERM after 5 s, not later ($took_ms ms)" eval '[ "$took_ms" -lt 15000 ]'

# A second sweep finds nothing to do.
"$SWEEP" "$R" >"$BASE/sweep2.out" 2>&1
check "a second sweep does nothing" eval '[ ! -s "$BASE/sweep2.out" ] || { WHY="$(head -3 "$BASE/sweep2.out")"; false; }'

echo "harness-sweep: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
