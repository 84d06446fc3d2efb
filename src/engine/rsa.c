/* SPDX-License-Identifier: MIT */
/* RSA arithmetic of the engines on OpenSSL's BN: modular exponentiation
 * (ME) and the CRT form (Garner), as docs/engines.md defines them.
 * Numbers arrive as unsigned big-endian byte strings of any length (leading
 * zeros allowed); results leave right-aligned in a field. */
#include <limits.h>

#include "engine/engine_internal.h"

/* A BIGNUM from the context holding the number x; NULL on failure. */
static BIGNUM *bn_of(BN_CTX *bn, struct eng_num x)
{
	static const uint8_t zero;
	BIGNUM *r = BN_CTX_get(bn);

	if (!r || x.len > INT_MAX)
		return NULL;
	return BN_bin2bn(x.len ? x.p : &zero, (int)x.len, r);
}

/* r = a^e mod m for an odd m (a < m).  The exponent is treated as secret
 * (constant-time ladder): the engine cannot tell a public exponent from a
 * private one. */
static int mod_exp_odd(BIGNUM *r, const BIGNUM *a, BIGNUM *e, const BIGNUM *m, BN_CTX *bn)
{
	if (BN_is_one(m)) {
		BN_zero(r);
		return 1;
	}
	BN_set_flags(e, BN_FLG_CONSTTIME);
	return BN_mod_exp(r, a, e, m, bn);
}

static int put_result(const BIGNUM *r, uint8_t *out, size_t out_len)
{
	return BN_bn2binpad(r, out, (int)out_len) == (int)out_len ? ENG_RSA_OK : S390AP_ENOMEM;
}

int eng_rsa_me(BN_CTX *bn, struct eng_num e, struct eng_num n, struct eng_num msg, bool reduce,
	       uint8_t *out, size_t out_len)
{
	BIGNUM *E, *N, *M, *A, *R;
	int rc = S390AP_ENOMEM;

	if (out_len == 0 || out_len > INT_MAX)
		return S390AP_EINVAL;
	BN_CTX_start(bn);
	E = bn_of(bn, e);
	N = bn_of(bn, n);
	M = bn_of(bn, msg);
	A = BN_CTX_get(bn);
	R = BN_CTX_get(bn);
	if (!E || !N || !M || !R)
		goto out;
	if (BN_is_zero(N)) {
		rc = ENG_RSA_ZERO;
	} else if (!BN_is_odd(N)) {
		rc = ENG_RSA_EVEN;
	} else if ((size_t)BN_num_bytes(N) > out_len) {
		rc = ENG_RSA_TOO_BIG;
	} else if (BN_cmp(M, N) >= 0 && !reduce) {
		rc = ENG_RSA_RANGE;
	} else if (BN_nnmod(A, M, N, bn) && mod_exp_odd(R, A, E, N, bn)) {
		rc = put_result(R, out, out_len);
	}
out:
	BN_CTX_end(bn);
	return rc;
}

int eng_rsa_crt(BN_CTX *bn, const struct eng_crt_key *k, struct eng_num msg, bool reduce,
		uint8_t *out, size_t out_len)
{
	BIGNUM *P, *Q, *DP, *DQ, *U, *C, *N, *A, *M1, *M2, *H, *R;
	int rc = S390AP_ENOMEM;

	if (out_len == 0 || out_len > INT_MAX)
		return S390AP_EINVAL;
	BN_CTX_start(bn);
	P = bn_of(bn, k->p);
	Q = bn_of(bn, k->q);
	DP = bn_of(bn, k->dp);
	DQ = bn_of(bn, k->dq);
	U = bn_of(bn, k->u);
	C = bn_of(bn, msg);
	N = BN_CTX_get(bn);
	A = BN_CTX_get(bn);
	M1 = BN_CTX_get(bn);
	M2 = BN_CTX_get(bn);
	H = BN_CTX_get(bn);
	R = BN_CTX_get(bn);
	if (!P || !Q || !DP || !DQ || !U || !C || !R)
		goto out;
	if (BN_is_zero(P) || BN_is_zero(Q)) {
		rc = ENG_RSA_ZERO;
		goto out;
	}
	if (!BN_is_odd(P) || !BN_is_odd(Q)) {
		rc = ENG_RSA_EVEN;
		goto out;
	}
	if (!BN_mul(N, P, Q, bn))
		goto out;
	if ((size_t)BN_num_bytes(N) > out_len) {
		rc = ENG_RSA_TOO_BIG;
		goto out;
	}
	if (BN_cmp(C, N) >= 0 && !reduce) {
		rc = ENG_RSA_RANGE;
		goto out;
	}
	/* m1 = c^dp mod p;  m2 = c^dq mod q */
	if (!BN_nnmod(A, C, P, bn) || !mod_exp_odd(M1, A, DP, P, bn))
		goto out;
	if (!BN_nnmod(A, C, Q, bn) || !mod_exp_odd(M2, A, DQ, Q, bn))
		goto out;
	/* h = u (m1 - m2) mod p;  m = m2 + h q <= (q - 1) + (p - 1) q < p q,
	 * whatever u is, so the result always fits its field */
	if (!BN_mod_sub(H, M1, M2, P, bn) || !BN_mod_mul(H, H, U, P, bn))
		goto out;
	if (!BN_mul(R, H, Q, bn) || !BN_add(R, R, M2))
		goto out;
	rc = put_result(R, out, out_len);
out:
	BN_CTX_end(bn);
	return rc;
}
