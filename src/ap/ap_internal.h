/* SPDX-License-Identifier: MIT */
/* Internal state of the AP hardware model.  Not part of the public API. */
#ifndef S390AP_AP_INTERNAL_H
#define S390AP_AP_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/engine.h"
#include "s390ap/error.h"
#include "s390ap/insn.h"
#include "s390ap/machine.h"
#include "util/mask.h"

#define AP_DEFAULT_MSG_SIZE 12288u

#if defined(__GNUC__)
#define AP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define AP_NOINLINE __attribute__((noinline))
#define AP_COLD __attribute__((noinline, cold))
#else
#define AP_UNLIKELY(x) (x)
#define AP_NOINLINE
#define AP_COLD
#endif

/* A request in process or a reply waiting.  The engine runs when the last
 * part of a request arrives, so a request already carries its reply. */
struct ap_msg {
	struct ap_msg *next;
	uint64_t psmid;
	uint64_t seq;   /* per machine, identifies the message for events and
			 * is an asynchronous engine's token */
	bool lost;      /* fault: never becomes a reply */
	bool pending;   /* the engine answers later (s390ap_queue_complete) */
	bool full;      /* the adapter's recycled buffer: capacity max_msg */
	size_t len;     /* reply length */
	uint8_t data[]; /* reply bytes */
};

struct ap_msg_list {
	struct ap_msg *head, *tail;
	unsigned n;
};

static inline void ap_msg_list_append(struct ap_msg_list *l, struct ap_msg *msg)
{
	msg->next = NULL;
	if (l->tail)
		l->tail->next = msg;
	else
		l->head = msg;
	l->tail = msg;
	l->n++;
}

struct ap_queue {
	struct ap_adapter *ad;
	uint8_t apid, apqi;
	uint64_t gen;  /* new on create and flush: stale events are ignored */
	uint8_t depth; /* the adapter's request slots */

	struct ap_msg_list inproc; /* requests the adapter is working on */
	struct ap_msg_list ready;  /* replies waiting for DQAP */

	/* NQAP assembly of a message that arrives in more than one part or
	 * chunk: a buffer exists only while assembling, at least what it
	 * holds (doubling, up to the adapter's maximum), freed on submit or reset */
	uint8_t *asm_buf; /* NULL = not assembling */
	size_t asm_len, asm_cap;
	uint64_t asm_psmid;
	bool asm_special;

	/* DQAP transfer of ready.head in progress */
	bool xfer_active;
	size_t xfer_off;

	bool reset_pending;
	bool irq_on;             /* the I bit as reported */
	bool irq_change_pending; /* an AQIC's change to !irq_on is in flight */
	bool irq_inflight;       /* m->ev_irq holds this queue's entry (stale after a flush) */
	uint64_t gen_born;       /* gen at create: older ev_irq entries are another queue's */
	uint8_t isc;
	uint8_t gisc;  /* guest ISC when gisa is set */
	uint32_t gisa; /* GISA origin (absolute) the interruptions go to; 0 = none */
	uint64_t nib;

	uint64_t busy_until;
	uint64_t delay_next;
	bool lose_next;

	uint8_t bs; /* SE bind state */
	bool assoc_pending;
	uint8_t fail_assoc_rc;
	uint8_t async_rc; /* sticky asynchronous error */

	uint64_t enqueued, dequeued, resets;
};

struct ap_adapter {
	bool configured;
	bool checkstopped;
	uint8_t type;
	s390ap_mode mode;
	uint32_t fac;
	uint16_t domains;
	uint8_t ml;
	uint8_t depth;
	uint32_t tapq_gr2; /* TAPQ GR2 bits 32-63 (type, Nd, ML, Qd): fixed */
	uint64_t latency;
	size_t max_msg;
	s390ap_engine engine;
	uint64_t requests;
	uint8_t *staging;     /* NQAP: a message read in one execution, max_msg bytes */
	struct ap_msg *spare; /* a reply message of capacity max_msg, unused */
	uint64_t *mem_used;   /* the machine's count of bytes held in queues */
	struct ap_queue *q[S390AP_MAX_IDS];
};

enum ap_event_kind {
	AP_EV_RESET_DONE,
	AP_EV_IRQ, /* an I-bit change as an ordinary event (AQIC uses ev_irq) */
	AP_EV_REPLY,
	AP_EV_ASSOC
};

/* A pending event's payload (clock.c keeps it in a slot of m->ev_data; a
 * free slot links the next free one through msg_seq). */
struct ap_event {
	uint64_t msg_seq; /* AP_EV_REPLY: the message; AP_EV_IRQ: the new I bit */
	uint64_t gen;
	uint16_t apqn;
	uint8_t kind;
};

/* m->ev_free when no slot is free. */
#define AP_EV_NO_SLOT UINT32_MAX

/* What the event queues order: (when, tag), tag = rank << 32 | slot. */
struct ap_ev_key {
	uint64_t when;
	uint64_t tag;
};

/* An AQIC's change of the I bit, due irq_cycles after the AQIC.  The delay
 * is one machine constant and the clock only moves forward, so the changes
 * fall due in the order they were made: a FIFO holds them (clock.c), not a
 * heap.  key.tag = rank << 32 | apqn << 8 | new I bit. */
struct ap_irq_chg {
	struct ap_ev_key key;
	uint64_t gen; /* the queue's generation when it was made */
};

struct ap_irqq {
	uint64_t next;          /* when of the oldest change, or S390AP_NO_EVENT */
	struct ap_irq_chg *buf; /* a ring of cap entries (a power of two) */
	size_t cap, head, n;
};

/* Keys earlier than all of the heap, kept in a small sorted array. */
#define AP_EV_FRONT 8u

/* One event queue (clock.c): a sorted front and a 4-ary min-heap. */
struct ap_evq {
	uint64_t next; /* when of its earliest event, or S390AP_NO_EVENT */
	unsigned front_n;
	struct ap_ev_key front[AP_EV_FRONT]; /* latest first */
	struct ap_ev_key *heap;
	size_t heap_n;
};

/* Events whose handler can do something a program sees without an AP
 * instruction (store into storage, make an ISC pending) are "loud": a
 * vCPU must stop at them.  The others change queue state that only AP
 * instructions and the API read; those sync the clock first.  A kind
 * whose handler starts to write storage or raise interruptions must be
 * loud. */
static inline bool ap_event_loud(enum ap_event_kind kind)
{
	return kind == AP_EV_REPLY;
}

struct s390ap_machine {
	uint32_t fac;
	uint8_t na, nd;
	/* fixed at creation: the AQIC change FIFO and irq_due_lim rely on
	 * irq_cycles never changing */
	uint64_t reset_cycles, irq_cycles, assoc_cycles;
	uint64_t irq_due_lim; /* now < this: now + irq_cycles needs no saturation */
	uint32_t cpu_determined;
	s390ap_storage host;
	bool has_host;

	uint8_t apm[S390AP_MASK_BYTES];
	uint8_t aqm[S390AP_MASK_BYTES];
	uint8_t adm[S390AP_MASK_BYTES];
	struct ap_adapter *ad[S390AP_MAX_IDS];

	uint64_t now;
	uint64_t ev_next; /* when of the earliest pending event (AQIC changes too),
			   * or S390AP_NO_EVENT */
	struct ap_evq ev_loud, ev_quiet;
	struct ap_irqq ev_irq;    /* AQIC changes: quiet events of their own */
	struct ap_event *ev_data; /* payloads by slot */
	size_t ev_cap;            /* slots (and entries of each heap) allocated */
	uint32_t ev_free;         /* first free slot, AP_EV_NO_SLOT if none */
	uint32_t ev_rank;         /* rank of the next event added */
	uint64_t ev_order;        /* events ever added */
	uint64_t gen_next;

	/* bytes held in queues for guests: assembly buffers and reply
	 * messages; NQAP refuses what would pass mem_limit (0 = no limit) */
	uint64_t mem_used, mem_limit;

	uint64_t msg_seq; /* next message sequence number */
	uint32_t cycles_per_us;

	/* host callbacks; deadline_told is the last next-event value the
	 * deadline callback was given */
	s390ap_machine_hooks hooks;
	uint64_t deadline_told;
	unsigned in_hook; /* a callback is running: mutators refuse */

	uint8_t irq_pending;
	uint64_t irq_count[S390AP_ISC_MAX + 1];
	/* interruptions made pending in a GISA, and the alerts among them */
	uint64_t gisa_irqs, gisa_alerts;
	uint64_t rc_count[256];
	uint64_t pgm_count[128];

	char errmsg[192];
};

/* machine.c */
/* An adapter's derived fields (max_msg, TAPQ GR2) from its type, domains,
 * ML and depth, and its buffers: the NQAP staging buffer and, with spare,
 * a recycled reply buffer.  0 or S390AP_ENOMEM (then ap_adapter_free). */
int ap_adapter_setup(struct ap_adapter *a, bool spare);
/* Its queues, buffers and, with destroy_engine, its engine.  NULL is fine. */
void ap_adapter_free(struct ap_adapter *a, bool destroy_engine);
/* The TAPQ facility bit of a mode (D, A or X). */
uint32_t ap_mode_fac_bit(s390ap_mode mode);
/* now < this: now + irq_cycles needs no saturation. */
static inline uint64_t ap_irq_due_lim(uint64_t irq_cycles)
{
	return irq_cycles < S390AP_NO_EVENT - 1 ? S390AP_NO_EVENT - irq_cycles : 0;
}
int ap_error(s390ap_machine *m, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ap_error_c(const s390ap_machine *m, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A mutator called from a host callback: S390AP_EBUSY with a message. */
int ap_in_hook_error(s390ap_machine *m);
static inline bool ap_hooked(const s390ap_machine *m)
{
	return AP_UNLIKELY(m->in_hook != 0);
}
void ap_hook_config(s390ap_machine *m, const s390ap_config_change *chg);

/* clock.c */
/* Tell the deadline callback about a new next-event value, if any. */
int ap_hook_deadline(s390ap_machine *m);
static inline void ap_deadline_check(s390ap_machine *m)
{
	if (AP_UNLIKELY(m->hooks.deadline != NULL))
		ap_hook_deadline(m);
}

/* The same as the last thing a function returning 0 does: a tail call, so
 * the path without a callback saves no registers for it. */
static inline int ap_deadline_check_ret(s390ap_machine *m)
{
	return AP_UNLIKELY(m->hooks.deadline != NULL) ? ap_hook_deadline(m) : 0;
}
/* Drop every pending event (system reset). */
void ap_events_clear(s390ap_machine *m);
void ap_events_init(s390ap_machine *m);
/* Adding an event or an AQIC change calls no callback (this path has no
 * calls): the caller calls ap_deadline_check once its change is whole. */
int ap_event_add(s390ap_machine *m, uint64_t delay, enum ap_event_kind kind,
		 const struct ap_queue *q, uint64_t msg_seq);
/* An AQIC's change of q's I bit to on, due irq_cycles from now. */
int ap_irq_change_add(s390ap_machine *m, const struct ap_queue *q, bool on);
size_t ap_events_pending(const s390ap_machine *m);
void ap_events_free(s390ap_machine *m);
/* Fire every event due by cycle (>= now) in order, then set now = cycle. */
void ap_clock_fire(s390ap_machine *m, uint64_t cycle);

/* The dispatcher's view of the clock between slices: no calls unless an
 * event is due. */
static inline uint64_t ap_clock_now(const s390ap_machine *m)
{
	return m->now;
}

static inline uint64_t ap_clock_next(const s390ap_machine *m)
{
	return m->ev_next;
}

/* The earliest event that is not an AQIC change (when only those are due,
 * the dispatcher's AP path lets them land by ap_clock_irq_land). */
static inline uint64_t ap_clock_next_queued(const s390ap_machine *m)
{
	return m->ev_loud.next < m->ev_quiet.next ? m->ev_loud.next : m->ev_quiet.next;
}

/* Move the clock to cycle (>= now) when nothing but AQIC changes, at least
 * one, is due by then: land those. */
void ap_clock_irq_land(s390ap_machine *m, uint64_t cycle);

/* The earliest loud event (see ap_event_loud). */
static inline uint64_t ap_clock_next_loud(const s390ap_machine *m)
{
	return m->ev_loud.next;
}

/* Move the clock to cycle (>= now), firing the events due by then. */
static inline void ap_clock_to(s390ap_machine *m, uint64_t cycle)
{
	if (cycle >= m->ev_next)
		ap_clock_fire(m, cycle);
	else
		m->now = cycle;
}

/* Pending adapter interruptions, one bit per ISC (0x80 = ISC 0). */
static inline uint8_t ap_clock_irq_pending(const s390ap_machine *m)
{
	return m->irq_pending;
}

/* queue.c: every change of a queue's state.  src/pqap/ decides which
 * response code an instruction gets and calls these for the work. */
int ap_queue_create(s390ap_machine *m, struct ap_adapter *a, unsigned apid, unsigned apqi);
void ap_queue_destroy(struct ap_queue *q);
void ap_queue_flush(s390ap_machine *m, struct ap_queue *q);
void ap_queue_drop(s390ap_machine *m, struct ap_queue *q);
int ap_queue_reset(s390ap_machine *m, struct ap_queue *q, bool unbind);
/* The host's reset: as ap_queue_reset, complete at once (no event). */
void ap_queue_reset_now(s390ap_machine *m, struct ap_queue *q, bool unbind);
void ap_queue_event(s390ap_machine *m, const struct ap_event *ev);
/* An AQIC change lands (clock.c fires it): the I bit of the queue apqn, if
 * it is still the generation gen, becomes on. */
void ap_queue_irq_land(s390ap_machine *m, uint16_t apqn, uint64_t gen, bool on);

/* NQAP.  ap_queue_nq_read reads the next n bytes of a request: a
 * continuation (cont) onto the assembly buffer, a new message into a
 * buffer of its own, so another PSMID's partial message survives a failed
 * read.  The part is fetched (acc) before anything else happens, so an
 * access callback may leave by longjmp.  Nothing else changes until ap_queue_nq_commit (keep the
 * part, or submit when complete) or ap_queue_nq_refuse (drop it and the partial). */
struct ap_nq {
	const uint8_t *msg; /* the message so far, this part included */
	size_t len;
	uint8_t *fresh; /* a new multi-part message's first buffer */
	bool cont, complete;
};
int ap_queue_nq_read(struct ap_adapter *a, struct ap_queue *q, const s390ap_storage *st,
		     const s390ap_access *acc, bool cont, bool complete, struct ap_nq *nq,
		     s390ap_access_exc *exc);
int ap_queue_nq_commit(s390ap_machine *m, struct ap_adapter *a, struct ap_queue *q,
		       struct ap_nq *nq, uint64_t psmid, bool special);
void ap_queue_nq_refuse(struct ap_queue *q, struct ap_nq *nq);
/* Whether the bytes an NQAP execution of n bytes may come to hold (buffer
 * growth, a reply of the adapter's maximum size) stay within mem_limit. */
bool ap_queue_mem_room(const s390ap_machine *m, const struct ap_adapter *a,
		       const struct ap_queue *q, bool cont, size_t n, bool complete);
void ap_queue_asm_discard(struct ap_queue *q);

/* DQAP: the reply to transfer, where the transfer stands, and the
 * transfer of n more bytes (first = a new transfer from byte 0).  Returns
 * the bytes left; at 0 the reply is gone. */
size_t ap_queue_dq_offset(const struct ap_queue *q, bool first);
size_t ap_queue_dq_advance(struct ap_queue *q, bool first, size_t n);

/* AQIC, BAPQ, AAPQ */
int ap_queue_irq_request(s390ap_machine *m, struct ap_queue *q, bool enable, uint8_t isc,
			 uint64_t nib, uint32_t gisa, uint8_t gisc);
void ap_queue_bind(struct ap_queue *q, uint8_t bs);
int ap_queue_associate(s390ap_machine *m, struct ap_queue *q);

/* Fault injection (s390ap_queue_busy and friends). */
void ap_queue_inject_busy(const s390ap_machine *m, struct ap_queue *q, uint64_t cycles);
void ap_queue_inject_delay(struct ap_queue *q, uint64_t cycles);
void ap_queue_inject_loss(struct ap_queue *q);
void ap_queue_inject_assoc_failure(struct ap_queue *q, uint8_t rc);

/* Reads: small enough to inline everywhere. */
static inline bool ap_queue_assembling(const struct ap_queue *q)
{
	return q->asm_buf != NULL;
}

static inline unsigned ap_queue_count(const struct ap_queue *q)
{
	return q->inproc.n + q->ready.n + (q->asm_buf ? 1u : 0u);
}

static inline const struct ap_msg *ap_queue_reply(const struct ap_queue *q)
{
	return q->ready.head;
}

/* machine.c: the QCI block as a view sees it */
void ap_qci_image(const s390ap_machine *m, const s390ap_view *v, uint8_t block[S390AP_QCI_SIZE]);

/* ---- lookups on the instruction path: inline, no calls ---- */

static inline struct ap_adapter *ap_adapter_get(const s390ap_machine *m, unsigned apid)
{
	return apid < S390AP_MAX_IDS ? m->ad[apid] : NULL;
}

static inline struct ap_queue *ap_queue_get(const s390ap_machine *m, uint16_t apqn)
{
	const struct ap_adapter *a = m->ad[S390AP_APQN_APID(apqn)];

	return a ? a->q[S390AP_APQN_APQI(apqn)] : NULL;
}

static inline uint32_t ap_view_facilities(const s390ap_machine *m, const s390ap_view *v)
{
	return v ? (v->facilities & m->fac) : m->fac;
}

/* The view's own masks (NULL = no restriction) have apid and apqi. */
static inline bool ap_view_masks_have(const s390ap_view *v, unsigned apid, unsigned apqi)
{
	return (!v->apm || mask_test(v->apm, apid)) && (!v->aqm || mask_test(v->aqm, apqi));
}

/* The APQN is in the machine's configuration and, when v has masks, in
 * v's masks too.  (An adapter exists exactly when its APM bit is on; a
 * queue exists only where the AQM bit is on.) */
static inline bool ap_view_has(const s390ap_machine *m, const s390ap_view *v, uint16_t apqn)
{
	unsigned apid = S390AP_APQN_APID(apqn), apqi = S390AP_APQN_APQI(apqn);

	if (!mask_test(m->apm, apid) || !mask_test(m->aqm, apqi))
		return false;
	return !v || ap_view_masks_have(v, apid, apqi);
}

/* The queue status word (GR1 bits 32-63) with response code rc. */
static inline uint32_t ap_queue_status(const struct ap_queue *q, uint8_t rc)
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

/* ---- the clock, as the dispatcher's AP path sees it ---- */

/* Move the clock forward to cycle when the caller knows no event is due by
 * then (otherwise s390ap_machine_run_until). */
static inline void ap_clock_move(s390ap_machine *m, uint64_t cycle)
{
	if (cycle > m->now)
		m->now = cycle;
}

/* Changes whenever a queued event (not an AQIC change, which is quiet and
 * never cuts a slice) is added: a slice bound taken at an older value may
 * be too late.  (Events only leave by firing, which can only make the next
 * one later.) */
static inline uint64_t ap_clock_epoch(const s390ap_machine *m)
{
	return m->ev_order;
}

#endif
