/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "pcinspect lru": the module's lru and lru-files files (format 1,
 * Documentation/ABI.md) parsed into arrays of records, one array per
 * record kind, and the command that shows them. A value can be a count,
 * a signed difference or "-" (not known to the module): struct pci_lval
 * keeps all three apart, so "-" is never shown as a number and a count
 * near 2^64 is never read as negative.
 */
#ifndef PCINSPECT_LRU_H
#define PCINSPECT_LRU_H

#include "listing.h"

#define PCI_LRU_FILES_COLUMNS	"dev ino id pages inactive_anon active_anon " \
				"inactive_file active_file unevictable " \
				"age0 age1 age2 age3"

/* The classic lists, in the kernel's order (enum lru_list). */
enum {
	PCI_LRU_INACTIVE_ANON,
	PCI_LRU_ACTIVE_ANON,
	PCI_LRU_INACTIVE_FILE,
	PCI_LRU_ACTIVE_FILE,
	PCI_LRU_UNEVICTABLE,
	PCI_LRU_LISTS
};

/* lru-files' per-file columns after pages: the lists, then age0..age3. */
#define PCI_LRU_FCOLS	(PCI_LRU_LISTS + PCI_GENS)

extern const char * const pci_lru_list_str[PCI_LRU_LISTS];

struct pci_lval {
	uint64_t v;		/* the magnitude */
	bool neg;
	bool dash;		/* "-" */
};

enum { PCI_LSTATE_NONE, PCI_LSTATE_ONLINE, PCI_LSTATE_DYING };
enum { PCI_LTYPE_ANON, PCI_LTYPE_FILE };

/* Which lruvec: id, memcg, state, node. memcg is NULL for "-". */
struct pci_lvec {
	uint64_t id;
	/* the cgroup's inode; "-" without memcg or from an older module */
	struct pci_lval ino;
	char *memcg;		/* decoded cgroup path */
	int state;
	unsigned int node;
};

struct pci_lzone {
	unsigned int node;
	char zone[16];
	int list;
	char from[8];		/* lists or frames */
	struct pci_lval walked, counter, diff, zoneinfo;
};

struct pci_lruvec {
	struct pci_lvec v;
	char zone[16];
	int list;
	struct pci_lval walked, counter, diff, view;
};

struct pci_lrugen {
	struct pci_lvec v;
	uint64_t enabled, max_seq, min_seq_anon, min_seq_file;
};

struct pci_lgen {
	struct pci_lvec v;
	struct pci_lval seq, age;	/* "-": outside min_seq..max_seq */
	uint64_t gen, age_ms;
	int type;
	char zone[16];
	struct pci_lval listed, flagged, counter, diff;
};

/* The "# walk" footer; files..nofile only in lru-files. */
struct pci_lwalk {
	bool seen;
	uint64_t lruvecs, memcgs, dying, visited, pages, chunks, chunk;
	uint64_t max_hold_ns, restarts, incomplete, frames, walk_ns;
	uint64_t displaced;		/* 0 from modules that did not print it */
	char lock[16];			/* irqoff, sleeping (RT), or "" */
	uint64_t files, untracked, anon, nofile;
};

struct pci_lfile {
	unsigned int major, minor;
	uint64_t ino, id, pages;	/* id: the inode, as files gives it */
	uint64_t cols[PCI_LRU_FCOLS];
	const struct pci_fentry *name;	/* from the files listing, or NULL */
};

struct pci_lru {
	bool files;			/* lru-files, not lru */
	struct pci_lzone *zone;
	size_t nzone, azone;
	struct pci_lruvec *vec;
	size_t nvec, avec;
	struct pci_lrugen *lrugen;
	size_t nlrugen, alrugen;
	struct pci_lgen *gen;
	size_t ngen, agen;
	struct pci_lfile *file;
	size_t nfile, afile;
	struct pci_lwalk walk;
	unsigned int lineno;
	unsigned int bad_lines;		/* malformed lines skipped */
	unsigned int unknown;		/* records of kinds not known here */
	bool seen_header;
	char *error;			/* the last problem, "line N: ..." */
};

/* lru_parse.c */
void pci_lru_init(struct pci_lru *l, bool files);
void pci_lru_free(struct pci_lru *l);
int pci_lru_line(struct pci_lru *l, const char *line, size_t len);
int pci_lru_finish(struct pci_lru *l);
int pci_lru_parse(struct pci_lru *l, const char *text, size_t len,
		  const char *name);
int pci_lru_read(struct pci_lru *l, FILE *f, const char *name);
int pci_lval_parse(const char *s, size_t len, bool dash_ok, bool neg_ok,
		   struct pci_lval *val);
int pci_lru_list_by_name(const char *s, size_t len);

/* lru_files.c: --files, ordered and joined with the files listing */
int pci_lru_files_sort(struct pci_lru *l, int col);
void pci_lru_files_top(struct pci_lru *l, size_t top);
int pci_lru_files_names(struct pci_lru *l, struct pci_listing *names,
			const struct pci_mounts *ms, const char *sysfs);

/* lru.c: the command */
int pci_cmd_lru(int argc, char **argv);
void pci_lru_usage(FILE *out);

/* files.c, shared with lru: the listing */
int pci_files_fetch(struct pci_listing *l, const char *from);

#endif /* PCINSPECT_LRU_H */
