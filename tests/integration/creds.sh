#!/usr/bin/env bash
# creds.sh - creds.defaults (S1.1-02) and auth.bruteforce (S1.1-04) against real servers on
# 127.0.3.x: OpenSSH (password; key-only), dropbear, busybox telnetd with camera-style login
# scripts, busybox httpd with Basic, lighttpd with Digest MD5 and SHA-256, mosquitto (anonymous,
# password file, TLS), vsftpd (local user; anonymous), snmpd (public; private community).
# Every default login must be found and every non-default one not; no false positive on an HTTP
# server answering 200 to anything, nor on a telnet that prints '#' and echoes what it is sent.
# Two chatty telnets guard the session buffer: one accepts any password and then prints a line
# every 5 ms forever (starprobe once died of SIGSEGV there), one prints a long banner after the
# login and only then starts its shell (the shell's answer comes after the buffer has slid).
#
# System-account servers (sshd, dropbear, vsftpd) see their own passwd/shadow through a private
# mount namespace (unshare -m + bind mounts), never the host's files.
#
# Usage: tests/integration/creds.sh ./starprobe      (root: binds udp/161, unshare -m)
# shellcheck disable=SC2015 # "test && ok || not_ok" is safe: ok always returns 0
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir creds
chmod 755 "$WORK"
NOBODY=$(id -u nobody)
on_exit
# check's failure detail: the credentials found
CHECK_LABEL=credentials CHECK_SHOW=.credentials
if [ "$(id -u)" != 0 ]; then bail "creds.sh needs root (udp/161, unshare -m)"; fi

cd "$WORK" || exit 70

# ---- addresses and ports (all ours) ----
A_SSH=127.0.3.1 A_SSHKEY=127.0.3.2 A_DROP=127.0.3.3 A_TEL=127.0.3.4 A_TELNO=127.0.3.5
A_BASIC=127.0.3.6 A_BASICNO=127.0.3.7 A_OPEN=127.0.3.8 A_DIG5=127.0.3.9 A_DIG256=127.0.3.10
A_MQANON=127.0.3.11 A_MQPW=127.0.3.12 A_MQTLS=127.0.3.13 A_MQNO=127.0.3.14
A_FTP=127.0.3.15 A_FTPANON=127.0.3.16 A_SNMP=127.0.3.17 A_SNMPNO=127.0.3.18 A_GATE=127.0.3.19
A_FAKE=127.0.3.20 A_FLOOD=127.0.3.21 A_MOTD=127.0.3.22 A_SNMPMGR=127.0.3.23 A_HI=127.0.3.24 A_SILENT=127.0.3.25
P_SSH=20022 P_TEL=20023 P_HTTP=20080 P_MQTT=21883 P_MQTTS=28883 P_FTP=20021 P_HTTPS=20443

for ap in $A_SSH:$P_SSH $A_SSHKEY:$P_SSH $A_DROP:$P_SSH $A_TEL:$P_TEL $A_TELNO:$P_TEL $A_FAKE:$P_TEL \
          $A_BASIC:$P_HTTP $A_BASICNO:$P_HTTP $A_OPEN:$P_HTTP $A_DIG5:$P_HTTP $A_DIG256:$P_HTTP \
          $A_GATE:$P_HTTPS $A_MQANON:$P_MQTT $A_MQPW:$P_MQTT $A_MQTLS:$P_MQTTS $A_MQNO:$P_MQTT \
          $A_FTP:$P_FTP $A_FTPANON:$P_FTP $A_SNMP:161 $A_SNMPNO:161 $A_SNMPMGR:161 $A_FLOOD:$P_TEL $A_MOTD:$P_TEL; do
    if listening "tcp+udp/$ap"; then bail "$ap is busy on this machine"; fi
done

# ---- device accounts, never in the host's files ----
# root/xc3511 (Mirai), ubnt/ubnt (dropbear), support/support (ftp), operator/a long random one.
hash() { openssl passwd -6 "$1"; }
mkdir -p etc home/root home/ubnt home/support srv/ftp empty run/sshd
chmod 755 home/* && chown "$NOBODY:$NOBODY" home/root home/ubnt home/support
OPERPW="Op-$(openssl rand -hex 12)"
{
    echo "root:x:$NOBODY:$NOBODY:root:$WORK/home/root:/bin/sh"
    echo "ubnt:x:$NOBODY:$NOBODY:ubnt:$WORK/home/ubnt:/bin/sh"
    echo "support:x:$NOBODY:$NOBODY:support:$WORK/home/support:/bin/sh"
    echo "operator:x:$NOBODY:$NOBODY:operator:$WORK/home/root:/bin/sh"
    echo "sshd:x:$NOBODY:$NOBODY::/run/sshd:/usr/sbin/nologin"
    echo "ftp:x:$NOBODY:$NOBODY::$WORK/srv/ftp:/usr/sbin/nologin"
    echo "nobody:x:$NOBODY:$NOBODY:nobody:/nonexistent:/usr/sbin/nologin"
} > etc/passwd
{
    echo "root:$(hash xc3511):19000:0:99999:7:::"
    echo "ubnt:$(hash ubnt):19000:0:99999:7:::"
    echo "support:$(hash support):19000:0:99999:7:::"
    echo "operator:$(hash "$OPERPW"):19000:0:99999:7:::"
    echo "sshd:*:19000:0:99999:7:::"; echo "ftp:*:19000:0:99999:7:::"; echo "nobody:*:19000:0:99999:7:::"
} > etc/shadow
chmod 644 etc/passwd; chmod 600 etc/shadow
printf '/bin/sh\n/usr/sbin/nologin\n' > etc/shells
accounts "$WORK/etc/passwd" "$WORK/etc/shadow"

# ---- SSH: OpenSSH password, OpenSSH key-only, dropbear ----
ssh_key host_ed25519 ed25519
ssh_key client_ed25519 ed25519
mkdir -p /run/sshd
for kind in pw key; do
    addr=$A_SSH; [ $kind = key ] && addr=$A_SSHKEY
    {
        echo "ListenAddress $addr:$P_SSH"; echo "HostKey $WORK/host_ed25519"; echo "PidFile none"
        echo "UsePAM no"; echo "PermitRootLogin yes"; echo "MaxAuthTries 30"; echo "MaxStartups 50:30:100"
        echo "AuthorizedKeysFile none"; echo "StrictModes no"; echo "LogLevel ERROR"
        if [ $kind = pw ]; then echo "PasswordAuthentication yes"; echo "KbdInteractiveAuthentication no"
        else echo "PasswordAuthentication no"; echo "KbdInteractiveAuthentication no"; fi
    } > sshd_$kind.conf
    "${ACCOUNTS[@]}" /usr/sbin/sshd -D -e -f "$WORK/sshd_$kind.conf" 2>>sshd_$kind.log & PIDS+=($!)
done
dropbearkey -t ed25519 -f dropbear_ed25519 >/dev/null 2>&1
"${ACCOUNTS[@]}" dropbear -F -E -R -p "$A_DROP:$P_SSH" -r "$WORK/dropbear_ed25519" 2>>dropbear.log & PIDS+=($!)

# ---- telnet: camera login (root/vizxv), one with a strong password whose banner is full of '#',
# and a fake shell that accepts anything and echoes every line back without running it ----
cat > tel-login.sh <<'EOS'
#!/bin/sh
# $1 prompt style, $2 user, $3 password
printf '\r\n%s\r\n' "$4"
tries=0
while [ "$tries" -lt 3 ]; do
	if [ "$1" = cam ]; then printf '\r\nIPCam login: '; else printf '\r\nUser Name: '; fi
	IFS= read -r user || exit 0
	user=$(printf '%s' "$user" | tr -d '\r\000')
	[ -n "$user" ] || continue
	printf 'Password: '
	stty -echo 2>/dev/null; IFS= read -r pw || exit 0; stty echo 2>/dev/null
	printf '\r\n'
	pw=$(printf '%s' "$pw" | tr -d '\r\000')
	if [ "$user" = "$2" ] && [ "$pw" = "$3" ]; then
		exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/bin:/usr/bin PS1='# ' busybox sh -i
	fi
	printf 'Login incorrect\r\n'
	tries=$((tries + 1))
done
exit 1
EOS
cat > tel-fake.sh <<'EOS'
#!/bin/sh
# Accepts any password, prints a root prompt, echoes lines back unevaluated: no shell at all.
printf '\r\nroot@cam:~# welcome # # $\r\nlogin: '
IFS= read -r user || exit 0
printf 'Password: '
IFS= read -r pw || exit 0
printf '\r\n# '
while IFS= read -r line; do printf '%s\r\n# ' "$line"; done
EOS
cat > tel-flood.sh <<'EOS'
#!/bin/sh
# $1 flood: accepts any password, then prints a line every 5 ms until the connection goes.
# $1 motd: root/vizxv only, then a banner much larger than any receive buffer, then a shell.
printf '\r\nlogin: '
IFS= read -r user || exit 0
user=$(printf '%s' "$user" | tr -d '\r\000')
printf 'Password: '
IFS= read -r pw || exit 0
pw=$(printf '%s' "$pw" | tr -d '\r\000')
printf '\r\n'
if [ "$1" = flood ]; then
	i=0
	while :; do
		i=$((i + 1))
		printf 'sensor %08d temperature=21.5 humidity=40 status=ok\r\n' "$i" || exit 0
		sleep 0.005
	done
fi
if [ "$user" != root ] || [ "$pw" != vizxv ]; then printf 'Login incorrect\r\n'; exit 1; fi
awk 'BEGIN { for (i = 0; i < 800; i++) printf "motd %04d ..................................................\r\n", i }'
exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i PATH=/bin:/usr/bin PS1='# ' busybox sh -i
EOS
printf '#!/bin/sh\nexec sh %s/tel-login.sh cam root vizxv "IPC-200 camera"\n' "$WORK" > tel-cam
printf '#!/bin/sh\nexec sh %s/tel-login.sh vendor admin "%s" "### root@gw # ready # \\$ ###"\n' "$WORK" "$OPERPW" > tel-strong
printf '#!/bin/sh\nexec sh %s/tel-fake.sh\n' "$WORK" > tel-fake
printf '#!/bin/sh\nexec sh %s/tel-flood.sh flood\n' "$WORK" > tel-flood
printf '#!/bin/sh\nexec sh %s/tel-flood.sh motd\n' "$WORK" > tel-motd
chmod 755 tel-cam tel-strong tel-fake tel-login.sh tel-fake.sh tel-flood tel-motd tel-flood.sh
busybox telnetd -F -p $P_TEL -b $A_TEL -l "$WORK/tel-cam" & PIDS+=($!)
busybox telnetd -F -p $P_TEL -b $A_TELNO -l "$WORK/tel-strong" & PIDS+=($!)
busybox telnetd -F -p $P_TEL -b $A_FAKE -l "$WORK/tel-fake" & PIDS+=($!)
busybox telnetd -F -p $P_TEL -b $A_FLOOD -l "$WORK/tel-flood" & PIDS+=($!)
busybox telnetd -F -p $P_TEL -b $A_MOTD -l "$WORK/tel-motd" & PIDS+=($!)

# ---- HTTP: Basic admin/password, Basic with a strong password, open (200 to anything) ----
mkdir -p www/admin www/cgi-bin
echo '<html>public</html>' > www/index.html
echo '<html>admin</html>' > www/admin/index.html
printf 'A:*\n/admin:admin:password\n' > httpd-basic.conf
printf 'A:*\n/admin:admin:%s\n' "$OPERPW" > httpd-basicno.conf
busybox httpd -f -p $A_BASIC:$P_HTTP -h www -c "$WORK/httpd-basic.conf" -r cam & PIDS+=($!)
busybox httpd -f -p $A_BASICNO:$P_HTTP -h www -c "$WORK/httpd-basicno.conf" -r cam & PIDS+=($!)
# A HiSilicon-style default far down root's list (its ~21st pair), on a server that never throttles.
printf 'A:*\n/admin:root:hi3518\n' > httpd-hi.conf
busybox httpd -f -p $A_HI:$P_HTTP -h www -c "$WORK/httpd-hi.conf" -r cam & PIDS+=($!)
# "200 to anything": a CGI as the index of every path, no auth anywhere
mkdir -p www-open/cgi-bin
printf '#!/bin/sh\nprintf "Content-Type: text/html\\r\\n\\r\\n<html>ok</html>\\n"\n' > www-open/cgi-bin/any
chmod 755 www-open/cgi-bin/any
printf 'E404:%s/www-open/index.html\n' "$WORK" > httpd-open.conf
echo '<html>ok</html>' > www-open/index.html
for d in admin api config setup system; do mkdir -p "www-open/$d"; echo '<html>ok</html>' > "www-open/$d/index.html"; done
busybox httpd -f -p $A_OPEN:$P_HTTP -h www-open -c "$WORK/httpd-open.conf" & PIDS+=($!)

# ---- HTTP Digest (lighttpd mod_auth): MD5 admin/admin; SHA-256 guest/guest ----
mkdir -p www-dig
echo '<html>digest</html>' > www-dig/index.html
digest_line() { printf '%s:%s:%s\n' "$1" "$2" "$(printf '%s:%s:%s' "$1" "$2" "$3" | "$4" | cut -d' ' -f1)"; }
digest_line admin cam admin md5sum > htdigest5
digest_line guest cam guest sha256sum > htdigest256
for alg in 5 256; do
    addr=$A_DIG5; algo=MD5; [ $alg = 256 ] && { addr=$A_DIG256; algo=SHA-256; }
    cat > lighttpd$alg.conf <<CFG
server.document-root = "$WORK/www-dig"
server.bind = "$addr"
server.port = $P_HTTP
server.modules = ("mod_auth", "mod_authn_file")
index-file.names = ("index.html")
server.errorlog = "$WORK/lighttpd$alg.log"
auth.backend = "htdigest"
auth.backend.htdigest.userfile = "$WORK/htdigest$alg"
auth.require = ("/" => ("method" => "digest", "algorithm" => "$algo", "realm" => "cam", "require" => "valid-user"))
CFG
    lighttpd -D -f "$WORK/lighttpd$alg.conf" & PIDS+=($!)
done

make_cert mq /CN=creds-test ec 2
chmod 644 mq.key
# ---- brute-force lockout gate (tests/testbed/hardened/https-gate.in) over plain HTTP ----
mkdir -p lock www-gate/admin
echo '<html>gw</html>' > www-gate/index.html; echo '<html>gw admin</html>' > www-gate/admin/index.html
GATEPW="Gw-$(openssl rand -hex 10)"
printf 'A:*\n/admin:admin:%s\n' "$GATEPW" > httpd-gate.conf
sed -e 's/@MAX_FAILURES@/5/' -e 's/@LOCK_SECONDS@/60/' "$ROOT/tests/testbed/hardened/https-gate.in" > gate
chmod 755 gate
# stunnel runs the gate per connection, as on the hardened device: this is also the HTTPS login test.
cat > stunnel-gate.conf <<CFG
foreground = yes
pid =
debug = notice
syslog = no
[gate]
accept = $A_GATE:$P_HTTPS
cert = $WORK/mq.crt
key = $WORK/mq.key
sslVersionMin = TLSv1.2
TIMEOUTclose = 0
exec = $WORK/gate
execArgs = gate $WORK/www-gate $WORK/httpd-gate.conf $WORK/lock
CFG
stunnel4 "$WORK/stunnel-gate.conf" 2>gate.log & PIDS+=($!)
# The same gate locking silently: one failure locks the user name for 60 s, and a locked account gets
# a plain 401, right password or not. Only the declared test account no longer logging in shows it.
mkdir -p lock-silent
sed -e 's/@MAX_FAILURES@/1/' -e 's/@LOCK_SECONDS@/60/' \
    -e 's|429 Too Many Requests\\r\\nRetry-After|401 Unauthorized\\r\\nWWW-Authenticate: Basic realm="GW-7 administration"\\r\\nX-Locked-For|' \
    "$ROOT/tests/testbed/hardened/https-gate.in" > gate-silent
chmod 755 gate-silent
grep -q 'X-Locked-For' gate-silent || bail "the silent gate could not be made from https-gate.in"
sed -e "s|^accept = .*|accept = $A_SILENT:$P_HTTPS|" -e "s|^\[gate\]|[gate-silent]|" \
    -e "s|^exec = .*|exec = $WORK/gate-silent|" -e "s|^execArgs = .*|execArgs = gate $WORK/www-gate $WORK/httpd-gate.conf $WORK/lock-silent|" \
    stunnel-gate.conf > stunnel-silent.conf
stunnel4 "$WORK/stunnel-silent.conf" 2>gate-silent.log & PIDS+=($!)

# ---- MQTT: anonymous; password file admin/admin; TLS with user/user; strong-only ----
mosquitto_passwd -b -c mq-pw admin admin 2>/dev/null
mosquitto_passwd -b mq-pw operator "$OPERPW" 2>/dev/null
mosquitto_passwd -b -c mq-tls user user 2>/dev/null
mosquitto_passwd -b -c mq-no operator "$OPERPW" 2>/dev/null
chmod 644 mq-pw mq-tls mq-no mq.key
printf 'listener %s %s\nallow_anonymous true\npersistence false\n' $P_MQTT $A_MQANON > mq-anon.conf
printf 'listener %s %s\nallow_anonymous false\npassword_file %s/mq-pw\npersistence false\n' $P_MQTT $A_MQPW "$WORK" > mq-pw.conf
printf 'listener %s %s\nallow_anonymous false\npassword_file %s/mq-tls\ncertfile %s/mq.crt\nkeyfile %s/mq.key\npersistence false\n' \
    $P_MQTTS $A_MQTLS "$WORK" "$WORK" "$WORK" > mq-tls.conf
printf 'listener %s %s\nallow_anonymous false\npassword_file %s/mq-no\npersistence false\n' $P_MQTT $A_MQNO "$WORK" > mq-no.conf
for c in anon pw tls no; do mosquitto -c "$WORK/mq-$c.conf" >"mq-$c.log" 2>&1 & PIDS+=($!); done

# ---- FTP: vsftpd with a local user (support/support); vsftpd anonymous only ----
mkdir -p /var/run/vsftpd/empty
chmod 555 srv/ftp
for kind in local anon; do
    addr=$A_FTP; [ $kind = anon ] && addr=$A_FTPANON
    {
        echo "listen=YES"; echo "listen_address=$addr"; echo "listen_port=$P_FTP"; echo "background=NO"
        echo "secure_chroot_dir=$WORK/empty"; echo "pam_service_name=vsftpd"; echo "seccomp_sandbox=NO"
        echo "nopriv_user=nobody"; echo "ftp_username=ftp"; echo "anon_root=$WORK/srv/ftp"
        echo "check_shell=NO"; echo "delay_failed_login=0"; echo "max_login_fails=10"
        echo "xferlog_enable=NO"; echo "vsftpd_log_file=$WORK/vsftpd-$kind.log"
        if [ $kind = local ]; then echo "local_enable=YES"; echo "anonymous_enable=NO"
        else echo "local_enable=NO"; echo "anonymous_enable=YES"; echo "no_anon_password=NO"; fi
    } > vsftpd-$kind.conf
    "${ACCOUNTS[@]}" vsftpd "$WORK/vsftpd-$kind.conf" & PIDS+=($!)
done

# ---- SNMP: community public readable; another agent with a private community only ----
printf 'agentaddress udp:%s:161\nrocommunity public 127.0.0.0/8\nsysDescr creds-test agent\n' $A_SNMP > snmp.conf
printf 'agentaddress udp:%s:161\nrocommunity Zq-%s 127.0.0.0/8\n' $A_SNMPNO "$(openssl rand -hex 6)" > snmpno.conf
# A vendor default that is neither public nor private: silent to the scan's "public" request, found
# by SNMPv3 engine discovery, then its community found by the sweep.
printf 'agentaddress udp:%s:161\nrocommunity manager 127.0.0.0/8\n' $A_SNMPMGR > snmpmgr.conf
for c in snmp snmpno snmpmgr; do snmpd -f -C -c "$WORK/$c.conf" -Lf "$WORK/$c.log" -p "$WORK/$c.pid" -u nobody & PIDS+=($!); done

# ---- wait for every listener ----
LISTENERS=()
for ap in $A_SSH:$P_SSH $A_SSHKEY:$P_SSH $A_DROP:$P_SSH $A_TEL:$P_TEL $A_TELNO:$P_TEL $A_FAKE:$P_TEL \
          $A_BASIC:$P_HTTP $A_BASICNO:$P_HTTP $A_OPEN:$P_HTTP $A_DIG5:$P_HTTP $A_DIG256:$P_HTTP \
          $A_GATE:$P_HTTPS $A_MQANON:$P_MQTT $A_MQPW:$P_MQTT $A_MQTLS:$P_MQTTS $A_MQNO:$P_MQTT \
          $A_FTP:$P_FTP $A_FTPANON:$P_FTP $A_SNMP:161; do
    LISTENERS+=("tcp+udp/$ap")
done
wait_listening 100 "${LISTENERS[@]}"
[ "$UP" = 19 ] && ok "all 19 test servers listening" || not_ok "test servers listening" "$UP of 19; see $WORK"
wait_listening 50 "$A_FLOOD:$P_TEL" "$A_MOTD:$P_TEL"
[ "$UP" = 2 ] && ok "both chatty telnets listening" || not_ok "chatty telnets listening" "$UP of 2; see $WORK"

# lab profile: star1 with the scan narrowed to our ports and the brute-force test made quick
lab_profile lab.yaml creds-lab "{tcp_ports: \"$P_FTP,$P_SSH,$P_TEL,$P_HTTP,$P_HTTPS,$P_MQTT,$P_MQTTS\", udp_ports: [161]}"
cat >> lab.yaml <<CFG
  - id: S1.1-04
    checks:
      - probe: auth.bruteforce
        with: {attempts: 8, max_attempts: 100, rate_per_s: 20, min_delay_ms: 2000, growth_ms: 1000}
CFG

# assess ADDR NAME [DEVICE] [extra args]
assess() {
    local addr=$1 name=$2 dev=${3:-}; shift 3
    local args=(-p ./lab.yaml -t "$addr" -o "out-$name" --quiet)
    [ -n "$dev" ] && args+=(-d "$dev")
    STARPROBE_PROFILES="$ROOT/profiles" timeout 300 "$SP" assess "${args[@]}" "$@" >"$name.out" 2>"$name.err"
    echo $? > "$name.rc"
}
# creds(REPORT): the credentials array, compact
S102='.requirements[] | select(.id == "S1.1-02") | .checks[] | select(.probe == "creds.defaults")'
S104='.requirements[] | select(.id == "S1.1-04") | .checks[] | select(.probe == "auth.bruteforce")'

# Run every device at once: each is its own address, so they do not compete for a device's cap.
assess $A_SSH ssh "" & a1=$!
assess $A_SSHKEY sshkey "" & a2=$!
assess $A_DROP drop "" & a3=$!
assess $A_TEL tel "" & a4=$!
assess $A_TELNO telno "" & a5=$!
assess $A_FAKE fake "" & a6=$!
assess $A_BASIC basic "" & a7=$!
assess $A_BASICNO basicno "" & a8=$!
assess $A_OPEN open "" & a9=$!
assess $A_DIG5 dig5 "" & a10=$!
assess $A_DIG256 dig256 "" & a11=$!
assess $A_MQANON mqanon "" & a12=$!
assess $A_MQPW mqpw "" & a13=$!
assess $A_MQTLS mqtls "" & a14=$!
assess $A_MQNO mqno "" & a15=$!
assess $A_FTP ftp "" & a16=$!
assess $A_FTPANON ftpanon "" & a17=$!
assess $A_SNMP snmp "" & a18=$!
assess $A_SNMPNO snmpno "" & a19=$!
assess $A_SNMPMGR snmpmgr "" & a22=$!
assess $A_FLOOD flood "" & a20=$!
assess $A_MOTD motd "" & a21=$!
wait $a1 $a2 $a3 $a4 $a5 $a6 $a7 $a8 $a9 $a10 $a11 $a12 $a13 $a14 $a15 $a16 $a17 $a18 $a19 $a20 $a21 $a22

cred() { echo "out-$1/report.json"; }
found() { # NAME SERVICE USER PASSWORD PROTOCOL
    check "$(cred "$1")" "$1: default $3/$4 found on $2 ($5)" \
        "[.credentials[] | select(.service == \"$2\" and .user == \"$3\" and .password == \"$4\")] | length == 1"
    check "$(cred "$1")" "$1: S1.1-02 creds.defaults FAIL with evidence for $2" \
        "$S102 | .verdict == \"FAIL\" and any(.evidence[]; .service == \"$2\" and (.detail | test(\"accepted\")))"
}
none_found() { # NAME DESCRIPTION
    check "$(cred "$1")" "$1: no credential found ($2)" '.credentials == []'
    check "$(cred "$1")" "$1: S1.1-02 creds.defaults not FAIL ($2)" "$S102 | .verdict != \"FAIL\""
}

found ssh "tcp/$P_SSH" root xc3511 "OpenSSH password"
check "$(cred ssh)" "ssh: transcript shows the echoed marker" "$S102 | any(.evidence[]; .detail | test(\"echo SP[A-Z0-9]+' -> 'SP[A-Z0-9]+\"))"
check "$(cred sshkey)" "sshkey: key-only OpenSSH refuses password logins (facts)" ".services[] | select(.port == $P_SSH) | .login.auth == \"none\""
check "$(cred sshkey)" "sshkey: S1.1-02 PASS (no password method at all)" "$S102 | .verdict == \"PASS\""
found drop "tcp/$P_SSH" root xc3511 "dropbear"
found tel "tcp/$P_TEL" root vizxv "busybox telnetd, camera login"
check "$(cred tel)" "tel: transcript shows the shell-computed marker" "$S102 | any(.evidence[]; .detail | test(\"SP42[A-Z0-9]+\"))"
none_found telno "telnet with a strong password and '#' in its banner"
check "$(cred telno)" "telno: attempts were positively rejected" ".services[] | select(.port == $P_TEL) | .login.rejected >= 5"
none_found fake "telnet that accepts anything and echoes lines unevaluated"
found basic "tcp/$P_HTTP" admin password "busybox httpd Basic"
check "$(cred basic)" "basic: protected path found by probing" ".services[] | select(.port == $P_HTTP) | .login.path == \"/admin\" and .login.scheme == \"Basic\""
none_found basicno "Basic with a strong password"
# The root page answers 200, so the port probe saw no challenge; the sweep found /admin asking.
check "$(cred basicno)" "basicno: plaintext HTTP found asking for a password fails S1.1-12 transport.plaintext" \
    "[.requirements[].checks[] | select(.probe == \"transport.plaintext\")][0] | .verdict == \"FAIL\" and any(.evidence[]; .service == \"tcp/$P_HTTP\" and (.detail | test(\"asks for a password\")))"
check "$(cred open)" "open: HTTP without a challenge stays undecided for transport.plaintext (a form could carry one)" \
    "[.requirements[].checks[] | select(.probe == \"transport.plaintext\")][0] | .verdict != \"PASS\""
none_found open "HTTP answering 200 to anything"
check "$(cred open)" "open: no authentication challenge recorded" ".services[] | select(.port == $P_HTTP) | .login.auth == \"open\""
found dig5 "tcp/$P_HTTP" admin admin "lighttpd Digest MD5"
found dig256 "tcp/$P_HTTP" guest guest "lighttpd Digest SHA-256"
check "$(cred dig256)" "dig256: SHA-256 digest was used" "$S102 | any(.evidence[]; .detail | test(\"Digest SHA-256\"))"
none_found mqanon "anonymous broker: nothing to guess"
found mqpw "tcp/$P_MQTT" admin admin "mosquitto password file"
found mqtls "tcp/$P_MQTTS" user user "mosquitto over TLS"
none_found mqno "mosquitto with only a strong password"
found ftp "tcp/$P_FTP" support support "vsftpd local user"
check "$(cred ftpanon)" "ftpanon: anonymous FTP found (anonymous/anonymous@ or ftp/ftp)" \
    '[.credentials[] | select(.service == "tcp/20021" and (.user == "anonymous" or .user == "ftp"))] | length == 1'
check "$(cred ftpanon)" "ftpanon: S1.1-02 FAIL" "$S102 | .verdict == \"FAIL\""
found snmp "udp/161" "" public "snmpd community public"
none_found snmpno "snmpd with a private community"
check "$(cred snmpno)" "snmpno: the agent is found by SNMPv3 engine discovery and its communities tried" \
    '.services[] | select(.port == 161 and .transport == "udp") | .service == "snmpv3" and .login.attempts >= 10'
found snmpmgr "udp/161" "" manager "snmpd whose only community is the vendor default 'manager'"
check "$(cred basicno)" "basicno: INCONCLUSIVE, the sweep was cut by the per-account budget" \
    "$S102 | .verdict == \"INCONCLUSIVE\" and any(.evidence[]; .detail | test(\"cut by the per-account budget\"))"
check "$(cred basicno)" "basicno: never more than 5 attempts for admin" ".services[] | select(.port == $P_HTTP) | .login.most_attempts_one_account == 5 and .login.attempts > 5"
check "$(cred fake)" "fake: attempts recorded as unconfirmed, not as logins" ".services[] | select(.port == $P_TEL) | .login.errors >= 1"
# The chatty telnets: an exit status of the contract (a signal reads as 128+N), a report, a verdict.
for n in flood motd; do
    rc=$(cat "$n.rc" 2>/dev/null || echo none)
    case $rc in 0|1|2) ok "$n: starprobe exited with $rc, not by a signal" ;;
    *) not_ok "$n: starprobe exited with $rc, not 0, 1 or 2" "$(tail -c 400 "$n.err" 2>/dev/null)" ;; esac
    if jq -e . "$(cred $n)" >/dev/null 2>&1; then ok "$n: report.json exists and parses"
    else not_ok "$n: report.json exists and parses"; fi
done
check "$(cred flood)" "flood: S1.1-02 FAIL with the login confirmed, or INCONCLUSIVE" \
    "$S102 | .verdict == \"INCONCLUSIVE\" or (.verdict == \"FAIL\" and any(.evidence[]; .service == \"tcp/$P_TEL\" and (.detail | test(\"accepted\"))))"
check "$(cred flood)" "flood: no shell ran our command, so no credential is claimed" '.credentials == []'
check "$(cred flood)" "flood: attempts recorded as unconfirmed" ".services[] | select(.port == $P_TEL) | .login.errors >= 1"
found motd "tcp/$P_TEL" root vizxv "the shell answers after a banner larger than the receive buffer"
for n in ssh basic tel; do
    check "$(cred $n)" "$n: without --intrusive S1.1-04 is INCONCLUSIVE, 'intrusive check not enabled'" \
        "$S104 | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"intrusive check not enabled\"))"
done

# ---- brute-force resistance (intrusive) ----
cat > dev-basic.yaml <<CFG
device: {vendor: Test, model: Basic, firmware: "0"}
services:
  - {port: $P_HTTP, service: http, auth: password}
accounts:
  - {service: http, port: $P_HTTP, user: admin, password: "password"}
CFG
cat > dev-gate.yaml <<CFG
device: {vendor: Test, model: Gate, firmware: "0"}
services:
  - {port: $P_HTTPS, service: https, auth: password}
accounts:
  - {service: https, port: $P_HTTPS, user: admin, password: "$GATEPW"}
CFG
cat > dev-key.yaml <<CFG
device: {vendor: Test, model: Key, firmware: "0"}
services:
  - {port: $P_SSH, service: ssh, auth: publickey}
accounts:
  - {service: ssh, port: $P_SSH, user: root, key: client_ed25519}
CFG
cat > dev-ssh.yaml <<CFG
device: {vendor: Test, model: Ssh, firmware: "0"}
services:
  - {port: $P_SSH, service: ssh, auth: password}
accounts:
  - {service: ssh, port: $P_SSH, user: operator, password: "$OPERPW"}
CFG
cat > dev-tel.yaml <<CFG
device: {vendor: Test, model: Tel, firmware: "0"}
services:
  - {port: $P_TEL, service: telnet, auth: password}
accounts:
  - {service: telnet, port: $P_TEL, user: root, password: "vizxv"}
CFG
assess $A_BASIC bf-basic dev-basic.yaml --intrusive & b1=$!
assess $A_GATE bf-gate dev-gate.yaml --intrusive & b2=$!
assess $A_SSHKEY bf-key dev-key.yaml --intrusive & b3=$!
assess $A_SSH bf-ssh dev-ssh.yaml --intrusive & b4=$!
assess $A_TEL bf-tel dev-tel.yaml --intrusive & b5=$!
assess $A_HI hi "" & b6=$!
assess $A_HI hi-intrusive "" --intrusive & b7=$!
# The silent lock: a profile of the sweep alone, so no brute-force test locks the account first.
printf 'profile: silent\nlevel: 0\nrequirements:\n  - {id: SCAN, title: scan, assess: probe, checks: [{probe: ports.exposure, with: {tcp_ports: "%s", udp_ports: []}}]}\n  - {id: S1.1-02, title: defaults, assess: probe, checks: [{probe: creds.defaults}]}\n' \
    "$P_HTTPS" > silent.yaml
sed -e "s/model: Gate/model: Silent/" dev-gate.yaml > dev-silent.yaml
timeout 300 "$SP" assess -p ./silent.yaml -t $A_SILENT -d dev-silent.yaml -o out-silent --quiet --intrusive >silent.out 2>silent.err & b8=$!
wait $b1 $b2 $b3 $b4 $b5 $b6 $b7 $b8

# ---- --intrusive sweeps the whole list (in rounds); without it, the per-account budget holds ----
check "$(cred hi)" "hi: root/hi3518 is beyond the budget: INCONCLUSIVE naming the budget" \
    "$S102 | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"budget of 5 per account\"))"
check "$(cred hi)" "hi: no account got more than 5 attempts" \
    ".services[] | select(.port == $P_HTTP) | .login.most_attempts_one_account <= 5 and .login.sweep == \"budget\""
found hi-intrusive "tcp/$P_HTTP" root hi3518 "--intrusive: the whole list"
check "$(cred hi-intrusive)" "hi-intrusive: S1.1-02 FAIL" "$S102 | .verdict == \"FAIL\""
check "$(cred hi-intrusive)" "hi-intrusive: swept in rounds, ended by the login found, root got more than 5" \
    ".services[] | select(.port == $P_HTTP) | .login | .sweep == \"rounds\" and .stopped == \"login found\" and .per_account.root > 5"
check "$(cred hi-intrusive)" "hi-intrusive: the evidence says how many pairs each account got and why it ended" \
    "$S102 | any(.evidence[]; .detail | test(\"whole list in rounds.*ended: login found\"))"
check "$(cred silent)" "silent: the sweep stopped when the declared test account no longer logged in" \
    ".services[] | select(.port == $P_HTTPS) | .login | .sweep == \"rounds\" and .test_account == \"watched\" and (.stopped | test(\"test account admin no longer logged in after round 1\")) and .rounds_done == 1"
check "$(cred silent)" "silent: S1.1-02 INCONCLUSIVE (throttled), never PASS" \
    "$S102 | .verdict == \"INCONCLUSIVE\" and (.reason | test(\"throttled\"))"
check "$(cred bf-gate)" "bf-gate: the intrusive sweep stopped at the lockout and says so" \
    ".services[] | select(.port == $P_HTTPS) | .login | .sweep == \"rounds\" and (.stopped | test(\"throttled|test account\"))"

check "$(cred bf-basic)" "bf-basic: no throttling on Basic auth -> S1.1-04 FAIL" \
    "$S104 | .verdict == \"FAIL\" and any(.evidence[]; .service == \"tcp/$P_HTTP\" and (.detail | test(\"accepted\")))"
check "$(cred bf-basic)" "bf-basic: the timing series is in the facts" \
    ".services[] | select(.port == $P_HTTP) | .bruteforce | (.attempts | length) == 8 and .final == \"accepted\" and (.attempts[0] | has(\"ms\") and .status == \"rejected\")"
check "$(cred bf-gate)" "bf-gate: lockout after 5 failures -> S1.1-04 PASS" \
    "$S104 | .verdict == \"PASS\" and any(.evidence[]; .detail | test(\"locked\"))"
# The brute-force test runs before the credential sweep, so it meets the device's lockout fresh: the
# lock comes after the 5th of its own wrong passwords, not at once because the sweep tripped it.
check "$(cred bf-gate)" "bf-gate: the brute-force test ran first and tripped the lockout itself" \
    "(.timings_ms | keys_unsorted | index(\"bruteforce\") < index(\"creds\")) and ($S104 | any(.evidence[]; .detail | test(\"locked out after [1-9][0-9]* wrong\")))"
check "$(cred bf-gate)" "bf-gate: HTTPS Basic behind TLS examined, nothing found" \
    ".credentials == [] and (.services[] | select(.port == $P_HTTPS) | .login.scheme == \"Basic\" and .login.path == \"/admin\")"
check "$(cred bf-key)" "bf-key: key-only SSH -> S1.1-04 NOT_APPLICABLE" "$S104 | .verdict == \"NOT_APPLICABLE\""
check "$(cred bf-ssh)" "bf-ssh: OpenSSH without throttling -> S1.1-04 FAIL" "$S104 | .verdict == \"FAIL\""
check "$(cred bf-tel)" "bf-tel: telnet without delay -> S1.1-04 FAIL" "$S104 | .verdict == \"FAIL\""
for n in bf-basic bf-gate bf-ssh bf-tel; do
    for pw in "$GATEPW" "$OPERPW"; do
        if grep -rqF -- "$pw" "out-$n"; then not_ok "$n: a declared test-account password appears in the report"; continue 2; fi
    done
    ok "$n: no declared test-account password in any report file"
done
if grep -rqF -- "$OPERPW" out-*; then not_ok "a strong password leaked into a report"; else ok "no strong password in any report"; fi

summary
