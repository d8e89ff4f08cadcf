#!/usr/bin/env bash
# two_instances.sh — two `rounds serve` instances on one PostgreSQL, nginx in front.
#
#   tests/multi/two_instances.sh ROUNDS_BINARY
#
# Starts a throwaway PostgreSQL (scripts/pg_tmp.sh), starts instances A and B on it at
# the same moment (both migrate at start, under the advisory lock), creates users,
# runs nginx with deploy/nginx/rounds.conf (only its "# TEST:" lines rewritten: ports,
# access log, the X-Upstream header switched on), and checks that nothing shared lives in
# one process: sessions, logout and login-failure counts cross instances, nginx spreads
# requests and fails over, an instance can be killed and restarted, and SIGTERM is
# graceful (exit 0, and at once: idle keep-alive connections from nginx must not hold an
# instance until its shutdown deadline). Searches each instance keeps (ETag, 304) show an
# edit and a seat change made through the other as soon as its index has them. Prints "ok   NAME" / "FAIL NAME" lines and "multi: N passed, N failed";
# on failure the last lines of each server log. Exit status non-zero on any failure.
#
# About the per-client login limit behind nginx: nginx SETS X-Forwarded-For to
# $remote_addr, so whatever a client writes in that header is dropped. From this machine
# every client is a loopback address, so the test connects to nginx from several of them
# (curl --interface 127.0.0.5, 127.0.0.6, …: all of 127/8 is local) and checks that the
# failures are counted against the address nginx saw — not the header the client sent,
# not nginx's own address — across both instances.
set -u -o pipefail

[ $# -eq 1 ] || { echo "usage: $0 ROUNDS_BINARY" >&2; exit 2; }
[ -x "$1" ] || { echo "multi: not executable: $1" >&2; exit 2; }
BIN=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
CONF=$ROOT/deploy/nginx/rounds.conf
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Argon2id at its least cost in the servers and CLI (sanitized builds: src/lib/crypto.c).
export ROUNDS_TEST_PASSWORD_COST=min

PASSWORD='lantern-orchard-basil-93'
ACCOUNT_LIMIT=4
CLIENT_LIMIT=5

# Named with our PID ("pgpid": it holds a cluster), so that a run killed outright (no trap
# runs) leaves a folder, and a cluster, that the next harness to start removes, after
# stopping the instances and nginx recorded in $T/pids; what they start carries $T in
# ROUNDS_TEST_RUNS (tests/harness/pids.sh).
"$ROOT/tests/tmp_sweep.sh" "${TMPDIR:-/tmp}" || true
T=$(mktemp -d "${TMPDIR:-/tmp}/rounds-pgpid$$-multi.XXXXXX")
# shellcheck source=tests/harness/pids.sh
. "$ROOT/tests/harness/pids.sh"
run_mark "$T"
chmod 711 "$T" # the PostgreSQL owner must reach $T/pg
mkdir -p "$T/data" "$T/nginx"
PG_DIR=$T/pg
URI=
NGINX_PID=
declare -A PID=() # instance name → pid
passed=0
failed=0

# ---- processes -----------------------------------------------------------------

# alive PID: running, not a zombie waiting to be reaped.
alive() {
    local state
    state=$(sed -E 's/^[0-9]+ \(.*\) (.) .*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

# stop_pid PID [SECONDS]: SIGTERM, wait, SIGKILL if still running; sets STOP_RC to its
# exit status and STOP_MS to how long it took. (Not in a $(…) subshell: only this shell
# can wait for its children.)
stop_pid() {
    local pid=$1 limit=$(( ${2:-15} * 20 )) i start=${EPOCHREALTIME//[.,]/}
    STOP_RC=0
    kill -TERM "$pid" 2>/dev/null
    for (( i = 0; i < limit; i++ )); do alive "$pid" || break; sleep 0.05; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || STOP_RC=$?
    STOP_MS=$(( (${EPOCHREALTIME//[.,]/} - start) / 1000 ))
}

LOGS=()
show_logs() {
    local f
    for f in "${LOGS[@]}" "$T/nginx/error.log" "$T/psql.log"; do
        [ -s "$f" ] || continue
        echo "---- last lines of ${f#"$T"/} ----"
        tail -n 12 "$f"
    done
}

cleanup() {
    local name
    [ -z "$NGINX_PID" ] || stop_pid "$NGINX_PID" 5
    for name in "${!PID[@]}"; do stop_pid "${PID[$name]}" 5; done
    "$ROOT/scripts/pg_tmp.sh" stop "$PG_DIR" >/dev/null 2>&1
    rm -rf -- "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

finish() {
    if [ "$failed" -ne 0 ]; then
        show_logs
        # Again after the logs, so that the failures are in the last lines shown.
        printf '%s\n' "${FAILS[@]}"
    fi
    echo "multi: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}

ok() { passed=$(( passed + 1 )); echo "ok   $1"; }
FAILS=()
fail() {
    failed=$(( failed + 1 ))
    echo "FAIL $1"
    FAILS+=("FAIL $1${2:+ ($2)}")
    shift
    [ $# -eq 0 ] || printf '     %s\n' "$@"
}
# check NAME COMMAND...: ok when COMMAND succeeds.
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else fail "$name" "${WHY:-}"; fi
    WHY=
}
WHY=
# expect WHAT WANT GOT: compares, and says what differed.
expect() {
    [ "$2" = "$3" ] && return 0
    WHY="$WHY${WHY:+; }$1: wanted $2, got $3"
    return 1
}

# shellcheck source=scripts/free_port.sh
. "$ROOT/scripts/free_port.sh"

# start_instance NAME LISTEN: runs `rounds serve` in the background (log $T/NAME.log).
start_instance() {
    local name=$1 listen=$2
    rm -f "$T/$name.ready"
    LOGS+=("$T/$name.log")
    # No second factor for staff: the search checks edit the catalog as staff.
    ROUNDS_TWO_FACTOR_ROLES=none ROUNDS_DB="$URI?application_name=rounds-$name" "$BIN" serve --listen "$listen" \
        --ready-file "$T/$name.ready" --data-dir "$T/data" --threads 2 --workers 2 --db-pool 3 \
        --trust-proxy 1 --login-limit-account "$ACCOUNT_LIMIT" --login-limit-client "$CLIENT_LIMIT" \
        --shutdown-deadline-ms 12000 </dev/null >>"$T/$name.log" 2>&1 &
    PID[$name]=$!
    pid_record "$T" "${PID[$name]}" rounds
}

# wait_ready NAME: waits for the ready file (60 s: sanitizer builds start slowly, and a
# database connect that times out on a loaded machine is tried again); prints host:port.
# An instance that fails exits, and is reported at once.
wait_ready() {
    local name=$1 i
    for (( i = 0; i < 600; i++ )); do
        if [ -s "$T/$name.ready" ]; then
            head -1 "$T/$name.ready"
            return 0
        fi
        alive "${PID[$name]}" || return 1
        sleep 0.1
    done
    return 1
}

# stop_instance NAME: SIGTERM; sets STOP_RC (SIGKILL after 20 s, past the 12 s deadline).
stop_instance() {
    stop_pid "${PID[$1]}" 20
    unset "PID[$1]"
}

# ---- HTTP -------------------------------------------------------------------------

# http METHOD URL [CURL ARGS...]: sets CODE, BODY (file $T/body) and HEADERS (file $T/headers).
http() {
    local method=$1 url=$2
    shift 2
    CODE=$(curl -s -X "$method" -o "$T/body" -D "$T/headers" -w '%{http_code}' --max-time 15 "$@" "$url")
    BODY=$(cat "$T/body" 2>/dev/null)
}
header() { sed -nE "s/^$1: *([^\r]*).*/\\1/Ip" "$T/headers" | tail -1; }

# login BASE EMAIL PASSWORD [CURL ARGS...]: sets CODE, BODY and TOKEN.
login() {
    local base=$1 email=$2 password=$3
    shift 3
    http POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
        --data-binary "{\"email\":\"$email\",\"password\":\"$password\"}" "$@"
    TOKEN=$(printf '%s' "$BODY" | sed -nE 's/.*"token":"([^"]+)".*/\1/p')
}
me() { http GET "$1/api/v1/me" -H "authorization: Bearer $2" "${@:3}"; }

psql_query() { "$PSQL" -XAtq -d "$URI" -c "$1" 2>>"$T/psql.log"; }

# ---- PostgreSQL, and both instances starting together on the empty database -----------

PSQL=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -n "$PSQL" ] || PSQL=$(command -v psql)
if ! URI=$("$ROOT/scripts/pg_tmp.sh" start "$PG_DIR" 2>"$T/pg-start.log"); then
    fail "PostgreSQL starts" "$(tail -5 "$T/pg-start.log")"
    finish
fi

start_instance a 127.0.0.1:0
start_instance b 127.0.0.1:0
ADDR_A=$(wait_ready a)
ADDR_B=$(wait_ready b)
if [ -z "$ADDR_A" ] || [ -z "$ADDR_B" ] || [ "$ADDR_A" = "$ADDR_B" ]; then
    fail "A and B start at the same time on an empty database" "A=${ADDR_A:-none} B=${ADDR_B:-none}"
    finish
fi
ok "A and B start at the same time on an empty database"
A=http://$ADDR_A
B=http://$ADDR_B
PORT_A=${ADDR_A##*:}

rows=$(psql_query "SELECT count(*) || ' ' || count(DISTINCT version) || ' ' || coalesce(max(version), 0) FROM schema_migrations")
applied=$(cat "$T/a.log" "$T/b.log" | grep -c 'msg="migration applied"')
read -r m_rows m_distinct m_max <<<"${rows:-0 0 0}"
check_migrations() {
    [ "$m_rows" -ge 1 ] 2>/dev/null || { WHY="schema_migrations: '$rows' $(tail -2 "$T/psql.log" 2>/dev/null)"; return 1; }
    expect "distinct versions" "$m_rows" "$m_distinct" && expect "highest version" "$m_rows" "$m_max" &&
        expect "'migration applied' lines in A's and B's logs" "$m_rows" "$applied"
}
check "each migration applied exactly once, by one of the two ($m_rows in schema_migrations)" check_migrations

# Each instance holds its request pool's connections (--db-pool 3), one for the catalog
# index following the change feed and one for the background jobs, named by the URI's
# application_name, and each of its event loops (--threads 2) a session reader, named
# after it with " (session reader)". (Polled briefly:
# the backend of each instance's closed migration connection may take a moment to leave
# pg_stat_activity.)
for (( i = 0; i < 20; i++ )); do
    conns=$(psql_query "SELECT string_agg(application_name || '=' || n, ' ' ORDER BY application_name) FROM
        (SELECT application_name, count(*) AS n FROM pg_stat_activity
          WHERE application_name LIKE 'rounds-%' GROUP BY 1) s")
    [ "$conns" = "rounds-a=5 rounds-a (session reader)=2 rounds-b=5 rounds-b (session reader)=2" ] && break
    sleep 0.1
done
check "database connections: the request pool's, the catalog index's, the background jobs' and the loops' session readers (application_name from the URI)" \
    expect "connections" "rounds-a=5 rounds-a (session reader)=2 rounds-b=5 rounds-b (session reader)=2" "$conns"

migrate_ok() {
    ROUNDS_DB=$URI "$BIN" migrate >"$T/migrate.log" 2>&1 || { WHY="exit $?: $(tail -2 "$T/migrate.log")"; return 1; }
    ! grep -q 'migration applied' "$T/migrate.log" || { WHY="it applied a migration again"; return 1; }
}
check "rounds migrate on the migrated database does nothing and exits 0" migrate_ok

add_user() {
    printf '%s\n' "$PASSWORD" | ROUNDS_DB=$URI "$BIN" user add --email "$1" --name "$2" \
        --role student --password-stdin >>"$T/cli.log" 2>&1
}
users_ok() {
    add_user one@multi.test "Ama Mensah" && add_user two@multi.test "Bola Adeyemi" &&
        add_user three@multi.test "Chidi Okeke"
}
if ! users_ok; then
    fail "rounds user add" "$(tail -5 "$T/cli.log")"
    finish
fi

# ---- sessions and login failures live in the database ------------------------------------

login "$A" one@multi.test "$PASSWORD"
TOKEN_1=$TOKEN
cross_login() {
    expect "login on A" 200 "$CODE" && [ -n "$TOKEN_1" ] || return 1
    me "$B" "$TOKEN_1"
    expect "GET /me on B" 200 "$CODE" && case $BODY in *'"name":"Ama Mensah"'*) ;; *) WHY="body: $BODY"; false ;; esac
}
check "a token from a login on A works on B" cross_login

cross_logout() {
    http POST "$B/api/v1/auth/logout" -H "authorization: Bearer $TOKEN_1"
    expect "logout on B" 204 "$CODE" || return 1
    me "$A" "$TOKEN_1"
    expect "GET /me on A right after" 401 "$CODE" || return 1
    me "$B" "$TOKEN_1"
    expect "GET /me on B" 401 "$CODE"
}
check "a logout on B ends the session on A at once" cross_logout

# Two wrong passwords on A and two on B: the account's limit (4) is reached across both.
# Each request names its client (trusted X-Forwarded-For from loopback) so that the 429
# can only come from the account limit: the last two come from a client with no failures.
cross_limit() {
    local base n=0
    for base in "$A" "$A" "$B" "$B"; do
        n=$(( n + 1 ))
        login "$base" two@multi.test "wrong-password-$n" -H 'x-forwarded-for: 192.0.2.10'
        expect "wrong password #$n" 401 "$CODE" || return 1
    done
    login "$A" two@multi.test "$PASSWORD" -H 'x-forwarded-for: 192.0.2.11'
    expect "right password on A" 429 "$CODE" || return 1
    login "$B" two@multi.test "$PASSWORD" -H 'x-forwarded-for: 192.0.2.11'
    expect "right password on B" 429 "$CODE"
}
check "login failures count across instances (2 on A + 2 on B, then 429 on both)" cross_limit

# ---- searches kept on B follow changes made through A --------------------------------------

# json EXPR: evaluates a Python expression over the last reply's body (j), prints it.
json() { /usr/bin/python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($1)" "$T/body" 2>/dev/null; }
SEARCH=/api/v1/offerings?limit=100
printf '%s\n' "$PASSWORD" | ROUNDS_DB=$URI "$BIN" user add --email staff@multi.test --name "Sade Bello" \
    --role staff --password-stdin >>"$T/cli.log" 2>&1
ROUNDS_DB=$URI "$BIN" seed --offerings 12 >>"$T/cli.log" 2>&1
login "$A" staff@multi.test "$PASSWORD"
STAFF=$TOKEN
FRESH=0
# fresh_search_on_b_shows EXPR: polls (5 s) B with searches it never answered before until
# EXPR holds of one; then B's kept $SEARCH must show it too.
fresh_search_on_b_shows() {
    local i
    for (( i = 0; i < 100; i++ )); do
        FRESH=$(( FRESH + 1 ))
        http GET "$B$SEARCH&max_tuition=$(( 9000000 + FRESH ))"
        [ "$CODE" = 200 ] && [ "$(json "$1")" = True ] && break
        sleep 0.05
    done
    [ "$(json "$1")" = True ] || { WHY="B's index never showed it"; return 1; }
    http GET "$B$SEARCH"
    expect "B's kept search" True "$(json "$1")"
}
kept_search() {
    fresh_search_on_b_shows "j['total'] > 0" || return 1
    OFF=$(json "j['items'][0]['id']")
    http GET "$B$SEARCH"
    local etag
    etag=$(header etag)
    [ -n "$etag" ] || { WHY="no ETag"; return 1; }
    http GET "$B$SEARCH" -H "if-none-match: $etag"
    expect "If-None-Match on B" 304 "$CODE" || return 1
    local i # A answers the same bytes once its index has what B's has
    for (( i = 0; i < 100; i++ )); do
        http GET "$A$SEARCH" -H "if-none-match: $etag"
        [ "$CODE" = 304 ] && break
        sleep 0.05
    done
    expect "If-None-Match on A" 304 "$CODE"
}
check "searches are kept with an ETag, the same on both instances (304)" kept_search
search_edit() {
    http PATCH "$A/api/v1/offerings/$OFF" -H "authorization: Bearer $STAFF" -H 'content-type: application/json' \
        --data-binary '{"title":"Kept Search Retitled"}'
    expect "PATCH through A" 200 "$CODE" || return 1
    fresh_search_on_b_shows "any(i['title'] == 'Kept Search Retitled' for i in j['items'])"
}
check "an offering edited through A shows in B's kept search once B's index has it" search_edit
search_seats() {
    http GET "$B$SEARCH"
    local start left block seats
    start=$(json "[i for i in j['items'] if i['id'] == '$OFF'][0]['next_block']['start']")
    left=$(json "[i for i in j['items'] if i['id'] == '$OFF'][0]['seats_left']")
    http GET "$A/api/v1/offerings/$OFF"
    block=$(json "[b for b in j['blocks'] if b['start'] == '$start'][0]['id']")
    seats=$(json "[b for b in j['blocks'] if b['start'] == '$start'][0]['seats']")
    [ -n "$block" ] && [ -n "$left" ] || { WHY="no block starting $start"; return 1; }
    http PATCH "$A/api/v1/blocks/$block" -H "authorization: Bearer $STAFF" -H 'content-type: application/json' \
        --data-binary "{\"seats\":$(( seats + 1 ))}"
    expect "PATCH of the block's seats through A" 200 "$CODE" || return 1
    fresh_search_on_b_shows "[i for i in j['items'] if i['id'] == '$OFF'][0]['seats_left'] == $(( left + 1 ))"
}
check "a seat added through A shows in B's kept search once B's index has it" search_seats

# ---- nginx with deploy/nginx/rounds.conf --------------------------------------------------

# render PORT: deploy/nginx/rounds.conf with its "# TEST:" lines rewritten, and a main
# config around it (what /etc/nginx/nginx.conf gives it in production).
render() {
    local port=$1
    sed -e "/# TEST:instance-a\$/ s|127\\.0\\.0\\.1:8081|$ADDR_A|" \
        -e "/# TEST:instance-b\$/ s|127\\.0\\.0\\.1:8082|$ADDR_B|" \
        -e "/# TEST:listen\$/ s|listen 80;|listen 127.0.0.1:$port;|" \
        -e "/# TEST:access_log\$/ s|/var/log/nginx/rounds\\.access\\.log|$T/nginx/access.log|" \
        -e "/# TEST:x-upstream\$/ s|# add_header|add_header|" "$CONF" >"$T/nginx/rounds.conf"
    cat >"$T/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 2;
user $(id -un) $(id -gn);
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log warn;
events { worker_connections 512; }
http {
    client_body_temp_path $T/nginx/client_body;
    proxy_temp_path $T/nginx/proxy;
    fastcgi_temp_path $T/nginx/fastcgi;
    uwsgi_temp_path $T/nginx/uwsgi;
    scgi_temp_path $T/nginx/scgi;
    include $T/nginx/rounds.conf;
}
EOF
    # Every tagged line was rewritten, and nothing else.
    local tag
    for tag in instance-a instance-b listen access_log x-upstream; do
        [ "$(grep -c "# TEST:$tag\$" "$CONF")" = 1 ] || { WHY="'# TEST:$tag' is not on exactly one line"; return 1; }
    done
    grep -q "server $ADDR_A " "$T/nginx/rounds.conf" && grep -q "server $ADDR_B " "$T/nginx/rounds.conf" &&
        grep -q "listen 127.0.0.1:$port;" "$T/nginx/rounds.conf" &&
        grep -q "^ *add_header X-Upstream" "$T/nginx/rounds.conf" &&
        ! grep -q '/var/log/nginx' "$T/nginx/rounds.conf" || { WHY="the rewrite missed a line"; return 1; }
    [ "$(diff "$CONF" "$T/nginx/rounds.conf" | grep -c '^>')" = 5 ] || { WHY="more than 5 lines differ"; return 1; }
}

start_nginx() {
    local try i
    command -v nginx >/dev/null || { WHY="nginx not installed"; return 1; }
    for try in 1 2 3; do
        NGINX_PORT=$(free_port) || return 1
        render "$NGINX_PORT" || return 1
        nginx -t -q -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" >>"$T/nginx/error.log" 2>&1 ||
            { WHY="nginx -t: $(tail -3 "$T/nginx/error.log")"; return 1; }
        # Leading a process group of its own (setsid, which does not fork here: a background
        # job of a script leads none), so that its workers can be stopped with it.
        setsid nginx -p "$T/nginx/" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" </dev/null >>"$T/nginx/error.log" 2>&1 &
        NGINX_PID=$!
        pid_record "$T" "$NGINX_PID" nginx group
        for (( i = 0; i < 100; i++ )); do
            alive "$NGINX_PID" || break
            port_in_use "$NGINX_PORT" && return 0
            sleep 0.1
        done
        stop_pid "$NGINX_PID" 2
        NGINX_PID=
        grep -qi 'address already in use' "$T/nginx/error.log" || break
    done
    WHY="nginx did not start: $(tail -3 "$T/nginx/error.log")"
    return 1
}
if ! start_nginx; then
    fail "nginx starts with deploy/nginx/rounds.conf" "$WHY"
    finish
fi
ok "nginx starts with deploy/nginx/rounds.conf"
N=http://127.0.0.1:$NGINX_PORT

# upstreams_of COUNT METHOD PATH [CURL ARGS]: COUNT requests through nginx; sets SEEN
# (the distinct X-Upstream values) and BAD (replies that were not 2xx).
upstreams_of() {
    local count=$1 method=$2 path=$3 i
    shift 3
    SEEN=
    BAD=
    for (( i = 0; i < count; i++ )); do
        http "$method" "$N$path" "$@"
        case $CODE in 2??) ;; *) BAD="$BAD $CODE" ;; esac
        seen_add
    done
}
# seen_add: adds the instance that answered the last reply (the last X-Upstream entry:
# "A, B" means A failed and B answered) to SEEN.
seen_add() {
    local up
    up=$(header x-upstream)
    up=${up##*, }
    case " $SEEN " in *" $up "*) ;; *) SEEN="${SEEN:+$SEEN }$up" ;; esac
}
saw_both() {
    upstreams_of 6 GET /healthz
    expect "failed replies" "" "$BAD" || return 1
    case " $SEEN " in *" $ADDR_A "*) ;; *) WHY="A never answered"; false ;; esac &&
        case " $SEEN " in *" $ADDR_B "*) ;; *) WHY="B never answered"; false ;; esac ||
        { WHY="$WHY: X-Upstream values '$SEEN' (A=$ADDR_A B=$ADDR_B)"; return 1; }
}
check "requests through nginx go to both instances" saw_both

# A same-site Origin (the nginx address, port included) must pass rounds' Origin check:
# this is what `proxy_set_header Host $http_host` is for.
login "$N" one@multi.test "$PASSWORD" -H "origin: $N"
TOKEN_N=$TOKEN
nginx_login() {
    expect "login through nginx" 200 "$CODE" && [ -n "$TOKEN_N" ] || return 1
    upstreams_of 4 GET /api/v1/me -H "authorization: Bearer $TOKEN_N"
    expect "failed /me replies" "" "$BAD" || return 1
    case $BODY in *'"name":"Ama Mensah"'*) ;; *) WHY="body: $BODY"; return 1 ;; esac
    case "$SEEN" in *" "*) ;; *) WHY="/me answered only by $SEEN"; return 1 ;; esac
}
check "a login through nginx (same-site Origin) and /me through nginx on both instances" nginx_login

cross_site() {
    login "$N" one@multi.test "$PASSWORD" -H 'origin: https://evil.example'
    expect "login with a foreign Origin" 403 "$CODE"
}
check "a cross-site Origin is still refused through nginx" cross_site

too_big() {
    head -c 1048577 /dev/zero | tr '\0' 'x' >"$T/big"
    http POST "$N/api/v1/auth/login" -H 'content-type: application/json' --data-binary "@$T/big"
    expect "a body of 1 MiB + 1 byte" 413 "$CODE" && expect "upstream" "" "$(header x-upstream)"
}
check "nginx refuses bodies over rounds' 1 MiB cap itself" too_big

# Every route whose own cap is over 1 MiB (uploads, the school's invitation CSV, a signed
# agreement) is in the config's 11m block: a body of 1 MiB + 1 KiB, under each one's cap,
# reaches rounds (which answers as it does without nginx: 401, 403, 415, …), not nginx's 413.
big_routes() {
    local path up
    head -c $(( 1048576 + 1024 )) /dev/zero | tr '\0' 'x' >"$T/big"
    for path in /api/v1/documents /wallet /wallet/d1/replace /api/v1/letters/l1/upload /letters/l1/upload \
        /invitations/letters/t1/upload /api/v1/agreements/a1/activate /agreements/a1/activate \
        /api/v1/schools/s1/invitations /school/invitations; do
        http POST "$N$path" -H 'content-type: application/octet-stream' --data-binary "@$T/big"
        up=$(header x-upstream)
        [ -n "$up" ] && [ "$CODE" != 413 ] || { WHY="POST $path: $CODE from ${up:-nginx}"; return 1; }
    done
}
check "bodies over 1 MiB reach rounds on every route that takes them" big_routes

# Uploaded files live in the shared data folder, sealed with the one key the first
# instance created: a document uploaded through nginx (to either instance, 2 MiB: over
# the 1 MiB default, under the upload cap) reads back byte for byte from A and from B.
shared_files() {
    login "$N" three@multi.test "$PASSWORD"
    local token=$TOKEN id
    { printf '%%PDF-1.4\n%% multi-instance test\n'; head -c 2097152 /dev/urandom; } >"$T/upload.pdf"
    http POST "$N/api/v1/documents" -H "authorization: Bearer $token" \
        -F "file=@$T/upload.pdf;type=application/pdf" -F kind=cv
    expect "upload through nginx" 201 "$CODE" || { WHY="$WHY: $BODY"; return 1; }
    id=$(printf '%s' "$BODY" | sed -nE 's/^\{"id":"([^"]+)".*/\1/p')
    [ -n "$id" ] || { WHY="no id in $BODY"; return 1; }
    for base in "$A" "$B"; do
        curl -s -o "$T/download" --max-time 15 -H "authorization: Bearer $token" "$base/api/v1/documents/$id/file"
        cmp -s "$T/upload.pdf" "$T/download" || { WHY="the file read from $base differs"; return 1; }
    done
    [ "$(find "$T/data" -name 'file.key' | wc -l)" = 1 ] || { WHY="not exactly one key file"; return 1; }
    ! grep -rqa 'multi-instance test' "$T/data/files" || { WHY="plain text on disk"; return 1; }
}
check "a document uploaded through nginx reads back from both instances (one key, sealed on disk)" shared_files

compressed_once() {
    http GET "$N/api/v1/openapi.json" -H 'accept-encoding: gzip' --compressed
    expect "status" 200 "$CODE" && expect "content-encoding" gzip "$(header content-encoding)" &&
        expect "first byte after one decompression" '{' "${BODY:0:1}"
}
check "replies are compressed once (by rounds; nginx has gzip off)" compressed_once

# Per-client limit (5 here) through nginx: the client at 127.0.0.5 claims to be
# 198.51.100.99 in X-Forwarded-For; nginx replaces the header with the address it saw.
# Five failures, each for a different (unknown) account so that no account limit is hit,
# land on both instances; then that client is refused even with the right password.
client_limit() {
    local n
    SEEN=
    for n in 1 2 3 4 5; do
        login "$N" "nobody$n@multi.test" "wrong-password-$n" --interface 127.0.0.5 \
            -H 'x-forwarded-for: 198.51.100.99'
        expect "failure #$n" 401 "$CODE" || return 1
        seen_add
    done
    case "$SEEN" in *" "*) ;; *) WHY="all failures went to $SEEN"; return 1 ;; esac
    login "$N" three@multi.test "$PASSWORD" --interface 127.0.0.5 -H 'x-forwarded-for: 198.51.100.99'
    expect "right password from 127.0.0.5 through nginx" 429 "$CODE" || return 1
    login "$N" three@multi.test "$PASSWORD" --interface 127.0.0.6
    expect "right password from 127.0.0.6 through nginx" 200 "$CODE" || return 1
    # What nginx forwarded was 127.0.0.5: the instances themselves agree.
    login "$A" three@multi.test "$PASSWORD" -H 'x-forwarded-for: 127.0.0.5'
    expect "A asked directly for client 127.0.0.5" 429 "$CODE" || return 1
    login "$B" three@multi.test "$PASSWORD" -H 'x-forwarded-for: 198.51.100.99'
    expect "B asked directly for client 198.51.100.99 (the header nginx dropped)" 200 "$CODE"
}
check "the per-client login limit counts the address nginx forwards, across both instances" client_limit

# ---- kill A: nothing was only in its memory ------------------------------------------

login "$A" one@multi.test "$PASSWORD"
TOKEN_A=$TOKEN
[ "$CODE" = 200 ] && [ -n "$TOKEN_A" ] || fail "login on A before stopping it" "status $CODE"
# A graceful stop finishes in-flight requests, closes idle keep-alive connections (nginx
# keeps some open to A) and exits: it has no reason to wait for its shutdown deadline (12 s).
# The margin is wide so that a busy machine (sanitizers, shared cores) cannot fail it: waiting
# for the deadline would take 12 s, stopping at once takes well under 6 s even when loaded.
stop_instance a
check "A exits 0 on SIGTERM" expect "exit status" 0 "$STOP_RC"
prompt() { [ "$STOP_MS" -lt 6000 ] || { WHY="took $STOP_MS ms"; return 1; }; }
check "A stops at once though nginx holds idle keep-alive connections to it" prompt

after_kill() {
    me "$B" "$TOKEN_A"
    expect "GET /me on B with A's session" 200 "$CODE" || return 1
    # The first request through nginx after A went away: a POST, retried on B since A
    # refused the connection (nothing was sent).
    login "$N" one@multi.test "$PASSWORD" --interface 127.0.0.7
    expect "login through nginx with A down" 200 "$CODE" || return 1
    upstreams_of 4 GET /api/v1/me -H "authorization: Bearer $TOKEN_A"
    expect "failed /me replies through nginx" "" "$BAD" && expect "answered by" "$ADDR_B" "$SEEN"
}
check "with A stopped, its session works on B and nginx sends everything to B" after_kill

start_instance a2 "127.0.0.1:$PORT_A"
restarted() {
    local addr i
    addr=$(wait_ready a2) || { WHY="A did not come back on port $PORT_A"; return 1; }
    expect "address" "$ADDR_A" "$addr" || return 1
    me "$A" "$TOKEN_A"
    expect "GET /me on the restarted A" 200 "$CODE" || return 1
    # nginx tries A again after fail_timeout (5 s).
    for (( i = 0; i < 40; i++ )); do
        http GET "$N/healthz"
        [ "$(header x-upstream)" = "$ADDR_A" ] && return 0
        sleep 0.25
    done
    WHY="nginx did not send anything to the restarted A within 10 s"
    return 1
}
check "A restarted on the same port: the session works there, nginx uses it again" restarted

# ---- graceful shutdown ------------------------------------------------------------

stop_pid "$NGINX_PID" 5
NGINX_PID=
stop_nginx_rc=$STOP_RC
stop_instance a2
rc_a=$STOP_RC
stop_instance b
rc_b=$STOP_RC
check "both instances exit 0 on SIGTERM" expect "exit statuses A B" "0 0" "$rc_a $rc_b"
[ "$stop_nginx_rc" = 0 ] || fail "nginx stops" "exit status $stop_nginx_rc"

no_reports() {
    local hits
    hits=$(grep -lE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:' "${LOGS[@]}" 2>/dev/null)
    expect "logs with sanitizer reports" "" "$hits"
}
check "no sanitizer reports in the server logs" no_reports

finish
