/* SPDX-License-Identifier: MIT */
/* cpu suite: AP instructions issued by the vCPU and adapter interruptions. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* AP instructions and adapter interruptions                           */
/* ------------------------------------------------------------------ */

/* What the machine's callbacks saw during a run. */
struct run_hooks {
	unsigned irq, isc, deadline;
	uint64_t last_deadline;
};

static void run_hook_irq(void *ctx, const s390ap_machine *m, unsigned isc)
{
	struct run_hooks *h = ctx;

	(void)m;
	h->irq++;
	h->isc = isc;
}

static void run_hook_deadline(void *ctx, const s390ap_machine *m, uint64_t next)
{
	struct run_hooks *h = ctx;

	(void)m;
	h->deadline++;
	h->last_deadline = next;
}

/* AQIC (ISC 3) + NQAP, then an enabled wait; the reply makes ISC 3
 * pending; the I/O interruption wakes the CPU; the handler dequeues.
 * The host's callbacks see the ISC become pending once and the deadline
 * go back to none. */
START_TEST(test_io_interruption)
{
	struct env e;
	s390ap_cpu_stats st;
	uint64_t handler, wait_addr = CODE + 0x1000;
	s390ap_machine *m;
	struct run_hooks rh = { 0 };
	s390ap_machine_hooks hooks = { S390AP_SIZED(s390ap_machine_hooks), .irq = run_hook_irq,
				       .deadline = run_hook_deadline, .ctx = &rh };

	prog_begin();
	LLILF(9, DATA);
	LCTLG(6, 6, 0, 9);
	LLILF(0, 0x03000306); /* AQIC on 03.0006 */
	LLIHF(1, 0x00008000); /* IR */
	OILL(1, 3);           /* ISC 3 */
	LLILF(2, NIB);
	PQAP();
	IPM(10);
	LLILF(0, 0x40000306); /* NQAP, last part */
	LLILF(4, 0x12345678);
	LLILF(5, 1);
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	NQAP(4, 6);
	IPM(11);
	LPSWE(0x10, 9); /* enabled wait */
	handler = here();
	L(8, 0xC0, 0, 0);
	emit_dqap();
	IPM(12);
	HALT();
	env_setup(&e, NULL);
	m = s390ap_sys_machine(e.sys);
	ck_assert_int_eq(s390ap_machine_set_hooks(m, &hooks), 0);
	poke_be(&e, DATA, 8, 0x80000000u >> 3);
	poke_psw(&e, DATA + 0x10, PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, wait_addr);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	run_done(&e);

	ck_assert_uint_eq(CC(10), 0);
	ck_assert_uint_eq(CC(11), 0);
	ck_assert_uint_eq(CC(12), 0);
	ck_assert_uint_eq(e.gr[8] & 0xFFFFFFFF, 0x98000000u);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_SUBCHANNEL_ID, 4), 0);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_INT_PARM, 4), 0);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_INT_WORD, 4), 0x98000000u);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_OLD_PSW, 8),
			  PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_OLD_PSW + 8, 8), wait_addr);
	ck_assert_uint_eq(e.mem[NIB], 1);
	ck_assert_uint_eq(e.mem[REPLY + 1], 0x82);
	ck_assert_uint_eq(e.gr[5] & 0xFFFFFFFF, 1); /* PSMID low word */
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.io_interruptions, 1);
	ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERPRETED], 3);
	ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERCEPTED], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 3), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_PQAP), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_NQAP), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_DQAP), 1);
	/* the reply (CEX8 accelerator latency 2000) arrived on time */
	ck_assert_uint_ge(s390ap_sys_cycles(e.sys), 2000);
	ck_assert_uint_eq(rh.irq, 1);
	ck_assert_uint_eq(rh.isc, 3);
	ck_assert_uint_ge(rh.deadline, 2); /* the AQIC's change, the reply */
	ck_assert_uint_eq(rh.last_deadline, S390AP_NO_EVENT);
	env_close(&e);
}
END_TEST

/* AQIC's NIB is an absolute address, checked and set in the same place:
 * on a vCPU with prefix P, a NIB in real 0-8K or in the prefix area is set
 * at that absolute address, not where prefixing would move a real one. */
#define NA_PREFIX 0x40000u
START_TEST(test_aqic_nib_absolute_under_prefix)
{
	static const uint32_t nibs[] = { 0x1100, NA_PREFIX + 0x1100 };

	for (unsigned i = 0; i < 2; i++) {
		const uint32_t nib = nibs[i];
		const uint32_t other = nib < 0x2000 ? nib + NA_PREFIX : nib - NA_PREFIX;
		struct env e;
		uint64_t poll;

		prog_begin();
		emit_aqic_on(nib);
		IPM(10);
		emit_nqap();
		poll = here();
		emit_dqap();
		BRC(7, poll);
		HALT();
		env_setup(&e, NULL);
		ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, NA_PREFIX), 0);
		put_request(&e);
		run_done(&e);
		ck_assert_uint_eq(CC(10), 0);
		ck_assert_uint_eq(e.mem[REPLY + 1], 0x82);
		ck_assert_uint_eq(e.mem[nib], 1);
		ck_assert_uint_eq(e.mem[other], 0);
		ck_assert_uint_eq(s390ap_machine_irq_count(s390ap_sys_machine(e.sys), 3), 1);
		env_close(&e);
	}
}
END_TEST

/* A running (not waiting) CPU takes the interruption as soon as the reply
 * event fires; with the ISC masked in CR6 it stays pending. */
START_TEST(test_io_interruption_running)
{
	for (unsigned masked = 0; masked < 2; masked++) {
		struct env e;
		uint64_t loop, handler;
		s390ap_stop why;
		s390ap_cpu_stats st;

		prog_begin();
		LLILF(9, DATA);
		LCTLG(6, 6, 0, 9);
		LLILF(0, 0x03000306);
		LLIHF(1, 0x00008000);
		OILL(1, 5);
		LLILF(2, NIB);
		PQAP();
		LLILF(0, 0x40000306);
		LLILF(6, MSG);
		LLILF(7, MSG_LEN);
		NQAP(4, 6);
		STOSM(0x20, 9, 0x02); /* enable I/O */
		loop = here();
		AGHI(3, 1);
		BRC(15, loop);
		handler = here();
		HALT();
		env_setup(&e, NULL);
		poke_be(&e, DATA, 8, masked ? 0 : 0x80000000u >> 5);
		poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
		put_request(&e);
		ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 200000, &why), 0);
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		if (masked) {
			ck_assert_int_eq(why, S390AP_STOP_CYCLE);
			ck_assert_uint_eq(st.io_interruptions, 0);
			ck_assert_uint_eq(s390ap_machine_irq_pending(s390ap_sys_machine(e.sys)),
					  0x04);
		} else {
			ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
			ck_assert_uint_eq(st.io_interruptions, 1);
			ck_assert_uint_gt(e.gr[3], 100);
			ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_INT_WORD, 4),
					  0x80000000u | 5u << 27);
			/* delivered within one loop iteration of the event */
			ck_assert_uint_lt(s390ap_sys_cycles(e.sys),
					  2000 + 2 * 300 + 200 + 100 + 100);
		}
		env_close(&e);
	}
}
END_TEST

START_TEST(test_ap_results)
{
	struct env e;
	s390ap_machine *m;

	prog_begin();
	LLILF(0, 0x0306); /* TAPQ 03.0006: cc 0 */
	PQAP();
	IPM(10);
	LGR(11, 1);
	LLILF(0, 0x0106); /* TAPQ 01.0006: not available, cc 3 */
	PQAP();
	IPM(12);
	LGR(13, 1);
	LLILF(0, 0x40000306);
	NQAP(3, 6); /* odd R1: specification from the AP layer */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	m = s390ap_sys_machine(e.sys);
	run_done(&e);
	ck_assert_uint_eq(CC(10), 0);
	ck_assert_uint_eq(S390AP_SW_RC(e.gr[11]), 0);
	ck_assert_uint_eq(CC(12), 3);
	ck_assert_uint_eq(S390AP_SW_RC(e.gr[13]), 1);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 3 * (6 + 4) + 2 * (4 + 4));
	ck_assert_uint_eq(s390ap_machine_rc_count(m, 1), 1);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, S390AP_PGM_SPECIFICATION), 1);
	env_close(&e);
}
END_TEST

/* The vCPU's real storage for NQAP and DQAP under prefixing: operands in
 * one piece that prefixing leaves in place, operands crossing into real
 * 0-8K or the prefix area, a 24-bit operand wrapping to 0, and operands
 * past the end of storage (addressing, nothing stored).  The echo engine
 * returns what NQAP read, so the reply must land, byte for byte, where
 * prefixing puts each real address of the DQAP buffer. */
#define RS_PREFIX 0x40000u
#define RS_BIG_MEM (32u << 20)

static uint64_t rs_abs(uint64_t real)
{
	if (real < 0x2000)
		return real + RS_PREFIX;
	if ((real & ~0x1FFFull) == RS_PREFIX)
		return real - RS_PREFIX;
	return real;
}

START_TEST(test_ap_real_storage_prefixing)
{
	static const struct {
		unsigned amode;
		uint32_t src, dst, len;
		uint16_t pgm;
	} cs[] = {
		{ 64, 0x30000, 0x31000, 0x1000, 0 },          /* both in place */
		{ 64, 0x1F00, RS_PREFIX - 0x100, 0x300, 0 },  /* lowcore -> 8K; -> prefix area */
		{ 64, RS_PREFIX + 0x1F80, 0x1FF0, 0x300, 0 }, /* prefix area out; lowcore out */
		{ 64, 0x30000, SMALL_MEM - 0x100, 0x300, 5 }, /* DQAP past the end */
		{ 64, SMALL_MEM - 0x100, 0x31000, 0x300, 5 }, /* NQAP past the end */
		{ 24, 0x30000, 0xFFFF00, 0x300, 0 },          /* DQAP wraps to real 0 */
	};
	const uint16_t acc = S390AP_APQN(0x03, 0x06);
	s390ap_sys_opts big = { S390AP_SIZED(s390ap_sys_opts), .mem_size = RS_BIG_MEM };
	s390ap_engine echo = { .process = smc_echo, .destroy = NULL, .ctx = NULL };
	static const uint8_t halt[4] = { 0x83, 0x00, 0x00, 0x44 };
	const uint64_t amask = cs[_i].amode == 24 ? 0xFFFFFFu : ~0ull;
	const uint32_t len = cs[_i].len;
	s390ap_cpu_stats st;
	s390ap_psw psw;
	struct env e;
	uint64_t poll;

	prog_begin();
	LLILF(0, S390AP_NQAP_L | acc);
	LGHI(4, 0);
	LGHI(5, 7);
	LLILF(6, cs[_i].src);
	LLILF(7, len);
	NQAP(4, 6);
	poll = here();
	LLILF(0, acc);
	LGHI(2, 0);
	LLILF(6, cs[_i].dst);
	LLILF(7, len);
	DQAP(4, 6);
	BRC(7, poll);
	EXIT();
	env_setup(&e, cs[_i].amode == 24 ? &big : NULL);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, RS_PREFIX), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(s390ap_sys_machine(e.sys), 0x03, &echo), 0);
	ck_assert_int_eq(s390ap_sys_load(e.sys, HANDLER, halt, sizeof(halt)), 0);
	poke_psw(&e, RS_PREFIX + S390AP_LC_PGM_NEW_PSW, PSW64, HANDLER);
	if (cs[_i].amode == 24) {
		ck_assert_int_eq(s390ap_cpu_psw(e.cpu, &psw), 0);
		psw.mask &= ~(uint64_t)PSW64;
		ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	}
	for (uint32_t i = 0; i < len; i++) {
		uint64_t a = rs_abs((cs[_i].src + i) & amask);

		if (a < SMALL_MEM)
			poke8(&e, a, (uint8_t)(i * 7 + 1));
	}
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	if (cs[_i].pgm) {
		ck_assert_uint_eq(st.pgm_interruptions, 1);
		ck_assert_uint_eq(st.last_pgm_code, cs[_i].pgm);
		for (uint32_t i = 0; i < len; i++) {
			uint64_t a = rs_abs((cs[_i].dst + i) & amask);

			if (a < SMALL_MEM)
				ck_assert_uint_eq(e.mem[a], 0);
		}
	} else {
		ck_assert_uint_eq(st.pgm_interruptions, 0);
		ck_assert_uint_eq(exit_value(&e), 0);
		ck_assert_uint_eq(e.gr[5], 7);
		for (uint32_t i = 0; i < len; i++)
			ck_assert_uint_eq(e.mem[rs_abs((cs[_i].dst + i) & amask)],
					  (uint8_t)(i * 7 + 1));
		if (cs[_i].amode == 24) /* nothing past the 16 MiB the operand wrapped at */
			ck_assert_uint_eq(e.mem[0x1000000], 0);
	}
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Access exceptions the AP layer reports: the old PSW by the ending,  */
/* the TEID and exception access id in the lowcore                     */
/* ------------------------------------------------------------------ */

/* The vCPU's AP operand storage wrapped by one that raises exc for
 * accesses touching [lo, hi), `left` times (the dispatcher has no DAT of
 * its own, so this stands in for an embedder's translation). */
struct apfault {
	s390ap_storage orig;
	uint64_t lo, hi;
	s390ap_access_exc exc;
	unsigned left, faults;
	s390ap_access last;
};

static int apfault_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct apfault *f = ctx;

	f->last = *acc;
	if (f->left && acc->addr < f->hi && acc->addr + acc->len > f->lo) {
		f->left--;
		f->faults++;
		*exc = f->exc;
		return -1;
	}
	if (acc->kind == S390AP_ACCESS_FETCH)
		return f->orig.read(f->orig.ctx, acc->addr, buf, acc->len);
	return f->orig.write(f->orig.ctx, acc->addr, buf, acc->len);
}

static void apfault_install(struct env *e, struct apfault *f, uint64_t lo, uint64_t len,
			    uint16_t pgm)
{
	memset(f, 0, sizeof *f);
	f->orig = e->cpu->ap_storage;
	f->lo = lo;
	f->hi = lo + len;
	f->left = 1;
	f->exc.pgm = pgm;
	f->exc.flags = S390AP_EXC_TEID | S390AP_EXC_EAI;
	f->exc.teid = (lo & ~0xFFFull) | 0x402; /* fetch/store bits, secondary */
	f->exc.eai = 6;
	e->cpu->ap_storage = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = f,
					       .access = apfault_access };
}

#define AF_QCI (DATA + 0x100)
#define AF_KEY 5u
#define AF_ASC 2u /* secondary */

static const struct {
	unsigned op; /* 0 NQAP, 1 DQAP, 2 PQAP(QCI) */
	uint16_t pgm;
	bool nullified;
	bool no_ids; /* the storage reports neither TEID nor EAI */
} af_rows[] = {
	{ 0, S390AP_PGM_PAGE_TRANSLATION, true, false },
	{ 0, S390AP_PGM_PROTECTION, false, false },
	{ 1, S390AP_PGM_SEGMENT_TRANSLATION, true, false },
	{ 1, S390AP_PGM_ADDRESSING, false, true },
	{ 2, S390AP_PGM_REGION_FIRST_TRANSLATION, true, false },
	{ 2, S390AP_PGM_PROTECTION, false, true },
	{ 2, S390AP_PGM_ASCE_TYPE, true, false },
};

/* Program text for row i; returns the address of the AP instruction. */
static uint64_t af_emit(unsigned op)
{
	uint64_t at, poll;

	prog_begin();
	if (op == 1) { /* a request first, then poll DQAP until a reply is there */
		emit_nqap();
		poll = here();
		LLILF(0, 0x80000306);
		LGHI(2, 0);
		LLILF(6, REPLY);
		LLILF(7, 4096);
		at = here();
		DQAP(4, 6);
		BRC(1, poll); /* cc 3: RC 0x10, no reply yet */
	} else if (op == 0) {
		LLILF(0, 0x40000306);
		LLILF(4, 0);
		LLILF(5, 1);
		LLILF(6, MSG);
		LLILF(7, MSG_LEN);
		at = here();
		NQAP(4, 6);
	} else {
		LLILF(0, (uint32_t)S390AP_FC_QCI << 24);
		LLILF(2, AF_QCI);
		at = here();
		PQAP();
	}
	IPM(10);
	HALT();
	return at;
}

static void af_start(struct env *e)
{
	const s390ap_psw psw = { PSW64 | (uint64_t)AF_KEY << 52 | (uint64_t)AF_ASC << 46, CODE };

	ck_assert_int_eq(s390ap_cpu_set_psw(e->cpu, &psw), 0);
}

/* Nullified: the old PSW points at the AP instruction; suppressed: past it.
 * TEID at 0xA8, exception access id at 0xA0, the operand untouched. */
START_TEST(test_ap_access_exception_old_psw)
{
	const unsigned op = af_rows[_i].op;
	const uint64_t lo = op == 0 ? MSG : op == 1 ? REPLY : AF_QCI;
	struct apfault f;
	struct env e;
	s390ap_queue_info qi;
	uint64_t at;

	at = af_emit(op);
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	put_request(&e);
	poke_fill(&e, lo, 0xCC, 16);
	poke_be(&e, S390AP_LC_TEID, 8, 0x5555555555555555ull);
	poke8(&e, S390AP_LC_EXC_ACCESS_ID, 0x55);
	apfault_install(&e, &f, lo, 16, af_rows[_i].pgm);
	if (af_rows[_i].no_ids)
		f.exc.flags = 0;
	af_start(&e);
	run_done(&e);

	ck_assert_uint_eq(f.faults, 1);
	ck_assert_uint_eq(lc_code(&e), af_rows[_i].pgm);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), af_rows[_i].nullified ? at : at + 4);
	ck_assert_uint_eq(lc_old_mask(&e) & (S390AP_PSW_KEY | S390AP_PSW_ASC),
			  (uint64_t)AF_KEY << 52 | (uint64_t)AF_ASC << 46);
	/* stored when reported, else left as they were */
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_TEID, 8),
			  af_rows[_i].no_ids ? 0x5555555555555555ull : (lo & ~0xFFFull) | 0x402);
	ck_assert_uint_eq(e.mem[S390AP_LC_EXC_ACCESS_ID], af_rows[_i].no_ids ? 0x55 : 6);
	/* the access as the instruction made it */
	ck_assert_uint_eq(f.last.key, AF_KEY);
	ck_assert_uint_eq(f.last.asc, AF_ASC);
	ck_assert_uint_eq(f.last.ar, op == 2 ? 2 : 6);
	ck_assert_uint_eq(f.last.kind, op == 0 ? S390AP_ACCESS_FETCH : S390AP_ACCESS_STORE);
	/* nothing changed: registers, operand, queue */
	ck_assert_uint_eq(e.gr[op == 2 ? 2 : 6], lo);
	ck_assert_uint_eq(e.mem[lo], 0xCC);
	ck_assert_int_eq(s390ap_queue_info_get(s390ap_sys_machine(e.sys), S390AP_APQN(3, 6), &qi),
			 0);
	ck_assert_uint_eq(qi.enqueued, op == 1 ? 1 : 0);
	ck_assert_uint_eq(qi.dequeued, 0);
	env_close(&e);
}
END_TEST

/* A handler that resumes with the old PSW: a nullified NQAP runs again
 * (and now succeeds), a suppressed one is skipped. */
START_TEST(test_ap_access_exception_resume)
{
	const bool nullify = _i == 0;
	struct apfault f;
	struct env e;
	s390ap_queue_info qi;

	(void)af_emit(0);
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	put_request(&e);
	apfault_install(&e, &f, MSG, MSG_LEN,
			nullify ? S390AP_PGM_PAGE_TRANSLATION : S390AP_PGM_PROTECTION);
	af_start(&e);
	run_done(&e);

	ck_assert_uint_eq(f.faults, 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_NQAP), nullify ? 2 : 1);
	ck_assert_int_eq(s390ap_queue_info_get(s390ap_sys_machine(e.sys), S390AP_APQN(3, 6), &qi),
			 0);
	ck_assert_uint_eq(qi.enqueued, nullify ? 1 : 0);
	if (nullify)
		ck_assert_uint_eq(CC(10), 0);
	env_close(&e);
}
END_TEST

void tcase_cpu_ap(Suite *s)
{
	TCase *tc = tcase_create("ap");

	tcase_add_loop_test(tc, test_ap_real_storage_prefixing, 0, 6);
	tcase_add_test(tc, test_io_interruption);
	tcase_add_test(tc, test_aqic_nib_absolute_under_prefix);
	tcase_add_test(tc, test_io_interruption_running);
	tcase_add_test(tc, test_ap_results);
	tcase_add_loop_test(tc, test_ap_access_exception_old_psw, 0, (int)ARRAY_SIZE(af_rows));
	tcase_add_loop_test(tc, test_ap_access_exception_resume, 0, 2);
	suite_add_tcase(s, tc);
}
