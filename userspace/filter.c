// SPDX-License-Identifier: GPL-2.0
/*
 * What the reader does to a listing itself: the columns and how each sorts,
 * the PATH shown for each kind of entry, and the selection the module
 * cannot make (a path prefix needs the full path, which only the reader
 * knows) or was not asked to make (a saved listing, kernel lockdown).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "listing.h"

#define R	SCOLS_FL_RIGHT

const struct pci_fcolinfo pci_fcols[FCOL_NR] = {
	[FCOL_FS] = { "FS", 5, 0, FSHOW_STR, FSORT_UP, false,
		"filesystem type (bdev: the page cache of block devices)" },
	[FCOL_DEV] = { "DEV", 6, 0, FSHOW_STR, FSORT_UP, false,
		"major:minor of the filesystem; for bdev, of the device itself" },
	[FCOL_INO] = { "INO", 5, R, FSHOW_NUM, FSORT_UP, false,
		"inode number" },
	[FCOL_CACHED] = { "CACHED", 5, R, FSHOW_PAGES, FSORT_DOWN, false,
		"page cache held by the inode" },
	[FCOL_PAGES] = { "PAGES", 5, R, FSHOW_NUM, FSORT_DOWN, false,
		"cached pages (CACHED in pages)" },
	[FCOL_DIRTY] = { "DIRTY", 5, R, FSHOW_PAGES, FSORT_DOWN, false,
		"dirty cache: what writeback will write (never set on tmpfs)" },
	[FCOL_WRITEBACK] = { "WRITEBACK", 5, R, FSHOW_PAGES, FSORT_DOWN, false,
		"cache under writeback now" },
	[FCOL_NAME] = { "NAME", 5, 0, FSHOW_STR, FSORT_UP, false,
		"what is known of the name: path, deleted, disconnected (memfd, shm) or none" },
	[FCOL_PATH] = { "PATH", 0.3, SCOLS_FL_NOEXTREMES, FSHOW_STR, FSORT_UP,
		false, "full path (see PATH below)" },
	[FCOL_FSPATH] = { "FSPATH", 0.3, SCOLS_FL_NOEXTREMES, FSHOW_STR,
		FSORT_UP, false, "path inside its filesystem, as the module gives it" },
	[FCOL_DELETED] = { "DELETED", 3, R, FSHOW_BOOL, FSORT_DOWN, false,
		"1 for an unlinked file still open or mapped (NAME deleted)" },
	[FCOL_CHANGE] = { "CHANGE", 5, 0, FSHOW_STR, FSORT_UP, true,
		"since the --diff snapshot: new, gone or changed" },
	[FCOL_DCACHED] = { "DCACHED", 5, R, FSHOW_DPAGES, FSORT_ABS, true,
		"change of CACHED since the --diff snapshot" },
	[FCOL_DPAGES] = { "DPAGES", 5, R, FSHOW_DNUM, FSORT_ABS, true,
		"change of PAGES since the --diff snapshot" },
	[FCOL_DDIRTY] = { "DDIRTY", 5, R, FSHOW_DPAGES, FSORT_ABS, true,
		"change of DIRTY since the --diff snapshot" },
	[FCOL_DWRITEBACK] = { "DWRITEBACK", 5, R, FSHOW_DPAGES, FSORT_ABS, true,
		"change of WRITEBACK since the --diff snapshot" },
};

int pci_fcolumn_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < FCOL_NR; i++)
		if (strlen(pci_fcols[i].name) == len &&
		    !strncasecmp(pci_fcols[i].name, name, len))
			return i;
	return -1;
}

/* Paths ------------------------------------------------------------------ */

/* /dev/NAME of a block device from sysfs, or NULL. */
static char *bdev_name(const char *sysfs, unsigned int major,
		       unsigned int minor)
{
	char file[256], buf[1024];
	ssize_t len;
	int fd;

	snprintf(file, sizeof(file), "%s/dev/block/%u:%u/uevent", sysfs, major,
		 minor);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return NULL;
	buf[len] = '\0';
	return pci_uevent_devname(buf);
}

/*
 * Fill e->full and e->path. PATH is always something a person can act on:
 *   /mnt/x/f            a path through a mount point of this namespace
 *   /mnt/x/f (deleted)  unlinked, still open or mapped: its last path
 *   [8:1]/f             inside a filesystem mounted nowhere here (or a
 *                       part of it no mount shows); also memfd, shm
 *   /dev/vda            a block device (through sysfs)
 *   [8:1] ino 12        no dentry: dev and inode number only
 * e->full is set only when the path is reachable, for --prefix.
 */
int pci_fentry_paths(struct pci_fentry *e, const struct pci_mounts *ms,
		     const char *sysfs)
{
	const char *del = e->name == PCI_FNAME_DELETED ? " (deleted)" : "";
	int ret;

	free(e->full);
	free(e->path);
	e->full = NULL;
	e->path = NULL;
	if (e->name == PCI_FNAME_NONE) {
		if (!strcmp(e->fs, "bdev"))
			e->full = bdev_name(sysfs, e->major, e->minor);
		if (e->full)
			e->path = strdup(e->full);
		else if (asprintf(&e->path, "[%u:%u] ino %llu", e->major,
				  e->minor, (unsigned long long)e->ino) < 0)
			e->path = NULL;
		return e->path ? 0 : -ENOMEM;
	}
	/* a disconnected name is no path from the root: never joined */
	ret = e->name == PCI_FNAME_DISCONNECTED ? -ENOENT :
	      pci_mounts_resolve(ms, e->major, e->minor, e->fspath, &e->full);
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
bool pci_prefix_match(const char *path, const char *prefix)
{
	size_t pl = strlen(prefix);

	while (pl > 1 && prefix[pl - 1] == '/')
		pl--;
	if (!path || strncmp(path, prefix, pl))
		return false;
	return pl == 1 || !path[pl] || path[pl] == '/';
}

/* Selection -------------------------------------------------------------- */

static bool selected(const struct pci_fentry *e, const struct pci_fsel *sel)
{
	if (sel->fs && strcmp(e->fs, sel->fs))
		return false;
	if (sel->dev_set && (e->major != sel->major || e->minor != sel->minor))
		return false;
	if (sel->min && e->cached < sel->min && e->change != PCI_FCHG_GONE)
		return false;
	if (sel->prefix && !pci_prefix_match(e->full, sel->prefix))
		return false;
	return true;
}

/* Drop the entries @sel leaves out; returns how many. */
size_t pci_listing_select(struct pci_listing *l, const struct pci_fsel *sel)
{
	size_t i, kept = 0, n = l->n;

	for (i = 0; i < l->n; i++) {
		if (selected(&l->e[i], sel))
			l->e[kept++] = l->e[i];
		else
			pci_fentry_free(&l->e[i]);
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
void pci_listing_select_totals(struct pci_listing *l,
			       const struct pci_fsel *sel)
{
	struct pci_ftotal bdev;
	bool have_bdev = false;
	size_t i, kept = 0;

	for (i = 0; i < l->nt; i++) {
		struct pci_ftotal *t = &l->t[i];

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
		const struct pci_fentry *e = &l->e[i];

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

/* --diff shows what changed: drop the entries that did not. */
void pci_listing_drop_same(struct pci_listing *l)
{
	size_t i, kept = 0;

	for (i = 0; i < l->n; i++) {
		if (l->e[i].change != PCI_FCHG_SAME)
			l->e[kept++] = l->e[i];
		else
			pci_fentry_free(&l->e[i]);
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
static __int128 sort_value(const struct pci_fentry *e, int col)
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
		return e->name == PCI_FNAME_DELETED;
	}
	return 0;
}

static const char *sort_text(const struct pci_fentry *e, int col)
{
	switch (col) {
	case FCOL_FS:
		return e->fs;
	case FCOL_NAME:
		return pci_fname_str[e->name];
	case FCOL_PATH:
		return e->path ? e->path : "";
	case FCOL_FSPATH:
		return e->fspath ? e->fspath : "";
	case FCOL_CHANGE:
		return pci_fchange_str[e->change];
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
	const struct pci_fentry *a = pa, *b = pb;
	const char *ta = sort_text(a, sort_col);
	int r;

	if (ta)
		r = strcmp(ta, sort_text(b, sort_col));
	else if (pci_fcols[sort_col].sort == FSORT_UP)
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

void pci_listing_sort(struct pci_listing *l, int col)
{
	sort_col = col;
	if (l->n)
		qsort(l->e, l->n, sizeof(*l->e), entry_cmp);
}

void pci_listing_top(struct pci_listing *l, size_t top)
{
	size_t i;

	if (!top || l->n <= top)
		return;
	for (i = top; i < l->n; i++)
		pci_fentry_free(&l->e[i]);
	l->n = top;
}
