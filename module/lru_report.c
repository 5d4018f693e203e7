// SPDX-License-Identifier: GPL-2.0
/*
 * The lru and lru-files debugfs files: each snapshot is a walk of the LRU
 * lists (lru_walk.c), taken by snapshot_file.c with no lock held and
 * streamed record by record. Formats: Documentation/ABI.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "pcinspect.h"
#include "lru.h"
#include "snapshot_file.h"

/* One walk, with its lruvecs indexed for the records that show them. */
struct lru_snap {
	struct pcinspect_lru_walk w;
	const struct pcinspect_lru_vec **vecs;
	unsigned int nr_vecs;
};

static const char * const lru_list_str[NR_LRU_LISTS] = {
	[LRU_INACTIVE_ANON] = "inactive_anon",
	[LRU_ACTIVE_ANON] = "active_anon",
	[LRU_INACTIVE_FILE] = "inactive_file",
	[LRU_ACTIVE_FILE] = "active_file",
	[LRU_UNEVICTABLE] = "unevictable",
};

static const char * const lru_type_name[ANON_AND_FILE] = { "anon", "file" };

/* Cgroup names may hold any byte but '/': escape blanks, '=' and '\'. */
static void lru_put_path(struct seq_file *m, const char *p)
{
	for (; *p; p++) {
		unsigned char c = *p;

		if (c <= ' ' || c == '\\' || c == '=' || c >= 0x7f)
			seq_printf(m, "\\%03o", c);
		else
			seq_putc(m, c);
	}
}

static void lru_put_vec_id(struct seq_file *m, const struct pcinspect_lru_vec *v)
{
	if (v->memcg) {
		seq_printf(m, "id=%llu ino=%llu memcg=", v->memcg_id,
			   v->cgroup_ino);
		lru_put_path(m, v->path);
		seq_printf(m, " state=%s", v->dying ? "dying" : "online");
	} else {
		seq_puts(m, "id=0 ino=- memcg=- state=-");
	}
	seq_printf(m, " node=%d", v->nid);
}

static const char *lru_zone_name(int nid, int z)
{
	return NODE_DATA(nid)->node_zones[z].name;
}

/* One populated zone: its lists as walked beside the zone counters. */
static void lru_show_zone(struct seq_file *m, const struct lru_snap *s,
			  unsigned int zi)
{
	const struct pcinspect_lru_walk *w = &s->w;
	int nid = zi / MAX_NR_ZONES, z = zi % MAX_NR_ZONES, lru;
	unsigned long walked, counter;
	unsigned int i;

	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		walked = 0;
		for (i = 0; i < s->nr_vecs; i++)
			if (s->vecs[i]->nid == nid)
				walked += s->vecs[i]->zone_view[lru][z];
		if (lru == LRU_UNEVICTABLE)
			walked = w->unevictable[zi];
		counter = w->zone_counter[pcinspect_lru_zidx(nid, z, lru)];
		seq_printf(m,
			   "zone node=%d zone=%s list=%s from=%s walked=%lu counter=%lu diff=%ld zoneinfo=%lu\n",
			   nid, lru_zone_name(nid, z), lru_list_str[lru],
			   lru == LRU_UNEVICTABLE ? "frames" : "lists",
			   walked, counter, (long)(walked - counter),
			   w->zone_info[pcinspect_lru_zidx(nid, z, lru)]);
	}
}

/* Per lruvec (memcg and node) and zone: classic lists and their counters. */
static void lru_show_vec_lists(struct seq_file *m,
			       const struct pcinspect_lru_vec *v)
{
	int z, lru;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (lru = 0; lru < NR_LRU_LISTS; lru++) {
			if (!v->walked[lru][z] && !v->counter[lru][z] &&
			    !v->zone_view[lru][z])
				continue;
			seq_puts(m, "lruvec ");
			lru_put_vec_id(m, v);
			seq_printf(m, " zone=%s list=%s",
				   lru_zone_name(v->nid, z),
				   lru_list_str[lru]);
			if (lru == LRU_UNEVICTABLE)
				seq_puts(m, " walked=-");
			else
				seq_printf(m, " walked=%lu",
					   v->walked[lru][z]);
			if (v->memcg && lru == LRU_UNEVICTABLE)
				seq_printf(m, " counter=%lu diff=-",
					   v->counter[lru][z]);
			else if (v->memcg)
				seq_printf(m, " counter=%lu diff=%ld",
					   v->counter[lru][z],
					   (long)(v->walked[lru][z] -
						  v->counter[lru][z]));
			else
				seq_puts(m, " counter=- diff=-");
			seq_printf(m, " view=%lu\n", v->zone_view[lru][z]);
		}
	}
}

/* The sequence number of a generation, or 0 with false when out of range. */
static bool lru_gen_seq(const struct pcinspect_lru_vec *v, int type, int gen,
			unsigned long *seq)
{
	unsigned long sq;

	for (sq = v->min_seq[type]; sq <= v->max_seq; sq++) {
		if (sq % PCINSPECT_LRU_GENS == gen) {
			*seq = sq;
			return true;
		}
	}
	return false;
}

static void lru_show_vec_gens(struct seq_file *m,
			      const struct pcinspect_lru_vec *v)
{
	unsigned long seq;
	bool in_range;
	int gen, type, z;

	seq_puts(m, "lrugen ");
	lru_put_vec_id(m, v);
	seq_printf(m, " enabled=%d max_seq=%lu min_seq_anon=%lu min_seq_file=%lu\n",
		   v->gen_enabled, v->max_seq, v->min_seq[0], v->min_seq[1]);
	for (type = 0; type < ANON_AND_FILE; type++) {
		for (gen = 0; gen < PCINSPECT_LRU_GENS; gen++) {
			in_range = lru_gen_seq(v, type, gen, &seq);
			for (z = 0; z < MAX_NR_ZONES; z++) {
				if (!v->listed[gen][type][z] &&
				    !v->flagged[gen][type][z] &&
				    !v->nr_pages[gen][type][z])
					continue;
				seq_puts(m, "gen ");
				lru_put_vec_id(m, v);
				if (in_range)
					seq_printf(m, " seq=%lu age=%lu",
						   seq, v->max_seq - seq);
				else
					seq_puts(m, " seq=- age=-");
				seq_printf(m,
					   " gen=%d age_ms=%u type=%s zone=%s listed=%lu flagged=%lu counter=%ld diff=%ld\n",
					   gen, v->age_ms[gen],
					   lru_type_name[type],
					   lru_zone_name(v->nid, z),
					   v->listed[gen][type][z],
					   v->flagged[gen][type][z],
					   v->nr_pages[gen][type][z],
					   (long)v->flagged[gen][type][z] -
						   v->nr_pages[gen][type][z]);
			}
		}
	}
}

static void lru_show_footer(struct seq_file *m, const struct pcinspect_lru_walk *w)
{
	seq_printf(m,
		   "# walk lruvecs=%u memcgs=%u dying=%u visited=%lu pages=%lu chunks=%lu chunk=%u max_hold_ns=%llu hold_ns=%llu restarts=%lu incomplete=%lu frames=%lu scan_ns=%llu walk_ns=%llu",
		   w->nr_vecs, w->nr_memcgs, w->nr_dying, w->visited,
		   w->pages, w->chunks, PCINSPECT_LRU_CHUNK, w->max_hold_ns,
		   w->hold_ns, w->restarts, w->incomplete, w->scanned, w->scan_ns,
		   w->walk_ns);
	seq_printf(m, " displaced=%lu", w->displaced);
	/*
	 * What a hold meant: under PREEMPT_RT the lru_lock is a sleeping
	 * lock, interrupts stay on and the walker may be preempted while it
	 * holds it, so max_hold_ns is wall time the lists were locked for
	 * (what other users waited at most), not a time with irqs off.
	 */
	seq_printf(m, " lock=%s",
		   IS_ENABLED(CONFIG_PREEMPT_RT) ? "sleeping" : "irqoff");
	seq_printf(m, " counted=%lu", w->counted);
	if (w->files)
		seq_printf(m, " files=%u untracked=%lu anon=%lu nofile=%lu table=%u",
			   w->files->nr, w->files->untracked,
			   w->files->anon, w->files->nofile,
			   w->files->cap);
	seq_putc(m, '\n');
}

/* Records of lru: zones, lruvecs' lists, their generations, the footer. */
static unsigned int lru_gen_records(const struct lru_snap *s)
{
	return __is_defined(PCINSPECT_WALK_LRU_GEN) ? s->nr_vecs : 0;
}

static loff_t lru_records(const void *snap)
{
	const struct lru_snap *s = snap;

	return (loff_t)s->w.nr_zones + s->nr_vecs + lru_gen_records(s) + 1;
}

static void lru_show_header(struct seq_file *m, const void *snap)
{
	seq_printf(m, "# pcinspect lru format %d\n", PCINSPECT_FORMAT);
}

static void lru_show(struct seq_file *m, const void *snap, loff_t i)
{
	const struct lru_snap *s = snap;

	if (i < s->w.nr_zones) {
		lru_show_zone(m, s, s->w.zones[i]);
		return;
	}
	i -= s->w.nr_zones;
	if (i < s->nr_vecs) {
		lru_show_vec_lists(m, s->vecs[i]);
		return;
	}
	i -= s->nr_vecs;
	if (i < lru_gen_records(s))
		lru_show_vec_gens(m, s->vecs[i]);
	else
		lru_show_footer(m, &s->w);
}

/* Records of lru-files: one line per file, most pages first; the footer. */
static loff_t lru_files_records(const void *snap)
{
	const struct lru_snap *s = snap;

	return (loff_t)s->w.files->nr + 1;
}

static void lru_files_show_header(struct seq_file *m, const void *snap)
{
	seq_printf(m,
		   "# pcinspect lru-files format %d: dev ino id pages inactive_anon active_anon inactive_file active_file unevictable age0 age1 age2 age3\n",
		   PCINSPECT_FORMAT);
}

static void lru_files_show(struct seq_file *m, const void *snap, loff_t i)
{
	const struct lru_snap *s = snap;
	const struct pcinspect_lru_files *t = s->w.files;
	const struct pcinspect_lru_file *f;
	unsigned int c;

	if (i >= t->nr) {
		lru_show_footer(m, &s->w);
		return;
	}
	f = &t->slots[t->order[i]];
	seq_put_decimal_ull(m, "", MAJOR(f->dev));
	seq_put_decimal_ull(m, ":", MINOR(f->dev));
	seq_put_decimal_ull(m, " ", f->ino);
	pcinspect_seq_put_id(m, pcinspect_inode_id(f->host));
	seq_put_decimal_ull(m, " ", f->pages);
	for (c = 0; c < PCINSPECT_LRU_FILE_COLS; c++)
		seq_put_decimal_ull(m, " ", f->cols[c]);
	seq_putc(m, '\n');
}

/* Taking and freeing a snapshot --------------------------------------------- */

static void lru_free(void *snap)
{
	struct lru_snap *s = snap;

	pcinspect_lru_walk_free(&s->w);
	kvfree(s->vecs);
	kfree(s);
}

/*
 * lru's lruvecs as an array: records are found by index, not by a list
 * walk. The walk counted them (nr_vecs).
 */
static int lru_index_vecs(struct lru_snap *s)
{
	const struct pcinspect_lru_vec *v;

	s->vecs = kvmalloc_array(max(s->w.nr_vecs, 1U), sizeof(*s->vecs),
				 GFP_KERNEL);
	if (!s->vecs)
		return -ENOMEM;
	list_for_each_entry(v, &s->w.vecs, link)
		s->vecs[s->nr_vecs++] = v;
	return 0;
}

static void *lru_take_walk(bool files)
{
	struct lru_snap *s = kzalloc(sizeof(*s), GFP_KERNEL);
	int ret = 0;

	if (!s)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&s->w.vecs);
	if (files) {
		s->w.files = kzalloc(sizeof(*s->w.files), GFP_KERNEL);
		ret = s->w.files ? pcinspect_lru_files_init(s->w.files) : -ENOMEM;
	}
	if (!ret)
		ret = pcinspect_lru_walk(&s->w);
	if (!ret)
		ret = files ? pcinspect_lru_files_sort(s->w.files) :
			      lru_index_vecs(s);
	if (ret) {
		lru_free(s);
		return ERR_PTR(ret);
	}
	return s;
}

static void *lru_take(struct pcinspect_snap_file *sf)
{
	return lru_take_walk(false);
}

static void *lru_files_take(struct pcinspect_snap_file *sf)
{
	return lru_take_walk(true);
}

static const struct pcinspect_snap_kind lru_kind = {
	.take = lru_take,
	.free = lru_free,
	.records = lru_records,
	.show_header = lru_show_header,
	.show = lru_show,
};

static const struct pcinspect_snap_kind lru_files_kind = {
	.take = lru_files_take,
	.free = lru_free,
	.records = lru_files_records,
	.show_header = lru_files_show_header,
	.show = lru_files_show,
};

int pcinspect_lru_init(struct dentry *root)
{
	pcinspect_snap_create("lru", 0400, root, &lru_kind);
	pcinspect_snap_create("lru-files", 0400, root, &lru_files_kind);
	return 0;
}
