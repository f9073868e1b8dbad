#!/usr/bin/env bash
# fullrun.sh - one non-intrusive ★1 run of starprobe against the pipeline a lab runs today, one
# after the other on the same realistic weak device (tests/bench/realdev.sh, 127.0.15.2): medians
# of BENCH_RUNS (3) of each, the full-run ratio, per-step ratios from report.json timings_ms, where
# starprobe's time went, its peak RSS, and the logins each side found. Prints, never asserts.
#
# The lab pipeline, one tool after another:
#   nmap -sT -p- -T4                                       the port scan
#   nmap -sT -p 443 --script ssl-enum-ciphers              the TLS port
#   ssh-audit                                              the SSH server
#   hydra -C PAIRS -t 4 -f  on ssh, telnet, http-get /admin/   the 60-pair default list
#   mosquitto_sub -t '#' -W 5                              anonymous MQTT, 5 s to receive
#   coap-client GET /.well-known/core                      CoAP discovery
#
# starprobe: `assess -p jcstar-star1 -d device.yaml` with the defaults. Only when some program outside
# the device listens on a wildcard address of this machine (it would answer on 127.0.15.2 too) are
# its ports left out, of nmap's scan (--exclude-ports) and of starprobe's (a profile that extends
# jcstar-star1 and changes nothing else), so neither tool probes a service that is not the device's.
#
# Usage: tests/bench/fullrun.sh ./starprobe      (root: realdev.sh needs it)
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
RUNS=${BENCH_RUNS:-3}
RD="$ROOT/tests/bench/realdev.sh"
work_dir bench-full
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] || { echo "full-run bench: needs root (the realistic device runs sshd with PAM), skipped"; exit 0; }
trap '"$RD" stop "$WORK/realdev" >/dev/null 2>&1 || true; cleanup' EXIT INT TERM
cd "$WORK" || exit 70

read -r ADDR DECL PAIRS < <("$RD" start "$WORK/realdev" 2>"$WORK/realdev.log")
[ -n "${PAIRS:-}" ] || { echo "full-run bench: realdev.sh start failed:"; cat "$WORK/realdev.log"; exit 1; }
LOGINS="$(dirname "$DECL")/logins.txt"

# Wildcard listeners of this machine that are not the device's.
wild() { # PROTO(t|u): ports bound to 0.0.0.0, :: or *
    ss -Hl"$1"n | awk '{print $4}' | grep -E '^(0\.0\.0\.0|\*|\[::\]):[0-9]+$' | sed 's/.*://' | sort -nu
}
mapfile -t WILD_TCP < <(wild t)
mapfile -t WILD_UDP < <(wild u)
PROF=jcstar-star1 NMAP_EXCL=()
if [ ${#WILD_TCP[@]} -gt 0 ] || [ ${#WILD_UDP[@]} -gt 0 ]; then
    # tcp_ports 1-65535 without the wildcard ones; udp_ports the profile's list without them.
    tcp=$(printf '%s\n' "${WILD_TCP[@]}" | awk 'function rg(a, b) { return a == b ? a : a "-" b }
        BEGIN { lo = 1 } NF && $1 >= lo { if ($1 > lo) { r = r s rg(lo, $1 - 1); s = "," } lo = $1 + 1 }
        END { if (lo <= 65535) r = r s rg(lo, 65535); print r }')
    udp=$(sed -n '/probe: ports.exposure/,/udp_ports/p' "$ROOT/profiles/jcstar-star1.yaml" | sed -n 's/.*udp_ports: *\[\(.*\)\].*/\1/p' |
        tr -d ' ' | tr ',' '\n' | grep -vxF -f <(printf '%s\n' "${WILD_UDP[@]}" "x") | paste -sd, -)
    lab_profile star1-here.yaml bench-star1-here "{tcp_ports: \"$tcp\", udp_ports: [$udp]}"
    PROF=./star1-here.yaml
    excl=$( { printf 'T:%s\n' "${WILD_TCP[@]}"; printf 'U:%s\n' "${WILD_UDP[@]}"; } | grep -v ':$' | paste -sd, -)
    NMAP_EXCL=(--exclude-ports "$excl")
    echo "full-run bench: ports of this machine's wildcard listeners left out of both scans: ${excl}"
fi
echo "full-run bench: realistic weak device $ADDR, $(wc -l <"$PAIRS") pairs, $RUNS runs of each, medians"

# step NAME CMD...: run CMD, add its wall ms to T[NAME] for this run.
declare -A T
step() {
    local name=$1 t0
    shift
    t0=$(ms)
    "$@" >"$WORK/$name.out" 2>&1
    T[$name]=$(( $(ms) - t0 ))
}
hydra_run() { # URL OUT: one hydra run; its output in OUT
    hydra -C "$PAIRS" -t 4 -f "$1" >"$2" 2>&1
}

declare -A S # per-step series, "name" -> "v1 v2 v3"
add() { S[$1]="${S[$1]:-} $2"; }
# shellcheck disable=SC2086 # a series is a space-separated list, split on purpose
med() { printf '%s\n' ${S[$1]} | median; }
# shellcheck disable=SC2086
spread() { printf '%s\n' ${S[$1]} | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%s-%s", lo, hi}'; }

for run in $(seq "$RUNS"); do
    T=()
    step nmap nmap -sT -p- -T4 -n -Pn "${NMAP_EXCL[@]}" "$ADDR" -oG "$WORK/nmap.gnmap"
    step sslenum nmap -sT -Pn -n -p 443 --script ssl-enum-ciphers "$ADDR"
    step sshaudit ssh-audit -p 22 "$ADDR"
    step hy_ssh hydra_run "ssh://$ADDR" "$WORK/hy-ssh.txt"
    step hy_telnet hydra_run "telnet://$ADDR" "$WORK/hy-telnet.txt"
    step hy_http hydra_run "http-get://$ADDR/admin/" "$WORK/hy-http.txt"
    step mqtt mosquitto_sub -h "$ADDR" -t '#' -v -W 5
    step coap coap-client-notls -m get -B 5 "coap://$ADDR/.well-known/core"
    lab=0
    for k in "${!T[@]}"; do lab=$((lab + T[$k])); done
    add lab "$lab"
    for k in "${!T[@]}"; do add "$k" "${T[$k]}"; done
    add hydra $((T[hy_ssh] + T[hy_telnet] + T[hy_http]))
    add mqttcoap $((T[mqtt] + T[coap]))

    t0=$(ms)
    STARPROBE_PROFILES="$ROOT/profiles" /usr/bin/time -v -o "$WORK/time.$run" \
        "$SP" assess -p "$PROF" -t "$ADDR" -d "$DECL" -o "$WORK/sp$run" --quiet >/dev/null 2>"$WORK/sp$run.err"
    rc=$?
    add sp $(( $(ms) - t0 ))
    add sp_rc "$rc"
    # /usr/bin/time -v: the largest resident set of starprobe or any worker process it waited for.
    add rss "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.$run")"
    R="$WORK/sp$run/report.json"
    if [ -s "$R" ]; then
        for k in scan ssh tls creds unauth; do add "sp_$k" "$(jq ".timings_ms.$k // 0" "$R")"; done
        add sp_tcp "$(jq '.scan.tcp_ms // 0' "$R")"
    fi
    echo "  run $run: lab pipeline ${lab} ms, starprobe ${S[sp]##* } ms (exit $rc)"
done

LAB=$(med lab) SPW=$(med sp)
printf '\n%-58s %10s  %s\n' "full run on $ADDR (median of $RUNS)" "ms" "(min-max)"
printf '%-58s %10s  (%s)\n' "lab pipeline (nmap, ssl-enum-ciphers, ssh-audit, hydra x3, mqtt, coap)" "$LAB" "$(spread lab)"
printf '%-58s %10s  (%s)\n' "starprobe assess -p jcstar-star1 (non-intrusive)" "$SPW" "$(spread sp)"
awk -v a="$SPW" -v b="$LAB" 'BEGIN {printf "ratio full run: starprobe / lab pipeline = %.2f  (goal <= 0.5)\n", a / b}'

# timings_ms runs from a gatherer's start to its end: tls and unauth run beside creds and share the
# device's --jobs slots with it, so their figures include waits for a slot the sweep held.
printf '\n%-34s %10s  %-36s %10s %7s\n' "step: starprobe (timings_ms)" "ms" "lab tool" "ms" "ratio"
row() { # LABEL SP_KEY TOOL_LABEL TOOL_KEY
    local a b
    a=$(med "$2") b=$(med "$4")
    awk -v l="$1" -v a="$a" -v t="$3" -v b="$b" 'BEGIN {printf "%-34s %10s  %-36s %10s %7.2f\n", l, a, t, b, (b > 0 ? a / b : 0)}'
}
row "scan (connect scan + identify)" sp_scan "nmap -sT -p- -T4" nmap
row "  of which TCP connect (scan.tcp_ms)" sp_tcp "nmap -sT -p- -T4" nmap
row "tls" sp_tls "nmap --script ssl-enum-ciphers" sslenum
row "ssh" sp_ssh "ssh-audit" sshaudit
row "creds" sp_creds "hydra -t 4 -f, ssh+telnet+http" hydra
row "unauth" sp_unauth "mosquitto_sub -W 5 + coap-client" mqttcoap
printf '%-34s %10s  %-36s %s\n' "" "" "  hydra ssh / telnet / http" "$(med hy_ssh) / $(med hy_telnet) / $(med hy_http) (telnet $(spread hy_telnet))"
# shellcheck disable=SC2086
echo "starprobe exit codes:${S[sp_rc]}; peak RSS (largest process, /usr/bin/time -v): $(printf '%s\n' ${S[rss]} | sort -n | tail -1) KiB"
echo "where starprobe's time went (median ms): wall $SPW = scan $(med sp_scan) + ssh $(med sp_ssh)" \
    "+ creds $(med sp_creds) with tls $(med sp_tls) and unauth $(med sp_unauth) beside it (their slot waits included) + the rest"

# Logins: what each found in the last run, checked against what the device really accepts.
R="$WORK/sp$RUNS/report.json"
printf '\n%-8s %-20s %-24s %-24s\n' service "device accepts" starprobe "hydra -C -t 4 -f"
n_sp=0 n_hy=0 n_hy_wrong=0
while read -r port svc user pass; do
    s=$(jq -r --arg s "tcp/$port" '[.credentials[]? | select(.service == $s) | "\(.user):\(.password)"] | join(" ") | if . == "" then "-" else . end' "$R" 2>/dev/null)
    h=$(sed -n 's/.*login: \(.*\)   password: \(.*\)$/\1:\2/p' "$WORK/hy-$svc.txt" | paste -sd' ' -)
    [ -n "$h" ] || h=-
    case " $s " in *" $user:$pass "*) n_sp=$((n_sp + 1)) ;; esac
    for x in $h; do
        [ "$x" = - ] && continue
        if [ "$x" = "$user:$pass" ]; then n_hy=$((n_hy + 1)); else n_hy_wrong=$((n_hy_wrong + 1)); h="${h/$x/$x(WRONG)}"; fi
    done
    printf '%-8s %-20s %-24s %-24s\n' "$svc" "$user:$pass" "$s" "$h"
done <"$LOGINS"
echo "logins found: starprobe $n_sp of 3, hydra $n_hy of 3 (plus $n_hy_wrong pair(s) hydra reported that the device does not accept)"

mkdir -p "$ROOT/build/bench"
cp "$R" "$ROOT/build/bench/realdev-report.json" 2>/dev/null &&
    echo "last starprobe report: build/bench/realdev-report.json"
