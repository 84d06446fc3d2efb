/* SPDX-License-Identifier: MIT */
/* Fuzz target: request messages of every type through the message engines.
 *
 * Input: 4 option bytes, then the request message (cut at the adapter's
 * maximum message size: NQAP refuses longer ones).
 *   h0  bits 0-1 mode: accelerator, CCA, EP11, or 3 = no valid mode;
 *       bit 2 the error engine instead of the crypto engine; bit 3
 *       reduce_input; bit 4 NQAP special-command bit; bits 5-7 AP type
 *       14, 13, 12, 11, 10, 6, 8, 9
 *   h1  bits 0-3 ML (reply capacity s390ap_ml_bytes); bit 4 without the
 *       4K ME (M) facility bit, bit 5 without 4K CRT (C); bit 6 the same
 *       request twice to the same engine
 *   h2  latency handed in: 1000, 0, 1, 2000, 2^40, 2^64 - 1000, 2^64 - 2,
 *       2^64 - 1 (by h2 & 7)
 *   h3  RNG seed (0 = S390AP_RNG_DEFAULT_SEED)
 * All zero: a CEX8 accelerator with the default engine.
 *
 * The engine is called directly (engine.h), with the message in the
 * input's own bytes (nothing readable after it) and a reply buffer of
 * exactly the capacity.  Invariants:
 *   - process returns 0: guest bytes never make an engine fail;
 *   - the reply fits its buffer (1..cap bytes) and is exactly what a model
 *     written here from docs/engines.md expects, byte for byte: the error
 *     reply type and code of the first failing check (type 50, type 6
 *     header, CPRBX, CCA parameter block, PK / PD key tokens, EP11 CPRB
 *     and payload); type 80 results recomputed with OpenSSL BN (ME, and
 *     CRT by Garner); type 86 replies with the request's CPRBX, the
 *     parameter block, return / reason code, "PK" / "PD" results
 *     recomputed, "RL" bytes from the documented AES-256-CTR stream with
 *     the ODD / EVEN parity rule; so no reply byte is left unwritten;
 *   - the latency only grows, never wraps, and error replies add nothing;
 *   - the same request again gives the same reply ("RL": the next bytes
 *     of the stream).
 * Work is bounded by the engines (numbers of at most 512 bytes; exponents
 * no longer than the modulus).  Seeds: corpus/engine (messages of the
 * tests and scenarios, made by gen_engine_seeds.sh); dictionary:
 * dict/engine.dict.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "fuzz.h"
#include "s390ap/s390ap.h"
#include "s390ap/msgfmt.h"

#define HDR_LEN 4u
#define FILL 0xA5u

static const uint8_t types[8] = { 14, 13, 12, 11, 10, 6, 8, 9 };
static const uint64_t lat_in[8] = {
	1000, 0, 1, 2000, 1ull << 40, UINT64_MAX - 1000, UINT64_MAX - 1, UINT64_MAX,
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Expected replies                                                     */
/* ------------------------------------------------------------------ */
struct want {
	uint8_t *buf; /* cap bytes */
	size_t len;
	bool op;  /* an operation was charged (latency may grow) */
	bool rng; /* the reply holds "RL" bytes (differ on a repeat) */
	size_t rng_off, rng_len;
	unsigned rng_rule; /* 0 RANDOM, 1 ODD, 2 EVEN */
};

/* Returns 0, so a model can end with it. */
static int want_error(struct want *w, uint8_t type, uint8_t code)
{
	memset(w->buf, 0, 8);
	w->buf[1] = type;
	w->buf[4] = code;
	w->len = 8;
	return 0;
}

struct ctx {
	s390ap_mode mode;
	uint8_t type;
	uint32_t fac;
	bool reduce;
	uint64_t seed;
	BN_CTX *bn;
};

static uint8_t err_type(const struct ctx *x)
{
	return (x->type == 6 || x->type == 8) ? 0x88 : 0x82;
}

static BIGNUM *bn(struct ctx *x, const uint8_t *p, size_t n)
{
	BIGNUM *b = BN_CTX_get(x->bn);

	if (!b || !BN_bin2bn(n ? p : (const uint8_t *)"", (int)n, b))
		fuzz_fail("engine: out of memory (BN)");
	return b;
}

static void put_bn(const BIGNUM *b, uint8_t *out, size_t n)
{
	if (BN_bn2binpad(b, out, (int)n) != (int)n)
		fuzz_fail("engine: a result longer than its field");
}

/* r = a^e mod m, m odd (m = 1 gives 0) */
static void modexp(struct ctx *x, BIGNUM *r, const BIGNUM *a, const BIGNUM *e, const BIGNUM *m)
{
	if (BN_is_one(m))
		BN_zero(r);
	else if (!BN_mod_exp(r, a, e, m, x->bn))
		fuzz_fail("engine: BN_mod_exp failed");
}

enum { RSA_OK, RSA_ZERO, RSA_EVEN, RSA_RANGE, RSA_TOO_BIG };

/* ME: the status, and on RSA_OK the result right-aligned in out[n]. */
static int ref_me(struct ctx *x, const uint8_t *e, size_t el, const uint8_t *m, size_t ml,
		  const uint8_t *c, size_t cl, uint8_t *out, size_t n)
{
	BIGNUM *E, *M, *C, *R;
	int st = RSA_OK;

	BN_CTX_start(x->bn);
	E = bn(x, e, el);
	M = bn(x, m, ml);
	C = bn(x, c, cl);
	R = BN_CTX_get(x->bn);
	if (!R)
		fuzz_fail("engine: out of memory (BN)");
	if (BN_is_zero(M))
		st = RSA_ZERO;
	else if (!BN_is_odd(M))
		st = RSA_EVEN;
	else if ((size_t)BN_num_bytes(M) > n)
		st = RSA_TOO_BIG;
	else if (BN_cmp(C, M) >= 0 && !x->reduce)
		st = RSA_RANGE;
	if (st == RSA_OK) {
		if (!BN_mod(C, C, M, x->bn))
			fuzz_fail("engine: BN_mod failed");
		modexp(x, R, C, E, M);
		put_bn(R, out, n);
	}
	BN_CTX_end(x->bn);
	return st;
}

/* CRT by Garner, u = q^-1 mod p: parts[0..4] = p, q, dp, dq, u. */
static int ref_crt(struct ctx *x, const uint8_t *const part[5], const size_t plen[5],
		   const uint8_t *c, size_t cl, uint8_t *out, size_t n)
{
	BIGNUM *P, *Q, *DP, *DQ, *U, *C, *N, *M1, *M2, *H, *T;
	int st = RSA_OK;

	BN_CTX_start(x->bn);
	P = bn(x, part[0], plen[0]);
	Q = bn(x, part[1], plen[1]);
	DP = bn(x, part[2], plen[2]);
	DQ = bn(x, part[3], plen[3]);
	U = bn(x, part[4], plen[4]);
	C = bn(x, c, cl);
	N = BN_CTX_get(x->bn);
	M1 = BN_CTX_get(x->bn);
	M2 = BN_CTX_get(x->bn);
	H = BN_CTX_get(x->bn);
	T = BN_CTX_get(x->bn);
	if (!T || !BN_mul(N, P, Q, x->bn))
		fuzz_fail("engine: out of memory (BN)");
	if (BN_is_zero(P) || BN_is_zero(Q))
		st = RSA_ZERO;
	else if (!BN_is_odd(P) || !BN_is_odd(Q))
		st = RSA_EVEN;
	else if ((size_t)BN_num_bytes(N) > n)
		st = RSA_TOO_BIG;
	else if (BN_cmp(C, N) >= 0 && !x->reduce)
		st = RSA_RANGE;
	if (st == RSA_OK) {
		if (!BN_mod(T, C, P, x->bn))
			fuzz_fail("engine: BN_mod failed");
		modexp(x, M1, T, DP, P);
		if (!BN_mod(T, C, Q, x->bn))
			fuzz_fail("engine: BN_mod failed");
		modexp(x, M2, T, DQ, Q);
		/* h = u (m1 - m2) mod p; result = m2 + h q */
		if (!BN_sub(H, M1, M2) || !BN_mul(H, H, U, x->bn) || !BN_nnmod(H, H, P, x->bn) ||
		    !BN_mul(T, H, Q, x->bn) || !BN_add(T, T, M2))
			fuzz_fail("engine: BN arithmetic failed");
		put_bn(T, out, n);
	}
	BN_CTX_end(x->bn);
	return st;
}

/* ---- type 50 -> type 80 ---- */
static int ref_accel(struct ctx *x, const uint8_t *msg, size_t len, struct want *w)
{
	static const struct {
		uint16_t kb;
		size_t f, total;
		bool crt;
		uint32_t fac;
	} blocks[] = {
		{ 0x0001, 128, 0x190, false, 0 },
		{ 0x0002, 256, 0x310, false, 0 },
		{ 0x0003, 512, 0x610, false, S390AP_TAPQ_FAC_MEX4K },
		{ 0x0011, 128, 0x1D0, true, 0 },
		{ 0x0012, 256, 0x390, true, 0 },
		{ 0x0013, 512, 0x710, true, S390AP_TAPQ_FAC_CRT4K },
	};
	uint8_t et = err_type(x);
	size_t b = 0, f;
	const uint8_t *kb = msg + 0x10;
	int st;

	if (len < 2 || msg[1] != 0x50)
		return want_error(w, et, 0x20);
	if (len < 16 || get16(msg + 2) != len)
		return want_error(w, et, 0x23);
	if (msg[0] || msg[4] || msg[6] || msg[7] || !zero(msg + 0x0A, 6))
		return want_error(w, et, 0x24);
	while (b < 6 && blocks[b].kb != get16(msg + 8))
		b++;
	if (b == 6)
		return want_error(w, et, 0x29);
	if (len != blocks[b].total)
		return want_error(w, et, 0x80);
	if (blocks[b].fac && !(x->fac & blocks[b].fac))
		return want_error(w, et, 0x84);
	f = blocks[b].f;
	if (!blocks[b].crt) {
		st = ref_me(x, kb, f, kb + f, f, kb + 2 * f, f, w->buf + 0x10, f);
	} else {
		const uint8_t *part[5];
		size_t plen[5];

		for (unsigned i = 0; i < 5; i++) {
			part[i] = kb + i * (f / 2);
			plen[i] = f / 2;
		}
		st = ref_crt(x, part, plen, kb + 5 * (f / 2), f, w->buf + 0x10, f);
	}
	if (st == RSA_ZERO || st == RSA_RANGE)
		return want_error(w, et, 0x82);
	if (st == RSA_EVEN)
		return want_error(w, et, 0x85);
	if (st == RSA_TOO_BIG)
		fuzz_fail("engine: a type 50 modulus longer than its field");
	memset(w->buf, 0, 0x10);
	w->buf[1] = 0x80;
	w->buf[2] = (uint8_t)((0x10 + f) >> 8);
	w->buf[3] = (uint8_t)(0x10 + f);
	w->len = 0x10 + f;
	w->op = true;
	return 0;
}

/* ---- type 6 header ---- */
struct t6 {
	const uint8_t *cprb;
	uint64_t tcl1, tcl2;
	uint32_t from1, from2;
};

static uint8_t ref_t6(const uint8_t *msg, size_t len, const char *agent, uint64_t min_cprb,
		      struct t6 *t)
{
	uint64_t ceil1;

	if (len < 2 || msg[1] != 0x06)
		return 0x20;
	if (len < 0x58)
		return 0x23;
	if (msg[0] || !zero(msg + 2, 14) || get32(msg + 0x18) || get32(msg + 0x1C) ||
	    get32(msg + 0x40) || get32(msg + 0x44) || get32(msg + 0x50) || get32(msg + 0x54))
		return 0x24;
	if (get32(msg + 0x10) != 0x58)
		return 0x29;
	if (msg[0x20] != agent[0] || msg[0x21] != agent[1])
		return 0x20;
	t->tcl1 = get32(msg + 0x38);
	t->tcl2 = get32(msg + 0x3C);
	ceil1 = (t->tcl1 + 3) & ~3ull;
	if (t->tcl1 < min_cprb)
		return 0x23;
	if (t->tcl2 == 0) {
		if (len != 0x58 + t->tcl1 && len != 0x58 + ceil1)
			return 0x23;
	} else if (len != 0x58 + ceil1 + t->tcl2 || get32(msg + 0x14) != 0x58 + ceil1) {
		return 0x23;
	}
	t->from1 = get32(msg + 0x48);
	t->from2 = get32(msg + 0x4C);
	if (t->from1 < min_cprb)
		return 0x23;
	t->cprb = msg + 0x58;
	return 0;
}

/* ---- EP11 ---- */
static bool ref_ep11_payload(const uint8_t *p, size_t n)
{
	size_t off = 2, l;

	if (n < 2 || p[0] != 0x30)
		return false;
	if (p[1] < 0x80) {
		l = p[1];
	} else if (p[1] == 0x81 && n >= 3) {
		l = p[2];
		off = 3;
	} else if (p[1] == 0x82 && n >= 4) {
		l = get16(p + 2);
		off = 4;
	} else {
		return false;
	}
	if (off + l > n)
		return false;
	n = off + l;
	for (unsigned i = 0; i < 2; i++, off += 6)
		if (off + 6 > n || p[off] != 0x04 || p[off + 1] != 0x04)
			return false;
	return true;
}

static int ref_ep11(struct ctx *x, const uint8_t *msg, size_t len, struct want *w)
{
	struct t6 t;
	uint8_t code = ref_t6(msg, len, "XC", 0x20, &t);

	if (code)
		return want_error(w, err_type(x), code);
	if (get16(t.cprb) != 0x20 || t.cprb[2] != 0x04 || t.cprb[6] != 'T' || t.cprb[7] != '4')
		code = 0x29;
	else if (get32(t.cprb + 0x1C) != t.tcl1 - 0x20)
		code = 0x23;
	else if (!ref_ep11_payload(t.cprb + 0x20, (size_t)t.tcl1 - 0x20))
		code = 0x40;
	else
		code = 0x30;
	return want_error(w, 0x87, code);
}

/* ---- CCA ---- */
struct cca {
	uint16_t rc, rs;
	size_t vud;  /* result bytes (PK, PD) */
	size_t data; /* random bytes (RL) */
};

#define RS_KEYWORD 33
#define RS_RULES 35
#define RS_LENGTH 72
#define RS_TOKEN 770

/* The key block's token sections: their start and length, or 0 with the
 * reason set. */
static const uint8_t *ref_token(const uint8_t *kb, size_t kl, size_t *avail, struct cca *o)
{
	const uint8_t *tok;
	size_t tl;

	if (kl < 6 || get16(kb + 2) != kl - 2) {
		o->rc = 8, o->rs = RS_LENGTH;
		return NULL;
	}
	tok = kb + 6;
	if (kl - 6 < 8 || tok[0] != 0x1E) {
		o->rc = 8, o->rs = RS_TOKEN;
		return NULL;
	}
	tl = get16(tok + 2);
	if (tl < 8 || tl > kl - 6) {
		o->rc = 8, o->rs = RS_TOKEN;
		return NULL;
	}
	*avail = tl - 8;
	return tok + 8;
}

static void rsa_to_cca(int st, struct cca *o, size_t mod_len)
{
	o->rc = 8;
	if (st == RSA_OK) {
		o->rc = 0;
		o->vud = mod_len;
	} else if (st == RSA_RANGE) {
		o->rs = RS_LENGTH;
	} else {
		o->rs = RS_TOKEN;
	}
}

static bool vud_fits(const struct t6 *t, size_t vud_len, size_t mod_len, struct cca *o)
{
	if (vud_len > mod_len || 0xDCu + 8u + mod_len > t->from1) {
		o->rc = 8, o->rs = RS_LENGTH;
		return false;
	}
	return true;
}

static void ref_pk(struct ctx *x, const struct t6 *t, const uint8_t *vud, size_t vl,
		   const uint8_t *kb, size_t kl, struct want *w, struct cca *o)
{
	size_t avail, seclen, el, ml;
	const uint8_t *s = ref_token(kb, kl, &avail, o);

	if (!s)
		return;
	if (avail < 12 || s[0] != 0x04) {
		o->rc = 8, o->rs = RS_TOKEN;
		return;
	}
	seclen = get16(s + 2);
	el = get16(s + 6);
	ml = get16(s + 10);
	if (seclen < 12 || seclen > avail || 12 + el + ml > seclen || ml == 0 || ml > 512 ||
	    el > ml) {
		o->rc = 8, o->rs = RS_TOKEN;
		return;
	}
	if (!vud_fits(t, vl, ml, o))
		return;
	rsa_to_cca(ref_me(x, s + 12, el, s + 12 + el, ml, vud, vl, w->buf + 0x112, ml), o, ml);
}

static void ref_pd(struct ctx *x, const struct t6 *t, const uint8_t *vud, size_t vl,
		   const uint8_t *kb, size_t kl, struct want *w, struct cca *o)
{
	size_t avail, seclen, ml, need = 132, plen[5];
	const uint8_t *part[5], *f;
	const uint8_t *s = ref_token(kb, kl, &avail, o);

	if (!s)
		return;
	if (avail < 132 || s[0] != 0x08 || s[28] != 0x40) {
		o->rc = 8, o->rs = RS_TOKEN;
		return;
	}
	seclen = get16(s + 2);
	ml = get16(s + 64);
	for (unsigned i = 0; i < 5; i++)
		need += plen[i] = get16(s + 54 + 2 * i);
	need += get16(s + 70) + ml;
	if (seclen < need || seclen > avail || ml == 0 || ml > 512) {
		o->rc = 8, o->rs = RS_TOKEN;
		return;
	}
	f = s + 132;
	for (unsigned i = 0; i < 5; i++) {
		if (plen[i] > ml + 8) {
			o->rc = 8, o->rs = RS_TOKEN;
			return;
		}
		part[i] = f;
		f += plen[i];
	}
	if (!vud_fits(t, vl, ml, o))
		return;
	rsa_to_cca(ref_crt(x, part, plen, vud, vl, w->buf + 0x112, ml), o, ml);
}

static void ref_rl(const struct t6 *t, const uint8_t *rules, struct want *w, struct cca *o)
{
	static const char *const kw[3] = { "RANDOM  ", "ODD     ", "EVEN    " };
	uint32_t n = get32(t->cprb + 0x1C);
	unsigned k = 0;

	while (k < 3 && memcmp(rules, kw[k], 8) != 0)
		k++;
	if (k == 3) {
		o->rc = 8, o->rs = RS_KEYWORD;
		return;
	}
	if (n == 0 || n > 8192 || n > t->from2 || 0xDCu + 8u > t->from1) {
		o->rc = 8, o->rs = RS_LENGTH;
		return;
	}
	o->rc = 0;
	o->data = n;
	w->rng = true;
	w->rng_rule = k;
	w->rng_off = 0x114;
	w->rng_len = n;
}

static int ref_cca(struct ctx *x, const uint8_t *msg, size_t len, struct want *w)
{
	struct t6 t;
	struct cca o = { 0 };
	uint8_t code = ref_t6(msg, len, "CA", 0xDC, &t), subfn[2] = { 0, 0 };
	const uint8_t *p;
	uint32_t parml, datal;
	size_t parm;
	uint8_t *b = w->buf;

	if (code)
		return want_error(w, err_type(x), code);
	if (get16(t.cprb) != 0xDC || t.cprb[2] != 0x02)
		return want_error(w, err_type(x), 0x29);
	parml = get32(t.cprb + 0x0C);
	datal = get32(t.cprb + 0x10);
	if (parml > t.tcl1 - 0xDC || datal > t.tcl2)
		return want_error(w, err_type(x), 0x40);
	p = t.cprb + 0xDC;
	if (parml >= 2)
		memcpy(subfn, p, 2);

	if (t.cprb[6] != 'T' || t.cprb[7] != '2') {
		o.rc = 12;
	} else {
		/* subfunction | rule_len | rules | VUD | key block */
		size_t n = parml, off, rl, vl = 0, kl = 0;
		const uint8_t *vud = NULL, *kb = NULL;

		o.rc = 8;
		if (n < 4) {
			o.rs = RS_LENGTH;
			goto parsed;
		}
		rl = get16(p + 2);
		if (rl < 2 || (rl - 2) % 8 || 2 + rl > n) {
			o.rs = RS_RULES;
			goto parsed;
		}
		off = 2 + rl;
		if (off + 2 > n || (vl = get16(p + off)) < 2 || off + vl > n) {
			o.rs = RS_LENGTH;
			goto parsed;
		}
		vud = p + off + 2;
		off += vl;
		if (off + 2 > n || (kl = get16(p + off)) < 2 || off + kl > n) {
			o.rs = RS_LENGTH;
			goto parsed;
		}
		kb = p + off;
		o.rc = 0;
		if (memcmp(subfn, "RL", 2) && memcmp(subfn, "PK", 2) && memcmp(subfn, "PD", 2)) {
			o.rc = 12;
		} else if (rl != 10) {
			o.rc = 8, o.rs = RS_RULES;
		} else if (subfn[1] == 'L') {
			ref_rl(&t, p + 4, w, &o);
		} else if (memcmp(p + 4, subfn[1] == 'K' ? "MRP     " : "ZERO-PAD", 8) != 0) {
			o.rc = 8, o.rs = RS_KEYWORD;
		} else if (subfn[1] == 'K') {
			ref_pk(x, &t, vud, vl - 2, kb, kl, w, &o);
		} else {
			ref_pd(x, &t, vud, vl - 2, kb, kl, w, &o);
		}
	}
parsed:
	/* the reply: type 86 header, the CPRBX, the parameter block, data */
	parm = 8 + o.vud;
	if (0xDC + parm > t.from1)
		parm = 0;
	memset(b, 0, 0x30);
	b[1] = 0x86;
	b[2] = 0x02;
	memcpy(b + 0x10,
	       (const uint8_t[4]){ 0, 0, (uint8_t)((0xDC + parm) >> 8), (uint8_t)(0xDC + parm) },
	       4);
	b[0x17] = 0x30;
	b[0x18] = (uint8_t)(o.data >> 24);
	b[0x19] = (uint8_t)(o.data >> 16);
	b[0x1A] = (uint8_t)(o.data >> 8);
	b[0x1B] = (uint8_t)o.data;
	if (o.data) {
		b[0x1E] = (uint8_t)((0x30 + 0xDC + parm) >> 8);
		b[0x1F] = (uint8_t)(0x30 + 0xDC + parm);
	}
	memcpy(b + 0x30, t.cprb, 0xDC);
	memset(b + 0x30 + 0x18, 0, 4);
	b[0x30 + 0x1B] = (uint8_t)parm;
	b[0x30 + 0x1A] = (uint8_t)(parm >> 8);
	b[0x30 + 0x20] = (uint8_t)(o.data >> 24);
	b[0x30 + 0x21] = (uint8_t)(o.data >> 16);
	b[0x30 + 0x22] = (uint8_t)(o.data >> 8);
	b[0x30 + 0x23] = (uint8_t)o.data;
	b[0xC0] = (uint8_t)(o.rc >> 8);
	b[0xC1] = (uint8_t)o.rc;
	b[0xC2] = (uint8_t)(o.rs >> 8);
	b[0xC3] = (uint8_t)o.rs;
	if (parm) {
		memcpy(b + 0x10C, subfn, 2);
		b[0x10E] = 0;
		b[0x10F] = 2;
		b[0x110] = (uint8_t)((o.vud + 2) >> 8);
		b[0x111] = (uint8_t)(o.vud + 2);
		/* the result is at 0x112 already */
		b[0x112 + o.vud] = 0;
		b[0x113 + o.vud] = 2;
	}
	w->len = 0x30 + 0xDC + parm + o.data;
	w->op = o.rc == 0 && (o.vud || o.data);
	if (!o.data)
		w->rng = false;
	return 0;
}

/* ---- the error engine ---- */
static void ref_error_engine(struct ctx *x, const uint8_t *msg, size_t len, struct want *w)
{
	uint8_t want_type = x->mode == S390AP_MODE_ACCEL ? 0x50 : 0x06, code = 0x30;

	if (len < 2 || msg[1] != want_type)
		code = 0x20;
	else if (msg[1] == 0x50 && (len < 4 || get16(msg + 2) != len))
		code = 0x23;
	(void)want_error(w, err_type(x), code);
}

/* The first n bytes of the documented "RL" stream for seed s, from byte
 * `skip` on, with the ODD / EVEN rule applied. */
static void rng_stream(uint64_t s, size_t skip, uint8_t *out, size_t n, unsigned rule)
{
	uint8_t in[18], key[32], iv[16] = { 0 }, *z;
	unsigned kl = 0;
	int ol = 0;
	EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();

	memcpy(in, "s390ap-rng", 10);
	for (unsigned i = 0; i < 8; i++)
		in[10 + i] = (uint8_t)(s >> (56 - 8 * i));
	z = calloc(skip + n + 1, 1);
	if (!cc || !z || !EVP_Digest(in, sizeof in, key, &kl, EVP_sha256(), NULL) ||
	    !EVP_EncryptInit_ex(cc, EVP_aes_256_ctr(), NULL, key, iv) ||
	    !EVP_EncryptUpdate(cc, z, &ol, z, (int)(skip + n)))
		fuzz_fail("engine: OpenSSL failed (AES-256-CTR)");
	EVP_CIPHER_CTX_free(cc);
	for (size_t i = 0; i < n; i++) {
		uint8_t v = z[skip + i];

		if (rule) {
			unsigned ones = 0;

			for (unsigned b = v & 0xFEu; b; b &= b - 1)
				ones++;
			v = (uint8_t)((v & 0xFEu) | ((ones & 1u) ^ (rule == 1 ? 1u : 0u)));
		}
		out[i] = v;
	}
	free(z);
}

/* ------------------------------------------------------------------ */
static void check(const struct ctx *x, const s390ap_engine_reply *rep, uint64_t in_lat,
		  const struct want *w, unsigned pass)
{
	if (rep->len == 0 || rep->len > rep->cap)
		fuzz_fail("engine: reply of %zu bytes in a buffer of %zu", rep->len, rep->cap);
	if (rep->len != w->len || memcmp(rep->buf, w->buf, w->len) != 0) {
		size_t i = 0;

		while (i < rep->len && i < w->len && rep->buf[i] == w->buf[i])
			i++;
		fuzz_fail("engine: mode %d type %u pass %u: reply %02x%02x of %zu bytes, "
			  "expected %02x%02x of %zu; first difference at 0x%zx",
			  (int)x->mode, x->type, pass, rep->buf[0], rep->buf[1], rep->len,
			  w->buf[0], w->buf[1], w->len, i);
	}
	if (rep->latency < in_lat)
		fuzz_fail("engine: latency went from %llu down to %llu", (unsigned long long)in_lat,
			  (unsigned long long)rep->latency);
	if (!w->op && rep->latency != in_lat)
		fuzz_fail("engine: an answer without an operation added %llu cycles",
			  (unsigned long long)(rep->latency - in_lat));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	uint8_t h0 = fuzz_u8(&in), h1 = fuzz_u8(&in), h2 = fuzz_u8(&in), h3 = fuzz_u8(&in);
	struct ctx x = { 0 };
	s390ap_crypto_opts co = { S390AP_SIZED(s390ap_crypto_opts) };
	s390ap_engine eng;
	s390ap_engine_request req = { 0 };
	s390ap_engine_reply rep = { 0 };
	struct want w = { 0 };
	size_t cap = s390ap_ml_bytes(h1 & 15u), len;
	const uint8_t *msg;
	bool error_engine = h0 & 4u;
	size_t rng_used = 0;

	msg = fuzz_take(&in, cap, &len);
	x.mode = (h0 & 3u) == 3 ? (s390ap_mode)7 : (s390ap_mode)(h0 & 3u);
	x.type = types[h0 >> 5];
	x.reduce = h0 & 8u;
	x.seed = h3 ? h3 : S390AP_RNG_DEFAULT_SEED;
	switch (h0 & 3u) {
	case 0:
		x.fac = S390AP_TAPQ_FAC_ACCEL | S390AP_TAPQ_FAC_MEX4K | S390AP_TAPQ_FAC_CRT4K;
		break;
	case 1:
		x.fac = S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_FULL;
		break;
	default:
		x.fac = S390AP_TAPQ_FAC_EP11 | S390AP_TAPQ_FAC_FULL;
		break;
	}
	x.fac |= S390AP_TAPQ_FAC_APXA;
	if (h1 & 0x10)
		x.fac &= ~S390AP_TAPQ_FAC_MEX4K;
	if (h1 & 0x20)
		x.fac &= ~S390AP_TAPQ_FAC_CRT4K;

	co.rng_seed = h3;
	co.reduce_input = x.reduce;
	if (error_engine) {
		if (s390ap_error_engine(&eng) != 0)
			fuzz_fail("engine: no error engine");
	} else if (s390ap_crypto_engine_new(&eng, &co) != 0) {
		fuzz_fail("engine: no crypto engine");
	}
	x.bn = BN_CTX_new();
	rep.buf = malloc(cap);
	w.buf = malloc(cap);
	if (!x.bn || !rep.buf || !w.buf)
		fuzz_fail("engine: out of memory");
	memset(w.buf, 0, cap);

	if (error_engine)
		ref_error_engine(&x, msg, len, &w);
	else if (x.mode == S390AP_MODE_ACCEL)
		(void)ref_accel(&x, msg, len, &w);
	else if (x.mode == S390AP_MODE_CCA)
		(void)ref_cca(&x, msg, len, &w);
	else if (x.mode == S390AP_MODE_EP11)
		(void)ref_ep11(&x, msg, len, &w);
	else
		(void)want_error(&w, err_type(&x), 0x20);

	req.apqn = 0x0306;
	req.type = x.type;
	req.mode = x.mode;
	req.fac = x.fac;
	req.special = h0 & 0x10u;
	req.psmid = 0x0123456789ABCDEFull;
	req.msg = msg;
	req.len = len;
	for (unsigned pass = 0; pass < ((h1 & 0x40) ? 2u : 1u); pass++) {
		int rc;

		if (w.rng) {
			rng_stream(x.seed, rng_used, w.buf + w.rng_off, w.rng_len, w.rng_rule);
			rng_used += w.rng_len;
		}
		memset(rep.buf, FILL, cap);
		rep.cap = cap;
		rep.len = 0;
		rep.latency = lat_in[h2 & 7u];
		rc = eng.process(eng.ctx, &req, &rep);
		if (rc != 0)
			fuzz_fail("engine: mode %d type %u: process returned %d for guest bytes",
				  (int)x.mode, x.type, rc);
		check(&x, &rep, lat_in[h2 & 7u], &w, pass);
	}

	if (eng.destroy)
		eng.destroy(eng.ctx);
	BN_CTX_free(x.bn);
	free(rep.buf);
	free(w.buf);
	return 0;
}
