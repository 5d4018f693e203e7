// SPDX-License-Identifier: GPL-2.0
/*
 * Under kernel lockdown (what Secure Boot turns on) debugfs refuses files
 * that can be written. The read-only routes must keep working: version,
 * report (for a selection made earlier) and stdin/stdin-map.
 *
 * Raising lockdown cannot be undone until reboot: this test runs last.
 */
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define LOCKDOWN "/sys/kernel/security/lockdown"
#define FILES_PARAM "/sys/module/pcinspect/parameters/files_options"

/* Lines of a listing that are inodes, not header or "#" summaries. */
static int count_inode_lines(const char *listing)
{
	const char *p = listing;
	int n = 0;

	while (p && *p) {
		if (*p != '#' && *p != '\n')
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

TEST(read_only_routes_under_lockdown)
{
	static char rep[1 << 16];
	char path[] = "/tmp/pcinspect-lockdown.XXXXXX", state[128] = "";
	int fd, sel, lk;
	ssize_t n;

	ASSERT_EQ(0, pci_ensure_module());
	if (access(LOCKDOWN, F_OK))
		mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	lk = open(LOCKDOWN, O_RDWR);
	if (lk < 0)
		SKIP(return, "no lockdown LSM in this kernel: %m");

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 12));
	sel = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, sel);
	ASSERT_EQ((ssize_t)strlen(path), write(sel, path, strlen(path)));
	close(sel);

	if (write(lk, "integrity", 9) != 9) {
		close(lk);
		SKIP(return, "cannot raise lockdown: %m");
	}
	n = pread(lk, state, sizeof(state) - 1, 0);
	close(lk);
	ASSERT_LT(0, n);
	TH_LOG("lockdown: %s", state);
	ASSERT_NE(NULL, strstr(state, "[integrity]"));

	/* Files with a write bit are refused... */
	EXPECT_EQ(-1, open(PCI_DIR "/query", O_RDWR));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, open(PCI_DIR "/select", O_WRONLY));
	EXPECT_EQ(EPERM, errno);
	/* ...the read-only ones still answer, with the right numbers. */
	sel = open(PCI_DIR "/version", O_RDONLY);
	ASSERT_LE(0, sel);
	ASSERT_LT(0, pci_read_all(sel, rep, sizeof(rep)));
	close(sel);
	EXPECT_NE(NULL, strstr(rep, "format: " PCI_FORMAT "\n"));
	sel = open(PCI_DIR "/report", O_RDONLY);
	ASSERT_LE(0, sel);
	ASSERT_LT(0, pci_read_all(sel, rep, sizeof(rep)));
	close(sel);
	EXPECT_EQ(12, pci_get(rep, "cached"));
	ASSERT_LT(0, pci_report_stdin(fd, PCI_DIR "/stdin", rep, sizeof(rep)));
	EXPECT_EQ(12, pci_get(rep, "cached"));
	EXPECT_EQ(NULL, strstr(rep, "\nmap: "));
	ASSERT_LT(0, pci_report_stdin(fd, PCI_DIR "/stdin-map", rep, sizeof(rep)));
	EXPECT_EQ(12, pci_get(rep, "cached"));
	EXPECT_NE(NULL, strstr(rep, "\nmap: "));
	close(fd);
	unlink(path);

	/* The LRU walks are read-only files: they answer too. */
	if (!access(PCI_DIR "/lru", F_OK)) {
		size_t big = 16 << 20;
		char *text = malloc(big);

		ASSERT_NE(NULL, text);
		sel = open(PCI_DIR "/lru", O_RDONLY);
		ASSERT_LE(0, sel);
		ASSERT_LT(0, pci_read_all(sel, text, big));
		close(sel);
		EXPECT_EQ(0, strncmp(text, "# pcinspect lru format " PCI_FORMAT, 24));
		EXPECT_NE(NULL, strstr(text, "\n# walk "));
		sel = open(PCI_DIR "/lru-files", O_RDONLY);
		ASSERT_LE(0, sel);
		ASSERT_LT(0, pci_read_all(sel, text, big));
		close(sel);
		EXPECT_NE(NULL, strstr(text, "\n# walk "));
		free(text);
	}

	/* The listing: options through the module parameter, read-only file. */
	EXPECT_EQ(-1, open(PCI_DIR "/files-query", O_RDWR));
	EXPECT_EQ(EPERM, errno);
	sel = open(FILES_PARAM, O_WRONLY);
	ASSERT_LE(0, sel);
	EXPECT_EQ(11, write(sel, "min=1 top=3", 11));
	close(sel);
	sel = open(PCI_DIR "/files", O_RDONLY);
	ASSERT_LE(0, sel);
	ASSERT_LT(0, pci_read_all(sel, rep, sizeof(rep)));
	close(sel);
	EXPECT_EQ(0, strncmp(rep, "# pcinspect files format " PCI_FORMAT ":", 27));
	EXPECT_EQ(3, count_inode_lines(rep));
	sel = open(FILES_PARAM, O_WRONLY);
	ASSERT_LE(0, sel);
	EXPECT_EQ(1, write(sel, "\n", 1));
	close(sel);
}

TEST_HARNESS_MAIN
