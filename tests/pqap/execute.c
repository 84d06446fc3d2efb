/* SPDX-License-Identifier: MIT */
/* pqap suite: s390ap_execute decoding, addressing modes and address wrap,
 * bad arguments, statistics, and seeded fuzzing of the guest registers. */
#include "pqap_test.h"

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

/* The four entry points with one argument made bad at a time. */
enum ap_entry { ENTRY_EXECUTE, ENTRY_PQAP, ENTRY_NQAP, ENTRY_DQAP };
enum bad_arg { BAD_MACHINE, BAD_CTX, BAD_GR, BAD_RESULT, BAD_R1, BAD_R2, BAD_AMODE };

static const char *const entry_names[] = { "execute", "pqap", "nqap", "dqap" };

/* Call entry on PQAP(TAPQ) (execute, pqap), NQAP 2,4 or DQAP 6,8 with
 * argument bad replaced by one that cannot work. */
static int call_bad(enum ap_entry entry, enum bad_arg bad)
{
	s390ap_insn_ctx c = ctx;
	s390ap_machine *mach = bad == BAD_MACHINE ? NULL : m;
	const s390ap_insn_ctx *cp = bad == BAD_CTX ? NULL : &c;
	s390ap_insn_result *rp = bad == BAD_RESULT ? NULL : &res;
	unsigned r1 = entry == ENTRY_NQAP ? 2 : 6, r2 = entry == ENTRY_NQAP ? 4 : 8;

	if (bad == BAD_GR)
		c.gr = NULL;
	if (bad == BAD_AMODE)
		c.amode = 32;
	if (bad == BAD_R1)
		r1 = 16;
	if (bad == BAD_R2)
		r2 = 16;
	gr[0] = gr0_fc(S390AP_FC_TAPQ, ACC);
	switch (entry) {
	case ENTRY_EXECUTE:
		return s390ap_execute(mach, cp, 0xB2AF0000u, rp);
	case ENTRY_PQAP:
		return s390ap_pqap(mach, cp, rp);
	case ENTRY_NQAP:
		return s390ap_nqap(mach, cp, r1, r2, rp);
	default:
		return s390ap_dqap(mach, cp, r1, r2, rp);
	}
}

static const struct {
	enum ap_entry entry;
	enum bad_arg bad;
} bad_arguments[] = {
	{ ENTRY_EXECUTE, BAD_MACHINE },
	{ ENTRY_EXECUTE, BAD_CTX },
	{ ENTRY_EXECUTE, BAD_RESULT },
	{ ENTRY_EXECUTE, BAD_GR },
	{ ENTRY_PQAP, BAD_MACHINE },
	{ ENTRY_PQAP, BAD_CTX },
	{ ENTRY_PQAP, BAD_RESULT },
	{ ENTRY_PQAP, BAD_GR },
	{ ENTRY_NQAP, BAD_MACHINE },
	{ ENTRY_NQAP, BAD_CTX },
	{ ENTRY_NQAP, BAD_RESULT },
	{ ENTRY_DQAP, BAD_MACHINE },
	{ ENTRY_DQAP, BAD_CTX },
	{ ENTRY_DQAP, BAD_RESULT },
	/* register numbers beyond 15 are not instructions */
	{ ENTRY_NQAP, BAD_R1 },
	{ ENTRY_DQAP, BAD_R2 },
	/* an addressing mode that does not exist */
	{ ENTRY_PQAP, BAD_AMODE },
};

START_TEST(test_bad_arguments)
{
	ck_assert_msg(call_bad(bad_arguments[_i].entry, bad_arguments[_i].bad) < 0,
		      "%s with bad argument %d accepted", entry_names[bad_arguments[_i].entry],
		      (int)bad_arguments[_i].bad);
	/* the machine is still usable */
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

/* With a machine at hand, every refused argument leaves a message: each
 * call first has another message put in place, then must replace it. */
static void expect_err_msg(int got, int want, const char *frag, const char *what)
{
	ck_assert_msg(got == want, "%s: %d, expected %d", what, got, want);
	ck_assert_msg(strstr(s390ap_machine_errmsg(m), frag) != NULL, "%s: message '%s'", what,
		      s390ap_machine_errmsg(m));
}

static void put_other_message(void)
{
	ck_assert_int_eq(s390ap_execute(m, &ctx, 0x12345678u, &res), S390AP_EINVAL);
}

static const struct {
	enum ap_entry entry;
	enum bad_arg bad;
	const char *frag;
} bad_insn_messages[] = {
	{ ENTRY_EXECUTE, BAD_CTX, "no instruction context" },
	{ ENTRY_EXECUTE, BAD_GR, "no general registers" },
	{ ENTRY_EXECUTE, BAD_RESULT, "no result" },
	{ ENTRY_PQAP, BAD_CTX, "no instruction context" },
	{ ENTRY_PQAP, BAD_GR, "no general registers" },
	{ ENTRY_PQAP, BAD_RESULT, "no result" },
	{ ENTRY_NQAP, BAD_CTX, "no instruction context" },
	{ ENTRY_NQAP, BAD_GR, "no general registers" },
	{ ENTRY_NQAP, BAD_RESULT, "no result" },
	{ ENTRY_DQAP, BAD_CTX, "no instruction context" },
	{ ENTRY_DQAP, BAD_GR, "no general registers" },
	{ ENTRY_DQAP, BAD_RESULT, "no result" },
	{ ENTRY_NQAP, BAD_R1, "register number over 15" },
};

START_TEST(test_bad_arguments_messages)
{
	uint8_t block[128];

	put_other_message();
	expect_err_msg(call_bad(bad_insn_messages[_i].entry, bad_insn_messages[_i].bad),
		       S390AP_EINVAL, bad_insn_messages[_i].frag,
		       entry_names[bad_insn_messages[_i].entry]);
	/* and nothing was changed: the machine answers as before */
	ck_assert_int_eq(s390ap_machine_qci(m, block), 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
}
END_TEST

static int irq_ack_isc8(void)
{
	return s390ap_machine_irq_ack(m, 8, NULL);
}

static int qci_no_block(void)
{
	return s390ap_machine_qci(m, NULL);
}

static int queue_info_no_output(void)
{
	return s390ap_queue_info_get(m, ACC, NULL);
}

static int queue_info_no_queue(void)
{
	s390ap_queue_info qi;

	return s390ap_queue_info_get(m, S390AP_APQN(0x77, 1), &qi);
}

static int adapter_info_no_output(void)
{
	return s390ap_adapter_info_get(m, 3, NULL);
}

static int adapter_info_none_no_output(void)
{
	return s390ap_adapter_info_get(m, 0x77, NULL);
}

static const struct {
	int (*call)(void);
	int err;
	const char *frag;
} bad_api_messages[] = {
	{ irq_ack_isc8, S390AP_EINVAL, "ISC 8 over 7" },
	{ qci_no_block, S390AP_EINVAL, "QCI: no block" },
	{ queue_info_no_output, S390AP_EINVAL, "queue info: no output" },
	{ queue_info_no_queue, S390AP_ENOENT, "no queue 77.0001" },
	{ adapter_info_no_output, S390AP_EINVAL, "adapter info: no output" },
	{ adapter_info_none_no_output, S390AP_EINVAL, "adapter info: no output" },
};

START_TEST(test_bad_arguments_api_messages)
{
	uint8_t block[128];

	put_other_message();
	expect_err_msg(bad_api_messages[_i].call(), bad_api_messages[_i].err,
		       bad_api_messages[_i].frag, bad_api_messages[_i].frag);
	ck_assert_int_eq(s390ap_machine_qci(m, block), 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
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
	ck_assert_x64(gr[NQ_R2], 0x18); /* 0xFFFFF8 + 32, wrapped */
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
	s390ap_storage holey = { S390AP_SIZED(s390ap_storage), .read = holey_read,
				 .write = holey_write };
	uint8_t before[8];
	uint64_t regs[16];

	memcpy(ram + 0x2000,
	       "\x00\x50\x00\x10"
	       "abcdefghijkl",
	       16);
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
	ck_assert_uint_eq(qinfo(ACC).replies, 1); /* nullified: the reply stays */
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

	g0 |= (uint64_t)(r % 11) << S390AP_GR0_FC_SHIFT; /* FC 0..10 */
	if ((r >> 8) % 8 == 0)
		g0 |= (r >> 16) & 0xFFFF0000ull; /* any flag bits */
	if ((r >> 40) % 16 == 0)
		g0 |= fuzz_next(x) & 0xFFFFFFFF00000000ull; /* ignored half */
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
			insn = ops[r % 3] | (uint32_t)pairs[(r >> 8) % 6] << 4 |
			       pairs[(r >> 12) % 6];
		unsigned r1 = (insn >> 4) & 0xf, r2 = insn & 0xf;

		for (unsigned i = 0; i < 16; i++)
			gr[i] = fuzz_value(&x);
		gr[0] = fuzz_gr0(&x);
		if ((insn >> 16) != S390AP_OP_PQAP && (r >> 60) % 4) /* NQAP L / DQAP bit 32 */
			gr[0] = (gr[0] & 0xFFFF) |
				((insn >> 16) == S390AP_OP_NQAP ? S390AP_NQAP_L
								: S390AP_DQAP_BIT32);
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
			ck_assert_msg(res.pgm == S390AP_PGM_OPERATION ||
					      res.pgm == S390AP_PGM_PRIVILEGED ||
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
				ck_assert_msg(gr[i] == before[i], "iteration %u: GR%u changed", n,
					      i);
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

void tcase_pqap_execute(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "execute", setup);
	tcase_add_test(tc, test_execute_nqap_0026);
	tcase_add_test(tc, test_execute_dqap_0046);
	tcase_add_test(tc, test_execute_dqap_0064);
	tcase_add_test(tc, test_execute_odd_fields);
	tcase_add_test(tc, test_execute_pqap);
	tcase_add_test(tc, test_execute_not_ap_opcode);
	tcase_add_test(tc, test_nqap_dqap_amode31);
	tcase_add_test(tc, test_qci_amode24_wraps_address);
	tcase_add_loop_test(tc, test_bad_arguments, 0, (int)ARRAY_SIZE(bad_arguments));
	tcase_add_loop_test(tc, test_bad_arguments_messages, 0, (int)ARRAY_SIZE(bad_insn_messages));
	tcase_add_loop_test(tc, test_bad_arguments_api_messages, 0,
			    (int)ARRAY_SIZE(bad_api_messages));
	tcase_add_test(tc, test_rc_and_pgm_counts);

	tc = fixture_tcase(s, "wrap", setup_wrap);
	tcase_add_test(tc, test_wrap_24bit);
	tcase_add_test(tc, test_wrap_store_all_or_nothing);

	tc = fixture_tcase(s, "fuzz", setup);
	tcase_add_test(tc, test_fuzz_registers);
}
