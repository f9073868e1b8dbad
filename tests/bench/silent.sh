#!/usr/bin/env bash
# silent.sh - how long starprobe takes to give up on a target that answers nothing at all: an address
# in a network namespace of its own (sp-bench-silent, 198.18.15.2 behind a veth pair) whose firewall
# drops every packet, so no port answers and none refuses, as when a lab types the wrong address of
# a powered-off unit. Runs the bundled ★1 profile with the default deadline and prints the wall time
# and the exit code (69 is "target unreachable"). Prints, never asserts.
#
# The bench stops waiting after SILENT_CAP seconds (default 30): it sends ^C (SIGINT), which makes
# starprobe end its checks INCONCLUSIVE and write the report, and says so.
#
# Usage: tests/bench/silent.sh ./starprobe      (root: it creates the namespace)
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
CAP=${SILENT_CAP:-30}
NS=sp-bench-silent VH=sp-bench-sh VD=sp-bench-sd
HOST_ADDR=198.18.15.1 ADDR=198.18.15.2
work_dir bench-silent

[ "$(id -u)" = 0 ] || { echo "silent target: needs root (network namespace), skipped"; exit 0; }
teardown() {
    ip link del "$VH" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    cleanup
}
trap teardown EXIT INT TERM
if ! ip netns add "$NS" 2>/dev/null; then echo "silent target: namespace $NS exists (another bench?), skipped"; exit 0; fi
ip link del "$VH" 2>/dev/null || true
ip link add "$VH" type veth peer name "$VD"
ip link set "$VD" netns "$NS"
ip -n "$NS" addr add "$ADDR/24" dev "$VD"
ip -n "$NS" link set "$VD" up
ip -n "$NS" link set lo up
ip addr add "$HOST_ADDR/24" dev "$VH"
ip link set "$VH" up
# Everything that reaches the address is dropped: no SYN-ACK, no RST, no ICMP. (ARP still
# answers, as a real host behind a dropping firewall does.)
ip netns exec "$NS" nft -f - <<'EOF'
table inet silent {
    chain in { type filter hook input priority 0; policy drop; }
}
EOF

t0=$(ms)
timeout --preserve-status -s INT -k 15 "$CAP" \
    "$SP" assess -p jcstar-star1 -t "$ADDR" -o "$WORK/sp" -f json --quiet >"$WORK/out.txt" 2>"$WORK/err.txt"
rc=$?
t=$(( $(ms) - t0 ))

printf '\n%-60s %10s %s\n' "target that answers nothing ($ADDR, all packets dropped)" "wall ms" "exit"
note=''
[ "$t" -ge $((CAP * 1000)) ] && note="  (did not exit by itself: stopped by the bench with ^C at ${CAP} s)"
printf '%-60s %10s %s%s\n' "starprobe assess -p jcstar-star1 (default deadline)" "$t" "$rc" "$note"
if [ -s "$WORK/sp/report.json" ]; then
    jq -r '"report: verdict \(.verdict); checks PASS \([.requirements[].checks[] | select(.verdict == "PASS")] | length), NOT_APPLICABLE \([.requirements[].checks[] | select(.verdict == "NOT_APPLICABLE")] | length); timings_ms \(.timings_ms | tostring)"' \
        "$WORK/sp/report.json" 2>/dev/null || true
else
    echo "report: none written"
fi
grep -m 2 -iE 'unreachable|error' "$WORK/err.txt" | sed 's/^/stderr: /' || true
