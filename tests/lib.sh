# shellcheck shell=bash
# tests/lib.sh - what the integration scripts (tests/integration/*.sh) and the bench scripts
# (tests/bench/*.sh) share: the ok / not ok counters and the final "N passed, M failed" line CI
# parses, jq assertions on a report, the PIDs of the servers a script starts and the trap that
# stops exactly those, port checks, the scratch directory, throw-away keys and lab profiles.
#
# Sourced, never run:   . "$(dirname "$0")/../lib.sh"
# Every function is safe under set -e and set -u; the servers themselves stay in each script.

# The repository root, whatever directory the script was started from.
# shellcheck disable=SC2034 # used by the sourcing scripts
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pass=0
fail=0
PIDS=()
WORK=''
# check's failure detail: the jq filter whose value is shown, and the label it is shown under.
CHECK_SHOW=''
CHECK_LABEL=''

# ok DESC: count a passed assertion and print its line.
ok() {
    pass=$((pass + 1))
    printf 'ok - %s\n' "$1"
}

# not_ok DESC [DETAIL]: count a failed assertion, print its line and the detail indented under it.
not_ok() {
    fail=$((fail + 1))
    printf 'not ok - %s\n' "$1"
    if [ -n "${2:-}" ]; then printf '    %s\n' "$2"; fi
}

# summary: print the final "N passed, M failed" line; false when anything failed (end scripts with it).
summary() {
    schema_all
    printf '%d passed, %d failed\n' "$pass" "$fail"
    [ "$fail" = 0 ]
}

# schema_all: one assertion that every report.json the script wrote (under $WORK, and $OUTDIR
# when set) validates against docs/report.schema.json; nothing when it wrote none. A missing
# validator (python3-jsonschema, in tests/deps.txt) is a failure, not a skip.
schema_all() {
    local dirs=() files=() out
    [ -n "${WORK:-}" ] && [ -d "$WORK" ] && dirs+=("$WORK")
    [ -n "${OUTDIR:-}" ] && [ -d "$OUTDIR" ] && dirs+=("$OUTDIR")
    [ ${#dirs[@]} -gt 0 ] || return 0
    mapfile -t files < <(find "${dirs[@]}" -type f -name report.json 2>/dev/null | sort -u)
    [ ${#files[@]} -gt 0 ] || return 0
    if out=$(/usr/bin/python3 "$ROOT/tests/schema-check.py" "${files[@]}" 2>&1); then
        ok "every report.json this script wrote (${#files[@]}) validates against docs/report.schema.json"
    else
        not_ok "every report.json this script wrote validates against docs/report.schema.json" \
            "$(grep -v '^ok ' <<<"$out" | head -n 5)"
    fi
}

# bail DESC: give up before the assertions (a busy port, a missing tool): one failure, the final line, exit 1.
bail() {
    not_ok "$1"
    summary || exit 1
    exit 1
}

# check REPORT DESC FILTER [SHOW]: assert the jq FILTER is true on REPORT; a failure shows FILTER and
# what the jq filter SHOW (default $CHECK_SHOW, nothing when empty) finds, under the label $CHECK_LABEL.
check() {
    local report=$1 desc=$2 filter=$3 show=${4:-$CHECK_SHOW}
    if jq -e "$filter" "$report" >/dev/null 2>&1; then
        ok "$desc"
    elif [ -z "$show" ]; then
        not_ok "$desc" "jq '$filter' is false"
    else
        not_ok "$desc" "jq '$filter' is false; $CHECK_LABEL: $(jq -c "$show" "$report" 2>/dev/null | head -c 600)"
    fi
}

# work_dir NAME: create the script's scratch directory /tmp/starprobe-NAME.XXXXXX as $WORK.
work_dir() {
    WORK=$(mktemp -d "/tmp/starprobe-$1.XXXXXX")
}

# stop_pids: stop exactly the servers recorded in PIDS (never by name) and reap them.
stop_pids() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}

# cleanup: stop the recorded servers and remove $WORK (kept, and named on stderr, when KEEP is set).
cleanup() {
    stop_pids
    if [ -z "${WORK:-}" ]; then return 0; fi
    if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}

# on_exit: run cleanup when the script exits or is interrupted.
on_exit() {
    trap cleanup EXIT INT TERM
}

# listening [PROTO/]ADDR:PORT: true when a socket listens there; PROTO tcp (default), udp or tcp+udp;
# an empty ADDR means any address, an empty PORT any port.
listening() {
    local spec=$1 proto=tcp flags addr port filter=()
    case $spec in */*) proto=${spec%%/*} spec=${spec#*/} ;; esac
    addr=${spec%:*} port=${spec##*:}
    case $proto in
    tcp) flags=-Hltn ;;
    udp) flags=-Hlun ;;
    *) flags=-Hltun ;;
    esac
    if [ -n "$addr" ] && [ -n "$port" ]; then filter=("src $addr and sport = :$port")
    elif [ -n "$addr" ]; then filter=("src $addr")
    elif [ -n "$port" ]; then filter=("sport = :$port"); fi
    ss "$flags" "${filter[@]}" 2>/dev/null | grep -q .
}

# wait_listening TRIES SPEC...: poll every 0.1 s, at most TRIES times, until every SPEC (as for
# listening) is up; $UP is how many were up at the last poll; true when all were.
wait_listening() {
    local tries=$1 s
    shift
    UP=0
    for _ in $(seq "$tries"); do
        UP=0
        for s in "$@"; do if listening "$s"; then UP=$((UP + 1)); fi; done
        if [ "$UP" = $# ]; then return 0; fi
        sleep 0.1
    done
    return 1
}

# make_cert NAME SUBJECT KEY DAYS [ARG...]: a throw-away self-signed certificate NAME.crt with its key
# NAME.key; KEY is ec (P-256) or rsa:BITS; ARGs go to openssl req (-sha256, -addext ...).
make_cert() {
    local name=$1 subj=$2 key=$3 days=$4 newkey
    shift 4
    newkey=(-newkey "$key")
    if [ "$key" = ec ]; then newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256); fi
    openssl req -x509 "${newkey[@]}" -nodes -days "$days" -subj "$subj" "$@" \
        -keyout "$name.key" -out "$name.crt" 2>/dev/null
}

# ssh_key FILE TYPE [BITS]: a throw-away SSH key pair FILE and FILE.pub, no passphrase.
ssh_key() {
    ssh-keygen -q -t "$2" ${3:+-b "$3"} -N '' -f "$1"
}

# accounts PASSWD SHADOW: set ACCOUNTS to a command prefix that runs a server in a private mount
# namespace seeing PASSWD and SHADOW as /etc/passwd and /etc/shadow (the host's files stay unseen);
# the prefix execs the server, so "${ACCOUNTS[@]}" srv & PIDS+=($!) records the server's own PID.
accounts() {
    # shellcheck disable=SC2016,SC2034 # $1.. belong to the inner sh; ACCOUNTS is for the caller
    ACCOUNTS=(unshare --mount --propagation private sh -c
        'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"' sh "$1" "$2")
}

# lab_profile FILE ID WITH: a profile ID extending jcstar-star1 whose port probe takes the parameters
# WITH (a YAML flow map), so a scan covers only the ports the script owns.
lab_profile() {
    printf 'profile: %s\nextends: jcstar-star1\nrequirements:\n  - id: S1.1-13\n    checks:\n      - probe: ports.exposure\n        with: %s\n' \
        "$2" "$3" >"$1"
}

# bench_profile FILE TCP_PORTS PROBE...: a stand-alone profile with the port probe on TCP_PORTS (no UDP)
# and one requirement per PROBE, so a bench times only the work it compares.
bench_profile() {
    local file=$1 ports=$2 p
    shift 2
    printf 'profile: bench\nlevel: 0\nrequirements:\n  - {id: SCAN, title: scan, assess: probe, checks: [{probe: ports.exposure, with: {tcp_ports: "%s", udp_ports: []}}]}\n' \
        "$ports" >"$file"
    for p in "$@"; do
        printf '  - {id: %s, title: %s, assess: probe, checks: [{probe: %s}]}\n' "$p" "$p" "$p" >>"$file"
    done
}

# ms: the wall clock in milliseconds, for bench timings.
ms() {
    date +%s%3N
}

# median: the median of the numbers on stdin, one per line.
median() {
    sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'
}
