// SPDX-License-Identifier: GPL-2.0
/*
 * The module's per-file report (Documentation/ABI.md): "key: value"
 * lines, the page map that may follow them, and the version file. Keys
 * this reader does not know are ignored, as the format allows; anything
 * that is not a well-formed line is rejected with a message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format_report.h"

static const char map_header[] = "first last state lru mapped node order";

#define REP(p)	((struct pcr_report *)((char *)(p) - \
				       offsetof(struct pcr_report, parse)))

/* Report ------------------------------------------------------------------ */

static int report_line(struct pcr_parser *p, const char *line, size_t len);
static int report_finish(struct pcr_parser *p);

void pcr_report_init(struct pcr_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->parse.name = "report";
	rep->parse.line = report_line;
	rep->parse.finish = report_finish;
}

void pcr_report_free(struct pcr_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nr_memcgs; i++)
		free(rep->memcgs[i].path);
	free(rep->memcgs);
	free(rep->nodes);
	free(rep->runs);
	free(rep->path);
	pcr_parser_free(&rep->parse);
	pcr_report_init(rep);
}

/* What was wrong with a malformed report, or NULL. */
const char *pcr_report_error(const struct pcr_report *rep)
{
	return rep->parse.error;
}

#define report_error(rep, err, ...) \
	pcr_parse_error(&(rep)->parse, err, __VA_ARGS__)

#define U64_KEY(name, field) { name, offsetof(struct pcr_report, field) }

static const struct {
	const char *key;
	size_t off;
} u64_keys[] = {
	U64_KEY("ino", ino),
	U64_KEY("size", size),
	U64_KEY("page_size", page_size),
	U64_KEY("nrpages", nrpages),
	U64_KEY("cached", cached),
	U64_KEY("dirty", dirty),
	U64_KEY("writeback", writeback),
	U64_KEY("evicted", evicted),
	U64_KEY("evicted_workingset", evicted_workingset),
	U64_KEY("swapped", swapped),
	U64_KEY("dirty_flag", dirty_flag),
	U64_KEY("mapped", mapped),
	U64_KEY("lru", lru),
	U64_KEY("active", active),
	U64_KEY("inactive", inactive),
	U64_KEY("unevictable", unevictable),
	U64_KEY("referenced", referenced),
	U64_KEY("workingset", workingset),
	U64_KEY("memcgother.cached", memcg_other),
};

/* "PREFIXnSUFFIX" with n a decimal number: returns n's text span. */
static bool match_indexed(const char *key, size_t klen, const char *prefix,
			  const char *suffix, const char **num, size_t *nlen)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);

	if (klen <= plen + slen || strncmp(key, prefix, plen) ||
	    strncmp(key + klen - slen, suffix, slen))
		return false;
	*num = key + plen;
	*nlen = klen - plen - slen;
	return strspn(*num, "0123456789") >= *nlen;
}

static struct pcr_node *get_node(struct pcr_report *rep, int id)
{
	struct pcr_node *n;
	size_t i;

	for (i = 0; i < rep->nr_nodes; i++)
		if (rep->nodes[i].id == id)
			return &rep->nodes[i];
	n = realloc(rep->nodes, (rep->nr_nodes + 1) * sizeof(*n));
	if (!n)
		return NULL;
	rep->nodes = n;
	n = &rep->nodes[rep->nr_nodes++];
	memset(n, 0, sizeof(*n));
	n->id = id;
	return n;
}

static struct pcr_memcg *get_memcg(struct pcr_report *rep, uint64_t id)
{
	struct pcr_memcg *m;
	size_t i;

	for (i = 0; i < rep->nr_memcgs; i++)
		if (rep->memcgs[i].id == id)
			return &rep->memcgs[i];
	m = realloc(rep->memcgs, (rep->nr_memcgs + 1) * sizeof(*m));
	if (!m)
		return NULL;
	rep->memcgs = m;
	m = &rep->memcgs[rep->nr_memcgs++];
	memset(m, 0, sizeof(*m));
	m->id = id;
	return m;
}

/* Keys with an index in them: orderN.pages, nodeN.cached, memcgN.path ... */
static int indexed_key(struct pcr_report *rep, const char *key, size_t klen,
		       const char *val, size_t vlen)
{
	const char *num;
	size_t nlen;
	uint64_t idx, v = 0;
	struct pcr_node *node;
	struct pcr_memcg *mc;
	bool cached;
	int ret;

	if (match_indexed(key, klen, "memcg", ".state", &num, &nlen)) {
		if (pcr_parse_u64(num, nlen, &idx))
			return report_error(rep, -EINVAL, "bad memcg id");
		mc = get_memcg(rep, idx);
		if (!mc)
			return -ENOMEM;
		mc->dying = vlen == 5 && !memcmp(val, "dying", 5);
		return 1;
	}
	if (match_indexed(key, klen, "memcg", ".path", &num, &nlen)) {
		if (pcr_parse_u64(num, nlen, &idx))
			return report_error(rep, -EINVAL, "bad memcg id");
		mc = get_memcg(rep, idx);
		if (!mc)
			return -ENOMEM;
		free(mc->path);
		mc->path = pcr_unescape(val, vlen);
		return mc->path ? 1 : -ENOMEM;
	}

	ret = pcr_parse_u64(val, vlen, &v);
	if (match_indexed(key, klen, "order", ".pages", &num, &nlen)) {
		if (ret || pcr_parse_u64(num, nlen, &idx))
			goto bad;
		if (idx < PCR_ORDERS)
			rep->order_pages[idx] = v;
		return 1;
	}
	if (match_indexed(key, klen, "mglru_age", "", &num, &nlen)) {
		if (ret || pcr_parse_u64(num, nlen, &idx))
			goto bad;
		if (idx < PCR_GENS)
			rep->mglru_age[idx] = v;
		return 1;
	}
	cached = match_indexed(key, klen, "node", ".cached", &num, &nlen);
	if (cached || match_indexed(key, klen, "node", ".evicted", &num, &nlen)) {
		if (ret || pcr_parse_u64(num, nlen, &idx) || idx > 1 << 20)
			goto bad;
		node = get_node(rep, (int)idx);
		if (!node)
			return -ENOMEM;
		if (cached)
			node->cached = v;
		else
			node->evicted = v;
		return 1;
	}
	if (klen == strlen("nodeunknown.evicted") &&
	    !strncmp(key, "nodeunknown.evicted", klen)) {
		if (ret)
			goto bad;
		node = get_node(rep, -1);
		if (!node)
			return -ENOMEM;
		node->evicted = v;
		return 1;
	}
	if (match_indexed(key, klen, "memcg", ".cached", &num, &nlen)) {
		if (ret || pcr_parse_u64(num, nlen, &idx))
			goto bad;
		mc = get_memcg(rep, idx);
		if (!mc)
			return -ENOMEM;
		mc->cached = v;
		return 1;
	}
	return 0;
bad:
	return report_error(rep, ret == -ERANGE ? -ERANGE : -EINVAL,
			    "bad value for %.*s", (int)klen, key);
}

/* Append one run of the page map. */
int pcr_report_add_run(struct pcr_report *rep, const struct pcr_run *run)
{
	if (pcr_grow((void **)&rep->runs, &rep->runs_alloc, rep->nr_runs,
		     sizeof(*rep->runs)))
		return -ENOMEM;
	rep->runs[rep->nr_runs++] = *run;
	return 0;
}

/* One line of the page map: "first last state lru mapped node order". */
static int map_line(struct pcr_report *rep, const char *line, size_t len)
{
	const char *f[7];
	size_t fl[7], i;
	struct pcr_run run;
	uint64_t v;
	int k;

	if (pcr_split(line, len, f, fl, 7) != 7)
		return report_error(rep, -EINVAL, "malformed map line");
	for (i = 0; i < 7; i++)
		if (!fl[i])
			return report_error(rep, -EINVAL, "malformed map line");
	memset(&run, 0, sizeof(run));
	if (pcr_parse_u64(f[0], fl[0], &run.first) ||
	    pcr_parse_u64(f[1], fl[1], &run.last) || run.last < run.first)
		return report_error(rep, -EINVAL, "bad page range in map line");
	if (fl[2] >= sizeof(run.state) || fl[3] >= sizeof(run.lru))
		return report_error(rep, -EINVAL, "bad state in map line");
	memcpy(run.state, f[2], fl[2]);
	memcpy(run.lru, f[3], fl[3]);
	if (fl[4] != 1 || (f[4][0] != 'm' && f[4][0] != '-'))
		return report_error(rep, -EINVAL, "bad mapped column in map line");
	run.mapped = f[4][0] == 'm';
	for (k = 5; k <= 6; k++) {
		bool neg = fl[k] == 2 && f[k][0] == '-' && f[k][1] == '1';

		if (!neg && (pcr_parse_u64(f[k], fl[k], &v) || v > 1 << 20))
			return report_error(rep, -EINVAL, "bad number in map line");
		if (k == 5)
			run.node = neg ? -1 : (int)v;
		else
			run.order = neg ? -1 : (int)v;
	}
	return pcr_report_add_run(rep, &run);
}

static void copy_str(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* One line, without its newline. */
static int report_line(struct pcr_parser *p, const char *line, size_t len)
{
	struct pcr_report *rep = REP(p);
	const char *colon, *val;
	size_t klen, vlen, i;
	uint64_t v, v2;
	int ret;

	if (rep->in_map)
		return map_line(rep, line, len);

	colon = memchr(line, ':', len);
	if (!colon || colon == line)
		return report_error(rep, -EINVAL, "not a \"key: value\" line");
	klen = colon - line;
	for (i = 0; i < klen; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789_.", line[i]))
			return report_error(rep, -EINVAL, "bad key");
	val = colon + 1;
	vlen = len - klen - 1;
	if (vlen) {
		if (*val != ' ')
			return report_error(rep, -EINVAL, "no blank after ':'");
		val++;
		vlen--;
	}

#define KEY_IS(k) (klen == sizeof(k) - 1 && !memcmp(line, k, klen))
	if (!rep->seen_format) {
		if (!KEY_IS("format"))
			return report_error(rep, -EINVAL,
					    "report does not start with format");
		ret = pcr_parse_u64(val, vlen, &v);
		if (ret)
			return report_error(rep, -EINVAL, "bad format number");
		if (!pcr_format_known(v))
			return report_error(rep, -EPROTONOSUPPORT,
					    "unsupported format %llu (this reader knows %s)",
					    (unsigned long long)v, PCR_FORMATS_STR);
		rep->seen_format = true;
		p->seen_header = true;
		return 0;
	}
	if (KEY_IS("format"))
		return report_error(rep, -EINVAL, "format given twice");
	if (KEY_IS("path")) {
		free(rep->path);
		rep->path = pcr_unescape(val, vlen);
		return rep->path ? 0 : -ENOMEM;
	}
	if (KEY_IS("dev")) {
		copy_str(rep->dev, sizeof(rep->dev), val, vlen);
		return 0;
	}
	if (KEY_IS("fs")) {
		copy_str(rep->fs, sizeof(rep->fs), val, vlen);
		return 0;
	}
	if (KEY_IS("type")) {
		copy_str(rep->type, sizeof(rep->type), val, vlen);
		return 0;
	}
	if (KEY_IS("map")) {
		if (vlen != sizeof(map_header) - 1 ||
		    memcmp(val, map_header, vlen))
			return report_error(rep, -EINVAL,
					    "unknown page map columns");
		rep->in_map = true;
		rep->have |= PCR_HAVE_MAP;
		rep->map_known = true;
		return 0;
	}
	if (KEY_IS("range")) {
		const char *sp = memchr(val, ' ', vlen);

		if (!sp || pcr_parse_u64(val, sp - val, &v) ||
		    pcr_parse_u64(sp + 1, val + vlen - sp - 1, &v2))
			return report_error(rep, -EINVAL, "bad range");
		rep->range_first = v;
		rep->range_last = v2;
		return 0;
	}
	if (KEY_IS("deleted") || KEY_IS("detail")) {
		if (pcr_parse_u64(val, vlen, &v) || v > 1)
			return report_error(rep, -EINVAL, "bad value for %.*s",
					    (int)klen, line);
		if (KEY_IS("deleted"))
			rep->deleted = v;
		else
			rep->detail = v;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(u64_keys); i++) {
		if (strlen(u64_keys[i].key) != klen ||
		    memcmp(u64_keys[i].key, line, klen))
			continue;
		ret = pcr_parse_u64(val, vlen, &v);
		if (ret)
			return report_error(rep, ret, "bad value for %.*s",
					    (int)klen, line);
		*(uint64_t *)((char *)rep + u64_keys[i].off) = v;
		return 0;
	}
#undef KEY_IS
	ret = indexed_key(rep, line, klen, val, vlen);
	return ret < 0 ? ret : 0;	/* unknown keys are ignored */
}

static int report_finish(struct pcr_parser *p)
{
	struct pcr_report *rep = REP(p);

	if (!rep->seen_format)
		return report_error(rep, -EINVAL, "empty report");
	if (!rep->path)
		return report_error(rep, -EINVAL, "report without a path");
	if (!rep->page_size)
		return report_error(rep, -EINVAL, "report without page_size");
	rep->source = "pcinspect";
	rep->have |= PCR_HAVE_MODULE;
	if (!rep->detail)
		rep->have &= ~(PCR_HAVE_DETAIL | PCR_HAVE_MEMCGS);
	return 0;
}

int pcr_report_parse(struct pcr_report *rep, const char *text, size_t len)
{
	return pcr_parse_text(&rep->parse, text, len);
}

int pcr_report_read(struct pcr_report *rep, FILE *f)
{
	return pcr_parse_read(&rep->parse, f);
}

/* Version file ------------------------------------------------------------ */

int pcr_version_parse(struct pcr_version *ver, const char *text, char *err,
		      size_t errsize)
{
	const char *p = text, *nl, *colon, *val;
	bool seen = false;
	uint64_t v;
	size_t vlen;

	memset(ver, 0, sizeof(*ver));
	for (; *p; p = *nl ? nl + 1 : nl) {
		nl = strchrnul(p, '\n');
		colon = memchr(p, ':', nl - p);
		if (!colon) {
			snprintf(err, errsize, "malformed version line");
			return -EINVAL;
		}
		val = colon + 1 + (colon + 1 < nl && colon[1] == ' ');
		vlen = nl - val;
		if (!seen) {
			if (colon - p != 6 || strncmp(p, "format", 6) ||
			    pcr_parse_u64(val, vlen, &v)) {
				snprintf(err, errsize,
					 "version does not start with format");
				return -EINVAL;
			}
			if (!pcr_format_known(v)) {
				snprintf(err, errsize,
					 "the module speaks format %llu, this pcinspect reads %s only: install a matching pcinspect",
					 (unsigned long long)v, PCR_FORMATS_STR);
				return -EPROTONOSUPPORT;
			}
			ver->format = v;
			seen = true;
		} else if (colon - p == 6 && !strncmp(p, "module", 6)) {
			copy_str(ver->module, sizeof(ver->module), val, vlen);
		} else if (colon - p == 6 && !strncmp(p, "kernel", 6)) {
			copy_str(ver->kernel, sizeof(ver->kernel), val, vlen);
		} else if (colon - p == 8 && !strncmp(p, "features", 8)) {
			copy_str(ver->features, sizeof(ver->features), val, vlen);
		} else if (colon - p == 9 && !strncmp(p, "page_size", 9)) {
			if (pcr_parse_u64(val, vlen, &ver->page_size)) {
				snprintf(err, errsize, "bad page_size");
				return -EINVAL;
			}
		}
	}
	if (!seen) {
		snprintf(err, errsize, "empty version file");
		return -EINVAL;
	}
	return 0;
}
