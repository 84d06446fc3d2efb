/* SPDX-License-Identifier: MIT */
/* cpu suite: program interruptions, wait states and the SIE hook. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Program interruptions                                               */
/* ------------------------------------------------------------------ */

static void p_lpswe(void)
{
	LPSWE(0x200, 0);
}
static void p_lctlg(void)
{
	LCTLG(0, 0, 0x200, 0);
}
static void p_stctg(void)
{
	STCTG(0, 0, 0x200, 0);
}
static void p_ssm(void)
{
	SSM(0x200, 0);
}
static void p_stosm(void)
{
	STOSM(0x200, 0, 0);
}
static void p_stnsm(void)
{
	STNSM(0x200, 0, 0xFF);
}
static void p_spx(void)
{
	SPX(0x200, 0);
}
static void p_stpx(void)
{
	STPX(0x200, 0);
}
static void p_stap(void)
{
	STAP(0x200, 0);
}
static void p_stfl(void)
{
	STFL(0x200, 0);
}
static void p_diag(void)
{
	EXIT();
}
static void p_pqap(void)
{
	PQAP();
}
static void p_nqap(void)
{
	NQAP(4, 6);
}
static void p_dqap(void)
{
	DQAP(4, 6);
}
static void p_sie(void)
{
	SIE(0x200, 0);
}

static const struct {
	const char *name;
	void (*emit)(void);
	unsigned ilen;
} privileged[] = {
	{ "LPSWE", p_lpswe, 4 }, { "LCTLG", p_lctlg, 6 }, { "STCTG", p_stctg, 6 },
	{ "SSM", p_ssm, 4 },     { "STOSM", p_stosm, 4 }, { "STNSM", p_stnsm, 4 },
	{ "SPX", p_spx, 4 },     { "STPX", p_stpx, 4 },   { "STAP", p_stap, 4 },
	{ "STFL", p_stfl, 4 },   { "DIAG", p_diag, 4 },   { "PQAP", p_pqap, 4 },
	{ "NQAP", p_nqap, 4 },   { "DQAP", p_dqap, 4 },   { "SIE", p_sie, 4 },
};

/* Every privileged instruction in problem state: privileged operation,
 * suppressed, old PSW after it with the problem-state bit. */
START_TEST(test_privileged_in_problem_state)
{
	for (size_t i = 0; i < ARRAY_SIZE(privileged); i++) {
		struct env e;
		s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM,
				      .sie = sie_refuse };
		s390ap_psw psw = { PSW64 | S390AP_PSW_PROB, CODE };
		s390ap_cpu_stats st;

		prog_begin();
		privileged[i].emit();
		EXIT();
		env_setup(&e, &o);
		pgm_to_halt(&e);
		ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
		run_done(&e);
		ck_assert_msg(lc_code(&e) == 2, "%s: code %u", privileged[i].name, lc_code(&e));
		ck_assert_uint_eq(lc_ilc(&e), privileged[i].ilen);
		ck_assert_uint_eq(lc_old_addr(&e), CODE + privileged[i].ilen);
		ck_assert_uint_eq(lc_old_mask(&e), PSW64 | S390AP_PSW_PROB);
		ck_assert_uint_eq(s390ap_cpu_prefix(e.cpu), 0);
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		ck_assert_uint_eq(st.pgm_interruptions, 1);
		ck_assert_uint_eq(st.last_pgm_code, 2);
		env_close(&e);
	}
}
END_TEST

/* Unknown opcodes: operation exception with the ILC from the opcode; the
 * handler resumes after each. */
START_TEST(test_operation_exception)
{
	struct env e;
	s390ap_cpu_stats st;

	prog_begin();
	emit(2, 0x0000);
	emit(4, 0xB2000000);
	emit(6, 0xE31230080002ull);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, 3);
	ck_assert_uint_eq(st.last_pgm_code, 1);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_OPERATION);
	ck_assert_uint_eq(lc_ilc(&e), 6);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 2 + 4 + 6);
	ck_assert_uint_eq(s390ap_machine_pgm_count(s390ap_sys_machine(e.sys), S390AP_PGM_OPERATION),
			  0);
	env_close(&e);
}
END_TEST

/* The architected lowcore image of a program interruption. */
START_TEST(test_program_lowcore)
{
	struct env e;
	uint8_t want[4] = { 0x00, 0x06, 0x00, 0x01 };

	prog_begin();
	LLILF(1, 0x20000000); /* cc 2 */
	SPM(1);
	emit(6, 0xE31230080002ull);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	poke_fill(&e, 0x8C, 0xEE, 4);
	run_done(&e);
	ck_assert_mem_eq(e.mem + 0x8C, want, 4);
	ck_assert_uint_eq(lc_old_mask(&e), PSW64 | 2ull << S390AP_PSW_CC_SHIFT);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 2 + 6);
	env_close(&e);
}
END_TEST

START_TEST(test_addressing_exception)
{
	struct env e;
	s390ap_cpu_stats st;
	uint8_t zero[16] = { 0 };

	prog_begin();
	LLILF(9, SMALL_MEM - 8);
	LGHI(1, 7);
	LG(1, 8, 0, 9);      /* outside: suppressed, r1 unchanged */
	STMG(2, 3, 0, 9);    /* half inside: nothing stored */
	MVC(0, 16, 9, 0, 0); /* destination crosses the end */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	e.gr[2] = e.gr[3] = UINT64_MAX;
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(e.gr[1], 7);
	ck_assert_mem_eq(e.mem + SMALL_MEM - 8, zero, 8);
	ck_assert_uint_eq(st.pgm_interruptions, 3);
	ck_assert_uint_eq(st.last_pgm_code, 5);
	ck_assert_uint_eq(lc_ilc(&e), 6);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 4 + 6 + 6 + 6);
	env_close(&e);

	/* instruction fetch outside storage: ILC 2, old PSW past the halfword */
	prog_begin();
	LLILF(8, SMALL_MEM + 0x100);
	BCR(15, 8);
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_ADDRESSING);
	ck_assert_uint_eq(lc_ilc(&e), 2);
	ck_assert_uint_eq(lc_old_addr(&e), SMALL_MEM + 0x102);
	env_close(&e);

	/* a handler that resumes into fetches outside storage makes progress
	 * (it completes an LPSWE each time): no checkstop, limits apply */
	prog_begin();
	LLILF(8, SMALL_MEM + 0x100);
	BCR(15, 8);
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 100, 0, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_INSNS);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_RUNNING);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, 98);
	env_close(&e);
}
END_TEST

/* Alignment: LPSWE, STFLE, LCTLG, STCTG need doublewords; SIE 512 bytes. */
START_TEST(test_specification_alignment)
{
	struct env e;
	s390ap_cpu_stats st;
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM,
			      .sie = sie_refuse };

	prog_begin();
	LLILF(9, DATA + 4);
	LPSWE(0, 9);
	STFLE(0, 9);
	LCTLG(0, 0, 0, 9);
	STCTG(0, 0, 0, 9);
	SIE(0x100, 9);
	EXIT();
	env_setup(&e, &o);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, 5);
	ck_assert_uint_eq(st.last_pgm_code, 6);
	ck_assert_uint_eq(s390ap_machine_pgm_count(s390ap_sys_machine(e.sys),
						   S390AP_PGM_SPECIFICATION),
			  0);
	env_close(&e);
}
END_TEST

/* A program new PSW that cannot work loops; the CPU checkstops. */
START_TEST(test_pgm_loop_checkstops)
{
	struct env e;
	s390ap_cpu_stats st;
	s390ap_stop why;

	/* all-zero new PSW: fetch at 0 finds 0x0000, operation, again ... */
	prog_begin();
	emit(2, 0x0000);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 0, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_CHECKSTOP);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, CPU_PGM_LOOP_LIMIT);
	env_close(&e);

	/* invalid new PSW: early specification exceptions forever */
	prog_begin();
	emit(2, 0x0000);
	env_setup(&e, NULL);
	poke_psw(&e, S390AP_LC_PGM_NEW_PSW, PSW64 | 0x8000000000000000ull, HANDLER);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 0, &why), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_CHECKSTOP);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 0);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Wait states                                                         */
/* ------------------------------------------------------------------ */
START_TEST(test_disabled_wait)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	LPSWE(0, 9);
	env_setup(&e, NULL);
	poke_psw(&e, DATA, PSW64 | S390AP_PSW_WAIT, 0xDEADBEEF12345678ull);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_STOPPED);
	ck_assert_uint_eq(exit_value(&e), 0x12345678);
	env_close(&e);
}
END_TEST

START_TEST(test_enabled_wait_idle)
{
	struct env e;
	uint64_t before;

	/* RAPQ starts a reset (an event), then an enabled wait with no ISC
	 * enabled: the clock skips to the event, then the system is idle. */
	prog_begin();
	LLILF(0, 0x01000306);
	PQAP();
	LLILF(9, DATA);
	LPSWE(0, 9);
	env_setup(&e, NULL);
	poke_psw(&e, DATA, PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0);
	before = s390ap_sys_cycles(e.sys);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_WAIT);
	ck_assert_uint_ge(s390ap_sys_cycles(e.sys) - before, S390AP_DEFAULT_RESET_CYCLES);
	ck_assert_uint_eq(s390ap_machine_next_event(s390ap_sys_machine(e.sys)), S390AP_NO_EVENT);
	/* again: nothing changes */
	before = s390ap_sys_cycles(e.sys);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);
	ck_assert_uint_eq(s390ap_sys_cycles(e.sys), before);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* SIE hook                                                            */
/* ------------------------------------------------------------------ */
struct sie_probe {
	unsigned calls;
	uint64_t scb;
	int ret;
	bool stop;
};

static int sie_hook(void *ctx, s390ap_cpu *cpu, uint64_t scb)
{
	struct sie_probe *p = ctx;
	s390ap_psw psw;

	p->calls++;
	p->scb = scb;
	s390ap_cpu_psw(cpu, &psw);
	s390ap_cpu_gr(cpu)[5] = psw.addr; /* SIE + 4 */
	if (p->stop) {
		psw.mask = PSW64 | S390AP_PSW_WAIT;
		psw.addr = 0x5150;
		s390ap_cpu_set_psw(cpu, &psw);
	}
	return p->ret;
}

START_TEST(test_sie_hook)
{
	for (unsigned k = 0; k < 4; k++) {
		struct sie_probe probe = { 0 };
		s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM,
				      .sie = sie_hook, .sie_ctx = &probe };
		struct env e;
		s390ap_cpu_stats st;
		int rc;

		if (k == 1)
			probe.ret = 0x0006;
		if (k == 2)
			probe.ret = S390AP_EBUSY;
		if (k == 3)
			probe.stop = true;
		prog_begin();
		LLILF(9, DATA);
		SIE(0x200, 9);
		EXIT();
		env_setup(&e, &o);
		pgm_to_halt(&e);
		e.gr[2] = 0x77;
		rc = s390ap_sys_run(e.sys, 1000, 0, &e.why);
		ck_assert_uint_eq(probe.calls, 1);
		ck_assert_uint_eq(probe.scb, DATA + 0x200);
		ck_assert_uint_eq(e.gr[5], CODE + 6 + 4);
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		switch (k) {
		case 0:
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(exit_value(&e), 0x77);
			ck_assert_uint_eq(st.pgm_interruptions, 0);
			ck_assert_uint_eq(st.cycles, 1 + 1000 + 800 + 100);
			break;
		case 1:
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
			ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 4);
			break;
		case 2:
			ck_assert_int_eq(rc, S390AP_EBUSY);
			ck_assert_str_ne(s390ap_sys_errmsg(e.sys), "");
			break;
		case 3:
			ck_assert_int_eq(rc, 0);
			ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_STOPPED);
			ck_assert_uint_eq(exit_value(&e), 0x5150);
			break;
		}
		env_close(&e);
	}
}
END_TEST

void tcase_cpu_interrupt(Suite *s)
{
	TCase *tc = tcase_create("interrupt");

	tcase_add_test(tc, test_privileged_in_problem_state);
	tcase_add_test(tc, test_operation_exception);
	tcase_add_test(tc, test_program_lowcore);
	tcase_add_test(tc, test_addressing_exception);
	tcase_add_test(tc, test_specification_alignment);
	tcase_add_test(tc, test_pgm_loop_checkstops);
	tcase_add_test(tc, test_disabled_wait);
	tcase_add_test(tc, test_enabled_wait_idle);
	tcase_add_test(tc, test_sie_hook);
	suite_add_tcase(s, tc);
}
