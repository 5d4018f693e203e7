#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-test.sh [KERNEL...]: prove the DKMS install path with Debian's real
# dkms (issue 7). Prints PASS/FAIL lines; exits 1 when anything failed.
#
# 1. Host, in a private root (--dkmstree/--sourcetree/--installtree under
#    a temporary directory; nothing of the host's /var/lib/dkms, /usr/src
#    or /lib/modules is touched): the `make dist` tarball extracted as
#    /usr/src/pcinspect-VERSION, dkms add, then for each kernel built on the
#    host dkms build + install (the first by hand, the others through
#    `make dkms-install`), each .ko compared with the one build-module.sh
#    makes for the VM tests. Refused kernels (5.10, and 6.1's headers with
#    CONFIG_DEBUG_FS taken out) must fail in dkms build with the probes'
#    "pcinspect: cannot build for" in make.log. `make dkms-remove` last.
# 2. Kernels built in a sid chroot (7.2): the `make deb` packages installed
#    with apt into a copy of that chroot, then the kernel's headers, whose
#    hook runs dkms autoinstall; the .ko is compared as above; apt-get purge
#    must leave nothing behind.
#
# Default kernels: every kernel of scripts/kernels.conf.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

fails=0
pass() { echo "PASS dkms: $*"; }
fail() { echo "FAIL dkms: $*"; fails=$((fails + 1)); }
skip() { echo "SKIP dkms: $*"; }
# check DESCRIPTION COMMAND...: PASS or FAIL by the command's status,
# which it returns.
check() {
	local what=$1
	shift
	if "$@"; then
		pass "$what"
	else
		fail "$what"
		return 1
	fi
}

t0=$(date +%s)
pci_need_host_pkgs

kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || mapfile -t kernels < <(awk '!/^#/ && NF { print $1 }' \
	"$PCI_TOP/scripts/kernels.conf")

V=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$PCI_TOP/dkms.conf")
[ -n "$V" ] || die "no PACKAGE_VERSION in dkms.conf"

# The .ko files dkms built, kept for check.sh, whose VM tests then load
# them instead of build-module.sh's: the module a test machine gets.
K=$PCI_CACHE/dkms-ko
rm -rf "$K"
keep_for_vm() {
	case $2 in
	*.ko) mkdir -p "$K/$1" && cp "$2" "$K/$1/pcinspect.ko" ;;
	esac
}

T=$(mktemp -d "${TMPDIR:-/tmp}/pcinspect-dkms.XXXXXX")
# Logs outlive the run (the private roots do not).
L=$PCI_CACHE/runs/dkms-test
rm -rf "$L"
mkdir -p "$L"
root=$T/chroot
cleanup() {
	mountpoint -q "$root/proc" 2>/dev/null && umount "$root/proc"
	mountpoint -q "$root" 2>/dev/null && umount "$root"
	rm -rf "$T"
}
trap cleanup EXIT

# The host's own dkms state, to show afterwards that the test left it alone.
host_state() {
	find /var/lib/dkms /usr/src -maxdepth 1 2>/dev/null | sort
	find /lib/modules -path '*/updates/dkms/pcinspect*' 2>/dev/null
}
host_before=$(host_state)

# Same fields, same module: what the VM tests load and what dkms installed.
# dkms strips debug info (and may sign or compress), so compare what
# modinfo reports rather than bytes.
same_module() {
	local a=$1 b=$2 f ok=0
	for f in vermagic version srcversion name depends; do
		if [ "$(modinfo -F "$f" "$a")" != "$(modinfo -F "$f" "$b")" ]; then
			echo "  $f differs: $(modinfo -F "$f" "$a") vs $(modinfo -F "$f" "$b")" >&2
			ok=1
		fi
	done
	return $ok
}

# signed_with KO CERT: the module carries a signature by CERT's key (what
# the firmware checks once CERT is enrolled as a MOK).
signed_with() {
	local serial key
	serial=$(openssl x509 -inform DER -in "$2" -noout -serial 2>/dev/null |
		sed 's/^serial=//; s/^0*//')
	key=$(modinfo -F sig_key "$1" | tr -d ':\n' | sed 's/^0*//')
	[ -n "$key" ] && [ "${key^^}" = "${serial^^}" ]
}

# --- 1. host: private dkms root ------------------------------------------
flags=(--dkmstree "$T/var/lib/dkms" --sourcetree "$T/usr/src"
	--installtree "$T/lib/modules")
mkdir -p "$T/var/lib/dkms" "$T/usr/src" "$T/lib/modules"
# dkms signs what it builds (Secure Boot): with its default key it would
# create /var/lib/dkms/mok.key on the host. dkms takes these settings from
# the environment too, so the key is a throwaway one in the private root,
# and sign-file the kernel's own (kernel.env's headers), not the host's.
export mok_signing_key=$T/var/lib/dkms/mok.key
export mok_certificate=$T/var/lib/dkms/mok.pub
dkms_() { sign_file=$SIGN_FILE dkms "$@" "${flags[@]}"; }
SIGN_FILE=/nonexistent

tarball=$(make -s -C "$PCI_TOP" dist | tail -1)
if [ -f "$PCI_TOP/$tarball" ] && tar -C "$T/usr/src" -xzf "$PCI_TOP/$tarball" &&
	[ -f "$T/usr/src/pcinspect-$V/dkms.conf" ]; then
	pass "make dist gives $tarball with pcinspect-$V/dkms.conf"
else
	fail "make dist gives a tarball with pcinspect-$V/dkms.conf"
fi
check "dkms add from the extracted tarball" \
	dkms_ add -m pcinspect -v "$V" >"$L/add.log" 2>&1
check "dkms status shows pcinspect/$V added" \
	grep -q "^pcinspect/$V: added" <(dkms_ status -m pcinspect -v "$V")

# refused NAME KVER KDIR: dkms build must fail, make.log saying why.
refused() {
	local name=$1 kver=$2 kdir=$3 mlog=$T/var/lib/dkms/pcinspect/$V/build/make.log
	SIGN_FILE=$kdir/scripts/sign-file
	if dkms_ build -m pcinspect -v "$V" -k "$kver" --kernelsourcedir "$kdir" \
		>"$L/build-$name.log" 2>&1; then
		fail "$name: dkms build refused (it succeeded)"
	elif cp "$mlog" "$L/make-$kver.log" 2>/dev/null &&
		grep -q 'pcinspect: cannot build for' "$mlog"; then
		pass "$name: dkms build refused, make.log: $(grep -A1 'cannot build for' "$mlog" | tail -1 | sed 's/^ *//')"
	else
		fail "$name: dkms build refused with the message in make.log"
		tail -20 "$mlog" "$L/build-$name.log" >&2
	fi
}

# Headers of a supported kernel with debugfs taken out of .config, then of
# auto.conf: a symlink copy, only the two config files are real.
nodebugfs() {
	local kdir=$1 kver=$2 f fake
	for f in .config include/config/auto.conf; do
		fake=$T/nodebugfs-${f##*/}
		cp -as "$kdir" "$fake"
		rm "$fake/$f"
		sed 's/^CONFIG_DEBUG_FS=y/# CONFIG_DEBUG_FS is not set/' \
			"$kdir/$f" >"$fake/$f"
		refused "no CONFIG_DEBUG_FS in ${f##*/} ($kver)" "$kver-nodebugfs" "$fake"
		rm -rf "$fake"
	done
}

chroot_kernels=()
first_host=1
for k in "${kernels[@]}"; do
	if ! env=$("$PCI_TOP/scripts/fetch-kernel.sh" "$k"); then
		fail "$k: fetch the kernel"
		continue
	fi
	KSTATUS='' KSUITE='' KVER='' KDIR='' BUILD_CHROOT='' KARCH=amd64
	# shellcheck source=/dev/null
	source "$env"
	# Chroot-built kernels get the apt install of the packages in a sid
	# root; experimental's kernels are built there too, but their
	# packages' install is the same apt path as sid's: tested once.
	if [ -n "$BUILD_CHROOT" ]; then
		if [ "$KSUITE" = sid ]; then
			chroot_kernels+=("$env")
		else
			skip "$k: apt install of the packages (tested on sid's kernel; this kernel is from $KSUITE)"
		fi
		continue
	fi
	if [ "$KSTATUS" = refused ]; then
		refused "$k ($KVER)" "$KVER" "$KDIR"
		continue
	fi
	if [ "$KSTATUS" = compiled ] || [ "$KARCH" != amd64 ]; then
		skip "$k: dkms (this kernel is $KARCH: dkms builds for the machine it runs on; check.sh cross-builds this one)"
		continue
	fi
	[ $first_host = 1 ] && nodebugfs "$KDIR" "$KVER"

	if ! ref=$("$PCI_TOP/scripts/build-module.sh" "$env" 2>"$L/ref-$k.log"); then
		fail "$k: build-module.sh (the VM tests' module)"
		tail -20 "$L/ref-$k.log" >&2
		continue
	fi
	mkdir -p "$T/lib/modules/$KVER"
	SIGN_FILE=$KDIR/scripts/sign-file
	log "dkms build for $k ($KVER)"
	# The host has no /lib/modules/$KVER: no depmod there (--no-depmod).
	if [ $first_host = 1 ]; then
		how="dkms build + install"
		dkms_ build -m pcinspect -v "$V" -k "$KVER" --kernelsourcedir "$KDIR" \
			>"$L/build-$k.log" 2>&1 &&
		dkms_ install -m pcinspect -v "$V" -k "$KVER" --kernelsourcedir "$KDIR" \
			--no-depmod >>"$L/build-$k.log" 2>&1
	else
		how="make dkms-install"
		sign_file=$SIGN_FILE make -s -C "$PCI_TOP" dkms-install KVER="$KVER" \
			DKMS_SRC="$T/usr/src/pcinspect-$V" \
			DKMS_FLAGS="${flags[*]} --kernelsourcedir $KDIR --no-depmod" \
			>"$L/build-$k.log" 2>&1
	fi
	st=$?
	first_host=0
	ko=$T/lib/modules/$KVER/updates/dkms/pcinspect.ko
	if [ $st -ne 0 ] || [ ! -f "$ko" ]; then
		fail "$k: $how puts pcinspect.ko under updates/dkms"
		tail -30 "$L/build-$k.log" "$T/var/lib/dkms/pcinspect/$V/build/make.log" >&2
		continue
	fi
	pass "$k: $how puts pcinspect.ko under /lib/modules/$KVER/updates/dkms"
	mlog=$T/var/lib/dkms/pcinspect/$V/$KVER/x86_64/log/make.log
	cp "$mlog" "$L/make-$KVER.log"
	check "$k: the dkms build ran the feature probes (make.log)" \
		grep -q "pcinspect: probing kernel" "$mlog"
	check "$k: modinfo version is $V" test "$(modinfo -F version "$ko")" = "$V"
	check "$k: same vermagic, version, srcversion as build-module.sh's .ko" \
		same_module "$ref" "$ko" && keep_for_vm "$k" "$ko"
	check "$k: dkms status shows installed" \
		grep -q "^pcinspect/$V, $KVER, x86_64: installed" <(dkms_ status -m pcinspect -v "$V")
	check "$k: signed with dkms's MOK key (mok.pub)" \
		signed_with "$ko" "$mok_certificate"
done

if make -s -C "$PCI_TOP" dkms-remove DKMS_SRC="$T/usr/src/pcinspect-$V" \
	DKMS_FLAGS="${flags[*]}" >"$L/remove.log" 2>&1 &&
	[ -z "$(find "$T/lib/modules" -name 'pcinspect.ko*')" ] &&
	[ ! -e "$T/var/lib/dkms/pcinspect" ] && [ ! -e "$T/usr/src/pcinspect-$V" ]; then
	pass "make dkms-remove leaves no .ko, dkms tree or sources"
else
	fail "make dkms-remove leaves no .ko, dkms tree or sources"
	cat "$L/remove.log" >&2
fi
check "host /var/lib/dkms, /usr/src, /lib/modules untouched" \
	test "$(host_state)" = "$host_before"
log "host part: $(($(date +%s) - t0)) s"

# --- 2. the Debian packages in a sid chroot --------------------------------
# A clean environment: none of the host part's dkms settings may leak in.
in_root() {
	chroot "$root" /usr/bin/env -i DEBIAN_FRONTEND=noninteractive \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 HOME=/root "$@"
}
# apt as on a test machine: with Recommends (openssl, for dkms's MOK key).
apt_root() {
	in_root apt-get -q -y -o Dpkg::Use-Pty=0 "$@" \
		>>"$L/${aptlog:-apt}.log" 2>&1
}
# A sid root with apt and the kernel's headers, cached like fetch-kernel.sh's
# build chroot (which is mmdebstrap's "essential" variant: it has no apt).
# Each run works in a copy of it.
apt_chroot() {
	local r=$PCI_CACHE/chroot/sid-apt-$1
	if [ ! -f "$r/.complete" ]; then
		log "creating a sid root with apt for $1 (mmdebstrap)"
		rm -rf "$r"
		mkdir -p "$(dirname "$r")"
		mmdebstrap --variant=apt \
			--aptopt='Acquire::Check-Valid-Until "false"' \
			--include="linux-headers-$1" sid "$r" "$(pci_mirror)" \
			>"$L/mmdebstrap.log" 2>&1 || {
			tail -20 "$L/mmdebstrap.log" >&2
			return 1
		}
		touch "$r/.complete"
	fi
	echo "$r"
}

gone_ko() {
	[ -z "$(find "$root/lib/modules" "$root/usr/lib/modules" \
		-name 'pcinspect.ko*' 2>/dev/null)" ]
}
# gone: the files purge must remove, one per line; none may remain.
gone() {
	local left
	left=$(cd "$root" && ls -d lib/modules/*/updates/dkms/pcinspect.ko* \
		usr/lib/modules/*/updates/dkms/pcinspect.ko* var/lib/dkms/pcinspect \
		usr/src/pcinspect-* usr/bin/pcinspect \
		usr/share/bash-completion/completions/pcinspect 2>/dev/null)
	[ -z "$left" ] || { echo "  left behind: $left" >&2; return 1; }
}

debs=()
if [ ${#chroot_kernels[@]} -gt 0 ]; then
	t1=$(date +%s)
	if mapfile -t debs < <("$PCI_TOP/scripts/make-deb.sh" "$T/debs") &&
		[ ${#debs[@]} -eq 2 ]; then
		pass "make deb builds $(basename "${debs[0]}") and $(basename "${debs[1]}")"
	else
		fail "make deb builds pcinspect-dkms and pcinspect"
		chroot_kernels=()
	fi
fi

for env in "${chroot_kernels[@]}"; do
	KNAME='' KVER='' BUILD_CHROOT=''
	# shellcheck source=/dev/null
	source "$env"
	k=$KNAME
	if ! ref=$("$PCI_TOP/scripts/build-module.sh" "$env" 2>"$L/ref-$k.log"); then
		fail "$k: build-module.sh (the VM tests' module)"
		tail -20 "$L/ref-$k.log" >&2
		continue
	fi
	if ! base=$(apt_chroot "$KVER"); then
		fail "$k: a sid root with apt (mmdebstrap)"
		continue
	fi
	# The run's changes go to an overlay (quick to make and to throw
	# away); where overlayfs is not available, to a copy.
	mkdir -p "$root" "$T/upper" "$T/overlay-work"
	if ! mount -t overlay overlay -o "lowerdir=$base,upperdir=$T/upper,workdir=$T/overlay-work" \
		"$root" 2>/dev/null; then
		log "copying $base"
		rsync -aHx "$base/" "$root/" || {
			fail "$k: copy $base"
			continue
		}
	fi
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	mount -t proc proc "$root/proc"
	cp "${debs[@]}" "$root/tmp/"
	log "$k: apt in the chroot copy (log: $L/apt.log)"
	# Take the kernel's headers out first, so that installing them later
	# is what builds the module (the kernel hook's dkms autoinstall); the
	# -common and kbuild packages stay, so that only a small one downloads.
	if apt_root update && apt_root purge "linux-headers-$KVER"; then
		pass "$k: sid root without linux-headers-$KVER"
	else
		fail "$k: sid root without linux-headers-$KVER"
		tail -20 "$L/apt.log" >&2
	fi
	if apt_root install "/tmp/${debs[0]##*/}" "/tmp/${debs[1]##*/}"; then
		pass "$k: apt-get install of both packages with their dependencies"
	else
		fail "$k: apt-get install of both packages with their dependencies"
		tail -30 "$L/apt.log" >&2
	fi
	check "$k: dkms status shows pcinspect/$V added" \
		grep -q "^pcinspect/$V: added" <(in_root dkms status -m pcinspect)
	check "$k: the reader runs and says version $V" \
		grep -q "^pcinspect $V " <(in_root pcinspect --version)
	# Nothing is built yet: what builds it below is the headers' hook.
	check "$k: no pcinspect.ko before linux-headers-$KVER is installed" gone_ko
	log "$k: installing linux-headers-$KVER (dkms autoinstall builds pcinspect)"
	if aptlog=apt-headers apt_root install "linux-headers-$KVER"; then
		pass "$k: apt-get install linux-headers-$KVER"
	else
		fail "$k: apt-get install linux-headers-$KVER"
		tail -30 "$L/apt-headers.log" >&2
	fi
	# The headers' postinst runs /etc/kernel/header_postinst.d/dkms.
	check "$k: the headers' dkms hook built pcinspect (apt-headers.log)" \
		grep -q "pcinspect/$V.*$KVER\|pcinspect.ko" "$L/apt-headers.log"
	ko=$(ls "$root"/lib/modules/"$KVER"/updates/dkms/pcinspect.ko* \
		"$root"/usr/lib/modules/"$KVER"/updates/dkms/pcinspect.ko* 2>/dev/null | head -1)
	if [ -n "$ko" ]; then
		pass "$k: autoinstall put ${ko#"$root"} in place"
		check "$k: modinfo version is $V" test "$(modinfo -F version "$ko")" = "$V"
		check "$k: same vermagic, version, srcversion as build-module.sh's .ko" \
			same_module "$ref" "$ko" && keep_for_vm "$k" "$ko"
		check "$k: dkms status shows installed" \
			grep -q "^pcinspect/$V, $KVER, x86_64: installed" \
			<(in_root dkms status -m pcinspect)
		check "$k: signed with the root's dkms MOK key (/var/lib/dkms/mok.pub)" \
			signed_with "$ko" "$root/var/lib/dkms/mok.pub"
		cp "$root/var/lib/dkms/pcinspect/$V/$KVER/x86_64/log/make.log" \
			"$L/make-$KVER.log" 2>/dev/null
	else
		fail "$k: autoinstall put pcinspect.ko under updates/dkms"
		tail -40 "$L/apt-headers.log" >&2
		cat "$root"/var/lib/dkms/pcinspect/"$V"/build/make.log >&2 2>/dev/null
	fi
	if apt_root purge pcinspect-dkms pcinspect; then
		check "$k: apt-get purge leaves no .ko, /var/lib/dkms/pcinspect, /usr/src/pcinspect-*" gone
	else
		fail "$k: apt-get purge pcinspect-dkms pcinspect"
		tail -20 "$L/apt.log" >&2
	fi
	umount "$root/proc"
	mountpoint -q "$root" && umount "$root"
	rm -rf "$root" "$T/upper" "$T/overlay-work"
	log "$k: packages part: $(($(date +%s) - t1)) s"
done

log "dkms-test took $(($(date +%s) - t0)) s"
[ $fails -eq 0 ]
