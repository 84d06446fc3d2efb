/* SPDX-License-Identifier: MIT */
/* test_engine -- the message engines (src/engine/, docs/engines.md):
 * type 50 / 80 RSA on accelerators, the CCA "RL", "PK" and "PD" requests
 * with their type 86 replies, EP11 error replies, every error reply the
 * engines give, the latency model, and real replies travelling through
 * NQAP (multi-part) and DQAP (split across several executions).
 *
 * Known answers are made at test time with OpenSSL: RSA keys of 1024, 2048,
 * 4096 (and 1000) bits from EVP_RSA_gen, random messages, and the expected
 * results from BN_mod_exp in the test.  Keys are generated once per test
 * process, before the runner forks, and kept in a cache file next to the
 * test binary (S390AP_TEST_KEY_CACHE) so the valgrind and sanitizer runs do
 * not spend a minute generating 4096-bit primes; delete the files, or set
 * S390AP_TEST_FRESH_KEYS=1, to get new ones.
 *
 * The engine is called two ways: directly (a request of exactly its length
 * in its own heap block, a reply buffer of exactly its capacity, so
 * valgrind and ASan see any access outside them) and through the machine
 * with NQAP / DQAP (the aptest fixture).
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "s390ap/s390ap.h"
#include "aptest.h"
#include "util/be.h"

#define MEM_SIZE 0x100000u
#define MSG_ADDR 0x10000u
#define BUF_ADDR 0x40000u

#define MSG_MAX 16384u
#define CAP 12288u   /* the default adapter's message size */
#define LAT_IN 1000u /* latency handed to the engine in direct calls */

/* TAPQ facility words: accelerator with and without the 4K bits */
#define FAC_ACC                                                                  \
	(S390AP_TAPQ_FAC_ACCEL | S390AP_TAPQ_FAC_MEX4K | S390AP_TAPQ_FAC_CRT4K | \
	 S390AP_TAPQ_FAC_APXA)
#define FAC_ACC_2K (S390AP_TAPQ_FAC_ACCEL | S390AP_TAPQ_FAC_APXA)
#define FAC_CCA (S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_APXA | S390AP_TAPQ_FAC_FULL)
#define FAC_EP11 (S390AP_TAPQ_FAC_EP11 | S390AP_TAPQ_FAC_APXA | S390AP_TAPQ_FAC_FULL)

/* ================================================================== */
/* Byte helpers                                                        */
/* ================================================================== */
static size_t ceil4(size_t n)
{
	return (n + 3u) & ~(size_t)3u;
}

/* b right-aligned in len bytes */
static void put_bn(uint8_t *p, size_t len, const BIGNUM *b)
{
	ck_assert_int_eq(BN_bn2binpad(b, p, (int)len), (int)len);
}

static BIGNUM *bn_new(void)
{
	BIGNUM *b = BN_new();

	ck_assert_ptr_nonnull(b);
	return b;
}

static BIGNUM *bn_word(unsigned long w)
{
	BIGNUM *b = bn_new();

	ck_assert(BN_set_word(b, w));
	return b;
}

static BIGNUM *bn_dup(const BIGNUM *a)
{
	BIGNUM *b = BN_dup(a);

	ck_assert_ptr_nonnull(b);
	return b;
}

/* a random number in [0, range) */
static BIGNUM *bn_below(const BIGNUM *range)
{
	BIGNUM *b = bn_new();

	ck_assert(BN_rand_range(b, range));
	return b;
}

static BIGNUM *bn_modexp(const BIGNUM *base, const BIGNUM *ex, const BIGNUM *mod)
{
	BN_CTX *bc = BN_CTX_new();
	BIGNUM *r = bn_new();

	ck_assert_ptr_nonnull(bc);
	ck_assert(BN_mod_exp(r, base, ex, mod, bc));
	BN_CTX_free(bc);
	return r;
}

static void bn_free_all(BIGNUM **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		BN_free(v[i]);
}

/* ================================================================== */
/* RSA keys: generated with OpenSSL, once per process                  */
/* ================================================================== */
enum { K1024, K2048, K4096, K1000, NKEYS };
static const unsigned key_bits[NKEYS] = { 1024, 2048, 4096, 1000 };

struct tkey {
	unsigned bits;
	size_t mod_len;
	BIGNUM *n, *e, *d, *p, *q, *dp, *dq, *u;
};
static struct tkey keys[NKEYS];

static void die(const char *what, unsigned bits)
{
	fprintf(stderr, "test_engine: %s (%u-bit key)\n", what, bits);
	exit(EXIT_FAILURE);
}

static BIGNUM *key_param(EVP_PKEY *pk, const char *name, unsigned bits)
{
	BIGNUM *b = NULL;

	if (EVP_PKEY_get_bn_param(pk, name, &b) != 1 || !b)
		die(name, bits);
	return b;
}

/* The key's numbers, and the facts the engine relies on: n = p q, and
 * OpenSSL's coefficient is u = q^-1 mod p, the CRT convention of
 * docs/engines.md.  Returns false if a cached key does not hold up. */
static bool key_take(struct tkey *k, EVP_PKEY *pk, unsigned bits)
{
	BN_CTX *bc = BN_CTX_new();
	BIGNUM *t = BN_new();
	bool ok;

	if (!bc || !t)
		die("out of memory", bits);
	k->bits = bits;
	k->n = key_param(pk, OSSL_PKEY_PARAM_RSA_N, bits);
	k->e = key_param(pk, OSSL_PKEY_PARAM_RSA_E, bits);
	k->d = key_param(pk, OSSL_PKEY_PARAM_RSA_D, bits);
	k->p = key_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR1, bits);
	k->q = key_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR2, bits);
	k->dp = key_param(pk, OSSL_PKEY_PARAM_RSA_EXPONENT1, bits);
	k->dq = key_param(pk, OSSL_PKEY_PARAM_RSA_EXPONENT2, bits);
	k->u = key_param(pk, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, bits);
	k->mod_len = (size_t)BN_num_bytes(k->n);
	ok = (unsigned)BN_num_bits(k->n) == bits && BN_is_word(k->e, 65537) &&
	     BN_mul(t, k->p, k->q, bc) && BN_cmp(t, k->n) == 0 &&
	     BN_mod_mul(t, k->u, k->q, k->p, bc) && BN_is_one(t);
	BN_free(t);
	BN_CTX_free(bc);
	return ok;
}

static void key_drop(struct tkey *k)
{
	BIGNUM *v[] = { k->n, k->e, k->d, k->p, k->q, k->dp, k->dq, k->u };

	bn_free_all(v, ARRAY_SIZE(v));
	memset(k, 0, sizeof *k);
}

static EVP_PKEY *key_read(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *pk;

	if (!f)
		return NULL;
	pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return pk;
}

/* Written to a temporary name, then renamed: never a half file. */
static void key_write(const char *path, EVP_PKEY *pk)
{
	char tmp[4096];
	FILE *f;
	int ok;

	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return;
	ok = PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) == 1;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0)
		remove(tmp);
}

static void keys_init(void)
{
	const char *fresh = getenv("S390AP_TEST_FRESH_KEYS");
	bool use_cache = !(fresh && *fresh && strcmp(fresh, "0") != 0);

	for (unsigned i = 0; i < NKEYS; i++) {
		char path[4096] = "";
		EVP_PKEY *pk = NULL;

#ifdef S390AP_TEST_KEY_CACHE
		snprintf(path, sizeof path, "%s-%u.pem", S390AP_TEST_KEY_CACHE, key_bits[i]);
		if (use_cache)
			pk = key_read(path);
		if (pk && !key_take(&keys[i], pk, key_bits[i])) {
			key_drop(&keys[i]);
			EVP_PKEY_free(pk);
			pk = NULL;
		}
#else
		(void)use_cache;
#endif
		if (!pk) {
			pk = EVP_RSA_gen(key_bits[i]);
			if (!pk)
				die("EVP_RSA_gen failed", key_bits[i]);
			if (!key_take(&keys[i], pk, key_bits[i]))
				die("generated key does not check", key_bits[i]);
			if (path[0])
				key_write(path, pk);
		}
		EVP_PKEY_free(pk);
	}
}

static void keys_free(void)
{
	for (unsigned i = 0; i < NKEYS; i++)
		key_drop(&keys[i]);
}

/* ================================================================== */
/* Direct engine calls                                                 */
/* ================================================================== */
static s390ap_engine eng;
static s390ap_engine_request rq;
static s390ap_engine_reply rep;
static uint8_t *rbuf;         /* the reply, exactly rep.cap bytes */
static uint8_t msgb[MSG_MAX]; /* requests are built here */
static int ret;               /* the engine's return value */

static void eng_setup(void)
{
	ck_assert_int_eq(s390ap_crypto_engine_new(&eng, NULL), 0);
	ck_assert(eng.process != NULL);
	ck_assert(eng.destroy != NULL);
	rbuf = NULL;
}

static void eng_teardown(void)
{
	if (eng.destroy)
		eng.destroy(eng.ctx);
	memset(&eng, 0, sizeof eng);
	free(rbuf);
	rbuf = NULL;
}

static void use_engine(const s390ap_crypto_opts *o)
{
	eng.destroy(eng.ctx);
	ck_assert_int_eq(s390ap_crypto_engine_new(&eng, o), 0);
}

/* Run eng on msg[0..len) as an adapter of this type, mode and facilities,
 * with a reply buffer of cap bytes. */
static int process_as(uint8_t type, s390ap_mode mode, uint32_t fac, const uint8_t *msg, size_t len,
		      size_t cap)
{
	uint8_t *copy = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, msg, len);
	free(rbuf);
	rbuf = malloc(cap ? cap : 1);
	ck_assert_ptr_nonnull(rbuf);
	memset(rbuf, 0xEE, cap);
	memset(&rq, 0, sizeof rq);
	rq.apqn = S390AP_APQN(3, 6);
	rq.type = type;
	rq.mode = mode;
	rq.fac = fac;
	rq.psmid = 0x0102030405060708ull;
	rq.msg = copy;
	rq.len = len;
	memset(&rep, 0, sizeof rep);
	rep.buf = rbuf;
	rep.cap = cap;
	rep.latency = LAT_IN;
	ret = eng.process(eng.ctx, &rq, &rep);
	free(copy);
	rq.msg = NULL;
	return ret;
}

static void process(s390ap_mode mode, uint32_t fac, size_t len)
{
	process_as(S390AP_TYPE_CEX8, mode, fac, msgb, len, CAP);
}

/* An 8-byte error reply of that type and code; no latency added. */
static void expect_err(uint8_t type, uint8_t code)
{
	uint8_t exp[8] = { 0, type, 0, 0, code, 0, 0, 0 };

	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(rep.len, 8);
	ck_assert_msg(rbuf[1] == type && rbuf[4] == code,
		      "reply type %02x code %02x, expected %02x %02x", rbuf[1], rbuf[4], type,
		      code);
	ck_assert_mem_eq(rbuf, exp, 8);
	if (rep.cap > 8)
		ck_assert_uint_eq(rbuf[8], 0xEE);
	ck_assert_x64(rep.latency, LAT_IN);
}

/* ================================================================== */
/* Type 50 requests                                                    */
/* ================================================================== */
static size_t field_of(uint16_t kb)
{
	switch (kb & 0x0F) {
	case 1:
		return 128;
	case 2:
		return 256;
	default:
		return 512;
	}
}

/* MEBn: exponent, modulus, message, each right-aligned in F bytes. */
static size_t t50_me(uint8_t *b, uint16_t kb, const BIGNUM *ex, const BIGNUM *mod,
		     const BIGNUM *msgbn)
{
	size_t f = field_of(kb), len = 0x10 + 3 * f;

	memset(b, 0, len);
	b[1] = 0x50;
	be_put16(b + 2, (unsigned)len);
	be_put16(b + 8, kb);
	put_bn(b + 0x10, f, ex);
	put_bn(b + 0x10 + f, f, mod);
	put_bn(b + 0x10 + 2 * f, f, msgbn);
	return len;
}

/* CRBn: p, q, dp, dq, u in F/2 bytes each, then the message in F. */
static size_t t50_crt(uint8_t *b, uint16_t kb, const BIGNUM *p, const BIGNUM *q, const BIGNUM *dp,
		      const BIGNUM *dq, const BIGNUM *u, const BIGNUM *c)
{
	size_t f = field_of(kb), h = f / 2, len = 0x10 + 7 * h;

	memset(b, 0, len);
	b[1] = 0x50;
	be_put16(b + 2, (unsigned)len);
	be_put16(b + 8, kb);
	put_bn(b + 0x10, h, p);
	put_bn(b + 0x10 + h, h, q);
	put_bn(b + 0x10 + 2 * h, h, dp);
	put_bn(b + 0x10 + 3 * h, h, dq);
	put_bn(b + 0x10 + 4 * h, h, u);
	put_bn(b + 0x10 + 5 * h, f, c);
	return len;
}

static size_t t50_crt_key(uint8_t *b, uint16_t kb, const struct tkey *k, const BIGNUM *c)
{
	return t50_crt(b, kb, k->p, k->q, k->dp, k->dq, k->u, c);
}

static uint16_t me_block(const struct tkey *k)
{
	return k->mod_len <= 128 ? 0x0001 : k->mod_len <= 256 ? 0x0002 : 0x0003;
}

static uint16_t crt_block(const struct tkey *k)
{
	return (uint16_t)(me_block(k) | 0x10);
}

/* A type 80 reply: header, then exp right-aligned in F bytes. */
static void expect_t80(size_t f, const BIGNUM *exp, s390ap_engine_op op)
{
	uint8_t hdr[16] = { 0, 0x80 };
	uint8_t *want = malloc(f);

	ck_assert_ptr_nonnull(want);
	be_put16(hdr + 2, (unsigned)(16 + f));
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(rep.len, 16 + f);
	ck_assert_mem_eq(rbuf, hdr, 16);
	put_bn(want, f, exp);
	ck_assert_mem_eq(rbuf + 16, want, f);
	if (rep.cap > 16 + f)
		ck_assert_uint_eq(rbuf[16 + f], 0xEE);
	ck_assert_x64(rep.latency,
		      LAT_IN + s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, op, f) -
			      s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
						    S390AP_ENGINE_OP_NONE, 0));
	free(want);
}

/* ------------------------------------------------------------------ */
/* Known answers (loop over the keys)                                  */
/* ------------------------------------------------------------------ */

/* ME with the public exponent: m^e mod n. */
START_TEST(test_kat_me_public)
{
	const struct tkey *k = &keys[_i];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *exp = bn_modexp(msgbn, k->e, k->n);

	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, me_block(k), k->e, k->n, msgbn));
	expect_t80(field_of(me_block(k)), exp, S390AP_ENGINE_OP_RSA_ME);
	BN_free(msgbn);
	BN_free(exp);
}
END_TEST

/* ME with the private exponent: c^d mod n, which is the message again. */
START_TEST(test_kat_me_private)
{
	const struct tkey *k = &keys[_i];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *c = bn_modexp(msgbn, k->e, k->n);
	BIGNUM *exp = bn_modexp(c, k->d, k->n);

	ck_assert_int_eq(BN_cmp(exp, msgbn), 0);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, me_block(k), k->d, k->n, c));
	expect_t80(field_of(me_block(k)), exp, S390AP_ENGINE_OP_RSA_ME);
	BN_free(msgbn);
	BN_free(c);
	BN_free(exp);
}
END_TEST

/* CRT with OpenSSL's p, q, dp, dq and u = q^-1 mod p. */
START_TEST(test_kat_crt)
{
	const struct tkey *k = &keys[_i];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *c = bn_modexp(msgbn, k->e, k->n);
	BIGNUM *exp = bn_modexp(c, k->d, k->n);

	ck_assert_int_eq(BN_cmp(exp, msgbn), 0);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt_key(msgb, crt_block(k), k, c));
	expect_t80(field_of(crt_block(k)), exp, S390AP_ENGINE_OP_RSA_CRT);
	BN_free(msgbn);
	BN_free(c);
	BN_free(exp);
}
END_TEST

/* p < q: the fields are plain numbers, Garner still holds with
 * u = q^-1 mod p (here: the old p's inverse modulo the old q). */
START_TEST(test_kat_crt_p_below_q)
{
	const struct tkey *k = &keys[_i];
	BN_CTX *bc = BN_CTX_new();
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *c = bn_modexp(msgbn, k->e, k->n);
	BIGNUM *u = bn_new();
	const BIGNUM *lo = BN_cmp(k->p, k->q) < 0 ? k->p : k->q;
	const BIGNUM *hi = lo == k->p ? k->q : k->p;
	const BIGNUM *dlo = lo == k->p ? k->dp : k->dq;
	const BIGNUM *dhi = lo == k->p ? k->dq : k->dp;

	ck_assert_ptr_nonnull(bc);
	ck_assert_ptr_nonnull(BN_mod_inverse(u, hi, lo, bc));
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt(msgb, crt_block(k), lo, hi, dlo, dhi, u, c));
	expect_t80(field_of(crt_block(k)), msgbn, S390AP_ENGINE_OP_RSA_CRT);
	BN_CTX_free(bc);
	BN_free(msgbn);
	BN_free(c);
	BN_free(u);
}
END_TEST

/* A key in a larger block than it needs (as v3.x kernels sent 1024-bit
 * CRT keys in CRB2): only the field sizes come from the block type. */
START_TEST(test_kat_larger_blocks)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *c = bn_modexp(msgbn, k->e, k->n);

	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 0x0002, k->e, k->n, msgbn));
	expect_t80(256, c, S390AP_ENGINE_OP_RSA_ME);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 0x0003, k->d, k->n, c));
	expect_t80(512, msgbn, S390AP_ENGINE_OP_RSA_ME);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt_key(msgb, 0x0012, k, c));
	expect_t80(256, msgbn, S390AP_ENGINE_OP_RSA_CRT);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt_key(msgb, 0x0013, k, c));
	expect_t80(512, msgbn, S390AP_ENGINE_OP_RSA_CRT);
	BN_free(msgbn);
	BN_free(c);
}
END_TEST

/* Small numbers: exponent 0 gives 1, modulus 1 gives 0, message 0 gives
 * 0, byte 5 ("ignored") may be anything. */
START_TEST(test_me_edge_values)
{
	BIGNUM *zero = bn_word(0), *one = bn_word(1), *n = bn_word(0xC5), *x = bn_word(0x17);
	BIGNUM *exp;

	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 1, zero, n, x));
	expect_t80(128, one, S390AP_ENGINE_OP_RSA_ME);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 1, x, one, zero));
	expect_t80(128, zero, S390AP_ENGINE_OP_RSA_ME);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 1, x, n, zero));
	expect_t80(128, zero, S390AP_ENGINE_OP_RSA_ME);
	exp = bn_modexp(x, x, n);
	t50_me(msgb, 1, x, n, x);
	msgb[5] = 0xFF;
	process(S390AP_MODE_ACCEL, FAC_ACC, 0x190);
	expect_t80(128, exp, S390AP_ENGINE_OP_RSA_ME);
	BN_free(zero);
	BN_free(one);
	BN_free(n);
	BN_free(x);
	BN_free(exp);
}
END_TEST

/* The option reduce_input computes with message mod n instead of
 * refusing it, for ME and CRT. */
START_TEST(test_reduce_input_option)
{
	s390ap_crypto_opts o = { S390AP_SIZED(s390ap_crypto_opts), .reduce_input = true };
	const struct tkey *k = &keys[K1024];
	BIGNUM *big = bn_new(), *red = bn_new(), *exp;
	BN_CTX *bc = BN_CTX_new();

	ck_assert_ptr_nonnull(bc);
	use_engine(&o);
	/* 2^1024 - 1 > n */
	ck_assert(BN_set_bit(big, 1024));
	ck_assert(BN_sub_word(big, 1));
	ck_assert(BN_nnmod(red, big, k->n, bc));
	exp = bn_modexp(red, k->e, k->n);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 1, k->e, k->n, big));
	expect_t80(128, exp, S390AP_ENGINE_OP_RSA_ME);
	BN_free(exp);
	exp = bn_modexp(red, k->d, k->n);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt_key(msgb, 0x11, k, big));
	expect_t80(128, exp, S390AP_ENGINE_OP_RSA_CRT);
	BN_free(exp);
	BN_free(big);
	BN_free(red);
	BN_CTX_free(bc);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Type 50 error replies                                               */
/* ------------------------------------------------------------------ */
static size_t valid_meb1(void)
{
	BIGNUM *n = bn_word(0xC5), *x = bn_word(3);
	size_t len = t50_me(msgb, 1, x, n, x);

	BN_free(n);
	BN_free(x);
	return len;
}

START_TEST(test_t50_message_type)
{
	size_t len = valid_meb1();

	msgb[1] = 0x06;
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE);
	msgb[1] = 0x51;
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE);
	msgb[1] = 0x50;
	process(S390AP_MODE_ACCEL, FAC_ACC, 1);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE);
	process(S390AP_MODE_ACCEL, FAC_ACC, 0);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE);
}
END_TEST

START_TEST(test_t50_invalid_msg_len)
{
	size_t len = valid_meb1();

	/* msg_len one off either way */
	be_put16(msgb + 2, (unsigned)len - 1);
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	be_put16(msgb + 2, (unsigned)len + 1);
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	/* too short to hold the header, length field consistent */
	be_put16(msgb + 2, 8);
	process(S390AP_MODE_ACCEL, FAC_ACC, 8);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	process(S390AP_MODE_ACCEL, FAC_ACC, 3);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	be_put16(msgb + 2, 15);
	process(S390AP_MODE_ACCEL, FAC_ACC, 15);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
}
END_TEST

/* Every reserved byte of the 16-byte prefix on its own. */
START_TEST(test_t50_reserved_field)
{
	static const unsigned rsvd[] = { 0, 4, 6, 7, 10, 11, 12, 13, 14, 15 };
	size_t len = valid_meb1();

	msgb[rsvd[_i]] = 0x01;
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_RESERVED_FIELD);
}
END_TEST

START_TEST(test_t50_format_field)
{
	static const uint16_t bad[] = { 0x0000, 0x0004, 0x0010, 0x0014, 0x0021, 0x0101, 0xFFFF };
	size_t len = valid_meb1();

	be_put16(msgb + 8, bad[_i]);
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_FORMAT_FIELD);
}
END_TEST

/* The length field agrees with NQAP but not with the key block. */
/* Key block types 1-3 (ME) and 0x11-0x13 (CRT) and their one total
 * message length each; every length next to it, too short, or another
 * type's is refused.  Row _i: type _i / 4, length _i % 4. */
#define T50_KB_TYPES 6
#define T50_BAD_LENS 4

START_TEST(test_t50_message_length)
{
	static const uint16_t kbs[T50_KB_TYPES] = { 0x01, 0x02, 0x03, 0x11, 0x12, 0x13 };
	static const size_t totals[T50_KB_TYPES] = { 0x190, 0x310, 0x610, 0x1D0, 0x390, 0x710 };
	unsigned i = (unsigned)_i / T50_BAD_LENS;
	size_t lens[T50_BAD_LENS] = { totals[i] - 1, totals[i] + 1, 16,
				      totals[(i + 1) % T50_KB_TYPES] };
	size_t len = lens[_i % T50_BAD_LENS];

	memset(msgb, 0, len);
	msgb[1] = S390AP_MSG_TYPE50;
	be_put16(msgb + 2, (unsigned)len);
	be_put16(msgb + 8, kbs[i]);
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_LENGTH);
}
END_TEST

/* 4096-bit blocks need the M (ME) / C (CRT) facility bits; 2K blocks do
 * not.  Each bit is checked on its own. */
START_TEST(test_t50_4k_facility)
{
	const struct tkey *k = &keys[K4096];
	const struct tkey *k2 = &keys[K2048];
	BIGNUM *x = bn_word(2), *exp;

	t50_me(msgb, 3, k->e, k->n, x);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K, 0x610);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_SIZE);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K | S390AP_TAPQ_FAC_CRT4K, 0x610);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_SIZE);
	exp = bn_modexp(x, k->e, k->n);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K | S390AP_TAPQ_FAC_MEX4K, 0x610);
	expect_t80(512, exp, S390AP_ENGINE_OP_RSA_ME);
	BN_free(exp);

	exp = bn_modexp(x, k->d, k->n);
	t50_crt_key(msgb, 0x13, k, x);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K, 0x710);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_SIZE);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K | S390AP_TAPQ_FAC_MEX4K, 0x710);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_SIZE);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K | S390AP_TAPQ_FAC_CRT4K, 0x710);
	expect_t80(512, exp, S390AP_ENGINE_OP_RSA_CRT);
	BN_free(exp);

	/* 2K blocks on the 2K adapter */
	exp = bn_modexp(x, k2->d, k2->n);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K, t50_crt_key(msgb, 0x12, k2, x));
	expect_t80(256, exp, S390AP_ENGINE_OP_RSA_CRT);
	BN_free(exp);
	BN_free(x);
}
END_TEST

/* Operand checks of ME: zero modulus, message >= modulus -> 0x82; even
 * modulus -> 0x85. */
START_TEST(test_t50_me_operands)
{
	const struct tkey *k = &keys[K2048];
	BIGNUM *zero = bn_word(0), *x = bn_word(5), *even = bn_dup(k->n), *above = bn_dup(k->n);

	ck_assert(BN_add_word(even, 1));
	ck_assert(BN_add_word(above, 1));
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 2, k->e, zero, x));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 2, k->e, zero, zero));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 2, k->e, k->n, k->n));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 2, k->e, k->n, above));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_me(msgb, 2, k->e, even, x));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_EVEN_MODULUS);
	BN_free(zero);
	BN_free(x);
	BN_free(even);
	BN_free(above);
}
END_TEST

/* Operand checks of CRT: zero p or q -> 0x82, even p or q -> 0x85,
 * message >= p q -> 0x82. */
START_TEST(test_t50_crt_operands)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *zero = bn_word(0), *x = bn_word(5), *evp = bn_dup(k->p), *evq = bn_dup(k->q);

	ck_assert(BN_add_word(evp, 1));
	ck_assert(BN_add_word(evq, 1));
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt(msgb, 0x11, zero, k->q, k->dp, k->dq, k->u, x));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt(msgb, 0x11, k->p, zero, k->dp, k->dq, k->u, x));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt(msgb, 0x11, evp, k->q, k->dp, k->dq, k->u, x));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_EVEN_MODULUS);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt(msgb, 0x11, k->p, evq, k->dp, k->dq, k->u, x));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_EVEN_MODULUS);
	process(S390AP_MODE_ACCEL, FAC_ACC, t50_crt_key(msgb, 0x11, k, k->n));
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
	BN_free(zero);
	BN_free(x);
	BN_free(evp);
	BN_free(evq);
}
END_TEST

/* Checks apply in the documented order: the first match wins. */
START_TEST(test_t50_check_order)
{
	size_t len = valid_meb1();

	/* reserved byte and unknown block: 0x24 first */
	msgb[0x0F] = 1;
	be_put16(msgb + 8, 0x7);
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_RESERVED_FIELD);
	/* bad length field and reserved byte: 0x23 first */
	be_put16(msgb + 2, 5);
	process(S390AP_MODE_ACCEL, FAC_ACC, len);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	/* 4K block without the facility and zero modulus: 0x84 first */
	memset(msgb, 0, 0x610);
	msgb[1] = 0x50;
	be_put16(msgb + 2, 0x610);
	be_put16(msgb + 8, 3);
	process(S390AP_MODE_ACCEL, FAC_ACC_2K, 0x610);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_SIZE);
	process(S390AP_MODE_ACCEL, FAC_ACC, 0x610);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_OPERAND_INVALID);
}
END_TEST

/* CEX2A / CEX3A (AP types 6 and 8) answer with type 88. */
START_TEST(test_t50_type88)
{
	size_t len = valid_meb1();

	msgb[1] = 0x06;
	process_as(8, S390AP_MODE_ACCEL, FAC_ACC, msgb, len, CAP);
	expect_err(S390AP_MSG_TYPE88, S390AP_REPLY_MESSAGE_TYPE);
	msgb[1] = 0x50;
	msgb[4] = 1;
	process_as(6, S390AP_MODE_ACCEL, FAC_ACC, msgb, len, CAP);
	expect_err(S390AP_MSG_TYPE88, S390AP_REPLY_RESERVED_FIELD);
}
END_TEST

/* A reply that does not fit the buffer is an engine failure (the machine
 * then answers 0x82 / 0x10); the engine writes nothing past cap. */
START_TEST(test_t50_small_reply_buffer)
{
	size_t len = valid_meb1();

	ck_assert_int_lt(process_as(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, FAC_ACC, msgb, len, 143),
			 0);
	ck_assert_int_eq(process_as(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, FAC_ACC, msgb, len, 144),
			 0);
	ck_assert_uint_eq(rep.len, 144);
	msgb[1] = 0;
	ck_assert_int_lt(process_as(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, FAC_ACC, msgb, len, 7), 0);
	ck_assert_int_eq(process_as(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, FAC_ACC, msgb, len, 8), 0);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE);
}
END_TEST

/* Random garbage of every length up to 0x800 after a valid prefix: never
 * a crash, always a reply that fits. */
START_TEST(test_t50_garbage)
{
	uint8_t *junk = malloc(0x800);

	ck_assert_ptr_nonnull(junk);
	ck_assert_int_eq(RAND_bytes(junk, 0x800), 1);
	for (size_t len = 0; len <= 0x800; len += 7) {
		memcpy(msgb, junk, len);
		if (len > 1)
			msgb[1] = 0x50;
		if (len > 3)
			be_put16(msgb + 2, (unsigned)len);
		process(S390AP_MODE_ACCEL, FAC_ACC, len);
		ck_assert_int_eq(ret, 0);
		ck_assert(rep.len >= 8 && rep.len <= CAP);
		ck_assert(rbuf[1] == S390AP_MSG_TYPE82 || rbuf[1] == S390AP_MSG_TYPE80);
	}
	free(junk);
}
END_TEST

/* ================================================================== */
/* Type 6 / CCA requests                                               */
/* ================================================================== */
#define CPRBX 0xDCu
#define PARM 0x134u /* 0x58 + 0xDC */
#define R_CPRB 0x30u
#define R_PARM 0x10Cu
#define ICA_FROM1 0x724u

static void t6_hdr(uint8_t *b, const char agent[2], uint32_t tcl1, uint32_t tcl2, uint32_t fcl1,
		   uint32_t fcl2, const uint8_t fc[2])
{
	memset(b, 0, 0x58);
	b[1] = 0x06;
	be_put32(b + 0x10, 0x58);
	if (tcl2)
		be_put32(b + 0x14, (uint32_t)(0x58 + ceil4(tcl1)));
	memcpy(b + 0x20, agent, 2);
	if (fc)
		memcpy(b + 0x34, fc, 2);
	be_put32(b + 0x38, tcl1);
	be_put32(b + 0x3C, tcl2);
	be_put32(b + 0x48, fcl1);
	be_put32(b + 0x4C, fcl2);
}

static void cprbx(uint8_t *c, uint32_t req_parml, uint32_t req_datal, uint32_t rpl_msgbl,
		  uint32_t rpl_datal)
{
	memset(c, 0, CPRBX);
	be_put16(c, CPRBX);
	c[2] = 0x02;
	memcpy(c + 6, "T2", 2);
	be_put32(c + 0x0C, req_parml);
	be_put32(c + 0x10, req_datal);
	be_put32(c + 0x14, rpl_msgbl);
	be_put32(c + 0x1C, rpl_datal);
	be_put16(c + 0xAA, 0x0006); /* domain = the queue's APQI */
	/* host "addresses", meaningless to the card, echoed back */
	for (unsigned i = 0x30; i < 0x90; i++)
		c[i] = (uint8_t)(i * 7u);
}

/* A CCA request: type 6 header, CPRBX, parameter block, data block. */
static size_t cca_msg(uint8_t *b, const uint8_t *parm, size_t plen, size_t dlen, uint32_t fcl1,
		      uint32_t fcl2, uint32_t rpl_datal)
{
	uint32_t tcl1 = (uint32_t)(CPRBX + plen);
	size_t total = dlen ? 0x58 + ceil4(tcl1) + dlen : 0x58 + tcl1;

	ck_assert_uint_le(total, MSG_MAX);
	memset(b, 0, total);
	t6_hdr(b, "CA", tcl1, (uint32_t)dlen, fcl1, fcl2, plen >= 2 ? parm : NULL);
	cprbx(b + 0x58, (uint32_t)plen, (uint32_t)dlen, fcl1, rpl_datal);
	memcpy(b + PARM, parm, plen);
	for (size_t i = 0; i < dlen; i++)
		b[0x58 + ceil4(tcl1) + i] = (uint8_t)(i ^ 0x5A);
	return total;
}

/* Parameter block: subfunction, rule array (count keywords of 8). */
static size_t parm_rules(uint8_t *p, const char *subfn, const char *rules, unsigned count)
{
	memcpy(p, subfn, 2);
	be_put16(p + 2, 2 + 8 * count);
	if (count)
		memcpy(p + 4, rules, 8 * count);
	return 4 + 8 * count;
}

static size_t parm_block(uint8_t *p, size_t off, const uint8_t *data, size_t n)
{
	be_put16(p + off, (unsigned)(n + 2));
	if (n)
		memcpy(p + off + 2, data, n);
	return off + 2 + n;
}

/* "RL" exactly as the hwrng path builds it. */
static size_t rl_msg(uint8_t *b, const char *rule, uint32_t count)
{
	uint8_t parm[16];
	size_t off = parm_rules(parm, "RL", rule, 1);

	off = parm_block(parm, off, NULL, 0);
	off = parm_block(parm, off, NULL, 0);
	ck_assert_uint_eq(off, 16);
	return cca_msg(b, parm, off, 0, 0xEC, count, count);
}

/* Key block of "PK": external token with a public section. */
static size_t pk_keyblock(uint8_t *kb, size_t mod_len, size_t exp_len, const BIGNUM *ex,
			  const BIGNUM *n)
{
	size_t seclen = 12 + exp_len + mod_len, toklen = 8 + seclen;
	uint8_t *t = kb + 6, *s = t + 8;

	be_put16(kb, (unsigned)(toklen + 6));
	be_put16(kb + 2, (unsigned)(toklen + 4));
	be_put16(kb + 4, 0);
	memset(t, 0, 8);
	t[0] = 0x1E;
	be_put16(t + 2, (unsigned)toklen);
	memset(s, 0, 12);
	s[0] = 0x04;
	be_put16(s + 2, (unsigned)seclen);
	be_put16(s + 6, (unsigned)exp_len);
	be_put16(s + 8, (unsigned)(8 * mod_len));
	be_put16(s + 10, (unsigned)mod_len);
	put_bn(s + 12, exp_len, ex);
	put_bn(s + 12 + exp_len, mod_len, n);
	return toklen + 6;
}

/* Key block of "PD": external token, private CRT section 0x08 with the
 * ICA buffers (p, dp, u with 8 pad bytes), 0xFF modulus filler, public
 * section with exponent 65537 -- as the Linux driver builds it. */
static size_t pd_keyblock(uint8_t *kb, size_t mod_len, const BIGNUM *p, const BIGNUM *q,
			  const BIGNUM *dp, const BIGNUM *dq, const BIGNUM *u)
{
	size_t sh = (mod_len + 1) / 2, lg = sh + 8;
	size_t pad = (size_t)(-(long)(3 * lg + 2 * sh)) & 7u;
	size_t key_len = 3 * lg + 2 * sh + pad + mod_len, size = 161 + key_len;
	uint8_t *t = kb + 6, *s = t + 8, *f = s + 132, *pub;

	memset(kb, 0, size);
	be_put16(kb, (unsigned)size);
	be_put16(kb + 2, (unsigned)(size - 2));
	t[0] = 0x1E;
	be_put16(t + 2, (unsigned)(size - 6));
	s[0] = 0x08;
	be_put16(s + 2, (unsigned)(132 + key_len));
	s[28] = 0x40;
	s[50] = 0x80;
	be_put16(s + 54, (unsigned)lg);
	be_put16(s + 56, (unsigned)sh);
	be_put16(s + 58, (unsigned)lg);
	be_put16(s + 60, (unsigned)sh);
	be_put16(s + 62, (unsigned)lg);
	be_put16(s + 64, (unsigned)mod_len);
	be_put16(s + 70, (unsigned)pad);
	put_bn(f, lg, p);
	put_bn(f + lg, sh, q);
	put_bn(f + lg + sh, lg, dp);
	put_bn(f + 2 * lg + sh, sh, dq);
	put_bn(f + 2 * lg + 2 * sh, lg, u);
	memset(f + 3 * lg + 2 * sh + pad, 0xFF, mod_len);
	pub = f + key_len;
	pub[0] = 0x04;
	be_put16(pub + 2, 0x000F);
	be_put16(pub + 6, 3);
	be_put16(pub + 8, (unsigned)(8 * mod_len));
	pub[12] = 0x01;
	pub[13] = 0x00;
	pub[14] = 0x01;
	ck_assert_uint_eq((size_t)(pub + 15 - kb), size);
	return size;
}

/* "PK" / "PD" request as zcrypt's ICA path builds it: subfunction, one
 * rule, VUD (the input, in_len bytes), the key block. */
static size_t ica_msg(uint8_t *b, const char *subfn, const char *rule, const BIGNUM *in,
		      size_t in_len, const uint8_t *kb, size_t kb_len)
{
	uint8_t *parm = malloc(MSG_MAX);
	size_t off, total;

	ck_assert_ptr_nonnull(parm);
	off = parm_rules(parm, subfn, rule, 1);
	be_put16(parm + off, (unsigned)(in_len + 2));
	put_bn(parm + off + 2, in_len, in);
	off += 2 + in_len;
	memcpy(parm + off, kb, kb_len);
	off += kb_len;
	total = cca_msg(b, parm, off, 0, ICA_FROM1, 0, 0);
	free(parm);
	return total;
}

static size_t pk_msg(uint8_t *b, const struct tkey *k, const BIGNUM *ex, const BIGNUM *in)
{
	uint8_t kb[2048];
	size_t kl = pk_keyblock(kb, k->mod_len, k->mod_len, ex, k->n);

	return ica_msg(b, "PK", "MRP     ", in, k->mod_len, kb, kl);
}

static size_t pd_msg(uint8_t *b, const struct tkey *k, const BIGNUM *in)
{
	uint8_t kb[4096];
	size_t kl = pd_keyblock(kb, k->mod_len, k->p, k->q, k->dp, k->dq, k->u);

	return ica_msg(b, "PD", "ZERO-PAD", in, k->mod_len, kb, kl);
}

/* A well-formed type 86 reply: header, the request's CPRBX with the
 * codes and lengths filled in, parameter block with vud result bytes,
 * data bytes after it. */
static void expect_t86(uint16_t rc, uint16_t rs, size_t vud, size_t data)
{
	const uint8_t *req_cprb = msgb + 0x58;
	uint8_t want[CPRBX];
	size_t count1 = CPRBX + 8 + vud;

	ck_assert_int_eq(ret, 0);
	ck_assert_msg(be_get16(rbuf + 0xC0) == rc && be_get16(rbuf + 0xC2) == rs,
		      "CCA rc/rs %u/%u, expected %u/%u", be_get16(rbuf + 0xC0),
		      be_get16(rbuf + 0xC2), rc, rs);
	ck_assert_uint_eq(rep.len, 0x30 + count1 + data);
	ck_assert_uint_eq(rbuf[0], 0x00);
	ck_assert_uint_eq(rbuf[1], S390AP_MSG_TYPE86);
	ck_assert_uint_eq(rbuf[2], 0x02);
	ck_assert_uint_eq(rbuf[3], 0x00);
	ck_assert_uint_eq(rbuf[4], 0x00); /* reply code */
	for (unsigned i = 5; i < 0x10; i++)
		ck_assert_uint_eq(rbuf[i], 0);
	ck_assert_uint_eq(be_get32(rbuf + 0x10), count1);
	ck_assert_uint_eq(be_get32(rbuf + 0x14), 0x30);
	ck_assert_uint_eq(be_get32(rbuf + 0x18), data);
	ck_assert_uint_eq(be_get32(rbuf + 0x1C), data ? 0x30 + count1 : 0);
	for (unsigned i = 0x20; i < 0x30; i++)
		ck_assert_uint_eq(rbuf[i], 0);
	/* reply CPRBX = request CPRBX + rpld_parml, rpld_datal, rc, rs */
	memcpy(want, req_cprb, CPRBX);
	be_put32(want + 0x18, (uint32_t)(8 + vud));
	be_put32(want + 0x20, (uint32_t)data);
	be_put16(want + 0x90, rc);
	be_put16(want + 0x92, rs);
	ck_assert_mem_eq(rbuf + R_CPRB, want, CPRBX);
	ck_assert_uint_eq(rbuf[0x32], 0x02);
	/* parameters: subfunction, no rules, VUD, empty key block */
	ck_assert_mem_eq(rbuf + R_PARM, msgb + PARM, 2);
	ck_assert_uint_eq(be_get16(rbuf + R_PARM + 2), 2);
	ck_assert_uint_eq(be_get16(rbuf + 0x110), vud + 2);
	ck_assert_uint_eq(be_get16(rbuf + 0x112 + vud), 2);
	/* the ICA path's length rule: total = 0x112 + VUD length */
	if (!data)
		ck_assert_uint_eq(rep.len, 0x112 + be_get16(rbuf + 0x110));
	if (rep.len < rep.cap)
		ck_assert_uint_eq(rbuf[rep.len], 0xEE);
}

static void expect_cca_error(uint16_t rc, uint16_t rs)
{
	expect_t86(rc, rs, 0, 0);
	ck_assert_x64(rep.latency, LAT_IN);
}

/* ebits: the exponent's significant bits (PK), dp's and dq's together (PD) */
static void expect_ica_result(const struct tkey *k, const BIGNUM *exp, s390ap_engine_op op,
			      size_t ebits)
{
	uint8_t want[512];
	uint64_t full =
		s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA, op, k->mod_len) -
		s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA, S390AP_ENGINE_OP_NONE, 0);

	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, k->mod_len, 0);
	put_bn(want, k->mod_len, exp);
	ck_assert_mem_eq(rbuf + 0x112, want, k->mod_len);
	/* the documented scaling: full-length cost * ebits / modulus bits */
	ck_assert_x64(rep.latency, LAT_IN + full * ebits / (8u * k->mod_len));
	ck_assert_x64(rep.latency,
		      LAT_IN +
			      s390ap_engine_rsa_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA, op,
							k->mod_len, ebits) -
			      s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA,
						    S390AP_ENGINE_OP_NONE, 0));
}

static size_t crt_bits(const struct tkey *k)
{
	return (size_t)BN_num_bits(k->dp) + (size_t)BN_num_bits(k->dq);
}

/* ------------------------------------------------------------------ */
/* "RL"                                                                */
/* ------------------------------------------------------------------ */
/* The documented generator: AES-256-CTR keyed with
 * SHA-256("s390ap-rng" || seed, 8 bytes big-endian), counter 0. */
static void drbg_expect(uint64_t seed, size_t skip, uint8_t *out, size_t n)
{
	uint8_t in[18], key[32], iv[16] = { 0 };
	uint8_t *zeros = calloc(1, skip + n);
	uint8_t *stream = malloc(skip + n);
	unsigned klen = 0;
	int outl = 0;
	EVP_CIPHER_CTX *cc = EVP_CIPHER_CTX_new();

	ck_assert(zeros && stream && cc);
	memcpy(in, "s390ap-rng", 10);
	for (unsigned i = 0; i < 8; i++)
		in[10 + i] = (uint8_t)(seed >> (56 - 8 * i));
	ck_assert(EVP_Digest(in, sizeof in, key, &klen, EVP_sha256(), NULL));
	ck_assert(EVP_EncryptInit_ex(cc, EVP_aes_256_ctr(), NULL, key, iv));
	ck_assert(EVP_EncryptUpdate(cc, stream, &outl, zeros, (int)(skip + n)));
	ck_assert_int_eq(outl, (int)(skip + n));
	memcpy(out, stream + skip, n);
	EVP_CIPHER_CTX_free(cc);
	free(zeros);
	free(stream);
}

START_TEST(test_cca_rl)
{
	uint8_t want[4096];
	size_t len = rl_msg(msgb, "RANDOM  ", 4096);

	ck_assert_uint_eq(len, 0x144);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 4096);
	ck_assert_uint_eq(be_get32(rbuf + 0x1C), 0x114);
	drbg_expect(S390AP_RNG_DEFAULT_SEED, 0, want, 4096);
	ck_assert_mem_eq(rbuf + 0x114, want, 4096);
	ck_assert_x64(rep.latency, LAT_IN +
					   s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA,
								 S390AP_ENGINE_OP_RNG, 4096) -
					   s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA,
								 S390AP_ENGINE_OP_NONE, 0));
	/* the next request continues the stream */
	len = rl_msg(msgb, "RANDOM  ", 100);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 100);
	drbg_expect(S390AP_RNG_DEFAULT_SEED, 4096, want, 100);
	ck_assert_mem_eq(rbuf + 0x114, want, 100);
}
END_TEST

/* Same seed, same bytes; another seed, other bytes; the OS generator. */
START_TEST(test_cca_rl_seeds)
{
	s390ap_crypto_opts o = { S390AP_SIZED(s390ap_crypto_opts), .rng_seed = 42 };
	uint8_t want[64], first[64];
	size_t len = rl_msg(msgb, "RANDOM  ", 64);

	use_engine(&o);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 64);
	drbg_expect(42, 0, want, 64);
	ck_assert_mem_eq(rbuf + 0x114, want, 64);
	memcpy(first, want, 64);
	use_engine(&o);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	ck_assert_mem_eq(rbuf + 0x114, first, 64);
	o.rng_seed = 43;
	use_engine(&o);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	ck_assert_int_ne(memcmp(rbuf + 0x114, first, 64), 0);
	o.rng_os = true;
	use_engine(&o);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 64);
	memcpy(first, rbuf + 0x114, 64);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	ck_assert_int_ne(memcmp(rbuf + 0x114, first, 64), 0);
	drbg_expect(43, 0, want, 64);
	ck_assert_int_ne(memcmp(first, want, 64), 0);
}
END_TEST

static unsigned parity(uint8_t b)
{
	unsigned n = 0;

	for (; b; b &= (uint8_t)(b - 1))
		n++;
	return n & 1u;
}

START_TEST(test_cca_rl_parity)
{
	size_t len = rl_msg(msgb, "ODD     ", 512);

	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 512);
	for (unsigned i = 0; i < 512; i++)
		ck_assert_uint_eq(parity(rbuf[0x114 + i]), 1);
	len = rl_msg(msgb, "EVEN    ", 512);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 512);
	for (unsigned i = 0; i < 512; i++)
		ck_assert_uint_eq(parity(rbuf[0x114 + i]), 0);
}
END_TEST

static size_t rl_unknown_keyword(void)
{
	return rl_msg(msgb, "RANDUM  ", 16);
}

static size_t rl_count_0(void)
{
	return rl_msg(msgb, "RANDOM  ", 0);
}

static size_t rl_count_8193(void)
{
	return rl_msg(msgb, "RANDOM  ", 8193);
}

/* More bytes than FromCardLen2 has room for. */
static size_t rl_count_over_reply(void)
{
	size_t len = rl_msg(msgb, "RANDOM  ", 64);

	be_put32(msgb + 0x4C, 63);
	return len;
}

/* An RL request with count rule keywords. */
static size_t rl_rules(const char *rules, unsigned count)
{
	uint8_t parm[32];
	size_t off = parm_rules(parm, "RL", rules, count);

	off = parm_block(parm, off, NULL, 0);
	off = parm_block(parm, off, NULL, 0);
	return cca_msg(msgb, parm, off, 0, 0xEC, 16, 16);
}

static size_t rl_no_rule(void)
{
	return rl_rules(NULL, 0);
}

static size_t rl_two_rules(void)
{
	return rl_rules("RANDOM  RANDOM  ", 2);
}

/* One malformed RL request per row and the CCA reason code it must end
 * in; the return code is always 8. */
static const struct {
	size_t (*build)(void);
	uint16_t rs;
} rl_errors[] = {
	{ rl_unknown_keyword, S390AP_CCA_RS_KEYWORD },
	{ rl_count_0, S390AP_CCA_RS_LENGTH },
	{ rl_count_8193, S390AP_CCA_RS_LENGTH },
	{ rl_count_over_reply, S390AP_CCA_RS_LENGTH },
	{ rl_no_rule, S390AP_CCA_RS_RULE_COUNT },
	{ rl_two_rules, S390AP_CCA_RS_RULE_COUNT },
};

START_TEST(test_cca_rl_errors)
{
	process(S390AP_MODE_CCA, FAC_CCA, rl_errors[_i].build());
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, rl_errors[_i].rs);
}
END_TEST

/* 8192 bytes, the most one request may ask for. */
START_TEST(test_cca_rl_max_count)
{
	process(S390AP_MODE_CCA, FAC_CCA, rl_msg(msgb, "RANDOM  ", 8192));
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 8192);
}
END_TEST

/* ------------------------------------------------------------------ */
/* "PK" and "PD" (loop over the keys)                                  */
/* ------------------------------------------------------------------ */
START_TEST(test_kat_cca_pk_public)
{
	const struct tkey *k = &keys[_i];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *exp = bn_modexp(msgbn, k->e, k->n);

	process(S390AP_MODE_CCA, FAC_CCA, pk_msg(msgb, k, k->e, msgbn));
	ck_assert_uint_eq(rq.len, 0x15C + 3 * k->mod_len);
	expect_ica_result(k, exp, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	BN_free(msgbn);
	BN_free(exp);
}
END_TEST

START_TEST(test_kat_cca_pk_private)
{
	const struct tkey *k = &keys[_i];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *c = bn_modexp(msgbn, k->e, k->n);

	process(S390AP_MODE_CCA, FAC_CCA, pk_msg(msgb, k, k->d, c));
	expect_ica_result(k, msgbn, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->d));
	BN_free(msgbn);
	BN_free(c);
}
END_TEST

START_TEST(test_kat_cca_pd)
{
	const struct tkey *k = &keys[_i];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *c = bn_modexp(msgbn, k->e, k->n);
	BIGNUM *exp = bn_modexp(c, k->d, k->n);

	ck_assert_int_eq(BN_cmp(exp, msgbn), 0);
	process(S390AP_MODE_CCA, FAC_CCA, pd_msg(msgb, k, c));
	expect_ica_result(k, exp, S390AP_ENGINE_OP_RSA_CRT, crt_bits(k));
	BN_free(msgbn);
	BN_free(c);
	BN_free(exp);
}
END_TEST

/* Older kernels stripped the exponent's leading zero bytes: exponent_len
 * 3 for 65537. */
START_TEST(test_cca_pk_short_exponent)
{
	const struct tkey *k = &keys[K2048];
	BIGNUM *msgbn = bn_below(k->n);
	BIGNUM *exp = bn_modexp(msgbn, k->e, k->n);
	uint8_t kb[1024];
	size_t kl = pk_keyblock(kb, k->mod_len, 3, k->e, k->n);

	process(S390AP_MODE_CCA, FAC_CCA,
		ica_msg(msgb, "PK", "MRP     ", msgbn, k->mod_len, kb, kl));
	expect_ica_result(k, exp, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	BN_free(msgbn);
	BN_free(exp);
}
END_TEST

/* A shorter input than the modulus is a number like any other. */
START_TEST(test_cca_pk_short_input)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *x = bn_word(0x1234), *exp = bn_modexp(x, k->e, k->n);
	uint8_t kb[1024];
	size_t kl = pk_keyblock(kb, k->mod_len, k->mod_len, k->e, k->n);

	process(S390AP_MODE_CCA, FAC_CCA, ica_msg(msgb, "PK", "MRP     ", x, 2, kb, kl));
	expect_ica_result(k, exp, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	BN_free(x);
	BN_free(exp);
}
END_TEST

/* Offsets into a PK request built by pk_msg for mod_len L:
 * parm 0x134, VUD 0x140, key block 0x142 + L, token 0x148 + L,
 * public section 0x150 + L. */
#define PK_KB(k) (0x142 + (k)->mod_len)
#define PK_TOK(k) (PK_KB(k) + 6)
#define PK_SEC(k) (PK_TOK(k) + 8)

/* A PK request of x under key k whose key block is pk_keyblock's with
 * these exponent bytes, modulus and modulus_byte_len. */
static size_t pk_msg_kb(const struct tkey *k, const BIGNUM *x, size_t exp_len, const BIGNUM *n,
			size_t mod_byte_len)
{
	uint8_t kbuf[1024];
	size_t kl = pk_keyblock(kbuf, k->mod_len, exp_len, k->e, n);

	be_put16(kbuf + 6 + 8 + 10, (unsigned)mod_byte_len);
	return ica_msg(msgb, "PK", "MRP     ", x, k->mod_len, kbuf, kl);
}

static size_t pk_bad_keyword(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	memcpy(msgb + 0x138, "PKCS-1.2", 8);
	return len;
}

/* Rule count not a whole number of keywords. */
static size_t pk_rule_count_9(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + 0x136, 9);
	return len;
}

static size_t pk_rule_count_0(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + 0x136, 0);
	return len;
}

/* VUD length beyond the parameter block. */
static size_t pk_vud_too_long(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + 0x140, 0xF000);
	return len;
}

/* Key block length beyond the parameter block. */
static size_t pk_kb_too_long(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + PK_KB(k), (unsigned)be_get16(msgb + PK_KB(k)) + 1);
	return len;
}

/* ulen not blen - 2. */
static size_t pk_ulen(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + PK_KB(k) + 2, (unsigned)be_get16(msgb + PK_KB(k) + 2) - 1);
	return len;
}

/* Input longer than the modulus (a 3-byte exponent, so the exponent stays
 * no longer than the shortened modulus). */
static size_t pk_input_over_modulus(const struct tkey *k, const BIGNUM *x)
{
	return pk_msg_kb(k, x, 3, k->n, k->mod_len - 1);
}

static size_t pk_token_header_id(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	msgb[PK_TOK(k)] = 0x1F;
	return len;
}

static size_t pk_section_id(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	msgb[PK_SEC(k)] = 0x06;
	return len;
}

static size_t pk_token_length(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + PK_TOK(k) + 2, (unsigned)be_get16(msgb + PK_TOK(k) + 2) + 1);
	return len;
}

static size_t pk_section_length(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + PK_SEC(k) + 2, (unsigned)be_get16(msgb + PK_SEC(k) + 2) + 1);
	return len;
}

static size_t pk_exponent_past_section(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + PK_SEC(k) + 6, (unsigned)k->mod_len + 1);
	return len;
}

static size_t pk_modulus_len_zero(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pk_msg(msgb, k, k->e, x);

	be_put16(msgb + PK_SEC(k) + 10, 0);
	return len;
}

static size_t pk_even_modulus(const struct tkey *k, const BIGNUM *x)
{
	BIGNUM *even = bn_dup(k->n);
	size_t len;

	ck_assert(BN_add_word(even, 1));
	len = pk_msg_kb(k, x, k->mod_len, even, k->mod_len);
	BN_free(even);
	return len;
}

static size_t pk_zero_modulus(const struct tkey *k, const BIGNUM *x)
{
	BIGNUM *zero = bn_word(0);
	size_t len = pk_msg_kb(k, x, k->mod_len, zero, k->mod_len);

	BN_free(zero);
	return len;
}

/* An exponent longer than the modulus: refused before any work (a 12 KiB
 * one took the host 0.3 s). */
static size_t pk_exponent_over_modulus(const struct tkey *k, const BIGNUM *x)
{
	return pk_msg_kb(k, x, k->mod_len + 1, k->n, k->mod_len);
}

static size_t pk_input_not_below_modulus(const struct tkey *k, const BIGNUM *x)
{
	(void)x;
	return pk_msg(msgb, k, k->e, k->n);
}

/* A key block too short for a key identifier. */
static size_t pk_kb_no_key_id(const struct tkey *k, const BIGNUM *x)
{
	uint8_t parm[64];
	size_t off = parm_rules(parm, "PK", "MRP     ", 1);

	(void)k, (void)x;
	off = parm_block(parm, off, (const uint8_t *)"\x01", 1);
	off = parm_block(parm, off, NULL, 0);
	return cca_msg(msgb, parm, off, 0, ICA_FROM1, 0, 0);
}

/* One malformed PK request per row (1024-bit key, input 77) and the CCA
 * reason code it must end in; the return code is always 8. */
static const struct {
	size_t (*build)(const struct tkey *k, const BIGNUM *x);
	uint16_t rs;
} pk_errors[] = {
	{ pk_bad_keyword, S390AP_CCA_RS_KEYWORD },
	{ pk_rule_count_9, S390AP_CCA_RS_RULE_COUNT },
	{ pk_rule_count_0, S390AP_CCA_RS_RULE_COUNT },
	{ pk_vud_too_long, S390AP_CCA_RS_LENGTH },
	{ pk_kb_too_long, S390AP_CCA_RS_LENGTH },
	{ pk_ulen, S390AP_CCA_RS_LENGTH },
	{ pk_input_over_modulus, S390AP_CCA_RS_LENGTH },
	{ pk_token_header_id, S390AP_CCA_RS_TOKEN },
	{ pk_section_id, S390AP_CCA_RS_TOKEN },
	{ pk_token_length, S390AP_CCA_RS_TOKEN },
	{ pk_section_length, S390AP_CCA_RS_TOKEN },
	{ pk_exponent_past_section, S390AP_CCA_RS_TOKEN },
	{ pk_modulus_len_zero, S390AP_CCA_RS_TOKEN },
	{ pk_even_modulus, S390AP_CCA_RS_TOKEN },
	{ pk_zero_modulus, S390AP_CCA_RS_TOKEN },
	{ pk_exponent_over_modulus, S390AP_CCA_RS_TOKEN },
	{ pk_input_not_below_modulus, S390AP_CCA_RS_LENGTH },
	{ pk_kb_no_key_id, S390AP_CCA_RS_LENGTH },
};

START_TEST(test_cca_pk_errors)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *x = bn_word(77);

	process(S390AP_MODE_CCA, FAC_CCA, pk_errors[_i].build(k, x));
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, pk_errors[_i].rs);
	BN_free(x);
}
END_TEST

/* The edges the errors above border on: input 0, and an exponent as long
 * as the modulus. */
START_TEST(test_cca_pk_edge_operands)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *x = bn_word(77), *zero = bn_word(0), *want = bn_modexp(x, k->e, k->n);

	process(S390AP_MODE_CCA, FAC_CCA, pk_msg(msgb, k, k->e, zero));
	expect_ica_result(k, zero, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	process(S390AP_MODE_CCA, FAC_CCA, pk_msg_kb(k, x, k->mod_len, k->n, k->mod_len));
	expect_ica_result(k, want, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	BN_free(x);
	BN_free(zero);
	BN_free(want);
}
END_TEST

/* Offsets into a PD request for mod_len L: key block 0x142 + L, token
 * 0x148 + L, CRT section 0x150 + L. */
#define PD_SEC(k) (0x150 + (k)->mod_len)

/* A PD request of x whose key block has these primes and whose ICA
 * modulus_byte_len (and input length) is mod_len. */
static size_t pd_msg_kb(const struct tkey *k, const BIGNUM *x, const BIGNUM *p, const BIGNUM *q,
			size_t mod_len)
{
	uint8_t kbuf[2048];
	size_t kl = pd_keyblock(kbuf, k->mod_len, p, q, k->dp, k->dq, k->u);

	be_put16(kbuf + 6 + 8 + 64, (unsigned)mod_len);
	return ica_msg(msgb, "PD", "ZERO-PAD", x, mod_len, kbuf, kl);
}

static size_t pd_bad_keyword(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	memcpy(msgb + 0x138, "PKCS-1.2", 8);
	return len;
}

/* Section id 0x06 (private ME) is not modelled. */
static size_t pd_section_id(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	msgb[PD_SEC(k)] = 0x06;
	return len;
}

/* An encrypted key (format 0x42). */
static size_t pd_encrypted(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	msgb[PD_SEC(k) + 28] = 0x42;
	return len;
}

static size_t pd_parts_past_section(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	be_put16(msgb + PD_SEC(k) + 54, (unsigned)be_get16(msgb + PD_SEC(k) + 54) + 100);
	return len;
}

static size_t pd_section_past_token(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	be_put16(msgb + PD_SEC(k) + 2, (unsigned)be_get16(msgb + PD_SEC(k) + 2) + 100);
	return len;
}

static size_t pd_mod_len_zero(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	be_put16(msgb + PD_SEC(k) + 64, 0);
	return len;
}

static size_t pd_even_p(const struct tkey *k, const BIGNUM *x)
{
	BIGNUM *evp = bn_dup(k->p);
	size_t len;

	ck_assert(BN_add_word(evp, 1));
	len = pd_msg_kb(k, x, evp, k->q, k->mod_len);
	BN_free(evp);
	return len;
}

static size_t pd_zero_q(const struct tkey *k, const BIGNUM *x)
{
	BIGNUM *zero = bn_word(0);
	size_t len = pd_msg_kb(k, x, k->p, zero, k->mod_len);

	BN_free(zero);
	return len;
}

/* p q longer than mod_len. */
static size_t pd_pq_over_mod_len(const struct tkey *k, const BIGNUM *x)
{
	return pd_msg_kb(k, x, k->p, k->q, k->mod_len - 1);
}

/* Parts longer than the modulus + 8 (mod_len 16 under 72-byte parts):
 * refused as a token before any arithmetic. */
static size_t pd_parts_over_modulus(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	be_put16(msgb + PD_SEC(k) + 64, 16);
	return len;
}

static size_t pd_input_over_mod_len(const struct tkey *k, const BIGNUM *x)
{
	size_t len = pd_msg(msgb, k, x);

	be_put16(msgb + PD_SEC(k) + 64, (unsigned)k->mod_len - 1);
	be_put16(msgb + PD_SEC(k) + 2, (unsigned)be_get16(msgb + PD_SEC(k) + 2) - 1);
	return len;
}

static size_t pd_input_not_below_pq(const struct tkey *k, const BIGNUM *x)
{
	(void)x;
	return pd_msg(msgb, k, k->n);
}

/* One malformed PD request per row (1024-bit key, input 77) and the CCA
 * reason code it must end in; the return code is always 8. */
static const struct {
	size_t (*build)(const struct tkey *k, const BIGNUM *x);
	uint16_t rs;
} pd_errors[] = {
	{ pd_bad_keyword, S390AP_CCA_RS_KEYWORD },
	{ pd_section_id, S390AP_CCA_RS_TOKEN },
	{ pd_encrypted, S390AP_CCA_RS_TOKEN },
	{ pd_parts_past_section, S390AP_CCA_RS_TOKEN },
	{ pd_section_past_token, S390AP_CCA_RS_TOKEN },
	{ pd_mod_len_zero, S390AP_CCA_RS_TOKEN },
	{ pd_even_p, S390AP_CCA_RS_TOKEN },
	{ pd_zero_q, S390AP_CCA_RS_TOKEN },
	{ pd_pq_over_mod_len, S390AP_CCA_RS_TOKEN },
	{ pd_parts_over_modulus, S390AP_CCA_RS_TOKEN },
	{ pd_input_over_mod_len, S390AP_CCA_RS_LENGTH },
	{ pd_input_not_below_pq, S390AP_CCA_RS_LENGTH },
};

START_TEST(test_cca_pd_errors)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *x = bn_word(77);

	process(S390AP_MODE_CCA, FAC_CCA, pd_errors[_i].build(k, x));
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, pd_errors[_i].rs);
	BN_free(x);
}
END_TEST

/* The CRT reply length is checked against FromCardLen1. */
START_TEST(test_cca_reply_room)
{
	const struct tkey *k = &keys[K1024];
	BIGNUM *x = bn_word(77);
	size_t len = pd_msg(msgb, k, x);

	be_put32(msgb + 0x48, CPRBX + 8 + (uint32_t)k->mod_len - 1);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, S390AP_CCA_RS_LENGTH);
	/* no room for a parameter block at all: the CPRB alone */
	be_put32(msgb + 0x48, CPRBX + 7);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	ck_assert_int_eq(ret, 0);
	ck_assert_uint_eq(rep.len, 0x30 + CPRBX);
	ck_assert_uint_eq(be_get32(rbuf + 0x10), CPRBX);
	ck_assert_uint_eq(be_get32(rbuf + 0x30 + 0x18), 0);
	ck_assert_uint_eq(be_get16(rbuf + 0xC0), S390AP_CCA_RC_APP_ERROR);
	ck_assert_uint_eq(be_get16(rbuf + 0xC2), S390AP_CCA_RS_LENGTH);
	BN_free(x);
}
END_TEST

/* Everything else: a well-formed type 86 with rc 12, reason 0. */
START_TEST(test_cca_not_modelled)
{
	uint8_t parm[64];
	size_t off = parm_rules(parm, "KG", "RSA     ", 1), len;

	off = parm_block(parm, off, NULL, 0);
	off = parm_block(parm, off, NULL, 0);
	process(S390AP_MODE_CCA, FAC_CCA, cca_msg(msgb, parm, off, 0, 0x1000, 0, 0));
	expect_cca_error(S390AP_CCA_RC_ENV_ERROR, S390AP_CCA_RS_NONE);
	/* an administrative CPRB (T3..T7) */
	len = rl_msg(msgb, "RANDOM  ", 16);
	memcpy(msgb + 0x58 + 6, "T7", 2);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_cca_error(S390AP_CCA_RC_ENV_ERROR, S390AP_CCA_RS_NONE);
	/* an xcRB with a request data block */
	len = cca_msg(msgb, parm, off, 1001, 0x1000, 0x1000, 0);
	ck_assert_uint_eq(len, 0x58 + ceil4(CPRBX + off) + 1001);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_cca_error(S390AP_CCA_RC_ENV_ERROR, S390AP_CCA_RS_NONE);
	/* a parameter block too short for its own lengths */
	process(S390AP_MODE_CCA, FAC_CCA, cca_msg(msgb, parm, 3, 0, 0x1000, 0, 0));
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, S390AP_CCA_RS_LENGTH);
	len = cca_msg(msgb, parm, 0, 0, 0x1000, 0, 0);
	msgb[PARM] = msgb[PARM + 1] = 0; /* no subfunction to echo */
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, S390AP_CCA_RS_LENGTH);
	process(S390AP_MODE_CCA, FAC_CCA, cca_msg(msgb, parm, 14, 0, 0x1000, 0, 0));
	expect_cca_error(S390AP_CCA_RC_APP_ERROR, S390AP_CCA_RS_LENGTH);
}
END_TEST

/* The ICA path pads nothing: an odd total (mod_len 125) is accepted, and
 * so is the same CPRB area padded to 4. */
START_TEST(test_cca_unpadded_and_padded)
{
	const struct tkey *k = &keys[K1000];
	BIGNUM *msgbn = bn_below(k->n), *exp = bn_modexp(msgbn, k->e, k->n);
	size_t len = pk_msg(msgb, k, k->e, msgbn);

	ck_assert_uint_eq(len % 4, 3);
	process(S390AP_MODE_CCA, FAC_CCA, len);
	expect_ica_result(k, exp, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	msgb[len] = 0;
	process(S390AP_MODE_CCA, FAC_CCA, len + 1);
	expect_ica_result(k, exp, S390AP_ENGINE_OP_RSA_ME, (size_t)BN_num_bits(k->e));
	process(S390AP_MODE_CCA, FAC_CCA, len + 2);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	process(S390AP_MODE_CCA, FAC_CCA, len - 1);
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN);
	BN_free(msgbn);
	BN_free(exp);
}
END_TEST

/* Type 82 replies for broken type 6 messages on a CCA adapter. */
/* A well-formed request with up to two big-endian fields overwritten
 * (width 0: no field), sent with len bytes (0: its own length) plus
 * delta, and the error reply it must get. */
struct msg_fault {
	struct {
		unsigned off, width;
		uint32_t val;
	} field[2];
	size_t len;
	int delta;
	uint8_t type, code;
};

/* Apply f to the request of len bytes in msgb; the length to send. */
static size_t msg_fault_apply(const struct msg_fault *f, size_t len)
{
	for (unsigned i = 0; i < ARRAY_SIZE(f->field); i++)
		if (f->field[i].width)
			be_put(msgb + f->field[i].off, f->field[i].width, f->field[i].val);
	return (size_t)((long)(f->len ? f->len : len) + f->delta);
}

#define FIELD1(off, width, val)               \
	{                                     \
		{                             \
			(off), (width), (val) \
		}                             \
	}
#define T82(code) 0, 0, S390AP_MSG_TYPE82, (code)

/* The transport header and CPRB of a CCA request (RL, 16 bytes) broken
 * one way per row. */
static const struct msg_fault cca_transport_errors[] = {
	/* type 50 on CCA, wrong agent, too short */
	{ FIELD1(0x01, 1, S390AP_MSG_TYPE50), T82(S390AP_REPLY_MESSAGE_TYPE) },
	{ FIELD1(0x20, 2, 0x5843 /* "XC" */), T82(S390AP_REPLY_MESSAGE_TYPE) },
	{ { { 0 } }, 0x57, 0, S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN },
	{ { { 0 } }, 1, 0, S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE },
	/* reserved header bytes, offset3/4, ToCardLen3/4, FromCardLen3/4 */
	{ FIELD1(0x00, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x02, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x08, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x0F, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x18, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x1C, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x40, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x44, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x50, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x57, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	/* offset1 */
	{ FIELD1(0x10, 4, 0x5C), T82(S390AP_REPLY_FORMAT_FIELD) },
	/* ToCardLen1 vs the NQAP length; below a CPRBX; FromCardLen1 */
	{ FIELD1(0x38, 4, 0xED), T82(S390AP_REPLY_INVALID_MSG_LEN) },
	{ FIELD1(0x38, 4, 0xDB), 0x58 + 0xDB, 0, S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN },
	{ FIELD1(0x48, 4, 0xDB), T82(S390AP_REPLY_INVALID_MSG_LEN) },
	/* ToCardLen2 without the data / with offset2 wrong */
	{ FIELD1(0x3C, 4, 4), T82(S390AP_REPLY_INVALID_MSG_LEN) },
	{ { { 0x3C, 4, 4 }, { 0x14, 4, 0x58 + 0xF0 } },
	  0,
	  4,
	  S390AP_MSG_TYPE82,
	  S390AP_REPLY_INVALID_MSG_LEN },
	/* CPRB length / version */
	{ FIELD1(0x58, 2, 0xDA), T82(S390AP_REPLY_FORMAT_FIELD) },
	{ FIELD1(0x5A, 1, 0x01), T82(S390AP_REPLY_FORMAT_FIELD) },
	/* req_parml / req_datal beyond what the header says */
	{ FIELD1(0x58 + 0x0C, 4, 0x11), T82(S390AP_REPLY_MALFORMED_MSG) },
	{ FIELD1(0x58 + 0x10, 4, 1), T82(S390AP_REPLY_MALFORMED_MSG) },
};

START_TEST(test_cca_transport_errors)
{
	const struct msg_fault *f = &cca_transport_errors[_i];
	size_t len = rl_msg(msgb, "RANDOM  ", 16);

	process(S390AP_MODE_CCA, FAC_CCA, msg_fault_apply(f, len));
	expect_err(f->type, f->code);
}
END_TEST

/* ToCardLen2 and offset2 of a data block the RL request does not use:
 * accepted. */
START_TEST(test_cca_transport_data_block)
{
	size_t len = rl_msg(msgb, "RANDOM  ", 16);

	be_put32(msgb + 0x3C, 4);
	be_put32(msgb + 0x14, 0x58 + 0xEC);
	process(S390AP_MODE_CCA, FAC_CCA, len + 4);
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, 0, 16);
}
END_TEST

/* Garbage after a valid type 6 header and CPRBX: always a reply that
 * fits, type 82 or 86. */
START_TEST(test_cca_garbage)
{
	uint8_t *junk = malloc(0x600);

	ck_assert_ptr_nonnull(junk);
	ck_assert_int_eq(RAND_bytes(junk, 0x600), 1);
	for (size_t plen = 0; plen < 0x600; plen += 5) {
		process(S390AP_MODE_CCA, FAC_CCA,
			cca_msg(msgb, junk, plen, 0, (uint32_t)(plen * 7), 0x2000, 0x10));
		ck_assert_int_eq(ret, 0);
		ck_assert(rep.len >= 8 && rep.len <= CAP);
		ck_assert(rbuf[1] == S390AP_MSG_TYPE82 || rbuf[1] == S390AP_MSG_TYPE86);
		/* the same with a plausible subfunction */
		memcpy(junk, plen & 1 ? "PK" : "PD", 2);
		process(S390AP_MODE_CCA, FAC_CCA,
			cca_msg(msgb, junk, plen, 0, 0x800, 0x2000, 0x10));
		ck_assert_int_eq(ret, 0);
		ck_assert(rep.len >= 8 && rep.len <= CAP);
	}
	free(junk);
}
END_TEST

/* ================================================================== */
/* EP11                                                                */
/* ================================================================== */
/* An EP11 request: type 6 "XC", ep11_cprb, payload
 * 0x30 len { 04 04 function, 04 04 domain } + extra bytes. */
static size_t ep11_msg(uint8_t *b, size_t extra, unsigned lenform)
{
	uint8_t pl[600];
	size_t n = 12 + extra, hdr, plen, total;

	ck_assert_uint_le(extra, 500);
	pl[0] = 0x30;
	if (lenform == 0) {
		ck_assert_uint_lt(n, 0x80);
		pl[1] = (uint8_t)n;
		hdr = 2;
	} else if (lenform == 1) {
		pl[1] = 0x81;
		pl[2] = (uint8_t)n;
		hdr = 3;
	} else {
		pl[1] = 0x82;
		be_put16(pl + 2, (unsigned)n);
		hdr = 4;
	}
	pl[hdr] = 0x04;
	pl[hdr + 1] = 0x04;
	be_put32(pl + hdr + 2, 0x00010002);
	pl[hdr + 6] = 0x04;
	pl[hdr + 7] = 0x04;
	be_put32(pl + hdr + 8, 6);
	memset(pl + hdr + 12, 0x04, extra);
	plen = hdr + n;
	total = 0x58 + ceil4(32 + plen);
	memset(b, 0, total);
	t6_hdr(b, "XC", (uint32_t)(32 + plen), 0, 0x1000, 0, NULL);
	b[0x31] = 0x01; /* rqid */
	be_put16(b + 0x58, 0x20);
	b[0x5A] = 0x04;
	memcpy(b + 0x5E, "T4", 2);
	be_put32(b + 0x58 + 0x0C, 6);
	be_put32(b + 0x58 + 0x1C, (uint32_t)plen);
	memcpy(b + 0x78, pl, plen);
	return total;
}

START_TEST(test_ep11_well_formed)
{
	process(S390AP_MODE_EP11, FAC_EP11, ep11_msg(msgb, 0, 0));
	expect_err(S390AP_MSG_TYPE87, S390AP_REPLY_INVALID_COMMAND);
	process(S390AP_MODE_EP11, FAC_EP11, ep11_msg(msgb, 3, 0));
	expect_err(S390AP_MSG_TYPE87, S390AP_REPLY_INVALID_COMMAND);
	process(S390AP_MODE_EP11, FAC_EP11, ep11_msg(msgb, 200, 1));
	expect_err(S390AP_MSG_TYPE87, S390AP_REPLY_INVALID_COMMAND);
	process(S390AP_MODE_EP11, FAC_EP11, ep11_msg(msgb, 400, 2));
	expect_err(S390AP_MSG_TYPE87, S390AP_REPLY_INVALID_COMMAND);
}
END_TEST

#define T87(code) 0, 0, S390AP_MSG_TYPE87, (code)

/* An EP11 request (ep11_msg) broken one way per row: the transport
 * header (type 82 replies), the CPRB and the payload (type 87). */
static const struct msg_fault ep11_errors[] = {
	/* transport */
	{ FIELD1(0x20, 2, 0x4341 /* "CA" */), T82(S390AP_REPLY_MESSAGE_TYPE) },
	{ { { 0 } }, 0, -4, S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN },
	{ FIELD1(0x0C, 1, 1), T82(S390AP_REPLY_RESERVED_FIELD) },
	{ FIELD1(0x38, 4, 0x1F), 0x58 + 0x20, 0, S390AP_MSG_TYPE82, S390AP_REPLY_INVALID_MSG_LEN },
	/* CPRB */
	{ FIELD1(0x5A, 1, 0x02), T87(S390AP_REPLY_FORMAT_FIELD) },
	{ FIELD1(0x58, 2, 0xDC), T87(S390AP_REPLY_FORMAT_FIELD) },
	{ FIELD1(0x5E, 2, 0x5432 /* "T2" */), T87(S390AP_REPLY_FORMAT_FIELD) },
	{ FIELD1(0x58 + 0x1C, 4, 13), T87(S390AP_REPLY_INVALID_MSG_LEN) },
	/* payload */
	{ FIELD1(0x78, 1, 0x31), T87(S390AP_REPLY_MALFORMED_MSG) },
	{ FIELD1(0x79, 1, 13), T87(S390AP_REPLY_MALFORMED_MSG) }, /* longer than the payload */
	{ FIELD1(0x79, 1, 0x83), T87(S390AP_REPLY_MALFORMED_MSG) },
	{ FIELD1(0x7A + 6, 1, 0x05), T87(S390AP_REPLY_MALFORMED_MSG) }, /* domain item tag */
	{ FIELD1(0x79, 1, 6), T87(S390AP_REPLY_MALFORMED_MSG) },        /* the function id only */
};

START_TEST(test_ep11_errors)
{
	const struct msg_fault *f = &ep11_errors[_i];
	size_t len = ep11_msg(msgb, 0, 0);

	process(S390AP_MODE_EP11, FAC_EP11, msg_fault_apply(f, len));
	expect_err(f->type, f->code);
}
END_TEST

/* A type 50 request on an EP11 queue. */
START_TEST(test_ep11_type50_refused)
{
	process(S390AP_MODE_EP11, FAC_EP11, valid_meb1());
	expect_err(S390AP_MSG_TYPE82, S390AP_REPLY_MESSAGE_TYPE);
}
END_TEST

/* ================================================================== */
/* Latency model                                                       */
/* ================================================================== */
START_TEST(test_latency_model)
{
	/* base: the machine's defaults by type and mode */
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_NONE, 0),
		      2000);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA,
					    S390AP_ENGINE_OP_NONE, 4096),
		      20000);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX7, S390AP_MODE_EP11,
					    S390AP_ENGINE_OP_NONE, 0),
		      37500);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX4, S390AP_MODE_CCA,
					    S390AP_ENGINE_OP_NONE, 0),
		      40000);
	/* RSA: unit * (bytes / 128)^3 */
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_RSA_ME, 128),
		      2000 + 4000);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_RSA_ME, 256),
		      2000 + 32000);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_RSA_CRT, 512),
		      2000 + 76800);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX7, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_RSA_CRT, 512),
		      2500 + 96000);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA,
					    S390AP_ENGINE_OP_RSA_ME, 256),
		      20000 + 64000);
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX4, S390AP_MODE_CCA,
					    S390AP_ENGINE_OP_RSA_CRT, 128),
		      40000 + 5000);
	/* odd sizes scale with the cube: 125 bytes */
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_RSA_ME, 125),
		      2000 + 4000ull * 125 * 125 * 125 / (128 * 128 * 128));
	/* RNG: 2 cycles a byte */
	ck_assert_x64(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA, S390AP_ENGINE_OP_RNG,
					    4096),
		      20000 + 8192);
	/* bigger operands cost more, monotonically */
	for (size_t b = 1; b < 1024; b++)
		ck_assert(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
						S390AP_ENGINE_OP_RSA_ME, b) <=
			  s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
						S390AP_ENGINE_OP_RSA_ME, b + 1));
	/* out-of-range arguments do not overflow */
	ck_assert(s390ap_engine_latency(0, S390AP_MODE_CCA, S390AP_ENGINE_OP_RSA_ME, (size_t)-1) <
		  UINT64_MAX / 2);
	ck_assert(s390ap_engine_latency(255, (s390ap_mode)7, (s390ap_engine_op)9, 5) == 2000);
}
END_TEST

/* CCA "PK" / "PD" are charged by the exponent's bits (docs/engines.md):
 * the RSA term times exp_bits / modulus bits, a full-length exponent at
 * the old fixed cost; a guest cannot buy host time with a long exponent. */
START_TEST(test_latency_exp_bits)
{
	const struct tkey *k = &keys[K4096];
	BIGNUM *x = bn_word(2), *want;
	uint8_t kb[1200];
	size_t kl;

	/* type, op, modulus bytes, exponent bits: the latency */
	static const struct {
		uint8_t type;
		s390ap_engine_op op;
		size_t mod_bytes, exp_bits;
		uint64_t want;
	} rows[] = {
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_ME, 512, 4096, 532000 },
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_ME, 512, 17, 20000 + 2125 },
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_ME, 256, 17, 20000 + 531 },
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_ME, 256, 0, 20000 },
		/* CRT: dp and dq of 1024 bits each on a 2048-bit key = the full cost */
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_CRT, 256, 2048, 20000 + 20000 },
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_CRT, 256, 2047, 20000 + 19990 },
		{ S390AP_TYPE_CEX4, S390AP_ENGINE_OP_RSA_CRT, 128, 1024, 40000 + 5000 },
		/* more than twice the modulus' bits count as twice */
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RSA_ME, 256, (size_t)-1, 20000 + 128000 },
		/* other ops ignore the bits */
		{ S390AP_TYPE_CEX8, S390AP_ENGINE_OP_RNG, 4096, 99, 20000 + 8192 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		ck_assert_x64(s390ap_engine_rsa_latency(rows[i].type, S390AP_MODE_CCA, rows[i].op,
							rows[i].mod_bytes, rows[i].exp_bits),
			      rows[i].want);
	ck_assert(s390ap_engine_rsa_latency(0, S390AP_MODE_CCA, S390AP_ENGINE_OP_RSA_ME, (size_t)-1,
					    (size_t)-1) < UINT64_MAX / 2);

	/* through the engine: 65537 in a 512-byte field costs its 17 bits */
	ck_assert_int_eq(BN_num_bits(k->e), 17);
	want = bn_modexp(x, k->e, k->n);
	kl = pk_keyblock(kb, k->mod_len, k->mod_len, k->e, k->n);
	process(S390AP_MODE_CCA, FAC_CCA, ica_msg(msgb, "PK", "MRP     ", x, k->mod_len, kb, kl));
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, k->mod_len, 0);
	put_bn(kb, k->mod_len, want);
	ck_assert_mem_eq(rbuf + 0x112, kb, k->mod_len);
	ck_assert_x64(rep.latency, LAT_IN + 2125);
	BN_free(want);
	/* the private exponent of (nearly) 4096 bits: nearly the full 512000 */
	want = bn_modexp(x, k->d, k->n);
	kl = pk_keyblock(kb, k->mod_len, k->mod_len, k->d, k->n);
	process(S390AP_MODE_CCA, FAC_CCA, ica_msg(msgb, "PK", "MRP     ", x, k->mod_len, kb, kl));
	expect_t86(S390AP_CCA_RC_OK, S390AP_CCA_RS_NONE, k->mod_len, 0);
	put_bn(kb, k->mod_len, want);
	ck_assert_mem_eq(rbuf + 0x112, kb, k->mod_len);
	ck_assert_x64(rep.latency, LAT_IN + 512000ull * (uint64_t)BN_num_bits(k->d) / 4096u);
	ck_assert_uint_ge(rep.latency, LAT_IN + 512000u - 125u * 8u * 8u);
	BN_free(want);
	BN_free(x);
}
END_TEST

/* The engine adds to the latency it was given, saturating. */
START_TEST(test_latency_saturates)
{
	const struct tkey *k = &keys[K1024];

	t50_me(msgb, 1, k->e, k->n, k->e);
	memset(&rq, 0, sizeof rq);
	rq.type = S390AP_TYPE_CEX8;
	rq.mode = S390AP_MODE_ACCEL;
	rq.fac = FAC_ACC;
	rq.msg = msgb;
	rq.len = 0x190;
	free(rbuf);
	rbuf = malloc(CAP);
	ck_assert_ptr_nonnull(rbuf);
	rep = (s390ap_engine_reply){ .buf = rbuf, .cap = CAP, .latency = UINT64_MAX - 5 };
	ck_assert_int_eq(eng.process(eng.ctx, &rq, &rep), 0);
	ck_assert_x64(rep.latency, UINT64_MAX);
}
END_TEST

/* Bad calls of the engine API. */
START_TEST(test_engine_api)
{
	s390ap_engine e2;

	ck_assert_int_lt(s390ap_crypto_engine_new(NULL, NULL), 0);
	memset(&rq, 0, sizeof rq);
	rq.mode = S390AP_MODE_ACCEL;
	rq.len = 5;
	free(rbuf);
	rbuf = malloc(64);
	ck_assert_ptr_nonnull(rbuf);
	rep = (s390ap_engine_reply){ .buf = rbuf, .cap = 64 };
	ck_assert_int_lt(eng.process(eng.ctx, &rq, &rep), 0); /* msg NULL */
	ck_assert_int_lt(eng.process(NULL, &rq, &rep), 0);
	/* an unknown mode: message type */
	rq.msg = msgb;
	rq.mode = (s390ap_mode)3;
	ck_assert_int_eq(eng.process(eng.ctx, &rq, &rep), 0);
	ck_assert_uint_eq(rep.len, 8);
	ck_assert_uint_eq(rbuf[4], S390AP_REPLY_MESSAGE_TYPE);
	/* the default engine is a crypto engine of its own */
	ck_assert_int_eq(s390ap_default_engine(&e2), 0);
	ck_assert(e2.process == eng.process);
	ck_assert_ptr_ne(e2.ctx, eng.ctx);
	e2.destroy(e2.ctx);
	e2.destroy(NULL);
}
END_TEST

/* ================================================================== */
/* Through the machine: NQAP / DQAP with real replies                  */
/* ================================================================== */
static void setup(void)
{
	fixture_setup(MEM_SIZE);
}

static void nqap_part(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len, bool last)
{
	nq_part(apqn, psmid, addr, len, last);
	ck_assert_uint_eq(res.pgm, 0);
}

/* NQAP of a whole message, reissued while cc 2 (CPU-determined). */
static void nqap_all(uint16_t apqn, uint64_t psmid, size_t len)
{
	memcpy(ram + MSG_ADDR, msgb, len);
	nqap_part(apqn, psmid, MSG_ADDR, len, true);
	while (res.cc == 2)
		ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
}

/* DQAP into addr, len bytes; gr2 = 0 starts a reply, else continues. */
static void dqap_at(uint16_t apqn, uint64_t gr2, uint64_t addr, uint64_t len)
{
	gr[0] = apqn;
	gr[2] = gr2;
	gr[DQ_R2] = addr;
	gr[DQ_R2 + 1] = len;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
}

/* Advance to the next event and expect it to make a reply ready. */
static void wait_reply(uint16_t apqn)
{
	uint64_t next = s390ap_machine_next_event(m);

	ck_assert(next != S390AP_NO_EVENT);
	advance(next - s390ap_machine_now(m));
	ck_assert_uint_eq(qinfo(apqn).replies, 1);
}

/* The same request straight to a fresh engine: the reply the machine
 * should deliver. */
static uint8_t *direct_reply(s390ap_mode mode, uint32_t fac, size_t len, size_t *out_len)
{
	uint8_t *copy;

	process(mode, fac, len);
	ck_assert_int_eq(ret, 0);
	copy = malloc(rep.len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, rbuf, rep.len);
	*out_len = rep.len;
	return copy;
}

/* A CRB3 request (1808 bytes) sent as three NQAP parts, its 528-byte
 * reply taken with four DQAPs into 100, 200, 200 and 100-byte buffers:
 * cc 1 with the residual in GR2 until the last part. */
START_TEST(test_machine_crt4096_parts)
{
	const struct tkey *k = &keys[K4096];
	BIGNUM *msgbn = bn_below(k->n), *c = bn_modexp(msgbn, k->e, k->n);
	uint8_t want[512];
	size_t len = t50_crt_key(msgb, 0x13, k, c);
	static const uint64_t bufs[] = { 100, 200, 200, 100 };
	uint64_t residual = 0, addr = BUF_ADDR;

	ck_assert_uint_eq(len, 0x710);
	memcpy(ram + MSG_ADDR, msgb, len);
	nqap_part(ACC, 0x1234567800000042ull, MSG_ADDR, 600, false);
	ck_assert_uint_eq(res.cc, 1);
	nqap_part(ACC, 0x1234567800000042ull, MSG_ADDR + 600, 600, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	nqap_part(ACC, 0x1234567800000042ull, MSG_ADDR + 1200, len - 1200, true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);

	/* ready after the adapter's latency plus the CRT cost */
	advance(s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, S390AP_ENGINE_OP_RSA_CRT,
				      512) -
		1);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	advance(1);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);

	memset(ram + BUF_ADDR, 0xCC, 1024);
	for (unsigned i = 0; i < 4; i++) {
		dqap_at(ACC, residual, addr, bufs[i]);
		ck_assert_x64(dq_psmid(), 0x1234567800000042ull);
		residual = gr[2];
		addr += bufs[i];
		if (i < 3) {
			ck_assert_uint_eq(res.cc, 1);
			ck_assert_x64(residual, 528 - (addr - BUF_ADDR));
			ck_assert_x64(gr[DQ_R2 + 1], 0);
		}
	}
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[2], 0);
	ck_assert_x64(gr[DQ_R2 + 1], 72);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], S390AP_MSG_TYPE80);
	ck_assert_uint_eq(be_get16(ram + BUF_ADDR + 2), 528);
	put_bn(want, 512, msgbn);
	ck_assert_mem_eq(ram + BUF_ADDR + 16, want, 512);
	ck_assert_uint_eq(ram[BUF_ADDR + 528], 0xCC);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	BN_free(msgbn);
	BN_free(c);
}
END_TEST

/* A 4372-byte RL reply (4096 random bytes): one DQAP with a big buffer
 * stops at the CPU-determined 4096 bytes (cc 2) and the reissue finishes;
 * then the same reply size again through 1000-byte buffers (cc 1 x 4). */
START_TEST(test_machine_rl_split)
{
	size_t len = rl_msg(msgb, "RANDOM  ", 4096), n1, n2;
	uint8_t *want1 = direct_reply(S390AP_MODE_CCA, FAC_CCA, len, &n1);
	uint8_t *want2 = direct_reply(S390AP_MODE_CCA, FAC_CCA, len, &n2);
	uint64_t residual = 0, addr = BUF_ADDR;

	ck_assert_uint_eq(n1, 0x114 + 4096);
	nqap_all(CCA, 7, len);
	wait_reply(CCA);
	ck_assert_x64(s390ap_machine_now(m),
		      s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_CCA, S390AP_ENGINE_OP_RNG,
					    4096));
	dqap_at(CCA, 0, BUF_ADDR, 8192);
	ck_assert_uint_eq(res.cc, 2);
	ck_assert_x64(gr[2], n1 - 4096);
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[DQ_R2 + 1], 8192 - n1);
	ck_assert_mem_eq(ram + BUF_ADDR, want1, n1);

	/* the adapter's engine continues its stream like the direct one */
	nqap_all(CCA, 8, len);
	wait_reply(CCA);
	for (unsigned i = 0; i < 5; i++) {
		dqap_at(CCA, residual, addr, 1000);
		residual = gr[2];
		addr += 1000;
		ck_assert_x64(dq_psmid(), 8);
		ck_assert_uint_eq(res.cc, i < 4 ? 1 : 0);
	}
	ck_assert_x64(gr[DQ_R2 + 1], 5000 - n2);
	ck_assert_mem_eq(ram + BUF_ADDR, want2, n2);
	free(want1);
	free(want2);
}
END_TEST

/* ICA "PD" with a 4096-bit key through the CCA queue. */
START_TEST(test_machine_cca_pd4096)
{
	const struct tkey *k = &keys[K4096];
	BIGNUM *msgbn = bn_below(k->n), *c = bn_modexp(msgbn, k->e, k->n);
	size_t len = pd_msg(msgb, k, c);
	uint8_t want[512];

	nqap_all(CCA, 9, len);
	wait_reply(CCA);
	dqap_at(CCA, 0, BUF_ADDR, 0x1000);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[DQ_R2 + 1], 0x1000 - (0x114 + 512));
	ck_assert_uint_eq(ram[BUF_ADDR + 1], S390AP_MSG_TYPE86);
	ck_assert_uint_eq(be_get16(ram + BUF_ADDR + 0xC0), S390AP_CCA_RC_OK);
	ck_assert_uint_eq(be_get16(ram + BUF_ADDR + 0x110), 514);
	put_bn(want, 512, msgbn);
	ck_assert_mem_eq(ram + BUF_ADDR + 0x112, want, 512);
	BN_free(msgbn);
	BN_free(c);
}
END_TEST

/* A message exactly at the adapter's size limit (12 KiB) reaches the
 * engine and gets its well-formed answer; one byte more is refused by
 * NQAP (RC 0x15) and never reaches it. */
START_TEST(test_machine_size_limit)
{
	uint8_t parm[64];
	size_t off = parm_rules(parm, "KG", "RSA     ", 1), len, dlen;
	s390ap_adapter_info ai = ainfo(4);

	ck_assert_uint_eq(s390ap_ml_bytes(ai.ml), CAP);
	off = parm_block(parm, off, NULL, 0);
	off = parm_block(parm, off, NULL, 0);
	dlen = CAP - 0x58 - ceil4(CPRBX + off);
	len = cca_msg(msgb, parm, off, dlen, 0x1000, 0x1000, 0);
	ck_assert_uint_eq(len, CAP);
	nqap_all(CCA, 0x11, len);
	ck_assert_uint_eq(qinfo(CCA).requests, 1);
	wait_reply(CCA);
	dqap_at(CCA, 0, BUF_ADDR, 0x1000);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], S390AP_MSG_TYPE86);
	ck_assert_uint_eq(be_get16(ram + BUF_ADDR + 0xC0), S390AP_CCA_RC_ENV_ERROR);
	ck_assert_x64(gr[DQ_R2 + 1], 0x1000 - 0x114);

	/* type 50 at the limit: wrong length for any key block */
	memset(msgb, 0, CAP);
	msgb[1] = 0x50;
	be_put16(msgb + 2, CAP);
	be_put16(msgb + 8, 0x0013);
	nqap_all(ACC, 0x12, CAP);
	wait_reply(ACC);
	dqap_at(ACC, 0, BUF_ADDR, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], S390AP_MSG_TYPE82);
	ck_assert_uint_eq(ram[BUF_ADDR + 4], S390AP_REPLY_MESSAGE_LENGTH);

	/* one byte over */
	memset(ram + MSG_ADDR, 0, CAP + 1);
	nqap_part(CCA, 0x13, MSG_ADDR, CAP + 1, true);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_uint_eq(S390AP_SW_RC(gr[1]), S390AP_RC_MESSAGE_TOO_BIG);
	ck_assert_uint_eq(qinfo(CCA).requests, 0);
	/* or over in the sum of its parts */
	nqap_part(CCA, 0x14, MSG_ADDR, 4000, false);
	ck_assert_uint_eq(res.cc, 1);
	nqap_part(CCA, 0x14, MSG_ADDR, 4000, false);
	ck_assert_uint_eq(res.cc, 1);
	nqap_part(CCA, 0x14, MSG_ADDR, 4000, false);
	ck_assert_uint_eq(res.cc, 1);
	nqap_part(CCA, 0x14, MSG_ADDR, 289, true);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_uint_eq(S390AP_SW_RC(gr[1]), S390AP_RC_MESSAGE_TOO_BIG);
	ck_assert_uint_eq(qinfo(CCA).requests, 0);
}
END_TEST

/* An adapter with an explicit latency: the operation cost adds to it;
 * an injected delay adds too; error replies cost nothing extra. */
START_TEST(test_machine_latency)
{
	s390ap_adapter_opts ao;
	const struct tkey *k = &keys[K2048];
	size_t len = t50_me(msgb, 2, k->e, k->n, k->e);
	uint64_t op = s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_RSA_ME, 256) -
		      s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
					    S390AP_ENGINE_OP_NONE, 0);
	uint64_t t0;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.mode = S390AP_MODE_ACCEL;
	ao.latency = 777;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	ck_assert_x64(ainfo(3).latency, s390ap_engine_latency(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL,
							      S390AP_ENGINE_OP_NONE, 0));
	nqap_all(S390AP_APQN(0x10, 6), 1, len);
	t0 = s390ap_machine_now(m);
	wait_reply(S390AP_APQN(0x10, 6));
	ck_assert_x64(s390ap_machine_now(m) - t0, 777 + op);
	dqap_at(S390AP_APQN(0x10, 6), 0, BUF_ADDR, 0x1000);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], S390AP_MSG_TYPE80);

	ck_assert_int_eq(s390ap_queue_delay_reply(m, ACC, 50), 0);
	nqap_all(ACC, 2, len);
	t0 = s390ap_machine_now(m);
	wait_reply(ACC);
	ck_assert_x64(s390ap_machine_now(m) - t0, 2000 + 50 + op);
	dqap_at(ACC, 0, BUF_ADDR, 0x1000);

	msgb[1] = 0x51;
	nqap_all(ACC, 3, len);
	t0 = s390ap_machine_now(m);
	wait_reply(ACC);
	ck_assert_x64(s390ap_machine_now(m) - t0, 2000);
}
END_TEST

/* Older generations are slower by the same factor for base and work. */
START_TEST(test_machine_cex4)
{
	const struct tkey *k = &keys[K1024];
	size_t len = t50_crt_key(msgb, 0x11, k, k->e);
	uint64_t t0;

	add_adapter(0x11, S390AP_TYPE_CEX4, S390AP_MODE_ACCEL);
	nqap_all(S390AP_APQN(0x11, 6), 1, len);
	t0 = s390ap_machine_now(m);
	wait_reply(S390AP_APQN(0x11, 6));
	ck_assert_x64(s390ap_machine_now(m) - t0, 2 * (2000 + 1200));
}
END_TEST

/* ================================================================== */
/* Suite                                                               */
/* ================================================================== */
static Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc;

	tc = tcase_create("kat");
	tcase_add_checked_fixture(tc, eng_setup, eng_teardown);
	tcase_add_loop_test(tc, test_kat_me_public, 0, NKEYS);
	tcase_add_loop_test(tc, test_kat_me_private, 0, NKEYS);
	tcase_add_loop_test(tc, test_kat_crt, 0, NKEYS);
	tcase_add_loop_test(tc, test_kat_crt_p_below_q, 0, NKEYS);
	tcase_add_test(tc, test_kat_larger_blocks);
	tcase_add_test(tc, test_me_edge_values);
	tcase_add_test(tc, test_reduce_input_option);
	suite_add_tcase(s, tc);

	tc = tcase_create("type50_errors");
	tcase_add_checked_fixture(tc, eng_setup, eng_teardown);
	tcase_add_test(tc, test_t50_message_type);
	tcase_add_test(tc, test_t50_invalid_msg_len);
	tcase_add_loop_test(tc, test_t50_reserved_field, 0, 10);
	tcase_add_loop_test(tc, test_t50_format_field, 0, 7);
	tcase_add_loop_test(tc, test_t50_message_length, 0, T50_KB_TYPES * T50_BAD_LENS);
	tcase_add_test(tc, test_t50_4k_facility);
	tcase_add_test(tc, test_t50_me_operands);
	tcase_add_test(tc, test_t50_crt_operands);
	tcase_add_test(tc, test_t50_check_order);
	tcase_add_test(tc, test_t50_type88);
	tcase_add_test(tc, test_t50_small_reply_buffer);
	tcase_add_test(tc, test_t50_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("cca");
	tcase_add_checked_fixture(tc, eng_setup, eng_teardown);
	tcase_add_test(tc, test_cca_rl);
	tcase_add_test(tc, test_cca_rl_seeds);
	tcase_add_test(tc, test_cca_rl_parity);
	tcase_add_loop_test(tc, test_cca_rl_errors, 0, (int)ARRAY_SIZE(rl_errors));
	tcase_add_test(tc, test_cca_rl_max_count);
	tcase_add_loop_test(tc, test_kat_cca_pk_public, 0, NKEYS);
	tcase_add_loop_test(tc, test_kat_cca_pk_private, 0, NKEYS);
	tcase_add_loop_test(tc, test_kat_cca_pd, 0, NKEYS);
	tcase_add_test(tc, test_cca_pk_short_exponent);
	tcase_add_test(tc, test_cca_pk_short_input);
	tcase_add_loop_test(tc, test_cca_pk_errors, 0, (int)ARRAY_SIZE(pk_errors));
	tcase_add_test(tc, test_cca_pk_edge_operands);
	tcase_add_loop_test(tc, test_cca_pd_errors, 0, (int)ARRAY_SIZE(pd_errors));
	tcase_add_test(tc, test_cca_reply_room);
	tcase_add_test(tc, test_cca_not_modelled);
	tcase_add_test(tc, test_cca_unpadded_and_padded);
	tcase_add_loop_test(tc, test_cca_transport_errors, 0,
			    (int)ARRAY_SIZE(cca_transport_errors));
	tcase_add_test(tc, test_cca_transport_data_block);
	tcase_add_test(tc, test_cca_garbage);
	suite_add_tcase(s, tc);

	tc = tcase_create("ep11");
	tcase_add_checked_fixture(tc, eng_setup, eng_teardown);
	tcase_add_test(tc, test_ep11_well_formed);
	tcase_add_loop_test(tc, test_ep11_errors, 0, (int)ARRAY_SIZE(ep11_errors));
	tcase_add_test(tc, test_ep11_type50_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("latency");
	tcase_add_checked_fixture(tc, eng_setup, eng_teardown);
	tcase_add_test(tc, test_latency_model);
	tcase_add_test(tc, test_latency_exp_bits);
	tcase_add_test(tc, test_latency_saturates);
	tcase_add_test(tc, test_engine_api);
	suite_add_tcase(s, tc);

	/* the machine tests use the direct engine too, for expected replies */
	tc = tcase_create("machine");
	tcase_add_checked_fixture(tc, setup, fixture_teardown);
	tcase_add_checked_fixture(tc, eng_setup, eng_teardown);
	tcase_add_test(tc, test_machine_crt4096_parts);
	tcase_add_test(tc, test_machine_rl_split);
	tcase_add_test(tc, test_machine_cca_pd4096);
	tcase_add_test(tc, test_machine_size_limit);
	tcase_add_test(tc, test_machine_latency);
	tcase_add_test(tc, test_machine_cex4);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	int rc;

	keys_init();
	rc = run_suite(engine_suite());
	keys_free();
	return rc;
}
