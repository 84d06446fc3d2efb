/* SPDX-License-Identifier: MIT */
/* Error replies (types 82, 87, 88) and the error-only engine, which answers
 * like a card that cannot process anything.  Moved here from src/ap/. */
#include <string.h>

#include "engine/engine_internal.h"

/* Error reply header (types 82, 88, 87):
 *   0      1      2..3       4           5..7
 *   +------+------+----------+-----------+--------+
 *   | 0x00 | type | reserved | reply code| 0 0 0  |
 *   +------+------+----------+-----------+--------+ */
int s390ap_error_reply(uint8_t *buf, size_t cap, uint8_t type, uint8_t reply_code)
{
	if (!buf)
		return S390AP_EINVAL;
	if (cap < S390AP_ERROR_REPLY_LEN)
		return S390AP_ENOSPC;
	memset(buf, 0, S390AP_ERROR_REPLY_LEN);
	buf[S390AP_MSG_TYPE_OFF] = type;
	buf[S390AP_ERR_CODE] = reply_code;
	return 0;
}

uint8_t eng_error_type(const s390ap_engine_request *req)
{
	/* CEX2A and CEX3A answered with type 88 */
	return (req->type == 6 || req->type == 8) ? S390AP_MSG_TYPE88 : S390AP_MSG_TYPE82;
}

int eng_reply_error(s390ap_engine_reply *rep, uint8_t type, uint8_t code)
{
	int rc = s390ap_error_reply(rep->buf, rep->cap, type, code);

	rep->len = rc < 0 ? 0 : S390AP_ERROR_REPLY_LEN;
	return rc;
}

static uint8_t request_type(s390ap_mode mode)
{
	return mode == S390AP_MODE_ACCEL ? S390AP_MSG_TYPE50 : S390AP_MSG_TYPE6;
}

/* 0x20 wrong request type for the mode, 0x23 type 50 length field wrong,
 * 0x30 otherwise.  It never echoes the request. */
static int error_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	uint8_t code = S390AP_REPLY_INVALID_COMMAND;

	(void)ctx;
	if (req->len < 2 || req->msg[1] != request_type(req->mode))
		code = S390AP_REPLY_MESSAGE_TYPE;
	else if (req->msg[1] == S390AP_MSG_TYPE50 &&
		 (req->len < 4 || be_get16(req->msg + S390AP_T50_LEN) != req->len))
		code = S390AP_REPLY_INVALID_MSG_LEN;
	return eng_reply_error(rep, eng_error_type(req), code);
}

int s390ap_error_engine(s390ap_engine *out)
{
	if (!out)
		return S390AP_EINVAL;
	*out = (s390ap_engine){ .process = error_process };
	return 0;
}
