/* SPDX-License-Identifier: MIT */
/* apbench — the Hercules peer: time the W1 loop on Hercules, side by side.
 *
 * Hercules (the Debian `hercules` package) runs a bare z/Architecture
 * machine from a script: a core image loaded at 0 (`loadcore FILE 0`) and a
 * restart interruption (`restart`) that loads the restart new PSW from the
 * lowcore.  The program (bench/asm/w1h.S) is the W1 loop ending in a
 * disabled wait PSW, which Hercules reports as
 *
 *   HHCCP011I CPU0000: Disabled wait state
 *             PSW=00020001 80000000 00000000xxxxxxxx
 *
 * Core image (all big-endian):
 *
 *   0x00000 +---------------------------------------------+
 *           | lowcore, zero except:                        |
 *   0x001A0 | restart new PSW: 00000001 80000000  (EA, BA) |
 *   0x001A8 |                  00000000 00010000  (entry)  |
 *   0x10000 +---------------------------------------------+
 *           | w1h code; +8: iteration count (8 bytes)      |
 *           +---------------------------------------------+
 *
 * One measurement = wall time from fork() to the "Disabled wait state" line
 * on Hercules' output.  That includes Hercules' start-up, so the same run
 * with count 1 is timed as well and subtracted; the medians of both over
 * `runs` runs give Hercules' instructions per second for the loop alone.
 * The wait PSW's address is 2 x the loop count, which proves the loop ran.
 *
 * Hercules does not exit when the program ends, and in daemon mode it has no
 * reliable way to be asked to (see child_stop): the child we started (in a
 * process group of its own, so with anything it started) gets SIGKILL once
 * its output has told us what we wanted.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "programs.h"

#define CORE_SIZE (APBENCH_LOAD_ADDR + 0x1000u)
#define RESTART_NEW_PSW 0x1A0u
#define COUNT_OFF 8u /* `count` in w1h.S */
#define WAIT_MARK "Disabled wait state"
#define OUT_MAX (256u * 1024u)  /* output kept for parsing; older text dropped */
#define PSW_WAIT_NS 2000000000u /* the PSW line follows the wait-state line */

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

bool herc_find(const char *override, char *path, size_t size)
{
	const char *env = getenv("PATH");
	const char *p;

	if (override) {
		if (access(override, X_OK) != 0)
			return false;
		snprintf(path, size, "%s", override);
		return true;
	}
	if (!env || !*env)
		env = "/usr/local/bin:/usr/bin:/bin";
	for (p = env; *p;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > 0 && len + sizeof("/hercules") < size) {
			memcpy(path, p, len);
			memcpy(path + len, "/hercules", sizeof("/hercules"));
			if (access(path, X_OK) == 0)
				return true;
		}
		p += len;
		if (*p == ':')
			p++;
	}
	return false;
}

static int write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : -1;
}

/* The scratch directory with the config, the script and the core image. */
struct herc_dir {
	char dir[256];
	char core[300], cnf[300], rc[300];
};

static int dir_open(struct herc_dir *d)
{
	const char *tmp = getenv("TMPDIR");
	char text[512];
	FILE *f;

	snprintf(d->dir, sizeof(d->dir), "%s/apbench-herc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir))
		return -1;
	snprintf(d->core, sizeof(d->core), "%s/w1.core", d->dir);
	snprintf(d->cnf, sizeof(d->cnf), "%s/apbench.cnf", d->dir);
	snprintf(d->rc, sizeof(d->rc), "%s/apbench.rc", d->dir);

	/* A 1403 printer on /dev/null: Hercules wants at least one device. */
	f = fopen(d->cnf, "w");
	if (!f)
		return -1;
	fputs("# apbench: a bare z/Architecture machine for the W1 loop\n"
	      "CPUSERIAL 000001\n"
	      "CPUMODEL  2817\n"
	      "MAINSIZE  2\n"
	      "NUMCPU    1\n"
	      "ARCHMODE  z/Arch\n"
	      "000E 1403 /dev/null\n",
	      f);
	if (fclose(f) != 0)
		return -1;
	snprintf(text, sizeof(text), "loadcore %s 0\nrestart\n", d->core);
	return write_file(d->rc, text, strlen(text));
}

static void dir_close(struct herc_dir *d)
{
	unlink(d->core);
	unlink(d->cnf);
	unlink(d->rc);
	rmdir(d->dir);
}

static int write_core(const struct herc_dir *d, uint64_t iters)
{
	unsigned char *img = calloc(1, CORE_SIZE);
	int rc;

	if (!img || apbench_prog_w1h_len > CORE_SIZE - APBENCH_LOAD_ADDR) {
		free(img);
		return -1;
	}
	put_be64(img + RESTART_NEW_PSW, 0x0000000180000000ull);
	put_be64(img + RESTART_NEW_PSW + 8, APBENCH_LOAD_ADDR);
	memcpy(img + APBENCH_LOAD_ADDR, apbench_prog_w1h, apbench_prog_w1h_len);
	put_be64(img + APBENCH_LOAD_ADDR + COUNT_OFF, iters);
	rc = write_file(d->core, img, CORE_SIZE);
	free(img);
	return rc;
}

/* Output collected from the child, NUL-terminated. */
struct outbuf {
	char *text;
	size_t len;
};

static int out_read(struct outbuf *o, int fd)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n <= 0)
		return n == 0 || errno != EINTR ? 0 : 1; /* 0: EOF or error */
	if (o->len + (size_t)n > OUT_MAX) {
		/* keep the newer half */
		size_t drop = o->len / 2;

		memmove(o->text, o->text + drop, o->len - drop);
		o->len -= drop;
	}
	memcpy(o->text + o->len, chunk, (size_t)n);
	o->len += (size_t)n;
	o->text[o->len] = '\0';
	return 1;
}

/* Wait for `ms` milliseconds at most for output on fd; 1 = read something,
 * 0 = EOF, -1 = timeout. */
static int out_wait(struct outbuf *o, int fd, int ms)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	int rc = poll(&pfd, 1, ms < 0 ? 0 : ms);

	if (rc < 0)
		return errno == EINTR ? 1 : 0;
	if (rc == 0)
		return -1;
	return out_read(o, fd);
}

static void last_line(const char *text, char *buf, size_t size)
{
	const char *end = text + strlen(text), *start;

	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, size, "%.*s", (int)(end - start), start);
}

/* Stop the child and reap it.  Hercules 3.13 in daemon mode has no clean
 * way out once the program has ended: `quit` on its stdin did not end it,
 * and neither did SIGTERM (its handler runs on some thread and returns).
 * Nothing of its state is worth saving here, so it gets SIGKILL. */
static int child_stop(pid_t pid)
{
	int status = 0;

	kill(-pid, SIGKILL); /* its own process group: it and anything it started */
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* One Hercules run of `iters` iterations: *ns from fork to the wait-state
 * line.  Returns 0, or -1 with a reason. */
static int run_once(const char *path, const struct herc_dir *d, uint64_t iters, double timeout_s,
		    uint64_t *ns, char version[32], char *reason, size_t rsize)
{
	struct outbuf o = { NULL, 0 };
	int outp[2] = { -1, -1 }, inp[2] = { -1, -1 };
	uint64_t t0, t1 = 0, deadline;
	const char *mark, *psw;
	bool ended = false;
	pid_t pid;
	int rc = -1, status;

	if (write_core(d, iters) < 0) {
		snprintf(reason, rsize, "cannot write the core image: %s", strerror(errno));
		return -1;
	}
	o.text = malloc(OUT_MAX + 1);
	if (!o.text || pipe(outp) < 0 || pipe(inp) < 0) {
		snprintf(reason, rsize, "out of resources: %s", strerror(errno));
		goto out;
	}

	t0 = bench_now_ns();
	pid = fork();
	if (pid < 0) {
		snprintf(reason, rsize, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* child: a process group of its own (so child_stop reaches anything
		 * it starts), stdin = a pipe we keep open, stdout + stderr = outp */
		if (setpgid(0, 0) < 0 || dup2(inp[0], 0) < 0 || dup2(outp[1], 1) < 0 ||
		    dup2(outp[1], 2) < 0)
			_exit(126);
		close(inp[0]);
		close(inp[1]);
		close(outp[0]);
		close(outp[1]);
		if (chdir(d->dir) < 0 || setenv("HERCULES_RC", d->rc, 1) < 0)
			_exit(126);
		execl(path, "hercules", "-d", "-f", d->cnf, (char *)NULL);
		_exit(127);
	}
	close(outp[1]);
	outp[1] = -1;
	close(inp[0]);
	inp[0] = -1;

	/* wait for the wait-state line, then for the PSW line after it */
	o.text[0] = '\0';
	deadline = t0 + (uint64_t)(timeout_s * 1e9);
	for (;;) {
		uint64_t now = bench_now_ns();
		int got;

		mark = strstr(o.text, WAIT_MARK);
		if (mark && !t1)
			t1 = now;
		psw = mark ? strstr(mark, "PSW=") : NULL;
		if (psw && strchr(psw, '\n'))
			break;
		if (t1 && now >= t1 + PSW_WAIT_NS) {
			snprintf(reason, rsize, "no PSW after \"%s\"", WAIT_MARK);
			break;
		}
		if (now >= deadline) {
			snprintf(reason, rsize, "no \"%s\" within %.0f s", WAIT_MARK, timeout_s);
			break;
		}
		got = out_wait(&o, outp[0],
			       (int)(((t1 ? t1 + PSW_WAIT_NS : deadline) - now) / 1000000u) + 1);
		if (got == 0) {
			ended = true;
			break;
		}
	}
	if (!mark)
		t1 = 0;
	status = child_stop(pid);
	if (ended) {
		char line[160];

		last_line(o.text, line, sizeof(line));
		snprintf(reason, rsize,
			 "hercules ended before the program did (%s %d); last output: %s",
			 WIFEXITED(status) ? "exit status" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			 line[0] ? line : "(none)");
	}

	{
		const char *v = strstr(o.text, "Hercules Version ");

		if (v && version[0] == '\0')
			sscanf(v + strlen("Hercules Version "), "%31s", version);
	}
	if (t1 && psw) {
		unsigned long m0 = 0, m1 = 0;
		unsigned long long addr = 0;
		uint64_t want = (2 * iters) & 0xffffffffu;

		if (sscanf(psw, "PSW=%8lx %8lx %16llx", &m0, &m1, &addr) != 3) {
			snprintf(reason, rsize, "cannot parse the wait PSW");
		} else if (m0 != 0x00020001ul || m1 != 0x80000000ul || addr != want) {
			snprintf(reason, rsize,
				 "wrong wait PSW %08lx %08lx %016llx (expected address %llx): "
				 "the loop did not run as written",
				 m0, m1, addr, (unsigned long long)want);
		} else {
			*ns = t1 - t0;
			rc = 0;
		}
	}
out:
	if (outp[0] >= 0)
		close(outp[0]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (inp[0] >= 0)
		close(inp[0]);
	if (inp[1] >= 0)
		close(inp[1]);
	free(o.text);
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median_u64(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

void herc_measure(const char *path, uint64_t iters, unsigned runs, double timeout_s, herc_result *r)
{
	struct herc_dir d;
	uint64_t *full, *startup;
	char exe[sizeof(r->path)];

	snprintf(exe, sizeof(exe), "%s", path); /* path may be r->path */
	memset(r, 0, sizeof(*r));
	r->installed = true;
	snprintf(r->path, sizeof(r->path), "%s", exe);
	path = r->path;
	if (iters < 2 || iters > 0x7fffffffu) {
		snprintf(r->reason, sizeof(r->reason), "iterations must be 2 .. 2^31 - 1");
		return;
	}
	if (runs == 0)
		runs = 1;
	r->iterations = iters;
	r->runs = runs;
	/* w1h.S runs 7 instructions outside the loop (J, LARL, LG, LGHI, AR,
	 * ST, LPSWE) and 2 per iteration; the count-1 run does the same work
	 * minus iters - 1 iterations. */
	r->insns = 2 * (iters - 1);
	full = calloc(runs, sizeof(*full));
	startup = calloc(runs, sizeof(*startup));
	if (!full || !startup || dir_open(&d) < 0) {
		snprintf(r->reason, sizeof(r->reason), "cannot set up a scratch directory: %s",
			 strerror(errno));
		free(full);
		free(startup);
		return;
	}
	/* SIGPIPE must not kill us if Hercules goes away */
	signal(SIGPIPE, SIG_IGN);

	/* interleaved, so slow drifts of the host hit both sides alike */
	for (unsigned i = 0; i < runs; i++) {
		if (run_once(path, &d, 1, timeout_s, &startup[i], r->version, r->reason,
			     sizeof(r->reason)) < 0 ||
		    run_once(path, &d, iters, timeout_s, &full[i], r->version, r->reason,
			     sizeof(r->reason)) < 0)
			goto done;
	}
	r->startup_ns = median_u64(startup, runs);
	r->run_ns = median_u64(full, runs);
	if (r->run_ns <= r->startup_ns * 1.05) {
		snprintf(r->reason, sizeof(r->reason),
			 "the loop took no measurable time over start-up (%.1f ms vs %.1f ms): "
			 "raise --hercules-iterations",
			 r->run_ns / 1e6, r->startup_ns / 1e6);
		goto done;
	}
	r->insns_per_sec = (double)r->insns / ((r->run_ns - r->startup_ns) / 1e9);
	r->ok = true;
done:
	dir_close(&d);
	free(full);
	free(startup);
}
