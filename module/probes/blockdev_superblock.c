// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_BLOCKDEV_SUPERBLOCK: the superblock of the block devices' pseudo
 * filesystem is exported. Its type ("bdev") is kern_mount()ed but not
 * registered, so neither /proc/filesystems nor get_fs_type() knows it: the
 * system-wide listing (files.c) reaches the block devices' page cache
 * through this pointer. Without it, block devices are not listed.
 * exports: blockdev_superblock
 */
#include <linux/fs.h>

bool pcinspect_probe(struct super_block *sb)
{
	return sb_is_blkdev_sb(sb) && !list_empty(&blockdev_superblock->s_inodes);
}
