#!/usr/bin/env bash
# unauth.sh - auth.unauthenticated (S1.1-01) against real servers on loopback:
#   127.0.4.1  everything open: busybox httpd serving /admin/ openly, mosquitto anonymous with a
#              retained message, coap-server-notls, vsftpd anonymous, snmpd with community public,
#              busybox telnetd -l /bin/sh                                           → FAIL per service
#   127.0.4.2  everything closed: httpd with Basic /admin, mosquitto with password_file (plain and
#              TLS), vsftpd without anonymous, snmpd with a non-default community, telnetd with a
#              login program, sshd with passwords only                              → PASS
#   127.0.4.3  openssl s_server -www: 200 with the same page for any path (soft 404) → not FAIL
#   127.0.4.4  the open httpd, its /admin/ declared public                         → not FAIL
#   127.0.4.5  telnetd whose shell prints a 40 KB banner first: our marker comes after more text
#              than the session keeps                                             → FAIL
#   127.0.7.1  coap-server-notls with 24 more resources PUT before the scan, so /.well-known/core
#              comes in Block2 blocks: a resource listed only after the first block is read → FAIL
#   127.0.7.2  coap-server-openssl with a certificate only (no PSK, no client check): an anonymous
#              client finishes the DTLS handshake and reads the resources over DTLS  → FAIL
#   127.0.7.3  coap-server-openssl with a PSK only: the handshake without it fails  → PASS
# Every server is started here, its PID recorded and killed on exit.
#
# Usage: tests/integration/unauth.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir unauth
chmod 755 "$WORK"
A_OPEN=127.0.4.1 A_SHUT=127.0.4.2 A_SOFT=127.0.4.3 A_PUB=127.0.4.4 A_FLOOD=127.0.4.5
A_CBLK=127.0.7.1 A_CCERT=127.0.7.2 A_CPSK=127.0.7.3
P_HTTP=20080 P_FTP=20021 P_TELNET=20023 P_TELNET2=20024 P_SSH=20022 P_MQTT=21883 P_MQTTS=28883 P_HTTPS=20443
on_exit
# check's failure detail: the auth.unauthenticated check of S1.1-01
CHECK_LABEL=S1.1-01 CHECK_SHOW='.requirements[] | select(.id=="S1.1-01") | .checks[0] | {verdict, reason}'
# evidence of auth.unauthenticated under S1.1-01
EV='[.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .evidence[]]'
VERDICT='(.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .verdict)'

cd "$WORK" || exit 70
for a in $A_OPEN $A_SHUT $A_SOFT $A_PUB $A_FLOOD $A_CBLK $A_CCERT $A_CPSK; do
    if listening "tcp+udp/$a:"; then bail "$a is in use on this machine"; fi
done

# ---- content ----
mkdir -p www/admin www/config empty/ftp-root/pub ftp-empty
echo '<html>welcome</html>' > www/index.html
echo '<html><h1>Admin</h1><form>Wi-Fi key: <input name="psk" value="hunter22"></form></html>' > www/admin/index.html
# A settings page whose old login form is left in a comment: the page is open, not a login gate.
echo '<html><h1>Device config</h1><!-- <form action="/login"><input name="user"><input type="password" name="pw"></form> --><p><a href="/reboot">Reboot</a></p></html>' > www/config/index.html
echo 'A:*' > open.conf
printf 'A:*\n/admin:admin:s3cret\n/config:admin:s3cret\n' > basic.conf
printf 'A:*\n/config:admin:s3cret\n' > pub.conf
echo 'readme' > empty/ftp-root/pub/README
chmod 755 empty/ftp-root
make_cert tls /CN=unauth-test ec 2
ssh_key host_ed25519 ed25519

# ---- 127.0.4.1: open ----
cat > mq-open.conf <<CFG
listener $P_MQTT $A_OPEN
allow_anonymous true
persistence false
CFG
cat > ftp-open.conf <<CFG
listen=YES
listen_address=$A_OPEN
listen_port=$P_FTP
background=NO
anonymous_enable=YES
local_enable=NO
anon_root=$WORK/empty/ftp-root
secure_chroot_dir=$WORK/ftp-empty
pasv_enable=NO
seccomp_sandbox=NO
CFG
cat > snmp-open.conf <<CFG
agentaddress udp:$A_OPEN:161
rocommunity public
sysDescr starprobe-unauth-test open agent
CFG
busybox httpd -f -p "$A_OPEN:$P_HTTP" -h www -c "$WORK/open.conf" & PIDS+=($!)
mosquitto -c mq-open.conf >mq-open.log 2>&1 & PIDS+=($!)
coap-server-notls -A "$A_OPEN" -p 5683 >coap.log 2>&1 & PIDS+=($!)
vsftpd ftp-open.conf >ftp-open.log 2>&1 & PIDS+=($!)
snmpd -f -C -c snmp-open.conf -Lf snmp-open.log -p snmp-open.pid >/dev/null 2>&1 & PIDS+=($!)
busybox telnetd -F -p "$P_TELNET" -b "$A_OPEN" -l /bin/sh & PIDS+=($!)
# A shell whose banner talks about logins and passwords: words are not a login prompt.
printf '#!/bin/sh\nprintf "Last login: Mon Nov 16 from console\\r\\nEnter the admin password in the web UI to change settings\\r\\n"\nexec /bin/sh\n' > chatty-shell.sh
chmod 755 chatty-shell.sh
busybox telnetd -F -p "$P_TELNET2" -b "$A_OPEN" -l "$WORK/chatty-shell.sh" & PIDS+=($!)

# ---- 127.0.4.2: closed ----
printf 'telemetry:%s\n' 'not-the-default-42' > mq-passwd
mosquitto_passwd -U mq-passwd 2>/dev/null
chmod 0644 mq-passwd tls.key   # mosquitto drops to its own user and reads them
cat > mq-shut.conf <<CFG
per_listener_settings false
allow_anonymous false
password_file $WORK/mq-passwd
persistence false
listener $P_MQTT $A_SHUT
listener $P_MQTTS $A_SHUT
certfile $WORK/tls.crt
keyfile $WORK/tls.key
CFG
sed -e "s/$A_OPEN/$A_SHUT/; s/anonymous_enable=YES/anonymous_enable=NO/; s/local_enable=NO/local_enable=YES/" ftp-open.conf > ftp-shut.conf
cat > snmp-shut.conf <<CFG
agentaddress udp:$A_SHUT:161
rocommunity n0t-a-default-c0mmunity
CFG
printf '#!/bin/sh\nprintf "Device login: "\nread u\nprintf "Password: "\nread p\necho "Login incorrect"\n' > login.sh
chmod 755 login.sh
cat > sshd_config <<CFG
ListenAddress $A_SHUT:$P_SSH
HostKey $WORK/host_ed25519
PidFile none
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
CFG
mkdir -p /run/sshd
busybox httpd -f -p "$A_SHUT:$P_HTTP" -h www -c "$WORK/basic.conf" & PIDS+=($!)
mosquitto -c mq-shut.conf >mq-shut.log 2>&1 & PIDS+=($!)
vsftpd ftp-shut.conf >ftp-shut.log 2>&1 & PIDS+=($!)
snmpd -f -C -c snmp-shut.conf -Lf snmp-shut.log -p snmp-shut.pid >/dev/null 2>&1 & PIDS+=($!)
busybox telnetd -F -p "$P_TELNET" -b "$A_SHUT" -l "$WORK/login.sh" & PIDS+=($!)
/usr/sbin/sshd -D -e -f sshd_config 2>sshd.log & PIDS+=($!)

# ---- 127.0.4.3: soft 404 over HTTPS; 127.0.4.4: the open httpd again, declared public ----
openssl s_server -quiet -accept "$A_SOFT:$P_HTTPS" -cert tls.crt -key tls.key -www >/dev/null 2>&1 & PIDS+=($!)
busybox httpd -f -p "$A_PUB:$P_HTTP" -h www -c "$WORK/pub.conf" & PIDS+=($!)
# ---- 127.0.4.5: a shell without login behind a banner far larger than the session keeps ----
cat > flood-shell.sh <<'EOS'
#!/bin/sh
awk 'BEGIN { for (i = 0; i < 600; i++) printf "banner %04d ..........................................................\r\n", i }'
exec /bin/sh
EOS
chmod 755 flood-shell.sh
busybox telnetd -F -p "$P_TELNET" -b "$A_FLOOD" -l "$WORK/flood-shell.sh" & PIDS+=($!)

# ---- 127.0.7.1-3: CoAP block-wise, and CoAP over DTLS with a certificate only or a PSK only ----
# Each coap-server-openssl also answers plain CoAP on 5683; those scans look at udp/5684 only.
coap-server-notls -A "$A_CBLK" -p 5683 -d 64 >coap-blk.log 2>&1 & PIDS+=($!)
coap-server-openssl -A "$A_CCERT" -p 5683 -c "$WORK/tls.crt" -j "$WORK/tls.key" >coap-cert.log 2>&1 & PIDS+=($!)
coap-server-openssl -A "$A_CPSK" -p 5683 -k 'unauth-psk-0123456789' -h unauth-id >coap-psk.log 2>&1 & PIDS+=($!)

for _ in $(seq 50); do
    n=$(ss -lntuH | grep -cE "127\.0\.4\.[1-4]:")
    [ "$n" -ge 16 ] && break; sleep 0.1
done
wait_listening 50 "$A_FLOOD:$P_TELNET" || not_ok "telnet on $A_FLOOD listening"
wait_listening 50 "udp/$A_CBLK:5683" "udp/$A_CCERT:5684" "udp/$A_CPSK:5684" || not_ok "coap servers on 127.0.7.1-3 listening"
# 24 resources with long names: about 1.7 KB of link format, so discovery takes two blocks of 1024.
for i in $(seq -w 1 24); do
    coap-client-notls -m put -e "reading $i" "coap://$A_CBLK/sensors/room-0$i/temperature-reading" >/dev/null 2>&1 \
        || not_ok "coap resource room-0$i created"
done
mosquitto_pub -h "$A_OPEN" -p "$P_MQTT" -r -t 'cam/ipc/config/wifi' -m 'ssid=lab psk=hunter22' 2>/dev/null \
    || not_ok "retained message published"

lab_profile lab.yaml unauth-lab "{tcp_ports: \"$P_FTP,$P_SSH,$P_TELNET,$P_TELNET2,$P_HTTP,$P_HTTPS,$P_MQTT,$P_MQTTS\", udp_ports: [161, 5683]}"
printf '  - id: S1.1-01\n    checks:\n      - probe: auth.unauthenticated\n        with: {mqtt_subscribe_wait_ms: 1000}\n' >> lab.yaml

assess() { # ADDR OUTDIR [DEVICE]
    local dev=()
    [ -n "${3:-}" ] && dev=(-d "$3")
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./lab.yaml -t "$1" "${dev[@]}" -o "$2" --quiet \
        --deadline 120 >"$2.stdout" 2>"$2.stderr"
    [ -s "$2/report.json" ] || not_ok "report for $1 written" "$(head -c 600 "$2.stderr")"
}

# ---- open ----
assess $A_OPEN open
R=open/report.json
check $R "open: services found" "[.services[] | \"\(.transport)/\(.port) \(.service)\"] | sort == ([\"tcp/$P_FTP ftp\", \"tcp/$P_MQTT mqtt\", \"tcp/$P_HTTP http\", \"tcp/$P_TELNET telnet\", \"tcp/$P_TELNET2 telnet\", \"udp/161 snmp\", \"udp/5683 coap\"] | sort)"
check $R "open: S1.1-01 FAIL" "$VERDICT == \"FAIL\""
check $R "open: http /admin FAIL with status line and excerpt" "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"/admin open without credentials: HTTP/1.[01] 200\") and test(\"Wi-Fi key\")))"
check $R "open: http facts list /admin" ".services[] | select(.port == $P_HTTP) | .http.unauthenticated | any(.path == \"/admin\" and .status == 200)"
check $R "open: mqtt anonymous FAIL, retained topic in evidence" "$EV | any(.service == \"tcp/$P_MQTT\" and (.detail | test(\"cam/ipc/config/wifi\")))"
check $R "open: mqtt facts anonymous with the topic" ".services[] | select(.port == $P_MQTT) | .mqtt.anonymous == true and (.mqtt.topics | index(\"cam/ipc/config/wifi\") != null)"
check $R "open: coap resources open (/time)" "$EV | any(.service == \"udp/5683\" and (.detail | test(\"/time open without credentials\")))"
check $R "open: coap facts list resources" ".services[] | select(.port == 5683) | (.coap.resources | length) >= 2 and (.coap.open | length) >= 1"
check $R "open: ftp anonymous FAIL" "$EV | any(.service == \"tcp/$P_FTP\" and (.detail | test(\"anonymous open.*230\")))"
check $R "open: snmp public FAIL with sysDescr" "$EV | any(.service == \"udp/161\" and (.detail | test(\"community public.*starprobe-unauth-test\")))"
check $R "open: snmp facts communities" ".services[] | select(.port == 161) | .snmp.communities | index(\"public\") != null"
check $R "open: a login form inside an HTML comment is no gate: /config is open" \
    ".services[] | select(.port == $P_HTTP) | [.unauth.items[] | select(.item == \"/config\")] | length == 1 and .[0].result == \"open\""
check $R "open: telnet shell without login FAIL (SP42MARK)" "$EV | any(.service == \"tcp/$P_TELNET\" and (.detail | test(\"SP42MARK came back\")))"
check $R "open: a shell whose banner says 'login'/'password' is still FAIL" "$EV | any(.service == \"tcp/$P_TELNET2\" and (.detail | test(\"SP42MARK came back\")))"

# ---- closed ----
assess $A_SHUT shut
R=shut/report.json
# The SNMP agent with a non-default community is silent to "public" and found by SNMPv3 engine
# discovery (before, it went unseen and the list below had no udp/161).
check $R "closed: services found" "[.services[] | \"\(.transport)/\(.port) \(.service)\"] | sort == ([\"tcp/$P_FTP ftp\", \"tcp/$P_MQTTS mqtts\", \"tcp/$P_MQTT mqtt\", \"tcp/$P_SSH ssh\", \"tcp/$P_HTTP http\", \"tcp/$P_TELNET telnet\", \"udp/161 snmpv3\"] | sort)"
check $R "closed: the SNMP agent's communities public and private were tried and refused" \
    '.services[] | select(.port == 161) | ([.unauth.items[] | select(.result == "open")] | length == 0) and (.unauth.items | length) >= 4'
check $R "closed: S1.1-01 PASS" "$VERDICT == \"PASS\""
check $R "closed: http /admin answered 401" "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"/admin: HTTP/1.[01] 401\")))"
check $R "closed: mqtt CONNACK 5" "$EV | any(.service == \"tcp/$P_MQTT\" and (.detail | test(\"CONNACK code 0x05\")))"
check $R "closed: mqtts over TLS CONNACK 5" "$EV | any(.service == \"tcp/$P_MQTTS\" and (.detail | test(\"CONNACK code 0x05\")))"
check $R "closed: ftp anonymous refused" "$EV | any(.service == \"tcp/$P_FTP\" and (.detail | test(\"530\")))"
check $R "closed: telnet asks for a login" "$EV | any(.service == \"tcp/$P_TELNET\" and (.detail | test(\"login\")))"
check $R "closed: ssh none refused (libssh)" "$EV | any(.service == \"tcp/$P_SSH\" and (.detail | test(\"none. authentication refused\")))"
check $R "closed: snmp with a private community is not listed as snmp" '[.services[] | select(.service == "snmp")] | length == 0'

# ---- soft 404 ----
assess $A_SOFT soft
R=soft/report.json
check $R "soft-404: https service found" ".services[] | select(.port == $P_HTTPS) | .service == \"https\""
check $R "soft-404: S1.1-01 not FAIL (INCONCLUSIVE)" "$VERDICT == \"INCONCLUSIVE\""
check $R "soft-404: evidence says the server answers 2xx to anything" "$EV | any(.service == \"tcp/$P_HTTPS\" and (.detail | test(\"answers 2xx to anything\")))"

# ---- declared public ----
printf 'device: {vendor: Test, model: Public, firmware: "0"}\nservices:\n  - {port: %s, service: http, public: ["/", "/admin/"]}\n' "$P_HTTP" > pub.yaml
assess $A_PUB pub pub.yaml
R=pub/report.json
check $R "declared public: S1.1-01 not FAIL" "$VERDICT != \"FAIL\""
check $R "declared public: evidence names the exemption" "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"declared public .entry ./admin/.\")))"

# ---- a shell behind a 40 KB banner ----
assess $A_FLOOD flood
R=flood/report.json
check $R "flood banner: telnet shell without login still FAIL (SP42MARK after the banner)" \
    "$VERDICT == \"FAIL\" and ($EV | any(.service == \"tcp/$P_TELNET\" and (.detail | test(\"SP42MARK came back\"))))"

# ---- CoAP: discovery in Block2 blocks ----
lab_profile coap.yaml coap-lab "{tcp_ports: \"$P_HTTP\", udp_ports: [5683]}"
lab_profile coaps.yaml coaps-lab "{tcp_ports: \"$P_HTTP\", udp_ports: [5684]}"
assess_coap() { # ADDR OUTDIR PROFILE
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p "./$3" -t "$1" -o "$2" --quiet --deadline 120 \
        >"$2.stdout" 2>"$2.stderr"
    [ -s "$2/report.json" ] || not_ok "report for $1 written" "$(head -c 600 "$2.stderr")"
}
assess_coap $A_CBLK coap-blk coap.yaml
R=coap-blk/report.json
LATE=/sensors/room-024/temperature-reading
check $R "coap blocks: udp/5683 is coap" '.services[] | select(.port == 5683) | .service == "coap"'
check $R "coap blocks: discovery came in more than one block" '.services[] | select(.port == 5683) | .coap.discovery_blocks >= 2 and .coap.discovery_bytes > 1024'
check $R "coap blocks: a resource listed only after the first block is in the list" \
    ".services[] | select(.port == 5683) | .coap.resources | index(\"$LATE\") != null" '.services[] | .coap'
check $R "coap blocks: and was read without credentials" \
    "$EV | any(.service == \"udp/5683\" and (.detail | test(\"$LATE open without credentials.*reading 24\")))"
check $R "coap blocks: S1.1-01 FAIL" "$VERDICT == \"FAIL\""

# ---- CoAP over DTLS, certificate only: anyone finishes the handshake ----
assess_coap $A_CCERT coap-cert coaps.yaml
R=coap-cert/report.json
check $R "coaps cert-only: udp/5684 is dtls" '.services[] | select(.port == 5684) | .service == "dtls"'
check $R "coaps cert-only: the handshake without credentials completed" '.services[] | select(.port == 5684) | .coap.anonymous_handshake == true and .coap.transport == "dtls"'
check $R "coaps cert-only: /time read over DTLS without credentials" \
    "$EV | any(.service == \"udp/5684\" and (.detail | test(\"/time open without credentials.*DTLS, no client credentials\")))"
check $R "coaps cert-only: S1.1-01 FAIL (not protected by the handshake alone)" "$VERDICT == \"FAIL\""

# ---- CoAP over DTLS, PSK only ----
assess_coap $A_CPSK coap-psk coaps.yaml
R=coap-psk/report.json
check $R "coaps psk-only: udp/5684 is dtls" '.services[] | select(.port == 5684) | .service == "dtls"'
check $R "coaps psk-only: the handshake without the PSK failed" '.services[] | select(.port == 5684) | .coap.anonymous_handshake == false'
check $R "coaps psk-only: evidence names the refused handshake" \
    "$EV | any(.service == \"udp/5684\" and (.detail | test(\"handshake without credentials refused\")))"
check $R "coaps psk-only: S1.1-01 PASS" "$VERDICT == \"PASS\""

summary
