#!/usr/bin/env bash
# bench.sh — the Rounds benchmark: wrk against rounds (and against nginx serving
# the same bytes as static files), in four parts, then one report:
#
#   accounts  GET /healthz and GET /api/v1/me vs nginx (a server that logs in).
#   documents GET /api/v1/documents/{id}/file of a 1 MiB PDF (opened from its sealed
#             file, the read audited) vs nginx sending the same bytes, and
#             POST /api/v1/documents of a 100 KiB PDF (bench/upload.lua).
#   catalog   with BENCH_OFFERINGS offerings seeded by `rounds seed --offerings`:
#             (a) GET /api/v1/offerings/{id}, (b) searches with specialty and state
#             filters, (c) full-text searches — (b) and (c) cycle through lists of
#             queries that return many results (bench/search.lua), answered from
#             kept searches after the warm-up — and (d) nginx
#             serving the bytes of reply (a). A server of its own that never logs
#             in (Argon2id would add 64 MiB), whose memory is reported.
#   match     `rounds match` offline on a generated instance at the scale of the U.S.
#             residency Match (47,000 students, 6,600 offerings, 43,000 seats, 12 ranks
#             each), modes "one" and "rotation": core and file-to-file milliseconds,
#             proposals, the verification. Needs no server.
#   holds     POST /api/v1/applications/{id}/accept on the write path: BENCH_HOLDS
#             offered applications on distinct blocks, each with its own student
#             and session, made directly in the database; every request accepts a
#             different one (bench/accept.lua). holds/s counts the 200s; afterwards
#             the seats taken in the database must equal the 200 replies.
#   payments  POST /api/v1/payments/webhooks/stripe: BENCH_PAYMENTS held applications,
#             each with an open Stripe checkout for its deposit, made directly in
#             the database; every request is another signed "checkout.session.completed"
#             event (bench/webhook_gen, bench/webhook.lua), verified, recorded once,
#             posted to the ledger and booking the seat. Afterwards the payments in the
#             database must equal the "applied" replies. Then the ledger is topped up to
#             BENCH_LEDGER_ENTRIES entries (holds charged and released) and
#             `rounds ledger check` timed over it.
#
#   scripts/bench.sh BINARY [sqlite|postgres]    (`make bench [DB=postgres]`)
#
# With postgres a throwaway cluster is started (scripts/pg_tmp.sh) and removed.
#
# Environment:
#   BENCH_SECONDS=10        length of each measured wrk run
#   BENCH_ROUNDS=1          measured runs per target; >1 reports the medians (holds: 1 run)
#   BENCH_WARMUP=2          seconds of warm-up per target before its first run (0: none)
#   BENCH_THREADS=2         wrk threads
#   BENCH_CONNECTIONS=16    wrk connections
#   BENCH_OFFERINGS=100000  offerings seeded for the catalog and holds parts
#   BENCH_HOLDS=20000       offered applications prepared for the holds part
#                           (a tenth of them for its warm-up)
#   BENCH_PAYMENTS=40000    held applications with a Stripe checkout for the payments
#                           part (a tenth of them for its warm-up)
#   BENCH_LEDGER_ENTRIES=1000000  ledger entries `rounds ledger check` is timed over
#   BENCH_COACH_STUDENTS=200 students of the coach whose dashboard the rotation part reads
#   BENCH_PARTS="accounts documents catalog holds payments match rotation messages certificates"   the parts to run
#   BENCH_MATCH_RUNS=5      runs of `rounds match` per mode
#   BENCH_MATCH_STUDENTS=47000 BENCH_MATCH_OFFERINGS=6600 BENCH_MATCH_SEATS=43000
#   BENCH_MATCH_RANKS=12    the generated match instance
#
# Tools: wrk, nginx, curl; sqlite3 (SQLite) or psql (PostgreSQL) for the holds
# set-up; b2sum (coreutils) for the session token hashes.
#
# Everything lives in a temp dir (database, data dir, nginx prefix, logs) that is
# removed on exit; servers are stopped on exit, failure or signal. Client and
# servers share the CPUs, so figures are noisy: targets run in alternation
# (rounds, nginx, rounds, …) and BENCH_ROUNDS=5 smooths them.
#
# Aims (reported, not enforced): healthz / nginx ≥ 1.0, me / nginx ≥ 0.8,
# offering / nginx ≥ 1.0, filter search p99 ≤ 3 ms, full-text p99 ≤ 5 ms and
# ≥ 5,000 req/s, seeding ≥ 50,000 offerings/s (SQLite), catalog server peak
# RSS ≤ 64 MiB, holds ≥ 1,000/s on SQLite, verified webhook events ≥ 1,000/s on
# SQLite, `rounds ledger check` over 1,000,000 entries ≤ 2 s, match core ≤ 15 ms and file to file
# ≤ 150 ms, certificate PDFs ≥ 200/s, /verify/{number} / nginx ≥ 0.5.
#
# To add a target to a part: fetch its reply body from rounds, write it with
# `nginx_static NAME.ext` (bytes on stdin), then register both sides with
# `bench_target PART …` and the ratio with `bench_ratio` (see part_accounts).
#
# Exit: 0 when it ran; 1 on a setup failure, when a target of the accounts or
# catalog part answered non-2xx, when seats taken and 200 replies disagree, when
# payments recorded and "applied" webhook replies disagree, or when the ledger
# check does not pass.
# Non-200 replies to the holds are counted in the report (holds/s counts 200s only).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
template="$here/../bench/nginx.conf.in"
search_lua="$here/../bench/search.lua"
accept_lua="$here/../bench/accept.lua"
webhook_lua="$here/../bench/webhook.lua"

BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_ROUNDS=${BENCH_ROUNDS:-1}
BENCH_WARMUP=${BENCH_WARMUP:-2}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}
BENCH_OFFERINGS=${BENCH_OFFERINGS:-100000}
BENCH_HOLDS=${BENCH_HOLDS:-20000}
BENCH_PAYMENTS=${BENCH_PAYMENTS:-40000}
BENCH_LEDGER_ENTRIES=${BENCH_LEDGER_ENTRIES:-1000000}
BENCH_COACH_STUDENTS=${BENCH_COACH_STUDENTS:-200}
BENCH_PARTS=${BENCH_PARTS:-accounts documents catalog holds payments match rotation messages certificates}
BENCH_MATCH_RUNS=${BENCH_MATCH_RUNS:-5}
BENCH_MATCH_STUDENTS=${BENCH_MATCH_STUDENTS:-47000}
BENCH_MATCH_OFFERINGS=${BENCH_MATCH_OFFERINGS:-6600}
BENCH_MATCH_SEATS=${BENCH_MATCH_SEATS:-43000}
BENCH_MATCH_RANKS=${BENCH_MATCH_RANKS:-12}

BENCH_EMAIL=bench@rounds.test
BENCH_PASSWORD=plum-orchard-harbor-71

die() { echo "bench: $*" >&2; exit 1; }
warn() { echo "bench: warning: $*" >&2; }
wants() { [[ " $BENCH_PARTS " == *" $1 "* ]]; }

# ---------------------------------------------------------------- setup & teardown

tmp=""
bin=""
db_kind=sqlite
pg_dir=""
rounds_pid=""
rounds_addr=""
rounds_name=""
sampler_pid=""
nginx_pid=""
nginx_addr=""
wrk_pid=""
invalid=()   # reasons the figures are not valid (exit 1 after the report)

# Is PID still running (and not a zombie waiting to be reaped)?
alive() {
    [ -n "$1" ] && [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# stop_pid PID SIGNAL — signal a child, give it 10 s, then SIGKILL; reap it.
stop_pid() {
    local pid=$1 sig=$2
    [ -n "$pid" ] || return 0
    kill "-$sig" "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$wrk_pid" TERM
    stop_pid "$sampler_pid" TERM
    stop_pid "$nginx_pid" TERM
    stop_pid "$rounds_pid" TERM
    [ -z "$pg_dir" ] || "$here/pg_tmp.sh" stop "$pg_dir" >/dev/null 2>&1 || true
    [ -z "$tmp" ] || rm -rf -- "$tmp"
    exit "$rc"
}

# show_log FILE — the tail of a log, to explain a failure.
show_log() {
    [ -s "$1" ] || return 0
    echo "bench: --- tail of $(basename "$1") ---" >&2
    tail -n 20 "$1" >&2
}

# shellcheck source=scripts/free_port.sh
. "$here/free_port.sh"

# "1234567" → "1,234,567"
commas() { printf '%s' "$1" | sed -e ':a' -e 's/^\([0-9]\{1,\}\)\([0-9]\{3\}\)/\1,\2/' -e 'ta'; }

# setup_db — a SQLite file in the temp dir, or a throwaway PostgreSQL; migrated.
setup_db() {
    export ROUNDS_DATA_DIR="$tmp/data"
    # The parts sign staff, hosts and coaches in with a password alone: the
    # benchmark measures the work behind the login, not the second factor.
    export ROUNDS_TWO_FACTOR_ROLES=none
    if [ "$db_kind" = postgres ]; then
        command -v psql >/dev/null || die "psql not found (apt-get install postgresql-client)"
        # Outside the private temp dir: the cluster runs as the postgres user.
        pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/rounds-bench-pg.XXXXXX")
        chmod 755 "$pg_dir"
        ROUNDS_DB=$("$here/pg_tmp.sh" start "$pg_dir" 2>"$tmp/pg-start.log") ||
            { show_log "$tmp/pg-start.log"; die "could not start PostgreSQL (scripts/pg_tmp.sh)"; }
    else
        ROUNDS_DB="$tmp/bench.db"
    fi
    export ROUNDS_DB
    "$bin" migrate >>"$tmp/setup.log" 2>&1 || { show_log "$tmp/setup.log"; die "rounds migrate failed"; }
}

# db_sql — run the SQL on stdin against the bench database; rows as a|b|c.
db_sql() {
    if [ "$db_kind" = postgres ]; then
        psql -X -q -At -v ON_ERROR_STOP=1 -d "$ROUNDS_DB" 2>>"$tmp/sql.log"
    else
        sqlite3 -batch -bail "$ROUNDS_DB" 2>>"$tmp/sql.log"
    fi
}

# cpu_ticks PID — the process's user + system CPU time so far, in clock ticks.
cpu_ticks() {
    awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# mem_of PID — "VmHWM VmRSS RssAnon RssFile" in MiB.
mem_of() {
    awk '/^(VmHWM|VmRSS|RssAnon|RssFile):/ { v[$1] = sprintf("%.1f", $2 / 1024) }
         END { print v["VmHWM:"], v["VmRSS:"], v["RssAnon:"], v["RssFile:"] }' "/proc/$1/status" 2>/dev/null ||
        echo "? ? ? ?"
}

# start_sampler PID — peak RssAnon (private memory; VmHWM also counts the
# file-backed pages of SQLite's mmap) sampled every 0.2 s into $tmp/anon-peak.
# It waits with `read -t` on a pipe that never speaks, not with sleep(1): a
# fork and exec five times a second took the CPU from the server under
# measurement and tripled its p99 (/healthz: 0.32 → 0.95 ms).
start_sampler() {
    local pid=$1
    echo 0 >"$tmp/anon-peak"
    (
        peak=0
        exec {nap}<> <(:)
        while [ -e "/proc/$pid/status" ]; do
            while read -r key value _; do
                if [ "$key" = RssAnon: ] && [ "$value" -gt "$peak" ]; then
                    peak=$value
                    echo "$peak" >"$tmp/anon-peak"
                fi
            done <"/proc/$pid/status" 2>/dev/null || true
            read -r -t 0.2 -u "$nap" _ || true
        done
    ) &
    sampler_pid=$!
}

# start_rounds NAME — serve the bench database on a free port (log: $tmp/NAME.log).
start_rounds() {
    local name=$1
    shift
    rm -f "$tmp/ready"
    "$bin" serve --listen 127.0.0.1:0 --ready-file "$tmp/ready" --log-level warn --data-dir "$tmp/data" "$@" \
        </dev/null >"$tmp/$name.log" 2>&1 &
    rounds_pid=$!
    rounds_name=$name
    start_sampler "$rounds_pid"
    for _ in $(seq 1 300); do
        if [ -s "$tmp/ready" ] && grep -q ':[0-9][0-9]*$' "$tmp/ready"; then
            rounds_addr=$(head -n 1 "$tmp/ready")
            return 0
        fi
        alive "$rounds_pid" || { show_log "$tmp/$name.log"; die "rounds serve ($name) exited at startup"; }
        sleep 0.1
    done
    show_log "$tmp/$name.log"
    die "rounds serve ($name) wrote no ready file within 30 s"
}

# stop_rounds — record the server's memory (MEM_<name>: hwm rss anon file anon_peak), stop it.
stop_rounds() {
    [ -n "$rounds_pid" ] || return 0
    alive "$rounds_pid" || { show_log "$tmp/$rounds_name.log"; die "rounds ($rounds_name) died during the runs"; }
    local mem
    mem=$(mem_of "$rounds_pid")
    stop_pid "$sampler_pid" TERM
    sampler_pid=""
    printf -v "MEM_$rounds_name" '%s %.1f' "$mem" "$(awk '{ print $1 / 1024 }' "$tmp/anon-peak")"
    stop_pid "$rounds_pid" TERM
    rounds_pid=""
}

# login — POST /api/v1/auth/login, print the bearer token.
login() {
    local reply token email=${1:-$BENCH_EMAIL}
    reply=$(curl -sS -f -X POST -H 'Content-Type: application/json' \
        --data "{\"email\":\"$email\",\"password\":\"$BENCH_PASSWORD\"}" \
        "http://$rounds_addr/api/v1/auth/login") || die "login failed"
    token=$(printf '%s' "$reply" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    [ -n "$token" ] || die "no token in the login reply: $reply"
    printf '%s\n' "$token"
}

# fetch URL OUT [curl args] — GET URL into OUT (must be 200); print its content type.
fetch() {
    local url=$1 out=$2 code
    shift 2
    code=$(curl -sS -o "$out" -w '%{http_code} %{content_type}' "$@" "$url") || die "GET $url failed"
    [ "${code%% *}" = 200 ] || die "GET $url answered ${code%% *}, not 200"
    printf '%s\n' "${code#* }"
}

# nginx_static NAME [BYTES] — write a file nginx serves as /NAME: BYTES exactly, or
# stdin when BYTES is not given (use stdin for bodies that end in a newline).
# The extension picks the content type (see bench/nginx.conf.in).
nginx_static() {
    local name=$1
    mkdir -p "$tmp/www"
    if [ $# -ge 2 ]; then printf '%s' "$2" >"$tmp/www/$name"; else cat >"$tmp/www/$name"; fi
    chmod 644 "$tmp/www/$name"
}

# nginx_url NAME — the URL of a file written with nginx_static.
nginx_url() { printf 'http://%s/%s\n' "$nginx_addr" "$1"; }

# start_nginx — fill bench/nginx.conf.in and run nginx on a free loopback port.
start_nginx() {
    local prefix="$tmp/nginx" port conf="$tmp/nginx/nginx.conf" attempt
    command -v nginx >/dev/null || die "nginx not found (scripts/bootstrap.sh bench)"
    [ -f "$template" ] || die "missing $template"
    mkdir -p "$prefix" "$tmp/www"
    for attempt in 1 2 3 4 5; do
        port=$(free_port) || die "no free TCP port found"
        sed -e "s|@TMP@|$tmp|g" -e "s|@PREFIX@|$prefix|g" -e "s|@ROOT@|$tmp/www|g" \
            -e "s|@LISTEN@|127.0.0.1:$port|g" \
            -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" "$template" >"$conf"
        : >"$tmp/nginx-error.log"
        nginx -p "$prefix/" -c "$conf" -e "$tmp/nginx-error.log" </dev/null >>"$tmp/nginx.log" 2>&1 &
        nginx_pid=$!
        for _ in $(seq 1 100); do
            if ! alive "$nginx_pid"; then
                wait "$nginx_pid" 2>/dev/null || true
                nginx_pid=""
                break
            fi
            if port_in_use "$port"; then
                nginx_addr="127.0.0.1:$port"
                return 0
            fi
            sleep 0.1
        done
        if [ -n "$nginx_pid" ]; then
            show_log "$tmp/nginx-error.log"
            die "nginx did not listen within 10 s"
        fi
        grep -qi 'address already in use' "$tmp/nginx-error.log" "$tmp/nginx.log" 2>/dev/null || break
    done
    show_log "$tmp/nginx.log"
    show_log "$tmp/nginx-error.log"
    die "nginx failed to start (attempt $attempt)"
}

# same_reply NGINX_NAME ROUNDS_BODY ROUNDS_TYPE — nginx serves the bytes and the type.
same_reply() {
    local name=$1 body=$2 type=$3 got
    got=$(fetch "$(nginx_url "$name")" "$tmp/check.out")
    cmp -s "$body" "$tmp/check.out" || die "nginx /$name differs from the rounds reply body"
    [ "$got" = "$type" ] || die "nginx /$name has content type '$got', rounds '$type'"
}

# ---------------------------------------------------------------- targets & runs

T_PART=()   # the part a target belongs to
T_NAME=()   # row label
T_URL=()
T_ARGS=()   # extra wrk args, shell-quoted; those after a "--" go after the URL
R_PART=()
R_LABEL=()  # ratio label
R_NUM=()    # ratio numerator / denominator: target names
R_DEN=()
R_AIM=()

# bench_target PART NAME URL [wrk args…] [-- script args…] — a row of PART's table.
bench_target() {
    local part=$1 name=$2 url=$3
    shift 3
    T_PART+=("$part")
    T_NAME+=("$name")
    T_URL+=("$url")
    if [ $# -gt 0 ]; then T_ARGS+=("$(printf '%q ' "$@")"); else T_ARGS+=(""); fi
}

# bench_ratio PART LABEL NUMERATOR DENOMINATOR AIM — req/s of one target over another's.
bench_ratio() {
    index_of "$3" >/dev/null
    index_of "$4" >/dev/null
    R_PART+=("$1"); R_LABEL+=("$2"); R_NUM+=("$3"); R_DEN+=("$4"); R_AIM+=("$5")
}

# wrk_parse — wrk --latency output on stdin → "rps p50_ms p99_ms non2xx socket_errors".
wrk_parse() {
    awk '
        function ms(v,   n, u) {
            n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n
            if (u == "s")  return n * 1000
            if (u == "m")  return n * 60000
            if (u == "h")  return n * 3600000
            return -1
        }
        /Latency Distribution/   { dist = 1; next }
        dist && $1 == "50%"      { p50 = ms($2) }
        dist && $1 == "99%"      { p99 = ms($2); dist = 0 }
        /^Requests\/sec:/        { rps = $2 }
        /Non-2xx or 3xx/         { bad = $NF }
        /Socket errors:/ {
            for (i = 3; i <= NF; i++) { gsub(/,/, "", $i); if ($i ~ /^[0-9]+$/) err += $i }
        }
        END {
            if (rps == "" || p50 == "" || p99 == "" || p50 < 0 || p99 < 0) exit 1
            printf "%s %.3f %.3f %d %d\n", rps, p50, p99, bad, err
        }'
}

# wrk_raw OUT SECONDS URL [args…] [-- script args…] — one wrk run, its output in OUT.
wrk_raw() {
    local out=$1 secs=$2 url=$3
    shift 3
    local -a pre=() post=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do pre+=("$1"); shift; done
    [ $# -eq 0 ] || post=("$@")
    # In the background, so that a signal reaches the trap at once (cleanup stops wrk).
    # A generous --timeout: a slow reply must count in the latencies, not as a socket error.
    wrk -t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS" -d "${secs}s" --timeout 30s --latency \
        "${pre[@]}" "$url" "${post[@]}" >"$out" 2>&1 &
    wrk_pid=$!
    if ! wait "$wrk_pid"; then
        wrk_pid=""
        cat "$out" >&2
        return 1
    fi
    wrk_pid=""
}

# run_wrk INDEX SECONDS — one wrk run of target INDEX; prints the parsed figures.
run_wrk() {
    local i=$1 secs=$2 out="$tmp/wrk.out"
    local -a args=()
    eval "args=(${T_ARGS[$i]})"
    wrk_raw "$out" "$secs" "${T_URL[$i]}" "${args[@]}" || die "wrk failed on ${T_NAME[$i]}"
    wrk_parse <"$out" || { cat "$out" >&2; die "cannot parse the wrk output for ${T_NAME[$i]}"; }
}

# run_part PART — its targets in turn, BENCH_ROUNDS times; one line per run in $tmp/runs/INDEX.
run_part() {
    local part=$1 r i
    mkdir -p "$tmp/runs"
    for r in $(seq 1 "$BENCH_ROUNDS"); do
        for i in "${!T_NAME[@]}"; do
            [ "${T_PART[$i]}" = "$part" ] || continue
            if [ "$r" = 1 ] && [ "$BENCH_WARMUP" != 0 ]; then
                run_wrk "$i" "$BENCH_WARMUP" >/dev/null
            fi
            run_wrk "$i" "$BENCH_SECONDS" >>"$tmp/runs/$i"
        done
    done
}

# figure INDEX COLUMN — the median of a figure over the runs (columns: 1 rps, 2 p50,
# 3 p99); columns 4 and 5 (non-2xx, socket errors) are summed instead.
figure() {
    local file="$tmp/runs/$1" col=$2
    if [ "$col" -ge 4 ]; then
        awk -v c="$col" '{ s += $c } END { print s + 0 }' "$file"
    else
        awk -v c="$col" '{ print $c }' "$file" | sort -g |
            awk '{ v[NR] = $1 } END { print ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
    fi
}

index_of() {
    local i
    for i in "${!T_NAME[@]}"; do [ "${T_NAME[$i]}" = "$1" ] && { echo "$i"; return 0; }; done
    die "no target named '$1'"
}

# ---------------------------------------------------------------- the aims table

A_LABEL=()
A_VALUE=()
A_AIM=()
A_MET=()

# aim LABEL VALUE AIM_TEXT MET(yes|no|-)
aim() { A_LABEL+=("$1"); A_VALUE+=("$2"); A_AIM+=("$3"); A_MET+=("$4"); }

# at_least VALUE LIMIT / at_most VALUE LIMIT → yes|no
at_least() { awk -v v="$1" -v l="$2" 'BEGIN { print ((v + 0 >= l + 0) ? "yes" : "no") }'; }
at_most() { awk -v v="$1" -v l="$2" 'BEGIN { print ((v != "?" && v + 0 <= l + 0) ? "yes" : "no") }'; }

# ---------------------------------------------------------------- report

report_file=""

# say FORMAT [ARGS…] — printf to the report.
# shellcheck disable=SC2059
say() { printf "$@" >>"$report_file"; }

# report_targets PART — the table of PART's targets and ratios; adds ratio aims.
report_targets() {
    local part=$1 i n rps p50 p99 nb se num den ratio met bad=0 errs=0
    say '%-28s %12s %9s %9s %7s\n' target req/s 'p50 ms' 'p99 ms' errors
    for i in "${!T_NAME[@]}"; do
        [ "${T_PART[$i]}" = "$part" ] || continue
        rps=$(figure "$i" 1); p50=$(figure "$i" 2); p99=$(figure "$i" 3)
        nb=$(figure "$i" 4); se=$(figure "$i" 5)
        say '%-28s %12.1f %9.3f %9.3f %7d\n' "${T_NAME[$i]}" "$rps" "$p50" "$p99" "$(( nb + se ))"
        bad=$(( bad + nb )); errs=$(( errs + se ))
    done
    for n in "${!R_LABEL[@]}"; do
        [ "${R_PART[$n]}" = "$part" ] || continue
        num=$(figure "$(index_of "${R_NUM[$n]}")" 1)
        den=$(figure "$(index_of "${R_DEN[$n]}")" 1)
        ratio=$(awk -v a="$num" -v b="$den" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        met=$(at_least "$ratio" "${R_AIM[$n]}")
        say '%-28s %12s   (aim >= %s: %s)\n' "${R_LABEL[$n]}" "$ratio" "${R_AIM[$n]}" "$met"
        aim "$part: ${R_LABEL[$n]}" "$ratio" ">= ${R_AIM[$n]}" "$met"
    done
    [ "$errs" = 0 ] || warn "$part: $errs socket errors (connect/read/write/timeout) during the runs"
    [ "$bad" = 0 ] || invalid+=("$part: $bad non-2xx responses")
}

# report_memory NAME LABEL — a server's memory line from MEM_<NAME>.
report_memory() {
    local var="MEM_$1" hwm rss anon file peak
    read -r hwm rss anon file peak <<<"${!var:-? ? ? ? ?}"
    say '%s: peak RSS (VmHWM) %s MiB, RSS at the end (VmRSS) %s MiB\n' "$2" "$hwm" "$rss"
    say '  at the end: %s MiB private (RssAnon) + %s MiB file-backed (RssFile: the binary, libraries%s)\n' \
        "$anon" "$file" "$([ "$db_kind" != sqlite ] || echo ' and the pages of the mmap-ed SQLite file')"
    say '  peak private memory (RssAnon, sampled every 0.2 s): %s MiB\n' "$peak"
}

# ---------------------------------------------------------------- part: accounts

part_accounts() {
    local token type_health type_me
    printf '%s\n' "$BENCH_PASSWORD" |
        "$bin" user add --email "$BENCH_EMAIL" --name Bench --role student --password-stdin \
            >>"$tmp/setup.log" 2>&1 || { show_log "$tmp/setup.log"; die "rounds user add failed"; }
    start_rounds accounts
    token=$(login)

    # The bodies nginx serves: the exact bytes of the rounds replies.
    type_health=$(fetch "http://$rounds_addr/healthz" "$tmp/healthz.body")
    type_me=$(fetch "http://$rounds_addr/api/v1/me" "$tmp/me.body" -H "Authorization: Bearer $token")
    nginx_static healthz.json <"$tmp/healthz.body"
    nginx_static me.json <"$tmp/me.body"
    same_reply healthz.json "$tmp/healthz.body" "$type_health"
    same_reply me.json "$tmp/me.body" "$type_me"

    # Rows run in this order, each round: keep rounds and nginx alternating.
    bench_target accounts "rounds /healthz" "http://$rounds_addr/healthz"
    bench_target accounts "nginx healthz.json" "$(nginx_url healthz.json)"
    bench_target accounts "rounds /api/v1/me" "http://$rounds_addr/api/v1/me" -H "Authorization: Bearer $token"
    bench_target accounts "nginx me.json" "$(nginx_url me.json)"
    bench_ratio accounts "healthz / nginx" "rounds /healthz" "nginx healthz.json" 1.0
    bench_ratio accounts "me / nginx" "rounds /api/v1/me" "nginx me.json" 0.8

    echo "bench: accounts part ($(( BENCH_ROUNDS * 4 )) runs of ${BENCH_SECONDS} s)" >&2
    run_part accounts
    stop_rounds
}

report_accounts() {
    say '\n== accounts: GET /healthz and GET /api/v1/me (bearer session) vs nginx\n\n'
    report_targets accounts
    say '\n'
    report_memory accounts "accounts server (it logs in: Argon2id uses 64 MiB)"
}

# ---------------------------------------------------------------- documents

# A 1 MiB PDF read back (opened from its sealed file, the read audited) against nginx
# sending the same bytes, and uploads of a 100 KiB PDF (multipart parsed, type checked,
# sealed, addressed, a row and an audit event; equal bytes share one file on disk).
part_documents() {
    local token type_file id code boundary=bench-boundary-7MA4YWxkTrZu0gW
    printf '%s\n' "$BENCH_PASSWORD" |
        "$bin" user add --email "docs-$BENCH_EMAIL" --name "Bench Documents" --role student --password-stdin \
            >>"$tmp/setup.log" 2>&1 || { show_log "$tmp/setup.log"; die "rounds user add failed"; }
    start_rounds documents --upload-quota 1099511627776
    token=$(login "docs-$BENCH_EMAIL")

    { printf '%%PDF-1.7\n'; head -c 1048576 /dev/urandom; } >"$tmp/doc.pdf"
    code=$(curl -sS -o "$tmp/upload.json" -w '%{http_code}' -H "Authorization: Bearer $token" \
        -F "file=@$tmp/doc.pdf;type=application/pdf" -F kind=cv "http://$rounds_addr/api/v1/documents") ||
        die "the document upload failed"
    [ "$code" = 201 ] || die "the document upload answered $code: $(head -c 300 "$tmp/upload.json")"
    id=$(sed -nE 's/^\{"id":"([^"]+)".*/\1/p' "$tmp/upload.json")
    [ -n "$id" ] || die "no id in the upload reply"
    type_file=$(fetch "http://$rounds_addr/api/v1/documents/$id/file" "$tmp/doc.body" -H "Authorization: Bearer $token")
    cmp -s "$tmp/doc.pdf" "$tmp/doc.body" || die "the document read back differs from the upload"
    nginx_static doc.pdf <"$tmp/doc.body"
    same_reply doc.pdf "$tmp/doc.body" "$type_file"

    # The body wrk posts: a 100 KiB PDF with a kind, as a browser would send it.
    {
        printf -- '--%s\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncv\r\n' "$boundary"
        printf -- '--%s\r\nContent-Disposition: form-data; name="file"; filename="cv.pdf"\r\n' "$boundary"
        printf 'Content-Type: application/pdf\r\n\r\n%%PDF-1.7\n'
        head -c 102400 /dev/urandom
        printf '\r\n--%s--\r\n' "$boundary"
    } >"$tmp/upload.body"

    bench_target documents "rounds GET document file (1 MiB)" "http://$rounds_addr/api/v1/documents/$id/file" \
        -H "Authorization: Bearer $token"
    bench_target documents "nginx doc.pdf (1 MiB)" "$(nginx_url doc.pdf)"
    bench_target documents "rounds POST document (100 KiB)" "http://$rounds_addr/api/v1/documents" \
        -H "Authorization: Bearer $token" -s "$here/../bench/upload.lua" -- "$tmp/upload.body" "$boundary"
    bench_ratio documents "document file / nginx" "rounds GET document file (1 MiB)" "nginx doc.pdf (1 MiB)" 0.5

    echo "bench: documents part ($(( BENCH_ROUNDS * 3 )) runs of ${BENCH_SECONDS} s)" >&2
    run_part documents
    stop_rounds
}

report_documents() {
    say '\n== documents: a sealed 1 MiB file read back (audited) vs nginx; 100 KiB uploads\n\n'
    report_targets documents
    say '\n'
    report_memory documents "documents server"
}

# ---------------------------------------------------------------- seeding

SEED_LINE=""

seed_offerings() {
    echo "bench: seeding $(commas "$BENCH_OFFERINGS") offerings (rounds seed --offerings)" >&2
    "$bin" seed --offerings "$BENCH_OFFERINGS" >"$tmp/seed.out" 2>>"$tmp/setup.log" ||
        { show_log "$tmp/setup.log"; die "rounds seed --offerings $BENCH_OFFERINGS failed"; }
    # "Seeded 100000 offerings in 20.1 s (4,929 offerings/s)"
    SEED_LINE=$(grep -m 1 '^Seeded ' "$tmp/seed.out" || true)
    [ -n "$SEED_LINE" ] || SEED_LINE="(rounds seed printed no rate: $(head -c 200 "$tmp/seed.out"))"
}

# ---------------------------------------------------------------- part: catalog

# facet NAME — "count key" lines of facet NAME of the search reply on stdin, most first.
facet() {
    sed -n "s/.*\"facets\":{.*\"$1\":{\([^}]*\)}.*/\1/p" | tr ',' '\n' |
        sed -n 's/^"\([^"]*\)":\([0-9][0-9]*\)$/\2 \1/p' | sort -k1,1nr -k2,2
}

# total — the "total" of the search reply on stdin.
total() { { grep -o '"total":[0-9]*' || true; } | tail -n 1 | cut -d: -f2; }

# range FILE — "min–max (median m)" of the numbers in FILE.
range() {
    sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%s–%s (median %s)", v[1], v[NR], v[int((NR + 1) / 2)] }'
}

CATALOG_INFO=()

part_catalog() {
    local api id type spec state q n
    start_rounds catalog
    api="http://$rounds_addr/api/v1/offerings"

    # What the catalog holds: the facet counts of a search with no filter.
    fetch "$api?limit=1" "$tmp/all.json" >/dev/null
    id=$(sed -n 's/^{"items":\[{"id":"\([^"]*\)".*/\1/p' "$tmp/all.json")
    [ -n "$id" ] || die "the catalog search found no offering (seeding failed?)"

    # (b) the 8 largest specialties, each with its 4 largest states.
    : >"$tmp/search.list"; : >"$tmp/search.totals"
    for spec in $(facet specialty <"$tmp/all.json" | head -n 8 | awk '{ print $2 }'); do
        fetch "$api?specialty=$spec&limit=1" "$tmp/spec.json" >/dev/null
        for state in $(facet state <"$tmp/spec.json" | head -n 4 | awk '{ print $2 }'); do
            echo "/api/v1/offerings?specialty=$spec&state=$state" >>"$tmp/search.list"
        done
    done
    [ -s "$tmp/search.list" ] || die "no specialty/state facet counts in the search reply"
    # How many results each returns (and that each answers 200).
    while read -r q; do
        fetch "http://$rounds_addr$q" "$tmp/q.json" >/dev/null
        total <"$tmp/q.json" >>"$tmp/search.totals"
    done <"$tmp/search.list"
    # (c) full text: the words of the largest specialties ("family medicine", …), the
    # first 12 that find something (a slug is not always in the text: "geriatrics").
    : >"$tmp/text.list"; : >"$tmp/text.totals"
    for spec in $(facet specialty <"$tmp/all.json" | awk '{ print $2 }'); do
        q="/api/v1/offerings?q=${spec//-/+}"
        fetch "http://$rounds_addr$q" "$tmp/q.json" >/dev/null
        n=$(total <"$tmp/q.json")
        [ "${n:-0}" -gt 0 ] || continue
        echo "$q" >>"$tmp/text.list"
        echo "$n" >>"$tmp/text.totals"
        [ "$(wc -l <"$tmp/text.list")" -lt 12 ] || break
    done
    [ -s "$tmp/text.list" ] || die "no full-text search found anything"
    CATALOG_INFO+=("(b) $(wc -l <"$tmp/search.list") specialty+state searches (8 largest specialties × their 4 largest states), $(range "$tmp/search.totals") results each")
    CATALOG_INFO+=("(c) $(wc -l <"$tmp/text.list") full-text searches (q = the words of the largest specialties), $(range "$tmp/text.totals") results each")
    CATALOG_INFO+=("(b) and (c) repeat their lists: after the warm-up they are answered from kept searches, as a repeated anonymous search is (README, Search); a search never asked before costs what the index computes")

    # (a) one offering; (d) its bytes from nginx.
    type=$(fetch "http://$rounds_addr/api/v1/offerings/$id" "$tmp/offering.body")
    nginx_static offering.json <"$tmp/offering.body"
    same_reply offering.json "$tmp/offering.body" "$type"
    CATALOG_INFO+=("(a) GET /api/v1/offerings/$id, $(wc -c <"$tmp/offering.body") bytes; (d) nginx serving them")

    bench_target catalog "(a) rounds offering" "http://$rounds_addr/api/v1/offerings/$id"
    bench_target catalog "(d) nginx offering.json" "$(nginx_url offering.json)"
    bench_target catalog "(b) rounds search filters" "http://$rounds_addr" -s "$search_lua" -- "$tmp/search.list"
    bench_target catalog "(c) rounds search text" "http://$rounds_addr" -s "$search_lua" -- "$tmp/text.list"
    bench_ratio catalog "offering / nginx (a/d)" "(a) rounds offering" "(d) nginx offering.json" 1.0

    echo "bench: catalog part ($(( BENCH_ROUNDS * 4 )) runs of ${BENCH_SECONDS} s)" >&2
    run_part catalog
    stop_rounds
}

report_catalog() {
    local line i p99 hwm rest
    say '\n== catalog: %s offerings — %s\n\n' "$(commas "$BENCH_OFFERINGS")" "$SEED_LINE"
    for line in "${CATALOG_INFO[@]}"; do say '%s\n' "$line"; done
    say '\n'
    report_targets catalog
    local rps rate
    i=$(index_of "(b) rounds search filters"); p99=$(figure "$i" 3)
    aim "catalog: filter search p99 (b), ms" "$p99" "<= 3" "$(at_most "$p99" 3)"
    i=$(index_of "(c) rounds search text"); p99=$(figure "$i" 3); rps=$(figure "$i" 1)
    aim "catalog: full-text p99 (c), ms" "$p99" "<= 5" "$(at_most "$p99" 5)"
    aim "catalog: full-text req/s (c)" "$rps" ">= 5000" "$(at_least "$rps" 5000)"
    # "Seeded 100000 offerings in 2.0 s (50,000 offerings/s)"
    rate=$(printf '%s\n' "$SEED_LINE" | sed -n 's/.*(\([0-9,]*\) offerings\/s).*/\1/p' | tr -d ,)
    if [ "$db_kind" = sqlite ]; then
        aim "catalog: seeding, offerings/s" "${rate:-?}" ">= 50000" "$(at_least "${rate:-0}" 50000)"
    else
        aim "catalog: seeding, offerings/s" "${rate:-?}" "(SQLite only)" "-"
    fi
    say '\n'
    report_memory catalog "catalog server (never logs in)"
    read -r hwm rest <<<"${MEM_catalog:-?}"
    aim "catalog: server peak RSS, MiB" "$hwm" "<= 64" "$(at_most "$hwm" 64)"
}

# ---------------------------------------------------------------- part: holds

HOLDS_COUNT=0
HOLDS_BASE=0
HOLDS_WARM=0
HOLDS_WARM_OK=0

# holds_setup — BENCH_HOLDS students, each with a session and an offered
# application on a block of its own (the first upcoming block with a free seat of
# as many offerings, in random order), straight into the database. Writes
# $tmp/holds/{warm,run}.list for bench/accept.lua.
holds_setup() {
    local dir="$tmp/holds" now today warm
    mkdir -p "$dir/tokens"
    now=$(date +%s)
    today=$(date -u +%F)
    command -v b2sum >/dev/null || die "b2sum not found (coreutils)"
    if [ "$db_kind" = postgres ]; then
        command -v psql >/dev/null || die "psql not found"
    else
        command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3): the holds part needs it"
    fi
    echo "bench: preparing $(commas "$BENCH_HOLDS") offered applications" >&2

    # Session tokens: 43 base64url characters, stored as hex BLAKE2b-256 (crypto_hash_token).
    awk -v n="$BENCH_HOLDS" 'BEGIN { for (i = 1; i <= n; i++) printf "bench%08dAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", i }' |
        (cd "$dir/tokens" && split -b 43 -a 7 -d - t)
    (cd "$dir/tokens" && b2sum -l 256 -- t*) |
        awk '{ f = $2; sub(/^t/, "", f); printf "%d,%s\n", f + 1, $1 }' >"$dir/hashes.csv"
    rm -rf "$dir/tokens"
    [ "$(wc -l <"$dir/hashes.csv")" = "$BENCH_HOLDS" ] || die "hashing the session tokens failed"

    local import
    if [ "$db_kind" = postgres ]; then
        import="\\copy bench_tokens FROM '$dir/hashes.csv' WITH (FORMAT csv)"
    else
        import=".import --csv $dir/hashes.csv bench_tokens"
    fi
    db_sql >/dev/null <<EOF || { show_log "$tmp/sql.log"; die "preparing the holds in the database failed"; }
CREATE TABLE bench_tokens (n INTEGER PRIMARY KEY, token_hash TEXT NOT NULL);
$import
CREATE TABLE bench_holds AS
  SELECT n, block_id, offering_id, organization_id FROM (
    SELECT row_number() OVER (ORDER BY random()) AS n, id AS block_id, offering_id, organization_id FROM (
      SELECT b.id, b.offering_id, o.organization_id,
             row_number() OVER (PARTITION BY b.offering_id ORDER BY b.start_date, b.id) AS k
        FROM blocks b JOIN offerings o ON o.id = b.offering_id
       WHERE o.status = 'published' AND b.start_date > '$today' AND b.seats_taken < b.seats) x
     WHERE k = 1) y
   WHERE n <= $BENCH_HOLDS;
BEGIN;
INSERT INTO users (id, email, name, password_hash, created_at, email_confirmed_at)
  SELECT 'u_bench_' || n, 'bench-' || n || '@rounds.test', 'Bench Student ' || n, '!bench', $now, $now FROM bench_holds;
INSERT INTO user_roles (user_id, role) SELECT 'u_bench_' || n, 'student' FROM bench_holds;
-- last_seen_at ahead: no session refresh (a write once a minute) during the run.
INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at)
  SELECT t.token_hash, 'u_bench_' || h.n, 'bench', $now, $now + 600
    FROM bench_holds h JOIN bench_tokens t ON t.n = h.n;
INSERT INTO applications (id, student_id, block_id, offering_id, organization_id, status, statement,
                          offer_expires_at, hold_expires_at, created_at, updated_at)
  SELECT 'a_bench_' || n, 'u_bench_' || n, block_id, offering_id, organization_id, 'offered', '',
         $now + 30 * 86400, NULL, $now, $now FROM bench_holds;
COMMIT;
EOF
    # PostgreSQL's autovacuum would analyze the new rows within a minute; now, for steady plans.
    [ "$db_kind" != postgres ] || echo "ANALYZE;" | db_sql >/dev/null || die "ANALYZE failed"

    HOLDS_COUNT=$(echo "SELECT count(*) FROM bench_holds;" | db_sql) || die "counting the holds failed"
    HOLDS_BASE=$(holds_seats) || die "reading the seats taken failed"
    [ "$HOLDS_COUNT" -gt 0 ] || die "no upcoming block with a free seat to hold (seeding failed?)"
    [ "$HOLDS_COUNT" = "$BENCH_HOLDS" ] ||
        warn "only $HOLDS_COUNT offerings have an upcoming block with a free seat: $HOLDS_COUNT holds prepared"

    warm=0
    [ "$BENCH_WARMUP" = 0 ] || warm=$(( HOLDS_COUNT / 10 ))
    HOLDS_WARM=$warm
    awk -v n="$HOLDS_COUNT" -v w="$warm" -v dir="$dir" 'BEGIN {
        for (i = 1; i <= n; i++)
            printf "a_bench_%d bench%08dAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", i, i > (i <= w ? dir "/warm.list" : dir "/run.list")
    }'
}

# holds_seats — seats taken on the blocks of the prepared applications.
holds_seats() {
    echo "SELECT COALESCE(SUM(b.seats_taken), 0) FROM blocks b JOIN bench_holds h ON h.block_id = b.id;" | db_sql
}

# accept_run OUT LIST SECONDS — wrk with bench/accept.lua; it stops sending after
# SECONDS and wrk waits 5 s more for the replies in flight.
accept_run() {
    local out=$1 list=$2 secs=$3
    wrk_raw "$out" "$(( secs + 5 ))" "http://$rounds_addr" -s "$accept_lua" -- "$list" "$secs" "$BENCH_THREADS" ||
        die "wrk failed on the holds"
    grep -q '^accept: sent' "$out" || { cat "$out" >&2; die "bench/accept.lua printed no counts"; }
}

# accept_count OUT WHAT — from accept.lua's lines: sent, replies, window, ok (200s),
# other (non-200 replies), exhausted.
accept_count() {
    awk -v what="$2" '
        /^accept: sent/      { sent = $3; replies = $5; window = $7 }
        /^accept: status/    { if ($3 == 200) ok += $4; else other += $4 }
        /^accept: exhausted/ { exhausted = $3 }
        END {
            v["sent"] = sent; v["replies"] = replies; v["window"] = window
            v["ok"] = ok + 0; v["other"] = other + 0; v["exhausted"] = exhausted + 0
            print v[what]
        }' "$1"
}

part_holds() {
    holds_setup
    start_rounds holds
    if [ -s "$tmp/holds/warm.list" ]; then
        accept_run "$tmp/holds-warm.out" "$tmp/holds/warm.list" "$BENCH_WARMUP"
        HOLDS_WARM_OK=$(accept_count "$tmp/holds-warm.out" ok)
    fi
    echo "bench: holds part (1 run of ${BENCH_SECONDS} s)" >&2
    accept_run "$tmp/holds.out" "$tmp/holds/run.list" "$BENCH_SECONDS"
    stop_rounds   # every reply is in: the server has nothing left to write
    HOLDS_SEATS=$(( $(holds_seats) - HOLDS_BASE ))
    HOLDS_HELD=$(echo "SELECT count(*) FROM applications a JOIN bench_holds h ON a.id = 'a_bench_' || h.n
                       WHERE a.status = 'held';" | db_sql)
}

report_holds() {
    local out="$tmp/holds.out" sent replies window ok other exhausted figs p50 p99 sockerr rate all ok_total
    sent=$(accept_count "$out" sent); replies=$(accept_count "$out" replies); window=$(accept_count "$out" window)
    ok=$(accept_count "$out" ok); other=$(accept_count "$out" other); exhausted=$(accept_count "$out" exhausted)
    figs=$(wrk_parse <"$out") || { cat "$out" >&2; die "cannot parse the wrk output of the holds"; }
    read -r _ p50 p99 _ sockerr <<<"$figs"
    rate=$(awk -v n="$ok" -v w="$window" 'BEGIN { printf "%.1f", (w > 0 ? n / w : 0) }')
    all=$(awk -v n="$replies" -v w="$window" 'BEGIN { printf "%.1f", (w > 0 ? n / w : 0) }')
    ok_total=$(( ok + HOLDS_WARM_OK ))

    say '\n== holds: POST /api/v1/applications/{id}/accept, %s connections, every request another\n' \
        "$BENCH_CONNECTIONS"
    say '   student, application and block (%s prepared, %s for the warm-up)\n\n' \
        "$(commas "$HOLDS_COUNT")" "$(commas "$HOLDS_WARM")"
    say '%-28s %12s %9s %9s %7s\n' target 'holds/s' 'p50 ms' 'p99 ms' errors
    say '%-28s %12.1f %9.3f %9.3f %7d\n' "rounds accept (200s)" "$rate" "$p50" "$p99" "$(( other + sockerr ))"
    say '  %s requests sent in %.2f s (%s/s), %s replies: %s × 200' "$sent" "$window" "$all" "$replies" "$ok"
    if [ "$other" != 0 ]; then
        say ', %s' "$(awk '/^accept: status/ && $3 != 200 { printf "%s%s × %s", sep, $4, $3; sep = ", " }' "$out")"
    fi
    say '\n'
    [ "$exhausted" = 0 ] ||
        say '  %s wrk thread(s) ran out of applications before %s s: raise BENCH_HOLDS\n' "$exhausted" "$BENCH_SECONDS"
    [ "$replies" = "$sent" ] ||
        say '  %s requests got no reply (socket errors or still running when wrk stopped)\n' "$(( sent - replies ))"
    say '  seats taken: %s, 200 replies: %s (warm-up included), applications held: %s — %s\n' \
        "$HOLDS_SEATS" "$ok_total" "$HOLDS_HELD" \
        "$([ "$HOLDS_SEATS" = "$ok_total" ] && [ "$HOLDS_HELD" = "$ok_total" ] && echo consistent || echo MISMATCH)"
    say '\n'
    report_memory holds "holds server"
    if [ "$db_kind" = sqlite ]; then
        aim "holds: accepts/s (sqlite)" "$rate" ">= 1000" "$(at_least "$rate" 1000)"
    else
        aim "holds: accepts/s ($db_kind)" "$rate" "(SQLite only)" "-"
    fi
    local same=yes
    [ "$HOLDS_SEATS" = "$ok_total" ] && [ "$HOLDS_HELD" = "$ok_total" ] || same=no
    aim "holds: seats taken = 200s" "$HOLDS_SEATS" "= $ok_total" "$same"
    [ "$same" = yes ] || invalid+=("holds: $HOLDS_SEATS seats taken and $HOLDS_HELD applications held for $ok_total 200 replies")
    [ "$other" = 0 ] || warn "holds: $other replies were not 200 (see the report)"
}

# ---------------------------------------------------------------- part: rotation

COACH_STUDENTS=0
MESSAGES_STORED=0

# A coach with BENCH_COACH_STUDENTS students written straight into the database:
# each on a block of its own (a third under way with five days of hours and a
# check-in, a third booked, a third cleared), every fourth with an open ticket.
rotation_setup() {
    local now today start end d1 d2 d3 d4
    now=$(date +%s)
    today=$(date -u +%F)
    start=$(date -u -d "$today - 10 days" +%F)
    end=$(date -u -d "$today + 18 days" +%F)
    d1=$(date -u -d "$start + 1 day" +%F); d2=$(date -u -d "$start + 2 days" +%F)
    d3=$(date -u -d "$start + 3 days" +%F); d4=$(date -u -d "$start + 4 days" +%F)
    printf '%s\n' "$BENCH_PASSWORD" |
        "$bin" user add --email "coach-$BENCH_EMAIL" --name "Bench Coach" --role coach --password-stdin \
            >>"$tmp/setup.log" 2>&1 || { show_log "$tmp/setup.log"; die "rounds user add (coach) failed"; }
    echo "bench: preparing a coach with $(commas "$BENCH_COACH_STUDENTS") students" >&2
    db_sql >/dev/null <<EOF || { show_log "$tmp/sql.log"; die "preparing the coach's students failed"; }
CREATE TABLE bench_coached AS
  SELECT n, block_id, offering_id, organization_id FROM (
    SELECT row_number() OVER (ORDER BY b.id) AS n, b.id AS block_id, b.offering_id, o.organization_id
      FROM blocks b JOIN offerings o ON o.id = b.offering_id
     WHERE o.status = 'published' AND b.seats_taken < b.seats) x
   WHERE n <= $BENCH_COACH_STUDENTS;
BEGIN;
INSERT INTO users (id, email, name, password_hash, created_at)
  SELECT 'u_coached_' || n, 'coached-' || n || '@rounds.test', 'Coached Student ' || n, '!bench', $now
    FROM bench_coached;
INSERT INTO user_roles (user_id, role) SELECT 'u_coached_' || n, 'student' FROM bench_coached;
INSERT INTO coach_assignments (student_id, coach_id, assigned_by, assigned_at)
  SELECT 'u_coached_' || n, (SELECT id FROM users WHERE email = 'coach-$BENCH_EMAIL'), NULL, $now FROM bench_coached;
INSERT INTO applications (id, student_id, block_id, offering_id, organization_id, status, statement,
                          offer_expires_at, hold_expires_at, created_at, updated_at)
  SELECT 'a_coached_' || n, 'u_coached_' || n, block_id, offering_id, organization_id,
         CASE n % 3 WHEN 0 THEN 'in_progress' WHEN 1 THEN 'booked' ELSE 'cleared' END, '',
         NULL, NULL, $now, $now FROM bench_coached;
UPDATE blocks SET start_date = '$start', end_date = '$end'
 WHERE id IN (SELECT block_id FROM bench_coached WHERE n % 3 = 0);
INSERT INTO hours_entries (id, application_id, student_id, day, minutes, setting, activities, patients_seen, state,
                           created_at, updated_at)
  SELECT 'h_coached_' || c.n || '_' || d.k, 'a_coached_' || c.n, 'u_coached_' || c.n, d.day, 480, 'inpatient',
         'Rounds and admissions', 4, CASE WHEN d.k < 3 THEN 'confirmed' ELSE 'logged' END, $now, $now
    FROM bench_coached c CROSS JOIN (SELECT 0 AS k, '$start' AS day UNION ALL SELECT 1, '$d1'
      UNION ALL SELECT 2, '$d2' UNION ALL SELECT 3, '$d3' UNION ALL SELECT 4, '$d4') d
   WHERE c.n % 3 = 0;
INSERT INTO check_ins (id, application_id, student_id, week_start, score, activities, needs_help, ticket_id, created_at)
  SELECT 'ci_coached_' || n, 'a_coached_' || n, 'u_coached_' || n, '$start', 1 + n % 5, 'A good week', 0, NULL,
         $now - 3 * 86400 FROM bench_coached WHERE n % 3 = 0;
INSERT INTO tickets (id, requester_id, student_id, application_id, category, urgency, subject, body, status,
                     assignee_id, response_due_at, resolve_due_at, created_at, updated_at)
  SELECT 'tk_coached_' || n, 'u_coached_' || n, 'u_coached_' || n, 'a_coached_' || n, 'schedule', 'normal',
         'A question', 'About my schedule', 'open', NULL, $now + 86400, $now + 3 * 86400, $now, $now
    FROM bench_coached WHERE n % 4 = 0;
COMMIT;
EOF
    [ "$db_kind" != postgres ] || echo "ANALYZE;" | db_sql >/dev/null || die "ANALYZE failed"
    COACH_STUDENTS=$(echo "SELECT count(*) FROM coach_assignments ca JOIN users u ON u.id = ca.coach_id
                           WHERE u.email = 'coach-$BENCH_EMAIL';" | db_sql) || die "counting the students failed"
    [ "$COACH_STUDENTS" = "$BENCH_COACH_STUDENTS" ] ||
        warn "only $COACH_STUDENTS blocks with a free seat: the coach has $COACH_STUDENTS students"
}

# GET /api/v1/coach/dashboard for a coach with BENCH_COACH_STUDENTS students: with
# BENCH_CONNECTIONS connections, and one at a time (its latencies are the server's time).
part_rotation() {
    local token students
    rotation_setup
    start_rounds rotation
    token=$(login "coach-$BENCH_EMAIL")
    students=$(curl -sS -f "http://$rounds_addr/api/v1/coach/dashboard" -H "Authorization: Bearer $token" |
        grep -o '"student":{' | wc -l) || die "GET /api/v1/coach/dashboard failed"
    [ "$students" = "$COACH_STUDENTS" ] || die "the dashboard lists $students students, not $COACH_STUDENTS"
    bench_target rotation "rounds coach dashboard" "http://$rounds_addr/api/v1/coach/dashboard" \
        -H "Authorization: Bearer $token"
    bench_target rotation "  one at a time" "http://$rounds_addr/api/v1/coach/dashboard" -t 1 -c 1 \
        -H "Authorization: Bearer $token"
    echo "bench: rotation part ($(( BENCH_ROUNDS * 2 )) runs of ${BENCH_SECONDS} s)" >&2
    run_part rotation
    stop_rounds
}

report_rotation() {
    local i p99
    say '\n== rotation: GET /api/v1/coach/dashboard, a coach with %s students (open tickets, check-ins, hours)\n\n' \
        "$COACH_STUDENTS"
    report_targets rotation
    report_memory rotation "rotation server"
    i=$(index_of "  one at a time")
    p99=$(figure "$i" 3)
    aim "rotation: dashboard p99 ms, 1 conn" "$p99" "<= 20" "$(at_most "$p99" 20)"
}

# ---------------------------------------------------------------- part: messages

# POST /api/v1/applications/{id}/messages by the coach of BENCH_COACH_STUDENTS
# students (rotation_setup), each request into the next of their threads
# (bench/messages.lua); the sending limit is lifted for the benchmark.
part_messages() {
    local token
    [ "$COACH_STUDENTS" != 0 ] || rotation_setup
    echo "SELECT 'a_coached_' || n FROM bench_coached;" | db_sql >"$tmp/message-threads" ||
        die "listing the threads failed"
    start_rounds messages --messages-per-minute 1000000
    token=$(login "coach-$BENCH_EMAIL")
    bench_target messages "rounds post a message" "http://$rounds_addr/" \
        -s "$here/../bench/messages.lua" -- "$tmp/message-threads" "$token"
    echo "bench: messages part ($BENCH_ROUNDS runs of ${BENCH_SECONDS} s)" >&2
    run_part messages
    MESSAGES_STORED=$(echo "SELECT count(*) FROM messages;" | db_sql) || die "counting the messages failed"
    stop_rounds
}

report_messages() {
    local i rps
    say '\n== messages: POST /api/v1/applications/{id}/messages into %s distinct threads (%s stored)\n\n' \
        "$COACH_STUDENTS" "$MESSAGES_STORED"
    report_targets messages
    report_memory messages "messages server"
    i=$(index_of "rounds post a message")
    rps=$(figure "$i" 1)
    aim "messages: posted per second" "$rps" ">= 1000" "$(at_least "$rps" 1000)"
}

# ---------------------------------------------------------------- part: payments

PAY_COUNT=0
PAY_CPU_TICKS=0
PAY_WARM=0
PAY_WARM_APPLIED=0
PAY_SECRET=whsec_bench_0123456789abcdef
PAY_AMOUNT=30000   # the deposit asked (30 % of a 1,000.00 price)

# payments_setup — BENCH_PAYMENTS students, each holding a seat on a block of its
# own (the last upcoming block with a free seat of as many offerings, in random
# order) at a price of 1,000.00 with a 300.00 deposit, its charge on the ledger and
# an open Stripe checkout for the deposit (session cs_paybench_N), straight into
# the database.
payments_setup() {
    local now today
    now=$(date +%s)
    today=$(date -u +%F)
    if [ "$db_kind" = postgres ]; then
        command -v psql >/dev/null || die "psql not found"
    else
        command -v sqlite3 >/dev/null || die "sqlite3 not found (apt-get install sqlite3): the payments part needs it"
    fi
    echo "bench: preparing $(commas "$BENCH_PAYMENTS") held applications with an open Stripe checkout" >&2
    db_sql >/dev/null <<EOSQL || { show_log "$tmp/sql.log"; die "preparing the payments in the database failed"; }
CREATE TABLE bench_pay AS
  SELECT n, block_id, offering_id, organization_id, start_date FROM (
    SELECT row_number() OVER (ORDER BY random()) AS n, id AS block_id, offering_id, organization_id, start_date FROM (
      SELECT b.id, b.offering_id, o.organization_id, b.start_date,
             row_number() OVER (PARTITION BY b.offering_id ORDER BY b.start_date DESC, b.id) AS k
        FROM blocks b JOIN offerings o ON o.id = b.offering_id
       WHERE o.status = 'published' AND b.start_date > '$today' AND b.seats_taken < b.seats) x
     WHERE k = 1) y
   WHERE n <= $BENCH_PAYMENTS;
BEGIN;
INSERT INTO users (id, email, name, password_hash, created_at, email_confirmed_at)
  SELECT 'u_paybench_' || n, 'paybench-' || n || '@rounds.test', 'Bench Payer ' || n, '!bench', $now, $now FROM bench_pay;
INSERT INTO user_roles (user_id, role) SELECT 'u_paybench_' || n, 'student' FROM bench_pay;
-- Held on the terms accept fixes: the balance falls due the day the rotation starts.
INSERT INTO applications (id, student_id, block_id, offering_id, organization_id, status, statement,
                          offer_expires_at, hold_expires_at, created_at, updated_at,
                          price_cents, fee_cents, deposit_due_cents, balance_due_on, paid_cents)
  SELECT 'a_paybench_' || n, 'u_paybench_' || n, block_id, offering_id, organization_id, 'held', '',
         NULL, $now + 7 * 86400, $now, $now, 100000, 10000, $PAY_AMOUNT, CAST(start_date AS TEXT), 0
    FROM bench_pay;
UPDATE blocks SET seats_taken = seats_taken + 1 WHERE id IN (SELECT block_id FROM bench_pay);
INSERT INTO checkouts (id, application_id, provider, plan, amount_cents, status, provider_ref,
                       created_at, expires_at)
  SELECT 'ck_paybench_' || n, 'a_paybench_' || n, 'stripe', 'deposit', $PAY_AMOUNT, 'open', 'cs_paybench_' || n,
         $now, $now + 86400 FROM bench_pay;
-- The charge accept posts: receivable and deferred revenue of the price.
INSERT INTO ledger_transactions (kind, application_id, organization_id, reference, memo, effective_on, created_at)
  SELECT 'charge', 'a_paybench_' || n, organization_id, '', 'seat held: price due', '$today', $now
    FROM bench_pay ORDER BY n;
INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)
  SELECT t.id, 'receivable:' || t.application_id, 100000, 1, 100000
    FROM ledger_transactions t JOIN bench_pay p ON t.application_id = 'a_paybench_' || p.n
  UNION ALL
  SELECT t.id, 'deferred:' || t.application_id, -100000, 1, -100000
    FROM ledger_transactions t JOIN bench_pay p ON t.application_id = 'a_paybench_' || p.n;
COMMIT;
EOSQL
    [ "$db_kind" != postgres ] || echo "ANALYZE;" | db_sql >/dev/null || die "ANALYZE failed"
    PAY_COUNT=$(echo "SELECT count(*) FROM bench_pay;" | db_sql) || die "counting the payments failed"
    [ "$PAY_COUNT" -gt 0 ] || die "no upcoming block with a free seat to hold (seeding failed?)"
    [ "$PAY_COUNT" = "$BENCH_PAYMENTS" ] ||
        warn "only $PAY_COUNT blocks have a free seat: $PAY_COUNT held applications prepared"
    PAY_WARM=0
    [ "$BENCH_WARMUP" = 0 ] || PAY_WARM=$(( PAY_COUNT / 10 ))
}

# payments_deliveries FROM TO OUT — signed now: Stripe's tolerance is five minutes.
payments_deliveries() {
    "$(dirname "$bin")/bench/webhook_gen" --secret "$PAY_SECRET" --from "$1" --to "$2" --amount "$PAY_AMOUNT" \
        >"$3" || die "webhook_gen failed"
}

# webhook_run OUT LIST SECONDS — wrk with bench/webhook.lua (it stops sending
# after SECONDS; wrk waits 5 s more for the replies in flight).
webhook_run() {
    local out=$1 list=$2 secs=$3
    wrk_raw "$out" "$(( secs + 5 ))" "http://$rounds_addr" -s "$webhook_lua" -- "$list" "$secs" "$BENCH_THREADS" ||
        die "wrk failed on the webhooks"
    grep -q '^webhook: sent' "$out" || { cat "$out" >&2; die "bench/webhook.lua printed no counts"; }
}

# webhook_count OUT WHAT — sent, replies, window, applied, ok (200s), other, exhausted.
webhook_count() {
    awk -v what="$2" '
        /^webhook: sent/      { sent = $3; replies = $5; window = $7; applied = $9 }
        /^webhook: status/    { if ($3 == 200) ok += $4; else other += $4 }
        /^webhook: exhausted/ { exhausted = $3 }
        END {
            v["sent"] = sent; v["replies"] = replies; v["window"] = window; v["applied"] = applied + 0
            v["ok"] = ok + 0; v["other"] = other + 0; v["exhausted"] = exhausted + 0
            print v[what]
        }' "$1"
}

# ledger_top_up — holds charged and released (4 entries each, on applications of
# one bench student) until the ledger has BENCH_LEDGER_ENTRIES entries.
ledger_top_up() {
    local entries apps now today t0 t1
    now=$(date +%s)
    today=$(date -u +%F)
    entries=$(echo "SELECT count(*) FROM ledger_entries;" | db_sql) || die "counting the ledger entries failed"
    apps=$(( (BENCH_LEDGER_ENTRIES - entries + 3) / 4 ))
    [ "$apps" -gt 0 ] || return 0
    echo "bench: topping the ledger up to $(commas "$BENCH_LEDGER_ENTRIES") entries ($(commas "$apps") holds charged and released)" >&2
    t0=$(date +%s%N)
    db_sql >/dev/null <<EOSQL || { show_log "$tmp/sql.log"; die "topping up the ledger failed"; }
CREATE TABLE bench_series AS
  WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < $apps) SELECT n FROM s;
CREATE TABLE bench_block AS
  SELECT b.id AS block_id, b.offering_id, o.organization_id FROM blocks b JOIN offerings o ON o.id = b.offering_id
   ORDER BY b.id LIMIT 1;
BEGIN;
INSERT INTO users (id, email, name, password_hash, created_at, email_confirmed_at)
  VALUES ('u_ledgerbench', 'ledgerbench@rounds.test', 'Bench Ledger', '!bench', $now, $now);
INSERT INTO applications (id, student_id, block_id, offering_id, organization_id, status, statement,
                          offer_expires_at, hold_expires_at, created_at, updated_at,
                          price_cents, fee_cents, deposit_due_cents, balance_due_on, paid_cents)
  SELECT 'a_ledgerbench_' || s.n, 'u_ledgerbench', k.block_id, k.offering_id, k.organization_id, 'hold_expired', '',
         NULL, NULL, $now, $now, 100000, 10000, 30000, '$today', 0
    FROM bench_series s CROSS JOIN bench_block k;
INSERT INTO ledger_transactions (kind, application_id, organization_id, reference, memo, effective_on, created_at)
  SELECT 'charge', 'a_ledgerbench_' || s.n, k.organization_id, '', 'seat held: price due', '$today', $now
    FROM bench_series s CROSS JOIN bench_block k ORDER BY s.n;
INSERT INTO ledger_transactions (kind, application_id, organization_id, reference, memo, effective_on, created_at)
  SELECT 'release', 'a_ledgerbench_' || s.n, k.organization_id, '', 'Hold expired: 0% of 0 cents paid back',
         '$today', $now
    FROM bench_series s CROSS JOIN bench_block k ORDER BY s.n;
INSERT INTO ledger_entries (transaction_id, account, amount_cents, account_seq, balance_cents)
  SELECT t.id, 'receivable:' || t.application_id, 100000, 1, 100000
    FROM ledger_transactions t WHERE t.kind = 'charge' AND t.application_id LIKE 'a\_ledgerbench\_%' ESCAPE '\'
  UNION ALL
  SELECT t.id, 'deferred:' || t.application_id, -100000, 1, -100000
    FROM ledger_transactions t WHERE t.kind = 'charge' AND t.application_id LIKE 'a\_ledgerbench\_%' ESCAPE '\'
  UNION ALL
  SELECT t.id, 'deferred:' || t.application_id, 100000, 2, 0
    FROM ledger_transactions t WHERE t.kind = 'release' AND t.application_id LIKE 'a\_ledgerbench\_%' ESCAPE '\'
  UNION ALL
  SELECT t.id, 'receivable:' || t.application_id, -100000, 2, 0
    FROM ledger_transactions t WHERE t.kind = 'release' AND t.application_id LIKE 'a\_ledgerbench\_%' ESCAPE '\';
COMMIT;
EOSQL
    # PostgreSQL: the visibility map and statistics autovacuum would set up within minutes.
    [ "$db_kind" != postgres ] || echo "VACUUM ANALYZE;" | db_sql >/dev/null || die "VACUUM ANALYZE failed"
    t1=$(date +%s%N)
    LEDGER_TOPUP_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    LEDGER_TOPUP_APPS=$apps
}

LEDGER_TOPUP_S=0
LEDGER_TOPUP_APPS=0
LEDGER_LINE=""
LEDGER_MS=""
LEDGER_WALL=""

# ledger_check_runs — `rounds ledger check` BENCH_MATCH_RUNS times: its own ms and the wall ms.
ledger_check_runs() {
    local i t0 t1 out own="" walls=""
    "$bin" ledger check >/dev/null 2>&1 || true   # warm the page cache
    for i in $(seq 1 "$BENCH_MATCH_RUNS"); do
        t0=$(date +%s%N)
        out=$("$bin" ledger check 2>>"$tmp/ledger.log") || { echo "$out" >&2; invalid+=("payments: rounds ledger check failed: $out"); }
        t1=$(date +%s%N)
        LEDGER_LINE=$out
        own+=" $(sed -n 's/.*(\([0-9.]*\) ms)$/\1/p' <<<"$out")"
        walls+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
    done
    LEDGER_MS=$(best_and_median "$own")
    LEDGER_WALL=$(best_and_median "$walls")
}

part_payments() {
    local gen
    gen="$(dirname "$bin")/bench/webhook_gen"
    [ -x "$gen" ] || die "$gen is missing (make bench builds it)"
    payments_setup
    export ROUNDS_STRIPE_SECRET_KEY=sk_test_bench ROUNDS_STRIPE_WEBHOOK_SECRET=$PAY_SECRET
    export ROUNDS_STRIPE_API_BASE=http://127.0.0.1:9   # never called: no checkout is opened
    start_rounds payments
    if [ "$PAY_WARM" -gt 0 ]; then
        payments_deliveries 1 "$PAY_WARM" "$tmp/webhook-warm.list"
        webhook_run "$tmp/webhook-warm.out" "$tmp/webhook-warm.list" "$BENCH_WARMUP"
        PAY_WARM_APPLIED=$(webhook_count "$tmp/webhook-warm.out" applied)
    fi
    payments_deliveries "$(( PAY_WARM + 1 ))" "$PAY_COUNT" "$tmp/webhook.list"
    echo "bench: payments part (1 run of ${BENCH_SECONDS} s)" >&2
    local cpu0
    cpu0=$(cpu_ticks "$rounds_pid")
    webhook_run "$tmp/webhook.out" "$tmp/webhook.list" "$BENCH_SECONDS"
    PAY_CPU_TICKS=$(( $(cpu_ticks "$rounds_pid") - cpu0 ))
    stop_rounds
    unset ROUNDS_STRIPE_SECRET_KEY ROUNDS_STRIPE_WEBHOOK_SECRET ROUNDS_STRIPE_API_BASE
    PAY_RECORDED=$(echo "SELECT count(*) FROM payments p JOIN bench_pay b ON p.checkout_id = 'ck_paybench_' || b.n;" |
        db_sql) || die "counting the payments failed"
    PAY_BOOKED=$(echo "SELECT count(*) FROM applications a JOIN bench_pay b ON a.id = 'a_paybench_' || b.n
                       WHERE a.status = 'booked';" | db_sql) || die "counting the bookings failed"
    ledger_top_up
    echo "bench: rounds ledger check ($BENCH_MATCH_RUNS runs)" >&2
    ledger_check_runs
}

report_payments() {
    local out="$tmp/webhook.out" sent replies window applied ok other exhausted figs p50 p99 sockerr rate all total
    sent=$(webhook_count "$out" sent); replies=$(webhook_count "$out" replies); window=$(webhook_count "$out" window)
    applied=$(webhook_count "$out" applied); ok=$(webhook_count "$out" ok); other=$(webhook_count "$out" other)
    exhausted=$(webhook_count "$out" exhausted)
    figs=$(wrk_parse <"$out") || { cat "$out" >&2; die "cannot parse the wrk output of the webhooks"; }
    read -r _ p50 p99 _ sockerr <<<"$figs"
    rate=$(awk -v n="$applied" -v w="$window" 'BEGIN { printf "%.1f", (w > 0 ? n / w : 0) }')
    all=$(awk -v n="$replies" -v w="$window" 'BEGIN { printf "%.1f", (w > 0 ? n / w : 0) }')
    total=$(( applied + PAY_WARM_APPLIED ))

    say '\n== payments: POST /api/v1/payments/webhooks/stripe, %s connections, every request another\n' \
        "$BENCH_CONNECTIONS"
    say '   signed checkout.session.completed paying the deposit of another held seat (%s prepared,\n' \
        "$(commas "$PAY_COUNT")"
    say '   %s for the warm-up): signature verified, event claimed once, payment + ledger + booking\n\n' \
        "$(commas "$PAY_WARM")"
    say '%-28s %12s %9s %9s %7s\n' target 'events/s' 'p50 ms' 'p99 ms' errors
    say '%-28s %12.1f %9.3f %9.3f %7d\n' "rounds webhook (applied)" "$rate" "$p50" "$p99" "$(( other + sockerr ))"
    say '  %s requests sent in %.2f s (%s/s), %s replies: %s × 200 (%s applied)' "$sent" "$window" "$all" \
        "$replies" "$ok" "$applied"
    if [ "$other" != 0 ]; then
        say ', %s' "$(awk '/^webhook: status/ && $3 != 200 { printf "%s%s × %s", sep, $4, $3; sep = ", " }' "$out")"
    fi
    say '\n'
    [ "$exhausted" = 0 ] ||
        say '  %s wrk thread(s) ran out of events before %s s: raise BENCH_PAYMENTS\n' "$exhausted" "$BENCH_SECONDS"
    # CPU per event does not depend on what else the machine runs, as events/s does.
    local hz
    hz=$(getconf CLK_TCK)
    say '  server CPU (user + system) during the run: %.2f s, %.3f ms per applied event\n' \
        "$(awk -v t="$PAY_CPU_TICKS" -v hz="$hz" 'BEGIN { print t / hz }')" \
        "$(awk -v t="$PAY_CPU_TICKS" -v hz="$hz" -v n="$applied" 'BEGIN { print (n > 0 ? t * 1000 / hz / n : 0) }')"
    say '  payments recorded: %s, applications booked: %s, "applied" replies: %s (warm-up included) — %s\n' \
        "$PAY_RECORDED" "$PAY_BOOKED" "$total" \
        "$([ "$PAY_RECORDED" = "$total" ] && [ "$PAY_BOOKED" = "$total" ] && echo consistent || echo MISMATCH)"
    say '\n'
    report_memory payments "payments server"
    if [ "$db_kind" = sqlite ]; then
        aim "payments: webhook events/s (sqlite)" "$rate" ">= 1000" "$(at_least "$rate" 1000)"
    else
        aim "payments: webhook events/s ($db_kind)" "$rate" "(SQLite only)" "-"
    fi
    local same=yes
    [ "$PAY_RECORDED" = "$total" ] && [ "$PAY_BOOKED" = "$total" ] || same=no
    aim "payments: recorded = applied" "$PAY_RECORDED" "= $total" "$same"
    [ "$same" = yes ] || invalid+=("payments: $PAY_RECORDED payments and $PAY_BOOKED bookings for $total applied events")
    [ "$other" = 0 ] || warn "payments: $other replies were not 200 (see the report)"

    local best median wbest wmedian
    read -r best median <<<"$LEDGER_MS"
    read -r wbest wmedian <<<"$LEDGER_WALL"
    say '\n== ledger: rounds ledger check, best and median of %s runs\n\n' "$BENCH_MATCH_RUNS"
    [ "$LEDGER_TOPUP_APPS" = 0 ] ||
        say '  topped up with %s holds charged and released (4 entries each) in %s s\n' \
            "$(commas "$LEDGER_TOPUP_APPS")" "$LEDGER_TOPUP_S"
    say '  %s\n' "$LEDGER_LINE"
    say '  check ms (its own): %s / %s; wall ms (the whole process): %s / %s\n' "$best" "$median" "$wbest" "$wmedian"
    aim "ledger: check ms (best, wall)" "$wbest" "<= 2000" "$(at_most "$wbest" 2000)"
    case $LEDGER_LINE in
        "ledger ok:"*) ;;
        *) invalid+=("ledger: rounds ledger check did not pass: $LEDGER_LINE") ;;
    esac
}

# ---------------------------------------------------------------- match

# The placement match offline (`rounds match`) on an instance at the scale of the U.S.
# residency Match, written by bench/match_gen: BENCH_MATCH_STUDENTS students,
# BENCH_MATCH_OFFERINGS offerings, BENCH_MATCH_SEATS seats, about BENCH_MATCH_RANKS ranks
# each (mode "one"), then the same students in mode "rotation" (up to 3 placements in six
# blocks). Each run reads the file, matches, verifies and writes the result; the core (deferred
# acceptance alone) and file-to-file times come from the result's stats, the wall time from
# outside the process. BENCH_MATCH_RUNS runs each; the report gives the best and the median.
MATCH_KEYS=(one rotation)
declare -A MATCH_CORE MATCH_TOTAL MATCH_WALL MATCH_PROPOSALS MATCH_VERIFIED MATCH_SIZE MATCH_PLACED MATCH_OUT_SIZE

match_stat() { sed -n "s/.*\"$1\": \\([0-9.]*\\).*/\\1/p" "$2" | tail -1; }

# best_and_median "v1 v2 …" — "best median".
best_and_median() {
    tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ v[NR] = $1 } END { printf "%s %s", v[1], v[int((NR + 1) / 2)] }'
}

match_runs() {
    local key=$1 instance=$2 out="$tmp/match-$1.result.json" cores="" totals="" walls="" i t0 t1
    MATCH_SIZE[$key]=$(stat -c %s "$instance")
    for i in $(seq 1 "$BENCH_MATCH_RUNS"); do
        t0=$(date +%s%N)
        "$bin" match --quiet --in "$instance" --out "$out" || die "rounds match failed on the $key instance (exit $?)"
        t1=$(date +%s%N)
        cores+=" $(match_stat core_ms "$out")"
        totals+=" $(match_stat total_ms "$out")"
        walls+=" $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')"
    done
    MATCH_CORE[$key]=$(best_and_median "$cores")
    MATCH_TOTAL[$key]=$(best_and_median "$totals")
    MATCH_WALL[$key]=$(best_and_median "$walls")
    MATCH_PROPOSALS[$key]=$(match_stat proposals "$out")
    MATCH_PLACED[$key]="$(match_stat placements "$out") placements, $(grep -o '"unplaced": \[[^]]*\]' "$out" | grep -o '"[^"]*"' | grep -vc unplaced) unplaced"
    MATCH_OUT_SIZE[$key]=$(stat -c %s "$out")
    if grep -q '"status": "ok"' "$out" && grep -q '"blocking_pairs": \[\]' "$out"; then
        MATCH_VERIFIED[$key]="ok (capacities, eligibility, overlaps, placements; 0 blocking pairs)"
    else
        MATCH_VERIFIED[$key]="FAILED"
        invalid+=("match ($key): the verification failed")
    fi
}

part_match() {
    local gen
    gen="$(dirname "$bin")/bench/match_gen"
    [ -x "$gen" ] || die "$gen is missing (make bench builds it)"
    echo "bench: match part ($BENCH_MATCH_RUNS runs per mode)" >&2
    "$gen" --students "$BENCH_MATCH_STUDENTS" --offerings "$BENCH_MATCH_OFFERINGS" --seats "$BENCH_MATCH_SEATS" \
        --ranks "$BENCH_MATCH_RANKS" >"$tmp/match-one.json" || die "match_gen failed"
    "$gen" --students "$BENCH_MATCH_STUDENTS" --offerings "$BENCH_MATCH_OFFERINGS" --seats "$BENCH_MATCH_SEATS" \
        --ranks "$BENCH_MATCH_RANKS" --mode rotation >"$tmp/match-rotation.json" || die "match_gen failed"
    "$bin" match --quiet --in "$tmp/match-one.json" --out /dev/null 2>/dev/null || true   # warm the page cache
    match_runs one "$tmp/match-one.json"
    match_runs rotation "$tmp/match-rotation.json"
}

report_match() {
    local key core total wall
    say '\n== match: rounds match --in FILE.json --out FILE.json (%s students, %s offerings, %s seats, %s ranks each)\n' \
        "$(commas "$BENCH_MATCH_STUDENTS")" "$(commas "$BENCH_MATCH_OFFERINGS")" "$(commas "$BENCH_MATCH_SEATS")" \
        "$BENCH_MATCH_RANKS"
    say '   best and median of %s runs; core = deferred acceptance alone; file to file = read, parse,\n' \
        "$BENCH_MATCH_RUNS"
    say '   lottery, match, verify, explain, write (from the result); wall = the whole process\n\n'
    say '%-10s %10s %14s %20s %16s %14s\n' mode 'in MiB' 'proposals' 'core ms' 'file to file ms' 'wall ms'
    for key in "${MATCH_KEYS[@]}"; do
        say '%-10s %10.1f %14s %9s / %-8s %7s / %-7s %6s / %-6s\n' "$key" \
            "$(awk -v b="${MATCH_SIZE[$key]}" 'BEGIN { print b / 1048576 }')" "$(commas "${MATCH_PROPOSALS[$key]}")" \
            ${MATCH_CORE[$key]} ${MATCH_TOTAL[$key]} ${MATCH_WALL[$key]}
        say '           %s; result %.1f MiB; verification: %s\n' "${MATCH_PLACED[$key]}" \
            "$(awk -v b="${MATCH_OUT_SIZE[$key]}" 'BEGIN { print b / 1048576 }')" "${MATCH_VERIFIED[$key]}"
    done
    read -r core _ <<<"${MATCH_CORE[one]}"
    read -r total _ <<<"${MATCH_TOTAL[one]}"
    read -r wall _ <<<"${MATCH_WALL[one]}"
    aim "match: core ms (best)" "$core" "<= 15" "$(at_most "$core" 15)"
    aim "match: file to file ms (best)" "$total" "<= 150" "$(at_most "$total" 150)"
    aim "match: verification" "${MATCH_VERIFIED[one]%% *}" "ok" "$([ "${MATCH_VERIFIED[one]}" != FAILED ] && echo yes || echo no)"
    say '\n'
}

# ---------------------------------------------------------------- part: certificates

# The demo's completed rotation and its certificate (`rounds seed --demo` into a database of its
# own, signed with the key of the data folder the servers use): its PDF drawn from the signed facts with its QR code at each
# request (certificates/s), and the public /verify/{number} page against nginx serving its bytes.
part_certificates() {
    local number reply token type_verify
    mkdir -p "$tmp/data"
    # A database of its own: the demo's completed rotation needs the demo catalog,
    # which `seed --demo` leaves out when the other parts' offerings are there.
    if [ "$db_kind" = postgres ]; then
        ROUNDS_DB=$("$here/pg_tmp.sh" createdb "$pg_dir" certificates 2>>"$tmp/setup.log") ||
            { show_log "$tmp/setup.log"; die "could not create the certificates database"; }
    else
        ROUNDS_DB="$tmp/certificates.db"
    fi
    export ROUNDS_DB
    "$bin" seed --demo >"$tmp/seed-demo.out" 2>>"$tmp/setup.log" ||
        { show_log "$tmp/setup.log"; die "rounds seed --demo failed"; }
    number=$(sed -n 's/.*certificate \(RC-[0-9A-Z-]*\):.*/\1/p' "$tmp/seed-demo.out" | head -n 1)
    [ -n "$number" ] || die "rounds seed --demo issued no certificate: $(head -c 300 "$tmp/seed-demo.out")"
    start_rounds certificates
    reply=$(curl -sS -f -X POST -H 'Content-Type: application/json' \
        --data '{"email":"student@rounds.test","password":"rounds-demo-2026"}' \
        "http://$rounds_addr/api/v1/auth/login") || die "the demo student's login failed"
    token=$(printf '%s' "$reply" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
    fetch "http://$rounds_addr/api/v1/certificates/$number/pdf" "$tmp/cert.pdf" \
        -H "Authorization: Bearer $token" >/dev/null
    head -c 4 "$tmp/cert.pdf" | grep -q '%PDF' || die "the certificate is not a PDF"
    type_verify=$(fetch "http://$rounds_addr/verify/$number" "$tmp/verify.body")
    grep -q 'Genuine' "$tmp/verify.body" || die "/verify/$number does not say Genuine"
    nginx_static verify.html <"$tmp/verify.body"
    same_reply verify.html "$tmp/verify.body" "$type_verify"

    bench_target certificates "rounds certificate PDF" "http://$rounds_addr/api/v1/certificates/$number/pdf" \
        -H "Authorization: Bearer $token"
    bench_target certificates "rounds /verify/{number}" "http://$rounds_addr/verify/$number"
    bench_target certificates "nginx verify.html" "$(nginx_url verify.html)"
    bench_ratio certificates "verify / nginx" "rounds /verify/{number}" "nginx verify.html" 0.5

    echo "bench: certificates part ($(( BENCH_ROUNDS * 3 )) runs of ${BENCH_SECONDS} s)" >&2
    run_part certificates
    stop_rounds
}

report_certificates() {
    local pdfs
    say '\n== certificates: PDFs drawn from the signed facts (with the QR code); /verify/{number} vs nginx\n\n'
    report_targets certificates
    pdfs=$(figure "$(index_of "rounds certificate PDF")" 1)
    aim "certificates: PDFs/s" "$(printf '%.0f' "$pdfs")" ">= 200" "$(at_least "$pdfs" 200)"
    say '\n'
    report_memory certificates "certificates server"
}

# ---------------------------------------------------------------- main

report() {
    local n what="median of $BENCH_ROUNDS runs"
    [ "$BENCH_ROUNDS" != 1 ] || what="1 run"
    report_file="$tmp/report"
    : >"$report_file"
    say 'Rounds benchmark: %s, %s CPUs, load average before %s\n' "$db_kind" "$(nproc)" "$LOAD_BEFORE"
    say 'wrk -t%s -c%s -d%ss --timeout 30s --latency, %s per target, %s s warm-up\n' \
        "$BENCH_THREADS" "$BENCH_CONNECTIONS" "$BENCH_SECONDS" "$what" "$BENCH_WARMUP"
    ! wants accounts || report_accounts
    ! wants documents || report_documents
    ! wants catalog || report_catalog
    ! wants holds || report_holds
    ! wants payments || report_payments
    ! wants match || report_match
    ! wants rotation || report_rotation
    ! wants messages || report_messages
    ! wants certificates || report_certificates
    say '\n== aims (reported, not enforced)\n\n'
    say '%-34s %12s %14s  %s\n' aim measured target met
    for n in "${!A_LABEL[@]}"; do
        say '%-34s %12s %14s  %s\n' "${A_LABEL[$n]}" "${A_VALUE[$n]}" "${A_AIM[$n]}" "${A_MET[$n]}"
    done
    echo
    cat "$report_file"
    if [ ${#invalid[@]} -gt 0 ]; then
        for n in "${invalid[@]}"; do echo "bench: $n" >&2; done
        die "the figures above are not valid"
    fi
}

main() {
    if [ $# -lt 1 ] || [ $# -gt 2 ]; then die "usage: $0 BINARY [sqlite|postgres]"; fi
    bin=$1
    case ${2:-sqlite} in
        sqlite | "") db_kind=sqlite ;;
        postgres | pg) db_kind=postgres ;;
        *) die "unknown database '$2' (sqlite or postgres)" ;;
    esac
    [ -x "$bin" ] || die "$bin is not an executable (make first)"
    [[ $bin == /* ]] || bin="$PWD/$bin"
    local servers=no p
    for p in $BENCH_PARTS; do [ "$p" = match ] || servers=yes; done
    if [ "$servers" = yes ]; then
        command -v wrk >/dev/null || die "wrk not found (scripts/bootstrap.sh bench)"
        command -v curl >/dev/null || die "curl not found"
    fi
    for v in BENCH_SECONDS BENCH_ROUNDS BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP BENCH_OFFERINGS BENCH_HOLDS \
        BENCH_PAYMENTS BENCH_LEDGER_ENTRIES BENCH_MATCH_RUNS BENCH_MATCH_STUDENTS BENCH_MATCH_OFFERINGS BENCH_MATCH_SEATS BENCH_MATCH_RANKS; do
        [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number"
    done
    [ "$BENCH_SECONDS" -ge 1 ] || die "BENCH_SECONDS must be ≥ 1"
    [ "$BENCH_ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be ≥ 1"
    [ "$BENCH_OFFERINGS" -ge 1 ] || die "BENCH_OFFERINGS must be ≥ 1"
    [ "$BENCH_HOLDS" -ge 1 ] || die "BENCH_HOLDS must be ≥ 1"
    [ "$BENCH_PAYMENTS" -ge 1 ] || die "BENCH_PAYMENTS must be ≥ 1"
    [ "$BENCH_MATCH_RUNS" -ge 1 ] || die "BENCH_MATCH_RUNS must be ≥ 1"
    [ "$BENCH_COACH_STUDENTS" -ge 1 ] || die "BENCH_COACH_STUDENTS must be ≥ 1"
    for p in $BENCH_PARTS; do
        case $p in accounts | documents | catalog | holds | payments | match | rotation | messages | certificates) ;;
            *) die "unknown part '$p' in BENCH_PARTS" ;;
        esac
    done

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/rounds-bench.XXXXXX")
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

    if [ "$servers" = yes ]; then
        setup_db
        start_nginx
    fi
    ! wants accounts || part_accounts
    ! wants documents || part_documents
    if wants catalog || wants holds || wants payments || wants rotation || wants messages; then seed_offerings; fi
    ! wants catalog || part_catalog
    ! wants holds || part_holds
    ! wants payments || part_payments
    ! wants match || part_match
    ! wants rotation || part_rotation
    ! wants messages || part_messages
    ! wants certificates || part_certificates # last: the demo data it seeds stays out of the other parts
    report
}

main "$@"
