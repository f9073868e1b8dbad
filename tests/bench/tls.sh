#!/usr/bin/env bash
# tls.sh - version + suite enumeration of one TLS port, side by side: starprobe's tls gatherer,
# nmap --script ssl-enum-ciphers and testssl.sh -p -E, against the same legacy openssl s_server
# (TLS 1.0-1.3, ALL:@SECLEVEL=0) on 127.0.1.21. Prints times, ratios and handshake counts;
# asserts nothing (docs/design.md §9.4). testssl.sh runs only with BENCH_TESTSSL=1: it takes one to
# five minutes on its own, which would take `make bench` past ten minutes.
#
# Usage: [BENCH_TESTSSL=1] tests/bench/tls.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir tlsbench
ADDR=127.0.1.21 PORT=20443
on_exit
cd "$WORK" || exit 70

make_cert bench /CN=bench rsa:2048 2
openssl s_server -quiet -www -accept "$ADDR:$PORT" -cert bench.crt -key bench.key \
    -cipher 'ALL:@SECLEVEL=0' -min_protocol TLSv1 >/dev/null 2>&1 & PIDS+=($!)
wait_listening 50 "$ADDR:$PORT"
bench_profile p.yaml "$PORT" tls.versions tls.ciphers tls.certificate

# starprobe: the whole run (scan + identification + TLS), and the TLS facts it found.
t0=$(ms); "$SP" assess -p ./p.yaml -t "$ADDR" -o sp -q >/dev/null 2>&1; t_sp=$(( $(ms) - t0 ))
hs_sp=$(jq '[.services[].tls.handshakes // 0] | add' sp/report.json)
n_sp=$(jq '[.services[].tls.ciphers // {} | to_entries[] | .value | length] | add' sp/report.json)
v_sp=$(jq -c '[.services[].tls.versions // []] | add' sp/report.json)

t0=$(ms); nmap -Pn -n -sT -p "$PORT" --script ssl-enum-ciphers "$ADDR" -oN nmap.txt >/dev/null 2>&1; t_nmap=$(( $(ms) - t0 ))
n_nmap=$(grep -cE '^\|[ _]+TLS_' nmap.txt)

t_ts=0 n_ts='-'
if [ "${BENCH_TESTSSL:-0}" = 1 ]; then
    t0=$(ms); testssl --quiet --color 0 --warnings off --jsonfile ts.json -p -E "$ADDR:$PORT" >/dev/null 2>&1; t_ts=$(( $(ms) - t0 ))
    n_ts=$(jq '[.[] | select(.id | startswith("cipher-tls") or startswith("cipher-ssl"))] | length' ts.json 2>/dev/null)
fi

printf '\n%-52s %9s %14s\n' "one TLS port ($ADDR:$PORT, legacy s_server)" "wall ms" "suites found"
printf '%-52s %9s %14s\n' "starprobe assess (scan + ident + tls), $hs_sp handshakes" "$t_sp" "$n_sp"
printf '%-52s %9s %14s\n' "nmap --script ssl-enum-ciphers" "$t_nmap" "$n_nmap"
if [ "$t_ts" -gt 0 ]; then printf '%-52s %9s %14s\n' "testssl.sh -p -E" "$t_ts" "$n_ts"
else printf '%-52s %9s\n' "testssl.sh -p -E (not run; BENCH_TESTSSL=1 runs it)" "-"; fi
echo "starprobe versions: $v_sp; of its wall time the TLS step took $(jq '.timings_ms.tls' sp/report.json) ms"
awk -v a="$t_sp" -v b="$t_nmap" -v c="$t_ts" 'BEGIN {
    printf "ratio starprobe / nmap ssl-enum-ciphers = %.2f  (< 1: starprobe faster)\n", a / b
    if (c > 0) printf "ratio starprobe / testssl.sh -p -E      = %.2f\n", a / c }'
