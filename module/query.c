// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing a file and reading its report. Three routes, one format:
 *
 *   select + report   a person: "echo PATH > select; cat report". The
 *                     selection is global (last writer wins) and is
 *                     resolved again at each open of report.
 *   query             a tool: write "[OPTIONS] PATH" and read the report
 *                     on the same open file; nobody else sees it.
 *   stdin, stdin-map  kernel lockdown refuses debugfs files that can be
 *                     written, so these read-only files report on the file
 *                     the reader has open as standard input:
 *                     "cat stdin < PATH".
 *
 * The report is a seq_file: record 0 is the header and summary, computed
 * by one walk when it is first shown; records 1.. are page-map runs,
 * produced in bounded batches by resumable walks, so memory stays O(1) in
 * the size of the file however long the map is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pcinspect.h"
#include "compat.h"
#include "options.h"
#include "report.h"
#include "snapshot_file.h"
#include "walk.h"

/* Longest accepted query: options plus a path of PATH_MAX - 1 bytes. */
#define QUERY_MAX		(PATH_MAX + 64)
#define LAST_INDEX		((pgoff_t)(MAX_LFS_FILESIZE >> PAGE_SHIFT))

/*
 * What a query names, pinned for as long as the query holds it: the path as
 * given (or the reader's stdin), and the inode whose page cache holds the
 * file's data. The two differ for stacked filesystems (overlayfs, every
 * container's root: its own inodes have empty mappings, the pages are in
 * the upper or lower layer's inode) and for block device nodes (the cache
 * is the bdev inode's).
 */
struct pcinspect_target {
	struct path path;
	struct inode *host;	/* holds the page cache; referenced */
	struct address_space *mapping;
	dev_t dev;		/* of the path, as stat(2) gives them */
	u64 ino;
	const char *fs;		/* the path's filesystem type */
	bool map;		/* add the page map after the summary */
	bool fast;		/* xarray counts only: do not pin folios */
	pgoff_t first, last;
};

struct pcinspect_query {
	struct mutex lock;	/* serialises writes with reads of one file */
	struct pcinspect_target t;
	bool summary_valid;
	struct pcinspect_summary sum;
	/*
	 * page map: batch->runs[0..n) are records map_first.. of the map;
	 * the batch (4 KiB) is allocated by the first map query only.
	 */
	loff_t map_first;
	bool map_done;
	pgoff_t map_resume;
	struct pcinspect_map_batch *batch;
};

static void target_release(struct pcinspect_target *t)
{
	if (t->host)
		iput(t->host);
	if (t->path.dentry)
		path_put(&t->path);
	memset(t, 0, sizeof(*t));
}

/*
 * Only regular files and block devices have a page cache to report. DAX
 * files bypass it; hugetlbfs keeps huge pages there, indexed in huge pages
 * on some kernels and in base pages on others: not page cache as the
 * counts of this report mean it.
 */
static int check_inode_type(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode))
		return -EINVAL;
	if (IS_DAX(inode) || inode->i_sb->s_magic == HUGETLBFS_MAGIC)
		return -EOPNOTSUPP;
	return 0;
}

/*
 * dev and ino of the path as stat(2) reports them: on btrfs, a subvolume's
 * own anonymous device, not the superblock's; on overlayfs, the overlay's
 * numbers. AT_STATX_DONT_SYNC: an NFS or FUSE file is not revalidated with
 * its server. A block device is named by the device it is (its st_rdev),
 * its bdev inode and "bdev", as the files listing names it.
 */
static void target_stat(struct pcinspect_target *t)
{
	struct kstat st;

	if (S_ISBLK(t->host->i_mode)) {
		t->dev = t->host->i_rdev;
		t->ino = t->host->i_ino;
		t->fs = t->host->i_sb->s_type->name;
		return;
	}
	t->fs = t->path.dentry->d_sb->s_type->name;
	if (!vfs_getattr_nosec(&t->path, &st, STATX_INO, AT_STATX_DONT_SYNC)) {
		t->dev = st.dev;
		t->ino = st.ino;
		return;
	}
	t->dev = d_inode(t->path.dentry)->i_sb->s_dev;
	t->ino = d_inode(t->path.dentry)->i_ino;
}

/*
 * Find and reference the inode holding the page cache of t->path. The
 * pinned path keeps an overlay's layer inodes alive, and the reference
 * taken here keeps the one reported alive even if a copy-up replaces it in
 * the overlay meanwhile. Nothing is opened: a block device is reached
 * through its bdev inode, never through the driver.
 */
static int target_pin_host(struct pcinspect_target *t)
{
	/* The layer's inode on overlayfs; the inode itself elsewhere. */
	struct inode *inode = d_real_inode(t->path.dentry);
	int ret = check_inode_type(inode);

	if (ret)
		return ret;
	if (S_ISBLK(inode->i_mode)) {
		t->host = pcinspect_bdev_inode(inode->i_rdev);
		if (!t->host)
			return -ENXIO;	/* as an open would say */
	} else {
		ihold(inode);
		t->host = inode;
	}
	t->mapping = t->host->i_mapping;
	target_stat(t);
	return 0;
}

static int target_resolve(struct pcinspect_target *t, const char *name)
{
	int ret;

	ret = kern_path(name, LOOKUP_FOLLOW, &t->path);
	if (ret) {
		t->path.dentry = NULL;
		return ret;
	}
	ret = target_pin_host(t);
	if (ret)
		target_release(t);
	return ret;
}

/*
 * The reader's standard input. Only its path is kept, not the open file:
 * holding that would keep a block device open after the reader let go.
 */
static int target_from_stdin(struct pcinspect_target *t)
{
	struct file *file = fget(0);
	int ret;

	if (!file)
		return -EBADF;
	t->path = file->f_path;
	path_get(&t->path);
	fput(file);
	t->first = 0;
	t->last = LAST_INDEX;
	ret = target_pin_host(t);
	if (ret)
		target_release(t);
	return ret;
}

enum { QOPT_MAP, QOPT_FAST, QOPT_OFFSET, QOPT_LENGTH, QOPT_NR };

static const struct pcinspect_opt query_opts[QOPT_NR] = {
	[QOPT_MAP] = { "map", PCINSPECT_OPT_FLAG },
	[QOPT_FAST] = { "fast", PCINSPECT_OPT_FLAG },
	[QOPT_OFFSET] = { "offset", PCINSPECT_OPT_NUM, U64_MAX },
	[QOPT_LENGTH] = { "length", PCINSPECT_OPT_NUM, U64_MAX },
};

/*
 * Parse "[map] [fast] [offset=BYTES] [length=BYTES] /PATH" (options.c's
 * grammar; one trailing newline allowed) and resolve PATH. Options come
 * first because a path may contain blanks; it must be absolute so that it
 * cannot be mistaken for an option. On error @t is left empty.
 */
static int target_parse(struct pcinspect_target *t, char *buf)
{
	struct pcinspect_opt_val v[QOPT_NR];
	size_t len = strlen(buf);
	u64 offset, length, end;
	char *path;
	int ret;

	memset(t, 0, sizeof(*t));
	if (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	ret = pcinspect_opts_parse(buf, query_opts, QOPT_NR, v, &path);
	if (ret)
		return ret;
	if (!path)
		return -EINVAL;		/* no path, or options only */
	t->map = v[QOPT_MAP].set;
	t->fast = v[QOPT_FAST].set;
	offset = v[QOPT_OFFSET].num;
	length = v[QOPT_LENGTH].num;
	if (t->map && t->fast)
		return -EINVAL;		/* the map needs folio flags */
	if (offset > MAX_LFS_FILESIZE)
		return -EINVAL;
	t->first = offset >> PAGE_SHIFT;
	t->last = LAST_INDEX;
	if (length) {
		if (check_add_overflow(offset, length - 1, &end))
			return -EINVAL;
		t->last = min_t(u64, end >> PAGE_SHIFT, LAST_INDEX);
	}
	return target_resolve(t, path);
}

/* Copy a written query in: not empty, not oversize, no embedded NUL. */
static char *query_from_user(const char __user *ubuf, size_t count)
{
	if (!count)
		return ERR_PTR(-EINVAL);
	return pcinspect_opts_from_user(ubuf, count, QUERY_MAX, -ENAMETOOLONG);
}

static void query_reset_results(struct pcinspect_query *q)
{
	q->summary_valid = false;
	q->map_first = 0;
	if (q->batch) {
		q->batch->n = 0;
		q->batch->open_valid = false;
	}
	q->map_done = false;
	q->map_resume = q->t.first;
}

/* Report generation ------------------------------------------------------ */

static int query_summarize(struct pcinspect_query *q)
{
	struct pcinspect_walk w = {
		.mapping = q->t.mapping,
		.next = q->t.first,
		.last = q->t.last,
		.hole_last = ULONG_MAX,
		.detail = !q->t.fast,
		.shmem = pcinspect_mapping_is_shmem(q->t.mapping),
	};
	u64 start = ktime_get_ns();
	int ret = 0;

	pcinspect_summary_reset(&q->sum, !q->t.fast);
	if (q->t.first <= q->t.last)
		ret = pcinspect_walk_summary(&w, &q->sum);
	q->sum.walk_ns = ktime_get_ns() - start;
	q->sum.entries = w.entries;
	return ret < 0 ? ret : 0;
}

/* Compute the next batch of runs, starting where the last one stopped. */
static int map_fill(struct pcinspect_query *q)
{
	loff_t size = i_size_read(q->t.mapping->host);
	struct pcinspect_walk w = {
		.mapping = q->t.mapping,
		.next = q->map_resume,
		.last = q->t.last,
		/* Show the hole up to end of file, not to the range's end. */
		.hole_last = size ? (size - 1) >> PAGE_SHIFT : ULONG_MAX,
		.detail = true,
		.shmem = pcinspect_mapping_is_shmem(q->t.mapping),
	};
	int ret = 0;

	if (!q->batch) {
		q->batch = kzalloc(sizeof(*q->batch), GFP_KERNEL);
		if (!q->batch)
			return -ENOMEM;
	}
	q->map_first += q->batch->n;
	q->batch->n = 0;
	if (q->map_resume <= q->t.last && q->t.first <= q->t.last)
		ret = pcinspect_walk_map(&w, q->batch);
	if (ret < 0)
		return ret;
	q->map_resume = w.next;
	if (ret == 0)
		q->map_done = true;
	return 0;
}

static void *map_get(struct pcinspect_query *q, loff_t idx)
{
	int ret;

	if (idx < q->map_first)		/* a seek backwards: start over */
		query_reset_results(q);
	while (!q->batch || idx >= q->map_first + q->batch->n) {
		if (q->map_done)
			return NULL;
		ret = map_fill(q);
		if (ret)
			return ERR_PTR(ret);
	}
	return &q->batch->runs[idx - q->map_first];
}

static void *query_record(struct pcinspect_query *q, loff_t pos)
{
	int ret;

	if (pos == 0) {
		if (!q->summary_valid) {
			ret = query_summarize(q);
			if (ret)
				return ERR_PTR(ret);
			q->summary_valid = true;
		}
		return SEQ_START_TOKEN;
	}
	if (!q->t.map)
		return NULL;
	return map_get(q, pos - 1);
}

static void *query_seq_start(struct seq_file *m, loff_t *pos)
{
	struct pcinspect_query *q = m->private;

	mutex_lock(&q->lock);
	if (!q->t.mapping)
		return ERR_PTR(-ENODATA);
	return query_record(q, *pos);
}

static void *query_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pcinspect_query *q = m->private;

	/* Past the summary: reading from 0 again means a fresh report. */
	if (v == SEQ_START_TOKEN)
		q->summary_valid = false;
	++*pos;
	return query_record(q, *pos);
}

static void query_seq_stop(struct seq_file *m, void *v)
{
	struct pcinspect_query *q = m->private;

	mutex_unlock(&q->lock);
}

/* "KEY: MAJ:MIN" */
static void put_dev(struct seq_file *m, const char *key, dev_t dev)
{
	seq_puts(m, key);
	seq_put_decimal_ull(m, ": ", MAJOR(dev));
	seq_put_decimal_ull(m, ":", MINOR(dev));
	seq_putc(m, '\n');
}

/* "KEY: STRING" */
static void put_str(struct seq_file *m, const char *key, const char *s)
{
	seq_puts(m, key);
	seq_puts(m, ": ");
	seq_puts(m, s);
	seq_putc(m, '\n');
}

static void show_header(struct seq_file *m, struct pcinspect_query *q)
{
	struct inode *host = q->t.host;
	dev_t dev = pcinspect_inode_dev(host->i_sb, host);

	pcinspect_put_key(m, "format", PCINSPECT_FORMAT);
	seq_puts(m, "path: ");
	seq_path(m, &q->t.path, " \t\n\\");
	seq_putc(m, '\n');
	put_dev(m, "dev", q->t.dev);
	pcinspect_put_key(m, "ino", q->t.ino);
	put_str(m, "fs", q->t.fs);
	put_dev(m, "cache_dev", dev);
	pcinspect_put_key(m, "cache_ino", host->i_ino);
	seq_puts(m, "cache_id:");
	pcinspect_seq_put_id(m, pcinspect_inode_id(host));
	seq_putc(m, '\n');
	put_str(m, "cache_fs", host->i_sb->s_type->name);
	put_str(m, "type", S_ISBLK(host->i_mode) ? "block" : "regular");
	pcinspect_put_key(m, "size", i_size_read(host));
	pcinspect_put_key(m, "deleted", d_unlinked(q->t.path.dentry));
	pcinspect_put_key(m, "page_size", PAGE_SIZE);
	seq_puts(m, "range");
	seq_put_decimal_ull(m, ": ", q->t.first);
	seq_put_decimal_ull(m, " ", q->t.last);
	seq_putc(m, '\n');
	pcinspect_put_key(m, "nrpages", READ_ONCE(q->t.mapping->nrpages));
	/* Fixed per query, whatever the size of the file: see ABI.md. */
	pcinspect_put_key(m, "query_bytes", sizeof(*q) + m->size +
			  2 * nr_node_ids * sizeof(unsigned long) +
			  (q->t.map ? sizeof(*q->batch) : 0));
}

static int query_seq_show(struct seq_file *m, void *v)
{
	struct pcinspect_query *q = m->private;

	if (v == SEQ_START_TOKEN) {
		show_header(m, q);
		pcinspect_summary_show(m, &q->sum);
		if (q->t.map)
			seq_puts(m, "map: first last state lru mapped node order\n");
		return 0;
	}
	pcinspect_run_show(m, v);
	return 0;
}

static const struct seq_operations query_seq_ops = {
	.start = query_seq_start,
	.next = query_seq_next,
	.stop = query_seq_stop,
	.show = query_seq_show,
};

/* File plumbing ----------------------------------------------------------- */

static struct pcinspect_query *query_alloc(struct file *file)
{
	struct pcinspect_query *q;
	int ret;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return ERR_PTR(-ENOMEM);
	ret = pcinspect_summary_init(&q->sum);
	if (!ret)
		ret = seq_open(file, &query_seq_ops);
	if (ret) {
		pcinspect_summary_release(&q->sum);
		kfree(q);
		return ERR_PTR(ret);
	}
	mutex_init(&q->lock);
	((struct seq_file *)file->private_data)->private = q;
	return q;
}

static int query_release(struct inode *inode, struct file *file)
{
	struct pcinspect_query *q = ((struct seq_file *)file->private_data)->private;

	target_release(&q->t);
	pcinspect_summary_release(&q->sum);
	mutex_destroy(&q->lock);
	kfree(q->batch);
	kfree(q);
	return seq_release(inode, file);
}

static int query_open(struct inode *inode, struct file *file)
{
	return PTR_ERR_OR_ZERO(query_alloc(file));
}

/* A write is a whole query: it replaces the selection and rewinds. */
static ssize_t query_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct pcinspect_query *q = ((struct seq_file *)file->private_data)->private;
	struct pcinspect_target t, old;
	char *buf;
	int ret;

	buf = query_from_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = target_parse(&t, buf);
	kfree(buf);
	if (ret)
		return ret;

	mutex_lock(&q->lock);
	old = q->t;
	q->t = t;
	query_reset_results(q);
	mutex_unlock(&q->lock);
	target_release(&old);
	*ppos = 0;
	return count;
}

static const struct file_operations query_fops = {
	.owner = THIS_MODULE,
	.open = query_open,
	.read = seq_read,
	.write = query_write,
	.llseek = seq_lseek,
	.release = query_release,
};

/* The global selection: the text of the last query written to select. */
static DEFINE_MUTEX(select_lock);
static char *select_text;

static ssize_t select_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct pcinspect_target t;
	char *buf, *copy;
	int ret;

	buf = query_from_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy) {
		kfree(buf);
		return -ENOMEM;
	}
	/* Validate now so that a bad selection is refused, not stored. */
	ret = target_parse(&t, copy);
	kfree(copy);
	if (ret) {
		kfree(buf);
		return ret;
	}
	target_release(&t);

	mutex_lock(&select_lock);
	swap(select_text, buf);
	mutex_unlock(&select_lock);
	kfree(buf);
	return count;
}

static const struct file_operations select_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = select_write,
};

static int report_open(struct inode *inode, struct file *file)
{
	struct pcinspect_query *q = query_alloc(file);
	char *text = NULL;
	int ret = 0;

	if (IS_ERR(q))
		return PTR_ERR(q);
	mutex_lock(&select_lock);
	if (select_text)
		text = kstrdup(select_text, GFP_KERNEL);
	else
		ret = -ENODATA;
	mutex_unlock(&select_lock);
	if (!ret && !text)
		ret = -ENOMEM;
	if (!ret) {
		/* Resolved again: the file may have gone since it was chosen. */
		ret = target_parse(&q->t, text);
		query_reset_results(q);
	}
	kfree(text);
	if (ret)
		query_release(inode, file);
	return ret;
}

static const struct file_operations report_fops = {
	.owner = THIS_MODULE,
	.open = report_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = query_release,
};

/* What stdin and stdin-map report: their debugfs private data. */
struct stdin_variant {
	bool map;
};

static const struct stdin_variant stdin_report = { .map = false };
static const struct stdin_variant stdin_report_map = { .map = true };

static int stdin_open(struct inode *inode, struct file *file)
{
	const struct stdin_variant *v = inode->i_private;
	struct pcinspect_query *q = query_alloc(file);
	int ret;

	if (IS_ERR(q))
		return PTR_ERR(q);
	ret = target_from_stdin(&q->t);
	if (ret) {
		query_release(inode, file);
		return ret;
	}
	q->t.map = v->map;
	query_reset_results(q);
	return 0;
}

static const struct file_operations stdin_fops = {
	.owner = THIS_MODULE,
	.open = stdin_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = query_release,
};

int pcinspect_query_init(struct dentry *root)
{
	debugfs_create_file("select", 0200, root, NULL, &select_fops);
	debugfs_create_file("report", 0400, root, NULL, &report_fops);
	debugfs_create_file("query", 0600, root, NULL, &query_fops);
	/* The variants are const; debugfs hands them back as i_private. */
	debugfs_create_file("stdin", 0400, root, (void *)&stdin_report,
			    &stdin_fops);
	debugfs_create_file("stdin-map", 0400, root, (void *)&stdin_report_map,
			    &stdin_fops);
	return 0;
}

void pcinspect_query_exit(void)
{
	kfree(select_text);
	select_text = NULL;
}
