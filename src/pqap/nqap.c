/* SPDX-License-Identifier: MIT */
/* NQAP (0xB2AD): enqueue a request (or one part of it) on an AP queue.
 *
 * GR0:  32 33 34..40 41 42..47 48 ... 63     R1, R1+1: PSMID (low words)
 *      +--+--+------+--+------+---------+    R2: message address
 *      |0 |L |  0   |S |  0   |  APQN   |    R2+1: message length
 *      +--+--+------+--+------+---------+
 */
#include "pqap/pqap_internal.h"
#include "s390ap/engine.h"
#include "s390ap/msgfmt.h"
#include "util/be.h"
#include "util/mask.h"

#define NQAP_GR0_RESERVED 0xBFBF0000ull

static uint64_t read_psmid(const uint64_t *gr, unsigned r1)
{
	return (gr[r1] & 0xFFFFFFFFull) << 32 | (gr[r1 + 1] & 0xFFFFFFFFull);
}

static bool nqap_spec_ok(const struct insn_env *env, unsigned r1, unsigned r2)
{
	uint64_t gr0 = env->gr[0];

	if (gr0 & NQAP_GR0_RESERVED)
		return false;
	/* R1 or R2 naming GR0 would overlap the APQN and the status word;
	 * R1 == R2 would make the PSMID the message address and length */
	if ((((1u << r1) | (1u << r2)) & (INSN_REGS_ODD | 1u << 0)) || r1 == r2)
		return false;
	if (insn_len(env, r2) == 0)
		return false;
	return insn_ids_ok(env, gr0);
}

/* Response codes NQAP checks before it moves any byte; no storage has been
 * accessed yet, so these win over an operand outside storage.  Only RC
 * 0x15 on a continuation changes anything (the partial message goes). */
static uint8_t nqap_check(const struct insn_env *env, const struct ap_adapter *a,
			  struct ap_queue *q, bool cont, bool special, uint64_t len)
{
	unsigned count = ap_queue_count(q) - (ap_queue_assembling(q) && !cont ? 1u : 0u);

	if (special && !((env->fac & S390AP_FAC_APSC) && (a->fac & S390AP_TAPQ_FAC_APSC)))
		return S390AP_RC_REQ_FAC_NOT_INST;
	if (env->view && env->view->se_guest && q->bs >= 2)
		return S390AP_RC_Q_NOT_BOUND;
	if (!cont && count >= q->depth)
		return S390AP_RC_Q_FULL;
	if (len > a->max_msg || (cont ? q->asm_len : 0) + len > a->max_msg) {
		if (cont) /* the message as a whole is rejected */
			ap_queue_asm_discard(q);
		return S390AP_RC_MESSAGE_TOO_BIG;
	}
	return 0;
}

/* The domain in a CCA request must be the queue's own usage domain or a
 * control domain of the executing level; anything else is refused with
 * RC 0x42 **[choice]**.  Other messages are left to the engine. */
static bool cca_domain_ok(const struct insn_env *env, const struct ap_adapter *a,
			  const struct ap_queue *q, const uint8_t *msg, size_t len)
{
	/* type 6 header, agent "CA", the domain in the CPRBX after it */
	const size_t at = S390AP_T6_HDR + S390AP_CPRBX_DOMAIN;
	unsigned dom;

	if (a->mode != S390AP_MODE_CCA || len < at + 2 ||
	    msg[S390AP_MSG_TYPE_OFF] != S390AP_MSG_TYPE6 || msg[S390AP_T6_AGENT] != 'C' ||
	    msg[S390AP_T6_AGENT + 1] != 'A')
		return true;
	dom = be_get16(msg + at);
	if (dom == q->apqi)
		return true;
	if (dom >= S390AP_MAX_IDS || !mask_test(env->m->adm, dom))
		return false;
	return !env->view || !env->view->adm || mask_test(env->view->adm, dom);
}

int nqap_exec(struct insn_env *env, unsigned r1, unsigned r2)
{
	s390ap_machine *m = env->m;
	s390ap_insn_result *res = env->res;
	struct ap_adapter *a;
	struct ap_queue *q;
	struct ap_nq nq;
	s390ap_access acc;
	s390ap_access_exc exc;
	uint64_t psmid, len, chunk;
	bool special, last, cont, complete;
	uint8_t rc;
	int err;

	if (!nqap_spec_ok(env, r1, r2)) {
		insn_pgm(env, S390AP_PGM_SPECIFICATION);
		return 0;
	}
	special = (env->gr[0] & S390AP_NQAP_SPECIAL) != 0;
	last = (env->gr[0] & S390AP_NQAP_L) != 0;
	psmid = read_psmid(env->gr, r1);
	len = insn_len(env, r2);

	rc = insn_resolve(env, (uint16_t)env->gr[0], RESOLVE_NQDQ, &a, &q);
	cont = rc == 0 && ap_queue_assembling(q) && q->asm_psmid == psmid;
	if (rc == 0)
		rc = nqap_check(env, a, q, cont, special, len);
	if (rc != 0) {
		insn_status(env, q, rc);
		return 0;
	}

	chunk = len < env->m->cpu_determined ? len : env->m->cpu_determined;
	complete = last && chunk == len;
	if (AP_UNLIKELY(m->mem_limit != 0) &&
	    !ap_queue_mem_room(m, a, q, cont, (size_t)chunk, complete)) {
		/* the machine's memory cap: as a full queue, retried after DQAP */
		insn_status(env, q, S390AP_RC_Q_FULL);
		return 0;
	}
	acc = insn_acc(env, insn_addr(env, r2), (size_t)chunk, S390AP_ACCESS_FETCH, r2);
	err = ap_queue_nq_read(a, q, insn_st(env, &acc), &acc, cont, complete, &nq, &exc);
	if (err == S390AP_EFAULT)
		return insn_access_pgm(env, &exc, "NQAP");
	if (err < 0)
		return ap_error(m, err, "NQAP: cannot take the message part");
	if (complete && !cca_domain_ok(env, a, q, nq.msg, nq.len)) {
		/* the whole message is refused; the registers stay as they were */
		ap_queue_nq_refuse(q, &nq);
		insn_status(env, q, S390AP_RC_INVALID_DOMAIN);
		return 0;
	}
	err = ap_queue_nq_commit(m, a, q, &nq, psmid, special);
	if (err < 0)
		return ap_error(m, err, "out of memory");
	insn_advance(env, r2, chunk);

	if (chunk < len) {
		res->cc = 2; /* CPU-determined amount moved; re-execute */
		return 0;
	}
	if (!last) {
		res->cc = 1; /* part kept; more parts follow */
		return 0;
	}
	insn_status(env, q, 0);
	return 0;
}
