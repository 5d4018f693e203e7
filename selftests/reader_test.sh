#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# reader_test.sh: the userspace reader (userspace/pcinspect) end to end in
# the guest (busybox sh). Its -J output must agree with the module's raw
# report for the same file on every mounted filesystem, its page map with
# the raw map, its cachestat/mincore fallbacks with what the module says,
# and its exit codes must be 1 for a missing file among good ones and 2
# for a bad option. "pcinspect files" must agree with the raw files-query
# listing for the same options, show a file it wrote under its mounted
# path with the module's count, filter and sort, keep concurrent readers'
# options apart, and refuse clearly without the module (or under a
# stand-in for lockdown when files_options is set). "pcinspect lru" must
# show a saved copy of the lru file as it is (zone rows, lruvecs, the walk
# footer), name a cgroup with a blank and a file it reads (lru --files,
# with its full path and the raw page count) and refuse without the
# module or with another format. TAP output; exit 4 when everything was
# skipped.
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
# The page size, as the kernel says it (busybox has no getconf): files are
# written in pages of it, so the page counts below hold whatever it is.
PS=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
# Runs of each process in the two concurrency checks below: 8 (files: 6),
# half that on the debug kernel, where starting a reader under KASAN and
# TCG takes about 0.4 s and the two checks took 54 s of this test's 135
# (alone). Eight processes still run at once, each query still checked.
if [ "${PCI_KNAME:-}" = debug ]; then
	conc_runs="1 2 3 4" conc_files_runs="1 2 3"
else
	conc_runs="1 2 3 4 5 6 7 8" conc_files_runs="1 2 3 4 5 6"
fi
if [ "${PS:-0}" -le 0 ]; then
	ok 1 "page size: no KernelPageSize in /proc/self/smaps"
	finish
fi

# jget KEY FILE: a number (or null) from the reader's -J output
jget() {
	sed -nE "s/^ *\"$1\": (null|-?[0-9]+),?\$/\1/p" "$2"
}

# jstr KEY FILE: a string value, JSON escapes kept
jstr() {
	sed -nE "s/^ *\"$1\": \"(.*)\",?\$/\1/p" "$2"
}

# jbool KEY FILE: a boolean (true or false) from the reader's -J output
jbool() {
	sed -nE "s/^ *\"$1\": (true|false),?\$/\1/p" "$2"
}

# rget KEY FILE: a value from a raw report ("" when absent)
rget() {
	sed -n "s/^$1: //p" "$2" | head -n 1
}

# raw_report PATH FILE: the module's report through select/report
raw_report() {
	printf '%s' "$1" >$DBG/select && cat $DBG/report >"$2"
}

# mglru_ages PATH: the raw report's nonzero mglru_ageN as "AGE:PAGES,...",
# the reader's MGLRU column
mglru_ages() {
	local a v ages=

	raw_report "$1" "$work/raw" || return
	for a in 0 1 2 3; do
		v=$(rget mglru_age$a "$work/raw")
		[ "${v:-0}" != 0 ] && ages=${ages:+$ages,}$a:$v
	done
	echo "$ages"
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
	# nodes: a JSON object, node -> pages
	nodes=$(sed -n 's/^node\([0-9]*\)\.cached: \(.*\)/"\1": \2/p' "$work/raw" |
		tr '\n' , | sed 's/,$//; s/,/, /g')
	got=$(sed -nE 's/^ *"nodes": (\{.*\}),?$/\1/p' "$work/json")
	[ "$got" = "{$nodes}" ] || bad="$bad nodes=$got/{$nodes}"
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
	dd if=/dev/urandom of="$f" bs=$PS count=64 2>/dev/null
	sync
	dd if="$f" of=/dev/null bs=$PS 2>/dev/null
	# a few dirty pages too (tmpfs: never marked dirty)
	dd if=/dev/zero of="$f" bs=$PS count=4 seek=70 conv=notrunc 2>/dev/null
	compare_retry "$f"
	ok $? "$fs: -J agrees with the raw report"
	rm -f "$f"
done

mnt=/mnt/ext4
grep -q " $mnt " /proc/mounts || mnt=$work
f=$mnt/reader_test.$$
dd if=/dev/urandom of="$f" bs=$PS count=64 2>/dev/null
sync
dd if="$f" of=/dev/null bs=$PS 2>/dev/null
dd if=/dev/zero of="$f" bs=$PS count=4 seek=8 conv=notrunc 2>/dev/null

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
# offset:length, in pages 4:8 (16K:32K with 4 KiB pages)
range=$((4 * PS / 1024))K:$((8 * PS / 1024))K
"$R" file --range "$range" -n -r -o PAGES "$f" >"$work/out" 2>&1
[ "$(cat "$work/out")" = 8 ]
ok $? "--range $range: 8 pages ($(cat "$work/out"))"

# --- fallbacks against the module ------------------------------------------------
raw_report "$f" "$work/raw"
cached=$(rget cached "$work/raw")
dirty=$(rget dirty "$work/raw")
if "$R" file --source cachestat -n -r -o PAGES,DIRTY,MAPPED,SOURCE -b "$f" \
	>"$work/out" 2>"$work/err"; then
	[ "$(cat "$work/out")" = "$cached $((dirty * PS)) - cachestat" ]
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
dd if=/dev/urandom of="$g" bs=$PS count=3 2>/dev/null
for i in 1 2 3 4; do
	(for j in $conc_runs; do
		"$R" file -n -r -o PAGES,PATH "$f"
	done >"$work/c$i.f" 2>&1) &
	(for j in $conc_runs; do
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

# --- system-wide listing: pcinspect files ------------------------------------
# a tmpfs file, so that --fs tmpfs has something to list
tmpfs_dir=/mnt/tmpfs
grep -q " $tmpfs_dir tmpfs " /proc/mounts || tmpfs_dir=/dev/shm
tf=$tmpfs_dir/reader_files.$$
dd if=/dev/zero of="$tf" bs=$PS count=8 2>/dev/null
sync
fs_dev=$(rget dev "$work/raw")	# the ext4 (or work dir) filesystem of $f
fs_type=$(rget fs "$work/raw")

# raw_files OPTS: the module's listing through files-query with OPTS
raw_files() {
	exec 3<>$DBG/files-query
	[ -n "$1" ] && printf '%s' "$1" >&3
	cat <&3
	exec 3<&-
}

# json_lines FILE: "fs dev ino pages dirty writeback size type name" per
# object of the reader's -J -b -o FS,DEV,INO,PAGES,DIRTY,WRITEBACK,SIZE,
# TYPE,NAME output
json_lines() {
	awk -F': ' -v ps="$PS" '
		/"fs":/ { gsub(/[",]/, "", $2); fs = $2 }
		/"dev":/ { gsub(/[",]/, "", $2); dev = $2 }
		/"ino":/ { gsub(/,/, "", $2); ino = $2 }
		/"pages":/ { gsub(/,/, "", $2); pages = $2 }
		/"dirty":/ { gsub(/,/, "", $2); dirty = $2 / ps }
		/"writeback":/ { gsub(/,/, "", $2); wb = $2 / ps }
		/"size":/ { gsub(/,/, "", $2); size = $2 }
		/"type":/ { gsub(/[",]/, "", $2); type = $2 }
		/"name":/ { gsub(/[",]/, "", $2);
			print fs, dev, ino, pages, dirty, wb, size, type, $2 }' "$1"
}

# compare_files: reader -J against the raw listing, same options
compare_files() {
	"$R" files -J -b --fs "$fs_type" --dev "$fs_dev" --min 2 \
		-o FS,DEV,INO,PAGES,DIRTY,WRITEBACK,SIZE,TYPE,NAME >"$work/fj" \
		2>"$work/err" || { cat "$work/err"; return 1; }
	raw_files "fs=$fs_type dev=$fs_dev min=2" >"$work/fraw" || return 1
	grep -v '^#' "$work/fraw" | awk '{ print $1, $2, $3, $5, $6, $7, $8, $9, $10 }' |
		sort >"$work/fraw.l"
	json_lines "$work/fj" | sort >"$work/fj.l"
	[ -s "$work/fraw.l" ] || { echo "# empty raw listing"; return 1; }
	cmp -s "$work/fraw.l" "$work/fj.l" && return 0
	diff "$work/fraw.l" "$work/fj.l" | head -n 10
	return 1
}

for try in 1 2 3; do
	compare_files >"$work/cmp" && break
	sleep 1
done
[ -s "$work/cmp" ] && sed 's/^/# /' "$work/cmp"
[ ! -s "$work/cmp" ]
ok $? "files -J agrees with files-query for fs=$fs_type dev=$fs_dev min=2 ($(wc -l <"$work/fraw.l") inodes)"

"$R" files -n -r -o PAGES,PATH --prefix "$f" >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 0 ] && [ "$(cat "$work/out")" = "$cached $f" ]
ok $? "the test's file appears under its mounted path with the module's count ($(cat "$work/out"), module: $cached, exit $rc)"

"$R" files -J --prefix "$f" >"$work/fj" 2>&1
[ "$(jstr path "$work/fj")" = "$f" ] &&
	[ "$(jstr fspath "$work/fj")" = "${f#$mnt}" ] &&
	[ "$(jstr name "$work/fj")" = path ]
ok $? "-J: path $(jstr path "$work/fj"), fspath $(jstr fspath "$work/fj")"

# filters
"$R" files --fs tmpfs -n -r -o FS,PATH >"$work/out" 2>&1
[ "$(cut -d' ' -f1 "$work/out" | sort -u)" = tmpfs ] &&
	grep -qx "tmpfs $tf" "$work/out"
ok $? "--fs tmpfs lists tmpfs only, $tf among them ($(cut -d' ' -f1 "$work/out" | sort -u | tr '\n' ' '))"
"$R" files --dev "$fs_dev" -n -r -o DEV >"$work/out" 2>&1
[ -s "$work/out" ] && [ "$(sort -u "$work/out")" = "$fs_dev" ]
ok $? "--dev $fs_dev lists that filesystem only"
"$R" files --min 64 -n -r -o PAGES >"$work/out" 2>&1
[ -s "$work/out" ] && [ "$(sort -n "$work/out" | head -n 1)" -ge 64 ]
ok $? "--min 64: the smallest is $(sort -n "$work/out" | head -n 1) pages"
"$R" files --prefix "$mnt" -n -r -o PATH >"$work/out" 2>&1
[ -s "$work/out" ] && ! grep -qv "^$mnt/" "$work/out"
ok $? "--prefix $mnt: every path below it ($(wc -l <"$work/out") files)"
"$R" files -n -r -o PAGES >"$work/out" 2>&1
sort -rn "$work/out" | cmp -s - "$work/out" && [ "$(wc -l <"$work/out")" -gt 3 ]
ok $? "default order: most cached first ($(wc -l <"$work/out") inodes)"
"$R" files --top 3 -n -r -o PAGES >"$work/top" 2>&1
[ "$(wc -l <"$work/top")" = 3 ]
ok $? "--top 3: three lines"
"$R" top -n -r -o PAGES >"$work/top" 2>&1
[ "$(wc -l <"$work/top")" = 20 ] || [ "$(wc -l <"$work/out")" -lt 20 ]
ok $? "top: 20 lines by default ($(wc -l <"$work/top"))"
"$R" files --sort INO --fs "$fs_type" --dev "$fs_dev" -n -r -o INO \
	>"$work/out" 2>&1
sort -n "$work/out" | cmp -s - "$work/out" && [ -s "$work/out" ]
ok $? "--sort INO: ascending inode numbers"

# a deleted file still open, and a block device's cache
d=$mnt/reader_deleted.$$
dd if=/dev/zero of="$d" bs=$PS count=5 2>/dev/null
exec 4<"$d"
rm -f "$d"
"$R" files -n -r -o NAME,PAGES --prefix "$d" >"$work/out" 2>&1
"$R" files -J --prefix "$d" >"$work/fj" 2>&1
exec 4<&-
[ "$(cat "$work/out")" = "deleted 5" ] &&
	[ "$(jstr path "$work/fj")" = "$d" ] &&
	[ "$(jbool deleted "$work/fj")" = true ]
ok $? "a deleted file still open: $(jstr path "$work/fj"), deleted $(jbool deleted "$work/fj") ($(cat "$work/out"))"
bdev=${PCI_EXT4_DEV:-/dev/vda}
if [ -b "$bdev" ]; then
	dd if="$bdev" of=/dev/null bs=$PS count=16 2>/dev/null
	"$R" files --fs bdev -n -r -o PATH >"$work/out" 2>&1
	grep -qx "$bdev" "$work/out"
	ok $? "block device cache shown as $bdev ($(tr '\n' ' ' <"$work/out"))"
else
	skip "block device name" "no $bdev"
fi

# totals and walk
"$R" files --summary -J --top 1 >"$work/fj" 2>&1
rc=$?
walk_listed=$(jget listed "$work/fj")
[ $rc = 0 ] && grep -q '"totals": \[' "$work/fj" &&
	grep -q '"walk": {' "$work/fj" && [ -n "$walk_listed" ] &&
	[ "$(grep -c '"inodes":' "$work/fj")" -ge 2 ]
ok $? "--summary -J: files, totals and walk in one object (listed=$walk_listed)"

# two concurrent readers with different options
for i in 1 2 3 4; do
	(for j in $conc_files_runs; do
		"$R" files --fs tmpfs -n -r -o FS
	done >"$work/ct$i" 2>&1) &
	(for j in $conc_files_runs; do
		"$R" files --fs "$fs_type" -n -r -o FS
	done >"$work/ce$i" 2>&1) &
done
wait
bad=0
for i in 1 2 3 4; do
	[ "$(sort -u "$work/ct$i")" = tmpfs ] || bad=1
	[ "$(sort -u "$work/ce$i")" = "$fs_type" ] || bad=1
done
ok $bad "8 concurrent files readers each get their own --fs"

# snapshot and diff
g=$mnt/reader_grow.$$
h=$mnt/reader_gone.$$
k=$mnt/reader_new.$$
dd if=/dev/zero of="$g" bs=$PS count=2 2>/dev/null
dd if=/dev/zero of="$h" bs=$PS count=3 2>/dev/null
sync
"$R" files --prefix "$mnt" --snapshot "$work/fsnap" -n >/dev/null 2>"$work/err"
rc=$?
dd if=/dev/zero of="$g" bs=$PS count=6 conv=notrunc 2>/dev/null
# $k before $h goes: entries are matched by (dev, ino), and $k must not
# get the inode number $h frees
dd if=/dev/zero of="$k" bs=$PS count=1 2>/dev/null
rm -f "$h"
sync
"$R" files --prefix "$mnt" --diff "$work/fsnap" -n -r \
	-o CHANGE,DPAGES,PATH >"$work/out" 2>>"$work/err"
grep -qx "changed 4 $g" "$work/out" && grep -qx "gone -3 $h" "$work/out" &&
	grep -qx "new 1 $k" "$work/out" && ! grep -q "^same" "$work/out" &&
	[ $rc = 0 ]
ok $? "--snapshot/--diff: changed, gone and new ($(tr '\n' ';' <"$work/out"))"
rm -f "$g" "$k" "$tf"

# errors
mkdir "$work/nodbg"
PCINSPECT_DEBUGFS=$work/nodbg "$R" files >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "needs the pcinspect module" "$work/err" &&
	[ ! -s "$work/out" ]
ok $? "without the module: exit 1, $(head -c 60 "$work/err")..."
"$R" files --dev 8 >"$work/out" 2>&1
[ $? = 2 ]
ok $? "files --dev 8: usage error (exit 2)"

# lockdown stand-in: files-query that cannot be opened for writing (an
# immutable file: EPERM even for root), files and version copied
fake=$mnt/reader_fake.$$
mkdir -p "$fake/dbg" "$fake/sys/module/pcinspect/parameters"
cp $DBG/version "$fake/dbg/version"
raw_files "fs=$fs_type dev=$fs_dev" >"$work/fq"
cat $DBG/files >"$fake/dbg/files"
: >"$fake/dbg/files-query"
: >"$fake/sys/module/pcinspect/parameters/files_options"
# chattr comes from the host (e2fsprogs, vm-run.sh --bins chattr): busybox
# has none.
if ! command -v chattr >/dev/null; then
	skip "lockdown stand-in" "no chattr in the guest (vm-run.sh --bins chattr)"
elif ! chattr +i "$fake/dbg/files-query" 2>"$work/err"; then
	ok 1 "lockdown stand-in: chattr +i on $mnt ($(head -c 80 "$work/err"))"
else
	PCINSPECT_DEBUGFS=$fake/dbg PCINSPECT_SYSFS=$fake/sys "$R" files \
		--fs "$fs_type" --dev "$fs_dev" -n -r -o INO >"$work/out" \
		2>"$work/err"
	rc=$?
	grep -v '^#' "$work/fq" | awk '{ print $3 }' | sort >"$work/fq.l"
	sort "$work/out" >"$work/out.l"
	[ $rc = 0 ] && grep -q "lockdown" "$work/err" &&
		[ -s "$work/out.l" ]
	ok $? "lockdown stand-in: listed through files, said so (exit $rc: $(head -c 80 "$work/err"))"
	ndiff=$(diff "$work/fq.l" "$work/out.l" | grep -c '^[<>]')
	# Not vacuous: an empty listing differs by no more than a short one.
	[ -s "$work/out.l" ] && [ "$ndiff" -le 2 ]
	ok $? "lockdown stand-in: the reader's selection matches the module's ($(wc -l <"$work/out.l") listed, $(wc -l <"$work/fq.l") raw, $ndiff differ)"
	echo "fs=xfs" >"$fake/sys/module/pcinspect/parameters/files_options"
	PCINSPECT_DEBUGFS=$fake/dbg PCINSPECT_SYSFS=$fake/sys "$R" files \
		>"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 1 ] && grep -q 'files_options "fs=xfs"' "$work/err" &&
		[ ! -s "$work/out" ]
	ok $? "lockdown stand-in: files_options set by someone else: refused (exit $rc)"
	chattr -i "$fake/dbg/files-query"
fi
rm -rf "$fake"

# --- the LRU lists: pcinspect lru ---------------------------------------------
# Every open of lru walks again: the reader's view of a saved copy is
# compared with that copy, and the live commands are checked for what
# cannot move (names, paths, refusals).
if [ ! -r $DBG/lru ]; then
	skip "lru" "the module has no lru file"
	rm -f "$f"
	finish
fi

# raw_zone FILE: "node zone list walked counter diff zoneinfo" per zone record
raw_zone() {
	awk '$1 == "zone" {
		for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		print v["node"], v["zone"], v["list"], v["walked"], v["counter"],
			v["diff"], v["zoneinfo"] }' "$1"
}

# json_zone FILE: the same from -J -o NODE,ZONE,LIST,WALKED_PAGES,
# COUNTER_PAGES,DIFF_PAGES,ZONEINFO_PAGES
json_zone() {
	awk -F': ' '
		/"node":/ { gsub(/[",]/, "", $2); node = $2 }
		/"zone":/ { gsub(/[",]/, "", $2); zone = $2 }
		/"list":/ { gsub(/[",]/, "", $2); list = $2 }
		/"walked_pages":/ { gsub(/,/, "", $2); w = $2 }
		/"counter_pages":/ { gsub(/,/, "", $2); c = $2 }
		/"diff_pages":/ { gsub(/,/, "", $2); d = $2 }
		/"zoneinfo_pages":/ { gsub(/,/, "", $2);
			print node, zone, list, w, c, d, $2 }' "$1"
}

cat $DBG/lru >"$work/lru"
"$R" lru --from "$work/lru" -J \
	-o NODE,ZONE,LIST,WALKED_PAGES,COUNTER_PAGES,DIFF_PAGES,ZONEINFO_PAGES \
	>"$work/lj" 2>"$work/err"
rc=$?
raw_zone "$work/lru" | sort >"$work/lraw.l"
json_zone "$work/lj" | sort >"$work/lj.l"
[ $rc = 0 ] && [ -s "$work/lraw.l" ] && cmp -s "$work/lraw.l" "$work/lj.l"
ok $? "lru -J of a saved copy: the $(wc -l <"$work/lraw.l") zone rows' walked, counter, diff, zoneinfo equal the raw text's (exit $rc)"
[ $rc = 0 ] || sed 's/^/# /' "$work/err"
cmp -s "$work/lraw.l" "$work/lj.l" || diff "$work/lraw.l" "$work/lj.l" |
	head -n 6 | sed 's/^/# /'

# sizes: WALKED in bytes is pages x page_size
ps=$(sed -n 's/^page_size: //p' $DBG/version)
"$R" lru --from "$work/lru" -n -r -b -o WALKED_PAGES,WALKED >"$work/out" 2>&1
bad=$(awk -v ps="$ps" '$1 * ps != $2' "$work/out" | head -n 1)
[ -s "$work/out" ] && [ -z "$bad" ]
ok $? "lru -b: WALKED is WALKED_PAGES x $ps bytes${bad:+ (not: $bad)}"

# memcg view: every lruvec record, the root memcg among them
nraw=$(grep -c '^lruvec ' "$work/lru")
"$R" lru --from "$work/lru" --memcg -J >"$work/lj" 2>&1
njson=$(grep -c '"list":' "$work/lj")
[ "$nraw" = "$njson" ] && [ "$nraw" -gt 0 ] &&
	grep -q '"memcg": "/",' "$work/lj"
ok $? "lru --memcg -J: $njson lruvec rows of $nraw, the root memcg among them"

# a cgroup with a blank in its name holding a file's pages: the raw text
# escapes it (\040), the reader shows the name
cg="/sys/fs/cgroup/pci lru.$$"
if [ -w /sys/fs/cgroup/cgroup.procs ] &&
	grep -q memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
	mkdir "$cg"
	cf=$mnt/reader_cg.$$
	sh -c "echo \$\$ >'$cg/cgroup.procs' &&
		dd if=/dev/zero of='$cf' bs=$PS count=64 2>/dev/null && sync &&
		cat '$cf' >/dev/null"
	cat $DBG/lru >"$work/lru2"
	"$R" lru --from "$work/lru2" --memcg -J -o MEMCG,STATE,WALKED_PAGES \
		>"$work/lj" 2>&1
	grep -q "memcg=/pci\\\\040lru.$$ state=online" "$work/lru2" &&
		grep -q "\"memcg\": \"/pci lru.$$\"" "$work/lj"
	ok $? "lru --memcg: the cgroup \"pci lru.$$\" by name (raw: $(grep -o "memcg=/pci[^ ]*" "$work/lru2" | head -n 1))"
	rm -f "$cf"
	sync
	echo 1 >/proc/sys/vm/drop_caches
	rmdir "$cg" 2>/dev/null || true
else
	skip "lru --memcg cgroup name" "no cgroup2 with memory here"
fi

# the walk footer: --summary -J has it, same lruvecs as the raw footer
"$R" lru --from "$work/lru" --summary -J >"$work/lj" 2>&1
rc=$?
raw_lruvecs=$(sed -n 's/^# walk.* lruvecs=\([0-9]*\).*/\1/p' "$work/lru")
[ $rc = 0 ] && grep -q '"walk": {' "$work/lj" &&
	[ "$(jget lruvecs "$work/lj")" = "$raw_lruvecs" ] &&
	[ -n "$(jget max_hold_ns "$work/lj")" ] &&
	[ -n "$(jget restarts "$work/lj")" ] &&
	[ -n "$(jget incomplete "$work/lj")" ]
ok $? "lru --summary -J: walk lruvecs=$(jget lruvecs "$work/lj") max_hold_ns=$(jget max_hold_ns "$work/lj") restarts=$(jget restarts "$work/lj") incomplete=$(jget incomplete "$work/lj")"

# live: each view walks and prints
for v in zone memcg files; do
	"$R" lru --view $v >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 0 ] && [ -s "$work/out" ]
	ok $? "lru --view $v: exit $rc, $(($(wc -l <"$work/out") - 1)) rows"
done

# The gen view with MGLRU off (6.1's default) has no generation records:
# it must say so on stderr, not print an empty table as if it had walked
# them. With MGLRU on it must print them. The knob is put back after.
knob=/sys/kernel/mm/lru_gen/enabled
if ! grep -q '^features:.* lru_gen_lists' $DBG/version; then
	"$R" lru --view gen >"$work/out" 2>"$work/err"
	rc=$?
	[ $rc = 0 ] && [ ! -s "$work/out" ] &&
		grep -q 'lacks the lru_gen_lists feature' "$work/err"
	ok $? "lru --view gen, module without lru_gen_lists: exit $rc, says so"
elif [ -w "$knob" ]; then
	was=$(cat "$knob")
	for state in n y; do
		echo $state >"$knob"
		"$R" lru --view gen >"$work/out" 2>"$work/err"
		rc=$?
		rows=$(($(wc -l <"$work/out") - 1))
		if [ $state = n ]; then
			# Generations that still hold pages after the
			# switch are shown; none at all must be explained.
			[ $rc = 0 ] && { [ "$rows" -gt 0 ] ||
				grep -q 'no MGLRU generation records.*\(MGLRU is off\|lru_gen_lists\)' "$work/err"; }
			ok $? "lru --view gen, MGLRU off: exit $rc, $rows rows ($(head -c 100 "$work/err"))"
		else
			[ $rc = 0 ] && [ "$rows" -gt 0 ]
			ok $? "lru --view gen, MGLRU on: exit $rc, $rows rows"
			# A file's pages per generation age: the MGLRU
			# column is the raw report's mglru_ageN.
			mf=$mnt/reader_mglru.$$
			dd if=/dev/zero of="$mf" bs=$PS count=64 2>/dev/null
			sync
			cat "$mf" >/dev/null
			# Aging may move pages to an older generation
			# between two reads: the reader must agree with
			# raw reports taken just before and just after it
			# that agree with each other (up to 5 tries).
			for try in 1 2 3 4 5; do
				want=$(mglru_ages "$mf")
				got=$("$R" file -n -r -o MGLRU --source module "$mf")
				after=$(mglru_ages "$mf")
				[ "$want" = "$after" ] && break
			done
			[ -n "$want" ] && [ "$got" = "$want" ]
			ok $? "file -o MGLRU: $got (raw report: ${want:-none}, then ${after:-none}; try $try)"
			rm -f "$mf"
		fi
	done
	case "$was" in
	0x0000) echo n >"$knob" ;;
	*) echo y >"$knob" ;;
	esac
else
	skip "lru --view gen" "no writable $knob (kernel without MGLRU)"
fi

# lru --files: a file the test reads shows with its full path and the
# page count of the raw lru-files text read at the same time
lf=$mnt/reader_lru.$$
dd if=/dev/zero of="$lf" bs=$PS count=48 2>/dev/null
sync
cat "$lf" >/dev/null
raw_report "$lf" "$work/raw"
ldev=$(rget cache_dev "$work/raw")
lino=$(rget cache_ino "$work/raw")
cat $DBG/lru-files >"$work/lruf"
rawpages=$(awk -v d="$ldev" -v i="$lino" '$1 == d && $2 == i { print $4 }' \
	"$work/lruf")
"$R" lru --files --from "$work/lruf" --top 0 -n -r \
	-o DEV,INO,LRU_PAGES,PATH >"$work/out" 2>"$work/err"
rc=$?
got=$(awk -v d="$ldev" -v i="$lino" '$1 == d && $2 == i' "$work/out")
[ $rc = 0 ] && [ -n "$rawpages" ] && [ "$rawpages" -gt 0 ] &&
	[ "$got" = "$ldev $lino $rawpages $lf" ]
ok $? "lru --files: $lf ($ldev $lino) with its path and $rawpages pages (reader: $got, exit $rc)"
"$R" lru --files --from "$work/lruf" --top 3 -n -r -o LRU_PAGES \
	>"$work/out" 2>&1
sed -n '2,4p' "$work/lruf" | awk '{ print $4 }' >"$work/want"
cmp -s "$work/want" "$work/out" && [ "$(wc -l <"$work/out")" = 3 ]
ok $? "lru --files --top 3: the three largest, as the module orders them ($(tr '\n' ' ' <"$work/out"))"
"$R" lru --files --list inactive_file --top 0 -J -o INACTIVE_FILE_PAGES \
	--from "$work/lruf" >"$work/lj" 2>&1
sed -nE 's/^ *"inactive_file_pages": ([0-9]+),?$/\1/p' "$work/lj" \
	>"$work/out"
sort -rn "$work/out" | cmp -s - "$work/out" && [ -s "$work/out" ]
ok $? "lru --files --list inactive_file: ordered by that list"
"$R" lru --files --top 0 -n -r -o PATH >"$work/out" 2>"$work/err"
grep -qx "$lf" "$work/out"
ok $? "lru --files, live: $lf named ($(wc -l <"$work/out") files)"
rm -f "$lf"

# refusals
PCINSPECT_DEBUGFS=$work/nodbg "$R" lru >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "lru needs the pcinspect module" "$work/err" &&
	[ ! -s "$work/out" ]
ok $? "lru without the module: exit 1, $(head -c 60 "$work/err")..."
mkdir -p "$work/dbg2"
printf 'format: 5\n' >"$work/dbg2/version"
cp "$work/lru" "$work/dbg2/lru"
PCINSPECT_DEBUGFS=$work/dbg2 "$R" lru >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "format 5" "$work/err" && [ ! -s "$work/out" ]
ok $? "lru with a module of format 5: refused (exit $rc)"
sed -E 's/^# pcinspect lru format [0-9]+$/# pcinspect lru format 5/' "$work/lru" \
	>"$work/lru3"
"$R" lru --from "$work/lru3" >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 1 ] && grep -q "unsupported lru format 5" "$work/err" &&
	[ ! -s "$work/out" ]
ok $? "lru header of format 5: refused (exit $rc)"
"$R" lru --memcg --gen >"$work/out" 2>&1
[ $? = 2 ]
ok $? "lru --memcg --gen: usage error (exit 2)"

# --- the rebuilt reader's commands with the module -----------------------------
# file -R: from the listing (one walk of the cache) when the columns are
# the listing's, the tree's cached files only, each with the count a
# query of its own gives; with a column only queries know, every file.
tree=$mnt/reader_tree.$$
mkdir -p "$tree/sub"
dd if=/dev/urandom of="$tree/five" bs=$PS count=5 2>/dev/null
dd if=/dev/urandom of="$tree/sub/nine" bs=$PS count=9 2>/dev/null
: >"$tree/sub/empty"
sync
cat "$tree/five" "$tree/sub/nine" >/dev/null
"$R" file -R -n -r -o PAGES,SOURCE,PATH "$tree" >"$work/out" 2>"$work/err"
rc=$?
"$R" file -n -r -o PAGES,SOURCE,PATH "$tree/five" "$tree/sub/nine" >"$work/want" 2>&1
[ $rc = 0 ] && cmp -s "$work/out" "$work/want"
ok $? "file -R from the listing: the cached files, each as its own query counts it ($(tr '\n' ';' <"$work/out"), exit $rc)"
"$R" file -R -n -r -b -o PAGES,EVICTED,PATH "$tree" >"$work/out" 2>"$work/err"
[ "$(grep -c . "$work/out")" = 3 ] && grep -q "^0 0 $tree/sub/empty\$" "$work/out"
ok $? "file -R with EVICTED: every file, by queries ($(grep -c . "$work/out") files)"
"$R" file -R -n -r -o PAGES,PATH --total "$tree" >"$work/out" 2>&1
[ "$(tail -n 1 "$work/out")" = "14 total" ]
ok $? "file -R --total: $(tail -n 1 "$work/out")"
"$R" file -R -S -n -r -b -o PAGES,SIZE,PATH "$tree" >"$work/out" 2>&1
[ "$(cat "$work/out")" = "14 $((14 * PS)) total" ]
ok $? "file -R --summary: the totals line alone, from the listing ($(cat "$work/out"))"
rm -rf "$tree"

# The listing's size and type (format 4) stand in for a stat(2) per file:
# the same SIZE, DEV, INO and FS as each file's own query, and a tmpfs
# symlink whose long target sits in its own page cache is no file of the
# tree (a walk of the tree takes regular files only).
tree=$tmpfs_dir/reader_tree.$$
mkdir -p "$tree"
dd if=/dev/zero of="$tree/three" bs=$PS count=3 2>/dev/null
head -c 1000 /dev/zero >>"$tree/three"
ln -s "/$(printf '%0299d' 0 | tr 0 x)" "$tree/long-link"
"$R" file -R -n -r -b -o PAGES,SIZE,FS,DEV,INO,SOURCE,PATH "$tree" \
	>"$work/out" 2>"$work/err"
rc=$?
"$R" file -n -r -b -o PAGES,SIZE,FS,DEV,INO,SOURCE,PATH "$tree/three" \
	>"$work/want" 2>&1
"$R" files -n -r -b -o TYPE,SIZE --fs tmpfs --prefix "$tree/long-link" \
	>"$work/link" 2>&1
[ $rc = 0 ] && cmp -s "$work/out" "$work/want" &&
	[ "$(cat "$work/link")" = "lnk 300" ]
ok $? "file -R on tmpfs: size and identity from the listing as the query gives them, the cached symlink ($(cat "$work/link")) left out ($(tr '\n' ';' <"$work/out"), exit $rc)"
rm -rf "$tree"

# file -J carries what joins it with files -J: dev, ino and fs (the
# lru tests above dropped the caches: read the file back in first)
cat "$f" >/dev/null
"$R" file -J "$f" >"$work/fj" 2>&1
fdev=$(jstr dev "$work/fj")
fino=$(jget ino "$work/fj")
ffs=$(jstr fs "$work/fj")
"$R" files -J --dev "$fdev" >"$work/lj" 2>&1
grep -q "\"ino\": $fino," "$work/lj" && [ "$ffs" = "$fs_type" ] &&
	[ "$fdev" = "$fs_dev" ]
ok $? "file -J has dev $fdev, ino $fino, fs $ffs, as files -J lists it"

# many files named: one query file for all, the same numbers
i=0
while [ $i -lt 100 ]; do
	dd if=/dev/zero of="$work/m.$i" bs=$PS count=1 2>/dev/null
	i=$((i + 1))
done
cat "$work"/m.* >/dev/null
"$R" file -n -r -o PAGES --total "$work"/m.* >"$work/out" 2>&1
[ "$(grep -c '^1$' "$work/out")" = 100 ] &&
	[ "$(tail -n 1 "$work/out")" = 100 ]
ok $? "100 files named: 100 lines of 1 page and a total of $(tail -n 1 "$work/out")"
rm -f "$work"/m.*

# pid: a process holding $f open, with the module's count for it
sleep 30 <"$f" &
holder=$!
sleep 0.3
"$R" pid -n -r -b -o PID,HOW,PAGES,SOURCE,PATH "$holder" >"$work/out" 2>"$work/err"
raw_report "$f" "$work/raw"
grep -q "^$holder fd $(rget cached "$work/raw") pcinspect $f\$" "$work/out"
ok $? "pid: the open file with the module's count ($(grep "$f" "$work/out"))"
"$R" pid -a -t 0 -n -r -o PID,FILES "$holder" >/dev/null 2>&1
[ $? = 2 ]
ok $? "pid -a with a PID: usage error"
"$R" pid -a -t 0 -n -r -o PID,FILES >"$work/out" 2>"$work/err"
grep -q "^$holder [1-9]" "$work/out"
ok $? "pid --all-processes: the holder among $(grep -c . "$work/out") processes"
kill $holder 2>/dev/null
wait $holder 2>/dev/null

rm -f "$f"
finish
