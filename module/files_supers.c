// SPDX-License-Identifier: GPL-2.0
/*
 * Superblock enumeration for the files listing (Documentation/ABI.md,
 * "files"): every superblock that can hold page cache, and on each the
 * inodes that have pages, handed one at a time to the caller.
 *
 * Reaching superblocks. iterate_supers() is not exported: the walk calls
 * iterate_supers_type() for each type that /proc/filesystems names, read
 * at the start of each walk (get_fs_type() of a name that is not
 * registered would run modprobe). Superblocks of types that are not
 * registered are reached through a superblock of the same type ("a
 * seed"), whose type is then walked whole: rootfs through the root of
 * init_task and of the reader, the internal devtmpfs instance and types
 * whose superblocks belong to an unregistered twin of the registered one
 * (btrfs on some kernels, kernel-facts.md) through /proc/self/mountinfo.
 * Only mounts whose device no walk met are looked up, with
 * LOOKUP_CACHED | LOOKUP_MOUNTPOINT: the lookup stays in RCU mode, where
 * d_revalidate() and permission() must not block, fails with EAGAIN where
 * it would have to leave it, and skips the final
 * d_weak_revalidate() of the mounted root. No lookup can wait for a
 * network server or trigger an automount. The block devices' superblock
 * is exported and never unmounted: it is walked directly.
 *
 * Types are walked once each. Every type walked keeps its module
 * reference until the enumeration ends, so that no type can be unloaded
 * and its address reused by another one meanwhile.
 *
 * Not disturbing the system. iterate_supers_type() calls back with
 * s_umount held shared. freeze_super() needs s_umount exclusive to move a
 * superblock out of SB_UNFROZEN (kernel-facts.md), so one seen
 * unfrozen here stays so until the callback returns; frozen ones are
 * passed over. An iput() in the walk can be the final one (the file was
 * closed and unlinked meanwhile); it then evicts the inode, as the
 * closing task would have, which cannot wait for a thaw: nothing of the
 * walk can wait for s_umount or for a thaw. Inode references cannot
 * outlive s_umount (umount would find busy inodes), and no superblock is
 * pinned by an active reference or a mount: an unmount never depends on
 * the reader. Instead, the walk of a superblock stops as soon as anyone
 * waits for its s_umount (umount, remount, freeze, a new mount of the same
 * device), at most one inode later, and the caller learns it.
 *
 * Inodes: the pattern of fs/drop_caches.c. Under s_inode_list_lock and the
 * inode's i_lock, inodes being set up or torn down are skipped and a
 * reference is taken; both locks are dropped, the caller records the
 * inode (which may sleep), and only then is the previous inode released:
 * the reference held keeps the walk's place in the list. Uncached inodes
 * are passed over under the list lock, SUPERS_LOCK_BATCH at most in a
 * row: then one of them becomes the place holder, so that the lock is
 * dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "pcinspect.h"
#include "compat.h"
#include "files_supers.h"

/* Uncached inodes passed over under s_inode_list_lock before a pause. */
#define SUPERS_LOCK_BATCH	64
/* Longest line of /proc/filesystems or /proc/self/mountinfo read. */
#define SUPERS_LINE_MAX		(4 * PATH_MAX)

/* A type walked, and whether that walk met any superblock of it. */
struct supers_type {
	struct file_system_type *type;
	bool met;
};

struct supers_walk {
	const char *fs;		/* only this type name, or "" */
	const struct pcinspect_supers_ops *ops;
	void *arg;
	struct pcinspect_supers_stats *stats;
	const char *name;	/* of the type being walked */
	struct supers_type *types; /* walked; module references held */
	unsigned int nr_types, cap_types;
	u32 *devs;		/* s_dev of every superblock met */
	unsigned int nr_devs, cap_devs;
	unsigned int sorted;	/* devs[0..sorted) are in order */
	int err;
};

/* Bookkeeping ------------------------------------------------------------- */

static bool supers_name_selected(const struct supers_walk *w, const char *name)
{
	size_t len = strlen(w->fs);

	/* mountinfo shows "fuse.sshfs" for the type "fuse" with a subtype */
	return !len || (!strncmp(name, w->fs, len) &&
			(!name[len] || name[len] == '.'));
}

static bool supers_type_walked(const struct supers_walk *w,
			       const struct file_system_type *type)
{
	unsigned int i;

	for (i = 0; i < w->nr_types; i++)
		if (w->types[i].type == type)
			return true;
	return false;
}

/*
 * A registered type of the name that mountinfo gives @name ("fuse.sshfs"
 * is of "fuse") was walked and met superblocks: a superblock of it that
 * no walk met appeared after that walk. It is not looked up (a lookup
 * holds the mount for a moment: an umount(2) then fails with EBUSY).
 * A type whose superblocks belong to an unregistered twin of one name
 * (btrfs on some kernels) is the exception this lets through: its
 * registered type has none.
 */
static bool supers_name_walked(const struct supers_walk *w, const char *name)
{
	size_t len = strcspn(name, ".");
	unsigned int i;

	for (i = 0; i < w->nr_types; i++)
		if (w->types[i].met && strlen(w->types[i].type->name) == len &&
		    !strncmp(w->types[i].type->name, name, len))
			return true;
	return false;
}

/* Keep @type, whose module reference the caller holds, until the end. */
static int supers_keep_type(struct supers_walk *w,
			    struct file_system_type *type)
{
	struct supers_type *types;
	unsigned int cap;

	if (w->nr_types == w->cap_types) {
		cap = max(32U, 2 * w->cap_types);
		types = krealloc_array(w->types, cap, sizeof(*types), GFP_KERNEL);
		if (!types) {
			module_put(type->owner);
			return -ENOMEM;
		}
		w->types = types;
		w->cap_types = cap;
	}
	w->types[w->nr_types].type = type;
	w->types[w->nr_types++].met = false;
	return 0;
}

static void supers_met(struct supers_walk *w, dev_t dev)
{
	u32 *devs;
	unsigned int cap;

	if (w->nr_devs == w->cap_devs) {
		cap = max(64U, 2 * w->cap_devs);
		devs = kvmalloc_array(cap, sizeof(*devs), GFP_KERNEL);
		if (!devs) {
			w->err = -ENOMEM;
			return;
		}
		if (w->nr_devs)
			memcpy(devs, w->devs, w->nr_devs * sizeof(*devs));
		kvfree(w->devs);
		w->devs = devs;
		w->cap_devs = cap;
	}
	w->devs[w->nr_devs++] = dev;
}

static int supers_cmp_dev(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static void supers_sort_devs(struct supers_walk *w)
{
	sort(w->devs, w->nr_devs, sizeof(*w->devs), supers_cmp_dev, NULL);
	w->sorted = w->nr_devs;
}

static bool supers_dev_met(const struct supers_walk *w, dev_t dev)
{
	u32 key = dev;
	unsigned int i;

	if (bsearch(&key, w->devs, w->sorted, sizeof(*w->devs), supers_cmp_dev))
		return true;
	for (i = w->sorted; i < w->nr_devs; i++)
		if (w->devs[i] == key)
			return true;
	return false;
}

/* One superblock's inodes ------------------------------------------------- */

/*
 * Someone waits for s_umount, which the walk holds shared: an unmount,
 * remount or freeze, or a mount of the same device. Readers queue behind
 * a waiting writer, so any waiter means a writer is waiting.
 */
static bool supers_contended(struct super_block *sb, bool locked)
{
	return locked && rwsem_is_contended(&sb->s_umount);
}

/*
 * Walk the inodes of @sb. @locked: s_umount is held shared (from
 * iterate_supers_type()); otherwise @sb is the block devices' superblock,
 * which is never unmounted or frozen.
 */
static void supers_walk_sb(struct supers_walk *w, struct super_block *sb,
			   bool locked, bool bdev)
{
	struct pcinspect_supers_stats *st = w->stats;
	struct inode *inode, *prev = NULL;
	unsigned int batch = 0;
	bool complete = false;
	int ret;

	ret = w->ops->sb_begin(w->arg, sb, w->name, bdev);
	if (ret) {
		if (ret < 0)
			w->err = ret;
		return;
	}
	if (supers_contended(sb, locked))
		goto out;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		bool cached;

		st->visited++;
		spin_lock(&inode->i_lock);
		/*
		 * Pages, not entries: shadow entries alone do not count. Device
		 * nodes point i_mapping elsewhere and leave i_data empty, so
		 * each mapping is met once, in the inode that owns it.
		 */
		cached = READ_ONCE(inode->i_data.nrpages);
		if (pcinspect_inode_state_read(inode) & (I_FREEING | I_WILL_FREE | I_NEW)) {
			spin_unlock(&inode->i_lock);
			if (cached)
				st->skipped++;
			continue;
		}
		if (!cached && ++batch < SUPERS_LOCK_BATCH && !need_resched()) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		batch = 0;
		__iget(inode);
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);

		/* This inode holds our place in the list now. */
		iput(prev);
		prev = inode;
		if (cached)
			w->err = w->ops->inode(w->arg, inode);
		cond_resched();
		if (!w->err && pcinspect_killed())
			w->err = -EINTR;
		if (w->err || supers_contended(sb, locked))
			goto out;
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	complete = true;
out:
	/* Before s_umount is released: no inode stays pinned past it. */
	iput(prev);
	if (!complete && !w->err)
		st->yielded++;
	w->ops->sb_end(w->arg, complete);
}

/* The iterate_supers_type() callback: s_umount is held shared. */
static void supers_type_sb(struct super_block *sb, void *arg)
{
	struct supers_walk *w = arg;

	if (w->err)
		return;
	supers_met(w, sb->s_dev);
	if (w->err)
		return;
	/* Its page cache is huge pages, not base pages: not listed. */
	if (sb->s_magic == HUGETLBFS_MAGIC) {
		w->stats->hugetlbfs++;
		return;
	}
	/* Stable while s_umount is held: see the comment at the top. */
	if (sb->s_writers.frozen != SB_UNFROZEN) {
		w->stats->frozen++;
		return;
	}
	supers_walk_sb(w, sb, true, false);
}

/* Walk every superblock of @type, whose module reference is held. */
static void supers_walk_type(struct supers_walk *w,
			     struct file_system_type *type)
{
	unsigned int devs = w->nr_devs;

	w->err = supers_keep_type(w, type);
	if (w->err)
		return;
	w->stats->types++;
	w->name = type->name;
	iterate_supers_type(type, supers_type_sb, w);
	w->types[w->nr_types - 1].met = w->nr_devs > devs;
}

/*
 * The type of the superblock @path is on, unless already walked; @path is
 * put. While the path is held its superblock, hence its type's module,
 * stays: the module reference then keeps the type.
 */
static void supers_seed(struct supers_walk *w, struct path *path)
{
	struct file_system_type *type = path->mnt->mnt_sb->s_type;
	bool walk;

	walk = supers_name_selected(w, type->name) &&
	       !supers_type_walked(w, type) && try_module_get(type->owner);
	path_put(path);
	if (walk)
		supers_walk_type(w, type);
}

/* Reading procfs ------------------------------------------------------------ */

/*
 * Call @fn for each line of the procfs file @name, read as the reader
 * would; a line longer than SUPERS_LINE_MAX is passed as NULL. The file
 * is only read between calls, so @fn may sleep and take any lock.
 */
static int supers_read_lines(const char *name, struct supers_walk *w,
			     void (*fn)(struct supers_walk *w, char *line))
{
	char *buf, *line, *nl;
	bool skipping = false;
	struct file *file;
	size_t len = 0;
	loff_t pos = 0;
	ssize_t n;

	buf = kvmalloc(SUPERS_LINE_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	file = filp_open(name, O_RDONLY, 0);
	if (IS_ERR(file)) {
		kvfree(buf);
		return PTR_ERR(file);
	}
	while (!w->err) {
		n = kernel_read(file, buf + len, SUPERS_LINE_MAX - 1 - len, &pos);
		if (n <= 0) {
			if (n < 0)
				w->err = n;
			break;
		}
		len += n;
		buf[len] = '\0';
		line = buf;
		while (!w->err && (nl = strchr(line, '\n')) != NULL) {
			*nl = '\0';
			fn(w, skipping ? NULL : line);
			skipping = false;
			line = nl + 1;
		}
		len -= line - buf;
		memmove(buf, line, len);
		if (len == SUPERS_LINE_MAX - 1) {
			skipping = true;
			len = 0;
		}
		if (!w->err && pcinspect_killed())
			w->err = -EINTR;
	}
	filp_close(file, NULL);
	kvfree(buf);
	return w->err;
}

/* A line of /proc/filesystems: "nodev\tNAME" or "\tNAME". */
static void supers_type_line(struct supers_walk *w, char *line)
{
	struct file_system_type *type;
	char *name;

	if (!line)
		return;
	name = strrchr(line, '\t');
	name = name ? name + 1 : line;
	if (!*name || (*w->fs && strcmp(name, w->fs)))
		return;
	/* Listed, so registered: get_fs_type() will not run modprobe. */
	type = get_fs_type(name);
	if (!type)
		return;
	if (supers_type_walked(w, type)) {
		module_put(type->owner);
		return;
	}
	supers_walk_type(w, type);
}

/* Undo the octal escapes of a /proc/self/mountinfo field, in place. */
static void supers_unescape(char *s)
{
	char *o = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*o++ = (s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0');
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/*
 * A line of /proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 * OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER_OPTIONS". A mount whose
 * device no walk met is looked up without leaving RCU mode (see the
 * comment at the top); its superblock's type is then walked. Mounts that
 * stay unmet (the lookup would block, the mount point is covered by
 * another mount, the superblock appeared after its type was walked) are
 * counted.
 */
static void supers_mount_line(struct supers_walk *w, char *line)
{
	unsigned int major, minor, i;
	char *field[5], *tok, *type;
	struct path path;
	dev_t dev;

	if (!line) {
		w->stats->unreached++;	/* too long to read: cannot tell */
		return;
	}
	for (i = 0; i < ARRAY_SIZE(field); i++) {
		field[i] = strsep(&line, " ");
		if (!field[i])
			return;
	}
	while ((tok = strsep(&line, " ")) && strcmp(tok, "-"))
		;
	type = tok ? strsep(&line, " ") : NULL;
	if (!type || sscanf(field[2], "%u:%u", &major, &minor) != 2 ||
	    !supers_name_selected(w, type))
		return;
	dev = MKDEV(major, minor);
	if (supers_dev_met(w, dev))
		return;
	if (supers_name_walked(w, type)) {
		w->stats->unreached++;
		return;
	}
	supers_unescape(field[4]);
	if (!kern_path(field[4], LOOKUP_CACHED | LOOKUP_MOUNTPOINT, &path)) {
		supers_seed(w, &path);
		supers_sort_devs(w);
	}
	if (!w->err && !supers_dev_met(w, dev))
		w->stats->unreached++;
}

/* Seeds that need no lookup: the roots of init_task and of the reader. */
static void supers_walk_roots(struct supers_walk *w)
{
	struct path path;

	get_fs_root(init_task.fs, &path);
	supers_seed(w, &path);
	if (w->err || !current->fs)
		return;
	get_fs_root(current->fs, &path);
	supers_seed(w, &path);
	if (w->err)
		return;
	get_fs_pwd(current->fs, &path);
	supers_seed(w, &path);
}

/*
 * Walk every superblock of the types named @fs (all when empty): call
 * @ops for each and for each cached inode on it, and count in @stats what
 * was passed over. Returns 0 or the first error of @ops or of the walk.
 */
int pcinspect_supers_walk(const char *fs, const struct pcinspect_supers_ops *ops,
			  void *arg, struct pcinspect_supers_stats *stats)
{
	struct supers_walk w = {
		.fs = fs, .ops = ops, .arg = arg, .stats = stats,
	};
	unsigned int i;

	memset(stats, 0, sizeof(*stats));
	supers_read_lines("/proc/filesystems", &w, supers_type_line);
	if (!w.err && pcinspect_blockdev_superblock() &&
	    supers_name_selected(&w, "bdev")) {
		w.name = "bdev";
		supers_walk_sb(&w, pcinspect_blockdev_superblock(), false, true);
	}
	if (!w.err)
		supers_walk_roots(&w);
	if (!w.err) {
		supers_sort_devs(&w);
		supers_read_lines("/proc/self/mountinfo", &w, supers_mount_line);
	}
	for (i = 0; i < w.nr_types; i++)
		module_put(w.types[i].type->owner);
	kfree(w.types);
	kvfree(w.devs);
	return w.err;
}
