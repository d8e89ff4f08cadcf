#!/usr/bin/env bash
# tmp_sweep.sh — removes the temporary folders of test runs that no longer run.
#
#   tests/tmp_sweep.sh [ROOT]      (ROOT: ${TMPDIR:-/tmp}; prints what it removed)
#
# Harnesses name their folders ROOT/rounds-pid<PID>-KIND.XXXXXX (tests/test.h:
# test_tmp_dir; tests/browser/run.sh) or, when one holds a throwaway PostgreSQL
# cluster (scripts/pg_tmp.sh), ROOT/rounds-pgpid<PID>-KIND.XXXXXX
# (tests/multi/two_instances.sh), PID the harness's own. One killed outright
# (SIGKILL, a timeout) leaves its folder, and its cluster running; the next
# harness to start calls this. A folder whose PID still runs is never touched
# (suites run side by side); a cluster in a stale folder is stopped before the
# folder goes. Folders named otherwise are left alone.
set -u -o pipefail

ROOT=${1:-${TMPDIR:-/tmp}}
HERE=$(cd "$(dirname "$0")" && pwd -P)

# alive PID: a process (or a zombie its parent has not reaped) with that id.
alive() { [ -d "/proc/$1" ]; }

shopt -s nullglob
for dir in "$ROOT"/rounds-pid[1-9]*-* "$ROOT"/rounds-pgpid[1-9]*-*; do
    name=${dir##*/}
    pid=${name#rounds-pid}
    pid=${pid#rounds-pgpid}
    pid=${pid%%-*}
    case $pid in '' | *[!0-9]*) continue ;; esac
    if [ ! -d "$dir" ] || [ -L "$dir" ]; then continue; fi
    [ -O "$dir" ] || [ "$(id -u)" = 0 ] || continue # root: pg_tmp.sh gives a cluster's folder to postgres
    alive "$pid" && continue
    # A cluster that scripts/pg_tmp.sh started here (in the folder or one level down).
    for pid_file in "$dir"/data/postmaster.pid "$dir"/*/data/postmaster.pid; do
        [ -f "$pid_file" ] || continue
        "$HERE/../scripts/pg_tmp.sh" stop "${pid_file%/data/postmaster.pid}" >/dev/null 2>&1 || true
    done
    rm -rf -- "$dir"
    echo "tmp_sweep: removed $dir (its run, pid $pid, no longer runs)"
done
exit 0
