// SPDX-License-Identifier: GPL-2.0
/*
 * The system-wide listing (files, files-query): finds files nobody holds
 * open, deleted-but-open files, tmpfs files and block devices with the
 * right path and with the counts of the per-file report; relates its sum
 * to /proc/meminfo; stays well formed under partial and 1-byte reads and
 * under churn (creates, truncates, unlinks, drop_caches, mounts and
 * unmounts); leaves no inode busy behind it.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define FILES		PCI_DIR "/files"
#define FILES_QUERY	PCI_DIR "/files-query"
#define FILES_PARAM	"/sys/module/pcinspect/parameters/files_options"
#define LISTING_MAX	(64 << 20)
#define HEADER		"# pcinspect files format 4: fs dev ino id cached dirty writeback size type name path\n"

struct fline {
	char fs[32];
	unsigned int major, minor;
	unsigned long long ino, id;
	long long cached, dirty, writeback, size;
	char type[16];
	char name[16];
	char path[4200];	/* unescaped */
};

struct listing {
	char *text;
	size_t len;
	struct fline *lines;
	int n;
	long long listed, visited, skipped;	/* from the walk line */
	long long sum_cached;			/* over the lines */
	bool walk_seen;
};

/* Undo the /proc/mounts escaping (\ooo) of a path column. */
static void unescape(const char *in, char *out, size_t size)
{
	size_t o = 0;

	while (*in && o + 1 < size) {
		if (in[0] == '\\' && in[1] >= '0' && in[1] <= '7' &&
		    in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
			out[o++] = (in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0');
			in += 4;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

static long long walk_key(const char *line, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/*
 * Parse a whole listing. Returns 0 when it is well formed: the header
 * first, data lines of eleven columns, "# total" lines, then one walk line
 * last whose listed= matches the number of data lines.
 */
static int parse_listing(struct listing *l)
{
	char *p = l->text, *eol, esc[8400];
	int cap = 0;

	l->n = 0;
	l->sum_cached = 0;
	l->walk_seen = false;
	if (strncmp(p, HEADER, strlen(HEADER)))
		return -1;
	p = strchr(p, '\n') + 1;
	while (*p) {
		struct fline *f;

		eol = strchr(p, '\n');
		if (!eol || l->walk_seen)
			return -2;	/* unterminated line, or after the end */
		*eol = '\0';
		if (!strncmp(p, "# total ", 8)) {
			/* fine */
		} else if (!strncmp(p, "# walk ", 7)) {
			l->walk_seen = true;
			l->listed = walk_key(p, "listed");
			l->visited = walk_key(p, "visited");
			l->skipped = walk_key(p, "skipped");
		} else {
			if (l->n == cap) {
				cap = cap ? 2 * cap : 1024;
				l->lines = realloc(l->lines, cap * sizeof(*l->lines));
				if (!l->lines)
					return -3;
			}
			f = &l->lines[l->n];
			if (sscanf(p, "%31s %u:%u %llu %llx %lld %lld %lld %lld %15s %15s %8399s",
				   f->fs, &f->major, &f->minor, &f->ino, &f->id,
				   &f->cached, &f->dirty, &f->writeback, &f->size,
				   f->type, f->name, esc) != 12) {
				*eol = '\n';
				return -4;
			}
			unescape(esc, f->path, sizeof(f->path));
			l->sum_cached += f->cached;
			l->n++;
		}
		*eol = '\n';
		p = eol + 1;
	}
	if (!l->walk_seen || l->listed != l->n)
		return -5;
	return 0;
}

static ssize_t read_fd_all(int fd, char *buf, size_t size, size_t chunk)
{
	size_t len = 0;
	ssize_t n;

	for (;;) {
		if (len + 1 >= size)
			return -E2BIG;
		n = read(fd, buf + len, chunk < size - 1 - len ? chunk : size - 1 - len);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/* Read a listing from @file ("files" or "files-query" with @opts). */
static int get_listing(struct listing *l, const char *file, const char *opts,
		       size_t chunk)
{
	ssize_t n;
	int fd = open(file, opts ? O_RDWR : O_RDONLY);

	if (fd < 0)
		return -errno;
	if (opts && write(fd, opts, strlen(opts)) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	if (!l->text)
		l->text = malloc(LISTING_MAX);
	if (!l->text) {
		close(fd);
		return -ENOMEM;
	}
	n = read_fd_all(fd, l->text, LISTING_MAX, chunk);
	close(fd);
	if (n < 0)
		return n;
	l->len = n;
	return parse_listing(l) ? -EBADMSG : 0;
}

static void free_listing(struct listing *l)
{
	free(l->text);
	free(l->lines);
	memset(l, 0, sizeof(*l));
}

static struct fline *find_line(struct listing *l, dev_t dev, ino_t ino)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (makedev(l->lines[i].major, l->lines[i].minor) == dev &&
		    l->lines[i].ino == ino)
			return &l->lines[i];
	return NULL;
}

static bool kernel_log_has(const char *what)
{
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;
	bool found;

	if (size <= 0)
		return false;
	buf = calloc(1, size + 1);
	if (!buf)
		return false;
	size = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	found = size > 0 && strstr(buf, what);
	free(buf);
	return found;
}

static const char *mnt_of(const char *env, const char *dflt)
{
	const char *m = getenv(env);
	struct statfs sfs;

	if (!m)
		m = dflt;
	if (!*m || statfs(m, &sfs))
		return NULL;
	return m;
}

FIXTURE(files) {
	struct listing l;
	char *rep;
	char dir[256];		/* on ext4 */
	char tdir[256];		/* on tmpfs */
	const char *ext4, *tmpfs;
};

FIXTURE_SETUP(files)
{
	ASSERT_EQ(0, pci_ensure_module());
	if (access(FILES, R_OK))
		SKIP(return, "no %s: module without the listing", FILES);
	memset(&self->l, 0, sizeof(self->l));
	self->rep = malloc(PCI_REPORT_MAX);
	ASSERT_NE(NULL, self->rep);
	self->ext4 = mnt_of("PCI_EXT4", "/mnt/ext4");
	self->tmpfs = mnt_of("PCI_TMPFS", "/mnt/tmpfs");
	self->dir[0] = self->tdir[0] = '\0';
	if (self->ext4) {
		snprintf(self->dir, sizeof(self->dir), "%s/files_test.%d",
			 self->ext4, getpid());
		mkdir(self->dir, 0700);
	}
	if (self->tmpfs) {
		snprintf(self->tdir, sizeof(self->tdir), "%s/files_test.%d",
			 self->tmpfs, getpid());
		mkdir(self->tdir, 0700);
	}
}

FIXTURE_TEARDOWN(files)
{
	char cmd[600];

	if (self->dir[0] || self->tdir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", self->dir, self->tdir);
		if (system(cmd))
			TH_LOG("cleanup failed");
	}
	free_listing(&self->l);
	free(self->rep);
}

/* The line for @path must match the per-file report taken right after. */
static const struct fline *check_against_report(struct __test_metadata *_metadata,
				 FIXTURE_DATA(files) *self, const char *fs,
				 const char *path, const char *want_path,
				 const char *want_name, int stdin_fd)
{
	struct stat st;
	struct fline *f;
	ssize_t n;

	/* ASSERT_* longjmp out of the test: no return value needed. */
	ASSERT_EQ(0, stdin_fd >= 0 ? fstat(stdin_fd, &st) : stat(path, &st));
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "", 1 << 16));
	if (stdin_fd >= 0)
		n = pci_report_stdin(stdin_fd, PCI_DIR "/stdin", self->rep,
				     PCI_REPORT_MAX);
	else
		n = pci_report("", path, self->rep, PCI_REPORT_MAX);
	ASSERT_LT(0, n) TH_LOG("report %s: %s", path, strerror(-n));

	if (S_ISBLK(st.st_mode))
		f = find_line(&self->l, st.st_rdev, pci_get(self->rep, "ino"));
	else
		f = find_line(&self->l, st.st_dev, st.st_ino);
	ASSERT_NE(NULL, f) TH_LOG("%s (ino %llu) not in the listing", path,
				  (unsigned long long)st.st_ino);
	EXPECT_STREQ(fs, f->fs);
	EXPECT_STREQ(want_name, f->name);
	EXPECT_STREQ(want_path ? want_path : "-", f->path);
	EXPECT_LT(0, f->cached);
	EXPECT_EQ(pci_get(self->rep, "cached"), f->cached);
	EXPECT_EQ(pci_get(self->rep, "nrpages"), f->cached);
	EXPECT_EQ(pci_get(self->rep, "dirty"), f->dirty);
	EXPECT_EQ(pci_get(self->rep, "writeback"), f->writeback);
	/* i_size and type, so that a reader needs no stat(2) per file */
	EXPECT_EQ(pci_get(self->rep, "size"), f->size);
	EXPECT_STREQ(S_ISBLK(st.st_mode) ? "blk" : "reg", f->type);
	return f;
}

/* Written, closed, nobody holds it: found by its path, with a space in it. */
TEST_F(files, closed_file)
{
	const struct fline *f;
	char path[512], want[512];
	int fd;

	if (!self->ext4)
		SKIP(return, "ext4 is not mounted");
	snprintf(path, sizeof(path), "%s/closed file", self->dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 37));
	fsync(fd);
	close(fd);
	snprintf(want, sizeof(want), "%s/closed file", self->dir + strlen(self->ext4));
	f = check_against_report(_metadata, self, "ext4", path, want, "path", -1);
	ASSERT_NE(NULL, f);
	EXPECT_EQ(37, f->cached);
	EXPECT_EQ(0, f->dirty);
}

/* Dirty pages are counted too, and agree with the per-file report. */
TEST_F(files, dirty_file)
{
	char path[512], want[512];
	int fd;

	if (!self->ext4)
		SKIP(return, "ext4 is not mounted");
	snprintf(path, sizeof(path), "%s/dirty", self->dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 16));
	close(fd);
	snprintf(want, sizeof(want), "%s/dirty", self->dir + strlen(self->ext4));
	check_against_report(_metadata, self, "ext4", path, want, "path", -1);
}

/* Unlinked while open: listed as deleted, with its last path. */
TEST_F(files, deleted_open_file)
{
	char path[512], want[512];
	int fd;

	if (!self->ext4)
		SKIP(return, "ext4 is not mounted");
	snprintf(path, sizeof(path), "%s/deleted", self->dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 20));
	fsync(fd);
	ASSERT_EQ(0, unlink(path));
	snprintf(want, sizeof(want), "%s/deleted", self->dir + strlen(self->ext4));
	check_against_report(_metadata, self, "ext4", path, want, "deleted", fd);
	close(fd);
}

TEST_F(files, tmpfs_file)
{
	char path[512], want[512];
	int fd;

	if (!self->tmpfs)
		SKIP(return, "tmpfs is not mounted");
	snprintf(path, sizeof(path), "%s/tmp\tfile", self->tdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 11));
	close(fd);
	snprintf(want, sizeof(want), "%s/tmp\tfile", self->tdir + strlen(self->tmpfs));
	check_against_report(_metadata, self, "tmpfs", path, want, "path", -1);
}

/*
 * A tmpfs symlink too long to live in its inode (128 bytes and more)
 * keeps its target in its own page cache, as btrfs symlinks do (ext4's
 * read theirs through the block device's buffers, 6.12's ext4_get_link):
 * listed, with type lnk and the target's length as size, so that a
 * reader listing a tree's regular files can leave it out without stat(2).
 */
TEST_F(files, symlink_type)
{
	char path[512], target[201];
	const struct fline *f;
	struct stat st;

	if (!self->tmpfs)
		SKIP(return, "tmpfs is not mounted");
	memset(target, 'x', sizeof(target) - 1);
	target[0] = '/';
	target[sizeof(target) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/long-link", self->tdir);
	ASSERT_EQ(0, symlink(target, path));
	sync();
	ASSERT_EQ(0, lstat(path, &st));
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "", 1 << 16));
	f = find_line(&self->l, st.st_dev, st.st_ino);
	ASSERT_NE(NULL, f) TH_LOG("the symlink (ino %llu) is not listed",
				  (unsigned long long)st.st_ino);
	EXPECT_STREQ("lnk", f->type);
	EXPECT_EQ((long long)strlen(target), f->size);
	EXPECT_STREQ("path", f->name);
	EXPECT_LT(0, f->cached);
}

/*
 * A block device read directly: the bdev inode's page cache, no path. The
 * last close of a device nothing is mounted on drops its page cache, so
 * the device stays open while the listing is taken.
 */
TEST_F(files, block_device)
{
	const char *dev = getenv("PCI_SPARE_DEV");
	int fd;

	if (!dev)
		dev = "/dev/vdd";
	fd = open(dev, O_RDONLY);
	if (fd < 0)
		SKIP(return, "no spare block device %s", dev);
	ASSERT_EQ(0, pci_read_pages(fd, 0, 64));
	check_against_report(_metadata, self, "bdev", dev, NULL, "none", fd);
	/* The fs column of one device only. */
	{
		struct stat st;
		char opts[64];

		ASSERT_EQ(0, stat(dev, &st));
		snprintf(opts, sizeof(opts), "fs=bdev dev=%u:%u\n",
			 major(st.st_rdev), minor(st.st_rdev));
		ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, opts, 1 << 16));
		ASSERT_EQ(1, self->l.n);
		EXPECT_LE(64, self->l.lines[0].cached);
	}
	close(fd);
}

/* The files_options parameter as sysfs shows it. */
static ssize_t read_param(char *buf, size_t size)
{
	int fd = open(FILES_PARAM, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pci_read_all(fd, buf, size);
	close(fd);
	return n;
}

/*
 * Options: fs=, dev=, min=, top= through files-query, the same through
 * the files_options parameter for the read-only file, and errors.
 */
TEST_F(files, options)
{
	struct listing all = { 0 };
	char path[512], opts[128], before[512], after[512];
	struct stat st;
	int fd, i;

	if (!self->tmpfs)
		SKIP(return, "tmpfs is not mounted");
	/* Three files of distinct sizes, bigger than anything else there. */
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/opt%d", self->tdir, i);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, pci_fill(fd, 0, 3000 + 100 * i));
		close(fd);
	}
	ASSERT_EQ(0, stat(path, &st));
	snprintf(opts, sizeof(opts), "fs=tmpfs dev=%u:%u top=2",
		 major(st.st_dev), minor(st.st_dev));
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, opts, 1 << 16));
	ASSERT_EQ(2, self->l.n);
	EXPECT_EQ(3200, self->l.lines[0].cached);
	EXPECT_EQ(3100, self->l.lines[1].cached);
	EXPECT_EQ(st.st_ino, self->l.lines[0].ino);

	snprintf(opts, sizeof(opts), "dev=%u:%u min=3050",
		 major(st.st_dev), minor(st.st_dev));
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, opts, 1 << 16));
	EXPECT_EQ(2, self->l.n);
	for (i = 0; i < self->l.n; i++)
		EXPECT_LE(3050, self->l.lines[i].cached);

	/* Every line of fs=ext4 is ext4. */
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "fs=ext4", 1 << 16));
	for (i = 0; i < self->l.n; i++)
		EXPECT_STREQ("ext4", self->l.lines[i].fs);

	/* The read-only file takes its options from the module parameter. */
	fd = open(FILES_PARAM, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, write(fd, "fs=tmpfs top=1\n", 15));
	close(fd);
	ASSERT_EQ(0, get_listing(&all, FILES, NULL, 1 << 16));
	EXPECT_EQ(1, all.n);
	EXPECT_STREQ("tmpfs", all.lines[0].fs);
	EXPECT_LE(3200, all.lines[0].cached);
	/* A malformed value is refused at once and changes nothing. */
	ASSERT_LT(0, read_param(before, sizeof(before)));
	fd = open(FILES_PARAM, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "bogus", 5));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(fd, "top=1 top=2", 11));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	ASSERT_LT(0, read_param(after, sizeof(after)));
	EXPECT_STREQ(before, after);
	ASSERT_EQ(0, get_listing(&all, FILES, NULL, 1 << 16));
	EXPECT_EQ(1, all.n);
	fd = open(FILES_PARAM, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, write(fd, "\n", 1));
	close(fd);

	/* files_max_inodes caps what one listing holds, top= or not. */
	fd = open("/sys/module/pcinspect/parameters/files_max_inodes", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "2", 1));
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "", 1 << 16));
	EXPECT_EQ(2, self->l.n);
	EXPECT_NE(NULL, strstr(self->l.text, " unlisted="));
	EXPECT_EQ(1, pwrite(fd, "0", 1, 0));
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "top=1", 1 << 16));
	EXPECT_EQ(0, self->l.n);
	EXPECT_EQ(7, pwrite(fd, "1048576", 7, 0));
	close(fd);

	/* Lockdown refuses debugfs files with a write bit: files has none. */
	ASSERT_EQ(0, stat(FILES, &st));
	EXPECT_EQ(0400, st.st_mode & 0777);
	EXPECT_EQ(-EINVAL, get_listing(&self->l, FILES_QUERY, "top=x", 1 << 16));
	EXPECT_EQ(-EINVAL, get_listing(&self->l, FILES_QUERY, "dev=8", 1 << 16));
	EXPECT_EQ(-EINVAL, get_listing(&self->l, FILES_QUERY, "color=red", 1 << 16));
	free_listing(&all);
}

/*
 * Sum of cached pages vs /proc/meminfo on a quiet guest. Cached + Buffers
 * is every page-cache page outside the swap cache; the listing covers
 * every inode of every registered filesystem type, the block devices and
 * the reader's root. What it cannot reach: inodes of unregistered internal
 * mounts (secretmem, aio rings, the devtmpfs instance) and inodes being
 * freed. On the quiet guest those hold nothing, so the two agree up to the
 * pages that change while the walk runs: the tolerance is 64 pages plus
 * the change of meminfo across the walk. hugetlbfs pages are not in
 * Cached, so its lines are left out of the sum.
 */
TEST_F(files, meminfo_sum)
{
	long before, after, lo, hi;
	long long sum = 0;
	int i;

	sync();
	before = pci_meminfo("Cached") + pci_meminfo("Buffers");
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "", 1 << 16));
	after = pci_meminfo("Cached") + pci_meminfo("Buffers");
	for (i = 0; i < self->l.n; i++)
		if (strcmp(self->l.lines[i].fs, "hugetlbfs"))
			sum += self->l.lines[i].cached;
	sum *= PCI_PAGE / 1024;
	lo = (before < after ? before : after) - 64 * (long)(PCI_PAGE / 1024);
	hi = (before > after ? before : after) + 64 * (long)(PCI_PAGE / 1024);
	TH_LOG("listing %lld kB, meminfo Cached+Buffers %ld..%ld kB, %lld lines",
	       sum, before, after, (long long)self->l.n);
	EXPECT_LE(lo, sum);
	EXPECT_GE(hi, sum);
}

/* head -1, tiny buffers, and 1-byte reads: one consistent listing each. */
TEST_F(files, partial_reads)
{
	char buf[128];
	int fd, i;

	for (i = 0; i < 20; i++) {
		fd = open(FILES_QUERY, O_RDONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ(64, read(fd, buf, 64));
		EXPECT_EQ(0, strncmp(buf, "# pcinspect files format " PCI_FORMAT ":", 27));
		close(fd);
	}
	/* Byte by byte, then in odd sizes: well formed, listed= lines. */
	EXPECT_EQ(0, get_listing(&self->l, FILES_QUERY, NULL, 1));
	EXPECT_LT(0, self->l.n);
	EXPECT_EQ(0, get_listing(&self->l, FILES_QUERY, NULL, 7));
	EXPECT_EQ(0, get_listing(&self->l, FILES_QUERY, NULL, 4093));

	/* A read from offset 0 on the same open file takes a new walk. */
	fd = open(FILES_QUERY, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(100, read(fd, buf, 100));
	ASSERT_NE(NULL, self->l.text);
	ASSERT_LE(0, pci_read_all(fd, self->l.text, LISTING_MAX));
	close(fd);
	EXPECT_EQ(0, parse_listing(&self->l));
}

static volatile int churn_stop;

static void *churn_files(void *arg)
{
	const char *dir = arg;
	char path[512];
	unsigned int i = 0;
	int fd;

	while (!churn_stop) {
		snprintf(path, sizeof(path), "%s/churn%u", dir, i % 64);
		fd = open(path, O_RDWR | O_CREAT, 0600);
		if (fd >= 0) {
			pci_fill(fd, 0, 1 + i % 8);
			if (i % 3 == 0)
				ftruncate(fd, (i % 5) * PCI_PAGE);
			close(fd);
		}
		if (i % 2 == 0) {
			snprintf(path, sizeof(path), "%s/churn%u", dir, (i + 32) % 64);
			unlink(path);
		}
		i++;
	}
	return NULL;
}

static void *churn_drop(void *arg)
{
	while (!churn_stop) {
		int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);

		if (fd >= 0) {
			if (write(fd, "3", 1) < 0)
				break;
			close(fd);
		}
		usleep(50000);
	}
	return NULL;
}

struct mount_loop {
	char dir[64];
	long rounds, failures, retries;
};

static void *churn_mount(void *arg)
{
	struct mount_loop *ml = arg;
	char path[128];
	int fd, i;

	while (!churn_stop) {
		if (mount("files_test", ml->dir, "tmpfs", 0, "size=8m")) {
			ml->failures++;
			break;
		}
		snprintf(path, sizeof(path), "%s/f", ml->dir);
		fd = open(path, O_RDWR | O_CREAT, 0600);
		if (fd >= 0) {
			pci_fill(fd, 0, 4);
			close(fd);
		}
		/*
		 * Any lookup under the mount, the listing's included, holds it
		 * for a moment and makes umount(2) fail with EBUSY, as a
		 * concurrent stat(2) would: retry, as unmounting tools do.
		 * Only an unmount that never succeeds is a failure.
		 */
		for (i = 0; i < 1000 && umount(ml->dir) && errno == EBUSY; i++)
			usleep(1000);
		if (i == 1000 || (i < 1000 && !access(path, F_OK)))
			ml->failures++;
		ml->retries += i;
		ml->rounds++;
	}
	return NULL;
}

/*
 * Read the listing over and over while files are created, truncated and
 * unlinked on ext4 and tmpfs, drop_caches runs and a tmpfs is mounted and
 * unmounted. Every listing must be well formed and every unmount succeed.
 */
TEST_F(files, churn)
{
	pthread_t t[4];
	struct mount_loop ml = { .dir = "/tmp/files_test_mnt" };
	struct timespec t0, now;
	int reads = 0, nt = 0, i, ret;

	if (!self->ext4 || !self->tmpfs)
		SKIP(return, "ext4 or tmpfs is not mounted");
	mkdir(ml.dir, 0700);
	churn_stop = 0;
	ASSERT_EQ(0, pthread_create(&t[nt++], NULL, churn_files, self->dir));
	ASSERT_EQ(0, pthread_create(&t[nt++], NULL, churn_files, self->tdir));
	ASSERT_EQ(0, pthread_create(&t[nt++], NULL, churn_drop, NULL));
	ASSERT_EQ(0, pthread_create(&t[nt++], NULL, churn_mount, &ml));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		ret = get_listing(&self->l, FILES_QUERY, NULL,
				  reads % 2 ? 1 << 16 : 1000);
		EXPECT_EQ(0, ret) TH_LOG("read %d: %s", reads, strerror(-ret));
		if (ret)
			break;
		reads++;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - t0.tv_sec < 5);
	churn_stop = 1;
	for (i = 0; i < nt; i++)
		pthread_join(t[i], NULL);
	rmdir(ml.dir);
	TH_LOG("%d listings, %ld mount rounds (%ld EBUSY retries), last: %d lines, %lld visited, %lld skipped",
	       reads, ml.rounds, ml.retries, self->l.n, self->l.visited,
	       self->l.skipped);
	EXPECT_LT(2, reads);
	EXPECT_LT(0, ml.rounds);
	EXPECT_EQ(0, ml.failures);
	EXPECT_FALSE(kernel_log_has("Busy inodes after unmount"));
}

/*
 * A filesystem listed (with a file cached, one open and one deleted-open
 * while the listing is read) unmounts cleanly once its files are closed:
 * the listing holds no inode after the walk. Then the walk must not find
 * it any more.
 */
TEST_F(files, umount_after_listing)
{
	const char *mnt = "/tmp/files_test_um";
	char path[128];
	struct stat st;
	int fd, fd2, i;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("files_test", mnt, "tmpfs", 0, "size=16m"));
	snprintf(path, sizeof(path), "%s/kept", mnt);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 5));
	snprintf(path, sizeof(path), "%s/gone", mnt);
	fd2 = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, pci_fill(fd2, 0, 3));
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, fstat(fd, &st));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "fs=tmpfs", 1 << 12));
		ASSERT_NE(NULL, find_line(&self->l, st.st_dev, st.st_ino));
	}
	close(fd);
	close(fd2);
	EXPECT_EQ(0, umount(mnt)) TH_LOG("umount: %s", strerror(errno));
	rmdir(mnt);
	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "fs=tmpfs", 1 << 16));
	EXPECT_EQ(NULL, find_line(&self->l, st.st_dev, st.st_ino));
	EXPECT_FALSE(kernel_log_has("Busy inodes after unmount"));
}

/* Totals per superblock add up the lines of that superblock. */
TEST_F(files, totals)
{
	char *p;
	int checked = 0;

	ASSERT_EQ(0, get_listing(&self->l, FILES_QUERY, "", 1 << 16));
	for (p = strstr(self->l.text, "\n# total "); p; p = strstr(p + 1, "\n# total ")) {
		unsigned int maj, min;
		long long inodes, cached, sum = 0, n = 0;
		char fs[32];
		int i;

		ASSERT_EQ(5, sscanf(p, "\n# total fs=%31s dev=%u:%u inodes=%lld cached=%lld",
				    fs, &maj, &min, &inodes, &cached));
		if (!strcmp(fs, "bdev"))
			continue;	/* lines carry each device's own dev */
		for (i = 0; i < self->l.n; i++) {
			if (self->l.lines[i].major == maj &&
			    self->l.lines[i].minor == min &&
			    !strcmp(self->l.lines[i].fs, fs)) {
				sum += self->l.lines[i].cached;
				n++;
			}
		}
		EXPECT_EQ(inodes, n) TH_LOG("%s %u:%u", fs, maj, min);
		EXPECT_EQ(cached, sum) TH_LOG("%s %u:%u", fs, maj, min);
		checked++;
	}
	EXPECT_LT(0, checked);
}

static void on_alarm(int sig)
{
}

/*
 * A handled signal never cuts the system-wide walk: with alarms landing
 * from the start of the walk to its end (no SA_RESTART, so an EINTR would
 * reach us), every read is the whole listing, footer included, and none
 * fails. Bounded by time as well as count: the debug kernel walks far
 * slower. (iface_test's handled_signals_never_interrupt_walks keeps a
 * 200 us interval timer running across whole reads.)
 */
TEST_F(files, signal_never_cuts_listing)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	long intr = 0, done = 0, tries = 0;
	time_t end = time(NULL) + 20;
	char *buf = malloc(LISTING_MAX);
	ssize_t n;
	int fd;

	ASSERT_NE(NULL, buf);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: EINTR reaches us */
	while (tries < 200 && time(NULL) < end) {
		fd = open(FILES_QUERY, O_RDONLY);
		ASSERT_LE(0, fd);
		/* 50 us to 3 ms: from the start of the walk to its end */
		ualarm(50 + (tries * 397) % 3000, 0);
		n = read_fd_all(fd, buf, LISTING_MAX, 1 << 16);
		ualarm(0, 0);
		close(fd);
		tries++;
		if (n == -EINTR) {
			intr++;
			continue;
		}
		ASSERT_LT(0, n) TH_LOG("read: %s", strerror(-n));
		ASSERT_NE(NULL, strstr(buf, "\n# walk types="))
			TH_LOG("a listing of %zd bytes without its footer", n);
		done++;
	}
	signal(SIGALRM, SIG_DFL);
	TH_LOG("%ld listings interrupted, %ld complete, of %ld", intr, done,
	       tries);
	EXPECT_EQ(0, intr);
	EXPECT_EQ(tries, done);
	free(buf);
}

TEST_HARNESS_MAIN
