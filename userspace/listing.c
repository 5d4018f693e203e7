// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the module's system-wide listing, "files" formats 2 and 3
 * (Documentation/ABI.md):
 *
 *   # pcinspect files format 3: fs dev ino id cached dirty writeback name path
 *   ext4 254:0 12 5d1bd3c0a9e8f2b4 37 0 0 path /dir/closed\040file
 *   # total fs=ext4 dev=254:0 inodes=2 cached=57 dirty=0 writeback=0
 *   # walk types=26 superblocks=21 visited=11523 listed=4 ...
 *
 * The header is checked before anything else: a format this reader does
 * not know is refused, never guessed at. After it, a malformed line is
 * reported and skipped (the rest of a million-line listing is still worth
 * showing), and the caller exits 1. Unknown "#" lines and unknown keys of
 * the total and walk lines are ignored, as the format allows.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"

static const char header_start[] = "# pcinspect files format ";

const char * const pci_fname_str[PCI_FNAME_NR] = {
	[PCI_FNAME_NONE] = "none",
	[PCI_FNAME_PATH] = "path",
	[PCI_FNAME_DELETED] = "deleted",
	[PCI_FNAME_DISCONNECTED] = "disconnected",
};

void pci_listing_init(struct pci_listing *l)
{
	memset(l, 0, sizeof(*l));
}

void pci_fentry_free(struct pci_fentry *e)
{
	free(e->fspath);
	free(e->full);
	free(e->path);
	e->fspath = NULL;
	e->full = NULL;
	e->path = NULL;
}

void pci_listing_free(struct pci_listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pci_fentry_free(&l->e[i]);
	free(l->e);
	free(l->t);
	free(l->error);
	pci_listing_init(l);
}

static int listing_error(struct pci_listing *l, int err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(l->error);
	l->error = NULL;
	if (msg && asprintf(&l->error, "line %u: %s", l->lineno, msg) < 0)
		l->error = NULL;
	free(msg);
	return err;
}

/* "MAJ:MIN", each a decimal number that fits dev_t's 12 and 20 bits. */
int pci_parse_dev(const char *s, size_t len, unsigned int *major,
		  unsigned int *minor)
{
	const char *colon = memchr(s, ':', len);
	uint64_t ma, mi;

	if (!colon || pci_parse_u64(s, colon - s, &ma) ||
	    pci_parse_u64(colon + 1, s + len - colon - 1, &mi) ||
	    ma >= 1u << 12 || mi >= 1u << 20)
		return -EINVAL;
	*major = ma;
	*minor = mi;
	return 0;
}

/* Split at single blanks; returns the number of fields, at most max. */
static size_t split(const char *line, size_t len, const char **f, size_t *fl,
		    size_t max)
{
	size_t n = 0, i = 0;

	while (i <= len && n < max) {
		f[n] = line + i;
		while (i < len && line[i] != ' ')
			i++;
		fl[n] = line + i - f[n];
		n++;
		if (i == len)
			return n;
		i++;
	}
	return max + 1;		/* more fields than wanted */
}

static int header_line(struct pci_listing *l, const char *line, size_t len)
{
	size_t hl = sizeof(header_start) - 1;
	const char *colon;
	uint64_t v;
	int ret;

	if (len < hl || memcmp(line, header_start, hl))
		return listing_error(l, -EINVAL,
				     "not a pcinspect files listing (no \"%s\" header)",
				     header_start);
	colon = memchr(line + hl, ':', len - hl);
	if (!colon)
		return listing_error(l, -EINVAL, "malformed header");
	ret = pci_parse_u64(line + hl, colon - line - hl, &v);
	if (ret)
		return listing_error(l, -EINVAL, "bad format number in header");
	if (!pci_format_known(v))
		return listing_error(l, -EPROTONOSUPPORT,
				     "unsupported files format %llu (this pcinspect reads %s only: install a matching pcinspect)",
				     (unsigned long long)v, PCI_FORMATS_STR);
	if (line + len - colon != sizeof(PCI_FILES_COLUMNS) + 1 ||
	    memcmp(colon + 1, " " PCI_FILES_COLUMNS, len - (colon + 1 - line)))
		return listing_error(l, -EINVAL,
				     "unknown columns in header (want: %s)",
				     PCI_FILES_COLUMNS);
	l->seen_header = true;
	return 0;
}

static int copy_name(char *dst, size_t size, const char *s, size_t len)
{
	if (!len || len >= size || memchr(s, '=', len))
		return -EINVAL;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int grow(void **arr, size_t *alloc, size_t n, size_t elem)
{
	size_t na;
	void *p;

	if (n < *alloc)
		return 0;
	na = *alloc ? 2 * *alloc : 256;
	p = realloc(*arr, na * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = na;
	return 0;
}

/* "fs dev ino id cached dirty writeback name path" */
static int inode_line(struct pci_listing *l, const char *line, size_t len)
{
	const char *f[9];
	size_t fl[9], i;
	struct pci_fentry e;
	uint64_t *nums[] = { &e.cached, &e.dirty, &e.writeback };
	int ret;

	if (split(line, len, f, fl, 9) != 9)
		return listing_error(l, -EINVAL,
				     "not 9 fields separated by single blanks");
	for (i = 0; i < 9; i++)
		if (!fl[i])
			return listing_error(l, -EINVAL, "empty field");
	memset(&e, 0, sizeof(e));
	if (copy_name(e.fs, sizeof(e.fs), f[0], fl[0]))
		return listing_error(l, -EINVAL, "bad filesystem type");
	if (pci_parse_dev(f[1], fl[1], &e.major, &e.minor))
		return listing_error(l, -EINVAL, "bad dev");
	ret = pci_parse_u64(f[2], fl[2], &e.ino);
	if (ret)
		return listing_error(l, ret, "bad number");
	if (pci_parse_id(f[3], fl[3], &e.id))
		return listing_error(l, -EINVAL, "bad id");
	for (i = 0; i < 3; i++) {
		ret = pci_parse_u64(f[4 + i], fl[4 + i], nums[i]);
		if (ret)
			return listing_error(l, ret, "bad number");
	}
	for (i = 0; i < ARRAY_SIZE(pci_fname_str); i++)
		if (strlen(pci_fname_str[i]) == fl[7] &&
		    !memcmp(pci_fname_str[i], f[7], fl[7]))
			break;
	if (i == ARRAY_SIZE(pci_fname_str))
		return listing_error(l, -EINVAL, "unknown name kind %.*s",
				     (int)fl[7], f[7]);
	e.name = i;
	if (e.name == PCI_FNAME_NONE) {
		if (fl[8] != 1 || f[8][0] != '-')
			return listing_error(l, -EINVAL,
					     "a path with name \"none\"");
	} else {
		if (f[8][0] != '/')
			return listing_error(l, -EINVAL, "path not absolute");
		e.fspath = pci_unescape(f[8], fl[8]);
		if (!e.fspath)
			return -ENOMEM;
	}
	if (grow((void **)&l->e, &l->alloc, l->n, sizeof(*l->e))) {
		free(e.fspath);
		return -ENOMEM;
	}
	l->e[l->n++] = e;
	return 0;
}

/*
 * "key=value" pairs after a "# total " or "# walk " prefix. fs and dev are
 * kept as text for the caller; the numbers go where the table says; other
 * keys are ignored (keys may be added within a format).
 */
struct kv_num {
	const char *key;
	uint64_t *val;
	bool seen;
};

#define KV(key, val)	{ (key), (val), false }

static int kv_line(struct pci_listing *l, const char *p, size_t len,
		   struct kv_num *nums, size_t nnums, const char **fs,
		   size_t *fslen, const char **dev, size_t *devlen)
{
	const char *end = p + len, *sp, *eq;
	size_t i, klen;
	int ret;

	while (p < end) {
		sp = memchr(p, ' ', end - p);
		if (!sp)
			sp = end;
		eq = memchr(p, '=', sp - p);
		if (!eq || eq == p)
			return listing_error(l, -EINVAL, "not key=value: %.*s",
					     (int)(sp - p), p);
		klen = eq - p;
		if (fs && klen == 2 && !memcmp(p, "fs", 2)) {
			*fs = eq + 1;
			*fslen = sp - eq - 1;
		} else if (dev && klen == 3 && !memcmp(p, "dev", 3)) {
			*dev = eq + 1;
			*devlen = sp - eq - 1;
		}
		for (i = 0; i < nnums; i++) {
			if (strlen(nums[i].key) != klen ||
			    memcmp(nums[i].key, p, klen))
				continue;
			ret = pci_parse_u64(eq + 1, sp - eq - 1, nums[i].val);
			if (ret)
				return listing_error(l, ret, "bad value for %.*s",
						     (int)klen, p);
			nums[i].seen = true;
		}
		p = sp + 1;
		if (sp + 1 == end)
			return listing_error(l, -EINVAL, "trailing blank");
	}
	for (i = 0; i < nnums; i++)
		if (!nums[i].seen)
			return listing_error(l, -EINVAL, "no %s=", nums[i].key);
	return 0;
}

static int total_line(struct pci_listing *l, const char *p, size_t len)
{
	struct pci_ftotal t;
	struct kv_num nums[] = {
		KV("inodes", &t.inodes), KV("cached", &t.cached),
		KV("dirty", &t.dirty), KV("writeback", &t.writeback),
	};
	const char *fs = NULL, *dev = NULL;
	size_t fslen = 0, devlen = 0;
	int ret;

	memset(&t, 0, sizeof(t));
	ret = kv_line(l, p, len, nums, ARRAY_SIZE(nums), &fs, &fslen, &dev,
		      &devlen);
	if (ret)
		return ret;
	if (!fs || copy_name(t.fs, sizeof(t.fs), fs, fslen))
		return listing_error(l, -EINVAL, "total without a good fs=");
	if (!dev || pci_parse_dev(dev, devlen, &t.major, &t.minor))
		return listing_error(l, -EINVAL, "total without a good dev=");
	if (grow((void **)&l->t, &l->talloc, l->nt, sizeof(*l->t)))
		return -ENOMEM;
	l->t[l->nt++] = t;
	return 0;
}

static int walk_line(struct pci_listing *l, const char *p, size_t len)
{
	struct pci_fwalk *w = &l->walk;
	struct kv_num nums[] = {
		KV("types", &w->types), KV("superblocks", &w->superblocks),
		KV("visited", &w->visited), KV("listed", &w->listed),
		KV("skipped", &w->skipped), KV("filtered", &w->filtered),
		KV("unlisted", &w->unlisted), KV("walk_ns", &w->walk_ns),
		KV("bytes", &w->bytes),
	};
	int ret;

	if (w->seen)
		return listing_error(l, -EINVAL, "a second walk line");
	ret = kv_line(l, p, len, nums, ARRAY_SIZE(nums), NULL, NULL, NULL,
		      NULL);
	if (ret)
		return ret;
	w->seen = true;
	return 0;
}

#define STARTS(line, len, s) \
	((len) >= sizeof(s) - 1 && !memcmp((line), (s), sizeof(s) - 1))

/*
 * One line without its newline. Before the header every error is fatal
 * (l->seen_header stays false); after it, an error means that line only.
 */
int pci_listing_line(struct pci_listing *l, const char *line, size_t len)
{
	l->lineno++;
	if (memchr(line, '\0', len))
		return listing_error(l, -EINVAL, "NUL byte");
	if (!l->seen_header)
		return header_line(l, line, len);
	if (l->walk.seen)
		return listing_error(l, -EINVAL, "a line after the walk line");
	if (STARTS(line, len, "# total "))
		return total_line(l, line + 8, len - 8);
	if (STARTS(line, len, "# walk "))
		return walk_line(l, line + 7, len - 7);
	if (STARTS(line, len, header_start))
		return listing_error(l, -EINVAL, "a second header");
	if (len && line[0] == '#')
		return 0;	/* a comment this reader does not know */
	return inode_line(l, line, len);
}

int pci_listing_finish(struct pci_listing *l)
{
	if (!l->seen_header)
		return listing_error(l, -EINVAL, "empty listing");
	if (!l->walk.seen)
		return listing_error(l, -EINVAL,
				     "no walk line at the end: the listing is truncated");
	return 0;
}

/* A line's error: fatal ones stop the listing, others skip the line. */
static int line_result(struct pci_listing *l, int ret, const char *name)
{
	if (!ret)
		return 0;
	if (ret == -ENOMEM || !l->seen_header)
		return ret;
	fprintf(stderr, "pcinspect: %s: %s (skipped)\n", name,
		l->error ? l->error : strerror(-ret));
	l->bad_lines++;
	return 0;
}

int pci_listing_parse(struct pci_listing *l, const char *text, size_t len,
		      const char *name)
{
	const char *end = text + len, *nl;
	int ret;

	while (text < end) {
		nl = memchr(text, '\n', end - text);
		if (!nl)
			nl = end;
		ret = line_result(l, pci_listing_line(l, text, nl - text),
				  name);
		if (ret)
			return ret;
		text = nl + 1;
	}
	return pci_listing_finish(l);
}

int pci_listing_read(struct pci_listing *l, FILE *f, const char *name)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	int ret = 0;

	errno = 0;
	while ((n = getline(&line, &size, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		ret = line_result(l, pci_listing_line(l, line, n), name);
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	free(line);
	return ret ? ret : pci_listing_finish(l);
}
