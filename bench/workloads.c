/* apbench — the five workloads, each a real s390x program run through the
 * dispatcher (s390ap_sys_run) on a machine built for it.
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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s390ap/engine.h"
#include "s390ap/s390ap.h"

#include "bench.h"
#include "programs.h"

#define MEM_SIZE (1u << 20)
#define REQ_ADDR 0x20000u
#define REP_ADDR 0x21000u
#define NIB_ADDR 0x30000u
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
#define IRQ_CYCLES 1u

/* Program exit values (DIAG 0x500 GR2), see bench/asm/w*.S. */
static const char *exit_text(uint64_t v)
{
	switch (v) {
	case 0x21: return "TAPQ answered a non-zero condition code";
	case 0x31: return "NQAP answered cc 3";
	case 0x32: return "DQAP answered a response code other than 0x10";
	case 0x33: return "the reply's PSMID is not the request's";
	case 0x41: return "AQIC enable failed";
	case 0x42: return "AQIC disable failed";
	case 0x51: return "NQAP answered cc 3";
	case 0x52: return "DQAP answered a response code other than 0x10";
	case 0x53: return "the reply's PSMID is not the request's";
	case 0x54: return "the reply is not a type 80 reply";
	default: return "unexpected exit value";
	}
}

static const char *stop_text(s390ap_stop why)
{
	switch (why) {
	case S390AP_STOP_ALL_DONE: return "every vCPU done";
	case S390AP_STOP_INSNS: return "instruction limit reached";
	case S390AP_STOP_CYCLE: return "cycle limit reached";
	case S390AP_STOP_IDLE: return "every vCPU waits, no event pending";
	}
	return "unknown stop reason";
}

static const char *state_text(s390ap_cpu_state st)
{
	switch (st) {
	case S390AP_CPU_RUNNING: return "running";
	case S390AP_CPU_HALTED: return "halted";
	case S390AP_CPU_WAIT: return "enabled wait";
	case S390AP_CPU_STOPPED: return "disabled wait";
	case S390AP_CPU_CHECKSTOP: return "checkstop";
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

static int timeless_process(void *ctx, const s390ap_engine_request *req,
			    s390ap_engine_reply *rep)
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
	*out = (s390ap_engine){ timeless_process, timeless_destroy, t };
	return 0;
}

/* ------------------------------------------------------------------ */
/* One system per run                                                   */
/* ------------------------------------------------------------------ */

/* The machine a workload runs on. */
enum env_kind {
	ENV_CPU,     /* no AP machine (W1) */
	ENV_ECHO,    /* one accelerator queue with the echo engine (W2 .. W4) */
	ENV_CRYPTO   /* one accelerator queue with the crypto engine (W5) */
};

struct run_env {
	s390ap_machine *m;  /* ours, or NULL when the sys owns a default one */
	s390ap_sys *sys;
	s390ap_cpu *cpu;
	uint64_t *gr;
	uint8_t *mem;
};

static void env_close(struct run_env *e)
{
	s390ap_sys_free(e->sys);   /* the sys only borrows e->m */
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
	s390ap_engine engine = { echo_process, NULL, NULL };
	s390ap_machine *m;
	int rc;

	memset(&mo, 0, sizeof(mo));
	mo.irq_cycles = IRQ_CYCLES;
	rc = s390ap_machine_new(&m, &mo);
	if (rc < 0)
		return fail(err, errlen, "s390ap_machine_new", rc, NULL);

	memset(&ao, 0, sizeof(ao));
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

static int env_open(struct run_env *e, const unsigned char *prog, size_t len,
		    enum env_kind kind, char *err, size_t errlen)
{
	s390ap_sys_opts so;
	int rc;

	memset(e, 0, sizeof(*e));
	if (kind != ENV_CPU && machine_open(&e->m, kind, err, errlen) < 0)
		return -1;

	memset(&so, 0, sizeof(so));
	so.mem_size = MEM_SIZE;
	so.ncpus = 1;
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

/* Time s390ap_sys_run; the program must end in DIAG 0x44 within `limit`
 * instructions. */
static int env_run(struct run_env *e, uint64_t limit, bench_sample *out, char *err,
		   size_t errlen)
{
	s390ap_cpu_stats st;
	s390ap_stop why = S390AP_STOP_ALL_DONE;
	s390ap_cpu_state state;
	uint64_t t0, t1;
	int rc;

	t0 = bench_now_ns();
	rc = s390ap_sys_run(e->sys, limit, 0, &why);
	t1 = bench_now_ns();
	if (rc < 0)
		return fail(err, errlen, "s390ap_sys_run", rc, s390ap_sys_errmsg(e->sys));

	state = s390ap_cpu_get_state(e->cpu);
	if (why != S390AP_STOP_ALL_DONE || state != S390AP_CPU_HALTED) {
		s390ap_psw psw;

		s390ap_cpu_get_psw(e->cpu, &psw);
		snprintf(err, errlen, "the program did not halt (%s; vCPU %s, PSW %016llx %016llx)",
			 stop_text(why), state_text(state), (unsigned long long)psw.mask,
			 (unsigned long long)psw.addr);
		return -1;
	}
	if (s390ap_cpu_exit_value(e->cpu) != 0) {
		uint64_t v = s390ap_cpu_exit_value(e->cpu);

		snprintf(err, errlen, "program exit 0x%llx (%s), GR1 = 0x%016llx",
			 (unsigned long long)v, exit_text(v), (unsigned long long)e->gr[1]);
		return -1;
	}
	rc = s390ap_sys_stats_get(e->sys, &st);
	if (rc < 0)
		return fail(err, errlen, "s390ap_sys_stats_get", rc, NULL);

	memset(out, 0, sizeof(*out));
	out->ns = t1 - t0;
	out->insns = st.instructions;
	for (unsigned p = 0; p < S390AP_PATH_COUNT; p++)
		out->ap_insns += st.ap_path[p];
	out->cycles = s390ap_sys_cycles(e->sys);
	return 0;
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

static int run_w2(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	struct run_env e;
	int rc;

	if (env_open(&e, apbench_prog_w2, apbench_prog_w2_len, ENV_ECHO, err, errlen) < 0)
		return -1;
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
	env_close(&e);
	return rc;
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
	for (unsigned i = 0; i < MSG_LEN; i++)
		e.mem[REQ_ADDR + i] = (uint8_t)(i * 7 + 1);
	memset(e.mem + REP_ADDR, 0, MSG_LEN);
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

static int run_w4(uint64_t iters, bench_sample *out, char *err, size_t errlen)
{
	s390ap_queue_info qi;
	struct run_env e;
	int rc;

	if (env_open(&e, apbench_prog_w4, apbench_prog_w4_len, ENV_ECHO, err, errlen) < 0)
		return -1;
	e.mem[NIB_ADDR] = 0;
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
	    s390ap_queue_info_get(e.m, APQN, &qi) == 0 && (qi.irq_enabled || qi.irq_change_pending)) {
		snprintf(err, errlen, "W4: interruptions still enabled after the last disable");
		rc = -1;
	}
	env_close(&e);
	return rc;
}

/* ------------------------------------------------------------------ */
/* W5: RSA-2048 ME through NQAP + DQAP and the crypto engine            */
/* ------------------------------------------------------------------ */

#define W5_FIELD 256u                    /* MEB2: 2048-bit fields */
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
	b[9] = 0x02;                                  /* MEB2 */
	b[0x10 + W5_FIELD - 3] = 0x01;                /* e = 0x010001 */
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
	w5_request(e.mem + REQ_ADDR);
	memset(e.mem + REP_ADDR, 0, MSG_LEN);
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
};

const unsigned bench_nworkloads = sizeof(bench_workloads) / sizeof(bench_workloads[0]);
