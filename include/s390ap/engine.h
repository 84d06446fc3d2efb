/* SPDX-License-Identifier: MIT */
/* s390ap — message engines: what an adapter answers to a request.
 *
 * An engine is an s390ap_engine (machine.h): a process callback that turns
 * one complete request into one reply, plus its context.  The library has
 * two:
 *
 *   - the crypto engine (s390ap_crypto_engine_new, s390ap_default_engine):
 *     type 50 RSA requests answered with type 80 replies on accelerators,
 *     the CCA "RL", "PK" and "PD" requests answered with type 86 replies on
 *     CCA coprocessors, well-formed error replies for everything else.
 *     Every new adapter gets one.  docs/engines.md lists exactly what it
 *     models, every error reply and when it is given;
 *   - the error engine (s390ap_error_engine): answers every request with an
 *     8-byte error reply and computes nothing.
 *
 * Byte layouts and every error reply: docs/engines.md (all fields
 * big-endian).
 *
 * Asynchronous engines: process() may return S390AP_ENGINE_PENDING
 * (machine.h) instead of a reply, keeping req->token; the host later hands
 * the reply to s390ap_queue_complete(m, req->apqn, token, reply, len),
 * which makes it ready for DQAP at the current cycle (an interruption as
 * for any reply), or fails with S390AP_ENOENT and delivers nothing if the
 * queue was reset meanwhile or the token is unknown.  docs/engines.md,
 * "Asynchronous engines".
 */
#ifndef S390AP_ENGINE_H
#define S390AP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Message types (byte 1 of a request or reply)                        */
/* ------------------------------------------------------------------ */
#define S390AP_MSG_TYPE6 0x06  /* coprocessor request (CCA "CA", EP11 "XC") */
#define S390AP_MSG_TYPE50 0x50 /* accelerator request (RSA ME / CRT) */
#define S390AP_MSG_TYPE80 0x80 /* accelerator reply */
#define S390AP_MSG_TYPE82 0x82 /* error reply */
#define S390AP_MSG_TYPE86 0x86 /* coprocessor reply */
#define S390AP_MSG_TYPE87 0x87 /* EP11 error reply */
#define S390AP_MSG_TYPE88 0x88 /* error reply of CEX2A / CEX3A */

/* ------------------------------------------------------------------ */
/* Reply codes (byte 4 of a type 82 / 87 / 88 reply)                   */
/* Names follow Linux zcrypt_error.h; docs/engines.md says when each   */
/* one is given.                                                       */
/* ------------------------------------------------------------------ */
#define S390AP_REPLY_MACHINE_FAILURE 0x10 /* the engine failed (out of memory) */
#define S390AP_REPLY_MESSAGE_TYPE 0x20    /* byte 1 / agent id not for this mode */
#define S390AP_REPLY_INVALID_MSG_LEN 0x23 /* length fields disagree with the message */
#define S390AP_REPLY_RESERVED_FIELD 0x24  /* a reserved field is not zero */
#define S390AP_REPLY_FORMAT_FIELD 0x29    /* unknown key block type, CPRB format */
#define S390AP_REPLY_INVALID_COMMAND 0x30 /* well-formed, but not modelled */
#define S390AP_REPLY_MALFORMED_MSG 0x40   /* CPRB / payload structure broken */
#define S390AP_REPLY_MESSAGE_LENGTH 0x80  /* wrong length for the key block type */
#define S390AP_REPLY_OPERAND_INVALID 0x82 /* zero modulus/prime, message >= modulus */
#define S390AP_REPLY_OPERAND_SIZE 0x84    /* 4096-bit block without the 4K facility */
#define S390AP_REPLY_EVEN_MODULUS 0x85    /* even modulus, p or q */

/* ------------------------------------------------------------------ */
/* CCA return and reason codes (reply CPRBX ccp_rtcode / ccp_rscode)   */
/* ------------------------------------------------------------------ */
#define S390AP_CCA_RC_OK 0
#define S390AP_CCA_RC_APP_ERROR 8  /* a parameter of the request is wrong */
#define S390AP_CCA_RC_ENV_ERROR 12 /* the (emulated) card cannot do it */

#define S390AP_CCA_RS_NONE 0        /* rc 0; with rc 12: not modelled */
#define S390AP_CCA_RS_KEYWORD 33    /* 0x021 a rule keyword is not valid */
#define S390AP_CCA_RS_RULE_COUNT 35 /* 0x023 the rule-array count is not valid */
#define S390AP_CCA_RS_LENGTH 72     /* 0x048 a length or the data value is not valid */
#define S390AP_CCA_RS_TOKEN 770     /* 0x302 the PKA key token has an invalid field */

/* ------------------------------------------------------------------ */
/* The crypto engine                                                   */
/* ------------------------------------------------------------------ */
/* Seed of the "RL" random-number stream unless the options name one. */
#define S390AP_RNG_DEFAULT_SEED 0x7333393061702d31ull /* "s390ap-1" */

typedef struct s390ap_crypto_opts {
	uint32_t size; /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	/* Seed of the deterministic random-number generator that answers
	 * CCA "RL" requests; 0 = S390AP_RNG_DEFAULT_SEED.  The same seed
	 * gives the same bytes in the same order, so emulator runs repeat. */
	uint64_t rng_seed;
	/* Take "RL" bytes from OpenSSL's RAND_bytes instead (not
	 * reproducible); rng_seed is then ignored. */
	bool rng_os;
	/* A message >= the modulus (p * q for CRT) is computed reduced
	 * modulo the modulus, as libica's software path does, instead of
	 * being rejected (type 82 reply code 0x82, CCA 8/72). */
	bool reduce_input;
} s390ap_crypto_opts;

/* A new crypto engine (opts NULL = defaults).  The engine owns an OpenSSL
 * BN_CTX and its random-number state; pass it to s390ap_adapter_set_engine,
 * which takes ownership on success, or release it with
 * out->destroy(out->ctx).  One engine serves one adapter (it dispatches on
 * the mode in each request), so one thread per machine as everywhere. */
S390AP_API int s390ap_crypto_engine_new(s390ap_engine *out, const s390ap_crypto_opts *opts);

/* The error-only engine, in *out: every request gets an 8-byte error reply
 * (type 82, or 88 on AP types 6 and 8): 0x20 if byte 1 is not the mode's
 * request type, 0x23 if a type 50 length field disagrees with the
 * message, 0x30 otherwise.  Stateless: nothing to destroy.  0, or
 * S390AP_EINVAL for a NULL out. */
S390AP_API int s390ap_error_engine(s390ap_engine *out);

/* ------------------------------------------------------------------ */
/* Latency model                                                       */
/* ------------------------------------------------------------------ */
typedef enum s390ap_engine_op {
	S390AP_ENGINE_OP_NONE = 0, /* parse only: every error reply */
	S390AP_ENGINE_OP_RSA_ME,   /* modular exponentiation (MEB*, "PK") */
	S390AP_ENGINE_OP_RSA_CRT,  /* CRT exponentiation (CRB*, "PD") */
	S390AP_ENGINE_OP_RNG       /* random bytes ("RL") */
} s390ap_engine_op;

/* Cycles from request to reply on an adapter of this type and mode with
 * the default latency (docs/engines.md):
 *
 *   base(mode) * gen(type) + unit(mode, op) * gen(type) * size(op, bytes)
 *
 * base = 2000 (accelerator), 20000 (CCA), 30000 (EP11); gen(type) =
 * (100 + 25 * (CEX8 - type)) / 100; size = (bytes / 128)^3 for the RSA
 * operations (operand_bytes = the modulus field: 128/256/512 for type 50,
 * the modulus length for CCA) and bytes for RNG.  An adapter created with
 * an explicit latency uses that instead of the base term. */
S390AP_API uint64_t s390ap_engine_latency(uint8_t type, s390ap_mode mode, s390ap_engine_op op,
					  size_t operand_bytes);

/* The same for a CCA "PK" (RSA_ME) or "PD" (RSA_CRT) request: the RSA term
 * is scaled by exp_bits / (8 * mod_bytes), exp_bits being the exponent's
 * significant bits ("PK") or those of dp and dq together ("PD"); a
 * full-length exponent costs what s390ap_engine_latency gives.  exp_bits
 * over 16 * mod_bytes count as that.  Other ops: s390ap_engine_latency. */
S390AP_API uint64_t s390ap_engine_rsa_latency(uint8_t type, s390ap_mode mode, s390ap_engine_op op,
					      size_t mod_bytes, size_t exp_bits);

#ifdef __cplusplus
}
#endif
#endif
