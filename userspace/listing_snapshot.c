// SPDX-License-Identifier: GPL-2.0
/*
 * --snapshot FILE and --diff FILE for the listing. Entries are matched by
 * (dev, ino, fs), not by path: a renamed file is the same file, and a
 * deleted file has no path to match. One line per entry:
 *
 *   # pcinspect files snapshot 1 page_size=4096
 *   FS MAJ:MIN INO CACHED DIRTY WRITEBACK NAME FULL PATH
 *
 * counts in pages; FULL (the reachable path, "-" if none) and PATH (as
 * shown) escaped like the module's paths, so that an entry gone by the
 * time of --diff can still be shown and selected by --prefix.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format_listing.h"
#include "records.h"

static const char snap_magic[] = "# pcinspect files snapshot 1 page_size=";

const char * const pcr_fchange_str[PCR_FCHG_NR] = {
	[PCR_FCHG_NONE] = "",
	[PCR_FCHG_SAME] = "same",
	[PCR_FCHG_CHANGED] = "changed",
	[PCR_FCHG_NEW] = "new",
	[PCR_FCHG_GONE] = "gone",
};

static int put_entry(FILE *out, const struct pcr_fentry *e)
{
	char *full = e->full ? pcr_escape(e->full) : strdup("-");
	char *path = pcr_escape(e->path ? e->path : "-");
	int ret = 0;

	if (!full || !path)
		ret = -ENOMEM;
	else
		fprintf(out, "%s %u:%u %llu %llu %llu %llu %s %s %s\n", e->fs,
			e->major, e->minor, (unsigned long long)e->ino,
			(unsigned long long)e->cached,
			(unsigned long long)e->dirty,
			(unsigned long long)e->writeback,
			pcr_fname_str[e->name], full, path);
	free(full);
	free(path);
	return ret;
}

static int put_listing(FILE *out, const struct pcr_listing *l,
		       uint64_t page_size)
{
	size_t i;
	int ret = 0;

	fprintf(out, "%s%llu\n", snap_magic, (unsigned long long)page_size);
	for (i = 0; i < l->n && !ret; i++)
		if (l->e[i].change != PCR_FCHG_GONE)
			ret = put_entry(out, &l->e[i]);
	return ret;
}

/*
 * The snapshot of @l in memory (*buf, *len): under --watch, --diff
 * measures each listing from the one before it.
 */
int pcr_fsnap_save_buf(const struct pcr_listing *l, uint64_t page_size,
		       char **buf, size_t *len)
{
	FILE *out = open_memstream(buf, len);
	int ret;

	if (!out)
		return -errno;
	ret = put_listing(out, l, page_size);
	if (fclose(out) && !ret)
		ret = -ENOMEM;
	if (ret) {
		free(*buf);
		*buf = NULL;
	}
	return ret;
}

struct listing_snap {
	const struct pcr_listing *l;
	uint64_t page_size;
};

static int put_snap(FILE *out, const void *arg)
{
	const struct listing_snap *ls = arg;

	return put_listing(out, ls->l, ls->page_size);
}

int pcr_fsnap_save(const char *file, const struct pcr_listing *l,
		   uint64_t page_size)
{
	struct listing_snap ls = { l, page_size };

	return pcr_write_replace(file, put_snap, &ls);
}

static int snap_line(struct pcr_fentry *e, char *line)
{
	char *f[9], *save = NULL;
	uint64_t v[4];
	size_t n, i;

	for (n = 0; n < 9; n++) {
		f[n] = strtok_r(n ? NULL : line, " ", &save);
		if (!f[n])
			return -EINVAL;
	}
	if (strtok_r(NULL, " ", &save) || strlen(f[0]) >= sizeof(e->fs) ||
	    pcr_parse_dev(f[1], strlen(f[1]), &e->major, &e->minor))
		return -EINVAL;
	for (i = 0; i < 4; i++)
		if (pcr_parse_u64(f[2 + i], strlen(f[2 + i]), &v[i]))
			return -EINVAL;
	for (i = 0; i < PCR_FNAME_NR; i++)
		if (!strcmp(f[6], pcr_fname_str[i]))
			break;
	if (i == PCR_FNAME_NR)
		return -EINVAL;
	snprintf(e->fs, sizeof(e->fs), "%s", f[0]);
	e->ino = v[0];
	e->old_cached = v[1];
	e->old_dirty = v[2];
	e->old_writeback = v[3];
	e->name = i;
	e->full = strcmp(f[7], "-") ? pcr_unescape(f[7], strlen(f[7])) : NULL;
	e->path = pcr_unescape(f[8], strlen(f[8]));
	return e->path ? 0 : -ENOMEM;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct pcr_fentry *a = pa, *b = pb;

	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return strcmp(a->fs, b->fs);
}

/* Read a snapshot from @in, which it closes. */
static int load(FILE *in, struct pcr_listing *old, uint64_t page_size,
		char *err, size_t errsize)
{
	char *line = NULL;
	size_t size = 0, alloc = 0;
	unsigned int lineno = 0;
	struct pcr_fentry *ne;
	ssize_t len;
	uint64_t ps;
	int ret = 0;

	while ((len = getline(&line, &size, in)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1) {
			if (strncmp(line, snap_magic, sizeof(snap_magic) - 1) ||
			    pcr_parse_u64(line + sizeof(snap_magic) - 1,
					  len - sizeof(snap_magic) + 1, &ps)) {
				snprintf(err, errsize,
					 "not a pcinspect files snapshot");
				ret = -EINVAL;
				break;
			}
			if (ps != page_size) {
				snprintf(err, errsize,
					 "taken with %llu-byte pages, this system has %llu",
					 (unsigned long long)ps,
					 (unsigned long long)page_size);
				ret = -EINVAL;
				break;
			}
			continue;
		}
		if (old->n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			ne = realloc(old->e, alloc * sizeof(*ne));
			if (!ne) {
				ret = -ENOMEM;
				break;
			}
			old->e = ne;
		}
		memset(&old->e[old->n], 0, sizeof(*ne));
		ret = snap_line(&old->e[old->n], line);
		if (ret) {
			pcr_fentry_free(&old->e[old->n]);
			snprintf(err, errsize, "line %u: malformed", lineno);
			break;
		}
		old->e[old->n++].change = PCR_FCHG_GONE;
	}
	if (!ret && !lineno) {
		snprintf(err, errsize, "empty snapshot");
		ret = -EINVAL;
	}
	free(line);
	fclose(in);
	return ret;
}

/*
 * Mark every entry of @l as same, changed or new against the snapshot
 * read from @in (none: every entry is new), and append the snapshot's
 * entries that are gone (counts now 0).
 */
static int diff(FILE *in, struct pcr_listing *l, uint64_t page_size,
		char *err, size_t errsize)
{
	struct pcr_listing old;
	struct pcr_fentry *o, *ne;
	size_t i, gone = 0;
	int ret = 0;

	pcr_listing_init(&old);
	if (in)
		ret = load(in, &old, page_size, err, errsize);
	if (ret)
		goto out;
	qsort(old.e, old.n, sizeof(*old.e), key_cmp);
	for (i = 0; i < l->n; i++) {
		struct pcr_fentry *e = &l->e[i];

		o = bsearch(e, old.e, old.n, sizeof(*old.e), key_cmp);
		if (!o) {
			e->change = PCR_FCHG_NEW;
			continue;
		}
		e->old_cached = o->old_cached;
		e->old_dirty = o->old_dirty;
		e->old_writeback = o->old_writeback;
		e->change = e->cached == o->old_cached &&
			    e->dirty == o->old_dirty &&
			    e->writeback == o->old_writeback ?
			    PCR_FCHG_SAME : PCR_FCHG_CHANGED;
		o->change = PCR_FCHG_SAME;	/* matched: not gone */
	}
	for (i = 0; i < old.n; i++)
		gone += old.e[i].change == PCR_FCHG_GONE;
	if (gone) {
		ne = realloc(l->e, (l->n + gone) * sizeof(*ne));
		if (!ne) {
			ret = -ENOMEM;
			goto out;
		}
		l->e = ne;
		l->alloc = l->n + gone;
	}
	for (i = 0; i < old.n; i++) {
		if (old.e[i].change != PCR_FCHG_GONE)
			continue;
		l->e[l->n++] = old.e[i];
		/* moved: old's copy must not free the strings */
		old.e[i].full = NULL;
		old.e[i].path = NULL;
	}
out:
	pcr_listing_free(&old);
	return ret;
}

/*
 * Against the snapshot in @file. One that does not exist yet is an empty
 * baseline (returns 1: every entry is new), so that "--snapshot F --diff
 * F --watch N" works on its first run.
 */
int pcr_fsnap_diff(const char *file, struct pcr_listing *l,
		   uint64_t page_size, char *err, size_t errsize)
{
	FILE *in = fopen(file, "re");
	int ret;

	if (!in && errno != ENOENT) {
		ret = -errno;
		snprintf(err, errsize, "%s", strerror(errno));
		return ret;
	}
	ret = diff(in, l, page_size, err, errsize);
	return ret ? ret : !in;
}

/* Against a snapshot pcr_fsnap_save_buf() kept in memory. */
int pcr_fsnap_diff_buf(const char *buf, size_t len, struct pcr_listing *l,
		       uint64_t page_size, char *err, size_t errsize)
{
	FILE *in = fmemopen((void *)buf, len, "r");

	if (!in) {
		snprintf(err, errsize, "%s", strerror(errno));
		return -ENOMEM;
	}
	return diff(in, l, page_size, err, errsize);
}
