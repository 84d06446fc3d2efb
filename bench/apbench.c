/* SPDX-License-Identifier: MIT */
/* apbench — how fast the dispatcher runs real s390x code against the AP
 * model: five workloads (bench/asm/w1.S .. w5.S) and three guest workloads
 * under SIE (W6 .. W8), guest-3s under vSIE (W10, W11, W11nc), each timed through s390ap_sys_run,
 * next to a host baseline measured in the same process and, for W1, next to the same loop on
 * Hercules when it is installed.
 *
 *   apbench [--quick] [--json] [--runs N] [--workload W1,W3] ...
 *
 * docs/bench.md describes the workloads, the output and the JSON schema.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "s390ap/s390ap.h"

#include "bench.h"

#define MAX_WORKLOADS 24
#define MAX_RUNS 1000
#define MAX_ITERS 0x7fffffffull /* BRCT counts the low word of GR9 */
#define HERC_ITERS 300000000ull /* about a second on Hercules 3.13 */
#define HERC_ITERS_QUICK 30000000ull

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct options {
	bool json, quick, baseline, hercules, events_set;
	double load_start, load_end; /* 1-minute load average around the run */
	unsigned runs, warmup;
	uint64_t iters;      /* 0 = the workload's default */
	uint64_t herc_iters; /* 0 = default */
	double herc_timeout;
	const char *herc_path; /* NULL = search PATH */
	const char *output;    /* NULL = stdout */
	bool selected[MAX_WORKLOADS];
};

/* What we report for one workload. */
struct report {
	const bench_workload *w;
	bool ok;
	char err[512];
	uint64_t iters, ops;
	bench_sample counts; /* from the last timed run */
	uint64_t runs_ns[MAX_RUNS];
	unsigned nruns;
	double median_ns, ns_per_op, ops_per_sec, insns_per_sec, ap_ops_per_sec;
	bool have_base;
	uint64_t base_ops;
	double base_ns_per_op, base_ops_per_sec, vs_baseline;
	double vs_hercules; /* NAN when not measured */
	double vs_level1;   /* W6, W10: its ns per op over W2's; NAN when not both */
	double vs_nocache;  /* W11: its ns per op over W11nc's; NAN when not both */
};

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: apbench [options]\n"
	      "  --quick                 CI-size counts (seconds in total, not minutes)\n"
	      "  --json                  JSON instead of the table (docs/bench.md: schema)\n"
	      "  -o, --output FILE       write the report to FILE instead of stdout\n"
	      "  --runs N                timed runs per workload, median reported (default 5)\n"
	      "  --warmup N              untimed runs before them (default 1)\n"
	      "  --workload LIST         comma-separated subset of W1..W5, the guests W6,W7,W8,\n"
	      "                          the guest-3s W10,W11,W11nc,\n"
	      "                          the scaling rows W2wait,W2halt,W4events,Wallq and the\n"
	      "                          matrix rows W9n1,W9n16,W9n64,W9,W6mx1,W6mx256\n"
	      "                          (default all)\n"
	      "  -n, --iterations N      loop iterations (GR9) for every selected workload,\n"
	      "                          1 .. 2^31-1 (default: per workload, see --list)\n"
	      "  --latency CYCLES        W3, W5 adapter reply latency (default 1: no waiting)\n"
	      "  --events N              W4events: far-future events pending (default 65536,\n"
	      "                          --quick 1024)\n"
	      "  --no-baseline           skip the host baselines\n"
	      "  --no-hercules           skip the Hercules comparison\n"
	      "  --hercules PATH         the hercules binary (default: `hercules` on PATH)\n"
	      "  --hercules-iterations N W1 loop count on Hercules (default 300000000)\n"
	      "  --hercules-timeout SEC  per Hercules run (default 120)\n"
	      "  --list                  list the workloads and their default sizes\n"
	      "  -h, --help              this text\n",
	      f);
}

static int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int find_workload(const char *name, size_t len)
{
	for (unsigned i = 0; i < bench_nworkloads; i++)
		if (strlen(bench_workloads[i].name) == len &&
		    strncasecmp(bench_workloads[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

static int parse_selection(const char *list, struct options *o)
{
	const char *p = list;

	memset(o->selected, 0, sizeof(o->selected));
	while (*p) {
		size_t len = strcspn(p, ",");
		int i = find_workload(p, len);

		if (i < 0) {
			fprintf(stderr, "apbench: unknown workload '%.*s' (see --list)\n", (int)len,
				p);
			return -1;
		}
		o->selected[i] = true;
		p += len;
		if (*p == ',')
			p++;
	}
	for (unsigned i = 0; i < bench_nworkloads; i++)
		if (o->selected[i])
			return 0;
	fprintf(stderr, "apbench: --workload selects nothing\n");
	return -1;
}

static void list_workloads(void)
{
	printf("%-8s %-52s %-11s %12s %10s\n", "name", "what", "one op", "iterations", "--quick");
	for (unsigned i = 0; i < bench_nworkloads; i++) {
		const bench_workload *w = &bench_workloads[i];

		printf("%-8s %-52s %-11s %12llu %10llu\n", w->name, w->title, w->op,
		       (unsigned long long)w->iters, (unsigned long long)w->iters_quick);
	}
}

/* 0 = run, 1 = done (help/list), 2 = usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->baseline = o->hercules = true;
	o->runs = 5;
	o->warmup = 1;
	o->herc_timeout = 120;
	for (unsigned i = 0; i < bench_nworkloads && i < MAX_WORKLOADS; i++)
		o->selected[i] = true;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;

#define NEEDS_VALUE                                                        \
	do {                                                               \
		if (!v) {                                                  \
			fprintf(stderr, "apbench: %s needs a value\n", a); \
			return 2;                                          \
		}                                                          \
		i++;                                                       \
	} while (0)
#define BAD_VALUE                                                           \
	do {                                                                \
		fprintf(stderr, "apbench: bad value for %s: '%s'\n", a, v); \
		return 2;                                                   \
	} while (0)

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--quick")) {
			o->quick = true;
		} else if (!strcmp(a, "--no-baseline")) {
			o->baseline = false;
		} else if (!strcmp(a, "--no-hercules")) {
			o->hercules = false;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			NEEDS_VALUE;
			o->output = v;
		} else if (!strcmp(a, "--runs")) {
			NEEDS_VALUE;
			if (parse_u64(v, 1, MAX_RUNS, &n) < 0)
				BAD_VALUE;
			o->runs = (unsigned)n;
		} else if (!strcmp(a, "--warmup")) {
			NEEDS_VALUE;
			if (parse_u64(v, 0, 100, &n) < 0)
				BAD_VALUE;
			o->warmup = (unsigned)n;
		} else if (!strcmp(a, "--workload") || !strcmp(a, "--workloads")) {
			NEEDS_VALUE;
			if (parse_selection(v, o) < 0)
				return 2;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--iterations")) {
			NEEDS_VALUE;
			if (parse_u64(v, 1, MAX_ITERS, &o->iters) < 0)
				BAD_VALUE;
		} else if (!strcmp(a, "--latency")) {
			NEEDS_VALUE;
			if (parse_u64(v, 1, 1000000000, &bench_latency) < 0)
				BAD_VALUE;
		} else if (!strcmp(a, "--events")) {
			NEEDS_VALUE;
			if (parse_u64(v, 1, BENCH_EVENTS_MAX, &bench_events) < 0)
				BAD_VALUE;
			o->events_set = true;
		} else if (!strcmp(a, "--hercules")) {
			NEEDS_VALUE;
			o->herc_path = v;
		} else if (!strcmp(a, "--hercules-iterations")) {
			NEEDS_VALUE;
			if (parse_u64(v, 2, MAX_ITERS, &o->herc_iters) < 0)
				BAD_VALUE;
		} else if (!strcmp(a, "--hercules-timeout")) {
			NEEDS_VALUE;
			if (parse_u64(v, 1, 3600, &n) < 0)
				BAD_VALUE;
			o->herc_timeout = (double)n;
		} else if (!strcmp(a, "--list")) {
			list_workloads();
			return 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 1;
		} else {
			fprintf(stderr, "apbench: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
#undef NEEDS_VALUE
#undef BAD_VALUE
	}
	if (o->quick && !o->events_set)
		bench_events = BENCH_EVENTS_QUICK;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Measuring                                                            */
/* ------------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double median(const uint64_t *v, unsigned n)
{
	uint64_t s[MAX_RUNS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_u64);
	return n % 2 ? (double)s[n / 2] : ((double)s[n / 2 - 1] + (double)s[n / 2]) / 2;
}

/* "apbench: W1 ..." on a terminal; nothing in logs */
static void progress(const char *name)
{
	if (isatty(2))
		fprintf(stderr, "apbench: %s ...\n", name);
}

static void measure(const bench_workload *w, const struct options *o, struct report *r)
{
	bench_sample s;

	memset(r, 0, sizeof(*r));
	r->w = w;
	r->vs_hercules = NAN;
	r->vs_baseline = NAN;
	r->vs_level1 = NAN;
	r->vs_nocache = NAN;
	r->iters = o->iters ? o->iters : o->quick ? w->iters_quick : w->iters;
	r->ops = r->iters * w->ops_per_iter;

	progress(w->name);
	for (unsigned i = 0; i < o->warmup; i++)
		if (w->run(r->iters, &s, r->err, sizeof(r->err)) < 0)
			return;
	for (unsigned i = 0; i < o->runs; i++) {
		if (w->run(r->iters, &s, r->err, sizeof(r->err)) < 0)
			return;
		if (i > 0 && (s.insns != r->counts.insns || s.ap_insns != r->counts.ap_insns ||
			      s.cycles != r->counts.cycles)) {
			snprintf(r->err, sizeof(r->err),
				 "runs disagree: %llu then %llu instructions (the dispatcher should "
				 "be deterministic)",
				 (unsigned long long)r->counts.insns, (unsigned long long)s.insns);
			return;
		}
		r->counts = s;
		r->runs_ns[r->nruns++] = s.ns ? s.ns : 1;
	}
	r->median_ns = median(r->runs_ns, r->nruns);
	r->ns_per_op = r->median_ns / (double)r->ops;
	r->ops_per_sec = (double)r->ops * 1e9 / r->median_ns;
	r->insns_per_sec = (double)r->counts.insns * 1e9 / r->median_ns;
	r->ap_ops_per_sec = (double)r->counts.ap_insns * 1e9 / r->median_ns;
	r->ok = true;

	if (o->baseline && w->baseline) {
		uint64_t ns[MAX_RUNS];

		r->base_ops = o->quick ? w->base_ops_quick : w->base_ops;
		(void)w->baseline(r->base_ops / 10 + 1); /* warm caches and clocks */
		for (unsigned i = 0; i < o->runs; i++) {
			ns[i] = w->baseline(r->base_ops);
			if (ns[i] == 0) { /* it failed (W5: OpenSSL or a wrong result) */
				fprintf(stderr, "apbench: %s: the host baseline failed\n", w->name);
				return;
			}
		}
		r->base_ns_per_op = median(ns, o->runs) / (double)r->base_ops;
		r->base_ops_per_sec = 1e9 / r->base_ns_per_op;
		r->vs_baseline = r->ops_per_sec / r->base_ops_per_sec;
		r->have_base = true;
	}
}

/* The host's 1-minute load average (Linux /proc/loadavg), NAN if unknown.
 * Other work on the machine slows both sides, Hercules (several threads)
 * more than us: the report says when the numbers deserve less trust. */
static double loadavg(void)
{
	FILE *f = fopen("/proc/loadavg", "r");
	double v = NAN;

	if (f) {
		if (fscanf(f, "%lf", &v) != 1)
			v = NAN;
		fclose(f);
	}
	return v;
}

static long ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

/* Busy before we started, or more than one runnable task per CPU at the
 * end (apbench and Hercules themselves account for up to about 1.5). */
static bool host_busy(double start, double end)
{
	return (isfinite(start) && start > (double)ncpus() / 2) ||
	       (isfinite(end) && end > (double)ncpus() + 0.5);
}

/* ------------------------------------------------------------------ */
/* Output                                                               */
/* ------------------------------------------------------------------ */

/* 1234567 -> "1.23M" (into buf) */
static const char *si(double v, char *buf, size_t size)
{
	static const char units[] = " kMGT";
	unsigned u = 0;

	if (!isfinite(v)) {
		snprintf(buf, size, "-");
		return buf;
	}
	while (v >= 1000 && u + 1 < sizeof(units) - 1) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%.3g", v);
	else
		snprintf(buf, size, "%.3g%c", v, units[u]);
	return buf;
}

static void print_text(FILE *f, const struct options *o, const struct report *rs, unsigned n,
		       const herc_result *h, bool herc_tried)
{
	char b1[32], b2[32], b3[32], b4[32];

	fprintf(f, "apbench: s390ap %s, median of %u run%s (+%u warm-up), %s counts\n\n",
		S390AP_VERSION_STRING, o->runs, o->runs == 1 ? "" : "s", o->warmup,
		o->quick ? "--quick" : "full");
	fprintf(f, "%-8s %-11s %10s %9s %8s %8s %8s %6s %10s %12s\n", "", "one op", "ops", "ns/op",
		"ops/s", "insn/s", "AP ops/s", "insn/op", "base ns/op", "vs_baseline");
	for (unsigned i = 0; i < n; i++) {
		const struct report *r = &rs[i];

		if (!r->ok) {
			fprintf(f, "%-8s %-11s FAILED: %s\n", r->w->name, r->w->op, r->err);
			continue;
		}
		fprintf(f, "%-8s %-11s %10llu %9.2f %8s %8s %8s %6.2f", r->w->name, r->w->op,
			(unsigned long long)r->ops, r->ns_per_op,
			si(r->ops_per_sec, b1, sizeof(b1)), si(r->insns_per_sec, b2, sizeof(b2)),
			si(r->ap_ops_per_sec, b3, sizeof(b3)),
			(double)r->counts.insns / (double)r->ops);
		if (r->have_base)
			fprintf(f, " %10.3f %12.4f\n", r->base_ns_per_op, r->vs_baseline);
		else
			fprintf(f, " %10s %12s\n", "-", "-");
	}
	fputc('\n', f);
	for (unsigned i = 0; i < n; i++) {
		const struct report *r = &rs[i];

		fprintf(f, "%s: %s", r->w->name, r->w->title);
		if (r->ok && r->have_base)
			fprintf(f, "; %.1fx the host baseline's time", 1 / r->vs_baseline);
		if (r->ok && r->counts.polls)
			fprintf(f, "; %llu DQAP polls", (unsigned long long)r->counts.polls);
		if (r->ok && r->counts.pending)
			fprintf(f, "; %llu events pending", (unsigned long long)r->counts.pending);
		if (r->ok && r->counts.sie_entries)
			fprintf(f, "; %llu SIE entries, %llu interceptions, %llu PQAP hook calls",
				(unsigned long long)r->counts.sie_entries,
				(unsigned long long)r->counts.interceptions,
				(unsigned long long)r->counts.pqap_hook);
		if (r->ok && r->counts.vsie_entries)
			fprintf(f, "; %llu guest-3 SIE entries",
				(unsigned long long)r->counts.vsie_entries);
		if (r->ok && r->counts.mdevs)
			fprintf(f, "; %u mdevs open", r->counts.mdevs);
		if (r->ok && r->counts.crycb_updates)
			fprintf(f, ", %llu CRYCB updates (%.2f per mdev per change)",
				(unsigned long long)r->counts.crycb_updates,
				(double)r->counts.crycb_updates /
					((double)r->ops * (double)r->counts.mdevs));
		if (r->ok && isfinite(r->vs_level1))
			fprintf(f, "; %.2fx W2's time per TAPQ", r->vs_level1);
		if (r->ok && isfinite(r->vs_nocache))
			fprintf(f, "; %.2fx W11nc's time per round trip", r->vs_nocache);
		if (r->ok && r->counts.have_rss)
			fprintf(f, "; RSS %llu KiB before, %llu KiB after the loop: %+lld KiB",
				(unsigned long long)r->counts.rss_before_kib,
				(unsigned long long)r->counts.rss_after_kib,
				(long long)r->counts.rss_after_kib -
					(long long)r->counts.rss_before_kib);
		fputc('\n', f);
	}
	fputc('\n', f);
	if (host_busy(o->load_start, o->load_end))
		fprintf(f,
			"note: load average %.2f before, %.2f after, on %ld CPUs: the host was "
			"busy, timings (Hercules' most) are noisy\n\n",
			o->load_start, o->load_end, ncpus());
	if (!herc_tried) {
		fprintf(f, "hercules: %s\n",
			!o->hercules ? "skipped (--no-hercules)" : "skipped (W1 not selected)");
		return;
	}
	if (!h->installed) {
		fprintf(f, "hercules: not installed\n");
		return;
	}
	if (!h->ok) {
		fprintf(f, "hercules: %s%s%s: no measurement: %s\n", h->path,
			h->version[0] ? " version " : "", h->version, h->reason);
		return;
	}
	fprintf(f,
		"hercules: %s (version %s), W1 loop x %llu: %s insn/s "
		"(median %.1f ms, minus start-up %.1f ms)\n",
		h->path, h->version, (unsigned long long)h->iterations,
		si(h->insns_per_sec, b1, sizeof(b1)), h->run_ns / 1e6, h->startup_ns / 1e6);
	for (unsigned i = 0; i < n; i++)
		if (isfinite(rs[i].vs_hercules))
			fprintf(f, "W1 vs hercules: %.3f (s390ap %s insn/s / hercules %s insn/s)\n",
				rs[i].vs_hercules, si(rs[i].insns_per_sec, b2, sizeof(b2)),
				si(h->insns_per_sec, b4, sizeof(b4)));
}

/* A double, or null for no value (NAN: failed or not measured). */
static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jint(unsigned long long v)
{
	/* jansson's integers are signed 64-bit; counts never get near */
	return json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *jstr(const char *s)
{
	json_t *v = json_string(s);
	/* text from outside (a program's version line) may not be UTF-8 */
	return v ? v : json_string("?");
}

/* Puts v into object o under key and drops the reference; false on a
 * failed allocation. */
static bool jset(json_t *o, const char *key, json_t *v)
{
	return v && json_object_set_new(o, key, v) == 0;
}

static json_t *hercules_json(const herc_result *h)
{
	json_t *j = json_object();
	bool ok = j && jset(j, "installed", json_boolean(h->installed)) &&
		  jset(j, "ok", json_boolean(h->ok));
	if (ok && h->installed)
		ok = jset(j, "path", jstr(h->path)) && jset(j, "version", jstr(h->version)) &&
		     jset(j, "iterations", jint(h->iterations)) &&
		     jset(j, "runs", json_integer(h->runs)) &&
		     jset(j, "run_ns", jnum(h->ok ? h->run_ns : NAN)) &&
		     jset(j, "startup_ns", jnum(h->ok ? h->startup_ns : NAN)) &&
		     jset(j, "insns_per_sec", jnum(h->ok ? h->insns_per_sec : NAN));
	if (ok)
		ok = jset(j, "error",
			  h->ok ? json_null() : jstr(h->installed ? h->reason : "not installed"));
	if (!ok) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static json_t *workload_json(const struct report *r)
{
	json_t *j = json_object(), *runs = json_array();
	bool ok = j && runs;
	for (unsigned k = 0; ok && k < r->nruns; k++)
		ok = json_array_append_new(runs, jint(r->runs_ns[k])) == 0;
	ok = ok && jset(j, "name", jstr(r->w->name)) && jset(j, "title", jstr(r->w->title)) &&
	     jset(j, "op", jstr(r->w->op)) && jset(j, "ok", json_boolean(r->ok)) &&
	     jset(j, "error", r->ok ? json_null() : jstr(r->err)) &&
	     jset(j, "iterations", jint(r->iters)) && jset(j, "ops", jint(r->ops)) &&
	     jset(j, "insns", jint(r->counts.insns)) &&
	     jset(j, "ap_insns", jint(r->counts.ap_insns)) &&
	     jset(j, "cycles", jint(r->counts.cycles)) &&
	     jset(j, "dqap_polls", jint(r->counts.polls)) &&
	     jset(j, "vcpus", json_integer(r->counts.vcpus)) &&
	     jset(j, "pending_events", jint(r->counts.pending)) &&
	     jset(j, "sie_entries", jint(r->counts.sie_entries)) &&
	     jset(j, "interceptions", jint(r->counts.interceptions)) &&
	     jset(j, "pqap_hook_calls", jint(r->counts.pqap_hook)) &&
	     jset(j, "vsie_entries", jint(r->counts.vsie_entries)) &&
	     jset(j, "mdevs", json_integer(r->counts.mdevs)) &&
	     jset(j, "crycb_updates", jint(r->counts.crycb_updates));
	if (ok && r->counts.have_rss)
		ok = jset(j, "rss_before_kib", jint(r->counts.rss_before_kib)) &&
		     jset(j, "rss_after_kib", jint(r->counts.rss_after_kib)) &&
		     jset(j, "rss_growth_kib",
			  json_integer((json_int_t)r->counts.rss_after_kib -
				       (json_int_t)r->counts.rss_before_kib));
	else if (ok)
		ok = jset(j, "rss_before_kib", json_null()) &&
		     jset(j, "rss_after_kib", json_null()) &&
		     jset(j, "rss_growth_kib", json_null());
	if (ok) {
		ok = jset(j, "runs_ns", runs);
		runs = NULL;
	}
	ok = ok && jset(j, "median_ns", jnum(r->ok ? r->median_ns : NAN)) &&
	     jset(j, "ns_per_op", jnum(r->ok ? r->ns_per_op : NAN)) &&
	     jset(j, "ops_per_sec", jnum(r->ok ? r->ops_per_sec : NAN)) &&
	     jset(j, "insns_per_sec", jnum(r->ok ? r->insns_per_sec : NAN)) &&
	     jset(j, "ap_ops_per_sec", jnum(r->ok ? r->ap_ops_per_sec : NAN)) &&
	     jset(j, "insns_per_op", jnum(r->ok ? (double)r->counts.insns / (double)r->ops : NAN));
	if (ok && r->have_base)
		ok = jset(j, "baseline",
			  json_pack("{s:o,s:o,s:o}", "ops", jint(r->base_ops), "ns_per_op",
				    jnum(r->base_ns_per_op), "ops_per_sec",
				    jnum(r->base_ops_per_sec)));
	else if (ok)
		ok = jset(j, "baseline", json_null());
	ok = ok && jset(j, "vs_baseline", jnum(r->vs_baseline));
	if (ok && !strcmp(r->w->name, "W1"))
		ok = jset(j, "vs_hercules", jnum(r->vs_hercules));
	if (ok && (!strcmp(r->w->name, "W6") || !strcmp(r->w->name, "W10")))
		ok = jset(j, "vs_W2", jnum(r->vs_level1));
	if (ok && !strcmp(r->w->name, "W11"))
		ok = jset(j, "vs_W11nc", jnum(r->vs_nocache));
	json_decref(runs);
	if (!ok) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The report (docs/bench.md: schema), in member order, indented by two.
 * false when it could not be built or written. */
static bool print_json(FILE *f, const struct options *o, const struct report *rs, unsigned n,
		       const herc_result *h, bool herc_tried)
{
	json_t *root = json_object(), *host = json_object(), *wl = json_array();
	bool ok = root && host && wl;
	ok = ok && jset(host, "cpus", json_integer(ncpus())) &&
	     jset(host, "loadavg_start", jnum(o->load_start)) &&
	     jset(host, "loadavg_end", jnum(o->load_end)) &&
	     jset(host, "busy", json_boolean(host_busy(o->load_start, o->load_end)));
	ok = ok && jset(root, "tool", json_string("apbench")) &&
	     jset(root, "s390ap_version", json_string(S390AP_VERSION_STRING)) &&
	     jset(root, "quick", json_boolean(o->quick)) &&
	     jset(root, "runs", json_integer(o->runs)) &&
	     jset(root, "warmup", json_integer(o->warmup)) &&
	     jset(root, "latency_cycles", jint(bench_latency)) &&
	     jset(root, "events", jint(bench_events));
	if (ok) {
		ok = jset(root, "host", host);
		host = NULL;
	}
	ok = ok && jset(root, "hercules", herc_tried ? hercules_json(h) : json_null());
	for (unsigned i = 0; ok && i < n; i++) {
		json_t *w = workload_json(&rs[i]);
		ok = w && json_array_append_new(wl, w) == 0;
	}
	if (ok) {
		ok = jset(root, "workloads", wl);
		wl = NULL;
	}
	if (ok)
		ok = json_dumpf(root, f,
				JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)) ==
			     0 &&
		     fputc('\n', f) != EOF;
	json_decref(host);
	json_decref(wl);
	json_decref(root);
	return ok;
}

/* ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	struct options o;
	static struct report reports[MAX_WORKLOADS];
	herc_result herc;
	bool herc_tried = false, all_ok = true;
	const struct report *w1 = NULL, *w2 = NULL, *w6 = NULL, *w10 = NULL, *w11 = NULL,
			    *w11nc = NULL;
	unsigned n = 0;
	FILE *out = stdout;
	int rc = parse_args(argc, argv, &o);

	if (rc != 0)
		return rc == 1 ? 0 : 2;
	o.load_start = loadavg();

	for (unsigned i = 0; i < bench_nworkloads && i < MAX_WORKLOADS; i++) {
		if (!o.selected[i])
			continue;
		measure(&bench_workloads[i], &o, &reports[n]);
		if (!reports[n].ok) {
			all_ok = false;
			fprintf(stderr, "apbench: %s failed: %s\n", bench_workloads[i].name,
				reports[n].err);
		}
		if (!strcmp(bench_workloads[i].name, "W1"))
			w1 = &reports[n];
		if (!strcmp(bench_workloads[i].name, "W2"))
			w2 = &reports[n];
		if (!strcmp(bench_workloads[i].name, "W6"))
			w6 = &reports[n];
		if (!strcmp(bench_workloads[i].name, "W10"))
			w10 = &reports[n];
		if (!strcmp(bench_workloads[i].name, "W11"))
			w11 = &reports[n];
		if (!strcmp(bench_workloads[i].name, "W11nc"))
			w11nc = &reports[n];
		n++;
	}

	/* W6 is W2's loop in a guest: its cost per TAPQ over the level-1 one */
	if (w2 && w6 && w2->ok && w6->ok)
		reports[w6 - reports].vs_level1 = w6->ns_per_op / w2->ns_per_op;
	/* W10 is W2's loop in a guest-3 */
	if (w2 && w10 && w2->ok && w10->ok)
		reports[w10 - reports].vs_level1 = w10->ns_per_op / w2->ns_per_op;
	/* W11 with the shadow cache over W11nc without it */
	if (w11 && w11nc && w11->ok && w11nc->ok)
		reports[w11 - reports].vs_nocache = w11->ns_per_op / w11nc->ns_per_op;

	memset(&herc, 0, sizeof(herc));
	if (o.hercules && w1) {
		herc_tried = true;
		if (herc_find(o.herc_path, herc.path, sizeof(herc.path))) {
			uint64_t iters = o.herc_iters ? o.herc_iters
					 : o.quick    ? HERC_ITERS_QUICK
						      : HERC_ITERS;

			progress("hercules");
			herc_measure(herc.path, iters, o.runs, o.herc_timeout, &herc);
			if (herc.ok && w1->ok)
				reports[w1 - reports].vs_hercules =
					w1->insns_per_sec / herc.insns_per_sec;
			if (!herc.ok)
				fprintf(stderr, "apbench: hercules: %s\n", herc.reason);
		}
	}

	o.load_end = loadavg();
	if (o.output) {
		out = fopen(o.output, "w");
		if (!out) {
			fprintf(stderr, "apbench: cannot write %s: %s\n", o.output,
				strerror(errno));
			return 1;
		}
	}
	if (o.json && !print_json(out, &o, reports, n, &herc, herc_tried)) {
		fprintf(stderr, "apbench: cannot build or write the JSON report\n");
		all_ok = false;
	} else if (!o.json)
		print_text(out, &o, reports, n, &herc, herc_tried);
	if (out != stdout && fclose(out) != 0) {
		fprintf(stderr, "apbench: cannot write %s: %s\n", o.output, strerror(errno));
		return 1;
	}
	return all_ok ? 0 : 1;
}
