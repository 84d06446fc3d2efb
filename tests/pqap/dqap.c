/* SPDX-License-Identifier: MIT */
/* pqap suite: DQAP: dequeueing replies, in one part or several. */
#include "pqap_test.h"

/* ================================================================== */
/* DQAP                                                                */
/* ================================================================== */
START_TEST(test_dqap_empty)
{
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));
	ck_assert_x64(gr[DQ_R2], BUF_ADDR);
	ck_assert_x64(gr[DQ_R2 + 1], 64);
}
END_TEST

START_TEST(test_dqap_request_in_process)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, RC(S390AP_RC_NO_PENDING_REPLY));
	advance(1999);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, RC(S390AP_RC_NO_PENDING_REPLY));
	advance(1);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_dqap_complete_reply)
{
	uint8_t exp[S390AP_ERROR_REPLY_LEN];

	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x0000000100000002ull, MSG_ADDR, 16);
	advance(2000);
	memset(ram + BUF_ADDR, 0xCC, 64);
	gr[2] = 0;
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0);
	ck_assert_x64(gr[DQ_R1], PSMID_HI_FILL | 1);
	ck_assert_x64(gr[DQ_R1 + 1], PSMID_LO_FILL | 2);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR + 8);
	ck_assert_x64(gr[DQ_R2 + 1], 64 - 8);
	/* default (crypto) engine: type 82, reserved field not zero (0x24):
	 * put_msg fills byte 4 (docs/engines.md) */
	ck_assert_int_eq(s390ap_error_reply(exp, sizeof exp, 0x82, S390AP_REPLY_RESERVED_FIELD), 0);
	ck_assert_mem_eq(ram + BUF_ADDR, exp, 8);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], 0x82);
	ck_assert_uint_eq(ram[BUF_ADDR + 4], 0x24);
	ck_assert_uint_eq(ram[BUF_ADDR + 8], 0xCC);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert_uint_eq(qinfo(ACC).dequeued, 1);
}
END_TEST

START_TEST(test_dqap_status_after_removal)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	nqap(ACC, 2, MSG_ADDR, 16);
	nqap(ACC, 3, MSG_ADDR, 16);
	advance(2000);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, R);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, R);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));
}
END_TEST

START_TEST(test_dqap_small_buffer)
{
	uint8_t exp[8];

	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x99, MSG_ADDR, 16);
	advance(2000);
	ck_assert_int_eq(s390ap_error_reply(exp, sizeof exp, 0x82, S390AP_REPLY_RESERVED_FIELD), 0);

	dqap(ACC, BUF_ADDR, 5);
	EXPECT_CC_NO_SW(1);
	ck_assert_x64(gr[2], 3);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR + 5);
	ck_assert_x64(gr[DQ_R2 + 1], 0);
	ck_assert_x64(dq_psmid(), 0x99);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	tapq(ACC, false);
	EXPECT_SW(0, R);

	/* continue into a new buffer with the residual in GR2 */
	gr[2] = 3;
	dqap_cont(ACC, BUF2_ADDR, 100);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0);
	ck_assert_x64(gr[DQ_R2], BUF2_ADDR + 3);
	ck_assert_x64(gr[DQ_R2 + 1], 97);
	ck_assert_x64(dq_psmid(), 0x99);
	ck_assert_mem_eq(ram + BUF_ADDR, exp, 5);
	ck_assert_mem_eq(ram + BUF2_ADDR, exp + 5, 3);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
}
END_TEST

START_TEST(test_dqap_restart)
{
	uint8_t exp[8];

	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x42, MSG_ADDR, 16);
	advance(2000);
	dqap(ACC, BUF_ADDR, 3);
	EXPECT_CC_NO_SW(1);
	ck_assert_x64(gr[2], 5);
	/* GR2 = 0 restarts the transfer from the first byte */
	dqap(ACC, BUF2_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[DQ_R2 + 1], 56);
	ck_assert_int_eq(s390ap_error_reply(exp, sizeof exp, 0x82, S390AP_REPLY_RESERVED_FIELD), 0);
	ck_assert_mem_eq(ram + BUF2_ADDR, exp, 8);
}
END_TEST

START_TEST(test_dqap_no_first_part)
{
	gr[2] = 5;
	dqap_cont(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_FIRST_PART));

	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	advance(2000);
	gr[2] = 5;
	dqap_cont(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, R | RC(S390AP_RC_NO_FIRST_PART));
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
}
END_TEST

START_TEST(test_dqap_cc2_partial)
{
	use_capture(3);
	cap.reply_len = 9000;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0xC2, MSG_ADDR, 16);
	advance(2000);
	memset(ram + BUF_ADDR, 0, 12288);

	dqap(ACC, BUF_ADDR, 12288);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 2);
	ck_assert_x64(gr[2], 9000 - 4096);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR + 4096);
	ck_assert_x64(gr[DQ_R2 + 1], 12288 - 4096);
	ck_assert_x64(dq_psmid(), 0xC2);

	gr[0] = ACC;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 2);
	ck_assert_x64(gr[2], 9000 - 8192);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR + 8192);

	gr[1] = GARBAGE;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], 0);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR + 9000);
	ck_assert_x64(gr[DQ_R2 + 1], 12288 - 9000);
	for (size_t k = 0; k < 9000; k++)
		ck_assert_uint_eq(ram[BUF_ADDR + k], reply_byte(0xC2, k));
	ck_assert_uint_eq(ram[BUF_ADDR + 9000], 0);
}
END_TEST

START_TEST(test_replies_matched_by_psmid)
{
	static const uint64_t ids[3] = { 0x0000AAAA00000BB8ull,   /* 3000 */
					 0x0000BBBB000003E8ull,   /* 1000 */
					 0x0000CCCC000007D0ull }; /* 2000 */

	use_capture(3);
	cap.latency_from_psmid = true;
	put_msg(MSG_ADDR, 16);
	for (unsigned k = 0; k < 3; k++) {
		nqap(ACC, ids[k], MSG_ADDR, 16);
		EXPECT_SW(0, 0);
	}
	ck_assert_int_eq(s390ap_machine_run_until(m, 1000), 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, 0);
	ck_assert_x64(gr[DQ_R1], PSMID_HI_FILL | 0x0000BBBBu);
	ck_assert_x64(gr[DQ_R1 + 1], PSMID_LO_FILL | 0x000003E8u);
	for (size_t k = 0; k < 8; k++)
		ck_assert_uint_eq(ram[BUF_ADDR + k], reply_byte(ids[1], k));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, RC(S390AP_RC_NO_PENDING_REPLY));

	ck_assert_int_eq(s390ap_machine_run_until(m, 2000), 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, 0);
	ck_assert_x64(dq_psmid(), ids[2]);

	ck_assert_int_eq(s390ap_machine_run_until(m, 3000), 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(dq_psmid(), ids[0]);
	for (size_t k = 0; k < 8; k++)
		ck_assert_uint_eq(ram[BUF_ADDR + k], reply_byte(ids[0], k));
}
END_TEST

START_TEST(test_dqap_fifo_same_cycle)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x10, MSG_ADDR, 16);
	nqap(ACC, 0x20, MSG_ADDR, 16);
	nqap(ACC, 0x30, MSG_ADDR, 16);
	advance(2000);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(dq_psmid(), 0x10);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(dq_psmid(), 0x20);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(dq_psmid(), 0x30);
}
END_TEST

void tcase_pqap_dqap(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "dqap", setup);
	tcase_add_test(tc, test_dqap_empty);
	tcase_add_test(tc, test_dqap_request_in_process);
	tcase_add_test(tc, test_dqap_complete_reply);
	tcase_add_test(tc, test_dqap_status_after_removal);
	tcase_add_test(tc, test_dqap_small_buffer);
	tcase_add_test(tc, test_dqap_restart);
	tcase_add_test(tc, test_dqap_no_first_part);
	tcase_add_test(tc, test_dqap_cc2_partial);
	tcase_add_test(tc, test_replies_matched_by_psmid);
	tcase_add_test(tc, test_dqap_fifo_same_cycle);
}
