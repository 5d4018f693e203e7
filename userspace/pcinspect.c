// SPDX-License-Identifier: GPL-2.0
/*
 * pcinspect: show what the page cache holds of files, from the pcinspect
 * module's debugfs files (Documentation/ABI.md), or without the module from
 * cachestat(2) or mincore(2). Modelled on util-linux fincore.
 *
 *   pcinspect file [options] PATH...   per file (this file)
 *   pcinspect files|top [options]      system-wide listing (files.c)
 *   pcinspect lru [options]            the LRU lists, walked (lru.c)
 *
 * Each command parses its own options: main() only picks the command from
 * the table below, so a new one is one line there and one function.
 *
 * Exit status: 0 ok, 1 when some file failed, 2 for a bad command line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lru.h"

#define EXIT_USAGE	2

enum {
	OPT_MAP = 0x100,
	OPT_RANGE,
	OPT_WATCH,
	OPT_COUNT,
	OPT_SNAPSHOT,
	OPT_DIFF,
	OPT_SOURCE,
};

struct opts {
	enum pci_source source;
	bool ranged;
	uint64_t offset, length;
	double watch;
	unsigned long count;
	const char *snapshot;
	const char *diff;
	bool auto_source;	/* --source auto: cachestat may drop to mincore */
};

static void file_usage(FILE *out)
{
	fputs(" pcinspect file [options] PATH...\n"
	      "\n"
	      "Show what the page cache holds of each file.\n"
	      "\n"
	      "Options:\n"
	      " -o, --output LIST       columns to show (+LIST adds to the defaults)\n"
	      " -J, --json              JSON output\n"
	      " -r, --raw               raw output\n"
	      " -b, --bytes             sizes in bytes, not human-readable\n"
	      " -n, --noheadings        no headings\n"
	      "     --map               the page map: one table of page runs per file\n"
	      "     --range OFF:LEN     only the pages covering this byte range\n"
	      "                         (K, M, G, T suffixes; LEN 0 or none: to the end)\n"
	      "     --source SRC        auto (default), module, cachestat or mincore\n"
	      "     --watch SECONDS     redraw every SECONDS\n"
	      "     --count N           stop after N reports (with --watch)\n"
	      "     --snapshot FILE     save cached/dirty/writeback/evicted to FILE\n"
	      "     --diff FILE         show changes since the snapshot in FILE\n"
	      " -h, --help              this help\n"
	      " -V, --version           version\n",
	      out);
	pci_columns_help(out);
	fputs("\nSizes are bytes of cache (pages x page size); PAGES, NODES, ORDERS,\n"
	      "MEMCGS and MGLRU count pages. The module reports everything; cachestat knows\n"
	      "CACHED, DIRTY, WRITEBACK and EVICTED; mincore knows CACHED only.\n",
	      out);
}

static void bad_usage(const char *fmt, const char *arg)
{
	fputs("pcinspect: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'pcinspect --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

static void parse_range(struct opts *o, const char *arg)
{
	char *copy = strdup(arg), *colon;

	if (!copy)
		exit(EXIT_FAILURE);
	colon = strchr(copy, ':');
	if (colon)
		*colon = '\0';
	if (pci_parse_size(copy, &o->offset) ||
	    (colon && colon[1] && pci_parse_size(colon + 1, &o->length)))
		bad_usage("bad --range: %s (OFFSET:LENGTH)", arg);
	o->ranged = true;
	free(copy);
}

static const char * const src_names[] = {
	[PCI_SRC_AUTO] = "auto",
	[PCI_SRC_MODULE] = "module",
	[PCI_SRC_CACHESTAT] = "cachestat",
	[PCI_SRC_MINCORE] = "mincore",
};

/*
 * --source module and no version file: a bare ENOENT names a file, not
 * the problem. Say what is missing and how to get it.
 */
static void no_module(const char *err)
{
	fprintf(stderr,
		"pcinspect: the pcinspect module is not loaded, or debugfs is not mounted (%s).\n"
		"Load it with: modprobe pcinspect (or insmod pcinspect.ko); mount debugfs with: mount -t debugfs none /sys/kernel/debug\n",
		err);
}

/*
 * Pick the source for this run. The module's version is checked first: a
 * format this reader does not know is an error, not a reason to fall back.
 */
static int choose_source(struct opts *o)
{
	struct pci_version ver;
	char err[256];
	int ret;

	if (o->source == PCI_SRC_AUTO || o->source == PCI_SRC_MODULE) {
		ret = pci_module_version(&ver, err, sizeof(err));
		if (!ret) {
			o->source = PCI_SRC_MODULE;
			return 0;
		}
		if (ret == -ENOENT && o->source == PCI_SRC_MODULE) {
			no_module(err);
			return -1;
		}
		if (ret == -EPROTONOSUPPORT || ret == -EINVAL ||
		    o->source == PCI_SRC_MODULE) {
			fprintf(stderr, "pcinspect: %s\n", err);
			return -1;
		}
		o->source = pci_have_cachestat() ? PCI_SRC_CACHESTAT :
			    PCI_SRC_MINCORE;
		return 0;
	}
	if (o->source == PCI_SRC_CACHESTAT && !pci_have_cachestat()) {
		fprintf(stderr,
			"pcinspect: cachestat(2) is not in this kernel (Linux 6.5 and later)\n");
		return -1;
	}
	return 0;
}

static int one_file(const struct opts *o, const struct pci_ctl *ctl,
		    struct pci_row *row)
{
	struct pci_report *rep = &row->rep;
	int ret;

	pci_report_init(rep);
	switch (o->source) {
	case PCI_SRC_MODULE:
		ret = pci_module_report(rep, row->arg, ctl->map, o->offset,
					o->length, o->ranged);
		/* under lockdown only whole files: auto takes cachestat */
		if (ret == -EOPNOTSUPP && o->auto_source && !ctl->map &&
		    pci_have_cachestat()) {
			pci_report_free(rep);
			ret = pci_cachestat_report(rep, row->arg, o->offset,
						   o->length);
		}
		break;
	case PCI_SRC_CACHESTAT:
		ret = pci_cachestat_report(rep, row->arg, o->offset, o->length);
		/* recent kernels refuse cachestat without write permission */
		if (ret == -EPERM && o->auto_source) {
			pci_report_free(rep);
			ret = pci_mincore_report(rep, row->arg, o->offset,
						 o->length);
		}
		break;
	default:
		ret = pci_mincore_report(rep, row->arg, o->offset, o->length);
		break;
	}
	return ret;
}

static void file_error(struct pci_row *row)
{
	const struct pci_report *rep = &row->rep;

	if (rep->error)
		fprintf(stderr, "pcinspect: %s: bad module report: %s\n",
			row->arg, rep->error);
	else if (row->err == -EOPNOTSUPP && !rep->path)
		fprintf(stderr,
			"pcinspect: %s: under lockdown the module reports whole files only: --range needs --source cachestat\n",
			row->arg);
	else
		fprintf(stderr, "pcinspect: %s: %s\n", row->arg,
			strerror(-row->err));
}

/*
 * Under --watch, --diff shows what changed since the previous refresh:
 * the snapshot file is only the first refresh's baseline.
 */
static int next_baseline(struct pci_ctl *ctl, const struct pci_row *rows,
			 size_t n)
{
	struct pci_snap *snaps;
	size_t nsnaps;

	if (pci_snapshot_take(rows, n, &snaps, &nsnaps)) {
		fprintf(stderr, "pcinspect: out of memory\n");
		return -1;
	}
	pci_snapshot_free(ctl->old, ctl->nold);
	ctl->old = snaps;
	ctl->nold = nsnaps;
	return 0;
}

/*
 * --diff FILE: a FILE that does not exist yet is an empty baseline, so
 * that "--snapshot F --diff F --watch N" works on its first run.
 */
static int load_baseline(const char *file, struct pci_ctl *ctl)
{
	char err[256];
	int ret;

	ret = pci_snapshot_load(file, &ctl->old, &ctl->nold, err, sizeof(err));
	if (ret == -ENOENT) {
		fprintf(stderr,
			"pcinspect: %s: no snapshot yet, comparing with nothing\n",
			file);
		return 0;
	}
	if (ret)
		fprintf(stderr, "pcinspect: %s: %s\n", file, err);
	return ret;
}

/* One report over all files; returns 1 when a file failed. */
static int report_once(const struct opts *o, struct pci_ctl *ctl,
		       struct pci_row *rows, size_t n)
{
	int status = 0, ret;
	size_t i;

	for (i = 0; i < n; i++) {
		rows[i].err = one_file(o, ctl, &rows[i]);
		if (rows[i].err) {
			file_error(&rows[i]);
			status = 1;
		}
	}
	fflush(stderr);
	if (ctl->map)
		ret = pci_print_maps(ctl, rows, n);
	else
		ret = pci_print_files(ctl, rows, n);
	if (ret) {
		fprintf(stderr, "pcinspect: output: %s\n", strerror(-ret));
		status = 1;
	}
	fflush(stdout);
	if (o->snapshot) {
		ret = pci_snapshot_save(o->snapshot, rows, n);
		if (ret) {
			fprintf(stderr, "pcinspect: %s: %s\n", o->snapshot,
				strerror(-ret));
			status = 1;
		}
	}
	if (o->diff && o->watch && next_baseline(ctl, rows, n))
		status = 1;
	for (i = 0; i < n; i++)
		pci_report_free(&rows[i].rep);
	return status;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmd_file(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "map", no_argument, NULL, OPT_MAP },
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ NULL, 0, NULL, 0 },
	};
	struct pci_ctl ctl = { .ncols = 0 };
	struct opts o = { .source = PCI_SRC_AUTO };
	const char *outcols = NULL;
	struct pci_row *rows;
	unsigned long iter;
	char *end, stamp[32];
	size_t i, n;
	int c, status = 0;

	opterr = 0;	/* bad_usage() says it, under our name */
	while ((c = getopt_long(argc, argv, "o:JrbnhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outcols = optarg;
			break;
		case 'J':
			ctl.json = true;
			break;
		case 'r':
			ctl.raw = true;
			break;
		case 'b':
			ctl.bytes = true;
			break;
		case 'n':
			ctl.noheadings = true;
			break;
		case 'h':
			fputs("Usage:\n", stdout);
			file_usage(stdout);
			return 0;
		case 'V':
			printf("pcinspect %s (module format %d)\n", PCI_VERSION,
			       PCI_FORMAT);
			return 0;
		case OPT_MAP:
			ctl.map = true;
			break;
		case OPT_RANGE:
			parse_range(&o, optarg);
			break;
		case OPT_WATCH:
			errno = 0;
			o.watch = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(o.watch > 0) ||
			    o.watch > 86400)
				bad_usage("bad --watch: %s (seconds)", optarg);
			break;
		case OPT_COUNT:
			errno = 0;
			o.count = strtoul(optarg, &end, 10);
			if (errno || *end || end == optarg || !o.count ||
			    *optarg == '-')
				bad_usage("bad --count: %s", optarg);
			break;
		case OPT_SNAPSHOT:
			o.snapshot = optarg;
			break;
		case OPT_DIFF:
			o.diff = optarg;
			break;
		case OPT_SOURCE:
			for (i = 0; i < ARRAY_SIZE(src_names); i++)
				if (!strcmp(optarg, src_names[i]))
					break;
			if (i == ARRAY_SIZE(src_names))
				bad_usage("bad --source: %s (auto, module, cachestat or mincore)",
					  optarg);
			o.source = i;
			break;
		default:
			bad_usage("bad option: %s", argv[optind - 1]);
		}
	}
	/* getopt moved the operands last: the files */
	if (optind >= argc)
		bad_usage("%s", "no file given");
	if (o.count && !o.watch)
		bad_usage("%s", "--count needs --watch");
	if (ctl.map && (o.snapshot || o.diff))
		bad_usage("%s", "--map does not go with --snapshot or --diff");
	if (ctl.map && outcols)
		bad_usage("%s", "--map has fixed columns, -o does not apply");
	if (ctl.json && ctl.raw)
		bad_usage("%s", JSON_RAW);

	ctl.diff = o.diff;
	pci_columns_default(&ctl);
	if (outcols && pci_columns_parse(&ctl, outcols))
		return EXIT_USAGE;
	if (o.diff && load_baseline(o.diff, &ctl))
		return EXIT_FAILURE;

	o.auto_source = o.source == PCI_SRC_AUTO;
	if (choose_source(&o))
		return EXIT_FAILURE;
	if (ctl.map && o.source != PCI_SRC_MODULE) {
		fprintf(stderr, "pcinspect: --map needs the pcinspect module\n");
		return EXIT_FAILURE;
	}

	n = argc - optind;
	rows = calloc(n, sizeof(*rows));
	if (!rows)
		return EXIT_FAILURE;
	for (i = 0; i < n; i++)
		rows[i].arg = argv[optind + i];

	for (iter = 0; ; ) {
		if (o.watch && isatty(STDOUT_FILENO) && !ctl.json)
			fputs("\033[H\033[2J", stdout);
		if (o.watch) {
			pci_watch_stamp(stamp, sizeof(stamp));
			ctl.stamp = stamp;
		}
		status |= report_once(&o, &ctl, rows, n);
		/* output that failed stops a --watch too */
		if (pci_stdout_check()) {
			status = 1;
			break;
		}
		if (!o.watch || (o.count && ++iter >= o.count))
			break;
		sleep_seconds(o.watch);
		if (!isatty(STDOUT_FILENO) || ctl.json)
			putchar('\n');
	}
	free(rows);
	pci_snapshot_free(ctl.old, ctl.nold);
	return status;
}

/* The commands; "top" is "files" with --top 20 by default. */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "file", cmd_file },
	{ "files", pci_cmd_files },
	{ "top", pci_cmd_files },
	{ "lru", pci_cmd_lru },
};

static void usage(FILE *out)
{
	fputs("Usage:\n", out);
	file_usage(out);
	fputs("\n", out);
	pci_files_usage(out, "files");
	fputs("\n pcinspect top [options]\n"
	      "\n"
	      "pcinspect files --top 20.\n"
	      "\n", out);
	pci_lru_usage(out);
	fputs("\n pcinspect -h|--help | -V|--version\n"
	      "\nSee pcinspect(8).\n", out);
}

int main(int argc, char **argv)
{
	size_t i;

	atexit(pci_close_stdout);

	if (argc < 2)
		bad_usage("%s",
			  "no command (try: pcinspect file PATH..., pcinspect files, pcinspect lru)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("pcinspect %s (module format %d)\n", PCI_VERSION,
		       PCI_FORMAT);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		bad_usage("%s: the command comes first (pcinspect file|files|top|lru [options])",
			  argv[1]);
	bad_usage("unknown command: %s (commands: file, files, top, lru)", argv[1]);
	return EXIT_USAGE;
}
