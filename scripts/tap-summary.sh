#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-summary.sh [--kernel NAME] [FILE...]
#
# Reads the TAP of selftests/run_guest.sh (FILE, or stdin) and prints one
# line per leaf test case:
#
#   PASS <kernel>: <program>: <case>
#   FAIL <kernel>: <program>: <case>
#   SKIP <kernel>: <program>: <case> (<reason>)
#
# Leaf cases are the "ok"/"not ok" lines the test programs print
# themselves, which the runner nests one "# " deeper ("# ok 3 fix.case",
# "# ok 2 name # SKIP reason"). A program without leaf lines counts as one
# case named after itself, from the runner's own line. A program the runner
# failed (exit status, timeout, kernel log canary) although none of its
# leaves failed adds "FAIL <kernel>: <program>: exit status / kernel log
# (<runner's reason>)", so a crash after the last leaf is never lost. A
# program with no runner line (the VM died while it ran) adds a FAIL too,
# and so does a plan announcing more programs than were reported.
#
# Exit status: always 0; counting is the caller's business.
set -euo pipefail

kernel='?'
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	-h|--help) sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

awk -v k="$kernel" '
# Split "ok N desc # directive" (after "ok "/"not ok " and the number are
# known to be there) into global desc and dir.
function split_result(s,    i) {
	sub(/^(not )?ok[ \t]+[0-9]+[ \t]*/, "", s)
	sub(/^-[ \t]*/, "", s)
	desc = s
	dir = ""
	i = index(s, " # ")
	if (i) {
		desc = substr(s, 1, i - 1)
		dir = substr(s, i + 3)
	} else if (s ~ /^# /) {
		desc = ""
		dir = substr(s, 3)
	}
}

function is_skip(d) {
	return toupper(d) ~ /^SKIP/
}

function skip_reason(d, fallback,    r) {
	r = d
	sub(/^[Ss][Kk][Ii][Pp][ \t:]*/, "", r)
	return r != "" ? r : fallback
}

function close_program(runner_ok, reason) {
	if (prog == "")
		return
	if (leaves == 0) {
		if (runner_ok && is_skip(reason))
			printf "SKIP %s: %s: %s (%s)\n", k, prog, prog,
				skip_reason(reason, "exit status 4")
		else if (runner_ok)
			printf "PASS %s: %s: %s\n", k, prog, prog
		else
			printf "FAIL %s: %s: %s (%s)\n", k, prog, prog, reason
	} else if (!runner_ok && leaf_fail == 0) {
		printf "FAIL %s: %s: exit status / kernel log (%s)\n", k, prog, reason
	}
	prog = ""
}

{ sub(/\r$/, "") }

/^1\.\.[0-9]+/ && plan == "" {
	plan = $0
	sub(/^1\.\./, "", plan)
	sub(/[^0-9].*/, "", plan)
	next
}

/^# selftests: [^:]+: / {
	if (prog != "")
		close_program(0, "no result from the runner")
	prog = $0
	sub(/^# selftests: [^:]+: /, "", prog)
	leaves = 0
	leaf_fail = 0
	next
}

/^(not )?ok [0-9]+ selftests: / {
	reported++
	split_result($0)
	name = desc
	sub(/^selftests: [^:]+: /, "", name)
	if (prog == "" || name != prog) {
		# A runner line without its header: report it on its own.
		prog = name
		leaves = 0
		leaf_fail = 0
	}
	close_program($0 ~ /^ok /, dir != "" ? dir : "not ok")
	next
}

# A leaf: exactly one "# " level deeper than the runner.
prog != "" && /^# (not )?ok [0-9]+/ {
	line = substr($0, 3)
	split_result(line)
	leaves++
	if (line ~ /^ok / && is_skip(dir))
		printf "SKIP %s: %s: %s (%s)\n", k, prog, desc,
			skip_reason(dir, "no reason given")
	else if (line ~ /^ok / || toupper(dir) ~ /^(TODO|XFAIL)/)
		printf "PASS %s: %s: %s\n", k, prog, desc
	else {
		printf "FAIL %s: %s: %s\n", k, prog, desc
		leaf_fail++
	}
}

END {
	if (prog != "")
		close_program(0, "no result: the VM stopped while it ran")
	if (plan != "" && reported < plan + 0)
		printf "FAIL %s: runner: %d of %d programs reported\n", k, reported, plan
}
' "$@"
exit 0
