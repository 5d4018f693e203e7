// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: several readers of every file in /sys/kernel/debug/pcinspect/
 * (listed at run time, so files added later are covered) run against the
 * workload of stress_load.h for PCI_STRESS_SECONDS (default 60); in the
 * last quarter the module is unloaded and reloaded under them. It passes
 * when no read takes longer than PCI_STRESS_READ_LIMIT seconds (default
 * 10), no reader meets an errno it should not, every byte written reads
 * back intact, the kernel reclaimed and swapped, unloading is refused
 * while a file is open and works once readers are gone, and, once the
 * machine is quiet, the reports agree with cachestat(2) (or mincore(2)
 * before 6.5). The runner fails it too if the kernel logs a warning.
 */
#include <dirent.h>
#include <sys/resource.h>
#include <sys/statfs.h>

#include "kselftest_harness.h"
#include "stress_load.h"

/* The runner's PCI_TEST_TIMEOUT bounds the test, not the harness. */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 7200

#define ST_TARGETS	64
#define CGROUP2_MAGIC	0x63677270

/* K_OTHER: a writable file this test does not know yet (write a query). */
enum st_kind { K_READ, K_SELECT, K_QUERY, K_FILES_QUERY, K_STDIN, K_OTHER };

static char st_targets[ST_TARGETS][256];
static int st_ntargets;

/* Queries refused with a known errno, whatever else is going on. */
static const struct { const char *q; int err; } st_bad[] = {
	{ "bogus /etc", EINVAL },
	{ "relative/path", EINVAL },
	{ "map fast /proc/self/exe", EINVAL },
	{ "offset=99999999999999999999 /proc/self/exe", ERANGE },
	{ "/no/such/file", ENOENT },
	{ "/tmp", EISDIR },
	{ "/dev/null", EINVAL },
};
static const char * const st_opts[] = { "", "map ", "fast ", "offset=4096 length=65536 " };
static const char * const st_files_good[] = { "", "fs=tmpfs", "fs=ext4 min=2", "top=5", "fs=bdev" };
static const char * const st_files_bad[] = { "bogus=1", "top=x", "dev=1" };

static enum st_kind st_kind_of(const char *name, mode_t mode)
{
	if (!strcmp(name, "select"))
		return K_SELECT;
	if (!strcmp(name, "files-query"))
		return K_FILES_QUERY;
	if (!strcmp(name, "stdin") || !strcmp(name, "stdin-map"))
		return K_STDIN;
	if (!strcmp(name, "query"))
		return K_QUERY;
	return mode & 0200 ? K_OTHER : K_READ;
}

/* While the module is being reloaded, its files come and go. */
static bool st_gone_errno(int err)
{
	return st->reloading &&
	       (err == ENOENT || err == ENXIO || err == EIO || err == ENODEV);
}

/* Read the whole file from offset 0 in chunks: bytes or -errno. */
static ssize_t st_drain(int fd, size_t chunk, const char *expect_head)
{
	static char buf[1 << 16];
	ssize_t n, total = 0;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	while ((n = read(fd, buf, chunk)) > 0) {
		if (!total && expect_head && n >= (ssize_t)strlen(expect_head) &&
		    strncmp(buf, expect_head, strlen(expect_head)))
			return -EBADMSG;
		total += n;
	}
	return n < 0 ? -errno : total;
}

/* One reader cycle; returns 0, or 1 for an expected error (counted). */
static int st_read_once(struct st_reader *r, enum st_kind kind, uint64_t *seed)
{
	static const size_t chunks[] = { 65536, 4096, 777, 65536 };
	char path[256], q[512] = "";
	const char *target = st_targets[st_rand(seed) % st_ntargets];
	const char *head = NULL;
	size_t chunk = chunks[st_rand(seed) % 4];
	int fd, tfd = -1, bad = -1, saved = -1, flags = O_RDONLY;
	ssize_t n = 0;
	int err = 0;

	snprintf(path, sizeof(path), PCI_DIR "/%s", r->file);
	if (kind == K_SELECT)
		flags = O_WRONLY;
	else if (kind == K_QUERY || kind == K_FILES_QUERY || kind == K_OTHER)
		flags = O_RDWR;
	if (!strcmp(r->file, "report") || kind == K_QUERY || kind == K_STDIN)
		head = "format: " PCI_FORMAT "\n";
	else if (!strcmp(r->file, "files") || kind == K_FILES_QUERY)
		head = "# pcinspect files format " PCI_FORMAT;
	if (kind == K_STDIN) {
		tfd = open(target, O_RDONLY | O_CLOEXEC);
		if (tfd < 0)
			return 1;	/* the workload unlinked it */
		saved = dup(0);
		dup2(tfd, 0);
	}
	fd = open(path, flags | O_CLOEXEC);
	if (kind == K_STDIN) {
		dup2(saved, 0);
		close(saved);
		close(tfd);
	}
	if (fd < 0) {
		err = errno;
		if (st_gone_errno(err) || (!strcmp(r->file, "report") &&
					   (err == ENODATA || err == ENOENT)) ||
		    (kind == K_OTHER && err == ENODATA))
			return 1;
		st_fail("open %s: %s", r->file, strerror(err));
		return 1;
	}
	if (kind == K_SELECT || kind == K_QUERY || kind == K_OTHER) {
		if (st_rand(seed) % 4 == 0) {
			bad = st_rand(seed) % (sizeof(st_bad) / sizeof(st_bad[0]));
			snprintf(q, sizeof(q), "%s", st_bad[bad].q);
		} else {
			snprintf(q, sizeof(q), "%s%s\n",
				 st_opts[st_rand(seed) % 4], target);
		}
	} else if (kind == K_FILES_QUERY) {
		if (st_rand(seed) % 4 == 0) {
			bad = st_rand(seed) % 3;
			snprintf(q, sizeof(q), "%s", st_files_bad[bad]);
		} else {
			snprintf(q, sizeof(q), "%s",
				 st_files_good[st_rand(seed) % 5]);
		}
	}
	if (kind != K_READ && kind != K_STDIN) {
		n = *q ? write(fd, q, strlen(q)) : 0;
		err = n < 0 ? errno : 0;
		if (kind == K_OTHER) {
			/* Its errors are not known here: the query ones only. */
			if (err && err != EINVAL && err != ENOENT && err != EISDIR &&
			    err != ERANGE && err != ENODATA)
				st_fail("%s: \"%s\": %s", r->file, q, strerror(err));
		} else if (bad >= 0) {
			int want = kind == K_FILES_QUERY ? EINVAL : st_bad[bad].err;

			if (err != want)
				st_fail("%s: \"%s\" gave %s, expected %s", r->file,
					q, strerror(err), strerror(want));
		} else if (err && err != ENOENT) {
			/* ENOENT: the target was unlinked or unmounted. */
			st_fail("%s: \"%s\": %s", r->file, q, strerror(err));
		}
	}
	if (kind != K_SELECT) {
		n = st_drain(fd, chunk, head);
		/* A failed write leaves a fresh query file with nothing to show. */
		if (n == -ENODATA && err && (kind == K_QUERY || kind == K_OTHER))
			n = 0;
		if (n < 0)
			st_fail("read %s (%s): %s", r->file, kind == K_READ ? "" : q,
				strerror(-n));
		else
			atomic_fetch_add(&r->bytes, n);
	}
	close(fd);
	return err ? 1 : 0;
}

/* *@p = max(*@p, @v), with other writers about. */
static void st_atomic_max(_Atomic uint64_t *p, uint64_t v)
{
	uint64_t cur = *p;

	while (v > cur && !atomic_compare_exchange_weak(p, &cur, v))
		;
}

static void st_reader_main(struct st_reader *r, enum st_kind kind, uint64_t seed)
{
	uint64_t t0, dt;

	while (!st->stop_read && st->failed < 20) {
		if (st->pause_read) {
			r->idle = 1;
			while (st->pause_read && !st->stop_read)
				usleep(2000);
			r->idle = 0;
		}
		t0 = st_now();
		r->busy_since = t0;
		if (st_read_once(r, kind, &seed))
			atomic_fetch_add(&r->errors, 1);
		else
			atomic_fetch_add(&r->reads, 1);
		dt = st_now() - t0;
		r->busy_since = 0;
		if (r->excused == t0) {
			/* Stalled outside pcinspect: counted apart. */
			atomic_fetch_add(&r->stalls_elsewhere, 1);
			st_atomic_max(&r->max_elsewhere_ns, dt);
		} else {
			st_atomic_max(&r->max_ns, dt);
		}
	}
}

/* The cycle (busy_since) each reader was last failed for; parent only. */
static uint64_t st_reported[ST_MAX_READERS];

/*
 * Whether a reader's kernel stack is in a pcinspect call: in the module,
 * or in the VFS opening, reading, writing or closing one of its files. A
 * stack that cannot be read counts as inside, so nothing is excused blind.
 */
static bool st_stack_inside(const char *stack, int err)
{
	static const char * const inside[] = {
		"[pcinspect]", "vfs_read", "vfs_write", "seq_read", "full_proxy",
		"debugfs_", "path_openat", "__fput", "filp_close",
	};
	unsigned int i;

	if (err)
		return true;
	for (i = 0; i < ARRAY_SIZE(inside); i++)
		if (strstr(stack, inside[i]))
			return true;
	return false;
}

/*
 * Fail and show where a reader hangs if one read took too long. From half
 * the limit on, each call samples the busy readers' kernel stacks: a cycle
 * over the limit fails if any sample caught it in a pcinspect call. One
 * that every sample found elsewhere (7.3 once held three readers 12 to 37
 * s in NUMA-hinting page faults of their own memory, on the return from a
 * syscall) is logged with its stack and counted apart, not against the
 * limit; it still fails if a later sample finds it inside.
 */
static void st_watchdog(uint64_t limit_ns, pid_t *pids)
{
	uint64_t now, b;
	char path[64], stack[2048];
	bool inside;
	int i, err;

	for (i = 0; i < st->nreaders; i++) {
		struct st_reader *r = &st->readers[i];

		/* The clock after the start time, or a new cycle looks negative. */
		b = r->busy_since;
		now = st_now();
		if (!b || now - b < limit_ns / 2 || pids[i] <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stack", pids[i]);
		err = st_read_file(path, stack, sizeof(stack));
		inside = st_stack_inside(stack, err);
		if (inside)
			r->seen_inside = b;
		if (now - b < limit_ns || b == st_reported[i])
			continue;
		if (r->seen_inside != b) {
			if (r->excused != b)
				fprintf(stderr, "# reader %d (%s): %llu s, held up elsewhere:\n%s",
					pids[i], r->file,
					(unsigned long long)((now - b) / 1000000000ULL),
					stack);
			r->excused = b;
			continue;
		}
		st_fail("a read of %s has taken %llu s (limit %llu s)", r->file,
			(unsigned long long)((now - b) / 1000000000ULL),
			(unsigned long long)(limit_ns / 1000000000ULL));
		if (!err)
			fprintf(stderr, "# stack of reader %d:\n%s", pids[i], stack);
		pci_write_str("/proc/sysrq-trigger", "w");
		st_reported[i] = b;	/* report it once */
	}
}

/* A child's kernel stack once it sleeps; @fd >= 0: blocked reading it. */
static int st_child_stack(int fd, char *stack, size_t size)
{
	char path[64], st_line[256];
	pid_t pid = fork();
	int i, err = -ETIMEDOUT;

	if (pid < 0)
		return -errno;
	if (!pid) {
		char c;

		if (fd >= 0 && read(fd, &c, 1) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	for (i = 0; i < 100; i++) {
		usleep(20000);
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (st_read_file(path, st_line, sizeof(st_line)))
			break;
		/* "pid (comm) S ...": sleeping. */
		if (strstr(st_line, ") S ")) {
			snprintf(path, sizeof(path), "/proc/%d/stack", pid);
			err = st_read_file(path, stack, size);
			break;
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return err;
}

/*
 * The watchdog excuses a slow cycle only when the reader's stack is
 * outside pcinspect: the stacks of this kernel must read that way.
 */
TEST(watchdog_tells_pcinspect_stacks_from_others)
{
	/* The stack 7.3 showed for a reader held up in a page fault. */
	static const char numa_fault[] =
		"[<0>] clear_highpages_kasan_tagged+0x23/0x30\n"
		"[<0>] migrate_misplaced_folio+0xdc/0x220\n"
		"[<0>] do_user_addr_fault+0x1b1/0x830\n"
		"[<0>] __rseq_handle_slowpath+0xef/0x240\n"
		"[<0>] exit_to_user_mode_loop+0x133/0x5a0\n"
		"[<0>] do_syscall_64+0x232/0x570\n";
	char stack[2048];
	int p[2];

	EXPECT_FALSE(st_stack_inside(numa_fault, 0));
	EXPECT_TRUE(st_stack_inside("[<0>] pcinspect_lru_walk+0x1/0x2 [pcinspect]\n", 0));
	EXPECT_TRUE(st_stack_inside("", -EACCES));
	/* A sleeping child, outside any read. */
	ASSERT_EQ(0, st_child_stack(-1, stack, sizeof(stack)));
	EXPECT_FALSE(st_stack_inside(stack, 0)) TH_LOG("pause():\n%s", stack);
	/* A child blocked in read(2): the VFS read path shows. */
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(0, st_child_stack(p[0], stack, sizeof(stack)));
	EXPECT_TRUE(st_stack_inside(stack, 0)) TH_LOG("read():\n%s", stack);
	close(p[0]);
	close(p[1]);
}

/* Wait for children, watching the readers; false if some did not end. */
static bool st_reap(pid_t *pids, int n, int secs, uint64_t limit_ns,
		    pid_t *rpids)
{
	uint64_t end = st_now() + secs * 1000000000ULL;
	int i, left;

	do {
		left = 0;
		for (i = 0; i < n; i++) {
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = 0;
			if (pids[i] > 0)
				left++;
		}
		if (rpids)
			st_watchdog(limit_ns, rpids);
		if (left)
			usleep(100000);
	} while (left && st_now() < end);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	return !left;
}

/* Dying memcgs below the root now (removed, still holding pages). */
static long st_dying(void)
{
	char buf[512], *p;

	if (st_read_file(ST_CG_ROOT "/cgroup.stat", buf, sizeof(buf)))
		return -1;
	p = strstr(buf, "nr_dying_descendants ");
	return p ? strtol(p + 21, NULL, 10) : -1;
}

static bool st_all_idle(void)
{
	int i;

	for (i = 0; i < st->nreaders; i++)
		if (!st->readers[i].idle)
			return false;
	return true;
}

static int st_unload(void)
{
	return syscall(__NR_delete_module, "pcinspect", O_NONBLOCK) ? errno : 0;
}

/*
 * Compare one quiet file's report with cachestat(2), bracketing the
 * report between two identical cachestat calls so a late writeback
 * cannot make them differ; mincore(2) for cached pages before 6.5.
 */
static int st_oracle(const char *path, bool shmem, char *rep, char *why,
		     size_t wlen)
{
	struct pci_cachestat c1, c2;
	struct stat sb;
	long m1, m2, low;
	/* The default readahead window, 128 KiB: 32 pages of 4 KiB. */
	long ra_window = (128L << 10) / PCI_PAGE;
	int fd, tries;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb))
		return snprintf(why, wlen, "%.200s: %m", path), -1;
	for (tries = 0; tries < 10; tries++) {
		if (pci_have_cachestat()) {
			if (pci_cachestat(fd, &c1) ||
			    pci_report("", path, rep, PCI_REPORT_MAX) < 0 ||
			    pci_cachestat(fd, &c2))
				break;
			if (memcmp(&c1, &c2, sizeof(c1)))
				continue;
			if (pci_get(rep, "cached") != (long long)c1.nr_cache ||
			    pci_get(rep, "dirty") != (long long)c1.nr_dirty ||
			    pci_get(rep, "writeback") != (long long)c1.nr_writeback ||
			    (!shmem && pci_get(rep, "evicted") != (long long)c1.nr_evicted)) {
				snprintf(why, wlen,
					 "%.200s: pcinspect cached %lld dirty %lld writeback %lld evicted %lld, cachestat %llu %llu %llu %llu",
					 path, pci_get(rep, "cached"), pci_get(rep, "dirty"),
					 pci_get(rep, "writeback"), pci_get(rep, "evicted"),
					 (unsigned long long)c1.nr_cache,
					 (unsigned long long)c1.nr_dirty,
					 (unsigned long long)c1.nr_writeback,
					 (unsigned long long)c1.nr_evicted);
				close(fd);
				return -1;
			}
		} else {
			size_t pages = (sb.st_size + PCI_PAGE - 1) / PCI_PAGE;
			char opt[64];

			/* mincore sees only the mapping: compare up to EOF. */
			if (!sb.st_size)
				break;
			snprintf(opt, sizeof(opt), "length=%lld", (long long)sb.st_size);
			m1 = pci_mincore_count(fd, pages);
			if (pci_report(opt, path, rep, PCI_REPORT_MAX) < 0)
				break;
			m2 = pci_mincore_count(fd, pages);
			if (m1 != m2)
				continue;
			/*
			 * mincore() counts only uptodate folios, pcinspect (like
			 * cachestat) every folio in the cache: readahead still
			 * in flight is cached to one, not yet to the other. Give
			 * it time, then allow at most one readahead window.
			 */
			if (pci_get(rep, "cached") != m1 && tries < 9) {
				usleep(100000);
				continue;
			}
			/*
			 * On tmpfs mincore() also counts pages that are in the
			 * swap cache (swapped out and not yet freed, or read in
			 * by swap readahead but not mapped back): in the file's
			 * xarray they are swap entries, counted as swapped.
			 */
			low = m1 - (shmem ? pci_get(rep, "swapped") : 0);
			if (pci_get(rep, "cached") < low ||
			    pci_get(rep, "cached") > m1 + ra_window) {
				snprintf(why, wlen, "%.200s: pcinspect cached %lld (swapped %lld), mincore %ld, of %zu pages (%lld cached in all)",
					 path, pci_get(rep, "cached"),
					 pci_get(rep, "swapped"), m1, pages,
					 pci_get(rep, "nrpages"));
				close(fd);
				return -1;
			}
			if (pci_get(rep, "cached") > m1)
				fprintf(stderr, "# %s: %lld cached pages not yet uptodate for mincore\n",
					path, pci_get(rep, "cached") - m1);
			else if (pci_get(rep, "cached") < m1)
				fprintf(stderr, "# %s: mincore counts %lld more: swap-cache pages of its %lld swap entries\n",
					path, m1 - pci_get(rep, "cached"),
					pci_get(rep, "swapped"));
			if (pci_get(rep, "nrpages") != pci_get(rep, "cached"))
				fprintf(stderr, "# %s: %lld pages cached beyond EOF (%zu pages)\n",
					path, pci_get(rep, "nrpages") - pci_get(rep, "cached"),
					pages);
			close(fd);
			return 0;
		}
		if (pci_get(rep, "nrpages") != pci_get(rep, "cached")) {
			snprintf(why, wlen, "%.200s: nrpages %lld but cached %lld", path,
				 pci_get(rep, "nrpages"), pci_get(rep, "cached"));
			close(fd);
			return -1;
		}
		close(fd);
		return 0;
	}
	close(fd);
	if (!sb.st_size && !pci_have_cachestat())
		return 0;	/* nothing mincore could see */
	return snprintf(why, wlen, "%.200s: never quiet, or the query failed", path), -1;
}

/* Golden files: random content, checksummed once. */
static void st_make_golden(struct __test_metadata *_metadata, const char *path,
			   unsigned long pages, uint64_t *seed, uint64_t *sum)
{
	uint64_t buf[PCI_PAGE_MAX / 8];
	unsigned long i;
	int j, fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	ASSERT_LE(0, fd) TH_LOG("%s: %m", path);
	for (i = 0; i < pages; i++) {
		for (j = 0; j < (int)(PCI_PAGE / 8); j++)
			buf[j] = st_rand(seed);
		ASSERT_EQ((ssize_t)PCI_PAGE, pwrite(fd, buf, PCI_PAGE, i * PCI_PAGE));
	}
	ASSERT_EQ(0, fsync(fd));
	close(fd);
	ASSERT_EQ(0, st_checksum(path, sum));
}

static bool st_cgroup2(void)
{
	struct statfs sf;

	if (statfs(ST_CG_ROOT, &sf) || sf.f_type != CGROUP2_MAGIC) {
		if (mount("cgroup2", ST_CG_ROOT, "cgroup2", 0, NULL))
			return false;
	}
	pci_write_str(ST_CG_ROOT "/cgroup.subtree_control", "+memory");
	return access(ST_CG_ROOT "/cgroup.controllers", R_OK) == 0;
}

/* The spare disk as a fresh ext4 for mount cycles, if mkfs is there. */
static const char *st_spare(void)
{
	const char *dev = getenv("PCI_SPARE_DEV");
	char cmd[256];
	struct stat sb;

	if (!dev || stat(dev, &sb) || !S_ISBLK(sb.st_mode))
		return NULL;
	snprintf(cmd, sizeof(cmd),
		 "mkfs.ext4 -q -F %s >/dev/null 2>&1 || mke2fs -q %s >/dev/null 2>&1",
		 dev, dev);
	return system(cmd) == 0 ? dev : NULL;
}

TEST(stress)
{
	long secs = st_env("PCI_STRESS_SECONDS", 60);
	long per_file = st_env("PCI_STRESS_READERS", 2);
	/* The KASAN kernel lists all files ~10 times slower: 18 s seen. */
	uint64_t limit_ns = st_env("PCI_STRESS_READ_LIMIT", st_kasan() ? 60 : 10) *
			    1000000000ULL;
	uint64_t seed = st_env("PCI_STRESS_SEED", time(NULL)), s = seed;
	const char *ext4 = getenv("PCI_EXT4"), *tmpfs = getenv("PCI_TMPFS");
	const char *spare;
	char ext4_dir[128], tmpfs_dir[128], golden[2][256], mglru_saved[32] = "";
	char *rep = malloc(PCI_REPORT_MAX), why[512];
	uint64_t sums[2], t_start, t_end, max_ns = 0;
	pid_t workers[16], readers[ST_MAX_READERS];
	int nworkers = 0, i, err, fd, checked = 0, tick = 0;
	long long swp0, swp1;
	long max_dying = 0;
	struct st_swap sw = { "", "", false };
	bool mglru, cgroups, ok;
	struct dirent *de;
	struct stat sb;
	DIR *d;

	ASSERT_NE(NULL, rep);
	ASSERT_EQ(0, pci_ensure_module());
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, st);
	if (!ext4 || !*ext4)
		ext4 = NULL;
	if (!tmpfs || !*tmpfs)
		tmpfs = "/dev/shm";
	snprintf(ext4_dir, sizeof(ext4_dir), "%s/pcistress", ext4 ? ext4 : tmpfs);
	snprintf(tmpfs_dir, sizeof(tmpfs_dir), "%s/pcistress", tmpfs);
	mkdir(ext4_dir, 0700);
	mkdir(tmpfs_dir, 0700);
	mkdir(ST_MNT_TMPFS, 0700);
	mkdir(ST_MNT_EXT4, 0700);
	TH_LOG("seed %llu (PCI_STRESS_SEED), %ld s (PCI_STRESS_SECONDS), read limit %llu s",
	       (unsigned long long)seed, secs, limit_ns / 1000000000ULL);

	snprintf(golden[0], 256, "%s/golden", ext4_dir);
	snprintf(golden[1], 256, "%s/golden", tmpfs_dir);
	for (i = 0; i < 2; i++)
		st_make_golden(_metadata, golden[i], 512, &s, &sums[i]);

	err = st_swap_setup(&sw, ext4);
	ASSERT_EQ(0, err) TH_LOG("no swap could be set up: %s", strerror(-err));
	TH_LOG("swap: %s", sw.what);
	cgroups = st_cgroup2();
	ASSERT_TRUE(cgroups) TH_LOG("cgroup2 with the memory controller is needed");
	mglru = !st_read_file(ST_MGLRU, mglru_saved, sizeof(mglru_saved));
	mglru_saved[strcspn(mglru_saved, "\n")] = '\0';
	TH_LOG("MGLRU switch: %s", mglru ? mglru_saved : "absent (not switched)");
	spare = st_spare();
	TH_LOG("mount cycles: tmpfs%s", spare ? " and ext4 on the spare disk" :
	       " only (no spare disk or mkfs.ext4)");

	/* What the readers ask about: every kind of file the load touches. */
	for (i = 0; i < 2; i++) {
		int id, k;

		for (id = 0; id < 2; id++)
			for (k = 0; k < ST_FILES; k++)
				st_path(st_targets[st_ntargets++], 256,
					i ? tmpfs_dir : ext4_dir, i * 2 + id, k);
		snprintf(st_targets[st_ntargets++], 256, "%s/m%d",
			 i ? tmpfs_dir : ext4_dir, i);
		/* Same size: a copy, which gcc cannot see truncate. */
		memcpy(st_targets[st_ntargets++], golden[i], sizeof(golden[i]));
		snprintf(st_targets[st_ntargets++], 256, "%s/cg%d", tmpfs_dir, i);
	}
	snprintf(st_targets[st_ntargets++], 256, ST_MNT_TMPFS "/f");
	snprintf(st_targets[st_ntargets++], 256, ST_MNT_EXT4 "/f");
	if (ext4 && getenv("PCI_EXT4_DEV"))
		snprintf(st_targets[st_ntargets++], 256, "%s", getenv("PCI_EXT4_DEV"));

	/* Readers: per_file of them for each file the module has now. */
	d = opendir(PCI_DIR);
	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		char path[300];

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), PCI_DIR "/%s", de->d_name);
		ASSERT_EQ(0, stat(path, &sb));
		ASSERT_GT(ST_NAME, strlen(de->d_name));
		for (i = 0; i < per_file && st->nreaders < ST_MAX_READERS; i++)
			strcpy(st->readers[st->nreaders++].file, de->d_name);
	}
	closedir(d);
	ASSERT_LT(0, st->nreaders);

	swp0 = st_vmstat("pswpout");
	t_start = st_now();
	for (i = 0; i < 8; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (i < 4)
				st_file_worker(i < 2 ? ext4_dir : tmpfs_dir, i, seed + i);
			else if (i < 6)
				st_mmap_worker(i == 4 ? ext4_dir : tmpfs_dir, i - 4, seed + i);
			else if (i == 6)
				st_golden_worker(golden, sums, 2);
			else
				st_sys_worker(mglru);
			_exit(0);
		}
		workers[nworkers++] = pid;
	}
	workers[nworkers] = fork();
	ASSERT_LE(0, workers[nworkers]);
	if (workers[nworkers] == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		st_memcg_worker(tmpfs_dir, golden[0], cgroups);
		_exit(0);
	}
	nworkers++;
	workers[nworkers] = fork();
	ASSERT_LE(0, workers[nworkers]);
	if (workers[nworkers] == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		st_memcg_churn_worker(golden[0]);
		_exit(0);
	}
	nworkers++;
	workers[nworkers] = fork();
	ASSERT_LE(0, workers[nworkers]);
	if (workers[nworkers] == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		st_mount_worker(spare);
		_exit(0);
	}
	nworkers++;
	for (i = 0; i < st->nreaders; i++) {
		struct st_reader *r = &st->readers[i];
		char path[300];

		snprintf(path, sizeof(path), PCI_DIR "/%s", r->file);
		stat(path, &sb);
		readers[i] = fork();
		ASSERT_LE(0, readers[i]);
		if (readers[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			st_reader_main(r, st_kind_of(r->file, sb.st_mode),
				       seed * 31 + i);
			_exit(0);
		}
	}
	TH_LOG("%d readers over the files of " PCI_DIR ", %d workload processes",
	       st->nreaders, nworkers);

	/* Three quarters of the time: readers and load only. */
	while (st_now() - t_start < secs * 750000000ULL && !st->failed) {
		st_watchdog(limit_ns, readers);
		if (st_dying() > max_dying)
			max_dying = st_dying();
		usleep(100000);
	}

	/* An open pcinspect file pins the module. */
	fd = open(PCI_DIR "/version", O_RDONLY);
	EXPECT_LE(0, fd);
	err = st_unload();
	EXPECT_TRUE(err == EWOULDBLOCK || err == EBUSY)
		TH_LOG("unload with a file open: %s", err ? strerror(err) : "succeeded");
	close(fd);

	/*
	 * The last quarter: try to unload under the readers (refused while
	 * any of them has a file open, done if none happens to), and every
	 * second pause them, closed, so that unloading must work, reload and
	 * let them meet the new module.
	 */
	st->reloading = 1;
	/*
	 * On past the end, up to 60 s, until both a reload and a refusal
	 * were seen: readers held up outside pcinspect can eat the quarter.
	 */
	while (!st->failed &&
	       (st_now() - t_start < secs * 1000000000ULL ||
		((!st->ops[OP_RELOAD] || !st->ops[OP_UNLOAD_REFUSED]) &&
		 st_now() - t_start < (secs + 60) * 1000000000ULL))) {
		bool paused = ++tick % 20 == 0;

		if (paused) {
			st->pause_read = 1;
			while (!st_all_idle() && !st->failed) {
				st_watchdog(limit_ns, readers);
				usleep(5000);
			}
		}
		err = st_unload();
		if (!err) {
			st_count(OP_RELOAD);
			if (!access(PCI_DIR, F_OK))
				st_fail("unloaded, but " PCI_DIR " is still there");
			err = pci_ensure_module();
			if (err)
				st_fail("reload: %s", strerror(-err));
		} else if (paused) {
			st_fail("unload with every reader closed: %s", strerror(err));
		} else if (err == EWOULDBLOCK || err == EBUSY) {
			st_count(OP_UNLOAD_REFUSED);
		} else {
			st_fail("unload: %s", strerror(err));
		}
		st->pause_read = 0;
		st_watchdog(limit_ns, readers);
		usleep(50000);
	}

	/* Readers closed: unloading must work, with the load still on. */
	st->stop_read = 1;
	ok = st_reap(readers, st->nreaders, limit_ns / 1000000000ULL + 30,
		     limit_ns, readers);
	EXPECT_TRUE(ok) TH_LOG("readers did not stop");
	err = st_unload();
	EXPECT_EQ(0, err) TH_LOG("unload after the readers closed: %s", strerror(err));
	EXPECT_NE(0, access(PCI_DIR, F_OK));
	EXPECT_EQ(0, pci_ensure_module());
	EXPECT_LT(0, pci_report("", golden[0], rep, PCI_REPORT_MAX));
	st->stop_work = 1;
	ok = st_reap(workers, nworkers, 120, 0, NULL);
	EXPECT_TRUE(ok) TH_LOG("workload processes did not stop within 120 s");
	t_end = st_now();
	swp1 = st_vmstat("pswpout");
	st_swap_teardown(&sw);
	if (mglru)
		pci_write_str(ST_MGLRU, mglru_saved);
	umount2(ST_MNT_TMPFS, MNT_DETACH);
	umount2(ST_MNT_EXT4, MNT_DETACH);

	/* Quiet now: the golden files still hold what was written. */
	for (i = 0; i < 2; i++) {
		uint64_t sum = 0;

		EXPECT_EQ(0, st_checksum(golden[i], &sum));
		EXPECT_EQ(sums[i], sum) TH_LOG("golden file %s changed", golden[i]);
	}

	/*
	 * Oracles: some pages evicted (shadows), some cached, some dirty,
	 * in every file the load left behind.
	 */
	sync();
	for (i = 0; i < st_ntargets; i++) {
		const char *t = st_targets[i];
		bool shmem = !strncmp(t, tmpfs_dir, strlen(tmpfs_dir));

		if (stat(t, &sb) || !S_ISREG(sb.st_mode) ||
		    !strncmp(t, "/tmp/pcistress-", 15))
			continue;
		fd = open(t, O_RDWR);
		if (fd < 0)
			continue;
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		pci_read_pages(fd, 0, sb.st_size / PCI_PAGE / 2);
		if (i % 2 && sb.st_size >= (off_t)(4 * PCI_PAGE))
			pci_fill(fd, 0, 1);	/* a dirty page */
		close(fd);
		if (st_oracle(t, shmem, rep, why, sizeof(why))) {
			EXPECT_TRUE(false) TH_LOG("%s", why);
		}
		checked++;
	}

	/* The next tests start from clean filesystems. */
	snprintf(why, sizeof(why), "rm -rf %s %s", ext4_dir, tmpfs_dir);
	if (system(why))
		TH_LOG("could not remove the load's files");

	TH_LOG("ran %.1f s with %d readers; the module was reloaded %llu times, unload refused %llu times",
	       (t_end - t_start) / 1e9, st->nreaders,
	       (unsigned long long)st->ops[OP_RELOAD],
	       (unsigned long long)st->ops[OP_UNLOAD_REFUSED]);
	for (i = 0; i < OP_NR; i++)
		TH_LOG("  %-15s %llu", st_op_name[i], (unsigned long long)st->ops[i]);
	for (i = 0; i < st->nreaders; i++) {
		struct st_reader *r = &st->readers[i];

		TH_LOG("  reader %-12s %6llu reads %5llu expected errors %9llu bytes max %.3f s",
		       r->file, (unsigned long long)r->reads,
		       (unsigned long long)r->errors, (unsigned long long)r->bytes,
		       r->max_ns / 1e9);
		if (r->stalls_elsewhere)
			TH_LOG("  reader %-12s %6llu cycles held up elsewhere, longest %.3f s",
			       r->file, (unsigned long long)r->stalls_elsewhere,
			       r->max_elsewhere_ns / 1e9);
		if (r->max_ns > max_ns)
			max_ns = r->max_ns;
		EXPECT_LT(0, r->reads) TH_LOG("no read of %s succeeded", r->file);
	}
	TH_LOG("max read latency %.3f s (limit %llu s); swapped out %lld pages; up to %ld dying memcgs; %d files checked against %s",
	       max_ns / 1e9, limit_ns / 1000000000ULL, swp1 - swp0, max_dying,
	       checked, pci_have_cachestat() ? "cachestat" : "mincore");

	EXPECT_EQ(0, st->failed) TH_LOG("%d failures, the first: %s", st->failed, st->why);
	EXPECT_LT(max_ns, limit_ns);
	EXPECT_LT(0, swp1 - swp0) TH_LOG("the pressure never made the kernel swap");
	EXPECT_LT(4, checked);
	EXPECT_LT(0, max_dying) TH_LOG("no dying memcg was seen");
	for (i = 0; i < OP_NR; i++) {
		if ((i == OP_MGLRU && !mglru) || i == OP_UMOUNT_BUSY ||
		    i == OP_RELOAD || i == OP_UNLOAD_REFUSED)
			continue;
		EXPECT_LT(0, st->ops[i]) TH_LOG("no %s was done", st_op_name[i]);
	}
	EXPECT_LT(0, st->ops[OP_RELOAD]) TH_LOG("the module was never reloaded under load");
	EXPECT_LT(0, st->ops[OP_UNLOAD_REFUSED]) TH_LOG("unloading was never refused");
	munmap(st, sizeof(*st));
	free(rep);
}

TEST_HARNESS_MAIN
