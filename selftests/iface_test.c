// SPDX-License-Identifier: GPL-2.0
/*
 * The selection interface: the three routes (select/report, query,
 * stdin), isolation between readers, and bad input, which must get a clear
 * errno and leave the module's state as it was.
 */
#include <limits.h>
#include <linux/fs.h>
#include <pthread.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

FIXTURE(iface) {
	char dir[64];
	char a[128], b[128];
	char *rep;
};

FIXTURE_SETUP(iface)
{
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	strcpy(self->dir, "/tmp/pcinspect-iface.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->a, sizeof(self->a), "%s/a", self->dir);
	snprintf(self->b, sizeof(self->b), "%s/b with space", self->dir);
	fd = open(self->a, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 10));
	close(fd);
	fd = open(self->b, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 20));
	close(fd);
	self->rep = malloc(PCI_REPORT_MAX);
	ASSERT_NE(NULL, self->rep);
}

FIXTURE_TEARDOWN(iface)
{
	unlink(self->a);
	unlink(self->b);
	rmdir(self->dir);
	free(self->rep);
}

/* Write buf (len bytes) to an open control file: 0 or the errno. */
static int write_err(int fd, const void *buf, size_t len)
{
	return write(fd, buf, len) == (ssize_t)len ? 0 : errno;
}

/* Each bad query is refused with its errno; the selection before stays. */
TEST_F(iface, bad_input_keeps_state)
{
	static char longpath[PATH_MAX + 200];
	const char *fifo = "/tmp/pcinspect-iface.fifo";
	const char *sock = "/tmp/pcinspect-iface.sock";
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static const struct { const char *q; int err; } bad[] = {
		{ "/no/such/file", ENOENT },
		{ "/tmp", EISDIR },
		{ "/dev/null", EINVAL },
		{ "/tmp/pcinspect-iface.fifo", EINVAL },
		{ "/tmp/pcinspect-iface.sock", EINVAL },
		{ "relative/path", EINVAL },
		{ "garbage", EINVAL },
		{ "\n", EINVAL },
		{ "map", EINVAL },
		{ "map ", EINVAL },
		{ "bogus /tmp", EINVAL },
		{ "offset=x /etc/passwd", EINVAL },
		{ "offset=-1 /etc/passwd", EINVAL },
		{ "length=99999999999999999999999 /etc/passwd", ERANGE },
		{ "offset=18446744073709551615 length=2 /etc/passwd", EINVAL },
		{ "map fast /etc/passwd", EINVAL },
		{ "map map /etc/passwd", EINVAL },
		{ "map=1 /etc/passwd", EINVAL },
		{ "offset /etc/passwd", EINVAL },
		{ "offset=0x1000 /etc/passwd", EINVAL },
		{ "offset=+1 /etc/passwd", EINVAL },
	};
	char query[256];
	int fd, s, i;

	ASSERT_EQ(0, mkfifo(fifo, 0600));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	ASSERT_LE(0, s);
	strcpy(sa.sun_path, sock);
	unlink(sock);
	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sa, sizeof(sa)));

	fd = open(PCI_DIR "/query", O_RDWR);
	ASSERT_LE(0, fd);
	/* Reading before any selection says there is no data. */
	EXPECT_EQ(-ENODATA, pci_read_all(fd, self->rep, PCI_REPORT_MAX));
	snprintf(query, sizeof(query), "%s\n", self->a);
	ASSERT_EQ(0, write_err(fd, query, strlen(query)));

	for (i = 0; i < (int)(sizeof(bad) / sizeof(bad[0])); i++) {
		int err = write_err(fd, bad[i].q, strlen(bad[i].q));

		if (err != bad[i].err)
			TH_LOG("query '%s': errno %d", bad[i].q ?: "", err);
		EXPECT_EQ(bad[i].err, err);
	}
	/* Empty write, embedded NUL, over-long path, binary junk. */
	write(fd, "", 0);
	EXPECT_EQ(EINVAL, write_err(fd, "/etc\0/passwd", 12));
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	EXPECT_EQ(ENAMETOOLONG, write_err(fd, longpath, sizeof(longpath) - 1));
	EXPECT_EQ(ENAMETOOLONG, write_err(fd, longpath, PATH_MAX + 10));
	EXPECT_EQ(ENAMETOOLONG, write_err(fd, longpath, PATH_MAX - 1));
	EXPECT_EQ(EINVAL, write_err(fd, "\xff\xfe\x01", 3));
	/* A query in two pieces: neither piece is a valid query. */
	EXPECT_EQ(ENOENT, write_err(fd, "/tm", 3));
	EXPECT_EQ(EINVAL, write_err(fd, "p/pcinspect-iface", 17));

	ASSERT_LT(0, pci_read_all(fd, self->rep, PCI_REPORT_MAX));
	EXPECT_EQ(10, pci_get(self->rep, "cached"));
	EXPECT_TRUE(strstr(self->rep, "/a\n") != NULL);
	close(fd);
	close(s);
	unlink(sock);
	unlink(fifo);
}

/* The same bad inputs through "select" leave the global selection alone. */
#define FILES_PARAM "/sys/module/pcinspect/parameters/files_options"

/*
 * One grammar (ABI.md, "Options"): the same mistake gets the same errno
 * through query, select, files-query and the files_options parameter, and
 * what one accepts in spelling (runs of blanks, leading zeros), all do.
 */
TEST_F(iface, one_option_grammar)
{
	static const struct {
		const char *query, *files;
		int err;
	} cases[] = {
		{ "bogus", "bogus", EINVAL },			/* unknown */
		{ "offset=1 offset=1", "min=1 min=1", EINVAL },	/* repeated */
		{ "offset=0x10", "min=0x10", EINVAL },		/* not decimal */
		{ "offset=+1", "min=+1", EINVAL },		/* a sign */
		{ "offset=-1", "top=-1", EINVAL },
		{ "length=1k", "top=1k", EINVAL },		/* a suffix */
		{ "offset=", "min=", EINVAL },			/* no value */
		{ "offset", "fs", EINVAL },
		{ "offset=18446744073709551616", "min=18446744073709551616",
		  ERANGE },					/* too large */
		{ "length=99999999999999999999", "top=4294967296", ERANGE },
		{ "offset=010", "min=010", 0 },			/* decimal 10 */
		{ "offset=1 \t  length=2\n", " \tfs=tmpfs \t min=1\n", 0 },
	};
	const char *routes[] = { PCI_DIR "/query", PCI_DIR "/select",
				 PCI_DIR "/files-query", FILES_PARAM };
	char buf[512];
	unsigned int i, r;
	int fd, err;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (r = 0; r < 4; r++) {
			if (r < 2)
				snprintf(buf, sizeof(buf), "%s %s", cases[i].query,
					 self->a);
			else
				snprintf(buf, sizeof(buf), "%s", cases[i].files);
			fd = open(routes[r], O_WRONLY);
			ASSERT_LE(0, fd);
			err = write_err(fd, buf, strlen(buf));
			close(fd);
			if (err != cases[i].err)
				TH_LOG("%s: '%s': errno %d, want %d", routes[r],
				       buf, err, cases[i].err);
			EXPECT_EQ(cases[i].err, err);
		}
	}
	ASSERT_EQ(0, pci_write_str(FILES_PARAM, "\n"));
}

TEST_F(iface, select_and_report)
{
	int fd = open(PCI_DIR "/select", O_WRONLY);
	char q[256];

	ASSERT_LE(0, fd);
	snprintf(q, sizeof(q), "%s\n", self->b);
	ASSERT_EQ(0, write_err(fd, q, strlen(q)));
	EXPECT_EQ(ENOENT, write_err(fd, "/no/such", 8));
	EXPECT_EQ(EISDIR, write_err(fd, "/tmp", 4));
	EXPECT_EQ(EINVAL, write_err(fd, "x", 1));
	close(fd);
	fd = open(PCI_DIR "/report", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, pci_read_all(fd, self->rep, PCI_REPORT_MAX));
	close(fd);
	EXPECT_EQ(20, pci_get(self->rep, "cached"));
	/* The space in the name is escaped as in /proc/mounts. */
	EXPECT_TRUE(strstr(self->rep, "/b\\040with\\040space\n") != NULL)
		TH_LOG("%s", self->rep);
	/* Deleting the selected file makes report fail cleanly. */
	ASSERT_EQ(0, unlink(self->b));
	EXPECT_EQ(-1, open(PCI_DIR "/report", O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
}

/* Two readers of "query" each keep their own file. */
TEST_F(iface, query_isolation)
{
	static char other[1 << 16];
	int fa = open(PCI_DIR "/query", O_RDWR);
	int fb = open(PCI_DIR "/query", O_RDWR);

	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, write_err(fa, self->a, strlen(self->a)));
	ASSERT_EQ(0, write_err(fb, self->b, strlen(self->b)));
	ASSERT_LT(0, pci_read_all(fa, self->rep, PCI_REPORT_MAX));
	ASSERT_LT(0, pci_read_all(fb, other, sizeof(other)));
	EXPECT_EQ(10, pci_get(self->rep, "cached"));
	EXPECT_EQ(20, pci_get(other, "cached"));
	/* A new query on one file rewinds it; the other is untouched. */
	ASSERT_EQ(0, write_err(fa, self->b, strlen(self->b)));
	ASSERT_LT(0, read(fa, self->rep, PCI_REPORT_MAX - 1));
	EXPECT_EQ(20, pci_get(self->rep, "cached"));
	ASSERT_LT(0, pci_read_all(fb, other, sizeof(other)));
	EXPECT_EQ(20, pci_get(other, "cached"));
	close(fa);
	close(fb);
}

/* The read-only route: the reader's standard input is the target. */
TEST_F(iface, stdin_route)
{
	struct pci_run runs[8];
	int fd = open(self->a, O_RDONLY), dir;

	ASSERT_LE(0, fd);
	ASSERT_LT(0, pci_report_stdin(fd, PCI_DIR "/stdin", self->rep,
				      PCI_REPORT_MAX));
	EXPECT_EQ(10, pci_get(self->rep, "cached"));
	EXPECT_EQ(-1, pci_map(self->rep, runs, 8));
	ASSERT_LT(0, pci_report_stdin(fd, PCI_DIR "/stdin-map", self->rep,
				      PCI_REPORT_MAX));
	ASSERT_EQ(1, pci_map(self->rep, runs, 8));
	EXPECT_EQ(0, runs[0].first);
	EXPECT_EQ(9, runs[0].last);
	close(fd);
	dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dir);
	EXPECT_EQ(-EISDIR, pci_report_stdin(dir, PCI_DIR "/stdin", self->rep,
					    PCI_REPORT_MAX));
	close(dir);
}

/* Remove the line that starts with key from a report. */
static void drop_line(char *rep, const char *key)
{
	char *p = strstr(rep, key), *eol;

	if (!p)
		return;
	eol = strchrnul(p, '\n');
	memmove(p, *eol ? eol + 1 : eol, strlen(eol) + 1);
}

/* Reading with tiny buffers and seeking back give the same report. */
TEST_F(iface, small_reads_and_seek)
{
	static char whole[1 << 16], bytes[1 << 16];
	int fd = open(PCI_DIR "/query", O_RDWR);
	size_t len = 0;
	char q[256];
	ssize_t n;

	ASSERT_LE(0, fd);
	snprintf(q, sizeof(q), "map %s", self->b);
	ASSERT_EQ(0, write_err(fd, q, strlen(q)));
	ASSERT_LT(0, pci_read_all(fd, whole, sizeof(whole)));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	while ((n = read(fd, bytes + len, 1)) == 1)
		len++;
	ASSERT_EQ(0, n);
	bytes[len] = '\0';
	/* Only walk_ns differs between the two walks. */
	drop_line(whole, "walk_ns: ");
	drop_line(bytes, "walk_ns: ");
	EXPECT_STREQ(whole, bytes);
	close(fd);
}

/*
 * A filesystem lazily unmounted under a selection: the query that pinned
 * the file keeps working, the global selection fails to resolve cleanly.
 */
TEST(lazy_umount)
{
	static char rep[1 << 16];
	char dir[] = "/tmp/pcinspect-lazy.XXXXXX", path[64];
	int fd, q, sel;

	ASSERT_EQ(0, pci_ensure_module());
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, mount("tmpfs", dir, "tmpfs", 0, "size=8m"));
	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 5));
	close(fd);
	q = open(PCI_DIR "/query", O_RDWR);
	ASSERT_LE(0, q);
	ASSERT_EQ(0, write_err(q, path, strlen(path)));
	sel = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, sel);
	ASSERT_EQ(0, write_err(sel, path, strlen(path)));
	close(sel);
	ASSERT_EQ(0, umount2(dir, MNT_DETACH));
	ASSERT_LT(0, pci_read_all(q, rep, sizeof(rep)));
	EXPECT_EQ(5, pci_get(rep, "cached"));
	EXPECT_EQ(-1, open(PCI_DIR "/report", O_RDONLY));
	EXPECT_EQ(ENOENT, errno);
	close(q);
	rmdir(dir);
}

/* Block devices: their page cache ("Buffers") is reported as a file's. */
TEST(block_device)
{
	static char rep[1 << 16];
	static struct pci_run runs[256];
	const char *dev = "/dev/ram0";
	unsigned long long bytes;
	unsigned long covered = 0;
	int fd, n, i;

	ASSERT_EQ(0, pci_ensure_module());
	if (access(dev, F_OK) && system("modprobe brd rd_nr=1 rd_size=8192"))
		SKIP(return, "no brd module for /dev/ram0");
	fd = open(dev, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, BLKGETSIZE64, &bytes));
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
	ASSERT_EQ(0, pci_read_pages(fd, 0, 256));
	ASSERT_LT(0, pci_report("map", dev, rep, sizeof(rep)));
	EXPECT_EQ(bytes, pci_get(rep, "size"));
	EXPECT_TRUE(strstr(rep, "\ntype: block\n") != NULL);
	EXPECT_TRUE(strstr(rep, "\nfs: bdev\n") != NULL);
	EXPECT_EQ(pci_mincore_count(fd, bytes / PCI_PAGE), pci_get(rep, "cached"));
	EXPECT_LE(256, pci_get(rep, "cached"));
	/* The pages read are cached in the map, whatever their LRU state. */
	n = pci_map(rep, runs, 256);
	ASSERT_LE(1, n);
	for (i = 0; i < n && runs[i].first < 256; i++)
		if (strcmp(runs[i].state, "hole"))
			covered += (runs[i].last < 255 ? runs[i].last : 255) -
				   runs[i].first + 1;
	EXPECT_EQ(256, covered);
	close(fd);
}

static volatile int churn_stop;

/* Truncate, refill and re-create a file as fast as possible. */
static void *churn(void *arg)
{
	const char *path = arg;
	int fd;

	while (!churn_stop) {
		fd = open(path, O_RDWR | O_CREAT, 0600);
		if (fd < 0)
			continue;
		pci_fill(fd, 0, 64);
		ftruncate(fd, 3 * PCI_PAGE);
		close(fd);
		unlink(path);
	}
	return NULL;
}

/*
 * Files truncated and unlinked while being walked: every report either
 * succeeds with sane numbers or fails with ENOENT, for two seconds.
 */
TEST_F(iface, walk_races_truncate_unlink)
{
	pthread_t t;
	time_t end = time(NULL) + 2;
	long ok = 0, gone = 0;
	ssize_t n;

	ASSERT_EQ(0, pthread_create(&t, NULL, churn, self->a));
	while (time(NULL) < end) {
		n = pci_report("map", self->a, self->rep, PCI_REPORT_MAX);
		if (n > 0) {
			ok++;
			EXPECT_GE(64, pci_get(self->rep, "cached"));
		} else {
			EXPECT_EQ(-ENOENT, n);
			gone++;
		}
	}
	churn_stop = 1;
	pthread_join(t, NULL);
	TH_LOG("%ld reports, %ld with the file gone", ok, gone);
	EXPECT_LT(0, ok + gone);
}

static volatile sig_atomic_t signals_seen;

static void on_signal(int sig)
{
	signals_seen++;
}

/* A 200 us interval timer with a handler, as a Go runtime or a profiler keeps. */
static void signal_storm(bool on, int sa_flags)
{
	struct sigaction sa = { .sa_handler = on ? on_signal : SIG_DFL,
				.sa_flags = sa_flags };
	struct itimerval it = { .it_interval.tv_usec = on ? 200 : 0,
				.it_value.tv_usec = on ? 200 : 0 };

	if (on)
		sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	if (!on)
		sigaction(SIGALRM, &sa, NULL);
}

enum sig_route { SIG_QUERY, SIG_STDIN, SIG_LRU, SIG_FILES, SIG_ROUTES };
static const char * const sig_route_name[] = { "query", "stdin", "lru", "files-query" };

/* One read through @route, checked whole: > 0 when complete, else -errno. */
static ssize_t sig_read(enum sig_route route, const char *path, int target,
			long pages, char *buf, size_t size)
{
	const char *file = route == SIG_LRU ? PCI_DIR "/lru" : PCI_DIR "/files-query";
	ssize_t n;
	int fd;

	switch (route) {
	case SIG_QUERY:
		n = pci_report("", path, buf, size);
		break;
	case SIG_STDIN:
		n = pci_report_stdin(target, PCI_DIR "/stdin", buf, size);
		break;
	default:
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = pci_read_all(fd, buf, size);
		close(fd);
		break;
	}
	if (n <= 0)
		return n ? n : -ENODATA;
	if (route <= SIG_STDIN)
		return pci_get(buf, "cached") == pages ? n : -EPROTO;
	/* Both listings end with their walk line: none is cut short. */
	return strstr(buf, "\n# walk ") && buf[n - 1] == '\n' ? n : -EPROTO;
}

/*
 * Handled signals, with and without SA_RESTART, never interrupt a walk: a
 * reader with a 200 us interval timer (Go's runtime sends SIGURG every
 * ~10 ms) gets every report and listing whole, by every route, while the
 * signals keep arriving. Once this failed 20 of 20 reads with EINTR.
 * Eight rounds of up to 10 s each: more than the harness's default 30 s
 * where reads are slow (the lockdep+KASAN kernel under TCG timed out in
 * the seventh), so its timeout is raised here; TEST() takes it where it
 * is expanded.
 */
#pragma push_macro("TEST_TIMEOUT_DEFAULT")
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 150
TEST(handled_signals_never_interrupt_walks)
{
	const size_t size = 16 << 20;
	char path[] = "/tmp/pcinspect-sig.XXXXXX";
	/* 64 MiB: 16384 pages of 4 KiB, 4096 of 16 KiB. */
	const long pages = (64L << 20) / PCI_PAGE;
	char *buf = malloc(size);
	int fd, f, r;

	ASSERT_NE(NULL, buf);
	ASSERT_EQ(0, pci_ensure_module());
	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, pages));
	for (f = 0; f < 2; f++) {
		int flags = f ? SA_RESTART : 0;

		for (r = 0; r < SIG_ROUTES; r++) {
			time_t end = time(NULL) + 10;
			long done = 0, seen;
			ssize_t n = 1;

			signals_seen = 0;
			signal_storm(true, flags);
			/* At least 10 reads, and on until 20 signals came. */
			while ((done < 10 || signals_seen < 20) &&
			       time(NULL) < end) {
				n = sig_read(r, path, fd, pages, buf, size);
				if (n <= 0)
					break;
				done++;
			}
			signal_storm(false, 0);
			seen = signals_seen;
			TH_LOG("%s%s: %ld reads whole under %ld signals",
			       sig_route_name[r], f ? " (SA_RESTART)" : "",
			       done, seen);
			EXPECT_LT(0, n) TH_LOG("%s%s: read %ld failed: %s",
					       sig_route_name[r],
					       f ? " (SA_RESTART)" : "", done + 1,
					       strerror(-n));
			EXPECT_LT(0, done);
			/* The storm really ran across the reads. */
			EXPECT_LE(20, seen);
		}
	}
	close(fd);
	unlink(path);
	free(buf);
}

#pragma pop_macro("TEST_TIMEOUT_DEFAULT")

/*
 * A fatal signal still stops a walk at once: a reader looping over the
 * listing and the LRU walk is killed with SIGKILL and reaped within a few
 * seconds (a walk ignoring it would finish first, at worst in 20 s).
 */
TEST(fatal_signal_stops_walks)
{
	struct timespec t0, t1;
	int status, i;
	pid_t pid;

	ASSERT_EQ(0, pci_ensure_module());
	for (i = 0; i < 3; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			static char buf[1 << 20];
			int fd;

			for (;;) {
				fd = open(i == 1 ? PCI_DIR "/lru" : PCI_DIR "/files-query",
					  O_RDONLY);
				if (fd < 0)
					_exit(1);
				pci_read_all(fd, buf, sizeof(buf));
				close(fd);
			}
		}
		usleep(100000 + i * 7000);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ASSERT_EQ(0, kill(pid, SIGKILL));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		EXPECT_GT(5.0, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
}

TEST_HARNESS_MAIN
