#!/usr/bin/env bash
# upnp.sh - auth.unauthenticated (S1.1-01) on UPnP behind SSDP and on ONVIF's device service:
#   sp-upnp-<pid>   a network namespace of this script's own: MiniDLNA (Debian's minidlna, a real UPnP
#                   media server) on 10.18.0.1 with its own configuration, media, database and log
#                   directories, announcing on a veth inside the namespace only; starprobe runs in
#                   there too. MiniDLNA's SSDP socket on Linux is bound to the multicast group, so a
#                   unicast M-SEARCH to 10.18.0.1:1900 is redirected to the group by one nftables
#                   rule inside the namespace, as a device listening on its own address would get it.
#                   Its three services answer their read actions to anyone          → FAIL
#                   the same, with the declaration naming /ctl/ public (and only SSDP scanned) → PASS
#   127.0.18.1      an ONVIF stand-in answering GetDeviceInformation and GetUsers without
#                   WS-Security (Debian packages no ONVIF server, see upnp/onvif-standin.py) → FAIL
#   127.0.18.2      the stand-in answering both with the NotAuthorized fault         → PASS
# Every server is started here, its PID recorded and killed on exit; the namespace is removed.
#
# Usage: tests/integration/upnp.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
HERE=$(cd "$(dirname "$0")" && pwd)
work_dir upnp
chmod 755 "$WORK"
NS=sp-upnp-$$
A_DLNA=10.18.0.1 A_ONVIF_OPEN=127.0.18.1 A_ONVIF_SHUT=127.0.18.2
P_DLNA=8200 P_ONVIF=8080
NS_MADE=0
# `ip netns exec` forks: the PID it leaves in PIDS is its own, so MiniDLNA is stopped by the PID it
# wrote itself (-P), read before cleanup removes the directory.
finish() {
    local pid
    pid=$(cat "$WORK/minidlna.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    cleanup
    if [ "$NS_MADE" = 1 ]; then ip netns del "$NS" 2>/dev/null || true; fi
}
trap finish EXIT INT TERM
CHECK_LABEL=S1.1-01 CHECK_SHOW='.requirements[] | select(.id=="S1.1-01") | .checks[0] | {verdict, reason}'
EV='[.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .evidence[]]'
VERDICT='(.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .verdict)'
REASON='(.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .reason)'

cd "$WORK" || exit 70
for a in $A_ONVIF_OPEN $A_ONVIF_SHUT; do
    if listening "tcp+udp/$a:"; then bail "$a is in use on this machine"; fi
done
ip netns add "$NS" || bail "network namespace $NS created"
NS_MADE=1
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link set lo up &&
    in_ns ip link add v0 type veth peer name v1 &&
    in_ns ip addr add $A_DLNA/24 dev v0 &&
    in_ns ip link set v0 up && in_ns ip link set v1 up &&
    in_ns ip route add 239.0.0.0/8 dev v0 || bail "veth in $NS"
in_ns nft -f - <<NFT || bail "nftables redirect of unicast M-SEARCH in $NS"
table ip sp_upnp {
    chain out {
        type nat hook output priority -100; policy accept;
        ip daddr $A_DLNA udp dport 1900 dnat to 239.255.255.250
    }
}
NFT

# ---- MiniDLNA ----
mkdir -p media db log
printf 'sp-upnp\n' > media/readme.txt
cat > minidlna.conf <<CFG
port=$P_DLNA
network_interface=v0
media_dir=$WORK/media
db_dir=$WORK/db
log_dir=$WORK/log
friendly_name=sp-upnp-nas
serial=SP-UPNP-0001
model_number=18.1
inotify=no
notify_interval=900
CFG
in_ns /usr/sbin/minidlnad -f "$WORK/minidlna.conf" -P "$WORK/minidlna.pid" -S >minidlna.log 2>&1 & PIDS+=($!)

# ---- the ONVIF stand-ins ----
python3 "$HERE/upnp/onvif-standin.py" $A_ONVIF_OPEN $P_ONVIF open >onvif-open.log 2>&1 & PIDS+=($!)
python3 "$HERE/upnp/onvif-standin.py" $A_ONVIF_SHUT $P_ONVIF protected >onvif-shut.log 2>&1 & PIDS+=($!)

wait_listening 100 "$A_ONVIF_OPEN:$P_ONVIF" "$A_ONVIF_SHUT:$P_ONVIF" || bail "ONVIF stand-ins listening ($UP of 2 up)"
for _ in $(seq 100); do
    if in_ns ss -Hltn "sport = :$P_DLNA" | grep -q . && in_ns ss -Hlun "sport = :1900" | grep -q .; then break; fi
    sleep 0.1
done
in_ns ss -Hltn "sport = :$P_DLNA" | grep -q . || bail "minidlnad listening in $NS: $(tail -c 400 minidlna.log)"

lab_profile lab.yaml upnp-lab "{tcp_ports: \"$P_DLNA\", udp_ports: [1900]}"
printf '  - id: S1.1-01\n    checks:\n      - probe: auth.unauthenticated\n' >> lab.yaml
lab_profile ssdp-only.yaml upnp-ssdp "{tcp_ports: \"1\", udp_ports: [1900]}"
printf '  - id: S1.1-01\n    checks:\n      - probe: auth.unauthenticated\n' >> ssdp-only.yaml
lab_profile onvif.yaml onvif-lab "{tcp_ports: \"$P_ONVIF\", udp_ports: []}"
printf '  - id: S1.1-01\n    checks:\n      - probe: auth.unauthenticated\n' >> onvif.yaml
cat > public.yaml <<DECL
device: {vendor: SP, model: upnp-nas, firmware: "1.3.0", category: nas}
services:
  - {port: 1900, transport: udp, service: ssdp, purpose: "UPnP media server", auth: none, public: ["/ctl/*"]}
DECL

assess() { # PROFILE ADDR OUTDIR [ARG...]: in the namespace when ADDR is MiniDLNA's
    local prof=$1 addr=$2 out=$3
    shift 3
    local run=()
    if [ "$addr" = $A_DLNA ]; then run=(ip netns exec "$NS"); fi
    STARPROBE_PROFILES="$ROOT/profiles" "${run[@]}" "$SP" assess -p "./$prof" -t "$addr" -o "$out" --quiet \
        --deadline 120 "$@" >"$out.stdout" 2>"$out.stderr"
    [ -s "$out/report.json" ] || not_ok "report for $addr ($out) written" "$(head -c 600 "$out.stderr")"
}

# ---- MiniDLNA: every read action answered ----
assess lab.yaml $A_DLNA dlna
R=dlna/report.json
check $R "minidlna: services found (ssdp on udp/1900, its web server on tcp/$P_DLNA)" \
    "[.services[] | \"\(.transport)/\(.port) \(.service)\"] | sort == ([\"udp/1900 ssdp\", \"tcp/$P_DLNA http\"] | sort)"
check $R "minidlna: S1.1-01 FAIL" "$VERDICT == \"FAIL\""
check $R "minidlna: the reason names udp/1900 ssdp" "$REASON | test(\"udp/1900 ssdp\")"
check $R "minidlna: the description was read from the LOCATION of a new M-SEARCH" \
    ".services[] | select(.port == 1900) | .upnp.devices[0] | .location == \"http://$A_DLNA:$P_DLNA/rootDesc.xml\" and .friendly_name == \"sp-upnp-nas\" and .serial_number == \"SP-UPNP-0001\" and .model_number == \"18.1\" and (.model_name | test(\"MiniDLNA\")) and .device_type == \"urn:schemas-upnp-org:device:MediaServer:1\""
check $R "minidlna: its three services with their control URLs" \
    ".services[] | select(.port == 1900) | [.upnp.devices[0].services[] | \"\(.service_type) \(.control_url)\"] == [\"urn:schemas-upnp-org:service:ContentDirectory:1 /ctl/ContentDir\", \"urn:schemas-upnp-org:service:ConnectionManager:1 /ctl/ConnectionMgr\", \"urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1 /ctl/X_MS_MediaReceiverRegistrar\"]"
check $R "minidlna: GetProtocolInfo answered without credentials (the real answer: the protocols it serves)" \
    "$EV | any(.service == \"udp/1900\" and (.detail | test(\"control /ctl/ConnectionMgr#GetProtocolInfo open without credentials: POST /ctl/ConnectionMgr .urn:schemas-upnp-org:service:ConnectionManager:1, port $P_DLNA. without credentials: HTTP 200 with GetProtocolInfoResponse\")))"
check $R "minidlna: all three read actions open, nothing else asked" \
    ".services[] | select(.port == 1900) | [.unauth.items[] | \"\(.item) \(.result)\"] == [\"/ctl/ContentDir#GetSystemUpdateID open\", \"/ctl/ConnectionMgr#GetProtocolInfo open\", \"/ctl/X_MS_MediaReceiverRegistrar#IsAuthorized open\"]"
check $R "minidlna: the UPnP service is no longer 'not examined'" \
    "$EV | all(.service != \"udp/1900\" or (.detail | test(\"not examined\") | not))"
check $R "minidlna: its web server is no ONVIF device: no onvif item, a fact saying why" \
    ".services[] | select(.port == $P_DLNA) | ([.unauth.items[] | select(.kind == \"onvif\")] | length) == 0 and (.http.onvif.not_onvif | test(\"no SOAP envelope\"))"

# ---- MiniDLNA with its control URLs declared public ----
assess ssdp-only.yaml $A_DLNA dlna-public -d public.yaml
R=dlna-public/report.json
check $R "minidlna, /ctl/* declared public: S1.1-01 PASS" "$VERDICT == \"PASS\""
check $R "minidlna, declared public: each answered action named as declared, not a finding" \
    "[$EV[] | select(.service == \"udp/1900\" and (.detail | test(\"declared public .entry ./ctl/\\\\*.., not a finding\")))] | length == 3"

# ---- ONVIF, open ----
assess onvif.yaml $A_ONVIF_OPEN onvif-open
R=onvif-open/report.json
check $R "onvif open: S1.1-01 FAIL on tcp/$P_ONVIF http" "$VERDICT == \"FAIL\" and ($REASON | test(\"tcp/$P_ONVIF http\"))"
check $R "onvif open: GetUsers answered without WS-Security, both users named" \
    "$EV | any(.service == \"tcp/$P_ONVIF\" and (.detail | test(\"onvif /onvif/device_service#GetUsers open without credentials: POST /onvif/device_service GetUsers without WS-Security: HTTP 200 with GetUsersResponse; 2 users listed: admin .Administrator., viewer .User.\")))"
check $R "onvif open: GetDeviceInformation answered, the camera's identity read" \
    "$EV | any(.service == \"tcp/$P_ONVIF\" and (.detail | test(\"GetDeviceInformation open without credentials: .*manufacturer .SP-Cam., model .IPC-18., firmware .V5.4.0., serial .SP18-0042.\")))"
check $R "onvif open: facts say both open" \
    ".services[] | select(.port == $P_ONVIF) | .http.onvif.GetUsers == \"open\" and .http.onvif.GetDeviceInformation == \"open\""

# ---- ONVIF, NotAuthorized ----
assess onvif.yaml $A_ONVIF_SHUT onvif-shut
R=onvif-shut/report.json
check $R "onvif NotAuthorized: S1.1-01 not FAIL (PASS: the fault is a refusal)" "$VERDICT == \"PASS\""
check $R "onvif NotAuthorized: both actions protected by the ter:NotAuthorized fault" \
    ".services[] | select(.port == $P_ONVIF) | [.unauth.items[] | select(.kind == \"onvif\") | \"\(.item) \(.result)\"] == [\"/onvif/device_service#GetDeviceInformation protected\", \"/onvif/device_service#GetUsers protected\"]"
check $R "onvif NotAuthorized: the fault named in the evidence" \
    "$EV | any(.service == \"tcp/$P_ONVIF\" and (.detail | test(\"HTTP 400, SOAP fault ter:NotAuthorized .Sender not Authorized.\")))"

summary
