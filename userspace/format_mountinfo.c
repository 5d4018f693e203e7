// SPDX-License-Identifier: GPL-2.0
/*
 * Full paths for the listing. The module names an inode by its filesystem
 * ("dev", major:minor) and its path inside that filesystem: it cannot know
 * where, or how often, the reader sees that filesystem mounted. The
 * reader's /proc/self/mountinfo says it (proc(5)):
 *
 *   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw
 *   (1)(2)(3)   (4)   (5)
 *
 * field 3 the filesystem's major:minor (st_dev), 4 the directory of that
 * filesystem the mount shows (a bind mount or a btrfs subvolume shows less
 * than "/"), 5 the mount point, and after " - " the filesystem type. Both
 * paths are escaped like the module's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format_listing.h"

void pcr_mounts_free(struct pcr_mounts *ms)
{
	size_t i;

	for (i = 0; i < ms->n; i++) {
		free(ms->m[i].root);
		free(ms->m[i].mnt);
	}
	free(ms->m);
	memset(ms, 0, sizeof(*ms));
}

/* One mountinfo line; -EINVAL when it does not have fields 1 to 5. */
static int mount_line(struct pcr_mount *m, const char *line)
{
	const char *f[5];
	size_t fl[5], n;
	const char *p = line;

	for (n = 0; n < 5; n++) {
		f[n] = p;
		fl[n] = strcspn(p, " ");
		if (!fl[n])
			return -EINVAL;
		p += fl[n];
		if (*p != ' ')
			return -EINVAL;	/* field 6 and more must follow */
		p++;
	}
	if (pcr_parse_dev(f[2], fl[2], &m->major, &m->minor) ||
	    f[3][0] != '/' || f[4][0] != '/')
		return -EINVAL;
	p = strstr(p, " - ");
	if (p)
		snprintf(m->fstype, sizeof(m->fstype), "%.*s",
			 (int)strcspn(p + 3, " "), p + 3);
	else
		m->fstype[0] = '\0';
	m->root = pcr_unescape(f[3], fl[3]);
	m->mnt = pcr_unescape(f[4], fl[4]);
	if (!m->root || !m->mnt) {
		free(m->root);
		free(m->mnt);
		return -ENOMEM;
	}
	return 0;
}

/* Malformed lines are counted and skipped: a path is then less resolved. */
int pcr_mounts_parse(struct pcr_mounts *ms, FILE *f)
{
	char *line = NULL;
	size_t size = 0, alloc = 0;
	ssize_t len;
	struct pcr_mount m, *nm;
	int ret = 0;

	memset(ms, 0, sizeof(*ms));
	while ((len = getline(&line, &size, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		ret = mount_line(&m, line);
		if (ret == -EINVAL) {
			ms->bad_lines++;
			ret = 0;
			continue;
		}
		if (ret)
			break;
		if (ms->n == alloc) {
			alloc = alloc ? 2 * alloc : 64;
			nm = realloc(ms->m, alloc * sizeof(*nm));
			if (!nm) {
				free(m.root);
				free(m.mnt);
				ret = -ENOMEM;
				break;
			}
			ms->m = nm;
		}
		ms->m[ms->n++] = m;
	}
	free(line);
	if (ret)
		pcr_mounts_free(ms);
	return ret;
}

/* Length of @root if it is @path or a directory above it, else 0. */
static size_t root_prefix(const char *root, const char *path)
{
	size_t rl = strlen(root);

	if (rl == 1)
		return 1;	/* "/" holds every path */
	if (strncmp(root, path, rl) || (path[rl] && path[rl] != '/'))
		return 0;
	return rl;
}

/*
 * The full path of @fspath on the filesystem @major:@minor: through the
 * mount whose root is the longest prefix of it (the mount that shows the
 * most specific part of the filesystem; the first such one when several
 * show the same root). 0 and *full set, -ENOENT when no mount shows it.
 */
int pcr_mounts_resolve(const struct pcr_mounts *ms, unsigned int major,
		       unsigned int minor, const char *fspath, char **full)
{
	const struct pcr_mount *best = NULL;
	size_t i, rl, best_rl = 0;
	const char *rest;

	*full = NULL;
	for (i = 0; i < ms->n; i++) {
		if (ms->m[i].major != major || ms->m[i].minor != minor)
			continue;
		rl = root_prefix(ms->m[i].root, fspath);
		if (rl > best_rl) {
			best = &ms->m[i];
			best_rl = rl;
		}
	}
	if (!best)
		return -ENOENT;
	rest = best_rl == 1 ? fspath : fspath + best_rl;	/* "" or "/..." */
	if (!strcmp(best->mnt, "/"))
		*full = strdup(*rest ? rest : "/");
	else if (!strcmp(rest, "/"))
		*full = strdup(best->mnt);
	else if (asprintf(full, "%s%s", best->mnt, rest) < 0)
		*full = NULL;
	return *full ? 0 : -ENOMEM;
}

/* "DEVNAME=vda" in a /sys/dev/block/MAJ:MIN/uevent text -> "/dev/vda". */
char *pcr_uevent_devname(const char *text)
{
	const char *p = text, *end;
	char *name;

	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (strncmp(p, "DEVNAME=", 8) || end == p + 8)
			continue;
		if (asprintf(&name, "/dev/%.*s", (int)(end - p - 8), p + 8) < 0)
			return NULL;
		return name;
	}
	return NULL;
}
