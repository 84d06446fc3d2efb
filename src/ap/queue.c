/* SPDX-License-Identifier: MIT */
/* AP queues: requests in process, replies waiting, reset, interrupt state,
 * and what happens when the event clock reaches a queue's events.  Every
 * change of a queue's state is made here; the instruction layer (src/pqap)
 * only orders the checks and picks the response codes. */
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "ap/mem_internal.h"

#define NIB_VALUE 0x01

/* Unlink the message with sequence number seq; NULL if not there. */
static struct ap_msg *list_take(struct ap_msg_list *l, uint64_t seq)
{
	struct ap_msg *prev = NULL;

	for (struct ap_msg *msg = l->head; msg; prev = msg, msg = msg->next) {
		if (msg->seq != seq)
			continue;
		if (prev)
			prev->next = msg->next;
		else
			l->head = msg->next;
		if (l->tail == msg)
			l->tail = prev;
		l->n--;
		msg->next = NULL;
		return msg;
	}
	return NULL;
}

/* What a message in a queue counts against the machine's mem_limit. */
static size_t msg_bytes(const struct ap_adapter *a, const struct ap_msg *msg)
{
	return sizeof(*msg) + (msg->full ? a->max_msg : msg->len);
}

/* A message is done with: the adapter's full-capacity buffer goes back to
 * it for the next reply, anything else is freed. */
static void msg_release(struct ap_adapter *a, struct ap_msg *msg)
{
	if (msg->full && a && !a->spare)
		a->spare = msg;
	else
		free(msg);
}

/* A message leaves its queue: no longer held. */
static void msg_drop(struct ap_adapter *a, struct ap_msg *msg)
{
	*a->mem_used -= msg_bytes(a, msg);
	msg_release(a, msg);
}

static void msg_list_free(struct ap_adapter *a, struct ap_msg_list *l)
{
	struct ap_msg *msg = l->head;

	while (msg) {
		struct ap_msg *next = msg->next;
		msg_drop(a, msg);
		msg = next;
	}
	l->head = l->tail = NULL;
	l->n = 0;
}

int ap_queue_create(s390ap_machine *m, struct ap_adapter *a, unsigned apid, unsigned apqi)
{
	struct ap_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return S390AP_ENOMEM;
	q->ad = a;
	q->apid = (uint8_t)apid;
	q->apqi = (uint8_t)apqi;
	q->gen = m->gen_next++;
	q->gen_born = q->gen;
	q->depth = a->depth;
	q->bs = (m->fac & S390AP_FAC_APSB) ? 2 : 0;
	a->q[apqi] = q;
	return 0;
}

void ap_queue_destroy(struct ap_queue *q)
{
	if (!q)
		return;
	msg_list_free(q->ad, &q->inproc);
	msg_list_free(q->ad, &q->ready);
	*q->ad->mem_used -= q->asm_cap;
	free(q->asm_buf);
	free(q);
}

void ap_queue_asm_discard(struct ap_queue *q)
{
	*q->ad->mem_used -= q->asm_cap;
	free(q->asm_buf);
	q->asm_buf = NULL;
	q->asm_len = q->asm_cap = 0;
}

/* Lose everything queued and every asynchronous change in flight. */
void ap_queue_flush(s390ap_machine *m, struct ap_queue *q)
{
	msg_list_free(q->ad, &q->inproc);
	msg_list_free(q->ad, &q->ready);
	ap_queue_asm_discard(q);
	q->xfer_active = false;
	q->xfer_off = 0;
	/* an entry in m->ev_irq stays until it lands (irq_inflight) */
	q->irq_on = q->irq_change_pending = false;
	q->assoc_pending = false;
	q->gen = m->gen_next++;
}

/* The adapter was checkstopped or deconfigured (or came back): the queue
 * loses its contents and no reset is running any more. */
void ap_queue_drop(s390ap_machine *m, struct ap_queue *q)
{
	ap_queue_flush(m, q);
	q->reset_pending = false;
}

/* RAPQ, ZAPQ.  Zeroizing clears key material, which this model does not
 * keep per queue, so ZAPQ changes exactly what RAPQ changes. */
int ap_queue_reset(s390ap_machine *m, struct ap_queue *q, bool unbind)
{
	int err;

	ap_queue_flush(m, q);
	q->async_rc = 0;
	if (unbind && (m->fac & S390AP_FAC_APSB))
		q->bs = 2;
	q->reset_pending = true;
	q->resets++;
	err = ap_event_add(m, m->reset_cycles, AP_EV_RESET_DONE, q, 0);
	ap_deadline_check(m);
	return err;
}

void ap_queue_reset_now(s390ap_machine *m, struct ap_queue *q, bool unbind)
{
	ap_queue_flush(m, q);
	q->async_rc = 0;
	if (unbind && (m->fac & S390AP_FAC_APSB))
		q->bs = 2;
	q->reset_pending = false;
	q->resets++;
}

/* The request was taken: counters and injected faults (an injected delay
 * is used up by the request it was meant for, even a pending one's). */
static void queue_accepted(struct ap_adapter *a, struct ap_queue *q, struct ap_msg *out)
{
	ap_msg_list_append(&q->inproc, out);
	*a->mem_used += msg_bytes(a, out);
	q->lose_next = false;
	q->delay_next = 0;
	q->enqueued++;
	a->requests++;
}

/* The engine answers later: the request waits in inproc with a buffer of
 * the maximum size for its reply, and no event. */
static AP_COLD int queue_submit_pending(s390ap_machine *m, struct ap_adapter *a, struct ap_queue *q,
					struct ap_msg *out, uint64_t psmid)
{
	out->full = true;
	out->psmid = psmid;
	out->seq = m->msg_seq++;
	out->lost = q->lose_next;
	out->pending = true;
	out->len = 0;
	queue_accepted(a, q, out);
	return 0;
}

/* Run the engine on a complete request.  It writes its reply straight into
 * the reply message: the adapter's spare one (capacity max_msg, kept at
 * that size and handed back when the reply is gone, so a steady stream of
 * requests allocates nothing), or a new one allocated with the maximum and
 * shrunk to the reply afterwards. */
static int queue_submit(s390ap_machine *m, struct ap_adapter *a, struct ap_queue *q,
			const uint8_t *msg, size_t len, uint64_t psmid, bool special)
{
	s390ap_engine_request req = {
		.apqn = S390AP_APQN(q->apid, q->apqi),
		.type = a->type,
		.mode = a->mode,
		.fac = a->fac,
		.special = special,
		.psmid = psmid,
		.msg = msg,
		.len = len,
		.token = m->msg_seq,
	};
	s390ap_engine_reply rep = {
		.cap = a->max_msg,
		/* saturating: an injected delay near 2^64 means "never", not a
		 * reply that wraps round to an early cycle */
		.latency = q->delay_next > UINT64_MAX - a->latency ? UINT64_MAX
								   : a->latency + q->delay_next,
	};
	struct ap_msg *out = a->spare, *shrunk;
	bool full = out != NULL;
	int rc;

	if (full)
		a->spare = NULL;
	else if (!(out = malloc(sizeof(*out) + a->max_msg)))
		return S390AP_ENOMEM;
	rep.buf = out->data;
	rc = a->engine.process(a->engine.ctx, &req, &rep);
	if (AP_UNLIKELY(rc == S390AP_ENGINE_PENDING))
		return queue_submit_pending(m, a, q, out, psmid);
	if (rc < 0 || rep.len == 0 || rep.len > rep.cap) {
		/* cap is max_msg, at least 12 KiB: the 8 bytes always fit */
		(void)s390ap_error_reply(rep.buf, rep.cap, S390AP_MSG_TYPE82,
					 S390AP_REPLY_MACHINE_FAILURE);
		rep.len = S390AP_ERROR_REPLY_LEN;
	}
	if (!full && rep.len < a->max_msg) {
		shrunk = realloc(out, sizeof(*out) + rep.len);
		if (shrunk)
			out = shrunk;
		else
			full = true; /* still the maximum size */
	}
	out->full = full || rep.len == a->max_msg; /* full size: can be the spare */
	out->psmid = psmid;
	out->seq = m->msg_seq++;
	out->lost = q->lose_next;
	out->pending = false;
	out->len = rep.len;
	rc = ap_event_add(m, rep.latency, AP_EV_REPLY, q, out->seq);
	if (rc < 0) {
		msg_release(a, out);
		return rc;
	}
	queue_accepted(a, q, out);
	return ap_deadline_check_ret(m);
}

/* The assembly buffer's capacity for `need` bytes: doubling (up to the
 * maximum), so a message sent in many small parts costs linear, not
 * quadratic, copying.  need <= a->max_msg. */
static size_t asm_cap_for(const struct ap_adapter *a, const struct ap_queue *q, size_t need)
{
	size_t cap;

	if (need <= q->asm_cap)
		return q->asm_cap;
	cap = q->asm_cap * 2 > need ? q->asm_cap * 2 : need;
	return cap < a->max_msg ? cap : a->max_msg;
}

int ap_queue_nq_read(struct ap_adapter *a, struct ap_queue *q, const s390ap_storage *st,
		     const s390ap_access *acc, bool cont, bool complete, struct ap_nq *nq,
		     s390ap_access_exc *exc)
{
	size_t n = acc->len;

	nq->cont = cont;
	nq->complete = complete;
	nq->fresh = NULL;
	if (n > a->max_msg || (cont && q->asm_len + n > a->max_msg))
		return S390AP_ERANGE; /* the caller checked: RC 0x15 */
	/* The one access that may fail, or leave by longjmp, comes first and
	 * lands in the adapter's staging buffer: no queue state and no
	 * allocation depends on it until it has returned. */
	if (ap_fetch(st, acc, a->staging, exc) < 0)
		return S390AP_EFAULT;
	if (complete && !cont) { /* a whole message in one execution */
		nq->msg = a->staging;
		nq->len = n;
		return 0;
	}
	if (cont) {
		size_t need = q->asm_len + n;

		if (need > q->asm_cap) {
			size_t cap = asm_cap_for(a, q, need);
			uint8_t *buf = realloc(q->asm_buf, cap);

			if (!buf)
				return S390AP_ENOMEM;
			*a->mem_used += cap - q->asm_cap;
			q->asm_buf = buf;
			q->asm_cap = cap;
		}
		memcpy(q->asm_buf + q->asm_len, a->staging, n);
		nq->msg = q->asm_buf;
		nq->len = need;
		return 0;
	}
	/* a new multi-part message gets a buffer of its own, so another
	 * PSMID's partial message survives until the commit */
	nq->fresh = malloc(n ? n : 1);
	if (!nq->fresh)
		return S390AP_ENOMEM;
	memcpy(nq->fresh, a->staging, n);
	nq->msg = nq->fresh;
	nq->len = n;
	return 0;
}

int ap_queue_nq_commit(s390ap_machine *m, struct ap_adapter *a, struct ap_queue *q,
		       struct ap_nq *nq, uint64_t psmid, bool special)
{
	int err;

	if (!nq->complete) {
		if (nq->cont) {
			q->asm_len = nq->len;
			return 0;
		}
		/* a new message: another PSMID's partial one is abandoned */
		ap_queue_asm_discard(q);
		q->asm_buf = nq->fresh;
		q->asm_len = q->asm_cap = nq->len;
		*a->mem_used += nq->len;
		q->asm_psmid = psmid;
		q->asm_special = special;
		nq->fresh = NULL;
		return 0;
	}
	err = queue_submit(m, a, q, nq->msg, nq->len, psmid, nq->cont ? q->asm_special : special);
	if (err < 0)
		return err;
	if (q->asm_buf) /* a single-part message had none */
		ap_queue_asm_discard(q);
	return 0;
}

bool ap_queue_mem_room(const s390ap_machine *m, const struct ap_adapter *a,
		       const struct ap_queue *q, bool cont, size_t n, bool complete)
{
	uint64_t need = 0;

	if (cont) {
		/* nqap_check refused a total over the maximum (RC 0x15) */
		need += asm_cap_for(a, q, q->asm_len + n) - q->asm_cap;
	} else if (!complete) {
		need += n;
	}
	if (complete)
		need += sizeof(struct ap_msg) + a->max_msg;
	return need <= m->mem_limit && m->mem_used <= m->mem_limit - need;
}

void ap_queue_nq_refuse(struct ap_queue *q, struct ap_nq *nq)
{
	free(nq->fresh);
	nq->fresh = NULL;
	ap_queue_asm_discard(q);
}

size_t ap_queue_dq_offset(const struct ap_queue *q, bool first)
{
	return first ? 0 : q->xfer_off;
}

size_t ap_queue_dq_advance(struct ap_queue *q, bool first, size_t n)
{
	struct ap_msg *msg = q->ready.head;
	size_t off = (first ? 0 : q->xfer_off) + n;
	size_t left = msg->len - off;

	if (left) {
		q->xfer_active = true;
		q->xfer_off = off;
		return left;
	}
	q->ready.head = msg->next;
	if (!q->ready.head)
		q->ready.tail = NULL;
	q->ready.n--;
	msg_drop(q->ad, msg);
	q->xfer_active = false;
	q->xfer_off = 0;
	q->dequeued++;
	return 0;
}

int ap_queue_irq_request(s390ap_machine *m, struct ap_queue *q, bool enable, uint8_t isc,
			 uint64_t nib, uint32_t gisa, uint8_t gisc)
{
	int err = ap_irq_change_add(m, q, enable);

	if (err < 0)
		return err;
	q->irq_change_pending = true;
	q->irq_inflight = true;
	if (enable) {
		q->isc = isc;
		q->nib = nib;
		q->gisa = gisa;
		q->gisc = gisc;
	}
	return ap_deadline_check_ret(m);
}

void ap_queue_bind(struct ap_queue *q, uint8_t bs)
{
	q->bs = bs;
}

int ap_queue_associate(s390ap_machine *m, struct ap_queue *q)
{
	int err = ap_event_add(m, m->assoc_cycles, AP_EV_ASSOC, q, 0);

	if (err < 0)
		return err;
	q->assoc_pending = true;
	return ap_deadline_check_ret(m);
}

void ap_queue_inject_busy(const s390ap_machine *m, struct ap_queue *q, uint64_t cycles)
{
	q->busy_until = cycles > UINT64_MAX - m->now ? UINT64_MAX : m->now + cycles;
}

/* The next request's reply comes that much later. */
void ap_queue_inject_delay(struct ap_queue *q, uint64_t cycles)
{
	q->delay_next = cycles;
}

/* The next request never becomes a reply. */
void ap_queue_inject_loss(struct ap_queue *q)
{
	q->lose_next = true;
}

/* The next association ends with the sticky error rc. */
void ap_queue_inject_assoc_failure(struct ap_queue *q, uint8_t rc)
{
	q->fail_assoc_rc = rc;
}

/* The host's ISC becomes pending (an adapter interruption, or a GISA's
 * alert). */
static void host_isc_pending(s390ap_machine *m, uint8_t isc)
{
	uint8_t bit = S390AP_ISC_BIT(isc), was = m->irq_pending;

	m->irq_pending = (uint8_t)(was | bit);
	m->irq_count[isc]++;
	if (AP_UNLIKELY(m->hooks.irq != NULL) && !(was & bit)) {
		m->in_hook++;
		m->hooks.irq(m->hooks.ctx, m, isc);
		m->in_hook--;
	}
}

/* An interruption for a guest (AQIC named a GISA): the guest ISC's bit goes
 * into the GISA's IPM, byte 4, where the guest's CPU finds it.  If the IAM,
 * byte 7, has that bit, the GISA alerts the host: the IAM is cleared (the
 * GISA waits on the alert list until the host arms it again) and the
 * host's ISC, the one AQIC gave, becomes pending.  A GISA that left
 * storage loses the interruption. */
static void gisa_interrupt(s390ap_machine *m, struct ap_queue *q)
{
	const uint8_t bit = S390AP_ISC_BIT(q->gisc);
	s390ap_access acc = { .addr = (uint64_t)q->gisa + 4,
			      .len = 1,
			      .kind = S390AP_ACCESS_OR,
			      .asc = S390AP_ASC_ABSOLUTE,
			      .ar = 2 };
	s390ap_access_exc exc;
	uint8_t old = bit, iam = 0;

	if (ap_access(&m->host, &acc, &old, &exc) < 0)
		return;
	m->gisa_irqs++;
	if (old & bit)
		return;
	acc.addr = (uint64_t)q->gisa + 7;
	acc.kind = S390AP_ACCESS_FETCH;
	if (ap_access(&m->host, &acc, &iam, &exc) < 0 || !(iam & bit))
		return;
	iam = 0;
	acc.kind = S390AP_ACCESS_STORE;
	if (ap_access(&m->host, &acc, &iam, &exc) < 0)
		return;
	m->gisa_alerts++;
	host_isc_pending(m, q->isc);
}

/* A reply became ready on a queue with interrupts on: set the NIB and make
 * the ISC pending, once per 0 -> 1 transition of the indicator. */
static AP_NOINLINE void queue_interrupt(s390ap_machine *m, struct ap_queue *q)
{
	if (m->has_host) {
		/* one interlocked OR: a program clearing the byte meanwhile on
		 * another CPU cannot lose this setting.  The NIB is absolute;
		 * the adapter's store is not subject to key protection. */
		const s390ap_access acc = { .addr = q->nib,
					    .len = 1,
					    .kind = S390AP_ACCESS_OR,
					    .asc = S390AP_ASC_ABSOLUTE,
					    .ar = 2 };
		s390ap_access_exc exc;
		uint8_t old = NIB_VALUE;

		if (ap_access(&m->host, &acc, &old, &exc) == 0 && old != 0)
			return; /* already set: no new interruption */
		if (q->gisa) {
			gisa_interrupt(m, q);
			return;
		}
	}
	host_isc_pending(m, q->isc);
}

/* A request's reply is due: it joins the replies waiting for DQAP (or is
 * lost, by an injected fault). */
static void queue_reply_ready(s390ap_machine *m, struct ap_queue *q, struct ap_msg *msg)
{
	if (msg->lost) {
		msg_drop(q->ad, msg);
		return;
	}
	ap_msg_list_append(&q->ready, msg);
	if (q->irq_on)
		queue_interrupt(m, q);
}

static void irq_land(struct ap_queue *q, bool on)
{
	q->irq_on = on;
	q->irq_change_pending = false;
}

/* The queue's one entry in m->ev_irq lands; after a flush it is stale and
 * only frees the queue for the next AQIC. */
void ap_queue_irq_land(s390ap_machine *m, uint16_t apqn, uint64_t gen, bool on)
{
	struct ap_queue *q = ap_queue_get(m, apqn);

	if (!q || gen < q->gen_born)
		return;
	q->irq_inflight = false;
	if (q->gen == gen)
		irq_land(q, on);
}

void ap_queue_event(s390ap_machine *m, const struct ap_event *ev)
{
	struct ap_queue *q = ap_queue_get(m, ev->apqn);
	struct ap_msg *msg;

	if (!q || q->gen != ev->gen)
		return;
	switch ((enum ap_event_kind)ev->kind) {
	case AP_EV_RESET_DONE:
		q->reset_pending = false;
		break;
	case AP_EV_IRQ:
		irq_land(q, ev->msg_seq != 0);
		break;
	case AP_EV_REPLY:
		msg = list_take(&q->inproc, ev->msg_seq);
		if (msg)
			queue_reply_ready(m, q, msg);
		break;
	case AP_EV_ASSOC:
		q->assoc_pending = false;
		if (q->fail_assoc_rc) {
			q->async_rc = q->fail_assoc_rc;
			q->fail_assoc_rc = 0;
		} else {
			q->bs = 0;
		}
		break;
	}
}

uint8_t s390ap_machine_irq_pending(const s390ap_machine *m)
{
	return m ? m->irq_pending : 0;
}

int s390ap_machine_irq_ack(s390ap_machine *m, unsigned isc, bool *was_pending)
{
	uint8_t bit;

	if (!m)
		return S390AP_EINVAL;
	if (isc > S390AP_ISC_MAX)
		return ap_error(m, S390AP_EINVAL, "ISC %u over 7", isc);
	bit = S390AP_ISC_BIT(isc);
	if (was_pending)
		*was_pending = (m->irq_pending & bit) != 0;
	m->irq_pending &= (uint8_t)~bit;
	return 0;
}

uint64_t s390ap_machine_irq_count(const s390ap_machine *m, unsigned isc)
{
	return m && isc <= S390AP_ISC_MAX ? m->irq_count[isc] : 0;
}

int s390ap_queue_complete(s390ap_machine *m, uint16_t apqn, uint64_t token, const uint8_t *reply,
			  size_t len)
{
	struct ap_queue *q;
	struct ap_msg *msg;

	if (!m)
		return S390AP_EINVAL;
	if (ap_hooked(m))
		return ap_in_hook_error(m);
	if (!reply && len)
		return ap_error(m, S390AP_EINVAL, "complete: no reply (NULL)");
	q = ap_queue_get(m, apqn);
	if (!q)
		return ap_error(m, S390AP_ENOENT, "no queue %02x.%04x", S390AP_APQN_APID(apqn),
				S390AP_APQN_APQI(apqn));
	for (msg = q->inproc.head; msg; msg = msg->next)
		if (msg->seq == token && msg->pending)
			break;
	if (!msg)
		return ap_error(m, S390AP_ENOENT,
				"queue %02x.%04x: no pending request %llu (reset, completed or "
				"never given out)",
				S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn),
				(unsigned long long)token);
	(void)list_take(&q->inproc, token);
	msg->pending = false;
	if (len == 0 || len > q->ad->max_msg) {
		(void)s390ap_error_reply(msg->data, q->ad->max_msg, S390AP_MSG_TYPE82,
					 S390AP_REPLY_MACHINE_FAILURE);
		len = S390AP_ERROR_REPLY_LEN;
	} else {
		memcpy(msg->data, reply, len);
	}
	msg->len = len;
	queue_reply_ready(m, q, msg);
	return 0;
}
