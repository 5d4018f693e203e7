// SPDX-License-Identifier: GPL-2.0
/*
 * "pcinspect file": what the page cache holds of each file named, from
 * the module (one query file, written again for each file), or without
 * it from cachestat(2) or mincore(2). Modelled on util-linux fincore.
 *
 * Files come from the operands, from standard input ("-") or a list
 * (--files-from), and from directory trees (-R). A tree is answered from
 * the module's system-wide listing when it can be: one walk of the cache,
 * not one query per file, so it costs what the cache holds, not what the
 * tree holds. It shows the tree's cached files then.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "file_snapshot.h"
#include "file_view.h"
#include "source.h"

enum {
	COL_PATH, COL_SIZE, COL_CACHED, COL_PAGES, COL_DIRTY, COL_WRITEBACK,
	COL_EVICTED, COL_RECENT, COL_SWAPPED, COL_MAPPED, COL_ACTIVE,
	COL_INACTIVE, COL_UNEVICTABLE, COL_REFERENCED, COL_WORKINGSET,
	COL_NODES, COL_ORDERS, COL_MEMCGS, COL_MGLRU, COL_FS, COL_DEV,
	COL_INO, COL_DELETED, COL_SOURCE, COL_BAR, COL_DCACHED, COL_DDIRTY,
	COL_DWRITEBACK, COL_DEVICTED, COL_NR
};

#define R	PCR_COL_RIGHT

static const struct pcr_col cols[COL_NR] = {
	[COL_PATH] = { "PATH", "FILE", 0.3, 0, PCR_SHOW_STR, 0,
		"file name" },
	[COL_SIZE] = { "SIZE", NULL, 5, R, PCR_SHOW_SIZE, 0, "size of the file" },
	[COL_CACHED] = { "CACHED", "RES", 5, R, PCR_SHOW_SIZE, 0,
		"page cache held by the file" },
	[COL_PAGES] = { "PAGES", NULL, 5, R, PCR_SHOW_NUM, 0,
		"cached pages (CACHED in pages)" },
	[COL_DIRTY] = { "DIRTY", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"dirty cache: what writeback will write (never set on tmpfs)" },
	[COL_WRITEBACK] = { "WRITEBACK", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache under writeback now" },
	[COL_EVICTED] = { "EVICTED", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"evicted by reclaim, workingset shadow kept" },
	[COL_RECENT] = { "RECENTLY_EVICTED", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"evicted recently (cachestat only)" },
	[COL_SWAPPED] = { "SWAPPED", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"tmpfs/shmem pages swapped out" },
	[COL_MAPPED] = { "MAPPED", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache mapped into some process" },
	[COL_ACTIVE] = { "ACTIVE", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache on an active LRU list (classic LRU)" },
	[COL_INACTIVE] = { "INACTIVE", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache on an inactive LRU list" },
	[COL_UNEVICTABLE] = { "UNEVICTABLE", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"unevictable cache (mlocked, ramfs, SHM_LOCK)" },
	[COL_REFERENCED] = { "REFERENCED", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache with the referenced flag" },
	[COL_WORKINGSET] = { "WORKINGSET", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache with the workingset flag" },
	[COL_NODES] = { "NODES", NULL, 10, 0, PCR_SHOW_LIST, 0,
		"cached pages per NUMA node, node:pages" },
	[COL_ORDERS] = { "ORDERS", NULL, 10, 0, PCR_SHOW_LIST, 0,
		"pages per folio order, order:pages (12: 12 and above)" },
	[COL_MEMCGS] = { "MEMCGS", NULL, 10, 0, PCR_SHOW_LIST, 0,
		"cached pages per memory cgroup, cgroup:pages" },
	[COL_MGLRU] = { "MGLRU", NULL, 10, 0, PCR_SHOW_LIST, 0,
		"pages on MGLRU lists per generation age, age:pages (0: youngest, 3: oldest)" },
	[COL_FS] = { "FS", NULL, 5, 0, PCR_SHOW_STR, 0, "filesystem type" },
	[COL_DEV] = { "DEV", NULL, 5, 0, PCR_SHOW_STR, 0,
		"major:minor of the file, as stat(2) gives it" },
	[COL_INO] = { "INO", NULL, 5, R, PCR_SHOW_NUM, 0, "inode number" },
	[COL_DELETED] = { "DELETED", NULL, 3, R, PCR_SHOW_BOOL, 0,
		"1 when the file has no name left (unlinked but open)" },
	[COL_SOURCE] = { "SOURCE", NULL, 5, 0, PCR_SHOW_STR, 0,
		"where the numbers come from: pcinspect, cachestat or mincore" },
	[COL_BAR] = { "BAR", NULL, PCR_BAR_WIDTH + 2, 0, PCR_SHOW_STR, 0,
		"residency: O all cached, o some, blank none (like vmtouch -v)" },
	[COL_DCACHED] = { "DCACHED", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of CACHED since the --diff snapshot" },
	[COL_DDIRTY] = { "DDIRTY", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of DIRTY since the --diff snapshot" },
	[COL_DWRITEBACK] = { "DWRITEBACK", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of WRITEBACK since the --diff snapshot" },
	[COL_DEVICTED] = { "DEVICTED", NULL, 5, R, PCR_SHOW_DELTA, 0,
		"change of EVICTED since the --diff snapshot" },
};

/* The pcr_report.have bits a column needs: without them it shows "-". */
static const unsigned int need[COL_NR] = {
	[COL_CACHED] = PCR_HAVE_CACHED, [COL_PAGES] = PCR_HAVE_CACHED,
	[COL_DIRTY] = PCR_HAVE_DIRTY, [COL_WRITEBACK] = PCR_HAVE_WRITEBACK,
	[COL_EVICTED] = PCR_HAVE_EVICTED, [COL_RECENT] = PCR_HAVE_RECENT,
	[COL_SWAPPED] = PCR_HAVE_SWAPPED, [COL_MAPPED] = PCR_HAVE_DETAIL,
	[COL_ACTIVE] = PCR_HAVE_DETAIL, [COL_INACTIVE] = PCR_HAVE_DETAIL,
	[COL_UNEVICTABLE] = PCR_HAVE_DETAIL,
	[COL_REFERENCED] = PCR_HAVE_DETAIL, [COL_WORKINGSET] = PCR_HAVE_DETAIL,
	[COL_NODES] = PCR_HAVE_NODES | PCR_HAVE_DETAIL,
	[COL_ORDERS] = PCR_HAVE_ORDERS, [COL_MEMCGS] = PCR_HAVE_MEMCGS,
	[COL_MGLRU] = PCR_HAVE_DETAIL, [COL_FS] = PCR_HAVE_IDENT,
	[COL_DEV] = PCR_HAVE_IDENT, [COL_INO] = PCR_HAVE_IDENT,
	[COL_DELETED] = PCR_HAVE_IDENT, [COL_BAR] = PCR_HAVE_MAP,
	[COL_DCACHED] = PCR_HAVE_CACHED, [COL_DDIRTY] = PCR_HAVE_DIRTY,
	[COL_DWRITEBACK] = PCR_HAVE_WRITEBACK,
	[COL_DEVICTED] = PCR_HAVE_EVICTED,
};

/* What the module's listing knows of a file: a tree can come from it. */
#define LISTING_HAVE	(PCR_HAVE_CACHED | PCR_HAVE_DIRTY | \
			 PCR_HAVE_WRITEBACK | PCR_HAVE_IDENT)

enum {
	OPT_MAP = PCR_OPT_FIRST_OWN,
	OPT_RANGE,
	OPT_SNAPSHOT,
	OPT_DIFF,
	OPT_SOURCE,
	OPT_FILES_FROM,
	OPT_BAR,
};

struct listed;

struct file_cmd {
	struct pcr_cli cli;
	struct pcr_colset cs;
	struct pcr_reporter src;
	bool map, bar, recursive, total, summary;
	struct pcr_query_opts q;
	const char *snapshot, *diff;
	int sort;		/* a column, or -1: as given */
	size_t top;

	char **names;		/* operands, then names read from lists */
	size_t nnames, anames;

	struct pcr_snaps old;	/* --diff FILE, then the previous refresh */
	struct pcr_frow *rows;
	size_t nrows, arows;
	/* --summary: files summed as they are found, in no row (bytes) */
	struct pcr_report sum;
	bool summed;
	char **found;		/* paths found by -R, this refresh's */
	size_t nfound, afound;
	/* a tree's files from the listing, rows only as they are printed */
	struct listed *listed;
	struct listed **listed_order;	/* the same, in path order */
	size_t nlisted;
	char *listed_fs[8];	/* their filesystem types */
};

void pcr_file_usage(FILE *out)
{
	fputs(" pcinspect file [options] PATH...\n"
	      "\n"
	      "Show what the page cache holds of each file.\n"
	      "\n"
	      "Options:\n"
	      " -R, --recursive         the files of directories, recursively; with the\n"
	      "                         module, the cached ones, from its listing\n"
	      "                         (-o EVICTED and other report columns: every\n"
	      "                         file, one query each)\n"
	      "     --files-from FILE   also the files named in FILE, one per line\n"
	      "                         (\"-\" as FILE or PATH: standard input)\n"
	      " -s, --sort COLUMN       order by COLUMN (amounts most first)\n"
	      " -t, --top N             only the first N files\n"
	      " -c, --total             a line of totals\n"
	      " -S, --summary           the line of totals only, like vmtouch (a tree\n"
	      "                         from the listing makes no row per file)\n"
	      "     --map               the page map: one table of runs per file\n"
	      "     --bar               a residency bar per file (+BAR)\n"
	      "     --range OFF:LEN     only the pages covering this byte range\n"
	      "                         (K, M, G, T suffixes; LEN 0 or none: to the end)\n"
	      "     --source SRC        auto (default), module, cachestat or mincore\n"
	      "     --snapshot FILE     save cached/dirty/writeback/evicted to FILE\n"
	      "     --diff FILE         show changes since the snapshot in FILE\n"
	      PCR_CLI_HELP, out);
}

static void file_columns(FILE *out)
{
	fputs("Columns of pcinspect file (-o; a source that cannot know a value shows -):\n",
	      out);
	pcr_columns_help(out, cols, COL_NR, NULL, 0);
	fputs("\nSizes are bytes of cache (pages x page size); PAGES, NODES, ORDERS,\n"
	      "MEMCGS and MGLRU count pages. The module reports everything; cachestat knows\n"
	      "CACHED, DIRTY, WRITEBACK and EVICTED; mincore knows CACHED (and BAR, --map).\n",
	      out);
}

/* Options ------------------------------------------------------------------ */

static void parse_range(struct file_cmd *fc, const char *arg)
{
	char *copy = strdup(arg), *colon;

	if (!copy)
		exit(EXIT_FAILURE);
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (pcr_parse_size(copy, &fc->q.offset) ||
	    (colon && colon[1] && pcr_parse_size(colon + 1, &fc->q.length)))
		pcr_usage_error("file", "bad --range: %s (OFFSET:LENGTH)", arg);
	fc->q.ranged = true;
	free(copy);
}

static void add_name(struct file_cmd *fc, const char *name)
{
	char *copy = strdup(name);

	if (!copy || pcr_grow((void **)&fc->names, &fc->anames, fc->nnames,
			      sizeof(*fc->names))) {
		fprintf(stderr, "pcinspect: out of memory\n");
		exit(EXIT_FAILURE);
	}
	fc->names[fc->nnames++] = copy;
}

/* Names one per line from @file ("-": standard input, read once). */
static void read_names(struct file_cmd *fc, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "re") : stdin;
	char *line = NULL;
	size_t size = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "pcinspect: %s: %s\n", file, strerror(errno));
		exit(EXIT_FAILURE);
	}
	while ((n = getline(&line, &size, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n)
			add_name(fc, line);
	}
	free(line);
	if (f != stdin)
		fclose(f);
}

/* The default columns: fincore's, and for JSON everything per file. */
static void columns_default(struct file_cmd *fc)
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
					 COL_MGLRU, COL_FS, COL_DEV, COL_INO,
					 COL_DELETED };
	size_t i;

	pcr_colset_init(&fc->cs, cols, COL_NR, 0, NULL);
	if (fc->diff) {
		pcr_colset_set(&fc->cs, diff, ARRAY_SIZE(diff));
		return;
	}
	pcr_colset_set(&fc->cs, def, ARRAY_SIZE(def));
	if (fc->cli.out.json)
		for (i = 0; i < ARRAY_SIZE(json_more); i++)
			fc->cs.id[fc->cs.n++] = json_more[i];
}

static int column_arg(const char *arg)
{
	struct pcr_colset cs;
	int id;

	pcr_colset_init(&cs, cols, COL_NR, 0, NULL);
	id = pcr_col_by_name(&cs, arg, strlen(arg));
	if (id < 0)
		pcr_usage_error("file", "bad --sort: unknown column %s", arg);
	return id;
}

static void parse_options(struct file_cmd *fc, int argc, char **argv)
{
	static const struct option own[] = {
		{ "recursive", no_argument, NULL, 'R' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 't' },
		{ "total", no_argument, NULL, 'c' },
		{ "summary", no_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "map", no_argument, NULL, OPT_MAP },
		{ "bar", no_argument, NULL, OPT_BAR },
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "files-from", required_argument, NULL, OPT_FILES_FROM },
		{ NULL, 0, NULL, 0 },
	};
	struct option *opts;
	const char *sort = NULL, *files_from = NULL;
	uint64_t v;
	int c, i;

	opts = pcr_cli_longopts(own);
	opterr = 0;	/* pcr_usage_error() says it, under our name */
	while ((c = getopt_long(argc, argv, PCR_CLI_SHORTOPTS "Rs:t:cSV",
				opts, NULL)) != -1) {
		if (pcr_cli_opt(&fc->cli, c, optarg))
			continue;
		switch (c) {
		case 'h':
			fputs("Usage:\n", stdout);
			pcr_file_usage(stdout);
			exit(0);
		case 'H':
			file_columns(stdout);
			exit(0);
		case 'V':
			printf("pcinspect %s (module format %d)\n", PCR_VERSION,
			       PCR_FORMAT);
			exit(0);
		case 'R':
			fc->recursive = true;
			break;
		case 's':
			sort = optarg;
			break;
		case 't':
			v = pcr_number_arg("file", "--top", optarg);
			if (!v || v > SIZE_MAX / 2)
				pcr_usage_error("file", "bad --top: %s", optarg);
			fc->top = v;
			break;
		case 'c':
			fc->total = true;
			break;
		case 'S':
			fc->summary = true;
			fc->total = true;
			break;
		case OPT_MAP:
			fc->map = true;
			break;
		case OPT_BAR:
			fc->bar = true;
			break;
		case OPT_RANGE:
			parse_range(fc, optarg);
			break;
		case OPT_SNAPSHOT:
			fc->snapshot = optarg;
			break;
		case OPT_DIFF:
			fc->diff = optarg;
			break;
		case OPT_SOURCE:
			for (i = 0; pcr_source_names[i]; i++)
				if (!strcmp(optarg, pcr_source_names[i]))
					break;
			if (!pcr_source_names[i])
				pcr_usage_error("file",
						"bad --source: %s (auto, module, cachestat or mincore)",
						optarg);
			fc->src.source = i;
			break;
		case OPT_FILES_FROM:
			files_from = optarg;
			break;
		default:
			pcr_usage_error("file", "bad option: %s",
					pcr_bad_option(argv));
		}
	}
	free(opts);
	pcr_cli_check(&fc->cli);
	if (fc->map && (fc->snapshot || fc->diff))
		pcr_usage_error("file", "--map does not go with --snapshot or --diff");
	if (fc->summary && (fc->bar || sort || fc->top || fc->snapshot ||
			    fc->diff))
		pcr_usage_error("file",
				"--summary shows totals only: --bar, --sort, --top, --snapshot and --diff do not apply");
	if (fc->map && (fc->cli.out.list || fc->cli.out.all || fc->bar ||
			fc->total || sort || fc->top))
		pcr_usage_error("file",
				"--map has fixed columns: -o, --output-all, --bar, --total, --sort and --top do not apply");

	/* getopt moved the operands last: the files; "-": standard input */
	for (i = optind; i < argc; i++) {
		if (!strcmp(argv[i], "-"))
			read_names(fc, "-");
		else
			add_name(fc, argv[i]);
	}
	if (files_from)
		read_names(fc, files_from);
	if (optind >= argc && !files_from)
		pcr_usage_error("file", "no file given");

	columns_default(fc);
	if (pcr_colset_apply(&fc->cs, &fc->cli.out))
		exit(EXIT_USAGE);
	if (fc->bar && !pcr_colset_has(&fc->cs, COL_BAR) &&
	    fc->cs.n < PCR_MAXCOLS)
		fc->cs.id[fc->cs.n++] = COL_BAR;
	fc->sort = sort ? column_arg(sort) : -1;
}

/* Sources ------------------------------------------------------------------ */

/* The have bits the shown columns need. */
static unsigned int needed(const struct file_cmd *fc)
{
	unsigned int bits = 0;
	size_t i;

	for (i = 0; i < fc->cs.n; i++)
		bits |= need[fc->cs.id[i]];
	return bits;
}

static int one_file(struct file_cmd *fc, struct pcr_frow *row)
{
	struct pcr_query_opts q = fc->q;

	q.map = fc->map || pcr_colset_has(&fc->cs, COL_BAR);
	/* only xarray counts shown: the module need not pin any folio */
	q.fast = !q.map && !(needed(fc) & (PCR_HAVE_DETAIL | PCR_HAVE_MEMCGS |
					   PCR_HAVE_NODES));
	return pcr_reporter_report(&fc->src, &row->rep, row->arg, &q);
}

/* Rows --------------------------------------------------------------------- */

static struct pcr_frow *new_row(struct file_cmd *fc, const char *arg)
{
	struct pcr_frow *row;

	if (pcr_grow((void **)&fc->rows, &fc->arows, fc->nrows,
		     sizeof(*fc->rows)))
		return NULL;
	row = &fc->rows[fc->nrows++];
	pcr_report_init(&row->rep);	/* zeroes it: no second memset */
	row->err = 0;
	row->arg = arg;
	return row;
}

static const char *keep_path(struct file_cmd *fc, const char *path)
{
	char *copy = strdup(path);

	if (!copy || pcr_grow((void **)&fc->found, &fc->afound, fc->nfound,
			      sizeof(*fc->found))) {
		free(copy);
		return NULL;
	}
	fc->found[fc->nfound++] = copy;
	return copy;
}

static void free_listed(struct file_cmd *fc);

static void free_rows(struct file_cmd *fc)
{
	size_t i;

	for (i = 0; i < fc->nrows; i++)
		pcr_report_free(&fc->rows[i].rep);
	fc->nrows = 0;
	for (i = 0; i < fc->nfound; i++)
		free(fc->found[i]);
	fc->nfound = 0;
	free_listed(fc);
	memset(&fc->sum, 0, sizeof(fc->sum));
	fc->summed = false;
}

/* -R by walking the tree ---------------------------------------------------- */

static struct file_cmd *walking;	/* nftw() takes no context */
static int walk_error;

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	const char *kept;

	if (type == FTW_DNR || type == FTW_NS) {
		fprintf(stderr, "pcinspect: %s: %s\n", path,
			type == FTW_DNR ? "cannot read the directory" :
			"cannot stat");
		walk_error = 1;
		return 0;
	}
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	kept = keep_path(walking, path);
	if (!kept || !new_row(walking, kept))
		return -1;
	return 0;
}

/* One row per regular file below @dir, found by nftw(3). */
static int walk_tree(struct file_cmd *fc, const char *dir)
{
	walking = fc;
	walk_error = 0;
	if (nftw(dir, walk_one, 32, FTW_PHYS)) {
		fprintf(stderr, "pcinspect: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return walk_error;
}

/* -R from the listing ------------------------------------------------------- */

/*
 * A part of a filesystem the tree shows: files of @major:@minor whose
 * path inside it starts with @fsroot appear under @shown.
 */
struct tree_part {
	unsigned int major, minor;
	const char *fsroot;
	const char *shown;
	char *fsroot_buf, *shown_buf;
};

struct tree_parts {
	struct tree_part p[64];
	size_t n;
};

/* Stacked filesystems keep their cache in other inodes: no listing. */
static bool stacked(const char *fstype)
{
	return !strcmp(fstype, "overlay") || !strcmp(fstype, "ecryptfs") ||
	       !strncmp(fstype, "fuse", 4);
}

static bool under(const char *path, const char *dir)
{
	return pcr_prefix_match(path, dir);
}

/*
 * The parts of filesystems the tree @dir (a real path) shows: through the
 * mount it is in, and every mount below it. false when a listing cannot
 * answer for it (a stacked filesystem, too many mounts).
 */
static bool tree_parts(const struct pcr_mounts *ms, const char *dir,
		       struct tree_parts *tp)
{
	const struct pcr_mount *home = NULL;
	size_t i, best = 0, ml;
	struct tree_part *t;

	tp->n = 0;
	for (i = 0; i < ms->n; i++) {
		const struct pcr_mount *m = &ms->m[i];

		ml = strlen(m->mnt);
		if (under(dir, m->mnt) && ml >= best) {
			home = m;
			best = ml;
		}
	}
	if (!home)
		return false;
	for (i = 0; i < ms->n + 1; i++) {
		const struct pcr_mount *m = i < ms->n ? &ms->m[i] : home;
		const char *rest;

		if (i < ms->n && (m == home || !under(m->mnt, dir) ||
				  !strcmp(m->mnt, dir)))
			continue;
		if (stacked(m->fstype) || tp->n == ARRAY_SIZE(tp->p))
			return false;
		t = &tp->p[tp->n];
		memset(t, 0, sizeof(*t));
		t->major = m->major;
		t->minor = m->minor;
		if (m != home) {
			t->fsroot = m->root;
			t->shown = m->mnt;
		} else {
			/* dir inside its mount: the same path below the root */
			rest = strcmp(m->mnt, "/") ? dir + strlen(m->mnt) : dir;
			if (asprintf(&t->fsroot_buf, "%s%s",
				     strcmp(m->root, "/") ? m->root : "",
				     rest) < 0)
				return false;
			if (!*t->fsroot_buf) {
				free(t->fsroot_buf);
				t->fsroot_buf = strdup("/");
				if (!t->fsroot_buf)
					return false;
			}
			t->fsroot = t->fsroot_buf;
			t->shown = dir;
		}
		tp->n++;
	}
	return true;
}

static void tree_parts_free(struct tree_parts *tp)
{
	size_t i;

	for (i = 0; i < tp->n; i++) {
		free(tp->p[i].fsroot_buf);
		free(tp->p[i].shown_buf);
	}
	tp->n = 0;
}

/*
 * Filesystems whose stat(2) st_dev is not the superblock's that the
 * listing gives (btrfs: each subvolume's own anonymous device): their
 * rows take dev and ino from lstat(2), as the module's reports do.
 */
static bool stat_dev_differs(const char *fs)
{
	return !strcmp(fs, "btrfs") || !strcmp(fs, "bcachefs");
}

/*
 * A file of the tree the listing holds: what its row shows, in a small
 * record (a full report is 528 bytes; 10,000 of them were most of the
 * pages, and so of the time, of a tree under emulation).
 */
struct listed {
	char *path;
	const char *fs;		/* one of the tree's fs names (tree_ctx) */
	dev_t dev;
	ino_t ino;
	uint64_t size;
	uint64_t cached, dirty, writeback;	/* pages */
};

/* A listing read for one tree: the files it shows, as they are read. */
struct tree_ctx {
	struct file_cmd *fc;
	const struct tree_parts *tp;
	struct listed *files;
	size_t n, alloc;
	char *fs[8];		/* the filesystem types met, each once */
	size_t nfs;
	/* --summary: the files summed, added to the command's once read */
	uint64_t size, cached, dirty, writeback;	/* bytes */
	bool summed;
};

/* @name as one of @tc's filesystem type names, or NULL (no memory). */
static const char *tree_fs(struct tree_ctx *tc, const char *name)
{
	size_t i;

	for (i = 0; i < tc->nfs; i++)
		if (!strcmp(tc->fs[i], name))
			return tc->fs[i];
	if (tc->nfs == ARRAY_SIZE(tc->fs))
		return "other";
	tc->fs[tc->nfs] = strdup(name);
	return tc->fs[tc->nfs] ? tc->fs[tc->nfs++] : NULL;
}

/*
 * The listing's entry @e as a file of the tree @tp into @f, or f->path
 * NULL when the tree does not show it. From format 4 the listing has
 * each file's size and type: no system call per file (the tree's speed),
 * except where stat's dev differs or the listing is older. The files are
 * the listing's instant: one renamed since shows under its old name, as
 * in a snapshot. Takes e->fspath when it is the path shown.
 */
static int listed_file(const struct tree_parts *tp, struct pcr_fentry *e,
		       struct listed *f)
{
	const struct tree_part *t = NULL;
	const char *shown;
	struct stat st;
	size_t i, rl;

	f->path = NULL;
	if (e->name != PCR_FNAME_PATH || !e->fspath)
		return 0;
	if (e->has_size && strcmp(e->type, "reg"))
		return 0;	/* only regular files, as a walk takes */
	for (i = 0; i < tp->n && !t; i++)
		if (tp->p[i].major == e->major && tp->p[i].minor == e->minor &&
		    under(e->fspath, tp->p[i].fsroot))
			t = &tp->p[i];
	if (!t)
		return 0;
	rl = strcmp(t->fsroot, "/") ? strlen(t->fsroot) : 0;
	shown = strcmp(t->shown, "/") ? t->shown : "";
	if (strlen(shown) == rl && !strncmp(shown, e->fspath, rl)) {
		/* shown where it is in its filesystem: the path as it is */
		f->path = e->fspath;
		e->fspath = NULL;
	} else if (asprintf(&f->path, "%s%s", shown, e->fspath + rl) < 0) {
		f->path = NULL;
		return -ENOMEM;
	}
	f->cached = e->cached;
	f->dirty = e->dirty;
	f->writeback = e->writeback;
	if (e->has_size && !stat_dev_differs(e->fs)) {
		f->dev = makedev(e->major, e->minor);
		f->ino = e->ino;
		f->size = e->size;
		return 0;
	}
	/* gone since the walk, or no regular file: not in the tree */
	if (lstat(f->path, &st) || !S_ISREG(st.st_mode)) {
		free(f->path);
		f->path = NULL;
		return 0;
	}
	/* stat's dev and ino, as the module's reports give them */
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = st.st_size;
	return 0;
}

/* Sorting pointers: qsort() moves 8 bytes an element, not 64. */
static int listed_cmp(const void *a, const void *b)
{
	const struct listed * const *x = a, * const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/* @f as the report @rep shows it (its path lent, not given). */
static void listed_report(const struct file_cmd *fc, const struct listed *f,
			  struct pcr_report *rep)
{
	size_t len;
	char *p;

	rep->path = f->path;
	rep->source = "pcinspect";
	rep->have = LISTING_HAVE;
	rep->page_size = fc->src.page_size;
	rep->size = f->size;
	rep->cached = f->cached;
	rep->dirty = f->dirty;
	rep->writeback = f->writeback;
	/* no printf: this runs for every file of a tree */
	p = pcr_put_u64(rep->dev, major(f->dev));
	*p++ = ':';
	pcr_put_u64(p, minor(f->dev));
	rep->ino = f->ino;
	len = strnlen(f->fs, sizeof(rep->fs) - 1);
	memcpy(rep->fs, f->fs, len);
	rep->fs[len] = '\0';
	memcpy(rep->type, "regular", sizeof("regular"));
}

/* @f as a row; its path is the row's from now on. */
static int listed_row(struct file_cmd *fc, struct listed *f)
{
	struct pcr_frow *row;

	if (!keep_path(fc, f->path))
		return -ENOMEM;
	row = new_row(fc, fc->found[fc->nfound - 1]);
	if (!row)
		return -ENOMEM;
	listed_report(fc, f, &row->rep);
	f->path = NULL;
	return 0;
}

static void free_listed(struct file_cmd *fc)
{
	size_t i;

	for (i = 0; i < fc->nlisted; i++)
		free(fc->listed[i].path);
	free(fc->listed);
	free(fc->listed_order);
	fc->listed = NULL;
	fc->listed_order = NULL;
	fc->nlisted = 0;
	for (i = 0; i < ARRAY_SIZE(fc->listed_fs); i++) {
		free(fc->listed_fs[i]);
		fc->listed_fs[i] = NULL;
	}
}

/* --summary and --total: @f counted into @tc's totals (bytes). */
static void sum_listed(struct tree_ctx *tc, const struct listed *f)
{
	uint64_t ps = tc->fc->src.page_size;

	tc->summed = true;
	tc->size += f->size;
	tc->cached += f->cached * ps;
	tc->dirty += f->dirty * ps;
	tc->writeback += f->writeback * ps;
}

/* The listing's entries one by one: the tree's files, or their sums. */
static int tree_entry(void *ctx, struct pcr_fentry *e)
{
	struct tree_ctx *tc = ctx;
	struct listed f;
	int ret = listed_file(tc->tp, e, &f);

	if (ret || !f.path)
		return ret;
	f.fs = tree_fs(tc, e->fs);
	if (!f.fs) {
		free(f.path);
		return -ENOMEM;
	}
	if (tc->fc->summary) {
		/* no row: counted, and gone */
		sum_listed(tc, &f);
		free(f.path);
		return 0;
	}
	if (pcr_grow((void **)&tc->files, &tc->alloc, tc->n,
		     sizeof(*tc->files))) {
		free(f.path);
		return -ENOMEM;
	}
	tc->files[tc->n++] = f;
	return 0;
}

/*
 * Whether the files of a tree stay small records to the end, each made
 * a report only for the moment its line is added: when the tree is all
 * there is, and nothing needs every report at once (sorting, --top,
 * snapshots).
 */
static bool files_stay_listed(const struct file_cmd *fc)
{
	return fc->nnames == 1 && fc->sort < 0 && !fc->top &&
	       !fc->snapshot && !fc->diff;
}

/*
 * The rows of tree @tc, in path order: kept as they are (the table
 * takes them from fc->listed), or made rows of their own.
 */
static int tree_rows(struct tree_ctx *tc)
{
	struct file_cmd *fc = tc->fc;
	struct listed **order = malloc((tc->n ? tc->n : 1) * sizeof(*order));
	size_t i;
	int ret = 0;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < tc->n; i++)
		order[i] = &tc->files[i];
	qsort(order, tc->n, sizeof(*order), listed_cmp);
	if (files_stay_listed(fc)) {
		/* no rows to total: summed here */
		for (i = 0; i < tc->n && fc->total; i++)
			sum_listed(tc, &tc->files[i]);
		fc->listed = tc->files;
		fc->listed_order = order;
		fc->nlisted = tc->n;
		memcpy(fc->listed_fs, tc->fs, sizeof(tc->fs));
		tc->files = NULL;
		tc->n = 0;
		tc->nfs = 0;
		return 0;
	}
	ret = pcr_reserve((void **)&fc->rows, &fc->arows, fc->nrows + tc->n,
			  sizeof(*fc->rows));
	if (!ret)
		ret = pcr_reserve((void **)&fc->found, &fc->afound,
				  fc->nfound + tc->n, sizeof(*fc->found));
	for (i = 0; i < tc->n && !ret; i++)
		ret = listed_row(fc, order[i]);
	free(order);
	return ret;
}

/* @tc's sums into the command's, once its listing was read whole. */
static void tree_sums(struct tree_ctx *tc)
{
	struct file_cmd *fc = tc->fc;

	if (!tc->summed)
		return;
	fc->summed = true;
	fc->sum.size += tc->size;
	fc->sum.cached += tc->cached;
	fc->sum.dirty += tc->dirty;
	fc->sum.writeback += tc->writeback;
}

static void tree_ctx_free(struct tree_ctx *tc)
{
	size_t i;

	for (i = 0; i < tc->n; i++)
		free(tc->files[i].path);	/* those no row took */
	free(tc->files);
	for (i = 0; i < tc->nfs; i++)
		free(tc->fs[i]);
}

/*
 * A tree from the module's listing: one walk of the cache for the whole
 * tree, the tree's cached files only, in path order. 1: the listing
 * cannot answer for this tree (walk it instead), -1: failed (said).
 */
static int listing_tree(struct file_cmd *fc, const char *dir)
{
	struct pcr_listing l;
	struct pcr_mounts ms;
	struct tree_parts tp = { .n = 0 };
	struct tree_ctx tc = { .fc = fc, .tp = &tp };
	char *real = realpath(dir, NULL), opts[64] = "";
	bool reader_selects;
	int ret = 1;

	if (!real || pcr_load_mounts(&ms, NULL)) {
		free(real);
		return 1;
	}
	if (!tree_parts(&ms, real, &tp))
		goto out;
	if (tp.n == 1)
		snprintf(opts, sizeof(opts), "dev=%u:%u", tp.p[0].major,
			 tp.p[0].minor);
	pcr_listing_init(&l);
	l.each = tree_entry;
	l.each_ctx = &tc;
	ret = -1;
	if (pcr_module_listing(&l, opts, &reader_selects))
		goto out_listing;
	ret = tree_rows(&tc);
	if (!ret)
		tree_sums(&tc);
	if (ret)
		fprintf(stderr, "pcinspect: out of memory\n");
out_listing:
	pcr_listing_free(&l);
	tree_ctx_free(&tc);
out:
	tree_parts_free(&tp);
	pcr_mounts_free(&ms);
	free(real);
	return ret;
}

/* Rows from the listing carry only what the listing knows. */
static bool listing_answers(const struct file_cmd *fc)
{
	return fc->src.source == PCR_SRC_MODULE && !fc->q.ranged && !fc->map &&
	       !(needed(fc) & ~LISTING_HAVE);
}

/*
 * -R with the module and the default columns: the tree comes from the
 * listing, so the defaults are the columns the listing knows (no
 * EVICTED). Columns asked for with -o are kept; the tree is then walked
 * and each file queried, as they need.
 */
static void listing_columns(struct file_cmd *fc)
{
	size_t i, kept = 0;

	if (!fc->recursive || fc->cli.out.list || fc->cli.out.all ||
	    fc->src.source != PCR_SRC_MODULE || fc->q.ranged || fc->map)
		return;
	for (i = 0; i < fc->cs.n; i++)
		if (!(need[fc->cs.id[i]] & ~LISTING_HAVE))
			fc->cs.id[kept++] = fc->cs.id[i];
	fc->cs.n = kept;
}

/* One refresh ------------------------------------------------------------ */

static int path_cmp(const void *a, const void *b)
{
	const struct pcr_frow *x = a, *y = b;

	return strcmp(x->arg, y->arg);
}

/* The rows of this refresh: the names, and the files of the trees. */
static int gather(struct file_cmd *fc)
{
	struct stat st;
	size_t i, first;
	int status = 0, ret;

	for (i = 0; i < fc->nnames; i++) {
		const char *name = fc->names[i];

		if (!fc->recursive || stat(name, &st) || !S_ISDIR(st.st_mode)) {
			if (!new_row(fc, name))
				return -1;
			continue;
		}
		first = fc->nrows;
		ret = listing_answers(fc) ? listing_tree(fc, name) : 1;
		/* no listing (said): each file's own query still answers */
		if (ret < 0)
			fprintf(stderr, "pcinspect: %s: walking the tree instead\n",
				name);
		if (!ret)
			continue;	/* the listing's rows come sorted */
		status |= walk_tree(fc, name);
		qsort(fc->rows + first, fc->nrows - first, sizeof(*fc->rows),
		      path_cmp);
	}
	return status;
}

/* Sorting: the column's number, or its text; unknown values last. */
static int sort_col;

static bool sort_number(const struct pcr_frow *r, int col,
			__uint128_t *v)
{
	const struct pcr_report *rep = &r->rep;
	const uint64_t pages[COL_NR] = {
		[COL_CACHED] = rep->cached, [COL_PAGES] = rep->cached,
		[COL_DIRTY] = rep->dirty, [COL_WRITEBACK] = rep->writeback,
		[COL_EVICTED] = rep->evicted,
		[COL_RECENT] = rep->recently_evicted,
		[COL_SWAPPED] = rep->swapped, [COL_MAPPED] = rep->mapped,
		[COL_ACTIVE] = rep->active, [COL_INACTIVE] = rep->inactive,
		[COL_UNEVICTABLE] = rep->unevictable,
		[COL_REFERENCED] = rep->referenced,
		[COL_WORKINGSET] = rep->workingset,
	};

	if ((rep->have & need[col]) != need[col])
		return false;
	if (col == COL_SIZE)
		*v = rep->size;
	else if (col == COL_INO)
		*v = rep->ino;
	else if (col == COL_DELETED)
		*v = rep->deleted;
	else
		*v = (__uint128_t)pages[col] * rep->page_size;
	return true;
}

static const char *sort_text(const struct pcr_frow *r, int col)
{
	switch (col) {
	case COL_PATH:
		return r->rep.path ? r->rep.path : r->arg;
	case COL_FS:
		return r->rep.have & PCR_HAVE_IDENT ? r->rep.fs : NULL;
	case COL_DEV:
		return r->rep.have & PCR_HAVE_IDENT ? r->rep.dev : NULL;
	case COL_SOURCE:
		return r->rep.source;
	}
	return NULL;
}

static int row_cmp(const void *a, const void *b)
{
	const struct pcr_frow *x = a, *y = b;
	const struct pcr_col *c = &cols[sort_col];
	__uint128_t vx, vy;
	const char *tx, *ty;
	bool kx, ky;

	if (c->show == PCR_SHOW_STR) {
		tx = sort_text(x, sort_col);
		ty = sort_text(y, sort_col);
		if (!tx != !ty)
			return tx ? -1 : 1;
		if (tx && strcmp(tx, ty))
			return strcmp(tx, ty);
		return strcmp(x->arg, y->arg);
	}
	kx = sort_number(x, sort_col, &vx);
	ky = sort_number(y, sort_col, &vy);
	if (kx != ky)
		return kx ? -1 : 1;
	if (kx && vx != vy) {
		/* amounts most first; the inode number ascending */
		if (sort_col == COL_INO)
			return vx < vy ? -1 : 1;
		return vx > vy ? -1 : 1;
	}
	return strcmp(x->arg, y->arg);
}

/* The rows with a report, sorted and cut: failed rows were said already. */
static void order_rows(struct file_cmd *fc)
{
	size_t i, kept = 0;

	for (i = 0; i < fc->nrows; i++) {
		if (fc->rows[i].err) {
			pcr_report_free(&fc->rows[i].rep);
			continue;
		}
		fc->rows[kept++] = fc->rows[i];
	}
	fc->nrows = kept;
	if (fc->sort >= 0 && fc->nrows) {
		sort_col = fc->sort;
		qsort(fc->rows, fc->nrows, sizeof(*fc->rows), row_cmp);
	}
	if (fc->top && fc->nrows > fc->top) {
		for (i = fc->top; i < fc->nrows; i++)
			pcr_report_free(&fc->rows[i].rep);
		fc->nrows = fc->top;
	}
}

/*
 * The totals of the rows shown: each amount summed over the files, known
 * only when every file's source knows it.
 */
static void totals(const struct file_cmd *fc, struct pcr_report *t)
{
	size_t i;

	pcr_report_init(t);
	t->source = NULL;
	t->have = PCR_HAVE_CACHED | PCR_HAVE_DIRTY | PCR_HAVE_WRITEBACK |
		  PCR_HAVE_EVICTED | PCR_HAVE_RECENT | PCR_HAVE_SWAPPED |
		  PCR_HAVE_DETAIL;
	t->page_size = 1;
	if (fc->summed) {
		/* files of trees summed without rows: what the listing knows */
		t->have &= LISTING_HAVE;
		t->size = fc->sum.size;
		t->cached = fc->sum.cached;
		t->dirty = fc->sum.dirty;
		t->writeback = fc->sum.writeback;
	}
	for (i = 0; i < fc->nrows; i++) {
		const struct pcr_report *r = &fc->rows[i].rep;
		uint64_t ps = r->page_size;

		t->have &= r->have;
		t->size += r->size;
		/* in bytes: sources may differ in page size (never here) */
		t->cached += r->cached * ps;
		t->dirty += r->dirty * ps;
		t->writeback += r->writeback * ps;
		t->evicted += r->evicted * ps;
		t->recently_evicted += r->recently_evicted * ps;
		t->swapped += r->swapped * ps;
		t->mapped += r->mapped * ps;
		t->active += r->active * ps;
		t->inactive += r->inactive * ps;
		t->unevictable += r->unevictable * ps;
		t->referenced += r->referenced * ps;
		t->workingset += r->workingset * ps;
	}
}

struct cell_ctx {
	struct file_cmd *fc;
	bool total;
};

static uint64_t pages_of(const struct pcr_report *rep, int col)
{
	switch (col) {
	case COL_CACHED:
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

static char *delta_cell(const struct file_cmd *fc, const struct pcr_report *rep,
			int field)
{
	const struct pcr_snap *old = pcr_snaps_find(&fc->old, rep);
	int64_t now = pcr_snap_value(rep, field), d;

	if (!old || old->v[field] < 0 || now < 0)
		return NULL;
	d = now - old->v[field];
	return pcr_cell_delta(&fc->cli.out, d < 0,
			      d < 0 ? -(uint64_t)d : (uint64_t)d);
}

/* @s, allocated, as a cell's text that *owned keeps for freeing */
static const char *own(char **owned, char *s)
{
	*owned = s;
	return s;
}

/*
 * Column @col of @row: written into @buf (PCR_CELL_BUF bytes), the
 * report's own text, or for the kinds that may need more room (lists,
 * the bar, deltas) allocated and kept in *owned. NULL: not known. No
 * allocation for the columns of a tree's rows: 10,000 rows are 70,000
 * cells.
 */
static const char *cell_text(const struct cell_ctx *cc,
			     const struct pcr_frow *row, int col, char *buf,
			     char **owned)
{
	const struct file_cmd *fc = cc->fc;
	const struct pcr_out *o = &fc->cli.out;
	const struct pcr_report *rep = &row->rep;

	*owned = NULL;
	if ((rep->have & need[col]) != need[col])
		return NULL;
	if (cc->total) {
		switch (col) {
		case COL_PATH:
			return "total";
		case COL_SIZE:
			return pcr_text_bytes(o, rep->size, buf);
		case COL_PAGES:
			return pcr_text_num(rep->cached / fc->src.page_size, buf);
		}
		if (cols[col].show == PCR_SHOW_SIZE)
			return pcr_text_bytes(o, pages_of(rep, col), buf);
		return NULL;
	}
	switch (col) {
	case COL_PATH:
		return pcr_text_path(o, rep->path ? rep->path : row->arg,
				     rep->deleted, owned);
	case COL_DELETED:
		return pcr_text_bool(o, rep->deleted);
	case COL_SOURCE:
		return rep->source;
	case COL_FS:
		return rep->fs;
	case COL_DEV:
		return rep->dev;
	case COL_INO:
		return pcr_text_num(rep->ino, buf);
	case COL_SIZE:
		return pcr_text_bytes(o, rep->size, buf);
	case COL_PAGES:
		return pcr_text_num(rep->cached, buf);
	case COL_NODES:
		return own(owned, pcr_list_cell(o, rep, PCR_LIST_NODES));
	case COL_ORDERS:
		return own(owned, pcr_list_cell(o, rep, PCR_LIST_ORDERS));
	case COL_MEMCGS:
		return own(owned, pcr_list_cell(o, rep, PCR_LIST_MEMCGS));
	case COL_MGLRU:
		return own(owned, pcr_list_cell(o, rep, PCR_LIST_MGLRU));
	case COL_BAR:
		return own(owned, pcr_bar(rep));
	case COL_DCACHED:
		return own(owned, delta_cell(fc, rep, PCR_SNAP_CACHED));
	case COL_DDIRTY:
		return own(owned, delta_cell(fc, rep, PCR_SNAP_DIRTY));
	case COL_DWRITEBACK:
		return own(owned, delta_cell(fc, rep, PCR_SNAP_WRITEBACK));
	case COL_DEVICTED:
		return own(owned, delta_cell(fc, rep, PCR_SNAP_EVICTED));
	}
	return pcr_text_pages(o, pages_of(rep, col), rep->page_size, buf);
}

/* @row as a line of @tb. */
static int add_row(struct pcr_table *tb, const struct cell_ctx *cc,
		   const struct pcr_frow *row)
{
	const struct pcr_colset *cs = &cc->fc->cs;
	char bufs[PCR_MAXCOLS][PCR_CELL_BUF], *owned[PCR_MAXCOLS];
	const char *texts[PCR_MAXCOLS];
	size_t i;
	int ret;

	for (i = 0; i < cs->n; i++)
		texts[i] = cell_text(cc, row, cs->id[i], bufs[i], &owned[i]);
	ret = pcr_table_add_text(tb, texts, cs->n);
	for (i = 0; i < cs->n; i++)
		free(owned[i]);
	return ret;
}

/* The table of files, and the totals: a last line, or JSON's "total". */
static int print_files(struct file_cmd *fc)
{
	const struct pcr_out *o = &fc->cli.out;
	struct pcr_table *tbs[2] = { NULL };
	struct cell_ctx cc = { fc, false };
	struct pcr_frow total = { .arg = "total" }, listed;
	size_t i, n = 1;
	int ret = -ENOMEM;

	tbs[0] = pcr_table_new(o, "files", &fc->cs);
	if (!tbs[0])
		return -ENOMEM;
	for (i = 0; i < fc->nrows && !fc->summary; i++)
		if (add_row(tbs[0], &cc, &fc->rows[i]))
			goto out;
	/* a tree's files, each a report only while its line is added */
	pcr_report_init(&listed.rep);
	for (i = 0; i < fc->nlisted; i++) {
		listed_report(fc, fc->listed_order[i], &listed.rep);
		listed.arg = fc->listed_order[i]->path;
		if (add_row(tbs[0], &cc, &listed))
			goto out;
	}
	if (fc->total) {
		totals(fc, &total.rep);
		cc.total = true;
		if (o->json) {
			tbs[1] = pcr_table_new(o, "total", &fc->cs);
			n = 2;
		}
		if (!tbs[n - 1] ||
		    add_row(tbs[n - 1], &cc, &total))
			goto out;
	}
	ret = pcr_print_tables(tbs, n, o, false);
out:
	pcr_unref_tables(tbs, n);
	return ret;
}

/*
 * --diff FILE: a FILE that does not exist yet is an empty baseline, so
 * that "--snapshot F --diff F --watch N" works on its first run.
 */
static int load_baseline(struct file_cmd *fc)
{
	char err[256];
	int ret;

	ret = pcr_snaps_load(fc->diff, &fc->old, err, sizeof(err));
	if (ret == -ENOENT) {
		fprintf(stderr,
			"pcinspect: %s: no snapshot yet, comparing with nothing\n",
			fc->diff);
		return 0;
	}
	if (ret)
		fprintf(stderr, "pcinspect: %s: %s\n", fc->diff, err);
	return ret;
}

/* What --snapshot saves and, under --watch, the next --diff's baseline. */
static int take_snapshot(struct file_cmd *fc)
{
	struct pcr_snaps now = { NULL, 0, 0 };
	int status = 0, ret;
	size_t i;

	for (i = 0; i < fc->nrows; i++)
		if (pcr_snaps_add(&now, &fc->rows[i].rep)) {
			fprintf(stderr, "pcinspect: out of memory\n");
			pcr_snaps_free(&now);
			return 1;
		}
	if (fc->snapshot) {
		ret = pcr_snaps_save(fc->snapshot, &now);
		if (ret) {
			fprintf(stderr, "pcinspect: %s: %s\n", fc->snapshot,
				strerror(-ret));
			status = 1;
		}
	}
	/* under --watch, --diff measures each refresh from the one before */
	if (fc->diff && fc->cli.watch) {
		pcr_snaps_free(&fc->old);
		fc->old = now;
	} else {
		pcr_snaps_free(&now);
	}
	return status;
}

static int report_once(void *ctx)
{
	struct file_cmd *fc = ctx;
	int status, ret;
	size_t i;

	status = gather(fc);
	if (status < 0) {
		fprintf(stderr, "pcinspect: out of memory\n");
		free_rows(fc);
		return 1;
	}
	for (i = 0; i < fc->nrows; i++) {
		if (fc->rows[i].rep.source)
			continue;	/* from the listing */
		fc->rows[i].err = one_file(fc, &fc->rows[i]);
		if (fc->rows[i].err) {
			pcr_report_failed(fc->rows[i].arg, &fc->rows[i].rep,
					  fc->rows[i].err);
			status = 1;
		}
	}
	fflush(stderr);
	order_rows(fc);
	if (fc->map)
		ret = pcr_print_maps(&fc->cli.out, fc->rows, fc->nrows);
	else
		ret = print_files(fc);
	if (ret) {
		fprintf(stderr, "pcinspect: output: %s\n", strerror(-ret));
		status = 1;
	}
	fflush(stdout);
	if (fc->snapshot || (fc->diff && fc->cli.watch))
		status |= take_snapshot(fc);
	free_rows(fc);
	return status;
}

/*
 * For the unit tests: print @rows (reports parsed already) as a run with
 * the output options @o would, the page map when @map.
 */
int pcr_file_print(const struct pcr_out *o, struct pcr_frow *rows, size_t n,
		   bool map)
{
	struct file_cmd fc = { .cli = { .cmd = "file", .out = *o } };

	columns_default(&fc);
	if (pcr_colset_apply(&fc.cs, &fc.cli.out))
		return -EINVAL;
	fc.rows = rows;
	fc.nrows = n;
	fc.src.page_size = 4096;
	return map ? pcr_print_maps(o, rows, n) : print_files(&fc);
}

int pcr_cmd_file(int argc, char **argv)
{
	struct file_cmd fc = { .cli = { .cmd = "file" } };
	size_t i;
	int status;

	parse_options(&fc, argc, argv);
	if (fc.diff && load_baseline(&fc))
		return EXIT_FAILURE;
	if (pcr_reporter_open(&fc.src, fc.map || pcr_colset_has(&fc.cs, COL_BAR)))
		return EXIT_FAILURE;
	listing_columns(&fc);
	status = pcr_watch_loop(&fc.cli, report_once, &fc);
	pcr_reporter_close(&fc.src);
	pcr_snaps_free(&fc.old);
	free(fc.rows);
	free(fc.found);
	for (i = 0; i < fc.nnames; i++)
		free(fc.names[i]);
	free(fc.names);
	return status;
}
