/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pcinspect selftests: talking to the debugfs files,
 * parsing "key: value" reports and page maps, and the independent oracles
 * (cachestat(2), mincore(2), /proc/meminfo) the reports are checked against.
 */
#ifndef PCINSPECT_UTIL_H
#define PCINSPECT_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define PCI_DIR		"/sys/kernel/debug/pcinspect"
/* The format version every file names first (Documentation/ABI.md). */
#define PCI_FORMAT_NUM	4
#define PCI_STR_(x)	#x
#define PCI_STR(x)	PCI_STR_(x)
#define PCI_FORMAT	PCI_STR(PCI_FORMAT_NUM)
#define PCI_REPORT_MAX	(1 << 20)

/*
 * The guest runs the debug kernel (KASAN, lockdep, kmemleak: vm-run.sh
 * sets PCI_KNAME), 3 to 20 times slower than Debian's under TCG. Tests
 * that repeat a whole scenario for more chances at a race repeat it
 * fewer times there, each repetition still checked in full.
 */
static inline bool pci_debug_kernel(void)
{
	const char *kname = getenv("PCI_KNAME");

	return kname && !strcmp(kname, "debug");
}

/*
 * The page size of the running kernel, read once: 4 KiB on amd64, 4, 16
 * or 64 KiB on arm64. Every size the tests compute goes through it, so a
 * test means the same number of pages (and page cache entries) whatever
 * the page size. PCI_PAGE_MAX bounds it for static buffers.
 */
#define PCI_PAGE	pci_page_size()
#define PCI_PAGE_MAX	65536UL

static inline unsigned long pci_page_size(void)
{
	static unsigned long size;

	if (!size)
		size = sysconf(_SC_PAGESIZE);
	return size;
}

/* log2 of the page size: 12 for 4 KiB pages, 14 for 16 KiB. */
static inline int pci_page_shift(void)
{
	return __builtin_ctzl(pci_page_size());
}

/*
 * The PMD size, the size of the largest transparent huge page: 2 MiB with
 * 4 KiB pages, 32 MiB with 16 KiB pages. The kernel says it in
 * hpage_pmd_size; without THP it is a page table page of 8-byte entries
 * times the page size. pci_pmd_order() is its folio order (9, 11, 13).
 */
static inline unsigned long pci_pmd_size(void)
{
	static unsigned long size;
	char buf[32] = "";
	int fd;

	if (size)
		return size;
	fd = open("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
		  O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			size = strtoul(buf, NULL, 10);
		close(fd);
	}
	if (!size)
		size = pci_page_size() / 8 * pci_page_size();
	return size;
}

static inline int pci_pmd_order(void)
{
	return __builtin_ctzl(pci_pmd_size()) - pci_page_shift();
}

#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif

struct pci_cachestat_range {
	uint64_t off;
	uint64_t len;
};

struct pci_cachestat {
	uint64_t nr_cache;
	uint64_t nr_dirty;
	uint64_t nr_writeback;
	uint64_t nr_evicted;
	uint64_t nr_recently_evicted;
};

/* cachestat(2) over the whole file; -1 with errno ENOSYS before 6.5. */
static inline int pci_cachestat(int fd, struct pci_cachestat *cs)
{
	struct pci_cachestat_range r = { 0, 0 };

	return syscall(__NR_cachestat, fd, &r, cs, 0);
}

static inline bool pci_have_cachestat(void)
{
	struct pci_cachestat cs;
	int fd = open("/proc/self/exe", O_RDONLY);
	int ret = pci_cachestat(fd, &cs);

	close(fd);
	return ret == 0 || errno != ENOSYS;
}

/* Run a shell command built with printf-style @fmt; system()'s status. */
static inline int pci_run(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Write @s to the file @path (a sysfs or cgroup knob); 0 or -errno. */
static inline int pci_write_str(const char *path, const char *s)
{
	/* CLOEXEC: the stress test forks and execs while it writes knobs. */
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Load the module under test if it is not there yet (PCI_KO or default). */
static inline int pci_ensure_module(void)
{
	const char *ko = getenv("PCI_KO");
	int fd, ret;

	if (access(PCI_DIR "/version", F_OK) == 0)
		return 0;
	fd = open(ko ? ko : "/pcinspect/pcinspect.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(__NR_finit_module, fd, "", 0);
	close(fd);
	if (ret && errno != EEXIST)
		return -errno;
	return 0;
}

/* Read a whole file from offset 0 into buf; returns length or -errno. */
static inline ssize_t pci_read_all(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	for (;;) {
		if (len + 1 >= size)
			return -E2BIG;
		n = pread(fd, buf + len, size - 1 - len, len);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

/* Write a query to a fresh "query" file and read the report back. */
static inline ssize_t pci_query(const char *query, char *buf, size_t size)
{
	ssize_t ret;
	int fd = open(PCI_DIR "/query", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (write(fd, query, strlen(query)) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = pci_read_all(fd, buf, size);
	close(fd);
	return ret;
}

/* Report for one path, with options ("map", "fast", ...) or "". */
static inline ssize_t pci_report(const char *opts, const char *path, char *buf,
				 size_t size)
{
	char q[8192];

	snprintf(q, sizeof(q), "%s%s%s\n", opts, *opts ? " " : "", path);
	return pci_query(q, buf, size);
}

/* Report through the read-only route: the target is the reader's stdin. */
static inline ssize_t pci_report_stdin(int target, const char *file, char *buf,
				       size_t size)
{
	int saved = dup(0), fd;
	ssize_t ret;

	if (saved < 0 || dup2(target, 0) < 0)
		return -errno;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	ret = fd < 0 ? -errno : 0;
	dup2(saved, 0);
	close(saved);
	if (fd < 0)
		return ret;
	ret = pci_read_all(fd, buf, size);
	close(fd);
	return ret;
}

/* Value of "key: N" in a report, or -1 when the key is absent. */
static inline long long pci_get(const char *report, const char *key)
{
	size_t klen = strlen(key);
	const char *p = report;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':' && p[klen + 1] == ' ')
			return strtoll(p + klen + 2, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
}

/* String value of "key: ..." copied into out; false when absent. */
static inline bool pci_get_str(const char *report, const char *key, char *out,
			       size_t size)
{
	size_t klen = strlen(key);
	const char *p = report, *end;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':' && p[klen + 1] == ' ') {
			p += klen + 2;
			end = strchrnul(p, '\n');
			snprintf(out, size, "%.*s", (int)(end - p), p);
			return true;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* Sum of all "<prefix>N<suffix>: V" keys, e.g. node*.cached. */
static inline long long pci_sum(const char *report, const char *prefix,
				const char *suffix)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);
	const char *p = report;
	long long sum = 0;

	while (p && *p) {
		const char *colon = strchr(p, ':');
		const char *eol = strchrnul(p, '\n');

		if (colon && colon < eol && !strncmp(p, prefix, plen) &&
		    colon - p >= (long)(plen + slen) &&
		    !strncmp(colon - slen, suffix, slen))
			sum += strtoll(colon + 2, NULL, 10);
		p = *eol ? eol + 1 : NULL;
	}
	return sum;
}

struct pci_run {
	unsigned long first, last;
	char state[24], lru[16], mapped;
	int node, order;
};

/* Parse the page map: fills up to max runs, returns the count or -1. */
static inline int pci_map(const char *report, struct pci_run *runs, int max)
{
	const char *p = strstr(report, "\nmap: ");
	int n = 0;

	if (!p)
		return -1;
	p = strchr(p + 1, '\n');
	while (p && *++p && n < max) {
		struct pci_run *r = &runs[n];

		if (sscanf(p, "%lu %lu %23s %15s %c %d %d", &r->first, &r->last,
			   r->state, r->lru, &r->mapped, &r->node, &r->order) != 7)
			return -1;
		n++;
		p = strchr(p, '\n');
	}
	return n;
}

/* mincore(2) of a shared read-only mapping: the residency oracle. */
static inline int pci_mincore(int fd, size_t pages, unsigned char *vec)
{
	void *addr;
	int ret;

	if (!pages)
		return 0;
	addr = mmap(NULL, pages * PCI_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (addr == MAP_FAILED)
		return -errno;
	ret = mincore(addr, pages * PCI_PAGE, vec) ? -errno : 0;
	munmap(addr, pages * PCI_PAGE);
	return ret;
}

static inline long pci_mincore_count(int fd, size_t pages)
{
	unsigned char *vec = calloc(pages + 1, 1);
	long n = 0;
	size_t i;

	if (!vec || pci_mincore(fd, pages, vec)) {
		free(vec);
		return -1;
	}
	for (i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

/*
 * A /proc/meminfo field in kB, or -1. The per-CPU vmstat deltas are folded
 * first (vm.stat_refresh), so the value is exact, not up to the per-CPU
 * batching drift of (stat threshold x CPUs) pages.
 */
static inline long pci_meminfo(const char *field)
{
	char line[256];
	size_t flen = strlen(field);
	long val = -1;
	FILE *f;
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, "1", 1) < 0)
			perror("stat_refresh");
		close(fd);
	}
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, field, flen) && line[flen] == ':') {
			val = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Fill a file with pages of a known pattern (page index in each word). */
static inline int pci_fill(int fd, unsigned long first, unsigned long pages)
{
	uint64_t buf[PCI_PAGE_MAX / 8];
	unsigned long i, j;

	for (i = first; i < first + pages; i++) {
		for (j = 0; j < PCI_PAGE / 8; j++)
			buf[j] = i;
		if (pwrite(fd, buf, PCI_PAGE, i * PCI_PAGE) != (ssize_t)PCI_PAGE)
			return -1;
	}
	return 0;
}

/* Read pages [first, first + pages) through the page cache. */
static inline int pci_read_pages(int fd, unsigned long first, unsigned long pages)
{
	char buf[PCI_PAGE_MAX];
	unsigned long i;

	for (i = first; i < first + pages; i++)
		if (pread(fd, buf, PCI_PAGE, i * PCI_PAGE) < 0)
			return -1;
	return 0;
}

/* Clean the file and drop its cache, as far as the filesystem allows. */
static inline void pci_drop_cache(int fd)
{
	fsync(fd);
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
}

#define PCI_KPF_COMPOUND_HEAD	15
#define PCI_KPF_COMPOUND_TAIL	16

/*
 * Folio sizes from /proc/kpageflags, independently of pcinspect: map the
 * file, fault every page in, take each page's PFN from /proc/self/pagemap
 * and its flags from /proc/kpageflags. A head page followed by N tail
 * pages at the following PFNs is a folio of N + 1 pages. Fills
 * order_pages[0..max_order] with pages per folio order; returns the number
 * of pages seen, or -errno.
 */
static inline long pci_kpage_orders(int fd, size_t pages, long *order_pages,
				    int max_order)
{
	int pm = open("/proc/self/pagemap", O_RDONLY);
	int kf = open("/proc/kpageflags", O_RDONLY);
	uint64_t ent, flags, *pfn = calloc(pages + 1, sizeof(*pfn));
	uint64_t *kflags = calloc(pages + 1, sizeof(*kflags));
	volatile char *map;
	long ret = -EINVAL;
	size_t i, j;

	if (pm < 0 || kf < 0 || !pfn || !kflags) {
		ret = -errno;
		goto out;
	}
	map = mmap(NULL, pages * PCI_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < pages; i++) {
		(void)map[i * PCI_PAGE];
		if (pread(pm, &ent, 8, ((uintptr_t)map / PCI_PAGE + i) * 8) != 8 ||
		    !(ent & (1ULL << 63)))
			goto unmap;
		pfn[i] = ent & ((1ULL << 55) - 1);
		if (!pfn[i] || pread(kf, &flags, 8, pfn[i] * 8) != 8)
			goto unmap;
		kflags[i] = flags;
	}
	memset(order_pages, 0, (max_order + 1) * sizeof(*order_pages));
	for (i = 0; i < pages; i = j) {
		int order = 0;

		j = i + 1;
		if (kflags[i] & (1ULL << PCI_KPF_COMPOUND_HEAD)) {
			while (j < pages && pfn[j] == pfn[i] + (j - i) &&
			       (kflags[j] & (1ULL << PCI_KPF_COMPOUND_TAIL)))
				j++;
			while ((2UL << order) <= j - i)
				order++;
		}
		order_pages[order < max_order ? order : max_order] += j - i;
	}
	ret = pages;
unmap:
	munmap((void *)map, pages * PCI_PAGE);
out:
	free(pfn);
	free(kflags);
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	return ret;
}

#endif /* PCINSPECT_UTIL_H */
