// SPDX-License-Identifier: GPL-2.0
/*
 * "pcinspect pid": the page cache of the files processes have open
 * (/proc/PID/fd) or mapped (/proc/PID/maps), per file for the processes
 * named, or per process for all of them (--all-processes): which
 * process's files fill the cache, the question cachetop and hcache
 * answer by tracing or by guessing, answered from the cache itself.
 *
 * Each file is reported once per run however many processes hold it:
 * the files of every process are gathered first, made unique by (dev,
 * ino), and asked about one by one through one query file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "source.h"

/* Columns of both views: per file (default) and per process (-a). */
enum { VIEW_FILE, VIEW_PROCESS, VIEW_NR };

static const char * const view_str[VIEW_NR] = { "file", "process" };

enum {
	COL_PID, COL_COMM, COL_FILES, COL_HOW, COL_CACHED, COL_PAGES,
	COL_DIRTY, COL_WRITEBACK, COL_SIZE, COL_DEV, COL_INO, COL_SOURCE,
	COL_PATH, COL_NR
};

#define R	PCR_COL_RIGHT
#define VF	0x1	/* 1 << VIEW_FILE */
#define VP	0x2	/* 1 << VIEW_PROCESS */

static const struct pcr_col cols[COL_NR] = {
	[COL_PID] = { "PID", NULL, 5, R, PCR_SHOW_NUM, 0, "process id" },
	[COL_COMM] = { "COMM", NULL, 8, 0, PCR_SHOW_STR, 0,
		"the process's command name" },
	[COL_FILES] = { "FILES", NULL, 5, R, PCR_SHOW_NUM, VP,
		"files it has open or mapped that have a page cache" },
	[COL_HOW] = { "HOW", NULL, 5, 0, PCR_SHOW_STR, VF,
		"fd (open), map (mapped) or fd,map" },
	[COL_CACHED] = { "CACHED", "RES", 5, R, PCR_SHOW_SIZE, 0,
		"page cache of the file (process: of all its files)" },
	[COL_PAGES] = { "PAGES", NULL, 5, R, PCR_SHOW_NUM, 0,
		"cached pages (CACHED in pages)" },
	[COL_DIRTY] = { "DIRTY", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"dirty cache" },
	[COL_WRITEBACK] = { "WRITEBACK", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"cache under writeback" },
	[COL_SIZE] = { "SIZE", NULL, 5, R, PCR_SHOW_SIZE, 0,
		"size of the file (process: of all its files)" },
	[COL_DEV] = { "DEV", NULL, 5, 0, PCR_SHOW_STR, VF,
		"major:minor of the file" },
	[COL_INO] = { "INO", NULL, 5, R, PCR_SHOW_NUM, VF, "inode number" },
	[COL_SOURCE] = { "SOURCE", NULL, 5, 0, PCR_SHOW_STR, VF,
		"where the numbers come from: pcinspect, cachestat or mincore" },
	[COL_PATH] = { "PATH", "FILE", 0.3, 0, PCR_SHOW_STR, VF,
		"the file, as the process sees it" },
};

/* One unique file and its report. */
struct pfile {
	unsigned int major, minor;
	uint64_t ino;
	const char *open_path;	/* the first process's */
	struct pcr_report rep;
	int err;
};

/* One process and its files (indexes into the unique files). */
struct pproc {
	int pid;
	char comm[64];
	struct pcr_proc_files pf;
	size_t *file;		/* pf.f[i] is files[file[i]] */
	uint64_t cached, dirty, writeback, size, files;
};

/* A line of the per-file view: a process's file. */
struct pline {
	const struct pproc *proc;
	const struct pcr_proc_file *pf;
	const struct pfile *file;
};

struct pid_cmd {
	struct pcr_cli cli;
	struct pcr_colset cs;
	struct pcr_reporter src;
	bool all;
	int sort;		/* a column, -1: CACHED */
	size_t top;
	int *pids;
	size_t npids;

	struct pproc *procs;
	size_t nprocs;
	struct pfile *files;
	size_t nfiles, afiles;
};

void pcr_pid_usage(FILE *out)
{
	fputs(" pcinspect pid [options] PID...\n"
	      " pcinspect pid [options] --all-processes\n"
	      "\n"
	      "The page cache of the files processes have open or mapped: per\n"
	      "file of the processes named, or per process for all of them.\n"
	      "\n"
	      "Options:\n"
	      " -a, --all-processes     one line per process, every process\n"
	      " -s, --sort COLUMN       order by COLUMN (default CACHED, most first)\n"
	      " -t, --top N             only the first N lines (-a: default 20, 0: all)\n"
	      PCR_CLI_HELP, out);
}

static void pid_columns(FILE *out)
{
	fputs("Columns of pcinspect pid (-o; the views each is in, file without -a):\n",
	      out);
	pcr_columns_help(out, cols, COL_NR, view_str, VIEW_NR);
	fputs("\nA file several processes hold counts for each of them. Another\n"
	      "user's open files need root (their maps may still be read).\n", out);
}

/* Gathering --------------------------------------------------------------- */

static int file_cmp(const struct pfile *f, unsigned int major,
		    unsigned int minor, uint64_t ino)
{
	if (f->major != major)
		return f->major < major ? -1 : 1;
	if (f->minor != minor)
		return f->minor < minor ? -1 : 1;
	if (f->ino != ino)
		return f->ino < ino ? -1 : 1;
	return 0;
}

static int pfile_sort(const void *a, const void *b)
{
	const struct pfile *y = b;

	return file_cmp(a, y->major, y->minor, y->ino);
}

static size_t find_file(const struct pid_cmd *pc,
			const struct pcr_proc_file *f)
{
	size_t lo = 0, hi = pc->nfiles;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = file_cmp(&pc->files[mid], f->major, f->minor, f->ino);

		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

/* The processes' files, then each unique file once. */
static int gather(struct pid_cmd *pc)
{
	size_t i, j, k;
	int status = 0, ret;

	pc->procs = calloc(pc->npids ? pc->npids : 1, sizeof(*pc->procs));
	if (!pc->procs)
		return -ENOMEM;
	for (i = 0; i < pc->npids; i++) {
		struct pproc *p = &pc->procs[pc->nprocs];

		p->pid = pc->pids[i];
		ret = pcr_proc_files(p->pid, &p->pf);
		/*
		 * -a: a process may exit while we look, and another user's
		 * may be closed to us; say it only of processes named
		 */
		if (ret && pc->all) {
			pcr_proc_files_free(&p->pf);
			continue;
		}
		if (ret) {
			fprintf(stderr, "pcinspect: process %d: %s\n", p->pid,
				ret == -ENOENT ? "no such process" :
				strerror(-ret));
			pcr_proc_files_free(&p->pf);
			status = 1;
			continue;
		}
		if (pcr_proc_comm(p->pid, p->comm, sizeof(p->comm)))
			snprintf(p->comm, sizeof(p->comm), "-");
		for (j = 0; j < p->pf.n; j++) {
			struct pfile *f;

			if (pcr_grow((void **)&pc->files, &pc->afiles,
				     pc->nfiles, sizeof(*pc->files)))
				return -ENOMEM;
			f = &pc->files[pc->nfiles++];
			memset(f, 0, sizeof(*f));
			f->major = p->pf.f[j].major;
			f->minor = p->pf.f[j].minor;
			f->ino = p->pf.f[j].ino;
			f->open_path = p->pf.f[j].open_path;
		}
		pc->nprocs++;
	}
	/* unique by (dev, ino) */
	if (pc->nfiles)
		qsort(pc->files, pc->nfiles, sizeof(*pc->files), pfile_sort);
	for (i = 0, k = 0; i < pc->nfiles; i++)
		if (!k || pfile_sort(&pc->files[k - 1], &pc->files[i]))
			pc->files[k++] = pc->files[i];
	pc->nfiles = k;
	for (i = 0; i < pc->nprocs; i++) {
		struct pproc *p = &pc->procs[i];

		p->file = calloc(p->pf.n ? p->pf.n : 1, sizeof(*p->file));
		if (!p->file)
			return -ENOMEM;
		for (j = 0; j < p->pf.n; j++)
			p->file[j] = find_file(pc, &p->pf.f[j]);
	}
	return status;
}

/* Each unique file's report; a file that vanished is left out quietly. */
static void report_files(struct pid_cmd *pc)
{
	struct pcr_query_opts q = { .fast = true };
	size_t i;

	for (i = 0; i < pc->nfiles; i++) {
		struct pfile *f = &pc->files[i];

		f->err = pcr_reporter_report(&pc->src, &f->rep, f->open_path,
					     &q);
		if (f->err && f->err != -ENOENT)
			pcr_report_failed(f->open_path, &f->rep, f->err);
	}
}

static void sum_processes(struct pid_cmd *pc)
{
	size_t i, j;

	for (i = 0; i < pc->nprocs; i++) {
		struct pproc *p = &pc->procs[i];

		for (j = 0; j < p->pf.n; j++) {
			const struct pfile *f = &pc->files[p->file[j]];
			uint64_t ps = f->rep.page_size;

			if (f->err)
				continue;
			p->files++;
			p->size += f->rep.size;
			p->cached += f->rep.cached * ps;
			p->dirty += f->rep.dirty * ps;
			p->writeback += f->rep.writeback * ps;
		}
	}
}

/* Cells and order ----------------------------------------------------------- */

static char *file_cell(void *ctx, const void *rec, int col)
{
	const struct pid_cmd *pc = ctx;
	const struct pcr_out *o = &pc->cli.out;
	const struct pline *ln = rec;
	const struct pcr_report *rep = &ln->file->rep;
	char *s;

	switch (col) {
	case COL_PID:
		return pcr_cell_num(ln->proc->pid);
	case COL_COMM:
		return strdup(ln->proc->comm);
	case COL_HOW:
		return strdup(ln->pf->fd && ln->pf->mapped ? "fd,map" :
			      ln->pf->fd ? "fd" : "map");
	case COL_CACHED:
		return pcr_cell_pages(o, rep->cached, rep->page_size);
	case COL_PAGES:
		return pcr_cell_num(rep->cached);
	case COL_DIRTY:
		return rep->have & PCR_HAVE_DIRTY ?
		       pcr_cell_pages(o, rep->dirty, rep->page_size) : NULL;
	case COL_WRITEBACK:
		return rep->have & PCR_HAVE_WRITEBACK ?
		       pcr_cell_pages(o, rep->writeback, rep->page_size) : NULL;
	case COL_SIZE:
		return pcr_cell_bytes(o, rep->size);
	case COL_DEV:
		return asprintf(&s, "%u:%u", ln->file->major,
				ln->file->minor) < 0 ? NULL : s;
	case COL_INO:
		return pcr_cell_num(ln->file->ino);
	case COL_SOURCE:
		return pcr_cell_str(rep->source);
	case COL_PATH:
		return strdup(ln->pf->path);
	}
	return NULL;
}

static char *proc_cell(void *ctx, const void *rec, int col)
{
	const struct pid_cmd *pc = ctx;
	const struct pcr_out *o = &pc->cli.out;
	const struct pproc *p = rec;

	switch (col) {
	case COL_PID:
		return pcr_cell_num(p->pid);
	case COL_COMM:
		return strdup(p->comm);
	case COL_FILES:
		return pcr_cell_num(p->files);
	case COL_CACHED:
		return pcr_cell_bytes(o, p->cached);
	case COL_PAGES:
		return pcr_cell_num(p->cached / pc->src.page_size);
	case COL_DIRTY:
		return pcr_cell_bytes(o, p->dirty);
	case COL_WRITEBACK:
		return pcr_cell_bytes(o, p->writeback);
	case COL_SIZE:
		return pcr_cell_bytes(o, p->size);
	}
	return NULL;
}

static int sort_col;

static uint64_t line_value(const struct pline *l, int col)
{
	const struct pcr_report *r = &l->file->rep;

	switch (col) {
	case COL_PID:
		return l->proc->pid;
	case COL_INO:
		return l->file->ino;
	case COL_SIZE:
		return r->size;
	case COL_DIRTY:
		return r->dirty * r->page_size;
	case COL_WRITEBACK:
		return r->writeback * r->page_size;
	}
	return r->cached * r->page_size;
}

static uint64_t proc_value(const struct pproc *p, int col)
{
	switch (col) {
	case COL_PID:
		return p->pid;
	case COL_FILES:
		return p->files;
	case COL_SIZE:
		return p->size;
	case COL_DIRTY:
		return p->dirty;
	case COL_WRITEBACK:
		return p->writeback;
	}
	return p->cached;
}

/* Most first, but PID and INO ascending; text ascending. */
static int num_cmp(uint64_t a, uint64_t b)
{
	if (a == b)
		return 0;
	if (sort_col == COL_PID || sort_col == COL_INO)
		return a < b ? -1 : 1;
	return a > b ? -1 : 1;
}

static int line_cmp(const void *a, const void *b)
{
	const struct pline *x = a, *y = b;
	int r;

	if (sort_col == COL_PATH)
		r = strcmp(x->pf->path, y->pf->path);
	else if (sort_col == COL_COMM)
		r = strcmp(x->proc->comm, y->proc->comm);
	else
		r = num_cmp(line_value(x, sort_col), line_value(y, sort_col));
	if (!r)
		r = x->proc->pid - y->proc->pid;
	return r ? r : strcmp(x->pf->path, y->pf->path);
}

static int proc_cmp(const void *a, const void *b)
{
	const struct pproc *x = a, *y = b;
	int r;

	if (sort_col == COL_COMM)
		r = strcmp(x->comm, y->comm);
	else
		r = num_cmp(proc_value(x, sort_col), proc_value(y, sort_col));
	return r ? r : x->pid - y->pid;
}

/* Output ------------------------------------------------------------------ */

static int print_files(struct pid_cmd *pc)
{
	struct pcr_table *tb;
	struct pline *lines;
	size_t i, j, n = 0;
	int ret = -ENOMEM;

	for (i = 0; i < pc->nprocs; i++)
		n += pc->procs[i].pf.n;
	lines = calloc(n ? n : 1, sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	n = 0;
	for (i = 0; i < pc->nprocs; i++) {
		const struct pproc *p = &pc->procs[i];

		for (j = 0; j < p->pf.n; j++) {
			const struct pfile *f = &pc->files[p->file[j]];

			if (f->err)
				continue;
			lines[n].proc = p;
			lines[n].pf = &p->pf.f[j];
			lines[n++].file = f;
		}
	}
	qsort(lines, n, sizeof(*lines), line_cmp);
	if (pc->top && n > pc->top)
		n = pc->top;
	tb = pcr_table_new(&pc->cli.out, "files", &pc->cs);
	for (i = 0; tb && i < n; i++)
		if (pcr_table_add(tb, &pc->cli.out, &pc->cs, file_cell, pc,
				  &lines[i]))
			goto out;
	if (tb)
		ret = pcr_print_tables(&tb, 1, &pc->cli.out, false);
out:
	pcr_unref_tables(&tb, 1);
	free(lines);
	return ret;
}

static int print_processes(struct pid_cmd *pc)
{
	struct pcr_table *tb;
	size_t i, n = pc->nprocs;
	int ret = -ENOMEM;

	qsort(pc->procs, pc->nprocs, sizeof(*pc->procs), proc_cmp);
	if (pc->top && n > pc->top)
		n = pc->top;
	tb = pcr_table_new(&pc->cli.out, "processes", &pc->cs);
	for (i = 0; tb && i < n; i++)
		if (pcr_table_add(tb, &pc->cli.out, &pc->cs, proc_cell, pc,
				  &pc->procs[i]))
			goto out;
	if (tb)
		ret = pcr_print_tables(&tb, 1, &pc->cli.out, false);
out:
	pcr_unref_tables(&tb, 1);
	return ret;
}

static void free_run(struct pid_cmd *pc)
{
	size_t i;

	for (i = 0; i < pc->nfiles; i++)
		pcr_report_free(&pc->files[i].rep);
	free(pc->files);
	pc->files = NULL;
	pc->nfiles = 0;
	pc->afiles = 0;
	for (i = 0; i < pc->nprocs; i++) {
		pcr_proc_files_free(&pc->procs[i].pf);
		free(pc->procs[i].file);
	}
	free(pc->procs);
	pc->procs = NULL;
	pc->nprocs = 0;
}

static int pid_once(void *ctx)
{
	struct pid_cmd *pc = ctx;
	int status, ret;

	if (pc->all) {
		free(pc->pids);
		if (pcr_proc_pids(&pc->pids, &pc->npids)) {
			fprintf(stderr, "pcinspect: %s: %s\n", pcr_proc_root(),
				strerror(errno));
			return 1;
		}
	}
	status = gather(pc);
	if (status < 0) {
		fprintf(stderr, "pcinspect: out of memory\n");
		free_run(pc);
		return 1;
	}
	report_files(pc);
	sum_processes(pc);
	sort_col = pc->sort;
	ret = pc->all ? print_processes(pc) : print_files(pc);
	if (ret) {
		fprintf(stderr, "pcinspect: output: %s\n", strerror(-ret));
		status = 1;
	}
	free_run(pc);
	return status;
}

int pcr_cmd_pid(int argc, char **argv)
{
	static const struct option own[] = {
		{ "all-processes", no_argument, NULL, 'a' },
		{ "sort", required_argument, NULL, 's' },
		{ "top", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct option *opts;
	static const int file_def[] = { COL_PID, COL_COMM, COL_HOW, COL_CACHED,
					COL_DIRTY, COL_SIZE, COL_PATH };
	static const int proc_def[] = { COL_PID, COL_COMM, COL_FILES,
					COL_CACHED, COL_DIRTY, COL_WRITEBACK,
					COL_SIZE };
	struct pid_cmd pc = { .cli = { .cmd = "pid" }, .sort = COL_CACHED };
	const char *sort = NULL;
	bool top_set = false;
	uint64_t v;
	int c, i, status;

	opts = pcr_cli_longopts(own);
	opterr = 0;
	while ((c = getopt_long(argc, argv, PCR_CLI_SHORTOPTS "as:t:",
				opts, NULL)) != -1) {
		if (pcr_cli_opt(&pc.cli, c, optarg))
			continue;
		switch (c) {
		case 'a':
			pc.all = true;
			break;
		case 's':
			sort = optarg;
			break;
		case 't':
			v = pcr_number_arg("pid", "--top", optarg);
			if (v > SIZE_MAX / 2)
				pcr_usage_error("pid", "bad --top: %s", optarg);
			pc.top = v;
			top_set = true;
			break;
		case 'h':
			fputs("Usage:\n", stdout);
			pcr_pid_usage(stdout);
			exit(0);
		case 'H':
			pid_columns(stdout);
			exit(0);
		default:
			pcr_usage_error("pid", "bad option: %s",
					pcr_bad_option(argv));
		}
	}
	free(opts);
	pcr_cli_check(&pc.cli);
	if (pc.all && optind < argc)
		pcr_usage_error("pid", "--all-processes takes no PID");
	if (!pc.all && optind >= argc)
		pcr_usage_error("pid", "no PID given (or --all-processes)");
	if (pc.all && !top_set)
		pc.top = 20;
	pc.pids = calloc(argc - optind + 1, sizeof(*pc.pids));
	if (!pc.pids)
		return EXIT_FAILURE;
	for (i = optind; i < argc; i++) {
		v = pcr_number_arg("pid", "PID", argv[i]);
		if (!v || v > INT32_MAX)
			pcr_usage_error("pid", "bad PID: %s", argv[i]);
		pc.pids[pc.npids++] = (int)v;
	}
	pcr_colset_init(&pc.cs, cols, COL_NR,
			1u << (pc.all ? VIEW_PROCESS : VIEW_FILE),
			view_str[pc.all ? VIEW_PROCESS : VIEW_FILE]);
	if (pc.all)
		pcr_colset_set(&pc.cs, proc_def, ARRAY_SIZE(proc_def));
	else
		pcr_colset_set(&pc.cs, file_def, ARRAY_SIZE(file_def));
	if (pcr_colset_apply(&pc.cs, &pc.cli.out))
		return EXIT_USAGE;
	if (sort) {
		pc.sort = pcr_col_by_name(&pc.cs, sort, strlen(sort));
		if (pc.sort < 0)
			pcr_usage_error("pid", "bad --sort: unknown column %s",
					sort);
	}
	if (pcr_reporter_open(&pc.src, false))
		return EXIT_FAILURE;
	status = pcr_watch_loop(&pc.cli, pid_once, &pc);
	pcr_reporter_close(&pc.src);
	free(pc.pids);
	return status;
}
