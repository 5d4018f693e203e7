// SPDX-License-Identifier: GPL-2.0
/*
 * pcinspect on NFS: a real NFSv4 export served by the guest's own kernel
 * nfsd and mounted over loopback, no daemon involved (the export caches
 * that rpc.mountd would fill are written to their channel files, and an
 * NFSv4-only nfsd needs no rpcbind). The listing must count an NFS file's
 * cached pages without a single RPC (the client's per-operation counters
 * in /proc/self/mountstats do not move while `files` and `lru-files` are
 * read), and must still return at once when the server is gone and every
 * request to it would wait for ever (a hard mount). A tmpfs is mounted on
 * a directory of the NFS mount, with neither attributes nor lookups cached
 * (actimeo=0, lookupcache=none), the setup most likely to make a path walk
 * to that tmpfs ask the server. The module before the fix, which walked to
 * every mount point with kern_path(), fails both on 6.12 and 7.2: its
 * listings revalidated "sub" over the wire (3 LOOKUPs and 3 GETATTRs for
 * three on 6.12, one LOOKUP on 7.2), and hung the whole 20 s once the
 * server was stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pcinspect_util.h"

#define NFS_EXPORT	"/tmp/nfs_test.export"
#define NFS_MNT		"/tmp/nfs_test.mnt"
#define NFS_SUB		NFS_MNT "/sub"
/* Hard, and nothing cached that would spare a walk asking the server. */
#define NFS_OPTS_COMMON	"addr=127.0.0.1,clientaddr=127.0.0.1,hard,timeo=10,actimeo=0,lookupcache=none"
#define NFS_OPTS	"vers=4.2," NFS_OPTS_COMMON
#define NFSD_FS		"/proc/fs/nfsd"
#define NFS_PAGES	64
#define NFS_BUF		(4 << 20)
/* Cache entries that never expire (seconds since the epoch). */
#define NFS_FOREVER	"2147483647"

static char *read_whole(const char *path)
{
	char *buf = malloc(NFS_BUF);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	n = pci_read_all(fd, buf, NFS_BUF);
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/*
 * What rpc.mountd would answer nfsd's upcalls with: 127.0.0.1 is client
 * "pci"; the export (fsid=0: the NFSv4 pseudo-root, rw, no_root_squash,
 * insecure, no_subtree_check); the file handle key of fsid 0 (type 1).
 */
static int nfs_export(void)
{
	char line[256];

	if (pci_write_str("/proc/net/rpc/auth.unix.ip/channel",
			  "nfsd 127.0.0.1 " NFS_FOREVER " pci\n"))
		return -1;
	/* NFSEXP_INSECURE_PORT | NFSEXP_NOSUBTREECHECK | NFSEXP_FSID */
	snprintf(line, sizeof(line), "pci %s %s %d 65534 65534 0\n",
		 NFS_EXPORT, NFS_FOREVER, 0x2 | 0x400 | 0x2000);
	if (pci_write_str("/proc/net/rpc/nfsd.export/channel", line))
		return -1;
	snprintf(line, sizeof(line), "pci 1 \\x00000000 %s %s\n",
		 NFS_FOREVER, NFS_EXPORT);
	return pci_write_str("/proc/net/rpc/nfsd.fh/channel", line);
}

static int nfsd_threads(int n)
{
	char s[16];

	snprintf(s, sizeof(s), "%d\n", n);
	return pci_write_str(NFSD_FS "/threads", s);
}

/*
 * Sum of the client's per-operation counts ("OP: ops trans ...") for this
 * mount, leaving out the lease and session upkeep the client sends on
 * its own (RENEW, SEQUENCE and the like are timer-driven).
 */
static long long nfs_ops(char *ops_seen, size_t size)
{
	static const char * const upkeep[] = {
		"RENEW", "SEQUENCE", "GET_LEASE_TIME", "TEST_STATEID",
		"FREE_STATEID", "DESTROY_SESSION", "DESTROY_CLIENTID",
		"RECLAIM_COMPLETE", "EXCHANGE_ID", "CREATE_SESSION",
		"BIND_CONN_TO_SESSION", "SETCLIENTID", "SETCLIENTID_CONFIRM",
		"NULL",
	};
	char *text = read_whole("/proc/self/mountstats"), *line, *save;
	long long sum = -1;
	bool ours = false;
	size_t n = 0;

	if (!text)
		return -1;
	if (ops_seen && size)
		ops_seen[0] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[48];
		long long ops;
		size_t i;

		if (!strncmp(line, "device ", 7)) {
			ours = strstr(line, " mounted on " NFS_MNT " ");
			if (ours)
				sum = 0;
			continue;
		}
		if (!ours || sscanf(line, " %47[A-Z_0-9]: %lld", name, &ops) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(upkeep); i++)
			if (!strcmp(name, upkeep[i]))
				break;
		if (i < ARRAY_SIZE(upkeep) || !ops)
			continue;
		sum += ops;
		if (ops_seen && n < size)
			n += snprintf(ops_seen + n, size - n, " %s %lld", name, ops);
	}
	free(text);
	return sum;
}

/* The cached pages `files` gives the NFS file, or -1 if not listed. */
static long long listed_cached(const char *text)
{
	const char *line = text;
	long long cached = -1;

	while (line && *line) {
		char fs[32], path[64];
		unsigned long long c;

		if (sscanf(line, "%31s %*s %*s %*s %llu %*s %*s %*s %*s path %63s", fs, &c,
			   path) == 3 && !strncmp(fs, "nfs", 3) &&
		    !strcmp(path, "/data"))
			cached = c;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return cached;
}

FIXTURE(nfs) {
	int fd;
	bool served, mounted, sub_mounted;
};

FIXTURE_SETUP(nfs)
{
	long page = sysconf(_SC_PAGESIZE);
	char *buf;
	int ret;

	self->fd = -1;
	self->served = false;
	self->mounted = false;
	self->sub_mounted = false;
	ASSERT_EQ(0, pci_ensure_module());
	mkdir(NFS_EXPORT, 0755);
	mkdir(NFS_MNT, 0755);
	if (access(NFSD_FS "/threads", F_OK) &&
	    mount("nfsd", NFSD_FS, "nfsd", 0, NULL))
		SKIP(return, "no nfsd (CONFIG_NFSD as a module of this kernel: %s)",
		     strerror(errno));
	ASSERT_EQ(0, pci_run("ip link set lo up"));
	ASSERT_EQ(0, mount("tmpfs", NFS_EXPORT, "tmpfs", 0, "size=16m"));
	ASSERT_EQ(0, mkdir(NFS_EXPORT "/sub", 0755));
	self->fd = open(NFS_EXPORT "/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ASSERT_LE(0, self->fd);
	buf = malloc(NFS_PAGES * page);
	ASSERT_NE(NULL, buf);
	memset(buf, 'n', NFS_PAGES * page);
	ASSERT_EQ(NFS_PAGES * page, write(self->fd, buf, NFS_PAGES * page));
	free(buf);
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, nfs_export());
	/* Short grace and lease: the teardown's restart waits for neither. */
	pci_write_str(NFSD_FS "/nfsv4gracetime", "10\n");
	pci_write_str(NFSD_FS "/nfsv4leasetime", "10\n");
	ASSERT_EQ(0, pci_write_str(NFSD_FS "/versions", "-3 +4 +4.1 +4.2\n"));
	pci_write_str(NFSD_FS "/portlist", "tcp 2049\n");
	ASSERT_EQ(0, nfsd_threads(1));
	self->served = true;
	/*
	 * NFSv4.2 where the client has it; a client built without
	 * CONFIG_NFS_V4_1 (x86_64 defconfig, so the debug kernel) refuses
	 * vers=4.2 with EINVAL and mounts 4.0, whose lease upkeep (RENEW,
	 * SETCLIENTID) nfs_ops() leaves out as well.
	 */
	ret = mount("127.0.0.1:/", NFS_MNT, "nfs4", 0, NFS_OPTS);
	if (ret && errno == EINVAL) {
		TH_LOG("mount nfs4 vers=4.2: %s; trying vers=4.0", strerror(errno));
		ret = mount("127.0.0.1:/", NFS_MNT, "nfs4", 0,
			    "vers=4.0," NFS_OPTS_COMMON);
	}
	ASSERT_EQ(0, ret) TH_LOG("mount nfs4: %s", strerror(errno));
	self->mounted = true;
	ASSERT_EQ(0, mount("tmpfs", NFS_SUB, "tmpfs", 0, "size=1m"));
	self->sub_mounted = true;
	self->fd = open(NFS_MNT "/data", O_RDONLY);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pci_read_pages(self->fd, 0, NFS_PAGES));
}

/*
 * nfsd's stop flushed the export caches: fill them again, then start it.
 * The client finds a server that lost its state and recovers.
 */
static int nfsd_restart(void)
{
	if (nfs_export())
		return -1;
	pci_write_str(NFSD_FS "/portlist", "tcp 2049\n");
	return nfsd_threads(1);
}

/*
 * Unmount in a child, given 20 s: a request that still waits for the
 * server must not hang the teardown. Lazily detached if it does.
 */
static void bounded_umount(struct __test_metadata *_metadata)
{
	int status, i;
	pid_t pid = fork();

	if (pid == 0)
		_exit(umount2(NFS_MNT, 0) && umount2(NFS_MNT, MNT_FORCE) ? 1 : 0);
	for (i = 0; pid > 0 && i < 2000 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	if (pid < 0 || i == 2000 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		TH_LOG("umount %s: %s; detached instead", NFS_MNT,
		       i == 2000 ? "stuck for 20 s" : "failed");
		umount2(NFS_MNT, MNT_DETACH);
	}
}

FIXTURE_TEARDOWN(nfs)
{
	/* The server back first, or the last requests wait for it. */
	if (self->mounted && !self->served && !nfsd_restart())
		self->served = true;
	if (self->fd >= 0)
		close(self->fd);
	if (self->sub_mounted)
		umount2(NFS_SUB, MNT_DETACH);
	if (self->mounted)
		bounded_umount(_metadata);
	if (self->served)
		nfsd_threads(0);
	umount2(NFS_EXPORT, MNT_DETACH);
	rmdir(NFS_MNT);
	rmdir(NFS_EXPORT);
}

/*
 * `files` and `lru-files` over a mounted NFS client: the file's cached
 * pages (mincore agrees) and not one RPC of the client's own.
 */
TEST_F_TIMEOUT(nfs, listing_sends_no_rpc, 120)
{
	char before_ops[512], after_ops[512];
	long long before, after, cached;
	long resident;
	char *text;
	int i;

	resident = pci_mincore_count(self->fd, NFS_PAGES);
	before = nfs_ops(before_ops, sizeof(before_ops));
	ASSERT_LE(0, before);
	for (i = 0; i < 3; i++) {
		text = read_whole("/sys/kernel/debug/pcinspect/files");
		ASSERT_NE(NULL, text);
		cached = listed_cached(text);
		free(text);
		EXPECT_EQ(resident, cached);
	}
	text = read_whole("/sys/kernel/debug/pcinspect/lru-files");
	ASSERT_NE(NULL, text);
	free(text);
	after = nfs_ops(after_ops, sizeof(after_ops));
	TH_LOG("NFS file: %lld pages listed, mincore %ld; client ops before:%s",
	       cached, resident, before_ops);
	TH_LOG("after:%s", after_ops);
	EXPECT_EQ(NFS_PAGES, resident);
	EXPECT_EQ(before, after);
}

/*
 * The server stopped (its threads gone: a hard mount's requests now wait
 * until it returns): three listings still return within 20 s and still
 * count the file's cached pages. The file is closed first (its pages stay
 * cached), so that nothing of this process waits on the server after.
 */
TEST_F_TIMEOUT(nfs, listing_returns_with_the_server_gone, 120)
{
	long resident = pci_mincore_count(self->fd, NFS_PAGES);
	int status = -1, i;
	pid_t pid;

	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, nfsd_threads(0));
	self->served = false;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 3; i++) {
			char *text = read_whole("/sys/kernel/debug/pcinspect/files");

			if (!text || listed_cached(text) != resident)
				_exit(1);
			free(text);
		}
		_exit(0);
	}
	for (i = 0; i < 2000 && waitpid(pid, &status, WNOHANG) == 0; i++)
		usleep(10000);
	TH_LOG("three listings with the NFS server stopped: %s (%d ms), %ld pages cached",
	       i == 2000 ? "stuck for 20 s" : "done", i * 10, resident);
	if (i == 2000) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	EXPECT_GT(2000, i);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(NFS_PAGES, resident);
}

TEST_HARNESS_MAIN
