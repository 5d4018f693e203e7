#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [KERNEL...]: the whole test suite (make check). For every kernel
# of the matrix (default: all of scripts/kernels.conf plus the debug
# kernel), build the module with -Werror and run the selftests in a VM;
# check that refused kernels are refused; run checkpatch --strict and the
# host-side tests. Ends with "N passed, N failed, N skipped" and exits 1
# when anything failed.
#
# Environment: PCINSPECT_KERNELS (space-separated, overrides the default
# list), PCINSPECT_NO_DEBUG=1 (leave out the debug kernel),
# PCI_TEST_TIMEOUT (per test program in the guest, seconds),
# PCINSPECT_NO_DKMS=1 (leave out the DKMS install test, scripts/dkms-test.sh),
# PCINSPECT_DEMO_KERNEL (the kernel the demo boots, default 6.12),
# PCINSPECT_NO_DEMO=1 (leave out the demo test), PCINSPECT_NO_MATRIX=1
# (leave out the configuration matrix, scripts/config-matrix.sh; also left
# out when kernels are named), PCINSPECT_JOBS (kernels tested at once,
# default 2: one single-threaded guest per core).
set -uo pipefail
source "$(dirname "$0")/lib.sh"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
t0=$(date +%s)

pass() { echo "PASS $*" | tee -a "$results"; }
fail() { echo "FAIL $*" | tee -a "$results"; }
skip() { echo "SKIP $*" | tee -a "$results"; }

# Host tools everything below needs, from Debian's packages.
pci_need_host_pkgs

kernels=("$@")
if [ ${#kernels[@]} -eq 0 ]; then
	if [ -n "${PCINSPECT_KERNELS:-}" ]; then
		read -ra kernels <<<"$PCINSPECT_KERNELS"
	else
		mapfile -t kernels < <(awk '!/^#/ && NF { print $1 }' \
			"$PCI_TOP/scripts/kernels.conf")
		[ "${PCINSPECT_NO_DEBUG:-0}" = 1 ] || kernels+=(debug)
	fi
fi

# --- host checks ---------------------------------------------------------
if "$PCI_TOP/scripts/checkpatch.sh"; then
	pass "host: checkpatch --strict"
else
	fail "host: checkpatch --strict"
fi

tools=$("$PCI_TOP/scripts/fetch-source.sh") || die "fetch-source.sh failed"
st_out=$PCI_CACHE/selftests-out
if make -s -C "$PCI_TOP/selftests" OUT="$st_out" \
	KSFT_DIR="$tools/tools/testing/selftests" >&2; then
	pass "host: selftests build"
else
	fail "host: selftests build"
fi

# The reader and its host unit tests (TAP: each case counts).
if make -s -C "$PCI_TOP/userspace" >&2; then
	pass "host: reader build"
else
	fail "host: reader build"
fi
reader_check=$(mktemp)
make -s -C "$PCI_TOP/userspace" check >"$reader_check" 2>&1
reader_status=$?
awk '/^ok / { sub(/^ok [0-9]+ (- )?/, ""); print "PASS host: reader: " $0 }
     /^not ok / { sub(/^not ok [0-9]+ (- )?/, ""); print "FAIL host: reader: " $0 }' \
	"$reader_check" | tee -a "$results"
# A test that does not build, or stops before its plan, prints no "not ok".
if [ $reader_status -ne 0 ] && ! grep -q '^not ok ' "$reader_check"; then
	fail "host: reader: make check exited $reader_status"
	tail -20 "$reader_check" >&2
fi
rm -f "$reader_check"
reader=$PCI_TOP/userspace/out/pcinspect

# --- per kernel ----------------------------------------------------------
# Each kernel is one job: fetch (or build) it, build the module, run the
# selftests in a VM. Guests are single-threaded TCG, so up to
# $PCINSPECT_JOBS jobs (default 2, one per core) run at once; each writes
# its PASS/FAIL lines to its own file, shown when it ends. The debug
# kernel goes first, because it takes longest: on a cold cache its build
# (22 min on 2 cores) runs niced beside the other kernels' guests.
jobs_max=${PCINSPECT_JOBS:-2}
jobs_dir=$(mktemp -d)
trap 'rm -f "$results"; rm -rf "$jobs_dir"' EXIT

kernel_env() {
	if [ "$1" = debug ]; then
		nice -n 10 "$PCI_TOP/scripts/build-debug-kernel.sh"
	else
		"$PCI_TOP/scripts/fetch-kernel.sh" "$1"
	fi
}

# kernel_job K: everything for one kernel; PASS/FAIL/SKIP lines on stdout.
# K "matrix" is the configuration matrix (scripts/config-matrix.sh).
kernel_job() {
	local k=$1 env status out ko payload dko vm_timeout vm_status
	local karch kreader gt
	local vm_append=()
	pass() { echo "PASS $*"; }
	fail() { echo "FAIL $*"; }
	if [ "$k" = matrix ]; then
		out=$("$PCI_TOP/scripts/config-matrix.sh")
		status=$?
		grep -E '^(PASS|FAIL|SKIP) ' <<<"$out"
		# A script that died before printing its FAILs still fails.
		[ $status -ne 0 ] && ! grep -q '^FAIL' <<<"$out" &&
			fail "matrix: config-matrix.sh exited $status"
		return
	fi
	if ! env=$(kernel_env "$k"); then
		fail "$k: fetch or build the kernel"
		return
	fi
	status=$(sed -n 's/^KSTATUS=//p' "$env")
	if [ "$status" = compiled ]; then
		# Cross-built against another architecture's headers, not booted.
		if ko=$("$PCI_TOP/scripts/build-module.sh" "$env"); then
			pass "$k: module cross-build with -Werror ($(readelf -h "$ko" |
				sed -n 's/^ *Machine: *//p'), $(grep -c '^#define HAVE_' \
				"$(dirname "$ko")/generated/pcinspect_config.h") probes passed; not booted)"
		else
			fail "$k: module cross-build with -Werror"
		fi
		return
	fi
	if [ "$status" = refused ]; then
		# The build must stop in the probes, saying why.
		out=$("$PCI_TOP/scripts/build-module.sh" "$env" 2>&1)
		if [ $? -ne 0 ] && grep -q 'pcinspect: cannot build for' <<<"$out"; then
			pass "$k: build refused with a message"
		else
			fail "$k: build refused with a message"
			echo "$out" | tail -20 >&2
		fi
		return
	fi
	if ! ko=$("$PCI_TOP/scripts/build-module.sh" "$env"); then
		fail "$k: module build with -Werror"
		return
	fi
	pass "$k: module build with -Werror"

	payload=$PCI_CACHE/payload/$k
	rm -rf "$payload"
	mkdir -p "$payload/selftests"
	# The module dkms built for this kernel, when dkms-test.sh built one
	# (the same sources: it compared srcversion): what a test machine
	# installs is what the tests load.
	dko=$PCI_CACHE/dkms-ko/$k/pcinspect.ko
	if [ -f "$dko" ]; then
		log "$k: the VM tests load the DKMS-built $dko"
		cp "$dko" "$payload/pcinspect.ko"
	else
		cp "$ko" "$payload/"
	fi
	cp "$(dirname "$ko")/pcinspect_walk_test.ko" "$payload/"
	# The guest's own architecture's selftests and reader: the host's
	# for amd64, cross-built for arm64.
	karch=$(sed -n 's/^KARCH=//p' "$env")
	kreader=$reader
	if [ "${karch:-amd64}" = amd64 ]; then
		cp "$st_out"/* "$payload/selftests/"
	elif gt=$("$PCI_TOP/scripts/build-guest-tools.sh" "$karch"); then
		pass "$k: $karch selftests and reader cross-build"
		cp "$gt"/selftests/* "$payload/selftests/"
		kreader=$gt/pcinspect
	else
		fail "$k: $karch selftests and reader cross-build"
		return
	fi
	[ -x "$kreader" ] && cp "$kreader" "$payload/pcinspect-reader"
	# Whole-VM limit: the debug kernel (KASAN, lockdep) runs the same
	# tests about three times slower.
	# The debug kernel also tracks every allocation for kmemleak, which
	# leak_test scans after its queries.
	vm_timeout=1800
	if [ "$k" = debug ]; then
		vm_timeout=3600
		vm_append=(--append kmemleak=on)
	fi
	# The debug kernel's tests take half an hour in one guest, the
	# longest path of a run (the last on a cold cache, behind its own
	# build): they run in two guests at once, each with a part of TESTS
	# (debug_part). PCINSPECT_DEBUG_GUESTS=1: one guest.
	local parts=(all) part
	if [ "$k" = debug ] && [ "${PCINSPECT_DEBUG_GUESTS:-2}" = 2 ]; then
		parts=(1 2)
		for part in 1 2; do
			rm -rf "$payload-$part"
			cp -a "$payload" "$payload-$part"
			debug_part "$part" <"$payload/selftests/TESTS" \
				>"$payload-$part/selftests/TESTS"
		done
	fi
	log "running the selftests on $k in ${#parts[@]} VM(s)"
	# Wait for the guests by pid: a bare "wait" would also wait for the
	# process substitution that reads this job's stderr (bash 5.1 on),
	# which ends only when this job does.
	local guests=()
	for part in "${parts[@]}"; do
		vm_guest "$part" &
		guests+=($!)
	done
	wait "${guests[@]}"
	for part in "${parts[@]}"; do
		vm_results "$part"
	done
}

# debug_part N: the lines of TESTS (stdin) the debug kernel's guest N
# runs. Guest 2 takes the tests below, which take about as long on the
# debug kernel as the rest beside other guests, as check.sh runs them.
# One guest alone (2026-12-07) ran them in 354 s, 127 of it stress_test
# (a set duration) and nfs_test (nfsd's grace periods), which a loaded
# host hardly lengthens, and the rest in 300 s of work (lru_test 130,
# reader_test 101), which took 2 to 3 times as long beside other guests.
# lockdown_test, which locks the kernel down, stays last in 1.
debug_part() {
	local second=" supers_test leak_test stress_test fuzz_test memcg_test
		perm_test field_test ident_test nfs_test "
	local t
	while read -r t; do
		case $second in
		*[[:space:]]"$t"[[:space:]]*) [ "$1" = 2 ] && echo "$t" ;;
		*) [ "$1" = 1 ] && echo "$t" ;;
		esac
	done
}

# vm_guest PART: one guest of kernel_job's kernel on its payload (PART
# "all": the whole payload); its TAP, status and run directory by PART.
vm_guest() {
	local pl=$payload name=$k
	if [ "$1" != all ]; then
		pl=$payload-$1
		name=$k-$1
	fi
	rm -rf "$PCI_CACHE/runs/check-$name"
	"$PCI_TOP/scripts/vm-run.sh" --payload "$pl" \
		--out "$PCI_CACHE/runs/check-$name" \
		--timeout "$vm_timeout" "${vm_append[@]}" \
		--bins "dmsetup mkfs.ext4 chattr ${kreader:+$kreader}" "$env" \
		>"$PCI_CACHE/payload/$name.tap"
	echo $? >"$PCI_CACHE/payload/$name.status"
}

# vm_results PART: the PASS/FAIL lines of vm_guest PART's run.
vm_results() {
	local name=$k label=$k run_dir
	if [ "$1" != all ]; then
		name=$k-$1
		label="$k (guest $1)"
	fi
	run_dir=$PCI_CACHE/runs/check-$name
	vm_status=$(cat "$PCI_CACHE/payload/$name.status" 2>/dev/null || echo 99)
	"$PCI_TOP/scripts/tap-summary.sh" --kernel "$k" \
		"$PCI_CACHE/payload/$name.tap"
	# Status 1 is failed tests, counted above; the rest mean the VM
	# timed out or crashed. Bugs in the kernel log count on their own.
	case $vm_status in
	0|1) pass "$label: VM completed" ;;
	*) fail "$label: VM completed (vm-run.sh exit $vm_status)" ;;
	esac
	if [ -s "$run_dir/kernel-log-bugs" ] || [ ! -s "$run_dir/console.log" ]; then
		fail "$label: kernel log clean (see $run_dir)"
		head -40 "$run_dir/kernel-log-bugs" 2>/dev/null | sed 's/^/  | /' >&2
	else
		pass "$label: kernel log clean"
	fi
}

# The configuration matrix runs with the default kernel list (or when
# PCINSPECT_KERNELS names "matrix"), second: it is the next longest on a
# cold cache (18 min measured, preparing 17 kernel trees on one core).
# Order of the list below: debug, matrix, the rest.
ordered=()
for k in "${kernels[@]}"; do
	[ "$k" = debug ] && ordered=(debug "${ordered[@]}") || ordered+=("$k")
done
if [ "${PCINSPECT_NO_MATRIX:-0}" != 1 ] && [ $# -eq 0 ] &&
   [ -z "${PCINSPECT_KERNELS:-}" ]; then
	if [ "${ordered[0]:-}" = debug ]; then
		ordered=(debug matrix "${ordered[@]:1}")
	else
		ordered=(matrix "${ordered[@]}")
	fi
fi
declare -A job_of=()
# job_start K: run kernel_job K in the background, once a slot is free.
job_start() {
	while [ ${#job_of[@]} -ge "$jobs_max" ]; do
		wait -n -p done_pid "${!job_of[@]}"
		job_done "$done_pid"
	done
	log "$1: started"
	rm -f "$PCI_CACHE/payload/$1.tap" "$PCI_CACHE/payload/$1"-[12].tap
	kernel_job "$1" >"$jobs_dir/$1.results" 2> >(sed -u "s/^/[$1] /" >&2) &
	job_of[$!]=$1
}
# job_done PID: show the results of the job that ran as PID.
job_done() {
	local k=${job_of[$1]}
	cat "$jobs_dir/$k.results" | tee -a "$results"
	log "$k: done"
	unset "job_of[$1]"
}
# The longest jobs start now, beside the DKMS test and the demo below,
# while slots are free: the debug kernel, then the configuration matrix,
# which needs nothing of the DKMS test (the kernel jobs do: they load the
# modules it built). On a cold cache that overlaps the matrix's 18 min
# with the DKMS test's downloads and chroots instead of following them.
early=" "
for k in debug matrix; do
	[[ " ${ordered[*]} " == *" $k "* ]] || continue
	[ ${#job_of[@]} -lt "$jobs_max" ] || break
	job_start "$k"
	early+="$k "
done

# --- DKMS install path (issue 7) -------------------------------------------
# How test machines get pcinspect: scripts/dkms-test.sh runs Debian's dkms
# for each kernel of the matrix in a private root (add/build/install, .ko
# compared with build-module.sh's, refused kernels refused) and installs the
# `make deb` packages with apt in a sid root (dkms autoinstall on 7.2, then
# purge). It runs before the loop below, whose module builds then reuse
# its objects. PCINSPECT_NO_DKMS=1 leaves it out. The debug kernel is
# never installed through DKMS, so it is not passed on.
dkms_kernels=()
for k in "${kernels[@]}"; do
	[ "$k" = debug ] || [ "$k" = matrix ] || dkms_kernels+=("$k")
done
if [ "${PCINSPECT_NO_DKMS:-0}" = 1 ]; then
	skip "host: dkms: not tested (PCINSPECT_NO_DKMS=1)"
elif [ ${#dkms_kernels[@]} -eq 0 ]; then
	skip "host: dkms: not tested (no kernel of scripts/kernels.conf selected)"
else
	dkms_out=$("$PCI_TOP/scripts/dkms-test.sh" "${dkms_kernels[@]}")
	dkms_status=$?
	grep -E '^(PASS|FAIL|SKIP) ' <<<"$dkms_out" |
		sed -E 's/^(PASS|FAIL|SKIP) /\1 host: /' | tee -a "$results"
	# A script that died before printing its FAILs still fails.
	if [ $dkms_status -ne 0 ] && ! grep -q '^FAIL' <<<"$dkms_out"; then
		fail "host: dkms: dkms-test.sh exited $dkms_status"
	fi
fi

# --- the demo (issue 14) ---------------------------------------------------
# README's first command, run as a user runs it (it installs what it needs
# through the same pci_need_host_pkgs as everything here), on one kernel;
# its output must show the reader's tables beside the raw debugfs files.
demo_kernel=${PCINSPECT_DEMO_KERNEL:-6.12}
# demo_has WHAT REGEX: the demo printed a line matching REGEX.
demo_has() {
	grep -qE -- "$2" "$demo_out" || {
		echo "  the demo printed no line matching: $2 ($1)" >&2
		return 1
	}
}
demo_tables() {
	demo_has "pcinspect file" '^ *CACHED +PAGES +SIZE +DIRTY .* PATH$' &&
		demo_has "pcinspect file" ' pcinspect /mnt/ext4/demo\.dat$' &&
		demo_has "pcinspect file --map" '^ *FIRST +LAST +PAGES +SIZE +STATE' &&
		demo_has "pcinspect top" '^ *CACHED +PAGES +SIZE +DIRTY +WRITEBACK +FS +DEV +INO +PATH$' &&
		demo_has "pcinspect top" ' ext4 +[0-9]+:[0-9]+ +[0-9]+ /mnt/ext4/demo\.dat$' &&
		demo_has "pcinspect lru --summary" '^ *NODE +ZONE +LIST +WALKED +COUNTER' &&
		demo_has "pcinspect lru --summary" '^ *LRUVECS .* MAX_HOLD +HOLD ' &&
		demo_has "pcinspect lru --files" '^ *LRU .* PATH$'
}
demo_raw() {
	demo_has version '^features: ' &&
		demo_has report '^path: /mnt/ext4/demo\.dat$' &&
		demo_has report '^cached: [0-9]+$' &&
		demo_has map '^map: first last state' &&
		demo_has files '^# pcinspect files format [0-9]+: ' &&
		demo_has files '^ext4 [0-9]+:[0-9]+ [0-9]+ [0-9a-f]{16} [0-9]+ [0-9]+ [0-9]+ [0-9]+ reg path /demo\.dat$' &&
		demo_has lru '^zone node=[0-9]+ zone=[A-Za-z0-9]+ list=' &&
		demo_has lru '^# walk lruvecs=' &&
		demo_has lru-files '^# pcinspect lru-files format [0-9]+: '
}
# The reader's PAGES for the ext4 file and the raw report's cached: the
# same file, untouched in between.
demo_agree() {
	local table raw
	table=$(awk '$NF == "/mnt/ext4/demo.dat" && $(NF - 1) == "pcinspect" { print $2; exit }' "$demo_out")
	raw=$(sed -n 's/^cached: //p' "$demo_out" | head -1)
	[ -n "$raw" ] && [ "$table" = "$raw" ] || {
		echo "  pcinspect file says $table pages, the report cached: $raw" >&2
		return 1
	}
}
if [ "${PCINSPECT_NO_DEMO:-0}" = 1 ]; then
	skip "host: demo: not run (PCINSPECT_NO_DEMO=1)"
else
	demo_out=$PCI_CACHE/runs/demo-check.out
	mkdir -p "$PCI_CACHE/runs"
	log "running the demo on $demo_kernel"
	if "$PCI_TOP/scripts/demo.sh" "$demo_kernel" >"$demo_out"; then
		pass "host: demo: ./scripts/demo.sh $demo_kernel ran (exit 0)"
	else
		fail "host: demo: ./scripts/demo.sh $demo_kernel ran (exit $?, output in $demo_out)"
	fi
	if demo_tables; then
		pass "host: demo: shows the reader's tables (file, file --map, top, lru --summary, lru --files)"
	else
		fail "host: demo: shows the reader's tables (output in $demo_out)"
	fi
	if demo_raw; then
		pass "host: demo: shows the raw debugfs files (version, report, map, files, lru, lru-files)"
	else
		fail "host: demo: shows the raw debugfs files (output in $demo_out)"
	fi
	if demo_agree; then
		pass "host: demo: the reader's table and the raw report agree on the ext4 file"
	else
		fail "host: demo: the reader's table and the raw report agree on the ext4 file"
	fi
fi

for k in "${ordered[@]}"; do
	[[ $early == *" $k "* ]] || job_start "$k"
done
while [ ${#job_of[@]} -gt 0 ]; do
	wait -n -p done_pid "${!job_of[@]}"
	job_done "$done_pid"
done

# The tail of every failed case, where a shortened log keeps it.
for k in "${ordered[@]}"; do
	for tap in "$PCI_CACHE/payload/$k.tap" "$PCI_CACHE/payload/$k"-[12].tap; do
		[ -f "$tap" ] &&
			"$PCI_TOP/scripts/tap-summary.sh" --why --kernel "$k" \
				"$tap" | head -200
	done
done >"$jobs_dir/why"
if [ -s "$jobs_dir/why" ]; then
	echo
	echo "What the failed cases printed last:"
	cat "$jobs_dir/why"
fi

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
echo
grep '^FAIL' "$results" || true
log "check took $(( $(date +%s) - t0 )) s for: ${kernels[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
