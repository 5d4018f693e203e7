/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system-wide listing ("pcinspect files"): the module's "files" format
 * (Documentation/ABI.md) parsed into entries, their full paths found through
 * mountinfo, the selection the reader makes itself (sort, top, prefix...)
 * and the listing's --snapshot/--diff. Kept apart from the per-file report
 * because a listing can hold a million entries: everything here is an array
 * sorted or filtered in place, never a structure per page.
 */
#ifndef PCINSPECT_LISTING_H
#define PCINSPECT_LISTING_H

#include "pcinspect.h"

#define PCI_FILES_COLUMNS	"fs dev ino id cached dirty writeback name path"

/* The "name" column: what the module knows of the inode's path. */
enum pci_fname {
	PCI_FNAME_NONE,		/* no dentry: dev and ino only */
	PCI_FNAME_PATH,
	PCI_FNAME_DELETED,
	PCI_FNAME_DISCONNECTED,	/* memfd, SysV shm...: "/" and a name */
	PCI_FNAME_NR,
};

/* What --diff found for an entry. */
enum pci_fchange {
	PCI_FCHG_NONE,		/* no --diff */
	PCI_FCHG_SAME,
	PCI_FCHG_CHANGED,
	PCI_FCHG_NEW,		/* not in the snapshot */
	PCI_FCHG_GONE,		/* only in the snapshot */
	PCI_FCHG_NR,
};

struct pci_fentry {
	char fs[32];
	unsigned int major, minor;
	uint64_t ino, cached, dirty, writeback;	/* pages */
	uint64_t id;		/* the inode's identity, as lru-files gives it */
	int name;		/* enum pci_fname */
	char *fspath;		/* decoded path inside its filesystem, or NULL */
	char *full;		/* the path through a mount point, or NULL */
	char *path;		/* what PATH shows: full, or marked */
	int change;		/* enum pci_fchange */
	uint64_t old_cached, old_dirty, old_writeback;
};

struct pci_ftotal {
	char fs[32];
	unsigned int major, minor;
	uint64_t inodes, cached, dirty, writeback;
};

/* The "# walk" line; keys this reader does not know are ignored. */
struct pci_fwalk {
	bool seen;
	uint64_t types, superblocks, visited, listed, skipped, filtered;
	uint64_t unlisted, walk_ns, bytes;
};

struct pci_listing {
	struct pci_fentry *e;
	size_t n, alloc;
	struct pci_ftotal *t;
	size_t nt, talloc;
	struct pci_fwalk walk;
	unsigned int lineno;
	unsigned int bad_lines;	/* malformed lines skipped */
	bool seen_header;
	char *error;		/* the last problem, "line N: ..." */
};

/* listing.c: the format */
void pci_listing_init(struct pci_listing *l);
void pci_listing_free(struct pci_listing *l);
int pci_listing_line(struct pci_listing *l, const char *line, size_t len);
int pci_listing_finish(struct pci_listing *l);
int pci_listing_parse(struct pci_listing *l, const char *text, size_t len,
		      const char *name);
int pci_listing_read(struct pci_listing *l, FILE *f, const char *name);
int pci_parse_dev(const char *s, size_t len, unsigned int *major,
		  unsigned int *minor);

/* mountinfo.c: full paths */
struct pci_mount {
	unsigned int major, minor;
	char *root;		/* the mount's root inside its filesystem */
	char *mnt;		/* where it is mounted */
};

struct pci_mounts {
	struct pci_mount *m;
	size_t n;
	unsigned int bad_lines;
};

int pci_mounts_parse(struct pci_mounts *ms, FILE *f);
int pci_mounts_load(struct pci_mounts *ms, const char *file);
void pci_mounts_free(struct pci_mounts *ms);
int pci_mounts_resolve(const struct pci_mounts *ms, unsigned int major,
		       unsigned int minor, const char *fspath, char **full);
char *pci_uevent_devname(const char *text);

/* filter.c: what the reader selects itself */
struct pci_fsel {
	const char *fs;		/* NULL: any */
	bool dev_set;
	unsigned int major, minor;
	uint64_t min;		/* 0: any */
	const char *prefix;	/* NULL: any */
};

int pci_fentry_paths(struct pci_fentry *e, const struct pci_mounts *ms,
		     const char *sysfs);
bool pci_prefix_match(const char *path, const char *prefix);
size_t pci_listing_select(struct pci_listing *l, const struct pci_fsel *sel);
void pci_listing_select_totals(struct pci_listing *l,
			       const struct pci_fsel *sel);
int pci_fcolumn_by_name(const char *name, size_t len);
void pci_listing_drop_same(struct pci_listing *l);
void pci_listing_sort(struct pci_listing *l, int col);
void pci_listing_top(struct pci_listing *l, size_t top);
void pci_fentry_free(struct pci_fentry *e);

/* files.c: the command */
int pci_cmd_files(int argc, char **argv);
void pci_files_usage(FILE *out, const char *cmd);

/* files_snapshot.c: --snapshot and --diff of the listing */
int pci_fsnap_save(const char *file, const struct pci_listing *l,
		   uint64_t page_size);
int pci_fsnap_diff(const char *file, struct pci_listing *l,
		   uint64_t page_size, char *err, size_t errsize);
int pci_fsnap_save_buf(const struct pci_listing *l, uint64_t page_size,
		       char **buf, size_t *len);
int pci_fsnap_diff_buf(const char *buf, size_t len, struct pci_listing *l,
		       uint64_t page_size, char *err, size_t errsize);

/* Columns of the listing (files.c and filter.c share them). */
enum {
	FCOL_FS,
	FCOL_DEV,
	FCOL_INO,
	FCOL_CACHED,
	FCOL_PAGES,
	FCOL_DIRTY,
	FCOL_WRITEBACK,
	FCOL_NAME,
	FCOL_PATH,
	FCOL_FSPATH,
	FCOL_DELETED,
	FCOL_CHANGE,
	FCOL_DCACHED,
	FCOL_DPAGES,
	FCOL_DDIRTY,
	FCOL_DWRITEBACK,
	FCOL_NR
};

/* How a column is shown and sorted. */
enum {
	FSHOW_STR,	/* text */
	FSHOW_NUM,	/* a number */
	FSHOW_PAGES,	/* pages shown as a size (bytes with -b and in JSON) */
	FSHOW_DPAGES,	/* a signed change of pages, as a size */
	FSHOW_DNUM,	/* a signed change of pages, as a number */
	FSHOW_BOOL,	/* 1 or 0; JSON: true or false */
};

enum {
	FSORT_UP,	/* text and identifiers: ascending */
	FSORT_DOWN,	/* amounts: most first */
	FSORT_ABS,	/* changes: largest change first, either sign */
};

struct pci_fcolinfo {
	const char *name;
	double whint;
	int flags;		/* SCOLS_FL_* */
	int show;
	int sort;
	bool diff;		/* needs --diff */
	const char *help;
};

extern const struct pci_fcolinfo pci_fcols[FCOL_NR];
extern const char * const pci_fname_str[PCI_FNAME_NR];
extern const char * const pci_fchange_str[PCI_FCHG_NR];

#endif /* PCINSPECT_LISTING_H */
