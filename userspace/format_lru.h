/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's lru and lru-files files (Documentation/ABI.md) parsed into
 * arrays of records, one array per record kind, and lru-files' files
 * joined with the files listing. Values are struct pcr_lval: a count, a
 * signed difference or "-" (not known to the module).
 */
#ifndef PCR_FORMAT_LRU_H
#define PCR_FORMAT_LRU_H

#include "format_listing.h"
#include "format_report.h"

#define PCR_LRU_FILES_COLUMNS	"dev ino id pages inactive_anon active_anon " \
				"inactive_file active_file unevictable " \
				"age0 age1 age2 age3"

/* The classic lists, in the kernel's order (enum lru_list). */
enum {
	PCR_LRU_INACTIVE_ANON,
	PCR_LRU_ACTIVE_ANON,
	PCR_LRU_INACTIVE_FILE,
	PCR_LRU_ACTIVE_FILE,
	PCR_LRU_UNEVICTABLE,
	PCR_LRU_LISTS
};

/* lru-files' per-file columns after pages: the lists, then age0..age3. */
#define PCR_LRU_FCOLS	(PCR_LRU_LISTS + PCR_GENS)

extern const char * const pcr_lru_list_str[PCR_LRU_LISTS + 1];

enum { PCR_LSTATE_NONE, PCR_LSTATE_ONLINE, PCR_LSTATE_DYING };
enum { PCR_LTYPE_ANON, PCR_LTYPE_FILE };
enum { PCR_LFROM_LISTS, PCR_LFROM_FRAMES };

/*
 * Which lruvec: id, memcg, state, node. memcg is NULL for "-". First in
 * every record of an lruvec, so one key table reads it for all of them.
 */
struct pcr_lvec {
	uint64_t id;
	/* the cgroup's inode; "-" without memcg or from an older module */
	struct pcr_lval ino;
	char *memcg;		/* decoded cgroup path */
	int state;
	unsigned int node;
};

struct pcr_lzone {
	unsigned int node;
	char zone[PCR_WORD];
	int list;
	int from;		/* PCR_LFROM_* */
	struct pcr_lval walked, counter, diff, zoneinfo;
};

struct pcr_lruvec {
	struct pcr_lvec v;
	char zone[PCR_WORD];
	int list;
	struct pcr_lval walked, counter, diff, view;
};

struct pcr_lrugen {
	struct pcr_lvec v;
	uint64_t enabled, max_seq, min_seq_anon, min_seq_file;
};

struct pcr_lgen {
	struct pcr_lvec v;
	struct pcr_lval seq, age;	/* "-": outside min_seq..max_seq */
	uint64_t gen, age_ms;
	int type;
	char zone[PCR_WORD];
	struct pcr_lval listed, flagged, counter, diff;
};

/* The "# walk" footer; files..nofile only in lru-files. */
struct pcr_lwalk {
	bool seen;
	uint64_t lruvecs, memcgs, dying, visited, pages, chunks, chunk;
	uint64_t max_hold_ns, restarts, incomplete, frames, walk_ns;
	/* 0 (or "") from modules that did not print them */
	uint64_t displaced, hold_ns, scan_ns, counted, table;
	char lock[PCR_WORD];		/* irqoff, sleeping (RT), or "" */
	uint64_t files, untracked, anon, nofile;
};

struct pcr_lfile {
	unsigned int major, minor;
	uint64_t ino, id, pages;	/* id: the inode, as files gives it */
	uint64_t cols[PCR_LRU_FCOLS];
	const struct pcr_fentry *name;	/* from the files listing, or NULL */
};

struct pcr_lru {
	bool files;			/* lru-files, not lru */
	struct pcr_lzone *zone;
	size_t nzone, azone;
	struct pcr_lruvec *vec;
	size_t nvec, avec;
	struct pcr_lrugen *lrugen;
	size_t nlrugen, alrugen;
	struct pcr_lgen *gen;
	size_t ngen, agen;
	struct pcr_lfile *file;
	size_t nfile, afile;
	struct pcr_lwalk walk;
	unsigned int unknown;		/* records of kinds not known here */
	struct pcr_parser parse;	/* bad_lines: malformed lines skipped */
};

/* format_lru.c */
void pcr_lru_init(struct pcr_lru *l, bool files);
void pcr_lru_free(struct pcr_lru *l);
int pcr_lru_parse(struct pcr_lru *l, const char *text, size_t len,
		  const char *name);
int pcr_lru_read(struct pcr_lru *l, FILE *f, const char *name);
int pcr_lru_list_by_name(const char *s, size_t len);

/* lru_join.c: --files, ordered and joined with the files listing */
int pcr_lru_files_sort(struct pcr_lru *l, int col);
void pcr_lru_files_top(struct pcr_lru *l, size_t top);
int pcr_lru_files_names(struct pcr_lru *l, struct pcr_listing *names,
			const struct pcr_mounts *ms, bool local);

#endif /* PCR_FORMAT_LRU_H */
