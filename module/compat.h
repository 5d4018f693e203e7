/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, resolved from the HAVE_* defines that
 * scripts/probe-kernel.sh generated for the kernel being built against.
 * Fallbacks live here and nowhere else.
 */
#ifndef PCINSPECT_COMPAT_H
#define PCINSPECT_COMPAT_H

#include <linux/fs.h>
#include <linux/xarray.h>

/*
 * Order of the multi-index entry the xa_state points at. Without
 * xas_get_order() (before 6.7, unless backported) shadow and swap entries
 * count as one page each; folios give their own size.
 */
static inline unsigned int pcinspect_xas_order(struct xa_state *xas)
{
#ifdef HAVE_XAS_GET_ORDER
	return xas_get_order(xas);
#else
	return 0;
#endif
}

/*
 * The inode of the block device @dev, which holds its page cache, looked up
 * without opening the device: an open runs the driver's open (media checks,
 * spin-ups) and makes the device busy (dmsetup remove, cryptsetup close
 * fail with EBUSY). bdev_add() hashes each bdev inode by its device number.
 * NULL when no such device exists, or without the export.
 */
static inline struct inode *pcinspect_bdev_inode(dev_t dev)
{
#ifdef HAVE_BLOCKDEV_SUPERBLOCK
	return ilookup(blockdev_superblock, dev);
#else
	return NULL;
#endif
}

/* True when scripts/probe-kernel.sh found HAVE_<x>; usable in if (). */
#define IS_ENABLED_HAVE(x) __is_defined(HAVE_##x)

#endif /* PCINSPECT_COMPAT_H */
