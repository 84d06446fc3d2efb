/* SPDX-License-Identifier: MIT */
/* s390ap — the AP hardware: machine configuration, adapters, domains,
 * queues, the event clock, adapter interruptions and fault injection.
 *
 * A machine is an object the caller owns; there is no global state, so any
 * number of machines may live in one process (one thread per machine).
 *
 * Identifiers follow the architecture: apid = adapter (card) 0..255,
 * apqi = queue index = usage domain 0..255, apqn = apid << 8 | apqi.
 * Masks (APM, AQM, ADM) are 32-byte images, MSB-first: id 0 is bit 0x80 of
 * byte 0, exactly as stored in the QCI block and in a CRYCB.
 */
#ifndef S390AP_MACHINE_H
#define S390AP_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/storage.h"

#ifdef __cplusplus
extern "C" {
#endif

#define S390AP_MASK_BYTES 32
#define S390AP_MAX_IDS 256
#define S390AP_APQN(apid, apqi) ((uint16_t)((0xffu & (apid)) << 8 | (0xffu & (apqi))))
#define S390AP_APQN_APID(apqn) ((uint8_t)((apqn) >> 8))
#define S390AP_APQN_APQI(apqn) ((uint8_t)(0xffu & (apqn)))

/* ------------------------------------------------------------------ */
/* Facilities (our own bit numbering; see docs/ap-model.md)            */
/* ------------------------------------------------------------------ */
enum s390ap_facility {
	S390AP_FAC_AP = 1u << 0,    /* AP instructions installed (no STFLE bit) */
	S390AP_FAC_QCI = 1u << 1,   /* STFLE 12: PQAP(QCI) */
	S390AP_FAC_APFT = 1u << 2,  /* STFLE 15: TAPQ T bit */
	S390AP_FAC_AQIC = 1u << 3,  /* STFLE 65: PQAP(AQIC), adapter interruptions */
	S390AP_FAC_MSAX3 = 1u << 4, /* STFLE 76: MSA extension 3 */
	S390AP_FAC_APXA = 1u << 5,  /* QCI N: ids 0..255, Na/Nd valid */
	S390AP_FAC_APSC = 1u << 6,  /* QCI S: NQAP special-command bit */
	S390AP_FAC_QACT = 1u << 7,  /* QCI C: PQAP(QACT) */
	S390AP_FAC_RC8A = 1u << 8,  /* QCI R */
	S390AP_FAC_APSB = 1u << 9,  /* QCI B: secure binding (BAPQ/AAPQ) */
	S390AP_FAC_ALL = (1u << 10) - 1
};

/* Name of one facility bit ("APXA"), or NULL. */
S390AP_API const char *s390ap_facility_name(uint32_t fac_bit);

/* ------------------------------------------------------------------ */
/* Adapters                                                            */
/* ------------------------------------------------------------------ */
enum s390ap_adapter_type {
	S390AP_TYPE_CEX4 = 10,
	S390AP_TYPE_CEX5 = 11,
	S390AP_TYPE_CEX6 = 12,
	S390AP_TYPE_CEX7 = 13,
	S390AP_TYPE_CEX8 = 14
};

typedef enum s390ap_mode {
	S390AP_MODE_ACCEL = 0, /* TAPQ GR2 bit 4 'A' */
	S390AP_MODE_CCA = 1,   /* TAPQ GR2 bit 3 'D' */
	S390AP_MODE_EP11 = 2   /* TAPQ GR2 bit 5 'X' */
} s390ap_mode;

/* TAPQ GR2 facility bits 0-31, as the 32-bit word GR2 >> 32. */
#define S390AP_TAPQ_FAC_APSC 0x80000000u    /* S */
#define S390AP_TAPQ_FAC_MEX4K 0x40000000u   /* M */
#define S390AP_TAPQ_FAC_CRT4K 0x20000000u   /* C */
#define S390AP_TAPQ_FAC_CCA 0x10000000u     /* D */
#define S390AP_TAPQ_FAC_ACCEL 0x08000000u   /* A */
#define S390AP_TAPQ_FAC_EP11 0x04000000u    /* X */
#define S390AP_TAPQ_FAC_APXA 0x02000000u    /* N */
#define S390AP_TAPQ_FAC_SLCF 0x01000000u    /* H */
#define S390AP_TAPQ_FAC_FULL 0x00800000u    /* class F */
#define S390AP_TAPQ_FAC_RESTR 0x00400000u   /* class R */
#define S390AP_TAPQ_FAC_BS_MASK 0x0000C000u /* SE bind state, per queue */

typedef struct s390ap_adapter_opts {
	uint32_t size; /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	uint8_t type;  /* AP type, S390AP_TYPE_CEX4..CEX8 (10..14); 0 = CEX8 */
	s390ap_mode mode;
	/* Extra TAPQ facility bits (S, M, C, N, H, F, R).  The mode bit is
	 * derived from `mode`; BS is per queue.  0 = sensible defaults for the
	 * type and mode (see docs/ap-model.md). */
	uint32_t fac;
	bool fac_explicit; /* use `fac` as given (mode bit still forced) */
	uint16_t domains;  /* domains the adapter implements (1..256); 0 = 85 */
	uint8_t ml;        /* TAPQ ML field (4 KiB units, <4 means 12 KiB); 0 = 3 */
	uint8_t depth;     /* request slots per queue (1..16); 0 = 8 */
	uint64_t latency;  /* reply latency in cycles; 0 = default for type/mode */
} s390ap_adapter_opts;

/* ------------------------------------------------------------------ */
/* Message engine: turns a complete request into a reply               */
/* ------------------------------------------------------------------ */
typedef struct s390ap_engine_request {
	uint16_t apqn;
	uint8_t type; /* adapter AP type */
	s390ap_mode mode;
	uint32_t fac; /* adapter TAPQ facility word */
	bool special; /* NQAP special-command bit */
	uint64_t psmid;
	const uint8_t *msg; /* the whole (assembled) request */
	size_t len;
	/* This request's handle for s390ap_queue_complete when process()
	 * returns S390AP_ENGINE_PENDING: unique on the machine, never reused */
	uint64_t token;
} s390ap_engine_request;

typedef struct s390ap_engine_reply {
	uint8_t *buf;     /* `cap` bytes: the reply message itself (no
			     further copy of the reply is made) */
	size_t cap;       /* the adapter's maximum message size */
	size_t len;       /* out: reply length (1..cap) */
	uint64_t latency; /* in: the adapter's latency (+ injected delay);
			     the crypto engine adds its operation cost */
} s390ap_engine_reply;

/* process() answers later: the reply comes with s390ap_queue_complete. */
#define S390AP_ENGINE_PENDING 1

typedef struct s390ap_engine {
	/* Process one request; fill rep->buf/len.  Return 0, or a negative
	 * error to make the machine answer with a type 82 reply code 0x10
	 * (machine failure), or S390AP_ENGINE_PENDING to answer later with
	 * s390ap_queue_complete(m, req->apqn, req->token, ...) (rep->buf
	 * and rep->latency are then ignored; see engine.h).  Must not keep
	 * pointers into req->msg or rep->buf, and must not call back into
	 * the machine. */
	int (*process)(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep);
	/* Called when the engine is replaced, its adapter removed or the
	 * machine freed; may be NULL. */
	void (*destroy)(void *ctx);
	void *ctx;
	/* Optional, for s390ap_machine_save / _restore (state.h,
	 * docs/state-format.md); NULL = the engine keeps no state worth
	 * saving.  save writes the engine's state into buf (cap bytes) and
	 * sets *len; if cap is too small it returns S390AP_ENOSPC with *len
	 * = the bytes needed.  restore takes such bytes back (untrusted: it
	 * checks them) and returns 0, or a negative error leaving the engine
	 * as it was.  Neither may call back into the machine. */
	int (*save)(void *ctx, uint8_t *buf, size_t cap, size_t *len);
	int (*restore)(void *ctx, const uint8_t *buf, size_t len);
} s390ap_engine;

/* The engine every new adapter gets: a crypto engine with default options
 * (s390ap_crypto_engine_new in engine.h), in *out.  Each call makes a new
 * one that s390ap_adapter_set_engine takes over on success; otherwise
 * release it with out->destroy(out->ctx).  0, S390AP_EINVAL (NULL out) or
 * S390AP_ENOMEM. */
S390AP_API int s390ap_default_engine(s390ap_engine *out);

#define S390AP_ERROR_REPLY_LEN 8
/* Build an error reply of S390AP_ERROR_REPLY_LEN bytes (type 0x82, 0x87 or
 * 0x88) with reply_code at byte 4: 0, S390AP_EINVAL for a NULL buf,
 * S390AP_ENOSPC if cap < 8 (buf untouched). */
S390AP_API int s390ap_error_reply(uint8_t *buf, size_t cap, uint8_t type, uint8_t reply_code);

/* ------------------------------------------------------------------ */
/* Machine                                                             */
/* ------------------------------------------------------------------ */
typedef struct s390ap_machine s390ap_machine;

typedef struct s390ap_machine_opts {
	uint32_t size;       /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	uint32_t facilities; /* S390AP_FAC_*; ignored unless facilities_set */
	bool facilities_set; /* false: everything but APSB and RC8A */
	/* QCI Na / Nd (max apid / apqi); 0 = 255/255 with APXA, 63/15 without */
	uint8_t na, nd;
	uint64_t reset_cycles; /* RAPQ/ZAPQ completion delay; 0 = default */
	uint64_t irq_cycles;   /* AQIC enable/disable takes effect after; 0 = default */
	uint64_t assoc_cycles; /* AAPQ association delay; 0 = default */
	/* NQAP/DQAP bytes per execution before cc 2; 0 = default 4096,
	 * UINT32_MAX = unlimited */
	uint32_t cpu_determined;
	const s390ap_storage *storage; /* host storage for NIB writes; may be NULL */
	/* Length of a cycle: cycles per microsecond of the modelled machine's
	 * time; 0 = S390AP_DEFAULT_CYCLES_PER_US (a cycle is 1 ns).  Only the
	 * conversions below use it (docs/embedding.md, "Time"). */
	uint32_t cycles_per_us;
} s390ap_machine_opts;

#define S390AP_DEFAULT_RESET_CYCLES 2000u
#define S390AP_DEFAULT_IRQ_CYCLES 500u
#define S390AP_DEFAULT_ASSOC_CYCLES 5000u
#define S390AP_DEFAULT_CPU_DETERMINED 4096u
#define S390AP_DEFAULT_CYCLES_PER_US 1000u

/* opts may be NULL for defaults.  The machine starts with no adapters and
 * no domains; add them with s390ap_adapter_add / s390ap_domain_add. */
S390AP_API int s390ap_machine_new(s390ap_machine **out, const s390ap_machine_opts *opts);
S390AP_API void s390ap_machine_free(s390ap_machine *m);
/* Text of the last failure on this machine: every function that fails
 * with the machine as argument sets it, and successful calls leave it as
 * it was (like errno), so read it right after a call that failed.  ""
 * when nothing failed since creation or since s390ap_machine_errmsg_clear. */
S390AP_API const char *s390ap_machine_errmsg(const s390ap_machine *m);
S390AP_API void s390ap_machine_errmsg_clear(s390ap_machine *m);

/* A ready-made machine: facilities as default, APXA, adapters 0x03 (CEX8
 * accel), 0x04 (CEX8 CCA), 0x05 (CEX7 EP11), usage domains 0x0006,
 * 0x0007, 0x0047, control domains the same plus 0x0000. */
S390AP_API int s390ap_machine_new_default(s390ap_machine **out, const s390ap_storage *storage);

S390AP_API uint32_t s390ap_machine_facilities(const s390ap_machine *m);
S390AP_API int s390ap_machine_set_storage(s390ap_machine *m, const s390ap_storage *st);

/* A machine-wide cap on the bytes held for guests in queues: NQAP assembly
 * buffers and reply messages (in process or waiting for DQAP), each message
 * counted with its header and its buffer (docs/ap-model.md).  An NQAP that
 * could pass the cap (buffer growth; for the part that completes a request,
 * a reply of the adapter's maximum message size) ends cc 3 with RC 0x10
 * and changes nothing.  0 = no cap (the default).  Lowering the cap below
 * what is held refuses NQAPs until DQAPs and resets have freed enough. */
S390AP_API int s390ap_machine_set_mem_limit(s390ap_machine *m, uint64_t bytes);
S390AP_API uint64_t s390ap_machine_mem_limit(const s390ap_machine *m);
/* The bytes the cap counts, now. */
S390AP_API uint64_t s390ap_machine_mem_used(const s390ap_machine *m);
/* Max apid / apqi the configuration allows (Na / Nd, or 63 / 15). */
S390AP_API unsigned s390ap_machine_max_apid(const s390ap_machine *m);
S390AP_API unsigned s390ap_machine_max_apqi(const s390ap_machine *m);
/* Copy the 32-byte APM / AQM / ADM images (a NULL image is skipped):
 * 0, or S390AP_EINVAL for a NULL machine. */
S390AP_API int s390ap_machine_masks(const s390ap_machine *m, uint8_t apm[32], uint8_t aqm[32],
				    uint8_t adm[32]);
/* The 128-byte QCI block the machine reports (full configuration): 0, or
 * S390AP_EINVAL for a NULL argument. */
S390AP_API int s390ap_machine_qci(const s390ap_machine *m, uint8_t block[128]);

/* Configuration changes (these are QCI changes). */
S390AP_API int s390ap_adapter_add(s390ap_machine *m, unsigned apid,
				  const s390ap_adapter_opts *opts);
S390AP_API int s390ap_adapter_remove(s390ap_machine *m, unsigned apid);
S390AP_API int s390ap_domain_add(s390ap_machine *m, unsigned apqi, bool usage, bool control);
S390AP_API int s390ap_domain_remove(s390ap_machine *m, unsigned apqi);
/* Install an engine on adapter apid; the adapter owns it from then on.  The
 * engine it replaces is destroyed, unless both share one non-NULL context
 * (setting the installed engine again, or new callbacks over the same
 * context): then only the callbacks change. */
S390AP_API int s390ap_adapter_set_engine(s390ap_machine *m, unsigned apid,
					 const s390ap_engine *engine);

/* ------------------------------------------------------------------ */
/* Fault injection                                                     */
/* ------------------------------------------------------------------ */
/* Checkstop (RC 0x04) or clear it; checkstop flushes every queue. */
S390AP_API int s390ap_adapter_checkstop(s390ap_machine *m, unsigned apid, bool on);
/* Deconfigure (standby, RC 0x03) or reconfigure; either flushes the queues. */
S390AP_API int s390ap_adapter_configure(s390ap_machine *m, unsigned apid, bool on);
/* Every AP instruction but DQAP answers RC 0x05 for `cycles` cycles. */
S390AP_API int s390ap_queue_busy(s390ap_machine *m, uint16_t apqn, uint64_t cycles);
/* The next reply on the queue arrives `cycles` later than normal. */
S390AP_API int s390ap_queue_delay_reply(s390ap_machine *m, uint16_t apqn, uint64_t cycles);
/* The next request enqueued on the queue never produces a reply. */
S390AP_API int s390ap_queue_lose_reply(s390ap_machine *m, uint16_t apqn);
/* SE: the next AAPQ on the queue fails asynchronously with rc (0x35/0x36). */
S390AP_API int s390ap_queue_fail_assoc(s390ap_machine *m, uint16_t apqn, uint8_t rc);

/* ------------------------------------------------------------------ */
/* Queue inspection                                                    */
/* ------------------------------------------------------------------ */
typedef struct s390ap_queue_info {
	bool exists;        /* adapter present, apqi in AQM, apqi < domains */
	bool reset_pending; /* RAPQ/ZAPQ not yet complete */
	bool irq_enabled;   /* the I bit as TAPQ reports it now */
	bool irq_change_pending;
	uint8_t isc;
	uint64_t nib;
	unsigned requests;                   /* requests being processed */
	unsigned replies;                    /* replies waiting to be dequeued */
	unsigned capacity;                   /* request slots (requests + replies) */
	uint8_t bs;                          /* SE bind state 0..3 */
	uint8_t async_rc;                    /* sticky asynchronous error, 0 if none */
	uint64_t enqueued, dequeued, resets; /* counters since creation */
} s390ap_queue_info;

S390AP_API int s390ap_queue_info_get(const s390ap_machine *m, uint16_t apqn,
				     s390ap_queue_info *info);

typedef struct s390ap_adapter_info {
	bool present;
	bool configured;
	bool checkstopped;
	uint8_t type;
	s390ap_mode mode;
	uint32_t fac; /* TAPQ facility word (without BS) */
	uint16_t domains;
	uint8_t ml;
	uint8_t depth;
	uint64_t latency;
	uint64_t requests; /* total requests accepted by NQAP */
} s390ap_adapter_info;

S390AP_API int s390ap_adapter_info_get(const s390ap_machine *m, unsigned apid,
				       s390ap_adapter_info *info);
/* Max message size in bytes for an ML field value (12 KiB for ML < 4). */
S390AP_API size_t s390ap_ml_bytes(uint8_t ml);
/* "CEX8", "CEX4" ...; "?" for unknown. */
S390AP_API const char *s390ap_type_name(uint8_t type);
/* lszcrypt style: "CEX8A", "CEX8C", "CEX8P". buf >= 8 bytes. */
S390AP_API const char *s390ap_card_name(uint8_t type, s390ap_mode mode, char *buf, size_t size);
S390AP_API const char *s390ap_mode_name(s390ap_mode mode);

/* ------------------------------------------------------------------ */
/* Event clock                                                         */
/* ------------------------------------------------------------------ */
/* "No event pending".  An event's cycle saturates at S390AP_NO_EVENT - 1
 * (a delay that would pass the end of the clock, a huge latency plus an
 * injected delay), so a pending event is never reported as none. */
#define S390AP_NO_EVENT UINT64_MAX

S390AP_API uint64_t s390ap_machine_now(const s390ap_machine *m);
/* Cycle stamp of the earliest pending event, or S390AP_NO_EVENT. */
S390AP_API uint64_t s390ap_machine_next_event(const s390ap_machine *m);
/* Move the clock forward by `cycles`, firing due events in order.  0, or
 * S390AP_ERANGE (nothing changes) if now + cycles would pass UINT64_MAX. */
S390AP_API int s390ap_machine_advance(s390ap_machine *m, uint64_t cycles);
/* Move the clock to `cycle`, firing due events in order.  The clock never
 * goes back: a cycle before now changes nothing and is no error, so vCPU
 * threads with clocks of their own may each hand in theirs. */
S390AP_API int s390ap_machine_run_until(s390ap_machine *m, uint64_t cycle);

/* Host time in cycles (docs/embedding.md, "Time"), with c = the machine's
 * cycles per microsecond: ns * c / 1000, and for a TOD-clock difference
 * (bit 51 = 1 us, so 4096 units a microsecond) tod * c / 4096, both
 * rounding down and saturating at UINT64_MAX.  s390ap_machine_ns_from_cycles
 * is the inverse rounding up (a timer armed for it never fires before the
 * cycle).  0 for a NULL machine. */
S390AP_API uint64_t s390ap_machine_cycles_from_ns(const s390ap_machine *m, uint64_t ns);
S390AP_API uint64_t s390ap_machine_cycles_from_tod(const s390ap_machine *m, uint64_t tod);
S390AP_API uint64_t s390ap_machine_ns_from_cycles(const s390ap_machine *m, uint64_t cycles);
S390AP_API uint32_t s390ap_machine_cycles_per_us(const s390ap_machine *m);

/* ------------------------------------------------------------------ */
/* Adapter interruptions                                               */
/* ------------------------------------------------------------------ */
/* Interruption subclasses 0..7; ISC isc is bit S390AP_ISC_BIT(isc) of the
 * pending byte, MSB-first like CR6's I/O interruption subclass mask. */
#define S390AP_ISC_MAX 7u
#define S390AP_ISC_BIT(isc) ((uint8_t)(0x80u >> ((isc)&S390AP_ISC_MAX)))

/* Pending ISCs: bit S390AP_ISC_BIT(isc) set when ISC isc has a pending
 * adapter interruption. */
S390AP_API uint8_t s390ap_machine_irq_pending(const s390ap_machine *m);
/* Accept the interruption for one ISC (0..7): clears it.  Returns 0, or
 * S390AP_EINVAL for a NULL machine or an ISC over 7.  *was_pending (may be
 * NULL) says whether it was pending; acknowledging an ISC that is not
 * pending is no error. */
S390AP_API int s390ap_machine_irq_ack(s390ap_machine *m, unsigned isc, bool *was_pending);
/* Interruptions made pending so far, per ISC (0..7). */
S390AP_API uint64_t s390ap_machine_irq_count(const s390ap_machine *m, unsigned isc);

/* ------------------------------------------------------------------ */
/* Host notifications (docs/embedding.md)                              */
/* ------------------------------------------------------------------ */
typedef enum s390ap_config_event {
	S390AP_CONFIG_ADAPTER_ADDED = 1,
	S390AP_CONFIG_ADAPTER_REMOVED,
	S390AP_CONFIG_DOMAIN_ADDED,      /* usage / control: the roles added */
	S390AP_CONFIG_DOMAIN_REMOVED,    /* usage / control: the roles it had */
	S390AP_CONFIG_ADAPTER_CONFIGURE, /* on: configured, off: standby */
	S390AP_CONFIG_ADAPTER_CHECKSTOP  /* on: checkstopped, off: cleared */
} s390ap_config_event;

typedef struct s390ap_config_change {
	s390ap_config_event what;
	unsigned apid; /* ADAPTER_*; 0 otherwise */
	unsigned apqi; /* DOMAIN_*; 0 otherwise */
	bool on;       /* CONFIGURE / CHECKSTOP: the new state */
	bool usage, control;
} s390ap_config_change;

/* Callbacks into the host, all optional (NULL).  Each is called from
 * inside the library call that made the change, after the change:
 *   irq       an ISC's pending bit went from 0 to 1 (a reply became
 *             ready on a queue with interruptions on: clock calls, AP
 *             instructions, s390ap_queue_complete);
 *   deadline  s390ap_machine_next_event changed (events added, fired or
 *             dropped): the new value, or S390AP_NO_EVENT, once per
 *             change of the value, never with the value last reported;
 *   config    the configuration changed (s390ap_adapter_add ... only on
 *             success and only when something changed).
 * A callback may call the getters that take a const machine, the cycle
 * conversions and s390ap_machine_irq_ack; every other function that
 * changes the machine refuses with S390AP_EBUSY meanwhile (AP
 * instructions must not be issued from a callback either). */
typedef struct s390ap_machine_hooks {
	uint32_t size; /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	void (*irq)(void *ctx, const s390ap_machine *m, unsigned isc);
	void (*deadline)(void *ctx, const s390ap_machine *m, uint64_t next_event);
	void (*config)(void *ctx, const s390ap_machine *m, const s390ap_config_change *change);
	void *ctx;
} s390ap_machine_hooks;

/* Install the callbacks (copied; NULL removes them all).  Calls none of
 * them: read s390ap_machine_next_event once to arm a timer.  0, or
 * S390AP_EINVAL / S390AP_EBUSY. */
S390AP_API int s390ap_machine_set_hooks(s390ap_machine *m, const s390ap_machine_hooks *hooks);

/* ------------------------------------------------------------------ */
/* Host-side lifecycle (docs/embedding.md)                             */
/* ------------------------------------------------------------------ */
typedef enum s390ap_reset_kind {
	S390AP_RESET_SYSTEM = 0, /* every queue reset as by RAPQ */
	S390AP_RESET_CLEAR = 1   /* every queue zeroized as by ZAPQ (unbinds) */
} s390ap_reset_kind;

/* System or clear reset of the whole AP configuration, done at once: every
 * queue loses its requests, replies and partial message, its interruptions
 * are disabled and its sticky error cleared, no reset stays pending; every
 * pending event is dropped and every pending ISC cleared.  The clock, the
 * configuration, adapter states, injected faults and counters stay.
 * 0, or S390AP_EINVAL / S390AP_EBUSY. */
S390AP_API int s390ap_machine_reset(s390ap_machine *m, s390ap_reset_kind kind);
/* The host's reset of one queue (as when a queue leaves a guest): what
 * s390ap_machine_reset does to each queue, done at once; zeroize as ZAPQ.
 * Pending ISCs and other queues' events stay.  0, or S390AP_ENOENT,
 * S390AP_EINVAL, S390AP_EBUSY. */
S390AP_API int s390ap_queue_reset(s390ap_machine *m, uint16_t apqn, bool zeroize);

/* The reply to the request an engine left pending (token from its
 * s390ap_engine_request), len 1 .. the adapter's maximum message size
 * (else a type 82 reply code 0x10 is delivered, as for a failing engine).
 * The reply is ready for DQAP at once (the current cycle), with an
 * interruption as for any reply.  0; S390AP_ENOENT if the queue does not
 * exist or the request is no longer pending (reset, zeroized, flushed,
 * completed already, or never given out: nothing is delivered);
 * S390AP_EINVAL for NULL arguments; S390AP_EBUSY from a callback. */
S390AP_API int s390ap_queue_complete(s390ap_machine *m, uint16_t apqn, uint64_t token,
				     const uint8_t *reply, size_t len);

/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */
/* AP instructions that stored response code rc, and program
 * interruptions with code pgm (1..0x7f) that AP instructions raised, on
 * this machine since creation; 0 for a NULL machine or a code out of
 * range. */
S390AP_API uint64_t s390ap_machine_rc_count(const s390ap_machine *m, uint8_t rc);
S390AP_API uint64_t s390ap_machine_pgm_count(const s390ap_machine *m, uint16_t pgm);

#ifdef __cplusplus
}
#endif
#endif
