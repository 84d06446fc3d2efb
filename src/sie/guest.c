/* SPDX-License-Identifier: MIT */
/* What a guest may not do by itself (docs/sie.md, "Interception").
 *
 * A guest's instructions are decoded into the guest's own cache, where the
 * ones SIE does not interpret get a guest handler instead of the level-1
 * one: DIAG, SIE, SPX, STPX, STAP and STFL always intercept; STFLE when
 * the SCB designates no facility list; LPSWE, LCTLG and STCTG when ictl
 * or lctl ask for it; PQAP, NQAP and DQAP without ECA_APIE, and PQAP(AQIC)
 * with it (exec_control.c).  A privileged instruction in the guest's
 * problem state is the guest's privileged-operation exception first.
 */
#include <string.h>

#include "sie/sie_internal.h"

void sie_icpt_insn(struct s390ap_cpu *c, const struct cpu_op *op, uint8_t icptcode)
{
	struct sie_state *s = c->sie;
	uint8_t b[6] = { 0 };

	/* it was fetched from there a moment ago */
	(void)cpu_read_slow(c, (c->psw.addr - op->ilen) & c->amask, b, op->ilen);
	s->ipa = (uint16_t)(b[0] << 8 | b[1]);
	s->ipb = be_get32(b + 2);
	s->icpt_insn[op->id]++;
	sie_exit(c, icptcode);
}

static void g_icpt_priv(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (cpu_priv_fail(c, op))
		return;
	sie_icpt_insn(c, op, S390AP_ICPT_INST);
}

static void g_STFLE(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (!c->sie->has_fac) {
		sie_icpt_insn(c, op, S390AP_ICPT_INST);
		return;
	}
	cpu_op_STFLE(c, op); /* from the guest's list (exec_control.c) */
}

static void g_LPSWE(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (c->sie->ictl & S390AP_ICTL_LPSW)
		g_icpt_priv(c, op);
	else
		cpu_op_LPSWE(c, op);
}

static void g_STCTG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (c->sie->ictl & S390AP_ICTL_STCTL)
		g_icpt_priv(c, op);
	else
		cpu_op_STCTG(c, op);
}

/* lctl has bit 0x8000 >> n for CR n: any in r1..r3 (wrapping) intercepts. */
static void g_LCTLG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	unsigned n = ((op->r2 - op->r1) & 15u) + 1;
	uint16_t want = 0;

	for (unsigned i = 0; i < n; i++)
		want |= (uint16_t)(0x8000u >> ((op->r1 + i) & 15u));
	if (c->sie->lctl & want)
		g_icpt_priv(c, op);
	else
		cpu_op_LCTLG(c, op);
}

void sie_decode(struct cpu_op *e)
{
	switch (e->id) {
	case CPU_ID_DIAG:
	case CPU_ID_SIE:
	case CPU_ID_SPX:
	case CPU_ID_STPX:
	case CPU_ID_STAP:
	case CPU_ID_STFL:
		e->fn = g_icpt_priv;
		break;
	case CPU_ID_STFLE:
		e->fn = g_STFLE;
		break;
	case CPU_ID_LPSWE:
		e->fn = g_LPSWE;
		break;
	case CPU_ID_LCTLG:
		e->fn = g_LCTLG;
		break;
	case CPU_ID_STCTG:
		e->fn = g_STCTG;
		break;
	case CPU_ID_PQAP:
		e->fn = sie_op_PQAP;
		break;
	case CPU_ID_NQAP:
		e->fn = sie_op_NQAP;
		break;
	case CPU_ID_DQAP:
		e->fn = sie_op_DQAP;
		break;
	default:
		return;
	}
	e->fast = CPU_FAST_CALL;
}

/* The interruption parameters a program interception reports: the guest
 * lowcore's 0x80-0xAF as the instruction left them (TEID, access id) at
 * SCB 0xC0-0xEF, then the ILC and the code. */
bool sie_pgm_intercept(struct s390ap_cpu *c, uint16_t code, unsigned ilen)
{
	struct sie_state *s = c->sie;
	uint8_t *scb = sie_scb(c), b[6] = { 0 };
	uint8_t icpt;

	if (code == S390AP_PGM_OPERATION && (s->ictl & S390AP_ICTL_OPEREXC))
		icpt = S390AP_ICPT_OPEREXC;
	else if (s->ictl & S390AP_ICTL_PINT)
		icpt = S390AP_ICPT_PROGI;
	else
		return false;
	cpu_lowcore_read(c, 0x80, scb + S390AP_SCB_EIPARAMS, 0x30);
	be_put16(scb + S390AP_SCB_PGMILC, (uint16_t)ilen);
	be_put16(scb + S390AP_SCB_IPRCC, code);
	/* the instruction text for an operation exception, whose PSW points
	 * past it; a nullified exception's PSW points at it, so the text is
	 * not reported for program interceptions */
	if (ilen && icpt == S390AP_ICPT_OPEREXC)
		(void)cpu_read_slow(c, (c->psw.addr - ilen) & c->amask, b, ilen);
	s->ipa = (uint16_t)(b[0] << 8 | b[1]);
	s->ipb = be_get32(b + 2);
	sie_exit(c, icpt);
	return true;
}

bool sie_wait(struct s390ap_cpu *c)
{
	struct sie_state *s = c->sie;

	/* The host model waits with an enabled guest: the vCPU stays in SIE
	 * and wakes for its GISA (counted as the wait interception KVM
	 * takes for it). */
	if (s->vcpu && (c->psw.mask & (S390AP_PSW_IO | S390AP_PSW_EXT | S390AP_PSW_MCHK))) {
		s->icpt[S390AP_ICPT_WAIT >> 2]++;
		return false;
	}
	s->ipa = 0;
	s->ipb = 0;
	sie_exit(c, S390AP_ICPT_WAIT);
	return true;
}

uint8_t sie_io_pending(const struct s390ap_cpu *c)
{
	const struct sie_state *s = c->sie;

	if (!s->gisa)
		return 0;
	return c->sys->mem_data[s->gisa + S390AP_GISA_IPM] & (uint8_t)(c->cr[6] >> 24);
}

void sie_io_ack(struct s390ap_cpu *c, unsigned isc)
{
	uint64_t at = (uint64_t)c->sie->gisa + S390AP_GISA_IPM;

	c->sys->mem_data[at] &= (uint8_t)~S390AP_GISA_ISC_BIT(isc);
	cpu_code_written(c->sys, at, 1);
}

uint64_t sie_takers(const struct s390ap_sys *sys)
{
	uint64_t t = 0;

	for (uint64_t w = sys->gwait_mask; w; w &= w - 1) {
		unsigned i = (unsigned)__builtin_ctzll(w);
		const struct s390ap_cpu *c = sys->cpus[i];

		if ((c->psw.mask & S390AP_PSW_IO) && sie_io_pending(c))
			t |= 1ull << i;
	}
	return t;
}

bool sie_host_io(struct s390ap_cpu *c)
{
	struct sie_state *s = c->sie;
	uint8_t pend;

	if (s->vcpu || !(s->host_psw.mask & S390AP_PSW_IO))
		return false;
	pend = s390ap_machine_irq_pending(c->sys->machine) & (uint8_t)(s->host_cr[6] >> 24);
	if (!pend)
		return false;
	/* icptcode 0 and the host's PSW back at the SIE instruction, which
	 * runs again after the interruption */
	s->ipa = 0;
	s->ipb = 0;
	sie_exit(c, S390AP_ICPT_NONE);
	c->psw.addr = (c->psw.addr - 4) & c->amask;
	return true;
}
