/* SPDX-License-Identifier: MIT */
/* Save and restore of the AP state (include/s390ap/state.h).  The byte
 * format is docs/state-format.md; the container is util/ser.  Nothing here
 * runs on the instruction path.
 *
 * Restore is transactional: the image is parsed and checked into new
 * adapters, queues and event arrays, the kept engines get their saved
 * state last (rolled back if one refuses), and only then is the machine's
 * old state swapped out and freed.  Every value of the image is untrusted. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "s390ap/state.h"
#include "util/mask.h"
#include "util/ser.h"

#define STATE_VERSION 2u /* 2: GISA fields of queues, GISA counters */

#define TAG_MACH SER_TAG('M', 'A', 'C', 'H')
#define TAG_MASK SER_TAG('M', 'A', 'S', 'K')
#define TAG_ADAP SER_TAG('A', 'D', 'A', 'P')
#define TAG_QUEU SER_TAG('Q', 'U', 'E', 'U')
#define TAG_EVNT SER_TAG('E', 'V', 'N', 'T')
#define TAG_IRQC SER_TAG('I', 'R', 'Q', 'C')

#define EV_CAP_MIN 64u
#define EV_CAP_MAX ((uint64_t)1 << 20)
#define IRQ_CAP_MIN 16u
/* An engine's saved state larger than this is refused on save. */
#define ENGINE_STATE_MAX ((size_t)1 << 24)

#define EV_REC_LEN 31u  /* when, rank, kind, apqn, gen, arg */
#define IRQ_REC_LEN 23u /* when, rank, apqn, on, gen */
#define MSG_HDR_LEN 23u /* psmid, seq, lost, pending, full, len */

/* ------------------------------------------------------------------ */
/* Save                                                                */
/* ------------------------------------------------------------------ */

static void put_mach(struct ser_w *w, const s390ap_machine *m)
{
	ser_put_u32(w, m->fac);
	ser_put_u8(w, m->na);
	ser_put_u8(w, m->nd);
	ser_put_u64(w, m->reset_cycles);
	ser_put_u64(w, m->irq_cycles);
	ser_put_u64(w, m->assoc_cycles);
	ser_put_u32(w, m->cpu_determined);
	ser_put_u32(w, m->cycles_per_us);
	ser_put_u64(w, m->mem_limit);
	ser_put_u64(w, m->mem_used);
	ser_put_u64(w, m->now);
	ser_put_u64(w, m->msg_seq);
	ser_put_u64(w, m->gen_next);
	ser_put_u64(w, m->ev_order);
	ser_put_u32(w, m->ev_rank);
	ser_put_u64(w, m->ev_cap);
	ser_put_u8(w, m->irq_pending);
	for (unsigned i = 0; i <= S390AP_ISC_MAX; i++)
		ser_put_u64(w, m->irq_count[i]);
	for (unsigned i = 0; i < 256; i++)
		ser_put_u64(w, m->rc_count[i]);
	for (unsigned i = 0; i < 128; i++)
		ser_put_u64(w, m->pgm_count[i]);
	ser_put_u64(w, m->gisa_irqs);
	ser_put_u64(w, m->gisa_alerts);
}

/* The engine's state after a has_state byte: a u32 length and the bytes. */
static int put_engine(struct ser_w *w, const s390ap_machine *m, unsigned apid,
		      const s390ap_engine *e)
{
	uint8_t small[256], *big = NULL;
	size_t n = 0;
	int rc;

	if (!e->save) {
		ser_put_bool(w, false);
		return 0;
	}
	rc = e->save(e->ctx, small, sizeof small, &n);
	if (rc == S390AP_ENOSPC && n > sizeof small && n <= ENGINE_STATE_MAX) {
		size_t cap = n;

		big = malloc(cap);
		if (!big)
			return ap_error_c(m, S390AP_ENOMEM, "save: out of memory");
		rc = e->save(e->ctx, big, cap, &n);
		if (rc == 0 && n > cap)
			rc = S390AP_ERANGE;
	} else if (rc == 0 && n > sizeof small) {
		rc = S390AP_ERANGE;
	}
	if (rc < 0 || n > ENGINE_STATE_MAX) {
		free(big);
		return ap_error_c(m, rc < 0 ? rc : S390AP_ERANGE,
				  "save: adapter %02x: the engine's save failed (%s)", apid,
				  s390ap_strerror(rc < 0 ? rc : S390AP_ERANGE));
	}
	ser_put_bool(w, true);
	ser_put_u32(w, (uint32_t)n);
	ser_put_bytes(w, big ? big : small, n);
	free(big);
	return 0;
}

static int put_adapter(struct ser_w *w, const s390ap_machine *m, unsigned apid,
		       const struct ap_adapter *a)
{
	size_t mark = ser_sec_begin(w, TAG_ADAP);
	int rc;

	ser_put_u8(w, (uint8_t)apid);
	ser_put_u8(w, a->type);
	ser_put_u8(w, (uint8_t)a->mode);
	ser_put_u8(w, a->ml);
	ser_put_u8(w, a->depth);
	ser_put_u16(w, a->domains);
	ser_put_u32(w, a->fac);
	ser_put_u64(w, a->latency);
	ser_put_u64(w, a->requests);
	ser_put_bool(w, a->configured);
	ser_put_bool(w, a->checkstopped);
	ser_put_bool(w, a->spare != NULL);
	rc = put_engine(w, m, apid, &a->engine);
	ser_sec_end(w, mark);
	return rc;
}

static void put_msgs(struct ser_w *w, const struct ap_msg_list *l)
{
	ser_put_u32(w, l->n);
	for (const struct ap_msg *msg = l->head; msg; msg = msg->next) {
		ser_put_u64(w, msg->psmid);
		ser_put_u64(w, msg->seq);
		ser_put_bool(w, msg->lost);
		ser_put_bool(w, msg->pending);
		ser_put_bool(w, msg->full);
		ser_put_u32(w, (uint32_t)msg->len);
		ser_put_bytes(w, msg->data, msg->len);
	}
}

static void put_queue(struct ser_w *w, const struct ap_queue *q)
{
	size_t mark = ser_sec_begin(w, TAG_QUEU);

	ser_put_u16(w, S390AP_APQN(q->apid, q->apqi));
	ser_put_u64(w, q->gen);
	ser_put_u64(w, q->gen_born);
	ser_put_u8(w, q->depth);
	ser_put_bool(w, q->reset_pending);
	ser_put_bool(w, q->irq_on);
	ser_put_bool(w, q->irq_change_pending);
	ser_put_bool(w, q->irq_inflight);
	ser_put_u8(w, q->isc);
	ser_put_u64(w, q->nib);
	ser_put_u32(w, q->gisa);
	ser_put_u8(w, q->gisc);
	ser_put_u64(w, q->busy_until);
	ser_put_u64(w, q->delay_next);
	ser_put_bool(w, q->lose_next);
	ser_put_u8(w, q->bs);
	ser_put_bool(w, q->assoc_pending);
	ser_put_u8(w, q->fail_assoc_rc);
	ser_put_u8(w, q->async_rc);
	ser_put_u64(w, q->enqueued);
	ser_put_u64(w, q->dequeued);
	ser_put_u64(w, q->resets);
	ser_put_bool(w, q->asm_buf != NULL);
	if (q->asm_buf) {
		ser_put_u64(w, q->asm_psmid);
		ser_put_bool(w, q->asm_special);
		ser_put_u32(w, (uint32_t)q->asm_cap);
		ser_put_u32(w, (uint32_t)q->asm_len);
		ser_put_bytes(w, q->asm_buf, q->asm_len);
	}
	ser_put_bool(w, q->xfer_active);
	ser_put_u32(w, (uint32_t)q->xfer_off);
	put_msgs(w, &q->inproc);
	put_msgs(w, &q->ready);
	ser_sec_end(w, mark);
}

static int key_cmp(const void *a, const void *b)
{
	const struct ap_ev_key *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return (x->tag >> 32) < (y->tag >> 32) ? -1 : (x->tag >> 32) > (y->tag >> 32);
}

static size_t keys_collect(const struct ap_evq *q, struct ap_ev_key *out, size_t k)
{
	for (unsigned i = 0; i < q->front_n; i++)
		out[k++] = q->front[i];
	for (size_t i = 0; i < q->heap_n; i++)
		out[k++] = q->heap[i];
	return k;
}

/* The queued events in the order they fire: (when, rank). */
static int put_events(struct ser_w *w, const s390ap_machine *m)
{
	size_t n =
		m->ev_loud.front_n + m->ev_loud.heap_n + m->ev_quiet.front_n + m->ev_quiet.heap_n;
	struct ap_ev_key *keys = malloc((n ? n : 1) * sizeof(*keys));
	size_t mark;

	if (!keys)
		return ap_error_c(m, S390AP_ENOMEM, "save: out of memory");
	keys_collect(&m->ev_quiet, keys, keys_collect(&m->ev_loud, keys, 0));
	qsort(keys, n, sizeof(*keys), key_cmp);
	mark = ser_sec_begin(w, TAG_EVNT);
	ser_put_u32(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct ap_event *ev = &m->ev_data[(uint32_t)keys[i].tag];

		ser_put_u64(w, keys[i].when);
		ser_put_u32(w, (uint32_t)(keys[i].tag >> 32));
		ser_put_u8(w, ev->kind);
		ser_put_u16(w, ev->apqn);
		ser_put_u64(w, ev->gen);
		ser_put_u64(w, ev->msg_seq);
	}
	ser_sec_end(w, mark);
	free(keys);
	return 0;
}

static void put_irqs(struct ser_w *w, const s390ap_machine *m)
{
	const struct ap_irqq *r = &m->ev_irq;
	size_t mark = ser_sec_begin(w, TAG_IRQC);

	ser_put_u32(w, (uint32_t)r->n);
	for (size_t i = 0; i < r->n; i++) {
		const struct ap_irq_chg *e = &r->buf[(r->head + i) & (r->cap - 1)];

		ser_put_u64(w, e->key.when);
		ser_put_u32(w, (uint32_t)(e->key.tag >> 32));
		ser_put_u16(w, (uint16_t)((uint32_t)e->key.tag >> 8));
		ser_put_bool(w, (e->key.tag & 1) != 0);
		ser_put_u64(w, e->gen);
	}
	ser_sec_end(w, mark);
}

int s390ap_machine_save(const s390ap_machine *m, void **image, size_t *len)
{
	struct ser_w w;
	size_t mark;
	int rc;

	if (!m)
		return S390AP_EINVAL;
	if (!image || !len)
		return ap_error_c(m, S390AP_EINVAL, "save: no output (NULL)");
	*image = NULL;
	*len = 0;
	ser_w_init(&w, STATE_VERSION, SER_KIND_MACHINE);
	mark = ser_sec_begin(&w, TAG_MACH);
	put_mach(&w, m);
	ser_sec_end(&w, mark);
	mark = ser_sec_begin(&w, TAG_MASK);
	ser_put_bytes(&w, m->apm, S390AP_MASK_BYTES);
	ser_put_bytes(&w, m->aqm, S390AP_MASK_BYTES);
	ser_put_bytes(&w, m->adm, S390AP_MASK_BYTES);
	ser_sec_end(&w, mark);
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		if (m->ad[id] && (rc = put_adapter(&w, m, id, m->ad[id])) < 0) {
			ser_w_free(&w);
			return rc;
		}
	}
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++)
		for (unsigned qi = 0; m->ad[id] && qi < S390AP_MAX_IDS; qi++)
			if (m->ad[id]->q[qi])
				put_queue(&w, m->ad[id]->q[qi]);
	if ((rc = put_events(&w, m)) < 0) {
		ser_w_free(&w);
		return rc;
	}
	put_irqs(&w, m);
	rc = ser_w_finish(&w, image, len);
	if (rc < 0)
		return ap_error_c(m, rc, "save: out of memory");
	return 0;
}

void s390ap_state_free(void *image)
{
	free(image);
}

/* ------------------------------------------------------------------ */
/* Restore                                                             */
/* ------------------------------------------------------------------ */

/* Everything an image describes, built beside the machine: nm is a
 * machine of its own (adapters, queues, event queues, constants and
 * counters), swapped in whole when everything is right. */
struct build {
	s390ap_machine nm;
	uint16_t version;                /* of the image */
	bool own_engine[S390AP_MAX_IDS]; /* made here: destroyed with the build */
	const uint8_t *blob[S390AP_MAX_IDS];
	size_t blob_len[S390AP_MAX_IDS];
	uint64_t scratch_used; /* the new queues' mem_used while building */
	uint64_t held;         /* what the image's queues hold, recomputed */

	uint64_t *seqs; /* every message's sequence number */
	size_t nseq, seqcap;
	uint32_t *ranks; /* events' and AQIC changes' ranks */
	size_t nrank;

	const char *sec; /* the section being read, for messages */
	char msg[192];
};

static int bad(struct build *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct build *b, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(b->msg, sizeof b->msg, "state: section %s: ", b->sec);

	va_start(ap, fmt);
	vsnprintf(b->msg + n, sizeof b->msg - (size_t)n, fmt, ap);
	va_end(ap);
	return S390AP_EINVAL;
}

static int nomem(struct build *b)
{
	snprintf(b->msg, sizeof b->msg, "state: out of memory");
	return S390AP_ENOMEM;
}

/* The section's payload was read whole and no read ran short. */
static int sec_done(struct build *b, const struct ser_r *r)
{
	if (r->bad)
		return bad(b, "truncated (%zu bytes)", r->len);
	if (r->off != r->len)
		return bad(b, "%zu bytes after its last field", r->len - r->off);
	return 0;
}

static void build_free(struct build *b)
{
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++)
		ap_adapter_free(b->nm.ad[id], b->own_engine[id]);
	ap_events_free(&b->nm);
	free(b->seqs);
	free(b->ranks);
	free(b);
}

static int parse_mach(struct build *b, struct ser_r *r)
{
	uint64_t ev_cap;
	int rc;

	b->nm.fac = ser_get_u32(r);
	b->nm.na = ser_get_u8(r);
	b->nm.nd = ser_get_u8(r);
	b->nm.reset_cycles = ser_get_u64(r);
	b->nm.irq_cycles = ser_get_u64(r);
	b->nm.assoc_cycles = ser_get_u64(r);
	b->nm.cpu_determined = ser_get_u32(r);
	b->nm.cycles_per_us = ser_get_u32(r);
	b->nm.mem_limit = ser_get_u64(r);
	b->nm.mem_used = ser_get_u64(r);
	b->nm.now = ser_get_u64(r);
	b->nm.msg_seq = ser_get_u64(r);
	b->nm.gen_next = ser_get_u64(r);
	b->nm.ev_order = ser_get_u64(r);
	b->nm.ev_rank = ser_get_u32(r);
	ev_cap = ser_get_u64(r);
	b->nm.irq_pending = ser_get_u8(r);
	for (unsigned i = 0; i <= S390AP_ISC_MAX; i++)
		b->nm.irq_count[i] = ser_get_u64(r);
	for (unsigned i = 0; i < 256; i++)
		b->nm.rc_count[i] = ser_get_u64(r);
	for (unsigned i = 0; i < 128; i++)
		b->nm.pgm_count[i] = ser_get_u64(r);
	if (b->version >= 2) {
		b->nm.gisa_irqs = ser_get_u64(r);
		b->nm.gisa_alerts = ser_get_u64(r);
	}
	if ((rc = sec_done(b, r)) < 0)
		return rc;
	if (b->nm.fac & ~(uint32_t)S390AP_FAC_ALL)
		return bad(b, "facilities 0x%x have unknown bits", b->nm.fac);
	if (!(b->nm.fac & S390AP_FAC_APXA) && (b->nm.na > 63 || b->nm.nd > 15))
		return bad(b, "Na %u / Nd %u over 63 / 15 without APXA", b->nm.na, b->nm.nd);
	if (!b->nm.reset_cycles || !b->nm.irq_cycles || !b->nm.assoc_cycles)
		return bad(b, "a reset, interruption or association delay of 0 cycles");
	if (!b->nm.cpu_determined)
		return bad(b, "CPU-determined amount 0");
	if (!b->nm.cycles_per_us)
		return bad(b, "0 cycles per microsecond");
	if (ev_cap && (ev_cap < EV_CAP_MIN || ev_cap > EV_CAP_MAX || (ev_cap & (ev_cap - 1))))
		return bad(b, "event slots %llu not 0 or a power of two in 64..%llu",
			   (unsigned long long)ev_cap, (unsigned long long)EV_CAP_MAX);
	b->nm.ev_cap = (size_t)ev_cap;
	b->nm.irq_due_lim = ap_irq_due_lim(b->nm.irq_cycles);
	return 0;
}

static int parse_mask(struct build *b, struct ser_r *r)
{
	const uint8_t *p = ser_get_bytes(r, 3 * S390AP_MASK_BYTES);
	int rc;

	if ((rc = sec_done(b, r)) < 0)
		return rc;
	memcpy(b->nm.apm, p, S390AP_MASK_BYTES);
	memcpy(b->nm.aqm, p + S390AP_MASK_BYTES, S390AP_MASK_BYTES);
	memcpy(b->nm.adm, p + 2 * S390AP_MASK_BYTES, S390AP_MASK_BYTES);
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		if (id > b->nm.na && mask_test(b->nm.apm, id))
			return bad(b, "APM bit %u over Na %u", id, b->nm.na);
		if (id > b->nm.nd && (mask_test(b->nm.aqm, id) || mask_test(b->nm.adm, id)))
			return bad(b, "AQM/ADM bit %u over Nd %u", id, b->nm.nd);
	}
	return 0;
}

static int parse_adap(struct build *b, struct ser_r *r, int *last)
{
	const uint32_t mode_bits = S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_ACCEL |
				   S390AP_TAPQ_FAC_EP11;
	unsigned apid = ser_get_u8(r);
	uint8_t type = ser_get_u8(r), mode = ser_get_u8(r), ml = ser_get_u8(r);
	uint8_t depth = ser_get_u8(r);
	uint16_t domains = ser_get_u16(r);
	uint32_t fac = ser_get_u32(r);
	uint64_t latency = ser_get_u64(r), requests = ser_get_u64(r);
	bool configured = ser_get_bool(r), checkstopped = ser_get_bool(r);
	bool spare = ser_get_bool(r), has_blob = ser_get_bool(r);
	const uint8_t *blob = NULL;
	size_t blob_len = 0;
	struct ap_adapter *a;
	int rc;

	if (has_blob && !r->bad) {
		blob_len = ser_get_u32(r);
		if (blob_len > ser_left(r))
			return bad(b, "adapter %02x: engine state of %zu bytes, %zu left", apid,
				   blob_len, ser_left(r));
		blob = ser_get_bytes(r, blob_len);
	}
	if ((rc = sec_done(b, r)) < 0)
		return rc;
	if ((int)apid <= *last)
		return bad(b, "adapter %02x out of order (after %02x)", apid, (unsigned)*last);
	*last = (int)apid;
	if (!mask_test(b->nm.apm, apid))
		return bad(b, "adapter %02x not in the APM", apid);
	if (type < S390AP_TYPE_CEX4 || type > S390AP_TYPE_CEX8)
		return bad(b, "adapter %02x type %u not in 10..14", apid, type);
	if (mode > S390AP_MODE_EP11)
		return bad(b, "adapter %02x mode %u unknown", apid, mode);
	if (ml > 15)
		return bad(b, "adapter %02x ML %u over 15", apid, ml);
	if (depth < 1 || depth > 16)
		return bad(b, "adapter %02x queue depth %u not in 1..16", apid, depth);
	if (domains < 1 || domains > S390AP_MAX_IDS)
		return bad(b, "adapter %02x domains %u not in 1..256", apid, domains);
	if ((fac & S390AP_TAPQ_FAC_BS_MASK) ||
	    (fac & mode_bits) != ap_mode_fac_bit((s390ap_mode)mode))
		return bad(b, "adapter %02x facilities 0x%08x do not fit mode %u", apid, fac, mode);

	a = calloc(1, sizeof(*a));
	if (!a)
		return nomem(b);
	b->nm.ad[apid] = a;
	a->configured = configured;
	a->checkstopped = checkstopped;
	a->type = type;
	a->mode = (s390ap_mode)mode;
	a->fac = fac;
	a->domains = domains;
	a->ml = ml;
	a->depth = depth;
	a->latency = latency;
	a->requests = requests;
	a->mem_used = &b->scratch_used;
	if (ap_adapter_setup(a, spare) < 0)
		return nomem(b);
	b->blob[apid] = blob;
	b->blob_len[apid] = has_blob ? blob_len : SIZE_MAX;
	return 0;
}

static int seq_add(struct build *b, uint64_t seq)
{
	if (b->nseq == b->seqcap) {
		size_t cap = b->seqcap ? b->seqcap * 2 : 64;
		uint64_t *s = realloc(b->seqs, cap * sizeof(*s));

		if (!s)
			return nomem(b);
		b->seqs = s;
		b->seqcap = cap;
	}
	b->seqs[b->nseq++] = seq;
	return 0;
}

static int parse_msgs(struct build *b, struct ser_r *r, struct ap_adapter *a, struct ap_queue *q,
		      struct ap_msg_list *l, bool inproc)
{
	const char *what = inproc ? "request" : "reply";
	uint32_t n = ser_get_u32(r);
	unsigned apid = q->apid, apqi = q->apqi;

	if (r->bad)
		return bad(b, "queue %02x.%04x truncated", apid, apqi);
	if (n > q->depth)
		return bad(b, "queue %02x.%04x %u %ss over the depth %u", apid, apqi, n, what,
			   q->depth);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t psmid = ser_get_u64(r), seq = ser_get_u64(r);
		bool lost = ser_get_bool(r), pending = ser_get_bool(r), full = ser_get_bool(r);
		uint32_t len = ser_get_u32(r);
		struct ap_msg *msg;
		int rc;

		if (r->bad)
			return bad(b, "queue %02x.%04x %s %u truncated or not 0/1", apid, apqi,
				   what, i);
		if (len > a->max_msg)
			return bad(b,
				   "queue %02x.%04x %s length %u exceeds the adapter's maximum %zu",
				   apid, apqi, what, len, a->max_msg);
		if (len > ser_left(r))
			return bad(b, "queue %02x.%04x %s length %u, %zu bytes left", apid, apqi,
				   what, len, ser_left(r));
		if (pending && (!inproc || !full || len != 0))
			return bad(b, "queue %02x.%04x %s %u pending but not an empty request",
				   apid, apqi, what, i);
		if (!pending && len == 0)
			return bad(b, "queue %02x.%04x %s %u of length 0", apid, apqi, what, i);
		if (!inproc && lost)
			return bad(b, "queue %02x.%04x reply %u marked lost", apid, apqi, i);
		if (seq >= b->nm.msg_seq)
			return bad(b, "queue %02x.%04x %s sequence %llu not below %llu", apid, apqi,
				   what, (unsigned long long)seq,
				   (unsigned long long)b->nm.msg_seq);
		msg = malloc(sizeof(*msg) + (full ? a->max_msg : len));
		if (!msg)
			return nomem(b);
		msg->psmid = psmid;
		msg->seq = seq;
		msg->lost = lost;
		msg->pending = pending;
		msg->full = full;
		msg->len = len;
		memcpy(msg->data, ser_get_bytes(r, len), len);
		ap_msg_list_append(l, msg);
		b->held += sizeof(*msg) + (full ? a->max_msg : len);
		if ((rc = seq_add(b, seq)) < 0)
			return rc;
	}
	return 0;
}

static int parse_queu(struct build *b, struct ser_r *r, int *last)
{
	uint16_t apqn = ser_get_u16(r);
	unsigned apid = S390AP_APQN_APID(apqn), apqi = S390AP_APQN_APQI(apqn);
	struct ap_adapter *a = b->nm.ad[apid];
	struct ap_queue *q;
	int rc;

	if (r->bad)
		return bad(b, "truncated");
	if ((int)apqn <= *last)
		return bad(b, "queue %02x.%04x out of order", apid, apqi);
	*last = apqn;
	if (!a || !mask_test(b->nm.aqm, apqi) || apqi >= a->domains)
		return bad(b, "queue %02x.%04x does not exist in the configuration", apid, apqi);
	q = calloc(1, sizeof(*q));
	if (!q)
		return nomem(b);
	a->q[apqi] = q;
	q->ad = a;
	q->apid = (uint8_t)apid;
	q->apqi = (uint8_t)apqi;
	q->gen = ser_get_u64(r);
	q->gen_born = ser_get_u64(r);
	q->depth = ser_get_u8(r);
	q->reset_pending = ser_get_bool(r);
	q->irq_on = ser_get_bool(r);
	q->irq_change_pending = ser_get_bool(r);
	q->irq_inflight = ser_get_bool(r);
	q->isc = ser_get_u8(r);
	q->nib = ser_get_u64(r);
	if (b->version >= 2) {
		q->gisa = ser_get_u32(r);
		q->gisc = ser_get_u8(r);
	}
	q->busy_until = ser_get_u64(r);
	q->delay_next = ser_get_u64(r);
	q->lose_next = ser_get_bool(r);
	q->bs = ser_get_u8(r);
	q->assoc_pending = ser_get_bool(r);
	q->fail_assoc_rc = ser_get_u8(r);
	q->async_rc = ser_get_u8(r);
	q->enqueued = ser_get_u64(r);
	q->dequeued = ser_get_u64(r);
	q->resets = ser_get_u64(r);
	if (ser_get_bool(r) && !r->bad) {
		uint32_t cap, len;

		q->asm_psmid = ser_get_u64(r);
		q->asm_special = ser_get_bool(r);
		cap = ser_get_u32(r);
		len = ser_get_u32(r);
		if (r->bad)
			return bad(b, "queue %02x.%04x truncated", apid, apqi);
		/* the buffer doubles from the first part's length: never more
		 * than twice what it holds */
		if (len > cap || cap > a->max_msg || cap > 2 * (uint64_t)len)
			return bad(b,
				   "queue %02x.%04x assembly of %u bytes in a buffer of %u "
				   "(maximum %zu)",
				   apid, apqi, len, cap, a->max_msg);
		if (len > ser_left(r))
			return bad(b, "queue %02x.%04x assembly of %u bytes, %zu left", apid, apqi,
				   len, ser_left(r));
		q->asm_buf = malloc(cap ? cap : 1);
		if (!q->asm_buf)
			return nomem(b);
		q->asm_cap = cap;
		q->asm_len = len;
		memcpy(q->asm_buf, ser_get_bytes(r, len), len);
		b->held += cap;
		b->scratch_used += cap;
	}
	q->xfer_active = ser_get_bool(r);
	q->xfer_off = ser_get_u32(r);
	if (r->bad)
		return bad(b, "queue %02x.%04x truncated or a flag not 0/1", apid, apqi);
	if (q->gen >= b->nm.gen_next || q->gen_born > q->gen)
		return bad(b, "queue %02x.%04x generation %llu (born %llu) not below %llu", apid,
			   apqi, (unsigned long long)q->gen, (unsigned long long)q->gen_born,
			   (unsigned long long)b->nm.gen_next);
	if (q->depth != a->depth)
		return bad(b, "queue %02x.%04x depth %u, the adapter's is %u", apid, apqi, q->depth,
			   a->depth);
	if (q->isc > S390AP_ISC_MAX || q->gisc > S390AP_ISC_MAX)
		return bad(b, "queue %02x.%04x ISC %u / guest ISC %u over 7", apid, apqi, q->isc,
			   q->gisc);
	if (q->gisa & 0xF)
		return bad(b, "queue %02x.%04x GISA 0x%x not on a 16-byte boundary", apid, apqi,
			   (unsigned)q->gisa);
	if (q->bs > 3)
		return bad(b, "queue %02x.%04x bind state %u over 3", apid, apqi, q->bs);
	if (q->fail_assoc_rc && q->fail_assoc_rc != S390AP_RC_ASSOC_SECRET_NOT_UNIQUE &&
	    q->fail_assoc_rc != S390AP_RC_ASSOC_FAILED)
		return bad(b, "queue %02x.%04x association failure rc 0x%02x not 0x35/0x36", apid,
			   apqi, q->fail_assoc_rc);
	if (q->delay_next > UINT64_MAX / 4)
		return bad(b, "queue %02x.%04x reply delay too large", apid, apqi);
	if (q->irq_change_pending && !q->irq_inflight)
		return bad(b, "queue %02x.%04x I-bit change pending without an AQIC change", apid,
			   apqi);
	if ((rc = parse_msgs(b, r, a, q, &q->inproc, true)) < 0 ||
	    (rc = parse_msgs(b, r, a, q, &q->ready, false)) < 0)
		return rc;
	if ((rc = sec_done(b, r)) < 0)
		return rc;
	if (ap_queue_count(q) > q->depth)
		return bad(b, "queue %02x.%04x holds %u messages, depth %u", apid, apqi,
			   ap_queue_count(q), q->depth);
	if (q->xfer_active ? !q->ready.n || q->xfer_off >= q->ready.head->len : q->xfer_off != 0)
		return bad(b, "queue %02x.%04x DQAP transfer offset %zu does not fit its reply",
			   apid, apqi, q->xfer_off);
	return 0;
}

static int rank_add(struct build *b, uint32_t rank)
{
	if (rank >= b->nm.ev_rank)
		return bad(b, "rank %u not below the next rank %u", rank, b->nm.ev_rank);
	b->ranks[b->nrank++] = rank;
	return 0;
}

static int ranks_grow(struct build *b, size_t more)
{
	uint32_t *p = realloc(b->ranks, (b->nrank + more + 1) * sizeof(*p));

	if (!p)
		return nomem(b);
	b->ranks = p;
	return 0;
}

static int parse_evnt(struct build *b, struct ser_r *r)
{
	uint32_t n = ser_get_u32(r);
	uint64_t prev_when = 0;
	uint32_t prev_rank = 0;
	size_t cap = (size_t)b->nm.ev_cap;
	int rc;

	if (r->bad)
		return bad(b, "truncated");
	if ((uint64_t)n * EV_REC_LEN != ser_left(r))
		return bad(b, "%u events in %zu bytes", n, ser_left(r));
	if (n > cap)
		return bad(b, "%u events over the %zu event slots", n, cap);
	if ((rc = ranks_grow(b, n)) < 0)
		return rc;
	if (cap) {
		b->nm.ev_loud.heap = malloc(cap * sizeof(struct ap_ev_key));
		b->nm.ev_quiet.heap = malloc(cap * sizeof(struct ap_ev_key));
		b->nm.ev_data = malloc(cap * sizeof(struct ap_event));
		if (!b->nm.ev_loud.heap || !b->nm.ev_quiet.heap || !b->nm.ev_data)
			return nomem(b);
	}
	for (uint32_t i = 0; i < n; i++) {
		struct ap_ev_key k = { .when = ser_get_u64(r) };
		uint32_t rank = ser_get_u32(r);
		struct ap_event ev = { .kind = ser_get_u8(r) };
		struct ap_evq *q;

		ev.apqn = ser_get_u16(r);
		ev.gen = ser_get_u64(r);
		ev.msg_seq = ser_get_u64(r);
		if (ev.kind > AP_EV_ASSOC)
			return bad(b, "event %u of kind %u unknown", i, ev.kind);
		if (k.when < b->nm.now || k.when == S390AP_NO_EVENT)
			return bad(b, "event %u due at %llu, before now %llu or never", i,
				   (unsigned long long)k.when, (unsigned long long)b->nm.now);
		if (i && (k.when < prev_when || (k.when == prev_when && rank <= prev_rank)))
			return bad(b, "event %u out of order", i);
		if (ev.gen >= b->nm.gen_next)
			return bad(b, "event %u generation %llu not below %llu", i,
				   (unsigned long long)ev.gen, (unsigned long long)b->nm.gen_next);
		if (ev.kind == AP_EV_REPLY ? ev.msg_seq >= b->nm.msg_seq
		    : ev.kind == AP_EV_IRQ ? ev.msg_seq > 1
					   : ev.msg_seq != 0)
			return bad(b, "event %u argument %llu does not fit its kind %u", i,
				   (unsigned long long)ev.msg_seq, ev.kind);
		if ((rc = rank_add(b, rank)) < 0)
			return rc;
		prev_when = k.when;
		prev_rank = rank;
		/* slots in firing order; sorted keys are a valid heap */
		b->nm.ev_data[i] = ev;
		k.tag = (uint64_t)rank << 32 | i;
		q = ap_event_loud((enum ap_event_kind)ev.kind) ? &b->nm.ev_loud : &b->nm.ev_quiet;
		q->heap[q->heap_n++] = k;
	}
	for (size_t i = cap; i-- > n;) {
		b->nm.ev_data[i].msg_seq = b->nm.ev_free;
		b->nm.ev_free = (uint32_t)i;
	}
	if (b->nm.ev_loud.heap_n)
		b->nm.ev_loud.next = b->nm.ev_loud.heap[0].when;
	if (b->nm.ev_quiet.heap_n)
		b->nm.ev_quiet.next = b->nm.ev_quiet.heap[0].when;
	return sec_done(b, r);
}

static int parse_irqc(struct build *b, struct ser_r *r)
{
	uint32_t n = ser_get_u32(r);
	uint64_t lim = b->nm.now + b->nm.irq_cycles;
	size_t cap = IRQ_CAP_MIN;
	int rc;

	if (lim < b->nm.now || lim >= S390AP_NO_EVENT)
		lim = S390AP_NO_EVENT - 1;
	if (r->bad)
		return bad(b, "truncated");
	if ((uint64_t)n * IRQ_REC_LEN != ser_left(r))
		return bad(b, "%u AQIC changes in %zu bytes", n, ser_left(r));
	if (n == 0)
		return 0;
	if ((rc = ranks_grow(b, n)) < 0)
		return rc;
	while (cap < n)
		cap *= 2;
	b->nm.ev_irq.buf = malloc(cap * sizeof(*b->nm.ev_irq.buf));
	if (!b->nm.ev_irq.buf)
		return nomem(b);
	b->nm.ev_irq.cap = cap;
	for (uint32_t i = 0; i < n; i++) {
		struct ap_irq_chg *e = &b->nm.ev_irq.buf[i];
		uint32_t rank;
		uint16_t apqn;
		bool on;

		e->key.when = ser_get_u64(r);
		rank = ser_get_u32(r);
		apqn = ser_get_u16(r);
		on = ser_get_bool(r);
		e->gen = ser_get_u64(r);
		if (r->bad)
			return bad(b, "change %u: I bit not 0/1", i);
		if (e->key.when < b->nm.now || e->key.when > lim)
			return bad(b, "change %u due at %llu, not within now %llu + %llu", i,
				   (unsigned long long)e->key.when, (unsigned long long)b->nm.now,
				   (unsigned long long)b->nm.irq_cycles);
		/* made in this order: due and ranked in it too */
		if (i && (e->key.when < e[-1].key.when || rank <= (uint32_t)(e[-1].key.tag >> 32)))
			return bad(b, "change %u out of order", i);
		if (e->gen >= b->nm.gen_next)
			return bad(b, "change %u generation %llu not below %llu", i,
				   (unsigned long long)e->gen, (unsigned long long)b->nm.gen_next);
		if ((rc = rank_add(b, rank)) < 0)
			return rc;
		e->key.tag = (uint64_t)rank << 32 | (uint32_t)apqn << 8 | (on ? 1u : 0u);
		b->nm.ev_irq.n++;
	}
	b->nm.ev_irq.next = b->nm.ev_irq.buf[0].key.when;
	return sec_done(b, r);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* What each queue's flags say is in flight, per APQN. */
struct qmark {
	uint8_t irq, irq_now; /* AQIC changes of this incarnation / generation */
	uint8_t reset, assoc; /* events of the current generation */
	uint16_t replies;
};

static const struct ap_queue *build_queue(const struct build *b, uint16_t apqn)
{
	const struct ap_adapter *a = b->nm.ad[S390AP_APQN_APID(apqn)];

	return a ? a->q[S390AP_APQN_APQI(apqn)] : NULL;
}

static bool inproc_has(const struct ap_queue *q, uint64_t seq)
{
	for (const struct ap_msg *msg = q->inproc.head; msg; msg = msg->next)
		if (msg->seq == seq)
			return !msg->pending;
	return false;
}

static int marks_check(struct build *b, const struct qmark *mk)
{
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		for (unsigned qi = 0; b->nm.ad[id] && qi < S390AP_MAX_IDS; qi++) {
			const struct ap_queue *q = b->nm.ad[id]->q[qi];
			const struct qmark *k = &mk[S390AP_APQN(id, qi)];
			unsigned waiting = 0;

			if (!q)
				continue;
			for (const struct ap_msg *msg = q->inproc.head; msg; msg = msg->next)
				waiting += !msg->pending;
			b->sec = "IRQC";
			if (q->irq_inflight != (k->irq != 0) ||
			    q->irq_change_pending != (k->irq_now != 0))
				return bad(b, "queue %02x.%04x flags do not match its AQIC changes",
					   id, qi);
			b->sec = "EVNT";
			if (q->reset_pending != (k->reset != 0))
				return bad(b, "queue %02x.%04x reset pending %u, reset events %u",
					   id, qi, q->reset_pending, k->reset);
			if (q->assoc_pending != (k->assoc != 0))
				return bad(b, "queue %02x.%04x association pending %u, events %u",
					   id, qi, q->assoc_pending, k->assoc);
			if (k->replies != waiting)
				return bad(b,
					   "queue %02x.%04x %u requests in process, %u reply events",
					   id, qi, waiting, k->replies);
		}
	}
	return 0;
}

/* The flags of each queue against what the events and AQIC changes hold
 * for it: a reset, an association, an I-bit change pending exactly when
 * its event is; every request in process (not left to the engine) with
 * one reply event of its own. */
static int check_links(struct build *b)
{
	size_t n = b->nm.ev_loud.heap_n + b->nm.ev_quiet.heap_n, nrep = 0;
	struct qmark *mk = calloc(65536, sizeof(*mk));
	uint64_t *rep = malloc((n ? n : 1) * sizeof(*rep));
	int rc = 0;

	if (!mk || !rep) {
		free(mk);
		free(rep);
		return nomem(b);
	}
	b->sec = "IRQC";
	for (size_t i = 0; i < b->nm.ev_irq.n && rc == 0; i++) {
		const struct ap_irq_chg *e = &b->nm.ev_irq.buf[i];
		uint16_t apqn = (uint16_t)((uint32_t)e->key.tag >> 8);
		const struct ap_queue *q = build_queue(b, apqn);

		if (!q || e->gen < q->gen_born)
			continue;
		if (mk[apqn].irq++)
			rc = bad(b, "queue %02x.%04x has two AQIC changes in flight",
				 S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn));
		mk[apqn].irq_now = e->gen == q->gen;
	}
	b->sec = "EVNT";
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct ap_event *ev = &b->nm.ev_data[i];
		const struct ap_queue *q = build_queue(b, ev->apqn);
		struct qmark *k = &mk[ev->apqn];

		if (!q || ev->gen != q->gen)
			continue; /* stale: ignored when it fires */
		if (ev->kind == AP_EV_RESET_DONE && k->reset++)
			rc = bad(b, "queue %04x: two reset events", ev->apqn);
		else if (ev->kind == AP_EV_ASSOC && k->assoc++)
			rc = bad(b, "queue %04x: two association events", ev->apqn);
		else if (ev->kind == AP_EV_IRQ)
			rc = bad(b, "queue %04x: an I-bit change event", ev->apqn);
		else if (ev->kind == AP_EV_REPLY && !inproc_has(q, ev->msg_seq))
			rc = bad(b, "queue %04x: reply event for %llu, no such request", ev->apqn,
				 (unsigned long long)ev->msg_seq);
		else if (ev->kind == AP_EV_REPLY) {
			k->replies++;
			rep[nrep++] = ev->msg_seq;
		}
	}
	if (rc == 0 && nrep)
		qsort(rep, nrep, sizeof(*rep), u64_cmp);
	for (size_t i = 1; i < nrep && rc == 0; i++)
		if (rep[i] == rep[i - 1])
			rc = bad(b, "two reply events for request %llu",
				 (unsigned long long)rep[i]);
	if (rc == 0)
		rc = marks_check(b, mk);
	free(mk);
	free(rep);
	return rc;
}

/* What holds only for the whole image. */
static int check_whole(struct build *b)
{
	int rc;

	b->sec = "MASK";
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		const struct ap_adapter *a = b->nm.ad[id];

		if (mask_test(b->nm.apm, id) && !a)
			return bad(b, "adapter %02x in the APM has no ADAP section", id);
		for (unsigned qi = 0; a && qi < S390AP_MAX_IDS; qi++)
			if (mask_test(b->nm.aqm, qi) && qi < a->domains && !a->q[qi])
				return bad(b, "queue %02x.%04x has no QUEU section", id, qi);
	}
	b->sec = "QUEU";
	if (b->nseq) /* qsort wants an array, even of none */
		qsort(b->seqs, b->nseq, sizeof(*b->seqs), u64_cmp);
	for (size_t i = 1; i < b->nseq; i++)
		if (b->seqs[i] == b->seqs[i - 1])
			return bad(b, "message sequence %llu twice",
				   (unsigned long long)b->seqs[i]);
	b->sec = "EVNT";
	if (b->nrank)
		qsort(b->ranks, b->nrank, sizeof(*b->ranks), u32_cmp);
	for (size_t i = 1; i < b->nrank; i++)
		if (b->ranks[i] == b->ranks[i - 1])
			return bad(b, "rank %u twice (events and AQIC changes)", b->ranks[i]);
	if ((rc = check_links(b)) < 0)
		return rc;
	b->sec = "MACH";
	if (b->held != b->nm.mem_used)
		return bad(b, "bytes held %llu, the queues hold %llu",
			   (unsigned long long)b->nm.mem_used, (unsigned long long)b->held);
	return 0;
}

static const char *tag_name(uint32_t tag, char buf[5])
{
	for (unsigned i = 0; i < 4; i++) {
		char c = (char)(tag >> (24 - 8 * i));

		buf[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	buf[4] = '\0';
	return buf;
}

static int parse_image(struct build *b, const void *image, size_t len)
{
	enum { WANT_MACH, WANT_MASK, WANT_BODY, WANT_IRQC, DONE } stage = WANT_MACH;
	struct ser_r body, pl;
	uint16_t version;
	uint32_t tag;
	int last_apid = -1, last_apqn = -1, rc = 0;
	char name[5];
	enum ser_open_err e =
		ser_open(image, len, SER_KIND_MACHINE, STATE_VERSION, &body, &version);

	if (e != SER_OK) {
		snprintf(b->msg, sizeof b->msg, "state: %s", ser_open_errstr(e));
		return S390AP_EINVAL;
	}
	b->version = version;
	while (rc == 0 && ser_sec_next(&body, &tag, &pl)) {
		b->sec = tag_name(tag, name);
		if (stage == WANT_MACH && tag == TAG_MACH) {
			rc = parse_mach(b, &pl);
			stage = WANT_MASK;
		} else if (stage == WANT_MASK && tag == TAG_MASK) {
			rc = parse_mask(b, &pl);
			stage = WANT_BODY;
		} else if (stage == WANT_BODY && tag == TAG_ADAP && last_apqn < 0) {
			rc = parse_adap(b, &pl, &last_apid);
		} else if (stage == WANT_BODY && tag == TAG_QUEU) {
			rc = parse_queu(b, &pl, &last_apqn);
		} else if (stage == WANT_BODY && tag == TAG_EVNT) {
			rc = parse_evnt(b, &pl);
			stage = WANT_IRQC;
		} else if (stage == WANT_IRQC && tag == TAG_IRQC) {
			rc = parse_irqc(b, &pl);
			stage = DONE;
		} else {
			rc = bad(b, "unknown or out of place");
		}
	}
	if (rc < 0)
		return rc;
	if (body.bad || stage != DONE) {
		snprintf(b->msg, sizeof b->msg,
			 "state: sections missing (MACH, MASK, EVNT, IRQC "
			 "are required)");
		return S390AP_EINVAL;
	}
	return check_whole(b);
}

/* Kept engines take their saved states; if one refuses, those already
 * restored get the state they had back. */
static int engines_restore(struct build *b)
{
	uint8_t *backup[S390AP_MAX_IDS] = { 0 };
	size_t backup_len[S390AP_MAX_IDS] = { 0 };
	unsigned id;
	int rc = 0;

	for (id = 0; id < S390AP_MAX_IDS; id++) {
		const s390ap_engine *e;
		size_t n = 0;

		if (!b->nm.ad[id] || b->own_engine[id] || b->blob_len[id] == SIZE_MAX)
			continue;
		e = &b->nm.ad[id]->engine;
		b->sec = "ADAP";
		if (!e->restore) {
			rc = bad(b, "adapter %02x: its engine cannot take the saved engine state",
				 id);
			break;
		}
		if (e->save && e->save(e->ctx, NULL, 0, &n) == S390AP_ENOSPC && n &&
		    n <= ENGINE_STATE_MAX) {
			backup[id] = malloc(n);
			if (backup[id] && e->save(e->ctx, backup[id], n, &backup_len[id]) < 0) {
				free(backup[id]);
				backup[id] = NULL;
			}
		}
		rc = e->restore(e->ctx, b->blob[id], b->blob_len[id]);
		if (rc < 0) {
			free(backup[id]);
			backup[id] = NULL;
			rc = bad(b, "adapter %02x: the engine refused its saved state (%s)", id,
				 s390ap_strerror(rc));
			break;
		}
	}
	if (rc < 0) {
		while (id-- > 0)
			if (backup[id])
				(void)b->nm.ad[id]->engine.restore(b->nm.ad[id]->engine.ctx,
								   backup[id], backup_len[id]);
	}
	for (id = 0; id < S390AP_MAX_IDS; id++)
		free(backup[id]);
	return rc;
}

/* Engines for the new adapters: m's where m has the adapter, else a
 * default one that takes the saved state now (m is not involved). */
static int engines_attach(s390ap_machine *m, struct build *b)
{
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++) {
		struct ap_adapter *a = b->nm.ad[id];
		int rc;

		if (!a)
			continue;
		if (m->ad[id]) {
			a->engine = m->ad[id]->engine;
			continue;
		}
		if (s390ap_default_engine(&a->engine) < 0)
			return nomem(b);
		b->own_engine[id] = true;
		if (b->blob_len[id] == SIZE_MAX)
			continue;
		b->sec = "ADAP";
		if (!a->engine.restore)
			return bad(b,
				   "adapter %02x: the default engine cannot take the saved state",
				   id);
		rc = a->engine.restore(a->engine.ctx, b->blob[id], b->blob_len[id]);
		if (rc < 0)
			return bad(b,
				   "adapter %02x: the default engine refused the saved state (%s)",
				   id, s390ap_strerror(rc));
	}
	return 0;
}

/* The swap: nothing here can fail.  The host's objects and the error text
 * stay m's; everything else becomes the build's machine. */
static void commit(s390ap_machine *m, struct build *b)
{
	s390ap_machine *n = &b->nm;

	/* an adapter in both keeps its engine: the new one holds it */
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++)
		ap_adapter_free(m->ad[id], n->ad[id] == NULL);
	ap_events_free(m);
	n->host = m->host;
	n->has_host = m->has_host;
	n->hooks = m->hooks;
	n->in_hook = m->in_hook;
	memcpy(n->errmsg, m->errmsg, sizeof n->errmsg);
	n->ev_next = ap_clock_next_queued(n);
	if (n->ev_irq.next < n->ev_next)
		n->ev_next = n->ev_irq.next;
	/* no callback: the host reads next_event itself after a restore */
	n->deadline_told = n->ev_next;
	*m = *n;
	for (unsigned id = 0; id < S390AP_MAX_IDS; id++)
		if (m->ad[id])
			m->ad[id]->mem_used = &m->mem_used;
	memset(n, 0, sizeof *n); /* m owns it all now */
}

int s390ap_machine_restore(s390ap_machine *m, const void *image, size_t len)
{
	struct build *b;
	int rc;

	if (!m)
		return S390AP_EINVAL;
	if (ap_hooked(m))
		return ap_in_hook_error(m);
	if (!image)
		return ap_error(m, S390AP_EINVAL, "state: no image (NULL)");
	b = calloc(1, sizeof(*b));
	if (!b)
		return ap_error(m, S390AP_ENOMEM, "state: out of memory");
	b->sec = "?";
	ap_events_init(&b->nm);
	rc = parse_image(b, image, len);
	if (rc == 0)
		rc = engines_attach(m, b);
	if (rc == 0)
		rc = engines_restore(b);
	if (rc < 0) {
		ap_error(m, rc, "%s", b->msg);
		build_free(b);
		return rc;
	}
	commit(m, b);
	build_free(b);
	return 0;
}
