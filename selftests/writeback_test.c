// SPDX-License-Identifier: GPL-2.0
/*
 * Pages held in writeback: ext4 on a device-mapper device that is
 * suspended without flushing, so writeback I/O is queued and never
 * completes until the device is resumed. The report must show exactly the
 * pages in flight, as cachestat(2) and /proc/meminfo do.
 */
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define DM_NAME "pcinspect-slow"

FIXTURE(dm) {
	char mnt[64];
	char path[96];
	bool mounted, created, suspended;
	char *rep;
};

FIXTURE_SETUP(dm)
{
	const char *spare = getenv("PCI_SPARE_DEV");
	unsigned long long bytes;
	int fd;

	if (!spare || !*spare)
		spare = "/dev/vdd";
	if (pci_run("command -v dmsetup >/dev/null && command -v mkfs.ext4 >/dev/null"))
		SKIP(return, "dmsetup or mkfs.ext4 missing in this guest");
	fd = open(spare, O_RDONLY);
	if (fd < 0)
		SKIP(return, "no spare disk %s", spare);
	ASSERT_EQ(0, ioctl(fd, BLKGETSIZE64, &bytes));
	close(fd);
	ASSERT_EQ(0, pci_ensure_module());
	ASSERT_EQ(0, pci_run("dmsetup create --noudevsync " DM_NAME
			 " --table '0 %llu linear %s 0' && dmsetup mknodes " DM_NAME,
			 bytes / 512, spare));
	self->created = true;
	ASSERT_EQ(0, pci_run("mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "
			 "/dev/mapper/" DM_NAME));
	strcpy(self->mnt, "/tmp/pcinspect-wb.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->mnt));
	ASSERT_EQ(0, mount("/dev/mapper/" DM_NAME, self->mnt, "ext4", 0,
			   "noinit_itable"));
	self->mounted = true;
	snprintf(self->path, sizeof(self->path), "%s/f", self->mnt);
	self->rep = malloc(PCI_REPORT_MAX);
	ASSERT_NE(NULL, self->rep);
}

FIXTURE_TEARDOWN(dm)
{
	if (self->suspended)
		pci_run("dmsetup resume " DM_NAME);
	if (self->mounted) {
		umount(self->mnt);
		rmdir(self->mnt);
	}
	if (self->created)
		pci_run("dmsetup remove " DM_NAME);
	free(self->rep);
}

/* Overwritten pages whose writeback cannot complete stay in writeback. */
TEST_F(dm, writeback_held)
{
	static struct pci_run runs[64];
	struct pci_cachestat cs;
	long wb_before, wb_held;
	int fd, n, i;

	fd = open(self->path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 256));
	ASSERT_EQ(0, fsync(fd));
	/* Rewrite in place: the blocks exist, no journal work is needed. */
	ASSERT_EQ(0, pci_fill(fd, 0, 256));
	ASSERT_LT(0, pci_report("", self->path, self->rep, PCI_REPORT_MAX));
	EXPECT_EQ(256, pci_get(self->rep, "dirty"));

	wb_before = pci_meminfo("Writeback");
	ASSERT_EQ(0, pci_run("dmsetup suspend --noflush --nolockfs " DM_NAME));
	self->suspended = true;
	/* Start writeback without waiting: the bios queue in dm. */
	ASSERT_EQ(0, sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE));

	ASSERT_LT(0, pci_report("map", self->path, self->rep, PCI_REPORT_MAX));
	wb_held = pci_meminfo("Writeback");
	EXPECT_EQ(256, pci_get(self->rep, "writeback"));
	EXPECT_EQ(0, pci_get(self->rep, "dirty"));
	EXPECT_EQ(256, pci_get(self->rep, "cached"));
	EXPECT_LE(256 * (long)(PCI_PAGE / 1024), wb_held - wb_before)
		TH_LOG("meminfo Writeback %ld -> %ld kB", wb_before, wb_held);
	if (pci_have_cachestat()) {
		ASSERT_EQ(0, pci_cachestat(fd, &cs));
		EXPECT_EQ(cs.nr_writeback, pci_get(self->rep, "writeback"));
		EXPECT_EQ(cs.nr_dirty, pci_get(self->rep, "dirty"));
	}
	n = pci_map(self->rep, runs, 64);
	ASSERT_LE(1, n);
	for (i = 0; i < n; i++)
		EXPECT_STREQ("writeback", runs[i].state);
	EXPECT_EQ(255, runs[n - 1].last);

	ASSERT_EQ(0, pci_run("dmsetup resume " DM_NAME));
	self->suspended = false;
	ASSERT_EQ(0, fsync(fd));
	ASSERT_LT(0, pci_report("", self->path, self->rep, PCI_REPORT_MAX));
	EXPECT_EQ(0, pci_get(self->rep, "writeback"));
	EXPECT_EQ(0, pci_get(self->rep, "dirty"));
	close(fd);
}

TEST_HARNESS_MAIN
