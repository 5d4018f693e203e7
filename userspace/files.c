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

#include <libsmartcols.h>

#include "lru.h"

#define EXIT_USAGE	2
#define PARAM_FILE	"module/pcinspect/parameters/files_options"

enum {
	OPT_SORT = 0x100,
	OPT_FS,
	OPT_DEV,
	OPT_PREFIX,
	OPT_MIN,
	OPT_SUMMARY,
	OPT_WATCH,
	OPT_COUNT,
	OPT_SNAPSHOT,
	OPT_DIFF,
	OPT_FROM,
	OPT_MOUNTINFO,
};

struct fopts {
	const char *cmd;		/* "files" or "top" */
	struct pci_fsel sel;
	int sort;
	size_t top;
	bool summary;
	double watch;
	unsigned long count;
	const char *snapshot, *diff, *from, *mountinfo;
	int cols[FCOL_NR * 2];
	size_t ncols;
	bool json, raw, bytes, noheadings;
	uint64_t page_size;
	const char *stamp;	/* the time of this --watch refresh, or NULL */
};

void pci_files_usage(FILE *out, const char *cmd)
{
	size_t i;

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
		"     --summary           also the module's per-filesystem totals and\n"
		"                         walk statistics\n"
		" -o, --output LIST       columns to show (+LIST adds to the defaults)\n"
		" -J, --json              JSON output\n"
		" -r, --raw               raw output\n"
		" -b, --bytes             sizes in bytes, not human-readable\n"
		" -n, --noheadings        no headings\n"
		"     --watch SECONDS     list again every SECONDS\n"
		"     --count N           stop after N listings (with --watch)\n"
		"     --snapshot FILE     save the listing (before --top) to FILE\n"
		"     --diff FILE         what changed since the snapshot in FILE:\n"
		"                         changed, new and gone inodes only\n"
		"     --from FILE         a saved copy of the module's files output\n"
		"     --mountinfo FILE    resolve paths with FILE, not\n"
		"                         /proc/self/mountinfo\n"
		"\nAvailable output columns for %s:\n",
		cmd, !strcmp(cmd, "top") ? "default 20" : "default all", cmd);
	for (i = 0; i < FCOL_NR; i++)
		fprintf(out, " %16s  %s\n", pci_fcols[i].name, pci_fcols[i].help);
	fputs("\nPATH is the path through a mount point of this mount namespace;\n"
	      "\"[MAJ:MIN]/path\" a path inside a filesystem no mount here shows\n"
	      "(also memfd and shm); \"(deleted)\" an unlinked file still open;\n"
	      "\"/dev/NAME\" a block device's cache; \"[MAJ:MIN] ino N\" an inode\n"
	      "with no name left in the dentry cache.\n",
	      out);
}

static void bad_usage(const char *fmt, const char *arg)
{
	fputs("pcinspect: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'pcinspect --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

static uint64_t number_arg(const char *opt, const char *arg)
{
	uint64_t v;

	if (pci_parse_u64(arg, strlen(arg), &v))
		bad_usage(opt, arg);
	return v;
}

static void columns_default(struct fopts *o)
{
	static const int table[] = { FCOL_CACHED, FCOL_PAGES, FCOL_DIRTY,
				     FCOL_WRITEBACK, FCOL_FS, FCOL_DEV,
				     FCOL_INO, FCOL_PATH };
	static const int json[] = { FCOL_FS, FCOL_DEV, FCOL_INO, FCOL_CACHED,
				    FCOL_PAGES, FCOL_DIRTY, FCOL_WRITEBACK,
				    FCOL_NAME, FCOL_FSPATH, FCOL_PATH,
				    FCOL_DELETED };
	static const int diff[] = { FCOL_CHANGE, FCOL_DCACHED, FCOL_CACHED,
				    FCOL_DDIRTY, FCOL_DWRITEBACK, FCOL_FS,
				    FCOL_PATH };
	static const int diff_json[] = { FCOL_CHANGE, FCOL_FS, FCOL_DEV,
					 FCOL_INO, FCOL_CACHED, FCOL_DCACHED,
					 FCOL_PAGES, FCOL_DPAGES, FCOL_DIRTY,
					 FCOL_DDIRTY, FCOL_WRITEBACK,
					 FCOL_DWRITEBACK, FCOL_NAME,
					 FCOL_PATH, FCOL_DELETED };
	const int *def;
	size_t n, i;

	if (o->diff) {
		def = o->json ? diff_json : diff;
		n = o->json ? ARRAY_SIZE(diff_json) : ARRAY_SIZE(diff);
	} else {
		def = o->json ? json : table;
		n = o->json ? ARRAY_SIZE(json) : ARRAY_SIZE(table);
	}
	for (i = 0; i < n; i++)
		o->cols[i] = def[i];
	o->ncols = n;
}

static void columns_parse(struct fopts *o, const char *list)
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
		id = pci_fcolumn_by_name(p, end - p);
		if (id < 0) {
			fprintf(stderr, "pcinspect: unknown column: %.*s\n",
				(int)(end - p), p);
			exit(EXIT_USAGE);
		}
		if (pci_fcols[id].diff && !o->diff)
			bad_usage("column %s needs --diff", pci_fcols[id].name);
		for (i = 0; i < o->ncols; i++)
			if (o->cols[i] == id)
				break;
		if (i < o->ncols)
			continue;	/* each column once */
		o->cols[o->ncols++] = id;
	}
	if (!o->ncols)
		bad_usage("%s", "no columns");
}

/* Talking to the module ------------------------------------------------- */

static const char *debugfs_file(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("PCINSPECT_DEBUGFS");

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : PCI_DEBUGFS, name);
	return buf;
}

static const char *sysfs_root(void)
{
	const char *s = getenv("PCINSPECT_SYSFS");

	return s && *s ? s : "/sys";
}

/* The files_options parameter, blanks and "(null)" counting as empty. */
static int read_param(char *buf, size_t size, bool *empty)
{
	char file[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(file, sizeof(file), "%s/" PARAM_FILE, sysfs_root());
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	*empty = !strcmp(buf, "(null)") || !buf[strspn(buf, " \t")];
	return 0;
}

/*
 * Kernel lockdown refuses files-query (it can be written). The read-only
 * "files" lists with the global files_options parameter; setting it would
 * change what every other user of "files" sees, so this never writes it.
 * When it is empty, "files" lists everything and the reader selects; when
 * someone has set it, the listing would silently be theirs: refuse.
 */
static int open_lockdown(char *param, size_t size)
{
	char file[PATH_MAX];
	bool empty;
	int fd, ret;

	ret = read_param(param, size, &empty);
	if (ret) {
		fprintf(stderr, "pcinspect: files-query refused (kernel lockdown?) and %s/%s: %s\n",
			sysfs_root(), PARAM_FILE, strerror(-ret));
		return ret;
	}
	if (!empty) {
		fprintf(stderr,
			"pcinspect: files-query refused (kernel lockdown?), and files lists with files_options \"%s\", set by someone else: not changing it under them. Clear it (echo > %s/%s) to list through files.\n",
			param, sysfs_root(), PARAM_FILE);
		return -EBUSY;
	}
	fprintf(stderr,
		"pcinspect: files-query refused (kernel lockdown?): listing everything through files (files_options is empty) and selecting in pcinspect\n");
	fd = open(debugfs_file("files", file, sizeof(file)),
		  O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		fprintf(stderr, "pcinspect: %s: %s\n", file, strerror(errno));
	}
	return fd < 0 ? ret : fd;
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
 * applied by the module. Errors are reported here.
 */
static int fetch(const struct fopts *o, struct pci_listing *l,
		 bool *reader_selects)
{
	char file[PATH_MAX], opts[256], param[256], again[256];
	bool lockdown = false, empty;
	const char *name;
	FILE *f;
	int fd, ret;

	*reader_selects = false;
	if (o->from) {
		name = o->from;
		fd = open(o->from, O_RDONLY | O_CLOEXEC);
		*reader_selects = true;
	} else {
		name = debugfs_file("files-query", file, sizeof(file));
		fd = open(file, O_RDWR | O_CLOEXEC);
		if (fd < 0 && errno == EPERM) {
			fd = open_lockdown(param, sizeof(param));
			if (fd < 0)
				return fd;
			lockdown = true;
			*reader_selects = true;
			name = "files";
		}
	}
	if (fd < 0) {
		ret = -errno;
		fprintf(stderr, "pcinspect: %s: %s\n", name, strerror(errno));
		return ret;
	}
	module_options(o, opts, sizeof(opts));
	/* one write: these options are this open file's only */
	if (!*reader_selects && *opts && write(fd, opts, strlen(opts)) < 0) {
		ret = -errno;
		fprintf(stderr, "pcinspect: %s: the module refused \"%s\": %s\n",
			name, opts, strerror(errno));
		close(fd);
		return ret;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 && errno != ESPIPE) {
		ret = -errno;
		close(fd);
		return ret;
	}
	f = fdopen(fd, "r");
	if (!f) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = pci_listing_read(l, f, name);
	if (ret && ret != -ENOMEM && (l->error || !l->seen_header))
		fprintf(stderr, "pcinspect: %s: %s\n", name,
			l->error ? l->error : strerror(-ret));
	else if (ret)
		fprintf(stderr, "pcinspect: %s: %s\n", name, strerror(-ret));
	fclose(f);
	/* someone set files_options while we read: not our listing */
	if (!ret && lockdown &&
	    (read_param(again, sizeof(again), &empty) || !empty)) {
		fprintf(stderr, "pcinspect: files_options changed during the listing, try again\n");
		ret = -EAGAIN;
	}
	return ret;
}

/*
 * The whole listing, for lru --files' names: files-query with no options
 * (or files under lockdown, as above), or a saved copy @from.
 */
int pci_files_fetch(struct pci_listing *l, const char *from)
{
	struct fopts o = { .cmd = "lru --files", .from = from };
	bool reader_selects;

	return fetch(&o, l, &reader_selects);
}

/* Output ------------------------------------------------------------------ */

static char *size_str(const struct fopts *o, unsigned __int128 bytes)
{
	char buf[48];

	if (bytes > UINT64_MAX)
		bytes = UINT64_MAX;
	if (o->bytes || o->json)
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)bytes);
	else
		pci_human_size((uint64_t)bytes, buf, sizeof(buf));
	return strdup(buf);
}

static char *delta_str(const struct fopts *o, uint64_t now, uint64_t old,
		       bool pages)
{
	unsigned __int128 d;
	bool neg = now < old;
	char buf[48];

	d = neg ? old - now : now - old;
	if (!d)
		return strdup("0");
	if (pages) {
		snprintf(buf, sizeof(buf), "%s%llu", neg ? "-" : "",
			 (unsigned long long)d);
		return strdup(buf);
	}
	d *= o->page_size;
	if (d > INT64_MAX)
		d = INT64_MAX;
	if (o->bytes || o->json) {
		snprintf(buf, sizeof(buf), "%s%llu", neg ? "-" : "",
			 (unsigned long long)d);
	} else {
		buf[0] = neg ? '-' : '+';
		pci_human_size((uint64_t)d, buf + 1, sizeof(buf) - 1);
	}
	return strdup(buf);
}

static char *num_str(uint64_t v)
{
	char *s;

	return asprintf(&s, "%llu", (unsigned long long)v) < 0 ? NULL : s;
}

/*
 * PATH as shown marks an unlinked file " (deleted)"; JSON carries the
 * path itself, and DELETED says the rest.
 */
static char *path_str(const struct fopts *o, const struct pci_fentry *e)
{
	static const char del[] = " (deleted)";
	size_t len;

	if (!e->path)
		return NULL;
	len = strlen(e->path);
	if (o->json && e->name == PCI_FNAME_DELETED &&
	    len >= sizeof(del) - 1 &&
	    !strcmp(e->path + len - (sizeof(del) - 1), del))
		return strndup(e->path, len - (sizeof(del) - 1));
	return strdup(e->path);
}

/* The cell text, newly allocated; NULL for null (JSON) or "-" (tables). */
static char *cell(const struct fopts *o, const struct pci_fentry *e, int col)
{
	char *s;

	switch (col) {
	case FCOL_FS:
		return strdup(e->fs);
	case FCOL_DEV:
		return asprintf(&s, "%u:%u", e->major, e->minor) < 0 ? NULL : s;
	case FCOL_INO:
		return num_str(e->ino);
	case FCOL_CACHED:
		return size_str(o, (unsigned __int128)e->cached * o->page_size);
	case FCOL_PAGES:
		return num_str(e->cached);
	case FCOL_DIRTY:
		return size_str(o, (unsigned __int128)e->dirty * o->page_size);
	case FCOL_WRITEBACK:
		return size_str(o,
				(unsigned __int128)e->writeback * o->page_size);
	case FCOL_NAME:
		return strdup(pci_fname_str[e->name]);
	case FCOL_PATH:
		return path_str(o, e);
	case FCOL_DELETED:
		if (o->json)
			return strdup(e->name == PCI_FNAME_DELETED ? "true" :
				      "false");
		return strdup(e->name == PCI_FNAME_DELETED ? "1" : "0");
	case FCOL_FSPATH:
		return e->fspath ? strdup(e->fspath) : NULL;
	case FCOL_CHANGE:
		return strdup(pci_fchange_str[e->change]);
	case FCOL_DCACHED:
		return delta_str(o, e->cached, e->old_cached, false);
	case FCOL_DPAGES:
		return delta_str(o, e->cached, e->old_cached, true);
	case FCOL_DDIRTY:
		return delta_str(o, e->dirty, e->old_dirty, false);
	case FCOL_DWRITEBACK:
		return delta_str(o, e->writeback, e->old_writeback, false);
	}
	return NULL;
}

static int json_type(int show)
{
	return show == FSHOW_STR ? SCOLS_JSON_STRING : SCOLS_JSON_NUMBER;
}

static struct libscols_table *listing_table(const struct fopts *o,
					    const struct pci_listing *l)
{
	struct libscols_table *tb;
	struct libscols_line *ln;
	size_t i, c;

	tb = pci_new_table("files", o->json, o->raw, o->noheadings);
	if (!tb)
		return NULL;
	for (c = 0; c < o->ncols; c++) {
		const struct pci_fcolinfo *ci = &pci_fcols[o->cols[c]];

		if (!pci_add_column(tb, ci->name, ci->whint, ci->flags,
				    json_type(ci->show), o->json))
			goto err;
	}
	for (i = 0; i < l->n; i++) {
		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto err;
		for (c = 0; c < o->ncols; c++) {
			char *s = cell(o, &l->e[i], o->cols[c]);

			if (!s && !o->json)
				s = strdup("-");
			if (s && scols_line_refer_data(ln, c, s)) {
				free(s);
				goto err;
			}
		}
	}
	return tb;
err:
	scols_unref_table(tb);
	return NULL;
}

static int add_cells(struct libscols_line *ln, size_t first, char **v,
		     size_t n)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++) {
		if (!ret && v[i] && !scols_line_refer_data(ln, first + i, v[i]))
			continue;
		free(v[i]);
		ret = -ENOMEM;
	}
	return ret;
}

/* The module's "# total" lines: per superblock, before min= and top=. */
static struct libscols_table *totals_table(const struct fopts *o,
					   const struct pci_listing *l)
{
	static const char * const names[] = { "FS", "DEV", "INODES", "PAGES",
					       "CACHED", "DIRTY", "WRITEBACK" };
	struct libscols_table *tb;
	struct libscols_line *ln;
	char *v[ARRAY_SIZE(names)];
	size_t i, c;

	tb = pci_new_table("totals", o->json, o->raw, o->noheadings);
	if (!tb)
		return NULL;
	for (c = 0; c < ARRAY_SIZE(names); c++)
		if (!pci_add_column(tb, names[c], 5, c < 2 ? 0 : SCOLS_FL_RIGHT,
				    c < 2 ? SCOLS_JSON_STRING :
				    SCOLS_JSON_NUMBER, o->json))
			goto err;
	for (i = 0; i < l->nt; i++) {
		const struct pci_ftotal *t = &l->t[i];

		ln = scols_table_new_line(tb, NULL);
		if (!ln)
			goto err;
		v[0] = strdup(t->fs);
		if (asprintf(&v[1], "%u:%u", t->major, t->minor) < 0)
			v[1] = NULL;
		v[2] = num_str(t->inodes);
		v[3] = num_str(t->cached);
		v[4] = size_str(o, (unsigned __int128)t->cached * o->page_size);
		v[5] = size_str(o, (unsigned __int128)t->dirty * o->page_size);
		v[6] = size_str(o,
				(unsigned __int128)t->writeback * o->page_size);
		if (add_cells(ln, 0, v, ARRAY_SIZE(v)))
			goto err;
	}
	return tb;
err:
	scols_unref_table(tb);
	return NULL;
}

/* The "# walk" line as a table of one line. */
static struct libscols_table *walk_table(const struct fopts *o,
					 const struct pci_listing *l)
{
	const struct pci_fwalk *w = &l->walk;
	const uint64_t vals[] = { w->types, w->superblocks, w->visited,
				  w->listed, w->skipped, w->filtered,
				  w->unlisted, w->walk_ns, w->bytes };
	static const char * const names[] = { "TYPES", "SUPERBLOCKS",
		"VISITED", "LISTED", "SKIPPED", "FILTERED", "UNLISTED",
		"WALK_NS", "BYTES" };
	struct libscols_table *tb;
	struct libscols_line *ln;
	char *v[ARRAY_SIZE(names)];
	size_t c;

	tb = pci_new_table("walk", o->json, o->raw, o->noheadings);
	if (!tb)
		return NULL;
	for (c = 0; c < ARRAY_SIZE(names); c++)
		if (!pci_add_column(tb, names[c], 5, SCOLS_FL_RIGHT,
				    SCOLS_JSON_NUMBER, o->json))
			goto err;
	ln = scols_table_new_line(tb, NULL);
	if (!ln)
		goto err;
	for (c = 0; c < ARRAY_SIZE(names); c++)
		v[c] = num_str(vals[c]);
	if (add_cells(ln, 0, v, ARRAY_SIZE(v)))
		goto err;
	return tb;
err:
	scols_unref_table(tb);
	return NULL;
}

static int print_all(const struct fopts *o, const struct pci_listing *l)
{
	struct libscols_table *tbs[3] = { NULL };
	size_t n = o->summary ? 3 : 1, i;
	int ret = -ENOMEM;

	tbs[0] = listing_table(o, l);
	if (o->summary) {
		tbs[1] = totals_table(o, l);
		tbs[2] = walk_table(o, l);
	}
	for (i = 0; i < n; i++)
		if (!tbs[i])
			goto out;
	/* a --diff where nothing changed still shows its header */
	ret = pci_print_tables(tbs, n, o->json, o->stamp, true);
out:
	for (i = 0; i < n; i++)
		scols_unref_table(tbs[i]);
	return ret;
}

/* The previous listing under --watch --diff, as a snapshot in memory. */
struct prev_listing {
	char *buf;
	size_t len;
};

/* One listing, from reading to printing; returns the exit status. */
static int list_once(const struct fopts *o, struct prev_listing *prev)
{
	struct pci_listing l;
	struct pci_mounts ms;
	const char *mi = o->mountinfo ? o->mountinfo : "/proc/self/mountinfo";
	struct pci_fsel sel = o->sel;
	bool reader_selects;
	char err[256];
	int status = 0, ret;
	size_t i;

	pci_listing_init(&l);
	if (fetch(o, &l, &reader_selects)) {
		pci_listing_free(&l);
		return 1;
	}
	if (l.bad_lines)
		status = 1;
	ret = pci_mounts_load(&ms, mi);
	if (ret) {
		/* paths then show as [MAJ:MIN]/path, still correct */
		fprintf(stderr, "pcinspect: %s: %s\n", mi, strerror(-ret));
		status = 1;
	}
	for (i = 0; i < l.n; i++) {
		if (pci_fentry_paths(&l.e[i], &ms, sysfs_root())) {
			fprintf(stderr, "pcinspect: out of memory\n");
			status = 1;
			goto out;
		}
	}
	if (reader_selects) {
		pci_listing_select_totals(&l, &sel);
	} else {
		/* the module selected these already */
		sel.fs = NULL;
		sel.dev_set = false;
		sel.min = 0;
	}
	pci_listing_select(&l, &sel);
	if (o->diff) {
		ret = prev->buf ? pci_fsnap_diff_buf(prev->buf, prev->len, &l,
						     o->page_size, err,
						     sizeof(err)) :
		      pci_fsnap_diff(o->diff, &l, o->page_size, err,
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
		pci_listing_select(&l, &sel);
	}
	/*
	 * Saved after the diff was read: "--snapshot S --diff S --watch N"
	 * shows what changed since the previous listing.
	 */
	if (o->snapshot) {
		ret = pci_fsnap_save(o->snapshot, &l, o->page_size);
		if (ret) {
			fprintf(stderr, "pcinspect: %s: %s\n", o->snapshot,
				strerror(-ret));
			status = 1;
		}
	}
	/* under --watch the next listing is measured from this one */
	if (o->diff && o->watch) {
		free(prev->buf);
		prev->buf = NULL;
		if (pci_fsnap_save_buf(&l, o->page_size, &prev->buf,
				       &prev->len)) {
			fprintf(stderr, "pcinspect: out of memory\n");
			status = 1;
		}
	}
	/* what changed: unchanged entries are left out */
	if (o->diff)
		pci_listing_drop_same(&l);
	pci_listing_sort(&l, o->sort);
	pci_listing_top(&l, o->top);
	ret = print_all(o, &l);
	if (ret) {
		fprintf(stderr, "pcinspect: output: %s\n", strerror(-ret));
		status = 1;
	}
out:
	fflush(stdout);
	pci_mounts_free(&ms);
	pci_listing_free(&l);
	return status;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The module's version: its absence is this command's whole answer. */
static int check_module(struct fopts *o)
{
	struct pci_version ver;
	char err[512];
	int ret;

	ret = pci_module_version(&ver, err, sizeof(err));
	if (ret == -ENOENT) {
		fprintf(stderr,
			"pcinspect: %s needs the pcinspect module (%s): no other kernel interface lists every cached file. Load pcinspect.ko (and mount debugfs), or list saved output with --from.\n",
			o->cmd, err);
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

int pci_cmd_files(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "top", required_argument, NULL, 't' },
		{ "sort", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "bytes", no_argument, NULL, 'b' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "fs", required_argument, NULL, OPT_FS },
		{ "dev", required_argument, NULL, OPT_DEV },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "min", required_argument, NULL, OPT_MIN },
		{ "summary", no_argument, NULL, OPT_SUMMARY },
		{ "watch", required_argument, NULL, OPT_WATCH },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "mountinfo", required_argument, NULL, OPT_MOUNTINFO },
		{ NULL, 0, NULL, 0 },
	};
	struct fopts o = { .cmd = argv[0], .sort = FCOL_CACHED };
	struct prev_listing prev = { NULL, 0 };
	const char *outcols = NULL, *sort = NULL;
	unsigned long iter;
	uint64_t v;
	char *end, stamp[32];
	int c, status = 0;

	if (!strcmp(o.cmd, "top"))
		o.top = 20;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "t:s:o:Jrbnh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 't':
			v = number_arg("bad --top: %s", optarg);
			if (v > SIZE_MAX / 2)
				bad_usage("bad --top: %s", optarg);
			o.top = v;	/* 0: all */
			break;
		case 's':
			sort = optarg;
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
			pci_files_usage(stdout, o.cmd);
			exit(0);
		case OPT_FS:
			if (!*optarg || strpbrk(optarg, " \t\n=") ||
			    strlen(optarg) >= sizeof(((struct pci_fentry *)0)->fs))
				bad_usage("bad --fs: %s", optarg);
			o.sel.fs = optarg;
			break;
		case OPT_DEV:
			if (pci_parse_dev(optarg, strlen(optarg), &o.sel.major,
					  &o.sel.minor))
				bad_usage("bad --dev: %s (MAJOR:MINOR)", optarg);
			o.sel.dev_set = true;
			break;
		case OPT_PREFIX:
			if (optarg[0] != '/')
				bad_usage("bad --prefix: %s (an absolute path)",
					  optarg);
			o.sel.prefix = optarg;
			break;
		case OPT_MIN:
			o.sel.min = number_arg("bad --min: %s (pages)", optarg);
			break;
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
			bad_usage("bad option: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_usage("%s takes no file names (for files, try: pcinspect file PATH...)",
			  argv[optind]);
	if (o.count && !o.watch)
		bad_usage("%s", "--count needs --watch");
	if (o.json && o.raw)
		bad_usage("%s", JSON_RAW);
	if (sort) {
		o.sort = pci_fcolumn_by_name(sort, strlen(sort));
		if (o.sort < 0)
			bad_usage("bad --sort: unknown column %s", sort);
		if (pci_fcols[o.sort].diff && !o.diff)
			bad_usage("--sort %s needs --diff", sort);
	} else if (o.diff) {
		o.sort = FCOL_DCACHED;	/* the biggest change first */
	}
	columns_default(&o);
	if (outcols)
		columns_parse(&o, outcols);

	if (o.from)
		o.page_size = sysconf(_SC_PAGESIZE);
	else if (check_module(&o))
		return 1;

	for (iter = 0; ; ) {
		if (o.watch && isatty(STDOUT_FILENO) && !o.json)
			fputs("\033[H\033[2J", stdout);
		if (o.watch) {
			pci_watch_stamp(stamp, sizeof(stamp));
			o.stamp = stamp;
		}
		status |= list_once(&o, &prev);
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
	free(prev.buf);
	return status;
}
