/* SPDX-License-Identifier: MIT */
/* Accelerator mode (CEXnA): type 50 RSA requests, type 80 replies.
 *
 * Type 50 request:
 *   0x00  0x00 | 0x50 | msg_len (2) | rsvd | ignored | rsvd (2)
 *   0x08  keyblock_type (2) | reserved (6)
 *   0x10  key block:
 *         MEB1/2/3 (0x0001..3):  exponent | modulus | message      (F bytes each)
 *         CRB1/2/3 (0x0011..3):  p | q | dp | dq | u  (F/2 each) | message (F)
 *   F = 128, 256, 512; every number right-aligned in its field.
 *
 * Type 80 reply:
 *   0x00  0x00 | 0x80 | len (2) = 16 + F | code 0 | reserved (11)
 *   0x10  result, right-aligned in F bytes
 *
 * Checks, first match wins (reply type 82, docs/engines.md):
 *   byte 1 not 0x50                                   0x20
 *   shorter than 16 bytes, msg_len != NQAP length     0x23
 *   bytes 0, 4, 6, 7, 0x0A..0x0F not zero             0x24
 *   unknown keyblock_type                             0x29
 *   length not the key block's total                  0x80
 *   MEB3 without the M, CRB3 without the C facility   0x84
 *   zero modulus / p / q, message >= modulus (p q)    0x82
 *   even modulus / p / q                              0x85
 */
#include <string.h>

#include "engine/engine_internal.h"
#include "util/array.h"

#define T50_HDR ((size_t)S390AP_T50_HDR)
#define T80_HDR ((size_t)S390AP_T80_HDR)

struct t50_block {
	uint16_t kb_type;
	bool crt;
	size_t field;    /* F */
	size_t total;    /* msg_len of the whole request */
	uint32_t fac_4k; /* facility bit needed, 0 if none */
};

static const struct t50_block blocks[] = {
	{ S390AP_T50_MEB1, false, 128, 0x190, 0 },
	{ S390AP_T50_MEB2, false, 256, 0x310, 0 },
	{ S390AP_T50_MEB3, false, 512, 0x610, S390AP_TAPQ_FAC_MEX4K },
	{ S390AP_T50_CRB1, true, 128, 0x1D0, 0 },
	{ S390AP_T50_CRB2, true, 256, 0x390, 0 },
	{ S390AP_T50_CRB3, true, 512, 0x710, S390AP_TAPQ_FAC_CRT4K },
};

static const struct t50_block *find_block(uint16_t kb_type)
{
	for (size_t i = 0; i < ARRAY_SIZE(blocks); i++)
		if (blocks[i].kb_type == kb_type)
			return &blocks[i];
	return NULL;
}

static bool reserved_clear(const uint8_t *msg)
{
	/* byte 5 is "ignored", not reserved */
	return msg[0] == 0 && msg[4] == 0 && msg[6] == 0 && msg[7] == 0 &&
	       mem_all_zero(msg + 0x0A, 6);
}

static uint8_t operand_code(int status)
{
	switch (status) {
	case ENG_RSA_EVEN:
		return S390AP_REPLY_EVEN_MODULUS;
	case ENG_RSA_TOO_BIG:
		return S390AP_REPLY_OPERAND_SIZE;
	case ENG_RSA_ZERO:
	case ENG_RSA_RANGE:
	default:
		return S390AP_REPLY_OPERAND_INVALID;
	}
}

static struct eng_num field(const uint8_t *msg, size_t off, size_t len)
{
	return (struct eng_num){ msg + off, len };
}

/* Compute the key block's result right-aligned into out (F bytes). */
static int compute(struct eng_ctx *e, const struct t50_block *b, const uint8_t *msg, uint8_t *out)
{
	const uint8_t *kb = msg + T50_HDR;
	size_t f = b->field, h = f / 2;

	if (!b->crt)
		return eng_rsa_me(e->bn, field(kb, 0, f), field(kb, f, f), field(kb, 2 * f, f),
				  e->opts.reduce_input, out, f);
	struct eng_crt_key k = {
		.p = field(kb, 0, h),
		.q = field(kb, h, h),
		.dp = field(kb, 2 * h, h),
		.dq = field(kb, 3 * h, h),
		.u = field(kb, 4 * h, h),
	};
	return eng_rsa_crt(e->bn, &k, field(kb, 5 * h, f), e->opts.reduce_input, out, f);
}

int eng_accel_process(struct eng_ctx *e, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	const uint8_t *msg = req->msg;
	uint8_t etype = eng_error_type(req);
	const struct t50_block *b;
	int rc;

	if (req->len < 2 || msg[1] != S390AP_MSG_TYPE50)
		return eng_reply_error(rep, etype, S390AP_REPLY_MESSAGE_TYPE);
	if (req->len < T50_HDR || be_get16(msg + S390AP_T50_LEN) != req->len)
		return eng_reply_error(rep, etype, S390AP_REPLY_INVALID_MSG_LEN);
	if (!reserved_clear(msg))
		return eng_reply_error(rep, etype, S390AP_REPLY_RESERVED_FIELD);
	b = find_block(be_get16(msg + S390AP_T50_KB_TYPE));
	if (!b)
		return eng_reply_error(rep, etype, S390AP_REPLY_FORMAT_FIELD);
	if (req->len != b->total)
		return eng_reply_error(rep, etype, S390AP_REPLY_MESSAGE_LENGTH);
	if (b->fac_4k && !(req->fac & b->fac_4k))
		return eng_reply_error(rep, etype, S390AP_REPLY_OPERAND_SIZE);
	if (rep->cap < T80_HDR + b->field)
		return S390AP_ENOSPC;

	rc = compute(e, b, msg, rep->buf + T80_HDR);
	if (rc < 0)
		return rc;
	if (rc != ENG_RSA_OK)
		return eng_reply_error(rep, etype, operand_code(rc));

	memset(rep->buf, 0, T80_HDR);
	rep->buf[1] = S390AP_MSG_TYPE80;
	be_put16(rep->buf + S390AP_T80_LEN, (uint16_t)(T80_HDR + b->field));
	rep->len = T80_HDR + b->field;
	eng_charge(req, rep, b->crt ? S390AP_ENGINE_OP_RSA_CRT : S390AP_ENGINE_OP_RSA_ME, b->field);
	return 0;
}
