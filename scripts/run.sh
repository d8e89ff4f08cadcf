#!/usr/bin/env bash
# run.sh — `make run`: prepares the SQLite database (migrations, and demo data
# when it is empty), prints how to log in, and serves on ROUNDS_LISTEN.
set -euo pipefail

BIN=${1:-build/rounds}
export ROUNDS_DB=${ROUNDS_DB:-rounds.db}
export ROUNDS_LISTEN=${ROUNDS_LISTEN:-127.0.0.1:8080}
export ROUNDS_DATA_DIR=${ROUNDS_DATA_DIR:-data}
mkdir -p "$ROUNDS_DATA_DIR"

"$BIN" migrate >/dev/null
echo "Rounds — http://$ROUNDS_LISTEN (database: $ROUNDS_DB)"
echo
# seed --demo is idempotent: it only adds what is missing, and prints the accounts.
"$BIN" seed --demo
echo
echo "Open http://$ROUNDS_LISTEN/login and log in with one of the accounts above."
echo "Staff, coach and host accounts set up two-factor sign-in at their first login: scan the QR code"
echo "with an authenticator app, or type the key into \`oathtool --totp -b KEY\` (Debian's oathtool)."
echo "API: curl -s -X POST http://$ROUNDS_LISTEN/api/v1/auth/login -H 'content-type: application/json' \\"
echo "       -d '{\"email\":\"student@rounds.test\",\"password\":\"rounds-demo-2026\"}'"
echo "Uploaded files are sealed with the key in ${ROUNDS_FILE_KEY_FILE:-$ROUNDS_DATA_DIR/file.key}" \
     "(created on first start; keep it safe: without it the files cannot be read)."
echo "Payments: no provider is configured, so the demo provider pays at once (no real money moves):"
echo "  apply, let the host offer, accept, then \"Pay to book\" on the application page."
echo "Stop with Ctrl-C."
echo
exec "$BIN" serve
