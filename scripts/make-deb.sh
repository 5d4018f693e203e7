#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make-deb.sh [OUTDIR]: build the Debian packages pcinspect-dkms (module
# sources for DKMS) and pcinspect (the reader) with dpkg-buildpackage, in a
# copy of the tree so that the working tree stays clean. Copies the .debs
# to OUTDIR (default dist/) and prints their paths.
#
# packaging/debian has no changelog: it is written here from dkms.conf's
# PACKAGE_VERSION, the project's one version (a native package, so the
# Debian version is that version exactly).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

out=${1:-$PCI_TOP/dist}
pci_need_host_pkgs

version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$PCI_TOP/dkms.conf")
[ -n "$version" ] || die "no PACKAGE_VERSION in dkms.conf"
# The changelog date: the last commit's, so that rebuilds are reproducible.
epoch=$(git -C "$PCI_TOP" log -1 --format=%ct 2>/dev/null || date +%s)

work=$(mktemp -d "${TMPDIR:-/tmp}/pcinspect-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src=$work/pcinspect-$version
# Build outputs of the working tree stay out: the package builds its own.
rsync -a --exclude .git --exclude /dist --exclude generated \
	--exclude '*.o' --exclude '*.ko' --exclude '*.cmd' --exclude '*.mod*' \
	--exclude selftests/out --exclude userspace/out --exclude /debian \
	"$PCI_TOP/" "$src/"
cp -a "$PCI_TOP/packaging/debian" "$src/debian"
cat >"$src/debian/changelog" <<EOT
pcinspect ($version) unstable; urgency=medium

  * pcinspect $version, built by scripts/make-deb.sh.

 -- pcinspect developers <pcinspect@localhost>  $(date -R -u -d "@$epoch")
EOT

log "building Debian packages for pcinspect $version"
if ! (cd "$src" && SOURCE_DATE_EPOCH=$epoch dpkg-buildpackage -us -uc -b \
	>"$work/build.log" 2>&1); then
	tail -40 "$work/build.log" >&2
	die "dpkg-buildpackage failed"
fi
mkdir -p "$out"
for p in pcinspect-dkms pcinspect; do
	deb=$(ls "$work/${p}_${version}_"*.deb)
	cp "$deb" "$out/"
	echo "$out/$(basename "$deb")"
done
