/* SPDX-License-Identifier: MIT */
/* apsim: the AP reply at a storage address (`print reply`, `expect reply`),
 * decoded by the layouts of s390ap/msgfmt.h (docs/engines.md).  Every
 * length in the reply is checked against the bytes read before it is used:
 * the reply is guest storage, anything may be there.  `result` compares big
 * numbers with OpenSSL's BN; `modexp B E M` is computed when the line runs.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "s390ap/msgfmt.h"
#include "scn.h"
#include "util/be.h"

/* Bytes read for a reply: a type 80 length field is below 64 KiB, and
 * type 86 replies of the modelled functions are far shorter. */
#define REPLY_READ_MAX (64u * 1024 + 0x200)

/* Type 86 offsets (s390ap/msgfmt.h). */
#define R86_CPRB ((size_t)S390AP_T86_HDR)
#define R86_VUD ((size_t)S390AP_T86_CCA_PARM + 4) /* after subfunction and rule length */
#define CPRBX_LEN ((size_t)S390AP_CPRBX_LEN)

const char *const scn_reply_fields[] = {
	"type", "code", "length", "rc", "rs", "data-length", "result", NULL,
};

enum { RF_TYPE, RF_CODE, RF_LENGTH, RF_RC, RF_RS, RF_DATA_LENGTH, RF_RESULT };

struct reply {
	uint64_t addr;
	uint8_t *b; /* the bytes read */
	size_t n;
	uint8_t type, code;
	bool has_length;
	uint64_t length; /* as the header gives it */
	bool t86;        /* a type 86 header is there */
	bool cca;        /* ... with a CCA CPRBX at 0x30 */
	unsigned rc, rs;
	uint64_t count2, offset2;
	const uint8_t *result; /* NULL: none, and why */
	size_t result_len;
	char no_result[160];
};

/* Reply code names (Linux zcrypt_error.h, include/s390ap/engine.h). */
static const struct {
	uint8_t code;
	const char *name;
} code_names[] = {
	{ S390AP_REPLY_MACHINE_FAILURE, "MACHINE_FAILURE" },
	{ S390AP_REPLY_MESSAGE_TYPE, "MESSAGE_TYPE" },
	{ S390AP_REPLY_INVALID_MSG_LEN, "INVALID_MSG_LEN" },
	{ S390AP_REPLY_RESERVED_FIELD, "RESERVED_FIELD" },
	{ S390AP_REPLY_FORMAT_FIELD, "FORMAT_FIELD" },
	{ S390AP_REPLY_INVALID_COMMAND, "INVALID_COMMAND" },
	{ S390AP_REPLY_MALFORMED_MSG, "MALFORMED_MSG" },
	{ S390AP_REPLY_MESSAGE_LENGTH, "MESSAGE_LENGTH" },
	{ S390AP_REPLY_OPERAND_INVALID, "OPERAND_INVALID" },
	{ S390AP_REPLY_OPERAND_SIZE, "OPERAND_SIZE" },
	{ S390AP_REPLY_EVEN_MODULUS, "EVEN_MOD_IN_OPND" },
};

static const char *code_name(uint8_t code)
{
	for (size_t k = 0; k < ARRAY_SIZE(code_names); k++)
		if (code_names[k].code == code)
			return code_names[k].name;
	return NULL;
}

/* Why the reply has no result (or the field asked for). */
static void no_result(struct reply *r, const char *fmt, ...) SCN_PRINTF(2, 3);

static void no_result(struct reply *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->no_result, sizeof(r->no_result), fmt, ap);
	va_end(ap);
}

static void decode_80(struct reply *r)
{
	uint32_t len;

	if (r->n < S390AP_T80_HDR) {
		no_result(r, "its 16-byte header runs past the end of storage");
		return;
	}
	len = be_get16(r->b + S390AP_T80_LEN);
	r->has_length = true;
	r->length = len;
	if (len < S390AP_T80_HDR)
		no_result(r, "its length field 0x%" PRIx32 " is shorter than its header", len);
	else if (len > r->n)
		no_result(r, "its length field 0x%" PRIx32 " runs past the end of storage", len);
	else if (len == S390AP_T80_HDR)
		no_result(r, "it has no result bytes");
	else {
		r->result = r->b + S390AP_T80_HDR;
		r->result_len = len - S390AP_T80_HDR;
	}
}

static void decode_86(struct reply *r)
{
	uint64_t count1, offset1, vud;

	if (r->n < R86_CPRB) {
		no_result(r, "its 0x30-byte header runs past the end of storage");
		return;
	}
	r->t86 = true;
	count1 = be_get32(r->b + S390AP_T86_COUNT1);
	offset1 = be_get32(r->b + S390AP_T86_OFFSET1);
	r->count2 = be_get32(r->b + S390AP_T86_COUNT2);
	r->offset2 = be_get32(r->b + S390AP_T86_OFFSET2);
	r->has_length = true;
	r->length = r->count2 ? r->offset2 + r->count2 : offset1 + count1;
	if (offset1 != R86_CPRB || count1 < CPRBX_LEN || R86_CPRB + count1 > r->n ||
	    r->b[R86_CPRB + S390AP_CPRBX_VER_ID] != S390AP_CPRBX_VERSION) {
		no_result(r,
			  "it has no CCA CPRBX at 0x30 (offset1 0x%" PRIx64 ", count1 0x%" PRIx64
			  ")",
			  offset1, count1);
		return;
	}
	r->cca = true;
	r->rc = be_get16(r->b + S390AP_T86_CCA_RTCODE);
	r->rs = be_get16(r->b + S390AP_T86_CCA_RSCODE);
	if (count1 < CPRBX_LEN + 6) {
		no_result(r, "it has no parameter block");
		return;
	}
	vud = be_get16(r->b + R86_VUD);
	if (vud < 2 || R86_VUD + vud > R86_CPRB + count1)
		no_result(r, "its VUD length 0x%" PRIx64 " does not fit its parameter block", vud);
	else if (vud == 2)
		no_result(r, "its VUD is empty (rc %u, rs %u)", r->rc, r->rs);
	else {
		r->result = r->b + R86_VUD + 2;
		r->result_len = vud - 2;
	}
}

/* Read and decode the reply at addr; a scenario error when addr is not in
 * storage or fewer than 8 bytes are.  Free r->b afterwards. */
static int reply_read(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t addr, struct reply *r)
{
	uint64_t size = s390ap_mem_size(s390ap_sys_mem(x->sys));

	memset(r, 0, sizeof(*r));
	r->addr = addr;
	if (addr > size || size - addr < S390AP_ERR_LEN)
		return scn_error(x, c->a[0].pos,
				 "no reply fits at 0x%" PRIx64 " (storage has 0x%" PRIx64 " bytes)",
				 addr, size);
	r->n = size - addr < REPLY_READ_MAX ? (size_t)(size - addr) : REPLY_READ_MAX;
	r->b = malloc(r->n);
	if (!r->b)
		return scn_error(x, c->pos, "out of memory");
	if (s390ap_storage_read(s390ap_sys_storage(x->sys), addr, r->b, r->n) < 0) {
		free(r->b);
		r->b = NULL;
		return scn_error(x, c->a[0].pos, "cannot read storage at 0x%" PRIx64, addr);
	}
	r->type = r->b[S390AP_MSG_TYPE_OFF];
	r->code = r->b[S390AP_ERR_CODE]; /* = S390AP_T80_CODE, S390AP_T86_CODE */
	switch (r->type) {
	case S390AP_MSG_TYPE80:
		decode_80(r);
		break;
	case S390AP_MSG_TYPE86:
		decode_86(r);
		break;
	case S390AP_MSG_TYPE82:
	case S390AP_MSG_TYPE87:
	case S390AP_MSG_TYPE88:
		r->has_length = true;
		r->length = S390AP_ERR_LEN;
		no_result(r, "it is an error reply (type %02x, code 0x%02x)", r->type, r->code);
		break;
	default:
		no_result(r, "it is not a reply (byte 1 is 0x%02x, no reply type)", r->type);
		break;
	}
	return 0;
}

/* ---- print reply ADDR ---- */

int scn_reply_print(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct reply r;
	char hex[96];
	const char *name;

	if (reply_read(x, c, c->a[0].v, &r) < 0)
		return -1;
	fprintf(x->out, "reply at 0x%" PRIx64 ": ", r.addr);
	switch (r.type) {
	case S390AP_MSG_TYPE80:
	case S390AP_MSG_TYPE86:
		fprintf(x->out, "type %02x", r.type);
		if (r.has_length)
			fprintf(x->out, ", 0x%" PRIx64 " bytes", r.length);
		if (r.code && r.type == S390AP_MSG_TYPE86)
			fprintf(x->out, ", code 0x%02x", r.code);
		if (r.cca)
			fprintf(x->out, ", rc %u rs %u", r.rc, r.rs);
		if (r.result)
			fprintf(x->out, ", result %s",
				scn_hex_text(r.result, r.result_len, hex, sizeof(hex)));
		if (r.count2)
			fprintf(x->out, ", %" PRIu64 " data bytes at 0x%" PRIx64, r.count2,
				r.addr + r.offset2);
		if (r.type == S390AP_MSG_TYPE80 ? !r.result : !r.cca)
			fprintf(x->out, ": %s", r.no_result);
		fputc('\n', x->out);
		break;
	case S390AP_MSG_TYPE82:
	case S390AP_MSG_TYPE87:
	case S390AP_MSG_TYPE88:
		name = code_name(r.code);
		fprintf(x->out, "type %02x, code 0x%02x%s%s%s\n", r.type, r.code, name ? " (" : "",
			name ? name : "", name ? ")" : "");
		break;
	default:
		fprintf(x->out, "%s\n", r.no_result);
		break;
	}
	free(r.b);
	return 0;
}

/* ---- expect reply ADDR FIELD OP VALUE ---- */

/* The value after OP: a number up to the field's size, or for `result` a
 * big number or modexp B E M (c->big; the modulus' place in a[slot]). */
int scn_reply_value(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const uint64_t max[] = { 0xff, 0xff, UINT64_MAX, 0xffff, 0xffff, UINT64_MAX };
	static const char *const what[] = { "the base", "the exponent", "the modulus" };
	uint64_t field = c->a[slot - 2].v;
	unsigned n;

	if (field != RF_RESULT) {
		struct scn_arg a = SCN_NUM(0, max[field], "a value");

		return scn_parse_arg(p, c, &a, slot);
	}
	n = scn_p_accept(p, "modexp") ? 3 : 1;
	if (scn_cmd_bigs(p, c, n) < 0)
		return -1;
	for (unsigned k = 0; k < n; k++) {
		struct scn_arg a =
			SCN_BIG(n == 1 ? "the expected result (or modexp B E M)" : what[k]);

		if (scn_parse_arg(p, c, &a, slot) < 0)
			return -1;
		c->big[k] = p->big[slot];
	}
	return 0;
}

/* The expected value of a result expectation into want (SCN_BIG_MAX bytes). */
static int expected_result(struct apsim_ctx *x, const struct scn_cmd *c, BN_CTX *ctx, BIGNUM *want)
{
	BIGNUM *e, *m;

	if (!BN_bin2bn(c->big[0].b, (int)c->big[0].len, want))
		return scn_error(x, c->pos, "out of memory");
	if (c->nbig == 1)
		return 0;
	e = BN_CTX_get(ctx);
	m = BN_CTX_get(ctx);
	if (!m || !BN_bin2bn(c->big[1].b, (int)c->big[1].len, e) ||
	    !BN_bin2bn(c->big[2].b, (int)c->big[2].len, m))
		return scn_error(x, c->pos, "out of memory");
	if (BN_is_zero(m))
		return scn_error(x, c->a[3].pos, "modexp: the modulus is 0");
	if (!BN_mod_exp(want, want, e, m, ctx))
		return scn_error(x, c->pos, "modexp failed (out of memory)");
	return 0;
}

static int expect_result(struct apsim_ctx *x, const struct scn_cmd *c, const struct reply *r)
{
	uint8_t wantb[SCN_BIG_MAX];
	char got_hex[96], want_hex[96];
	BN_CTX *ctx;
	BIGNUM *got, *want;
	enum scn_cmp cmp = (enum scn_cmp)c->a[2].v;
	int rc = -1, order, n;

	ctx = BN_CTX_new();
	if (!ctx)
		return scn_error(x, c->pos, "out of memory");
	BN_CTX_start(ctx);
	got = BN_CTX_get(ctx);
	want = BN_CTX_get(ctx);
	if (!want) {
		scn_error(x, c->pos, "out of memory");
		goto out;
	}
	/* the expected value first: its errors do not depend on the reply */
	if (expected_result(x, c, ctx, want) < 0)
		goto out;
	if (!r->result) {
		rc = scn_expect_failed(x, c, "the reply at 0x%" PRIx64 " has no result: %s",
				       r->addr, r->no_result);
		goto out;
	}
	if (!BN_bin2bn(r->result, (int)r->result_len, got)) {
		scn_error(x, c->pos, "out of memory");
		goto out;
	}
	order = BN_cmp(got, want); /* -1, 0, 1 */
	if (scn_cmp_eval(cmp, (uint64_t)(order + 1), 1)) {
		x->passed++;
		rc = 0;
		goto out;
	}
	n = BN_bn2binpad(want, wantb, (int)sizeof(wantb)); /* want < M <= 4096 bits */
	rc = scn_expect_failed(x, c, "the result is %s, expected %s %s",
			       scn_hex_text(r->result, r->result_len, got_hex, sizeof(got_hex)),
			       scn_cmp_text(cmp),
			       n < 0 ? "(a number over 4096 bits)"
				     : scn_hex_text(wantb, (size_t)n, want_hex, sizeof(want_hex)));
out:
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return rc;
}

int scn_reply_expect(struct apsim_ctx *x, struct scn_cmd *c)
{
	unsigned field = (unsigned)c->a[1].v;
	const char *name = scn_reply_fields[field];
	struct reply r;
	char what[64];
	int rc;

	if (reply_read(x, c, c->a[0].v, &r) < 0)
		return -1;
	/* by field: whether the reply has it, and its value */
	const bool have[] = { true, true, r.has_length, r.cca, r.cca, r.t86 };
	const uint64_t value[] = { r.type, r.code, r.length, r.rc, r.rs, r.count2 };

	snprintf(what, sizeof(what), "the reply's %s", name);
	if (field == RF_RESULT)
		rc = expect_result(x, c, &r);
	else if (have[field])
		rc = scn_check(x, c, what, value[field]);
	else if (field == RF_LENGTH)
		rc = scn_expect_failed(x, c, "the reply at 0x%" PRIx64 " has no length: %s", r.addr,
				       r.no_result);
	else if (r.type == S390AP_MSG_TYPE86)
		rc = scn_expect_failed(x, c, "the type 86 reply at 0x%" PRIx64 " has no %s: %s",
				       r.addr, name, r.no_result);
	else
		rc = scn_expect_failed(x, c,
				       "the reply at 0x%" PRIx64 " is type %02x, not a %stype "
				       "86 reply",
				       r.addr, r.type, field == RF_DATA_LENGTH ? "" : "CCA ");
	free(r.b);
	return rc;
}
