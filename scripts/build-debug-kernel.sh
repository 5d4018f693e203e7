#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh [--config-only]: build a lockdep + KASAN kernel from
# Debian's linux-source-6.12 (see fetch-source.sh) with the options in
# scripts/debug-kernel.config, and print the path of its kernel.env, which
# has the same variables as fetch-kernel.sh's:
#   KNAME=debug KSUITE KSTATUS KVER VMLINUZ MODROOT KDIR BUILD_CHROOT MAKE_ARGS
# The result is cached under $PCI_CACHE/kernels/debug-SRCVER-HASH, HASH
# covering the config fragment and $recipe below; kernels/debug points to
# the newest, and the build before it is kept too. Only bzImage, the
# installed modules and the headers for out-of-tree builds are kept
# (~100 MB), plus the .config and the build log.
# A cold build took 49 min niced beside the rest of a cold check.sh run
# (2026-12-02, 1765 objects); the larger config before (2173) took 22 min
# alone on 2 quiet cores.
# --config-only: stop after the checked .config and print it on stdout.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

config_only=
case ${1:-} in
--config-only) config_only=1 ;;
"") ;;
*) die "usage: build-debug-kernel.sh [--config-only]" ;;
esac

frag=$PCI_TOP/scripts/debug-kernel.config
# Bump when a change here changes the kernel that comes out (build steps,
# the base configs): a rebuild takes 22 minutes, so edits that do not,
# such as comments, should not force one.
recipe=1

# The fragment's options, one "CONFIG_X=VALUE" a line, comments dropped.
# Anything else is a typo that would otherwise be silently ignored.
frag_options() {
	local line
	while IFS= read -r line; do
		case $line in
		'' | '#'*) ;;
		CONFIG_*=*) echo "$line" ;;
		*) die "$frag: bad line: $line" ;;
		esac
	done <"$frag"
}

# Apply the fragment to $1 (a .config) with the tree's scripts/config.
apply_fragment() {
	local opts
	mapfile -t opts < <(frag_options)
	pci_kconfig_set "$srcdir/scripts/config" "$1" "${opts[@]}"
}

# Compare the final .config $1 with every line of the fragment.
check_config() {
	local opts bad line
	mapfile -t opts < <(frag_options)
	bad=$(pci_kconfig_unmet "$1" "${opts[@]}")
	[ -z "$bad" ] && return 0
	while IFS= read -r line; do
		log "config: asked for $line"
	done <<<"$bad"
	die "$frag: options did not stick (missing dependencies?)"
}

# Run a build step with its output in the build log; on failure show the
# log's tail, since the log itself is in the cache, out of sight.
run() {
	if ! "$@" >>"$blog" 2>&1; then
		tail -n 40 "$blog" >&2
		die "failed: $*; full log: $blog"
	fi
}

pci_need_host_pkgs
tools=$("$PCI_TOP/scripts/fetch-source.sh")
# SRCVER SRCSUITE TARBALL
source "$tools/source.env"

frag_options >/dev/null
hash=$( { echo "recipe $recipe"; cat "$frag"; } | sha256sum | cut -c1-12)
name=debug-$SRCVER-$hash
dir=$PCI_CACHE/kernels/$name
env=$dir/kernel.env

mkdir -p "$PCI_CACHE/kernels"
# Two builds at once would take 20 minutes and share one temporary tree.
exec 9>"$PCI_CACHE/kernels/.debug.lock"
flock 9

if [ -f "$env" ] && [ -z "$config_only" ]; then
	ln -sfn "$name" "$PCI_CACHE/kernels/debug"
	echo "$env"
	exit 0
fi

# Leftovers of interrupted builds are 1.5 GB each; none is running (lock).
rm -rf "$PCI_CACHE"/kernels/debug-*.tmp
tmp=$dir.tmp
mkdir -p "$tmp"
blog=$tmp/build.log
srcdir=$tmp/linux-source-6.12
obj=$tmp/obj
# A failed build keeps its log in $tmp, but not the trees.
trap 'rm -rf "$srcdir" "$obj"' EXIT
start=$(date +%s)

log "extracting $TARBALL"
# Shared: fetch-source.sh deletes superseded tarballs under this lock.
flock -s "$PCI_CACHE/src/.lock" tar -xJf "$TARBALL" -C "$tmp"
[ -x "$srcdir/scripts/config" ] || die "unexpected layout in $TARBALL"

# A separate object tree: install-extmod-build reads both.
mk() { make -C "$srcdir" O="$obj" "$@"; }

log "configuring (defconfig + kvm_guest.config + $(basename "$frag"))"
run mk defconfig
run mk kvm_guest.config
apply_fragment "$obj/.config"
run mk olddefconfig
check_config "$obj/.config"
cp "$obj/.config" "$tmp/config"
if [ -n "$config_only" ]; then
	cat "$obj/.config"
	rm -rf "$tmp"
	exit 0
fi

log "building with $(nproc) jobs (~22 min on 2 cores); log: $blog"
run mk -j"$(nproc)" bzImage modules
# Only now: before the build, kernelrelease misses CONFIG_LOCALVERSION.
kver=$(mk -s kernelrelease)
[ -n "$kver" ] || die "no kernelrelease; log: $blog"

log "installing modules and headers"
# Stripped modules: a few MB instead of tens with KASAN's instrumentation.
run mk INSTALL_MOD_PATH="$tmp/root" INSTALL_MOD_STRIP=1 modules_install
cp "$obj/arch/x86/boot/bzImage" "$tmp/bzImage"
# The headers tree Debian's linux-headers packages are made of: enough for
# "make -C KDIR M=..." without the 1.5 GB build tree. It needs .config too.
run mk run-command \
	KBUILD_RUN_COMMAND="\${srctree}/scripts/package/install-extmod-build $tmp/hdr"
cp "$obj/.config" "$tmp/hdr/.config"
# modules_install pointed "build" at the object tree, deleted below.
ln -sfn "$dir/hdr" "$tmp/root/lib/modules/$kver/build"
[ -f "$tmp/root/lib/modules/$kver/modules.dep" ] ||
	die "modules_install made no modules.dep; log: $blog"

# Warnings are not fatal, but should be seen.
if grep -q 'warning:' "$blog"; then
	log "compiler warnings (all in $dir/build.log.xz):"
	grep 'warning:' "$blog" | head -n 20 >&2
fi

rm -rf "$srcdir" "$obj"
xz -T1 "$blog"
log "built $kver in $(( $(date +%s) - start )) s"

cat >"$tmp/kernel.env" <<EOT
KNAME=debug
KSUITE=$SRCSUITE
KSTATUS=supported
KVER=$kver
VMLINUZ=$dir/bzImage
MODROOT=$dir/root
KDIR=$dir/hdr
BUILD_CHROOT=
MAKE_ARGS=""
EOT
rm -rf "$dir"
mv "$tmp" "$dir"
ln -sfn "$name" "$PCI_CACHE/kernels/debug"
# Older builds: keep the one before (a run may still be using it).
ls -1dt "$PCI_CACHE"/kernels/debug-*/ | tail -n +3 | xargs -r rm -rf
echo "$env"
