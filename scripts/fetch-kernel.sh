#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh NAME: put a Debian kernel (image, modules, headers) from
# scripts/kernels.conf into the cache and print the path of its kernel.env,
# which describes how to build against it and boot it:
#   KNAME KVER VMLINUZ MODROOT KDIR BUILD_CHROOT MAKE_ARGS
# Nothing is installed on the host: packages are unpacked with dpkg-deb.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

name=${1:?usage: fetch-kernel.sh NAME}
read -r suite status flavour < <(awk -v n="$name" \
	'$1 == n { print $2, $3, ($4 == "" ? "amd64" : $4) }' \
	"$PCI_TOP/scripts/kernels.conf") ||
	die "unknown kernel '$name' (see scripts/kernels.conf)"

pci_need_host_pkgs
pci_apt_update

# The metapackage version published in $suite, e.g. 6.12.95-1~bpo12+1.
# Experimental's metapackages name the release candidate of the day
# (7.3~rc7-1~exp1): a new rc there is picked up without an edit.
meta_version() {
	pci_apt_cache madison "$1" | awk -F' *[|] *' -v s=" $suite/" \
		'index($3, s) { print $2; exit }'
}

mver=$(meta_version "linux-image-$flavour")
[ -n "$mver" ] || die "no linux-image-$flavour in $suite"
# The image metapackage depends on linux-image-KV (= ver): KV is the release
# (6.12.95+deb12-rt-amd64; experimental's are short: 7.3-amd64).
kver=$(pci_apt_cache show "linux-image-$flavour=$mver" | sed -n \
	"s/^Depends:.*linux-image-\([0-9][^ ,]*-$flavour\) (=.*/\1/p" | head -1)
[ -n "$kver" ] || die "cannot resolve the kernel release of $suite"
pver=$(pci_apt_cache show "linux-image-$kver" | sed -n 's/^Version: //p' | head -1)

# The package version is part of the name: experimental's release stays
# 7.3-amd64 from one rc to the next.
dir=$PCI_CACHE/kernels/$name-$kver-$(echo "$pver" | tr '~+:' '___')
env=$dir/kernel.env
# A directory made for cross-building only (no image) does not serve a
# kernel that is now booted.
if [ -f "$env" ] && { [ "$status" != supported ] ||
	grep -qs '^VMLINUZ=.' "$env"; }; then
	# The status is kernels.conf's, which may have changed since.
	grep -qx "KSTATUS=$status" "$env" || sed -i "s/^KSTATUS=.*/KSTATUS=$status/" "$env"
	ln -sfn "${dir##*/}" "$PCI_CACHE/kernels/$name"
	echo "$env"
	exit 0
fi

log "fetching Debian kernel $kver ($suite, $status, flavour $flavour)"
rm -rf "$dir.tmp"
mkdir -p "$dir.tmp/debs" "$dir.tmp/root" "$dir.tmp/hdr"

# Package names differ: 7.2 splits the image into binary + modules.
img_pkgs=()
# linux-base holds the config and modules.builtin there.
if pci_apt_cache show "linux-binary-$kver" >/dev/null 2>&1; then
	img_pkgs=("linux-binary-$kver" "linux-modules-$kver")
	pci_apt_cache show "linux-base-$kver" >/dev/null 2>&1 &&
		img_pkgs+=("linux-base-$kver")
elif pci_apt_cache show "linux-image-$kver-unsigned" >/dev/null 2>&1; then
	img_pkgs=("linux-image-$kver-unsigned")
else
	img_pkgs=("linux-image-$kver")
fi
# Refused kernels are only built against, compiled ones (another
# architecture: arm64) only cross-built: no image for either.
[ "$status" = refused ] || [ "$status" = compiled ] && img_pkgs=()

hdr_pkgs=("linux-headers-$kver")
# The -common package: linux-headers-6.12.95+deb12-common(-rt), 7.3-common.
common=$(pci_apt_cache show "linux-headers-$kver=$pver" | sed -n \
	's/^Depends:.*\(linux-headers-[^ ,]*-common[^ ,]*\) .*/\1/p' | head -1)
kbuild=$(pci_apt_cache show "linux-headers-$kver=$pver" | sed -n \
	's/^Depends:.*\(linux-kbuild-[^ ,]*\).*/\1/p' | head -1)
hdr_pkgs+=("$common" "$kbuild")

(cd "$dir.tmp/debs" && pci_apt download "${img_pkgs[@]}" "${hdr_pkgs[@]}" \
	>download.log 2>&1) || die "download failed: $dir.tmp/debs/download.log"
for p in "${img_pkgs[@]}"; do
	dpkg-deb -x "$dir.tmp/debs/${p}"_*.deb "$dir.tmp/root"
done
for p in "${hdr_pkgs[@]}"; do
	dpkg-deb -x "$dir.tmp/debs/${p}"_*.deb "$dir.tmp/hdr"
done

modroot=$dir/root
[ -d "$dir.tmp/root/usr/lib/modules/$kver" ] && modroot=$dir/root/usr
vmlinuz=$(ls "$dir.tmp/root/boot/vmlinuz-$kver" \
	"$dir.tmp/root/usr/lib/modules/$kver/vmlinuz" 2>/dev/null | head -1 || true)
vmlinuz=${vmlinuz/#$dir.tmp/$dir}

# The headers' Makefile includes the -common tree by absolute path.
kdir=$dir/hdr/usr/src/linux-headers-$kver
sed -i "s|/usr/src/|$dir/hdr/usr/src/|g" "$dir.tmp/hdr/usr/src/linux-headers-$kver/Makefile"

build_chroot=
make_args=
# Debian's arm64 flavours all name the architecture (arm64, arm64-16k,
# rt-arm64, cloud-arm64): their guests boot in qemu-system-aarch64.
karch=amd64
case $flavour in *arm64*) karch=arm64 ;; esac
gcc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="gcc[^0-9]*\([0-9]*\)\..*/\1/p' \
	"$dir.tmp/hdr/usr/src/linux-headers-$kver/.config" | head -1)
host_gcc=$(gcc -dumpversion | cut -d. -f1)
if [ "$suite" = sid ] || [ "$suite" = experimental ]; then
	# Debian's newest kernels need the compiler and glibc of sid: build
	# inside a sid chroot that has the headers installed for real.
	# Experimental holds only the kernel: the rest comes from sid.
	build_chroot=$PCI_CACHE/chroot/sid-$kver
	kdir=/usr/src/linux-headers-$kver
	mirrors=("deb $(pci_mirror) sid main")
	[ "$suite" = experimental ] &&
		mirrors+=("deb $(pci_mirror) experimental main")
	if [ ! -f "$build_chroot/.complete" ] ||
	   ! cmp -s "$build_chroot/.version" <(echo "$pver"); then
		log "creating sid chroot for $kver $pver (mmdebstrap)"
		rm -rf "$build_chroot"
		mkdir -p "$(dirname "$build_chroot")"
		mmdebstrap --variant=essential --aptopt='Acquire::Check-Valid-Until "false"' \
			--include="make,linux-headers-$kver=$pver" sid "$build_chroot" \
			"${mirrors[@]}" >"$dir.tmp/mmdebstrap.log" 2>&1 ||
			die "mmdebstrap failed: $dir.tmp/mmdebstrap.log"
		echo "$pver" >"$build_chroot/.version"
		touch "$build_chroot/.complete"
	fi
elif [ -n "$gcc" ] && [ "$gcc" != "$host_gcc" ]; then
	# 5.10's headers name gcc-10; Debian's host gcc builds for it too.
	make_args="CC=gcc"
fi

cat >"$dir.tmp/kernel.env" <<EOT
KNAME=$name
KSUITE=$suite
KSTATUS=$status
KFLAVOUR=$flavour
KARCH=$karch
KPKGVER=$pver
KVER=$kver
VMLINUZ=$vmlinuz
MODROOT=$modroot
KDIR=$kdir
BUILD_CHROOT=$build_chroot
MAKE_ARGS="$make_args"
EOT
rm -rf "$dir.tmp/debs"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
ln -sfn "${dir##*/}" "$PCI_CACHE/kernels/$name"
echo "$env"
