// SPDX-License-Identifier: GPL-2.0
/*
 * Talking to the module: the version file first, then one report per file
 * through a private "query" file (so concurrent readers never see each
 * other's queries), or through the read-only "stdin"/"stdin-map" files when
 * kernel lockdown refuses to open a debugfs file with a write bit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcinspect.h"

/*
 * The module's directory: PCINSPECT_DEBUGFS overrides it (debugfs mounted
 * elsewhere, or a test's stand-in).
 */
static const char *dir_file(const char *name, char *buf, size_t size)
{
	const char *dir = getenv("PCINSPECT_DEBUGFS");

	snprintf(buf, size, "%s/%s", dir && *dir ? dir : PCI_DEBUGFS, name);
	return buf;
}

int pci_module_version(struct pci_version *ver, char *err, size_t errsize)
{
	char buf[4096], file[PATH_MAX];
	size_t len = 0;
	ssize_t n;
	int fd, ret;

	fd = open(dir_file("version", file, sizeof(file)), O_RDONLY | O_CLOEXEC);
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
	ret = pci_version_parse(ver, buf, err, errsize);
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

/* Read a report from an open debugfs file; consumes fd. */
static int read_report(struct pci_report *rep, int fd)
{
	FILE *f = fdopen(fd, "r");
	int ret;

	if (!f) {
		ret = -errno;
		close(fd);
		return ret;
	}
	ret = pci_report_read(rep, f);
	fclose(f);
	return ret;
}

/*
 * Under lockdown: open the target as our standard input around opening
 * stdin or stdin-map. The report then covers the whole file.
 */
static int stdin_report(struct pci_report *rep, const char *path, bool map)
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
	fd = open(dir_file(map ? "stdin-map" : "stdin", file, sizeof(file)),
		  O_RDONLY | O_CLOEXEC);
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
	return read_report(rep, fd);
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

int pci_module_report(struct pci_report *rep, const char *path, bool map,
		      uint64_t offset, uint64_t length, bool ranged)
{
	char *abs, *q = NULL, *opts = NULL, file[PATH_MAX];
	int fd, ret;

	fd = open(dir_file("query", file, sizeof(file)), O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == EPERM) {
		/* Lockdown: the read-only route knows no ranges. */
		if (ranged)
			return -EOPNOTSUPP;
		return stdin_report(rep, path, map);
	}
	if (fd < 0)
		return -errno;
	abs = absolute(path);
	/*
	 * Always end with a newline: the module strips exactly one, so a
	 * path that itself ends in a newline keeps it.
	 */
	if (abs && ranged &&
	    asprintf(&opts, "offset=%llu length=%llu ",
		     (unsigned long long)offset, (unsigned long long)length) < 0)
		opts = NULL;
	if (!abs || (ranged && !opts) ||
	    asprintf(&q, "%s%s%s\n", map ? "map " : "", opts ? opts : "",
		     abs) < 0) {
		free(opts);
		free(abs);
		close(fd);
		return -ENOMEM;
	}
	free(opts);
	free(abs);
	if (write(fd, q, strlen(q)) < 0) {
		ret = -errno;
		free(q);
		close(fd);
		return ret;
	}
	free(q);
	return read_report(rep, fd);
}
