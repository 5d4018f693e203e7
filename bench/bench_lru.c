// SPDX-License-Identifier: GPL-2.0
/*
 * bench_lru: the cost of walking the LRU lists. For each file named on the
 * command line, reads it whole -r times (one untimed read first) and
 * prints the median wall time; for pcinspect's lru and lru-files it also
 * prints what the walk's footer says (folios visited, lock holds, the
 * longest hold of the irq-disabling lru_lock, restarts), worst over reps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUF_MAX (64 << 20)

static char *buf;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static ssize_t read_whole(const char *path)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf + len, BUF_MAX - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -errno;
	buf[len] = '\0';
	return len;
}

static long long footer_key(const char *key)
{
	char pat[64];
	const char *f = strstr(buf, "\n# walk "), *p;

	if (!f)
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(f, pat);
	return p ? atoll(p + strlen(pat)) : -1;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long long t[101], visited = 0, chunks = 0, hold = 0, restarts = 0, v;
	long long holds = 0, scan = 0;
	int reps = 9, i, a = 1;
	ssize_t len = 0;

	if (argc > 2 && !strcmp(argv[1], "-r")) {
		reps = atoi(argv[2]);
		a = 3;
	}
	if (reps < 1 || reps > 101 || a >= argc) {
		fprintf(stderr, "usage: bench_lru [-r REPS] FILE...\n");
		return 2;
	}
	buf = malloc(BUF_MAX);
	if (!buf)
		return 1;
	printf("%-34s %10s %8s %7s %12s %12s %8s %8s\n", "file", "median_ms",
	       "folios", "chunks", "mean_hold_us", "max_hold_us", "scan_ms",
	       "restarts");
	for (; a < argc; a++) {
		if (read_whole(argv[a]) < 0) {
			fprintf(stderr, "%s: %s\n", argv[a], strerror(errno));
			return 1;
		}
		hold = restarts = 0;
		for (i = 0; i < reps; i++) {
			long long t0 = now_ns();

			len = read_whole(argv[a]);
			t[i] = now_ns() - t0;
			if (len < 0) {
				fprintf(stderr, "%s: %s\n", argv[a],
					strerror(-len));
				return 1;
			}
			visited = footer_key("visited");
			chunks = footer_key("chunks");
			v = footer_key("max_hold_ns");
			if (v > hold)
				hold = v;
			holds = footer_key("hold_ns");
			scan = footer_key("scan_ns");
			v = footer_key("restarts");
			if (v > 0)
				restarts += v;
		}
		qsort(t, reps, sizeof(t[0]), cmp_ll);
		if (visited < 0)
			printf("%-34s %10.3f %8s %7s %12s %12s %8s %8s\n",
			       argv[a], t[reps / 2] / 1e6, "-", "-", "-", "-",
			       "-", "-");
		else
			printf("%-34s %10.3f %8lld %7lld %12.1f %12.1f %8.1f %8lld\n",
			       argv[a], t[reps / 2] / 1e6, visited, chunks,
			       chunks > 0 ? holds / 1e3 / chunks : 0.0,
			       hold / 1e3, scan / 1e6, restarts);
	}
	return 0;
}
