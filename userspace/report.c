// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing the module's output (Documentation/ABI.md, format 1): the
 * "key: value" report, the page map that may follow it, and the version
 * file. Keys this reader does not know are ignored, as the format allows;
 * anything that is not a well-formed line is rejected with a message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pcinspect.h"

static const char map_header[] = "first last state lru mapped node order";

/* Numbers and strings -------------------------------------------------- */

/* A decimal number of up to 2^64 - 1, nothing else: no sign, no blanks. */
int pci_parse_u64(const char *s, size_t len, uint64_t *val)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	return 0;
}

/* An inode identity ("id" of files and lru-files): 16 lower-case hex digits. */
int pci_parse_id(const char *s, size_t len, uint64_t *val)
{
	uint64_t v = 0;
	size_t i;

	if (len != 16)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (c - 'a' + 10);
		else
			return -EINVAL;
	}
	*val = v;
	return 0;
}

/* A byte count with an optional K, M, G, T, P or E suffix (powers of 1024). */
int pci_parse_size(const char *s, uint64_t *val)
{
	static const char units[] = "KMGTPE";
	size_t len = strlen(s), digits = strspn(s, "0123456789");
	const char *u;
	uint64_t v;
	int ret, shift;

	ret = pci_parse_u64(s, digits, &v);
	if (ret)
		return ret;
	if (digits == len) {
		*val = v;
		return 0;
	}
	u = strchr(units, s[digits] & ~0x20);
	if (!u || !s[digits])
		return -EINVAL;
	/* "4K", "4KiB" and "4KB" all mean 4096 */
	if (s[digits + 1] && strcmp(s + digits + 1, "iB") &&
	    strcmp(s + digits + 1, "B"))
		return -EINVAL;
	shift = 10 * (int)(u - units + 1);
	if (v > (UINT64_MAX >> shift))
		return -ERANGE;
	*val = v << shift;
	return 0;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Undo the /proc/mounts style escapes (\ooo); other bytes are copied. */
char *pci_unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && is_octal(s[i + 1]) &&
		    is_octal(s[i + 2]) && is_octal(s[i + 3]) && s[i + 1] <= '3') {
			*o++ = (char)((s[i + 1] - '0') << 6 |
				      (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* The same escapes the other way, plus every byte that is not printable. */
char *pci_escape(const char *s)
{
	char *out = malloc(4 * strlen(s) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = *s;

		if (c <= ' ' || c == '\\' || c >= 0x7f) {
			*o++ = '\\';
			*o++ = '0' + (c >> 6);
			*o++ = '0' + ((c >> 3) & 7);
			*o++ = '0' + (c & 7);
		} else {
			*o++ = c;
		}
	}
	*o = '\0';
	return out;
}

/* Report ------------------------------------------------------------------ */

void pci_report_init(struct pci_report *rep)
{
	memset(rep, 0, sizeof(*rep));
}

void pci_report_free(struct pci_report *rep)
{
	size_t i;

	for (i = 0; i < rep->nr_memcgs; i++)
		free(rep->memcgs[i].path);
	free(rep->memcgs);
	free(rep->nodes);
	free(rep->runs);
	free(rep->path);
	free(rep->error);
	pci_report_init(rep);
}

static int report_error(struct pci_report *rep, int err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(rep->error);
	rep->error = NULL;
	if (msg && asprintf(&rep->error, "line %u: %s", rep->lineno, msg) < 0)
		rep->error = NULL;
	free(msg);
	return err;
}

#define U64_KEY(name, field) { name, offsetof(struct pci_report, field) }

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

static struct pci_node *get_node(struct pci_report *rep, int id)
{
	struct pci_node *n;
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

static struct pci_memcg *get_memcg(struct pci_report *rep, uint64_t id)
{
	struct pci_memcg *m;
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
static int indexed_key(struct pci_report *rep, const char *key, size_t klen,
		       const char *val, size_t vlen)
{
	const char *num;
	size_t nlen;
	uint64_t idx, v = 0;
	struct pci_node *node;
	struct pci_memcg *mc;
	bool cached;
	int ret;

	if (match_indexed(key, klen, "memcg", ".state", &num, &nlen)) {
		if (pci_parse_u64(num, nlen, &idx))
			return report_error(rep, -EINVAL, "bad memcg id");
		mc = get_memcg(rep, idx);
		if (!mc)
			return -ENOMEM;
		mc->dying = vlen == 5 && !memcmp(val, "dying", 5);
		return 1;
	}
	if (match_indexed(key, klen, "memcg", ".path", &num, &nlen)) {
		if (pci_parse_u64(num, nlen, &idx))
			return report_error(rep, -EINVAL, "bad memcg id");
		mc = get_memcg(rep, idx);
		if (!mc)
			return -ENOMEM;
		free(mc->path);
		mc->path = pci_unescape(val, vlen);
		return mc->path ? 1 : -ENOMEM;
	}

	ret = pci_parse_u64(val, vlen, &v);
	if (match_indexed(key, klen, "order", ".pages", &num, &nlen)) {
		if (ret || pci_parse_u64(num, nlen, &idx))
			goto bad;
		if (idx < PCI_ORDERS)
			rep->order_pages[idx] = v;
		return 1;
	}
	if (match_indexed(key, klen, "mglru_age", "", &num, &nlen)) {
		if (ret || pci_parse_u64(num, nlen, &idx))
			goto bad;
		if (idx < PCI_GENS)
			rep->mglru_age[idx] = v;
		return 1;
	}
	cached = match_indexed(key, klen, "node", ".cached", &num, &nlen);
	if (cached || match_indexed(key, klen, "node", ".evicted", &num, &nlen)) {
		if (ret || pci_parse_u64(num, nlen, &idx) || idx > 1 << 20)
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
		if (ret || pci_parse_u64(num, nlen, &idx))
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

/* One line of the page map: "first last state lru mapped node order". */
static int map_line(struct pci_report *rep, const char *line, size_t len)
{
	const char *f[7];
	size_t fl[7], n = 0, i = 0;
	struct pci_run run;
	uint64_t v;
	int k;

	while (i < len && n < 7) {
		f[n] = line + i;
		while (i < len && line[i] != ' ')
			i++;
		fl[n] = line + i - f[n];
		if (!fl[n])
			break;
		n++;
		if (i < len)
			i++;
	}
	if (n != 7 || i != len || line[len - 1] == ' ')
		return report_error(rep, -EINVAL, "malformed map line");
	memset(&run, 0, sizeof(run));
	if (pci_parse_u64(f[0], fl[0], &run.first) ||
	    pci_parse_u64(f[1], fl[1], &run.last) || run.last < run.first)
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

		if (!neg && (pci_parse_u64(f[k], fl[k], &v) || v > 1 << 20))
			return report_error(rep, -EINVAL, "bad number in map line");
		if (k == 5)
			run.node = neg ? -1 : (int)v;
		else
			run.order = neg ? -1 : (int)v;
	}
	if (rep->nr_runs == rep->runs_alloc) {
		size_t na = rep->runs_alloc ? 2 * rep->runs_alloc : 64;
		struct pci_run *r = realloc(rep->runs, na * sizeof(*r));

		if (!r)
			return -ENOMEM;
		rep->runs = r;
		rep->runs_alloc = na;
	}
	rep->runs[rep->nr_runs++] = run;
	return 0;
}

static void copy_str(char *dst, size_t size, const char *s, size_t len)
{
	if (len >= size)
		len = size - 1;
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* One line, without its newline. */
int pci_report_line(struct pci_report *rep, const char *line, size_t len)
{
	const char *colon, *val;
	size_t klen, vlen, i;
	uint64_t v, v2;
	int ret;

	rep->lineno++;
	if (memchr(line, '\0', len))
		return report_error(rep, -EINVAL, "NUL byte in report");
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
		ret = pci_parse_u64(val, vlen, &v);
		if (ret)
			return report_error(rep, -EINVAL, "bad format number");
		if (!pci_format_known(v))
			return report_error(rep, -EPROTONOSUPPORT,
					    "unsupported format %llu (this reader knows %s)",
					    (unsigned long long)v, PCI_FORMATS_STR);
		rep->seen_format = true;
		return 0;
	}
	if (KEY_IS("format"))
		return report_error(rep, -EINVAL, "format given twice");
	if (KEY_IS("path")) {
		free(rep->path);
		rep->path = pci_unescape(val, vlen);
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
		rep->have |= PCI_HAVE_MAP;
		return 0;
	}
	if (KEY_IS("range")) {
		const char *sp = memchr(val, ' ', vlen);

		if (!sp || pci_parse_u64(val, sp - val, &v) ||
		    pci_parse_u64(sp + 1, val + vlen - sp - 1, &v2))
			return report_error(rep, -EINVAL, "bad range");
		rep->range_first = v;
		rep->range_last = v2;
		return 0;
	}
	if (KEY_IS("deleted") || KEY_IS("detail")) {
		if (pci_parse_u64(val, vlen, &v) || v > 1)
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
		ret = pci_parse_u64(val, vlen, &v);
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

int pci_report_finish(struct pci_report *rep)
{
	if (!rep->seen_format)
		return report_error(rep, -EINVAL, "empty report");
	if (!rep->path)
		return report_error(rep, -EINVAL, "report without a path");
	if (!rep->page_size)
		return report_error(rep, -EINVAL, "report without page_size");
	rep->source = "pcinspect";
	rep->have |= PCI_HAVE_MODULE;
	if (!rep->detail)
		rep->have &= ~(PCI_HAVE_DETAIL | PCI_HAVE_MEMCGS);
	return 0;
}

int pci_report_parse(struct pci_report *rep, const char *text, size_t len)
{
	const char *end = text + len, *nl;
	int ret;

	while (text < end) {
		nl = memchr(text, '\n', end - text);
		if (!nl)
			nl = end;
		ret = pci_report_line(rep, text, nl - text);
		if (ret)
			return ret;
		text = nl + 1;
	}
	return pci_report_finish(rep);
}

int pci_report_read(struct pci_report *rep, FILE *f)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	int ret = 0;

	errno = 0;
	while ((n = getline(&line, &size, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		ret = pci_report_line(rep, line, n);
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	free(line);
	return ret ? ret : pci_report_finish(rep);
}

/* Version file ------------------------------------------------------------ */

int pci_version_parse(struct pci_version *ver, const char *text, char *err,
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
			    pci_parse_u64(val, vlen, &v)) {
				snprintf(err, errsize,
					 "version does not start with format");
				return -EINVAL;
			}
			if (!pci_format_known(v)) {
				snprintf(err, errsize,
					 "the module speaks format %llu, this pcinspect reads %s only: install a matching pcinspect",
					 (unsigned long long)v, PCI_FORMATS_STR);
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
			if (pci_parse_u64(val, vlen, &ver->page_size)) {
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
