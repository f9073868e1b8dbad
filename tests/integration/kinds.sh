#!/usr/bin/env bash
# kinds.sh - auth.unauthenticated (S1.1-01) on the kinds with their own unauth slots since
# rtsp.c, vnc.c, adb.c and tftp.c: RTSP streams, VNC security types, adb CONNECT, TFTP read
# requests, against real servers on loopback (adb: a stand-in, Debian has no adbd):
#   127.0.11.1  everything open: GStreamer's RTSP server with /stream1 for anyone (tcp/8554),
#               Xtigervnc -SecurityTypes None (tcp/5900) and TLSNone (VeNCrypt, tcp/5901),
#               Xtightvnc without a password file (None beside Tight, tcp/5902),
#               the adb stand-in answering CNXN (tcp/5555), in.tftpd serving 'config' (udp/69)
#                                                                        → FAIL, each one named
#   127.0.11.2  everything protected: the RTSP server with Basic auth, Xtigervnc VncAuth and
#               TLSVnc, Xtightvnc -rfbauth (Tight listing VncAuth), the adb stand-in answering AUTH, in.tftpd whose 'config' is not
#               world-readable ("Permission denied")                     → PASS
#   127.0.11.3  lighttpd with no admin path at all: every path tried is absent  → INCONCLUSIVE
#   127.0.11.4  the RTSP server with its one stream under a name not on the list: every
#               DESCRIBE is 404                                          → INCONCLUSIVE
# Every server is started here, its PID recorded and killed on exit.
#
# Usage: tests/integration/kinds.sh ./starprobe
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
HERE=$(cd "$(dirname "$0")" && pwd)
work_dir kinds
chmod 755 "$WORK"
A_OPEN=127.0.11.1 A_SHUT=127.0.11.2 A_HTTP=127.0.11.3 A_HIDE=127.0.11.4
P_RTSP=8554 P_VNC=5900 P_VNC2=5901 P_VNC3=5902 P_ADB=5555 P_HTTP=18080
# X display numbers for the six VNC servers (their sockets are /tmp/.X11-unix/X<n>).
D0=7111
on_exit
CHECK_LABEL=S1.1-01 CHECK_SHOW='.requirements[] | select(.id=="S1.1-01") | .checks[0] | {verdict, reason}'
EV='[.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .evidence[]]'
VERDICT='(.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .verdict)'
REASON='(.requirements[] | select(.id == "S1.1-01") | .checks[] | select(.probe == "auth.unauthenticated") | .reason)'

cd "$WORK" || exit 70
for a in $A_OPEN $A_SHUT $A_HTTP $A_HIDE; do
    if listening "tcp+udp/$a:"; then bail "$a is in use on this machine"; fi
done
for d in 0 1 2 3 4 5; do
    if [ -e "/tmp/.X11-unix/X$((D0 + d))" ] || [ -e "/tmp/.X$((D0 + d))-lock" ]; then
        bail "X display :$((D0 + d)) is in use on this machine"
    fi
done

# ---- content ----
mkdir -p tftp-open tftp-shut www
chmod 755 tftp-open tftp-shut
printf 'hostname cam-kinds\nenable secret 5 $1$kinds$deadbeef\n' > tftp-open/config
chmod 644 tftp-open/config
cp tftp-open/config tftp-shut/config
chmod 600 tftp-shut/config          # in.tftpd serves only world-readable files: access violation
echo '<html>welcome</html>' > www/index.html
echo 'kinds-pw' | tigervncpasswd -f > vncpasswd
echo 'kinds-pw' | tightvncpasswd -f > tightpasswd
chmod 600 vncpasswd tightpasswd

xvnc() { # DISPLAY ADDR PORT SECURITYTYPES [ARG...]
    local d=$1 a=$2 p=$3 t=$4
    shift 4
    Xtigervnc ":$d" -interface "$a" -rfbport "$p" -SecurityTypes "$t" -nolisten tcp -geometry 64x48 \
        -depth 16 "$@" >"xvnc-$d.log" 2>&1 & PIDS+=($!)
}
xtight() { # DISPLAY ADDR PORT [ARG...]
    local d=$1 a=$2 p=$3
    shift 3
    Xtightvnc ":$d" -interface "$a" -rfbport "$p" -nolisten tcp -geometry 64x48 -depth 16 "$@" \
        >"xtight-$d.log" 2>&1 & PIDS+=($!)
}

# ---- 127.0.11.1: open ----
/usr/bin/python3 "$HERE/kinds/rtsp-server.py" $A_OPEN $P_RTSP /stream1 open >rtsp-open.log 2>&1 & PIDS+=($!)
xvnc $D0 $A_OPEN $P_VNC None
xvnc $((D0 + 1)) $A_OPEN $P_VNC2 TLSNone
xtight $((D0 + 4)) $A_OPEN $P_VNC3
python3 "$HERE/kinds/adb-standin.py" $A_OPEN $P_ADB open >adb-open.log 2>&1 & PIDS+=($!)
/usr/sbin/in.tftpd -L -a $A_OPEN:69 -u tftp -s "$WORK/tftp-open" & PIDS+=($!)

# ---- 127.0.11.2: protected ----
/usr/bin/python3 "$HERE/kinds/rtsp-server.py" $A_SHUT $P_RTSP /stream1 basic admin:kinds-rtsp-pw >rtsp-shut.log 2>&1 & PIDS+=($!)
xvnc $((D0 + 2)) $A_SHUT $P_VNC VncAuth -PasswordFile "$WORK/vncpasswd"
xvnc $((D0 + 3)) $A_SHUT $P_VNC2 TLSVnc -PasswordFile "$WORK/vncpasswd"
xtight $((D0 + 5)) $A_SHUT $P_VNC3 -rfbauth "$WORK/tightpasswd"
python3 "$HERE/kinds/adb-standin.py" $A_SHUT $P_ADB auth >adb-shut.log 2>&1 & PIDS+=($!)
/usr/sbin/in.tftpd -L -a $A_SHUT:69 -u tftp -s "$WORK/tftp-shut" & PIDS+=($!)

# ---- 127.0.11.3: a web server with none of the admin paths; 127.0.11.4: a stream under a private name ----
cat > lighttpd.conf <<CFG
server.document-root = "$WORK/www"
server.bind = "$A_HTTP"
server.port = $P_HTTP
index-file.names = ("index.html")
server.errorlog = "$WORK/lighttpd.log"
CFG
lighttpd -D -f "$WORK/lighttpd.conf" & PIDS+=($!)
/usr/bin/python3 "$HERE/kinds/rtsp-server.py" $A_HIDE $P_RTSP /private-feed-7 open >rtsp-hide.log 2>&1 & PIDS+=($!)

wait_listening 100 "$A_OPEN:$P_RTSP" "$A_OPEN:$P_VNC" "$A_OPEN:$P_VNC2" "$A_OPEN:$P_VNC3" "$A_OPEN:$P_ADB" \
    "udp/$A_OPEN:69" "$A_SHUT:$P_RTSP" "$A_SHUT:$P_VNC" "$A_SHUT:$P_VNC2" "$A_SHUT:$P_VNC3" "$A_SHUT:$P_ADB" \
    "udp/$A_SHUT:69" "$A_HTTP:$P_HTTP" "$A_HIDE:$P_RTSP" || bail "servers listening ($UP of 14 up)"

lab_profile lab.yaml kinds-lab "{tcp_ports: \"$P_ADB,$P_VNC,$P_VNC2,$P_VNC3,$P_RTSP,$P_HTTP\", udp_ports: [69]}"
printf '  - id: S1.1-01\n    checks:\n      - probe: auth.unauthenticated\n' >> lab.yaml

assess() { # ADDR OUTDIR
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./lab.yaml -t "$1" -o "$2" --quiet \
        --deadline 120 >"$2.stdout" 2>"$2.stderr"
    [ -s "$2/report.json" ] || not_ok "report for $1 written" "$(head -c 600 "$2.stderr")"
}

# ---- open ----
assess $A_OPEN open
R=open/report.json
check $R "open: services found" "[.services[] | \"\(.transport)/\(.port) \(.service)\"] | sort == ([\"tcp/$P_ADB adb\", \"tcp/$P_VNC vnc\", \"tcp/$P_VNC2 vnc\", \"tcp/$P_VNC3 vnc\", \"tcp/$P_RTSP rtsp\", \"udp/69 tftp\"] | sort)"
check $R "open: S1.1-01 FAIL" "$VERDICT == \"FAIL\""
check $R "open: the reason names all six services" \
    "$REASON | test(\"^Functions are reachable without authentication on\") and test(\"tcp/$P_RTSP rtsp\") and test(\"tcp/$P_VNC vnc\") and test(\"tcp/$P_VNC2 vnc\") and test(\"tcp/$P_VNC3 vnc\") and test(\"tcp/$P_ADB adb\") and test(\"udp/69 tftp\")"
check $R "open: rtsp /stream1 plays without credentials (SDP from GStreamer)" \
    "$EV | any(.service == \"tcp/$P_RTSP\" and (.detail | test(\"stream /stream1 open without credentials: DESCRIBE rtsp://$A_OPEN:$P_RTSP/stream1 . RTSP/1.0 200.*1 stream .audio, session .Session streamed with GStreamer\")))"
check $R "open: rtsp facts list /stream1 only" ".services[] | select(.port == $P_RTSP) | .rtsp.open_paths == [\"/stream1\"]"
check $R "open: vnc None offered FAIL" \
    "$EV | any(.service == \"tcp/$P_VNC\" and (.detail | test(\"types open without credentials: RFB 3.8 offers None .1.*None .1. needs no password\")))"
check $R "open: vnc facts: security types [1]" ".services[] | select(.port == $P_VNC) | .vnc.security_types == [1] and .vnc.no_authentication == true"
check $R "open: vnc VeNCrypt TLSNone FAIL (sub-types read)" \
    "$EV | any(.service == \"tcp/$P_VNC2\" and (.detail | test(\"open without credentials: RFB 3.8 offers VeNCrypt .19.; VeNCrypt sub-types TLSNone .257.\")))"
check $R "open: TightVNC without a password offers None beside Tight FAIL" \
    "$EV | any(.service == \"tcp/$P_VNC3\" and (.detail | test(\"open without credentials: RFB 3.8 offers None .1., Tight .16.\")))"
check $R "open: adb CNXN answered with the device banner FAIL" \
    "$EV | any(.service == \"tcp/$P_ADB\" and (.detail | test(\"session CNXN open without credentials: CNXN answered with CNXN.*ro.product.name=sp_kinds\")))"
check $R "open: tftp 'config' served FAIL, first block only" \
    "$EV | any(.service == \"udp/69\" and (.detail | test(\"file config open without credentials: RRQ config . DATA block 1, [0-9]+ bytes .the whole file.: .hostname cam-kinds\")))"
check $R "open: tftp facts list config" ".services[] | select(.port == 69) | .tftp.served == [\"config\"]"
check $R "open: nothing is 'not examined'" "$EV | all(.detail | test(\"not examined\") | not)"

# ---- protected ----
assess $A_SHUT shut
R=shut/report.json
check $R "protected: services found" "[.services[] | \"\(.transport)/\(.port) \(.service)\"] | sort == ([\"tcp/$P_ADB adb\", \"tcp/$P_VNC vnc\", \"tcp/$P_VNC2 vnc\", \"tcp/$P_VNC3 vnc\", \"tcp/$P_RTSP rtsp\", \"udp/69 tftp\"] | sort)"
check $R "protected: S1.1-01 PASS" "$VERDICT == \"PASS\""
check $R "protected: rtsp /stream1 answers 401" \
    "$EV | any(.service == \"tcp/$P_RTSP\" and (.detail | test(\"rtsp protected: /: DESCRIBE.*/stream1: DESCRIBE rtsp://$A_SHUT:$P_RTSP/stream1 . RTSP/1.0 401\")))"
check $R "protected: vnc offers VncAuth only" \
    "$EV | any(.service == \"tcp/$P_VNC\" and (.detail | test(\"vnc protected: types: RFB 3.8 offers VncAuth .2.: only types that authenticate\")))"
check $R "protected: vnc VeNCrypt TLSVnc only" \
    "$EV | any(.service == \"tcp/$P_VNC2\" and (.detail | test(\"vnc protected: types: RFB 3.8 offers VeNCrypt .19.; VeNCrypt sub-types TLSVnc .258.\")))"
check $R "protected: TightVNC -rfbauth: Tight's own list read, VncAuth only" \
    "$EV | any(.service == \"tcp/$P_VNC3\" and (.detail | test(\"vnc protected: types: RFB 3.8 offers VncAuth .2., Tight .16.; Tight authentication codes .2.: only types that authenticate\")))"
check $R "protected: adb asks for a key (AUTH)" \
    "$EV | any(.service == \"tcp/$P_ADB\" and (.detail | test(\"adb protected: CNXN: CNXN answered with AUTH type 1\")))"
check $R "protected: tftp 'config' is refused (ERROR 0 'Permission denied')" \
    "$EV | any(.service == \"udp/69\" and (.detail | test(\"tftp protected: config: RRQ config . ERROR 0 .Permission denied\")))"
check $R "protected: no open item on any service" '[.services[].unauth.items[]? | select(.result == "open")] | length == 0'

# ---- every path absent: no proof of protection ----
assess $A_HTTP http
R=http/report.json
check $R "all-absent http: S1.1-01 INCONCLUSIVE, not PASS" "$VERDICT == \"INCONCLUSIVE\""
check $R "all-absent http: the evidence says every item was absent" \
    "$EV | any(.service == \"tcp/$P_HTTP\" and (.detail | test(\"every item tried was absent\")))"
assess $A_HIDE hide
R=hide/report.json
check $R "all-absent rtsp: the stream under a private name: S1.1-01 INCONCLUSIVE" "$VERDICT == \"INCONCLUSIVE\""
check $R "all-absent rtsp: examined (16 paths asked), every DESCRIBE 404" \
    ".services[] | select(.port == $P_RTSP) | (.unauth.items | length) == 16 and all(.unauth.items[]; .result == \"absent\")"
check $R "all-absent rtsp: the evidence says every item was absent" \
    "$EV | any(.service == \"tcp/$P_RTSP\" and (.detail | test(\"every item tried was absent\")))"

summary
