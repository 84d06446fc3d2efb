/* SPDX-License-Identifier: MIT */
/* test_threads -- the threading rules of docs/threads.md: objects driven
 * each in its own thread at once give what they give alone; one machine
 * driven by several threads in turn under a mutex ends as a sequential run
 * does; read-only getters run concurrently on one machine.  Run under
 * ThreadSanitizer by the tsan preset.
 *
 * Worker threads make no Check assertion (Check is not thread-safe): they
 * record what they saw, and the main thread compares. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_test.h"
#include "s390ap/msgfmt.h"

#define NTHREADS 4
#define ACC_Q S390AP_APQN(0x03, 0x06)
#define CCA_Q S390AP_APQN(0x04, 0x06)

#define RAM_SIZE 0x20000u
#define REQ_ADDR 0x1000u
#define REP_ADDR 0x2000u
#define REQ_LEN 0x190u /* type 50 MEB1: exponent, modulus, message */
#define REP_CAP 0x200u

#define LOG_MAX 4096

/* What a workload saw, value by value. */
struct log {
	uint64_t v[LOG_MAX];
	size_t n;
	int err; /* a call that failed: its error code, 0 if none */
};

static void log_put(struct log *l, uint64_t v)
{
	if (l->n < LOG_MAX)
		l->v[l->n++] = v;
	else
		l->err = S390AP_ENOSPC;
}

static void log_bytes(struct log *l, const uint8_t *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	log_put(l, h);
}

static void log_call(struct log *l, int rc)
{
	if (rc < 0 && l->err == 0)
		l->err = rc;
}

static void expect_same(const struct log *got, const struct log *want, const char *what)
{
	ck_assert_msg(got->err == 0, "%s: error %d", what, got->err);
	ck_assert_uint_eq(got->n, want->n);
	for (size_t i = 0; i < want->n; i++)
		ck_assert_msg(got->v[i] == want->v[i],
			      "%s: value %zu is 0x%016" PRIx64 ", alone 0x%016" PRIx64, what, i,
			      got->v[i], want->v[i]);
}

/* A type 50 MEB1 request: m^e mod n with a real (odd) modulus, so the
 * crypto engine runs OpenSSL. */
static void make_request(uint8_t *p, unsigned seed)
{
	uint8_t *e = p + S390AP_T50_HDR, *n = e + 128, *msg = n + 128;

	memset(p, 0, REQ_LEN);
	p[S390AP_MSG_TYPE_OFF] = 0x50;
	p[S390AP_T50_LEN] = REQ_LEN >> 8;
	p[S390AP_T50_LEN + 1] = REQ_LEN & 0xff;
	p[S390AP_T50_KB_TYPE + 1] = S390AP_T50_MEB1;
	e[125] = 0x01;
	e[127] = 0x01; /* 65537 */
	for (unsigned i = 0; i < 128; i++) {
		n[i] = (uint8_t)(0xC3 ^ (i * 37u));
		msg[i] = (uint8_t)(i * 11u + seed);
	}
	n[0] = 0xF1;
	n[127] |= 1;
	msg[0] = 0x12;
}

/* ================================================================== */
/* A machine with its own flat storage                                 */
/* ================================================================== */
struct rig {
	uint8_t ram[RAM_SIZE];
	s390ap_storage st;
	s390ap_machine *m;
	s390ap_view view;
	s390ap_insn_ctx ctx;
	uint64_t gr[16];
	s390ap_insn_result res;
};

static int ram_read(void *c, uint64_t addr, void *dst, size_t len)
{
	struct rig *r = c;

	if (addr > RAM_SIZE || len > RAM_SIZE - addr)
		return -1;
	memcpy(dst, r->ram + addr, len);
	return 0;
}

static int ram_write(void *c, uint64_t addr, const void *src, size_t len)
{
	struct rig *r = c;

	if (addr > RAM_SIZE || len > RAM_SIZE - addr)
		return -1;
	memcpy(r->ram + addr, src, len);
	return 0;
}

static int rig_open(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	r->st = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = r, .read = ram_read,
				  .write = ram_write };
	int rc = s390ap_machine_new_default(&r->m, &r->st);
	if (rc < 0)
		return rc;
	s390ap_view_lpar(r->m, &r->view);
	r->ctx = (s390ap_insn_ctx){ .gr = r->gr, .amode = 64, .view = &r->view, .storage = &r->st };
	return 0;
}

static void rig_close(struct rig *r)
{
	s390ap_machine_free(r->m);
	r->m = NULL;
}

static void log_insn(struct log *l, const struct rig *r)
{
	for (unsigned i = 0; i < 16; i++)
		log_put(l, r->gr[i]);
	log_put(l, (uint64_t)r->res.pgm << 32 | (uint64_t)r->res.cc << 16 | r->res.rc);
	log_put(l, s390ap_machine_now(r->m));
}

/* Step k of the machine workload: TAPQ, NQAP, let the reply arrive, DQAP,
 * round and round on the accelerator and the CCA queue. */
#define STEPS 64

static void machine_step(struct rig *r, unsigned k, struct log *l)
{
	uint16_t apqn = (k / 4) & 1 ? CCA_Q : ACC_Q;

	switch (k % 4) {
	case 0: /* TAPQ with T */
		r->gr[0] = (uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT | S390AP_GR0_T | apqn;
		r->gr[1] = 0;
		r->gr[2] = 0;
		log_call(l, s390ap_pqap(r->m, &r->ctx, &r->res));
		break;
	case 1:
		make_request(r->ram + REQ_ADDR, k);
		r->gr[0] = apqn | S390AP_NQAP_L;
		r->gr[4] = k;
		r->gr[5] = apqn;
		r->gr[6] = REQ_ADDR;
		r->gr[7] = REQ_LEN;
		log_call(l, s390ap_nqap(r->m, &r->ctx, 4, 6, &r->res));
		break;
	case 2:
		log_call(l, s390ap_machine_run_until(r->m, s390ap_machine_next_event(r->m)));
		log_call(l, s390ap_machine_advance(r->m, 100));
		break;
	default:
		memset(r->ram + REP_ADDR, 0xee, REP_CAP);
		r->gr[0] = apqn;
		r->gr[2] = 0;
		r->gr[4] = r->gr[5] = 0;
		r->gr[6] = REP_ADDR;
		r->gr[7] = REP_CAP;
		log_call(l, s390ap_dqap(r->m, &r->ctx, 4, 6, &r->res));
		log_bytes(l, r->ram + REP_ADDR, REP_CAP);
		break;
	}
	log_insn(l, r);
}

static void log_machine_end(struct log *l, const s390ap_machine *m)
{
	s390ap_queue_info qi;

	log_put(l, s390ap_machine_now(m));
	log_put(l, s390ap_machine_mem_used(m));
	for (unsigned rc = 0; rc < 256; rc++)
		log_put(l, s390ap_machine_rc_count(m, (uint8_t)rc));
	log_call(l, s390ap_queue_info_get(m, ACC_Q, &qi));
	log_put(l, qi.enqueued << 32 | qi.dequeued);
}

static void machine_workload(struct log *l)
{
	struct rig *r = malloc(sizeof(*r));

	if (!r) {
		l->err = S390AP_ENOMEM;
		return;
	}
	l->err = rig_open(r);
	if (l->err == 0) {
		for (unsigned k = 0; k < STEPS; k++)
			machine_step(r, k, l);
		log_machine_end(l, r->m);
	}
	rig_close(r);
	free(r);
}

static void *machine_thread(void *arg)
{
	machine_workload(arg);
	return NULL;
}

/* ================================================================== */
/* A system running s390x code                                         */
/* ================================================================== */
/* Program: K round trips (K in GR13) on the APQN in GR9 with the request
 * at GR10 and the reply at GR10 + 0x400, polling DQAP (polls in GR8);
 * exit 0, or 1 when the reply's PSMID is not the request's. */
static struct prog sys_prog;

static void build_sys_prog(void)
{
	uint64_t loop, poll;
	size_t to_got, to_fail1, to_fail2;

	prog_begin();
	loop = here();
	LLILF(0, 0x40000000); /* L: last part */
	OGR(0, 9);
	LGR(4, 13);
	LGR(5, 9);
	LGR(6, 10);
	LGHI(7, REQ_LEN);
	NQAP(4, 6);
	to_fail1 = fwd_brc(7);
	poll = here();
	LGR(0, 9);
	LGHI(2, 0);
	LGHI(4, 0);
	LGHI(5, 0);
	LA(6, 0x400, 0, 10);
	LGHI(7, REP_CAP);
	DQAP(4, 6);
	to_got = fwd_brc(8);
	AGHI(8, 1);
	BRC(15, poll);
	patch_here(to_got);
	CGR(4, 13);
	to_fail2 = fwd_brc(7);
	BRCTG(13, loop);
	LGHI(2, 0);
	EXIT();
	patch_here(to_fail1);
	patch_here(to_fail2);
	LGHI(2, 1);
	EXIT();
	sys_prog = P;
}

#define SYS_CPUS 2
#define SYS_ROUNDS 6

static void sys_workload(struct log *l)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM,
			      .ncpus = SYS_CPUS };
	s390ap_sys *sys = NULL;
	uint8_t req[REQ_LEN];
	s390ap_cpu_stats cs;
	s390ap_stop why;
	int rc = s390ap_sys_new(&sys, &o);

	if (rc == 0)
		rc = s390ap_sys_load(sys, CODE, sys_prog.b, sys_prog.n);
	if (rc == 0)
		rc = s390ap_sys_start(sys, CODE);
	for (unsigned c = 0; rc == 0 && c < SYS_CPUS; c++) {
		uint64_t *g = s390ap_cpu_gr(s390ap_sys_cpu(sys, c));

		g[9] = c ? CCA_Q : ACC_Q;
		g[10] = DATA + c * 0x1000u;
		g[13] = SYS_ROUNDS;
		make_request(req, c);
		rc = s390ap_sys_load(sys, g[10], req, sizeof(req));
	}
	if (rc == 0)
		rc = s390ap_sys_run(sys, 10000000, 0, &why);
	if (rc < 0) {
		l->err = rc;
		s390ap_sys_free(sys);
		return;
	}
	log_put(l, why);
	log_put(l, s390ap_sys_cycles(sys));
	for (unsigned c = 0; c < SYS_CPUS; c++) {
		const s390ap_cpu *cpu = s390ap_sys_cpu(sys, c);
		const uint64_t *g = s390ap_cpu_gr(s390ap_sys_cpu(sys, c));

		log_put(l, s390ap_cpu_state_get(cpu));
		log_put(l, s390ap_cpu_exit_value(cpu));
		for (unsigned i = 0; i < 16; i++)
			log_put(l, g[i]);
		log_call(l, s390ap_cpu_stats_get(cpu, &cs));
		log_put(l, cs.instructions);
		log_put(l, cs.cycles);
		log_bytes(l, s390ap_mem_data(s390ap_sys_mem(sys)) + DATA + c * 0x1000u + 0x400,
			  REP_CAP);
	}
	s390ap_sys_free(sys);
}

static void *sys_thread(void *arg)
{
	sys_workload(arg);
	return NULL;
}

/* ================================================================== */
/* (i) one object per thread, all at once                              */
/* ================================================================== */
static void run_parallel(void *(*fn)(void *), void (*alone)(struct log *), const char *what)
{
	struct log *want = calloc(1, sizeof(*want));
	struct log *got = calloc(NTHREADS, sizeof(*got));
	pthread_t t[NTHREADS];

	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	alone(want);
	ck_assert_int_eq(want->err, 0);
	for (unsigned i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, fn, &got[i]), 0);
	for (unsigned i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(t[i], NULL), 0);
	for (unsigned i = 0; i < NTHREADS; i++)
		expect_same(&got[i], want, what);
	free(got);
	free(want);
}

START_TEST(test_threads_machine_each)
{
	struct rig *r = malloc(sizeof(*r));
	struct log *l = calloc(1, sizeof(*l));

	/* the workload reaches the engine: the first round trip on the
	 * accelerator gets a computed (type 80) reply */
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(rig_open(r), 0);
	for (unsigned k = 0; k < 4; k++)
		machine_step(r, k, l);
	ck_assert_int_eq(l->err, 0);
	ck_assert_uint_eq(r->res.cc, 0);
	ck_assert_uint_eq(r->ram[REP_ADDR + S390AP_MSG_TYPE_OFF], 0x80);
	rig_close(r);
	free(r);
	free(l);
	run_parallel(machine_thread, machine_workload, "machine");
}
END_TEST

START_TEST(test_threads_sys_each)
{
	struct log *l = calloc(1, sizeof(*l));

	build_sys_prog();
	sys_workload(l);
	/* the program itself worked: every vCPU exited with 0 */
	ck_assert_int_eq(l->err, 0);
	ck_assert_uint_eq(l->v[0], S390AP_STOP_ALL_DONE);
	ck_assert_uint_eq(l->v[2], S390AP_CPU_HALTED);
	ck_assert_uint_eq(l->v[3], 0);
	ck_assert_uint_eq(l->v[2 + 21], S390AP_CPU_HALTED); /* 21 values per vCPU */
	ck_assert_uint_eq(l->v[3 + 21], 0);
	free(l);
	run_parallel(sys_thread, sys_workload, "system");
}
END_TEST

/* ================================================================== */
/* (ii) one machine, several threads in turn                           */
/* ================================================================== */
struct turns {
	pthread_mutex_t lock;
	pthread_cond_t turn;
	unsigned step; /* the next step; thread step % NTHREADS runs it */
	struct rig *r;
	struct log *log;
	unsigned ran[NTHREADS];
};

struct turn_arg {
	struct turns *t;
	unsigned id;
};

static void *turn_thread(void *arg)
{
	struct turn_arg *a = arg;
	struct turns *t = a->t;

	pthread_mutex_lock(&t->lock);
	for (;;) {
		while (t->step < STEPS && t->step % NTHREADS != a->id)
			pthread_cond_wait(&t->turn, &t->lock);
		if (t->step >= STEPS)
			break;
		machine_step(t->r, t->step, t->log);
		t->ran[a->id]++;
		t->step++;
		pthread_cond_broadcast(&t->turn);
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

START_TEST(test_threads_machine_turns)
{
	struct log *want = calloc(1, sizeof(*want)), *got = calloc(1, sizeof(*got));
	struct rig *r = malloc(sizeof(*r));
	struct turns t = { .step = 0 };
	struct turn_arg args[NTHREADS];
	pthread_t th[NTHREADS];

	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	ck_assert_ptr_nonnull(r);
	machine_workload(want);
	ck_assert_int_eq(want->err, 0);

	ck_assert_int_eq(rig_open(r), 0);
	ck_assert_int_eq(pthread_mutex_init(&t.lock, NULL), 0);
	ck_assert_int_eq(pthread_cond_init(&t.turn, NULL), 0);
	t.r = r;
	t.log = got;
	for (unsigned i = 0; i < NTHREADS; i++) {
		args[i] = (struct turn_arg){ .t = &t, .id = i };
		ck_assert_int_eq(pthread_create(&th[i], NULL, turn_thread, &args[i]), 0);
	}
	for (unsigned i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	/* joined: the last step happens-before this read */
	log_machine_end(got, r->m);
	for (unsigned i = 0; i < NTHREADS; i++)
		ck_assert_uint_eq(t.ran[i], STEPS / NTHREADS);
	expect_same(got, want, "machine in turns");
	pthread_cond_destroy(&t.turn);
	pthread_mutex_destroy(&t.lock);
	rig_close(r);
	free(r);
	free(got);
	free(want);
}
END_TEST

/* ================================================================== */
/* (iii) read-only calls from several threads at once                  */
/* ================================================================== */
struct readers {
	const s390ap_machine *m;
	const s390ap_sys *sys;
	const s390ap_storage *sys_st;
	const s390ap_cpu *cpu;
	const s390ap_mem *mem;
};

/* Every read-only call of docs/threads.md on one machine and one system,
 * plus the functions that are safe anywhere. */
static void read_all(const struct readers *rd, struct log *l)
{
	const s390ap_machine *m = rd->m;
	uint8_t apm[32], aqm[32], adm[32], qci[128], buf[64];
	s390ap_queue_info qi;
	s390ap_adapter_info ai;
	s390ap_view v;
	s390ap_cpu_stats cs;
	s390ap_psw psw;
	unsigned id, ilen;
	char name[32];

	log_put(l, s390ap_machine_now(m));
	log_put(l, s390ap_machine_next_event(m));
	log_put(l, s390ap_machine_facilities(m));
	log_put(l, s390ap_machine_mem_limit(m));
	log_put(l, s390ap_machine_mem_used(m));
	log_put(l, s390ap_machine_max_apid(m));
	log_put(l, s390ap_machine_max_apqi(m));
	log_call(l, s390ap_machine_masks(m, apm, aqm, adm));
	log_bytes(l, apm, sizeof(apm));
	log_bytes(l, aqm, sizeof(aqm));
	log_bytes(l, adm, sizeof(adm));
	log_call(l, s390ap_machine_qci(m, qci));
	log_bytes(l, qci, sizeof(qci));
	log_call(l, s390ap_queue_info_get(m, ACC_Q, &qi));
	log_put(l, (uint64_t)qi.requests << 32 | qi.replies);
	log_call(l, s390ap_adapter_info_get(m, 3, &ai));
	log_put(l, ai.requests);
	log_put(l, s390ap_machine_irq_pending(m));
	log_put(l, s390ap_machine_irq_count(m, 3));
	log_put(l, s390ap_machine_rc_count(m, 0));
	log_put(l, s390ap_machine_pgm_count(m, S390AP_PGM_SPECIFICATION));
	log_bytes(l, (const uint8_t *)s390ap_machine_errmsg(m), 8);
	s390ap_view_lpar(m, &v);
	log_put(l, v.facilities);

	log_put(l, s390ap_sys_cycles(rd->sys));
	log_put(l, s390ap_sys_ncpus(rd->sys));
	log_call(l, s390ap_sys_stats(rd->sys, &cs));
	log_put(l, cs.instructions);
	log_put(l, s390ap_sys_pgm_count(rd->sys, S390AP_PGM_OPERATION));
	log_put(l, s390ap_sys_insn_executed(rd->sys, 0));
	log_bytes(l, (const uint8_t *)s390ap_sys_errmsg(rd->sys), 8);
	log_call(l, s390ap_storage_read(rd->sys_st, CODE, buf, sizeof(buf)));
	log_bytes(l, buf, sizeof(buf));
	log_put(l, s390ap_mem_size(rd->mem));
	log_bytes(l, s390ap_mem_data(rd->mem) + DATA + 0x400, REP_CAP);
	log_call(l, s390ap_cpu_psw(rd->cpu, &psw));
	log_put(l, psw.mask);
	log_put(l, psw.addr);
	log_call(l, s390ap_cpu_stats_get(rd->cpu, &cs));
	log_put(l, cs.cycles);
	log_put(l, s390ap_cpu_index(rd->cpu));
	log_put(l, s390ap_cpu_state_get(rd->cpu));
	log_put(l, s390ap_cpu_exit_value(rd->cpu));
	log_put(l, s390ap_cpu_cr(rd->cpu, 0));
	log_put(l, s390ap_cpu_prefix(rd->cpu));
	log_put(l, s390ap_cpu_cc(rd->cpu));

	log_put(l, s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA, S390AP_ENGINE_OP_RSA_ME,
					 256));
	log_put(l, s390ap_ml_bytes(3));
	log_bytes(l, (const uint8_t *)s390ap_type_name(S390AP_TYPE_CEX8), 4);
	log_bytes(l,
		  (const uint8_t *)s390ap_card_name(S390AP_TYPE_CEX7, S390AP_MODE_EP11, name,
						    sizeof(name)),
		  4);
	log_bytes(l, (const uint8_t *)s390ap_strerror(S390AP_EBUSY), 4);
	log_bytes(l, (const uint8_t *)s390ap_version(), 3);
	log_call(l, s390ap_decode(sys_prog.b, sys_prog.n, &id, &ilen));
	log_put(l, (uint64_t)id << 32 | ilen);
	log_call(l, s390ap_error_reply(buf, sizeof(buf), S390AP_TYPE_CEX8, 0x82));
	log_bytes(l, buf, 8);
}

struct reader_arg {
	const struct readers *rd;
	struct log log;
};

#define READ_ROUNDS 50

static void *reader_thread(void *arg)
{
	struct reader_arg *a = arg;

	for (unsigned i = 0; i < READ_ROUNDS; i++) {
		a->log.n = 0;
		read_all(a->rd, &a->log);
	}
	return NULL;
}

START_TEST(test_threads_readers)
{
	struct rig *r = malloc(sizeof(*r));
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM };
	s390ap_sys *sys = NULL;
	struct readers rd;
	struct reader_arg *args = calloc(NTHREADS, sizeof(*args));
	struct log *want = calloc(1, sizeof(*want));
	struct log scratch = { .n = 0 };
	s390ap_stop why;
	uint8_t req[REQ_LEN];
	pthread_t th[NTHREADS];

	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(args);
	ck_assert_ptr_nonnull(want);
	/* a machine with requests in flight and replies waiting */
	ck_assert_int_eq(rig_open(r), 0);
	for (unsigned k = 0; k < 6; k++)
		machine_step(r, k, &scratch);
	ck_assert_int_eq(scratch.err, 0);
	/* a system that ran a program */
	build_sys_prog();
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), 0);
	ck_assert_int_eq(s390ap_sys_load(sys, CODE, sys_prog.b, sys_prog.n), 0);
	ck_assert_int_eq(s390ap_sys_start(sys, CODE), 0);
	s390ap_cpu_gr(s390ap_sys_cpu(sys, 0))[9] = ACC_Q;
	s390ap_cpu_gr(s390ap_sys_cpu(sys, 0))[10] = DATA;
	s390ap_cpu_gr(s390ap_sys_cpu(sys, 0))[13] = 1;
	make_request(req, 0);
	ck_assert_int_eq(s390ap_sys_load(sys, DATA, req, sizeof(req)), 0);
	ck_assert_int_eq(s390ap_sys_run(sys, 100000, 0, &why), 0);
	ck_assert_uint_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_uint_eq(s390ap_cpu_exit_value(s390ap_sys_cpu(sys, 0)), 0);
	/* the accelerator computed: a type 80 reply */
	ck_assert_uint_eq(s390ap_mem_data(s390ap_sys_mem(sys))[DATA + 0x400 + S390AP_MSG_TYPE_OFF],
			  0x80);

	rd = (struct readers){ .m = r->m,
			       .sys = sys,
			       .sys_st = s390ap_sys_storage(sys),
			       .cpu = s390ap_sys_cpu(sys, 0),
			       .mem = s390ap_sys_mem(sys) };
	read_all(&rd, want);
	ck_assert_int_eq(want->err, 0);
	for (unsigned i = 0; i < NTHREADS; i++) {
		args[i].rd = &rd;
		ck_assert_int_eq(pthread_create(&th[i], NULL, reader_thread, &args[i]), 0);
	}
	for (unsigned i = 0; i < NTHREADS; i++)
		ck_assert_int_eq(pthread_join(th[i], NULL), 0);
	for (unsigned i = 0; i < NTHREADS; i++)
		expect_same(&args[i].log, want, "readers");
	s390ap_sys_free(sys);
	rig_close(r);
	free(r);
	free(args);
	free(want);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("threads");

	tcase_add_test(tc, test_threads_machine_each);
	tcase_add_test(tc, test_threads_sys_each);
	tcase_add_test(tc, test_threads_machine_turns);
	tcase_add_test(tc, test_threads_readers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(threads_suite());
}
