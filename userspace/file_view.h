/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What "pcinspect file" shows of one file besides its counts: the page
 * map (--map: one table of runs per file) and the residency bar (the BAR
 * column, one line per file like vmtouch -v), both from the runs of the
 * module's map or of mincore.
 */
#ifndef PCR_FILE_VIEW_H
#define PCR_FILE_VIEW_H

#include "format_report.h"
#include "table.h"

/* A file named, or found by -R, and what was learned about it. */
struct pcr_frow {
	const char *arg;	/* as given, or found */
	struct pcr_report rep;
	int err;		/* -errno, 0 when rep is valid */
};

#define PCR_BAR_WIDTH	40

char *pcr_path_cell(const struct pcr_out *o, const struct pcr_report *rep,
		    const char *arg);
char *pcr_bar(const struct pcr_report *rep);

/* The list columns of a report. */
enum { PCR_LIST_NODES, PCR_LIST_ORDERS, PCR_LIST_MEMCGS, PCR_LIST_MGLRU };

char *pcr_list_cell(const struct pcr_out *o, const struct pcr_report *rep,
		    int which);
int pcr_print_maps(const struct pcr_out *o, struct pcr_frow *rows,
		   size_t n);

#endif /* PCR_FILE_VIEW_H */
