/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one grammar of every option string the module takes: query and
 * select, files-query and the files_options parameter
 * (Documentation/ABI.md, "Options").
 */
#ifndef PCINSPECT_OPTIONS_H
#define PCINSPECT_OPTIONS_H

#include <linux/types.h>

enum pcinspect_opt_kind {
	PCINSPECT_OPT_FLAG,	/* a bare word: "map" */
	PCINSPECT_OPT_NUM,	/* NAME=DECIMAL, at most .max */
	PCINSPECT_OPT_DEV,	/* NAME=MAJOR:MINOR, both decimal */
	PCINSPECT_OPT_STR,	/* NAME=TEXT, at most .max bytes */
};

struct pcinspect_opt {
	const char *name;
	enum pcinspect_opt_kind kind;
	u64 max;
};

/* What was given for one option; .str points into the parsed buffer. */
struct pcinspect_opt_val {
	bool set;
	u64 num;
	dev_t dev;
	const char *str;
};

char *pcinspect_opts_from_user(const char __user *ubuf, size_t count,
			       size_t max, int too_long);
int pcinspect_opts_parse(char *buf, const struct pcinspect_opt *opts,
			 unsigned int nr, struct pcinspect_opt_val *vals,
			 char **path);

#endif /* PCINSPECT_OPTIONS_H */
