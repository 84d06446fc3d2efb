/* SPDX-License-Identifier: MIT */
/* The crypto engine: one per adapter, dispatching on the mode the request
 * carries (accelerator: accel.c, CCA: cca.c, EP11: ep11.c).  It holds no
 * global state: its BN_CTX and random-number state live in its context and
 * are freed by destroy. */
#include <stdlib.h>

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
	*out = (s390ap_engine){ .process = crypto_process, .destroy = crypto_destroy, .ctx = e };
	return 0;
}

int s390ap_default_engine(s390ap_engine *out)
{
	return s390ap_crypto_engine_new(out, NULL);
}
