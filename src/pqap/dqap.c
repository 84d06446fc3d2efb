/* SPDX-License-Identifier: MIT */
/* DQAP (0xB2AE): dequeue a reply (or the next piece of it) from an AP queue.
 *
 * GR0:  32 33..35 36..39 40 41 42..47 48 ... 63   R1, R1+1: PSMID out (low words)
 *      +--+------+------+--+--+------+---------+  R2: buffer address
 *      |ig|  0   |  ig  |0 |0 |  ig  |  APQN   |  R2+1: buffer length
 *      +--+------+------+--+--+------+---------+  GR2: residual reply length
 */
#include "pqap/pqap_internal.h"

#define DQAP_GR0_RESERVED 0x70C00000ull

static void store_psmid(uint64_t *gr, unsigned r1, uint64_t psmid)
{
	gr[r1] = (gr[r1] & ~0xFFFFFFFFull) | (psmid >> 32);
	gr[r1 + 1] = (gr[r1 + 1] & ~0xFFFFFFFFull) | (psmid & 0xFFFFFFFFull);
}

/* Largest buffer DQAP accepts: the adapter's maximum message size, or the
 * default 12 KiB when the APQN names no adapter this level can see (so a
 * guest cannot probe adapters outside its view). */
static size_t dqap_max(const struct insn_env *env, uint16_t apqn)
{
	const struct ap_adapter *a = ap_adapter_get(env->m, S390AP_APQN_APID(apqn));

	return a && ap_view_has(env->m, env->view, apqn) ? a->max_msg : AP_DEFAULT_MSG_SIZE;
}

static bool dqap_spec_ok(const struct insn_env *env, unsigned r1, unsigned r2)
{
	uint64_t gr0 = env->gr[0], len;

	if (gr0 & DQAP_GR0_RESERVED)
		return false;
	/* R1 or R2 naming GR0 or GR2 would overlap the implicit operands, and
	 * R1 == R2 the PSMID with the advanced buffer address; the pair check
	 * comes first so R2 + 1 is a register */
	if ((((1u << r1) | (1u << r2)) & (INSN_REGS_ODD | 1u << 0 | 1u << 2)) || r1 == r2)
		return false;
	len = insn_len(env, r2);
	/* no adapter's maximum is below the default (machine.c's
	 * s390ap_ml_bytes), so a buffer up to it needs no lookup */
	if (len == 0 || (len > AP_DEFAULT_MSG_SIZE && len > dqap_max(env, (uint16_t)gr0)))
		return false;
	return insn_ids_ok(env, gr0);
}

int dqap_exec(struct insn_env *env, unsigned r1, unsigned r2)
{
	s390ap_insn_result *res = env->res;
	struct ap_adapter *a;
	struct ap_queue *q;
	const struct ap_msg *msg;
	uint64_t buflen, n, psmid;
	size_t off, left;
	bool first;
	uint8_t rc;

	if (!dqap_spec_ok(env, r1, r2)) {
		insn_pgm(env, S390AP_PGM_SPECIFICATION);
		return 0;
	}
	rc = insn_resolve(env, (uint16_t)env->gr[0], RESOLVE_NQDQ | RESOLVE_DQAP, &a, &q);
	if (rc == 0 && env->view && env->view->se_guest && q->bs >= 2)
		rc = S390AP_RC_Q_NOT_BOUND;
	if (rc == 0) {
		if (env->gr[2] != 0 && !q->xfer_active)
			rc = S390AP_RC_NO_FIRST_PART;
		else if (!ap_queue_reply(q))
			rc = S390AP_RC_NO_PENDING_REPLY;
	}
	if (rc != 0) {
		insn_status(env, q, rc);
		return 0;
	}

	/* storage is reached only now: an RC above wins over a bad buffer */
	first = env->gr[2] == 0; /* a new transfer starts at the first byte */
	msg = ap_queue_reply(q);
	off = ap_queue_dq_offset(q, first);
	left = msg->len - off;
	buflen = insn_len(env, r2);
	n = left < buflen ? left : buflen;
	if (n > env->m->cpu_determined)
		n = env->m->cpu_determined;
	/* the store comes before any change: a callback may leave by longjmp */
	if (n != 0) { /* an empty reply stores nothing */
		s390ap_access acc =
			insn_acc(env, insn_addr(env, r2), (size_t)n, S390AP_ACCESS_STORE, r2);
		s390ap_access_exc exc;

		env->scratch = a->staging; /* a store that wraps probes through it */
		if (ap_store(insn_st(env, &acc), &acc, msg->data + off, &exc) < 0)
			return insn_access_pgm(env, &exc, "DQAP");
	}
	psmid = msg->psmid;
	insn_advance(env, r2, n);
	env->gr[2] = ap_queue_dq_advance(q, first, (size_t)n); /* msg may be gone */
	store_psmid(env->gr, r1, psmid);
	if (env->gr[2] != 0) {
		res->cc = n == buflen ? 1 : 2;
		return 0;
	}
	insn_status(env, q, 0);
	return 0;
}
