// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_MEMCG_LRUVEC: memcg is built in, folio_memcg() works under RCU, and
 * a memcg's per-node lruvec is reachable as memcg->nodeinfo[nid]->lruvec.
 * mem_cgroup_lruvec() cannot be used: it references root_mem_cgroup, which
 * only 7.2 exports.
 * exports: kernfs_path_from_node
 */
#include <linux/memcontrol.h>
#include <linux/cgroup.h>

#ifndef CONFIG_MEMCG
#error "no memcg"
#endif

struct lruvec *pcinspect_probe(struct folio *folio, int nid, char *buf)
{
	struct mem_cgroup *memcg = folio_memcg(folio);

	if (!memcg)
		return NULL;
	cgroup_path(memcg->css.cgroup, buf, 64);
	return &memcg->nodeinfo[nid]->lruvec + mem_cgroup_id(memcg) +
	       cgroup_ino(memcg->css.cgroup);
}
