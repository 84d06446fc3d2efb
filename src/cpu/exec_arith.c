/* SPDX-License-Identifier: MIT */
/* Arithmetic, logic, shifts, compares and tests.
 *
 * Signed add/subtract: cc 0 zero, 1 negative, 2 positive, 3 overflow.  On
 * overflow the result is stored (the sum modulo 2^n) and, when the PSW
 * fixed-point-overflow mask (bit 20) is one, a fixed-point-overflow program
 * interruption (0x0008) follows; the instruction has completed, so the old
 * PSW points to the next instruction.
 * AND/OR/XOR: cc 0 result zero, 1 not zero.
 * Compares: cc 0 equal, 1 first operand low, 2 first operand high.
 * TM: cc 0 selected bits all zero (or mask zero), 1 mixed, 3 all ones.
 * TMLL: as TM, but mixed gives 1 when the leftmost selected bit is zero
 * and 2 when it is one.
 */
#include "cpu/cpu_internal.h"

/* The cc is left lazy (cpu_cc_lazy); only the overflow has to be known now,
 * and only when the fixed-point-overflow mask asks for an interruption. */
static inline void ovf_check(struct s390ap_cpu *c, const struct cpu_op *op, bool ovf)
{
	if (CPU_UNLIKELY(c->psw.mask & CPU_PSW_PM_FIXED) && ovf)
		cpu_program(c, S390AP_PGM_FIXED_OVERFLOW, op->ilen);
}

static inline void add64(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t b)
{
	uint64_t a = c->gr[op->r1], r = a + b;

	c->gr[op->r1] = r;
	cpu_cc_lazy(c, CPU_CCK_ADD64, a, b);
	ovf_check(c, op, ((a ^ r) & (b ^ r)) >> 63);
}

static inline void sub64(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t b)
{
	uint64_t a = c->gr[op->r1], r = a - b;

	c->gr[op->r1] = r;
	cpu_cc_lazy(c, CPU_CCK_SUB64, a, b);
	ovf_check(c, op, ((a ^ b) & (a ^ r)) >> 63);
}

static inline void add32(struct s390ap_cpu *c, const struct cpu_op *op, uint32_t b)
{
	uint32_t a = (uint32_t)c->gr[op->r1], r = a + b;

	cpu_set_lo32(c, op->r1, r);
	cpu_cc_lazy(c, CPU_CCK_ADD32, a, b);
	ovf_check(c, op, ((a ^ r) & (b ^ r)) >> 31);
}

static inline void sub32(struct s390ap_cpu *c, const struct cpu_op *op, uint32_t b)
{
	uint32_t a = (uint32_t)c->gr[op->r1], r = a - b;

	cpu_set_lo32(c, op->r1, r);
	cpu_cc_lazy(c, CPU_CCK_SUB32, a, b);
	ovf_check(c, op, ((a ^ b) & (a ^ r)) >> 31);
}

void cpu_op_AGHI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	add64(c, op, (uint64_t)(int64_t)op->imm);
}

void cpu_op_AHI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	add32(c, op, (uint32_t)op->imm);
}

void cpu_op_AGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	add64(c, op, c->gr[op->r2]);
}

void cpu_op_AR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	add32(c, op, (uint32_t)c->gr[op->r2]);
}

void cpu_op_SGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	sub64(c, op, c->gr[op->r2]);
}

void cpu_op_SR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	sub32(c, op, (uint32_t)c->gr[op->r2]);
}

/* ---- logic ---- */

void cpu_op_NGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] &= c->gr[op->r2];
	cpu_cc_lazy(c, CPU_CCK_NZ, c->gr[op->r1], 0);
}

void cpu_op_OGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] |= c->gr[op->r2];
	cpu_cc_lazy(c, CPU_CCK_NZ, c->gr[op->r1], 0);
}

void cpu_op_XGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] ^= c->gr[op->r2];
	cpu_cc_lazy(c, CPU_CCK_NZ, c->gr[op->r1], 0);
}

void cpu_op_NILL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v = c->gr[op->r1] & ((uint64_t)(uint16_t)op->imm | 0xFFFFFFFFFFFF0000ull);

	c->gr[op->r1] = v;
	cpu_cc_lazy(c, CPU_CCK_NZ, v & 0xFFFF, 0);
}

void cpu_op_NILF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint32_t v = (uint32_t)c->gr[op->r1] & (uint32_t)op->imm;

	cpu_set_lo32(c, op->r1, v);
	cpu_cc_lazy(c, CPU_CCK_NZ, v, 0);
}

void cpu_op_OILL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v = c->gr[op->r1] | (uint16_t)op->imm;

	c->gr[op->r1] = v;
	cpu_cc_lazy(c, CPU_CCK_NZ, v & 0xFFFF, 0);
}

void cpu_op_OILF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint32_t v = (uint32_t)c->gr[op->r1] | (uint32_t)op->imm;

	cpu_set_lo32(c, op->r1, v);
	cpu_cc_lazy(c, CPU_CCK_NZ, v, 0);
}

/* ---- shifts: the amount is bits 58-63 of the second-operand address ---- */

void cpu_op_SLLG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = c->gr[op->r2] << (cpu_ea2(c, op) & 63);
}

void cpu_op_SRLG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = c->gr[op->r2] >> (cpu_ea2(c, op) & 63);
}

void cpu_op_SLL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned n = (unsigned)(cpu_ea2(c, op) & 63);
	uint32_t v = (uint32_t)c->gr[op->r1];

	cpu_set_lo32(c, op->r1, n < 32 ? v << n : 0);
}

void cpu_op_SRL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned n = (unsigned)(cpu_ea2(c, op) & 63);
	uint32_t v = (uint32_t)c->gr[op->r1];

	cpu_set_lo32(c, op->r1, n < 32 ? v >> n : 0);
}

/* ---- compares ---- */

void cpu_op_CGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	int64_t a = (int64_t)c->gr[op->r1], b = (int64_t)c->gr[op->r2];

	cpu_cc_lazy(c, CPU_CCK_CMPS, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	int32_t a = (int32_t)(uint32_t)c->gr[op->r1], b = (int32_t)(uint32_t)c->gr[op->r2];

	cpu_cc_lazy(c, CPU_CCK_CMPS, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CLGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t a = c->gr[op->r1], b = c->gr[op->r2];

	cpu_cc_lazy(c, CPU_CCK_CMPU, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CGHI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	int64_t a = (int64_t)c->gr[op->r1], b = op->imm;

	cpu_cc_lazy(c, CPU_CCK_CMPS, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CHI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	int32_t a = (int32_t)(uint32_t)c->gr[op->r1], b = op->imm;

	cpu_cc_lazy(c, CPU_CCK_CMPS, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CGFI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	int64_t a = (int64_t)c->gr[op->r1], b = op->imm;

	cpu_cc_lazy(c, CPU_CCK_CMPS, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CLGFI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t a = c->gr[op->r1], b = (uint32_t)op->imm;

	cpu_cc_lazy(c, CPU_CCK_CMPU, (uint64_t)a, (uint64_t)b);
}

void cpu_op_CLI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;
	unsigned b = (uint8_t)op->imm;

	if (cpu_load(c, op, cpu_ea1(c, op), 1, &v))
		cpu_cc_lazy(c, CPU_CCK_CMPU, v, b);
}

/* ---- tests under mask ---- */

void cpu_op_TM(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;
	unsigned m = (uint8_t)op->imm, sel;

	if (!cpu_load(c, op, cpu_ea1(c, op), 1, &v))
		return;
	sel = (unsigned)v & m;
	cpu_set_cc(c, sel == 0 ? 0u : sel == m ? 3u : 1u);
}

void cpu_op_TMLL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned m = (uint16_t)op->imm, v = (unsigned)(c->gr[op->r1] & 0xFFFF);
	unsigned sel = v & m, left = 0x8000;

	if (sel == 0) {
		cpu_set_cc(c, 0);
		return;
	}
	if (sel == m) {
		cpu_set_cc(c, 3);
		return;
	}
	while (!(m & left))
		left >>= 1;
	cpu_set_cc(c, (v & left) ? 2u : 1u);
}
