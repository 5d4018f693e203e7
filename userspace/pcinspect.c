// SPDX-License-Identifier: GPL-2.0
/*
 * pcinspect: show what the page cache holds, from the pcinspect module's
 * debugfs files (Documentation/ABI.md), or without the module from
 * cachestat(2) or mincore(2). main() only picks the command: each one
 * parses its own options (cmd_*.c), so a new one is one line below.
 *
 * Exit status: 0 ok, 1 when something failed, 2 for a bad command line.
 */
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "reader.h"
#include "table.h"

/* "top" is "files" with --top 20 by default. */
static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *what;
} commands[] = {
	{ "file", pcr_cmd_file, "what the page cache holds of files" },
	{ "files", pcr_cmd_files, "every cached file of the system" },
	{ "top", pcr_cmd_files, "the 20 files with most cache" },
	{ "lru", pcr_cmd_lru, "the LRU lists walked: per zone, memcg, generation, file" },
	{ "pid", pcr_cmd_pid, "the cache of the files processes have open or mapped" },
};

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage:\n"
	      " pcinspect COMMAND [options] [ARGS]\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, " %-8s %s\n", commands[i].name, commands[i].what);
	fputs("\n"
	      "pcinspect COMMAND --help: its options; pcinspect COMMAND -H: its columns.\n"
	      " pcinspect -h|--help | -V|--version\n"
	      "\nSee pcinspect(8).\n", out);
}

static void bad(const char *fmt, const char *arg)
{
	fputs("pcinspect: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'pcinspect --help' for more information.\n", stderr);
	exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
	size_t i;

	atexit(pcr_close_stdout);

	if (argc < 2)
		bad("%s",
		    "no command (try: pcinspect file PATH..., pcinspect files, pcinspect lru)");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("pcinspect %s (module format %d)\n", PCR_VERSION,
		       PCR_FORMAT);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	if (argv[1][0] == '-')
		bad("%s: the command comes first (pcinspect file|files|top|lru|pid [options])",
		    argv[1]);
	bad("unknown command: %s (commands: file, files, top, lru, pid)", argv[1]);
	return EXIT_USAGE;
}
