// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_MEMCG_NODEINFO_LRUVEC: a memcg's lruvec on a node is
 * memcg->nodeinfo[nid]->lruvec, and its per-zone list sizes are read with
 * mem_cgroup_get_zone_lru_size(). mem_cgroup_lruvec() cannot be used: it
 * references root_mem_cgroup, which only 7.2 exports. The memcgs are
 * walked from the root (mem_cgroup_from_task(&init_task)) in pre-order.
 */
#include <linux/memcontrol.h>
#include <linux/cgroup.h>
#include <linux/sched/task.h>

#ifndef CONFIG_MEMCG
#error "no memcg"
#endif

unsigned long pcinspect_probe(struct mem_cgroup *memcg, int nid)
{
	struct lruvec *lruvec = &memcg->nodeinfo[nid]->lruvec;
	struct mem_cgroup *root = mem_cgroup_from_task(&init_task);
	struct cgroup_subsys_state *css;

	css = css_next_descendant_pre(NULL, &root->css);
	return mem_cgroup_get_zone_lru_size(lruvec, LRU_ACTIVE_FILE, 0) +
	       (unsigned long)mem_cgroup_from_css(css);
}
