// SPDX-License-Identifier: GPL-2.0
/*
 * Without the module: cachestat(2) (Linux 6.5+) knows cached, dirty,
 * writeback and evicted pages of a byte range; mincore(2) on a read-only
 * mapping knows residency only. Everything else stays unknown ("-").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/fs.h>

#include "pcinspect.h"

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

/* mincore() this many bytes of mapping at a time: bounded address space */
#define PCI_MINCORE_CHUNK	(256UL << 20)

struct pci_cachestat_range {
	uint64_t off;
	uint64_t len;
};

struct pci_cachestat {
	uint64_t nr_cache;
	uint64_t nr_dirty;
	uint64_t nr_writeback;
	uint64_t nr_evicted;
	uint64_t nr_recently_evicted;
};

/* 1 when the kernel has cachestat(2): it says EBADF to a bad fd. */
int pci_have_cachestat(void)
{
	struct pci_cachestat_range r = { 0, 0 };
	struct pci_cachestat cs;

	return syscall(__NR_cachestat, -1, &r, &cs, 0) == 0 || errno == EBADF;
}

/* Open the file and fill in what every source knows: path, size, pages. */
static int open_target(struct pci_report *rep, const char *path, int *fdp)
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

int pci_cachestat_report(struct pci_report *rep, const char *path,
			 uint64_t offset, uint64_t length)
{
	struct pci_cachestat_range r = { offset, length };
	struct pci_cachestat cs;
	int fd, ret;

	ret = open_target(rep, path, &fd);
	if (ret)
		return ret;
	ret = syscall(__NR_cachestat, fd, &r, &cs, 0) ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	rep->source = "cachestat";
	rep->have = PCI_HAVE_CACHED | PCI_HAVE_DIRTY | PCI_HAVE_WRITEBACK |
		    PCI_HAVE_EVICTED | PCI_HAVE_RECENT;
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

int pci_mincore_report(struct pci_report *rep, const char *path,
		       uint64_t offset, uint64_t length)
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
	vec = malloc(PCI_MINCORE_CHUNK / ps);
	if (!vec) {
		close(fd);
		return -ENOMEM;
	}
	for (pos = start; pos < end; pos += PCI_MINCORE_CHUNK) {
		size_t len = end - pos < PCI_MINCORE_CHUNK ? end - pos :
			     PCI_MINCORE_CHUNK;
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
		for (i = 0; i < pages; i++)
			cached += vec[i] & 1;
	}
	free(vec);
	close(fd);
	if (ret)
		return ret;
	rep->have = PCI_HAVE_CACHED;
	rep->cached = cached;
	return 0;
}
