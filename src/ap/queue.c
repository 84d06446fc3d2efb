/* AP queues: requests in process, replies waiting, reset, interrupt state,
 * and what happens when the event clock reaches a queue's events. */
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"

#define NIB_VALUE 0x01

static void list_append(struct ap_msg_list *l, struct ap_msg *msg)
{
	msg->next = NULL;
	if (l->tail)
		l->tail->next = msg;
	else
		l->head = msg;
	l->tail = msg;
	l->n++;
}

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

void ap_msg_list_free(struct ap_msg_list *l)
{
	struct ap_msg *msg = l->head;

	while (msg) {
		struct ap_msg *next = msg->next;
		free(msg);
		msg = next;
	}
	l->head = l->tail = NULL;
	l->n = 0;
}

int ap_queue_create(s390ap_machine *m, struct ap_adapter *a, unsigned apid,
		    unsigned apqi)
{
	struct ap_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return S390AP_ENOMEM;
	q->apid = (uint8_t)apid;
	q->apqi = (uint8_t)apqi;
	q->gen = m->gen_next++;
	q->depth = a->depth;
	q->bs = (m->fac & S390AP_FAC_APSB) ? 2 : 0;
	a->q[apqi] = q;
	return 0;
}

void ap_queue_destroy(struct ap_queue *q)
{
	if (!q)
		return;
	ap_msg_list_free(&q->inproc);
	ap_msg_list_free(&q->ready);
	free(q->asm_buf);
	free(q);
}

/* Lose everything queued and every asynchronous change in flight. */
void ap_queue_flush(s390ap_machine *m, struct ap_queue *q)
{
	ap_msg_list_free(&q->inproc);
	ap_msg_list_free(&q->ready);
	q->asm_active = false;
	q->asm_len = 0;
	q->xfer_active = false;
	q->xfer_off = 0;
	q->irq_on = q->irq_target = q->irq_change_pending = false;
	q->assoc_pending = false;
	q->gen = m->gen_next++;
}

int ap_queue_reset(s390ap_machine *m, struct ap_queue *q, bool unbind)
{
	ap_queue_flush(m, q);
	q->async_rc = 0;
	if (unbind && (m->fac & S390AP_FAC_APSB))
		q->bs = 2;
	q->reset_pending = true;
	q->resets++;
	return ap_event_add(m, m->reset_cycles, AP_EV_RESET_DONE, q, 0);
}

unsigned ap_queue_count(const struct ap_queue *q)
{
	return q->inproc.n + q->ready.n + (q->asm_active ? 1u : 0u);
}

uint32_t ap_queue_status(const struct ap_queue *q, uint8_t rc)
{
	unsigned count = ap_queue_count(q);
	uint32_t sw = (uint32_t)rc << 16;

	if (count == 0)
		sw |= S390AP_SW_E;
	if (q->ready.n)
		sw |= S390AP_SW_R;
	if (count >= q->depth)
		sw |= S390AP_SW_F;
	if (q->irq_on)
		sw |= S390AP_SW_I;
	if (q->async_rc)
		sw |= S390AP_SW_A;
	return sw;
}

int ap_queue_submit(s390ap_machine *m, struct ap_adapter *a,
		    struct ap_queue *q, const uint8_t *msg, size_t len,
		    uint64_t psmid, bool special)
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
	};
	s390ap_engine_reply rep = {
		.buf = a->scratch,
		.cap = a->max_msg,
		.latency = a->latency + q->delay_next,
	};
	struct ap_msg *out;
	int rc;

	rc = a->engine.process(a->engine.ctx, &req, &rep);
	if (rc < 0 || rep.len == 0 || rep.len > rep.cap)
		rep.len = s390ap_error_reply(rep.buf, rep.cap, 0x82, 0x10) < 0
			  ? 0 : S390AP_ERROR_REPLY_LEN;

	out = malloc(sizeof(*out) + rep.len);
	if (!out)
		return S390AP_ENOMEM;
	out->psmid = psmid;
	out->seq = q->seq++;
	out->lost = q->lose_next;
	out->len = rep.len;
	memcpy(out->data, rep.buf, rep.len);
	rc = ap_event_add(m, rep.latency, AP_EV_REPLY, q, out->seq);
	if (rc < 0) {
		free(out);
		return rc;
	}
	list_append(&q->inproc, out);
	q->lose_next = false;
	q->delay_next = 0;
	q->enqueued++;
	a->requests++;
	return 0;
}

/* A reply became ready on a queue with interrupts on: set the NIB and make
 * the ISC pending, once per 0 -> 1 transition of the indicator. */
static void queue_interrupt(s390ap_machine *m, struct ap_queue *q)
{
	if (m->has_host) {
		uint8_t nib = 0;
		if (s390ap_storage_read(&m->host, q->nib, &nib, 1) == 0) {
			if (nib != 0)
				return;
			const uint8_t one = NIB_VALUE;
			(void)s390ap_storage_write(&m->host, q->nib, &one, 1);
		}
	}
	m->irq_pending |= (uint8_t)(0x80u >> q->isc);
	m->irq_count[q->isc]++;
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
		/* each AQIC's own change lands after its own delay */
		q->irq_on = ev->msg_seq != 0;
		if (q->irq_on == q->irq_target)
			q->irq_change_pending = false;
		break;
	case AP_EV_REPLY:
		msg = list_take(&q->inproc, ev->msg_seq);
		if (!msg)
			break;
		if (msg->lost) {
			free(msg);
			break;
		}
		list_append(&q->ready, msg);
		if (q->irq_on)
			queue_interrupt(m, q);
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

	if (!m || isc > 7)
		return S390AP_EINVAL;
	bit = (uint8_t)(0x80u >> isc);
	if (was_pending)
		*was_pending = (m->irq_pending & bit) != 0;
	m->irq_pending &= (uint8_t)~bit;
	return 0;
}

uint64_t s390ap_machine_irq_count(const s390ap_machine *m, unsigned isc)
{
	return m && isc < 8 ? m->irq_count[isc] : 0;
}
