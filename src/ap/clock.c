/* SPDX-License-Identifier: MIT */
/* The event clock.
 *
 * Pending events are ordered by (when, rank); the rank is the insertion
 * order, so ties fire in the order the events were added and every run is
 * reproducible.  The ordering works on 16-byte keys,
 *
 *   when   cycle the event is due
 *   tag    rank << 32 | slot        slot: its payload in m->ev_data
 *
 * in two queues, loud and quiet events (ap_event_loud), so the dispatcher
 * can ask for the earliest loud one.  Firing takes the earlier head of
 * the two.  Each queue keeps its keys in two places:
 *
 *   front  up to AP_EV_FRONT keys, each earlier than every key in its
 *          heap, sorted latest first so the earliest is at the end.  What
 *          a running program schedules (an AQIC's few cycles, a reply's
 *          latency) usually lands here and leaves from here in a few
 *          instructions, however many far-future events wait in the heap.
 *   heap   a 4-ary min-heap for the rest: O(log4 n) moves of 16 bytes.
 *
 * An AQIC's change of the I bit is quiet too but needs neither: every
 * change is due irq_cycles after it was made, a machine constant, so the
 * changes fall due in the order they are made and a FIFO ring (ev_irq)
 * holds them.  They take ranks from the same counter as the events, so
 * ties with events fire in the order of adding as before.
 *
 * m->ev_next caches the earliest due cycle of all three, so "is anything
 * due by t" is one compare.  Ranks are 32 bits; when they run out, the pending
 * events are renumbered in their order, which keeps every front and heap
 * valid. */
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"

/* The cycle an event added now with this delay falls due.  It saturates
 * one short of S390AP_NO_EVENT, so a pending event is never taken for "no
 * event" (s390ap_machine_next_event, the dispatcher's idle test). */
static inline uint64_t ev_when(const s390ap_machine *m, uint64_t delay)
{
	uint64_t when = m->now + delay;

	if (when < m->now) /* wrapped */
		when = S390AP_NO_EVENT;
	return when - (when == S390AP_NO_EVENT);
}

static inline bool key_before(const struct ap_ev_key *a, const struct ap_ev_key *b)
{
	return a->when != b->when ? a->when < b->when : a->tag < b->tag;
}

static inline uint32_t key_slot(const struct ap_ev_key *k)
{
	return (uint32_t)k->tag;
}

static inline size_t evq_size(const struct ap_evq *q)
{
	return q->front_n + q->heap_n;
}

/* Its earliest key; the queue is not empty. */
static inline const struct ap_ev_key *evq_head(const struct ap_evq *q)
{
	return q->front_n ? &q->front[q->front_n - 1] : &q->heap[0];
}

static inline void evq_next_update(struct ap_evq *q)
{
	q->next = q->front_n  ? q->front[q->front_n - 1].when
		  : q->heap_n ? q->heap[0].when
			      : S390AP_NO_EVENT;
}

static inline void next_update(s390ap_machine *m)
{
	uint64_t n = ap_clock_next_queued(m);

	m->ev_next = m->ev_irq.next < n ? m->ev_irq.next : n;
}

void ap_events_init(s390ap_machine *m)
{
	m->ev_loud.next = S390AP_NO_EVENT;
	m->ev_quiet.next = S390AP_NO_EVENT;
	m->ev_irq.next = S390AP_NO_EVENT;
	m->ev_next = S390AP_NO_EVENT;
	m->ev_free = AP_EV_NO_SLOT;
}

/* Room for one more pending event: payload slots and the entries of both
 * heaps grow together (a heap never holds more keys than there are slots). */
static AP_COLD int ev_grow(s390ap_machine *m)
{
	size_t cap = m->ev_cap ? m->ev_cap * 2 : 64;
	struct ap_ev_key *heap;
	struct ap_event *data;

	if (cap > AP_EV_NO_SLOT)
		return S390AP_ENOMEM;
	heap = realloc(m->ev_loud.heap, cap * sizeof(*heap));
	if (!heap)
		return S390AP_ENOMEM;
	m->ev_loud.heap = heap;
	heap = realloc(m->ev_quiet.heap, cap * sizeof(*heap));
	if (!heap)
		return S390AP_ENOMEM;
	m->ev_quiet.heap = heap;
	data = realloc(m->ev_data, cap * sizeof(*data));
	if (!data)
		return S390AP_ENOMEM;
	m->ev_data = data;
	/* Chain the new slots, lowest first, through msg_seq. */
	for (size_t i = cap; i-- > m->ev_cap;) {
		data[i].msg_seq = m->ev_free;
		m->ev_free = (uint32_t)i;
	}
	m->ev_cap = cap;
	return 0;
}

static AP_COLD void heap_push(struct ap_evq *q, struct ap_ev_key k)
{
	struct ap_ev_key *h = q->heap;
	size_t i = q->heap_n++;

	while (i > 0) {
		size_t p = (i - 1) >> 2;

		if (!key_before(&k, &h[p]))
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = k;
}

/* Move h[i] down to its place in the n-key heap. */
static void heap_sift_down(struct ap_ev_key *h, size_t n, size_t i)
{
	struct ap_ev_key k = h[i];

	for (;;) {
		size_t c = 4 * i + 1, end, best;

		if (c >= n)
			break;
		end = c + 4 < n ? c + 4 : n;
		best = c;
		for (size_t j = c + 1; j < end; j++)
			if (key_before(&h[j], &h[best]))
				best = j;
		if (!key_before(&h[best], &k))
			break;
		h[i] = h[best];
		i = best;
	}
	h[i] = k;
}

static AP_COLD struct ap_ev_key heap_pop(struct ap_evq *q)
{
	struct ap_ev_key *h = q->heap, top = h[0];
	size_t n = --q->heap_n;

	if (n) {
		h[0] = h[n];
		heap_sift_down(h, n, 0);
	}
	return top;
}

/* The front is full: k or the front's latest key goes to the heap, where
 * either is the new earliest; true when it was k. */
static AP_COLD bool front_spill(struct ap_evq *q, struct ap_ev_key k)
{
	if (key_before(&q->front[0], &k)) {
		heap_push(q, k);
		return true;
	}
	heap_push(q, q->front[0]);
	memmove(q->front, q->front + 1, (AP_EV_FRONT - 1) * sizeof(q->front[0]));
	q->front_n--;
	return false;
}

static AP_COLD void evq_insert_slow(struct ap_evq *q, struct ap_ev_key k)
{
	unsigned i;

	if (q->heap_n && !key_before(&k, &q->heap[0])) {
		heap_push(q, k);
		return;
	}
	if (q->front_n == AP_EV_FRONT && front_spill(q, k))
		return;
	i = q->front_n++;
	while (i > 0 && key_before(&q->front[i - 1], &k)) {
		q->front[i] = q->front[i - 1];
		i--;
	}
	q->front[i] = k;
	q->next = q->front[q->front_n - 1].when;
}

static inline void evq_insert(struct ap_evq *q, struct ap_ev_key k)
{
	unsigned n = q->front_n;

	/* the usual case: k is the new earliest and the front has room */
	if (n < AP_EV_FRONT &&
	    (n ? key_before(&k, &q->front[n - 1]) : !q->heap_n || key_before(&k, &q->heap[0]))) {
		q->front[n] = k;
		q->front_n = n + 1;
		q->next = k.when;
		return;
	}
	evq_insert_slow(q, k);
}

static inline struct ap_ev_key evq_pop(struct ap_evq *q)
{
	struct ap_ev_key k = q->front_n ? q->front[--q->front_n] : heap_pop(q);

	evq_next_update(q);
	return k;
}

static int rank_cmp(const void *a, const void *b)
{
	const struct ap_ev_key *x = *(struct ap_ev_key *const *)a;
	const struct ap_ev_key *y = *(struct ap_ev_key *const *)b;

	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

static void evq_collect(struct ap_evq *q, struct ap_ev_key **all, size_t *k)
{
	for (unsigned i = 0; i < q->front_n; i++)
		all[(*k)++] = &q->front[i];
	for (size_t i = 0; i < q->heap_n; i++)
		all[(*k)++] = &q->heap[i];
}

/* The 32-bit ranks ran out: give the pending events ranks 0..n-1 in the
 * order they have.  Order between keys is unchanged, so the fronts and
 * the heaps stay valid. */
static AP_COLD int ev_renumber(s390ap_machine *m)
{
	size_t n = ap_events_pending(m), k = 0;
	struct ap_ev_key **all = malloc((n ? n : 1) * sizeof(*all));

	if (!all)
		return S390AP_ENOMEM;
	evq_collect(&m->ev_loud, all, &k);
	evq_collect(&m->ev_quiet, all, &k);
	for (size_t i = 0; i < m->ev_irq.n; i++)
		all[k++] = &m->ev_irq.buf[(m->ev_irq.head + i) & (m->ev_irq.cap - 1)].key;
	qsort(all, n, sizeof(*all), rank_cmp);
	for (size_t i = 0; i < n; i++)
		all[i]->tag = (uint64_t)i << 32 | key_slot(all[i]);
	free(all);
	m->ev_rank = (uint32_t)n;
	return 0;
}

static int ev_add_slow(s390ap_machine *m, uint64_t delay, enum ap_event_kind kind,
		       const struct ap_queue *q, uint64_t msg_seq);

/* An event whose queue was flushed or removed since it was added: its
 * handler would ignore it. */
static bool ev_stale(const s390ap_machine *m, const struct ap_ev_key *k)
{
	const struct ap_event *ev = &m->ev_data[key_slot(k)];
	const struct ap_queue *q = ap_queue_get(m, ev->apqn);

	return !q || q->gen != ev->gen;
}

static void ev_slot_free(s390ap_machine *m, uint32_t slot)
{
	m->ev_data[slot].msg_seq = m->ev_free;
	m->ev_free = slot;
}

/* Drop a queue's stale keys and free their slots.  The front stays sorted
 * and earlier than the heap; the heap is rebuilt bottom-up. */
static size_t evq_compact(s390ap_machine *m, struct ap_evq *q)
{
	size_t dropped = 0, hn = 0;
	unsigned fn = 0;

	for (unsigned i = 0; i < q->front_n; i++) {
		if (ev_stale(m, &q->front[i])) {
			ev_slot_free(m, key_slot(&q->front[i]));
			dropped++;
		} else {
			q->front[fn++] = q->front[i];
		}
	}
	for (size_t i = 0; i < q->heap_n; i++) {
		if (ev_stale(m, &q->heap[i])) {
			ev_slot_free(m, key_slot(&q->heap[i]));
			dropped++;
		} else {
			q->heap[hn++] = q->heap[i];
		}
	}
	q->front_n = fn;
	q->heap_n = hn;
	for (size_t i = hn > 1 ? (hn - 2) / 4 + 1 : 0; i-- > 0;)
		heap_sift_down(q->heap, hn, i);
	evq_next_update(q);
	return dropped;
}

/* Out of slots: before growing, drop the events of flushed queues.  A guest
 * that resets a queue in a loop while its requests are in process leaves
 * one stale reply event per loop until the reply would have been due; with
 * a long latency that would grow the queues without bound.  Growing only
 * when less than half the slots came free keeps the cost amortised O(1)
 * per event and the slots within four times the live events. */
static AP_COLD void ev_compact(s390ap_machine *m)
{
	size_t dropped = evq_compact(m, &m->ev_loud) + evq_compact(m, &m->ev_quiet);

	if (dropped)
		next_update(m);
}

int ap_event_add(s390ap_machine *m, uint64_t delay, enum ap_event_kind kind,
		 const struct ap_queue *q, uint64_t msg_seq)
{
	struct ap_ev_key k;
	uint32_t slot;

	/* No call but the last on this path, so it needs no stack frame. */
	if (AP_UNLIKELY(m->ev_free == AP_EV_NO_SLOT || m->ev_rank == UINT32_MAX))
		return ev_add_slow(m, delay, kind, q, msg_seq);
	slot = m->ev_free;
	m->ev_free = (uint32_t)m->ev_data[slot].msg_seq;
	m->ev_data[slot] = (struct ap_event){
		.msg_seq = msg_seq,
		.gen = q->gen,
		.apqn = S390AP_APQN(q->apid, q->apqi),
		.kind = (uint8_t)kind,
	};
	k.when = ev_when(m, delay);
	k.tag = (uint64_t)m->ev_rank++ << 32 | slot;
	m->ev_order++;
	if (k.when < m->ev_next)
		m->ev_next = k.when;
	evq_insert(ap_event_loud(kind) ? &m->ev_loud : &m->ev_quiet, k);
	return 0;
}

/* Out of slots or of ranks: make room, then add. */
static AP_COLD int ev_add_slow(s390ap_machine *m, uint64_t delay, enum ap_event_kind kind,
			       const struct ap_queue *q, uint64_t msg_seq)
{
	int rc;

	if (m->ev_free == AP_EV_NO_SLOT && m->ev_cap) {
		size_t before = evq_size(&m->ev_loud) + evq_size(&m->ev_quiet);

		ev_compact(m);
		if (before - (evq_size(&m->ev_loud) + evq_size(&m->ev_quiet)) < m->ev_cap / 2 &&
		    (rc = ev_grow(m)) < 0)
			return rc;
	}
	if (m->ev_free == AP_EV_NO_SLOT && (rc = ev_grow(m)) < 0)
		return rc;
	if (m->ev_rank == UINT32_MAX && (rc = ev_renumber(m)) < 0)
		return rc;
	return ap_event_add(m, delay, kind, q, msg_seq);
}

/* The ring of AQIC changes is full: twice the room, the pending changes
 * moved to its start in their order. */
static AP_COLD int irq_grow(struct ap_irqq *r)
{
	size_t cap = r->cap ? r->cap * 2 : 16;
	struct ap_irq_chg *buf = malloc(cap * sizeof(*buf));

	if (!buf)
		return S390AP_ENOMEM;
	for (size_t i = 0; i < r->n; i++)
		buf[i] = r->buf[(r->head + i) & (r->cap - 1)];
	free(r->buf);
	r->buf = buf;
	r->cap = cap;
	r->head = 0;
	return 0;
}

static int irq_add_slow(s390ap_machine *m, const struct ap_queue *q, bool on);

int ap_irq_change_add(s390ap_machine *m, const struct ap_queue *q, bool on)
{
	struct ap_irqq *r = &m->ev_irq;
	struct ap_irq_chg *e;
	uint64_t when;

	if (AP_UNLIKELY(r->n == r->cap || m->ev_rank == UINT32_MAX))
		return irq_add_slow(m, q, on);
	/* later than (or as late as) every change in the ring: the clock only
	 * moves forward and the delay is the same for all */
	/* ev_when with the limit worked out once: one compare on this path */
	when = m->now < m->irq_due_lim ? m->now + m->irq_cycles : S390AP_NO_EVENT - 1;
	e = &r->buf[(r->head + r->n) & (r->cap - 1)];
	e->key.when = when;
	e->key.tag = (uint64_t)m->ev_rank++ << 32 | (uint32_t)S390AP_APQN(q->apid, q->apqi) << 8 |
		     (on ? 1u : 0u);
	e->gen = q->gen;
	if (r->n++ == 0)
		r->next = when;
	if (when < m->ev_next)
		m->ev_next = when;
	return 0;
}

static AP_COLD int irq_add_slow(s390ap_machine *m, const struct ap_queue *q, bool on)
{
	int rc;

	if (m->ev_irq.n == m->ev_irq.cap && (rc = irq_grow(&m->ev_irq)) < 0)
		return rc;
	if (m->ev_rank == UINT32_MAX && (rc = ev_renumber(m)) < 0)
		return rc;
	return ap_irq_change_add(m, q, on);
}

size_t ap_events_pending(const s390ap_machine *m)
{
	return evq_size(&m->ev_loud) + evq_size(&m->ev_quiet) + m->ev_irq.n;
}

void ap_events_free(s390ap_machine *m)
{
	free(m->ev_loud.heap);
	free(m->ev_quiet.heap);
	free(m->ev_data);
	free(m->ev_irq.buf);
	memset(&m->ev_loud, 0, sizeof(m->ev_loud));
	memset(&m->ev_quiet, 0, sizeof(m->ev_quiet));
	memset(&m->ev_irq, 0, sizeof(m->ev_irq));
	m->ev_data = NULL;
	m->ev_cap = 0;
	ap_events_init(m);
}

/* Fire the earliest pending event.  Nothing is left to do after the
 * handler, so this needs no saved registers. */
static AP_NOINLINE void fire_one(s390ap_machine *m)
{
	struct ap_evq *q = &m->ev_loud, *o = &m->ev_quiet;
	struct ap_ev_key k;
	struct ap_event ev;
	uint32_t slot;

	if (o->next < q->next || (o->next == q->next && evq_size(o) &&
				  (!evq_size(q) || key_before(evq_head(o), evq_head(q)))))
		q = o;
	k = evq_pop(q);
	next_update(m);
	slot = key_slot(&k);
	ev = m->ev_data[slot]; /* a copy: the handler may add events and move ev_data */
	m->ev_data[slot].msg_seq = m->ev_free;
	m->ev_free = slot;
	m->now = k.when;
	ap_queue_event(m, &ev);
}

/* The oldest AQIC change is earlier than the head of each event queue. */
static inline bool irq_first(const s390ap_machine *m)
{
	const struct ap_ev_key *k = &m->ev_irq.buf[m->ev_irq.head].key;

	if (k->when < ap_clock_next_queued(m))
		return true;
	return (!evq_size(&m->ev_loud) || key_before(k, evq_head(&m->ev_loud))) &&
	       (!evq_size(&m->ev_quiet) || key_before(k, evq_head(&m->ev_quiet)));
}

/* Land the oldest AQIC change. */
static AP_NOINLINE void fire_irq(s390ap_machine *m)
{
	struct ap_irqq *r = &m->ev_irq;
	struct ap_irq_chg e = r->buf[r->head];

	r->head = (r->head + 1) & (r->cap - 1);
	r->next = --r->n ? r->buf[r->head].key.when : S390AP_NO_EVENT;
	next_update(m);
	m->now = e.key.when;
	ap_queue_irq_land(m, (uint16_t)((uint32_t)e.key.tag >> 8), e.gen, (e.key.tag & 1) != 0);
}

void ap_clock_irq_land(s390ap_machine *m, uint64_t cycle)
{
	struct ap_irqq *r = &m->ev_irq;
	size_t mask = r->cap - 1, head = r->head, n = r->n;

	do {
		const struct ap_irq_chg *e = &r->buf[head];

		head = (head + 1) & mask;
		n--;
		ap_queue_irq_land(m, (uint16_t)((uint32_t)e->key.tag >> 8), e->gen,
				  (e->key.tag & 1) != 0);
	} while (n && r->buf[head].key.when <= cycle);
	r->head = head;
	r->n = n;
	r->next = n ? r->buf[head].key.when : S390AP_NO_EVENT;
	next_update(m);
	m->now = cycle;
	ap_deadline_check(m);
}

void ap_clock_fire(s390ap_machine *m, uint64_t cycle)
{
	while (m->ev_next <= cycle) {
		if (m->ev_next == S390AP_NO_EVENT)
			break; /* cycle is UINT64_MAX: events saturate one short */
		if (m->ev_irq.n && m->ev_irq.next == m->ev_next && irq_first(m))
			fire_irq(m);
		else
			fire_one(m);
	}
	m->now = cycle;
	ap_deadline_check(m);
}

uint64_t s390ap_machine_now(const s390ap_machine *m)
{
	return m ? m->now : 0;
}

uint64_t s390ap_machine_next_event(const s390ap_machine *m)
{
	return m ? m->ev_next : S390AP_NO_EVENT;
}

/* Monotonic: an older cycle (another vCPU thread's clock behind this
 * one) is no error and changes nothing. */
int s390ap_machine_run_until(s390ap_machine *m, uint64_t cycle)
{
	if (!m)
		return S390AP_EINVAL;
	if (ap_hooked(m))
		return ap_in_hook_error(m);
	if (cycle < m->now)
		return 0;
	ap_clock_to(m, cycle);
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

AP_COLD int ap_hook_deadline(s390ap_machine *m)
{
	uint64_t next = m->ev_next;

	if (next == m->deadline_told)
		return 0;
	m->deadline_told = next;
	m->in_hook++;
	m->hooks.deadline(m->hooks.ctx, m, next);
	m->in_hook--;
	return 0;
}

void ap_events_clear(s390ap_machine *m)
{
	m->ev_loud.front_n = m->ev_quiet.front_n = 0;
	m->ev_loud.heap_n = m->ev_quiet.heap_n = 0;
	m->ev_loud.next = m->ev_quiet.next = S390AP_NO_EVENT;
	m->ev_irq.n = m->ev_irq.head = 0;
	m->ev_irq.next = S390AP_NO_EVENT;
	m->ev_next = S390AP_NO_EVENT;
	m->ev_free = AP_EV_NO_SLOT;
	for (size_t i = m->ev_cap; i-- > 0;) {
		m->ev_data[i].msg_seq = m->ev_free;
		m->ev_free = (uint32_t)i;
	}
	m->ev_rank = 0;
	ap_deadline_check(m);
}

/* ns * c / 1000 without overflow for any ns: whole microseconds, then the
 * rest. */
static uint64_t scale_down(uint64_t v, uint64_t unit, uint32_t c)
{
	uint64_t hi = v / unit, lo = v % unit;

	if (hi > (UINT64_MAX - lo * c / unit) / c)
		return UINT64_MAX;
	return hi * c + lo * c / unit;
}

uint64_t s390ap_machine_cycles_from_ns(const s390ap_machine *m, uint64_t ns)
{
	return m ? scale_down(ns, 1000, m->cycles_per_us) : 0;
}

/* TOD bit 51 is one microsecond: 4096 units to the microsecond. */
uint64_t s390ap_machine_cycles_from_tod(const s390ap_machine *m, uint64_t tod)
{
	return m ? scale_down(tod, 4096, m->cycles_per_us) : 0;
}

uint64_t s390ap_machine_ns_from_cycles(const s390ap_machine *m, uint64_t cycles)
{
	uint64_t c, hi, lo;

	if (!m)
		return 0;
	c = m->cycles_per_us;
	hi = cycles / c;
	lo = cycles % c;
	/* ceil(cycles * 1000 / c) = hi * 1000 + ceil(lo * 1000 / c) */
	lo = (lo * 1000 + c - 1) / c;
	if (hi > (UINT64_MAX - lo) / 1000)
		return UINT64_MAX;
	return hi * 1000 + lo;
}

uint32_t s390ap_machine_cycles_per_us(const s390ap_machine *m)
{
	return m ? m->cycles_per_us : 0;
}
