/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debugfs files that take a snapshot (a walk) and stream it as records
 * through seq_file: files, files-query, lru, lru-files. One kind per
 * debugfs file, passed as its private data; snapshot_file.c does the rest.
 */
#ifndef PCINSPECT_SNAPSHOT_FILE_H
#define PCINSPECT_SNAPSHOT_FILE_H

#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>

struct pcinspect_snap_file;

struct pcinspect_snap_kind {
	/* Per-open state in sf->priv (options), set at open; optional. */
	int (*open)(struct pcinspect_snap_file *sf);
	void (*release)(struct pcinspect_snap_file *sf);
	/*
	 * Options written to the file, called with sf->lock held: on error
	 * nothing may change. NULL: writes fail with EINVAL. write_max: the
	 * longest write (E2BIG beyond).
	 */
	int (*write)(struct pcinspect_snap_file *sf, char *text);
	size_t write_max;
	/* Take a snapshot, with no lock held: an ERR_PTR on failure. */
	void *(*take)(struct pcinspect_snap_file *sf);
	void (*free)(void *snap);
	/* Records after the header, footer lines included. */
	loff_t (*records)(const void *snap);
	void (*show_header)(struct seq_file *m, const void *snap);
	void (*show)(struct seq_file *m, const void *snap, loff_t i);
};

struct pcinspect_snap_file {
	const struct pcinspect_snap_kind *kind;
	struct mutex lock;	/* all below, and the kind's options */
	void *snap;
	bool stale;		/* read past the header: offset 0 walks again */
	unsigned long gen;	/* bumped by each accepted write */
	void *priv;
};

void pcinspect_snap_create(const char *name, umode_t mode,
			   struct dentry *root,
			   const struct pcinspect_snap_kind *kind);

/* " %016llx" without seq_printf() (seq_put_hex_ll() is not exported). */
void pcinspect_seq_put_id(struct seq_file *m, u64 id);

#endif /* PCINSPECT_SNAPSHOT_FILE_H */
