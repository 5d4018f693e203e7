// SPDX-License-Identifier: GPL-2.0
/*
 * Per-file report on ext4, xfs, btrfs and tmpfs, checked against oracles
 * taken on the same file at the same moment: mincore(2) for residency (all
 * kernels), cachestat(2) for cached/dirty/writeback/evicted (6.5+), and
 * /proc/meminfo for dirty totals.
 */
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/swap.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define TMPFS_MAGIC	0x01021994

FIXTURE(fs) {
	char path[512];
	char swapfile[512];	/* swap the test turned on, off in teardown */
	char *rep;
	bool tmpfs;
	bool cachestat;
};

FIXTURE_VARIANT(fs) {
	const char *env;	/* the guest exports the mount point here */
	const char *mnt;
};

FIXTURE_VARIANT_ADD(fs, ext4) { .env = "PCI_EXT4", .mnt = "/mnt/ext4" };
FIXTURE_VARIANT_ADD(fs, xfs) { .env = "PCI_XFS", .mnt = "/mnt/xfs" };
FIXTURE_VARIANT_ADD(fs, btrfs) { .env = "PCI_BTRFS", .mnt = "/mnt/btrfs" };
FIXTURE_VARIANT_ADD(fs, tmpfs) { .env = "PCI_TMPFS", .mnt = "/mnt/tmpfs" };

FIXTURE_SETUP(fs)
{
	const char *mnt = getenv(variant->env);
	struct statfs sfs;

	if (!mnt)
		mnt = variant->mnt;
	if (!*mnt || statfs(mnt, &sfs))
		SKIP(return, "%s is not mounted", variant->mnt);
	ASSERT_EQ(0, pci_ensure_module());
	self->tmpfs = sfs.f_type == TMPFS_MAGIC;
	self->cachestat = pci_have_cachestat();
	snprintf(self->path, sizeof(self->path), "%s/report_test.%d", mnt,
		 getpid());
	unlink(self->path);
	self->rep = malloc(PCI_REPORT_MAX);
	ASSERT_NE(NULL, self->rep);
}

FIXTURE_TEARDOWN(fs)
{
	unlink(self->path);
	free(self->rep);
	if (self->swapfile[0]) {
		if (swapoff(self->swapfile))
			TH_LOG("swapoff %s: %s", self->swapfile, strerror(errno));
		unlink(self->swapfile);
	}
}

/* Take the report with options and check the fields every report has. */
static void report(struct __test_metadata *_metadata, FIXTURE_DATA(fs) *self,
		   const char *opts)
{
	ssize_t n = pci_report(opts, self->path, self->rep, PCI_REPORT_MAX);

	ASSERT_LT(0, n) TH_LOG("report %s: %s", self->path, strerror(-n));
	ASSERT_EQ(PCI_FORMAT_NUM, pci_get(self->rep, "format"));
	ASSERT_LE(0, pci_get(self->rep, "cached"));
}

/*
 * Compare the report with cachestat(2) taken right after it. Both read the
 * same xarray, so on a file nobody else touches they agree exactly.
 */
static void check_cachestat(struct __test_metadata *_metadata,
			    FIXTURE_DATA(fs) *self, int fd)
{
	struct pci_cachestat cs;

	if (!self->cachestat) {
		TH_LOG("no cachestat(2) on this kernel: compared with mincore only");
		return;
	}
	ASSERT_EQ(0, pci_cachestat(fd, &cs));
	EXPECT_EQ(cs.nr_cache, pci_get(self->rep, "cached"));
	EXPECT_EQ(cs.nr_dirty, pci_get(self->rep, "dirty"));
	EXPECT_EQ(cs.nr_writeback, pci_get(self->rep, "writeback"));
	/* cachestat counts a tmpfs swap entry as evicted. */
	EXPECT_EQ(cs.nr_evicted, pci_get(self->rep, "evicted") +
		  (self->tmpfs ? pci_get(self->rep, "swapped") : 0));
}

/* Internal consistency that holds for every detailed report. */
static void check_sums(struct __test_metadata *_metadata, const char *rep)
{
	long long cached = pci_get(rep, "cached");

	EXPECT_EQ(cached, pci_sum(rep, "order", ".pages"));
	EXPECT_EQ(cached, pci_sum(rep, "node", ".cached"));
	EXPECT_EQ(pci_get(rep, "evicted"),
		  pci_sum(rep, "node", ".evicted"));
	EXPECT_GE(pci_get(rep, "lru"),
		  pci_get(rep, "active") + pci_get(rep, "inactive"));
	EXPECT_GE(cached, pci_get(rep, "lru"));
	EXPECT_GE(cached, pci_get(rep, "mapped"));
}

/*
 * The page map against mincore's per-page vector: every page the map calls
 * cached, dirty or writeback is resident and every other page is not.
 * Returns the number of resident pages.
 */
static long check_map(struct __test_metadata *_metadata, const char *rep,
		      int fd, unsigned long pages)
{
	static struct pci_run runs[65536];
	unsigned char *vec = calloc(pages + 1, 1);
	unsigned long p, next = 0, resident = 0;
	int n, i;

	n = pci_map(rep, runs, 65536);
	EXPECT_LE(0, n);
	if (n < 0) {
		free(vec);
		return -1;
	}
	EXPECT_EQ(0, pci_mincore(fd, pages, vec));
	for (i = 0; i < n; i++) {
		bool in = strcmp(runs[i].state, "hole") &&
			  strcmp(runs[i].state, "evicted") &&
			  strcmp(runs[i].state, "swapped");

		/* Runs are ordered, disjoint and cover the file gaplessly. */
		EXPECT_EQ(next, runs[i].first);
		EXPECT_LE(runs[i].first, runs[i].last);
		next = runs[i].last + 1;
		for (p = runs[i].first; p <= runs[i].last && p < pages; p++) {
			if ((vec[p] & 1) != in)
				break;
			resident += in;
		}
		EXPECT_TRUE(p > runs[i].last || p >= pages)
			TH_LOG("page %lu: map says %s, mincore says %d", p,
			       runs[i].state, vec[p] & 1);
	}
	EXPECT_GE(next, pages);
	free(vec);
	return resident;
}

/* A file read completely is cached completely, and nothing is dirty. */
TEST_F(fs, fully_cached)
{
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 1024));
	pci_drop_cache(fd);
	ASSERT_EQ(0, pci_read_pages(fd, 0, 1024));
	report(_metadata, self, "");
	EXPECT_EQ(1024, pci_get(self->rep, "cached"));
	EXPECT_EQ(1024, pci_mincore_count(fd, 1024));
	EXPECT_EQ(pci_get(self->rep, "nrpages"), pci_get(self->rep, "cached"));
	EXPECT_EQ(0, pci_get(self->rep, "dirty"));
	EXPECT_EQ(0, pci_get(self->rep, "writeback"));
	EXPECT_EQ(1024 * PCI_PAGE, pci_get(self->rep, "size"));
	EXPECT_EQ(0, pci_get(self->rep, "deleted"));
	check_cachestat(_metadata, self, fd);
	check_sums(_metadata, self->rep);
	close(fd);
}

/*
 * Folio sizes against /proc/kpageflags: the pages of each order that the
 * report counts are the pages /proc/kpageflags shows in folios of that
 * order (compound head + tails). 7.2's ext4 and xfs use large folios;
 * elsewhere everything is order 0, which must agree too.
 */
TEST_F(fs, folio_orders_match_kpageflags)
{
	long kp[13];
	char key[32];
	int fd = open(self->path, O_RDWR | O_CREAT, 0600), o;
	long large = 0;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 2048));
	pci_drop_cache(fd);
	ASSERT_EQ(0, pci_read_pages(fd, 0, 2048));
	if (access("/proc/kpageflags", R_OK))
		SKIP(close(fd); return, "no /proc/kpageflags");
	ASSERT_EQ(2048, pci_kpage_orders(fd, 2048, kp, 12));
	report(_metadata, self, "");
	EXPECT_EQ(2048, pci_get(self->rep, "cached"));
	for (o = 0; o <= 12; o++) {
		long long got;

		snprintf(key, sizeof(key), "order%d.pages", o);
		got = pci_get(self->rep, key);
		EXPECT_EQ(kp[o], got < 0 ? 0 : got) TH_LOG("order %d", o);
		if (o)
			large += kp[o];
	}
	TH_LOG("%ld of 2048 pages in large folios", large);
	close(fd);
}

/* A sparse file: three written pages in 64 MiB of holes. */
TEST_F(fs, sparse)
{
	unsigned long pages = 16384;
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, pages * PCI_PAGE));
	ASSERT_EQ(0, pci_fill(fd, 0, 1));
	ASSERT_EQ(0, pci_fill(fd, 2560, 1));
	ASSERT_EQ(0, pci_fill(fd, pages - 1, 1));
	fsync(fd);
	report(_metadata, self, "map");
	EXPECT_EQ(pci_mincore_count(fd, pages), pci_get(self->rep, "cached"));
	EXPECT_EQ(pci_get(self->rep, "cached"),
		  check_map(_metadata, self->rep, fd, pages));
	EXPECT_LE(3, pci_get(self->rep, "cached"));
	EXPECT_GE(64, pci_get(self->rep, "cached"));
	check_cachestat(_metadata, self, fd);
	close(fd);
}

/* Partly read ranges: the map matches mincore page by page. */
TEST_F(fs, partial_read)
{
	char opts[64];
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 1024));
	pci_drop_cache(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	ASSERT_EQ(0, pci_read_pages(fd, 16, 16));
	ASSERT_EQ(0, pci_read_pages(fd, 100, 100));
	ASSERT_EQ(0, pci_read_pages(fd, 1023, 1));
	report(_metadata, self, "map");
	EXPECT_EQ(pci_mincore_count(fd, 1024), pci_get(self->rep, "cached"));
	EXPECT_EQ(pci_get(self->rep, "cached"),
		  check_map(_metadata, self->rep, fd, 1024));
	EXPECT_LE(117, pci_get(self->rep, "cached"));
	check_cachestat(_metadata, self, fd);
	check_sums(_metadata, self->rep);

	/* A byte range counts only its own pages: [16, 31] here. */
	snprintf(opts, sizeof(opts), "offset=%lu length=%lu", 16 * PCI_PAGE,
		 16 * PCI_PAGE);
	report(_metadata, self, opts);
	EXPECT_EQ(16, pci_get(self->rep, "cached"));
	close(fd);
}

/*
 * Dirty pages from write(): the dirty mark on every page written, seen by
 * cachestat and by /proc/meminfo's Dirty; fsync() clears them all.
 */
TEST_F(fs, dirty_write)
{
	long before, after, kb = PCI_PAGE / 1024;
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	/*
	 * Earlier tests' dirty data and the metadata their journal commits
	 * dirtied would be cleaned by the flusher while we measure, making
	 * Dirty grow less than our pages (1000 kB for 1024 on the debug
	 * kernel once): write it all first, twice for anything the first
	 * pass's journal commits left dirty.
	 */
	sync();
	sync();
	before = pci_meminfo("Dirty");
	ASSERT_EQ(0, pci_fill(fd, 0, 256));
	report(_metadata, self, "");
	after = pci_meminfo("Dirty");
	EXPECT_EQ(256, pci_get(self->rep, "cached"));
	if (self->tmpfs) {
		/* shmem sets PG_dirty but never the xarray dirty mark. */
		EXPECT_EQ(0, pci_get(self->rep, "dirty"));
		EXPECT_EQ(256, pci_get(self->rep, "dirty_flag"));
	} else {
		EXPECT_EQ(256, pci_get(self->rep, "dirty"));
		EXPECT_EQ(256, pci_get(self->rep, "dirty_flag"));
		/*
		 * Exact counters (see pci_meminfo), but the filesystem may
		 * dirty metadata meanwhile: at least our pages, at most a
		 * little more (128 pages).
		 */
		EXPECT_LE(256 * kb, after - before)
			TH_LOG("meminfo Dirty grew %ld kB", after - before);
		EXPECT_GE((256 + 128) * kb, after - before)
			TH_LOG("meminfo Dirty grew %ld kB", after - before);
	}
	check_cachestat(_metadata, self, fd);
	ASSERT_EQ(0, fsync(fd));
	report(_metadata, self, "");
	EXPECT_EQ(0, pci_get(self->rep, "dirty"));
	EXPECT_EQ(0, pci_get(self->rep, "writeback"));
	check_cachestat(_metadata, self, fd);
	close(fd);
}

/* Dirty pages from stores through a shared mapping. */
TEST_F(fs, dirty_mmap)
{
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);
	char *map;
	int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 64));
	ASSERT_EQ(0, fsync(fd));
	map = mmap(NULL, 64 * PCI_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (i = 0; i < 64; i += 2)
		map[i * PCI_PAGE] = 1;
	report(_metadata, self, "map");
	EXPECT_EQ(64, pci_get(self->rep, "cached"));
	if (!self->tmpfs)
		EXPECT_EQ(32, pci_get(self->rep, "dirty"));
	EXPECT_LE(32, pci_get(self->rep, "mapped"));
	check_cachestat(_metadata, self, fd);
	ASSERT_EQ(0, msync(map, 64 * PCI_PAGE, MS_SYNC));
	munmap(map, 64 * PCI_PAGE);
	report(_metadata, self, "");
	EXPECT_EQ(0, pci_get(self->rep, "dirty"));
	EXPECT_EQ(0, pci_get(self->rep, "mapped"));
	close(fd);
}

/* Swap in use: the guest's own, else a 16 MiB swapfile on ext4. */
static int swap_on(FIXTURE_DATA(fs) *self)
{
	static char page[PCI_PAGE_MAX];
	const unsigned long pages = (16UL << 20) / PCI_PAGE;
	const char *ext4 = getenv("PCI_EXT4");
	uint32_t *info = (uint32_t *)(page + 1024);
	char buf[4096] = "";
	unsigned long i;
	FILE *f = fopen("/proc/swaps", "r");
	int fd, n = 0;

	/* A header line, then one line per swap area. */
	while (f && fgets(buf, sizeof(buf), f))
		n++;
	if (f)
		fclose(f);
	if (n > 1)
		return 0;
	if (!ext4 || !*ext4)
		return -ENOENT;
	snprintf(self->swapfile, sizeof(self->swapfile), "%s/report_test.swap",
		 ext4);
	/* Written, not fallocated: swapon refuses unwritten extents. */
	fd = open(self->swapfile, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		goto fail;
	memset(page, 0, sizeof(page));
	for (i = 0; i < pages; i++)
		if (write(fd, page, PCI_PAGE) != PCI_PAGE)
			break;
	/* A version 1 header, as mkswap writes it. */
	info[0] = 1;
	info[1] = pages - 1;
	memcpy(page + PCI_PAGE - 10, "SWAPSPACE2", 10);
	if (i < pages || pwrite(fd, page, PCI_PAGE, 0) != PCI_PAGE || fsync(fd)) {
		n = errno ? -errno : -EIO;
		close(fd);
		goto out;
	}
	close(fd);
	if (!swapon(self->swapfile, 0))
		return 0;
fail:
	n = -errno;
out:
	unlink(self->swapfile);
	self->swapfile[0] = '\0';
	return n;
}

/*
 * What the kernel says a shared mapping of a tmpfs file has in swap: the
 * "Swap:" of its /proc/self/smaps entry, in kB. For shmem that is the
 * inode's own count of swapped-out pages (shmem_swap_usage(), from
 * info->swapped), kept apart from the xarray the module walks.
 */
static long smaps_swap_kb(const void *addr)
{
	char line[512], want[32];
	long kb = -1;
	bool in = false;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)addr);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, want, strlen(want)))
			in = true;
		else if (in && !strncmp(line, "Swap:", 5)) {
			kb = strtol(line + 5, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kb;
}

/*
 * MADV_PAGEOUT reclaims the mapped pages for real. On ext4, xfs and btrfs
 * that leaves shadow entries: evicted pages, each on the node its page was
 * on. On tmpfs the pages go to swap (a swapfile the test turns on when the
 * guest has none): swap entries, counted as swapped, which the inode's own
 * swap count (smaps) and cachestat's evicted must match. Writing the
 * swapfile, swapping out and the teardown's swapoff took over the
 * harness's default 30 s on the KASAN kernel under TCG with the host busy.
 */
TEST_F_TIMEOUT(fs, pageout_shadows, 300)
{
	static struct pci_run before[4096], after[4096];
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);
	int nb, na, i, j, err;
	volatile char *map;
	long long evicted, swapped, cached, in_map = 0;
	long swap_kb, resident;

	ASSERT_LE(0, fd);
	if (self->tmpfs) {
		err = swap_on(self);
		if (err == -ENOENT)
			SKIP(close(fd); return, "no swap and no ext4 for a swapfile");
		ASSERT_EQ(0, err) TH_LOG("swapon: %s", strerror(-err));
	}
	ASSERT_EQ(0, pci_fill(fd, 0, 256));
	ASSERT_EQ(0, fsync(fd));
	map = mmap(NULL, 256 * PCI_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (i = 0; i < 256; i++)
		(void)map[i * PCI_PAGE];
	report(_metadata, self, "map");
	nb = pci_map(self->rep, before, 4096);
	ASSERT_LT(0, nb);
	EXPECT_EQ(256, pci_get(self->rep, "mapped"));
	EXPECT_EQ(0, pci_get(self->rep, "swapped"));
	ASSERT_EQ(0, madvise((void *)map, 256 * PCI_PAGE, MADV_PAGEOUT));
	report(_metadata, self, "map");
	/* Before munmap: smaps needs the mapping (its PTEs are gone now). */
	swap_kb = self->tmpfs ? smaps_swap_kb((void *)map) : 0;
	munmap((void *)map, 256 * PCI_PAGE);
	evicted = pci_get(self->rep, "evicted");
	swapped = pci_get(self->rep, "swapped");
	cached = pci_get(self->rep, "cached");
	resident = pci_mincore_count(fd, 256);
	check_cachestat(_metadata, self, fd);
	check_sums(_metadata, self->rep);
	EXPECT_EQ(0, pci_get(self->rep, "nodeunknown.evicted") > 0);
	if (self->tmpfs) {
		TH_LOG("tmpfs: %lld swapped, %lld cached, smaps Swap: %ld kB, mincore %ld resident",
		       swapped, cached, swap_kb, resident);
		EXPECT_EQ(0, evicted);
		EXPECT_LT(0, swapped);
		EXPECT_EQ(256, swapped + cached);
		EXPECT_EQ(swapped * (PCI_PAGE / 1024), swap_kb);
		/*
		 * mincore also counts pages still in the swap cache (being
		 * written, or written and not yet freed): not in the file's
		 * cache any more, but resident.
		 */
		EXPECT_LE(cached, resident);
		EXPECT_GE(256, resident);
	} else {
		EXPECT_LT(0, evicted);
		EXPECT_EQ(0, swapped);
		EXPECT_EQ(256, evicted + cached);
		EXPECT_EQ(resident, cached);
	}

	/* The node decoded from each shadow is the node its page was on. */
	na = pci_map(self->rep, after, 4096);
	ASSERT_LT(0, na);
	for (i = 0; i < na; i++) {
		if (!strcmp(after[i].state, "swapped"))
			in_map += after[i].last - after[i].first + 1;
		if (strcmp(after[i].state, "evicted"))
			continue;
		for (j = 0; j < nb; j++) {
			if (before[j].last < after[i].first ||
			    before[j].first > after[i].last)
				continue;
			EXPECT_EQ(before[j].node, after[i].node)
				TH_LOG("pages %lu-%lu", after[i].first, after[i].last);
		}
	}
	EXPECT_EQ(swapped, in_map);
	close(fd);
}

/* Truncation removes the cache beyond the new size. */
TEST_F(fs, truncate)
{
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 256));
	ASSERT_EQ(0, fsync(fd));
	ASSERT_EQ(0, ftruncate(fd, 100 * PCI_PAGE));
	report(_metadata, self, "map");
	EXPECT_EQ(100 * PCI_PAGE, pci_get(self->rep, "size"));
	EXPECT_EQ(pci_mincore_count(fd, 100), pci_get(self->rep, "cached"));
	EXPECT_GE(100, pci_get(self->rep, "cached"));
	EXPECT_EQ(pci_get(self->rep, "cached"),
		  check_map(_metadata, self->rep, fd, 100));
	check_cachestat(_metadata, self, fd);
	close(fd);
}

/* An empty file has an empty report and an empty map. */
TEST_F(fs, empty_file)
{
	struct pci_run runs[4];
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	report(_metadata, self, "map");
	EXPECT_EQ(0, pci_get(self->rep, "size"));
	EXPECT_EQ(0, pci_get(self->rep, "cached"));
	EXPECT_EQ(0, pci_get(self->rep, "evicted"));
	EXPECT_EQ(0, pci_map(self->rep, runs, 4));
	check_cachestat(_metadata, self, fd);
	close(fd);
}

/*
 * "fast" (xarray only, no folio pinned; whole leaf nodes read at once) gives
 * the same counts as the detailed walk, on a file with every kind of entry:
 * holes, clean and dirty pages, shadows of evicted pages.
 */
TEST_F(fs, fast_matches_detail)
{
	static const char *const keys[] = {
		"cached", "dirty", "writeback", "evicted", "evicted_workingset",
		"swapped", "entries",
	};
	static char detail[1 << 16];
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);
	char key[80], range[64];
	void *map;
	size_t k;
	int o;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 700));
	ASSERT_EQ(0, pci_fill(fd, 1000, 100));
	ASSERT_EQ(0, fsync(fd));
	map = mmap(NULL, 700 * PCI_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	for (k = 0; k < 700; k++)
		(void)((volatile char *)map)[k * PCI_PAGE];
	madvise((char *)map + 100 * PCI_PAGE, 300 * PCI_PAGE, MADV_PAGEOUT);
	munmap(map, 700 * PCI_PAGE);
	ASSERT_EQ(0, pci_fill(fd, 10, 20));
	ASSERT_EQ(0, pci_fill(fd, 1050, 3));
	report(_metadata, self, "");
	strcpy(detail, self->rep);
	report(_metadata, self, "fast");
	EXPECT_EQ(0, pci_get(self->rep, "detail"));
	EXPECT_EQ(-1, pci_get(self->rep, "mapped"));
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		EXPECT_EQ(pci_get(detail, keys[k]), pci_get(self->rep, keys[k]))
			TH_LOG("%s", keys[k] ?: "");
	for (o = 0; o < 13; o++) {
		snprintf(key, sizeof(key), "order%d.pages", o);
		EXPECT_EQ(pci_get(detail, key), pci_get(self->rep, key))
			TH_LOG("%s", key);
	}
	EXPECT_EQ(pci_sum(detail, "node", ".evicted"),
		  pci_sum(self->rep, "node", ".evicted"));

	/* Ranges that start and end inside large folios (7.2 ext4). */
	snprintf(range, sizeof(range), "offset=%lu length=%lu", 3 * PCI_PAGE,
		 696 * PCI_PAGE);
	report(_metadata, self, range);
	strcpy(detail, self->rep);
	snprintf(key, sizeof(key), "fast %s", range);
	report(_metadata, self, key);
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]) - 1; k++)
		EXPECT_EQ(pci_get(detail, keys[k]), pci_get(self->rep, keys[k]))
			TH_LOG("range: %s", keys[k] ?: "");
	report(_metadata, self, "fast");
	/* 20 + 3 pages rewritten; tmpfs never sets the dirty mark. */
	EXPECT_EQ(self->tmpfs ? 0 : 23, pci_get(self->rep, "dirty"));
	/*
	 * Not "== 1100": under memory pressure the workingset shrinker may
	 * free whole nodes of shadow entries, and those pages become holes.
	 */
	EXPECT_GE(1100, pci_get(self->rep, "cached") +
		  pci_get(self->rep, "evicted") + pci_get(self->rep, "swapped"));
	check_cachestat(_metadata, self, fd);
	close(fd);
}

/* A deleted file still held open is reported, through both routes. */
TEST_F(fs, deleted_but_open)
{
	char proc[64];
	int fd = open(self->path, O_RDWR | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 40));
	ASSERT_EQ(0, unlink(self->path));
	snprintf(proc, sizeof(proc), "/proc/%d/fd/%d", getpid(), fd);
	ASSERT_LT(0, pci_report("", proc, self->rep, PCI_REPORT_MAX));
	EXPECT_EQ(1, pci_get(self->rep, "deleted"));
	EXPECT_EQ(40, pci_get(self->rep, "cached"));
	ASSERT_LT(0, pci_report_stdin(fd, PCI_DIR "/stdin", self->rep,
				      PCI_REPORT_MAX));
	EXPECT_EQ(1, pci_get(self->rep, "deleted"));
	EXPECT_EQ(40, pci_get(self->rep, "cached"));
	close(fd);
}

/*
 * tmpfs with huge=always: PMD-sized folios (2 MiB, order 9 with 4 KiB
 * pages; 32 MiB, order 11 with 16 KiB pages), counted page by page. The
 * file is two of them.
 */
TEST(tmpfs_huge_folios)
{
	static char rep[1 << 16];
	char dir[] = "/tmp/pcinspect-huge.XXXXXX", path[64], opts[64], key[32];
	unsigned long pages = 2 * (pci_pmd_size() / PCI_PAGE);
	struct pci_cachestat cs;
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(opts, sizeof(opts), "huge=always,size=%luk",
		 32 * pci_pmd_size() / 1024);
	if (mount("tmpfs", dir, "tmpfs", 0, opts)) {
		rmdir(dir);
		SKIP(return, "tmpfs huge=always: %m");
	}
	snprintf(path, sizeof(path), "%s/f", dir);
	snprintf(key, sizeof(key), "order%d.pages", pci_pmd_order());
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, pages));
	ASSERT_LT(0, pci_report("map", path, rep, sizeof(rep)));
	EXPECT_EQ(pages, pci_get(rep, "cached"));
	EXPECT_EQ(pages, pci_get(rep, key)) TH_LOG("%s", key);
	EXPECT_EQ(pages, pci_mincore_count(fd, pages));
	if (pci_have_cachestat()) {
		ASSERT_EQ(0, pci_cachestat(fd, &cs));
		EXPECT_EQ(cs.nr_cache, pci_get(rep, "cached"));
	}
	close(fd);
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

TEST_HARNESS_MAIN
