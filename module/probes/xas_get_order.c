// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_XAS_GET_ORDER: xas_get_order() gives the order of a multi-index
 * entry (Linux 6.7; Debian's 6.1.192 has it by backport). Without it,
 * shadow and swap entries are counted as single pages.
 * exports: xas_get_order
 */
#include <linux/xarray.h>

int pcinspect_probe(struct xa_state *xas)
{
	return xas_get_order(xas);
}
