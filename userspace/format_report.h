/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One file's report. One struct pcr_report holds what is known about one
 * file, whichever source filled it (the module's "key: value" report,
 * cachestat(2) or mincore(2)); the "have" mask says which fields that
 * source can know, so nothing it cannot know is ever shown as a number.
 * Also the module's version file.
 */
#ifndef PCR_FORMAT_REPORT_H
#define PCR_FORMAT_REPORT_H

#include "records.h"

#define PCR_ORDERS	13	/* order0..order12 (12: orders >= 12) */
#define PCR_GENS	4	/* mglru_age0..3 */

/* Bits of pcr_report.have: the fields a source knows. */
enum {
	PCR_HAVE_CACHED		= 1u << 0,
	PCR_HAVE_DIRTY		= 1u << 1,
	PCR_HAVE_WRITEBACK	= 1u << 2,
	PCR_HAVE_EVICTED	= 1u << 3,
	PCR_HAVE_SWAPPED	= 1u << 4,
	PCR_HAVE_DETAIL		= 1u << 5,	/* mapped, lru, active, ... */
	PCR_HAVE_NODES		= 1u << 6,
	PCR_HAVE_ORDERS		= 1u << 7,
	PCR_HAVE_MEMCGS		= 1u << 8,
	PCR_HAVE_RECENT		= 1u << 9,	/* cachestat's recently evicted */
	PCR_HAVE_IDENT		= 1u << 10,	/* dev, ino, fs, deleted */
	PCR_HAVE_MAP		= 1u << 11,	/* runs[] */
};

#define PCR_HAVE_MODULE	(PCR_HAVE_CACHED | PCR_HAVE_DIRTY | PCR_HAVE_WRITEBACK | \
			 PCR_HAVE_EVICTED | PCR_HAVE_SWAPPED | PCR_HAVE_DETAIL | \
			 PCR_HAVE_NODES | PCR_HAVE_ORDERS | PCR_HAVE_MEMCGS | \
			 PCR_HAVE_IDENT)

struct pcr_node {
	int id;			/* -1: "nodeunknown" */
	uint64_t cached;
	uint64_t evicted;
};

struct pcr_memcg {
	uint64_t id;		/* the key N: the cgroup's inode number */
	uint64_t cached;
	char *path;		/* decoded; NULL until its .path line */
	bool dying;		/* memcgN.state: dying */
};

/* One run of the page map; map states come from the module or mincore. */
struct pcr_run {
	uint64_t first, last;
	char state[16];		/* hole cached dirty writeback ... */
	char lru[12];		/* active inactive unevictable - */
	bool mapped;
	int node;		/* -1: not known */
	int order;		/* -1: not known */
};

struct pcr_report {
	const char *source;	/* "pcinspect", "cachestat", "mincore" */
	unsigned int have;
	char *path;		/* decoded; the module's ends in " (deleted)" */
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
	bool map_known;		/* runs[] carry lru, mapped, node, order */

	uint64_t cached, dirty, writeback, evicted, evicted_workingset;
	uint64_t swapped, recently_evicted;
	uint64_t dirty_flag, mapped, lru, active, inactive, unevictable;
	uint64_t referenced, workingset;
	uint64_t order_pages[PCR_ORDERS];
	uint64_t mglru_age[PCR_GENS];
	uint64_t memcg_other;

	struct pcr_node *nodes;
	size_t nr_nodes;
	struct pcr_memcg *memcgs;
	size_t nr_memcgs;
	struct pcr_run *runs;
	size_t nr_runs, runs_alloc;

	struct pcr_parser parse;
	bool seen_format;
	bool in_map;
};

struct pcr_version {
	unsigned long format;
	char module[32];
	char kernel[128];
	uint64_t page_size;
	char features[256];
};

void pcr_report_init(struct pcr_report *rep);
void pcr_report_free(struct pcr_report *rep);
int pcr_report_parse(struct pcr_report *rep, const char *text, size_t len);
int pcr_report_read(struct pcr_report *rep, FILE *f);
int pcr_report_add_run(struct pcr_report *rep, const struct pcr_run *run);
const char *pcr_report_error(const struct pcr_report *rep);
int pcr_version_parse(struct pcr_version *ver, const char *text, char *err,
		      size_t errsize);

#endif /* PCR_FORMAT_REPORT_H */
