#!/usr/bin/env bash
# bench.sh - `make bench`: starprobe timed beside the tools a lab would otherwise run, printed as
# ratios. Never an assertion: speed is measured here, not tested. About 8 minutes on an idle
# 2-core machine.
#
#   fullrun.sh  one non-intrusive ★1 run against the lab pipeline (nmap, ssl-enum-ciphers, ssh-audit,
#               hydra, mosquitto_sub, coap-client) on the realistic weak device (realdev.sh,
#               127.0.15.2: PAM and busybox login failure delays, a silent high port, silent UDP
#               ports): medians, per-step ratios, peak RSS, logins found by each
#   silent.sh   a target that answers nothing (its own network namespace): time to exit, exit code
#   ssh.sh      the SSH audit of one sshd beside ssh-audit (127.0.2.30)
#   tls.sh      one TLS port beside nmap ssl-enum-ciphers (127.0.1.21); testssl.sh too with BENCH_TESTSSL=1
#
# Usage: tests/bench/bench.sh ./starprobe      (root)
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
SP=$(realpath "${1:-./starprobe}")

"$HERE/fullrun.sh" "$SP"
echo
"$HERE/silent.sh" "$SP"
echo
"$HERE/ssh.sh" "$SP"
echo
"$HERE/tls.sh" "$SP"
