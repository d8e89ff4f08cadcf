#!/bin/sh
# Installs the Debian packages Rounds needs to build, run and test, when missing.
# Idempotent and quiet when nothing is missing; runs `apt-get update` only when
# something must be installed; works as root or through sudo.
#   scripts/bootstrap.sh            build + run packages
#   scripts/bootstrap.sh test       also what the test suites need (PostgreSQL, Chromium, Node)
#   scripts/bootstrap.sh bench      also what the benchmarks need (wrk, nginx)
set -eu

build_pkgs="build-essential pkg-config libh2o-evloop-dev libssl-dev zlib1g-dev libuv1-dev
  libjansson-dev libsodium-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev
  libcrack2-dev cracklib-runtime libhpdf-dev libqrencode-dev"
test_pkgs="clang libclang-rt-14-dev postgresql curl ca-certificates chromium nginx-light poppler-utils python3-nacl python3-prometheus-client"
bench_pkgs="wrk nginx-light postgresql sqlite3"
lint_pkgs="cppcheck clang-tidy"

want="$build_pkgs"
for extra in "$@"; do
  case "$extra" in
    test)  want="$want $test_pkgs" ;;
    bench) want="$want $bench_pkgs" ;;
    lint)  want="$want $lint_pkgs" ;;
    *) echo "bootstrap: unknown set '$extra' (test, bench, lint)" >&2; exit 2 ;;
  esac
done

missing=""
# Node.js and npm (browser tests) may come from Debian or be on the machine already.
case " $want " in *" chromium "*)
  command -v npm >/dev/null 2>&1 || want="$want nodejs npm" ;;
esac
for pkg in $want; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac ;;
  esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "bootstrap: missing packages:$missing — run as root or install sudo" >&2
  exit 1
fi

echo "bootstrap: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "bootstrap: done" >&2
