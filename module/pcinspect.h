/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcinspect: page-cache inspection through debugfs.
 * Declarations shared between the module's files.
 */
#ifndef PCINSPECT_H
#define PCINSPECT_H

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/sched/signal.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/*
 * Version of the debugfs formats documented in Documentation/ABI.md.
 * Readers refuse a format they do not know; bump it on any change that
 * is not a pure addition of keys.
 */
#define PCINSPECT_FORMAT 4

/* Pages per rescheduling point in long walks (see walk.c). */
#define PCINSPECT_RESCHED_BATCH 1024

/*
 * Large buffers (listings, the LRU files table): vmalloc above 64 KiB.
 * vmalloc takes pages in batches with a cond_resched() between; kvmalloc
 * would first try one high-order kmalloc, which zeroes the whole block
 * without a scheduling point where init_on_alloc is on (Debian's default;
 * Documentation/kernel-facts.md, "Facts the code relies on"). Free with
 * kvfree().
 */
#define PCINSPECT_BIG_ALLOC	(64UL << 10)

static inline void *pcinspect_big_alloc(size_t size, bool zero)
{
	if (size <= PCINSPECT_BIG_ALLOC)
		return zero ? kvzalloc(size, GFP_KERNEL) : kvmalloc(size, GFP_KERNEL);
	return zero ? vzalloc(size) : vmalloc(size);
}

/*
 * Long walks stop only for a fatal signal (the reader is being killed:
 * SIGKILL, or a signal it does not handle). A handled signal must not stop
 * them: Go programs get SIGURG every ~10 ms and profilers SIGPROF, and a
 * walk that failed with EINTR, or restarted from its beginning
 * (-ERESTARTSYS), would be interrupted again and never complete. Walks are
 * bounded and reschedule, so finishing them costs the handler a short delay.
 */
static inline bool pcinspect_killed(void)
{
	return fatal_signal_pending(current);
}

/*
 * The identity of an in-memory inode, as files and lru-files print it
 * (the "id" column): a keyed hash of the inode's address, so that no
 * kernel address is shown. Device and inode number do not tell files
 * apart everywhere (every btrfs subvolume numbers its inodes from 256 on
 * one superblock); the inode itself does, for as long as it is in memory,
 * and a file with pages in the page cache keeps its inode in memory.
 * Never followed: a freed inode's address may be reused by another, which
 * the reader tells apart by dev and ino. The key is drawn at module load.
 */
extern siphash_key_t pcinspect_id_key;

static inline u64 pcinspect_inode_id(const void *inode)
{
	return siphash_1u64((unsigned long)inode, &pcinspect_id_key);
}

/*
 * The device number files, lru-files and the report's cache_dev give an
 * inode holding page cache: a block device's own (its bdev inode's
 * i_rdev), else its superblock's (which on btrfs is not stat's st_dev).
 * @sb is @inode's, passed in for callers that read it once under RCU.
 */
static inline dev_t pcinspect_inode_dev(const struct super_block *sb,
					const struct inode *inode)
{
	return sb->s_magic == BDEVFS_MAGIC ? inode->i_rdev : sb->s_dev;
}

int pcinspect_query_init(struct dentry *root);
void pcinspect_query_exit(void);

#endif /* PCINSPECT_H */
