#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-source.sh: put Debian's linux-source-6.12 tarball into the cache and
# extract from it the few files the project uses outside a kernel tree:
#   tools/testing/selftests/kselftest*.h   (the selftests' harness)
#   scripts/checkpatch.pl + its data files (style checks)
#   .clang-format
# Prints the tools directory, $PCI_CACHE/src/linux-source-VER-tools, which
# keeps the kernel tree's layout (checkpatch finds its data files next to
# itself) and holds source.env: SRCVER SRCSUITE TARBALL.
# The .tar.xz is kept: build-debug-kernel.sh needs the whole tree.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

pkg=linux-source-6.12
# Only bookworm's suites: their 6.12 builds with the host's gcc-12.
suites="bookworm-security bookworm-backports"
src=$PCI_CACHE/src
link=$src/$pkg-tools

# The newest version of $pkg that any of $suites publishes, as
# "VERSION SUITE". madison's order is apt's, so compare versions here.
newest_version() {
	local v s best= best_suite=
	while read -r v s; do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
			best_suite=$s
		fi
	done < <(pci_apt_cache madison "$pkg" | awk -F' *[|] *' -v want="$suites" '
		BEGIN { n = split(want, w, " ") }
		{ for (i = 1; i <= n; i++)
			if (index($3, " " w[i] "/")) print $2, w[i] }')
	[ -n "$best" ] && echo "$best $best_suite"
}

pci_need_host_pkgs

# Offline, or with the mirror down, reuse whatever was fetched last time
# rather than failing: the files hardly change between 6.12 updates.
if ! (pci_apt_update); then
	if [ -f "$link/source.env" ]; then
		log "apt lists not refreshed: reusing $(readlink -f "$link")"
		readlink -f "$link"
		exit 0
	fi
	die "cannot refresh apt lists and nothing cached in $src"
fi

read -r ver suite < <(newest_version) ||
	die "no $pkg in $suites (see $PCI_APT/update.log)"
tarball=$src/linux-source-$ver.tar.xz
tools=$src/linux-source-$ver-tools

mkdir -p "$src"
# CI, make and a developer may run this at the same time.
exec 9>"$src/.lock"
flock 9

if [ -f "$tools/source.env" ] && [ -f "$tarball" ]; then
	ln -sfn "${tools##*/}" "$link"
	echo "$tools"
	exit 0
fi

if [ ! -f "$tarball" ]; then
	log "downloading $pkg $ver ($suite)"
	tmp=$src/download.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	(cd "$tmp" && pci_apt download "$pkg=$ver" >download.log 2>&1) ||
		die "download failed: $tmp/download.log"
	# The .deb wraps the tarball: keep only the tarball (~150 MB).
	dpkg-deb --fsys-tarfile "$tmp/${pkg}_"*.deb |
		tar -xO "./usr/src/$pkg.tar.xz" >"$tarball.tmp"
	mv "$tarball.tmp" "$tarball"
	rm -rf "$tmp"
fi

log "extracting headers and checkpatch from $tarball"
rm -rf "$tools.tmp"
mkdir -p "$tools.tmp"
# One pass over the tarball (decompressing it is what takes the time).
# checkpatch.pl opens, relative to itself: spelling.txt,
# const_structs.checkpatch, typedefs files given by option, and
# ../Documentation/dev-tools/checkpatch.rst for --verbose.
tar -xJf "$tarball" -C "$tools.tmp" --strip-components=1 --wildcards \
	"$pkg/.clang-format" \
	"$pkg/scripts/checkpatch.pl" \
	"$pkg/scripts/spelling.txt" \
	"$pkg/scripts/const_structs.checkpatch" \
	"$pkg/Documentation/dev-tools/checkpatch.rst" \
	"$pkg/tools/testing/selftests/kselftest*"

# Check what the tarball gave: a missing file should fail here, not later
# in a style check that silently skips it.
for f in .clang-format scripts/checkpatch.pl scripts/spelling.txt \
	 scripts/const_structs.checkpatch \
	 tools/testing/selftests/kselftest.h \
	 tools/testing/selftests/kselftest_harness.h; do
	[ -f "$tools.tmp/$f" ] || die "$pkg $ver has no $f"
done
# Any header the harness includes by quotes must be here too.
for f in tools/testing/selftests/kselftest.h \
	 tools/testing/selftests/kselftest_harness.h; do
	for inc in $(sed -n 's/^#include "\(.*\)"/\1/p' "$tools.tmp/$f"); do
		[ -f "$tools.tmp/tools/testing/selftests/$inc" ] ||
			die "$f includes $inc, which was not extracted"
	done
done

cat >"$tools.tmp/source.env" <<EOT
SRCVER="$ver"
SRCSUITE="$suite"
TARBALL="$tarball"
EOT
rm -rf "$tools"
mv "$tools.tmp" "$tools"
ln -sfn "${tools##*/}" "$link"
# Older versions are 150 MB each and nothing uses them any more
# (build-debug-kernel.sh holds this lock shared while it reads a tarball).
for f in "$src"/linux-source-*.tar.xz "$src"/linux-source-*-tools; do
	case $f in
	"$tarball" | "$tools" | "$link") ;;
	*) rm -rf "$f" ;;
	esac
done
echo "$tools"
