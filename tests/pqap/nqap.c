/* SPDX-License-Identifier: MIT */
/* pqap suite: NQAP: enqueueing requests, in one part or several. */
#include "pqap_test.h"

/* ================================================================== */
/* NQAP                                                                */
/* ================================================================== */
START_TEST(test_nqap_enqueue)
{
	struct s390ap_queue_info qi;

	put_msg(MSG_ADDR, 64);
	nqap(ACC, 0x0102030405060708ull, MSG_ADDR, 64);
	EXPECT_SW(0, 0);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR + 64);
	ck_assert_x64(gr[NQ_R2 + 1], 0);
	qi = qinfo(ACC);
	ck_assert_uint_eq(qi.requests, 1);
	ck_assert_uint_eq(qi.replies, 0);
	ck_assert_uint_eq(qi.enqueued, 1);
	tapq(ACC, false);
	EXPECT_SW(0, 0);
	advance(2000);
	tapq(ACC, false);
	EXPECT_SW(0, R);
}
END_TEST

START_TEST(test_nqap_psmid_low_words)
{
	use_capture(3);
	put_msg(MSG_ADDR, 16);
	gr[0] = ACC | S390AP_NQAP_L;
	gr[NQ_R1] = 0xFFFFFFFF11112222ull;
	gr[NQ_R1 + 1] = 0xEEEEEEEE33334444ull;
	gr[NQ_R2] = MSG_ADDR;
	gr[NQ_R2 + 1] = 16;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	EXPECT_SW(0, 0);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert_x64(cap.psmid[0], 0x1111222233334444ull);
	ck_assert_uint_eq(cap.len[0], 16);
	ck_assert(!cap.special[0]);
	ck_assert_mem_eq(cap.last, ram + MSG_ADDR, 16);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[DQ_R1], PSMID_HI_FILL | 0x11112222u);
	ck_assert_x64(gr[DQ_R1 + 1], PSMID_LO_FILL | 0x33334444u);
}
END_TEST

START_TEST(test_nqap_queue_full)
{
	put_msg(MSG_ADDR, 16);
	for (unsigned k = 0; k < 7; k++) {
		nqap(ACC, k, MSG_ADDR, 16);
		EXPECT_SW(0, 0);
	}
	nqap(ACC, 7, MSG_ADDR, 16);
	EXPECT_SW(0, F);
	nqap(ACC, 8, MSG_ADDR, 16);
	EXPECT_SW(3, F | RC(S390AP_RC_Q_FULL));
	ck_assert_uint_eq(qinfo(ACC).requests, 8);

	/* replies still occupy slots */
	advance(2000);
	tapq(ACC, false);
	EXPECT_SW(0, R | F);
	nqap(ACC, 9, MSG_ADDR, 16);
	EXPECT_SW(3, R | F | RC(S390AP_RC_Q_FULL));

	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, R);
	nqap(ACC, 10, MSG_ADDR, 16);
	EXPECT_SW(0, R | F);
}
END_TEST

START_TEST(test_nqap_cc2_partial)
{
	use_capture(3);
	put_msg(MSG_ADDR, 5000);
	nqap(ACC, 0x55, MSG_ADDR, 5000);
	EXPECT_CC_NO_SW(2);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR + 4096);
	ck_assert_x64(gr[NQ_R2 + 1], 5000 - 4096);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);

	/* re-execute with the updated registers */
	gr[1] = GARBAGE;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	EXPECT_SW(0, 0);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR + 5000);
	ck_assert_x64(gr[NQ_R2 + 1], 0);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert_uint_eq(cap.last_len, 5000);
	ck_assert_mem_eq(cap.last, ram + MSG_ADDR, 5000);
}
END_TEST

START_TEST(test_nqap_cc2_exact_multiple)
{
	put_msg(MSG_ADDR, 8192);
	nqap(ACC, 1, MSG_ADDR, 8192);
	EXPECT_CC_NO_SW(2);
	ck_assert_x64(gr[NQ_R2 + 1], 4096);
	gr[1] = GARBAGE;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	EXPECT_SW(0, 0);
}
END_TEST

START_TEST(test_nqap_unlimited_cpu_determined)
{
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.cpu_determined = UINT32_MAX;
	use_machine_acc(&o);
	put_msg(MSG_ADDR, 12288);
	nqap(ACC, 1, MSG_ADDR, 12288);
	EXPECT_SW(0, 0);
}
END_TEST

START_TEST(test_nqap_multipart)
{
	use_capture(3);
	put_msg(MSG_ADDR, 150);
	nqap_raw(ACC, 0xAB, MSG_ADDR, 100);
	EXPECT_CC_NO_SW(1);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	nqap_raw(ACC | S390AP_NQAP_L, 0xAB, MSG_ADDR + 100, 50);
	EXPECT_SW(0, 0);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert_x64(cap.psmid[0], 0xAB);
	ck_assert_uint_eq(cap.last_len, 150);
	ck_assert_mem_eq(cap.last, ram + MSG_ADDR, 150);
}
END_TEST

START_TEST(test_nqap_multipart_psmid_change)
{
	use_capture(3);
	put_msg(MSG_ADDR, 100);
	put_msg(MSG_ADDR + 0x1000, 30);
	nqap_raw(ACC, 0xA, MSG_ADDR, 100);
	EXPECT_CC_NO_SW(1);
	nqap(ACC, 0xB, MSG_ADDR + 0x1000, 30);
	EXPECT_SW(0, 0);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert_x64(cap.psmid[0], 0xB);
	ck_assert_uint_eq(cap.last_len, 30);
	ck_assert_mem_eq(cap.last, ram + MSG_ADDR + 0x1000, 30);
}
END_TEST

START_TEST(test_nqap_too_big)
{
	put_msg(MSG_ADDR, 12289);
	nqap(ACC, 1, MSG_ADDR, 12289);
	EXPECT_SW(3, E | RC(S390AP_RC_MESSAGE_TOO_BIG));
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	nqap(ACC, 1, MSG_ADDR, 12288);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 2);
}
END_TEST

START_TEST(test_nqap_multipart_too_big)
{
	put_msg(MSG_ADDR, 13000);
	nqap_raw(ACC, 0x7, MSG_ADDR, 8000);
	EXPECT_CC_NO_SW(2);
	gr[1] = GARBAGE;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	EXPECT_CC_NO_SW(1);
	nqap(ACC, 0x7, MSG_ADDR + 8000, 5000);
	EXPECT_SW(3, E | RC(S390AP_RC_MESSAGE_TOO_BIG));
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
}
END_TEST

START_TEST(test_nqap_special_without_apsc)
{
	use_machine_facs(S390AP_FAC_ALL &
			 ~(uint32_t)(S390AP_FAC_APSC | S390AP_FAC_APSB | S390AP_FAC_RC8A));
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	put_msg(MSG_ADDR, 16);
	nqap_raw(ACC | S390AP_NQAP_L | S390AP_NQAP_SPECIAL, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(S390AP_RC_REQ_FAC_NOT_INST));
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
}
END_TEST

START_TEST(test_nqap_special_with_apsc)
{
	use_capture(3);
	put_msg(MSG_ADDR, 16);
	nqap_raw(ACC | S390AP_NQAP_L | S390AP_NQAP_SPECIAL, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert(cap.special[0]);
}
END_TEST

void tcase_pqap_nqap(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "nqap", setup);
	tcase_add_test(tc, test_nqap_enqueue);
	tcase_add_test(tc, test_nqap_psmid_low_words);
	tcase_add_test(tc, test_nqap_queue_full);
	tcase_add_test(tc, test_nqap_cc2_partial);
	tcase_add_test(tc, test_nqap_cc2_exact_multiple);
	tcase_add_test(tc, test_nqap_unlimited_cpu_determined);
	tcase_add_test(tc, test_nqap_multipart);
	tcase_add_test(tc, test_nqap_multipart_psmid_change);
	tcase_add_test(tc, test_nqap_too_big);
	tcase_add_test(tc, test_nqap_multipart_too_big);
	tcase_add_test(tc, test_nqap_special_without_apsc);
	tcase_add_test(tc, test_nqap_special_with_apsc);
}
