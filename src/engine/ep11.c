/* SPDX-License-Identifier: MIT */
/* EP11 coprocessor mode (CEXnP): type 6 requests with agent "XC".  No EP11
 * function is modelled; every request gets a well-formed error reply:
 * type 82 when the type 6 message is broken, type 87 once the message has
 * reached the EP11 agent.
 *
 * Request:
 *   0x000  type 6 header (type6.c), ToCardLen1 = 32 + payload
 *   0x058  ep11_cprb (32 bytes):
 *          cprb_len 0x0020 | cprb_ver_id 0x04 | pad (2) | flags | func_id "T4"
 *          | source_id | target_id | ret_code | reserved (8) | payload_len
 *   0x078  payload: 0x30 len { 0x04 0x04 function id, 0x04 0x04 domain, ... }
 *          len = one byte < 0x80, or 0x81 n, or 0x82 nn
 *
 * Type 87 reply codes:
 *   CPRB length / version / func_id wrong           0x29
 *   payload_len != ToCardLen1 - 32                  0x23
 *   payload not 0x30 { function id, domain, ... }   0x40
 *   well-formed: no EP11 function is modelled       0x30
 */
#include "engine/engine_internal.h"

#define EP11_CPRB_LEN ((size_t)S390AP_EP11_CPRB_LEN)

/* 0x04 0x04 and four value bytes at p[*off]; advances *off. */
static bool int_item(const uint8_t *p, size_t n, size_t *off)
{
	if (*off + 6 > n || p[*off] != 0x04 || p[*off + 1] != 0x04)
		return false;
	*off += 6;
	return true;
}

/* The payload's outer sequence and its first two items. */
static bool payload_ok(const uint8_t *p, size_t n)
{
	size_t off = 2, len;

	if (n < 2 || p[0] != 0x30)
		return false;
	if (p[1] < 0x80) {
		len = p[1];
	} else if (p[1] == 0x81 && n >= 3) {
		len = p[2];
		off = 3;
	} else if (p[1] == 0x82 && n >= 4) {
		len = (size_t)be_get16(p + 2);
		off = 4;
	} else {
		return false;
	}
	if (off + len > n)
		return false;
	n = off + len;
	return int_item(p, n, &off) && int_item(p, n, &off);
}

int eng_ep11_process(struct eng_ctx *e, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct eng_t6 t6;
	const uint8_t *cprb;
	uint8_t code;

	(void)e;
	code = eng_t6_parse(req, "XC", EP11_CPRB_LEN, &t6);
	if (code)
		return eng_reply_error(rep, eng_error_type(req), code);
	cprb = t6.cprb;
	if (be_get16(cprb) != EP11_CPRB_LEN ||
	    cprb[S390AP_EP11_CPRB_VER_ID] != S390AP_EP11_CPRB_VERSION ||
	    cprb[S390AP_EP11_CPRB_FUNC_ID] != 'T' || cprb[S390AP_EP11_CPRB_FUNC_ID + 1] != '4')
		code = S390AP_REPLY_FORMAT_FIELD;
	else if (be_get32(cprb + S390AP_EP11_CPRB_PAYLOAD_LEN) != t6.cprb_area - EP11_CPRB_LEN)
		code = S390AP_REPLY_INVALID_MSG_LEN;
	else if (!payload_ok(cprb + EP11_CPRB_LEN, t6.cprb_area - EP11_CPRB_LEN))
		code = S390AP_REPLY_MALFORMED_MSG;
	else
		code = S390AP_REPLY_INVALID_COMMAND;
	return eng_reply_error(rep, S390AP_MSG_TYPE87, code);
}
