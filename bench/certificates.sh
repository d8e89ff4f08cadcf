#!/usr/bin/env bash
# bench/certificates.sh BINARY — certificates drawn per second (each GET /api/v1/certificates/{number}/pdf
# draws the PDF with its QR code from the signed facts) and GET /verify/{number} against nginx serving the
# same page bytes as a file. Aims (issue 15): ≥ 200 certificates/s on 2 cores; /verify / nginx ≥ 0.5.
# Not yet a part of scripts/bench.sh; run: make all && BENCH_SECONDS=10 bench/certificates.sh build/rounds
set -eu
BIN=$1; T=$(mktemp -d /tmp/rounds-bench-cert.XXXX); PORT=18941; NPORT=18942
ROUNDS_DB=$T/r.db $BIN seed --demo >/dev/null 2>&1
ROUNDS_DB=$T/r.db ROUNDS_DATA_DIR=$T/data ROUNDS_LISTEN=127.0.0.1:$PORT ROUNDS_LOG_LEVEL=warn $BIN serve >$T/s.log 2>&1 & SP=$!
trap 'kill $SP 2>/dev/null; [ -f $T/nginx.pid ] && kill $(cat $T/nginx.pid) 2>/dev/null; rm -rf $T' EXIT
sleep 2
B=http://127.0.0.1:$PORT
j() { /usr/bin/python3 -c "import sys,json; print(json.load(sys.stdin)$1)"; }
ST=$(curl -s -XPOST $B/api/v1/auth/login -H 'content-type: application/json' -d '{"email":"staff@rounds.test","password":"rounds-demo-2026"}' | j "['token']")
post() { curl -s -XPOST "$B$1" -H "authorization: Bearer $2" -H 'content-type: application/json' -d "$3"; }
ORG=$(post /api/v1/organizations $ST '{"name":"Bench Host","kind":"host"}' | j "['id']")
SITE=$(post /api/v1/sites $ST "{\"organization_id\":\"$ORG\",\"name\":\"M\",\"city\":\"Austin\",\"state\":\"TX\",\"zip\":\"78701\"}" | j "['id']")
PRC=$(post /api/v1/preceptors $ST "{\"organization_id\":\"$ORG\",\"name\":\"Dr. B\",\"email\":\"b@example.org\",\"npi\":\"1234567893\",\"specialty\":\"cardiology\",\"license_state\":\"TX\",\"license_number\":\"X1\"}" | j "['id']")
OFF=$(post /api/v1/offerings $ST "{\"organization_id\":\"$ORG\",\"site_id\":\"$SITE\",\"preceptor_id\":\"$PRC\",\"title\":\"Bench Cardiology\",\"specialty\":\"cardiology\",\"kind\":\"hands_on\",\"setting\":\"inpatient\",\"weeks\":4,\"tuition_cents\":1,\"application_fee_cents\":0,\"deposit_cents\":0,\"description\":\"x\"}" | j "['id']")
BLK=$(post /api/v1/offerings/$OFF/blocks $ST '{"start":"2027-03-01","end":"2027-03-28","seats":5}' | j "['id']")
SU=$(curl -s -XPOST $B/api/v1/auth/register -H 'content-type: application/json' -d '{"email":"bench-s@example.org","password":"plum-orchard-harbor-71","name":"Bench Student"}' | j "['token']")
APP=$(post /api/v1/applications $SU "{\"block_id\":\"$BLK\",\"statement\":\"x\"}" | j "['id']")
post /api/v1/applications/$APP/offer $ST '{}' >/dev/null; post /api/v1/applications/$APP/accept $SU '{}' >/dev/null
for a in book clear start complete; do post /api/v1/applications/$APP/$a $ST '{}' >/dev/null; done
NUM=$(post /api/v1/applications/$APP/certificate $SU '{}' | j "['number']")
echo "certificate $NUM"
mkdir -p $T/www $T/nginx; chmod 755 $T $T/www
curl -s $B/verify/$NUM > $T/www/verify.html
cat > $T/nginx/nginx.conf <<NG
worker_processes 2; pid $T/nginx.pid; error_log $T/nginx.err; daemon on;
events { worker_connections 1024; }
http { access_log off; server { listen 127.0.0.1:$NPORT; root $T/www; location / { default_type text/html; } } }
NG
nginx -p $T/nginx/ -c $T/nginx/nginx.conf
sleep 1
S=${BENCH_SECONDS:-10}
echo "== PDF generation: GET /api/v1/certificates/{number}/pdf"
wrk -t2 -c16 -d${S}s -H "authorization: Bearer $SU" $B/api/v1/certificates/$NUM/pdf | grep -E "Requests/sec|Latency|Non-2xx"
echo "== /verify/{number}"
wrk -t2 -c16 -d${S}s $B/verify/$NUM | grep -E "Requests/sec|Latency|Non-2xx"
echo "== nginx, the same bytes"
wrk -t2 -c16 -d${S}s http://127.0.0.1:$NPORT/verify.html | grep -E "Requests/sec|Latency|Non-2xx"
echo "== /verify/{number} again"
wrk -t2 -c16 -d${S}s $B/verify/$NUM | grep -E "Requests/sec|Latency|Non-2xx"
