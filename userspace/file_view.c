// SPDX-License-Identifier: GPL-2.0
/*
 * The page map and the residency bar of "pcinspect file" (file_view.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file_view.h"

/* PATH: the report's path (the module's d_path), or the name given. */
char *pcr_path_cell(const struct pcr_out *o, const struct pcr_report *rep,
		    const char *arg)
{
	return pcr_cell_path(o, rep->path ? rep->path : arg, rep->deleted);
}

static bool run_cached(const struct pcr_run *run)
{
	return !strcmp(run->state, "cached") || !strcmp(run->state, "dirty") ||
	       !strcmp(run->state, "writeback") ||
	       !strcmp(run->state, "dirty+writeback");
}

/*
 * "[OOOo    ]": PCR_BAR_WIDTH cells over the file's pages (or the
 * range's), each 'O' when all its pages are cached, 'o' when some are,
 * ' ' when none, like vmtouch -v. NULL without a map.
 */
char *pcr_bar(const struct pcr_report *rep)
{
	uint64_t first, last, span, cells, c;
	uint64_t have[PCR_BAR_WIDTH] = { 0 }, want[PCR_BAR_WIDTH] = { 0 };
	char *bar;
	size_t i;

	if (!(rep->have & PCR_HAVE_MAP))
		return NULL;
	if (!rep->nr_runs)
		return strdup("[]");
	first = rep->runs[0].first;
	last = rep->runs[rep->nr_runs - 1].last;
	span = last - first + 1;
	cells = span < PCR_BAR_WIDTH ? span : PCR_BAR_WIDTH;
	bar = malloc(cells + 3);
	if (!bar)
		return NULL;
	for (i = 0; i < rep->nr_runs; i++) {
		const struct pcr_run *r = &rep->runs[i];
		uint64_t p = r->first;

		/* whole cells at a time: a run of a million pages is fast */
		while (p <= r->last) {
			uint64_t cell = (__uint128_t)(p - first) * cells /
					span;
			uint64_t cell_end = first +
				(uint64_t)(((__uint128_t)(cell + 1) * span +
					    cells - 1) / cells) - 1;
			uint64_t end = cell_end < r->last ? cell_end : r->last;

			want[cell] += end - p + 1;
			if (run_cached(r))
				have[cell] += end - p + 1;
			if (end == UINT64_MAX)
				break;
			p = end + 1;
		}
	}
	bar[0] = '[';
	for (c = 0; c < cells; c++)
		bar[c + 1] = !have[c] ? ' ' : have[c] == want[c] ? 'O' : 'o';
	bar[cells + 1] = ']';
	bar[cells + 2] = '\0';
	return bar;
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
static void json_memcgs(FILE *f, const struct pcr_report *rep)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < rep->nr_memcgs; i++) {
		const struct pcr_memcg *m = &rep->memcgs[i];

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
 * index -> pages) or array (memcgs), printed verbatim in JSON (the
 * column is not a string column, whose cells are quoted).
 */
static char *list_json(const struct pcr_report *rep, int which)
{
	uint64_t nodes[1024] = { 0 };
	char *buf = NULL;
	size_t len, i, nmax = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	switch (which) {
	case PCR_LIST_NODES:
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
	case PCR_LIST_MGLRU:
		json_indexed(f, rep->mglru_age, PCR_GENS);
		break;
	case PCR_LIST_ORDERS:
		json_indexed(f, rep->order_pages, PCR_ORDERS);
		break;
	case PCR_LIST_MEMCGS:
		json_memcgs(f, rep);
		break;
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * A list cell: "node:pages,..." in tables (0 when known and empty: ""
 * would read as unknown), an object or array in JSON.
 */
char *pcr_list_cell(const struct pcr_out *o, const struct pcr_report *rep,
		    int which)
{
	char *list = NULL, *m, item[64];
	size_t i;

	if (o->json)
		return list_json(rep, which);
	switch (which) {
	case PCR_LIST_NODES:
		for (i = 0; i < rep->nr_nodes; i++) {
			if (!rep->nodes[i].cached || rep->nodes[i].id < 0)
				continue;
			snprintf(item, sizeof(item), "%d:%llu", rep->nodes[i].id,
				 (unsigned long long)rep->nodes[i].cached);
			list_add(&list, item);
		}
		break;
	case PCR_LIST_MGLRU:
		list_indexed(&list, rep->mglru_age, PCR_GENS);
		break;
	case PCR_LIST_ORDERS:
		list_indexed(&list, rep->order_pages, PCR_ORDERS);
		break;
	case PCR_LIST_MEMCGS:
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
	return list ? list : strdup("0");
}

/* Page map ------------------------------------------------------------------ */

static const struct pcr_col map_cols[] = {
	{ "PATH", NULL, 0.3, 0, PCR_SHOW_STR, 0, "" },
	{ "FIRST", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_NUM, 0, "" },
	{ "LAST", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_NUM, 0, "" },
	{ "PAGES", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_NUM, 0, "" },
	{ "SIZE", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_SIZE, 0, "" },
	{ "STATE", NULL, 5, 0, PCR_SHOW_STR, 0, "" },
	{ "LRU", NULL, 5, 0, PCR_SHOW_STR, 0, "" },
	{ "MAPPED", NULL, 5, 0, PCR_SHOW_BOOL, 0, "" },
	{ "NODE", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_NUM, 0, "" },
	{ "ORDER", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_NUM, 0, "" },
};

enum {
	MC_PATH, MC_FIRST, MC_LAST, MC_PAGES, MC_SIZE, MC_STATE, MC_LRU,
	MC_MAPPED, MC_NODE, MC_ORDER, MC_NR
};

struct map_ctx {
	const struct pcr_out *o;
	const struct pcr_frow *row;
};

/*
 * One run's cell. What mincore cannot know (lru, mapped, node, order)
 * is "-" (null in JSON); so is the LRU of a run on no list.
 */
static char *map_cell(void *ctx, const void *rec, int id)
{
	const struct map_ctx *m = ctx;
	const struct pcr_report *rep = &m->row->rep;
	const struct pcr_run *run = rec;
	uint64_t pages = run->last - run->first + 1;

	switch (id) {
	case MC_PATH:
		return pcr_path_cell(m->o, rep, m->row->arg);
	case MC_FIRST:
		return pcr_cell_num(run->first);
	case MC_LAST:
		return pcr_cell_num(run->last);
	case MC_PAGES:
		return pcr_cell_num(pages);
	case MC_SIZE:
		return pcr_cell_pages(m->o, pages, rep->page_size);
	case MC_STATE:
		return strdup(run->state);
	}
	if (!rep->map_known)
		return NULL;
	switch (id) {
	case MC_LRU:
		return strcmp(run->lru, "-") || !m->o->json ?
		       strdup(run->lru) : NULL;
	case MC_MAPPED:
		if (m->o->json)
			return pcr_cell_bool(m->o, run->mapped);
		return strdup(run->mapped ? "m" : "-");
	case MC_NODE:
		return run->node < 0 ? NULL : pcr_cell_num(run->node);
	case MC_ORDER:
		return run->order < 0 ? NULL : pcr_cell_num(run->order);
	}
	return NULL;
}

static struct pcr_table *map_table(const struct pcr_out *o,
				   struct pcr_colset *cs)
{
	static const int ids[] = { MC_PATH, MC_FIRST, MC_LAST, MC_PAGES,
				   MC_SIZE, MC_STATE, MC_LRU, MC_MAPPED,
				   MC_NODE, MC_ORDER };

	pcr_colset_init(cs, map_cols, ARRAY_SIZE(map_cols), 0, NULL);
	/* tables name the file above the runs; JSON names it in each run */
	if (o->json)
		pcr_colset_set(cs, ids, ARRAY_SIZE(ids));
	else
		pcr_colset_set(cs, ids + 1, ARRAY_SIZE(ids) - 1);
	return pcr_table_new(o, "map", cs);
}

static int map_rows(const struct pcr_out *o, struct pcr_table *tb,
		    const struct pcr_colset *cs, const struct pcr_frow *row)
{
	struct map_ctx m = { o, row };
	size_t i;
	int ret = 0;

	for (i = 0; i < row->rep.nr_runs && !ret; i++)
		ret = pcr_table_add(tb, o, cs, map_cell, &m, &row->rep.runs[i]);
	return ret;
}

/*
 * Tables: one table of runs per file, under its name. JSON: one document,
 * every run with its PATH, so the output stays valid JSON.
 */
int pcr_print_maps(const struct pcr_out *o, struct pcr_frow *rows, size_t n)
{
	struct pcr_table *tb = NULL;
	struct pcr_out once = *o;	/* the time printed once, above */
	struct pcr_colset cs;
	bool first = true;
	size_t i;
	int ret = 0;

	if (o->stamp && !o->json)
		printf("# %s\n", o->stamp);
	once.stamp = NULL;
	for (i = 0; i < n && !ret; i++) {
		if (rows[i].err)
			continue;
		if (!(rows[i].rep.have & PCR_HAVE_MAP)) {
			fprintf(stderr, "pcinspect: %s: no page map from %s\n",
				rows[i].arg, rows[i].rep.source);
			continue;
		}
		if (!tb) {
			tb = map_table(o, &cs);
			if (!tb)
				return -ENOMEM;
		}
		ret = map_rows(o, tb, &cs, &rows[i]);
		if (ret || o->json)
			continue;
		if (!o->noheadings && !o->pairs)
			printf("%s%s:\n", first ? "" : "\n", rows[i].rep.path);
		first = false;
		ret = pcr_print_tables(&tb, 1, &once, false);
		pcr_unref_tables(&tb, 1);
		tb = NULL;
	}
	if (tb) {
		if (!ret) {
			once.stamp = o->json ? o->stamp : NULL;
			ret = pcr_print_tables(&tb, 1, &once, false);
		}
		pcr_unref_tables(&tb, 1);
	}
	return ret;
}
