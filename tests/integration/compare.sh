#!/usr/bin/env bash
# compare.sh - units.distinct (★3, --compare TARGET2) against real "units" on 127.0.14.21-24, each an
# OpenSSH sshd, an `openssl s_server -www` and a busybox httpd with HTTP Basic on /admin, on the same
# three ports:
#   .21 and .22 share their SSH host keys, their TLS certificate and key, and the default password
#       admin/password (a vendor that bakes one key and one password into every unit);
#   .23 has its own host keys, its own certificate and its own password;
#   .24 has its own host keys and password, and a certificate of its own name issued for .21's TLS key.
# The fingerprints in the evidence are checked against ssh-keygen -l and openssl's SubjectPublicKeyInfo
# digest, so the comparison is of the keys the servers really hold. 127.0.14.29 answers nothing.
#
# Usage: tests/integration/compare.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir compare
on_exit
cd "$WORK" || exit 70

A=127.0.14
P_SSH=44022 P_TLS=44443 P_HTTP=44080
for u in 21 22 23 24 29; do
    for p in $P_SSH $P_TLS $P_HTTP; do
        if listening "$A.$u:$p"; then bail "something already listens on $A.$u:$p"; fi
    done
done
mkdir -p /run/sshd
ssh_key shared_ed25519 ed25519
ssh_key shared_ecdsa ecdsa 256
ssh_key own23_ed25519 ed25519
ssh_key own23_ecdsa ecdsa 256
ssh_key own24_ed25519 ed25519
ssh_key own24_ecdsa ecdsa 256
make_cert shared /CN=unit-shared ec 30
make_cert own23 /CN=unit-23 ec 30
# .24: a different certificate (own subject, own serial) for the shared key.
openssl req -x509 -key shared.key -days 30 -subj /CN=unit-24-reissued -out reissued.crt 2>/dev/null
cp shared.key reissued.key

mkdir -p www/admin
echo '<html>unit</html>' > www/index.html
echo '<html>admin</html>' > www/admin/index.html
# unit ADDR KEYPREFIX CERT PASSWORD: an sshd with KEYPREFIX_ed25519 and KEYPREFIX_ecdsa, s_server with
# CERT, and httpd whose /admin takes admin/PASSWORD.
unit() {
    cat > "sshd-$1.conf" <<CFG
ListenAddress $1:$P_SSH
HostKey $WORK/$2_ed25519
HostKey $WORK/$2_ecdsa
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
CFG
    /usr/sbin/sshd -D -e -f "sshd-$1.conf" 2>"sshd-$1.log" & PIDS+=($!)
    openssl s_server -quiet -www -accept "$1:$P_TLS" -cert "$3.crt" -key "$3.key" >/dev/null 2>&1 & PIDS+=($!)
    printf 'A:*\n/admin:admin:%s\n' "$4" > "httpd-$1.conf"
    busybox httpd -f -p "$1:$P_HTTP" -h www -c "$WORK/httpd-$1.conf" -r unit & PIDS+=($!)
}
unit $A.21 shared shared password
unit $A.22 shared shared password
unit $A.23 own23 own23 "$(openssl rand -hex 8)"
unit $A.24 own24 reissued "$(openssl rand -hex 8)"
wait_listening 50 "$A.21:$P_SSH" "$A.21:$P_TLS" "$A.21:$P_HTTP" "$A.22:$P_SSH" "$A.22:$P_TLS" "$A.22:$P_HTTP" \
    "$A.23:$P_SSH" "$A.23:$P_TLS" "$A.23:$P_HTTP" "$A.24:$P_SSH" "$A.24:$P_TLS" "$A.24:$P_HTTP" ||
    bail "sshd, s_server and httpd did not all come up ($UP of 12)"

printf 'profile: compare\nlevel: 3\nrequirements:\n  - {id: SCAN, title: scan, assess: probe, checks: [{probe: ports.exposure, with: {tcp_ports: "44000-44500", udp_ports: []}}]}\n  - {id: S1.1-02, title: defaults, assess: probe, checks: [{probe: creds.defaults}]}\n  - {id: S3.x-02, title: distinct, assess: probe, checks: [{probe: units.distinct}]}\n' > compare.yaml

# Fingerprints as the established tools print them.
ssh_fp() { ssh-keygen -lf "$1.pub" | awk '{print $2}'; }
tls_fp() { printf 'SHA256:%s' "$(openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum | cut -d' ' -f1)"; }
FP_SHARED_ED=$(ssh_fp shared_ed25519) FP_SHARED_EC=$(ssh_fp shared_ecdsa) FP_SHARED_TLS=$(tls_fp shared.crt)
FP_OWN23_TLS=$(tls_fp own23.crt)

# run NAME ARGS...: assess unit .21 with ARGS; R is the report, RC the exit code.
run() {
    local name=$1
    shift
    "$SP" assess -p ./compare.yaml -t $A.21 -o "out-$name" -f json --quiet --deadline 120 "$@" >/dev/null 2>"$name.err"
    RC=$?
    R="out-$name/report.json"
}
V='.requirements[] | select(.id == "S3.x-02")'
EV="$V | .checks[0].evidence"
CHECK_LABEL=S3.x-02
CHECK_SHOW="$V | {verdict, reason, evidence: [.checks[0].evidence[] | .service + \" \" + .detail]}"

run same --compare $A.22
check "$R" "same keys on both units: units.distinct FAIL, exit 1 ($RC)" "$V | .verdict == \"FAIL\" and ($RC == 1)"
check "$R" "FAIL names the three services" "$V | .reason | test(\"share keys or passwords on tcp/$P_SSH, tcp/$P_TLS, tcp/$P_HTTP \\\\(default password\\\\)\")"
check "$R" "evidence: the ed25519 host key, both fingerprints as ssh-keygen -l prints them" \
    "$EV | any(.service == \"tcp/$P_SSH\" and (.detail | contains(\"same ssh-ed25519 host key on both units: unit 1 $FP_SHARED_ED, unit 2 $FP_SHARED_ED\")))"
check "$R" "evidence: the ECDSA host key too" \
    "$EV | any(.detail | contains(\"same ecdsa-sha2-nistp256 host key on both units: unit 1 $FP_SHARED_EC, unit 2 $FP_SHARED_EC\"))"
check "$R" "evidence: the TLS key, both SubjectPublicKeyInfo digests as openssl computes them" \
    "$EV | any(.service == \"tcp/$P_TLS\" and (.detail | test(\"same TLS key on both units: unit 1 key $FP_SHARED_TLS .*CN=unit-shared.*unit 2 key $FP_SHARED_TLS\")))"

check "$R" "evidence: the target's default password, confirmed on the second unit too" \
    "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"default password admin/password found on the target also logs in on the second unit $A.22\")))"
check "$R" "(creds.defaults found admin/password on the target itself)" \
    ".credentials | any(.service == \"tcp/$P_HTTP\" and .user == \"admin\" and .password == \"password\")"

run own --compare $A.23
check "$R" "each unit with its own keys and password: units.distinct PASS" \
    "$V | .verdict == \"PASS\" and (.reason | test(\"2 services.*refuses the target's default passwords\"))"
check "$R" "PASS evidence: the second unit refuses the target's default password" \
    "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"admin/password found on the target is refused by the second unit\")))"
check "$R" "PASS evidence: TLS keys differ, with both fingerprints" \
    "$EV | any(.service == \"tcp/$P_TLS\" and (.detail == \"TLS keys differ: unit 1 $FP_SHARED_TLS, unit 2 $FP_OWN23_TLS\"))"
check "$R" "PASS evidence: host keys differ" "$EV | any(.service == \"tcp/$P_SSH\" and (.detail | test(\"host keys differ: unit 1 2 keys, unit 2 2\")))"

run reissued --compare $A.24
check "$R" "a different certificate for the same TLS key: FAIL on the TLS service only" \
    "$V | .verdict == \"FAIL\" and (.reason | test(\"share keys or passwords on tcp/$P_TLS: \"))"
check "$R" "evidence names both certificates' subjects" \
    "$EV | any(.detail | test(\"CN=unit-shared.*CN=unit-24-reissued\"))"

run unreachable --compare $A.29
check "$R" "second unit unreachable: INCONCLUSIVE, never PASS" \
    "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"could not be compared on tcp/$P_SSH, tcp/$P_TLS\"))"
check "$R" "the evidence says why: the second unit refused" \
    "[$EV[] | select(.detail | test(\"on the second unit $A.29: .*refused\"))] | length == 2"
check "$R" "the default password could not be tried there: not examined, named" \
    "($V | .reason | test(\"tcp/$P_HTTP \\\\(default password\\\\)\")) and ($EV | any(.detail | test(\"not examined by this check: the default password admin/password on the second unit\")))"

run alone
check "$R" "without --compare: INCONCLUSIVE naming the option" "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"--compare TARGET2\"))"

run itself --compare $A.21
check "$R" "the target compared with itself: INCONCLUSIVE, not FAIL" \
    "$V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"target's own address\"))"

"$SP" assess -p ./compare.yaml -t $A.21 -o out-twice --quiet --compare $A.22 --compare $A.23 >/dev/null 2>twice.err
rc=$?
if [ "$rc" = 64 ] && grep -q 'takes one second unit' twice.err; then ok "--compare given twice: usage error 64"
else not_ok "--compare given twice: usage error 64" "exit $rc: $(head -c 200 twice.err)"; fi
summary
