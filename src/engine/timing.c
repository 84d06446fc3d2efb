/* SPDX-License-Identifier: MIT */
/* The engines' latency model: cycles from the last request byte to the
 * reply becoming ready.  The numbers and the formula are documented in
 * docs/engines.md; they are a model, not measurements.
 *
 *   latency = base(mode) * gen(type)                    (the adapter's latency)
 *           + unit(mode, op) * gen(type) * size(op, bytes)  (the operation)
 *
 *   gen(type)       = (100 + 25 * (CEX8 - type)) / 100    CEX8 1.0 ... CEX4 2.0
 *   size(RSA, b)    = (b / 128)^3                         1024-bit 1, 2048 8, 4096 64
 *   size(RNG, b)    = b
 *
 * CCA "PK" / "PD" scale the RSA term by the exponent's significant bits over
 * the modulus' bits (eng_rsa_cycles): the work of square-and-multiply grows
 * with the exponent, so a long exponent costs the guest, not the host.
 */
#include "engine/engine_internal.h"

#define BASE_ACCEL 2000u
#define BASE_CCA 20000u
#define BASE_EP11 30000u

/* cycles per 128-byte cube of modulus */
#define UNIT_ME_ACCEL 4000u
#define UNIT_CRT_ACCEL 1200u
#define UNIT_ME_COPROC 8000u
#define UNIT_CRT_COPROC 2500u
/* cycles per random byte */
#define UNIT_RNG 2u

#define RSA_MAX_BYTES 4096u /* operand sizes above count as this */
#define RNG_MAX_BYTES 0x100000000ull

static unsigned gen_pct(uint8_t type)
{
	if (type < S390AP_TYPE_CEX4)
		type = S390AP_TYPE_CEX4;
	if (type > S390AP_TYPE_CEX8)
		type = S390AP_TYPE_CEX8;
	return 100u + 25u * (unsigned)(S390AP_TYPE_CEX8 - type);
}

static uint64_t base_cycles(s390ap_mode mode)
{
	switch (mode) {
	case S390AP_MODE_CCA:
		return BASE_CCA;
	case S390AP_MODE_EP11:
		return BASE_EP11;
	case S390AP_MODE_ACCEL:
	default:
		return BASE_ACCEL;
	}
}

static uint64_t unit_cycles(s390ap_mode mode, s390ap_engine_op op)
{
	bool accel = mode == S390AP_MODE_ACCEL;

	switch (op) {
	case S390AP_ENGINE_OP_RSA_ME:
		return accel ? UNIT_ME_ACCEL : UNIT_ME_COPROC;
	case S390AP_ENGINE_OP_RSA_CRT:
		return accel ? UNIT_CRT_ACCEL : UNIT_CRT_COPROC;
	case S390AP_ENGINE_OP_RNG:
		return UNIT_RNG;
	case S390AP_ENGINE_OP_NONE:
	default:
		return 0;
	}
}

uint64_t eng_op_cycles(uint8_t type, s390ap_mode mode, s390ap_engine_op op, size_t operand_bytes)
{
	uint64_t unit = unit_cycles(mode, op), b = operand_bytes;

	if (unit == 0)
		return 0;
	if (op == S390AP_ENGINE_OP_RNG) {
		if (b > RNG_MAX_BYTES)
			b = RNG_MAX_BYTES;
		return unit * gen_pct(type) * b / 100u;
	}
	if (b > RSA_MAX_BYTES)
		b = RSA_MAX_BYTES;
	/* at most 8000 * 200 * 4096^3 < 2^57 */
	return unit * gen_pct(type) * b * b * b / (100u * 128u * 128u * 128u);
}

uint64_t eng_rsa_cycles(uint8_t type, s390ap_mode mode, s390ap_engine_op op, size_t mod_bytes,
			size_t exp_bits)
{
	uint64_t full = eng_op_cycles(type, mode, op, mod_bytes), b = mod_bytes;

	if (op != S390AP_ENGINE_OP_RSA_ME && op != S390AP_ENGINE_OP_RSA_CRT)
		return full;
	if (b == 0)
		return 0;
	if (b > RSA_MAX_BYTES)
		b = RSA_MAX_BYTES;
	/* full < 2^30, so this cap keeps the product far from 2^64 */
	if (exp_bits > 2u * 8u * b)
		exp_bits = 2u * 8u * b;
	return full * exp_bits / (8u * b);
}

uint64_t s390ap_engine_rsa_latency(uint8_t type, s390ap_mode mode, s390ap_engine_op op,
				   size_t mod_bytes, size_t exp_bits)
{
	return base_cycles(mode) * gen_pct(type) / 100u +
	       eng_rsa_cycles(type, mode, op, mod_bytes, exp_bits);
}

uint64_t s390ap_engine_latency(uint8_t type, s390ap_mode mode, s390ap_engine_op op,
			       size_t operand_bytes)
{
	return base_cycles(mode) * gen_pct(type) / 100u +
	       eng_op_cycles(type, mode, op, operand_bytes);
}

static void add_latency(s390ap_engine_reply *rep, uint64_t extra)
{
	rep->latency = extra > UINT64_MAX - rep->latency ? UINT64_MAX : rep->latency + extra;
}

void eng_charge(const s390ap_engine_request *req, s390ap_engine_reply *rep, s390ap_engine_op op,
		size_t operand_bytes)
{
	add_latency(rep, eng_op_cycles(req->type, req->mode, op, operand_bytes));
}

void eng_charge_exp(const s390ap_engine_request *req, s390ap_engine_reply *rep, s390ap_engine_op op,
		    size_t mod_bytes, size_t exp_bits)
{
	add_latency(rep, eng_rsa_cycles(req->type, req->mode, op, mod_bytes, exp_bits));
}

size_t eng_num_bits(struct eng_num n)
{
	size_t i = 0;
	unsigned top;

	while (i < n.len && n.p[i] == 0)
		i++;
	if (i == n.len)
		return 0;
	top = 0;
	for (unsigned v = n.p[i]; v; v >>= 1)
		top++;
	return (n.len - i - 1) * 8u + top;
}
