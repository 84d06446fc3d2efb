/* SPDX-License-Identifier: MIT */
/* Branches.  The PSW already holds the next sequential address when a
 * handler runs; a taken branch replaces it and charges cost.branch extra.
 *
 * Relative targets are the instruction's own address + 2 * I2.  Link
 * information (BRAS, BRASL, BASR) depends on the addressing mode:
 *
 *   64-bit  R1 bits 0-63  = next address
 *   31-bit  R1 bits 32-63 = 1 | next address (bits 33-63); bits 0-31 unchanged
 *   24-bit  R1 bits 32-63 = ILC(2) CC(2) PM(4) next address(24); bits 0-31 unchanged
 */
#include "cpu/cpu_internal.h"

static inline bool cond(const struct s390ap_cpu *c, unsigned mask)
{
	return (mask & (8u >> cpu_cc(c))) != 0;
}

static inline void take(struct s390ap_cpu *c, uint64_t target)
{
	c->psw.addr = target & c->amask;
	c->slice_cycles += c->branch_cost;
}

static inline uint64_t rel(const struct cpu_op *op)
{
	return op->tag + 2 * (uint64_t)(int64_t)op->imm;
}

static void set_link(struct s390ap_cpu *c, unsigned r, unsigned ilen)
{
	uint64_t next = c->psw.addr;

	if (c->amask == ~0ull) {
		c->gr[r] = next;
	} else if (c->amask == 0x7FFFFFFFull) {
		cpu_set_lo32(c, r, 0x80000000u | (uint32_t)next);
	} else {
		uint32_t pm = (uint32_t)(c->psw.mask >> 40) & 0xF;
		uint32_t ilc_cc_pm = (uint32_t)(ilen / 2) << 30 | cpu_cc(c) << 28 | pm << 24;

		cpu_set_lo32(c, r, ilc_cc_pm | (uint32_t)next);
	}
}

/* Branch to a register address; an odd address is a specification
 * exception recognised on the fetch: the old PSW holds the odd address and
 * the ILC is that of the branch. */
static void take_reg(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t target)
{
	take(c, target);
	if (CPU_UNLIKELY(c->psw.addr & 1))
		cpu_program(c, S390AP_PGM_SPECIFICATION, op->ilen);
}

void cpu_op_BRC(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (cond(c, op->r1))
		take(c, rel(op));
}

void cpu_op_BRCL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (cond(c, op->r1))
		take(c, rel(op));
}

void cpu_op_BRCT(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint32_t v = (uint32_t)c->gr[op->r1] - 1;

	cpu_set_lo32(c, op->r1, v);
	if (v != 0)
		take(c, rel(op));
}

void cpu_op_BRCTG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (--c->gr[op->r1] != 0)
		take(c, rel(op));
}

void cpu_op_BRAS(struct s390ap_cpu *c, const struct cpu_op *op)
{
	set_link(c, op->r1, op->ilen);
	take(c, rel(op));
}

void cpu_op_BRASL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	set_link(c, op->r1, op->ilen);
	take(c, rel(op));
}

void cpu_op_BCR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	/* R2 = 0: no branch (BCR 15,0 / 14,0 are serialisation). */
	if (op->r2 != 0 && cond(c, op->r1))
		take_reg(c, op, c->gr[op->r2]);
}

void cpu_op_BASR(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t target = c->gr[op->r2]; /* before the link: R1 may be R2 */

	set_link(c, op->r1, op->ilen);
	if (op->r2 != 0)
		take_reg(c, op, target);
}
