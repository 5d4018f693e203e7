#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-test.sh KERNEL [TEST...]: build the module and the selftests, boot
# KERNEL (a name of scripts/kernels.conf, or debug) and run the named
# selftests there (default: all of them), as check.sh does for one kernel
# but without the DKMS step. Prints the TAP; exits as vm-run.sh does
# (0 all passed, 1 a test failed, 3 kernel log bugs, ...). For the edit,
# build, test loop of one feature:
#   ./scripts/vm-test.sh 6.12 files_test iface_test
# Environment: PCI_VM_ARGS, extra vm-run.sh options (e.g. "--keep").
set -euo pipefail
source "$(dirname "$0")/lib.sh"

kernel=${1:?usage: vm-test.sh KERNEL [TEST...]}
shift
if [ "$kernel" = debug ]; then
	env=$("$PCI_TOP/scripts/build-debug-kernel.sh")
else
	env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
fi
ko=$("$PCI_TOP/scripts/build-module.sh" "$env")
gt=$("$PCI_TOP/scripts/build-guest-tools.sh" "$env")
payload=$PCI_CACHE/payload/test-$kernel
rm -rf "$payload"
mkdir -p "$payload/selftests"
cp -a "$gt/selftests/." "$payload/selftests/"
if [ $# -gt 0 ]; then
	printf '%s\n' "$@" >"$payload/selftests/TESTS"
fi
cp "$ko" "$(dirname "$ko")/pcinspect_walk_test.ko" "$payload/"
cp "$gt/pcinspect" "$payload/pcinspect-reader"
append=()
[ "$kernel" = debug ] && append=(--append kmemleak=on)
# shellcheck disable=SC2086
exec "$PCI_TOP/scripts/vm-run.sh" --payload "$payload" --timeout 3600 \
	"${append[@]}" --bins "dmsetup mkfs.ext4 chattr $gt/pcinspect" \
	${PCI_VM_ARGS:-} "$env"
