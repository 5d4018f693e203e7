#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run_guest.sh: the test runner inside the VM (busybox sh: no bash there).
#
# Runs every program named in $PCI_SELFTESTS/TESTS (default: the selftests/
# directory next to this script, or this script's own directory when it
# holds TESTS; one file name per line, relative to that directory, #
# comments allowed) and prints kselftest-style TAP:
#
#   TAP version 13
#   1..N
#   # selftests: pcinspect: NAME
#   # <each line the test printed, its own TAP included>
#   ok 1 selftests: pcinspect: NAME
#   ok 2 selftests: pcinspect: NAME # SKIP          (exit status 4)
#   not ok 3 selftests: pcinspect: NAME # exit=1
#   not ok 4 selftests: pcinspect: NAME # TIMEOUT 300 seconds (900 on debug)
#   not ok 5 selftests: pcinspect: NAME # kernel log
#
# Each test runs from its directory with stdin from /dev/null, in a session
# of its own, killed with its whole process group after $PCI_TEST_TIMEOUT
# seconds (default 300). A test that leaves background children behind
# (e.g. "sync &" waiting on a suspended dm device) has them killed when it
# ends, so they cannot hold the output pipe open.
#
# Kernel log canary: the dmesg lines a test adds are matched against the
# regexes of $PCI_LOG_PATTERNS (default: kernel-log-patterns next to this
# script); a match makes the test "not ok" even if it passed. The log is
# only read, never cleared.
#
# Exit status: 0 when every test passed or skipped, 1 otherwise.

# The runner lives either in /pcinspect (tests in selftests/ below it) or
# among the tests themselves.
dir=$(cd "$(dirname "$0")" && pwd)
tests_dir=$dir/selftests
[ -f "$dir/TESTS" ] && tests_dir=$dir
tests_dir=${PCI_SELFTESTS:-$tests_dir}
# The debug kernel (KASAN, lockdep) runs the same tests about three times
# slower under TCG.
tmo=${PCI_TEST_TIMEOUT:-300}
[ -z "${PCI_TEST_TIMEOUT:-}" ] && [ "${PCI_KNAME:-}" = debug ] && tmo=900
patterns=${PCI_LOG_PATTERNS:-$dir/kernel-log-patterns}
[ -f "$patterns" ] || patterns=$tests_dir/kernel-log-patterns
work=/tmp/run_guest.$$
ksft_skip=4

mkdir -p "$work"
# Comments and blank lines out, so grep -f sees only regexes.
if [ -f "$patterns" ]; then
	grep -vE '^[[:space:]]*(#|$)' "$patterns" >"$work/patterns"
else
	: >"$work/patterns"
fi

echo "TAP version 13"
if [ ! -f "$tests_dir/TESTS" ]; then
	echo "1..0 # no $tests_dir/TESTS"
	exit 1
fi
grep -vE '^[[:space:]]*(#|$)' "$tests_dir/TESTS" >"$work/tests"
echo "1..$(wc -l <"$work/tests")"

# stop PID: kill a watchdog started with "setsid sh -c ... &". It may not
# have reached setsid yet (no group of its own), or already be a group
# leader with a sleep child: kill the process and its group.
stop() {
	kill -KILL "$1" 2>/dev/null
	kill -KILL "-$1" 2>/dev/null
}

# run_one NAME: run a test with its output prefixed "# "; sets $rc and
# $timed_out.
run_one() {
	rm -f "$work/fifo" "$work/timed_out"
	mkfifo "$work/fifo"
	# awk, not sed: it ends a last line that lacks its newline.
	awk '{ print "# " $0; fflush() }' <"$work/fifo" &
	out_pid=$!
	# Not a process group leader in a non-interactive shell, setsid execs
	# the test in place: $! is then also its process group id.
	if [ -x "$tests_dir/$1" ]; then
		(cd "$(dirname "$tests_dir/$1")" &&
			exec setsid "./${1##*/}") </dev/null >"$work/fifo" 2>&1 &
	else
		(cd "$(dirname "$tests_dir/$1")" &&
			exec setsid sh "./${1##*/}") </dev/null >"$work/fifo" 2>&1 &
	fi
	test_pid=$!
	setsid sh -c "sleep $tmo; touch $work/timed_out; kill -KILL -$test_pid" \
		</dev/null >/dev/null 2>&1 &
	dog_pid=$!
	wait $test_pid 2>/dev/null
	rc=$?
	stop $dog_pid
	kill -KILL -$test_pid 2>/dev/null
	timed_out=
	[ -f "$work/timed_out" ] && timed_out=1
	# Children stuck in D state keep the fifo open: do not wait forever.
	setsid sh -c "sleep 5; kill $out_pid" </dev/null >/dev/null 2>&1 &
	out_dog=$!
	wait $out_pid 2>/dev/null
	stop $out_dog
	wait $dog_pid $out_dog 2>/dev/null
}

# kernel_log_check FROM: print dmesg lines after line FROM that match a
# pattern, from the first match on, and return 0 if there were any.
kernel_log_check() {
	[ -s "$work/patterns" ] || return 1
	dmesg | tail -n +"$(($1 + 1))" >"$work/dmesg"
	first=$(grep -n -E -f "$work/patterns" "$work/dmesg" | head -n 1 | cut -d: -f1)
	[ -n "$first" ] || return 1
	echo "# kernel log:"
	sed -n "${first},$((first + 39))p" "$work/dmesg" | sed 's/^/# /'
	return 0
}

n=0
failed=0
while read -r name; do
	n=$((n + 1))
	hdr="selftests: pcinspect: $name"
	echo "# $hdr"
	before=$(dmesg | wc -l)
	if [ ! -f "$tests_dir/$name" ]; then
		echo "not ok $n $hdr # missing"
		failed=1
		continue
	fi
	t0=$(date +%s)
	run_one "$name"
	# Per-test times tell where a kernel's minutes go (CI budget).
	echo "# $name took $(($(date +%s) - t0)) s"
	if kernel_log_check "$before"; then
		echo "not ok $n $hdr # kernel log"
		failed=1
	elif [ -n "$timed_out" ]; then
		echo "not ok $n $hdr # TIMEOUT $tmo seconds"
		failed=1
	elif [ $rc -eq 0 ]; then
		echo "ok $n $hdr"
	elif [ $rc -eq $ksft_skip ]; then
		echo "ok $n $hdr # SKIP"
	else
		echo "not ok $n $hdr # exit=$rc"
		failed=1
	fi
done <"$work/tests"

rm -rf "$work"
exit $failed
