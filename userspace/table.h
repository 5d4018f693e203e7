/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table layer. Every command describes its columns with one struct
 * pcr_col table (name, fincore-style alias, width hint, flags, how cells
 * are shown, which views list it, its meaning); from that table alone
 * come -o/+LIST/--output-all, the --list-columns text, the table's
 * headings, alignment and JSON types. Commands only turn their records
 * into cell texts. Tables, raw output, NAME="value" pairs and JSON are
 * written here, as libsmartcols (lsblk, fincore) writes them; several
 * tables print as one JSON document.
 */
#ifndef PCR_TABLE_H
#define PCR_TABLE_H

#include "reader.h"

struct pcr_table;

/* How a column's cells are shown, and so its JSON type. */
enum {
	PCR_SHOW_STR,	/* text; JSON: a string */
	PCR_SHOW_NUM,	/* a number */
	PCR_SHOW_SIZE,	/* an amount: a size, bytes with -b and in JSON */
	PCR_SHOW_DELTA,	/* a signed amount, a size with its sign */
	PCR_SHOW_BOOL,	/* 1 or 0; JSON: true or false */
	PCR_SHOW_LIST,	/* "a:b,c:d" in tables; JSON: an object or array */
};

struct pcr_col {
	const char *name;
	const char *alias;	/* another name -o accepts (fincore's), or NULL */
	double whint;
	int flags;		/* PCR_COL_* */
	int show;		/* PCR_SHOW_* */
	unsigned int views;	/* bit v: listed in view v; 0: in every view */
	const char *help;
};

/* Column flags: cells aligned to the right (numbers, sizes). */
#define PCR_COL_RIGHT	0x1

/* -o NAME_PAGES: an amount column in pages rather than as a size */
#define PCR_COL_PAGES	0x1000
#define PCR_MAXCOLS	96

/* The output options every command takes. */
struct pcr_out {
	bool json, raw, bytes, noheadings, pairs, all;
	const char *list;	/* -o LIST, or NULL */
	const char *stamp;	/* the time of this --watch refresh, or NULL */
};

/* The columns a run shows, out of one command's table. */
struct pcr_colset {
	const struct pcr_col *tab;
	size_t ntab;
	unsigned int view;	/* the view's bit, 0 when the table has none */
	const char *view_name;
	bool pages_ok;		/* NAME_PAGES accepted for amounts */
	int id[PCR_MAXCOLS];
	size_t n;
};

void pcr_colset_init(struct pcr_colset *cs, const struct pcr_col *tab,
		     size_t ntab, unsigned int view, const char *view_name);
void pcr_colset_set(struct pcr_colset *cs, const int *ids, size_t n);
int pcr_colset_apply(struct pcr_colset *cs, const struct pcr_out *o);
bool pcr_colset_has(const struct pcr_colset *cs, int id);
int pcr_col_by_name(const struct pcr_colset *cs, const char *name,
		    size_t len);
void pcr_columns_help(FILE *out, const struct pcr_col *tab, size_t ntab,
		      const char * const *views, size_t nviews);

/* Cells: newly allocated text; NULL is "-" in tables, null in JSON. */
char *pcr_put_u64(char *buf, uint64_t v);

/*
 * The same texts written into @buf (PCR_CELL_BUF bytes) or, for paths
 * and booleans, pointing at what they show (*owned: allocated, to free):
 * for a command's rows, which add them with pcr_table_add_text().
 */
#define PCR_CELL_BUF	48
const char *pcr_text_num(uint64_t v, char *buf);
const char *pcr_text_bytes(const struct pcr_out *o, __uint128_t bytes,
			   char *buf);
const char *pcr_text_pages(const struct pcr_out *o, uint64_t pages,
			   uint64_t page_size, char *buf);
const char *pcr_text_bool(const struct pcr_out *o, bool v);
const char *pcr_text_path(const struct pcr_out *o, const char *path,
			  bool deleted, char **owned);

char *pcr_cell_str(const char *s);
char *pcr_cell_num(uint64_t v);
char *pcr_cell_signed(bool neg, uint64_t v);
char *pcr_cell_bytes(const struct pcr_out *o, __uint128_t bytes);
char *pcr_cell_pages(const struct pcr_out *o, uint64_t pages,
		     uint64_t page_size);
char *pcr_cell_delta(const struct pcr_out *o, bool neg,
		     __uint128_t bytes);
char *pcr_cell_bool(const struct pcr_out *o, bool v);
char *pcr_cell_path(const struct pcr_out *o, const char *path, bool deleted);
void pcr_human_size(uint64_t bytes, char *buf, size_t size);

/* Tables */
typedef char *(*pcr_cell_fn)(void *ctx, const void *rec, int id);

struct pcr_table *pcr_table_new(const struct pcr_out *o, const char *name,
				const struct pcr_colset *cs);
int pcr_table_add(struct pcr_table *tb, const struct pcr_out *o,
		  const struct pcr_colset *cs, pcr_cell_fn cell, void *ctx,
		  const void *rec);
int pcr_table_add_cells(struct pcr_table *tb, const struct pcr_out *o,
			char **cells, size_t n);
int pcr_table_add_text(struct pcr_table *tb, const char * const *cells,
		       size_t n);
int pcr_print_tables(struct pcr_table **tbs, size_t n,
		     const struct pcr_out *o, bool header_if_empty);
void pcr_unref_tables(struct pcr_table **tbs, size_t n);
int pcr_table_print(struct pcr_table *tb, FILE *f);

/* Standard output: a write error is a failure, said once. */
int pcr_stdout_check(void);
void pcr_close_stdout(void);
void pcr_watch_stamp(char *buf, size_t size);

#endif /* PCR_TABLE_H */
