#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# commands_test.sh PCINSPECT: host tests of what the rebuilt reader added,
# no module needed (cachestat/mincore, the fixtures, this machine's
# /proc): file -R, --files-from and "-", --sort, --top, --total,
# --summary, -P,
# --output-all, fincore's column names, mincore's page map and the
# residency bar, identity without the module, snapshots that follow the
# file rather than its name; pid PID and --all-processes; files --from
# without --mountinfo; files --summary totals under --prefix; lru --files
# columns on an MGLRU walk. TAP output.

P=${1:?usage: commands_test.sh PCINSPECT}
P=$(cd "$(dirname "$P")" && pwd)/$(basename "$P")
FIX=$(cd "$(dirname "$0")" && pwd)/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "$holder" ] && kill "$holder" 2>/dev/null' EXIT
holder=
. "$(dirname "$0")/tap.sh"

# run CMD...: its output in $tmp/out, errors in $tmp/err, status in $rc
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

echo "TAP version 13"
# without a module, whatever this kernel has: these tests are about the
# reader's own work, and must not read a module a test machine may have
export PCINSPECT_DEBUGFS="$tmp/no-module"

# --- a tree of files, each read so it is cached ------------------------------
t=$tmp/tree
mkdir -p "$t/a/b" "$t/c"
dd if=/dev/zero of="$t/one" bs=4096 count=4 2>/dev/null
dd if=/dev/zero of="$t/a/two" bs=4096 count=8 2>/dev/null
dd if=/dev/zero of="$t/a/b/three" bs=4096 count=2 2>/dev/null
: >"$t/c/empty"
ln -s ../one "$t/c/link"
cat "$t/one" "$t/a/two" "$t/a/b/three" >/dev/null

run "$P" file -R -n -r -o PATH "$t"
printf '%s\n' "$t/a/b/three" "$t/a/two" "$t/c/empty" "$t/one" >"$tmp/want"
[ $rc = 0 ] && cmp -s "$tmp/out" "$tmp/want"
ok $? "file -R: the tree's regular files in path order, no symlink (exit $rc: $(tr '\n' ' ' <"$tmp/out"))"

run "$P" file -R -n -r -b -o PAGES --sort CACHED "$t"
[ "$(tr '\n' ' ' <"$tmp/out")" = "8 4 2 0 " ]
ok $? "--sort CACHED: most first ($(tr '\n' ' ' <"$tmp/out"))"

run "$P" file -R -n -r -o PATH --sort CACHED --top 2 "$t"
[ "$(grep -c . "$tmp/out")" = 2 ] && [ "$(head -n 1 "$tmp/out")" = "$t/a/two" ]
ok $? "--top 2: the two largest"

run "$P" file -R -r -b -o PAGES,CACHED,PATH --total "$t"
[ "$(tail -n 1 "$tmp/out")" = "14 57344 total" ]
ok $? "--total: a last line of sums ($(tail -n 1 "$tmp/out"))"
run "$P" file -R -r -b -o PAGES,CACHED,PATH --summary "$t"
[ $rc = 0 ] && [ "$(cat "$tmp/out")" = "$(printf 'PAGES CACHED PATH\n14 57344 total')" ]
ok $? "--summary: the totals line alone ($(tail -n 1 "$tmp/out"))"
for o in --bar "--sort PATH" "--top 2" "--diff $tmp/x" "--snapshot $tmp/x"; do
	# shellcheck disable=SC2086
	run "$P" file -S $o "$t/one"
	[ $rc = 2 ] && grep -q "totals only" "$tmp/err" && [ ! -s "$tmp/out" ]
	ok $? "--summary with $o: a usage error (exit $rc)"
done
run "$P" file -R -J -o PAGES,PATH --total "$t"
if command -v python3 >/dev/null; then
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["files"]) == 4, d
assert d["total"] == [{"pages": 14, "path": "total"}], d["total"]
' "$tmp/out" 2>"$tmp/perr"
	ok $? "--total -J: the totals apart from the files $(tail -n 1 "$tmp/perr")"
else
	skip "--total -J" "no python3"
fi

printf '%s\n' "$t/one" "$t/a/two" >"$tmp/list"
run "$P" file -n -r -o PATH --files-from "$tmp/list" "$t/a/b/three"
[ "$(tr '\n' ' ' <"$tmp/out")" = "$t/a/b/three $t/one $t/a/two " ]
ok $? "--files-from: the operands, then the list ($(tr '\n' ' ' <"$tmp/out"))"
"$P" file -n -r -o PATH - <"$tmp/list" >"$tmp/out" 2>"$tmp/err"
[ "$(tr '\n' ' ' <"$tmp/out")" = "$t/one $t/a/two " ]
ok $? "\"-\": names from standard input"

run "$P" file -P -b -o CACHED,PATH "$t/one"
[ "$(cat "$tmp/out")" = "CACHED=\"16384\" PATH=\"$t/one\"" ]
ok $? "-P: NAME=\"value\" pairs ($(cat "$tmp/out"))"
run "$P" file -P -J "$t/one"
[ $rc = 2 ]
ok $? "-P with -J: usage error (exit $rc)"

run "$P" file --output-all -r "$t/one"
[ "$(head -n 1 "$tmp/out" | wc -w)" = "$("$P" file -H | grep -c '^ *[A-Z_]*  ')" ]
ok $? "--output-all: every column ($(head -n 1 "$tmp/out" | wc -w))"

run "$P" file -n -r -b -o RES,FILE "$t/one"
[ "$(cat "$tmp/out")" = "16384 $t/one" ]
ok $? "fincore's RES and FILE name CACHED and PATH ($(cat "$tmp/out"))"

# --- identity and page map without the module --------------------------------
run "$P" file -n -r -o FS,DEV,INO "$t/one"
read -r fs dev ino <"$tmp/out"
want_dev=$(stat -c '%Hd:%Ld' "$t/one" 2>/dev/null || stat -c '%t:%T' "$t/one")
[ "$ino" = "$(stat -c %i "$t/one")" ] && [ "$dev" = "$want_dev" ] &&
	[ -n "$fs" ] && [ "$fs" != - ]
ok $? "FS, DEV and INO from fstat without the module ($fs $dev $ino)"

dd if=/dev/zero of="$tmp/holey" bs=4096 count=8 2>/dev/null
dd if="$tmp/holey" of=/dev/null bs=4096 count=2 2>/dev/null
if command -v python3 >/dev/null; then
	# evict, then read pages 0-1 back (no readahead): POSIX_FADV_DONTNEED
	# on the clean file
	python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
os.fdatasync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
os.pread(fd, 8192, 0)
' "$tmp/holey"
	run "$P" file --source mincore --map -r -n "$tmp/holey"
	[ "$(awk '{ print $1, $2, $5 }' "$tmp/out" | tr '\n' ';')" = "0 1 cached;2 7 uncached;" ] &&
		[ "$(awk '{ print $6 }' "$tmp/out" | sort -u)" = - ]
	ok $? "--map from mincore: cached and uncached runs, lru unknown ($(tr '\n' ';' <"$tmp/out"))"
	run "$P" file --source mincore -P -o BAR "$tmp/holey"
	[ "$(cat "$tmp/out")" = 'BAR="[OO      ]"' ]
	ok $? "BAR: a cell per page, O cached ($(cat "$tmp/out"))"
	run "$P" file --source mincore --bar -P -o PAGES "$tmp/holey"
	[ "$(cat "$tmp/out")" = 'PAGES="2" BAR="[OO      ]"' ]
	ok $? "--bar adds the BAR column ($(cat "$tmp/out"))"
	run "$P" file --source mincore --map -r "$tmp/holey" "$t/one"
	grep -q "^$tmp/holey:" "$tmp/out" && grep -q "^$t/one:" "$tmp/out"
	ok $? "--map of two files: each under its name"
else
	for i in 1 2 3 4; do skip "mincore map" "no python3"; done
fi
run "$P" file --source cachestat --map "$t/one"
if [ $rc = 1 ] && grep -q "not in this kernel" "$tmp/err"; then
	skip "--map with cachestat" "no cachestat(2) here"
else
	[ $rc = 1 ] && grep -q "cachestat(2) has no page map" "$tmp/err"
	ok $? "--map with --source cachestat: refused, said (exit $rc)"
fi

# --- snapshots follow the file -------------------------------------------------
(cd "$t" && "$P" file --source mincore --snapshot "$tmp/snap" ./one) >/dev/null 2>&1
dd if=/dev/zero of="$t/one" bs=4096 count=4 seek=4 conv=notrunc 2>/dev/null
cat "$t/one" >/dev/null
run "$P" file --source mincore --diff "$tmp/snap" -n -r -o DCACHED "$t/c/link"
[ "$(cat "$tmp/out")" = "+16K" ]
ok $? "--diff finds the file under another name, by dev and inode ($(cat "$tmp/out"))"
mv "$t/one" "$t/one.old"
dd if=/dev/zero of="$t/one" bs=4096 count=1 2>/dev/null
cat "$t/one" >/dev/null
run "$P" file --source mincore --diff "$tmp/snap" -n -r -o DCACHED "$t/one"
[ "$(cat "$tmp/out")" = "-" ]
ok $? "a new file under the old name is not compared with the old ($(cat "$tmp/out"))"
mv "$t/one.old" "$t/one"

# --- pid ----------------------------------------------------------------------
exec 3<"$t/a/two"
sleep 30 <&3 &
holder=$!
exec 3<&-
sleep 0.2
run "$P" pid -r -b -o PID,HOW,CACHED,PATH "$holder"
grep -q "^$holder fd 32768 $t/a/two\$" "$tmp/out"
ok $? "pid PID: its open file with its cache ($(grep "$t" "$tmp/out" | head -n 1))"
grep -q "^$holder map [0-9]* .*/sleep\$\|^$holder map [0-9]* .*/coreutils\$" "$tmp/out" ||
	grep -q "^$holder map [0-9]* .*/libc[.-]" "$tmp/out"
ok $? "pid PID: its mapped files too ($(grep -c map "$tmp/out") mapped)"
run "$P" pid -a -t 0 -r -b -o PID,COMM,FILES,CACHED
line=$(grep "^$holder " "$tmp/out")
set -- $line
[ "$2" = sleep ] && [ "$3" -ge 2 ] && [ "$4" -ge 32768 ]
ok $? "pid --all-processes: a line per process, its files' cache summed ($line)"
run "$P" pid -a -n -r -b -o CACHED
sort -rn "$tmp/out" | cmp -s - "$tmp/out" && [ "$(grep -c . "$tmp/out")" -le 20 ]
ok $? "pid -a: most cache first, 20 by default ($(grep -c . "$tmp/out") lines)"
run "$P" pid 999999999
[ $rc = 2 ] || { [ $rc = 1 ] && grep -q "no such process" "$tmp/err"; }
ok $? "pid of no process: said, exit $rc"
run "$P" pid
[ $rc = 2 ]
ok $? "pid without a PID: usage error"
kill "$holder" 2>/dev/null
holder=

# --- files --from: no join with this machine's mounts --------------------------
run "$P" files --from "$FIX/files.txt" -n -r -o PATH
grep -q "^\[254:0\]/var/log/syslog$" "$tmp/out" &&
	grep -q "paths shown inside their filesystems" "$tmp/err"
ok $? "files --from without --mountinfo: [MAJ:MIN]/path, said ($(head -c 60 "$tmp/err"))"
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$FIX/files.txt" \
	--mountinfo "$FIX/mountinfo" -n -r -o PATH >"$tmp/out" 2>"$tmp/err"
grep -q "^/var/log/syslog$" "$tmp/out"
ok $? "files --from with --mountinfo: full paths"

# --- files --summary --prefix: the totals of what is shown --------------------
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$FIX/files.txt" \
	--mountinfo "$FIX/mountinfo" --prefix /var --summary -J >"$tmp/out" 2>"$tmp/err"
if command -v python3 >/dev/null; then
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
pages = sum(f["pages"] for f in d["files"])
assert d["totals"] and sum(t["pages"] for t in d["totals"]) == pages, d["totals"]
assert all(f["path"].startswith("/var") for f in d["files"]), d["files"]
' "$tmp/out" 2>"$tmp/perr"
	ok $? "--summary --prefix: totals of the inodes below the prefix $(tail -n 1 "$tmp/perr")"
else
	skip "--summary --prefix" "no python3"
fi

# --- lru --files on an MGLRU walk: the generations, not empty lists ----------
{
	head -n 1 "$FIX/lru-files.txt"
	echo "254:0 15 5d1b00000000000f 900 0 0 0 0 0 500 300 100 0"
	echo "254:0 12 5d1b00000000000c 37 0 0 0 0 0 37 0 0 0"
	tail -n 1 "$FIX/lru-files.txt"
} >"$tmp/mglru"
run "$P" lru --files --from "$tmp/mglru"
head -n 1 "$tmp/out" | grep -q "AGE0 *AGE1 *AGE2 *AGE3" &&
	! head -n 1 "$tmp/out" | grep -q "ACTIVE_FILE"
ok $? "lru --files under MGLRU: AGE0..AGE3 by default ($(head -n 1 "$tmp/out"))"
run "$P" lru --files --from "$FIX/lru-files.txt"
head -n 1 "$tmp/out" | grep -q "ACTIVE_FILE" && ! head -n 1 "$tmp/out" | grep -q AGE0
ok $? "lru --files on classic lists: the lists ($(head -n 1 "$tmp/out"))"

tap_done
