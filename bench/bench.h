/* SPDX-License-Identifier: MIT */
/* apbench — shared declarations of the driver, the workloads, the host
 * baselines and the Hercules peer.  docs/bench.md explains the numbers.
 */
#ifndef APBENCH_BENCH_H
#define APBENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* apbench uses the public API and, of src/, only the header-only helpers
 * of src/util. */
#include "util/array.h"

/* ---- time ---- */

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t bench_now_ns(void);

/* ---- workloads (workloads.c) ---- */

/* What one dispatcher run of a workload did.  Everything but `ns` is the
 * same for every run of the same size: the dispatcher is deterministic. */
typedef struct bench_sample {
	uint64_t ns;       /* wall time of s390ap_sys_run only */
	uint64_t insns;    /* emulated instructions (s390ap_sys_stats) */
	uint64_t ap_insns; /* of which AP instructions (PQAP/NQAP/DQAP) */
	uint64_t cycles;   /* machine clock at the end */
	uint64_t polls;    /* W3, W5: DQAP executions that found no reply yet */
	unsigned vcpus;    /* vCPUs of the system (1, or 64 for W2wait/W2halt) */
	uint64_t pending;  /* far-future events pending during the run (W4events) */
	bool have_rss;     /* Wallq: resident set size around its loop */
	uint64_t rss_before_kib, rss_after_kib;
	/* W6 .. W8, the guests: SIE entries and interceptions of the guest's
	 * vCPU (s390ap_vcpu_stats), PQAP hook calls; 0 for the others */
	uint64_t sie_entries, interceptions, pqap_hook;
	/* W10, W11, W11nc: guest-3's SIE entries (s390ap_vcpu_vsie); 0 else */
	uint64_t vsie_entries;
	/* W9, W6mx: mdevs open; W9: CRYCB writes of the timed changes */
	unsigned mdevs;
	uint64_t crycb_updates;
} bench_sample;

typedef struct bench_workload {
	const char *name;      /* "W1" */
	const char *title;     /* one line: what it measures */
	const char *op;        /* what one operation is ("TAPQ") */
	unsigned ops_per_iter; /* operations per loop iteration (GR9 count) */
	uint64_t iters;        /* default iterations */
	uint64_t iters_quick;  /* --quick iterations */
	uint64_t base_ops;     /* default baseline operations */
	uint64_t base_ops_quick;
	/* One run of `iters` iterations through the dispatcher.  Returns 0, or
	 * -1 with a message in err. */
	int (*run)(uint64_t iters, bench_sample *out, char *err, size_t errlen);
	/* The host baseline: `ops` operations; returns elapsed ns, or 0 when
	 * it failed (then the report has no baseline).  NULL: none. */
	uint64_t (*baseline)(uint64_t ops);
} bench_workload;

/* Reply latency of the AP workloads' adapter in cycles (default 1). */
extern uint64_t bench_latency;
/* Far-future events W4events leaves pending (default 65536, --quick 1024). */
extern uint64_t bench_events;
#define BENCH_EVENTS_DEFAULT 65536u
#define BENCH_EVENTS_QUICK 1024u
#define BENCH_EVENTS_MAX 524288u

extern const bench_workload bench_workloads[];
extern const unsigned bench_nworkloads;

/* ---- host baselines (baseline.c) ---- */

uint64_t baseline_w1(uint64_t ops);
uint64_t baseline_w2(uint64_t ops);
uint64_t baseline_w3(uint64_t ops);
uint64_t baseline_w4(uint64_t ops);
uint64_t baseline_w5(uint64_t ops);
uint64_t baseline_w6(uint64_t ops);
uint64_t baseline_w7(uint64_t ops);
uint64_t baseline_w8(uint64_t ops);
uint64_t baseline_w10(uint64_t ops);
uint64_t baseline_w11(uint64_t ops);
uint64_t baseline_w9n1(uint64_t ops);
uint64_t baseline_w9n16(uint64_t ops);
uint64_t baseline_w9n64(uint64_t ops);
uint64_t baseline_w9(uint64_t ops);

/* ---- W5's operands (w5_data.c) ---- */

/* RSA-2048: modulus, message and message^65537 mod modulus, big-endian. */
extern const unsigned char w5_modulus[256];
extern const unsigned char w5_message[256];
extern const unsigned char w5_result[256];

/* ---- the Hercules peer (hercules.c) ---- */

typedef struct herc_result {
	bool installed; /* a hercules binary was found */
	bool ok;        /* the measurement is valid */
	char path[512];
	char version[32];    /* "3.13", from its banner */
	char reason[256];    /* why not ok */
	uint64_t iterations; /* of the W1 loop */
	uint64_t insns;      /* instructions the timed loop adds over the startup run */
	unsigned runs;
	double run_ns;        /* median: start to "Disabled wait state", full count */
	double startup_ns;    /* median: the same with count 1 */
	double insns_per_sec; /* insns / (run_ns - startup_ns) */
} herc_result;

/* Find `hercules` on PATH (or take `override` when not NULL). */
bool herc_find(const char *override, char *path, size_t size);
/* Time the W1 loop on Hercules: `runs` runs of `iters` iterations and
 * `runs` startup-only runs (count 1).  Fills r; r->ok says whether it
 * worked, r->reason why not. */
void herc_measure(const char *path, uint64_t iters, unsigned runs, double timeout_s,
		  herc_result *r);

#endif
