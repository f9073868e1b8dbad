#!/usr/bin/env bash
# crash.sh - a probe's crash costs its own checks, not the run, and a killed run never leaves a
# half-written report. Runs the test build (build/starprobe-testhooks, compiled with SP_TEST_HOOKS)
# against a real TLS server (openssl s_server) and a real HTTP server (busybox httpd) on 127.0.5.1:
#   - STARPROBE_TEST_CRASH=tls makes the TLS gatherer's worker die on SIGSEGV: the TLS checks are
#     ERROR naming the signal, every other check is judged, the report is whole;
#   - STARPROBE_TEST_CRASH=scan kills the port scan: every check that needs its facts is ERROR
#     (never NOT_APPLICABLE or PASS on an "empty" device), the document checks are still judged;
#   - STARPROBE_TEST_STALL_WRITE stalls report.json half-written: SIGKILL then leaves the previous
#     whole report, and the next run removes the stale temp file.
#
# Usage: tests/integration/crash.sh ./starprobe   (the test build is found beside it in build/)
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
HOOKS=$(dirname "$SP")/build/starprobe-testhooks
A=127.0.5.1 P_TLS=25443 P_HTTP=25080
work_dir crash
on_exit
CHECK_LABEL=checks CHECK_SHOW='[.requirements[].checks[] | {probe, verdict, reason}]'

[ -x "$HOOKS" ] || bail "the test build $HOOKS exists (make build/starprobe-testhooks)"
for p in $P_TLS $P_HTTP; do
    if listening "$A:$p"; then bail "$A:$p is busy"; fi
done
cd "$WORK" || exit 70
make_cert srv /CN=crash ec 30 -sha256
mkdir -p www && echo hello >www/index.html
openssl s_server -quiet -www -accept "$A:$P_TLS" -cert srv.crt -key srv.key >/dev/null 2>&1 & PIDS+=($!)
busybox httpd -f -p "$A:$P_HTTP" -h www & PIDS+=($!)
wait_listening 50 "$A:$P_TLS" "$A:$P_HTTP" || bail "servers listening on $A"
lab_profile lab.yaml crash-lab "{tcp_ports: \"$P_TLS,$P_HTTP\", udp_ports: []}"

# verdict_of REPORT PROBE: the verdicts of every check of PROBE, one line.
verdict_of() { jq -r --arg p "$2" '[.requirements[].checks[] | select(.probe == $p) | .verdict] | unique | join(",")' "$1"; }

# 1. The TLS gatherer crashes.
STARPROBE_TEST_CRASH=tls "$HOOKS" assess -p ./lab.yaml -t $A -o tls -q >tls.log 2>&1
rc=$?
case $rc in 1 | 2) ok "tls crash: the run ends with a verdict exit code ($rc)" ;;
*) not_ok "tls crash: the run ends with a verdict exit code" "exit $rc: $(tail -c 300 tls.log)" ;; esac
R=tls/report.json
check $R "tls crash: report.json is whole" '.schema == "starprobe.report/1" and (.requirements | length) == 16'
check $R "tls crash: tls.versions is ERROR and names the signal" \
    '[.requirements[].checks[] | select(.probe == "tls.versions")] | length > 0 and all(.verdict == "ERROR" and (.reason | test("tls step crashed \\(signal 11")))'
check $R "tls crash: tls.certificate is ERROR too" \
    '[.requirements[].checks[] | select(.probe == "tls.certificate")] | all(.verdict == "ERROR")'
check $R "tls crash: the scan's facts survived (both services found)" \
    "[.services[] | select(.port == $P_TLS or .port == $P_HTTP)] | length == 2"
v=$(verdict_of $R ports.exposure)
if [ -n "$v" ] && [ "$v" != ERROR ]; then ok "tls crash: ports.exposure still judged ($v)"
else not_ok "tls crash: ports.exposure still judged" "verdict '$v'"; fi
check $R "tls crash: no check but the TLS ones is ERROR" \
    '[.requirements[].checks[] | select(.verdict == "ERROR") | .probe] | unique - ["tls.versions", "tls.ciphers", "tls.certificate"] | length == 0'
for f in report.html junit.xml summary.txt; do
    [ -s "tls/$f" ] && ok "tls crash: $f written" || not_ok "tls crash: $f written"
done

# 2. The port scan crashes: nothing may be judged on an empty device.
STARPROBE_TEST_CRASH=scan "$HOOKS" assess -p ./lab.yaml -t $A -o scan -q >scan.log 2>&1
rc=$?
case $rc in 1 | 2) ok "scan crash: the run ends with a verdict exit code ($rc)" ;;
*) not_ok "scan crash: the run ends with a verdict exit code" "exit $rc: $(tail -c 300 scan.log)" ;; esac
R=scan/report.json
check $R "scan crash: overall INCOMPLETE, not CONFORMANT" '.verdict == "INCOMPLETE"'
check $R "scan crash: no network check PASSes or is NOT_APPLICABLE" \
    '[.requirements[].checks[] | select(.probe != "evidence.document" and (.probe | startswith("update.") | not)) | select(.verdict == "PASS" or .verdict == "NOT_APPLICABLE")] | length == 0'
check $R "scan crash: ports.exposure is ERROR naming the scan step" \
    '[.requirements[].checks[] | select(.probe == "ports.exposure")] | all(.verdict == "ERROR" and (.reason | test("scan step crashed")))'
check $R "scan crash: the document checks are still judged" \
    '[.requirements[].checks[] | select(.probe == "evidence.document") | .verdict] | all(. == "EVIDENCE_REQUIRED")'

# 3. Killed while writing: the previous whole report stays, the stale temp file goes next time.
"$SP" assess -p ./lab.yaml -t $A -o kill -q >/dev/null 2>&1
cp kill/report.json before.json
STARPROBE_TEST_STALL_WRITE=1 "$HOOKS" assess -p ./lab.yaml -t $A -o kill -q >/dev/null 2>&1 &
victim=$!
for _ in $(seq 200); do
    compgen -G 'kill/report.json.tmp.*' >/dev/null && break
    sleep 0.1
done
kill -KILL $victim 2>/dev/null
wait $victim 2>/dev/null
if compgen -G 'kill/report.json.tmp.*' >/dev/null; then ok "kill: the run was killed in the middle of writing report.json"
else not_ok "kill: the run was killed in the middle of writing report.json" "no temp file appeared"; fi
cmp -s before.json kill/report.json && jq -e . kill/report.json >/dev/null &&
    ok "kill: report.json is still the previous whole report" ||
    not_ok "kill: report.json is still the previous whole report"
"$SP" assess -p ./lab.yaml -t $A -o kill -q >/dev/null 2>&1
if compgen -G 'kill/*.tmp.*' >/dev/null; then not_ok "kill: the next run removes the stale temp file" "$(ls kill)"
else ok "kill: the next run removes the stale temp file"; fi

summary
