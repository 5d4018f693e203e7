/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every command's command line shares: the output options (-o,
 * --output-all, -J, -r, -P, -b, -n), --watch/--count and the refresh
 * loop, usage errors (exit 2) and number arguments. Each command adds
 * its own options to the shared ones (pcr_cli_longopts()) and hands each
 * option to pcr_cli_opt() first.
 */
#ifndef PCR_CLI_H
#define PCR_CLI_H

#include <getopt.h>

#include "table.h"

struct pcr_cli {
	const char *cmd;	/* "file", "files", "top", "lru", "pid" */
	struct pcr_out out;
	double watch;		/* seconds; 0: once */
	unsigned long count;	/* refreshes; 0: no limit */
};

enum {
	PCR_OPT_OUTPUT_ALL = 0x200,
	PCR_OPT_WATCH,
	PCR_OPT_COUNT,
	PCR_OPT_FIRST_OWN,	/* a command's own options start here */
};

#define PCR_CLI_SHORTOPTS	"o:JrPbnhH"
/* The help text of the shared options, for each command's --help. */
#define PCR_CLI_HELP \
	" -o, --output LIST       columns to show (+LIST adds to the defaults)\n" \
	"     --output-all        every column\n" \
	" -J, --json              JSON output\n" \
	" -r, --raw               raw output\n" \
	" -P, --pairs             NAME=\"value\" pairs\n" \
	" -b, --bytes             sizes in bytes, not human-readable\n" \
	" -n, --noheadings        no headings\n" \
	"     --watch SECONDS     again every SECONDS\n" \
	"     --count N           stop after N refreshes (with --watch)\n" \
	" -H, --list-columns      the columns and what they mean\n" \
	" -h, --help              this help\n"

struct option *pcr_cli_longopts(const struct option *own);
bool pcr_cli_opt(struct pcr_cli *c, int opt, const char *arg);
void pcr_cli_check(const struct pcr_cli *c);
__attribute__((format(printf, 2, 3), noreturn))
void pcr_usage_error(const char *cmd, const char *fmt, ...);
uint64_t pcr_number_arg(const char *cmd, const char *opt, const char *arg);
const char *pcr_bad_option(char **argv);
int pcr_watch_loop(struct pcr_cli *c, int (*once)(void *ctx), void *ctx);

#endif /* PCR_CLI_H */
