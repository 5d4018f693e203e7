// SPDX-License-Identifier: GPL-2.0
/*
 * One file's report from whichever source this run has: the module when
 * it is loaded (and speaks a format this reader knows), else cachestat(2),
 * else mincore(2); --source picks one. A module of an unknown format is an
 * error, not a reason to fall back: its numbers would be guessed at.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

const char * const pcr_source_names[] = { "auto", "module", "cachestat",
					  "mincore", NULL };

/*
 * Pick the source: @r->source set by the caller (PCR_SRC_AUTO unless
 * --source). @map: page maps are wanted (cachestat has none). Errors are
 * said here; -1 then.
 */
int pcr_reporter_open(struct pcr_reporter *r, bool map)
{
	struct pcr_version ver;
	char err[256];
	int ret;

	r->query.fd = -1;
	r->auto_source = r->source == PCR_SRC_AUTO;
	r->page_size = sysconf(_SC_PAGESIZE);
	if (r->source == PCR_SRC_AUTO || r->source == PCR_SRC_MODULE) {
		ret = pcr_module_version(&ver, err, sizeof(err));
		if (!ret) {
			r->source = PCR_SRC_MODULE;
			if (ver.page_size)
				r->page_size = ver.page_size;
			return 0;
		}
		if (ret == -ENOENT && r->source == PCR_SRC_MODULE) {
			fprintf(stderr,
				"pcinspect: the pcinspect module is not loaded, or debugfs is not mounted (%s).\n",
				err);
			pcr_no_module_hint(stderr);
			return -1;
		}
		if (ret == -EPROTONOSUPPORT || ret == -EINVAL ||
		    r->source == PCR_SRC_MODULE) {
			fprintf(stderr, "pcinspect: %s\n", err);
			return -1;
		}
		/* a page map without the module: mincore's */
		r->source = pcr_have_cachestat() && !map ? PCR_SRC_CACHESTAT :
			    PCR_SRC_MINCORE;
		return 0;
	}
	if (r->source == PCR_SRC_CACHESTAT && !pcr_have_cachestat()) {
		fprintf(stderr,
			"pcinspect: cachestat(2) is not in this kernel (Linux 6.5 and later)\n");
		return -1;
	}
	if (r->source == PCR_SRC_CACHESTAT && map) {
		fprintf(stderr,
			"pcinspect: cachestat(2) has no page map: --map and BAR need the module or --source mincore\n");
		return -1;
	}
	return 0;
}

/* The report on @path; -errno when there is none (the caller says it). */
int pcr_reporter_report(struct pcr_reporter *r, struct pcr_report *rep,
			const char *path, const struct pcr_query_opts *q)
{
	int ret;

	pcr_report_init(rep);
	switch (r->source) {
	case PCR_SRC_MODULE:
		ret = pcr_module_report(&r->query, rep, path, q);
		/* under lockdown only whole files: auto takes cachestat */
		if (ret == -EOPNOTSUPP && r->auto_source && !q->map &&
		    pcr_have_cachestat()) {
			pcr_report_free(rep);
			ret = pcr_cachestat_report(rep, path, q->offset,
						   q->length);
		}
		break;
	case PCR_SRC_CACHESTAT:
		ret = pcr_cachestat_report(rep, path, q->offset, q->length);
		/* recent kernels refuse cachestat without write permission */
		if (ret == -EPERM && r->auto_source) {
			pcr_report_free(rep);
			ret = pcr_mincore_report(rep, path, q->offset, q->length,
						 false);
		}
		break;
	default:
		ret = pcr_mincore_report(rep, path, q->offset, q->length,
					 q->map);
		break;
	}
	return ret;
}

void pcr_reporter_close(struct pcr_reporter *r)
{
	pcr_query_close(&r->query);
}

/* What went wrong with @path's report, said on stderr. */
void pcr_report_failed(const char *path, const struct pcr_report *rep,
		       int err)
{
	if (pcr_report_error(rep))
		fprintf(stderr, "pcinspect: %s: bad module report: %s\n", path,
			pcr_report_error(rep));
	else if (err == -EOPNOTSUPP && !rep->path)
		fprintf(stderr,
			"pcinspect: %s: under lockdown the module reports whole files only: --range needs --source cachestat\n",
			path);
	else
		fprintf(stderr, "pcinspect: %s: %s\n", path, strerror(-err));
}
