/* SPDX-License-Identifier: MIT */
/* apbench — the workloads, each a real s390x program run through the
 * dispatcher (s390ap_sys_run) on a machine built for it; W6 .. W8 run
 * theirs as a guest of the host model (kvm.h), in SIE.
 *
 * A run creates the machine and the system, loads the program at 0x10000,
 * sets the input registers, then times s390ap_sys_run alone: setup and
 * teardown are outside the measurement.  After the run the program's own
 * checks (exit value) and ours (registers, storage, statistics) must agree
 * with what the program should have done; a bench that measured a broken
 * run would be worse than none.
 *
 * Storage layout (1 MiB main storage):
 *
 *   0x00000  lowcore (untouched)
 *   0x10000  program (APBENCH_LOAD_ADDR)
 *   0x20000  W3, W5 request (4 KiB)    0x21000  W3, W5 reply buffer (4 KiB)
 *   0x30000  W4 notification-indicator byte
 *   0x31000  W4events request (16 bytes)
 *   0x32000  W2halt: DIAG 0x44 for the 63 vCPUs that only halt
 *
 * The scaling workloads (W2wait, W2halt, W4events, Wallq) measure how the cost
 * of one operation grows with what else the system holds: idle vCPUs,
 * pending events, queues.  The matrix rows (W9n1 .. W9, W6mx1, W6mx256)
 * put N mdevs on N guests of the host model (one 1 MiB window each, the
 * host area at the top) and time configuration changes, or a guest's TAPQ
 * while they are open.  docs/bench.md.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "s390ap/engine.h"
#include "s390ap/s390ap.h"
#include "util/be.h"

#include "bench.h"
#include "programs.h"

#define MEM_SIZE (1u << 20)
#define REQ_ADDR 0x20000u
#define REP_ADDR 0x21000u
#define NIB_ADDR 0x30000u
#define EVREQ_ADDR 0x31000u
#define HALT_ADDR 0x32000u
#define IDLE_CPUS 64u
#define MSG_LEN 4096u

/* The one queue the AP workloads use: a CEX8 accelerator, usage domain 6. */
#define APID 0x03u
#define APQI 0x06u
#define APQN S390AP_APQN(APID, APQI)
#define ISC 3u

/* Reply latency and AQIC delay, in cycles: as short as the model allows,
 * so W3 and W4 measure instruction paths and event handling, not waiting.
 * apbench --latency raises the reply latency to exercise DQAP polling. */
uint64_t bench_latency = 1;
uint64_t bench_events = BENCH_EVENTS_DEFAULT;
#define IRQ_CYCLES 1u

/* Program exit values (DIAG 0x500 GR2), see bench/asm/w*.S. */
static const char *exit_text(uint64_t v)
{
	switch (v) {
	case 0x21:
		return "TAPQ answered a non-zero condition code";
	case 0x22:
		return "guest-3 left SIE with an interception other than an instruction";
	case 0x31:
		return "NQAP answered cc 3";
	case 0x32:
		return "DQAP answered a response code other than 0x10";
	case 0x33:
		return "the reply's PSMID is not the request's";
	case 0x41:
		return "AQIC enable failed";
	case 0x42:
		return "AQIC disable failed";
	case 0x51:
		return "NQAP answered cc 3";
	case 0x52:
		return "DQAP answered a response code other than 0x10";
	case 0x53:
		return "the reply's PSMID is not the request's";
	case 0x54:
		return "the reply is not a type 80 reply";
	default:
		return "unexpected exit value";
	}
}

static const char *stop_text(s390ap_stop why)
{
	switch (why) {
	case S390AP_STOP_ALL_DONE:
		return "every vCPU done";
	case S390AP_STOP_INSNS:
		return "instruction limit reached";
	case S390AP_STOP_CYCLE:
		return "cycle limit reached";
	case S390AP_STOP_IDLE:
		return "every vCPU waits, no event pending";
	}
	return "unknown stop reason";
}

static const char *state_text(s390ap_cpu_state st)
{
	switch (st) {
	case S390AP_CPU_RUNNING:
		return "running";
	case S390AP_CPU_HALTED:
		return "halted";
	case S390AP_CPU_WAIT:
		return "enabled wait";
	case S390AP_CPU_STOPPED:
		return "disabled wait";
	case S390AP_CPU_CHECKSTOP:
		return "checkstop";
	}
	return "unknown state";
}

/* ------------------------------------------------------------------ */
/* An echo engine: the reply is the request, so W3 moves 4 KiB each way */
/* ------------------------------------------------------------------ */

static int echo_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	(void)ctx;
	if (req->len == 0 || req->len > rep->cap)
		return S390AP_EINVAL;
	memcpy(rep->buf, req->msg, req->len);
	rep->len = req->len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* W5's engine: the crypto engine, without its modelled operation time  */
/* ------------------------------------------------------------------ */

/* The crypto engine adds the modelled cost of the operation to the reply
 * latency (32 000 cycles for a 2048-bit ME, docs/engines.md); W5 would then
 * poll DQAP for most of a round trip.  The bench measures the host's work,
 * so this wrapper lets the crypto engine compute the reply and then puts
 * the latency back to the adapter's (bench_latency). */
struct timeless {
	s390ap_engine inner;
};

static int timeless_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct timeless *t = ctx;
	uint64_t latency = rep->latency;
	int rc = t->inner.process(t->inner.ctx, req, rep);

	rep->latency = latency;
	return rc;
}

static void timeless_destroy(void *ctx)
{
	struct timeless *t = ctx;

	if (t->inner.destroy)
		t->inner.destroy(t->inner.ctx);
	free(t);
}

/* A crypto engine in the wrapper; the caller owns it until
 * s390ap_adapter_set_engine succeeds. */
static int timeless_engine(s390ap_engine *out)
{
	struct timeless *t = malloc(sizeof(*t));
	int rc;

	if (!t)
		return S390AP_ENOMEM;
	rc = s390ap_crypto_engine_new(&t->inner, NULL);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*out = (s390ap_engine){ .process = timeless_process,
				.destroy = timeless_destroy,
				.ctx = t };
	return 0;
}

/* ------------------------------------------------------------------ */
/* One system per run                                                   */
/* ------------------------------------------------------------------ */

/* The machine a workload runs on. */
enum env_kind {
	ENV_CPU,   /* no AP machine (W1) */
	ENV_ECHO,  /* one accelerator queue with the echo engine (W2 .. W4) */
	ENV_CRYPTO /* one accelerator queue with the crypto engine (W5) */
};

struct run_env {
	s390ap_machine *m; /* ours, or NULL when the sys owns a default one */
	s390ap_sys *sys;
	s390ap_cpu *cpu;
	uint64_t *gr;
	const uint8_t *mem; /* read-only: writes go through put() */
	bool put_failed;    /* a put() outside storage: env_run reports it */
};

static void env_close(struct run_env *e)
{
	s390ap_sys_free(e->sys); /* the sys only borrows e->m */
	s390ap_machine_free(e->m);
	memset(e, 0, sizeof(*e));
}

static int fail(char *err, size_t errlen, const char *what, int rc, const char *detail)
{
	snprintf(err, errlen, "%s: %s%s%s", what, s390ap_strerror(rc),
		 detail && *detail ? ": " : "", detail ? detail : "");
	return -1;
}

/* The machine of the AP workloads: default facilities (AQIC included), one
 * adapter with one usage domain, the echo engine or the (timeless) crypto
 * engine. */
static int machine_open(s390ap_machine **out, enum env_kind kind, char *err, size_t errlen)
{
	s390ap_machine_opts mo;
	s390ap_adapter_opts ao;
	s390ap_engine engine = { .process = echo_process, .destroy = NULL, .ctx = NULL };
	s390ap_machine *m;
	int rc;

	memset(&mo, 0, sizeof(mo));
	mo.size = sizeof(mo);
	mo.irq_cycles = IRQ_CYCLES;
	rc = s390ap_machine_new(&m, &mo);
	if (rc < 0)
		return fail(err, errlen, "s390ap_machine_new", rc, NULL);

	memset(&ao, 0, sizeof(ao));
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.latency = bench_latency;
	rc = s390ap_adapter_add(m, APID, &ao);
	if (rc == 0)
		rc = s390ap_domain_add(m, APQI, true, true);
	if (rc == 0 && kind == ENV_CRYPTO)
		rc = timeless_engine(&engine);
	if (rc == 0) {
		rc = s390ap_adapter_set_engine(m, APID, &engine);
		if (rc < 0 && engine.destroy) /* refused: still ours */
			engine.destroy(engine.ctx);
	}
	if (rc < 0) {
		fail(err, errlen, "machine setup", rc, s390ap_machine_errmsg(m));
		s390ap_machine_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

/* Write guest storage through the library, so that the dispatcher's
 * decoded-instruction cache sees it (s390ap_mem_write). */
static void put(struct run_env *e, uint64_t addr, const void *src, size_t len)
{
	if (s390ap_mem_write(s390ap_sys_mem(e->sys), addr, src, len) < 0)
		e->put_failed = true;
}

static void fill(struct run_env *e, uint64_t addr, uint8_t byte, size_t len)
{
	uint8_t buf[MSG_LEN];

	memset(buf, byte, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		put(e, addr + off, buf, len - off < sizeof(buf) ? len - off : sizeof(buf));
}

static int env_open_n(struct run_env *e, const unsigned char *prog, size_t len, enum env_kind kind,
		      unsigned ncpus, char *err, size_t errlen)
{
	s390ap_sys_opts so;
	int rc;

	memset(e, 0, sizeof(*e));
	if (kind != ENV_CPU && machine_open(&e->m, kind, err, errlen) < 0)
		return -1;

	memset(&so, 0, sizeof(so));
	so.size = sizeof(so);
	so.mem_size = MEM_SIZE;
	so.ncpus = ncpus;
	so.machine = e->m; /* the sys points its NIB writes at its own storage */
	rc = s390ap_sys_new(&e->sys, &so);
	if (rc < 0) {
		fail(err, errlen, "s390ap_sys_new", rc, NULL);
		env_close(e);
		return -1;
	}
	rc = s390ap_sys_load(e->sys, APBENCH_LOAD_ADDR, prog, len);
	if (rc == 0)
		rc = s390ap_sys_start(e->sys, APBENCH_LOAD_ADDR);
	if (rc < 0) {
		fail(err, errlen, "load", rc, s390ap_sys_errmsg(e->sys));
		env_close(e);
		return -1;
	}
	e->cpu = s390ap_sys_cpu(e->sys, 0);
	e->gr = s390ap_cpu_gr(e->cpu);
	e->mem = s390ap_mem_data(s390ap_sys_mem(e->sys));
	if (!e->cpu || !e->gr || !e->mem) {
		snprintf(err, errlen, "the system has no vCPU 0 or no storage");
		env_close(e);
		return -1;
	}
	return 0;
}

static int env_open(struct run_env *e, const unsigned char *prog, size_t len, enum env_kind kind,
		    char *err, size_t errlen)
{
	return env_open_n(e, prog, len, kind, 1, err, errlen);
}

/* Time s390ap_sys_run; the program on `cpu` must end in DIAG 0x44 within
 * `limit` instructions.  v: the guest on cpu (W6 .. W8), else NULL. */
static int sys_run_timed(s390ap_sys *sys, s390ap_cpu *cpu, const s390ap_vcpu *v, uint64_t limit,
			 bench_sample *out, char *err, size_t errlen)
{
	s390ap_cpu_stats st;
	s390ap_stop why = S390AP_STOP_ALL_DONE;
	s390ap_cpu_state state;
	uint64_t t0, t1;
	int rc;

	t0 = bench_now_ns();
	rc = s390ap_sys_run(sys, limit, 0, &why);
	t1 = bench_now_ns();
	if (rc < 0)
		return fail(err, errlen, "s390ap_sys_run", rc, s390ap_sys_errmsg(sys));

	state = s390ap_cpu_state_get(cpu);
	/* W2wait: the vCPUs in enabled wait are never woken, so the run ends
	 * idle once vCPU 0 has halted. */
	if (why == S390AP_STOP_IDLE && s390ap_sys_ncpus(sys) > 1)
		why = S390AP_STOP_ALL_DONE;
	if (why != S390AP_STOP_ALL_DONE || state != S390AP_CPU_HALTED) {
		s390ap_psw psw;

		if (v)
			(void)s390ap_vcpu_psw(v, &psw);
		else
			s390ap_cpu_psw(cpu, &psw);
		snprintf(err, errlen, "the program did not halt (%s; vCPU %s, PSW %016llx %016llx)",
			 stop_text(why), state_text(state), (unsigned long long)psw.mask,
			 (unsigned long long)psw.addr);
		return -1;
	}
	if (s390ap_cpu_exit_value(cpu) != 0) {
		uint64_t x = s390ap_cpu_exit_value(cpu);
		uint64_t gr1 = v ? s390ap_vcpu_gr(v, 1) : s390ap_cpu_gr(cpu)[1];

		snprintf(err, errlen, "program exit 0x%llx (%s), GR1 = 0x%016llx",
			 (unsigned long long)x, exit_text(x), (unsigned long long)gr1);
		return -1;
	}
	rc = s390ap_sys_stats(sys, &st);
	if (rc < 0)
		return fail(err, errlen, "s390ap_sys_stats", rc, NULL);

	memset(out, 0, sizeof(*out));
	out->ns = t1 - t0;
	out->insns = st.instructions;
	for (unsigned p = 0; p < S390AP_PATH_COUNT; p++)
		out->ap_insns += st.ap_path[p];
	out->cycles = s390ap_sys_cycles(sys);
	out->vcpus = s390ap_sys_ncpus(sys);
	return 0;
}

static int env_run(struct run_env *e, uint64_t limit, bench_sample *out, char *err, size_t errlen)
{
	if (e->put_failed) {
		snprintf(err, errlen, "set-up: an operand outside storage");
		return -1;
	}
	return sys_run_timed(e->sys, e->cpu, NULL, limit, out, err, errlen);
}

/* An instruction limit that a correct run never reaches. */
static uint64_t limit_for(uint64_t iters, uint64_t insns_per_iter)
{
	return iters * insns_per_iter * 64 + 100000;
}

static int check_count(const char *what, uint64_t got, uint64_t want, char *err, size_t errlen)
{
	if (got == want)
		return 0;
	snprintf(err, errlen, "%s: %llu, expected %llu", what, (unsigned long long)got,
		 (unsigned long long)want);
	return -1;
}

/* ------------------------------------------------------------------ */
/* W1: AHI + BRCT                                                       */
/* ------------------------------------------------------------------ */

static int run_w1(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	struct run_env e;
	int rc;

	if (env_open(&e, apbench_prog_w1, apbench_prog_w1_len, ENV_CPU, err, errlen) < 0)
		return -1;
	e.gr[9] = iters;
	rc = env_run(&e, limit_for(iters, 2), out, err, errlen);
	if (rc == 0)
		rc = check_count("W1 loop count (GR8)", e.gr[8], iters, err, errlen);
	/* LGHI, iters x (AHI, BRCT), DIAG */
	if (rc == 0)
		rc = check_count("W1 instructions", out->insns, 2 * iters + 2, err, errlen);
	env_close(&e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* W2: PQAP(TAPQ)                                                       */
/* ------------------------------------------------------------------ */

/* What the other vCPUs of a W2 system do. */
enum idle_kind {
	IDLE_NONE,  /* W2: one vCPU */
	IDLE_WAIT,  /* W2wait: 63 more in enabled wait, never woken */
	IDLE_HALTED /* W2halt: 63 more halted (DIAG 0x44 done) */
};

/* Put vCPUs 1..n-1 into the idle state; vCPU 0 starts the program. */
static int make_idle(struct run_env *e, enum idle_kind idle, char *err, size_t errlen)
{
	static const uint8_t diag44[4] = { 0x83, 0x00, 0x00, 0x44 };
	unsigned n = s390ap_sys_ncpus(e->sys);
	s390ap_psw start, psw;
	s390ap_stop why;
	int rc = 0;

	s390ap_cpu_psw(e->cpu, &start);
	if (idle == IDLE_WAIT) {
		/* I/O enabled, wait bit on: an enabled wait that nothing ends */
		psw.mask = S390AP_PSW_EA | S390AP_PSW_BA | S390AP_PSW_IO | S390AP_PSW_WAIT;
		psw.addr = HALT_ADDR;
		for (unsigned i = 1; i < n && rc == 0; i++)
			rc = s390ap_cpu_set_psw(s390ap_sys_cpu(e->sys, i), &psw);
		if (rc < 0)
			return fail(err, errlen, "s390ap_cpu_set_psw", rc, NULL);
		return 0;
	}
	/* Every vCPU runs DIAG 0x44 once (untimed), then vCPU 0 goes back to
	 * the program: the others stay halted. */
	rc = s390ap_sys_load(e->sys, HALT_ADDR, diag44, sizeof(diag44));
	if (rc == 0)
		rc = s390ap_sys_start(e->sys, HALT_ADDR);
	if (rc == 0)
		rc = s390ap_sys_run(e->sys, 0, 0, &why);
	if (rc == 0 && why != S390AP_STOP_ALL_DONE)
		rc = S390AP_EINVAL;
	if (rc == 0)
		rc = s390ap_cpu_set_psw(e->cpu, &start);
	if (rc < 0)
		return fail(err, errlen, "halting the idle vCPUs", rc, s390ap_sys_errmsg(e->sys));
	return 0;
}

static int run_w2_with(uint64_t iters, enum idle_kind idle, bench_sample *out, char *err,
		       size_t errlen)
{
	struct run_env e;
	int rc;

	if (env_open_n(&e, apbench_prog_w2, apbench_prog_w2_len, ENV_ECHO,
		       idle == IDLE_NONE ? 1 : IDLE_CPUS, err, errlen) < 0)
		return -1;
	if (idle != IDLE_NONE && make_idle(&e, idle, err, errlen) < 0) {
		env_close(&e);
		return -1;
	}
	e.gr[9] = iters;
	e.gr[10] = (uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT | APQN;
	rc = env_run(&e, limit_for(iters, 3), out, err, errlen);
	if (rc == 0)
		rc = check_count("W2 AP instructions", out->ap_insns, iters, err, errlen);
	/* status of the last TAPQ: RC 0 and E (queue empty) */
	if (rc == 0 && (e.gr[1] & 0xffffffffu) != S390AP_SW_E) {
		snprintf(err, errlen, "W2: last TAPQ status word 0x%08llx, expected 0x%08x",
			 (unsigned long long)(e.gr[1] & 0xffffffffu), S390AP_SW_E);
		rc = -1;
	}
	/* the idle vCPUs stayed idle */
	for (unsigned i = 1; rc == 0 && i < s390ap_sys_ncpus(e.sys); i++) {
		s390ap_cpu_state want = idle == IDLE_WAIT ? S390AP_CPU_WAIT : S390AP_CPU_HALTED;
		s390ap_cpu_state got = s390ap_cpu_state_get(s390ap_sys_cpu(e.sys, i));

		if (got != want) {
			snprintf(err, errlen, "W2: idle vCPU %u is %s, expected %s", i,
				 state_text(got), state_text(want));
			rc = -1;
		}
	}
	env_close(&e);
	return rc;
}

static int run_w2(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w2_with(iters, IDLE_NONE, out, err, errlen);
}

static int run_w2wait(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w2_with(iters, IDLE_WAIT, out, err, errlen);
}

static int run_w2halt(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w2_with(iters, IDLE_HALTED, out, err, errlen);
}

/* ------------------------------------------------------------------ */
/* W3: NQAP + DQAP round trips with 4 KiB messages                      */
/* ------------------------------------------------------------------ */

static int run_w3(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	s390ap_queue_info qi;
	struct run_env e;
	int rc;

	if (env_open(&e, apbench_prog_w3, apbench_prog_w3_len, ENV_ECHO, err, errlen) < 0)
		return -1;
	/* A request the default engine would reject but ours echoes: the
	 * bytes only have to come back unchanged. */
	{
		uint8_t req[MSG_LEN];

		for (unsigned i = 0; i < MSG_LEN; i++)
			req[i] = (uint8_t)(i * 7 + 1);
		put(&e, REQ_ADDR, req, sizeof(req));
	}
	fill(&e, REP_ADDR, 0, MSG_LEN);
	e.gr[9] = iters;
	e.gr[10] = S390AP_NQAP_L | APQN;
	e.gr[11] = S390AP_DQAP_BIT32 | APQN;
	e.gr[12] = REQ_ADDR;
	e.gr[13] = REP_ADDR;
	e.gr[14] = MSG_LEN;
	rc = env_run(&e, limit_for(iters, 40), out, err, errlen);
	if (rc == 0) {
		out->polls = e.gr[15];
		/* one NQAP and one completing DQAP per trip, plus the polls */
		rc = check_count("W3 AP instructions", out->ap_insns, 2 * iters + out->polls, err,
				 errlen);
	}
	if (rc == 0 && memcmp(e.mem + REQ_ADDR, e.mem + REP_ADDR, MSG_LEN) != 0) {
		snprintf(err, errlen, "W3: the last reply differs from the request");
		rc = -1;
	}
	if (rc == 0 && s390ap_queue_info_get(e.m, APQN, &qi) == 0) {
		rc = check_count("W3 requests enqueued", qi.enqueued, iters, err, errlen);
		if (rc == 0)
			rc = check_count("W3 replies dequeued", qi.dequeued, iters, err, errlen);
	}
	env_close(&e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* W4: PQAP(AQIC) enable / disable                                      */
/* ------------------------------------------------------------------ */

/* W4events: adapters from this apid on, each with 256 domains of 16
 * request slots, hold the far-future replies. */
#define FAR_APID0 0x10u
#define FAR_DEPTH 16u
#define FAR_LATENCY (1ull << 50) /* cycles: never reached by a run */

/* Leave `n` requests in flight whose replies are due FAR_LATENCY cycles
 * from now: n events in the machine's event queue, all through the public
 * API (adapters with a huge reply latency, NQAP by s390ap_nqap). */
/* Adapters leave_far_events needs for n requests. */
static unsigned far_adapters(uint64_t n)
{
	uint64_t per_adapter = (uint64_t)FAR_DEPTH * S390AP_MAX_IDS;

	return (unsigned)((n + per_adapter - 1) / per_adapter);
}

static int leave_far_events(struct run_env *e, uint64_t n, char *err, size_t errlen)
{
	static const uint8_t req[16] = { 0x00, 0x50, 0x00, 0x10 };
	uint64_t done = 0;
	unsigned nad = far_adapters(n);
	s390ap_insn_ctx ctx;
	s390ap_adapter_opts ao;
	uint64_t gr[16];
	int rc = 0;

	put(e, EVREQ_ADDR, req, sizeof(req));
	for (unsigned qi = 0; qi < S390AP_MAX_IDS && rc == 0; qi++)
		if (qi != APQI)
			rc = s390ap_domain_add(e->m, qi, true, true);
	memset(&ao, 0, sizeof(ao));
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.domains = S390AP_MAX_IDS;
	ao.depth = FAR_DEPTH;
	ao.latency = FAR_LATENCY;
	for (unsigned i = 0; i < nad && rc == 0; i++) {
		s390ap_engine engine = { .process = echo_process, .destroy = NULL, .ctx = NULL };

		rc = s390ap_adapter_add(e->m, FAR_APID0 + i, &ao);
		if (rc == 0)
			rc = s390ap_adapter_set_engine(e->m, FAR_APID0 + i, &engine);
	}
	if (rc < 0)
		return fail(err, errlen, "W4events machine setup", rc, s390ap_machine_errmsg(e->m));

	memset(&ctx, 0, sizeof(ctx));
	ctx.gr = gr;
	ctx.amode = 64;
	ctx.storage = s390ap_sys_storage(e->sys);
	for (unsigned i = 0; i < nad; i++)
		for (unsigned qi = 0; qi < S390AP_MAX_IDS; qi++)
			for (unsigned k = 0; k < FAR_DEPTH && done < n; k++, done++) {
				s390ap_insn_result res;

				memset(gr, 0, sizeof(gr));
				gr[0] = S390AP_NQAP_L | S390AP_APQN(FAR_APID0 + i, qi);
				gr[5] = done + 1; /* PSMID */
				gr[6] = EVREQ_ADDR;
				gr[7] = sizeof(req);
				rc = s390ap_nqap(e->m, &ctx, 4, 6, &res);
				if (rc < 0)
					return fail(err, errlen, "s390ap_nqap", rc, NULL);
				if (res.pgm || res.cc) {
					snprintf(err, errlen,
						 "W4events: NQAP %llu to %02x%02x: pgm 0x%x "
						 "cc %u RC 0x%02x",
						 (unsigned long long)done, FAR_APID0 + i, qi,
						 res.pgm, res.cc, res.rc);
					return -1;
				}
			}
	return 0;
}

static int run_w4_with(uint64_t iters, uint64_t pending, bench_sample *out, char *err,
		       size_t errlen)
{
	s390ap_queue_info qi;
	struct run_env e;
	int rc;

	if (env_open(&e, apbench_prog_w4, apbench_prog_w4_len, ENV_ECHO, err, errlen) < 0)
		return -1;
	if (pending && leave_far_events(&e, pending, err, errlen) < 0) {
		env_close(&e);
		return -1;
	}
	fill(&e, NIB_ADDR, 0, 1);
	e.gr[9] = iters;
	e.gr[10] = (uint64_t)S390AP_FC_AQIC << S390AP_GR0_FC_SHIFT | APQN;
	e.gr[11] = S390AP_AQIC_IR | ISC;
	e.gr[12] = NIB_ADDR;
	rc = env_run(&e, limit_for(iters, 7), out, err, errlen);
	if (rc == 0)
		rc = check_count("W4 AP instructions", out->ap_insns, 2 * iters, err, errlen);
	/* the last AQIC asked for "disabled": once its delay has passed, the
	 * queue must say so */
	if (rc == 0 && s390ap_machine_advance(e.m, IRQ_CYCLES) == 0 &&
	    s390ap_queue_info_get(e.m, APQN, &qi) == 0 &&
	    (qi.irq_enabled || qi.irq_change_pending)) {
		snprintf(err, errlen, "W4: interruptions still enabled after the last disable");
		rc = -1;
	}
	/* the far-future replies are all still in flight */
	if (rc == 0 && pending) {
		uint64_t inflight = 0;

		for (unsigned a = 0; a < far_adapters(pending); a++)
			for (unsigned q = 0; q < S390AP_MAX_IDS; q++)
				if (s390ap_queue_info_get(e.m, S390AP_APQN(FAR_APID0 + a, q),
							  &qi) == 0)
					inflight += qi.requests;
		rc = check_count("W4events requests in flight", inflight, pending, err, errlen);
	}
	out->pending = pending;
	env_close(&e);
	return rc;
}

static int run_w4(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w4_with(iters, 0, out, err, errlen);
}

static int run_w4events(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w4_with(iters, bench_events, out, err, errlen);
}

/* ------------------------------------------------------------------ */
/* W5: RSA-2048 ME through NQAP + DQAP and the crypto engine            */
/* ------------------------------------------------------------------ */

#define W5_FIELD 256u                     /* MEB2: 2048-bit fields */
#define W5_REQ_LEN (0x10u + 3 * W5_FIELD) /* 0x310 */
#define W5_REP_LEN (0x10u + W5_FIELD)     /* 0x110 */

/* The MEB2 request (docs/engines.md): header, exponent 65537, modulus,
 * message, each number right-aligned in 256 bytes. */
static void w5_request(uint8_t *b)
{
	memset(b, 0, W5_REQ_LEN);
	b[1] = 0x50;
	b[2] = W5_REQ_LEN >> 8;
	b[3] = W5_REQ_LEN & 0xff;
	b[9] = 0x02;                   /* MEB2 */
	b[0x10 + W5_FIELD - 3] = 0x01; /* e = 0x010001 */
	b[0x10 + W5_FIELD - 1] = 0x01;
	memcpy(b + 0x10 + W5_FIELD, w5_modulus, W5_FIELD);
	memcpy(b + 0x10 + 2 * W5_FIELD, w5_message, W5_FIELD);
}

static int run_w5(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	static const uint8_t hdr[16] = { 0x00, 0x80, W5_REP_LEN >> 8, W5_REP_LEN & 0xff };
	s390ap_queue_info qi;
	struct run_env e;
	int rc;

	if (env_open(&e, apbench_prog_w5, apbench_prog_w5_len, ENV_CRYPTO, err, errlen) < 0)
		return -1;
	{
		uint8_t req[W5_REQ_LEN];

		w5_request(req);
		put(&e, REQ_ADDR, req, sizeof(req));
	}
	fill(&e, REP_ADDR, 0, MSG_LEN);
	e.gr[8] = MSG_LEN;
	e.gr[9] = iters;
	e.gr[10] = S390AP_NQAP_L | APQN;
	e.gr[11] = APQN;
	e.gr[12] = REQ_ADDR;
	e.gr[13] = REP_ADDR;
	e.gr[14] = W5_REQ_LEN;
	rc = env_run(&e, limit_for(iters, 40), out, err, errlen);
	if (rc == 0) {
		out->polls = e.gr[15];
		rc = check_count("W5 AP instructions", out->ap_insns, 2 * iters + out->polls, err,
				 errlen);
	}
	/* the last reply: a type 80 header and message^65537 mod modulus */
	if (rc == 0 && (memcmp(e.mem + REP_ADDR, hdr, sizeof(hdr)) != 0 ||
			memcmp(e.mem + REP_ADDR + 16, w5_result, W5_FIELD) != 0)) {
		snprintf(err, errlen, "W5: the last reply is not the expected type 80 result");
		rc = -1;
	}
	if (rc == 0 && s390ap_queue_info_get(e.m, APQN, &qi) == 0) {
		rc = check_count("W5 requests enqueued", qi.enqueued, iters, err, errlen);
		if (rc == 0)
			rc = check_count("W5 replies dequeued", qi.dequeued, iters, err, errlen);
	}
	env_close(&e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Wallq: the all-queues machine and its resident set                      */
/* ------------------------------------------------------------------ */

#define WALLQ_MSG_LEN 256u
#define WALLQ_REQ 0x1000u
#define WALLQ_REP 0x2000u

/* VmRSS of this process in KiB (Linux /proc/self/status), 0 if unknown. */
static uint64_t rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long kib = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* One AP instruction through the public entry, repeated while it answers
 * cc 1 or 2 (a CPU-determined part).  Returns the final result. */
static int ap_insn(s390ap_machine *m, const s390ap_insn_ctx *ctx, uint32_t op,
		   s390ap_insn_result *res)
{
	int rc;

	do
		rc = s390ap_execute(m, ctx, op << 16 | 4u << 4 | 6u, res);
	while (rc == 0 && !res->pgm && (res->cc == 1 || res->cc == 2));
	return rc;
}

/* The measured part of Wallq, in a child process: `nad` adapters x 256
 * domains (APXA), one NQAP + DQAP on every queue. */
static int wallq_child(uint64_t nad, bench_sample *out, char *err, size_t errlen)
{
	s390ap_machine_opts mo;
	s390ap_adapter_opts ao;
	s390ap_machine *m = NULL;
	s390ap_mem *mem = NULL;
	s390ap_storage st;
	s390ap_insn_ctx ctx;
	uint64_t gr[16], t0, t1, psmid = 0;
	uint8_t req[WALLQ_MSG_LEN];
	const uint8_t *b;
	int rc;

	memset(&mo, 0, sizeof(mo)); /* default facilities: APXA, ids 0..255 */
	mo.size = sizeof(mo);
	rc = s390ap_mem_new(&mem, 0x4000);
	if (rc == 0)
		rc = s390ap_mem_storage(mem, &st);
	if (rc == 0)
		rc = s390ap_machine_new(&m, &mo);
	for (unsigned qi = 0; qi < S390AP_MAX_IDS && rc == 0; qi++)
		rc = s390ap_domain_add(m, qi, true, true);
	memset(&ao, 0, sizeof(ao));
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.domains = S390AP_MAX_IDS;
	ao.latency = 1;
	for (unsigned a = 0; a < nad && rc == 0; a++) {
		s390ap_engine engine = { .process = echo_process, .destroy = NULL, .ctx = NULL };

		rc = s390ap_adapter_add(m, a, &ao);
		if (rc == 0)
			rc = s390ap_adapter_set_engine(m, a, &engine);
	}
	if (rc < 0) {
		fail(err, errlen, "Wallq machine setup", rc, m ? s390ap_machine_errmsg(m) : NULL);
		goto out;
	}
	b = s390ap_mem_data(mem);
	for (unsigned i = 0; i < WALLQ_MSG_LEN; i++)
		req[i] = (uint8_t)(i * 5 + 3);
	(void)s390ap_mem_write(mem, WALLQ_REQ, req, sizeof(req));

	memset(&ctx, 0, sizeof(ctx));
	ctx.gr = gr;
	ctx.amode = 64;
	ctx.storage = &st;
	memset(out, 0, sizeof(*out));
	out->rss_before_kib = rss_kib();
	t0 = bench_now_ns();
	for (unsigned a = 0; a < nad; a++)
		for (unsigned qi = 0; qi < S390AP_MAX_IDS; qi++) {
			uint16_t apqn = S390AP_APQN(a, qi);
			s390ap_insn_result r1, r2;

			memset(gr, 0, sizeof(gr));
			gr[0] = S390AP_NQAP_L | apqn;
			gr[5] = ++psmid;
			gr[6] = WALLQ_REQ;
			gr[7] = WALLQ_MSG_LEN;
			rc = ap_insn(m, &ctx, S390AP_OP_NQAP, &r1);
			if (rc == 0)
				rc = s390ap_machine_advance(m, 1); /* the reply's latency */
			if (rc == 0) {
				gr[0] = apqn;
				gr[2] = 0;
				gr[6] = WALLQ_REP;
				gr[7] = WALLQ_MSG_LEN;
				rc = ap_insn(m, &ctx, S390AP_OP_DQAP, &r2);
			}
			if (rc < 0) {
				fail(err, errlen, "Wallq NQAP + DQAP", rc,
				     s390ap_machine_errmsg(m));
				goto out;
			}
			if (r1.pgm || r1.cc || r2.pgm || r2.cc || gr[5] != psmid) {
				snprintf(err, errlen,
					 "Wallq: queue %04x: NQAP pgm 0x%x cc %u, DQAP pgm "
					 "0x%x cc %u RC 0x%02x",
					 apqn, r1.pgm, r1.cc, r2.pgm, r2.cc, r2.rc);
				rc = -1;
				goto out;
			}
			out->ap_insns += 2;
		}
	t1 = bench_now_ns();
	out->rss_after_kib = rss_kib();
	out->have_rss = out->rss_before_kib && out->rss_after_kib;
	out->ns = t1 - t0;
	out->insns = out->ap_insns;
	out->cycles = s390ap_machine_now(m);
	if (memcmp(b + WALLQ_REQ, b + WALLQ_REP, WALLQ_MSG_LEN) != 0) {
		snprintf(err, errlen, "Wallq: the last reply differs from the request");
		rc = -1;
	}
out:
	s390ap_machine_free(m);
	s390ap_mem_free(mem);
	return rc < 0 ? -1 : 0;
}

/* Wallq runs in a child process, so that memory an earlier run (or another
 * workload) freed and the allocator kept cannot hide the growth. */
static int run_wallq(uint64_t nad, bench_sample *out, char *err, size_t errlen)
{
	struct {
		int rc;
		bench_sample s;
		char err[256];
	} msg;
	int fd[2], status;
	ssize_t got;
	pid_t pid;

	if (nad > S390AP_MAX_IDS) {
		snprintf(err, errlen, "Wallq: at most 256 adapters (iterations)");
		return -1;
	}
	if (pipe(fd) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		memset(&msg, 0, sizeof(msg));
		close(fd[0]);
		msg.rc = wallq_child(nad, &msg.s, msg.err, sizeof(msg.err));
		_exit(write(fd[1], &msg, sizeof(msg)) == (ssize_t)sizeof(msg) ? 0 : 1);
	}
	close(fd[1]);
	do
		got = read(fd[0], &msg, sizeof(msg));
	while (got < 0 && errno == EINTR);
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)sizeof(msg) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(err, errlen, "Wallq: the measuring child process failed");
		return -1;
	}
	if (msg.rc < 0) {
		snprintf(err, errlen, "%s", msg.err);
		return -1;
	}
	*out = msg.s;
	out->vcpus = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* W6 .. W8: the same kind of loops in a guest, under SIE               */
/* ------------------------------------------------------------------ */

/* System storage of a guest run: the host's own 1 MiB (unused), the
 * guest's window at 1 MiB, and the host model's area for the control
 * blocks in the last MiB (its default place: the end of storage). */
#define G_SYS_SIZE (4u << 20)
#define G_MSO (1u << 20)
#define G_SIZE (1u << 20)
#define G_FAC (S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC | S390AP_FAC_MSAX3)

struct guest_env {
	s390ap_machine *m;
	s390ap_sys *sys;
	s390ap_kvm *kvm;
	s390ap_vm *vm;
	s390ap_vcpu *v;
	s390ap_cpu *cpu;
};

static void guest_close(struct guest_env *g)
{
	s390ap_kvm_free(g->kvm); /* its VMs and vCPUs with it */
	s390ap_sys_free(g->sys);
	s390ap_machine_free(g->m);
	memset(g, 0, sizeof(*g));
}

/* The W2..W4 machine, a system with one vCPU, a host, one VM whose CRYCB
 * grants queue APQN with APIE on, one vCPU in SIE at the program's start.
 * hook: the VM's PQAP hook (W7: the built-in AQIC hook), or NULL. */
static int guest_open_ex(struct guest_env *g, const unsigned char *prog, size_t len,
			 s390ap_pqap_hook_fn hook, uint64_t mem_size, const s390ap_kvm_opts *ko,
			 char *err, size_t errlen)
{
	s390ap_sys_opts so;
	s390ap_vm_opts vo;
	uint8_t apm[32] = { 0 }, aqm[32] = { 0 }, adm[32] = { 0 };
	const char *what = "guest set-up";
	int rc;

	memset(g, 0, sizeof(*g));
	if (machine_open(&g->m, ENV_ECHO, err, errlen) < 0)
		return -1;
	memset(&so, 0, sizeof(so));
	so.size = sizeof(so);
	so.mem_size = G_SYS_SIZE;
	so.ncpus = 1;
	so.machine = g->m;
	rc = s390ap_sys_new(&g->sys, &so);
	if (rc < 0) {
		fail(err, errlen, "s390ap_sys_new", rc, NULL);
		guest_close(g);
		return -1;
	}
	memset(&vo, 0, sizeof(vo));
	vo.size = sizeof(vo);
	vo.facilities = G_FAC;
	vo.mso = G_MSO;
	vo.mem_size = mem_size;
	apm[APID >> 3] = (uint8_t)(0x80u >> (APID & 7));
	aqm[APQI >> 3] = adm[APQI >> 3] = (uint8_t)(0x80u >> (APQI & 7));
	rc = s390ap_kvm_new(&g->kvm, g->sys, ko);
	if (rc == 0)
		rc = s390ap_vm_new(g->kvm, &g->vm, &vo);
	if (rc == 0)
		rc = s390ap_vcpu_new(g->vm, &g->v, 0);
	if (rc == 0)
		rc = s390ap_vm_set_attr(g->vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE);
	if (rc == 0)
		rc = s390ap_vm_set_masks(g->vm, apm, aqm, adm);
	if (rc == 0 && hook)
		rc = s390ap_vm_set_pqap_hook(g->vm, hook, NULL);
	if (rc == 0)
		rc = s390ap_vm_load(g->vm, APBENCH_LOAD_ADDR, prog, len);
	if (rc == 0)
		rc = s390ap_vcpu_start(g->v, APBENCH_LOAD_ADDR);
	if (rc < 0) {
		fail(err, errlen, what, rc, g->kvm ? s390ap_kvm_errmsg(g->kvm) : NULL);
		guest_close(g);
		return -1;
	}
	g->cpu = s390ap_vcpu_cpu(g->v);
	return 0;
}

static int guest_open(struct guest_env *g, const unsigned char *prog, size_t len,
		      s390ap_pqap_hook_fn hook, char *err, size_t errlen)
{
	return guest_open_ex(g, prog, len, hook, G_SIZE, NULL, err, errlen);
}

/* Run the guest; besides sys_run_timed's checks, the vCPU's SIE figures go
 * into out. */
static int guest_run(struct guest_env *g, uint64_t limit, bench_sample *out, char *err,
		     size_t errlen)
{
	s390ap_vcpu_stats st;
	int rc = sys_run_timed(g->sys, g->cpu, g->v, limit, out, err, errlen);

	if (rc == 0 && s390ap_vcpu_stats_get(g->v, &st) < 0) {
		snprintf(err, errlen, "s390ap_vcpu_stats_get failed");
		rc = -1;
	}
	if (rc == 0) {
		out->sie_entries = st.entries;
		for (unsigned i = 0; i < sizeof(st.icpt) / sizeof(st.icpt[0]); i++)
			out->interceptions += st.icpt[i];
		out->pqap_hook = st.pqap_hook;
		/* DIAG 0x44 is the one exit to user space */
		rc = check_count("user-space exits", st.user_exits, 1, err, errlen);
	}
	return rc;
}

/* W6: W2's program in a guest; PQAP(TAPQ) interpreted against the
 * CRYCB's view (ECA_APIE), never intercepted. */
static int run_w6(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	struct guest_env g;
	uint64_t sw;
	int rc;

	if (guest_open(&g, apbench_prog_w2, apbench_prog_w2_len, NULL, err, errlen) < 0)
		return -1;
	rc = s390ap_vcpu_set_gr(g.v, 9, iters);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 10,
					(uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT | APQN);
	if (rc < 0) {
		guest_close(&g);
		return fail(err, errlen, "s390ap_vcpu_set_gr", rc, NULL);
	}
	rc = guest_run(&g, limit_for(iters, 3), out, err, errlen);
	if (rc == 0)
		rc = check_count("W6 AP instructions", out->ap_insns, iters, err, errlen);
	/* one entry, one interception: the final DIAG 0x44 */
	if (rc == 0)
		rc = check_count("W6 SIE entries", out->sie_entries, 1, err, errlen);
	if (rc == 0)
		rc = check_count("W6 interceptions", out->interceptions, 1, err, errlen);
	sw = s390ap_vcpu_gr(g.v, 1) & 0xffffffffu;
	if (rc == 0 && sw != S390AP_SW_E) {
		snprintf(err, errlen, "W6: last TAPQ status word 0x%08llx, expected 0x%08x",
			 (unsigned long long)sw, S390AP_SW_E);
		rc = -1;
	}
	guest_close(&g);
	return rc;
}

/* W7: W4's program in a guest; every PQAP(AQIC) is intercepted, handled by
 * handle_pqap and the built-in hook (which issues the host's AQIC with the
 * VM's GISA), and the guest re-entered.  The machine's irq_cycles is 1 and
 * an interception round trip takes longer, so each change has landed
 * before the next AQIC: a busy answer (RC 0x05) would end the program
 * (exit 0x41 / 0x42) and fail the run, so every round trip counted is a
 * real enable or disable. */
static int run_w7(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	static const uint8_t zero = 0;
	s390ap_queue_info qi;
	struct guest_env g;
	int rc;

	if (guest_open(&g, apbench_prog_w4, apbench_prog_w4_len, s390ap_kvm_aqic_hook, err,
		       errlen) < 0)
		return -1;
	rc = s390ap_vm_write(g.vm, NIB_ADDR, &zero, 1);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 9, iters);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 10,
					(uint64_t)S390AP_FC_AQIC << S390AP_GR0_FC_SHIFT | APQN);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 11, S390AP_AQIC_IR | ISC);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 12, NIB_ADDR);
	if (rc < 0) {
		guest_close(&g);
		return fail(err, errlen, "guest registers", rc, NULL);
	}
	rc = guest_run(&g, limit_for(iters, 7), out, err, errlen);
	/* the guest's AQICs ran at the host's level, through the hook */
	if (rc == 0)
		rc = check_count("W7 PQAP hook calls", out->pqap_hook, 2 * iters, err, errlen);
	if (rc == 0)
		rc = check_count("W7 interceptions", out->interceptions, 2 * iters + 1, err,
				 errlen);
	if (rc == 0)
		rc = check_count("W7 SIE entries", out->sie_entries, 2 * iters + 1, err, errlen);
	if (rc == 0 && s390ap_machine_advance(g.m, IRQ_CYCLES) == 0 &&
	    s390ap_queue_info_get(g.m, APQN, &qi) == 0 &&
	    (qi.irq_enabled || qi.irq_change_pending)) {
		snprintf(err, errlen, "W7: interruptions still enabled after the last disable");
		rc = -1;
	}
	guest_close(&g);
	return rc;
}

/* W8: DIAG 0x9C in a loop; the host resumes the guest at once. */
static int run_w8(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	struct guest_env g;
	int rc;

	if (guest_open(&g, apbench_prog_w8, apbench_prog_w8_len, NULL, err, errlen) < 0)
		return -1;
	rc = s390ap_vcpu_set_gr(g.v, 9, iters);
	if (rc < 0) {
		guest_close(&g);
		return fail(err, errlen, "s390ap_vcpu_set_gr", rc, NULL);
	}
	rc = guest_run(&g, limit_for(iters, 3), out, err, errlen);
	if (rc == 0)
		rc = check_count("W8 loop count (GR8)", s390ap_vcpu_gr(g.v, 8), iters, err, errlen);
	/* iters yields and the final DIAG 0x44, one entry for each */
	if (rc == 0)
		rc = check_count("W8 interceptions", out->interceptions, iters + 1, err, errlen);
	if (rc == 0)
		rc = check_count("W8 SIE entries", out->sie_entries, iters + 1, err, errlen);
	guest_close(&g);
	return rc;
}

/* ------------------------------------------------------------------ */
/* W10, W11: a guest-3 under vSIE                                        */
/* ------------------------------------------------------------------ */

/* Guest-2 (2 MiB) holds guest-3's window (1 MiB at 1 MiB), guest-3's SCB
 * and its format-2 CRYCB, which grants guest-3 the one queue of guest-2. */
#define G2_SIZE (2u << 20)
#define G3_MSO (1u << 20)
#define G3_SCB 0x20000u
#define G3_CRYCB 0x21000u

/* Guest-2 set up to SIE guest-3 (program prog; guest-3's image g3 at its
 * APBENCH_LOAD_ADDR); no_cache: the host's vsie_no_cache. */
static int vsie_open(struct guest_env *g, const unsigned char *prog, size_t len,
		     const unsigned char *g3, size_t g3len, bool no_cache, char *err, size_t errlen)
{
	s390ap_kvm_opts ko;
	s390ap_vm_crypto cr;
	uint8_t scb[S390AP_SCB_SIZE] = { 0 }, crycb[S390AP_CRYCB_SIZE] = { 0 };
	int rc;

	memset(&ko, 0, sizeof(ko));
	ko.size = sizeof(ko);
	ko.vsie_no_cache = no_cache;
	if (guest_open_ex(g, prog, len, NULL, G2_SIZE, &ko, err, errlen) < 0)
		return -1;
	rc = s390ap_vm_crypto_get(g->vm, &cr);
	if (rc == 0 && cr.format != S390AP_CRYCB_FORMAT2) {
		snprintf(err, errlen, "guest-2's CRYCB has format %u, not 2", cr.format);
		guest_close(g);
		return -1;
	}
	crycb[S390AP_CRYCB_APCB1_APM + (APID >> 3)] = (uint8_t)(0x80u >> (APID & 7));
	crycb[S390AP_CRYCB_APCB1_AQM + (APQI >> 3)] = (uint8_t)(0x80u >> (APQI & 7));
	crycb[S390AP_CRYCB_APCB1_ADM + (APQI >> 3)] = (uint8_t)(0x80u >> (APQI & 7));
	be_put32(scb + S390AP_SCB_CPUFLAGS, S390AP_CPUSTAT_ZARCH);
	be_put64(scb + S390AP_SCB_MSO, G3_MSO);
	be_put64(scb + S390AP_SCB_MSL, G3_MSO);
	be_put64(scb + S390AP_SCB_GPSW, S390AP_PSW_EA | S390AP_PSW_BA);
	be_put64(scb + S390AP_SCB_GPSW + 8, APBENCH_LOAD_ADDR);
	be_put32(scb + S390AP_SCB_ECA, S390AP_ECA_APIE);
	be_put32(scb + S390AP_SCB_CRYCBD, G3_CRYCB | S390AP_CRYCB_FORMAT2);
	if (rc == 0)
		rc = s390ap_vm_write(g->vm, G3_SCB, scb, sizeof(scb));
	if (rc == 0)
		rc = s390ap_vm_write(g->vm, G3_CRYCB, crycb, sizeof(crycb));
	if (rc == 0)
		rc = s390ap_vm_write(g->vm, G3_MSO + APBENCH_LOAD_ADDR, g3, g3len);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g->v, 14, G3_SCB);
	if (rc < 0) {
		fail(err, errlen, "guest-3 set-up", rc, s390ap_kvm_errmsg(g->kvm));
		guest_close(g);
		return -1;
	}
	return 0;
}

/* Guest-3 left its last SIE with the instruction interception of a
 * DIAG with this code. */
static int g3_left_with_diag(struct guest_env *g, const char *w, unsigned code, char *err,
			     size_t errlen)
{
	uint8_t scb[S390AP_SCB_SIZE];

	if (s390ap_vm_read(g->vm, G3_SCB, scb, sizeof(scb)) < 0 ||
	    scb[S390AP_SCB_ICPTCODE] != S390AP_ICPT_INST ||
	    be_get16(scb + S390AP_SCB_IPA) != 0x8300 ||
	    (be_get32(scb + S390AP_SCB_IPB) >> 16 & 0xfff) != code) {
		snprintf(err, errlen, "%s: guest-3 did not leave SIE with its DIAG 0x%x", w, code);
		return -1;
	}
	return 0;
}

/* W10: W2's program as guest-3, its TAPQs interpreted against the shadow
 * CRYCB (guest-3's masks ANDed with guest-2's); one SIE of guest-2. */
static int run_w10(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	struct guest_env g;
	s390ap_vsie_info vi;
	uint64_t sw;
	int rc;

	if (vsie_open(&g, apbench_prog_w10_g2, apbench_prog_w10_g2_len, apbench_prog_w2,
		      apbench_prog_w2_len, false, err, errlen) < 0)
		return -1;
	rc = s390ap_vcpu_set_gr(g.v, 9, iters);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 10,
					(uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT | APQN);
	if (rc < 0) {
		guest_close(&g);
		return fail(err, errlen, "s390ap_vcpu_set_gr", rc, NULL);
	}
	rc = guest_run(&g, limit_for(iters, 3), out, err, errlen);
	if (rc == 0)
		rc = g3_left_with_diag(&g, "W10", 0x44, err, errlen);
	if (rc == 0)
		rc = check_count("W10 AP instructions", out->ap_insns, iters, err, errlen);
	if (rc == 0 && s390ap_vcpu_vsie(g.v, &vi) < 0)
		rc = fail(err, errlen, "s390ap_vcpu_vsie", -1, NULL);
	if (rc == 0)
		rc = check_count("W10 guest-3 SIE entries", vi.entries, 1, err, errlen);
	/* guest-2: its first entry and the one after guest-3's exit; its SIE,
	 * guest-3's DIAG 0x44 and its own */
	if (rc == 0)
		rc = check_count("W10 SIE entries", out->sie_entries, 2, err, errlen);
	if (rc == 0)
		rc = check_count("W10 interceptions", out->interceptions, 3, err, errlen);
	out->vsie_entries = vi.entries;
	sw = s390ap_vcpu_gr(g.v, 1) & 0xffffffffu;
	if (rc == 0 && sw != S390AP_SW_E) {
		snprintf(err, errlen, "W10: last TAPQ status word 0x%08llx, expected 0x%08x",
			 (unsigned long long)sw, S390AP_SW_E);
		rc = -1;
	}
	guest_close(&g);
	return rc;
}

/* W11, W11nc: guest-2's SIE loop over a guest-3 whose DIAG 0x9C ends SIE
 * at once; with the host's shadow cache and without it. */
static int run_w11_with(uint64_t iters, bool no_cache, bench_sample *out, char *err, size_t errlen)
{
	static const uint8_t diag9c[4] = { 0x83, 0x00, 0x00, 0x9C };
	const char *w = no_cache ? "W11nc" : "W11";
	struct guest_env g;
	s390ap_vsie_info vi;
	char what[64];
	int rc;

	if (vsie_open(&g, apbench_prog_w11_g2, apbench_prog_w11_g2_len, diag9c, sizeof(diag9c),
		      no_cache, err, errlen) < 0)
		return -1;
	rc = s390ap_vcpu_set_gr(g.v, 9, iters);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(g.v, 7, APBENCH_LOAD_ADDR);
	if (rc < 0) {
		guest_close(&g);
		return fail(err, errlen, "s390ap_vcpu_set_gr", rc, NULL);
	}
	rc = guest_run(&g, limit_for(iters, 7), out, err, errlen);
	if (rc == 0)
		rc = g3_left_with_diag(&g, w, 0x9C, err, errlen);
	snprintf(what, sizeof(what), "%s loop count (GR8)", w);
	if (rc == 0)
		rc = check_count(what, s390ap_vcpu_gr(g.v, 8), iters, err, errlen);
	if (rc == 0 && s390ap_vcpu_vsie(g.v, &vi) < 0)
		rc = fail(err, errlen, "s390ap_vcpu_vsie", -1, NULL);
	snprintf(what, sizeof(what), "%s guest-3 SIE entries", w);
	if (rc == 0)
		rc = check_count(what, vi.entries, iters, err, errlen);
	snprintf(what, sizeof(what), "%s guest-3 SIE exits", w);
	if (rc == 0)
		rc = check_count(what, vi.exits, iters, err, errlen);
	/* guest-2: one entry after each of guest-3's exits and the first; an
	 * interception for each SIE, each of guest-3's DIAGs, the DIAG 0x44 */
	snprintf(what, sizeof(what), "%s SIE entries", w);
	if (rc == 0)
		rc = check_count(what, out->sie_entries, iters + 1, err, errlen);
	snprintf(what, sizeof(what), "%s interceptions", w);
	if (rc == 0)
		rc = check_count(what, out->interceptions, 2 * iters + 1, err, errlen);
	out->vsie_entries = vi.entries;
	guest_close(&g);
	return rc;
}

static int run_w11(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w11_with(iters, false, out, err, errlen);
}

static int run_w11nc(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w11_with(iters, true, out, err, errlen);
}

/* ------------------------------------------------------------------ */
/* W9: a host of N mdevs on N running guests, configuration changes     */
/* ------------------------------------------------------------------ */

/* The machine: W9_ADAPTERS CEX8 accelerators (apid 0 .. 3) of 256 domains,
 * domains 0 .. N-1 in the configuration.  mdev i: every adapter, usage and
 * control domain i, so no queue is in two mdevs and a change of one adapter
 * reaches every guest, as pulling a card out of a host of many guests
 * does.  VM i: a 1 MiB window at (1 + i) MiB; the host area (two MiB:
 * N VM pages, up to 64 vCPU pages, the GIB) at the top. */
#define MX_MAX S390AP_MATRIX_MAX_MDEVS
#define MX_ADAPTERS 4u
#define MX_TOGGLED 3u /* the adapter W9 takes out and puts back */
#define MX_AREA (2u << 20)
#define MX_TAPQ_APID 1u

struct mx_env {
	s390ap_machine *m;
	s390ap_sys *sys;
	s390ap_kvm *kvm;
	s390ap_matrix *mx;
	unsigned n, nvcpus;
	s390ap_vm *vm[MX_MAX];
	s390ap_vcpu *v[S390AP_MAX_CPUS];
	s390ap_mdev *md[MX_MAX];
};

static void mx_close(struct mx_env *e)
{
	s390ap_matrix_free(e->mx); /* before the host: it releases the open mdevs */
	s390ap_kvm_free(e->kvm);
	s390ap_sys_free(e->sys);
	s390ap_machine_free(e->m);
	memset(e, 0, sizeof(*e));
}

static void mx_bit(uint8_t mask[32], unsigned id)
{
	mask[id >> 3] |= (uint8_t)(0x80u >> (id & 7));
}

static bool mx_test(const uint8_t mask[32], unsigned id)
{
	return (mask[id >> 3] >> (7 - (id & 7))) & 1;
}

static int mx_adapter_add(s390ap_machine *m, unsigned apid)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof(ao));
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.domains = S390AP_MAX_IDS;
	ao.latency = 1;
	return s390ap_adapter_add(m, apid, &ao);
}

/* n mdevs open on n VMs.  vcpus: how many VMs (the first ones) get a vCPU,
 * at most the system's S390AP_MAX_CPUS; each is started in SIE at the
 * program's address (prog may be NULL: nothing loaded, never run). */
static int mx_open(struct mx_env *e, unsigned n, unsigned vcpus, const unsigned char *prog,
		   size_t len, char *err, size_t errlen)
{
	s390ap_machine_opts mo;
	s390ap_sys_opts so;
	s390ap_kvm_opts ko;
	s390ap_matrix_opts xo;
	s390ap_vm_opts vo;
	const char *what = "W9 set-up";
	int rc;

	memset(e, 0, sizeof(*e));
	if (n == 0 || n > MX_MAX || vcpus > n || vcpus > S390AP_MAX_CPUS) {
		snprintf(err, errlen, "W9: bad size (%u mdevs, %u vCPUs)", n, vcpus);
		return -1;
	}
	e->n = n;
	e->nvcpus = vcpus;
	memset(&mo, 0, sizeof(mo)); /* default facilities: APXA, ids 0..255 */
	mo.size = sizeof(mo);
	mo.irq_cycles = IRQ_CYCLES;
	rc = s390ap_machine_new(&e->m, &mo);
	for (unsigned qi = 0; qi < n && rc == 0; qi++)
		rc = s390ap_domain_add(e->m, qi, true, true);
	for (unsigned a = 0; a < MX_ADAPTERS && rc == 0; a++)
		rc = mx_adapter_add(e->m, a);
	if (rc < 0) {
		fail(err, errlen, "W9 machine", rc, e->m ? s390ap_machine_errmsg(e->m) : NULL);
		mx_close(e);
		return -1;
	}

	memset(&so, 0, sizeof(so));
	so.size = sizeof(so);
	so.mem_size = (uint64_t)(1 + n) * G_SIZE + MX_AREA;
	so.ncpus = vcpus ? vcpus : 1;
	so.machine = e->m;
	rc = s390ap_sys_new(&e->sys, &so);
	if (rc < 0) {
		fail(err, errlen, "s390ap_sys_new", rc, NULL);
		mx_close(e);
		return -1;
	}
	memset(&ko, 0, sizeof(ko));
	ko.size = sizeof(ko);
	ko.area_size = MX_AREA;
	rc = s390ap_kvm_new(&e->kvm, e->sys, &ko);
	if (rc < 0) {
		fail(err, errlen, "s390ap_kvm_new", rc, s390ap_sys_errmsg(e->sys));
		mx_close(e);
		return -1;
	}
	memset(&xo, 0, sizeof(xo));
	xo.size = sizeof(xo);
	xo.masks_zero = true; /* every queue to vfio_ap */
	rc = s390ap_matrix_new(&e->mx, e->m, e->kvm, &xo);
	if (rc < 0) {
		fail(err, errlen, "s390ap_matrix_new", rc, NULL);
		mx_close(e);
		return -1;
	}

	memset(&vo, 0, sizeof(vo));
	vo.size = sizeof(vo);
	vo.facilities = G_FAC; /* MSAX3 with APXA: CRYCB format 2, all 256 ids */
	vo.mem_size = G_SIZE;
	for (unsigned i = 0; i < n && rc == 0; i++) {
		uint8_t apm[32] = { 0 }, aqm[32] = { 0 }, adm[32] = { 0 };
		char uuid[S390AP_UUID_LEN + 1];

		vo.mso = (uint64_t)(1 + i) * G_SIZE;
		what = "W9 VM";
		rc = s390ap_vm_new(e->kvm, &e->vm[i], &vo);
		if (rc == 0)
			rc = s390ap_vm_set_attr(e->vm[i], S390AP_VM_CRYPTO,
						S390AP_VM_CRYPTO_ENABLE_APIE);
		if (rc == 0 && i < vcpus) {
			what = "W9 vCPU";
			rc = s390ap_vcpu_new(e->vm[i], &e->v[i], i);
			if (rc == 0 && prog)
				rc = s390ap_vm_load(e->vm[i], APBENCH_LOAD_ADDR, prog, len);
		}
		if (rc < 0)
			break;
		what = "W9 mdev";
		snprintf(uuid, sizeof(uuid), "00000000-0000-4000-8000-%012x", i);
		for (unsigned a = 0; a < MX_ADAPTERS; a++)
			mx_bit(apm, a);
		mx_bit(aqm, i);
		mx_bit(adm, i);
		rc = s390ap_mdev_create(e->mx, uuid, &e->md[i]);
		if (rc == 0)
			rc = s390ap_mdev_set_config(e->md[i], apm, aqm, adm);
		if (rc == 0)
			rc = s390ap_mdev_open(e->md[i], e->vm[i]);
		if (rc < 0) {
			fail(err, errlen, what, rc, s390ap_matrix_errmsg(e->mx));
			mx_close(e);
			return -1;
		}
	}
	/* into SIE last: an open before would make the run's first entry a
	 * re-entry after the CRYCB update's kick */
	if (rc == 0)
		what = "W9 vCPU start";
	for (unsigned i = 0; i < vcpus && rc == 0; i++)
		rc = s390ap_vcpu_start(e->v[i], APBENCH_LOAD_ADDR);
	if (rc < 0) {
		fail(err, errlen, what, rc, s390ap_kvm_errmsg(e->kvm));
		mx_close(e);
		return -1;
	}
	return 0;
}

/* Every mdev's guest has every adapter but the toggled one, or all of
 * them (present), and its own domain; and its CRYCB updates are `want`. */
static int mx_check(struct mx_env *e, bool present, const uint64_t *want, char *err, size_t errlen)
{
	for (unsigned i = 0; i < e->n; i++) {
		uint8_t apm[32], aqm[32];
		uint64_t got = s390ap_mdev_crycb_updates(e->md[i]);

		if (got != want[i]) {
			snprintf(err, errlen, "W9: mdev %u: %llu CRYCB updates, expected %llu", i,
				 (unsigned long long)got, (unsigned long long)want[i]);
			return -1;
		}
		if (s390ap_mdev_guest_matrix(e->md[i], apm, aqm, NULL) < 0 ||
		    mx_test(apm, MX_TOGGLED) != present || !mx_test(apm, 0) || !mx_test(aqm, i)) {
			snprintf(err, errlen, "W9: mdev %u: guest matrix without adapter 0%s", i,
				 present ? " or the toggled one" : ", or with the removed one");
			return -1;
		}
	}
	return 0;
}

/* One change: the toggled adapter out of the configuration (remove) or
 * back in (add), then the AP bus's rescan. */
static int mx_change(struct mx_env *e, bool add)
{
	int rc = add ? mx_adapter_add(e->m, MX_TOGGLED) : s390ap_adapter_remove(e->m, MX_TOGGLED);

	return rc < 0 ? rc : s390ap_matrix_config_changed(e->mx);
}

static int run_w9_with(unsigned n, uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	uint64_t want[MX_MAX];
	struct mx_env e;
	uint64_t t0, t1;
	int rc;

	if (mx_open(&e, n, n < S390AP_MAX_CPUS ? n : S390AP_MAX_CPUS, NULL, 0, err, errlen) < 0)
		return -1;
	/* untimed: the first change and its way back, checked one by one */
	for (unsigned i = 0; i < n; i++)
		want[i] = s390ap_mdev_crycb_updates(e.md[i]) + 1;
	rc = mx_change(&e, false);
	if (rc == 0 && mx_check(&e, false, want, err, errlen) < 0)
		goto out_checked;
	for (unsigned i = 0; i < n; i++)
		want[i]++;
	if (rc == 0)
		rc = mx_change(&e, true);
	if (rc == 0 && mx_check(&e, true, want, err, errlen) < 0)
		goto out_checked;

	t0 = bench_now_ns();
	for (uint64_t k = 0; k < iters && rc == 0; k++) {
		rc = mx_change(&e, false);
		if (rc == 0)
			rc = mx_change(&e, true);
	}
	t1 = bench_now_ns();
	if (rc < 0) {
		fail(err, errlen, "W9 configuration change", rc, s390ap_matrix_errmsg(e.mx));
		mx_close(&e);
		return -1;
	}
	/* one CRYCB write per mdev per change, no more */
	for (unsigned i = 0; i < n; i++)
		want[i] += 2 * iters;
	if (mx_check(&e, true, want, err, errlen) < 0)
		goto out_checked;
	memset(out, 0, sizeof(*out));
	out->ns = t1 - t0;
	out->cycles = s390ap_machine_now(e.m);
	out->vcpus = e.nvcpus;
	out->mdevs = n;
	out->crycb_updates = 2 * iters * n; /* as mx_check found, mdev by mdev */
	mx_close(&e);
	return 0;
out_checked:
	if (rc < 0)
		fail(err, errlen, "W9 configuration change", rc, s390ap_matrix_errmsg(e.mx));
	mx_close(&e);
	return -1;
}

static int run_w9n1(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w9_with(1, iters, out, err, errlen);
}

static int run_w9n16(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w9_with(16, iters, out, err, errlen);
}

static int run_w9n64(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w9_with(64, iters, out, err, errlen);
}

static int run_w9(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w9_with(MX_MAX, iters, out, err, errlen);
}

/* W6mx1, W6mx256: W6's interpreted TAPQ loop in the guest of mdev 0 while
 * 1 or 256 mdevs are open (the other VMs have no vCPU: only VM 0 runs).
 * The TAPQ never leaves SIE, so the matrix should not change its cost. */
static int run_w6mx_with(unsigned n, uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	struct mx_env e;
	struct guest_env g;
	uint64_t sw;
	int rc;

	if (mx_open(&e, n, 1, apbench_prog_w2, apbench_prog_w2_len, err, errlen) < 0)
		return -1;
	rc = s390ap_vcpu_set_gr(e.v[0], 9, iters);
	if (rc == 0)
		rc = s390ap_vcpu_set_gr(e.v[0], 10,
					(uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT |
						S390AP_APQN(MX_TAPQ_APID, 0));
	if (rc < 0) {
		mx_close(&e);
		return fail(err, errlen, "s390ap_vcpu_set_gr", rc, NULL);
	}
	memset(&g, 0, sizeof(g)); /* a view for guest_run; e owns everything */
	g.m = e.m;
	g.sys = e.sys;
	g.kvm = e.kvm;
	g.vm = e.vm[0];
	g.v = e.v[0];
	g.cpu = s390ap_vcpu_cpu(e.v[0]);
	rc = guest_run(&g, limit_for(iters, 3), out, err, errlen);
	if (rc == 0)
		rc = check_count("W6mx AP instructions", out->ap_insns, iters, err, errlen);
	if (rc == 0)
		rc = check_count("W6mx SIE entries", out->sie_entries, 1, err, errlen);
	if (rc == 0)
		rc = check_count("W6mx interceptions", out->interceptions, 1, err, errlen);
	sw = s390ap_vcpu_gr(e.v[0], 1) & 0xffffffffu;
	if (rc == 0 && sw != S390AP_SW_E) {
		snprintf(err, errlen, "W6mx: last TAPQ status word 0x%08llx, expected 0x%08x",
			 (unsigned long long)sw, S390AP_SW_E);
		rc = -1;
	}
	out->mdevs = n;
	mx_close(&e);
	return rc;
}

static int run_w6mx1(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w6mx_with(1, iters, out, err, errlen);
}

static int run_w6mx256(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	return run_w6mx_with(MX_MAX, iters, out, err, errlen);
}

/* ------------------------------------------------------------------ */

/* clang-format off */
const bench_workload bench_workloads[] = {
	{ "W1", "tight BRCT loop (dispatcher baseline)", "iteration", 1,
	  50000000, 200000, 500000000, 2000000, run_w1, baseline_w1 },
	{ "W2", "PQAP(TAPQ) loop", "TAPQ", 1,
	  10000000, 20000, 200000000, 500000, run_w2, baseline_w2 },
	{ "W3", "NQAP + DQAP request / reply, 4 KiB each way", "round trip", 1,
	  1000000, 2000, 2000000, 5000, run_w3, baseline_w3 },
	{ "W4", "PQAP(AQIC) enable / disable", "AQIC", 2,
	  3000000, 10000, 200000000, 500000, run_w4, baseline_w4 },
	{ "W5", "RSA-2048 ME via NQAP + DQAP, crypto engine", "RSA ME", 1,
	  4000, 40, 4000, 40, run_w5, baseline_w5 },
	/* The guests: level-1 loops under SIE; W6 compares with W2 too. */
	{ "W6", "W2's TAPQ loop in a guest, interpreted (APIE)", "TAPQ", 1,
	  10000000, 20000, 200000000, 500000, run_w6, baseline_w6 },
	{ "W7", "guest AQIC enable / disable, intercepted + hook", "round trip", 2,
	  200000, 2000, 10000000, 50000, run_w7, baseline_w7 },
	{ "W8", "guest DIAG 0x9C: SIE exit and entry, no work", "entry+exit", 1,
	  600000, 5000, 10000000, 100000, run_w8, baseline_w8 },
	/* vSIE: a guest-3 run by guest-2's own SIE (docs/vsie.md) */
	{ "W10", "W2's TAPQ loop in a guest-3, interpreted (shadow CRYCB)", "TAPQ", 1,
	  10000000, 20000, 200000000, 500000, run_w10, baseline_w10 },
	{ "W11", "guest-2's SIE of a guest-3 that intercepts at once (cache)", "round trip", 1,
	  300000, 2000, 10000000, 100000, run_w11, baseline_w11 },
	{ "W11nc", "W11 with vsie_no_cache: the shadow CRYCB built every SIE", "round trip", 1,
	  300000, 2000, 10000000, 100000, run_w11nc, baseline_w11 },
	/* The scaling rows compare with W2 / W4, not with a host loop. */
	{ "W2wait", "W2 with 63 more vCPUs in enabled wait (64)", "TAPQ", 1,
	  100000, 200, 0, 0, run_w2wait, NULL },
	{ "W2halt", "W2 with 63 more vCPUs halted (64)", "TAPQ", 1,
	  400000, 200, 0, 0, run_w2halt, NULL },
	{ "W4events", "W4 with far-future events pending (--events)", "AQIC", 2,
	  500000, 1000, 0, 0, run_w4events, NULL },
	{ "Wallq", "all queues: N adapters x 256 domains, NQAP+DQAP", "queue", 256,
	  256, 1, 0, 0, run_wallq, NULL },
	/* The matrix: configuration changes over N open mdevs (W9 is N = 256),
	 * and W6's TAPQ with 1 or 256 mdevs open. */
	{ "W9n1", "adapter out / back in, 1 mdev on 1 guest", "config change", 2,
	  12000, 20, 5000000, 20000, run_w9n1, baseline_w9n1 },
	{ "W9n16", "adapter out / back in, 16 mdevs on 16 guests", "config change", 2,
	  8000, 10, 500000, 2000, run_w9n16, baseline_w9n16 },
	{ "W9n64", "adapter out / back in, 64 mdevs on 64 guests", "config change", 2,
	  2500, 5, 125000, 500, run_w9n64, baseline_w9n64 },
	{ "W9", "adapter out / back in, 256 mdevs on 256 guests", "config change", 2,
	  1000, 2, 25000, 100, run_w9, baseline_w9 },
	{ "W6mx1", "W6's TAPQ loop, its guest's mdev the only one", "TAPQ", 1,
	  4000000, 20000, 0, 0, run_w6mx1, NULL },
	{ "W6mx256", "W6's TAPQ loop with 256 mdevs open on 256 guests", "TAPQ", 1,
	  4000000, 20000, 0, 0, run_w6mx256, NULL },
};
/* clang-format on */

const unsigned bench_nworkloads = ARRAY_SIZE(bench_workloads);
