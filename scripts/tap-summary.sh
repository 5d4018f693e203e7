#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tap-summary.sh [--kernel NAME] [--why] [FILE...]
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
# --why: print only, for each failed leaf case, its FAIL line followed by
# the last 25 diagnostic lines the case printed ("  | ..."): what check.sh
# shows at the end of a run, where CI's shortened log keeps it.
#
# Exit status: always 0; counting is the caller's business.
set -euo pipefail

kernel='?'
why=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--why) why=1; shift ;;
	-h|--help) sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

awk -v k="$kernel" -v why="$why" '
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

function out(line) {
	if (!why)
		printf "%s\n", line
}

# --why: the FAIL line of a failed case and the tail of what it printed.
function explain(line,    i, from) {
	if (!why)
		return
	printf "%s\n", line
	from = nbuf > 25 ? nbuf - 24 : 1
	for (i = from; i <= nbuf; i++)
		printf "  | %s\n", buf[i]
}

# A FAIL line: printed, or with --why explained.
function fail(line) {
	out(line)
	explain(line)
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
			out(sprintf("SKIP %s: %s: %s (%s)", k, prog, prog,
				skip_reason(reason, "exit status 4")))
		else if (runner_ok)
			out(sprintf("PASS %s: %s: %s", k, prog, prog))
		else
			fail(sprintf("FAIL %s: %s: %s (%s)", k, prog, prog, reason))
	} else if (!runner_ok && leaf_fail == 0) {
		fail(sprintf("FAIL %s: %s: exit status / kernel log (%s)", k, prog, reason))
	}
	prog = ""
	nbuf = 0
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
	nbuf = 0
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
		out(sprintf("SKIP %s: %s: %s (%s)", k, prog, desc,
			skip_reason(dir, "no reason given")))
	else if (line ~ /^ok / || toupper(dir) ~ /^(TODO|XFAIL)/)
		out(sprintf("PASS %s: %s: %s", k, prog, desc))
	else {
		fail(sprintf("FAIL %s: %s: %s", k, prog, desc))
		leaf_fail++
	}
	nbuf = 0
	next
}

# What a case printed before its result (the harness lines "# # ...").
prog != "" {
	line = $0
	sub(/^# /, "", line)
	buf[++nbuf] = line
}

END {
	if (prog != "")
		close_program(0, "no result: the VM stopped while it ran")
	if (plan != "" && reported < plan + 0)
		out(sprintf("FAIL %s: runner: %d of %d programs reported", k, reported, plan))
}
' "$@"
exit 0
