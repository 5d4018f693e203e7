// SPDX-License-Identifier: GPL-2.0
/*
 * --snapshot FILE saves, and --diff FILE reads back, one line per file:
 *
 *   # pcinspect snapshot 1
 *   CACHED DIRTY WRITEBACK EVICTED PATH
 *
 * counts in bytes ("-" when the source did not know them), the path as it
 * was given on the command line, escaped like the module's paths.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pcinspect.h"

static const char snap_magic[] = "# pcinspect snapshot 1";

int pci_snapshot_save(const char *file, const struct pci_row *rows, size_t n)
{
	char *tmp, *esc;
	size_t i;
	int f, ret = 0;
	FILE *out;

	/* write a new file and rename it: --diff of the same file still works */
	if (asprintf(&tmp, "%s.XXXXXX", file) < 0)
		return -ENOMEM;
	f = mkstemp(tmp);
	if (f < 0) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	out = fdopen(f, "w");
	if (!out) {
		ret = -errno;
		close(f);
		goto out_unlink;
	}
	fprintf(out, "%s\n", snap_magic);
	for (i = 0; i < n; i++) {
		int k;

		if (rows[i].err)
			continue;
		for (k = 0; k < PCI_SNAP_FIELDS; k++) {
			int64_t v = pci_snap_value(&rows[i].rep, k);

			if (v < 0)
				fputs("- ", out);
			else
				fprintf(out, "%lld ", (long long)v);
		}
		esc = pci_escape(rows[i].arg);
		if (!esc) {
			ret = -ENOMEM;
			break;
		}
		fprintf(out, "%s\n", esc);
		free(esc);
	}
	if (fclose(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, file))
		ret = -errno;
out_unlink:
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

void pci_snapshot_free(struct pci_snap *snaps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(snaps[i].path);
	free(snaps);
}

/*
 * What --snapshot would save of @rows, kept in memory: under --watch,
 * --diff measures each refresh from the one before it.
 */
int pci_snapshot_take(const struct pci_row *rows, size_t n,
		      struct pci_snap **snaps, size_t *nsnaps)
{
	struct pci_snap *arr = calloc(n ? n : 1, sizeof(*arr));
	size_t i, cnt = 0;
	int k;

	if (!arr)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (rows[i].err)
			continue;
		arr[cnt].path = strdup(rows[i].arg);
		if (!arr[cnt].path) {
			pci_snapshot_free(arr, cnt);
			return -ENOMEM;
		}
		for (k = 0; k < PCI_SNAP_FIELDS; k++)
			arr[cnt].v[k] = pci_snap_value(&rows[i].rep, k);
		cnt++;
	}
	*snaps = arr;
	*nsnaps = cnt;
	return 0;
}

static int snap_line(struct pci_snap *s, char *line)
{
	char *p = line, *sp;
	uint64_t v;
	int k;

	for (k = 0; k < PCI_SNAP_FIELDS; k++) {
		sp = strchr(p, ' ');
		if (!sp)
			return -EINVAL;
		if (sp - p == 1 && *p == '-')
			v = -1;	/* the source did not know it */
		else if (pci_parse_u64(p, sp - p, &v) || v > INT64_MAX)
			return -EINVAL;
		s->v[k] = (int64_t)v;
		p = sp + 1;
	}
	if (!*p)
		return -EINVAL;
	s->path = pci_unescape(p, strlen(p));
	return s->path ? 0 : -ENOMEM;
}

int pci_snapshot_load(const char *file, struct pci_snap **snaps, size_t *n,
		      char *err, size_t errsize)
{
	struct pci_snap *arr = NULL, *na;
	char *line = NULL;
	size_t size = 0, cnt = 0;
	unsigned int lineno = 0;
	ssize_t len;
	FILE *in = fopen(file, "r");
	int ret = 0;

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
			if (strcmp(line, snap_magic)) {
				snprintf(err, errsize, "not a pcinspect snapshot");
				ret = -EINVAL;
				break;
			}
			continue;
		}
		na = realloc(arr, (cnt + 1) * sizeof(*arr));
		if (!na) {
			ret = -ENOMEM;
			break;
		}
		arr = na;
		memset(&arr[cnt], 0, sizeof(arr[cnt]));
		ret = snap_line(&arr[cnt], line);
		if (ret) {
			snprintf(err, errsize, "line %u: malformed", lineno);
			break;
		}
		cnt++;
	}
	if (!ret && !lineno) {
		snprintf(err, errsize, "empty snapshot");
		ret = -EINVAL;
	}
	free(line);
	fclose(in);
	if (ret) {
		pci_snapshot_free(arr, cnt);
		return ret;
	}
	*snaps = arr;
	*n = cnt;
	return 0;
}

const struct pci_snap *pci_snapshot_find(const struct pci_ctl *ctl,
					 const char *path)
{
	size_t i;

	for (i = 0; i < ctl->nold; i++)
		if (!strcmp(ctl->old[i].path, path))
			return &ctl->old[i];
	return NULL;
}
