/* SPDX-License-Identifier: MIT */
/* The type 6 request header (coprocessor modes) and the type 86 reply
 * header, shared by the CCA and EP11 engines.
 *
 * Type 6 header (0x58 bytes):
 *   0x00  0x00 | 0x06 | reserved, right, apfs ... (14 bytes, zero)
 *   0x10  offset1 = 0x58 | offset2 | offset3 = 0 | offset4 = 0
 *   0x20  agent_id (16): "CA" CCA, "XC" EP11
 *   0x30  rqid (2) | reserved5 (2) | function_code (2) | reserved6 (2)
 *   0x38  ToCardLen1..4  (CPRB + parameters, request data, 0, 0)
 *   0x48  FromCardLen1..4 (reply CPRB + parameters, reply data, 0, 0)
 *   0x58  CPRB (at offset1), padded to 4; data block at offset2
 *
 * Type 86 header + format-2 extension (0x30 bytes):
 *   0x00  0x00 | 0x86 | format 0x02 | 0 | reply code | reserved (7)
 *   0x0C  apfs | count1 | offset1 = 0x30 | count2 | offset2 | 0 ...
 *   0x30  reply CPRB (count1 bytes with its parameters), then data
 */
#include <string.h>

#include "engine/engine_internal.h"
#include "util/array.h"

/* The third and fourth offset, to-card and from-card words: unused, zero. */
static const uint8_t unused_words[] = {
	S390AP_T6_OFFSET3, S390AP_T6_OFFSET4,   S390AP_T6_TOCARD3,
	S390AP_T6_TOCARD4, S390AP_T6_FROMCARD3, S390AP_T6_FROMCARD4,
};

uint8_t eng_t6_parse(const s390ap_engine_request *req, const char agent[2], size_t min_cprb,
		     struct eng_t6 *t)
{
	const uint8_t *msg = req->msg;
	uint64_t tcl1, tcl2, ceil1;

	memset(t, 0, sizeof(*t));
	if (req->len < 2 || msg[1] != S390AP_MSG_TYPE6)
		return S390AP_REPLY_MESSAGE_TYPE;
	if (req->len < ENG_T6_HDR)
		return S390AP_REPLY_INVALID_MSG_LEN;
	if (msg[0] != 0 || !mem_all_zero(msg + 2, 14))
		return S390AP_REPLY_RESERVED_FIELD;
	for (size_t i = 0; i < ARRAY_SIZE(unused_words); i++) {
		if (be_get32(msg + unused_words[i]))
			return S390AP_REPLY_RESERVED_FIELD;
	}
	if (be_get32(msg + S390AP_T6_OFFSET1) != ENG_T6_HDR)
		return S390AP_REPLY_FORMAT_FIELD;
	if (memcmp(msg + S390AP_T6_AGENT, agent, 2) != 0)
		return S390AP_REPLY_MESSAGE_TYPE;

	/* NQAP length = 0x58 + CPRB area (padded to 4 when data follows, or
	 * when the sender padded it) + data block */
	tcl1 = be_get32(msg + S390AP_T6_TOCARD1);
	tcl2 = be_get32(msg + S390AP_T6_TOCARD2);
	ceil1 = (tcl1 + 3u) & ~(uint64_t)3u;
	if (tcl1 < min_cprb)
		return S390AP_REPLY_INVALID_MSG_LEN;
	if (tcl2 == 0) {
		if (req->len != ENG_T6_HDR + tcl1 && req->len != ENG_T6_HDR + ceil1)
			return S390AP_REPLY_INVALID_MSG_LEN;
	} else {
		if (req->len != ENG_T6_HDR + ceil1 + tcl2 ||
		    be_get32(msg + S390AP_T6_OFFSET2) != ENG_T6_HDR + ceil1)
			return S390AP_REPLY_INVALID_MSG_LEN;
		t->data = msg + ENG_T6_HDR + ceil1;
		t->data_len = (size_t)tcl2;
	}
	t->from1 = be_get32(msg + S390AP_T6_FROMCARD1);
	t->from2 = be_get32(msg + S390AP_T6_FROMCARD2);
	if (t->from1 < min_cprb)
		return S390AP_REPLY_INVALID_MSG_LEN;
	t->cprb = msg + ENG_T6_HDR;
	t->cprb_area = (size_t)tcl1;
	t->function_code = be_get16(msg + S390AP_T6_FUNCTION_CODE);
	return 0;
}

void eng_t86_header(uint8_t *buf, uint32_t count1, uint32_t count2, uint32_t offset2)
{
	memset(buf, 0, ENG_T86_HDR);
	buf[S390AP_MSG_TYPE_OFF] = S390AP_MSG_TYPE86;
	buf[S390AP_T86_FORMAT] = S390AP_T86_FORMAT2;
	be_put32(buf + S390AP_T86_COUNT1, count1);
	be_put32(buf + S390AP_T86_OFFSET1, ENG_T86_HDR);
	be_put32(buf + S390AP_T86_COUNT2, count2);
	be_put32(buf + S390AP_T86_OFFSET2, count2 ? offset2 : 0);
}
