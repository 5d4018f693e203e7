// SPDX-License-Identifier: GPL-2.0
/*
 * files, files-query: every inode that has pages in the page cache, on
 * every superblock of every filesystem type, one line each
 * (Documentation/ABI.md, "files").
 *
 * files_supers.c finds the superblocks and, on each, the cached inodes,
 * under the rules that keep the walk from disturbing umount, remount and
 * freeze; this file records each inode it is handed.
 *
 * Each snapshot (snapshot_file.c: at the first read of an open file, and
 * at later reads from offset 0) is an array of fixed-size records plus
 * one string per path, streamed record by record: a reader that stops
 * early or reads byte by byte sees one consistent listing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>

#include "pcinspect.h"
#include "compat.h"
#include "files.h"
#include "files_supers.h"
#include "options.h"
#include "snapshot_file.h"
#include "walk.h"

#define FILES_FS_NAME		32
#define FILES_OPTS_MAX		256
#define FILES_ESCAPE		" \t\n\\"
#define FILES_FIRST_CAP		1024

static char *files_options;
static const struct kernel_param_ops files_options_ops;
module_param_cb(files_options, &files_options_ops, &files_options, 0600);
MODULE_PARM_DESC(files_options,
		 "Options of the read-only files listing: [fs=NAME] [dev=MAJ:MIN] [min=PAGES] [top=N]");

static unsigned int files_max_inodes = 1U << 20;
module_param(files_max_inodes, uint, 0600);
MODULE_PARM_DESC(files_max_inodes,
		 "Most inodes one listing holds (64 bytes each plus the path)");

enum files_name {
	FILES_NAME_NONE,	/* no dentry: dev and ino only */
	FILES_NAME_PATH,	/* path inside the filesystem */
	FILES_NAME_DELETED,	/* unlinked, still open: its last path */
	FILES_NAME_DISCONNECTED, /* a dentry of its own: memfd, shm, NFS export */
};

static const char * const files_name_str[] = {
	[FILES_NAME_NONE] = "none",
	[FILES_NAME_PATH] = "path",
	[FILES_NAME_DELETED] = "deleted",
	[FILES_NAME_DISCONNECTED] = "disconnected",
};

/*
 * The inode's file type: a reader that lists a tree's regular files from
 * the listing (pcinspect file -R) needs no stat(2) to leave out the
 * symlinks and directories that keep data in their own page cache
 * (long tmpfs symlinks, btrfs symlinks, ext2 directories).
 */
enum files_type {
	FILES_TYPE_REG,
	FILES_TYPE_DIR,
	FILES_TYPE_LNK,
	FILES_TYPE_BLK,
	FILES_TYPE_OTHER,	/* character devices, FIFOs, sockets */
};

static const char * const files_type_str[] = {
	[FILES_TYPE_REG] = "reg",
	[FILES_TYPE_DIR] = "dir",
	[FILES_TYPE_LNK] = "lnk",
	[FILES_TYPE_BLK] = "blk",
	[FILES_TYPE_OTHER] = "other",
};

static u8 files_type_of(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return FILES_TYPE_REG;
	case S_IFDIR:
		return FILES_TYPE_DIR;
	case S_IFLNK:
		return FILES_TYPE_LNK;
	case S_IFBLK:
		return FILES_TYPE_BLK;
	}
	return FILES_TYPE_OTHER;
}

struct files_opts {
	char fs[FILES_FS_NAME];	/* one filesystem type, or "" for all */
	bool dev_set;
	dev_t dev;		/* one filesystem, or one block device */
	unsigned long min;	/* fewest cached pages listed */
	unsigned int top;	/* list the N most cached only; 0: all */
};

/* One listed inode: 64 bytes on 64-bit, plus the path string. */
struct files_rec {
	u64 ino;
	u64 id;			/* pcinspect_inode_id() */
	unsigned long cached;
	unsigned long dirty;
	unsigned long writeback;
	loff_t size;		/* i_size: a reader needs no stat(2) */
	char *path;		/* unescaped; NULL for FILES_NAME_NONE */
	u32 dev;		/* the filesystem's, or the block device's own */
	u16 sb;			/* index into files_snap.sbs */
	u8 name;		/* enum files_name */
	u8 type;		/* enum files_type */
};

/* Totals of one superblock, over every cached inode the walk met. */
struct files_sb {
	char fs[FILES_FS_NAME];
	u32 dev;
	bool complete;		/* its walk was not cut short */
	unsigned long inodes;
	unsigned long cached;
	unsigned long dirty;
	unsigned long writeback;
};

struct files_snap {
	struct files_rec *recs;	/* walk order, or a min-heap for top=N */
	unsigned int nr, cap;
	struct files_sb *sbs;
	unsigned int nr_sbs, cap_sbs;
	struct pcinspect_supers_stats supers;	/* of the enumeration */
	unsigned int sb_unlisted;	/* superblocks past the 16-bit index */
	unsigned long skipped;	/* cached, but emptied before recorded */
	unsigned long filtered;	/* cached, left out by min= or top= */
	unsigned long unlisted;	/* cached, left out by files_max_inodes */
	unsigned long dax;	/* DAX inodes: their entries are no page cache */
	u64 walk_ns;
	size_t bytes;		/* memory the snapshot holds */
};

struct files_walk {
	struct files_snap *snap;
	const struct files_opts *o;
	unsigned int limit;	/* most records held */
	char *buf;		/* PATH_MAX bytes for dentry_path_raw() */
	const char *fs;		/* name of the type being walked */
	bool bdev;		/* the block devices' pseudo filesystem */
	unsigned int sbi;	/* index of the superblock being walked */
};

/* Options ----------------------------------------------------------------- */

enum { FOPT_FS, FOPT_DEV, FOPT_MIN, FOPT_TOP, FOPT_NR };

static const struct pcinspect_opt files_opt_table[FOPT_NR] = {
	[FOPT_FS] = { "fs", PCINSPECT_OPT_STR, FILES_FS_NAME - 1 },
	[FOPT_DEV] = { "dev", PCINSPECT_OPT_DEV },
	[FOPT_MIN] = { "min", PCINSPECT_OPT_NUM, ULONG_MAX },
	[FOPT_TOP] = { "top", PCINSPECT_OPT_NUM, UINT_MAX },
};

/* "[fs=NAME] [dev=MAJ:MIN] [min=PAGES] [top=N]", options.c's grammar. */
static int files_parse(struct files_opts *o, char *buf)
{
	struct pcinspect_opt_val v[FOPT_NR];
	int ret;

	memset(o, 0, sizeof(*o));
	ret = pcinspect_opts_parse(buf, files_opt_table, FOPT_NR, v, NULL);
	if (ret)
		return ret;
	if (v[FOPT_FS].set)
		strscpy(o->fs, v[FOPT_FS].str, sizeof(o->fs));
	o->dev_set = v[FOPT_DEV].set;
	o->dev = v[FOPT_DEV].dev;
	/* min=0 lists what min=1 does: inodes without pages are never listed. */
	o->min = max_t(u64, v[FOPT_MIN].num, 1);
	o->top = v[FOPT_TOP].num;
	return 0;
}

/* Parse a copy of @text: files_parse() cuts its buffer into tokens. */
static int files_parse_copy(struct files_opts *o, const char *text)
{
	char *buf = kstrdup(text, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = files_parse(o, buf);
	kfree(buf);
	return ret;
}

/*
 * Writes to files_options are parsed at once: a malformed value is refused
 * with EINVAL (an over-long one with E2BIG) and the parameter keeps its
 * value, instead of failing every later open of "files".
 */
static int files_options_set(const char *val, const struct kernel_param *kp)
{
	struct files_opts o;
	int ret;

	if (strlen(val) > FILES_OPTS_MAX)
		return -E2BIG;
	ret = files_parse_copy(&o, val);
	return ret ? ret : param_set_charp(val, kp);
}

static const struct kernel_param_ops files_options_ops = {
	.set = files_options_set,
	.get = param_get_charp,
	.free = param_free_charp,
};

/* The options of the read-only file, from the files_options parameter. */
static int files_parse_param(struct files_opts *o)
{
	int ret;

	/* The lock keeps a concurrent write from freeing the string. */
	kernel_param_lock(THIS_MODULE);
	ret = files_parse_copy(o, files_options ? files_options : "");
	kernel_param_unlock(THIS_MODULE);
	return ret;
}

/* Snapshot storage ---------------------------------------------------------- */

static void files_snap_free(struct files_snap *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->nr; i++)
		kfree(s->recs[i].path);
	kvfree(s->recs);
	kfree(s->sbs);
	kfree(s);
}

/* Room for one more record: double the array, up to @limit records. */
static int files_grow(struct files_snap *s, unsigned int limit)
{
	unsigned int cap = min_t(u64, max_t(u64, FILES_FIRST_CAP, 2ULL * s->cap),
				 limit);
	struct files_rec *recs;

	recs = pcinspect_big_alloc((size_t)cap * sizeof(*recs), false);
	if (!recs)
		return -ENOMEM;
	if (s->nr)
		memcpy(recs, s->recs, s->nr * sizeof(*recs));
	kvfree(s->recs);
	s->recs = recs;
	s->bytes += (size_t)(cap - s->cap) * sizeof(*recs);
	s->cap = cap;
	return 0;
}

static int files_add_sb(struct files_walk *w, struct super_block *sb)
{
	struct files_snap *s = w->snap;
	struct files_sb *sbs, *fsb;
	unsigned int cap;

	if (s->nr_sbs == s->cap_sbs) {
		cap = max(16U, 2 * s->cap_sbs);
		sbs = krealloc_array(s->sbs, cap, sizeof(*sbs), GFP_KERNEL);
		if (!sbs)
			return -ENOMEM;
		s->bytes += (cap - s->cap_sbs) * sizeof(*sbs);
		s->sbs = sbs;
		s->cap_sbs = cap;
	}
	fsb = &s->sbs[s->nr_sbs++];
	memset(fsb, 0, sizeof(*fsb));
	strscpy(fsb->fs, w->fs, sizeof(fsb->fs));
	fsb->dev = sb->s_dev;
	return 0;
}

/* top=N keeps a min-heap on cached pages: recs[0] is the least cached. */
static void files_heap_down(struct files_snap *s, unsigned int i)
{
	for (;;) {
		unsigned int l = 2 * i + 1, r = l + 1, least = i;

		if (l < s->nr && s->recs[l].cached < s->recs[least].cached)
			least = l;
		if (r < s->nr && s->recs[r].cached < s->recs[least].cached)
			least = r;
		if (least == i)
			return;
		swap(s->recs[i], s->recs[least]);
		i = least;
	}
}

static void files_heap_up(struct files_snap *s, unsigned int i)
{
	while (i) {
		unsigned int parent = (i - 1) / 2;

		if (s->recs[parent].cached <= s->recs[i].cached)
			return;
		swap(s->recs[i], s->recs[parent]);
		i = parent;
	}
}

/* Most cached first; ties in walk order of superblock, then inode. */
static int files_cmp_top(const void *a, const void *b)
{
	const struct files_rec *x = a, *y = b;

	if (x->cached != y->cached)
		return x->cached > y->cached ? -1 : 1;
	if (x->sb != y->sb)
		return x->sb < y->sb ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

/* The walk ----------------------------------------------------------------- */

/* Pages of the folio at @xas; 0 when it left the page cache meanwhile. */
static unsigned long files_entry_pages(struct xa_state *xas, void *entry)
{
	int order = pcinspect_folio_entry_order(xas, entry);

	return order < 0 ? 0 : 1UL << order;
}

/*
 * Pages of the folios that carry @mark, as the per-file report counts
 * them: only marked entries are visited, so the cost follows the dirty
 * or writeback pages, not the cached ones. RCU is dropped every
 * PCINSPECT_RESCHED_BATCH entries.
 */
static int files_count_marked(struct address_space *mapping, xa_mark_t mark,
			      unsigned long *pages)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	unsigned int batch = 0;
	pgoff_t next = 0;
	void *entry;

	if (!mapping_tagged(mapping, mark))
		return 0;
	rcu_read_lock();
	xas_for_each_marked(&xas, entry, ULONG_MAX, mark) {
		unsigned long nr;
		pgoff_t start;

		if (xas_retry(&xas, entry) || xa_is_internal(entry) ||
		    xa_is_value(entry))
			continue;
		nr = files_entry_pages(&xas, entry);
		if (!nr) {
			xas_reset(&xas);
			continue;
		}
		/* Count each page once, however the entry was reached. */
		start = round_down(xas.xa_index, nr);
		if (start + nr > next) {
			*pages += start + nr - max(start, next);
			next = start + nr;
		}
		if (!pcinspect_xas_resched(&xas, &batch))
			return -EINTR;
	}
	rcu_read_unlock();
	return 0;
}

/* The path of @inode inside its filesystem, into @rec; may sleep. */
static int files_path(struct files_walk *w, struct inode *inode,
		      struct files_rec *rec)
{
	struct dentry *dentry;
	const char *p;

	rec->name = FILES_NAME_NONE;
	rec->path = NULL;
	if (w->bdev)
		return 0;	/* bdev inodes never have dentries */
	/* A hashed alias if there is one, else an unlinked one. */
	dentry = d_find_alias(inode);
	if (!dentry)
		dentry = d_find_any_alias(inode);
	if (!dentry)
		return 0;
	if (IS_ROOT(dentry) && dentry != inode->i_sb->s_root) {
		/* Never in a directory: its own name is all there is. */
		w->buf[0] = '/';
		spin_lock(&dentry->d_lock);
		strscpy(w->buf + 1, dentry->d_name.name, PATH_MAX - 1);
		spin_unlock(&dentry->d_lock);
		p = w->buf;
		rec->name = FILES_NAME_DISCONNECTED;
	} else {
		p = dentry_path_raw(dentry, w->buf, PATH_MAX);
		rec->name = d_unlinked(dentry) ? FILES_NAME_DELETED :
			    FILES_NAME_PATH;
	}
	dput(dentry);
	if (IS_ERR(p)) {
		rec->name = FILES_NAME_NONE;	/* longer than PATH_MAX */
		return 0;
	}
	rec->path = kstrdup(p, GFP_KERNEL);
	if (!rec->path)
		return -ENOMEM;
	w->snap->bytes += strlen(p) + 1;
	return 0;
}

/* Record one referenced inode; sleeps, and fails only on ENOMEM/EINTR. */
static int files_record(struct files_walk *w, unsigned int sbi,
			struct inode *inode)
{
	struct files_snap *s = w->snap;
	struct address_space *mapping = &inode->i_data;
	struct files_sb *fsb = &s->sbs[sbi];
	bool top = w->o->top;
	struct files_rec rec = {
		.ino = inode->i_ino,
		.id = pcinspect_inode_id(inode),
		.cached = READ_ONCE(mapping->nrpages),
		.size = i_size_read(inode),
		.dev = pcinspect_inode_dev(inode->i_sb, inode),
		.type = files_type_of(inode->i_mode),
		.sb = sbi,
	};
	int ret;

	if (w->bdev && w->o->dev_set && inode->i_rdev != w->o->dev)
		return 0;
	/*
	 * A DAX file's xarray holds DAX entries, which nrpages counts, but
	 * no page cache: its data is read and written in place on the
	 * device (query refuses such files with EOPNOTSUPP, meminfo's
	 * Cached leaves them out). Counted in the walk line only.
	 */
	if (IS_DAX(inode)) {
		s->dax++;
		return 0;
	}
	if (!rec.cached) {
		s->skipped++;	/* emptied since it was seen cached */
		return 0;
	}
	ret = files_count_marked(mapping, PAGECACHE_TAG_DIRTY, &rec.dirty);
	if (!ret)
		ret = files_count_marked(mapping, PAGECACHE_TAG_WRITEBACK,
					 &rec.writeback);
	if (ret)
		return ret;
	fsb->inodes++;
	fsb->cached += rec.cached;
	fsb->dirty += rec.dirty;
	fsb->writeback += rec.writeback;

	if (!w->limit) {
		s->unlisted++;
		return 0;
	}
	if (rec.cached < w->o->min ||
	    (top && s->nr == w->limit && rec.cached <= s->recs[0].cached)) {
		s->filtered++;
		return 0;
	}
	if (!top && s->nr == w->limit) {
		s->unlisted++;
		return 0;
	}
	if (s->nr == s->cap && s->nr < w->limit) {
		ret = files_grow(s, w->limit);
		if (ret)
			return ret;
	}
	ret = files_path(w, inode, &rec);
	if (ret)
		return ret;
	if (top && s->nr == w->limit) {
		/* Replace the least cached of the N kept so far. */
		if (s->recs[0].path)
			s->bytes -= strlen(s->recs[0].path) + 1;
		kfree(s->recs[0].path);
		s->recs[0] = rec;
		s->filtered++;
		files_heap_down(s, 0);
	} else {
		s->recs[s->nr++] = rec;
		if (top)
			files_heap_up(s, s->nr - 1);
	}
	return 0;
}

/* The enumeration's callbacks (files_supers.c) ---------------------------- */

static int files_sb_begin(void *arg, struct super_block *sb, const char *fs,
			  bool bdev)
{
	struct files_walk *w = arg;
	int ret;

	if (w->o->dev_set && !bdev && sb->s_dev != w->o->dev)
		return 1;
	if (w->snap->nr_sbs > U16_MAX) {
		w->snap->sb_unlisted++;	/* the records' sb index is 16 bits */
		return 1;
	}
	w->fs = fs;
	w->bdev = bdev;
	ret = files_add_sb(w, sb);
	if (ret)
		return ret;
	w->sbi = w->snap->nr_sbs - 1;
	return 0;
}

static int files_sb_inode(void *arg, struct inode *inode)
{
	struct files_walk *w = arg;

	return files_record(w, w->sbi, inode);
}

static void files_sb_end(void *arg, bool complete)
{
	struct files_walk *w = arg;

	w->snap->sbs[w->sbi].complete = complete;
}

static const struct pcinspect_supers_ops files_supers_ops = {
	.sb_begin = files_sb_begin,
	.inode = files_sb_inode,
	.sb_end = files_sb_end,
};

static struct files_snap *files_snapshot(const struct files_opts *o)
{
	struct files_walk w = { .o = o };
	u64 start = ktime_get_ns();
	int ret;

	w.limit = READ_ONCE(files_max_inodes);
	if (o->top)
		w.limit = min(w.limit, o->top);
	w.snap = kzalloc(sizeof(*w.snap), GFP_KERNEL);
	w.buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (w.snap && w.buf) {
		w.snap->bytes = sizeof(*w.snap);
		ret = pcinspect_supers_walk(o->fs, &files_supers_ops, &w,
					    &w.snap->supers);
	} else {
		ret = -ENOMEM;
	}
	kfree(w.buf);
	if (ret) {
		files_snap_free(w.snap);
		return ERR_PTR(ret);
	}
	if (o->top)
		sort(w.snap->recs, w.snap->nr, sizeof(*w.snap->recs),
		     files_cmp_top, NULL);
	w.snap->walk_ns = ktime_get_ns() - start;
	return w.snap;
}

/* Records: inodes, per-superblock totals, the walk line ------------------ */

static loff_t files_records(const void *snap)
{
	const struct files_snap *s = snap;

	return (loff_t)s->nr + s->nr_sbs + 1;
}

static void files_show_header(struct seq_file *m, const void *snap)
{
	seq_printf(m, "# pcinspect files format %d: fs dev ino id cached dirty writeback size type name path\n",
		   PCINSPECT_FORMAT);
}

/*
 * One inode line. This runs once per listed inode, so it avoids
 * seq_printf() and escapes only the paths that need it.
 */
static void files_show_rec(struct seq_file *m, const struct files_snap *s,
			   const struct files_rec *r)
{
	seq_puts(m, s->sbs[r->sb].fs);
	seq_put_decimal_ull(m, " ", MAJOR(r->dev));
	seq_put_decimal_ull(m, ":", MINOR(r->dev));
	seq_put_decimal_ull(m, " ", r->ino);
	pcinspect_seq_put_id(m, r->id);
	seq_put_decimal_ull(m, " ", r->cached);
	seq_put_decimal_ull(m, " ", r->dirty);
	seq_put_decimal_ull(m, " ", r->writeback);
	seq_put_decimal_ull(m, " ", r->size);
	seq_putc(m, ' ');
	seq_puts(m, files_type_str[r->type]);
	seq_putc(m, ' ');
	seq_puts(m, files_name_str[r->name]);
	seq_putc(m, ' ');
	if (!r->path)
		seq_putc(m, '-');
	else if (strpbrk(r->path, FILES_ESCAPE))
		seq_escape(m, r->path, FILES_ESCAPE);
	else
		seq_puts(m, r->path);
	seq_putc(m, '\n');
}

static void files_show(struct seq_file *m, const void *snap, loff_t i)
{
	const struct files_snap *s = snap;
	const struct pcinspect_supers_stats *st = &s->supers;
	const struct files_sb *t;

	if (i < s->nr) {
		files_show_rec(m, s, &s->recs[i]);
	} else if (i < s->nr + s->nr_sbs) {
		t = &s->sbs[i - s->nr];
		seq_printf(m, "# total fs=%s dev=%u:%u inodes=%lu cached=%lu dirty=%lu writeback=%lu complete=%d\n",
			   t->fs, MAJOR(t->dev), MINOR(t->dev), t->inodes,
			   t->cached, t->dirty, t->writeback, t->complete);
	} else {
		seq_printf(m, "# walk types=%u superblocks=%u visited=%lu listed=%u skipped=%lu filtered=%lu unlisted=%lu dax=%lu walk_ns=%llu bytes=%zu",
			   st->types, s->nr_sbs, st->visited, s->nr,
			   s->skipped + st->skipped, s->filtered, s->unlisted,
			   s->dax, s->walk_ns, s->bytes);
		seq_printf(m, " frozen=%u yielded=%u hugetlbfs=%u unreached=%u sb_unlisted=%u\n",
			   st->frozen, st->yielded, st->hugetlbfs,
			   st->unreached, s->sb_unlisted);
	}
}

/* The two files: options from the parameter, or written ----------------- */

static void *files_take(struct pcinspect_snap_file *sf)
{
	struct files_opts o;

	mutex_lock(&sf->lock);
	o = *(struct files_opts *)sf->priv;
	mutex_unlock(&sf->lock);
	return files_snapshot(&o);
}

static void files_free(void *snap)
{
	files_snap_free(snap);
}

/* files: the options the files_options parameter has at open. */
static int files_open(struct pcinspect_snap_file *sf)
{
	struct files_opts *o = kzalloc(sizeof(*o), GFP_KERNEL);
	int ret;

	if (!o)
		return -ENOMEM;
	ret = files_parse_param(o);
	if (ret) {
		kfree(o);
		return ret;
	}
	sf->priv = o;
	return 0;
}

/* files-query: everything until options are written. */
static int files_query_open(struct pcinspect_snap_file *sf)
{
	struct files_opts *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	o->min = 1;
	sf->priv = o;
	return 0;
}

static void files_release(struct pcinspect_snap_file *sf)
{
	kfree(sf->priv);
}

static int files_query_write(struct pcinspect_snap_file *sf, char *text)
{
	struct files_opts o;
	int ret;

	ret = files_parse(&o, text);
	if (!ret)
		*(struct files_opts *)sf->priv = o;
	return ret;
}

static const struct pcinspect_snap_kind files_kind = {
	.open = files_open,
	.release = files_release,
	.take = files_take,
	.free = files_free,
	.records = files_records,
	.show_header = files_show_header,
	.show = files_show,
};

static const struct pcinspect_snap_kind files_query_kind = {
	.open = files_query_open,
	.release = files_release,
	.write = files_query_write,
	.write_max = FILES_OPTS_MAX,
	.take = files_take,
	.free = files_free,
	.records = files_records,
	.show_header = files_show_header,
	.show = files_show,
};

int pcinspect_files_init(struct dentry *root)
{
	pcinspect_snap_create("files", 0400, root, &files_kind);
	pcinspect_snap_create("files-query", 0600, root, &files_query_kind);
	return 0;
}

void pcinspect_files_exit(void)
{
}
