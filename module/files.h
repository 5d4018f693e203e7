/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system-wide listing of every inode with pages in the page cache:
 * the files and files-query debugfs files (Documentation/ABI.md).
 */
#ifndef PCINSPECT_FILES_H
#define PCINSPECT_FILES_H

#include <linux/debugfs.h>

int pcinspect_files_init(struct dentry *root);
void pcinspect_files_exit(void);

#endif /* PCINSPECT_FILES_H */
