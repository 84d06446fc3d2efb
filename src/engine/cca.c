/* SPDX-License-Identifier: MIT */
/* CCA coprocessor mode (CEXnC): type 6 requests with agent "CA", type 86
 * replies.  Modelled: the requests the Linux driver itself sends,
 *
 *   "RL" + RANDOM/ODD/EVEN   random bytes in the reply data block (hwrng)
 *   "PK" + MRP               raw RSA with an external public key token (ICA ME)
 *   "PD" + ZERO-PAD          raw RSA with an external CRT private key token
 *                            (ICA CRT)
 *
 * Everything else is parsed far enough to give a well-formed answer: a
 * type 82 reply when the message itself is broken, otherwise a type 86
 * reply whose CPRBX carries a CCA return / reason code.
 *
 * Request (offsets from the message start):
 *   0x000  type 6 header (type6.c)
 *   0x058  CPRBX, 0xDC bytes: cprb_len 0x00DC, cprb_ver_id 0x02,
 *          func_id "T2", req_parml, req_datal, rpl_msgbl, rpl_datal ...
 *   0x134  parameter block (req_parml bytes):
 *          subfunction (2) | rule_len (2, counts itself) | rules (8 each)
 *          | VUD: len (2, counts itself) + data | key: len (2, ditto) + data
 *
 * Reply:
 *   0x000  type 86 header, count1 = 0xDC + parameters, offset1 = 0x30
 *   0x030  the request's CPRBX with rpld_parml, rpld_datal, ccp_rtcode
 *          (0xC0), ccp_rscode (0xC2) filled in
 *   0x10C  subfunction | 0x0002 | VUD len = n + 2 | n result bytes | 0x0002
 *   ....   RL only: the random bytes (count2 at offset2 = 0x30 + count1)
 */
#include <string.h>

#include "engine/engine_internal.h"

#define CPRBX_LEN ((size_t)S390AP_CPRBX_LEN)

#define RULE_LEN ((size_t)S390AP_CCA_RULE_LEN)
/* reply layout */
#define REP_CPRB ENG_T86_HDR                   /* 0x030 */
#define REP_PARM ((size_t)S390AP_T86_CCA_PARM) /* 0x10C */
#define REP_VUD_DATA (REP_PARM + 6u)           /* 0x112 */
#define REP_PARM_FIXED 8u                      /* subfn, rule len, VUD len, key len */

#define RNG_MAX 8192u     /* Random_Number_Generate_Long limit */
#define CCA_MAX_MOD 512u  /* 4096-bit keys */
#define CRT_PART_SLACK 8u /* ICA buffers: half the modulus + 8 */

/* key token */
#define TOKEN_HDR ((size_t)S390AP_PKA_TOKEN_HDR)
#define SEC_PUBLIC_HDR ((size_t)S390AP_PKA_PUB_HDR)
#define SEC_CRT_HDR ((size_t)S390AP_PKA_CRT_HDR)

/* A CCA answer: return / reason code, and on success the VUD result and
 * the data block, both already written into the reply buffer. */
struct cca_out {
	uint16_t rc, rs;
	size_t vud;  /* result bytes at REP_VUD_DATA */
	size_t data; /* data bytes after the parameter block */
};

struct cca_req {
	const struct eng_t6 *t6;
	const uint8_t *parm;
	size_t parm_len;
	uint8_t subfn[2];
	const uint8_t *rules;
	unsigned nrules;
	const uint8_t *vud; /* VUD data (after its length) */
	size_t vud_len;
	const uint8_t *key; /* key block including its length field */
	size_t key_len;
};

static void fail(struct cca_out *o, uint16_t rc, uint16_t rs)
{
	o->rc = rc;
	o->rs = rs;
	o->vud = 0;
	o->data = 0;
}

static void app_error(struct cca_out *o, uint16_t rs)
{
	fail(o, S390AP_CCA_RC_APP_ERROR, rs);
}

/* subfunction | rule_len | rules | VUD | key block, every length checked
 * against the parameter block.  Returns 0 or a reason code (rc 8). */
static uint16_t parse_parm(struct cca_req *r)
{
	const uint8_t *p = r->parm;
	size_t n = r->parm_len, off;
	uint16_t rule_len, vud_len, key_len;

	if (n < 4)
		return S390AP_CCA_RS_LENGTH;
	rule_len = be_get16(p + 2);
	if (rule_len < 2 || (rule_len - 2u) % RULE_LEN || 2u + rule_len > n)
		return S390AP_CCA_RS_RULE_COUNT;
	r->rules = p + 4;
	r->nrules = (rule_len - 2u) / RULE_LEN;
	off = 2u + rule_len;
	if (off + 2 > n)
		return S390AP_CCA_RS_LENGTH;
	vud_len = be_get16(p + off);
	if (vud_len < 2 || off + vud_len > n)
		return S390AP_CCA_RS_LENGTH;
	r->vud = p + off + 2;
	r->vud_len = vud_len - 2u;
	off += vud_len;
	if (off + 2 > n)
		return S390AP_CCA_RS_LENGTH;
	key_len = be_get16(p + off);
	if (key_len < 2 || off + key_len > n)
		return S390AP_CCA_RS_LENGTH;
	r->key = p + off;
	r->key_len = key_len;
	return 0;
}

/* Exactly one rule keyword, one of the allowed ones: its index, or -1
 * with the reason code set. */
static int one_rule(const struct cca_req *r, const char *const *allowed, size_t n,
		    struct cca_out *o)
{
	if (r->nrules != 1) {
		app_error(o, S390AP_CCA_RS_RULE_COUNT);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (memcmp(r->rules, allowed[i], RULE_LEN) == 0)
			return (int)i;
	app_error(o, S390AP_CCA_RS_KEYWORD);
	return -1;
}

/* ------------------------------------------------------------------ */
/* "RL": Random_Number_Generate_Long                                   */
/* ------------------------------------------------------------------ */
static int do_rl(struct eng_ctx *e, const struct cca_req *r, const s390ap_engine_request *req,
		 s390ap_engine_reply *rep, struct cca_out *o)
{
	static const char *const rules[] = { "RANDOM  ", "ODD     ", "EVEN    " };
	uint32_t n = be_get32(r->t6->cprb + S390AP_CPRBX_RPL_DATAL);
	uint8_t *out = rep->buf + REP_PARM + REP_PARM_FIXED;
	int which = one_rule(r, rules, 3, o), rc;

	if (which < 0)
		return 0;
	/* the count is the reply data buffer the host offers */
	if (n == 0 || n > RNG_MAX || n > r->t6->from2 ||
	    CPRBX_LEN + REP_PARM_FIXED > r->t6->from1 ||
	    REP_PARM + REP_PARM_FIXED + (size_t)n > rep->cap) {
		app_error(o, S390AP_CCA_RS_LENGTH);
		return 0;
	}
	rc = eng_rng_bytes(&e->rng, out, n);
	if (rc < 0)
		return rc;
	if (which > 0) {
		/* ODD / EVEN: the low-order bit (bit 7) of each byte makes the
		 * byte's parity odd / even */
		unsigned want = which == 1 ? 1u : 0u;
		for (uint32_t i = 0; i < n; i++) {
			unsigned ones = 0;
			for (unsigned v = out[i] & 0xFEu; v; v &= v - 1)
				ones++;
			out[i] = (uint8_t)((out[i] & 0xFEu) | ((ones & 1u) ^ want));
		}
	}
	o->data = n;
	eng_charge(req, rep, S390AP_ENGINE_OP_RNG, n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Key identifier: blen (2) | ulen (2) = blen - 2 | flags (2) | token   */
/* Returns the token and its length, or NULL with the reason code set. */
/* ------------------------------------------------------------------ */
static const uint8_t *token_of(const struct cca_req *r, size_t *sections, struct cca_out *o)
{
	const uint8_t *kb = r->key, *tok;
	size_t tok_len;

	if (r->key_len < S390AP_PKA_KEYID_HDR || be_get16(kb + 2) != r->key_len - 2u) {
		app_error(o, S390AP_CCA_RS_LENGTH);
		return NULL;
	}
	tok = kb + S390AP_PKA_KEYID_HDR;
	if (r->key_len - S390AP_PKA_KEYID_HDR < TOKEN_HDR || tok[0] != S390AP_PKA_TOKEN_EXTERNAL) {
		app_error(o, S390AP_CCA_RS_TOKEN);
		return NULL;
	}
	tok_len = be_get16(tok + S390AP_PKA_TOKEN_LEN);
	if (tok_len < TOKEN_HDR || tok_len > r->key_len - S390AP_PKA_KEYID_HDR) {
		app_error(o, S390AP_CCA_RS_TOKEN);
		return NULL;
	}
	*sections = tok_len - TOKEN_HDR;
	return tok + TOKEN_HDR;
}

static void rsa_status(int st, struct cca_out *o)
{
	if (st == ENG_RSA_RANGE)
		app_error(o, S390AP_CCA_RS_LENGTH);
	else
		app_error(o, S390AP_CCA_RS_TOKEN);
}

/* A result of mod_len bytes goes into the VUD; check that it fits. */
static bool vud_fits(const struct cca_req *r, const s390ap_engine_reply *rep, size_t mod_len,
		     struct cca_out *o)
{
	if (r->vud_len > mod_len || CPRBX_LEN + REP_PARM_FIXED + mod_len > r->t6->from1 ||
	    REP_VUD_DATA + mod_len + 2 > rep->cap) {
		app_error(o, S390AP_CCA_RS_LENGTH);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* "PK" + MRP: input^e mod n with a public key section                 */
/*   0x04 | 0 | seclen (2) | 0 0 | exp_len | mod_bits | mod_bytes | e | n */
/* ------------------------------------------------------------------ */
static int do_pk(struct eng_ctx *e, const struct cca_req *r, const s390ap_engine_request *req,
		 s390ap_engine_reply *rep, struct cca_out *o)
{
	static const char *const rules[] = { "MRP     " };
	const uint8_t *s;
	size_t avail, seclen, exp_len, mod_len;
	int st;

	if (one_rule(r, rules, 1, o) < 0)
		return 0;
	s = token_of(r, &avail, o);
	if (!s)
		return 0;
	if (avail < SEC_PUBLIC_HDR || s[0] != S390AP_PKA_SEC_PUBLIC) {
		app_error(o, S390AP_CCA_RS_TOKEN);
		return 0;
	}
	seclen = be_get16(s + S390AP_PKA_SEC_LEN);
	exp_len = be_get16(s + S390AP_PKA_PUB_EXP_LEN);
	mod_len = be_get16(s + S390AP_PKA_PUB_MOD_LEN);
	/* an exponent longer than the modulus is refused as the card does, so
	 * a request's work is bounded by the modulus, not the message size */
	if (seclen < SEC_PUBLIC_HDR || seclen > avail ||
	    SEC_PUBLIC_HDR + exp_len + mod_len > seclen || mod_len == 0 || mod_len > CCA_MAX_MOD ||
	    exp_len > mod_len) {
		app_error(o, S390AP_CCA_RS_TOKEN);
		return 0;
	}
	if (!vud_fits(r, rep, mod_len, o))
		return 0;
	st = eng_rsa_me(e->bn, (struct eng_num){ s + SEC_PUBLIC_HDR, exp_len },
			(struct eng_num){ s + SEC_PUBLIC_HDR + exp_len, mod_len },
			(struct eng_num){ r->vud, r->vud_len }, e->opts.reduce_input,
			rep->buf + REP_VUD_DATA, mod_len);
	if (st < 0)
		return st;
	if (st != ENG_RSA_OK) {
		rsa_status(st, o);
		return 0;
	}
	o->vud = mod_len;
	eng_charge_exp(req, rep, S390AP_ENGINE_OP_RSA_ME, mod_len,
		       eng_num_bits((struct eng_num){ s + SEC_PUBLIC_HDR, exp_len }));
	return 0;
}

/* ------------------------------------------------------------------ */
/* "PD" + ZERO-PAD: CRT with a private key section 0x08 (clear key)    */
/*   +0 0x08 | +2 seclen | +28 key format 0x40 | +54 p, q, dp, dq, u   */
/*   lengths | +64 mod_len | +70 pad_len | +132 p q dp dq u pad modulus */
/* ------------------------------------------------------------------ */
static int do_pd(struct eng_ctx *e, const struct cca_req *r, const s390ap_engine_request *req,
		 s390ap_engine_reply *rep, struct cca_out *o)
{
	static const char *const rules[] = { "ZERO-PAD" };
	const uint8_t *s, *f;
	size_t avail, seclen, mod_len, lens[5], need = SEC_CRT_HDR;
	struct eng_crt_key k;
	struct eng_num *parts[5] = { &k.p, &k.q, &k.dp, &k.dq, &k.u };
	int st;

	if (one_rule(r, rules, 1, o) < 0)
		return 0;
	s = token_of(r, &avail, o);
	if (!s)
		return 0;
	if (avail < SEC_CRT_HDR || s[0] != S390AP_PKA_SEC_CRT ||
	    s[S390AP_PKA_CRT_KEY_FORMAT] != S390AP_PKA_CRT_CLEAR_KEY) {
		app_error(o, S390AP_CCA_RS_TOKEN);
		return 0;
	}
	seclen = be_get16(s + S390AP_PKA_SEC_LEN);
	mod_len = be_get16(s + S390AP_PKA_CRT_MOD_LEN);
	for (unsigned i = 0; i < 5; i++) {
		lens[i] = be_get16(s + S390AP_PKA_CRT_P_LEN + 2 * i);
		need += lens[i];
	}
	need += be_get16(s + S390AP_PKA_CRT_PAD_LEN) + mod_len;
	if (seclen < need || seclen > avail || mod_len == 0 || mod_len > CCA_MAX_MOD) {
		app_error(o, S390AP_CCA_RS_TOKEN);
		return 0;
	}
	/* no part longer than the modulus plus the 8 bytes the ICA buffers add
	 * (the work stays bounded by the modulus) **[choice]** */
	for (unsigned i = 0; i < 5; i++) {
		if (lens[i] > mod_len + CRT_PART_SLACK) {
			app_error(o, S390AP_CCA_RS_TOKEN);
			return 0;
		}
	}
	f = s + SEC_CRT_HDR;
	for (unsigned i = 0; i < 5; i++) {
		*parts[i] = (struct eng_num){ f, lens[i] };
		f += lens[i];
	}
	if (!vud_fits(r, rep, mod_len, o))
		return 0;
	st = eng_rsa_crt(e->bn, &k, (struct eng_num){ r->vud, r->vud_len }, e->opts.reduce_input,
			 rep->buf + REP_VUD_DATA, mod_len);
	if (st < 0)
		return st;
	if (st != ENG_RSA_OK) {
		rsa_status(st, o);
		return 0;
	}
	o->vud = mod_len;
	/* two half-size exponentiations: dp's and dq's bits together */
	eng_charge_exp(req, rep, S390AP_ENGINE_OP_RSA_CRT, mod_len,
		       eng_num_bits(k.dp) + eng_num_bits(k.dq));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The reply                                                           */
/* ------------------------------------------------------------------ */
static int build_reply(const struct cca_req *r, const struct cca_out *o, s390ap_engine_reply *rep)
{
	uint8_t *b = rep->buf;
	size_t parm = REP_PARM_FIXED + o->vud;
	uint32_t count1;

	/* without room for a parameter block the reply is the CPRB alone */
	if (CPRBX_LEN + parm > r->t6->from1)
		parm = 0;
	count1 = (uint32_t)(CPRBX_LEN + parm);
	if (ENG_T86_HDR + count1 + o->data > rep->cap)
		return S390AP_ENOSPC;

	eng_t86_header(b, count1, (uint32_t)o->data, ENG_T86_HDR + count1);
	memcpy(b + REP_CPRB, r->t6->cprb, CPRBX_LEN);
	be_put32(b + REP_CPRB + S390AP_CPRBX_RPLD_PARML, (uint32_t)parm);
	be_put32(b + REP_CPRB + S390AP_CPRBX_RPLD_DATAL, (uint32_t)o->data);
	be_put16(b + REP_CPRB + S390AP_CPRBX_RTCODE, o->rc);
	be_put16(b + REP_CPRB + S390AP_CPRBX_RSCODE, o->rs);
	if (parm) {
		memcpy(b + REP_PARM, r->subfn, 2);
		be_put16(b + REP_PARM + 2, 2);                      /* no rules */
		be_put16(b + REP_PARM + 4, (uint16_t)(o->vud + 2)); /* VUD */
		be_put16(b + REP_VUD_DATA + o->vud, 2);             /* empty key block */
	}
	rep->len = ENG_T86_HDR + count1 + o->data;
	return 0;
}

int eng_cca_process(struct eng_ctx *e, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct eng_t6 t6;
	struct cca_req r;
	struct cca_out o = { 0 };
	const uint8_t *cprb;
	uint32_t req_parml, req_datal;
	uint16_t rs;
	uint8_t code;
	int rc = 0;

	code = eng_t6_parse(req, "CA", CPRBX_LEN, &t6);
	if (code)
		return eng_reply_error(rep, eng_error_type(req), code);
	cprb = t6.cprb;
	if (be_get16(cprb) != CPRBX_LEN || cprb[S390AP_CPRBX_VER_ID] != S390AP_CPRBX_VERSION)
		return eng_reply_error(rep, eng_error_type(req), S390AP_REPLY_FORMAT_FIELD);
	req_parml = be_get32(cprb + S390AP_CPRBX_REQ_PARML);
	req_datal = be_get32(cprb + S390AP_CPRBX_REQ_DATAL);
	if (req_parml > t6.cprb_area - CPRBX_LEN || req_datal > t6.data_len)
		return eng_reply_error(rep, eng_error_type(req), S390AP_REPLY_MALFORMED_MSG);

	memset(&r, 0, sizeof r);
	r.t6 = &t6;
	r.parm = cprb + CPRBX_LEN;
	r.parm_len = req_parml;
	if (req_parml >= 2)
		memcpy(r.subfn, r.parm, 2);

	if (memcmp(cprb + S390AP_CPRBX_FUNC_ID, "T2", 2) != 0) {
		/* administrative CPRBs (T3, T5, T6, T7) are not modelled */
		fail(&o, S390AP_CCA_RC_ENV_ERROR, S390AP_CCA_RS_NONE);
	} else if ((rs = parse_parm(&r)) != 0) {
		app_error(&o, rs);
	} else if (memcmp(r.subfn, "RL", 2) == 0) {
		rc = do_rl(e, &r, req, rep, &o);
	} else if (memcmp(r.subfn, "PK", 2) == 0) {
		rc = do_pk(e, &r, req, rep, &o);
	} else if (memcmp(r.subfn, "PD", 2) == 0) {
		rc = do_pd(e, &r, req, rep, &o);
	} else {
		fail(&o, S390AP_CCA_RC_ENV_ERROR, S390AP_CCA_RS_NONE);
	}
	if (rc < 0)
		return rc;
	return build_reply(&r, &o, rep);
}
