#!/usr/bin/env bash
# tls.sh - tls.versions, tls.ciphers and tls.certificate (S1.1-12) against real servers on
# 127.0.1.11-16: openssl s_server configured legacy (TLS 1.0-1.3, RSA-1024, SHA-1), modern
# (TLS 1.2+1.3, ECDSA P-256), TLS 1.3 only, and TLS 1.1+1.2 only; mosquitto over TLS; libcoap's
# coap-server-openssl with DTLS-PSK. Each asserts the exact accepted versions, certificate facts
# and verdicts, and compares the versions with testssl.sh -p on the same server (the oracle).
#
# Usage: tests/integration/tls.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir tls
P=20443          # TLS services
P_MQTT=28883
A_LEGACY=127.0.1.11 A_MODERN=127.0.1.12 A_TLS13=127.0.1.13 A_MID=127.0.1.14 A_MQTT=127.0.1.15 A_COAP=127.0.1.16
on_exit
# check REPORT DESC JQ-FILTER [SHOW]: on failure, what SHOW (default .services) found
CHECK_LABEL=found CHECK_SHOW=.services

cd "$WORK" || exit 70
for a in $A_LEGACY $A_MODERN $A_TLS13 $A_MID; do
    if listening "$a:$P"; then bail "$a:$P is busy"; fi
done
command -v testssl >/dev/null || bail "testssl (package testssl.sh, tests/deps.txt) is installed"
if listening "$A_MQTT:$P_MQTT"; then bail "$A_MQTT:$P_MQTT is busy"; fi
if ss -lunH "sport = :5684" | grep -Eq "(0\.0\.0\.0|\*|$A_COAP):5684"; then bail "udp 5684 is busy"; fi

# Certificates: the legacy one weak on purpose; the others ECDSA P-256 / RSA-2048 with SHA-256.
make_cert legacy '/O=Legacy/CN=legacy' rsa:1024 30 -sha1
make_cert modern /CN=modern ec 30 -sha256 -addext "subjectAltName=IP:$A_MODERN,DNS:modern.local"
make_cert mid /CN=mid rsa:2048 30 -sha256
# mosquitto started as root drops to its own user: let it read its files (throw-away test keys).
chmod 755 "$WORK"
chmod 644 modern.key modern.crt
cat > mosquitto.conf <<CFG
listener $P_MQTT $A_MQTT
certfile $WORK/modern.crt
keyfile $WORK/modern.key
tls_version tlsv1.2
allow_anonymous false
persistence false
CFG

openssl s_server -quiet -www -accept "$A_LEGACY:$P" -cert legacy.crt -key legacy.key \
    -cipher 'ALL:@SECLEVEL=0' -min_protocol TLSv1 >/dev/null 2>&1 & PIDS+=($!)
openssl s_server -quiet -www -accept "$A_MODERN:$P" -cert modern.crt -key modern.key \
    -min_protocol TLSv1.2 >/dev/null 2>&1 & PIDS+=($!)
openssl s_server -quiet -www -accept "$A_TLS13:$P" -cert modern.crt -key modern.key -tls1_3 \
    >/dev/null 2>&1 & PIDS+=($!)
# TLS 1.1 needs security level 0 in OpenSSL 3 (its handshake signs with SHA-1).
openssl s_server -quiet -www -accept "$A_MID:$P" -cert mid.crt -key mid.key \
    -cipher 'DEFAULT:@SECLEVEL=0' -min_protocol TLSv1.1 -max_protocol TLSv1.2 >/dev/null 2>&1 & PIDS+=($!)
mosquitto -c mosquitto.conf >mosquitto.log 2>&1 & PIDS+=($!)
coap-server-openssl -A "$A_COAP" -p 5683 -k 'lab-psk-0123456789' -h lab-id -v 4 >coap.log 2>&1 & PIDS+=($!)
wait_listening 50 "$A_LEGACY:$P" "$A_MODERN:$P" "$A_TLS13:$P" "$A_MID:$P" "$A_MQTT:$P_MQTT" "udp/$A_COAP:5684"

lab_profile lab.yaml tls-lab "{tcp_ports: \"$P,$P_MQTT\", udp_ports: [5684]}"

# Assess the six servers concurrently: each is its own target.
for a in $A_LEGACY $A_MODERN $A_TLS13 $A_MID $A_MQTT $A_COAP; do
    "$SP" assess -p ./lab.yaml -t "$a" -o "out-$a" -q >"out-$a.log" 2>&1 &
done
# The oracle, meanwhile: testssl.sh's protocol check on each TCP TLS server.
for hp in $A_LEGACY:$P $A_MODERN:$P $A_TLS13:$P $A_MID:$P $A_MQTT:$P_MQTT; do
    testssl --quiet --color 0 --warnings off --jsonfile "ts-$hp.json" -p "$hp" >/dev/null 2>&1 &
done
wait_jobs() { for j in $(jobs -p); do case " ${PIDS[*]} " in *" $j "*) ;; *) wait "$j" ;; esac; done; }
wait_jobs

VERSIONS_OF='[.services[] | select(.tls) | .tls.versions] | .[0]'
# versions SERVICE-SELECTOR: exact accepted versions
expect_versions() {
    local a=$1 want=$2 desc=$3
    check "out-$a/report.json" "$desc: versions are exactly $want" "($VERSIONS_OF) == $want" "$VERSIONS_OF"
}
verdicts() {
    local a=$1 v=$2 c=$3 e=$4 desc=$5
    check "out-$a/report.json" "$desc: tls.versions $v, tls.ciphers $c, tls.certificate $e" \
        "[.requirements[] | select(.id == \"S1.1-12\") | .checks[] | select(.probe | startswith(\"tls.\")) | .verdict] == [\"$v\", \"$c\", \"$e\"]" \
        '[.requirements[] | select(.id == "S1.1-12") | .checks[] | {probe, verdict, reason}]'
}
cert() { check "out-$1/report.json" "$2" "[.services[] | select(.tls) | .tls.certificate][0] | $3" '[.services[] | .tls.certificate]'; }

# testssl.sh agrees: its offered protocols are ours
oracle() {
    local hp=$1 a=${1%:*} desc=$2 ours theirs
    ours=$(jq -c "$VERSIONS_OF" "out-$a/report.json" 2>/dev/null)
    theirs=$(jq -c '[.[] | select(.id | test("^(SSLv3|TLS1|TLS1_1|TLS1_2|TLS1_3)$")) | select(.finding | startswith("offered"))
        | .id | {"SSLv3": "SSLv3", "TLS1": "TLSv1.0", "TLS1_1": "TLSv1.1", "TLS1_2": "TLSv1.2", "TLS1_3": "TLSv1.3"}[.]]' \
        "ts-$hp.json" 2>/dev/null)
    if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then ok "$desc: versions agree with testssl.sh ($ours)"
    else not_ok "$desc: versions agree with testssl.sh" "starprobe $ours, testssl.sh $theirs"; fi
}

# ---- legacy ----
expect_versions $A_LEGACY '["TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"]' legacy
oracle "$A_LEGACY:$P" legacy
verdicts $A_LEGACY FAIL FAIL FAIL legacy
check "out-$A_LEGACY/report.json" "legacy: S1.1-12 is FAIL" '.requirements[] | select(.id == "S1.1-12") | .verdict == "FAIL"'
check "out-$A_LEGACY/report.json" "legacy: evidence names the TLSv1.0 ServerHello on tcp/$P" \
    "[.requirements[] | .checks[] | select(.probe == \"tls.versions\") | .evidence[] | select(.service == \"tcp/$P\") | .detail] | any(test(\"^TLSv1.0 accepted: ServerHello TLSv1.0 suite 0x\"))"
check "out-$A_LEGACY/report.json" "legacy: anonymous suites found and failed" \
    '[.services[0].tls.ciphers["TLSv1.2"][] | select(test("_anon_"))] | length > 0'
cert $A_LEGACY "legacy: RSA 1024, sha1WithRSAEncryption, self-signed, read from the clear handshake" \
    '.key_type == "RSA" and .key_bits == 1024 and .signature_algorithm == "sha1WithRSAEncryption" and .self_signed == true and .subject == "O=Legacy, CN=legacy" and (.obtained_with | test("handshake read"))'
check "out-$A_LEGACY/report.json" "legacy: handshake count reported" '.services[0].tls.handshakes > 5'

# ---- modern ----
expect_versions $A_MODERN '["TLSv1.2", "TLSv1.3"]' modern
oracle "$A_MODERN:$P" modern
verdicts $A_MODERN PASS PASS PASS modern
cert $A_MODERN "modern: EC 256 (secp256r1), ecdsa-with-SHA256, SANs IP and DNS" \
    ".key_type == \"EC\" and .key_bits == 256 and .curve == \"secp256r1\" and .signature_algorithm == \"ecdsa-with-SHA256\" and .san == [\"IP:$A_MODERN\", \"DNS:modern.local\"] and .expired == false"
check "out-$A_MODERN/report.json" "modern: TLSv1.2 suites are all ECDHE" \
    '.services[0].tls.ciphers["TLSv1.2"] | length > 0 and all(startswith("TLS_ECDHE_ECDSA_"))'

# ---- TLS 1.3 only ----
expect_versions $A_TLS13 '["TLSv1.3"]' tls13-only
oracle "$A_TLS13:$P" tls13-only
verdicts $A_TLS13 PASS PASS PASS tls13-only
cert $A_TLS13 "tls13-only: certificate obtained over TLS 1.3 with OpenSSL, EC 256" \
    '(.obtained_with | test("over TLS 1.3 with OpenSSL 3")) and .key_type == "EC" and .key_bits == 256'
check "out-$A_TLS13/report.json" "tls13-only: the three TLS 1.3 suites OpenSSL enables" \
    '.services[0].tls.ciphers["TLSv1.3"] == ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"]'
check "out-$A_TLS13/report.json" "tls13-only: what runs inside is not identified, and the identification says why" \
    '.services[0] | .service == "tls" and (.identified_by | test("inside TLS: not identified: .+"))' '.services[0] | {service, identified_by}'

# ---- TLS 1.1 + 1.2 ----
expect_versions $A_MID '["TLSv1.1", "TLSv1.2"]' tls11-12
oracle "$A_MID:$P" tls11-12
verdicts $A_MID FAIL PASS PASS tls11-12
check "out-$A_MID/report.json" "tls11-12: TLSv1.3 refused, answered with a lower version or an alert" \
    '.services[0].tls.results["TLSv1.3"].result == "refused"' '.services[0].tls.results'
cert $A_MID "tls11-12: RSA 2048, sha256WithRSAEncryption" '.key_type == "RSA" and .key_bits == 2048 and .signature_hash == "sha256"'

# ---- mosquitto over TLS ----
check "out-$A_MQTT/report.json" "mosquitto: tcp/$P_MQTT identified as mqtts" ".services[] | select(.port == $P_MQTT) | .service == \"mqtts\""
expect_versions $A_MQTT '["TLSv1.2", "TLSv1.3"]' mosquitto
oracle "$A_MQTT:$P_MQTT" mosquitto
verdicts $A_MQTT PASS PASS PASS mosquitto

# ---- coap-server-openssl, DTLS-PSK ----
check "out-$A_COAP/report.json" "coap: udp/5684 is dtls" '.services[] | select(.port == 5684 and .transport == "udp") | .service == "dtls"'
expect_versions $A_COAP '["DTLSv1.2"]' coap-dtls
check "out-$A_COAP/report.json" "coap-dtls: PSK only, every suite a PSK suite" \
    '.services[0].tls.authentication == "psk" and (.services[0].tls.ciphers["DTLSv1.2"] | length > 0 and all(test("PSK")))' '.services[0].tls'
check "out-$A_COAP/report.json" "coap-dtls: DTLSv1.0 refused with an alert" \
    '.services[0].tls.results["DTLSv1.0"].detail | test("^alert 2/70")' '.services[0].tls.results'
verdicts $A_COAP PASS PASS PASS coap-dtls

summary
