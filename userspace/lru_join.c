// SPDX-License-Identifier: GPL-2.0
/*
 * "pcinspect lru --files": the files on the LRU lists, ordered by one list
 * (or all pages on lists), cut to the top N, and named. lru-files gives
 * dev, inode number and the inode's identity only: names come from the
 * module's system-wide files listing, joined on (dev, ino, id) (dev and
 * ino alone name two files in btrfs subvolumes), and full paths from
 * mountinfo exactly as
 * "pcinspect files" makes them. Only the top N are resolved: the listing
 * may hold a million entries, lru-files up to 458752.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format_lru.h"

/* lru-files' value for @col: a list or age index, PCR_LRU_FCOLS = pages */
static uint64_t fvalue(const struct pcr_lfile *f, int col)
{
	return col == PCR_LRU_FCOLS ? f->pages : f->cols[col];
}

static int cmp_dev_ino(unsigned int ma1, unsigned int mi1, uint64_t ino1,
		       uint64_t id1, unsigned int ma2, unsigned int mi2,
		       uint64_t ino2, uint64_t id2)
{
	if (ma1 != ma2)
		return ma1 < ma2 ? -1 : 1;
	if (mi1 != mi2)
		return mi1 < mi2 ? -1 : 1;
	if (ino1 != ino2)
		return ino1 < ino2 ? -1 : 1;
	return id1 < id2 ? -1 : id1 > id2;
}

/* most first by @col, then by all pages, then dev and ino: stable output */
static int cmp_files(const void *a, const void *b, void *arg)
{
	const struct pcr_lfile *x = a, *y = b;
	int col = *(const int *)arg;

	if (fvalue(x, col) != fvalue(y, col))
		return fvalue(x, col) < fvalue(y, col) ? 1 : -1;
	if (x->pages != y->pages)
		return x->pages < y->pages ? 1 : -1;
	return cmp_dev_ino(x->major, x->minor, x->ino, x->id, y->major,
			   y->minor, y->ino, y->id);
}

int pcr_lru_files_sort(struct pcr_lru *l, int col)
{
	if (col < 0 || col > PCR_LRU_FCOLS)
		return -EINVAL;
	qsort_r(l->file, l->nfile, sizeof(*l->file), cmp_files, &col);
	return 0;
}

void pcr_lru_files_top(struct pcr_lru *l, size_t top)
{
	if (top && l->nfile > top)
		l->nfile = top;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct pcr_fentry *x = a, *y = b;

	return cmp_dev_ino(x->major, x->minor, x->ino, x->id, y->major,
			   y->minor, y->ino, y->id);
}

static int cmp_key(const void *key, const void *elem)
{
	const struct pcr_lfile *f = key;
	const struct pcr_fentry *e = elem;

	return cmp_dev_ino(f->major, f->minor, f->ino, f->id, e->major,
			   e->minor, e->ino, e->id);
}

/*
 * Name each file of @l (call it after the top N are chosen) from @names,
 * whose entries this sorts by (dev, ino, id). A file the listing does not hold
 * (evicted from the cache between the two reads, or its inode gone) keeps
 * name NULL: it is shown as "[MAJ:MIN] ino N", never guessed.
 */
int pcr_lru_files_names(struct pcr_lru *l, struct pcr_listing *names,
			const struct pcr_mounts *ms, bool local)
{
	struct pcr_fentry *e;
	size_t i;
	int ret;

	qsort(names->e, names->n, sizeof(*names->e), cmp_entries);
	for (i = 0; i < l->nfile; i++) {
		e = bsearch(&l->file[i], names->e, names->n, sizeof(*names->e),
			    cmp_key);
		l->file[i].name = e;
		if (!e || e->path)
			continue;
		ret = pcr_fentry_paths(e, ms, local);
		if (ret)
			return ret;
	}
	return 0;
}
