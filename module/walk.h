/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking one address_space's xarray: the page cache of one file.
 */
#ifndef PCINSPECT_WALK_H
#define PCINSPECT_WALK_H

#include <linux/fs.h>
#include <linux/log2.h>
#include <linux/numa.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/types.h>

#include "compat.h"
#include "pcinspect.h"

struct mem_cgroup;

enum pcinspect_kind {
	PCINSPECT_HOLE,		/* no entry: never cached, or dropped clean */
	PCINSPECT_PAGE,		/* a folio in the page cache */
	PCINSPECT_SHADOW,	/* evicted: a workingset shadow entry */
	PCINSPECT_SWAP,		/* shmem/tmpfs: swapped out, a swap entry */
};

/* Folio flags, read only when the walk pins folios (detail). */
#define PCINSPECT_MAPPED	BIT(0)
#define PCINSPECT_LRU		BIT(1)
#define PCINSPECT_ACTIVE	BIT(2)
#define PCINSPECT_UNEVICTABLE	BIT(3)
#define PCINSPECT_REFERENCED	BIT(4)
#define PCINSPECT_WORKINGSET	BIT(5)
#define PCINSPECT_DIRTY_FLAG	BIT(6)	/* PG_dirty, set on tmpfs without the mark */

/*
 * One xarray entry clipped to the walked range, or a hole between entries.
 * memcg is valid only during the callback, which runs under RCU.
 */
struct pcinspect_seg {
	pgoff_t index;
	unsigned long nr;
	u8 kind;
	u8 order;		/* order of the whole entry, before clipping */
	bool dirty;		/* PAGECACHE_TAG_DIRTY */
	bool writeback;		/* PAGECACHE_TAG_WRITEBACK */
	bool shadow_ws;		/* shadow: evicted while in the workingset */
	u8 flags;		/* PCINSPECT_* above, detail walks only */
	int nid;		/* NUMA node, NUMA_NO_NODE when unknown */
	int gen_age;		/* MGLRU: 0 = youngest generation, -1 = none */
	struct mem_cgroup *memcg;
};

/* Return false to stop the walk before consuming @seg. */
typedef bool (*pcinspect_seg_fn)(const struct pcinspect_seg *seg, void *arg);

/*
 * The counts of part of a bottom-level xarray node that holds only order-0
 * folios: what a counts-only walk takes instead of one segment per page.
 */
struct pcinspect_leaf {
	unsigned int pages;
	unsigned int dirty;
	unsigned int writeback;
};

/*
 * Users that only add up counts (and ignore holes) may pass one of these to
 * the walk: it is called instead of @fn for such node parts.
 */
typedef void (*pcinspect_leaf_fn)(const struct pcinspect_leaf *leaf, void *arg);

struct pcinspect_walk {
	struct address_space *mapping;
	pgoff_t next;		/* in: first index; out: where to resume */
	pgoff_t last;		/* last index walked (inclusive) */
	pgoff_t hole_last;	/* report holes up to here; ULONG_MAX: none */
	bool detail;		/* pin folios to read their flags */
	bool shmem;		/* value entries are swap entries */
	unsigned long entries;	/* xarray entries visited */
};

bool pcinspect_mapping_is_shmem(struct address_space *mapping);
void pcinspect_shadow_seg(void *entry, struct pcinspect_seg *seg);
void pcinspect_folio_seg(struct folio *folio, struct pcinspect_seg *seg);

/*
 * Every PCINSPECT_RESCHED_BATCH entries of an RCU xarray walk: leave RCU,
 * reschedule, and stop on a fatal signal. The next iteration resumes after
 * the current entry (xas_pause()). Returns false, outside RCU, when the
 * reader is being killed.
 * cond_resched_rcu() would not do: it is a no-op on PREEMPT_RCU kernels.
 */
static inline bool pcinspect_xas_resched(struct xa_state *xas,
					 unsigned int *batch)
{
	if (++*batch < PCINSPECT_RESCHED_BATCH)
		return true;
	*batch = 0;
	xas_pause(xas);
	rcu_read_unlock();
	cond_resched();
	if (pcinspect_killed())
		return false;
	rcu_read_lock();
	return true;
}

#endif /* PCINSPECT_WALK_H */
