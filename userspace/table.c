// SPDX-License-Identifier: GPL-2.0
/*
 * The table layer (table.h): columns chosen by -o from a command's
 * column table, cells formatted alike in every command, and tables, raw
 * output, pairs and JSON written as libsmartcols writes them (lsblk and
 * fincore's users parse that text), without linking it: the reader is
 * then one static program, which starts in a third of the time under
 * emulation (Documentation/benchmarks.md), and copies to any machine.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "table.h"

/* Columns ---------------------------------------------------------------- */

void pcr_colset_init(struct pcr_colset *cs, const struct pcr_col *tab,
		     size_t ntab, unsigned int view, const char *view_name)
{
	memset(cs, 0, sizeof(*cs));
	cs->tab = tab;
	cs->ntab = ntab;
	cs->view = view;
	cs->view_name = view_name;
}

void pcr_colset_set(struct pcr_colset *cs, const int *ids, size_t n)
{
	if (n > PCR_MAXCOLS)
		n = PCR_MAXCOLS;
	memcpy(cs->id, ids, n * sizeof(*ids));
	cs->n = n;
}

bool pcr_colset_has(const struct pcr_colset *cs, int id)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (cs->id[i] == id)
			return true;
	return false;
}

static bool name_is(const char *name, const char *s, size_t len)
{
	return name && strlen(name) == len && !strncasecmp(name, s, len);
}

static bool in_view(const struct pcr_colset *cs, int id)
{
	unsigned int views = cs->tab[id & ~PCR_COL_PAGES].views;

	return !views || !cs->view || (views & cs->view);
}

/*
 * A column by its name or alias, any case; NAME_PAGES for an amount
 * when the command shows amounts in pages too. -1: no such column.
 */
int pcr_col_by_name(const struct pcr_colset *cs, const char *name,
		    size_t len)
{
	static const char suffix[] = "_PAGES";
	size_t sl = sizeof(suffix) - 1, i;

	for (i = 0; i < cs->ntab; i++)
		if (name_is(cs->tab[i].name, name, len) ||
		    name_is(cs->tab[i].alias, name, len))
			return i;
	if (!cs->pages_ok || len <= sl ||
	    strncasecmp(name + len - sl, suffix, sl))
		return -1;
	for (i = 0; i < cs->ntab; i++)
		if (cs->tab[i].show == PCR_SHOW_SIZE &&
		    name_is(cs->tab[i].name, name, len - sl))
			return i | PCR_COL_PAGES;
	return -1;
}

static int colset_add(struct pcr_colset *cs, int id)
{
	if (pcr_colset_has(cs, id))
		return 0;	/* each column once */
	if (cs->n == PCR_MAXCOLS) {
		fprintf(stderr, "pcinspect: too many columns\n");
		return -EINVAL;
	}
	cs->id[cs->n++] = id;
	return 0;
}

/*
 * --output-all (every column of the view, in the table's order) and -o
 * LIST: comma-separated names replacing the defaults, or "+LIST" adding
 * to them. Errors are said here.
 */
int pcr_colset_apply(struct pcr_colset *cs, const struct pcr_out *o)
{
	const char *list = o->list, *p, *end;
	size_t i;
	int id;

	if (o->all) {
		cs->n = 0;
		for (i = 0; i < cs->ntab; i++)
			if (in_view(cs, i) && colset_add(cs, i))
				return -EINVAL;
	}
	if (!list)
		return 0;
	if (*list == '+')
		list++;
	else
		cs->n = 0;
	for (p = list; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		id = pcr_col_by_name(cs, p, end - p);
		if (id < 0) {
			fprintf(stderr, "pcinspect: unknown column: %.*s\n",
				(int)(end - p), p);
			return -EINVAL;
		}
		if (!in_view(cs, id)) {
			fprintf(stderr,
				"pcinspect: column %.*s is not in the %s view\n",
				(int)(end - p), p, cs->view_name);
			return -EINVAL;
		}
		if (colset_add(cs, id))
			return -EINVAL;
	}
	if (!cs->n) {
		fprintf(stderr, "pcinspect: no columns\n");
		return -EINVAL;
	}
	return 0;
}

/* The --list-columns text: name, alias, meaning, and the views it is in. */
void pcr_columns_help(FILE *out, const struct pcr_col *tab, size_t ntab,
		      const char * const *views, size_t nviews)
{
	size_t i, v;
	bool first;

	for (i = 0; i < ntab; i++) {
		fprintf(out, " %16s  %s", tab[i].name, tab[i].help);
		if (tab[i].alias)
			fprintf(out, " (also %s)", tab[i].alias);
		if (nviews && tab[i].views) {
			fputs(" [", out);
			for (v = 0, first = true; v < nviews; v++) {
				if (!(tab[i].views & 1u << v))
					continue;
				fprintf(out, "%s%s", first ? "" : ",", views[v]);
				first = false;
			}
			fputc(']', out);
		}
		fputc('\n', out);
	}
}

/* Cells ------------------------------------------------------------------ */

char *pcr_cell_str(const char *s)
{
	return s ? strdup(s) : NULL;
}

/*
 * @v in decimal at @buf (room for 21 bytes), NUL-terminated; the end.
 * A row of a tree has several numbers: printf's machinery for each was a
 * good part of a row's time under emulation.
 */
char *pcr_put_u64(char *buf, uint64_t v)
{
	char tmp[20], *p = tmp + sizeof(tmp);
	size_t n;

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	n = tmp + sizeof(tmp) - p;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf + n;
}

const char *pcr_text_num(uint64_t v, char *buf)
{
	pcr_put_u64(buf, v);
	return buf;
}

char *pcr_cell_num(uint64_t v)
{
	char buf[PCR_CELL_BUF];

	return strdup(pcr_text_num(v, buf));
}

char *pcr_cell_signed(bool neg, uint64_t v)
{
	char *s;

	return asprintf(&s, "%s%llu", neg && v ? "-" : "",
			(unsigned long long)v) < 0 ? NULL : s;
}

/* A size: bytes with -b and in JSON, else human-readable; saturates. */
const char *pcr_text_bytes(const struct pcr_out *o, __uint128_t bytes,
			   char *buf)
{
	if (bytes > UINT64_MAX)
		bytes = UINT64_MAX;
	if (o->bytes || o->json)
		pcr_put_u64(buf, bytes);
	else
		pcr_human_size((uint64_t)bytes, buf, PCR_CELL_BUF);
	return buf;
}

char *pcr_cell_bytes(const struct pcr_out *o, __uint128_t bytes)
{
	char buf[PCR_CELL_BUF];

	return strdup(pcr_text_bytes(o, bytes, buf));
}

/* Pages as a size: multiplied in 128 bits, 2^64 - 1 pages must not wrap. */
const char *pcr_text_pages(const struct pcr_out *o, uint64_t pages,
			   uint64_t page_size, char *buf)
{
	return pcr_text_bytes(o, (__uint128_t)pages * page_size, buf);
}

char *pcr_cell_pages(const struct pcr_out *o, uint64_t pages,
		     uint64_t page_size)
{
	return pcr_cell_bytes(o, (__uint128_t)pages * page_size);
}

/* A signed size: "+4K"/"-4K" in tables, a signed number with -b and JSON. */
char *pcr_cell_delta(const struct pcr_out *o, bool neg,
		     __uint128_t bytes)
{
	char buf[48];

	if (bytes > INT64_MAX)
		bytes = INT64_MAX;
	if (!bytes)
		return strdup("0");
	if (o->bytes || o->json) {
		snprintf(buf, sizeof(buf), "%s%llu", neg ? "-" : "",
			 (unsigned long long)bytes);
	} else {
		buf[0] = neg ? '-' : '+';
		pcr_human_size((uint64_t)bytes, buf + 1, sizeof(buf) - 1);
	}
	return strdup(buf);
}

/*
 * A path as the module gives it: an unlinked file's ends in " (deleted)".
 * Tables show it so; JSON carries the path itself, and a DELETED column
 * says the rest.
 */
const char *pcr_text_path(const struct pcr_out *o, const char *path,
			  bool deleted, char **owned)
{
	static const char del[] = " (deleted)";
	size_t len;

	*owned = NULL;
	if (!path)
		return NULL;
	len = strlen(path);
	if (o->json && deleted && len >= sizeof(del) - 1 &&
	    !strcmp(path + len - (sizeof(del) - 1), del)) {
		*owned = strndup(path, len - (sizeof(del) - 1));
		return *owned;
	}
	return path;
}

char *pcr_cell_path(const struct pcr_out *o, const char *path, bool deleted)
{
	char *owned;
	const char *s = pcr_text_path(o, path, deleted, &owned);

	return owned ? owned : s ? strdup(s) : NULL;
}

/* JSON takes the text verbatim (the column's type is number). */
const char *pcr_text_bool(const struct pcr_out *o, bool v)
{
	if (o->json)
		return v ? "true" : "false";
	return v ? "1" : "0";
}

char *pcr_cell_bool(const struct pcr_out *o, bool v)
{
	return strdup(pcr_text_bool(o, v));
}

/* Like util-linux: 1023 -> "1023B", 4096 -> "4K", 1572864 -> "1.5M". */
void pcr_human_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	unsigned int u = 0;
	uint64_t whole = bytes, frac = 0;
	char text[24], *p;	/* the longest, 2^64 - 1 bytes: 21 */
	size_t len;

	while (whole >= 1024 && u < sizeof(units) - 2) {
		whole >>= 10;
		u++;
	}
	if (u) {
		/* one decimal, rounded, none when it is 0 */
		frac = bytes - (whole << (10 * u));
		frac = (frac * 10 + (1ULL << (10 * u - 1))) >> (10 * u);
		if (frac >= 10) {
			whole++;
			frac = 0;
		}
	}
	/* no printf: a tree's rows have several sizes each */
	p = pcr_put_u64(text, whole);
	if (frac) {
		*p++ = '.';
		*p++ = '0' + frac;
	}
	*p++ = units[u];
	/* into @buf, cut short as snprintf() would */
	len = p - text;
	if (!size)
		return;
	if (len >= size)
		len = size - 1;
	memcpy(buf, text, len);
	buf[len] = '\0';
}

/* Tables ----------------------------------------------------------------- */

/*
 * A table. Tables, raw output, NAME="value" pairs and JSON are laid out
 * as libsmartcols lays them out for output that is not a terminal (every
 * cell whole, columns as wide as their widest cell, header or width
 * hint; JSON as its documents): a listing of a million files costs a
 * copy of each cell, not per-cell objects and wide-character counts.
 */
struct pcr_table {
	const char *name;
	int mode;			/* enum cell_mode */
	bool noheadings;
	size_t ncols;
	char *head[PCR_MAXCOLS];	/* JSON: the key, in lower case */
	bool right[PCR_MAXCOLS];
	bool jstring[PCR_MAXCOLS];	/* JSON: quoted, else verbatim */
	double whint[PCR_MAXCOLS];
	size_t widest[PCR_MAXCOLS];	/* of the cells */
	size_t width[PCR_MAXCOLS];	/* as printed: layout() */
	/*
	 * The cells, encoded, one after another in @text (each ends in a
	 * NUL): one block for a table, not an allocation per cell, which
	 * for 10,000 files is 70,000 allocations and their pages.
	 */
	char *text;
	size_t text_len, text_alloc;
	uint32_t *cells;	/* ncols a line, offsets into text */
	size_t nlines, alloc;	/* lines held, and room for */
};

/* A cell without text: "-" in tables, null in JSON. */
#define NO_CELL	UINT32_MAX

/* Which characters a cell shows as \xHH, by output kind; JSON its own. */
enum cell_mode { CELL_TABLE, CELL_RAW, CELL_PAIRS, CELL_JSON };

static char *column_name(const struct pcr_colset *cs, int id)
{
	const char *name = cs->tab[id & ~PCR_COL_PAGES].name;
	char *s;

	if (!(id & PCR_COL_PAGES))
		return strdup(name);
	return asprintf(&s, "%s_PAGES", name) < 0 ? NULL : s;
}

/*
 * libsmartcols' safe encoding in the C locale, which the reader runs in:
 * control characters, DEL and every byte above 127 as \xHH, and a
 * backslash before "x" (so that the text reads back unambiguously); raw
 * output also encodes blanks and every backslash (its cells are
 * separated by blanks), pairs the characters special inside a shell's
 * double quotes.
 */
static bool needs_code(const unsigned char *p, int mode)
{
	if (mode == CELL_JSON)
		return false;	/* escaped as it is printed */
	if (*p < 0x20 || *p >= 0x7f)
		return true;
	switch (*p) {
	case '\\':
		return mode != CELL_TABLE || p[1] == 'x';
	case ' ':
		return mode == CELL_RAW;
	case '"':
	case '$':
	case '`':
		return mode == CELL_PAIRS;
	}
	return false;
}

/*
 * Whether a byte may need a code in some mode: printable ASCII other than
 * these five never does. The common cell is checked a byte a lookup.
 */
static bool maybe_code(unsigned char c)
{
	return c < 0x20 || c >= 0x7f || c == '\\' || c == ' ' || c == '"' ||
	       c == '$' || c == '`';
}

static bool maybe_code_table[256];

static void init_maybe_code(void)
{
	unsigned int c;

	for (c = 0; c < 256; c++)
		maybe_code_table[c] = maybe_code(c);
}

/*
 * @s, encoded, at the end of @tb's text: its offset there, or NO_CELL
 * when the text would pass what an offset holds (4 GiB of cells).
 */
static uint32_t append_cell(struct pcr_table *tb, const char *s,
			    size_t *shown)
{
	const unsigned char *p;
	size_t n = 0, len, want, na;
	uint32_t off = tb->text_len;
	char *q;

	for (p = (const unsigned char *)s; *p; p++)
		if (maybe_code_table[*p])
			n += needs_code(p, tb->mode);
	len = p - (const unsigned char *)s + 3 * n;
	want = tb->text_len + len + 1;
	if (want >= NO_CELL)
		return NO_CELL;
	if (want > tb->text_alloc) {
		for (na = tb->text_alloc ? tb->text_alloc : 65536; na < want;)
			na *= 2;
		q = realloc(tb->text, na);
		if (!q)
			return NO_CELL;
		tb->text = q;
		tb->text_alloc = na;
	}
	q = tb->text + off;
	if (!n) {
		memcpy(q, s, len + 1);
	} else {
		for (p = (const unsigned char *)s; *p; p++) {
			if (needs_code(p, tb->mode))
				q += sprintf(q, "\\x%02x", *p);
			else
				*q++ = *p;
		}
		*q = '\0';
	}
	tb->text_len = want;
	*shown = len;
	return off;
}

/* The text of cell @col of line @line, or NULL. */
static const char *cell_at(const struct pcr_table *tb, size_t line,
			   size_t col)
{
	uint32_t off = tb->cells[line * tb->ncols + col];

	return off == NO_CELL ? NULL : tb->text + off;
}

/* A table with the columns of @cs. */
struct pcr_table *pcr_table_new(const struct pcr_out *o, const char *name,
				const struct pcr_colset *cs)
{
	struct pcr_table *tb = calloc(1, sizeof(*tb));
	size_t i;

	if (!tb)
		return NULL;
	if (!maybe_code_table[0])	/* byte 0 is one: set yet? */
		init_maybe_code();
	tb->name = name;
	tb->ncols = cs->n;
	tb->noheadings = o->noheadings;
	tb->mode = o->json ? CELL_JSON : o->raw ? CELL_RAW :
		   o->pairs ? CELL_PAIRS : CELL_TABLE;
	for (i = 0; i < cs->n; i++) {
		const struct pcr_col *c = &cs->tab[cs->id[i] & ~PCR_COL_PAGES];
		char *p;

		tb->head[i] = column_name(cs, cs->id[i]);
		if (!tb->head[i]) {
			pcr_unref_tables(&tb, 1);
			return NULL;
		}
		if (o->json)
			for (p = tb->head[i]; *p; p++)
				*p = tolower((unsigned char)*p);
		tb->right[i] = c->flags & PCR_COL_RIGHT;
		tb->whint[i] = c->whint;
		/*
		 * Text is JSON's string; every other kind is JSON text
		 * already (numbers, true/false, lists as objects or arrays).
		 */
		tb->jstring[i] = c->show == PCR_SHOW_STR &&
				 !(cs->id[i] & PCR_COL_PAGES);
	}
	return tb;
}

/* Room for @want cells, doubling: a line may have up to PCR_MAXCOLS. */
static int reserve_cells(struct pcr_table *tb, size_t want)
{
	size_t na = tb->alloc ? tb->alloc : 64;
	uint32_t *p;

	if (want <= tb->alloc)
		return 0;
	while (na < want)
		na *= 2;
	p = realloc(tb->cells, na * sizeof(*p));
	if (!p)
		return -ENOMEM;
	tb->cells = p;
	tb->alloc = na;
	return 0;
}

/* One line of @n cells, copied (NULL: "-", or null). */
int pcr_table_add_text(struct pcr_table *tb, const char * const *cells,
		       size_t n)
{
	size_t i, len, text_len = tb->text_len;
	uint32_t *line;

	if (reserve_cells(tb, (tb->nlines + 1) * n))
		return -ENOMEM;
	line = tb->cells + tb->nlines * n;
	for (i = 0; i < n; i++) {
		len = 1;	/* "-" */
		line[i] = cells[i] ? append_cell(tb, cells[i], &len) : NO_CELL;
		if (cells[i] && line[i] == NO_CELL) {
			tb->text_len = text_len;	/* the line dropped */
			return -ENOMEM;
		}
		if (len > tb->widest[i])
			tb->widest[i] = len;
	}
	tb->nlines++;
	return 0;
}

/* One line from @n cells, which it takes over (NULL: "-", or null). */
int pcr_table_add_cells(struct pcr_table *tb, const struct pcr_out *o,
			char **cells, size_t n)
{
	size_t i;
	int ret = pcr_table_add_text(tb, (const char * const *)cells, n);

	for (i = 0; i < n; i++) {
		free(cells[i]);
		cells[i] = NULL;
	}
	return ret;
}

/* One line for @rec, each cell from @cell. */
int pcr_table_add(struct pcr_table *tb, const struct pcr_out *o,
		  const struct pcr_colset *cs, pcr_cell_fn cell, void *ctx,
		  const void *rec)
{
	char *cells[PCR_MAXCOLS] = { NULL };	/* gcc cannot tell the loop sets n */
	size_t i;

	for (i = 0; i < cs->n; i++)
		cells[i] = cell(ctx, rec, cs->id[i]);
	return pcr_table_add_cells(tb, o, cells, cs->n);
}

void pcr_unref_tables(struct pcr_table **tbs, size_t n)
{
	size_t i, c;

	for (i = 0; i < n; i++) {
		struct pcr_table *tb = tbs[i];

		if (!tb)
			continue;
		free(tb->text);
		free(tb->cells);
		for (c = 0; c < tb->ncols; c++)
			free(tb->head[c]);
		free(tb);
	}
}

/*
 * Text on its way to a stream, gathered first: one fwrite() for many
 * cells rather than a call per cell and per run of blanks.
 */
struct line_out {
	FILE *f;
	size_t n;
	char buf[8192];
};

static void out_flush(struct line_out *o)
{
	fwrite(o->buf, 1, o->n, o->f);
	o->n = 0;
}

/* out_put() when the buffer is full */
static void out_put_slow(struct line_out *o, const char *s, size_t len)
{
	size_t k;

	while (len) {
		if (o->n == sizeof(o->buf))
			out_flush(o);
		k = sizeof(o->buf) - o->n;
		if (k > len)
			k = len;
		if (s) {
			memcpy(o->buf + o->n, s, k);
			s += k;
		} else {
			memset(o->buf + o->n, ' ', k);
		}
		o->n += k;
		len -= k;
	}
}

/* @len bytes of @s, or @len blanks when @s is NULL */
static inline void out_put(struct line_out *o, const char *s, size_t len)
{
	char *d = o->buf + o->n;
	size_t i;

	if (len > sizeof(o->buf) - o->n) {
		out_put_slow(o, s, len);
		return;
	}
	/* the common case: a short cell, or a few blanks, copied in line */
	if (s && len > 16)
		memcpy(d, s, len);
	else if (s)
		for (i = 0; i < len; i++)
			d[i] = s[i];
	else
		for (i = 0; i < len; i++)
			d[i] = ' ';
	o->n += len;
}

/* Line @line of @tb, or the headings when @line is -1. */
static void print_line(const struct pcr_table *tb, size_t line,
		       struct line_out *o)
{
	size_t i, len;

	for (i = 0; i < tb->ncols; i++) {
		const char *s = line == (size_t)-1 ? tb->head[i] :
				cell_at(tb, line, i);

		if (!s)
			s = "-";
		len = strlen(s);
		if (i)
			out_put(o, " ", 1);
		if (tb->mode == CELL_PAIRS) {
			out_put(o, tb->head[i], strlen(tb->head[i]));
			out_put(o, "=\"", 2);
			out_put(o, s, len);
			out_put(o, "\"", 1);
			continue;
		}
		if (tb->mode == CELL_RAW) {
			out_put(o, s, len);
			continue;
		}
		/* an empty last cell is not filled up either */
		if (tb->right[i] && (len || i + 1 < tb->ncols))
			out_put(o, NULL, tb->width[i] - len);
		out_put(o, s, len);
		/* the last column is not filled up */
		if (!tb->right[i] && i + 1 < tb->ncols)
			out_put(o, NULL, tb->width[i] - len);
	}
	out_put(o, "\n", 1);
}

/*
 * Column widths as libsmartcols sets them for output that is not a
 * terminal: the widest cell, at least the heading; a width hint of 1 or
 * more widens a column whose cells are already as wide as its heading.
 */
static void layout(struct pcr_table *tb)
{
	size_t i, head, w;

	for (i = 0; i < tb->ncols; i++) {
		head = strlen(tb->head[i]);
		w = tb->widest[i];
		if (w < head)
			w = head;
		else if (tb->whint[i] >= 1 && w < (size_t)tb->whint[i])
			w = tb->whint[i];
		tb->width[i] = w;
	}
}

/*
 * A table, raw output or pairs; with @header_if_empty the headings of a
 * table without lines (libsmartcols prints nothing at all for one).
 */
static void print_text(struct pcr_table *tb, bool header_if_empty, FILE *f)
{
	struct line_out o;
	size_t i;

	if (!tb->nlines && !header_if_empty)
		return;
	o.f = f;
	o.n = 0;
	layout(tb);
	if (!tb->noheadings && tb->mode != CELL_PAIRS)
		print_line(tb, -1, &o);
	for (i = 0; i < tb->nlines; i++)
		print_line(tb, i, &o);
	out_flush(&o);
}

/*
 * @s as a JSON string, quoted as libsmartcols quotes it: a backslash
 * before " and \, the short escapes JSON has for control characters and
 * \u00xx for the others; every other byte as it is (paths are bytes).
 */
static void json_string(const char *s, FILE *f)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	putc('"', f);
	for (;;) {
		/* the common case: a run of bytes written as they are */
		for (n = 0; p[n] >= 0x20 && p[n] != '"' && p[n] != '\\'; n++)
			;
		fwrite(p, 1, n, f);
		p += n;
		if (!*p)
			break;
		switch (*p) {
		case '"':
		case '\\':
			fprintf(f, "\\%c", *p);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		default:
			fprintf(f, "\\u%04x", *p);
		}
		p++;
	}
	putc('"', f);
}

/* A cell's JSON value: null for no text, as libsmartcols has it. */
static void json_value(const struct pcr_table *tb, size_t col,
		       const char *s, FILE *f)
{
	if (!s || !*s)
		fputs("null", f);
	else if (tb->jstring[col])
		json_string(s, f);
	else
		fputs(s, f);
}

/*
 * The table's member of a JSON document, as libsmartcols writes it:
 * "name": [ then an object a line, each value on a line of its own.
 * @single: the table's one line as an object, not an array of one
 * (the walk's statistics), indented as the array's object was.
 */
static void json_member(const struct pcr_table *tb, bool single, FILE *f)
{
	size_t i, c;

	fputs("   ", f);
	json_string(tb->name ? tb->name : "table", f);
	fputs(single ? ": " : ": [\n", f);
	for (i = 0; i < tb->nlines; i++) {
		fputs(single ? "{\n" : i ? "\n      },{\n" : "      {\n", f);
		for (c = 0; c < tb->ncols; c++) {
			fputs(c ? ",\n         " : "         ", f);
			json_string(tb->head[c], f);
			fputs(": ", f);
			json_value(tb, c, cell_at(tb, i, c), f);
		}
	}
	if (single)
		fputs("\n      }", f);
	else
		fputs(tb->nlines ? "\n      }\n   ]" : "\n   ]", f);
}

/*
 * JSON of @n tables: one document holding each table's array ("time"
 * first, with a --watch time). Beside others or a time, a table named
 * "walk" has one line, the walk's own statistics: an object, not an
 * array of one.
 */
static void print_json(struct pcr_table **tbs, size_t n, const char *stamp,
		       FILE *f)
{
	size_t i;

	fputs("{\n", f);
	if (stamp)
		fprintf(f, "   \"time\": \"%s\",\n", stamp);
	for (i = 0; i < n; i++) {
		const char *name = tbs[i]->name;
		bool single = (n > 1 || stamp) && name &&
			      !strcmp(name, "walk") && tbs[i]->nlines == 1;

		json_member(tbs[i], single, f);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("}\n", f);
}

/* One table to @f, as pcr_print_tables() prints it (the unit tests). */
int pcr_table_print(struct pcr_table *tb, FILE *f)
{
	if (tb->mode == CELL_JSON)
		print_json(&tb, 1, NULL, f);
	else
		print_text(tb, false, f);
	return 0;
}

/* Printing ------------------------------------------------------------------ */

static bool stdout_failed;

/*
 * Output nobody gets is a failure: a full disk or a closed descriptor
 * must not exit 0 as if the report had been written. Flushes, and says
 * once what went wrong; -1 from then on.
 */
int pcr_stdout_check(void)
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
void pcr_close_stdout(void)
{
	if (pcr_stdout_check())
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
void pcr_watch_stamp(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) ||
	    !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "unknown");
}

/*
 * The tables of one report: JSON as one document (with the --watch time,
 * when there is one), tables one after another with a blank line in
 * between, under "# TIME" with --watch. With @header_if_empty, a table
 * without lines still shows its header.
 */
int pcr_print_tables(struct pcr_table **tbs, size_t n,
		     const struct pcr_out *o, bool header_if_empty)
{
	size_t i;

	if (o->json) {
		print_json(tbs, n, o->stamp, stdout);
		return 0;
	}
	if (o->stamp)
		printf("# %s\n", o->stamp);
	for (i = 0; i < n; i++) {
		if (i)
			putchar('\n');
		print_text(tbs[i], header_if_empty, stdout);
	}
	return 0;
}
