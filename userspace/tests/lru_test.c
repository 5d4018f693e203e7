// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of "pcinspect lru": the lru and lru-files formats (the
 * fixtures lru.txt and lru-files.txt: escaped cgroup paths, unevictable
 * walked=-, generations out of range, 2^64 - 1, negative differences,
 * unknown keys, records and comments), malformed lines reported and
 * skipped, unknown formats refused, truncated output, and --files' order,
 * top and names joined with the fixture files listing and mountinfo.
 * Fixtures in the directory given as argv[1]. TAP output; exit status 1
 * when any check failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "format_lru.h"
#include "source.h"
#include "tests/tap.h"

static const char *fixtures;

static int load(struct pcr_lru *l, const char *name, bool files)
{
	char *file;
	FILE *f;
	int ret;

	pcr_lru_init(l, files);
	if (asprintf(&file, "%s/%s", fixtures, name) < 0)
		exit(1);
	f = fopen(file, "r");
	if (!f) {
		free(file);
		return -errno;
	}
	ret = pcr_lru_read(l, f, file);
	fclose(f);
	free(file);
	return ret;
}

static bool lval_is(const struct pcr_lval *v, bool neg, uint64_t mag)
{
	return !v->dash && v->neg == neg && v->v == mag;
}

static void test_lru_fixture(void)
{
	struct pcr_lru l;
	int ret = load(&l, "lru.txt", false);
	const struct pcr_lzone *z;
	const struct pcr_lruvec *v;
	const struct pcr_lgen *g;

	check(ret == 0 && l.parse.bad_lines == 0, "lru.txt parses (%d, %u bad)", ret,
	      l.parse.bad_lines);
	check(l.nzone == 10 && l.nvec == 4 && l.nlrugen == 2 && l.ngen == 3,
	      "10 zone, 4 lruvec, 2 lrugen, 3 gen records (%zu %zu %zu %zu)",
	      l.nzone, l.nvec, l.nlrugen, l.ngen);
	check(l.unknown == 1, "a record of an unknown kind ignored, counted (%u)",
	      l.unknown);
	if (l.nzone == 10) {
		z = &l.zone[1];
		check(z->node == 0 && !strcmp(z->zone, "DMA32") &&
		      z->list == PCR_LRU_ACTIVE_ANON && z->from == PCR_LFROM_LISTS &&
		      lval_is(&z->walked, false, 800) &&
		      lval_is(&z->counter, false, 801) &&
		      lval_is(&z->diff, true, 1) &&
		      lval_is(&z->zoneinfo, false, 801),
		      "zone record: every key, diff=-1 negative");
		z = &l.zone[4];
		check(z->list == PCR_LRU_UNEVICTABLE && z->from == PCR_LFROM_FRAMES,
		      "zone unevictable from=frames");
		z = &l.zone[5];
		check(lval_is(&z->walked, false, UINT64_MAX) &&
		      lval_is(&z->counter, false, UINT64_MAX - 1),
		      "2^64 - 1 kept, not negative");
		check(!strcmp(l.zone[7].zone, "Normal") &&
		      lval_is(&l.zone[7].walked, false, 5000),
		      "an unknown key (future=1) ignored");
	}
	if (l.nvec == 4) {
		v = &l.vec[1];
		check(v->list == PCR_LRU_UNEVICTABLE && v->walked.dash &&
		      lval_is(&v->counter, false, 3) && v->diff.dash &&
		      lval_is(&v->view, false, 3),
		      "lruvec unevictable: walked=- diff=-, counter kept");
		v = &l.vec[2];
		check(v->v.id == 7 && v->v.memcg &&
		      !strcmp(v->v.memcg, "/system.slice/my app.service") &&
		      v->v.state == PCR_LSTATE_ONLINE,
		      "cgroup path \\040 decoded: %s", v->v.memcg);
		check(lval_is(&v->diff, true, 2), "lruvec diff=-2");
		check(l.vec[3].v.state == PCR_LSTATE_DYING &&
		      !strcmp(l.vec[3].v.memcg, "/gone"), "a dying memcg");
		check(lval_is(&l.vec[3].v.ino, false, 4242) &&
		      l.vec[0].v.ino.dash,
		      "ino=4242 read, and \"-\" where an older module left it out");
	}
	if (l.ngen == 3) {
		g = &l.gen[0];
		check(lval_is(&g->seq, false, 7) && lval_is(&g->age, false, 0) &&
		      g->gen == 3 && g->age_ms == 1520 &&
		      g->type == PCR_LTYPE_FILE &&
		      lval_is(&g->listed, false, 40) &&
		      lval_is(&g->flagged, false, 41) &&
		      lval_is(&g->counter, false, 41), "gen record: every key");
		g = &l.gen[1];
		check(g->seq.dash && g->age.dash && g->type == PCR_LTYPE_ANON &&
		      lval_is(&g->counter, true, 1) &&
		      lval_is(&g->diff, false, 3),
		      "gen seq=- age=-, a negative counter");
	}
	if (l.nlrugen == 2)
		check(l.lrugen[1].max_seq == 12 && l.lrugen[1].min_seq_anon == 9 &&
		      l.lrugen[1].min_seq_file == 10 && l.lrugen[1].enabled == 1,
		      "lrugen record");
	check(l.walk.seen && l.walk.lruvecs == 6 && l.walk.dying == 1 &&
	      l.walk.max_hold_ns == 91210 && l.walk.restarts == 2 &&
	      l.walk.incomplete == 0 && l.walk.frames == 262030 &&
	      l.walk.walk_ns == 3101200, "walk footer");
	check(!strcmp(l.walk.lock, "sleeping"), "walk footer: lock=");
	pcr_lru_free(&l);
}

static int parse_text(struct pcr_lru *l, bool files, const char *text)
{
	pcr_lru_init(l, files);
	return pcr_lru_parse(l, text, strlen(text), "test");
}

#define LRU_HDR		"# pcinspect lru format 2\n"
#define FILES_HDR	"# pcinspect lru-files format 2: " \
			PCR_LRU_FILES_COLUMNS "\n"
#define WALK		"# walk lruvecs=1 memcgs=1 dying=0 visited=1 pages=1 " \
			"chunks=1 chunk=1024 max_hold_ns=1 restarts=0 " \
			"incomplete=0 frames=1 walk_ns=1"
#define FILES_WALK	WALK " files=1 untracked=0 anon=0 nofile=0"

static void test_headers(void)
{
	static const struct {
		bool files;
		const char *text;
		int err;
		const char *what;
	} hdr[] = {
		{ false, "", -EINVAL, "empty" },
		{ false, "zone node=0\n", -EINVAL, "no header" },
		{ false, "# pcinspect lru format 5\n" WALK "\n",
		  -EPROTONOSUPPORT, "lru format 5" },
		{ false, "# pcinspect lru format 12\n", -EPROTONOSUPPORT,
		  "lru format 12" },
		{ false, "# pcinspect lru format x\n", -EINVAL,
		  "format not a number" },
		{ false, "# pcinspect lru format 2 extra\n", -EINVAL,
		  "trailing text" },
		{ true, "# pcinspect lru-files format 5: dev ino pages\n",
		  -EPROTONOSUPPORT, "lru-files format 5" },
		{ true, "# pcinspect lru-files format 2: dev ino pages\n",
		  -EINVAL, "lru-files columns missing" },
		{ true, "# pcinspect lru-files format 2: " PCR_LRU_FILES_COLUMNS
		  " age4\n", -EINVAL, "an extra lru-files column" },
		{ true, LRU_HDR, -EINVAL, "lru text given as lru-files" },
		{ false, FILES_HDR, -EINVAL, "lru-files text given as lru" },
		{ false, "# pcinspect files format 2: fs dev\n", -EINVAL,
		  "the files listing" },
	};
	struct pcr_lru l;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hdr); i++) {
		ret = parse_text(&l, hdr[i].files, hdr[i].text);
		check(ret == hdr[i].err && !l.parse.seen_header,
		      "header refused: %s (%d: %s)", hdr[i].what, ret,
		      l.parse.error ? l.parse.error : "");
		if (hdr[i].err == -EPROTONOSUPPORT)
			check(l.parse.error && strstr(l.parse.error, "unsupported lru") &&
			      strstr(l.parse.error, "format"),
			      "the message names the format: %s",
			      l.parse.error ? l.parse.error : "");
		pcr_lru_free(&l);
	}
	/* Formats 2, 3 and 4 have the same lru text: all read. */
	ret = parse_text(&l, false, "# pcinspect lru format 3\n" WALK "\n");
	check(ret == 0 && l.parse.seen_header, "lru format 3 read (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_lru_free(&l);
	ret = parse_text(&l, false, "# pcinspect lru format 4\n" WALK "\n");
	check(ret == 0 && l.parse.seen_header, "lru format 4 read (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_lru_free(&l);
	ret = parse_text(&l, true, "# pcinspect lru-files format 3: "
			 PCR_LRU_FILES_COLUMNS "\n" FILES_WALK "\n");
	check(ret == 0 && l.parse.seen_header, "lru-files format 3 read (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_lru_free(&l);
	ret = parse_text(&l, true, "# pcinspect lru-files format 4: "
			 PCR_LRU_FILES_COLUMNS "\n" FILES_WALK "\n");
	check(ret == 0 && l.parse.seen_header, "lru-files format 4 read (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_lru_free(&l);
	ret = parse_text(&l, true, FILES_HDR LRU_HDR);
	check(ret == -EINVAL && l.parse.bad_lines == 1,
	      "a second header is a bad line, then truncated (%s)",
	      l.parse.error ? l.parse.error : "");
	pcr_lru_free(&l);
}

static const struct {
	bool files;
	const char *line;
	const char *what;
} bad_lines[] = {
	{ false, "garbage", "not a record" },
	{ false,
	  "zone node=x zone=DMA32 list=active_file from=lists walked=1 counter=1 diff=0 zoneinfo=1",
	  "node not a number" },
	{ false, "zone node=0 zone=DMA32 list=active_file from=lists walked=1 counter=1 diff=0",
	  "zoneinfo missing" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=lists walked=1 counter=1 diff=0 zoneinfo=1 walked=2",
	  "a key twice" },
	{ false,
	  "zone node=0 zone=DMA32 list=hot_file from=lists walked=1 counter=1 diff=0 zoneinfo=1",
	  "unknown list" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=disk walked=1 counter=1 diff=0 zoneinfo=1",
	  "unknown from" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=lists walked=-1 counter=1 diff=0 zoneinfo=1",
	  "a negative walked" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=lists walked=- counter=1 diff=0 zoneinfo=1",
	  "zone walked=-" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=lists walked=18446744073709551616 counter=1 diff=0 zoneinfo=1",
	  "walked 2^64" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=lists walked=1 counter=1 diff=0 zoneinfo=1 ",
	  "a trailing blank" },
	{ false,
	  "zone node=0  zone=DMA32 list=active_file from=lists walked=1 counter=1 diff=0 zoneinfo=1",
	  "a double blank" },
	{ false,
	  "zone node=0 zone=DMA32 list=active_file from=lists walked=1 counter=1 diff=0 zoneinfo",
	  "a key without =" },
	{ false,
	  "lruvec id=1 memcg=relative state=online node=0 zone=DMA32 list=active_file walked=1 counter=1 diff=0 view=1",
	  "a relative cgroup path" },
	{ false,
	  "lruvec id=1 memcg=/ state=- node=0 zone=DMA32 list=active_file walked=1 counter=1 diff=0 view=1",
	  "memcg without state" },
	{ false,
	  "lruvec id=1 memcg=/ state=asleep node=0 zone=DMA32 list=active_file walked=1 counter=1 diff=0 view=1",
	  "unknown state" },
	{ false,
	  "gen id=1 memcg=/ state=online node=0 seq=- age=3 gen=0 age_ms=0 type=anon zone=DMA32 listed=0 flagged=0 counter=0 diff=0",
	  "seq=- with an age" },
	{ false,
	  "gen id=1 memcg=/ state=online node=0 seq=4 age=3 gen=4 age_ms=0 type=anon zone=DMA32 listed=0 flagged=0 counter=0 diff=0",
	  "gen=4" },
	{ false,
	  "gen id=1 memcg=/ state=online node=0 seq=4 age=3 gen=0 age_ms=0 type=slab zone=DMA32 listed=0 flagged=0 counter=0 diff=0",
	  "unknown type" },
	{ false, "Zone node=0", "a record word with capitals" },
	{ true, "254:0 12 0123456789abcdef 1024 0 0 24 1000 0 0 0 0", "12 fields" },
	{ true, "254:0 12 0123456789abcdef 1024 0 0 24 1000 0 0 0 0 0 0", "14 fields" },
	{ true, "254:0 12 0123456789abcdef 1024 0 0 24 1000 0 0 0 0 0 ", "a trailing blank" },
	{ true, "254-0 12 0123456789abcdef 1024 0 0 24 1000 0 0 0 0 0", "dev without a colon" },
	{ true, "254:0 12 0123456789abcdef -1 0 0 24 1000 0 0 0 0 0", "a negative count" },
	{ true, "254:0 x 0123456789abcdef 1024 0 0 24 1000 0 0 0 0 0", "ino not a number" },
	{ true, "254:0 12 12345 1024 0 0 24 1000 0 0 0 0 0", "a short id" },
	{ true, "254:0 12 1024 0 0 24 1000 0 0 0 0 0", "no id" },
};

static void test_bad_lines(void)
{
	struct pcr_lru l;
	char *text;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		bool files = bad_lines[i].files;

		pcr_lru_init(&l, files);
		ret = pcr_parse_line(&l.parse, files ? FILES_HDR : LRU_HDR,
				     strlen(files ? FILES_HDR : LRU_HDR) - 1);
		if (!ret)
			ret = pcr_parse_line(&l.parse, bad_lines[i].line,
					     strlen(bad_lines[i].line));
		check(ret < 0 && l.parse.error && !strncmp(l.parse.error, "line 2: ", 8) &&
		      !l.nzone && !l.nvec && !l.ngen && !l.nfile,
		      "malformed: %s (%s)", bad_lines[i].what,
		      l.parse.error ? l.parse.error : "no error");
		pcr_lru_free(&l);
	}

	/* a bad line among good ones: skipped, counted, the rest kept */
	if (asprintf(&text, "%s%s\n%s\n%s\n", FILES_HDR,
		     "254:0 12 0123456789abcdef 1024 0 0 24 1000 0 0 0 0 0",
		     "254:0 13 0123456789abcdef 1x 0 0 0 0 0 0 0 0 0", FILES_WALK) < 0)
		exit(1);
	ret = parse_text(&l, true, text);
	check(ret == 0 && l.parse.bad_lines == 1 && l.nfile == 1 &&
	      l.walk.files == 1, "a bad line skipped, the others kept");
	pcr_lru_free(&l);
	free(text);

	ret = parse_text(&l, false, LRU_HDR "zone node=0\n");
	check(ret == -EINVAL && l.parse.error && strstr(l.parse.error, "truncated"),
	      "no walk line: truncated (%s)", l.parse.error ? l.parse.error : "");
	pcr_lru_free(&l);
	ret = parse_text(&l, true, FILES_HDR WALK "\n");
	check(ret == -EINVAL && l.parse.bad_lines == 1,
	      "lru-files walk without files=: bad, then truncated");
	pcr_lru_free(&l);
	ret = parse_text(&l, false, LRU_HDR WALK "\nzone node=0\n");
	check(ret == 0 && l.parse.bad_lines == 1, "a line after the walk line: bad");
	pcr_lru_free(&l);
}

static void test_lval(void)
{
	struct pcr_lval v;

	check(pcr_lval_parse("-0", 2, false, true, &v) == 0 && !v.neg &&
	      !v.v, "-0 is 0");
	check(pcr_lval_parse("-", 1, false, true, &v) == -EINVAL,
	      "- refused where not allowed");
	check(pcr_lval_parse("-5", 2, true, false, &v) == -EINVAL,
	      "a negative refused where not allowed");
	check(pcr_lval_parse("--5", 3, true, true, &v) == -EINVAL, "--5");
	check(pcr_lval_parse("-18446744073709551615", 21, false, true, &v) == 0 &&
	      v.neg && v.v == UINT64_MAX, "-(2^64 - 1)");
}

static uint64_t files_order(const struct pcr_lru *l, size_t i)
{
	return i < l->nfile ? l->file[i].ino : 0;
}

static void test_files(void)
{
	struct pcr_listing names;
	struct pcr_mounts ms;
	struct pcr_lru l;
	char *file;
	FILE *f;
	int ret = load(&l, "lru-files.txt", true);

	check(ret == 0 && l.nfile == 7 && !l.parse.bad_lines,
	      "lru-files.txt parses: 7 files (%d, %zu)", ret, l.nfile);
	check(l.walk.files == 7 && l.walk.anon == 15023 && l.walk.nofile == 12 &&
	      l.walk.incomplete == 1, "lru-files walk footer");
	if (l.nfile != 7)
		goto out;
	check(l.file[6].pages == UINT64_MAX, "2^64 - 1 pages");
	check(l.file[1].major == 0 && l.file[1].minor == 45 &&
	      l.file[1].ino == 7 && l.file[1].cols[PCR_LRU_INACTIVE_ANON] == 60 &&
	      l.file[1].cols[PCR_LRU_ACTIVE_ANON] == 4, "per-list columns");

	pcr_lru_files_sort(&l, PCR_LRU_FCOLS);
	check(files_order(&l, 0) == 99 && files_order(&l, 1) == 15 &&
	      files_order(&l, 6) == 16, "order by pages: most first");
	pcr_lru_files_sort(&l, PCR_LRU_ACTIVE_FILE);
	check(files_order(&l, 0) == 15 && files_order(&l, 1) == 4242 &&
	      files_order(&l, 2) == 99, "order by active_file, then pages");
	pcr_lru_files_sort(&l, PCR_LRU_INACTIVE_ANON);
	check(files_order(&l, 0) == 7, "order by inactive_anon");
	check(pcr_lru_files_sort(&l, PCR_LRU_FCOLS + 1) == -EINVAL,
	      "no such column");
	pcr_lru_files_sort(&l, PCR_LRU_FCOLS);
	pcr_lru_files_top(&l, 5);
	check(l.nfile == 5, "top 5");

	/* names: the fixture listing and mountinfo of listing_test */
	pcr_listing_init(&names);
	if (asprintf(&file, "%s/files.txt", fixtures) < 0)
		exit(1);
	f = fopen(file, "r");
	ret = f ? pcr_listing_read(&names, f, file) : -errno;
	if (f)
		fclose(f);
	free(file);
	if (asprintf(&file, "%s/mountinfo", fixtures) < 0)
		exit(1);
	ret |= pcr_load_mounts(&ms, file);
	free(file);
	check(ret == 0, "files listing and mountinfo load");
	ret = pcr_lru_files_names(&l, &names, &ms, false);
	check(ret == 0, "names joined");
	check(!l.file[0].name, "ino 99 of 254:0: not in the listing, no name");
	check(l.file[1].name && l.file[1].name->ino == 15 &&
	      !strcmp(l.file[1].name->path, "/var/log/syslog"),
	      "254:0 15 is /var/log/syslog (%s)",
	      l.file[1].name ? l.file[1].name->path : "none");
	check(l.file[2].name && !strcmp(l.file[2].name->path, "/dev/shm/shm\\x"),
	      "0:45 7 is /dev/shm/shm\\x through the tmpfs mount (%s)",
	      l.file[2].name ? l.file[2].name->path : "none");
	check(l.file[3].name && !strcmp(l.file[3].name->path, "/dir/closed file"),
	      "254:0 12 is /dir/closed file");
	check(!l.file[4].name, "254:0 4242: not in the listing");
	pcr_mounts_free(&ms);
	pcr_listing_free(&names);
out:
	pcr_lru_free(&l);
}

#define LISTING_WALK	"# walk types=1 superblocks=1 visited=2 listed=2 " \
			"skipped=0 filtered=0 unlisted=0 walk_ns=1 bytes=1\n"

/*
 * Two btrfs subvolumes' files: one superblock (0:29), one inode number
 * (257), two inodes. Each lru-files row must be named by its own listing
 * entry (joined on dev, ino and id), never by the other's.
 */
static void test_same_ino(void)
{
	static const char listing[] =
		"# pcinspect files format 2: " PCR_FILES_COLUMNS_3 "\n"
		"btrfs 0:29 257 00000000000000aa 16 0 0 path /a/f\n"
		"btrfs 0:29 257 00000000000000bb 40 0 0 path /b/f\n"
		LISTING_WALK;
	static const char mountinfo[] =
		"50 22 0:29 / /mnt/btrfs rw - btrfs /dev/vdc rw\n";
	struct pcr_listing names;
	struct pcr_mounts ms;
	struct pcr_lru l;
	FILE *f;
	int ret;

	ret = parse_text(&l, true, FILES_HDR
			 "0:29 257 00000000000000bb 40 0 0 40 0 0 0 0 0 0\n"
			 "0:29 257 00000000000000aa 16 0 0 16 0 0 0 0 0 0\n"
			 "0:29 257 00000000000000cc 3 0 0 3 0 0 0 0 0 0\n"
			 WALK " files=3 untracked=0 anon=0 nofile=0\n");
	check(ret == 0 && l.nfile == 3 && l.file[0].id == 0xbb,
	      "same dev and ino, three ids: three files (%d, %zu)", ret,
	      l.nfile);
	pcr_listing_init(&names);
	ret = pcr_listing_parse(&names, listing, strlen(listing), "test");
	f = fmemopen((void *)mountinfo, strlen(mountinfo), "r");
	ret |= f ? pcr_mounts_parse(&ms, f) : -errno;
	if (f)
		fclose(f);
	check(ret == 0 && names.n == 2 && names.e[1].id == 0xbb,
	      "listing with ids and mountinfo parse");
	if (!ret && l.nfile == 3) {
		pcr_lru_files_sort(&l, PCR_LRU_FCOLS);
		ret = pcr_lru_files_names(&l, &names, &ms, false);
		check(ret == 0 && l.file[0].name && l.file[1].name &&
		      !strcmp(l.file[0].name->path, "/mnt/btrfs/b/f") &&
		      !strcmp(l.file[1].name->path, "/mnt/btrfs/a/f"),
		      "40 pages are /mnt/btrfs/b/f, 16 /mnt/btrfs/a/f (%s, %s)",
		      l.file[0].name ? l.file[0].name->path : "none",
		      l.file[1].name ? l.file[1].name->path : "none");
		check(!l.file[2].name, "an id the listing lacks: no name");
		pcr_mounts_free(&ms);
	}
	pcr_listing_free(&names);
	pcr_lru_free(&l);
}

int main(int argc, char **argv)
{
	fixtures = argc > 1 ? argv[1] : "tests/fixtures";
	printf("TAP version 13\n");
	test_lru_fixture();
	test_headers();
	test_bad_lines();
	test_lval();
	test_files();
	test_same_ino();
	return tap_done();
}
