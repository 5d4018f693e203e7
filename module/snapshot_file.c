// SPDX-License-Identifier: GPL-2.0
/*
 * The plumbing of every snapshot file (snapshot_file.h). Each open file
 * holds one snapshot: taken at its first read, and again at a read from
 * offset 0 (a new open, lseek(0), a pread at 0) once the last one was read
 * past its header or a write changed the options. Reads that continue
 * where the previous one stopped, of any size down to one byte, stream
 * that snapshot record by record, as mm/shrinker_debug.c and the lru_gen
 * debugfs file do: no file is ever formatted whole into one buffer, and a
 * read() formats at most what fits in the seq_file buffer.
 *
 * Record 0 (SEQ_START_TOKEN) is the header; record i > 0 is the kind's
 * record i - 1, passed around as the pointer value i + 1 (never NULL, never
 * SEQ_START_TOKEN).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "options.h"
#include "snapshot_file.h"

static void *snap_record_at(struct pcinspect_snap_file *sf, loff_t pos)
{
	if (pos == 0)
		return SEQ_START_TOKEN;
	if (pos < 0 || pos > sf->kind->records(sf->snap))
		return NULL;
	return (void *)(unsigned long)(pos + 1);
}

static void *snap_seq_start(struct seq_file *m, loff_t *pos)
{
	struct pcinspect_snap_file *sf = m->private;

	mutex_lock(&sf->lock);
	/* snap_read() took the snapshot; none means nothing was read at 0. */
	if (!sf->snap)
		return NULL;
	return snap_record_at(sf, *pos);
}

static void *snap_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct pcinspect_snap_file *sf = m->private;

	if (v == SEQ_START_TOKEN)
		sf->stale = true;
	++*pos;
	return snap_record_at(sf, *pos);
}

static void snap_seq_stop(struct seq_file *m, void *v)
{
	struct pcinspect_snap_file *sf = m->private;

	mutex_unlock(&sf->lock);
}

static int snap_seq_show(struct seq_file *m, void *v)
{
	struct pcinspect_snap_file *sf = m->private;

	if (v == SEQ_START_TOKEN)
		sf->kind->show_header(m, sf->snap);
	else
		sf->kind->show(m, sf->snap, (unsigned long)v - 2);
	return 0;
}

static const struct seq_operations snap_seq_ops = {
	.start = snap_seq_start,
	.next = snap_seq_next,
	.stop = snap_seq_stop,
	.show = snap_seq_show,
};

/*
 * The snapshot is taken here, with no lock held: the files walk reads
 * /proc/filesystems and /proc/self/mountinfo, whose seq_file locks share a
 * lockdep class with this file's, and snap_seq_start() takes sf->lock
 * under that class; holding either around a walk would make a cycle
 * (lockdep reports it).
 */
static ssize_t snap_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct pcinspect_snap_file *sf =
		((struct seq_file *)file->private_data)->private;
	unsigned long gen;
	void *snap, *old;
	bool need;

	if (*ppos == 0) {
		mutex_lock(&sf->lock);
		need = !sf->snap || sf->stale;
		gen = sf->gen;
		mutex_unlock(&sf->lock);
		if (need) {
			snap = sf->kind->take(sf);
			if (IS_ERR(snap))
				return PTR_ERR(snap);
			mutex_lock(&sf->lock);
			old = sf->snap;
			sf->snap = snap;
			/* A write meanwhile: its options apply from the next. */
			sf->stale = sf->gen != gen;
			mutex_unlock(&sf->lock);
			if (old)
				sf->kind->free(old);
		}
	}
	return seq_read(file, buf, count, ppos);
}

/* A write replaces the options of this open file and rewinds it. */
static ssize_t snap_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct pcinspect_snap_file *sf =
		((struct seq_file *)file->private_data)->private;
	char *text;
	int ret;

	if (!sf->kind->write)
		return -EINVAL;
	text = pcinspect_opts_from_user(ubuf, count, sf->kind->write_max,
					-E2BIG);
	if (IS_ERR(text))
		return PTR_ERR(text);
	mutex_lock(&sf->lock);
	ret = sf->kind->write(sf, text);
	if (!ret) {
		sf->stale = true;
		sf->gen++;
	}
	mutex_unlock(&sf->lock);
	kfree(text);
	if (ret)
		return ret;
	*ppos = 0;
	return count;
}

static int snap_open(struct inode *inode, struct file *file)
{
	const struct pcinspect_snap_kind *kind = inode->i_private;
	struct pcinspect_snap_file *sf;
	int ret;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return -ENOMEM;
	sf->kind = kind;
	mutex_init(&sf->lock);
	ret = kind->open ? kind->open(sf) : 0;
	if (ret)
		goto free;
	ret = seq_open(file, &snap_seq_ops);
	if (ret)
		goto release;
	((struct seq_file *)file->private_data)->private = sf;
	return 0;

release:
	if (kind->release)
		kind->release(sf);
free:
	mutex_destroy(&sf->lock);
	kfree(sf);
	return ret;
}

static int snap_release(struct inode *inode, struct file *file)
{
	struct pcinspect_snap_file *sf =
		((struct seq_file *)file->private_data)->private;

	if (sf->snap)
		sf->kind->free(sf->snap);
	if (sf->kind->release)
		sf->kind->release(sf);
	mutex_destroy(&sf->lock);
	kfree(sf);
	return seq_release(inode, file);
}

static const struct file_operations snap_fops = {
	.owner = THIS_MODULE,
	.open = snap_open,
	.read = snap_read,
	.write = snap_write,
	.llseek = seq_lseek,
	.release = snap_release,
};

void pcinspect_snap_create(const char *name, umode_t mode,
			   struct dentry *root,
			   const struct pcinspect_snap_kind *kind)
{
	/* The kind is const; debugfs hands it back as inode->i_private. */
	debugfs_create_file(name, mode, root, (void *)kind, &snap_fops);
}

void pcinspect_seq_put_id(struct seq_file *m, u64 id)
{
	char buf[18];
	int i;

	buf[0] = ' ';
	for (i = 16; i > 0; i--, id >>= 4)
		buf[i] = "0123456789abcdef"[id & 0xf];
	buf[17] = '\0';
	seq_puts(m, buf);
}
