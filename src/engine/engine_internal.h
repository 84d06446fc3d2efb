/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the message engines (src/engine/).  Not part of
 * the public API.
 *
 * Every request byte is untrusted guest data: the parsers read only
 * through bounds-checked helpers below, never past req->len, and the reply
 * builders never write past rep->cap. */
#ifndef S390AP_ENGINE_INTERNAL_H
#define S390AP_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "s390ap/engine.h"
#include "s390ap/error.h"
#include "s390ap/machine.h"
#include "s390ap/msgfmt.h"
#include "util/be.h"
#include "util/zero.h"

/* An unsigned big-endian number inside a request. */
struct eng_num {
	const uint8_t *p;
	size_t len;
};

/* ------------------------------------------------------------------ */
/* The crypto engine's context (crypto.c)                              */
/* ------------------------------------------------------------------ */
struct eng_rng {
	EVP_CIPHER_CTX *cipher; /* AES-256-CTR keystream; NULL with os */
	bool os;                /* RAND_bytes instead */
	uint64_t pos;           /* keystream bytes handed out (not with os) */
};

struct eng_ctx {
	s390ap_crypto_opts opts;
	BN_CTX *bn;
	struct eng_rng rng;
};

/* ------------------------------------------------------------------ */
/* Error replies (error_engine.c)                                      */
/* ------------------------------------------------------------------ */
/* 0x88 on CEX2A / CEX3A (AP types 6 and 8), else 0x82. */
uint8_t eng_error_type(const s390ap_engine_request *req);
/* Answer with an 8-byte error reply of that type; 0 or S390AP_ENOSPC. */
int eng_reply_error(s390ap_engine_reply *rep, uint8_t type, uint8_t code);

/* ------------------------------------------------------------------ */
/* Modes                                                               */
/* ------------------------------------------------------------------ */
int eng_accel_process(struct eng_ctx *e, const s390ap_engine_request *req,
		      s390ap_engine_reply *rep);
int eng_cca_process(struct eng_ctx *e, const s390ap_engine_request *req, s390ap_engine_reply *rep);
int eng_ep11_process(struct eng_ctx *e, const s390ap_engine_request *req, s390ap_engine_reply *rep);

/* ------------------------------------------------------------------ */
/* Type 6 header (type6.c), shared by CCA and EP11                     */
/* ------------------------------------------------------------------ */
#define ENG_T6_HDR ((size_t)S390AP_T6_HDR)   /* offset1 of the CPRB */
#define ENG_T86_HDR ((size_t)S390AP_T86_HDR) /* type 86 header + format-2 extension */

struct eng_t6 {
	const uint8_t *cprb;   /* at offset1 */
	size_t cprb_area;      /* ToCardLen1: CPRB + parameter block */
	const uint8_t *data;   /* request data block (CCA xcRB), or NULL */
	size_t data_len;       /* ToCardLen2 */
	uint32_t from1, from2; /* FromCardLen1 / 2: reply space the host offers */
	uint16_t function_code;
};

/* Check the 0x58-byte type 6 header of req against agent ("CA" / "XC")
 * and a CPRB of at least min_cprb bytes.  Returns 0 and fills t, or the
 * type 82 reply code to answer with. */
uint8_t eng_t6_parse(const s390ap_engine_request *req, const char agent[2], size_t min_cprb,
		     struct eng_t6 *t);

/* Type 86 header, format 2, reply code 0:
 * count1 bytes of CPRB + parameters at 0x30, count2 data bytes at
 * offset2 (0 when count2 is 0). */
void eng_t86_header(uint8_t *buf, uint32_t count1, uint32_t count2, uint32_t offset2);

/* ------------------------------------------------------------------ */
/* RSA arithmetic (rsa.c), OpenSSL BN                                  */
/* ------------------------------------------------------------------ */
enum eng_rsa_status {
	ENG_RSA_OK = 0,
	ENG_RSA_ZERO,   /* zero modulus, p or q */
	ENG_RSA_EVEN,   /* even modulus, p or q */
	ENG_RSA_RANGE,  /* message >= modulus (p * q) */
	ENG_RSA_TOO_BIG /* modulus (p * q) longer than the result field */
};

struct eng_crt_key {
	struct eng_num p, q, dp, dq, u; /* u = q^-1 mod p */
};

/* out[0..out_len) = msg^e mod n, right-aligned.  Returns an
 * eng_rsa_status, or a negative S390AP_E* code if OpenSSL fails. */
int eng_rsa_me(BN_CTX *bn, struct eng_num e, struct eng_num n, struct eng_num msg, bool reduce,
	       uint8_t *out, size_t out_len);
/* out = msg^d mod p*q by Garner: m1 = c^dp mod p, m2 = c^dq mod q,
 * h = u (m1 - m2) mod p, m = m2 + h q. */
int eng_rsa_crt(BN_CTX *bn, const struct eng_crt_key *k, struct eng_num msg, bool reduce,
		uint8_t *out, size_t out_len);

/* ------------------------------------------------------------------ */
/* Random numbers (rng.c)                                              */
/* ------------------------------------------------------------------ */
int eng_rng_init(struct eng_rng *r, uint64_t seed, bool os);
/* The stream of seed positioned at byte pos (a restored engine). */
int eng_rng_init_at(struct eng_rng *r, uint64_t seed, bool os, uint64_t pos);
int eng_rng_bytes(struct eng_rng *r, uint8_t *out, size_t n);
void eng_rng_free(struct eng_rng *r);

/* ------------------------------------------------------------------ */
/* Timing (timing.c)                                                   */
/* ------------------------------------------------------------------ */
/* The operation's cycles on top of the adapter's latency. */
uint64_t eng_op_cycles(uint8_t type, s390ap_mode mode, s390ap_engine_op op, size_t operand_bytes);
/* rep->latency += eng_op_cycles(...), saturating. */
void eng_charge(const s390ap_engine_request *req, s390ap_engine_reply *rep, s390ap_engine_op op,
		size_t operand_bytes);
/* The RSA term scaled by exp_bits / (8 * mod_bytes) (CCA "PK", "PD"). */
uint64_t eng_rsa_cycles(uint8_t type, s390ap_mode mode, s390ap_engine_op op, size_t mod_bytes,
			size_t exp_bits);
void eng_charge_exp(const s390ap_engine_request *req, s390ap_engine_reply *rep, s390ap_engine_op op,
		    size_t mod_bytes, size_t exp_bits);
/* Significant bits of a big-endian number (0 for zero). */
size_t eng_num_bits(struct eng_num n);

#endif
