/* The default message engine: answers like a card that cannot process the
 * request, with a well-formed error reply.  Real engines plug in through
 * s390ap_adapter_set_engine. */
#include <string.h>

#include "ap/ap_internal.h"

#define RC_MESSAGE_TYPE 0x20
#define RC_INVALID_MSG_LEN 0x23
#define RC_INVALID_COMMAND 0x30 /* well-formed, but not implemented here */

/* Error reply header (types 82, 88, 87):
 *   0      1      2..3       4           5..7
 *   +------+------+----------+-----------+--------+
 *   | 0x00 | type | reserved | reply code| 0 0 0  |
 *   +------+------+----------+-----------+--------+ */
size_t s390ap_error_reply(uint8_t *buf, size_t cap, uint8_t type, uint8_t reply_code)
{
	if (!buf || cap < 8)
		return 0;
	memset(buf, 0, 8);
	buf[1] = type;
	buf[4] = reply_code;
	return 8;
}

static uint8_t request_type(s390ap_mode mode)
{
	return mode == S390AP_MODE_ACCEL ? 0x50 : 0x06;
}

int ap_engine_default_process(void *ctx, const s390ap_engine_request *req,
			      s390ap_engine_reply *rep)
{
	/* CEX2A and CEX3A answered with type 88 */
	uint8_t type = (req->type == 6 || req->type == 8) ? 0x88 : 0x82;
	uint8_t code = RC_INVALID_COMMAND;

	(void)ctx;
	if (req->len < 2 || req->msg[1] != request_type(req->mode))
		code = RC_MESSAGE_TYPE;
	else if (req->msg[1] == 0x50 &&
		 (req->len < 4 || ((size_t)req->msg[2] << 8 | req->msg[3]) != req->len))
		code = RC_INVALID_MSG_LEN;
	rep->len = s390ap_error_reply(rep->buf, rep->cap, type, code);
	return rep->len ? 0 : S390AP_ENOSPC;
}

s390ap_engine s390ap_default_engine(void)
{
	return (s390ap_engine){ .process = ap_engine_default_process };
}
