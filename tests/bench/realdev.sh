#!/usr/bin/env bash
# realdev.sh - the bench's realistic weak device: a cheap camera whose servers behave like the ones a
# lab meets, so `make bench` times what a user waits for, not what a fast loopback stand-in allows.
#
#   realdev.sh start [STATEDIR]   -> prints "<address> <declaration.yaml> <hydra pair list>" on stdout
#   realdev.sh stop  [STATEDIR]
#
# Everything binds 127.0.15.2 (the bench's loopback range); STATEDIR defaults to
# /tmp/starprobe-bench-realdev. Root only (sshd with PAM, ports below 1024).
#
#   tcp/22     OpenSSH, UsePAM yes: pam_faildelay (2.5 s, PAM randomises it +-25 %) then pam_unix,
#              so every wrong password waits about 2-3 s; login admin / admin1234
#   tcp/23     busybox telnetd + busybox login: its own 3 s wait after a wrong password, 3 tries per
#              connection; login user / user
#   tcp/80     busybox httpd, / public, /admin/ behind HTTP Basic; login admin / password
#   tcp/443    openssl s_server, TLS 1.0 and up, every suite (ALL:@SECLEVEL=0), RSA-2048 self-signed
#   tcp/1883   mosquitto, anonymous, retained messages under ipcam/
#   udp/5683   coap-server-notls, plain CoAP (it also listens on tcp/5683, CoAP over TCP)
#   tcp/34567  a vendor protocol that never speaks first and stays silent to anything but its own
#              command (socat + sh): what identification meets on real cameras' high ports
#   udp/161, udp/1900, udp/3702   bound and silent (socat UDP-RECV): datagrams vanish, no reply and
#              no ICMP, as behind a device firewall that drops
#
# The three logins are pairs of the 60-pair list (the first 60 general pairs of
# profiles/iot-defaults.yaml, written to STATEDIR/pairs60.txt as hydra -C lines), each within the
# first five pairs of its user name there, so a non-intrusive run can find them.
#
# Accounts: nothing on the host changes. sshd and telnetd each run in a private mount namespace in
# which their own passwd and shadow are bound over /etc/passwd and /etc/shadow (and, for sshd, the
# device's PAM service file over /etc/pam.d/sshd), so the device's users exist only for its servers.
# Every login gets a shell as uid/gid 65534 (nobody); the servers are reachable only on loopback.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
readonly HERE ROOT
readonly ADDR=127.0.15.2
readonly NOBODY=65534
readonly SSH_USER=admin SSH_PASS=admin1234
readonly TEL_USER=user TEL_PASS=user
readonly HTTP_USER=admin HTTP_PASS=password
readonly UDP_SILENT="161 1900 3702"
readonly SILENT_TCP=34567

log() { printf 'realdev: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}

AS_NOBODY=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --no-new-privs)
AS_NOBODY_BIND=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --no-new-privs
	--inh-caps=+net_bind_service --ambient-caps=+net_bind_service)

# proc_start PID - the process start time (jiffies since boot), so stop never signals a reused PID.
proc_start() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	# shellcheck disable=SC2086 # the fields after "(comm) "
	set -- $stat
	printf '%s' "${20}"
}

# descendants PID - every process below PID, deepest last.
descendants() {
	local child
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		printf '%s\n' "$child"
		descendants "$child"
	done
}

# spawn NAME CMD... - start one server in its own session, log to log/NAME.log, record "PID START".
# Every prefix (unshare without --fork, sh -c 'exec', setpriv) execs, so the PID is the server's.
spawn() {
	local name=$1 pid
	shift
	setsid "$@" </dev/null >>"$DEV/log/$name.log" 2>&1 9>&- &
	pid=$!
	echo "$pid $(proc_start "$pid")" >"$DEV/pids/$name.pid"
}

# in_accounts PASSWD SHADOW [SRC DST]...: set IN_ACCOUNTS to a command prefix that runs the rest in a
# private mount (and UTS) namespace where each SRC is bound over DST, /etc/passwd and /etc/shadow
# first, with the host name "ipcam". The prefix execs, so the server keeps the PID spawn records.
in_accounts() {
	local binds=("$1" /etc/passwd "$2" /etc/shadow)
	shift 2
	binds+=("$@")
	# shellcheck disable=SC2016 # the inner sh expands its own arguments
	IN_ACCOUNTS=(unshare --mount --uts --propagation private sh -c '
		while [ "$1" != -- ]; do mount --bind "$1" "$2" || exit 1; shift 2; done
		shift; hostname ipcam; exec "$@"' sh "${binds[@]}" --)
}

# accounts_file BASE USER PASSWORD: BASE.passwd and BASE.shadow with USER (uid nobody, /bin/sh),
# sshd's privilege separation user and nobody.
accounts_file() {
	local base=$1 user=$2 pass=$3
	{
		echo "$user:x:$NOBODY:$NOBODY:$user:$DEV/home:/bin/sh"
		echo "sshd:x:$NOBODY:$NOBODY:privilege separation:/run/sshd:/usr/sbin/nologin"
		echo "nobody:x:$NOBODY:$NOBODY:nobody:/nonexistent:/usr/sbin/nologin"
	} >"$base.passwd"
	{
		echo "$user:$(openssl passwd -6 "$pass"):19000:0:99999:7:::"
		echo "sshd:*:19000:0:99999:7:::"
		echo "nobody:*:19000:0:99999:7:::"
	} >"$base.shadow"
	chmod 644 "$base.passwd"
	chmod 600 "$base.shadow"
}

# pairs60 FILE: the first 60 general [user, password] pairs of profiles/iot-defaults.yaml, in the
# file's order, as hydra -C "user:password" lines (the extraction tests/bench scripts have used).
pairs60() {
	sed -n 's/^  - \[\(.*\)\]$/\1/p' "$ROOT/profiles/iot-defaults.yaml" | grep -v '\[' |
		sed -e 's/^"\{0,1\}\([^",]*\)"\{0,1\}, *"\{0,1\}\([^"]*\)"\{0,1\}$/\1:\2/' |
		awk '!seen[$0]++' | head -n 60 >"$1"
	[ "$(wc -l <"$1")" = 60 ] || die "profiles/iot-defaults.yaml has fewer than 60 general pairs"
}

build() {
	local pair user
	rm -rf "$DEV"
	mkdir -p "$DEV"/{etc,log,pids,home,www/admin,bin}
	chmod 755 "$DEV"
	install -d -m 700 "$DEV/keys"
	"${AS_NOBODY[@]}" test -x "$DEV" || die "$DEV must be reachable by nobody"

	pairs60 "$DEV/pairs60.txt"
	# Each login must be in the list, within the first five pairs of its user (the non-intrusive budget).
	for pair in "$SSH_USER:$SSH_PASS" "$TEL_USER:$TEL_PASS" "$HTTP_USER:$HTTP_PASS"; do
		user=${pair%%:*}
		grep "^$user:" "$DEV/pairs60.txt" | head -n 5 | grep -qxF "$pair" ||
			die "login $pair is not among the first five pairs of $user in the 60-pair list"
	done

	# SSH: OpenSSH with PAM. The PAM service file is the device's own, bound over /etc/pam.d/sshd in
	# sshd's mount namespace only.
	accounts_file "$DEV/etc/ssh" "$SSH_USER" "$SSH_PASS"
	cat >"$DEV/etc/pam-sshd" <<-'EOF'
		# realdev: every failed password waits pam_faildelay's 2.5 s (randomised by PAM), as on a
		# device whose sshd authenticates through PAM.
		auth     required pam_faildelay.so delay=2500000
		auth     required pam_unix.so
		account  required pam_unix.so
		session  required pam_permit.so
		password required pam_deny.so
	EOF
	chmod 644 "$DEV/etc/pam-sshd"
	ssh-keygen -q -t rsa -b 2048 -N '' -C ipcam -f "$DEV/keys/ssh_host_rsa_key"
	cat >"$DEV/etc/sshd_config" <<-EOF
		ListenAddress $ADDR:22
		HostKey $DEV/keys/ssh_host_rsa_key
		PidFile $DEV/pids/sshd.own.pid
		UsePAM yes
		PasswordAuthentication yes
		KbdInteractiveAuthentication no
		PermitRootLogin no
		MaxAuthTries 6
		LoginGraceTime 30
		KexAlgorithms diffie-hellman-group14-sha1,diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha256,curve25519-sha256
		Ciphers aes128-cbc,aes256-cbc,aes128-ctr,aes256-ctr
		MACs hmac-sha1,hmac-sha2-256
		HostKeyAlgorithms ssh-rsa,rsa-sha2-256,rsa-sha2-512
		DisableForwarding yes
		PermitTunnel no
		PermitUserRC no
		AuthorizedKeysFile none
		PrintMotd no
		PrintLastLog no
		LogLevel INFO
	EOF

	# Telnet: busybox login under busybox telnetd (a symlink named login runs the applet).
	accounts_file "$DEV/etc/tel" "$TEL_USER" "$TEL_PASS"
	ln -s "$(command -v busybox)" "$DEV/bin/login"
	printf 'IPC-200 Network Camera\n' >"$DEV/etc/issue"
	: >"$DEV/etc/motd"
	: >"$DEV/etc/issue.net"

	# HTTP: a public index, the admin pages behind Basic auth.
	printf '<html><head><title>IPC-200</title></head><body><a href="/admin/">Settings</a></body></html>\n' \
		>"$DEV/www/index.html"
	printf '<html><body>IPC-200 settings</body></html>\n' >"$DEV/www/admin/index.html"
	printf 'A:*\n/admin:%s:%s\n' "$HTTP_USER" "$HTTP_PASS" >"$DEV/etc/httpd.conf"

	# TLS: the legacy port, read by s_server running as nobody.
	install -d -o "$NOBODY" -g "$NOBODY" -m 700 "$DEV/tls"
	openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -subj '/O=ExampleCam/CN=IPC-200' \
		-keyout "$DEV/tls/server.key" -out "$DEV/tls/server.crt" 2>/dev/null
	chown "$NOBODY:$NOBODY" "$DEV/tls/server.key" "$DEV/tls/server.crt"

	cat >"$DEV/etc/mosquitto.conf" <<-EOF
		per_listener_settings false
		listener 1883 $ADDR
		allow_anonymous true
		persistence false
		log_dest stderr
		log_type error
		log_type warning
	EOF

	# The vendor port: reads lines for at most 30 s and answers only its own command.
	cat >"$DEV/bin/vendor-port" <<-'EOF'
		#!/bin/sh
		while IFS= read -r line; do
			case $line in GETINFO*) printf 'IPC-200 OK\r\n' ;; esac
		done
	EOF
	chmod 755 "$DEV/bin/vendor-port"

	# The logins the device accepts, for the bench to check what each tool found: PORT SERVICE USER PASSWORD.
	printf '22 ssh %s %s\n23 telnet %s %s\n80 http %s %s\n' "$SSH_USER" "$SSH_PASS" "$TEL_USER" "$TEL_PASS" \
		"$HTTP_USER" "$HTTP_PASS" >"$DEV/logins.txt"

	cat >"$DEV/device.yaml" <<-EOF
		# Declaration of the bench's realistic weak device (tests/bench/realdev.sh).
		device: {vendor: ExampleCam, model: IPC-200, firmware: V5.1.0, category: network-camera}
		services:
		  - {port: 22,    transport: tcp, service: ssh,    purpose: "remote maintenance", auth: password}
		  - {port: 23,    transport: tcp, service: telnet, purpose: "factory console", auth: password}
		  - {port: 80,    transport: tcp, service: http,   purpose: "web admin", auth: password, public: ["/", "/index.html"]}
		  - {port: 443,   transport: tcp, service: https,  purpose: "web status"}
		  - {port: 1883,  transport: tcp, service: mqtt,   purpose: "cloud telemetry", auth: none}
		  - {port: 5683,  transport: udp, service: coap,   purpose: "local control", auth: none}
		  - {port: 34567, transport: tcp, service: vendor, purpose: "mobile app protocol", auth: password}
		accounts:
		  - {service: ssh,    port: 22, user: $SSH_USER,  password: "$SSH_PASS"}
		  - {service: telnet, port: 23, user: $TEL_USER,  password: "$TEL_PASS"}
		  - {service: http,   port: 80, user: $HTTP_USER, password: "$HTTP_PASS"}
		update:
		  url: http://fw.ipcam.example.com/ipc-200/latest.bin
		evidence:
		  S1.1-16: http://www.ipcam.example.com/ipc-200
	EOF
}

start_servers() {
	local port
	mkdir -p /run/sshd # sshd's privilege separation directory, as the openssh-server package makes it
	in_accounts "$DEV/etc/ssh.passwd" "$DEV/etc/ssh.shadow" "$DEV/etc/pam-sshd" /etc/pam.d/sshd
	spawn sshd "${IN_ACCOUNTS[@]}" /usr/sbin/sshd -D -e -f "$DEV/etc/sshd_config"
	local motd=()
	[ -e /etc/motd ] && motd=("$DEV/etc/motd" /etc/motd)
	in_accounts "$DEV/etc/tel.passwd" "$DEV/etc/tel.shadow" "$DEV/etc/issue" /etc/issue "${motd[@]}"
	spawn telnetd "${IN_ACCOUNTS[@]}" busybox telnetd -F -b "$ADDR:23" -f "$DEV/etc/issue.net" -l "$DEV/bin/login"
	spawn httpd busybox httpd -f -p "$ADDR:80" -h "$DEV/www" -c "$DEV/etc/httpd.conf" -r IPC-200 \
		-u "$NOBODY:$NOBODY"
	spawn tls "${AS_NOBODY_BIND[@]}" openssl s_server -quiet -www -accept "$ADDR:443" \
		-cert "$DEV/tls/server.crt" -key "$DEV/tls/server.key" -cipher 'ALL:@SECLEVEL=0' -min_protocol TLSv1
	spawn mosquitto "${AS_NOBODY[@]}" mosquitto -c "$DEV/etc/mosquitto.conf"
	spawn coap "${AS_NOBODY[@]}" coap-server-notls -A "$ADDR" -p 5683 -v 3
	spawn vendor "${AS_NOBODY[@]}" socat "TCP4-LISTEN:$SILENT_TCP,bind=$ADDR,reuseaddr,fork,max-children=32" \
		"EXEC:timeout 30 $DEV/bin/vendor-port"
	for port in $UDP_SILENT; do
		spawn "udp-$port" "${AS_NOBODY_BIND[@]}" socat -u "UDP4-RECV:$port,bind=$ADDR" OPEN:/dev/null
	done
}

# ready - every server accepts (or, for UDP, holds its socket) within 10 s.
ready() {
	local deadline=$((SECONDS + 10)) spec name
	for spec in tcp:22:sshd tcp:23:telnetd tcp:80:httpd tcp:443:tls tcp:1883:mosquitto udp:5683:coap \
		tcp:$SILENT_TCP:vendor udp:161:udp-161 udp:1900:udp-1900 udp:3702:udp-3702; do
		name=${spec##*:}
		until ss -Hln"${spec:0:1}" "src $ADDR and sport = :$(echo "$spec" | cut -d: -f2)" | grep -q .; do
			if [ "$SECONDS" -ge "$deadline" ]; then
				log "$name is not listening after 10 s; its log:"
				tail -n 15 "$DEV/log/$name.log" >&2 || true
				return 1
			fi
			sleep 0.1
		done
	done
}

start() {
	[ "$(id -u)" = 0 ] || die "needs root (sshd with PAM, ports below 1024)"
	if ss -Hltnu "src $ADDR" | grep -q .; then die "$ADDR already has listeners (realdev.sh stop $BASE?)"; fi
	build
	start_servers
	if ! ready; then
		stop_servers
		die "the device did not come up"
	fi
	mosquitto_pub -h "$ADDR" -q 1 -r -i realdev -t ipcam/ipc-200/status -m online
	mosquitto_pub -h "$ADDR" -q 1 -r -i realdev -t ipcam/ipc-200/wifi -m '{"ssid":"home","psk":"sunshine2019"}'
	log "up on $ADDR (state in $DEV)"
	echo "$ADDR $DEV/device.yaml $DEV/pairs60.txt"
}

stop_servers() {
	local f pid st p all=()
	for f in "$DEV"/pids/*.pid; do
		[ -e "$f" ] || continue
		case $f in *.own.pid) continue ;; esac
		read -r pid st <"$f" || continue
		if [ -z "$pid" ] || [ "$(proc_start "$pid")" != "$st" ]; then continue; fi
		all+=("$pid")
		mapfile -t -O "${#all[@]}" all < <(descendants "$pid")
	done
	[ ${#all[@]} = 0 ] && return 0
	for p in "${all[@]}"; do kill "$p" 2>/dev/null || true; done
	for _ in $(seq 50); do
		for p in "${all[@]}"; do kill -0 "$p" 2>/dev/null && break; p=''; done
		[ -z "$p" ] && return 0
		sleep 0.1
	done
	for p in "${all[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}

stop() {
	[ -d "$DEV" ] || return 0
	stop_servers
	rm -rf "$DEV"
	log "stopped"
}

BASE=${2:-/tmp/starprobe-bench-realdev}
mkdir -p "$BASE"
BASE=$(cd "$BASE" && pwd)
DEV="$BASE/dev"
exec 9>"$BASE/.lock"
flock -w 60 9 || die "another realdev.sh holds $BASE/.lock"
case ${1:-} in
start) start ;;
stop) stop ;;
*)
	echo "usage: ${0##*/} start|stop [STATEDIR]" >&2
	exit 64
	;;
esac
