// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_FOLIO_MEMCG: memcg is built in, folio_memcg() works under RCU, and
 * a memcg is pinned with css_tryget()/css_put(), told apart by
 * mem_cgroup_id() and found dying by its css flags.
 */
#include <linux/memcontrol.h>
#include <linux/cgroup.h>

#ifndef CONFIG_MEMCG
#error "no memcg"
#endif

unsigned long pcinspect_probe(struct folio *folio)
{
	struct mem_cgroup *memcg = folio_memcg(folio);

	if (!memcg || !css_tryget(&memcg->css))
		return 0;
	css_put(&memcg->css);
	return mem_cgroup_id(memcg) + css_is_dying(&memcg->css) +
	       (memcg->css.flags & CSS_ONLINE) + mem_cgroup_disabled();
}
