/* test_pqap -- the AP instructions PQAP, NQAP and DQAP as an embedding
 * emulator sees them: a 16-register file, a flat storage and an AP view.
 *
 * Every expected value is the architected one from docs/ap-model.md:
 * status words in GR1 (upper half zero), TAPQ GR2 images, the QCI block,
 * condition codes and program-interruption codes.
 *
 * The fixture and the shared helpers are in aptest.h.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "aptest.h"

/* ------------------------------------------------------------------ */
/* Constants of the default machine (s390ap_machine_new_default)       */
/* ------------------------------------------------------------------ */
#define MEM_SIZE 0x100000u
#define QCI_ADDR 0x800u
#define NIB_ADDR 0x900u
#define NIB2_ADDR 0x901u
#define MSG_ADDR 0x10000u
#define BUF_ADDR 0x40000u
#define BUF2_ADDR 0x60000u

#define ACC47 S390AP_APQN(0x03, 0x47)

/* TAPQ GR2 bits 32-63: type << 24 | nd << 16 | ml << 8 | qd with
 * nd = 85 - 1, ml = 3, qd = 8 - 1. */
#define INFO_CEX8 0x0E540307ull
#define INFO_CEX7 0x0D540307ull
/* TAPQ facility words (GR2 >> 32) with the machine's APSC:
 * accel = S M C A N H, CCA = S D N H F, EP11 (CEX7) = S X N F. */
#define FAC_ACC_CEX8 0xEB000000ull
#define FAC_CCA_CEX8 0x93800000ull
#define FAC_EP11_CEX7 0x86800000ull

#define GARBAGE 0xDEADBEEFCAFEF00Dull
#define PSMID_HI_FILL 0xA5A5A5A500000000ull
#define PSMID_LO_FILL 0x5A5A5A5A00000000ull

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */
static void setup(void)
{
	fixture_setup(MEM_SIZE);
}

/* ------------------------------------------------------------------ */
/* Instruction helpers                                                 */
/* ------------------------------------------------------------------ */
static void do_pqap(uint64_t g0)
{
	gr[0] = g0;
	memset(&res, 0xee, sizeof res);
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), 0);
}

static void tapq(uint16_t apqn, bool t)
{
	gr[1] = GARBAGE;
	gr[2] = 0;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, apqn) | (t ? S390AP_GR0_T : 0));
}

static void rapq(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_RAPQ, apqn));
}

static void zapq(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_ZAPQ, apqn));
}

static void aqic(uint16_t apqn, bool enable, unsigned isc, uint64_t nib)
{
	gr[1] = (enable ? S390AP_AQIC_IR : 0) | (isc & S390AP_AQIC_ISC_MASK);
	gr[2] = nib;
	do_pqap(gr0_fc(S390AP_FC_AQIC, apqn));
}

static void qci(uint64_t addr)
{
	gr[1] = GARBAGE;
	gr[2] = addr;
	do_pqap(gr0_fc(S390AP_FC_QCI, 0));
}

static void nqap_raw(uint64_t g0, uint64_t psmid, uint64_t addr, uint64_t len)
{
	gr[0] = g0;
	gr[1] = GARBAGE;
	gr[NQ_R1] = psmid >> 32;
	gr[NQ_R1 + 1] = psmid & 0xffffffffu;
	gr[NQ_R2] = addr;
	gr[NQ_R2 + 1] = len;
	memset(&res, 0xee, sizeof res);
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
}

/* NQAP of a complete (L = 1) message. */
static void nqap(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len)
{
	nqap_raw(apqn | S390AP_NQAP_L, psmid, addr, len);
}

/* DQAP with GR0 = g0, keeping GR2 (continuation). */
static void dqap_raw(uint64_t g0, uint64_t addr, uint64_t len)
{
	gr[0] = g0;
	gr[1] = GARBAGE;
	gr[DQ_R1] = PSMID_HI_FILL;
	gr[DQ_R1 + 1] = PSMID_LO_FILL;
	gr[DQ_R2] = addr;
	gr[DQ_R2 + 1] = len;
	memset(&res, 0xee, sizeof res);
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
}

/* DQAP keeping GR2 (continuation). */
static void dqap_cont(uint16_t apqn, uint64_t addr, uint64_t len)
{
	dqap_raw(apqn, addr, len);
}

/* DQAP starting a new reply (GR2 = 0). */
static void dqap(uint16_t apqn, uint64_t addr, uint64_t len)
{
	gr[2] = 0;
	dqap_cont(apqn, addr, len);
}

/* A type 50 request of len bytes whose length field says lenfield. */
static void put_msg50(uint64_t addr, size_t len, uint16_t lenfield)
{
	uint8_t *p = ram + addr;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31u + 7u);
	p[0] = 0x00;
	p[1] = 0x50;
	p[2] = (uint8_t)(lenfield >> 8);
	p[3] = (uint8_t)lenfield;
}

static void put_msg(uint64_t addr, size_t len)
{
	put_msg50(addr, len, (uint16_t)len);
}

/* Expect a stored status word with condition code cc. */
#define EXPECT_SW(cc_, sw_)                                                  \
	do {                                                                 \
		ck_assert_uint_eq(res.pgm, 0);                               \
		ck_assert_uint_eq(res.cc, (cc_));                            \
		ck_assert(res.sw_stored);                                    \
		ck_assert_x64(gr[1], (sw_));                                 \
		ck_assert_uint_eq(res.rc, S390AP_SW_RC((uint64_t)(sw_)));    \
	} while (0)

/* Expect a program interruption. */
#define EXPECT_PGM(code_)                                                    \
	do {                                                                 \
		ck_assert_uint_eq(res.pgm, (code_));                         \
		ck_assert(!res.sw_stored);                                   \
	} while (0)

/* Expect cc with no status word stored (GR1 untouched). */
#define EXPECT_CC_NO_SW(cc_)                                                 \
	do {                                                                 \
		ck_assert_uint_eq(res.pgm, 0);                               \
		ck_assert_uint_eq(res.cc, (cc_));                            \
		ck_assert(!res.sw_stored);                                   \
		ck_assert_x64(gr[1], GARBAGE);                               \
	} while (0)

/* ------------------------------------------------------------------ */
/* A capturing message engine                                          */
/* ------------------------------------------------------------------ */
#define CAP_MAX 32

struct capture {
	unsigned calls;
	unsigned destroyed;
	uint64_t psmid[CAP_MAX];
	size_t len[CAP_MAX];
	bool special[CAP_MAX];
	uint8_t last[16384];
	size_t last_len;
	size_t reply_len;       /* 0: 8 bytes */
	bool latency_from_psmid; /* latency = low 16 bits of the PSMID */
};

static struct capture cap;

static uint8_t reply_byte(uint64_t psmid, size_t k)
{
	return (uint8_t)(psmid ^ (k * 13u + 1u));
}

static int cap_process(void *c, const s390ap_engine_request *req,
		       s390ap_engine_reply *rep)
{
	struct capture *cp = c;
	unsigned i = cp->calls++;
	size_t n;

	if (i < CAP_MAX) {
		cp->psmid[i] = req->psmid;
		cp->len[i] = req->len;
		cp->special[i] = req->special;
	}
	cp->last_len = req->len;
	memcpy(cp->last, req->msg,
	       req->len < sizeof cp->last ? req->len : sizeof cp->last);
	n = cp->reply_len ? cp->reply_len : 8;
	if (n > rep->cap)
		n = rep->cap;
	for (size_t k = 0; k < n; k++)
		rep->buf[k] = reply_byte(req->psmid, k);
	rep->len = n;
	if (cp->latency_from_psmid)
		rep->latency = req->psmid & 0xffffu;
	return 0;
}

static void cap_destroy(void *c)
{
	((struct capture *)c)->destroyed++;
}

static void use_capture(unsigned apid)
{
	s390ap_engine eng = { cap_process, cap_destroy, &cap };

	memset(&cap, 0, sizeof cap);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, apid, &eng), 0);
}

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

START_TEST(test_ids_without_apxa)
{
	view.facilities &= ~(uint32_t)S390AP_FAC_APXA;
	tapq(S390AP_APQN(64, 6), false);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	tapq(S390AP_APQN(3, 16), false);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	tapq(S390AP_APQN(255, 255), false);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* the highest legal ids are not configured: RC 0x01 */
	tapq(S390AP_APQN(63, 15), false);
	EXPECT_SW(3, RC(0x01));

	put_msg(MSG_ADDR, 16);
	nqap(S390AP_APQN(64, 6), 1, MSG_ADDR, 16);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	dqap(S390AP_APQN(3, 16), BUF_ADDR, 64);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* 0x47 needs APXA too */
	tapq(ACC47, false);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
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
	EXPECT_SW(3, RC(0x01));
}
END_TEST

START_TEST(test_ids_with_apxa_unconfigured)
{
	tapq(S390AP_APQN(200, 6), false);
	EXPECT_SW(3, RC(0x01));
	tapq(S390AP_APQN(3, 200), false);
	EXPECT_SW(3, RC(0x01));
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

START_TEST(test_fc6)
{
	gr[2] = QCI_ADDR;
	do_pqap(gr0_fc(S390AP_FC_6, 0));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[2] = QCI_ADDR + 3;
	do_pqap(gr0_fc(S390AP_FC_6, 0));
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_fc_not_installed)
{
	static const unsigned fcs[] = { 9, 42, 0x80, 0xff };

	for (size_t k = 0; k < ARRAY_SIZE(fcs); k++) {
		gr[1] = GARBAGE;
		do_pqap(gr0_fc(fcs[k], ACC));
		EXPECT_PGM(S390AP_PGM_SPECIFICATION);
		ck_assert_x64(gr[1], GARBAGE);
	}
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
	static const unsigned bits[] = { 32, 34, 35, 36, 37, 38, 39, 40,
					 42, 43, 44, 45, 46, 47 };
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
	EXPECT_SW(3, E | RC(0x10));
}
END_TEST

START_TEST(test_dqap_buffer_over_max)
{
	s390ap_adapter_opts ao;

	dqap(ACC, BUF_ADDR, 12289);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	dqap(ACC, BUF_ADDR, 12288);
	EXPECT_SW(3, E | RC(0x10));

	/* an APQN without an adapter: 12 KiB */
	dqap(S390AP_APQN(0x20, 6), BUF_ADDR, 12289);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);

	/* ML 4 -> 16 KiB */
	memset(&ao, 0, sizeof ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.ml = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	dqap(S390AP_APQN(0x10, 6), BUF_ADDR, 16384);
	EXPECT_SW(3, E | RC(0x10));
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

START_TEST(test_rc01_not_available)
{
	uint8_t apm[32], aqm[32];
	s390ap_adapter_opts ao;

	/* adapter not present */
	gr[2] = GARBAGE;
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, S390AP_APQN(0x02, 6)));
	EXPECT_SW(3, RC(0x01));
	ck_assert_x64(gr[2], GARBAGE); /* GR2 left unchanged for RC 01 */

	/* control-only domain 0 is not a usage domain */
	tapq(S390AP_APQN(0x03, 0), false);
	EXPECT_SW(3, RC(0x01));

	/* apqi >= the adapter's domains */
	memset(&ao, 0, sizeof ao);
	ao.domains = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	tapq(S390AP_APQN(0x10, 6), false);
	EXPECT_SW(3, RC(0x01));

	/* outside the view's masks */
	memset(apm, 0, sizeof apm);
	memset(aqm, 0, sizeof aqm);
	apm[0] = 0x10; /* adapter 3 only */
	aqm[0] = 0x02; /* domain 6 only */
	view.apm = apm;
	view.aqm = aqm;
	tapq(ACC, false);
	EXPECT_SW(0, E);
	tapq(CCA, false);
	EXPECT_SW(3, RC(0x01));
	tapq(S390AP_APQN(0x03, 0x07), false);
	EXPECT_SW(3, RC(0x01));
}
END_TEST

START_TEST(test_rc11_index_too_big)
{
	s390ap_adapter_opts ao;
	const uint16_t q = S390AP_APQN(0x10, 6);

	memset(&ao, 0, sizeof ao);
	ao.domains = 4;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	put_msg(MSG_ADDR, 16);
	nqap(q, 1, MSG_ADDR, 16);
	EXPECT_SW(3, RC(0x11));
	dqap(q, BUF_ADDR, 64);
	EXPECT_SW(3, RC(0x11));
	/* an apqi below the adapter's domains but not in the AQM: 0x01 */
	nqap(S390AP_APQN(0x10, 2), 1, MSG_ADDR, 16);
	EXPECT_SW(3, RC(0x01));
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
	ck_assert_uint_eq(res.rc, 0x02);
	ck_assert_uint_eq(res.cc, 3);
}
END_TEST

/* ================================================================== */
/* QCI                                                                 */
/* ================================================================== */
/* QCI into QCI_ADDR: cc 0 and the 128-byte block exp stored there. */
static void expect_qci_block(const uint8_t *exp)
{
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_mem_eq(ram + QCI_ADDR, exp, 128);
}

START_TEST(test_qci_default_block)
{
	uint8_t exp[128];

	memset(exp, 0, sizeof exp);
	exp[0] = 0xE0;   /* S N C, no R */
	exp[1] = 0x00;   /* no B */
	exp[4] = 0xFF;   /* Na */
	exp[5] = 0xFF;   /* Nd */
	exp[16] = 0x1C;  /* APM: 3, 4, 5 */
	exp[48] = 0x03;  /* AQM: 6, 7 */
	exp[56] = 0x01;  /* AQM: 0x47 */
	exp[80] = 0x83;  /* ADM: 0, 6, 7 */
	exp[88] = 0x01;  /* ADM: 0x47 */
	memset(ram + QCI_ADDR, 0xCC, 128);
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert(!res.sw_stored);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_mem_eq(ram + QCI_ADDR, exp, 128);
	ck_assert_uint_eq(ram[QCI_ADDR + 128], 0x00);
}
END_TEST

START_TEST(test_qci_view_masks_anded)
{
	uint8_t apm[32], aqm[32], adm[32], exp[128];

	memset(apm, 0, sizeof apm);
	memset(aqm, 0, sizeof aqm);
	memset(adm, 0, sizeof adm);
	apm[0] = 0x10 | 0x01; /* 3 and 7 (7 not configured) */
	apm[31] = 0x01;       /* 255, not configured */
	aqm[0] = 0x01;        /* 7 */
	aqm[8] = 0x01;        /* 0x47 */
	adm[0] = 0x80 | 0x40; /* 0 and 1 (1 not configured) */
	view.apm = apm;
	view.aqm = aqm;
	view.adm = adm;

	memset(exp, 0, sizeof exp);
	exp[0] = 0xE0;
	exp[4] = 0xFF;
	exp[5] = 0xFF;
	exp[16] = 0x10;
	exp[48] = 0x01;
	exp[56] = 0x01;
	exp[80] = 0x80;
	expect_qci_block(exp);
}
END_TEST

START_TEST(test_qci_view_without_apxa)
{
	uint8_t exp[128];

	view.facilities &= ~(uint32_t)(S390AP_FAC_APXA | S390AP_FAC_QACT);
	memset(exp, 0, sizeof exp);
	exp[0] = 0x80; /* S only */
	exp[16] = 0x1C;
	exp[48] = 0x03;
	exp[56] = 0x01;
	exp[80] = 0x83;
	exp[88] = 0x01;
	expect_qci_block(exp);
}
END_TEST

START_TEST(test_qci_all_facilities)
{
	s390ap_machine_opts o;
	uint8_t exp[128];

	memset(&o, 0, sizeof o);
	o.facilities_set = true;
	o.facilities = S390AP_FAC_ALL;
	o.na = 0x3F;
	o.nd = 0x7F;
	use_machine(&o);
	add_adapter(0, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	add_adapter(0x3F, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 0x7F, true, false), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 0x08, false, true), 0);

	memset(exp, 0, sizeof exp);
	exp[0] = 0xF0;          /* S N C R */
	exp[1] = 0x80;          /* B */
	exp[4] = 0x3F;
	exp[5] = 0x7F;
	exp[16] = 0x80;         /* APM 0 */
	exp[16 + 7] = 0x01;     /* APM 0x3F */
	exp[48 + 15] = 0x01;    /* AQM 0x7F */
	exp[80 + 1] = 0x80;     /* ADM 8 */
	expect_qci_block(exp);
}
END_TEST

START_TEST(test_qci_matches_machine_image)
{
	uint8_t img[128];

	s390ap_machine_qci(m, img);
	expect_qci_block(img);
}
END_TEST

/* ================================================================== */
/* QACT                                                                */
/* ================================================================== */
START_TEST(test_qact)
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
	EXPECT_SW(3, E | RC(0x02));
	ck_assert_x64(gr[2], INFO_CEX8); /* GR2 valid for RC 02 */
	advance(S390AP_DEFAULT_RESET_CYCLES - 1);
	tapq(ACC, false);
	EXPECT_SW(3, E | RC(0x02));
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
	EXPECT_SW(3, E | RC(0x02));
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
	EXPECT_SW(3, E | RC(0x02));
	zapq(ACC);
	EXPECT_SW(3, E | RC(0x02));
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
	EXPECT_SW(3, E | RC(0x02));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(0x02));
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(0x02));
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
	EXPECT_SW(3, E | RC(0x10));
}
END_TEST

/* ================================================================== */
/* AQIC                                                                */
/* ================================================================== */
START_TEST(test_aqic_sequence)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[1] >> 32, 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES - 1);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);

	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | I | RC(0x07));

	aqic(ACC, false, 0, 0);
	EXPECT_SW(0, E | I);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	tapq(ACC, false);
	EXPECT_SW(0, E);

	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | RC(0x07));
}
END_TEST

START_TEST(test_aqic_change_in_flight)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(0x07));
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(0, E | I);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | I | RC(0x07));
}
END_TEST

/* One change in flight per queue (docs/ap-model.md, UNCERTAIN): a disable
 * 100 cycles after an enable, while the enable is in flight, is busy (RC
 * 0x05, nothing changes); another enable is 0x07.  Once the enable has
 * landed the disable is taken and lands irq_cycles after it. */
START_TEST(test_aqic_enable_then_disable_in_flight)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(100);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | RC(0x05));
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(0x07));
	ck_assert(qinfo(ACC).irq_change_pending);
	advance(S390AP_DEFAULT_IRQ_CYCLES - 101);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);
	ck_assert(!qinfo(ACC).irq_change_pending);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(0, E | I);
	ck_assert(qinfo(ACC).irq_change_pending);
	/* and the other way round: an enable while the disable is in flight */
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | I | RC(0x05));
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | I | RC(0x07));
	advance(S390AP_DEFAULT_IRQ_CYCLES - 1);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert(!qinfo(ACC).irq_change_pending);
}
END_TEST
START_TEST(test_aqic_disabled_initially)
{
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | RC(0x07));
}
END_TEST

START_TEST(test_aqic_invalid_nib)
{
	aqic(ACC, true, 6, 0);
	EXPECT_SW(3, E | RC(0x06));
	aqic(ACC, true, 6, 0xFFFFFFFFFFFFFFFFull);
	EXPECT_SW(3, E | RC(0x06));
	aqic(ACC, true, 6, MEM_SIZE);
	EXPECT_SW(3, E | RC(0x06));
	ck_assert(!qinfo(ACC).irq_change_pending);
	/* any alignment, last byte of storage */
	aqic(ACC, true, 6, MEM_SIZE - 1);
	EXPECT_SW(0, E);
}
END_TEST

/* The NIB is checked in the machine's storage, where the interruption sets
 * it, not through the instruction's storage (a vCPU's prefixed real
 * storage); only a machine without storage leaves it to the instruction's. */
static int nib_low_refused(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	return addr < 0x1000 ? -1 : st.read(st.ctx, addr, dst, len);
}

static int nib_big_read(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	if (addr >= MEM_SIZE) {
		memset(dst, 0, len);
		return 0;
	}
	return st.read(st.ctx, addr, dst, len);
}

static int nib_write(void *c, uint64_t addr, const void *src, size_t len)
{
	(void)c;
	return st.write(st.ctx, addr, src, len);
}

START_TEST(test_aqic_nib_in_machine_storage)
{
	s390ap_storage low = { NULL, nib_low_refused, nib_write };
	s390ap_storage big = { NULL, nib_big_read, nib_write };

	/* refused by the instruction's storage, there in the machine's */
	ctx.storage = &low;
	ram[NIB_ADDR] = 0;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	ctx.storage = &st;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, I);
	advance(100000);
	ck_assert_uint_eq(ram[NIB_ADDR], 1);
	ck_assert_int_eq(irq_ack_was(6), 1);
	rapq(ACC);
	advance(S390AP_DEFAULT_RESET_CYCLES);

	/* there in the instruction's storage, outside the machine's: 0x06 */
	ctx.storage = &big;
	aqic(ACC, true, 6, MEM_SIZE + 0x10);
	EXPECT_SW(3, E | RC(0x06));
	ck_assert(!qinfo(ACC).irq_change_pending);

	/* no machine storage: the instruction's storage decides */
	ck_assert_int_eq(s390ap_machine_set_storage(m, NULL), 0);
	ctx.storage = &low;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(0x06));
	ctx.storage = &big;
	aqic(ACC, true, 6, MEM_SIZE + 0x10);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_aqic_records_isc_and_nib)
{
	struct s390ap_queue_info qi;

	gr[1] = 0xFFFF000000000000ull | S390AP_AQIC_IR | 5; /* zone, gisc junk */
	gr[2] = NIB2_ADDR;
	do_pqap(gr0_fc(S390AP_FC_AQIC, ACC));
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	qi = qinfo(ACC);
	ck_assert(qi.irq_enabled);
	ck_assert_uint_eq(qi.isc, 5);
	ck_assert_x64(qi.nib, NIB2_ADDR);
}
END_TEST

START_TEST(test_adapter_interruption)
{
	ram[NIB_ADDR] = 0;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x1234, MSG_ADDR, 16);
	EXPECT_SW(0, I);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x80 >> 6);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 1);
	ck_assert_int_eq(irq_ack_was(6), 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E | I);
	ck_assert_x64(dq_psmid(), 0x1234);
}
END_TEST

START_TEST(test_no_interruption_when_disabled)
{
	ram[NIB_ADDR] = 0;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	for (unsigned isc = 0; isc < 8; isc++)
		ck_assert_uint_eq(s390ap_machine_irq_count(m, isc), 0);
}
END_TEST

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
	EXPECT_SW(3, F | RC(0x10));
	ck_assert_uint_eq(qinfo(ACC).requests, 8);

	/* replies still occupy slots */
	advance(2000);
	tapq(ACC, false);
	EXPECT_SW(0, R | F);
	nqap(ACC, 9, MSG_ADDR, 16);
	EXPECT_SW(3, R | F | RC(0x10));

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
	EXPECT_SW(3, E | RC(0x15));
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
	EXPECT_SW(3, E | RC(0x15));
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
	EXPECT_SW(3, E | RC(0x16));
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

/* ================================================================== */
/* DQAP                                                                */
/* ================================================================== */
START_TEST(test_dqap_empty)
{
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(0x10));
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
	EXPECT_SW(3, RC(0x10));
	advance(1999);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, RC(0x10));
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
	EXPECT_SW(3, E | RC(0x10));
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
	EXPECT_SW(3, E | RC(0x13));

	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	advance(2000);
	gr[2] = 5;
	dqap_cont(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, R | RC(0x13));
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
	EXPECT_SW(3, RC(0x10));

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

/* ================================================================== */
/* Faults seen through instructions                                    */
/* ================================================================== */
START_TEST(test_rc04_checkstopped)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, true), 0);
	tapq(ACC, true);
	EXPECT_SW(3, E | RC(0x04));
	ck_assert_x64(gr[2], FAC_ACC_CEX8 << 32 | INFO_CEX8);
	nqap(ACC, 2, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(0x04));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(0x04));
	rapq(ACC);
	EXPECT_SW(3, E | RC(0x04));
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
	EXPECT_SW(3, E | RC(0x03));
	ck_assert_x64(gr[2], INFO_CEX8);
	put_msg(MSG_ADDR, 16);
	nqap(CCA, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(0x03));
	aqic(CCA, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(0x03));
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
	EXPECT_SW(3, R | RC(0x05));
	ck_assert_x64(gr[2], INFO_CEX8);
	nqap(ACC, 0x6, MSG_ADDR, 16);
	EXPECT_SW(3, R | RC(0x05));
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, R | RC(0x05));
	rapq(ACC);
	EXPECT_SW(3, R | RC(0x05));
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E);
	ck_assert_x64(dq_psmid(), 0x5);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(3, E | RC(0x10));
	advance(1000);
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

/* ================================================================== */
/* Secure Execution: BAPQ, AAPQ, sticky async errors                   */
/* ================================================================== */
static void use_se_machine(void)
{
	use_machine_facs(S390AP_FAC_ALL);
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	add_adapter(4, S390AP_TYPE_CEX8, S390AP_MODE_CCA);
	add_adapter(5, S390AP_TYPE_CEX7, S390AP_MODE_EP11);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	view.se_guest = true;
}

/* RAPQ with F: unbind (bs -> 2), wait for the reset. */
static void se_unbind(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_RAPQ, apqn) | S390AP_GR0_F);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
}

static unsigned tapq_bs(uint16_t apqn)
{
	tapq(apqn, true);
	return (unsigned)(gr[2] >> 46) & 3;
}

static void bapq(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_BAPQ, apqn));
}

static void aapq(uint16_t apqn, uint64_t index)
{
	gr[1] = GARBAGE;
	gr[2] = index;
	do_pqap(gr0_fc(S390AP_FC_AAPQ, apqn));
}

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
	EXPECT_SW(3, E | RC(0x30));
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
	EXPECT_SW(3, E | RC(0x30));
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
	EXPECT_SW(3, RC(0x32));
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
	EXPECT_SW(3, RC(0x32));
}
END_TEST

START_TEST(test_nqap_se_unbound_0x0b)
{
	use_se_machine();
	se_unbind(ACC);
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(3, E | RC(0x0B));
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
	EXPECT_SW(3, E | RC(0x34));
	aapq(EP11, 0xFFFF);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_aapq_unbound_0x0b)
{
	use_se_machine();
	se_unbind(EP11);
	aapq(EP11, 1);
	EXPECT_SW(3, E | RC(0x0B));
}
END_TEST

START_TEST(test_aapq_not_ep11_0x31)
{
	use_se_machine();
	se_unbind(ACC);
	bapq(ACC);
	aapq(ACC, 1);
	EXPECT_SW(3, E | RC(0x31));
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
	EXPECT_SW(3, E | RC(0x0A));
	ck_assert_uint_eq(tapq_bs(EP11), 1);
	advance(S390AP_DEFAULT_ASSOC_CYCLES - 1);
	ck_assert_uint_eq(tapq_bs(EP11), 1);
	advance(1);
	ck_assert_uint_eq(tapq_bs(EP11), 0);
	EXPECT_SW(0, E);
	/* associated (bs 0): another AAPQ is 0x31 */
	aapq(EP11, 7);
	EXPECT_SW(3, E | RC(0x31));
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
	check_sticky(0x35);
}
END_TEST

START_TEST(test_sticky_0x36)
{
	check_sticky(0x36);
}
END_TEST

START_TEST(test_sticky_cleared_by_zapq)
{
	use_se_machine();
	se_unbind(EP11);
	bapq(EP11);
	ck_assert_int_eq(s390ap_queue_fail_assoc(m, EP11, 0x36), 0);
	aapq(EP11, 3);
	advance(S390AP_DEFAULT_ASSOC_CYCLES);
	zapq(EP11);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	tapq(EP11, false);
	EXPECT_SW(0, E);
}
END_TEST

/* ================================================================== */
/* s390ap_execute decoding and bad arguments                           */
/* ================================================================== */
START_TEST(test_execute_nqap_0026)
{
	use_capture(3);
	put_msg(MSG_ADDR, 32);
	gr[0] = ACC | S390AP_NQAP_L;
	gr[1] = GARBAGE;
	gr[2] = 0x00000000CAFE0001ull;
	gr[3] = 0x00000000BEEF0002ull;
	gr[6] = MSG_ADDR;
	gr[7] = 32;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AD0026u, &res), 0);
	EXPECT_SW(0, 0);
	ck_assert_x64(gr[6], MSG_ADDR + 32);
	ck_assert_x64(gr[7], 0);
	advance(2000);
	ck_assert_uint_eq(cap.calls, 1);
	ck_assert_x64(cap.psmid[0], 0xCAFE0001BEEF0002ull);
	ck_assert_uint_eq(cap.len[0], 32);
}
END_TEST

START_TEST(test_execute_dqap_0046)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x1122334455667788ull, MSG_ADDR, 16);
	advance(2000);
	gr[0] = ACC;
	gr[1] = GARBAGE;
	gr[2] = 0;
	gr[4] = 0;
	gr[5] = 0;
	gr[6] = BUF_ADDR;
	gr[7] = 100;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AE0046u, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[4], 0x11223344u);
	ck_assert_x64(gr[5], 0x55667788u);
	ck_assert_x64(gr[6], BUF_ADDR + 8);
	ck_assert_x64(gr[7], 92);
}
END_TEST

START_TEST(test_execute_dqap_0064)
{
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x0000000A0000000Bull, MSG_ADDR, 16);
	advance(2000);
	gr[0] = ACC;
	gr[2] = 0;
	gr[4] = BUF_ADDR;
	gr[5] = 100;
	gr[6] = 0;
	gr[7] = 0;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AE0064u, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[6], 0xA);
	ck_assert_x64(gr[7], 0xB);
	ck_assert_x64(gr[4], BUF_ADDR + 8);
}
END_TEST

START_TEST(test_execute_odd_fields)
{
	gr[0] = ACC | S390AP_NQAP_L;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AD0036u, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
	gr[0] = ACC;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AE0047u, &res), 0);
	EXPECT_PGM(S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_execute_pqap)
{
	gr[0] = gr0_fc(S390AP_FC_TAPQ, EP11) | S390AP_GR0_T;
	gr[1] = GARBAGE;
	gr[2] = 0;
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0xB2AF0000u, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[2], FAC_EP11_CEX7 << 32 | INFO_CEX7);
}
END_TEST

START_TEST(test_execute_not_ap_opcode)
{
	gr[0] = gr0_fc(S390AP_FC_TAPQ, ACC);
	ck_assert_int_lt(s390ap_execute(m, &ctx, 0xB2B00000u, &res), 0);
	ck_assert_int_lt(s390ap_execute(m, &ctx, 0xB9AF0000u, &res), 0);
	ck_assert_int_lt(s390ap_execute(m, &ctx, 0x00000000u, &res), 0);
}
END_TEST

START_TEST(test_nqap_dqap_amode31)
{
	ctx.amode = 31;
	put_msg(MSG_ADDR, 16);
	gr[0] = ACC | S390AP_NQAP_L;
	gr[1] = GARBAGE;
	gr[NQ_R1] = 0;
	gr[NQ_R1 + 1] = 0x31;
	gr[NQ_R2] = 0xFFFFFFFF80000000ull | MSG_ADDR; /* bits 0-32 ignored */
	gr[NQ_R2 + 1] = 0xABCD000000000000ull | 16;   /* bits 0-31 ignored */
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	EXPECT_SW(0, 0);
	ck_assert_x64(gr[NQ_R2 + 1] & 0xFFFFFFFFu, 0);
	ck_assert_x64(gr[NQ_R2 + 1] >> 32, 0xABCD0000u);
	ck_assert_x64(gr[NQ_R2] >> 32, 0xFFFFFFFFu);
	advance(2000);

	gr[0] = ACC;
	gr[1] = GARBAGE;
	gr[2] = 0;
	gr[DQ_R2] = 0x1234567800000000ull | BUF_ADDR;
	gr[DQ_R2 + 1] = 0x5555555500000000ull | 64;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[DQ_R2], 0x1234567800000000ull | (BUF_ADDR + 8));
	ck_assert_x64(gr[DQ_R2 + 1], 0x5555555500000000ull | 56);
	ck_assert_x64(dq_psmid(), 0x31);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], 0x82);
}
END_TEST

START_TEST(test_qci_amode24_wraps_address)
{
	ctx.amode = 24;
	qci(0xFF000000ull | QCI_ADDR);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(ram[QCI_ADDR], 0xE0);
}
END_TEST

START_TEST(test_bad_arguments)
{
	s390ap_insn_ctx nogr = ctx;

	nogr.gr = NULL;
	gr[0] = gr0_fc(S390AP_FC_TAPQ, ACC);
	ck_assert_int_lt(s390ap_execute(NULL, &ctx, 0xB2AF0000u, &res), 0);
	ck_assert_int_lt(s390ap_execute(m, NULL, 0xB2AF0000u, &res), 0);
	ck_assert_int_lt(s390ap_execute(m, &ctx, 0xB2AF0000u, NULL), 0);
	ck_assert_int_lt(s390ap_execute(m, &nogr, 0xB2AF0000u, &res), 0);
	ck_assert_int_lt(s390ap_pqap(NULL, &ctx, &res), 0);
	ck_assert_int_lt(s390ap_pqap(m, NULL, &res), 0);
	ck_assert_int_lt(s390ap_pqap(m, &ctx, NULL), 0);
	ck_assert_int_lt(s390ap_pqap(m, &nogr, &res), 0);
	ck_assert_int_lt(s390ap_nqap(NULL, &ctx, 2, 4, &res), 0);
	ck_assert_int_lt(s390ap_nqap(m, NULL, 2, 4, &res), 0);
	ck_assert_int_lt(s390ap_nqap(m, &ctx, 2, 4, NULL), 0);
	ck_assert_int_lt(s390ap_dqap(NULL, &ctx, 6, 8, &res), 0);
	ck_assert_int_lt(s390ap_dqap(m, NULL, 6, 8, &res), 0);
	ck_assert_int_lt(s390ap_dqap(m, &ctx, 6, 8, NULL), 0);
	/* register numbers beyond 15 are not instructions */
	ck_assert_int_lt(s390ap_nqap(m, &ctx, 16, 4, &res), 0);
	ck_assert_int_lt(s390ap_dqap(m, &ctx, 6, 16, &res), 0);
	/* an addressing mode that does not exist */
	nogr = ctx;
	nogr.amode = 32;
	ck_assert_int_lt(s390ap_pqap(m, &nogr, &res), 0);
	/* the machine is still usable */
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

/* With a machine at hand, every refused argument leaves a message: each
 * call below first has another message put in place, then must replace it. */
#define EXPECT_ERR(call, want, frag)                                                 \
	do {                                                                         \
		ck_assert_int_eq(s390ap_execute(m, &ctx, 0x12345678u, &res), S390AP_EINVAL); \
		ck_assert_int_eq((call), (want));                                    \
		ck_assert_msg(strstr(s390ap_machine_errmsg(m), (frag)) != NULL,      \
			      "%s: message '%s'", #call, s390ap_machine_errmsg(m));  \
	} while (0)

START_TEST(test_bad_arguments_messages)
{
	s390ap_insn_ctx nogr = ctx;
	s390ap_queue_info qi;
	uint8_t block[128];

	nogr.gr = NULL;
	gr[0] = gr0_fc(S390AP_FC_TAPQ, ACC);
	EXPECT_ERR(s390ap_execute(m, NULL, 0xB2AF0000u, &res), S390AP_EINVAL, "no instruction context");
	EXPECT_ERR(s390ap_execute(m, &nogr, 0xB2AF0000u, &res), S390AP_EINVAL, "no general registers");
	EXPECT_ERR(s390ap_execute(m, &ctx, 0xB2AF0000u, NULL), S390AP_EINVAL, "no result");
	EXPECT_ERR(s390ap_pqap(m, NULL, &res), S390AP_EINVAL, "no instruction context");
	EXPECT_ERR(s390ap_pqap(m, &nogr, &res), S390AP_EINVAL, "no general registers");
	EXPECT_ERR(s390ap_pqap(m, &ctx, NULL), S390AP_EINVAL, "no result");
	EXPECT_ERR(s390ap_nqap(m, NULL, 2, 4, &res), S390AP_EINVAL, "no instruction context");
	EXPECT_ERR(s390ap_nqap(m, &nogr, 2, 4, &res), S390AP_EINVAL, "no general registers");
	EXPECT_ERR(s390ap_nqap(m, &ctx, 2, 4, NULL), S390AP_EINVAL, "no result");
	EXPECT_ERR(s390ap_dqap(m, NULL, 6, 8, &res), S390AP_EINVAL, "no instruction context");
	EXPECT_ERR(s390ap_dqap(m, &nogr, 6, 8, &res), S390AP_EINVAL, "no general registers");
	EXPECT_ERR(s390ap_dqap(m, &ctx, 6, 8, NULL), S390AP_EINVAL, "no result");
	EXPECT_ERR(s390ap_nqap(m, &ctx, 16, 4, &res), S390AP_EINVAL, "register number over 15");
	EXPECT_ERR(s390ap_machine_irq_ack(m, 8, NULL), S390AP_EINVAL, "ISC 8 over 7");
	EXPECT_ERR(s390ap_machine_qci(m, NULL), S390AP_EINVAL, "QCI: no block");
	EXPECT_ERR(s390ap_queue_info_get(m, ACC, NULL), S390AP_EINVAL, "queue info: no output");
	EXPECT_ERR(s390ap_queue_info_get(m, S390AP_APQN(0x77, 1), &qi), S390AP_ENOENT,
		   "no queue 77.0001");
	EXPECT_ERR(s390ap_adapter_info_get(m, 3, NULL), S390AP_EINVAL, "adapter info: no output");
	EXPECT_ERR(s390ap_adapter_info_get(m, 0x77, NULL), S390AP_EINVAL, "adapter info: no output");
	/* and nothing was changed: the machine answers as before */
	ck_assert_int_eq(s390ap_machine_qci(m, block), 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
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
/* Statistics                                                          */
/* ================================================================== */
START_TEST(test_rc_and_pgm_counts)
{
	uint64_t rc0 = s390ap_machine_rc_count(m, 0x00);
	uint64_t rc1 = s390ap_machine_rc_count(m, 0x01);
	uint64_t spec = s390ap_machine_pgm_count(m, S390AP_PGM_SPECIFICATION);
	uint64_t priv = s390ap_machine_pgm_count(m, S390AP_PGM_PRIVILEGED);

	tapq(ACC, false);
	tapq(ACC, false);
	tapq(S390AP_APQN(0x30, 6), false);
	do_pqap(gr0_fc(42, ACC));
	ctx.problem_state = true;
	tapq(ACC, false);
	ck_assert_uint_eq(s390ap_machine_rc_count(m, 0x00), rc0 + 2);
	ck_assert_uint_eq(s390ap_machine_rc_count(m, 0x01), rc1 + 1);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, S390AP_PGM_SPECIFICATION), spec + 1);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, S390AP_PGM_PRIVILEGED), priv + 1);
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
	p[0x13] = 0x58;              /* offset1: the CPRBX */
	p[0x20] = 'C';
	p[0x21] = 'A';
	p[0x58] = 0x00;              /* cprb_len 0xDC */
	p[0x59] = 0xDC;
	p[0x5A] = 0x02;              /* cprb_ver_id */
	p[0x102] = (uint8_t)(domain >> 8);
	p[0x103] = (uint8_t)domain;
}

START_TEST(test_cca_domain_own_and_control)
{
	/* default machine: usage 6, 7, 0x47; control 0, 6, 7, 0x47 */
	put_cca(MSG_ADDR, 0x0006);
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	put_cca(MSG_ADDR, 0x0000);   /* a control domain of the LPAR */
	nqap(CCA, 2, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	ck_assert_uint_eq(qinfo(CCA).requests, 2);
}
END_TEST

START_TEST(test_cca_domain_invalid_0x42)
{
	put_cca(MSG_ADDR, 0x0005);   /* neither the queue's nor a control domain */
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(0x42));
	/* refused whole: nothing enqueued, registers not advanced */
	ck_assert_uint_eq(qinfo(CCA).requests, 0);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR);
	ck_assert_x64(gr[NQ_R2 + 1], CCA_MSG_LEN);
	put_cca(MSG_ADDR, 0xFFFF);   /* autoselect never reaches the card */
	nqap(CCA, 2, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(0x42));
	ck_assert_uint_eq(s390ap_machine_rc_count(m, 0x42), 2);
}
END_TEST

START_TEST(test_cca_domain_view_adm)
{
	uint8_t adm[32] = { 0 };

	adm[0] = 0x02;               /* the guest controls domain 6 only */
	view.adm = adm;
	put_cca(MSG_ADDR, 0x0007);   /* a control domain of the machine, not the guest */
	nqap(CCA, 1, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(3, E | RC(0x42));
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
	EXPECT_SW(3, E | RC(0x42));
	ck_assert(!qinfo(CCA).requests);
	/* accelerator and EP11 queues leave the message to their engine */
	put_cca(MSG_ADDR, 0x0005);
	nqap(ACC, 3, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
	nqap(EP11, 4, MSG_ADDR, CCA_MSG_LEN);
	EXPECT_SW(0, 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Seeded fuzz: guest registers are untrusted input                    */
/* ------------------------------------------------------------------ */
static uint64_t fuzz_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A value that is often interesting: small, near the storage end, an
 * APQN of the machine, or anything at all. */
static uint64_t fuzz_value(uint64_t *x)
{
	static const uint16_t apqns[] = { ACC, CCA, EP11, ACC47, 0x0307, 0x0000, 0xFFFF };
	uint64_t r = fuzz_next(x);

	switch (r % 6) {
	case 0:
		return (r >> 8) % 0x5000;
	case 1:
		return MEM_SIZE - (r >> 8) % 0x40;
	case 2:
		return apqns[(r >> 8) % ARRAY_SIZE(apqns)];
	case 3:
		return (r >> 8) & 0xFFFFFFFFull;
	default:
		return fuzz_next(x);
	}
}

static uint64_t fuzz_gr0(uint64_t *x)
{
	uint64_t r = fuzz_next(x), g0 = fuzz_value(x) & 0xFFFF;

	g0 |= (uint64_t)(r % 11) << S390AP_GR0_FC_SHIFT;       /* FC 0..10 */
	if ((r >> 8) % 8 == 0)
		g0 |= (r >> 16) & 0xFFFF0000ull;                   /* any flag bits */
	if ((r >> 40) % 16 == 0)
		g0 |= fuzz_next(x) & 0xFFFFFFFF00000000ull;        /* ignored half */
	return g0;
}

START_TEST(test_fuzz_registers)
{
	static const uint32_t ops[] = { 0xB2AF0000u, 0xB2AD0000u, 0xB2AE0000u };
	uint64_t x = 0x9E3779B97F4A7C15ull;
	uint8_t vapm[32], vaqm[32];
	unsigned seen_pgm = 0, seen_cc[4] = { 0 };

	for (unsigned n = 0; n < 40000; n++) {
		uint64_t before[16], r = fuzz_next(&x);
		static const uint8_t pairs[] = { 4, 6, 8, 10, 12, 14 };
		uint32_t insn = ops[r % 3] | (uint32_t)((r >> 8) & 0xFF);
		if ((r >> 56) % 4) /* mostly well-formed register pairs */
			insn = ops[r % 3] | (uint32_t)pairs[(r >> 8) % 6] << 4 | pairs[(r >> 12) % 6];
		unsigned r1 = (insn >> 4) & 0xf, r2 = insn & 0xf;

		for (unsigned i = 0; i < 16; i++)
			gr[i] = fuzz_value(&x);
		gr[0] = fuzz_gr0(&x);
		if ((insn >> 16) != S390AP_OP_PQAP && (r >> 60) % 4) /* NQAP L / DQAP bit 32 */
			gr[0] = (gr[0] & 0xFFFF) |
				((insn >> 16) == S390AP_OP_NQAP ? S390AP_NQAP_L : S390AP_DQAP_BIT32);
		if ((r >> 16) % 3 == 0)
			gr[2] = 0; /* DQAP: start a new reply */
		ctx.problem_state = (r >> 20) % 64 == 0;
		ctx.amode = (r >> 26) % 8 == 0 ? 31 : (r >> 26) % 8 == 1 ? 24 : 64;
		ctx.view = &view;
		view.se_guest = (r >> 29) % 8 == 0;
		view.apm = view.aqm = NULL;
		if ((r >> 32) % 8 == 0) { /* a guest that sees part of the machine */
			for (unsigned i = 0; i < 32; i++) {
				vapm[i] = (uint8_t)fuzz_next(&x);
				vaqm[i] = (uint8_t)fuzz_next(&x);
			}
			view.apm = vapm;
			view.aqm = vaqm;
		}
		memcpy(before, gr, sizeof(before));

		ck_assert_int_eq(s390ap_execute(m, &ctx, insn, &res), 0);
		if (res.pgm)
			seen_pgm++;
		else
			seen_cc[res.cc & 3]++;
		if (res.pgm) {
			/* exceptions nullify or suppress: no register changes */
			ck_assert_msg(res.pgm == S390AP_PGM_OPERATION || res.pgm == S390AP_PGM_PRIVILEGED ||
					      res.pgm == S390AP_PGM_ADDRESSING ||
					      res.pgm == S390AP_PGM_SPECIFICATION,
				      "iteration %u: pgm 0x%x", n, res.pgm);
			ck_assert_msg(!memcmp(before, gr, sizeof(before)),
				      "iteration %u: registers changed by pgm 0x%x", n, res.pgm);
		} else {
			ck_assert_uint_le(res.cc, 3);
			if (res.sw_stored) {
				ck_assert_x64(gr[1] >> 32, 0);
				ck_assert_uint_eq(S390AP_SW_RC(gr[1]), res.rc);
				ck_assert_uint_eq(res.cc, res.rc ? 3 : 0);
			}
			/* only the implicit registers and the R1/R2 pairs may change */
			for (unsigned i = 3; i < 16; i++) {
				if ((insn >> 16) != S390AP_OP_PQAP &&
				    (i == r1 || i == r1 + 1 || i == r2 || i == r2 + 1))
					continue;
				ck_assert_msg(gr[i] == before[i], "iteration %u: GR%u changed", n, i);
			}
		}
		if ((r >> 40) % 16 == 0)
			advance((r >> 44) % 40000);
		if ((r >> 50) % 512 == 0)
			ck_assert_int_eq(s390ap_queue_busy(m, ACC, (r >> 54) % 3000), 0);
	}
	view.apm = view.aqm = NULL;
	view.se_guest = false;
	/* the generator reaches every kind of outcome (about 24000 / 900 / 14600) */
	ck_assert_uint_gt(seen_pgm, 10000);
	ck_assert_uint_gt(seen_cc[0], 300);
	ck_assert_uint_gt(seen_cc[2], 0);
	ck_assert_uint_gt(seen_cc[3], 5000);
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
	STOP_NOT_AVAIL,     /* no adapter */
	STOP_INDEX,         /* domain configured, adapter does not implement it */
	STOP_CHECKSTOP,
	STOP_DECONFIG,
	STOP_ASYNC,         /* sticky 0x36 */
	STOP_BUSY,
	STOP_RESET,
	STOP_NOT_BOUND,     /* SE guest, bs 2 */
	STOP_FULL,          /* 8 requests in process */
	STOP_TOO_BIG,       /* NQAP 12289 bytes */
	STOP_SPECIAL,       /* special command without APSC */
	STOP_NO_FIRST,      /* DQAP GR2 != 0 without a transfer */
	STOP_EMPTY,         /* nothing queued */
	STOP_ENABLED,       /* AQIC enable while enabled */
	STOP_N
};

/* Expected RC per instruction, 0xff = the case does not apply. */
static const struct {
	uint8_t nqap, dqap, aqic;
} stop_rc[STOP_N] = {
	[STOP_NOT_AVAIL] = { 0x01, 0x01, 0x01 },
	[STOP_INDEX] = { 0x11, 0x11, 0x01 },
	[STOP_CHECKSTOP] = { 0x04, 0x04, 0x04 },
	[STOP_DECONFIG] = { 0x03, 0x03, 0x03 },
	[STOP_ASYNC] = { 0x36, 0x36, 0x36 },
	[STOP_BUSY] = { 0x05, 0x10, 0x05 },   /* DQAP ignores busy: no reply */
	[STOP_RESET] = { 0x02, 0x02, 0x02 },
	[STOP_NOT_BOUND] = { 0x0B, 0x0B, 0x06 }, /* AQIC: only its own 0x06 */
	[STOP_FULL] = { 0x10, 0x10, 0x06 },
	[STOP_TOO_BIG] = { 0x15, 0xff, 0xff },
	[STOP_SPECIAL] = { 0x16, 0xff, 0xff },
	[STOP_NO_FIRST] = { 0xff, 0x13, 0xff },
	[STOP_EMPTY] = { 0xff, 0x10, 0x06 },
	[STOP_ENABLED] = { 0xff, 0xff, 0x07 },
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
		ck_assert_int_eq(s390ap_queue_fail_assoc(m, EP11, 0x36), 0);
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
		uint64_t g0 = apqn | S390AP_NQAP_L |
			      (c == STOP_SPECIAL ? S390AP_NQAP_SPECIAL : 0);
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
	const uint8_t want = insn == 0 ? stop_rc[c].nqap
			     : insn == 1 ? stop_rc[c].dqap : stop_rc[c].aqic;
	uint16_t apqn;
	uint64_t sw;
	s390ap_queue_info before, after;
	bool have_q;

	if (want == 0xff)
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
	EXPECT_SW(3, E | RC(0x42));
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

/* ================================================================== */
/* ------------------------------------------------------------------ */
/* Address wrap in the 24- and 31-bit modes                            */
/* ------------------------------------------------------------------ */

#define WRAP_MEM 0x1000000u /* 16 MiB: the whole 24-bit address space */

static void setup_wrap(void)
{
	fixture_setup(WRAP_MEM);
}

/* Store n bytes of src at a 24-bit address, going on at 0 past the top. */
static void put_wrapped(uint64_t addr, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ram[(addr + i) & 0xFFFFFFu] = src[i];
}

static void get_wrapped(uint64_t addr, uint8_t *dst, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = ram[(addr + i) & 0xFFFFFFu];
}

/* QCI, NQAP and DQAP operands that run past 0xFFFFFF in 24-bit mode go on
 * at 0, through the public entry as through the dispatcher. */
START_TEST(test_wrap_24bit)
{
	uint8_t msg[32], ref[S390AP_QCI_SIZE], got[S390AP_QCI_SIZE];
	uint64_t rlen;

	ctx.amode = 24;
	qci(0x1000);
	ck_assert_uint_eq(res.cc, 0);
	memcpy(ref, ram + 0x1000, sizeof ref);
	qci(0xFFFFC0);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	get_wrapped(0xFFFFC0, got, sizeof got);
	ck_assert_mem_eq(got, ref, sizeof ref);

	/* the same request twice: unwrapped, then across the top */
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7u + 3u);
	memcpy(ram + 0x2000, msg, sizeof msg);
	nqap(ACC, 1, 0x2000, sizeof msg);
	ck_assert_uint_eq(res.cc, 0);
	put_wrapped(0xFFFFF8, msg, sizeof msg);
	nqap(ACC, 2, 0xFFFFF8, sizeof msg);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[NQ_R2], 0x18);        /* 0xFFFFF8 + 32, wrapped */
	ck_assert_x64(gr[NQ_R2 + 1], 0);
	advance(100000);
	dqap(ACC, 0x3000, 0x100);
	ck_assert_uint_eq(res.cc, 0);
	rlen = 0x100 - gr[DQ_R2 + 1];
	ck_assert_uint_gt(rlen, 2);
	dqap(ACC, 0x1000000 - rlen / 2, rlen);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[DQ_R2], rlen - rlen / 2);
	get_wrapped(0x1000000 - rlen / 2, got, (size_t)rlen);
	ck_assert_mem_eq(got, ram + 0x3000, (size_t)rlen);
}
END_TEST

/* A wrapped store stays all or nothing: when the piece at 0 cannot be
 * stored, the piece below the top gets its old bytes back. */
static int holey_read(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	return addr < 16 ? -1 : st.read(st.ctx, addr, dst, len);
}

static int holey_write(void *c, uint64_t addr, const void *src, size_t len)
{
	(void)c;
	return addr < 16 ? -1 : st.write(st.ctx, addr, src, len);
}

START_TEST(test_wrap_store_all_or_nothing)
{
	s390ap_storage holey = { NULL, holey_read, holey_write };
	uint8_t before[8];
	uint64_t regs[16];

	memcpy(ram + 0x2000, "\x00\x50\x00\x10" "abcdefghijkl", 16);
	nqap(ACC, 1, 0x2000, 16);
	ck_assert_uint_eq(res.cc, 0);
	advance(100000);
	ctx.amode = 24;
	ctx.storage = &holey;
	memset(ram + 0xFFFFFC, 0x5A, 4);
	memcpy(before, ram + 0xFFFFFC, 4);
	gr[2] = 0;
	gr[0] = ACC;
	gr[DQ_R2] = 0xFFFFFC;
	gr[DQ_R2 + 1] = 8;
	memcpy(regs, gr, sizeof regs);
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_ADDRESSING);
	ck_assert_mem_eq(ram + 0xFFFFFC, before, 4);
	ck_assert_mem_eq(gr, regs, sizeof regs);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);  /* nullified: the reply stays */
}
END_TEST

static Suite *pqap_suite(void)
{
	Suite *s = suite_create("pqap");
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
	tcase_add_test(tc, test_ids_without_apxa);
	tcase_add_test(tc, test_ids_without_apxa_machine);
	tcase_add_test(tc, test_ids_with_apxa_unconfigured);
	tcase_add_test(tc, test_aqic_without_facility);
	tcase_add_loop_test(tc, test_qci_misaligned, 1, 8);
	tcase_add_test(tc, test_qci_without_facility);
	tcase_add_test(tc, test_qact_without_facility);
	tcase_add_test(tc, test_fc6);
	tcase_add_test(tc, test_fc_not_installed);
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

	tc = fixture_tcase(s, "tapq", setup);
	tcase_add_test(tc, test_tapq_t0_images);
	tcase_add_test(tc, test_tapq_t0_zeroes_fac_half);
	tcase_add_test(tc, test_tapq_t1_images);
	tcase_add_test(tc, test_tapq_custom_adapter_image);
	tcase_add_test(tc, test_tapq_gr1_upper_half_zeroed);
	tcase_add_test(tc, test_gr0_upper_half_ignored);
	tcase_add_test(tc, test_pqap_r_fields_ignored);
	tcase_add_test(tc, test_rc01_not_available);
	tcase_add_test(tc, test_rc11_index_too_big);
	tcase_add_test(tc, test_cc_zero_iff_rc_zero);
	tcase_add_test(tc, test_null_view_is_whole_machine);

	tc = fixture_tcase(s, "qci", setup);
	tcase_add_test(tc, test_qci_default_block);
	tcase_add_test(tc, test_qci_view_masks_anded);
	tcase_add_test(tc, test_qci_view_without_apxa);
	tcase_add_test(tc, test_qci_all_facilities);
	tcase_add_test(tc, test_qci_matches_machine_image);

	tc = fixture_tcase(s, "qact", setup);
	tcase_add_test(tc, test_qact);
	tcase_add_test(tc, test_qact_cat_zero);

	tc = fixture_tcase(s, "reset", setup);
	tcase_add_test(tc, test_rapq_sequence);
	tcase_add_test(tc, test_zapq_sequence_clears_irq);
	tcase_add_test(tc, test_reset_cancels_irq_change);
	tcase_add_test(tc, test_rapq_during_reset);
	tcase_add_test(tc, test_reset_in_progress_nqap_dqap_aqic);
	tcase_add_test(tc, test_rapq_discards_work);

	tc = fixture_tcase(s, "aqic", setup);
	tcase_add_test(tc, test_aqic_sequence);
	tcase_add_test(tc, test_aqic_change_in_flight);
	tcase_add_test(tc, test_aqic_enable_then_disable_in_flight);
	tcase_add_test(tc, test_aqic_disabled_initially);
	tcase_add_test(tc, test_aqic_invalid_nib);
	tcase_add_test(tc, test_aqic_nib_in_machine_storage);
	tcase_add_test(tc, test_aqic_records_isc_and_nib);
	tcase_add_test(tc, test_adapter_interruption);
	tcase_add_test(tc, test_no_interruption_when_disabled);

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

	tc = fixture_tcase(s, "faults", setup);
	tcase_add_test(tc, test_rc04_checkstopped);
	tcase_add_test(tc, test_rc03_deconfigured);
	tcase_add_test(tc, test_rc05_busy_dqap_works);

	tc = fixture_tcase(s, "wrap", setup_wrap);
	tcase_add_test(tc, test_wrap_24bit);
	tcase_add_test(tc, test_wrap_store_all_or_nothing);

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

	tc = fixture_tcase(s, "execute", setup);
	tcase_add_test(tc, test_execute_nqap_0026);
	tcase_add_test(tc, test_execute_dqap_0046);
	tcase_add_test(tc, test_execute_dqap_0064);
	tcase_add_test(tc, test_execute_odd_fields);
	tcase_add_test(tc, test_execute_pqap);
	tcase_add_test(tc, test_execute_not_ap_opcode);
	tcase_add_test(tc, test_nqap_dqap_amode31);
	tcase_add_test(tc, test_qci_amode24_wraps_address);
	tcase_add_test(tc, test_bad_arguments);
	tcase_add_test(tc, test_bad_arguments_messages);
	tcase_add_test(tc, test_rc_and_pgm_counts);

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

	tc = fixture_tcase(s, "fuzz", setup);
	tcase_add_test(tc, test_fuzz_registers);

	return s;
}

int main(void)
{
	return run_suite(pqap_suite());
}
