// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input: random and adversarial writes to every writable pcinspect
 * interface (select, query, files-query, the module parameters, and any
 * writable file added later), alone and from several threads at once.
 * Nothing may crash or warn (the runner checks the kernel log), every
 * failure must carry an errno that Documentation/ABI.md lists for that
 * file, and a failed write must leave the state exactly as it was.
 *
 * PCI_FUZZ_SEED repeats a run; PCI_FUZZ_INPUTS sets the inputs per
 * interface (default 1500). Both are printed.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>

#include "kselftest_harness.h"
#include "stress.h"

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 600

#define FZ_DIR		"/tmp/pcinspect-fuzz"
#define FZ_MNT		FZ_DIR "/mnt"
#define FZ_PARAMS	"/sys/module/pcinspect/parameters"
#define FZ_QUERY_MAX	(PATH_MAX + 64)
#define FZ_BUF		(FZ_QUERY_MAX + 512)

enum fz_iface { FZ_SELECT, FZ_QUERY, FZ_FILES, FZ_PARAM, FZ_NR };

/* Errnos ABI.md gives for a refused query (select, query). */
static const int fz_query_errs[] = {
	ENOENT, ENOTDIR, EACCES, ELOOP, EISDIR, EINVAL, ERANGE, ENAMETOOLONG,
	EOPNOTSUPP, 0
};
/*
 * files-query: malformed or repeated (EINVAL), a number too large (ERANGE),
 * too long (E2BIG).
 */
static const int fz_files_errs[] = { EINVAL, ERANGE, E2BIG, 0 };
/*
 * Module parameters: the kernel's parsers (kstrtouint, charp), and
 * files_options' own, which refuses what the listing could not parse.
 */
static const int fz_param_errs[] = { EINVAL, ERANGE, ENOSPC, E2BIG, 0 };

static const char * const fz_words[] = {
	"map", "fast", "offset=", "length=", "offset=0", "length=0",
	"offset=4096", "length=1", "offset=18446744073709551615",
	"length=18446744073709551616", "offset=-1", "offset=0x1000",
	"offset=010", "length=1e3", "fs=", "fs=ext4", "fs=tmpfs", "fs=bdev",
	"dev=", "dev=0:0", "dev=4095:1048575", "dev=4096:0", "dev=1:1048576",
	"dev=-1:2", "min=", "min=0", "min=18446744073709551616", "top=",
	"top=4294967296", "top=1", "/", "//", "/.", "/..", "/proc/self/exe",
	"/dev/null", "/dev/vda", "/tmp", "/no/such", FZ_DIR "/a", FZ_DIR "/b",
	FZ_DIR "/link", FZ_DIR "/fifo", FZ_DIR, "%s", "\\", "\"", "\xff\xfe",
};
static const char * const fz_seps[] = { " ", " ", "  ", "\t", "\n", "", "\0" };

static uint64_t fz_seed;
/* NULL the compiler cannot see, to hand the kernel a bad pointer. */
static char *volatile fz_null;

static bool fz_errno_ok(const int *list, int err)
{
	for (; *list; list++)
		if (*list == err)
			return true;
	return false;
}

/* One input for the interface; returns its length (may hold NULs). */
static size_t fz_input(char *buf, uint64_t *s, enum fz_iface i)
{
	size_t len = 0, max, k, n;
	const char *w;

	switch (st_rand(s) % 8) {
	case 0:		/* random bytes, NULs included */
		len = st_rand(s) % 600;
		for (k = 0; k < len; k++)
			buf[k] = st_rand(s);
		break;
	case 1:		/* random printable text */
		len = 1 + st_rand(s) % 300;
		for (k = 0; k < len; k++)
			buf[k] = 32 + st_rand(s) % 95;
		break;
	case 2:		/* around the length limits */
		max = i == FZ_FILES ? 256 : i == FZ_PARAM ? 1024 : FZ_QUERY_MAX;
		len = max - 8 + st_rand(s) % 16;
		buf[0] = '/';
		for (k = 1; k < len; k++)
			buf[k] = st_rand(s) % 8 ? 'a' + st_rand(s) % 26 : '/';
		break;
	case 3:		/* mutation of a sensible input: flip, cut or insert */
	case 4:		/* a soup of the words the parsers know */
	default:
		n = 1 + st_rand(s) % 5;
		for (k = 0; k < n; k++) {
			w = fz_words[st_rand(s) % (sizeof(fz_words) / sizeof(*fz_words))];
			if (len + strlen(w) + 2 >= FZ_BUF)
				break;
			memcpy(buf + len, w, strlen(w));
			len += strlen(w);
			if (k + 1 < n) {
				w = fz_seps[st_rand(s) % 7];
				buf[len++] = *w;
			}
		}
		if (st_rand(s) % 3 == 0)
			buf[len++] = '\n';
		if (st_rand(s) % 2 && len) {
			k = st_rand(s) % len;
			switch (st_rand(s) % 3) {
			case 0:
				buf[k] ^= 1 << (st_rand(s) % 8);
				break;
			case 1:
				len = k + 1;
				break;
			default:
				buf[k] = st_rand(s) % 2 ? ' ' : '\0';
				break;
			}
		}
		break;
	}
	return len;
}

/* The state a failed write must not change, as text. */
static void fz_query_state(int fd, char *out, size_t size)
{
	static __thread char rep[1 << 16];
	char path[512] = "", range[64] = "";
	ssize_t n = pci_read_all(fd, rep, sizeof(rep));

	if (n == -E2BIG) {	/* long maps: the head is enough */
		n = pread(fd, rep, sizeof(rep) - 1, 0);
		rep[n > 0 ? n : 0] = '\0';
	}
	if (n < 0) {
		snprintf(out, size, "error %zd", n);
		return;
	}
	pci_get_str(rep, "path", path, sizeof(path));
	pci_get_str(rep, "range", range, sizeof(range));
	snprintf(out, size, "path=%s ino=%lld range=%s detail=%lld map=%d", path,
		 pci_get(rep, "ino"), range, pci_get(rep, "detail"),
		 strstr(rep, "\nmap: ") != NULL);
}

static void fz_select_state(char *out, size_t size)
{
	int fd = open(PCI_DIR "/report", O_RDONLY);

	if (fd < 0) {
		snprintf(out, size, "open error %d", errno);
		return;
	}
	fz_query_state(fd, out, size);
	close(fd);
}

/* A listing without its "# walk" line (timings change at each read). */
static void fz_files_state(int fd, char *out, size_t size)
{
	ssize_t n = pci_read_all(fd, out, size);
	char *walk;

	if (n < 0) {
		snprintf(out, size, "error %zd", n);
		return;
	}
	walk = strstr(out, "# walk ");
	if (walk)
		*walk = '\0';
}

static int fz_write(int fd, const char *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	if (n < 0)
		return errno;
	return n == (ssize_t)len ? 0 : -1;	/* -1: a short write */
}

FIXTURE(fuzz) {
	char *buf;
	char *before, *after;
	char canon_files[64];
	long inputs;
	long refused[FZ_NR], accepted[FZ_NR];
};

FIXTURE_SETUP(fuzz)
{
	struct stat sb;
	int fd;

	ASSERT_EQ(0, pci_ensure_module());
	mkdir(FZ_DIR, 0700);
	mkdir(FZ_MNT, 0700);
	umount2(FZ_MNT, MNT_DETACH);
	/* A private tmpfs: the canonical listing, "dev=" of it, is small. */
	ASSERT_EQ(0, mount("fuzz", FZ_MNT, "tmpfs", 0, "size=4m"));
	fd = open(FZ_MNT "/c", O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 3));
	close(fd);
	ASSERT_EQ(0, stat(FZ_MNT "/c", &sb));
	/* fs= too: the walk then skips every other filesystem type. */
	snprintf(self->canon_files, sizeof(self->canon_files), "fs=tmpfs dev=%u:%u",
		 major(sb.st_dev), minor(sb.st_dev));
	fd = open(FZ_DIR "/a", O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 8));
	close(fd);
	fd = open(FZ_DIR "/b", O_RDWR | O_CREAT, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pci_fill(fd, 0, 2));
	close(fd);
	unlink(FZ_DIR "/link");
	ASSERT_EQ(0, symlink(FZ_DIR "/link", FZ_DIR "/link"));	/* ELOOP */
	mkfifo(FZ_DIR "/fifo", 0600);
	self->buf = malloc(FZ_BUF);
	self->before = malloc(1 << 16);
	self->after = malloc(1 << 16);
	ASSERT_TRUE(self->buf && self->before && self->after);
	fz_seed = st_env("PCI_FUZZ_SEED", time(NULL) ^ getpid());
	self->inputs = st_env("PCI_FUZZ_INPUTS", 1500);
	TH_LOG("seed %llu (PCI_FUZZ_SEED), %ld inputs per interface (PCI_FUZZ_INPUTS)",
	       (unsigned long long)fz_seed, self->inputs);
}

FIXTURE_TEARDOWN(fuzz)
{
	umount2(FZ_MNT, MNT_DETACH);
	free(self->buf);
	free(self->before);
	free(self->after);
}

/*
 * Check one write: refused with a listed errno and nothing changed, or
 * accepted whole. state() fills the state text; reset() puts the
 * canonical state back after an accepted input.
 */
#define FZ_CHECK(iface, errs, err, state, reset) do {				\
	if (err) {								\
		EXPECT_TRUE(err > 0 && fz_errno_ok(errs, err))			\
			TH_LOG("input %ld (%zu bytes): %s", k, len,		\
			       err > 0 ? strerror(err) : "short write");	\
		state;								\
		EXPECT_STREQ(self->before, self->after)				\
			TH_LOG("input %ld changed the state", k);		\
		self->refused[iface]++;						\
	} else {								\
		self->accepted[iface]++;					\
		reset;								\
	}									\
} while (0)

TEST_F(fuzz, query)
{
	uint64_t s = fz_seed;
	const char *canon = "map offset=4096 " FZ_DIR "/a\n";
	size_t len;
	long k;
	int fd, err;

	fd = open(PCI_DIR "/query", O_RDWR);
	ASSERT_LE(0, fd);
	/* Before any write: ENODATA, and refused inputs keep it so. */
	fz_query_state(fd, self->before, 4096);
	EXPECT_STREQ("error -61", self->before);
	ASSERT_EQ(0, fz_write(fd, canon, strlen(canon)));
	fz_query_state(fd, self->before, 4096);
	for (k = 0; k < self->inputs; k++) {
		len = fz_input(self->buf, &s, FZ_QUERY);
		err = fz_write(fd, self->buf, len);
		if (!len)
			err = err == EINVAL ? EINVAL : -1;	/* nothing: EINVAL */
		FZ_CHECK(FZ_QUERY, fz_query_errs, err,
			 fz_query_state(fd, self->after, 4096),
			 ASSERT_EQ(0, fz_write(fd, canon, strlen(canon))));
	}
	close(fd);
	TH_LOG("query: %ld inputs, %ld refused, %ld accepted", self->inputs,
	       self->refused[FZ_QUERY], self->accepted[FZ_QUERY]);
	EXPECT_LT(0, self->refused[FZ_QUERY]);
}

TEST_F(fuzz, select)
{
	uint64_t s = fz_seed + 1;
	const char *canon = "fast " FZ_DIR "/b\n";
	size_t len;
	long k;
	int fd, err;

	fd = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fz_write(fd, canon, strlen(canon)));
	fz_select_state(self->before, 4096);
	for (k = 0; k < self->inputs; k++) {
		len = fz_input(self->buf, &s, FZ_SELECT);
		err = len ? fz_write(fd, self->buf, len) : 0;
		if (!len)
			continue;	/* a zero-length write is not a query */
		FZ_CHECK(FZ_SELECT, fz_query_errs, err, fz_select_state(self->after, 4096),
			 ASSERT_EQ(0, fz_write(fd, canon, strlen(canon))));
	}
	close(fd);
	TH_LOG("select: %ld inputs, %ld refused, %ld accepted", self->inputs,
	       self->refused[FZ_SELECT], self->accepted[FZ_SELECT]);
}

TEST_F(fuzz, files_query)
{
	static char big[1 << 16];
	uint64_t s = fz_seed + 2;
	size_t len;
	long k;
	int fd, err;

	fd = open(PCI_DIR "/files-query", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fz_write(fd, self->canon_files, strlen(self->canon_files)));
	fz_files_state(fd, self->before, 1 << 16);
	/* The canonical listing is our tmpfs file alone. */
	EXPECT_NE(NULL, strstr(self->before, " path /c\n")) TH_LOG("%s", self->before);
	for (k = 0; k < self->inputs; k++) {
		len = fz_input(self->buf, &s, FZ_FILES);
		if (!len)
			continue;
		err = fz_write(fd, self->buf, len);
		FZ_CHECK(FZ_FILES, fz_files_errs, err, fz_files_state(fd, self->after, 1 << 16),
			 ASSERT_EQ(0, fz_write(fd, self->canon_files,
					       strlen(self->canon_files))));
	}
	/* Far too long, written from a valid buffer. */
	memset(big, 'a', sizeof(big));
	EXPECT_EQ(E2BIG, fz_write(fd, big, sizeof(big)));
	fz_files_state(fd, self->after, 1 << 16);
	EXPECT_STREQ(self->before, self->after);
	close(fd);
	TH_LOG("files-query: %ld inputs, %ld refused, %ld accepted", self->inputs,
	       self->refused[FZ_FILES], self->accepted[FZ_FILES]);
	EXPECT_LT(0, self->refused[FZ_FILES]);
}

/* ABI.md: "Options ... each at most once". */
TEST_F(fuzz, files_query_repeated_option)
{
	int fd = open(PCI_DIR "/files-query", O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, fz_write(fd, "min=1 min=2", 11));
	EXPECT_EQ(EINVAL, fz_write(fd, "fs=ext4 fs=xfs", 14));
	close(fd);
}

/* Each parameter: refused values leave it as it was; accepted ones stick. */
TEST_F(fuzz, parameters)
{
	char path[300], saved[2048], cur[2048], *text = self->buf;
	uint64_t s = fz_seed + 3;
	struct dirent *de;
	int fd, err, nparams = 0;
	size_t len;
	long k;
	DIR *d = opendir(FZ_PARAMS);

	ASSERT_NE(NULL, d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), FZ_PARAMS "/%.200s", de->d_name);
		ASSERT_EQ(0, st_read_file(path, saved, sizeof(saved)));
		nparams++;
		for (k = 0; k < self->inputs / 2; k++) {
			/* sysfs takes at most a page: stay under it. */
			len = fz_input(text, &s, FZ_PARAM) % 2048;
			if (!len)
				continue;
			fd = open(path, O_WRONLY);
			ASSERT_LE(0, fd);
			err = fz_write(fd, text, len);
			close(fd);
			ASSERT_EQ(0, st_read_file(path, cur, sizeof(cur)));
			if (err) {
				EXPECT_TRUE(err > 0 && fz_errno_ok(fz_param_errs, err))
					TH_LOG("%s: input %ld: %s", de->d_name, k,
					       err > 0 ? strerror(err) : "short write");
				EXPECT_STREQ(saved, cur)
					TH_LOG("%s: refused input %ld changed it", de->d_name, k);
				self->refused[FZ_PARAM]++;
				continue;
			}
			self->accepted[FZ_PARAM]++;
			/* The listing copes with whatever was accepted. */
			fd = open(PCI_DIR "/files", O_RDONLY);
			err = fd < 0 ? errno : 0;
			if (fd >= 0)
				close(fd);
			EXPECT_TRUE(!err || fz_errno_ok(fz_files_errs, err))
				TH_LOG("files with %s accepted: %s", de->d_name, strerror(err));
			/* Back to the saved value, which must read back the same. */
			fd = open(path, O_WRONLY);
			ASSERT_LE(0, fd);
			/*
			 * Reading adds a newline that writing would keep;
			 * an unset or empty string goes back as one NUL byte.
			 */
			if (!strcmp(saved, "(null)\n") || !strcmp(saved, "\n")) {
				EXPECT_EQ(0, fz_write(fd, "", 1));
			} else {
				EXPECT_EQ(0, fz_write(fd, saved, strlen(saved) - 1));
			}
			close(fd);
			ASSERT_EQ(0, st_read_file(path, cur, sizeof(cur)));
			/* An unset string parameter comes back as an empty one. */
			if (strcmp(saved, "(null)\n") || strcmp(cur, "\n"))
				EXPECT_STREQ(saved, cur) TH_LOG("%s not restored", de->d_name);
			strcpy(saved, cur);
		}
	}
	closedir(d);
	TH_LOG("parameters: %d, %ld refused, %ld accepted", nparams,
	       self->refused[FZ_PARAM], self->accepted[FZ_PARAM]);
	EXPECT_LT(0, nparams);
}

/*
 * Adversarial writes: bad pointers, a buffer that runs into an unmapped
 * page, a query split over several writes or iovecs, offsets, oversize
 * counts, and writes to the read-only files.
 */
TEST_F(fuzz, adversarial)
{
	static const char * const ro[] = { "version", "report", "files", "stdin", "stdin-map" };
	const char *canon = "map " FZ_DIR "/a";
	long page = sysconf(_SC_PAGESIZE);
	struct iovec iov[2];
	char *two, *big;
	size_t i;
	int fd;

	fd = open(PCI_DIR "/query", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fz_write(fd, canon, strlen(canon)));
	fz_query_state(fd, self->before, 4096);

	two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, two);
	ASSERT_EQ(0, mprotect(two + page, page, PROT_NONE));
	memcpy(two + page - 8, "/tmp/pci", 8);
	EXPECT_EQ(EFAULT, fz_write(fd, fz_null, 10));
	EXPECT_EQ(EFAULT, fz_write(fd, two + page - 8, 100));
	EXPECT_EQ(EFAULT, fz_write(fd, (void *)-4096L, 10));

	big = malloc(1 << 20);
	ASSERT_NE(NULL, big);
	memset(big, '/', 1 << 20);
	EXPECT_EQ(ENAMETOOLONG, fz_write(fd, big, 1 << 20));
	EXPECT_EQ(ENAMETOOLONG, fz_write(fd, big, FZ_QUERY_MAX + 1));

	/* Two writes are two queries: the halves fail on their own. */
	EXPECT_EQ(EINVAL, fz_write(fd, "map ", 4));
	EXPECT_EQ(ENOENT, fz_write(fd, FZ_DIR "/", strlen(FZ_DIR) - 2));
	iov[0].iov_base = "map ";
	iov[0].iov_len = 4;
	iov[1].iov_base = FZ_DIR "/b";
	iov[1].iov_len = strlen(FZ_DIR "/b");
	EXPECT_EQ(-1, writev(fd, iov, 2));
	EXPECT_EQ(EINVAL, errno);
	fz_query_state(fd, self->after, 4096);
	EXPECT_STREQ(self->before, self->after);
	/* seq_file takes no positioned writes. */
	EXPECT_EQ(-1, pwrite(fd, FZ_DIR "/b", strlen(FZ_DIR "/b"), 1000));
	EXPECT_EQ(ESPIPE, errno);
	fz_query_state(fd, self->after, 4096);
	EXPECT_STREQ(self->before, self->after);
	close(fd);

	/* The global selection and the listing options likewise. */
	fd = open(PCI_DIR "/select", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fz_write(fd, canon, strlen(canon)));
	fz_select_state(self->before, 4096);
	EXPECT_EQ(EFAULT, fz_write(fd, two + page - 8, 100));
	EXPECT_EQ(ENAMETOOLONG, fz_write(fd, big, 1 << 20));
	EXPECT_EQ(EINVAL, fz_write(fd, "", 0));
	fz_select_state(self->after, 4096);
	EXPECT_STREQ(self->before, self->after);
	close(fd);
	fd = open(PCI_DIR "/files-query", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EFAULT, fz_write(fd, two + page - 8, 100));
	EXPECT_EQ(E2BIG, fz_write(fd, big, 1 << 20));
	close(fd);

	/* Read-only files: refused at open or at write, never taken. */
	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		char path[128];
		int err;

		snprintf(path, sizeof(path), PCI_DIR "/%s", ro[i]);
		fd = open(path, O_WRONLY);
		if (fd < 0) {
			/* stdin is the runner's /dev/null: EINVAL at open. */
			EXPECT_TRUE(errno == EACCES || errno == EPERM || errno == EINVAL)
				TH_LOG("%s: %m", ro[i]);
			continue;
		}
		err = fz_write(fd, canon, strlen(canon));
		EXPECT_TRUE(err == EINVAL || err == EBADF)
			TH_LOG("write to %s: %s", ro[i], err > 0 ? strerror(err) : "taken");
		close(fd);
	}
	fz_select_state(self->after, 4096);
	EXPECT_STREQ(self->before, self->after);
	munmap(two, 2 * page);
	free(big);
}

/* Several threads writing at once, to shared and private files. */
struct fz_thread {
	int id;
	int shared_query, shared_files;
	long inputs, bad, done;
	char msg[256];
};

static void *fz_thread_main(void *arg)
{
	struct fz_thread *t = arg;
	uint64_t s = fz_seed * 7 + t->id;
	static __thread char buf[FZ_BUF], rep[1 << 16];
	int fd, err, sel = open(PCI_DIR "/select", O_WRONLY);
	size_t len;
	long k;

	for (k = 0; k < t->inputs; k++) {
		enum fz_iface i = st_rand(&s) % 3;
		const int *errs = i == FZ_FILES ? fz_files_errs : fz_query_errs;

		len = fz_input(buf, &s, i);
		if (!len)
			continue;
		if (st_rand(&s) % 4 == 0) {	/* a valid one now and then */
			len = snprintf(buf, sizeof(buf), "%s",
				       i == FZ_FILES ? "fs=tmpfs" : FZ_DIR "/a");
		}
		fd = i == FZ_SELECT ? sel : i == FZ_QUERY ? t->shared_query :
		     t->shared_files;
		err = fz_write(fd, buf, len);
		if (err && !(err > 0 && fz_errno_ok(errs, err))) {
			t->bad++;
			snprintf(t->msg, sizeof(t->msg), "iface %d input %ld: %s",
				 i, k, err > 0 ? strerror(err) : "short write");
		}
		/* Read the shared files back in the middle of it all. */
		if (k % 32 == 0) {
			if (pread(t->shared_query, rep, sizeof(rep), 0) < 0 &&
			    errno != ENODATA) {
				t->bad++;
				snprintf(t->msg, sizeof(t->msg), "query read: %m");
			}
			if (pread(t->shared_files, rep, sizeof(rep), 0) < 0) {
				t->bad++;
				snprintf(t->msg, sizeof(t->msg), "files-query read: %m");
			}
		}
		t->done++;
	}
	close(sel);
	return NULL;
}

TEST_F(fuzz, concurrent)
{
	struct fz_thread t[6];
	pthread_t th[6];
	long total = 0;
	int i, q, f;

	q = open(PCI_DIR "/query", O_RDWR);
	f = open(PCI_DIR "/files-query", O_RDWR);
	ASSERT_LE(0, q);
	ASSERT_LE(0, f);
	for (i = 0; i < 6; i++) {
		t[i] = (struct fz_thread){ .id = i, .shared_query = q,
					   .shared_files = f,
					   .inputs = self->inputs / 2 };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, fz_thread_main, &t[i]));
	}
	for (i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		total += t[i].done;
		EXPECT_EQ(0, t[i].bad) TH_LOG("thread %d: %s", i, t[i].msg);
	}
	/* Still whole and usable: a fresh query and the shared ones read. */
	EXPECT_LT(0, pci_report("", FZ_DIR "/a", self->before, 1 << 16));
	EXPECT_EQ(8, pci_get(self->before, "cached"));
	EXPECT_EQ(0, fz_write(q, FZ_DIR "/b", strlen(FZ_DIR "/b")));
	EXPECT_LT(0, pci_read_all(q, self->before, 1 << 16));
	EXPECT_EQ(2, pci_get(self->before, "cached"));
	EXPECT_LE(0, pci_read_all(f, self->before, 1 << 16));
	close(q);
	close(f);
	TH_LOG("concurrent: 6 threads, %ld inputs", total);
}

TEST_HARNESS_MAIN
