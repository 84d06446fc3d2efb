/* SPDX-License-Identifier: MIT */
/* The crypto engine: one per adapter, dispatching on the mode the request
 * carries (accelerator: accel.c, CCA: cca.c, EP11: ep11.c).  It holds no
 * global state: its BN_CTX and random-number state live in its context and
 * are freed by destroy. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/opts.h"

static int crypto_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct eng_ctx *e = ctx;

	if (!e || !req || !rep || !rep->buf || (!req->msg && req->len))
		return S390AP_EINVAL;
	switch (req->mode) {
	case S390AP_MODE_ACCEL:
		return eng_accel_process(e, req, rep);
	case S390AP_MODE_CCA:
		return eng_cca_process(e, req, rep);
	case S390AP_MODE_EP11:
		return eng_ep11_process(e, req, rep);
	}
	return eng_reply_error(rep, eng_error_type(req), S390AP_REPLY_MESSAGE_TYPE);
}

static void crypto_destroy(void *ctx)
{
	struct eng_ctx *e = ctx;

	if (!e)
		return;
	BN_CTX_free(e->bn);
	eng_rng_free(&e->rng);
	free(e);
}

/* Saved state (docs/state-format.md, "Crypto engine state"):
 *   0  "CRYP"   4  version 1   5  flags (1 rng_os, 2 reduce_input)
 *   6  u64 rng_seed   14  u64 keystream bytes used      22 bytes */
#define CRYPTO_STATE_LEN 22u
#define CRYPTO_STATE_VERSION 1u
#define CRYPTO_FLAG_RNG_OS 1u
#define CRYPTO_FLAG_REDUCE 2u

static int crypto_save(void *ctx, uint8_t *buf, size_t cap, size_t *len)
{
	const struct eng_ctx *e = ctx;

	if (!e || !len)
		return S390AP_EINVAL;
	*len = CRYPTO_STATE_LEN;
	if (!buf || cap < CRYPTO_STATE_LEN)
		return S390AP_ENOSPC;
	memcpy(buf, "CRYP", 4);
	buf[4] = CRYPTO_STATE_VERSION;
	buf[5] = (uint8_t)((e->opts.rng_os ? CRYPTO_FLAG_RNG_OS : 0u) |
			   (e->opts.reduce_input ? CRYPTO_FLAG_REDUCE : 0u));
	be_put64(buf + 6, e->opts.rng_seed);
	be_put64(buf + 14, e->rng.os ? 0 : e->rng.pos);
	return 0;
}

/* A new random-number state first: the engine changes only on success. */
static int crypto_restore(void *ctx, const uint8_t *buf, size_t len)
{
	struct eng_ctx *e = ctx;
	struct eng_rng rng;
	uint64_t seed, pos;
	bool os;
	int rc;

	if (!e || !buf || len != CRYPTO_STATE_LEN || memcmp(buf, "CRYP", 4) != 0 ||
	    buf[4] != CRYPTO_STATE_VERSION || (buf[5] & ~(CRYPTO_FLAG_RNG_OS | CRYPTO_FLAG_REDUCE)))
		return S390AP_EINVAL;
	os = (buf[5] & CRYPTO_FLAG_RNG_OS) != 0;
	seed = be_get64(buf + 6);
	pos = be_get64(buf + 14);
	if (seed == 0 || (os && pos != 0))
		return S390AP_EINVAL;
	rc = eng_rng_init_at(&rng, seed, os, pos);
	if (rc < 0)
		return rc;
	eng_rng_free(&e->rng);
	e->rng = rng;
	e->opts.rng_seed = seed;
	e->opts.rng_os = os;
	e->opts.reduce_input = (buf[5] & CRYPTO_FLAG_REDUCE) != 0;
	return 0;
}

int s390ap_crypto_engine_new(s390ap_engine *out, const s390ap_crypto_opts *opts)
{
	struct eng_ctx *e;
	int rc;

	if (!out)
		return S390AP_EINVAL;
	*out = (s390ap_engine){ 0 };
	e = calloc(1, sizeof(*e));
	if (!e)
		return S390AP_ENOMEM;
	if (opts && OPTS_COPY(&e->opts, opts, s390ap_crypto_opts, reduce_input) < 0) {
		free(e);
		return S390AP_EINVAL;
	}
	if (e->opts.rng_seed == 0)
		e->opts.rng_seed = S390AP_RNG_DEFAULT_SEED;
	e->bn = BN_CTX_new();
	if (!e->bn) {
		free(e);
		return S390AP_ENOMEM;
	}
	rc = eng_rng_init(&e->rng, e->opts.rng_seed, e->opts.rng_os);
	if (rc < 0) {
		BN_CTX_free(e->bn);
		free(e);
		return rc;
	}
	*out = (s390ap_engine){ .process = crypto_process,
				.destroy = crypto_destroy,
				.ctx = e,
				.save = crypto_save,
				.restore = crypto_restore };
	return 0;
}

int s390ap_default_engine(s390ap_engine *out)
{
	return s390ap_crypto_engine_new(out, NULL);
}
