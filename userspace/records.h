/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The parser core. Every text the module writes (Documentation/ABI.md) is
 * lines: "key: value" lines (a file's report, the version file) or records
 * of single-blank-separated fields and "key=value" pairs (the listings,
 * the lru walk). What they share is here: numbers, the /proc-style
 * escapes, a line reader that counts lines and keeps the last error, and
 * a table-driven filler of "key=value" records. Each format is a small
 * table and a line function on top (format_*.c).
 */
#ifndef PCR_RECORDS_H
#define PCR_RECORDS_H

#include "reader.h"

/* Numbers and strings */
int pcr_parse_u64(const char *s, size_t len, uint64_t *val);
int pcr_parse_id(const char *s, size_t len, uint64_t *val);
int pcr_parse_size(const char *s, uint64_t *val);
int pcr_parse_dev(const char *s, size_t len, unsigned int *major,
		  unsigned int *minor);
char *pcr_unescape(const char *s, size_t len);
char *pcr_escape(const char *s);
int pcr_copy_word(char *dst, size_t size, const char *s, size_t len);
bool pcr_is(const char *s, size_t len, const char *word);
size_t pcr_split(const char *line, size_t len, const char **f, size_t *fl,
		 size_t max);
int pcr_grow(void **arr, size_t *alloc, size_t n, size_t elem);
int pcr_reserve(void **arr, size_t *alloc, size_t want, size_t elem);

#define PCR_STARTS(line, len, s) \
	((len) >= sizeof(s) - 1 && !memcmp((line), (s), sizeof(s) - 1))

/*
 * A value that is a count, a signed difference or "-" (not known to the
 * module): the three kept apart, so "-" is never shown as a number and a
 * count near 2^64 is never read as negative.
 */
struct pcr_lval {
	uint64_t v;		/* the magnitude */
	bool neg;
	bool dash;		/* "-" */
};

int pcr_lval_parse(const char *s, size_t len, bool dash_ok, bool neg_ok,
		   struct pcr_lval *val);

/*
 * One text being parsed. Before the header (@seen_header false) every
 * error is fatal; after it, with @skip_bad, a malformed line is reported
 * on stderr, counted in @bad_lines and skipped: the rest of a
 * million-line listing is still worth showing, and the caller exits 1.
 */
struct pcr_parser {
	const char *name;	/* the file, for messages */
	unsigned int lineno;
	unsigned int bad_lines;
	bool seen_header;
	bool skip_bad;
	char *error;		/* the last problem, "line N: ..." */
	/* one line without its newline; the format's own state is around */
	int (*line)(struct pcr_parser *p, const char *line, size_t len);
	int (*finish)(struct pcr_parser *p);
};

__attribute__((format(printf, 3, 4)))
int pcr_parse_error(struct pcr_parser *p, int err, const char *fmt, ...);
int pcr_parse_line(struct pcr_parser *p, const char *line, size_t len);
int pcr_parse_read(struct pcr_parser *p, FILE *f);
int pcr_parse_text(struct pcr_parser *p, const char *text, size_t len);
void pcr_parser_free(struct pcr_parser *p);

/* A word of a record (a zone, a filesystem type) fits this buffer. */
#define PCR_WORD	32

/* "key=value" records: which keys, of what kind, stored where. */
enum {
	PCR_K_U64,		/* uint64_t */
	PCR_K_UINT,		/* unsigned int below 2^20 (a node) */
	PCR_K_COUNT,		/* struct pcr_lval, a count */
	PCR_K_COUNT_DASH,	/* a count or "-" */
	PCR_K_SIGNED,		/* a signed number */
	PCR_K_SIGNED_DASH,	/* a signed number or "-" */
	PCR_K_WORD,		/* char[PCR_WORD]: no blank, no '=' */
	PCR_K_DEV,		/* major then minor, two adjacent unsigned ints */
	PCR_K_ENUM,		/* int: the index of the value in names[] */
	PCR_K_PATH,		/* char *: an escaped absolute path, "-": NULL */
};

/* Or'ed into a kind: a key added within a format, older modules lack it. */
#define PCR_K_OPTIONAL	0x100

struct pcr_key {
	const char *key;
	int kind;
	size_t off;
	const char * const *names;	/* PCR_K_ENUM, NULL-terminated */
};

#define PCR_KEY(name, kind_, type, field) \
	{ .key = (name), .kind = (kind_), .off = offsetof(type, field) }
#define PCR_KEY_WORD(name, type, field) PCR_KEY(name, PCR_K_WORD, type, field)
#define PCR_KEY_ENUM(name, type, field, names_) \
	{ .key = (name), .kind = PCR_K_ENUM, .off = offsetof(type, field), \
	  .names = (names_) }
#define PCR_KEY_END	{ .key = NULL }

int pcr_kv_record(struct pcr_parser *p, void *rec, const char *s, size_t len,
		  const struct pcr_key *keys, const struct pcr_key *more);

int pcr_write_replace(const char *file, int (*put)(FILE *out, const void *arg),
		      const void *arg);

#endif /* PCR_RECORDS_H */
