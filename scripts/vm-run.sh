#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh [options] KERNEL
#
# Boot one kernel of the matrix (a name for scripts/fetch-kernel.sh, or the
# path of a kernel.env file) in QEMU with a busybox initramfs, run one
# command inside, and report its output and exit status. The host kernel
# cannot load modules, so every module test goes through here.
#
# Options:
#   --payload DIR   copy DIR into the guest as /pcinspect (repeatable; later
#                   ones overlay earlier ones). If it has no run_guest.sh or
#                   kernel-log-patterns, the repository's copies are added.
#   --run CMD       shell command run in the guest from /pcinspect
#                   (default /pcinspect/run_guest.sh)
#   --shell         interactive busybox shell on the serial console (stdio)
#                   with pcinspect.ko loaded if the payload has one; leave
#                   with "poweroff -f" (or Ctrl-A x)
#   --timeout SEC   whole-VM timeout (default 900; none for --shell unless
#                   given)
#   --mem MB        guest memory (default 1024)
#   --numa N        NUMA nodes splitting memory, one CPU each (default 2);
#                   0 or 1: no NUMA topology, 2 CPUs
#   --accel A       auto (default, or $PCINSPECT_ACCEL), tcg or kvm
#   --out DIR       run directory (default a new one under $PCI_CACHE/runs)
#   --bins "P ..."  host programs to copy into /usr/bin of the guest, with
#                   the shared libraries ldd finds for them
#   --modules "M .." extra kernel modules to load (with their dependencies)
#   --env VAR=VAL   export VAR in the guest (repeatable); PCI_TEST_TIMEOUT
#                   is forwarded from the host environment by default
#   --append ARGS   extra kernel command line arguments
#   --disk-mb MB    size of each sparse disk image (default 1024)
#   --keep          keep disk images and the initramfs in the run directory
#
# Environment of the guest command (empty when the mount failed):
#   PCI_KNAME       kernel name from kernel.env (6.1, 6.12, 7.2, debug...)
#   PCI_KVER        uname -r
#   PCI_PAYLOAD     /pcinspect
#   PCI_MODULE      path of pcinspect.ko in the payload, if any
#   PCI_NUMA_NODES  number of NUMA nodes asked for
#   PCI_EXT4 PCI_XFS PCI_BTRFS PCI_TMPFS
#                   mount points /mnt/ext4 /mnt/xfs /mnt/btrfs /mnt/tmpfs
#   PCI_EXT4_DEV PCI_XFS_DEV PCI_BTRFS_DEV
#                   their block devices (/dev/vda /dev/vdb /dev/vdc)
#   PCI_SPARE_DEV   /dev/vdd, an unformatted disk for dm/loop experiments
#   PCI_LOG_PATTERNS  the kernel log pattern file (see run_guest.sh)
#
# Output: the command's stdout and stderr travel on the guest's second
# serial port (ttyS1, the "results channel"; hvc0, a virtio console, on
# arm64), apart from the kernel console (ttyS0; ttyAMA0 on arm64). They
# are copied to this script's stdout as they arrive, with CRs removed;
# the guest ends the channel with "PCI-EXIT <status>", which is not
# copied. The init prints "# vm: ..." comment lines on the channel
# when something the tests rely on is missing (a failed mount). Progress
# and diagnostics go to stderr. The run directory keeps console.log (the
# whole kernel log) and output.log (the raw results channel).
#
# Exit status: the command's own status; 124 when the VM timed out; 2 when
# the guest stopped without reporting a status (panic, crash); 3 when the
# command succeeded but the kernel log shows a bug (patterns in
# selftests/kernel-log-patterns); 1 for errors of this script.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() {
	sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 1
}

payloads=()
run_cmd=/pcinspect/run_guest.sh
mode=run
timeout=
mem=1024
numa=2
accel=${PCINSPECT_ACCEL:-auto}
out=
bins=
extra_modules=
guest_env=()
append=
disk_mb=1024
keep=

while [ $# -gt 0 ]; do
	case $1 in
	--payload) payloads+=("${2:?}"); shift 2 ;;
	--run) run_cmd=${2:?}; shift 2 ;;
	--shell) mode=shell; shift ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--numa) numa=${2:?}; shift 2 ;;
	--accel) accel=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--bins) bins="$bins ${2:?}"; shift 2 ;;
	--modules) extra_modules="$extra_modules ${2:?}"; shift 2 ;;
	--env) guest_env+=("${2:?}"); shift 2 ;;
	--append) append="$append ${2:?}"; shift 2 ;;
	--disk-mb) disk_mb=${2:?}; shift 2 ;;
	--keep) keep=1; shift ;;
	-h|--help) usage ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || usage
kernel=$1
[ -n "$timeout" ] || { [ $mode = shell ] && timeout=0 || timeout=900; }
for n in "$timeout" "$mem" "$numa" "$disk_mb"; do
	[[ $n =~ ^[0-9]+$ ]] || die "not a number: $n"
done
case $accel in auto|tcg|kvm) ;; *) die "--accel: auto, tcg or kvm" ;; esac

pci_need_host_pkgs

# A name uses the kernel fetch-kernel.sh last linked (the one modules were
# built against), asking it only when none is there: resolving the current
# version takes it ~9 s.
if [ -f "$kernel" ]; then
	kenv=$kernel
elif [ -f "$PCI_CACHE/kernels/$kernel/kernel.env" ]; then
	kenv=$PCI_CACHE/kernels/$kernel/kernel.env
else
	kenv=$("$PCI_TOP/scripts/fetch-kernel.sh" "$kernel")
fi
KNAME='' KVER='' VMLINUZ='' MODROOT='' KARCH=amd64
# shellcheck source=/dev/null
source "$kenv"
[ -f "$VMLINUZ" ] || die "kernel $KNAME has no bootable image (headers only?)"
moddir=$MODROOT/lib/modules/$KVER
[ -d "$moddir" ] || die "no modules in $moddir"

# The guest's architecture: amd64 guests run the host's own programs;
# arm64 guests (the virt board, under TCG) run those of an unpacked
# Debian arm64 tree, and their second channel is a virtio console, the
# board having one UART.
case $KARCH in
amd64)
	qemu_bin=qemu-system-x86_64
	console_tty=ttyS0 results_tty=ttyS1 guest_root=
	;;
arm64)
	qemu_bin=qemu-system-aarch64
	console_tty=ttyAMA0 results_tty=hvc0
	guest_root=$("$PCI_TOP/scripts/fetch-guest-root.sh" arm64)
	[ "$accel" != kvm ] || die "--accel kvm: an arm64 guest runs under TCG only here"
	accel=tcg
	;;
*) die "kernel $KNAME: unknown architecture $KARCH" ;;
esac

if [ -z "$out" ]; then
	mkdir -p "$PCI_CACHE/runs"
	# Keep the 30 newest runs; older ones are only logs of the past.
	# Skip the recent hour so parallel runs never lose their directory.
	find "$PCI_CACHE/runs" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
		sort -rn | tail -n +31 | cut -d' ' -f2- | while read -r d; do
			[ -z "$(find "$d" -maxdepth 0 -mmin +60)" ] || rm -rf "$d"
		done
	out=$(mktemp -d "$PCI_CACHE/runs/$(date +%Y%m%d-%H%M%S)-$KNAME-XXXX")
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
qpid=
# Disk images are up to 4 x --disk-mb of real data after a test: drop
# them however this script ends, and never leave a VM behind.
cleanup() {
	[ -z "$qpid" ] || kill "$qpid" 2>/dev/null || true
	[ -n "$keep" ] || rm -rf "$out/initramfs" "$out/initramfs.cpio" "$out"/*.img
}
trap cleanup EXIT
rm -rf "$out/initramfs" "$out"/*.img "$out"/console.log "$out"/output.log
log "vm-run: $KNAME ($KVER), run directory $out"

# ---------------------------------------------------------------------
# Module index. Debian's packages ship no modules.dep, and depmod over a
# whole tree of compressed modules takes ~15 s, so the index is built once
# per kernel in a cache directory whose module trees are symlinks to the
# kernel's own: the kernel cache itself is never written.
# ---------------------------------------------------------------------
modindex_prepare() {
	local key stamp d
	key=$(printf '%s' "$MODROOT" | md5sum | cut -c1-8)
	modidx=$PCI_CACHE/modindex/$KVER-$key
	stamp="$VMLINUZ $(stat -c '%Y %s' "$VMLINUZ")"
	mkdir -p "$modidx"
	(
		flock 9
		if [ "$(cat "$modidx/stamp" 2>/dev/null)" = "$stamp" ]; then
			exit 0
		fi
		log "indexing the modules of $KVER (once per kernel)"
		rm -rf "${modidx:?}/lib"
		mkdir -p "$modidx/lib/modules/$KVER"
		# Module trees (kernel/, updates/...) but not build/ and
		# source/, which point at whole kernel trees.
		for d in "$moddir"/*/; do
			d=${d%/}
			case ${d##*/} in build|source) continue ;; esac
			ln -s "$d" "$modidx/lib/modules/$KVER/"
		done
		for d in modules.order modules.builtin modules.builtin.modinfo; do
			[ -f "$moddir/$d" ] && cp "$moddir/$d" "$modidx/lib/modules/$KVER/"
		done
		# 7.2's package has no modules.order or modules.builtin: depmod
		# warns and builtin modules then read as "not found".
		depmod -b "$modidx" "$KVER" 2>&1 |
			grep -v 'could not open modules\.' >&2 || true
		[ -f "$modidx/lib/modules/$KVER/modules.dep" ] ||
			die "depmod failed for $KVER"
		echo "$stamp" >"$modidx/stamp"
	) 9>"$modidx.lock"
}

# Copy MOD and what it needs into the initramfs, uncompressed, and append
# the modules to load, dependencies first, to $init/etc/pcinspect/modules.
# Hard dependencies and softdep "pre:" modules (crc32c for ext4) both
# appear in --show-depends, in load order.
module_add() {
	local mod=$1 deps line path rel dst
	if ! deps=$(modprobe -d "$modidx" -S "$KVER" --show-depends "$mod" 2>/dev/null); then
		log "module $mod: not found (built in, or absent in $KVER): skipped"
		return 0
	fi
	while read -r line; do
		case $line in
		builtin\ *)
			log "module $mod: ${line#builtin } is built in"
			continue ;;
		insmod\ *) ;;
		*) continue ;;
		esac
		path=${line#insmod }
		path=${path%% *}
		rel=${path#"$modidx/lib/modules/$KVER/"}
		rel=${rel%.xz}; rel=${rel%.zst}; rel=${rel%.gz}
		dst=$init/lib/modules/$KVER/$rel
		[ -f "$dst" ] && continue
		mkdir -p "$(dirname "$dst")"
		case $path in
		*.xz) xz -dc "$path" >"$dst" ;;
		*.zst) zstd -q -dc "$path" >"$dst" ;;
		*.gz) gzip -dc "$path" >"$dst" ;;
		*) cp "$path" "$dst" ;;
		esac
		basename "$rel" .ko >>"$init/etc/pcinspect/modules"
	done <<<"$deps"
}

# Copy a host program and the libraries its loader needs, at their paths.
bin_add() {
	local prog=$1 path lib
	if [ -n "$guest_root" ]; then
		bin_add_foreign "$prog"
		return
	fi
	path=$(command -v "$prog") || die "--bins: no program $prog on the host"
	cp -L "$path" "$init/usr/bin/${prog##*/}"
	# ldd lines: "libx.so.1 => /lib/.../libx.so.1 (0x...)" and the
	# loader as "/lib64/ld-linux-x86-64.so.2 (0x...)". For a static
	# program (the reader) ldd fails and grep finds nothing: no library.
	{ ldd "$path" 2>/dev/null || true; } |
		{ grep -oE '(=> )?/[^ ]+ \(0x' || true; } |
		sed -E 's/^=> //; s/ \(0x$//' | while read -r lib; do
		[ -f "$init$lib" ] && continue
		mkdir -p "$init$(dirname "$lib")"
		cp -L "$lib" "$init$lib"
	done
}

# A program of the guest's architecture: a path (the cross-built reader)
# or a name looked up in the guest root; its libraries come from there.
bin_add_foreign() {
	local prog=$1 path machine want
	if [[ $prog == */* ]]; then
		path=$prog
	else
		path=$(find "$guest_root"/usr/sbin "$guest_root"/usr/bin \
			"$guest_root"/sbin "$guest_root"/bin -maxdepth 1 \
			-name "$prog" -print -quit 2>/dev/null)
	fi
	[ -f "$path" ] || die "--bins: no $KARCH program $prog in $guest_root"
	machine=$(readelf -h "$path" 2>/dev/null | sed -n 's/^ *Machine: *//p')
	want=AArch64
	[ "$machine" = "$want" ] ||
		die "--bins: $path is for ${machine:-no machine}, not $KARCH ($want)"
	cp -L "$path" "$init/usr/bin/${prog##*/}"
	foreign_libs_add "$path"
}

# The interpreter and, recursively, the NEEDED libraries of an ELF file,
# from the guest root's multiarch directories to the same paths.
foreign_libs_add() {
	local elf=$1 interp lib src
	interp=$(readelf -l "$elf" 2>/dev/null |
		sed -n 's/.*Requesting program interpreter: \(.*\)]$/\1/p')
	if [ -n "$interp" ] && [ ! -e "$init$interp" ]; then
		mkdir -p "$init$(dirname "$interp")"
		cp -L "$guest_root$interp" "$init$interp"
	fi
	for lib in $(readelf -d "$elf" 2>/dev/null |
		sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
		for src in "$guest_root"/lib/aarch64-linux-gnu/"$lib" \
			"$guest_root"/usr/lib/aarch64-linux-gnu/"$lib"; do
			[ -e "$src" ] || continue
			[ -e "$init${src#"$guest_root"}" ] && break
			mkdir -p "$init$(dirname "${src#"$guest_root"}")"
			cp -L "$src" "$init${src#"$guest_root"}"
			foreign_libs_add "$src"
			break
		done
	done
}

# Quote a value for the guest's sh.
sq() {
	printf "'%s'" "${1//\'/\'\\\'\'}"
}

# ---------------------------------------------------------------------
# Initramfs: busybox, modules, payload, host programs and the init.
# ---------------------------------------------------------------------
init=$out/initramfs
mkdir -p "$init"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root} \
	"$init"/mnt/{ext4,xfs,btrfs,tmpfs} "$init/etc/pcinspect" \
	"$init/lib/modules/$KVER"
cp "$guest_root/bin/busybox" "$init/bin/busybox"
ln -s busybox "$init/bin/sh"
# The kernel's built-in initramfs has /dev/console too; this one is for
# kernels built without it (CONFIG_INITRAMFS_SOURCE).
mknod -m 600 "$init/dev/console" c 5 1 2>/dev/null || true
: >"$init/etc/pcinspect/modules"

modindex_prepare
# nd_e820 and nd_pmem: the emulated persistent memory, x86 only (below).
arch_modules=
[ "$KARCH" = amd64 ] && arch_modules="nd_e820 nd_pmem"
# nfsd and nfsv4: nfs_test serves and mounts an export over loopback.
for m in virtio_pci virtio_blk ext4 xfs btrfs overlay loop dm_mod dm_delay brd \
	fuse nfsd nfsv4 $arch_modules $extra_modules; do
	module_add "$m"
done
for f in modules.order modules.builtin modules.builtin.modinfo; do
	[ -f "$moddir/$f" ] && cp "$moddir/$f" "$init/lib/modules/$KVER/"
done
depmod -b "$init" "$KVER" 2>&1 | grep -v 'could not open modules\.' >&2 || true

for b in $bins; do
	bin_add "$b"
done

mkdir -p "$init/pcinspect"
for p in "${payloads[@]}"; do
	[ -d "$p" ] || die "--payload $p: not a directory"
	cp -a "$p/." "$init/pcinspect/"
done
[ -e "$init/pcinspect/run_guest.sh" ] ||
	cp "$PCI_TOP/selftests/run_guest.sh" "$init/pcinspect/run_guest.sh"
[ -e "$init/pcinspect/kernel-log-patterns" ] ||
	cp "$PCI_TOP/selftests/kernel-log-patterns" "$init/pcinspect/"

[ -n "${PCI_TEST_TIMEOUT:-}" ] && guest_env=("PCI_TEST_TIMEOUT=$PCI_TEST_TIMEOUT" "${guest_env[@]}")
{
	echo "PCI_MODE=$mode"
	echo "PCI_CONSOLE_TTY=$console_tty PCI_RESULTS_TTY=$results_tty"
	echo "export PCI_KNAME=$(sq "$KNAME")"
	echo "export PCI_NUMA_NODES=$numa"
	for e in "${guest_env[@]}"; do
		[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env $e: not VAR=VALUE"
		echo "export ${e%%=*}=$(sq "${e#*=}")"
	done
} >"$init/etc/pcinspect/config"
printf '%s\n' "$run_cmd" >"$init/etc/pcinspect/cmd"

cat >"$init/init" <<'EOF'
#!/bin/sh
# pcinspect guest init, written by scripts/vm-run.sh. It must never exit:
# init exiting panics the kernel, which the log check would report.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH HOME=/root TERM="${TERM:-linux}"

# --install needs /proc/self/exe; it keeps files already there, so
# programs from --bins win over applets of the same name.
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug
# kmemleak (a debug kernel booted with kmemleak=on): no periodic scans,
# which would report leaks of the whole kernel at random moments and slow
# the tests down; leak_test scans when it wants an answer about pcinspect.
[ -w /sys/kernel/debug/kmemleak ] &&
	echo scan=off >/sys/kernel/debug/kmemleak 2>/dev/null
[ -d /sys/kernel/security ] &&
	mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 cgroup2 /sys/fs/cgroup
. /etc/pcinspect/config

# Init messages go to the console; problems tests will trip over also go
# to the results channel as TAP comments.
res=/dev/null
if [ "$PCI_MODE" = run ]; then
	res=/dev/$PCI_RESULTS_TTY
	# No CR before each LF, no echo: the channel is a plain byte stream.
	stty -F $res raw -echo
fi
note() {
	echo "pcinspect-init: $*"
	echo "# vm: $*" >>$res
}

for m in $(cat /etc/pcinspect/modules); do
	modprobe "$m" 2>/dev/null || note "modprobe $m failed"
done

# virtio_blk probes the disks while loading, but give udev-less devtmpfs
# a moment in case probing went asynchronous.
i=0
while [ ! -b /dev/vdd ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

# mount_fs VAR TYPE DEV DIR [OPTIONS]: set VAR to DIR if mounted, else "".
mount_fs() {
	if mount -t "$2" ${5:+-o "$5"} "$3" "$4" 2>/tmp/mount.err; then
		eval "export $1=$4"
	else
		eval "export $1="
		note "mount -t $2 $3 $4 failed: $(cat /tmp/mount.err)"
	fi
}
# Inode tables were zeroed by mkfs: no background init I/O while testing.
mount_fs PCI_EXT4 ext4 /dev/vda /mnt/ext4 noinit_itable
mount_fs PCI_XFS xfs /dev/vdb /mnt/xfs
mount_fs PCI_BTRFS btrfs /dev/vdc /mnt/btrfs
mount_fs PCI_TMPFS tmpfs tmpfs /mnt/tmpfs
export PCI_EXT4_DEV=/dev/vda PCI_XFS_DEV=/dev/vdb PCI_BTRFS_DEV=/dev/vdc
export PCI_SPARE_DEV=/dev/vdd
PCI_KVER=$(uname -r)
export PCI_KVER PCI_PAYLOAD=/pcinspect
export PCI_LOG_PATTERNS=/pcinspect/kernel-log-patterns
PCI_MODULE=
[ -f /pcinspect/pcinspect.ko ] && PCI_MODULE=/pcinspect/pcinspect.ko
[ -n "$PCI_MODULE" ] || PCI_MODULE=$(find /pcinspect -name pcinspect.ko | head -n 1)
export PCI_MODULE

cd /pcinspect || cd /
if [ "$PCI_MODE" = run ]; then
	echo "pcinspect-init: running $(cat /etc/pcinspect/cmd)"
	sh /etc/pcinspect/cmd </dev/null >$res 2>&1
	rc=$?
	echo "PCI-EXIT $rc" >$res
	echo "pcinspect-init: command exited with status $rc"
else
	if [ -n "$PCI_MODULE" ]; then
		insmod "$PCI_MODULE" && echo "pcinspect-init: loaded $PCI_MODULE"
	fi
	echo "pcinspect-init: shell on the console; 'poweroff -f' ends the VM"
	setsid -c sh -l </dev/$PCI_CONSOLE_TTY >/dev/$PCI_CONSOLE_TTY 2>&1
fi
sync
poweroff -f
echo o >/proc/sysrq-trigger
while :; do sleep 1; done
EOF
chmod 755 "$init/init"

(cd "$init" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) \
	>"$out/initramfs.cpio"

# ---------------------------------------------------------------------
# Disks: fresh sparse images, so every run starts from empty filesystems.
# ---------------------------------------------------------------------
mkdisk() {
	rm -f "$out/$1.img"
	truncate -s "${disk_mb}M" "$out/$1.img"
	shift
	[ $# -eq 0 ] || "$@" >"$out/mkfs.log" 2>&1 ||
		die "$* failed: $(cat "$out/mkfs.log")"
}
mkdisk vda mkfs.ext4 -F -q -E lazy_itable_init=0,lazy_journal_init=0 "$out/vda.img"
mkdisk vdb mkfs.xfs -q -f "$out/vdb.img"
mkdisk vdc mkfs.btrfs -q -f "$out/vdc.img"
mkdisk vdd

# ---------------------------------------------------------------------
# Accelerator. This project's hosts have a paravirtual /dev/kvm (kvm_pvm)
# on which Debian kernels die in the decompressor ("KVM internal error"),
# after ~8 s. So "auto" means KVM only with a hardware KVM module
# (kvm_intel, kvm_amd: listed in /sys/module even when built in) and a
# probe boot of this very kernel reaching userspace under it; the verdict
# is cached per host boot and kernel image.
# ---------------------------------------------------------------------
kvm_works() {
	local key verdict dir qpid i
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	[ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ] || return 1
	key=$(printf '%s %s %s' "$(cat /proc/sys/kernel/random/boot_id)" \
		"$VMLINUZ" "$(stat -c %Y "$VMLINUZ")" | md5sum | cut -c1-16)
	verdict=$PCI_CACHE/kvm-probe/$key
	if [ ! -f "$verdict" ]; then
		log "probing KVM with $KNAME (once per host boot)"
		dir=$out/kvm-probe
		mkdir -p "$dir/root/bin" "$dir/root/proc"
		cp /bin/busybox "$dir/root/bin/busybox"
		printf '#!/bin/busybox sh\n/bin/busybox echo PCI-KVM-OK\n/bin/busybox poweroff -f\n' \
			>"$dir/root/init"
		chmod 755 "$dir/root/init"
		(cd "$dir/root" && find . | cpio -o -H newc -R 0:0 --quiet) >"$dir/probe.cpio"
		qemu-system-x86_64 -accel kvm -cpu max -m 256 -smp 1 \
			-display none -monitor none -no-reboot -nodefaults \
			-serial "file:$dir/console.log" -kernel "$VMLINUZ" \
			-initrd "$dir/probe.cpio" \
			-append "console=ttyS0 panic=-1 quiet rdinit=/init" \
			</dev/null >"$dir/qemu.log" 2>&1 &
		qpid=$!
		# A failing KVM stops the VM without exiting QEMU: poll.
		for ((i = 0; i < 60; i++)); do
			grep -qs PCI-KVM-OK "$dir/console.log" && break
			grep -qs 'KVM internal error' "$dir/qemu.log" && break
			kill -0 $qpid 2>/dev/null || break
			sleep 0.5
		done
		kill $qpid 2>/dev/null || true
		wait $qpid 2>/dev/null || true
		mkdir -p "$PCI_CACHE/kvm-probe"
		if grep -qs PCI-KVM-OK "$dir/console.log"; then
			echo yes >"$verdict"
		else
			echo no >"$verdict"
		fi
		rm -rf "$dir"
	fi
	[ "$(cat "$verdict")" = yes ]
}
if [ "$accel" = auto ] && [ "$KARCH" = amd64 ]; then
	accel=tcg
	kvm_works && accel=kvm
fi

# ---------------------------------------------------------------------
# QEMU
# ---------------------------------------------------------------------
# no_timer_check: under TCG (a KASAN kernel above all) the boot-time check
# that timer interrupts arrive through the IO-APIC races the emulation and
# panics with "IO-APIC + timer doesn't work!" now and then.
# thread=single: one host thread runs both vCPUs in turns. With a thread
# per vCPU (MTTCG), a vCPU sometimes executes an int3 that another vCPU's
# static-key patching (text_poke_bp(), e.g. when MGLRU is switched) has
# already removed, and the kernel oopses in the int3 handler ("Oops: int3"
# at a jump label in folio_mark_accessed(), seen on stock 6.12 under the
# stress test). The guest still runs two CPUs concurrently, interleaved.
# 16 MiB of guest RAM at 256 MiB become emulated persistent memory: an
# e820 range of type 12 (memmap=SIZE!START) that nd_e820 and nd_pmem turn
# into /dev/pmem0, on which ext4 mounts with -o dax (ident_test's DAX
# test). Low in memory: QEMU puts the initramfs at the top, and KASLR
# keeps the kernel out of memmap= ranges.
accel_opts=$accel
[ "$accel" = tcg ] && accel_opts="tcg,thread=${PCINSPECT_TCG_THREAD:-single}"
qemu=("$qemu_bin" -accel "$accel_opts" -m "$mem"
	-no-reboot -nodefaults -display none
	-kernel "$VMLINUZ" -initrd "$out/initramfs.cpio")
if [ "$KARCH" = amd64 ]; then
	[ "$mem" -ge 512 ] && append=" memmap=16M!256M$append"
	qemu+=(-cpu max
		-append "console=ttyS0 panic=-1 loglevel=7 no_timer_check rdinit=/init$append")
else
	# The virt board. pauth-impdef: QEMU's documentation calls the
	# architected pointer authentication (QARMA5) expensive to emulate;
	# the implementation-defined algorithm is cheap, and the guest only
	# needs signatures to match.
	qemu+=(-M virt -cpu max,pauth-impdef=on
		-append "console=ttyAMA0 panic=-1 loglevel=7 rdinit=/init$append")
fi
# Guest RAM is allocated and touched when QEMU starts (prealloc), not at
# the guest's first write to each page: twice a guest crawled for tens of
# seconds zeroing pages it had never used before, late in a run (a 2 MiB
# THP fault in stress_test on 6.12, a kvcalloc on the debug kernel),
# tripping the soft-lockup detector with no host steal time recorded. A
# host-side first-touch fault of this (itself virtual) machine is the
# suspect; prealloc moves that cost to before the boot.
prealloc=on
[ "${PCINSPECT_MEM_PREALLOC:-1}" = 0 ] && prealloc=off
if [ "$numa" -ge 2 ]; then
	# Node i gets mem/numa MiB (the last one the remainder too) and CPU
	# i, alone in its socket: CPUs of one socket on different nodes
	# make the kernel WARN at boot (topology_sane(), smpboot.c).
	qemu+=(-smp "$numa,sockets=$numa,cores=1,threads=1")
	per=$((mem / numa))
	for ((i = 0; i < numa; i++)); do
		sz=$per
		[ $i -eq $((numa - 1)) ] && sz=$((mem - per * (numa - 1)))
		qemu+=(-object "memory-backend-ram,id=mem$i,size=${sz}M,prealloc=$prealloc"
			-numa "node,nodeid=$i,cpus=$i,memdev=mem$i")
	done
else
	qemu+=(-smp 2)
	[ "$prealloc" = on ] && qemu+=(-mem-prealloc)
fi
for d in vda vdb vdc vdd; do
	qemu+=(-drive "file=$out/$d.img,if=virtio,format=raw,cache=unsafe")
done
: >"$out/output.log"
# append=on: the host created the file, so a reader may open it before
# QEMU does without seeing it truncated.
results=(-chardev "file,id=results,path=$out/output.log,append=on")
if [ "$KARCH" = amd64 ]; then
	results+=(-serial chardev:results)
else
	results+=(-device virtio-serial-pci -device virtconsole,chardev=results)
fi

# --foreground lets an interactive QEMU keep the terminal.
tmo=()
if [ "$timeout" -gt 0 ]; then
	tmo=(timeout -k 10)
	[ $mode = shell ] && tmo+=(--foreground)
	tmo+=("$timeout")
fi
log "booting $KNAME under $accel ($mem MiB, $numa NUMA nodes)"
start=$(date +%s)
qrc=0
if [ $mode = shell ]; then
	# The console is stdio and also logged; Ctrl-C goes to the guest,
	# Ctrl-A x quits QEMU.
	"${tmo[@]}" "${qemu[@]}" \
		-chardev "stdio,id=con,mux=on,signal=off,logfile=$out/console.log" \
		-serial chardev:con -mon chardev=con "${results[@]}" || qrc=$?
else
	"${tmo[@]}" "${qemu[@]}" -monitor none \
		-chardev "file,id=con,path=$out/console.log" -serial chardev:con \
		"${results[@]}" </dev/null >"$out/qemu.log" 2>&1 &
	qpid=$!
	trap 'exit 130' INT TERM
	# Stream the results channel; tail exits after a last read once QEMU
	# is gone.
	tail -n +1 -f --pid=$qpid "$out/output.log" |
		sed -u -e 's/\r$//' -e '/^PCI-EXIT [0-9]*$/d' &
	tpid=$!
	# A KVM that cannot run this guest stops it without ending QEMU:
	# do not sit out the whole timeout. The loop also notes when this
	# host itself stalled (a 1 s sleep that took over 5 s): under TCG the
	# guest's clock follows the host's, so a stalled host looks to the
	# guest's watchdogs like a CPU stuck for as long. Such stalls are
	# reported beside any kernel-log bug; they never change the verdict.
	steal0=$(awk '/^cpu / { print $9; exit }' /proc/stat)
	: >"$out/host-stalls.log"
	prev=$(date +%s%N)
	while kill -0 $qpid 2>/dev/null; do
		if [ "$accel" = kvm ] && grep -qs 'KVM internal error' "$out/qemu.log"; then
			log "KVM cannot run this guest (see $out/qemu.log): try --accel tcg"
			kill $qpid 2>/dev/null || true
			break
		fi
		sleep 1
		now=$(date +%s%N)
		if [ $((now - prev)) -gt 5000000000 ]; then
			echo "$(date -u +%T) host stalled: a 1 s sleep took $(((now - prev) / 1000000)) ms, $(($(date +%s) - start)) s into the run" >>"$out/host-stalls.log"
		fi
		prev=$now
	done
	steal1=$(awk '/^cpu / { print $9; exit }' /proc/stat)
	echo "host steal time during the run: $(((steal1 - steal0) * 10)) ms" >>"$out/host-stalls.log"
	wait $qpid || qrc=$?
	qpid=
	wait $tpid || true
	trap - INT TERM
fi
log "VM ran $(($(date +%s) - start)) s"

rc=$(sed -n 's/^PCI-EXIT \([0-9]*\)\r\{0,1\}$/\1/p' "$out/output.log" | tail -n 1)
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	log "timeout after $timeout s; end of $out/console.log:"
	tail -n 40 "$out/console.log" | tr -d '\r' >&2
	rc=124
elif [ $mode = shell ]; then
	rc=$qrc
elif [ -z "$rc" ]; then
	log "the guest reported no exit status (qemu: $qrc); end of $out/console.log:"
	tail -n 40 "$out/console.log" | tr -d '\r' >&2
	cat "$out/qemu.log" >&2
	rc=2
fi

# ---------------------------------------------------------------------
# Kernel log check over the whole console log, boot included.
# ---------------------------------------------------------------------
pat=$out/kernel-log-patterns.re
grep -vE '^[[:space:]]*(#|$)' "$PCI_TOP/selftests/kernel-log-patterns" >"$pat"
if [ -f "$out/console.log" ] && tr -d '\r' <"$out/console.log" | grep -qEf "$pat"; then
	log "kernel log of $KNAME shows bugs ($out/console.log):"
	# Kept apart so that callers can tell bugs from failed tests.
	tr -d '\r' <"$out/console.log" | grep -n -E -B 2 -A 25 -f "$pat" |
		head -n 400 | tee "$out/kernel-log-bugs" >&2
	[ -s "$out/host-stalls.log" ] && sed 's/^/host: /' "$out/host-stalls.log" >&2
	[ "$rc" -eq 0 ] && rc=3
fi

log "vm-run: $KNAME exit status $rc"
exit "$rc"
