// SPDX-License-Identifier: GPL-2.0
/*
 * Without the module: cachestat(2) (Linux 6.5+) knows cached, dirty,
 * writeback and evicted pages of a byte range; mincore(2) on a read-only
 * mapping knows residency only (and so a page map of cached and uncached
 * runs); fstat(2) knows the file's identity. Everything else stays
 * unknown ("-").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fs.h>

#include "source.h"

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

/* mincore() this many bytes of mapping at a time: bounded address space */
#define PCR_MINCORE_CHUNK	(256UL << 20)

struct pcr_cachestat_range {
	uint64_t off;
	uint64_t len;
};

struct pcr_cachestat {
	uint64_t nr_cache;
	uint64_t nr_dirty;
	uint64_t nr_writeback;
	uint64_t nr_evicted;
	uint64_t nr_recently_evicted;
};

/* 1 when the kernel has cachestat(2): it says EBADF to a bad fd. */
int pcr_have_cachestat(void)
{
	struct pcr_cachestat_range r = { 0, 0 };
	struct pcr_cachestat cs;

	return syscall(__NR_cachestat, -1, &r, &cs, 0) == 0 || errno == EBADF;
}

/* statfs(2) magic numbers of filesystems mountinfo may not name (below). */
static const struct {
	unsigned long magic;
	const char *name;
} fs_magic[] = {
	{ 0xEF53, "ext4" },	{ 0x01021994, "tmpfs" },
	{ 0x9123683E, "btrfs" },	{ 0x58465342, "xfs" },
	{ 0x794c7630, "overlay" },	{ 0x6969, "nfs" },
	{ 0x65735546, "fuse" },	{ 0xF2F52010, "f2fs" },
	{ 0x4d44, "vfat" },	{ 0x858458f6, "ramfs" },
	{ 0x62646576, "bdev" },	{ 0x2fc12fc1, "zfs" },
};

/*
 * dev and ino as stat(2) gives them (what the module reports too), and
 * the filesystem type: from mountinfo by dev, else from statfs' magic
 * (a btrfs subvolume's own dev is on no mount line).
 */
static void fill_ident(struct pcr_report *rep, int fd, const struct stat *st)
{
	const char *fs = pcr_fs_type_of(major(st->st_dev), minor(st->st_dev));
	struct statfs sfs;
	size_t i;

	snprintf(rep->dev, sizeof(rep->dev), "%u:%u", major(st->st_dev),
		 minor(st->st_dev));
	rep->ino = st->st_ino;
	if (!fs && !fstatfs(fd, &sfs))
		for (i = 0; i < ARRAY_SIZE(fs_magic); i++)
			if ((unsigned long)sfs.f_type == fs_magic[i].magic)
				fs = fs_magic[i].name;
	snprintf(rep->fs, sizeof(rep->fs), "%s", fs ? fs : "-");
	snprintf(rep->type, sizeof(rep->type), "%s",
		 S_ISBLK(st->st_mode) ? "block" : "regular");
	rep->have |= PCR_HAVE_IDENT;
}

/* Open the file and fill in what every source knows: path, size, pages. */
static int open_target(struct pcr_report *rep, const char *path, int *fdp)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto out_close;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		ret = -EINVAL;
		goto out_close;
	}
	rep->size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, &rep->size)) {
		ret = -errno;
		goto out_close;
	}
	rep->page_size = sysconf(_SC_PAGESIZE);
	fill_ident(rep, fd, &st);
	/* the name as given, as fincore shows it: no lookups for a path */
	rep->path = strdup(path);
	if (!rep->path) {
		ret = -ENOMEM;
		goto out_close;
	}
	*fdp = fd;
	return 0;

out_close:
	close(fd);
	return ret;
}

int pcr_cachestat_report(struct pcr_report *rep, const char *path,
			 uint64_t offset, uint64_t length)
{
	struct pcr_cachestat_range r = { offset, length };
	struct pcr_cachestat cs;
	int fd, ret;

	ret = open_target(rep, path, &fd);
	if (ret)
		return ret;
	ret = syscall(__NR_cachestat, fd, &r, &cs, 0) ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	rep->source = "cachestat";
	rep->have |= PCR_HAVE_CACHED | PCR_HAVE_DIRTY | PCR_HAVE_WRITEBACK |
		    PCR_HAVE_EVICTED | PCR_HAVE_RECENT;
	rep->cached = cs.nr_cache;
	rep->dirty = cs.nr_dirty;
	rep->writeback = cs.nr_writeback;
	rep->evicted = cs.nr_evicted;
	rep->recently_evicted = cs.nr_recently_evicted;
	return 0;
}

/*
 * mincore() tells the truth about a file mapping only to its owner, to
 * CAP_FOWNER or to who may write the file; anyone else is told that every
 * page is resident (mm/mincore.c, can_do_mincore()).
 */
static bool mincore_truthful(const char *path, int fd)
{
	struct stat st;

	if (geteuid() == 0)
		return true;
	if (!fstat(fd, &st) && st.st_uid == geteuid())
		return true;
	return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0;
}

/* Add page @idx, cached or not, to the map's runs. */
static int map_page(struct pcr_report *rep, uint64_t idx, bool cached)
{
	const char *state = cached ? "cached" : "uncached";
	struct pcr_run run = { .first = idx, .last = idx, .node = -1,
			       .order = -1 };
	struct pcr_run *last = rep->nr_runs ? &rep->runs[rep->nr_runs - 1] :
			       NULL;

	if (last && last->last + 1 == idx && !strcmp(last->state, state)) {
		last->last = idx;
		return 0;
	}
	snprintf(run.state, sizeof(run.state), "%s", state);
	snprintf(run.lru, sizeof(run.lru), "-");
	return pcr_report_add_run(rep, &run);
}

/*
 * Residency through mincore(2). With @map, also the page map: runs of
 * cached and uncached pages (no lru, mapped, node or order: unknown).
 */
int pcr_mincore_report(struct pcr_report *rep, const char *path,
		       uint64_t offset, uint64_t length, bool map)
{
	uint64_t ps, start, end, pos, cached = 0;
	unsigned char *vec = NULL;
	int fd, ret;

	ret = open_target(rep, path, &fd);
	if (ret)
		return ret;
	rep->source = "mincore";
	if (!mincore_truthful(path, fd)) {
		/* Residency stays unknown: mincore would say "all cached". */
		fprintf(stderr,
			"pcinspect: %s: mincore cannot see the cache of a file you may not write\n",
			path);
		close(fd);
		return 0;
	}
	ps = rep->page_size;
	start = offset / ps * ps;
	end = rep->size;
	if (length && offset + length > offset && offset + length < end)
		end = offset + length;
	vec = malloc(PCR_MINCORE_CHUNK / ps);
	if (!vec) {
		close(fd);
		return -ENOMEM;
	}
	for (pos = start; pos < end; pos += PCR_MINCORE_CHUNK) {
		size_t len = end - pos < PCR_MINCORE_CHUNK ? end - pos :
			     PCR_MINCORE_CHUNK;
		size_t i, pages = (len + ps - 1) / ps;
		void *addr = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, pos);

		if (addr == MAP_FAILED) {
			ret = -errno;
			break;
		}
		ret = mincore(addr, len, vec) ? -errno : 0;
		munmap(addr, len);
		if (ret)
			break;
		for (i = 0; i < pages && !ret; i++) {
			cached += vec[i] & 1;
			if (map)
				ret = map_page(rep, pos / ps + i, vec[i] & 1);
		}
		if (ret)
			break;
	}
	free(vec);
	close(fd);
	if (ret)
		return ret;
	rep->have |= PCR_HAVE_CACHED | (map ? PCR_HAVE_MAP : 0);
	rep->cached = cached;
	return 0;
}

/* What fstat knows, for a file no source could report on. */
int pcr_file_ident(struct pcr_report *rep, const char *path)
{
	int fd, ret;

	ret = open_target(rep, path, &fd);
	if (!ret)
		close(fd);
	return ret;
}
