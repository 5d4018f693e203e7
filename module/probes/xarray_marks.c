// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_XARRAY_MARKS: the xas_* walk with page-cache marks that the
 * per-file walk uses. Required.
 * exports: xas_find xas_load xas_pause xas_get_mark
 */
#include <linux/fs.h>
#include <linux/pagemap.h>

unsigned long pcinspect_probe(struct address_space *mapping)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	unsigned long n = 0;
	void *entry;

	xas_for_each(&xas, entry, ULONG_MAX) {
		if (xas_retry(&xas, entry))
			continue;
		if (xas_get_mark(&xas, PAGECACHE_TAG_DIRTY))
			n++;
		xas_pause(&xas);
	}
	return n;
}
