// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_LRU_GEN: multi-gen LRU is built in (CONFIG_LRU_GEN, Linux 6.1):
 * folio_lru_gen() and lruvec->lrugen.max_seq[] exist.
 */
#include <linux/mm.h>
#include <linux/mm_inline.h>

#ifndef CONFIG_LRU_GEN
#error "no MGLRU"
#endif

unsigned long pcinspect_probe(struct folio *folio, struct lruvec *lruvec)
{
	return folio_lru_gen(folio) + READ_ONCE(lruvec->lrugen.max_seq) +
	       READ_ONCE(lruvec->lrugen.enabled);
}
