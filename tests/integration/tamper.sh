#!/usr/bin/env bash
# tamper.sh - update.tamper (★3 S3.x-03, --intrusive): the device's own update endpoint must refuse a
# tampered and a downgraded image. Keys, images and signatures are made here with openssl (RSA-2048 and
# ECDSA P-256); the endpoints are tests/integration/tamper/update_endpoint.py, a Python stand-in (no
# Debian server takes firmware uploads), on 127.0.16.21-24:
#   .21  verifies with the RSA key (openssl dgst -verify) and refuses older versions  → PASS
#   .22  the same with the ECDSA key                                                  → PASS
#   .23  accepts anything                                                             → FAIL, with what was sent
#   .24  refuses everything with a bare 400                                           → INCONCLUSIVE, never PASS
#   .21  with a declared wrong path (404)                                             → INCONCLUSIVE
#   .21  refused by status alone, then the genuine image as a control                 → PASS
#   .21  without --intrusive                                                          → INCONCLUSIVE naming it
#
# Usage: tests/integration/tamper.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
HERE=$(cd "$(dirname "$0")" && pwd)
work_dir tamper
on_exit
cd "$WORK" || exit 70

A=127.0.16 P=47080
for u in 21 22 23 24; do
    if listening "$A.$u:$P"; then bail "something already listens on $A.$u:$P"; fi
done
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key 2>/dev/null
openssl pkey -in rsa.key -pubout -out rsa.pub
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl pkey -in ec.key -pubout -out ec.pub
# image FILE VERSION: a firmware image with its version on the first line, then 64 KiB of random bytes.
image() {
    { printf 'FWVERSION=%s\n' "$2"; head -c 65536 /dev/urandom; } >"$1"
}
image fw-1.2.0.bin 1.2.0
image fw-1.0.0.bin 1.0.0
for k in rsa ec; do
    openssl dgst -sha256 -sign $k.key -out fw-1.2.0.$k.sig fw-1.2.0.bin
    openssl dgst -sha256 -sign $k.key -out fw-1.0.0.$k.sig fw-1.0.0.bin
done
python3 "$HERE/tamper/update_endpoint.py" $A.21 $P verify rsa.pub 1.2.0 2>ep-21.log & PIDS+=($!)
python3 "$HERE/tamper/update_endpoint.py" $A.22 $P verify ec.pub 1.2.0 2>ep-22.log & PIDS+=($!)
python3 "$HERE/tamper/update_endpoint.py" $A.23 $P accept rsa.pub 1.2.0 2>ep-23.log & PIDS+=($!)
python3 "$HERE/tamper/update_endpoint.py" $A.24 $P refuse rsa.pub 1.2.0 2>ep-24.log & PIDS+=($!)
wait_listening 50 "$A.21:$P" "$A.22:$P" "$A.23:$P" "$A.24:$P" || bail "the endpoints did not all come up ($UP of 4)"

printf 'profile: tamper\nlevel: 3\nrequirements:\n  - {id: SCAN, title: scan, assess: probe, checks: [{probe: ports.exposure, with: {tcp_ports: "47000-47100", udp_ports: []}}]}\n  - {id: S3.x-03, title: tamper, assess: probe, checks: [{probe: update.tamper}]}\n' >tamper.yaml

# decl FILE KEY EXTRA: a declaration whose update endpoint is POST /cgi-bin/upgrade on $P, images signed
# with KEY (rsa or ec), EXTRA more endpoint keys (YAML flow, may be empty).
decl() {
    cat >"$1" <<YAML
device: {vendor: Acme, model: X100, firmware: 1.2.0}
services:
  - {port: $P, service: http, purpose: admin}
accounts:
  - {service: http, port: $P, user: admin, password: admin-test-pw}
update:
  image: fw-1.2.0.bin
  signature: fw-1.2.0.$2.sig
  public_key: $2.pub
  downgrade_image: fw-1.0.0.bin
  downgrade_signature: fw-1.0.0.$2.sig
  endpoint: {port: $P, method: POST, path: ${4:-/cgi-bin/upgrade}, field: firmware, signature_field: signature, account: admin$3}
YAML
}
decl rsa.yaml rsa ', rejected_text: "verification failed"'
decl ec.yaml ec ', rejected_text: "verification failed"'
decl bare.yaml rsa ''
decl control.yaml rsa ', control: true'
decl wrongpath.yaml rsa ', rejected_text: "verification failed"' /cgi-bin/upload

# run NAME TARGET DECL ARGS...: R is the report, RC the exit code.
run() {
    local name=$1 target=$2 d=$3
    shift 3
    "$SP" assess -p ./tamper.yaml -t "$target" -d "$d" -o "out-$name" -f json --quiet --deadline 120 "$@" >/dev/null 2>"$name.err"
    RC=$?
    R="out-$name/report.json"
}
V='.requirements[] | select(.id == "S3.x-03") | .checks[0]'
EV="[$V | .evidence[] | .detail]"
CHECK_LABEL=S3.x-03
CHECK_SHOW="$V | {verdict, reason, evidence: [.evidence[] | .detail]}"

run rsa $A.21 rsa.yaml --intrusive
check "$R" "RSA-verifying endpoint: PASS" "$V | .verdict == \"PASS\""
check "$R" "evidence: the tampered image, the byte changed and the refusal" \
    "$EV | any(test(\"sent the tampered image: .*fw-1.2.0.bin \\\\(65552 bytes\\\\) with the byte at offset 32776 changed, signature sent in its own field; the device answered 'HTTP/1.0 400 Bad Request': '.*signature verification failed.*' → rejected\"))"
check "$R" "evidence: the downgrade refused" \
    "$EV | any(test(\"sent the downgraded image: .*fw-1.0.0.bin .*'.*version 1.0.0 is older than 1.2.0.*' → rejected\"))"
check "$R" "evidence: the device still answers afterwards" "$EV | any(test(\"after the uploads: GET / answered 'HTTP/1.0 200 OK'\"))"
check "$R" "evidence names the endpoint, never the password" \
    "($EV | any(test(\"update endpoint: POST http://$A.21:$P/cgi-bin/upgrade, form field 'firmware', HTTP Basic\"))) and ([.. | select(type == \"string\" and contains(\"admin-test-pw\"))] | length == 0)"

run ec $A.22 ec.yaml --intrusive
check "$R" "ECDSA-verifying endpoint: PASS" "$V | .verdict == \"PASS\""

run accept $A.23 rsa.yaml --intrusive
check "$R" "endpoint that accepts anything: FAIL, exit 1 ($RC)" \
    "$V | .verdict == \"FAIL\" and (.reason | test(\"accepted the tampered and the downgraded image\")) and ($RC == 1)"
check "$R" "evidence: what was sent and the device's 'Upgrade OK'" \
    "$EV | any(test(\"sent the tampered image: .*offset 32776 changed.*'HTTP/1.0 200 OK': '.*Upgrade OK.*' → accepted\"))"

run refuse $A.24 bare.yaml --intrusive
check "$R" "endpoint that refuses everything with a bare 400: INCONCLUSIVE, never PASS" \
    "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"refused by status alone\"))"

run wrongpath $A.21 wrongpath.yaml --intrusive
check "$R" "a wrong declared path (404): INCONCLUSIVE" \
    "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"status 404\"))"

run control $A.21 control.yaml --intrusive
check "$R" "refused by status, genuine image accepted as a control: PASS" \
    "$V | .verdict == \"PASS\" and (.reason | test(\"took the genuine one\"))"

run control_refuse $A.24 control.yaml --intrusive
check "$R" "control refused too: INCONCLUSIVE" "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"genuine image too\"))"

run plain $A.21 rsa.yaml
check "$R" "without --intrusive: INCONCLUSIVE naming --intrusive" \
    "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"--intrusive\"))"
summary
