// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_LRU_GEN_LISTS: the multi-gen LRU keeps its folios on
 * lrugen.folios[gen][type][zone] with nr_pages[][][] beside them, and the
 * birth time of each generation in timestamps[]. Upstream named the lists
 * "lists" until 6.2 ("folios" after); Debian's 6.1 has "folios" through a
 * backport, so only a probe can tell.
 */
#include <linux/mm.h>
#include <linux/mm_inline.h>

#ifndef CONFIG_LRU_GEN
#error "no MGLRU"
#endif

unsigned long pcinspect_probe(struct lruvec *lruvec)
{
	struct list_head *head = &lruvec->lrugen.folios[0][LRU_GEN_FILE][0];

	return (unsigned long)head->next +
	       READ_ONCE(lruvec->lrugen.nr_pages[0][LRU_GEN_FILE][0]) +
	       READ_ONCE(lruvec->lrugen.timestamps[0]) +
	       READ_ONCE(lruvec->lrugen.min_seq[LRU_GEN_ANON]);
}
