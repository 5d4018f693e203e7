/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences, resolved from the HAVE_* defines that
 * scripts/probe-kernel.sh generated for the kernel being built against.
 * Fallbacks live here and nowhere else.
 */
#ifndef PCINSPECT_COMPAT_H
#define PCINSPECT_COMPAT_H

#include <linux/xarray.h>

/*
 * Order of the multi-index entry the xa_state points at. Without
 * xas_get_order() (before 6.7, unless backported) shadow and swap entries
 * count as one page each; folios give their own size.
 */
static inline unsigned int pcinspect_xas_order(struct xa_state *xas)
{
#ifdef HAVE_XAS_GET_ORDER
	return xas_get_order(xas);
#else
	return 0;
#endif
}

/* True when scripts/probe-kernel.sh found HAVE_<x>; usable in if (). */
#define IS_ENABLED_HAVE(x) __is_defined(HAVE_##x)

#endif /* PCINSPECT_COMPAT_H */
