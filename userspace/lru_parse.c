// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the module's lru and lru-files files, formats 2 and 3
 * (Documentation/ABI.md):
 *
 *   # pcinspect lru format 3
 *   zone node=0 zone=DMA32 list=inactive_file from=lists walked=2048 ...
 *   lruvec id=1 ino=1 memcg=/ state=online node=0 zone=DMA32 ... view=1800
 *   lrugen id=1 ino=1 memcg=/ state=online node=0 enabled=1 max_seq=7 ...
 *   gen id=1 ino=1 memcg=/ state=online node=0 seq=7 age=0 gen=3 ...
 *   # walk lruvecs=6 memcgs=3 ... walk_ns=3101200
 *
 *   # pcinspect lru-files format 3: dev ino id pages inactive_anon ... age3
 *   254:0 12 5d1bd3c0a9e8f2b4 1024 0 0 24 1000 0 0 0 0 0
 *   # walk ... files=211 untracked=0 anon=15023 nofile=12
 *
 * As for the files listing: the header is checked first and a format this
 * reader does not know is refused; after it a malformed line is reported
 * and skipped, the caller exits 1. Every key this reader knows must be in
 * its record (a key removed bumps the format), keys it does not know are
 * ignored (keys may be added), and so are records of a kind it does not
 * know, as long as they have the record shape ("word key=value...").
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lru.h"

static const char lru_header[] = "# pcinspect lru format ";
static const char files_header[] = "# pcinspect lru-files format ";

const char * const pci_lru_list_str[PCI_LRU_LISTS] = {
	[PCI_LRU_INACTIVE_ANON] = "inactive_anon",
	[PCI_LRU_ACTIVE_ANON] = "active_anon",
	[PCI_LRU_INACTIVE_FILE] = "inactive_file",
	[PCI_LRU_ACTIVE_FILE] = "active_file",
	[PCI_LRU_UNEVICTABLE] = "unevictable",
};

void pci_lru_init(struct pci_lru *l, bool files)
{
	memset(l, 0, sizeof(*l));
	l->files = files;
}

void pci_lru_free(struct pci_lru *l)
{
	bool files = l->files;
	size_t i;

	for (i = 0; i < l->nvec; i++)
		free(l->vec[i].v.memcg);
	for (i = 0; i < l->nlrugen; i++)
		free(l->lrugen[i].v.memcg);
	for (i = 0; i < l->ngen; i++)
		free(l->gen[i].v.memcg);
	free(l->zone);
	free(l->vec);
	free(l->lrugen);
	free(l->gen);
	free(l->file);
	free(l->error);
	pci_lru_init(l, files);
}

static int lru_error(struct pci_lru *l, int err, const char *fmt, ...)
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

/* "123", "-123" when @neg_ok, "-" when @dash_ok. */
int pci_lval_parse(const char *s, size_t len, bool dash_ok, bool neg_ok,
		   struct pci_lval *val)
{
	memset(val, 0, sizeof(*val));
	if (len == 1 && s[0] == '-') {
		if (!dash_ok)
			return -EINVAL;
		val->dash = true;
		return 0;
	}
	if (len && s[0] == '-') {
		if (!neg_ok)
			return -EINVAL;
		s++;
		len--;
		val->neg = true;
	}
	if (pci_parse_u64(s, len, &val->v))
		return len > 20 ? -ERANGE : -EINVAL;
	if (!val->v)
		val->neg = false;	/* "-0" is 0 */
	return 0;
}

int pci_lru_list_by_name(const char *s, size_t len)
{
	int i;

	for (i = 0; i < PCI_LRU_LISTS; i++)
		if (strlen(pci_lru_list_str[i]) == len &&
		    !memcmp(pci_lru_list_str[i], s, len))
			return i;
	return -1;
}

static int grow(void **arr, size_t *alloc, size_t n, size_t elem)
{
	size_t na;
	void *p;

	if (n < *alloc)
		return 0;
	na = *alloc ? 2 * *alloc : 64;
	p = realloc(*arr, na * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = na;
	return 0;
}

/* Records: which keys, of what kind, stored where --------------------- */

enum {
	K_U64,		/* uint64_t */
	K_UINT,		/* unsigned int below 2^20 (a node) */
	K_COUNT,	/* struct pci_lval, a count */
	K_COUNT_DASH,	/* a count or "-" */
	K_SIGNED,	/* a signed number */
	K_SIGNED_DASH,	/* a signed number or "-" */
	K_NAME,		/* char[16]: a zone, no '=' */
	K_FROM,		/* char[8]: lists or frames */
	K_LIST,		/* int: a classic list */
	K_TYPE,		/* int: anon or file */
	K_STATE,	/* int: online, dying or "-" */
	K_MEMCG,	/* char *: an escaped path or "-" */
};

struct kdesc {
	const char *key;
	int kind;
	size_t off;
};

/* Or'ed into a kind: a key added within the format, older modules lack it. */
#define K_OPTIONAL	0x100

static const struct kdesc zone_keys[] = {
	{ "node", K_UINT, offsetof(struct pci_lzone, node) },
	{ "zone", K_NAME, offsetof(struct pci_lzone, zone) },
	{ "list", K_LIST, offsetof(struct pci_lzone, list) },
	{ "from", K_FROM, offsetof(struct pci_lzone, from) },
	{ "walked", K_COUNT, offsetof(struct pci_lzone, walked) },
	{ "counter", K_COUNT, offsetof(struct pci_lzone, counter) },
	{ "diff", K_SIGNED, offsetof(struct pci_lzone, diff) },
	{ "zoneinfo", K_COUNT, offsetof(struct pci_lzone, zoneinfo) },
	{ NULL }
};

/*
 * Records of an lruvec start with its id, memcg, state and node. walked
 * is "-" for unevictable, counter and diff without memcg.
 */
static const struct kdesc lruvec_keys[] = {
	{ "id", K_U64, offsetof(struct pci_lruvec, v.id) },
	{ "ino", K_COUNT_DASH | K_OPTIONAL, offsetof(struct pci_lruvec, v.ino) },
	{ "memcg", K_MEMCG, offsetof(struct pci_lruvec, v.memcg) },
	{ "state", K_STATE, offsetof(struct pci_lruvec, v.state) },
	{ "node", K_UINT, offsetof(struct pci_lruvec, v.node) },
	{ "zone", K_NAME, offsetof(struct pci_lruvec, zone) },
	{ "list", K_LIST, offsetof(struct pci_lruvec, list) },
	{ "walked", K_COUNT_DASH, offsetof(struct pci_lruvec, walked) },
	{ "counter", K_COUNT_DASH, offsetof(struct pci_lruvec, counter) },
	{ "diff", K_SIGNED_DASH, offsetof(struct pci_lruvec, diff) },
	{ "view", K_COUNT, offsetof(struct pci_lruvec, view) },
	{ NULL }
};

static const struct kdesc lrugen_keys[] = {
	{ "id", K_U64, offsetof(struct pci_lrugen, v.id) },
	{ "ino", K_COUNT_DASH | K_OPTIONAL, offsetof(struct pci_lrugen, v.ino) },
	{ "memcg", K_MEMCG, offsetof(struct pci_lrugen, v.memcg) },
	{ "state", K_STATE, offsetof(struct pci_lrugen, v.state) },
	{ "node", K_UINT, offsetof(struct pci_lrugen, v.node) },
	{ "enabled", K_U64, offsetof(struct pci_lrugen, enabled) },
	{ "max_seq", K_U64, offsetof(struct pci_lrugen, max_seq) },
	{ "min_seq_anon", K_U64, offsetof(struct pci_lrugen, min_seq_anon) },
	{ "min_seq_file", K_U64, offsetof(struct pci_lrugen, min_seq_file) },
	{ NULL }
};

/* the kernel's nr_pages of a generation is a long: counter is signed */
static const struct kdesc gen_keys[] = {
	{ "id", K_U64, offsetof(struct pci_lgen, v.id) },
	{ "ino", K_COUNT_DASH | K_OPTIONAL, offsetof(struct pci_lgen, v.ino) },
	{ "memcg", K_MEMCG, offsetof(struct pci_lgen, v.memcg) },
	{ "state", K_STATE, offsetof(struct pci_lgen, v.state) },
	{ "node", K_UINT, offsetof(struct pci_lgen, v.node) },
	{ "seq", K_COUNT_DASH, offsetof(struct pci_lgen, seq) },
	{ "age", K_COUNT_DASH, offsetof(struct pci_lgen, age) },
	{ "gen", K_U64, offsetof(struct pci_lgen, gen) },
	{ "age_ms", K_U64, offsetof(struct pci_lgen, age_ms) },
	{ "type", K_TYPE, offsetof(struct pci_lgen, type) },
	{ "zone", K_NAME, offsetof(struct pci_lgen, zone) },
	{ "listed", K_COUNT, offsetof(struct pci_lgen, listed) },
	{ "flagged", K_COUNT, offsetof(struct pci_lgen, flagged) },
	{ "counter", K_SIGNED, offsetof(struct pci_lgen, counter) },
	{ "diff", K_SIGNED, offsetof(struct pci_lgen, diff) },
	{ NULL }
};

static const struct kdesc walk_keys[] = {
	{ "lruvecs", K_U64, offsetof(struct pci_lwalk, lruvecs) },
	{ "memcgs", K_U64, offsetof(struct pci_lwalk, memcgs) },
	{ "dying", K_U64, offsetof(struct pci_lwalk, dying) },
	{ "visited", K_U64, offsetof(struct pci_lwalk, visited) },
	{ "pages", K_U64, offsetof(struct pci_lwalk, pages) },
	{ "chunks", K_U64, offsetof(struct pci_lwalk, chunks) },
	{ "chunk", K_U64, offsetof(struct pci_lwalk, chunk) },
	{ "max_hold_ns", K_U64, offsetof(struct pci_lwalk, max_hold_ns) },
	{ "restarts", K_U64, offsetof(struct pci_lwalk, restarts) },
	{ "incomplete", K_U64, offsetof(struct pci_lwalk, incomplete) },
	{ "frames", K_U64, offsetof(struct pci_lwalk, frames) },
	{ "walk_ns", K_U64, offsetof(struct pci_lwalk, walk_ns) },
	{ "displaced", K_U64 | K_OPTIONAL,
	  offsetof(struct pci_lwalk, displaced) },
	{ "lock", K_NAME | K_OPTIONAL, offsetof(struct pci_lwalk, lock) },
	{ NULL }
};

static const struct kdesc walk_files_keys[] = {
	{ "files", K_U64, offsetof(struct pci_lwalk, files) },
	{ "untracked", K_U64, offsetof(struct pci_lwalk, untracked) },
	{ "anon", K_U64, offsetof(struct pci_lwalk, anon) },
	{ "nofile", K_U64, offsetof(struct pci_lwalk, nofile) },
	{ NULL }
};

static int copy_name(char *dst, size_t size, const char *s, size_t len)
{
	if (!len || len >= size || memchr(s, '=', len))
		return -EINVAL;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static bool is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

/* One value into the record at @rec. */
static int put_value(void *rec, const struct kdesc *k, const char *s,
		     size_t len)
{
	void *p = (char *)rec + k->off;
	int kind = k->kind & ~K_OPTIONAL;
	uint64_t v;
	int i;

	switch (kind) {
	case K_U64:
		return pci_parse_u64(s, len, p);
	case K_UINT:
		if (pci_parse_u64(s, len, &v) || v >= 1u << 20)
			return -EINVAL;
		*(unsigned int *)p = v;
		return 0;
	case K_COUNT:
	case K_COUNT_DASH:
	case K_SIGNED:
	case K_SIGNED_DASH:
		return pci_lval_parse(s, len,
				      kind == K_COUNT_DASH ||
				      kind == K_SIGNED_DASH,
				      kind == K_SIGNED ||
				      kind == K_SIGNED_DASH, p);
	case K_NAME:
		return copy_name(p, 16, s, len);
	case K_FROM:
		if (!is(s, len, "lists") && !is(s, len, "frames"))
			return -EINVAL;
		return copy_name(p, 8, s, len);
	case K_LIST:
		i = pci_lru_list_by_name(s, len);
		if (i < 0)
			return -EINVAL;
		*(int *)p = i;
		return 0;
	case K_TYPE:
		if (is(s, len, "anon"))
			*(int *)p = PCI_LTYPE_ANON;
		else if (is(s, len, "file"))
			*(int *)p = PCI_LTYPE_FILE;
		else
			return -EINVAL;
		return 0;
	case K_STATE:
		if (is(s, len, "online"))
			*(int *)p = PCI_LSTATE_ONLINE;
		else if (is(s, len, "dying"))
			*(int *)p = PCI_LSTATE_DYING;
		else if (is(s, len, "-"))
			*(int *)p = PCI_LSTATE_NONE;
		else
			return -EINVAL;
		return 0;
	case K_MEMCG:
		if (is(s, len, "-"))
			return 0;
		/* a cgroup path: "/" or below it, its blanks escaped */
		if (!len || s[0] != '/' || memchr(s, '=', len))
			return -EINVAL;
		*(char **)p = pci_unescape(s, len);
		return *(char **)p ? 0 : -ENOMEM;
	}
	return -EINVAL;
}

/*
 * The "key=value" pairs of @p into @rec by @keys (and @more, a second
 * table, may be NULL). Every key of the tables must be there, once.
 */
static int kv_record(struct pci_lru *l, void *rec, const char *p, size_t len,
		     const struct kdesc *keys, const struct kdesc *more)
{
	const char *end = p + len, *sp, *eq;
	const struct kdesc *tabs[2] = { keys, more }, *k;
	uint64_t seen[2] = { 0, 0 };
	size_t t, i;
	int ret;

	if (!len)
		return lru_error(l, -EINVAL, "no key=value pairs");
	while (p < end) {
		sp = memchr(p, ' ', end - p);
		if (!sp)
			sp = end;
		eq = memchr(p, '=', sp - p);
		if (!eq || eq == p)
			return lru_error(l, -EINVAL, "not key=value: \"%.*s\"",
					 (int)(sp - p), p);
		for (t = 0; t < 2 && tabs[t]; t++) {
			for (i = 0; tabs[t][i].key; i++) {
				k = &tabs[t][i];
				if (!is(p, eq - p, k->key))
					continue;
				if (seen[t] & 1ull << i)
					return lru_error(l, -EINVAL,
							 "%s= twice", k->key);
				seen[t] |= 1ull << i;
				ret = put_value(rec, k, eq + 1, sp - eq - 1);
				if (ret == -ENOMEM)
					return ret;
				if (ret)
					return lru_error(l, ret,
							 "bad value for %s: \"%.*s\"",
							 k->key,
							 (int)(sp - eq - 1),
							 eq + 1);
			}
		}
		if (sp + 1 == end)
			return lru_error(l, -EINVAL, "trailing blank");
		p = sp + 1;
	}
	for (t = 0; t < 2 && tabs[t]; t++)
		for (i = 0; tabs[t][i].key; i++)
			if (!(seen[t] & 1ull << i) &&
			    !(tabs[t][i].kind & K_OPTIONAL))
				return lru_error(l, -EINVAL, "no %s=",
						 tabs[t][i].key);
	return 0;
}

/*
 * memcg "-" and state "-" go together: a kernel without memcg; ino is "-"
 * there too, and a number (when given) with a memcg.
 */
static int vec_check(struct pci_lru *l, const struct pci_lvec *v)
{
	bool none = v->state == PCI_LSTATE_NONE;

	if (!v->memcg != none)
		return lru_error(l, -EINVAL,
				 "memcg and state: one is \"-\", not both");
	if (none && !v->ino.dash)
		return lru_error(l, -EINVAL, "ino= without a memcg");
	return 0;
}

/* Append @rec (@size bytes) to the array @arr of @n, @alloc entries. */
static int add(void *arr, size_t *n, size_t *alloc, const void *rec,
	       size_t size)
{
	void **a = arr;

	if (grow(a, alloc, *n, size))
		return -ENOMEM;
	memcpy((char *)*a + *n * size, rec, size);
	(*n)++;
	return 0;
}

static int record_line(struct pci_lru *l, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	size_t wl = sp ? (size_t)(sp - line) : len;
	const char *rest = sp ? sp + 1 : line + len;
	size_t rlen = line + len - rest;
	union {
		struct pci_lzone z;
		struct pci_lruvec vec;
		struct pci_lrugen lrugen;
		struct pci_lgen gen;
	} r;
	struct pci_lvec *v = NULL;
	int ret;

	memset(&r, 0, sizeof(r));
	if (is(line, wl, "zone")) {
		ret = kv_record(l, &r.z, rest, rlen, zone_keys, NULL);
		if (!ret)
			ret = add(&l->zone, &l->nzone, &l->azone, &r.z,
				  sizeof(r.z));
		return ret;
	}
	/* ino= may be absent (older modules): unknown, as "-" is */
	if (is(line, wl, "lruvec")) {
		v = &r.vec.v;
		v->ino.dash = true;
		ret = kv_record(l, &r.vec, rest, rlen, lruvec_keys, NULL);
		if (!ret)
			ret = vec_check(l, v);
		if (!ret)
			ret = add(&l->vec, &l->nvec, &l->avec, &r.vec,
				  sizeof(r.vec));
	} else if (is(line, wl, "lrugen")) {
		v = &r.lrugen.v;
		v->ino.dash = true;
		ret = kv_record(l, &r.lrugen, rest, rlen, lrugen_keys, NULL);
		if (!ret)
			ret = vec_check(l, v);
		if (!ret)
			ret = add(&l->lrugen, &l->nlrugen, &l->alrugen, &r.lrugen,
				  sizeof(r.lrugen));
	} else if (is(line, wl, "gen")) {
		v = &r.gen.v;
		v->ino.dash = true;
		ret = kv_record(l, &r.gen, rest, rlen, gen_keys, NULL);
		if (!ret && r.gen.gen >= PCI_GENS)
			ret = lru_error(l, -EINVAL, "gen=%llu beyond 3",
					(unsigned long long)r.gen.gen);
		if (!ret && r.gen.seq.dash != r.gen.age.dash)
			ret = lru_error(l, -EINVAL,
					"seq and age: one is \"-\", not both");
		if (!ret)
			ret = vec_check(l, v);
		if (!ret)
			ret = add(&l->gen, &l->ngen, &l->agen, &r.gen,
				  sizeof(r.gen));
	} else {
		/* a record kind added later: "word key=value ..." */
		if (!wl || !sp || !memchr(rest, '=', rlen) ||
		    strspn(line, "abcdefghijklmnopqrstuvwxyz_") != wl)
			return lru_error(l, -EINVAL, "not a record: \"%.*s\"",
					 (int)(len > 40 ? 40 : len), line);
		l->unknown++;
		return 0;
	}
	/* the record did not make it into an array: its path is ours */
	if (ret)
		free(v->memcg);
	return ret;
}

/* "MAJ:MIN ino id pages" and the PCI_LRU_FCOLS counts, single blanks. */
static int file_line(struct pci_lru *l, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *sp;
	struct pci_lfile f;
	size_t i;
	uint64_t *vals[4 + PCI_LRU_FCOLS];
	int ret;

	memset(&f, 0, sizeof(f));
	vals[0] = NULL;		/* dev */
	vals[1] = &f.ino;
	vals[2] = &f.id;
	vals[3] = &f.pages;
	for (i = 0; i < PCI_LRU_FCOLS; i++)
		vals[4 + i] = &f.cols[i];
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		if (p > end)
			return lru_error(l, -EINVAL, "%zu fields, not %zu", i,
					 ARRAY_SIZE(vals));
		sp = memchr(p, ' ', end - p);
		if (!sp)
			sp = end;
		if (!i)
			ret = pci_parse_dev(p, sp - p, &f.major, &f.minor);
		else if (i == 2)
			ret = pci_parse_id(p, sp - p, vals[i]);
		else
			ret = pci_parse_u64(p, sp - p, vals[i]);
		if (ret)
			return lru_error(l, ret, "bad %s: \"%.*s\"",
					 !i ? "dev" : i == 1 ? "ino" :
					 i == 2 ? "id" : "count",
					 (int)(sp - p), p);
		p = sp + 1;
	}
	if (p <= end)
		return lru_error(l, -EINVAL, "more than %zu fields",
				 ARRAY_SIZE(vals));
	return add(&l->file, &l->nfile, &l->afile, &f, sizeof(f));
}

static int walk_line(struct pci_lru *l, const char *p, size_t len)
{
	int ret;

	if (l->walk.seen)
		return lru_error(l, -EINVAL, "a second walk line");
	ret = kv_record(l, &l->walk, p, len, walk_keys,
			l->files ? walk_files_keys : NULL);
	if (!ret)
		l->walk.seen = true;
	return ret;
}

/*
 * "# pcinspect lru format N" or "# pcinspect lru-files format N: cols".
 * The other file's header is named: a saved copy given to the wrong
 * option is the likely mistake.
 */
static int header_line(struct pci_lru *l, const char *line, size_t len)
{
	const char *want = l->files ? files_header : lru_header;
	const char *other = l->files ? lru_header : files_header;
	size_t hl = strlen(want), digits;
	const char *num = line + hl;
	uint64_t v;

	if (len >= strlen(other) && !memcmp(line, other, strlen(other)))
		return lru_error(l, -EINVAL, l->files ?
				 "this is the lru file's output, not lru-files' (drop --files)" :
				 "this is lru-files' output, not the lru file's (add --files)");
	if (len < hl || memcmp(line, want, hl))
		return lru_error(l, -EINVAL, "not the module's %s output (no \"%s\" header)",
				 l->files ? "lru-files" : "lru", want);
	for (digits = 0; num + digits < line + len; digits++)
		if (num[digits] < '0' || num[digits] > '9')
			break;
	if (!digits || pci_parse_u64(num, digits, &v))
		return lru_error(l, -EINVAL, "bad format number in header");
	if (!pci_format_known(v))
		return lru_error(l, -EPROTONOSUPPORT,
				 "unsupported %s format %llu (this pcinspect reads %s only: install a matching pcinspect)",
				 l->files ? "lru-files" : "lru",
				 (unsigned long long)v, PCI_FORMATS_STR);
	num += digits;
	if (l->files) {
		if (line + len - num != sizeof(PCI_LRU_FILES_COLUMNS) + 1 ||
		    memcmp(num, ": " PCI_LRU_FILES_COLUMNS,
			   sizeof(PCI_LRU_FILES_COLUMNS) + 1))
			return lru_error(l, -EINVAL,
					 "unknown columns in header (want: %s)",
					 PCI_LRU_FILES_COLUMNS);
	} else if (num != line + len) {
		return lru_error(l, -EINVAL, "trailing text in header");
	}
	l->seen_header = true;
	return 0;
}

#define STARTS(line, len, s) \
	((len) >= sizeof(s) - 1 && !memcmp((line), (s), sizeof(s) - 1))

/*
 * One line without its newline. Before the header every error is fatal
 * (l->seen_header stays false); after it, an error means that line only.
 */
int pci_lru_line(struct pci_lru *l, const char *line, size_t len)
{
	l->lineno++;
	if (memchr(line, '\0', len))
		return lru_error(l, -EINVAL, "NUL byte");
	if (!l->seen_header)
		return header_line(l, line, len);
	if (l->walk.seen)
		return lru_error(l, -EINVAL, "a line after the walk line");
	if (STARTS(line, len, "# walk "))
		return walk_line(l, line + 7, len - 7);
	if (STARTS(line, len, "# pcinspect "))
		return lru_error(l, -EINVAL, "a second header");
	if (len && line[0] == '#')
		return 0;	/* a comment this reader does not know */
	if (l->files)
		return file_line(l, line, len);
	return record_line(l, line, len);
}

int pci_lru_finish(struct pci_lru *l)
{
	if (!l->seen_header)
		return lru_error(l, -EINVAL, "empty output");
	if (!l->walk.seen)
		return lru_error(l, -EINVAL,
				 "no walk line at the end: the output is truncated");
	return 0;
}

/* A line's error: fatal ones stop, others skip the line and are counted. */
static int line_result(struct pci_lru *l, int ret, const char *name)
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

int pci_lru_parse(struct pci_lru *l, const char *text, size_t len,
		  const char *name)
{
	const char *end = text + len, *nl;
	int ret;

	while (text < end) {
		nl = memchr(text, '\n', end - text);
		if (!nl)
			nl = end;
		ret = line_result(l, pci_lru_line(l, text, nl - text), name);
		if (ret)
			return ret;
		text = nl + 1;
	}
	return pci_lru_finish(l);
}

int pci_lru_read(struct pci_lru *l, FILE *f, const char *name)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	int ret = 0;

	errno = 0;
	while ((n = getline(&line, &size, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		ret = line_result(l, pci_lru_line(l, line, n), name);
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	free(line);
	return ret ? ret : pci_lru_finish(l);
}
