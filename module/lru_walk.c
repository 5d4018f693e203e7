// SPDX-License-Identifier: GPL-2.0
/*
 * Walk the kernel's LRU lists: every list of every lruvec (one per node
 * and memcg, dying memcgs included), classic lists and multi-gen LRU
 * generations alike, counting the pages found on each.
 *
 * The lists are protected by lruvec->lru_lock, taken with interrupts off,
 * so the walk holds it for at most PCINSPECT_LRU_CHUNK folios. Between
 * chunks it keeps its place with a reference on the last folio seen (the
 * cursor), and after relocking checks that the cursor is still where it
 * was: on the list it came from (its flags) and right after the folios
 * visited before it (its neighbour in walk order). Nothing is isolated and
 * no marker is inserted: the only trace the walk leaves is that reference,
 * held for one reschedule. If the cursor moved, the list is walked again
 * from its head; the footer counts such restarts, and separately the moves
 * that only the position check caught (displaced).
 *
 * Each list is walked from its tail (the oldest folios) to its head.
 * Reclaim isolates folios at the tail and puts back at the head the ones
 * it cannot free, a pinned cursor among them (the walk's own reference
 * makes it unfreeable); walking away from the tail, the cursor soon leaves
 * the part of the list reclaim works on, where a head-first walk would end
 * every list.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/memcontrol.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "compat.h"
#include "pcinspect.h"
#include "lru.h"

/*
 * A test knob, off by default: the walk sleeps this long (at most 100 ms)
 * each time it has dropped the lock between chunks, so that a test can
 * move the cursor folio meanwhile and see the walk notice (lru_test
 * cursor_moves_are_detected); otherwise the window is one reschedule.
 */
#define LRU_WALK_PAUSE_MAX_MS	100U
static unsigned int lru_walk_pause_ms;
module_param(lru_walk_pause_ms, uint, 0600);
MODULE_PARM_DESC(lru_walk_pause_ms,
		 "Testing: sleep this long (ms, at most 100) between LRU chunks, lock dropped");

static void lru_walk_pause(void)
{
	unsigned int ms = READ_ONCE(lru_walk_pause_ms);

	if (unlikely(ms))
		schedule_timeout_killable(msecs_to_jiffies(min(ms, LRU_WALK_PAUSE_MAX_MS)));
}

/* The list being walked and what its folios must look like to be on it. */
struct lru_list_ref {
	struct lruvec *lruvec;
	struct mem_cgroup *memcg;	/* the lruvec's memcg, NULL without */
	struct mem_cgroup *root;	/* uncharged folios belong to it */
	struct pglist_data *pgdat;
	struct list_head *head;
	int lru;			/* classic list, or -1 for MGLRU */
	int gen, type, zone;		/* MGLRU list */
	unsigned long max_seq;		/* MGLRU: when the list walk began */
};

/* What one list holds; committed to its lruvec only when the walk ends. */
struct lru_list_acc {
	unsigned long pages[MAX_NR_ZONES];
	unsigned long flagged[PCINSPECT_LRU_GENS][MAX_NR_ZONES];
};

static void lru_lock(struct lruvec *lruvec, u64 *t0)
{
	/*
	 * Newer kernels pair the lock with RCU (kernel-facts.md, "Facts the
	 * code relies on"); harmless where they do not.
	 */
	rcu_read_lock();
	spin_lock_irq(&lruvec->lru_lock);
	*t0 = ktime_get_ns();
}

static void lru_unlock(struct pcinspect_lru_walk *w, struct lruvec *lruvec,
		       u64 t0)
{
	u64 held = ktime_get_ns() - t0;

	spin_unlock_irq(&lruvec->lru_lock);
	rcu_read_unlock();
	w->chunks++;
	w->hold_ns += held;
	if (held > w->max_hold_ns)
		w->max_hold_ns = held;
}

/*
 * List heads live inside struct lruvec; folios never do. A walk that
 * reaches an address inside the lruvec has reached the end of a list.
 */
static bool lru_is_head(const struct lruvec *lruvec, const struct list_head *p)
{
	return (const void *)p >= (const void *)lruvec &&
	       (const void *)p < (const void *)(lruvec + 1);
}

/* The classic list a folio on the LRU belongs on, from its flags. */
static int lru_folio_list(struct folio *folio)
{
	int lru;

	if (folio_test_unevictable(folio))
		return LRU_UNEVICTABLE;
	lru = folio_is_file_lru(folio) ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
	if (folio_test_active(folio))
		lru += LRU_ACTIVE;
	return lru;
}

/*
 * Folios visited just before the cursor, kept to check that the cursor has
 * not moved: compared as addresses, never dereferenced.
 */
#define LRU_CURSOR_TRAIL 8

struct lru_cursor {
	struct folio *folio;		/* referenced; NULL: none */
	const struct list_head *trail[LRU_CURSOR_TRAIL];
	unsigned int nr;
};

/*
 * With the lock held: note the cursor's predecessors in walk order (the
 * walk follows ->prev, so they are on the ->next side). The list head
 * counts only as the immediate predecessor: a cursor found right after the
 * head later has either moved there or seen every folio before it leave,
 * and only the first case matters; both are treated as a move.
 */
static void lru_cursor_mark(struct lru_cursor *c, const struct lru_list_ref *l)
{
	const struct list_head *p = c->folio->lru.next;

	c->nr = 0;
	if (p == l->head) {
		c->trail[c->nr++] = p;
		return;
	}
	while (c->nr < LRU_CURSOR_TRAIL && !lru_is_head(l->lruvec, p)) {
		c->trail[c->nr++] = p;
		p = p->next;
	}
}

/*
 * With the lock held again: is the cursor still right after one of the
 * folios that preceded it? Folios join a list only at its head or tail,
 * so a cursor that stayed in place has one of them as its neighbour
 * (unless all of them left meanwhile: the list is then walked again,
 * needlessly but exactly); a cursor that was isolated and put back,
 * rotated or re-added does not. A trail folio freed and reused as the
 * cursor's new neighbour would fool this check.
 */
static bool lru_cursor_in_place(const struct lru_cursor *c)
{
	const struct list_head *p = READ_ONCE(c->folio->lru.next);
	unsigned int i;

	for (i = 0; i < c->nr; i++)
		if (c->trail[i] == p)
			return true;
	return false;
}

/*
 * Is the cursor still on the list being walked? Called with the lock held
 * and a reference on the folio. A folio on an LRU list of this lruvec has
 * PG_lru, this node and this memcg; the flags tell which classic list.
 * An MGLRU folio's generation in its flags may differ from its list
 * (MGLRU sorts lazily), so for MGLRU lists only type and zone are
 * checked; a folio moved to another generation's list is caught when the
 * walk reaches a head that is not its own (lru_walk_list()).
 */
static bool lru_cursor_valid(struct folio *folio, const struct lru_list_ref *l)
{
	struct mem_cgroup *memcg;

	if (!folio_test_lru(folio) || folio_pgdat(folio) != l->pgdat)
		return false;
	if (l->memcg) {
		memcg = pcinspect_folio_memcg(folio) ?: l->root;
		if (memcg != l->memcg)
			return false;
	}
	if (l->lru >= 0)
		return pcinspect_folio_lru_gen(folio) < 0 &&
		       lru_folio_list(folio) == l->lru;
	return pcinspect_folio_lru_gen(folio) >= 0 &&
	       folio_is_file_lru(folio) == l->type &&
	       folio_zonenum(folio) == l->zone;
}

static void lru_count(struct pcinspect_lru_walk *w, const struct lru_list_ref *l,
		      struct lru_list_acc *acc, struct folio *folio)
{
	unsigned long nr = folio_nr_pages(folio);
	int zid = folio_zonenum(folio);
	int gen;

	w->visited++;
	w->pages += nr;
	acc->pages[zid] += nr;
	if (l->lru < 0) {
		gen = pcinspect_folio_lru_gen(folio);
		if (gen >= 0 && gen < PCINSPECT_LRU_GENS)
			acc->flagged[gen][zid] += nr;
	}
	if (w->files)
		pcinspect_lru_files_charge(w->files, folio, nr);
}

/*
 * The lru-files column of a list: classic list, or MGLRU age. The
 * generation of a sequence number is computed here, as lru_gen_from_seq()
 * does, because that helper exists only with CONFIG_LRU_GEN and this
 * function is built without it too (the configuration matrix's no-lru-gen
 * build), where every list walked is a classic one.
 */
static unsigned int lru_files_col(const struct lru_list_ref *l)
{
	unsigned int gen_of_max = l->max_seq % PCINSPECT_LRU_GENS;

	if (l->lru >= 0)
		return l->lru;
	return NR_LRU_LISTS + (gen_of_max - l->gen + PCINSPECT_LRU_GENS) %
			      PCINSPECT_LRU_GENS;
}

/*
 * A list's walk ended (keep) or starts again from its head: commit or drop
 * what lru-files staged for it, and count what the records will report.
 */
static void lru_end_list(struct pcinspect_lru_walk *w,
			 const struct lru_list_ref *l,
			 const struct lru_list_acc *acc, bool keep)
{
	int z;

	if (w->files)
		pcinspect_lru_files_end_list(w->files, lru_files_col(l), keep);
	if (keep)
		for (z = 0; z < MAX_NR_ZONES; z++)
			w->counted += acc->pages[z];
}

/*
 * Walk one list in chunks, from its tail. Returns 0, or -EINTR on a fatal
 * signal; a list that keeps changing under the walk is counted as far as
 * it got, and marked incomplete.
 */
static int lru_walk_list(struct pcinspect_lru_walk *w,
			 const struct lru_list_ref *l, struct lru_list_acc *acc)
{
	struct lru_cursor cur = {};
	struct list_head *pos, *next;
	unsigned int n, tries = 0;
	struct folio *folio, *put;
	int ret = 0;
	u64 t0;

again:
	memset(acc, 0, sizeof(*acc));
	n = 0;
	lru_lock(l->lruvec, &t0);
	pos = l->head;
	for (;;) {
		next = pos->prev;
		if (lru_is_head(l->lruvec, next)) {
			if (next == l->head)
				break;
			goto moved;	/* the cursor was moved to another list */
		}
		folio = list_entry(next, struct folio, lru);
		lru_count(w, l, acc, folio);
		pos = next;
		/* The chunk also ends when lru-files' table must grow. */
		if (++n < PCINSPECT_LRU_CHUNK &&
		    !(w->files && pcinspect_lru_files_need_grow(w->files)))
			continue;
		/*
		 * A folio whose count already fell to zero is on its way out
		 * (its freeing waits for this lock): take the next one.
		 */
		if (!folio_try_get(folio)) {
			n--;
			continue;
		}
		n = 0;
		put = cur.folio;
		cur.folio = folio;
		lru_cursor_mark(&cur, l);
		lru_unlock(w, l->lruvec, t0);
		/* After unlocking: a last put takes the lru_lock itself. */
		if (put)
			folio_put(put);
		lru_walk_pause();
		if (pcinspect_killed()) {
			ret = -EINTR;
			goto out;
		}
		if (w->files && pcinspect_lru_files_need_grow(w->files)) {
			ret = pcinspect_lru_files_grow(w->files);
			if (ret)
				goto out;
		}
		cond_resched();
		lru_lock(l->lruvec, &t0);
		if (!lru_cursor_valid(cur.folio, l))
			goto moved;
		/* Still on this list by its flags, but elsewhere on it. */
		if (!lru_cursor_in_place(&cur)) {
			w->displaced++;
			goto moved;
		}
		pos = &cur.folio->lru;
	}
	lru_unlock(w, l->lruvec, t0);
	goto out;

moved:
	lru_unlock(w, l->lruvec, t0);
	if (cur.folio)
		folio_put(cur.folio);
	cur.folio = NULL;
	if (++tries < PCINSPECT_LRU_RESTARTS) {
		w->restarts++;
		lru_end_list(w, l, acc, false);
		goto again;
	}
	w->incomplete++;
out:
	if (cur.folio)
		folio_put(cur.folio);
	/* On error the whole walk fails: what is kept does not matter. */
	lru_end_list(w, l, acc, true);
	return ret;
}

/* Every generation list of one lruvec: [gen][type][zone], if MGLRU's. */
static int lru_walk_gens(struct pcinspect_lru_walk *w,
			 struct pcinspect_lru_vec *v, struct lru_list_ref *l)
{
	struct lru_list_acc acc;
	int gen, type, z, g, ret;

	if (!pcinspect_lrugen_list(l->lruvec, 0, 0, 0))
		return 0;
	l->lru = -1;
	for (gen = 0; gen < PCINSPECT_LRU_GENS; gen++) {
		for (type = 0; type < ANON_AND_FILE; type++) {
			for (z = 0; z < MAX_NR_ZONES; z++) {
				l->gen = gen;
				l->type = type;
				l->zone = z;
				l->head = pcinspect_lrugen_list(l->lruvec, gen,
								type, z);
				l->max_seq = pcinspect_lrugen_max_seq(l->lruvec);
				ret = lru_walk_list(w, l, &acc);
				if (ret)
					return ret;
				v->listed[gen][type][z] += acc.pages[z];
				for (g = 0; g < PCINSPECT_LRU_GENS; g++)
					v->flagged[g][type][z] +=
						acc.flagged[g][z];
			}
		}
	}
	return 0;
}

/* MGLRU's own state and counters, read in one hold of the lock. */
static void lru_read_gens(struct pcinspect_lru_walk *w,
			  struct pcinspect_lru_vec *v, struct lruvec *lruvec)
{
	struct pcinspect_lrugen_state st;
	unsigned long now = jiffies;
	bool read;
	int gen;
	u64 t0;

	lru_lock(lruvec, &t0);
	read = pcinspect_lrugen_read(lruvec, &st);
	lru_unlock(w, lruvec, t0);
	if (!read)
		return;
	v->gen_enabled = st.enabled;
	v->max_seq = st.max_seq;
	memcpy(v->min_seq, st.min_seq, sizeof(v->min_seq));
	memcpy(v->nr_pages, st.nr_pages, sizeof(v->nr_pages));
	for (gen = 0; gen < PCINSPECT_LRU_GENS; gen++)
		v->age_ms[gen] = jiffies_to_msecs(now - st.birth[gen]);
}

/*
 * The zone counters count the two youngest generations as active (as
 * lru_gen_is_active() does, which exists only with CONFIG_LRU_GEN).
 */
static void lru_gens_zone_view(struct pcinspect_lru_vec *v)
{
	int gen, type, z, lru;
	bool active;

	for (gen = 0; gen < PCINSPECT_LRU_GENS; gen++) {
		active = gen == v->max_seq % PCINSPECT_LRU_GENS ||
			 gen == (v->max_seq - 1) % PCINSPECT_LRU_GENS;
		for (type = 0; type < ANON_AND_FILE; type++) {
			lru = type ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON;
			if (active)
				lru += LRU_ACTIVE;
			for (z = 0; z < MAX_NR_ZONES; z++)
				v->zone_view[lru][z] += v->flagged[gen][type][z];
		}
	}
}

/* The memcg's own per-zone list sizes (mem_cgroup_update_lru_size()). */
static void lru_read_counters(struct pcinspect_lru_vec *v,
			      struct lruvec *lruvec)
{
	int lru, z;

	if (!v->memcg)
		return;
	for (lru = 0; lru < NR_LRU_LISTS; lru++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			v->counter[lru][z] =
				pcinspect_mem_cgroup_get_zone_lru_size(lruvec, lru, z);
}

/* Walk every list of one lruvec into a new record on w->vecs. */
static int lru_walk_lruvec(struct pcinspect_lru_walk *w, struct lruvec *lruvec,
			   struct mem_cgroup *memcg, struct mem_cgroup *root,
			   int nid, const char *path)
{
	struct lru_list_ref l = {
		.lruvec = lruvec,
		.memcg = memcg,
		.root = root,
		.pgdat = NODE_DATA(nid),
	};
	struct pcinspect_lru_vec *v;
	int lru, z, ret;

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	v->path = kstrdup(path, GFP_KERNEL);
	if (!v->path) {
		kfree(v);
		return -ENOMEM;
	}
	list_add_tail(&v->link, &w->vecs);
	v->nid = nid;
	w->nr_vecs++;
	if (memcg) {
		v->memcg = true;
		v->memcg_id = pcinspect_mem_cgroup_id(memcg);
		v->cgroup_ino = pcinspect_memcg_ino(memcg);
		v->dying = pcinspect_memcg_dying(memcg);
	}

	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		struct lru_list_acc acc;

		/*
		 * Unevictable folios are threaded on no list (their lru field
		 * holds mlock_count) and lruvec_init() poisons this head: they
		 * are counted by lru_scan_unevictable() instead.
		 */
		if (lru == LRU_UNEVICTABLE)
			continue;
		l.lru = lru;
		l.head = &lruvec->lists[lru];
		ret = lru_walk_list(w, &l, &acc);
		if (ret)
			return ret;
		for (z = 0; z < MAX_NR_ZONES; z++)
			v->walked[lru][z] = acc.pages[z];
	}
	ret = lru_walk_gens(w, v, &l);
	if (ret)
		return ret;

	lru_read_gens(w, v, lruvec);
	lru_read_counters(v, lruvec);
	for (lru = 0; lru < NR_LRU_LISTS; lru++)
		for (z = 0; z < MAX_NR_ZONES; z++)
			v->zone_view[lru][z] = v->walked[lru][z];
	lru_gens_zone_view(v);
	return 0;
}

/* Every node's lruvec of one memcg. */
static int lru_walk_memcg(struct pcinspect_lru_walk *w,
			  struct mem_cgroup *memcg, struct mem_cgroup *root,
			  char *buf)
{
	int nid, ret;

	if (pcinspect_memcg_path(memcg, buf, PATH_MAX) < 0)
		strscpy(buf, "?", PATH_MAX);
	w->nr_memcgs++;
	if (pcinspect_memcg_dying(memcg))
		w->nr_dying++;
	for_each_online_node(nid) {
		ret = lru_walk_lruvec(w, pcinspect_mem_cgroup_lruvec(memcg, nid),
				      memcg, root, nid, buf);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Every memcg, the root first, then its descendants in pre-order. The walk
 * sleeps, so it leaves RCU with a reference on the current memcg and
 * continues from it: the pre-order step copes with a position that was
 * removed meanwhile. A plain tryget, not an online one: dying memcgs still
 * hold pages.
 */
static int lru_walk_memcgs(struct pcinspect_lru_walk *w, char *buf)
{
	struct mem_cgroup *root, *memcg, *next;
	int ret = 0;

	rcu_read_lock();
	root = pcinspect_root_mem_cgroup();
	memcg = pcinspect_memcg_next_pre(NULL, root);
	while (memcg) {
		if (!pcinspect_memcg_tryget(memcg)) {
			memcg = pcinspect_memcg_next_pre(memcg, root);
			continue;
		}
		rcu_read_unlock();
		ret = lru_walk_memcg(w, memcg, root, buf);
		rcu_read_lock();
		next = ret ? NULL : pcinspect_memcg_next_pre(memcg, root);
		pcinspect_memcg_put(memcg);
		memcg = next;
	}
	rcu_read_unlock();
	return ret;
}

/* With memcg off (or compiled out), each node has one lruvec. */
static int lru_walk_nodes(struct pcinspect_lru_walk *w)
{
	int nid, ret;

	for_each_online_node(nid) {
		ret = lru_walk_lruvec(w, &NODE_DATA(nid)->__lruvec, NULL, NULL,
				      nid, "-");
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Unevictable folios, which no list holds: a lockless scan of each zone's
 * page frames, as /proc/kpageflags reads them. Each folio is counted at its
 * head page with the flags read at that moment; a folio being split or
 * freed meanwhile may be missed or counted in its old state.
 *
 * A zone's span is not its pages: spans overlap where memory was onlined
 * to ZONE_MOVABLE inside another zone's span (or to a kernel zone after a
 * movable block), and where nodes interleave. A frame counts only in the
 * zone it belongs to (page_zone()), as vmstat's pagetypeinfo and
 * kmemleak's scan check.
 */
static int lru_scan_unevictable(struct pcinspect_lru_walk *w)
{
	unsigned long pfn, end, nr;
	u64 start = ktime_get_ns();
	struct folio *folio;
	struct zone *zone;
	struct page *page;
	int nid, z;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			zone = &NODE_DATA(nid)->node_zones[z];
			if (!populated_zone(zone))
				continue;
			end = zone_end_pfn(zone);
			for (pfn = zone->zone_start_pfn; pfn < end; pfn++) {
				if (!(pfn % PCINSPECT_RESCHED_BATCH)) {
					if (pcinspect_killed())
						return -EINTR;
					cond_resched();
				}
				page = pfn_to_online_page(pfn);
				if (!page || PageTail(page) ||
				    page_zone(page) != zone)
					continue;
				folio = page_folio(page);
				if (!folio_test_lru(folio))
					continue;
				nr = folio_nr_pages(folio);
				if (folio_test_unevictable(folio))
					w->unevictable[nid * MAX_NR_ZONES + z] += nr;
				/* Past its tail pages; a stale size only skips less. */
				if (nr > 1 && nr <= end - pfn)
					pfn += nr - 1;
			}
			w->scanned += end - zone->zone_start_pfn;
		}
	}
	w->scan_ns = ktime_get_ns() - start;
	return 0;
}

/*
 * The kernel's per-zone list counters, what /proc/zoneinfo shows, and the
 * zones the lru file reports: the populated zones of the online nodes.
 */
static void lru_read_zone_counters(struct pcinspect_lru_walk *w)
{
	struct zone *zone;
	unsigned int i;
	int nid, z, lru;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			zone = &NODE_DATA(nid)->node_zones[z];
			if (populated_zone(zone))
				w->zones[w->nr_zones++] = nid * MAX_NR_ZONES + z;
			for (lru = 0; lru < NR_LRU_LISTS; lru++) {
				i = pcinspect_lru_zidx(nid, z, lru);
				w->zone_counter[i] =
					zone_page_state_snapshot(zone,
								 NR_ZONE_LRU_BASE + lru);
				w->zone_info[i] =
					zone_page_state(zone, NR_ZONE_LRU_BASE + lru);
			}
		}
	}
}

void pcinspect_lru_walk_free(struct pcinspect_lru_walk *w)
{
	struct pcinspect_lru_vec *v, *tmp;

	list_for_each_entry_safe(v, tmp, &w->vecs, link) {
		list_del(&v->link);
		kfree(v->path);
		kfree(v);
	}
	kvfree(w->zone_counter);
	w->zone_counter = NULL;
	kvfree(w->zone_info);
	w->zone_info = NULL;
	kvfree(w->zones);
	w->zones = NULL;
	kvfree(w->unevictable);
	w->unevictable = NULL;
	if (w->files) {
		pcinspect_lru_files_free(w->files);
		kfree(w->files);
		w->files = NULL;
	}
}

/*
 * Walk everything. w->files non-NULL (initialised with
 * pcinspect_lru_files_init()) asks for the per-file table. On error
 * the caller frees with pcinspect_lru_walk_free().
 */
int pcinspect_lru_walk(struct pcinspect_lru_walk *w)
{
	u64 start = ktime_get_ns();
	char *buf;
	int ret;

	w->zone_counter = kvcalloc(nr_node_ids * MAX_NR_ZONES * NR_LRU_LISTS,
				   sizeof(*w->zone_counter), GFP_KERNEL);
	w->zone_info = kvcalloc(nr_node_ids * MAX_NR_ZONES * NR_LRU_LISTS,
				sizeof(*w->zone_info), GFP_KERNEL);
	w->unevictable = kvcalloc(nr_node_ids * MAX_NR_ZONES,
				  sizeof(*w->unevictable), GFP_KERNEL);
	w->zones = kvcalloc(nr_node_ids * MAX_NR_ZONES, sizeof(*w->zones),
			    GFP_KERNEL);
	if (!w->zone_counter || !w->zone_info || !w->unevictable || !w->zones)
		return -ENOMEM;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	if (pcinspect_memcg_enabled())
		ret = lru_walk_memcgs(w, buf);
	else
		ret = lru_walk_nodes(w);
	kfree(buf);
	if (!ret)
		ret = lru_scan_unevictable(w);
	if (ret)
		return ret;
	lru_read_zone_counters(w);
	w->walk_ns = ktime_get_ns() - start;
	return 0;
}
