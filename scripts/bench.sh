#!/usr/bin/env bash
# bench.sh — wrk against rounds and against nginx serving the same bytes as static
# files; prints req/s, p50/p99 latency, the rounds/nginx ratios and rounds' peak RSS.
#
#   scripts/bench.sh BINARY          (`make bench` passes build/rounds)
#
# Environment:
#   BENCH_SECONDS=10      length of each measured wrk run
#   BENCH_ROUNDS=1        measured runs per target; >1 reports the medians
#   BENCH_WARMUP=2        seconds of warm-up per target before its first run (0: none)
#   BENCH_THREADS=2       wrk threads
#   BENCH_CONNECTIONS=16  wrk connections
#
# Everything lives in a temp dir (SQLite database, data dir, nginx prefix, logs)
# that is removed on exit; both servers are stopped on exit, failure or signal.
# Client and servers share the CPUs, so figures are noisy: the targets run in
# alternation (rounds, nginx, rounds, nginx, …) and BENCH_ROUNDS=5 smooths them.
# Aims (reported, not enforced): healthz / nginx ≥ 1.0, me / nginx ≥ 0.6.
#
# To add a target: fetch its reply body from rounds, write it with
# `nginx_static NAME.ext BYTES` (or bytes on stdin), then register both sides
# with `bench_target` and the ratio with `bench_ratio` in main() below.
#
# Exit: 0 when it ran; 1 on a setup failure or when a target answered non-2xx.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
template="$here/../bench/nginx.conf.in"

BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_ROUNDS=${BENCH_ROUNDS:-1}
BENCH_WARMUP=${BENCH_WARMUP:-2}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-16}

BENCH_EMAIL=bench@rounds.test
BENCH_PASSWORD=plum-orchard-harbor-71

die() { echo "bench: $*" >&2; exit 1; }

# ---------------------------------------------------------------- setup & teardown

tmp=""
rounds_pid=""
rounds_addr=""
nginx_pid=""
nginx_addr=""
wrk_pid=""

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
    stop_pid "$nginx_pid" TERM
    stop_pid "$rounds_pid" TERM
    [ -z "$tmp" ] || rm -rf -- "$tmp"
    exit "$rc"
}

# show_log FILE — the tail of a server log, to explain a failure.
show_log() {
    [ -s "$1" ] || return 0
    echo "bench: --- tail of $(basename "$1") ---" >&2
    tail -n 20 "$1" >&2
}

port_in_use() {
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    return 1
}

free_port() {
    local p
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
    for _ in $(seq 1 200); do
        if ! port_in_use "$p"; then echo "$p"; return 0; fi
        p=$(( p + 1 )); [ "$p" -lt 60000 ] || p=20000
    done
    die "no free TCP port found"
}

# start_rounds BINARY — migrate, add the bench user, serve on a free port.
start_rounds() {
    local bin=$1
    export ROUNDS_DB="$tmp/bench.db" ROUNDS_DATA_DIR="$tmp/data"
    "$bin" migrate >"$tmp/setup.log" 2>&1 || { show_log "$tmp/setup.log"; die "rounds migrate failed"; }
    printf '%s\n' "$BENCH_PASSWORD" |
        "$bin" user add --email "$BENCH_EMAIL" --name Bench --role student --password-stdin \
            >>"$tmp/setup.log" 2>&1 || { show_log "$tmp/setup.log"; die "rounds user add failed"; }

    "$bin" serve --listen 127.0.0.1:0 --ready-file "$tmp/ready" --log-level warn \
        </dev/null >"$tmp/rounds.log" 2>&1 &
    rounds_pid=$!
    for _ in $(seq 1 100); do
        if [ -s "$tmp/ready" ] && grep -q ':[0-9][0-9]*$' "$tmp/ready"; then
            rounds_addr=$(head -n 1 "$tmp/ready")
            return 0
        fi
        alive "$rounds_pid" || { show_log "$tmp/rounds.log"; die "rounds serve exited at startup"; }
        sleep 0.1
    done
    show_log "$tmp/rounds.log"
    die "rounds serve wrote no ready file within 10 s"
}

# login — POST /api/v1/auth/login, print the bearer token.
login() {
    local reply token
    reply=$(curl -sS -f -X POST -H 'Content-Type: application/json' \
        --data "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\"}" \
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
        port=$(free_port)
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

T_NAME=()   # row label
T_URL=()
T_ARGS=()   # extra wrk args, shell-quoted
R_LABEL=()  # ratio label
R_NUM=()    # ratio numerator / denominator: target names
R_DEN=()
R_AIM=()

# bench_target NAME URL [wrk args…] — a row of the table: URL measured with wrk.
bench_target() {
    local name=$1 url=$2
    shift 2
    T_NAME+=("$name")
    T_URL+=("$url")
    if [ $# -gt 0 ]; then T_ARGS+=("$(printf '%q ' "$@")"); else T_ARGS+=(""); fi
}

# bench_ratio LABEL NUMERATOR DENOMINATOR AIM — req/s of one target over another's.
bench_ratio() {
    index_of "$2" >/dev/null
    index_of "$3" >/dev/null
    R_LABEL+=("$1"); R_NUM+=("$2"); R_DEN+=("$3"); R_AIM+=("$4")
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

# run_wrk INDEX SECONDS — one wrk run of target INDEX; prints the parsed figures.
run_wrk() {
    local i=$1 secs=$2 out="$tmp/wrk.out"
    local -a args
    eval "args=(${T_ARGS[$i]})"
    # In the background, so that a signal reaches the trap at once (cleanup stops wrk).
    wrk -t "$BENCH_THREADS" -c "$BENCH_CONNECTIONS" -d "${secs}s" --latency \
        "${args[@]}" "${T_URL[$i]}" >"$out" 2>&1 &
    wrk_pid=$!
    if ! wait "$wrk_pid"; then
        wrk_pid=""
        cat "$out" >&2
        die "wrk failed on ${T_NAME[$i]}"
    fi
    wrk_pid=""
    wrk_parse <"$out" || { cat "$out" >&2; die "cannot parse the wrk output for ${T_NAME[$i]}"; }
}

# run_all — every target in turn, BENCH_ROUNDS times; one line per run in $tmp/runs/INDEX.
run_all() {
    local r i
    mkdir -p "$tmp/runs"
    for r in $(seq 1 "$BENCH_ROUNDS"); do
        for i in "${!T_NAME[@]}"; do
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

report() {
    local i n bad=0 errs=0 rps p50 p99 nb se num den ratio verdict hwm
    local what="median of $BENCH_ROUNDS runs"
    [ "$BENCH_ROUNDS" != 1 ] || what="1 run"
    printf 'wrk -t%s -c%s -d%ss --latency, %s per target, %s CPUs\n\n' \
        "$BENCH_THREADS" "$BENCH_CONNECTIONS" "$BENCH_SECONDS" "$what" "$(nproc)"
    printf '%-24s %12s %9s %9s %7s\n' target req/s 'p50 ms' 'p99 ms' errors
    for i in "${!T_NAME[@]}"; do
        rps=$(figure "$i" 1); p50=$(figure "$i" 2); p99=$(figure "$i" 3)
        nb=$(figure "$i" 4); se=$(figure "$i" 5)
        printf '%-24s %12.1f %9.3f %9.3f %7d\n' "${T_NAME[$i]}" "$rps" "$p50" "$p99" "$(( nb + se ))"
        bad=$(( bad + nb )); errs=$(( errs + se ))
    done
    echo
    printf '%-24s %12s %9s\n' ratio req/s aim
    for n in "${!R_LABEL[@]}"; do
        num=$(figure "$(index_of "${R_NUM[$n]}")" 1)
        den=$(figure "$(index_of "${R_DEN[$n]}")" 1)
        ratio=$(awk -v a="$num" -v b="$den" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
        verdict=$(awk -v r="$ratio" -v a="${R_AIM[$n]}" 'BEGIN { print ((r >= a) ? "met" : "below") }')
        printf '%-24s %12s %9s  %s\n' "${R_LABEL[$n]}" "$ratio" ">= ${R_AIM[$n]}" "$verdict"
    done
    echo
    hwm=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$rounds_pid/status" 2>/dev/null || true)
    printf 'rounds peak RSS (VmHWM): %s MiB\n' "${hwm:-?}"
    [ "$errs" = 0 ] || echo "bench: warning: $errs socket errors (connect/read/write/timeout) during the runs" >&2
    [ "$bad" = 0 ] || die "$bad non-2xx responses: the figures are not valid"
}

# ---------------------------------------------------------------- main

main() {
    [ $# -eq 1 ] || die "usage: $0 BINARY"
    local bin=$1 token type_health type_me
    [ -x "$bin" ] || die "$bin is not an executable (make first)"
    [[ $bin == /* ]] || bin="$PWD/$bin"
    command -v wrk >/dev/null || die "wrk not found (scripts/bootstrap.sh bench)"
    command -v curl >/dev/null || die "curl not found"
    for v in BENCH_SECONDS BENCH_ROUNDS BENCH_THREADS BENCH_CONNECTIONS BENCH_WARMUP; do
        [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number"
    done
    [ "$BENCH_SECONDS" -ge 1 ] || die "BENCH_SECONDS must be ≥ 1"
    [ "$BENCH_ROUNDS" -ge 1 ] || die "BENCH_ROUNDS must be ≥ 1"

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/rounds-bench.XXXXXX")

    start_rounds "$bin"
    token=$(login)

    # The bodies nginx serves: the exact bytes of the rounds replies.
    type_health=$(fetch "http://$rounds_addr/healthz" "$tmp/healthz.body")
    type_me=$(fetch "http://$rounds_addr/api/v1/me" "$tmp/me.body" -H "Authorization: Bearer $token")
    nginx_static healthz.json <"$tmp/healthz.body"
    nginx_static me.json <"$tmp/me.body"

    start_nginx
    same_reply healthz.json "$tmp/healthz.body" "$type_health"
    same_reply me.json "$tmp/me.body" "$type_me"

    # Rows run in this order, each round: keep rounds and nginx alternating.
    bench_target "rounds /healthz" "http://$rounds_addr/healthz"
    bench_target "nginx healthz.json" "$(nginx_url healthz.json)"
    bench_target "rounds /api/v1/me" "http://$rounds_addr/api/v1/me" -H "Authorization: Bearer $token"
    bench_target "nginx me.json" "$(nginx_url me.json)"
    bench_ratio "healthz / nginx" "rounds /healthz" "nginx healthz.json" 1.0
    bench_ratio "me / nginx" "rounds /api/v1/me" "nginx me.json" 0.6

    run_all
    alive "$rounds_pid" || { show_log "$tmp/rounds.log"; die "rounds died during the runs"; }
    report
}

main "$@"
