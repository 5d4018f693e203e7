#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cli_test.sh PCINSPECT: host tests of the command line, no module needed:
# usage errors exit 2, failed files exit 1 without stopping the others,
# the cachestat/mincore fallbacks, JSON validity, --snapshot/--diff,
# --watch/--count, and the refusal of an unknown module format (through
# PCINSPECT_DEBUGFS pointing at a stand-in version file). TAP output.

P=${1:?usage: cli_test.sh PCINSPECT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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

# --- help and version -------------------------------------------------------
expect_rc 0 "--help" "$P" --help
missing=
for c in PATH SIZE CACHED PAGES DIRTY WRITEBACK EVICTED SWAPPED MAPPED \
	ACTIVE INACTIVE UNEVICTABLE NODES ORDERS MEMCGS SOURCE; do
	grep -q "^ *$c  " "$tmp/out" || missing="$missing $c"
done
[ -z "$missing" ]
ok $? "--help lists every column${missing:+ (missing:$missing)}"
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
[ "$(head -1 "$tmp/snap")" = "# pcinspect snapshot 1" ] &&
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

# --- module format checks through a stand-in directory ---------------------
mkdir "$tmp/dbg"
printf 'format: 2\nmodule: 9.9.9\n' >"$tmp/dbg/version"
expect_rc 1 "unknown module format" env PCINSPECT_DEBUGFS="$tmp/dbg" \
	"$P" file "$f"
grep -q "format 2, this pcinspect reads format 1" "$tmp/err"
ok $? "unknown format refused with a clear message"
[ ! -s "$tmp/out" ]
ok $? "nothing reported for an unknown format"
expect_rc 1 "--source module without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" file --source module "$f"
expect_rc 0 "--source auto without the module" \
	env PCINSPECT_DEBUGFS="$tmp/nodir" "$P" file "$f"

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ $failed = 0 ]
