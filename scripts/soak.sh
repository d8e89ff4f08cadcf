#!/usr/bin/env bash
# soak.sh — `make soak`: a long mixed load at 70 % of the measured maximum rate,
# to show that the server's memory and file descriptors stay flat.
#
#   scripts/soak.sh BINARY            (SOAK_MINUTES=30 by default)
#
# Seeds the demo into a fresh SQLite database in a temp folder, serves it, signs
# the demo student in, applies once (a second application to that block is the
# refusal path of the mix), finds the student's completed rotation (the thread
# the messages go to), then:
#   1. measures the maximum rate of the mix for SOAK_PROBE_SECONDS (10) with wrk;
#   2. runs the mix (bench/soak.lua: searches, pages, an offering, applications,
#      messages, 20 KiB uploads, each deleted again) for SOAK_MINUTES one-minute rounds at 70 % of
#      that rate (each connection waits between its requests; the pause is
#      corrected after each minute by the latency measured), printing per
#      minute: the rate, p99, 5xx replies, socket errors, the server's RSS, its
#      private memory (RssAnon) and its open descriptors;
#   3. fails when any 5xx or socket error happened, or when from the end of the
#      first minute to the end of the last the private memory grew by more than
#      SOAK_MEMORY_GROWTH_PERCENT (10) % plus 8 MiB, or the descriptors by more
#      than SOAK_FD_GROWTH (8).
# RssAnon is judged rather than VmRSS because the latter also counts the pages
# of the database file SQLite maps, which grow with the data and are not a leak.
# The report goes to stdout and to build/soak-report.txt.
set -u -o pipefail

[ $# -ge 1 ] || { echo "usage: $0 BINARY" >&2; exit 2; }
BIN=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
MINUTES=${SOAK_MINUTES:-30}
PROBE=${SOAK_PROBE_SECONDS:-10}
CONNECTIONS=${SOAK_CONNECTIONS:-16}
MEM_PERCENT=${SOAK_MEMORY_GROWTH_PERCENT:-10}
FD_GROWTH=${SOAK_FD_GROWTH:-8}
REPORT=$ROOT/build/soak-report.txt

die() { echo "soak: $*" >&2; exit 1; }
command -v wrk >/dev/null || die "wrk is missing (scripts/bootstrap.sh bench installs it)"
command -v sqlite3 >/dev/null || die "sqlite3 is missing"

T=$(mktemp -d "${TMPDIR:-/tmp}/rounds-soak.XXXXXX")
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
export ROUNDS_DB=$T/rounds.db ROUNDS_DATA_DIR=$T/data
mkdir -p "$(dirname "$REPORT")"
: >"$REPORT"
say() { printf "$@" | tee -a "$REPORT"; }

"$BIN" seed --demo >"$T/seed.out" 2>"$T/seed.err" || { cat "$T/seed.err" >&2; die "rounds seed --demo failed"; }
student=$(grep -i -m 1 'student' "$T/seed.out" | grep -o '[A-Za-z0-9._%+-]*@[A-Za-z0-9.-]*' | head -n 1)
password=$(sed -n 's/.*password for all: \([^)]*\)).*/\1/p' "$T/seed.out" | head -n 1)
[ -n "$student" ] && [ -n "$password" ] || { cat "$T/seed.out" >&2; die "no demo student in the seed output"; }

"$BIN" serve --listen 127.0.0.1:0 --ready-file "$T/ready" --log-level warn --upload-quota 1099511627776 \
    --messages-per-minute 1000000 --register-limit-client 1000000 </dev/null >"$T/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    [ -s "$T/ready" ] && grep -q ':[0-9][0-9]*$' "$T/ready" && break
    kill -0 "$pid" 2>/dev/null || { tail -20 "$T/server.log" >&2; die "the server exited at startup"; }
    sleep 0.1
done
addr=$(head -n 1 "$T/ready")
url=http://$addr

json_field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p" | head -n 1; }
token=$(curl -sf "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$student\",\"password\":\"$password\"}" | json_field token)
[ -n "$token" ] || die "the demo student ($student) could not sign in"
# An open block of an offering the student has not applied to, far enough ahead.
read -r offering block < <(sqlite3 -separator ' ' "$ROUNDS_DB" \
    "SELECT b.offering_id, b.id FROM blocks b WHERE b.seats_taken < b.seats
       AND b.start_date > date('now', '+60 days')
       AND b.offering_id NOT IN (SELECT bb.offering_id FROM applications a JOIN blocks bb ON bb.id = a.block_id)
     ORDER BY b.start_date LIMIT 1;")
[ -n "${block:-}" ] || die "no open block in the demo catalog"
application=$(curl -sf "$url/api/v1/applications" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"block_id\":\"$block\",\"statement\":\"Cardiology is my calling.\"}" | json_field id)
[ -n "$application" ] || die "the demo student could not apply to $block"
{ printf '%%PDF-1.7\n%%rounds soak\n'; head -c 20000 /dev/zero | tr '\0' 'x'; printf '\n%%%%EOF\n'; } >"$T/soak.pdf"

# The messages go to a thread that is open (an application with an offer or
# later): the demo student's completed rotation.
thread=$(sqlite3 "$ROUNDS_DB" "SELECT a.id FROM applications a JOIN users u ON u.id = a.student_id
    WHERE lower(u.email) = lower('$student') AND a.status IN ('offered', 'held', 'booked', 'cleared', 'in_progress',
    'completed') ORDER BY a.id LIMIT 1;")
[ -n "$thread" ] || die "the demo student ($student) has no application with an open message thread"

soak_args=("$token" "$offering" "$block" "$thread" "$T/soak.pdf")
wrk_line() { grep '^SOAK ' | tail -n 1; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
mem_kib() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$pid/status"; }
fds() { ls "/proc/$pid/fd" 2>/dev/null | wc -l; }

say 'soak: %s, SQLite, demo catalog, %d connections, %d minute(s)\n' "$(basename "$BIN")" "$CONNECTIONS" "$MINUTES"
probe=$(wrk -t 2 -c "$CONNECTIONS" -d "${PROBE}s" -s "$ROOT/bench/soak.lua" "$url" -- "${soak_args[@]}" 0 | wrk_line)
max_rps=$(echo "$probe" | field rps)
[ -n "$max_rps" ] || die "the probe run printed no rate"
target=$(awk -v m="$max_rps" 'BEGIN { printf "%.0f", m * 0.7 }')
# Each connection: one request, then the delay: rate ≈ connections × 1000 / (delay + latency).
delay=$(awk -v c="$CONNECTIONS" -v t="$target" 'BEGIN { d = c * 1000 / t; printf "%d", (d < 1 ? 1 : d) }')
say 'maximum rate: %s requests/s (%s s probe); soak target 70 %%: %s requests/s (a %s ms pause per request and connection)\n' \
    "$max_rps" "$PROBE" "$target" "$delay"
say '%-6s %9s %9s %8s %8s %9s %9s %5s\n' minute rps p99_ms 5xx sockerr rss_mib anon_mib fds

failed=0
first_anon= first_fds= last_anon= last_fds=
for minute in $(seq 1 "$MINUTES"); do
    line=$(wrk -t 2 -c "$CONNECTIONS" -d 60s --timeout 10s -s "$ROOT/bench/soak.lua" "$url" -- "${soak_args[@]}" "$delay" | wrk_line)
    kill -0 "$pid" 2>/dev/null || { tail -20 "$T/server.log" >&2; die "the server died in minute $minute"; }
    rss=$(mem_kib VmRSS) anon=$(mem_kib RssAnon) nfd=$(fds)
    errors=$(echo "$line" | field server_errors) sockerr=$(echo "$line" | field socket_errors)
    say '%-6s %9s %9s %8s %8s %9.1f %9.1f %5s\n' "$minute" "$(echo "$line" | field rps)" "$(echo "$line" | field p99_ms)" \
        "${errors:-?}" "${sockerr:-?}" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
        "$(awk -v k="$anon" 'BEGIN { print k / 1024 }')" "$nfd"
    [ "${errors:-1}" = 0 ] && [ "${sockerr:-1}" = 0 ] || failed=1
    # Hold the target: the pause leaves out the replies' own latency, measured here.
    delay=$(awk -v c="$CONNECTIONS" -v t="$target" -v d="$delay" -v r="$(echo "$line" | field rps)" \
        'BEGIN { if (r + 0 <= 0) { print d; exit } l = c * 1000 / r - d; n = c * 1000 / t - l; printf "%d", (n < 1 ? 1 : n) }')
    [ -n "$first_anon" ] || { first_anon=$anon; first_fds=$nfd; }
    last_anon=$anon last_fds=$nfd
done

anon_limit=$(awk -v a="$first_anon" -v p="$MEM_PERCENT" 'BEGIN { printf "%d", a * (1 + p / 100) + 8192 }')
flat_mem=yes flat_fds=yes
[ "$last_anon" -le "$anon_limit" ] || flat_mem=no
[ "$last_fds" -le $((first_fds + FD_GROWTH)) ] || flat_fds=no
say 'private memory: %.1f MiB after minute 1, %.1f MiB at the end (limit %.1f MiB): flat=%s\n' \
    "$(awk -v k="$first_anon" 'BEGIN { print k / 1024 }')" "$(awk -v k="$last_anon" 'BEGIN { print k / 1024 }')" \
    "$(awk -v k="$anon_limit" 'BEGIN { print k / 1024 }')" "$flat_mem"
say 'descriptors: %s after minute 1, %s at the end (limit +%s): flat=%s\n' "$first_fds" "$last_fds" "$FD_GROWTH" "$flat_fds"
[ "$flat_mem" = yes ] && [ "$flat_fds" = yes ] || failed=1
if [ "$failed" = 0 ]; then say 'soak: passed\n'; else say 'soak: FAILED\n'; fi
exit "$failed"
