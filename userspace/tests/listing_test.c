// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the system-wide listing: the "files" format (good,
 * malformed, unknown version, huge numbers, escaped paths, "#" lines),
 * joining with a fixture mountinfo, PATH for every kind of entry, the
 * reader's selection (fs, dev, min, prefix), sorting, top and the
 * listing's snapshot/diff. Fixtures in the directory given as argv[1].
 * TAP output; exit status 1 when any check failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "format_listing.h"
#include "source.h"
#include "tests/tap.h"

static const char *fixtures;

static char *fixture(const char *name)
{
	char *p;

	if (asprintf(&p, "%s/%s", fixtures, name) < 0)
		exit(1);
	return p;
}

static int load_fixture(struct pcr_listing *l)
{
	char *file = fixture("files.txt");
	FILE *f = fopen(file, "r");
	int ret;

	pcr_listing_init(l);
	if (!f) {
		free(file);
		return -errno;
	}
	ret = pcr_listing_read(l, f, file);
	fclose(f);
	free(file);
	return ret;
}

static int load_mounts(struct pcr_mounts *ms)
{
	char *file = fixture("mountinfo");
	int ret = pcr_load_mounts(ms, file);

	free(file);
	return ret;
}

static const char header[] =
	"# pcinspect files format 2: fs dev ino id cached dirty writeback name path\n";
#define WALK_KEYS "types=1 superblocks=1 visited=1 listed=1 skipped=0 " \
	"filtered=0 unlisted=0 walk_ns=1 bytes=1"
static const char walk[] = "# walk " WALK_KEYS "\n";

/* The format ------------------------------------------------------------- */

static void test_fixture(void)
{
	struct pcr_listing l;
	int ret = load_fixture(&l);

	check(ret == 0 && l.parse.bad_lines == 0, "fixture parses (%d, %u bad)", ret,
	      l.parse.bad_lines);
	check(l.n == 10, "10 inode lines (%zu)", l.n);
	check(l.nt == 5, "5 total lines, the unknown # line ignored (%zu)",
	      l.nt);
	check(l.walk.seen && l.walk.types == 26 && l.walk.visited == 11523 &&
	      l.walk.listed == 10 && l.walk.walk_ns == 1196209 &&
	      l.walk.bytes == 991110, "walk line");
	if (l.n == 10) {
		check(!strcmp(l.e[0].fs, "ext4") && l.e[0].major == 254 &&
		      l.e[0].minor == 0 && l.e[0].ino == 12 &&
		      l.e[0].cached == 37 && l.e[0].dirty == 2 &&
		      l.e[0].writeback == 1 && l.e[0].name == PCR_FNAME_PATH,
		      "first line's columns");
		check(!strcmp(l.e[0].fspath, "/dir/closed file"),
		      "\\040 decoded to a space");
		check(!strcmp(l.e[2].fspath, "/srv/data/a\nb"),
		      "\\012 decoded to a newline");
		check(!strcmp(l.e[5].fspath, "/shm\\x"),
		      "\\134 decoded to a backslash");
		check(l.e[1].name == PCR_FNAME_DELETED &&
		      l.e[4].name == PCR_FNAME_DISCONNECTED &&
		      l.e[7].name == PCR_FNAME_NONE && !l.e[7].fspath,
		      "name kinds, none without a path");
	}
	if (l.nt == 5)
		check(!strcmp(l.t[2].fs, "tmpfs") && l.t[2].major == 0 &&
		      l.t[2].minor == 45 && l.t[2].inodes == 1 &&
		      l.t[2].cached == 64, "total line, unknown key ignored");
	pcr_listing_free(&l);
}

static int parse_text(struct pcr_listing *l, const char *text)
{
	pcr_listing_init(l);
	return pcr_listing_parse(l, text, strlen(text), "test");
}

static void test_header(void)
{
	static const struct {
		const char *text;
		int err;
		const char *what;
	} hdr[] = {
		{ "", -EINVAL, "empty listing" },
		{ "ext4 254:0 12 0123456789abcdef 37 0 0 path /f\n", -EINVAL, "no header" },
		{ "# pcinspect files format 5: " PCR_FILES_COLUMNS "\n",
		  -EPROTONOSUPPORT, "format 5" },
		{ "# pcinspect files format 10: x\n", -EPROTONOSUPPORT,
		  "format 10, other columns" },
		{ "# pcinspect files format one: fs\n", -EINVAL,
		  "format not a number" },
		{ "# pcinspect files format 2: " PCR_FILES_COLUMNS_3 " extra\n",
		  -EINVAL, "an extra column in format 2" },
		{ "# pcinspect files format 2: " PCR_FILES_COLUMNS "\n",
		  -EINVAL, "format 4's size column in format 2" },
		{ "# pcinspect files format 4: " PCR_FILES_COLUMNS_3 "\n",
		  -EINVAL, "format 4 without its size column" },
		{ "# pcinspect files format 2: fs dev ino id cached dirty name path\n",
		  -EINVAL, "a column missing" },
		{ "format: 2\n", -EINVAL, "a per-file report" },
	};
	struct pcr_listing l;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hdr); i++) {
		ret = parse_text(&l, hdr[i].text);
		check(ret == hdr[i].err && !l.parse.seen_header,
		      "header refused: %s (%d: %s)", hdr[i].what, ret,
		      l.parse.error ? l.parse.error : "");
		if (hdr[i].err == -EPROTONOSUPPORT)
			check(l.parse.error && strstr(l.parse.error, "unsupported files format"),
			      "the message names the format: %s",
			      l.parse.error ? l.parse.error : "");
		pcr_listing_free(&l);
	}
	/* Formats 2 and 3 have the same columns: both read, no size. */
	ret = parse_text(&l, "# pcinspect files format 3: " PCR_FILES_COLUMNS_3 "\n"
			 "ext4 254:0 12 0123456789abcdef 37 0 0 path /f\n"
			 "# walk " WALK_KEYS "\n");
	check(ret == 0 && l.parse.seen_header && l.n == 1 &&
	      !l.e[0].has_size, "format 3 read, without a size (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_listing_free(&l);
	/* Format 4: the size column before name and path. */
	ret = parse_text(&l, "# pcinspect files format 4: " PCR_FILES_COLUMNS "\n"
			 "ext4 254:0 12 0123456789abcdef 37 1 2 151552 reg path /f\n"
			 "bdev 8:0 9 0123456789abcdee 4 0 0 1073741824 blk none -\n"
			 "# walk " WALK_KEYS "\n");
	check(ret == 0 && l.n == 2 && l.e[0].has_size &&
	      l.e[0].size == 151552 && l.e[0].cached == 37 &&
	      l.e[0].dirty == 1 && l.e[0].writeback == 2 &&
	      l.e[0].name == PCR_FNAME_PATH && !strcmp(l.e[0].fspath, "/f") &&
	      !strcmp(l.e[0].type, "reg") && l.e[1].size == 1073741824 &&
	      !strcmp(l.e[1].type, "blk") && l.e[1].name == PCR_FNAME_NONE,
	      "format 4 read, with sizes and types (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_listing_free(&l);
	/* In format 4 a line of format 3's nine fields is malformed. */
	pcr_listing_init(&l);
	pcr_parse_line(&l.parse, "# pcinspect files format 4: " PCR_FILES_COLUMNS,
		       strlen("# pcinspect files format 4: " PCR_FILES_COLUMNS));
	ret = pcr_parse_line(&l.parse, "ext4 254:0 12 0123456789abcdef 37 0 0 path /f",
			     strlen("ext4 254:0 12 0123456789abcdef 37 0 0 path /f"));
	check(ret == -EINVAL && l.n == 0, "format 4: nine fields refused");
	pcr_listing_free(&l);
}

static const struct {
	const char *line;
	int err;
	const char *what;
} bad_lines[] = {
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 path", -EINVAL, "8 fields" },
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 path /a b", -EINVAL, "10 fields" },
	{ "ext4  254:0 12 0123456789abcdef 37 0 0 path /f", -EINVAL, "a double blank" },
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 path /f ", -EINVAL, "a trailing blank" },
	{ "ext4 254-0 12 0123456789abcdef 37 0 0 path /f", -EINVAL, "dev without a colon" },
	{ "ext4 4096:0 12 0123456789abcdef 37 0 0 path /f", -EINVAL, "major beyond 12 bits" },
	{ "ext4 8:1048576 12 0123456789abcdef 37 0 0 path /f", -EINVAL,
	  "minor beyond 20 bits" },
	{ "ext4 254:0 x 0123456789abcdef 37 0 0 path /f", -EINVAL, "ino not a number" },
	{ "ext4 254:0 12 0123456789abcde 37 0 0 path /f", -EINVAL,
	  "id of 15 digits" },
	{ "ext4 254:0 12 0123456789ABCDEF 37 0 0 path /f", -EINVAL,
	  "id in capitals" },
	{ "ext4 254:0 12 0123456789abcdeg 37 0 0 path /f", -EINVAL,
	  "id not hex" },
	{ "ext4 254:0 12 0123456789abcdef -1 0 0 path /f", -EINVAL, "a negative count" },
	{ "ext4 254:0 12 0123456789abcdef 18446744073709551616 0 0 path /f", -ERANGE,
	  "cached 2^64" },
	{ "ext4 254:0 12 0123456789abcdef 99999999999999999999999 0 0 path /f", -ERANGE,
	  "a 23-digit count" },
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 gone /f", -EINVAL, "unknown name kind" },
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 none /f", -EINVAL, "none with a path" },
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 path -", -EINVAL, "path with no path" },
	{ "ext4 254:0 12 0123456789abcdef 37 0 0 path f", -EINVAL, "a relative path" },
	{ "fs=x 254:0 12 0123456789abcdef 37 0 0 path /f", -EINVAL, "fs with =" },
	{ "averyveryveryverylongfilesystemtypename 1:2 3 0123456789abcdef 4 5 6 path /f",
	  -EINVAL, "fs name too long" },
	{ "# total fs=ext4 inodes=1 cached=1 dirty=0 writeback=0", -EINVAL,
	  "total without dev" },
	{ "# total fs=ext4 dev=8:1 inodes=1 cached=x dirty=0 writeback=0",
	  -EINVAL, "total with a bad number" },
	{ "# total fs=ext4 dev=8:1 inodes=1 cached=1 dirty=0", -EINVAL,
	  "total without writeback" },
	{ "# total fs=ext4 dev=8:1 inodes cached=1 dirty=0 writeback=0",
	  -EINVAL, "total with a key without =" },
	{ "# walk types=1", -EINVAL, "walk with keys missing" },
	{ "# pcinspect files format 2: fs dev ino id cached dirty writeback name path",
	  -EINVAL, "a second header" },
};

static void test_bad_lines(void)
{
	struct pcr_listing l;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		pcr_listing_init(&l);
		pcr_parse_line(&l.parse, header, strlen(header) - 1);
		ret = pcr_parse_line(&l.parse, bad_lines[i].line,
				     strlen(bad_lines[i].line));
		check(ret == bad_lines[i].err && l.n == 0 && l.nt == 0 &&
		      !l.walk.seen, "line refused: %s (%d: %s)",
		      bad_lines[i].what, ret, l.parse.error ? l.parse.error : "");
		pcr_listing_free(&l);
	}

	/* a NUL inside a line cannot pass for its end */
	pcr_listing_init(&l);
	pcr_parse_line(&l.parse, header, strlen(header) - 1);
	ret = pcr_parse_line(&l.parse, "ext4 1:2 3 0123456789abcdef 4 5 6 path /a\0b", 43);
	check(ret == -EINVAL && l.n == 0, "line with a NUL refused");
	pcr_listing_free(&l);
}

static void test_partial(void)
{
	struct pcr_listing l;
	char *text;
	int ret;

	/* a bad line is skipped, the others kept */
	if (asprintf(&text, "%s%s%s%s%s", header,
		     "ext4 8:1 5 0123456789abcdef 10 0 0 path /a\n",
		     "ext4 8:1 6 0123456789abcdef what 0 0 path /b\n",
		     "ext4 8:1 7 0123456789abcdef 18446744073709551615 0 0 path /c\n",
		     walk) < 0)
		exit(1);
	ret = parse_text(&l, text);
	check(ret == 0 && l.parse.bad_lines == 1 && l.n == 2,
	      "bad line skipped, the rest parsed (%d, %u bad, %zu)", ret,
	      l.parse.bad_lines, l.n);
	check(l.n == 2 && l.e[1].cached == UINT64_MAX,
	      "2^64 - 1 pages read exactly");
	pcr_listing_free(&l);
	free(text);

	/* without the walk line the listing was cut short */
	ret = parse_text(&l, header);
	check(ret == -EINVAL && l.parse.error && strstr(l.parse.error, "truncated"),
	      "no walk line: truncated (%s)", l.parse.error ? l.parse.error : "");
	pcr_listing_free(&l);

	/* nothing may follow the walk line */
	if (asprintf(&text, "%s%s%s", header, walk,
		     "ext4 8:1 5 0123456789abcdef 10 0 0 path /a\n") < 0)
		exit(1);
	ret = parse_text(&l, text);
	check(ret == 0 && l.parse.bad_lines == 1 && l.n == 0,
	      "a line after the walk line is refused");
	pcr_listing_free(&l);
	free(text);

	/* unknown # lines and unknown walk keys are fine */
	if (asprintf(&text, "%s# later: something new\n%s", header,
		     "# walk " WALK_KEYS " newkey=7\n") < 0)
		exit(1);
	ret = parse_text(&l, text);
	check(ret == 0 && l.parse.bad_lines == 0 && l.walk.seen,
	      "unknown # line and walk key ignored (%d)", ret);
	pcr_listing_free(&l);
	free(text);
}

/* mountinfo -------------------------------------------------------------- */

static void resolve_is(const struct pcr_mounts *ms, unsigned int ma,
		       unsigned int mi, const char *path, const char *want)
{
	char *full = NULL, *p = pcr_escape(path), *f;
	int ret = pcr_mounts_resolve(ms, ma, mi, path, &full);

	/* escaped in the message: a newline would break the TAP line */
	f = pcr_escape(full ? full : "none");
	if (want)
		check(ret == 0 && full && !strcmp(full, want),
		      "%u:%u %s resolved (%s)", ma, mi, p, f);
	else
		check(ret == -ENOENT && !full, "%u:%u %s: not mounted (%s)",
		      ma, mi, p, f);
	free(full);
	free(p);
	free(f);
}

static void test_mountinfo(void)
{
	struct pcr_mounts ms;
	char *u;
	int ret = load_mounts(&ms);

	check(ret == 0 && ms.n == 6 && ms.bad_lines == 1,
	      "fixture mountinfo: 6 mounts, 1 bad line (%d, %zu, %u)", ret,
	      ms.n, ms.bad_lines);
	check(ms.n > 2 && !strcmp(ms.m[2].mnt, "/mnt/my data") &&
	      !strcmp(ms.m[2].root, "/srv/data"),
	      "mount point \\040 decoded");
	resolve_is(&ms, 254, 0, "/var/log/syslog", "/var/log/syslog");
	resolve_is(&ms, 254, 0, "/srv/data/a\nb", "/mnt/my data/a\nb");
	resolve_is(&ms, 254, 0, "/srv/other", "/mnt/srv/other");
	resolve_is(&ms, 254, 0, "/srv/dataX/f", "/mnt/x/f");
	resolve_is(&ms, 254, 0, "/srv/datax", "/mnt/srv/datax");
	resolve_is(&ms, 254, 0, "/srv", "/mnt/srv");
	resolve_is(&ms, 254, 0, "/srv/data", "/mnt/my data");
	resolve_is(&ms, 0, 45, "/shm\\x", "/dev/shm/shm\\x");
	resolve_is(&ms, 9, 9, "/sub/f", "/mnt/sub/f");
	resolve_is(&ms, 9, 9, "/other/f", NULL);
	resolve_is(&ms, 9, 9, "/subx", NULL);
	resolve_is(&ms, 8, 16, "/x", NULL);
	resolve_is(&ms, 45, 0, "/shm\\x", NULL);
	pcr_mounts_free(&ms);

	u = pcr_uevent_devname("MAJOR=254\nMINOR=0\nDEVNAME=vda\nDEVTYPE=disk\n");
	check(u && !strcmp(u, "/dev/vda"), "uevent DEVNAME -> /dev/vda (%s)",
	      u ? u : "none");
	free(u);
	u = pcr_uevent_devname("DEVNAME=mapper/x");
	check(u && !strcmp(u, "/dev/mapper/x"), "uevent without a newline");
	free(u);
	u = pcr_uevent_devname("MAJOR=1\nDEVNAME=\n");
	check(!u, "empty DEVNAME: no name");
	free(u);
	u = pcr_uevent_devname("MAJOR=1\nXDEVNAME=x\n");
	check(!u, "no DEVNAME line: no name");
	free(u);
}

/* Paths, selection, order ------------------------------------------------ */

static int resolved(struct pcr_listing *l)
{
	struct pcr_mounts ms;
	char *sys = fixture("sys");
	size_t i;
	int ret = load_fixture(l);

	ret = ret ? ret : load_mounts(&ms);
	setenv("PCINSPECT_SYSFS", sys, 1);
	for (i = 0; !ret && i < l->n; i++)
		ret = pcr_fentry_paths(&l->e[i], &ms, true);
	if (!ret)
		pcr_mounts_free(&ms);
	free(sys);
	return ret;
}

static const struct pcr_fentry *by_ino(const struct pcr_listing *l,
				       uint64_t ino)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->e[i].ino == ino)
			return &l->e[i];
	return NULL;
}

static void path_is(const struct pcr_listing *l, uint64_t ino,
		    const char *path, const char *full)
{
	const struct pcr_fentry *e = by_ino(l, ino);

	char *got = pcr_escape(e && e->path ? e->path : "none");

	check(e && e->path && !strcmp(e->path, path) &&
	      (full ? e->full && !strcmp(e->full, full) : !e->full),
	      "PATH of ino %llu (%s)", (unsigned long long)ino, got);
	free(got);
}

static void test_paths(void)
{
	struct pcr_listing l;
	int ret = resolved(&l);

	check(ret == 0, "fixture resolved (%d)", ret);
	path_is(&l, 12, "/dir/closed file", "/dir/closed file");
	path_is(&l, 13, "/dir/deleted (deleted)", "/dir/deleted");
	path_is(&l, 14, "/mnt/my data/a\nb", "/mnt/my data/a\nb");
	path_is(&l, 5, "[0:1]/memfd:foo", NULL);
	path_is(&l, 7, "/dev/shm/shm\\x", "/dev/shm/shm\\x");
	path_is(&l, 99, "[8:16]/unmounted/file", NULL);
	path_is(&l, 16, "[254:0] ino 16", NULL);
	path_is(&l, 266338353, "/dev/loop0", "/dev/loop0");
	path_is(&l, 266338352, "[254:48] ino 266338352", NULL);
	pcr_listing_free(&l);

	check(pcr_prefix_match("/a/b", "/a"), "/a holds /a/b");
	check(pcr_prefix_match("/a", "/a"), "/a holds /a");
	check(pcr_prefix_match("/a/b", "/a/"), "/a/ holds /a/b");
	check(!pcr_prefix_match("/ab", "/a"), "/a does not hold /ab");
	check(pcr_prefix_match("/x", "/"), "/ holds everything");
	check(!pcr_prefix_match(NULL, "/"), "an unreachable path matches nothing");
}

static size_t count_selected(const struct pcr_fsel *sel)
{
	struct pcr_listing l;
	size_t n;

	if (resolved(&l))
		return (size_t)-1;
	pcr_listing_select(&l, sel);
	n = l.n;
	pcr_listing_free(&l);
	return n;
}

static void test_select(void)
{
	struct pcr_fsel sel;
	struct pcr_listing l;
	size_t n;

	memset(&sel, 0, sizeof(sel));
	sel.fs = "ext4";
	n = count_selected(&sel);
	check(n == 5, "fs ext4: 5 (%zu)", n);
	memset(&sel, 0, sizeof(sel));
	sel.dev_set = true;
	sel.major = 254;
	sel.minor = 48;
	n = count_selected(&sel);
	check(n == 1, "dev 254:48: the block device (%zu)", n);
	memset(&sel, 0, sizeof(sel));
	sel.min = 37;
	n = count_selected(&sel);
	check(n == 4, "min 37: 4 (%zu)", n);
	memset(&sel, 0, sizeof(sel));
	sel.prefix = "/mnt";
	n = count_selected(&sel);
	check(n == 1, "prefix /mnt: 1 (%zu)", n);
	sel.prefix = "/dir";
	n = count_selected(&sel);
	check(n == 2, "prefix /dir: 2, the deleted one too (%zu)", n);
	sel.prefix = "/";
	n = count_selected(&sel);
	check(n == 6, "prefix /: the 6 reachable ones (%zu)", n);

	/* totals as the module would have given them for dev=254:48 */
	memset(&sel, 0, sizeof(sel));
	sel.dev_set = true;
	sel.major = 254;
	sel.minor = 48;
	if (resolved(&l))
		return;
	pcr_listing_select_totals(&l, &sel);
	check(l.nt == 1 && !strcmp(l.t[0].fs, "bdev") && l.t[0].major == 254 &&
	      l.t[0].minor == 48 && l.t[0].inodes == 1 && l.t[0].cached == 64,
	      "bdev total made again for one device");
	pcr_listing_free(&l);
	sel.major = 254;
	sel.minor = 0;
	sel.fs = "ext4";
	if (resolved(&l))
		return;
	pcr_listing_select_totals(&l, &sel);
	check(l.nt == 1 && !strcmp(l.t[0].fs, "ext4") && l.t[0].cached == 963,
	      "ext4 254:0: its 0123456789abcdef own total only");
	pcr_listing_free(&l);
}

static void test_sort(void)
{
	struct pcr_listing l;
	size_t i;
	bool ok = true;

	if (resolved(&l))
		return;
	pcr_listing_sort(&l, FCOL_CACHED);
	for (i = 1; i < l.n; i++)
		ok &= l.e[i - 1].cached >= l.e[i].cached;
	check(ok && l.n && l.e[0].ino == 15, "CACHED: most first");
	check(l.n > 2 && l.e[1].ino == 7 && l.e[2].ino == 266338352,
	      "a tie ordered by dev (0:45 before 254:48)");
	pcr_listing_sort(&l, FCOL_INO);
	for (i = 1, ok = true; i < l.n; i++)
		ok &= l.e[i - 1].ino <= l.e[i].ino;
	check(ok, "INO: ascending");
	pcr_listing_sort(&l, FCOL_PATH);
	for (i = 1, ok = true; i < l.n; i++)
		ok &= strcmp(l.e[i - 1].path, l.e[i].path) <= 0;
	check(ok, "PATH: ascending");
	pcr_listing_sort(&l, FCOL_DIRTY);
	check(l.n && l.e[0].ino == 99, "DIRTY: the dirtiest first");
	pcr_listing_sort(&l, FCOL_CACHED);
	pcr_listing_top(&l, 3);
	check(l.n == 3 && l.e[0].ino == 15, "top 3 after the sort");
	pcr_listing_top(&l, 0);
	check(l.n == 3, "top 0 keeps everything");
	pcr_listing_free(&l);
}

static void test_snapshot(void)
{
	char file[] = "/tmp/pcinspect-listing-test.XXXXXX";
	struct pcr_listing l;
	char err[256] = "";
	const struct pcr_fentry *e;
	size_t i;
	int fd, ret;

	fd = mkstemp(file);
	if (fd < 0 || resolved(&l)) {
		check(false, "snapshot set-up");
		return;
	}
	close(fd);
	ret = pcr_fsnap_save(file, &l, 4096);
	check(ret == 0, "snapshot saved (%d)", ret);
	pcr_listing_free(&l);

	/* now: ino 15 grew, ino 12 left, a new ino 50 */
	resolved(&l);
	for (i = 0; i < l.n; i++)
		if (l.e[i].ino == 15)
			l.e[i].cached = 1000;
	for (i = 0; i < l.n; i++)
		if (l.e[i].ino == 12)
			l.e[i].ino = 50;
	ret = pcr_fsnap_diff(file, &l, 4096, err, sizeof(err));
	check(ret == 0 && l.n == 11, "diff (%d %s, %zu entries)", ret, err,
	      l.n);
	e = by_ino(&l, 15);
	check(e && e->change == PCR_FCHG_CHANGED && e->old_cached == 900 &&
	      e->cached == 1000, "grown: changed, +100 pages");
	e = by_ino(&l, 50);
	check(e && e->change == PCR_FCHG_NEW, "new inode: new");
	e = by_ino(&l, 12);
	check(e && e->change == PCR_FCHG_GONE && e->cached == 0 &&
	      e->old_cached == 37 && !strcmp(e->path, "/dir/closed file") &&
	      e->full && !strcmp(e->full, "/dir/closed file"),
	      "gone: old counts, path and full path kept");
	e = by_ino(&l, 13);
	check(e && e->change == PCR_FCHG_SAME, "untouched: same");
	e = by_ino(&l, 266338352);
	check(e && e->change == PCR_FCHG_SAME,
	      "matched by dev and ino, not path");
	pcr_listing_drop_same(&l);
	check(l.n == 3, "drop_same leaves the 3 changes (%zu)", l.n);
	pcr_listing_sort(&l, FCOL_DCACHED);
	check(l.n == 3 && l.e[0].ino == 15 && l.e[1].ino == 12,
	      "DCACHED: largest change first, either sign");
	pcr_listing_free(&l);

	resolved(&l);
	ret = pcr_fsnap_diff(file, &l, 65536, err, sizeof(err));
	check(ret == -EINVAL && strstr(err, "4096-byte pages"),
	      "another page size refused: %s", err);
	pcr_listing_free(&l);
	resolved(&l);
	ret = pcr_fsnap_diff(fixtures, &l, 4096, err, sizeof(err));
	check(ret != 0, "a directory is no snapshot: %s", err);
	pcr_listing_free(&l);
	unlink(file);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: listing_test FIXTURE_DIR\n");
		return 2;
	}
	fixtures = argv[1];
	printf("TAP version 13\n");
	test_fixture();
	test_header();
	test_bad_lines();
	test_partial();
	test_mountinfo();
	test_paths();
	test_select();
	test_sort();
	test_snapshot();
	return tap_done();
}
