#!/usr/bin/env bash
# ssh.sh - starprobe's SSH audit of one port beside ssh-audit's, on one OpenSSH
# sshd (RSA and Ed25519 host keys) at 127.0.2.30:22022. Prints medians of 5 runs
# and the ratio; asserts nothing (timings are not tests).
#
# starprobe's run includes its one-port scan, the KEXINIT read, one libssh
# session per host key class and the "none" authentication request;
# ssh-audit's includes its own key exchanges per host key type.
#
# Usage: tests/bench/ssh.sh ./starprobe
set -uo pipefail

SP=$(realpath "${1:-./starprobe}")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ADDR=127.0.2.30 PORT=22022 RUNS=5
WORK=$(mktemp -d /tmp/starprobe-bench-ssh.XXXXXX)
PID=''
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

command -v ssh-audit >/dev/null || { echo "ssh bench: ssh-audit not installed, skipped"; exit 0; }
if ss -ltnH "src $ADDR:$PORT" | grep -q .; then echo "ssh bench: $ADDR:$PORT busy, skipped"; exit 0; fi
ssh-keygen -q -t rsa -b 3072 -N '' -f "$WORK/rsa"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ed25519"
printf 'ListenAddress %s:%s\nHostKey %s/rsa\nHostKey %s/ed25519\nPidFile none\nUsePAM no\n' \
    "$ADDR" "$PORT" "$WORK" "$WORK" > "$WORK/sshd.cfg"
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$WORK/sshd.cfg" 2>"$WORK/sshd.log" & PID=$!
for _ in $(seq 50); do ss -ltnH "src $ADDR:$PORT" | grep -q . && break; sleep 0.1; done
printf 'profile: ssh-bench\nextends: jcstar-star1\nrequirements:\n  - id: S1.1-13\n    checks:\n      - probe: ports.exposure\n        with: {tcp_ports: "%s", udp_ports: [22161]}\n' \
    "$PORT" > "$WORK/lab.yaml"

sp=() sa=()
for _ in $(seq $RUNS); do
    t0=$(ms)
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p "$WORK/lab.yaml" -t "$ADDR" -o "$WORK/out" -f json --quiet >/dev/null 2>&1
    t1=$(ms); sp+=($((t1 - t0)))
    t0=$(ms); ssh-audit -j -p "$PORT" "$ADDR" >/dev/null 2>&1; t1=$(ms); sa+=($((t1 - t0)))
done
s=$(printf '%s\n' "${sp[@]}" | median)
a=$(printf '%s\n' "${sa[@]}" | median)
keys=$(jq -r '[.services[].ssh.host_keys[] | "\(.type) \(.bits)"] | join(", ")' "$WORK/out/report.json")
printf '\n%-60s %10s\n' "SSH audit of $ADDR:$PORT ($keys)" "median ms"
printf '%-60s %10s\n' "starprobe assess (1-port scan + KEXINIT + host keys + auth)" "$s"
printf '%-60s %10s\n' "ssh-audit -j" "$a"
awk -v a="$s" -v b="$a" 'BEGIN {printf "ratio ssh: starprobe / ssh-audit = %.2f  (< 1: starprobe faster)\n", a / b}'
