/* SPDX-License-Identifier: MIT */
/* Fuzz target: sequences of PQAP / NQAP / DQAP through the instruction API
 * (s390ap_execute), interleaved with clock moves, configuration changes and
 * every fault injection, on a small machine the input configures.  After
 * every step the result is checked against a reference model kept here.
 *
 * Input: a header, then a bytecode.  Reads past the end give zeros
 * (fuzz.h), so every input is a program.  All multi-byte fields are
 * big-endian.
 *
 * Header
 *   fac_drop:2   machine facilities = S390AP_FAC_ALL & ~fac_drop; bit 15
 *                makes the input "ext" (below)
 *   na nd        Na / Nd (0 = default; masked to 63 / 15 without APXA)
 *   cpu_det      0 = 4096, 0xff = unlimited, else cpu_det * 64 bytes
 *   reset irq assoc   cycles: 0 = default, else reset * 16, irq * 8, assoc * 32
 *   nad ndom     1 + (nad & 3) adapters, 1 + (ndom & 3) domains
 *   adapter x nad: apid type mode domains ml depth latency facb
 *                type < 0xf0: 10 + type % 5, else raw; mode < 0xf0: mode % 3,
 *                else raw; depth & 0x1f; ml & 0x1f; latency 0 = default, else
 *                latency^2 * 4; facb: extra TAPQ facility bits facb << 22,
 *                explicit when facb & 1
 *   domain x ndom: apqi flags (bit 0 usage, bit 1 control; 0 = both)
 *   view: 6 bytes as op VIEW
 * Ops (at most MAX_OPS), op = byte % 16:
 *   0,1 PQAP   fc flags apqn gr1 gr2
 *              fc < 0xf0: fc % 10, else raw; flags: 1 T, 2 F, 4 GR0 bits
 *              42-47 from flags >> 5, 8 garbage in GR0 bits 0-31, 16 keep
 *              GR1, 32 keep GR2
 *   2,3 NQAP   regs flags apqn psmid addr len
 *              regs 0 = R1 10 / R2 12, else R1 = regs >> 4, R2 = regs & 15;
 *              flags: 1 not last (L = 0), 2 special, 4 GR0 reserved bits
 *              (next byte), 8 garbage in the high words of the PSMID pair
 *   4,5 DQAP   regs flags apqn addr len
 *              regs 0 = R1 6 / R2 8; flags: 1 keep GR2 (continue), 2 GR0
 *              reserved bits (next byte), 4 bit 32 (ignored)
 *   6   CLOCK  sel: < 0x80 advance sel * 64, < 0xc0 (sel & 63) * 4096,
 *              < 0xf0 (sel & 63) << 16, 0xff run to the next event,
 *              else advance by a raw 8-byte value (ERANGE near the top)
 *   7   FAULT  kind target value: kind % 13 = checkstop on / off, configure
 *              off / on, adapter remove, adapter add (8 bytes as in the
 *              header), domain add (flags byte), domain remove, busy
 *              (cycles), delay reply (cycles), lose reply, fail assoc (rc),
 *              memory cap (value * 64 bytes; 0 lifts it); ext inputs take
 *              kind % 16, adding 13 ACCESS, 14 HOSTRESET, 15 ASYNC:
 *     13 ACCESS sel: sel & 3 = 0 disarm; 3 key asc: the context's access
 *              key (< 0xf0: & 15, else raw: refused over 15) and
 *              address-space control (< 0xf0: & 3, else & 7: refused over
 *              3); 1 (every access) or 2 (stores only): arm an access
 *              exception for accesses touching [addr, addr + 2^(l & 15))
 *              (l 0xff: everything): addr l pgm flags eai ending teid,
 *              pgm < 0xf0 from the access-exception codes (0 = addressing
 *              by default), else raw 2 bytes; flags, eai raw; ending
 *              < 0xc0 & 3 (0 = the library's choice), else raw; teid a
 *              register value.  It stays armed until disarmed or re-armed.
 *     14 HOSTRESET b: b & 1 s390ap_queue_reset(apqn, zeroize b & 2), else
 *              s390ap_machine_reset(kind (b >> 1) & 3; 2, 3: b >> 2, an
 *              unknown kind unless 0 or 1)
 *     15 ASYNC  b idx len seed: b & 7 = 0 the engine leaves the next
 *              1 + ((b >> 3) & 7) requests pending; 1, 2 complete pending
 *              request idx (those of lost requests last; with none, a
 *              bogus token) with a reply of len bytes (< 0xe0 len, 0xff
 *              one over 64 KiB, else (len - 0xdf) KiB: over the adapter's
 *              maximum or 0 = the machine-failure reply; NULL when 0 and
 *              b & 8); 3 a stale token (completed, answered at once,
 *              reset; apqn instead of its queue when b & 8); 4 a token
 *              never given out; 5 a pending token on apqn, another queue;
 *              6 NULL reply with a length (EINVAL); 7 nothing pending any
 *              more
 *   8   CTX    b: problem state when (b & 15) == 15; amode by (b >> 4) & 7:
 *              64 0 31 24 64 64 31 24; b == 0xff: amode 32 (invalid)
 *   9   VIEW   flags apm aqm adm fac_drop:2: flags 1 masks (bit i of apm /
 *              aqm / adm = candidate id i, bit 7 = every other id), 2 SE
 *              guest, 4 no view at all (ctx.view NULL); view facilities =
 *              machine's & ~fac_drop
 *   10  STORE  addr n bytes[n]  (guest storage contents)
 *   11  MSG    tmpl addr param: 0 RSA-1024 ME type 50 (a real key), 1 CCA
 *              type 6 naming domain param, 2 EP11 type 6, 3 type 50 with a
 *              bad length field, else param bytes of 0x5A
 *   12  RAW    op r1r2: execute 0xB2AF/AD/AE (op & 3, 3 = not an AP
 *              opcode) with any register numbers and the current registers;
 *              op & 4: an instruction call with an argument missing (r1r2 & 3:
 *              NULL ctx, NULL res, NULL gr, register 16), EINVAL with a message
 *   13  REG    r value: set GR(r & 15)
 *   14  ACK    isc (b & 7; 0xff: isc 8, EINVAL)
 *   15  POLL   apqn: DQAP until no reply, as a driver polls
 * apqn: < 0xf8 candidate (apid (b >> 3) % n, apqi (b & 7) % n) from the adapters
 *   and domains of the header plus one unconfigured id each; else raw 2 bytes.
 * psmid: < 0xf0 small (b >> 4, b & 15), else raw 8 bytes.
 * addr: < 0x80 b * 0x200; < 0x90 just below 64 KiB; < 0xa0 just below
 *   16 MiB; < 0xb0 just below 2 GiB; < 0xc0 outside storage; < 0xd0 with
 *   garbage high bits; < 0xf0 small and odd; else raw 8 bytes.
 * len: < 0x40 b; < 0x80 (b - 0x40) * 64; < 0xa0 message sizes; < 0xc0 near
 *   12 KiB; < 0xe0 (b & 31) * 2048; < 0xf0 garbage high word; else raw.
 * Register values (gr1, gr2, value): < 0x80 b; < 0xc0 (b & 63) * 0x400; < 0xf0
 *   constants; else raw 8 bytes.
 *
 * Storage: 64 KiB at 0, 4 KiB below 16 MiB and 4 KiB below 2 GiB (so
 * operands that wrap in 24- and 31-bit mode can succeed); the machine's
 * host storage (NIB writes) is the same bytes through other callbacks.
 * Plain inputs use read / write callbacks.  Ext inputs use access
 * callbacks (the instruction storage can report an armed access exception,
 * the host storage gets the interlocked NIB OR) and install on every
 * adapter an engine around the crypto engine that leaves chosen requests
 * pending for s390ap_queue_complete.
 *
 * Invariants (fuzz_fail names the op):
 *  - program interruptions: only operation, privileged, specification and
 *    addressing, exactly where the model expects them (priority order of
 *    docs/ap-model.md); nothing changes (registers, storage, queue);
 *  - cc and GR1: a stored status word has GR1 bits 0-31 zero, RC = res.rc
 *    and cc 3 iff RC != 0; without one GR1 is unchanged and only QCI (cc 0),
 *    NQAP and DQAP (cc 1, 2) may end so; only the registers the instruction
 *    may change do, exactly as far as the model knows them (R2 advanced by
 *    what moved, the PSMID in the low words, GR2 for TAPQ/QACT/DQAP);
 *  - response codes: every RC the model can predict exactly (not in view,
 *    0x11, checkstop, deconfigured, busy, reset, 0x07, 0x06, 0x13, 0x15,
 *    0x16, 0x10 when full, SE codes...) and only documented ones per
 *    instruction; the E, R, F, I and A bits agree with the model;
 *  - a level never sees outside its view: an APQN outside the view's masks
 *    answers RC 0x01 with no flags, leaves GR2 and storage alone and does
 *    not change the queue; QCI stores the view's masks ANDed with the
 *    configuration;
 *  - PSMIDs: every request accepted (NQAP cc 0) comes back by DQAP exactly
 *    once, not before its adapter's latency (+ injected delay) has passed,
 *    unless a reset, checkstop, configure change, removal or lost-reply
 *    fault dropped it; nothing else comes back; at the end every event is
 *    run and every queue drained: every request still owed must come back;
 *  - storage: instructions write only their operands (DQAP buffer, exactly
 *    the bytes moved; QCI block) and read only theirs; the machine writes
 *    only 0x01 to a NIB an AQIC named, and only while the clock moves;
 *  - ext: an access exception the callback reports ends the instruction
 *    with exactly its code, TEID / EAI as flagged and the ending insn.h
 *    documents (or the callback's), and changes nothing; it comes only for
 *    QCI, NQAP and DQAP operands after every RC; accesses carry the
 *    context's key and asc and the operand's register; an instruction
 *    never swallows a failed access;
 *  - ext: the engine sees each accepted request once, at its NQAP, with a
 *    new token; a pending request holds its slot and has no reply until
 *    completed; completing it gives 0 and a reply ready now, with exactly
 *    the bytes given (or the machine-failure reply for 0 or too many);
 *    stale, foreign, never-given and NULL completions fail (ENOENT,
 *    EINVAL) and change nothing; host resets change what docs/ap-model.md
 *    says ("Host resets"), drop every event and ISC for a machine reset;
 *  - API errors: only documented negative codes, each with a message where
 *    the machine is at hand; counters (enqueued, dequeued, resets, rc and
 *    pgm counts) agree with the model at the end; the clock is the model's
 *    and next_event is never before now nor "none" with a reply owed.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "s390ap/s390ap.h"
#include "util/array.h"

#define MAX_OPS 256
#define MAX_AD 8
#define MAX_DOM 8
#define MAX_Q 48
#define MAX_ENT 20 /* requests owed per queue: at most its depth (16) */
#define MAX_CHG 16
#define MAX_LOG 8
#define MAX_NIB 16
#define CLOCK_CAP (UINT64_MAX - (1ull << 40))

/* storage regions */
#define LOW_SIZE 0x10000u
#define TOP24 0x1000000ull
#define TOP31 0x80000000ull
#define TOP_SIZE 0x1000u
#define STORE_BYTES (LOW_SIZE + 2 * TOP_SIZE)
#define UNDO_BYTES STORE_BYTES /* DQAP stores at most one reply: 60 KiB */

enum kind { K_TAPQ, K_RESET, K_AQIC, K_QCI, K_QACT, K_BAPQ, K_AAPQ, K_NQAP, K_DQAP, K_NONE };

/* What a completed asynchronous request's reply must be. */
enum rkind { R_UNKNOWN, R_PATTERN, R_ERROR82 };

struct ent {
	uint64_t psmid;
	uint64_t earliest; /* the reply cannot be ready before */
	unsigned op;
	bool pending;   /* the engine answers later (ext): no event, no reply */
	uint64_t token; /* its s390ap_engine_request.token */
	uint8_t rkind;  /* enum rkind, once completed */
	uint8_t rseed;
	uint32_t rlen;
};

/* A token and the queue it was given out on. */
struct tok {
	uint64_t token;
	uint16_t apqn;
};

#define MAX_STALE 16
#define MAX_LOSTP 32
#define PENDING_NEVER UINT64_MAX

struct mad {
	bool present, configured, checkstopped;
	unsigned apid;
	uint8_t type;
	s390ap_mode mode;
	unsigned domains, depth, ml;
	uint32_t fac;
	uint64_t latency;
	size_t max_msg;
};

struct mq {
	bool used;
	uint16_t apqn;
	struct ent d[MAX_ENT];
	unsigned nd;
	unsigned lost; /* lost requests that may still be in process */
	bool lose_next;
	uint64_t delay_next;
	bool asm_on, asm_special;
	uint64_t asm_psmid, asm_len;
	bool xfer;
	uint64_t xfer_psmid, xfer_left;
	uint64_t busy_until;
	bool reset_pending;
	uint64_t reset_when;
	bool irq_on, irq_target, irq_pending, irq_unknown;
	struct {
		uint64_t when;
		bool on;
		bool stale; /* flushed: holds the queue's slot until it falls due */
	} chg[MAX_CHG];
	unsigned nchg;
	uint8_t async_rc, fail_rc;
	uint8_t bs;
	bool assoc_pending;
	uint64_t assoc_when;
	uint64_t enq, deq, resets;
};

struct acc {
	uint64_t addr;
	size_t len;
	size_t undo; /* offset of the old bytes in the undo buffer */
};

struct fz {
	struct fuzz_in in;
	unsigned op;
	s390ap_machine *m;
	uint8_t *mem;  /* STORE_BYTES */
	uint8_t *undo; /* UNDO_BYTES */
	s390ap_storage st, host;
	/* accesses during one instruction or clock move */
	struct acc wr[MAX_LOG], rd[MAX_LOG];
	unsigned nwr, nrd;
	bool wr_over, rd_over;
	size_t undo_used;
	bool in_clock;
	unsigned host_writes;
	/* machine model */
	uint32_t mfac;
	uint64_t mem_limit;  /* s390ap_machine_set_mem_limit; 0 = none */
	uint64_t mem_before; /* s390ap_machine_mem_used before the instruction */
	unsigned na, nd;
	uint64_t cpu_det, reset_cycles, irq_cycles, assoc_cycles;
	uint64_t now;
	uint8_t apm[32], aqm[32], adm[32];
	struct mad ad[MAX_AD];
	unsigned nad;
	struct mq q[MAX_Q];
	unsigned cand_apid[MAX_AD + 1], ncand_apid;
	unsigned cand_apqi[MAX_DOM + 1], ncand_apqi;
	uint64_t nib[MAX_NIB];
	unsigned nnib;
	bool nib_over;
	uint8_t isc_used;
	uint64_t rc_count[256], pgm_count[128];
	uint64_t irq_count[8];
	/* the executing level */
	uint64_t gr[16];
	s390ap_insn_ctx ctx;
	s390ap_view view;
	bool view_null;
	uint8_t vapm[32], vaqm[32], vadm[32];
	bool dead; /* the library ran out of memory: the model is lost */
	/* ext inputs (header fac_drop bit 15): the access callback, host
	 * resets, an asynchronous engine */
	bool ext;
	bool in_insn;    /* an instruction is running (the engine may be called) */
	unsigned exp_ar; /* the register the instruction's operand comes from */
	struct {
		bool on, all; /* all: fetches too, else stores only */
		uint64_t addr, len;
		s390ap_access_exc exc;
	} flt;
	bool failed;            /* an access of this instruction failed ... */
	s390ap_access_exc fail; /* ... first with this */
	unsigned pend_next;     /* the engine leaves this many more pending */
	bool eng_seen, eng_pending;
	uint64_t eng_token, eng_psmid;
	uint16_t eng_apqn;
	bool any_token;
	uint64_t max_token;
	struct tok stale[MAX_STALE]; /* tokens completion must refuse */
	unsigned nstale;
	struct tok lostp[MAX_LOSTP]; /* pending requests a fault lost */
	unsigned nlostp;
	bool lostp_over;
};

static const char *const poison = "no adapter 1ff";

/* ------------------------------------------------------------------ */
/* Storage                                                             */
/* ------------------------------------------------------------------ */
/* Offset in mem of [addr, addr + len), or -1 if any byte is outside. */
static long long map(uint64_t addr, size_t len)
{
	if (addr < LOW_SIZE && len <= LOW_SIZE - addr)
		return (long long)addr;
	if (addr >= TOP24 - TOP_SIZE && addr < TOP24 && len <= TOP24 - addr)
		return (long long)(LOW_SIZE + (addr - (TOP24 - TOP_SIZE)));
	if (addr >= TOP31 - TOP_SIZE && addr < TOP31 && len <= TOP31 - addr)
		return (long long)(LOW_SIZE + TOP_SIZE + (addr - (TOP31 - TOP_SIZE)));
	return -1;
}

static void log_acc(struct acc *log, unsigned *n, bool *over, uint64_t addr, size_t len,
		    size_t undo)
{
	if (*n == MAX_LOG) {
		*over = true;
		return;
	}
	log[*n] = (struct acc){ addr, len, undo };
	(*n)++;
}

static int st_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	struct fz *z = ctx;
	long long off = map(addr, len);

	log_acc(z->rd, &z->nrd, &z->rd_over, addr, len, 0);
	if (off < 0)
		return -1;
	memcpy(dst, z->mem + off, len);
	return 0;
}

static int st_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	struct fz *z = ctx;
	long long off = map(addr, len);
	size_t u = z->undo_used;

	if (off < 0) {
		log_acc(z->wr, &z->nwr, &z->wr_over, addr, len, SIZE_MAX);
		return -1;
	}
	if (len <= UNDO_BYTES - u) {
		memcpy(z->undo + u, z->mem + off, len);
		z->undo_used += len;
	} else {
		u = SIZE_MAX;
	}
	log_acc(z->wr, &z->nwr, &z->wr_over, addr, len, u);
	memcpy(z->mem + off, src, len);
	return 0;
}

/* The machine's host storage: NIB writes when a reply arrives. */
static int host_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	struct fz *z = ctx;
	long long off = map(addr, len);

	if (off < 0)
		return -1;
	memcpy(dst, z->mem + off, len);
	return 0;
}

/* A NIB store by the machine: only while the clock moves (or a completion
 * makes a reply ready), only where an AQIC named one, only setting bit
 * 0x01 (the OR of docs/embedding.md; a non-zero byte keeps its bits). */
static void host_nib_check(struct fz *z, uint64_t addr, size_t len, uint8_t v)
{
	long long off = map(addr, len);
	bool known = false;

	if (!z->in_clock)
		fuzz_fail("ap: op %u: host storage written at 0x%" PRIx64 " outside a clock move",
			  z->op, addr);
	for (unsigned i = 0; i < z->nnib; i++)
		known |= z->nib[i] == addr;
	if (len != 1 || (!known && !z->nib_over) ||
	    (off >= 0 ? v != (z->mem[off] | 0x01) : v != 0x01))
		fuzz_fail("ap: op %u: host write of %zu bytes (0x%02x) at 0x%" PRIx64
			  " is no NIB an AQIC named",
			  z->op, len, v, addr);
}

static int host_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	struct fz *z = ctx;
	long long off = map(addr, len);

	host_nib_check(z, addr, len, *(const uint8_t *)src);
	if (off < 0)
		return -1;
	z->host_writes++;
	z->mem[off] = *(const uint8_t *)src;
	return 0;
}

static uint64_t amask(const struct fz *z);

/* [a, a + n) and [b, b + m) share a byte (n, m >= 1, no wrap past 2^64). */
static bool overlaps(uint64_t a, uint64_t n, uint64_t b, uint64_t m)
{
	uint64_t a_end = n - 1 > UINT64_MAX - a ? UINT64_MAX : a + (n - 1);
	uint64_t b_end = m - 1 > UINT64_MAX - b ? UINT64_MAX : b + (m - 1);

	return a <= b_end && b <= a_end;
}

/* The instruction storage of ext inputs: one access callback that reports
 * the armed access exception for any access touching its range (fetches
 * too unless it is for stores only), else an addressing exception (pgm 0)
 * outside storage.  Logs like st_read / st_write. */
static int st_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct fz *z = ctx;
	bool store = acc->kind == S390AP_ACCESS_STORE;
	long long off = map(acc->addr, acc->len);
	int fails = 0;

	if (!z->in_insn)
		fuzz_fail("ap: op %u: instruction storage accessed outside an instruction", z->op);
	if ((acc->kind != S390AP_ACCESS_FETCH && !store) || acc->len == 0 || acc->addr > amask(z) ||
	    acc->len - 1 > amask(z) - acc->addr)
		fuzz_fail("ap: op %u: access kind %u at 0x%" PRIx64 " (+%zu) in amode %u", z->op,
			  acc->kind, acc->addr, acc->len, z->ctx.amode);
	if (acc->key != z->ctx.key || acc->asc != z->ctx.asc || acc->ar != z->exp_ar)
		fuzz_fail("ap: op %u: operand access with key %u asc %u ar %u, expected %u %u %u",
			  z->op, acc->key, acc->asc, acc->ar, z->ctx.key, z->ctx.asc, z->exp_ar);
	if (z->flt.on && (store || z->flt.all) &&
	    overlaps(acc->addr, acc->len, z->flt.addr, z->flt.len)) {
		*exc = z->flt.exc;
		fails = 1;
	} else if (off < 0) {
		fails = 1; /* exc stays zero: taken as addressing */
	}
	if (fails && !z->failed) {
		z->failed = true;
		z->fail = *exc;
		if (z->fail.pgm == 0)
			z->fail.pgm = S390AP_PGM_ADDRESSING;
	}
	if (!store) {
		log_acc(z->rd, &z->nrd, &z->rd_over, acc->addr, acc->len, 0);
		if (!fails)
			memcpy(buf, z->mem + off, acc->len);
		return fails;
	}
	if (fails) {
		log_acc(z->wr, &z->nwr, &z->wr_over, acc->addr, acc->len, SIZE_MAX);
		return fails;
	}
	return st_write(z, acc->addr, buf, acc->len);
}

/* The machine's host storage of ext inputs: the AQIC NIB check (a fetch)
 * and the interlocked OR that sets a NIB. */
static int host_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct fz *z = ctx;
	long long off = map(acc->addr, acc->len);
	uint8_t *b = buf;

	(void)exc;
	if (acc->asc != S390AP_ASC_ABSOLUTE || acc->key != 0 || acc->len != 1)
		fuzz_fail("ap: op %u: host access asc %u key %u len %zu", z->op, acc->asc, acc->key,
			  acc->len);
	if (acc->kind == S390AP_ACCESS_FETCH)
		return host_read(z, acc->addr, buf, 1);
	if (acc->kind != S390AP_ACCESS_OR || *b != 0x01)
		fuzz_fail("ap: op %u: host access kind %u (0x%02x)", z->op, acc->kind, *b);
	host_nib_check(z, acc->addr, 1, off >= 0 ? (uint8_t)(z->mem[off] | 0x01) : 0x01);
	if (off < 0)
		return 1;
	*b = z->mem[off];
	z->mem[off] |= 0x01;
	z->host_writes++;
	return 0;
}

/* Is every byte of the operand [addr, addr + len) (wrapping at the top of
 * the addressing mode) in storage? */
static bool in_storage(uint64_t addr, uint64_t len, uint64_t amask)
{
	addr &= amask;
	while (len) {
		uint64_t room = amask - addr + 1; /* 0 = 2^64 in 64-bit mode */
		uint64_t n = (room == 0 || len < room) ? len : room;

		if (n > STORE_BYTES || map(addr, (size_t)n) < 0)
			return false;
		len -= n;
		addr = 0;
	}
	return true;
}

/* [a, a + n) inside the operand [start, start + len) modulo the mode */
static bool within(uint64_t a, uint64_t n, uint64_t start, uint64_t len, uint64_t amask)
{
	uint64_t off = (a - (start & amask)) & amask;

	return off <= len && n <= len - off;
}

static void acc_reset(struct fz *z)
{
	z->nwr = z->nrd = 0;
	z->wr_over = z->rd_over = false;
	z->undo_used = 0;
}

/* After a nullified instruction: every byte written has its old value. */
static void check_undone(struct fz *z, const char *what)
{
	if (z->wr_over)
		fuzz_fail("ap: op %u: %s: too many stores to check", z->op, what);
	for (unsigned i = 0; i < z->nwr; i++) {
		const struct acc *w = &z->wr[i];
		long long off;

		bool again = false;

		if (w->undo == SIZE_MAX)
			continue; /* the store failed */
		/* a split store puts the first piece back: the first store to a
		 * range saved the bytes from before the instruction */
		for (unsigned j = 0; j < i; j++)
			again |= z->wr[j].addr == w->addr && z->wr[j].len == w->len;
		if (again)
			continue;
		off = map(w->addr, w->len);
		if (memcmp(z->mem + off, z->undo + w->undo, w->len) != 0)
			fuzz_fail("ap: op %u: %s: storage at 0x%" PRIx64
				  " (%zu bytes) changed by a nullified instruction",
				  z->op, what, w->addr, w->len);
	}
}

/* ------------------------------------------------------------------ */
/* Input decoding                                                      */
/* ------------------------------------------------------------------ */
static uint64_t sel_addr(struct fz *z)
{
	uint8_t b = fuzz_u8(&z->in);

	if (b < 0x80)
		return (uint64_t)b * 0x200;
	if (b < 0x90)
		return LOW_SIZE - ((uint64_t)(b & 15) + 1) * 8;
	if (b < 0xa0)
		return TOP24 - ((uint64_t)(b & 15) + 1) * 8;
	if (b < 0xb0)
		return TOP31 - ((uint64_t)(b & 15) + 1) * 8;
	if (b < 0xc0)
		return 0x20000ull + (uint64_t)(b & 15) * 0x1000;
	if (b < 0xd0)
		return 0xFFFFFFFF00000000ull | (uint64_t)(b & 15) * 0x200;
	if (b < 0xf0)
		return (uint64_t)(b & 0x1f) * 0x10 + 1;
	return fuzz_uint(&z->in, 8);
}

static uint64_t sel_len(struct fz *z)
{
	/* clang-format off */
	static const uint64_t sizes[] = { 8, 16, 0x90, 0x98, 0x110, 0x140, 0x190, 0x210,
					  0x310, 0x410, 0x1000, 0x1001, 0x2000, 0x3000, 0x3001, 0xF000,
					  0x80, 0x100, 0x200, 0x400, 0x800, 0x4000, 0x8000, 0xC000,
					  0xF001, 0x10000, 1, 2, 3, 4, 5, 7 };
	/* clang-format on */
	uint8_t b = fuzz_u8(&z->in);

	if (b < 0x40)
		return b;
	if (b < 0x80)
		return (uint64_t)(b - 0x40) * 64;
	if (b < 0xa0)
		return sizes[b & 31];
	if (b < 0xc0)
		return 12288 + (uint64_t)(b & 31) - 16;
	if (b < 0xe0)
		return (uint64_t)(b & 31) * 2048;
	if (b < 0xf0)
		return 0x1234567800000000ull | (uint64_t)(b & 15) * 0x100;
	return fuzz_uint(&z->in, 8);
}

static uint64_t sel_value(struct fz *z)
{
	/* clang-format off */
	static const uint64_t consts[] = {
		0, 1, 7, 8, 0xFF, 0x100, 0xFFFF, 0x10000, 0xFFFFFFFF, 0x100000000ull,
		UINT64_MAX, UINT64_MAX - 1, 0x7FFFFFFF, 0xFFFFFF, S390AP_AQIC_IR,
		S390AP_AQIC_IR | 3, S390AP_AQIC_IR | 7, 0x0E000000, 0x0D000000, 0x80000000ull,
		1ull << 63, 0xDEADBEEFCAFEF00Dull, 0x3F000000, 0x30000000,
	};
	/* clang-format on */
	uint8_t b = fuzz_u8(&z->in);

	if (b < 0x80)
		return b;
	if (b < 0xc0) {
		/* put the byte back into play as an address selector */
		uint64_t a = (uint64_t)(b & 0x3f) * 0x400;
		return a;
	}
	if (b < 0xf0)
		return consts[(b - 0xc0) % ARRAY_SIZE(consts)];
	return fuzz_uint(&z->in, 8);
}

static uint16_t sel_apqn(struct fz *z)
{
	uint8_t b = fuzz_u8(&z->in);

	if (b >= 0xf8)
		return (uint16_t)fuzz_uint(&z->in, 2);
	return S390AP_APQN(z->cand_apid[(b >> 3) % z->ncand_apid],
			   z->cand_apqi[(b & 7) % z->ncand_apqi]);
}

static uint64_t sel_psmid(struct fz *z)
{
	uint8_t b = fuzz_u8(&z->in);

	if (b >= 0xf0)
		return fuzz_uint(&z->in, 8);
	return (uint64_t)(b >> 4) << 32 | (b & 15u);
}

/* ------------------------------------------------------------------ */
/* Model lookups                                                       */
/* ------------------------------------------------------------------ */
static bool mtest(const uint8_t *mask, unsigned id)
{
	return (mask[id >> 3] & (0x80u >> (id & 7))) != 0;
}

static void mset(uint8_t *mask, unsigned id, bool on)
{
	if (on)
		mask[id >> 3] |= (uint8_t)(0x80u >> (id & 7));
	else
		mask[id >> 3] &= (uint8_t) ~(0x80u >> (id & 7));
}

static struct mad *mad_get(struct fz *z, unsigned apid)
{
	for (unsigned i = 0; i < z->nad; i++)
		if (z->ad[i].present && z->ad[i].apid == apid)
			return &z->ad[i];
	return NULL;
}

static struct mq *mq_get(struct fz *z, uint16_t apqn)
{
	for (unsigned i = 0; i < MAX_Q; i++)
		if (z->q[i].used && z->q[i].apqn == apqn)
			return &z->q[i];
	return NULL;
}

static void mq_create(struct fz *z, uint16_t apqn)
{
	for (unsigned i = 0; i < MAX_Q; i++) {
		if (!z->q[i].used) {
			memset(&z->q[i], 0, sizeof(z->q[i]));
			z->q[i].used = true;
			z->q[i].apqn = apqn;
			z->q[i].bs = (z->mfac & S390AP_FAC_APSB) ? 2 : 0;
			return;
		}
	}
	fuzz_fail("ap: op %u: more than %d queues in the model", z->op, MAX_Q);
}

static void stale_add(struct fz *z, uint64_t token, uint16_t apqn)
{
	z->stale[z->nstale % MAX_STALE] = (struct tok){ token, apqn };
	z->nstale++;
}

/* The queue's pending requests are gone (flushed, reset, removed): their
 * tokens may not be completed any more. */
static void mq_forget(struct fz *z, struct mq *q)
{
	for (unsigned i = 0; i < q->nd; i++)
		if (q->d[i].pending)
			stale_add(z, q->d[i].token, q->apqn);
	for (unsigned i = 0; i < z->nlostp;) {
		if (z->lostp[i].apqn == q->apqn) {
			stale_add(z, z->lostp[i].token, q->apqn);
			z->lostp[i] = z->lostp[--z->nlostp];
		} else {
			i++;
		}
	}
}

/* The queue loses everything queued (flush in the library's words). */
static void mq_flush(struct fz *z, struct mq *q)
{
	mq_forget(z, q);
	q->nd = 0;
	q->lost = 0;
	q->asm_on = false;
	q->xfer = false;
	q->irq_on = q->irq_target = q->irq_pending = false;
	q->irq_unknown = false;
	for (unsigned i = 0; i < q->nchg; i++)
		q->chg[i].stale = true;
	q->assoc_pending = false;
}

static uint64_t sat_add(uint64_t a, uint64_t b, uint64_t cap)
{
	return b > cap - a || a > cap ? cap : a + b;
}

/* Let the queue's events that are due by now land in the model. */
static void mq_land(struct fz *z, struct mq *q)
{
	while (q->nchg && q->chg[0].when <= z->now) {
		if (!q->chg[0].stale) {
			q->irq_on = q->chg[0].on;
			if (q->irq_on == q->irq_target)
				q->irq_pending = false;
		}
		memmove(&q->chg[0], &q->chg[1], (q->nchg - 1) * sizeof(q->chg[0]));
		q->nchg--;
	}
	if (q->reset_pending && z->now >= q->reset_when)
		q->reset_pending = false;
	if (q->assoc_pending && z->now >= q->assoc_when) {
		q->assoc_pending = false;
		if (q->fail_rc) {
			q->async_rc = q->fail_rc;
			q->fail_rc = 0;
		} else {
			q->bs = 0;
		}
	}
}

static bool view_masks_have(const struct fz *z, unsigned apid, unsigned apqi)
{
	const s390ap_view *v = z->ctx.view;

	if (!v)
		return true;
	return (!v->apm || mtest(v->apm, apid)) && (!v->aqm || mtest(v->aqm, apqi));
}

static uint32_t vfac(const struct fz *z)
{
	return z->ctx.view ? (z->ctx.view->facilities & z->mfac) : z->mfac;
}

static bool se_guest(const struct fz *z)
{
	return z->ctx.view && z->ctx.view->se_guest;
}

static uint64_t amask(const struct fz *z)
{
	return z->ctx.amode == 24 ? 0xFFFFFFull : z->ctx.amode == 31 ? 0x7FFFFFFFull : ~0ull;
}

static uint64_t reg_len(const struct fz *z, const uint64_t *gr, unsigned r)
{
	return amask(z) == ~0ull ? gr[r + 1] : (gr[r + 1] & 0xFFFFFFFFull);
}

/* ------------------------------------------------------------------ */
/* Error checks of the API                                             */
/* ------------------------------------------------------------------ */
static void poison_errmsg(struct fz *z)
{
	if (s390ap_adapter_remove(z->m, 0x1ff) != S390AP_ENOENT ||
	    strcmp(s390ap_machine_errmsg(z->m), poison) != 0)
		fuzz_fail("ap: op %u: removing adapter 0x1ff gave \"%s\"", z->op,
			  s390ap_machine_errmsg(z->m));
}

static bool documented(int err)
{
	switch (err) {
	case S390AP_EINVAL:
	case S390AP_ENOMEM:
	case S390AP_ENOENT:
	case S390AP_EEXIST:
	case S390AP_ERANGE:
	case S390AP_EFAULT:
	case S390AP_EBUSY:
	case S390AP_ENOTSUP:
	case S390AP_ENOSPC:
		return true;
	default:
		return false;
	}
}

/* A call made after poison_errmsg returned got, the model expected exp. */
static void check_err(struct fz *z, const char *what, int got, int exp)
{
	if (got == S390AP_ENOMEM) {
		z->dead = true;
		return;
	}
	if (got > 0 || (got < 0 && !documented(got)))
		fuzz_fail("ap: op %u: %s returned %d, no documented code", z->op, what, got);
	if (got != exp)
		fuzz_fail("ap: op %u: %s returned %d (%s), expected %d", z->op, what, got,
			  s390ap_machine_errmsg(z->m), exp);
	if (got < 0) {
		const char *msg = s390ap_machine_errmsg(z->m);
		if (!msg || !*msg || !strcmp(msg, poison))
			fuzz_fail("ap: op %u: %s returned %d without a message", z->op, what, got);
	}
}

/* ------------------------------------------------------------------ */
/* The asynchronous engine of ext inputs                               */
/* ------------------------------------------------------------------ */
/* Around the crypto engine: leaves the next pend_next requests pending
 * (S390AP_ENGINE_PENDING) and tells the harness what it saw. */
struct feng {
	struct fz *z;
	s390ap_engine inner;
};

static int feng_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct feng *f = ctx;
	struct fz *z = f->z;

	if (!z->in_insn || z->eng_seen)
		fuzz_fail("ap: op %u: engine called %s", z->op,
			  z->in_insn ? "twice by one instruction" : "outside an instruction");
	if (z->any_token && req->token <= z->max_token)
		fuzz_fail("ap: op %u: token %" PRIu64 " after %" PRIu64 ": not new", z->op,
			  req->token, z->max_token);
	z->any_token = true;
	z->max_token = req->token;
	z->eng_seen = true;
	z->eng_token = req->token;
	z->eng_psmid = req->psmid;
	z->eng_apqn = req->apqn;
	z->eng_pending = z->pend_next > 0;
	if (z->eng_pending) {
		z->pend_next--;
		return S390AP_ENGINE_PENDING;
	}
	return f->inner.process(f->inner.ctx, req, rep);
}

static void feng_destroy(void *ctx)
{
	struct feng *f = ctx;

	if (f->inner.destroy)
		f->inner.destroy(f->inner.ctx);
	free(f);
}

static void install_engine(struct fz *z, unsigned apid)
{
	struct feng *f = malloc(sizeof(*f));
	s390ap_engine e;

	if (!f || s390ap_default_engine(&f->inner) < 0) {
		free(f);
		z->dead = true;
		return;
	}
	f->z = z;
	e = (s390ap_engine){ .process = feng_process, .destroy = feng_destroy, .ctx = f };
	if (s390ap_adapter_set_engine(z->m, apid, &e) < 0) {
		feng_destroy(f);
		z->dead = true;
	}
}

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */
static void read_adopts(struct fz *z, unsigned *apid, s390ap_adapter_opts *o)
{
	uint8_t b;

	memset(o, 0, sizeof(*o));
	o->size = sizeof(*o);
	*apid = fuzz_u8(&z->in);
	b = fuzz_u8(&z->in);
	o->type = b < 0xf0 ? (uint8_t)(10 + b % 5) : b;
	b = fuzz_u8(&z->in);
	o->mode = b < 0xf0 ? (s390ap_mode)(b % 3) : (s390ap_mode)b;
	o->domains = fuzz_u8(&z->in);
	o->ml = fuzz_u8(&z->in) & 0x1f;
	o->depth = fuzz_u8(&z->in) & 0x1f;
	b = fuzz_u8(&z->in);
	o->latency = (uint64_t)b * b * 4;
	b = fuzz_u8(&z->in);
	o->fac = (uint32_t)b << 22;
	o->fac_explicit = b & 1;
}

static void add_adapter(struct fz *z, unsigned apid, const s390ap_adapter_opts *o)
{
	int exp = 0, got;
	struct mad *a;

	if (apid > z->na)
		exp = S390AP_ERANGE;
	else if (mad_get(z, apid))
		exp = S390AP_EEXIST;
	else if (o->type < 10 || o->type > 14)
		exp = S390AP_ERANGE;
	else if ((unsigned)o->mode > 2)
		exp = S390AP_EINVAL;
	else if (o->ml > 15 || o->depth > 16)
		exp = S390AP_ERANGE;
	poison_errmsg(z);
	got = s390ap_adapter_add(z->m, apid, o);
	check_err(z, "adapter_add", got, exp);
	if (got < 0)
		return;
	a = NULL;
	for (unsigned i = 0; i < z->nad && !a; i++)
		if (!z->ad[i].present)
			a = &z->ad[i];
	if (!a) {
		if (z->nad == MAX_AD)
			fuzz_fail("ap: op %u: too many adapters in the model", z->op);
		a = &z->ad[z->nad++];
	}
	s390ap_adapter_info ai;
	if (s390ap_adapter_info_get(z->m, apid, &ai) < 0 || !ai.present)
		fuzz_fail("ap: op %u: adapter %02x added but not present", z->op, apid);
	*a = (struct mad){ .present = true,
			   .configured = true,
			   .apid = apid,
			   .type = o->type,
			   .mode = o->mode,
			   .domains = o->domains ? o->domains : 85,
			   .depth = o->depth ? o->depth : 8,
			   .ml = o->ml ? o->ml : 3,
			   .fac = ai.fac,
			   .latency = ai.latency,
			   .max_msg = s390ap_ml_bytes(o->ml ? o->ml : 3) };
	if (ai.type != a->type || ai.mode != a->mode || ai.domains != a->domains ||
	    ai.depth != a->depth || ai.ml != (o->ml ? o->ml : 3) ||
	    (o->latency && ai.latency != o->latency) || !ai.configured || ai.checkstopped)
		fuzz_fail("ap: op %u: adapter %02x info differs from its options", z->op, apid);
	mset(z->apm, apid, true);
	if (z->ext)
		install_engine(z, apid);
	for (unsigned qi = 0; qi < a->domains && qi <= z->nd; qi++)
		if (mtest(z->aqm, qi))
			mq_create(z, S390AP_APQN(apid, qi));
}

static void drop_queue(struct fz *z, uint16_t apqn)
{
	struct mq *q = mq_get(z, apqn);

	if (q) {
		mq_forget(z, q);
		q->used = false;
	}
}

static void add_domain(struct fz *z, unsigned apqi, unsigned flags)
{
	bool usage = flags & 1, control = (flags & 2) != 0;
	int exp = 0, got;

	if (!usage && !control)
		exp = S390AP_EINVAL;
	else if (apqi > z->nd)
		exp = S390AP_ERANGE;
	else if ((!usage || mtest(z->aqm, apqi)) && (!control || mtest(z->adm, apqi)))
		exp = S390AP_EEXIST;
	poison_errmsg(z);
	got = s390ap_domain_add(z->m, apqi, usage, control);
	check_err(z, "domain_add", got, exp);
	if (got < 0)
		return;
	if (usage && !mtest(z->aqm, apqi)) {
		for (unsigned i = 0; i < z->nad; i++)
			if (z->ad[i].present && apqi < z->ad[i].domains)
				mq_create(z, S390AP_APQN(z->ad[i].apid, apqi));
		mset(z->aqm, apqi, true);
	}
	if (control)
		mset(z->adm, apqi, true);
}

static void set_view(struct fz *z)
{
	uint8_t flags = fuzz_u8(&z->in), sel[3];
	uint16_t drop;

	for (unsigned i = 0; i < 3; i++)
		sel[i] = fuzz_u8(&z->in);
	drop = (uint16_t)fuzz_uint(&z->in, 2);
	memset(&z->view, 0, sizeof(z->view));
	z->view.facilities = z->mfac & ~(uint32_t)drop;
	z->view.se_guest = (flags & 2) != 0;
	if (flags & 1) {
		uint8_t *masks[3] = { z->vapm, z->vaqm, z->vadm };
		for (unsigned k = 0; k < 3; k++) {
			memset(masks[k], (sel[k] & 0x80) ? 0xff : 0, 32);
			for (unsigned i = 0; i < 7; i++) {
				unsigned id = k == 0 ? (i < z->ncand_apid ? z->cand_apid[i] : 256)
						     : (i < z->ncand_apqi ? z->cand_apqi[i] : 256);
				if (id < 256)
					mset(masks[k], id, (sel[k] >> i) & 1);
			}
		}
		z->view.apm = z->vapm;
		z->view.aqm = z->vaqm;
		z->view.adm = z->vadm;
	}
	z->ctx.view = (flags & 4) ? NULL : &z->view;
}

/* ------------------------------------------------------------------ */
/* Instructions                                                        */
/* ------------------------------------------------------------------ */
struct expect {
	enum kind k;
	unsigned r1, r2;
	uint16_t apqn;
	uint16_t pgm;  /* expected op / privileged / specification, or 0 */
	bool addr_bad; /* the operand the instruction needs is outside storage */
	bool in_view;  /* the APQN is in the view's masks and the configuration */
	struct mad *a;
	struct mq *q;
	int rc; /* expected RC after the common checks, -1 = go on */
};

static const char *kname(enum kind k)
{
	static const char *const n[] = { "TAPQ", "RAPQ/ZAPQ", "AQIC", "QCI",  "QACT",
					 "BAPQ", "AAPQ",      "NQAP", "DQAP", "?" };
	return n[k];
}

/* RCs each instruction may answer (documented in docs/ap-model.md). */
static bool rc_allowed(enum kind k, uint8_t rc)
{
	switch (rc) {
	case 0x00:
	case 0x01:
	case 0x02:
	case 0x03:
	case 0x04:
		return true;
	case 0x05:
		return k != K_DQAP;
	case 0x35:
	case 0x36:
		return k != K_RESET;
	case 0x06:
	case 0x07:
		return k == K_AQIC;
	case 0x0A:
	case 0x31:
	case 0x34:
		return k == K_AAPQ;
	case 0x0B:
		return k == K_AAPQ || k == K_NQAP || k == K_DQAP;
	case 0x30:
	case 0x32:
		return k == K_BAPQ;
	case 0x10:
	case 0x11:
		return k == K_NQAP || k == K_DQAP;
	case 0x13:
		return k == K_DQAP;
	case 0x15:
	case 0x16:
	case 0x42:
		return k == K_NQAP;
	default:
		return false;
	}
}

/* The common response codes (docs/ap-model.md, "first match wins"). */
static void resolve(struct fz *z, struct expect *e)
{
	unsigned apid = S390AP_APQN_APID(e->apqn), apqi = S390AP_APQN_APQI(e->apqn);
	bool nqdq = e->k == K_NQAP || e->k == K_DQAP;

	e->a = mad_get(z, apid);
	e->q = mq_get(z, e->apqn);
	e->in_view = e->a && mtest(z->aqm, apqi) && view_masks_have(z, apid, apqi);
	if (e->q)
		mq_land(z, e->q);
	if (!e->in_view) {
		e->rc = 0x01;
		return;
	}
	if (!e->q) {
		if (apqi < e->a->domains)
			fuzz_fail("ap: op %u: model has no queue %04x", z->op, e->apqn);
		e->rc = nqdq ? 0x11 : 0x01;
		return;
	}
	if (e->a->checkstopped)
		e->rc = 0x04;
	else if (!e->a->configured)
		e->rc = 0x03;
	else if (e->q->async_rc && e->k != K_RESET)
		e->rc = e->q->async_rc;
	else if (e->k != K_DQAP && z->now < e->q->busy_until)
		e->rc = 0x05;
	else if (e->q->reset_pending)
		e->rc = 0x02;
	else
		e->rc = -1;
}

static unsigned mq_lower(const struct mq *q)
{
	return q->nd + (q->asm_on ? 1u : 0u);
}

static bool reply_ready_possible(const struct fz *z, const struct mq *q)
{
	if (q->xfer)
		return true;
	for (unsigned i = 0; i < q->nd; i++)
		if (q->d[i].earliest <= z->now)
			return true;
	return false;
}

/* The status word's flags against the model (after the instruction). */
static void check_flags(struct fz *z, struct expect *e, uint32_t sw)
{
	struct mq *q = e->q;
	const struct mad *a = e->a;
	unsigned lo, hi;

	if (!q || e->rc == 0x01 || e->rc == 0x11) {
		if (sw & 0xFF00FFFFu)
			fuzz_fail("ap: op %u: %s %04x: RC 0x%02x with flags, sw %08x", z->op,
				  kname(e->k), e->apqn, (sw >> 16) & 0xff, sw);
		return;
	}
	if (sw & 0x1C00FFFFu)
		fuzz_fail("ap: op %u: %s %04x: reserved status bits, sw %08x", z->op, kname(e->k),
			  e->apqn, sw);
	lo = mq_lower(q);
	hi = lo + q->lost;
	if (sw & S390AP_SW_E) {
		if (lo)
			fuzz_fail("ap: op %u: %s %04x: E with %u requests owed%s, sw %08x", z->op,
				  kname(e->k), e->apqn, q->nd,
				  q->asm_on ? " and a partial message" : "", sw);
		q->lost = 0; /* the lost ones are gone */
	} else if (hi == 0) {
		fuzz_fail("ap: op %u: %s %04x: E off with an empty queue, sw %08x", z->op,
			  kname(e->k), e->apqn, sw);
	}
	if ((sw & S390AP_SW_F) && hi < a->depth)
		fuzz_fail("ap: op %u: %s %04x: F with at most %u of %u slots used, sw %08x", z->op,
			  kname(e->k), e->apqn, hi, a->depth, sw);
	if (!(sw & S390AP_SW_F) && lo >= a->depth)
		fuzz_fail("ap: op %u: %s %04x: F off with %u of %u slots used, sw %08x", z->op,
			  kname(e->k), e->apqn, lo, a->depth, sw);
	if ((sw & S390AP_SW_R) && !reply_ready_possible(z, q))
		fuzz_fail("ap: op %u: %s %04x: R but no reply can be ready, sw %08x", z->op,
			  kname(e->k), e->apqn, sw);
	if (!(sw & S390AP_SW_R) && q->xfer)
		fuzz_fail("ap: op %u: %s %04x: R off during a reply's transfer, sw %08x", z->op,
			  kname(e->k), e->apqn, sw);
	if (!q->irq_unknown && !!(sw & S390AP_SW_I) != q->irq_on)
		fuzz_fail("ap: op %u: %s %04x: I bit %d, model %d, sw %08x", z->op, kname(e->k),
			  e->apqn, !!(sw & S390AP_SW_I), q->irq_on, sw);
	if (!!(sw & S390AP_SW_A) != (q->async_rc != 0))
		fuzz_fail("ap: op %u: %s %04x: A bit %d, model async rc 0x%02x, sw %08x", z->op,
			  kname(e->k), e->apqn, !!(sw & S390AP_SW_A), q->async_rc, sw);
}

static uint16_t pqap_spec_pgm(struct fz *z, unsigned fc, uint64_t gr0)
{
	uint32_t f = vfac(z);

	if (gr0 & 0x003F0000ull)
		return S390AP_PGM_SPECIFICATION;
	if ((gr0 & S390AP_GR0_F) && fc != 1 && fc != 2 && fc != 5)
		return S390AP_PGM_SPECIFICATION;
	if ((gr0 & S390AP_GR0_T) && (fc != 0 || !(f & S390AP_FAC_APFT)))
		return S390AP_PGM_SPECIFICATION;
	switch (fc) {
	case 0:
	case 1:
	case 2:
		break;
	case 3:
		if (!(f & S390AP_FAC_AQIC))
			return S390AP_PGM_SPECIFICATION;
		break;
	case 4:
		return (f & S390AP_FAC_QCI) ? 0 : S390AP_PGM_SPECIFICATION;
	case 5:
		if (!(f & S390AP_FAC_QACT))
			return S390AP_PGM_SPECIFICATION;
		break;
	case 7:
	case 8:
		if (!(f & S390AP_FAC_APSB) || !se_guest(z))
			return S390AP_PGM_SPECIFICATION;
		break;
	default:
		return S390AP_PGM_SPECIFICATION;
	}
	if (!(f & S390AP_FAC_APXA) && (gr0 & 0xC0F0))
		return S390AP_PGM_SPECIFICATION;
	return 0;
}

static bool ids_ok(struct fz *z, uint64_t gr0)
{
	return (vfac(z) & S390AP_FAC_APXA) || !(gr0 & 0xC0F0);
}

static void remove_entry(struct fz *z, struct mq *q, uint64_t psmid, const char *why)
{
	for (unsigned i = 0; i < q->nd; i++) {
		if (q->d[i].psmid == psmid && q->d[i].earliest <= z->now) {
			q->d[i] = q->d[--q->nd];
			return;
		}
	}
	for (unsigned i = 0; i < q->nd; i++)
		if (q->d[i].psmid == psmid)
			fuzz_fail("ap: op %u: DQAP %04x: PSMID %016" PRIx64 " (%s) back at %" PRIu64
				  ", before its earliest %" PRIu64 " (accepted at op %u)",
				  z->op, q->apqn, psmid, why, z->now, q->d[i].earliest, q->d[i].op);
	fuzz_fail("ap: op %u: DQAP %04x: PSMID %016" PRIx64 " (%s) was never accepted, was "
		  "dropped or already came back",
		  z->op, q->apqn, psmid, why);
}

static bool has_ready(const struct fz *z, const struct mq *q, uint64_t psmid)
{
	for (unsigned i = 0; i < q->nd; i++)
		if (q->d[i].psmid == psmid && q->d[i].earliest <= z->now)
			return true;
	return false;
}

/* NQAP's domain check of a CCA request read in one execution: 1 refused
 * (RC 0x42), 0 accepted, -1 the message wraps (not worked out here). */
static int cca_refuses(const struct fz *z, const struct expect *e, uint64_t addr, uint64_t len)
{
	const s390ap_view *v = z->ctx.view;
	long long off = map(addr, (size_t)len);
	const uint8_t *msg;
	unsigned dom;

	if (e->a->mode != S390AP_MODE_CCA || len < 0x104)
		return 0;
	if (len > STORE_BYTES || off < 0)
		return -1;
	msg = z->mem + off;
	if (msg[1] != 0x06 || msg[0x20] != 'C' || msg[0x21] != 'A')
		return 0;
	dom = (unsigned)msg[0x102] << 8 | msg[0x103];
	if (dom == S390AP_APQN_APQI(e->apqn))
		return 0;
	if (dom > 255 || !mtest(z->adm, dom))
		return 1;
	return v && v->adm && !mtest(v->adm, dom);
}

/* Byte i of the reply a completion delivered. */
static uint8_t reply_byte(const struct ent *en, uint64_t i)
{
	uint8_t err[S390AP_ERROR_REPLY_LEN];

	if (en->rkind == R_ERROR82) {
		(void)s390ap_error_reply(err, sizeof(err), S390AP_MSG_TYPE82,
					 S390AP_REPLY_MACHINE_FAILURE);
		return err[i];
	}
	return (uint8_t)(en->rseed + i * 13);
}

/* Whether the first piece of a reply, n bytes at addr with left to come,
 * is the start of en's completed reply. */
static bool reply_is(const struct fz *z, const struct ent *en, uint64_t addr, uint64_t n,
		     uint64_t left, uint64_t am)
{
	if (n + left != en->rlen)
		return false;
	for (uint64_t i = 0; i < n; i++) {
		long long off = map((addr + i) & am, 1);

		if (off >= 0 && z->mem[off] != reply_byte(en, i))
			return false;
	}
	return true;
}

/* A reply with psmid starts to come back (seen: its first n bytes are at
 * addr).  Requests may share a PSMID, so the model's entries for it are
 * told apart by their completed replies: the one that came back is moved
 * first among them, where remove_entry takes it.  A reply that is none of
 * the completed ones must be one answered at once (bytes unknown). */
static void check_reply(struct fz *z, struct mq *q, uint64_t psmid, bool seen, uint64_t addr,
			uint64_t n, uint64_t left, uint64_t am)
{
	int first = -1, match = -1, unknown = -1;
	struct ent t;

	for (unsigned i = 0; i < q->nd; i++) {
		const struct ent *en = &q->d[i];

		if (en->psmid != psmid || en->earliest > z->now)
			continue;
		if (first < 0)
			first = (int)i;
		if (en->rkind == R_UNKNOWN) {
			if (unknown < 0)
				unknown = (int)i;
		} else if (match < 0 && seen && reply_is(z, en, addr, n, left, am)) {
			match = (int)i;
		}
	}
	if (first < 0)
		return; /* remove_entry says why */
	if (!seen) {
		/* which one it was is not known: none of them can be checked */
		for (unsigned i = 0; i < q->nd; i++)
			if (q->d[i].psmid == psmid)
				q->d[i].rkind = R_UNKNOWN;
		return;
	}
	if (match < 0)
		match = unknown;
	if (match < 0)
		fuzz_fail("ap: op %u: DQAP %04x: %" PRIu64 " + %" PRIu64
			  " bytes for PSMID %016" PRIx64 " are none of the replies completed",
			  z->op, q->apqn, n, left, psmid);
	t = q->d[first];
	q->d[first] = q->d[match];
	q->d[match] = t;
}

/* The ending the documentation gives an access exception (insn.h): the
 * DAT and ART exceptions nullify, everything else suppresses; the PER bit
 * (0x80) does not change it.  A callback's valid ending wins. */
static uint8_t doc_ending(const s390ap_access_exc *x)
{
	if (x->ending >= S390AP_ENDING_NULLIFIED && x->ending <= S390AP_ENDING_TERMINATED)
		return x->ending;
	switch (x->pgm & 0x7f) {
	case 0x10:
	case 0x11:
	case 0x29:
	case 0x2A:
	case 0x2B:
	case 0x2C:
	case 0x2D:
	case 0x38:
	case 0x39:
	case 0x3A:
	case 0x3B:
		return S390AP_ENDING_NULLIFIED;
	default:
		return S390AP_ENDING_SUPPRESSED;
	}
}

/* A program interruption from the instruction storage (ext inputs): the
 * first access exception the callback reported, as reported. */
static void check_access_pgm(struct fz *z, const struct expect *e, const s390ap_insn_result *res)
{
	const s390ap_access_exc *x = &z->fail;
	uint8_t flags = x->flags & (S390AP_EXC_TEID | S390AP_EXC_EAI);

	if (!z->failed)
		fuzz_fail("ap: op %u: %s: pgm 0x%x without a failed access", z->op, kname(e->k),
			  res->pgm);
	if (res->pgm != x->pgm || res->ending != doc_ending(x) || res->exc_flags != flags ||
	    ((flags & S390AP_EXC_TEID) && res->teid != x->teid) ||
	    ((flags & S390AP_EXC_EAI) && res->eai != x->eai))
		fuzz_fail("ap: op %u: %s: pgm 0x%x ending %u flags %x teid %016" PRIx64
			  " eai %u, the access reported pgm 0x%x ending %u flags %x teid %016" PRIx64
			  " eai %u",
			  z->op, kname(e->k), res->pgm, res->ending, res->exc_flags, res->teid,
			  res->eai, x->pgm, doc_ending(x), x->flags, x->teid, x->eai);
	if (e->k != K_QCI && e->k != K_NQAP && e->k != K_DQAP)
		fuzz_fail("ap: op %u: %s: access exception without a storage operand", z->op,
			  kname(e->k));
	if (e->k != K_QCI && e->rc != -1)
		fuzz_fail("ap: op %u: %s %04x: access exception where RC 0x%02x comes first", z->op,
			  kname(e->k), e->apqn, e->rc);
}

static s390ap_insn_result run_insn_checked(struct fz *z, uint32_t insn);

/* Run one instruction and check it.  Returns the result (pgm 0xffff when
 * the call failed as expected). */
static s390ap_insn_result run_insn(struct fz *z, uint32_t insn)
{
	s390ap_insn_result res;
	unsigned op = insn >> 16;

	z->failed = false;
	z->eng_seen = false;
	z->exp_ar = op == S390AP_OP_PQAP ? 2u : insn & 15;
	z->in_insn = true;
	res = run_insn_checked(z, insn);
	z->in_insn = false;
	if (z->eng_seen && !z->dead)
		fuzz_fail("ap: op %u: the engine saw a request the instruction did not accept",
			  z->op);
	return res;
}

static s390ap_insn_result run_insn_checked(struct fz *z, uint32_t insn)
{
	s390ap_insn_result res;
	struct expect e = { .k = K_NONE, .rc = -1 };
	uint64_t before[16], *gr = z->gr, am = amask(z);
	unsigned op = insn >> 16;
	uint64_t gr0 = gr[0];
	s390ap_queue_info qi_before;
	bool qi_have;
	int ret;
	bool ap_op = op == S390AP_OP_PQAP || op == S390AP_OP_NQAP || op == S390AP_OP_DQAP;
	bool bad_amode = (z->ctx.amode != 0 && z->ctx.amode != 24 && z->ctx.amode != 31 &&
			  z->ctx.amode != 64) ||
			 z->ctx.key > 15 || z->ctx.asc > S390AP_ASC_HOME;
	unsigned fc = (unsigned)(gr0 >> 24) & 0xff;

	e.r1 = (insn >> 4) & 15;
	e.r2 = insn & 15;
	e.apqn = (uint16_t)gr0;
	/* An AQIC that names a GISA (GR1 bits 33-59) is a hypervisor's, for a
	 * guest: test_sie, test_matrix and the guest scenarios cover it.  The
	 * model here is the machine's own interruptions. */
	if (op == S390AP_OP_PQAP && fc == S390AP_FC_AQIC)
		gr[1] &= ~((uint64_t)S390AP_AQIC_GISA_MASK << S390AP_AQIC_GISA_SHIFT);
	memcpy(before, gr, sizeof(before));
	acc_reset(z);
	if (!ap_op || bad_amode) {
		poison_errmsg(z);
		memset(&res, 0, sizeof(res));
		ret = s390ap_execute(z->m, &z->ctx, insn, &res);
		check_err(z, "s390ap_execute", ret, S390AP_EINVAL);
		if (memcmp(before, gr, sizeof(before)) || z->nwr || z->nrd)
			fuzz_fail("ap: op %u: a refused call changed registers or storage", z->op);
		res.pgm = 0xffff;
		return res;
	}

	/* what the instruction is */
	if (op == S390AP_OP_PQAP) {
		static const enum kind fk[] = { K_TAPQ, K_RESET, K_RESET, K_AQIC, K_QCI,
						K_QACT, K_NONE,  K_BAPQ,  K_AAPQ };
		e.k = fc < 9 ? fk[fc] : K_NONE;
	} else {
		e.k = op == S390AP_OP_NQAP ? K_NQAP : K_DQAP;
	}

	/* program interruptions the model predicts */
	if (!(vfac(z) & S390AP_FAC_AP)) {
		e.pgm = S390AP_PGM_OPERATION;
	} else if (z->ctx.problem_state) {
		e.pgm = S390AP_PGM_PRIVILEGED;
	} else if (op == S390AP_OP_PQAP) {
		e.pgm = pqap_spec_pgm(z, fc, gr0);
		if (!e.pgm && e.k == K_QCI && (gr[2] & am & 7))
			e.pgm = S390AP_PGM_SPECIFICATION;
		if (!e.pgm && e.k == K_QCI)
			e.addr_bad = !in_storage(gr[2], S390AP_QCI_SIZE, am);
	} else if (op == S390AP_OP_NQAP) {
		if ((gr0 & 0xBFBF0000ull) || (e.r1 & 1) || (e.r2 & 1) || e.r1 == 0 || e.r2 == 0 ||
		    e.r1 == e.r2 || reg_len(z, gr, e.r2) == 0 || !ids_ok(z, gr0))
			e.pgm = S390AP_PGM_SPECIFICATION;
	} else {
		uint64_t len, max = 12288;
		struct mad *a = mad_get(z, S390AP_APQN_APID(e.apqn));

		if (a && mtest(z->aqm, S390AP_APQN_APQI(e.apqn)) &&
		    view_masks_have(z, S390AP_APQN_APID(e.apqn), S390AP_APQN_APQI(e.apqn)) &&
		    a->max_msg > max)
			max = a->max_msg;
		if ((gr0 & 0x70C00000ull) || (e.r1 & 1) || (e.r2 & 1) || e.r1 == 0 || e.r1 == 2 ||
		    e.r2 == 0 || e.r2 == 2 || e.r1 == e.r2)
			e.pgm = S390AP_PGM_SPECIFICATION;
		else if ((len = reg_len(z, gr, e.r2)) == 0 || len > max || !ids_ok(z, gr0))
			e.pgm = S390AP_PGM_SPECIFICATION;
	}
	if (!e.pgm && e.k != K_QCI)
		resolve(z, &e);
	qi_have = s390ap_queue_info_get(z->m, e.apqn, &qi_before) == 0;

	z->mem_before = s390ap_machine_mem_used(z->m);
	memset(&res, 0xee, sizeof(res));
	if (op == S390AP_OP_PQAP && (insn & 0xff) == 0 && (z->op & 1))
		ret = s390ap_pqap(z->m, &z->ctx, &res);
	else if (op == S390AP_OP_NQAP && (z->op & 1))
		ret = s390ap_nqap(z->m, &z->ctx, e.r1, e.r2, &res);
	else if (op == S390AP_OP_DQAP && (z->op & 1))
		ret = s390ap_dqap(z->m, &z->ctx, e.r1, e.r2, &res);
	else
		ret = s390ap_execute(z->m, &z->ctx, insn, &res);
	if (ret == S390AP_ENOMEM) {
		z->dead = true;
		return res;
	}
	if (ret != 0)
		fuzz_fail("ap: op %u: %s returned %d (%s)", z->op, kname(e.k), ret,
			  s390ap_machine_errmsg(z->m));

#ifdef FUZZ_AP_TRACE
	fprintf(stderr,
		"op %3u t=%-8" PRIu64 " %-9s %08x gr0 %016" PRIx64
		" -> pgm %x cc %u rc %02x gr1 %08x gr2 %" PRIx64 "\n",
		z->op, z->now, kname(e.k), insn, gr0, res.pgm, res.cc, res.rc, (uint32_t)gr[1],
		gr[2]);
#endif
	/* reads only where the instruction has operands */
	if (z->rd_over)
		fuzz_fail("ap: op %u: %s: too many storage reads", z->op, kname(e.k));

	if (res.pgm) {
		z->pgm_count[res.pgm & 0x7f]++;
		if (res.sw_stored || res.rc)
			fuzz_fail("ap: op %u: %s: pgm 0x%x with sw_stored %d rc 0x%x", z->op,
				  kname(e.k), res.pgm, res.sw_stored, res.rc);
		if (memcmp(before, gr, sizeof(before))) {
			for (unsigned i = 0; i < 16; i++)
				if (before[i] != gr[i])
					fuzz_fail("ap: op %u: %s: pgm 0x%x changed GR%u %016" PRIx64
						  " -> %016" PRIx64,
						  z->op, kname(e.k), res.pgm, i, before[i], gr[i]);
		}
		check_undone(z, kname(e.k));
		if (qi_have) {
			s390ap_queue_info qi;
			if (s390ap_queue_info_get(z->m, e.apqn, &qi) < 0 ||
			    memcmp(&qi, &qi_before, sizeof(qi)))
				fuzz_fail("ap: op %u: %s: pgm 0x%x changed queue %04x", z->op,
					  kname(e.k), res.pgm, e.apqn);
		}
		if (s390ap_machine_mem_used(z->m) != z->mem_before)
			fuzz_fail("ap: op %u: %s: pgm 0x%x changed the memory in use", z->op,
				  kname(e.k), res.pgm);
		if (e.pgm) {
			if (res.pgm != e.pgm)
				fuzz_fail("ap: op %u: %s: pgm 0x%x, expected 0x%x", z->op,
					  kname(e.k), res.pgm, e.pgm);
			if (res.ending != S390AP_ENDING_SUPPRESSED || res.exc_flags || z->nrd ||
			    z->nwr)
				fuzz_fail("ap: op %u: %s: pgm 0x%x ending %u flags %x after %u "
					  "accesses",
					  z->op, kname(e.k), res.pgm, res.ending, res.exc_flags,
					  z->nrd + z->nwr);
			return res;
		}
		if (z->ext) {
			check_access_pgm(z, &e, &res);
			return res;
		}
		if (res.ending != S390AP_ENDING_SUPPRESSED || res.exc_flags)
			fuzz_fail("ap: op %u: %s: addressing ending %u flags %x", z->op, kname(e.k),
				  res.ending, res.exc_flags);
		if (res.pgm != S390AP_PGM_ADDRESSING)
			fuzz_fail("ap: op %u: %s: pgm 0x%x where the model expects none", z->op,
				  kname(e.k), res.pgm);
		/* addressing: only for an operand the instruction reaches */
		if (e.k == K_QCI) {
			if (!e.addr_bad)
				fuzz_fail(
					"ap: op %u: QCI: addressing for a block in storage at 0x%" PRIx64,
					z->op, gr[2]);
		} else if (e.k == K_NQAP) {
			uint64_t len = reg_len(z, gr, e.r2);
			uint64_t chunk = len < z->cpu_det ? len : z->cpu_det;
			if (e.rc != -1 || in_storage(gr[e.r2], chunk, am))
				fuzz_fail(
					"ap: op %u: NQAP %04x: addressing with rc %d and the message at 0x%" PRIx64
					" (+%" PRIu64 ")",
					z->op, e.apqn, e.rc, gr[e.r2], chunk);
		} else if (e.k == K_DQAP) {
			uint64_t len = reg_len(z, gr, e.r2);
			uint64_t n = len < z->cpu_det ? len : z->cpu_det;
			if (e.rc != -1 || in_storage(gr[e.r2], n, am))
				fuzz_fail(
					"ap: op %u: DQAP %04x: addressing with rc %d and the buffer at 0x%" PRIx64
					" (+%" PRIu64 ") in storage",
					z->op, e.apqn, e.rc, gr[e.r2], n);
		} else {
			fuzz_fail("ap: op %u: %s: addressing without a storage operand", z->op,
				  kname(e.k));
		}
		return res;
	}
	if (e.pgm)
		fuzz_fail("ap: op %u: %s: cc %u rc 0x%x where pgm 0x%x was expected", z->op,
			  kname(e.k), res.cc, res.rc, e.pgm);
	if (z->failed)
		fuzz_fail("ap: op %u: %s: cc %u rc 0x%x after a failed access (pgm 0x%x)", z->op,
			  kname(e.k), res.cc, res.rc, z->fail.pgm);
	if (e.k == K_QCI && e.addr_bad)
		fuzz_fail("ap: op %u: QCI: no addressing exception for a block at 0x%" PRIx64,
			  z->op, gr[2]);
	if (res.cc > 3)
		fuzz_fail("ap: op %u: %s: cc %u", z->op, kname(e.k), res.cc);

	/* cc and GR1 */
	if (gr[0] != before[0])
		fuzz_fail("ap: op %u: %s changed GR0", z->op, kname(e.k));
	if (res.sw_stored) {
		uint32_t sw = (uint32_t)gr[1];
		z->rc_count[res.rc]++;
		if (gr[1] >> 32)
			fuzz_fail("ap: op %u: %s: GR1 bits 0-31 not zero: %016" PRIx64, z->op,
				  kname(e.k), gr[1]);
		if (S390AP_SW_RC(sw) != res.rc)
			fuzz_fail("ap: op %u: %s: GR1 RC 0x%x, result rc 0x%x", z->op, kname(e.k),
				  S390AP_SW_RC(sw), res.rc);
		if (res.cc != (res.rc ? 3 : 0))
			fuzz_fail("ap: op %u: %s: cc %u with RC 0x%x", z->op, kname(e.k), res.cc,
				  res.rc);
		if (!rc_allowed(e.k, res.rc))
			fuzz_fail("ap: op %u: %s %04x: RC 0x%02x is not one it may answer", z->op,
				  kname(e.k), e.apqn, res.rc);
	} else {
		if (gr[1] != before[1] || res.rc)
			fuzz_fail("ap: op %u: %s: no status word but GR1 or rc changed", z->op,
				  kname(e.k));
		if (!((e.k == K_QCI && res.cc == 0) ||
		      ((e.k == K_NQAP || e.k == K_DQAP) && (res.cc == 1 || res.cc == 2))))
			fuzz_fail("ap: op %u: %s: cc %u without a status word", z->op, kname(e.k),
				  res.cc);
	}
	/* the common RC prediction */
	if (e.rc >= 0 && (!res.sw_stored || res.rc != e.rc))
		fuzz_fail("ap: op %u: %s %04x: cc %u rc 0x%02x, expected RC 0x%02x", z->op,
			  kname(e.k), e.apqn, res.cc, res.rc, e.rc);
	if (e.k != K_QCI && !e.in_view && res.sw_stored && qi_have) {
		/* outside the view: nothing of the queue may show or change */
		s390ap_queue_info qi;
		if (s390ap_queue_info_get(z->m, e.apqn, &qi) < 0 ||
		    memcmp(&qi, &qi_before, sizeof(qi)))
			fuzz_fail("ap: op %u: %s %04x outside the view changed the queue", z->op,
				  kname(e.k), e.apqn);
	}

	/* registers other than GR0/GR1 */
	for (unsigned i = 2; i < 16; i++) {
		bool may = false;
		if (e.k == K_TAPQ || e.k == K_QACT || e.k == K_DQAP)
			may |= i == 2;
		if (e.k == K_NQAP || e.k == K_DQAP)
			may |= i == e.r2 || i == e.r2 + 1;
		if (e.k == K_DQAP)
			may |= i == e.r1 || i == e.r1 + 1;
		if (!may && gr[i] != before[i])
			fuzz_fail("ap: op %u: %s changed GR%u %016" PRIx64 " -> %016" PRIx64, z->op,
				  kname(e.k), i, before[i], gr[i]);
	}
	if (res.sw_stored && (res.rc || e.k == K_TAPQ || e.k == K_RESET || e.k == K_AQIC ||
			      e.k == K_QACT || e.k == K_BAPQ || e.k == K_AAPQ)) {
		/* an RC (or a PQAP function) moves nothing but GR2 where allowed */
		for (unsigned i = 3; i < 16; i++)
			if (gr[i] != before[i])
				fuzz_fail("ap: op %u: %s RC 0x%02x changed GR%u", z->op, kname(e.k),
					  res.rc, i);
		if (z->nwr)
			fuzz_fail("ap: op %u: %s RC 0x%02x stored into storage at 0x%" PRIx64,
				  z->op, kname(e.k), res.rc, z->wr[0].addr);
	}

	switch (e.k) {
	case K_QCI: {
		uint8_t blk[S390AP_QCI_SIZE], apm[32], aqm[32], adm[32];
		const s390ap_view *v = z->ctx.view;
		long long off;

		if (res.sw_stored || gr[2] != before[2])
			fuzz_fail("ap: op %u: QCI stored a status word or changed GR2", z->op);
		if (z->nwr == 0 || z->wr_over)
			fuzz_fail("ap: op %u: QCI: %u stores", z->op, z->nwr);
		for (unsigned i = 0; i < z->nwr; i++)
			if (!within(z->wr[i].addr, z->wr[i].len, gr[2], S390AP_QCI_SIZE, am))
				fuzz_fail("ap: op %u: QCI stored outside its block", z->op);
		if (z->nrd && !(am != ~0ull))
			fuzz_fail("ap: op %u: QCI read storage", z->op);
		if ((off = map(gr[2] & am, S390AP_QCI_SIZE)) < 0)
			break; /* wrapped: the pieces were checked above */
		memcpy(blk, z->mem + off, sizeof(blk));
		s390ap_machine_masks(z->m, apm, aqm, adm);
		if (memcmp(apm, z->apm, 32) || memcmp(aqm, z->aqm, 32) || memcmp(adm, z->adm, 32))
			fuzz_fail("ap: op %u: machine masks differ from the model's", z->op);
		for (unsigned i = 0; i < 32; i++) {
			uint8_t ea = (uint8_t)(apm[i] & (v && v->apm ? v->apm[i] : 0xff));
			uint8_t eq = (uint8_t)(aqm[i] & (v && v->aqm ? v->aqm[i] : 0xff));
			uint8_t ed = (uint8_t)(adm[i] & (v && v->adm ? v->adm[i] : 0xff));
			if (blk[S390AP_QCI_APM_OFF + i] != ea ||
			    blk[S390AP_QCI_AQM_OFF + i] != eq || blk[S390AP_QCI_ADM_OFF + i] != ed)
				fuzz_fail(
					"ap: op %u: QCI masks byte %u: %02x %02x %02x, expected %02x %02x %02x",
					z->op, i, blk[16 + i], blk[48 + i], blk[80 + i], ea, eq,
					ed);
		}
		{
			uint32_t f = vfac(z);
			uint8_t b0 = (uint8_t)((f & S390AP_FAC_APSC ? 0x80 : 0) |
					       (f & S390AP_FAC_APXA ? 0x40 : 0) |
					       (f & S390AP_FAC_QACT ? 0x20 : 0) |
					       (f & S390AP_FAC_RC8A ? 0x10 : 0));
			uint8_t b1 = f & S390AP_FAC_APSB ? 0x80 : 0;
			uint8_t na = f & S390AP_FAC_APXA ? (uint8_t)z->na : 0;
			uint8_t nd = f & S390AP_FAC_APXA ? (uint8_t)z->nd : 0;
			if (blk[0] != b0 || blk[1] != b1 || blk[4] != na || blk[5] != nd ||
			    blk[2] || blk[3] || blk[6] || blk[7])
				fuzz_fail(
					"ap: op %u: QCI header %02x %02x %02x %02x %02x %02x, expected %02x %02x 00 00 %02x %02x",
					z->op, blk[0], blk[1], blk[2], blk[3], blk[4], blk[5], b0,
					b1, na, nd);
		}
		return res;
	}
	case K_TAPQ: {
		bool info = e.q && e.in_view && (res.rc <= 5 || e.q->async_rc);
		if (!info) {
			if (gr[2] != before[2])
				fuzz_fail("ap: op %u: TAPQ %04x RC 0x%02x changed GR2", z->op,
					  e.apqn, res.rc);
		} else {
			const struct mad *a = e.a;
			uint32_t lo = (uint32_t)a->type << 24 | (uint32_t)(a->domains - 1) << 16 |
				      (uint32_t)(a->ml & 15) << 8 | (uint32_t)((a->depth - 1) & 15);
			uint32_t hi = (uint32_t)(gr[2] >> 32);
			if ((uint32_t)gr[2] != lo)
				fuzz_fail("ap: op %u: TAPQ %04x GR2 %016" PRIx64
					  ", expected low word %08x",
					  z->op, e.apqn, gr[2], lo);
			if (gr0 & S390AP_GR0_T) {
				if ((hi & ~(uint32_t)S390AP_TAPQ_FAC_BS_MASK) != a->fac ||
				    ((hi >> 14) & 3) != e.q->bs)
					fuzz_fail("ap: op %u: TAPQ %04x T: GR2 %016" PRIx64
						  ", fac %08x bs %u",
						  z->op, e.apqn, gr[2], a->fac, e.q->bs);
			} else if (hi) {
				fuzz_fail("ap: op %u: TAPQ %04x without T: GR2 bits 0-31 %08x",
					  z->op, e.apqn, hi);
			}
		}
		if (e.rc < 0 && res.rc != 0)
			fuzz_fail("ap: op %u: TAPQ %04x RC 0x%02x, expected 0", z->op, e.apqn,
				  res.rc);
		break;
	}
	case K_RESET:
		if (e.rc < 0) {
			if (res.rc != 0)
				fuzz_fail("ap: op %u: RAPQ/ZAPQ %04x RC 0x%02x, expected 0", z->op,
					  e.apqn, res.rc);
			mq_flush(z, e.q);
			e.q->async_rc = 0;
			if ((gr0 & S390AP_GR0_F) && (z->mfac & S390AP_FAC_APSB))
				e.q->bs = 2;
			e.q->reset_pending = true;
			e.q->reset_when = sat_add(z->now, z->reset_cycles, UINT64_MAX - 1);
			e.q->resets++;
		}
		break;
	case K_AQIC:
		if (e.rc < 0) {
			struct mq *q = e.q;
			bool enable = (before[1] & S390AP_AQIC_IR) != 0;
			bool change = enable != q->irq_on;
			uint64_t nib = before[2] & am;
			int exp;

			/* one change in flight per queue (a flushed one too, until it
			 * falls due): asking for where it heads is 0x07, else busy */
			if (q->irq_unknown)
				exp = res.rc; /* the model lost track */
			else if (q->nchg)
				exp = change == q->irq_pending ? 0x07 : 0x05;
			else if (!change)
				exp = 0x07;
			else if (enable && (nib == 0 || before[2] == ~0ull || nib == am ||
					    !in_storage(nib, 1, am)))
				exp = 0x06;
			else
				exp = 0;
			if (res.rc != exp && !(q->irq_unknown && (res.rc == 0 || res.rc == 5 ||
								  res.rc == 6 || res.rc == 7)))
				fuzz_fail("ap: op %u: AQIC %04x %s: RC 0x%02x, expected 0x%02x",
					  z->op, e.apqn, enable ? "on" : "off", res.rc, exp);
			if (z->nrd > 1 ||
			    (z->nrd == 1 && (!enable || z->rd[0].addr != nib || z->rd[0].len != 1)))
				fuzz_fail("ap: op %u: AQIC read storage other than its NIB", z->op);
			if (res.rc == 0) {
				if (q->nchg == MAX_CHG) {
					q->irq_unknown = true;
				} else {
					q->chg[q->nchg].when =
						sat_add(z->now, z->irq_cycles, UINT64_MAX - 1);
					q->chg[q->nchg].on = enable;
					q->chg[q->nchg].stale = false;
					q->nchg++;
				}
				q->irq_target = enable;
				q->irq_pending = true;
				if (enable) {
					z->isc_used |= (uint8_t)(0x80u >> (before[1] & 7));
					if (z->nnib < MAX_NIB)
						z->nib[z->nnib++] = nib;
					else
						z->nib_over = true;
				}
			}
		}
		break;
	case K_QACT:
		if (e.rc < 0) {
			unsigned cat = (unsigned)(before[1] >> 24) & 0xff;
			uint64_t exp;
			if (cat > e.a->type)
				cat = e.a->type;
			exp = (uint64_t)(e.a->fac & (S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_ACCEL |
						     S390AP_TAPQ_FAC_EP11))
				      << 32 |
			      (uint64_t)cat << 24;
			if (res.rc != 0 || gr[2] != exp)
				fuzz_fail("ap: op %u: QACT %04x RC 0x%02x GR2 %016" PRIx64
					  ", expected %016" PRIx64,
					  z->op, e.apqn, res.rc, gr[2], exp);
		} else if (gr[2] != before[2]) {
			fuzz_fail("ap: op %u: QACT %04x RC 0x%02x changed GR2", z->op, e.apqn,
				  res.rc);
		}
		break;
	case K_BAPQ:
		if (e.rc < 0) {
			struct mq *q = e.q;
			unsigned lo = mq_lower(q), hi = lo + q->lost;
			bool ok;
			if (e.a->mode == S390AP_MODE_CCA)
				ok = res.rc == 0x30;
			else if (lo)
				ok = res.rc == 0x32;
			else if (hi && res.rc == 0x32)
				ok = true;
			else
				ok = res.rc == (q->bs != 2 ? 0x30 : 0);
			if (!ok)
				fuzz_fail("ap: op %u: BAPQ %04x bs %u RC 0x%02x", z->op, e.apqn,
					  q->bs, res.rc);
			if (res.rc == 0)
				q->bs = e.a->mode == S390AP_MODE_EP11 ? 1 : 0;
		}
		break;
	case K_AAPQ:
		if (e.rc < 0) {
			struct mq *q = e.q;
			int exp;
			if (before[2] > 0xFFFF)
				exp = 0x34;
			else if (q->assoc_pending)
				exp = 0x0A;
			else if (q->bs == 2)
				exp = 0x0B;
			else if (e.a->mode != S390AP_MODE_EP11 || q->bs != 1)
				exp = 0x31;
			else
				exp = 0;
			if (res.rc != exp)
				fuzz_fail("ap: op %u: AAPQ %04x bs %u RC 0x%02x, expected 0x%02x",
					  z->op, e.apqn, q->bs, res.rc, exp);
			if (exp == 0) {
				q->assoc_pending = true;
				q->assoc_when = sat_add(z->now, z->assoc_cycles, UINT64_MAX - 1);
			}
		}
		break;
	case K_NQAP: {
		struct mq *q = e.q;
		uint64_t psmid = (before[e.r1] & 0xFFFFFFFFull) << 32 |
				 (before[e.r1 + 1] & 0xFFFFFFFFull);
		uint64_t len = reg_len(z, before, e.r2),
			 chunk = len < z->cpu_det ? len : z->cpu_det;
		bool last = (gr0 & S390AP_NQAP_L) != 0, special = (gr0 & S390AP_NQAP_SPECIAL) != 0;
		bool cont, complete = last && chunk == len;
		unsigned lo, hi;
		int exp = -1;

		if (e.rc >= 0)
			break;
		cont = q->asm_on && q->asm_psmid == psmid;
		lo = mq_lower(q) - (q->asm_on && !cont ? 1u : 0u);
		hi = lo + q->lost;
		if (special && !((vfac(z) & S390AP_FAC_APSC) && (e.a->fac & S390AP_TAPQ_FAC_APSC)))
			exp = 0x16;
		else if (se_guest(z) && q->bs >= 2)
			exp = 0x0B;
		else if (!cont && lo >= e.a->depth)
			exp = 0x10;
		else if (!cont && hi >= e.a->depth && res.rc == 0x10)
			exp = 0x10; /* the lost requests were still there */
		else if (len > e.a->max_msg || (cont ? q->asm_len : 0) + len > e.a->max_msg)
			exp = 0x15;
		else if (z->mem_limit && res.sw_stored && res.rc == 0x10) {
			/* the machine's memory cap: plausible only near it, and it
			 * changes nothing (the buffer may double, the reply is
			 * counted at the adapter's maximum) */
			uint64_t need = 2 * ((cont ? q->asm_len : 0) + chunk) +
					(complete ? 2 * e.a->max_msg : 0) + 4096;
			if (z->mem_before + need <= z->mem_limit)
				fuzz_fail(
					"ap: op %u: NQAP %04x: RC 0x10 by the memory cap with %" PRIu64
					" of %" PRIu64 " bytes used",
					z->op, e.apqn, z->mem_before, z->mem_limit);
			if (s390ap_machine_mem_used(z->m) != z->mem_before)
				fuzz_fail(
					"ap: op %u: NQAP refused by the memory cap changed the use",
					z->op);
			exp = 0x10;
		}
		if (exp >= 0) {
			if (!res.sw_stored || res.rc != exp)
				fuzz_fail("ap: op %u: NQAP %04x: cc %u RC 0x%02x, expected 0x%02x",
					  z->op, e.apqn, res.cc, res.rc, exp);
			if (exp == 0x15 && cont)
				q->asm_on = false;
			if (z->nrd)
				fuzz_fail("ap: op %u: NQAP RC 0x%02x read the message", z->op, exp);
			break;
		}
		/* the message chunk was read, and only it */
		for (unsigned i = 0; i < z->nrd; i++)
			if (!within(z->rd[i].addr, z->rd[i].len, before[e.r2], chunk, am))
				fuzz_fail("ap: op %u: NQAP read 0x%" PRIx64
					  " (+%zu) outside its message",
					  z->op, z->rd[i].addr, z->rd[i].len);
		if (z->nwr)
			fuzz_fail("ap: op %u: NQAP stored into storage", z->op);
		if (complete && !cont) {
			int r42 = cca_refuses(z, &e, before[e.r2] & am, chunk);
			if (r42 >= 0 && r42 != (res.sw_stored && res.rc == 0x42))
				fuzz_fail(
					"ap: op %u: NQAP %04x: CCA domain check gave RC 0x%02x, model %s",
					z->op, e.apqn, res.rc, r42 ? "refuses" : "accepts");
		}
		if (res.sw_stored && res.rc == 0x42) {
			if (!complete || e.a->mode != S390AP_MODE_CCA)
				fuzz_fail("ap: op %u: NQAP %04x: RC 0x42 on %s", z->op, e.apqn,
					  complete ? "no CCA adapter" : "an incomplete message");
			q->asm_on = false;
			if (gr[e.r2] != before[e.r2] || gr[e.r2 + 1] != before[e.r2 + 1])
				fuzz_fail("ap: op %u: NQAP RC 0x42 advanced R2", z->op);
			break;
		}
		if (res.sw_stored && res.rc != 0)
			fuzz_fail("ap: op %u: NQAP %04x: RC 0x%02x, the model expects none", z->op,
				  e.apqn, res.rc);
		/* R2 advanced by the chunk */
		if (e.r1 != e.r2 && e.r1 != e.r2 + 1 && e.r1 + 1 != e.r2) {
			uint64_t ea, el;
			if (am == ~0ull) {
				ea = before[e.r2] + chunk;
				el = before[e.r2 + 1] - chunk;
			} else {
				ea = (before[e.r2] & ~0xFFFFFFFFull) |
				     ((before[e.r2] + chunk) & am);
				el = (before[e.r2 + 1] & ~0xFFFFFFFFull) |
				     ((before[e.r2 + 1] - chunk) & 0xFFFFFFFFull);
			}
			if (gr[e.r2] != ea || gr[e.r2 + 1] != el)
				fuzz_fail("ap: op %u: NQAP R2 %016" PRIx64 "/%016" PRIx64
					  ", expected %016" PRIx64 "/%016" PRIx64,
					  z->op, gr[e.r2], gr[e.r2 + 1], ea, el);
			if (gr[e.r1] != before[e.r1] || gr[e.r1 + 1] != before[e.r1 + 1])
				fuzz_fail("ap: op %u: NQAP changed R1", z->op);
		}
		if (chunk < len) {
			if (res.cc != 2 || res.sw_stored)
				fuzz_fail("ap: op %u: NQAP %04x moved %" PRIu64 " of %" PRIu64
					  " with cc %u",
					  z->op, e.apqn, chunk, len, res.cc);
		} else if (!last) {
			if (res.cc != 1 || res.sw_stored)
				fuzz_fail("ap: op %u: NQAP %04x part without L: cc %u", z->op,
					  e.apqn, res.cc);
		} else if (res.cc != 0 || !res.sw_stored) {
			fuzz_fail("ap: op %u: NQAP %04x last part: cc %u", z->op, e.apqn, res.cc);
		}
		if (!complete) {
			if (cont) {
				q->asm_len += chunk;
			} else {
				q->asm_on = true;
				q->asm_psmid = psmid;
				q->asm_len = chunk;
				q->asm_special = special;
			}
			break;
		}
		/* accepted */
		q->asm_on = false;
		q->enq++;
		if (z->ext) {
			/* the engine saw exactly this request */
			if (!z->eng_seen || z->eng_apqn != e.apqn || z->eng_psmid != psmid)
				fuzz_fail("ap: op %u: NQAP %04x accepted %016" PRIx64
					  ", the engine saw %s%04x %016" PRIx64,
					  z->op, e.apqn, psmid, z->eng_seen ? "" : "nothing, ",
					  z->eng_apqn, z->eng_psmid);
			z->eng_seen = false;
			/* a request answered at once has no pending token */
			if (!z->eng_pending)
				stale_add(z, z->eng_token, e.apqn);
		}
		if (q->lose_next) {
			q->lost++;
			if (z->ext && z->eng_pending) {
				if (z->nlostp == MAX_LOSTP)
					z->dead = true; /* more than the model follows */
				else
					z->lostp[z->nlostp++] =
						(struct tok){ z->eng_token, e.apqn };
			}
		} else {
			struct ent *en;
			if (q->nd == MAX_ENT)
				fuzz_fail("ap: op %u: more than %d requests on %04x", z->op,
					  MAX_ENT, e.apqn);
			en = &q->d[q->nd++];
			*en = (struct ent){ .psmid = psmid, .op = z->op };
			en->earliest = sat_add(z->now,
					       sat_add(e.a->latency, q->delay_next, UINT64_MAX),
					       UINT64_MAX - 1);
			if (z->ext && z->eng_pending) {
				en->pending = true;
				en->token = z->eng_token;
				en->earliest = PENDING_NEVER;
			}
		}
		q->lose_next = false;
		q->delay_next = 0;
		break;
	}
	case K_DQAP: {
		struct mq *q = e.q;
		uint64_t psmid, n, buflen = reg_len(z, before, e.r2), left;
		bool first = before[2] == 0;
		bool overlap = e.r1 == e.r2;
		int exp = -1;

		if (e.rc >= 0) {
			if (gr[2] != before[2])
				fuzz_fail("ap: op %u: DQAP RC 0x%02x changed GR2", z->op, e.rc);
			break;
		}
		if (se_guest(z) && q->bs >= 2)
			exp = 0x0B;
		else if (!first && !q->xfer)
			exp = 0x13;
		else if (!reply_ready_possible(z, q))
			exp = 0x10;
		if (exp >= 0 && (!res.sw_stored || res.rc != exp))
			fuzz_fail("ap: op %u: DQAP %04x: cc %u RC 0x%02x, expected 0x%02x", z->op,
				  e.apqn, res.cc, res.rc, exp);
		if (res.sw_stored && res.rc != 0) {
			if (res.rc != 0x10 && res.rc != exp)
				fuzz_fail("ap: op %u: DQAP %04x: RC 0x%02x, the model expects none",
					  z->op, e.apqn, res.rc);
			if (res.rc == 0x10 && q->xfer)
				fuzz_fail("ap: op %u: DQAP %04x: no reply during a transfer", z->op,
					  e.apqn);
			if (gr[2] != before[2] || z->nwr)
				fuzz_fail("ap: op %u: DQAP RC 0x%02x changed GR2 or storage", z->op,
					  res.rc);
			break;
		}
		/* a reply moved: R1 has its PSMID (stored last) */
		psmid = (gr[e.r1] & 0xFFFFFFFFull) << 32 | (gr[e.r1 + 1] & 0xFFFFFFFFull);
		if (!overlap && ((gr[e.r1] >> 32) != (before[e.r1] >> 32) ||
				 (gr[e.r1 + 1] >> 32) != (before[e.r1 + 1] >> 32)))
			fuzz_fail("ap: op %u: DQAP changed the high words of the R1 pair", z->op);
		left = gr[2];
		if (overlap) {
			n = 0;
		} else {
			n = (gr[e.r2] - before[e.r2]) & am;
			uint64_t el = am == ~0ull
					      ? before[e.r2 + 1] - n
					      : (before[e.r2 + 1] & ~0xFFFFFFFFull) |
							((before[e.r2 + 1] - n) & 0xFFFFFFFFull);
			uint64_t ea = am == ~0ull ? before[e.r2] + n
						  : (before[e.r2] & ~0xFFFFFFFFull) |
							    ((before[e.r2] + n) & am);
			if (gr[e.r2] != ea || gr[e.r2 + 1] != el)
				fuzz_fail("ap: op %u: DQAP R2 pair %016" PRIx64 "/%016" PRIx64
					  " not advanced by %" PRIu64,
					  z->op, gr[e.r2], gr[e.r2 + 1], n);
			if (n == 0 || n > buflen || n > z->cpu_det)
				fuzz_fail("ap: op %u: DQAP moved %" PRIu64
					  " bytes, buffer %" PRIu64,
					  z->op, n, buflen);
			/* exactly the bytes moved were stored */
			uint64_t sum = 0;
			for (unsigned i = 0; i < z->nwr; i++) {
				bool again = false;
				if (!within(z->wr[i].addr, z->wr[i].len, before[e.r2], n, am))
					fuzz_fail("ap: op %u: DQAP stored 0x%" PRIx64
						  " (+%zu) outside the %" PRIu64 " bytes it moved",
						  z->op, z->wr[i].addr, z->wr[i].len, n);
				/* a wrapping store through an access callback stores its
				 * second piece twice: the probe first, unchanged */
				for (unsigned j = 0; j < i; j++)
					again |= z->wr[j].addr == z->wr[i].addr &&
						 z->wr[j].len == z->wr[i].len;
				if (!again)
					sum += z->wr[i].len;
			}
			if (sum != n || z->wr_over)
				fuzz_fail("ap: op %u: DQAP moved %" PRIu64
					  " bytes but stored %" PRIu64,
					  z->op, n, sum);
			if (left == 0 && res.cc != 0)
				fuzz_fail("ap: op %u: DQAP complete with cc %u", z->op, res.cc);
			if (left && res.cc != (n == buflen ? 1 : 2))
				fuzz_fail("ap: op %u: DQAP %" PRIu64 " of buffer %" PRIu64
					  " left %" PRIu64 ": cc %u",
					  z->op, n, buflen, left, res.cc);
			if (first && n + left > e.a->max_msg)
				fuzz_fail("ap: op %u: DQAP reply of %" PRIu64
					  " bytes over the adapter's %zu",
					  z->op, n + left, e.a->max_msg);
			if (!first && left + n != q->xfer_left)
				fuzz_fail("ap: op %u: DQAP residual %" PRIu64 " + %" PRIu64
					  " != %" PRIu64,
					  z->op, left, n, q->xfer_left);
		}
		if (z->nrd && am == ~0ull)
			fuzz_fail("ap: op %u: DQAP read storage", z->op);
		if ((left == 0) != (res.cc == 0) || (res.cc == 0 && (!res.sw_stored || res.rc)))
			fuzz_fail("ap: op %u: DQAP cc %u with %" PRIu64 " left", z->op, res.cc,
				  left);
		if (!q->xfer)
			check_reply(z, q, psmid, !overlap, before[e.r2], n, left, am);
		if (q->xfer) {
			if (psmid != q->xfer_psmid)
				fuzz_fail("ap: op %u: DQAP %04x gave PSMID %016" PRIx64
					  " during the transfer of %016" PRIx64,
					  z->op, e.apqn, psmid, q->xfer_psmid);
		} else if (!has_ready(z, q, psmid)) {
			remove_entry(z, q, psmid, "first piece"); /* fails with the reason */
		}
		if (left == 0) {
			remove_entry(z, q, psmid, "complete");
			q->xfer = false;
			q->deq++;
		} else {
			q->xfer = true;
			q->xfer_psmid = psmid;
			q->xfer_left = left;
		}
		break;
	}
	default:
		break;
	}
	if (res.sw_stored)
		check_flags(z, &e, (uint32_t)gr[1]);
	return res;
}

/* ------------------------------------------------------------------ */
/* Clock                                                               */
/* ------------------------------------------------------------------ */
static void after_clock(struct fz *z)
{
	uint64_t ne = s390ap_machine_next_event(z->m);
	uint8_t pend = s390ap_machine_irq_pending(z->m);

	/* what fell due lands now, before a fault can change what it does */
	for (unsigned i = 0; i < MAX_Q; i++)
		if (z->q[i].used)
			mq_land(z, &z->q[i]);

	if (s390ap_machine_now(z->m) != z->now)
		fuzz_fail("ap: op %u: clock %" PRIu64 ", model %" PRIu64, z->op,
			  s390ap_machine_now(z->m), z->now);
	if (ne < z->now)
		fuzz_fail("ap: op %u: next event %" PRIu64 " before now %" PRIu64, z->op, ne,
			  z->now);
	if (pend & ~z->isc_used)
		fuzz_fail("ap: op %u: ISC pending (%02x) that no AQIC enabled (%02x)", z->op, pend,
			  z->isc_used);
	for (unsigned i = 0; i < 8; i++) {
		uint64_t c = s390ap_machine_irq_count(z->m, i);
		if (c < z->irq_count[i] || (c && !(z->isc_used & (0x80u >> i))))
			fuzz_fail("ap: op %u: irq count of ISC %u %" PRIu64, z->op, i, c);
		z->irq_count[i] = c;
	}
}

/* Something is owed that has not arrived yet: an event must be pending. */
static void check_pending(struct fz *z)
{
	uint64_t ne = s390ap_machine_next_event(z->m);

	for (unsigned i = 0; i < MAX_Q; i++) {
		const struct mq *q = &z->q[i];
		if (!q->used)
			continue;
		for (unsigned j = 0; j < q->nd; j++)
			if (!q->d[j].pending && q->d[j].earliest > z->now && ne == S390AP_NO_EVENT)
				fuzz_fail("ap: op %u: no event pending with the reply to %016" PRIx64
					  " on %04x owed",
					  z->op, q->d[j].psmid, q->apqn);
		if (q->reset_pending && q->reset_when > z->now && ne > q->reset_when)
			fuzz_fail("ap: op %u: next event %" PRIu64
				  " after %04x's reset end %" PRIu64,
				  z->op, ne, q->apqn, q->reset_when);
	}
}

static void clock_to(struct fz *z, uint64_t target)
{
	int rc;

	acc_reset(z);
	z->in_clock = true;
	rc = s390ap_machine_run_until(z->m, target);
	z->in_clock = false;
	if (rc < 0)
		fuzz_fail("ap: op %u: run_until %" PRIu64 " from %" PRIu64 ": %d", z->op, target,
			  z->now, rc);
	if (z->nwr || z->nrd)
		fuzz_fail("ap: op %u: the clock used the instruction storage", z->op);
	z->now = target;
	after_clock(z);
}

static void op_clock(struct fz *z)
{
	uint8_t b = fuzz_u8(&z->in);
	uint64_t c;

	if (b == 0xff) {
		uint64_t ne = s390ap_machine_next_event(z->m);
		if (ne != S390AP_NO_EVENT && ne <= CLOCK_CAP)
			clock_to(z, ne);
		return;
	}
	if (b < 0x80)
		c = (uint64_t)b * 64;
	else if (b < 0xc0)
		c = (uint64_t)(b & 63) * 4096;
	else if (b < 0xf0)
		c = (uint64_t)(b & 63) << 16;
	else
		c = fuzz_uint(&z->in, 8);
	if (c > UINT64_MAX - z->now) {
		int rc;
		poison_errmsg(z);
		rc = s390ap_machine_advance(z->m, c);
		check_err(z, "advance", rc, S390AP_ERANGE);
		after_clock(z);
		return;
	}
	if (z->now + c > CLOCK_CAP) {
		/* a target before now changes nothing */
		int rc;
		if (z->now == 0)
			return;
		poison_errmsg(z);
		rc = s390ap_machine_run_until(z->m, z->now - 1);
		check_err(z, "run_until", rc, 0);
		if (s390ap_machine_now(z->m) != z->now)
			fuzz_fail("ap: op %u: run_until to an older cycle moved the clock", z->op);
		return;
	}
	if (b & 1) {
		int rc;
		acc_reset(z);
		z->in_clock = true;
		rc = s390ap_machine_advance(z->m, c);
		z->in_clock = false;
		if (rc < 0)
			fuzz_fail("ap: op %u: advance %" PRIu64 ": %d", z->op, c, rc);
		if (z->nwr || z->nrd)
			fuzz_fail("ap: op %u: the clock used the instruction storage", z->op);
		z->now += c;
		after_clock(z);
	} else {
		clock_to(z, z->now + c);
	}
}

/* ------------------------------------------------------------------ */
/* Faults and configuration changes                                    */
/* ------------------------------------------------------------------ */
static void flush_adapter(struct fz *z, unsigned apid)
{
	for (unsigned i = 0; i < MAX_Q; i++) {
		struct mq *q = &z->q[i];
		if (q->used && S390AP_APQN_APID(q->apqn) == apid) {
			mq_land(z, q);
			mq_flush(z, q);
			q->reset_pending = false;
		}
	}
}

/* ------------------------------------------------------------------ */
/* ext: access exceptions, host resets, asynchronous completion        */
/* ------------------------------------------------------------------ */
static void op_access(struct fz *z)
{
	/* clang-format off */
	static const uint16_t pgms[] = {
		0, S390AP_PGM_PROTECTION, S390AP_PGM_ADDRESSING, S390AP_PGM_SEGMENT_TRANSLATION,
		S390AP_PGM_PAGE_TRANSLATION, S390AP_PGM_TRANSLATION_SPEC, S390AP_PGM_ALET_SPEC,
		S390AP_PGM_ALEN_TRANSLATION, S390AP_PGM_ALE_SEQUENCE, S390AP_PGM_ASTE_VALIDITY,
		S390AP_PGM_ASTE_SEQUENCE, S390AP_PGM_EXTENDED_AUTHORITY, S390AP_PGM_ASCE_TYPE,
		S390AP_PGM_REGION_FIRST_TRANSLATION, S390AP_PGM_REGION_SECOND_TRANSLATION,
		S390AP_PGM_REGION_THIRD_TRANSLATION,
	};
	/* clang-format on */
	uint8_t sel = fuzz_u8(&z->in), b;

	switch (sel & 3) {
	case 0:
		z->flt.on = false;
		return;
	case 3:
		b = fuzz_u8(&z->in);
		z->ctx.key = b < 0xf0 ? (uint8_t)(b & 15) : b;
		b = fuzz_u8(&z->in);
		z->ctx.asc = b < 0xf0 ? (uint8_t)(b & 3) : (uint8_t)(b & 7);
		return;
	default:
		break;
	}
	z->flt.on = true;
	z->flt.all = (sel & 3) == 1;
	z->flt.addr = sel_addr(z);
	b = fuzz_u8(&z->in);
	z->flt.len = b == 0xff ? UINT64_MAX : 1ull << (b & 15);
	memset(&z->flt.exc, 0, sizeof(z->flt.exc));
	b = fuzz_u8(&z->in);
	z->flt.exc.pgm = b < 0xf0 ? pgms[b & 15] : (uint16_t)fuzz_uint(&z->in, 2);
	z->flt.exc.flags = fuzz_u8(&z->in);
	z->flt.exc.eai = fuzz_u8(&z->in);
	b = fuzz_u8(&z->in);
	z->flt.exc.ending = b < 0xc0 ? (uint8_t)(b & 3) : b;
	z->flt.exc.teid = sel_value(z);
}

/* What a host reset does to one queue (docs/ap-model.md, "Host resets"). */
static void host_reset_queue(struct fz *z, struct mq *q, bool zeroize)
{
	mq_land(z, q);
	mq_flush(z, q);
	q->async_rc = 0;
	if (zeroize && (z->mfac & S390AP_FAC_APSB))
		q->bs = 2;
	q->reset_pending = false;
	q->resets++;
}

static void op_host_reset(struct fz *z, uint16_t apqn)
{
	uint8_t b = fuzz_u8(&z->in);
	struct mq *q = mq_get(z, apqn);
	int got;

	poison_errmsg(z);
	if (b & 1) {
		got = s390ap_queue_reset(z->m, apqn, (b & 2) != 0);
		check_err(z, "queue_reset", got, q ? 0 : S390AP_ENOENT);
		if (got == 0)
			host_reset_queue(z, q, (b & 2) != 0);
	} else {
		unsigned k = (b >> 1) & 3;
		s390ap_reset_kind kind = k < 2 ? (s390ap_reset_kind)k : (s390ap_reset_kind)(b >> 2);

		got = s390ap_machine_reset(z->m, kind);
		check_err(z, "machine_reset", got,
			  kind == S390AP_RESET_SYSTEM || kind == S390AP_RESET_CLEAR
				  ? 0
				  : S390AP_EINVAL);
		if (got < 0)
			return;
		for (unsigned i = 0; i < MAX_Q; i++) {
			if (!z->q[i].used)
				continue;
			host_reset_queue(z, &z->q[i], kind == S390AP_RESET_CLEAR);
			/* every event goes, AQIC changes in flight too */
			z->q[i].nchg = 0;
			z->q[i].irq_unknown = false;
		}
		if (s390ap_machine_next_event(z->m) != S390AP_NO_EVENT ||
		    s390ap_machine_irq_pending(z->m) != 0)
			fuzz_fail("ap: op %u: after a machine reset next event %" PRIu64
				  ", ISCs pending %02x",
				  z->op, s390ap_machine_next_event(z->m),
				  s390ap_machine_irq_pending(z->m));
	}
	after_clock(z);
}

/* s390ap_queue_complete(apqn, token) with a reply of len bytes (the
 * pattern of seed; NULL when null), expecting exp. */
static int complete(struct fz *z, uint16_t apqn, uint64_t token, size_t len, uint8_t seed,
		    bool null, int exp)
{
	int got;

	for (size_t i = 0; i < len && i < UNDO_BYTES; i++)
		z->undo[i] = (uint8_t)(seed + i * 13);
	poison_errmsg(z);
	acc_reset(z);
	z->in_clock = true; /* a completion may set a NIB */
	got = s390ap_queue_complete(z->m, apqn, token, null ? NULL : z->undo, len);
	z->in_clock = false;
#ifdef FUZZ_AP_TRACE
	fprintf(stderr,
		"op %3u t=%-8" PRIu64 " complete %04x token %" PRIu64 " len %zu%s -> %d (%d)\n",
		z->op, z->now, apqn, token, len, null ? " NULL" : "", got, exp);
#endif
	check_err(z, "queue_complete", got, exp);
	if (z->nwr || z->nrd)
		fuzz_fail("ap: op %u: a completion used the instruction storage", z->op);
	after_clock(z);
	return got;
}

/* Complete the k-th pending request the model knows (those of lost ones
 * last) with a reply of len bytes: 0, and the reply is ready now.  False
 * when nothing is pending. */
static bool complete_pending(struct fz *z, unsigned k, size_t len, uint8_t seed, bool null)
{
	unsigned n = 0;

	for (unsigned i = 0; i < MAX_Q; i++)
		for (unsigned j = 0; z->q[i].used && j < z->q[i].nd; j++)
			n += z->q[i].d[j].pending;
	if (n + z->nlostp == 0)
		return false;
	k %= n + z->nlostp;
	if (k >= n) {
		struct tok t = z->lostp[k - n];

		z->lostp[k - n] = z->lostp[--z->nlostp];
		if (complete(z, t.apqn, t.token, len, seed, null, 0) == 0)
			stale_add(z, t.token, t.apqn);
		return true;
	}
	for (unsigned i = 0; i < MAX_Q; i++) {
		struct mq *q = &z->q[i];

		for (unsigned j = 0; q->used && j < q->nd; j++) {
			struct ent *en = &q->d[j];
			const struct mad *a;

			if (!en->pending || k--)
				continue;
			a = mad_get(z, S390AP_APQN_APID(q->apqn));
			if (complete(z, q->apqn, en->token, len, seed, null, 0) < 0)
				return true;
			en->pending = false;
			en->earliest = z->now;
			en->rseed = seed;
			if (len == 0 || len > a->max_msg) {
				en->rkind = R_ERROR82;
				en->rlen = S390AP_ERROR_REPLY_LEN;
			} else {
				en->rkind = R_PATTERN;
				en->rlen = (uint32_t)len;
			}
			stale_add(z, en->token, q->apqn);
			return true;
		}
	}
	fuzz_fail("ap: op %u: pending request %u not found", z->op, k);
}

/* A token of a pending request, or none. */
static bool any_pending(const struct fz *z, struct tok *t)
{
	for (unsigned i = 0; i < MAX_Q; i++)
		for (unsigned j = 0; z->q[i].used && j < z->q[i].nd; j++)
			if (z->q[i].d[j].pending) {
				*t = (struct tok){ z->q[i].d[j].token, z->q[i].apqn };
				return true;
			}
	return false;
}

static void op_async(struct fz *z, uint16_t apqn)
{
	uint8_t b = fuzz_u8(&z->in), ib = fuzz_u8(&z->in), lb = fuzz_u8(&z->in);
	uint8_t seed = fuzz_u8(&z->in);
	size_t len = lb < 0xe0 ? lb : lb == 0xff ? 0x10001 : (size_t)(lb - 0xdf) * 1024;
	uint64_t bogus = (z->any_token ? z->max_token : 0) + 1 + ib;
	struct tok t;

	switch (b & 7) {
	case 0:
		z->pend_next = 1 + ((b >> 3) & 7);
		return;
	case 1:
	case 2:
		/* a valid token; NULL is allowed with no bytes */
		if (!complete_pending(z, ib, len, seed, len == 0 && (b & 8)))
			complete(z, apqn, bogus, len, seed, false, S390AP_ENOENT);
		return;
	case 3:
		/* a token that was given out but is not pending (any more) */
		if (z->nstale) {
			unsigned n = z->nstale < MAX_STALE ? z->nstale : MAX_STALE;
			t = z->stale[ib % n];
			complete(z, (b & 8) ? apqn : t.apqn, t.token, len, seed, false,
				 S390AP_ENOENT);
		} else {
			complete(z, apqn, bogus, len, seed, false, S390AP_ENOENT);
		}
		return;
	case 4:
		/* one never given out */
		complete(z, apqn, (b & 8) ? UINT64_MAX - ib : bogus, len, seed, false,
			 S390AP_ENOENT);
		return;
	case 5:
		/* a pending request's token on another queue */
		if (any_pending(z, &t) && t.apqn != apqn)
			complete(z, apqn, t.token, len, seed, false, S390AP_ENOENT);
		return;
	case 6:
		/* no reply but a length: refused, the request stays pending */
		if (!any_pending(z, &t))
			t = (struct tok){ bogus, apqn };
		complete(z, t.apqn, t.token, len ? len : 1, seed, true, S390AP_EINVAL);
		return;
	default:
		z->pend_next = 0;
		return;
	}
}

static void op_fault(struct fz *z)
{
	uint8_t kind = fuzz_u8(&z->in) % (z->ext ? 16 : 13);
	uint16_t apqn = sel_apqn(z);
	unsigned apid = S390AP_APQN_APID(apqn), apqi = S390AP_APQN_APQI(apqn);
	struct mad *a = mad_get(z, apid);
	struct mq *q = mq_get(z, apqn);
	int got, exp;

#ifdef FUZZ_AP_TRACE
	fprintf(stderr, "op %3u t=%-8" PRIu64 " fault %u on %04x\n", z->op, z->now, kind, apqn);
#endif
	switch (kind) {
	case 0:
	case 1:
	case 2:
	case 3: {
		bool on = kind == 0 || kind == 3;
		poison_errmsg(z);
		got = kind < 2 ? s390ap_adapter_checkstop(z->m, apid, on)
			       : s390ap_adapter_configure(z->m, apid, on);
		check_err(z, kind < 2 ? "checkstop" : "configure", got, a ? 0 : S390AP_ENOENT);
		if (!a)
			return;
		bool *state = kind < 2 ? &a->checkstopped : &a->configured;
		if (*state != on)
			flush_adapter(z, apid);
		*state = on;
		return;
	}
	case 4:
		poison_errmsg(z);
		got = s390ap_adapter_remove(z->m, apid);
		check_err(z, "adapter_remove", got, a ? 0 : S390AP_ENOENT);
		if (!a)
			return;
		a->present = false;
		mset(z->apm, apid, false);
		for (unsigned i = 0; i < MAX_Q; i++)
			if (z->q[i].used && S390AP_APQN_APID(z->q[i].apqn) == apid)
				drop_queue(z, z->q[i].apqn);
		return;
	case 5: {
		s390ap_adapter_opts o;
		unsigned dummy;
		read_adopts(z, &dummy, &o);
		add_adapter(z, apid, &o);
		return;
	}
	case 6:
		add_domain(z, apqi, fuzz_u8(&z->in) & 3);
		return;
	case 7:
		exp = mtest(z->aqm, apqi) || mtest(z->adm, apqi) ? 0 : S390AP_ENOENT;
		poison_errmsg(z);
		got = s390ap_domain_remove(z->m, apqi);
		check_err(z, "domain_remove", got, exp);
		if (got < 0)
			return;
		for (unsigned i = 0; i < z->nad; i++)
			if (z->ad[i].present)
				drop_queue(z, S390AP_APQN(z->ad[i].apid, apqi));
		mset(z->aqm, apqi, false);
		mset(z->adm, apqi, false);
		return;
	case 8: {
		uint64_t c = sel_value(z) * 16;
		poison_errmsg(z);
		got = s390ap_queue_busy(z->m, apqn, c);
		check_err(z, "queue_busy", got, q ? 0 : S390AP_ENOENT);
		if (q)
			q->busy_until = sat_add(z->now, c, UINT64_MAX);
		return;
	}
	case 9: {
		uint64_t c = sel_value(z);
		if (c < 0x80)
			c *= 256;
		poison_errmsg(z);
		got = s390ap_queue_delay_reply(z->m, apqn, c);
		check_err(z, "queue_delay_reply", got,
			  !q                   ? S390AP_ENOENT
			  : c > UINT64_MAX / 4 ? S390AP_ERANGE
					       : 0);
		if (got == 0)
			q->delay_next = c;
		return;
	}
	case 10:
		poison_errmsg(z);
		got = s390ap_queue_lose_reply(z->m, apqn);
		check_err(z, "queue_lose_reply", got, q ? 0 : S390AP_ENOENT);
		if (q)
			q->lose_next = true;
		return;
	case 13:
		op_access(z);
		return;
	case 14:
		op_host_reset(z, apqn);
		return;
	case 15:
		op_async(z, apqn);
		return;
	case 12: {
		/* the machine-wide memory cap: 0 lifts it */
		uint64_t v = sel_value(z) * 64;
		poison_errmsg(z);
		got = s390ap_machine_set_mem_limit(z->m, v);
		check_err(z, "set_mem_limit", got, 0);
		if (s390ap_machine_mem_limit(z->m) != v)
			fuzz_fail("ap: op %u: mem limit %" PRIu64 ", set %" PRIu64, z->op,
				  s390ap_machine_mem_limit(z->m), v);
		z->mem_limit = v;
		return;
	}
	default: {
		uint8_t b = fuzz_u8(&z->in);
		uint8_t rc = b < 0x80 ? 0x35 : b < 0xf0 ? 0x36 : b;
		poison_errmsg(z);
		got = s390ap_queue_fail_assoc(z->m, apqn, rc);
		check_err(z, "queue_fail_assoc", got,
			  !q                           ? S390AP_ENOENT
			  : (rc != 0x35 && rc != 0x36) ? S390AP_EINVAL
						       : 0);
		if (got == 0)
			q->fail_rc = rc;
		return;
	}
	}
}

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */
/* RSA-1024 test key of tests/scenarios/rsa_me_1024.scn: the modulus, and
 * the message m (127 bytes of text); e = 65537. */
static const char rsa_n[] =
	"bcb85c6c48ff3c7f5b367957ab2203454f12871aec686b9bedd0e81783f48f414aaac47b6d9906f939db1ea657e79dd8"
	"eacb570c2fd46da05d7a9a953e408011dda7c555653ce755cc6edd6a8993ad8022c54160dff2c0a286944dac6037805b"
	"e2efdeb0da3c6e5411136d19ab570646d9e60f8ee744d9880410b5e986408ad3";
static const char rsa_m[] = "s390ap RSA-1024 test message s390ap RSA-1024 test message "
			    "s390ap RSA-1024 test message s390ap RSA-1024 test message s390ap RSA-";

static uint8_t hexv(char c)
{
	return (uint8_t)(c <= '9' ? c - '0' : c - 'a' + 10);
}

static size_t build_msg(uint8_t *buf, size_t cap, unsigned tmpl, uint8_t param)
{
	size_t len;

	switch (tmpl) {
	case 0: /* type 50 MEB1: exponent, modulus, message, 128 bytes each */
	case 3:
		len = 0x190;
		memset(buf, 0, len);
		buf[1] = 0x50;
		buf[2] = (uint8_t)(len >> 8);
		buf[3] = (uint8_t)len;
		if (tmpl == 3)
			buf[3] ^= param | 1;
		buf[9] = 0x01;
		buf[0x10 + 125] = 0x01;
		buf[0x10 + 127] = 0x01;
		for (size_t i = 0; i < 128; i++)
			buf[0x90 + i] = (uint8_t)(hexv(rsa_n[2 * i]) << 4 | hexv(rsa_n[2 * i + 1]));
		memcpy(buf + 0x110 + 1, rsa_m, 127);
		return len;
	case 1: /* CCA type 6 with a CPRBX naming domain param */
	case 2: /* EP11 type 6 */
		len = tmpl == 1 ? 0x140 : 0x80;
		memset(buf, 0, len);
		buf[1] = 0x06;
		buf[0x13] = 0x58;
		buf[0x20] = tmpl == 1 ? 'C' : 'X';
		buf[0x21] = tmpl == 1 ? 'A' : 'C';
		if (tmpl == 1) {
			buf[0x58] = 0x00;
			buf[0x59] = 0xDC;
			buf[0x5A] = 0x02;
			buf[0x5E] = 'T';
			buf[0x5F] = '2';
			buf[0x102] = 0;
			buf[0x103] = param;
		}
		return len;
	default:
		len = param ? param : 1;
		if (len > cap)
			len = cap;
		memset(buf, 0x5A, len);
		return len;
	}
}

static void op_msg(struct fz *z)
{
	uint8_t tmpl = fuzz_u8(&z->in) % 5, buf[0x190];
	uint64_t addr = sel_addr(z);
	uint8_t param = fuzz_u8(&z->in);
	size_t len = build_msg(buf, sizeof(buf), tmpl, param);
	long long off = map(addr, len);

	if (off >= 0)
		memcpy(z->mem + off, buf, len);
}

static void op_store(struct fz *z)
{
	uint64_t addr = sel_addr(z);
	size_t n = fuzz_u8(&z->in), got;
	const uint8_t *p = fuzz_take(&z->in, n, &got);
	long long off = map(addr, got);

	if (off >= 0)
		memcpy(z->mem + off, p, got);
}

/* ------------------------------------------------------------------ */
/* Instruction ops                                                     */
/* ------------------------------------------------------------------ */
static void op_pqap(struct fz *z)
{
	uint8_t fcb = fuzz_u8(&z->in), flags = fuzz_u8(&z->in);
	unsigned fc = fcb < 0xf0 ? fcb % 10u : fcb;
	uint16_t apqn = sel_apqn(z);
	uint64_t g1 = sel_value(z), g2 = sel_value(z), g0;

	g0 = (uint64_t)fc << 24 | apqn;
	if (flags & 1)
		g0 |= S390AP_GR0_T;
	if (flags & 2)
		g0 |= S390AP_GR0_F;
	if (flags & 4)
		g0 |= (uint64_t)(flags >> 5) << 16;
	if (flags & 8)
		g0 |= 0xA5A5A5A500000000ull;
	z->gr[0] = g0;
	if (!(flags & 16))
		z->gr[1] = g1;
	if (!(flags & 32))
		z->gr[2] = g2;
	run_insn(z, S390AP_OP_PQAP << 16);
}

static void regs_pair(uint8_t b, unsigned dr1, unsigned dr2, unsigned *r1, unsigned *r2)
{
	if (b == 0) {
		*r1 = dr1;
		*r2 = dr2;
	} else {
		*r1 = b >> 4;
		*r2 = b & 15;
	}
}

static void op_nqap(struct fz *z)
{
	unsigned r1, r2;
	uint8_t flags;
	uint16_t apqn;
	uint64_t psmid, addr, len;

	regs_pair(fuzz_u8(&z->in), 10, 12, &r1, &r2);
	flags = fuzz_u8(&z->in);
	apqn = sel_apqn(z);
	psmid = sel_psmid(z);
	addr = sel_addr(z);
	len = sel_len(z);
	z->gr[0] = apqn | ((flags & 1) ? 0 : S390AP_NQAP_L) |
		   ((flags & 2) ? S390AP_NQAP_SPECIAL : 0);
	if (flags & 4)
		z->gr[0] |= (uint64_t)fuzz_u8(&z->in) << 16 | (uint64_t)(flags >> 4) << 28;
	/* the PSMID pair first, then the operand pair (one may overlap the other) */
	if (r1 < 15) {
		z->gr[r1] = (psmid >> 32) | ((flags & 8) ? 0x5A5A5A5A00000000ull : 0);
		z->gr[r1 + 1] = (psmid & 0xFFFFFFFFull) | ((flags & 8) ? 0xA5A5A5A500000000ull : 0);
	}
	if (r2 < 15) {
		z->gr[r2] = addr;
		z->gr[r2 + 1] = len;
	}
	run_insn(z, S390AP_OP_NQAP << 16 | r1 << 4 | r2);
}

static void op_dqap(struct fz *z)
{
	unsigned r1, r2;
	uint8_t flags;
	uint16_t apqn;
	uint64_t addr, len;

	regs_pair(fuzz_u8(&z->in), 6, 8, &r1, &r2);
	flags = fuzz_u8(&z->in);
	apqn = sel_apqn(z);
	addr = sel_addr(z);
	len = sel_len(z);
	z->gr[0] = apqn;
	if (flags & 2)
		z->gr[0] |= (uint64_t)fuzz_u8(&z->in) << 16;
	if (flags & 4)
		z->gr[0] |= S390AP_DQAP_BIT32;
	if (!(flags & 1))
		z->gr[2] = 0;
	if (r1 < 15) {
		z->gr[r1] = 0xC3C3C3C300000000ull;
		z->gr[r1 + 1] = 0x3C3C3C3C00000000ull;
	}
	if (r2 < 15) {
		z->gr[r2] = addr;
		z->gr[r2 + 1] = len;
	}
	run_insn(z, S390AP_OP_DQAP << 16 | r1 << 4 | r2);
}

/* DQAP into a 12 KiB buffer at 0x8000 until no reply is left. */
static void op_poll(struct fz *z)
{
	uint16_t apqn = sel_apqn(z);

	z->gr[2] = 0;
	for (unsigned i = 0; i < 64 && !z->dead; i++) {
		s390ap_insn_result r;
		z->gr[0] = apqn;
		z->gr[6] = 0;
		z->gr[7] = 0;
		z->gr[8] = 0x8000;
		z->gr[9] = 0x3000;
		r = run_insn(z, S390AP_OP_DQAP << 16 | 0x68);
		if (r.pgm || r.cc == 3)
			break;
	}
}

/* The instruction calls with an argument missing: EINVAL, and a message,
 * since the machine is at hand. */
static void op_bad_call(struct fz *z, unsigned how)
{
	s390ap_insn_ctx c = z->ctx;
	s390ap_insn_result res;
	uint64_t before[16];
	int got;

	memcpy(before, z->gr, sizeof(before));
	poison_errmsg(z);
	switch (how) {
	case 0:
		got = s390ap_execute(z->m, NULL, S390AP_OP_PQAP << 16, &res);
		break;
	case 1:
		got = s390ap_pqap(z->m, &z->ctx, NULL);
		break;
	case 2:
		c.gr = NULL;
		got = s390ap_nqap(z->m, &c, 10, 12, &res);
		break;
	default:
		got = s390ap_dqap(z->m, &z->ctx, 16, 8, &res);
		break;
	}
	check_err(z, "an instruction call without an argument", got, S390AP_EINVAL);
	if (memcmp(before, z->gr, sizeof(before)))
		fuzz_fail("ap: op %u: a refused call changed registers", z->op);
}

static void op_raw(struct fz *z)
{
	static const uint32_t ops[] = { S390AP_OP_PQAP, S390AP_OP_NQAP, S390AP_OP_DQAP, 0xB2B0 };
	uint8_t o = fuzz_u8(&z->in), rr = fuzz_u8(&z->in);

	if (o & 4)
		op_bad_call(z, rr & 3);
	else
		run_insn(z, ops[o & 3] << 16 | rr);
}

static void op_ctx(struct fz *z)
{
	static const uint8_t modes[] = { 64, 0, 31, 24, 64, 64, 31, 24 };
	uint8_t b = fuzz_u8(&z->in);

	z->ctx.problem_state = (b & 15) == 15;
	z->ctx.amode = b == 0xff ? 32 : modes[(b >> 4) & 7];
}

static void op_ack(struct fz *z)
{
	uint8_t b = fuzz_u8(&z->in);
	unsigned isc = b == 0xff ? 8 : b & 7;
	bool was = false;
	int got;

	poison_errmsg(z);
	got = s390ap_machine_irq_ack(z->m, isc, &was);
	check_err(z, "irq_ack", got, isc > 7 ? S390AP_EINVAL : 0);
	if (isc > 7)
		return;
	if (s390ap_machine_irq_pending(z->m) & (0x80u >> isc))
		fuzz_fail("ap: op %u: ISC %u still pending after its ack", z->op, isc);
}

/* ------------------------------------------------------------------ */
/* The end: every event, every queue drained                           */
/* ------------------------------------------------------------------ */
static void drain(struct fz *z)
{
	s390ap_view lpar;
	unsigned guard = 0;

	z->op = MAX_OPS + 1;
	for (;;) {
		uint64_t ne = s390ap_machine_next_event(z->m);
		if (ne == S390AP_NO_EVENT)
			break;
		if (++guard > 4096)
			fuzz_fail("ap: end: events keep coming (next at %" PRIu64 ")", ne);
		if (ne < z->now)
			fuzz_fail("ap: end: next event %" PRIu64 " before now %" PRIu64, ne,
				  z->now);
		clock_to(z, ne);
	}
	/* every request left pending is answered now, and must come back */
	while (complete_pending(z, 0, 16, 0xA5, false) && !z->dead)
		;
	if (!(z->mfac & S390AP_FAC_AP))
		return;
	s390ap_view_lpar(z->m, &lpar);
	z->ctx.view = &lpar;
	z->ctx.problem_state = false;
	z->ctx.amode = 64;
	z->ctx.key = 0;
	z->ctx.asc = S390AP_ASC_PRIMARY;
	z->flt.on = false;
	for (unsigned i = 0; i < MAX_Q && !z->dead; i++) {
		struct mq *q = &z->q[i];
		struct mad *a;
		s390ap_queue_info qi;
		if (!q->used)
			continue;
		a = mad_get(z, S390AP_APQN_APID(q->apqn));
		mq_land(z, q);
		z->gr[2] = 0;
		for (unsigned guard2 = 0; guard2 < 100000 && !z->dead; guard2++) {
			s390ap_insn_result r;
			z->gr[0] = q->apqn;
			z->gr[6] = z->gr[7] = 0;
			z->gr[8] = 0;
			z->gr[9] = a->max_msg;
			r = run_insn(z, S390AP_OP_DQAP << 16 | 0x68);
			if (r.pgm)
				fuzz_fail("ap: end: DQAP %04x pgm 0x%x", q->apqn, r.pgm);
			if (r.cc == 3)
				break;
		}
		if (z->dead)
			return;
		if (q->async_rc == 0 && a->configured && !a->checkstopped) {
			if (q->nd)
				fuzz_fail("ap: end: %04x: the reply to PSMID %016" PRIx64
					  " (accepted at op %u) never came back",
					  q->apqn, q->d[0].psmid, q->d[0].op);
			/* every lost request has gone too */
			z->gr[0] = q->apqn;
			z->gr[2] = 0;
			s390ap_insn_result r = run_insn(z, S390AP_OP_PQAP << 16);
			if (r.rc == 0 && !!(z->gr[1] & S390AP_SW_E) != !q->asm_on)
				fuzz_fail("ap: end: %04x: status %08x with nothing in process%s",
					  q->apqn, (uint32_t)z->gr[1],
					  q->asm_on ? " but a partial message" : "");
		}
		if (s390ap_queue_info_get(z->m, q->apqn, &qi) < 0)
			fuzz_fail("ap: end: no queue info for %04x", q->apqn);
		if (qi.enqueued != q->enq || qi.dequeued != q->deq || qi.resets != q->resets)
			fuzz_fail("ap: end: %04x counters enq %" PRIu64 " deq %" PRIu64
				  " resets %" PRIu64 ", model %" PRIu64 " %" PRIu64 " %" PRIu64,
				  q->apqn, qi.enqueued, qi.dequeued, qi.resets, q->enq, q->deq,
				  q->resets);
	}
	for (unsigned rc = 0; rc < 256; rc++)
		if (s390ap_machine_rc_count(z->m, (uint8_t)rc) != z->rc_count[rc])
			fuzz_fail("ap: end: rc count 0x%02x %" PRIu64 ", model %" PRIu64, rc,
				  s390ap_machine_rc_count(z->m, (uint8_t)rc), z->rc_count[rc]);
	for (unsigned p = 1; p < 128; p++)
		if (s390ap_machine_pgm_count(z->m, (uint16_t)p) != z->pgm_count[p])
			fuzz_fail("ap: end: pgm count 0x%02x %" PRIu64 ", model %" PRIu64, p,
				  s390ap_machine_pgm_count(z->m, (uint16_t)p), z->pgm_count[p]);
}

/* ------------------------------------------------------------------ */
/* Set-up and the loop                                                 */
/* ------------------------------------------------------------------ */
static bool setup(struct fz *z)
{
	s390ap_machine_opts mo = { S390AP_SIZED(s390ap_machine_opts) };
	uint16_t drop = (uint16_t)fuzz_uint(&z->in, 2);
	uint8_t na = fuzz_u8(&z->in), nd = fuzz_u8(&z->in), cd = fuzz_u8(&z->in);
	uint8_t rs = fuzz_u8(&z->in), iq = fuzz_u8(&z->in), as = fuzz_u8(&z->in);
	unsigned nad = (fuzz_u8(&z->in) & 3) + 1, ndom = (fuzz_u8(&z->in) & 3) + 1;
	int rc;

	z->mfac = S390AP_FAC_ALL & ~(uint32_t)drop;
	z->ext = (drop & 0x8000) != 0;
	mo.facilities = z->mfac;
	mo.facilities_set = true;
	mo.na = (z->mfac & S390AP_FAC_APXA) ? na : na & 63;
	mo.nd = (z->mfac & S390AP_FAC_APXA) ? nd : nd & 15;
	mo.cpu_determined = cd == 0xff ? UINT32_MAX : (uint32_t)cd * 64;
	mo.reset_cycles = (uint64_t)rs * 16;
	mo.irq_cycles = (uint64_t)iq * 8;
	mo.assoc_cycles = (uint64_t)as * 32;
	z->host = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = z, .read = host_read,
				    .write = host_write };
	z->st = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = z, .read = st_read,
				  .write = st_write };
	if (z->ext) {
		z->host = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = z,
					    .access = host_access };
		z->st = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = z,
					  .access = st_access };
	}
	mo.storage = &z->host;
	rc = s390ap_machine_new(&z->m, &mo);
	if (rc == S390AP_ENOMEM)
		return false;
	if (rc < 0)
		fuzz_fail("ap: machine_new: %d", rc);
	z->na = mo.na ? mo.na : (z->mfac & S390AP_FAC_APXA) ? 255 : 63;
	z->nd = mo.nd ? mo.nd : (z->mfac & S390AP_FAC_APXA) ? 255 : 15;
	z->cpu_det = mo.cpu_determined ? mo.cpu_determined : 4096;
	z->reset_cycles = mo.reset_cycles ? mo.reset_cycles : S390AP_DEFAULT_RESET_CYCLES;
	z->irq_cycles = mo.irq_cycles ? mo.irq_cycles : S390AP_DEFAULT_IRQ_CYCLES;
	z->assoc_cycles = mo.assoc_cycles ? mo.assoc_cycles : S390AP_DEFAULT_ASSOC_CYCLES;
	if (s390ap_machine_max_apid(z->m) != z->na || s390ap_machine_max_apqi(z->m) != z->nd)
		fuzz_fail("ap: Na/Nd %u/%u, model %u/%u", s390ap_machine_max_apid(z->m),
			  s390ap_machine_max_apqi(z->m), z->na, z->nd);

	/* domains first would be as good; adapters first exercise queue creation
	 * by domain_add */
	for (unsigned i = 0; i < nad && !z->dead; i++) {
		s390ap_adapter_opts o;
		unsigned apid;
		read_adopts(z, &apid, &o);
		bool dup = false;
		for (unsigned j = 0; j < z->ncand_apid; j++)
			dup |= z->cand_apid[j] == apid;
		if (!dup)
			z->cand_apid[z->ncand_apid++] = apid;
		add_adapter(z, apid, &o);
	}
	for (unsigned i = 0; i < ndom && !z->dead; i++) {
		unsigned apqi = fuzz_u8(&z->in), fl = fuzz_u8(&z->in) & 3;
		bool dup = false;
		for (unsigned j = 0; j < z->ncand_apqi; j++)
			dup |= z->cand_apqi[j] == apqi;
		if (!dup)
			z->cand_apqi[z->ncand_apqi++] = apqi;
		add_domain(z, apqi, fl ? fl : 3);
	}
	/* one id of each that the configuration lacks */
	for (unsigned id = 0x10;; id++) {
		bool used = false;
		for (unsigned j = 0; j < z->ncand_apid; j++)
			used |= z->cand_apid[j] == id;
		if (!used) {
			z->cand_apid[z->ncand_apid++] = id;
			break;
		}
	}
	for (unsigned id = 0x0c;; id++) {
		bool used = false;
		for (unsigned j = 0; j < z->ncand_apqi; j++)
			used |= z->cand_apqi[j] == id;
		if (!used) {
			z->cand_apqi[z->ncand_apqi++] = id;
			break;
		}
	}
	z->ctx.gr = z->gr;
	z->ctx.storage = &z->st;
	z->ctx.amode = 64;
	set_view(z);
	return !z->dead;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a per-process cache of the big buffers, cleared for every input:
	 * allocating them each time costs more than a short input runs */
	static struct fz *z;
	static uint8_t *mem, *undo;

	if (!z) {
		z = malloc(sizeof(*z));
		mem = malloc(STORE_BYTES);
		undo = malloc(UNDO_BYTES);
		if (!z || !mem || !undo)
			fuzz_fail("ap: out of memory");
	}
	memset(z, 0, sizeof(*z));
	memset(mem, 0, STORE_BYTES);
	z->mem = mem;
	z->undo = undo;
	z->in = (struct fuzz_in){ data, size };
	if (setup(z)) {
		for (z->op = 1; z->op <= MAX_OPS && fuzz_more(&z->in) && !z->dead; z->op++) {
			switch (fuzz_u8(&z->in) % 16) {
			case 0:
			case 1:
				op_pqap(z);
				break;
			case 2:
			case 3:
				op_nqap(z);
				break;
			case 4:
			case 5:
				op_dqap(z);
				break;
			case 6:
				op_clock(z);
				break;
			case 7:
				op_fault(z);
				break;
			case 8:
				op_ctx(z);
				break;
			case 9:
				set_view(z);
				break;
			case 10:
				op_store(z);
				break;
			case 11:
				op_msg(z);
				break;
			case 12:
				op_raw(z);
				break;
			case 13: {
				unsigned r = fuzz_u8(&z->in) & 15;
				z->gr[r] = sel_value(z);
				break;
			}
			case 14:
				op_ack(z);
				break;
			default:
				op_poll(z);
				break;
			}
			if (!z->dead)
				check_pending(z);
		}
		if (!z->dead)
			drain(z);
	}
	s390ap_machine_free(z->m);
	z->m = NULL;
	return 0;
}
