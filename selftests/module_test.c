// SPDX-License-Identifier: GPL-2.0
/*
 * Module life cycle: load, read the version file, refuse unload while a
 * pcinspect file is open, unload cleanly, reload. Leaves the module loaded.
 */
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

static int unload(void)
{
	return syscall(__NR_delete_module, "pcinspect", O_NONBLOCK);
}

static void ensure_unloaded(struct __test_metadata *_metadata)
{
	if (access(PCI_DIR, F_OK) == 0)
		ASSERT_EQ(0, unload());
	ASSERT_NE(0, access(PCI_DIR, F_OK));
}

/* Loading creates the directory and a version file that names this kernel. */
TEST(load_and_version)
{
	static char buf[4096];
	struct utsname u;
	char kernel[256];
	int fd;

	ensure_unloaded(_metadata);
	ASSERT_EQ(0, pci_ensure_module());
	fd = open(PCI_DIR "/version", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, pci_read_all(fd, buf, sizeof(buf)));
	close(fd);
	TH_LOG("version file:\n%s", buf);
	EXPECT_EQ(PCI_FORMAT_NUM, pci_get(buf, "format"));
	EXPECT_EQ(sysconf(_SC_PAGESIZE), pci_get(buf, "page_size"));
	ASSERT_EQ(0, uname(&u));
	ASSERT_TRUE(pci_get_str(buf, "kernel", kernel, sizeof(kernel)));
	EXPECT_STREQ(u.release, kernel);
	EXPECT_TRUE(strstr(buf, "\nmodule: ") != NULL);
	EXPECT_TRUE(strstr(buf, "\nfeatures:") != NULL);
}

/* Every file is root-only, and only control files can be written. */
TEST(file_modes)
{
	static const struct { const char *name; mode_t mode; } files[] = {
		{ "version", 0400 }, { "select", 0200 }, { "report", 0400 },
		{ "query", 0600 }, { "stdin", 0400 }, { "stdin-map", 0400 },
	};
	char path[256];
	struct stat st;
	size_t i;

	ASSERT_EQ(0, pci_ensure_module());
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), PCI_DIR "/%s", files[i].name);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s: %m", path);
		EXPECT_EQ(files[i].mode, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
	}
}

/*
 * An open pcinspect file pins the module: delete_module() fails without
 * waiting (the kernel says EWOULDBLOCK, "in use"), the file stays usable,
 * and unloading works once it is closed.
 */
TEST(unload_refused_while_open)
{
	static char buf[1 << 16];
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	fd = open(PCI_DIR "/query", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, write(fd, "/proc/self/exe", 14));
	EXPECT_EQ(-1, unload());
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_LT(0, pci_read_all(fd, buf, sizeof(buf)));
	EXPECT_LT(0, pci_get(buf, "size"));
	close(fd);
	EXPECT_EQ(0, unload());
	EXPECT_NE(0, access(PCI_DIR, F_OK));
}

/* A selection does not survive a reload; the new module starts empty. */
TEST(reload_forgets_selection)
{
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	fd = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(14, write(fd, "/proc/self/exe", 14));
	close(fd);
	fd = open(PCI_DIR "/report", O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, unload());
	ASSERT_EQ(0, pci_ensure_module());
	EXPECT_EQ(-1, open(PCI_DIR "/report", O_RDONLY));
	EXPECT_EQ(ENODATA, errno);
}

/* Many load/unload cycles leave nothing behind and keep working. */
TEST(load_unload_cycles)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, pci_ensure_module());
		ASSERT_EQ(0, access(PCI_DIR "/version", R_OK));
		ASSERT_EQ(0, unload());
	}
	ASSERT_EQ(0, pci_ensure_module());
}

TEST_HARNESS_MAIN
