// SPDX-License-Identifier: GPL-2.0
/*
 * bench_files: helpers for the system-wide listing benchmark
 * (bench_files_guest.sh), run inside the guest.
 *
 *   bench_files create DIR FIRST COUNT [PAGES]
 *       create files DIR/dNNN/fNNNNNNN, FIRST .. FIRST+COUNT-1, 1000 per
 *       directory, each PAGES pages (default 1), written and left cached
 *   bench_files time REPS LABEL COMMAND
 *       run "sh -c COMMAND" REPS times with stdout to /dev/null and print
 *       "LABEL median_s min_s" (wall clock, CLOCK_MONOTONIC)
 *   bench_files listing REPS FILE [OPTIONS]
 *       read FILE (files, or files-query after writing OPTIONS) REPS
 *       times in 1 MiB reads; print the median time, lines, and the walk
 *       line of the last listing
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXREPS 51

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

static int create(const char *dir, long first, long count, long pages)
{
	static char page[4096];
	char path[4096];
	long i, p;
	int fd;

	memset(page, 'x', sizeof(page));
	mkdir(dir, 0755);
	for (i = first; i < first + count; i++) {
		if (i % 1000 == 0 || i == first) {
			snprintf(path, sizeof(path), "%s/d%03ld", dir, i / 1000);
			mkdir(path, 0755);
		}
		snprintf(path, sizeof(path), "%s/d%03ld/f%07ld", dir, i / 1000, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		for (p = 0; p < pages; p++)
			if (write(fd, page, sizeof(page)) != sizeof(page)) {
				perror(path);
				return 1;
			}
		close(fd);
	}
	return 0;
}

static int run_time(int reps, const char *label, const char *cmd)
{
	double t[MAXREPS];
	int i, status;
	pid_t pid;

	for (i = 0; i < reps; i++) {
		double t0 = now();

		pid = fork();
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);

			dup2(fd, 1);
			execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			return 1;
		t[i] = now() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "%s: exit status %d\n", cmd, WEXITSTATUS(status));
			return 1;
		}
	}
	qsort(t, reps, sizeof(t[0]), cmp_double);
	printf("%-28s %10.4f s  (min %.4f, %d runs)\n", label, t[reps / 2], t[0], reps);
	return 0;
}

static int listing(int reps, const char *file, const char *opts)
{
	static char buf[1 << 20];
	double t[MAXREPS];
	char last[512] = "", *p;
	long lines = 0;
	int i;

	for (i = 0; i < reps; i++) {
		double t0 = now();
		int fd = open(file, opts ? O_RDWR : O_RDONLY);
		ssize_t n;
		size_t tail = 0;

		if (fd < 0 || (opts && write(fd, opts, strlen(opts)) < 0)) {
			perror(file);
			return 1;
		}
		lines = 0;
		while ((n = read(fd, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			for (p = buf; (p = memchr(p, '\n', buf + n - p)); p++)
				lines++;
			tail = n;
		}
		close(fd);
		t[i] = now() - t0;
		if (n < 0) {
			perror("read");
			return 1;
		}
		if (i == reps - 1 && tail) {
			buf[tail - 1] = '\0';
			p = strrchr(buf, '\n');
			snprintf(last, sizeof(last), "%.500s", p ? p + 1 : buf);
		}
	}
	qsort(t, reps, sizeof(t[0]), cmp_double);
	printf("%-28s %10.4f s  (min %.4f, %d runs, %ld lines)\n",
	       opts ? opts : "pcinspect files", t[reps / 2], t[0], reps, lines);
	printf("  %s\n", last);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "create"))
		return create(argv[2], atol(argv[3]), atol(argv[4]),
			      argc > 5 ? atol(argv[5]) : 1);
	if (argc == 5 && !strcmp(argv[1], "time"))
		return run_time(atoi(argv[2]) > MAXREPS ? MAXREPS : atoi(argv[2]),
				argv[3], argv[4]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "listing"))
		return listing(atoi(argv[2]) > MAXREPS ? MAXREPS : atoi(argv[2]),
			       argv[3], argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: see the comment at the top of bench_files.c\n");
	return 2;
}
