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
	 * Neither shmem_mapping() nor shmem_aops is exported on every kernel
	 * (kernel-facts.md): the superblock magic identifies tmpfs and shm
	 * mounts alike.
	 */
	return mapping->host && mapping->host->i_sb->s_magic == TMPFS_MAGIC;
}

/* Age of a folio's MGLRU generation: 0 for the youngest, -1 if none. */
static int folio_gen_age(struct folio *folio, struct mem_cgroup *memcg, int nid)
{
	int gen = pcinspect_folio_lru_gen(folio), youngest;

	if (gen < 0)
		return -1;
	youngest = pcinspect_lrugen_max_seq(pcinspect_mem_cgroup_lruvec(memcg, nid)) %
		   PCINSPECT_LRU_GENS;
	return (youngest - gen + PCINSPECT_LRU_GENS) % PCINSPECT_LRU_GENS;
}

/* Fill the flag part of @seg from a folio the caller has pinned, in RCU. */
void pcinspect_folio_seg(struct folio *folio, struct pcinspect_seg *seg)
{
	struct mem_cgroup *memcg;
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
	memcg = pcinspect_folio_memcg(folio);	/* RCU protects it */
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
	seg->nid = pcinspect_shadow_nid(v);
}
