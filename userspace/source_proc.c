// SPDX-License-Identifier: GPL-2.0
/*
 * What procfs and sysfs say: this namespace's mounts (for full paths and
 * filesystem types), block device names, and the files a process has
 * open (/proc/PID/fd) or mapped (/proc/PID/maps).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "source.h"

/* @file, or this process's mountinfo when NULL. */
int pcr_load_mounts(struct pcr_mounts *ms, const char *file)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	memset(ms, 0, sizeof(*ms));
	if (!file) {
		snprintf(path, sizeof(path), "%s/self/mountinfo",
			 pcr_proc_root());
		file = path;
	}
	f = fopen(file, "re");
	if (!f)
		return -errno;
	ret = pcr_mounts_parse(ms, f);
	fclose(f);
	return ret;
}

/* /dev/NAME of a block device from sysfs, or NULL. */
char *pcr_sysfs_bdev_name(unsigned int major, unsigned int minor)
{
	char file[PATH_MAX], buf[1024];
	ssize_t len;
	int fd;

	snprintf(file, sizeof(file), "%s/dev/block/%u:%u/uevent",
		 pcr_sysfs_root(), major, minor);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return NULL;
	buf[len] = '\0';
	return pcr_uevent_devname(buf);
}

/*
 * The type of the filesystem mounted from @major:@minor here, or NULL.
 * mountinfo is read once per run: a run asks for many files.
 */
const char *pcr_fs_type_of(unsigned int major, unsigned int minor)
{
	static struct pcr_mounts ms;
	static bool loaded;
	size_t i;

	if (!loaded) {
		loaded = true;
		if (pcr_load_mounts(&ms, NULL))
			return NULL;
	}
	for (i = 0; i < ms.n; i++)
		if (ms.m[i].major == major && ms.m[i].minor == minor &&
		    ms.m[i].fstype[0])
			return ms.m[i].fstype;
	return NULL;
}

/* Processes -------------------------------------------------------------- */

void pcr_proc_files_free(struct pcr_proc_files *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		free(pf->f[i].path);
		free(pf->f[i].open_path);
	}
	free(pf->f);
	memset(pf, 0, sizeof(*pf));
}

/*
 * Add a file once: by (dev, ino) of what @open_path opens, so a file
 * both open and mapped, or open twice, is one entry.
 */
static int add_file(struct pcr_proc_files *pf, const char *path,
		    const char *open_path, bool fd)
{
	struct pcr_proc_file *f;
	struct stat st;
	size_t i;

	if (stat(open_path, &st) || (!S_ISREG(st.st_mode) &&
				     !S_ISBLK(st.st_mode)))
		return 0;	/* gone, or nothing with a page cache */
	for (i = 0; i < pf->n; i++) {
		f = &pf->f[i];
		if (f->major == major(st.st_dev) &&
		    f->minor == minor(st.st_dev) && f->ino == st.st_ino) {
			f->fd |= fd;
			f->mapped |= !fd;
			return 0;
		}
	}
	if (pcr_grow((void **)&pf->f, &pf->alloc, pf->n, sizeof(*pf->f)))
		return -ENOMEM;
	f = &pf->f[pf->n];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->open_path = strdup(open_path);
	if (!f->path || !f->open_path) {
		free(f->path);
		free(f->open_path);
		return -ENOMEM;
	}
	f->major = major(st.st_dev);
	f->minor = minor(st.st_dev);
	f->ino = st.st_ino;
	f->fd = fd;
	f->mapped = !fd;
	pf->n++;
	return 0;
}

/* The open files: each /proc/PID/fd/N opens its file, deleted or not. */
static int fd_files(int pid, struct pcr_proc_files *pf)
{
	char dir[PATH_MAX], link[PATH_MAX + 320], target[PATH_MAX];
	struct dirent *de;
	DIR *d;
	ssize_t n;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/%d/fd", pcr_proc_root(), pid);
	d = opendir(dir);
	if (!d)
		return -errno;
	while (!ret && (de = readdir(d))) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0 || target[0] != '/')
			continue;	/* pipes, sockets, anon inodes */
		target[n] = '\0';
		ret = add_file(pf, target, link, true);
	}
	closedir(d);
	return ret;
}

/*
 * The mapped files: "START-END PERMS OFFSET MAJ:MIN INODE PATH" lines of
 * /proc/PID/maps with an inode. A deleted file is opened through
 * /proc/PID/map_files (root only); without it, it is left out.
 */
static int mapped_files(int pid, struct pcr_proc_files *pf)
{
	char file[PATH_MAX], open_path[PATH_MAX + 64], *line = NULL;
	static const char del[] = " (deleted)";
	size_t size = 0, len;
	unsigned long long ino;
	ssize_t n;
	int ret = 0, pos;
	FILE *f;

	snprintf(file, sizeof(file), "%s/%d/maps", pcr_proc_root(), pid);
	f = fopen(file, "re");
	if (!f)
		return -errno;
	while (!ret && (n = getline(&line, &size, f)) > 0) {
		char range[64];

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (sscanf(line, "%63s %*s %*s %*s %llu %n", range, &ino,
			   &pos) < 2 || !ino || line[pos] != '/')
			continue;
		len = strlen(line + pos);
		if (len > sizeof(del) - 1 &&
		    !strcmp(line + pos + len - (sizeof(del) - 1), del))
			snprintf(open_path, sizeof(open_path),
				 "%s/%d/map_files/%s", pcr_proc_root(), pid,
				 range);
		else
			snprintf(open_path, sizeof(open_path), "%s",
				 line + pos);
		ret = add_file(pf, line + pos, open_path, false);
	}
	free(line);
	fclose(f);
	return ret;
}

/* The files process @pid has open or mapped; -ENOENT: no such process. */
int pcr_proc_files(int pid, struct pcr_proc_files *pf)
{
	int ret;

	memset(pf, 0, sizeof(*pf));
	ret = fd_files(pid, pf);
	if (ret == -ENOENT)
		return ret;
	/* another user's fds need privileges; its maps may still be read */
	if (!ret || ret == -EACCES || ret == -EPERM) {
		int mret = mapped_files(pid, pf);

		if (ret && mret)
			return ret;
		ret = mret == -ENOMEM ? mret : 0;
	}
	return ret;
}

/* The first line of a small file (a sysfs parameter, a comm). */
int pcr_read_first_line(const char *file, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int pcr_proc_comm(int pid, char *buf, size_t size)
{
	char file[PATH_MAX];

	snprintf(file, sizeof(file), "%s/%d/comm", pcr_proc_root(), pid);
	return pcr_read_first_line(file, buf, size);
}

/* Every process of this pid namespace. */
int pcr_proc_pids(int **pids, size_t *n)
{
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(pcr_proc_root());
	char *end;
	long v;

	*pids = NULL;
	*n = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		v = strtol(de->d_name, &end, 10);
		if (*end || v <= 0 || v > INT32_MAX)
			continue;
		if (pcr_grow((void **)pids, &alloc, *n, sizeof(**pids))) {
			closedir(d);
			return -ENOMEM;
		}
		(*pids)[(*n)++] = (int)v;
	}
	closedir(d);
	return 0;
}
