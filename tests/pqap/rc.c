/* SPDX-License-Identifier: MIT */
/* pqap suite: response codes: faults seen through the instructions, the
 * domain inside a CCA request (0x42), and response codes against operands
 * outside storage. */
#include "pqap_test.h"

/* ================================================================== */
/* Faults seen through instructions                                    */
/* ================================================================== */
START_TEST(test_rc04_checkstopped)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, true), 0);
	tapq(ACC, true);
	EXPECT_SW(3, E | RC(S390AP_RC_CHECKSTOPPED));
	ck_assert_x64(gr[2], FAC_ACC_CEX8 << 32 | INFO_CEX8);
	nqap(ACC, 2, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(S390AP_RC_CHECKSTOPPED));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_CHECKSTOPPED));
	rapq(ACC);
	EXPECT_SW(3, E | RC(S390AP_RC_CHECKSTOPPED));
	/* other adapters unaffected */
	tapq(CCA, false);
	EXPECT_SW(0, E);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, false), 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_rc03_deconfigured)
{
	ck_assert_int_eq(s390ap_adapter_configure(m, 4, false), 0);
	tapq(CCA, false);
	EXPECT_SW(3, E | RC(S390AP_RC_DECONFIGURED));
	ck_assert_x64(gr[2], INFO_CEX8);
	put_msg(MSG_ADDR, 16);
	nqap(CCA, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(S390AP_RC_DECONFIGURED));
	aqic(CCA, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(S390AP_RC_DECONFIGURED));
	ck_assert_int_eq(s390ap_adapter_configure(m, 4, true), 0);
	tapq(CCA, false);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_rc05_busy_dqap_works)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x5, MSG_ADDR, 16);
	advance(2000);
	ck_assert_int_eq(s390ap_queue_busy(m, ACC, 1000), 0);
	tapq(ACC, false);
	EXPECT_SW(3, R | RC(S390AP_RC_BUSY));
	ck_assert_x64(gr[2], INFO_CEX8);
	nqap(ACC, 0x6, MSG_ADDR, 16);
	EXPECT_SW(3, R | RC(S390AP_RC_BUSY));
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, R | RC(S390AP_RC_BUSY));
	rapq(ACC);
	EXPECT_SW(3, R | RC(S390AP_RC_BUSY));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(dq_psmid(), 0x5);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(S390AP_RC_NO_PENDING_REPLY));
	advance(1000);
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

/* ------------------------------------------------------------------ */
/* RC 0x42: the domain inside a CCA request                            */
/* ------------------------------------------------------------------ */
#define CCA_MSG_LEN (0x58 + 0xDC + 4)

/* A type 6 "CA" request with its CPRBX domain (message offset 0x102). */
static void put_cca(uint64_t addr, uint16_t domain)
{
	uint8_t *p = ram + addr;

	memset(p, 0, CCA_MSG_LEN);
	p[1] = 0x06;
	p[0x13] = 0x58; /* offset1: the CPRBX */
	p[0x20] = 'C';
	p[0x21] = 'A';
	p[0x58] = 0x00; /* cprb_len 0xDC */
	p[0x59] = 0xDC;
	p[0x5A] = 0x02; /* cprb_ver_id */
	p[0x102] = (uint8_t)(domain >> 8);
	p[0x103] = (uint8_t)domain;
}

START_TEST(test_cca_domain_own_and_control)
{
	/* default machine: usage 6, 7, 0x47; control 0, 6, 7, 0x47 */
	put_cca(MSG_ADDR, 0x0006);
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	put_cca(MSG_ADDR, 0x0000); /* a control domain of the LPAR */
	nqap(CCA, 2, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	ck_assert_uint_eq(qinfo(CCA).requests, 2);
}
END_TEST

START_TEST(test_cca_domain_invalid_0x42)
{
	put_cca(MSG_ADDR, 0x0005); /* neither the queue's nor a control domain */
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_DOMAIN));
	/* refused whole: nothing enqueued, registers not advanced */
	ck_assert_uint_eq(qinfo(CCA).requests, 0);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR);
	ck_assert_x64(gr[NQ_R2 + 1], CCA_MSG_LEN);
	put_cca(MSG_ADDR, 0xFFFF); /* autoselect never reaches the card */
	nqap(CCA, 2, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_DOMAIN));
	ck_assert_uint_eq(s390ap_machine_rc_count(m, S390AP_RC_INVALID_DOMAIN), 2);
}
END_TEST

START_TEST(test_cca_domain_view_adm)
{
	uint8_t adm[32] = { 0 };

	adm[0] = 0x02; /* the guest controls domain 6 only */
	view.adm = adm;
	put_cca(MSG_ADDR, 0x0007); /* a control domain of the machine, not the guest */
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_DOMAIN));
	put_cca(MSG_ADDR, 0x0006);
	nqap(S390AP_APQN(0x04, 0x47), 2, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	view.adm = NULL;
}
END_TEST

START_TEST(test_cca_domain_multipart_and_other_modes)
{
	/* the check sees the assembled message: domain in the first part */
	put_cca(MSG_ADDR, 0x0005);
	nqap_raw(CCA, 1, MSG_ADDR, 0x110);
	ck_assert_uint_eq(res.cc, 1);
	nqap_raw(CCA | S390AP_NQAP_L, 1, MSG_ADDR + 0x110, CCA_MSG_LEN - 0x110);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_DOMAIN));
	ck_assert(!qinfo(CCA).requests);
	/* accelerator and EP11 queues leave the message to their engine */
	put_cca(MSG_ADDR, 0x0005);
	nqap(ACC, 3, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	nqap(EP11, 4, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
}
END_TEST

/* ================================================================== */
/* Response codes against operands outside storage                    */
/* ================================================================== */
/* An access exception is recognized only for storage the instruction
 * accesses.  NQAP reads its message and DQAP stores its reply only after
 * every response code that can stop them was checked, and AQIC's NIB is no
 * operand at all, so each of these RCs wins over an operand outside storage.
 * Every case runs twice, operand outside storage then inside: both must
 * give the same RC and status word, and nothing may change in between. */
#define OUTSIDE (MEM_SIZE + 0x1000u)

enum stop {
	STOP_NOT_AVAIL, /* no adapter */
	STOP_INDEX,     /* domain configured, adapter does not implement it */
	STOP_CHECKSTOP,
	STOP_DECONFIG,
	STOP_ASYNC, /* sticky 0x36 */
	STOP_BUSY,
	STOP_RESET,
	STOP_NOT_BOUND, /* SE guest, bs 2 */
	STOP_FULL,      /* 8 requests in process */
	STOP_TOO_BIG,   /* NQAP 12289 bytes */
	STOP_SPECIAL,   /* special command without APSC */
	STOP_NO_FIRST,  /* DQAP GR2 != 0 without a transfer */
	STOP_EMPTY,     /* nothing queued */
	STOP_ENABLED,   /* AQIC enable while enabled */
	STOP_N
};

/* Expected RC per instruction; RC_NA: the case does not apply. */
#define RC_NA 0xff

static const struct {
	uint8_t nqap, dqap, aqic;
} stop_rc[STOP_N] = {
	[STOP_NOT_AVAIL] = { S390AP_RC_Q_NOT_AVAIL, S390AP_RC_Q_NOT_AVAIL, S390AP_RC_Q_NOT_AVAIL },
	[STOP_INDEX] = { S390AP_RC_INDEX_TOO_BIG, S390AP_RC_INDEX_TOO_BIG, S390AP_RC_Q_NOT_AVAIL },
	[STOP_CHECKSTOP] = { S390AP_RC_CHECKSTOPPED, S390AP_RC_CHECKSTOPPED,
			     S390AP_RC_CHECKSTOPPED },
	[STOP_DECONFIG] = { S390AP_RC_DECONFIGURED, S390AP_RC_DECONFIGURED,
			    S390AP_RC_DECONFIGURED },
	[STOP_ASYNC] = { S390AP_RC_ASSOC_FAILED, S390AP_RC_ASSOC_FAILED, S390AP_RC_ASSOC_FAILED },
	/* DQAP ignores busy: no reply */
	[STOP_BUSY] = { S390AP_RC_BUSY, S390AP_RC_NO_PENDING_REPLY, S390AP_RC_BUSY },
	[STOP_RESET] = { S390AP_RC_RESET_IN_PROGRESS, S390AP_RC_RESET_IN_PROGRESS,
			 S390AP_RC_RESET_IN_PROGRESS },
	/* AQIC: only its own 0x06 */
	[STOP_NOT_BOUND] = { S390AP_RC_Q_NOT_BOUND, S390AP_RC_Q_NOT_BOUND,
			     S390AP_RC_INVALID_ADDRESS },
	[STOP_FULL] = { S390AP_RC_Q_FULL, S390AP_RC_NO_PENDING_REPLY, S390AP_RC_INVALID_ADDRESS },
	[STOP_TOO_BIG] = { S390AP_RC_MESSAGE_TOO_BIG, RC_NA, RC_NA },
	[STOP_SPECIAL] = { S390AP_RC_REQ_FAC_NOT_INST, RC_NA, RC_NA },
	[STOP_NO_FIRST] = { RC_NA, S390AP_RC_NO_FIRST_PART, RC_NA },
	[STOP_EMPTY] = { RC_NA, S390AP_RC_NO_PENDING_REPLY, S390AP_RC_INVALID_ADDRESS },
	[STOP_ENABLED] = { RC_NA, RC_NA, S390AP_RC_OTHERWISE_CHANGED },
};

/* Put the machine in the state of case c; returns the APQN to use. */
static uint16_t stop_setup(enum stop c)
{
	switch (c) {
	case STOP_NOT_AVAIL:
		return S390AP_APQN(0x20, 6);
	case STOP_INDEX:
		ck_assert_int_eq(s390ap_domain_add(m, 0x60, true, false), 0);
		return S390AP_APQN(3, 0x60);
	case STOP_CHECKSTOP:
		ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, true), 0);
		return ACC;
	case STOP_DECONFIG:
		ck_assert_int_eq(s390ap_adapter_configure(m, 3, false), 0);
		return ACC;
	case STOP_ASYNC:
		use_se_machine();
		se_unbind(EP11);
		bapq(EP11);
		ck_assert_int_eq(s390ap_queue_fail_assoc(m, EP11, S390AP_RC_ASSOC_FAILED), 0);
		aapq(EP11, 3);
		EXPECT_SW(0, E);
		advance(S390AP_DEFAULT_ASSOC_CYCLES);
		return EP11;
	case STOP_BUSY:
		ck_assert_int_eq(s390ap_queue_busy(m, ACC, 100000), 0);
		return ACC;
	case STOP_RESET:
		rapq(ACC);
		EXPECT_SW(0, E);
		return ACC;
	case STOP_NOT_BOUND:
		use_se_machine();
		se_unbind(EP11);
		return EP11;
	case STOP_FULL:
		put_msg(MSG_ADDR, 16);
		for (unsigned k = 0; k < 8; k++) {
			nqap(ACC, k, MSG_ADDR, 16);
			EXPECT_SW(0, k == 7 ? F : 0);
		}
		return ACC;
	case STOP_SPECIAL:
		use_machine_facs(S390AP_FAC_ALL &
				 ~(uint32_t)(S390AP_FAC_APSC | S390AP_FAC_APSB | S390AP_FAC_RC8A));
		add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
		ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
		return ACC;
	case STOP_ENABLED:
		aqic(ACC, true, 3, NIB_ADDR);
		EXPECT_SW(0, E);
		advance(S390AP_DEFAULT_IRQ_CYCLES);
		return ACC;
	default:
		return ACC;
	}
}

/* Run the instruction (0 NQAP, 1 DQAP, 2 AQIC) with its storage operand
 * outside or inside storage. */
static void stop_run(unsigned insn, enum stop c, uint16_t apqn, bool outside)
{
	switch (insn) {
	case 0: {
		uint64_t g0 = apqn | S390AP_NQAP_L | (c == STOP_SPECIAL ? S390AP_NQAP_SPECIAL : 0);
		uint64_t len = c == STOP_TOO_BIG ? 12289 : 16;

		nqap_raw(g0, 0x99, outside ? OUTSIDE : MSG_ADDR, len);
		break;
	}
	case 1:
		gr[2] = c == STOP_NO_FIRST ? 8 : 0;
		dqap_cont(apqn, outside ? OUTSIDE : BUF_ADDR, 64);
		break;
	default:
		aqic(apqn, true, 3, outside ? OUTSIDE : NIB2_ADDR);
		break;
	}
}

static void check_stop(unsigned insn, enum stop c)
{
	const uint8_t want = insn == 0   ? stop_rc[c].nqap
			     : insn == 1 ? stop_rc[c].dqap
					 : stop_rc[c].aqic;
	uint16_t apqn;
	uint64_t sw;
	s390ap_queue_info before, after;
	bool have_q;

	if (want == RC_NA)
		return;
	apqn = stop_setup(c);
	have_q = qinfo_get(apqn, &before) == 0;
	stop_run(insn, c, apqn, true);
	ck_assert_msg(res.pgm == 0, "insn %u case %d: pgm 0x%x, RC 0x%02x expected", insn, c,
		      res.pgm, want);
	ck_assert_msg(res.cc == 3 && res.sw_stored && res.rc == want,
		      "insn %u case %d: cc %u rc 0x%02x, RC 0x%02x expected", insn, c, res.cc,
		      res.rc, want);
	sw = gr[1];
	if (have_q) {
		ck_assert_int_eq(qinfo_get(apqn, &after), 0);
		ck_assert_uint_eq(after.requests, before.requests);
		ck_assert_uint_eq(after.replies, before.replies);
		ck_assert_uint_eq(after.enqueued, before.enqueued);
		ck_assert_uint_eq(after.irq_change_pending, before.irq_change_pending);
	}
	/* the same instruction with its operand in storage: the same answer
	 * (AQIC's 0x06 is about the NIB itself, a good one succeeds) */
	if (insn == 2 && want == S390AP_RC_INVALID_ADDRESS)
		return;
	stop_run(insn, c, apqn, false);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.rc, want);
	ck_assert_x64(gr[1], sw);
}

START_TEST(test_rc_over_addressing_nqap)
{
	check_stop(0, (enum stop)_i);
}
END_TEST

START_TEST(test_rc_over_addressing_dqap)
{
	check_stop(1, (enum stop)_i);
}
END_TEST

START_TEST(test_rc_over_addressing_aqic)
{
	check_stop(2, (enum stop)_i);
}
END_TEST

/* A disable does not look at the NIB at all. */
START_TEST(test_aqic_disable_ignores_nib)
{
	aqic(ACC, true, 3, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	aqic(ACC, false, 0, OUTSIDE);
	EXPECT_SW(0, E | I);
}
END_TEST

/* RC 0x42 needs the message's bytes: with the message outside storage
 * the addressing exception comes first, and nothing is refused. */
START_TEST(test_cca_domain_outside_storage)
{
	nqap(CCA, 1, OUTSIDE, CCA_MSG_LEN);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	ck_assert_x64(gr[1], GARBAGE);
	put_cca(MSG_ADDR, 0x0010);
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_DOMAIN));
}
END_TEST

/* PQAP functions without a storage operand ignore an address in GR2 that
 * lies outside storage; QCI stores its block and so takes the exception,
 * after the specification check. */
START_TEST(test_pqap_no_storage_operand)
{
	gr[2] = OUTSIDE;
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_RAPQ, ACC));
	EXPECT_SW(0, E);
	gr[2] = OUTSIDE;
	do_pqap(gr0_fc(S390AP_FC_QACT, ACC));
	ck_assert_uint_eq(res.pgm, 0);
	qci(OUTSIDE);
	EXPECT_PGM(S390AP_PGM_ADDRESSING);
	qci(OUTSIDE + 4);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

void tcase_pqap_rc(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "faults", setup);
	tcase_add_test(tc, test_rc04_checkstopped);
	tcase_add_test(tc, test_rc03_deconfigured);
	tcase_add_test(tc, test_rc05_busy_dqap_works);

	tc = fixture_tcase(s, "cca_domain", setup);
	tcase_add_test(tc, test_cca_domain_own_and_control);
	tcase_add_test(tc, test_cca_domain_invalid_0x42);
	tcase_add_test(tc, test_cca_domain_view_adm);
	tcase_add_test(tc, test_cca_domain_multipart_and_other_modes);

	tc = fixture_tcase(s, "rc_vs_addressing", setup);
	tcase_add_loop_test(tc, test_rc_over_addressing_nqap, 0, STOP_N);
	tcase_add_loop_test(tc, test_rc_over_addressing_dqap, 0, STOP_N);
	tcase_add_loop_test(tc, test_rc_over_addressing_aqic, 0, STOP_N);
	tcase_add_test(tc, test_aqic_disable_ignores_nib);
	tcase_add_test(tc, test_cca_domain_outside_storage);
	tcase_add_test(tc, test_pqap_no_storage_operand);
}
