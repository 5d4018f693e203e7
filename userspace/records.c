// SPDX-License-Identifier: GPL-2.0
/*
 * The parser core (records.h): numbers, escapes, fields, the line reader
 * and the "key=value" record filler that every format of the module's
 * output is parsed with.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "records.h"

/* Numbers and strings -------------------------------------------------- */

/* A decimal number of up to 2^64 - 1, nothing else: no sign, no blanks. */
int pcr_parse_u64(const char *s, size_t len, uint64_t *val)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		/* 19 digits cannot overflow: checked (no division) after */
		if (i < 19)
			v = v * 10 + d;
		else if (__builtin_mul_overflow(v, 10, &v) ||
			 __builtin_add_overflow(v, d, &v))
			return -ERANGE;
	}
	*val = v;
	return 0;
}

/* An inode identity ("id" of files and lru-files): 16 lower-case hex digits. */
int pcr_parse_id(const char *s, size_t len, uint64_t *val)
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
int pcr_parse_size(const char *s, uint64_t *val)
{
	static const char units[] = "KMGTPE";
	size_t len = strlen(s), digits = strspn(s, "0123456789");
	const char *u;
	uint64_t v;
	int ret, shift;

	ret = pcr_parse_u64(s, digits, &v);
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

/* "MAJ:MIN", each a decimal number that fits dev_t's 12 and 20 bits. */
int pcr_parse_dev(const char *s, size_t len, unsigned int *major,
		  unsigned int *minor)
{
	const char *colon = memchr(s, ':', len);
	uint64_t ma, mi;

	if (!colon || pcr_parse_u64(s, colon - s, &ma) ||
	    pcr_parse_u64(colon + 1, s + len - colon - 1, &mi) ||
	    ma >= 1u << 12 || mi >= 1u << 20)
		return -EINVAL;
	*major = ma;
	*minor = mi;
	return 0;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Undo the /proc/mounts style escapes (\ooo); other bytes are copied. */
char *pcr_unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	const char *bs;
	size_t i;

	if (!out)
		return NULL;
	/* most paths have no escape: copied whole */
	bs = memchr(s, '\\', len);
	if (!bs) {
		memcpy(out, s, len);
		out[len] = '\0';
		return out;
	}
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
char *pcr_escape(const char *s)
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

/* A word of a record (a filesystem type, a zone): not empty, no '='. */
int pcr_copy_word(char *dst, size_t size, const char *s, size_t len)
{
	if (!len || len >= size || memchr(s, '=', len) || memchr(s, ' ', len))
		return -EINVAL;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

bool pcr_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !memcmp(s, word, len);
}

/* Split at single blanks; the number of fields, max + 1 when more. */
size_t pcr_split(const char *line, size_t len, const char **f, size_t *fl,
		 size_t max)
{
	const char *p = line, *end = line + len, *blank;
	size_t n;

	for (n = 0; n < max; n++) {
		f[n] = p;
		blank = memchr(p, ' ', end - p);
		if (!blank) {
			fl[n] = end - p;
			return n + 1;
		}
		fl[n] = blank - p;
		p = blank + 1;
	}
	return max + 1;
}

/* Room for one more element in a doubling array. */
int pcr_grow(void **arr, size_t *alloc, size_t n, size_t elem)
{
	size_t na;
	void *p;

	if (n < *alloc)
		return 0;
	na = *alloc ? 2 * *alloc : 64;
	p = realloc(*arr, na * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = na;
	return 0;
}

/* Room for at least @want elements of @arr, in one step. */
int pcr_reserve(void **arr, size_t *alloc, size_t want, size_t elem)
{
	void *p;

	if (want <= *alloc)
		return 0;
	p = realloc(*arr, want * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*alloc = want;
	return 0;
}

/* "123", "-123" when @neg_ok, "-" when @dash_ok. */
int pcr_lval_parse(const char *s, size_t len, bool dash_ok, bool neg_ok,
		   struct pcr_lval *val)
{
	memset(val, 0, sizeof(*val));
	if (len == 1 && s[0] == '-') {
		if (!dash_ok)
			return -EINVAL;
		val->dash = true;
		return 0;
	}
	if (len && s[0] == '-') {
		if (!neg_ok)
			return -EINVAL;
		s++;
		len--;
		val->neg = true;
	}
	if (pcr_parse_u64(s, len, &val->v))
		return len > 20 ? -ERANGE : -EINVAL;
	if (!val->v)
		val->neg = false;	/* "-0" is 0 */
	return 0;
}

/* Lines ------------------------------------------------------------------ */

int pcr_parse_error(struct pcr_parser *p, int err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(p->error);
	p->error = NULL;
	if (msg && asprintf(&p->error, "line %u: %s", p->lineno, msg) < 0)
		p->error = NULL;
	free(msg);
	return err;
}

void pcr_parser_free(struct pcr_parser *p)
{
	free(p->error);
	p->error = NULL;
}

/* One line, without its newline: the format's verdict on it. */
int pcr_parse_line(struct pcr_parser *p, const char *line, size_t len)
{
	p->lineno++;
	if (memchr(line, '\0', len))
		return pcr_parse_error(p, -EINVAL, "NUL byte");
	return p->line(p, line, len);
}

/* Fatal errors stop the text; after the header, others may skip the line. */
static int next_line(struct pcr_parser *p, const char *line, size_t len)
{
	int ret = pcr_parse_line(p, line, len);

	if (!ret || ret == -ENOMEM || !p->seen_header || !p->skip_bad)
		return ret;
	fprintf(stderr, "pcinspect: %s: %s (skipped)\n", p->name,
		p->error ? p->error : strerror(-ret));
	p->bad_lines++;
	return 0;
}

int pcr_parse_text(struct pcr_parser *p, const char *text, size_t len)
{
	const char *end = text + len, *nl;
	int ret;

	while (text < end) {
		nl = memchr(text, '\n', end - text);
		if (!nl)
			nl = end;
		ret = next_line(p, text, nl - text);
		if (ret)
			return ret;
		text = nl + 1;
	}
	return p->finish ? p->finish(p) : 0;
}

int pcr_parse_read(struct pcr_parser *p, FILE *f)
{
	char *line = NULL;
	size_t size = 0;
	ssize_t n;
	int ret = 0;

	errno = 0;
	while ((n = getline(&line, &size, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		ret = next_line(p, line, n);
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	free(line);
	if (ret)
		return ret;
	return p->finish ? p->finish(p) : 0;
}

/* Records ---------------------------------------------------------------- */

static int put_value(void *rec, const struct pcr_key *k, const char *s,
		     size_t len)
{
	void *p = (char *)rec + k->off;
	int kind = k->kind & ~PCR_K_OPTIONAL;
	unsigned int *dev = p;
	uint64_t v;
	size_t i;

	switch (kind) {
	case PCR_K_U64:
		return pcr_parse_u64(s, len, p);
	case PCR_K_UINT:
		if (pcr_parse_u64(s, len, &v) || v >= 1u << 20)
			return -EINVAL;
		*(unsigned int *)p = v;
		return 0;
	case PCR_K_COUNT:
	case PCR_K_COUNT_DASH:
	case PCR_K_SIGNED:
	case PCR_K_SIGNED_DASH:
		return pcr_lval_parse(s, len,
				      kind == PCR_K_COUNT_DASH ||
				      kind == PCR_K_SIGNED_DASH,
				      kind == PCR_K_SIGNED ||
				      kind == PCR_K_SIGNED_DASH, p);
	case PCR_K_WORD:
		return pcr_copy_word(p, PCR_WORD, s, len);
	case PCR_K_DEV:
		return pcr_parse_dev(s, len, &dev[0], &dev[1]);
	case PCR_K_ENUM:
		for (i = 0; k->names[i]; i++) {
			if (pcr_is(s, len, k->names[i])) {
				*(int *)p = i;
				return 0;
			}
		}
		return -EINVAL;
	case PCR_K_PATH:
		if (pcr_is(s, len, "-"))
			return 0;
		/* "/" or below it, its blanks escaped */
		if (!len || s[0] != '/' || memchr(s, '=', len))
			return -EINVAL;
		*(char **)p = pcr_unescape(s, len);
		return *(char **)p ? 0 : -ENOMEM;
	}
	return -EINVAL;
}

/*
 * The "key=value" pairs of @s into @rec by @keys (and @more, a second
 * table, may be NULL). Every key of the tables must be there, once,
 * unless marked optional; keys of neither table are ignored (a format
 * may add keys). A path a failed record holds is the caller's to free.
 */
int pcr_kv_record(struct pcr_parser *p, void *rec, const char *s, size_t len,
		  const struct pcr_key *keys, const struct pcr_key *more)
{
	const char *end = s + len, *sp, *eq;
	const struct pcr_key *tabs[2] = { keys, more }, *k;
	uint64_t seen[2] = { 0, 0 };
	size_t t, i;
	int ret;

	if (!len)
		return pcr_parse_error(p, -EINVAL, "no key=value pairs");
	while (s < end) {
		sp = memchr(s, ' ', end - s);
		if (!sp)
			sp = end;
		eq = memchr(s, '=', sp - s);
		if (!eq || eq == s)
			return pcr_parse_error(p, -EINVAL,
					       "not key=value: \"%.*s\"",
					       (int)(sp - s), s);
		for (t = 0; t < 2 && tabs[t]; t++) {
			for (i = 0; tabs[t][i].key; i++) {
				k = &tabs[t][i];
				if (!pcr_is(s, eq - s, k->key))
					continue;
				if (seen[t] & 1ull << i)
					return pcr_parse_error(p, -EINVAL,
							       "%s= twice",
							       k->key);
				seen[t] |= 1ull << i;
				ret = put_value(rec, k, eq + 1, sp - eq - 1);
				if (ret == -ENOMEM)
					return ret;
				if (ret)
					return pcr_parse_error(p, ret,
							       "bad value for %s: \"%.*s\"",
							       k->key,
							       (int)(sp - eq - 1),
							       eq + 1);
			}
		}
		if (sp + 1 == end)
			return pcr_parse_error(p, -EINVAL, "trailing blank");
		s = sp + 1;
	}
	for (t = 0; t < 2 && tabs[t]; t++)
		for (i = 0; tabs[t][i].key; i++)
			if (!(seen[t] & 1ull << i) &&
			    !(tabs[t][i].kind & PCR_K_OPTIONAL))
				return pcr_parse_error(p, -EINVAL, "no %s=",
						       tabs[t][i].key);
	return 0;
}

/* Files ------------------------------------------------------------------ */

/*
 * Write @file through @put into a new file renamed over the old one: a
 * reader of the old file (--diff of the file --snapshot is writing) never
 * sees half of the new.
 */
int pcr_write_replace(const char *file, int (*put)(FILE *out, const void *arg),
		      const void *arg)
{
	char *tmp;
	int fd, ret;
	FILE *out;

	if (asprintf(&tmp, "%s.XXXXXX", file) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	out = fdopen(fd, "w");
	if (!out) {
		ret = -errno;
		close(fd);
		goto out_unlink;
	}
	ret = put(out, arg);
	if (fclose(out) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, file))
		ret = -errno;
out_unlink:
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}
