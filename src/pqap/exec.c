/* SPDX-License-Identifier: MIT */
/* Entry points of the instruction layer: the public entries (argument
 * checks), the prepared environment, the internal entry every path runs
 * (the operation and privileged-operation checks, then the instruction),
 * and statistics. */
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

int insn_check_ctx(s390ap_machine *m, const s390ap_insn_ctx *ctx, const s390ap_insn_result *res)
{
	if (!m)
		return S390AP_EINVAL;
	if (!ctx)
		return ap_error(m, S390AP_EINVAL, "no instruction context (NULL)");
	if (!ctx->gr)
		return ap_error(m, S390AP_EINVAL, "no general registers (NULL ctx->gr)");
	if (!res)
		return ap_error(m, S390AP_EINVAL, "no result (NULL)");
	if (ctx->amode != 0 && ctx->amode != 24 && ctx->amode != 31 && ctx->amode != 64)
		return ap_error(m, S390AP_EINVAL, "addressing mode %u", ctx->amode);
	if (ctx->key > 15)
		return ap_error(m, S390AP_EINVAL, "access key %u", ctx->key);
	if (ctx->asc > S390AP_ASC_HOME)
		return ap_error(m, S390AP_EINVAL, "address-space control %u", ctx->asc);
	return 0;
}

/* Operand addresses wrap at the top of the 24- and 31-bit addressing modes.
 * An access is one contiguous range, so an operand that runs past the top
 * is accessed in two pieces (the address is already masked).  A store stays
 * all or nothing.  Through an access callback, which may leave by longjmp,
 * the second piece is probed first (fetched and stored back unchanged), so
 * its exceptions come before the first piece is stored and nothing needs
 * undoing.  Through read / write, which only fail, the first piece is
 * stored and put back if the second fails (no extra stores on success).  A
 * fetch may leave buf partly written; the instructions read into buffers
 * they commit only on success. */
static int wrap_store(const struct insn_env *env, const s390ap_access *one,
		      const s390ap_access *two, uint8_t *buf, s390ap_access_exc *exc)
{
	const s390ap_storage *in = env->inner;
	uint8_t stack[INSN_WRAP_STACK];
	const s390ap_access *keep = in->access ? two : one;
	s390ap_access probe = *keep;
	uint8_t *old = keep->len <= sizeof(stack) ? stack : env->scratch;

	probe.kind = S390AP_ACCESS_FETCH;
	if (ap_access(in, &probe, old, exc))
		return -1;
	if (in->access) {
		return ap_access(in, two, old, exc) || ap_access(in, one, buf, exc) ||
		       ap_access(in, two, buf + one->len, exc);
	}
	if (ap_access(in, one, buf, exc))
		return -1;
	if (ap_access(in, two, buf + one->len, exc) == 0)
		return 0;
	(void)ap_access(in, one, old, &(s390ap_access_exc){ 0 });
	return -1;
}

static int wrap_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	const struct insn_env *env = ctx;
	uint64_t room = env->amask - acc->addr + 1;
	s390ap_access one = *acc, two = *acc;

	if (acc->len <= room)
		return ap_access(env->inner, acc, buf, exc);
	one.len = (size_t)room;
	two.addr = 0;
	two.len = acc->len - (size_t)room;
	if (acc->kind == S390AP_ACCESS_FETCH)
		return ap_access(env->inner, &one, buf, exc) ||
		       ap_access(env->inner, &two, (uint8_t *)buf + room, exc);
	return wrap_store(env, &one, &two, buf, exc); /* an OR is one byte: no wrap */
}

/* Everything about the executing level that does not change from one
 * instruction to the next, worked out once. */
void insn_prepare(struct insn_env *env, s390ap_machine *m, const s390ap_insn_ctx *ctx)
{
	env->m = m;
	env->ctx = ctx;
	env->view = ctx->view;
	env->fac = ap_view_facilities(m, ctx->view);
	env->gr = ctx->gr;
	env->amask = ctx->amode == 24 ? 0xFFFFFFull : ctx->amode == 31 ? 0x7FFFFFFFull : ~0ull;
	env->res = NULL;
	env->inner = ap_storage_usable(ctx->storage) ? ctx->storage : &ap_no_storage;
	env->wrap_st = (s390ap_storage){ .ctx = env, .access = wrap_access };
	env->st = env->amask == ~0ull ? env->inner : &env->wrap_st;
	env->key = ctx->key;
	env->asc = ctx->asc;
	env->scratch = NULL;
	if (!(env->fac & S390AP_FAC_AP))
		env->early_pgm = S390AP_PGM_OPERATION;
	else if (ctx->problem_state)
		env->early_pgm = S390AP_PGM_PRIVILEGED;
	else
		env->early_pgm = 0;
}

s390ap_ending s390ap_pgm_ending(uint16_t pgm)
{
	switch (pgm & 0x7f) {                /* without the PER and transaction bits */
	case S390AP_PGM_SEGMENT_TRANSLATION: /* DAT and ART: the nullifying ones */
	case S390AP_PGM_PAGE_TRANSLATION:
	case S390AP_PGM_ALEN_TRANSLATION:
	case S390AP_PGM_ALE_SEQUENCE:
	case S390AP_PGM_ASTE_VALIDITY:
	case S390AP_PGM_ASTE_SEQUENCE:
	case S390AP_PGM_EXTENDED_AUTHORITY:
	case S390AP_PGM_ASCE_TYPE:
	case S390AP_PGM_REGION_FIRST_TRANSLATION:
	case S390AP_PGM_REGION_SECOND_TRANSLATION:
	case S390AP_PGM_REGION_THIRD_TRANSLATION:
		return S390AP_ENDING_NULLIFIED;
	case S390AP_PGM_FIXED_OVERFLOW:
		return S390AP_ENDING_COMPLETED;
	default:
		return S390AP_ENDING_SUPPRESSED;
	}
}

int insn_access_pgm(struct insn_env *env, const s390ap_access_exc *exc, const char *insn)
{
	s390ap_insn_result *res = env->res;

	/* No storage in the context is the caller's mistake, not the guest's:
	 * the guest sees nothing (an access exception changes no state). */
	if (env->inner == &ap_no_storage)
		return ap_error(env->m, S390AP_EINVAL,
				"%s: no storage for the operand (ctx->storage is NULL or has "
				"neither an access callback nor read and write)",
				insn);
	res->pgm = exc->pgm;
	res->ending = exc->ending && exc->ending <= S390AP_ENDING_TERMINATED
			      ? exc->ending
			      : (uint8_t)s390ap_pgm_ending(exc->pgm);
	/* a code that is no access exception (0x0008) still stored nothing:
	 * suppressed, as insn.h documents, never completed */
	if (res->ending == S390AP_ENDING_COMPLETED)
		res->ending = S390AP_ENDING_SUPPRESSED;
	res->exc_flags = exc->flags & (S390AP_EXC_TEID | S390AP_EXC_EAI);
	res->eai = exc->eai;
	res->teid = exc->teid;
	env->m->pgm_count[exc->pgm & 0x7f]++;
	return 0;
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

/* The public entries: check the arguments, prepare an environment for this
 * one call, and run the same insn_exec the dispatcher runs. */
static int insn_public(s390ap_machine *m, const s390ap_insn_ctx *ctx, uint32_t insn,
		       s390ap_insn_result *res)
{
	struct insn_env env;
	int rc = insn_check_ctx(m, ctx, res);

	if (rc < 0)
		return rc;
	insn_prepare(&env, m, ctx);
	return insn_exec(&env, insn, res);
}

int s390ap_execute(s390ap_machine *m, const s390ap_insn_ctx *ctx, uint32_t insn,
		   s390ap_insn_result *res)
{
	switch (insn >> 16) {
	case S390AP_OP_PQAP:
	case S390AP_OP_NQAP:
	case S390AP_OP_DQAP:
		return insn_public(m, ctx, insn, res);
	default:
		return ap_error(m, S390AP_EINVAL, "0x%08x is not an AP instruction", insn);
	}
}

int s390ap_pqap(s390ap_machine *m, const s390ap_insn_ctx *ctx, s390ap_insn_result *res)
{
	return insn_public(m, ctx, S390AP_OP_PQAP << 16, res);
}

static int insn_public_rr(s390ap_machine *m, const s390ap_insn_ctx *ctx, uint32_t op, unsigned r1,
			  unsigned r2, s390ap_insn_result *res)
{
	if (r1 > 15 || r2 > 15)
		return ap_error(m, S390AP_EINVAL, "register number over 15");
	return insn_public(m, ctx, op << 16 | r1 << 4 | r2, res);
}

int s390ap_nqap(s390ap_machine *m, const s390ap_insn_ctx *ctx, unsigned r1, unsigned r2,
		s390ap_insn_result *res)
{
	return insn_public_rr(m, ctx, S390AP_OP_NQAP, r1, r2, res);
}

int s390ap_dqap(s390ap_machine *m, const s390ap_insn_ctx *ctx, unsigned r1, unsigned r2,
		s390ap_insn_result *res)
{
	return insn_public_rr(m, ctx, S390AP_OP_DQAP, r1, r2, res);
}

uint64_t s390ap_machine_rc_count(const s390ap_machine *m, uint8_t rc)
{
	return m ? m->rc_count[rc] : 0;
}

uint64_t s390ap_machine_pgm_count(const s390ap_machine *m, uint16_t pgm)
{
	return m && pgm < 128 ? m->pgm_count[pgm] : 0;
}
