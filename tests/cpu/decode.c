/* SPDX-License-Identifier: MIT */
/* cpu suite: decoding every supported instruction from its real encoding,
 * and the emitter the other files build programs with. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */
START_TEST(test_decode_every_instruction)
{
	bool seen[256] = { false };

	ck_assert_uint_le(s390ap_insn_count(), 256);
	for (size_t i = 0; i < nrefs; i++) {
		unsigned id = 999, ilen = 0;

		ck_assert_msg(s390ap_decode(refs[i].b, refs[i].len, &id, &ilen) == 0,
			      "%s does not decode", refs[i].name);
		ck_assert_str_eq(s390ap_insn_name(id), refs[i].name);
		ck_assert_uint_eq(ilen, refs[i].len);
		seen[id] = true;
	}
	for (unsigned id = 0; id < s390ap_insn_count(); id++)
		ck_assert_msg(seen[id], "%s has no decoder test", s390ap_insn_name(id));
}
END_TEST

START_TEST(test_decode_names)
{
	unsigned n = s390ap_insn_count();

	ck_assert_uint_eq(n, nrefs);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(s390ap_insn_name(i));
		for (unsigned j = 0; j < i; j++)
			ck_assert_str_ne(s390ap_insn_name(i), s390ap_insn_name(j));
	}
	ck_assert_ptr_null(s390ap_insn_name(n));
	ck_assert_str_eq(s390ap_insn_name(0), "LGHI");
}
END_TEST

START_TEST(test_decode_rejects)
{
	static const uint8_t bad[][6] = {
		{ 0x00, 0x00 },                         /* 00: not installed */
		{ 0xA7, 0x12, 0, 0 },                   /* A7x2 (TMHH): not supported */
		{ 0xB2, 0x00, 0, 0 },                   /* B200 */
		{ 0xB9, 0x05, 0, 0x12 },                /* B905 */
		{ 0xE3, 0x12, 0x30, 0x08, 0x00, 0x02 }, /* E3..02 (LTG) */
		{ 0xEB, 0x13, 0x40, 0x08, 0x00, 0x0A }, /* EB..0A (SRAG) */
		{ 0xC0, 0x12, 0, 0, 0, 0 },             /* C0x2 */
		{ 0xFF, 0xFF, 0, 0, 0, 0 },
	};
	static const uint8_t lg[6] = { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x04 };
	unsigned id, ilen;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_int_eq(s390ap_decode(bad[i], 6, &id, &ilen), S390AP_ENOTSUP);
	ck_assert_int_eq(s390ap_decode(lg, 5, &id, &ilen), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_decode(lg, 1, &id, &ilen), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_decode(NULL, 6, &id, &ilen), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_decode(lg, 6, NULL, NULL), 0);
}
END_TEST

/* Field extraction per format (internal decoder). */
START_TEST(test_decode_fields)
{
	struct cpu_op op;
	static const uint8_t lay[6] = { 0xe3, 0x12, 0x3f, 0xfc, 0xff, 0x71 };
	static const uint8_t mvc[6] = { 0xd2, 0x01, 0x30, 0x01, 0x50, 0x04 };
	static const uint8_t lghi[4] = { 0xa7, 0x19, 0xff, 0xfe };
	static const uint8_t lgfi[6] = { 0xc0, 0x11, 0xff, 0xff, 0xff, 0xfe };
	static const uint8_t lmg[6] = { 0xeb, 0x13, 0x40, 0x08, 0x00, 0x04 };
	static const uint8_t stfle[4] = { 0xb2, 0xb0, 0x20, 0x08 };
	static const uint8_t mvi[4] = { 0x92, 0x55, 0x30, 0x01 };
	static const uint8_t la0[4] = { 0x41, 0x10, 0x0f, 0xff };
	static const uint8_t lg_pos[6] = { 0xe3, 0x10, 0x0f, 0xff, 0x7f, 0x04 };

	cpu_decode_fields(&op, lay, CPU_ID_LAY);
	ck_assert_int_eq(op.d2, -4);
	ck_assert_uint_eq(op.r1, 1);
	ck_assert_uint_eq(op.x, 2);
	ck_assert_uint_eq(op.b2, 3);
	ck_assert_uint_eq(op.ilen, 6);

	cpu_decode_fields(&op, lg_pos, CPU_ID_LG);
	ck_assert_int_eq(op.d2, 0x7FFFF);
	ck_assert_uint_eq(op.x, 16);
	ck_assert_uint_eq(op.b2, 16);

	cpu_decode_fields(&op, mvc, CPU_ID_MVC);
	ck_assert_int_eq(op.imm, 1);
	ck_assert_uint_eq(op.b1, 3);
	ck_assert_int_eq(op.d1, 1);
	ck_assert_uint_eq(op.b2, 5);
	ck_assert_int_eq(op.d2, 4);

	cpu_decode_fields(&op, lghi, CPU_ID_LGHI);
	ck_assert_int_eq(op.imm, -2);
	ck_assert_uint_eq(op.r1, 1);

	cpu_decode_fields(&op, lgfi, CPU_ID_LGFI);
	ck_assert_int_eq(op.imm, -2);

	cpu_decode_fields(&op, lmg, CPU_ID_LMG);
	ck_assert_uint_eq(op.r1, 1);
	ck_assert_uint_eq(op.r2, 3);
	ck_assert_uint_eq(op.b2, 4);
	ck_assert_uint_eq(op.x, 16);
	ck_assert_int_eq(op.d2, 8);

	cpu_decode_fields(&op, stfle, CPU_ID_STFLE);
	ck_assert_uint_eq(op.b2, 2);
	ck_assert_int_eq(op.d2, 8);

	cpu_decode_fields(&op, mvi, CPU_ID_MVI);
	ck_assert_int_eq(op.imm, 0x55);
	ck_assert_uint_eq(op.b1, 3);
	ck_assert_int_eq(op.d1, 1);

	cpu_decode_fields(&op, la0, CPU_ID_LA);
	ck_assert_uint_eq(op.x, 16);
	ck_assert_uint_eq(op.b2, 16);
	ck_assert_int_eq(op.d2, 0xFFF);
}
END_TEST

/* The emitter used by every program below produces the assembler's bytes. */
START_TEST(test_emitter_matches_assembler)
{
	uint8_t want[1024];
	size_t n = 0;

	for (size_t i = 0; i < nrefs; i++) {
		memcpy(want + n, refs[i].b, refs[i].len);
		n += refs[i].len;
	}
	prog_begin();
	/* clang-format off */
	LGHI(1, -2); LHI(1, -2); LGFI(1, -2); LLILF(1, 0x12345678); LLIHF(1, 0x12345678);
	IILF(1, 0x12345678); IIHF(1, 0x12345678); LA(1, 4, 2, 3); LAY(1, -4, 2, 3);
	LARL(1, CODE); LG(1, 8, 2, 3); LGF(1, 8, 2, 3); L(1, 8, 2, 3); LY(1, -8, 2, 3);
	LLGF(1, 8, 2, 3); LLGC(1, 8, 2, 3); LLGH(1, 8, 2, 3); LH(1, 8, 2, 3);
	ST(1, 8, 2, 3); STY(1, -8, 2, 3); STG(1, 8, 2, 3); STH(1, 8, 2, 3);
	LMG(1, 3, 8, 4); STMG(1, 3, 8, 4); MVC(1, 2, 3, 4, 5); MVI(1, 3, 0x55);
	XC(1, 2, 3, 4, 5); CLC(1, 2, 3, 4, 5); IC(1, 8, 2, 3); STC(1, 8, 2, 3);
	LGR(1, 2); LR(1, 2); LTGR(1, 2); LTR(1, 2); AGHI(1, -2); AHI(1, -2);
	AGR(1, 2); AR(1, 2); SGR(1, 2); SR(1, 2); NGR(1, 2); OGR(1, 2); XGR(1, 2);
	NILL(1, 0x1234); NILF(1, 0x12345678); OILL(1, 0x1234); OILF(1, 0x12345678);
	SLLG(1, 2, 3, 4); SRLG(1, 2, 3, 4); SLL(1, 3, 4); SRL(1, 3, 4);
	CGR(1, 2); CR(1, 2); CLGR(1, 2); CGHI(1, -2); CHI(1, -2); CGFI(1, -2);
	CLGFI(1, 0xfffffffe); CLI(1, 3, 0x55); TM(1, 3, 0x55); TMLL(1, 0x1234);
	BRC(8, CODE); BRCL(8, CODE); BRCT(1, CODE); BRCTG(1, CODE); BRAS(14, CODE);
	BRASL(14, CODE); BCR(8, 14); BASR(14, 15); IPM(1); SPM(1); STFLE(8, 2);
	LPSWE(8, 2); LCTLG(1, 3, 8, 4); STCTG(1, 3, 8, 4); SSM(8, 2); STOSM(8, 2, 0x55);
	STNSM(8, 2, 0x55); SPX(8, 2); STPX(8, 2); DIAG(1, 3, 0x500, 4); PQAP();
	NQAP(2, 4); DQAP(2, 4); SIE(8, 2); STAP(8, 2); STFL(8, 2);
	/* clang-format on */
	ck_assert_uint_eq(P.n, n);
	ck_assert_mem_eq(P.b, want, n);
}
END_TEST

void tcase_cpu_decode(Suite *s)
{
	TCase *tc = tcase_create("decode");

	tcase_add_test(tc, test_decode_every_instruction);
	tcase_add_test(tc, test_decode_names);
	tcase_add_test(tc, test_decode_rejects);
	tcase_add_test(tc, test_decode_fields);
	tcase_add_test(tc, test_emitter_matches_assembler);
	suite_add_tcase(s, tc);
}
