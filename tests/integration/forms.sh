#!/usr/bin/env bash
# forms.sh - web-form logins, against lighttpd with shell CGIs on 127.0.10.x: a camera-style web
# UI whose only login is an HTML form with a hidden anti-CSRF token bound to a session cookie (no
# 401 anywhere), accepting admin/admin; the same UI with a strong password; and a first-setup page
# whose only form sets a new administrator password without any login; and a page whose login
# form posts to a script that answers "Login successful" to anything while / keeps serving the form;
# the admin/admin UI again behind TLS (stunnel), where the password does not travel in clear.
#
# What must hold: creds.defaults finds admin/admin through the form and FAILs with a transcript;
# transport.plaintext FAILs for the password form over plain HTTP; on the strong instance the
# service is examined (every attempt positively refused) and creds.defaults does not FAIL; the
# setup form is not taken for a login; the "successful" script yields no login (nothing needed
# the session); auth.bruteforce measures the form (no throttling: FAIL).
#
# Usage: tests/integration/forms.sh ./starprobe
# shellcheck disable=SC2015 # "test && ok || not_ok" is safe: ok always returns 0
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir forms
chmod 755 "$WORK"
on_exit
CHECK_LABEL=credentials CHECK_SHOW=.credentials

cd "$WORK" || exit 70

A_FORM=127.0.10.1 A_STRONG=127.0.10.2 A_SETUP=127.0.10.3 A_FAKE=127.0.10.4 A_TLS=127.0.10.5
P_HTTP=20080 P_HTTPS=20443
for ap in $A_FORM:$P_HTTP $A_STRONG:$P_HTTP $A_SETUP:$P_HTTP $A_FAKE:$P_HTTP $A_TLS:$P_HTTPS; do
    if listening "$ap"; then bail "$ap is busy on this machine"; fi
done
STRONGPW="Ui$(openssl rand -hex 12)"

# ---- the web UI: / needs a session; /login.cgi serves the form (a fresh SID cookie and a
# single-use token bound to it) and takes the POST; a login rotates the SID ----
# ui_site DIR PASSWORD
ui_site() {
    local dir=$1 pw=$2
    mkdir -p "$dir/www" "$dir/state"
    cat > "$dir/ui.sh" <<EOS
STATE='$dir/state'
PASS='$pw'
EOS
    cat >> "$dir/ui.sh" <<'EOS'
sid_cookie() { printf '%s' "${HTTP_COOKIE:-}" | tr ';' '\n' | sed -n 's/^ *SID=\([0-9a-f]*\) *$/\1/p' | head -n 1; }
token() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
EOS
    cat > "$dir/www/index.cgi" <<EOS
. '$dir/ui.sh'
EOS
    cat >> "$dir/www/index.cgi" <<'EOS'
sid=$(sid_cookie)
if [ -n "$sid" ] && [ -f "$STATE/$sid.auth" ]; then
	printf 'Content-Type: text/html\r\n\r\n'
	printf '<html><head><title>IPC-300 Live Video</title></head><body><h1>Live video</h1>'
	printf '<img src="/snapshot.jpg"><a href="/logout.cgi">Log out</a></body></html>\n'
else
	printf 'Status: 302 Found\r\nLocation: /login.cgi\r\nContent-Type: text/html\r\n\r\n'
fi
EOS
    cat > "$dir/www/login.cgi" <<EOS
. '$dir/ui.sh'
EOS
    cat >> "$dir/www/login.cgi" <<'EOS'
msg=''
if [ "${REQUEST_METHOD:-GET}" = POST ]; then
	body=$(head -c "${CONTENT_LENGTH:-0}")
	user='' pw='' tok=''
	for kv in $(printf '%s' "$body" | tr '&' ' '); do
		case $kv in
		username=*) user=${kv#username=} ;;
		password=*) pw=${kv#password=} ;;
		csrf_token=*) tok=${kv#csrf_token=} ;;
		esac
	done
	sid=$(sid_cookie)
	if [ -z "$sid" ] || [ -z "$tok" ] || [ ! -f "$STATE/$sid.csrf" ] || [ "$(cat "$STATE/$sid.csrf")" != "$tok" ]; then
		printf 'Status: 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nbad or missing token\n'
		exit 0
	fi
	rm -f "$STATE/$sid.csrf"
	if [ "$user" = admin ] && [ "$pw" = "$PASS" ]; then
		new=$(token)
		: > "$STATE/$new.auth"
		printf 'Status: 302 Found\r\nSet-Cookie: SID=%s; Path=/; HttpOnly\r\nLocation: /\r\n\r\n' "$new"
		exit 0
	fi
	msg='<p class="error">Invalid user name or password.</p>'
fi
sid=$(token) tok=$(token)
printf '%s' "$tok" > "$STATE/$sid.csrf"
printf 'Set-Cookie: SID=%s; Path=/; HttpOnly\r\nContent-Type: text/html\r\n\r\n' "$sid"
cat <<HTML
<!DOCTYPE html>
<html><head><title>IPC-300 Login</title>
<script>function check(f) { if (f.password.value == "") { alert("<form>"); return false; } }</script>
</head><body>$msg
<form name="login" method="post" action="login.cgi" onsubmit="return check(this)">
<input type="hidden" name="csrf_token" value="$tok">
<label>User name <input type="text" name="username" autocomplete="username"></label>
<label>Password <input type="password" name="password"></label>
<input type="submit" name="login" value="Log in">
</form></body></html>
HTML
EOS
}

# ---- the first-setup page: / serves a form that sets the admin password, no login anywhere ----
setup_site() {
    local dir=$1
    mkdir -p "$dir/www"
    cat > "$dir/www/index.html" <<'EOS'
<html><head><title>Welcome - first setup</title></head><body>
<h1>Set the administrator password</h1>
<form method="post" action="/setup.cgi">
<input type="text" name="device_name" value="IPC-300">
<input type="password" name="new_password">
<input type="password" name="confirm_password">
<input type="submit" value="Save">
</form></body></html>
EOS
    printf 'printf "Content-Type: text/html\\r\\n\\r\\n<html>saved</html>\\n"\n' > "$dir/www/setup.cgi"
    # /admin: one password beside a device name, no "new" or "confirm": still a settings form
    mkdir -p "$dir/www/admin"
    cat > "$dir/www/admin/index.html" <<'EOS'
<html><head><title>Device settings</title></head><body>
<form method="post" action="/setup.cgi">
Device name <input type="text" name="device_name" value="IPC-300">
Administrator password <input type="password" name="password">
<input type="submit" value="Save">
</form></body></html>
EOS
}

# ---- the fake: / is a static login form; its script says "Login successful" to any pair and sets a
# cookie, but nothing on the site ever needs a session ----
fake_site() {
    local dir=$1
    mkdir -p "$dir/www"
    cat > "$dir/www/index.html" <<'EOS'
<html><head><title>Router login</title></head><body>
<form method="post" action="/login.cgi">
<input type="text" name="user"> <input type="password" name="pass">
<input type="submit" value="Login">
</form></body></html>
EOS
    cat > "$dir/www/login.cgi" <<'EOS'
head -c "${CONTENT_LENGTH:-0}" >/dev/null
printf 'Set-Cookie: session=%s; Path=/\r\nContent-Type: text/html\r\n\r\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
printf '<html><head><title>Welcome</title></head><body>Login successful.</body></html>\n'
EOS
}

# lighttpd NAME ADDR INDEX
lighttpd_conf() {
    cat > "$1/lighttpd.conf" <<CFG
server.document-root = "$WORK/$1/www"
server.bind = "$2"
server.port = $P_HTTP
server.modules = ("mod_cgi")
index-file.names = ("$3")
cgi.assign = (".cgi" => "/bin/sh")
server.errorlog = "$WORK/$1/error.log"
CFG
    lighttpd -D -f "$WORK/$1/lighttpd.conf" & PIDS+=($!)
}

ui_site "$WORK/form" admin
ui_site "$WORK/strong" "$STRONGPW"
setup_site "$WORK/setup"
fake_site "$WORK/fake"
lighttpd_conf form $A_FORM index.cgi
lighttpd_conf strong $A_STRONG index.cgi
lighttpd_conf setup $A_SETUP index.html
lighttpd_conf fake $A_FAKE index.html
# The camera UI over HTTPS: stunnel in front of the admin/admin instance, as on a device with TLS.
make_cert tls /CN=forms-test ec 2
cat > stunnel.conf <<CFG
foreground = yes
pid =
debug = notice
syslog = no
[ui]
accept = $A_TLS:$P_HTTPS
connect = $A_FORM:$P_HTTP
cert = $WORK/tls.crt
key = $WORK/tls.key
sslVersionMin = TLSv1.2
CFG
stunnel4 "$WORK/stunnel.conf" 2>stunnel.log & PIDS+=($!)
wait_listening 100 "$A_FORM:$P_HTTP" "$A_STRONG:$P_HTTP" "$A_SETUP:$P_HTTP" "$A_FAKE:$P_HTTP" "$A_TLS:$P_HTTPS"
[ "$UP" = 5 ] && ok "four lighttpd web UIs and the TLS front listening" || not_ok "servers listening" "$UP of 5; see $WORK"

lab_profile lab.yaml forms-lab "{tcp_ports: \"$P_HTTP,$P_HTTPS\", udp_ports: []}"
cat >> lab.yaml <<CFG
  - id: S1.1-04
    checks:
      - probe: auth.bruteforce
        with: {attempts: 8, max_attempts: 100, rate_per_s: 20, min_delay_ms: 2000, growth_ms: 1000}
CFG
cat > dev-form.yaml <<CFG
device: {vendor: Test, model: IPC-300, firmware: "0"}
services:
  - {port: $P_HTTP, service: http, auth: password}
accounts:
  - {service: http, port: $P_HTTP, user: admin, password: "admin"}
CFG

# assess ADDR NAME [DEVICE] [extra args]
assess() {
    local addr=$1 name=$2 dev=${3:-}
    shift 3
    local args=(-p ./lab.yaml -t "$addr" -o "out-$name" --quiet)
    [ -n "$dev" ] && args+=(-d "$dev")
    STARPROBE_PROFILES="$ROOT/profiles" timeout 300 "$SP" assess "${args[@]}" "$@" >"$name.out" 2>"$name.err"
    echo $? > "$name.rc"
}
assess $A_FORM form "" & a1=$!
assess $A_STRONG strong "" & a2=$!
assess $A_SETUP setup "" & a3=$!
assess $A_FAKE fake "" & a4=$!
assess $A_TLS tls "" & a5=$!
wait $a1 $a2 $a3 $a4 $a5
assess $A_FORM bf-form dev-form.yaml --intrusive

rep() { echo "out-$1/report.json"; }
S102='.requirements[] | select(.id == "S1.1-02") | .checks[] | select(.probe == "creds.defaults")'
S104='.requirements[] | select(.id == "S1.1-04") | .checks[] | select(.probe == "auth.bruteforce")'
PLAIN='[.requirements[].checks[] | select(.probe == "transport.plaintext")][0]'
SVC=".services[] | select(.port == $P_HTTP)"

for n in form strong setup fake tls bf-form; do
    if jq -e . "$(rep $n)" >/dev/null 2>&1; then ok "$n: report.json exists and parses"
    else not_ok "$n: report.json exists and parses" "exit $(cat "$n.rc" 2>/dev/null); $(tail -c 300 "$n.err" 2>/dev/null)"; fi
done
# The login form facts are new keys of services[].login: the report must stay within its schema.
for n in form bf-form; do
    if /usr/bin/python3 "$ROOT/tests/schema-check.py" "$(rep $n)" >"$n.schema" 2>&1; then
        ok "$n: report.json validates against docs/report.schema.json"
    else not_ok "$n: report.json validates against docs/report.schema.json" "$(head -c 400 "$n.schema")"; fi
done

# -- the form with a default pair --
check "$(rep form)" "form: the login form is found behind the redirect from / (facts)" \
    "$SVC | .login.auth == \"password\" and .login.scheme == \"form\" and .login.form.start == \"/\" and .login.form.page == \"/login.cgi\" and .login.form.action == \"/login.cgi\" and .login.form.method == \"POST\" and .login.form.user_field == \"username\" and .login.form.password_field == \"password\" and .login.form.hidden == \"csrf_token\"" "$SVC | .login"
check "$(rep form)" "form: default admin/admin found on tcp/$P_HTTP" \
    "[.credentials[] | select(.service == \"tcp/$P_HTTP\" and .user == \"admin\" and .password == \"admin\")] | length == 1"
check "$(rep form)" "form: S1.1-02 creds.defaults FAIL naming admin/admin with a transcript" \
    "$S102 | .verdict == \"FAIL\" and (.reason | test(\"admin/admin\")) and any(.evidence[]; .service == \"tcp/$P_HTTP\" and (.detail | test(\"admin / admin accepted: .*POST /login.cgi.*with the session: GET / -> 200\")))" \
    "$S102"
check "$(rep form)" "form: the transcript is in the facts, with the session proven on /" \
    "$SVC | .login.found.transcript | test(\"login form\") and test(\"without it: the login form\")" "$SVC | .login.found"
check "$(rep form)" "form: S1.1-12 transport.plaintext FAIL for the password form over plain http" \
    "$PLAIN | .verdict == \"FAIL\" and any(.evidence[]; .service == \"tcp/$P_HTTP\" and (.detail | test(\"password login form at /login.cgi\")))" \
    "$PLAIN"

# -- the same form with a strong password --
check "$(rep strong)" "strong: no credential found" '.credentials == []'
check "$(rep strong)" "strong: S1.1-02 creds.defaults not FAIL" "$S102 | .verdict != \"FAIL\"" "$S102"
check "$(rep strong)" "strong: the form service is examined, every attempt positively refused" \
    "$SVC | .login.scheme == \"form\" and .login.attempts >= 5 and .login.rejected == .login.attempts and .login.errors == 0" "$SVC | .login"
check "$(rep strong)" "strong: creds.defaults does not call the service not examined" \
    "$S102 | all(.evidence[]; (.detail | test(\"not examined\")) | not)" "$S102"
check "$(rep strong)" "strong: S1.1-12 transport.plaintext FAIL (the form is served over plain http)" \
    "$PLAIN | .verdict == \"FAIL\"" "$PLAIN"
if grep -rqF -- "$STRONGPW" out-*; then not_ok "the strong password appears in a report"; else ok "no strong password in any report"; fi

# -- the first-setup page: a form that sets a password is no login --
check "$(rep setup)" "setup: the password-setting form is not taken for a login form" \
    "$SVC | .login.auth == \"open\" and (.login | has(\"form\") | not) and (.login.how | test(\"a form that sets a password, not a login\"))" "$SVC | .login"
check "$(rep setup)" "setup: S1.1-02 creds.defaults not FAIL, the service named not examined" \
    "$S102 | .verdict == \"INCONCLUSIVE\" and any(.evidence[]; .service == \"tcp/$P_HTTP\" and (.detail | test(\"not examined\")))" "$S102"
check "$(rep setup)" "setup: no credential found" '.credentials == []'
check "$(rep setup)" "setup: /admin (a device name beside one password) is not guessed into either" \
    "$SVC | .login.attempts == 0 and (.login.how | test(\"/admin.*a form that sets a password, not a login\"))" "$SVC | .login"

# -- a script that says "Login successful" to anything: no page ever needed the session --
check "$(rep fake)" "fake: the login form at / is found and tried" \
    "$SVC | .login.scheme == \"form\" and .login.form.start == \"/\" and .login.form.action == \"/login.cgi\" and .login.attempts >= 1" "$SVC | .login"
check "$(rep fake)" "fake: no credential claimed" '.credentials == []'
check "$(rep fake)" "fake: attempts recorded as unconfirmed, not as logins or refusals" \
    "$SVC | .login.errors >= 1 and .login.rejected == 0 and (.login.first_error | test(\"unconfirmed\"))" "$SVC | .login"
check "$(rep fake)" "fake: S1.1-02 creds.defaults INCONCLUSIVE, not FAIL and not PASS" "$S102 | .verdict == \"INCONCLUSIVE\"" "$S102"

# -- the same form over HTTPS: the default pair is found, but nothing travels in clear --
check "$(rep tls)" "tls: default admin/admin found through the form over HTTPS" \
    "([.credentials[] | select(.service == \"tcp/$P_HTTPS\" and .user == \"admin\" and .password == \"admin\")] | length == 1) and (.services[] | select(.port == $P_HTTPS) | .service == \"https\" and .login.scheme == \"form\" and .login.form.tls == true)"
check "$(rep tls)" "tls: S1.1-02 creds.defaults FAIL" "$S102 | .verdict == \"FAIL\"" "$S102"
check "$(rep tls)" "tls: S1.1-12 transport.plaintext names no login form in clear text" \
    "$PLAIN | .verdict != \"FAIL\" and all(.evidence[]; (.detail | test(\"login form\")) | not)" "$PLAIN"

# -- brute force through the form --
check "$(rep bf-form)" "bf-form: 8 wrong passwords refused through the form, then the right one accepted" \
    "$SVC | .bruteforce | .scheme == \"form\" and (.attempts | length) == 8 and all(.attempts[]; .status == \"rejected\") and .final == \"accepted\"" "$SVC | .bruteforce"
check "$(rep bf-form)" "bf-form: no throttling on the form -> S1.1-04 FAIL" \
    "$S104 | .verdict == \"FAIL\" and any(.evidence[]; .service == \"tcp/$P_HTTP\" and (.detail | test(\"accepted\")))" "$S104"
summary
