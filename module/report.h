/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-file report: the summary counters and the page-map runs built from
 * the segments of a walk, and their text form (Documentation/ABI.md).
 */
#ifndef PCINSPECT_REPORT_H
#define PCINSPECT_REPORT_H

#include <linux/numa.h>
#include <linux/seq_file.h>

#include "walk.h"

/* Folio orders tracked one by one; larger ones share the last bucket. */
#define PCINSPECT_ORDERS	13
/* memcgs tracked by name per query; pages of further ones are "other". */
#define PCINSPECT_MEMCGS	16
#define PCINSPECT_GENS		4	/* MAX_NR_GENS in every MGLRU kernel */

/*
 * A memcg the walk charged pages to. The css reference is held only while
 * the walk runs (to tell memcgs apart by address); when it ends, the key,
 * state and path are recorded and the reference dropped, so an open report
 * never keeps a removed memcg alive.
 */
struct pcinspect_memcg_count {
	struct mem_cgroup *memcg;	/* during the walk only, else NULL */
	u64 ino;			/* the cgroup's inode number */
	bool dying;
	char *path;			/* NULL: unknown */
	unsigned long pages;
};

struct pcinspect_summary {
	bool detail;
	unsigned long cached, dirty, writeback, evicted, evicted_workingset;
	unsigned long swapped;
	/* detail walks only */
	unsigned long dirty_flag, mapped, lru, active, inactive, unevictable;
	unsigned long referenced, workingset;
	unsigned long gen_age[PCINSPECT_GENS];
	unsigned long order_pages[PCINSPECT_ORDERS];
	unsigned long *node_cached;	/* [nr_node_ids] */
	unsigned long *node_evicted;	/* [nr_node_ids] */
	unsigned long evicted_node_unknown;
	unsigned int nr_memcgs;
	unsigned long memcg_other;
	struct pcinspect_memcg_count memcgs[PCINSPECT_MEMCGS];
	/* how the walk went */
	unsigned long entries;
	u64 walk_ns;
};

int pcinspect_summary_init(struct pcinspect_summary *sum);
void pcinspect_summary_release(struct pcinspect_summary *sum);
void pcinspect_summary_reset(struct pcinspect_summary *sum, bool detail);
int pcinspect_walk_summary(struct pcinspect_walk *w,
			   struct pcinspect_summary *sum);
void pcinspect_put_key(struct seq_file *m, const char *key,
		       unsigned long long v);
void pcinspect_summary_show(struct seq_file *m,
			    const struct pcinspect_summary *sum);

/* Page-map states, in the order of their names in report.c. */
enum pcinspect_state {
	PCINSPECT_ST_HOLE,
	PCINSPECT_ST_CACHED,
	PCINSPECT_ST_DIRTY,
	PCINSPECT_ST_WRITEBACK,
	PCINSPECT_ST_DIRTY_WRITEBACK,
	PCINSPECT_ST_EVICTED,
	PCINSPECT_ST_SWAPPED,
};

enum pcinspect_lru {
	PCINSPECT_LRU_NONE,		/* not a page, or not on an LRU list */
	PCINSPECT_LRU_INACTIVE,
	PCINSPECT_LRU_ACTIVE,
	PCINSPECT_LRU_UNEVICTABLE,
};

/* A run of pages [first, last] that share every map column. */
struct pcinspect_run {
	pgoff_t first, last;
	u8 state;
	u8 lru;
	bool mapped;
	s8 order;	/* -1: no entry */
	int nid;	/* NUMA_NO_NODE: none or unknown */
};

/* Runs computed per walk; each read() resumes where the last batch ended. */
#define PCINSPECT_MAP_BATCH	128

struct pcinspect_map_batch {
	unsigned int n;			/* complete runs in runs[] */
	bool open_valid;
	struct pcinspect_run open;	/* the run still growing */
	struct pcinspect_run runs[PCINSPECT_MAP_BATCH + 1];
};

int pcinspect_walk_map(struct pcinspect_walk *w, struct pcinspect_map_batch *b);
void pcinspect_run_show(struct seq_file *m, const struct pcinspect_run *run);

#endif /* PCINSPECT_REPORT_H */
