#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# install_test.sh: "make install" puts the reader and its man page where
# PREFIX and DESTDIR say, with their modes, and the installed reader runs.
# TAP output.

dir=$(cd "$(dirname "$0")/.." && pwd)
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

echo "TAP version 13"
make -s -C "$dir" install DESTDIR="$tmp/root" PREFIX=/usr >"$tmp/log" 2>&1
ok $? "make install DESTDIR=... PREFIX=/usr ($(tail -n 1 "$tmp/log"))"
bin=$tmp/root/usr/sbin/pcinspect
man=$tmp/root/usr/share/man/man8/pcinspect.8
[ -x "$bin" ] && [ "$(stat -c %a "$bin")" = 755 ]
ok $? "the reader in /usr/sbin, mode 755"
[ -f "$man" ] && [ "$(stat -c %a "$man")" = 644 ] &&
	grep -q '^\.TH PCINSPECT 8' "$man"
ok $? "the man page in /usr/share/man/man8, mode 644, section 8"
"$bin" --version >"$tmp/out" 2>&1
ok $? "the installed reader runs: $(cat "$tmp/out")"
echo "1..$n"
[ $failed = 0 ]
