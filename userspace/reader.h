/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcinspect reader: what every layer shares. The prefix pcr_ ("pcinspect
 * reader") marks the reader's own names. The layers, bottom up:
 *
 *   source_*.c   the only code that touches debugfs, sysfs and /proc
 *   records.c    the line and record parser core; format_*.c on top
 *   table.c      columns, -o, help, tables and JSON (libsmartcols)
 *   cli.c        the options and the --watch loop every command shares
 *   cmd_*.c      one file per command; pcinspect.c picks the command
 */
#ifndef PCR_READER_H
#define PCR_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCR_VERSION	"0.1.0"	/* dkms.conf PACKAGE_VERSION: one version */
/*
 * The module formats this reader understands: 4 (the newest, what the
 * module of this release speaks), 3 and 2, so listings and snapshots saved
 * from older modules still read. 3 changed only the option grammar, which
 * this reader's queries meet in both; 4 added the listing's size column.
 */
#define PCR_FORMAT		4
#define PCR_FORMAT_OLDEST	2
#define PCR_FORMATS_STR		"formats 2 to 4"

static inline bool pcr_format_known(unsigned long long v)
{
	return v >= PCR_FORMAT_OLDEST && v <= PCR_FORMAT;
}

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit status: 0 ok, 1 when something failed, 2 for a bad command line. */
#define EXIT_USAGE	2

#endif /* PCR_READER_H */
