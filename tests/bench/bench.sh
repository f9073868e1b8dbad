#!/usr/bin/env bash
# bench.sh - starprobe's full TCP scan side by side with nmap on the same
# target in the same run, printed as ratios. Never an assertion: speed is
# measured here, not tested.
#
# Target: the weak reference device (its own network namespace), so both
# tools see the same open ports and the same RST-answering closed ones.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
RUNS=${BENCH_RUNS:-3}
TB="$ROOT/tests/testbed/testbed.sh"
work_dir bench
trap '"$TB" down weak >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT INT TERM

read -r ADDR DECL < <("$TB" up weak)
echo "bench: target $ADDR (weak reference device), $RUNS runs each, median reported"

nmap_t=(); sp_wall=(); sp_scan=(); nmap_sv=()
for _ in $(seq "$RUNS"); do
    t0=$(ms); nmap -sT -p- -T4 -n -Pn "$ADDR" -oG "$WORK/nmap.gnmap" >/dev/null; t1=$(ms)
    nmap_t+=($((t1 - t0)))
    t0=$(ms)
    "$SP" assess -p "$ROOT/tests/bench/scan-only.yaml" -t "$ADDR" -d "$DECL" -o "$WORK/sp" --quiet >/dev/null || true
    t1=$(ms)
    sp_wall+=($((t1 - t0)))
    sp_scan+=("$(jq '.scan.tcp_ms' "$WORK/sp/report.json")")
done
# Identification compared on the open ports only: nmap -sV over all 65535
# ports mostly measures its scan again.
open_list=$(grep -o '[0-9]*/open' "$WORK/nmap.gnmap" | cut -d/ -f1 | paste -sd, -)
t0=$(ms); nmap -sT -sV -p "$open_list" -T4 -n -Pn "$ADDR" >/dev/null; t1=$(ms); nmap_sv+=($((t1 - t0)))

n_nmap=$(printf '%s\n' "${nmap_t[@]}" | median)
n_sv=${nmap_sv[0]}
s_scan=$(printf '%s\n' "${sp_scan[@]}" | median)
s_wall=$(printf '%s\n' "${sp_wall[@]}" | median)
open_nmap=$(grep -o '[0-9]*/open' "$WORK/nmap.gnmap" | wc -l)
open_sp=$(jq '.scan.tcp_open' "$WORK/sp/report.json")
mem_sp=$( { /usr/bin/time -f '%M' "$SP" assess -p "$ROOT/tests/bench/scan-only.yaml" -t "$ADDR" -d "$DECL" -o "$WORK/sp2" --quiet >/dev/null; } 2>&1 | tail -1 || true)
mem_nmap=$( { /usr/bin/time -f '%M' nmap -sT -p- -T4 -n -Pn "$ADDR" >/dev/null; } 2>&1 | tail -1 || true)

printf '\n%-44s %10s\n' "what (65535 TCP ports, $ADDR)" "median ms"
printf '%-44s %10s\n' "nmap -sT -p- -T4 (open: $open_nmap)" "$n_nmap"
printf '%-44s %10s\n' "starprobe TCP scan phase (open: $open_sp)" "$s_scan"
printf '%-44s %10s\n' "starprobe scan + identification, wall" "$s_wall"
printf '%-44s %10s\n' "nmap -sT -sV on the open ports (one run)" "$n_sv"
awk -v a="$s_scan" -v b="$n_nmap" 'BEGIN {printf "\nratio scan: starprobe / nmap -sT        = %.2f  (< 1: starprobe faster)\n", a / b}'
awk -v a="$s_wall" -v b="$n_nmap" -v c="$n_sv" 'BEGIN {printf "ratio with identification: starprobe (scan + ident) / (nmap -sT + nmap -sV open ports) = %.2f\n", a / (b + c)}'
[ -n "$mem_sp" ] && echo "max RSS: starprobe ${mem_sp} KiB, nmap ${mem_nmap} KiB"

"$TB" down weak >/dev/null 2>&1 || true

# SSH: starprobe beside ssh-audit on one sshd (its own server on 127.0.2.30).
"$ROOT/tests/bench/ssh.sh" "$SP" || true
# TLS enumeration of one port against nmap ssl-enum-ciphers and testssl.sh (tests/bench/tls.sh).
"$ROOT/tests/bench/tls.sh" "$SP"
# Default-credential sweep against hydra (its own servers on 127.0.3.31-33).
echo
"$(dirname "$0")/creds.sh" "$SP" || true
# The same sweep on the weak reference device, the issue's yardstick (tests/bench/creds_weak.sh).
echo
"$(dirname "$0")/creds_weak.sh" "$SP" || true
