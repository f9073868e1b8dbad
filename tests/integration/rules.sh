#!/usr/bin/env bash
# rules.sh - the ★2-★4 rules against real servers on 127.0.17.11-31, each rule with a reference
# server that fails it and one that passes:
#   tls.ciphers (★2: TLS 1.2 only ECDHE + AEAD)   openssl s_server ECDHE-CBC / DHE-GCM  vs ECDHE-GCM
#   tls.versions (S2.x-01: TLS 1.3 supported)      s_server TLS 1.2 only                 vs TLS 1.2+1.3
#   tls.chain (S2.x-02: chain to the declared CA)  self-signed / another CA's leaf       vs the test CA's leaf
#   tls.client_auth (S4.x-03: mutual TLS)          s_server without -Verify (1.2, 1.3)   vs -Verify 1 (1.2, 1.3)
#   ssh.algorithms (★2: no CBC, SHA-1 MAC, ssh-rsa) sshd offering them                   vs sshd modern
#   banners.versions (S3.x-01)                     lighttpd Server: lighttpd/1.x, vsftpd "(vsFTPd 3.0.3)",
#                                                  OpenSSH                                vs lighttpd without
#                                                  Server header, vsftpd with its own banner
#                                                  snmpd whose sysDescr public reads     vs snmpd no default
#                                                                                         community reads
#   transport.plaintext (S2.x-03: MQTT only over TLS) mosquitto in clear                vs mosquitto over TLS
#   auth.bruteforce (★3: within 10 attempts)       the hardened device's login gate locking after 15
#                                                  failures (passes ★1's 20)             vs locking after 5
# Each server runs alone on its address; a lab profile extending jcstar-star4 scans only its port.
#
# Usage: tests/integration/rules.sh ./starprobe      (root: sshd, vsftpd, udp/161; stunnel4)
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir rules
chmod 755 "$WORK"
on_exit
CHECK_LABEL=checks
if [ "$(id -u)" != 0 ]; then bail "rules.sh needs root (sshd, vsftpd)"; fi
cd "$WORK" || exit 70

P_TLS=20443 P_SSH=20022 P_HTTP=20080 P_FTP=20021 P_MQTT=21883 P_MQTTS=28883
A_CBC=127.0.17.11 A_DHE=127.0.17.12 A_GOOD=127.0.17.13 A_TLS12=127.0.17.14 A_SELF=127.0.17.15
A_OTHERCA=127.0.17.16 A_13VERIFY=127.0.17.17 A_13PLAIN=127.0.17.18
A_SSHOLD=127.0.17.21 A_SSHNEW=127.0.17.22 A_HTTPV=127.0.17.23 A_HTTPQ=127.0.17.24
A_FTPV=127.0.17.25 A_FTPQ=127.0.17.26 A_MQTT=127.0.17.27 A_MQTTS=127.0.17.28
A_SNMPV=127.0.17.29 A_SNMPQ=127.0.17.30 A_LOCK5=127.0.17.31 A_LOCK15=127.0.17.32
P_GATE=20444

for s in $A_CBC:$P_TLS $A_DHE:$P_TLS $A_GOOD:$P_TLS $A_TLS12:$P_TLS $A_SELF:$P_TLS $A_OTHERCA:$P_TLS \
         $A_13VERIFY:$P_TLS $A_13PLAIN:$P_TLS $A_SSHOLD:$P_SSH $A_SSHNEW:$P_SSH $A_HTTPV:$P_HTTP \
         $A_HTTPQ:$P_HTTP $A_FTPV:$P_FTP $A_FTPQ:$P_FTP $A_MQTT:$P_MQTT $A_MQTTS:$P_MQTTS; do
    if listening "$s"; then bail "$s is busy"; fi
done
for s in $A_LOCK5:$P_GATE $A_LOCK15:$P_GATE; do
    if listening "$s"; then bail "$s is busy"; fi
done
for a in $A_SNMPV $A_SNMPQ; do
    if ss -lunH "sport = :161" | grep -Eq "(0\.0\.0\.0|\*|$a):161"; then bail "udp $a:161 is busy"; fi
done

# ---- certificates: a test CA (the one the declaration names), a second CA, leaves of each ----
ca() {   # ca NAME: a throw-away CA NAME.crt / NAME.key
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -sha256 -subj "/CN=$1" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        -keyout "$1.key" -out "$1.crt" 2>/dev/null
}
leaf() {   # leaf NAME CA ADDR: NAME.crt / NAME.key, EC P-256, issued by CA for ADDR
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" -keyout "$1.key" \
        -out "$1.csr" 2>/dev/null
    printf 'subjectAltName=IP:%s\nbasicConstraints=CA:FALSE\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 30 -sha256 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
}
ca testca
ca otherca
for a in $A_CBC $A_DHE $A_GOOD $A_TLS12 $A_13VERIFY $A_13PLAIN $A_MQTTS; do leaf "leaf-$a" testca "$a"; done
leaf "leaf-$A_OTHERCA" otherca "$A_OTHERCA"
make_cert self /CN=self ec 30 -sha256 -addext "subjectAltName=IP:$A_SELF"
make_cert rsa /CN=rsa rsa:2048 30 -sha256
chmod 644 ./*.key ./*.crt

# ---- TLS servers ----
tls() {   # tls ADDR CERTNAME ARGS...
    local a=$1 c=$2
    shift 2
    openssl s_server -quiet -www -accept "$a:$P_TLS" -cert "$c.crt" -key "$c.key" "$@" >/dev/null 2>&1 &
    PIDS+=($!)
}
tls $A_CBC "leaf-$A_CBC" -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA
# OpenSSL 3 picks the DH group itself (RFC 7919 ffdhe) when no -dhparam is given.
tls $A_DHE rsa -tls1_2 -cipher DHE-RSA-AES128-GCM-SHA256
tls $A_GOOD "leaf-$A_GOOD" -min_protocol TLSv1.2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -Verify 1 \
    -CAfile testca.crt
tls $A_TLS12 "leaf-$A_TLS12" -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
tls $A_SELF self -min_protocol TLSv1.2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
tls $A_OTHERCA "leaf-$A_OTHERCA" -min_protocol TLSv1.2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256
tls $A_13VERIFY "leaf-$A_13VERIFY" -tls1_3 -Verify 1 -CAfile testca.crt
tls $A_13PLAIN "leaf-$A_13PLAIN" -tls1_3

# ---- SSH: OpenSSH offering CBC, hmac-sha1 and ssh-rsa; OpenSSH modern ----
ssh_key old_rsa rsa 2048
ssh_key new_ed ed25519
cat > old.cfg <<CFG
ListenAddress $A_SSHOLD:$P_SSH
HostKey $WORK/old_rsa
PidFile none
UsePAM no
KexAlgorithms curve25519-sha256
Ciphers aes128-ctr,aes128-cbc
MACs hmac-sha2-256,hmac-sha1
HostKeyAlgorithms ssh-rsa,rsa-sha2-256
CFG
cat > new.cfg <<CFG
ListenAddress $A_SSHNEW:$P_SSH
HostKey $WORK/new_ed
PidFile none
UsePAM no
KexAlgorithms curve25519-sha256
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com
MACs hmac-sha2-256-etm@openssh.com
HostKeyAlgorithms ssh-ed25519
CFG
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f old.cfg 2>old.log & PIDS+=($!)
/usr/sbin/sshd -D -e -f new.cfg 2>new.log & PIDS+=($!)

# ---- HTTP: lighttpd naming its version; lighttpd with no Server header ----
mkdir -p www
echo '<html><body>device</body></html>' > www/index.html
for kind in v q; do
    addr=$A_HTTPV; [ $kind = q ] && addr=$A_HTTPQ
    {
        echo "server.document-root = \"$WORK/www\""; echo "server.bind = \"$addr\""; echo "server.port = $P_HTTP"
        [ $kind = q ] && echo 'server.tag = ""'
    } > lighttpd-$kind.conf
    lighttpd -D -f lighttpd-$kind.conf >/dev/null 2>&1 & PIDS+=($!)
done

# ---- FTP: vsftpd's own greeting "(vsFTPd 3.0.3)"; vsftpd with the device's banner ----
mkdir -p empty srv/ftp
chmod 555 srv/ftp
for kind in v q; do
    addr=$A_FTPV; [ $kind = q ] && addr=$A_FTPQ
    {
        echo "listen=YES"; echo "listen_address=$addr"; echo "listen_port=$P_FTP"; echo "background=NO"
        echo "secure_chroot_dir=$WORK/empty"; echo "seccomp_sandbox=NO"; echo "nopriv_user=nobody"
        echo "local_enable=YES"; echo "anonymous_enable=NO"; echo "pam_service_name=vsftpd"
        echo "check_shell=NO"; echo "xferlog_enable=NO"
        [ $kind = q ] && echo "ftpd_banner=Camera FTP service ready."
    } > vsftpd-$kind.conf
    vsftpd "$WORK/vsftpd-$kind.conf" >/dev/null 2>&1 & PIDS+=($!)
done

# ---- MQTT: mosquitto in clear (with a password); mosquitto over TLS only ----
cat > mq-plain.conf <<CFG
listener $P_MQTT $A_MQTT
allow_anonymous false
persistence false
CFG
cat > mq-tls.conf <<CFG
listener $P_MQTTS $A_MQTTS
certfile $WORK/leaf-$A_MQTTS.crt
keyfile $WORK/leaf-$A_MQTTS.key
allow_anonymous false
persistence false
CFG
mosquitto -c mq-plain.conf >mq-plain.log 2>&1 & PIDS+=($!)
mosquitto -c mq-tls.conf >mq-tls.log 2>&1 & PIDS+=($!)

# ---- SNMP: sysDescr naming the kernel, readable with public; an agent no default community reads ----
printf 'agentaddress udp:%s:161\nrocommunity public 127.0.0.0/8\nsysDescr Linux gw 6.1.0-18-amd64 #1 SMP Debian 6.1.76-1\n' \
    $A_SNMPV > snmpv.conf
printf 'agentaddress udp:%s:161\nrocommunity lab-%s 127.0.0.0/8\nsysDescr Linux gw 6.1.0-18-amd64\n' \
    $A_SNMPQ "$RANDOM$RANDOM" > snmpq.conf
for c in snmpv snmpq; do
    snmpd -f -C -c "$WORK/$c.conf" -Lf "$WORK/$c.log" -p "$WORK/$c.pid" -u nobody & PIDS+=($!)
done

# ---- brute force: the hardened device's gate (stunnel + https-gate + busybox httpd) locking a user
# name after 5 failures, and the same gate locking only after 15 ----
LOCK_PASS=Ru1es-$(openssl rand -hex 8)
mkdir -p gate-www/admin
echo '<html>gateway</html>' >gate-www/index.html
echo '<html>administration</html>' >gate-www/admin/index.html
printf 'A:*\n/admin:admin:%s\n' "$(busybox httpd -m "$LOCK_PASS")" >gate-httpd.conf
make_cert gate /CN=rules-gate ec 2
chmod 644 gate.key
for n in 5 15; do
    addr=$A_LOCK5; [ $n = 15 ] && addr=$A_LOCK15
    mkdir -p "gate-run$n"
    sed -e "s|@MAX_FAILURES@|$n|; s|@LOCK_SECONDS@|300|" "$ROOT/tests/testbed/hardened/https-gate.in" >"gate$n"
    chmod 755 "gate$n"
    cat >"stunnel$n.conf" <<CFG
foreground = yes
pid =
syslog = no
debug = notice
[gate$n]
accept = $addr:$P_GATE
cert = $WORK/gate.crt
key = $WORK/gate.key
sslVersionMin = TLSv1.2
TIMEOUTidle = 20
TIMEOUTclose = 0
exec = $WORK/gate$n
execArgs = gate$n $WORK/gate-www $WORK/gate-httpd.conf $WORK/gate-run$n
CFG
    stunnel4 "stunnel$n.conf" >"stunnel$n.log" 2>&1 & PIDS+=($!)
done
if ! wait_listening 100 $A_LOCK5:$P_GATE $A_LOCK15:$P_GATE; then bail "the login gates are listening"; fi
if ! wait_listening 100 udp/$A_SNMPV:161 udp/$A_SNMPQ:161; then bail "the SNMP agents are listening"; fi
if ! wait_listening 100 $A_CBC:$P_TLS $A_DHE:$P_TLS $A_GOOD:$P_TLS $A_TLS12:$P_TLS $A_SELF:$P_TLS \
        $A_OTHERCA:$P_TLS $A_13VERIFY:$P_TLS $A_13PLAIN:$P_TLS $A_SSHOLD:$P_SSH $A_SSHNEW:$P_SSH \
        $A_HTTPV:$P_HTTP $A_HTTPQ:$P_HTTP $A_FTPV:$P_FTP $A_FTPQ:$P_FTP $A_MQTT:$P_MQTT $A_MQTTS:$P_MQTTS; then
    bail "the reference servers are listening ($UP of 16)"
fi

# A lab profile: every ★1-★4 requirement, the scan on the ports of this script, and the
# requirements whose probes log in (S1.1-02 creds, S3.x-02 the two-unit comparison) switched off:
# nothing here is about them, and the scan would cost a dictionary sweep per server.
cat > lab.yaml <<YAML
profile: rules-lab
extends: jcstar-star4
requirements:
  - id: S1.1-13
    checks:
      - probe: ports.exposure
        with: {tcp_ports: "$P_TLS,$P_SSH,$P_HTTP,$P_FTP,$P_MQTT,$P_MQTTS", udp_ports: []}
  - {id: S1.1-02, disabled: "not under test in rules.sh"}
  - {id: S3.x-02, disabled: "not under test in rules.sh"}
YAML
# The same on UDP 161 only, for the SNMP agents.
sed -e 's/^profile: rules-lab/profile: rules-lab-snmp/' -e 's/udp_ports: \[\]/udp_ports: [161]/' \
    -e 's/tcp_ports: "[^"]*"/tcp_ports: "1"/' lab.yaml > lab-snmp.yaml
# The declaration names the test CA for the device's TLS services and the TLS port as the web
# administration (a server that demands a client certificate shows no inner protocol, so only its
# declared purpose makes it a management interface); a second declaration names no CA.
cat > device.yaml <<YAML
device: {vendor: Test, model: rules}
services:
  - {port: $P_TLS, transport: tcp, service: https, purpose: "web admin"}
tls:
  ca_file: testca.crt
YAML
printf 'device: {vendor: Test, model: rules}\n' > nodecl.yaml

assess() {   # assess NAME ADDR [DECL [PROFILE]]: report NAME.json
    "$SP" assess -p "./${4:-lab.yaml}" -t "$2" -d "${3:-device.yaml}" -o "out-$1" -f json --quiet --deadline 120 \
        >/dev/null 2>"out-$1.err"
    cp "out-$1/report.json" "$1.json" 2>/dev/null || echo '{}' > "$1.json"
}
# cv REPORT DESC REQ PROBE VERDICT [WORD]: the check PROBE of requirement REQ has VERDICT (and its
# reason or evidence holds WORD).
cv() {
    local f="$1.json" want=$5 word=${6:-}
    local sel=".requirements[] | select(.id == \"$3\") | .checks[] | select(.probe == \"$4\")"
    local jqf="[$sel | .verdict] == [\"$want\"]"
    if [ -n "$word" ]; then jqf="$jqf and ([$sel | .reason, (.evidence[]?.detail)] | map(select(type == \"string\")) | join(\" \") | contains(\"$word\"))"; fi
    check "$f" "$2" "$jqf" "[$sel | {verdict, reason, evidence}]"
}

assess cbc $A_CBC; assess dhe $A_DHE; assess good $A_GOOD; assess tls12 $A_TLS12; assess self $A_SELF
assess otherca $A_OTHERCA; assess v13 $A_13VERIFY; assess p13 $A_13PLAIN; assess nodecl $A_GOOD nodecl.yaml
assess sshold $A_SSHOLD; assess sshnew $A_SSHNEW; assess httpv $A_HTTPV; assess httpq $A_HTTPQ
assess ftpv $A_FTPV; assess ftpq $A_FTPQ; assess mqtt $A_MQTT; assess mqtts $A_MQTTS
assess snmpv $A_SNMPV device.yaml lab-snmp.yaml; assess snmpq $A_SNMPQ device.yaml lab-snmp.yaml

# Brute force at ★3 (10 attempts) and at ★1 (20), intrusive, on the declared test account; nothing
# else logs in (S1.1-02 and S3.x-02 are off), and the ★3 run comes first: its right password resets
# the 15-failure gate's count, so the ★1 run starts from zero.
for lvl in 3 1; do
    cat >"lab-bf$lvl.yaml" <<YAML
profile: rules-bf$lvl
extends: jcstar-star$lvl
requirements:
  - id: S1.1-13
    checks:
      - probe: ports.exposure
        with: {tcp_ports: "$P_GATE", udp_ports: []}
  - id: S1.1-04
    checks:
      - probe: auth.bruteforce
        with: {rate_per_s: 4}
  - {id: S1.1-02, disabled: "not under test in rules.sh"}
YAML
    if [ "$lvl" = 3 ]; then printf '  - {id: S3.x-02, disabled: "not under test in rules.sh"}\n' >>"lab-bf$lvl.yaml"; fi
done
bf() {   # bf NAME ADDR LEVEL: report NAME.json, intrusive
    cat >"bf-$1.yaml" <<YAML
device: {vendor: Test, model: gate}
services:
  - {port: $P_GATE, transport: tcp, service: https, purpose: "web admin", auth: password}
accounts:
  - {service: https, port: $P_GATE, user: admin, password: "$LOCK_PASS"}
YAML
    "$SP" assess -p "./lab-bf$3.yaml" -t "$2" -d "bf-$1.yaml" -o "out-$1" -f json --quiet --deadline 180 \
        --intrusive >/dev/null 2>"out-$1.err"
    cp "out-$1/report.json" "$1.json" 2>/dev/null || echo '{}' > "$1.json"
}
# The sibling schemes on the same servers: etsi-en303645 with its scan on this script's ports, uk-psti
# as bundled (it has no ports.exposure check: the scan then runs on the probe's defaults, all ports).
cat > lab-etsi.yaml <<YAML
profile: rules-etsi
extends: etsi-en303645
requirements:
  - id: "5.6-1"
    checks:
      - probe: ports.exposure
        with: {tcp_ports: "$P_TLS,$P_SSH,$P_HTTP,$P_FTP,$P_MQTT,$P_MQTTS", udp_ports: []}
  - {id: "5.1-1", disabled: "not under test in rules.sh"}
  - {id: "5.1-2", disabled: "not under test in rules.sh"}
  - {id: "5.4-3", disabled: "not under test in rules.sh"}
YAML
assess etsi-httpv $A_HTTPV device.yaml lab-etsi.yaml
assess etsi-sshold $A_SSHOLD device.yaml lab-etsi.yaml
"$SP" assess -p uk-psti -t $A_SSHNEW -o out-psti -f json --quiet --deadline 150 >/dev/null 2>out-psti.err
cp out-psti/report.json psti.json 2>/dev/null || echo '{}' > psti.json

bf lock5star3 $A_LOCK5 3
bf lock15star3 $A_LOCK15 3
bf lock15star1 $A_LOCK15 1

# ---- ★2 suites: ECDHE + AEAD only ----
cv cbc   "ECDHE with CBC fails ★2's suites"                S1.1-12 tls.ciphers FAIL CBC
cv dhe   "DHE with AES-GCM fails ★2's suites (ECDHE only)" S1.1-12 tls.ciphers FAIL DHE
cv good  "ECDHE-ECDSA-AES128-GCM passes ★2's suites"       S1.1-12 tls.ciphers PASS
# ---- S2.x-01 TLS 1.3 supported ----
cv tls12 "TLS 1.2 only fails S2.x-01"                      S2.x-01 tls.versions FAIL
cv good  "TLS 1.2 + 1.3 passes S2.x-01"                    S2.x-01 tls.versions PASS
# ---- S2.x-02 chain to the declared CA ----
cv good    "a leaf of the declared CA chains"                      S2.x-02 tls.chain PASS "verifies to the declared CA"
cv v13     "a TLS 1.3-only leaf of the declared CA chains"         S2.x-02 tls.chain PASS
cv self    "a self-signed leaf does not chain to the declared CA"  S2.x-02 tls.chain FAIL "does not verify"
cv otherca "another CA's leaf does not chain to the declared CA"   S2.x-02 tls.chain FAIL "CN=otherca"
cv nodecl  "without tls.ca_file the chain is INCONCLUSIVE"         S2.x-02 tls.chain INCONCLUSIVE "tls.ca_file"
# ---- S4.x-03 client certificates on management TLS ----
cv good  "TLS 1.2 with -Verify sends a CertificateRequest"   S4.x-03 tls.client_auth PASS "with a CertificateRequest"
cv tls12 "TLS 1.2 without -Verify fails mutual auth"         S4.x-03 tls.client_auth FAIL "without a CertificateRequest"
cv v13   "TLS 1.3 with -Verify: seen through OpenSSL"        S4.x-03 tls.client_auth PASS "after a CertificateRequest"
cv p13   "TLS 1.3 without -Verify fails mutual auth"         S4.x-03 tls.client_auth FAIL "without a CertificateRequest"
cv mqtts "MQTTS is no management interface"                  S4.x-03 tls.client_auth NOT_APPLICABLE
check good.json "the facts record the CertificateRequest" \
    '[.services[] | select(.port == '$P_TLS') | .tls.client_certificate] == ["requested"]'
# ---- ★2 SSH ----
cv sshold "sshd with aes128-cbc fails ★2"                    S1.1-12 ssh.algorithms FAIL aes128-cbc
cv sshold "sshd with hmac-sha1 fails ★2"                     S1.1-12 ssh.algorithms FAIL hmac-sha1
cv sshold "sshd with ssh-rsa fails ★2"                       S1.1-12 ssh.algorithms FAIL ssh-rsa
cv sshnew "sshd modern passes ★2"                            S1.1-12 ssh.algorithms PASS
# ---- S3.x-01 banners ----
cv sshnew "OpenSSH names its version"                        S3.x-01 banners.versions FAIL OpenSSH_
cv httpv  "lighttpd's Server header names its version"       S3.x-01 banners.versions FAIL "lighttpd/1."
cv httpq  "lighttpd without a Server header passes"          S3.x-01 banners.versions PASS "no Server header"
cv ftpv   "vsftpd's greeting names its version"              S3.x-01 banners.versions FAIL "vsFTPd 3"
cv ftpq   "vsftpd with its own banner passes"                S3.x-01 banners.versions PASS "Camera FTP"
cv snmpv  "sysDescr read with public names the kernel version" S3.x-01 banners.versions FAIL "6.1.0-18-amd64"
cv snmpq  "sysDescr no default community reads reveals nothing" S3.x-01 banners.versions PASS "not readable"
# ---- S1.1-04 at ★3: protection within 10 attempts ----
cv lock5star3  "a lock after 5 failures passes ★3's 10 attempts"             S1.1-04 auth.bruteforce PASS locked
cv lock15star3 "a lock only after 15 failures fails ★3's 10 attempts"        S1.1-04 auth.bruteforce FAIL
cv lock15star1 "the same gate passes ★1's 20 attempts (the lock is seen)"    S1.1-04 auth.bruteforce PASS locked
# ---- S2.x-03 MQTT only over TLS ----
cv mqtt  "mosquitto in clear fails S2.x-03"                  S2.x-03 transport.plaintext FAIL
cv mqtts "mosquitto over TLS passes S2.x-03's network check" S2.x-03 transport.plaintext PASS
# ---- sibling schemes ----
check etsi-httpv.json "etsi-en303645 is carried into the report as derived" '.profile.id == "rules-etsi" and .profile.status == "derived"'
cv etsi-httpv  "EN 303 645 5.6-2: lighttpd's version fails"        5.6-2 banners.versions FAIL "lighttpd/1."
cv etsi-sshold "EN 303 645 5.5-1 keeps ★1's SSH thresholds: CBC is a finding" 5.5-1 ssh.algorithms PASS
cv etsi-sshold "EN 303 645 5.6-1: an undeclared SSH port fails"     5.6-1 ports.exposure FAIL
check psti.json "uk-psti without ports.exposure: the scan ran on its defaults and found the SSH server" \
    '.profile.status == "derived" and ([.services[] | select(.port == '$P_SSH' and .service == "ssh")] | length == 1)' \
    '[.profile, .services, [.requirements[] | {id, verdict}]]'
cv psti "uk-psti PSTI-1 judged by creds.defaults (no ERROR)" PSTI-1 creds.defaults INCONCLUSIVE
# No check of any run ended in ERROR.
for f in ./*.json; do
    check "$f" "no ERROR check in $(basename "$f" .json)" '[.requirements[].checks[] | select(.verdict == "ERROR")] | length == 0'
done

summary
