#!/usr/bin/env bash
# all.sh - run the named integration scripts one after another, every one even after another has
# failed, and print each script's own count and then the total as the closing line.
#
#   tests/integration/all.sh ./starprobe cli update ssh ...
#
# A script that dies before its closing "N passed, M failed" line (a crash, a missing tool) counts
# as one failure, so a broken script can never make the total look clean.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SP=$1
shift
total_pass=0 total_fail=0 failed=() rows=()
log=$(mktemp /tmp/starprobe-integration.XXXXXX)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
    echo "== tests/integration/$t.sh"
    start=$(date +%s)
    # Each script under its own lock: on a shared machine two runs of one script would fight
    # over its fixed addresses and namespaces (report.sh takes e2e.sh's lock itself).
    flock "/tmp/sp-lock-$t.lock" "$HERE/$t.sh" "$SP" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=0 f=1
    if [ -n "$line" ]; then
        read -r p _ f _ <<<"$line"
    fi
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    [ "$rc" = 0 ] || failed+=("$t")
    rows+=("$(printf '%-10s %4d passed, %d failed  (exit %d, %d s)' "$t" "$p" "$f" "$rc" $(($(date +%s) - start)))")
done
echo
echo "== integration scripts"
printf '%s\n' "${rows[@]}"
[ ${#failed[@]} = 0 ] || echo "failed: ${failed[*]}"
printf 'integration: %d passed, %d failed\n' "$total_pass" "$total_fail"
[ ${#failed[@]} = 0 ]
