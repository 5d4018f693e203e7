/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcinspect reader: shared types. One struct pci_report holds what is known
 * about one file, whichever source filled it (the module's "key: value"
 * report, cachestat(2) or mincore(2)); the "have" mask says which fields
 * that source can know, so nothing it cannot know is ever shown as a number.
 */
#ifndef PCINSPECT_READER_H
#define PCINSPECT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCI_VERSION	"0.1.0"
#define PCI_DEBUGFS	"/sys/kernel/debug/pcinspect"
/*
 * The module formats this reader understands: 3 (the newest, what the
 * module of this release speaks) and 2, whose output is the same (format 3
 * changed only the option grammar, which this reader's queries meet in
 * both), so listings and snapshots saved from a format 2 module still read.
 */
#define PCI_FORMAT		3
#define PCI_FORMAT_OLDEST	2
#define PCI_FORMATS_STR		"formats 2 to 3"

static inline bool pci_format_known(unsigned long long v)
{
	return v >= PCI_FORMAT_OLDEST && v <= PCI_FORMAT;
}

#define PCI_ORDERS	13	/* order0..order12 (12: orders >= 12) */
#define PCI_GENS	4	/* mglru_age0..3 */

/* -J -r: libsmartcols would print JSON's rows without the JSON around them */
#define JSON_RAW	"-J and -r do not go together: JSON has no raw form"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

enum pci_source {
	PCI_SRC_AUTO,
	PCI_SRC_MODULE,
	PCI_SRC_CACHESTAT,
	PCI_SRC_MINCORE,
};

/* Bits of pci_report.have: the fields a source knows. */
enum {
	PCI_HAVE_CACHED		= 1u << 0,
	PCI_HAVE_DIRTY		= 1u << 1,
	PCI_HAVE_WRITEBACK	= 1u << 2,
	PCI_HAVE_EVICTED	= 1u << 3,
	PCI_HAVE_SWAPPED	= 1u << 4,
	PCI_HAVE_DETAIL		= 1u << 5,	/* mapped, lru, active, ... */
	PCI_HAVE_NODES		= 1u << 6,
	PCI_HAVE_ORDERS		= 1u << 7,
	PCI_HAVE_MEMCGS		= 1u << 8,
	PCI_HAVE_RECENT		= 1u << 9,	/* cachestat's recently evicted */
	PCI_HAVE_IDENT		= 1u << 10,	/* dev, ino, fs, type */
	PCI_HAVE_MAP		= 1u << 11,
};

#define PCI_HAVE_MODULE	(PCI_HAVE_CACHED | PCI_HAVE_DIRTY | PCI_HAVE_WRITEBACK | \
			 PCI_HAVE_EVICTED | PCI_HAVE_SWAPPED | PCI_HAVE_DETAIL | \
			 PCI_HAVE_NODES | PCI_HAVE_ORDERS | PCI_HAVE_MEMCGS | \
			 PCI_HAVE_IDENT)

struct pci_node {
	int id;			/* -1: "nodeunknown" */
	uint64_t cached;
	uint64_t evicted;
};

struct pci_memcg {
	uint64_t id;		/* the key N: the cgroup's inode number */
	uint64_t cached;
	char *path;		/* decoded; NULL until its .path line */
	bool dying;		/* memcgN.state: dying */
};

struct pci_run {
	uint64_t first, last;
	char state[16];		/* hole cached dirty writeback ... */
	char lru[12];		/* active inactive unevictable - */
	bool mapped;
	int node;
	int order;
};

struct pci_report {
	const char *source;	/* "pcinspect", "cachestat", "mincore" */
	unsigned int have;
	char *path;		/* decoded */
	char dev[24];
	char fs[32];
	char type[16];
	uint64_t ino;
	uint64_t size;
	uint64_t page_size;
	uint64_t range_first, range_last;
	uint64_t nrpages;
	bool deleted;
	bool detail;

	uint64_t cached, dirty, writeback, evicted, evicted_workingset;
	uint64_t swapped, recently_evicted;
	uint64_t dirty_flag, mapped, lru, active, inactive, unevictable;
	uint64_t referenced, workingset;
	uint64_t order_pages[PCI_ORDERS];
	uint64_t mglru_age[PCI_GENS];
	uint64_t memcg_other;

	struct pci_node *nodes;
	size_t nr_nodes;
	struct pci_memcg *memcgs;
	size_t nr_memcgs;
	struct pci_run *runs;
	size_t nr_runs, runs_alloc;

	/* parser state */
	unsigned int lineno;
	bool seen_format;
	bool in_map;
	char *error;		/* what was wrong, for a malformed report */
};

struct pci_version {
	unsigned long format;
	char module[32];
	char kernel[128];
	uint64_t page_size;
	char features[256];
};

/* A file named on the command line and what was learned about it. */
struct pci_row {
	const char *arg;	/* as given */
	struct pci_report rep;
	int err;		/* -errno, 0 when rep is valid */
};

/* One file of a --snapshot: byte counts, -1 when its source did not know. */
enum {
	PCI_SNAP_CACHED,
	PCI_SNAP_DIRTY,
	PCI_SNAP_WRITEBACK,
	PCI_SNAP_EVICTED,
	PCI_SNAP_FIELDS
};

struct pci_snap {
	char *path;
	int64_t v[PCI_SNAP_FIELDS];
};

#define PCI_MAXCOLS	64

struct libscols_table;
struct libscols_column;

/* The whole command line, as the output code needs it. */
struct pci_ctl {
	int cols[PCI_MAXCOLS];
	size_t ncols;
	bool json, raw, bytes, noheadings;
	bool map;
	bool diff;
	struct pci_snap *old;	/* --diff FILE, then the previous refresh */
	size_t nold;
	const char *stamp;	/* the time of this --watch refresh, or NULL */
};

/* columns.c: the column table behind -o, -J, -r, -b and --help */
int pci_column_by_name(const char *name, size_t len);
int pci_columns_parse(struct pci_ctl *ctl, const char *list);
void pci_columns_default(struct pci_ctl *ctl);
void pci_columns_help(FILE *out);
int pci_print_files(const struct pci_ctl *ctl, struct pci_row *rows, size_t n);
int pci_print_maps(const struct pci_ctl *ctl, struct pci_row *rows, size_t n);
struct libscols_table *pci_new_table(const char *name, bool json, bool raw,
				     bool noheadings);
struct libscols_column *pci_add_column(struct libscols_table *tb,
				       const char *name, double whint,
				       int flags, int jtype, bool json);
int64_t pci_snap_value(const struct pci_report *rep, int field);
void pci_human_size(uint64_t bytes, char *buf, size_t size);
void pci_watch_stamp(char *buf, size_t size);
int pci_stdout_check(void);
void pci_close_stdout(void);
int pci_print_json_documents(struct libscols_table **tbs, size_t n,
			     const char *stamp);
int pci_print_tables(struct libscols_table **tbs, size_t n, bool json,
		     const char *stamp, bool header_if_empty);

/* snapshot.c: --snapshot and --diff */
int pci_snapshot_save(const char *file, const struct pci_row *rows, size_t n);
int pci_snapshot_load(const char *file, struct pci_snap **snaps, size_t *n,
		      char *err, size_t errsize);
int pci_snapshot_take(const struct pci_row *rows, size_t n,
		      struct pci_snap **snaps, size_t *nsnaps);
const struct pci_snap *pci_snapshot_find(const struct pci_ctl *ctl,
					 const char *path);
void pci_snapshot_free(struct pci_snap *snaps, size_t n);

/* report.c: parsing the module's output */
void pci_report_init(struct pci_report *rep);
void pci_report_free(struct pci_report *rep);
int pci_report_line(struct pci_report *rep, const char *line, size_t len);
int pci_report_finish(struct pci_report *rep);
int pci_report_parse(struct pci_report *rep, const char *text, size_t len);
int pci_report_read(struct pci_report *rep, FILE *f);
int pci_version_parse(struct pci_version *ver, const char *text, char *err,
		      size_t errsize);
char *pci_unescape(const char *s, size_t len);
char *pci_escape(const char *s);
int pci_parse_u64(const char *s, size_t len, uint64_t *val);
int pci_parse_id(const char *s, size_t len, uint64_t *val);
int pci_parse_size(const char *s, uint64_t *val);

/* module.c: the debugfs files */
int pci_module_version(struct pci_version *ver, char *err, size_t errsize);
int pci_module_report(struct pci_report *rep, const char *path, bool map,
		      uint64_t offset, uint64_t length, bool ranged);

/* fallback.c: cachestat(2) and mincore(2) */
int pci_have_cachestat(void);
int pci_cachestat_report(struct pci_report *rep, const char *path,
			 uint64_t offset, uint64_t length);
int pci_mincore_report(struct pci_report *rep, const char *path,
		       uint64_t offset, uint64_t length);

#endif /* PCINSPECT_READER_H */
