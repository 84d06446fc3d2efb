/* SPDX-License-Identifier: MIT */
/*
 * zctest: the guest side of the Linux guest test (tests/linux-guest/README.md).
 * A static s390x program that drives the kernel's zcrypt driver through its
 * ioctls and prints one marker line per check:
 *
 *   S390AP-RESULT NAME PASS|FAIL DETAIL
 *   S390AP-BENCH rsa2048-me ops=N seconds=S ops_per_s=X
 *
 * Every blocking call runs under alarm(), so a driver that never answers
 * gives a FAIL line, not a silent hang.
 *
 * Build: s390x-linux-gnu-gcc -static -O2 -o zctest zctest.c
 */
#define _GNU_SOURCE
#include <asm/zcrypt.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define Z90CRYPT "/dev/z90crypt"
#ifndef HWRNG /* -D for a host check of the timeout path */
#define HWRNG "/dev/hwrng"
#endif
#define RNG_CURRENT "/sys/class/misc/hw_random/rng_current"
#define ZCRYPT_CLASS "/sys/class/zcrypt"
#define MAX_MOD 512 /* 4096-bit keys */
#define MAX_CASES 64
#ifndef OP_TIMEOUT
#define OP_TIMEOUT 60 /* seconds for one request, far above any emulated latency */
#endif

/* One known-answer case, fields laid out as the ioctl wants them. */
struct kat_case {
	bool crt;
	char name[48];
	unsigned int len; /* inputdatalength */
	unsigned char msg[MAX_MOD];
	unsigned char exp[MAX_MOD];
	unsigned char mod[MAX_MOD];
	unsigned char p[MAX_MOD / 2 + 8];
	unsigned char q[MAX_MOD / 2];
	unsigned char dp[MAX_MOD / 2 + 8];
	unsigned char dq[MAX_MOD / 2];
	unsigned char u[MAX_MOD / 2 + 8];
	unsigned char expect[MAX_MOD];
};

struct kat_file {
	unsigned int n;
	struct kat_case c[MAX_CASES];
};

static volatile sig_atomic_t alarm_fired;

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

/* SIGALRM without SA_RESTART: a blocked ioctl or read returns EINTR. */
static void setup_alarm(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

static void arm(unsigned int seconds)
{
	alarm_fired = 0;
	alarm(seconds);
}

static void disarm(void)
{
	alarm(0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void result(const char *name, bool pass, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	printf("S390AP-RESULT %s %s %s\n", name, pass ? "PASS" : "FAIL", detail);
	fflush(stdout);
}

/* "EIO (Input/output error)", or "timeout" when our own alarm cut the call short. */
static const char *err_text(int err, char *buf, size_t size)
{
	if (err == EINTR && alarm_fired) {
		snprintf(buf, size, "timeout after %us (no answer from the driver)", OP_TIMEOUT);
		return buf;
	}
	snprintf(buf, size, "errno=%d (%s)", err, strerror(err));
	return buf;
}

/* ---- the vector file (kat.py) ------------------------------------------------ */

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex digits into a zeroed field of size bytes, right-justified. */
static bool put_hex(const char *hex, unsigned char *field, size_t size)
{
	size_t digits = strlen(hex);
	size_t nbytes = (digits + 1) / 2;
	unsigned char *out;
	size_t i;

	memset(field, 0, size);
	if (digits == 0 || nbytes > size)
		return false;
	out = field + size - nbytes;
	for (i = 0; i < digits; i++) {
		/* an odd digit count gets an implicit leading zero */
		size_t pos = i + (digits & 1);
		int v = hexval((unsigned char)hex[i]);

		if (v < 0)
			return false;
		out[pos / 2] |= (unsigned char)(pos & 1 ? v : v << 4);
	}
	return true;
}

static bool parse_case(char *line, struct kat_case *c, char *why, size_t whysize)
{
	char *tok[12];
	unsigned int n = 0, half;
	char *save = NULL, *t;
	unsigned long len;
	char *end;

	for (t = strtok_r(line, " \t\r\n", &save); t && n < 12;
	     t = strtok_r(NULL, " \t\r\n", &save))
		tok[n++] = t;
	if (n < 3) {
		snprintf(why, whysize, "too few fields");
		return false;
	}
	memset(c, 0, sizeof(*c));
	c->crt = strcmp(tok[0], "crt") == 0;
	if (!c->crt && strcmp(tok[0], "me") != 0) {
		snprintf(why, whysize, "unknown kind '%s'", tok[0]);
		return false;
	}
	snprintf(c->name, sizeof(c->name), "%s", tok[1]);
	len = strtoul(tok[2], &end, 10);
	if (*end || len == 0 || len > MAX_MOD || len % 2) {
		snprintf(why, whysize, "bad length '%s'", tok[2]);
		return false;
	}
	c->len = (unsigned int)len;
	half = c->len / 2;
	if (!c->crt) {
		if (n != 7 || !put_hex(tok[3], c->msg, c->len) ||
		    !put_hex(tok[4], c->exp, c->len) || !put_hex(tok[5], c->mod, c->len) ||
		    !put_hex(tok[6], c->expect, c->len)) {
			snprintf(why, whysize, "bad me fields");
			return false;
		}
		return true;
	}
	if (n != 10 || !put_hex(tok[3], c->msg, c->len) || !put_hex(tok[4], c->p, half + 8) ||
	    !put_hex(tok[5], c->q, half) || !put_hex(tok[6], c->dp, half + 8) ||
	    !put_hex(tok[7], c->dq, half) || !put_hex(tok[8], c->u, half + 8) ||
	    !put_hex(tok[9], c->expect, c->len)) {
		snprintf(why, whysize, "bad crt fields");
		return false;
	}
	return true;
}

/* Reads FILE; on failure prints a FAIL line named kat-file and returns false. */
static bool load_kat(const char *path, struct kat_file *kf)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	unsigned int lineno = 0;
	char why[128];

	kf->n = 0;
	if (!f) {
		result("kat-file", false, "%s: %s", path, strerror(errno));
		return false;
	}
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if (kf->n == MAX_CASES) {
			result("kat-file", false, "%s: more than %d cases", path, MAX_CASES);
			break;
		}
		if (!parse_case(line, &kf->c[kf->n], why, sizeof(why))) {
			result("kat-file", false, "%s:%u: %s", path, lineno, why);
			free(line);
			fclose(f);
			return false;
		}
		kf->n++;
	}
	free(line);
	fclose(f);
	if (kf->n == 0) {
		result("kat-file", false, "%s: no cases", path);
		return false;
	}
	return true;
}

static const struct kat_case *find_case(const struct kat_file *kf, const char *name)
{
	unsigned int i;

	for (i = 0; i < kf->n; i++)
		if (strcmp(kf->c[i].name, name) == 0)
			return &kf->c[i];
	return NULL;
}

/* ---- one request ------------------------------------------------------------- */

/*
 * Runs case c on fd into out (c->len bytes) under an alarm of `seconds`.
 * Returns 0 or an errno value.
 */
static int run_case(int fd, const struct kat_case *c, unsigned char *out, unsigned int seconds)
{
	int rc;

	memset(out, 0, c->len);
	arm(seconds);
	if (c->crt) {
		struct ica_rsa_modexpo_crt crt;

		memset(&crt, 0, sizeof(crt));
		crt.inputdata = (__u8 *)c->msg;
		crt.inputdatalength = c->len;
		crt.outputdata = out;
		crt.outputdatalength = c->len;
		crt.bp_key = (__u8 *)c->dp;
		crt.bq_key = (__u8 *)c->dq;
		crt.np_prime = (__u8 *)c->p;
		crt.nq_prime = (__u8 *)c->q;
		crt.u_mult_inv = (__u8 *)c->u;
		rc = ioctl(fd, ICARSACRT, &crt);
	} else {
		struct ica_rsa_modexpo me;

		memset(&me, 0, sizeof(me));
		me.inputdata = (__u8 *)c->msg;
		me.inputdatalength = c->len;
		me.outputdata = out;
		me.outputdatalength = c->len;
		me.b_key = (__u8 *)c->exp;
		me.n_modulus = (__u8 *)c->mod;
		rc = ioctl(fd, ICARSAMODEXPO, &me);
	}
	rc = rc < 0 ? errno : 0;
	disarm();
	return rc;
}

/* First differing byte, or -1. */
static long mismatch(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (long)i;
	return -1;
}

static int open_dev(const char *path, char *why, size_t whysize)
{
	int fd;

	arm(OP_TIMEOUT);
	fd = open(path, O_RDWR);
	if (fd < 0)
		snprintf(why, whysize, "open %s: %s", path, strerror(errno));
	disarm();
	return fd;
}

/* ---- kat --------------------------------------------------------------------- */

static int cmd_kat(const char *path, const char *dev)
{
	static struct kat_file kf;
	unsigned char out[MAX_MOD];
	char why[160], et[96];
	unsigned int i, failed = 0;
	bool hung = false;
	int fd;

	if (!load_kat(path, &kf))
		return 1;
	fd = open_dev(dev, why, sizeof(why));
	for (i = 0; i < kf.n; i++) {
		const struct kat_case *c = &kf.c[i];
		char name[64];
		double t0;
		long at;
		int err;

		snprintf(name, sizeof(name), "kat-%s", c->name);
		if (fd < 0 || hung) {
			result(name, false, "%s",
			       hung ? "skipped: an earlier request got no answer" : why);
			failed++;
			continue;
		}
		t0 = now();
		err = run_case(fd, c, out, OP_TIMEOUT);
		if (err) {
			result(name, false, "%s %s", c->crt ? "ICARSACRT" : "ICARSAMODEXPO",
			       err_text(err, et, sizeof(et)));
			/* one hang is enough: do not spend a timeout per case */
			hung = err == EINTR && alarm_fired;
			failed++;
			continue;
		}
		at = mismatch(out, c->expect, c->len);
		if (at >= 0) {
			result(name, false, "wrong result: first difference at byte %ld of %u", at,
			       c->len);
			failed++;
			continue;
		}
		result(name, true, "%u bytes ms=%.1f", c->len, (now() - t0) * 1e3);
	}
	if (fd >= 0)
		close(fd);
	return failed ? 1 : 0;
}

/* ---- dump: the vectors as read, in kat.py's format (a check of the parser) ---- */

static void print_hex(const unsigned char *p, size_t n)
{
	size_t i;

	putchar(' ');
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static int cmd_dump(const char *path)
{
	static struct kat_file kf;
	unsigned int i, half;

	if (!load_kat(path, &kf))
		return 1;
	for (i = 0; i < kf.n; i++) {
		const struct kat_case *c = &kf.c[i];

		half = c->len / 2;
		printf("%s %s %u", c->crt ? "crt" : "me", c->name, c->len);
		print_hex(c->msg, c->len);
		if (c->crt) {
			print_hex(c->p, half + 8);
			print_hex(c->q, half);
			print_hex(c->dp, half + 8);
			print_hex(c->dq, half);
			print_hex(c->u, half + 8);
		} else {
			print_hex(c->exp, c->len);
			print_hex(c->mod, c->len);
		}
		print_hex(c->expect, c->len);
		putchar('\n');
	}
	return 0;
}

/* ---- rng --------------------------------------------------------------------- */

static void read_line_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f) {
		snprintf(buf, size, "?");
		return;
	}
	if (!fgets(buf, (int)size, f))
		snprintf(buf, size, "?");
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static int cmd_rng(unsigned long n)
{
	unsigned char *buf;
	size_t got = 0;
	char source[64], et[96];
	unsigned int distinct = 0, seen[256] = { 0 };
	bool zero = true;
	size_t i;
	int fd, read_err;

	if (n == 0 || n > (1UL << 20)) {
		result("rng", false, "byte count %lu out of range 1..1048576", n);
		return 1;
	}
	read_line_file(RNG_CURRENT, source, sizeof(source));
	buf = malloc(n);
	if (!buf) {
		result("rng", false, "out of memory");
		return 1;
	}
	read_err = 0;
	arm(OP_TIMEOUT);
	fd = open(HWRNG, O_RDONLY);
	if (fd < 0)
		read_err = errno;
	while (fd >= 0 && got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0)
			read_err = errno;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	disarm();
	if (fd < 0 || got < n) {
		result("rng", false, "%s %s: got %zu of %lu bytes: %s source=%s",
		       fd < 0 ? "open" : "read", HWRNG, got, n,
		       read_err ? err_text(read_err, et, sizeof(et)) : "end of file", source);
		if (fd >= 0)
			close(fd);
		free(buf);
		return 1;
	}
	close(fd);
	for (i = 0; i < n; i++) {
		if (!seen[buf[i]]++)
			distinct++;
		if (buf[i])
			zero = false;
	}
	free(buf);
	/* zcrypt names its hwrng "zcrypt"; anything else did not test the CCA card */
	if (zero || distinct < 2 || strcmp(source, "zcrypt") != 0) {
		result("rng", false, "bytes=%lu distinct=%u all_zero=%d source=%s", n, distinct,
		       zero, source);
		return 1;
	}
	result("rng", true, "bytes=%lu distinct=%u source=%s", n, distinct, source);
	return 0;
}

/* ---- bench and load ---------------------------------------------------------------- */

static int cmd_bench(double seconds, const char *path, const char *casename)
{
	static struct kat_file kf;
	const struct kat_case *c;
	unsigned char out[MAX_MOD];
	unsigned long ops = 0, wrong = 0;
	char why[160], et[96], bname[64];
	double t0, t;
	int fd, err = 0;

	snprintf(bname, sizeof(bname), "bench-%s", casename);
	if (!load_kat(path, &kf))
		return 1;
	c = find_case(&kf, casename);
	if (!c) {
		result(bname, false, "no case '%s' in %s", casename, path);
		return 1;
	}
	fd = open_dev(Z90CRYPT, why, sizeof(why));
	if (fd < 0) {
		result(bname, false, "%s", why);
		return 1;
	}
	t0 = now();
	do {
		err = run_case(fd, c, out, OP_TIMEOUT);
		if (err)
			break;
		if (memcmp(out, c->expect, c->len) != 0)
			wrong++;
		ops++;
		t = now() - t0;
	} while (t < seconds);
	t = now() - t0;
	close(fd);
	printf("S390AP-BENCH %s ops=%lu seconds=%.2f ops_per_s=%.1f\n", c->name, ops, t,
	       t > 0 ? (double)ops / t : 0.0);
	if (err) {
		result(bname, false, "after %lu ops: %s", ops, err_text(err, et, sizeof(et)));
		return 1;
	}
	result(bname, ops > 0 && wrong == 0, "ops=%lu wrong=%lu", ops, wrong);
	return ops > 0 && wrong == 0 ? 0 : 1;
}

/* Per-card request counters (ZCRYPT_PERDEV_REQCNT), or false if not available. */
static bool card_counts(int fd, int counts[MAX_ZDEV_CARDIDS_EXT])
{
	memset(counts, 0, sizeof(int) * MAX_ZDEV_CARDIDS_EXT);
	return ioctl(fd, ZCRYPT_PERDEV_REQCNT, counts) == 0;
}

/*
 * Requests in a loop for `seconds` (ME and CRT of the 2048-bit key in turn);
 * PASS if every one succeeded with the right answer.  The detail says how
 * many requests each card took (the failover test reads it).
 */
static int cmd_load(double seconds, const char *path, const char *name)
{
	static struct kat_file kf;
	const struct kat_case *cs[2];
	unsigned char out[MAX_MOD];
	unsigned long ok = 0, wrong = 0, errors = 0;
	int first_err = 0, before[MAX_ZDEV_CARDIDS_EXT], after[MAX_ZDEV_CARDIDS_EXT];
	char why[160], et[96], cards[256];
	bool have_counts;
	size_t used = 0;
	double t0, slowest = 0;
	int fd, i;

	if (!load_kat(path, &kf))
		return 1;
	cs[0] = find_case(&kf, "me-priv-2048");
	cs[1] = find_case(&kf, "crt-2048");
	if (!cs[0] || !cs[1]) {
		result(name, false, "no me-priv-2048 / crt-2048 case in %s", path);
		return 1;
	}
	fd = open_dev(Z90CRYPT, why, sizeof(why));
	if (fd < 0) {
		result(name, false, "%s", why);
		return 1;
	}
	have_counts = card_counts(fd, before);
	t0 = now();
	while (now() - t0 < seconds) {
		const struct kat_case *c = cs[(ok + wrong + errors) % 2];
		double t1 = now();
		int err = run_case(fd, c, out, OP_TIMEOUT);

		if (now() - t1 > slowest)
			slowest = now() - t1;
		if (err) {
			if (!first_err)
				first_err = err;
			errors++;
			if (err == EINTR)
				break; /* our alarm: the driver hung */
		} else if (memcmp(out, c->expect, c->len) != 0) {
			wrong++;
		} else {
			ok++;
		}
	}
	cards[0] = '\0';
	if (have_counts && card_counts(fd, after)) {
		for (i = 0; i < MAX_ZDEV_CARDIDS_EXT && used < sizeof(cards) - 16; i++)
			if (after[i] != before[i])
				used += (size_t)snprintf(cards + used, sizeof(cards) - used,
							 "%s%02x:%d", used ? "," : "", i,
							 after[i] - before[i]);
	}
	close(fd);
	if (errors || wrong || !ok) {
		result(name, false, "ok=%lu wrong=%lu errors=%lu first_error=%s cards=%s", ok,
		       wrong, errors, first_err ? err_text(first_err, et, sizeof(et)) : "-",
		       cards[0] ? cards : "?");
		return 1;
	}
	result(name, true, "ok=%lu slowest_ms=%.0f cards=%s", ok, slowest * 1e3,
	       cards[0] ? cards : "?");
	return 0;
}

/* ---- lose: one request whose reply the machine drops ------------------------------ */

static bool parse_apqn(const char *s, unsigned int *apid, unsigned int *apqi)
{
	char *end;
	unsigned long a, d;

	a = strtoul(s, &end, 16);
	if (end == s || *end != '.' || a > 255)
		return false;
	s = end + 1;
	d = strtoul(s, &end, 16);
	if (end == s || *end || d > 255)
		return false;
	*apid = (unsigned int)a;
	*apqi = (unsigned int)d;
	return true;
}

static bool write_attr(const char *path, const char *text, char *why, size_t whysize)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		snprintf(why, whysize, "open %s: %s", path, strerror(errno));
		return false;
	}
	n = write(fd, text, strlen(text));
	if (n < 0)
		snprintf(why, whysize, "write '%s' to %s: %s", text, path, strerror(errno));
	close(fd);
	return n >= 0;
}

/*
 * A zcrypt device node (/dev/NAME) that may use only APQN apid.apqi and the
 * two RSA ioctls, so a request cannot go to another queue.
 */
static bool make_node(const char *name, unsigned int apid, unsigned int apqi, char *why,
		      size_t whysize)
{
	char path[160], text[64];
	struct stat st;
	int i;

	snprintf(path, sizeof(path), ZCRYPT_CLASS "/%s", name);
	if (stat(path, &st) != 0 && !write_attr(ZCRYPT_CLASS "/create", name, why, whysize))
		return false;
	snprintf(path, sizeof(path), ZCRYPT_CLASS "/%s/ioctlmask", name);
	snprintf(text, sizeof(text), "+%u,+%u", (unsigned int)_IOC_NR(ICARSAMODEXPO),
		 (unsigned int)_IOC_NR(ICARSACRT));
	if (!write_attr(path, text, why, whysize))
		return false;
	snprintf(path, sizeof(path), ZCRYPT_CLASS "/%s/apmask", name);
	snprintf(text, sizeof(text), "+%u", apid);
	if (!write_attr(path, text, why, whysize))
		return false;
	snprintf(path, sizeof(path), ZCRYPT_CLASS "/%s/aqmask", name);
	snprintf(text, sizeof(text), "+%u", apqi);
	if (!write_attr(path, text, why, whysize))
		return false;
	/* devtmpfs makes the node; give it a moment */
	snprintf(path, sizeof(path), "/dev/%s", name);
	for (i = 0; i < 100; i++) {
		if (stat(path, &st) == 0 && S_ISCHR(st.st_mode))
			return true;
		usleep(100000);
	}
	snprintf(why, whysize, "%s did not appear", path);
	return false;
}

/* The me-priv-2048 case, and a zcrypt device node that reaches only APQN,
 * opened; -1 after a FAIL line for NAME. */
static int open_one_queue(const char *path, const char *apqn, const char *name, struct kat_file *kf,
			  const struct kat_case **c)
{
	unsigned int apid, apqi;
	char node[32], dev[48], why[200];
	int fd;

	if (!load_kat(path, kf))
		return -1;
	*c = find_case(kf, "me-priv-2048");
	if (!*c) {
		result(name, false, "no me-priv-2048 case in %s", path);
		return -1;
	}
	if (!parse_apqn(apqn, &apid, &apqi)) {
		result(name, false, "bad APQN '%s' (want AA.DDDD)", apqn);
		return -1;
	}
	snprintf(node, sizeof(node), "zct_%02x_%04x", apid, apqi);
	if (!make_node(node, apid, apqi, why, sizeof(why))) {
		result(name, false, "zcrypt node for %s: %s", apqn, why);
		return -1;
	}
	snprintf(dev, sizeof(dev), "/dev/%s", node);
	fd = open_dev(dev, why, sizeof(why));
	if (fd < 0)
		result(name, false, "%s", why);
	return fd;
}

/*
 * One request on a node that reaches only APQN, after the host armed
 * `lose APQN`.  The driver notices a lost request when a DQAP finds the queue
 * empty while it still counts requests in flight, and sends them again.  With
 * polling it looks by itself; with interruptions nothing comes for a lost
 * reply, so after `nudge` seconds a second request on the same queue makes it
 * look.  PASS: the request came back (right answer) or failed with an error
 * of the driver's, within `bound` seconds; FAIL: our alarm had to end it.
 */
static int cmd_lose(const char *path, const char *apqn, const char *name, unsigned int nudge,
		    unsigned int bound)
{
	static struct kat_file kf;
	const struct kat_case *c;
	unsigned char out[MAX_MOD];
	char et[96];
	double t0, t;
	pid_t helper;
	int fd, err, status = 0;
	bool helper_ran = false, helper_ok = false;

	fd = open_one_queue(path, apqn, name, &kf, &c);
	if (fd < 0)
		return 1;
	fflush(stdout);
	helper = fork();
	if (helper == 0) {
		/* the nudge: a second request on the same queue */
		unsigned char out2[MAX_MOD];

		sleep(nudge);
		printf("zctest: %s: no answer after %us, sending a second request on %s\n", name,
		       nudge, apqn);
		fflush(stdout);
		err = run_case(fd, c, out2, bound);
		_exit(err ? 2 : memcmp(out2, c->expect, c->len) ? 3 : 0);
	}
	t0 = now();
	err = run_case(fd, c, out, bound);
	t = now() - t0;
	if (helper > 0) {
		/* a helper still asleep has not sent anything: it is not needed */
		if (t < nudge)
			kill(helper, SIGKILL);
		waitpid(helper, &status, 0);
		helper_ran = !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		helper_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	close(fd);
	if (err == EINTR && alarm_fired) {
		result(name, false, "outcome=hang: no answer or error within %us (nudge sent: %s)",
		       bound, helper_ran ? "yes" : "no");
		return 1;
	}
	if (err) {
		result(name, true, "outcome=driver-error %s seconds=%.2f apqn=%s",
		       err_text(err, et, sizeof(et)), t, apqn);
		return 0;
	}
	if (memcmp(out, c->expect, c->len) != 0) {
		result(name, false, "outcome=wrong-result seconds=%.2f apqn=%s", t, apqn);
		return 1;
	}
	result(name, true, "outcome=%s seconds=%.2f apqn=%s%s",
	       helper_ran ? "resent-after-next-request" : "resent-by-driver", t, apqn,
	       helper_ran && !helper_ok ? " (the second request failed)" : "");
	return 0;
}

/*
 * One request on a node that reaches only APQN (after the host made that
 * queue busy): PASS if it comes back with the right answer within `bound`.
 */
static int cmd_one(const char *path, const char *apqn, const char *name, unsigned int bound)
{
	static struct kat_file kf;
	const struct kat_case *c;
	unsigned char out[MAX_MOD];
	char et[96];
	double t0, t;
	int fd, err;

	fd = open_one_queue(path, apqn, name, &kf, &c);
	if (fd < 0)
		return 1;
	t0 = now();
	err = run_case(fd, c, out, bound);
	t = now() - t0;
	close(fd);
	if (err) {
		result(name, false, "%s seconds=%.2f apqn=%s", err_text(err, et, sizeof(et)), t,
		       apqn);
		return 1;
	}
	if (memcmp(out, c->expect, c->len) != 0) {
		result(name, false, "wrong result seconds=%.2f apqn=%s", t, apqn);
		return 1;
	}
	result(name, true, "seconds=%.2f apqn=%s", t, apqn);
	return 0;
}

/* ---- main -------------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: zctest kat FILE [DEVICE]\n"
			"       zctest dump FILE\n"
			"       zctest rng BYTES\n"
			"       zctest bench SECONDS FILE [CASE]\n"
			"       zctest load SECONDS FILE NAME\n"
			"       zctest lose FILE AA.DDDD NAME [NUDGE_S [BOUND_S]]\n"
			"       zctest one FILE AA.DDDD NAME [BOUND_S]\n");
}

static bool to_ulong(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return end != s && !*end && !errno;
}

int main(int argc, char **argv)
{
	unsigned long a = 0, b = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup_alarm();
	if (argc < 2) {
		usage();
		return 2;
	}
	if (strcmp(argv[1], "kat") == 0 && (argc == 3 || argc == 4))
		return cmd_kat(argv[2], argc == 4 ? argv[3] : Z90CRYPT);
	if (strcmp(argv[1], "dump") == 0 && argc == 3)
		return cmd_dump(argv[2]);
	if (strcmp(argv[1], "rng") == 0 && argc == 3 && to_ulong(argv[2], &a))
		return cmd_rng(a);
	if (strcmp(argv[1], "bench") == 0 && (argc == 4 || argc == 5) && to_ulong(argv[2], &a) &&
	    a > 0)
		return cmd_bench((double)a, argv[3], argc == 5 ? argv[4] : "me-pub-2048");
	if (strcmp(argv[1], "load") == 0 && argc == 5 && to_ulong(argv[2], &a) && a > 0)
		return cmd_load((double)a, argv[3], argv[4]);
	if (strcmp(argv[1], "lose") == 0 && argc >= 5 && argc <= 7) {
		a = 5;
		b = 60;
		if ((argc >= 6 && !to_ulong(argv[5], &a)) ||
		    (argc == 7 && !to_ulong(argv[6], &b)) || a == 0 || b <= a || b > 3600) {
			usage();
			return 2;
		}
		return cmd_lose(argv[2], argv[3], argv[4], (unsigned int)a, (unsigned int)b);
	}
	if (strcmp(argv[1], "one") == 0 && (argc == 5 || argc == 6)) {
		a = 60;
		if ((argc == 6 && !to_ulong(argv[5], &a)) || a == 0 || a > 3600) {
			usage();
			return 2;
		}
		return cmd_one(argv[2], argv[3], argv[4], (unsigned int)a);
	}
	usage();
	return 2;
}
