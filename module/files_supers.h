/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every superblock with page cache and the cached inodes on each, for the
 * files listing (module/files_supers.c, Documentation/ABI.md "files").
 */
#ifndef PCINSPECT_FILES_SUPERS_H
#define PCINSPECT_FILES_SUPERS_H

#include <linux/fs.h>
#include <linux/types.h>

/* What one enumeration met and passed over; the walk line prints these. */
struct pcinspect_supers_stats {
	unsigned int types;	/* filesystem types walked */
	unsigned int frozen;	/* superblocks passed over: frozen */
	unsigned int hugetlbfs;	/* superblocks passed over: hugetlbfs */
	unsigned int yielded;	/* walks cut short for umount, remount, freeze */
	unsigned int unreached;	/* mounts whose superblock no walk met */
	unsigned long visited;	/* inodes looked at on the inode lists */
	unsigned long skipped;	/* cached inodes being set up or freed */
};

struct pcinspect_supers_ops {
	/*
	 * A superblock about to be walked, of the type named @fs; @bdev for
	 * the block devices' own. 0 walks it, 1 passes over it, a negative
	 * errno ends the enumeration.
	 */
	int (*sb_begin)(void *arg, struct super_block *sb, const char *fs,
			bool bdev);
	/* A referenced inode with pages in the page cache; may sleep. */
	int (*inode)(void *arg, struct inode *inode);
	/* The walk that sb_begin() started is over: whole or cut short. */
	void (*sb_end)(void *arg, bool complete);
};

int pcinspect_supers_walk(const char *fs, const struct pcinspect_supers_ops *ops,
			  void *arg, struct pcinspect_supers_stats *stats);

#endif /* PCINSPECT_FILES_SUPERS_H */
