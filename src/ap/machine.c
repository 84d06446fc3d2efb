/* SPDX-License-Identifier: MIT */
/* Machine configuration: facilities, Na/Nd, APM/AQM/ADM, adapters, domains,
 * fault injection and inspection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "ap/mem_internal.h"
#include "util/array.h"
#include "util/mask.h"
#include "util/opts.h"

/* The message for a versioned structure opts_copy refused. */
#define SIZE_ERROR(m, type, p, last)                                                            \
	ap_error((m), S390AP_EINVAL,                                                            \
		 #type ".size %u: %s (first version %zu bytes, this library's %zu)", (p)->size, \
		 opts_refusal((p)->size, OPTS_END(type, last)), OPTS_END(type, last),           \
		 sizeof(type))

#define DEFAULT_DOMAINS 85u
#define DEFAULT_ML 3u
#define DEFAULT_DEPTH 8u

#define DEFAULT_FACILITIES (S390AP_FAC_ALL & ~(S390AP_FAC_APSB | S390AP_FAC_RC8A))

int ap_error(s390ap_machine *m, int err, const char *fmt, ...)
{
	if (m) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(m->errmsg, sizeof(m->errmsg), fmt, ap);
		va_end(ap);
	}
	return err;
}

/* For the getters that take the machine const: the message is diagnostics,
 * no part of the machine's state, and a machine has one thread. */
int ap_error_c(const s390ap_machine *m, int err, const char *fmt, ...)
{
	if (m) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(((s390ap_machine *)m)->errmsg, sizeof(m->errmsg), fmt, ap);
		va_end(ap);
	}
	return err;
}

const char *s390ap_machine_errmsg(const s390ap_machine *m)
{
	return m ? m->errmsg : "no machine";
}

void s390ap_machine_errmsg_clear(s390ap_machine *m)
{
	if (m)
		m->errmsg[0] = '\0';
}

int ap_in_hook_error(s390ap_machine *m)
{
	return ap_error(m, S390AP_EBUSY, "not allowed from a machine callback");
}

/* m may be NULL (the callers' own NULL test comes first). */
#define HOOK_GUARD(m)                                                   \
	do {                                                            \
		if ((m) && ap_hooked(m))                                \
			return ap_in_hook_error((s390ap_machine *)(m)); \
	} while (0)

void ap_hook_config(s390ap_machine *m, const s390ap_config_change *chg)
{
	if (!m->hooks.config)
		return;
	m->in_hook++;
	m->hooks.config(m->hooks.ctx, m, chg);
	m->in_hook--;
}

static void config_notify(s390ap_machine *m, s390ap_config_event what, unsigned apid, unsigned apqi,
			  bool on, bool usage, bool control)
{
	s390ap_config_change chg = {
		.what = what,
		.apid = apid,
		.apqi = apqi,
		.on = on,
		.usage = usage,
		.control = control,
	};

	ap_hook_config(m, &chg);
}

int s390ap_machine_set_hooks(s390ap_machine *m, const s390ap_machine_hooks *hooks)
{
	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (!hooks)
		memset(&m->hooks, 0, sizeof(m->hooks));
	else if (OPTS_COPY(&m->hooks, hooks, s390ap_machine_hooks, ctx) < 0)
		return SIZE_ERROR(m, s390ap_machine_hooks, hooks, ctx);
	/* the host reads next_event itself when it installs the callback */
	m->deadline_told = m->ev_next;
	return 0;
}

static const char *const fac_names[] = {
	"AP", "QCI", "APFT", "AQIC", "MSAX3", "APXA", "APSC", "QACT", "RC8A", "APSB",
};

const char *s390ap_facility_name(uint32_t fac_bit)
{
	for (unsigned i = 0; i < ARRAY_SIZE(fac_names); i++)
		if (fac_bit == 1u << i)
			return fac_names[i];
	return NULL;
}

/* The caller's storage as the library's layout, if it can be used. */
static int storage_copy(s390ap_storage *dst, const s390ap_storage *src)
{
	s390ap_storage st;

	if (OPTS_COPY(&st, src, s390ap_storage, access) < 0 || !ap_storage_usable(&st))
		return S390AP_EINVAL;
	*dst = st;
	return 0;
}

int s390ap_machine_new(s390ap_machine **out, const s390ap_machine_opts *opts)
{
	s390ap_machine_opts o = { 0 };
	s390ap_storage host = { 0 };
	s390ap_machine *m;

	if (!out)
		return S390AP_EINVAL;
	*out = NULL;
	if (opts && OPTS_COPY(&o, opts, s390ap_machine_opts, cycles_per_us) < 0)
		return S390AP_EINVAL;
	if (!o.facilities_set)
		o.facilities = DEFAULT_FACILITIES;
	if (o.facilities & ~(uint32_t)S390AP_FAC_ALL)
		return S390AP_EINVAL;
	if (!(o.facilities & S390AP_FAC_APXA) && (o.na > 63 || o.nd > 15))
		return S390AP_ERANGE;
	if (o.storage && storage_copy(&host, o.storage) < 0)
		return S390AP_EINVAL;

	m = calloc(1, sizeof(*m));
	if (!m)
		return S390AP_ENOMEM;
	m->fac = o.facilities;
	ap_events_init(m);
	if (o.facilities & S390AP_FAC_APXA) {
		m->na = o.na ? o.na : 255;
		m->nd = o.nd ? o.nd : 255;
	} else {
		m->na = o.na ? o.na : 63;
		m->nd = o.nd ? o.nd : 15;
	}
	m->reset_cycles = o.reset_cycles ? o.reset_cycles : S390AP_DEFAULT_RESET_CYCLES;
	m->irq_cycles = o.irq_cycles ? o.irq_cycles : S390AP_DEFAULT_IRQ_CYCLES;
	m->irq_due_lim = ap_irq_due_lim(m->irq_cycles);
	m->assoc_cycles = o.assoc_cycles ? o.assoc_cycles : S390AP_DEFAULT_ASSOC_CYCLES;
	m->cpu_determined = o.cpu_determined ? o.cpu_determined : S390AP_DEFAULT_CPU_DETERMINED;
	m->cycles_per_us = o.cycles_per_us ? o.cycles_per_us : S390AP_DEFAULT_CYCLES_PER_US;
	m->deadline_told = S390AP_NO_EVENT;
	if (o.storage) {
		m->host = host;
		m->has_host = true;
	}
	*out = m;
	return 0;
}

void ap_adapter_free(struct ap_adapter *a, bool destroy_engine)
{
	if (!a)
		return;
	for (unsigned i = 0; i < S390AP_MAX_IDS; i++)
		ap_queue_destroy(a->q[i]);
	if (destroy_engine && a->engine.destroy)
		a->engine.destroy(a->engine.ctx);
	free(a->staging);
	free(a->spare);
	free(a);
}

int ap_adapter_setup(struct ap_adapter *a, bool spare)
{
	a->max_msg = s390ap_ml_bytes(a->ml);
	a->tapq_gr2 = (uint32_t)a->type << 24 | (uint32_t)(a->domains - 1u) << 16 |
		      (uint32_t)(a->ml & 0xf) << 8 | (uint32_t)((a->depth - 1u) & 0xf);
	a->staging = malloc(a->max_msg);
	if (spare)
		a->spare = malloc(sizeof(*a->spare) + a->max_msg);
	return a->staging && (!spare || a->spare) ? 0 : S390AP_ENOMEM;
}

void s390ap_machine_free(s390ap_machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < S390AP_MAX_IDS; i++)
		ap_adapter_free(m->ad[i], true);
	ap_events_free(m);
	free(m);
}

uint32_t s390ap_machine_facilities(const s390ap_machine *m)
{
	return m ? m->fac : 0;
}

int s390ap_machine_set_mem_limit(s390ap_machine *m, uint64_t bytes)
{
	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	m->mem_limit = bytes;
	return 0;
}

uint64_t s390ap_machine_mem_limit(const s390ap_machine *m)
{
	return m ? m->mem_limit : 0;
}

uint64_t s390ap_machine_mem_used(const s390ap_machine *m)
{
	return m ? m->mem_used : 0;
}

int s390ap_machine_set_storage(s390ap_machine *m, const s390ap_storage *st)
{
	s390ap_storage copy;

	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (!st) {
		m->has_host = false;
		return 0;
	}
	if (OPTS_COPY(&copy, st, s390ap_storage, access) < 0)
		return SIZE_ERROR(m, s390ap_storage, st, access);
	if (!ap_storage_usable(&copy))
		return ap_error(m, S390AP_EINVAL, "storage without access or read/write callbacks");
	m->host = copy;
	m->has_host = true;
	return 0;
}

unsigned s390ap_machine_max_apid(const s390ap_machine *m)
{
	return m ? m->na : 0;
}

unsigned s390ap_machine_max_apqi(const s390ap_machine *m)
{
	return m ? m->nd : 0;
}

int s390ap_machine_masks(const s390ap_machine *m, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32])
{
	if (!m)
		return S390AP_EINVAL;
	if (apm)
		memcpy(apm, m->apm, S390AP_MASK_BYTES);
	if (aqm)
		memcpy(aqm, m->aqm, S390AP_MASK_BYTES);
	if (adm)
		memcpy(adm, m->adm, S390AP_MASK_BYTES);
	return 0;
}

static void view_mask(uint8_t out[32], const uint8_t *cfg, const uint8_t *vm)
{
	for (unsigned i = 0; i < S390AP_MASK_BYTES; i++)
		out[i] = (uint8_t)(cfg[i] & (vm ? vm[i] : 0xff));
}

/* QCI block:
 *   byte 0: S N C R L Lext     byte 1: B      bytes 4/5: Na Nd
 *   16..47 APM   48..79 AQM   80..111 ADM   (all MSB-first) */
void ap_qci_image(const s390ap_machine *m, const s390ap_view *v, uint8_t block[S390AP_QCI_SIZE])
{
	uint32_t fac = ap_view_facilities(m, v);

	memset(block, 0, S390AP_QCI_SIZE);
	if (fac & S390AP_FAC_APSC)
		block[0] |= 0x80;
	if (fac & S390AP_FAC_APXA)
		block[0] |= 0x40;
	if (fac & S390AP_FAC_QACT)
		block[0] |= 0x20;
	if (fac & S390AP_FAC_RC8A)
		block[0] |= 0x10;
	if (fac & S390AP_FAC_APSB)
		block[1] |= 0x80;
	if (fac & S390AP_FAC_APXA) {
		block[4] = m->na;
		block[5] = m->nd;
	}
	view_mask(block + S390AP_QCI_APM_OFF, m->apm, v ? v->apm : NULL);
	view_mask(block + S390AP_QCI_AQM_OFF, m->aqm, v ? v->aqm : NULL);
	view_mask(block + S390AP_QCI_ADM_OFF, m->adm, v ? v->adm : NULL);
}

int s390ap_machine_qci(const s390ap_machine *m, uint8_t block[128])
{
	if (!m)
		return S390AP_EINVAL;
	if (!block)
		return ap_error_c(m, S390AP_EINVAL, "QCI: no block (NULL)");
	ap_qci_image(m, NULL, block);
	return 0;
}

size_t s390ap_ml_bytes(uint8_t ml)
{
	return ml < 4 ? AP_DEFAULT_MSG_SIZE : (size_t)ml * 4096u;
}

static uint32_t default_fac(const s390ap_machine *m, uint8_t type, s390ap_mode mode)
{
	uint32_t fac = S390AP_TAPQ_FAC_APXA;

	switch (mode) {
	case S390AP_MODE_ACCEL:
		fac |= S390AP_TAPQ_FAC_MEX4K | S390AP_TAPQ_FAC_CRT4K;
		break;
	case S390AP_MODE_CCA:
	case S390AP_MODE_EP11:
		fac |= S390AP_TAPQ_FAC_FULL;
		break;
	}
	if (type >= S390AP_TYPE_CEX8)
		fac |= S390AP_TAPQ_FAC_SLCF;
	if (m->fac & S390AP_FAC_APSC)
		fac |= S390AP_TAPQ_FAC_APSC;
	return fac;
}

uint32_t ap_mode_fac_bit(s390ap_mode mode)
{
	switch (mode) {
	case S390AP_MODE_CCA:
		return S390AP_TAPQ_FAC_CCA;
	case S390AP_MODE_EP11:
		return S390AP_TAPQ_FAC_EP11;
	case S390AP_MODE_ACCEL:
	default:
		return S390AP_TAPQ_FAC_ACCEL;
	}
}

/* Reply latency by mode for a CEX8 (accelerator 2000, CCA 20000, EP11 30000
 * cycles); each older generation takes 25% more (CEX7 x1.25 ... CEX4 x2).
 * The numbers live with the rest of the latency model in src/engine/timing.c. */
static uint64_t default_latency(uint8_t type, s390ap_mode mode)
{
	return s390ap_engine_latency(type, mode, S390AP_ENGINE_OP_NONE, 0);
}

int s390ap_adapter_add(s390ap_machine *m, unsigned apid, const s390ap_adapter_opts *opts)
{
	s390ap_adapter_opts o = { 0 };
	struct ap_adapter *a;

	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (opts && OPTS_COPY(&o, opts, s390ap_adapter_opts, latency) < 0)
		return SIZE_ERROR(m, s390ap_adapter_opts, opts, latency);
	if (apid > m->na)
		return ap_error(m, S390AP_ERANGE, "adapter id %u over the maximum %u", apid, m->na);
	if (m->ad[apid])
		return ap_error(m, S390AP_EEXIST, "adapter %02x already exists", apid);
	if (o.type == 0)
		o.type = S390AP_TYPE_CEX8;
	if (o.type < S390AP_TYPE_CEX4 || o.type > S390AP_TYPE_CEX8)
		return ap_error(m, S390AP_ERANGE, "adapter type %u not in CEX4..CEX8 (10..14)",
				o.type);
	if ((unsigned)o.mode > S390AP_MODE_EP11)
		return ap_error(m, S390AP_EINVAL, "adapter mode %u unknown", (unsigned)o.mode);
	if (o.domains > S390AP_MAX_IDS)
		return ap_error(m, S390AP_ERANGE, "adapter domains %u over 256", o.domains);
	if (o.ml > 15)
		return ap_error(m, S390AP_ERANGE, "ML %u over 15", o.ml);
	if (o.depth > 16)
		return ap_error(m, S390AP_ERANGE, "queue depth %u over 16", o.depth);

	a = calloc(1, sizeof(*a));
	if (!a)
		return ap_error(m, S390AP_ENOMEM, "out of memory");
	a->configured = true;
	a->mem_used = &m->mem_used;
	a->type = o.type;
	a->mode = o.mode;
	a->fac = o.fac_explicit ? o.fac : (o.fac | default_fac(m, o.type, o.mode));
	a->fac &= ~(S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_ACCEL | S390AP_TAPQ_FAC_EP11 |
		    S390AP_TAPQ_FAC_BS_MASK);
	a->fac |= ap_mode_fac_bit(o.mode);
	a->domains = o.domains ? o.domains : DEFAULT_DOMAINS;
	a->ml = o.ml ? o.ml : DEFAULT_ML;
	a->depth = o.depth ? o.depth : DEFAULT_DEPTH;
	a->latency = o.latency ? o.latency : default_latency(o.type, o.mode);
	if (ap_adapter_setup(a, true) < 0 || s390ap_default_engine(&a->engine) < 0) {
		ap_adapter_free(a, false);
		return ap_error(m, S390AP_ENOMEM, "out of memory");
	}
	for (unsigned qi = 0; qi < a->domains && qi <= m->nd; qi++) {
		if (!mask_test(m->aqm, qi))
			continue;
		if (ap_queue_create(m, a, apid, qi) < 0) {
			ap_adapter_free(a, true);
			return ap_error(m, S390AP_ENOMEM, "out of memory");
		}
	}
	m->ad[apid] = a;
	mask_set(m->apm, apid);
	config_notify(m, S390AP_CONFIG_ADAPTER_ADDED, apid, 0, true, false, false);
	return 0;
}

int s390ap_adapter_remove(s390ap_machine *m, unsigned apid)
{
	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (apid >= S390AP_MAX_IDS || !m->ad[apid])
		return ap_error(m, S390AP_ENOENT, "no adapter %02x", apid);
	ap_adapter_free(m->ad[apid], true);
	m->ad[apid] = NULL;
	mask_clear(m->apm, apid);
	config_notify(m, S390AP_CONFIG_ADAPTER_REMOVED, apid, 0, false, false, false);
	return 0;
}

int s390ap_domain_add(s390ap_machine *m, unsigned apqi, bool usage, bool control)
{
	bool add_usage, add_control;

	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (!usage && !control)
		return ap_error(m, S390AP_EINVAL, "domain %u: neither usage nor control", apqi);
	if (apqi > m->nd)
		return ap_error(m, S390AP_ERANGE, "domain %u over the maximum %u", apqi, m->nd);
	if ((!usage || mask_test(m->aqm, apqi)) && (!control || mask_test(m->adm, apqi)))
		return ap_error(m, S390AP_EEXIST, "domain %u already configured", apqi);
	add_usage = usage && !mask_test(m->aqm, apqi);
	add_control = control && !mask_test(m->adm, apqi);
	if (add_usage) {
		for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
			struct ap_adapter *a = m->ad[id];
			if (!a || apqi >= a->domains)
				continue;
			if (ap_queue_create(m, a, id, apqi) < 0) {
				for (unsigned j = 0; j < id; j++) {
					if (m->ad[j]) {
						ap_queue_destroy(m->ad[j]->q[apqi]);
						m->ad[j]->q[apqi] = NULL;
					}
				}
				return ap_error(m, S390AP_ENOMEM, "out of memory");
			}
		}
		mask_set(m->aqm, apqi);
	}
	if (control)
		mask_set(m->adm, apqi);
	config_notify(m, S390AP_CONFIG_DOMAIN_ADDED, 0, apqi, true, add_usage, add_control);
	return 0;
}

int s390ap_domain_remove(s390ap_machine *m, unsigned apqi)
{
	bool had_usage, had_control;

	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (apqi >= S390AP_MAX_IDS || (!mask_test(m->aqm, apqi) && !mask_test(m->adm, apqi)))
		return ap_error(m, S390AP_ENOENT, "no domain %u", apqi);
	had_usage = mask_test(m->aqm, apqi);
	had_control = mask_test(m->adm, apqi);
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		if (m->ad[id]) {
			ap_queue_destroy(m->ad[id]->q[apqi]);
			m->ad[id]->q[apqi] = NULL;
		}
	}
	mask_clear(m->aqm, apqi);
	mask_clear(m->adm, apqi);
	config_notify(m, S390AP_CONFIG_DOMAIN_REMOVED, 0, apqi, false, had_usage, had_control);
	return 0;
}

int s390ap_adapter_set_engine(s390ap_machine *m, unsigned apid, const s390ap_engine *engine)
{
	struct ap_adapter *a;

	HOOK_GUARD(m);
	if (!m || !engine || !engine->process)
		return ap_error(m, S390AP_EINVAL, "engine without a process callback");
	a = ap_adapter_get(m, apid);
	if (!a)
		return ap_error(m, S390AP_ENOENT, "no adapter %02x", apid);
	/* the same context again must survive: destroying it would leave the
	 * adapter with a freed context (and a second destroy at the end); two
	 * engines without a context are two engines */
	if (a->engine.destroy && (!engine->ctx || a->engine.ctx != engine->ctx))
		a->engine.destroy(a->engine.ctx);
	a->engine = *engine;
	return 0;
}

static struct ap_adapter *adapter_or_error(s390ap_machine *m, unsigned apid)
{
	struct ap_adapter *a = m ? ap_adapter_get(m, apid) : NULL;

	if (m && !a)
		ap_error(m, S390AP_ENOENT, "no adapter %02x", apid);
	return a;
}

static void adapter_flush(s390ap_machine *m, struct ap_adapter *a)
{
	for (unsigned i = 0; i < S390AP_MAX_IDS; i++) {
		if (a->q[i]) {
			ap_queue_drop(m, a->q[i]);
		}
	}
}

int s390ap_adapter_checkstop(s390ap_machine *m, unsigned apid, bool on)
{
	struct ap_adapter *a;

	HOOK_GUARD(m);
	a = adapter_or_error(m, apid);
	if (!a)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	if (a->checkstopped == on)
		return 0;
	adapter_flush(m, a);
	a->checkstopped = on;
	config_notify(m, S390AP_CONFIG_ADAPTER_CHECKSTOP, apid, 0, on, false, false);
	return 0;
}

int s390ap_adapter_configure(s390ap_machine *m, unsigned apid, bool on)
{
	struct ap_adapter *a;

	HOOK_GUARD(m);
	a = adapter_or_error(m, apid);
	if (!a)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	if (a->configured == on)
		return 0;
	adapter_flush(m, a);
	a->configured = on;
	config_notify(m, S390AP_CONFIG_ADAPTER_CONFIGURE, apid, 0, on, false, false);
	return 0;
}

int s390ap_machine_reset(s390ap_machine *m, s390ap_reset_kind kind)
{
	if (!m)
		return S390AP_EINVAL;
	HOOK_GUARD(m);
	if (kind != S390AP_RESET_SYSTEM && kind != S390AP_RESET_CLEAR)
		return ap_error(m, S390AP_EINVAL, "reset kind %d unknown", (int)kind);
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		struct ap_adapter *a = m->ad[id];

		for (unsigned qi = 0; a && qi < S390AP_MAX_IDS; qi++) {
			if (!a->q[qi])
				continue;
			ap_queue_reset_now(m, a->q[qi], kind == S390AP_RESET_CLEAR);
			a->q[qi]->irq_inflight = false; /* the ring is emptied below */
		}
	}
	m->irq_pending = 0;
	ap_events_clear(m);
	return 0;
}

static struct ap_queue *queue_or_error(s390ap_machine *m, uint16_t apqn)
{
	struct ap_queue *q = m ? ap_queue_get(m, apqn) : NULL;

	if (m && !q)
		ap_error(m, S390AP_ENOENT, "no queue %02x.%04x", S390AP_APQN_APID(apqn),
			 S390AP_APQN_APQI(apqn));
	return q;
}

int s390ap_queue_busy(s390ap_machine *m, uint16_t apqn, uint64_t cycles)
{
	struct ap_queue *q;

	HOOK_GUARD(m);
	q = queue_or_error(m, apqn);
	if (!q)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	ap_queue_inject_busy(m, q, cycles);
	return 0;
}

int s390ap_queue_delay_reply(s390ap_machine *m, uint16_t apqn, uint64_t cycles)
{
	struct ap_queue *q;

	HOOK_GUARD(m);
	q = queue_or_error(m, apqn);
	if (!q)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	if (cycles > UINT64_MAX / 4)
		return ap_error(m, S390AP_ERANGE, "delay too large");
	ap_queue_inject_delay(q, cycles);
	return 0;
}

int s390ap_queue_lose_reply(s390ap_machine *m, uint16_t apqn)
{
	struct ap_queue *q;

	HOOK_GUARD(m);
	q = queue_or_error(m, apqn);
	if (!q)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	ap_queue_inject_loss(q);
	return 0;
}

int s390ap_queue_fail_assoc(s390ap_machine *m, uint16_t apqn, uint8_t rc)
{
	struct ap_queue *q;

	HOOK_GUARD(m);
	q = queue_or_error(m, apqn);
	if (!q)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	if (rc != S390AP_RC_ASSOC_SECRET_NOT_UNIQUE && rc != S390AP_RC_ASSOC_FAILED)
		return ap_error(m, S390AP_EINVAL, "association failure rc must be 0x35 or 0x36");
	ap_queue_inject_assoc_failure(q, rc);
	return 0;
}

int s390ap_queue_info_get(const s390ap_machine *m, uint16_t apqn, s390ap_queue_info *info)
{
	const struct ap_queue *q;

	if (!m)
		return S390AP_EINVAL;
	if (!info)
		return ap_error_c(m, S390AP_EINVAL, "queue info: no output (NULL)");
	memset(info, 0, sizeof(*info));
	q = ap_queue_get(m, apqn);
	if (!q)
		return ap_error_c(m, S390AP_ENOENT, "no queue %02x.%04x", S390AP_APQN_APID(apqn),
				  S390AP_APQN_APQI(apqn));
	info->exists = true;
	info->reset_pending = q->reset_pending;
	info->irq_enabled = q->irq_on;
	info->irq_change_pending = q->irq_change_pending;
	info->isc = q->isc;
	info->nib = q->nib;
	info->requests = q->inproc.n;
	info->replies = q->ready.n;
	info->capacity = q->depth;
	info->bs = q->bs;
	info->async_rc = q->async_rc;
	info->enqueued = q->enqueued;
	info->dequeued = q->dequeued;
	info->resets = q->resets;
	return 0;
}

int s390ap_adapter_info_get(const s390ap_machine *m, unsigned apid, s390ap_adapter_info *info)
{
	const struct ap_adapter *a;

	if (!m)
		return S390AP_EINVAL;
	if (!info)
		return ap_error_c(m, S390AP_EINVAL, "adapter info: no output (NULL)");
	memset(info, 0, sizeof(*info));
	a = ap_adapter_get(m, apid);
	if (!a)
		return ap_error_c(m, S390AP_ENOENT, "no adapter %02x", apid);
	info->present = true;
	info->configured = a->configured;
	info->checkstopped = a->checkstopped;
	info->type = a->type;
	info->mode = a->mode;
	info->fac = a->fac;
	info->domains = a->domains;
	info->ml = a->ml;
	info->depth = a->depth;
	info->latency = a->latency;
	info->requests = a->requests;
	return 0;
}

const char *s390ap_type_name(uint8_t type)
{
	static const char *const names[] = {
		[3] = "PCICC", [4] = "PCICA", [5] = "PCIXCC", [6] = "CEX2A",
		[7] = "CEX2C", [8] = "CEX3A", [9] = "CEX3C",  [10] = "CEX4",
		[11] = "CEX5", [12] = "CEX6", [13] = "CEX7",  [14] = "CEX8",
	};

	if (type < ARRAY_SIZE(names) && names[type])
		return names[type];
	return "?";
}

const char *s390ap_mode_name(s390ap_mode mode)
{
	switch (mode) {
	case S390AP_MODE_ACCEL:
		return "accelerator";
	case S390AP_MODE_CCA:
		return "CCA-Coproc";
	case S390AP_MODE_EP11:
		return "EP11-Coproc";
	}
	return "?";
}

const char *s390ap_card_name(uint8_t type, s390ap_mode mode, char *buf, size_t size)
{
	static const char suffix[] = {
		[S390AP_MODE_ACCEL] = 'A', [S390AP_MODE_CCA] = 'C', [S390AP_MODE_EP11] = 'P'
	};

	if (!buf || size == 0)
		return "";
	if (type < S390AP_TYPE_CEX4 || (unsigned)mode > S390AP_MODE_EP11)
		snprintf(buf, size, "%s", s390ap_type_name(type));
	else
		snprintf(buf, size, "%s%c", s390ap_type_name(type), suffix[mode]);
	return buf;
}

int s390ap_machine_new_default(s390ap_machine **out, const s390ap_storage *storage)
{
	static const struct {
		unsigned apid;
		uint8_t type;
		s390ap_mode mode;
	} cards[] = {
		{ 0x03, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL },
		{ 0x04, S390AP_TYPE_CEX8, S390AP_MODE_CCA },
		{ 0x05, S390AP_TYPE_CEX7, S390AP_MODE_EP11 },
	};
	static const unsigned usage[] = { 0x06, 0x07, 0x47 };
	s390ap_machine_opts o = { S390AP_SIZED(s390ap_machine_opts), .storage = storage };
	s390ap_machine *m;
	int rc;

	if (!out)
		return S390AP_EINVAL;
	rc = s390ap_machine_new(&m, &o);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; rc == 0 && i < ARRAY_SIZE(usage); i++)
		rc = s390ap_domain_add(m, usage[i], true, true);
	if (rc == 0)
		rc = s390ap_domain_add(m, 0, false, true);
	for (unsigned i = 0; rc == 0 && i < ARRAY_SIZE(cards); i++) {
		s390ap_adapter_opts ao = { S390AP_SIZED(s390ap_adapter_opts), .type = cards[i].type,
					   .mode = cards[i].mode };
		rc = s390ap_adapter_add(m, cards[i].apid, &ao);
	}
	if (rc < 0) {
		s390ap_machine_free(m);
		*out = NULL;
		return rc;
	}
	*out = m;
	return 0;
}

int s390ap_queue_reset(s390ap_machine *m, uint16_t apqn, bool zeroize)
{
	struct ap_queue *q;

	HOOK_GUARD(m);
	q = queue_or_error(m, apqn);
	if (!q)
		return m ? S390AP_ENOENT : S390AP_EINVAL;
	ap_queue_reset_now(m, q, zeroize);
	return 0;
}
