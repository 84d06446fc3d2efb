/* SPDX-License-Identifier: MIT */
/* PQAP (0xB2AF): TAPQ, RAPQ, ZAPQ, AQIC, QCI, QACT, BAPQ, AAPQ.
 *
 * GR0:  0        31 32   39 40 41 42  47 48   55 56   63
 *      +-----------+-------+--+--+------+-------+-------+
 *      | ignored   |  FC   |T |F | 0    | APID  | APQI  |
 *      +-----------+-------+--+--+------+-------+-------+
 */
#include "pqap/pqap_internal.h"

#define ASSOC_IDX_MAX 0xFFFFu

static inline int do_tapq(struct insn_env *env, uint16_t apqn, bool t)
{
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc = insn_resolve(env, apqn, 0, &a, &q);

	if (q && tapq_info_valid(rc, q))
		env->gr[2] = tapq_gr2(a, q, t);
	insn_status(env, q, rc);
	return 0;
}

/* RAPQ and ZAPQ: the model keeps no key material, so ZAPQ is RAPQ. */
static int do_reset(struct insn_env *env, uint16_t apqn, bool fbit)
{
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc = insn_resolve(env, apqn, RESOLVE_RESET, &a, &q);

	if (rc == 0) {
		int err = ap_queue_reset(env->m, q, fbit);
		if (err < 0)
			return err;
	}
	insn_status(env, q, rc);
	return 0;
}

/* The NIB is checked where the adapter interruption will set it: in the
 * machine's (absolute) storage when it has one, which a vCPU's prefixing
 * does not apply to; else in the executing level's storage, asked for an
 * absolute address. */
static inline const s390ap_storage *aqic_nib_storage(const struct insn_env *env)
{
	return env->m->has_host ? &env->m->host : env->st;
}

/* The GISA origin of AQIC's GR1 (bits 33-59, the origin over 16), 0 for
 * an interruption to the host itself. */
static inline uint32_t aqic_gisa(uint64_t gr1)
{
	return (uint32_t)((gr1 >> S390AP_AQIC_GISA_SHIFT) & S390AP_AQIC_GISA_MASK) << 4;
}

/* A GISA is 32 bytes of absolute storage the adapter stores into: fetched
 * whole here, out of line (only a hypervisor's AQIC names one). */
static AP_NOINLINE bool aqic_gisa_ok(const s390ap_storage *st, uint32_t gisa)
{
	const s390ap_access acc = { .addr = gisa,
				    .len = 32,
				    .kind = S390AP_ACCESS_FETCH,
				    .asc = S390AP_ASC_ABSOLUTE,
				    .ar = 1 };
	s390ap_access_exc exc;
	uint8_t b[32];

	return ap_fetch(st, &acc, b, &exc) == 0;
}

/* AQIC GR1: bit 16 ir, bits 21-23 guest ISC, bits 33-59 GISA origin,
 * bits 61-63 isc; GR2: NIB address.  Out of line:
 * pqap_exec's short path and pqap_general both call it. */
static AP_NOINLINE int do_aqic(struct insn_env *env, uint16_t apqn)
{
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc = insn_resolve(env, apqn, 0, &a, &q);

	if (rc == 0) {
		bool enable = (env->gr[1] & S390AP_AQIC_IR) != 0;
		bool change = enable != q->irq_on;
		uint64_t nib = insn_addr(env, 2);

		/* One change per queue in flight (which bounds the machine's
		 * ring of them): with one in flight, asking for where it heads
		 * changes nothing (0x07), anything else is busy (0x05).  The NIB
		 * is no operand of AQIC: any access exception there is RC 0x06,
		 * never a program interruption, and only an enable looks at it.
		 * The check is the last thing that can fail before the request
		 * is recorded. */
		if (AP_UNLIKELY(q->irq_inflight)) {
			rc = change == q->irq_change_pending ? S390AP_RC_OTHERWISE_CHANGED
							     : S390AP_RC_BUSY;
		} else if (!change) {
			rc = S390AP_RC_OTHERWISE_CHANGED;
		} else if (enable && (nib == 0 || env->gr[2] == ~0ull || nib == env->amask ||
				      !ap_fetch_byte_ok(aqic_nib_storage(env), nib, 2))) {
			rc = S390AP_RC_INVALID_ADDRESS;
		} else if (enable && aqic_gisa(env->gr[1]) &&
			   !aqic_gisa_ok(aqic_nib_storage(env), aqic_gisa(env->gr[1]))) {
			rc = S390AP_RC_INVALID_GISA;
		} else {
			uint64_t gr1 = env->gr[1];
			int err = ap_queue_irq_request(
				env->m, q, enable, (uint8_t)(gr1 & S390AP_AQIC_ISC_MASK), nib,
				aqic_gisa(gr1), (uint8_t)((gr1 >> S390AP_AQIC_GISC_SHIFT) & 7));
			if (err < 0)
				return err;
		}
	}
	insn_status(env, q, rc);
	return 0;
}

static int do_qci(struct insn_env *env)
{
	uint8_t block[S390AP_QCI_SIZE];
	uint64_t addr = insn_addr(env, 2);
	s390ap_access acc = insn_acc(env, addr, sizeof(block), S390AP_ACCESS_STORE, 2);
	s390ap_access_exc exc;

	if (addr & 7) {
		insn_pgm(env, S390AP_PGM_SPECIFICATION);
		return 0;
	}
	ap_qci_image(env->m, env->view, block);
	if (ap_store(insn_st(env, &acc), &acc, block, &exc) < 0)
		return insn_access_pgm(env, &exc, "QCI");
	env->res->cc = 0;
	return 0;
}

/* QACT apinfo: bits 3-5 mode, bits 32-39 compatibility type, 48-63 version. */
static int do_qact(struct insn_env *env, uint16_t apqn)
{
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc = insn_resolve(env, apqn, 0, &a, &q);

	if (rc == 0) {
		unsigned cat = (unsigned)(env->gr[1] >> 24) & 0xff;
		if (cat > a->type)
			cat = a->type;
		env->gr[2] = (uint64_t)(a->fac & (S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_ACCEL |
						  S390AP_TAPQ_FAC_EP11))
				     << 32 |
			     (uint64_t)cat << 24;
	}
	insn_status(env, q, rc);
	return 0;
}

static int do_bapq(struct insn_env *env, uint16_t apqn)
{
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc = insn_resolve(env, apqn, 0, &a, &q);

	if (rc == 0) {
		if (a->mode == S390AP_MODE_CCA)
			rc = S390AP_RC_Q_BIND_ERROR;
		else if (ap_queue_count(q))
			rc = S390AP_RC_Q_NOT_EMPTY;
		else if (q->bs != 2)
			rc = S390AP_RC_Q_BIND_ERROR;
		else
			ap_queue_bind(q, a->mode == S390AP_MODE_EP11 ? 1 : 0);
	}
	insn_status(env, q, rc);
	return 0;
}

static int do_aapq(struct insn_env *env, uint16_t apqn)
{
	struct ap_adapter *a;
	struct ap_queue *q;
	uint8_t rc = insn_resolve(env, apqn, 0, &a, &q);

	if (rc == 0) {
		if (env->gr[2] > ASSOC_IDX_MAX)
			rc = S390AP_RC_INVALID_ASSOC_SECRET;
		else if (q->assoc_pending)
			rc = S390AP_RC_STATE_CHANGE_IN_PROGRESS;
		else if (q->bs == 2)
			rc = S390AP_RC_Q_NOT_BOUND;
		else if (a->mode != S390AP_MODE_EP11 || q->bs != 1)
			rc = S390AP_RC_Q_NOT_AVAIL_FOR_ASSOC;
	}
	if (rc == 0) {
		int err = ap_queue_associate(env->m, q);
		if (err < 0)
			return err;
	}
	insn_status(env, q, rc);
	return 0;
}

/* Specification checks that depend only on GR0, the FC and the facilities. */
static bool pqap_spec_ok(const struct insn_env *env, unsigned fc, uint64_t gr0)
{
	uint32_t fac = env->fac;

	if (gr0 & GR0_RESERVED)
		return false;
	if ((gr0 & S390AP_GR0_F) && fc != S390AP_FC_RAPQ && fc != S390AP_FC_ZAPQ &&
	    fc != S390AP_FC_QACT)
		return false;
	if ((gr0 & S390AP_GR0_T) && (fc != S390AP_FC_TAPQ || !(fac & S390AP_FAC_APFT)))
		return false;
	switch (fc) {
	case S390AP_FC_TAPQ:
	case S390AP_FC_RAPQ:
	case S390AP_FC_ZAPQ:
		break;
	case S390AP_FC_AQIC:
		if (!(fac & S390AP_FAC_AQIC))
			return false;
		break;
	case S390AP_FC_QCI:
		return (fac & S390AP_FAC_QCI) != 0; /* no APQN */
	case S390AP_FC_QACT:
		if (!(fac & S390AP_FAC_QACT))
			return false;
		break;
	case S390AP_FC_BAPQ:
	case S390AP_FC_AAPQ:
		if (!(fac & S390AP_FAC_APSB) || !env->view || !env->view->se_guest)
			return false;
		break;
	default: /* FC 6 and everything not installed */
		return false;
	}
	return insn_ids_ok(env, gr0);
}

/* Every function code but plain TAPQ, out of line so that the polling path
 * inlined into its callers stays small. */
static AP_NOINLINE int pqap_general(struct insn_env *env, unsigned fc, uint64_t gr0)
{
	uint16_t apqn = (uint16_t)gr0;

	if (!pqap_spec_ok(env, fc, gr0)) {
		insn_pgm(env, S390AP_PGM_SPECIFICATION);
		return 0;
	}
	switch (fc) {
	case S390AP_FC_TAPQ:
		return do_tapq(env, apqn, (gr0 & S390AP_GR0_T) != 0);
	case S390AP_FC_RAPQ:
	case S390AP_FC_ZAPQ:
		return do_reset(env, apqn, (gr0 & S390AP_GR0_F) != 0);
	case S390AP_FC_AQIC:
		return do_aqic(env, apqn);
	case S390AP_FC_QCI:
		return do_qci(env);
	case S390AP_FC_QACT:
		return do_qact(env, apqn);
	case S390AP_FC_BAPQ:
		return do_bapq(env, apqn);
	default: /* S390AP_FC_AAPQ: pqap_spec_ok let nothing else through */
		return do_aapq(env, apqn);
	}
}

int pqap_exec(struct insn_env *env)
{
	uint64_t gr0 = env->gr[0];
	unsigned fc = (unsigned)(gr0 >> S390AP_GR0_FC_SHIFT) & 0xff;

	/* polling TAPQ runs inline in insn_exec (pqap_poll); AQIC next */
	if (fc == S390AP_FC_AQIC && (env->fac & S390AP_FAC_AQIC) && pqap_spec_ok_plain(env, gr0))
		return do_aqic(env, (uint16_t)gr0);
	return pqap_general(env, fc, gr0);
}
