// SPDX-License-Identifier: GPL-2.0
/*
 * The lru and lru-files debugfs files: each open gets its own walk of the
 * LRU lists (lru_walk.c), taken on the first read with no lock held and
 * formatted into a buffer that later reads page through. Formats:
 * Documentation/ABI.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "pcinspect.h"
#include "lru.h"

/* Largest text one open may hold; a bigger report fails with EFBIG. */
#define LRU_TEXT_MAX (64UL << 20)

struct lru_file {
	struct mutex lock;		/* first read walks, others wait */
	bool files;			/* lru-files rather than lru */
	bool done;
	char *text;
	size_t len;
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
static void lru_put_path(struct seq_buf *s, const char *p)
{
	for (; *p; p++) {
		unsigned char c = *p;

		if (c <= ' ' || c == '\\' || c == '=' || c >= 0x7f)
			seq_buf_printf(s, "\\%03o", c);
		else
			seq_buf_printf(s, "%c", c);
	}
}

static void lru_put_vec_id(struct seq_buf *s, const struct pcinspect_lru_vec *v)
{
	if (v->memcg) {
		seq_buf_printf(s, "id=%llu ino=%llu memcg=", v->memcg_id,
			       v->cgroup_ino);
		lru_put_path(s, v->path);
		seq_buf_printf(s, " state=%s", v->dying ? "dying" : "online");
	} else {
		seq_buf_printf(s, "id=0 ino=- memcg=- state=-");
	}
	seq_buf_printf(s, " node=%d", v->nid);
}

static const char *lru_zone_name(int nid, int z)
{
	return NODE_DATA(nid)->node_zones[z].name;
}

/* Per node and zone: the lists as walked beside the zone counters. */
static void lru_show_zones(struct seq_buf *s, const struct pcinspect_lru_walk *w)
{
	const struct pcinspect_lru_vec *v;
	unsigned long walked, counter;
	struct zone *zone;
	int nid, z, lru;

	for_each_online_node(nid) {
		for (z = 0; z < MAX_NR_ZONES; z++) {
			zone = &NODE_DATA(nid)->node_zones[z];
			if (!populated_zone(zone))
				continue;
			for (lru = 0; lru < NR_LRU_LISTS; lru++) {
				walked = 0;
				list_for_each_entry(v, &w->vecs, link)
					if (v->nid == nid)
						walked += v->zone_view[lru][z];
				if (lru == LRU_UNEVICTABLE)
					walked = w->unevictable[nid * MAX_NR_ZONES + z];
				counter = w->zone_counter[pcinspect_lru_zidx(nid, z, lru)];
				seq_buf_printf(s,
					       "zone node=%d zone=%s list=%s from=%s walked=%lu counter=%lu diff=%ld zoneinfo=%lu\n",
					       nid, zone->name, lru_list_str[lru],
					       lru == LRU_UNEVICTABLE ? "frames" : "lists",
					       walked, counter,
					       (long)(walked - counter),
					       zone_page_state(zone,
							       NR_ZONE_LRU_BASE + lru));
			}
		}
	}
}

/* Per lruvec (memcg and node) and zone: classic lists and their counters. */
static void lru_show_vec_lists(struct seq_buf *s,
			       const struct pcinspect_lru_vec *v)
{
	int z, lru;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (lru = 0; lru < NR_LRU_LISTS; lru++) {
			if (!v->walked[lru][z] && !v->counter[lru][z] &&
			    !v->zone_view[lru][z])
				continue;
			seq_buf_printf(s, "lruvec ");
			lru_put_vec_id(s, v);
			seq_buf_printf(s, " zone=%s list=%s",
				       lru_zone_name(v->nid, z),
				       lru_list_str[lru]);
			if (lru == LRU_UNEVICTABLE)
				seq_buf_printf(s, " walked=-");
			else
				seq_buf_printf(s, " walked=%lu",
					       v->walked[lru][z]);
			if (v->memcg && lru == LRU_UNEVICTABLE)
				seq_buf_printf(s, " counter=%lu diff=-",
					       v->counter[lru][z]);
			else if (v->memcg)
				seq_buf_printf(s, " counter=%lu diff=%ld",
					       v->counter[lru][z],
					       (long)(v->walked[lru][z] -
						      v->counter[lru][z]));
			else
				seq_buf_printf(s, " counter=- diff=-");
			seq_buf_printf(s, " view=%lu\n", v->zone_view[lru][z]);
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

static void lru_show_vec_gens(struct seq_buf *s,
			      const struct pcinspect_lru_vec *v)
{
	unsigned long seq;
	bool in_range;
	int gen, type, z;

#ifndef PCINSPECT_WALK_LRU_GEN
	return;
#endif
	seq_buf_printf(s, "lrugen ");
	lru_put_vec_id(s, v);
	seq_buf_printf(s, " enabled=%d max_seq=%lu min_seq_anon=%lu min_seq_file=%lu\n",
		       v->gen_enabled, v->max_seq, v->min_seq[0], v->min_seq[1]);
	for (type = 0; type < ANON_AND_FILE; type++) {
		for (gen = 0; gen < PCINSPECT_LRU_GENS; gen++) {
			in_range = lru_gen_seq(v, type, gen, &seq);
			for (z = 0; z < MAX_NR_ZONES; z++) {
				if (!v->listed[gen][type][z] &&
				    !v->flagged[gen][type][z] &&
				    !v->nr_pages[gen][type][z])
					continue;
				seq_buf_printf(s, "gen ");
				lru_put_vec_id(s, v);
				if (in_range)
					seq_buf_printf(s, " seq=%lu age=%lu",
						       seq, v->max_seq - seq);
				else
					seq_buf_printf(s, " seq=- age=-");
				seq_buf_printf(s,
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

static void lru_show_footer(struct seq_buf *s, const struct pcinspect_lru_walk *w)
{
	seq_buf_printf(s,
		       "# walk lruvecs=%u memcgs=%u dying=%u visited=%lu pages=%lu chunks=%lu chunk=%u max_hold_ns=%llu hold_ns=%llu restarts=%lu incomplete=%lu frames=%lu scan_ns=%llu walk_ns=%llu",
		       w->nr_vecs, w->nr_memcgs, w->nr_dying, w->visited,
		       w->pages, w->chunks, PCINSPECT_LRU_CHUNK, w->max_hold_ns,
		       w->hold_ns, w->restarts, w->incomplete, w->scanned, w->scan_ns,
		       w->walk_ns);
	seq_buf_printf(s, " displaced=%lu", w->displaced);
	/*
	 * What a hold meant: under PREEMPT_RT the lru_lock is a sleeping
	 * lock, interrupts stay on and the walker may be preempted while it
	 * holds it, so max_hold_ns is wall time the lists were locked for
	 * (what other users waited at most), not a time with irqs off.
	 */
	seq_buf_printf(s, " lock=%s",
		       IS_ENABLED(CONFIG_PREEMPT_RT) ? "sleeping" : "irqoff");
	seq_buf_printf(s, " counted=%lu", w->counted);
	if (w->files)
		seq_buf_printf(s, " files=%u untracked=%lu anon=%lu nofile=%lu table=%u",
			       w->files->nr, w->files->untracked,
			       w->files->anon, w->files->nofile,
			       w->files->cap);
	seq_buf_printf(s, "%c", '\n');
}

static void lru_show(struct seq_buf *s, const struct pcinspect_lru_walk *w)
{
	const struct pcinspect_lru_vec *v;

	seq_buf_printf(s, "# pcinspect lru format %d\n", PCINSPECT_FORMAT);
	lru_show_zones(s, w);
	list_for_each_entry(v, &w->vecs, link)
		lru_show_vec_lists(s, v);
	list_for_each_entry(v, &w->vecs, link)
		lru_show_vec_gens(s, v);
	lru_show_footer(s, w);
}

/* lru-files: one line per file, most pages first. */
static void lru_show_files(struct seq_buf *s, const struct pcinspect_lru_walk *w)
{
	const struct pcinspect_lru_files *t = w->files;
	const struct pcinspect_lru_file *f;
	unsigned int i, c;

	seq_buf_printf(s,
		       "# pcinspect lru-files format %d: dev ino id pages inactive_anon active_anon inactive_file active_file unevictable age0 age1 age2 age3\n",
		       PCINSPECT_FORMAT);
	for (i = 0; i < t->nr; i++) {
		f = &t->slots[t->order[i]];
		seq_buf_printf(s, "%u:%u %llu %016llx %lu", MAJOR(f->dev),
			       MINOR(f->dev), f->ino,
			       pcinspect_inode_id(f->host), f->pages);
		for (c = 0; c < PCINSPECT_LRU_FILE_COLS; c++)
			seq_buf_printf(s, " %lu", f->cols[c]);
		seq_buf_printf(s, "%c", '\n');
		if (!(i % PCINSPECT_RESCHED_BATCH))
			cond_resched();
	}
	lru_show_footer(s, w);
}

/* Format into a buffer, doubling it until the text fits. */
static int lru_format(struct lru_file *lf, const struct pcinspect_lru_walk *w)
{
	size_t size = 64UL << 10;
	struct seq_buf s;
	char *buf;

	for (;;) {
		buf = pcinspect_big_alloc(size, false);
		if (!buf)
			return -ENOMEM;
		seq_buf_init(&s, buf, size);
		if (lf->files)
			lru_show_files(&s, w);
		else
			lru_show(&s, w);
		if (!seq_buf_has_overflowed(&s))
			break;
		kvfree(buf);
		if (size >= LRU_TEXT_MAX)
			return -EFBIG;
		size *= 2;
	}
	lf->text = buf;
	lf->len = seq_buf_used(&s);
	return 0;
}

static int lru_run(struct lru_file *lf)
{
	struct pcinspect_lru_walk w = {};
	int ret;

	INIT_LIST_HEAD(&w.vecs);
	if (lf->files) {
		w.files = kzalloc(sizeof(*w.files), GFP_KERNEL);
		if (!w.files)
			return -ENOMEM;
		ret = pcinspect_lru_files_init(w.files);
		if (ret)
			goto out;
	}
	ret = pcinspect_lru_walk(&w);
	if (!ret && w.files)
		ret = pcinspect_lru_files_sort(w.files);
	if (!ret)
		ret = lru_format(lf, &w);
out:
	pcinspect_lru_walk_free(&w);
	return ret;
}

static ssize_t lru_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	struct lru_file *lf = file->private_data;
	ssize_t ret;

	if (mutex_lock_killable(&lf->lock))
		return -EINTR;
	if (!lf->done) {
		ret = lru_run(lf);
		if (ret)
			goto out;
		lf->done = true;
	}
	ret = simple_read_from_buffer(ubuf, count, ppos, lf->text, lf->len);
out:
	mutex_unlock(&lf->lock);
	return ret;
}

static int lru_open_common(struct file *file, bool files)
{
	struct lru_file *lf = kzalloc(sizeof(*lf), GFP_KERNEL);

	if (!lf)
		return -ENOMEM;
	mutex_init(&lf->lock);
	lf->files = files;
	file->private_data = lf;
	return 0;
}

static int lru_open(struct inode *inode, struct file *file)
{
	return lru_open_common(file, false);
}

static int lru_files_open(struct inode *inode, struct file *file)
{
	return lru_open_common(file, true);
}

static int lru_release(struct inode *inode, struct file *file)
{
	struct lru_file *lf = file->private_data;

	kvfree(lf->text);
	mutex_destroy(&lf->lock);
	kfree(lf);
	return 0;
}

static const struct file_operations lru_fops = {
	.owner = THIS_MODULE,
	.open = lru_open,
	.read = lru_read,
	.llseek = default_llseek,
	.release = lru_release,
};

static const struct file_operations lru_files_fops = {
	.owner = THIS_MODULE,
	.open = lru_files_open,
	.read = lru_read,
	.llseek = default_llseek,
	.release = lru_release,
};

int pcinspect_lru_init(struct dentry *root)
{
	debugfs_create_file("lru", 0400, root, NULL, &lru_fops);
	debugfs_create_file("lru-files", 0400, root, NULL, &lru_files_fops);
	return 0;
}
