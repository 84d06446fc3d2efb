/* SPDX-License-Identifier: MIT */
/* cpu suite: the run loop: scheduler, limits, cost accounting and the
 * trace hook. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Scheduler: round robin, determinism, limits                         */
/* ------------------------------------------------------------------ */

/* Each CPU counts to (index + 1) * 128 and exits with the count. */
static void mp_program(void)
{
	uint64_t loop;

	prog_begin();
	STAP(0x300, 0);
	LLGH(3, 0x300, 0, 0);
	AGHI(3, 1);
	SLLG(4, 3, 7, 0);
	LGHI(5, 0);
	loop = here();
	AGHI(5, 1);
	BRCTG(4, loop);
	SLLG(6, 3, 3, 0);
	LLILF(7, DATA);
	STG(5, 0, 6, 7);
	LGR(2, 5);
	EXIT();
}

#define MP_CPUS 4u

struct mp_result {
	uint64_t cycles;
	uint64_t exit[MP_CPUS];
	s390ap_cpu_stats st[MP_CPUS];
	uint64_t hash;
	unsigned calls;
};

/* chop: 0 = one run; 1 = max_insns 7 per call; 2 = max_cycle +37 per call */
static void mp_run(unsigned chop, struct mp_result *r, struct trace_log *log)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM,
			      .ncpus = MP_CPUS, .quantum = 50 };
	struct env e;
	s390ap_stop why;

	memset(r, 0, sizeof(*r));
	if (log) {
		o.trace = trace_rec;
		o.trace_ctx = log;
	}
	mp_program();
	env_setup(&e, &o);
	ck_assert_uint_eq(s390ap_sys_ncpus(e.sys), MP_CPUS);
	for (unsigned i = 1; i < MP_CPUS; i++)
		ck_assert_int_eq(s390ap_cpu_set_prefix(s390ap_sys_cpu(e.sys, i),
						       0x40000 + i * 0x2000),
				 0);
	do {
		uint64_t insns = chop == 1 ? 7 : 0;
		uint64_t cyc = chop == 2 ? s390ap_sys_cycles(e.sys) + 37 : 0;

		ck_assert_int_eq(s390ap_sys_run(e.sys, insns, cyc, &why), 0);
		r->calls++;
	} while (why != S390AP_STOP_ALL_DONE);
	r->cycles = s390ap_sys_cycles(e.sys);
	for (unsigned i = 0; i < MP_CPUS; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);

		ck_assert_int_eq(s390ap_cpu_state_get(c), S390AP_CPU_HALTED);
		r->exit[i] = s390ap_cpu_exit_value(c);
		ck_assert_int_eq(s390ap_cpu_stats_get(c, &r->st[i]), 0);
		ck_assert_uint_eq(be_get(e.mem + DATA + 8 * (i + 1), 8), (i + 1) * 128);
	}
	ck_assert_ptr_null(s390ap_sys_cpu(e.sys, MP_CPUS));
	if (log)
		r->hash = log->hash;
	env_close(&e);
}

START_TEST(test_multi_cpu_round_robin)
{
	struct trace_log log = { 0 };
	struct mp_result r;
	size_t i = 0;
	unsigned turn = 0;

	mp_run(0, &r, &log);
	for (unsigned c = 0; c < MP_CPUS; c++)
		ck_assert_uint_eq(r.exit[c], (c + 1) * 128);
	/* one clock: the trace's cycles never go back */
	for (size_t k = 1; k < log.n; k++)
		ck_assert_uint_ge(log.cycle[k], log.cycle[k - 1]);
	/* the first eight turns go 0 1 2 3 0 1 2 3, each about a quantum long */
	while (turn < 8 && i < log.n) {
		size_t start = i;

		ck_assert_uint_eq(log.cpu[i], turn % MP_CPUS);
		while (i < log.n && log.cpu[i] == log.cpu[start])
			i++;
		ck_assert_uint_ge(log.cycle[i] - log.cycle[start], 50);
		ck_assert_uint_le(log.cycle[i] - log.cycle[start], 50 + 20);
		turn++;
	}
	ck_assert_uint_eq(turn, 8);
	trace_free(&log);
}
END_TEST

START_TEST(test_multi_cpu_determinism)
{
	struct trace_log l0 = { 0 }, l1 = { 0 }, l2 = { 0 }, l3 = { 0 };
	struct mp_result a, b, c, d;

	mp_run(0, &a, &l0);
	mp_run(0, &b, &l1);
	mp_run(1, &c, &l2);
	mp_run(2, &d, &l3);
	ck_assert_uint_gt(c.calls, 10);
	ck_assert_uint_gt(d.calls, 10);
	ck_assert_mem_eq(&a, &b, offsetof(struct mp_result, calls));
	ck_assert_mem_eq(&a, &c, offsetof(struct mp_result, calls));
	ck_assert_mem_eq(&a, &d, offsetof(struct mp_result, calls));
	/* Without a trace hook the hot loop runs AGHI and BRCTG inline; with
	 * one every instruction goes through its handler.  Same results. */
	for (unsigned chop = 0; chop < 3; chop++) {
		struct mp_result u;

		mp_run(chop, &u, NULL);
		ck_assert_mem_eq(&a, &u, offsetof(struct mp_result, hash));
	}
	trace_free(&l0);
	trace_free(&l1);
	trace_free(&l2);
	trace_free(&l3);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Scheduler: many vCPUs in mixed states                               */
/* ------------------------------------------------------------------ */
#define MIX_CPUS 64u
#define ISC3_CR6 (0x80000000u >> 3)
#define ISC5_CR6 (0x80000000u >> 5)

struct mix_result {
	uint64_t cycles;
	s390ap_cpu_state state[MIX_CPUS];
	uint64_t exit[MIX_CPUS];
	s390ap_cpu_stats st[MIX_CPUS];
	uint64_t gr3;
	uint64_t irq3;
	unsigned calls;
};

/* vCPU 0 enables ISC 3 interruptions for 03.0006, sends a request and
 * counts to 3000 with I/O disabled, then halts.  vCPUs 1-20 halt at once,
 * 21-40 are in a disabled wait, 41-63 in an enabled wait: 45 and 59
 * enable ISC 3, 50 enables ISC 5, the others none.  The reply's
 * interruption goes to the first waiter in index order that takes ISC 3;
 * its handler exits with 0x77. */
static void mix_run(unsigned chop, struct mix_result *r)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM,
			      .ncpus = MIX_CPUS, .quantum = 200 };
	uint64_t loop, halt_at, handler;
	struct env e;
	s390ap_stop why;

	memset(r, 0, sizeof(*r));
	prog_begin();
	emit_aqic_nqap();
	LGHI(3, 0);
	LLILF(8, 3000);
	loop = here();
	AGHI(3, 1);
	BRCT(8, loop);
	HALT();
	halt_at = here();
	HALT();
	handler = here();
	LGHI(2, 0x77);
	EXIT();
	env_setup(&e, &o);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	for (unsigned i = 1; i < MIX_CPUS; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_psw psw = { PSW64, halt_at };

		if (i > 20 && i <= 40)
			psw = (s390ap_psw){ PSW64 | S390AP_PSW_WAIT, 0x2100 + 2 * i };
		else if (i > 40)
			psw = (s390ap_psw){ PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0x3000 };
		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
		if (i == 45 || i == 59)
			ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, ISC3_CR6), 0);
		if (i == 50)
			ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, ISC5_CR6), 0);
	}
	do {
		uint64_t insns = chop == 1 ? 7 : 0;
		uint64_t cyc = chop == 2 ? s390ap_sys_cycles(e.sys) + 37 : 0;

		ck_assert_int_eq(s390ap_sys_run(e.sys, insns, cyc, &why), 0);
		r->calls++;
	} while (why == S390AP_STOP_INSNS || why == S390AP_STOP_CYCLE);
	ck_assert_int_eq(why, S390AP_STOP_IDLE);
	r->cycles = s390ap_sys_cycles(e.sys);
	for (unsigned i = 0; i < MIX_CPUS; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);

		r->state[i] = s390ap_cpu_state_get(c);
		r->exit[i] = s390ap_cpu_exit_value(c);
		ck_assert_int_eq(s390ap_cpu_stats_get(c, &r->st[i]), 0);
	}
	r->gr3 = e.gr[3];
	r->irq3 = s390ap_machine_irq_count(s390ap_sys_machine(e.sys), 3);
	env_close(&e);
}

START_TEST(test_sched_mixed_states)
{
	struct mix_result a, b, c;

	mix_run(0, &a);
	ck_assert_int_eq(a.state[0], S390AP_CPU_HALTED);
	ck_assert_uint_eq(a.gr3, 3000);
	for (unsigned i = 1; i <= 20; i++) {
		ck_assert_int_eq(a.state[i], S390AP_CPU_HALTED);
		ck_assert_uint_eq(a.exit[i], 0);
		ck_assert_uint_eq(a.st[i].instructions, 1);
	}
	for (unsigned i = 21; i <= 40; i++) {
		ck_assert_int_eq(a.state[i], S390AP_CPU_STOPPED);
		ck_assert_uint_eq(a.exit[i], 0x2100 + 2 * i);
		ck_assert_uint_eq(a.st[i].instructions, 0);
		ck_assert_uint_eq(a.st[i].cycles, 0);
	}
	for (unsigned i = 41; i < MIX_CPUS; i++) {
		if (i == 45) {
			/* the first waiter in index order that takes ISC 3 */
			ck_assert_int_eq(a.state[i], S390AP_CPU_HALTED);
			ck_assert_uint_eq(a.exit[i], 0x77);
			ck_assert_uint_eq(a.st[i].io_interruptions, 1);
			ck_assert_uint_eq(a.st[i].instructions, 2);
			continue;
		}
		ck_assert_int_eq(a.state[i], S390AP_CPU_WAIT);
		ck_assert_uint_eq(a.st[i].io_interruptions, 0);
		ck_assert_uint_eq(a.st[i].instructions, 0);
		ck_assert_uint_eq(a.st[i].cycles, 0);
	}
	ck_assert_uint_eq(a.st[0].io_interruptions, 0);
	ck_assert_uint_eq(a.irq3, 1);
	/* the reply arrived while vCPU 0 was counting */
	ck_assert_uint_gt(a.cycles, 3 * 3000);
	/* the same run cut every 7 instructions and every 37 cycles */
	mix_run(1, &b);
	mix_run(2, &c);
	ck_assert_uint_gt(b.calls, 100);
	ck_assert_uint_gt(c.calls, 100);
	ck_assert_mem_eq(&a, &b, offsetof(struct mix_result, calls));
	ck_assert_mem_eq(&a, &c, offsetof(struct mix_result, calls));
}
END_TEST

/* Waiters that cannot take a pending interruption sit still until an API
 * call changes that; stopped vCPUs until their PSW is set. */
START_TEST(test_sched_woken_by_api)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM, .ncpus = 4 };
	uint64_t handler, other;
	s390ap_cpu_stats st;
	s390ap_cpu *c1, *c2, *c3;
	s390ap_machine *m;
	struct env e;

	prog_begin();
	emit_aqic_nqap();
	HALT();
	handler = here();
	LGHI(2, 0x77);
	EXIT();
	other = here();
	LGHI(2, 0x55);
	EXIT();
	env_setup(&e, &o);
	m = s390ap_sys_machine(e.sys);
	c1 = s390ap_sys_cpu(e.sys, 1);
	c2 = s390ap_sys_cpu(e.sys, 2);
	c3 = s390ap_sys_cpu(e.sys, 3);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	ck_assert_int_eq(s390ap_cpu_set_psw(c1,
					    &(s390ap_psw){ PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO,
							   0x3000 }),
			 0);
	ck_assert_int_eq(s390ap_cpu_set_psw(c2, &(s390ap_psw){ PSW64 | S390AP_PSW_WAIT, 0x4000 }),
			 0);
	ck_assert_int_eq(s390ap_cpu_set_psw(c3, &(s390ap_psw){ PSW64 | S390AP_PSW_WAIT, 0x5000 }),
			 0);

	/* vCPU 0 halts; the reply makes ISC 3 pending; nobody takes it */
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_int_eq(s390ap_cpu_state_get(c1), S390AP_CPU_WAIT);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x10);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);

	/* CR6 now enables ISC 3: vCPU 1 takes it before anything runs */
	ck_assert_int_eq(s390ap_cpu_set_cr(c1, 6, ISC3_CR6), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(c1), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(c1), 0x77);
	ck_assert_int_eq(s390ap_cpu_stats_get(c1, &st), 0);
	ck_assert_uint_eq(st.io_interruptions, 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(c2), S390AP_CPU_STOPPED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(c2), 0x4000);

	/* a PSW set through the API starts a stopped vCPU */
	ck_assert_int_eq(s390ap_cpu_set_psw(c2, &(s390ap_psw){ PSW64, other }), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(c2), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(c2), 0x55);
	ck_assert_int_eq(s390ap_cpu_state_get(c3), S390AP_CPU_STOPPED);

	/* and s390ap_sys_start every vCPU */
	ck_assert_int_eq(s390ap_sys_start(e.sys, other), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(e.sys, i)), S390AP_CPU_HALTED);
		ck_assert_uint_eq(s390ap_cpu_exit_value(s390ap_sys_cpu(e.sys, i)), 0x55);
	}
	env_close(&e);
}
END_TEST

/* Two waiters take two interruptions in index order, each at its turn
 * among running vCPUs. */
START_TEST(test_sched_waiters_in_index_order)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM, .ncpus = 6,
			      .quantum = 100 };
	uint64_t handler, loop, spin;
	struct env e;

	prog_begin();
	LLILF(0, 0x03000306); /* AQIC, ISC 3 */
	LLIHF(1, 0x00008000);
	OILL(1, 3);
	LLILF(2, NIB);
	PQAP();
	LLILF(0, 0x40000306); /* NQAP, then a second request */
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	NQAP(4, 6);
	LLILF(8, 2000); /* the first reply arrives meanwhile */
	loop = here();
	BRCT(8, loop);
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	AGHI(5, 1);
	NQAP(4, 6);
	LLILF(8, 4000);
	loop = here();
	BRCT(8, loop);
	HALT();
	handler = here();
	LLILF(9, NIB);
	MVI(0, 9, 0); /* re-arm the NIB for the next reply */
	LGHI(2, 0x77);
	EXIT();
	spin = here();
	LLILF(8, 4000);
	loop = here();
	BRCT(8, loop);
	HALT();
	env_setup(&e, &o);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	for (unsigned i = 1; i < 6; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_psw psw = { PSW64, spin };

		if (i == 2 || i == 4)
			psw = (s390ap_psw){ PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0x3000 };
		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
		ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, ISC3_CR6), 0);
	}
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	for (unsigned i = 0; i < 6; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_cpu_stats st;

		ck_assert_int_eq(s390ap_cpu_state_get(c), S390AP_CPU_HALTED);
		ck_assert_int_eq(s390ap_cpu_stats_get(c, &st), 0);
		ck_assert_uint_eq(st.io_interruptions, i == 2 || i == 4);
		ck_assert_uint_eq(s390ap_cpu_exit_value(c), i == 2 || i == 4 ? 0x77 : 0);
	}
	ck_assert_uint_eq(s390ap_machine_irq_count(s390ap_sys_machine(e.sys), 3), 2);
	env_close(&e);
}
END_TEST

/* One running vCPU among many that wait or are stopped runs exactly as it
 * would alone (its slices go on past the quantum), and the same with a
 * trace hook (which makes every quantum and event end a slice). */
struct solo_result {
	uint64_t cycles;
	s390ap_cpu_stats st;
	uint64_t gr[16];
	uint8_t reply[64];
};

static void solo_run(unsigned ncpus, bool traced, struct solo_result *r)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM, .ncpus = ncpus,
			      .quantum = 50 };
	struct trace_log log = { 0 };
	uint64_t poll, loop;
	struct env e;

	memset(r, 0, sizeof(*r));
	if (traced) {
		o.trace = trace_rec;
		o.trace_ctx = &log;
	}
	prog_begin();
	LLILF(9, 20);
	loop = here();
	emit_aqic_on(NIB); /* AQIC on, AQIC off */
	LGHI(1, 0);
	PQAP();
	emit_nqap(); /* NQAP, then DQAP until the reply is there */
	poll = here();
	emit_dqap();
	BRC(7, poll);
	AGHI(10, 1);
	BRCT(9, loop);
	HALT();
	env_setup(&e, &o);
	put_request(&e);
	for (unsigned i = 1; i < ncpus; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_psw psw = { PSW64 | S390AP_PSW_WAIT | (i & 1 ? S390AP_PSW_IO : 0), 0x3000 };

		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
	}
	ck_assert_int_eq(s390ap_sys_run(e.sys, 1000000, 0, &e.why), 0);
	/* the waiters are still there at the end */
	ck_assert_int_eq(e.why, ncpus > 1 ? S390AP_STOP_IDLE : S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	r->cycles = s390ap_sys_cycles(e.sys);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &r->st), 0);
	memcpy(r->gr, e.gr, sizeof(r->gr));
	memcpy(r->reply, e.mem + REPLY, sizeof(r->reply));
	ck_assert_uint_eq(e.gr[10], 20);
	env_close(&e);
	trace_free(&log);
}

START_TEST(test_sched_solo_past_quantum)
{
	struct solo_result a, b, c, d;

	solo_run(1, false, &a);
	solo_run(64, false, &b);
	solo_run(1, true, &c);
	solo_run(64, true, &d);
	ck_assert_uint_gt(a.cycles, 20 * 2000);
	ck_assert_uint_gt(a.st.ap_path[S390AP_PATH_INTERPRETED], 20 * 4);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	ck_assert_mem_eq(&a, &c, sizeof(a));
	ck_assert_mem_eq(&a, &d, sizeof(a));
}
END_TEST

START_TEST(test_run_limits)
{
	struct env e;
	uint64_t loop;
	s390ap_cpu_stats st;

	prog_begin();
	loop = here();
	AGHI(1, 1);
	BRC(15, loop);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 100, 0, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_INSNS);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.instructions, 100);
	ck_assert_uint_eq(e.gr[1], 50);
	ck_assert_uint_eq(s390ap_sys_cycles(e.sys), 50 * 3);

	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 5000, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_CYCLE);
	ck_assert_uint_ge(s390ap_sys_cycles(e.sys), 5000);
	ck_assert_uint_lt(s390ap_sys_cycles(e.sys), 5003);
	/* already there: returns at once */
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 10, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_CYCLE);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 5, 0, NULL), 0); /* why may be NULL */
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Cost accounting                                                     */
/* ------------------------------------------------------------------ */
START_TEST(test_cost_default)
{
	s390ap_cost_model k = s390ap_cost_default();

	ck_assert_uint_eq(k.simple, 1);
	ck_assert_uint_eq(k.branch, 1);
	ck_assert_uint_eq(k.load_store, 2);
	ck_assert_uint_eq(k.multiple, 4);
	ck_assert_uint_eq(k.per_256_bytes, 4);
	ck_assert_uint_eq(k.control, 20);
	ck_assert_uint_eq(k.diag, 100);
	ck_assert_uint_eq(k.interruption, 100);
	ck_assert_uint_eq(k.ap_interpreted, 300);
	ck_assert_uint_eq(k.ap_intercept, 3000);
	ck_assert_uint_eq(k.sie_entry, 1000);
	ck_assert_uint_eq(k.sie_exit, 800);
	ck_assert_uint_eq(k.vsie_entry, 5000);
	ck_assert_uint_eq(k.vsie_exit, 4000);
}
END_TEST

/* Every field is range-checked: a cost over S390AP_COST_MAX is refused,
 * so multiple + per_256_bytes cannot wrap to a 0-cycle MVC. */
START_TEST(test_cost_range)
{
	s390ap_cost_model k = s390ap_cost_default();
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM, .cost = &k };
	uint32_t *field[] = {
		&k.simple,    &k.branch,   &k.load_store,   &k.multiple,       &k.per_256_bytes,
		&k.control,   &k.diag,     &k.interruption, &k.ap_interpreted, &k.ap_intercept,
		&k.sie_entry, &k.sie_exit, &k.vsie_entry,   &k.vsie_exit,
	};
	s390ap_sys *sys = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(field); i++) {
		k = s390ap_cost_default();
		*field[i] = S390AP_COST_MAX + 1;
		ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_EINVAL);
		ck_assert_ptr_null(sys);
		*field[i] = S390AP_COST_MAX;
		ck_assert_int_eq(s390ap_sys_new(&sys, &o), 0);
		s390ap_sys_free(sys);
		sys = NULL;
	}
	/* the wrap of the finding: 0xFFFFFFFF + 1 */
	k = s390ap_cost_default();
	k.multiple = UINT32_MAX;
	k.per_256_bytes = 1;
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_EINVAL);
}
END_TEST

/* Each class gets its own decimal digit, so the total spells out how often
 * each was charged. */
START_TEST(test_cost_accounting)
{
	s390ap_cost_model k = {
		S390AP_SIZED(s390ap_cost_model),
		.simple = 1,
		.branch = 10,
		.load_store = 100,
		.multiple = 1000,
		.per_256_bytes = 10000,
		.control = 100000,
		.diag = 1000000,
		.interruption = 10000000,
		.ap_interpreted = 100000000,
		.ap_intercept = 7,
		.sie_entry = 7,
		.sie_exit = 7,
		.vsie_entry = 7,
		.vsie_exit = 7,
	};
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM, .cost = &k,
			      .quantum = 100 };
	struct env e;
	s390ap_cpu_stats st, sys_st;

	prog_begin();
	LGHI(1, 0);          /* simple */
	LLILF(9, DATA);      /* simple */
	LG(2, 0, 0, 9);      /* load_store */
	MVC(8, 16, 9, 0, 9); /* multiple + per_256_bytes */
	BRC(15, here() + 4); /* simple + branch */
	BRC(0, 0);           /* simple, not taken */
	IPM(3);              /* control */
	emit(2, 0x0000);     /* interruption; the handler's LPSWE: control */
	LLILF(0, 0x0306);    /* simple */
	PQAP();              /* ap_interpreted */
	EXIT();              /* diag */
	env_setup(&e, &o);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_uint_eq(s390ap_sys_cycles(e.sys), 111211115ull);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.cycles, 111211115ull);
	ck_assert_uint_eq(st.instructions, 11);
	ck_assert_uint_eq(st.pgm_interruptions, 1);
	ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERPRETED], 1);
	ck_assert_int_eq(s390ap_sys_stats(e.sys, &sys_st), 0);
	ck_assert_mem_eq(&st, &sys_st, sizeof(st));
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_LLILF), 2);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_BRC), 2);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_LPSWE), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_DIAG), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_XC), 0);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, 9999), 0);
	env_close(&e);
}
END_TEST

START_TEST(test_trace_hook)
{
	struct trace_log log = { 0 };
	struct env e;

	prog_begin();
	LGHI(1, -2);
	LR(2, 1);
	EXIT();
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_set_trace(e.sys, trace_rec, &log), 0);
	run_done(&e);
	ck_assert_uint_eq(log.n, 3);
	ck_assert_uint_eq(log.first_addr, CODE);
	ck_assert_uint_eq(log.first_len, 4);
	ck_assert_mem_eq(log.first_bytes, refs[0].b, 4);
	ck_assert_uint_eq(log.cycle[0], 0);
	ck_assert_uint_eq(log.cycle[1], 1);
	ck_assert_uint_eq(log.cycle[2], 2);
	ck_assert_int_eq(s390ap_sys_set_trace(e.sys, NULL, NULL), 0);
	env_close(&e);
	trace_free(&log);
}
END_TEST

/* A trace hook that clears itself and frees its context mid-slice is
 * never called again (the old loop kept calling it to the slice's end). */
struct self_clearing {
	s390ap_sys *sys;
	unsigned left;
	unsigned *calls;
};

static void trace_once_then_off(void *ctx, const s390ap_cpu *cpu, uint64_t cycle,
				const s390ap_psw *psw, const uint8_t *insn, unsigned ilen)
{
	struct self_clearing *sc = ctx;

	(void)cpu, (void)cycle, (void)psw, (void)insn, (void)ilen;
	++*sc->calls;
	if (--sc->left == 0) {
		ck_assert_int_eq(s390ap_sys_set_trace(sc->sys, NULL, NULL), 0);
		free(sc);
	}
}

START_TEST(test_trace_clears_itself)
{
	struct self_clearing *sc = malloc(sizeof(*sc));
	unsigned calls = 0;
	uint64_t loop;
	struct env e;

	ck_assert_ptr_nonnull(sc);
	prog_begin();
	LGHI(6, 200);
	loop = here();
	BRCTG(6, loop);
	EXIT();
	env_setup(&e, NULL);
	*sc = (struct self_clearing){ e.sys, 3, &calls };
	ck_assert_int_eq(s390ap_sys_set_trace(e.sys, trace_once_then_off, sc), 0);
	run_done(&e);
	ck_assert_uint_eq(calls, 3);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_BRCTG), 200);
	env_close(&e);
}
END_TEST

void tcase_cpu_run(Suite *s)
{
	TCase *tc = tcase_create("run");

	tcase_add_test(tc, test_trace_hook);
	tcase_add_test(tc, test_trace_clears_itself);
	tcase_add_test(tc, test_multi_cpu_round_robin);
	tcase_add_test(tc, test_multi_cpu_determinism);
	tcase_add_test(tc, test_sched_mixed_states);
	tcase_add_test(tc, test_sched_woken_by_api);
	tcase_add_test(tc, test_sched_waiters_in_index_order);
	tcase_add_test(tc, test_sched_solo_past_quantum);
	tcase_add_test(tc, test_run_limits);
	tcase_add_test(tc, test_cost_default);
	tcase_add_test(tc, test_cost_accounting);
	tcase_add_test(tc, test_cost_range);
	suite_add_tcase(s, tc);
}
