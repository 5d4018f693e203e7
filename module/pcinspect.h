/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcinspect: page-cache inspection through debugfs.
 * Declarations shared between the module's files.
 */
#ifndef PCINSPECT_H
#define PCINSPECT_H

#include <linux/debugfs.h>

/*
 * Version of the debugfs formats documented in Documentation/ABI.md.
 * Readers refuse a format they do not know; bump it on any change that
 * is not a pure addition of keys.
 */
#define PCINSPECT_FORMAT 1

/* Pages per rescheduling point in long walks (see walk.c). */
#define PCINSPECT_RESCHED_BATCH 1024

int pcinspect_query_init(struct dentry *root);
void pcinspect_query_exit(void);

#endif /* PCINSPECT_H */
