/* Entry points of the instruction layer: argument checks, the checks every
 * AP instruction shares (operation, privileged operation), status words,
 * queue resolution, and statistics. */
#include <assert.h>
#include <string.h>

#include "pqap/pqap_internal.h"
#include "util/mask.h"

void s390ap_view_lpar(const s390ap_machine *m, s390ap_view *view)
{
	if (!view)
		return;
	memset(view, 0, sizeof(*view));
	view->facilities = m ? m->fac : 0;
}

/* Common prologue.  Returns < 0 on a bad argument, 1 if the instruction
 * ended with an operation or privileged-operation exception, 0 to go on. */
int insn_begin(struct insn_env *env, s390ap_machine *m, const s390ap_insn_ctx *ctx,
	       s390ap_insn_result *res)
{
	if (!m || !ctx || !ctx->gr || !res)
		return S390AP_EINVAL;
	if (ctx->amode != 0 && ctx->amode != 24 && ctx->amode != 31 && ctx->amode != 64)
		return ap_error(m, S390AP_EINVAL, "addressing mode %u", ctx->amode);
	memset(res, 0, sizeof(*res));
	env->m = m;
	env->ctx = ctx;
	env->view = ctx->view;
	env->fac = ap_view_facilities(m, ctx->view);
	env->gr = ctx->gr;
	env->amask = ctx->amode == 24 ? 0xFFFFFFull
		     : ctx->amode == 31 ? 0x7FFFFFFFull : ~0ull;
	env->res = res;
	if (!(env->fac & S390AP_FAC_AP)) {
		insn_pgm(env, S390AP_PGM_OPERATION);
		return 1;
	}
	if (ctx->problem_state) {
		insn_pgm(env, S390AP_PGM_PRIVILEGED);
		return 1;
	}
	return 0;
}

void insn_pgm(struct insn_env *env, uint16_t pgm)
{
	env->res->pgm = pgm;
	env->m->pgm_count[pgm & 0x7f]++;
}

/* Store the status word: GR1 bits 32-63, bits 0-31 zero; cc 0 iff RC 0. */
void insn_status(struct insn_env *env, const struct ap_queue *q, uint8_t rc)
{
	uint32_t sw = q ? ap_queue_status(q, rc) : (uint32_t)rc << 16;

	env->gr[1] = sw;
	env->res->sw_stored = true;
	env->res->rc = rc;
	env->res->cc = rc ? 3 : 0;
	env->m->rc_count[rc]++;
}

bool insn_ids_ok(const struct insn_env *env, uint64_t gr0)
{
	return (env->fac & S390AP_FAC_APXA) || !(gr0 & GR0_APQN_NOAPXA_BITS);
}

/* Find the queue an APQN names and the response code that stops the
 * instruction before its own work (0 = go on).  Order: docs/ap-model.md. */
uint8_t insn_resolve(const struct insn_env *env, uint16_t apqn, unsigned flags,
		     struct ap_adapter **pa, struct ap_queue **pq)
{
	const s390ap_machine *m = env->m;
	struct ap_adapter *a;
	struct ap_queue *q;

	*pa = NULL;
	*pq = NULL;
	if (!ap_view_has(m, env->view, apqn))
		return S390AP_RC_Q_NOT_AVAIL;
	a = ap_adapter_get(m, S390AP_APQN_APID(apqn));
	if (!a)
		return S390AP_RC_Q_NOT_AVAIL;
	*pa = a;
	q = a->q[S390AP_APQN_APQI(apqn)];
	if (!q)
		return (flags & RESOLVE_NQDQ) ? S390AP_RC_INDEX_TOO_BIG : S390AP_RC_Q_NOT_AVAIL;
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

uint64_t insn_addr(const struct insn_env *env, unsigned r)
{
	return env->gr[r] & env->amask;
}

uint64_t insn_len(const struct insn_env *env, unsigned r)
{
	assert(r < 15 && !(r & 1)); /* callers check the pair first */
	return env->amask == ~0ull ? env->gr[r + 1] : (env->gr[r + 1] & 0xFFFFFFFFull);
}

/* Advance the address in r by n and decrease the length in r + 1. */
void insn_advance(struct insn_env *env, unsigned r, uint64_t n)
{
	assert(r < 15 && !(r & 1));
	uint64_t addr = (env->gr[r] + n) & env->amask;

	if (env->amask == ~0ull) {
		env->gr[r] = addr;
		env->gr[r + 1] -= n;
	} else {
		env->gr[r] = (env->gr[r] & ~0xFFFFFFFFull) | addr;
		env->gr[r + 1] = (env->gr[r + 1] & ~0xFFFFFFFFull) |
				 ((env->gr[r + 1] - n) & 0xFFFFFFFFull);
	}
}

int s390ap_execute(s390ap_machine *m, const s390ap_insn_ctx *ctx, uint32_t insn,
		   s390ap_insn_result *res)
{
	unsigned r1 = (insn >> 4) & 0xf, r2 = insn & 0xf;

	switch (insn >> 16) {
	case S390AP_OP_PQAP:
		return s390ap_pqap(m, ctx, res);
	case S390AP_OP_NQAP:
		return s390ap_nqap(m, ctx, r1, r2, res);
	case S390AP_OP_DQAP:
		return s390ap_dqap(m, ctx, r1, r2, res);
	default:
		return ap_error(m, S390AP_EINVAL, "0x%08x is not an AP instruction", insn);
	}
}

uint64_t s390ap_machine_rc_count(const s390ap_machine *m, uint8_t rc)
{
	return m ? m->rc_count[rc] : 0;
}

uint64_t s390ap_machine_pgm_count(const s390ap_machine *m, uint16_t pgm)
{
	return m && pgm < 128 ? m->pgm_count[pgm] : 0;
}
