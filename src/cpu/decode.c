/* SPDX-License-Identifier: MIT */
/* Decoding: a 256-entry table on the first opcode byte, then one
 * second-level table per extended opcode, field extraction per format, and
 * the direct-mapped cache of decoded instructions.
 *
 *   byte 0       second level                            formats
 *   A5, A7       byte 1 low nibble (16 entries)           RI
 *   C0, C2       byte 1 low nibble (16 entries)           RIL
 *   B2, B9       byte 1 (256 entries)                     S, RRE
 *   E3, EB       byte 5 (256 entries)                     RXY, RSY
 *   others       the first-level entry is the instruction
 *
 * Table entries hold id + 1, so 0 means "not installed".
 */
#include <string.h>

#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"

struct insn_info {
	const char *name;
	uint8_t fmt;
	uint8_t cls;
	cpu_fn fn;
};

static const struct insn_info insn_info[CPU_NINSNS] = {
#define CPU_X_(name, fmt, cls) \
	[CPU_ID_##name] = { #name, CPU_FMT_##fmt, CPU_COST_##cls, cpu_op_##name },
	CPU_INSN_LIST(CPU_X_)
#undef CPU_X_
};

#define I(name) (CPU_ID_##name + 1)

/* Markers for the second-level tables in the first-level table. */
enum { SUB_A5 = 0xF8, SUB_A7, SUB_C0, SUB_C2, SUB_B2, SUB_B9, SUB_E3, SUB_EB };

/* clang-format off */
static const uint8_t op_first[256] = {
	[0x04] = I(SPM),  [0x07] = I(BCR),  [0x0D] = I(BASR), [0x12] = I(LTR),
	[0x18] = I(LR),   [0x19] = I(CR),   [0x1A] = I(AR),   [0x1B] = I(SR),
	[0x40] = I(STH),  [0x41] = I(LA),   [0x42] = I(STC),  [0x43] = I(IC),
	[0x48] = I(LH),   [0x50] = I(ST),   [0x58] = I(L),    [0x80] = I(SSM),
	[0x83] = I(DIAG), [0x88] = I(SRL),  [0x89] = I(SLL),  [0x91] = I(TM),
	[0x92] = I(MVI),  [0x95] = I(CLI),  [0xAC] = I(STNSM), [0xAD] = I(STOSM),
	[0xD2] = I(MVC),  [0xD5] = I(CLC),  [0xD7] = I(XC),
	[0xA5] = SUB_A5,  [0xA7] = SUB_A7,  [0xC0] = SUB_C0,  [0xC2] = SUB_C2,
	[0xB2] = SUB_B2,  [0xB9] = SUB_B9,  [0xE3] = SUB_E3,  [0xEB] = SUB_EB,
};

static const uint8_t op_a5[16] = {
	[0x7] = I(NILL), [0xB] = I(OILL),
};

static const uint8_t op_a7[16] = {
	[0x1] = I(TMLL), [0x4] = I(BRC),  [0x5] = I(BRAS), [0x6] = I(BRCT),
	[0x7] = I(BRCTG), [0x8] = I(LHI), [0x9] = I(LGHI), [0xA] = I(AHI),
	[0xB] = I(AGHI), [0xE] = I(CHI),  [0xF] = I(CGHI),
};

static const uint8_t op_c0[16] = {
	[0x0] = I(LARL), [0x1] = I(LGFI), [0x4] = I(BRCL), [0x5] = I(BRASL),
	[0x8] = I(IIHF), [0x9] = I(IILF), [0xB] = I(NILF), [0xD] = I(OILF),
	[0xE] = I(LLIHF), [0xF] = I(LLILF),
};

static const uint8_t op_c2[16] = {
	[0xC] = I(CGFI), [0xE] = I(CLGFI),
};

static const uint8_t op_b2[256] = {
	[0x10] = I(SPX),  [0x11] = I(STPX), [0x12] = I(STAP), [0x14] = I(SIE),
	[0x22] = I(IPM),  [0xAD] = I(NQAP), [0xAE] = I(DQAP), [0xAF] = I(PQAP),
	[0xB0] = I(STFLE), [0xB1] = I(STFL), [0xB2] = I(LPSWE),
};

static const uint8_t op_b9[256] = {
	[0x02] = I(LTGR), [0x04] = I(LGR), [0x08] = I(AGR), [0x09] = I(SGR),
	[0x20] = I(CGR),  [0x21] = I(CLGR), [0x80] = I(NGR), [0x81] = I(OGR),
	[0x82] = I(XGR),
};

static const uint8_t op_e3[256] = {
	[0x04] = I(LG),   [0x14] = I(LGF),  [0x16] = I(LLGF), [0x24] = I(STG),
	[0x50] = I(STY),  [0x58] = I(LY),   [0x71] = I(LAY),  [0x90] = I(LLGC),
	[0x91] = I(LLGH),
};

static const uint8_t op_eb[256] = {
	[0x04] = I(LMG),  [0x0C] = I(SRLG), [0x0D] = I(SLLG), [0x24] = I(STMG),
	[0x25] = I(STCTG), [0x2F] = I(LCTLG),
};
/* clang-format on */

#undef I

int cpu_decode_id(const uint8_t *b)
{
	unsigned e = op_first[b[0]];

	switch (e) {
	case 0:
		return -1;
	case SUB_A5:
		e = op_a5[b[1] & 0xF];
		break;
	case SUB_A7:
		e = op_a7[b[1] & 0xF];
		break;
	case SUB_C0:
		e = op_c0[b[1] & 0xF];
		break;
	case SUB_C2:
		e = op_c2[b[1] & 0xF];
		break;
	case SUB_B2:
		e = op_b2[b[1]];
		break;
	case SUB_B9:
		e = op_b9[b[1]];
		break;
	case SUB_E3:
		e = op_e3[b[5]];
		break;
	case SUB_EB:
		e = op_eb[b[5]];
		break;
	default:
		break;
	}
	return (int)e - 1;
}

static uint8_t base_reg(unsigned r)
{
	return (uint8_t)(r ? r : 16u);
}

/* 20-bit signed displacement DH:DL of RXY/RSY. */
static int32_t disp20(const uint8_t *b)
{
	int32_t dl = (int32_t)(((unsigned)b[2] & 0xF) << 8 | b[3]);
	int32_t dh = (int8_t)b[4];

	return dh * 4096 + dl;
}

void cpu_decode_fields(struct cpu_op *op, const uint8_t *b, unsigned id)
{
	const struct insn_info *in = &insn_info[id];

	op->fn = in->fn;
	op->id = (uint8_t)id;
	op->fast = id == CPU_ID_BRC     ? CPU_FAST_BRC
		   : id == CPU_ID_BRCT  ? CPU_FAST_BRCT
		   : id == CPU_ID_BRCTG ? CPU_FAST_BRCTG
		   : id == CPU_ID_AHI   ? CPU_FAST_AHI
		   : id == CPU_ID_AGHI  ? CPU_FAST_AGHI
		   : id == CPU_ID_LGR   ? CPU_FAST_LGR
		   : id == CPU_ID_LGHI  ? CPU_FAST_LGHI
					: CPU_FAST_CALL;
	op->ilen = (uint8_t)cpu_ilen(b[0]);
	op->r1 = op->r2 = 0;
	op->x = op->b1 = op->b2 = 16;
	op->d1 = op->d2 = op->imm = 0;

	switch ((enum cpu_fmt)in->fmt) {
	case CPU_FMT_RR:
		op->r1 = b[1] >> 4;
		op->r2 = b[1] & 0xF;
		break;
	case CPU_FMT_RRE:
		op->r1 = b[3] >> 4;
		op->r2 = b[3] & 0xF;
		break;
	case CPU_FMT_RI:
		op->r1 = b[1] >> 4;
		op->imm = (int16_t)be_get16(b + 2);
		break;
	case CPU_FMT_RIL:
		op->r1 = b[1] >> 4;
		op->imm = (int32_t)be_get32(b + 2);
		break;
	case CPU_FMT_RX:
	case CPU_FMT_RS:
		op->r1 = b[1] >> 4;
		if (in->fmt == CPU_FMT_RX)
			op->x = base_reg(b[1] & 0xF);
		else
			op->r2 = b[1] & 0xF;
		op->b2 = base_reg(b[2] >> 4);
		op->d2 = (int32_t)(be_get16(b + 2) & 0xFFF);
		break;
	case CPU_FMT_RXY:
	case CPU_FMT_RSY:
		op->r1 = b[1] >> 4;
		if (in->fmt == CPU_FMT_RXY)
			op->x = base_reg(b[1] & 0xF);
		else
			op->r2 = b[1] & 0xF;
		op->b2 = base_reg(b[2] >> 4);
		op->d2 = disp20(b);
		break;
	case CPU_FMT_SI:
		op->imm = b[1];
		op->b1 = base_reg(b[2] >> 4);
		op->d1 = (int32_t)(be_get16(b + 2) & 0xFFF);
		break;
	case CPU_FMT_S:
		op->b2 = base_reg(b[2] >> 4);
		op->d2 = (int32_t)(be_get16(b + 2) & 0xFFF);
		break;
	case CPU_FMT_SS:
		op->imm = b[1];
		op->b1 = base_reg(b[2] >> 4);
		op->d1 = (int32_t)(be_get16(b + 2) & 0xFFF);
		op->b2 = base_reg(b[4] >> 4);
		op->d2 = (int32_t)(be_get16(b + 4) & 0xFFF);
		break;
	}
}

unsigned cpu_insn_cost_class(unsigned id)
{
	return id < CPU_NINSNS ? insn_info[id].cls : CPU_COST_SIMPLE;
}

/* ---- public decoding API ---- */

unsigned s390ap_insn_count(void)
{
	return CPU_NINSNS;
}

const char *s390ap_insn_name(unsigned id)
{
	return id < CPU_NINSNS ? insn_info[id].name : NULL;
}

int s390ap_decode(const uint8_t *code, size_t avail, unsigned *id, unsigned *ilen)
{
	unsigned n;
	int i;

	if (!code || avail < 2)
		return S390AP_EINVAL;
	n = cpu_ilen(code[0]);
	if (avail < n)
		return S390AP_EINVAL;
	i = cpu_decode_id(code);
	if (i < 0)
		return S390AP_ENOTSUP;
	if (id)
		*id = (unsigned)i;
	if (ilen)
		*ilen = n;
	return 0;
}

/* ---- the decoded-instruction cache ---- */

static void op_invalid(struct s390ap_cpu *c, const struct cpu_op *op)
{
	/* Only reachable if an odd address matched an empty entry, which the
	 * PSW checks rule out; be safe rather than jump through NULL. */
	(void)op;
	cpu_program(c, S390AP_PGM_SPECIFICATION, 0);
}

void cpu_icache_flush_cache(struct cpu_op *ic, bool *clean)
{
	/* A new system flushes at creation, start and prefix setting: once is
	 * enough (4096 entries per vCPU dominate a short run's set-up). */
	if (*clean)
		return;
	*clean = true;
	for (unsigned i = 0; i < CPU_ICACHE_SIZE; i++) {
		ic[i].tag = CPU_TAG_INVALID;
		ic[i].fn = op_invalid;
		ic[i].next = &ic[(i + 1) & CPU_ICACHE_MASK];
		ic[i].target = &ic[i];
	}
}

void cpu_icache_flush(struct s390ap_cpu *c)
{
	cpu_icache_flush_cache(c->icache, &c->icache_clean);
}

void cpu_icache_invalidate(struct cpu_op *ic, uint64_t ra, uint64_t len)
{
	/* An instruction starting up to 4 bytes before ra reaches into it. */
	uint64_t lo = ra - 4, span = len + 4;
	uint64_t slots = span / 2 + 1;

	if (slots > CPU_ICACHE_SIZE)
		slots = CPU_ICACHE_SIZE;
	for (uint64_t i = 0; i < slots; i++) {
		struct cpu_op *e = &ic[((lo >> 1) + i) & CPU_ICACHE_MASK];
		if (e->tag - lo < span) {
			e->tag = CPU_TAG_INVALID;
			e->fn = op_invalid; /* fields stay: a running handler may read them */
		}
	}
}

static void mark_code(struct s390ap_cpu *c, uint64_t abs_first, uint64_t abs_last)
{
	c->code_map[abs_first >> CPU_CODE_SHIFT] = 1;
	c->code_map[abs_last >> CPU_CODE_SHIFT] = 1;
}

const struct cpu_op *cpu_fetch(struct s390ap_cpu *c, uint64_t a)
{
	uint8_t b[6];
	unsigned n;
	int id;
	struct cpu_op *e;
	const uint8_t *p;

	if (a & 1) {
		/* Odd instruction address: specification, nothing executed. */
		cpu_program_fetch(c, S390AP_PGM_SPECIFICATION, 0);
		return NULL;
	}
	if (!cpu_read_slow(c, a, b, 2)) {
		c->psw.addr = (a + 2) & c->amask;
		cpu_program_fetch(c, S390AP_PGM_ADDRESSING, 2);
		return NULL;
	}
	n = cpu_ilen(b[0]);
	if (n > 2 && !cpu_read_slow(c, a + 2, b + 2, n - 2)) {
		c->psw.addr = (a + n) & c->amask;
		cpu_program_fetch(c, S390AP_PGM_ADDRESSING, n);
		return NULL;
	}
	id = cpu_decode_id(b);
	if (id < 0) {
		c->psw.addr = (a + n) & c->amask;
		cpu_program_fetch(c, S390AP_PGM_OPERATION, n);
		return NULL;
	}
	/* Cache it unless it straddles an 8 KiB real block (its bytes would
	 * not be contiguous in absolute storage under prefixing). */
	p = cpu_ptr(c, a, n);
	e = p ? &c->icache[(a >> 1) & CPU_ICACHE_MASK] : &c->scratch;
	c->icache_clean = false;
	cpu_decode_fields(e, b, (unsigned)id);
	if (CPU_UNLIKELY(c->in_sie))
		sie_decode(e); /* what the guest may not do itself intercepts */
	e->cost = c->sys->class_cost[insn_info[id].cls];
	e->tag = a;
	e->next = &c->icache[((a + n) >> 1) & CPU_ICACHE_MASK];
	e->taddr = a + 2 * (uint64_t)(int64_t)e->imm;
	e->target = &c->icache[(e->taddr >> 1) & CPU_ICACHE_MASK];
	if (p) {
		uint64_t abs = (uint64_t)(p - c->mem);
		mark_code(c, abs, abs + n - 1);
	}
	return e;
}
