#!/usr/bin/env bash
# tmp_sweep.sh — stops what test runs that no longer run left running, and removes
# their temporary folders.
#
#   tests/tmp_sweep.sh [ROOT]      (ROOT: ${TMPDIR:-/tmp}; prints what it stopped and removed)
#
# Harnesses name their folders (and a few files) ROOT/rounds-pid<PID>-KIND.XXXXXX
# (tests/test.h: test_tmp_dir; tests/browser/run.sh; scripts/test.sh) or, when one
# holds a throwaway PostgreSQL cluster (scripts/pg_tmp.sh), ROOT/rounds-pgpid<PID>-KIND.XXXXXX
# (tests/multi/two_instances.sh), PID the harness's own. One killed outright (SIGKILL, a
# timeout) leaves its folder, its cluster running, and the servers it started; the next
# harness to start calls this (scripts/test.sh first of all, and each suite's first
# test_tmp_dir). A folder whose PID still runs is never touched (suites run side by side).
# For each stale folder, in this order:
#   - a cluster in it (DIR/data or DIR/*/data) is stopped (scripts/pg_tmp.sh stop);
#   - the processes recorded in DIR/pids/PID or DIR/*/pids/PID (tests/harness/pids.sh:
#     pid_record) that are still the process recorded (ours, same start time, same
#     program), and our processes whose ROUNDS_TEST_RUNS names DIR (run_mark), get
#     SIGTERM, and SIGKILL 5 s later; never this sweep or the processes it runs under;
#   - the folder goes.
# Folders named otherwise, and other people's processes, are left alone.
set -u -o pipefail

ROOT=${1:-${TMPDIR:-/tmp}}
HERE=$(cd "$(dirname "$0")" && pwd -P)
# shellcheck source=tests/harness/pids.sh
. "$HERE/harness/pids.sh"
STOP_WAIT_TENTHS=50

# alive PID: a process (or a zombie its parent has not reaped) with that id.
alive() { [ -d "/proc/$1" ]; }

# running PID: alive and not a zombie (what a stop waits for).
running() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# ---- the stale folders and files ----------------------------------------------------
shopt -s nullglob
stale=()
for dir in "$ROOT"/rounds-pid[1-9]*-* "$ROOT"/rounds-pgpid[1-9]*-*; do
    name=${dir##*/}
    pid=${name#rounds-pid}
    pid=${pid#rounds-pgpid}
    pid=${pid%%-*}
    case $pid in '' | *[!0-9]*) continue ;; esac
    [ -L "$dir" ] && continue
    [ -O "$dir" ] || [ "$(id -u)" = 0 ] || continue # root: pg_tmp.sh gives a cluster's folder to postgres
    alive "$pid" && continue
    if [ -f "$dir" ]; then # a suite's temporary file (test_tmp_file)
        rm -f -- "$dir" && echo "tmp_sweep: removed $dir (its run, pid $pid, no longer runs)"
        continue
    fi
    [ -d "$dir" ] && stale+=("$dir")
done
[ ${#stale[@]} -gt 0 ] || exit 0

# ---- clusters ---------------------------------------------------------------------
for dir in "${stale[@]}"; do
    for pid_file in "$dir"/data/postmaster.pid "$dir"/*/data/postmaster.pid; do
        [ -f "$pid_file" ] || continue
        "$HERE/../scripts/pg_tmp.sh" stop "${pid_file%/data/postmaster.pid}" >/dev/null 2>&1 || true
        echo "tmp_sweep: stopped the PostgreSQL cluster in ${pid_file%/data/postmaster.pid}"
    done
done

# ---- processes --------------------------------------------------------------------
# This sweep and the processes it runs under (a suite, scripts/test.sh, make) are spared
# whatever they carry.
declare -A spare=()
p=$$
while [ -n "$p" ] && [ "$p" -gt 1 ] 2>/dev/null; do
    spare[$p]=1
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || break
    stat=${stat##*) }
    read -r _ p _ <<<"$stat"
done

declare -A is_stale=()
for dir in "${stale[@]}"; do is_stale[$dir]=1; done

victims=()    # "PID START PROGRAM" of processes to stop
groups=()     # "PID START PROGRAM" of process group leaders whose group goes too
declare -A chosen=()
add_victim() { # PID START PROGRAM MODE WHY
    [ -z "${spare[$1]:-}" ] && [ -z "${chosen[$1]:-}" ] || return 0
    proc_is "$1" "$2" "$3" || return 0
    chosen[$1]=1
    victims+=("$1 $2 $3")
    [ "$4" != group ] || groups+=("$1 $2 $3")
    echo "tmp_sweep: stopping pid $1 ($3), $5"
}

# Recorded by the harnesses.
for dir in "${stale[@]}"; do
    for record in "$dir"/pids/[1-9]* "$dir"/*/pids/[1-9]*; do
        pid=${record##*/}
        case $pid in *[!0-9]*) continue ;; esac
        read -r start program mode <"$record" 2>/dev/null || continue
        add_victim "$pid" "$start" "$program" "${mode:-proc}" "started by the run of ${dir##*/}"
    done
done

# Marked: our processes whose ROUNDS_TEST_RUNS names a stale folder (a test's own server,
# a browser, what a recorded server started).
while IFS= read -r environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    [ -O "/proc/$pid" ] || continue
    runs=$(tr '\0' '\n' <"$environ" 2>/dev/null | sed -n "s/^$RUN_ENV=//p" | head -1)
    IFS=: read -r -a marks <<<"$runs"
    for mark in "${marks[@]}"; do
        [ -n "${is_stale[$mark]:-}" ] || continue
        start=$(proc_start_time "$pid") || break
        argv0=
        IFS= read -r -d '' argv0 <"/proc/$pid/cmdline" 2>/dev/null
        [ -n "$argv0" ] || break
        add_victim "$pid" "$start" "$argv0" proc "it carries ${mark##*/}"
        break
    done
done < <(grep -lzs "^$RUN_ENV=" /proc/[1-9]*/environ 2>/dev/null)

if [ ${#victims[@]} -gt 0 ]; then
    for v in "${groups[@]}"; do
        read -r pid _ <<<"$v"
        kill -TERM -- "-$pid" 2>/dev/null
    done
    for v in "${victims[@]}"; do
        read -r pid _ <<<"$v"
        kill -TERM "$pid" 2>/dev/null
    done
    for (( i = 0; i < STOP_WAIT_TENTHS; i++ )); do
        left=0
        for v in "${victims[@]}"; do
            read -r pid _ <<<"$v"
            running "$pid" && left=1 && break
        done
        [ "$left" = 1 ] || break
        sleep 0.1
    done
    # Still there, and still the same process: SIGKILL (a group, when its leader is still
    # ours, a zombie or gone: a group's id is not given to another process while the
    # group lives).
    for v in "${groups[@]}"; do
        read -r pid start program <<<"$v"
        if proc_is "$pid" "$start" "$program" || ! running "$pid"; then kill -KILL -- "-$pid" 2>/dev/null; fi
    done
    for v in "${victims[@]}"; do
        read -r pid start program <<<"$v"
        if running "$pid" && proc_is "$pid" "$start" "$program"; then
            kill -KILL "$pid" 2>/dev/null && echo "tmp_sweep: killed pid $pid ($program): no exit 5 s after SIGTERM"
        fi
    done
fi

# ---- folders ----------------------------------------------------------------------
for dir in "${stale[@]}"; do
    chmod -R u+rwx -- "$dir" 2>/dev/null # a test may have left a folder read-only
    rm -rf -- "$dir"
    echo "tmp_sweep: removed $dir (its run no longer runs)"
done
exit 0
