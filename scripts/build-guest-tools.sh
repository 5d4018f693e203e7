#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-guest-tools.sh ARCH|KERNEL_ENV: build what a guest of ARCH (amd64,
# arm64; or of the kernel a kernel.env describes, by its KARCH) runs
# besides the module: the selftests and the reader, static programs both.
# Prints a directory holding selftests/ and pcinspect (the reader). arm64
# is cross-built with Debian's gcc-aarch64-linux-gnu and the static libc
# of libc6-dev-arm64-cross.
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
	mk=(CC=aarch64-linux-gnu-gcc)
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
