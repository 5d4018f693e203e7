// SPDX-License-Identifier: GPL-2.0
/*
 * table_test: the layers every command stands on, without a command:
 * the column set (-o, +LIST, aliases, NAME_PAGES, views, --output-all),
 * the cells (sizes, deltas, booleans), the record filler of the parser
 * core, the residency bar and the file snapshot (found again by dev and
 * inode). TAP output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsmartcols.h>

#include "file_snapshot.h"
#include "file_view.h"
#include "records.h"
#include "table.h"
#include "tests/tap.h"

/* Columns ---------------------------------------------------------------- */

enum { C_PATH, C_CACHED, C_PAGES, C_ZONE, C_NR };

static const struct pcr_col cols[C_NR] = {
	[C_PATH] = { "PATH", "FILE", 0.3, 0, PCR_SHOW_STR, 0, "path" },
	[C_CACHED] = { "CACHED", "RES", 5, 0, PCR_SHOW_SIZE, 0, "cache" },
	[C_PAGES] = { "PAGES", NULL, 5, 0, PCR_SHOW_NUM, 1, "pages" },
	[C_ZONE] = { "ZONE", NULL, 5, 0, PCR_SHOW_STR, 2, "zone" },
};

static bool ids_are(const struct pcr_colset *cs, const int *want, size_t n)
{
	size_t i;

	if (cs->n != n)
		return false;
	for (i = 0; i < n; i++)
		if (cs->id[i] != want[i])
			return false;
	return true;
}

static int apply(struct pcr_colset *cs, unsigned int view, const char *list,
		 bool all)
{
	static const int def[] = { C_CACHED, C_PATH };
	struct pcr_out o = { .list = list, .all = all };
	FILE *saved = stderr;
	int ret;

	pcr_colset_init(cs, cols, C_NR, view, "test");
	cs->pages_ok = true;
	pcr_colset_set(cs, def, ARRAY_SIZE(def));
	stderr = fopen("/dev/null", "w");
	ret = pcr_colset_apply(cs, &o);
	fclose(stderr);
	stderr = saved;
	return ret;
}

static void test_columns(void)
{
	struct pcr_colset cs;
	int ret;

	ret = apply(&cs, 1, NULL, false);
	check(!ret && ids_are(&cs, (int[]){ C_CACHED, C_PATH }, 2),
	      "no -o: the defaults");
	ret = apply(&cs, 1, "pages,path", false);
	check(!ret && ids_are(&cs, (int[]){ C_PAGES, C_PATH }, 2),
	      "-o replaces, any case");
	ret = apply(&cs, 1, "+PAGES,CACHED", false);
	check(!ret && ids_are(&cs, (int[]){ C_CACHED, C_PATH, C_PAGES }, 3),
	      "+LIST adds what is not shown yet");
	ret = apply(&cs, 1, "RES,FILE", false);
	check(!ret && ids_are(&cs, (int[]){ C_CACHED, C_PATH }, 2),
	      "fincore's names RES and FILE are aliases");
	ret = apply(&cs, 1, "CACHED_PAGES", false);
	check(!ret && ids_are(&cs, (int[]){ C_CACHED | PCR_COL_PAGES }, 1),
	      "NAME_PAGES of an amount");
	check(apply(&cs, 1, "PAGES_PAGES", false) == -EINVAL,
	      "NAME_PAGES of a count is unknown");
	check(apply(&cs, 1, "NOPE", false) == -EINVAL, "unknown column refused");
	check(apply(&cs, 1, "ZONE", false) == -EINVAL,
	      "a column of another view refused");
	check(apply(&cs, 1, "", false) == -EINVAL, "no columns refused");
	ret = apply(&cs, 1, NULL, true);
	check(!ret && ids_are(&cs, (int[]){ C_PATH, C_CACHED, C_PAGES }, 3),
	      "--output-all: every column of the view, in order");
	ret = apply(&cs, 2, "+ZONE", true);
	check(!ret && ids_are(&cs, (int[]){ C_PATH, C_CACHED, C_ZONE }, 3),
	      "--output-all of another view, and +LIST after it");
}

/* Cells ------------------------------------------------------------------ */

static bool cell_is(char *s, const char *want)
{
	bool ok = s && !strcmp(s, want);

	if (!ok)
		printf("# got \"%s\", want \"%s\"\n", s ? s : "(null)", want);
	free(s);
	return ok;
}

static void test_cells(void)
{
	struct pcr_out human = { .bytes = false }, bytes = { .bytes = true };
	struct pcr_out json = { .json = true };

	check(cell_is(pcr_cell_pages(&human, 3, 4096), "12K"), "3 pages: 12K");
	check(cell_is(pcr_cell_pages(&bytes, 3, 4096), "12288"),
	      "3 pages, -b: 12288");
	check(cell_is(pcr_cell_pages(&bytes, UINT64_MAX, 4096),
		      "18446744073709551615"),
	      "2^64 - 1 pages saturate, never wrap");
	check(cell_is(pcr_cell_delta(&human, true, 8192), "-8K"), "delta -8K");
	check(cell_is(pcr_cell_delta(&human, false, 8192), "+8K"), "delta +8K");
	check(cell_is(pcr_cell_delta(&json, true, 8192), "-8192"),
	      "delta in JSON: a signed number");
	check(cell_is(pcr_cell_delta(&human, false, 0), "0"), "no change: 0");
	check(cell_is(pcr_cell_bool(&json, true), "true"), "JSON boolean");
	check(cell_is(pcr_cell_bool(&human, false), "0"), "table boolean 0");
	check(cell_is(pcr_cell_signed(true, 0), "0"), "-0 is 0");
}

/* Tables: pairs -------------------------------------------------------------- */

/* @tb as pcr_print_tables() prints it, as a string. */
static char *printed(struct pcr_table *tb)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	pcr_table_print(tb, f);
	fclose(f);
	return text;
}

static void test_pairs(void)
{
	static const int ids[] = { C_CACHED, C_PATH };
	struct pcr_out o = { .pairs = true, .bytes = true };
	struct pcr_table *tb;
	struct pcr_colset cs;
	char *cells[2], *out = NULL;
	int ret;

	pcr_colset_init(&cs, cols, C_NR, 0, NULL);
	pcr_colset_set(&cs, ids, 2);
	tb = pcr_table_new(&o, "t", &cs);
	cells[0] = strdup("4096");
	cells[1] = NULL;
	ret = tb ? pcr_table_add_cells(tb, &o, cells, 2) : -ENOMEM;
	if (!ret)
		out = printed(tb);
	check(!ret && out && !strcmp(out, "CACHED=\"4096\" PATH=\"-\"\n"),
	      "-P: NAME=\"value\" pairs, unknown \"-\" (%s)", out ? out : "");
	free(out);
	pcr_unref_tables(&tb, 1);
}

/*
 * The reader lays tables out itself, as libsmartcols does for output
 * that is not a terminal: the same text for the same cells, in every
 * output kind, with cells that need codes, absent cells, headings wider
 * than their cells and cells wider than their width hints.
 */
enum { L_PATH, L_CACHED, L_PAGES, L_ZONE, L_LONG, L_NR };

static const struct pcr_col lcols[L_NR] = {
	[L_PATH] = { "PATH", NULL, 0.3, 0, PCR_SHOW_STR, 0, "" },
	[L_CACHED] = { "CACHED", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_STR, 0, "" },
	[L_PAGES] = { "PAGES", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_STR, 0, "" },
	[L_ZONE] = { "ZONE", NULL, 6, 0, PCR_SHOW_STR, 0, "" },
	[L_LONG] = { "A_LONG_HEADING", NULL, 3, PCR_COL_RIGHT, PCR_SHOW_STR, 0, "" },
};

static const char * const lcells[][L_NR] = {
	{ "/a b/c", "4K", "1", "DMA32", "7" },
	{ "/tab\there", "12.5M", NULL, "Normal", "123456789012345678" },
	{ "/nl\nx\x01\x7f\x80\xff", "0B", "100000", NULL, "" },
	{ "/back\\slash\\x \"q\" $v `c` 'a'", NULL, "2", "Movable", "1" },
	{ "\xc3\xa9t\xc3\xa9", "1.1G", "3", "x", "22" },
};

static char *scols_text(const int *ids, size_t n, const struct pcr_out *o)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_line *ln;
	char *out = NULL;
	size_t r, i;

	scols_table_enable_raw(tb, o->raw);
	scols_table_enable_export(tb, o->pairs);
	scols_table_enable_noheadings(tb, o->noheadings);
	for (i = 0; i < n; i++)
		scols_table_new_column(tb, lcols[ids[i]].name,
				       lcols[ids[i]].whint,
				       lcols[ids[i]].flags & PCR_COL_RIGHT ?
				       SCOLS_FL_RIGHT : 0);
	for (r = 0; r < ARRAY_SIZE(lcells); r++) {
		ln = scols_table_new_line(tb, NULL);
		for (i = 0; i < n; i++)
			scols_line_set_data(ln, i, lcells[r][ids[i]] ?
					    lcells[r][ids[i]] : "-");
	}
	scols_print_table_to_string(tb, &out);
	scols_unref_table(tb);
	return out;
}

static char *pcr_text(const int *ids, size_t n, const struct pcr_out *o)
{
	struct pcr_table *tb;
	struct pcr_colset cs;
	char *cells[L_NR], *out;
	size_t r, i;

	pcr_colset_init(&cs, lcols, L_NR, 0, NULL);
	pcr_colset_set(&cs, ids, n);
	tb = pcr_table_new(o, "t", &cs);
	if (!tb)
		return NULL;
	for (r = 0; r < ARRAY_SIZE(lcells); r++) {
		for (i = 0; i < n; i++)
			cells[i] = lcells[r][ids[i]] ?
				   strdup(lcells[r][ids[i]]) : NULL;
		pcr_table_add_cells(tb, o, cells, n);
	}
	out = printed(tb);
	pcr_unref_tables(&tb, 1);
	return out;
}

/*
 * JSON as libsmartcols writes it: quoted text columns with every byte
 * from 1 to 255 (escapes, and bytes above 127 as they are), verbatim
 * number columns, null for no text and for an empty cell, keys in lower
 * case; and a table without lines.
 */
enum { J_PATH, J_CACHED, J_LIST, J_NR };

static const struct pcr_col jcols[J_NR] = {
	[J_PATH] = { "PATH", NULL, 0.3, 0, PCR_SHOW_STR, 0, "" },
	[J_CACHED] = { "CACHED", NULL, 5, PCR_COL_RIGHT, PCR_SHOW_SIZE, 0, "" },
	[J_LIST] = { "NODES", NULL, 5, 0, PCR_SHOW_LIST, 0, "" },
};

static char jall[256];

static const char *jcells[][J_NR] = {
	{ jall, "4096", "{\"0\": 1}" },
	{ "/a \"b\" \\x\\", NULL, "[]" },
	{ "", "", NULL },
	{ NULL, "0", "[{\"path\": \"/\", \"pages\": 2}]" },
};

static char *scols_json(size_t nlines)
{
	struct libscols_table *tb = scols_new_table();
	struct libscols_column *cl;
	struct libscols_line *ln;
	char *out = NULL;
	size_t r, i;

	scols_table_enable_json(tb, true);
	scols_table_set_name(tb, "files");
	for (i = 0; i < J_NR; i++) {
		cl = scols_table_new_column(tb, jcols[i].name, jcols[i].whint,
					    0);
		scols_column_set_json_type(cl, jcols[i].show == PCR_SHOW_STR ?
					   SCOLS_JSON_STRING :
					   SCOLS_JSON_NUMBER);
	}
	for (r = 0; r < nlines; r++) {
		ln = scols_table_new_line(tb, NULL);
		for (i = 0; i < J_NR; i++)
			scols_line_set_data(ln, i, jcells[r][i]);
	}
	scols_print_table_to_string(tb, &out);
	scols_unref_table(tb);
	return out;
}

static char *pcr_json(size_t nlines)
{
	static const int ids[J_NR] = { J_PATH, J_CACHED, J_LIST };
	struct pcr_out o = { .json = true };
	struct pcr_table *tb;
	struct pcr_colset cs;
	char *cells[J_NR], *out;
	size_t r, i;

	pcr_colset_init(&cs, jcols, J_NR, 0, NULL);
	pcr_colset_set(&cs, ids, J_NR);
	tb = pcr_table_new(&o, "files", &cs);
	if (!tb)
		return NULL;
	for (r = 0; r < nlines; r++) {
		for (i = 0; i < J_NR; i++)
			cells[i] = jcells[r][i] ? strdup(jcells[r][i]) : NULL;
		pcr_table_add_cells(tb, &o, cells, J_NR);
	}
	out = printed(tb);
	pcr_unref_tables(&tb, 1);
	return out;
}

static void test_json(void)
{
	size_t i, n;

	for (i = 1; i < 256; i++)
		jall[i - 1] = i;
	for (n = 0; n <= ARRAY_SIZE(jcells); n += ARRAY_SIZE(jcells)) {
		char *want = scols_json(n), *got = pcr_json(n);

		bool same = want && got && !strcmp(want, got);

		check(same, "JSON of %zu lines written as libsmartcols writes it%s%s%s%s",
		      n, same ? "" : "\n# want:\n", want && !same ? want : "",
		      same ? "" : "\n# got:\n", got && !same ? got : "");
		free(want);
		free(got);
	}
}

/* A line of PCR_MAXCOLS cells: more than the first room for cells. */
static void test_wide(void)
{
	struct pcr_out o = { .raw = true };
	int ids[PCR_MAXCOLS];
	char *cells[PCR_MAXCOLS], *out;
	struct pcr_table *tb;
	struct pcr_colset cs;
	size_t i, r, words = 0;
	const char *p;

	for (i = 0; i < PCR_MAXCOLS; i++)
		ids[i] = L_ZONE;
	pcr_colset_init(&cs, lcols, L_NR, 0, NULL);
	pcr_colset_set(&cs, ids, PCR_MAXCOLS);
	tb = pcr_table_new(&o, "t", &cs);
	for (r = 0; tb && r < 3; r++) {
		for (i = 0; i < PCR_MAXCOLS; i++)
			cells[i] = strdup("z");
		pcr_table_add_cells(tb, &o, cells, PCR_MAXCOLS);
	}
	out = tb ? printed(tb) : NULL;
	for (p = out; p && *p; p++)
		words += *p == 'z' && (p == out || p[-1] == ' ' || p[-1] == '\n');
	check(words == 3 * PCR_MAXCOLS, "%d columns: 3 lines of %d cells (%zu)",
	      PCR_MAXCOLS, PCR_MAXCOLS, words);
	free(out);
	pcr_unref_tables(&tb, 1);
}

static void test_layout(void)
{
	static const int orders[][L_NR] = {
		{ L_CACHED, L_PAGES, L_ZONE, L_LONG, L_PATH },
		{ L_PATH, L_CACHED, L_ZONE, L_PAGES, L_LONG },
		{ L_ZONE, L_LONG, L_PATH, L_PAGES, L_CACHED },
	};
	static const struct { struct pcr_out o; const char *what; } kinds[] = {
		{ { .raw = false }, "table" },
		{ { .noheadings = true }, "table without headings" },
		{ { .raw = true }, "raw" },
		{ { .raw = true, .noheadings = true }, "raw without headings" },
		{ { .pairs = true }, "pairs" },
	};
	size_t k, i;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (i = 0; i < ARRAY_SIZE(orders); i++) {
			char *want = scols_text(orders[i], L_NR, &kinds[k].o);
			char *got = pcr_text(orders[i], L_NR, &kinds[k].o);
			/* libsmartcols' string has no final newline */
			size_t wl = want ? strlen(want) : 0;

			check(want && got && strlen(got) == wl + 1 &&
			      !strncmp(want, got, wl) && got[wl] == '\n',
			      "%s, column order %zu: laid out as libsmartcols lays it out%s%s%s%s",
			      kinds[k].what, i,
			      want && got && strncmp(want, got, wl) ? "\n# want:\n" : "",
			      want && got && strncmp(want, got, wl) ? want : "",
			      want && got && strncmp(want, got, wl) ? "\n# got:\n" : "",
			      want && got && strncmp(want, got, wl) ? got : "");
			free(want);
			free(got);
		}
	}
}

/* Records ---------------------------------------------------------------- */

struct rec {
	uint64_t a, b;
	int kind;
	char word[PCR_WORD];
};

static const char * const kinds[] = { "x", "y", NULL };

static const struct pcr_key keys[] = {
	PCR_KEY("a", PCR_K_U64, struct rec, a),
	PCR_KEY("b", PCR_K_U64 | PCR_K_OPTIONAL, struct rec, b),
	PCR_KEY_ENUM("kind", struct rec, kind, kinds),
	PCR_KEY_WORD("word", struct rec, word),
	PCR_KEY_END
};

static int record(const char *s, struct rec *r)
{
	struct pcr_parser p = { .name = "t" };
	int ret;

	memset(r, 0, sizeof(*r));
	ret = pcr_kv_record(&p, r, s, strlen(s), keys, NULL);
	pcr_parser_free(&p);
	return ret;
}

static void test_records(void)
{
	struct rec r;
	const char *f[4];
	size_t fl[4];

	check(!record("a=1 kind=y word=DMA32 new=7", &r) && r.a == 1 &&
	      r.kind == 1 && !strcmp(r.word, "DMA32"),
	      "record filled, an unknown key ignored");
	check(!record("word=w kind=x a=2 b=3", &r) && r.b == 3,
	      "any order, an optional key read");
	check(record("a=1 a=2 kind=x word=w", &r) == -EINVAL, "a key twice");
	check(record("kind=x word=w", &r) == -EINVAL, "a key missing");
	check(record("a=1 kind=z word=w", &r) == -EINVAL, "an unknown enum");
	check(record("a=1 kind=x word=w ", &r) == -EINVAL, "a trailing blank");
	check(record("a=18446744073709551616 kind=x word=w", &r) == -ERANGE,
	      "a number too large: ERANGE");
	check(pcr_split("a b c", 5, f, fl, 4) == 3 && fl[2] == 1,
	      "split at single blanks");
	check(pcr_split("a b c d e", 9, f, fl, 4) == 5, "more fields than max");
}

/* The residency bar ---------------------------------------------------------- */

static void add_run(struct pcr_report *rep, uint64_t first, uint64_t last,
		    const char *state)
{
	struct pcr_run run = { .first = first, .last = last };

	snprintf(run.state, sizeof(run.state), "%s", state);
	pcr_report_add_run(rep, &run);
}

static void test_bar(void)
{
	struct pcr_report rep;
	char *bar;

	pcr_report_init(&rep);
	rep.have = PCR_HAVE_MAP;
	add_run(&rep, 0, 1, "cached");
	add_run(&rep, 2, 3, "hole");
	bar = pcr_bar(&rep);
	check(bar && !strcmp(bar, "[OO  ]"), "4 pages: one cell each (%s)",
	      bar ? bar : "");
	free(bar);
	pcr_report_free(&rep);

	pcr_report_init(&rep);
	rep.have = PCR_HAVE_MAP;
	add_run(&rep, 0, 99, "dirty");
	add_run(&rep, 100, 100, "writeback");
	add_run(&rep, 101, 399, "uncached");
	bar = pcr_bar(&rep);
	check(bar && strlen(bar) == PCR_BAR_WIDTH + 2 &&
	      !strncmp(bar, "[OOOOOOOOOOo ", 13) && bar[PCR_BAR_WIDTH] == ' ',
	      "400 pages in %d cells: full, partial, empty (%s)",
	      PCR_BAR_WIDTH, bar ? bar : "");
	free(bar);
	rep.have = 0;
	check(!pcr_bar(&rep), "no map: no bar");
	pcr_report_free(&rep);
}

/* File snapshots ---------------------------------------------------------- */

static void test_snapshot(void)
{
	char file[] = "/tmp/pcr-snap-XXXXXX", err[128];
	struct pcr_snaps ss = { NULL, 0, 0 }, back;
	struct pcr_report a, b;
	const struct pcr_snap *s;
	FILE *f;
	int fd = mkstemp(file);

	if (fd < 0) {
		check(false, "snapshot set-up");
		return;
	}
	close(fd);
	pcr_report_init(&a);
	a.have = PCR_HAVE_CACHED | PCR_HAVE_IDENT;
	a.path = strdup("/d/one file");
	snprintf(a.dev, sizeof(a.dev), "8:1");
	a.ino = 12;
	a.cached = 3;
	a.page_size = 4096;
	pcr_snaps_add(&ss, &a);
	check(!pcr_snaps_save(file, &ss), "snapshot saved");
	check(!pcr_snaps_load(file, &back, err, sizeof(err)) && back.n == 1 &&
	      back.s[0].v[PCR_SNAP_CACHED] == 12288 &&
	      back.s[0].v[PCR_SNAP_DIRTY] == -1,
	      "read back: bytes, unknown stays unknown");
	/* the same file under another name: found by dev and inode */
	pcr_report_init(&b);
	b.have = PCR_HAVE_CACHED | PCR_HAVE_IDENT;
	b.path = strdup("/other/name");
	snprintf(b.dev, sizeof(b.dev), "8:1");
	b.ino = 12;
	s = pcr_snaps_find(&back, &b);
	check(s, "another name of the same file is found");
	b.ino = 13;
	free(b.path);
	b.path = strdup("/d/one file");
	check(!pcr_snaps_find(&back, &b),
	      "a new file under the old name is not the old file");
	pcr_snaps_free(&back);
	/* format 1: no dev and ino, matched by path */
	f = fopen(file, "w");
	fputs("# pcinspect snapshot 1\n4096 - - - /d/one\\040file\n", f);
	fclose(f);
	check(!pcr_snaps_load(file, &back, err, sizeof(err)) && back.n == 1 &&
	      pcr_snaps_find(&back, &b),
	      "a format 1 snapshot still reads, matched by path");
	pcr_snaps_free(&back);
	pcr_snaps_free(&ss);
	pcr_report_free(&a);
	pcr_report_free(&b);
	unlink(file);
}

int main(void)
{
	printf("TAP version 13\n");
	test_columns();
	test_cells();
	test_pairs();
	test_layout();
	test_json();
	test_wide();
	test_records();
	test_bar();
	test_snapshot();
	return tap_done();
}
