/* SPDX-License-Identifier: MIT */
/* pqap suite: program exceptions of PQAP, NQAP and DQAP and their
 * priority: operation, privileged operation, specification, addressing. */
#include "pqap_test.h"

/* ================================================================== */
/* Program exceptions                                                  */
/* ================================================================== */
/* NQAP of a 16-byte request and DQAP on ACC both take the program
 * interruption code; nothing is enqueued. */
static void expect_nqap_dqap_pgm(uint16_t code)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_PGM(code);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_PGM(code);
}

START_TEST(test_operation_without_ap)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_AP;
	tapq(ACC, false);
	EXPECT_PGM(S390AP_PGM_OPERATION);
	ck_assert_x64(gr[1], GARBAGE);

	expect_nqap_dqap_pgm(S390AP_PGM_OPERATION);
}
END_TEST

START_TEST(test_operation_machine_without_ap)
{
	use_machine_facs(S390AP_FAC_ALL & ~(uint32_t)S390AP_FAC_AP);
	tapq(ACC, false);
	EXPECT_PGM(S390AP_PGM_OPERATION);
}
END_TEST

START_TEST(test_privileged_problem_state)
{
	ctx.problem_state = true;
	tapq(ACC, false);
	EXPECT_PGM(S390AP_PGM_PRIVILEGED);
	ck_assert_x64(gr[1], GARBAGE);

	qci(QCI_ADDR);
	EXPECT_PGM(S390AP_PGM_PRIVILEGED);

	expect_nqap_dqap_pgm(S390AP_PGM_PRIVILEGED);
}
END_TEST

START_TEST(test_priority_operation_over_privileged)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_AP;
	ctx.problem_state = true;
	do_pqap(gr0_fc(42, ACC));
	EXPECT_PGM(S390AP_PGM_OPERATION);
	nqap(ACC, 1, MSG_ADDR, 0);
	EXPECT_PGM(S390AP_PGM_OPERATION);
}
END_TEST

START_TEST(test_priority_privileged_over_specification)
{
	ctx.problem_state = true;
	do_pqap(gr0_fc(42, ACC));
	EXPECT_PGM(S390AP_PGM_PRIVILEGED);
	qci(QCI_ADDR + 1);
	EXPECT_PGM(S390AP_PGM_PRIVILEGED);
	nqap(ACC, 1, MSG_ADDR, 0);
	EXPECT_PGM(S390AP_PGM_PRIVILEGED);
	dqap(ACC, BUF_ADDR, 0);
	EXPECT_PGM(S390AP_PGM_PRIVILEGED);
}
END_TEST

START_TEST(test_priority_specification_over_addressing)
{
	/* misaligned and outside storage */
	qci(MEM_SIZE + 1);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* odd R2 with the message outside storage */
	gr[0] = ACC | S390AP_NQAP_L;
	gr[3] = MEM_SIZE + 0x1000;
	gr[4] = 16;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, 3, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* reserved GR0 bit with the message outside storage */
	nqap_raw(ACC | S390AP_NQAP_L | 0x80000000u, 1, MEM_SIZE + 0x1000, 16);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

/* GR0 bits 41..47 with FC 0 (TAPQ), one at a time. */
START_TEST(test_tapq_reserved_bit)
{
	uint64_t bit = 0x00400000ull >> _i;

	gr[1] = GARBAGE;
	gr[2] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, ACC) | bit);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[2], GARBAGE);
}
END_TEST

START_TEST(test_gr0_bits_42_47_on_rapq)
{
	for (unsigned b = 42; b <= 47; b++) {
		do_pqap(gr0_fc(S390AP_FC_RAPQ, ACC) | 1ull << (63 - b));
		EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	}
}
END_TEST

START_TEST(test_f_bit_rules)
{
	/* F accepted (and ignored without APSB) on RAPQ and ZAPQ */
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_RAPQ, ACC) | S390AP_GR0_F);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_ZAPQ, ACC) | S390AP_GR0_F);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);

	/* F on AQIC and QCI is a specification exception */
	gr[1] = S390AP_AQIC_IR | 6;
	gr[2] = NIB_ADDR;
	do_pqap(gr0_fc(S390AP_FC_AQIC, ACC) | S390AP_GR0_F);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[2] = QCI_ADDR;
	do_pqap(gr0_fc(S390AP_FC_QCI, 0) | S390AP_GR0_F);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_t_bit_without_apft)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_APFT;
	tapq(ACC, true);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
}
END_TEST

START_TEST(test_t_bit_on_other_fc)
{
	do_pqap(gr0_fc(S390AP_FC_RAPQ, ACC) | S390AP_GR0_T);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	do_pqap(gr0_fc(S390AP_FC_ZAPQ, ACC) | S390AP_GR0_T);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[2] = QCI_ADDR;
	do_pqap(gr0_fc(S390AP_FC_QCI, 0) | S390AP_GR0_T);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

/* Without APXA, adapter ids over 63 and domain ids over 15 are a
 * specification exception for every instruction naming a queue. */
enum ids_insn { IDS_TAPQ, IDS_NQAP, IDS_DQAP };

static const struct {
	enum ids_insn insn;
	uint16_t apqn;
} ids_over_apxa_limits[] = {
	{ IDS_TAPQ, S390AP_APQN(64, 6) },    { IDS_TAPQ, S390AP_APQN(3, 16) },
	{ IDS_TAPQ, S390AP_APQN(255, 255) }, { IDS_TAPQ, ACC47 },
	{ IDS_NQAP, S390AP_APQN(64, 6) },    { IDS_DQAP, S390AP_APQN(3, 16) },
};

START_TEST(test_ids_without_apxa)
{
	uint16_t apqn = ids_over_apxa_limits[_i].apqn;

	view.facilities &= ~(uint32_t)S390AP_FAC_APXA;
	put_msg(MSG_ADDR, 16);
	switch (ids_over_apxa_limits[_i].insn) {
	case IDS_TAPQ:
		tapq(apqn, false);
		break;
	case IDS_NQAP:
		nqap(apqn, 1, MSG_ADDR, 16);
		break;
	case IDS_DQAP:
		dqap(apqn, BUF_ADDR, 64);
		break;
	}
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

/* The highest legal ids without APXA are not configured: RC 0x01. */
START_TEST(test_ids_without_apxa_highest)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_APXA;
	tapq(S390AP_APQN(63, 15), false);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_AVAIL));
}
END_TEST

START_TEST(test_ids_without_apxa_machine)
{
	use_machine_facs(S390AP_FAC_ALL &
			 ~(uint32_t)(S390AP_FAC_APXA | S390AP_FAC_APSB | S390AP_FAC_RC8A));
	tapq(S390AP_APQN(64, 0), false);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	tapq(S390AP_APQN(0, 16), false);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	tapq(S390AP_APQN(63, 15), false);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_AVAIL));
}
END_TEST

START_TEST(test_ids_with_apxa_unconfigured)
{
	tapq(S390AP_APQN(200, 6), false);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_AVAIL));
	tapq(S390AP_APQN(3, 200), false);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_AVAIL));
}
END_TEST

START_TEST(test_aqic_without_facility)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_AQIC;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert(!qinfo(ACC).irq_change_pending);
}
END_TEST

/* QCI block address misaligned by 1..7 bytes. */
START_TEST(test_qci_misaligned)
{
	memset(ram + QCI_ADDR, 0x77, 256);
	qci(QCI_ADDR + (unsigned)_i);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
	for (unsigned k = 0; k < 256; k++)
		ck_assert_uint_eq(ram[QCI_ADDR + k], 0x77);
}
END_TEST

START_TEST(test_qci_without_facility)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_QCI;
	qci(QCI_ADDR);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_qact_without_facility)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_QACT;
	gr[1] = 0x0800000000000000ull | 0x0E000000ull;
	do_pqap(gr0_fc(S390AP_FC_QACT, ACC));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_fc6_specification)
{
	gr[2] = QCI_ADDR;
	do_pqap(gr0_fc(S390AP_FC_6, 0));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[2] = QCI_ADDR + 3;
	do_pqap(gr0_fc(S390AP_FC_6, 0));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

/* Function codes PQAP does not have. */
static const unsigned fcs_not_installed[] = { 9, 42, 0x80, 0xff };

START_TEST(test_fc_not_installed)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(fcs_not_installed[_i], ACC));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
}
END_TEST

START_TEST(test_bapq_aapq_outside_se)
{
	/* default machine: no APSB */
	view.se_guest = true;
	do_pqap(gr0_fc(S390AP_FC_BAPQ, EP11));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[2] = 1;
	do_pqap(gr0_fc(S390AP_FC_AAPQ, EP11));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_bapq_aapq_not_se_guest)
{
	use_machine_facs(S390AP_FAC_ALL);
	add_adapter(5, S390AP_TYPE_CEX7, S390AP_MODE_EP11);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	view.se_guest = false;
	do_pqap(gr0_fc(S390AP_FC_BAPQ, EP11));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[2] = 1;
	do_pqap(gr0_fc(S390AP_FC_AAPQ, EP11));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_nqap_odd_registers)
{
	put_msg(MSG_ADDR, 16);
	gr[0] = ACC | S390AP_NQAP_L;
	gr[5] = 1;
	gr[6] = MSG_ADDR;
	gr[7] = 16;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, 5, 6, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_int_eq(s390ap_nqap(m, &ctx, 4, 7, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
}
END_TEST

START_TEST(test_nqap_zero_length)
{
	nqap(ACC, 1, MSG_ADDR, 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR);
	ck_assert_x64(gr[NQ_R2 + 1], 0);
}
END_TEST

/* NQAP GR0 bits 32, 34..40, 42..47. */
START_TEST(test_nqap_reserved_bit)
{
	static const unsigned bits[] = { 32, 34, 35, 36, 37, 38, 39, 40, 42, 43, 44, 45, 46, 47 };
	uint64_t bit = 1ull << (63 - bits[_i]);

	put_msg(MSG_ADDR, 16);
	nqap_raw(ACC | S390AP_NQAP_L | bit, 1, MSG_ADDR, 16);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
}
END_TEST

START_TEST(test_dqap_odd_registers)
{
	gr[0] = ACC;
	gr[2] = 0;
	gr[8] = BUF_ADDR;
	gr[9] = 64;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, 5, 8, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_int_eq(s390ap_dqap(m, &ctx, 6, 9, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	/* R1 / R2 = 15: the pair check must come before any use of R + 1
	 * (found by the register fuzz under ASan: a read past GR15) */
	ck_assert_int_eq(s390ap_dqap(m, &ctx, 6, 15, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_int_eq(s390ap_dqap(m, &ctx, 15, 8, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_int_eq(s390ap_nqap(m, &ctx, 15, 8, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_int_eq(s390ap_nqap(m, &ctx, 6, 15, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

/* R1 == R2: the PSMID pair and the operand pair would be the same
 * registers (DQAP would store the PSMID over the advanced buffer address):
 * specification exception, nothing changed (docs/ap-model.md, UNCERTAIN),
 * through the instruction calls and through s390ap_execute. */
typedef int (*pair_insn_fn)(s390ap_machine *, const s390ap_insn_ctx *, unsigned, unsigned,
			    s390ap_insn_result *);

/* The instruction call and s390ap_execute of insn both end in a
 * specification exception with every register unchanged. */
static void expect_spec_untouched(pair_insn_fn fn, uint32_t insn)
{
	uint64_t before[16];
	unsigned r1 = (insn >> 4) & 15, r2 = insn & 15;

	memcpy(before, gr, sizeof gr);
	ck_assert_int_eq(fn(m, &ctx, r1, r2, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_mem_eq(gr, before, sizeof gr);
	ck_assert_int_eq(s390ap_execute(m, &ctx, insn, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_mem_eq(gr, before, sizeof gr);
}

START_TEST(test_nqap_dqap_same_pair)
{
	put_msg(MSG_ADDR, 16);
	gr[0] = ACC | S390AP_NQAP_L;
	gr[1] = GARBAGE;
	gr[6] = MSG_ADDR;
	gr[7] = 16;
	expect_spec_untouched(s390ap_nqap, 0xB2AD0066u);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);

	/* a reply waiting: DQAP with R1 == R2 leaves it there */
	nqap(ACC, 0x1122334455667788ull, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	advance(5000);
	gr[0] = ACC;
	gr[1] = GARBAGE;
	gr[2] = 0;
	gr[8] = BUF_ADDR;
	gr[9] = 64;
	expect_spec_untouched(s390ap_dqap, 0xB2AE0088u);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	/* distinct pairs take it */
	ck_assert_int_eq(s390ap_dqap(m, &ctx, 6, 8, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[6], 0x11223344u);
	ck_assert_x64(gr[7], 0x55667788u);
}
END_TEST

START_TEST(test_dqap_zero_length)
{
	dqap(ACC, BUF_ADDR, 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
}
END_TEST

/* DQAP GR0 bits 33, 34, 35, 40, 41. */
START_TEST(test_dqap_reserved_bit)
{
	static const unsigned bits[] = { 33, 34, 35, 40, 41 };
	uint64_t bit = 1ull << (63 - bits[_i]);

	gr[2] = 0;
	dqap_raw(ACC | bit, BUF_ADDR, 64);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	ck_assert_x64(gr[1], GARBAGE);
}
END_TEST

START_TEST(test_dqap_bit32_ignored)
{
	gr[2] = 0;
	dqap_raw(ACC | S390AP_DQAP_BIT32, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));
}
END_TEST

START_TEST(test_dqap_buffer_over_max)
{
	s390ap_adapter_opts ao;

	dqap(ACC, BUF_ADDR, 12289);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	dqap(ACC, BUF_ADDR, 12288);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));

	/* an APQN without an adapter: 12 KiB */
	dqap(S390AP_APQN(0x20, 6), BUF_ADDR, 12289);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* ML 4 -> 16 KiB */
	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.ml = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	dqap(S390AP_APQN(0x10, 6), BUF_ADDR, 16384);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));
	dqap(S390AP_APQN(0x10, 6), BUF_ADDR, 16385);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_addressing_qci)
{
	qci(MEM_SIZE - 64);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	ck_assert_x64(gr[1], GARBAGE);
	qci(MEM_SIZE);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	qci(0xFFFFFFFFFFFFFFF8ull);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	qci(MEM_SIZE - 128);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
}
END_TEST

START_TEST(test_addressing_nqap)
{
	nqap(ACC, 1, MEM_SIZE - 10, 20);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	/* nullified: registers and queue unchanged */
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[NQ_R2], MEM_SIZE - 10);
	ck_assert_x64(gr[NQ_R2 + 1], 20);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

/* An addressing exception nullifies NQAP: a message being assembled under
 * another PSMID is not abandoned by the failed execution. */
START_TEST(test_addressing_nqap_keeps_partial)
{
	use_capture(3);
	put_msg(MSG_ADDR, 48);
	nqap_raw(ACC, 0xA, MSG_ADDR, 32);
	EXPECT_CC_NO_SW(1);
	nqap(ACC, 0xB, MEM_SIZE - 10, 20);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	nqap(ACC, 0xA, MSG_ADDR + 32, 16);
	EXPECT_SW(0, 0);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert_x64(cap.psmid[0], 0xA);
	ck_assert_uint_eq(cap.last_len, 48);
	ck_assert_mem_eq(cap.last, ram + MSG_ADDR, 48);
}
END_TEST

/* A DQAP that would restart a transfer (GR2 = 0) but finds its buffer
 * outside storage is nullified: the transfer in progress stays where it
 * was, and a continuation goes on from there. */
START_TEST(test_addressing_dqap_restart_keeps_transfer)
{
	use_capture(3);
	cap.reply_len = 100;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x55, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	advance(2000);
	dqap(ACC, BUF_ADDR, 40);
	EXPECT_CC_NO_SW(1);
	ck_assert_x64(gr[2], 60);
	dqap(ACC, MEM_SIZE + 0x1000, 40);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	ck_assert_x64(gr[2], 0);
	gr[2] = 60;
	dqap_cont(ACC, BUF_ADDR + 40, 100);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0);
	ck_assert_x64(gr[DQ_R2 + 1], 40);
	for (size_t k = 0; k < 100; k++)
		ck_assert_uint_eq(ram[BUF_ADDR + k], reply_byte(0x55, k));
}
END_TEST

START_TEST(test_addressing_dqap)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x77, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	advance(2000);
	dqap(ACC, MEM_SIZE - 4, 64);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	/* the reply is still there */
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(dq_psmid(), 0x77);
}
END_TEST

void tcase_pqap_exceptions(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "exceptions", setup);
	tcase_add_test(tc, test_operation_without_ap);
	tcase_add_test(tc, test_operation_machine_without_ap);
	tcase_add_test(tc, test_privileged_problem_state);
	tcase_add_test(tc, test_priority_operation_over_privileged);
	tcase_add_test(tc, test_priority_privileged_over_specification);
	tcase_add_test(tc, test_priority_specification_over_addressing);
	tcase_add_loop_test(tc, test_tapq_reserved_bit, 0, 7);
	tcase_add_test(tc, test_gr0_bits_42_47_on_rapq);
	tcase_add_test(tc, test_f_bit_rules);
	tcase_add_test(tc, test_t_bit_without_apft);
	tcase_add_test(tc, test_t_bit_on_other_fc);
	tcase_add_loop_test(tc, test_ids_without_apxa, 0, (int)ARRAY_SIZE(ids_over_apxa_limits));
	tcase_add_test(tc, test_ids_without_apxa_highest);
	tcase_add_test(tc, test_ids_without_apxa_machine);
	tcase_add_test(tc, test_ids_with_apxa_unconfigured);
	tcase_add_test(tc, test_aqic_without_facility);
	tcase_add_loop_test(tc, test_qci_misaligned, 1, 8);
	tcase_add_test(tc, test_qci_without_facility);
	tcase_add_test(tc, test_qact_without_facility);
	tcase_add_test(tc, test_fc6_specification);
	tcase_add_loop_test(tc, test_fc_not_installed, 0, (int)ARRAY_SIZE(fcs_not_installed));
	tcase_add_test(tc, test_bapq_aapq_outside_se);
	tcase_add_test(tc, test_bapq_aapq_not_se_guest);
	tcase_add_test(tc, test_nqap_odd_registers);
	tcase_add_test(tc, test_nqap_zero_length);
	tcase_add_loop_test(tc, test_nqap_reserved_bit, 0, 14);
	tcase_add_test(tc, test_dqap_odd_registers);
	tcase_add_test(tc, test_nqap_dqap_same_pair);
	tcase_add_test(tc, test_dqap_zero_length);
	tcase_add_loop_test(tc, test_dqap_reserved_bit, 0, 5);
	tcase_add_test(tc, test_dqap_bit32_ignored);
	tcase_add_test(tc, test_dqap_buffer_over_max);
	tcase_add_test(tc, test_addressing_qci);
	tcase_add_test(tc, test_addressing_nqap);
	tcase_add_test(tc, test_addressing_nqap_keeps_partial);
	tcase_add_test(tc, test_addressing_dqap);
	tcase_add_test(tc, test_addressing_dqap_restart_keeps_transfer);
}
