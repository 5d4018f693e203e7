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
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "format_lru.h"

static const char lru_header[] = "# pcinspect lru format ";
static const char files_header[] = "# pcinspect lru-files format ";

const char * const pcr_lru_list_str[PCR_LRU_LISTS + 1] = {
	[PCR_LRU_INACTIVE_ANON] = "inactive_anon",
	[PCR_LRU_ACTIVE_ANON] = "active_anon",
	[PCR_LRU_INACTIVE_FILE] = "inactive_file",
	[PCR_LRU_ACTIVE_FILE] = "active_file",
	[PCR_LRU_UNEVICTABLE] = "unevictable",
	NULL
};

static int lru_line(struct pcr_parser *p, const char *line, size_t len);
static int lru_finish(struct pcr_parser *p);

#define LRU(p)	((struct pcr_lru *)((char *)(p) - offsetof(struct pcr_lru, parse)))
#define lru_error(l, err, ...)	pcr_parse_error(&(l)->parse, err, __VA_ARGS__)

void pcr_lru_init(struct pcr_lru *l, bool files)
{
	memset(l, 0, sizeof(*l));
	l->files = files;
	l->parse.name = files ? "lru-files" : "lru";
	l->parse.skip_bad = true;
	l->parse.line = lru_line;
	l->parse.finish = lru_finish;
}

void pcr_lru_free(struct pcr_lru *l)
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
	pcr_parser_free(&l->parse);
	pcr_lru_init(l, files);
}

int pcr_lru_list_by_name(const char *s, size_t len)
{
	int i;

	for (i = 0; i < PCR_LRU_LISTS; i++)
		if (strlen(pcr_lru_list_str[i]) == len &&
		    !memcmp(pcr_lru_list_str[i], s, len))
			return i;
	return -1;
}

/* Records: which keys, of what kind, stored where --------------------- */

static const char * const state_names[] = { "-", "online", "dying", NULL };
static const char * const type_names[] = { "anon", "file", NULL };
static const char * const from_names[] = { "lists", "frames", NULL };

#define Z(k, kind)	PCR_KEY(#k, kind, struct pcr_lzone, k)

static const struct pcr_key zone_keys[] = {
	Z(node, PCR_K_UINT),
	PCR_KEY_WORD("zone", struct pcr_lzone, zone),
	PCR_KEY_ENUM("list", struct pcr_lzone, list, pcr_lru_list_str),
	PCR_KEY_ENUM("from", struct pcr_lzone, from, from_names),
	Z(walked, PCR_K_COUNT), Z(counter, PCR_K_COUNT), Z(diff, PCR_K_SIGNED),
	Z(zoneinfo, PCR_K_COUNT),
	PCR_KEY_END
};

/*
 * Records of an lruvec start with its id, ino, memcg, state and node
 * (struct pcr_lvec, first in each); ino= may be absent (older modules).
 * walked is "-" for unevictable, counter and diff without memcg.
 */
#define VEC(k, kind)	PCR_KEY(#k, kind, struct pcr_lvec, k)

static const struct pcr_key vec_keys[] = {
	VEC(id, PCR_K_U64), VEC(ino, PCR_K_COUNT_DASH | PCR_K_OPTIONAL),
	VEC(memcg, PCR_K_PATH),
	PCR_KEY_ENUM("state", struct pcr_lvec, state, state_names),
	VEC(node, PCR_K_UINT),
	PCR_KEY_END
};

#define V(k, kind)	PCR_KEY(#k, kind, struct pcr_lruvec, k)

static const struct pcr_key lruvec_keys[] = {
	PCR_KEY_WORD("zone", struct pcr_lruvec, zone),
	PCR_KEY_ENUM("list", struct pcr_lruvec, list, pcr_lru_list_str),
	V(walked, PCR_K_COUNT_DASH), V(counter, PCR_K_COUNT_DASH),
	V(diff, PCR_K_SIGNED_DASH), V(view, PCR_K_COUNT),
	PCR_KEY_END
};

#define LG(k)	PCR_KEY(#k, PCR_K_U64, struct pcr_lrugen, k)

static const struct pcr_key lrugen_keys[] = {
	LG(enabled), LG(max_seq), LG(min_seq_anon), LG(min_seq_file),
	PCR_KEY_END
};

/* the kernel's nr_pages of a generation is a long: counter is signed */
#define G(k, kind)	PCR_KEY(#k, kind, struct pcr_lgen, k)

static const struct pcr_key gen_keys[] = {
	G(seq, PCR_K_COUNT_DASH), G(age, PCR_K_COUNT_DASH), G(gen, PCR_K_U64),
	G(age_ms, PCR_K_U64),
	PCR_KEY_ENUM("type", struct pcr_lgen, type, type_names),
	PCR_KEY_WORD("zone", struct pcr_lgen, zone),
	G(listed, PCR_K_COUNT), G(flagged, PCR_K_COUNT),
	G(counter, PCR_K_SIGNED), G(diff, PCR_K_SIGNED),
	PCR_KEY_END
};

#define W(k)		PCR_KEY(#k, PCR_K_U64, struct pcr_lwalk, k)
#define W_NEW(k)	PCR_KEY(#k, PCR_K_U64 | PCR_K_OPTIONAL, struct pcr_lwalk, k)

static const struct pcr_key walk_keys[] = {
	W(lruvecs), W(memcgs), W(dying), W(visited), W(pages), W(chunks),
	W(chunk), W(max_hold_ns), W(restarts), W(incomplete), W(frames),
	W(walk_ns), W_NEW(displaced), W_NEW(hold_ns), W_NEW(scan_ns),
	W_NEW(counted),
	PCR_KEY("lock", PCR_K_WORD | PCR_K_OPTIONAL, struct pcr_lwalk, lock),
	PCR_KEY_END
};

static const struct pcr_key walk_files_keys[] = {
	W(files), W(untracked), W(anon), W(nofile), W_NEW(table),
	PCR_KEY_END
};

/*
 * memcg "-" and state "-" go together: a kernel without memcg; ino is "-"
 * there too, and a number (when given) with a memcg.
 */
static int vec_check(struct pcr_lru *l, const struct pcr_lvec *v)
{
	bool none = v->state == PCR_LSTATE_NONE;

	if (!v->memcg != none)
		return lru_error(l, -EINVAL,
				 "memcg and state: one is \"-\", not both");
	if (none && !v->ino.dash)
		return lru_error(l, -EINVAL, "ino= without a memcg");
	return 0;
}

/* Append @rec (@size bytes) to the array @arr of @n, @alloc entries. */
static int append(void *arr, size_t *n, size_t *alloc, const void *rec,
		  size_t size)
{
	void **a = arr;

	if (pcr_grow(a, alloc, *n, size))
		return -ENOMEM;
	memcpy((char *)*a + *n * size, rec, size);
	(*n)++;
	return 0;
}

static int record_line(struct pcr_lru *l, const char *line, size_t len)
{
	const char *sp = memchr(line, ' ', len);
	size_t wl = sp ? (size_t)(sp - line) : len;
	const char *rest = sp ? sp + 1 : line + len;
	size_t rlen = line + len - rest;
	union {
		struct pcr_lzone z;
		struct pcr_lruvec vec;
		struct pcr_lrugen lrugen;
		struct pcr_lgen gen;
	} r;
	struct pcr_lvec *v = NULL;
	int ret;

	memset(&r, 0, sizeof(r));
	if (pcr_is(line, wl, "zone")) {
		ret = pcr_kv_record(&l->parse, &r.z, rest, rlen, zone_keys, NULL);
		if (!ret)
			ret = append(&l->zone, &l->nzone, &l->azone, &r.z,
				     sizeof(r.z));
		return ret;
	}
	/* ino= may be absent (older modules): unknown, as "-" is */
	if (pcr_is(line, wl, "lruvec")) {
		v = &r.vec.v;
		v->ino.dash = true;
		ret = pcr_kv_record(&l->parse, &r.vec, rest, rlen, vec_keys,
				    lruvec_keys);
		if (!ret)
			ret = vec_check(l, v);
		if (!ret)
			ret = append(&l->vec, &l->nvec, &l->avec, &r.vec,
				     sizeof(r.vec));
	} else if (pcr_is(line, wl, "lrugen")) {
		v = &r.lrugen.v;
		v->ino.dash = true;
		ret = pcr_kv_record(&l->parse, &r.lrugen, rest, rlen, vec_keys,
				    lrugen_keys);
		if (!ret)
			ret = vec_check(l, v);
		if (!ret)
			ret = append(&l->lrugen, &l->nlrugen, &l->alrugen,
				     &r.lrugen, sizeof(r.lrugen));
	} else if (pcr_is(line, wl, "gen")) {
		v = &r.gen.v;
		v->ino.dash = true;
		ret = pcr_kv_record(&l->parse, &r.gen, rest, rlen, vec_keys,
				    gen_keys);
		if (!ret && r.gen.gen >= PCR_GENS)
			ret = lru_error(l, -EINVAL, "gen=%llu beyond 3",
					(unsigned long long)r.gen.gen);
		if (!ret && r.gen.seq.dash != r.gen.age.dash)
			ret = lru_error(l, -EINVAL,
					"seq and age: one is \"-\", not both");
		if (!ret)
			ret = vec_check(l, v);
		if (!ret)
			ret = append(&l->gen, &l->ngen, &l->agen, &r.gen,
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

/* "MAJ:MIN ino id pages" and the PCR_LRU_FCOLS counts, single blanks. */
static int file_line(struct pcr_lru *l, const char *line, size_t len)
{
	const char *p = line, *end = line + len, *sp;
	struct pcr_lfile f;
	size_t i;
	uint64_t *vals[4 + PCR_LRU_FCOLS];
	int ret;

	memset(&f, 0, sizeof(f));
	vals[0] = NULL;		/* dev */
	vals[1] = &f.ino;
	vals[2] = &f.id;
	vals[3] = &f.pages;
	for (i = 0; i < PCR_LRU_FCOLS; i++)
		vals[4 + i] = &f.cols[i];
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		if (p > end)
			return lru_error(l, -EINVAL, "%zu fields, not %zu", i,
					 ARRAY_SIZE(vals));
		sp = memchr(p, ' ', end - p);
		if (!sp)
			sp = end;
		if (!i)
			ret = pcr_parse_dev(p, sp - p, &f.major, &f.minor);
		else if (i == 2)
			ret = pcr_parse_id(p, sp - p, vals[i]);
		else
			ret = pcr_parse_u64(p, sp - p, vals[i]);
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
	return append(&l->file, &l->nfile, &l->afile, &f, sizeof(f));
}

static int walk_line(struct pcr_lru *l, const char *p, size_t len)
{
	int ret;

	if (l->walk.seen)
		return lru_error(l, -EINVAL, "a second walk line");
	ret = pcr_kv_record(&l->parse, &l->walk, p, len, walk_keys,
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
static int header_line(struct pcr_lru *l, const char *line, size_t len)
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
	if (!digits || pcr_parse_u64(num, digits, &v))
		return lru_error(l, -EINVAL, "bad format number in header");
	if (!pcr_format_known(v))
		return lru_error(l, -EPROTONOSUPPORT,
				 "unsupported %s format %llu (this pcinspect reads %s only: install a matching pcinspect)",
				 l->files ? "lru-files" : "lru",
				 (unsigned long long)v, PCR_FORMATS_STR);
	num += digits;
	if (l->files) {
		if (line + len - num != sizeof(PCR_LRU_FILES_COLUMNS) + 1 ||
		    memcmp(num, ": " PCR_LRU_FILES_COLUMNS,
			   sizeof(PCR_LRU_FILES_COLUMNS) + 1))
			return lru_error(l, -EINVAL,
					 "unknown columns in header (want: %s)",
					 PCR_LRU_FILES_COLUMNS);
	} else if (num != line + len) {
		return lru_error(l, -EINVAL, "trailing text in header");
	}
	l->parse.seen_header = true;
	return 0;
}

/*
 * One line without its newline. Before the header every error is fatal
 * (l->seen_header stays false); after it, an error means that line only.
 */
static int lru_line(struct pcr_parser *p, const char *line, size_t len)
{
	struct pcr_lru *l = LRU(p);

	if (!p->seen_header)
		return header_line(l, line, len);
	if (l->walk.seen)
		return lru_error(l, -EINVAL, "a line after the walk line");
	if (PCR_STARTS(line, len, "# walk "))
		return walk_line(l, line + 7, len - 7);
	if (PCR_STARTS(line, len, "# pcinspect "))
		return lru_error(l, -EINVAL, "a second header");
	if (len && line[0] == '#')
		return 0;	/* a comment this reader does not know */
	if (l->files)
		return file_line(l, line, len);
	return record_line(l, line, len);
}

static int lru_finish(struct pcr_parser *p)
{
	struct pcr_lru *l = LRU(p);

	if (!p->seen_header)
		return lru_error(l, -EINVAL, "empty output");
	if (!l->walk.seen)
		return lru_error(l, -EINVAL,
				 "no walk line at the end: the output is truncated");
	return 0;
}

int pcr_lru_parse(struct pcr_lru *l, const char *text, size_t len,
		  const char *name)
{
	l->parse.name = name;
	return pcr_parse_text(&l->parse, text, len);
}

int pcr_lru_read(struct pcr_lru *l, FILE *f, const char *name)
{
	l->parse.name = name;
	return pcr_parse_read(&l->parse, f);
}
