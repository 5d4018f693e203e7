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

#include <libsmartcols.h>

#include "lru.h"

#define EXIT_USAGE	2

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
	LC_AGES = LC_LISTS + PCI_LRU_LISTS,	/* AGE0 .. AGE3 */
	LC_FS = LC_AGES + PCI_GENS, LC_NAME, LC_PATH, LC_CACHED,
	LC_NR
};

/* -o NAME_PAGES: an amount column in pages rather than as a size */
#define LC_PAGES	0x100

enum { SHOW_STR, SHOW_NUM, SHOW_AMOUNT };

struct lcol {
	const char *name;
	double whint;
	int flags;
	int show;
	unsigned int views;
	const char *help;
};

#define R	SCOLS_FL_RIGHT

static const struct lcol lcols[LC_NR] = {
	[LC_NODE] = { "NODE", 2, R, SHOW_NUM, VZ | VM | VG, "NUMA node" },
	[LC_ZONE] = { "ZONE", 6, 0, SHOW_STR, VZ | VM | VG,
		"memory zone (DMA, DMA32, Normal, Movable...)" },
	[LC_LIST] = { "LIST", 13, 0, SHOW_STR, VZ | VM,
		"inactive_anon, active_anon, inactive_file, active_file, unevictable" },
	[LC_FROM] = { "FROM", 6, 0, SHOW_STR, VZ,
		"where WALKED comes from: lists, or frames (the unevictable page-frame scan)" },
	[LC_WALKED] = { "WALKED", 6, R, SHOW_AMOUNT, VZ | VM,
		"found on the list by the walk (\"-\": unevictable is no list)" },
	[LC_COUNTER] = { "COUNTER", 6, R, SHOW_AMOUNT, VZ | VM | VG,
		"the kernel's counter (zone: with per-CPU deltas; memcg: lru_zone_size; gen: nr_pages)"
	},
	[LC_DIFF] = { "DIFF", 6, R, SHOW_AMOUNT, VZ | VM | VG,
		"WALKED (gen: FLAGGED) minus COUNTER: lists that changed during the walk" },
	[LC_ZONEINFO] = { "ZONEINFO", 6, R, SHOW_AMOUNT, VZ,
		"the counter without per-CPU deltas, as /proc/zoneinfo shows it" },
	[LC_ID] = { "ID", 3, R, SHOW_NUM, VM | VG,
		"the kernel's memcg id (0: memcg disabled, or a dying memcg's released id)" },
	[LC_MEMCG] = { "MEMCG", 0.2, 0, SHOW_STR, VM | VG,
		"cgroup path (\"-\": memcg disabled)" },
	[LC_STATE] = { "STATE", 6, 0, SHOW_STR, VM | VG,
		"online, or dying (removed, still holding pages)" },
	[LC_VIEW] = { "VIEW", 6, R, SHOW_AMOUNT, VM,
		"what memory.stat counts for the list (MGLRU pages by generation)" },
	[LC_SEQ] = { "SEQ", 3, R, SHOW_NUM, VG,
		"generation sequence number (\"-\": outside min_seq..max_seq)" },
	[LC_AGE] = { "AGE", 3, R, SHOW_NUM, VG,
		"max_seq - SEQ: 0 is the youngest" },
	[LC_GEN] = { "GEN", 3, R, SHOW_NUM, VG, "list index, SEQ % 4" },
	[LC_AGE_MS] = { "AGE_MS", 6, R, SHOW_NUM, VG,
		"milliseconds since the generation was created" },
	[LC_TYPE] = { "TYPE", 4, 0, SHOW_STR, VG, "anon or file" },
	[LC_LISTED] = { "LISTED", 6, R, SHOW_AMOUNT, VG,
		"on the generation's list" },
	[LC_FLAGGED] = { "FLAGGED", 6, R, SHOW_AMOUNT, VG,
		"whose folio flags name the generation (MGLRU moves folios lazily)" },
	[LC_MAX_SEQ] = { "MAX_SEQ", 3, R, SHOW_NUM, VG,
		"the lruvec's youngest sequence number" },
	[LC_ENABLED] = { "ENABLED", 3, R, SHOW_NUM, VG,
		"whether the lruvec's MGLRU lists are in use (1) or not (0)" },
	[LC_DEV] = { "DEV", 6, 0, SHOW_STR, VF,
		"major:minor of the filesystem; for bdev, of the device" },
	[LC_INO] = { "INO", 5, R, SHOW_NUM, VM | VG | VF,
		"inode number (memcg, gen: of the cgroup's directory, the memcg's unique key)" },
	[LC_LRU] = { "LRU", 6, R, SHOW_AMOUNT, VF, "on any LRU list" },
	[LC_LISTS + PCI_LRU_INACTIVE_ANON] = { "INACTIVE_ANON", 6, R,
		SHOW_AMOUNT, VF, "on the inactive anon list (tmpfs, shmem)" },
	[LC_LISTS + PCI_LRU_ACTIVE_ANON] = { "ACTIVE_ANON", 6, R, SHOW_AMOUNT,
		VF, "on the active anon list (tmpfs, shmem)" },
	[LC_LISTS + PCI_LRU_INACTIVE_FILE] = { "INACTIVE_FILE", 6, R,
		SHOW_AMOUNT, VF, "on the inactive file list" },
	[LC_LISTS + PCI_LRU_ACTIVE_FILE] = { "ACTIVE_FILE", 6, R, SHOW_AMOUNT,
		VF, "on the active file list" },
	[LC_LISTS + PCI_LRU_UNEVICTABLE] = { "UNEVICTABLE", 6, R, SHOW_AMOUNT,
		VF, "always 0 here: unevictable folios are on no list" },
	[LC_AGES + 0] = { "AGE0", 6, R, SHOW_AMOUNT, VF,
		"on the youngest MGLRU generation" },
	[LC_AGES + 1] = { "AGE1", 6, R, SHOW_AMOUNT, VF,
		"on the second youngest MGLRU generation" },
	[LC_AGES + 2] = { "AGE2", 6, R, SHOW_AMOUNT, VF,
		"on the third MGLRU generation" },
	[LC_AGES + 3] = { "AGE3", 6, R, SHOW_AMOUNT, VF,
		"on the oldest MGLRU generation" },
	[LC_FS] = { "FS", 5, 0, SHOW_STR, VF,
		"filesystem type, from the files listing" },
	[LC_NAME] = { "NAME", 5, 0, SHOW_STR, VF,
		"path, deleted, disconnected or none (as in pcinspect files)" },
	[LC_PATH] = { "PATH", 0.3, SCOLS_FL_NOEXTREMES, SHOW_STR, VF,
		"full path, as pcinspect files shows it" },
	[LC_CACHED] = { "CACHED", 6, R, SHOW_AMOUNT, VF,
		"page cache of the inode, from the files listing" },
};

struct lopts {
	int view;
	int list;			/* --list: lru-files column to sort */
	size_t top;
	bool summary;
	double watch;
	unsigned long count;
	const char *from, *listing, *mountinfo;
	int cols[2 * LC_NR];
	size_t ncols;
	bool json, raw, bytes, noheadings;
	uint64_t page_size;
	bool module;			/* the module's version was read */
	const char *stamp;		/* the time of this --watch walk, or NULL */
};

void pci_lru_usage(FILE *out)
{
	size_t i, v;
	bool first;

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
	      "     --summary           also the walk: lock holds (max_hold_ns),\n"
	      "                         restarts, lists given up (incomplete)...\n"
	      " -o, --output LIST       columns to show (+LIST adds to the defaults)\n"
	      " -J, --json              JSON output\n"
	      " -r, --raw               raw output\n"
	      " -b, --bytes             sizes in bytes, not human-readable\n"
	      " -n, --noheadings        no headings\n"
	      "     --watch SECONDS     walk again every SECONDS\n"
	      "     --count N           stop after N walks (with --watch)\n"
	      "     --from FILE         a saved copy of the module's lru (with\n"
	      "                         --files: lru-files) output\n"
	      "     --listing FILE      files: names from a saved files listing\n"
	      "     --mountinfo FILE    files: resolve paths with FILE, not\n"
	      "                         /proc/self/mountinfo\n"
	      " -h, --help              this help\n"
	      "\nAvailable output columns for lru (views in brackets):\n", out);
	for (i = 0; i < LC_NR; i++) {
		fprintf(out, " %16s  %s%s [", lcols[i].name, lcols[i].help,
			lcols[i].show == SHOW_AMOUNT ? " *" : "");
		for (v = 0, first = true; v < VIEW_NR; v++) {
			if (!(lcols[i].views & 1u << v))
				continue;
			fprintf(out, "%s%s", first ? "" : ",", view_str[v]);
			first = false;
		}
		fputs("]\n", out);
	}
	fputs("\n* an amount: a size (bytes with -b and in JSON); NAME_PAGES shows it\n"
	      "  in pages (WALKED_PAGES, DIFF_PAGES, LRU_PAGES...). A signed DIFF is\n"
	      "  negative when the counter is ahead of the lists. \"-\" (null in\n"
	      "  JSON): not known to the module.\n"
	      "With --files, a file the files listing does not hold (evicted in\n"
	      "between, or no listing) is shown as \"[MAJ:MIN] ino N\".\n", out);
}

static void bad_usage(const char *fmt, const char *arg)
{
	fputs("pcinspect: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'pcinspect lru --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

static uint64_t number_arg(const char *opt, const char *arg)
{
	uint64_t v;

	if (pci_parse_u64(arg, strlen(arg), &v))
		bad_usage(opt, arg);
	return v;
}

/* Columns ---------------------------------------------------------------- */

static int column_by_name(const char *name, size_t len)
{
	static const char suffix[] = "_PAGES";
	size_t sl = sizeof(suffix) - 1, i;
	int pages = 0;

	for (i = 0; i < LC_NR; i++)
		if (strlen(lcols[i].name) == len &&
		    !strncasecmp(lcols[i].name, name, len))
			return i;
	if (len > sl && !strncasecmp(name + len - sl, suffix, sl)) {
		len -= sl;
		pages = LC_PAGES;
		for (i = 0; i < LC_NR; i++)
			if (lcols[i].show == SHOW_AMOUNT &&
			    strlen(lcols[i].name) == len &&
			    !strncasecmp(lcols[i].name, name, len))
				return i | pages;
	}
	return -1;
}

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
		LC_LRU, LC_LISTS + PCI_LRU_ACTIVE_FILE,
		LC_LISTS + PCI_LRU_INACTIVE_FILE,
		LC_LISTS + PCI_LRU_ACTIVE_ANON,
		LC_LISTS + PCI_LRU_INACTIVE_ANON, LC_PATH };
	static const int files_json[] = {
		LC_DEV, LC_INO, LC_LRU, LC_LRU | LC_PAGES,
		LC_LISTS + PCI_LRU_INACTIVE_ANON,
		LC_LISTS + PCI_LRU_ACTIVE_ANON,
		LC_LISTS + PCI_LRU_INACTIVE_FILE,
		LC_LISTS + PCI_LRU_ACTIVE_FILE,
		LC_LISTS + PCI_LRU_UNEVICTABLE, LC_AGES, LC_AGES + 1,
		LC_AGES + 2, LC_AGES + 3, LC_FS, LC_NAME, LC_PATH };
	const int *def;
	size_t n, i;

	switch (o->view) {
	case VIEW_MEMCG:
		def = o->json ? memcg_json : memcg;
		n = o->json ? ARRAY_SIZE(memcg_json) : ARRAY_SIZE(memcg);
		break;
	case VIEW_GEN:
		def = o->json ? gen_json : gen;
		n = o->json ? ARRAY_SIZE(gen_json) : ARRAY_SIZE(gen);
		break;
	case VIEW_FILES:
		def = o->json ? files_json : files;
		n = o->json ? ARRAY_SIZE(files_json) : ARRAY_SIZE(files);
		break;
	default:
		def = zone;
		n = ARRAY_SIZE(zone);
		break;
	}
	for (i = 0; i < n; i++)
		o->cols[i] = def[i];
	o->ncols = n;
	/* the list the files are ordered by is shown */
	if (o->view == VIEW_FILES && !o->json && o->list != PCI_LRU_FCOLS) {
		for (i = 0; i < n && o->cols[i] != LC_LISTS + o->list; i++)
			;
		if (i == n) {
			memmove(&o->cols[2], &o->cols[1],
				(n - 1) * sizeof(o->cols[0]));
			o->cols[1] = LC_LISTS + o->list;
			o->ncols++;
		}
	}
}

static void columns_parse(struct lopts *o, const char *list)
{
	bool add = *list == '+';
	const char *p, *end;
	size_t i;
	int id;

	if (add)
		list++;
	else
		o->ncols = 0;
	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		id = column_by_name(p, end - p);
		if (id < 0) {
			fprintf(stderr, "pcinspect: unknown column: %.*s\n",
				(int)(end - p), p);
			exit(EXIT_USAGE);
		}
		if (!(lcols[id & ~LC_PAGES].views & 1u << o->view)) {
			fprintf(stderr,
				"pcinspect: column %.*s is not in the %s view\n",
				(int)(end - p), p, view_str[o->view]);
			exit(EXIT_USAGE);
		}
		for (i = 0; i < o->ncols; i++)
			if (o->cols[i] == id)
				break;
		if (i < o->ncols)
			continue;	/* each column once */
		if (o->ncols == ARRAY_SIZE(o->cols))
			bad_usage("%s", "too many columns");
		o->cols[o->ncols++] = id;
	}
	if (!o->ncols)
		bad_usage("%s", "no columns");
}

/* Cells ------------------------------------------------------------------ */

static struct pci_lval count(uint64_t v)
{
	struct pci_lval l = { .v = v };

	return l;
}

/* An amount: a size, bytes (-b, JSON) or pages (NAME_PAGES). */
static char *amount_str(const struct lopts *o, const struct pci_lval *v,
			bool pages)
{
	unsigned __int128 b = (unsigned __int128)v->v * o->page_size;
	const char *sign = v->neg ? "-" : "";
	char buf[48];
	char *s;

	if (v->dash)
		return NULL;
	if (pages)
		return asprintf(&s, "%s%llu", sign,
				(unsigned long long)v->v) < 0 ? NULL : s;
	if (b > UINT64_MAX)
		b = UINT64_MAX;
	if (o->bytes || o->json)
		return asprintf(&s, "%s%llu", sign,
				(unsigned long long)b) < 0 ? NULL : s;
	pci_human_size((uint64_t)b, buf, sizeof(buf));
	return asprintf(&s, "%s%s", sign, buf) < 0 ? NULL : s;
}

static char *num_str(const struct pci_lval *v)
{
	char *s;

	if (v->dash)
		return NULL;
	return asprintf(&s, "%s%llu", v->neg ? "-" : "",
			(unsigned long long)v->v) < 0 ? NULL : s;
}

static char *vec_str(const struct pci_lvec *v, int col, struct pci_lval *num)
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
		return v->state == PCI_LSTATE_NONE ? NULL :
		       strdup(v->state == PCI_LSTATE_DYING ? "dying" : "online");
	case LC_NODE:
		*num = count(v->node);
		return NULL;
	}
	return NULL;
}

static const struct pci_lrugen *find_lrugen(const struct pci_lru *l,
					    const struct pci_lvec *v)
{
	size_t i;

	for (i = 0; i < l->nlrugen; i++) {
		const struct pci_lvec *g = &l->lrugen[i].v;

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
static char *record_value(const struct lopts *o, const struct pci_lru *l,
			  const void *rec, int col, struct pci_lval *num)
{
	const struct pci_lzone *z = rec;
	const struct pci_lruvec *vec = rec;
	const struct pci_lgen *g = rec;
	const struct pci_lfile *f = rec;
	const struct pci_lrugen *lg;

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
			return strdup(pci_lru_list_str[z->list]);
		case LC_FROM:
			return strdup(z->from);
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
			return strdup(pci_lru_list_str[vec->list]);
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
			return strdup(g->type == PCI_LTYPE_ANON ? "anon" : "file");
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
		if (col >= LC_LISTS && col < LC_AGES + PCI_GENS) {
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
			return f->name ? strdup(pci_fname_str[f->name->name]) :
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

static char *cell(const struct lopts *o, const struct pci_lru *l,
		  const void *rec, int id)
{
	int col = id & ~LC_PAGES;
	struct pci_lval num;
	char *s = record_value(o, l, rec, col, &num);

	if (lcols[col].show == SHOW_STR)
		return s;
	free(s);
	if (lcols[col].show == SHOW_AMOUNT)
		return amount_str(o, &num, id & LC_PAGES);
	return num_str(&num);
}

static char *column_name(int id)
{
	char *s;

	if (!(id & LC_PAGES))
		return strdup(lcols[id].name);
	return asprintf(&s, "%s_PAGES", lcols[id & ~LC_PAGES].name) < 0 ?
	       NULL : s;
}

static int add_line(const struct lopts *o, const struct pci_lru *l,
		    struct libscols_table *tb, const void *rec)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	size_t c;

	if (!ln)
		return -ENOMEM;
	for (c = 0; c < o->ncols; c++) {
		char *s = cell(o, l, rec, o->cols[c]);

		/* not known: "-" in tables, null in JSON */
		if (!s && !o->json)
			s = strdup("-");
		if (s && scols_line_refer_data(ln, c, s)) {
			free(s);
			return -ENOMEM;
		}
	}
	return 0;
}

static struct libscols_table *view_table(const struct lopts *o,
					 const struct pci_lru *l)
{
	struct libscols_table *tb;
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
	tb = pci_new_table(view_str[o->view], o->json, o->raw, o->noheadings);
	if (!tb)
		return NULL;
	for (i = 0; i < o->ncols; i++) {
		int id = o->cols[i];
		const struct lcol *ci = &lcols[id & ~LC_PAGES];
		char *name = column_name(id);
		struct libscols_column *cl;

		cl = name ? pci_add_column(tb, name, ci->whint, ci->flags,
					   ci->show == SHOW_STR ?
					   SCOLS_JSON_STRING :
					   SCOLS_JSON_NUMBER, o->json) : NULL;
		free(name);
		if (!cl)
			goto err;
	}
	for (i = 0; i < n; i++)
		if (add_line(o, l, tb, (const char *)recs + i * size))
			goto err;
	return tb;
err:
	scols_unref_table(tb);
	return NULL;
}

/* The "# walk" footer as a table of one line. */
static struct libscols_table *walk_table(const struct lopts *o,
					 const struct pci_lru *l)
{
	const struct pci_lwalk *w = &l->walk;
	static const char * const names[] = { "LRUVECS", "MEMCGS", "DYING",
		"VISITED", "PAGES", "CHUNKS", "CHUNK", "MAX_HOLD_NS",
		"RESTARTS", "INCOMPLETE", "DISPLACED", "FRAMES", "WALK_NS",
		"FILES", "UNTRACKED", "ANON", "NOFILE" };
	const uint64_t vals[] = { w->lruvecs, w->memcgs, w->dying, w->visited,
		w->pages, w->chunks, w->chunk, w->max_hold_ns, w->restarts,
		w->incomplete, w->displaced, w->frames, w->walk_ns, w->files,
		w->untracked, w->anon, w->nofile };
	size_t c, n = l->files ? ARRAY_SIZE(names) : ARRAY_SIZE(names) - 4;
	struct libscols_table *tb;
	struct libscols_line *ln;
	char *s;

	tb = pci_new_table("walk", o->json, o->raw, o->noheadings);
	if (!tb)
		return NULL;
	for (c = 0; c < n; c++)
		if (!pci_add_column(tb, names[c], 5, R, SCOLS_JSON_NUMBER,
				    o->json))
			goto err;
	/* What MAX_HOLD_NS measured: irqoff, or sleeping (PREEMPT_RT). */
	if (!pci_add_column(tb, "LOCK", 5, 0, SCOLS_JSON_STRING, o->json))
		goto err;
	ln = scols_table_new_line(tb, NULL);
	if (!ln)
		goto err;
	for (c = 0; c < n; c++) {
		if (asprintf(&s, "%llu", (unsigned long long)vals[c]) < 0)
			goto err;
		if (scols_line_refer_data(ln, c, s)) {
			free(s);
			goto err;
		}
	}
	if (scols_line_set_data(ln, n, *w->lock ? w->lock : "-"))
		goto err;
	return tb;
err:
	scols_unref_table(tb);
	return NULL;
}

static int print_all(const struct lopts *o, const struct pci_lru *l)
{
	struct libscols_table *tbs[2] = { NULL };
	size_t n = o->summary ? 2 : 1, i;
	int ret = -ENOMEM;

	tbs[0] = view_table(o, l);
	if (o->summary)
		tbs[1] = walk_table(o, l);
	for (i = 0; i < n; i++)
		if (!tbs[i])
			goto out;
	ret = pci_print_tables(tbs, n, o->json, o->stamp, false);
out:
	for (i = 0; i < n; i++)
		scols_unref_table(tbs[i]);
	return ret;
}

/* Reading ---------------------------------------------------------------- */

static const char *debugfs_file(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("PCINSPECT_DEBUGFS");

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : PCI_DEBUGFS, name);
	return buf;
}

/* One walk (one open of lru or lru-files), or a saved copy. */
static int fetch(const struct lopts *o, struct pci_lru *l)
{
	const char *base = o->view == VIEW_FILES ? "lru-files" : "lru";
	char file[PATH_MAX];
	const char *name;
	FILE *f;
	int ret;

	name = o->from ? o->from : debugfs_file(base, file, sizeof(file));
	f = fopen(name, "re");
	if (!f) {
		ret = -errno;
		if (!o->from && errno == ENOENT)
			fprintf(stderr,
				"pcinspect: %s: no such file: the loaded pcinspect module has no LRU walk (an older module?): load a matching pcinspect.ko\n",
				name);
		else
			fprintf(stderr, "pcinspect: %s: %s\n", name,
				strerror(errno));
		return ret;
	}
	ret = pci_lru_read(l, f, name);
	/* an interrupted walk (EINTR) or a parse error: said once here */
	if (ret && ret != -ENOMEM && (l->error || !l->seen_header))
		fprintf(stderr, "pcinspect: %s: %s\n", name,
			l->error ? l->error : strerror(-ret));
	else if (ret)
		fprintf(stderr, "pcinspect: %s: %s\n", name, strerror(-ret));
	fclose(f);
	return ret;
}

static const char *sysfs_root(void)
{
	const char *s = getenv("PCINSPECT_SYSFS");

	return s && *s ? s : "/sys";
}

/*
 * Name the files: from --listing, else from the module's listing when the
 * module is there. Returns 1 when names were wanted and could not be had.
 */
static int name_files(const struct lopts *o, struct pci_lru *l,
		      struct pci_listing *names, struct pci_mounts *ms)
{
	const char *mi = o->mountinfo ? o->mountinfo : "/proc/self/mountinfo";
	int status = 0, ret;

	if (!o->listing && !o->module) {
		fprintf(stderr,
			"pcinspect: no names: the module is not loaded and no --listing was given (files shown as [MAJ:MIN] ino N)\n");
		return 0;
	}
	if (pci_files_fetch(names, o->listing))
		return 1;	/* said by pci_files_fetch */
	if (names->bad_lines)
		status = 1;
	ret = pci_mounts_load(ms, mi);
	if (ret) {
		/* paths then show as [MAJ:MIN]/path, still correct */
		fprintf(stderr, "pcinspect: %s: %s\n", mi, strerror(-ret));
		status = 1;
	}
	ret = pci_lru_files_names(l, names, ms, sysfs_root());
	if (ret) {
		fprintf(stderr, "pcinspect: names: %s\n", strerror(-ret));
		status = 1;
	}
	return status;
}

/* Why the gen view is empty: the module cannot walk MGLRU, or it is off. */
static void gen_explain_none(const struct pci_lru *l)
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
static int lru_once(const struct lopts *o)
{
	struct pci_listing names;
	struct pci_mounts ms = { NULL };
	struct pci_lru l;
	int status = 0, ret;

	pci_lru_init(&l, o->view == VIEW_FILES);
	pci_listing_init(&names);
	if (fetch(o, &l)) {
		pci_lru_free(&l);
		return 1;
	}
	if (l.bad_lines)
		status = 1;
	if (o->view == VIEW_FILES) {
		pci_lru_files_sort(&l, o->list);
		pci_lru_files_top(&l, o->top);
		status |= name_files(o, &l, &names, &ms);
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
	pci_mounts_free(&ms);
	pci_listing_free(&names);
	pci_lru_free(&l);
	return status;
}

/* The module's version: its absence is this command's whole answer. */
static int check_module(struct lopts *o)
{
	struct pci_version ver;
	char err[512];
	int ret;

	ret = pci_module_version(&ver, err, sizeof(err));
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

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int parse_list(const char *arg)
{
	int i = pci_lru_list_by_name(arg, strlen(arg));

	if (i >= 0)
		return i;
	if (!strcmp(arg, "pages"))
		return PCI_LRU_FCOLS;
	if (!strncmp(arg, "age", 3) && arg[3] >= '0' &&
	    arg[3] < '0' + PCI_GENS && !arg[4])
		return PCI_LRU_LISTS + arg[3] - '0';
	bad_usage("bad --list: %s (a list: inactive_anon... unevictable, age0..3, or pages)",
		  arg);
	return -1;
}

enum {
	OPT_VIEW = 0x100,
	OPT_SUMMARY,
	OPT_WATCH,
	OPT_COUNT,
	OPT_FROM,
	OPT_LISTING,
	OPT_MOUNTINFO,
};

int pci_cmd_lru(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "memcg", no_argument, NULL, 'm' },
		{ "gen", no_argument, NULL, 'g' },
		{ "files", no_argument, NULL, 'f' },
		{ "list", required_argument, NULL, 'l' },
		{ "top", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "listing", required_argument, NULL, OPT_LISTING },
		{ "mountinfo", required_argument, NULL, OPT_MOUNTINFO },
		{ NULL, 0, NULL, 0 },
	};
	struct lopts o = { .view = -1, .list = -1, .top = 20 };
	const char *outcols = NULL;
	bool top_set = false;
	unsigned long iter;
	uint64_t v;
	char *end, stamp[32];
	int c, status = 0, view;
	size_t i;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "mgfl:t:o:Jrbnh", longopts,
				NULL)) != -1) {
		view = -1;
		switch (c) {
		case OPT_VIEW:
			for (i = 0; i < VIEW_NR; i++)
				if (!strcmp(optarg, view_str[i]))
					view = i;
			if (view < 0)
				bad_usage("bad --view: %s (zone, memcg, gen or files)",
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
			v = number_arg("bad --top: %s", optarg);
			if (v > SIZE_MAX / 2)
				bad_usage("bad --top: %s", optarg);
			o.top = v;	/* 0: all */
			top_set = true;
			break;
		case 'o':
			outcols = optarg;
			break;
		case 'J':
			o.json = true;
			break;
		case 'r':
			o.raw = true;
			break;
		case 'b':
			o.bytes = true;
			break;
		case 'n':
			o.noheadings = true;
			break;
		case 'h':
			fputs("Usage:\n", stdout);
			pci_lru_usage(stdout);
			exit(0);
		case OPT_SUMMARY:
			o.summary = true;
			break;
		case OPT_WATCH:
			errno = 0;
			o.watch = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(o.watch > 0) ||
			    o.watch > 86400)
				bad_usage("bad --watch: %s (seconds)", optarg);
			break;
		case OPT_COUNT:
			o.count = number_arg("bad --count: %s", optarg);
			if (!o.count)
				bad_usage("bad --count: %s", optarg);
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
			bad_usage("bad option: %s", argv[optind - 1]);
		}
		/* one view: --memcg --gen is a mistake, not the last one */
		if (view >= 0 && o.view >= 0 && o.view != view)
			bad_usage("%s: one view at a time", argv[optind - 1]);
		if (view >= 0)
			o.view = view;
	}
	if (optind < argc)
		bad_usage("lru takes no operands: %s", argv[optind]);
	if (o.view < 0)
		o.view = VIEW_ZONE;
	if (o.count && !o.watch)
		bad_usage("%s", "--count needs --watch");
	if (o.json && o.raw)
		bad_usage("%s", JSON_RAW);
	if (o.view != VIEW_FILES && (o.list >= 0 || top_set || o.listing ||
				     o.mountinfo))
		bad_usage("%s", "--list, --top, --listing and --mountinfo go with --files");
	if (o.list < 0)
		o.list = PCI_LRU_FCOLS;	/* all pages on lists */
	columns_default(&o);
	if (outcols)
		columns_parse(&o, outcols);

	o.page_size = sysconf(_SC_PAGESIZE);
	if (check_module(&o))
		return 1;

	for (iter = 0; ; ) {
		if (o.watch && isatty(STDOUT_FILENO) && !o.json)
			fputs("\033[H\033[2J", stdout);
		if (o.watch) {
			pci_watch_stamp(stamp, sizeof(stamp));
			o.stamp = stamp;
		}
		status |= lru_once(&o);
		if (pci_stdout_check()) {
			status = 1;
			break;
		}
		if (!o.watch || (o.count && ++iter >= o.count))
			break;
		sleep_seconds(o.watch);
		if (!isatty(STDOUT_FILENO) || o.json)
			putchar('\n');
	}
	return status;
}
