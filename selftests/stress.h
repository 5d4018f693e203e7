/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared state of stress_test: the counters every worker process updates
 * in one MAP_SHARED page, the first failure any of them saw, and the
 * deterministic page pattern that lets a worker check that what it wrote
 * reads back intact after reclaim, truncation, hole punching and
 * drop_caches.
 */
#ifndef PCI_STRESS_H
#define PCI_STRESS_H

#include <stdarg.h>
#include <stdatomic.h>
#include <time.h>

#include "pcinspect_util.h"

/* Operations counted per kind, printed at the end. */
enum st_op {
	OP_WRITE, OP_FSYNC, OP_TRUNCATE, OP_PUNCH, OP_UNLINK, OP_MMAP_DIRTY,
	OP_VERIFY, OP_DROP_CACHES, OP_MGLRU, OP_MEMCG_CREATE, OP_MEMCG_REMOVE,
	OP_PRESSURE, OP_MOUNT, OP_UMOUNT, OP_UMOUNT_BUSY, OP_UNLOAD_REFUSED,
	OP_RELOAD, OP_NR
};

static const char * const st_op_name[OP_NR] = {
	"write", "fsync", "truncate", "punch_hole", "unlink", "mmap_dirty",
	"verify", "drop_caches", "mglru_switch", "memcg_create",
	"memcg_remove", "pressure", "mount", "umount", "umount_busy",
	"unload_refused", "unload_reload",
};

#define ST_MAX_READERS	128
#define ST_NAME		32

/* One reader process: the file it reads and how it fared. */
struct st_reader {
	char file[ST_NAME];
	_Atomic uint64_t reads;		/* complete open..close cycles */
	_Atomic uint64_t errors;	/* expected errnos (ENOENT, ENODATA...) */
	_Atomic uint64_t max_ns;	/* slowest cycle */
	_Atomic uint64_t busy_since;	/* start of the cycle in flight, or 0 */
	_Atomic uint64_t bytes;
	_Atomic int idle;		/* paused, with no pcinspect file open */
	/* The watchdog's view of the cycle in flight (see st_watchdog). */
	_Atomic uint64_t seen_inside;	/* busy_since of a cycle caught in pcinspect */
	_Atomic uint64_t excused;	/* busy_since of a cycle stalled elsewhere */
	_Atomic uint64_t stalls_elsewhere;
	_Atomic uint64_t max_elsewhere_ns;
};

struct st_shared {
	_Atomic int stop_work;		/* workload processes end */
	_Atomic int stop_read;		/* reader processes end */
	_Atomic int reloading;		/* the module may vanish under readers */
	_Atomic int pause_read;		/* readers wait, closed, until cleared */
	_Atomic int failed;
	char why[512];			/* first failure */
	_Atomic uint64_t ops[OP_NR];
	int nreaders;
	struct st_reader readers[ST_MAX_READERS];
};

static struct st_shared *st;

static inline uint64_t st_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Record a failure; the first one is kept for the report. */
static inline void st_fail(const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(st->why)];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "# stress: FAIL: %s\n", msg);
	if (atomic_fetch_add(&st->failed, 1) == 0)
		memcpy(st->why, msg, sizeof(msg));
}

static inline void st_count(enum st_op op)
{
	atomic_fetch_add(&st->ops[op], 1);
}

static inline long st_env(const char *name, long def)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 0) : def;
}

/* xorshift64*: seeded, so a failing run can be repeated. */
static inline uint64_t st_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Sleep for ms milliseconds, or less if the workload is told to stop. */
static inline void st_nap(long ms)
{
	while (ms > 0 && !st->stop_work) {
		usleep((ms > 50 ? 50 : ms) * 1000);
		ms -= 50;
	}
}

/* Word j of page idx of generation gen of file id: never zero. */
static inline uint64_t st_word(uint32_t id, uint32_t gen, uint64_t idx, int j)
{
	return ((uint64_t)id << 48) ^ ((uint64_t)gen << 32) ^ (idx << 9) ^ j ^
	       0x8000000000000000ULL;
}

static inline void st_pattern(uint64_t *buf, uint32_t id, uint32_t gen,
			      uint64_t idx)
{
	int j;

	for (j = 0; j < (int)(PCI_PAGE / 8); j++)
		buf[j] = st_word(id, gen, idx, j);
}

/*
 * Check page idx read from a file: the pattern, or zeros where zero is
 * true (a hole). Returns the first bad word or -1.
 */
static inline int st_check(const uint64_t *buf, uint32_t id, uint32_t gen,
			   uint64_t idx, bool zero)
{
	int j;

	for (j = 0; j < (int)(PCI_PAGE / 8); j++)
		if (buf[j] != (zero ? 0 : st_word(id, gen, idx, j)))
			return j;
	return -1;
}

/* FNV-1a over a whole file: the checksum of the golden files. */
static inline int st_checksum(const char *path, uint64_t *sum)
{
	static __thread char buf[1 << 16];
	uint64_t h = 0xcbf29ce484222325ULL;
	ssize_t n, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ULL;
	close(fd);
	if (n < 0)
		return -errno;
	*sum = h;
	return 0;
}

static inline int st_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * A KASAN kernel (the debug kernel): about ten times slower under TCG,
 * and its quarantine holds freed objects, so timings and memory figures
 * mean something else there.
 */
static inline bool st_kasan(void)
{
	return system("zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_KASAN=y'") == 0;
}

/* A counter of /proc/vmstat, or -1. */
static inline long long st_vmstat(const char *key)
{
	char line[128];
	size_t klen = strlen(key);
	long long val = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ' ') {
			val = strtoll(line + klen + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

#endif /* PCI_STRESS_H */
