#!/usr/bin/env bash
# update.sh - update.signature (S1.1-08) and update.channel (S1.1-06) over a
# table of declarations: keys, digests and signatures made here with openssl,
# the way a vendor makes them. The signature cases and the channel cases
# without --allow-host need no network. Then update.channel against real
# update servers, `openssl s_server -www` on 127.0.14.1-9: a certificate from
# a test CA the declaration names in update.ca_file (directly, and through an
# intermediate the server sends), a self-signed one, one for another host,
# one with an RSA-1024 key, TLS 1.0 only, TLS 1.3 only. starprobe runs in a mount
# namespace of its own whose /etc/hosts names update.test.example and whose
# nsswitch.conf reads only that file, so no name lookup leaves the machine.
#
# Usage: tests/integration/update.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir update
on_exit
cd "$WORK" || exit 70

head -c 200000 /dev/urandom > fw.bin
openssl ecparam -name prime256v1 -genkey -noout -out p256.key 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out p384.key 2>/dev/null
openssl genrsa -out rsa2048.key 2048 2>/dev/null
openssl genrsa -out rsa1024.key 1024 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out other.key 2>/dev/null
for k in p256 p384 rsa2048 rsa1024 other; do openssl pkey -in $k.key -pubout -out $k.pub 2>/dev/null; done
openssl dgst -sha256 -sign p256.key -out p256-sha256.sig fw.bin
openssl dgst -sha384 -sign p384.key -out p384-sha384.sig fw.bin
openssl dgst -sha256 -sign rsa2048.key -out rsa2048-sha256.sig fw.bin
openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sign rsa2048.key -out rsa2048-pss.sig fw.bin
openssl dgst -sha1 -sign p256.key -out p256-sha1.sig fw.bin
openssl dgst -sha256 -sign rsa1024.key -out rsa1024-sha256.sig fw.bin
cp fw.bin fw-tampered.bin; printf 'X' | dd of=fw-tampered.bin bs=1 seek=1000 conv=notrunc 2>/dev/null

cat > offline.yaml <<CFG
profile: update-only
title: {en: "update checks only"}
level: 1
requirements:
  - {id: S1.1-06, title: "channel", assess: probe, checks: [{probe: update.channel}]}
  - {id: S1.1-08, title: "signature", assess: probe, checks: [{probe: update.signature}]}
CFG

# name | url | image | signature | public key | want S1.1-06 | want S1.1-08 | reason pattern for S1.1-08
CASES='
ecdsa-p256-sha256|https://u.example/fw|fw.bin|p256-sha256.sig|p256.pub|INCONCLUSIVE|PASS|one-byte-modified image is rejected
ecdsa-p384-sha384|https://u.example/fw|fw.bin|p384-sha384.sig|p384.pub|INCONCLUSIVE|PASS|sha384
rsa2048-pkcs1|https://u.example/fw|fw.bin|rsa2048-sha256.sig|rsa2048.pub|INCONCLUSIVE|PASS|rsa-2048
rsa2048-pss|https://u.example/fw|fw.bin|rsa2048-pss.sig|rsa2048.pub|INCONCLUSIVE|PASS|rsa-2048
sha1-digest|https://u.example/fw|fw.bin|p256-sha1.sig|p256.pub|INCONCLUSIVE|FAIL|uses sha1, weaker
rsa1024-key|https://u.example/fw|fw.bin|rsa1024-sha256.sig|rsa1024.pub|INCONCLUSIVE|FAIL|rsa-1024 key, which is not an allowed
wrong-key|https://u.example/fw|fw.bin|p256-sha256.sig|other.pub|INCONCLUSIVE|FAIL|does not verify
tampered-image|https://u.example/fw|fw-tampered.bin|p256-sha256.sig|p256.pub|INCONCLUSIVE|FAIL|does not verify
unsigned|http://u.example/fw|fw.bin|||FAIL|FAIL|has no signature
nothing-declared|||||INCONCLUSIVE|INCONCLUSIVE|names no update image
'
while IFS='|' read -r name url image sig pub want6 want8 why; do
    [ -n "$name" ] || continue
    {
        echo "device: {vendor: T, model: U, firmware: '1'}"
        if [ -n "$url$image" ]; then
            echo "update:"
            [ -n "$url" ] && echo "  url: $url"
            [ -n "$image" ] && echo "  image: $image"
            [ -n "$sig" ] && echo "  signature: $sig"
            [ -n "$pub" ] && echo "  public_key: $pub"
        fi
    } > "$name.yaml"
    "$SP" assess -p ./offline.yaml -t 127.0.0.1 -d "$name.yaml" -o "out-$name" -f json --quiet >/dev/null 2>"$name.err"
    got6=$(jq -r '.requirements[] | select(.id == "S1.1-06") | .verdict' "out-$name/report.json" 2>/dev/null)
    got8=$(jq -r '.requirements[] | select(.id == "S1.1-08") | .verdict' "out-$name/report.json" 2>/dev/null)
    reason=$(jq -r '.requirements[] | select(.id == "S1.1-08") | .reason' "out-$name/report.json" 2>/dev/null)
    if [ "$got6" = "$want6" ] && [ "$got8" = "$want8" ] && grep -q -- "$why" <<<"$reason"; then
        ok "$name: S1.1-06 $got6, S1.1-08 $got8"
    else
        not_ok "$name: S1.1-06 $got6 (want $want6), S1.1-08 $got8 (want $want8 /$why/): $reason $(head -c 200 "$name.err")"
    fi
done <<<"$CASES"

# ---- update.channel against real update servers ----
A=127.0.14
P=8443
for i in 1 2 3 4 5 6 8 9; do
    if listening "$A.$i:$P"; then bail "something already listens on $A.$i:$P"; fi
done
openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -x509 -new -key ca.key -sha256 -days 30 -subj "/CN=starprobe test update CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out ca.crt 2>/dev/null
# issue NAME SAN [SUBJECT]: NAME.key and NAME.crt signed by the test CA for SAN.
issue() {
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
        -subj "/CN=${3:-update server}" -out "$1.csr" 2>/dev/null
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$2" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
issue good IP:$A.1 "good update server"
make_cert self "/CN=self-signed update server" ec 30 -addext "subjectAltName=IP:$A.2"
issue other "IP:$A.99,DNS:other.example" "other host"
issue old IP:$A.4 "old update server"
issue new IP:$A.5 "tls13 update server"
issue named DNS:update.test.example "named update server"
# .8: a leaf from an intermediate CA, which the server sends along; the declared CA file holds the root only.
openssl ecparam -name prime256v1 -genkey -noout -out inter.key 2>/dev/null
openssl req -new -key inter.key -subj "/CN=starprobe test intermediate CA" -out inter.csr 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > inter.ext
openssl x509 -req -in inter.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 -extfile inter.ext \
    -out inter.crt 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout chained.key \
    -subj "/CN=chained update server" -out chained.csr 2>/dev/null
printf 'subjectAltName=IP:%s.8\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' $A > chained.ext
openssl x509 -req -in chained.csr -CA inter.crt -CAkey inter.key -CAcreateserial -days 30 -sha256 \
    -extfile chained.ext -out chained.crt 2>/dev/null
# .9: an RSA-1024 key, signed by the test CA: weaker than a client accepts.
openssl req -new -newkey rsa:1024 -nodes -keyout weak.key -subj "/CN=weak update server" -out weak.csr 2>/dev/null
printf 'subjectAltName=IP:%s.9\n' $A > weak.ext
openssl x509 -req -in weak.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -sha256 -extfile weak.ext \
    -out weak.crt 2>/dev/null
serve() { # ADDR NAME ARGS...: openssl s_server -www on ADDR:$P with NAME.crt
    local addr=$1 name=$2
    shift 2
    openssl s_server -quiet -www -accept "$addr:$P" -cert "$name.crt" -key "$name.key" "$@" >/dev/null 2>&1 & PIDS+=($!)
}
serve $A.1 good
serve $A.2 self
serve $A.3 other
serve $A.4 old -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
serve $A.5 new -tls1_3
serve $A.6 named
serve $A.8 chained -cert_chain inter.crt
serve $A.9 weak -cipher 'DEFAULT:@SECLEVEL=0'
wait_listening 50 "$A.1:$P" "$A.2:$P" "$A.3:$P" "$A.4:$P" "$A.5:$P" "$A.6:$P" "$A.8:$P" "$A.9:$P" ||
    bail "openssl s_server did not come up ($UP of 8)"
printf '127.0.0.1 localhost\n%s.6 update.test.example\n%s.3 wrong.test.example\n' $A $A > hosts
printf 'hosts: files\n' > nsswitch.conf
NS=(unshare --mount --propagation private sh -c
    'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"' sh "$WORK/hosts" "$WORK/nsswitch.conf")

# name | url | ca_file | --allow-host | want S1.1-06 | reason pattern | evidence pattern
NET='
ca-file-ip|https://A.1:P/fw.json|ca.crt|A.1|PASS|negotiates TLSv1.2|TLSv1.2 with TLS_ECDHE_ECDSA_WITH_.*subject CN=good update server, issuer CN=starprobe test update CA
ca-file-name|https://update.test.example:P/fw|ca.crt|update.test.example|PASS|chains to a trusted CA|\(127.0.14.6\) port 8443.*certificate names update.test.example
no-ca-file|https://A.1:P/fw.json||A.1|FAIL|trustworthy|does not verify against /etc/ssl/certs/ca-certificates.crt: .*not correctly signed by the trusted CA
self-signed|https://A.2:P/fw.json|ca.crt|A.2|FAIL|trustworthy|does not verify against .*ca.crt: .*not correctly signed by the trusted CA
other-host-ip|https://A.3:P/fw.json|ca.crt|A.3|FAIL|is not for A.3|SAN .*IP:A.99.* is not for A.3 \(no iPAddress SAN
other-host-name|https://wrong.test.example:P/fw|ca.crt|wrong.test.example|FAIL|is not for wrong.test.example|SAN .*DNS:other.example.* is not for wrong.test.example
tls10-only|https://A.4:P/fw.json|ca.crt|A.4|FAIL|negotiates TLSv1.0, older than TLSv1.2|negotiated TLSv1.0 with TLS_.*negotiated TLSv1.0, older than the minimum TLSv1.2
tls13-only|https://A.5:P/fw.json|ca.crt|A.5|PASS|negotiates TLSv1.3|negotiated TLSv1.3 with TLS_AES_.*OpenSSL.*the chain verifies
intermediate|https://A.8:P/fw.json|ca.crt|A.8|PASS|chains to a trusted CA|issuer CN=starprobe test intermediate CA, .*the chain verifies
intermediate-untrusted|https://A.8:P/fw.json||A.8|FAIL|not correctly signed by the trusted CA|issuer CN=starprobe test intermediate CA
rsa1024-key|https://A.9:P/fw.json|ca.crt|A.9|FAIL|unacceptable key|CN=weak update server.*unacceptable key
not-allowed|https://A.1:P/fw.json|ca.crt||INCONCLUSIVE|run with --allow-host A.1 to examine|declared update url
other-allowed|https://A.1:P/fw.json|ca.crt|A.2|INCONCLUSIVE|--allow-host A.1|declared update url
refused|https://A.7:P/fw.json|ca.crt|A.7|INCONCLUSIVE|No TLS session with the update server A.7.*connect failed|declared update url
no-such-name|https://nosuch.test.example/fw|ca.crt|nosuch.test.example|INCONCLUSIVE|No TLS session with the update server nosuch.test.example|declared update url
plain-http|http://A.1:P/fw.json|ca.crt|A.1|FAIL|not HTTPS|declared update url
'
while IFS='|' read -r name url ca allow want why ev; do
    [ -n "$name" ] || continue
    url=${url//A./$A.}; url=${url//:P/:$P}; allow=${allow//A./$A.}
    why=${why//A./$A.}; ev=${ev//A./$A.}
    {
        echo "device: {vendor: T, model: U, firmware: '1'}"
        echo "update:"
        echo "  url: $url"
        [ -n "$ca" ] && echo "  ca_file: $ca"
    } > "net-$name.yaml"
    args=()
    [ -n "$allow" ] && args=(--allow-host "$allow")
    "${NS[@]}" "$SP" assess -p ./offline.yaml -t $A.1 -d "net-$name.yaml" -o "out-net-$name" -f json --quiet \
        --deadline 60 "${args[@]}" >/dev/null 2>"net-$name.err"
    R="out-net-$name/report.json"
    got=$(jq -r '.requirements[] | select(.id == "S1.1-06") | .verdict' "$R" 2>/dev/null)
    reason=$(jq -r '.requirements[] | select(.id == "S1.1-06") | .reason' "$R" 2>/dev/null)
    evid=$(jq -r '.requirements[] | select(.id == "S1.1-06") | .checks[0].evidence[].detail' "$R" 2>/dev/null | tr '\n' ' ')
    if [ "$got" = "$want" ] && grep -Eq -- "$why" <<<"$reason" && grep -Eq -- "$ev" <<<"$evid"; then
        ok "update.channel $name: $got"
    else
        not_ok "update.channel $name: $got (want $want /$why/ /$ev/)" "$reason | $evid $(head -c 200 "net-$name.err")"
    fi
done <<<"$NET"

# min_tls from the profile: a server that negotiates TLSv1.2 fails a profile that asks for TLSv1.3.
sed 's/checks: \[{probe: update.channel}\]/checks: [{probe: update.channel, with: {min_tls: TLSv1.3}}]/' offline.yaml > tls13.yaml
"$SP" assess -p ./tls13.yaml -t $A.1 -d net-ca-file-ip.yaml -o out-min13 -f json --quiet --deadline 60 \
    --allow-host $A.1 >/dev/null 2>min13.err
check out-min13/report.json "update.channel min_tls TLSv1.3 from the profile: the TLSv1.2 server FAILs" \
    '.requirements[] | select(.id == "S1.1-06") | .verdict == "FAIL" and (.reason | test("negotiates TLSv1.2, older than TLSv1.3"))' \
    '.requirements[] | select(.id == "S1.1-06") | .reason'
summary
