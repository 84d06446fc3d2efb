/* SPDX-License-Identifier: MIT */
/* Shared helpers of the AP instruction layer.
 *
 * One internal entry, insn_exec(), runs every AP instruction.  It takes a
 * prepared environment (struct insn_env, built by insn_prepare() from a
 * context): the public s390ap_execute() prepares one per call after
 * checking its arguments; the dispatcher keeps one per vCPU and level and
 * prepares it again only when what it was built from changes. */
#ifndef S390AP_PQAP_INTERNAL_H
#define S390AP_PQAP_INTERNAL_H

#include "ap/ap_internal.h"
#include "ap/mem_internal.h"

/* What the executing level sees.  Everything but res is fixed between
 * instructions as long as the context's fields, the view and the machine's
 * facilities stay the same. */
struct insn_env {
	s390ap_machine *m;
	const s390ap_insn_ctx *ctx;
	const s390ap_view *view; /* NULL = whole machine */
	uint32_t fac;            /* view facilities AND machine facilities */
	uint16_t early_pgm;      /* operation / privileged-operation exception, or 0 */
	uint64_t *gr;
	uint64_t amask;          /* address mask for the addressing mode */
	s390ap_insn_result *res; /* set by insn_exec for each instruction */
	/* Operand storage: ctx->storage (inner; ap_no_storage when it has no
	 * usable callbacks) in 64-bit mode; in 24- and 31-bit mode wrap_st,
	 * which splits an access that runs past the top of the addressing
	 * mode (it goes on at 0) into two.  insn_st picks wrap_st for a
	 * 64-bit operand that runs past 2^64. */
	const s390ap_storage *st;
	const s390ap_storage *inner;
	s390ap_storage wrap_st;
	uint8_t key, asc; /* of operand accesses */
	/* A buffer of at least the operand's length for a store that wraps
	 * (DQAP sets the adapter's staging buffer); NULL: only up to
	 * INSN_WRAP_STACK bytes. */
	uint8_t *scratch;
};

#define INSN_WRAP_STACK S390AP_QCI_SIZE

/* The storage for one operand access: env->st, except for an operand that
 * runs past the top of the 64-bit space, which goes on at 0 as in the
 * smaller modes: wrap_st splits it, so that every access a callback gets
 * is one range below 2^64.  (In 24/31-bit mode env->st wraps already.) */
static inline const s390ap_storage *insn_st(const struct insn_env *env, const s390ap_access *acc)
{
	return AP_UNLIKELY(acc->len - 1 > ~acc->addr) ? &env->wrap_st : env->st;
}

/* Flags for insn_resolve. */
#define RESOLVE_NQDQ 0x1u  /* NQAP/DQAP: missing domain on the adapter is 0x11 */
#define RESOLVE_DQAP 0x2u  /* not subject to busy windows */
#define RESOLVE_RESET 0x4u /* RAPQ/ZAPQ: not stopped by the sticky async error */

/* Register-pair checks as one mask test: bit r for each odd register r
 * (an even-odd pair must start at an even register). */
#define INSN_REGS_ODD 0xAAAAu

/* GR0 bits 48-63 with ids over the limit without APXA (GR0 & 0xC0F0). */
#define GR0_APQN_NOAPXA_BITS 0xC0F0ull

/* Check a context from outside (NULL pointers, addressing mode): 0 or
 * S390AP_EINVAL. */
int insn_check_ctx(s390ap_machine *m, const s390ap_insn_ctx *ctx, const s390ap_insn_result *res);
/* Build env for a checked context. */
void insn_prepare(struct insn_env *env, s390ap_machine *m, const s390ap_insn_ctx *ctx);

/* The instructions after the shared prologue (res cleared, operation and
 * privileged operation checked). */
int pqap_exec(struct insn_env *env);
int nqap_exec(struct insn_env *env, unsigned r1, unsigned r2);
int dqap_exec(struct insn_env *env, unsigned r1, unsigned r2);

/* An exception the instruction recognizes itself: all of them suppress. */
static inline void insn_pgm(struct insn_env *env, uint16_t pgm)
{
	env->res->pgm = pgm;
	env->res->ending = S390AP_ENDING_SUPPRESSED;
	env->m->pgm_count[pgm & 0x7f]++;
}

/* An access exception on an operand (docs/ap-model.md for the endings): 0,
 * or S390AP_EINVAL when the context has no usable storage at all. */
int insn_access_pgm(struct insn_env *env, const s390ap_access_exc *exc, const char *insn);

/* An operand access by the executing level: its key and address space. */
static inline s390ap_access insn_acc(const struct insn_env *env, uint64_t addr, size_t len,
				     uint8_t kind, unsigned r)
{
	return (s390ap_access){ .addr = addr,
				.len = len,
				.kind = kind,
				.key = env->key,
				.asc = env->asc,
				.ar = (uint8_t)r };
}

/* Store the status word: GR1 bits 32-63, bits 0-31 zero; cc 0 iff RC 0. */
static inline void insn_status(struct insn_env *env, const struct ap_queue *q, uint8_t rc)
{
	uint32_t sw = q ? ap_queue_status(q, rc) : (uint32_t)rc << 16;

	env->gr[1] = sw;
	env->res->sw_stored = true;
	env->res->rc = rc;
	env->res->cc = rc ? 3 : 0;
	env->m->rc_count[rc]++;
}

static inline bool insn_ids_ok(const struct insn_env *env, uint64_t gr0)
{
	return (env->fac & S390AP_FAC_APXA) || !(gr0 & GR0_APQN_NOAPXA_BITS);
}

/* Find the queue an APQN names and the response code that stops the
 * instruction before its own work (0 = go on).  Order: docs/ap-model.md.
 *
 * Fast path over the arrays: an adapter exists exactly when its APM bit is
 * on and a queue only where the AQM bit is on (machine.c keeps both), so a
 * queue that exists is in the machine's configuration and only the view's
 * masks remain to be tested.  A missing queue takes the full order. */
static inline uint8_t insn_resolve(const struct insn_env *env, uint16_t apqn, unsigned flags,
				   struct ap_adapter **pa, struct ap_queue **pq)
{
	const s390ap_machine *m = env->m;
	const s390ap_view *v = env->view;
	unsigned apid = S390AP_APQN_APID(apqn), apqi = S390AP_APQN_APQI(apqn);
	struct ap_adapter *a = m->ad[apid];
	struct ap_queue *q = a ? a->q[apqi] : NULL;

	if (AP_UNLIKELY(!q || (v && !ap_view_masks_have(v, apid, apqi)))) {
		*pa = NULL;
		*pq = NULL;
		if (!ap_view_has(m, v, apqn) || !a)
			return S390AP_RC_Q_NOT_AVAIL;
		*pa = a;
		return (flags & RESOLVE_NQDQ) ? S390AP_RC_INDEX_TOO_BIG : S390AP_RC_Q_NOT_AVAIL;
	}
	*pa = a;
	*pq = q;
	if (a->checkstopped)
		return S390AP_RC_CHECKSTOPPED;
	if (!a->configured)
		return S390AP_RC_DECONFIGURED;
	if (q->async_rc && !(flags & RESOLVE_RESET))
		return q->async_rc;
	if (!(flags & RESOLVE_DQAP) && m->now < q->busy_until)
		return S390AP_RC_BUSY;
	if (q->reset_pending)
		return S390AP_RC_RESET_IN_PROGRESS;
	return 0;
}

/* Register-pair helpers honouring the addressing mode. */
static inline uint64_t insn_addr(const struct insn_env *env, unsigned r)
{
	return env->gr[r] & env->amask;
}

/* GR0 bits 42-47. */
#define GR0_RESERVED 0x003F0000ull

/* TAPQ GR2:
 *  0       31 32  39 40  47 48 51 52 55 56 59 60 63
 * +----------+------+------+-----+-----+-----+-----+
 * | fac | bs |  at  |  nd  |  0  | ml  |  0  | qd  |
 * +----------+------+------+-----+-----+-----+-----+ */
static inline uint64_t tapq_gr2(const struct ap_adapter *a, const struct ap_queue *q, bool t)
{
	uint64_t gr2 = a->tapq_gr2; /* type, nd, ml, qd: set when the adapter is made */

	if (t)
		gr2 |= (uint64_t)(a->fac | (uint32_t)(q->bs & 3) << 14) << 32;
	return gr2;
}

static inline bool tapq_info_valid(uint8_t rc, const struct ap_queue *q)
{
	return rc <= S390AP_RC_BUSY || (q && q->async_rc);
}

/* pqap_spec_ok for a function code that takes neither the F nor the T bit
 * and needs no facility beyond the one its caller tested: TAPQ without T,
 * AQIC.  The short paths use it; it costs fewer instructions than the
 * general switch even with the function code constant. */
static inline bool pqap_spec_ok_plain(const struct insn_env *env, uint64_t gr0)
{
	return !(gr0 & (GR0_RESERVED | S390AP_GR0_F | S390AP_GR0_T)) && insn_ids_ok(env, gr0);
}

/* TAPQ without the T bit, the polling function, inline in insn_exec:
 * pqap_spec_ok for it, then TAPQ.  False = not this case (or a
 * specification exception, which pqap_general raises), nothing done. */
static inline bool pqap_poll(struct insn_env *env)
{
	uint64_t gr0 = env->gr[0];
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc;

	if ((gr0 & (0xFFull << S390AP_GR0_FC_SHIFT)) != (uint64_t)S390AP_FC_TAPQ
								<< S390AP_GR0_FC_SHIFT ||
	    !pqap_spec_ok_plain(env, gr0))
		return false;
	rc = insn_resolve(env, (uint16_t)gr0, 0, &a, &q);
	if (q && tapq_info_valid(rc, q))
		env->gr[2] = tapq_gr2(a, q, false);
	insn_status(env, q, rc);
	return true;
}

/* Run one AP instruction (its RRE image; the opcode must be PQAP, NQAP or
 * DQAP) in a prepared env: 0 with *res filled, or a negative error.  The
 * one entry of both paths; inline so that a caller with a constant opcode
 * (the dispatcher) loses the switch. */
static inline int insn_exec(struct insn_env *env, uint32_t insn, s390ap_insn_result *res)
{
	unsigned r1 = (insn >> 4) & 0xf, r2 = insn & 0xf;

	*res = (s390ap_insn_result){ 0 };
	env->res = res;
	if (env->early_pgm) {
		insn_pgm(env, env->early_pgm);
		return 0;
	}
	switch (insn >> 16) {
	case S390AP_OP_PQAP:
		if (pqap_poll(env))
			return 0;
		return pqap_exec(env);
	case S390AP_OP_NQAP:
		return nqap_exec(env, r1, r2);
	default: /* S390AP_OP_DQAP: the callers let nothing else through */
		return dqap_exec(env, r1, r2);
	}
}

uint64_t insn_len(const struct insn_env *env, unsigned r);
void insn_advance(struct insn_env *env, unsigned r, uint64_t n);

#endif
