/* apsim scenario area "msg": named numbers and AP request messages.
 *
 *   let NAME = NUMBER
 *   request type50 me  at ADDR modulus N exponent N message N [block meb1|meb2|meb3]
 *                      [length NAME]
 *   request type50 crt at ADDR p N q N dp N dq N u N message N [block crb1|crb2|crb3]
 *                      [length NAME]
 *   request cca rl at ADDR count N [rule random|odd|even] [length NAME]
 *   request cca pk at ADDR modulus N exponent N message N [length NAME]
 *   request cca pd at ADDR p N q N dp N dq N u N message N [length NAME]
 *
 * Names are constants of the parse: `let` and `length NAME` define them, and
 * any later number may be written as a name.  A request is built while the
 * scenario is parsed (its numbers are constants) and written to storage when
 * its line runs; `length NAME` defines NAME as its length in bytes (for
 * `set gr 7 NAME`).  The operands after the address may come in any order,
 * each once.  Byte layouts: docs/engines.md (type 50; type 6 as the Linux
 * driver builds "RL", "PK", "PD") and include/s390ap/msgfmt.h.
 * The replies are decoded by reply.c (`print reply`, `expect reply`).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "s390ap/msgfmt.h"
#include "scn.h"
#include "util/be.h"

/* ------------------------------------------------------------------ */
/* let NAME = NUMBER                                                   */
/* ------------------------------------------------------------------ */

static int parse_let(struct scn_parser *p, struct scn_cmd *c)
{
	char name[SCN_NAME_MAX + 1];
	struct scn_pos pos;
	struct scn_big val;

	(void)c;
	if (scn_p_newname(p, name, &pos) < 0)
		return -1;
	if (!scn_p_accept(p, "="))
		return scn_p_expected(p, "'='");
	if (scn_p_big(p, &val, NULL, "the value") < 0 || scn_p_end(p) < 0)
		return -1;
	return scn_define(p, name, &val, pos);
}

/* Everything happened while parsing. */
static int exec_let(struct apsim_ctx *x, struct scn_cmd *c)
{
	(void)x;
	(void)c;
	return 0;
}

/* ------------------------------------------------------------------ */
/* request                                                             */
/* ------------------------------------------------------------------ */

enum rq_kind { RQ_ME, RQ_CRT, RQ_RL, RQ_PK, RQ_PD };

/* The numbers a request may take, by index. */
enum { N_MODULUS, N_EXPONENT, N_MESSAGE, N_P, N_Q, N_DP, N_DQ, N_U, N_COUNT };

static const char *const num_names[N_COUNT] = {
	"modulus", "exponent", "message", "p", "q", "dp", "dq", "u",
};

#define ME_NUMS (1u << N_MODULUS | 1u << N_EXPONENT | 1u << N_MESSAGE)
#define CRT_NUMS (1u << N_P | 1u << N_Q | 1u << N_DP | 1u << N_DQ | 1u << N_U | 1u << N_MESSAGE)

/* The words after `at ADDR`, per kind (for the choice and its message). */
static const char *const me_words[] = { "modulus", "exponent", "message", "block", "length",
					NULL };
static const char *const crt_words[] = { "p", "q", "dp", "dq", "u", "message", "block",
					 "length", NULL };
static const char *const rl_words[] = { "count", "rule", "length", NULL };
static const char *const pk_words[] = { "modulus", "exponent", "message", "length", NULL };
static const char *const pd_words[] = { "p", "q", "dp", "dq", "u", "message", "length", NULL };

static const char *const meb_names[] = { "meb1", "meb2", "meb3", NULL };
static const char *const crb_names[] = { "crb1", "crb2", "crb3", NULL };
static const char *const meb_text[] = { "MEB1", "MEB2", "MEB3" };
static const char *const crb_text[] = { "CRB1", "CRB2", "CRB3" };
static const char *const rl_rules[] = { "random", "odd", "even", NULL };
static const char rl_keywords[3][9] = { "RANDOM  ", "ODD     ", "EVEN    " };

/* Field size F of the three type 50 blocks (MEBn / CRBn, n = index + 1). */
static const size_t t50_field[3] = { 128, 256, 512 };

/* CCA request constants (as the Linux driver sends them); the layout is
 * s390ap/msgfmt.h. */
#define T6_HDR ((size_t)S390AP_T6_HDR)
#define CPRBX_LEN ((size_t)S390AP_CPRBX_LEN)
#define CCA_PARM ((size_t)S390AP_CCA_PARM)
#define ICA_FROM1 0x724u    /* FromCardLen1 of "PK" / "PD" (0x77C - 0x58) */
#define RL_FROM1 0xECu      /* FromCardLen1 of "RL" */

struct rq {
	enum rq_kind kind;
	const char *name;            /* "type50 me" ... for messages */
	unsigned given;              /* bit per number index */
	struct scn_big num[N_COUNT];
	struct scn_pos pos[N_COUNT];
	int block;                   /* -1: chosen by size; else 0..2 */
	struct scn_pos block_pos;
	bool block_given, count_given, rule_given, length_given;
	uint64_t count;              /* "RL": bytes wanted */
	int rule;                    /* "RL": index in rl_rules */
	char length_name[SCN_NAME_MAX + 1];
	struct scn_pos length_pos;
};

/* Field values here are lengths already checked to fit their fields. */
static void put16(uint8_t *b, uint64_t v)
{
	be_put16(b, (uint16_t)v);
}

static void put32(uint8_t *b, uint64_t v)
{
	be_put32(b, (uint32_t)v);
}

/* A number right-aligned in a zeroed field (the caller checked it fits). */
static void put_num(uint8_t *field, size_t size, const struct scn_big *n)
{
	memcpy(field + size - n->len, n->b, n->len);
}

/* Number k must fit `size` bytes; `in` names the field ("MEB1", "PD"). */
static int fits(struct scn_parser *p, const struct rq *r, int k, size_t size, const char *in)
{
	if (r->num[k].len <= size)
		return 0;
	return scn_error(p->x, r->pos[k], "%s: %zu bits do not fit the %zu-byte field of %s",
			 num_names[k], scn_bits(r->num[k].b, r->num[k].len), size, in);
}

static uint8_t *msg_alloc(struct scn_parser *p, struct scn_cmd *c, size_t len)
{
	uint8_t *b = calloc(1, len);

	if (!b) {
		scn_error(p->x, c->pos, "out of memory");
		return NULL;
	}
	free(c->bytes);
	c->bytes = b;
	c->nbytes = len;
	return b;
}

/* ---- type 50 ---- */

/* MEBn: exponent, modulus, message, each right-aligned in F bytes. */
static int build_me(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	static const int order[3] = { N_EXPONENT, N_MODULUS, N_MESSAGE };
	int blk = r->block;
	size_t f, len;
	uint8_t *b;

	if (blk < 0) {
		size_t need = 0;

		for (int k = 0; k < 3; k++)
			if (r->num[order[k]].len > need)
				need = r->num[order[k]].len;
		for (blk = 0; blk < 2 && t50_field[blk] < need; blk++)
			;
	}
	f = t50_field[blk];
	for (int k = 0; k < 3; k++)
		if (fits(p, r, order[k], f, meb_text[blk]) < 0)
			return -1;
	len = S390AP_T50_HDR + 3 * f;
	b = msg_alloc(p, c, len);
	if (!b)
		return -1;
	b[S390AP_MSG_TYPE_OFF] = S390AP_MSG_TYPE50;
	put16(b + S390AP_T50_LEN, len);
	put16(b + S390AP_T50_KB_TYPE, (uint64_t)blk + S390AP_T50_MEB1);
	for (int k = 0; k < 3; k++)
		put_num(b + S390AP_T50_HDR + (size_t)k * f, f, &r->num[order[k]]);
	return 0;
}

/* CRBn: p, q, dp, dq, u in F/2 bytes each, then the message in F bytes. */
static int build_crt(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	static const int order[6] = { N_P, N_Q, N_DP, N_DQ, N_U, N_MESSAGE };
	int blk = r->block;
	size_t f, h, len;
	uint8_t *b;

	if (blk < 0) {
		size_t need = (r->num[N_MESSAGE].len + 1) / 2;

		for (int k = 0; k < 5; k++)
			if (r->num[order[k]].len > need)
				need = r->num[order[k]].len;
		for (blk = 0; blk < 2 && t50_field[blk] / 2 < need; blk++)
			;
	}
	f = t50_field[blk];
	h = f / 2;
	for (int k = 0; k < 6; k++)
		if (fits(p, r, order[k], k < 5 ? h : f, crb_text[blk]) < 0)
			return -1;
	len = S390AP_T50_HDR + 7 * h;
	b = msg_alloc(p, c, len);
	if (!b)
		return -1;
	b[S390AP_MSG_TYPE_OFF] = S390AP_MSG_TYPE50;
	put16(b + S390AP_T50_LEN, len);
	put16(b + S390AP_T50_KB_TYPE, (uint64_t)blk + S390AP_T50_CRB1);
	for (int k = 0; k < 5; k++)
		put_num(b + S390AP_T50_HDR + (size_t)k * h, h, &r->num[order[k]]);
	put_num(b + S390AP_T50_HDR + 5 * h, f, &r->num[N_MESSAGE]);
	return 0;
}

/* ---- CCA (type 6) ---- */

/* A CCA request without a data block: the type 6 header, the CPRBX (domain
 * 0: the engine echoes it) and room for a parameter block of plen bytes at
 * CCA_PARM. */
static uint8_t *cca_frame(struct scn_parser *p, struct scn_cmd *c, const char subfn[2],
			  size_t plen, uint32_t from1, uint32_t from2, uint32_t rpl_datal)
{
	size_t tcl1 = CPRBX_LEN + plen;
	uint8_t *b = msg_alloc(p, c, T6_HDR + tcl1), *cp;

	if (!b)
		return NULL;
	b[S390AP_MSG_TYPE_OFF] = S390AP_MSG_TYPE6;
	put32(b + S390AP_T6_OFFSET1, T6_HDR);
	memcpy(b + S390AP_T6_AGENT, "CA", 2);
	memcpy(b + S390AP_T6_FUNCTION_CODE, subfn, 2);
	put32(b + S390AP_T6_TOCARD1, tcl1);
	put32(b + S390AP_T6_FROMCARD1, from1);
	put32(b + S390AP_T6_FROMCARD2, from2);
	cp = b + T6_HDR;
	put16(cp, CPRBX_LEN);
	cp[S390AP_CPRBX_VER_ID] = S390AP_CPRBX_VERSION;
	memcpy(cp + S390AP_CPRBX_FUNC_ID, "T2", 2);
	put32(cp + S390AP_CPRBX_REQ_PARML, plen);
	put32(cp + S390AP_CPRBX_RPL_MSGBL, from1);
	put32(cp + S390AP_CPRBX_RPL_DATAL, rpl_datal);
	memcpy(b + CCA_PARM, subfn, 2);
	return b;
}

/* Subfunction, one rule keyword: the first 12 bytes of every parameter
 * block built here; returns the offset after them. */
static size_t parm_rule(uint8_t *parm, const char keyword[8])
{
	put16(parm + 2, 10);
	memcpy(parm + 4, keyword, 8);
	return 12;
}

/* "RL" as the hwrng path sends it: rule, empty VUD, empty key block. */
static int build_rl(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	uint8_t *b = cca_frame(p, c, "RL", 16, RL_FROM1, (uint32_t)r->count, (uint32_t)r->count);
	size_t off;

	if (!b)
		return -1;
	off = parm_rule(b + CCA_PARM, rl_keywords[r->rule_given ? r->rule : 0]);
	put16(b + CCA_PARM + off, 2);
	put16(b + CCA_PARM + off + 2, 2);
	return 0;
}

/* "PK" + MRP: VUD = the message in mod_len bytes; key block = an external
 * token with a public section (exponent in exp_len >= mod_len bytes). */
static int build_pk(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	size_t mod_len = r->num[N_MODULUS].len ? r->num[N_MODULUS].len : 1;
	size_t exp_len = r->num[N_EXPONENT].len > mod_len ? r->num[N_EXPONENT].len : mod_len;
	size_t seclen = 12 + exp_len + mod_len, toklen = 8 + seclen;
	size_t plen = 12 + 2 + mod_len + 6 + toklen, off;
	uint8_t *b, *parm, *kb, *sec;

	if (fits(p, r, N_MESSAGE, mod_len, "this PK request (mod_len, the modulus' length)") < 0)
		return -1;
	b = cca_frame(p, c, "PK", plen, ICA_FROM1, 0, 0);
	if (!b)
		return -1;
	parm = b + CCA_PARM;
	off = parm_rule(parm, "MRP     ");
	put16(parm + off, mod_len + 2);
	put_num(parm + off + 2, mod_len, &r->num[N_MESSAGE]);
	kb = parm + off + 2 + mod_len;
	put16(kb, toklen + 6);       /* key block length */
	put16(kb + 2, toklen + 4);   /* key identifier length */
	kb[S390AP_PKA_KEYID_HDR] = S390AP_PKA_TOKEN_EXTERNAL;
	put16(kb + S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_LEN, toklen);
	sec = kb + S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_HDR;
	sec[0] = S390AP_PKA_SEC_PUBLIC;
	put16(sec + S390AP_PKA_SEC_LEN, seclen);
	put16(sec + S390AP_PKA_PUB_EXP_LEN, exp_len);
	put16(sec + S390AP_PKA_PUB_MOD_BITS, 8 * mod_len);
	put16(sec + S390AP_PKA_PUB_MOD_LEN, mod_len);
	put_num(sec + S390AP_PKA_PUB_HDR, exp_len, &r->num[N_EXPONENT]);
	put_num(sec + S390AP_PKA_PUB_HDR + exp_len, mod_len, &r->num[N_MODULUS]);
	return 0;
}

/* Byte length of p q (the modulus a "PD" request describes), or 0. */
static size_t product_len(const struct rq *r)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *a, *b;
	size_t n = 0;

	if (!ctx)
		return 0;
	BN_CTX_start(ctx);
	a = BN_CTX_get(ctx);
	b = BN_CTX_get(ctx);
	if (b && BN_bin2bn(r->num[N_P].b, (int)r->num[N_P].len, a) &&
	    BN_bin2bn(r->num[N_Q].b, (int)r->num[N_Q].len, b) && BN_mul(a, a, b, ctx))
		n = (size_t)BN_num_bytes(a);
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return n;
}

/* "PD" + ZERO-PAD with a clear CRT key as the driver's ICA path builds it:
 * private section 0x08 with p, dp, u in L = S + 8 bytes and q, dq in
 * S = ceil(mod_len / 2) bytes, padding, mod_len bytes of 0xFF, then a
 * public section with exponent 65537 (not read by the engine). */
static int build_pd(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	static const int order[5] = { N_P, N_Q, N_DP, N_DQ, N_U };
	size_t mod_len, sh, lg, pad, key_len, size, plen, off, at;
	uint8_t *b, *parm, *kb, *sec, *f, *pub;

	if (r->num[N_P].len == 0 || r->num[N_Q].len == 0)
		return scn_error(p->x, r->pos[r->num[N_P].len ? N_Q : N_P],
				 "%s: a PD request needs p and q other than 0 (its modulus length "
				 "is the length of p q)", r->num[N_P].len ? "q" : "p");
	mod_len = product_len(r);
	if (mod_len == 0)
		return scn_error(p->x, c->pos, "out of memory");
	sh = (mod_len + 1) / 2;
	lg = sh + 8;
	pad = (8 - (3 * lg + 2 * sh) % 8) % 8;
	key_len = 3 * lg + 2 * sh + pad + mod_len;
	size = 161 + key_len;
	for (int k = 0; k < 5; k++)
		if (fits(p, r, order[k], k % 2 ? sh : lg, "this PD key") < 0)
			return -1;
	if (fits(p, r, N_MESSAGE, mod_len, "this PD request (mod_len, the length of p q)") < 0)
		return -1;
	plen = 12 + 2 + mod_len + size;
	b = cca_frame(p, c, "PD", plen, ICA_FROM1, 0, 0);
	if (!b)
		return -1;
	parm = b + CCA_PARM;
	off = parm_rule(parm, "ZERO-PAD");
	put16(parm + off, mod_len + 2);
	put_num(parm + off + 2, mod_len, &r->num[N_MESSAGE]);
	kb = parm + off + 2 + mod_len;
	put16(kb, size);
	put16(kb + 2, size - 2);
	kb[S390AP_PKA_KEYID_HDR] = S390AP_PKA_TOKEN_EXTERNAL;
	put16(kb + S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_LEN, size - S390AP_PKA_KEYID_HDR);
	sec = kb + S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_HDR;
	sec[0] = S390AP_PKA_SEC_CRT;
	put16(sec + S390AP_PKA_SEC_LEN, S390AP_PKA_CRT_HDR + key_len);
	sec[S390AP_PKA_CRT_KEY_FORMAT] = S390AP_PKA_CRT_CLEAR_KEY;
	sec[S390AP_PKA_CRT_KEY_USE] = 0x80;
	for (int k = 0; k < 5; k++)
		put16(sec + S390AP_PKA_CRT_P_LEN + 2 * k, k % 2 ? sh : lg);
	put16(sec + S390AP_PKA_CRT_MOD_LEN, mod_len);
	put16(sec + S390AP_PKA_CRT_PAD_LEN, pad);
	f = sec + S390AP_PKA_CRT_HDR;
	at = 0;
	for (int k = 0; k < 5; k++) {
		size_t w = k % 2 ? sh : lg;

		put_num(f + at, w, &r->num[order[k]]);
		at += w;
	}
	memset(f + at + pad, 0xFF, mod_len);
	pub = f + key_len;
	pub[0] = S390AP_PKA_SEC_PUBLIC; /* exponent 65537 */
	put16(pub + S390AP_PKA_SEC_LEN, 0x000F);
	put16(pub + S390AP_PKA_PUB_EXP_LEN, 3);
	put16(pub + S390AP_PKA_PUB_MOD_BITS, 8 * mod_len);
	pub[S390AP_PKA_PUB_HDR] = 0x01;
	pub[S390AP_PKA_PUB_HDR + 2] = 0x01;
	return 0;
}

/* ---- parsing ---- */

static const char *const *kind_words(enum rq_kind k)
{
	switch (k) {
	case RQ_ME:
		return me_words;
	case RQ_CRT:
		return crt_words;
	case RQ_RL:
		return rl_words;
	case RQ_PK:
		return pk_words;
	default:
		return pd_words;
	}
}

static unsigned kind_nums(enum rq_kind k)
{
	return k == RQ_ME || k == RQ_PK ? ME_NUMS : k == RQ_RL ? 0 : CRT_NUMS;
}

static int num_index(const char *word)
{
	for (int k = 0; k < N_COUNT; k++)
		if (!strcmp(num_names[k], word))
			return k;
	return -1;
}

static int twice(struct scn_parser *p, struct scn_pos pos, const char *word)
{
	return scn_error(p->x, pos, "'%s' is given twice", word);
}

/* One operand after the address: a number, block, count, rule or length. */
static int parse_operand(struct scn_parser *p, struct rq *r)
{
	const char *const *words = kind_words(r->kind);
	struct scn_pos pos = scn_p_pos(p);
	const char *w;
	int idx, k;

	if (scn_p_choice(p, words, &idx, "an operand of the request") < 0)
		return -1;
	w = words[idx];
	k = num_index(w);
	if (k >= 0) {
		if (r->given & (1u << k))
			return twice(p, pos, w);
		r->given |= 1u << k;
		return scn_p_big(p, &r->num[k], &r->pos[k], num_names[k]);
	}
	if (!strcmp(w, "block")) {
		if (r->block_given)
			return twice(p, pos, w);
		r->block_given = true;
		r->block_pos = scn_p_pos(p);
		return scn_p_choice(p, r->kind == RQ_ME ? meb_names : crb_names, &r->block,
				    "a key block");
	}
	if (!strcmp(w, "count")) {
		if (r->count_given)
			return twice(p, pos, w);
		r->count_given = true;
		return scn_p_number(p, 0, UINT32_MAX, &r->count, NULL,
				    "the number of random bytes");
	}
	if (!strcmp(w, "rule")) {
		if (r->rule_given)
			return twice(p, pos, w);
		r->rule_given = true;
		return scn_p_choice(p, rl_rules, &r->rule, "a rule keyword");
	}
	if (r->length_given)
		return twice(p, pos, w);
	r->length_given = true;
	return scn_p_newname(p, r->length_name, &r->length_pos);
}

/* Every number the kind needs, and "RL"'s count, must be there. */
static int check_complete(struct scn_parser *p, const struct rq *r)
{
	unsigned need = kind_nums(r->kind);

	for (int k = 0; k < N_COUNT; k++)
		if ((need & (1u << k)) && !(r->given & (1u << k)))
			return scn_error(p->x, scn_p_pos(p), "request %s: '%s' is missing", r->name,
					 num_names[k]);
	if (r->kind == RQ_RL && !r->count_given)
		return scn_error(p->x, scn_p_pos(p), "request %s: 'count' is missing", r->name);
	return 0;
}

/* request: v[0] = the address, bytes = the message. */
static int parse_request(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const families[] = { "type50", "cca", NULL };
	static const char *const t50_ops[] = { "me", "crt", NULL };
	static const char *const cca_ops[] = { "rl", "pk", "pd", NULL };
	static const char *const names[] = { "type50 me", "type50 crt", "cca rl", "cca pk",
					     "cca pd" };
	struct rq *r = calloc(1, sizeof(*r));
	struct scn_big len;
	int fam, op, rc = -1;

	if (!r)
		return scn_error(p->x, c->pos, "out of memory");
	if (scn_p_choice(p, families, &fam, "a message family") < 0)
		goto out;
	if (scn_p_choice(p, fam == 0 ? t50_ops : cca_ops, &op,
			 fam == 0 ? "a type 50 operation" : "a CCA function") < 0)
		goto out;
	r->kind = (enum rq_kind)(fam == 0 ? op : RQ_RL + op);
	r->name = names[r->kind];
	r->block = -1;
	if (!scn_p_accept(p, "at")) {
		scn_p_expected(p, "'at' and the address of the request");
		goto out;
	}
	if (scn_p_slot(p, c, 0, 0, UINT64_MAX, "the address of the request") < 0)
		goto out;
	while (!scn_p_at_end(p))
		if (parse_operand(p, r) < 0)
			goto out;
	if (check_complete(p, r) < 0)
		goto out;
	switch (r->kind) {
	case RQ_ME:
		rc = build_me(p, c, r);
		break;
	case RQ_CRT:
		rc = build_crt(p, c, r);
		break;
	case RQ_RL:
		rc = build_rl(p, c, r);
		break;
	case RQ_PK:
		rc = build_pk(p, c, r);
		break;
	case RQ_PD:
		rc = build_pd(p, c, r);
		break;
	}
	c->sub = (int)r->kind;
	if (rc == 0 && r->length_given) {
		scn_big_set_u64(&len, c->nbytes);
		rc = scn_define(p, r->length_name, &len, r->length_pos);
	}
out:
	free(r);
	return rc;
}

static int exec_request(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint64_t size = s390ap_mem_size(s390ap_sys_mem(x->sys));

	if (c->v[0] > size || c->nbytes > size - c->v[0])
		return scn_error(x, c->vpos[0],
				 "the %zu-byte request at 0x%" PRIx64 " does not fit in storage (0x%" PRIx64
				 " bytes)",
				 c->nbytes, c->v[0], size);
	if (s390ap_storage_write(s390ap_sys_storage(x->sys), c->v[0], c->bytes, c->nbytes) < 0)
		return scn_error(x, c->vpos[0], "cannot store the request at 0x%" PRIx64, c->v[0]);
	return 0;
}

static const struct scn_cmd_def msg_cmds[] = {
	{ "let", SCN_F_PARSE, parse_let, exec_let, "let NAME = NUMBER" },
	{ "request", SCN_F_SYS, parse_request, exec_request,
	  "request type50 me|crt at ADDR ... | request cca rl|pk|pd at ADDR ..." },
};

const struct scn_area scn_area_msg = { msg_cmds, sizeof(msg_cmds) / sizeof(msg_cmds[0]) };
