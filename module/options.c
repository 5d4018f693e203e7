// SPDX-License-Identifier: GPL-2.0
/*
 * Option strings, parsed one way for every file that takes them. Words
 * are separated by runs of blanks (space, tab, newline); a word is NAME
 * (a flag) or NAME=VALUE; each option may be given once; numbers are
 * decimal digits only (no sign, no 0x, no suffix). The same mistake gets
 * the same errno wherever it is made: EINVAL for an unknown, repeated or
 * malformed word, ERANGE for a number too large for its option. Callers
 * that take a path (query, select) stop the options at the first word
 * that starts with '/': the path is the rest of the string, blanks and
 * all.
 */
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kdev_t.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "options.h"

#define OPTS_BLANKS " \t\n"

/* Largest major number a dev_t holds: 32 - MINORBITS bits. */
#define OPTS_MAJOR_MAX ((1U << (32 - MINORBITS)) - 1)

/*
 * A written option string, NUL-terminated: @too_long (a negative errno)
 * when longer than @max bytes, EINVAL with an embedded NUL. Free with
 * kfree().
 */
char *pcinspect_opts_from_user(const char __user *ubuf, size_t count,
			       size_t max, int too_long)
{
	char *buf;

	if (count > max)
		return ERR_PTR(too_long);
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return buf;
	if (strlen(buf) != count) {
		kfree(buf);
		return ERR_PTR(-EINVAL);
	}
	return buf;
}

static int opt_number(const char *s, u64 max, u64 *v)
{
	int ret;

	/* kstrtou64() would take a leading '+' and a trailing newline. */
	if (!isdigit(*s))
		return -EINVAL;
	ret = kstrtou64(s, 10, v);
	if (ret)
		return ret;	/* -EINVAL: not all digits; -ERANGE: > U64_MAX */
	return *v > max ? -ERANGE : 0;
}

static int opt_value(const struct pcinspect_opt *o, char *s,
		     struct pcinspect_opt_val *v)
{
	u64 major, minor;
	char *colon;
	int ret;

	if (o->kind == PCINSPECT_OPT_FLAG)
		return s ? -EINVAL : 0;
	if (!s || !*s)
		return -EINVAL;
	switch (o->kind) {
	case PCINSPECT_OPT_NUM:
		return opt_number(s, o->max, &v->num);
	case PCINSPECT_OPT_DEV:
		colon = strchr(s, ':');
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		ret = opt_number(s, OPTS_MAJOR_MAX, &major);
		if (!ret)
			ret = opt_number(colon + 1, MINORMASK, &minor);
		if (!ret)
			v->dev = MKDEV(major, minor);
		return ret;
	case PCINSPECT_OPT_STR:
		if (strlen(s) > o->max)
			return -EINVAL;
		v->str = s;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Parse @buf (cut into words in place) against the @nr options of @opts
 * into @vals (one per option, .set when given). With @path non-NULL the
 * options end at the first word starting with '/', and *@path points at it
 * (NULL when there is none); without, such a word is an unknown option.
 */
int pcinspect_opts_parse(char *buf, const struct pcinspect_opt *opts,
			 unsigned int nr, struct pcinspect_opt_val *vals,
			 char **path)
{
	unsigned int i;
	char *word, *eq;
	int ret;

	memset(vals, 0, nr * sizeof(*vals));
	if (path)
		*path = NULL;
	while (buf) {
		buf += strspn(buf, OPTS_BLANKS);
		if (!*buf)
			break;
		if (path && *buf == '/') {
			*path = buf;
			break;
		}
		word = strsep(&buf, OPTS_BLANKS);
		eq = strchr(word, '=');
		if (eq)
			*eq++ = '\0';
		for (i = 0; i < nr && strcmp(word, opts[i].name); i++)
			;
		if (i == nr || vals[i].set)
			return -EINVAL;
		vals[i].set = true;
		ret = opt_value(&opts[i], eq, &vals[i]);
		if (ret)
			return ret;
	}
	return 0;
}
