#!/usr/bin/env bash
# creds.sh - the default-credential sweep side by side with hydra: the same list
# (profiles/iot-defaults.yaml's general pairs, as hydra -C "user:password" lines) against the same
# three real services — OpenSSH with a password, a camera-style busybox telnet login, busybox httpd
# with Basic auth on /admin — each on its own 127.0.3.x address. Prints each tool's wall time, the
# ratio, and whether either tool missed a login. Ratios are printed, never asserted.
#
# Usage: tests/bench/creds.sh ./starprobe      (root: sshd needs its own passwd via unshare -m)
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir bench-creds
chmod 755 "$WORK"
NOBODY=$(id -u nobody)
A_SSH=127.0.3.31 A_TEL=127.0.3.32 A_HTTP=127.0.3.33
P_SSH=20022 P_TEL=20023 P_HTTP=20080
JOBS=4

on_exit
command -v hydra >/dev/null || { echo "creds bench: hydra not installed, skipped"; exit 0; }
[ "$(id -u)" = 0 ] || { echo "creds bench: needs root (sshd with its own passwd), skipped"; exit 0; }
cd "$WORK" || exit 70

# The list: every [user, password] pair that applies to all services, in dictionary order.
sed -n 's/^  - \[\(.*\)\]$/\1/p' "$ROOT/profiles/iot-defaults.yaml" | grep -v '\[' |
    sed -e 's/^"\{0,1\}\([^",]*\)"\{0,1\}, *"\{0,1\}\([^"]*\)"\{0,1\}$/\1:\2/' | awk '!seen[$0]++' > list.txt
echo "list: $(wc -l < list.txt) pairs from profiles/iot-defaults.yaml"

# Logins to find, within starprobe's 5-per-account budget and not all at the top of the list.
mkdir -p etc home run/sshd www/admin
{
    echo "admin:x:$NOBODY:$NOBODY:admin:$WORK/home:/bin/sh"
    echo "sshd:x:$NOBODY:$NOBODY::/run/sshd:/usr/sbin/nologin"
    echo "nobody:x:$NOBODY:$NOBODY:nobody:/nonexistent:/usr/sbin/nologin"
} > etc/passwd
{ echo "admin:$(openssl passwd -6 admin):19000:0:99999:7:::"; echo "sshd:*:19000::::::"; echo "nobody:*:19000::::::"; } > etc/shadow
chmod 600 etc/shadow
ssh_key host_ed25519 ed25519
printf 'ListenAddress %s:%s\nHostKey %s/host_ed25519\nPidFile none\nUsePAM no\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\nMaxAuthTries 100\nMaxStartups 100:30:200\nLogLevel ERROR\n' \
    $A_SSH $P_SSH "$WORK" > sshd.conf
mkdir -p /run/sshd
accounts "$WORK/etc/passwd" "$WORK/etc/shadow"
"${ACCOUNTS[@]}" /usr/sbin/sshd -D -e -f "$WORK/sshd.conf" 2>sshd.log & PIDS+=($!)

cat > tel-login.sh <<'EOS'
#!/bin/sh
printf '\r\nIPC-200 camera\r\n'
while :; do
	printf '\r\nIPCam login: '
	IFS= read -r user || exit 0
	user=$(printf '%s' "$user" | tr -d '\r\000')
	[ -n "$user" ] || continue
	printf 'Password: '
	stty -echo 2>/dev/null; IFS= read -r pw || exit 0; stty echo 2>/dev/null
	printf '\r\n'
	pw=$(printf '%s' "$pw" | tr -d '\r\000')
	if [ "$user" = root ] && [ "$pw" = vizxv ]; then
		exec setpriv --reuid=65534 --regid=65534 --clear-groups env -i PS1='# ' busybox sh -i
	fi
	printf 'Login incorrect\r\n'
done
EOS
chmod 755 tel-login.sh
busybox telnetd -F -p $P_TEL -b $A_TEL -l "$WORK/tel-login.sh" & PIDS+=($!)

echo '<html>admin</html>' > www/admin/index.html
echo '<html>cam</html>' > www/index.html
printf 'A:*\n/admin:support:support\n' > httpd.conf
busybox httpd -f -p $A_HTTP:$P_HTTP -h www -c "$WORK/httpd.conf" -r cam & PIDS+=($!)
sleep 1

# ---- starprobe: one assessment per service address, narrowed to its port ----
# The scan's wait for a server-first banner is cut to 200 ms (loopback answers in microseconds);
# everything else is the bundled profile's, including the 5-per-account budget.
sp_run() { # ADDR PORT NAME
    lab_profile "prof-$3.yaml" bench-creds "{tcp_ports: \"$2\", udp_ports: [161], banner_wait_ms: 200}"
    STARPROBE_PROFILES="$ROOT/profiles" "$SP" assess -p "./prof-$3.yaml" -t "$1" -o "sp-$3" --quiet --jobs $JOBS >/dev/null 2>&1
    jq -r --arg s "tcp/$2" '[.credentials[] | select(.service == $s) | "\(.user):\(.password)"] | .[0] // "none"' "sp-$3/report.json"
}
hy_run() { # ADDR PORT NAME MODULE [OPT]
    hydra -C list.txt -t $JOBS -f -I -q -s "$2" "$1" "$4" ${5:+"$5"} > "hy-$3.txt" 2>&1
    grep -o 'login: [^ ]*   password: .*' "hy-$3.txt" | head -1 | sed 's/login: \([^ ]*\)   password: \(.*\)/\1:\2/' | grep . || echo none
}
now() { date +%s.%N; }

declare -A want=([ssh]=admin:admin [telnet]=root:vizxv [http]=support:support)
t0=$(now)
ta=$(now); sp_ssh=$(sp_run $A_SSH $P_SSH ssh); tb=$(now); sp_tel=$(sp_run $A_TEL $P_TEL telnet); tc=$(now); sp_http=$(sp_run $A_HTTP $P_HTTP http)
echo "starprobe per service: ssh $(echo "$tb - $ta" | bc) s, telnet $(echo "$tc - $tb" | bc) s, http $(echo "$(now) - $tc" | bc) s"
t1=$(now)
hy_ssh=$(hy_run $A_SSH $P_SSH ssh ssh); hy_tel=$(hy_run $A_TEL $P_TEL telnet telnet)
hy_http=$(hy_run $A_HTTP $P_HTTP http http-get /admin/)
t2=$(now)

sp_s=$(echo "$t1 - $t0" | bc -l); hy_s=$(echo "$t2 - $t1" | bc -l)
printf '\n%-8s %-16s %-16s %-16s\n' service expected starprobe hydra
for s in ssh telnet http; do
    case $s in ssh) a=$sp_ssh b=$hy_ssh ;; telnet) a=$sp_tel b=$hy_tel ;; http) a=$sp_http b=$hy_http ;; esac
    ma=$([ "$a" = "${want[$s]}" ] && echo found || echo "MISSED($a)")
    mb=$([ "$b" = "${want[$s]}" ] && echo found || echo "MISSED($b)")
    printf '%-8s %-16s %-16s %-16s\n' $s "${want[$s]}" "$ma" "$mb"
done
printf '\nwall time: starprobe %.2f s (3 full assessments incl. port scan), hydra %.2f s (3 runs, -t %d -f)\n' "$sp_s" "$hy_s" $JOBS
printf 'ratio starprobe/hydra: %.2f (goal <= 0.50)\n' "$(echo "$sp_s / $hy_s" | bc -l)"
