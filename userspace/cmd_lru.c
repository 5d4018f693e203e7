// SPDX-License-Identifier: GPL-2.0
/*
 * "pcinspect lru": the module's walk of every LRU list (the lru and
 * lru-files debugfs files, Documentation/ABI.md) as tables or JSON, in
 * four views of the same walk:
 *
 *   zone    per node, zone and list: walked beside the zone counters
 *   memcg   per lruvec (memcg and node), zone and list
 *   gen     MGLRU generations per lruvec, type and zone
 *   files   lru-files: the files with most pages on a list, named
 *
 * Nothing but the module walks the lists (/proc/zoneinfo and memory.stat
 * give the counters only), so without it this command refuses; it never
 * shows a counter as if it had been walked.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "source.h"

enum { VIEW_ZONE, VIEW_MEMCG, VIEW_GEN, VIEW_FILES, VIEW_NR };

static const char * const view_str[VIEW_NR] = {
	[VIEW_ZONE] = "zone",
	[VIEW_MEMCG] = "memcg",
	[VIEW_GEN] = "gen",
	[VIEW_FILES] = "files",
};

/* The views a column is in. */
enum {
	VZ = 1u << VIEW_ZONE,
	VM = 1u << VIEW_MEMCG,
	VG = 1u << VIEW_GEN,
	VF = 1u << VIEW_FILES,
};

enum {
	LC_NODE, LC_ZONE, LC_LIST, LC_FROM, LC_WALKED, LC_COUNTER, LC_DIFF,
	LC_ZONEINFO, LC_ID, LC_MEMCG, LC_STATE, LC_VIEW, LC_SEQ, LC_AGE,
	LC_GEN, LC_AGE_MS, LC_TYPE, LC_LISTED, LC_FLAGGED, LC_MAX_SEQ,
	LC_ENABLED, LC_DEV, LC_INO, LC_LRU,
	LC_LISTS,			/* INACTIVE_ANON .. UNEVICTABLE */
	LC_AGES = LC_LISTS + PCR_LRU_LISTS,	/* AGE0 .. AGE3 */
	LC_FS = LC_AGES + PCR_GENS, LC_NAME, LC_PATH, LC_CACHED,
	LC_NR
};

#define LC_PAGES	PCR_COL_PAGES
#define SHOW_STR	PCR_SHOW_STR
#define SHOW_NUM	PCR_SHOW_NUM
#define SHOW_AMOUNT	PCR_SHOW_SIZE

#define R	PCR_COL_RIGHT

static const struct pcr_col lcols[LC_NR] = {
	[LC_NODE] = { "NODE", NULL, 2, R, SHOW_NUM, VZ | VM | VG, "NUMA node" },
	[LC_ZONE] = { "ZONE", NULL, 6, 0, SHOW_STR, VZ | VM | VG,
		"memory zone (DMA, DMA32, Normal, Movable...)" },
	[LC_LIST] = { "LIST", NULL, 13, 0, SHOW_STR, VZ | VM,
		"inactive_anon, active_anon, inactive_file, active_file, unevictable" },
	[LC_FROM] = { "FROM", NULL, 6, 0, SHOW_STR, VZ,
		"where WALKED comes from: lists, or frames (the unevictable page-frame scan)" },
	[LC_WALKED] = { "WALKED", NULL, 6, R, SHOW_AMOUNT, VZ | VM,
		"found on the list by the walk (\"-\": unevictable is no list)" },
	[LC_COUNTER] = { "COUNTER", NULL, 6, R, SHOW_AMOUNT, VZ | VM | VG,
		"the kernel's counter (zone: with per-CPU deltas; memcg: lru_zone_size; gen: nr_pages)"
	},
	[LC_DIFF] = { "DIFF", NULL, 6, R, SHOW_AMOUNT, VZ | VM | VG,
		"WALKED (gen: FLAGGED) minus COUNTER: lists that changed during the walk" },
	[LC_ZONEINFO] = { "ZONEINFO", NULL, 6, R, SHOW_AMOUNT, VZ,
		"the counter without per-CPU deltas, as /proc/zoneinfo shows it" },
	[LC_ID] = { "ID", NULL, 3, R, SHOW_NUM, VM | VG,
		"the kernel's memcg id (0: memcg disabled, or a dying memcg's released id)" },
	[LC_MEMCG] = { "MEMCG", NULL, 0.2, 0, SHOW_STR, VM | VG,
		"cgroup path (\"-\": memcg disabled)" },
	[LC_STATE] = { "STATE", NULL, 6, 0, SHOW_STR, VM | VG,
		"online, or dying (removed, still holding pages)" },
	[LC_VIEW] = { "VIEW", NULL, 6, R, SHOW_AMOUNT, VM,
		"what memory.stat counts for the list (MGLRU pages by generation)" },
	[LC_SEQ] = { "SEQ", NULL, 3, R, SHOW_NUM, VG,
		"generation sequence number (\"-\": outside min_seq..max_seq)" },
	[LC_AGE] = { "AGE", NULL, 3, R, SHOW_NUM, VG,
		"max_seq - SEQ: 0 is the youngest" },
	[LC_GEN] = { "GEN", NULL, 3, R, SHOW_NUM, VG, "list index, SEQ % 4" },
	[LC_AGE_MS] = { "AGE_MS", NULL, 6, R, SHOW_NUM, VG,
		"milliseconds since the generation was created" },
	[LC_TYPE] = { "TYPE", NULL, 4, 0, SHOW_STR, VG, "anon or file" },
	[LC_LISTED] = { "LISTED", NULL, 6, R, SHOW_AMOUNT, VG,
		"on the generation's list" },
	[LC_FLAGGED] = { "FLAGGED", NULL, 6, R, SHOW_AMOUNT, VG,
		"whose folio flags name the generation (MGLRU moves folios lazily)" },
	[LC_MAX_SEQ] = { "MAX_SEQ", NULL, 3, R, SHOW_NUM, VG,
		"the lruvec's youngest sequence number" },
	[LC_ENABLED] = { "ENABLED", NULL, 3, R, SHOW_NUM, VG,
		"whether the lruvec's MGLRU lists are in use (1) or not (0)" },
	[LC_DEV] = { "DEV", NULL, 6, 0, SHOW_STR, VF,
		"major:minor of the filesystem; for bdev, of the device" },
	[LC_INO] = { "INO", NULL, 5, R, SHOW_NUM, VM | VG | VF,
		"inode number (memcg, gen: of the cgroup's directory, the memcg's unique key)" },
	[LC_LRU] = { "LRU", NULL, 6, R, SHOW_AMOUNT, VF, "on any LRU list" },
	[LC_LISTS + PCR_LRU_INACTIVE_ANON] = { "INACTIVE_ANON", NULL, 6, R,
		SHOW_AMOUNT, VF, "on the inactive anon list (tmpfs, shmem)" },
	[LC_LISTS + PCR_LRU_ACTIVE_ANON] = { "ACTIVE_ANON", NULL, 6, R, SHOW_AMOUNT,
		VF, "on the active anon list (tmpfs, shmem)" },
	[LC_LISTS + PCR_LRU_INACTIVE_FILE] = { "INACTIVE_FILE", NULL, 6, R,
		SHOW_AMOUNT, VF, "on the inactive file list" },
	[LC_LISTS + PCR_LRU_ACTIVE_FILE] = { "ACTIVE_FILE", NULL, 6, R, SHOW_AMOUNT,
		VF, "on the active file list" },
	[LC_LISTS + PCR_LRU_UNEVICTABLE] = { "UNEVICTABLE", NULL, 6, R, SHOW_AMOUNT,
		VF, "always 0 here: unevictable folios are on no list" },
	[LC_AGES + 0] = { "AGE0", NULL, 6, R, SHOW_AMOUNT, VF,
		"on the youngest MGLRU generation" },
	[LC_AGES + 1] = { "AGE1", NULL, 6, R, SHOW_AMOUNT, VF,
		"on the second youngest MGLRU generation" },
	[LC_AGES + 2] = { "AGE2", NULL, 6, R, SHOW_AMOUNT, VF,
		"on the third MGLRU generation" },
	[LC_AGES + 3] = { "AGE3", NULL, 6, R, SHOW_AMOUNT, VF,
		"on the oldest MGLRU generation" },
	[LC_FS] = { "FS", NULL, 5, 0, SHOW_STR, VF,
		"filesystem type, from the files listing" },
	[LC_NAME] = { "NAME", NULL, 5, 0, SHOW_STR, VF,
		"path, deleted, disconnected or none (as in pcinspect files)" },
	[LC_PATH] = { "PATH", NULL, 0.3, 0, SHOW_STR, VF,
		"full path, as pcinspect files shows it" },
	[LC_CACHED] = { "CACHED", NULL, 6, R, SHOW_AMOUNT, VF,
		"page cache of the inode, from the files listing" },
};

struct lopts {
	struct pcr_cli cli;
	struct pcr_colset cs;
	int view;
	int list;			/* --list: lru-files column to sort */
	size_t top;
	bool summary;
	const char *from, *listing, *mountinfo;
	uint64_t page_size;
	bool module;			/* the module's version was read */
};

void pcr_lru_usage(FILE *out)
{
	fputs(" pcinspect lru [options]\n"
	      "\n"
	      "Walk every LRU list (needs the pcinspect module) and show what is on\n"
	      "them beside the kernel's counters: per node, zone and list (default),\n"
	      "per memcg, per MGLRU generation, or per file.\n"
	      "\n"
	      "Options:\n"
	      "     --view VIEW         zone (default), memcg, gen or files\n"
	      " -m, --memcg             --view memcg\n"
	      " -g, --gen               --view gen\n"
	      " -f, --files             --view files: the files with most pages on\n"
	      "                         the lists, named through the files listing\n"
	      " -l, --list LIST         files: order by LIST: inactive_anon,\n"
	      "                         active_anon, inactive_file, active_file,\n"
	      "                         unevictable, age0..age3, or pages (default)\n"
	      " -t, --top N             files: only the first N (default 20, 0: all)\n"
	      "     --summary           also the walk: lock holds, restarts, lists\n"
	      "                         given up (incomplete), pages counted...\n"
	      "     --from FILE         a saved copy of the module's lru (with\n"
	      "                         --files: lru-files) output\n"
	      "     --listing FILE      files: names from a saved files listing\n"
	      "     --mountinfo FILE    files: resolve paths with FILE, not\n"
	      "                         /proc/self/mountinfo\n"
	      PCR_CLI_HELP, out);
}

static void lru_columns(FILE *out)
{
	fputs("Columns of pcinspect lru (-o; the views each is in):\n", out);
	pcr_columns_help(out, lcols, LC_NR, view_str, VIEW_NR);
	fputs("\nWALKED, COUNTER, DIFF, ZONEINFO, VIEW, LISTED, FLAGGED, LRU, CACHED and\n"
	      "the list and AGE columns are amounts: a size (bytes with -b and in\n"
	      "JSON); NAME_PAGES shows one in pages (WALKED_PAGES, DIFF_PAGES,\n"
	      "LRU_PAGES...). A signed DIFF is negative when the counter is ahead of\n"
	      "the lists. \"-\" (null in JSON): not known to the module.\n"
	      "With --files, a file the files listing does not hold (evicted in\n"
	      "between, or no listing) is shown as \"[MAJ:MIN] ino N\".\n", out);
}

/* Columns ---------------------------------------------------------------- */

static void columns_default(struct lopts *o)
{
	static const int zone[] = { LC_NODE, LC_ZONE, LC_LIST, LC_WALKED,
				    LC_COUNTER, LC_DIFF, LC_ZONEINFO,
				    LC_FROM };
	static const int memcg[] = { LC_MEMCG, LC_STATE, LC_NODE, LC_ZONE,
				     LC_LIST, LC_WALKED, LC_COUNTER, LC_DIFF,
				     LC_VIEW };
	static const int memcg_json[] = { LC_ID, LC_INO, LC_MEMCG, LC_STATE,
					  LC_NODE, LC_ZONE, LC_LIST, LC_WALKED,
					  LC_COUNTER, LC_DIFF, LC_VIEW };
	static const int gen[] = { LC_MEMCG, LC_NODE, LC_SEQ, LC_AGE,
				   LC_AGE_MS, LC_TYPE, LC_ZONE, LC_LISTED,
				   LC_FLAGGED, LC_COUNTER, LC_DIFF };
	static const int gen_json[] = { LC_ID, LC_INO, LC_MEMCG, LC_STATE,
					LC_NODE, LC_SEQ, LC_AGE, LC_GEN, LC_AGE_MS,
					LC_TYPE, LC_ZONE, LC_LISTED,
					LC_FLAGGED, LC_COUNTER, LC_DIFF };
	static const int files[] = {
		LC_LRU, LC_LISTS + PCR_LRU_ACTIVE_FILE,
		LC_LISTS + PCR_LRU_INACTIVE_FILE,
		LC_LISTS + PCR_LRU_ACTIVE_ANON,
		LC_LISTS + PCR_LRU_INACTIVE_ANON, LC_PATH };
	static const int files_json[] = {
		LC_DEV, LC_INO, LC_LRU, LC_LRU | LC_PAGES,
		LC_LISTS + PCR_LRU_INACTIVE_ANON,
		LC_LISTS + PCR_LRU_ACTIVE_ANON,
		LC_LISTS + PCR_LRU_INACTIVE_FILE,
		LC_LISTS + PCR_LRU_ACTIVE_FILE,
		LC_LISTS + PCR_LRU_UNEVICTABLE, LC_AGES, LC_AGES + 1,
		LC_AGES + 2, LC_AGES + 3, LC_FS, LC_NAME, LC_PATH };
	const int *def;
	bool js = o->cli.out.json;
	size_t n;

	switch (o->view) {
	case VIEW_MEMCG:
		def = js ? memcg_json : memcg;
		n = js ? ARRAY_SIZE(memcg_json) : ARRAY_SIZE(memcg);
		break;
	case VIEW_GEN:
		def = js ? gen_json : gen;
		n = js ? ARRAY_SIZE(gen_json) : ARRAY_SIZE(gen);
		break;
	case VIEW_FILES:
		def = js ? files_json : files;
		n = js ? ARRAY_SIZE(files_json) : ARRAY_SIZE(files);
		break;
	default:
		def = zone;
		n = ARRAY_SIZE(zone);
		break;
	}
	pcr_colset_init(&o->cs, lcols, LC_NR, 1u << o->view,
			view_str[o->view]);
	o->cs.pages_ok = true;
	pcr_colset_set(&o->cs, def, n);
	/* the list the files are ordered by is shown */
	if (o->view == VIEW_FILES && !o->cli.out.json &&
	    o->list != PCR_LRU_FCOLS && !pcr_colset_has(&o->cs, LC_LISTS + o->list)) {
		memmove(&o->cs.id[2], &o->cs.id[1],
			(n - 1) * sizeof(o->cs.id[0]));
		o->cs.id[1] = LC_LISTS + o->list;
		o->cs.n++;
	}
}

/*
 * Under MGLRU the classic lists are empty and the pages are on the
 * generations: the default --files table shows AGE0..AGE3 instead of
 * the four lists when the walk found more pages on generations.
 */
static void files_columns_by_kernel(struct lopts *o, const struct pcr_lru *l)
{
	uint64_t lists = 0, ages = 0;
	size_t i, c;

	if (o->view != VIEW_FILES || o->cli.out.json || o->cli.out.list ||
	    o->cli.out.all)
		return;
	for (i = 0; i < l->nfile; i++) {
		for (c = 0; c < PCR_LRU_LISTS; c++)
			lists += l->file[i].cols[c];
		for (c = 0; c < PCR_GENS; c++)
			ages += l->file[i].cols[PCR_LRU_LISTS + c];
	}
	if (ages <= lists)
		return;
	for (i = 0; i < o->cs.n; i++) {
		int id = o->cs.id[i];

		if (id >= LC_LISTS && id < LC_LISTS + PCR_LRU_LISTS &&
		    id != LC_LISTS + o->list) {
			memmove(&o->cs.id[i], &o->cs.id[i + 1],
				(o->cs.n - i - 1) * sizeof(o->cs.id[0]));
			o->cs.n--;
			i--;
		}
	}
	for (c = 0; c < PCR_GENS; c++)
		if (!pcr_colset_has(&o->cs, LC_AGES + c)) {
			memmove(&o->cs.id[1 + c + 1], &o->cs.id[1 + c],
				(o->cs.n - 1 - c) * sizeof(o->cs.id[0]));
			o->cs.id[1 + c] = LC_AGES + c;
			o->cs.n++;
		}
}

/* Cells ------------------------------------------------------------------ */

static struct pcr_lval count(uint64_t v)
{
	struct pcr_lval l = { .v = v };

	return l;
}

/* An amount: a size, bytes (-b, JSON) or pages (NAME_PAGES). */
static char *amount_str(const struct lopts *o, const struct pcr_lval *v,
			bool pages)
{
	char *size, *s;

	if (v->dash)
		return NULL;
	if (pages)
		return pcr_cell_signed(v->neg, v->v);
	size = pcr_cell_pages(&o->cli.out, v->v, o->page_size);
	if (!size || !v->neg)
		return size;
	if (asprintf(&s, "-%s", size) < 0)
		s = NULL;
	free(size);
	return s;
}

static char *num_str(const struct pcr_lval *v)
{
	return v->dash ? NULL : pcr_cell_signed(v->neg, v->v);
}

static char *vec_str(const struct pcr_lvec *v, int col, struct pcr_lval *num)
{
	switch (col) {
	case LC_ID:
		*num = count(v->id);
		return NULL;
	case LC_INO:
		*num = v->ino;
		return NULL;
	case LC_MEMCG:
		return v->memcg ? strdup(v->memcg) : NULL;
	case LC_STATE:
		return v->state == PCR_LSTATE_NONE ? NULL :
		       strdup(v->state == PCR_LSTATE_DYING ? "dying" : "online");
	case LC_NODE:
		*num = count(v->node);
		return NULL;
	}
	return NULL;
}

static const struct pcr_lrugen *find_lrugen(const struct pcr_lru *l,
					    const struct pcr_lvec *v)
{
	size_t i;

	for (i = 0; i < l->nlrugen; i++) {
		const struct pcr_lvec *g = &l->lrugen[i].v;

		/* by ino when known: dying memcgs may share id and path */
		if (!g->ino.dash && !v->ino.dash) {
			if (g->ino.v == v->ino.v && g->node == v->node)
				return &l->lrugen[i];
			continue;
		}
		if (g->id == v->id && g->node == v->node &&
		    !g->memcg == !v->memcg &&
		    (!g->memcg || !strcmp(g->memcg, v->memcg)))
			return &l->lrugen[i];
	}
	return NULL;
}

/*
 * The value of @col for record @rec of the view: a string (returned,
 * allocated) or a number (*num; *num stays "-" when not known).
 */
static char *record_value(const struct lopts *o, const struct pcr_lru *l,
			  const void *rec, int col, struct pcr_lval *num)
{
	const struct pcr_lzone *z = rec;
	const struct pcr_lruvec *vec = rec;
	const struct pcr_lgen *g = rec;
	const struct pcr_lfile *f = rec;
	const struct pcr_lrugen *lg;

	num->dash = true;
	switch (o->view) {
	case VIEW_ZONE:
		switch (col) {
		case LC_NODE:
			*num = count(z->node);
			return NULL;
		case LC_ZONE:
			return strdup(z->zone);
		case LC_LIST:
			return strdup(pcr_lru_list_str[z->list]);
		case LC_FROM:
			return strdup(z->from == PCR_LFROM_FRAMES ? "frames" :
				      "lists");
		case LC_WALKED:
			*num = z->walked;
			return NULL;
		case LC_COUNTER:
			*num = z->counter;
			return NULL;
		case LC_DIFF:
			*num = z->diff;
			return NULL;
		case LC_ZONEINFO:
			*num = z->zoneinfo;
			return NULL;
		}
		break;
	case VIEW_MEMCG:
		switch (col) {
		case LC_ZONE:
			return strdup(vec->zone);
		case LC_LIST:
			return strdup(pcr_lru_list_str[vec->list]);
		case LC_WALKED:
			*num = vec->walked;
			return NULL;
		case LC_COUNTER:
			*num = vec->counter;
			return NULL;
		case LC_DIFF:
			*num = vec->diff;
			return NULL;
		case LC_VIEW:
			*num = vec->view;
			return NULL;
		}
		return vec_str(&vec->v, col, num);
	case VIEW_GEN:
		switch (col) {
		case LC_SEQ:
			*num = g->seq;
			return NULL;
		case LC_AGE:
			*num = g->age;
			return NULL;
		case LC_GEN:
			*num = count(g->gen);
			return NULL;
		case LC_AGE_MS:
			*num = count(g->age_ms);
			return NULL;
		case LC_TYPE:
			return strdup(g->type == PCR_LTYPE_ANON ? "anon" : "file");
		case LC_ZONE:
			return strdup(g->zone);
		case LC_LISTED:
			*num = g->listed;
			return NULL;
		case LC_FLAGGED:
			*num = g->flagged;
			return NULL;
		case LC_COUNTER:
			*num = g->counter;
			return NULL;
		case LC_DIFF:
			*num = g->diff;
			return NULL;
		case LC_MAX_SEQ:
		case LC_ENABLED:
			lg = find_lrugen(l, &g->v);
			if (lg)
				*num = count(col == LC_MAX_SEQ ? lg->max_seq :
					     lg->enabled);
			return NULL;
		}
		return vec_str(&g->v, col, num);
	case VIEW_FILES:
		if (col >= LC_LISTS && col < LC_AGES + PCR_GENS) {
			*num = count(f->cols[col - LC_LISTS]);
			return NULL;
		}
		switch (col) {
		case LC_DEV: {
			char *s;

			return asprintf(&s, "%u:%u", f->major, f->minor) < 0 ?
			       NULL : s;
		}
		case LC_INO:
			*num = count(f->ino);
			return NULL;
		case LC_LRU:
			*num = count(f->pages);
			return NULL;
		case LC_FS:
			return f->name ? strdup(f->name->fs) : NULL;
		case LC_NAME:
			return f->name ? strdup(pcr_fname_str[f->name->name]) :
			       NULL;
		case LC_CACHED:
			if (f->name)
				*num = count(f->name->cached);
			return NULL;
		case LC_PATH: {
			char *s;

			if (f->name && f->name->path)
				return strdup(f->name->path);
			return asprintf(&s, "[%u:%u] ino %llu", f->major,
					f->minor,
					(unsigned long long)f->ino) < 0 ?
			       NULL : s;
		}
		}
		break;
	}
	return NULL;
}

struct lru_ctx {
	const struct lopts *o;
	const struct pcr_lru *l;
};

static char *cell(void *ctx, const void *rec, int id)
{
	const struct lru_ctx *c = ctx;
	int col = id & ~LC_PAGES;
	struct pcr_lval num;
	char *s = record_value(c->o, c->l, rec, col, &num);

	if (lcols[col].show == SHOW_STR)
		return s;
	free(s);
	if (lcols[col].show == SHOW_AMOUNT)
		return amount_str(c->o, &num, id & LC_PAGES);
	return num_str(&num);
}

static struct pcr_table *view_table(const struct lopts *o,
				    const struct pcr_lru *l)
{
	struct lru_ctx ctx = { o, l };
	struct pcr_table *tb;
	const void *recs;
	size_t i, n, size;

	switch (o->view) {
	case VIEW_MEMCG:
		recs = l->vec;
		n = l->nvec;
		size = sizeof(*l->vec);
		break;
	case VIEW_GEN:
		recs = l->gen;
		n = l->ngen;
		size = sizeof(*l->gen);
		break;
	case VIEW_FILES:
		recs = l->file;
		n = l->nfile;
		size = sizeof(*l->file);
		break;
	default:
		recs = l->zone;
		n = l->nzone;
		size = sizeof(*l->zone);
		break;
	}
	tb = pcr_table_new(&o->cli.out, view_str[o->view], &o->cs);
	for (i = 0; tb && i < n; i++) {
		if (pcr_table_add(tb, &o->cli.out, &o->cs, cell, &ctx,
				  (const char *)recs + i * size)) {
			pcr_unref_tables(&tb, 1);
			return NULL;
		}
	}
	return tb;
}

/* A duration for people: 950ns, 91.2us, 1.8ms, 2.31s. */
static char *duration(uint64_t ns)
{
	char *s;
	int ret;

	if (ns < 1000)
		ret = asprintf(&s, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		ret = asprintf(&s, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		ret = asprintf(&s, "%.1fms", ns / 1e6);
	else
		ret = asprintf(&s, "%.2fs", ns / 1e9);
	return ret < 0 ? NULL : s;
}

/*
 * The "# walk" footer as a table of one line (in JSON, an object). Times
 * are durations in tables (MAX_HOLD, HOLD, SCAN, WALK), nanoseconds in
 * JSON and with -b (MAX_HOLD_NS...).
 */
enum {
	W_LRUVECS, W_MEMCGS, W_DYING, W_VISITED, W_PAGES, W_COUNTED, W_CHUNKS,
	W_CHUNK, W_MAX_HOLD, W_HOLD, W_LOCK, W_RESTARTS, W_INCOMPLETE,
	W_DISPLACED, W_FRAMES, W_SCAN, W_WALK, W_FILES, W_UNTRACKED, W_ANON,
	W_NOFILE, W_TABLE, W_NR
};

#define W_FIRST_FILES	W_FILES

static const struct pcr_col walk_cols[W_NR] = {
	[W_LRUVECS] = { "LRUVECS", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_MEMCGS] = { "MEMCGS", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_DYING] = { "DYING", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_VISITED] = { "VISITED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_PAGES] = { "PAGES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_COUNTED] = { "COUNTED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_CHUNKS] = { "CHUNKS", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_CHUNK] = { "CHUNK", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_MAX_HOLD] = { "MAX_HOLD", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_HOLD] = { "HOLD", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	/* what the holds measured: irqoff, or sleeping (PREEMPT_RT) */
	[W_LOCK] = { "LOCK", NULL, 5, 0, PCR_SHOW_STR, 0, "" },
	[W_RESTARTS] = { "RESTARTS", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_INCOMPLETE] = { "INCOMPLETE", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_DISPLACED] = { "DISPLACED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_FRAMES] = { "FRAMES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_SCAN] = { "SCAN", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_WALK] = { "WALK", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_FILES] = { "FILES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_UNTRACKED] = { "UNTRACKED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_ANON] = { "ANON", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_NOFILE] = { "NOFILE", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	[W_TABLE] = { "TABLE", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
};

static bool is_time(int c)
{
	return c == W_MAX_HOLD || c == W_HOLD || c == W_SCAN || c == W_WALK;
}

static struct pcr_table *walk_table(const struct lopts *o,
				    const struct pcr_lru *l)
{
	const struct pcr_lwalk *w = &l->walk;
	const uint64_t vals[W_NR] = {
		w->lruvecs, w->memcgs, w->dying, w->visited, w->pages,
		w->counted, w->chunks, w->chunk, w->max_hold_ns, w->hold_ns, 0,
		w->restarts, w->incomplete, w->displaced, w->frames, w->scan_ns,
		w->walk_ns, w->files, w->untracked, w->anon, w->nofile, w->table,
	};
	bool ns = o->cli.out.json || o->cli.out.bytes;
	struct pcr_col tab[W_NR];
	char names[W_NR][24];
	char *v[W_NR];
	int ids[W_NR];
	struct pcr_colset cs;
	struct pcr_table *tb;
	size_t c, n = l->files ? W_NR : W_FIRST_FILES;

	for (c = 0; c < W_NR; c++) {
		tab[c] = walk_cols[c];
		snprintf(names[c], sizeof(names[c]), "%s%s", tab[c].name,
			 ns && is_time(c) ? "_NS" : "");
		tab[c].name = names[c];
		ids[c] = c;
	}
	pcr_colset_init(&cs, tab, W_NR, 0, NULL);
	pcr_colset_set(&cs, ids, n);
	tb = pcr_table_new(&o->cli.out, "walk", &cs);
	if (!tb)
		return NULL;
	for (c = 0; c < n; c++) {
		if (c == W_LOCK)
			v[c] = strdup(*w->lock ? w->lock : "-");
		else if (is_time(c) && !ns)
			v[c] = duration(vals[c]);
		else
			v[c] = pcr_cell_num(vals[c]);
	}
	if (pcr_table_add_cells(tb, &o->cli.out, v, n)) {
		pcr_unref_tables(&tb, 1);
		return NULL;
	}
	return tb;
}

static int print_all(const struct lopts *o, const struct pcr_lru *l)
{
	struct pcr_table *tbs[2] = { NULL };
	size_t n = o->summary ? 2 : 1, i;
	int ret = -ENOMEM;

	tbs[0] = view_table(o, l);
	if (o->summary)
		tbs[1] = walk_table(o, l);
	for (i = 0; i < n; i++)
		if (!tbs[i])
			goto out;
	ret = pcr_print_tables(tbs, n, &o->cli.out, false);
out:
	pcr_unref_tables(tbs, n);
	return ret;
}

/* Reading ---------------------------------------------------------------- */

/*
 * Name the files: from --listing, else from the module's listing when the
 * module is there. A saved walk joins with a live listing safely: the
 * inode's identity (id) must match too, and is this boot's only. Returns
 * 1 when names were wanted and could not be had.
 */
static int name_files(const struct lopts *o, struct pcr_lru *l,
		      struct pcr_listing *names, struct pcr_mounts *ms)
{
	/* a saved listing's paths resolve only through its own mountinfo */
	bool local = !o->listing || o->mountinfo;
	int status = 0, ret;

	if (!o->listing && !o->module) {
		fprintf(stderr,
			"pcinspect: no names: the module is not loaded and no --listing was given (files shown as [MAJ:MIN] ino N)\n");
		return 0;
	}
	if (pcr_listing_all(names, o->listing))
		return 1;	/* said by the source layer */
	if (names->parse.bad_lines)
		status = 1;
	if (local) {
		ret = pcr_load_mounts(ms, o->mountinfo);
		if (ret) {
			/* paths then show as [MAJ:MIN]/path, still correct */
			fprintf(stderr, "pcinspect: %s: %s\n",
				o->mountinfo ? o->mountinfo : "mountinfo",
				strerror(-ret));
			status = 1;
		}
	}
	ret = pcr_lru_files_names(l, names, ms, local);
	if (ret) {
		fprintf(stderr, "pcinspect: names: %s\n", strerror(-ret));
		status = 1;
	}
	return status;
}

/* Why the gen view is empty: the module cannot walk MGLRU, or it is off. */
static void gen_explain_none(const struct pcr_lru *l)
{
	size_t i, enabled = 0;

	for (i = 0; i < l->nlrugen; i++)
		enabled += l->lrugen[i].enabled != 0;
	if (!l->nlrugen)
		fprintf(stderr,
			"pcinspect: no MGLRU generation records in this walk: the module lacks the lru_gen_lists feature\n");
	else if (!enabled)
		fprintf(stderr,
			"pcinspect: no MGLRU generation records in this walk: MGLRU is off in all %zu lruvecs (/sys/kernel/mm/lru_gen/enabled)\n",
			l->nlrugen);
	else
		fprintf(stderr,
			"pcinspect: no MGLRU generation records in this walk: the lists of the %zu lruvecs using MGLRU are empty\n",
			enabled);
}

/* One walk, from reading to printing; returns the exit status. */
static int lru_once(void *ctx)
{
	struct lopts *o = ctx;
	struct pcr_listing names;
	struct pcr_mounts ms = { NULL, 0, 0 };
	struct pcr_lru l;
	int status = 0, ret;

	pcr_lru_init(&l, o->view == VIEW_FILES);
	pcr_listing_init(&names);
	if (pcr_module_lru(&l, o->from)) {
		pcr_lru_free(&l);
		return 1;
	}
	if (l.parse.bad_lines)
		status = 1;
	if (o->view == VIEW_FILES) {
		pcr_lru_files_sort(&l, o->list);
		pcr_lru_files_top(&l, o->top);
		status |= name_files(o, &l, &names, &ms);
		files_columns_by_kernel(o, &l);
	}
	if (o->view == VIEW_GEN && !l.ngen)
		gen_explain_none(&l);
	ret = print_all(o, &l);
	if (ret) {
		fprintf(stderr, "pcinspect: output: %s\n", strerror(-ret));
		status = 1;
	}
	fflush(stdout);
	/* after the output: what it shows is partial, and why */
	if (l.walk.incomplete)
		fprintf(stderr,
			"pcinspect: %llu list(s) given up after 8 restarts: their counts stop where the walk stopped\n",
			(unsigned long long)l.walk.incomplete);
	pcr_mounts_free(&ms);
	pcr_listing_free(&names);
	pcr_lru_free(&l);
	return status;
}

/* The module's version: its absence is this command's whole answer. */
static int check_module(struct lopts *o)
{
	struct pcr_version ver;
	char err[512];
	int ret;

	ret = pcr_module_version(&ver, err, sizeof(err));
	/* a saved copy needs no module; its names then need --listing */
	if (ret && o->from)
		return 0;
	if (ret == -ENOENT) {
		fprintf(stderr,
			"pcinspect: lru needs the pcinspect module (%s): no other kernel interface walks the LRU lists (/proc/zoneinfo and memory.stat have the counters only). Load pcinspect.ko (and mount debugfs), or read a saved copy with --from.\n",
			err);
		return 1;
	}
	if (ret) {
		fprintf(stderr, "pcinspect: %s\n", err);
		return 1;
	}
	o->module = true;
	/* a saved copy was taken here: this machine's page size */
	if (!o->from && ver.page_size)
		o->page_size = ver.page_size;
	return 0;
}

static int parse_list(const char *arg)
{
	int i = pcr_lru_list_by_name(arg, strlen(arg));

	if (i >= 0)
		return i;
	if (!strcmp(arg, "pages"))
		return PCR_LRU_FCOLS;
	if (!strncmp(arg, "age", 3) && arg[3] >= '0' &&
	    arg[3] < '0' + PCR_GENS && !arg[4])
		return PCR_LRU_LISTS + arg[3] - '0';
	pcr_usage_error("lru",
			"bad --list: %s (a list: inactive_anon... unevictable, age0..3, or pages)",
			arg);
}

enum {
	OPT_VIEW = PCR_OPT_FIRST_OWN,
	OPT_SUMMARY,
	OPT_FROM,
	OPT_LISTING,
	OPT_MOUNTINFO,
};

int pcr_cmd_lru(int argc, char **argv)
{
	static const struct option own[] = {
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "memcg", no_argument, NULL, 'm' },
		{ "gen", no_argument, NULL, 'g' },
		{ "files", no_argument, NULL, 'f' },
		{ "list", required_argument, NULL, 'l' },
		{ "top", required_argument, NULL, 't' },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "listing", required_argument, NULL, OPT_LISTING },
		{ "mountinfo", required_argument, NULL, OPT_MOUNTINFO },
		{ NULL, 0, NULL, 0 },
	};
	struct option *opts;
	struct lopts o = { .cli = { .cmd = "lru" }, .view = -1, .list = -1,
			   .top = 20 };
	bool top_set = false;
	uint64_t v;
	int c, view;
	size_t i;

	opts = pcr_cli_longopts(own);
	opterr = 0;
	while ((c = getopt_long(argc, argv, PCR_CLI_SHORTOPTS "mgfl:t:",
				opts, NULL)) != -1) {
		if (pcr_cli_opt(&o.cli, c, optarg))
			continue;
		view = -1;
		switch (c) {
		case OPT_VIEW:
			for (i = 0; i < VIEW_NR; i++)
				if (!strcmp(optarg, view_str[i]))
					view = i;
			if (view < 0)
				pcr_usage_error("lru",
						"bad --view: %s (zone, memcg, gen or files)",
						optarg);
			break;
		case 'm':
			view = VIEW_MEMCG;
			break;
		case 'g':
			view = VIEW_GEN;
			break;
		case 'f':
			view = VIEW_FILES;
			break;
		case 'l':
			o.list = parse_list(optarg);
			break;
		case 't':
			v = pcr_number_arg("lru", "--top", optarg);
			if (v > SIZE_MAX / 2)
				pcr_usage_error("lru", "bad --top: %s", optarg);
			o.top = v;	/* 0: all */
			top_set = true;
			break;
		case 'h':
			fputs("Usage:\n", stdout);
			pcr_lru_usage(stdout);
			exit(0);
		case 'H':
			lru_columns(stdout);
			exit(0);
		case OPT_SUMMARY:
			o.summary = true;
			break;
		case OPT_FROM:
			o.from = optarg;
			break;
		case OPT_LISTING:
			o.listing = optarg;
			break;
		case OPT_MOUNTINFO:
			o.mountinfo = optarg;
			break;
		default:
			pcr_usage_error("lru", "bad option: %s",
					pcr_bad_option(argv));
		}
		/* one view: --memcg --gen is a mistake, not the last one */
		if (view >= 0 && o.view >= 0 && o.view != view)
			pcr_usage_error("lru", "%s: one view at a time",
					pcr_bad_option(argv));
		if (view >= 0)
			o.view = view;
	}
	free(opts);
	if (optind < argc)
		pcr_usage_error("lru", "lru takes no operands: %s", argv[optind]);
	if (o.view < 0)
		o.view = VIEW_ZONE;
	pcr_cli_check(&o.cli);
	if (o.view != VIEW_FILES && (o.list >= 0 || top_set || o.listing ||
				     o.mountinfo))
		pcr_usage_error("lru",
				"--list, --top, --listing and --mountinfo go with --files");
	if (o.list < 0)
		o.list = PCR_LRU_FCOLS;	/* all pages on lists */
	columns_default(&o);
	if (pcr_colset_apply(&o.cs, &o.cli.out))
		return EXIT_USAGE;

	o.page_size = sysconf(_SC_PAGESIZE);
	if (check_module(&o))
		return 1;
	return pcr_watch_loop(&o.cli, lru_once, &o);
}
