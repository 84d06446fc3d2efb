/* SPDX-License-Identifier: MIT */
/* apsim scenario area "msg": named numbers (let) and AP request messages.
 *
 * Names are constants of the parse: `let` and `length NAME` define them, and
 * any later number may be written as a name.  A request is built while the
 * scenario is parsed (its numbers are constants) and written to storage when
 * its line runs; `length NAME` defines NAME as its length in bytes (for
 * `set gr 7 NAME`).  Byte layouts: include/s390ap/msgfmt.h (docs/engines.md;
 * type 6 as the Linux driver builds "RL", "PK", "PD").
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "s390ap/msgfmt.h"
#include "scn.h"
#include "util/be.h"

/* ---- let NAME = NUMBER ---- */

static int check_let(struct scn_parser *p, struct scn_cmd *c)
{
	return scn_define(p, p->newname, &p->big[2], c->a[0].pos);
}

/* ---- request ---- */

/* The numbers a request may take, by index. */
enum { N_MODULUS, N_EXPONENT, N_MESSAGE, N_P, N_Q, N_DP, N_DQ, N_U, N_COUNT };

static const char *const num_names[N_COUNT] = {
	"modulus", "exponent", "message", "p", "q", "dp", "dq", "u",
};

/* The words after `at ADDR`, per kind (for the choice and its message). */
static const char *const me_words[] = { "modulus", "exponent", "message", "block", "length", NULL };
static const char *const crt_words[] = { "p",       "q",     "dp",     "dq", "u",
					 "message", "block", "length", NULL };
static const char *const rl_words[] = { "count", "rule", "length", NULL };
static const char *const pk_words[] = { "modulus", "exponent", "message", "length", NULL };
static const char *const pd_words[] = { "p", "q", "dp", "dq", "u", "message", "length", NULL };

static const char *const meb_names[] = { "meb1", "meb2", "meb3", NULL };
static const char *const crb_names[] = { "crb1", "crb2", "crb3", NULL };
static const char *const rl_rules[] = { "random", "odd", "even", NULL };
static const char rl_keywords[3][9] = { "RANDOM  ", "ODD     ", "EVEN    " };

/* Field size F of the three type 50 blocks (MEBn / CRBn, n = index + 1). */
static const size_t t50_field[3] = { 128, 256, 512 };

/* CCA request constants (as the Linux driver sends them); the layout is
 * s390ap/msgfmt.h. */
#define T6_HDR ((size_t)S390AP_T6_HDR)
#define CPRBX_LEN ((size_t)S390AP_CPRBX_LEN)
#define CCA_PARM ((size_t)S390AP_CCA_PARM)
#define ICA_FROM1 0x724u /* FromCardLen1 of "PK" / "PD" (0x77C - 0x58) */
#define RL_FROM1 0xECu   /* FromCardLen1 of "RL" */

/* A request's operands, gathered from the slots by name. */
struct rq {
	const struct scn_big *num[N_COUNT];
	struct scn_pos pos[N_COUNT];
	int block;      /* -1: chosen by size; else 0..2 */
	uint64_t count; /* "RL": bytes wanted */
	int rule;       /* "RL": index in rl_rules */
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
	if (r->num[k]->len <= size)
		return 0;
	return scn_error(p->x, r->pos[k], "%s: %zu bits do not fit the %zu-byte field of %s",
			 num_names[k], scn_bits(r->num[k]->b, r->num[k]->len), size, in);
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

/* A type 50 key block: its fields in order, each `units` halves of the
 * block's field size F (128, 256, 512 bytes for blocks 1, 2, 3). */
static const struct t50 {
	const char *names[3];
	uint16_t kb_type; /* of block 1 */
	int nf, field[6];
	unsigned units[6], total;
} t50_me = {
	{ "MEB1", "MEB2", "MEB3" }, S390AP_T50_MEB1, 3,
	{ N_EXPONENT, N_MODULUS, N_MESSAGE }, { 2, 2, 2 }, 6,
}, t50_crt = {
	{ "CRB1", "CRB2", "CRB3" }, S390AP_T50_CRB1, 6,
	{ N_P, N_Q, N_DP, N_DQ, N_U, N_MESSAGE }, { 1, 1, 1, 1, 1, 2 }, 7,
};

/* The block given, or the smallest that holds every number. */
static int build_t50(struct scn_parser *p, struct scn_cmd *c, const struct rq *r,
		     const struct t50 *t)
{
	int blk = r->block < 0 ? 0 : r->block;
	size_t h, len, at = S390AP_T50_HDR;
	uint8_t *b;

	for (int k = 0; r->block < 0 && blk < 2 && k < t->nf; k++)
		if (r->num[t->field[k]]->len > t->units[k] * (t50_field[blk] / 2)) {
			blk++;
			k = -1; /* every field again, in the next block */
		}
	h = t50_field[blk] / 2;
	for (int k = 0; k < t->nf; k++)
		if (fits(p, r, t->field[k], t->units[k] * h, t->names[blk]) < 0)
			return -1;
	len = S390AP_T50_HDR + t->total * h;
	b = msg_alloc(p, c, len);
	if (!b)
		return -1;
	b[S390AP_MSG_TYPE_OFF] = S390AP_MSG_TYPE50;
	put16(b + S390AP_T50_LEN, len);
	put16(b + S390AP_T50_KB_TYPE, (uint64_t)blk + t->kb_type);
	for (int k = 0; k < t->nf; at += t->units[k++] * h)
		put_num(b + at, t->units[k] * h, r->num[t->field[k]]);
	return 0;
}

#define T50(name, t)                                                                 \
	static int name(struct scn_parser *p, struct scn_cmd *c, const struct rq *r) \
	{                                                                            \
		return build_t50(p, c, r, &t);                                       \
	}
T50(build_me, t50_me)
T50(build_crt, t50_crt)

/* ---- CCA (type 6) ---- */

/* A CCA request without a data block: the type 6 header, the CPRBX (domain
 * 0: the engine echoes it) and room for a parameter block of plen bytes at
 * CCA_PARM. */
static uint8_t *cca_frame(struct scn_parser *p, struct scn_cmd *c, const char subfn[2], size_t plen,
			  uint32_t from1, uint32_t from2, uint32_t rpl_datal)
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
static size_t parm_rule(uint8_t *parm, const char keyword[S390AP_CCA_RULE_LEN])
{
	put16(parm + 2, 2 + S390AP_CCA_RULE_LEN);
	memcpy(parm + 4, keyword, S390AP_CCA_RULE_LEN);
	return 4 + S390AP_CCA_RULE_LEN;
}

/* A "PK" or "PD" request up to its key token's first section: the rule,
 * the VUD (the message in mod_len bytes), a key block of kb_len bytes
 * holding an external token.  Returns the section, or NULL. */
static uint8_t *pka_request(struct scn_parser *p, struct scn_cmd *c, const struct rq *r,
			    const char subfn[2], const char rule[S390AP_CCA_RULE_LEN],
			    size_t mod_len, size_t kb_len)
{
	uint8_t *b = cca_frame(p, c, subfn, 12 + 2 + mod_len + kb_len, ICA_FROM1, 0, 0);
	uint8_t *parm, *kb;
	size_t off;

	if (!b)
		return NULL;
	parm = b + CCA_PARM;
	off = parm_rule(parm, rule);
	put16(parm + off, mod_len + 2);
	put_num(parm + off + 2, mod_len, r->num[N_MESSAGE]);
	kb = parm + off + 2 + mod_len;
	put16(kb, kb_len);         /* key block length */
	put16(kb + 2, kb_len - 2); /* key identifier length */
	kb[S390AP_PKA_KEYID_HDR] = S390AP_PKA_TOKEN_EXTERNAL;
	put16(kb + S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_LEN, kb_len - S390AP_PKA_KEYID_HDR);
	return kb + S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_HDR;
}

/* "RL" as the hwrng path sends it: rule, empty VUD, empty key block. */
static int build_rl(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	uint8_t *b = cca_frame(p, c, "RL", 16, RL_FROM1, (uint32_t)r->count, (uint32_t)r->count);
	size_t off;

	if (!b)
		return -1;
	off = parm_rule(b + CCA_PARM, rl_keywords[r->rule]);
	put16(b + CCA_PARM + off, 2);
	put16(b + CCA_PARM + off + 2, 2);
	return 0;
}

/* "PK" + MRP: VUD = the message in mod_len bytes; key block = an external
 * token with a public section (exponent in exp_len >= mod_len bytes). */
static int build_pk(struct scn_parser *p, struct scn_cmd *c, const struct rq *r)
{
	size_t mod_len = r->num[N_MODULUS]->len ? r->num[N_MODULUS]->len : 1;
	size_t exp_len = r->num[N_EXPONENT]->len > mod_len ? r->num[N_EXPONENT]->len : mod_len;
	size_t seclen = 12 + exp_len + mod_len;
	uint8_t *sec;

	if (fits(p, r, N_MESSAGE, mod_len, "this PK request (mod_len, the modulus' length)") < 0)
		return -1;
	sec = pka_request(p, c, r, "PK", "MRP     ", mod_len,
			  S390AP_PKA_KEYID_HDR + S390AP_PKA_TOKEN_HDR + seclen);
	if (!sec)
		return -1;
	sec[0] = S390AP_PKA_SEC_PUBLIC;
	put16(sec + S390AP_PKA_SEC_LEN, seclen);
	put16(sec + S390AP_PKA_PUB_EXP_LEN, exp_len);
	put16(sec + S390AP_PKA_PUB_MOD_BITS, 8 * mod_len);
	put16(sec + S390AP_PKA_PUB_MOD_LEN, mod_len);
	put_num(sec + S390AP_PKA_PUB_HDR, exp_len, r->num[N_EXPONENT]);
	put_num(sec + S390AP_PKA_PUB_HDR + exp_len, mod_len, r->num[N_MODULUS]);
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
	if (b && BN_bin2bn(r->num[N_P]->b, (int)r->num[N_P]->len, a) &&
	    BN_bin2bn(r->num[N_Q]->b, (int)r->num[N_Q]->len, b) && BN_mul(a, a, b, ctx))
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
	size_t mod_len, sh, lg, pad, key_len, size, at;
	uint8_t *sec, *f, *pub;

	if (r->num[N_P]->len == 0 || r->num[N_Q]->len == 0)
		return scn_error(p->x, r->pos[r->num[N_P]->len ? N_Q : N_P],
				 "%s: a PD request needs p and q other than 0 (its modulus length "
				 "is the length of p q)",
				 r->num[N_P]->len ? "q" : "p");
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
	sec = pka_request(p, c, r, "PD", "ZERO-PAD", mod_len, size);
	if (!sec)
		return -1;
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

		put_num(f + at, w, r->num[order[k]]);
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

/* ---- operands ---- */

static int num_index(const char *word)
{
	for (int k = 0; k < N_COUNT; k++)
		if (!strcmp(num_names[k], word))
			return k;
	return -1;
}

/* The operands by name (a[2] on), every number of the kind and RL's count
 * there, then the message built; `length NAME` defined as its size. */
static int build(struct scn_parser *p, struct scn_cmd *c,
		 int (*fn)(struct scn_parser *, struct scn_cmd *, const struct rq *))
{
	const struct scn_props *pr = c->form->args[2].props;
	const char *name = c->form->path + strlen("request ");
	struct rq r = { .block = -1 };
	unsigned need = 0, given = 0;
	struct scn_big len;

	for (unsigned k = 0; k < pr->n; k++) {
		const struct scn_val *v = &c->a[2 + k];
		const char *w = pr->words[k];
		int n = num_index(w);

		if (n >= 0)
			need |= 1u << n;
		if (!strcmp(w, "count"))
			need |= 1u << N_COUNT;
		if (!SCN_GIVEN(c, 2 + k))
			continue;
		if (n >= 0) {
			given |= 1u << n;
			r.num[n] = &p->big[2 + k];
			r.pos[n] = v->pos;
		} else if (!strcmp(w, "block")) {
			r.block = (int)v->v;
		} else if (!strcmp(w, "count")) {
			r.count = v->v;
			given |= 1u << N_COUNT;
		} else if (!strcmp(w, "rule")) {
			r.rule = (int)v->v;
		}
	}
	for (int k = 0; k <= N_COUNT; k++)
		if ((need & ~given) & (1u << k))
			return scn_error(p->x, scn_p_pos(p), "request %s: '%s' is missing", name,
					 k < N_COUNT ? num_names[k] : "count");
	if (fn(p, c, &r) < 0)
		return -1;
	if (!SCN_GIVEN(c, 2 + pr->n - 1))
		return 0; /* `length` is the last operand of every kind */
	scn_big_set_u64(&len, c->nbytes);
	return scn_define(p, p->newname, &len, c->a[2 + pr->n - 1].pos);
}

#define CHECK(name, fn)                                          \
	static int name(struct scn_parser *p, struct scn_cmd *c) \
	{                                                        \
		return build(p, c, fn);                          \
	}
CHECK(check_me, build_me)
CHECK(check_crt, build_crt)
CHECK(check_rl, build_rl)
CHECK(check_pk, build_pk)
CHECK(check_pd, build_pd)

static int run_request(struct apsim_ctx *x, struct scn_cmd *c)
{
	return scn_write_storage(x, c->a[1].pos, c->a[1].v, c->bytes, c->nbytes, true);
}

#define OPERANDS(words, ...) \
	SCN_PROPS_OF("an operand of the request", "is given twice", words, __VA_ARGS__)
#define ME_ARGS SCN_BIG("modulus"), SCN_BIG("exponent"), SCN_BIG("message")
#define CRT_ARGS \
	SCN_BIG("p"), SCN_BIG("q"), SCN_BIG("dp"), SCN_BIG("dq"), SCN_BIG("u"), SCN_BIG("message")

static const struct scn_props me_props =
	OPERANDS(me_words, ME_ARGS, SCN_WORDS(meb_names, "a key block"), SCN_NEWNAME);
static const struct scn_props crt_props =
	OPERANDS(crt_words, CRT_ARGS, SCN_WORDS(crb_names, "a key block"), SCN_NEWNAME);
static const struct scn_props rl_props =
	OPERANDS(rl_words, SCN_NUM(0, UINT32_MAX, "the number of random bytes"),
		 SCN_WORDS(rl_rules, "a rule keyword"), SCN_NEWNAME);
static const struct scn_props pk_props = OPERANDS(pk_words, ME_ARGS, SCN_NEWNAME);
static const struct scn_props pd_props = OPERANDS(pd_words, CRT_ARGS, SCN_NEWNAME);

#define RQ(pr)                                                         \
	SCN_ARGS(SCN_LIT("at", "'at' and the address of the request"), \
		 SCN_NUM(0, UINT64_MAX, "the address of the request"), SCN_PROPS(pr))

static const struct scn_form forms[] = {
	{ "let", SCN_F_PARSE, SCN_ARGS(SCN_NEWNAME, SCN_LIT("=", "'='"), SCN_BIG("the value")),
	  .check = check_let },
	{ "request type50 me", SCN_F_SYS, RQ(&me_props), .run = run_request, .check = check_me },
	{ "request type50 crt", SCN_F_SYS, RQ(&crt_props), .run = run_request, .check = check_crt },
	{ "request cca rl", SCN_F_SYS, RQ(&rl_props), .run = run_request, .check = check_rl },
	{ "request cca pk", SCN_F_SYS, RQ(&pk_props), .run = run_request, .check = check_pk },
	{ "request cca pd", SCN_F_SYS, RQ(&pd_props), .run = run_request, .check = check_pd },
};

static const struct scn_group groups[] = {
	{ "request", "a message family", NULL },
	{ "request type50", "a type 50 operation", NULL },
	{ "request cca", "a CCA function", NULL },
};

const struct scn_area scn_area_msg = SCN_AREA(forms, groups);
