#!/usr/bin/env bash
# ssh.sh - ssh.algorithms and the SSH facts against real servers on loopback,
# with ssh-audit run on the same servers as the oracle for the algorithm lists,
# host key sizes and fingerprints:
#   127.0.2.10  OpenSSH sshd, legacy: diffie-hellman-group1-sha1, 3des-cbc, hmac-md5,
#               ssh-rsa (RSA-1024) and ssh-dss host keys, password authentication
#   127.0.2.11  OpenSSH sshd, modern and key-only: curve25519, chacha20/aes-gcm, etm MACs, ed25519
#   127.0.2.12  dropbear with ed25519 and RSA-2048 host keys
#   127.0.2.13  a canned greeting (python, not a real server) announcing SSH-1.99, then closing
#   127.0.2.14  a canned greeting whose KEXINIT name-list runs past the packet
#   127.0.2.15  a canned legacy greeting, then silence with the connection held open
# All on port 22022. Every server is started here and its PID killed on exit.
#
# Usage: tests/integration/ssh.sh ./starprobe
# shellcheck disable=SC2015 # "test && ok || not_ok" is safe: ok always returns 0
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir ssh
PORT=22022
A_LEGACY=127.0.2.10 A_MODERN=127.0.2.11 A_DROPBEAR=127.0.2.12 A_V1=127.0.2.13 A_BAD=127.0.2.14 A_HANG=127.0.2.15
on_exit
# check's failure detail: what the ssh facts were
CHECK_LABEL='ssh facts' CHECK_SHOW='[.services[]?.ssh]'

for cmd in jq ssh-audit dropbear dropbearkey python3; do
    command -v "$cmd" >/dev/null || bail "$cmd is installed"
done
for a in $A_LEGACY $A_MODERN $A_DROPBEAR $A_V1 $A_BAD $A_HANG; do
    if listening "$a:$PORT" || listening "0.0.0.0:$PORT"; then bail "$a:$PORT is busy on this machine"; fi
done
cd "$WORK" || exit 70

# ---- servers ----
ssh_key legacy_rsa rsa 1024
ssh_key legacy_dsa dsa
ssh_key modern_ed25519 ed25519
dropbearkey -t ed25519 -f db_ed25519 >/dev/null 2>&1
dropbearkey -t rsa -s 2048 -f db_rsa >/dev/null 2>&1
cat > legacy.cfg <<CFG
ListenAddress $A_LEGACY:$PORT
HostKey $WORK/legacy_rsa
HostKey $WORK/legacy_dsa
PidFile none
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256,curve25519-sha256
Ciphers 3des-cbc,aes128-cbc,aes256-cbc,aes128-ctr,aes256-ctr
MACs hmac-md5,hmac-md5-96,hmac-sha1,hmac-sha2-256
HostKeyAlgorithms ssh-rsa,rsa-sha2-256,rsa-sha2-512,ssh-dss
CFG
cat > modern.cfg <<CFG
ListenAddress $A_MODERN:$PORT
HostKey $WORK/modern_ed25519
PidFile none
UsePAM no
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com
MACs hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com
HostKeyAlgorithms ssh-ed25519
CFG
# Canned greetings: the recorded modern KEXINIT behind another identification, or damaged.
cat > canned.py <<'PY'
import socket, sys
addr, port, mode, rec = sys.argv[1], int(sys.argv[2]), sys.argv[3], open(sys.argv[4], "rb").read()
pkt = rec[rec.index(b"\n") + 1:]
held = []
if mode == "v1":
    data = b"SSH-1.99-OpenSSH_3.9p1\r\n" + pkt
elif mode == "hang":
    data = rec
else:
    b = bytearray(pkt); b[22:26] = (0x7fffff00).to_bytes(4, "big")
    data = b"SSH-2.0-Broken_1.0\r\n" + bytes(b)
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port)); s.listen(16)
while True:
    c, _ = s.accept()
    try:
        c.sendall(data)
        if mode == "hang":
            held.append(c)
            continue
        c.settimeout(0.5); c.recv(256)
    except OSError:
        pass
    c.close()
PY
mkdir -p /run/sshd
/usr/sbin/sshd -D -e -f legacy.cfg 2>legacy.log & PIDS+=($!)
/usr/sbin/sshd -D -e -f modern.cfg 2>modern.log & PIDS+=($!)
dropbear -F -E -p "$A_DROPBEAR:$PORT" -r db_ed25519 -r db_rsa 2>dropbear.log & PIDS+=($!)
python3 canned.py $A_V1 $PORT v1 "$ROOT/tests/unit/data/ssh/openssh92-modern.bin" & PIDS+=($!)
python3 canned.py $A_BAD $PORT bad "$ROOT/tests/unit/data/ssh/openssh92-modern.bin" & PIDS+=($!)
python3 canned.py $A_HANG $PORT hang "$ROOT/tests/unit/data/ssh/openssh92-legacy.bin" & PIDS+=($!)
if wait_listening 50 "$A_LEGACY:$PORT" "$A_MODERN:$PORT" "$A_DROPBEAR:$PORT" "$A_V1:$PORT" "$A_BAD:$PORT" "$A_HANG:$PORT"
then ok "six SSH listeners up on 127.0.2.10-15:$PORT"
else not_ok "SSH listeners up" "$(tail -n 3 legacy.log modern.log dropbear.log)"; fi

lab_profile lab.yaml ssh-lab "{tcp_ports: \"$PORT\", udp_ports: [22161]}"
# assess NAME ADDR: report in NAME/report.json, ssh-audit's view in NAME.audit.json
assess() {
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./lab.yaml -t "$2" -o "$1" -f json --quiet \
        >"$1.stdout" 2>"$1.stderr"
    [ -s "$1/report.json" ] && ok "$1: report written" || not_ok "$1: report written" "$(head -c 400 "$1.stderr")"
}
# The ssh facts and the ssh.algorithms check of a report, as jq prefixes.
F='(.services[] | select(.port == '$PORT') | .ssh)'
C='(.requirements[] | select(.id == "S1.1-12") | .checks[] | select(.probe == "ssh.algorithms"))'

# oracle NAME ADDR: our lists agree with ssh-audit 2.5's JSON (kex, key, enc, mac, fingerprints).
oracle() {
    local name=$1 addr=$2 a="$1.audit.json" r="$1/report.json" ours theirs what
    ssh-audit -j -p "$PORT" "$addr" >"$a" 2>/dev/null
    if ! jq -e . "$a" >/dev/null 2>&1; then not_ok "$name: ssh-audit -j ran" "$(head -c 300 "$a")"; return; fi
    # LABEL @@ ssh-audit filter @@ filter on our ssh facts
    for what in 'kex@@[.kex[].algorithm]@@.kex' 'key@@[.key[].algorithm]@@.hostkey' 'enc@@.enc@@.ciphers' \
        'mac@@.mac@@.macs' 'banner@@[.banner.raw]@@[.banner]' \
        'SHA-256 fingerprints@@[.fingerprints[]? | select(.hash_alg == "SHA256") | "SHA256:" + .hash]@@[.host_keys[] | .sha256 // empty]' \
        'RSA key size@@[.key[] | select(.algorithm == "ssh-rsa") | .keysize]@@[.host_keys[] | select(.type == "ssh-rsa") | .bits]'; do
        local label=${what%%@@*} rest=${what#*@@}
        local tf=${rest%%@@*} of=${rest#*@@}
        theirs=$(jq -c "$tf | sort | unique" "$a")
        ours=$(jq -c "$F | $of | sort | unique" "$r")
        [ -n "$ours" ] && [ "$ours" = "$theirs" ] && ok "$name: $label agree with ssh-audit" ||
            not_ok "$name: $label agree with ssh-audit" "starprobe $ours, ssh-audit $theirs"
    done
}

# ---- legacy OpenSSH ----
assess legacy $A_LEGACY
R=legacy/report.json
check $R "legacy: tcp/$PORT identified as ssh" "$F | .banner | startswith(\"SSH-2.0-OpenSSH_9\")"
check $R "legacy: ssh.algorithms FAIL" "$C | .verdict == \"FAIL\""
check $R "legacy: S1.1-12 FAIL" '.requirements[] | select(.id == "S1.1-12") | .verdict == "FAIL"'
check $R "legacy: evidence names tcp/$PORT and diffie-hellman-group1-sha1" "$C | .evidence | any(.service == \"tcp/$PORT\" and (.detail | test(\"key exchange: diffie-hellman-group1-sha1\")))"
check $R "legacy: evidence names 3des-cbc" "$C | .evidence | any(.service == \"tcp/$PORT\" and (.detail | test(\"cipher: 3des-cbc\")))"
check $R "legacy: evidence names hmac-md5 and hmac-md5-96" "$C | .evidence | any(.detail | test(\"MAC: hmac-md5, hmac-md5-96\"))"
check $R "legacy: evidence names ssh-dss" "$C | .evidence | any(.detail | test(\"host key algorithm: ssh-dss\"))"
check $R "legacy: CBC reported as a finding" "$C | .evidence | any(.detail | test(\"finding.*CBC-mode ciphers offered: 3des-cbc, aes128-cbc, aes256-cbc\"))"
check $R "legacy: SHA-1 MAC reported as a finding" "$C | .evidence | any(.detail | test(\"finding.*SHA-1 MACs offered: hmac-sha1\"))"
check $R "legacy: facts protocol 2.0, kex list in server order" "$F | .protocol == \"2.0\" and .kex[0:4] == [\"diffie-hellman-group1-sha1\",\"diffie-hellman-group14-sha1\",\"diffie-hellman-group14-sha256\",\"curve25519-sha256\"]"
check $R "legacy: ciphers both directions" "$F | .ciphers == .ciphers_s2c and .ciphers[0] == \"3des-cbc\""
check $R "legacy: RSA host key 1024 bits with a SHA-256 fingerprint" "$F | .host_keys | any(.type == \"ssh-rsa\" and .bits == 1024 and (.sha256 | test(\"^SHA256:[A-Za-z0-9+/]{43}$\")))"
check $R "legacy: ssh-dss key recorded as not fetched, with the reason" "$F | .host_keys | any(.type == \"ssh-dss\" and (.error | length > 0))"
check $R "legacy: auth methods include password" "$F | .auth_methods | index(\"password\") != null"
check $R "legacy: auth none not accepted" "$F | .auth_none_accepted == false"
oracle legacy $A_LEGACY

# ---- modern OpenSSH ----
assess modern $A_MODERN
R=modern/report.json
check $R "modern: ssh.algorithms PASS" "$C | .verdict == \"PASS\""
check $R "modern: host key algorithms exactly ssh-ed25519" "$F | .hostkey == [\"ssh-ed25519\"]"
check $R "modern: host key ssh-ed25519 256" "$F | .host_keys == [.host_keys[0]] and .host_keys[0].type == \"ssh-ed25519\" and .host_keys[0].bits == 256"
check $R "modern: auth methods exactly publickey" "$F | .auth_methods == [\"publickey\"]"
check $R "modern: ciphers chacha20 and aes256-gcm" "$F | .ciphers == [\"chacha20-poly1305@openssh.com\",\"aes256-gcm@openssh.com\"]"
check $R "modern: no finding reported" "$C | .evidence | all(.detail | test(\"finding\") | not)"
fp=$(ssh-keygen -lf modern_ed25519.pub | awk '{print $2}')
check $R "modern: fingerprint equals ssh-keygen -l" "$F | .host_keys[0].sha256 == \"$fp\""
oracle modern $A_MODERN

# ---- dropbear ----
assess dropbear $A_DROPBEAR
R=dropbear/report.json
check $R "dropbear: banner" "$F | .banner | startswith(\"SSH-2.0-dropbear_\")"
check $R "dropbear: ssh.algorithms PASS" "$C | .verdict == \"PASS\""
check $R "dropbear: SHA-1 MAC reported as a finding" "$C | .evidence | any(.detail | test(\"SHA-1 MACs offered: hmac-sha1\"))"
check $R "dropbear: ed25519 and RSA-2048 host keys" "$F | [.host_keys[] | \"\\(.type) \\(.bits)\"] | sort == [\"ssh-ed25519 256\",\"ssh-rsa 2048\"]"
check $R "dropbear: auth methods publickey and password" "$F | .auth_methods == [\"publickey\",\"password\"]"
oracle dropbear $A_DROPBEAR

# ---- canned: protocol 1.99, and a damaged KEXINIT ----
assess v1 $A_V1
R=v1/report.json
check $R "SSH-1.99: ssh.algorithms FAIL (protocol 2 only)" "$C | .verdict == \"FAIL\" and (.evidence | any(.service == \"tcp/$PORT\" and (.detail | test(\"SSH-1.99-OpenSSH_3.9p1.*protocol 1\"))))"
check $R "SSH-1.99: the KEXINIT lists were still read" "$F | .protocol == \"1.99\" and .hostkey == [\"ssh-ed25519\"]"
check $R "SSH-1.99: libssh's failure recorded, not hidden" "$F | .host_keys[0].error | length > 0"
assess bad $A_BAD
R=bad/report.json
check $R "damaged KEXINIT: ssh.algorithms INCONCLUSIVE, never PASS" "$C | .verdict == \"INCONCLUSIVE\" and (.evidence | any(.detail | test(\"runs past the packet\")))"
check $R "damaged KEXINIT: no algorithm lists in the facts" "$F | has(\"kex\") | not"

# ---- a server that stalls after its KEXINIT: libssh is bounded, the lists still judged ----
t0=$(date +%s)
assess hang $A_HANG
t1=$(date +%s)
R=hang/report.json
[ $((t1 - t0)) -lt 30 ] && ok "stalled server: assessment ends in $((t1 - t0)) s (< 30)" ||
    not_ok "stalled server: assessment bounded" "took $((t1 - t0)) s"
check $R "stalled server: KEXINIT judged (FAIL on group1-sha1)" "$C | .verdict == \"FAIL\""
check $R "stalled server: host key timeout recorded, later classes not tried" "$F | .host_keys[0].error | test(\"[Tt]imeout\")"
check $R "stalled server: auth methods unknown, not guessed" "$F | .auth_methods == null and (.auth_error | length > 0) and (has(\"auth_none_accepted\") | not)"

# ---- no SSH at all: a complete scan of a port nothing listens on ----
lab_profile none.yaml ssh-none '{tcp_ports: "22023", udp_ports: [22161]}'
STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p ./none.yaml -t $A_MODERN -o none -f json --quiet >/dev/null 2>&1
check none/report.json "no SSH service: ssh.algorithms NOT_APPLICABLE" "$C | .verdict == \"NOT_APPLICABLE\""

summary
