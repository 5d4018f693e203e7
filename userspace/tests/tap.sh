# SPDX-License-Identifier: GPL-2.0
# tap.sh: sourced by the host shell tests. ok STATUS DESC, skip DESC WHY,
# and tap_done at the end (the plan, the counts, the exit status).
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

tap_done() {
	echo "1..$n"
	echo "# $((n - failed)) passed, $failed failed"
	[ $failed = 0 ]
}
