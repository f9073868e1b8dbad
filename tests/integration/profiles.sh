#!/usr/bin/env bash
# profiles.sh - the bundled profiles from the command line: `starprobe profiles` lists every
# profile file under profiles/ (the ones with a `profile:` key) with its level, edition and status,
# sorted by level; `starprobe explain ID` works, without -p, for every requirement id of every
# bundled profile and names the profile that defines it; `explain -p PROFILE ID` shows it as that
# profile sets it (ids inherited through `extends` included). No network.
#
# Usage: tests/integration/profiles.sh ./starprobe
# shellcheck disable=SC2015 # "test && ok || not_ok" is safe: ok always returns 0
# No pipefail: `... | grep -q` ends a pipe early on a match, and the writer's SIGPIPE is no failure.
set -u

# shellcheck source-path=SCRIPTDIR source=../lib.sh
. "$(dirname "$0")/../lib.sh"
SP=$(realpath "${1:-./starprobe}")
work_dir profiles
on_exit
cd "$WORK" || exit 70
export STARPROBE_PROFILES="$ROOT/profiles"

"$SP" profiles > list.txt 2>list.err
rc=$?
[ $rc = 0 ] && ok "profiles exits 0" || not_ok "profiles exits 0" "exit $rc: $(head -c 300 list.err)"

# Every YAML file with a top-level `profile:` is a profile and must be listed, with the level,
# edition and status its file gives.
nfiles=0
for f in "$ROOT"/profiles/*.yaml; do
    id=$(sed -n 's/^profile: *//p' "$f" | head -1)
    [ -n "$id" ] || continue
    nfiles=$((nfiles + 1))
    level=$(sed -n 's/^level: *//p' "$f" | head -1)
    status=$(sed -n 's/^status: *//p' "$f" | head -1)
    edition=$(sed -n 's/^edition: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$f" | head -1)
    line=$(grep -E "^$id +" list.txt)
    if [ -z "$line" ]; then not_ok "profiles lists $id" "$(cat list.txt)"; continue; fi
    case $line in
    *" $status "*"$(basename "$f")") ;;
    *) not_ok "profiles lists $id with status $status" "$line"; continue ;;
    esac
    # A child that gives no level inherits its parent's; the bundled files all give one.
    if [ -n "$level" ] && ! printf '%s\n' "$line" | grep -Eq "^$id +$level +"; then
        not_ok "profiles lists $id at level $level" "$line"; continue
    fi
    if [ -n "$edition" ] && ! printf '%s\n' "$line" | grep -Fq "$edition"; then
        not_ok "profiles lists $id with edition '$edition'" "$line"; continue
    fi
    ok "profiles lists $id: level $level, $status, edition '$edition'"
done
nlisted=$(($(wc -l < list.txt) - 1))
[ "$nlisted" = "$nfiles" ] && ok "profiles lists $nfiles profiles, no more" \
    || not_ok "profiles lists $nfiles profiles, no more" "$nlisted listed"
for want in jcstar-star1 jcstar-star2 jcstar-star3 jcstar-star4 etsi-en303645 uk-psti; do
    grep -Eq "^$want " list.txt && ok "bundled $want is listed" || not_ok "bundled $want is listed"
done
grep -Eq '^etsi-en303645 +1 .* derived ' list.txt && grep -Eq '^uk-psti +1 .* derived ' list.txt \
    && ok "the sibling schemes are derived, level 1" || not_ok "the sibling schemes are derived, level 1"
# Sorted by level.
if awk 'NR > 1 { if ($2 < last) bad = 1; last = $2 } END { exit bad }' list.txt; then
    ok "profiles are sorted by level"
else
    not_ok "profiles are sorted by level" "$(cut -c1-40 list.txt)"
fi

# Every requirement id of every profile: explain ID (the profile found on its own) and
# explain -p PROFILE ID.
nids=0 bad=0
for f in "$ROOT"/profiles/*.yaml; do
    id=$(sed -n 's/^profile: *//p' "$f" | head -1)
    [ -n "$id" ] || continue
    # shellcheck disable=SC2013 # ids have no blanks
    for rid in $(sed -n 's/^  - *{\{0,1\}id: *"\{0,1\}\([^",}]*\)"\{0,1\}.*/\1/p' "$f"); do
        nids=$((nids + 1))
        out=$("$SP" explain "$rid" 2>&1); rc=$?
        first=${out%%$'\n'*}
        if [ $rc != 0 ] || [ "${first#"$rid "}" = "$first" ]; then
            bad=$((bad + 1)); not_ok "explain $rid (from $id)" "exit $rc: $(printf '%s' "$out" | head -c 200)"
            continue
        fi
        # Found in some profile; with -p, in this one, and the profile line names it.
        out=$("$SP" explain -p "$id" "$rid" 2>&1); rc=$?
        if [ $rc != 0 ] || ! printf '%s\n' "$out" | grep -Eq "^  profile: $id "; then
            bad=$((bad + 1)); not_ok "explain -p $id $rid" "exit $rc: $(printf '%s' "$out" | head -c 200)"
            continue
        fi
        # Both titles, the refs and the evidence text are shown.
        if ! printf '%s\n' "$out" | grep -q '^  refs: ' || ! printf '%s\n' "$out" | grep -q '^  evidence a reviewer must see: .'; then
            bad=$((bad + 1)); not_ok "explain -p $id $rid shows refs and evidence" "$(printf '%s' "$out" | head -c 300)"
        fi
    done
done
[ "$nids" -gt 40 ] && [ $bad = 0 ] && ok "explain works for all $nids requirement ids of the bundled profiles" \
    || not_ok "explain works for all $nids requirement ids of the bundled profiles" "$bad failed"

# An id defined first by a sibling is found there; a ★ id in its level's profile.
"$SP" explain 5.6-2 | grep -Eq '^  profile: etsi-en303645 ' && ok "explain 5.6-2 finds etsi-en303645" \
    || not_ok "explain 5.6-2 finds etsi-en303645"
"$SP" explain PSTI-1 | grep -Eq '^  profile: uk-psti ' && ok "explain PSTI-1 finds uk-psti" \
    || not_ok "explain PSTI-1 finds uk-psti"
"$SP" explain S3.x-01 | grep -Eq '^  profile: jcstar-star3 ' && ok "explain S3.x-01 finds jcstar-star3" \
    || not_ok "explain S3.x-01 finds jcstar-star3"
"$SP" explain S1.1-12 | grep -Eq '^  profile: jcstar-star1 ' && ok "explain S1.1-12 is ★1's without -p" \
    || not_ok "explain S1.1-12 is ★1's without -p"
"$SP" explain -p star2 S1.1-12 | grep -q 'DHE' && ok "explain -p star2 S1.1-12 shows ★2's DHE ban" \
    || not_ok "explain -p star2 S1.1-12 shows ★2's DHE ban"
# Unknown ids are usage errors, with and without -p.
"$SP" explain S9.9-99 >/dev/null 2>&1; rc=$?
[ $rc = 64 ] && ok "explain of an unknown id exits 64" || not_ok "explain of an unknown id exits 64" "exit $rc"
"$SP" explain -p uk-psti S1.1-12 >/dev/null 2>&1; rc=$?
[ $rc = 64 ] && ok "explain -p uk-psti S1.1-12 (not in that profile) exits 64" \
    || not_ok "explain -p uk-psti S1.1-12 (not in that profile) exits 64" "exit $rc"
# The new probes are explained with their parameters.
for p in banners.versions tls.chain tls.client_auth; do
    "$SP" explain "$p" | grep -q '^  rule: .' && ok "explain $p" || not_ok "explain $p"
done
"$SP" explain | grep -q 'banners.versions' && ok "explain lists banners.versions" || not_ok "explain lists banners.versions"

summary
