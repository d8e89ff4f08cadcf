# shellcheck shell=bash
# pids.sh — sourced (bash) by the harnesses that start servers and by tests/tmp_sweep.sh:
# what a run started is written down, so that the run killed outright (SIGKILL, a CI
# timeout: no trap runs) leaves nothing running past the next harness's sweep.
#
#   run_mark DIR                  appends DIR, the run's PID-named folder, to the exported
#                                 ROUNDS_TEST_RUNS (':'-separated): every process started
#                                 from here on carries it, the servers' own children too
#   pid_record DIR PID PROGRAM [group]
#                                 writes DIR/pids/PID: "START PROGRAM MODE", START the
#                                 process's start time (with the PID, one process for
#                                 good), PROGRAM how its command line starts (rounds,
#                                 nginx, node), MODE proc, or group to stop its whole
#                                 process group (it must lead one: setsid)
#   proc_start_time PID           prints PID's start time (/proc/PID/stat, field 22)
#   proc_is PID START PROGRAM     true when PID is still that process: ours, started at
#                                 START, its command line starting with PROGRAM
#
# tests/test.h writes the same records for the API suites' servers (test_tmp_record_pid).

# shellcheck disable=SC2034 # used by the scripts that source this
RUN_ENV=ROUNDS_TEST_RUNS

run_mark() {
    export ROUNDS_TEST_RUNS="${ROUNDS_TEST_RUNS:+$ROUNDS_TEST_RUNS:}$1"
}

proc_start_time() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # the command name may hold spaces and ')'
    # shellcheck disable=SC2086 # split into the fields after the name (field 3 on)
    set -- $stat
    [ -n "${20:-}" ] || return 1
    echo "${20}"
}

pid_record() {
    local dir=$1/pids pid=$2 start
    start=$(proc_start_time "$pid") || return 0 # it is gone already
    mkdir -p "$dir" && printf '%s %s %s\n' "$start" "$3" "${4:-proc}" >"$dir/$pid"
}

proc_is() {
    local pid=$1 start=$2 program=$3 argv0=
    [ -O "/proc/$pid" ] || return 1
    [ "$(proc_start_time "$pid")" = "$start" ] || return 1
    IFS= read -r -d '' argv0 <"/proc/$pid/cmdline" 2>/dev/null || [ -n "$argv0" ] || return 1
    case $argv0 in "$program"* | */"$program"*) return 0 ;; esac
    return 1
}
