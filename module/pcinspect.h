/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcinspect: page-cache inspection through debugfs.
 * Declarations shared between the module's files.
 */
#ifndef PCINSPECT_H
#define PCINSPECT_H

#include <linux/debugfs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/*
 * Version of the debugfs formats documented in Documentation/ABI.md.
 * Readers refuse a format they do not know; bump it on any change that
 * is not a pure addition of keys.
 */
#define PCINSPECT_FORMAT 1

/* Pages per rescheduling point in long walks (see walk.c). */
#define PCINSPECT_RESCHED_BATCH 1024

/*
 * Large buffers (listings, LRU text, the LRU files table): vmalloc above
 * 64 KiB. vmalloc takes pages in batches of at most 100 with a
 * cond_resched() between; kvmalloc would first try one high-order kmalloc,
 * which zeroes the whole block without a scheduling point (init_on_alloc is
 * Debian's default). 3 MiB of it once ran 50 s on the KASAN kernel under
 * TCG and tripped the soft-lockup detector. Free with kvfree().
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

int pcinspect_query_init(struct dentry *root);
void pcinspect_query_exit(void);

#endif /* PCINSPECT_H */
