// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the reader's parsing: canned module output (good,
 * malformed, unknown format, huge numbers, escaped paths) fed to
 * report.c, plus sizes, escapes and the version file. TAP output; exit
 * status 1 when any check failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "format_report.h"
#include "table.h"
#include "tests/tap.h"

static int parse(struct pcr_report *rep, const char *text)
{
	pcr_report_init(rep);
	return pcr_report_parse(rep, text, strlen(text));
}

static const char good[] =
	"format: 2\n"
	"path: /mnt/ext4/f\n"
	"dev: 254:0\n"
	"ino: 12\n"
	"fs: ext4\n"
	"type: regular\n"
	"size: 1048576\n"
	"deleted: 0\n"
	"page_size: 4096\n"
	"range: 0 255\n"
	"nrpages: 200\n"
	"query_bytes: 9000\n"
	"cached: 200\n"
	"dirty: 16\n"
	"writeback: 3\n"
	"evicted: 40\n"
	"evicted_workingset: 2\n"
	"swapped: 0\n"
	"order0.pages: 72\n"
	"order4.pages: 128\n"
	"node0.evicted: 30\n"
	"nodeunknown.evicted: 10\n"
	"detail: 1\n"
	"dirty_flag: 16\n"
	"mapped: 8\n"
	"lru: 190\n"
	"active: 50\n"
	"inactive: 130\n"
	"unevictable: 10\n"
	"referenced: 7\n"
	"workingset: 5\n"
	"mglru_age0: 0\n"
	"mglru_age1: 0\n"
	"mglru_age2: 0\n"
	"mglru_age3: 0\n"
	"node0.cached: 128\n"
	"node1.cached: 72\n"
	"memcg5.cached: 150\n"
	"memcg5.path: /system.slice/a\\040b.service\n"
	"memcgother.cached: 50\n"
	"entries: 60\n"
	"walk_ns: 12345\n";

static void test_good(void)
{
	struct pcr_report rep;
	int ret = parse(&rep, good);

	check(ret == 0, "good report parses (%d)", ret);
	check(rep.have & PCR_HAVE_DETAIL, "detail known");
	check(!strcmp(rep.path, "/mnt/ext4/f"), "path");
	check(!strcmp(rep.dev, "254:0") && rep.ino == 12 &&
	      !strcmp(rep.fs, "ext4") && !strcmp(rep.type, "regular"),
	      "dev, ino, fs, type");
	check(rep.size == 1048576 && rep.page_size == 4096 &&
	      rep.range_first == 0 && rep.range_last == 255 &&
	      rep.nrpages == 200, "size, page_size, range, nrpages");
	check(rep.cached == 200 && rep.dirty == 16 && rep.writeback == 3 &&
	      rep.evicted == 40 && rep.evicted_workingset == 2 &&
	      rep.swapped == 0, "counts");
	check(rep.order_pages[0] == 72 && rep.order_pages[4] == 128,
	      "order pages");
	check(rep.mapped == 8 && rep.lru == 190 && rep.active == 50 &&
	      rep.inactive == 130 && rep.unevictable == 10 &&
	      rep.referenced == 7 && rep.workingset == 5 &&
	      rep.dirty_flag == 16, "detail counts");
	check(rep.nr_nodes == 3, "three nodes (0, unknown, 1)");
	check(rep.nr_nodes == 3 && rep.nodes[0].id == 0 &&
	      rep.nodes[0].evicted == 30 && rep.nodes[0].cached == 128 &&
	      rep.nodes[1].id == -1 && rep.nodes[1].evicted == 10 &&
	      rep.nodes[2].id == 1 && rep.nodes[2].cached == 72,
	      "node counts");
	check(rep.nr_memcgs == 1 && rep.memcgs[0].id == 5 &&
	      rep.memcgs[0].cached == 150 && rep.memcgs[0].path &&
	      !strcmp(rep.memcgs[0].path, "/system.slice/a b.service") &&
	      rep.memcg_other == 50, "memcg counts and decoded path");
	check(!(rep.have & PCR_HAVE_MAP) && rep.nr_runs == 0, "no map");
	check(!strcmp(rep.source, "pcinspect"), "source pcinspect");
	pcr_report_free(&rep);
}

static void test_fast(void)
{
	struct pcr_report rep;
	int ret = parse(&rep, "format: 2\npath: /f\npage_size: 4096\n"
			"cached: 3\ndetail: 0\n");

	check(ret == 0 && !(rep.have & PCR_HAVE_DETAIL) &&
	      (rep.have & PCR_HAVE_CACHED), "detail: 0 leaves detail unknown");
	pcr_report_free(&rep);
}

static void test_unknown_keys(void)
{
	struct pcr_report rep;
	int ret = parse(&rep, "format: 2\npath: /f\npage_size: 4096\n"
			"future_key: anything at all\nnode0.future: 7\n"
			"order99.pages: 5\nmglru_age9: 1\nnewthing:\n"
			"cached: 5\n");

	check(ret == 0 && rep.cached == 5, "unknown keys are ignored (%d)",
	      ret);
	pcr_report_free(&rep);
}

static void test_huge(void)
{
	struct pcr_report rep;
	int ret;

	ret = parse(&rep, "format: 2\npath: /f\npage_size: 4096\n"
		    "cached: 18446744073709551615\n"
		    "size: 18446744073709551615\n"
		    "range: 0 18446744073709551615\n");
	check(ret == 0 && rep.cached == UINT64_MAX && rep.size == UINT64_MAX &&
	      rep.range_last == UINT64_MAX, "2^64-1 is read exactly");
	pcr_report_free(&rep);

	ret = parse(&rep, "format: 2\npath: /f\npage_size: 4096\n"
		    "cached: 18446744073709551616\n");
	check(ret == -ERANGE && rep.parse.error, "2^64 is rejected (%d: %s)", ret,
	      rep.parse.error ? rep.parse.error : "");
	pcr_report_free(&rep);

	ret = parse(&rep, "format: 2\npath: /f\npage_size: 4096\n"
		    "cached: 99999999999999999999999999\n");
	check(ret == -ERANGE, "a 26-digit number is rejected");
	pcr_report_free(&rep);
}

static void test_paths(void)
{
	struct pcr_report rep;
	int ret;

	ret = parse(&rep, "format: 2\n"
		    "path: /mnt/a\\040b\\012c\\134d\\011e\\040(deleted)\n"
		    "page_size: 4096\ndeleted: 1\n");
	check(ret == 0 && rep.path &&
	      !strcmp(rep.path, "/mnt/a b\nc\\d\te (deleted)") && rep.deleted,
	      "escaped path decoded");
	pcr_report_free(&rep);

	ret = parse(&rep, "format: 2\npath: /x\\04\\9\npage_size: 4096\n");
	check(ret == 0 && !strcmp(rep.path, "/x\\04\\9"),
	      "a backslash without three octal digits stays");
	pcr_report_free(&rep);
}

static const struct {
	const char *text;
	int err;
	const char *what;
} bad[] = {
	{ "", -EINVAL, "empty report" },
	{ "path: /f\nformat: 2\n", -EINVAL, "format not first" },
	{ "format: 5\npath: /f\npage_size: 4096\n", -EPROTONOSUPPORT,
	  "unknown format version" },
	{ "format: 10\n", -EPROTONOSUPPORT, "format 10" },
	{ "format: one\n", -EINVAL, "format not a number" },
	{ "format: 2\nformat: 2\n", -EINVAL, "format twice" },
	{ "format: 2\npath: /f\npage_size: 4096\nno colon here\n", -EINVAL,
	  "line without a colon" },
	{ "format: 2\npath: /f\npage_size: 4096\ncached:5\n", -EINVAL,
	  "no blank after the colon" },
	{ "format: 2\npath: /f\npage_size: 4096\ncached: 12x\n", -EINVAL,
	  "junk after a number" },
	{ "format: 2\npath: /f\npage_size: 4096\ncached: -1\n", -EINVAL,
	  "negative count" },
	{ "format: 2\npath: /f\npage_size: 4096\ncached:\x20\n", -EINVAL,
	  "empty count" },
	{ "format: 2\npath: /f\npage_size: 4096\ncached:  5\n", -EINVAL,
	  "two blanks" },
	{ "format: 2\npath: /f\npage_size: 4096\nCached: 5\n", -EINVAL,
	  "upper-case key" },
	{ "format: 2\npath: /f\npage_size: 4096\n: 5\n", -EINVAL,
	  "empty key" },
	{ "format: 2\npath: /f\npage_size: 4096\nrange: 5\n", -EINVAL,
	  "range with one number" },
	{ "format: 2\npath: /f\npage_size: 4096\ndeleted: 2\n", -EINVAL,
	  "deleted not 0/1" },
	{ "format: 2\npath: /f\npage_size: 4096\norder3.pages: x\n", -EINVAL,
	  "bad order value" },
	{ "format: 2\npath: /f\npage_size: 4096\nnode1.cached: 1 2\n", -EINVAL,
	  "bad node value" },
	{ "format: 2\npage_size: 4096\ncached: 1\n", -EINVAL, "no path" },
	{ "format: 2\npath: /f\ncached: 1\n", -EINVAL, "no page_size" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order extra\n", -EINVAL,
	  "map with an unknown column" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n0 1 cached - - 0\n",
	  -EINVAL, "map line with six columns" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n"
	  "0 1 cached - - 0 0 9\n", -EINVAL, "map line with eight columns" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n5 1 cached - - 0 0\n",
	  -EINVAL, "map run with last < first" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n0 1 cached - x 0 0\n",
	  -EINVAL, "map mapped column not m or -" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n0 1 cached - - -2 0\n",
	  -EINVAL, "map node -2" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n0  1 cached - - 0 0\n",
	  -EINVAL, "map line with a double blank" },
	{ "format: 2\npath: /f\npage_size: 4096\n"
	  "map: first last state lru mapped node order\n"
	  "0 1 cached - - 0 0\x20\n", -EINVAL, "map line with a trailing blank" },
};

static void test_bad(void)
{
	struct pcr_report rep;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ret = parse(&rep, bad[i].text);
		check(ret == bad[i].err, "rejected: %s (%d%s%s)", bad[i].what,
		      ret, rep.parse.error ? ": " : "", rep.parse.error ? rep.parse.error : "");
		pcr_report_free(&rep);
	}

	/* an embedded NUL cannot pass as the end of a line */
	pcr_report_init(&rep);
	ret = pcr_report_parse(&rep, "format: 2\npath: /f\0x\npage_size: 1\n",
			       31);
	check(ret == -EINVAL, "rejected: NUL byte in a line (%d)", ret);
	pcr_report_free(&rep);
}

static void test_map(void)
{
	struct pcr_report rep;
	int ret;

	ret = parse(&rep, "format: 2\npath: /f\npage_size: 4096\ncached: 9\n"
		    "map: first last state lru mapped node order\n"
		    "0 3 cached active m 0 2\n"
		    "4 7 hole - - -1 -1\n"
		    "8 8 dirty+writeback inactive - 1 0\n"
		    "9 18446744073709551615 evicted - - -1 9\n");
	check(ret == 0 && (rep.have & PCR_HAVE_MAP) && rep.nr_runs == 4,
	      "map parses (%d, %zu runs)", ret, rep.nr_runs);
	if (rep.nr_runs == 4) {
		check(rep.runs[0].first == 0 && rep.runs[0].last == 3 &&
		      !strcmp(rep.runs[0].state, "cached") &&
		      !strcmp(rep.runs[0].lru, "active") && rep.runs[0].mapped &&
		      rep.runs[0].node == 0 && rep.runs[0].order == 2,
		      "first run");
		check(!strcmp(rep.runs[1].state, "hole") &&
		      rep.runs[1].node == -1 && rep.runs[1].order == -1 &&
		      !rep.runs[1].mapped, "hole run");
		check(!strcmp(rep.runs[2].state, "dirty+writeback") &&
		      rep.runs[2].node == 1, "dirty+writeback run");
		check(rep.runs[3].last == UINT64_MAX, "huge page index");
	}
	pcr_report_free(&rep);
}

static void test_version(void)
{
	struct pcr_version ver;
	char err[256];
	int ret;

	ret = pcr_version_parse(&ver, "format: 2\nmodule: 0.1.0\n"
				"kernel: 6.12.9\nbuilt_for: 6.12.9\n"
				"page_size: 4096\nfeatures: memcg lru_gen\n"
				"later: key\n", err, sizeof(err));
	check(ret == 0 && ver.format == 2 && !strcmp(ver.module, "0.1.0") &&
	      ver.page_size == 4096 && !strcmp(ver.features, "memcg lru_gen"),
	      "version parses");
	ret = pcr_version_parse(&ver, "format: 2\nfeatures:\n", err,
				sizeof(err));
	check(ret == 0 && !ver.features[0], "empty features");
	ret = pcr_version_parse(&ver, "format: 3\nmodule: 9.0\n", err,
				sizeof(err));
	check(ret == 0 && ver.format == 3, "version format 3 read: %s", err);
	ret = pcr_version_parse(&ver, "format: 4\nmodule: 9.0\n", err,
				sizeof(err));
	check(ret == 0 && ver.format == 4, "version format 4 read: %s", err);
	ret = pcr_version_parse(&ver, "format: 5\nmodule: 9.0\n", err,
				sizeof(err));
	check(ret == -EPROTONOSUPPORT && strstr(err, "format 5"),
	      "version format 5 refused: %s", err);
	ret = pcr_version_parse(&ver, "", err, sizeof(err));
	check(ret == -EINVAL, "empty version refused");
	ret = pcr_version_parse(&ver, "module: 1\nformat: 2\n", err,
				sizeof(err));
	check(ret == -EINVAL, "version without format first refused");
}

static void test_numbers(void)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} sizes[] = {
		{ "0", 0, 0 }, { "4096", 0, 4096 }, { "4K", 0, 4096 },
		{ "4k", 0, 4096 }, { "4KiB", 0, 4096 }, { "1M", 0, 1 << 20 },
		{ "3G", 0, 3ULL << 30 }, { "2T", 0, 2ULL << 40 },
		{ "15E", 0, 15ULL << 60 }, { "16E", -ERANGE, 0 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551616", -ERANGE, 0 }, { "", -EINVAL, 0 },
		{ "K", -EINVAL, 0 }, { "1X", -EINVAL, 0 },
		{ "1KX", -EINVAL, 0 }, { "-1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
	};
	char *e, *u;
	size_t i;
	uint64_t v;
	int ret;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		v = 0;
		ret = pcr_parse_size(sizes[i].s, &v);
		check(ret == sizes[i].err && (ret || v == sizes[i].v),
		      "size \"%s\" (%d)", sizes[i].s, ret);
	}
	e = pcr_escape("/a b\nc\\d\te\x7f");
	check(e && !strcmp(e, "/a\\040b\\012c\\134d\\011e\\177"), "escape: %s",
	      e ? e : "");
	u = e ? pcr_unescape(e, strlen(e)) : NULL;
	check(u && !strcmp(u, "/a b\nc\\d\te\x7f"), "unescape(escape(s)) == s");
	free(e);
	free(u);
}

static void test_human(void)
{
	static const struct {
		uint64_t b;
		const char *s;
	} h[] = {
		{ 0, "0B" }, { 1023, "1023B" }, { 4096, "4K" },
		{ 1536, "1.5K" }, { 1572864, "1.5M" }, { 10 << 20, "10M" },
		{ (10 << 20) + (1 << 19), "10.5M" }, { 1048575, "1024K" },
		{ UINT64_MAX, "16E" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(h); i++) {
		pcr_human_size(h[i].b, buf, sizeof(buf));
		check(!strcmp(buf, h[i].s), "human %llu -> %s (%s)",
		      (unsigned long long)h[i].b, h[i].s, buf);
	}
}

/* What "pcinspect file" prints for @row with @o, as a string to free. */
static char *printed(const struct pcr_out *o, struct pcr_frow *row, bool map)
{
	FILE *saved = stdout, *mem;
	char *buf = NULL;
	size_t len;
	int ret;

	fflush(stdout);
	mem = open_memstream(&buf, &len);
	if (!mem)
		return NULL;
	stdout = mem;	/* libsmartcols writes to the stdout of its tables */
	ret = pcr_file_print(o, row, 1, map);
	stdout = saved;
	fclose(mem);
	if (ret) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* JSON of the page map: real booleans, null for no LRU list. */
static void test_json_map(void)
{
	struct pcr_out o = { .json = true, .bytes = true };
	struct pcr_frow row = { .arg = "/f" };
	char *out;
	int ret;

	ret = parse(&row.rep,
		    "format: 2\npath: /f\npage_size: 4096\ncached: 4\n"
		    "map: first last state lru mapped node order\n"
		    "0 3 cached active m 0 2\n"
		    "4 7 hole - - -1 -1\n");
	check(ret == 0, "map for JSON parses (%d)", ret);
	if (ret)
		return;
	out = printed(&o, &row, true);
	check(out && strstr(out, "\"mapped\": true") &&
	      strstr(out, "\"mapped\": false"),
	      "JSON map: mapped true for the mapped run, false for the hole");
	check(out && strstr(out, "\"lru\": \"active\"") &&
	      strstr(out, "\"lru\": null"), "JSON map: no LRU list is null");
	free(out);
	pcr_report_free(&row.rep);
}

/* JSON of a deleted file: the path itself, and a boolean that says so. */
static void test_json_deleted(void)
{
	struct pcr_out o = { .json = true, .bytes = true };
	struct pcr_frow row = { .arg = "/d/x" };
	char *out;
	int ret;

	ret = parse(&row.rep,
		    "format: 2\npath: /d/x\\040(deleted)\ndeleted: 1\n"
		    "page_size: 4096\ncached: 4\ndetail: 1\n"
		    "map: first last state lru mapped node order\n"
		    "0 3 cached active m 0 2\n");
	check(ret == 0, "deleted report parses (%d)", ret);
	if (ret)
		return;
	out = printed(&o, &row, false);
	check(out && strstr(out, "\"path\": \"/d/x\",") &&
	      strstr(out, "\"deleted\": true"),
	      "JSON path without (deleted), deleted a boolean");
	free(out);
	out = printed(&o, &row, true);
	check(out && strstr(out, "\"path\": \"/d/x\","),
	      "JSON map: the path itself");
	free(out);
	o.json = false;
	o.list = "DELETED,PATH";
	out = printed(&o, &row, false);
	check(out && strstr(out, "      1 /d/x (deleted)\n"),
	      "table: DELETED 1, PATH marked as the module gives it (%s)",
	      out ? out : "");
	free(out);
	pcr_report_free(&row.rep);
}

/*
 * JSON lists: objects (node, order, age -> pages) and an array of memcgs,
 * never one string packed with ':' and ',' (a cgroup name may hold both).
 */
static void test_json_lists(void)
{
	static const char * const memcgs[] = {
		"\"memcgs\": [{\"memcg\": \"/job:7,retry\", \"pages\": 5, \"dying\": false}, ",
		"{\"memcg\": \"/\\\"q\\\"\", \"pages\": 2, \"dying\": true}, ",
		"{\"memcg\": null, \"pages\": 1, \"dying\": false}],",
	};
	struct pcr_out o = { .json = true, .bytes = true };
	struct pcr_frow row = { .arg = "/f" };
	char *out;
	int ret;

	ret = parse(&row.rep,
		    "format: 2\npath: /f\npage_size: 4096\ncached: 8\n"
		    "detail: 1\norder0.pages: 4\norder9.pages: 4\n"
		    "node0.cached: 3\nnode2.cached: 5\n"
		    "memcg7.cached: 5\nmemcg7.path: /job:7,retry\n"
		    "memcg8.cached: 2\nmemcg8.path: /\"q\"\n"
		    "memcg8.state: dying\nmemcgother.cached: 1\n"
		    "mglru_age1: 6\n");
	check(ret == 0, "report with lists parses (%d)", ret);
	if (ret)
		return;
	out = printed(&o, &row, false);
	check(out && strstr(out, "\"nodes\": {\"0\": 3, \"2\": 5},"),
	      "JSON nodes: an object");
	check(out && strstr(out, "\"orders\": {\"0\": 4, \"9\": 4},"),
	      "JSON orders: an object");
	check(out && strstr(out, "\"mglru\": {\"1\": 6},"),
	      "JSON mglru: an object");
	check(out && strstr(out, memcgs[0]) && strstr(out, memcgs[1]) &&
	      strstr(out, memcgs[2]),
	      "JSON memcgs: an array of objects, names with : , and \" intact");
	free(out);
	o.json = false;
	o.raw = true;
	o.noheadings = true;
	o.list = "NODES,ORDERS,MGLRU";
	out = printed(&o, &row, false);
	check(out && !strcmp(out, "0:3,2:5 0:4,9:4 1:6\n"),
	      "tables: the lists as before (%s)", out ? out : "");
	free(out);
	pcr_report_free(&row.rep);
}

int main(void)
{
	printf("TAP version 13\n");
	test_good();
	test_fast();
	test_unknown_keys();
	test_huge();
	test_paths();
	test_bad();
	test_map();
	test_version();
	test_numbers();
	test_human();
	test_json_map();
	test_json_deleted();
	test_json_lists();
	return tap_done();
}
