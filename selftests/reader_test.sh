#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# reader_test.sh: the userspace reader (userspace/pcinspect) end to end in
# the guest (busybox sh). Its -J output must agree with the module's raw
# report for the same file on every mounted filesystem, its page map with
# the raw map, its cachestat/mincore fallbacks with what the module says,
# and its exit codes must be 1 for a missing file among good ones and 2
# for a bad option. TAP output; exit 4 when everything was skipped.
#
# The reader: $PCI_READER, else /pcinspect/pcinspect-reader, else
# pcinspect in $PATH (its shared libraries must be in the guest).

DBG=/sys/kernel/debug/pcinspect
KSFT_SKIP=4
n=0
failed=0
passed=0
work=

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
		passed=$((passed + 1))
	else
		echo "not ok $n $2"
		failed=$((failed + 1))
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n $1 # SKIP $2"
}

cleanup() {
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT

finish() {
	echo "1..$n"
	[ $failed -gt 0 ] && exit 1
	[ $passed -eq 0 ] && exit $KSFT_SKIP
	exit 0
}

R=${PCI_READER:-/pcinspect/pcinspect-reader}
[ -x "$R" ] || R=$(command -v pcinspect)
if [ -z "$R" ] || [ ! -x "$R" ]; then
	skip "reader" "no reader in the guest (/pcinspect/pcinspect-reader)"
	finish
fi
out=$("$R" -V 2>&1)
ok $? "reader runs: $out"
[ $failed = 0 ] || finish

if [ ! -r $DBG/version ]; then
	ko=${PCI_MODULE:-/pcinspect/pcinspect.ko}
	[ -f "$ko" ] && insmod "$ko" 2>/dev/null
fi
if [ ! -r $DBG/version ]; then
	skip "module tests" "pcinspect.ko is not loaded"
	finish
fi
work=$(mktemp -d /tmp/reader_test.XXXXXX)

# jget KEY FILE: a number (or null) from the reader's -J output
jget() {
	sed -nE "s/^ *\"$1\": (null|-?[0-9]+),?\$/\1/p" "$2"
}

# jstr KEY FILE: a string value, JSON escapes kept
jstr() {
	sed -nE "s/^ *\"$1\": \"(.*)\",?\$/\1/p" "$2"
}

# rget KEY FILE: a value from a raw report ("" when absent)
rget() {
	sed -n "s/^$1: //p" "$2" | head -n 1
}

# raw_report PATH FILE: the module's report through select/report
raw_report() {
	printf '%s' "$1" >$DBG/select && cat $DBG/report >"$2"
}

# compare PATH: reader -J -b against the raw report; prints mismatches
compare() {
	"$R" file -J -b --source module \
		-o +SWAPPED,MAPPED,ACTIVE,INACTIVE,UNEVICTABLE,NODES,FS,INO \
		"$1" >"$work/json" 2>"$work/err" || { cat "$work/err"; return 1; }
	raw_report "$1" "$work/raw" || return 1
	ps=$(rget page_size "$work/raw")
	bad=
	for k in cached dirty writeback evicted swapped mapped active inactive \
		unevictable; do
		want=$(( $(rget $k "$work/raw") * ps ))
		got=$(jget $k "$work/json")
		[ "$got" = "$want" ] || bad="$bad $k=$got/$want"
	done
	[ "$(jget pages "$work/json")" = "$(rget cached "$work/raw")" ] ||
		bad="$bad pages"
	[ "$(jget size "$work/json")" = "$(rget size "$work/raw")" ] ||
		bad="$bad size"
	[ "$(jget ino "$work/json")" = "$(rget ino "$work/raw")" ] ||
		bad="$bad ino"
	[ "$(jstr fs "$work/json")" = "$(rget fs "$work/raw")" ] ||
		bad="$bad fs"
	[ "$(jstr source "$work/json")" = pcinspect ] || bad="$bad source"
	nodes=$(sed -n 's/^node\([0-9]*\)\.cached: \(.*\)/\1:\2/p' "$work/raw" |
		tr '\n' , | sed 's/,$//')
	[ "$(jstr nodes "$work/json")" = "$nodes" ] ||
		bad="$bad nodes=$(jstr nodes "$work/json")/$nodes"
	[ -z "$bad" ] && return 0
	echo "# mismatch:$bad"
	return 1
}

# compare_retry PATH: the cache may move between the two reads; retry
compare_retry() {
	for try in 1 2 3; do
		compare "$1" >"$work/cmp" && return 0
		sleep 1
	done
	sed 's/^/# /' "$work/cmp"
	return 1
}

# --- -J against the raw report, on every filesystem ---------------------------
for fs in ext4 xfs btrfs tmpfs; do
	mnt=/mnt/$fs
	if ! grep -q " $mnt " /proc/mounts; then
		skip "$fs: -J agrees with the raw report" "$mnt not mounted"
		continue
	fi
	f=$mnt/reader_test.$$
	dd if=/dev/urandom of="$f" bs=4096 count=64 2>/dev/null
	sync
	dd if="$f" of=/dev/null bs=4096 2>/dev/null
	# a few dirty pages too (tmpfs: never marked dirty)
	dd if=/dev/zero of="$f" bs=4096 count=4 seek=70 conv=notrunc 2>/dev/null
	compare_retry "$f"
	ok $? "$fs: -J agrees with the raw report"
	rm -f "$f"
done

mnt=/mnt/ext4
grep -q " $mnt " /proc/mounts || mnt=$work
f=$mnt/reader_test.$$
dd if=/dev/urandom of="$f" bs=4096 count=64 2>/dev/null
sync
dd if="$f" of=/dev/null bs=4096 2>/dev/null
dd if=/dev/zero of="$f" bs=4096 count=4 seek=8 conv=notrunc 2>/dev/null

# --- escaped paths ----------------------------------------------------------------
odd="$mnt/a b
c"
cp "$f" "$odd"
"$R" file -J --source module "$odd" >"$work/json" 2>"$work/err"
rc=$?
[ $rc = 0 ] && [ "$(jstr path "$work/json")" = "$mnt/a b\\nc" ]
ok $? "a path with a space and a newline comes back decoded (exit $rc, $(jstr path "$work/json"))"
"$R" file -n -r -o PAGES --source module "$odd" >"$work/out" 2>&1
[ "$(cat "$work/out")" = 64 ]
ok $? "the odd path is reported ($(cat "$work/out") pages)"
rm -f "$odd"
# from here on the file stays clean: no writeback races in what follows
sync

# --- page map ---------------------------------------------------------------------
"$R" file --map -r -n "$f" >"$work/map" 2>"$work/err"
rc=$?
# raw: "first last state lru mapped node order"; reader -r: FIRST LAST
# PAGES SIZE STATE LRU MAPPED NODE ORDER
cat $DBG/stdin-map <"$f" | sed '1,/^map: /d' >"$work/rawmap"
awk '{ print $1, $2, $5, $6, $7, $8, $9 }' "$work/map" >"$work/mymap"
[ $rc = 0 ] && [ -s "$work/mymap" ] && cmp -s "$work/mymap" "$work/rawmap"
ok $? "--map agrees with stdin-map ($(wc -l <"$work/mymap") runs, exit $rc)"
"$R" file --map -J "$f" >"$work/json" 2>&1
grep -q '"state": "cached"' "$work/json" &&
	[ "$(grep -c '"first":' "$work/json")" = "$(wc -l <"$work/rawmap")" ]
ok $? "--map -J lists every run"

# --- range --------------------------------------------------------------------------
"$R" file --range 16K:32K -n -r -o PAGES "$f" >"$work/out" 2>&1
[ "$(cat "$work/out")" = 8 ]
ok $? "--range 16K:32K: 8 pages ($(cat "$work/out"))"

# --- fallbacks against the module ------------------------------------------------
raw_report "$f" "$work/raw"
cached=$(rget cached "$work/raw")
dirty=$(rget dirty "$work/raw")
if "$R" file --source cachestat -n -r -o PAGES,DIRTY,MAPPED,SOURCE -b "$f" \
	>"$work/out" 2>"$work/err"; then
	[ "$(cat "$work/out")" = "$cached $((dirty * 4096)) - cachestat" ]
	ok $? "--source cachestat: $(cat "$work/out"), module: $cached $dirty"
elif grep -q "not in this kernel" "$work/err"; then
	skip "--source cachestat" "no cachestat(2) before 6.5"
else
	ok 1 "--source cachestat: $(cat "$work/err")"
fi
"$R" file --source mincore -n -r -o PAGES,DIRTY,EVICTED,SOURCE "$f" \
	>"$work/out" 2>&1
[ "$(cat "$work/out")" = "$cached - - mincore" ]
ok $? "--source mincore: $(cat "$work/out"), module: $cached"

# --- exit codes -------------------------------------------------------------------
"$R" file -n -r -o PATH "$f" "$work/missing" "$f" >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && [ "$(grep -c . "$work/out")" = 2 ] &&
	grep -q "^pcinspect: $work/missing: No such file or directory" "$work/err"
ok $? "a missing file among good ones: exit 1, the others reported (exit $rc)"
"$R" file --no-such-option "$f" >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$work/out" ]
ok $? "a bad option: exit 2 (exit $rc)"

# --- private queries: concurrent readers never see each other's files -----
g=$mnt/reader_test2.$$
dd if=/dev/urandom of="$g" bs=4096 count=3 2>/dev/null
for i in 1 2 3 4; do
	(for j in 1 2 3 4 5 6 7 8; do
		"$R" file -n -r -o PAGES,PATH "$f"
	done >"$work/c$i.f" 2>&1) &
	(for j in 1 2 3 4 5 6 7 8; do
		"$R" file -n -r -o PAGES,PATH "$g"
	done >"$work/c$i.g" 2>&1) &
done
wait
bad=0
for i in 1 2 3 4; do
	[ "$(sort -u "$work/c$i.f")" = "64 $f" ] || bad=1
	[ "$(sort -u "$work/c$i.g")" = "3 $g" ] || bad=1
done
ok $bad "8 concurrent readers each get their own file's report"
rm -f "$g"

# --- watch -----------------------------------------------------------------------
"$R" file --watch 0.2 --count 2 -o PAGES "$f" >"$work/out" 2>&1
[ "$(grep -c PAGES "$work/out")" = 2 ]
ok $? "--watch 0.2 --count 2 prints two reports"

rm -f "$f"
finish
