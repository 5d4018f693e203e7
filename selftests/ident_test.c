// SPDX-License-Identifier: GPL-2.0
/*
 * File identity: two btrfs subvolumes, each with a file of the same inode
 * number (a fresh subvolume numbers from 257) and different cached page
 * counts. stat(2) shows the same st_ino and different st_dev; the per-file
 * report, the files listing, lru-files and the reader's "lru --files"
 * must each show two files with the counts of each (oracle: mincore),
 * never one merged row, and lru-files' rows must join the listing's.
 * And DAX: a file on ext4 -o dax, whose xarray holds DAX entries that
 * nrpages counts, is no page cache: files leaves it out (dax= in the walk
 * line), the per-file report refuses it.
 */
#include <linux/btrfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define FILES_QUERY	PCI_DIR "/files-query"
#define LRU_FILES	PCI_DIR "/lru-files"
#define TEXT_MAX	(64 << 20)
#define BTRFS_MAGIC	0x9123683eL
#define PMEM_DEV	"/dev/pmem0"
#define DAX_PAGES	32

static const unsigned long pages[2] = { 16, 40 };

/* One row of files or lru-files for an inode number. */
struct row {
	unsigned int major, minor;
	unsigned long long ino, id, pages;
	char path[512];
};

static char *slurp(const char *path, const char *query, ssize_t *len)
{
	char *buf = malloc(TEXT_MAX);
	int fd = open(path, query ? O_RDWR : O_RDONLY);

	*len = -ENOMEM;
	if (!buf || fd < 0) {
		*len = fd < 0 ? -errno : -ENOMEM;
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (query && write(fd, query, strlen(query)) != (ssize_t)strlen(query)) {
		*len = -errno;
		close(fd);
		free(buf);
		return NULL;
	}
	*len = pci_read_all(fd, buf, TEXT_MAX);
	close(fd);
	if (*len < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * The superblock's device of the filesystem holding @path: the third
 * field of the /proc/self/mountinfo line of the mount statx(2) names.
 */
static int mountinfo_dev(const char *path, unsigned int *ma, unsigned int *mi)
{
	char line[4096];
	struct statx stx;
	int found = -1, id;
	FILE *f;

	if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return -1;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%d %*d %u:%u", &id, ma, mi) == 3 &&
		    id == (int)stx.stx_mnt_id) {
			found = 0;
			break;
		}
	fclose(f);
	return found;
}

/*
 * Empty the per-CPU LRU batches, as lru_test does: compaction starts with
 * lru_add_drain_all(), mlock() drains what compaction put back.
 */
static void drain_lru_batches(void)
{
	static char page[PCI_PAGE_MAX] __attribute__((aligned(PCI_PAGE_MAX)));
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			perror("compact_memory");
		close(fd);
	}
	if (!mlock(page, PCI_PAGE))
		munlock(page, PCI_PAGE);
}

FIXTURE(ident) {
	char mnt[256];
	char sub[2][300];
	char file[2][320];
	char name[2][64];
	int fd[2];
	struct stat st[2];
	unsigned int sb_major, sb_minor;
	bool ready;
};

FIXTURE_SETUP(ident)
{
	const char *m = getenv("PCI_BTRFS");
	struct btrfs_ioctl_vol_args args;
	struct statfs sfs;
	int i, dfd;

	self->fd[0] = self->fd[1] = -1;
	self->ready = false;
	memset(self->sub, 0, sizeof(self->sub));
	ASSERT_EQ(0, pci_ensure_module());
	snprintf(self->mnt, sizeof(self->mnt), "%s", m && *m ? m : "/mnt/btrfs");
	if (statfs(self->mnt, &sfs) || sfs.f_type != BTRFS_MAGIC)
		return;		/* the tests skip */
	ASSERT_EQ(0, mountinfo_dev(self->mnt, &self->sb_major, &self->sb_minor));
	dfd = open(self->mnt, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	for (i = 0; i < 2; i++) {
		snprintf(self->name[i], sizeof(self->name[i]), "ident_%c.%d",
			 'a' + i, getpid());
		memset(&args, 0, sizeof(args));
		strcpy(args.name, self->name[i]);
		ASSERT_EQ(0, ioctl(dfd, BTRFS_IOC_SUBVOL_CREATE, &args))
			TH_LOG("BTRFS_IOC_SUBVOL_CREATE %s: %s", args.name,
			       strerror(errno));
		snprintf(self->sub[i], sizeof(self->sub[i]), "%s/%s",
			 self->mnt, self->name[i]);
		snprintf(self->file[i], sizeof(self->file[i]), "%s/f",
			 self->sub[i]);
		self->fd[i] = open(self->file[i], O_RDWR | O_CREAT | O_TRUNC, 0600);
		ASSERT_LE(0, self->fd[i]);
		ASSERT_EQ(0, pci_fill(self->fd[i], 0, pages[i]));
		ASSERT_EQ(0, fsync(self->fd[i]));
		ASSERT_EQ(0, fstat(self->fd[i], &self->st[i]));
	}
	close(dfd);
	self->ready = true;
}

FIXTURE_TEARDOWN(ident)
{
	struct btrfs_ioctl_vol_args args;
	int i, dfd;

	dfd = open(self->mnt, O_RDONLY | O_DIRECTORY);
	for (i = 0; i < 2; i++) {
		if (self->fd[i] >= 0)
			close(self->fd[i]);
		if (!self->sub[i][0])
			continue;
		unlink(self->file[i]);
		/* An empty subvolume can be removed like a directory (4.18+). */
		if (rmdir(self->sub[i]) && dfd >= 0) {
			memset(&args, 0, sizeof(args));
			strcpy(args.name, self->name[i]);
			ioctl(dfd, BTRFS_IOC_SNAP_DESTROY, &args);
		}
	}
	if (dfd >= 0)
		close(dfd);
}

/* Rows of a files listing with inode number @ino, as (dev, id, cached). */
static int files_rows(const char *text, unsigned long long ino,
		      struct row *rows, int max)
{
	const char *line;
	int n = 0;

	for (line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		struct row r;
		char fs[32], name[16];

		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%31s %u:%u %llu %llx %llu %*u %*u %*u %*s %15s %511s",
			   fs, &r.major, &r.minor, &r.ino, &r.id, &r.pages,
			   name, r.path) != 8 || r.ino != ino)
			continue;
		if (n < max)
			rows[n] = r;
		n++;
	}
	return n;
}

/* Rows of lru-files with dev @ma:@mi and inode number @ino. */
static int lru_rows(const char *text, unsigned int ma, unsigned int mi,
		    unsigned long long ino, struct row *rows, int max)
{
	const char *line;
	int n = 0;

	for (line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		struct row r;

		memset(&r, 0, sizeof(r));
		if (sscanf(line, "%u:%u %llu %llx %llu", &r.major, &r.minor,
			   &r.ino, &r.id, &r.pages) != 5 || r.major != ma ||
		    r.minor != mi || r.ino != ino)
			continue;
		if (n < max)
			rows[n] = r;
		n++;
	}
	return n;
}

/* Both files are set up: same st_ino, different st_dev, the pages cached. */
static void check_premise(struct __test_metadata *_metadata,
			  FIXTURE_DATA(ident) *self)
{
	struct stat top;
	int i;

	ASSERT_TRUE(self->ready);
	ASSERT_EQ(0, stat(self->mnt, &top));
	TH_LOG("superblock %u:%u; top-level subvolume st_dev %u:%u; %s: st_dev %u:%u st_ino %llu; %s: st_dev %u:%u st_ino %llu",
	       self->sb_major, self->sb_minor, major(top.st_dev),
	       minor(top.st_dev), self->file[0],
	       major(self->st[0].st_dev), minor(self->st[0].st_dev),
	       (unsigned long long)self->st[0].st_ino, self->file[1],
	       major(self->st[1].st_dev), minor(self->st[1].st_dev),
	       (unsigned long long)self->st[1].st_ino);
	ASSERT_EQ(self->st[0].st_ino, self->st[1].st_ino);
	ASSERT_NE(self->st[0].st_dev, self->st[1].st_dev);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(pages[i], pci_mincore_count(self->fd[i], pages[i]));
}

#define NEED_BTRFS() do {						\
	if (!self->sub[0][0])						\
		SKIP(return, "no btrfs at %s (PCI_BTRFS)", self->mnt);	\
	check_premise(_metadata, self);					\
} while (0)

/* The per-file report: each file its own inode number and pages. */
TEST_F(ident, report_each_file)
{
	char *r = malloc(PCI_REPORT_MAX);
	int i;

	NEED_BTRFS();
	ASSERT_NE(NULL, r);
	for (i = 0; i < 2; i++) {
		ASSERT_LT(0, pci_report("", self->file[i], r, PCI_REPORT_MAX));
		EXPECT_EQ((long long)self->st[i].st_ino, pci_get(r, "ino"));
		EXPECT_EQ((long long)pages[i], pci_get(r, "cached"));
		EXPECT_EQ((long long)pages[i], pci_get(r, "nrpages"));
	}
	free(r);
}

/*
 * files: two rows with the inode number, each with its file's path and
 * pages, dev the superblock's (mountinfo's) and different ids.
 */
TEST_F(ident, files_two_rows)
{
	struct row rows[8];
	char want[2][128];
	int n, i, j, seen[2] = { 0, 0 };
	ssize_t len;
	char *text;

	NEED_BTRFS();
	text = slurp(FILES_QUERY, "fs=btrfs", &len);
	ASSERT_NE(NULL, text) TH_LOG("files-query: %s", strerror(-len));
	n = files_rows(text, self->st[0].st_ino, rows, 8);
	for (i = 0; i < 2; i++)
		snprintf(want[i], sizeof(want[i]), "/%s/f", self->name[i]);
	for (j = 0; j < n && j < 8; j++) {
		TH_LOG("row %u:%u %llu %016llx %llu %s", rows[j].major,
		       rows[j].minor, rows[j].ino, rows[j].id, rows[j].pages,
		       rows[j].path);
		for (i = 0; i < 2; i++) {
			if (strcmp(rows[j].path, want[i]))
				continue;
			seen[i]++;
			EXPECT_EQ(pages[i], rows[j].pages);
			EXPECT_EQ(self->sb_major, rows[j].major);
			EXPECT_EQ(self->sb_minor, rows[j].minor);
		}
	}
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[1]);
	free(text);
}

/*
 * lru-files: the two files are two rows (before, one row held the pages
 * of both), each joining the files listing's row by (dev, ino, id).
 */
TEST_F(ident, lru_files_two_rows)
{
	struct row frows[8], lrows[8];
	char want[2][128];
	int nf, nl, i, j, k, joined[2] = { 0, 0 };
	unsigned long long id[2] = { 0, 0 };
	ssize_t len;
	char *text;

	NEED_BTRFS();
	text = slurp(FILES_QUERY, "fs=btrfs", &len);
	ASSERT_NE(NULL, text) TH_LOG("files-query: %s", strerror(-len));
	nf = files_rows(text, self->st[0].st_ino, frows, 8);
	free(text);
	for (i = 0; i < 2; i++) {
		snprintf(want[i], sizeof(want[i]), "/%s/f", self->name[i]);
		for (j = 0; j < nf && j < 8; j++)
			if (!strcmp(frows[j].path, want[i]))
				id[i] = frows[j].id;
	}
	ASSERT_NE(id[0], id[1]);

	drain_lru_batches();
	text = slurp(LRU_FILES, NULL, &len);
	ASSERT_NE(NULL, text) TH_LOG("lru-files: %s", strerror(-len));
	nl = lru_rows(text, self->sb_major, self->sb_minor,
		      self->st[0].st_ino, lrows, 8);
	for (k = 0; k < nl && k < 8; k++) {
		TH_LOG("lru-files row %u:%u %llu %016llx %llu", lrows[k].major,
		       lrows[k].minor, lrows[k].ino, lrows[k].id,
		       lrows[k].pages);
		for (i = 0; i < 2; i++) {
			if (lrows[k].id != id[i])
				continue;
			joined[i]++;
			/* Each file's own pages, on the lists once drained. */
			EXPECT_EQ(pages[i], lrows[k].pages);
		}
	}
	EXPECT_EQ(1, joined[0]);
	EXPECT_EQ(1, joined[1]);
	free(text);
}

/*
 * The reader joins lru-files with the listing: "pcinspect lru --files"
 * names both files by their full paths, each with its own pages.
 */
TEST_F(ident, reader_names_both)
{
	const char *r = getenv("PCI_READER");
	char cmd[512], line[1024], path[600];
	unsigned long long lpages;
	int i, seen[2] = { 0, 0 };
	FILE *p;

	NEED_BTRFS();
	if (!r || !*r)
		r = "/pcinspect/pcinspect-reader";
	if (access(r, X_OK))
		SKIP(return, "no reader at %s (PCI_READER)", r);
	drain_lru_batches();
	snprintf(cmd, sizeof(cmd), "%s lru --files --top 0 -n -r -o LRU_PAGES,PATH", r);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	while (fgets(line, sizeof(line), p)) {
		if (sscanf(line, "%llu %599s", &lpages, path) != 2)
			continue;
		for (i = 0; i < 2; i++) {
			if (strcmp(path, self->file[i]))
				continue;
			TH_LOG("reader: %llu %s", lpages, path);
			seen[i]++;
			EXPECT_EQ(pages[i], lpages);
		}
	}
	EXPECT_EQ(0, pclose(p));
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[1]);
}

/* The walk line's value of @key, or -1. */
static long long walk_key(const char *text, const char *key)
{
	const char *w = strstr(text, "\n# walk ");
	char pat[64];
	const char *p;

	if (!w)
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(w, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/*
 * DAX: the pages of a file on ext4 -o dax (on the emulated persistent
 * memory vm-run.sh sets up) are the device's own memory, mapped in place;
 * faulting them in puts DAX entries in the xarray and nrpages counts them.
 * files must not list the file as cached (it did, with all of them), but
 * count it in dax=; the per-file report refuses it with EOPNOTSUPP.
 */
TEST(dax_file_not_cached)
{
	char dir[64], file[96], q[64], *text, *map = MAP_FAILED;
	char *r = malloc(PCI_REPORT_MAX);
	struct row rows[4];
	struct statx stx;
	struct stat st;
	ssize_t len;
	int fd, i, n;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, pci_ensure_module());
	if (access(PMEM_DEV, F_OK))
		SKIP(return, "no %s (memmap= and nd_pmem: see vm-run.sh)", PMEM_DEV);
	snprintf(dir, sizeof(dir), "/mnt/dax.%d", getpid());
	snprintf(file, sizeof(file), "%s/f", dir);
	ASSERT_EQ(0, mkdir(dir, 0700));
	/* DAX needs blocks of the page size. */
	ASSERT_EQ(0, pci_run("mkfs.ext4 -q -F -b %lu " PMEM_DEV " >/dev/null 2>&1",
			     PCI_PAGE));
	if (mount(PMEM_DEV, dir, "ext4", 0, "dax=always")) {
		int err = errno;

		rmdir(dir);
		SKIP(return, "mount -o dax=always %s: %s", PMEM_DEV, strerror(err));
	}
	fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, DAX_PAGES * PCI_PAGE));
	ASSERT_EQ(0, fstat(fd, &st));
	EXPECT_EQ(0, statx(fd, "", AT_EMPTY_PATH, 0, &stx));
	EXPECT_TRUE(stx.stx_attributes & STATX_ATTR_DAX);
	map = mmap(NULL, DAX_PAGES * PCI_PAGE, PROT_READ | PROT_WRITE,
		   MAP_SHARED, fd, 0);
	EXPECT_NE(MAP_FAILED, map);
	if (map != MAP_FAILED) {
		for (i = 0; i < DAX_PAGES; i++)
			map[i * PCI_PAGE] = 1;
	}

	snprintf(q, sizeof(q), "fs=ext4 dev=%u:%u", major(st.st_dev),
		 minor(st.st_dev));
	text = slurp(FILES_QUERY, q, &len);
	EXPECT_NE(NULL, text) TH_LOG("files-query: %s", strerror(-len));
	if (text) {
		n = files_rows(text, st.st_ino, rows, 4);
		TH_LOG("%s (ino %llu): %d rows, walk dax=%lld", file,
		       (unsigned long long)st.st_ino, n, walk_key(text, "dax"));
		for (i = 0; i < n && i < 4; i++)
			TH_LOG("row %u:%u %llu cached %llu %s", rows[i].major,
			       rows[i].minor, rows[i].ino, rows[i].pages,
			       rows[i].path);
		EXPECT_EQ(0, n);
		EXPECT_LE(1, walk_key(text, "dax"));
		free(text);
	}
	len = pci_report("", file, r, PCI_REPORT_MAX);
	EXPECT_EQ(-EOPNOTSUPP, len);

	if (map != MAP_FAILED)
		munmap(map, DAX_PAGES * PCI_PAGE);
	close(fd);
	unlink(file);
	EXPECT_EQ(0, umount(dir));
	rmdir(dir);
	free(r);
}

TEST_HARNESS_MAIN
