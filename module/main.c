// SPDX-License-Identifier: GPL-2.0
/*
 * pcinspect: report what the page cache holds, file by file, through
 * /sys/kernel/debug/pcinspect/. This file sets up the debugfs directory
 * and the version file; the reports live in query.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/random.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "pcinspect.h"
#include "compat.h"
#include "files.h"
#include "lru.h"

static struct dentry *pcinspect_root;

siphash_key_t pcinspect_id_key;

/* Optional parts, present when their probe passed for this kernel. */
static const struct {
	const char *name;
	bool built;
} pcinspect_features[] = {
	{ "xas_get_order", IS_ENABLED_HAVE(XAS_GET_ORDER) },
	{ "lru_gen", IS_ENABLED_HAVE(LRU_GEN) },
	{ "lru_gen_lists", IS_ENABLED_HAVE(LRU_GEN_LISTS) },
	{ "memcg", __is_defined(PCINSPECT_MEMCG) },
	{ "shadow_node", IS_ENABLED_HAVE(SHADOW_DECODE) },
};

/*
 * version: what a reader checks before trusting any other file. The format
 * number covers every file in the directory (Documentation/ABI.md).
 */
static int version_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "format: %d\n", PCINSPECT_FORMAT);
	seq_printf(m, "module: %s\n", PCINSPECT_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	seq_printf(m, "built_for: %s\n", PCINSPECT_KERNEL_RELEASE);
	seq_printf(m, "page_size: %lu\n", PAGE_SIZE);
	seq_puts(m, "features:");
	for (i = 0; i < ARRAY_SIZE(pcinspect_features); i++)
		if (pcinspect_features[i].built)
			seq_printf(m, " %s", pcinspect_features[i].name);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int __init pcinspect_init(void)
{
	int ret;

	get_random_bytes(&pcinspect_id_key, sizeof(pcinspect_id_key));
	pcinspect_root = debugfs_create_dir("pcinspect", NULL);
	if (IS_ERR(pcinspect_root))
		return PTR_ERR(pcinspect_root);

	debugfs_create_file("version", 0400, pcinspect_root, NULL,
			    &version_fops);
	ret = pcinspect_query_init(pcinspect_root);
	if (!ret)
		ret = pcinspect_files_init(pcinspect_root);
	if (!ret)
		ret = pcinspect_lru_init(pcinspect_root);
	if (ret)
		goto remove_dir;
	return 0;

remove_dir:
	debugfs_remove_recursive(pcinspect_root);
	return ret;
}

static void __exit pcinspect_exit(void)
{
	/* Waits for readers in flight; open files keep the module pinned. */
	debugfs_remove_recursive(pcinspect_root);
	pcinspect_query_exit();
	pcinspect_files_exit();
}

module_init(pcinspect_init);
module_exit(pcinspect_exit);

MODULE_DESCRIPTION("Page-cache inspection through debugfs");
MODULE_AUTHOR("The pcinspect developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(PCINSPECT_VERSION);
