// SPDX-License-Identifier: GPL-2.0
/*
 * The module's debugfs files (Documentation/ABI.md): the version file
 * first; per-file reports through a private "query" file (so concurrent
 * readers never see each other's queries), written again for each file;
 * the listing through a private "files-query"; the lru walks. Kernel
 * lockdown refuses to open debugfs files with a write bit: then reports
 * come from the read-only "stdin"/"stdin-map" files and the listing from
 * the read-only "files", as each function says.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

#define PARAM_FILE	"module/pcinspect/parameters/files_options"

static const char *env_dir(const char *var, const char *def)
{
	const char *dir = getenv(var);

	return dir && *dir ? dir : def;
}

const char *pcr_debugfs_file(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", env_dir("PCINSPECT_DEBUGFS", PCR_DEBUGFS),
		 name);
	return buf;
}

const char *pcr_sysfs_root(void)
{
	return env_dir("PCINSPECT_SYSFS", "/sys");
}

const char *pcr_proc_root(void)
{
	return env_dir("PCINSPECT_PROC", "/proc");
}

/* A missing version file names a file, not the problem: say how to fix it. */
void pcr_no_module_hint(FILE *out)
{
	fputs("Load it with: modprobe pcinspect (or insmod pcinspect.ko); "
	      "mount debugfs with: mount -t debugfs none /sys/kernel/debug\n",
	      out);
}

int pcr_module_version(struct pcr_version *ver, char *err, size_t errsize)
{
	char buf[4096], file[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	fd = open(pcr_debugfs_file("version", file, sizeof(file)),
		  O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errsize, "%s: %s", file, strerror(errno));
		return ret;
	}
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret) {
		snprintf(err, errsize, "%s: %s", file, strerror(-ret));
		return ret;
	}
	buf[len] = '\0';
	ret = pcr_version_parse(ver, buf, err, errsize);
	if (ret) {
		char *msg;

		/* say which file */
		if (asprintf(&msg, "%s: %s", file, err) >= 0) {
			snprintf(err, errsize, "%s", msg);
			free(msg);
		}
	}
	return ret;
}

/* Per-file reports ------------------------------------------------------- */

/* Read a report from the current offset of @fd, which stays open. */
static int read_report(struct pcr_report *rep, int fd)
{
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	FILE *f;
	int ret;

	if (dfd < 0)
		return -errno;
	f = fdopen(dfd, "r");
	if (!f) {
		ret = -errno;
		close(dfd);
		return ret;
	}
	ret = pcr_report_read(rep, f);
	fclose(f);
	return ret;
}

/*
 * Under lockdown: open the target as our standard input around opening
 * stdin or stdin-map. The report then covers the whole file.
 */
static int stdin_report(struct pcr_report *rep, const char *path, bool map)
{
	char file[PATH_MAX];
	int target, saved, fd, ret;

	target = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (target < 0)
		return -errno;
	saved = fcntl(0, F_DUPFD_CLOEXEC, 3);
	if (dup2(target, 0) < 0) {
		ret = -errno;
		close(target);
		if (saved >= 0)
			close(saved);
		return ret;
	}
	fd = open(pcr_debugfs_file(map ? "stdin-map" : "stdin", file,
				   sizeof(file)), O_RDONLY | O_CLOEXEC);
	ret = fd < 0 ? -errno : 0;
	if (saved >= 0) {
		dup2(saved, 0);
		close(saved);
	} else {
		close(0);
	}
	close(target);
	if (ret)
		return ret;
	ret = read_report(rep, fd);
	close(fd);
	return ret;
}

static char *absolute(const char *path)
{
	char *cwd, *abs;

	if (path[0] == '/')
		return strdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	if (asprintf(&abs, "%s/%s", cwd, path) < 0)
		abs = NULL;
	free(cwd);
	return abs;
}

/* "[map] [fast] [offset=N length=N] /ABS/PATH\n" */
static char *query_text(const char *path, const struct pcr_query_opts *o)
{
	char *abs = absolute(path), *q;
	int ret;

	if (!abs)
		return NULL;
	/*
	 * Always end with a newline: the module strips exactly one, so a
	 * path that itself ends in a newline keeps it.
	 */
	if (o->ranged)
		ret = asprintf(&q, "%s%soffset=%llu length=%llu %s\n",
			       o->map ? "map " : "", o->fast ? "fast " : "",
			       (unsigned long long)o->offset,
			       (unsigned long long)o->length, abs);
	else
		ret = asprintf(&q, "%s%s%s\n", o->map ? "map " : "",
			       o->fast ? "fast " : "", abs);
	free(abs);
	return ret < 0 ? NULL : q;
}

/*
 * A report without a page map (a few KiB) read whole into @q's buffer
 * with plain read(2)s and parsed there: per file one write and two reads
 * (the second finds the end), where a stdio stream over a dup of the fd
 * would add fcntl, fstat and close. Reports with a map can be long and
 * stream through read_report() instead.
 */
static int read_report_whole(struct pcr_query *q, struct pcr_report *rep)
{
	size_t len = 0;
	ssize_t n;
	char *nb;

	for (;;) {
		if (q->size - len < 4096) {
			nb = realloc(q->buf, q->size + 16384);
			if (!nb)
				return -ENOMEM;
			q->buf = nb;
			q->size += 16384;
		}
		n = read(q->fd, q->buf + len, q->size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			break;
		len += n;
	}
	return pcr_report_parse(rep, q->buf, len);
}

/*
 * One file's report. The query file is opened once per @q and written
 * again for each file: a write rewinds it, and 1,000 files cost 1,000
 * writes and reads, not 1,000 opens. -EOPNOTSUPP: under lockdown, which
 * knows whole files only, for a range.
 */
int pcr_module_report(struct pcr_query *q, struct pcr_report *rep,
		      const char *path, const struct pcr_query_opts *o)
{
	char file[PATH_MAX], *text;
	ssize_t n;

	if (q->fd == -1) {
		q->fd = open(pcr_debugfs_file("query", file, sizeof(file)),
			     O_RDWR | O_CLOEXEC);
		if (q->fd < 0 && errno != EPERM) {
			q->fd = -1;
			return -errno;
		}
		if (q->fd < 0)
			q->fd = -2;
	}
	if (q->fd == -2) {
		if (o->ranged)
			return -EOPNOTSUPP;
		return stdin_report(rep, path, o->map);
	}
	text = query_text(path, o);
	if (!text)
		return -ENOMEM;
	n = write(q->fd, text, strlen(text));
	free(text);
	if (n < 0)
		return -errno;
	return o->map ? read_report(rep, q->fd) : read_report_whole(q, rep);
}

void pcr_query_close(struct pcr_query *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
	free(q->buf);
	q->buf = NULL;
	q->size = 0;
}

/* The listing ------------------------------------------------------------ */

/* The files_options parameter, blanks and "(null)" counting as empty. */
static int read_param(char *buf, size_t size, bool *empty)
{
	char file[PATH_MAX];
	int ret;

	snprintf(file, sizeof(file), "%s/" PARAM_FILE, pcr_sysfs_root());
	ret = pcr_read_first_line(file, buf, size);
	*empty = !ret && (!strcmp(buf, "(null)") || !buf[strspn(buf, " \t")]);
	return ret;
}

/*
 * Kernel lockdown refuses files-query (it can be written). The read-only
 * "files" lists with the global files_options parameter; setting it would
 * change what every other user of "files" sees, so this never writes it.
 * When it is empty, "files" lists everything and the reader selects; when
 * someone has set it, the listing would silently be theirs: refuse.
 */
static int open_lockdown(void)
{
	char file[PATH_MAX], param[256];
	bool empty;
	int fd, ret;

	ret = read_param(param, sizeof(param), &empty);
	if (ret) {
		fprintf(stderr, "pcinspect: files-query refused (kernel lockdown?) and %s/%s: %s\n",
			pcr_sysfs_root(), PARAM_FILE, strerror(-ret));
		return ret;
	}
	if (!empty) {
		fprintf(stderr,
			"pcinspect: files-query refused (kernel lockdown?), and files lists with files_options \"%s\", set by someone else: not changing it under them. Clear it (echo > %s/%s) to list through files.\n",
			param, pcr_sysfs_root(), PARAM_FILE);
		return -EBUSY;
	}
	fprintf(stderr,
		"pcinspect: files-query refused (kernel lockdown?): listing everything through files (files_options is empty) and selecting in pcinspect\n");
	fd = open(pcr_debugfs_file("files", file, sizeof(file)),
		  O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		fprintf(stderr, "pcinspect: %s: %s\n", file, strerror(errno));
	}
	return fd < 0 ? ret : fd;
}

/*
 * Why a listing or a walk failed, said once: the parse error with its line
 * when there is one, else the read's (EINTR: a walk interrupted).
 */
static void say_failure(const struct pcr_parser *p, int ret, const char *name)
{
	if (!ret)
		return;
	if (ret != -ENOMEM && p->error)
		fprintf(stderr, "pcinspect: %s: %s\n", name, p->error);
	else
		fprintf(stderr, "pcinspect: %s: %s\n", name, strerror(-ret));
}

/* Read a listing from @fd (consumed); errors are said here. */
static int read_listing(struct pcr_listing *l, int fd, const char *name)
{
	FILE *f = fdopen(fd, "r");
	int ret;

	if (!f) {
		ret = -errno;
		close(fd);
		return ret;
	}
	/* 64 KiB reads: a sixteenth of the system calls of stdio's 4 KiB */
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	ret = pcr_listing_read(l, f, name);
	say_failure(&l->parse, ret, name);
	fclose(f);
	return ret;
}

/*
 * The system-wide listing with the module's options @opts (fs=, dev=,
 * min=, top=; "" for all), written once to this run's own files-query.
 * *reader_selects: the options were not applied (lockdown) and the reader
 * must select. Errors are said here.
 */
int pcr_module_listing(struct pcr_listing *l, const char *opts,
		       bool *reader_selects)
{
	char file[PATH_MAX], again[256];
	const char *name;
	bool lockdown = false, empty;
	int fd, ret;

	*reader_selects = false;
	name = pcr_debugfs_file("files-query", file, sizeof(file));
	fd = open(file, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == EPERM) {
		fd = open_lockdown();
		if (fd < 0)
			return fd;
		lockdown = true;
		*reader_selects = true;
		name = "files";
	} else if (fd < 0) {
		ret = -errno;
		fprintf(stderr, "pcinspect: %s: %s\n", name, strerror(errno));
		return ret;
	}
	/* one write: these options are this open file's only */
	if (!lockdown && *opts) {
		if (write(fd, opts, strlen(opts)) < 0) {
			ret = -errno;
			fprintf(stderr,
				"pcinspect: %s: the module refused \"%s\": %s\n",
				name, opts, strerror(errno));
			close(fd);
			return ret;
		}
		lseek(fd, 0, SEEK_SET);
	}
	ret = read_listing(l, fd, name);
	/* someone set files_options while we read: not our listing */
	if (!ret && lockdown &&
	    (read_param(again, sizeof(again), &empty) || !empty)) {
		fprintf(stderr, "pcinspect: files_options changed during the listing, try again\n");
		ret = -EAGAIN;
	}
	return ret;
}

/* A saved copy of the module's files output. */
int pcr_saved_listing(struct pcr_listing *l, const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0) {
		ret = -errno;
		fprintf(stderr, "pcinspect: %s: %s\n", file, strerror(errno));
		return ret;
	}
	return read_listing(l, fd, file);
}

/*
 * The whole listing (lru --files' names): files-query with no options,
 * files under lockdown, or a saved copy @from.
 */
int pcr_listing_all(struct pcr_listing *l, const char *from)
{
	bool reader_selects;

	if (from)
		return pcr_saved_listing(l, from);
	return pcr_module_listing(l, "", &reader_selects);
}

/* The lru walk ----------------------------------------------------------- */

/* One walk (one open of lru or lru-files), or a saved copy @from. */
int pcr_module_lru(struct pcr_lru *l, const char *from)
{
	char file[PATH_MAX];
	const char *name;
	FILE *f;
	int ret;

	name = from ? from : pcr_debugfs_file(l->files ? "lru-files" : "lru",
					      file, sizeof(file));
	f = fopen(name, "re");
	if (!f) {
		ret = -errno;
		if (!from && errno == ENOENT)
			fprintf(stderr,
				"pcinspect: %s: no such file: the loaded pcinspect module has no LRU walk (an older module?): load a matching pcinspect.ko\n",
				name);
		else
			fprintf(stderr, "pcinspect: %s: %s\n", name,
				strerror(errno));
		return ret;
	}
	ret = pcr_lru_read(l, f, name);
	say_failure(&l->parse, ret, name);
	fclose(f);
	return ret;
}
