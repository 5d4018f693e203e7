/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The LRU walk: what lru_walk.c collects from every lruvec (one per node
 * and memcg) and lru_report.c prints in the lru and lru-files files.
 */
#ifndef PCINSPECT_LRU_H
#define PCINSPECT_LRU_H

#include <linux/list.h>
#include <linux/mmzone.h>
#include <linux/debugfs.h>

#include "compat.h"

/*
 * Folios visited per hold of the irq-disabling lru_lock. The lock is
 * dropped between chunks (and the task may reschedule), so however long
 * the lists grow, interrupts stay off for one chunk at most.
 */
#define PCINSPECT_LRU_CHUNK 1024

/* Times one list is walked again from its head before giving up on it. */
#define PCINSPECT_LRU_RESTARTS 8

/* One lruvec: the LRU lists of one memcg (or of the node) on one node. */
struct pcinspect_lru_vec {
	struct list_head link;
	int nid;
	bool memcg;			/* false: memcg disabled, node lruvec */
	bool dying;			/* memcg removed, still holding pages */
	u64 memcg_id;			/* mem_cgroup_id(): 0 when released */
	u64 cgroup_ino;			/* st_ino of the cgroup directory */
	char *path;			/* cgroup path, "/" for the root */

	/*
	 * Classic lists: pages of the folios found on them, by zone. The
	 * unevictable "list" holds nothing (see lru_walk.c): its row stays 0.
	 */
	unsigned long walked[NR_LRU_LISTS][MAX_NR_ZONES];
	/* The memcg's own counter (lru_zone_size), what memory.stat sums. */
	unsigned long counter[NR_LRU_LISTS][MAX_NR_ZONES];

	/* Multi-gen LRU. */
	bool gen_enabled;		/* lrugen.enabled at the end of the walk */
	unsigned long max_seq;
	unsigned long min_seq[ANON_AND_FILE];
	unsigned int age_ms[PCINSPECT_LRU_GENS];
	/* Pages by the list the folio sits on, [gen][type][zone]. */
	unsigned long listed[PCINSPECT_LRU_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	/*
	 * Pages by the generation in the folio's flags, which MGLRU updates
	 * without moving the folio (it sorts lazily); nr_pages follows these.
	 */
	unsigned long flagged[PCINSPECT_LRU_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	long nr_pages[PCINSPECT_LRU_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	/*
	 * The zone counters' view of this lruvec's pages: classic lists as
	 * walked, MGLRU pages as active when their generation is one of the
	 * two youngest (lru_gen_is_active()), as the kernel accounts them.
	 */
	unsigned long zone_view[NR_LRU_LISTS][MAX_NR_ZONES];
};

/* Per-file columns of lru-files: the classic lists, then MGLRU ages. */
#define PCINSPECT_LRU_FILE_COLS (NR_LRU_LISTS + PCINSPECT_LRU_GENS)

/*
 * One file of lru-files, keyed by its inode (never followed after the
 * walk: only its identity is printed), so that two files with the same
 * device and inode number (btrfs subvolumes) never share a row.
 */
struct pcinspect_lru_file {
	const struct inode *host;	/* NULL: free slot */
	dev_t dev;
	u64 ino;
	unsigned long pages;
	unsigned long cols[PCINSPECT_LRU_FILE_COLS];
	unsigned long staged;		/* charged by the list being walked */
};

/* Largest lru-files table (slots); past seven eighths, files are untracked. */
#define PCINSPECT_LRU_FILES_MAX 524288U	/* 2^19: a power of two */

/* lru-files: the per-file table of one walk (lru_files.c). */
struct pcinspect_lru_files {
	struct pcinspect_lru_file *slots;	/* open addressing */
	unsigned int cap;			/* slots, a power of two */
	unsigned int used;			/* slots taken */
	unsigned int *staged;			/* slots the current list charged */
	unsigned int nr_staged;
	/* Pages the current list found outside the table, until it ends. */
	unsigned long st_untracked, st_anon, st_nofile;
	unsigned long untracked;	/* file pages beyond the table */
	unsigned long anon;		/* pages of anonymous folios */
	unsigned long nofile;		/* pages with no mapping (swap cache...) */
	/* After pcinspect_lru_files_sort(): the files with pages, in order. */
	unsigned int *order;
	unsigned int nr;
};

int pcinspect_lru_files_init(struct pcinspect_lru_files *t);
void pcinspect_lru_files_free(struct pcinspect_lru_files *t);
bool pcinspect_lru_files_need_grow(const struct pcinspect_lru_files *t);
int pcinspect_lru_files_grow(struct pcinspect_lru_files *t);
void pcinspect_lru_files_charge(struct pcinspect_lru_files *t,
				struct folio *folio, unsigned long nr);
void pcinspect_lru_files_end_list(struct pcinspect_lru_files *t,
				  unsigned int col, bool keep);
int pcinspect_lru_files_sort(struct pcinspect_lru_files *t);

struct pcinspect_lru_walk {
	struct list_head vecs;		/* of pcinspect_lru_vec */

	/* lru-files: the per-file table, NULL for the lru file. */
	struct pcinspect_lru_files *files;
	/* Pages the lists' records report; lru-files' columns sum to it. */
	unsigned long counted;

	/* How the walk went: the footer. */
	unsigned long visited;		/* folios */
	unsigned long pages;
	unsigned long chunks;		/* lock holds */
	u64 max_hold_ns;		/* longest lock hold */
	u64 hold_ns;			/* all lock holds together */
	unsigned long restarts;		/* lists walked again: cursor moved */
	unsigned long displaced;	/* of which moves within the list */
	unsigned long incomplete;	/* lists given up after restarts */
	unsigned int nr_vecs;
	unsigned int nr_memcgs;
	unsigned int nr_dying;
	u64 walk_ns;

	/*
	 * Zone counters read after the walk, [node][zone][list]: with the
	 * per-CPU deltas (zone_counter) and without (zone_info, what
	 * /proc/zoneinfo prints).
	 */
	unsigned long *zone_counter;
	unsigned long *zone_info;
	/* The populated zones of online nodes then, as nid * MAX_NR_ZONES + z. */
	unsigned int *zones;
	unsigned int nr_zones;
	/* Unevictable pages found by the page-frame scan, [node][zone]. */
	unsigned long *unevictable;
	unsigned long scanned;		/* page frames scanned */
	u64 scan_ns;
};

/* Index of [node][zone][list] in zone_counter. */
static inline unsigned int pcinspect_lru_zidx(int nid, int z, int lru)
{
	return (nid * MAX_NR_ZONES + z) * NR_LRU_LISTS + lru;
}

int pcinspect_lru_walk(struct pcinspect_lru_walk *w);
void pcinspect_lru_walk_free(struct pcinspect_lru_walk *w);

int pcinspect_lru_init(struct dentry *root);

#endif /* PCINSPECT_LRU_H */
