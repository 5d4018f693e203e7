// SPDX-License-Identifier: GPL-2.0
/*
 * The column table: names, widths, JSON types and meanings of every column
 * drive -o, -J, -r, -b and the --help text. libsmartcols prints the tables
 * and the JSON; nothing here formats either by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "pcinspect.h"

enum {
	COL_PATH,
	COL_SIZE,
	COL_CACHED,
	COL_PAGES,
	COL_DIRTY,
	COL_WRITEBACK,
	COL_EVICTED,
	COL_RECENT,
	COL_SWAPPED,
	COL_MAPPED,
	COL_ACTIVE,
	COL_INACTIVE,
	COL_UNEVICTABLE,
	COL_REFERENCED,
	COL_WORKINGSET,
	COL_NODES,
	COL_ORDERS,
	COL_MEMCGS,
	COL_MGLRU,
	COL_FS,
	COL_DEV,
	COL_INO,
	COL_DELETED,
	COL_SOURCE,
	COL_DCACHED,
	COL_DDIRTY,
	COL_DWRITEBACK,
	COL_DEVICTED,
};

/* How a column's value is shown. */
enum {
	SHOW_STR,	/* text */
	SHOW_NUM,	/* a plain number */
	SHOW_PAGES,	/* a page count shown as a size (bytes with -b) */
	SHOW_BYTES,	/* a byte count shown as a size (bytes with -b) */
	SHOW_DELTA,	/* a signed byte count, a size with a sign */
	SHOW_LIST,	/* "a:b,c:d" (0 when empty); JSON: an object or array */
	SHOW_BOOL,	/* 1 or 0; JSON: true or false */
};

struct colinfo {
	const char *name;
	double whint;
	int flags;
	int show;
	unsigned int need;	/* pci_report.have bits it needs */
	const char *help;
};

static const struct colinfo infos[] = {
	[COL_PATH] = { "PATH", 0.3, SCOLS_FL_NOEXTREMES, SHOW_STR, 0,
		"file name" },
	[COL_SIZE] = { "SIZE", 5, SCOLS_FL_RIGHT, SHOW_BYTES, 0,
		"size of the file" },
	[COL_CACHED] = { "CACHED", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_CACHED,
		"page cache held by the file" },
	[COL_PAGES] = { "PAGES", 5, SCOLS_FL_RIGHT, SHOW_NUM, PCI_HAVE_CACHED,
		"cached pages (CACHED in pages)" },
	[COL_DIRTY] = { "DIRTY", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_DIRTY,
		"dirty cache: what writeback will write (never set on tmpfs)" },
	[COL_WRITEBACK] = { "WRITEBACK", 5, SCOLS_FL_RIGHT, SHOW_PAGES,
		PCI_HAVE_WRITEBACK, "cache under writeback now" },
	[COL_EVICTED] = { "EVICTED", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_EVICTED,
		"evicted by reclaim, workingset shadow kept" },
	[COL_RECENT] = { "RECENTLY_EVICTED", 5, SCOLS_FL_RIGHT, SHOW_PAGES,
		PCI_HAVE_RECENT, "evicted recently (cachestat only)" },
	[COL_SWAPPED] = { "SWAPPED", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_SWAPPED,
		"tmpfs/shmem pages swapped out" },
	[COL_MAPPED] = { "MAPPED", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_DETAIL,
		"cache mapped into some process" },
	[COL_ACTIVE] = { "ACTIVE", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_DETAIL,
		"cache on an active LRU list (classic LRU)" },
	[COL_INACTIVE] = { "INACTIVE", 5, SCOLS_FL_RIGHT, SHOW_PAGES, PCI_HAVE_DETAIL,
		"cache on an inactive LRU list" },
	[COL_UNEVICTABLE] = { "UNEVICTABLE", 5, SCOLS_FL_RIGHT, SHOW_PAGES,
		PCI_HAVE_DETAIL, "unevictable cache (mlocked, ramfs, SHM_LOCK)" },
	[COL_REFERENCED] = { "REFERENCED", 5, SCOLS_FL_RIGHT, SHOW_PAGES,
		PCI_HAVE_DETAIL, "cache with the referenced flag" },
	[COL_WORKINGSET] = { "WORKINGSET", 5, SCOLS_FL_RIGHT, SHOW_PAGES,
		PCI_HAVE_DETAIL, "cache with the workingset flag" },
	[COL_NODES] = { "NODES", 10, 0, SHOW_LIST, PCI_HAVE_NODES | PCI_HAVE_DETAIL,
		"cached pages per NUMA node, node:pages" },
	[COL_ORDERS] = { "ORDERS", 10, 0, SHOW_LIST, PCI_HAVE_ORDERS,
		"pages per folio order, order:pages (12: 12 and above)" },
	[COL_MEMCGS] = { "MEMCGS", 10, 0, SHOW_LIST, PCI_HAVE_MEMCGS,
		"cached pages per memory cgroup, cgroup:pages" },
	[COL_MGLRU] = { "MGLRU", 10, 0, SHOW_LIST, PCI_HAVE_DETAIL,
		"pages on MGLRU lists per generation age, age:pages (0: youngest, 3: oldest)" },
	[COL_FS] = { "FS", 5, 0, SHOW_STR, PCI_HAVE_IDENT,
		"filesystem type" },
	[COL_DEV] = { "DEV", 5, 0, SHOW_STR, PCI_HAVE_IDENT,
		"major:minor of the filesystem (or block device)" },
	[COL_INO] = { "INO", 5, SCOLS_FL_RIGHT, SHOW_NUM, PCI_HAVE_IDENT,
		"inode number" },
	[COL_DELETED] = { "DELETED", 3, SCOLS_FL_RIGHT, SHOW_BOOL, PCI_HAVE_IDENT,
		"1 when the file has no name left (unlinked but open)" },
	[COL_SOURCE] = { "SOURCE", 5, 0, SHOW_STR, 0,
		"where the numbers come from: pcinspect, cachestat or mincore" },
	[COL_DCACHED] = { "DCACHED", 5, SCOLS_FL_RIGHT, SHOW_DELTA, PCI_HAVE_CACHED,
		"change of CACHED since the --diff snapshot" },
	[COL_DDIRTY] = { "DDIRTY", 5, SCOLS_FL_RIGHT, SHOW_DELTA, PCI_HAVE_DIRTY,
		"change of DIRTY since the --diff snapshot" },
	[COL_DWRITEBACK] = { "DWRITEBACK", 5, SCOLS_FL_RIGHT, SHOW_DELTA,
		PCI_HAVE_WRITEBACK, "change of WRITEBACK since the --diff snapshot" },
	[COL_DEVICTED] = { "DEVICTED", 5, SCOLS_FL_RIGHT, SHOW_DELTA,
		PCI_HAVE_EVICTED, "change of EVICTED since the --diff snapshot" },
};

int pci_column_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(infos); i++)
		if (strlen(infos[i].name) == len &&
		    !strncasecmp(infos[i].name, name, len))
			return i;
	return -1;
}

void pci_columns_default(struct pci_ctl *ctl)
{
	static const int def[] = { COL_CACHED, COL_PAGES, COL_SIZE, COL_DIRTY,
				   COL_WRITEBACK, COL_EVICTED, COL_SOURCE,
				   COL_PATH };
	static const int diff[] = { COL_CACHED, COL_DCACHED, COL_DDIRTY,
				    COL_DWRITEBACK, COL_DEVICTED, COL_SOURCE,
				    COL_PATH };
	static const int json_more[] = { COL_SWAPPED, COL_MAPPED, COL_ACTIVE,
					 COL_INACTIVE, COL_UNEVICTABLE,
					 COL_NODES, COL_ORDERS, COL_MEMCGS,
					 COL_MGLRU, COL_DELETED };
	size_t i;

	ctl->ncols = 0;
	if (ctl->diff) {
		for (i = 0; i < ARRAY_SIZE(diff); i++)
			ctl->cols[ctl->ncols++] = diff[i];
		return;
	}
	for (i = 0; i < ARRAY_SIZE(def); i++)
		ctl->cols[ctl->ncols++] = def[i];
	/* JSON is for programs: give them everything per file by default. */
	if (ctl->json)
		for (i = 0; i < ARRAY_SIZE(json_more); i++)
			ctl->cols[ctl->ncols++] = json_more[i];
}

/* "-o LIST": comma-separated names; "+LIST" adds to the defaults. */
int pci_columns_parse(struct pci_ctl *ctl, const char *list)
{
	const char *p, *end;
	bool add = *list == '+';
	size_t i;
	int id;

	if (*list == '+')
		list++;
	else
		ctl->ncols = 0;
	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		id = pci_column_by_name(p, end - p);
		if (id < 0) {
			fprintf(stderr, "pcinspect: unknown column: %.*s\n",
				(int)(end - p), p);
			return -EINVAL;
		}
		/* "+LIST" adds only what is not shown yet */
		for (i = 0; add && i < ctl->ncols; i++)
			if (ctl->cols[i] == id)
				break;
		if (add && i < ctl->ncols)
			continue;
		if (ctl->ncols == PCI_MAXCOLS) {
			fprintf(stderr, "pcinspect: too many columns\n");
			return -EINVAL;
		}
		ctl->cols[ctl->ncols++] = id;
	}
	if (!ctl->ncols) {
		fprintf(stderr, "pcinspect: no columns\n");
		return -EINVAL;
	}
	return 0;
}

void pci_columns_help(FILE *out)
{
	size_t i;

	fputs("\nAvailable output columns (for -o; a source that cannot know a value shows -):\n",
	      out);
	for (i = 0; i < ARRAY_SIZE(infos); i++)
		fprintf(out, " %16s  %s\n", infos[i].name, infos[i].help);
}

/* Like util-linux: 1023 -> "1023B", 4096 -> "4K", 1572864 -> "1.5M". */
void pci_human_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	unsigned int u = 0;
	uint64_t whole = bytes, frac;

	while (whole >= 1024 && u < sizeof(units) - 2) {
		whole >>= 10;
		u++;
	}
	if (!u) {
		snprintf(buf, size, "%lluB", (unsigned long long)bytes);
		return;
	}
	/* one decimal, rounded, none when it is 0 */
	frac = bytes - (whole << (10 * u));
	frac = (frac * 10 + (1ULL << (10 * u - 1))) >> (10 * u);
	if (frac >= 10) {
		whole++;
		frac = 0;
	}
	if (frac)
		snprintf(buf, size, "%llu.%llu%c", (unsigned long long)whole,
			 (unsigned long long)frac, units[u]);
	else
		snprintf(buf, size, "%llu%c", (unsigned long long)whole,
			 units[u]);
}

/* Byte counts a --snapshot keeps: -1 when the source does not know them. */
int64_t pci_snap_value(const struct pci_report *rep, int field)
{
	static const unsigned int need[PCI_SNAP_FIELDS] = {
		PCI_HAVE_CACHED, PCI_HAVE_DIRTY, PCI_HAVE_WRITEBACK,
		PCI_HAVE_EVICTED,
	};
	uint64_t pages;

	if (!(rep->have & need[field]))
		return -1;
	switch (field) {
	case PCI_SNAP_CACHED:
		pages = rep->cached;
		break;
	case PCI_SNAP_DIRTY:
		pages = rep->dirty;
		break;
	case PCI_SNAP_WRITEBACK:
		pages = rep->writeback;
		break;
	default:
		pages = rep->evicted;
		break;
	}
	return (int64_t)(pages * rep->page_size);
}

static char *size_str(const struct pci_ctl *ctl, uint64_t bytes)
{
	char buf[32], *s;

	if (ctl->bytes || ctl->json)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)bytes);
	else
		pci_human_size(bytes, buf, sizeof(buf));
	s = strdup(buf);
	return s;
}

static char *delta_str(const struct pci_ctl *ctl, const struct pci_row *row,
		       int field)
{
	const struct pci_snap *old = pci_snapshot_find(ctl, row->arg);
	int64_t now = pci_snap_value(&row->rep, field), d;
	char buf[40];

	if (!old || old->v[field] < 0 || now < 0)
		return NULL;
	d = now - old->v[field];
	if (ctl->bytes || ctl->json) {
		snprintf(buf, sizeof(buf), "%lld", (long long)d);
	} else {
		buf[0] = d < 0 ? '-' : '+';
		pci_human_size(d < 0 ? -(uint64_t)d : (uint64_t)d, buf + 1,
			       sizeof(buf) - 1);
	}
	return strdup(buf);
}

/* Append "a:b" to a comma-separated list. */
static int list_add(char **list, const char *item)
{
	char *n;

	if (asprintf(&n, "%s%s%s", *list ? *list : "", *list ? "," : "",
		     item) < 0)
		return -ENOMEM;
	free(*list);
	*list = n;
	return 0;
}

/* "i:pages" for each non-zero v[i], in order of i. */
static void list_indexed(char **list, const uint64_t *v, size_t n)
{
	char item[64];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!v[i])
			continue;
		snprintf(item, sizeof(item), "%zu:%llu", i,
			 (unsigned long long)v[i]);
		list_add(list, item);
	}
}

/* @s as a JSON string: a memcg path may hold any byte but '/' and NUL */
static void json_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* {"i": pages, ...} for each non-zero v[i] */
static void json_indexed(FILE *f, const uint64_t *v, size_t n)
{
	const char *sep = "";
	size_t i;

	fputc('{', f);
	for (i = 0; i < n; i++) {
		if (!v[i])
			continue;
		fprintf(f, "%s\"%zu\": %llu", sep, i, (unsigned long long)v[i]);
		sep = ", ";
	}
	fputc('}', f);
}

/*
 * The memcgs as an array of {"memcg": path, "pages": n, "dying": bool},
 * the pages of memcgs the module did not name last with "memcg": null.
 * Never packed into one string: a cgroup name may hold ':' and ','.
 */
static void json_memcgs(FILE *f, const struct pci_report *rep)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < rep->nr_memcgs; i++) {
		const struct pci_memcg *m = &rep->memcgs[i];

		fputs(i ? ", {\"memcg\": " : "{\"memcg\": ", f);
		if (m->path)
			json_quote(f, m->path);
		else
			fputs("null", f);
		fprintf(f, ", \"pages\": %llu, \"dying\": %s}",
			(unsigned long long)m->cached,
			m->dying ? "true" : "false");
	}
	if (rep->memcg_other)
		fprintf(f, "%s{\"memcg\": null, \"pages\": %llu, \"dying\": false}",
			rep->nr_memcgs ? ", " : "",
			(unsigned long long)rep->memcg_other);
	fputc(']', f);
}

/*
 * A list column in JSON: the text of an object (nodes, orders, mglru:
 * index -> pages) or array (memcgs), printed verbatim by libsmartcols
 * (the column's JSON type is "number", which it does not quote).
 */
static char *list_json(const struct pci_report *rep, int col)
{
	uint64_t nodes[1024] = { 0 };
	char *buf = NULL;
	size_t len, i, nmax = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	switch (col) {
	case COL_NODES:
		for (i = 0; i < rep->nr_nodes; i++) {
			int id = rep->nodes[i].id;

			if (id < 0 || id >= (int)ARRAY_SIZE(nodes))
				continue;
			nodes[id] = rep->nodes[i].cached;
			if ((size_t)id + 1 > nmax)
				nmax = id + 1;
		}
		json_indexed(f, nodes, nmax);
		break;
	case COL_MGLRU:
		json_indexed(f, rep->mglru_age, PCI_GENS);
		break;
	case COL_ORDERS:
		json_indexed(f, rep->order_pages, PCI_ORDERS);
		break;
	case COL_MEMCGS:
		json_memcgs(f, rep);
		break;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *list_str(const struct pci_ctl *ctl, const struct pci_report *rep,
		      int col)
{
	char *list = NULL, *m, item[64];
	size_t i;

	if (ctl->json)
		return list_json(rep, col);
	switch (col) {
	case COL_NODES:
		for (i = 0; i < rep->nr_nodes; i++) {
			if (!rep->nodes[i].cached || rep->nodes[i].id < 0)
				continue;
			snprintf(item, sizeof(item), "%d:%llu", rep->nodes[i].id,
				 (unsigned long long)rep->nodes[i].cached);
			list_add(&list, item);
		}
		break;
	case COL_MGLRU:
		list_indexed(&list, rep->mglru_age, PCI_GENS);
		break;
	case COL_ORDERS:
		list_indexed(&list, rep->order_pages, PCI_ORDERS);
		break;
	case COL_MEMCGS:
		for (i = 0; i < rep->nr_memcgs; i++) {
			if (asprintf(&m, "%s%s:%llu",
				     rep->memcgs[i].path ? rep->memcgs[i].path : "?",
				     rep->memcgs[i].dying ? "(dying)" : "",
				     (unsigned long long)rep->memcgs[i].cached) < 0)
				break;
			list_add(&list, m);
			free(m);
		}
		if (rep->memcg_other) {
			snprintf(item, sizeof(item), "other:%llu",
				 (unsigned long long)rep->memcg_other);
			list_add(&list, item);
		}
		break;
	}
	/* known but empty: "" in tables would read as unknown */
	return list ? list : strdup("0");
}

static uint64_t pages_of(const struct pci_report *rep, int col)
{
	switch (col) {
	case COL_CACHED:
	case COL_PAGES:
		return rep->cached;
	case COL_DIRTY:
		return rep->dirty;
	case COL_WRITEBACK:
		return rep->writeback;
	case COL_EVICTED:
		return rep->evicted;
	case COL_RECENT:
		return rep->recently_evicted;
	case COL_SWAPPED:
		return rep->swapped;
	case COL_MAPPED:
		return rep->mapped;
	case COL_ACTIVE:
		return rep->active;
	case COL_INACTIVE:
		return rep->inactive;
	case COL_UNEVICTABLE:
		return rep->unevictable;
	case COL_REFERENCED:
		return rep->referenced;
	case COL_WORKINGSET:
		return rep->workingset;
	}
	return 0;
}

/*
 * PATH: the module's d_path, which ends in " (deleted)" for an unlinked
 * file. JSON carries the path itself, DELETED says the rest.
 */
static char *path_str(const struct pci_ctl *ctl, const struct pci_report *rep,
		      const char *arg)
{
	static const char del[] = " (deleted)";
	size_t len;

	if (!rep->path)
		return strdup(arg);
	len = strlen(rep->path);
	if (ctl->json && rep->deleted && len >= sizeof(del) - 1 &&
	    !strcmp(rep->path + len - (sizeof(del) - 1), del))
		return strndup(rep->path, len - (sizeof(del) - 1));
	return strdup(rep->path);
}

/* The cell text, newly allocated; NULL for unknown. */
static char *cell(const struct pci_ctl *ctl, const struct pci_row *row, int col)
{
	const struct pci_report *rep = &row->rep;
	const struct colinfo *ci = &infos[col];
	char *s = NULL;

	if ((rep->have & ci->need) != ci->need)
		return NULL;
	switch (col) {
	case COL_PATH:
		return path_str(ctl, rep, row->arg);
	case COL_DELETED:
		return strdup(ctl->json ? (rep->deleted ? "true" : "false") :
			      (rep->deleted ? "1" : "0"));
	case COL_SOURCE:
		return strdup(rep->source);
	case COL_FS:
		return strdup(rep->fs);
	case COL_DEV:
		return strdup(rep->dev);
	case COL_INO:
		if (asprintf(&s, "%llu", (unsigned long long)rep->ino) < 0)
			return NULL;
		return s;
	case COL_SIZE:
		return size_str(ctl, rep->size);
	case COL_PAGES:
		if (asprintf(&s, "%llu", (unsigned long long)rep->cached) < 0)
			return NULL;
		return s;
	case COL_NODES:
	case COL_ORDERS:
	case COL_MEMCGS:
	case COL_MGLRU:
		return list_str(ctl, rep, col);
	case COL_DCACHED:
		return delta_str(ctl, row, PCI_SNAP_CACHED);
	case COL_DDIRTY:
		return delta_str(ctl, row, PCI_SNAP_DIRTY);
	case COL_DWRITEBACK:
		return delta_str(ctl, row, PCI_SNAP_WRITEBACK);
	case COL_DEVICTED:
		return delta_str(ctl, row, PCI_SNAP_EVICTED);
	}
	/* page counts: multiply in 128 bits, 2^64 - 1 pages must not wrap */
	{
		unsigned __int128 b = (unsigned __int128)pages_of(rep, col) *
				      rep->page_size;

		if (b > UINT64_MAX)
			b = UINT64_MAX;
		return size_str(ctl, (uint64_t)b);
	}
}

static int json_type(const struct colinfo *ci)
{
	/* lists and booleans are JSON text already: "number" is verbatim */
	if (ci->show == SHOW_STR)
		return SCOLS_JSON_STRING;
	return SCOLS_JSON_NUMBER;
}

/* A table as every command prints it (the listing's too). */
struct libscols_table *pci_new_table(const char *name, bool json, bool raw,
				     bool noheadings)
{
	struct libscols_table *tb = scols_new_table();

	if (!tb)
		return NULL;
	scols_table_enable_json(tb, json);
	scols_table_enable_raw(tb, raw);
	scols_table_enable_noheadings(tb, noheadings);
	scols_table_set_name(tb, name);
	return tb;
}

static struct libscols_table *new_table(const struct pci_ctl *ctl,
					const char *name)
{
	return pci_new_table(name, ctl->json, ctl->raw, ctl->noheadings);
}

struct libscols_column *pci_add_column(struct libscols_table *tb,
				       const char *name, double whint,
				       int flags, int jtype, bool json)
{
	struct libscols_column *cl;

	cl = scols_table_new_column(tb, name, whint, flags);
	if (cl && json)
		scols_column_set_json_type(cl, jtype);
	return cl;
}

int pci_print_files(const struct pci_ctl *ctl, struct pci_row *rows, size_t n)
{
	struct libscols_table *tb = new_table(ctl, "files");
	struct libscols_line *ln;
	size_t i, c;
	int ret = -ENOMEM;

	if (!tb)
		return -ENOMEM;
	for (c = 0; c < ctl->ncols; c++) {
		const struct colinfo *ci = &infos[ctl->cols[c]];

		if (!pci_add_column(tb, ci->name, ci->whint, ci->flags,
				    json_type(ci), ctl->json))
			goto out;
	}
	for (i = 0; i < n; i++) {
		if (rows[i].err)
			continue;
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto out;
		for (c = 0; c < ctl->ncols; c++) {
			char *s = cell(ctl, &rows[i], ctl->cols[c]);

			/* unknown: "-" in tables, null in JSON */
			if (!s && !ctl->json)
				s = strdup("-");
			if (s && scols_line_refer_data(ln, c, s)) {
				free(s);
				goto out;
			}
		}
	}
	ret = pci_print_tables(&tb, 1, ctl->json, ctl->stamp, false);
out:
	scols_unref_table(tb);
	return ret;
}

/* Page map ------------------------------------------------------------------ */

static const struct {
	const char *name;
	int flags;
	int jtype;
} map_cols[] = {
	{ "PATH", SCOLS_FL_NOEXTREMES, SCOLS_JSON_STRING },	/* JSON only */
	{ "FIRST", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "LAST", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "PAGES", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "SIZE", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "STATE", 0, SCOLS_JSON_STRING },
	{ "LRU", 0, SCOLS_JSON_STRING },
	{ "MAPPED", 0, SCOLS_JSON_BOOLEAN },
	{ "NODE", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
	{ "ORDER", SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER },
};

#define NR_MAP_COLS	ARRAY_SIZE(map_cols)

static int map_rows(const struct pci_ctl *ctl, struct libscols_table *tb,
		    const struct pci_row *row)
{
	const struct pci_report *rep = &row->rep;
	size_t i, c, first = ctl->json ? 0 : 1;

	for (i = 0; i < rep->nr_runs; i++) {
		const struct pci_run *run = &rep->runs[i];
		uint64_t pages = run->last - run->first + 1;
		unsigned __int128 bytes = (unsigned __int128)pages * rep->page_size;
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char *v[NR_MAP_COLS] = { NULL };
		bool nolru;
		int err = 0;

		if (!ln)
			return -ENOMEM;
		v[0] = path_str(ctl, rep, row->arg);
		err |= asprintf(&v[1], "%llu", (unsigned long long)run->first) < 0;
		err |= asprintf(&v[2], "%llu", (unsigned long long)run->last) < 0;
		err |= asprintf(&v[3], "%llu", (unsigned long long)pages) < 0;
		v[4] = size_str(ctl, bytes > UINT64_MAX ? UINT64_MAX :
				(uint64_t)bytes);
		v[5] = strdup(run->state);
		/* no LRU list ("-", a hole or an evicted page) is null in JSON */
		nolru = ctl->json && !strcmp(run->lru, "-");
		v[6] = nolru ? NULL : strdup(run->lru);
		/* libsmartcols' booleans: "0" is false ("false" would be true) */
		v[7] = strdup(ctl->json ? (run->mapped ? "1" : "0") :
			      (run->mapped ? "m" : "-"));
		err |= asprintf(&v[8], "%d", run->node) < 0;
		err |= asprintf(&v[9], "%d", run->order) < 0;
		for (c = first; c < NR_MAP_COLS; c++) {
			if (c == 6 && nolru)
				continue;	/* null */
			if (err || !v[c] ||
			    scols_line_refer_data(ln, c - first, v[c]))
				err = 1;
			else
				v[c] = NULL;
		}
		for (c = 0; c < NR_MAP_COLS; c++)
			free(v[c]);
		if (err)
			return -ENOMEM;
	}
	return 0;
}

static struct libscols_table *map_table(const struct pci_ctl *ctl)
{
	struct libscols_table *tb = new_table(ctl, "map");
	size_t c;

	if (!tb)
		return NULL;
	for (c = ctl->json ? 0 : 1; c < NR_MAP_COLS; c++) {
		if (!pci_add_column(tb, map_cols[c].name, c ? 5 : 0.3,
				    map_cols[c].flags, map_cols[c].jtype,
				    ctl->json)) {
			scols_unref_table(tb);
			return NULL;
		}
	}
	return tb;
}

/*
 * Tables: one table of runs per file, under its name. JSON: one document,
 * every run with its PATH, so the output stays valid JSON.
 */
int pci_print_maps(const struct pci_ctl *ctl, struct pci_row *rows, size_t n)
{
	struct libscols_table *tb = NULL;
	size_t i;
	bool first = true;
	int ret = 0;

	if (ctl->stamp && !ctl->json)
		printf("# %s\n", ctl->stamp);
	for (i = 0; i < n && !ret; i++) {
		if (rows[i].err)
			continue;
		if (!(rows[i].rep.have & PCI_HAVE_MAP)) {
			fprintf(stderr, "pcinspect: %s: no page map from %s\n",
				rows[i].arg, rows[i].rep.source);
			continue;
		}
		if (!tb) {
			tb = map_table(ctl);
			if (!tb)
				return -ENOMEM;
		}
		ret = map_rows(ctl, tb, &rows[i]);
		if (ret || ctl->json)
			continue;
		if (!ctl->noheadings)
			printf("%s%s:\n", first ? "" : "\n", rows[i].rep.path);
		first = false;
		ret = scols_print_table(tb);
		scols_unref_table(tb);
		tb = NULL;
	}
	if (tb) {
		if (!ret)
			ret = pci_print_tables(&tb, 1, ctl->json, ctl->stamp,
					       false);
		scols_unref_table(tb);
	}
	return ret;
}

/* Printing ------------------------------------------------------------------ */

static bool stdout_failed;

/*
 * Output nobody gets is a failure: a full disk or a closed descriptor
 * must not exit 0 as if the report had been written. Flushes, and says
 * once what went wrong; -1 from then on.
 */
int pci_stdout_check(void)
{
	int err;

	if (stdout_failed)
		return -1;
	errno = 0;
	if (!fflush(stdout) && !ferror(stdout))
		return 0;
	err = errno;
	stdout_failed = true;
	fprintf(stderr, "pcinspect: write error on standard output%s%s\n",
		err ? ": " : "", err ? strerror(err) : "");
	return -1;
}

/* atexit(): every way out, exit() in option parsing too, is checked. */
void pci_close_stdout(void)
{
	if (pci_stdout_check())
		_exit(EXIT_FAILURE);
	if (fclose(stdout)) {
		fprintf(stderr,
			"pcinspect: write error on standard output: %s\n",
			strerror(errno));
		_exit(EXIT_FAILURE);
	}
}

/*
 * The time of one --watch refresh, ISO 8601 in UTC: a reader of a log of
 * refreshes (or of JSON documents) can tell when each was taken.
 */
void pci_watch_stamp(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "unknown");
}

/*
 * The "walk" table has one line, the walk's own statistics: in JSON an
 * object, not an array of one. Turns the document of @s from
 * "name": [ {...} ] into "name": {...} in place.
 */
static int json_unwrap_single(char *s)
{
	char *open = strstr(s, ": [\n"), *obj, *close, *end;

	if (!open)
		return -EINVAL;
	obj = open + 4 + strspn(open + 4, " ");
	end = s + strlen(s);
	/* the array's "]" is the last one, before the document's "\n}\n" */
	for (close = end - 1; close > obj && *close != ']'; close--)
		;
	if (*obj != '{' || close <= obj || close[-1] != ' ')
		return -EINVAL;
	while (close > obj && (close[-1] == ' ' || close[-1] == '\n'))
		close--;
	if (close[-1] != '}')
		return -EINVAL;
	/* ": " + the object, then what followed the "]" */
	memmove(open + 2, obj, close - obj);
	memmove(open + 2 + (close - obj), strchr(close, ']') + 1,
		strlen(strchr(close, ']') + 1) + 1);
	return 0;
}

/*
 * JSON of several tables, or of one with a --watch time: one document
 * holding each table's array (and "time" first). libsmartcols writes each
 * table as a document of its own ("{", the named array, "}"); the arrays
 * are taken out of those documents whole, so every value and escape is
 * still libsmartcols'.
 */
int pci_print_json_documents(struct libscols_table **tbs, size_t n,
			     const char *stamp)
{
	char *s[4] = { NULL };
	size_t i, len;
	int ret = 0;

	if (n > ARRAY_SIZE(s))
		return -EINVAL;

	for (i = 0; i < n && !ret; i++) {
		const char *name = scols_table_get_name(tbs[i]);

		ret = scols_print_table_to_string(tbs[i], &s[i]);
		if (!ret && name && !strcmp(name, "walk"))
			ret = json_unwrap_single(s[i]);
	}
	for (i = 0; i < n && !ret; i++) {
		len = strlen(s[i]);
		if (len < 5 || strncmp(s[i], "{\n", 2) ||
		    strcmp(s[i] + len - 3, "\n}\n"))
			ret = -EINVAL;
	}
	if (!ret) {
		fputs("{\n", stdout);
		if (stamp)
			printf("   \"time\": \"%s\",\n", stamp);
		for (i = 0; i < n; i++) {
			len = strlen(s[i]);
			/* the array's lines, without the document's braces */
			fwrite(s[i] + 2, 1, len - 5, stdout);
			fputs(i + 1 < n ? ",\n" : "\n", stdout);
		}
		fputs("}\n", stdout);
	}
	for (i = 0; i < n; i++)
		free(s[i]);
	return ret;
}

/*
 * libsmartcols prints nothing at all for a table without lines. A
 * --diff where nothing changed must still say so with its header: print
 * the header a line of empty cells would get.
 */
static int print_header_only(struct libscols_table *tb)
{
	struct libscols_line *ln = scols_table_new_line(tb, NULL);
	char *s = NULL;
	int ret;

	if (!ln)
		return -ENOMEM;
	ret = scols_print_table_to_string(tb, &s);
	scols_table_remove_line(tb, ln);
	if (!ret && s)
		printf("%.*s\n", (int)strcspn(s, "\n"), s);
	free(s);
	return ret;
}

/*
 * The tables of one report: JSON as one document (with the --watch time
 * @stamp, when not NULL), tables one after another with a blank line in
 * between, under "# TIME" with --watch. With @header_if_empty, a table
 * without lines still shows its header.
 */
int pci_print_tables(struct libscols_table **tbs, size_t n, bool json,
		     const char *stamp, bool header_if_empty)
{
	size_t i;
	int ret = 0;

	if (json && (n > 1 || stamp))
		return pci_print_json_documents(tbs, n, stamp);
	if (stamp && !json)
		printf("# %s\n", stamp);
	for (i = 0; i < n && !ret; i++) {
		if (i)
			putchar('\n');
		if (header_if_empty && !json && scols_table_is_empty(tbs[i]) &&
		    !scols_table_is_noheadings(tbs[i]))
			ret = print_header_only(tbs[i]);
		else
			ret = scols_print_table(tbs[i]);
	}
	return ret;
}
