// SPDX-License-Identifier: GPL-2.0
/*
 * lru-files: the table that charges the folios the LRU walk finds to
 * their files: to the inode that owns the folio's mapping. Device and
 * inode number are not enough: every btrfs subvolume numbers its inodes
 * from 256 on one superblock, so two files would share a row. The rows
 * give dev, ino and the inode's identity (pcinspect_inode_id()), as the
 * files listing does.
 *
 * The walk fills it under the irq-disabling lru_lock, where nothing may
 * be allocated, so it is an open-addressing hash table that is grown only
 * between chunks: when it is three quarters full, lru_walk_list() ends
 * the chunk early and calls pcinspect_lru_files_grow() with no lock held.
 * It starts small (a few pages, like the lists of a small system need) and
 * doubles up to PCINSPECT_LRU_FILES_MAX slots, so a walk costs memory in
 * proportion to the files it finds, not a fixed multi-megabyte block that
 * would be zeroed at every read.
 *
 * A list walked again from its head (the walk's cursor left it) must not
 * count its first pages twice: charges are staged per list and committed
 * when that list's walk ends, or dropped when it restarts. Then the pages
 * of the files plus untracked, anon and nofile equal the pages that the
 * lists' records report, restarts or not.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "pcinspect.h"
#include "lru.h"

/* First size of the table: 256 slots of 112 bytes (and a 4-byte index). */
#define LRU_FILES_FIRST 256U

/* Entries merged between rescheduling points while sorting. */
#define LRU_FILES_SORT_BATCH 4096U

void pcinspect_lru_files_free(struct pcinspect_lru_files *t)
{
	kvfree(t->slots);
	kvfree(t->staged);
	kvfree(t->order);
	t->slots = NULL;
	t->staged = NULL;
	t->order = NULL;
}

static int lru_files_alloc(struct pcinspect_lru_files *t, unsigned int cap)
{
	t->slots = pcinspect_big_alloc(cap * sizeof(*t->slots), true);
	t->staged = pcinspect_big_alloc(cap * sizeof(*t->staged), false);
	if (!t->slots || !t->staged) {
		/* Not the whole free: t->order may be the table's being grown. */
		kvfree(t->slots);
		kvfree(t->staged);
		t->slots = NULL;
		t->staged = NULL;
		return -ENOMEM;
	}
	t->cap = cap;
	return 0;
}

int pcinspect_lru_files_init(struct pcinspect_lru_files *t)
{
	memset(t, 0, sizeof(*t));
	return lru_files_alloc(t, LRU_FILES_FIRST);
}

/*
 * The slot of the inode @host, or of the free slot where it would go. An
 * inode freed during the walk and another allocated at its address get
 * separate slots unless they also share dev and ino.
 */
static unsigned int lru_files_probe(const struct pcinspect_lru_files *t,
				    const struct inode *host, dev_t dev,
				    u64 ino)
{
	unsigned int i = hash_ptr(host, 32) & (t->cap - 1);
	const struct pcinspect_lru_file *f;

	for (;; i = (i + 1) & (t->cap - 1)) {
		f = &t->slots[i];
		if (!f->host || (f->host == host && f->dev == dev &&
				 f->ino == ino))
			return i;
	}
}

bool pcinspect_lru_files_need_grow(const struct pcinspect_lru_files *t)
{
	return t->cap < PCINSPECT_LRU_FILES_MAX && t->used >= t->cap / 4 * 3;
}

/*
 * Double the table (no lock held: this allocates and may sleep). The
 * staged slots move with their entries, so a list may grow the table in
 * the middle of its walk.
 */
int pcinspect_lru_files_grow(struct pcinspect_lru_files *t)
{
	struct pcinspect_lru_files old = *t;
	unsigned int i, j;

	if (lru_files_alloc(t, old.cap * 2)) {
		*t = old;
		return -ENOMEM;
	}
	t->nr_staged = 0;
	for (i = 0; i < old.cap; i++) {
		if (!old.slots[i].host)
			continue;
		j = lru_files_probe(t, old.slots[i].host, old.slots[i].dev,
				    old.slots[i].ino);
		t->slots[j] = old.slots[i];
		if (t->slots[j].staged)
			t->staged[t->nr_staged++] = j;
		if (!(i % PCINSPECT_RESCHED_BATCH))
			cond_resched();
	}
	kvfree(old.slots);
	kvfree(old.staged);
	return 0;
}

/*
 * Charge a folio's pages to its file. Runs under the lru_lock and RCU:
 * folio->mapping may be cleared by a truncation at any moment, but the
 * inode it pointed to is freed only after an RCU grace period, and its
 * superblock after another, so reading them here is safe; the numbers
 * read are a snapshot like everything else.
 */
void pcinspect_lru_files_charge(struct pcinspect_lru_files *t,
				struct folio *folio, unsigned long nr)
{
	struct address_space *mapping = READ_ONCE(folio->mapping);
	struct pcinspect_lru_file *f;
	struct super_block *sb;
	struct inode *host;
	unsigned int i;
	dev_t dev;
	u64 ino;

	/* The low bits tag anon, KSM and movable mappings in every version. */
	if ((unsigned long)mapping & 3UL) {
		t->st_anon += nr;
		return;
	}
	host = mapping ? READ_ONCE(mapping->host) : NULL;
	sb = host ? READ_ONCE(host->i_sb) : NULL;
	if (!sb) {
		t->st_nofile += nr;
		return;
	}
	/* Block devices: their device number, as the files listing gives. */
	dev = pcinspect_inode_dev(sb, host);
	ino = host->i_ino;

	i = lru_files_probe(t, host, dev, ino);
	f = &t->slots[i];
	if (!f->host) {
		/*
		 * Full: the table has reached its largest size (below it, the
		 * walk grows it first). An eighth stays free to keep probes
		 * short and to guarantee they end.
		 */
		if (t->used >= t->cap - t->cap / 8) {
			t->st_untracked += nr;
			return;
		}
		f->host = host;
		f->dev = dev;
		f->ino = ino;
		t->used++;
	}
	if (!f->staged)
		t->staged[t->nr_staged++] = i;
	f->staged += nr;
}

/*
 * The walk of one list ended: keep its charges (in column col), or drop
 * them because the list is walked again from its head. Slots a dropped
 * walk created stay, with no pages; the report leaves them out.
 */
void pcinspect_lru_files_end_list(struct pcinspect_lru_files *t,
				  unsigned int col, bool keep)
{
	struct pcinspect_lru_file *f;
	unsigned int i;

	for (i = 0; i < t->nr_staged; i++) {
		f = &t->slots[t->staged[i]];
		if (keep) {
			f->pages += f->staged;
			f->cols[col] += f->staged;
		}
		f->staged = 0;
	}
	t->nr_staged = 0;
	if (keep) {
		t->anon += t->st_anon;
		t->nofile += t->st_nofile;
		t->untracked += t->st_untracked;
	}
	t->st_anon = 0;
	t->st_nofile = 0;
	t->st_untracked = 0;
}

/* Most pages first; then by device, inode and identity: a stable order. */
static bool lru_files_before(const struct pcinspect_lru_file *x,
			     const struct pcinspect_lru_file *y)
{
	if (x->pages != y->pages)
		return x->pages > y->pages;
	if (x->dev != y->dev)
		return x->dev < y->dev;
	if (x->ino != y->ino)
		return x->ino < y->ino;
	return pcinspect_inode_id(x->host) < pcinspect_inode_id(y->host);
}

/*
 * Order the files with pages into t->order (indices into t->slots), by a
 * bottom-up merge sort that reschedules between batches of merged
 * entries: a table may hold half a million files, too many to sort
 * without a scheduling point.
 */
int pcinspect_lru_files_sort(struct pcinspect_lru_files *t)
{
	unsigned int *a, *b, *tmp, n = 0, i, width, lo, mid, hi, p, q, k;
	unsigned long merged = 0;

	for (i = 0; i < t->cap; i++)
		n += t->slots[i].pages != 0;
	a = pcinspect_big_alloc(max(n, 1U) * sizeof(*a), false);
	b = pcinspect_big_alloc(max(n, 1U) * sizeof(*b), false);
	if (!a || !b) {
		kvfree(a);
		kvfree(b);
		return -ENOMEM;
	}
	for (i = 0, k = 0; i < t->cap; i++)
		if (t->slots[i].pages)
			a[k++] = i;
	for (width = 1; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			mid = min(lo + width, n);
			hi = min(lo + 2 * width, n);
			for (p = lo, q = mid, k = lo; k < hi; k++) {
				if (q >= hi || (p < mid &&
						!lru_files_before(&t->slots[a[q]],
								  &t->slots[a[p]])))
					b[k] = a[p++];
				else
					b[k] = a[q++];
			}
			merged += hi - lo;
			if (merged >= LRU_FILES_SORT_BATCH) {
				merged = 0;
				cond_resched();
			}
		}
		tmp = a;
		a = b;
		b = tmp;
	}
	kvfree(b);
	t->order = a;
	t->nr = n;
	return 0;
}
