/* SPDX-License-Identifier: MIT */
/* Entry points of the instruction layer: the public entries (argument
 * checks), the prepared environment, the internal entry every path runs
 * (the operation and privileged-operation checks, then the instruction),
 * and statistics. */
#include <assert.h>
#include <stdlib.h>
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
	return 0;
}

/* Everything about the executing level that does not change from one
 * instruction to the next, worked out once. */
/* Operand addresses wrap at the top of the 24- and 31-bit addressing modes.
 * The storage interface takes one contiguous range, so an operand that runs
 * past the top is accessed in pieces (the address is already masked).  A
 * write stays all or nothing: when a later piece fails, the earlier ones
 * get their old bytes back.  A failed read may leave dst partly written;
 * the instructions read into buffers they commit only on success. */
static int wrap_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	const struct insn_env *env = ctx;
	const s390ap_storage *in = env->ctx->storage;
	uint8_t *d = dst;

	while (len) {
		uint64_t room = env->amask - (addr & env->amask) + 1;
		size_t n = len < room ? len : (size_t)room;

		if (s390ap_storage_read(in, addr & env->amask, d, n) < 0)
			return -1;
		d += n;
		len -= n;
		addr = 0;
	}
	return 0;
}

static int wrap_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	const struct insn_env *env = ctx;
	const s390ap_storage *in = env->ctx->storage;
	uint64_t a = addr & env->amask, room = env->amask - a + 1;
	uint8_t *old;
	int rc;

	if (len <= room)
		return s390ap_storage_write(in, a, src, len) < 0 ? -1 : 0;
	/* rare: keep the first piece to put back if the rest cannot be stored */
	old = malloc((size_t)room);
	if (!old || s390ap_storage_read(in, a, old, (size_t)room) < 0 ||
	    s390ap_storage_write(in, a, src, (size_t)room) < 0) {
		free(old);
		return -1;
	}
	rc = wrap_write(ctx, 0, (const uint8_t *)src + room, len - (size_t)room);
	if (rc < 0)
		(void)s390ap_storage_write(in, a, old, (size_t)room);
	free(old);
	return rc;
}

void insn_prepare(struct insn_env *env, s390ap_machine *m, const s390ap_insn_ctx *ctx)
{
	env->m = m;
	env->ctx = ctx;
	env->view = ctx->view;
	env->fac = ap_view_facilities(m, ctx->view);
	env->gr = ctx->gr;
	env->amask = ctx->amode == 24 ? 0xFFFFFFull : ctx->amode == 31 ? 0x7FFFFFFFull : ~0ull;
	env->res = NULL;
	env->wrap_st = (s390ap_storage){ .ctx = env, .read = wrap_read, .write = wrap_write };
	env->st = env->amask == ~0ull ? ctx->storage : &env->wrap_st;
	if (!(env->fac & S390AP_FAC_AP))
		env->early_pgm = S390AP_PGM_OPERATION;
	else if (ctx->problem_state)
		env->early_pgm = S390AP_PGM_PRIVILEGED;
	else
		env->early_pgm = 0;
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
