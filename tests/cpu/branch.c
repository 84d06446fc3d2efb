/* SPDX-License-Identifier: MIT */
/* cpu suite: branches and the 24- and 31-bit addressing modes. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Branches                                                            */
/* ------------------------------------------------------------------ */
/* Every mask against every cc, for BRC, BRCL and BCR. */
START_TEST(test_branch_masks)
{
	for (unsigned kind = 0; kind < 3; kind++) {
		for (unsigned cc = 0; cc < 4; cc++) {
			for (unsigned mask = 0; mask < 16; mask++) {
				struct env e;
				size_t fix;

				prog_begin();
				LLILF(1, cc << 28);
				SPM(1);
				LGHI(2, 0);
				if (kind == 0) {
					fix = fwd_brc(mask);
					EXIT();
					patch_here(fix);
				} else if (kind == 1) {
					BRCL(mask, here() + 6 + 4);
					EXIT();
				} else {
					LARL(3, here() + 6 + 2 + 4);
					BCR(mask, 3);
					EXIT();
				}
				LGHI(2, 1);
				EXIT();
				env_setup(&e, NULL);
				run_done(&e);
				ck_assert_msg(exit_value(&e) == ((mask >> (3 - cc)) & 1),
					      "kind %u cc %u mask %u", kind, cc, mask);
				env_close(&e);
			}
		}
	}
}
END_TEST

START_TEST(test_branch_count)
{
	struct env e;
	uint64_t loop;

	prog_begin();
	LHI(1, 5);
	LGHI(2, 0);
	loop = here();
	AGHI(2, 1);
	BRCT(1, loop);
	LGHI(3, 7);
	LGHI(4, 0);
	loop = here();
	AGHI(4, 2);
	BRCTG(3, loop);
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 0xFFFFFFFF00000000ull;
	e.gr[3] = 0xFFFFFFFF00000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[2], 5);
	ck_assert_uint_eq(e.gr[1], 0xFFFFFFFF00000000ull); /* high word kept */
	ck_assert_uint_eq(e.gr[4], 14);
	ck_assert_uint_eq(e.gr[3], 0);
	env_close(&e);
}
END_TEST

START_TEST(test_branch_and_save)
{
	struct env e;
	uint64_t sub, after_bras, after_brasl, after_basr;
	size_t skip;

	prog_begin();
	skip = fwd_brc(15);
	sub = here();
	AGHI(5, 1);
	BCR(15, 14); /* return */
	patch_here(skip);
	BRAS(14, sub);
	after_bras = here();
	LGR(6, 14);
	BRASL(14, sub);
	after_brasl = here();
	LGR(7, 14);
	LARL(8, sub);
	BASR(14, 8);
	after_basr = here();
	LGR(9, 14);
	BASR(10, 0); /* R2 = 0: link only */
	LGR(11, 10);
	LARL(12, here() + 6 + 2 + 4);
	BASR(12, 12); /* R1 = R2: target read first */
	LGHI(13, 1);  /* skipped */
	EXIT();
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(e.gr[5], 3);
	ck_assert_uint_eq(e.gr[6], after_bras);
	ck_assert_uint_eq(e.gr[7], after_brasl);
	ck_assert_uint_eq(e.gr[9], after_basr);
	ck_assert_uint_eq(e.gr[11], after_basr + 4 + 2);
	ck_assert_uint_eq(e.gr[12], here() - 8);
	ck_assert_uint_eq(e.gr[13], 0);
	env_close(&e);
}
END_TEST

/* BCR to an odd address: the branch completes, then specification with
 * the odd address in the old PSW and the branch's ILC. */
START_TEST(test_branch_odd)
{
	struct env e;

	prog_begin();
	LLILF(1, CODE + 0x101);
	BCR(15, 1);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 2);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 0x101);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Addressing modes                                                    */
/* ------------------------------------------------------------------ */
START_TEST(test_amode_31_24)
{
	struct env e;
	/* default 16 MiB: the 24-bit wrap point exists */
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts) };
	s390ap_psw psw = { S390AP_PSW_BA, CODE };
	uint64_t after;

	prog_begin();
	LA(1, 0, 0, 2); /* 31-bit: bit 32 zero, high word kept */
	BRAS(3, here() + 4);
	after = here();
	EXIT();
	env_setup(&e, &o);
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	e.gr[1] = 0x1234567800000000ull;
	e.gr[2] = UINT64_MAX;
	e.gr[3] = 0xABCDABCD00000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x123456787FFFFFFFull);
	ck_assert_uint_eq(e.gr[3], 0xABCDABCD00000000ull | 0x80000000u | after);
	env_close(&e);

	/* 24-bit: an 8-byte load at 0xFFFFFC wraps to 0; LA keeps 24 bits;
	 * BRAS stores ILC, cc and program mask. */
	prog_begin();
	LG(4, 0xFFC, 0, 5);
	LA(6, 0, 0, 2);
	LLILF(1, 0x2A000000); /* cc 2, program mask 0xA */
	SPM(1);
	BRAS(7, here() + 4);
	after = here();
	EXIT();
	env_setup(&e, &o);
	psw.mask = 0;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	e.gr[2] = UINT64_MAX;
	e.gr[5] = 0xFFF000;
	e.gr[6] = 0x5555555500000000ull;
	poke_be(&e, 0xFFFFFC, 4, 0x11223344);
	poke_be(&e, 0, 4, 0x55667788);
	run_done(&e);
	ck_assert_uint_eq(e.gr[4], 0x1122334455667788ull);
	ck_assert_uint_eq(e.gr[6], 0x5555555500FFFFFFull);
	ck_assert_uint_eq(e.gr[7] & 0xFFFFFFFFu, 2u << 30 | 2u << 28 | 0xAu << 24 | after);
	env_close(&e);
}
END_TEST

void tcase_cpu_branch(Suite *s)
{
	TCase *tc = tcase_create("branch");

	tcase_add_test(tc, test_branch_masks);
	tcase_add_test(tc, test_branch_count);
	tcase_add_test(tc, test_branch_and_save);
	tcase_add_test(tc, test_branch_odd);
	tcase_add_test(tc, test_amode_31_24);
	suite_add_tcase(s, tc);
}
