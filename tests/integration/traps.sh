#!/usr/bin/env bash
# traps.sh - trap devices (issue 10): each is clean but for one thing that a careless check would
# call secure, built from real servers; each report is asserted with jq on what it must never say.
#   127.0.12.1  snmpd, community "private" only (v1 and v2c): silent to "public", found by SNMPv3
#               engine discovery or the dictionary; S1.1-13 not PASS, creds.defaults FAIL
#   127.0.12.2  snmpd, SNMPv1 only, community "manager" (a vendor default of iot-defaults.yaml)
#   127.0.12.3  coap-server-openssl over DTLS with a server certificate only (no PSK, no client
#               check): auth.unauthenticated FAIL, never "refuses access"
#   127.0.12.4  busybox httpd whose "/" is an unauthenticated setup page that sets a new administrator
#               password and a Wi-Fi key (type=password fields): not a login form; never PASS
#   198.18.12.2 a device that answers nothing (namespace sp-traps-dead, every packet dropped): no
#               PASS and no NOT_APPLICABLE anywhere, exit not 0
#   127.0.12.5  HTTPS (stunnel) whose login locks a user name out after 5 failures (the hardened
#               reference device's https-gate in front of busybox httpd): with --intrusive,
#               auth.bruteforce PASS with the lockout as evidence, and the credential sweep that
#               runs into the lockout is no PASS and does not decide auth.bruteforce
#   127.0.12.6  the same HTTPS login, but its server stops after the 3rd failed login: the refused
#               connects after it are a fault as much as a lockout, so auth.bruteforce is no PASS
# Every server is started here, its PID recorded and stopped on exit; the namespace is this script's.
#
# Usage: tests/integration/traps.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir traps
chmod 755 "$WORK"
A_SNMP=127.0.12.1 A_SNMP1=127.0.12.2 A_DTLS=127.0.12.3 A_SETUP=127.0.12.4 A_LOCK=127.0.12.5
A_FALL=127.0.12.6
NS=sp-traps-dead NS_HOST=198.18.12.1 NS_DEV=198.18.12.2
P_HTTP=20080 P_HTTPS=20443 P_UNUSED=20099
MAX_FAILURES=5
cleanup_all() {
    ip link del "$NS-h" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    cleanup
}
trap cleanup_all EXIT INT TERM

cd "$WORK" || exit 70
for a in $A_SNMP $A_SNMP1 $A_DTLS $A_SETUP $A_LOCK $A_FALL; do
    if listening "tcp+udp/$a:"; then bail "$a is in use on this machine"; fi
done

# vof PROBE: the jq filter for the verdict of PROBE's check (its first occurrence in the profile).
vof() { printf '[.requirements[].checks[] | select(.probe == "%s") | .verdict][0]' "$1"; }
# evof PROBE: the jq filter for the evidence list of PROBE's check.
evof() { printf '[.requirements[].checks[] | select(.probe == "%s") | .evidence[]]' "$1"; }
# show PROBE: what a failed assertion shows: that check's verdict and reason.
show() { printf '[.requirements[].checks[] | select(.probe == "%s") | {verdict, reason}][0]' "$1"; }
CHECK_LABEL=check

assess() { # ADDR OUTDIR PROFILE [ARGS...]
    local addr=$1 out=$2 prof=$3
    shift 3
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p "./$prof" -t "$addr" -o "$out" --quiet \
        --deadline 120 "$@" >"$out.stdout" 2>"$out.stderr"
    RC=$?
    [ -s "$out/report.json" ] || not_ok "report for $addr written" "$(head -c 600 "$out.stderr")"
}

# ==== a. SNMP with a non-public community ====
cat >snmp-private.conf <<CFG
agentaddress udp:$A_SNMP:161
rocommunity private
sysDescr starprobe-trap private-community agent
CFG
# v1 only: the community maps to a group whose access is for the v1 security model alone.
cat >snmp-v1.conf <<CFG
agentaddress udp:$A_SNMP1:161
com2sec trapsec default manager
group trapgrp v1 trapsec
view trapall included .1
access trapgrp "" v1 noauth exact trapall none none
sysDescr starprobe-trap v1-only agent
CFG
snmpd -f -C -c snmp-private.conf -Lf snmp-private.log -p snmp-private.pid >/dev/null 2>&1 & PIDS+=($!)
snmpd -f -C -c snmp-v1.conf -Lf snmp-v1.log -p snmp-v1.pid >/dev/null 2>&1 & PIDS+=($!)

# ==== b. CoAP over DTLS with a server certificate only ====
make_cert dtls /CN=traps-dtls ec 2
# coap-server-openssl also answers plain CoAP on 5683; the scan looks at udp/5684 only.
coap-server-openssl -A "$A_DTLS" -p 5683 -c "$WORK/dtls.crt" -j "$WORK/dtls.key" >coap-dtls.log 2>&1 & PIDS+=($!)

# ==== c. an unauthenticated setup page at / ====
mkdir -p setup-www
cat >setup-www/index.html <<'HTML'
<html><head><title>Quick setup</title></head><body>
<h1>Welcome! Set up your camera</h1>
<form method="post" action="/cgi-bin/setup.cgi">
 New administrator password: <input type="password" name="new_password"><br>
 Confirm password: <input type="password" name="confirm_password"><br>
 Wi-Fi network: <input type="text" name="ssid" value="home"><br>
 Wi-Fi key: <input type="password" name="wifi_psk"><br>
 <input type="submit" value="Save">
</form></body></html>
HTML
echo 'A:*' >setup.conf
busybox httpd -f -p "$A_SETUP:$P_HTTP" -h setup-www -c "$WORK/setup.conf" & PIDS+=($!)

# ==== e. a login that locks out after $MAX_FAILURES failures ====
# The hardened reference device's gate (tests/testbed/hardened/https-gate.in), rendered for this
# address: stunnel runs it per connection, it hands the request to busybox httpd -i (Basic auth for
# /admin) and answers 429 to a locked user name, even with the right password.
LOCK_PASS=Tr4p-$(openssl rand -hex 8)
mkdir -p lock-www/admin lock-run
echo '<html>gateway</html>' >lock-www/index.html
echo '<html>administration</html>' >lock-www/admin/index.html
printf 'A:*\n/admin:admin:%s\n' "$(busybox httpd -m "$LOCK_PASS")" >lock-httpd.conf
sed -e "s|@MAX_FAILURES@|$MAX_FAILURES|; s|@LOCK_SECONDS@|300|" "$ROOT/tests/testbed/hardened/https-gate.in" >https-gate
chmod 755 https-gate
make_cert lock /CN=traps-lock ec 2
cat >stunnel.conf <<CFG
foreground = yes
pid =
syslog = no
debug = notice
[https]
accept = $A_LOCK:$P_HTTPS
cert = $WORK/lock.crt
key = $WORK/lock.key
sslVersionMin = TLSv1.2
TIMEOUTidle = 20
TIMEOUTclose = 0
exec = $WORK/https-gate
execArgs = https-gate $WORK/lock-www $WORK/lock-httpd.conf $WORK/lock-run
CFG
stunnel4 stunnel.conf >stunnel.log 2>&1 & PIDS+=($!)

# ==== f. a login that falls over after a few failures ====
# The same front, but the program stunnel runs per connection hands each request to busybox httpd and,
# after the 3rd request that carried credentials, stops this stunnel (its own parent, by the PID this
# script recorded): every later connect is refused, as on a device whose web server crashed.
mkdir -p fall-run
cat >fall-gate <<'GATE'
#!/bin/busybox sh
www=$1 conf=$2 dir=$3
req=$(mktemp "$dir/req.XXXXXX") || exit 1
trap 'rm -f "$req"' EXIT
auth=0 n=0
while [ "$n" -lt 64 ]; do
	IFS= read -r -t 10 -n 4096 line || exit 0
	n=$((n + 1))
	printf '%s\n' "$line" >>"$req"
	line=${line%"$(printf '\r')"}
	[ -z "$line" ] && break
	case $line in [Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]:*) auth=1 ;; esac
done
busybox httpd -i -h "$www" -c "$conf" -r 'trap' <"$req"
if [ "$auth" = 1 ]; then
	exec 9>"$dir/lock"
	flock 9
	c=$(($(cat "$dir/count" 2>/dev/null || echo 0) + 1))
	echo "$c" >"$dir/count"
	[ "$c" -ge 3 ] && kill "$(cat "$dir/stunnel.pid")"
fi
exit 0
GATE
chmod 755 fall-gate
sed -e "s|^accept = .*|accept = $A_FALL:$P_HTTPS|; s|^exec = .*|exec = $WORK/fall-gate|; s|^execArgs = .*|execArgs = fall-gate $WORK/lock-www $WORK/lock-httpd.conf $WORK/fall-run|; s|^\[https\]|[fall]|" stunnel.conf >fall-stunnel.conf
stunnel4 fall-stunnel.conf >fall-stunnel.log 2>&1 & PIDS+=($!)
echo "$!" >fall-run/stunnel.pid

wait_listening 50 "$A_FALL:$P_HTTPS" || not_ok "the falling-over login listening"
wait_listening 50 "udp/$A_SNMP:161" "udp/$A_SNMP1:161" "udp/$A_DTLS:5684" "$A_SETUP:$P_HTTP" "$A_LOCK:$P_HTTPS" ||
    not_ok "every trap server listening ($UP of 5)"

# ---- a. SNMP ----
lab_profile snmp.yaml traps-snmp "{tcp_ports: \"$P_UNUSED\", udp_ports: [161]}"
for dev in "$A_SNMP private" "$A_SNMP1 manager"; do
    set -- ${dev% *} ${dev#* }
    out=snmp-$2
    assess "$1" "$out" snmp.yaml
    R=$out/report.json
    CHECK_SHOW='[.services[] | {port, service}]'
    check $R "snmp $2: the agent is found on udp/161" 'any(.services[]; .port == 161 and .transport == "udp" and (.service | test("^snmp")))'
    CHECK_SHOW=$(show ports.exposure)
    check $R "snmp $2: S1.1-13 not PASS" '(.requirements[] | select(.id == "S1.1-13") | .verdict) as $v | $v != "PASS" and $v != "NOT_APPLICABLE"'
    check $R "snmp $2: ports.exposure not PASS" "$(vof ports.exposure) != \"PASS\""
    CHECK_SHOW=$(show creds.defaults)
    check $R "snmp $2: creds.defaults FAIL" "$(vof creds.defaults) == \"FAIL\""
    check $R "snmp $2: the community is the evidence" "$(evof creds.defaults) | any(.service == \"udp/161\" and (.detail | test(\"$2\")))"
    check $R "snmp $2: listed in credentials[]" "any(.credentials[]; .password == \"$2\" or .user == \"$2\" or (tostring | test(\"$2\")))" '.credentials'
    check $R "snmp $2: overall NOT_CONFORMANT" '.verdict == "NOT_CONFORMANT"' '.verdict'
    [ "$RC" = 1 ] && ok "snmp $2: exit 1" || not_ok "snmp $2: exit 1" "got $RC"
done

# ---- b. CoAP over DTLS, certificate only ----
lab_profile dtls.yaml traps-dtls "{tcp_ports: \"$P_UNUSED\", udp_ports: [5684]}"
assess $A_DTLS dtls dtls.yaml
R=dtls/report.json
CHECK_SHOW=$(show auth.unauthenticated)
check $R "coaps cert-only: udp/5684 found" 'any(.services[]; .port == 5684 and .transport == "udp")' '.services'
check $R "coaps cert-only: auth.unauthenticated FAIL" "$(vof auth.unauthenticated) == \"FAIL\""
check $R "coaps cert-only: a resource read without client credentials is the evidence" \
    "$(evof auth.unauthenticated) | any(.service == \"udp/5684\" and (.detail | test(\"open without credentials\")))"
check $R "coaps cert-only: never 'refuses access' / 'handshake refused'" \
    "$(evof auth.unauthenticated) | all(.detail | test(\"refuse\") | not)"

# ---- c. setup page at / ----
lab_profile setup.yaml traps-setup "{tcp_ports: \"$P_HTTP\", udp_ports: []}"
assess $A_SETUP setup setup.yaml
R=setup/report.json
CHECK_SHOW=$(show auth.unauthenticated)
check $R "setup page: http found" "any(.services[]; .port == $P_HTTP and .service == \"http\")" '.services'
check $R "setup page: auth.unauthenticated not PASS, not NOT_APPLICABLE" \
    "$(vof auth.unauthenticated) as \$v | \$v == \"FAIL\" or \$v == \"INCONCLUSIVE\""
check $R "setup page: a reason is given" "[.requirements[].checks[] | select(.probe == \"auth.unauthenticated\") | .reason][0] | length > 10"
check $R "setup page: / was asked" ".services[] | select(.port == $P_HTTP) | .unauth.items | any(.item == \"/\")" ".services[] | select(.port == $P_HTTP) | .unauth"
check $R "setup page: / is not called a login form" "$(evof auth.unauthenticated) | all(.detail | test(\"serves a login form\") | not)"
check $R "setup page: the evidence says it sets a password or key" "$(evof auth.unauthenticated) | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"sets a password or key\")))"
check $R "setup page: FAIL (a settings form anyone can submit)" "$(vof auth.unauthenticated) == \"FAIL\""

# ---- d. a device that answers nothing ----
ip link del $NS-h 2>/dev/null; ip netns del $NS 2>/dev/null   # left over from a killed run of this script
if ip netns add $NS 2>/dev/null; then
    ip link add $NS-h type veth peer name $NS-d && ip link set $NS-d netns $NS &&
        ip addr add $NS_HOST/24 dev $NS-h && ip link set $NS-h up &&
        ip netns exec $NS ip addr add $NS_DEV/24 dev $NS-d &&
        ip netns exec $NS ip link set $NS-d up &&
        ip netns exec $NS ip link set lo up &&
        ip netns exec $NS nft -f - <<'NFT'
table inet traps {
    chain input { type filter hook input priority 0; policy drop; }
}
NFT
    # ARP still answers (nft inet does not see it), so the address is there and everything is dropped.
    if ping -c1 -W1 $NS_DEV >/dev/null 2>&1; then not_ok "dead: ping answered (the drop rule is missing)"; fi
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p jcstar-star1 -t $NS_DEV -o dead --quiet \
        --deadline 90 >dead.stdout 2>dead.stderr
    RC=$?
    R=dead/report.json
    [ -s $R ] || not_ok "dead: report written" "$(tail -c 300 dead.stderr)"
    [ "$RC" != 0 ] && ok "dead: exit not 0 ($RC)" || not_ok "dead: exit not 0" "exit 0"
    CHECK_SHOW='[.requirements[] | {id, verdict, checks: [.checks[] | {probe, verdict}]}]'
    check $R "dead: no PASS and no NOT_APPLICABLE anywhere in report.json" \
        '[.. | objects | .verdict? // empty | select(. == "PASS" or . == "NOT_APPLICABLE")] | length == 0'
    check $R "dead: the summary counts none either" '(.summary.PASS // 0) == 0 and (.summary.NOT_APPLICABLE // 0) == 0' '.summary'
    check $R "dead: overall not CONFORMANT" '.verdict != "CONFORMANT"' '.verdict'
    ip link del $NS-h 2>/dev/null
    ip netns del $NS 2>/dev/null
else
    echo "ok - silent-device case skipped: cannot create a network namespace # SKIP"
fi

# ---- e. lockout ----
cat >lock.yaml <<YAML
profile: traps-lock
level: 1
requirements:
  - {id: SCAN, title: scan, assess: probe, checks: [{probe: ports.exposure, with: {tcp_ports: "$P_HTTPS", udp_ports: []}}]}
  - {id: S1.1-02, title: defaults, assess: probe, checks: [{probe: creds.defaults}]}
  - id: S1.1-04
    title: brute force
    assess: probe
    checks: [{probe: auth.bruteforce, with: {attempts: 10, rate_per_s: 4}}]
YAML
cat >lock-device.yaml <<YAML
device: {vendor: Trap, model: Lockout, firmware: "1"}
services:
  - {port: $P_HTTPS, transport: tcp, service: https, purpose: "web admin", auth: password}
accounts:
  - {service: https, port: $P_HTTPS, user: admin, password: "$LOCK_PASS"}
YAML
assess $A_LOCK lock lock.yaml -d lock-device.yaml --intrusive
R=lock/report.json
CHECK_SHOW=$(show auth.bruteforce)
check $R "lockout: https found" "any(.services[]; .port == $P_HTTPS and .service == \"https\")" '.services'
check $R "lockout: auth.bruteforce PASS" "$(vof auth.bruteforce) == \"PASS\""
check $R "lockout: the lockout is the evidence (locked, the right password refused after it)" \
    "$(evof auth.bruteforce) | any(.service == \"tcp/$P_HTTPS\" and (.detail | test(\"locked\")) and (.detail | test(\"then the right one: locked\")))"
check $R "lockout: the lock came after $MAX_FAILURES wrong passwords, not from another check" \
    ".services[] | select(.port == $P_HTTPS) | .bruteforce.attempts | (map(.status) | index(\"locked\")) == $MAX_FAILURES" \
    ".services[] | select(.port == $P_HTTPS) | .bruteforce"
CHECK_SHOW=$(show creds.defaults)
check $R "lockout: creds.defaults is no PASS (its sweep ran into the lockout)" "$(vof creds.defaults) != \"PASS\""
check $R "lockout: creds.defaults says the device throttled it" \
    "[.requirements[].checks[] | select(.probe == \"creds.defaults\") | .reason][0] | test(\"throttl\")"
check $R "lockout: password never in the report" "tostring | contains(\"$LOCK_PASS\") | not" '.credentials'

# ---- f. a login that falls over ----
sed -e "s|$A_LOCK|$A_FALL|" lock-device.yaml >fall-device.yaml
assess $A_FALL fall lock.yaml -d fall-device.yaml --intrusive
R=fall/report.json
CHECK_SHOW=$(show auth.bruteforce)
check $R "falls over: the server did stop after the 3rd failed login" \
    ".services[] | select(.port == $P_HTTPS) | .bruteforce.attempts | length > 3 and (.[3].status != \"rejected\")" \
    ".services[] | select(.port == $P_HTTPS) | .bruteforce"
check $R "falls over: refused connects are not counted as 'locked'" \
    "[.services[] | select(.port == $P_HTTPS) | .bruteforce.attempts[].status] | index(\"locked\") == null" \
    ".services[] | select(.port == $P_HTTPS) | .bruteforce"
check $R "falls over: auth.bruteforce is no PASS (INCONCLUSIVE)" "$(vof auth.bruteforce) == \"INCONCLUSIVE\""

summary
