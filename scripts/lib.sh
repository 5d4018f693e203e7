# SPDX-License-Identifier: GPL-2.0
# Shared helpers for pcinspect's scripts: cache layout, logging and a
# private apt configuration that never touches the system's apt sources.

PCI_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PCI_CACHE=${PCINSPECT_CACHE:-$HOME/.cache/pcinspect}
PCI_APT=$PCI_CACHE/apt

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The Debian mirror is whatever this machine's apt already uses (or
# $PCINSPECT_MIRROR): no host name is written into the repository.
pci_mirror() {
	local uri
	if [ -n "${PCINSPECT_MIRROR:-}" ]; then
		echo "$PCINSPECT_MIRROR"
		return
	fi
	uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -v -- '-security' | grep -m1 -oE '(https?|file)://[^ ]+/debian/?')
	[ -n "$uri" ] || die "no Debian mirror in /etc/apt; set PCINSPECT_MIRROR"
	echo "${uri%/}"
}

pci_security_mirror() {
	local uri
	uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		grep -m1 -oE '(https?|file)://[^ ]+/debian-security/?')
	[ -n "$uri" ] || uri="$(pci_mirror)-security"
	echo "${uri%/}"
}

# apt-get with a private sources list, state and cache under $PCI_APT;
# amd64 is the native architecture, arm64 lists are there too.
pci_apt() {
	apt-get -q -o Dir::Etc::sourcelist="$PCI_APT/sources.list" \
		-o APT::Architecture=amd64 -o APT::Architectures::=amd64 \
		-o APT::Architectures::=arm64 \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$PCI_APT/lists" \
		-o Dir::State::status="$PCI_APT/status" \
		-o Dir::Cache="$PCI_APT/cache" \
		-o Acquire::Check-Valid-Until=false \
		-o APT::Get::List-Cleanup=false "$@"
}

pci_apt_cache() {
	apt-cache -o Dir::Etc::sourcelist="$PCI_APT/sources.list" \
		-o APT::Architecture=amd64 -o APT::Architectures::=amd64 \
		-o APT::Architectures::=arm64 \
		-o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$PCI_APT/lists" \
		-o Dir::State::status="$PCI_APT/status" \
		-o Dir::Cache="$PCI_APT/cache" "$@"
}

# Refresh the private package lists at most once every 6 hours, or when
# the suites below change. Scripts run at the same time (check.sh's
# parallel kernels) take turns.
pci_apt_update() {
	local m s stamp=$PCI_APT/updated want
	mkdir -p "$PCI_APT/lists/partial" "$PCI_APT/cache/archives/partial"
	touch "$PCI_APT/status"
	m=$(pci_mirror)
	s=$(pci_security_mirror)
	# arm64 only where the matrix has an arm64 kernel (cross-built).
	want="deb [arch=amd64] $m bullseye main
deb [arch=amd64] $m bookworm main
deb [arch=amd64,arm64] $m bookworm-backports main
deb [arch=amd64] $s bookworm-security main
deb [arch=amd64] $m sid main
deb [arch=amd64] $m experimental main"
	(
		flock 8
		if [ -f "$stamp" ] && [ -z "$(find "$stamp" -mmin +360)" ] &&
		   [ "$(cat "$PCI_APT/sources.list" 2>/dev/null)" = "$want" ]; then
			exit 0
		fi
		echo "$want" >"$PCI_APT/sources.list"
		log "updating private apt lists"
		pci_apt update >"$PCI_APT/update.log" 2>&1 ||
			die "apt update failed: see $PCI_APT/update.log"
		touch "$stamp"
	) 8>"$PCI_APT/.update-lock"
}

# pci_kconfig_set SCRIPTS_CONFIG CFG CONFIG_X=VALUE...: apply kernel options
# (y, m, n for off, "string" or a number) to the .config CFG with a
# kernel tree's scripts/config.
pci_kconfig_set() {
	local tool=$1 cfg=$2 line opt val args=()
	shift 2
	[ $# -gt 0 ] || return 0
	for line in "$@"; do
		opt=${line%%=*}
		val=${line#*=}
		case $val in
		y) args+=(--enable "$opt") ;;
		m) args+=(--module "$opt") ;;
		n) args+=(--disable "$opt") ;;
		\"*\") val=${val#\"}; args+=(--set-str "$opt" "${val%\"}") ;;
		*) args+=(--set-val "$opt" "$val") ;;
		esac
	done
	"$tool" --file "$cfg" "${args[@]}"
}

# pci_kconfig_unmet CFG CONFIG_X=VALUE...: the options that did not stick
# (Kconfig drops one whose dependencies are not met, without a word), one
# a line as "CONFIG_X=VALUE (got VALUE)". "Off" is met by "is not set" and
# by an option that is absent because its dependencies are off.
pci_kconfig_unmet() {
	local cfg=$1 line opt val got
	shift
	for line in "$@"; do
		opt=${line%%=*}
		val=${line#*=}
		got=$(grep -m1 "^$opt=" "$cfg" || true)
		got=${got#*=}
		[ "$val" = n ] && [ -z "$got" ] && continue
		[ "$got" = "$val" ] || echo "$line (got ${got:-unset})"
	done
}

# Install host packages that are missing (Debian names), quietly.
pci_need_pkgs() {
	local p missing=() have
	# dpkg-query fails when a package is not installed: not an error.
	have=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" \
		2>/dev/null | awk '$2 == "ii" { print $1 }' || true)
	for p in "$@"; do
		grep -qxF "$p" <<<"$have" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing host packages: ${missing[*]}"
	if [ ! -f /var/lib/apt/periodic/pcinspect-updated ] ||
	   [ -n "$(find /var/lib/apt/lists -maxdepth 0 -mmin +1440)" ]; then
		apt-get update -qq >/dev/null 2>&1 || true
		mkdir -p /var/lib/apt/periodic
		touch /var/lib/apt/periodic/pcinspect-updated
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# The host packages of every entry point (demo, check, bench, vm-shell,
# vm-test, stress, make deb, the DKMS test, the debug kernel build), in
# one list: nothing beyond a minimal Debian 12 root (apt and the Essential
# packages) is assumed. Each entry point calls pci_need_host_pkgs first,
# so the one that runs first on a fresh machine installs them all, and
# a package missing here fails every entry point alike, the demo in
# check.sh included. What needs each:
#   build-essential   make, gcc, libc6-dev, dpkg-dev: module, selftests,
#                     reader; dpkg-buildpackage wants it (make deb)
#   dwarves           pahole: BTF of the module (6.12, 7.2 headers)
#   libelf-dev bison flex bc libssl-dev
#                     the debug kernel build
#   rsync kmod cpio zstd xz-utils mount
#                     build trees, modules.dep, the initramfs, kernel
#                     packages, /proc in the sid chroot
#   mmdebstrap        the sid chroot for 7.2
#   qemu-system-x86 qemu-system-arm busybox-static
#                     the guests (qemu-system-arm: the arm64 ones)
#   e2fsprogs xfsprogs btrfs-progs dmsetup
#                     the guests' disks; mkfs.ext4, chattr and dmsetup
#                     copied in with --bins
#   pkg-config libsmartcols-dev
#                     the reader
#   perl git          checkpatch.pl over the tracked files
#   debhelper dh-dkms fakeroot dkms openssl
#                     make deb, dkms-test.sh
#   util-linux vmtouch
#                     the benchmarks (fincore, vmtouch)
#   gcc-aarch64-linux-gnu libc6-dev-arm64-cross
#                     the arm64 builds: the configuration matrix's, the
#                     arm64 guests' module, selftests and reader
PCI_HOST_PKGS=(build-essential dwarves libelf-dev bison flex bc libssl-dev
	rsync kmod cpio zstd xz-utils mount mmdebstrap
	qemu-system-x86 qemu-system-arm busybox-static
	e2fsprogs xfsprogs btrfs-progs dmsetup
	pkg-config libsmartcols-dev perl git
	debhelper dh-dkms fakeroot dkms openssl
	util-linux vmtouch gcc-aarch64-linux-gnu libc6-dev-arm64-cross)

pci_need_host_pkgs() {
	pci_need_pkgs "${PCI_HOST_PKGS[@]}"
}
