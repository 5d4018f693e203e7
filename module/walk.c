// SPDX-License-Identifier: GPL-2.0
/*
 * The per-file walk: visit every entry of mapping->i_pages in a range under
 * RCU, turning each into a pcinspect_seg for a callback.
 *
 * Counts (cached, dirty, writeback, evicted, entry order) come from the
 * xarray alone, as filemap_cachestat() does, and never touch a folio. Folio
 * flags are read only in detail walks, and only after folio_try_get() and a
 * re-check that the slot still holds the same folio; folio->mapping is never
 * followed. No lock is held across the walk: RCU is dropped every
 * PCINSPECT_RESCHED_BATCH entries to reschedule and to notice signals.
 */
#include <linux/magic.h>
#include <linux/memcontrol.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>

#include "pcinspect.h"
#include "compat.h"
#include "walk.h"

bool pcinspect_mapping_is_shmem(struct address_space *mapping)
{
	/*
	 * shmem_mapping() is exported only from 6.12 and shmem_aops only
	 * before: the superblock magic identifies tmpfs and shm mounts alike.
	 */
	return mapping->host && mapping->host->i_sb->s_magic == TMPFS_MAGIC;
}

#ifdef HAVE_LRU_GEN
/* Age of a folio's MGLRU generation: 0 for the youngest, -1 if none. */
static int folio_gen_age(struct folio *folio, struct mem_cgroup *memcg, int nid)
{
	struct lruvec *lruvec;
	unsigned long max_seq;
	int gen = folio_lru_gen(folio);

	if (gen < 0)
		return -1;
#ifdef HAVE_MEMCG_LRUVEC
	/* mem_cgroup_lruvec() needs root_mem_cgroup, unexported before 7.2. */
	if (memcg)
		lruvec = &memcg->nodeinfo[nid]->lruvec;
	else
#endif
		lruvec = &NODE_DATA(nid)->__lruvec;
	max_seq = READ_ONCE(lruvec->lrugen.max_seq);
	return (lru_gen_from_seq(max_seq) - gen + MAX_NR_GENS) % MAX_NR_GENS;
}
#else
static int folio_gen_age(struct folio *folio, struct mem_cgroup *memcg, int nid)
{
	return -1;
}
#endif

/* Fill the flag part of @seg from a folio the caller has pinned. */
static void read_folio_detail(struct folio *folio, struct pcinspect_seg *seg)
{
	struct mem_cgroup *memcg = NULL;

	seg->flags = 0;
	if (folio_mapped(folio))
		seg->flags |= PCINSPECT_MAPPED;
	if (folio_test_lru(folio))
		seg->flags |= PCINSPECT_LRU;
	if (folio_test_active(folio))
		seg->flags |= PCINSPECT_ACTIVE;
	if (folio_test_unevictable(folio))
		seg->flags |= PCINSPECT_UNEVICTABLE;
	if (folio_test_referenced(folio))
		seg->flags |= PCINSPECT_REFERENCED;
	if (folio_test_workingset(folio))
		seg->flags |= PCINSPECT_WORKINGSET;
	if (folio_test_dirty(folio))
		seg->flags |= PCINSPECT_DIRTY_FLAG;
	seg->nid = folio_nid(folio);
#ifdef HAVE_MEMCG_LRUVEC
	if (!mem_cgroup_disabled())
		memcg = folio_memcg(folio);	/* RCU protects it */
#endif
	seg->memcg = memcg;
	seg->gen_age = folio_test_lru(folio) ?
		folio_gen_age(folio, memcg, seg->nid) : -1;
}

/* Node recorded in a shadow entry by mm/workingset.c's pack_shadow(). */
static int shadow_nid(void *entry, bool *workingset)
{
	unsigned long v = xa_to_value(entry);

	*workingset = v & 1;
#ifdef HAVE_SHADOW_DECODE
	{
		int nid = (v >> 1) & ((1UL << NODES_SHIFT) - 1);

		if (nid < nr_node_ids && node_possible(nid))
			return nid;
	}
#endif
	return NUMA_NO_NODE;
}

/* Emit a hole [w->next, end] in pieces the callback accepts; false: stop. */
static bool emit_hole(struct pcinspect_walk *w, pgoff_t end)
{
	struct pcinspect_seg seg = {
		.index = w->next,
		.nr = end - w->next + 1,
		.kind = PCINSPECT_HOLE,
		.nid = NUMA_NO_NODE,
		.gen_age = -1,
	};

	if (!w->fn(&seg, w->arg))
		return false;
	w->next = end + 1;
	return true;
}

/*
 * Walk [w->next, w->last]. Returns 0 when the range is done, 1 when the
 * callback stopped it (w->next is where to resume), -EINTR on a signal.
 */
int pcinspect_walk(struct pcinspect_walk *w)
{
	XA_STATE(xas, &w->mapping->i_pages, w->next);
	unsigned int batch = 0;
	void *entry;
	int ret = 0;

	rcu_read_lock();
	for (;;) {
		struct pcinspect_seg seg = { .nid = NUMA_NO_NODE, .gen_age = -1 };
		struct folio *folio = NULL;	/* pinned, detail walks only */
		pgoff_t start, end;

		if (++batch >= PCINSPECT_RESCHED_BATCH) {
			batch = 0;
			xas_pause(&xas);
			rcu_read_unlock();
			cond_resched();
			if (signal_pending(current))
				return -EINTR;
			rcu_read_lock();
		}

		entry = xas_find(&xas, w->last);
		if (!entry)
			break;
		if (xas_retry(&xas, entry))
			continue;

		if (xa_is_value(entry)) {
			seg.order = pcinspect_xas_order(&xas);
			start = round_down(xas.xa_index, 1UL << seg.order);
			if (w->shmem) {
				seg.kind = PCINSPECT_SWAP;
			} else {
				seg.kind = PCINSPECT_SHADOW;
				seg.nid = shadow_nid(entry, &seg.shadow_ws);
			}
		} else {
			seg.kind = PCINSPECT_PAGE;
			if (w->detail || !IS_ENABLED_HAVE(XAS_GET_ORDER)) {
				folio = entry;
				/* Pin, then make sure the slot still holds it. */
				if (!folio_try_get(folio)) {
					xas_reset(&xas);
					continue;
				}
				if (unlikely(folio != xas_reload(&xas))) {
					folio_put(folio);
					xas_reset(&xas);
					continue;
				}
				seg.order = folio_order(folio);
				read_folio_detail(folio, &seg);
			} else {
				seg.order = pcinspect_xas_order(&xas);
			}
			start = round_down(xas.xa_index, 1UL << seg.order);
			seg.dirty = xas_get_mark(&xas, PAGECACHE_TAG_DIRTY);
			seg.writeback = xas_get_mark(&xas, PAGECACHE_TAG_WRITEBACK);
		}
		w->entries++;

		/* A large entry may begin before the range or end after it. */
		end = start + (1UL << seg.order) - 1;
		if (end < start || end > w->last)
			end = w->last;
		if (start < w->next)
			start = w->next;

		if (start > w->next && !emit_hole(w, start - 1)) {
			ret = 1;
		} else {
			seg.index = start;
			seg.nr = end - start + 1;
			if (w->fn(&seg, w->arg))
				w->next = end + 1;
			else
				ret = 1;
		}
		if (folio)
			folio_put(folio);
		if (ret || end == w->last)
			break;
	}
	rcu_read_unlock();

	/* The hole after the last entry, up to the end of the file. */
	if (!ret && w->hole_last != ULONG_MAX &&
	    w->next <= min(w->hole_last, w->last) &&
	    !emit_hole(w, min(w->hole_last, w->last)))
		ret = 1;
	return ret;
}
