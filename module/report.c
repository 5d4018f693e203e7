// SPDX-License-Identifier: GPL-2.0
/*
 * Per-file report: accumulate walk segments into counters or page-map runs,
 * and print them in the format of Documentation/ABI.md ("key: value" lines,
 * then optional map lines).
 */
#include <linux/limits.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pcinspect.h"
#include "compat.h"
#include "report.h"
#include "walk_template.h"

/* The node arrays are sized by the nodes this machine can have. */
int pcinspect_summary_init(struct pcinspect_summary *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->node_cached = kcalloc(2 * nr_node_ids, sizeof(unsigned long),
				   GFP_KERNEL);
	if (!sum->node_cached)
		return -ENOMEM;
	sum->node_evicted = sum->node_cached + nr_node_ids;
	return 0;
}

static void put_memcgs(struct pcinspect_summary *sum)
{
	unsigned int i;

	for (i = 0; i < sum->nr_memcgs; i++) {
		if (sum->memcgs[i].memcg)
			pcinspect_memcg_put(sum->memcgs[i].memcg);
		kfree(sum->memcgs[i].path);
	}
	sum->nr_memcgs = 0;
}

void pcinspect_summary_release(struct pcinspect_summary *sum)
{
	put_memcgs(sum);
	kfree(sum->node_cached);
	sum->node_cached = NULL;
}

void pcinspect_summary_reset(struct pcinspect_summary *sum, bool detail)
{
	unsigned long *nodes = sum->node_cached;

	put_memcgs(sum);
	memset(sum, 0, sizeof(*sum));
	memset(nodes, 0, 2 * nr_node_ids * sizeof(*nodes));
	sum->node_cached = nodes;
	sum->node_evicted = nodes + nr_node_ids;
	sum->detail = detail;
}

/* Count pages per memcg; called under RCU, so only css_tryget here. */
static void count_memcg(struct pcinspect_summary *sum, struct mem_cgroup *memcg,
			unsigned long nr)
{
	struct pcinspect_memcg_count *mc;
	unsigned int i;

	for (i = 0; i < sum->nr_memcgs; i++) {
		if (sum->memcgs[i].memcg == memcg) {
			sum->memcgs[i].pages += nr;
			return;
		}
	}
	if (sum->nr_memcgs == PCINSPECT_MEMCGS || !pcinspect_memcg_tryget(memcg)) {
		sum->memcg_other += nr;
		return;
	}
	mc = &sum->memcgs[sum->nr_memcgs++];
	mc->memcg = memcg;
	mc->pages = nr;
}

/*
 * The walk ended: record what the report shows of each memcg and drop the
 * references. The key is the cgroup's inode number (what stat(2) of its
 * directory under /sys/fs/cgroup gives): unique and kept while the memcg
 * is dying, where mem_cgroup_id() may already be 0 (the ID released).
 */
static void record_memcgs(struct pcinspect_summary *sum)
{
	struct pcinspect_memcg_count *mc;
	char *buf = NULL;
	unsigned int i;

	if (sum->nr_memcgs)
		buf = kmalloc(PATH_MAX, GFP_KERNEL);
	for (i = 0; i < sum->nr_memcgs; i++) {
		mc = &sum->memcgs[i];
		if (!mc->memcg)
			continue;
		mc->ino = pcinspect_memcg_ino(mc->memcg);
		mc->dying = pcinspect_memcg_dying(mc->memcg);
		if (buf && pcinspect_memcg_path(mc->memcg, buf, PATH_MAX) >= 0)
			mc->path = kstrdup(buf, GFP_KERNEL);
		pcinspect_memcg_put(mc->memcg);
		mc->memcg = NULL;
	}
	kfree(buf);
}

static __always_inline bool summary_add(const struct pcinspect_seg *seg,
					void *arg)
{
	struct pcinspect_summary *sum = arg;
	unsigned long nr = seg->nr;

	switch (seg->kind) {
	case PCINSPECT_PAGE:
		sum->cached += nr;
		if (seg->dirty)
			sum->dirty += nr;
		if (seg->writeback)
			sum->writeback += nr;
		sum->order_pages[min_t(int, seg->order, PCINSPECT_ORDERS - 1)] += nr;
		if (!sum->detail)
			break;
		if (seg->flags & PCINSPECT_DIRTY_FLAG)
			sum->dirty_flag += nr;
		if (seg->flags & PCINSPECT_MAPPED)
			sum->mapped += nr;
		/*
		 * Folios still in a per-CPU batch can have PG_active before
		 * PG_lru: only those on a list count as active or inactive.
		 */
		if (seg->flags & PCINSPECT_LRU) {
			sum->lru += nr;
			if (seg->flags & PCINSPECT_ACTIVE)
				sum->active += nr;
			else if (!(seg->flags & PCINSPECT_UNEVICTABLE))
				sum->inactive += nr;
		}
		if (seg->flags & PCINSPECT_UNEVICTABLE)
			sum->unevictable += nr;
		if (seg->flags & PCINSPECT_REFERENCED)
			sum->referenced += nr;
		if (seg->flags & PCINSPECT_WORKINGSET)
			sum->workingset += nr;
		if (seg->gen_age >= 0 && seg->gen_age < PCINSPECT_GENS)
			sum->gen_age[seg->gen_age] += nr;
		if (seg->nid >= 0 && seg->nid < nr_node_ids)
			sum->node_cached[seg->nid] += nr;
		if (seg->memcg)
			count_memcg(sum, seg->memcg, nr);
		break;
	case PCINSPECT_SHADOW:
		sum->evicted += nr;
		if (seg->shadow_ws)
			sum->evicted_workingset += nr;
		if (seg->nid >= 0 && seg->nid < nr_node_ids)
			sum->node_evicted[seg->nid] += nr;
		else
			sum->evicted_node_unknown += nr;
		break;
	case PCINSPECT_SWAP:
		sum->swapped += nr;
		break;
	}
	return true;
}

/* A leaf of order-0 folios in a counts-only walk, in one addition. */
static __always_inline void summary_add_leaf(const struct pcinspect_leaf *leaf,
					     void *arg)
{
	struct pcinspect_summary *sum = arg;

	sum->cached += leaf->pages;
	sum->dirty += leaf->dirty;
	sum->writeback += leaf->writeback;
	sum->order_pages[0] += leaf->pages;
}

int pcinspect_walk_summary(struct pcinspect_walk *w,
			   struct pcinspect_summary *sum)
{
	int ret = pcinspect_walk_tpl(w, summary_add, summary_add_leaf, sum);

	record_memcgs(sum);
	return ret;
}

/*
 * "KEY: N" and "PRE<i>POST: N" lines. A report is printed once per file
 * queried, and a tool queries thousands of files in a row: these skip
 * vsnprintf's format parsing, which seq_printf() pays per line.
 */
void pcinspect_put_key(struct seq_file *m, const char *key,
		       unsigned long long v)
{
	seq_puts(m, key);
	seq_put_decimal_ull(m, ": ", v);
	seq_putc(m, '\n');
}

static void put_indexed(struct seq_file *m, const char *pre,
			unsigned long long i, const char *post,
			unsigned long long v)
{
	seq_puts(m, pre);
	seq_put_decimal_ull(m, "", i);
	seq_puts(m, post);
	seq_put_decimal_ull(m, ": ", v);
	seq_putc(m, '\n');
}

void pcinspect_summary_show(struct seq_file *m,
			    const struct pcinspect_summary *sum)
{
	unsigned int i;
	int nid;

	pcinspect_put_key(m, "cached", sum->cached);
	pcinspect_put_key(m, "dirty", sum->dirty);
	pcinspect_put_key(m, "writeback", sum->writeback);
	pcinspect_put_key(m, "evicted", sum->evicted);
	pcinspect_put_key(m, "evicted_workingset", sum->evicted_workingset);
	pcinspect_put_key(m, "swapped", sum->swapped);
	for (i = 0; i < PCINSPECT_ORDERS; i++)
		if (sum->order_pages[i])
			put_indexed(m, "order", i, ".pages",
				    sum->order_pages[i]);
	for_each_node(nid)
		if (sum->node_evicted[nid])
			put_indexed(m, "node", nid, ".evicted",
				    sum->node_evicted[nid]);
	if (sum->evicted_node_unknown)
		pcinspect_put_key(m, "nodeunknown.evicted",
				  sum->evicted_node_unknown);
	pcinspect_put_key(m, "detail", sum->detail);
	if (sum->detail) {
		pcinspect_put_key(m, "dirty_flag", sum->dirty_flag);
		pcinspect_put_key(m, "mapped", sum->mapped);
		pcinspect_put_key(m, "lru", sum->lru);
		pcinspect_put_key(m, "active", sum->active);
		pcinspect_put_key(m, "inactive", sum->inactive);
		pcinspect_put_key(m, "unevictable", sum->unevictable);
		pcinspect_put_key(m, "referenced", sum->referenced);
		pcinspect_put_key(m, "workingset", sum->workingset);
		for (i = 0; i < PCINSPECT_GENS; i++)
			put_indexed(m, "mglru_age", i, "", sum->gen_age[i]);
		for_each_node(nid)
			if (sum->node_cached[nid])
				put_indexed(m, "node", nid, ".cached",
					    sum->node_cached[nid]);
		for (i = 0; i < sum->nr_memcgs; i++) {
			const struct pcinspect_memcg_count *mc = &sum->memcgs[i];

			put_indexed(m, "memcg", mc->ino, ".cached", mc->pages);
			seq_printf(m, "memcg%llu.path: ", mc->ino);
			if (mc->path)
				seq_escape(m, mc->path, " \t\n\\");
			else
				seq_putc(m, '?');
			seq_putc(m, '\n');
			seq_printf(m, "memcg%llu.state: %s\n", mc->ino,
				   mc->dying ? "dying" : "online");
		}
		if (sum->memcg_other)
			pcinspect_put_key(m, "memcgother.cached",
					  sum->memcg_other);
	}
	pcinspect_put_key(m, "entries", sum->entries);
	pcinspect_put_key(m, "walk_ns", sum->walk_ns);
}

/* Page map --------------------------------------------------------------- */

static const char *const state_names[] = {
	[PCINSPECT_ST_HOLE] = "hole",
	[PCINSPECT_ST_CACHED] = "cached",
	[PCINSPECT_ST_DIRTY] = "dirty",
	[PCINSPECT_ST_WRITEBACK] = "writeback",
	[PCINSPECT_ST_DIRTY_WRITEBACK] = "dirty+writeback",
	[PCINSPECT_ST_EVICTED] = "evicted",
	[PCINSPECT_ST_SWAPPED] = "swapped",
};

static const char *const lru_names[] = {
	[PCINSPECT_LRU_NONE] = "-",
	[PCINSPECT_LRU_INACTIVE] = "inactive",
	[PCINSPECT_LRU_ACTIVE] = "active",
	[PCINSPECT_LRU_UNEVICTABLE] = "unevictable",
};

static void run_from_seg(struct pcinspect_run *run,
			 const struct pcinspect_seg *seg)
{
	run->first = seg->index;
	run->last = seg->index + seg->nr - 1;
	run->mapped = false;
	run->lru = PCINSPECT_LRU_NONE;
	run->nid = seg->nid;
	run->order = seg->kind == PCINSPECT_HOLE ? -1 : seg->order;

	switch (seg->kind) {
	case PCINSPECT_HOLE:
		run->state = PCINSPECT_ST_HOLE;
		break;
	case PCINSPECT_SHADOW:
		run->state = PCINSPECT_ST_EVICTED;
		break;
	case PCINSPECT_SWAP:
		run->state = PCINSPECT_ST_SWAPPED;
		break;
	default:
		if (seg->dirty && seg->writeback)
			run->state = PCINSPECT_ST_DIRTY_WRITEBACK;
		else if (seg->writeback)
			run->state = PCINSPECT_ST_WRITEBACK;
		else if (seg->dirty)
			run->state = PCINSPECT_ST_DIRTY;
		else
			run->state = PCINSPECT_ST_CACHED;
		run->mapped = seg->flags & PCINSPECT_MAPPED;
		if (seg->flags & PCINSPECT_UNEVICTABLE)
			run->lru = PCINSPECT_LRU_UNEVICTABLE;
		else if (!(seg->flags & PCINSPECT_LRU))
			run->lru = PCINSPECT_LRU_NONE;
		else if (seg->flags & PCINSPECT_ACTIVE)
			run->lru = PCINSPECT_LRU_ACTIVE;
		else
			run->lru = PCINSPECT_LRU_INACTIVE;
		break;
	}
}

/* Merge @next into @run when it continues it with the same columns. */
static bool run_extend(struct pcinspect_run *run,
		       const struct pcinspect_run *next)
{
	if (next->first != run->last + 1 || next->state != run->state ||
	    next->lru != run->lru || next->mapped != run->mapped ||
	    next->order != run->order || next->nid != run->nid)
		return false;
	run->last = next->last;
	return true;
}

static __always_inline bool map_add(const struct pcinspect_seg *seg, void *arg)
{
	struct pcinspect_map_batch *b = arg;
	struct pcinspect_run run;

	run_from_seg(&run, seg);
	if (b->open_valid) {
		if (run_extend(&b->open, &run))
			return true;
		if (b->n == PCINSPECT_MAP_BATCH)
			return false;	/* batch full: resume at @seg */
		b->runs[b->n++] = b->open;
	}
	b->open = run;
	b->open_valid = true;
	return true;
}

/*
 * Add runs to an empty batch from w->next on. When the walk completes,
 * the run still open is closed too (runs[] has room for it).
 */
int pcinspect_walk_map(struct pcinspect_walk *w, struct pcinspect_map_batch *b)
{
	int ret = pcinspect_walk_tpl(w, map_add, NULL, b);

	if (ret == 0 && b->open_valid) {
		b->runs[b->n++] = b->open;
		b->open_valid = false;
	}
	return ret;
}

void pcinspect_run_show(struct seq_file *m, const struct pcinspect_run *run)
{
	seq_printf(m, "%lu %lu %s %s %c %d %d\n", run->first, run->last,
		   state_names[run->state], lru_names[run->lru],
		   run->mapped ? 'm' : '-', run->nid, run->order);
}
