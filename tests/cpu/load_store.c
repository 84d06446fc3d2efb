/* SPDX-License-Identifier: MIT */
/* cpu suite: loads, stores and storage-to-storage moves. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Loads, stores, moves                                                */
/* ------------------------------------------------------------------ */
START_TEST(test_load_immediates)
{
	struct env e;

	prog_begin();
	LGHI(1, -2);
	LHI(2, -3);
	LGFI(3, -5);
	LLILF(4, 0x87654321);
	LLIHF(5, 0x87654321);
	IILF(6, 0xAABBCCDD);
	IIHF(7, 0x11223344);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x1111111122222222ull;
	e.gr[6] = 0x0102030405060708ull;
	e.gr[7] = 0x0102030405060708ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0xFFFFFFFFFFFFFFFEull);
	ck_assert_uint_eq(e.gr[2], 0x11111111FFFFFFFDull);
	ck_assert_uint_eq(e.gr[3], 0xFFFFFFFFFFFFFFFBull);
	ck_assert_uint_eq(e.gr[4], 0x0000000087654321ull);
	ck_assert_uint_eq(e.gr[5], 0x8765432100000000ull);
	ck_assert_uint_eq(e.gr[6], 0x01020304AABBCCDDull);
	ck_assert_uint_eq(e.gr[7], 0x1122334405060708ull);
	ck_assert_uint_eq(cc_of(&e), 0); /* none of them sets the cc */
	env_close(&e);
}
END_TEST

START_TEST(test_address_loads)
{
	struct env e;
	uint64_t larl_at, target;

	prog_begin();
	LA(1, 0x10, 2, 3);  /* r2 + r3 + 16 */
	LA(4, 0xFFF, 0, 0); /* no base, no index */
	LAY(5, -0x10, 0, 3);
	larl_at = here();
	target = larl_at + 0x100;
	LARL(6, target);
	LARL(7, CODE);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x1000;
	e.gr[3] = 0x20000;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x21010);
	ck_assert_uint_eq(e.gr[4], 0xFFF);
	ck_assert_uint_eq(e.gr[5], 0x1FFF0);
	ck_assert_uint_eq(e.gr[6], target);
	ck_assert_uint_eq(e.gr[7], CODE);
	env_close(&e);
}
END_TEST

START_TEST(test_storage_loads)
{
	struct env e;
	static const uint8_t data[16] = { 0x80, 0x91, 0xA2, 0xB3, 0xC4, 0xD5, 0xE6, 0xF7,
					  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

	prog_begin();
	LLILF(9, DATA);
	LG(1, 0, 0, 9);
	LGF(2, 0, 0, 9);
	L(3, 8, 0, 9);
	LY(4, 8, 0, 9);
	LLGF(5, 0, 0, 9);
	LLGC(6, 1, 0, 9);
	LLGH(7, 0, 0, 9);
	LH(8, 0, 0, 9);
	LGHI(10, 8);
	LG(11, 0, 10, 9); /* index register */
	LAY(12, 0x10, 0, 9);
	LY(13, -0x8, 0, 12); /* negative long displacement */
	IC(14, 2, 0, 9);
	EXIT();
	env_setup(&e, NULL);
	poke(&e, DATA, data, sizeof(data));
	e.gr[3] = e.gr[4] = e.gr[8] = 0xAAAAAAAA00000000ull;
	e.gr[14] = 0x1122334455667788ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x8091A2B3C4D5E6F7ull);
	ck_assert_uint_eq(e.gr[2], 0xFFFFFFFF8091A2B3ull);
	ck_assert_uint_eq(e.gr[3], 0xAAAAAAAA01020304ull);
	ck_assert_uint_eq(e.gr[4], 0xAAAAAAAA01020304ull);
	ck_assert_uint_eq(e.gr[5], 0x8091A2B3ull);
	ck_assert_uint_eq(e.gr[6], 0x91);
	ck_assert_uint_eq(e.gr[7], 0x8091);
	ck_assert_uint_eq(e.gr[8], 0xAAAAAAAAFFFF8091ull);
	ck_assert_uint_eq(e.gr[11], 0x0102030405060708ull);
	ck_assert_uint_eq(e.gr[13], 0x01020304ull);
	ck_assert_uint_eq(e.gr[14], 0x11223344556677A2ull);
	env_close(&e);
}
END_TEST

START_TEST(test_storage_stores)
{
	struct env e;
	/* clang-format off */
	static const uint8_t want[24] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* STG */
		0x55, 0x66, 0x77, 0x88,                         /* ST */
		0x55, 0x66, 0x77, 0x88,                         /* STY */
		0x77, 0x88,                                     /* STH */
		0x88,                                           /* STC */
		0x5A,                                           /* MVI */
		0x00, 0x00, 0x00, 0x00 };
	/* clang-format on */

	prog_begin();
	LLILF(9, DATA);
	STG(1, 0, 0, 9);
	ST(1, 8, 0, 9);
	LAY(10, 0x20, 0, 9);
	STY(1, -0x14, 0, 10);
	STH(1, 16, 0, 9);
	LGHI(2, 18);
	STC(1, 0, 2, 9);
	MVI(19, 9, 0x5A);
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 0x1122334455667788ull;
	run_done(&e);
	ck_assert_mem_eq(e.mem + DATA, want, sizeof(want));
	env_close(&e);
}
END_TEST

START_TEST(test_lmg_stmg)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	STMG(14, 2, 0, 9); /* r14, r15, r0, r1, r2: wraps */
	LMG(3, 7, 0, 9);
	EXIT();
	env_setup(&e, NULL);
	e.gr[14] = 14;
	e.gr[15] = 15;
	e.gr[0] = 100;
	e.gr[1] = 101;
	e.gr[2] = 102;
	run_done(&e);
	ck_assert_uint_eq(be_get(e.mem + DATA, 8), 14);
	ck_assert_uint_eq(be_get(e.mem + DATA + 32, 8), 102);
	ck_assert_uint_eq(e.gr[3], 14);
	ck_assert_uint_eq(e.gr[4], 15);
	ck_assert_uint_eq(e.gr[5], 100);
	ck_assert_uint_eq(e.gr[6], 101);
	ck_assert_uint_eq(e.gr[7], 102);
	env_close(&e);
}
END_TEST

START_TEST(test_mvc_xc_clc)
{
	struct env e;
	uint8_t want[16];

	prog_begin();
	LLILF(9, DATA);
	MVC(0x100, 8, 9, 0, 9);      /* plain copy */
	MVC(0x201, 15, 9, 0x200, 9); /* destructive overlap: propagate */
	XC(0x300, 8, 9, 0x300, 9);   /* clear: cc 0 */
	IPM(1);
	XC(0x100, 4, 9, 0x400, 9); /* non-zero: cc 1 */
	IPM(2);
	CLC(0x500, 4, 9, 0x504, 9); /* equal: cc 0 */
	IPM(3);
	CLC(0x508, 4, 9, 0x50C, 9); /* low: cc 1 */
	IPM(4);
	CLC(0x50C, 4, 9, 0x508, 9); /* high: cc 2 */
	IPM(5);
	MVC(0x600, 256, 9, 0x700, 9); /* 256 bytes */
	EXIT();
	env_setup(&e, NULL);
	for (unsigned i = 0; i < 8; i++)
		poke8(&e, DATA + i, (uint8_t)(0x10 + i));
	poke8(&e, DATA + 0x200, 0xEE);
	poke_fill(&e, DATA + 0x300, 0x5A, 8);
	poke_fill(&e, DATA + 0x400, 0xFF, 4);
	poke(&e, DATA + 0x500, "ABCDABCDABCEABCF", 16);
	poke(&e, DATA + 0x50C, "ABDA", 4);
	for (unsigned i = 0; i < 256; i++)
		poke8(&e, DATA + 0x700 + i, (uint8_t)i);
	run_done(&e);
	ck_assert_mem_eq(e.mem + DATA + 0x100 + 4, e.mem + DATA + 4, 4);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(e.mem[DATA + 0x100 + i], (uint8_t)((0x10 + i) ^ 0xFF));
	memset(want, 0xEE, sizeof(want));
	ck_assert_mem_eq(e.mem + DATA + 0x200, want, 16);
	memset(want, 0, 8);
	ck_assert_mem_eq(e.mem + DATA + 0x300, want, 8);
	ck_assert_uint_eq((e.gr[1] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[2] >> 28) & 3, 1);
	ck_assert_uint_eq((e.gr[3] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[4] >> 28) & 3, 1);
	ck_assert_uint_eq((e.gr[5] >> 28) & 3, 2);
	ck_assert_mem_eq(e.mem + DATA + 0x600, e.mem + DATA + 0x700, 256);
	env_close(&e);
}
END_TEST

/* Operands crossing 8 KiB blocks, the prefix area, and wrap-around take the
 * slow path with identical results. */
START_TEST(test_ss_slow_path)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA + 0x1FF0);
	MVC(0, 64, 9, 0x100, 0); /* from lowcore (prefixed) across 8K */
	XC(0x40, 32, 9, 0x40, 9);
	IPM(1);
	CLC(0, 32, 9, 0x100, 0);
	IPM(2);
	LG(3, 0xC, 0, 9); /* straddles DATA + 0x2000 */
	LLILF(10, DATA + 0x3FFC);
	STG(3, 0, 0, 10); /* straddles DATA + 0x4000 */
	EXIT();
	env_setup(&e, NULL);
	for (unsigned i = 0; i < 64; i++)
		poke8(&e, 0x100 + i, (uint8_t)(i * 3 + 1));
	poke_fill(&e, DATA + 0x1FF0 + 0x40, 0x77, 32);
	run_done(&e);
	ck_assert_mem_eq(e.mem + DATA + 0x1FF0, e.mem + 0x100, 64);
	ck_assert_uint_eq((e.gr[1] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[2] >> 28) & 3, 0);
	ck_assert_uint_eq(e.gr[3], be_get(e.mem + 0x10C, 8));
	ck_assert_mem_eq(e.mem + DATA + 0x3FFC, e.mem + 0x10C, 8);
	env_close(&e);
}
END_TEST

START_TEST(test_register_loads)
{
	struct env e;

	prog_begin();
	LGR(1, 2);
	LR(3, 2);
	LTGR(4, 5);
	IPM(10);
	LTGR(4, 2);
	IPM(11);
	LTGR(4, 6);
	IPM(12);
	LTR(7, 6); /* low word 0: cc 0 */
	IPM(13);
	LTR(8, 2); /* low word 0x80000001: negative */
	IPM(14);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x8000000080000001ull;
	e.gr[3] = 0x3333333333333333ull;
	e.gr[5] = 0;
	e.gr[6] = 0x0000000100000000ull;
	e.gr[7] = 0x7777777777777777ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x8000000080000001ull);
	ck_assert_uint_eq(e.gr[3], 0x3333333380000001ull);
	ck_assert_uint_eq(e.gr[4], 0x0000000100000000ull);
	ck_assert_uint_eq((e.gr[10] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[11] >> 28) & 3, 1);
	ck_assert_uint_eq((e.gr[12] >> 28) & 3, 2);
	ck_assert_uint_eq(e.gr[7], 0x7777777700000000ull);
	ck_assert_uint_eq((e.gr[13] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[14] >> 28) & 3, 1);
	env_close(&e);
}
END_TEST

void tcase_cpu_load_store(Suite *s)
{
	TCase *tc = tcase_create("load_store");

	tcase_add_test(tc, test_load_immediates);
	tcase_add_test(tc, test_address_loads);
	tcase_add_test(tc, test_storage_loads);
	tcase_add_test(tc, test_storage_stores);
	tcase_add_test(tc, test_lmg_stmg);
	tcase_add_test(tc, test_mvc_xc_clc);
	tcase_add_test(tc, test_ss_slow_path);
	tcase_add_test(tc, test_register_loads);
	suite_add_tcase(s, tc);
}
