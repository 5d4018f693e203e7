/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload stress_test runs under the pcinspect readers: processes that
 * write, fsync, truncate, punch holes, unlink, dirty mappings, drop
 * caches, switch MGLRU, create and remove memcgs, press memory until the
 * kernel reclaims and swaps, and mount and unmount filesystems. Every
 * process that writes data reads it back and checks it, so a page cache
 * corrupted under pcinspect's walks shows as a failure, not only a crash.
 */
#ifndef PCI_STRESS_LOAD_H
#define PCI_STRESS_LOAD_H

#include <linux/falloc.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/swap.h>
#include <sys/wait.h>

#include "stress.h"

#define ST_FILES	4	/* files per file worker */
#define ST_MAX_PAGES	192	/* largest workload file */
#define ST_CG_ROOT	"/sys/fs/cgroup"
#define ST_CG_PREFIX	"pcistress-"
#define ST_MNT_TMPFS	"/tmp/pcistress-tmpfs"
#define ST_MNT_EXT4	"/tmp/pcistress-ext4"
#define ST_MGLRU	"/sys/kernel/mm/lru_gen/enabled"

static void st_path(char *buf, size_t size, const char *dir, int id, int k)
{
	if (snprintf(buf, size, "%s/w%d-%d", dir, id, k) >= (int)size)
		st_fail("path too long: %s", dir);
}

/* Read pages [0, pages) back and check them; holes in [h0, h1) are zero. */
static void st_verify(int fd, const char *path, uint32_t id, uint32_t gen,
		      unsigned long pages, unsigned long h0, unsigned long h1)
{
	static __thread uint64_t buf[PCI_PAGE_MAX / 8];
	unsigned long i;
	ssize_t n;
	int bad;

	for (i = 0; i < pages; i++) {
		n = pread(fd, buf, PCI_PAGE, i * PCI_PAGE);
		if (n != (ssize_t)PCI_PAGE) {
			st_fail("%s: read of page %lu returned %zd (%m)", path, i, n);
			return;
		}
		bad = st_check(buf, id, gen, i, i >= h0 && i < h1);
		if (bad >= 0) {
			st_fail("%s: page %lu word %d is %#llx, expected %#llx (gen %u)",
				path, i, bad, (unsigned long long)buf[bad],
				(unsigned long long)(i >= h0 && i < h1 ? 0 :
				st_word(id, gen, i, bad)), gen);
			return;
		}
	}
	st_count(OP_VERIFY);
}

/*
 * One file worker: rewrite its files with a new generation of the
 * pattern, then fsync, punch a hole, truncate, evict or unlink them at
 * random, checking the contents after each change.
 */
static void st_file_worker(const char *dir, uint32_t id, uint64_t seed)
{
	uint64_t buf[PCI_PAGE_MAX / 8];
	uint32_t gen = 0;
	char path[256];

	while (!st->stop_work) {
		unsigned long pages, i, h0 = 0, h1 = 0, keep;
		int k = st_rand(&seed) % ST_FILES, fd;

		st_path(path, sizeof(path), dir, id, k);
		gen++;
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0) {
			st_fail("open %s: %m", path);
			return;
		}
		pages = 1 + st_rand(&seed) % ST_MAX_PAGES;
		for (i = 0; i < pages; i++) {
			st_pattern(buf, id * ST_FILES + k, gen, i);
			if (pwrite(fd, buf, PCI_PAGE, i * PCI_PAGE) != (ssize_t)PCI_PAGE) {
				st_fail("write %s: %m", path);
				close(fd);
				return;
			}
		}
		st_count(OP_WRITE);
		if (st_rand(&seed) % 2) {
			if (fsync(fd))
				st_fail("fsync %s: %m", path);
			st_count(OP_FSYNC);
		}
		if (pages > 2 && st_rand(&seed) % 2) {
			h0 = st_rand(&seed) % (pages - 1);
			h1 = h0 + 1 + st_rand(&seed) % (pages - h0 - 1);
			if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      h0 * PCI_PAGE, (h1 - h0) * PCI_PAGE))
				st_fail("punch %s: %m", path);
			st_count(OP_PUNCH);
		}
		st_verify(fd, path, id * ST_FILES + k, gen, pages, h0, h1);
		if (st_rand(&seed) % 3 == 0) {
			keep = st_rand(&seed) % pages;
			if (ftruncate(fd, keep * PCI_PAGE))
				st_fail("truncate %s: %m", path);
			st_count(OP_TRUNCATE);
			pages = keep;
			st_verify(fd, path, id * ST_FILES + k, gen, pages, h0, h1);
		}
		if (st_rand(&seed) % 4 == 0)
			posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
		if (st_rand(&seed) % 4 == 0) {
			if (unlink(path))
				st_fail("unlink %s: %m", path);
			st_count(OP_UNLINK);
		}
	}
}

/* Dirty pages of a shared mapping, msync some, check them through read. */
static void st_mmap_worker(const char *dir, uint32_t id, uint64_t seed)
{
	const unsigned long pages = 64;
	uint64_t buf[PCI_PAGE_MAX / 8];
	uint32_t gen = 0;
	char path[256];
	uint64_t *map;
	unsigned long i;
	int fd;

	snprintf(path, sizeof(path), "%s/m%u", dir, id);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, pages * PCI_PAGE)) {
		st_fail("create %s: %m", path);
		return;
	}
	map = mmap(NULL, pages * PCI_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	if (map == MAP_FAILED) {
		st_fail("mmap %s: %m", path);
		return;
	}
	while (!st->stop_work) {
		gen++;
		for (i = 0; i < pages; i++)
			st_pattern(map + i * (PCI_PAGE / 8), 1000 + id, gen, i);
		st_count(OP_MMAP_DIRTY);
		if (st_rand(&seed) % 2 && msync(map, pages * PCI_PAGE, MS_SYNC))
			st_fail("msync %s: %m", path);
		for (i = 0; i < pages; i++) {
			if (pread(fd, buf, PCI_PAGE, i * PCI_PAGE) != (ssize_t)PCI_PAGE ||
			    st_check(buf, 1000 + id, gen, i, false) >= 0) {
				st_fail("%s: page %lu does not read back as written through the mapping",
					path, i);
				break;
			}
		}
		st_count(OP_VERIFY);
		if (st_rand(&seed) % 4 == 0)
			madvise(map, pages * PCI_PAGE, MADV_PAGEOUT);
		st_nap(20);
	}
	munmap(map, pages * PCI_PAGE);
	close(fd);
}

/* The golden files never change: their checksums must hold throughout. */
static void st_golden_worker(char (*paths)[256], const uint64_t *sums, int n)
{
	uint64_t sum = 0;
	int i, ret;

	while (!st->stop_work) {
		for (i = 0; i < n && !st->stop_work; i++) {
			ret = st_checksum(paths[i], &sum);
			if (ret || sum != sums[i])
				st_fail("golden file %s: checksum %#llx, expected %#llx (%d)",
					paths[i], (unsigned long long)sum,
					(unsigned long long)sums[i], ret);
			st_count(OP_VERIFY);
		}
		st_nap(100);
	}
}

/* drop_caches and the MGLRU switch, each on its own clock. */
static void st_sys_worker(bool mglru)
{
	static const char * const drop[] = { "1", "2", "3" };
	unsigned int n = 0;
	int ret;

	while (!st->stop_work) {
		ret = pci_write_str("/proc/sys/vm/drop_caches", drop[n % 3]);
		if (ret)
			st_fail("drop_caches: %s", strerror(-ret));
		st_count(OP_DROP_CACHES);
		if (mglru && n % 3 == 1) {
			ret = pci_write_str(ST_MGLRU, n % 2 ? "n" : "y");
			if (ret)
				st_fail(ST_MGLRU ": %s", strerror(-ret));
			st_count(OP_MGLRU);
		}
		n++;
		st_nap(700);
	}
}

/* Touch len bytes of anonymous memory twice: the second pass swaps in. */
static void st_touch_anon(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t i;
	int pass;

	if (p == MAP_FAILED)
		return;
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < len; i += PCI_PAGE) {
			if (!(i & ((1 << 24) - 1)) && st->stop_work)
				goto out;
			p[i] = (char)(i >> 12) + pass;
		}
out:
	munmap(p, len);
}

/*
 * Memcgs: a child cgroup with a small memory.max, a process moved into it
 * that reads files, fills a tmpfs file and touches more anonymous memory
 * than the limit (reclaim and swap inside the memcg), then the cgroup is
 * removed. Its tmpfs and page-cache pages stay charged to it, so dying
 * memcgs remain for the readers' memcg paths. Every few rounds the whole
 * machine is pressed the same way, without a limit.
 */
static void st_memcg_worker(const char *tmpfs_dir, const char *golden,
			    bool cgroups)
{
	char cg[128], path[256];
	unsigned int n = 0;
	pid_t pid;
	int status, ret;

	while (!st->stop_work) {
		bool global = n % 8 == 7;
		long avail = pci_meminfo("MemAvailable");

		snprintf(cg, sizeof(cg), ST_CG_ROOT "/" ST_CG_PREFIX "%u", n);
		if (cgroups && !global) {
			if (mkdir(cg, 0755)) {
				st_fail("mkdir %s: %m", cg);
				return;
			}
			st_count(OP_MEMCG_CREATE);
			snprintf(path, sizeof(path), "%s/memory.max", cg);
			ret = pci_write_str(path, "24M");
			if (ret)
				st_fail("%s: %s", path, strerror(-ret));
		}
		pid = fork();
		if (pid == 0) {
			uint64_t sum;
			int fd;

			if (cgroups && !global) {
				snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
				if (pci_write_str(path, "0"))
					_exit(1);
			} else {
				/* The OOM killer takes this one, not a test process. */
				pci_write_str("/proc/self/oom_score_adj", "1000");
			}
			st_checksum(golden, &sum);
			snprintf(path, sizeof(path), "%s/cg%u", tmpfs_dir, n % 4);
			fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
			if (fd >= 0) {
				pci_fill(fd, 0, 2048);	/* 8 MB of shmem */
				close(fd);
			}
			st_touch_anon(global ? (size_t)(avail > 0 ? avail : 0) * 1024 * 7 / 10 :
				      40UL << 20);
			_exit(0);
		}
		if (pid < 0) {
			st_fail("fork: %m");
			return;
		}
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status))
			st_fail("memcg child could not join %s", cg);
		st_count(OP_PRESSURE);
		if (cgroups && !global) {
			if (rmdir(cg))
				st_fail("rmdir %s: %m", cg);
			st_count(OP_MEMCG_REMOVE);
		}
		n++;
		st_nap(200);
	}
}

/*
 * Memcgs in quick succession: each gets a process that pulls part of a
 * file into the page cache, charged to it, and is removed at once, so its
 * pages keep a dying memcg alive for the readers' per-memcg counts.
 */
static void st_memcg_churn_worker(const char *file)
{
	char cg[128], path[256];
	unsigned int n = 0;
	int status;
	pid_t pid;

	while (!st->stop_work) {
		snprintf(cg, sizeof(cg), ST_CG_ROOT "/" ST_CG_PREFIX "q%u", n++);
		if (mkdir(cg, 0755)) {
			st_fail("mkdir %s: %m", cg);
			return;
		}
		st_count(OP_MEMCG_CREATE);
		pid = fork();
		if (pid == 0) {
			int fd = open(file, O_RDONLY);

			snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
			if (pci_write_str(path, "0") || fd < 0)
				_exit(1);
			posix_fadvise(fd, (n % 8) * 64 * PCI_PAGE, 64 * PCI_PAGE,
				      POSIX_FADV_DONTNEED);
			pci_read_pages(fd, (n % 8) * 64, 64);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			st_fail("memcg child in %s failed", cg);
		if (rmdir(cg))
			st_fail("rmdir %s: %m", cg);
		st_count(OP_MEMCG_REMOVE);
		st_nap(300);
	}
}

/* mount, fill, unmount; EBUSY while a query pins a file is expected. */
static void st_mount_cycle(const char *type, const char *src,
			   const char *dir, const char *opts)
{
	char path[256];
	int fd, tries;

	if (mount(src, dir, type, 0, opts)) {
		st_fail("mount -t %s %s %s: %m", type, src, dir);
		st_nap(1000);
		return;
	}
	st_count(OP_MOUNT);
	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0) {
		pci_fill(fd, 0, 64);
		pci_read_pages(fd, 0, 64);
		close(fd);
	}
	st_nap(300);
	for (tries = 0; umount(dir); tries++) {
		if (errno != EBUSY) {
			st_fail("umount %s: %m", dir);
			return;
		}
		st_count(OP_UMOUNT_BUSY);
		if (tries == 50) {
			/* Readers kept it busy for 5 s: detach it instead. */
			if (umount2(dir, MNT_DETACH))
				st_fail("umount -l %s: %m", dir);
			break;
		}
		usleep(100000);
	}
	st_count(OP_UMOUNT);
}

static void st_mount_worker(const char *spare)
{
	unsigned int n = 0;

	while (!st->stop_work) {
		if (spare && n % 2)
			st_mount_cycle("ext4", spare, ST_MNT_EXT4, "");
		else
			st_mount_cycle("tmpfs", "pcistress", ST_MNT_TMPFS, "size=16m");
		n++;
		st_nap(200);
	}
}

/* Swap: the guest's own, else zram, else a swapfile on ext4. */
struct st_swap {
	char what[64];
	char path[256];
	bool ours;
};

/* A v1 swap header: "mkswap" without needing the tool. */
static int st_mkswap(int fd, unsigned long pages)
{
	static char page[PCI_PAGE_MAX];
	uint32_t *info = (uint32_t *)(page + 1024);

	memset(page, 0, sizeof(page));
	info[0] = 1;			/* version */
	info[1] = pages - 1;		/* last_page */
	memcpy(page + PCI_PAGE - 10, "SWAPSPACE2", 10);
	return pwrite(fd, page, PCI_PAGE, 0) == (ssize_t)PCI_PAGE ? 0 : -1;
}

static int st_swap_setup(struct st_swap *sw, const char *ext4)
{
	static char zero[1 << 16];
	char buf[4096];
	unsigned long pages = (64UL << 20) / PCI_PAGE, i;
	int fd;

	sw->ours = false;
	if (!st_read_file("/proc/swaps", buf, sizeof(buf)) && strchr(buf, '\n') &&
	    strchr(buf, '\n')[1]) {
		snprintf(sw->what, sizeof(sw->what), "the guest's own swap");
		return 0;
	}
	if (access("/sys/block/zram0", F_OK))
		if (system("modprobe zram num_devices=1 >/dev/null 2>&1")) {
			/* not built or not in the guest: try a swapfile */
		}
	if (!access("/sys/block/zram0/disksize", W_OK) &&
	    !pci_write_str("/sys/block/zram0/disksize", "128M")) {
		snprintf(sw->path, sizeof(sw->path), "/dev/zram0");
		snprintf(sw->what, sizeof(sw->what), "zram (128 MB, created by the test)");
		pages = (128UL << 20) / PCI_PAGE;
		fd = open(sw->path, O_RDWR);
	} else if (ext4) {
		snprintf(sw->path, sizeof(sw->path), "%s/pcistress.swap", ext4);
		snprintf(sw->what, sizeof(sw->what),
			 "a 64 MB swapfile on ext4 (created by the test)");
		/* Written, not fallocated: swapon refuses unwritten extents. */
		fd = open(sw->path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		for (i = 0; fd >= 0 && i < pages * PCI_PAGE / sizeof(zero); i++)
			if (write(fd, zero, sizeof(zero)) != sizeof(zero))
				return -errno;
	} else {
		return -ENOENT;
	}
	if (fd < 0)
		return -errno;
	if (st_mkswap(fd, pages) || fsync(fd)) {
		close(fd);
		return -errno;
	}
	close(fd);
	if (swapon(sw->path, 0))
		return -errno;
	sw->ours = true;
	return 0;
}

static void st_swap_teardown(struct st_swap *sw)
{
	if (!sw->ours)
		return;
	if (swapoff(sw->path))
		st_fail("swapoff %s: %m", sw->path);
	if (!strncmp(sw->path, "/dev/zram", 9))
		pci_write_str("/sys/block/zram0/reset", "1");
	else
		unlink(sw->path);
}

#endif /* PCI_STRESS_LOAD_H */
