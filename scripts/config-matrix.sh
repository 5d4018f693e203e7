#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# config-matrix.sh [NAME...]: compile-test the module against the
# configurations of scripts/config-matrix.conf (default: all), like the
# kernel's build robot. The newest linux-source Debian ships (resolved
# through the linux-source metapackage of sid and experimental at run
# time) is extracted once. Each architecture gets a base tree ("make
# O=... defconfig", the base options below, "make modules_prepare"); each
# configuration a copy of it with its own options, checked one by one after
# olddefconfig, prepared again (only what they change is rebuilt): no
# kernel is built. The prepared trees are cached under $PCI_CACHE/matrix, keyed by
# the source version and the configuration, so a warm run only builds the
# module (~15 s a configuration). Prints PASS/FAIL lines; exits 1 when
# anything failed. PCINSPECT_MATRIX_JOBS: make -j for the preparation
# (default 1: check.sh runs this beside a guest).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

conf=$PCI_TOP/scripts/config-matrix.conf
jobs=${PCINSPECT_MATRIX_JOBS:-1}
# Bump when a change here changes the prepared trees.
recipe=1

# What a pcinspect user's kernel has, on top of defconfig: the module's
# interface (debugfs), the parts it reports on, and modules. A line of
# config-matrix.conf may turn any of them off. Options an architecture
# cannot have (NUMA on i386) are reported, not failed: only a line's own
# options must stick.
base=(CONFIG_MODULES=y CONFIG_MODULE_UNLOAD=y CONFIG_DEBUG_FS=y
	CONFIG_CGROUPS=y CONFIG_MEMCG=y CONFIG_NUMA=y CONFIG_LRU_GEN=y
	CONFIG_SWAP=y CONFIG_SHMEM=y CONFIG_TMPFS=y
	CONFIG_TRANSPARENT_HUGEPAGE=y CONFIG_BLK_CGROUP=y
	CONFIG_CGROUP_WRITEBACK=y CONFIG_CACHESTAT_SYSCALL=y
	CONFIG_BTRFS_FS=y CONFIG_OVERLAY_FS=y)

fails=0
pass() { echo "PASS matrix: $*"; }
fail() { echo "FAIL matrix: $*"; fails=$((fails + 1)); }

pci_need_host_pkgs
pci_apt_update

# The newest linux-source-X.Y of sid and experimental, as "PKG VERSION".
newest_source() {
	local v s best=
	while read -r v s; do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done < <(pci_apt_cache madison linux-source | awk -F' *[|] *' \
		'index($3, " sid/") || index($3, " experimental/") { print $2, $3 }')
	[ -n "$best" ] || return 1
	pci_apt_cache show "linux-source=$best" |
		sed -n 's/^Depends:.*\(linux-source-[0-9.]*\) (= \([^)]*\)).*/\1 \2/p' | head -1
}
read -r pkg ver < <(newest_source) || die "no linux-source in sid or experimental"
top=$PCI_CACHE/matrix
tag=$(echo "$ver" | tr '~+:' '___')
src=$top/src-$tag
mkdir -p "$top"
exec 9>"$top/.lock"
flock 9
if [ ! -f "$src/.complete" ]; then
	log "matrix: fetching $pkg $ver"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	(cd "$src.tmp" && pci_apt download "$pkg=$ver" >download.log 2>&1) ||
		die "download of $pkg failed: $src.tmp/download.log"
	dpkg-deb --fsys-tarfile "$src.tmp/${pkg}_"*.deb |
		tar -x -C "$src.tmp" --wildcards './usr/src/*.tar.xz'
	log "matrix: extracting $pkg"
	tar -xJf "$src.tmp"/usr/src/"$pkg".tar.xz -C "$src.tmp"
	mv "$src.tmp/$pkg" "$src"
	rm -rf "$src.tmp"
	touch "$src/.complete"
	# Older sources' trees are not needed any more.
	find "$top" -maxdepth 1 -name 'src-*' ! -name "src-$tag" -exec rm -rf {} +
	find "$top" -maxdepth 1 -name 'tree-*' ! -name "tree-$tag-*" -exec rm -rf {} +
fi
log "matrix: $pkg $ver in $src"

# make_for ARCH: the make variables of an architecture.
make_for() {
	case $1 in
	x86_64) echo "ARCH=x86_64" ;;
	i386) echo "ARCH=i386" ;;
	arm64) echo "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-" ;;
	*) return 1 ;;
	esac
}

# prepare_base ARCH: ARCH's defconfig plus the base options, prepared; the
# start of each configuration of ARCH (a copy of it needs only what its
# options change rebuilt: ~20 s instead of ~70 s for the host tools and
# objtool).
prepare_base() {
	local arch=$1 key tree mk
	key=$(printf '%s\n' "$recipe" "$arch" "${base[@]}" | md5sum | cut -c1-8)
	tree=$top/tree-$tag-base-$arch-$key
	if [ ! -f "$tree/.complete" ]; then
		read -ra mk < <(make_for "$arch")
		rm -rf "$tree"
		mkdir -p "$tree"
		log "matrix: $arch: defconfig + base options, modules_prepare (-j$jobs)"
		{
			make -C "$src" O="$tree" "${mk[@]}" defconfig &&
			pci_kconfig_set "$src/scripts/config" "$tree/.config" "${base[@]}" &&
			make -C "$src" O="$tree" "${mk[@]}" olddefconfig &&
			make -C "$src" O="$tree" "${mk[@]}" -j"$jobs" modules_prepare
		} >"$tree.log" 2>&1 || { tail -20 "$tree.log" >&2; return 1; }
		touch "$tree/.complete"
	fi
	echo "$tree"
}

# prepare NAME ARCH OPTION...: the prepared tree's path on stdout.
prepare() {
	local name=$1 arch=$2 key tree mk bad from
	shift 2
	key=$(printf '%s\n' "$recipe" "$arch" "${base[@]}" "$@" | md5sum | cut -c1-8)
	tree=$top/tree-$tag-$name-$key
	if [ -f "$tree/.complete" ]; then
		echo "$tree"
		return 0
	fi
	from=$(prepare_base "$arch") || return 1
	read -ra mk < <(make_for "$arch")
	rm -rf "$tree"
	cp -a "$from" "$tree"
	rm -f "$tree/.complete"
	log "matrix: $name: $arch base + ${*:-no options}, modules_prepare"
	{
		pci_kconfig_set "$src/scripts/config" "$tree/.config" "$@" &&
		make -C "$src" O="$tree" "${mk[@]}" olddefconfig
	} >"$tree.log" 2>&1 || { tail -20 "$tree.log" >&2; return 1; }
	bad=$(pci_kconfig_unmet "$tree/.config" "$@")
	if [ -n "$bad" ]; then
		echo "  options that did not stick: $bad" >&2
		return 1
	fi
	# Base options the line does not name that are off all the same (an
	# architecture's limits, or a dependency of the line's options).
	local b own=" ${*%%=*} " rest=()
	for b in "${base[@]}"; do
		[[ $own == *" ${b%%=*} "* ]] || rest+=("$b")
	done
	pci_kconfig_unmet "$tree/.config" "${rest[@]}" >"$tree/base-unmet"
	make -C "$src" O="$tree" "${mk[@]}" -j"$jobs" modules_prepare \
		>>"$tree.log" 2>&1 || { tail -20 "$tree.log" >&2; return 1; }
	touch "$tree/.complete"
	echo "$tree"
}

# The probes that passed in a build's generated header, one a line.
probes_passed() {
	sed -n 's/^#define HAVE_\([A-Z0-9_]*\) 1$/\1/p' "$1" | tr 'A-Z' 'a-z' | sort
}

# A prepared tree has no vmlinux and no Module.symvers: modpost cannot
# resolve any symbol (KBUILD_MODPOST_WARN=1 makes that a warning, not an
# error) and says so; those lines are not warnings about the module.
real_warnings() {
	grep -E 'warning:|WARNING:' "$1" |
		grep -vE "WARNING: modpost: (Symbol info of vmlinux is missing|pcinspect(_walk_test)?\.ko: symbol '[A-Za-z_0-9.]+' undefined!|\"[A-Za-z_0-9.]+\" \[.*\] undefined!|suppressed [0-9]+ unresolved symbol warnings)" |
		grep -vE 'WARNING: .*/Module\.symvers is missing\.$|Skipping BTF generation' || true
}

names=("$@")
[ ${#names[@]} -gt 0 ] || mapfile -t names < <(awk '!/^#/ && NF { print $1 }' "$conf")
# "full" first: the others' probes are compared with its.
full_probes=
full_done=0
for name in full "${names[@]}"; do
	if [ "$name" = full ]; then
		[ $full_done = 1 ] && continue
		full_done=1
	fi
	line=$(awk -v n="$name" '!/^#/ && $1 == n' "$conf")
	[ -n "$line" ] || die "unknown configuration '$name' (see $conf)"
	read -r _ arch expect rest <<<"$line"
	opts=()
	absent=()
	for w in $rest; do
		case $w in
		CONFIG_*=*) opts+=("$w") ;;
		-*) absent+=("${w#-}") ;;
		*) die "$conf: $name: bad word $w" ;;
		esac
	done
	if ! tree=$(prepare "$name" "$arch" "${opts[@]}"); then
		fail "$name ($arch ${opts[*]}): prepare the kernel tree"
		continue
	fi
	read -ra mk < <(make_for "$arch")
	out=$top/build/$name
	mkdir -p "$out"
	rsync -a --delete --exclude .git --exclude generated --exclude '*.o' \
		--exclude '*.ko' --exclude '*.cmd' --exclude '*.mod*' \
		--exclude selftests --exclude userspace --exclude dist \
		"$PCI_TOP/" "$out/"
	blog=$out.log
	st=0
	# The walk's unit tests too: their synthetic xarrays need the same
	# xarray API on every configuration (32-bit, no XARRAY_MULTI...).
	make -C "$out" KDIR="$tree" "${mk[@]}" KCFLAGS=-Werror \
		KBUILD_MODPOST_WARN=1 PCINSPECT_WALK_TEST=m modules \
		>"$blog" 2>&1 || st=$?
	what="$name ($arch${opts[*]:+ ${opts[*]}}, walk tests included)"
	if [ "$expect" = refuse ]; then
		if [ $st -ne 0 ] && grep -q 'pcinspect: cannot build for' "$blog"; then
			pass "$what: refused: $(grep -A1 'pcinspect: cannot build for' "$blog" | tail -1 | sed 's/^ *//')"
		else
			fail "$what: refused with a message (see $blog)"
		fi
		continue
	fi
	warn=$(real_warnings "$blog")
	if [ $st -ne 0 ] || [ ! -f "$out/pcinspect.ko" ] ||
	   [ ! -f "$out/pcinspect_walk_test.ko" ] || [ -n "$warn" ]; then
		fail "$what: builds with -Werror and no warning (see $blog)"
		if [ -n "$warn" ]; then
			echo "$warn"
		else
			tail -15 "$blog"
		fi | sed 's/^/  | /' >&2
		continue
	fi
	machine=$(readelf -h "$out/pcinspect.ko" | sed -n 's/^ *Machine: *//p')
	probes=$(probes_passed "$out/generated/pcinspect_config.h")
	if [ "$name" = full ]; then
		full_probes=$probes
	fi
	want=$(comm -23 <(echo "$full_probes") <(printf '%s\n' "${absent[@]}" | sort))
	unmet_base=$(paste -sd, "$tree/base-unmet")
	if [ "$probes" = "$want" ]; then
		pass "$what: builds, $machine, probes: $(echo "$probes" | paste -sd' ')${unmet_base:+ (not set here: $unmet_base)}"
	else
		fail "$what: probes $(echo "$probes" | paste -sd' '), expected $(echo "$want" | paste -sd' ')"
	fi
done
exit $((fails > 0))
