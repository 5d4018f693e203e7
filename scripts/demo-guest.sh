#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# demo-guest.sh: what "make demo" shows inside the VM (busybox sh).
set -e
D=/sys/kernel/debug/pcinspect
F=${PCI_EXT4:-/mnt/ext4}/demo.dat

step() { printf '\n### %s\n' "$*"; }

step "insmod pcinspect.ko"
insmod /pcinspect/pcinspect.ko
ls -l $D
cat $D/version

step "a 16 MiB file on ext4: written, synced, dropped from the cache"
dd if=/dev/urandom of=$F bs=1M count=16 2>/dev/null
sync
echo 3 >/proc/sys/vm/drop_caches
echo "then: read 4 MiB at offset 2 MiB, rewrite 256 KiB at offset 10 MiB"
dd if=$F of=/dev/null bs=1M skip=2 count=4 2>/dev/null
dd if=/dev/zero of=$F bs=64K seek=160 count=4 conv=notrunc 2>/dev/null

step "echo $F > $D/select; cat $D/report"
echo "$F" >$D/select
cat $D/report

step "the page map (query file: private to this reader)"
exec 3<>$D/query
echo "map $F" >&3
sed -n '/^map:/,$p' <&3
exec 3>&-

step "lockdown-safe route, after sync: cat $D/stdin-map < $F"
sync
cat $D/stdin-map <$F | grep -E '^(cached|dirty|writeback|mapped|lru|active|inactive|mglru_age[0-3]|node[0-9]+\.cached|memcg[0-9]+\.(cached|path)|walk_ns|map):|^[0-9]'

step "the LRU lists, walked: per zone beside the kernel's counters"
grep '^zone ' $D/lru
grep '^# walk' $D/lru

step "the files with the most pages on the LRU lists (lru-files)"
head -6 $D/lru-files
