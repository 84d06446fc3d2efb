/* SPDX-License-Identifier: MIT */
/* cpu suite: control instructions: PSW, control registers, system mask,
 * prefix, facilities and DIAG. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Control                                                             */
/* ------------------------------------------------------------------ */
START_TEST(test_ipm_spm)
{
	struct env e;

	prog_begin();
	LLILF(1, 0xFF000000); /* bits 32-33 ignored: cc 3, pm 0xF */
	SPM(1);
	IPM(2);
	LGHI(3, 0);
	LTGR(3, 3); /* cc 0, pm stays */
	IPM(4);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x12345678FFFFFFFFull;
	e.gr[4] = 0;
	run_done(&e);
	ck_assert_uint_eq(e.gr[2], 0x123456783FFFFFFFull);
	ck_assert_uint_eq(e.gr[4], 0x0F000000ull);
	env_close(&e);
}
END_TEST

START_TEST(test_stfle_stores_facilities)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	LGHI(0, 0); /* room for one doubleword */
	STFLE(0, 9);
	IPM(1);
	LGR(2, 0);
	LGHI(0, 2); /* room for three */
	STFLE(0x10, 9);
	IPM(3);
	LGR(4, 0);
	STFL(0, 0);
	EXIT();
	env_setup(&e, NULL);
	poke_fill(&e, DATA, 0xEE, 0x40);
	run_done(&e);
	ck_assert_uint_eq(CC(1), 3);
	ck_assert_uint_eq(e.gr[2], 1);
	ck_assert_uint_eq(be_get(e.mem + DATA, 8), 0x2009000000000000ull); /* 2, 12, 15 */
	ck_assert_uint_eq(e.mem[DATA + 8], 0xEE);                          /* only one stored */
	ck_assert_uint_eq(CC(3), 0);
	ck_assert_uint_eq(e.gr[4], 1);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x10, 8), 0x2009000000000000ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x18, 8), 0x4008000000000000ull); /* 65, 76 */
	ck_assert_uint_eq(e.mem[DATA + 0x20], 0xEE);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_STFLE, 4), 0x20090000u);
	env_close(&e);
}
END_TEST

START_TEST(test_stfle_machine_facilities)
{
	struct env e;
	s390ap_machine *m;
	s390ap_machine_opts mo = { S390AP_SIZED(s390ap_machine_opts),
				   .facilities = S390AP_FAC_AP | S390AP_FAC_APFT,
				   .facilities_set = true };
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM };

	ck_assert_int_eq(s390ap_machine_new(&m, &mo), 0);
	o.machine = m;
	prog_begin();
	LLILF(9, DATA);
	LGHI(0, 1);
	STFLE(0, 9);
	EXIT();
	env_setup(&e, &o);
	ck_assert_ptr_eq(s390ap_sys_machine(e.sys), m);
	run_done(&e);
	ck_assert_uint_eq(be_get(e.mem + DATA, 8), 0x2001000000000000ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 8, 8), 0);
	env_close(&e);
	s390ap_machine_free(m); /* borrowed: still ours */
}
END_TEST

START_TEST(test_lpswe_loads_psw)
{
	struct env e;
	uint64_t target = CODE + 0x200;

	prog_begin();
	LLILF(9, DATA);
	LPSWE(0, 9);
	EXIT(); /* skipped */
	while (here() < target)
		emit(2, 0x0700); /* BCR 0,0 filler */
	LGHI(2, 0x31);
	EXIT();
	env_setup(&e, NULL);
	/* 31-bit PSW with cc 1 */
	poke_psw(&e, DATA, S390AP_PSW_BA | 1ull << S390AP_PSW_CC_SHIFT, target);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 0x31);
	ck_assert_uint_eq(cc_of(&e), 1);
	env_close(&e);
}
END_TEST

/* LPSWE of an invalid PSW: early specification, ILC 0, old PSW = the new one. */
START_TEST(test_lpswe_invalid_psw)
{
	static const uint64_t bad_masks[] = {
		PSW64 | 0x8000000000000000ull, /* bit 0 */
		PSW64 | 0x0008000000000000ull, /* bit 12 */
		S390AP_PSW_EA,                 /* EA without BA */
		PSW64 | 0x0000000000000001ull, /* bit 63 */
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad_masks) + 2; i++) {
		struct env e;
		uint64_t mask = PSW64, addr = CODE + 0x40;

		if (i < 4)
			mask = bad_masks[i];
		else if (i == 4)
			addr = CODE + 0x41; /* odd */
		else {
			mask = S390AP_PSW_BA; /* address beyond 31 bits */
			addr = 0x80000000ull;
		}
		prog_begin();
		LLILF(9, DATA);
		LPSWE(0, 9);
		EXIT();
		env_setup(&e, NULL);
		pgm_to_halt(&e);
		poke_psw(&e, DATA, mask, addr);
		run_done(&e);
		ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
		ck_assert_uint_eq(lc_ilc(&e), 0);
		ck_assert_uint_eq(lc_old_mask(&e), mask);
		ck_assert_uint_eq(lc_old_addr(&e), addr);
		env_close(&e);
	}
}
END_TEST

START_TEST(test_control_registers)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	LCTLG(15, 1, 0, 9);    /* CR15, CR0, CR1: wraps */
	STCTG(14, 2, 0x40, 9); /* CR14, CR15, CR0, CR1, CR2 */
	EXIT();
	env_setup(&e, NULL);
	poke_be(&e, DATA, 8, 0x1515151515151515ull);
	poke_be(&e, DATA + 8, 8, 0x0000000000000A0Aull);
	poke_be(&e, DATA + 16, 8, 0x0101010101010101ull);
	run_done(&e);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 15), 0x1515151515151515ull);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 0), 0xA0A);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 1), 0x0101010101010101ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x40, 8), 0xC2000000ull); /* CR14 reset value */
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x48, 8), 0x1515151515151515ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x50, 8), 0xA0A);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x60, 8), 0);
	env_close(&e);
}
END_TEST

START_TEST(test_system_mask)
{
	struct env e;
	s390ap_psw psw;

	prog_begin();
	LLILF(9, DATA);
	STOSM(0, 9, 0x03); /* store 0x00, then I/O + EXT on */
	STNSM(1, 9, 0xFD); /* store 0x03, then I/O off */
	SSM(2, 9);         /* load 0x04 (DAT) */
	STOSM(3, 9, 0x00);
	EXIT();
	env_setup(&e, NULL);
	poke8(&e, DATA + 2, 0x04);
	run_done(&e);
	ck_assert_uint_eq(e.mem[DATA], 0x00);
	ck_assert_uint_eq(e.mem[DATA + 1], 0x03);
	ck_assert_uint_eq(e.mem[DATA + 3], 0x04);
	s390ap_cpu_psw(e.cpu, &psw);
	ck_assert_uint_eq(psw.mask >> 56, 0x04);
	env_close(&e);
}
END_TEST

START_TEST(test_system_mask_errors)
{
	struct env e;

	/* SSM with bit 0 on: specification, PSW unchanged. */
	prog_begin();
	LLILF(9, DATA);
	SSM(0, 9);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	poke8(&e, DATA, 0x80);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_mask(&e), PSW64);
	env_close(&e);

	/* STOSM turning on bit 0: stored, then early specification (ILC 0). */
	prog_begin();
	LLILF(9, DATA);
	STOSM(0, 9, 0x80);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 0);
	ck_assert_uint_eq(lc_old_mask(&e), PSW64 | 0x8000000000000000ull);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 4);
	env_close(&e);
}
END_TEST

/* SPX moves the lowcore; both directions of prefixing. */
START_TEST(test_prefix_both_directions)
{
	struct env e;
	const uint32_t pfx = 0x40000;

	prog_begin();
	LLILF(9, DATA);
	SPX(0, 9);
	LGHI(1, 0x77);
	STG(1, 0x100, 0, 0); /* real 0x100 -> absolute 0x40100 */
	LLILF(2, pfx);
	LG(3, 0x200, 0, 2); /* real 0x40200 -> absolute 0x200 */
	STPX(8, 9);
	STAP(12, 9);
	LLILF(5, 0x1FFC);
	LG(4, 0, 0, 5); /* real 1FFC-2003: absolute 41FFC-41FFF, 2000-2003 */
	EXIT();
	env_setup(&e, NULL);
	poke_be(&e, pfx + 0x1FFC, 4, 0x01020304);
	poke_be(&e, 0x2000, 4, 0x05060708);
	poke_be(&e, DATA, 4, pfx | 0x80001FFFu); /* bits outside 1-18 ignored */
	poke_be(&e, 0x200, 8, 0xA5A5A5A5A5A5A5A5ull);
	run_done(&e);
	ck_assert_uint_eq(s390ap_cpu_prefix(e.cpu), pfx);
	ck_assert_uint_eq(be_get(e.mem + pfx + 0x100, 8), 0x77);
	ck_assert_uint_eq(be_get(e.mem + 0x100, 8), 0);
	ck_assert_uint_eq(e.gr[3], 0xA5A5A5A5A5A5A5A5ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 8, 4), pfx);
	ck_assert_uint_eq(be_get(e.mem + DATA + 12, 2), 0);
	ck_assert_uint_eq(e.gr[4], 0x0102030405060708ull);
	env_close(&e);
}
END_TEST

/* Prefix area outside storage: addressing; misaligned operands:
 * specification.  Each row emits its instruction with the operand at
 * DATA + d (GR9 = DATA), where the word is the storage size. */
static void p_spx_0(void)
{
	SPX(0, 9);
}
static void p_spx_2(void)
{
	SPX(2, 9);
}
static void p_stpx_1(void)
{
	STPX(1, 9);
}
static void p_stap_1(void)
{
	STAP(1, 9);
}

static const struct {
	void (*emit)(void);
	unsigned pgm;
} prefix_refused[] = {
	{ p_spx_0, S390AP_PGM_ADDRESSING },
	{ p_spx_2, S390AP_PGM_SPECIFICATION },
	{ p_stpx_1, S390AP_PGM_SPECIFICATION },
	{ p_stap_1, S390AP_PGM_SPECIFICATION },
};

START_TEST(test_prefix_errors)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	prefix_refused[_i].emit();
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	poke_be(&e, DATA, 4, SMALL_MEM);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), prefix_refused[_i].pgm);
	ck_assert_uint_eq(s390ap_cpu_prefix(e.cpu), 0);
	env_close(&e);
}
END_TEST

START_TEST(test_diag_functions)
{
	struct env e;

	/* 0x44: halt, exit value 0; code = (base + displacement) & 0xFFFF */
	prog_begin();
	LLILF(2, 0x99);
	LLILF(5, 0x30000);
	DIAG(0, 0, 0x44, 5);
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 0);
	env_close(&e);

	prog_begin();
	LLILF(2, 0x99);
	LLILF(5, 0x1FF);
	DIAG(0, 0, 0x301, 5); /* 0x1FF + 0x301 = 0x500 */
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 0x99);
	env_close(&e);

	/* anything else: specification */
	prog_begin();
	DIAG(0, 0, 0x9C, 0);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 4);
	env_close(&e);
}
END_TEST

void tcase_cpu_control(Suite *s)
{
	TCase *tc = tcase_create("control");

	tcase_add_test(tc, test_ipm_spm);
	tcase_add_test(tc, test_stfle_stores_facilities);
	tcase_add_test(tc, test_stfle_machine_facilities);
	tcase_add_test(tc, test_lpswe_loads_psw);
	tcase_add_test(tc, test_lpswe_invalid_psw);
	tcase_add_test(tc, test_control_registers);
	tcase_add_test(tc, test_system_mask);
	tcase_add_test(tc, test_system_mask_errors);
	tcase_add_test(tc, test_prefix_both_directions);
	tcase_add_loop_test(tc, test_prefix_errors, 0, (int)ARRAY_SIZE(prefix_refused));
	tcase_add_test(tc, test_diag_functions);
	suite_add_tcase(s, tc);
}
