// SPDX-License-Identifier: GPL-2.0
/*
 * The memcg key of the per-file report (memcgN.*) and of the lru records
 * (ino=): N is the cgroup's inode number, the st_ino that stat(2) gives
 * for its directory under /sys/fs/cgroup, unique and kept while a removed
 * memcg is dying (the kernel's memcg ID is 0 then on 6.1 and 6.12, so two
 * dying memcgs once shared "memcg0"); dying memcgs are marked; an open
 * report holds no reference on the memcgs it names, so a removed memcg
 * whose pages are gone is freed while the report stays open.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define CG_ROOT		"/sys/fs/cgroup"
#define CG_A		CG_ROOT "/pci-memcg-a"
#define CG_B		CG_ROOT "/pci-memcg-b"
#define FILE_PAGES	512UL
/* dying_memcgs_unique_keys: two ranges far apart, beyond any readahead. */
#define SPLIT_PAGES	8192UL
#define SPLIT_RANGE	256UL
#define LRU_MAX		(32 << 20)

static long slack(void)
{
	const char *s = getenv("PCI_LRU_SLACK");

	return s ? atol(s) : 64;
}

/* Empty the per-CPU LRU batches (mlock() drains them on every CPU). */
static void drain_lru_batches(void)
{
	static char page[PCI_PAGE_MAX] __attribute__((aligned(PCI_PAGE_MAX)));

	if (!mlock(page, PCI_PAGE))
		munlock(page, PCI_PAGE);
}

/* A child joins @cg and reads pages [first, first + n) of @fd. */
static int read_in_cgroup(const char *cg, int fd, unsigned long first,
			  unsigned long n)
{
	char procs[256];
	int status;
	pid_t pid;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		char me[16];

		snprintf(me, sizeof(me), "%d", getpid());
		if (pci_write_str(procs, me))
			_exit(1);
		_exit(pci_read_pages(fd, first, n) ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

static long long cgroup_stat(const char *key)
{
	char name[64];
	long long v, ret = -1;
	FILE *f = fopen(CG_ROOT "/cgroup.stat", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", name, &v) == 2)
		if (!strcmp(name, key))
			ret = v;
	fclose(f);
	return ret;
}

/* The " key=" value of one line, up to its end, as a string. */
static bool kv_str(const char *line, const char *key, char *out, size_t size)
{
	char pat[64];
	const char *p, *end = strchrnul(line, '\n');
	size_t n = 0;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p || p > end)
		return false;
	for (p += strlen(pat); p < end && *p != ' ' && n + 1 < size; p++)
		out[n++] = *p;
	out[n] = '\0';
	return true;
}

/*
 * In the lru text, the lruvec and gen records of one cgroup path: how many,
 * how many carry ino=@ino and state=@state.
 */
static void lru_rows(const char *text, const char *memcg, unsigned long long ino,
		     const char *state, int *rows, int *match)
{
	char path[256], v[32], st[16];
	const char *line;

	*rows = *match = 0;
	for (line = text; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, "lruvec ", 7) && strncmp(line, "gen ", 4))
			continue;
		if (!kv_str(line, "memcg", path, sizeof(path)) ||
		    strcmp(path, memcg))
			continue;
		(*rows)++;
		if (kv_str(line, "ino", v, sizeof(v)) &&
		    strtoull(v, NULL, 10) == ino &&
		    kv_str(line, "state", st, sizeof(st)) && !strcmp(st, state))
			(*match)++;
	}
}

static char *read_lru(void)
{
	char *buf = malloc(LRU_MAX);
	int fd = open(PCI_DIR "/lru", O_RDONLY | O_CLOEXEC);

	if (!buf || fd < 0 || pci_read_all(fd, buf, LRU_MAX) < 0) {
		free(buf);
		buf = NULL;
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

FIXTURE(memcg) {
	char path[256];
	int fd;
};

FIXTURE_SETUP(memcg)
{
	const char *d = getenv("PCI_EXT4");

	self->fd = -1;
	self->path[0] = '\0';
	ASSERT_EQ(0, pci_ensure_module());
	if (!d || !*d)
		SKIP(return, "no ext4 mount (PCI_EXT4)");
	if (access(CG_ROOT "/cgroup.controllers", R_OK))
		SKIP(return, "no cgroup2 at %s", CG_ROOT);
	pci_write_str(CG_ROOT "/cgroup.subtree_control", "+memory");
	rmdir(CG_A);
	rmdir(CG_B);
	snprintf(self->path, sizeof(self->path), "%s/memcg_test.%d", d, getpid());
	self->fd = open(self->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pci_fill(self->fd, 0, FILE_PAGES));
	pci_drop_cache(self->fd);
}

FIXTURE_TEARDOWN(memcg)
{
	if (self->fd >= 0) {
		pci_drop_cache(self->fd);
		close(self->fd);
	}
	if (self->path[0])
		unlink(self->path);
	rmdir(CG_A);
	rmdir(CG_B);
}

/* memcgN.cached, .path and .state of the memcg with inode number @ino. */
static long long rep_memcg(const char *r, unsigned long long ino,
			   char *path, size_t psize, char *state, size_t ssize)
{
	char key[64];

	snprintf(key, sizeof(key), "memcg%llu.path", ino);
	if (!pci_get_str(r, key, path, psize))
		path[0] = '\0';
	snprintf(key, sizeof(key), "memcg%llu.state", ino);
	if (!pci_get_str(r, key, state, ssize))
		state[0] = '\0';
	snprintf(key, sizeof(key), "memcg%llu.cached", ino);
	return pci_get(r, key);
}

/*
 * Two memcgs, each charged half of a file, then both removed while the
 * pages stay cached: two keys, the inode numbers stat(2) gave before the
 * rmdir, both marked dying, in the report and in the lru records.
 */
TEST_F_TIMEOUT(memcg, dying_memcgs_unique_keys, 300)
{
	char *r = malloc(PCI_REPORT_MAX), *text;
	char path[256], state[16];
	unsigned long long ino_a, ino_b;
	long long a, b, root;
	int rows, match;
	struct stat st;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(0, mkdir(CG_A, 0755));
	ASSERT_EQ(0, mkdir(CG_B, 0755));
	ASSERT_EQ(0, stat(CG_A, &st));
	ino_a = st.st_ino;
	ASSERT_EQ(0, stat(CG_B, &st));
	ino_b = st.st_ino;
	/*
	 * Each memcg reads its own range: on 7.2 ext4's large folios and
	 * readahead brought the whole 512-page file in at the first read.
	 */
	ASSERT_EQ(0, pci_fill(self->fd, 0, SPLIT_PAGES));
	pci_drop_cache(self->fd);
	ASSERT_EQ(0, posix_fadvise(self->fd, 0, 0, POSIX_FADV_RANDOM));
	ASSERT_EQ(0, read_in_cgroup(CG_A, self->fd, 0, SPLIT_RANGE));
	ASSERT_EQ(0, read_in_cgroup(CG_B, self->fd, SPLIT_PAGES / 2,
				    SPLIT_RANGE));
	drain_lru_batches();

	ASSERT_LT(0, pci_report("", self->path, r, PCI_REPORT_MAX));
	a = rep_memcg(r, ino_a, path, sizeof(path), state, sizeof(state));
	TH_LOG("online: memcg%llu.cached %lld path %s state %s", ino_a, a,
	       path, state);
	EXPECT_GE(a, (long long)SPLIT_RANGE - slack());
	EXPECT_STREQ("/pci-memcg-a", path);
	EXPECT_STREQ("online", state);
	b = rep_memcg(r, ino_b, path, sizeof(path), state, sizeof(state));
	TH_LOG("online: memcg%llu.cached %lld path %s state %s", ino_b, b,
	       path, state);
	EXPECT_GE(b, (long long)SPLIT_RANGE - slack());
	EXPECT_STREQ("/pci-memcg-b", path);
	EXPECT_STREQ("online", state);

	ASSERT_EQ(0, rmdir(CG_A));
	ASSERT_EQ(0, rmdir(CG_B));
	ASSERT_LT(0, pci_report("", self->path, r, PCI_REPORT_MAX));
	a = rep_memcg(r, ino_a, path, sizeof(path), state, sizeof(state));
	TH_LOG("removed: memcg%llu.cached %lld path %s state %s", ino_a, a,
	       path, state);
	root = pci_get(r, "memcg1.cached");
	EXPECT_EQ(-1, pci_get(r, "memcg0.cached"));
	if (a < 0 && root >= 2 * (long long)SPLIT_RANGE - slack()) {
		/* Kernels that reparent a removed memcg's pages at once. */
		TH_LOG("pages reparented to the root at rmdir (memcg1.cached %lld): no dying memcg to check",
		       root);
		free(r);
		return;
	}
	EXPECT_GE(a, (long long)SPLIT_RANGE - slack());
	EXPECT_STREQ("/pci-memcg-a", path);
	EXPECT_STREQ("dying", state);
	b = rep_memcg(r, ino_b, path, sizeof(path), state, sizeof(state));
	TH_LOG("removed: memcg%llu.cached %lld path %s state %s", ino_b, b,
	       path, state);
	EXPECT_GE(b, (long long)SPLIT_RANGE - slack());
	EXPECT_STREQ("/pci-memcg-b", path);
	EXPECT_STREQ("dying", state);

	text = read_lru();
	ASSERT_NE(NULL, text);
	lru_rows(text, "/pci-memcg-a", ino_a, "dying", &rows, &match);
	TH_LOG("lru: /pci-memcg-a %d rows, %d with ino=%llu state=dying", rows,
	       match, ino_a);
	EXPECT_GT(rows, 0);
	EXPECT_EQ(rows, match);
	lru_rows(text, "/pci-memcg-b", ino_b, "dying", &rows, &match);
	TH_LOG("lru: /pci-memcg-b %d rows, %d with ino=%llu state=dying", rows,
	       match, ino_b);
	EXPECT_GT(rows, 0);
	EXPECT_EQ(rows, match);
	free(text);
	free(r);
}

/* Poll nr_dying_descendants of the root until it is at most @want. */
static long long wait_dying(long long want, int seconds)
{
	long long n = cgroup_stat("nr_dying_descendants");
	int i;

	for (i = 0; i < seconds * 10 && n > want; i++) {
		usleep(100000);
		n = cgroup_stat("nr_dying_descendants");
	}
	return n;
}

/*
 * A report that named a memcg, kept open: the memcg, removed and with no
 * pages left, is freed anyway (nr_dying_descendants falls back) while the
 * report's file stays open.
 */
TEST_F_TIMEOUT(memcg, open_report_pins_nothing, 300)
{
	char *r = malloc(PCI_REPORT_MAX), q[512], path[256], state[16];
	long long before, dying_open, dying_closed, a;
	unsigned long long ino;
	struct stat st;
	int qfd;

	ASSERT_NE(NULL, r);
	before = cgroup_stat("nr_dying_descendants");
	if (before < 0)
		SKIP(return, "no nr_dying_descendants in %s/cgroup.stat", CG_ROOT);
	ASSERT_EQ(0, mkdir(CG_A, 0755));
	ASSERT_EQ(0, stat(CG_A, &st));
	ino = st.st_ino;
	ASSERT_EQ(0, read_in_cgroup(CG_A, self->fd, 0, FILE_PAGES));
	drain_lru_batches();

	qfd = open(PCI_DIR "/query", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, qfd);
	snprintf(q, sizeof(q), "%s\n", self->path);
	ASSERT_EQ((ssize_t)strlen(q), write(qfd, q, strlen(q)));
	ASSERT_LT(0, pci_read_all(qfd, r, PCI_REPORT_MAX));
	a = rep_memcg(r, ino, path, sizeof(path), state, sizeof(state));
	TH_LOG("memcg%llu.cached %lld path %s state %s", ino, a, path, state);
	EXPECT_GE(a, (long long)FILE_PAGES - slack());

	/* Its pages gone and the cgroup removed, only a reference keeps it. */
	pci_drop_cache(self->fd);
	ASSERT_EQ(0, rmdir(CG_A));
	dying_open = wait_dying(before, 20);
	close(qfd);
	dying_closed = wait_dying(before, 20);
	TH_LOG("nr_dying_descendants: %lld before, %lld with the report open, %lld after closing it",
	       before, dying_open, dying_closed);
	if (dying_closed > before)
		SKIP(goto out, "the removed memcg stays dying after the report closed: something else holds it");
	EXPECT_LE(dying_open, before);
out:
	free(r);
}

TEST_HARNESS_MAIN
