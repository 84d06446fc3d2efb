/* SPDX-License-Identifier: MIT */
/* Loads, stores and moves: immediates, address loads, storage loads and
 * stores, LMG/STMG, MVC/MVI/XC/CLC, IC/STC, register loads and LT(G)R.
 * None of these change the condition code except XC, CLC, LTGR and LTR. */
#include <string.h>

#include "cpu/cpu_internal.h"

/* ---- immediates ---- */

void cpu_op_LGHI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = (uint64_t)(int64_t)op->imm;
}

void cpu_op_LHI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_set_lo32(c, op->r1, (uint32_t)op->imm);
}

void cpu_op_LGFI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = (uint64_t)(int64_t)op->imm;
}

void cpu_op_LLILF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = (uint32_t)op->imm;
}

void cpu_op_LLIHF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = (uint64_t)(uint32_t)op->imm << 32;
}

void cpu_op_IILF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_set_lo32(c, op->r1, (uint32_t)op->imm);
}

void cpu_op_IIHF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = (c->gr[op->r1] & 0xFFFFFFFFull) | (uint64_t)(uint32_t)op->imm << 32;
}

/* ---- address loads ---- */

void cpu_op_LA(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_set_addr_reg(c, op->r1, cpu_ea2(c, op));
}

void cpu_op_LAY(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_set_addr_reg(c, op->r1, cpu_ea2(c, op));
}

void cpu_op_LARL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_set_addr_reg(c, op->r1, (op->tag + 2 * (uint64_t)(int64_t)op->imm) & c->amask);
}

/* ---- storage loads ---- */

void cpu_op_LG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 8, &v))
		c->gr[op->r1] = v;
}

void cpu_op_LGF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 4, &v))
		c->gr[op->r1] = (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

void cpu_op_L(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 4, &v))
		cpu_set_lo32(c, op->r1, (uint32_t)v);
}

void cpu_op_LY(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_op_L(c, op);
}

void cpu_op_LLGF(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 4, &v))
		c->gr[op->r1] = v;
}

void cpu_op_LLGC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 1, &v))
		c->gr[op->r1] = v;
}

void cpu_op_LLGH(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 2, &v))
		c->gr[op->r1] = v;
}

void cpu_op_LH(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 2, &v))
		cpu_set_lo32(c, op->r1, (uint32_t)(int32_t)(int16_t)(uint16_t)v);
}

void cpu_op_IC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v;

	if (cpu_load(c, op, cpu_ea2(c, op), 1, &v))
		c->gr[op->r1] = (c->gr[op->r1] & ~0xFFull) | v;
}

/* ---- storage stores ---- */

void cpu_op_ST(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_store(c, op, cpu_ea2(c, op), 4, c->gr[op->r1]);
}

void cpu_op_STY(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_store(c, op, cpu_ea2(c, op), 4, c->gr[op->r1]);
}

void cpu_op_STG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_store(c, op, cpu_ea2(c, op), 8, c->gr[op->r1]);
}

void cpu_op_STH(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_store(c, op, cpu_ea2(c, op), 2, c->gr[op->r1]);
}

void cpu_op_STC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_store(c, op, cpu_ea2(c, op), 1, c->gr[op->r1]);
}

void cpu_op_MVI(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_store(c, op, cpu_ea1(c, op), 1, (uint64_t)op->imm);
}

/* ---- multiple registers: R1 through R3, wrapping from 15 to 0 ---- */

static unsigned reg_count(const struct cpu_op *op)
{
	return ((op->r2 - op->r1) & 15u) + 1u;
}

void cpu_op_LMG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint8_t buf[128];
	unsigned n = reg_count(op);

	if (!cpu_read_op(c, op, cpu_ea2(c, op), buf, 8ull * n))
		return;
	for (unsigned i = 0; i < n; i++)
		c->gr[(op->r1 + i) & 15u] = be_get64(buf + 8 * i);
}

void cpu_op_STMG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint8_t buf[128];
	unsigned n = reg_count(op);
	uint64_t ea = cpu_ea2(c, op);
	uint8_t *p;

	for (unsigned i = 0; i < n; i++)
		be_put64(buf + 8 * i, c->gr[(op->r1 + i) & 15u]);
	p = cpu_ptr(c, ea, 8ull * n);
	if (CPU_LIKELY(p)) {
		memcpy(p, buf, 8ull * n);
		cpu_stored(c, p, 8ull * n);
		return;
	}
	cpu_write_op(c, op, ea, buf, 8ull * n);
}

/* ---- storage-to-storage: one byte at a time, left to right ---- */

enum ss_kind { SS_MVC, SS_XC, SS_CLC };

/* Operands that cross an 8 KiB real block, wrap, or leave storage. */
static void ss_slow(struct s390ap_cpu *c, const struct cpu_op *op, enum ss_kind kind, uint64_t ea1,
		    uint64_t ea2, unsigned len)
{
	unsigned acc = 0, cc = 0;

	if (!cpu_check_range(c, ea2, len) || !cpu_check_range(c, ea1, len)) {
		cpu_program(c, S390AP_PGM_ADDRESSING, op->ilen);
		return;
	}
	for (unsigned i = 0; i < len; i++) {
		uint8_t *d = cpu_byte_ptr(c, ea1 + i);
		const uint8_t *s = cpu_byte_ptr(c, ea2 + i);

		if (kind == SS_CLC) {
			if (*d != *s) {
				cc = *d < *s ? 1u : 2u;
				break;
			}
			continue;
		}
		*d = kind == SS_MVC ? *s : (uint8_t)(*d ^ *s);
		acc |= *d;
		cpu_code_written(c->sys, c->mem_base + (uint64_t)(d - c->mem), 1);
	}
	if (kind == SS_XC)
		cpu_set_cc(c, acc ? 1u : 0u);
	else if (kind == SS_CLC)
		cpu_set_cc(c, cc);
}

void cpu_op_MVC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned len = (unsigned)op->imm + 1;
	uint64_t ea1 = cpu_ea1(c, op), ea2 = cpu_ea2(c, op);
	uint8_t *d = cpu_ptr(c, ea1, len);
	const uint8_t *s = cpu_ptr(c, ea2, len);

	if (CPU_UNLIKELY(!d || !s)) {
		ss_slow(c, op, SS_MVC, ea1, ea2, len);
		return;
	}
	if (d > s && d < s + len) {
		/* Destructive overlap: byte by byte propagates (MVC 1(n,R),0(R)). */
		for (unsigned i = 0; i < len; i++)
			d[i] = s[i];
	} else {
		memmove(d, s, len);
	}
	cpu_stored(c, d, len);
}

void cpu_op_XC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned len = (unsigned)op->imm + 1, acc = 0;
	uint64_t ea1 = cpu_ea1(c, op), ea2 = cpu_ea2(c, op);
	uint8_t *d = cpu_ptr(c, ea1, len);
	const uint8_t *s = cpu_ptr(c, ea2, len);

	if (CPU_UNLIKELY(!d || !s)) {
		ss_slow(c, op, SS_XC, ea1, ea2, len);
		return;
	}
	for (unsigned i = 0; i < len; i++) {
		d[i] ^= s[i];
		acc |= d[i];
	}
	cpu_stored(c, d, len);
	cpu_set_cc(c, acc ? 1u : 0u);
}

void cpu_op_CLC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned len = (unsigned)op->imm + 1;
	uint64_t ea1 = cpu_ea1(c, op), ea2 = cpu_ea2(c, op);
	const uint8_t *a = cpu_ptr(c, ea1, len);
	const uint8_t *b = cpu_ptr(c, ea2, len);
	int r;

	if (CPU_UNLIKELY(!a || !b)) {
		ss_slow(c, op, SS_CLC, ea1, ea2, len);
		return;
	}
	r = memcmp(a, b, len);
	cpu_set_cc(c, r == 0 ? 0u : r < 0 ? 1u : 2u);
}

/* ---- register loads ---- */

void cpu_op_LGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	c->gr[op->r1] = c->gr[op->r2];
}

void cpu_op_LR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	cpu_set_lo32(c, op->r1, (uint32_t)c->gr[op->r2]);
}

void cpu_op_LTGR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t v = c->gr[op->r2];

	c->gr[op->r1] = v;
	cpu_cc_lazy(c, CPU_CCK_SIGNED, v, 0);
}

void cpu_op_LTR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint32_t v = (uint32_t)c->gr[op->r2];

	cpu_set_lo32(c, op->r1, v);
	cpu_cc_lazy(c, CPU_CCK_SIGNED, (uint64_t)(int64_t)(int32_t)v, 0);
}
