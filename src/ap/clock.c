/* The event clock: a binary min-heap of cycle-stamped events.  Ties fire in
 * insertion order so every run is reproducible. */
#include <stdlib.h>

#include "ap/ap_internal.h"

static bool ev_before(const struct ap_event *a, const struct ap_event *b)
{
	return a->when != b->when ? a->when < b->when : a->order < b->order;
}

static void ev_swap(struct ap_event *a, struct ap_event *b)
{
	struct ap_event t = *a;
	*a = *b;
	*b = t;
}

int ap_event_add(s390ap_machine *m, uint64_t delay, enum ap_event_kind kind,
		 const struct ap_queue *q, uint64_t msg_seq)
{
	size_t i;

	if (m->ev_n == m->ev_cap) {
		size_t cap = m->ev_cap ? m->ev_cap * 2 : 64;
		struct ap_event *ev = realloc(m->ev, cap * sizeof(*ev));
		if (!ev)
			return S390AP_ENOMEM;
		m->ev = ev;
		m->ev_cap = cap;
	}
	i = m->ev_n++;
	m->ev[i] = (struct ap_event){
		.when = delay > UINT64_MAX - m->now ? UINT64_MAX : m->now + delay,
		.order = m->ev_order++,
		.msg_seq = msg_seq,
		.gen = q->gen,
		.apqn = S390AP_APQN(q->apid, q->apqi),
		.kind = (uint8_t)kind,
	};
	while (i > 0 && ev_before(&m->ev[i], &m->ev[(i - 1) / 2])) {
		ev_swap(&m->ev[i], &m->ev[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	return 0;
}

static struct ap_event ev_pop(s390ap_machine *m)
{
	struct ap_event top = m->ev[0];
	size_t i = 0;

	m->ev[0] = m->ev[--m->ev_n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, s = i;
		if (l < m->ev_n && ev_before(&m->ev[l], &m->ev[s]))
			s = l;
		if (r < m->ev_n && ev_before(&m->ev[r], &m->ev[s]))
			s = r;
		if (s == i)
			break;
		ev_swap(&m->ev[i], &m->ev[s]);
		i = s;
	}
	return top;
}

void ap_events_free(s390ap_machine *m)
{
	free(m->ev);
	m->ev = NULL;
	m->ev_n = m->ev_cap = 0;
}

uint64_t s390ap_machine_now(const s390ap_machine *m)
{
	return m ? m->now : 0;
}

uint64_t s390ap_machine_next_event(const s390ap_machine *m)
{
	return m && m->ev_n ? m->ev[0].when : S390AP_NO_EVENT;
}

int s390ap_machine_run_until(s390ap_machine *m, uint64_t cycle)
{
	if (!m)
		return S390AP_EINVAL;
	if (cycle < m->now)
		return ap_error(m, S390AP_ERANGE, "cycle %llu is before now (%llu)",
				(unsigned long long)cycle, (unsigned long long)m->now);
	while (m->ev_n && m->ev[0].when <= cycle) {
		struct ap_event ev = ev_pop(m);
		m->now = ev.when;
		ap_queue_event(m, &ev);
	}
	m->now = cycle;
	return 0;
}

int s390ap_machine_advance(s390ap_machine *m, uint64_t cycles)
{
	if (!m)
		return S390AP_EINVAL;
	if (cycles > UINT64_MAX - m->now)
		return ap_error(m, S390AP_ERANGE, "clock overflow");
	return s390ap_machine_run_until(m, m->now + cycles);
}
