/* SPDX-License-Identifier: MIT */
/* s390ap — byte layouts of AP request and reply messages.
 *
 * Offsets from the start of a message (or of the CPRB where named so); all
 * multi-byte fields are big-endian.  These are the formats a guest puts in
 * storage for NQAP and finds there after DQAP, so an embedder that builds
 * or checks messages (apsim does) uses the same numbers as the library's
 * engines and its NQAP domain check.  Macros only: nothing here is ABI.
 * docs/engines.md describes every field and what the engines answer.
 */
#ifndef S390AP_MSGFMT_H
#define S390AP_MSGFMT_H

/* ------------------------------------------------------------------ */
/* Every message: byte 1 is the type (S390AP_MSG_TYPE*, engine.h)      */
/* ------------------------------------------------------------------ */
#define S390AP_MSG_TYPE_OFF 0x01

/* ------------------------------------------------------------------ */
/* Type 50: accelerator RSA request                                    */
/* ------------------------------------------------------------------ */
#define S390AP_T50_LEN 0x02     /* msg_len (2): the whole request */
#define S390AP_T50_KB_TYPE 0x08 /* keyblock_type (2) */
#define S390AP_T50_HDR 0x10     /* the key block starts here */
/* keyblock_type: modular exponentiation (MEB1..3) and CRT (CRB1..3) with
 * number fields of 128, 256 and 512 bytes */
#define S390AP_T50_MEB1 0x0001
#define S390AP_T50_MEB2 0x0002
#define S390AP_T50_MEB3 0x0003
#define S390AP_T50_CRB1 0x0011
#define S390AP_T50_CRB2 0x0012
#define S390AP_T50_CRB3 0x0013

/* ------------------------------------------------------------------ */
/* Type 80: accelerator reply                                          */
/* ------------------------------------------------------------------ */
#define S390AP_T80_LEN 0x02 /* len (2) = header + result */
#define S390AP_T80_CODE 0x04
#define S390AP_T80_HDR 0x10 /* the result, right-aligned */

/* ------------------------------------------------------------------ */
/* Types 82, 87, 88: error replies                                     */
/* ------------------------------------------------------------------ */
#define S390AP_ERR_CODE 0x04 /* reply code (S390AP_REPLY_*) */
#define S390AP_ERR_LEN 0x08  /* the whole reply */

/* ------------------------------------------------------------------ */
/* Type 6: coprocessor request header (CCA "CA", EP11 "XC")            */
/* ------------------------------------------------------------------ */
#define S390AP_T6_OFFSET1 0x10 /* the CPRB: S390AP_T6_HDR */
#define S390AP_T6_OFFSET2 0x14 /* the request data block */
#define S390AP_T6_OFFSET3 0x18
#define S390AP_T6_OFFSET4 0x1C
#define S390AP_T6_AGENT 0x20 /* agent id, 2 characters used */
#define S390AP_T6_FUNCTION_CODE 0x34
#define S390AP_T6_TOCARD1 0x38 /* CPRB + parameter block */
#define S390AP_T6_TOCARD2 0x3C /* request data */
#define S390AP_T6_TOCARD3 0x40
#define S390AP_T6_TOCARD4 0x44
#define S390AP_T6_FROMCARD1 0x48 /* reply CPRB + parameters the host takes */
#define S390AP_T6_FROMCARD2 0x4C /* reply data the host takes */
#define S390AP_T6_FROMCARD3 0x50
#define S390AP_T6_FROMCARD4 0x54
#define S390AP_T6_HDR 0x58 /* the CPRB starts here */

/* ------------------------------------------------------------------ */
/* CCA CPRBX (offsets from the CPRB)                                   */
/* ------------------------------------------------------------------ */
#define S390AP_CPRBX_LEN 0xDC    /* cprb_len: the CPRBX itself */
#define S390AP_CPRBX_VER_ID 0x02 /* cprb_ver_id: S390AP_CPRBX_VERSION */
#define S390AP_CPRBX_VERSION 0x02
#define S390AP_CPRBX_FUNC_ID 0x06 /* "T2" */
#define S390AP_CPRBX_REQ_PARML 0x0C
#define S390AP_CPRBX_REQ_DATAL 0x10
#define S390AP_CPRBX_RPL_MSGBL 0x14
#define S390AP_CPRBX_RPLD_PARML 0x18
#define S390AP_CPRBX_RPL_DATAL 0x1C
#define S390AP_CPRBX_RPLD_DATAL 0x20
#define S390AP_CPRBX_RTCODE 0x90 /* ccp_rtcode (reply) */
#define S390AP_CPRBX_RSCODE 0x92 /* ccp_rscode (reply) */
#define S390AP_CPRBX_DOMAIN 0xAA /* the usage domain the request names */
/* the parameter block follows the CPRBX */
#define S390AP_CCA_PARM (S390AP_T6_HDR + S390AP_CPRBX_LEN) /* 0x134 */

/* ------------------------------------------------------------------ */
/* CCA parameter block and PKA key token (offsets from their start)    */
/* ------------------------------------------------------------------ */
#define S390AP_CCA_RULE_LEN 8 /* one rule-array keyword */
/* key identifier: block length (2) | identifier length (2) | flags (2) */
#define S390AP_PKA_KEYID_HDR 6
/* token header */
#define S390AP_PKA_TOKEN_EXTERNAL 0x1E /* byte 0 */
#define S390AP_PKA_TOKEN_LEN 0x02      /* the whole token */
#define S390AP_PKA_TOKEN_HDR 8
/* every section: id at 0, length at 2 */
#define S390AP_PKA_SEC_LEN 0x02
/* public key section */
#define S390AP_PKA_SEC_PUBLIC 0x04
#define S390AP_PKA_PUB_EXP_LEN 0x06
#define S390AP_PKA_PUB_MOD_BITS 0x08
#define S390AP_PKA_PUB_MOD_LEN 0x0A
#define S390AP_PKA_PUB_HDR 12 /* exponent, then modulus */
/* private key section, CRT form */
#define S390AP_PKA_SEC_CRT 0x08
#define S390AP_PKA_CRT_KEY_FORMAT 28
#define S390AP_PKA_CRT_CLEAR_KEY 0x40
#define S390AP_PKA_CRT_KEY_USE 50
#define S390AP_PKA_CRT_P_LEN 54 /* then q, dp, dq, u lengths (2 each) */
#define S390AP_PKA_CRT_MOD_LEN 64
#define S390AP_PKA_CRT_PAD_LEN 70
#define S390AP_PKA_CRT_HDR 132 /* p, q, dp, dq, u, padding, mod_len 0xFF */

/* ------------------------------------------------------------------ */
/* EP11 CPRB (offsets from the CPRB)                                   */
/* ------------------------------------------------------------------ */
#define S390AP_EP11_CPRB_LEN 0x20
#define S390AP_EP11_CPRB_VER_ID 0x02
#define S390AP_EP11_CPRB_VERSION 0x04
#define S390AP_EP11_CPRB_FUNC_ID 0x06 /* "T4" */
#define S390AP_EP11_CPRB_PAYLOAD_LEN 0x1C

/* ------------------------------------------------------------------ */
/* Type 86: coprocessor reply, format 2                                */
/* ------------------------------------------------------------------ */
#define S390AP_T86_FORMAT 0x02 /* S390AP_T86_FORMAT2 */
#define S390AP_T86_FORMAT2 0x02
#define S390AP_T86_CODE 0x04
#define S390AP_T86_COUNT1 0x10  /* reply CPRB + parameters */
#define S390AP_T86_OFFSET1 0x14 /* = S390AP_T86_HDR */
#define S390AP_T86_COUNT2 0x18  /* reply data */
#define S390AP_T86_OFFSET2 0x1C
#define S390AP_T86_HDR 0x30 /* the reply CPRB starts here */
/* a CCA reply's fields from the message start */
#define S390AP_T86_CCA_RTCODE (S390AP_T86_HDR + S390AP_CPRBX_RTCODE) /* 0xC0 */
#define S390AP_T86_CCA_RSCODE (S390AP_T86_HDR + S390AP_CPRBX_RSCODE) /* 0xC2 */
#define S390AP_T86_CCA_PARM (S390AP_T86_HDR + S390AP_CPRBX_LEN)      /* 0x10C */

#endif
