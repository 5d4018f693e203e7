#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cli_test.sh PCINSPECT: host tests of the command line, no module needed:
# usage errors exit 2, failed files exit 1 without stopping the others,
# the cachestat/mincore fallbacks, JSON validity, --snapshot/--diff,
# --watch/--count, and the refusal of an unknown module format (through
# PCINSPECT_DEBUGFS pointing at a stand-in version file). "pcinspect files"
# on the fixtures of tests/fixtures (--from, --mountinfo, PCINSPECT_SYSFS):
# order, top, filters, JSON, --summary, --snapshot/--diff, malformed
# lines, the missing module, and a lockdown stand-in (an immutable
# files-query, which root cannot open for writing either). "pcinspect
# lru" on the fixture lru and lru-files texts: views, columns, sizes, JSON,
# names, order, malformed lines, refusals. "make install" into a DESTDIR.
# TAP output.

P=${1:?usage: cli_test.sh PCINSPECT}
FIX=$(cd "$(dirname "$0")" && pwd)/fixtures
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

# expect_rc RC DESC CMD...: the command exits with RC
expect_rc() {
	want=$1 desc=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = "$want" ]
	ok $? "$desc (exit $rc, want $want)"
}

echo "TAP version 13"

# --- usage errors: exit 2 with a message on stderr --------------------------
f=$tmp/data
dd if=/dev/zero of="$f" bs=4096 count=16 2>/dev/null
cat "$f" >/dev/null

expect_rc 2 "no command" "$P"
expect_rc 2 "unknown command" "$P" frobnicate "$f"
expect_rc 2 "an option before the command" "$P" -J file "$f"
expect_rc 2 "file without a path" "$P" file
expect_rc 2 "unknown option" "$P" file --bogus "$f"
grep -q "bad option: --bogus" "$tmp/err"
ok $? "unknown option named on stderr"
expect_rc 2 "unknown short option" "$P" file -Z "$f"
expect_rc 2 "bad --range" "$P" file --range 1X:2 "$f"
expect_rc 2 "bad --range length" "$P" file --range 0:-5 "$f"
expect_rc 2 "bad --source" "$P" file --source magic "$f"
expect_rc 2 "unknown column" "$P" file -o PATH,NOPE "$f"
grep -q "unknown column: NOPE" "$tmp/err"
ok $? "unknown column named on stderr"
expect_rc 2 "--count without --watch" "$P" file --count 2 "$f"
expect_rc 2 "bad --watch" "$P" file --watch -1 "$f"
expect_rc 2 "bad --count" "$P" file --watch 1 --count x "$f"
expect_rc 2 "--map with -o" "$P" file --map -o PATH "$f"
[ ! -s "$tmp/out" ]
ok $? "usage errors print nothing on stdout"

# --- output that cannot be written, output that cannot be formatted ----------
if [ -w /dev/full ]; then
	for c in "file --source mincore $f" "files --from $FIX/files.txt" \
		"lru --from $FIX/lru.txt" "--help" "files --help" \
		"file --source mincore --watch 0.1 --count 50 $f"; do
		# shellcheck disable=SC2086 # the words of $c are the arguments
		PCINSPECT_SYSFS="$FIX/sys" "$P" $c >/dev/full 2>"$tmp/err"
		rc=$?
		[ $rc = 1 ] && grep -q "write error on standard output" "$tmp/err"
		ok $? "pcinspect ${c%% *} ... >/dev/full: exit $rc, $(head -n 1 "$tmp/err")"
	done
else
	skip "write errors" "no /dev/full"
fi
# JSON has no raw form: libsmartcols printed raw rows of JSON's values
for c in file files lru; do
	arg=
	[ $c = file ] && arg=$f
	expect_rc 2 "$c -J -r" "$P" $c -J -r $arg
	grep -q -- "-J and -r do not go together" "$tmp/err" && [ ! -s "$tmp/out" ]
	ok $? "$c: -J with -r refused, nothing printed ($(head -n 1 "$tmp/err"))"
done

# --- help and version -------------------------------------------------------
expect_rc 0 "--help" "$P" --help
grep -q "^ file  *what the page cache holds" "$tmp/out"
ok $? "--help lists the commands"
expect_rc 0 "file -H" "$P" file -H
missing=
for c in PATH SIZE CACHED PAGES DIRTY WRITEBACK EVICTED SWAPPED MAPPED \
	ACTIVE INACTIVE UNEVICTABLE NODES ORDERS MEMCGS SOURCE BAR; do
	grep -q "^ *$c  " "$tmp/out" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "file -H lists every column${missing:+ (missing:$missing)}"
expect_rc 0 "file --help" "$P" file --help
[ "$(wc -l <"$tmp/out")" -lt 40 ] && ! grep -q "^ *WORKINGSET  " "$tmp/out"
ok $? "file --help: the options only, under 40 lines ($(wc -l <"$tmp/out"))"
expect_rc 0 "--version" "$P" -V
grep -q "^pcinspect [0-9]" "$tmp/out"
ok $? "--version prints the version"

# --- mincore fallback ---------------------------------------------------------
expect_rc 0 "--source mincore" "$P" file --source mincore -n -r \
	-o PAGES,DIRTY,EVICTED,SOURCE "$f"
[ "$(cat "$tmp/out")" = "16 - - mincore" ]
ok $? "mincore: 16 pages cached, dirty and evicted unknown ($(cat "$tmp/out"))"
expect_rc 0 "--source mincore --range" "$P" file --source mincore -n -r \
	-o PAGES --range 4K:8K "$f"
[ "$(cat "$tmp/out")" = 2 ]
ok $? "mincore: --range 4K:8K covers 2 pages ($(cat "$tmp/out"))"
expect_rc 0 "-b" "$P" file --source mincore -b -n -r -o SIZE,CACHED "$f"
[ "$(cat "$tmp/out")" = "65536 65536" ]
ok $? "-b: sizes in bytes ($(cat "$tmp/out"))"
expect_rc 0 "human sizes" "$P" file --source mincore -n -r -o SIZE,CACHED "$f"
[ "$(cat "$tmp/out")" = "64K 64K" ]
ok $? "default: human sizes ($(cat "$tmp/out"))"

# --- cachestat fallback -------------------------------------------------------
"$P" file --source cachestat "$f" >"$tmp/out" 2>"$tmp/err"
if grep -q "not in this kernel" "$tmp/err"; then
	skip "--source cachestat" "no cachestat(2) on this kernel"
	skip "cachestat counts" "no cachestat(2) on this kernel"
else
	expect_rc 0 "--source cachestat" "$P" file --source cachestat -n -r \
		-o PAGES,WRITEBACK,MAPPED,SOURCE "$f"
	[ "$(cat "$tmp/out")" = "16 0B - cachestat" ]
	ok $? "cachestat: 16 pages, writeback known, mapped unknown ($(cat "$tmp/out"))"
fi

# --- failed files: exit 1, the others still reported -----------------------
expect_rc 1 "a missing file among good ones" "$P" file --source mincore \
	-n -r -o PATH "$f" "$tmp/missing" "$f"
[ "$(grep -c . "$tmp/out")" = 2 ]
ok $? "the good files are still reported"
grep -qx "pcinspect: $tmp/missing: No such file or directory" "$tmp/err"
ok $? "error as 'pcinspect: PATH: strerror'"
expect_rc 1 "a directory" "$P" file --source mincore "$tmp"
grep -q "Is a directory" "$tmp/err"
ok $? "directory: Is a directory"

# --- JSON ----------------------------------------------------------------------
odd="$tmp/a b
c\\d"
cp "$f" "$odd"
cat "$odd" >/dev/null
expect_rc 0 "-J with an odd path" "$P" file -J --source mincore "$odd" "$f"
if command -v python3 >/dev/null; then
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["files"]
assert len(f) == 2, f
assert f[0]["path"] == sys.argv[2], f[0]["path"]
assert f[0]["pages"] == 16 and f[0]["cached"] == 65536, f[0]
assert f[0]["dirty"] is None and f[0]["nodes"] is None, f[0]
assert f[0]["source"] == "mincore"
' "$tmp/out" "$odd" 2>"$tmp/err"
	ok $? "JSON is valid, path kept, unknown is null $(tail -1 "$tmp/err")"
else
	skip "JSON validity" "no python3"
fi

# --- snapshot and diff --------------------------------------------------------
expect_rc 0 "--snapshot" "$P" file --source mincore --snapshot "$tmp/snap" \
	"$f" "$odd"
[ "$(head -1 "$tmp/snap")" = "# pcinspect snapshot 2" ] &&
	[ "$(grep -c . "$tmp/snap")" = 3 ]
ok $? "snapshot file has a header and one line per file"
dd if=/dev/zero of="$f" bs=4096 count=4 seek=16 conv=notrunc 2>/dev/null
cat "$f" >/dev/null
expect_rc 0 "--diff" "$P" file --source mincore --diff "$tmp/snap" -n -r \
	-o DCACHED,DDIRTY,PATH "$f" "$odd"
[ "$(sed -n 1p "$tmp/out")" = "+16K - $f" ]
ok $? "--diff: 4 more pages cached ($(sed -n 1p "$tmp/out"))"
expect_rc 0 "--diff -b" "$P" file --source mincore --diff "$tmp/snap" -n -r \
	-b -o DCACHED "$odd"
[ "$(cat "$tmp/out")" = 0 ]
ok $? "--diff -b: unchanged file shows 0"
printf 'garbage\n' >"$tmp/notsnap"
expect_rc 1 "--diff of a file that is no snapshot" "$P" file --diff \
	"$tmp/notsnap" "$f"

# --- watch ---------------------------------------------------------------------
expect_rc 0 "--watch 0.1 --count 3" "$P" file --source mincore --watch 0.1 \
	--count 3 -o PAGES "$f"
[ "$(grep -c PAGES "$tmp/out")" = 3 ]
ok $? "--count 3 prints 3 tables"

# --diff under --watch: a missing baseline is an empty one, and each
# refresh is measured from the one before it, not from the first snapshot
g=$tmp/grow
dd if=/dev/zero of="$g" bs=4096 count=4 2>/dev/null
cat "$g" >/dev/null
expect_rc 0 "file --snapshot S --diff S --watch, S missing" "$P" file \
	--source mincore --snapshot "$tmp/wsnap" --diff "$tmp/wsnap" \
	--watch 0.1 --count 2 -n -r -o DCACHED "$g"
[ "$(grep -v '^#' "$tmp/out" | grep . | tr '\n' ' ')" = "- 0 " ] &&
	grep -q "no snapshot yet" "$tmp/err"
ok $? "a missing --diff file is an empty baseline ($(grep -v '^#' "$tmp/out" | grep . | tr '\n' ' '))"
# 4 pages more between the first and the second of three refreshes: the
# third must show no change (a late start: only the first shows it)
"$P" file --source mincore --snapshot "$tmp/wsnap" "$g" >/dev/null 2>&1
(sleep 0.5; dd if=/dev/zero of="$g" bs=4096 count=4 seek=4 conv=notrunc \
	2>/dev/null) &
"$P" file --source mincore --diff "$tmp/wsnap" --watch 1 --count 3 -n -r -b \
	-o DCACHED "$g" >"$tmp/out" 2>"$tmp/err"
rc=$?
wait
d=$(grep -v '^#' "$tmp/out" | grep . | tr '\n' ' ')
case "$rc $d" in
"0 0 16384 0 " | "0 16384 0 0 ") ok 0 "file --diff --watch: from the previous refresh ($d)" ;;
*) ok 1 "file --diff --watch: from the previous refresh (exit $rc: $d)" ;;
esac

# every --watch refresh carries its time: "# TIME" above tables, "time"
# in JSON; none without --watch
stamp_re='^# [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
expect_rc 0 "file --watch --count 2 -r" "$P" file --source mincore \
	--watch 0.1 --count 2 -r -o PAGES "$f"
[ "$(grep -cE "$stamp_re" "$tmp/out")" = 2 ]
ok $? "file --watch: a time line per refresh ($(grep -m1 '^#' "$tmp/out"))"
"$P" file --source mincore -r -o PAGES "$f" >"$tmp/out" 2>&1
! grep -q '^#' "$tmp/out"
ok $? "file without --watch: no time line"
if command -v python3 >/dev/null; then
	expect_rc 0 "file -J --watch --count 2" "$P" file -J --source mincore \
		--watch 0.1 --count 2 "$f"
	python3 -c '
import json, re, sys
text, dec, docs, i = open(sys.argv[1]).read(), json.JSONDecoder(), [], 0
while text[i:].strip():
    i += len(text[i:]) - len(text[i:].lstrip())
    d, i = dec.raw_decode(text, i)
    docs.append(d)
assert len(docs) == 2, docs
for d in docs:
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["time"]), d
    assert len(d["files"]) == 1, d
' "$tmp/out" 2>"$tmp/err"
	ok $? "file -J --watch: two documents, each with its time $(tail -1 "$tmp/err")"
else
	skip "file -J --watch time" "no python3"
fi

# --- module format checks through a stand-in directory ---------------------
mkdir "$tmp/dbg"
printf 'format: 5\nmodule: 9.9.9\n' >"$tmp/dbg/version"
expect_rc 1 "unknown module format" env PCINSPECT_DEBUGFS="$tmp/dbg" \
	"$P" file "$f"
grep -q "format 5, this pcinspect reads formats 2 to 4" "$tmp/err"
ok $? "unknown format refused with a clear message"
[ ! -s "$tmp/out" ]
ok $? "nothing reported for an unknown format"
expect_rc 1 "--source module without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" file --source module "$f"
grep -q "the pcinspect module is not loaded, or debugfs is not mounted" "$tmp/err" &&
	grep -q "modprobe pcinspect" "$tmp/err" &&
	grep -q "mount -t debugfs none /sys/kernel/debug" "$tmp/err" &&
	[ ! -s "$tmp/out" ]
ok $? "--source module without the module: says so and how to load it ($(head -n 1 "$tmp/err"))"
expect_rc 0 "--source auto without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" file "$f"
# The same numbers as that source gives when asked for by name.
src=$(env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" file -n -r -o SOURCE "$f")
got=$(env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" file -n -r -o PAGES,DIRTY,EVICTED "$f")
want=$("$P" file --source "$src" -n -r -o PAGES,DIRTY,EVICTED "$f")
case $src in
cachestat | mincore) [ "$got" = "$want" ] ;;
*) false ;;
esac
ok $? "without the module: the numbers of $src ($got; --source $src: $want)"

# --- without root: numbers the kernel will not give are unknown, not faked ----
# mincore reports every page of a file the caller may not write as resident
# and cachestat(2) refuses such a file: the reader shows "-" and says why.
# A file of the caller's own is measured.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	nr=$tmp/nonroot
	mkdir "$nr"
	chmod 755 "$tmp" "$nr"
	cp "$P" "$nr/pcinspect"
	dd if=/dev/zero of="$nr/theirs" bs=4096 count=16 2>/dev/null
	cat "$nr/theirs" >/dev/null
	chmod 644 "$nr/theirs"
	cp "$nr/theirs" "$nr/mine"
	chown 65534:65534 "$nr/mine"
	asnobody() {
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	}
	for s in mincore auto; do
		asnobody "$nr/pcinspect" file --source $s -n -r \
			-o CACHED,DIRTY,SOURCE "$nr/theirs" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc = 0 ] && [ "$(cat "$tmp/out")" = "- - mincore" ] &&
			grep -q "mincore cannot see the cache of a file you may not write" "$tmp/err"
		ok $? "non-root, --source $s, another's read-only file: unknown, said why (exit $rc: $(cat "$tmp/out"))"
	done
	asnobody "$nr/pcinspect" file --source cachestat -n -r -o CACHED \
		"$nr/theirs" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 1 ] && [ ! -s "$tmp/out" ] && [ -s "$tmp/err" ]
	ok $? "non-root, --source cachestat, another's file: refused (exit $rc: $(cat "$tmp/err"))"
	asnobody "$nr/pcinspect" file -n -r -o PAGES,SOURCE "$nr/mine" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	case "$rc $(cat "$tmp/out")" in
	"0 16 cachestat" | "0 16 mincore") ok 0 "non-root, own file: $(cat "$tmp/out")" ;;
	*) ok 1 "non-root, own file: 16 pages (exit $rc: $(cat "$tmp/out") $(cat "$tmp/err"))" ;;
	esac
else
	skip "non-root fallback" "needs root and setpriv to become uid 65534"
fi

# --- files: the system-wide listing -------------------------------------------
# L: files on the fixture listing, resolved with the fixture mountinfo
L() {
	PCINSPECT_SYSFS="$FIX/sys" "$P" "${CMD:-files}" --from "$FIX/files.txt" \
		--mountinfo "$FIX/mountinfo" "$@"
}

expect_rc 2 "files with a file name" "$P" files "$f"
expect_rc 2 "files --top x" "$P" files --top x
expect_rc 2 "files --top -1" "$P" files --top -1
expect_rc 2 "files --dev 8" "$P" files --dev 8
expect_rc 2 "files --dev 8:x" "$P" files --dev 8:x
expect_rc 2 "files --min 1K" "$P" files --min 1K
expect_rc 2 "files --fs with a blank" "$P" files --fs "ext 4"
expect_rc 2 "files --prefix relative" "$P" files --prefix mnt
expect_rc 2 "files --sort NOPE" "$P" files --sort NOPE
expect_rc 2 "files --sort DCACHED without --diff" "$P" files --sort DCACHED
expect_rc 2 "files -o CHANGE without --diff" "$P" files -o CHANGE
expect_rc 2 "files -o NOPE" "$P" files -o PATH,NOPE
expect_rc 2 "files --count without --watch" "$P" files --count 2
expect_rc 2 "top --bogus" "$P" top --bogus
[ ! -s "$tmp/out" ]
ok $? "files usage errors print nothing on stdout"

expect_rc 0 "files -H" "$P" files -H
missing=
for c in FS DEV INO CACHED PAGES DIRTY WRITEBACK SIZE TYPE NAME PATH FSPATH CHANGE \
	DCACHED DPAGES DDIRTY DWRITEBACK; do
	grep -q "^ *$c  " "$tmp/out" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "files -H lists every column${missing:+ (missing:$missing)}"
expect_rc 0 "files --help" "$P" files --help
grep -q "pcinspect files \[options\]" "$tmp/out" &&
	grep -q -- "--prefix PATH" "$tmp/out"
ok $? "files --help: its options"

# without the module: no other interface lists every cached file
expect_rc 1 "files without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" files
grep -q "files needs the pcinspect module" "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "files without the module: says the module is needed, prints nothing"
expect_rc 1 "top without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" top
expect_rc 1 "files with an unknown module format" \
	env PCINSPECT_DEBUGFS="$tmp/dbg" "$P" files
grep -q "format 5, this pcinspect reads formats 2 to 4" "$tmp/err" &&
	[ ! -s "$tmp/out" ]
ok $? "files: unknown module format refused"

# a stand-in module directory: the listing read through files-query (no
# options, so nothing is written over the fixture)
mkdir "$tmp/dbg1"
printf 'format: 2\nmodule: 0.1.0\npage_size: 4096\n' >"$tmp/dbg1/version"
# Formats 2 and 3 print the same columns: both read alike.
for fmt in 2 3; do
	sed "s/format 2:/format $fmt:/" "$FIX/files.txt" >"$tmp/dbg1/files-query"
	expect_rc 0 "files through a stand-in files-query of format $fmt" \
		env PCINSPECT_DEBUGFS="$tmp/dbg1" PCINSPECT_SYSFS="$FIX/sys" \
		"$P" files --mountinfo "$FIX/mountinfo" -n -r -o PAGES,INO
	[ "$(head -n 1 "$tmp/out")" = "900 15" ] &&
		[ "$(grep -c . "$tmp/out")" = 10 ]
	ok $? "stand-in files-query of format $fmt: 10 lines, most cached first"
done
# Format 4 adds the size and type columns: SIZE and TYPE need no stat(2).
awk 'NR == 1 { sub(/format 2:/, "format 4:"); sub(/writeback name/, "writeback size type name") }
     !/^#/ { $7 = $7 " " ($5 * 4096 + 1) " " ($1 == "bdev" ? "blk" : "reg") } { print }' "$FIX/files.txt" \
	>"$tmp/dbg1/files-query"
expect_rc 0 "files through a stand-in files-query of format 4" \
	env PCINSPECT_DEBUGFS="$tmp/dbg1" PCINSPECT_SYSFS="$FIX/sys" \
	"$P" files --mountinfo "$FIX/mountinfo" -n -r -b -o PAGES,INO,SIZE,TYPE
[ "$(head -n 1 "$tmp/out")" = "900 15 3686401 reg" ] &&
	[ "$(grep -c . "$tmp/out")" = 10 ]
ok $? "stand-in files-query of format 4: 10 lines, SIZE and TYPE from the listing ($(head -n 1 "$tmp/out"))"
sed 's/format 2:/format 5:/' "$FIX/files.txt" >"$tmp/dbg1/files-query"
expect_rc 1 "files header of format 5" \
	env PCINSPECT_DEBUGFS="$tmp/dbg1" "$P" files
grep -q "unsupported files format 5" "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "files format 5 refused with a clear message ($(head -c 80 "$tmp/err"))"

# order, top, filters on the fixture
expect_rc 0 "files --from" L -n -r -o INO
[ "$(tr '\n' ' ' <"$tmp/out")" = "15 7 266338352 12 13 266338353 14 5 99 16 " ]
ok $? "most cached first, ties by dev ($(tr '\n' ' ' <"$tmp/out"))"
CMD=top expect_rc 0 "top" L -n -r -o INO
[ "$(grep -c . "$tmp/out")" = 10 ]
ok $? "top: fewer than 20, all of them"
CMD=top expect_rc 0 "top -t 2" L -t 2 -n -r -o INO
[ "$(tr '\n' ' ' <"$tmp/out")" = "15 7 " ]
ok $? "top -t 2: the two most cached"
expect_rc 0 "--sort INO" L --sort ino -n -r -o INO --top 3
[ "$(tr '\n' ' ' <"$tmp/out")" = "5 7 12 " ]
ok $? "--sort ino --top 3: the three lowest inode numbers"
expect_rc 0 "--sort DIRTY" L --sort DIRTY -n -r -o INO,DIRTY --top 1
[ "$(cat "$tmp/out")" = "99 12K" ]
ok $? "--sort DIRTY: the dirtiest first ($(cat "$tmp/out"))"
expect_rc 0 "--fs tmpfs" L --fs tmpfs -n -r -o INO
[ "$(tr '\n' ' ' <"$tmp/out")" = "7 5 " ]
ok $? "--fs tmpfs: its two inodes"
expect_rc 0 "--dev 254:0" L --dev 254:0 -n -r -o INO
[ "$(grep -c . "$tmp/out")" = 5 ]
ok $? "--dev 254:0: its five inodes"
expect_rc 0 "--min 37" L --min 37 -n -r -o PAGES
[ "$(tr '\n' ' ' <"$tmp/out")" = "900 64 64 37 " ]
ok $? "--min 37: four inodes"
expect_rc 0 "--prefix /dir" L --prefix /dir/ -n -r -o PATH
[ "$(cat "$tmp/out")" = "/dir/closed\\x20file
/dir/deleted\\x20(deleted)" ]
ok $? "--prefix /dir/: the file and the deleted one"
expect_rc 0 "--prefix /mnt" L --prefix /mnt -J -o PATH,FSPATH
[ "$(grep -c '"path":' "$tmp/out")" = 1 ] &&
	grep -q '"path": "/mnt/my data/a\\nb"' "$tmp/out" &&
	grep -q '"fspath": "/srv/data/a\\nb"' "$tmp/out"
ok $? "--prefix /mnt: the bind-mounted file, path joined through mountinfo"
expect_rc 0 "PATH of every kind" L -n -r -o INO,PATH --sort INO
grep -qx "5 \\[0:1\\]/memfd:foo" "$tmp/out" &&
	grep -qx "16 \\[254:0\\]\\\\x20ino\\\\x2016" "$tmp/out" &&
	grep -qx "99 \\[8:16\\]/unmounted/file" "$tmp/out" &&
	grep -qx "266338353 /dev/loop0" "$tmp/out"
ok $? "PATH: memfd, no name, not mounted, block device"
expect_rc 0 "-b" L -b -n -r -o CACHED,DIRTY --top 1 --sort DIRTY
[ "$(cat "$tmp/out")" = "12288 12288" ]
ok $? "-b: bytes ($(cat "$tmp/out"))"

if command -v python3 >/dev/null; then
	expect_rc 0 "-J --summary" L -J --summary --top 2
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d) == ["files", "totals", "walk"], sorted(d)
assert len(d["files"]) == 2, d["files"]
f = d["files"][0]
assert f["ino"] == 15 and f["pages"] == 900 and f["cached"] == 900 * 4096, f
assert f["path"] == "/var/log/syslog" and f["name"] == "path", f
assert d["files"][1]["fspath"] == "/shm\\x", d["files"][1]
assert len(d["totals"]) == 5 and d["totals"][0]["cached"] == 963 * 4096
w = d["walk"]
assert isinstance(w, dict), w
assert w["listed"] == 10 and w["walk_ns"] == 1196209, w
' "$tmp/out" 2>"$tmp/err"
	ok $? "-J --summary: one JSON object with files, totals, walk (an object) $(tail -1 "$tmp/err")"
	expect_rc 0 "-J --prefix /dir" L -J --prefix /dir
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = {e["ino"]: e for e in d["files"]}
assert sorted(f) == [12, 13], f
assert f[13]["path"] == "/dir/deleted" and f[13]["deleted"] is True, f[13]
assert f[13]["name"] == "deleted", f[13]
assert f[12]["path"] == "/dir/closed file" and f[12]["deleted"] is False, f[12]
' "$tmp/out" 2>"$tmp/err"
	ok $? "-J: the path itself, deleted a boolean $(tail -1 "$tmp/err")"
	expect_rc 0 "-J" L -J --fs bdev
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["files"] and len(d["files"]) == 2, d
assert d["files"][0]["fspath"] is None, d
' "$tmp/out" 2>"$tmp/err"
	ok $? "-J: files only, no path inside a filesystem is null $(tail -1 "$tmp/err")"
else
	skip "files JSON" "no python3"
	skip "files JSON" "no python3"
	skip "files JSON" "no python3"
fi
expect_rc 0 "-o DELETED" L --prefix /dir -n -r -o INO,DELETED,PATH
[ "$(cat "$tmp/out")" = "12 0 /dir/closed\\x20file
13 1 /dir/deleted\\x20(deleted)" ]
ok $? "-o DELETED: 1 or 0, PATH marked as before ($(tr '\n' ';' <"$tmp/out"))"
expect_rc 0 "--summary" L --summary --top 1
grep -q "^FS  *DEV  *INODES" "$tmp/out" && grep -q "^ *TYPES  *SUPERBLOCKS" "$tmp/out"
ok $? "--summary: totals and walk tables"

# malformed lines: reported, skipped, the rest listed, exit 1
sed 's/^ext4 254:0 13 \([0-9a-f]*\) 20 /ext4 254:0 13 \1 2x0 /' "$FIX/files.txt" >"$tmp/bad"
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$tmp/bad" -n -r -o INO \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ "$(grep -c . "$tmp/out")" = 9 ] &&
	grep -q "line 3: bad number" "$tmp/err"
ok $? "a malformed line: exit 1, named, the other 9 listed ($(head -c 70 "$tmp/err"))"
head -n 5 "$FIX/files.txt" >"$tmp/cut"
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$tmp/cut" -n -r -o INO \
	>"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "truncated" "$tmp/err"
ok $? "a listing without its walk line: exit 1, truncated"

# snapshot and diff: ino 15 grows, ino 12 goes, ino 50 is new
expect_rc 0 "files --snapshot" L --snapshot "$tmp/fsnap" -n -r -o INO
head -n 1 "$tmp/fsnap" | grep -q "^# pcinspect files snapshot 1 page_size=" &&
	[ "$(grep -c . "$tmp/fsnap")" = 11 ]
ok $? "files snapshot: a header and 10 entries"
sed -e 's/^ext4 254:0 15 \([0-9a-f]*\) 900 /ext4 254:0 15 \1 1000 /' \
	-e 's/^ext4 254:0 12 \([0-9a-f]*\) 37 /ext4 254:0 50 \1 37 /' "$FIX/files.txt" >"$tmp/now"
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$tmp/now" \
	--mountinfo "$FIX/mountinfo" --diff "$tmp/fsnap" -n -r \
	-o CHANGE,DPAGES,INO,DCACHED >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && [ "$(cat "$tmp/out")" = "changed 100 15 +400K
gone -37 12 -148K
new 37 50 +148K" ]
ok $? "files --diff: changed, gone, new, largest change first, same left out (exit $rc)"
# the same file for both: what changed since the previous listing
cp "$tmp/fsnap" "$tmp/fsnap2"
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$tmp/now" \
	--mountinfo "$FIX/mountinfo" --diff "$tmp/fsnap2" \
	--snapshot "$tmp/fsnap2" -n -r -o CHANGE >"$tmp/out" 2>&1
PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$tmp/now" \
	--mountinfo "$FIX/mountinfo" --diff "$tmp/fsnap2" \
	--snapshot "$tmp/fsnap2" -n -r -o CHANGE >>"$tmp/out" 2>&1
[ "$(tr '\n' ' ' <"$tmp/out")" = "changed gone new " ]
ok $? "--diff S --snapshot S twice: three changes, then none ($(tr '\n' ' ' <"$tmp/out"))"
expect_rc 1 "files --diff of a file snapshot" L --diff "$tmp/snap"
grep -q "not a pcinspect files snapshot" "$tmp/err"
ok $? "files --diff refuses a per-file snapshot"

expect_rc 0 "files --watch 0.1 --count 2" L --watch 0.1 --count 2 --top 1
[ "$(grep -c "^CACHED" "$tmp/out")" = 2 ]
ok $? "files --watch --count 2: two listings"
# --diff S --watch: the first listing against S, the next against the
# first (the same --from listing: nothing changed)
L2() {
	PCINSPECT_SYSFS="$FIX/sys" "$P" files --from "$tmp/now" \
		--mountinfo "$FIX/mountinfo" "$@"
}
expect_rc 0 "files --diff S --watch --count 2" L2 --diff "$tmp/fsnap" \
	--watch 0.1 --count 2 -r -o CHANGE,INO
[ "$(grep -c -e '^changed' -e '^gone' -e '^new' "$tmp/out")" = 3 ]
ok $? "files --diff --watch: the second listing from the first (3 changes in all)"
expect_rc 0 "files --snapshot S --diff S --watch, S missing" L \
	--snapshot "$tmp/fnone" --diff "$tmp/fnone" --watch 0.1 --count 2 \
	-r -o CHANGE,INO
[ "$(grep -c '^new' "$tmp/out")" = 10 ] &&
	[ "$(grep -c -e '^changed' -e '^gone' "$tmp/out")" = 0 ] &&
	grep -q "no snapshot yet" "$tmp/err" && [ -s "$tmp/fnone" ]
ok $? "files: a missing --diff file is an empty baseline: 10 new, then none"
[ "$(grep -cE "$stamp_re" "$tmp/out")" = 2 ]
ok $? "files --watch: a time line per listing"
# nothing changed: the header still says that the diff ran
L2 --diff "$tmp/fsnap2" -r >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] &&
	[ "$(cat "$tmp/out")" = "CHANGE DCACHED CACHED DDIRTY DWRITEBACK FS PATH" ]
ok $? "files --diff, nothing changed: the header alone (exit $rc: $(cat "$tmp/out"))"

# lockdown stand-in: root cannot open an immutable file for writing
# either (EPERM, what lockdown answers for files-query)
mkdir -p "$tmp/ld" "$tmp/ldsys/module/pcinspect/parameters"
cp "$tmp/dbg1/version" "$tmp/ld/version"
cp "$FIX/files.txt" "$tmp/ld/files"
: >"$tmp/ld/files-query"
param=$tmp/ldsys/module/pcinspect/parameters/files_options
printf '(null)\n' >"$param"
if chattr +i "$tmp/ld/files-query" 2>/dev/null &&
	! (exec 3<>"$tmp/ld/files-query") 2>/dev/null; then
	PCINSPECT_DEBUGFS="$tmp/ld" PCINSPECT_SYSFS="$tmp/ldsys" "$P" files \
		--fs tmpfs -n -r -o INO --summary >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 0 ] && [ "$(head -n 2 "$tmp/out" | tr '\n' ' ')" = "7 5 " ] &&
		grep -q "lockdown" "$tmp/err" &&
		[ "$(grep -c '^tmpfs' "$tmp/out")" = 2 ] &&
		! grep -q '^ext4' "$tmp/out"
	ok $? "lockdown stand-in: files with empty files_options, selected in the reader, said so (exit $rc)"
	PCINSPECT_DEBUGFS="$tmp/ld" PCINSPECT_SYSFS="$tmp/ldsys" "$P" files \
		--dev 254:48 -n -r --summary >"$tmp/out" 2>"$tmp/err"
	grep -q "^bdev 254:48 *1 *64 " "$tmp/out"
	ok $? "lockdown stand-in: --dev of a block device gets its own total"
	printf 'fs=xfs\n' >"$param"
	PCINSPECT_DEBUGFS="$tmp/ld" PCINSPECT_SYSFS="$tmp/ldsys" "$P" files \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 1 ] && [ ! -s "$tmp/out" ] &&
		grep -q 'files_options "fs=xfs"' "$tmp/err" &&
		[ "$(cat "$param")" = fs=xfs ]
	ok $? "lockdown stand-in: files_options set by someone else: refused, left alone (exit $rc)"
	chattr -i "$tmp/ld/files-query"
else
	chattr -i "$tmp/ld/files-query" 2>/dev/null
	skip "lockdown stand-in" "no chattr +i here"
	skip "lockdown stand-in" "no chattr +i here"
	skip "lockdown stand-in" "no chattr +i here"
fi

# --- lru: the LRU lists -------------------------------------------------------
# LR: lru on the fixture lru text; LF: lru --files on the fixture
# lru-files text, named with the fixture listing and mountinfo
LR() {
	"$P" lru --from "$FIX/lru.txt" "$@"
}
LF() {
	PCINSPECT_SYSFS="$FIX/sys" "$P" lru --files \
		--from "$FIX/lru-files.txt" --listing "$FIX/files.txt" \
		--mountinfo "$FIX/mountinfo" "$@"
}

expect_rc 2 "lru with an operand" "$P" lru x
expect_rc 2 "lru --view nope" "$P" lru --view nope
expect_rc 2 "lru --memcg --gen" "$P" lru --memcg --gen
expect_rc 2 "lru --list without --files" "$P" lru --list active_file
expect_rc 2 "lru --top without --files" "$P" lru --top 3
expect_rc 2 "lru --files --list age4" "$P" lru --files --list age4
expect_rc 2 "lru --files --list nope" "$P" lru --files --list nope
expect_rc 2 "lru --files --top x" "$P" lru --files --top x
expect_rc 2 "lru -o NOPE" "$P" lru -o NODE,NOPE
expect_rc 2 "lru -o MEMCG in the zone view" "$P" lru -o MEMCG
grep -q "column MEMCG is not in the zone view" "$tmp/err"
ok $? "a column of another view named on stderr"
expect_rc 2 "lru -o NODE_PAGES (not an amount)" "$P" lru -o NODE_PAGES
expect_rc 2 "lru --count without --watch" "$P" lru --count 2
expect_rc 2 "lru --watch 0" "$P" lru --watch 0
[ ! -s "$tmp/out" ]
ok $? "lru usage errors print nothing on stdout"

expect_rc 0 "lru -H" "$P" lru -H
missing=
for c in NODE ZONE LIST FROM WALKED COUNTER DIFF ZONEINFO ID MEMCG STATE \
	VIEW SEQ AGE GEN AGE_MS TYPE LISTED FLAGGED MAX_SEQ ENABLED DEV INO \
	LRU INACTIVE_ANON ACTIVE_ANON INACTIVE_FILE ACTIVE_FILE UNEVICTABLE \
	AGE0 AGE1 AGE2 AGE3 FS NAME PATH CACHED; do
	grep -q "^ *$c  [a-zA-Z\"]" "$tmp/out" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "lru -H lists every column with its meaning${missing:+ (missing:$missing)}"
expect_rc 0 "lru --help" "$P" lru --help
grep -q "pcinspect lru \[options\]" "$tmp/out"
ok $? "lru --help: its options"

# without the module: nothing else walks the lists
expect_rc 1 "lru without the module" env PCINSPECT_DEBUGFS="$tmp/nodir" \
	"$P" lru
grep -q "lru needs the pcinspect module" "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "lru without the module: says so, prints nothing"
expect_rc 1 "lru --files without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" lru --files
expect_rc 1 "lru with a module of format 5" env PCINSPECT_DEBUGFS="$tmp/dbg" \
	"$P" lru
grep -q "format 5, this pcinspect reads formats 2 to 4" "$tmp/err" &&
	[ ! -s "$tmp/out" ]
ok $? "lru: unknown module format refused"
# a stand-in module: version of format 2, lru as the fixture
mkdir "$tmp/dbgl"
cp "$tmp/dbg1/version" "$tmp/dbgl/version"
expect_rc 1 "lru of a module without an lru file" \
	env PCINSPECT_DEBUGFS="$tmp/dbgl" "$P" lru
grep -q "no LRU walk" "$tmp/err"
ok $? "a module without lru: named as such ($(head -c 70 "$tmp/err"))"
cp "$FIX/lru.txt" "$tmp/dbgl/lru"
expect_rc 0 "lru through a stand-in module" \
	env PCINSPECT_DEBUGFS="$tmp/dbgl" "$P" lru -n -r -o WALKED_PAGES
[ "$(head -n 1 "$tmp/out")" = 1200 ] && [ "$(grep -c . "$tmp/out")" = 10 ]
ok $? "stand-in lru: the 10 zone rows"
sed 's/^# pcinspect lru format 2$/# pcinspect lru format 5/' "$FIX/lru.txt" \
	>"$tmp/lru2"
expect_rc 1 "lru header of format 5" LR --from "$tmp/lru2"
grep -q "unsupported lru format 5" "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "lru format 5 refused with a clear message ($(head -c 70 "$tmp/err"))"
expect_rc 1 "lru-files text without --files" "$P" lru \
	--from "$FIX/lru-files.txt"
grep -q "add --files" "$tmp/err"
ok $? "lru-files text without --files: says add --files"

# the zone view
expect_rc 0 "lru" LR
[ "$(head -n 1 "$tmp/out" | tr -s ' ')" = "NODE ZONE LIST WALKED COUNTER DIFF ZONEINFO FROM" ]
ok $? "lru: the zone columns by default"
expect_rc 0 "lru -r -n" LR -r -n
grep -qx "0 DMA32 active_anon 3.1M 3.1M -4K 3.1M lists" "$tmp/out" &&
	grep -qx "0 DMA32 unevictable 12K 12K 0B 12K frames" "$tmp/out"
ok $? "lru: human sizes, a negative DIFF, unevictable from frames"
expect_rc 0 "lru -b" LR -b -n -r -o WALKED,DIFF,WALKED_PAGES
sed -n 2p "$tmp/out" | grep -qx "3276800 -4096 800" &&
	sed -n 6p "$tmp/out" | grep -qx "18446744073709551615 4096 18446744073709551615"
ok $? "lru -b: bytes, pages, 2^64 - 1 pages not wrapped ($(sed -n 6p "$tmp/out"))"

# memcg and gen views
expect_rc 0 "lru --memcg" LR --memcg -n -r -o MEMCG,STATE,LIST,WALKED,DIFF
[ "$(cat "$tmp/out")" = "/ online inactive_file 7M 0B
/ online unevictable - -
/system.slice/my\\x20app.service online inactive_file 992K -8K
/gone dying active_file 48K 0B" ]
ok $? "lru --memcg: paths, state, walked=- for unevictable"
expect_rc 0 "lru --gen" LR --view gen -n -r -o MEMCG,SEQ,AGE,GEN,TYPE,FLAGGED_PAGES,COUNTER_PAGES,DIFF_PAGES,MAX_SEQ
[ "$(cat "$tmp/out")" = "/ 7 0 3 file 41 41 0 7
/ - - 0 anon 2 -1 3 7
/system.slice/my\\x20app.service 10 2 2 file 248 250 -2 12" ]
ok $? "lru --gen: seq=- age=-, a negative counter, MAX_SEQ from lrugen"

if command -v python3 >/dev/null; then
	expect_rc 0 "lru --memcg -J --summary" LR --memcg -J --summary
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d) == ["memcg", "walk"], sorted(d)
m = d["memcg"]
assert len(m) == 4, m
assert m[1]["walked"] is None and m[1]["diff"] is None, m[1]
assert m[1]["counter"] == 3 * 4096, m[1]
assert m[2]["memcg"] == "/system.slice/my app.service", m[2]
assert m[2]["id"] == 7 and m[2]["diff"] == -2 * 4096, m[2]
w = d["walk"]
assert isinstance(w, dict), w
assert w["max_hold_ns"] == 91210 and w["restarts"] == 2, w
assert w["incomplete"] == 0 and w["lruvecs"] == 6, w
' "$tmp/out" 2>"$tmp/err"
	ok $? "lru --memcg -J --summary: null for -, signed bytes, the walk $(tail -1 "$tmp/err")"
	expect_rc 0 "lru -J zone" LR -J
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
z = d["zone"]
assert len(z) == 10 and z[5]["walked"] == 2**64 - 1, z[5]
assert z[1]["diff"] == -4096 and z[1]["node"] == 0, z[1]
' "$tmp/out" 2>"$tmp/err"
	ok $? "lru -J: bytes, clamped at 2^64 - 1, negative diff $(tail -1 "$tmp/err")"
	expect_rc 0 "lru --files -J" LF -J --top 2
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["files"]
assert len(f) == 2, f
assert f[0]["path"] == "[254:0] ino 99" and f[0]["name"] is None, f[0]
assert f[1]["path"] == "/var/log/syslog" and f[1]["fs"] == "ext4", f[1]
assert f[1]["lru_pages"] == 900 and f[1]["active_file"] == 800 * 4096, f[1]
' "$tmp/out" 2>"$tmp/err"
	ok $? "lru --files -J: names, pages, bytes $(tail -1 "$tmp/err")"
else
	for i in 1 2 3; do skip "lru JSON" "no python3"; done
fi
expect_rc 0 "lru --summary" LR --summary
grep -q "^LRUVECS .*COUNTED .*MAX_HOLD *HOLD *LOCK *RESTARTS *INCOMPLETE" "$tmp/out"
ok $? "lru --summary: the walk table, counted and the holds"
awk '/^LRUVECS/ { getline; exit !($9 == "91.2us" && $10 == "0ns") }' "$tmp/out"
ok $? "lru --summary: holds as durations ($(grep -A1 '^LRUVECS' "$tmp/out" | tail -1 | cut -c1-70))"
expect_rc 0 "lru --summary -b" LR --summary -b
grep -q "MAX_HOLD_NS *HOLD_NS" "$tmp/out"
ok $? "lru --summary -b: holds in nanoseconds"

# the files view
expect_rc 0 "lru --files" LF -n -r -o INO,LRU_PAGES,PATH
[ "$(cat "$tmp/out")" = "99 18446744073709551615 [254:0]\\x20ino\\x2099
15 900 /var/log/syslog
7 64 /dev/shm/shm\\x5cx
12 37 /dir/closed\\x20file
4242 20 [254:0]\\x20ino\\x204242
266338352 16 [254:48]\\x20ino\\x20266338352
16 1 [254:0]\\x20ino\\x2016" ]
ok $? "lru --files: most pages first, named through the listing, [MAJ:MIN] ino N otherwise"
grep -q "1 list(s) given up after 8 restarts" "$tmp/err"
ok $? "lru --files: incomplete=1 said on stderr"
expect_rc 0 "lru --files --list active_file --top 2" LF --list active_file \
	--top 2 -n -r -o INO,ACTIVE_FILE_PAGES
[ "$(tr '\n' ' ' <"$tmp/out")" = "15 800 4242 15 " ]
ok $? "--list active_file --top 2 ($(tr '\n' ' ' <"$tmp/out"))"
expect_rc 0 "lru --files --list age0 shows AGE0" LF --list age0 --top 1
head -n 1 "$tmp/out" | grep -q "AGE0"
ok $? "--list age0: its column shown by default"
seq 1 30 | awk '{ printf "254:0 %d %016x %d 0 0 %d 0 0 0 0 0 0\n", 1000 + $1, $1, $1, $1 }' \
	>"$tmp/many"
{ head -n 1 "$FIX/lru-files.txt"; cat "$tmp/many"; tail -n 1 "$FIX/lru-files.txt"; } \
	>"$tmp/lruf"
"$P" lru --files --from "$tmp/lruf" -n -r -o INO >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && [ "$(grep -c . "$tmp/out")" = 20 ] &&
	[ "$(head -n 1 "$tmp/out")" = 1030 ] &&
	grep -q "no names: the module is not loaded" "$tmp/err"
ok $? "lru --files: 20 by default; without module or --listing, no names, said (exit $rc)"
"$P" lru --files --from "$tmp/lruf" --top 0 -n -r -o INO >"$tmp/out" 2>/dev/null
[ "$(grep -c . "$tmp/out")" = 30 ]
ok $? "lru --files --top 0: all 30"

# malformed lines: reported, skipped, exit 1
sed 's/^zone node=0 zone=DMA32 list=active_file .*/zone node=0 zone=DMA32 list=active_file walked=x/' \
	"$FIX/lru.txt" >"$tmp/badlru"
"$P" lru --from "$tmp/badlru" -n -r -o LIST >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ "$(grep -c . "$tmp/out")" = 9 ] &&
	grep -q "line 5: .*walked.*(skipped)" "$tmp/err"
ok $? "lru: a malformed line: exit 1, named, the other 9 shown ($(head -c 70 "$tmp/err"))"
head -n 5 "$FIX/lru.txt" >"$tmp/cut"
expect_rc 1 "lru: a copy without its walk line" "$P" lru --from "$tmp/cut"
grep -q "truncated" "$tmp/err" && [ ! -s "$tmp/out" ]
ok $? "lru: truncated copy refused"
expect_rc 0 "lru --watch 0.1 --count 2" LR --watch 0.1 --count 2
[ "$(grep -c "^NODE" "$tmp/out")" = 2 ]
ok $? "lru --watch --count 2: two reports"
[ "$(grep -cE "$stamp_re" "$tmp/out")" = 2 ]
ok $? "lru --watch: a time line per walk"

# --- make install: where PREFIX and DESTDIR say, with the modes -------------
udir=$(cd "$(dirname "$0")/.." && pwd)
make -s -C "$udir" install DESTDIR="$tmp/root" PREFIX=/usr >"$tmp/log" 2>&1
ok $? "make install DESTDIR=... PREFIX=/usr ($(tail -n 1 "$tmp/log"))"
bin=$tmp/root/usr/bin/pcinspect
man=$tmp/root/usr/share/man/man8/pcinspect.8
[ -x "$bin" ] && [ "$(stat -c %a "$bin")" = 755 ]
ok $? "the reader in /usr/bin (file serves users through cachestat), mode 755"
comp=$tmp/root/usr/share/bash-completion/completions/pcinspect
[ -f "$comp" ] && bash -n "$comp"
ok $? "bash completion installed, valid bash"
[ -f "$man" ] && [ "$(stat -c %a "$man")" = 644 ] &&
	grep -q '^\.TH PCINSPECT 8' "$man"
ok $? "the man page in /usr/share/man/man8, mode 644, section 8"
"$bin" --version >"$tmp/out" 2>&1
ok $? "the installed reader runs: $(cat "$tmp/out")"

tap_done
