// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the module's system-wide listing, "files" formats 2 to 4
 * (Documentation/ABI.md; 2 and 3 have no size and type columns):
 *
 *   # pcinspect files format 4: fs dev ino id cached dirty writeback size type name path
 *   ext4 254:0 12 5d1bd3c0a9e8f2b4 37 0 0 151552 reg path /dir/closed\040file
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
#include <stdlib.h>
#include <string.h>

#include "format_listing.h"

static const char header_start[] = "# pcinspect files format ";

const char * const pcr_fname_str[PCR_FNAME_NR + 1] = {
	[PCR_FNAME_NONE] = "none",
	[PCR_FNAME_PATH] = "path",
	[PCR_FNAME_DELETED] = "deleted",
	[PCR_FNAME_DISCONNECTED] = "disconnected",
	NULL
};

static int listing_line(struct pcr_parser *p, const char *line, size_t len);
static int listing_finish(struct pcr_parser *p);

#define LISTING(p)	((struct pcr_listing *)((char *)(p) - \
				offsetof(struct pcr_listing, parse)))
#define listing_error(l, err, ...) \
	pcr_parse_error(&(l)->parse, err, __VA_ARGS__)

void pcr_listing_init(struct pcr_listing *l)
{
	memset(l, 0, sizeof(*l));
	l->parse.name = "files";
	l->parse.skip_bad = true;
	l->parse.line = listing_line;
	l->parse.finish = listing_finish;
}

void pcr_fentry_free(struct pcr_fentry *e)
{
	free(e->fspath);
	free(e->full);
	free(e->path);
	e->fspath = NULL;
	e->full = NULL;
	e->path = NULL;
}

void pcr_listing_free(struct pcr_listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pcr_fentry_free(&l->e[i]);
	free(l->e);
	free(l->t);
	pcr_parser_free(&l->parse);
	pcr_listing_init(l);
}

static int header_line(struct pcr_listing *l, const char *line, size_t len)
{
	size_t hl = sizeof(header_start) - 1;
	const char *colon, *cols;
	uint64_t v;
	int ret;

	if (len < hl || memcmp(line, header_start, hl))
		return listing_error(l, -EINVAL,
				     "not a pcinspect files listing (no \"%s\" header)",
				     header_start);
	colon = memchr(line + hl, ':', len - hl);
	if (!colon)
		return listing_error(l, -EINVAL, "malformed header");
	ret = pcr_parse_u64(line + hl, colon - line - hl, &v);
	if (ret)
		return listing_error(l, -EINVAL, "bad format number in header");
	if (!pcr_format_known(v))
		return listing_error(l, -EPROTONOSUPPORT,
				     "unsupported files format %llu (this pcinspect reads %s only: install a matching pcinspect)",
				     (unsigned long long)v, PCR_FORMATS_STR);
	cols = v >= 4 ? PCR_FILES_COLUMNS : PCR_FILES_COLUMNS_3;
	if (line + len - colon != strlen(cols) + 2 || colon[1] != ' ' ||
	    memcmp(colon + 2, cols, strlen(cols)))
		return listing_error(l, -EINVAL,
				     "unknown columns in header (want: %s)",
				     cols);
	l->format = v;
	l->parse.seen_header = true;
	return 0;
}

/* "fs dev ino id cached dirty writeback [size type] name path" */
static int inode_line(struct pcr_listing *l, const char *line, size_t len)
{
	const char *f[11];
	size_t fl[11], i, ni, nf = l->format >= 4 ? 11 : 9;
	struct pcr_fentry e;
	uint64_t *nums[] = { &e.cached, &e.dirty, &e.writeback, &e.size };
	int ret;

	if (pcr_split(line, len, f, fl, nf) != nf)
		return listing_error(l, -EINVAL,
				     "not %zu fields separated by single blanks",
				     nf);
	for (i = 0; i < nf; i++)
		if (!fl[i])
			return listing_error(l, -EINVAL, "empty field");
	memset(&e, 0, sizeof(e));
	if (pcr_copy_word(e.fs, sizeof(e.fs), f[0], fl[0]))
		return listing_error(l, -EINVAL, "bad filesystem type");
	if (pcr_parse_dev(f[1], fl[1], &e.major, &e.minor))
		return listing_error(l, -EINVAL, "bad dev");
	ret = pcr_parse_u64(f[2], fl[2], &e.ino);
	if (ret)
		return listing_error(l, ret, "bad number");
	if (pcr_parse_id(f[3], fl[3], &e.id))
		return listing_error(l, -EINVAL, "bad id");
	/* the numbers (with size from format 4), [type,] name, path */
	e.has_size = nf == 11;
	for (i = 0; i < 3 + e.has_size; i++) {
		ret = pcr_parse_u64(f[4 + i], fl[4 + i], nums[i]);
		if (ret)
			return listing_error(l, ret, "bad number");
	}
	if (e.has_size && pcr_copy_word(e.type, sizeof(e.type), f[8], fl[8]))
		return listing_error(l, -EINVAL, "bad type");
	ni = nf - 2;
	for (i = 0; i < PCR_FNAME_NR; i++)
		if (strlen(pcr_fname_str[i]) == fl[ni] &&
		    !memcmp(pcr_fname_str[i], f[ni], fl[ni]))
			break;
	if (i == PCR_FNAME_NR)
		return listing_error(l, -EINVAL, "unknown name kind %.*s",
				     (int)fl[ni], f[ni]);
	e.name = i;
	if (e.name == PCR_FNAME_NONE) {
		if (fl[ni + 1] != 1 || f[ni + 1][0] != '-')
			return listing_error(l, -EINVAL,
					     "a path with name \"none\"");
	} else {
		if (f[ni + 1][0] != '/')
			return listing_error(l, -EINVAL, "path not absolute");
		e.fspath = pcr_unescape(f[ni + 1], fl[ni + 1]);
		if (!e.fspath)
			return -ENOMEM;
	}
	if (l->each) {
		ret = l->each(l->each_ctx, &e);
		free(e.fspath);
		return ret;
	}
	if (pcr_grow((void **)&l->e, &l->alloc, l->n, sizeof(*l->e))) {
		free(e.fspath);
		return -ENOMEM;
	}
	l->e[l->n++] = e;
	return 0;
}

/* "# total" and "# walk": key=value pairs; keys added later are ignored */
#define T(k, kind)	PCR_KEY(#k, kind, struct pcr_ftotal, k)
#define W(k)		PCR_KEY(#k, PCR_K_U64, struct pcr_fwalk, k)

static const struct pcr_key total_keys[] = {
	PCR_KEY_WORD("fs", struct pcr_ftotal, fs),
	PCR_KEY("dev", PCR_K_DEV, struct pcr_ftotal, major),
	T(inodes, PCR_K_U64), T(cached, PCR_K_U64), T(dirty, PCR_K_U64),
	T(writeback, PCR_K_U64),
	PCR_KEY_END
};

static const struct pcr_key walk_keys[] = {
	W(types), W(superblocks), W(visited), W(listed), W(skipped),
	W(filtered), W(unlisted), W(walk_ns), W(bytes),
	PCR_KEY_END
};

static int total_line(struct pcr_listing *l, const char *p, size_t len)
{
	struct pcr_ftotal t;
	int ret;

	memset(&t, 0, sizeof(t));
	ret = pcr_kv_record(&l->parse, &t, p, len, total_keys, NULL);
	if (ret)
		return ret;
	if (pcr_grow((void **)&l->t, &l->talloc, l->nt, sizeof(*l->t)))
		return -ENOMEM;
	l->t[l->nt++] = t;
	return 0;
}

static int walk_line(struct pcr_listing *l, const char *p, size_t len)
{
	int ret;

	if (l->walk.seen)
		return listing_error(l, -EINVAL, "a second walk line");
	ret = pcr_kv_record(&l->parse, &l->walk, p, len, walk_keys, NULL);
	if (!ret)
		l->walk.seen = true;
	return ret;
}

/*
 * One line without its newline. Before the header every error is fatal
 * (l->seen_header stays false); after it, an error means that line only.
 */
static int listing_line(struct pcr_parser *p, const char *line, size_t len)
{
	struct pcr_listing *l = LISTING(p);

	if (!p->seen_header)
		return header_line(l, line, len);
	if (l->walk.seen)
		return listing_error(l, -EINVAL, "a line after the walk line");
	if (PCR_STARTS(line, len, "# total "))
		return total_line(l, line + 8, len - 8);
	if (PCR_STARTS(line, len, "# walk "))
		return walk_line(l, line + 7, len - 7);
	if (PCR_STARTS(line, len, header_start))
		return listing_error(l, -EINVAL, "a second header");
	if (len && line[0] == '#')
		return 0;	/* a comment this reader does not know */
	return inode_line(l, line, len);
}

static int listing_finish(struct pcr_parser *p)
{
	struct pcr_listing *l = LISTING(p);

	if (!p->seen_header)
		return listing_error(l, -EINVAL, "empty listing");
	if (!l->walk.seen)
		return listing_error(l, -EINVAL,
				     "no walk line at the end: the listing is truncated");
	return 0;
}

int pcr_listing_parse(struct pcr_listing *l, const char *text, size_t len,
		      const char *name)
{
	l->parse.name = name;
	return pcr_parse_text(&l->parse, text, len);
}

int pcr_listing_read(struct pcr_listing *l, FILE *f, const char *name)
{
	l->parse.name = name;
	return pcr_parse_read(&l->parse, f);
}
