// SPDX-License-Identifier: GPL-2.0
/*
 * The out-of-line parts of the per-file walk (walk.h has the loop):
 * turning a pinned folio or a shadow entry into a pcinspect_seg.
 */
#include <linux/magic.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>

#include "pcinspect.h"
#include "compat.h"
#include "walk.h"

bool pcinspect_mapping_is_shmem(struct address_space *mapping)
{
	/*
	 * shmem_mapping() is exported only from 6.12 and shmem_aops only
	 * before: the superblock magic identifies tmpfs and shm mounts alike.
	 */
	return mapping->host && mapping->host->i_sb->s_magic == TMPFS_MAGIC;
}

#ifdef HAVE_LRU_GEN
/* Age of a folio's MGLRU generation: 0 for the youngest, -1 if none. */
static int folio_gen_age(struct folio *folio, struct mem_cgroup *memcg, int nid)
{
	struct lruvec *lruvec;
	unsigned long max_seq;
	int gen = folio_lru_gen(folio);

	if (gen < 0)
		return -1;
#ifdef HAVE_MEMCG_LRUVEC
	/* mem_cgroup_lruvec() needs root_mem_cgroup, unexported before 7.2. */
	if (memcg)
		lruvec = &memcg->nodeinfo[nid]->lruvec;
	else
#endif
		lruvec = &NODE_DATA(nid)->__lruvec;
	max_seq = READ_ONCE(lruvec->lrugen.max_seq);
	return (lru_gen_from_seq(max_seq) - gen + MAX_NR_GENS) % MAX_NR_GENS;
}
#else
static int folio_gen_age(struct folio *folio, struct mem_cgroup *memcg, int nid)
{
	return -1;
}
#endif

/* Fill the flag part of @seg from a folio the caller has pinned, in RCU. */
void pcinspect_folio_seg(struct folio *folio, struct pcinspect_seg *seg)
{
	struct mem_cgroup *memcg = NULL;
	u8 flags = 0;

	if (folio_mapped(folio))
		flags |= PCINSPECT_MAPPED;
	if (folio_test_lru(folio))
		flags |= PCINSPECT_LRU;
	if (folio_test_active(folio))
		flags |= PCINSPECT_ACTIVE;
	if (folio_test_unevictable(folio))
		flags |= PCINSPECT_UNEVICTABLE;
	if (folio_test_referenced(folio))
		flags |= PCINSPECT_REFERENCED;
	if (folio_test_workingset(folio))
		flags |= PCINSPECT_WORKINGSET;
	if (folio_test_dirty(folio))
		flags |= PCINSPECT_DIRTY_FLAG;
	seg->flags = flags;
	seg->nid = folio_nid(folio);
#ifdef HAVE_MEMCG_LRUVEC
	if (!mem_cgroup_disabled())
		memcg = folio_memcg(folio);	/* RCU protects it */
#endif
	seg->memcg = memcg;
	seg->gen_age = (flags & PCINSPECT_LRU) ?
		folio_gen_age(folio, memcg, seg->nid) : -1;
}

/*
 * A shadow entry, as mm/workingset.c's pack_shadow() built it:
 * [eviction | memcg id | node (NODES_SHIFT) | workingset (1)].
 */
void pcinspect_shadow_seg(void *entry, struct pcinspect_seg *seg)
{
	unsigned long v = xa_to_value(entry);

	seg->kind = PCINSPECT_SHADOW;
	seg->shadow_ws = v & 1;
	seg->nid = NUMA_NO_NODE;
#ifdef HAVE_SHADOW_DECODE
	{
		int nid = (v >> 1) & ((1UL << NODES_SHIFT) - 1);

		if (nid < nr_node_ids && node_possible(nid))
			seg->nid = nid;
	}
#endif
}
