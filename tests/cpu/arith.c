/* SPDX-License-Identifier: MIT */
/* cpu suite: arithmetic, logic, shifts and compares, with their condition
 * codes. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Arithmetic and logic                                                */
/* ------------------------------------------------------------------ */
START_TEST(test_add_subtract)
{
	struct env e;

	prog_begin();
	/* clang-format off */
	LGHI(1, 5);   AGHI(1, -5);   IPM(1);         /* 0 -> cc 0 (IPM into r1 keeps bits 0-31) */
	LGHI(2, 5);   AGHI(2, -6);   IPM(3);         /* -1: cc 1 */
	LGHI(4, 5);   AGHI(4, 1);    IPM(5);         /* 6: cc 2 */
	LLIHF(6, 0x7FFFFFFF); OILF(6, 0xFFFFFFFF); AGHI(6, 1); IPM(7); /* overflow: cc 3 */
	LLILF(8, 0x7FFFFFFF); AHI(8, 1); IPM(9);      /* 32-bit overflow */
	LGR(10, 6); LGHI(11, -1); AGR(10, 11); IPM(12); /* INT64_MIN + -1: overflow */
	LLILF(13, 0x80000000); LHI(14, 1); SR(13, 14); IPM(0); /* INT32_MIN - 1 */
	/* clang-format on */
	EXIT();
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(e.gr[1] & 0xFFFFFFFF00FFFFFFull, 0);
	ck_assert_uint_eq(CC(1), 0);
	ck_assert_uint_eq(e.gr[2], UINT64_MAX);
	ck_assert_uint_eq(CC(3), 1);
	ck_assert_uint_eq(e.gr[4], 6);
	ck_assert_uint_eq(CC(5), 2);
	ck_assert_uint_eq(e.gr[6], 0x8000000000000000ull);
	ck_assert_uint_eq(CC(7), 3);
	ck_assert_uint_eq(e.gr[8], 0x80000000ull);
	ck_assert_uint_eq(CC(9), 3);
	ck_assert_uint_eq(e.gr[10], 0x7FFFFFFFFFFFFFFFull);
	ck_assert_uint_eq(CC(12), 3);
	ck_assert_uint_eq(e.gr[13], 0x7FFFFFFFull);
	ck_assert_uint_eq(CC(0), 3);
	env_close(&e);
}
END_TEST

START_TEST(test_add_subtract_registers)
{
	struct env e;

	prog_begin();
	/* clang-format off */
	AGR(1, 2);  IPM(10);           /* 7 + -9 = -2: cc 1 */
	AR(3, 4);   IPM(11);           /* 32-bit: 1 + 1 = 2: cc 2 */
	SGR(5, 6);  IPM(12);           /* 3 - 3 = 0 */
	SR(7, 8);   IPM(13);           /* 2 - 5 = -3 (32-bit) */
	SGR(9, 2);  IPM(14);           /* INT64_MIN - (-9): no overflow, negative */
	/* clang-format on */
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 7;
	e.gr[2] = (uint64_t)-9;
	e.gr[3] = 0xFFFFFFFF00000001ull;
	e.gr[4] = 0x1234567800000001ull;
	e.gr[5] = e.gr[6] = 3;
	e.gr[7] = 0xABCD000000000002ull;
	e.gr[8] = 5;
	e.gr[9] = 0x8000000000000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], (uint64_t)-2);
	ck_assert_uint_eq(CC(10), 1);
	ck_assert_uint_eq(e.gr[3], 0xFFFFFFFF00000002ull);
	ck_assert_uint_eq(CC(11), 2);
	ck_assert_uint_eq(e.gr[5], 0);
	ck_assert_uint_eq(CC(12), 0);
	ck_assert_uint_eq(e.gr[7], 0xABCD0000FFFFFFFDull);
	ck_assert_uint_eq(CC(13), 1);
	ck_assert_uint_eq(e.gr[9], 0x8000000000000009ull);
	ck_assert_uint_eq(CC(14), 1);
	env_close(&e);
}
END_TEST

/* With the fixed-point-overflow mask on, overflow completes the add and
 * raises program interruption 0x0008 pointing after it. */
START_TEST(test_fixed_point_overflow)
{
	struct env e;
	uint64_t at;

	prog_begin();
	LLILF(1, 0x08000000); /* program mask 8: fixed-point overflow */
	SPM(1);
	LLILF(2, 0x7FFFFFFF);
	at = here();
	AHI(2, 1);
	LGHI(3, 1); /* resumes here */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_uint_eq(e.gr[2], 0x80000000ull);
	ck_assert_uint_eq(e.gr[3], 1);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_FIXED_OVERFLOW);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), at + 4);
	ck_assert_uint_eq((lc_old_mask(&e) >> 44) & 3, 3);
	env_close(&e);
}
END_TEST

START_TEST(test_logic_condition_codes)
{
	struct env e;

	prog_begin();
	/* clang-format off */
	NGR(1, 2);  IPM(10);
	OGR(3, 4);  IPM(11);
	XGR(5, 5);  IPM(12);
	NILL(6, 0x00F0); IPM(13);
	NILF(7, 0x0000FFFF); IPM(14);
	OILL(8, 0);  IPM(15);
	OILF(9, 0x80000000); IPM(0);
	/* clang-format on */
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 0xF0F0F0F0F0F0F0F0ull;
	e.gr[2] = 0x0F0F0F0F0F0F0F0Full;
	e.gr[3] = 0;
	e.gr[4] = 0x100;
	e.gr[5] = 0x12345;
	e.gr[6] = 0xFFFFFFFFFFFF0F0Full;
	e.gr[7] = 0x12345678ABCD0000ull;
	e.gr[8] = 0xFFFF000000000000ull;
	e.gr[9] = 0x1111111100000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0);
	ck_assert_uint_eq(CC(10), 0);
	ck_assert_uint_eq(e.gr[3], 0x100);
	ck_assert_uint_eq(CC(11), 1);
	ck_assert_uint_eq(e.gr[5], 0);
	ck_assert_uint_eq(CC(12), 0);
	ck_assert_uint_eq(e.gr[6], 0xFFFFFFFFFFFF0000ull);
	ck_assert_uint_eq(CC(13), 0); /* only bits 48-63 count */
	ck_assert_uint_eq(e.gr[7], 0x1234567800000000ull);
	ck_assert_uint_eq(CC(14), 0);
	ck_assert_uint_eq(e.gr[8], 0xFFFF000000000000ull);
	ck_assert_uint_eq(CC(15), 0);
	ck_assert_uint_eq(e.gr[9], 0x1111111180000000ull);
	ck_assert_uint_eq(CC(0), 1);
	env_close(&e);
}
END_TEST

START_TEST(test_shift_logical)
{
	struct env e;

	prog_begin();
	SLLG(1, 2, 4, 0);    /* by 4 */
	SRLG(3, 2, 0x43, 0); /* amount is address & 63: 3 */
	SLLG(4, 2, 1, 5);    /* base register: 63 + 1 = 64 -> 0 */
	SLL(6, 31, 0);
	SRL(7, 32, 0); /* >= 32 clears the low word */
	SRL(8, 4, 0);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x8000000000000011ull;
	e.gr[5] = 63;
	e.gr[6] = 0xAAAAAAAA00000003ull;
	e.gr[7] = 0xBBBBBBBBFFFFFFFFull;
	e.gr[8] = 0xCCCCCCCC000000F0ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x0000000000000110ull);
	ck_assert_uint_eq(e.gr[3], 0x1000000000000002ull);
	ck_assert_uint_eq(e.gr[4], 0x8000000000000011ull);
	ck_assert_uint_eq(e.gr[6], 0xAAAAAAAA80000000ull);
	ck_assert_uint_eq(e.gr[7], 0xBBBBBBBB00000000ull);
	ck_assert_uint_eq(e.gr[8], 0xCCCCCCCC0000000Full);
	ck_assert_uint_eq(cc_of(&e), 0);
	env_close(&e);
}
END_TEST

/* Each compare against "less", "equal" and "greater" operands. */
START_TEST(test_compare_condition_codes)
{
	struct env e;
	/* r1 = -1 (64-bit), r2 = 1, r3 = low word 0xFFFFFFFF (-1 as 32-bit) */
	prog_begin();
	/* clang-format off */
	CGR(1, 2);  IPM(4);        /* -1 < 1 signed: 1 */
	CLGR(1, 2); IPM(5);        /* unsigned: high: 2 */
	CR(3, 2);   IPM(6);        /* 32-bit -1 < 1: 1 */
	CGHI(1, -1); IPM(7);       /* equal: 0 */
	CHI(2, -5); IPM(8);        /* 1 > -5: 2 */
	CGFI(2, 0x7FFFFFFF); IPM(9); /* low: 1 */
	CLGFI(1, 0xFFFFFFFF); IPM(10); /* unsigned 2^64-1 > 2^32-1: 2 */
	CLGFI(3, 0xFFFFFFFF); IPM(11); /* r3 = 0xFFFFFFFF: equal 0 */
	LLILF(12, DATA);
	CLI(0, 12, 0x80); IPM(13); /* 0x7F < 0x80 unsigned: 1 */
	CLI(1, 12, 0x80); IPM(14); /* 0x80: 0 */
	CLI(2, 12, 0x80); IPM(15); /* 0xFF: 2 */
	/* clang-format on */
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = UINT64_MAX;
	e.gr[2] = 1;
	e.gr[3] = 0xFFFFFFFFull;
	poke8(&e, DATA, 0x7F);
	poke8(&e, DATA + 1, 0x80);
	poke8(&e, DATA + 2, 0xFF);
	run_done(&e);
	ck_assert_uint_eq(CC(4), 1);
	ck_assert_uint_eq(CC(5), 2);
	ck_assert_uint_eq(CC(6), 1);
	ck_assert_uint_eq(CC(7), 0);
	ck_assert_uint_eq(CC(8), 2);
	ck_assert_uint_eq(CC(9), 1);
	ck_assert_uint_eq(CC(10), 2);
	ck_assert_uint_eq(CC(11), 0);
	ck_assert_uint_eq(CC(13), 1);
	ck_assert_uint_eq(CC(14), 0);
	ck_assert_uint_eq(CC(15), 2);
	env_close(&e);
}
END_TEST

START_TEST(test_test_under_mask)
{
	struct env e;

	prog_begin();
	LLILF(12, DATA);
	/* clang-format off */
	TM(0, 12, 0xF0); IPM(1);   /* byte 0x0F: selected all zero -> 0 */
	TM(0, 12, 0x0C); IPM(2);   /* all ones -> 3 */
	TM(0, 12, 0x18); IPM(3);   /* mixed -> 1 */
	TM(0, 12, 0x00); IPM(4);   /* mask 0 -> 0 */
	TMLL(5, 0xFF00); IPM(6);   /* r5 = 0x00F0: zero -> 0 */
	TMLL(5, 0x00F0); IPM(7);   /* ones -> 3 */
	TMLL(5, 0x0180); IPM(8);   /* mixed, leftmost (0x0100) zero -> 1 */
	TMLL(5, 0x0081); IPM(9);   /* mixed, leftmost (0x0080) one -> 2 */
	TMLL(5, 0); IPM(10);       /* mask 0 -> 0 */
	/* clang-format on */
	EXIT();
	env_setup(&e, NULL);
	poke8(&e, DATA, 0x0F);
	e.gr[5] = 0xFFFFFFFFFFFF00F0ull;
	run_done(&e);
	ck_assert_uint_eq(CC(1), 0);
	ck_assert_uint_eq(CC(2), 3);
	ck_assert_uint_eq(CC(3), 1);
	ck_assert_uint_eq(CC(4), 0);
	ck_assert_uint_eq(CC(6), 0);
	ck_assert_uint_eq(CC(7), 3);
	ck_assert_uint_eq(CC(8), 1);
	ck_assert_uint_eq(CC(9), 2);
	ck_assert_uint_eq(CC(10), 0);
	env_close(&e);
}
END_TEST

void tcase_cpu_arith(Suite *s)
{
	TCase *tc = tcase_create("arith");

	tcase_add_test(tc, test_add_subtract);
	tcase_add_test(tc, test_add_subtract_registers);
	tcase_add_test(tc, test_fixed_point_overflow);
	tcase_add_test(tc, test_logic_condition_codes);
	tcase_add_test(tc, test_shift_logical);
	tcase_add_test(tc, test_compare_condition_codes);
	tcase_add_test(tc, test_test_under_mask);
	suite_add_tcase(s, tc);
}
