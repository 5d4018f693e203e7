// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_INODE_STATE_READ: inode->i_state is hidden behind inode_state_read(),
 * which asserts that i_lock is held (7.2). Before, the field is read
 * directly under i_lock. Used by the system-wide listing (files.c).
 */
#include <linux/fs.h>

unsigned long pcinspect_probe(struct inode *inode)
{
	return inode_state_read(inode) & (I_FREEING | I_WILL_FREE | I_NEW);
}
