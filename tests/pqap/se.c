/* SPDX-License-Identifier: MIT */
/* pqap suite: Secure Execution: BAPQ, AAPQ and the sticky asynchronous
 * errors. */
#include "pqap_test.h"

/* ================================================================== */
/* Secure Execution: BAPQ, AAPQ, sticky async errors                   */
/* ================================================================== */
START_TEST(test_rapq_f_unbinds)
{
	use_se_machine();
	se_unbind(EP11);
	ck_assert_uint_eq(tapq_bs(EP11), 2);
	EXPECT_SW(0, E);
	/* facility word with S, bs in bits 16-17 */
	ck_assert_x64(gr[2], (FAC_EP11_CEX7 | 2u << 14) << 32 | INFO_CEX7);
	ck_assert_uint_eq(qinfo(EP11).bs, 2);
}
END_TEST

START_TEST(test_bapq_ep11)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	EXPECT_SW(0, E);
	ck_assert_uint_eq(tapq_bs(EP11), 1);
	ck_assert_x64(gr[2], (FAC_EP11_CEX7 | 1u << 14) << 32 | INFO_CEX7);
}
END_TEST

START_TEST(test_bapq_accel)
{
	use_se_machine();
	se_unbind(ACC);
	bapq(ACC);
	EXPECT_SW(0, E);
	ck_assert_uint_eq(tapq_bs(ACC), 0);
}
END_TEST

START_TEST(test_bapq_cca_0x30)
{
	use_se_machine();
	se_unbind(CCA);
	bapq(CCA);
	EXPECT_SW(3, E | RC(S390AP_RC_Q_BIND_ERROR));
	ck_assert_uint_eq(tapq_bs(CCA), 2);
}
END_TEST

START_TEST(test_bapq_already_bound_0x30)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	EXPECT_SW(0, E);
	bapq(EP11);
	EXPECT_SW(3, E | RC(S390AP_RC_Q_BIND_ERROR));
}
END_TEST

START_TEST(test_bapq_not_empty_0x32)
{
	s390ap_view lpar;

	use_se_machine();
	se_unbind(ACC);
	/* the host (LPAR view) puts a request on the queue */
	s390ap_view_lpar(m, &lpar);
	ctx.view = &lpar;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	ctx.view = &view;
	bapq(ACC);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_EMPTY));
}
END_TEST

START_TEST(test_bapq_bound_not_empty_0x32)
{
	use_se_machine();
	se_unbind(ACC);
	bapq(ACC);
	EXPECT_SW(0, E);
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	/* docs: CCA 0x30; queue not empty 0x32; bs != 2 0x30 (first match) */
	bapq(ACC);
	EXPECT_SW(3, RC(S390AP_RC_Q_NOT_EMPTY));
}
END_TEST

START_TEST(test_nqap_se_unbound_0x0b)
{
	use_se_machine();
	se_unbind(ACC);
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(S390AP_RC_Q_NOT_BOUND));
	bapq(ACC);
	EXPECT_SW(0, E);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
}
END_TEST

START_TEST(test_aapq_index_too_big_0x34)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	aapq(EP11, 0x10000);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ASSOC_SECRET));
	aapq(EP11, 0xFFFF);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_aapq_unbound_0x0b)
{
	use_se_machine();
	se_unbind(EP11);
	aapq(EP11, 1);
	EXPECT_SW(3, E | RC(S390AP_RC_Q_NOT_BOUND));
}
END_TEST

START_TEST(test_aapq_not_ep11_0x31)
{
	use_se_machine();
	se_unbind(ACC);
	bapq(ACC);
	aapq(ACC, 1);
	EXPECT_SW(3, E | RC(S390AP_RC_Q_NOT_AVAIL_FOR_ASSOC));
}
END_TEST

START_TEST(test_aapq_sequence_0x0a)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	aapq(EP11, 7);
	EXPECT_SW(0, E);
	aapq(EP11, 7);
	EXPECT_SW(3, E | RC(S390AP_RC_STATE_CHANGE_IN_PROGRESS));
	ck_assert_uint_eq(tapq_bs(EP11), 1);
	advance(S390AP_DEFAULT_ASSOC_CYCLES - 1);
	ck_assert_uint_eq(tapq_bs(EP11), 1);
	advance(1);
	ck_assert_uint_eq(tapq_bs(EP11), 0);
	EXPECT_SW(0, E);
	/* associated (bs 0): another AAPQ is 0x31 */
	aapq(EP11, 7);
	EXPECT_SW(3, E | RC(S390AP_RC_Q_NOT_AVAIL_FOR_ASSOC));
}
END_TEST

static void check_sticky(uint8_t code)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	ck_assert_int_eq(s390ap_queue_fail_assoc(m, EP11, code), 0);
	aapq(EP11, 3);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_ASSOC_CYCLES);
	tapq(EP11, true);
	EXPECT_SW(3, E | A | RC(code));
	/* GR2 valid with the A bit */
	ck_assert_x64(gr[2] & 0xFFFFFFFFull, INFO_CEX7);
	ck_assert_uint_eq(qinfo(EP11).async_rc, code);

	put_msg(MSG_ADDR, 16);
	nqap(EP11, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | A | RC(code));
	dqap(EP11, BUF_ADDR, 64);
	EXPECT_SW(3, E | A | RC(code));
	aqic(EP11, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | A | RC(code));
	tapq(EP11, false);
	EXPECT_SW(3, E | A | RC(code));

	/* RAPQ clears it */
	rapq(EP11);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	tapq(EP11, false);
	EXPECT_SW(0, E);
	ck_assert_uint_eq(qinfo(EP11).async_rc, 0);
}

START_TEST(test_sticky_0x35)
{
	check_sticky(S390AP_RC_ASSOC_SECRET_NOT_UNIQUE);
}
END_TEST

START_TEST(test_sticky_0x36)
{
	check_sticky(S390AP_RC_ASSOC_FAILED);
}
END_TEST

START_TEST(test_sticky_cleared_by_zapq)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	ck_assert_int_eq(s390ap_queue_fail_assoc(m, EP11, S390AP_RC_ASSOC_FAILED), 0);
	aapq(EP11, 3);
	advance(S390AP_DEFAULT_ASSOC_CYCLES);
	zapq(EP11);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	tapq(EP11, false);
	EXPECT_SW(0, E);
}
END_TEST

void tcase_pqap_se(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "se", setup);
	tcase_add_test(tc, test_rapq_f_unbinds);
	tcase_add_test(tc, test_bapq_ep11);
	tcase_add_test(tc, test_bapq_accel);
	tcase_add_test(tc, test_bapq_cca_0x30);
	tcase_add_test(tc, test_bapq_already_bound_0x30);
	tcase_add_test(tc, test_bapq_not_empty_0x32);
	tcase_add_test(tc, test_bapq_bound_not_empty_0x32);
	tcase_add_test(tc, test_nqap_se_unbound_0x0b);
	tcase_add_test(tc, test_aapq_index_too_big_0x34);
	tcase_add_test(tc, test_aapq_unbound_0x0b);
	tcase_add_test(tc, test_aapq_not_ep11_0x31);
	tcase_add_test(tc, test_aapq_sequence_0x0a);
	tcase_add_test(tc, test_sticky_0x35);
	tcase_add_test(tc, test_sticky_0x36);
	tcase_add_test(tc, test_sticky_cleared_by_zapq);
}
