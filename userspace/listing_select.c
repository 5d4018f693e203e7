// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader does to a listing itself: how each field sorts, the
 * PATH shown for each kind of entry, and the selection the module
 * cannot make (a path prefix needs the full path, which only the reader
 * knows) or was not asked to make (a saved listing, kernel lockdown).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format_listing.h"
#include "source.h"

/* How each field sorts: amounts most first, changes largest first. */
enum { SORT_UP, SORT_DOWN, SORT_ABS };

static const unsigned char sort_dir[FCOL_NR] = {
	[FCOL_FS] = SORT_UP,		[FCOL_DEV] = SORT_UP,
	[FCOL_INO] = SORT_UP,		[FCOL_CACHED] = SORT_DOWN,
	[FCOL_PAGES] = SORT_DOWN,	[FCOL_DIRTY] = SORT_DOWN,
	[FCOL_WRITEBACK] = SORT_DOWN,	[FCOL_SIZE] = SORT_DOWN,
	[FCOL_TYPE] = SORT_UP,		[FCOL_NAME] = SORT_UP,
	[FCOL_PATH] = SORT_UP,		[FCOL_FSPATH] = SORT_UP,
	[FCOL_DELETED] = SORT_DOWN,	[FCOL_CHANGE] = SORT_UP,
	[FCOL_DCACHED] = SORT_ABS,	[FCOL_DPAGES] = SORT_ABS,
	[FCOL_DDIRTY] = SORT_ABS,	[FCOL_DWRITEBACK] = SORT_ABS,
};

/* Paths ------------------------------------------------------------------ */

/*
 * Fill e->full and e->path. PATH is always something a person can act on:
 *   /mnt/x/f            a path through a mount point of this namespace
 *   /mnt/x/f (deleted)  unlinked, still open or mapped: its last path
 *   [8:1]/f             inside a filesystem mounted nowhere here (or a
 *                       part of it no mount shows); also memfd, shm
 *   /dev/vda            a block device (through sysfs)
 *   [8:1] ino 12        no dentry: dev and inode number only
 * e->full is set only when the path is reachable, for --prefix. Block
 * device names are this machine's: only for a @local listing.
 */
int pcr_fentry_paths(struct pcr_fentry *e, const struct pcr_mounts *ms,
		     bool local)
{
	const char *del = e->name == PCR_FNAME_DELETED ? " (deleted)" : "";
	int ret;

	free(e->full);
	free(e->path);
	e->full = NULL;
	e->path = NULL;
	if (e->name == PCR_FNAME_NONE) {
		if (local && !strcmp(e->fs, "bdev"))
			e->full = pcr_sysfs_bdev_name(e->major, e->minor);
		if (e->full)
			e->path = strdup(e->full);
		else if (asprintf(&e->path, "[%u:%u] ino %llu", e->major,
				  e->minor, (unsigned long long)e->ino) < 0)
			e->path = NULL;
		return e->path ? 0 : -ENOMEM;
	}
	/* a disconnected name is no path from the root: never joined */
	ret = e->name == PCR_FNAME_DISCONNECTED ? -ENOENT :
	      pcr_mounts_resolve(ms, e->major, e->minor, e->fspath, &e->full);
	if (ret == -ENOMEM)
		return ret;
	if (e->full)
		ret = asprintf(&e->path, "%s%s", e->full, del);
	else
		ret = asprintf(&e->path, "[%u:%u]%s%s", e->major, e->minor,
			       e->fspath, del);
	if (ret < 0) {
		e->path = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* @path is @prefix or below it: "/a" holds "/a/b", not "/ab". */
bool pcr_prefix_match(const char *path, const char *prefix)
{
	size_t pl = strlen(prefix);

	while (pl > 1 && prefix[pl - 1] == '/')
		pl--;
	if (!path || strncmp(path, prefix, pl))
		return false;
	return pl == 1 || !path[pl] || path[pl] == '/';
}

/* Selection -------------------------------------------------------------- */

static bool selected(const struct pcr_fentry *e, const struct pcr_fsel *sel)
{
	if (sel->fs && strcmp(e->fs, sel->fs))
		return false;
	if (sel->dev_set && (e->major != sel->major || e->minor != sel->minor))
		return false;
	if (sel->min && e->cached < sel->min && e->change != PCR_FCHG_GONE)
		return false;
	if (sel->prefix && !pcr_prefix_match(e->full, sel->prefix))
		return false;
	return true;
}

/* Drop the entries @sel leaves out; returns how many. */
size_t pcr_listing_select(struct pcr_listing *l, const struct pcr_fsel *sel)
{
	size_t i, kept = 0, n = l->n;

	for (i = 0; i < l->n; i++) {
		if (selected(&l->e[i], sel))
			l->e[kept++] = l->e[i];
		else
			pcr_fentry_free(&l->e[i]);
	}
	l->n = kept;
	return n - kept;
}

/*
 * The module's totals for what fs= and dev= would have selected, when the
 * reader selects instead. dev= of a block device selects inside the bdev
 * superblock, whose total covers all block devices: that total is made
 * again from the device's own lines (all of them are listed: no min=).
 */
void pcr_listing_select_totals(struct pcr_listing *l,
			       const struct pcr_fsel *sel)
{
	struct pcr_ftotal bdev;
	bool have_bdev = false;
	size_t i, kept = 0;

	for (i = 0; i < l->nt; i++) {
		struct pcr_ftotal *t = &l->t[i];

		if (sel->fs && strcmp(t->fs, sel->fs))
			continue;
		if (sel->dev_set && !strcmp(t->fs, "bdev")) {
			have_bdev = true;
			continue;
		}
		if (sel->dev_set &&
		    (t->major != sel->major || t->minor != sel->minor))
			continue;
		l->t[kept++] = *t;
	}
	l->nt = kept;
	if (!have_bdev)
		return;
	memset(&bdev, 0, sizeof(bdev));
	snprintf(bdev.fs, sizeof(bdev.fs), "bdev");
	for (i = 0; i < l->n; i++) {
		const struct pcr_fentry *e = &l->e[i];

		if (strcmp(e->fs, "bdev") || e->major != sel->major ||
		    e->minor != sel->minor)
			continue;
		bdev.major = e->major;
		bdev.minor = e->minor;
		bdev.inodes++;
		bdev.cached += e->cached;
		bdev.dirty += e->dirty;
		bdev.writeback += e->writeback;
	}
	if (bdev.inodes)
		l->t[l->nt++] = bdev;	/* one was dropped: there is room */
}

/*
 * Totals made from the entries themselves, per filesystem: when the
 * reader selects by path (--prefix), the module's totals, made before
 * any selection, would count what is not shown.
 */
int pcr_listing_entry_totals(struct pcr_listing *l)
{
	size_t i, j;

	l->nt = 0;
	for (i = 0; i < l->n; i++) {
		const struct pcr_fentry *e = &l->e[i];
		struct pcr_ftotal *t = NULL;

		if (e->change == PCR_FCHG_GONE)
			continue;
		for (j = 0; j < l->nt && !t; j++)
			if (l->t[j].major == e->major &&
			    l->t[j].minor == e->minor &&
			    !strcmp(l->t[j].fs, e->fs))
				t = &l->t[j];
		if (!t) {
			if (pcr_grow((void **)&l->t, &l->talloc, l->nt,
				     sizeof(*l->t)))
				return -ENOMEM;
			t = &l->t[l->nt++];
			memset(t, 0, sizeof(*t));
			snprintf(t->fs, sizeof(t->fs), "%s", e->fs);
			t->major = e->major;
			t->minor = e->minor;
		}
		t->inodes++;
		t->cached += e->cached;
		t->dirty += e->dirty;
		t->writeback += e->writeback;
	}
	return 0;
}

/* --diff shows what changed: drop the entries that did not. */
void pcr_listing_drop_same(struct pcr_listing *l)
{
	size_t i, kept = 0;

	for (i = 0; i < l->n; i++) {
		if (l->e[i].change != PCR_FCHG_SAME)
			l->e[kept++] = l->e[i];
		else
			pcr_fentry_free(&l->e[i]);
	}
	l->n = kept;
}

/* Sorting ---------------------------------------------------------------- */

static __int128 delta(uint64_t now, uint64_t old)
{
	return (__int128)now - (__int128)old;
}

static __int128 abs128(__int128 v)
{
	return v < 0 ? -v : v;
}

/* The number a column sorts by; text columns are compared elsewhere. */
static __int128 sort_value(const struct pcr_fentry *e, int col)
{
	switch (col) {
	case FCOL_INO:
		return e->ino;
	case FCOL_CACHED:
	case FCOL_PAGES:
		return e->cached;
	case FCOL_DIRTY:
		return e->dirty;
	case FCOL_WRITEBACK:
		return e->writeback;
	case FCOL_SIZE:
		return e->size;
	case FCOL_DCACHED:
	case FCOL_DPAGES:
		return abs128(delta(e->cached, e->old_cached));
	case FCOL_DDIRTY:
		return abs128(delta(e->dirty, e->old_dirty));
	case FCOL_DWRITEBACK:
		return abs128(delta(e->writeback, e->old_writeback));
	case FCOL_DEV:
		return (__int128)e->major << 32 | e->minor;
	case FCOL_DELETED:
		return e->name == PCR_FNAME_DELETED;
	}
	return 0;
}

static const char *sort_text(const struct pcr_fentry *e, int col)
{
	switch (col) {
	case FCOL_FS:
		return e->fs;
	case FCOL_TYPE:
		return e->type;
	case FCOL_NAME:
		return pcr_fname_str[e->name];
	case FCOL_PATH:
		return e->path ? e->path : "";
	case FCOL_FSPATH:
		return e->fspath ? e->fspath : "";
	case FCOL_CHANGE:
		return pcr_fchange_str[e->change];
	}
	return NULL;
}

static int sort_col;

static int cmp_num(__int128 a, __int128 b)
{
	return a < b ? -1 : a > b;
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct pcr_fentry *a = pa, *b = pb;
	const char *ta = sort_text(a, sort_col);
	int r;

	if (ta)
		r = strcmp(ta, sort_text(b, sort_col));
	else if (sort_dir[sort_col] == SORT_UP)
		r = cmp_num(sort_value(a, sort_col), sort_value(b, sort_col));
	else
		r = cmp_num(sort_value(b, sort_col), sort_value(a, sort_col));
	/* ties in a stable, meaningful order: dev, inode, then fs */
	if (!r)
		r = cmp_num(sort_value(a, FCOL_DEV), sort_value(b, FCOL_DEV));
	if (!r)
		r = cmp_num(a->ino, b->ino);
	if (!r)
		r = strcmp(a->fs, b->fs);
	return r;
}

void pcr_listing_sort(struct pcr_listing *l, int col)
{
	sort_col = col;
	if (l->n)
		qsort(l->e, l->n, sizeof(*l->e), entry_cmp);
}

void pcr_listing_top(struct pcr_listing *l, size_t top)
{
	size_t i;

	if (!top || l->n <= top)
		return;
	for (i = top; i < l->n; i++)
		pcr_fentry_free(&l->e[i]);
	l->n = top;
}
