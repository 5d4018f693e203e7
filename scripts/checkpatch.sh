#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: the kernel's checkpatch.pl --strict (from Debian's
# linux-source package, see fetch-source.sh) over every C source and header
# of the module and the reader. Exit status 1 on any warning, error or
# check. The reader is userspace: the standard C types and attributes are
# right there.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

tools=$("$PCI_TOP/scripts/fetch-source.sh")
cd "$PCI_TOP"
# In a checkout, what git knows (generated files left out); in a tarball or
# an exported tree, the same directories as they are.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -co --exclude-standard -- \
		'module/*.[ch]' 'module/probes/*.c' 'userspace/*.[ch]' | sort -u)
else
	mapfile -t files < <(ls module/*.[ch] module/probes/*.c userspace/*.[ch] | sort -u)
fi
[ ${#files[@]} -gt 0 ] || die "checkpatch: no sources found under $PCI_TOP"
status=0
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	ignore=FILE_PATH_CHANGES
	# userspace has neither the kernel's types nor its attribute macros
	case $f in userspace/*) ignore=$ignore,PREFER_KERNEL_TYPES,PREFER_DEFINED_ATTRIBUTE_MACRO ;; esac
	out=$(perl "$tools/scripts/checkpatch.pl" --no-tree --strict --terse \
		--show-types --ignore "$ignore" -f "$f" 2>&1) || {
		echo "$out"
		status=1
	}
done
[ $status = 0 ] && log "checkpatch --strict: ${#files[@]} files clean"
exit $status
