/* SPDX-License-Identifier: MIT */
/* pqap suite: TAPQ and the status word, QACT, and the resets RAPQ and
 * ZAPQ. */
#include "pqap_test.h"

/* ================================================================== */
/* TAPQ and the status word                                            */
/* ================================================================== */
START_TEST(test_tapq_t0_images)
{
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
	tapq(CCA, false);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
	tapq(EP11, false);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX7);
	tapq(ACC47, false);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
}
END_TEST

START_TEST(test_tapq_t0_zeroes_fac_half)
{
	gr[1] = GARBAGE;
	gr[2] = 0xFFFFFFFFFFFFFFFFull;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, ACC));
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
}
END_TEST

START_TEST(test_tapq_t1_images)
{
	tapq(ACC, true);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], FAC_ACC_CEX8 << 32 | INFO_CEX8);
	tapq(CCA, true);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], FAC_CCA_CEX8 << 32 | INFO_CEX8);
	tapq(EP11, true);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], FAC_EP11_CEX7 << 32 | INFO_CEX7);
}
END_TEST

START_TEST(test_tapq_custom_adapter_image)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX5;
	ao.mode = S390AP_MODE_CCA;
	ao.domains = 16;
	ao.ml = 5;
	ao.depth = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x21, &ao), 0);
	tapq(S390AP_APQN(0x21, 7), true);
	EXPECT_SW(0, E);
	/* CEX5 CCA: S D N F (no H); type 11, nd 15, ml 5, qd 3 */
	ck_assert_x64(gr[2], 0x92800000ull << 32 | 0x0B0F0503ull);
}
END_TEST

START_TEST(test_tapq_gr1_upper_half_zeroed)
{
	gr[1] = 0xFFFFFFFFFFFFFFFFull;
	gr[2] = 0;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, ACC));
	EXPECT_SW(0, E);
	ck_assert_x64(gr[1] >> 32, 0);
}
END_TEST

START_TEST(test_gr0_upper_half_ignored)
{
	gr[1] = GARBAGE;
	gr[2] = 0;
	do_pqap(0xFFFFFFFF00000000ull | gr0_fc(S390AP_FC_TAPQ, ACC));
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
}
END_TEST

START_TEST(test_pqap_r_fields_ignored)
{
	gr[0] = gr0_fc(S390AP_FC_TAPQ, ACC);
	gr[1] = GARBAGE;
	gr[2] = 0;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AF00FFu, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
}
END_TEST

/* Each row puts the machine in one state in which the queue is not
 * available to TAPQ and names that queue. */
static uint16_t rc01_no_adapter(void)
{
	return S390AP_APQN(0x02, 6);
}

/* Control-only domain 0 is not a usage domain. */
static uint16_t rc01_control_domain(void)
{
	return S390AP_APQN(0x03, 0);
}

/* An APQI at or over the adapter's number of domains. */
static uint16_t rc01_domain_over_adapter(void)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.domains = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	return S390AP_APQN(0x10, 6);
}

/* The view's masks hold adapter 3 and domain 6 only: ACC is still there. */
static void rc01_masks(void)
{
	static const uint8_t apm[32] = { 0x10 }, aqm[32] = { 0x02 };

	view.apm = apm;
	view.aqm = aqm;
	tapq(ACC, false);
	EXPECT_SW(0, E);
}

static uint16_t rc01_adapter_outside_view(void)
{
	rc01_masks();
	return CCA;
}

static uint16_t rc01_domain_outside_view(void)
{
	rc01_masks();
	return S390AP_APQN(0x03, 0x07);
}

static uint16_t (*const rc01_cases[])(void) = {
	rc01_no_adapter,           rc01_control_domain,      rc01_domain_over_adapter,
	rc01_adapter_outside_view, rc01_domain_outside_view,
};

START_TEST(test_rc01_not_available)
{
	uint16_t apqn = rc01_cases[_i]();

	gr[1] = GARBAGE;
	gr[2] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, apqn));
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_AVAIL));
	ck_assert_x64(gr[2], GARBAGE); /* GR2 left unchanged for RC 01 */
}
END_TEST

START_TEST(test_rc11_index_too_big)
{
	s390ap_adapter_opts ao;
	const uint16_t q = S390AP_APQN(0x10, 6);

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.domains = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	put_msg(MSG_ADDR, 16);
	nqap(q, 1, MSG_ADDR, 16);
	EXPECT_SW(3, RC(S390AP_RC_INDEX_TOO_BIG));
	dqap(q, BUF_ADDR, 64);
	EXPECT_SW(3, RC(S390AP_RC_INDEX_TOO_BIG));
	/* an apqi below the adapter's domains but not in the AQM: 0x01 */
	nqap(S390AP_APQN(0x10, 2), 1, MSG_ADDR, 16);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_AVAIL));
}
END_TEST

START_TEST(test_cc_zero_iff_rc_zero)
{
	tapq(ACC, false);
	ck_assert_uint_eq(res.rc, 0);
	ck_assert_uint_eq(res.cc, 0);
	tapq(S390AP_APQN(0x30, 6), false);
	ck_assert_uint_ne(res.rc, 0);
	ck_assert_uint_eq(res.cc, 3);
	rapq(ACC);
	ck_assert_uint_eq(res.cc, 0);
	tapq(ACC, false);
	ck_assert_uint_eq(res.rc, S390AP_RC_RESET_IN_PROGRESS);
	ck_assert_uint_eq(res.cc, 3);
}
END_TEST

START_TEST(test_null_view_is_whole_machine)
{
	ctx.view = NULL;
	tapq(ACC47, true);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], FAC_ACC_CEX8 << 32 | INFO_CEX8);
}
END_TEST

/* ================================================================== */
/* QACT                                                                */
/* ================================================================== */
START_TEST(test_qact_answers)
{
	/* ask for CEX9-ish (15) in accelerator mode on the CEX8 accel */
	gr[1] = 0x0800000000000000ull | 0x0F000000ull;
	gr[2] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_QACT, ACC));
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0x0800000000000000ull | 0x0E000000ull);

	/* a lower cat is kept; mode bits are the adapter's */
	gr[1] = 0x1000000000000000ull | 0x0C000000ull;
	gr[2] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_QACT, EP11));
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0x0400000000000000ull | 0x0C000000ull);

	/* if-bit accepted */
	gr[1] = 0x1000000000000000ull | 0x0E000000ull;
	gr[2] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_QACT, CCA) | S390AP_GR0_F);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0x1000000000000000ull | 0x0E000000ull);
}
END_TEST

/* cat = min(requested cat, adapter type): a requested 0 stays 0. */
START_TEST(test_qact_cat_zero)
{
	gr[1] = 0x0800000000000000ull;
	gr[2] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_QACT, ACC));
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0x0800000000000000ull);
}
END_TEST

/* ================================================================== */
/* Reset                                                               */
/* ================================================================== */
START_TEST(test_rapq_sequence)
{
	rapq(ACC);
	EXPECT_SW(0, E);
	tapq(ACC, false);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	ck_assert_x64(gr[2], INFO_CEX8); /* GR2 valid for RC 02 */
	advance(S390AP_DEFAULT_RESET_CYCLES - 1);
	tapq(ACC, false);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], INFO_CEX8);
	ck_assert_uint_eq(qinfo(ACC).resets, 1);
}
END_TEST

START_TEST(test_zapq_sequence_clears_irq)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);

	zapq(ACC);
	EXPECT_SW(0, E);
	tapq(ACC, false);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	advance(S390AP_DEFAULT_RESET_CYCLES);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert(!qinfo(ACC).irq_enabled);
}
END_TEST

START_TEST(test_reset_cancels_irq_change)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	rapq(ACC);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert(!qinfo(ACC).irq_change_pending);
}
END_TEST

START_TEST(test_rapq_during_reset)
{
	rapq(ACC);
	EXPECT_SW(0, E);
	advance(1000);
	rapq(ACC);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	zapq(ACC);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	advance(1000);
	/* not restarted: done 2000 cycles after the first RAPQ */
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_reset_in_progress_nqap_dqap_aqic)
{
	rapq(ACC);
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(S390AP_RC_RESET_IN_PROGRESS));
}
END_TEST

START_TEST(test_rapq_discards_work)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	advance(2000);
	nqap(ACC, 2, MSG_ADDR, 16);
	EXPECT_SW(0, R);
	tapq(ACC, false);
	EXPECT_SW(0, R);
	rapq(ACC);
	EXPECT_SW(0, E);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	advance(S390AP_DEFAULT_RESET_CYCLES + 20000);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));
}
END_TEST

void tcase_pqap_tapq(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "tapq", setup);
	tcase_add_test(tc, test_tapq_t0_images);
	tcase_add_test(tc, test_tapq_t0_zeroes_fac_half);
	tcase_add_test(tc, test_tapq_t1_images);
	tcase_add_test(tc, test_tapq_custom_adapter_image);
	tcase_add_test(tc, test_tapq_gr1_upper_half_zeroed);
	tcase_add_test(tc, test_gr0_upper_half_ignored);
	tcase_add_test(tc, test_pqap_r_fields_ignored);
	tcase_add_loop_test(tc, test_rc01_not_available, 0, (int)ARRAY_SIZE(rc01_cases));
	tcase_add_test(tc, test_rc11_index_too_big);
	tcase_add_test(tc, test_cc_zero_iff_rc_zero);
	tcase_add_test(tc, test_null_view_is_whole_machine);

	tc = fixture_tcase(s, "qact", setup);
	tcase_add_test(tc, test_qact_answers);
	tcase_add_test(tc, test_qact_cat_zero);

	tc = fixture_tcase(s, "reset", setup);
	tcase_add_test(tc, test_rapq_sequence);
	tcase_add_test(tc, test_zapq_sequence_clears_irq);
	tcase_add_test(tc, test_reset_cancels_irq_change);
	tcase_add_test(tc, test_rapq_during_reset);
	tcase_add_test(tc, test_reset_in_progress_nqap_dqap_aqic);
	tcase_add_test(tc, test_rapq_discards_work);
}
