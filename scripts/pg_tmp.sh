#!/usr/bin/env bash
# pg_tmp.sh — a throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg_tmp.sh start DIR          init + start a cluster in DIR, print its URI
#   scripts/pg_tmp.sh createdb DIR NAME  create database NAME there, print its URI
#   scripts/pg_tmp.sh stop DIR           stop the cluster and remove DIR (idempotent)
#
# The cluster listens on 127.0.0.1 (free random port) and a Unix socket in DIR,
# trusts loopback, and trades durability for speed (fsync=off etc.). When run
# as root, the server runs as the `postgres` system user. Logs: DIR/log.
set -eu -o pipefail

die() { echo "pg_tmp: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR | createdb DIR NAME | stop DIR"; }

pg_bindir() {
    local initdb
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$initdb" ] || initdb=$(command -v initdb 2>/dev/null || true)
    [ -n "$initdb" ] || die "initdb not found (apt-get install postgresql)"
    dirname "$initdb"
}

# Run a command as the cluster owner.
if [ "$(id -u)" = 0 ]; then
    PG_USER=postgres
    id -u "$PG_USER" >/dev/null 2>&1 || die "no '$PG_USER' system user (install postgresql)"
    as_owner() { runuser -u "$PG_USER" -- "$@"; }
else
    PG_USER=$(id -un)
    as_owner() { "$@"; }
fi

# shellcheck source=scripts/free_port.sh
. "$(dirname "$0")/free_port.sh"

uri() { echo "postgres://$PG_USER@127.0.0.1:$1/$2"; }

cmd_start() {
    local dir=$1 bin port i
    [ ! -e "$dir/data" ] || die "$dir/data already exists"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    bin=$(pg_bindir)
    [ "$(id -u)" != 0 ] || chown "$PG_USER:" "$dir"
    chmod 700 "$dir"
    # Socket dir path must fit sun_path (107 bytes incl. ".s.PGSQL.NNNNN").
    [ ${#dir} -le 90 ] || die "DIR path too long for a Unix socket: $dir"
    case $dir in *[[:space:]]*) die "DIR must not contain whitespace: $dir" ;; esac
    as_owner test -w "$dir" \
        || die "$PG_USER cannot write $dir (is a parent directory private?)"
    as_owner touch "$dir/log"

    if ! as_owner "$bin/initdb" -D "$dir/data" -U "$PG_USER" -A trust \
            --no-locale -E UTF8 --no-sync >"$dir/log" 2>&1; then
        cat "$dir/log" >&2; die "initdb failed"
    fi
    # Trust the Unix socket and loopback only, whatever initdb's defaults are.
    cat >"$dir/data/pg_hba.conf" <<'EOF'
local all all              trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128      trust
EOF
    [ "$(id -u)" != 0 ] || chown "$PG_USER:" "$dir/data/pg_hba.conf"

    # A port can be taken between check and bind: retry a few times.
    for _ in 1 2 3 4 5; do
        port=$(free_port) || die "no free TCP port found"
        as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -s -w -t 30 start -o \
            "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB \
             -c logging_collector=off" \
            >>"$dir/log" 2>&1 && break
        port=
        grep -qi 'could not bind\|address already in use\|lock file' "$dir/log" \
            || { tail -20 "$dir/log" >&2; die "postgres failed to start (see $dir/log)"; }
    done
    [ -n "$port" ] || { tail -20 "$dir/log" >&2; die "postgres failed to start (ports busy)"; }
    echo "$port" >"$dir/port"

    for i in $(seq 1 100); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && break
        [ "$i" -lt 100 ] || die "postgres not ready after 10s (see $dir/log)"
        sleep 0.1
    done
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U "$PG_USER" rounds_test \
        >>"$dir/log" 2>&1 || die "createdb rounds_test failed (see $dir/log)"
    uri "$port" rounds_test
}

cmd_createdb() {
    local dir=$1 name=$2 bin port
    [ -f "$dir/port" ] || die "no cluster running in $dir"
    dir=$(cd "$dir" && pwd -P)
    port=$(cat "$dir/port")
    bin=$(pg_bindir)
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U "$PG_USER" -- "$name" \
        >>"$dir/log" 2>&1 || die "createdb $name failed (see $dir/log)"
    uri "$port" "$name"
}

# Is PID a live (non-zombie) postgres process?
pg_alive() {
    grep -q postgres "/proc/$1/comm" 2>/dev/null \
        && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

cmd_stop() {
    local dir=$1 bin pid
    [ -e "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(pg_bindir)
        as_owner "$bin/pg_ctl" -D "$dir/data" -s -w -t 10 stop -m immediate \
            >/dev/null 2>&1 || true
        # Belt and braces: the postmaster may still be around if pg_ctl failed.
        pid=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && pg_alive "$pid"; then
            kill -QUIT "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do pg_alive "$pid" || break; sleep 0.1; done
        fi
    fi
    rm -rf -- "$dir"
}

[ $# -ge 2 ] || usage
case $1 in
    start)    [ $# -eq 2 ] || usage; cmd_start "$2" ;;
    createdb) [ $# -eq 3 ] || usage; cmd_createdb "$2" "$3" ;;
    stop)     [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
    *)        usage ;;
esac
