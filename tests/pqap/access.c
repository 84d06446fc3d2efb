/* SPDX-License-Identifier: MIT */
/* pqap suite: the storage access interface.  Access exceptions of every
 * kind through each operand (QCI block, NQAP message, DQAP buffer) with
 * their ending, TEID and exception access id; what each access is told
 * (kind, key, address space, register); the AQIC NIB (absolute, RC 0x06
 * on any exception) and its atomic OR; operands that wrap; and a callback
 * that leaves by longjmp on any access. */
#include <setjmp.h>
#include <stdint.h>

#include "pqap_test.h"

/* Addresses from WRAP_BASE up map to ram from 0, so that a 31-bit operand
 * can run past 0x7FFFFFFF and go on at 0. */
#define WRAP_BASE 0x7FF00000ull

/* A storage over ram with an access callback that records every access
 * and reports exc for any that touches [lo, hi). */
struct faulty {
	uint64_t lo, hi;
	s390ap_access_exc exc;
	unsigned calls, faults;
	s390ap_access acc[16]; /* the first 16 accesses */
	int once;              /* fault only once, then succeed */
};

static struct faulty fz;

static int ram_map(uint64_t addr, size_t len, uint8_t **p)
{
	uint64_t off = addr >= WRAP_BASE ? addr - WRAP_BASE : addr;

	if (off >= ram_size || len > ram_size - off)
		return -1;
	*p = ram + off;
	return 0;
}

static int faulty_access(void *c, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct faulty *f = c;
	uint8_t *p;

	if (f->calls < 16)
		f->acc[f->calls] = *acc;
	f->calls++;
	if (acc->addr < f->hi && acc->addr + acc->len > f->lo && f->once >= 0) {
		f->faults++;
		*exc = f->exc;
		if (f->once)
			f->once = -1;
		return -1;
	}
	if (ram_map(acc->addr, acc->len, &p) < 0) {
		exc->pgm = S390AP_PGM_ADDRESSING;
		return -1;
	}
	switch (acc->kind) {
	case S390AP_ACCESS_FETCH:
		memcpy(buf, p, acc->len);
		break;
	case S390AP_ACCESS_STORE:
		memcpy(p, buf, acc->len);
		break;
	default: {
		uint8_t old = *p;

		*p |= *(uint8_t *)buf;
		*(uint8_t *)buf = old;
	}
	}
	return 0;
}

static const s390ap_storage fst = { S390AP_SIZED(s390ap_storage), .ctx = &fz,
				    .access = faulty_access };

static void fault_on(uint64_t lo, uint64_t len, uint16_t pgm)
{
	memset(&fz, 0, sizeof fz);
	fz.lo = lo;
	fz.hi = lo + len;
	fz.exc.pgm = pgm;
	fz.exc.flags = S390AP_EXC_TEID | S390AP_EXC_EAI;
	fz.exc.teid = (lo & ~0xFFFull) | 0x800 | 2; /* page address, store, secondary */
	fz.exc.eai = 0x0C;
}

static void faulty_setup(void)
{
	setup();
	memset(&fz, 0, sizeof fz);
	ctx.storage = &fst;
}

/* Every access exception code and the ending it gets. */
static const struct {
	uint16_t pgm;
	uint8_t ending;
} codes[] = {
	{ S390AP_PGM_PROTECTION, S390AP_ENDING_SUPPRESSED },
	{ S390AP_PGM_ADDRESSING, S390AP_ENDING_SUPPRESSED },
	{ S390AP_PGM_SEGMENT_TRANSLATION, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_PAGE_TRANSLATION, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_TRANSLATION_SPEC, S390AP_ENDING_SUPPRESSED },
	{ S390AP_PGM_ALET_SPEC, S390AP_ENDING_SUPPRESSED },
	{ S390AP_PGM_ALEN_TRANSLATION, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_ALE_SEQUENCE, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_ASTE_VALIDITY, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_ASTE_SEQUENCE, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_EXTENDED_AUTHORITY, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_ASCE_TYPE, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_REGION_FIRST_TRANSLATION, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_REGION_SECOND_TRANSLATION, S390AP_ENDING_NULLIFIED },
	{ S390AP_PGM_REGION_THIRD_TRANSLATION, S390AP_ENDING_NULLIFIED },
};

static void expect_access_exc(unsigned i, uint64_t lo)
{
	ck_assert_uint_eq(res.pgm, codes[i].pgm);
	ck_assert_uint_eq(res.ending, codes[i].ending);
	ck_assert_uint_eq(s390ap_pgm_ending(codes[i].pgm), codes[i].ending);
	ck_assert(!res.sw_stored);
	ck_assert_uint_eq(res.exc_flags, S390AP_EXC_TEID | S390AP_EXC_EAI);
	ck_assert_x64(res.teid, (lo & ~0xFFFull) | 0x802);
	ck_assert_uint_eq(res.eai, 0x0C);
	ck_assert_uint_eq(fz.faults, 1);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, codes[i].pgm), 1);
}

/* QCI: the block is stored nowhere, GR1/GR2 unchanged. */
START_TEST(test_access_qci_each_exception)
{
	uint8_t before[S390AP_QCI_SIZE];

	fault_on(QCI_ADDR + 64, 8, codes[_i].pgm);
	memset(ram + QCI_ADDR, 0xCC, S390AP_QCI_SIZE);
	memcpy(before, ram + QCI_ADDR, sizeof before);
	qci(QCI_ADDR);
	expect_access_exc((unsigned)_i, QCI_ADDR + 64);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[2], QCI_ADDR);
	ck_assert_mem_eq(ram + QCI_ADDR, before, sizeof before);
}
END_TEST

/* NQAP: nothing enqueued, registers as they were. */
START_TEST(test_access_nqap_each_exception)
{
	put_msg(MSG_ADDR, 0x200);
	fault_on(MSG_ADDR + 0x100, 1, codes[_i].pgm);
	nqap(ACC, 0x1122334455667788ull, MSG_ADDR, 0x200);
	expect_access_exc((unsigned)_i, MSG_ADDR + 0x100);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[NQ_R2], MSG_ADDR);
	ck_assert_x64(gr[NQ_R2 + 1], 0x200);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).enqueued, 0);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 0);
}
END_TEST

/* DQAP: the reply stays, nothing stored, registers as they were. */
START_TEST(test_access_dqap_each_exception)
{
	uint8_t before[64];

	put_msg(MSG_ADDR, 0x200);
	nqap(ACC, 0x42, MSG_ADDR, 0x200);
	EXPECT_SW(0, 0);
	advance(100000);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	memset(ram + BUF_ADDR, 0xCC, sizeof before);
	memcpy(before, ram + BUF_ADDR, sizeof before);
	fault_on(BUF_ADDR + 4, 0x1000, codes[_i].pgm);
	gr[2] = 0;
	dqap_cont(ACC, BUF_ADDR, 0x1000);
	expect_access_exc((unsigned)_i, BUF_ADDR + 4);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_x64(gr[2], 0);
	ck_assert_x64(gr[DQ_R1], PSMID_HI_FILL);
	ck_assert_x64(gr[DQ_R1 + 1], PSMID_LO_FILL);
	ck_assert_x64(gr[DQ_R2], BUF_ADDR);
	ck_assert_x64(gr[DQ_R2 + 1], 0x1000);
	ck_assert_mem_eq(ram + BUF_ADDR, before, sizeof before);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_uint_eq(qinfo(ACC).dequeued, 0);
	/* the same DQAP once the storage is there: the whole reply */
	fz.lo = fz.hi = 0;
	dqap(ACC, BUF_ADDR, 0x1000);
	EXPECT_SW(0, E); /* the whole reply, the queue empty */
	ck_assert_uint_eq(qinfo(ACC).dequeued, 1);
}
END_TEST

/* Each access is told its kind, the PSW key, the address space and the
 * register the address came from; the NIB check is an absolute fetch with
 * key 0. */
START_TEST(test_access_carries_key_and_asc)
{
	ck_assert_int_eq(s390ap_machine_set_storage(m, &fst), 0);
	ctx.key = 9;
	ctx.asc = S390AP_ASC_SECONDARY;
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	aqic(ACC, true, 3, NIB_ADDR);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	advance(100000);
	put_msg(MSG_ADDR, 0x40);
	nqap(ACC, 0x42, MSG_ADDR, 0x40);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	advance(100000);
	dqap(ACC, BUF_ADDR, 0x1000);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(fz.calls, 5);
	/* QCI */
	ck_assert_x64(fz.acc[0].addr, QCI_ADDR);
	ck_assert_uint_eq(fz.acc[0].len, S390AP_QCI_SIZE);
	ck_assert_uint_eq(fz.acc[0].kind, S390AP_ACCESS_STORE);
	ck_assert_uint_eq(fz.acc[0].key, 9);
	ck_assert_uint_eq(fz.acc[0].asc, S390AP_ASC_SECONDARY);
	ck_assert_uint_eq(fz.acc[0].ar, 2);
	/* AQIC's NIB check */
	ck_assert_x64(fz.acc[1].addr, NIB_ADDR);
	ck_assert_uint_eq(fz.acc[1].len, 1);
	ck_assert_uint_eq(fz.acc[1].kind, S390AP_ACCESS_FETCH);
	ck_assert_uint_eq(fz.acc[1].key, 0);
	ck_assert_uint_eq(fz.acc[1].asc, S390AP_ASC_ABSOLUTE);
	/* NQAP */
	ck_assert_x64(fz.acc[2].addr, MSG_ADDR);
	ck_assert_uint_eq(fz.acc[2].len, 0x40);
	ck_assert_uint_eq(fz.acc[2].kind, S390AP_ACCESS_FETCH);
	ck_assert_uint_eq(fz.acc[2].key, 9);
	ck_assert_uint_eq(fz.acc[2].asc, S390AP_ASC_SECONDARY);
	ck_assert_uint_eq(fz.acc[2].ar, NQ_R2);
	/* the reply sets the NIB: one OR of 0x01, absolute */
	ck_assert_x64(fz.acc[3].addr, NIB_ADDR);
	ck_assert_uint_eq(fz.acc[3].len, 1);
	ck_assert_uint_eq(fz.acc[3].kind, S390AP_ACCESS_OR);
	ck_assert_uint_eq(fz.acc[3].key, 0);
	ck_assert_uint_eq(fz.acc[3].asc, S390AP_ASC_ABSOLUTE);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 3), 1);
	/* DQAP */
	ck_assert_x64(fz.acc[4].addr, BUF_ADDR);
	ck_assert_uint_eq(fz.acc[4].kind, S390AP_ACCESS_STORE);
	ck_assert_uint_eq(fz.acc[4].key, 9);
	ck_assert_uint_eq(fz.acc[4].asc, S390AP_ASC_SECONDARY);
	ck_assert_uint_eq(fz.acc[4].ar, DQ_R2);
}
END_TEST

/* A key or address-space control that no PSW can hold is refused. */
START_TEST(test_access_ctx_key_asc_checked)
{
	ctx.key = 16;
	gr[0] = gr0_fc(S390AP_FC_QCI, 0);
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), S390AP_EINVAL);
	ctx.key = 15;
	ctx.asc = S390AP_ASC_REAL;
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), S390AP_EINVAL);
	ctx.asc = S390AP_ASC_HOME;
	gr[2] = QCI_ADDR;
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), 0);
	ck_assert_uint_eq(res.cc, 0);
}
END_TEST

/* The AQIC NIB is no operand: any access exception there, even a page
 * translation, is RC 0x06 with nothing else changed. */
START_TEST(test_access_nib_exception_is_rc06)
{
	ck_assert_int_eq(s390ap_machine_set_storage(m, &fst), 0);
	fault_on(NIB_ADDR, 1, codes[_i].pgm);
	aqic(ACC, true, 3, NIB_ADDR);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ADDRESS));
	ck_assert_uint_eq(res.ending, S390AP_ENDING_COMPLETED);
	ck_assert_uint_eq(res.exc_flags, 0);
	ck_assert(!qinfo(ACC).irq_enabled);
	ck_assert(!qinfo(ACC).irq_change_pending);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, codes[_i].pgm), 0);
}
END_TEST

/* The callback may choose the ending itself. */
START_TEST(test_access_ending_override)
{
	fault_on(QCI_ADDR, 1, S390AP_PGM_PROTECTION);
	fz.exc.ending = S390AP_ENDING_TERMINATED;
	fz.exc.flags = 0;
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_PROTECTION);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_TERMINATED);
	ck_assert_uint_eq(res.exc_flags, 0);
	/* a failure with no code is an addressing exception */
	fault_on(QCI_ADDR, 1, 0);
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_ADDRESSING);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_SUPPRESSED);
}
END_TEST

/* A code that is no access exception (insn.h: "any code not below"):
 * suppressed, never completed, since nothing was stored; the PER bit does
 * not change a code's ending. */
START_TEST(test_access_other_code_suppressed)
{
	fault_on(QCI_ADDR, 1, S390AP_PGM_FIXED_OVERFLOW);
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_FIXED_OVERFLOW);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_SUPPRESSED);
	fault_on(QCI_ADDR, 1, 0x0080 | S390AP_PGM_PAGE_TRANSLATION);
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, 0x0080 | S390AP_PGM_PAGE_TRANSLATION);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_NULLIFIED);
	fault_on(QCI_ADDR, 1, 0x0099);
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_SUPPRESSED);
}
END_TEST

/* The read / write pair: a failure is an addressing exception, suppressed,
 * with no TEID. */
START_TEST(test_access_legacy_is_addressing)
{
	ctx.storage = &st;
	qci(MEM_SIZE - 64);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_ADDRESSING);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_SUPPRESSED);
	ck_assert_uint_eq(res.exc_flags, 0);
	ck_assert_x64(res.teid, 0);
	/* the exceptions the instruction finds itself suppress too */
	qci(QCI_ADDR + 4);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_SUPPRESSED);
	ctx.problem_state = true;
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_PRIVILEGED);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_SUPPRESSED);
}
END_TEST

/* A 64-bit operand that runs past 2^64 goes on at 0 like a 24/31-bit one:
 * the callback gets ranges below 2^64 only (one that wrapped would defeat
 * a bounds check written as addr + len <= size). */
START_TEST(test_access_wrap_at_2_64)
{
	const uint64_t top = 0xFFFFFFFFFFFFFFC0ull; /* 64 bytes before 2^64 */

	ctx.amode = 64;
	qci(top);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_ADDRESSING);
	ck_assert_uint_ge(fz.calls, 1);
	for (unsigned i = 0; i < fz.calls && i < 16; i++)
		ck_assert_msg(fz.acc[i].len - 1 <= ~fz.acc[i].addr,
			      "access %u at 0x%016" PRIx64 " +%zu runs past 2^64", i,
			      fz.acc[i].addr, fz.acc[i].len);
	/* the piece at 0 is probed first (it is in storage), then the piece
	 * below the top is refused */
	ck_assert_x64(fz.acc[0].addr, 0);
	ck_assert_uint_eq(fz.acc[0].len, 64);

	memset(&fz, 0, sizeof fz);
	put_msg(MSG_ADDR, 0x40);
	nqap(ACC, 0x43, top + 0x20, 0x40);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_ADDRESSING);
	for (unsigned i = 0; i < fz.calls && i < 16; i++)
		ck_assert(fz.acc[i].len - 1 <= ~fz.acc[i].addr);
}
END_TEST

/* A 31-bit DQAP buffer that runs past 0x7FFFFFFF goes on at 0.  A fault on
 * the second piece is found by a probe before the first piece is stored. */
START_TEST(test_access_wrap_store_probed)
{
	const uint64_t top = 0x7FFFFFF8ull; /* 8 bytes before the wrap */
	const size_t first = 8;

	ctx.amode = 31;
	use_capture(3);
	cap.reply_len = 0x40;
	put_msg(MSG_ADDR, 0x40);
	nqap(ACC, 0x42, MSG_ADDR, 0x40);
	EXPECT_SW(0, 0);
	advance(100000);
	memset(ram + (top - WRAP_BASE), 0xCC, first);
	memset(ram, 0xCC, 0x40);
	fault_on(0, 0x40, S390AP_PGM_PAGE_TRANSLATION);
	dqap(ACC, top, 0x40);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_PAGE_TRANSLATION);
	ck_assert_uint_eq(res.ending, S390AP_ENDING_NULLIFIED);
	for (size_t k = 0; k < first; k++)
		ck_assert_uint_eq(ram[top - WRAP_BASE + k], 0xCC);
	ck_assert_uint_eq(fz.calls, 1); /* the probe's fetch at 0 */
	ck_assert_uint_eq(fz.acc[0].kind, S390AP_ACCESS_FETCH);
	ck_assert_x64(fz.acc[0].addr, 0);
	/* without the fault: probe (fetch, store back), then both pieces */
	fz.lo = fz.hi = 0;
	fz.calls = 0;
	dqap(ACC, top, 0x40);
	EXPECT_SW(0, E);
	ck_assert_uint_eq(fz.calls, 4);
	for (size_t k = 0; k < 0x40; k++)
		ck_assert_uint_eq(k < first ? ram[top - WRAP_BASE + k] : ram[k - first],
				  reply_byte(0x42, k));
	ck_assert_x64(gr[DQ_R2], 0x40 - first);
}
END_TEST

/* s390ap_mem's access callback: the OR returns the old byte. */
START_TEST(test_access_mem_or)
{
	s390ap_mem *mem;
	s390ap_storage ms;
	s390ap_access acc = {
		.addr = 0x10, .len = 1, .kind = S390AP_ACCESS_OR, .asc = S390AP_ASC_ABSOLUTE
	};
	s390ap_access_exc exc = { 0 };
	uint8_t b = 0x01;

	ck_assert_int_eq(s390ap_mem_new(&mem, 0x1000), 0);
	ck_assert_int_eq(s390ap_mem_storage(mem, &ms), 0);
	ck_assert(ms.access != NULL);
	ck_assert_int_eq(ms.access(ms.ctx, &acc, &b, &exc), 0);
	ck_assert_uint_eq(b, 0x00);
	ck_assert_uint_eq(s390ap_mem_data(mem)[0x10], 0x01);
	b = 0x80;
	ck_assert_int_eq(ms.access(ms.ctx, &acc, &b, &exc), 0);
	ck_assert_uint_eq(b, 0x01);
	ck_assert_uint_eq(s390ap_mem_data(mem)[0x10], 0x81);
	acc.addr = 0x1000;
	b = 0x01;
	ck_assert_int_ne(ms.access(ms.ctx, &acc, &b, &exc), 0);
	ck_assert_uint_eq(exc.pgm, S390AP_PGM_ADDRESSING);
	s390ap_mem_free(mem);
}
END_TEST

/* A NIB already non-zero gets no new interruption; the OR keeps its bits. */
START_TEST(test_access_nib_or_once)
{
	ck_assert_int_eq(s390ap_machine_set_storage(m, &fst), 0);
	aqic(ACC, true, 3, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(100000);
	put_msg(MSG_ADDR, 0x40);
	nqap(ACC, 1, MSG_ADDR, 0x40);
	advance(100000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 3), 1);
	ram[NIB_ADDR] = 0x80; /* the program left another bit on */
	nqap(ACC, 2, MSG_ADDR, 0x40);
	advance(100000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x81);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 3), 1);
	ram[NIB_ADDR] = 0;
	nqap(ACC, 3, MSG_ADDR, 0x40);
	advance(100000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 3), 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* longjmp out of the k-th access                                     */
/* ------------------------------------------------------------------ */

/* A machine of its own with a flat storage, the operand storage jumping
 * out on access number jump_at (counting from 1; 0 = never).  The
 * sequence runs as single actions (step, mid) so that it can stop and go
 * on anywhere: mid = the step's registers are set and it is being executed
 * again after cc 2 (a CPU-determined amount). */
struct jm {
	struct capture cap;
	s390ap_machine *m;
	s390ap_mem *mem;
	s390ap_storage flat;
	s390ap_storage jumpy;
	uint64_t gr[16];
	s390ap_insn_ctx ctx;
	unsigned count, jump_at;
	unsigned execs; /* executions started */
	size_t step;
	bool mid;
	jmp_buf jb;
};

static int jumpy_access(void *c, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct jm *j = c;

	/* the NIB's OR comes from the clock, not an instruction: it returns */
	if (acc->kind != S390AP_ACCESS_OR && ++j->count == j->jump_at)
		longjmp(j->jb, 1);
	return j->flat.access(j->flat.ctx, acc, buf, exc);
}

#define J_MSG 0x10000u
#define J_BUF 0x20000u
#define J_NIB 0x900u
#define J_QCI 0x800u

/* cpu_det: the machine's CPU-determined amount (0: the default, larger
 * than every operand here). */
static void jm_open(struct jm *j, unsigned jump_at, uint32_t cpu_det)
{
	uint8_t msg[0x300];
	s390ap_engine eng;
	s390ap_machine_opts o;
	s390ap_adapter_opts ao;

	memset(j, 0, sizeof *j);
	ck_assert_int_eq(s390ap_mem_new(&j->mem, MEM_SIZE), 0);
	ck_assert_int_eq(s390ap_mem_storage(j->mem, &j->flat), 0);
	j->jumpy =
		(s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = j, .access = jumpy_access };
	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.storage = &j->jumpy;
	o.cpu_determined = cpu_det;
	ck_assert_int_eq(s390ap_machine_new(&j->m, &o), 0);
	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ck_assert_int_eq(s390ap_adapter_add(j->m, 3, &ao), 0);
	ck_assert_int_eq(s390ap_domain_add(j->m, 6, true, true), 0);
	eng = (s390ap_engine){ .process = cap_process, .destroy = cap_destroy, .ctx = &j->cap };
	j->cap.reply_len = 0x100;
	ck_assert_int_eq(s390ap_adapter_set_engine(j->m, 3, &eng), 0);
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7u + 1u);
	msg[0] = 0x00;
	msg[1] = 0x50;
	msg[2] = (uint8_t)(sizeof msg >> 8);
	msg[3] = (uint8_t)sizeof msg;
	ck_assert_int_eq(s390ap_mem_write(j->mem, J_MSG, msg, sizeof msg), 0);
	j->ctx.gr = j->gr;
	j->ctx.amode = 64;
	j->ctx.storage = &j->jumpy;
	j->ctx.key = 3;
	j->jump_at = jump_at;
}

static void jm_close(struct jm *j)
{
	s390ap_machine_free(j->m);
	s390ap_mem_free(j->mem);
}

/* The steps of the sequence.  The clock steps are no instructions. */
enum jstep { J_QCI_OP, J_TAPQ, J_AQIC, J_NQ1, J_NQ2, J_ADV, J_DQ1, J_DQ2, J_NQW, J_DQW, J_END };

static const enum jstep seq[] = { J_QCI_OP, J_TAPQ, J_AQIC, J_NQ1, J_NQ2, J_ADV,
				  J_DQ1,    J_DQ2,  J_NQW,  J_ADV, J_DQW, J_END };

static uint32_t jm_regs(struct jm *j, enum jstep s)
{
	uint64_t *g = j->gr;

	switch (s) {
	case J_QCI_OP:
		g[0] = gr0_fc(S390AP_FC_QCI, 0);
		g[2] = J_QCI;
		return S390AP_OP_PQAP << 16;
	case J_TAPQ:
		g[0] = gr0_fc(S390AP_FC_TAPQ, ACC);
		return S390AP_OP_PQAP << 16;
	case J_AQIC:
		g[0] = gr0_fc(S390AP_FC_AQIC, ACC);
		g[1] = S390AP_AQIC_IR | 3;
		g[2] = J_NIB;
		return S390AP_OP_PQAP << 16;
	case J_NQ1: /* first part of a two-part message */
	case J_NQ2:
	case J_NQW:
		g[0] = ACC | (s == J_NQ1 ? 0 : S390AP_NQAP_L);
		g[4] = 0;
		g[5] = s == J_NQW ? 0x77 : 0x66;
		g[6] = J_MSG + (s == J_NQ2 ? 0x100 : 0);
		g[7] = s == J_NQW ? 0x300 : s == J_NQ1 ? 0x100 : 0x200;
		return S390AP_OP_NQAP << 16 | 4 << 4 | 6;
	default: /* J_DQ1 (16 bytes of the reply), J_DQ2 (the rest), J_DQW */
		g[0] = ACC;
		if (s != J_DQ2)
			g[2] = 0;
		g[8] = J_BUF + (s == J_DQ2 ? 16 : 0);
		g[9] = s == J_DQ1 ? 16 : 0x1000;
		return S390AP_OP_DQAP << 16 | 6 << 4 | 8;
	}
}

static uint32_t jm_insn(enum jstep s)
{
	return s == J_NQ1 || s == J_NQ2 || s == J_NQW   ? S390AP_OP_NQAP << 16 | 4 << 4 | 6
	       : s == J_DQ1 || s == J_DQ2 || s == J_DQW ? S390AP_OP_DQAP << 16 | 6 << 4 | 8
							: S390AP_OP_PQAP << 16;
}

static bool jm_done(const struct jm *j)
{
	return seq[j->step] == J_END;
}

/* Whether the next action executes an instruction. */
static bool jm_next_exec(const struct jm *j)
{
	return j->mid || (seq[j->step] != J_ADV && seq[j->step] != J_END);
}

/* Set the step's registers if it has not started: the state of a machine
 * whose execution jumped out. */
static void jm_enter(struct jm *j)
{
	if (!j->mid) {
		(void)jm_regs(j, seq[j->step]);
		j->mid = true;
	}
}

/* One action; false when the access jumped out. */
static bool jm_action(struct jm *j)
{
	s390ap_insn_result r;

	if (seq[j->step] == J_ADV) {
		ck_assert_int_eq(s390ap_machine_advance(j->m, 100000), 0);
		j->step++;
		return true;
	}
	jm_enter(j);
	j->execs++;
	if (setjmp(j->jb))
		return false;
	ck_assert_int_eq(s390ap_execute(j->m, &j->ctx, jm_insn(seq[j->step]), &r), 0);
	ck_assert_uint_eq(r.pgm, 0);
	if (r.cc != 2) { /* cc 2: the same instruction again */
		j->mid = false;
		j->step++;
	}
	return true;
}

static s390ap_queue_info qinfo_of(const s390ap_machine *mm)
{
	s390ap_queue_info qi;

	ck_assert_int_eq(s390ap_queue_info_get(mm, ACC, &qi), 0);
	return qi;
}

static void jm_compare(const struct jm *a, const struct jm *b)
{
	s390ap_queue_info qa, qb;

	ck_assert_uint_eq(a->step, b->step);
	ck_assert_int_eq(a->mid, b->mid);
	ck_assert_int_eq(s390ap_queue_info_get(a->m, ACC, &qa), 0);
	ck_assert_int_eq(s390ap_queue_info_get(b->m, ACC, &qb), 0);
	ck_assert_int_eq(qa.irq_enabled, qb.irq_enabled);
	ck_assert_int_eq(qa.irq_change_pending, qb.irq_change_pending);
	ck_assert_uint_eq(qa.requests, qb.requests);
	ck_assert_uint_eq(qa.replies, qb.replies);
	ck_assert_uint_eq(qa.enqueued, qb.enqueued);
	ck_assert_uint_eq(qa.dequeued, qb.dequeued);
	ck_assert_uint_eq(s390ap_machine_mem_used(a->m), s390ap_machine_mem_used(b->m));
	ck_assert_uint_eq(s390ap_machine_now(a->m), s390ap_machine_now(b->m));
	ck_assert_uint_eq(s390ap_machine_next_event(a->m), s390ap_machine_next_event(b->m));
	ck_assert_uint_eq(s390ap_machine_irq_pending(a->m), s390ap_machine_irq_pending(b->m));
	for (unsigned rc = 0; rc < 256; rc++)
		ck_assert_uint_eq(s390ap_machine_rc_count(a->m, (uint8_t)rc),
				  s390ap_machine_rc_count(b->m, (uint8_t)rc));
	for (unsigned pgm = 0; pgm < 128; pgm++)
		ck_assert_uint_eq(s390ap_machine_pgm_count(a->m, (uint16_t)pgm),
				  s390ap_machine_pgm_count(b->m, (uint16_t)pgm));
	ck_assert_mem_eq(a->gr, b->gr, sizeof a->gr);
	ck_assert_mem_eq(s390ap_mem_data(a->mem), s390ap_mem_data(b->mem), MEM_SIZE);
}

/* For every k: jump out of the k-th operand access (QCI, AQIC's NIB
 * check, the NQAP parts, the DQAP pieces), then compare with a machine
 * that ran the same actions without the jumping one.  Both then finish
 * the sequence, so a state the jump spoiled would show later too.  Row 0
 * moves every operand in one execution; row 1 has a CPU-determined amount
 * of 0x80 bytes, so NQAP and DQAP end with cc 2 and are executed again. */
START_TEST(test_access_longjmp_every_k)
{
	static const uint32_t cpu_det[] = { 0, 0x80 };
	static const unsigned accesses[] = { 8, 19 };
	unsigned k;

	for (k = 1;; k++) {
		struct jm a, b;
		bool jumped = false;

		jm_open(&a, k, cpu_det[_i]);
		while (!jm_done(&a) && !jumped)
			jumped = !jm_action(&a);
		if (!jumped) { /* fewer than k accesses: done */
			jm_close(&a);
			break;
		}
		/* b: every action before the execution a jumped out of */
		jm_open(&b, 0, cpu_det[_i]);
		while (!(b.execs == a.execs - 1 && jm_next_exec(&b)))
			ck_assert(jm_action(&b));
		jm_enter(&b);
		jm_compare(&a, &b);
		/* the rest of the sequence on both */
		a.jump_at = 0;
		while (!jm_done(&a))
			ck_assert(jm_action(&a));
		while (!jm_done(&b))
			ck_assert(jm_action(&b));
		jm_compare(&a, &b);
		ck_assert_uint_eq(qinfo_of(a.m).dequeued, 2);
		ck_assert_uint_eq(s390ap_mem_data(a.mem)[J_NIB], 1);
		jm_close(&a);
		jm_close(&b);
	}
	ck_assert_uint_eq(k, accesses[_i] + 1);
}
END_TEST

void tcase_pqap_access(Suite *s)
{
	TCase *tc = fixture_tcase(s, "access", faulty_setup);
	const int n = (int)ARRAY_SIZE(codes);

	tcase_add_loop_test(tc, test_access_qci_each_exception, 0, n);
	tcase_add_loop_test(tc, test_access_nqap_each_exception, 0, n);
	tcase_add_loop_test(tc, test_access_dqap_each_exception, 0, n);
	tcase_add_loop_test(tc, test_access_nib_exception_is_rc06, 0, n);
	tcase_add_test(tc, test_access_carries_key_and_asc);
	tcase_add_test(tc, test_access_ctx_key_asc_checked);
	tcase_add_test(tc, test_access_ending_override);
	tcase_add_test(tc, test_access_other_code_suppressed);
	tcase_add_test(tc, test_access_legacy_is_addressing);
	tcase_add_test(tc, test_access_wrap_store_probed);
	tcase_add_test(tc, test_access_wrap_at_2_64);
	tcase_add_test(tc, test_access_mem_or);
	tcase_add_test(tc, test_access_nib_or_once);
	tcase_add_loop_test(tc, test_access_longjmp_every_k, 0, 2);
}
