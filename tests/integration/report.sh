#!/usr/bin/env bash
# report.sh - the reports of the weak reference device as people and CI read them. Brings the weak
# device up exactly as e2e.sh does (tests/testbed/testbed.sh), assesses it with --intrusive (so the
# brute-force timing series is there to chart) once with --lang ja and once with --lang en, and then
# for each language:
#   - renders report.html in headless Chromium (Debian's chromium) to a PNG and to a PDF, and fails
#     on any message on the page's console;
#   - the PDF has a sane number of A4 pages (pdfinfo) and carries, as text (pdftotext), the verdict,
#     the last requirement and evidence lines that the screen folds away (print expands them);
#   - the rendered DOM holds one brute-force chart per login service, the TLS matrix and no script;
#   - junit.xml parses (xmllint) and its counts equal report.json's; report.json is within its schema;
#   - every line of summary.txt fits 100 terminal columns (a CJK character takes two) and carries no
#     control byte, since stdout was no terminal.
#
# How a console error is seen: report.html carries a Content-Security-Policy (default-src 'none',
# inline styles only), so a script or a fetch of anything - the two ways a page errs on the console
# with no script of its own - is blocked and reported on the console. Chromium started with
# --enable-logging=stderr --v=0 writes every console message to stderr as "...:INFO:CONSOLE:N] "text",
# source: ..." (older releases: "CONSOLE(N)"), whatever its level, and this page has no script that
# could log on purpose; so any CONSOLE line is a failure. The check is proved able to fail: a copy of
# the report with a fetch injected must produce such a line.
#
#   flock /tmp/sp-lock-report.lock tests/integration/report.sh ./starprobe     (root: the testbed)
#
# The weak device's namespace and addresses (sp-weak, 198.18.1.0/24, or 127.0.0.2 in fallback mode)
# are e2e.sh's and `starprobe demo`'s too, so while it is up this script holds /tmp/sp-lock-e2e.lock,
# the lock e2e.sh is run under; never run this script itself under that lock. KEEP=1 keeps the
# screenshots, PDFs and reports (named on stderr).
# shellcheck disable=SC2015 # "test && ok || not_ok" is safe: ok always returns 0
set -uo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
TESTBED=$ROOT/tests/testbed/testbed.sh
E2E_LOCK=/tmp/sp-lock-e2e.lock
ASSESS_TIMEOUT=600 # s
BROWSER_TIMEOUT=120 # s for one Chromium run
MAX_PAGES=40
STATEDIR=''
work_dir report

report_cleanup() {
    if [ -n "$STATEDIR" ]; then
        "$TESTBED" down weak "$STATEDIR" >/dev/null 2>&1 || echo "# warning: testbed.sh down weak failed" >&2
        rm -rf "$STATEDIR"
        STATEDIR=''
    fi
    cleanup
}
trap report_cleanup EXIT INT TERM

if [ "$(id -u)" != 0 ]; then bail "report.sh needs root (the reference device's namespace)"; fi
if ! command -v chromium >/dev/null; then
    # Only where Debian cannot install it is this a skip; anywhere else a missing browser is a failure.
    if ! apt-cache show chromium >/dev/null 2>&1; then
        echo "# SKIP: Chromium cannot be installed here (apt knows no chromium package); report.html not rendered"
        summary
        exit 0
    fi
    bail "chromium is installed (tests/deps.txt; tests/deps.sh install test)"
fi
for tool in pdfinfo pdftotext xmllint jq; do
    command -v "$tool" >/dev/null || bail "$tool is installed (tests/deps.txt)"
done

# --- the weak device, assessed in both languages, under e2e.sh's lock ----------------------------
exec 8>"$E2E_LOCK"
if ! flock -n 8; then
    echo "# waiting for $E2E_LOCK (the reference devices are in use)"
    flock -w 1200 8 || bail "$E2E_LOCK free within 20 minutes"
fi
STATEDIR=$(mktemp -d /tmp/starprobe-report-testbed.XXXXXX)
# The device's servers drop to nobody and must be able to reach their files.
chmod 755 "$STATEDIR"
if ! line=$("$TESTBED" up weak "$STATEDIR" 2>"$WORK/testbed.log"); then
    bail "weak device up: $(tail -n 5 "$WORK/testbed.log" | tr '\n' ' ')"
fi
read -r addr decl <<<"$line"
echo "# weak device up at $addr"
for lang in ja en; do
    rc=0
    timeout --kill-after=10 "$ASSESS_TIMEOUT" "$SP" assess -p star1 -t "$addr" -d "$decl" --intrusive \
        --lang "$lang" -o "$WORK/$lang" >"$WORK/$lang.stdout" 2>"$WORK/$lang.stderr" || rc=$?
    [ "$rc" = 1 ] && ok "$lang: the weak device is NOT_CONFORMANT (exit 1)" ||
        not_ok "$lang: the weak device is NOT_CONFORMANT (exit 1)" "exit $rc; $(tail -n 3 "$WORK/$lang.stderr")"
done
"$TESTBED" down weak "$STATEDIR" 2>>"$WORK/testbed.log" || not_ok "weak device down" "$(tail -n 3 "$WORK/testbed.log")"
rm -rf "$STATEDIR"
STATEDIR=''
flock -u 8

# --- the browser ------------------------------------------------------------------------------
# chromium NAME ARG...: one headless Chromium run on a profile of its own, never used before, with
# nothing that phones home; its stderr (the console log) in $WORK/NAME.log, stdout in $WORK/NAME.out.
chromium_run() {
    local name=$1 profile
    shift
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout --kill-after=5 "$BROWSER_TIMEOUT" chromium --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@" >"$WORK/$name.out" 2>"$WORK/$name.log"
}

# console NAME: the console messages of a run, one a line ('' when none).
console() {
    grep -E ':CONSOLE[:(][0-9]*' "$WORK/$1.log" || true
}

# columns FILE: the widest line of FILE in terminal columns (East Asian wide and full-width
# characters take two), as python3 counts them.
columns() {
    python3 -c '
import sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n"):
    w = max(w, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line))
print(w)' "$1"
}

for lang in ja en; do
    out=$WORK/$lang
    html=$out/report.html
    if [ ! -s "$html" ]; then
        not_ok "$lang: report.html written"
        continue
    fi
    grep -q "<html lang=\"$lang\">" "$html" && ok "$lang: report.html is in $lang (<html lang=\"$lang\">)" ||
        not_ok "$lang: report.html is in $lang" "$(head -c 200 "$html")"

    # The screenshot: a whole first screen of the page, with no console message.
    chromium_run "$lang-png" --window-size=1280,2400 --screenshot="$out/report.png" "file://$html"
    rc=$?
    size=$(stat -c %s "$out/report.png" 2>/dev/null || echo 0)
    [ "$rc" = 0 ] && [ "$size" -gt 50000 ] && [ "$(head -c 8 "$out/report.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] &&
        ok "$lang: Chromium screenshot of report.html ($size bytes PNG)" ||
        not_ok "$lang: Chromium screenshot of report.html" "exit $rc, $size bytes; $(tail -n 3 "$WORK/$lang-png.log")"
    msgs=$(console "$lang-png")
    [ -z "$msgs" ] && ok "$lang: no console message while rendering" ||
        not_ok "$lang: no console message while rendering" "$(head -c 600 <<<"$msgs")"

    # The PDF a lab attaches: A4, a sane number of pages, folded evidence printed.
    chromium_run "$lang-pdf" --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "file://$html"
    rc=$?
    pages=$(pdfinfo "$out/report.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
    psize=$(pdfinfo "$out/report.pdf" 2>/dev/null | awk -F': *' '/^Page size:/ {print $2}')
    [ "$rc" = 0 ] && [ -n "$pages" ] && [ "$pages" -ge 1 ] && [ "$pages" -le "$MAX_PAGES" ] &&
        ok "$lang: the PDF has $pages pages (1..$MAX_PAGES)" ||
        not_ok "$lang: the PDF has 1..$MAX_PAGES pages" "exit $rc, pages '${pages:-none}'; $(tail -n 3 "$WORK/$lang-pdf.log")"
    [[ $psize == *"(A4)"* ]] && ok "$lang: the PDF's pages are A4" || not_ok "$lang: the PDF's pages are A4" "page size '$psize'"
    msgs=$(console "$lang-pdf")
    [ -z "$msgs" ] && ok "$lang: no console message while printing" ||
        not_ok "$lang: no console message while printing" "$(head -c 600 <<<"$msgs")"
    pdftotext -layout "$out/report.pdf" "$out/report.pdf.txt" 2>/dev/null
    # A topic the screen shows only under "N more" (the group shows its first 5) and the last row.
    hidden=$(jq -r '[.requirements[] | select(.id == "S1.1-01") | .checks[].evidence[] | select(.service == "tcp/1883")
        | .detail | select(startswith("topic "))] | .[-1] | split(" ")[1]' "$out/report.json")
    for want in NOT_CONFORMANT S1.1-16 要求事項 "$hidden"; do
        grep -qF -- "$want" "$out/report.pdf.txt" && ok "$lang: the PDF says '$want'" ||
            not_ok "$lang: the PDF says '$want'" "pdftotext found $(wc -c <"$out/report.pdf.txt") bytes"
    done

    # The DOM Chromium built: the charts and the matrix are there, nothing to run.
    chromium_run "$lang-dom" --dump-dom "file://$html"
    nbf=$(jq '[.services[] | select((.bruteforce.attempts // []) | length > 0)] | length' "$out/report.json")
    nsvg=$(grep -o '<svg' "$WORK/$lang-dom.out" | wc -l)
    [ "$nbf" -ge 1 ] && [ "$nsvg" = "$nbf" ] && ok "$lang: one brute-force chart per login service tried ($nsvg)" ||
        not_ok "$lang: one brute-force chart per login service tried" "$nbf series in report.json, $nsvg <svg> in the DOM"
    grep -q 'class="matrix"' "$WORK/$lang-dom.out" && ok "$lang: the TLS version matrix is rendered" ||
        not_ok "$lang: the TLS version matrix is rendered"
    ! grep -qi '<script' "$WORK/$lang-dom.out" && ok "$lang: no script element in the DOM" ||
        not_ok "$lang: no script element in the DOM"

    # junit.xml for CI: well-formed, and the same counts as the JSON.
    if xmllint --noout "$out/junit.xml" 2>"$WORK/$lang-xmllint.log"; then
        ok "$lang: junit.xml parses (xmllint)"
        got=$(for a in tests failures errors skipped; do
            printf '%s ' "$(xmllint --xpath "string(/testsuites/testsuite/@$a)" "$out/junit.xml")"
        done)
        want=$(jq -r '[(.requirements | length), ([.requirements[] | select(.verdict == "FAIL")] | length),
            ([.requirements[] | select(.verdict == "ERROR")] | length),
            ([.requirements[] | select(.verdict == "INCONCLUSIVE" or .verdict == "EVIDENCE_REQUIRED")] | length)]
            | map(tostring) | join(" ")' "$out/report.json")
        ncase=$(xmllint --xpath 'count(//testcase)' "$out/junit.xml")
        [ "${got% }" = "$want" ] && [ "$ncase" = "${want%% *}" ] &&
            ok "$lang: junit.xml tests/failures/errors/skipped equal report.json's ($want)" ||
            not_ok "$lang: junit.xml counts equal report.json's" "junit '${got% }' ($ncase testcases), json '$want'"
    else
        not_ok "$lang: junit.xml parses (xmllint)" "$(head -c 300 "$WORK/$lang-xmllint.log")"
    fi
    python3 "$ROOT/tests/schema-check.py" "$out/report.json" >"$WORK/$lang-schema.log" 2>&1 &&
        ok "$lang: report.json validates against docs/report.schema.json" ||
        not_ok "$lang: report.json validates against docs/report.schema.json" "$(head -c 300 "$WORK/$lang-schema.log")"

    # The text summary: 100 columns, and plain text when stdout is not a terminal.
    width=$(columns "$out/summary.txt")
    [ "$width" -le 100 ] && ok "$lang: summary.txt fits 100 columns (widest $width)" ||
        not_ok "$lang: summary.txt fits 100 columns" "widest line $width: $(awk 'length > 100' "$out/summary.txt" | head -n 1)"
    ! LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$WORK/$lang.stdout" "$out/summary.txt" &&
        ok "$lang: no control byte (colour) on a stdout that is no terminal, nor in summary.txt" ||
        not_ok "$lang: no control byte on a stdout that is no terminal" "$(LC_ALL=C grep -c $'\x1b' "$WORK/$lang.stdout") ESC lines"
done

# The console check can fail: the same report with one fetch in it, which the page's policy blocks.
if [ -s "$WORK/en/report.html" ]; then
    sed 's|</body>|<img src="http://127.0.13.1/blocked.png" alt=""></body>|' "$WORK/en/report.html" >"$WORK/fetch.html"
    chromium_run control --window-size=800,600 --screenshot="$WORK/control.png" "file://$WORK/fetch.html"
    msgs=$(console control)
    grep -q 'blocked.png' <<<"$msgs" && ok "the console check sees a fetch the page's policy blocks" ||
        not_ok "the console check sees a fetch the page's policy blocks" "console: '$msgs'; $(tail -n 3 "$WORK/control.log")"
fi
[ -n "${KEEP:-}" ] && echo "# screenshots: $WORK/{ja,en}/report.png, PDFs: $WORK/{ja,en}/report.pdf" >&2
summary
