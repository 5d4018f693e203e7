// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_FOLIO_PAGECACHE: the page cache holds folios (Linux 5.16) and
 * folio_try_get() exists. Required: without it the build is refused.
 * exports: __folio_put
 */
#include <linux/pagemap.h>

bool pcinspect_probe(struct folio *folio)
{
	if (!folio_try_get(folio))
		return false;
	folio_put(folio);
	return folio_test_dirty(folio);
}
