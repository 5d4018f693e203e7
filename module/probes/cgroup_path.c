// SPDX-License-Identifier: GPL-2.0
/*
 * HAVE_CGROUP_PATH: a cgroup's path and inode number, as /sys/fs/cgroup
 * shows them: cgroup_path() is inline, through the exported
 * kernfs_path_from_node() (init_cgroup_ns, for cgroup_path_ns(), is not
 * exported on 6.1 or 6.12).
 * exports: kernfs_path_from_node
 */
#include <linux/cgroup.h>

unsigned long pcinspect_probe(struct cgroup *cgrp, char *buf)
{
	return cgroup_path(cgrp, buf, 64) + cgroup_ino(cgrp);
}
