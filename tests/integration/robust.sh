#!/usr/bin/env bash
# robust.sh - robust.malformed (★3 S3.x-05, ★4 S4.x-04, --intrusive) against real servers on 127.0.16.x:
#   127.0.16.1  busybox httpd, mosquitto, OpenSSH sshd, busybox telnetd, openssl s_server (TLS), vsftpd,
#               GStreamer's RTSP server (kinds/rtsp-server.py), coap-server-notls (UDP 5683) and snmpd
#               (UDP 161): each gets its protocol's whole set and still answers → PASS
#   127.0.16.2  a web server that dies on a header line over 8 KiB (tests/integration/robust/
#               fragile_http.py, a Python stand-in: Debian has no server that crashes on bad input)
#               → FAIL naming http-header-64k, its port closed
#   127.0.16.4  a CoAP server that dies on an option delta of 15 (robust/fragile_coap.py, a stand-in too)
#               → FAIL naming coap-option-delta-15, the UDP port closed (ICMP port unreachable)
#   127.0.16.1  without --intrusive → INCONCLUSIVE naming --intrusive
#   127.0.16.1  the ★4 plan on the web server only (scope: [http]): two rounds of variations and a
#               flood of 100 connections → PASS with the recovery time; the other services out of scope
#   127.0.16.3  the fragile server behind a flood it survives, then the long campaign kills it → FAIL
#
# Usage: tests/integration/robust.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
HERE=$(cd "$(dirname "$0")" && pwd)
work_dir robust
chmod 755 "$WORK"
on_exit
cd "$WORK" || exit 70

A_REAL=127.0.16.1 A_FRAGILE=127.0.16.2
P_HTTP=46080 P_MQTT=46883 P_SSH=46022 P_TELNET=46023 P_TLS=46443 P_FTP=46021 P_RTSP=46554
for a in $A_REAL $A_FRAGILE; do
    if listening "tcp+udp/$a:"; then bail "$a is in use on this machine"; fi
done
mkdir -p www /run/sshd ftp-root ftp-empty
chmod 755 ftp-root
echo '<html>robust</html>' > www/index.html
echo 'A:*' > httpd.conf
make_cert tls /CN=robust-test ec 2
ssh_key host_ed25519 ed25519
cat > mq.conf <<CFG
listener $P_MQTT $A_REAL
allow_anonymous true
persistence false
CFG
cat > sshd.conf <<CFG
ListenAddress $A_REAL:$P_SSH
HostKey $WORK/host_ed25519
PidFile none
UsePAM no
CFG
cat > ftp.conf <<CFG
listen=YES
listen_address=$A_REAL
listen_port=$P_FTP
background=NO
anonymous_enable=YES
local_enable=NO
anon_root=$WORK/ftp-root
secure_chroot_dir=$WORK/ftp-empty
pasv_enable=NO
seccomp_sandbox=NO
CFG
cat > snmp.conf <<CFG
agentaddress udp:$A_REAL:161
rocommunity public
CFG
busybox httpd -f -p "$A_REAL:$P_HTTP" -h www -c "$WORK/httpd.conf" & PIDS+=($!)
mosquitto -c mq.conf >mq.log 2>&1 & PIDS+=($!)
/usr/sbin/sshd -D -e -f sshd.conf 2>sshd.log & PIDS+=($!)
busybox telnetd -F -p "$P_TELNET" -b "$A_REAL" -l /bin/false & PIDS+=($!)
openssl s_server -quiet -www -accept "$A_REAL:$P_TLS" -cert tls.crt -key tls.key >/dev/null 2>&1 & PIDS+=($!)
coap-server-notls -A "$A_REAL" -p 5683 >coap.log 2>&1 & PIDS+=($!)
vsftpd ftp.conf >ftp.log 2>&1 & PIDS+=($!)
/usr/bin/python3 "$HERE/kinds/rtsp-server.py" "$A_REAL" $P_RTSP /stream1 open >rtsp.log 2>&1 & PIDS+=($!)
snmpd -f -C -c snmp.conf -Lf snmp.log -p snmp.pid >/dev/null 2>&1 & PIDS+=($!)
python3 "$HERE/robust/fragile_http.py" "$A_FRAGILE" "$P_HTTP" 2>fragile.log & PIDS+=($!)
wait_listening 50 "$A_REAL:$P_HTTP" "$A_REAL:$P_MQTT" "$A_REAL:$P_SSH" "$A_REAL:$P_TELNET" "$A_REAL:$P_TLS" \
    "$A_REAL:$P_FTP" "$A_REAL:$P_RTSP" "udp/$A_REAL:5683" "udp/$A_REAL:161" "$A_FRAGILE:$P_HTTP" ||
    bail "the servers did not all come up ($UP of 10)"

# profile FILE WITH: the scan on this script's ports and robust.malformed with WITH (a YAML flow map).
profile() {
    printf 'profile: robust-test\nlevel: 3\nrequirements:\n  - {id: SCAN, title: scan, assess: probe, checks: [{probe: ports.exposure, with: {tcp_ports: "46000-46999", udp_ports: [161, 5683]}}]}\n  - {id: S3.x-05, title: robust, assess: probe, checks: [{probe: robust.malformed, with: %s}]}\n' \
        "$2" >"$1"
}
profile bounded.yaml '{campaign: bounded}'
profile long.yaml '{campaign: long, rounds: 2, flood_connections: 100, flood_hold_ms: 500, recover_s: 5, scope: [http]}'

# run NAME TARGET PROFILE ARGS...: R is the report, RC the exit code.
run() {
    local name=$1 target=$2 prof=$3
    shift 3
    "$SP" assess -p "./$prof" -t "$target" -o "out-$name" -f json --quiet --deadline 300 "$@" >/dev/null 2>"$name.err"
    RC=$?
    R="out-$name/report.json"
}
V='.requirements[] | select(.id == "S3.x-05") | .checks[0]'
EV="$V | .evidence"
CHECK_LABEL=S3.x-05
CHECK_SHOW="$V | {verdict, reason, evidence: [.evidence[] | .service + \" \" + .detail]}"

run real $A_REAL bounded.yaml --intrusive
check "$R" "real servers: robust.malformed PASS" "$V | .verdict == \"PASS\" and (.reason | test(\"Every service in scope \\\\(9\\\\)\"))"
for p in "tcp/$P_HTTP http 6" "tcp/$P_MQTT mqtt 5" "tcp/$P_SSH ssh 4" "tcp/$P_TELNET telnet 4" "tcp/$P_TLS tls 4" "tcp/$P_FTP ftp 4" "tcp/$P_RTSP rtsp 3" "udp/5683 coap 6" "udp/161 snmp 4"; do
    read -r svc set n <<<"$p"
    check "$R" "$svc: its whole $set set ($n inputs) sent, each answered afterwards" \
        "$EV | any(.service == \"$svc\" and (.detail | test(\"$n malformed $set inputs in 1 round\")))"
done
check "$R" "evidence: what busybox httpd did with a 64 KiB header line" \
    "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"input http-header-64k .*the service sent back 'HTTP/1.1 [0-9]{3}\")))"
check "$R" "evidence: mosquitto closes on a five-byte remaining length" \
    "$EV | any(.service == \"tcp/$P_MQTT\" and (.detail | test(\"input mqtt-remaining-length-5-bytes .*closed the connection\")))"
check "$R" "evidence: coap-server resets a message with option delta 15" \
    "$EV | any(.service == \"udp/5683\" and (.detail | test(\"input coap-option-delta-15 .*sent back CoAP RST\")))"
check "$R" "evidence: s_server alerts on a record over the maximum" \
    "$EV | any(.service == \"tcp/$P_TLS\" and (.detail | test(\"input tls-record-length-over-max .*TLS alert\")))"
check "$R" "the service records say survived" \
    "[.services[] | select(.robust) | .robust.result] | length == 9 and all(. == \"survived\")"

run fragile $A_FRAGILE bounded.yaml --intrusive
check "$R" "fragile server: FAIL naming the input, exit 1 ($RC)" \
    "$V | .verdict == \"FAIL\" and (.reason | test(\"tcp/$P_HTTP http after http-header-64k\")) and ($RC == 1)"
check "$R" "evidence: the port closed after the input" \
    "$EV | any(.detail | test(\"after http-header-64k it no longer answers its identifying request \\\\(the port is closed\\\\)\"))"
if grep -q 'header line over 8192 bytes' fragile.log; then ok "the stand-in really died on that input"
else not_ok "the stand-in really died on that input" "$(head -c 300 fragile.log)"; fi
check "$R" "nothing more was sent to the dead service" "[.services[0].robust.cases[]] | length == 1"

A_FRAGILE_UDP=127.0.16.4
python3 "$HERE/robust/fragile_coap.py" "$A_FRAGILE_UDP" 5683 2>fragile-coap.log & PIDS+=($!)
wait_listening 50 "udp/$A_FRAGILE_UDP:5683" || bail "the fragile CoAP server did not come up"
run fragile_udp $A_FRAGILE_UDP bounded.yaml --intrusive
check "$R" "fragile CoAP server: FAIL naming coap-option-delta-15" \
    "$V | .verdict == \"FAIL\" and (.reason | test(\"udp/5683 coap after coap-option-delta-15\"))"
check "$R" "evidence: the UDP port closed after it" \
    "$EV | any(.service == \"udp/5683\" and (.detail | test(\"no longer answers its identifying request \\\\(the port is closed\\\\): the port is closed \\\\(ICMP port unreachable\\\\)\")))"
if grep -q 'option delta 15, crashing' fragile-coap.log; then ok "the CoAP stand-in really died on that input"
else not_ok "the CoAP stand-in really died on that input" "$(head -c 300 fragile-coap.log)"; fi

run plain $A_REAL bounded.yaml
check "$R" "without --intrusive: INCONCLUSIVE naming --intrusive, nothing sent" \
    "($V | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"--intrusive\"))) and ([.services[] | select(.robust)] | length == 0)"

run long $A_REAL long.yaml --intrusive
check "$R" "★4 plan on the web server: PASS after 2 rounds and the flood" \
    "$V | .verdict == \"PASS\" and (.reason | test(\"recovered from the flood\"))"
check "$R" "flood evidence: 100 connections and the time to answer again" \
    "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"flood of 100 connections \\\\([0-9]+ opened, [0-9]+ refused, [0-9]+ unanswered[^)]*\\\\) held 500 ms, answered again in [0-9]+ ms\")))"
check "$R" "the other services are named out of scope" \
    "[$EV[] | select(.detail | test(\"out of this check's scope\"))] | length == 8"

# A second fragile server: the flood does not kill it, the long campaign's header does.
A_FRAGILE2=127.0.16.3
python3 "$HERE/robust/fragile_http.py" "$A_FRAGILE2" "$P_HTTP" 2>fragile2.log & PIDS+=($!)
wait_listening 50 "$A_FRAGILE2:$P_HTTP" || bail "the second fragile server did not come up"
run fragile_long $A_FRAGILE2 long.yaml --intrusive
check "$R" "long campaign on the fragile server: FAIL on variant 0's header, never PASS" \
    "$V | .verdict == \"FAIL\" and (.reason | test(\"http-header-64k\"))"
summary
