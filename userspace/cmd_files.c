// SPDX-License-Identifier: GPL-2.0
/*
 * "pcinspect files" (and "top"): every cached inode of the system, from
 * the module's files-query file (Documentation/ABI.md). There is no other
 * kernel interface that lists every cached file, so without the module
 * this command refuses instead of guessing from open files.
 *
 * The options go to the module when it can apply them (fs=, dev=, min=,
 * and top= when the order is the module's own, most cached first), so a
 * listing of the top 20 never holds a million entries in the kernel; the
 * reader does the rest: full paths, --prefix, other orders, --diff.
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

#define R	PCR_COL_RIGHT

static const struct pcr_col cols[FCOL_NR] = {
	[FCOL_FS] = { "FS", NULL, 5, 0, PCR_SHOW_STR, 0,
		"filesystem type (bdev: the page cache of block devices)" },
	[FCOL_DEV] = { "DEV", NULL, 6, 0, PCR_SHOW_STR, 0,
		"major:minor of the filesystem; for bdev, of the device itself" },
	[FCOL_INO] = { "INO", NULL, 5, R, PCR_SHOW_NUM, 0, "inode number" },
	[FCOL_CACHED] = { "CACHED", "RES", 5, R, PCR_SHOW_SIZE, 0,
		"page cache held by the inode" },
	[FCOL_PAGES] = { "PAGES", NULL, 5, R, PCR_SHOW_NUM, 0,
		"cached pages (CACHED in pages)" },
	[FCOL_DIRTY] = { "DIRTY", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"dirty cache: what writeback will write (never set on tmpfs)" },
	[FCOL_WRITEBACK] = { "WRITEBACK", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache under writeback now" },
	[FCOL_SIZE] = { "SIZE", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"size of the file (i_size; - from a listing of format 2 or 3)" },
	[FCOL_TYPE] = { "TYPE", NULL, 4, 0, PCR_SHOW_STR, 0,
		"file type: reg, dir, lnk (symlink), blk or other; - before format 4" },
	[FCOL_NAME] = { "NAME", NULL, 5, 0, PCR_SHOW_STR, 0,
		"what is known of the name: path, deleted, disconnected (memfd, shm) or none" },
	[FCOL_PATH] = { "PATH", "FILE", 0.3, 0, PCR_SHOW_STR,
		0, "full path (see PATH below)" },
	[FCOL_FSPATH] = { "FSPATH", NULL, 0.3, 0,
		PCR_SHOW_STR, 0, "path inside its filesystem, as the module gives it" },
	[FCOL_DELETED] = { "DELETED", NULL, 3, R, PCR_SHOW_BOOL, 0,
		"1 for an unlinked file still open or mapped (NAME deleted)" },
	[FCOL_CHANGE] = { "CHANGE", NULL, 5, 0, PCR_SHOW_STR, 0,
		"since the --diff snapshot: new, gone or changed" },
	[FCOL_DCACHED] = { "DCACHED", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of CACHED since the --diff snapshot" },
	[FCOL_DPAGES] = { "DPAGES", NULL, 5, R, PCR_SHOW_NUM, 0,
		"change of PAGES since the --diff snapshot" },
	[FCOL_DDIRTY] = { "DDIRTY", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of DIRTY since the --diff snapshot" },
	[FCOL_DWRITEBACK] = { "DWRITEBACK", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of WRITEBACK since the --diff snapshot" },
};

/* The columns that compare with a snapshot: only with --diff. */
static bool diff_column(int id)
{
	return id >= FCOL_CHANGE;
}

enum {
	OPT_FS = PCR_OPT_FIRST_OWN,
	OPT_DEV,
	OPT_PREFIX,
	OPT_MIN,
	OPT_SUMMARY,
	OPT_SNAPSHOT,
	OPT_DIFF,
	OPT_FROM,
	OPT_MOUNTINFO,
};

struct fopts {
	struct pcr_cli cli;		/* cmd: "files" or "top" */
	struct pcr_colset cs;
	struct pcr_fsel sel;
	int sort;
	size_t top;
	bool summary;
	const char *snapshot, *diff, *from, *mountinfo;
	uint64_t page_size;
	char *prev;			/* --watch --diff: the previous listing */
	size_t prev_len;
};

void pcr_files_usage(FILE *out, const char *cmd)
{
	fprintf(out,
		" pcinspect %s [options]\n"
		"\n"
		"List every inode that has pages in the page cache, system-wide\n"
		"(needs the pcinspect module).\n"
		"\n"
		"Options:\n"
		" -t, --top N             only the first N (%s)\n"
		" -s, --sort COLUMN       order by COLUMN (default CACHED: most first;\n"
		"                         amounts most first, changes largest first,\n"
		"                         text and numbers like INO ascending)\n"
		"     --fs NAME           only this filesystem type (ext4, tmpfs, bdev...)\n"
		"     --dev MAJ:MIN       only this filesystem, or block device for bdev\n"
		"     --prefix PATH       only files at or below PATH (full paths)\n"
		"     --min PAGES         only inodes with at least PAGES cached pages\n"
		"     --summary           also per-filesystem totals and walk statistics\n"
		"     --snapshot FILE     save the listing (before --top) to FILE\n"
		"     --diff FILE         what changed since the snapshot in FILE:\n"
		"                         changed, new and gone inodes only\n"
		"     --from FILE         a saved copy of the module's files output\n"
		"     --mountinfo FILE    resolve paths with FILE, not\n"
		"                         /proc/self/mountinfo\n"
		PCR_CLI_HELP,
		cmd, !strcmp(cmd, "top") ? "default 20" : "default all");
}

static void files_columns(FILE *out, const char *cmd)
{
	fprintf(out, "Columns of pcinspect %s (-o):\n", cmd);
	pcr_columns_help(out, cols, FCOL_NR, NULL, 0);
	fputs("\nPATH is the path through a mount point of this mount namespace;\n"
	      "\"[MAJ:MIN]/path\" a path inside a filesystem no mount here shows\n"
	      "(also memfd and shm, and every path of a --from listing without\n"
	      "--mountinfo); \"(deleted)\" an unlinked file still open; \"/dev/NAME\"\n"
	      "a block device's cache; \"[MAJ:MIN] ino N\" an inode with no name left\n"
	      "in the dentry cache. With --prefix, --summary's totals are those of the\n"
	      "inodes listed below the prefix.\n",
	      out);
}

static void columns_default(struct fopts *o)
{
	static const int table[] = { FCOL_CACHED, FCOL_PAGES, FCOL_SIZE,
				     FCOL_DIRTY, FCOL_WRITEBACK, FCOL_FS,
				     FCOL_DEV, FCOL_INO, FCOL_PATH };
	static const int json[] = { FCOL_FS, FCOL_DEV, FCOL_INO, FCOL_CACHED,
				    FCOL_PAGES, FCOL_SIZE, FCOL_DIRTY,
				    FCOL_WRITEBACK, FCOL_TYPE, FCOL_NAME,
				    FCOL_FSPATH, FCOL_PATH, FCOL_DELETED };
	static const int diff[] = { FCOL_CHANGE, FCOL_DCACHED, FCOL_CACHED,
				    FCOL_DDIRTY, FCOL_DWRITEBACK, FCOL_FS,
				    FCOL_PATH };
	static const int diff_json[] = { FCOL_CHANGE, FCOL_FS, FCOL_DEV,
					 FCOL_INO, FCOL_CACHED, FCOL_DCACHED,
					 FCOL_PAGES, FCOL_DPAGES, FCOL_DIRTY,
					 FCOL_DDIRTY, FCOL_WRITEBACK,
					 FCOL_DWRITEBACK, FCOL_NAME,
					 FCOL_PATH, FCOL_DELETED };
	bool js = o->cli.out.json;

	pcr_colset_init(&o->cs, cols, FCOL_NR, 0, NULL);
	if (o->diff)
		pcr_colset_set(&o->cs, js ? diff_json : diff,
			       js ? ARRAY_SIZE(diff_json) : ARRAY_SIZE(diff));
	else
		pcr_colset_set(&o->cs, js ? json : table,
			       js ? ARRAY_SIZE(json) : ARRAY_SIZE(table));
}

/* The module's options for this run: what it can select itself. */
static void module_options(const struct fopts *o, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	if (o->sel.fs)
		len += snprintf(buf + len, size - len, "fs=%s ", o->sel.fs);
	if (o->sel.dev_set)
		len += snprintf(buf + len, size - len, "dev=%u:%u ",
				o->sel.major, o->sel.minor);
	if (o->sel.min > 1)
		len += snprintf(buf + len, size - len, "min=%llu ",
				(unsigned long long)o->sel.min);
	/*
	 * top= picks by cached pages: only when that is the order shown and
	 * nothing is left out after it, nor needs the whole listing.
	 */
	if (o->top && o->sort == FCOL_CACHED && !o->sel.prefix && !o->diff &&
	    !o->snapshot)
		len += snprintf(buf + len, size - len, "top=%zu ", o->top);
	if (len)
		buf[len - 1] = '\0';
}

/*
 * Read a listing; *reader_selects says that fs=, dev= and min= were not
 * applied by the module. Errors are said by the source layer.
 */
static int fetch(const struct fopts *o, struct pcr_listing *l,
		 bool *reader_selects)
{
	char opts[256];

	if (o->from) {
		*reader_selects = true;
		return pcr_saved_listing(l, o->from);
	}
	module_options(o, opts, sizeof(opts));
	return pcr_module_listing(l, opts, reader_selects);
}

/* Output ------------------------------------------------------------------ */

static char *delta_cell(const struct fopts *o, uint64_t now, uint64_t old,
			bool pages)
{
	bool neg = now < old;
	uint64_t d = neg ? old - now : now - old;

	if (pages)
		return pcr_cell_signed(neg, d);
	return pcr_cell_delta(&o->cli.out, neg,
			      (__uint128_t)d * o->page_size);
}

static char *cell(void *ctx, const void *rec, int col)
{
	const struct fopts *o = ctx;
	const struct pcr_out *out = &o->cli.out;
	const struct pcr_fentry *e = rec;
	char *s;

	switch (col) {
	case FCOL_FS:
		return strdup(e->fs);
	case FCOL_DEV:
		return asprintf(&s, "%u:%u", e->major, e->minor) < 0 ? NULL : s;
	case FCOL_INO:
		return pcr_cell_num(e->ino);
	case FCOL_CACHED:
		return pcr_cell_pages(out, e->cached, o->page_size);
	case FCOL_PAGES:
		return pcr_cell_num(e->cached);
	case FCOL_DIRTY:
		return pcr_cell_pages(out, e->dirty, o->page_size);
	case FCOL_WRITEBACK:
		return pcr_cell_pages(out, e->writeback, o->page_size);
	case FCOL_SIZE:
		return e->has_size ? pcr_cell_bytes(out, e->size) :
				     pcr_cell_str(NULL);
	case FCOL_TYPE:
		return pcr_cell_str(e->type[0] ? e->type : NULL);
	case FCOL_NAME:
		return strdup(pcr_fname_str[e->name]);
	case FCOL_PATH:
		return pcr_cell_path(out, e->path, e->name == PCR_FNAME_DELETED);
	case FCOL_DELETED:
		return pcr_cell_bool(out, e->name == PCR_FNAME_DELETED);
	case FCOL_FSPATH:
		return pcr_cell_str(e->fspath);
	case FCOL_CHANGE:
		return strdup(pcr_fchange_str[e->change]);
	case FCOL_DCACHED:
		return delta_cell(o, e->cached, e->old_cached, false);
	case FCOL_DPAGES:
		return delta_cell(o, e->cached, e->old_cached, true);
	case FCOL_DDIRTY:
		return delta_cell(o, e->dirty, e->old_dirty, false);
	case FCOL_DWRITEBACK:
		return delta_cell(o, e->writeback, e->old_writeback, false);
	}
	return NULL;
}

/* The per-filesystem totals and the "# walk" line: fixed columns. */
static const struct pcr_col total_cols[] = {
	{ "FS", NULL, 5, 0, PCR_SHOW_STR, 0, "" },
	{ "DEV", NULL, 5, 0, PCR_SHOW_STR, 0, "" },
	{ "INODES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "PAGES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "CACHED", NULL, 5, R, PCR_SHOW_SIZE, 0, "" },
	{ "DIRTY", NULL, 5, R, PCR_SHOW_SIZE, 0, "" },
	{ "WRITEBACK", NULL, 5, R, PCR_SHOW_SIZE, 0, "" },
};

static const struct pcr_col walk_cols[] = {
	{ "TYPES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "SUPERBLOCKS", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "VISITED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "LISTED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "SKIPPED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "FILTERED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "UNLISTED", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "WALK_NS", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
	{ "BYTES", NULL, 5, R, PCR_SHOW_NUM, 0, "" },
};

static const int all_ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };

static struct pcr_table *fixed_table(const struct fopts *o,
				     const char *name,
				     const struct pcr_col *tab, size_t n)
{
	struct pcr_colset cs;

	pcr_colset_init(&cs, tab, n, 0, NULL);
	pcr_colset_set(&cs, all_ids, n);
	return pcr_table_new(&o->cli.out, name, &cs);
}

/* The totals: per superblock, before min= and top= (see --prefix). */
static struct pcr_table *totals_table(const struct fopts *o,
				      const struct pcr_listing *l)
{
	const struct pcr_out *out = &o->cli.out;
	struct pcr_table *tb;
	char *v[ARRAY_SIZE(total_cols)];
	size_t i;

	tb = fixed_table(o, "totals", total_cols, ARRAY_SIZE(total_cols));
	for (i = 0; tb && i < l->nt; i++) {
		const struct pcr_ftotal *t = &l->t[i];

		v[0] = strdup(t->fs);
		if (asprintf(&v[1], "%u:%u", t->major, t->minor) < 0)
			v[1] = NULL;
		v[2] = pcr_cell_num(t->inodes);
		v[3] = pcr_cell_num(t->cached);
		v[4] = pcr_cell_pages(out, t->cached, o->page_size);
		v[5] = pcr_cell_pages(out, t->dirty, o->page_size);
		v[6] = pcr_cell_pages(out, t->writeback, o->page_size);
		if (pcr_table_add_cells(tb, out, v, ARRAY_SIZE(v))) {
			pcr_unref_tables(&tb, 1);
			return NULL;
		}
	}
	return tb;
}

/* The "# walk" line as a table of one line (in JSON, an object). */
static struct pcr_table *walk_table(const struct fopts *o,
				    const struct pcr_listing *l)
{
	const struct pcr_fwalk *w = &l->walk;
	const uint64_t vals[] = { w->types, w->superblocks, w->visited,
				  w->listed, w->skipped, w->filtered,
				  w->unlisted, w->walk_ns, w->bytes };
	char *v[ARRAY_SIZE(vals)];
	struct pcr_table *tb;
	size_t c;

	tb = fixed_table(o, "walk", walk_cols, ARRAY_SIZE(walk_cols));
	if (!tb)
		return NULL;
	for (c = 0; c < ARRAY_SIZE(vals); c++)
		v[c] = pcr_cell_num(vals[c]);
	if (pcr_table_add_cells(tb, &o->cli.out, v, ARRAY_SIZE(v))) {
		pcr_unref_tables(&tb, 1);
		return NULL;
	}
	return tb;
}

static int print_all(struct fopts *o, const struct pcr_listing *l)
{
	struct pcr_table *tbs[3] = { NULL };
	size_t n = o->summary ? 3 : 1, i;
	int ret = -ENOMEM;

	tbs[0] = pcr_table_new(&o->cli.out, "files", &o->cs);
	for (i = 0; tbs[0] && i < l->n; i++)
		if (pcr_table_add(tbs[0], &o->cli.out, &o->cs, cell, o,
				  &l->e[i]))
			goto out;
	if (o->summary) {
		tbs[1] = totals_table(o, l);
		tbs[2] = walk_table(o, l);
	}
	for (i = 0; i < n; i++)
		if (!tbs[i])
			goto out;
	/* a --diff where nothing changed still shows its header */
	ret = pcr_print_tables(tbs, n, &o->cli.out, true);
out:
	pcr_unref_tables(tbs, n);
	return ret;
}

/*
 * Full paths through this machine's mountinfo (or --mountinfo). A saved
 * listing (--from) was taken on some machine: joining it with this one's
 * mounts would show paths that may not be its own, so without
 * --mountinfo its paths stay inside their filesystems, [MAJ:MIN]/path.
 */
static int resolve_paths(const struct fopts *o, struct pcr_listing *l)
{
	bool local = !o->from || o->mountinfo;
	struct pcr_mounts ms = { NULL, 0, 0 };
	const char *mi = o->mountinfo ? o->mountinfo : "mountinfo";
	int status = 0, ret;
	size_t i;

	if (local) {
		ret = pcr_load_mounts(&ms, o->mountinfo);
		if (ret) {
			/* paths then show as [MAJ:MIN]/path, still correct */
			fprintf(stderr, "pcinspect: %s: %s\n", mi,
				strerror(-ret));
			status = 1;
		}
	} else {
		fprintf(stderr,
			"pcinspect: %s: paths shown inside their filesystems ([MAJ:MIN]/path): give --mountinfo FILE, the listed machine's, to resolve them\n",
			o->from);
	}
	for (i = 0; i < l->n && status >= 0; i++)
		if (pcr_fentry_paths(&l->e[i], &ms, local)) {
			fprintf(stderr, "pcinspect: out of memory\n");
			status = -1;
		}
	pcr_mounts_free(&ms);
	return status;
}

/* One listing, from reading to printing; returns the exit status. */
static int list_once(void *ctx)
{
	struct fopts *o = ctx;
	struct pcr_listing l;
	struct pcr_fsel sel = o->sel;
	bool reader_selects;
	char err[256];
	int status = 0, ret;

	pcr_listing_init(&l);
	if (fetch(o, &l, &reader_selects)) {
		pcr_listing_free(&l);
		return 1;
	}
	if (l.parse.bad_lines)
		status = 1;
	ret = resolve_paths(o, &l);
	if (ret < 0) {
		status = 1;
		goto out;
	}
	status |= ret;
	if (reader_selects) {
		pcr_listing_select_totals(&l, &sel);
	} else {
		/* the module selected these already */
		sel.fs = NULL;
		sel.dev_set = false;
		sel.min = 0;
	}
	pcr_listing_select(&l, &sel);
	/* totals of what --prefix shows, not of whole filesystems */
	if (o->sel.prefix && pcr_listing_entry_totals(&l)) {
		fprintf(stderr, "pcinspect: out of memory\n");
		status = 1;
		goto out;
	}
	if (o->diff) {
		ret = o->prev ? pcr_fsnap_diff_buf(o->prev, o->prev_len, &l,
						   o->page_size, err,
						   sizeof(err)) :
		      pcr_fsnap_diff(o->diff, &l, o->page_size, err,
				     sizeof(err));
		if (ret < 0) {
			fprintf(stderr, "pcinspect: %s: %s\n", o->diff, err);
			status = 1;
			goto out;
		}
		if (ret > 0)
			fprintf(stderr,
				"pcinspect: %s: no snapshot yet, every inode is new\n",
				o->diff);
		/* gone entries are selected by what the snapshot knew */
		sel.fs = o->sel.fs;
		sel.dev_set = o->sel.dev_set;
		sel.min = 0;
		pcr_listing_select(&l, &sel);
	}
	/*
	 * Saved after the diff was read: "--snapshot S --diff S --watch N"
	 * shows what changed since the previous listing.
	 */
	if (o->snapshot) {
		ret = pcr_fsnap_save(o->snapshot, &l, o->page_size);
		if (ret) {
			fprintf(stderr, "pcinspect: %s: %s\n", o->snapshot,
				strerror(-ret));
			status = 1;
		}
	}
	/* under --watch the next listing is measured from this one */
	if (o->diff && o->cli.watch) {
		free(o->prev);
		o->prev = NULL;
		if (pcr_fsnap_save_buf(&l, o->page_size, &o->prev,
				       &o->prev_len)) {
			fprintf(stderr, "pcinspect: out of memory\n");
			status = 1;
		}
	}
	/* what changed: unchanged entries are left out */
	if (o->diff)
		pcr_listing_drop_same(&l);
	pcr_listing_sort(&l, o->sort);
	pcr_listing_top(&l, o->top);
	ret = print_all(o, &l);
	if (ret) {
		fprintf(stderr, "pcinspect: output: %s\n", strerror(-ret));
		status = 1;
	}
out:
	pcr_listing_free(&l);
	return status;
}

/* The module's version: its absence is this command's whole answer. */
static int check_module(struct fopts *o)
{
	struct pcr_version ver;
	char err[512];
	int ret;

	ret = pcr_module_version(&ver, err, sizeof(err));
	if (ret == -ENOENT) {
		fprintf(stderr,
			"pcinspect: %s needs the pcinspect module (%s): no other kernel interface lists every cached file. Load pcinspect.ko (and mount debugfs), or list saved output with --from.\n",
			o->cli.cmd, err);
		return 1;
	}
	if (ret) {
		fprintf(stderr, "pcinspect: %s\n", err);
		return 1;
	}
	/* a version file without page_size: this machine's is the same */
	o->page_size = ver.page_size ? ver.page_size : sysconf(_SC_PAGESIZE);
	return 0;
}

static int sort_arg(const char *arg)
{
	struct pcr_colset cs;

	pcr_colset_init(&cs, cols, FCOL_NR, 0, NULL);
	return pcr_col_by_name(&cs, arg, strlen(arg));
}

int pcr_cmd_files(int argc, char **argv)
{
	static const struct option own[] = {
		{ "top", required_argument, NULL, 't' },
		{ "sort", required_argument, NULL, 's' },
		{ "fs", required_argument, NULL, OPT_FS },
		{ "dev", required_argument, NULL, OPT_DEV },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "min", required_argument, NULL, OPT_MIN },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "mountinfo", required_argument, NULL, OPT_MOUNTINFO },
		{ NULL, 0, NULL, 0 },
	};
	struct option *opts;
	struct fopts o = { .cli = { .cmd = argv[0] }, .sort = FCOL_CACHED };
	const char *cmd = argv[0], *sort = NULL;
	uint64_t v;
	size_t i;
	int c, status;

	if (!strcmp(cmd, "top"))
		o.top = 20;
	opts = pcr_cli_longopts(own);
	opterr = 0;
	while ((c = getopt_long(argc, argv, PCR_CLI_SHORTOPTS "t:s:", opts,
				NULL)) != -1) {
		if (pcr_cli_opt(&o.cli, c, optarg))
			continue;
		switch (c) {
		case 't':
			v = pcr_number_arg(cmd, "--top", optarg);
			if (v > SIZE_MAX / 2)
				pcr_usage_error(cmd, "bad --top: %s", optarg);
			o.top = v;	/* 0: all */
			break;
		case 's':
			sort = optarg;
			break;
		case 'h':
			fputs("Usage:\n", stdout);
			pcr_files_usage(stdout, cmd);
			exit(0);
		case 'H':
			files_columns(stdout, cmd);
			exit(0);
		case OPT_FS:
			if (!*optarg || strpbrk(optarg, " \t\n=") ||
			    strlen(optarg) >= sizeof(((struct pcr_fentry *)0)->fs))
				pcr_usage_error(cmd, "bad --fs: %s", optarg);
			o.sel.fs = optarg;
			break;
		case OPT_DEV:
			if (pcr_parse_dev(optarg, strlen(optarg), &o.sel.major,
					  &o.sel.minor))
				pcr_usage_error(cmd, "bad --dev: %s (MAJOR:MINOR)",
						optarg);
			o.sel.dev_set = true;
			break;
		case OPT_PREFIX:
			if (optarg[0] != '/')
				pcr_usage_error(cmd,
						"bad --prefix: %s (an absolute path)",
						optarg);
			o.sel.prefix = optarg;
			break;
		case OPT_MIN:
			o.sel.min = pcr_number_arg(cmd, "--min", optarg);
			break;
		case OPT_SUMMARY:
			o.summary = true;
			break;
		case OPT_SNAPSHOT:
			o.snapshot = optarg;
			break;
		case OPT_DIFF:
			o.diff = optarg;
			break;
		case OPT_FROM:
			o.from = optarg;
			break;
		case OPT_MOUNTINFO:
			o.mountinfo = optarg;
			break;
		default:
			pcr_usage_error(cmd, "bad option: %s",
					pcr_bad_option(argv));
		}
	}
	free(opts);
	if (optind < argc)
		pcr_usage_error(cmd,
				"%s takes no file names (for files, try: pcinspect file PATH...)",
				argv[optind]);
	pcr_cli_check(&o.cli);
	if (sort) {
		o.sort = sort_arg(sort);
		if (o.sort < 0)
			pcr_usage_error(cmd, "bad --sort: unknown column %s",
					sort);
		if (diff_column(o.sort) && !o.diff)
			pcr_usage_error(cmd, "--sort %s needs --diff", sort);
	} else if (o.diff) {
		o.sort = FCOL_DCACHED;	/* the biggest change first */
	}
	columns_default(&o);
	if (pcr_colset_apply(&o.cs, &o.cli.out))
		return EXIT_USAGE;
	for (i = 0; i < o.cs.n && !o.diff; i++)
		if (diff_column(o.cs.id[i]))
			pcr_usage_error(cmd, "column %s needs --diff",
					cols[o.cs.id[i]].name);

	if (o.from)
		o.page_size = sysconf(_SC_PAGESIZE);
	else if (check_module(&o))
		return 1;

	status = pcr_watch_loop(&o.cli, list_once, &o);
	free(o.prev);
	return status;
}
