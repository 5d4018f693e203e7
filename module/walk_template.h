/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The walk of one file's xarray, as a template the per-file report
 * (report.c: counters and page map) instantiates with its callbacks, and
 * the walk's unit tests (walk_test.c) with theirs: inlined, so that the
 * callbacks of the hot loop are direct calls.
 */
#ifndef PCINSPECT_WALK_TEMPLATE_H
#define PCINSPECT_WALK_TEMPLATE_H

#include "walk.h"

/* Emit a hole [w->next, end]; false when the callback stopped the walk. */
static __always_inline bool pcinspect_emit_hole(struct pcinspect_walk *w,
						pgoff_t end,
						pcinspect_seg_fn fn, void *arg)
{
	struct pcinspect_seg seg = {
		.index = w->next,
		.nr = end - w->next + 1,
		.kind = PCINSPECT_HOLE,
		.nid = NUMA_NO_NODE,
		.gen_age = -1,
	};

	if (!fn(&seg, arg))
		return false;
	w->next = end + 1;
	return true;
}

/*
 * Walks read a whole bottom-level xarray node at a time: its 64 slots and
 * its mark bitmaps. A multi-index entry inside a node is its canonical slot
 * followed by sibling slots, so the number of slots it covers is its size;
 * marks sit on the canonical slot, as xas_get_mark() reads them.
 *
 * Counts-only walks (@locked false) read the node under the same RCU
 * protection xas_find() relies on and never touch a folio. Detail walks
 * hold the mapping's i_pages lock (@locked): a folio cannot leave the page
 * cache, be split or be migrated while that lock is held, so its flags can
 * be read without raising its refcount.
 *
 * Returns 0 when the node was done (w->next is past its last entry), 1 when
 * @fn stopped the walk, 2 when the node is changing under us (a retry entry)
 * and the caller must go on entry by entry from w->next.
 */
static __always_inline int pcinspect_scan_leaf(struct pcinspect_walk *w,
					       struct xa_state *xas,
					       pcinspect_seg_fn fn, void *arg,
					       bool locked)
{
	struct xa_node *node = xas->xa_node;
	/* xa_index may be mid-entry; a leaf covers 64 aligned indexes. */
	pgoff_t base = xas->xa_index & ~(pgoff_t)XA_CHUNK_MASK;
	struct folio *folio = NULL;
	struct pcinspect_seg seg;
	bool open = false;
	unsigned int i;

	for (i = xas->xa_offset; i <= XA_CHUNK_SIZE; i++) {
		void *e = i < XA_CHUNK_SIZE ? xa_entry(xas->xa, node, i) : NULL;

		if (open && i < XA_CHUNK_SIZE && xa_is_sibling(e)) {
			seg.nr++;
			continue;
		}
		if (open) {
			seg.order = ilog2(seg.nr);
			if (locked && folio)
				pcinspect_folio_seg(folio, &seg);
			if (!fn(&seg, arg))
				return 1;
			w->next = seg.index + seg.nr;
			open = false;
		}
		if (i == XA_CHUNK_SIZE || !e || xa_is_zero(e))
			continue;
		if (xa_is_retry(e) || xa_is_internal(e))
			return 2;
		if (base + i > w->next &&
		    !pcinspect_emit_hole(w, base + i - 1, fn, arg))
			return 1;
		w->entries++;
		seg = (struct pcinspect_seg) {
			.index = base + i,
			.nr = 1,
			.nid = NUMA_NO_NODE,
			.gen_age = -1,
		};
		folio = NULL;
		if (xa_is_value(e)) {
			if (w->shmem)
				seg.kind = PCINSPECT_SWAP;
			else
				pcinspect_shadow_seg(e, &seg);
		} else {
			seg.kind = PCINSPECT_PAGE;
			folio = e;
			seg.dirty = test_bit(i, node->marks[(__force unsigned int)
							   PAGECACHE_TAG_DIRTY]);
			seg.writeback = test_bit(i, node->marks[(__force unsigned int)
							       PAGECACHE_TAG_WRITEBACK]);
		}
		open = true;
	}
	/*
	 * w->next stays past the last entry: a hole after it belongs to the
	 * next entry found (or to the end of the walk), which emits it.
	 */
	return 0;
}

/*
 * The fast count of a bottom-level node whose slots from xa_offset on hold
 * nothing but folio pointers and NULLs: no sibling (so every folio there is
 * order 0), no shadow or swap entry, no retry entry. Its pages are then its
 * non-NULL slots and its dirty and writeback pages the set bits of its mark
 * bitmaps, without one segment per page. False when a slot holds anything
 * else, and the caller scans the node slot by slot. Read under RCU: slots
 * and marks may change meanwhile, as they may under xas_find().
 */
static __always_inline bool pcinspect_leaf_simple(struct xa_state *xas,
						  struct pcinspect_leaf *leaf)
{
	struct xa_node *node = xas->xa_node;
	unsigned long acc = 0, mask, dirty, writeback;
	unsigned int i, n = 0;

	/* One word of marks per node (not CONFIG_BASE_SMALL's 16 slots). */
	if (XA_CHUNK_SIZE != BITS_PER_LONG)
		return false;
	for (i = xas->xa_offset; i < XA_CHUNK_SIZE; i++) {
		unsigned long e = (unsigned long)xa_entry(xas->xa, node, i);

		/* Value entries have bit 0 set, internal ones bit 1. */
		acc |= e;
		n += e != 0;
	}
	if (acc & 3)
		return false;
	mask = ~0UL << xas->xa_offset;
	dirty = READ_ONCE(node->marks[(__force unsigned int)PAGECACHE_TAG_DIRTY][0]);
	writeback = READ_ONCE(node->marks[(__force unsigned int)PAGECACHE_TAG_WRITEBACK][0]);
	leaf->pages = n;
	leaf->dirty = min_t(unsigned int, n, hweight_long(dirty & mask));
	leaf->writeback = min_t(unsigned int, n, hweight_long(writeback & mask));
	return true;
}

/*
 * A detail walk's leaf: look the node up again under the i_pages lock (the
 * one found under RCU may have been freed or replaced meanwhile) and scan
 * it with the lock held. The lock disables interrupts for one node, at
 * most 64 entries. Returns as pcinspect_scan_leaf(); 2 also when the node
 * is no longer a leaf holding the range from w->next on.
 */
static __always_inline int pcinspect_scan_leaf_locked(struct pcinspect_walk *w,
						      struct xa_state *xas,
						      pcinspect_seg_fn fn,
						      void *arg)
{
	pgoff_t base = xas->xa_index & ~(pgoff_t)XA_CHUNK_MASK;
	int ret = 2;

	xas_lock_irq(xas);
	xas_reset(xas);
	xas_load(xas);
	if (!xas_not_node(xas->xa_node) && !xas->xa_node->shift &&
	    base + xas->xa_offset >= w->next)
		ret = pcinspect_scan_leaf(w, xas, fn, arg, true);
	xas_unlock_irq(xas);
	return ret;
}

/*
 * Walk [w->next, w->last] of w->mapping, calling @fn for each entry and
 * each hole between entries. Always inlined, so that each user's @fn is
 * inlined too: the loop runs once per cached folio of the file.
 *
 * Counts (cached, dirty, writeback, evicted, entry order) come from the
 * xarray alone, as filemap_cachestat() does, and never touch a folio; with
 * @leaf_fn, a leaf of order-0 folios costs one call. Folio flags are read
 * only in detail walks: for a whole leaf node under the i_pages lock, which
 * keeps its folios in the cache without touching their refcounts (a raised
 * refcount makes reclaim, migration and splitting give up on a folio),
 * otherwise after folio_try_get() and a re-check that the slot still holds
 * the same folio. folio->mapping is never followed. No lock is held across
 * the walk: RCU is dropped every PCINSPECT_RESCHED_BATCH entries to
 * reschedule and to notice a fatal signal.
 *
 * Returns 0 when the range is done, 1 when @fn stopped it (w->next is where
 * to resume), -EINTR when the reader is being killed.
 */
static __always_inline int pcinspect_walk_tpl(struct pcinspect_walk *w,
					      pcinspect_seg_fn fn,
					      pcinspect_leaf_fn leaf_fn,
					      void *arg)
{
	XA_STATE(xas, &w->mapping->i_pages, w->next);
	unsigned int batch = 0;
	bool entry_by_entry = false;	/* once, after a leaf scan gave up */
	void *entry;
	int ret = 0;

	rcu_read_lock();
	xas_for_each(&xas, entry, w->last) {
		struct pcinspect_seg seg = { .nid = NUMA_NO_NODE, .gen_age = -1 };
		struct folio *folio = NULL;	/* pinned, detail walks only */
		pgoff_t start, end;

		if (xas_retry(&xas, entry))
			continue;

		/*
		 * A whole leaf node at a time, when the entry met starts
		 * inside the range and the node ends inside it.
		 */
		if (!entry_by_entry && !xas_not_node(xas.xa_node) &&
		    !xas.xa_node->shift &&
		    (xas.xa_index & ~(pgoff_t)XA_CHUNK_MASK) + xas.xa_offset >= w->next &&
		    (xas.xa_index | XA_CHUNK_MASK) <= w->last) {
			struct pcinspect_leaf leaf;

			if (w->detail) {
				ret = pcinspect_scan_leaf_locked(w, &xas, fn, arg);
			} else if (leaf_fn && pcinspect_leaf_simple(&xas, &leaf)) {
				leaf_fn(&leaf, arg);
				w->entries += leaf.pages;
				w->next = (xas.xa_index | XA_CHUNK_MASK) + 1;
				ret = 0;
			} else {
				ret = pcinspect_scan_leaf(w, &xas, fn, arg, false);
			}
			if (ret == 1)
				break;
			/* 2: go on from w->next with the entry met there. */
			entry_by_entry = ret == 2;
			ret = 0;
			xas_set(&xas, w->next);
			/*
			 * A counts-only leaf weighs like 8 entries (a scan of
			 * 64 slots), a detail leaf like the entries whose
			 * folios it read.
			 */
			batch += (w->detail ? XA_CHUNK_SIZE : XA_CHUNK_SIZE / 8) - 1;
			goto resched;
		}
		entry_by_entry = false;

		if (xa_is_value(entry)) {
			seg.order = pcinspect_xas_get_order(&xas);
			if (w->shmem)
				seg.kind = PCINSPECT_SWAP;
			else
				pcinspect_shadow_seg(entry, &seg);
		} else {
			seg.kind = PCINSPECT_PAGE;
			if (w->detail) {
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
				pcinspect_folio_seg(folio, &seg);
			} else {
				int order = pcinspect_folio_entry_order(&xas, entry);

				if (order < 0) {
					xas_reset(&xas);
					continue;
				}
				seg.order = order;
			}
			seg.dirty = xas_get_mark(&xas, PAGECACHE_TAG_DIRTY);
			seg.writeback = xas_get_mark(&xas, PAGECACHE_TAG_WRITEBACK);
		}
		w->entries++;

		/*
		 * A large entry may be met mid-way (xa_index need not be its
		 * first index) and may begin before the range or end after it.
		 */
		start = round_down(xas.xa_index, 1UL << seg.order);
		end = start + (1UL << seg.order) - 1;
		if (end < start || end > w->last)
			end = w->last;
		if (start < w->next)
			start = w->next;

		if (start > w->next && !pcinspect_emit_hole(w, start - 1, fn, arg)) {
			ret = 1;
		} else {
			seg.index = start;
			seg.nr = end - start + 1;
			if (fn(&seg, arg))
				w->next = end + 1;
			else
				ret = 1;
		}
		if (folio)
			folio_put(folio);
		if (ret || end == w->last)
			break;
resched:
		if (!pcinspect_xas_resched(&xas, &batch))
			return -EINTR;
	}
	rcu_read_unlock();

	/* The hole after the last entry, up to the end of the file. */
	if (!ret && w->hole_last != ULONG_MAX &&
	    w->next <= min(w->hole_last, w->last) &&
	    !pcinspect_emit_hole(w, min(w->hole_last, w->last), fn, arg))
		ret = 1;
	return ret;
}

#endif /* PCINSPECT_WALK_TEMPLATE_H */
