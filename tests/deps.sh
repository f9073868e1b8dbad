#!/usr/bin/env bash
# deps.sh - the packages starprobe's build, tests, demo and bench need, read from tests/deps.txt.
#
#   tests/deps.sh packages GOAL...   the packages of the goals (build is always included), one a line
#   tests/deps.sh install GOAL...    install those not installed yet (root; apt-get update first)
#   tests/deps.sh verify GOAL...     prove the install: every listed command of the goals is there, and
#                                    every program the scripts name comes from a listed package or from
#                                    one every Debian system has (priority required)
#
# GOAL is build, test, bench or fuzz. The verify step is what catches a test that calls a program no
# goal installs: on a used machine such a program may be there by chance (left by a bench run), so
# the scan asks dpkg which package owns every program a script names, and that package must be
# listed here or come with every Debian system.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIST=$HERE/deps.txt
ROOT=$(dirname "$HERE")
# The programs a script may run are looked up where a plain Debian system keeps them, not in
# whatever the caller's PATH adds (a pyenv shim is no Debian package).
SYSPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

usage() {
    sed -n '3,7s/^# \{0,1\}//p' "$0" >&2
    exit 64
}

# rows GOAL...: the lines of deps.txt for those goals (and build), without comments.
rows() {
    local goals=" build $* "
    sed -e 's/#.*//' "$LIST" | awk -v g="$goals" 'NF >= 2 && $1 != "not-a-command" && index(g, " " $2 " ")'
}

packages() {
    rows "$@" | awk '{print $1}'
}

installed() {
    dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q '^install ok installed'
}

install() {
    local p missing=()
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "deps: not a Debian system; install by hand: $(packages "$@" | tr '\n' ' ')" >&2
        return 0
    fi
    for p in $(packages "$@"); do installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} = 0 ] && return 0
    echo "deps: installing ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "deps: run as root to install: ${missing[*]}" >&2
        return 1
    fi
    apt-get update -q >/dev/null || { echo "deps: apt-get update failed" >&2; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
        { echo "deps: apt-get install failed for: ${missing[*]}" >&2; return 1; }
}

verify() {
    local pkg goal cmds c found=0 missing=0 bad=0 scripts words w f p listed skip
    local -A owner_of prio_of path_of wanted exe
    # 1. Every command of the goals asked for is there.
    while read -r pkg goal cmds; do
        for c in $cmds; do
            [ "$c" = - ] && continue
            if PATH=$SYSPATH command -v "$c" >/dev/null 2>&1 || [ -x "$c" ]; then
                found=$((found + 1))
            else
                echo "deps: '$c' is missing: package $pkg (goal $goal) did not provide it" >&2
                missing=$((missing + 1))
            fi
        done
    done < <(rows "$@")

    # 2. Every program a script names comes from a listed package (or one a listed package depends
    # on directly), or from one every Debian system has.
    listed=" $(sed -e 's/#.*//' "$LIST" | awk 'NF >= 2 && $1 != "not-a-command" {print $1}' | tr '\n' ' ') "
    # shellcheck disable=SC2086 # word-split on purpose
    listed="$listed $(dpkg-query -W -f='${Depends}, ${Pre-Depends}\n' $listed 2>/dev/null |
        tr ',|' '\n\n' | sed -E 's/\([^)]*\)//g; s/:any//; s/^ +//; s/ +$//' | grep . | sort -u | tr '\n' ' ') "
    skip=" $(sed -e 's/#.*//' "$LIST" | awk '$1 == "not-a-command" {for (i = 3; i <= NF; i++) print $i}' | tr '\n' ' ') "
    scripts=$(ls "$ROOT"/tests/integration/*.sh "$ROOT"/tests/bench/*.sh "$ROOT"/tests/lib.sh \
        "$ROOT"/tests/testbed/testbed.sh "$ROOT"/tests/testbed/*/*.in "$ROOT"/.ci/run 2>/dev/null)
    # shellcheck disable=SC2086 # the list is word-split on purpose
    words=$(sed -e 's/^[[:space:]]*#.*//' -e 's/[[:space:]]#.*//' $scripts |
        grep -oE '(^|[^A-Za-z0-9_./$-])[A-Za-z][A-Za-z0-9_.+-]*|(/usr)?/s?bin/[A-Za-z0-9_.+-]+' |
        sed -E 's/^[^A-Za-z/]//' | sort -u)
    # The programs on the system PATH, looked up once rather than once a word.
    while IFS= read -r f; do [ -n "${exe[${f##*/}]:-}" ] || exe[${f##*/}]=$f; done < <(
        IFS=:; for d in $SYSPATH; do find "$d" -maxdepth 1 \( -type f -o -type l \) -perm -u+x 2>/dev/null; done)
    for w in $words; do
        case $skip in *" ${w##*/} "*) continue ;; esac
        case $w in
        /*) [ -x "$w" ] && [ -f "$w" ] || continue; f=$w ;;
        *)
            [ -n "${exe[$w]:-}" ] || continue
            # a shell builtin or keyword named like a program (test, echo, time) runs as the builtin
            case $(type -t "$w" 2>/dev/null) in builtin | keyword) continue ;; esac
            f=${exe[$w]}
            ;;
        esac
        path_of[$w]=$f
        # dpkg knows a file by the name its package shipped: as named, with links resolved, or on
        # the other side of the /usr merge.
        wanted[$f]=1
        wanted[$(readlink -f "$f")]=1
        case $f in /usr/*) wanted[${f#/usr}]=1 ;; *) wanted[/usr$f]=1 ;; esac
    done
    # One dpkg call for every path, one for every priority: a call each costs a second here.
    while IFS= read -r line; do
        case $line in diversion*) continue ;; esac
        owner_of[${line#*: }]=${line%%: *}
    done < <(dpkg -S "${!wanted[@]}" 2>/dev/null)
    while read -r pkg c; do prio_of[$pkg]=$c; done < <(dpkg-query -W -f='${Package} ${Priority}\n' 2>/dev/null)
    for w in "${!path_of[@]}"; do
        f=${path_of[$w]}
        p=${owner_of[$f]:-}
        [ -n "$p" ] || p=${owner_of[$(readlink -f "$f")]:-}
        [ -n "$p" ] || case $f in /usr/*) p=${owner_of[${f#/usr}]:-} ;; *) p=${owner_of[/usr$f]:-} ;; esac
        p=${p%%,*}
        case $listed in *" $p "*) continue ;; esac
        if [ -n "$p" ]; then
            [ "${prio_of[$p]:-}" = required ] && continue
            echo "deps: the scripts run '$w' from package $p, which tests/deps.txt does not list" >&2
        else
            echo "deps: the scripts run '$w' ($f), which no Debian package installed: add its package to tests/deps.txt" >&2
        fi
        bad=$((bad + 1))
    done
    echo "deps: $found listed commands present, $missing missing; $bad programs the scripts run from unlisted packages"
    [ "$missing" = 0 ] && [ "$bad" = 0 ]
}

[ $# -ge 1 ] || usage
verb=$1
shift
for g in "$@"; do
    case $g in build | test | bench | fuzz) ;; *) echo "deps: unknown goal '$g'" >&2; usage ;; esac
done
case $verb in
packages) packages "$@" ;;
install) install "$@" ;;
verify) verify "$@" ;;
*) usage ;;
esac
