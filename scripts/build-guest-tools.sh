#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-guest-tools.sh ARCH|KERNEL_ENV: build what a guest of ARCH (amd64,
# arm64; or of the kernel a kernel.env describes, by its KARCH) runs
# besides the module: the selftests (static programs) and the reader
# (linked against libsmartcols). Prints a directory holding selftests/ and
# pcinspect (the reader). arm64 is cross-built with Debian's
# gcc-aarch64-linux-gnu; the reader links against the arm64 libsmartcols
# of fetch-guest-root.sh's tree, which the guest also gets.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

arch=${1:?usage: build-guest-tools.sh ARCH|KERNEL_ENV}
if [ -f "$arch" ]; then
	arch=$(sed -n 's/^KARCH=//p' "$arch")
	arch=${arch:-amd64}
fi
tools=$("$PCI_TOP/scripts/fetch-source.sh")
ksft=$tools/tools/testing/selftests
out=$PCI_CACHE/guest-tools/$arch-$(printf '%s' "$PCI_TOP" | md5sum | cut -c1-8)
mk=()
case $arch in
amd64) ;;
arm64)
	root=$("$PCI_TOP/scripts/fetch-guest-root.sh" arm64)
	# The library file itself, not -L to the tree: its libc.so linker
	# script names absolute paths the cross linker would not find.
	mk=(CC=aarch64-linux-gnu-gcc
	    "SMARTCOLS_CFLAGS=-I$root/usr/include/libsmartcols"
	    "SMARTCOLS_LIBS=$root/usr/lib/aarch64-linux-gnu/libsmartcols.so.1")
	;;
*) die "build-guest-tools.sh: unknown architecture $arch" ;;
esac
mkdir -p "$out"
# Two kernels of one architecture may be tested at once.
(
	flock 9
	make -s -C "$PCI_TOP/selftests" OUT="$out/selftests" KSFT_DIR="$ksft" \
		"${mk[@]}" >&2
	make -s -C "$PCI_TOP/userspace" OUT="$out/reader" "${mk[@]}" \
		"$out/reader/pcinspect" >&2
	cp "$out/reader/pcinspect" "$out/pcinspect"
) 9>"$out.lock" || die "building the $arch selftests and reader failed"
echo "$out"
