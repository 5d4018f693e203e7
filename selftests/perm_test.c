// SPDX-License-Identifier: GPL-2.0
/*
 * Permissions: file names and cache residency tell what others have been
 * reading, so every pcinspect file and module parameter is root-only. The
 * modes say so (owner bits only), and a process that has dropped every
 * capability and become nobody (65534) gets EACCES on each of them, even
 * when the debugfs mount itself lets it through.
 */
#include <dirent.h>
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define DEBUGFS		"/sys/kernel/debug"
#define PARAMS		"/sys/module/pcinspect/parameters"
#define NOBODY		65534
#define MAX_FILES	64

struct perm_file {
	char path[300];
	mode_t mode;
};

/* Every regular file under dir: the names are discovered, not listed. */
static int list_files(const char *dir, struct perm_file *f, int max)
{
	struct dirent *de;
	struct stat sb;
	int n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(f[n].path, sizeof(f[n].path), "%s/%.200s", dir, de->d_name);
		if (stat(f[n].path, &sb) || !S_ISREG(sb.st_mode))
			continue;
		f[n++].mode = sb.st_mode & 07777;
	}
	closedir(d);
	return n;
}

/*
 * In a child: drop every capability (bounding set, then all sets through
 * setuid away from root without PR_SET_KEEPCAPS), become 65534, then try
 * each file read-only and write-only. Writes "errno_read errno_write" per
 * file to the pipe; 0 means the open succeeded.
 */
static void as_nobody(struct perm_file *f, int n, int out)
{
	char buf[128], status[4096];
	const char *cap;
	int i, fd, er, ew;

	for (i = 0; i <= CAP_LAST_CAP; i++)
		prctl(PR_CAPBSET_DROP, i, 0, 0, 0);
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		_exit(2);
	fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0 || read(fd, status, sizeof(status) - 1) <= 0)
		_exit(3);
	close(fd);
	status[sizeof(status) - 1] = '\0';
	cap = strstr(status, "CapEff:\t");
	if (!cap || strncmp(cap + 8, "0000000000000000", 16))
		_exit(4);	/* still has capabilities: the test would lie */
	for (i = 0; i < n; i++) {
		fd = open(f[i].path, O_RDONLY);
		er = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		fd = open(f[i].path, O_WRONLY);
		ew = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		snprintf(buf, sizeof(buf), "%d %d\n", er, ew);
		if (write(out, buf, strlen(buf)) < 0)
			_exit(5);
	}
	_exit(0);
}

/* Run as_nobody and check each file was refused with EACCES both ways. */
static void check_refused(struct __test_metadata *_metadata,
			  struct perm_file *f, int n)
{
	static char res[MAX_FILES * 32];
	int p[2], status, i, er, ew;
	ssize_t len = 0, r;
	char *line;
	pid_t pid;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(p[0]);
		as_nobody(f, n, p[1]);
	}
	close(p[1]);
	while ((r = read(p[0], res + len, sizeof(res) - 1 - len)) > 0)
		len += r;
	close(p[0]);
	res[len] = '\0';
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the child could not drop privileges (step %d)", WEXITSTATUS(status));
	line = res;
	for (i = 0; i < n; i++) {
		ASSERT_EQ(2, sscanf(line, "%d %d", &er, &ew));
		EXPECT_EQ(EACCES, er) TH_LOG("%s read by uid %d: %s", f[i].path,
					     NOBODY, er ? strerror(er) : "allowed");
		EXPECT_EQ(EACCES, ew) TH_LOG("%s written by uid %d: %s", f[i].path,
					     NOBODY, ew ? strerror(ew) : "allowed");
		line = strchr(line, '\n') + 1;
	}
	TH_LOG("uid %d refused with EACCES on %d files", NOBODY, n);
}

/* Owner bits only, owned by root, and at least one of them. */
static void check_modes(struct __test_metadata *_metadata, struct perm_file *f,
			int n)
{
	struct stat sb;
	int i;

	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, stat(f[i].path, &sb));
		EXPECT_EQ(0, sb.st_uid) TH_LOG("%s", f[i].path);
		EXPECT_EQ(0, f[i].mode & 077)
			TH_LOG("%s has mode %04o: group or other bits", f[i].path, f[i].mode);
		EXPECT_TRUE(f[i].mode == 0400 || f[i].mode == 0200 || f[i].mode == 0600)
			TH_LOG("%s has mode %04o", f[i].path, f[i].mode);
		TH_LOG("%-50s %04o", f[i].path, f[i].mode);
	}
}

TEST(debugfs_modes)
{
	struct perm_file f[MAX_FILES];
	int n;

	ASSERT_EQ(0, pci_ensure_module());
	n = list_files(PCI_DIR, f, MAX_FILES);
	ASSERT_LE(7, n) TH_LOG("%d files in " PCI_DIR, n);
	check_modes(_metadata, f, n);
}

TEST(parameter_modes)
{
	struct perm_file f[MAX_FILES];
	int n;

	ASSERT_EQ(0, pci_ensure_module());
	n = list_files(PARAMS, f, MAX_FILES);
	ASSERT_LE(1, n) TH_LOG("no parameters in " PARAMS ": %s", strerror(-n));
	check_modes(_metadata, f, n);
}

/*
 * With debugfs opened up to everyone (0755 on its root for the length of
 * the test), only the files' own modes stand between nobody and them.
 */
FIXTURE(open_debugfs) {
	mode_t saved;
	bool changed;
};

FIXTURE_SETUP(open_debugfs)
{
	struct stat sb;

	ASSERT_EQ(0, pci_ensure_module());
	ASSERT_EQ(0, stat(DEBUGFS, &sb));
	self->saved = sb.st_mode & 07777;
	self->changed = chmod(DEBUGFS, 0755) == 0;
}

FIXTURE_TEARDOWN(open_debugfs)
{
	if (self->changed && chmod(DEBUGFS, self->saved))
		TH_LOG("could not restore " DEBUGFS " to %04o", self->saved);
}

TEST_F(open_debugfs, refused_to_nobody)
{
	struct perm_file f[MAX_FILES];
	int n;

	if (!self->changed)
		SKIP(return, "cannot open up " DEBUGFS " for the test");
	n = list_files(PCI_DIR, f, MAX_FILES);
	ASSERT_LE(7, n);
	check_refused(_metadata, f, n);
}

/* The parameters live in sysfs, which anyone may walk. */
TEST(parameters_refused_to_nobody)
{
	struct perm_file f[MAX_FILES];
	int n;

	ASSERT_EQ(0, pci_ensure_module());
	n = list_files(PARAMS, f, MAX_FILES);
	ASSERT_LE(1, n);
	check_refused(_metadata, f, n);
}

TEST_HARNESS_MAIN
