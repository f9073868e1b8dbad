#!/usr/bin/env bash
# cli.sh - the command-line contract (docs/design.md §2) and the port probe against
# real listeners on loopback: usage and file errors with their exit codes,
# then scans of an sshd, a TLS server, mosquitto, busybox httpd and telnetd
# bound to 127.0.0.9 (and ::1), checked fact by fact in report.json.
#
# Usage: tests/integration/cli.sh ./starprobe
# shellcheck disable=SC2015 # "test && ok || not_ok" is safe: ok always returns 0
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir cli
on_exit
ADDR=127.0.0.9

# expect_exit CODE DESCRIPTION -- COMMAND...: exit code and, optionally, a stderr pattern
expect() {
    local want=$1 desc=$2 pattern=$3; shift 3
    "$@" >"$WORK/cmd.out" 2>"$WORK/cmd.err"
    local got=$?
    if [ "$got" != "$want" ]; then
        not_ok "$desc" "exit $got, want $want; stderr: $(head -c 400 "$WORK/cmd.err")"
    elif [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$WORK/cmd.err" "$WORK/cmd.out"; then
        not_ok "$desc" "output lacks /$pattern/: $(head -c 400 "$WORK/cmd.err")"
    else
        ok "$desc"
    fi
}

cd "$WORK" || exit 70

# ---- usage and files ----
expect 0  "--version prints the version" '^starprobe [0-9]+\.[0-9]+' "$SP" --version
expect 0  "--help teaches the commands" 'explain' "$SP" --help
expect 64 "no command is a usage error" 'usage: starprobe' "$SP"
expect 64 "unknown command" "unknown command 'frobnicate'" "$SP" frobnicate
expect 64 "assess without a profile" 'needs a profile' "$SP" assess -t "$ADDR"
expect 64 "assess without a target" 'needs a target' "$SP" assess -p star1
expect 64 "bad --jobs" 'jobs takes a number' "$SP" assess -p star1 -t "$ADDR" --jobs 0
expect 64 "bad --lang" 'lang is ja or en' "$SP" assess -p star1 -t "$ADDR" --lang fr
expect 64 "unknown option" 'usage:' "$SP" assess -p star1 -t "$ADDR" --frobnicate
expect 65 "unknown profile" 'no such profile' "$SP" assess -p star9 -t "$ADDR"

printf 'profile: broken\nlevel: 1\nrequirements:\n  - id: X\n    title: t\n    assess: probe\n    checks:\n      - probe: ports.exposure\n        with: {inflight: 4, colour: red}\n' > bad-profile.yaml
expect 65 "malformed profile names file:line:col" 'bad-profile.yaml:9:29: probe ports.exposure has no parameter .colour.' \
    "$SP" assess -p ./bad-profile.yaml -t "$ADDR"
printf 'device: {vendor: Acme}\nservices:\n  - {port: 22, service: ssh}\n  - {prot: 23, service: telnet}\n' > bad-device.yaml
expect 65 "malformed declaration names file:line:col" "bad-device.yaml:4:6: unknown key 'prot'" \
    "$SP" assess -p star1 -t "$ADDR" -d bad-device.yaml
expect 0  "profiles lists the bundled star1" 'jcstar-star1 +1 ' "$SP" profiles
expect 0  "explain a requirement" 'ports.exposure' "$SP" explain S1.1-13
expect 0  "explain a probe shows its parameters" 'tcp_ports' "$SP" explain ports.exposure
expect 64 "explain an unknown id" 'neither a probe nor a requirement' "$SP" explain S9.9-99
for n in 2 3 4; do
    expect 0 "profiles lists jcstar-star$n as level $n, provisional" "^jcstar-star$n +$n .* provisional +[^ ]*jcstar-star$n\\.yaml" "$SP" profiles
done
expect 0  "explain a ★3 requirement by its id" 'S3\.x-03 .*update images' "$SP" explain -p star3 S3.x-03
expect 0  "explain shows a ★2 override merged into a ★1 check" 'self_signed: fail' "$SP" explain -p star2 S1.1-12

# ---- real listeners on 127.0.0.9 ----
# P_SILENT: a listener that accepts and never says anything (see the deadline case below)
P_SSH=40022 P_TLS=40443 P_MQTT=41883 P_HTTP=40080 P_TELNET=40023 P_SILENT=40099
for p in $P_SSH $P_TLS $P_MQTT $P_HTTP $P_TELNET; do
    if listening ":$p"; then bail "port $p is busy on this machine"; fi
done
make_cert tls /CN=cli-test ec 2
ssh_key host_ed25519 ed25519
mkdir -p www empty
echo '<html>hello</html>' > www/index.html
cat > sshd_config <<CFG
ListenAddress $ADDR:$P_SSH
HostKey $WORK/host_ed25519
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
CFG
cat > mosquitto.conf <<CFG
listener $P_MQTT $ADDR
allow_anonymous false
persistence false
CFG
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f sshd_config 2>sshd.log & PIDS+=($!)
openssl s_server -quiet -accept "$ADDR:$P_TLS" -cert tls.crt -key tls.key -www >/dev/null 2>&1 & PIDS+=($!)
mosquitto -c mosquitto.conf >/dev/null 2>&1 & PIDS+=($!)
busybox httpd -f -p "$ADDR:$P_HTTP" -h www & PIDS+=($!)
busybox telnetd -F -p "$P_TELNET" -b "$ADDR" -l /bin/cat & PIDS+=($!)
P_DTLS=40684  # DTLS on a UDP port with no registered protocol: found by the DTLS fallback
openssl s_server -quiet -dtls -listen -accept "$ADDR:$P_DTLS" -cert tls.crt -key tls.key >/dev/null 2>&1 & PIDS+=($!)
wait_listening 50 ":$P_SSH" ":$P_TLS" ":$P_MQTT" ":$P_HTTP" ":$P_TELNET"

lab_profile scan.yaml cli-scan "{tcp_ports: \"40000-42000\", udp_ports: [40161, $P_DTLS]}"
cat > device.yaml <<CFG
device: {vendor: Test, model: Loopback, firmware: "0"}
services:
  - {port: $P_SSH, service: ssh, auth: publickey}
  - {port: $P_TLS, service: https}
  - {port: $P_MQTT, service: mqtt}
  - {port: $P_TELNET, service: telnet}
CFG
STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./scan.yaml -t "$ADDR" -d device.yaml -o out --quiet >stdout.txt 2>stderr.txt
rc=$?
R=out/report.json
[ "$rc" = 1 ] && ok "scan of real listeners exits 1 (not conformant)" || not_ok "scan exit code" "got $rc: $(head -c 600 stderr.txt)"
[ -s "$R" ] && ok "report.json written" || not_ok "report.json written"
# Debian's python3 with python3-jsonschema (tests/deps.txt): a missing validator is a failure here.
if /usr/bin/python3 "$ROOT/tests/schema-check.py" "$R" >schema.out 2>&1; then ok "report.json validates against docs/report.schema.json"
else not_ok "report.json validates against docs/report.schema.json" "$(head -c 400 schema.out)"; fi
[ -s out/junit.xml ] && [ -s out/summary.txt ] && ok "junit.xml and summary.txt written" || not_ok "junit and summary written"
grep -q '<span class="v NOT_CONFORMANT">' out/report.html && grep -q "tcp/$P_TELNET" out/report.html \
    && ok "report.html carries the verdict and the evidence" || not_ok "report.html carries the verdict and the evidence"
grep -q '<script' out/report.html && not_ok "report.html has no scripts" || ok "report.html has no scripts"
xmllint --noout out/junit.xml 2>/dev/null && ok "junit.xml is well-formed XML" || not_ok "junit.xml is well-formed XML"
# shellcheck disable=SC2010 # ls hides dot files, as wanted here
ls out | grep -q '\.tmp\.' && not_ok "no temporary files left" || ok "no temporary files left"
check "$R" "schema" '.schema == "starprobe.report/1"'
check "$R" "profile id from the lab profile" '.profile.id == "cli-scan" and .profile.extends == "jcstar-star1"'
check "$R" "16 requirements" '(.requirements | length) == 16'
check "$R" "sshd identified as ssh from its banner" ".services[] | select(.port == $P_SSH and .transport == \"tcp\") | .service == \"ssh\" and (.banner | startswith(\"SSH-2.0-OpenSSH\")) and .declared"
check "$R" "s_server identified as TLS, HTTP inside" ".services[] | select(.port == $P_TLS) | .service == \"https\" and (.identified_by | test(\"ServerHello\"))"
check "$R" "mosquitto identified by CONNACK" ".services[] | select(.port == $P_MQTT) | .service == \"mqtt\" and (.identified_by | test(\"CONNACK\"))"
check "$R" "busybox httpd identified as http" ".services[] | select(.port == $P_HTTP) | .service == \"http\" and (.declared | not)"
check "$R" "telnetd identified by option negotiation" ".services[] | select(.port == $P_TELNET) | .service == \"telnet\""
check "$R" "DTLS on udp/$P_DTLS found by the DTLS fallback, undeclared" ".services[] | select(.port == $P_DTLS and .transport == \"udp\") | .service == \"dtls\" and (.declared | not)"
check "$R" "exactly the five listeners found" '[.services[] | select(.transport == "tcp")] | length == 5'
check "$R" "S1.1-13 FAIL" '.requirements[] | select(.id == "S1.1-13") | .verdict == "FAIL"'
check "$R" "S1.1-13 evidence names the undeclared http port" ".requirements[] | select(.id == \"S1.1-13\") | .checks[0].evidence | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"not in the declaration\")))"
check "$R" "S1.1-13 evidence names telnet as plaintext administration" ".requirements[] | select(.id == \"S1.1-13\") | .checks[0].evidence | any(.service == \"tcp/$P_TELNET\" and (.detail | test(\"plaintext remote administration\")))"
check "$R" "S1.1-12 FAIL for telnet in clear text" '.requirements[] | select(.id == "S1.1-12") | .verdict == "FAIL"'
check "$R" "s_server (OpenSSL defaults) accepts TLSv1.2 and TLSv1.3 only: tls.versions PASS" ".services[] | select(.port == $P_TLS) | .tls.versions == [\"TLSv1.2\", \"TLSv1.3\"]"
# (openssl s_server -dtls serves one client at a time, so its versions stay undecided: INCONCLUSIVE, not PASS)
check "$R" "tls.versions evidence: the modern s_server accepts only TLSv1.2, TLSv1.3" ".requirements[] | select(.id == \"S1.1-12\") | .checks[] | select(.probe == \"tls.versions\") | .evidence | any(.service == \"tcp/$P_TLS\" and (.detail | test(\"accepts only TLSv1.2, TLSv1.3\")))"
check "$R" "tls.versions is INCONCLUSIVE, not PASS, while a DTLS service is undecided" '.requirements[] | select(.id == "S1.1-12") | .checks[] | select(.probe == "tls.versions") | .verdict == "INCONCLUSIVE"'
check "$R" "brute force without --intrusive is INCONCLUSIVE with that reason" '.requirements[] | select(.id == "S1.1-04") | .checks[0].reason | test("intrusive check not enabled")'
check "$R" "document items without evidence are EVIDENCE_REQUIRED" '.requirements[] | select(.id == "S1.1-05") | .verdict == "EVIDENCE_REQUIRED"'
check "$R" "overall NOT_CONFORMANT" '.verdict == "NOT_CONFORMANT"'
grep -q 'NOT_CONFORMANT' stdout.txt && ok "text summary on stdout" || not_ok "text summary on stdout"
grep -q 'password' "$R" && grep -q 'cli-secret' "$R" && not_ok "no secrets in the report" || ok "no secrets in the report"

# ---- the whole-run deadline: still a report, INCONCLUSIVE with the reason ----
# A port that accepts and never answers keeps identification waiting past the 1 s deadline (a
# port that answers HTTP is identified in half a second now, within it). Python's socket module:
# the smallest listener that accepts and stays silent; it ends itself after 30 s.
/usr/bin/python3 -c 'import socket, time
s = socket.create_server(("'"$ADDR"'", '"$P_SILENT"'), backlog=16)
s.settimeout(30); held = []
t = time.time() + 30
while time.time() < t:
    try: held.append(s.accept()[0])
    except OSError: break' & PIDS+=($!)
# Python can take longer than a moment to start on a busy machine: wait for the listener itself.
for _ in $(seq 100); do listening "$ADDR:$P_SILENT" && break; sleep 0.1; done
lab_profile slow.yaml cli-slow "{tcp_ports: \"$P_SILENT\", udp_ports: [40161], banner_wait_ms: 5000}"
printf 'services:\n  - {port: %s, service: http}\n' "$P_SILENT" > slow-device.yaml
STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./slow.yaml -t "$ADDR" -d slow-device.yaml -o slow --deadline 1 --quiet >/dev/null 2>&1
rc=$?
[ "$rc" = 2 ] && ok "deadline run exits 2 (incomplete)" || not_ok "deadline run exit code" "got $rc"
check slow/report.json "deadline: S1.1-13 INCONCLUSIVE naming the deadline" '.requirements[] | select(.id == "S1.1-13") | .verdict == "INCONCLUSIVE" and (.reason | test("deadline"))'

# ---- one ^C delivered twice (timeout(1) signals the process and its group): still a report ----
STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./slow.yaml -t "$ADDR" -d slow-device.yaml -o twice --deadline 60 --quiet >/dev/null 2>&1 &
sp_pid=$!
sleep 0.3
kill -INT "$sp_pid"; kill -INT "$sp_pid"
wait "$sp_pid"
rc=$?
[ "$rc" != 130 ] && [ -s twice/report.json ] && ok "two SIGINTs at once: the run ends with its report (exit $rc)" ||
    not_ok "two SIGINTs at once: the run ends with its report" "exit $rc, report $(ls twice 2>&1 | tr '\n' ' ')"

# ---- a wrong address on the lab's own link: ARP gets no answer, the kernel says "no route" ----
# The host side of a veth pair holds 198.18.9.1/24 and nothing answers for .2: starprobe must call
# the target unreachable from the kernel's errors (exit 69, the reason named), not scan 65535 ports
# of silence until the deadline. The namespace is this script's own and goes with it.
NS=sp-cli-dead
if ip netns add $NS 2>/dev/null; then
    trap 'ip link del $NS-h 2>/dev/null; ip netns del '$NS' 2>/dev/null; cleanup' EXIT INT TERM
    ip link add $NS-h type veth peer name $NS-d && ip link set $NS-d netns $NS &&
        ip addr add 198.18.9.1/24 dev $NS-h && ip link set $NS-h up &&
        ip netns exec $NS ip link set $NS-d up
    "$SP" assess -p jcstar-star1 -t 198.18.9.2 -o dead --deadline 120 --quiet >/dev/null 2>dead.err
    rc=$?
    [ "$rc" = 69 ] && ok "unreachable target: exit 69" || not_ok "unreachable target: exit 69" "got $rc: $(tail -c 200 dead.err)"
    check dead/report.json "unreachable target: the scan says the host is unreachable, not that a deadline passed" \
        '.scan.incomplete | test("host is unreachable")' '.scan'
    check dead/report.json "unreachable target: nothing PASSes" '[.requirements[] | select(.verdict == "PASS" or .verdict == "NOT_APPLICABLE")] | length == 0'
    ip link del $NS-h 2>/dev/null
    ip netns del $NS 2>/dev/null
else
    echo "ok - unreachable-target case skipped: cannot create a network namespace # SKIP"
fi

# ---- a host that drops everything: no answer, no refusal, no ICMP ----
# The namespace's own firewall drops every packet that comes in (ARP still answers, so the kernel
# reports nothing): starprobe must stop asking after silent_host_s, confirm over UDP, and exit 69
# well inside the 15 s a lab should wait for a wrong address. Then the same host with UDP let
# through (a closed UDP port answers with ICMP): it is up, so every TCP port is scanned after all.
NS=sp-cli-silent
if ip netns add $NS 2>/dev/null; then
    trap 'ip link del $NS-h 2>/dev/null; ip netns del '$NS' 2>/dev/null; cleanup' EXIT INT TERM
    if ip link add $NS-h type veth peer name $NS-d && ip link set $NS-d netns $NS &&
        ip addr add 198.18.10.1/24 dev $NS-h && ip link set $NS-h up &&
        ip netns exec $NS ip addr add 198.18.10.2/24 dev $NS-d &&
        ip netns exec $NS ip link set $NS-d up &&
        printf 'table inet sp {\n chain in {\n  type filter hook input priority 0; policy drop;\n }\n}\n' |
            ip netns exec $NS nft -f - &&
        ip route get 198.18.10.2 | grep -q "dev $NS-h"; then
        t0=$(date +%s%N)
        "$SP" assess -p jcstar-star1 -t 198.18.10.2 -o silent --quiet >/dev/null 2>silent.err
        rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
        echo "# silent host: exit $rc after $ms ms"
        [ "$rc" = 69 ] && ok "silent host: exit 69" || not_ok "silent host: exit 69" "got $rc: $(tail -c 200 silent.err)"
        [ "$ms" -le 15000 ] && ok "silent host: decided within 15 s with the default deadline" ||
            not_ok "silent host: decided within 15 s" "took $ms ms"
        check silent/report.json "silent host: the scan names the silence, the common ports and UDP" \
            '.scan.incomplete | test("no TCP port answered or refused") and test("common ones") and test("no UDP port replied")' '.scan'
        check silent/report.json "silent host: nothing PASSes" '[.requirements[] | select(.verdict == "PASS" or .verdict == "NOT_APPLICABLE")] | length == 0'
        # UDP let through: the kernel's port-unreachable answers prove the host is up.
        printf 'table inet sp {\n chain in {\n  meta l4proto udp accept;\n }\n}\n' | ip netns exec $NS nft -f -
        lab_profile silent-udp.yaml cli-silent-udp '{tcp_ports: "1-2000", inflight: 1024, silent_host_s: 1, udp_ports: [40161]}'
        STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./silent-udp.yaml -t 198.18.10.2 -o silent-udp --quiet >/dev/null 2>&1
        rc=$?
        [ "$rc" != 69 ] && ok "TCP silent, UDP refusing: not called unreachable" || not_ok "TCP silent, UDP refusing: not called unreachable" "exit 69"
        check silent-udp/report.json "TCP silent, UDP refusing: every TCP port scanned, the UDP port closed" \
            '.scan.tcp_filtered == 2000 and .scan.udp_closed == 1 and ((.scan.incomplete // "") | test("unreachable") | not)' '.scan'
    else
        not_ok "silent host: namespace set up" "veth, address or nft rule failed"
    fi
    ip link del $NS-h 2>/dev/null
    ip netns del $NS 2>/dev/null
else
    echo "ok - silent-host case skipped: cannot create a network namespace # SKIP"
fi

# ---- IPv6 ----
if ip -6 addr show lo 2>/dev/null | grep -q '::1'; then
    busybox httpd -f -p "[::1]:40081" -h www & PIDS+=($!)
    sleep 0.3
    lab_profile v6.yaml cli-v6 '{tcp_ports: "40000-42000", udp_ports: [40161]}'
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./v6.yaml -t ::1 -o v6 --quiet >/dev/null 2>&1
    check v6/report.json "IPv6 target scanned" '.target.address == "::1" and any(.services[]; .port == 40081 and .service == "http")'
else
    echo "ok - IPv6 skipped: no ::1 on lo # SKIP"
fi

summary
