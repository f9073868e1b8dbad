#!/usr/bin/env bash
# testbed.sh — bring the starprobe reference devices up and down.
#
#   testbed.sh up     weak|hardened [STATEDIR]   -> prints "<address> <declaration.yaml>" on stdout
#   testbed.sh down   weak|hardened [STATEDIR]
#   testbed.sh status weak|hardened [STATEDIR]   -> prints "<up|degraded|down> <mode> <address> <declaration.yaml>"
#
# Each device is a set of real servers (OpenSSH, busybox telnetd/httpd, openssl s_server, stunnel,
# mosquitto, libcoap) configured like a weak camera or a careful gateway. As root with working
# `ip netns`, a device lives in its own network namespace behind a veth pair on 198.18.x.0/24
# (RFC 2544 benchmarking range); otherwise every server binds the device's own 127.0.0.x address.
# Everything a device needs (keys, configs, logs, PID files) is generated under STATEDIR/<device>/;
# the host's accounts, firewall and trust store are never touched. See tests/testbed/README.
#
# stdout carries only the one result line; progress and diagnostics go to stderr.
# Environment: STARPROBE_TESTBED_DIR (default STATEDIR), STARPROBE_TESTBED_MODE=auto|netns|fallback,
# STARPROBE_TESTBED_LOCK_SECONDS (hardened HTTPS and MQTT lockout duration, default 60).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly HERE
readonly READY_TIMEOUT=10 # seconds for all servers of a device to accept
readonly STOP_TIMEOUT=5   # seconds for servers to exit after SIGTERM, before SIGKILL
readonly NOBODY=65534

log() { printf 'testbed: %s\n' "$*" >&2; }
die() {
	log "error: $*"
	exit 1
}
usage() {
	printf 'usage: %s up|down|status weak|hardened [STATEDIR]\n' "${0##*/}" >&2
	exit 64
}

# --- device parameters -----------------------------------------------------------------------

# device_params DEVICE — the fixed addressing of each device.
device_params() {
	case $1 in
	weak)
		NS=sp-weak NS_ADDR=198.18.1.2 HOST_ADDR=198.18.1.1 FB_ADDR=127.0.0.2
		;;
	hardened)
		NS=sp-hardened NS_ADDR=198.18.2.2 HOST_ADDR=198.18.2.1 FB_ADDR=127.0.0.3
		;;
	*) usage ;;
	esac
	VETH_HOST="$NS-h" VETH_DEV="$NS-d"
}

# The servers of each device, as "name transport port": `up` waits for each to accept.
servers_of() {
	case $1 in
	weak) printf '%s\n' 'sshd tcp 22' 'telnetd tcp 23' 'httpd tcp 80' 'tls-server tcp 443' \
		'mosquitto tcp 1883' 'coap-server udp 5683' 'debug-web tcp 9527' ;;
	hardened) printf '%s\n' 'sshd tcp 22' 'stunnel tcp 443' 'mosquitto tcp 8883' 'coap-server udp 5684' ;;
	esac
}

# --- small helpers ---------------------------------------------------------------------------

# render SRC DST — copy a template, replacing @NAME@ with the value of the shell variable tpl_NAME
# for every tpl_* variable in scope. Values never contain '|' or newlines (paths, addresses, generated
# alphanumeric secrets, crypt hashes).
render() {
	local src=$1 dst=$2 expr=() var
	for var in $(compgen -v tpl_); do
		expr+=(-e "s|@${var#tpl_}@|${!var-}|g")
	done
	sed "${expr[@]}" "$src" >"$dst"
	if grep -q '@[A-Z_]*@' "$dst"; then
		die "template $src: unreplaced placeholder $(grep -o '@[A-Z_]*@' "$dst" | head -n 1)"
	fi
}

# secret N — N random alphanumeric characters (per-unit passwords and keys).
secret() {
	local s=''
	while [ "${#s}" -lt "$1" ]; do
		s+=$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9')
	done
	printf '%s' "${s:0:$1}"
}

# proc_start PID — the process start time (jiffies since boot), to recognise our process later
# even if its PID has been reused. Prints nothing if PID is gone.
proc_start() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
	stat=${stat##*) }
	# shellcheck disable=SC2086 # split the fields after "(comm) "
	set -- $stat
	printf '%s' "${20}"
}

# proc_alive PID — running and not a zombie (our servers are re-parented to whatever PID 1 is, which
# in a container may not reap them).
proc_alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[ "${stat%% *}" != Z ]
}

# descendants PID — every process below PID, deepest last.
descendants() {
	local child
	for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
		printf '%s\n' "$child"
		descendants "$child"
	done
}

# --- state directory -------------------------------------------------------------------------

init_paths() {
	local device=$1 base=${2:-${STARPROBE_TESTBED_DIR:-/tmp/starprobe-testbed}}
	mkdir -p "$base"
	BASE=$(cd "$base" && pwd)
	DEV="$BASE/$device"
	DECL="$DEV/device.yaml"
	device_accounts_prefix
}

# with_lock CMD... — one up/down/status at a time per device and state directory.
with_lock() {
	exec 9>"$BASE/.$DEVICE.lock"
	if ! flock -w 60 9; then
		die "another testbed.sh is working on $DEVICE ($BASE/.$DEVICE.lock)"
	fi
	"$@"
}

# --- modes -----------------------------------------------------------------------------------

# setup_network — create the namespace and veth pair (netns mode) or pick the 127.0.0.x address.
# Sets MODE and ADDR.
setup_network() {
	local want=${STARPROBE_TESTBED_MODE:-auto}
	case $want in auto | netns | fallback) ;; *) die "STARPROBE_TESTBED_MODE must be auto, netns or fallback" ;; esac
	if [ "$want" != fallback ] && [ "$(id -u)" -eq 0 ] && ip netns add "$NS" 2>/dev/null; then
		MODE=netns ADDR=$NS_ADDR
		echo "$MODE" >"$DEV/mode"
		ip -n "$NS" link set lo up
		ip link del "$VETH_HOST" 2>/dev/null || true # left over from a crashed run
		ip link add "$VETH_HOST" type veth peer name "$VETH_DEV"
		ip link set "$VETH_DEV" netns "$NS"
		ip -n "$NS" link set "$VETH_DEV" name eth0
		ip -n "$NS" addr add "$NS_ADDR/24" dev eth0
		ip -n "$NS" link set eth0 up
		ip addr add "$HOST_ADDR/24" dev "$VETH_HOST"
		ip link set "$VETH_HOST" up
		log "namespace $NS: device $NS_ADDR on eth0, host side $HOST_ADDR on $VETH_HOST"
		apply_firewall
	else
		[ "$want" = netns ] && die "cannot create network namespace $NS (need root and working 'ip netns')"
		MODE=fallback ADDR=$FB_ADDR
		echo "$MODE" >"$DEV/mode"
		log "fallback mode: no network namespace; every server binds $FB_ADDR"
		if [ "$DEVICE" = hardened ]; then
			log "fallback mode: no device firewall, so coap-server's plain CoAP (udp/5683) and CoAP over" \
				"TCP/TLS (tcp/5683, tcp/5684) listeners are reachable too"
		fi
	fi
	echo "$ADDR" >"$DEV/address"
}

apply_firewall() {
	if ! command -v nft >/dev/null; then
		[ "$DEVICE" = hardened ] &&
			die "nft not found: the hardened device needs its firewall (apt-get install nftables)"
		log "nft not found: weak device runs without its one firewall rule (tcp/5683 stays open)"
		return 0
	fi
	ip netns exec "$NS" nft -f "$HERE/$DEVICE/nftables.conf"
	log "namespace $NS: firewall $DEVICE/nftables.conf loaded"
}

# AS_NOBODY — command prefix that drops a server to nobody (ports >= 1024 need no privilege).
AS_NOBODY=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --no-new-privs)
# AS_NOBODY_BIND — the same, keeping only the capability to bind a port below 1024.
AS_NOBODY_BIND=(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups --no-new-privs
	--inh-caps=+net_bind_service --ambient-caps=+net_bind_service)

# DEVICE_ACCOUNTS — command prefix: run the rest in a private mount namespace where the device's
# own passwd and shadow are bind-mounted over /etc/passwd and /etc/shadow, so the device's accounts
# exist for its servers and never in the host's files. (Set once DEV is known.)
device_accounts_prefix() {
	# shellcheck disable=SC2016 # $1, $2, $@ belong to the inner sh
	DEVICE_ACCOUNTS=(unshare --mount --propagation private
		sh -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"'
		sh "$DEV/etc/passwd" "$DEV/etc/shadow")
}

# spawn NAME CMD... — start one server in its own session, detached from our stdio, log to
# log/NAME.log, and record "PID STARTTIME" in pids/NAME.pid. The command chain (ip netns exec,
# unshare, setpriv, sh -c '... exec') execs without forking, so the PID is the server's.
spawn() {
	local name=$1 pid
	shift
	if [ "$MODE" = netns ]; then
		set -- ip netns exec "$NS" "$@"
	fi
	setsid "$@" </dev/null >>"$DEV/log/$name.log" 2>&1 9>&- &
	pid=$!
	echo "$pid $(proc_start "$pid")" >"$DEV/pids/$name.pid"
	log "started $name (pid $pid)"
}

# listening TRANSPORT PORT PID — PID itself holds a socket bound to the device address on PORT.
# (Checking the owner matters: in fallback mode another program may hold the same address and port.)
listening() {
	local flag=-Hlntp
	[ "$1" = udp ] && flag=-Hlnup
	if [ "$MODE" = netns ]; then
		ss -N "$NS" "$flag" "sport = :$2"
	else
		ss "$flag" "sport = :$2"
	fi | awk -v a="$ADDR:$2" -v p="pid=$3," '$4 == a && index($0, p) { found = 1 } END { exit !found }'
}

# wait_ready — poll every server until it accepts, at most READY_TIMEOUT s in all; on failure name
# the server and show its log.
wait_ready() {
	local deadline=$((SECONDS + READY_TIMEOUT)) name transport port pid rest
	while read -r name transport port; do
		read -r pid rest <"$DEV/pids/$name.pid"
		until listening "$transport" "$port" "$pid"; do
			if ! proc_alive "$pid"; then
				server_failed "$name" "$transport/$port" "exited before accepting"
			fi
			if [ "$SECONDS" -ge "$deadline" ]; then
				server_failed "$name" "$transport/$port" "is not accepting after ${READY_TIMEOUT} s"
			fi
			sleep 0.1
		done
		log "$name accepting on $ADDR $transport/$port"
	done < <(servers_of "$DEVICE")
}

server_failed() {
	log "error: $1 ($2 on $ADDR) $3; last lines of $DEV/log/$1.log:"
	tail -n 15 "$DEV/log/$1.log" 2>/dev/null | sed 's/^/    | /' >&2 || true
	exit 1
}

# --- building the devices --------------------------------------------------------------------

make_dirs() {
	rm -rf "$DEV"
	mkdir -p "$DEV"/{etc,log,pids,run,bin,home,srv}
	# Servers that drop to nobody must traverse the device directory; the keys stay root's.
	chmod 755 "$DEV"
	install -d -m 700 "$DEV/keys"
	if ! "${AS_NOBODY[@]}" test -x "$DEV"; then
		die "$DEV must be reachable by nobody (the servers drop privileges): choose a STATEDIR whose parent directories are world-searchable"
	fi
}

# make_rootfs — a tiny busybox root file system: what a login on the weak device gets.
make_rootfs() {
	local rootfs="$DEV/rootfs" applet
	mkdir -p "$rootfs"/{bin,sbin,usr/bin,etc,tmp,proc,dev}
	cp /bin/busybox "$rootfs/bin/busybox"
	for applet in sh ash ls cat echo id uname ps pwd sleep true false grep ifconfig; do
		ln -s busybox "$rootfs/bin/$applet"
	done
	ln -s ../../bin/busybox "$rootfs/usr/bin/env"
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
	printf 'IPC-100 V4.02.R11\n' >"$rootfs/etc/version"
	chmod 1777 "$rootfs/tmp"
}

# shellcheck disable=SC2034 # the tpl_* variables are read by render() through ${!var}
build_weak() {
	local tpl_ADDR=$ADDR tpl_DEV=$DEV tpl_ROOTFS="$DEV/rootfs" tpl_JAIL="$DEV/bin/jail-shell"
	local tpl_LOGIN_USER=root tpl_LOGIN_PASSWORD=xc3511 tpl_PROMPT tpl_BANNER hash

	make_rootfs
	render "$HERE/weak/jail-shell.in" "$DEV/bin/jail-shell"
	tpl_PROMPT=IPCam tpl_BANNER='IPC-100 Network Camera'
	render "$HERE/weak/ipcam-login.in" "$DEV/bin/login-telnet"
	chmod 755 "$DEV/bin/jail-shell" "$DEV/bin/login-telnet"

	# Device accounts: root with the factory password, whose shell is the jail.
	hash=$(openssl passwd -6 "$tpl_LOGIN_PASSWORD")
	mkdir -p "$DEV/home/root"
	{
		echo "root:x:0:0:root:$DEV/home/root:$DEV/bin/jail-shell"
		echo "sshd:x:$NOBODY:$NOBODY:privilege separation:/run/sshd:/usr/sbin/nologin"
		echo "nobody:x:$NOBODY:$NOBODY:nobody:/nonexistent:/usr/sbin/nologin"
	} >"$DEV/etc/passwd"
	{
		echo "root:$hash:19000:0:99999:7:::"
		echo "sshd:*:19000:0:99999:7:::"
		echo "nobody:*:19000:0:99999:7:::"
	} >"$DEV/etc/shadow"
	chmod 644 "$DEV/etc/passwd"
	chmod 600 "$DEV/etc/shadow"

	# SSH: RSA-1024 host key (the smallest OpenSSH 9 still loads).
	ssh-keygen -q -t rsa -b 1024 -N '' -C 'ipc-100' -f "$DEV/keys/ssh_host_rsa_key"
	render "$HERE/weak/sshd_config.in" "$DEV/etc/sshd_config"

	# TLS: RSA-1024 key, self-signed with SHA-1; s_server runs as nobody and reads it itself.
	install -d -o "$NOBODY" -g "$NOBODY" -m 700 "$DEV/srv/tls"
	openssl req -x509 -newkey rsa:1024 -sha1 -nodes -days 3650 \
		-subj '/O=ExampleCam/CN=IPC-100' \
		-keyout "$DEV/srv/tls/server.key" -out "$DEV/srv/tls/server.crt" 2>/dev/null
	chown "$NOBODY:$NOBODY" "$DEV/srv/tls/server.key" "$DEV/srv/tls/server.crt"

	# Web: public index, admin pages behind admin:admin; the undeclared factory debug page.
	cp -r "$HERE/weak/www" "$DEV/www"
	cp -r "$HERE/weak/debug-www" "$DEV/debug-www"
	cp "$HERE/weak/httpd.conf" "$DEV/etc/httpd.conf"

	render "$HERE/weak/mosquitto.conf.in" "$DEV/etc/mosquitto.conf"
	cp "$HERE/weak.yaml" "$DECL"
}

start_weak() {
	spawn sshd "${DEVICE_ACCOUNTS[@]}" /usr/sbin/sshd -D -e -f "$DEV/etc/sshd_config"
	: >"$DEV/etc/issue.net"
	spawn telnetd busybox telnetd -F -b "$ADDR:23" -f "$DEV/etc/issue.net" -l "$DEV/bin/login-telnet"
	spawn httpd busybox httpd -f -vv -p "$ADDR:80" -h "$DEV/www" -c "$DEV/etc/httpd.conf" \
		-r 'IPC-100' -u "$NOBODY:$NOBODY"
	spawn tls-server "${AS_NOBODY_BIND[@]}" openssl s_server -www -accept "$ADDR:443" \
		-cert "$DEV/srv/tls/server.crt" -key "$DEV/srv/tls/server.key" \
		-cipher 'ALL:@SECLEVEL=0' -min_protocol TLSv1
	spawn mosquitto "${AS_NOBODY[@]}" mosquitto -c "$DEV/etc/mosquitto.conf"
	spawn coap-server "${AS_NOBODY[@]}" coap-server-notls -A "$ADDR" -p 5683 -d 8 -v 4
	spawn debug-web busybox httpd -f -vv -p "$ADDR:9527" -h "$DEV/debug-www" -u "$NOBODY:$NOBODY"
}

# after_weak — retained messages, so an anonymous subscriber to '#' really receives something.
after_weak() {
	local topic msg
	while read -r topic msg; do
		mosquitto_pub -h "$ADDR" -p 1883 -q 1 -r -i sp-testbed -t "$topic" -m "$msg"
	done <<-EOF
		ipcam/ipc-100/status online
		ipcam/ipc-100/stream rtsp://$ADDR/live/ch0
		ipcam/ipc-100/wifi {"ssid":"home-network","psk":"sunshine2019"}
	EOF
}

# shellcheck disable=SC2034 # the tpl_* variables are read by render() through ${!var}
build_hardened() {
	local tpl_ADDR=$ADDR tpl_DEV=$DEV tpl_ADMIN_HASH tpl_MAX_FAILURES=5
	local tpl_LOCK_SECONDS=${STARPROBE_TESTBED_LOCK_SECONDS:-60}
	local tpl_HTTPS_PASSWORD tpl_MQTT_PASSWORD tpl_COAP_IDENTITY tpl_COAP_KEY k="$DEV/keys"
	case $tpl_LOCK_SECONDS in '' | *[!0-9]*) die "STARPROBE_TESTBED_LOCK_SECONDS must be a number" ;; esac

	# Per-unit secrets: nothing here is a universal default.
	tpl_HTTPS_PASSWORD=$(secret 20) tpl_MQTT_PASSWORD=$(secret 20)
	tpl_COAP_IDENTITY="gw7-$(secret 8)" tpl_COAP_KEY=$(secret 24)
	tpl_ADMIN_HASH=$(busybox httpd -m "$tpl_HTTPS_PASSWORD")

	# Device accounts: one maintenance user, public key only.
	{
		echo "maint:x:4242:4242:maintenance:$DEV/home/maint:/bin/sh"
		echo "sshd:x:$NOBODY:$NOBODY:privilege separation:/run/sshd:/usr/sbin/nologin"
		echo "nobody:x:$NOBODY:$NOBODY:nobody:/nonexistent:/usr/sbin/nologin"
	} >"$DEV/etc/passwd"
	{
		echo "maint:*:19000:0:99999:7:::"
		echo "sshd:*:19000:0:99999:7:::"
		echo "nobody:*:19000:0:99999:7:::"
	} >"$DEV/etc/shadow"
	chmod 644 "$DEV/etc/passwd"
	chmod 600 "$DEV/etc/shadow"
	ssh-keygen -q -t ed25519 -N '' -C 'gw-7' -f "$k/ssh_host_ed25519_key"
	ssh-keygen -q -t ed25519 -N '' -C 'lab test account maint@gw-7' -f "$k/maint_ed25519"
	install -d -o 4242 -g 4242 -m 755 "$DEV/home/maint"
	install -d -o 4242 -g 4242 -m 700 "$DEV/home/maint/.ssh"
	install -o 4242 -g 4242 -m 600 "$k/maint_ed25519.pub" "$DEV/home/maint/.ssh/authorized_keys"
	render "$HERE/hardened/sshd_config.in" "$DEV/etc/sshd_config"

	# A testbed CA and the device certificate: ECDSA P-256, SHA-256, the device address as SAN.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -nodes -days 3650 \
		-subj '/O=Example Networks/CN=Example Networks Testbed CA' \
		-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
		-keyout "$k/ca.key" -out "$k/ca.crt" 2>/dev/null
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha256 -nodes \
		-subj "/O=Example Networks/CN=$ADDR" -keyout "$k/server.key" -out "$k/server.csr" 2>/dev/null
	openssl x509 -req -in "$k/server.csr" -CA "$k/ca.crt" -CAkey "$k/ca.key" -CAcreateserial \
		-sha256 -days 825 -out "$k/server.crt" \
		-extfile <(printf '%s\n' "subjectAltName=IP:$ADDR,DNS:gw-7.local" \
			'basicConstraints=CA:FALSE' 'keyUsage=critical,digitalSignature' \
			'extendedKeyUsage=serverAuth') 2>/dev/null
	cat "$k/server.crt" "$k/ca.crt" >"$k/server-chain.crt"
	cp "$k/ca.crt" "$DEV/ca.crt"

	# Web admin: stunnel -> https-gate (lockout) -> busybox httpd; firmware download is public.
	cp -r "$HERE/hardened/www" "$DEV/www"
	render "$HERE/hardened/httpd.conf.in" "$DEV/etc/httpd.conf"
	render "$HERE/hardened/https-gate.in" "$DEV/bin/https-gate"
	chmod 755 "$DEV/bin/https-gate"
	render "$HERE/hardened/stunnel.conf.in" "$DEV/etc/stunnel.conf"
	install -d -o "$NOBODY" -g "$NOBODY" -m 700 "$DEV/run/lockout"

	# Signed firmware: ECDSA P-256 vendor key, detached SHA-256 signature.
	mkdir -p "$DEV/firmware"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$k/vendor.key" 2>/dev/null
	openssl pkey -in "$k/vendor.key" -pubout -out "$DEV/firmware/vendor-pub.pem"
	{
		printf 'GW7FW\0\0\0Example Networks GW-7 firmware 1.4.2\n'
		head -c 65536 /dev/urandom
	} >"$DEV/firmware/firmware.bin"
	openssl dgst -sha256 -sign "$k/vendor.key" -out "$DEV/firmware/firmware.sig" "$DEV/firmware/firmware.bin"
	openssl dgst -sha256 -verify "$DEV/firmware/vendor-pub.pem" -signature "$DEV/firmware/firmware.sig" \
		"$DEV/firmware/firmware.bin" >/dev/null
	mkdir -p "$DEV/www/firmware"
	cp "$DEV/firmware/firmware.bin" "$DEV/firmware/firmware.sig" "$DEV/firmware/vendor-pub.pem" "$DEV/www/firmware/"

	# MQTT over TLS with a password file; mosquitto runs as nobody and reads these itself.
	install -d -o "$NOBODY" -g "$NOBODY" -m 700 "$DEV/srv/mqtt"
	cp "$k/ca.crt" "$k/server.crt" "$k/server.key" "$DEV/srv/mqtt/"
	mosquitto_passwd -b -c "$DEV/srv/mqtt/passwd" telemetry "$tpl_MQTT_PASSWORD"
	chown "$NOBODY:$NOBODY" "$DEV/srv/mqtt/"*
	chmod 600 "$DEV/srv/mqtt/server.key" "$DEV/srv/mqtt/passwd"
	# The broker's login lockout: an auth plugin (hardened/mqtt_lockout.c), built for this host.
	mkdir -p "$DEV/lib"
	cc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$DEV/lib/mqtt_lockout.so" \
		"$HERE/hardened/mqtt_lockout.c" -lcrypto ||
		die "cannot build the MQTT lockout plugin (needs cc, mosquitto-dev, libmosquitto-dev, libssl-dev)"
	chmod 755 "$DEV/lib" "$DEV/lib/mqtt_lockout.so"
	render "$HERE/hardened/mosquitto.conf.in" "$DEV/etc/mosquitto.conf"

	# CoAP over DTLS with a per-unit PSK. coap-server takes the key on its command line, so it
	# is also kept in a root-only file for the tests.
	printf '%s\n%s\n' "$tpl_COAP_IDENTITY" "$tpl_COAP_KEY" >"$k/coap-psk"
	COAP_IDENTITY=$tpl_COAP_IDENTITY COAP_KEY=$tpl_COAP_KEY MQTT_PASSWORD=$tpl_MQTT_PASSWORD

	render "$HERE/hardened.yaml" "$DECL"
	chmod 600 "$DECL"
}

start_hardened() {
	spawn sshd "${DEVICE_ACCOUNTS[@]}" /usr/sbin/sshd -D -e -f "$DEV/etc/sshd_config"
	spawn stunnel stunnel4 "$DEV/etc/stunnel.conf"
	spawn mosquitto "${AS_NOBODY[@]}" mosquitto -c "$DEV/etc/mosquitto.conf"
	spawn coap-server "${AS_NOBODY[@]}" coap-server-openssl -A "$ADDR" -p 5683 \
		-k "$COAP_KEY" -h "$COAP_IDENTITY" -v 4
}

# after_hardened — a retained message, readable only by an authenticated TLS client.
after_hardened() {
	mosquitto_pub -h "$ADDR" -p 8883 --cafile "$DEV/ca.crt" -u telemetry -P "$MQTT_PASSWORD" \
		-q 1 -r -i sp-testbed -t gw-7/status -m online
}

# --- actions ---------------------------------------------------------------------------------

do_up() {
	[ "$(id -u)" -eq 0 ] ||
		die "the testbed needs root: its servers bind ports 22, 23, 80 and 443 and sshd reads the device's own shadow file (run with sudo)"
	if compgen -G "$DEV/pids/*.pid" >/dev/null || [ -e "/run/netns/$NS" ]; then
		log "$DEVICE: stopping the previous instance first"
		do_down
	fi
	# sshd's privilege-separation directory (what the openssh-server package itself creates).
	[ -d /run/sshd ] || install -d -m 755 /run/sshd

	trap 'log "$DEVICE: up failed, tearing down"; do_down' EXIT
	make_dirs
	setup_network
	log "$DEVICE: generating keys and configuration in $DEV"
	"build_$DEVICE"
	"start_$DEVICE"
	wait_ready
	"after_$DEVICE"
	trap - EXIT
	log "$DEVICE is up ($MODE mode) at $ADDR; declaration $DECL"
	printf '%s %s\n' "$ADDR" "$DECL"
}

do_down() {
	local pidfile pid start rest victims=() deadline p mode
	mode=$(cat "$DEV/mode" 2>/dev/null || echo none)
	# Our servers, recognised by PID and start time, and everything they spawned (sessions, CGI).
	for pidfile in "$DEV"/pids/*.pid; do
		[ -e "$pidfile" ] || continue
		read -r pid start rest <"$pidfile" || true
		if [ -n "${pid:-}" ] && [ -n "${start:-}" ] && [ "$(proc_start "$pid")" = "$start" ]; then
			mapfile -t -O "${#victims[@]}" victims < <(descendants "$pid")
			victims+=("$pid")
		fi
		rm -f "$pidfile"
	done
	# In netns mode anything still in the device's namespace was started by the device. Namespaces
	# and links are root's: a non-root caller (who cannot have started a device) leaves them alone.
	if [ "$(id -u)" -eq 0 ] && [ -e "/run/netns/$NS" ]; then
		mapfile -t -O "${#victims[@]}" victims < <(ip netns pids "$NS" 2>/dev/null)
	fi
	if [ "${#victims[@]}" -gt 0 ]; then
		mapfile -t victims < <(printf '%s\n' "${victims[@]}" | sort -un)
		kill -TERM "${victims[@]}" 2>/dev/null || true
		deadline=$((SECONDS + STOP_TIMEOUT))
		for p in "${victims[@]}"; do
			while proc_alive "$p" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
			if proc_alive "$p"; then
				log "$DEVICE: pid $p ignored SIGTERM, sending SIGKILL"
				kill -KILL "$p" 2>/dev/null || true
			fi
		done
		for p in "${victims[@]}"; do
			deadline=$((SECONDS + 2))
			while proc_alive "$p" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
			proc_alive "$p" && log "$DEVICE: warning: pid $p is still running"
		done
		log "$DEVICE: stopped ${#victims[@]} process(es)"
	fi
	if [ "$(id -u)" -eq 0 ]; then
		if ip link show "$VETH_HOST" >/dev/null 2>&1; then
			ip link del "$VETH_HOST"
		fi
		if [ -e "/run/netns/$NS" ]; then
			ip netns del "$NS"
			log "$DEVICE: removed namespace $NS"
		fi
	fi
	[ -d "$DEV" ] && echo down >"$DEV/mode"
	[ "$mode" = none ] || [ "$mode" = down ] || log "$DEVICE is down"
	return 0
}

# do_status — "up|degraded|down MODE ADDRESS DECLARATION"; exit 0 up, 1 degraded, 3 down.
do_status() {
	local mode name transport port pid start up=0 total=0
	mode=$(cat "$DEV/mode" 2>/dev/null || echo down)
	if [ "$mode" = down ] || [ ! -d "$DEV/pids" ]; then
		printf 'down - - -\n'
		return 3
	fi
	MODE=$mode ADDR=$(cat "$DEV/address")
	while read -r name transport port; do
		total=$((total + 1))
		pid='' start=''
		read -r pid start <"$DEV/pids/$name.pid" 2>/dev/null || true
		if [ -n "$pid" ] && [ "$(proc_start "$pid")" = "$start" ] && listening "$transport" "$port" "$pid"; then
			up=$((up + 1))
			log "$name: pid $pid accepting on $ADDR $transport/$port"
		else
			log "$name: NOT running or not accepting on $ADDR $transport/$port"
		fi
	done < <(servers_of "$DEVICE")
	if [ "$up" -eq "$total" ]; then
		printf 'up %s %s %s\n' "$MODE" "$ADDR" "$DECL"
		return 0
	fi
	printf 'degraded %s %s %s\n' "$MODE" "$ADDR" "$DECL"
	return 1
}

main() {
	if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
	local action=$1
	DEVICE=$2
	device_params "$DEVICE"
	init_paths "$DEVICE" "${3:-}"
	case $action in
	up) with_lock do_up ;;
	down) with_lock do_down ;;
	status) with_lock do_status ;;
	*) usage ;;
	esac
}

main "$@"
