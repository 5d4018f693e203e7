// SPDX-License-Identifier: GPL-2.0
/*
 * The command-line pieces every command shares (cli.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "records.h"

void pcr_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("pcinspect: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'pcinspect %s%s--help' for more information.\n",
		cmd ? cmd : "", cmd ? " " : "");
	exit(EXIT_USAGE);
}

/* A decimal number argument; anything else is a usage error. */
uint64_t pcr_number_arg(const char *cmd, const char *opt, const char *arg)
{
	uint64_t v;

	if (pcr_parse_u64(arg, strlen(arg), &v))
		pcr_usage_error(cmd, "bad %s: %s", opt, arg);
	return v;
}

/* The option getopt_long() refused, as the user wrote it. */
const char *pcr_bad_option(char **argv)
{
	return argv[optind - 1];
}

static const struct option shared[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, PCR_OPT_OUTPUT_ALL },
	{ "json", no_argument, NULL, 'J' },
	{ "raw", no_argument, NULL, 'r' },
	{ "pairs", no_argument, NULL, 'P' },
	{ "bytes", no_argument, NULL, 'b' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "watch", required_argument, NULL, PCR_OPT_WATCH },
	{ "count", required_argument, NULL, PCR_OPT_COUNT },
};

/* The shared long options and the command's @own (NULL-terminated). */
struct option *pcr_cli_longopts(const struct option *own)
{
	size_t n = 0;
	struct option *all;

	while (own[n].name)
		n++;
	all = calloc(ARRAY_SIZE(shared) + n + 1, sizeof(*all));
	if (!all) {
		fprintf(stderr, "pcinspect: out of memory\n");
		exit(EXIT_FAILURE);
	}
	memcpy(all, shared, sizeof(shared));
	memcpy(all + ARRAY_SIZE(shared), own, n * sizeof(*own));
	return all;
}

/* true when @opt is one of the shared options (and is now applied). */
bool pcr_cli_opt(struct pcr_cli *c, int opt, const char *arg)
{
	char *end;

	switch (opt) {
	case 'o':
		c->out.list = arg;
		return true;
	case PCR_OPT_OUTPUT_ALL:
		c->out.all = true;
		return true;
	case 'J':
		c->out.json = true;
		return true;
	case 'r':
		c->out.raw = true;
		return true;
	case 'P':
		c->out.pairs = true;
		return true;
	case 'b':
		c->out.bytes = true;
		return true;
	case 'n':
		c->out.noheadings = true;
		return true;
	case PCR_OPT_WATCH:
		errno = 0;
		c->watch = strtod(arg, &end);
		if (errno || *end || end == arg || !(c->watch > 0) ||
		    c->watch > 86400)
			pcr_usage_error(c->cmd, "bad --watch: %s (seconds)", arg);
		return true;
	case PCR_OPT_COUNT:
		c->count = pcr_number_arg(c->cmd, "--count", arg);
		if (!c->count)
			pcr_usage_error(c->cmd, "bad --count: %s", arg);
		return true;
	}
	return false;
}

/* Options that do not go together; exits 2. */
void pcr_cli_check(const struct pcr_cli *c)
{
	const struct pcr_out *o = &c->out;

	if (c->count && !c->watch)
		pcr_usage_error(c->cmd, "--count needs --watch");
	/* lsblk -J -r prints rows without the JSON around them: refused */
	if (o->json && o->raw)
		pcr_usage_error(c->cmd,
				"-J and -r do not go together: JSON has no raw form");
	if (o->pairs && (o->json || o->raw))
		pcr_usage_error(c->cmd, "-P goes with neither -J nor -r");
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * Run @once, and under --watch again every c->watch seconds, each time
 * stamped with its time (c->out.stamp); a terminal is cleared before each
 * refresh, anything else gets refreshes one after another. Output that
 * failed stops the loop. Returns the or'ed exit status.
 */
int pcr_watch_loop(struct pcr_cli *c, int (*once)(void *ctx), void *ctx)
{
	bool tty = isatty(STDOUT_FILENO) && !c->out.json;
	unsigned long iter = 0;
	char stamp[32];
	int status = 0;

	for (;;) {
		if (c->watch && tty)
			fputs("\033[H\033[2J", stdout);
		if (c->watch) {
			pcr_watch_stamp(stamp, sizeof(stamp));
			c->out.stamp = stamp;
		}
		status |= once(ctx);
		fflush(stdout);
		if (pcr_stdout_check()) {
			status = 1;
			break;
		}
		if (!c->watch || (c->count && ++iter >= c->count))
			break;
		sleep_seconds(c->watch);
		if (!tty)
			putchar('\n');
	}
	c->out.stamp = NULL;
	return status;
}
