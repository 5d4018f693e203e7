// SPDX-License-Identifier: GPL-2.0
/*
 * --snapshot FILE saves, and --diff FILE reads back, one line per file:
 *
 *   # pcinspect snapshot 2
 *   DEV INO CACHED DIRTY WRITEBACK EVICTED PATH
 *
 * counts in bytes ("-" when the source did not know them), DEV and INO as
 * stat(2) gives them ("- 0" when not known), PATH the file's path,
 * escaped like the module's paths. A file is found again by DEV and INO,
 * so "./f", "f" and a symlink to it are one file, and a new file under an
 * old name is not taken for the old one. Snapshots of format 1 (no DEV
 * and INO) still read, matched by path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_snapshot.h"

static const char magic1[] = "# pcinspect snapshot 1";
static const char magic2[] = "# pcinspect snapshot 2";

int64_t pcr_snap_value(const struct pcr_report *rep, int field)
{
	static const unsigned int need[PCR_SNAP_FIELDS] = {
		PCR_HAVE_CACHED, PCR_HAVE_DIRTY, PCR_HAVE_WRITEBACK,
		PCR_HAVE_EVICTED,
	};
	const uint64_t pages[PCR_SNAP_FIELDS] = {
		rep->cached, rep->dirty, rep->writeback, rep->evicted,
	};

	if (!(rep->have & need[field]))
		return -1;
	return (int64_t)(pages[field] * rep->page_size);
}

int pcr_snaps_add(struct pcr_snaps *ss, const struct pcr_report *rep)
{
	struct pcr_snap *s;
	int k;

	if (pcr_grow((void **)&ss->s, &ss->alloc, ss->n, sizeof(*ss->s)))
		return -ENOMEM;
	s = &ss->s[ss->n];
	memset(s, 0, sizeof(*s));
	s->path = strdup(rep->path ? rep->path : "");
	if (!s->path)
		return -ENOMEM;
	if (rep->have & PCR_HAVE_IDENT) {
		snprintf(s->dev, sizeof(s->dev), "%s", rep->dev);
		s->ino = rep->ino;
	}
	for (k = 0; k < PCR_SNAP_FIELDS; k++)
		s->v[k] = pcr_snap_value(rep, k);
	ss->n++;
	return 0;
}

void pcr_snaps_free(struct pcr_snaps *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		free(ss->s[i].path);
	free(ss->s);
	memset(ss, 0, sizeof(*ss));
}

static int put_snaps(FILE *out, const void *arg)
{
	const struct pcr_snaps *ss = arg;
	size_t i;
	char *esc;
	int k;

	fprintf(out, "%s\n", magic2);
	for (i = 0; i < ss->n; i++) {
		const struct pcr_snap *s = &ss->s[i];

		fprintf(out, "%s %llu ", s->dev[0] ? s->dev : "-",
			(unsigned long long)s->ino);
		for (k = 0; k < PCR_SNAP_FIELDS; k++) {
			if (s->v[k] < 0)
				fputs("- ", out);
			else
				fprintf(out, "%lld ", (long long)s->v[k]);
		}
		esc = pcr_escape(s->path);
		if (!esc)
			return -ENOMEM;
		fprintf(out, "%s\n", esc);
		free(esc);
	}
	return 0;
}

int pcr_snaps_save(const char *file, const struct pcr_snaps *ss)
{
	return pcr_write_replace(file, put_snaps, ss);
}

/* One line: "[DEV INO ]CACHED DIRTY WRITEBACK EVICTED PATH". */
static int snap_line(struct pcr_snap *s, const char *line, bool ident)
{
	const char *p = line, *sp;
	size_t nfields = ident ? 2 + PCR_SNAP_FIELDS : PCR_SNAP_FIELDS, i;
	uint64_t v;

	for (i = 0; i < nfields; i++) {
		sp = strchr(p, ' ');
		if (!sp)
			return -EINVAL;
		if (ident && i == 0) {
			if (sp - p >= (ptrdiff_t)sizeof(s->dev))
				return -EINVAL;
			if (!(sp - p == 1 && *p == '-'))
				memcpy(s->dev, p, sp - p);
		} else if (ident && i == 1) {
			if (pcr_parse_u64(p, sp - p, &s->ino))
				return -EINVAL;
		} else if (sp - p == 1 && *p == '-') {
			s->v[i - (ident ? 2 : 0)] = -1;
		} else {
			if (pcr_parse_u64(p, sp - p, &v) || v > INT64_MAX)
				return -EINVAL;
			s->v[i - (ident ? 2 : 0)] = (int64_t)v;
		}
		p = sp + 1;
	}
	if (!*p)
		return -EINVAL;
	s->path = pcr_unescape(p, strlen(p));
	return s->path ? 0 : -ENOMEM;
}

int pcr_snaps_load(const char *file, struct pcr_snaps *ss, char *err,
		   size_t errsize)
{
	char *line = NULL;
	size_t size = 0;
	unsigned int lineno = 0;
	bool ident = false;
	ssize_t len;
	FILE *in = fopen(file, "re");
	int ret = 0;

	memset(ss, 0, sizeof(*ss));
	if (!in) {
		ret = -errno;
		snprintf(err, errsize, "%s", strerror(errno));
		return ret;
	}
	while ((len = getline(&line, &size, in)) > 0) {
		lineno++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1) {
			ident = !strcmp(line, magic2);
			if (!ident && strcmp(line, magic1)) {
				snprintf(err, errsize, "not a pcinspect snapshot");
				ret = -EINVAL;
				break;
			}
			continue;
		}
		if (pcr_grow((void **)&ss->s, &ss->alloc, ss->n,
			     sizeof(*ss->s))) {
			ret = -ENOMEM;
			break;
		}
		memset(&ss->s[ss->n], 0, sizeof(ss->s[ss->n]));
		ret = snap_line(&ss->s[ss->n], line, ident);
		if (ret) {
			free(ss->s[ss->n].path);
			snprintf(err, errsize, "line %u: malformed", lineno);
			break;
		}
		ss->n++;
	}
	if (!ret && !lineno) {
		snprintf(err, errsize, "empty snapshot");
		ret = -EINVAL;
	}
	free(line);
	fclose(in);
	if (ret)
		pcr_snaps_free(ss);
	return ret;
}

/* The snapshot of @rep's file: by dev and inode, by path when unknown. */
const struct pcr_snap *pcr_snaps_find(const struct pcr_snaps *ss,
				      const struct pcr_report *rep)
{
	bool ident = rep->have & PCR_HAVE_IDENT;
	size_t i;

	for (i = 0; i < ss->n; i++) {
		const struct pcr_snap *s = &ss->s[i];

		if (ident && s->dev[0]) {
			if (s->ino == rep->ino && !strcmp(s->dev, rep->dev))
				return s;
		} else if (rep->path && !strcmp(s->path, rep->path)) {
			return s;
		}
	}
	return NULL;
}
