#!/usr/bin/env bash
# creds_weak.sh - the default-credential sweep of the weak reference device side by side with
# hydra: the same list (profiles/iot-defaults.yaml's general pairs, as hydra -C lines) on the
# same three services (ssh 22, telnet 23, HTTP Basic /admin/ on 80). starprobe's time is its
# creds step alone (report.json timings_ms.creds), hydra's the sum of one run per service, as a
# lab runs it; whether either missed a login is printed beside. Ratios are printed, never asserted.
#
# Usage: tests/bench/creds_weak.sh ./starprobe      (root: the weak device runs in a namespace)
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
RUNS=${BENCH_RUNS:-3}
TB="$ROOT/tests/testbed/testbed.sh"
work_dir bench-creds-weak
command -v hydra >/dev/null || { echo "creds bench (weak): hydra not installed, skipped"; exit 0; }
trap '"$TB" down weak >/dev/null 2>&1 || true; cleanup' EXIT INT TERM
cd "$WORK" || exit 70

read -r ADDR DECL < <("$TB" up weak 2>/dev/null)
sed -n 's/^  - \[\(.*\)\]$/\1/p' "$ROOT/profiles/iot-defaults.yaml" | grep -v '\[' |
    sed -e 's/^"\{0,1\}\([^",]*\)"\{0,1\}, *"\{0,1\}\([^"]*\)"\{0,1\}$/\1:\2/' | awk '!seen[$0]++' > list.txt
lab_profile creds.yaml bench-creds-weak '{tcp_ports: "22,23,80", udp_ports: []}'
printf '  - id: S1.1-02\n    checks:\n      - probe: creds.defaults\n' >> creds.yaml
echo "creds bench: weak device $ADDR, $(wc -l < list.txt) pairs, $RUNS runs, median"

hy=(); sp=(); hy_found=0; sp_found=0
for _ in $(seq "$RUNS"); do
    t0=$(ms)
    hy_found=0
    for svc in "ssh://$ADDR" "telnet://$ADDR" "http-get://$ADDR/admin/"; do
        hydra -C list.txt -t 4 -f "$svc" 2>/dev/null | grep -q 'valid password found' && hy_found=$((hy_found + 1))
    done
    hy+=($(($(ms) - t0)))
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./creds.yaml -t "$ADDR" -d "$DECL" -o sp -f json --quiet >/dev/null 2>&1
    sp+=("$(jq '.timings_ms.creds' sp/report.json)")
    sp_found=$(jq '[.credentials[].service] | unique | length' sp/report.json)
done
h=$(printf '%s\n' "${hy[@]}" | median)
s=$(printf '%s\n' "${sp[@]}" | median)
printf '\n%-52s %8s %s\n' "default-credential sweep, 3 services ($ADDR)" "ms" "logins found"
printf '%-52s %8s %s of 3\n' "hydra -C list -t 4 -f, one run per service" "$h" "$hy_found"
printf '%-52s %8s %s of 3\n' "starprobe creds.defaults (timings_ms.creds)" "$s" "$sp_found"
awk -v a="$s" -v b="$h" 'BEGIN {printf "ratio creds: starprobe / hydra = %.2f  (goal <= 0.5)\n", a / b}'
