/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system-wide listing: the module's "files" format (Documentation/ABI.md)
 * parsed into entries, their full paths found through mountinfo, the
 * selection the reader makes itself (sort, top, prefix...) and the
 * listing's --snapshot/--diff. Kept apart from the per-file report
 * because a listing can hold a million entries: everything here is an array
 * sorted or filtered in place, never a structure per page.
 */
#ifndef PCR_FORMAT_LISTING_H
#define PCR_FORMAT_LISTING_H

#include "records.h"

/* The columns of format 4, and of formats 2 and 3 (no size) */
#define PCR_FILES_COLUMNS	"fs dev ino id cached dirty writeback size type name path"
#define PCR_FILES_COLUMNS_3	"fs dev ino id cached dirty writeback name path"

/* The "name" field: what the module knows of the inode's path. */
enum pcr_fname {
	PCR_FNAME_NONE,		/* no dentry: dev and ino only */
	PCR_FNAME_PATH,
	PCR_FNAME_DELETED,
	PCR_FNAME_DISCONNECTED,	/* memfd, SysV shm...: "/" and a name */
	PCR_FNAME_NR,
};

/* What --diff found for an entry. */
enum pcr_fchange {
	PCR_FCHG_NONE,		/* no --diff */
	PCR_FCHG_SAME,
	PCR_FCHG_CHANGED,
	PCR_FCHG_NEW,		/* not in the snapshot */
	PCR_FCHG_GONE,		/* only in the snapshot */
	PCR_FCHG_NR,
};

struct pcr_fentry {
	char fs[32];
	unsigned int major, minor;
	uint64_t ino, cached, dirty, writeback;	/* pages */
	uint64_t size;		/* bytes (i_size), when has_size */
	bool has_size;		/* format 4 on: size and type known */
	char type[8];		/* reg, dir, lnk, blk, other; "" before 4 */
	uint64_t id;		/* the inode's identity, as lru-files gives it */
	int name;		/* enum pcr_fname */
	char *fspath;		/* decoded path inside its filesystem, or NULL */
	char *full;		/* the path through a mount point, or NULL */
	char *path;		/* what PATH shows: full, or marked */
	int change;		/* enum pcr_fchange */
	uint64_t old_cached, old_dirty, old_writeback;
};

struct pcr_ftotal {
	char fs[PCR_WORD];
	unsigned int major, minor;
	uint64_t inodes, cached, dirty, writeback;
};

/* The "# walk" line; keys this reader does not know are ignored. */
struct pcr_fwalk {
	bool seen;
	uint64_t types, superblocks, visited, listed, skipped, filtered;
	uint64_t unlisted, walk_ns, bytes;
};

struct pcr_listing {
	unsigned int format;	/* the header's */
	struct pcr_fentry *e;
	size_t n, alloc;
	struct pcr_ftotal *t;
	size_t nt, talloc;
	struct pcr_fwalk walk;
	struct pcr_parser parse;	/* bad_lines: malformed lines skipped */
	/*
	 * Set: each file's entry is handed to @each as it is read, not kept
	 * in e[]: a tree of 10,000 files then costs no array of 168-byte
	 * entries. @each may take e->fspath (leaving NULL); an error stops
	 * the read.
	 */
	int (*each)(void *ctx, struct pcr_fentry *e);
	void *each_ctx;
};

/* format_listing.c: the format */
void pcr_listing_init(struct pcr_listing *l);
void pcr_listing_free(struct pcr_listing *l);
int pcr_listing_parse(struct pcr_listing *l, const char *text, size_t len,
		      const char *name);
int pcr_listing_read(struct pcr_listing *l, FILE *f, const char *name);

/* format_mountinfo.c: full paths */
struct pcr_mount {
	unsigned int major, minor;
	char *root;		/* the mount's root inside its filesystem */
	char *mnt;		/* where it is mounted */
	char fstype[32];	/* the filesystem type, after " - " */
};

struct pcr_mounts {
	struct pcr_mount *m;
	size_t n;
	unsigned int bad_lines;
};

int pcr_mounts_parse(struct pcr_mounts *ms, FILE *f);
void pcr_mounts_free(struct pcr_mounts *ms);
int pcr_mounts_resolve(const struct pcr_mounts *ms, unsigned int major,
		       unsigned int minor, const char *fspath, char **full);
char *pcr_uevent_devname(const char *text);

/* listing_select.c: what the reader selects itself, and the order */
struct pcr_fsel {
	const char *fs;		/* NULL: any */
	bool dev_set;
	unsigned int major, minor;
	uint64_t min;		/* 0: any */
	const char *prefix;	/* NULL: any */
};

int pcr_fentry_paths(struct pcr_fentry *e, const struct pcr_mounts *ms,
		     bool local);
bool pcr_prefix_match(const char *path, const char *prefix);
size_t pcr_listing_select(struct pcr_listing *l, const struct pcr_fsel *sel);
void pcr_listing_select_totals(struct pcr_listing *l,
			       const struct pcr_fsel *sel);
void pcr_listing_drop_same(struct pcr_listing *l);
int pcr_listing_entry_totals(struct pcr_listing *l);
void pcr_listing_sort(struct pcr_listing *l, int col);
void pcr_listing_top(struct pcr_listing *l, size_t top);
void pcr_fentry_free(struct pcr_fentry *e);

/* listing_snapshot.c: --snapshot and --diff of the listing */
int pcr_fsnap_save(const char *file, const struct pcr_listing *l,
		   uint64_t page_size);
int pcr_fsnap_diff(const char *file, struct pcr_listing *l,
		   uint64_t page_size, char *err, size_t errsize);
int pcr_fsnap_save_buf(const struct pcr_listing *l, uint64_t page_size,
		       char **buf, size_t *len);
int pcr_fsnap_diff_buf(const char *buf, size_t len, struct pcr_listing *l,
		       uint64_t page_size, char *err, size_t errsize);

/*
 * The fields of an entry, as columns show them and --sort orders them:
 * amounts most first, changes largest first, text and identifiers
 * ascending (listing_select.c).
 */
enum {
	FCOL_FS,
	FCOL_DEV,
	FCOL_INO,
	FCOL_CACHED,
	FCOL_PAGES,
	FCOL_DIRTY,
	FCOL_WRITEBACK,
	FCOL_SIZE,
	FCOL_TYPE,
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

extern const char * const pcr_fname_str[PCR_FNAME_NR + 1];
extern const char * const pcr_fchange_str[PCR_FCHG_NR];

#endif /* PCR_FORMAT_LISTING_H */
