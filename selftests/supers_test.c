// SPDX-License-Identifier: GPL-2.0
/*
 * How the files listing reaches superblocks: it passes over frozen ones
 * (a file closed mid-walk on a frozen ext4 cannot deadlock the walk
 * against the thaw), gives way at once to a freeze or an unmount waiting
 * for s_umount, never keeps a filesystem alive after umount(2) returned
 * nor makes it fail with EBUSY, reaches every mount of the reader's
 * namespace (checked against /proc/self/mountinfo) and does not list
 * hugetlbfs as base-page cache.
 */
#include <linux/fuse.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define FILES_QUERY	PCI_DIR "/files-query"
#define LISTING_MAX	(32 << 20)
#define SCRATCH_MNT	"/tmp/supers_test.ext4"

#ifndef FIFREEZE
#define FIFREEZE	_IOWR('X', 119, int)
#define FITHAW		_IOWR('X', 120, int)
#endif

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* A listing through files-query with @opts; 0 or -errno. */
static int listing(char *buf, const char *opts)
{
	ssize_t n;
	size_t len = 0;
	int fd = open(FILES_QUERY, O_RDWR);

	if (fd < 0)
		return -errno;
	if (write(fd, opts, strlen(opts)) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	for (;;) {
		if (len + 1 >= LISTING_MAX) {
			close(fd);
			return -E2BIG;
		}
		n = read(fd, buf + len, LISTING_MAX - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return strstr(buf, "\n# walk ") ? 0 : -EBADMSG;
}

/* A key of the walk line; -1 when absent. */
static long long walk_key(const char *buf, const char *key)
{
	const char *p = strstr(buf, "\n# walk ");
	char pat[64];

	if (!p)
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(p, pat);
	return p ? strtoll(p + strlen(pat), NULL, 10) : -1;
}

/* The "# total" line of the superblock @dev: NULL when none. */
static const char *total_of(const char *buf, dev_t dev)
{
	char pat[64];

	snprintf(pat, sizeof(pat), " dev=%u:%u ", major(dev), minor(dev));
	for (buf = strstr(buf, "\n# total "); buf; buf = strstr(buf + 1, "\n# total ")) {
		const char *eol = strchrnul(buf + 1, '\n'), *p = strstr(buf, pat);

		if (p && p < eol)
			return buf + 1;
	}
	return NULL;
}

/* Inode lines of @fs whose dev is @dev. */
static int lines_of(const char *buf, const char *fs, dev_t dev)
{
	char pat[64];
	int n = 0;

	snprintf(pat, sizeof(pat), "\n%s %u:%u ", fs, major(dev), minor(dev));
	for (buf = strstr(buf, pat); buf; buf = strstr(buf + 1, pat))
		n++;
	return n;
}

FIXTURE(supers) {
	char *buf;
	const char *spare;
	bool mounted;
	dev_t dev;		/* of the scratch ext4 */
	char opts[64];		/* fs=ext4 dev= of the scratch ext4 */
};

FIXTURE_SETUP(supers)
{
	struct stat st;
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	self->buf = malloc(LISTING_MAX);
	ASSERT_NE(NULL, self->buf);
	self->spare = getenv("PCI_SPARE_DEV");
	if (!self->spare || !*self->spare)
		self->spare = "/dev/vdd";
	if (stat(self->spare, &st) || !S_ISBLK(st.st_mode) ||
	    pci_run("command -v mkfs.ext4 >/dev/null")) {
		self->spare = NULL;
		return;
	}
	/* A test killed by its timeout left no teardown: clean up after it. */
	fd = open(SCRATCH_MNT, O_RDONLY);
	if (fd >= 0) {
		ioctl(fd, FITHAW, 0);
		close(fd);
	}
	umount2(SCRATCH_MNT, MNT_DETACH);
	/* 32768 pages: 128 MiB with 4 KiB pages, room for 8000 files of one. */
	ASSERT_EQ(0, pci_run("mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 %s %luK",
			 self->spare, 32768 * PCI_PAGE / 1024));
	mkdir(SCRATCH_MNT, 0700);
	ASSERT_EQ(0, mount(self->spare, SCRATCH_MNT, "ext4", 0, "noinit_itable"));
	self->mounted = true;
	ASSERT_EQ(0, stat(SCRATCH_MNT, &st));
	self->dev = st.st_dev;
	snprintf(self->opts, sizeof(self->opts), "fs=ext4 dev=%u:%u",
		 major(st.st_dev), minor(st.st_dev));
}

FIXTURE_TEARDOWN(supers)
{
	int fd;

	if (self->mounted) {
		/* Never leave it frozen: the thaw fails harmlessly if not. */
		fd = open(SCRATCH_MNT, O_RDONLY);
		if (fd >= 0) {
			ioctl(fd, FITHAW, 0);
			close(fd);
		}
		umount(SCRATCH_MNT);
	}
	rmdir(SCRATCH_MNT);
	free(self->buf);
}

/* Write @n files of @pages pages under @dir, read back into the cache. */
static int make_files(const char *dir, int n, int pages)
{
	char path[512];
	int i, fd;

	mkdir(dir, 0700);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%d", dir, i);
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || pci_fill(fd, 0, pages)) {
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* A thread that lists over and over until told to stop. */
struct lister {
	pthread_t thread;
	const char *opts;
	dev_t dev;		/* watched superblock, or 0 */
	char *buf;
	volatile int stop;
	volatile long done;	/* listings completed */
	long errors, with_total, without_total, frozen_seen, yielded;
	int last_err;
};

static void *lister_main(void *arg)
{
	struct lister *l = arg;
	int ret;

	while (!l->stop) {
		ret = listing(l->buf, l->opts);
		if (ret) {
			l->errors++;
			l->last_err = ret;
			continue;
		}
		if (l->dev && total_of(l->buf, l->dev))
			l->with_total++;
		else if (l->dev)
			l->without_total++;
		if (walk_key(l->buf, "frozen") > 0)
			l->frozen_seen++;
		if (walk_key(l->buf, "yielded") > 0)
			l->yielded += walk_key(l->buf, "yielded");
		l->done++;
	}
	return NULL;
}

static int lister_start(struct lister *l, const char *opts, dev_t dev)
{
	memset(l, 0, sizeof(*l));
	l->opts = opts;
	l->dev = dev;
	l->buf = malloc(LISTING_MAX);
	if (!l->buf)
		return -1;
	return pthread_create(&l->thread, NULL, lister_main, l);
}

/* Wait up to @ms for @n more listings; false if the lister is stuck. */
static bool lister_progress(struct lister *l, long n, int ms)
{
	long want = l->done + n;

	while (ms-- > 0 && l->done < want)
		usleep(1000);
	return l->done >= want;
}

static void lister_stop(struct lister *l)
{
	l->stop = 1;
	pthread_join(l->thread, NULL);
	free(l->buf);
}

/*
 * Closers: each closes one unlinked-open file when told to. They wait
 * asleep on a condition, created before the lister starts and released
 * together by one broadcast. When they polled every 200 us and were
 * created beside the lister, creating the 64 took 5.5 to 7.5 s of each
 * 9 s round on the debug kernel (the test 89 s; now 14 s).
 */
#define NR_UNLINKED	64

static pthread_mutex_t closers_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t closers_go = PTHREAD_COND_INITIALIZER;

struct closer {
	pthread_t thread;
	int fd;
	int *go;		/* under closers_lock */
	volatile int closed;
};

static void *closer_main(void *arg)
{
	struct closer *c = arg;

	pthread_mutex_lock(&closers_lock);
	while (!*c->go)
		pthread_cond_wait(&closers_go, &closers_lock);
	pthread_mutex_unlock(&closers_lock);
	close(c->fd);	/* the final iput may wait for the thaw here */
	c->closed = 1;
	return NULL;
}

/* Release every closer waiting on @go at once. */
static void closers_release(int *go)
{
	pthread_mutex_lock(&closers_lock);
	*go = 1;
	pthread_cond_broadcast(&closers_go);
	pthread_mutex_unlock(&closers_lock);
}

/* FITHAW in a thread: false if it did not return within @ms. */
struct thawer {
	int fd;
	volatile int done;
	int ret;
};

static void *thawer_main(void *arg)
{
	struct thawer *t = arg;

	t->ret = ioctl(t->fd, FITHAW, 0);
	t->done = 1;
	return NULL;
}

/*
 * Files unlinked while open are closed, all at once, while the listing
 * walks their filesystem, frozen in even rounds, live in odd ones. A
 * close of such a file does the final iput() and evicts it, which on a
 * frozen ext4 waits for the thaw; had the walk held a reference at that
 * moment, its own iput() would wait for the thaw with s_umount held, and
 * the thaw for s_umount. The walk must pass over the frozen filesystem
 * (frozen= in the walk line, no total line for it), keep listing, and
 * the thaw must return at once; on the live filesystem the walk may do
 * the final iput itself, and the files must be gone afterwards.
 */
TEST_F_TIMEOUT(supers, frozen_skipped_unlinked_closed_mid_walk, 300)
{
	struct closer c[NR_UNLINKED];
	struct lister l;
	struct thawer t;
	pthread_t tt;
	char dir[128], path[256];
	struct stat st;
	ino_t inos[NR_UNLINKED];
	int go;
	int round, i, dfd, before_thaw;
	uint64_t t0;

	if (!self->mounted)
		SKIP(return, "no spare disk or mkfs.ext4");
	dfd = open(SCRATCH_MNT, O_RDONLY);
	ASSERT_LE(0, dfd);
	for (round = 0; round < 6; round++) {
		bool frozen = round % 2 == 0;

		snprintf(dir, sizeof(dir), SCRATCH_MNT "/r%d", round);
		ASSERT_EQ(0, make_files(dir, NR_UNLINKED, 4));
		for (i = 0; i < NR_UNLINKED; i++) {
			snprintf(path, sizeof(path), "%s/f%d", dir, i);
			c[i].fd = open(path, O_RDONLY);
			ASSERT_LE(0, c[i].fd);
			ASSERT_EQ(0, fstat(c[i].fd, &st));
			inos[i] = st.st_ino;
			ASSERT_EQ(0, unlink(path));
		}
		sync();
		go = 0;
		for (i = 0; i < NR_UNLINKED; i++) {
			c[i].go = &go;
			c[i].closed = 0;
			ASSERT_EQ(0, pthread_create(&c[i].thread, NULL, closer_main, &c[i]));
		}
		if (frozen)
			ASSERT_EQ(0, ioctl(dfd, FIFREEZE, 0));
		ASSERT_EQ(0, lister_start(&l, self->opts, self->dev));
		ASSERT_TRUE(lister_progress(&l, 2, 10000));
		closers_release(&go);
		/* The listing goes on while the closes wait for the thaw. */
		EXPECT_TRUE(lister_progress(&l, 5, 10000))
			TH_LOG("round %d: the listing is stuck", round);
		before_thaw = 0;
		for (i = 0; i < NR_UNLINKED; i++)
			before_thaw += c[i].closed;
		/* Only listings taken while it was frozen count below. */
		if (frozen)
			lister_stop(&l);
		if (frozen) {
			t.fd = dfd;
			t.done = 0;
			t0 = now_ns();
			ASSERT_EQ(0, pthread_create(&tt, NULL, thawer_main, &t));
			for (i = 0; i < 10000 && !t.done; i++)
				usleep(1000);
			ASSERT_TRUE(t.done) TH_LOG("round %d: FITHAW stuck for 10 s", round);
			pthread_join(tt, NULL);
			EXPECT_EQ(0, t.ret);
			TH_LOG("round %d (frozen): %d of %d closes returned before the thaw, thaw took %llu us",
			       round, before_thaw, NR_UNLINKED,
			       (unsigned long long)(now_ns() - t0) / 1000);
		}
		for (i = 0; i < NR_UNLINKED; i++)
			pthread_join(c[i].thread, NULL);
		if (!frozen)
			lister_stop(&l);
		EXPECT_EQ(0, l.errors) TH_LOG("round %d: %s", round, strerror(-l.last_err));
		if (frozen) {
			EXPECT_EQ(0, l.with_total);
			EXPECT_EQ(l.done, l.frozen_seen);
		} else {
			EXPECT_EQ(0, l.without_total);
			EXPECT_EQ(0, l.frozen_seen);
		}
		/* Closed and evicted: none of them is listed any more. */
		ASSERT_EQ(0, listing(self->buf, self->opts));
		EXPECT_NE(NULL, total_of(self->buf, self->dev));
		for (i = 0; i < NR_UNLINKED; i++) {
			char pat[64];

			snprintf(pat, sizeof(pat), "\next4 %u:%u %llu ",
				 major(self->dev), minor(self->dev),
				 (unsigned long long)inos[i]);
			EXPECT_EQ(NULL, strstr(self->buf, pat));
		}
	}
	close(dfd);
}

struct one_listing {
	char *buf;
	const char *opts;
	int ret;
};

static void *one_listing_main(void *arg)
{
	struct one_listing *o = arg;

	o->ret = listing(o->buf, o->opts);
	return NULL;
}

/*
 * A freeze waits for s_umount, which the walk of the superblock holds: the
 * walk must give way within one inode, not finish the superblock first.
 * With 8000 cached files one walk of the filesystem takes W; a freeze
 * issued a quarter into a listing cuts it short: the listing says
 * complete=0 for the superblock, yielded=1, and met fewer inodes. The
 * guest's timing is loose (its host thread can be preempted for tens of
 * ms), so up to ten tries, of which one must be cut short; none may fail.
 */
TEST_F_TIMEOUT(supers, freeze_does_not_wait_for_the_walk, 400)
{
	/*
	 * The debug kernel (KASAN, lockdep) creates files 10-20 times slower
	 * under TCG and walks them slower too: fewer files give it a walk of
	 * about the same length.
	 */
	const long nr = pci_debug_kernel() ? 2000 : 8000;
	long long walk = -1, ns, inodes;
	struct one_listing o = { .opts = self->opts };
	int i, dfd, cut = 0, tries = 0;
	const char *total;
	pthread_t t;

	if (!self->mounted)
		SKIP(return, "no spare disk or mkfs.ext4");
	ASSERT_EQ(0, make_files(SCRATCH_MNT "/many", nr, 1));
	sync();
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, listing(self->buf, self->opts));
		ns = walk_key(self->buf, "walk_ns");
		ASSERT_LT(0, ns);
		if (walk < 0 || ns < walk)
			walk = ns;
		total = total_of(self->buf, self->dev);
		ASSERT_NE(NULL, total);
		EXPECT_NE(NULL, strstr(total, " complete=1"));
	}
	dfd = open(SCRATCH_MNT, O_RDONLY);
	ASSERT_LE(0, dfd);
	o.buf = malloc(LISTING_MAX);
	ASSERT_NE(NULL, o.buf);
	for (i = 0; i < 10 && cut < 2; i++) {
		tries++;
		ASSERT_EQ(0, pthread_create(&t, NULL, one_listing_main, &o));
		usleep(walk / 4000);
		ASSERT_EQ(0, ioctl(dfd, FIFREEZE, 0));
		pthread_join(t, NULL);
		ASSERT_EQ(0, ioctl(dfd, FITHAW, 0));
		ASSERT_EQ(0, o.ret);
		ns = walk_key(o.buf, "walk_ns");
		total = total_of(o.buf, self->dev);
		inodes = total ? strtoll(strstr(total, " inodes=") + 8, NULL, 10) : -1;
		TH_LOG("try %d: walk of %ld files alone %lld us; with a freeze %lld us, %lld inodes met, %s, yielded=%lld",
		       i, nr, walk / 1000, ns / 1000, inodes,
		       !total ? "frozen before the walk" :
		       strstr(total, " complete=0") ? "complete=0" : "complete=1",
		       walk_key(o.buf, "yielded"));
		if (total && strstr(total, " complete=0") && inodes < nr &&
		    walk_key(o.buf, "yielded") == 1)
			cut++;
	}
	free(o.buf);
	close(dfd);
	TH_LOG("%d of %d listings cut short by the freeze", cut, tries);
	EXPECT_LE(1, cut);
}

/* umount(2), retried on EBUSY; returns the EBUSY count, -1 on failure. */
static int umount_counting(const char *mnt)
{
	int busy = 0;

	while (umount(mnt)) {
		if (errno != EBUSY || ++busy > 2000)
			return -1;
		usleep(1000);
	}
	return busy;
}

/* After umount(2) returned, nobody holds the device for a filesystem. */
static bool device_released(const char *dev)
{
	int fd = open(dev, O_RDONLY | O_EXCL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * umount(2) while listings walk the filesystem: it returns 0 at the first
 * try (the listing holds no mount: the type walk needs no lookup) and only
 * once the filesystem is gone: the device can be claimed exclusively at
 * once. Then on /mnt/btrfs, whose superblocks on 6.1 belong to an
 * unregistered type reached through a lookup of one btrfs mount (held for
 * a moment, so an EBUSY retry is tolerated there), the same.
 */
/*
 * 300 s: the KASAN kernel under TCG, with another guest beside it, ran
 * past 120 s here; each round's time is logged when it takes over 5 s.
 */
TEST_F_TIMEOUT(supers, umount_during_listing_returns_when_gone, 300)
{
	/*
	 * Eight rounds, each delay before the umount (0 to 3 ms) twice; once
	 * each on the debug kernel, where a round (evicting 1000 inodes
	 * under KASAN) took 6 s alone and 23 s beside another guest.
	 */
	const int rounds = pci_debug_kernel() ? 4 : 8;
	const char *btrfs = getenv("PCI_BTRFS"), *bdev = getenv("PCI_BTRFS_DEV");
	int round, busy, ebusy_btrfs = 0, released = 0;
	uint64_t t0 = now_ns(), tr, tl, tu;
	struct lister l;
	char dir[256];

	if (!self->mounted)
		SKIP(return, "no spare disk or mkfs.ext4");
	ASSERT_EQ(0, make_files(SCRATCH_MNT "/u", 1000, 1));
	for (round = 0; round < rounds; round++) {
		if (round) {
			ASSERT_EQ(0, mount(self->spare, SCRATCH_MNT, "ext4", 0, ""));
			self->mounted = true;
			ASSERT_EQ(0, pci_run("cat " SCRATCH_MNT "/u/* >/dev/null"));
		}
		tr = now_ns();
		ASSERT_EQ(0, lister_start(&l, "fs=ext4", 0));
		ASSERT_TRUE(lister_progress(&l, 1, 20000));
		tl = now_ns();
		usleep(1000 * (round % 4));
		busy = umount_counting(SCRATCH_MNT);
		tu = now_ns();
		ASSERT_LE(0, busy);
		self->mounted = false;
		EXPECT_EQ(0, busy) TH_LOG("round %d: %d EBUSY", round, busy);
		released += device_released(self->spare);
		EXPECT_TRUE(device_released(self->spare))
			TH_LOG("round %d: %s still held after umount returned", round, self->spare);
		lister_stop(&l);
		EXPECT_EQ(0, l.errors);
		if (now_ns() - tr > 5000000000ULL)
			TH_LOG("round %d: first listing %.1f s, umount %.1f s, listings stopped %.1f s later",
			       round, (tl - tr) / 1e9, (tu - tl) / 1e9,
			       (now_ns() - tu) / 1e9);
	}
	TH_LOG("ext4: device released at once after %d of %d unmounts (%.1f s)",
	       released, rounds, (now_ns() - t0) / 1e9);

	if (!btrfs || !*btrfs || !bdev || !*bdev)
		return;
	snprintf(dir, sizeof(dir), "%s/supers_test", btrfs);
	ASSERT_EQ(0, make_files(dir, 1000, 1));
	sync();
	released = 0;
	for (round = 0; round < rounds; round++) {
		if (round) {
			ASSERT_EQ(0, mount(bdev, btrfs, "btrfs", 0, ""));
			ASSERT_EQ(0, pci_run("cat %s/* >/dev/null", dir));
		}
		ASSERT_EQ(0, lister_start(&l, "fs=btrfs", 0));
		ASSERT_TRUE(lister_progress(&l, 1, 20000));
		usleep(1000 * (round % 4));
		busy = umount_counting(btrfs);
		ASSERT_LE(0, busy);
		ebusy_btrfs += busy;
		released += device_released(bdev);
		EXPECT_TRUE(device_released(bdev))
			TH_LOG("round %d: %s still held after umount returned", round, bdev);
		lister_stop(&l);
		EXPECT_EQ(0, l.errors);
	}
	ASSERT_EQ(0, mount(bdev, btrfs, "btrfs", 0, ""));
	pci_run("rm -rf %s", dir);
	TH_LOG("btrfs: device released at once after %d of %d unmounts, %d EBUSY retries",
	       released, rounds, ebusy_btrfs);
}

/*
 * A tmpfs mounted and unmounted 300 times while listings of every tmpfs
 * run: no umount(2) may fail with EBUSY. A listing that looked up mount
 * points (as the old /proc/self/mounts pass did, also crossing NFS mounts
 * and triggering their revalidation) holds each mount for a moment.
 */
TEST_F_TIMEOUT(supers, no_lookup_holds_a_mount, 120)
{
	const char *mnt = "/tmp/supers_test.tmpfs";
	int round, busy, total = 0;
	struct lister l;

	mkdir(mnt, 0700);
	ASSERT_EQ(0, lister_start(&l, "fs=tmpfs", 0));
	ASSERT_TRUE(lister_progress(&l, 1, 20000));
	for (round = 0; round < 300; round++) {
		ASSERT_EQ(0, mount("supers_test", mnt, "tmpfs", 0, "size=1m"));
		busy = umount_counting(mnt);
		ASSERT_LE(0, busy);
		total += busy;
	}
	lister_stop(&l);
	rmdir(mnt);
	TH_LOG("%ld listings, %d EBUSY over 300 unmounts", l.done, total);
	EXPECT_EQ(0, l.errors);
	EXPECT_LT(0, l.done);
	EXPECT_EQ(0, total);
}

/*
 * Every mount of the reader's namespace is reached: each device of
 * /proc/self/mountinfo has a total line (hugetlbfs excepted), rootfs,
 * devtmpfs and btrfs included, with no path walk, and unreached=0.
 */
TEST_F(supers, every_mount_reached)
{
	char line[8192], type[64];
	unsigned int maj, min;
	int checked = 0, missing = 0;
	FILE *f;

	ASSERT_EQ(0, listing(self->buf, ""));
	EXPECT_EQ(0, walk_key(self->buf, "unreached"));
	f = fopen("/proc/self/mountinfo", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %u:%u", &maj, &min) != 2 ||
		    sscanf(sep + 3, "%63s", type) != 1)
			continue;
		if (!strcmp(type, "hugetlbfs"))
			continue;
		checked++;
		if (!total_of(self->buf, makedev(maj, min))) {
			missing++;
			TH_LOG("not reached: %s", line);
		}
	}
	fclose(f);
	TH_LOG("%d mounts checked", checked);
	EXPECT_LT(0, checked);
	EXPECT_EQ(0, missing);
}

/*
 * A FUSE server in a thread, standing for a network filesystem: a root
 * with one directory "sub" that is never cached (entry and attribute
 * timeouts 0), so every ref-walk lookup through it asks the server. Once
 * "stopped" it reads requests and never answers them, as a dead NFS
 * server does not; closing the device (abort) fails them all.
 */
struct fuse_srv {
	pthread_t thread;
	int fd, pipe[2];
	volatile int stopped;
	volatile long unanswered;
};

static void fuse_reply(int fd, uint64_t unique, int error, const void *arg,
		       size_t size)
{
	char buf[sizeof(struct fuse_out_header) + 256];
	struct fuse_out_header *h = (void *)buf;

	h->len = sizeof(*h) + (error ? 0 : size);
	h->error = error;
	h->unique = unique;
	if (!error)
		memcpy(buf + sizeof(*h), arg, size);
	if (write(fd, buf, h->len) < 0 && errno != ENOENT)
		perror("fuse reply");
}

static void fuse_dir_attr(struct fuse_attr *a, uint64_t ino)
{
	memset(a, 0, sizeof(*a));
	a->ino = ino;
	a->mode = S_IFDIR | 0755;
	a->nlink = 2;
	a->blksize = 4096;
}

static void *fuse_main(void *arg)
{
	static char buf[FUSE_MIN_READ_BUFFER + 256 * 1024];
	struct fuse_srv *f = arg;
	struct pollfd p[2] = {
		{ .fd = f->fd, .events = POLLIN }, { .fd = f->pipe[0], .events = POLLIN },
	};

	for (;;) {
		struct fuse_in_header *in = (void *)buf;
		ssize_t n;

		if (poll(p, 2, -1) < 0 || p[1].revents)
			break;
		n = read(f->fd, buf, sizeof(buf));
		if (n < (ssize_t)sizeof(*in))
			break;
		if (in->opcode == FUSE_FORGET || in->opcode == FUSE_BATCH_FORGET)
			continue;
		if (f->stopped) {
			f->unanswered++;
			continue;
		}
		switch (in->opcode) {
		case FUSE_INIT: {
			struct fuse_init_out o = {
				.major = FUSE_KERNEL_VERSION,
				.minor = FUSE_KERNEL_MINOR_VERSION,
				.max_write = 4096, .time_gran = 1,
			};

			fuse_reply(f->fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out o = { 0 };

			fuse_dir_attr(&o.attr, in->nodeid);
			fuse_reply(f->fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out o = { .nodeid = 2, .generation = 1 };

			if (in->nodeid != FUSE_ROOT_ID || strcmp(buf + sizeof(*in), "sub")) {
				fuse_reply(f->fd, in->unique, -ENOENT, NULL, 0);
				break;
			}
			fuse_dir_attr(&o.attr, 2);
			fuse_reply(f->fd, in->unique, 0, &o, sizeof(o));
			break;
		}
		default:
			fuse_reply(f->fd, in->unique, -ENOSYS, NULL, 0);
		}
	}
	close(f->fd);	/* aborts the connection: pending requests fail */
	return NULL;
}

/*
 * A mount whose mount point lies inside a filesystem whose server stopped
 * answering (a tmpfs on a directory of a FUSE mount, as a mount under an
 * NFS mount): the listing must complete, without asking the server. A
 * path walk to the mount point would revalidate the FUSE directory and
 * wait for the server forever (the old /proc/self/mounts pass did, as it
 * did GETATTR on NFS mount points).
 */
TEST_F_TIMEOUT(supers, dead_server_does_not_stop_listing, 60)
{
	const char *mnt = "/tmp/supers_test.fuse", *sub = "/tmp/supers_test.fuse/sub";
	struct fuse_srv f = { 0 };
	char opts[128];
	int status, i;
	pid_t pid;

	f.fd = open("/dev/fuse", O_RDWR);
	if (f.fd < 0)
		SKIP(return, "no /dev/fuse (fuse module)");
	ASSERT_EQ(0, pipe(f.pipe));
	mkdir(mnt, 0700);
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", f.fd);
	ASSERT_EQ(0, mount("supers_test", mnt, "fuse", MS_NOSUID | MS_NODEV, opts));
	ASSERT_EQ(0, pthread_create(&f.thread, NULL, fuse_main, &f));
	ASSERT_EQ(0, mount("supers_test", sub, "tmpfs", 0, "size=1m"));
	ASSERT_EQ(0, listing(self->buf, ""));
	f.stopped = 1;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 3; i++)
			if (listing(self->buf, ""))
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < 20000 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(1000);
	TH_LOG("three listings with the server stopped: %s, %ld requests unanswered",
	       i == 20000 ? "stuck for 20 s" : "done", f.unanswered);
	EXPECT_GT(20000, i);
	EXPECT_EQ(0, f.unanswered);

	/* Abort the connection: whatever waits for the server fails. */
	if (write(f.pipe[1], "x", 1) != 1)
		TH_LOG("pipe write failed");
	pthread_join(f.thread, NULL);
	if (i == 20000) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_EQ(0, status);
	/* Detaches the tmpfs too; a lookup of sub would now fail. */
	EXPECT_EQ(0, umount2(mnt, MNT_DETACH));
	rmdir(mnt);
	close(f.pipe[0]);
	close(f.pipe[1]);
}

/* Write @val to a /proc/sys or sysfs file; the old value into @old if given. */
static int sysctl_set(const char *path, const char *val, char *old, size_t size)
{
	int fd = open(path, O_RDWR);
	ssize_t n;

	if (fd < 0)
		return -1;
	if (old) {
		n = read(fd, old, size - 1);
		old[n > 0 ? n : 0] = '\0';
	}
	n = pwrite(fd, val, strlen(val), 0);
	close(fd);
	return n < 0 ? -1 : 0;
}

/* A number in a sysfs file, or -1. */
static long sysfs_long(const char *dir, const char *name)
{
	char path[256], buf[32] = "";
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) <= 0)
		buf[0] = '\0';
	close(fd);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

/*
 * hugetlbfs holds huge pages, which are neither in the page cache that
 * /proc/meminfo's Cached counts nor indexed alike on every kernel (6.1
 * counts one per huge page): the listing passes over hugetlbfs
 * superblocks and counts them in hugetlbfs=. A file of four huge pages
 * faulted in (the hstate's free_hugepages is the oracle) is not listed.
 * The pages are 2 MiB where the kernel has that size (with 4 KiB pages
 * the PMD size; with 16 KiB pages on arm64 contiguous PTEs), else the
 * default huge page size.
 */
TEST_F(supers, hugetlbfs_not_listed)
{
	const char *mnt = "/tmp/supers_test.huge";
	char old[32], path[128], hs[96], opts[32];
	long free_before, free_after, huge_kb = 2048;
	size_t size, i;
	struct stat st;
	char *p;
	int fd;

	snprintf(hs, sizeof(hs), "/sys/kernel/mm/hugepages/hugepages-%ldkB",
		 huge_kb);
	if (access(hs, F_OK)) {
		huge_kb = pci_meminfo("Hugepagesize");
		snprintf(hs, sizeof(hs), "/sys/kernel/mm/hugepages/hugepages-%ldkB",
			 huge_kb);
	}
	snprintf(path, sizeof(path), "%s/nr_hugepages", hs);
	if (huge_kb <= 0 || sysctl_set(path, "8", old, sizeof(old)))
		SKIP(return, "no huge pages (%s)", hs);
	if (sysfs_long(hs, "free_hugepages") < 4) {
		sysctl_set(path, old, NULL, 0);
		SKIP(return, "fewer than four free %ld kB huge pages", huge_kb);
	}
	size = 4 * huge_kb * 1024;
	snprintf(opts, sizeof(opts), "pagesize=%ldK", huge_kb);
	mkdir(mnt, 0700);
	ASSERT_EQ(0, mount("supers_test", mnt, "hugetlbfs", 0, opts));
	snprintf(path, sizeof(path), "%s/f", mnt);
	fd = open(path, O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, size));
	free_before = sysfs_long(hs, "free_hugepages");
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < size; i += huge_kb * 1024)
		p[i] = 1;
	free_after = sysfs_long(hs, "free_hugepages");
	EXPECT_EQ(4, free_before - free_after);
	ASSERT_EQ(0, fstat(fd, &st));

	ASSERT_EQ(0, listing(self->buf, "fs=hugetlbfs"));
	EXPECT_EQ(0, walk_key(self->buf, "listed"));
	EXPECT_LE(1, walk_key(self->buf, "hugetlbfs"));
	EXPECT_EQ(NULL, total_of(self->buf, st.st_dev));
	ASSERT_EQ(0, listing(self->buf, ""));
	EXPECT_EQ(0, lines_of(self->buf, "hugetlbfs", st.st_dev));
	EXPECT_EQ(NULL, strstr(self->buf, "\n# total fs=hugetlbfs "));
	EXPECT_EQ(0, walk_key(self->buf, "unreached"));
	TH_LOG("%ld kB huge pages free %ld -> %ld; walk line: %s", huge_kb,
	       free_before, free_after, strstr(self->buf, "\n# walk ") + 1);

	munmap(p, size);
	close(fd);
	unlink(path);
	EXPECT_EQ(0, umount(mnt));
	rmdir(mnt);
	snprintf(path, sizeof(path), "%s/nr_hugepages", hs);
	sysctl_set(path, old, NULL, 0);
}

TEST_HARNESS_MAIN
