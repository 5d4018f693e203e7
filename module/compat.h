/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, resolved from the HAVE_* defines that
 * scripts/probe-kernel.sh generated for the kernel being built against
 * (one probe per API, module/probes/). Every HAVE_* branch of the module
 * lives here, behind a helper named after the newest API it stands for,
 * with the fallback of kernels that lack it; the rest of the module calls
 * the helpers unconditionally.
 */
#ifndef PCINSPECT_COMPAT_H
#define PCINSPECT_COMPAT_H

#include <linux/cgroup.h>
#include <linux/fs.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
#include <linux/numa.h>
#include <linux/pagemap.h>
#include <linux/sched/task.h>
#include <linux/xarray.h>

/* True when scripts/probe-kernel.sh found HAVE_<x>; usable in if (). */
#define IS_ENABLED_HAVE(x) __is_defined(HAVE_##x)

/* The xarray ---------------------------------------------------------------- */

/*
 * Order of the multi-index entry the xa_state points at. Without
 * xas_get_order() (before 6.7, unless backported) shadow and swap entries
 * count as one page each; folios give their own size
 * (pcinspect_folio_entry_order()).
 */
static inline unsigned int pcinspect_xas_get_order(struct xa_state *xas)
{
#ifdef HAVE_XAS_GET_ORDER
	return xas_get_order(xas);
#else
	return 0;
#endif
}

/*
 * Order of the folio @folio found at @xas under RCU, or -1 when it left
 * the slot meanwhile. Without xas_get_order() the folio is asked: pinned
 * for the moment, and checked to be still in the slot.
 */
static inline int pcinspect_folio_entry_order(struct xa_state *xas,
					      struct folio *folio)
{
#ifdef HAVE_XAS_GET_ORDER
	return xas_get_order(xas);
#else
	int order = -1;

	if (!folio_try_get(folio))
		return -1;
	if (folio == xas_reload(xas))
		order = folio_order(folio);
	folio_put(folio);
	return order;
#endif
}

/* Inodes and superblocks ---------------------------------------------------- */

/* inode->i_state, behind inode_state_read() since 7.2 (under i_lock). */
static inline unsigned long pcinspect_inode_state_read(struct inode *inode)
{
#ifdef HAVE_INODE_STATE_READ
	return inode_state_read(inode);
#else
	return inode->i_state;
#endif
}

/* The block devices' superblock, where it is exported; else NULL. */
static inline struct super_block *pcinspect_blockdev_superblock(void)
{
#ifdef HAVE_BLOCKDEV_SUPERBLOCK
	return blockdev_superblock;
#else
	return NULL;
#endif
}

/*
 * The inode of the block device @dev, which holds its page cache, looked up
 * without opening the device: an open runs the driver's open (media checks,
 * spin-ups) and makes the device busy (dmsetup remove, cryptsetup close
 * fail with EBUSY). bdev_add() hashes each bdev inode by its device number.
 * NULL when no such device exists, or without the export.
 */
static inline struct inode *pcinspect_bdev_inode(dev_t dev)
{
	struct super_block *sb = pcinspect_blockdev_superblock();

	return sb ? ilookup(sb, dev) : NULL;
}

/* Memory cgroups ------------------------------------------------------------ */

/* memcg as pcinspect uses it: its folios, its lruvecs, its names. */
#if defined(HAVE_FOLIO_MEMCG) && defined(HAVE_MEMCG_NODEINFO_LRUVEC) && \
	defined(HAVE_CGROUP_PATH)
#define PCINSPECT_MEMCG 1
#endif

static inline bool pcinspect_memcg_enabled(void)
{
#ifdef PCINSPECT_MEMCG
	return !mem_cgroup_disabled();
#else
	return false;
#endif
}

/* The folio's memcg (under RCU or the lru_lock); NULL without memcg. */
static inline struct mem_cgroup *pcinspect_folio_memcg(struct folio *folio)
{
#ifdef PCINSPECT_MEMCG
	if (!mem_cgroup_disabled())
		return folio_memcg(folio);
#endif
	return NULL;
}

/*
 * mem_cgroup_lruvec(), which cannot be called (it references
 * root_mem_cgroup, exported only from 7.2): @memcg's lruvec on node @nid,
 * the node's own without a memcg.
 */
static inline struct lruvec *pcinspect_mem_cgroup_lruvec(struct mem_cgroup *memcg,
							 int nid)
{
#ifdef PCINSPECT_MEMCG
	if (memcg)
		return &memcg->nodeinfo[nid]->lruvec;
#endif
	return &NODE_DATA(nid)->__lruvec;
}

static inline bool pcinspect_memcg_tryget(struct mem_cgroup *memcg)
{
#ifdef PCINSPECT_MEMCG
	return css_tryget(&memcg->css);
#else
	return false;
#endif
}

static inline void pcinspect_memcg_put(struct mem_cgroup *memcg)
{
#ifdef PCINSPECT_MEMCG
	css_put(&memcg->css);
#endif
}

/* mem_cgroup_id(): 0 once a dying memcg released it. */
static inline u64 pcinspect_mem_cgroup_id(struct mem_cgroup *memcg)
{
#ifdef PCINSPECT_MEMCG
	return mem_cgroup_id(memcg);
#else
	return 0;
#endif
}

/* The inode number of the memcg's cgroup directory (stat(2)'s st_ino). */
static inline u64 pcinspect_memcg_ino(struct mem_cgroup *memcg)
{
#ifdef PCINSPECT_MEMCG
	return cgroup_ino(memcg->css.cgroup);
#else
	return 0;
#endif
}

/* Removed from the hierarchy but still holding pages (or going). */
static inline bool pcinspect_memcg_dying(struct mem_cgroup *memcg)
{
#ifdef PCINSPECT_MEMCG
	return css_is_dying(&memcg->css) || !(memcg->css.flags & CSS_ONLINE);
#else
	return false;
#endif
}

/* cgroup_path() of the memcg's cgroup: its length, or a negative errno. */
static inline int pcinspect_memcg_path(struct mem_cgroup *memcg, char *buf,
				       size_t len)
{
#ifdef PCINSPECT_MEMCG
	return cgroup_path(memcg->css.cgroup, buf, len);
#else
	return -ENOENT;
#endif
}

/* The memcg's own size of list @lru in zone @zid of @lruvec. */
static inline unsigned long
pcinspect_mem_cgroup_get_zone_lru_size(struct lruvec *lruvec, int lru, int zid)
{
#ifdef PCINSPECT_MEMCG
	return mem_cgroup_get_zone_lru_size(lruvec, lru, zid);
#else
	return 0;
#endif
}

/* The root memcg, under RCU (root_mem_cgroup is exported only from 7.2). */
static inline struct mem_cgroup *pcinspect_root_mem_cgroup(void)
{
#ifdef PCINSPECT_MEMCG
	return mem_cgroup_from_task(&init_task);
#else
	return NULL;
#endif
}

/*
 * The memcg after @pos (NULL: the first) in a pre-order walk of @root's
 * subtree, under RCU; NULL at the end. A removed @pos is still a place
 * to continue from (css_next_descendant_pre()).
 */
static inline struct mem_cgroup *
pcinspect_memcg_next_pre(struct mem_cgroup *pos, struct mem_cgroup *root)
{
#ifdef PCINSPECT_MEMCG
	struct cgroup_subsys_state *css;

	css = css_next_descendant_pre(pos ? &pos->css : NULL, &root->css);
	return css ? mem_cgroup_from_css(css) : NULL;
#else
	return NULL;
#endif
}

/* The multi-gen LRU ----------------------------------------------------------- */

/* Generations the multi-gen LRU keeps (MAX_NR_GENS), whatever the config. */
#define PCINSPECT_LRU_GENS 4

/* The multi-gen LRU lists can be walked: MGLRU built and its lists found. */
#if defined(HAVE_LRU_GEN) && defined(HAVE_LRU_GEN_LISTS)
#define PCINSPECT_WALK_LRU_GEN 1
#endif

/* The generation in the folio's flags, -1 when it has none. */
static inline int pcinspect_folio_lru_gen(struct folio *folio)
{
#ifdef HAVE_LRU_GEN
	return folio_lru_gen(folio);
#else
	return -1;
#endif
}

static inline unsigned long pcinspect_lrugen_max_seq(struct lruvec *lruvec)
{
#ifdef HAVE_LRU_GEN
	return READ_ONCE(lruvec->lrugen.max_seq);
#else
	return 0;
#endif
}

/* The list of generation @gen, @type (0 anon, 1 file) and zone; or NULL. */
static inline struct list_head *
pcinspect_lrugen_list(struct lruvec *lruvec, int gen, int type, int zone)
{
#ifdef PCINSPECT_WALK_LRU_GEN
	return &lruvec->lrugen.folios[gen][type][zone];
#else
	return NULL;
#endif
}

/* MGLRU's own state of one lruvec, read under its lru_lock. */
struct pcinspect_lrugen_state {
	bool enabled;
	unsigned long max_seq;
	unsigned long min_seq[ANON_AND_FILE];
	unsigned long birth[PCINSPECT_LRU_GENS];	/* jiffies */
	long nr_pages[PCINSPECT_LRU_GENS][ANON_AND_FILE][MAX_NR_ZONES];
};

/* False, with @st untouched, where the lists cannot be walked. */
static inline bool pcinspect_lrugen_read(struct lruvec *lruvec,
					 struct pcinspect_lrugen_state *st)
{
#ifdef PCINSPECT_WALK_LRU_GEN
	int gen, type, z;

	st->enabled = READ_ONCE(lruvec->lrugen.enabled);
	st->max_seq = lruvec->lrugen.max_seq;
	for (type = 0; type < ANON_AND_FILE; type++)
		st->min_seq[type] = lruvec->lrugen.min_seq[type];
	for (gen = 0; gen < PCINSPECT_LRU_GENS; gen++) {
		st->birth[gen] = READ_ONCE(lruvec->lrugen.timestamps[gen]);
		for (type = 0; type < ANON_AND_FILE; type++)
			for (z = 0; z < MAX_NR_ZONES; z++)
				st->nr_pages[gen][type][z] =
					lruvec->lrugen.nr_pages[gen][type][z];
	}
	return true;
#else
	return false;
#endif
}

/* Shadow entries --------------------------------------------------------------- */

/*
 * The node a shadow entry (mm/workingset.c's pack_shadow(): [eviction |
 * memcg id | node (NODES_SHIFT) | workingset (1)], the xarray value @v)
 * names, or NUMA_NO_NODE when the layout is not known or the node not
 * possible.
 */
static inline int pcinspect_shadow_nid(unsigned long v)
{
#ifdef HAVE_SHADOW_DECODE
	int nid = (v >> 1) & ((1UL << NODES_SHIFT) - 1);

	if (nid < nr_node_ids && node_possible(nid))
		return nid;
#endif
	return NUMA_NO_NODE;
}

#endif /* PCINSPECT_COMPAT_H */
