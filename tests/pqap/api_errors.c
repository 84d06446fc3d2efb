/* SPDX-License-Identifier: MIT */
/* pqap suite: mistakes of the caller, not of the guest.  A context without
 * registers, and an instruction that reaches its storage operand through a
 * context without usable storage, return S390AP_EINVAL with a message and
 * leave the guest's state (registers, queues, counters) as it was. */
#include "pqap_test.h"

/* Put a known message in the machine's buffer, so a test sees whether the
 * next call wrote one. */
static void errmsg_mark(void)
{
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0x12345678u, &res), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(m), "not an AP instruction"));
}

static void expect_errmsg(const char *part)
{
	const char *msg = s390ap_machine_errmsg(m);

	ck_assert_msg(strstr(msg, part) != NULL, "message \"%s\" lacks \"%s\"", msg, part);
}

START_TEST(test_api_null_registers)
{
	ctx.gr = NULL;
	errmsg_mark();
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AF0000u, &res), S390AP_EINVAL);
	expect_errmsg("no general registers");
	errmsg_mark();
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), S390AP_EINVAL);
	expect_errmsg("no general registers");
	errmsg_mark();
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), S390AP_EINVAL);
	expect_errmsg("no general registers");
	errmsg_mark();
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), S390AP_EINVAL);
	expect_errmsg("no general registers");
	ctx.gr = gr;
}
END_TEST

/* No storage at all, and a storage with no usable callbacks (a read
 * without a write, which the library never calls). */
static int never_read(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	(void)addr;
	(void)dst;
	(void)len;
	ck_abort_msg("a storage without write was read");
	return -1;
}

static const s390ap_storage half = { S390AP_SIZED(s390ap_storage), .read = never_read };

static void no_storage(int i)
{
	ctx.storage = i == 0 ? NULL : &half;
	ctx.amode = i == 2 ? 31 : 64; /* 31: the path that splits wrapping accesses */
}

START_TEST(test_api_qci_no_storage)
{
	uint64_t pgms = s390ap_machine_pgm_count(m, S390AP_PGM_ADDRESSING);

	no_storage(_i);
	gr[0] = gr0_fc(S390AP_FC_QCI, 0);
	gr[1] = GARBAGE;
	gr[2] = QCI_ADDR;
	errmsg_mark();
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), S390AP_EINVAL);
	expect_errmsg("QCI: no storage");
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[2], QCI_ADDR);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, S390AP_PGM_ADDRESSING), pgms);

	/* the checks before the store still win: a misaligned block is the
	 * guest's specification exception */
	gr[2] = QCI_ADDR + 4;
	do_pqap(gr0_fc(S390AP_FC_QCI, 0));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* functions that reach no storage need none */
	tapq(ACC, false);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
}
END_TEST

START_TEST(test_api_nqap_no_storage)
{
	uint64_t pgms = s390ap_machine_pgm_count(m, S390AP_PGM_ADDRESSING);

	put_msg(MSG_ADDR, 32);
	no_storage(_i);
	gr[0] = ACC | S390AP_NQAP_L;
	gr[1] = GARBAGE;
	gr[NQ_R1] = 0x1234;
	gr[NQ_R1 + 1] = 0x5678;
	gr[NQ_R2] = MSG_ADDR;
	gr[NQ_R2 + 1] = 32;
	errmsg_mark();
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), S390AP_EINVAL);
	expect_errmsg("NQAP: no storage");
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR);
	ck_assert_x64(gr[NQ_R2 + 1], 32);
	ck_assert_uint_eq(qinfo(ACC).enqueued, 0);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, S390AP_PGM_ADDRESSING), pgms);

	/* a response code before the access still answers the guest */
	gr[0] = S390AP_APQN(0x03, 0x99) | S390AP_NQAP_L;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	ck_assert_uint_eq(res.cc, 3);

	/* with storage again the same request goes in */
	ctx.storage = &st;
	ctx.amode = 64;
	nqap(ACC, 0x123400005678ull, MSG_ADDR, 32);
	EXPECT_SW(0, 0);
	ck_assert_uint_eq(qinfo(ACC).enqueued, 1);
}
END_TEST

START_TEST(test_api_dqap_no_storage)
{
	uint64_t pgms = s390ap_machine_pgm_count(m, S390AP_PGM_ADDRESSING);

	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x1122334455667788ull, MSG_ADDR, 16);
	advance(2000);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);

	no_storage(_i);
	gr[0] = ACC;
	gr[1] = GARBAGE;
	gr[2] = 0;
	gr[DQ_R1] = PSMID_HI_FILL;
	gr[DQ_R1 + 1] = PSMID_LO_FILL;
	gr[DQ_R2] = BUF_ADDR;
	gr[DQ_R2 + 1] = 100;
	errmsg_mark();
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), S390AP_EINVAL);
	expect_errmsg("DQAP: no storage");
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[DQ_R1], PSMID_HI_FILL);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, S390AP_PGM_ADDRESSING), pgms);

	/* the reply is still there for a context with storage */
	ctx.storage = &st;
	ctx.amode = 64;
	dqap(ACC, BUF_ADDR, 100);
	EXPECT_SW(0, E);
	ck_assert_x64(dq_psmid(), 0x1122334455667788ull);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
}
END_TEST

void tcase_pqap_api_errors(Suite *s)
{
	TCase *tc = fixture_tcase(s, "api_errors", setup);

	tcase_add_test(tc, test_api_null_registers);
	tcase_add_loop_test(tc, test_api_qci_no_storage, 0, 3);
	tcase_add_loop_test(tc, test_api_nqap_no_storage, 0, 3);
	tcase_add_loop_test(tc, test_api_dqap_no_storage, 0, 3);
}
