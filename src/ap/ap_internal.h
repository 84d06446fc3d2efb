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

#define AP_DEFAULT_MSG_SIZE 12288u

/* A request in process or a reply waiting.  The engine runs when the last
 * part of a request arrives, so a request already carries its reply. */
struct ap_msg {
	struct ap_msg *next;
	uint64_t psmid;
	uint64_t seq;        /* per queue, identifies the message for events */
	bool lost;           /* fault: never becomes a reply */
	size_t len;          /* reply length */
	uint8_t data[];      /* reply bytes */
};

struct ap_msg_list {
	struct ap_msg *head, *tail;
	unsigned n;
};

struct ap_queue {
	uint8_t apid, apqi;
	uint64_t gen;            /* new on create and flush: stale events are ignored */
	uint8_t depth;           /* the adapter's request slots */
	uint64_t seq;            /* next message sequence number */

	struct ap_msg_list inproc; /* requests the adapter is working on */
	struct ap_msg_list ready;  /* replies waiting for DQAP */

	/* NQAP multi-part assembly */
	uint8_t *asm_buf;
	size_t asm_len;
	uint64_t asm_psmid;
	bool asm_active;
	bool asm_special;

	/* DQAP transfer of ready.head in progress */
	bool xfer_active;
	size_t xfer_off;

	bool reset_pending;
	bool irq_on;             /* the I bit as reported */
	bool irq_target;         /* where the I bit is heading */
	bool irq_change_pending;
	uint8_t isc;
	uint64_t nib;

	uint64_t busy_until;
	uint64_t delay_next;
	bool lose_next;

	uint8_t bs;              /* SE bind state */
	bool assoc_pending;
	uint8_t fail_assoc_rc;
	uint8_t async_rc;        /* sticky asynchronous error */

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
	uint64_t latency;
	size_t max_msg;
	s390ap_engine engine;
	uint64_t requests;
	uint8_t *scratch;        /* engine reply buffer, max_msg bytes */
	struct ap_queue *q[S390AP_MAX_IDS];
};

enum ap_event_kind {
	AP_EV_RESET_DONE,
	AP_EV_IRQ,
	AP_EV_REPLY,
	AP_EV_ASSOC
};

/* A pending event's payload (clock.c keeps it in a slot of m->ev_data; a
 * free slot links the next free one through msg_seq). */
struct ap_event {
	uint64_t msg_seq;        /* AP_EV_REPLY: the message; AP_EV_IRQ: the new I bit */
	uint64_t gen;
	uint16_t apqn;
	uint8_t kind;
};

/* What the event queues order: (when, tag), tag = rank << 32 | slot. */
struct ap_ev_key {
	uint64_t when;
	uint64_t tag;
};

/* Keys earlier than all of the heap, kept in a small sorted array. */
#define AP_EV_FRONT 8u

/* One event queue (clock.c): a sorted front and a 4-ary min-heap. */
struct ap_evq {
	uint64_t next;           /* when of its earliest event, or S390AP_NO_EVENT */
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
	uint64_t reset_cycles, irq_cycles, assoc_cycles;
	uint32_t cpu_determined;
	s390ap_storage host;
	bool has_host;

	uint8_t apm[S390AP_MASK_BYTES];
	uint8_t aqm[S390AP_MASK_BYTES];
	uint8_t adm[S390AP_MASK_BYTES];
	struct ap_adapter *ad[S390AP_MAX_IDS];

	uint64_t now;
	uint64_t ev_next;        /* when of the earliest pending event, or S390AP_NO_EVENT */
	struct ap_evq ev_loud, ev_quiet;
	struct ap_event *ev_data;  /* payloads by slot */
	size_t ev_cap;             /* slots (and entries of each heap) allocated */
	uint32_t ev_free;          /* first free slot, UINT32_MAX if none */
	uint32_t ev_rank;          /* rank of the next event added */
	uint64_t ev_order;         /* events ever added */
	uint64_t gen_next;

	uint8_t irq_pending;
	uint64_t irq_count[8];
	uint64_t rc_count[256];
	uint64_t pgm_count[128];

	char errmsg[192];
};

/* machine.c */
int ap_error(s390ap_machine *m, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
struct ap_adapter *ap_adapter_get(const s390ap_machine *m, unsigned apid);
struct ap_queue *ap_queue_get(const s390ap_machine *m, uint16_t apqn);

/* clock.c */
void ap_events_init(s390ap_machine *m);
int ap_event_add(s390ap_machine *m, uint64_t delay, enum ap_event_kind kind,
		 const struct ap_queue *q, uint64_t msg_seq);
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

/* queue.c */
int ap_queue_create(s390ap_machine *m, struct ap_adapter *a, unsigned apid,
		    unsigned apqi);
void ap_queue_destroy(struct ap_queue *q);
void ap_queue_flush(s390ap_machine *m, struct ap_queue *q);
int ap_queue_reset(s390ap_machine *m, struct ap_queue *q, bool unbind);
unsigned ap_queue_count(const struct ap_queue *q);
uint32_t ap_queue_status(const struct ap_queue *q, uint8_t rc);
int ap_queue_submit(s390ap_machine *m, struct ap_adapter *a,
		    struct ap_queue *q, const uint8_t *msg, size_t len,
		    uint64_t psmid, bool special);
void ap_queue_event(s390ap_machine *m, const struct ap_event *ev);
void ap_msg_list_free(struct ap_msg_list *l);

/* machine.c: the QCI block as a view sees it */
void ap_qci_image(const s390ap_machine *m, const s390ap_view *v,
		  uint8_t block[S390AP_QCI_SIZE]);
uint32_t ap_view_facilities(const s390ap_machine *m, const s390ap_view *v);
bool ap_view_has(const s390ap_machine *m, const s390ap_view *v, uint16_t apqn);

#endif
