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

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
ADDR=127.0.2.30 PORT=22022 RUNS=5
work_dir bench-ssh
on_exit

command -v ssh-audit >/dev/null || { echo "ssh bench: ssh-audit not installed, skipped"; exit 0; }
if listening "$ADDR:$PORT"; then echo "ssh bench: $ADDR:$PORT busy, skipped"; exit 0; fi
ssh_key "$WORK/rsa" rsa 3072
ssh_key "$WORK/ed25519" ed25519
printf 'ListenAddress %s:%s\nHostKey %s/rsa\nHostKey %s/ed25519\nPidFile none\nUsePAM no\n' \
    "$ADDR" "$PORT" "$WORK" "$WORK" > "$WORK/sshd.cfg"
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f "$WORK/sshd.cfg" 2>"$WORK/sshd.log" & PIDS+=($!)
wait_listening 50 "$ADDR:$PORT"
bench_profile "$WORK/lab.yaml" "$PORT" ssh.algorithms

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
printf '%-60s %10s\n' "  of which the SSH step (report timings_ms.ssh, last run)" "$(jq '.timings_ms.ssh' "$WORK/out/report.json")"
printf '%-60s %10s\n' "ssh-audit -j" "$a"
awk -v a="$s" -v b="$a" 'BEGIN {printf "ratio ssh: starprobe / ssh-audit = %.2f  (< 1: starprobe faster)\n", a / b}'
