// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_SHADOW_DECODE: shadow entries can be decoded for their node.
 * mm/workingset.c packs a shadow as
 *   [eviction | memcg id (MEM_CGROUP_ID_SHIFT) | node (NODES_SHIFT) | ws (1)]
 * inside an xarray value; the layout is internal, so this only checks that
 * the inputs it is built from exist with the widths pcinspect decodes with
 * (unchanged from 6.1 to 7.2). A decoded node that is not possible is
 * reported as unknown rather than trusted.
 */
#include <linux/memcontrol.h>
#include <linux/numa.h>
#include <linux/xarray.h>

#if !defined(NODES_SHIFT) || !defined(MEM_CGROUP_ID_SHIFT) || !defined(BITS_PER_XA_VALUE)
#error "shadow layout inputs missing"
#endif

int pcinspect_probe(void *shadow)
{
	return (xa_to_value(shadow) >> 1) & ((1UL << NODES_SHIFT) - 1);
}
