#!/usr/bin/env bash
# match_same.sh — the same result bytes from two builds of `rounds match`: runs
# OLD and NEW on instances written by bench/match_gen (modes one and rotation,
# several sizes, seeds and shares of lottery hosts) and compares the result
# files, the timings left out (core_ms, total_ms). For work on the match's
# speed: the lottery order, its SHA-256, the assignments, the verification and
# every explanation must stay the same.
#
#   scripts/match_same.sh OLD_ROUNDS NEW_ROUNDS [MATCH_GEN]
#
# MATCH_GEN defaults to build/bench/match_gen (`make build/bench/match_gen`).
# MATCH_SAME_BIG=1 adds the benchmark's instance (47,000 students) in both modes.
set -euo pipefail
old=${1:?usage: scripts/match_same.sh OLD_ROUNDS NEW_ROUNDS [MATCH_GEN]}
new=${2:?usage: scripts/match_same.sh OLD_ROUNDS NEW_ROUNDS [MATCH_GEN]}
gen=${3:-build/bench/match_gen}
[ -x "$gen" ] || { echo "match_same: $gen is missing" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# students offerings seats ranks lottery% seed
cases=(
    "1 1 1 1 20 1"
    "50 5 30 3 0 2"
    "50 5 30 3 100 3"
    "400 60 300 8 20 4"
    "2000 150 1800 12 50 5"
    "5000 700 4500 12 20 6"
)
if [ "${MATCH_SAME_BIG:-0}" = 1 ]; then
    cases+=("47000 6600 43000 12 20 1")
fi

strip() {
    sed -E 's/"(core_ms|total_ms)": [0-9.]+/"\1": T/g' "$1"
}

failed=0
count=0
for c in "${cases[@]}"; do
    read -r n m seats ranks lottery seed <<<"$c"
    for mode in one rotation; do
        instance="$work/in-$n-$seed-$mode.json"
        "$gen" --students "$n" --offerings "$m" --seats "$seats" --ranks "$ranks" --lottery "$lottery" \
            --seed "$seed" --mode "$mode" >"$instance"
        rc_old=0 rc_new=0
        "$old" match --quiet --in "$instance" --out "$work/old.json" || rc_old=$?
        "$new" match --quiet --in "$instance" --out "$work/new.json" || rc_new=$?
        count=$((count + 1))
        if [ "$rc_old" != "$rc_new" ]; then
            echo "DIFFERENT exit codes ($rc_old, $rc_new): $c $mode"
            failed=1
        elif ! cmp -s <(strip "$work/old.json") <(strip "$work/new.json"); then
            echo "DIFFERENT results: $c $mode"
            diff <(strip "$work/old.json") <(strip "$work/new.json") | head -n 10
            failed=1
        fi
    done
done
# Refused instances: the same message and exit code.
printf '{"version":1,"mode":"one","seed":"s","blocks":[],"offerings":[],"students":[{"id":"A","rol":["X"]}]}' \
    >"$work/bad.json"
printf '{"version":1,"mode":"one","seed":"s","blocks":[],"offerings":[],"students":[{"id":"A","rol":["X",' \
    >"$work/cut.json"
for bad in bad cut; do
    rc_old=0 rc_new=0
    "$old" match --in "$work/$bad.json" --out "$work/r.json" 2>"$work/old.err" || rc_old=$?
    "$new" match --in "$work/$bad.json" --out "$work/r.json" 2>"$work/new.err" || rc_new=$?
    count=$((count + 1))
    if [ "$rc_old" != "$rc_new" ] || ! cmp -s "$work/old.err" "$work/new.err"; then
        echo "DIFFERENT refusal of $bad.json: $rc_old $(cat "$work/old.err") / $rc_new $(cat "$work/new.err")"
        failed=1
    fi
done
if [ "$failed" = 0 ]; then
    echo "match_same: $count runs, the same bytes (timings aside) and exit codes"
fi
exit "$failed"
