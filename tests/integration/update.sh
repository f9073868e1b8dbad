#!/usr/bin/env bash
# update.sh - update.signature (S1.1-08) and update.channel (S1.1-06) over a
# table of declarations: keys, digests and signatures made here with openssl,
# the way a vendor makes them. No network: both probes judge the declaration.
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
summary
