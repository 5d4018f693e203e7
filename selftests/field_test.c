// SPDX-License-Identifier: GPL-2.0
/*
 * The per-file report where users run it, not only on plain ext4: files
 * read through overlayfs (every container's root), block devices that
 * must stay removable while queried, hugetlbfs (refused), and the dev and
 * ino of the report against stat(2). Oracles: mincore(2) on the layer's
 * own file, stat(2), dm's open count, inotify open events.
 */
#include <limits.h>
#include <linux/btrfs.h>
#include <linux/fs.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define OVL_BASE	"/tmp/pcinspect-ovl"
#define DM_FIELD	"pcinspect-field"

/* "MAJ:MIN" of a report key as a dev_t, or (dev_t)-1. */
static dev_t report_dev(const char *rep, const char *key)
{
	char val[64];
	unsigned int maj, min;

	if (!pci_get_str(rep, key, val, sizeof(val)) ||
	    sscanf(val, "%u:%u", &maj, &min) != 2)
		return (dev_t)-1;
	return makedev(maj, min);
}

static bool report_is(const char *rep, const char *key, const char *want)
{
	char val[256];

	return pci_get_str(rep, key, val, sizeof(val)) && !strcmp(val, want);
}

/*
 * The line of the files listing ("fs dev ino id cached ...") for (dev,
 * ino), and with @id also that id: its cached pages, or -1 when the
 * listing has no such inode.
 */
static long listed_cached(dev_t dev, ino_t ino, const char *id)
{
	char want[64], line[PATH_MAX + 256], lid[32];
	long cached = -1, n;
	FILE *f;

	snprintf(want, sizeof(want), " %u:%u %llu ", major(dev), minor(dev),
		 (unsigned long long)ino);
	f = fopen(PCI_DIR "/files-query", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, want);

		if (line[0] == '#' || !p || p != strchr(line, ' ') ||
		    sscanf(p + strlen(want), "%31s %ld", lid, &n) != 2 ||
		    (id && strcmp(lid, id)))
			continue;
		cached = n;
		break;
	}
	fclose(f);
	return cached;
}

/* --- overlayfs ------------------------------------------------------------ */

FIXTURE(ovl) {
	char lower[256], upper[256], work[256], merged[256];
	char *rep;
	bool mounted;
};

FIXTURE_SETUP(ovl)
{
	const char *ext4 = getenv("PCI_EXT4");
	char path[PATH_MAX];
	int fd;

	self->rep = malloc(PCI_REPORT_MAX);
	ASSERT_NE(NULL, self->rep);
	ASSERT_EQ(0, pci_ensure_module());
	if (!ext4 || !*ext4)
		SKIP(return, "no ext4 test mount for the lower layer");
	/* Lower layer on ext4, upper on tmpfs: pages live in two filesystems. */
	snprintf(self->lower, sizeof(self->lower), "%s/ovl-lower", ext4);
	snprintf(self->upper, sizeof(self->upper), "%s/upper", OVL_BASE);
	snprintf(self->work, sizeof(self->work), "%s/work", OVL_BASE);
	snprintf(self->merged, sizeof(self->merged), "%s/merged", OVL_BASE);
	pci_run("rm -rf %s; mkdir -p %s", self->lower, self->lower);
	mkdir(OVL_BASE, 0755);
	ASSERT_EQ(0, mount("tmpfs", OVL_BASE, "tmpfs", 0, "size=256m"));
	mkdir(self->upper, 0755);
	mkdir(self->work, 0755);
	mkdir(self->merged, 0755);
	/* Two lower files: one only read through the overlay, one copied up. */
	snprintf(path, PATH_MAX, "%s/lower-only", self->lower);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 64));
	pci_drop_cache(fd);
	close(fd);
	snprintf(path, PATH_MAX, "%s/copied-up", self->lower);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 32));
	pci_drop_cache(fd);
	close(fd);
	snprintf(path, PATH_MAX, "lowerdir=%s,upperdir=%s,workdir=%s",
		 self->lower, self->upper, self->work);
	if (mount("overlay", self->merged, "overlay", 0, path))
		SKIP(return, "mount -t overlay: %s", strerror(errno));
	self->mounted = true;
}

FIXTURE_TEARDOWN(ovl)
{
	if (self->mounted)
		umount(self->merged);
	umount(OVL_BASE);
	rmdir(OVL_BASE);
	pci_run("rm -rf %s", self->lower);
	free(self->rep);
}

/*
 * The report of @merged_name through every route (query, select + report,
 * stdin) names the overlay file, and its cache is that of @layer_path's
 * inode: cache_dev/cache_ino are the layer file's stat(2) numbers, cached
 * is its mincore count, and the files listing has that inode with the same
 * count.
 */
static void check_through_overlay(struct __test_metadata *_metadata,
				  FIXTURE_DATA(ovl) *self,
				  const char *name, const char *layer_path,
				  long expect)
{
	char merged[PATH_MAX], id[32];
	struct stat lst, mst;
	long resident;
	int lfd, mfd;
	ssize_t n;

	snprintf(merged, PATH_MAX, "%s/%s", self->merged, name);
	lfd = open(layer_path, O_RDONLY);
	ASSERT_LE(0, lfd) TH_LOG("%s", layer_path);
	ASSERT_EQ(0, fstat(lfd, &lst));
	ASSERT_EQ(0, stat(merged, &mst));
	resident = pci_mincore_count(lfd, lst.st_size / PCI_PAGE);
	EXPECT_EQ(expect, resident) TH_LOG("%s: mincore of the layer file", name);

	/* query */
	n = pci_report("", merged, self->rep, PCI_REPORT_MAX);
	ASSERT_LT(0, n) TH_LOG("%s: %s", merged, strerror(-n));
	EXPECT_EQ(resident, pci_get(self->rep, "cached")) TH_LOG("%s", name);
	EXPECT_EQ(resident, pci_get(self->rep, "nrpages")) TH_LOG("%s", name);
	EXPECT_TRUE(report_is(self->rep, "fs", "overlay"));
	EXPECT_EQ(mst.st_dev, report_dev(self->rep, "dev"));
	EXPECT_EQ(mst.st_ino, pci_get(self->rep, "ino"));
	EXPECT_EQ(lst.st_dev, report_dev(self->rep, "cache_dev"));
	EXPECT_EQ(lst.st_ino, pci_get(self->rep, "cache_ino"));
	EXPECT_EQ(lst.st_size, pci_get(self->rep, "size"));

	/* stdin: the reader has the overlay file open */
	mfd = open(merged, O_RDONLY);
	ASSERT_LE(0, mfd);
	n = pci_report_stdin(mfd, PCI_DIR "/stdin", self->rep, PCI_REPORT_MAX);
	close(mfd);
	ASSERT_LT(0, n) TH_LOG("stdin %s: %s", merged, strerror(-n));
	EXPECT_EQ(resident, pci_get(self->rep, "cached")) TH_LOG("stdin %s", name);
	EXPECT_EQ(lst.st_ino, pci_get(self->rep, "cache_ino"));

	/* select + report */
	mfd = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, mfd);
	ASSERT_EQ((ssize_t)strlen(merged), write(mfd, merged, strlen(merged)));
	close(mfd);
	mfd = open(PCI_DIR "/report", O_RDONLY);
	ASSERT_LE(0, mfd);
	ASSERT_LT(0, pci_read_all(mfd, self->rep, PCI_REPORT_MAX));
	close(mfd);
	EXPECT_EQ(resident, pci_get(self->rep, "cached")) TH_LOG("select %s", name);
	EXPECT_EQ(lst.st_ino, pci_get(self->rep, "cache_ino"));

	/* The listing names the same inode, with the same pages. */
	ASSERT_TRUE(pci_get_str(self->rep, "cache_id", id, sizeof(id)));
	EXPECT_EQ(resident, listed_cached(lst.st_dev, lst.st_ino, id))
		TH_LOG("%s: files listing of %u:%u ino %llu", name,
		       major(lst.st_dev), minor(lst.st_dev),
		       (unsigned long long)lst.st_ino);
	close(lfd);
}

/* A lower-layer file read through the overlay: the lower inode's cache. */
TEST_F(ovl, lower_only_file)
{
	char merged[PATH_MAX], lower[PATH_MAX];
	int fd;

	snprintf(merged, PATH_MAX, "%s/lower-only", self->merged);
	snprintf(lower, PATH_MAX, "%s/lower-only", self->lower);
	fd = open(merged, O_RDONLY);
	ASSERT_LE(0, fd);
	/* No readahead past the 40 pages (overlayfs passes this down). */
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	ASSERT_EQ(0, pci_read_pages(fd, 0, 40));
	close(fd);
	check_through_overlay(_metadata, self, "lower-only", lower, 40);
}

/* Opened for writing through the overlay: copied up, cached in upper. */
TEST_F(ovl, copied_up_file)
{
	char merged[PATH_MAX], upper[PATH_MAX];
	int fd;

	snprintf(merged, PATH_MAX, "%s/copied-up", self->merged);
	snprintf(upper, PATH_MAX, "%s/copied-up", self->upper);
	fd = open(merged, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 32));
	close(fd);
	/* tmpfs: every page of the upper file is in its cache. */
	check_through_overlay(_metadata, self, "copied-up", upper, 32);
}

/* Created through the overlay: an upper-only file. */
TEST_F(ovl, upper_file)
{
	char merged[PATH_MAX], upper[PATH_MAX];
	int fd;

	snprintf(merged, PATH_MAX, "%s/new-upper", self->merged);
	snprintf(upper, PATH_MAX, "%s/new-upper", self->upper);
	fd = open(merged, O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 24));
	close(fd);
	check_through_overlay(_metadata, self, "new-upper", upper, 24);
}

/* --- block devices ---------------------------------------------------------- */

FIXTURE(bdev) {
	char node[PATH_MAX];
	bool created;
	char *rep;
};

FIXTURE_SETUP(bdev)
{
	const char *spare = getenv("PCI_SPARE_DEV");

	self->rep = malloc(PCI_REPORT_MAX);
	ASSERT_NE(NULL, self->rep);
	ASSERT_EQ(0, pci_ensure_module());
	if (!spare || !*spare)
		spare = "/dev/vdd";
	if (pci_run("command -v dmsetup >/dev/null"))
		SKIP(return, "no dmsetup in this guest");
	if (access(spare, F_OK))
		SKIP(return, "no spare disk %s", spare);
	pci_run("dmsetup remove " DM_FIELD " 2>/dev/null");
	/* 1024 pages, in 512-byte sectors. */
	ASSERT_EQ(0, pci_run("dmsetup create --noudevsync " DM_FIELD
			 " --table '0 %lu linear %s 0' && dmsetup mknodes " DM_FIELD,
			 1024 * PCI_PAGE / 512, spare));
	self->created = true;
	snprintf(self->node, PATH_MAX, "/dev/mapper/%s", DM_FIELD);
}

FIXTURE_TEARDOWN(bdev)
{
	if (self->created)
		pci_run("dmsetup remove " DM_FIELD " 2>/dev/null");
	free(self->rep);
}

/* dm's own count of opens of the device, or -1. */
static int dm_open_count(void)
{
	char line[256];
	int count = -1;
	FILE *p = popen("dmsetup info -c --noheadings -o open " DM_FIELD, "r");

	if (!p)
		return -1;
	if (fgets(line, sizeof(line), p))
		count = atoi(line);
	pclose(p);
	return count;
}

/*
 * Reading a block device's report opens nothing: dm counts no open while a
 * query on it is open (and while select names it), the device node sees
 * no open event, the report still counts the device's cache (mincore of
 * our own mapping), and dmsetup remove succeeds with the query still open,
 * which then reports on a cache that has gone (the last close dropped it).
 */
TEST_F(bdev, queried_device_stays_removable)
{
	int fd, qfd, in, wd, n, sel;
	char q[PATH_MAX + 16], ev[4096];

	fd = open(self->node, O_RDONLY);
	ASSERT_LE(0, fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	ASSERT_EQ(0, pci_read_pages(fd, 0, 100));
	EXPECT_LE(100, pci_mincore_count(fd, 1024));
	EXPECT_EQ(1, dm_open_count());

	in = inotify_init1(IN_NONBLOCK);
	ASSERT_LE(0, in);
	wd = inotify_add_watch(in, self->node, IN_OPEN | IN_CLOSE);
	ASSERT_LE(0, wd);

	/* select validates the path without opening it */
	sel = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, sel);
	ASSERT_EQ((ssize_t)strlen(self->node),
		  write(sel, self->node, strlen(self->node)));
	close(sel);

	qfd = open(PCI_DIR "/query", O_RDWR);
	ASSERT_LE(0, qfd);
	snprintf(q, sizeof(q), "%s\n", self->node);
	ASSERT_EQ((ssize_t)strlen(q), write(qfd, q, strlen(q)));
	ASSERT_LT(0, pci_read_all(qfd, self->rep, PCI_REPORT_MAX));
	EXPECT_EQ(pci_mincore_count(fd, 1024), pci_get(self->rep, "cached"));
	EXPECT_LE(100, pci_get(self->rep, "cached"));
	EXPECT_TRUE(report_is(self->rep, "type", "block"));
	EXPECT_TRUE(report_is(self->rep, "fs", "bdev"));
	/* Only our own open: none from select, query or the report. */
	EXPECT_EQ(1, dm_open_count());
	n = read(in, ev, sizeof(ev));
	EXPECT_EQ(-1, n) TH_LOG("the device node saw %d bytes of open/close events", n);
	close(in);

	close(fd);
	EXPECT_EQ(0, dm_open_count());
	/* With the query still open, the device goes. */
	EXPECT_EQ(0, pci_run("dmsetup remove " DM_FIELD));
	self->created = false;
	/* The query keeps reporting, on a device that has no cache left. */
	ASSERT_LT(0, pci_read_all(qfd, self->rep, PCI_REPORT_MAX));
	EXPECT_EQ(0, pci_get(self->rep, "cached"));
	close(qfd);
}

/* --- hugetlbfs: refused ------------------------------------------------------ */

/*
 * hugetlbfs keeps huge pages in its page cache (indexed in huge pages on
 * 6.1, in base pages later): every route refuses it with EOPNOTSUPP
 * rather than reporting counts in the wrong unit.
 */
TEST(hugetlbfs_refused)
{
	const char *mnt = "/tmp/pcinspect-huge";
	static char rep[1 << 16];
	char path[PATH_MAX];
	long huge_kb;
	ssize_t n;
	int fd, sel;
	void *p;

	ASSERT_EQ(0, pci_ensure_module());
	huge_kb = pci_meminfo("Hugepagesize");
	if (huge_kb <= 0)
		SKIP(return, "no huge pages in this kernel");
	if (pci_run("echo 4 >/proc/sys/vm/nr_hugepages") || pci_meminfo("HugePages_Total") < 2)
		SKIP(return, "cannot reserve huge pages");
	mkdir(mnt, 0755);
	ASSERT_EQ(0, mount("hugetlbfs", mnt, "hugetlbfs", 0, NULL));
	snprintf(path, PATH_MAX, "%s/f", mnt);
	fd = open(path, O_RDWR | O_CREAT, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 2 * huge_kb * 1024));
	p = mmap(NULL, 2 * huge_kb * 1024, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 1, 2 * huge_kb * 1024);
	munmap(p, 2 * huge_kb * 1024);

	n = pci_report("", path, rep, sizeof(rep));
	EXPECT_EQ(-EOPNOTSUPP, n);
	n = pci_report("fast", path, rep, sizeof(rep));
	EXPECT_EQ(-EOPNOTSUPP, n);
	n = pci_report_stdin(fd, PCI_DIR "/stdin", rep, sizeof(rep));
	EXPECT_EQ(-EOPNOTSUPP, n);
	sel = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, sel);
	EXPECT_EQ(-1, write(sel, path, strlen(path)));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(sel);
	close(fd);
	unlink(path);
	umount(mnt);
	rmdir(mnt);
	pci_run("echo 0 >/proc/sys/vm/nr_hugepages");
}

/* --- dev and ino as stat(2) gives them --------------------------------------- */

/* Create (or delete) subvolume @name in the btrfs directory @dir. */
static int btrfs_subvol(const char *dir, const char *name, bool create)
{
	struct btrfs_ioctl_vol_args args = { 0 };
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int ret;

	if (fd < 0)
		return -errno;
	strncpy(args.name, name, sizeof(args.name) - 1);
	if (create)
		ioctl(fd, BTRFS_IOC_SNAP_DESTROY, &args);	/* a leftover */
	ret = ioctl(fd, create ? BTRFS_IOC_SUBVOL_CREATE : BTRFS_IOC_SNAP_DESTROY,
		    &args) ? -errno : 0;
	close(fd);
	return ret;
}

/*
 * The report's dev and ino are stat(2)'s on every test filesystem,
 * including a btrfs subvolume, whose st_dev is its own, not the
 * superblock's. cache_dev/cache_ino name the inode as the files listing
 * does, which lists it with the report's cached count.
 */
TEST(dev_ino_match_stat)
{
	static const char * const vars[] = { "PCI_EXT4", "PCI_XFS", "PCI_BTRFS",
					     "PCI_TMPFS" };
	static char rep[1 << 16];
	char path[PATH_MAX], subvol[256], id[32];
	unsigned int i, checked = 0;
	struct stat st;
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	for (i = 0; i < ARRAY_SIZE(vars) + 1; i++) {
		const char *dir = i < ARRAY_SIZE(vars) ? getenv(vars[i]) : NULL;

		if (i == ARRAY_SIZE(vars)) {
			/* A btrfs subvolume: its own st_dev. */
			dir = getenv("PCI_BTRFS");
			if (!dir || !*dir)
				continue;
			snprintf(subvol, sizeof(subvol), "%s/field-subvol", dir);
			ASSERT_EQ(0, btrfs_subvol(dir, "field-subvol", true));
			dir = subvol;
		}
		if (!dir || !*dir)
			continue;
		snprintf(path, PATH_MAX, "%s/field-stat", dir);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, pci_fill(fd, 0, 8));
		ASSERT_EQ(0, fstat(fd, &st));
		ASSERT_LT(0, pci_report("", path, rep, sizeof(rep)));
		EXPECT_EQ(st.st_dev, report_dev(rep, "dev")) TH_LOG("%s", path);
		EXPECT_EQ(st.st_ino, pci_get(rep, "ino")) TH_LOG("%s", path);
		EXPECT_EQ(8, pci_get(rep, "cached")) TH_LOG("%s", path);
		ASSERT_TRUE(pci_get_str(rep, "cache_id", id, sizeof(id)));
		EXPECT_EQ(8, listed_cached(report_dev(rep, "cache_dev"),
					   pci_get(rep, "cache_ino"), id))
			TH_LOG("%s: not in the listing as cache_dev/cache_ino", path);
		close(fd);
		unlink(path);
		checked++;
	}
	EXPECT_LE(1, checked);
	if (getenv("PCI_BTRFS") && *getenv("PCI_BTRFS"))
		EXPECT_EQ(0, btrfs_subvol(getenv("PCI_BTRFS"), "field-subvol", false));
}

TEST_HARNESS_MAIN
