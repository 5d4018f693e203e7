/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host unit tests' TAP: check() prints one "ok N - ..." or
 * "not ok N - ..." line; tap_done() the plan and the counts, and gives
 * the exit status.
 */
#ifndef PCR_TESTS_TAP_H
#define PCR_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tests, failures;

__attribute__((format(printf, 2, 3)))
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	printf("%s %d - ", ok ? "ok" : "not ok", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

static inline int tap_done(void)
{
	printf("1..%d\n# %d passed, %d failed\n", tests, tests - failures,
	       failures);
	return failures ? 1 : 0;
}

#endif /* PCR_TESTS_TAP_H */
