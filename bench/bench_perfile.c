// SPDX-License-Identifier: GPL-2.0
/*
 * bench_perfile: how long one per-file answer takes, pcinspect against the
 * tools people use, on the same files in the same guest:
 *
 *   pcinspect fast    query "fast PATH" (xarray counts, like cachestat):
 *                     open query, write, read, close
 *   pcinspect fast-fd the same on a query file kept open, as a tool asking
 *                     about many files does: write, read
 *   pcinspect detail-fd  the detailed report on the kept-open query file
 *   pcinspect detail  query "PATH" (counts plus folio flags, nodes, memcgs)
 *   pcinspect map     query "map PATH" (detail plus the page map)
 *   cachestat(2)      open + cachestat + close
 *   mincore(2)        open + mmap + mincore + munmap + close, in process
 *   fincore, vmtouch  the programs, fork + exec + wait
 *
 * Every figure is the median of REPS runs (wall clock, CLOCK_MONOTONIC).
 * Usage: bench_perfile [-r REPS] FILE...
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define QUERY "/sys/kernel/debug/pcinspect/query"
#define MAXREPS 101

struct cstat {
	uint64_t cache, dirty, writeback, evicted, recently_evicted;
};

static char *rep;
static size_t rep_size = 64 << 20;
static double last_walk;	/* walk_ns of the last pcinspect report, in s */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Report for a query on @fd (a new open of the query file when -1);
 * returns the cached count or -1. A write rewinds the file: each query
 * reads its own report from offset 0.
 */
static long long pcinspect_on(int keep_fd, const char *opts, const char *path)
{
	char q[4200];
	size_t len = 0;
	ssize_t n;
	char *p;
	int fd = keep_fd >= 0 ? keep_fd : open(QUERY, O_RDWR);

	if (fd < 0)
		return -1;
	snprintf(q, sizeof(q), "%s%s%s", opts, *opts ? " " : "", path);
	if (write(fd, q, strlen(q)) < 0) {
		if (keep_fd < 0)
			close(fd);
		return -1;
	}
	while ((n = read(fd, rep + len, rep_size - 1 - len)) > 0)
		len += n;
	if (keep_fd < 0)
		close(fd);
	rep[len] = '\0';
	p = strstr(rep, "\nwalk_ns: ");
	last_walk = p ? atoll(p + 10) / 1e9 : -1;
	p = strstr(rep, "\ncached: ");
	return n < 0 || !p ? -1 : atoll(p + 9);
}

static long long query_bytes(void)
{
	char *p = strstr(rep, "\nquery_bytes: ");

	return p ? atoll(p + 14) : -1;
}

static long long cachestat(const char *path)
{
	uint64_t range[2] = { 0, 0 };
	struct cstat cs;
	int fd = open(path, O_RDONLY);
	long ret;

	if (fd < 0)
		return -1;
	ret = syscall(451, fd, range, &cs, 0);
	close(fd);
	return ret ? -1 : (long long)cs.cache;
}

static long long mincore_count(const char *path)
{
	unsigned char *vec;
	long long n = 0;
	size_t pages, i, chunk = 1UL << 18, done;
	struct stat st;
	void *addr;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return -1;
	pages = (st.st_size + 4095) / 4096;
	vec = malloc(chunk);
	/* Chunked like fincore and vmtouch, so the vector stays small. */
	for (done = 0; done < pages; done += chunk) {
		size_t len = pages - done < chunk ? pages - done : chunk;

		addr = mmap(NULL, len * 4096, PROT_READ, MAP_SHARED, fd,
			    done * 4096);
		if (addr == MAP_FAILED || mincore(addr, len * 4096, vec)) {
			n = -1;
			break;
		}
		for (i = 0; i < len; i++)
			n += vec[i] & 1;
		munmap(addr, len * 4096);
	}
	free(vec);
	close(fd);
	return n;
}

static long long run_prog(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static long long pcinspect(const char *opts, const char *path)
{
	return pcinspect_on(-1, opts, path);
}

/* The query file a tool keeps open, opened at the first use. */
static long long pcinspect_kept(const char *opts, const char *path)
{
	static int fd = -1;

	if (fd < 0)
		fd = open(QUERY, O_RDWR);
	return fd < 0 ? -1 : pcinspect_on(fd, opts, path);
}

enum method { CACHESTAT, PCI_FAST, PCI_FAST_FD, PCI_DETAIL, PCI_DETAIL_FD,
	      PCI_MAP, MINCORE, FINCORE, VMTOUCH, NR_METHODS };
static const char *const names[] = {
	"cachestat", "pcinspect-fast", "pcinspect-fast-fd", "pcinspect-detail",
	"pcinspect-detail-fd", "pcinspect-map", "mincore", "fincore", "vmtouch",
};

static long long measure_once(enum method m, const char *path)
{
	char *fincore[] = { "fincore", "-b", (char *)path, NULL };
	char *vmtouch[] = { "vmtouch", "-q", (char *)path, NULL };

	switch (m) {
	case PCI_FAST: return pcinspect("fast", path);
	case PCI_FAST_FD: return pcinspect_kept("fast", path);
	case PCI_DETAIL_FD: return pcinspect_kept("", path);
	case PCI_DETAIL: return pcinspect("", path);
	case PCI_MAP: return pcinspect("map", path);
	case CACHESTAT: return cachestat(path);
	case MINCORE: return mincore_count(path);
	case FINCORE: return run_prog(fincore);
	case VMTOUCH: return run_prog(vmtouch);
	default: return -1;
	}
}

static const char *fmt_us(double seconds)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "%.1f", seconds * 1e6);
	return buf;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static double t[NR_METHODS][MAXREPS], walk[NR_METHODS][MAXREPS];
	double med[NR_METHODS];
	long long val[NR_METHODS];
	int reps = 11, i, r, opt, m, j;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt == 'r')
			reps = atoi(optarg);
		else
			return 2;
	}
	if (reps < 1 || reps > MAXREPS || optind >= argc) {
		fprintf(stderr, "usage: bench_perfile [-r REPS] FILE...\n");
		return 2;
	}
	rep = malloc(rep_size);
	printf("# x_cachestat: cachestat's time / this method's time (>1: faster)\n");
	printf("# walk_us: the kernel's own walk time (walk_ns), pcinspect only\n");
	printf("# methods take turns in every repetition; each timed call follows\n");
	printf("# an untimed one of the same method; medians of %d runs\n", reps);
	printf("%-28s %-17s %12s %12s %12s %10s\n", "file", "method",
	       "median_us", "pages", "x_cachestat", "walk_us");
	for (i = optind; i < argc; i++) {
		const char *path = argv[i];
		long long qbytes = -1;

		for (m = 0; m < NR_METHODS; m++)
			val[m] = measure_once(m, path);	/* warm up */
		/*
		 * In-process methods take turns, the first one rotating; the
		 * programs (fork + exec) come after, apart: under TCG a new
		 * program's code must be translated again, which would slow
		 * whatever ran next. Every timed call follows an untimed call
		 * of the same method, so none pays for its predecessor.
		 */
		for (r = 0; r < reps; r++) {
			for (j = 0; j < NR_METHODS; j++) {
				double t0;
				long long v;

				m = j < FINCORE ? (j + r) % FINCORE : j;
				measure_once(m, path);
				last_walk = -1;
				t0 = now();
				v = measure_once(m, path);
				t[m][r] = now() - t0;
				walk[m][r] = last_walk;
				if (v < 0)
					val[m] = -1;
				if (m == PCI_DETAIL)
					qbytes = query_bytes();
			}
		}
		for (m = 0; m < NR_METHODS; m++)
			med[m] = val[m] < 0 ? -1 : median(t[m], reps);
		for (m = 0; m < NR_METHODS; m++) {
			if (val[m] < 0) {
				printf("%-28s %-17s %12s %12s %12s %10s\n", path,
				       names[m], "n/a", "-", "-", "-");
				continue;
			}
			printf("%-28s %-17s %12.1f %12lld %12.2f %10s\n", path,
			       names[m], med[m] * 1e6,
			       m >= FINCORE ? -1LL : val[m],
			       med[CACHESTAT] > 0 ? med[CACHESTAT] / med[m] : 0,
			       m >= PCI_FAST && m <= PCI_MAP ?
			       fmt_us(median(walk[m], reps)) : "-");
		}
		printf("%-28s %-17s query_bytes=%lld\n", path, "memory", qbytes);
		if (med[PCI_FAST] > 0)
			printf("%-28s %-17s fast/fincore=%.1fx fast/vmtouch=%.1fx fast/mincore=%.1fx detail/cachestat=%.2f\n",
			       path, "summary", med[FINCORE] / med[PCI_FAST],
			       med[VMTOUCH] / med[PCI_FAST],
			       med[MINCORE] / med[PCI_FAST],
			       med[CACHESTAT] > 0 ?
			       med[PCI_DETAIL] / med[CACHESTAT] : 0);
		if (med[PCI_FAST] > 0 && med[PCI_FAST_FD] > 0)
			printf("%-28s %-17s x_cachestat fast=%.2f fast-fd=%.2f walk-only=%.2f; detail/cachestat detail-fd=%.2f\n",
			       path, "summary", med[CACHESTAT] / med[PCI_FAST],
			       med[CACHESTAT] / med[PCI_FAST_FD],
			       med[CACHESTAT] / median(walk[PCI_FAST], reps),
			       med[CACHESTAT] > 0 ?
			       med[PCI_DETAIL_FD] / med[CACHESTAT] : 0);
	}
	return 0;
}
