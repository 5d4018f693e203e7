#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# walk_unit_test.sh: the walk's unit tests inside the kernel. Loads
# pcinspect_walk_test.ko (module/walk_test.c) from the payload: it walks
# synthetic page caches when it loads, prints KTAP to the kernel log and
# refuses to load when a case failed. Its cases are printed here as TAP
# lines of their own, with the kernel's diagnostics as comments.

ko=${PCI_PAYLOAD:-/pcinspect}/pcinspect_walk_test.ko
if [ ! -f "$ko" ]; then
	echo "1..0 # SKIP no pcinspect_walk_test.ko in the payload"
	exit 4
fi
work=/tmp/walk_unit.$$
mkdir -p "$work"
mark="pcinspect walk_unit_test.sh $$ $(date +%s)"
echo "$mark" >/dev/kmsg
insmod "$ko" 2>"$work/insmod"
rc=$?
[ $rc = 0 ] && rmmod pcinspect_walk_test
# The log from the mark on, timestamps off; the nested KTAP of the suite
# (four spaces in) becomes this program's TAP.
dmesg | sed -n "/$mark/,\$p" | sed 's/^\[[^]]*\] //' >"$work/log"
sed -n 's/^    \(\(not \)\{0,1\}ok [0-9].*\)$/\1/p; s/^    \(# .*\)$/\1/p' \
	"$work/log" | grep -v '^# Subtest' >"$work/tap"
n=$(grep -cE '^(not )?ok ' "$work/tap")
echo "TAP version 13"
echo "1..$((n + 1))"
sed -E 's/^((not )?ok [0-9]+ )/\1pcinspect_walk./' "$work/tap"
plan=$(sed -n 's/^    1\.\.\([0-9]*\)$/\1/p' "$work/log" | head -n 1)
# The module loads only when every case passed, and must have run all it
# announced: a case that crashed or hung would be missing.
if [ $rc = 0 ] && [ -n "$plan" ] && [ "$plan" = "$n" ] &&
   ! grep -q '^not ok' "$work/tap"; then
	echo "ok $((n + 1)) pcinspect_walk: module loaded, $n of $plan cases reported"
else
	echo "# insmod exit $rc: $(cat "$work/insmod")"
	echo "not ok $((n + 1)) pcinspect_walk: module loaded, $n of ${plan:-?} cases reported"
fi
fail=$(grep -c '^not ok' "$work/tap")
rm -rf "$work"
[ $rc = 0 ] && [ "$fail" = 0 ] && [ "$plan" = "$n" ]
