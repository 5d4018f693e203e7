/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The source layer: the only code that reads debugfs, sysfs and /proc or
 * asks the kernel about a file. Environment overrides (a test's stand-in
 * directories) are read here and nowhere else:
 *
 *   PCINSPECT_DEBUGFS  the module's directory (/sys/kernel/debug/pcinspect)
 *   PCINSPECT_SYSFS    sysfs (/sys)
 *   PCINSPECT_PROC     procfs (/proc)
 *
 * source_debugfs.c  the module's files, with the lockdown routes
 * source_syscalls.c cachestat(2), mincore(2), fstat(2): no module needed
 * source_proc.c     mountinfo, block device names, processes' files
 */
#ifndef PCR_SOURCE_H
#define PCR_SOURCE_H

#include "format_listing.h"
#include "format_lru.h"
#include "format_report.h"

#define PCR_DEBUGFS	"/sys/kernel/debug/pcinspect"

const char *pcr_debugfs_file(const char *name, char *buf, size_t size);
const char *pcr_sysfs_root(void);
const char *pcr_proc_root(void);

/* source_debugfs.c */
int pcr_module_version(struct pcr_version *ver, char *err, size_t errsize);
void pcr_no_module_hint(FILE *out);

/* One query file, written again for each file (a write rewinds it). */
struct pcr_query {
	int fd;			/* -1: not open yet; -2: lockdown, stdin route */
	char *buf;		/* a report without a map, read whole */
	size_t size;
};

#define PCR_QUERY_INIT	{ .fd = -1 }

/* What a report should hold. */
struct pcr_query_opts {
	bool map;		/* the page map */
	bool fast;		/* xarray counts only (no detail, no map) */
	bool ranged;
	uint64_t offset, length;
};

int pcr_module_report(struct pcr_query *q, struct pcr_report *rep,
		      const char *path, const struct pcr_query_opts *o);
void pcr_query_close(struct pcr_query *q);

int pcr_module_listing(struct pcr_listing *l, const char *opts,
		       bool *reader_selects);
int pcr_module_lru(struct pcr_lru *l, const char *from);
int pcr_saved_listing(struct pcr_listing *l, const char *file);
int pcr_listing_all(struct pcr_listing *l, const char *from);

/* source_report.c: one report from the module, cachestat or mincore */
enum { PCR_SRC_AUTO, PCR_SRC_MODULE, PCR_SRC_CACHESTAT, PCR_SRC_MINCORE };

extern const char * const pcr_source_names[];

struct pcr_reporter {
	int source;		/* PCR_SRC_*: asked for, then chosen */
	bool auto_source;	/* cachestat may drop to mincore */
	uint64_t page_size;	/* the module's, or this machine's */
	struct pcr_query query;
};

int pcr_reporter_open(struct pcr_reporter *r, bool map);
int pcr_reporter_report(struct pcr_reporter *r, struct pcr_report *rep,
			const char *path, const struct pcr_query_opts *q);
void pcr_reporter_close(struct pcr_reporter *r);
void pcr_report_failed(const char *path, const struct pcr_report *rep,
		       int err);

/* source_syscalls.c */
int pcr_have_cachestat(void);
int pcr_cachestat_report(struct pcr_report *rep, const char *path,
			 uint64_t offset, uint64_t length);
int pcr_mincore_report(struct pcr_report *rep, const char *path,
		       uint64_t offset, uint64_t length, bool map);
int pcr_file_ident(struct pcr_report *rep, const char *path);

/* source_proc.c */
int pcr_read_first_line(const char *file, char *buf, size_t size);
int pcr_load_mounts(struct pcr_mounts *ms, const char *file);
char *pcr_sysfs_bdev_name(unsigned int major, unsigned int minor);
const char *pcr_fs_type_of(unsigned int major, unsigned int minor);

/* A file a process has open (fd) or mapped (maps), by path. */
struct pcr_proc_file {
	char *path;		/* as the process sees it */
	char *open_path;	/* what opens it: /proc/PID/fd/N for open files */
	unsigned int major, minor;
	uint64_t ino;
	bool fd, mapped;	/* how the process holds it */
};

struct pcr_proc_files {
	struct pcr_proc_file *f;
	size_t n, alloc;
};

int pcr_proc_files(int pid, struct pcr_proc_files *pf);
void pcr_proc_files_free(struct pcr_proc_files *pf);
int pcr_proc_comm(int pid, char *buf, size_t size);
int pcr_proc_pids(int **pids, size_t *n);

#endif /* PCR_SOURCE_H */
