/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "pcinspect file" --snapshot and --diff: per file, the byte counts a
 * later run compares with, keyed by the file itself (dev and inode), not
 * by the name it was given.
 */
#ifndef PCR_FILE_SNAPSHOT_H
#define PCR_FILE_SNAPSHOT_H

#include "format_report.h"

/* The counts a snapshot keeps, in bytes: -1 when the source did not know. */
enum {
	PCR_SNAP_CACHED,
	PCR_SNAP_DIRTY,
	PCR_SNAP_WRITEBACK,
	PCR_SNAP_EVICTED,
	PCR_SNAP_FIELDS
};

struct pcr_snap {
	char dev[24];		/* "" when not known */
	uint64_t ino;
	char *path;
	int64_t v[PCR_SNAP_FIELDS];
};

struct pcr_snaps {
	struct pcr_snap *s;
	size_t n, alloc;
};

int64_t pcr_snap_value(const struct pcr_report *rep, int field);
int pcr_snaps_add(struct pcr_snaps *ss, const struct pcr_report *rep);
void pcr_snaps_free(struct pcr_snaps *ss);
int pcr_snaps_save(const char *file, const struct pcr_snaps *ss);
int pcr_snaps_load(const char *file, struct pcr_snaps *ss, char *err,
		   size_t errsize);
const struct pcr_snap *pcr_snaps_find(const struct pcr_snaps *ss,
				      const struct pcr_report *rep);

#endif /* PCR_FILE_SNAPSHOT_H */
