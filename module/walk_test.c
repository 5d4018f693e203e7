// SPDX-License-Identifier: GPL-2.0
/*
 * pcinspect_walk_test: unit tests of the per-file walk (walk.h) on
 * synthetic page caches, in the manner of lib/test_xarray.c: a module of
 * its own that runs every case when it is loaded, prints KTAP to the
 * kernel log, and refuses to load (-EINVAL) when a case failed. It is
 * built only on request (make PCINSPECT_WALK_TEST=m) and never installed;
 * selftests/walk_unit_test.sh loads it in the test guests. KUnit is not
 * used because Debian's kernels do not build it.
 *
 * Each shape is a list of entries (index, order, kind, marks) stored in
 * the xarray of a private address_space: real folios for pages, so that
 * detail walks can read their flags and the entry-by-entry path can pin
 * them; xarray values for shadow and swap entries. Shapes that real page
 * caches cannot be forced into on demand are the point: large entries in
 * the middle of a leaf node and across nodes, value entries of every
 * order, marks on some entries, ranges that start and end inside large
 * entries, empty and one-entry mappings, and a retry entry met in the
 * middle of a leaf. For every shape and range, the walk must give what the
 * list says:
 *  - segments: each entry clipped to the range and each hole, in order;
 *  - detail: the same under the i_pages lock, with the flags of the
 *    folios (none are set on these);
 *  - counts: pages, dirty and writeback through the leaf fast path
 *    (leaf_fn), which must agree with the slot-by-slot segments;
 *  - resume: stopped after every few segments and resumed from w->next,
 *    the walk must give the same segments, none lost or repeated.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "walk_template.h"

#define WT_MAX_SEGS	512
#define WT_MAX_ENTRIES	80

struct wt_entry {
	pgoff_t index;
	u8 order;
	u8 kind;		/* PCINSPECT_PAGE, _SHADOW (or _SWAP on shmem) */
	bool dirty, writeback;
	bool ws;		/* shadow: the workingset bit */
};

struct wt_shape {
	const char *name;
	bool shmem;		/* value entries are swap entries */
	pgoff_t eof;		/* holes reported up to here */
	unsigned int nr;
	struct wt_entry e[WT_MAX_ENTRIES];
};

/* The xarray built from a shape, and the folios it holds. */
struct wt_cache {
	struct address_space *mapping;
	struct folio *folios[WT_MAX_ENTRIES];
};

struct wt_segs {
	unsigned int nr;
	bool overflow;
	unsigned int stop_every;	/* resume walks: stop after this many */
	unsigned int since_stop;
	struct pcinspect_seg s[WT_MAX_SEGS];
};

struct wt_counts {
	unsigned long pages, dirty, writeback, values;
};

static unsigned int wt_run, wt_failed, wt_skipped;

/* ----- building the synthetic page cache -------------------------------- */

static void *wt_value(const struct wt_entry *e)
{
	/*
	 * A shadow as mm/workingset.c packs one: eviction counter above the
	 * memcg id and node, the workingset bit lowest. Node 0 exists on
	 * every machine, so a decoded shadow's node is known.
	 */
	unsigned long v = (0x5aUL << (1 + NODES_SHIFT)) | e->ws;

	return xa_mk_value(v);
}

static int wt_store(struct address_space *mapping, pgoff_t index,
		    unsigned int order, void *entry, bool dirty, bool writeback)
{
	XA_STATE_ORDER(xas, &mapping->i_pages, index, order);

	do {
		xas_lock_irq(&xas);
		xas_store(&xas, entry);
		if (!xas_error(&xas)) {
			if (dirty)
				xas_set_mark(&xas, PAGECACHE_TAG_DIRTY);
			if (writeback)
				xas_set_mark(&xas, PAGECACHE_TAG_WRITEBACK);
		}
		xas_unlock_irq(&xas);
	} while (xas_nomem(&xas, GFP_KERNEL));
	return xas_error(&xas);
}

static void wt_cache_free(struct wt_cache *c, const struct wt_shape *sh)
{
	unsigned int i;

	if (!c->mapping)
		return;
	xa_destroy(&c->mapping->i_pages);
	for (i = 0; i < sh->nr; i++)
		if (c->folios[i])
			folio_put(c->folios[i]);
	kfree(c->mapping);
	c->mapping = NULL;
}

static int wt_cache_build(struct wt_cache *c, const struct wt_shape *sh)
{
	unsigned int i;
	int ret = 0;

	memset(c, 0, sizeof(*c));
	c->mapping = kzalloc(sizeof(*c->mapping), GFP_KERNEL);
	if (!c->mapping)
		return -ENOMEM;
	xa_init_flags(&c->mapping->i_pages, XA_FLAGS_LOCK_IRQ);
	for (i = 0; i < sh->nr && !ret; i++) {
		const struct wt_entry *e = &sh->e[i];
		void *entry;

		if (e->kind == PCINSPECT_PAGE) {
			c->folios[i] = folio_alloc(GFP_KERNEL | __GFP_NOWARN,
						   e->order);
			if (!c->folios[i]) {
				ret = -ENOMEM;
				break;
			}
			entry = c->folios[i];
		} else {
			entry = wt_value(e);
		}
		ret = wt_store(c->mapping, e->index, e->order, entry,
			       e->dirty, e->writeback);
	}
	if (ret)
		wt_cache_free(c, sh);
	return ret;
}

/* ----- what the shape says a walk gives ---------------------------------- */

static void wt_push(struct wt_segs *out, const struct pcinspect_seg *seg)
{
	if (out->nr == WT_MAX_SEGS) {
		out->overflow = true;
		return;
	}
	out->s[out->nr++] = *seg;
}

static void wt_expect(const struct wt_shape *sh, pgoff_t first, pgoff_t last,
		      pgoff_t hole_last, struct wt_segs *out)
{
	pgoff_t next = first;
	unsigned int i;

	out->nr = 0;
	out->overflow = false;
	for (i = 0; i < sh->nr; i++) {
		const struct wt_entry *e = &sh->e[i];
		pgoff_t start = e->index;
		pgoff_t end = start + (1UL << e->order) - 1;
		struct pcinspect_seg seg = { .nid = NUMA_NO_NODE, .gen_age = -1 };

		if (end < first || start > last)
			continue;
		start = max(start, first);
		end = min(end, last);
		if (start > next) {
			seg.index = next;
			seg.nr = start - next;
			seg.kind = PCINSPECT_HOLE;
			wt_push(out, &seg);
		}
		seg.index = start;
		seg.nr = end - start + 1;
		seg.kind = e->kind;
		seg.order = e->order;
		if (e->kind == PCINSPECT_PAGE) {
			seg.dirty = e->dirty;
			seg.writeback = e->writeback;
		} else {
			seg.kind = sh->shmem ? PCINSPECT_SWAP : PCINSPECT_SHADOW;
			seg.shadow_ws = !sh->shmem && e->ws;
		}
		wt_push(out, &seg);
		next = end + 1;
	}
	if (hole_last != ULONG_MAX && next <= min(hole_last, last)) {
		struct pcinspect_seg seg = {
			.index = next,
			.nr = min(hole_last, last) - next + 1,
			.kind = PCINSPECT_HOLE,
		};

		wt_push(out, &seg);
	}
}

/* ----- walking ------------------------------------------------------------ */

static bool wt_collect(const struct pcinspect_seg *seg, void *arg)
{
	struct wt_segs *out = arg;

	if (out->stop_every && out->since_stop == out->stop_every) {
		out->since_stop = 0;
		return false;
	}
	out->since_stop++;
	wt_push(out, seg);
	return true;
}

static bool wt_count_seg(const struct pcinspect_seg *seg, void *arg)
{
	struct wt_counts *n = arg;

	if (seg->kind == PCINSPECT_PAGE) {
		n->pages += seg->nr;
		n->dirty += seg->dirty ? seg->nr : 0;
		n->writeback += seg->writeback ? seg->nr : 0;
	} else if (seg->kind != PCINSPECT_HOLE) {
		n->values += seg->nr;
	}
	return true;
}

static void wt_count_leaf(const struct pcinspect_leaf *leaf, void *arg)
{
	struct wt_counts *n = arg;

	n->pages += leaf->pages;
	n->dirty += leaf->dirty;
	n->writeback += leaf->writeback;
}

static void wt_walk_init(struct pcinspect_walk *w, struct wt_cache *c,
			 const struct wt_shape *sh, pgoff_t first, pgoff_t last,
			 pgoff_t hole_last, bool detail)
{
	*w = (struct pcinspect_walk) {
		.mapping = c->mapping,
		.next = first,
		.last = last,
		.hole_last = hole_last,
		.detail = detail,
		.shmem = sh->shmem,
	};
}

/* Segments of one walk, resumed from w->next whenever the callback stopped. */
static int wt_walk_segs(struct wt_cache *c, const struct wt_shape *sh,
			pgoff_t first, pgoff_t last, pgoff_t hole_last,
			bool detail, unsigned int stop_every, struct wt_segs *out)
{
	struct pcinspect_walk w;
	unsigned int rounds = 0;
	int ret;

	out->nr = 0;
	out->overflow = false;
	out->stop_every = stop_every;
	out->since_stop = 0;
	wt_walk_init(&w, c, sh, first, last, hole_last, detail);
	do {
		ret = pcinspect_walk_tpl(&w, wt_collect, NULL, out);
		/* A walk that stops must move on, or it would never end. */
		if (++rounds > 2 * WT_MAX_SEGS)
			return -ELOOP;
	} while (ret == 1 && w.next <= last && w.next != 0);
	return ret < 0 ? ret : 0;
}

/* ----- comparing ------------------------------------------------------------ */

static const char *const wt_kind_name[] = {
	[PCINSPECT_HOLE] = "hole",
	[PCINSPECT_PAGE] = "page",
	[PCINSPECT_SHADOW] = "shadow",
	[PCINSPECT_SWAP] = "swap",
};

static void wt_diag_seg(const char *who, const struct pcinspect_seg *s)
{
	pr_info("    # %s: %s index %lu nr %lu order %u dirty %d writeback %d ws %d flags %#x\n",
		who, wt_kind_name[s->kind], s->index, s->nr, s->order,
		s->dirty, s->writeback, s->shadow_ws, s->flags);
}

/* Holes carry no order or marks; pages in detail walks carry flags. */
static bool wt_seg_equal(const struct pcinspect_seg *a,
			 const struct pcinspect_seg *b)
{
	if (a->kind != b->kind || a->index != b->index || a->nr != b->nr)
		return false;
	if (a->kind == PCINSPECT_HOLE)
		return true;
	return a->order == b->order && a->dirty == b->dirty &&
	       a->writeback == b->writeback && a->shadow_ws == b->shadow_ws &&
	       a->flags == b->flags;
}

static bool wt_segs_equal(const char *range, const struct wt_segs *want,
			  const struct wt_segs *got)
{
	unsigned int i;

	if (want->overflow || got->overflow) {
		pr_info("    # %s: more than %d segments\n", range, WT_MAX_SEGS);
		return false;
	}
	for (i = 0; i < max(want->nr, got->nr); i++) {
		if (i < want->nr && i < got->nr &&
		    wt_seg_equal(&want->s[i], &got->s[i]))
			continue;
		pr_info("    # %s: segment %u of %u expected, %u walked\n",
			range, i, want->nr, got->nr);
		if (i < want->nr)
			wt_diag_seg("expected", &want->s[i]);
		if (i < got->nr)
			wt_diag_seg("walked", &got->s[i]);
		return false;
	}
	return true;
}

/* ----- the cases ------------------------------------------------------------ */

enum wt_mode { WT_SEGMENTS, WT_DETAIL, WT_COUNTS, WT_RESUME, WT_MODES };

static const char *const wt_mode_name[] = {
	[WT_SEGMENTS] = "segments",
	[WT_DETAIL] = "detail",
	[WT_COUNTS] = "counts",
	[WT_RESUME] = "resume",
};

struct wt_range {
	pgoff_t first, last;
};

static struct wt_segs wt_want, wt_got;	/* one case runs at a time */

static bool wt_check_range(struct wt_cache *c, const struct wt_shape *sh,
			   enum wt_mode mode, const struct wt_range *r)
{
	pgoff_t hole_last = sh->eof ? sh->eof : ULONG_MAX;
	char range[64];
	int ret;

	snprintf(range, sizeof(range), "range %lu-%lu", r->first, r->last);
	wt_expect(sh, r->first, r->last, hole_last, &wt_want);
	if (mode == WT_COUNTS) {
		struct wt_counts want = {}, got = {};
		struct pcinspect_walk w;
		unsigned int i;

		for (i = 0; i < wt_want.nr; i++)
			wt_count_seg(&wt_want.s[i], &want);
		wt_walk_init(&w, c, sh, r->first, r->last, ULONG_MAX, false);
		ret = pcinspect_walk_tpl(&w, wt_count_seg, wt_count_leaf, &got);
		if (ret || memcmp(&want, &got, sizeof(want))) {
			pr_info("    # %s: walk %d, pages %lu/%lu dirty %lu/%lu writeback %lu/%lu values %lu/%lu (expected/walked)\n",
				range, ret, want.pages, got.pages, want.dirty,
				got.dirty, want.writeback, got.writeback,
				want.values, got.values);
			return false;
		}
		return true;
	}
	ret = wt_walk_segs(c, sh, r->first, r->last, hole_last,
			   mode == WT_DETAIL, mode == WT_RESUME ? 2 : 0,
			   &wt_got);
	if (ret) {
		pr_info("    # %s: walk returned %d\n", range, ret);
		return false;
	}
	return wt_segs_equal(range, &wt_want, &wt_got);
}

static void wt_result(bool ok, const char *name, const char *mode,
		      const char *skip)
{
	wt_run++;
	if (skip) {
		wt_skipped++;
		pr_info("    ok %u %s: %s # SKIP %s\n", wt_run, name, mode, skip);
		return;
	}
	wt_failed += !ok;
	pr_info("    %sok %u %s: %s\n", ok ? "" : "not ", wt_run, name, mode);
}

/* Why a shape cannot be built on this kernel, or NULL. */
static const char *wt_shape_skip(const struct wt_shape *sh)
{
	unsigned int i;

	for (i = 0; i < sh->nr; i++) {
		if (!sh->e[i].order)
			continue;
		if (!IS_ENABLED(CONFIG_XARRAY_MULTI))
			return "multi-index entries need CONFIG_XARRAY_MULTI";
		/*
		 * Without xas_get_order() the walk counts a value entry met
		 * entry by entry as one page: Documentation/kernel-facts.md.
		 */
		if (sh->e[i].kind != PCINSPECT_PAGE &&
		    !IS_ENABLED_HAVE(XAS_GET_ORDER))
			return "large value entries need xas_get_order()";
	}
	return NULL;
}

static void wt_check_shape(const struct wt_shape *sh,
			   const struct wt_range *ranges, unsigned int nr_ranges)
{
	const char *skip = wt_shape_skip(sh);
	struct wt_cache c;
	enum wt_mode mode;
	unsigned int i;
	int ret;

	if (skip) {
		for (mode = 0; mode < WT_MODES; mode++)
			wt_result(true, sh->name, wt_mode_name[mode], skip);
		return;
	}
	ret = wt_cache_build(&c, sh);
	if (ret) {
		pr_info("    # %s: building the xarray: %d\n", sh->name, ret);
		for (mode = 0; mode < WT_MODES; mode++)
			wt_result(false, sh->name, wt_mode_name[mode], NULL);
		return;
	}
	for (mode = 0; mode < WT_MODES; mode++) {
		bool ok = true;

		for (i = 0; i < nr_ranges; i++)
			ok &= wt_check_range(&c, sh, mode, &ranges[i]);
		wt_result(ok, sh->name, wt_mode_name[mode], NULL);
		cond_resched();
	}
	wt_cache_free(&c, sh);
}

#define P(i, o)		{ .index = (i), .order = (o), .kind = PCINSPECT_PAGE }
#define PD(i, o)	{ .index = (i), .order = (o), .kind = PCINSPECT_PAGE, .dirty = true }
#define PW(i, o)	{ .index = (i), .order = (o), .kind = PCINSPECT_PAGE, .writeback = true }
#define PDW(i, o)	{ .index = (i), .order = (o), .kind = PCINSPECT_PAGE, \
			  .dirty = true, .writeback = true }
#define V(i, o)		{ .index = (i), .order = (o), .kind = PCINSPECT_SHADOW }
#define VW(i, o)	{ .index = (i), .order = (o), .kind = PCINSPECT_SHADOW, .ws = true }

/*
 * Entries in index order, as wt_expect() needs them. Ranges: the whole
 * file, the inside of its first leaf node, and ranges starting and ending
 * inside large entries.
 */
static const struct wt_range wt_ranges[] = {
	{ 0, ULONG_MAX }, { 0, 63 }, { 1, 62 }, { 5, 5 }, { 6, 140 },
	{ 33, 600 }, { 64, 127 }, { 130, 700 }, { 513, ULONG_MAX },
	{ 1000, 5000 },
};

static struct wt_shape wt_shapes[] = {
	{ .name = "empty", .eof = 100, .nr = 0 },
	{ .name = "empty_no_eof", .nr = 0 },
	{ .name = "one_page", .eof = 1, .nr = 1, .e = { PD(0, 0) } },
	{ .name = "one_page_far", .eof = 4096, .nr = 1, .e = { PW(3000, 0) } },
	{ .name = "leaf_of_small_pages", .eof = 200, .nr = 0 },	/* filled below */
	{ .name = "large_pages_inside_leaves", .eof = 1024, .nr = 9, .e = {
		P(0, 0), PD(4, 2), PW(8, 3), P(16, 0), PDW(32, 5),
		P(64, 1), PD(66, 1), P(96, 4), PW(127, 0) } },
	{ .name = "large_pages_across_leaves", .eof = 2048, .nr = 6, .e = {
		P(3, 0), PD(64, 6), PW(128, 7), P(256, 0), PDW(512, 9),
		P(1024, 0) } },
	{ .name = "shadows_every_order", .eof = 1024, .nr = 8, .e = {
		V(0, 0), VW(1, 0), P(2, 1), V(4, 2), VW(8, 3), PD(16, 4),
		V(64, 6), VW(512, 9) } },
	{ .name = "swap_every_order", .shmem = true, .eof = 700, .nr = 6, .e = {
		V(0, 0), P(1, 0), V(2, 1), PD(4, 2), V(64, 6), V(128, 7) } },
	{ .name = "sparse", .eof = 1UL << 20, .nr = 5, .e = {
		P(5, 0), V(600, 0), PD(4095, 0), P(65536, 0),
		PW((1UL << 20) - 1, 0) } },
};

static void wt_fill_leaf(struct wt_shape *sh)
{
	unsigned int i;

	/* 64 order-0 pages, some dirty, some in writeback: the fast path. */
	for (i = 0; i < 64; i++) {
		sh->e[i] = (struct wt_entry) {
			.index = i,
			.kind = PCINSPECT_PAGE,
			.dirty = i % 3 == 0,
			.writeback = i % 5 == 0,
		};
	}
	/* and a second leaf, half filled */
	for (i = 0; i < 16; i++)
		sh->e[64 + i] = (struct wt_entry) {
			.index = 64 + 2 * i,
			.kind = PCINSPECT_PAGE,
			.dirty = i & 1,
		};
	sh->nr = 80;
}

/* ----- a retry entry in the middle of a leaf -------------------------------- */

/*
 * A node being freed has XA_RETRY_ENTRY in its slots; a leaf scan that
 * meets one must hand over to the entry-by-entry walk at w->next, which
 * finds what the slot holds again. The retry entry is put in slot 10 of a
 * full leaf; the callback puts the folio back while it is given the entry
 * before (the scan has already loaded the retry entry by then), as a
 * concurrent store would.
 */
struct wt_retry {
	struct wt_segs segs;
	struct xa_node *node;
	void *restore;
	bool restored;
};

static bool wt_retry_collect(const struct pcinspect_seg *seg, void *arg)
{
	struct wt_retry *r = arg;

	if (seg->index + seg->nr == 10 && !r->restored) {
		rcu_assign_pointer(r->node->slots[10], r->restore);
		r->restored = true;
	}
	wt_push(&r->segs, seg);
	return true;
}

static void wt_check_retry(struct wt_shape *leaf, bool detail)
{
	static struct wt_retry r;
	struct pcinspect_walk w;
	struct wt_cache c;
	bool ok;
	int ret;

	ret = wt_cache_build(&c, leaf);
	if (ret) {
		pr_info("    # retry: building the xarray: %d\n", ret);
		wt_result(false, "retry_entry_mid_leaf", detail ? "detail" : "segments", NULL);
		return;
	}
	memset(&r, 0, sizeof(r));
	{
		XA_STATE(xas, &c.mapping->i_pages, 10);

		xas_lock_irq(&xas);
		r.restore = xas_load(&xas);
		r.node = xas.xa_node;
		if (!xas_not_node(r.node) && !r.node->shift && xas.xa_offset == 10)
			rcu_assign_pointer(r.node->slots[10], XA_RETRY_ENTRY);
		else
			r.node = NULL;
		xas_unlock_irq(&xas);
	}
	ok = !!r.node;
	if (!ok)
		pr_info("    # retry: index 10 is not in a leaf node\n");
	if (ok) {
		wt_walk_init(&w, &c, leaf, 0, ULONG_MAX, leaf->eof, detail);
		ret = pcinspect_walk_tpl(&w, wt_retry_collect, NULL, &r);
		wt_expect(leaf, 0, ULONG_MAX, leaf->eof, &wt_want);
		ok = !ret && r.restored &&
		     wt_segs_equal("retry", &wt_want, &r.segs);
		if (!r.restored)
			pr_info("    # retry: the walk never reached index 9\n");
	}
	if (r.node && !r.restored)
		rcu_assign_pointer(r.node->slots[10], r.restore);
	wt_result(ok, "retry_entry_mid_leaf", detail ? "detail" : "segments",
		  NULL);
	wt_cache_free(&c, leaf);
}

static int __init pcinspect_walk_test_init(void)
{
	struct wt_shape *leaf = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wt_shapes); i++)
		if (!strcmp(wt_shapes[i].name, "leaf_of_small_pages"))
			leaf = &wt_shapes[i];
	wt_fill_leaf(leaf);
	pr_info("KTAP version 1\n");
	pr_info("1..1\n");
	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: pcinspect_walk\n");
	pr_info("    1..%zu\n", ARRAY_SIZE(wt_shapes) * WT_MODES + 2);
	for (i = 0; i < ARRAY_SIZE(wt_shapes); i++)
		wt_check_shape(&wt_shapes[i], wt_ranges, ARRAY_SIZE(wt_ranges));
	wt_check_retry(leaf, false);
	wt_check_retry(leaf, true);
	pr_info("    # pcinspect_walk: %u run, %u failed, %u skipped\n",
		wt_run, wt_failed, wt_skipped);
	pr_info("%sok 1 pcinspect_walk\n", wt_failed ? "not " : "");
	return wt_failed ? -EINVAL : 0;
}

static void __exit pcinspect_walk_test_exit(void)
{
}

module_init(pcinspect_walk_test_init);
module_exit(pcinspect_walk_test_exit);
MODULE_DESCRIPTION("pcinspect: unit tests of the page-cache walk");
MODULE_LICENSE("GPL");
