/* SPDX-License-Identifier: MIT */
/* embed -- the AP model inside a simulator of our own, the way QEMU or
 * Hercules link it (docs/embedding.md).  Everything around the three AP
 * instructions belongs to this file, not to the library:
 *
 *  - a toy vCPU (16 GRs, a PSW address, a condition code) with its own
 *    instruction loop; guest programs are real AP instruction words
 *    (PQAP 0xB2AF0000, NQAP / DQAP 0xB2AD0048 / 0xB2AE0048) mixed with a few
 *    pseudo-ops, and the AP words go to s390ap_execute();
 *  - its own DAT: 4 KiB pages, some invalid (page translation, 0x11) or
 *    protected (0x04) at first; the toy "OS" resolves the fault and runs the
 *    instruction again as the ending in the result says;
 *  - its own clocks: one virtual nanosecond clock per vCPU, turned into
 *    cycles for s390ap_machine_run_until; the deadline hook arms a timer, the
 *    irq hook raises an adapter interruption that the vCPU takes and acks;
 *  - two host threads, one vCPU each, on one machine, taking turns under
 *    one mutex as a big emulator lock would (docs/threads.md);
 *  - a host reset of one queue and adapters plugged in and out (config hook);
 *  - save and restore: the machine saved with requests in flight, restored
 *    into a second machine, both run on to the same results.
 *
 * It prints what happens and exits 0 only if every check passed.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <s390ap/s390ap.h>

/* ------------------------------------------------------------------ */
/* The toy guest: absolute storage and a page table per vCPU          */
/* ------------------------------------------------------------------ */
#define PAGE 4096u
#define NPAGES 16u /* logical pages per vCPU: 64 KiB of address space */
#define NCPUS 2u
/* frame 0: shared page (NIBs), frames 1-2: the vCPUs' lowcores,
 * then NPAGES frames per vCPU */
#define ABS_SIZE ((3u + NCPUS * NPAGES) * PAGE)

/* Logical layout, the same for both vCPUs. */
#define L_NIB 0x0200u  /* page 0 is frame 0, shared: NIB of vCPU i at 0x200 + i */
#define L_TEXT 0x1000u /* pages 1-2: program text */
#define L_MSG 0x3000u  /* request message */
#define L_QCI 0x4000u  /* QCI block */
#define L_BUF 0x5000u  /* reply buffer */
#define L_DATA 0x6000u /* what the guest compares with (expected reply first) */

/* TEID bits (the toy's DAT reports them as z/Architecture does): the page
 * address, bits 52-53 fetch (10) or store (01), bit 61 for DAT protection,
 * bits 62-63 the address space (0: primary). */
#define TEID_FETCH 0x800u
#define TEID_STORE 0x400u
#define TEID_DAT_PROT 0x004u

struct pte {
	bool valid, prot;
	uint32_t frame;
};

struct checks {
	unsigned n, failed;
};

/* One virtual machine: the AP machine, guest storage and the host's timer.
 * The mutex is the emulator's big lock: every library call is made under
 * it, which is all the serialisation docs/threads.md asks for. */
struct guest {
	const char *name;
	s390ap_machine *m;
	uint8_t *abs;
	s390ap_storage abs_st; /* absolute storage, for the NIB */
	pthread_mutex_t lock;
	pthread_cond_t turn_cv;
	unsigned turn;
	bool done[NCPUS];
	bool timer_armed; /* the host timer, armed by the deadline hook */
	uint64_t timer_ns;
	uint8_t pending; /* ISCs the irq hook raised, not yet taken */
	s390ap_config_change last_config;
	unsigned n_config;
	struct checks *ck;
};

struct vcpu {
	struct guest *g;
	unsigned id;
	char name;
	uint64_t gr[16];
	uint64_t psw; /* instruction address */
	uint8_t cc;
	uint64_t ns; /* this vCPU's virtual clock, ns since the machine started */
	bool waiting, stopped;
	unsigned exit_code; /* HALT code, or the id of the failed guest check */
	unsigned diag;      /* DIAG code when stopped by one */
	uint8_t isc_mask;   /* ISCs it takes (CR6 of a real CPU) */
	struct pte pt[NPAGES];
	s390ap_storage st; /* logical storage through this vCPU's DAT */
	s390ap_access_exc last_exc;
	s390ap_insn_result pgm_seen[4]; /* the program interruptions taken */
	unsigned n_pgm, n_behind;
	uint64_t trace[32]; /* cc and status word of each AP instruction */
	unsigned ntrace;
};

#define CHECK(g, cond) check((g), (cond), #cond, __LINE__)

static void check(struct guest *g, bool ok, const char *what, int line)
{
	g->ck->n++;
	if (!ok) {
		g->ck->failed++;
		printf("  ** CHECK FAILED (line %d): %s\n", line, what);
	}
}

/* Big-endian fields of guest storage; numbers wider than 8 bytes are
 * zero-extended. */
static void put_be(uint8_t *p, size_t len, uint64_t v)
{
	memset(p, 0, len);
	for (size_t i = 0; i < len && i < 8; i++)
		p[len - 1 - i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_be(const uint8_t *p, size_t len)
{
	uint64_t v = 0;

	for (size_t i = 0; i < len; i++)
		v = v << 8 | p[i];
	return v;
}

#define HLOG(g, ...) (printf("[%s   host      ] ", (g)->name), printf(__VA_ARGS__))
#define LOG(c, ...) \
	(printf("[%s %c %7" PRIu64 " ns] ", (c)->g->name, (c)->name, (c)->ns), printf(__VA_ARGS__))

/* Move n bytes between buf and absolute storage at p; the OR is
 * interlocked (another vCPU thread could clear the NIB meanwhile). */
static void copy_abs(uint8_t *p, unsigned kind, uint8_t *buf, size_t n)
{
	if (kind == S390AP_ACCESS_FETCH)
		memcpy(buf, p, n);
	else if (kind == S390AP_ACCESS_STORE)
		memcpy(p, buf, n);
	else
		*buf = __atomic_fetch_or(p, *buf, __ATOMIC_SEQ_CST);
}

/* The machine's storage: absolute addresses, bounds-checked. */
static int abs_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct guest *g = ctx;

	if (acc->addr >= ABS_SIZE || acc->len > ABS_SIZE - acc->addr) {
		exc->pgm = S390AP_PGM_ADDRESSING;
		return -1;
	}
	copy_abs(g->abs + acc->addr, acc->kind, buf, acc->len);
	return 0;
}

/* Translate one logical address: 0, or the program-interruption code with
 * *teid filled, as the toy's DAT would report it to any instruction. */
static uint16_t translate(const struct vcpu *c, uint64_t addr, bool store, uint64_t *abs,
			  uint64_t *teid)
{
	if (addr >= (uint64_t)NPAGES * PAGE)
		return S390AP_PGM_ADDRESSING;
	const struct pte *e = &c->pt[addr / PAGE];
	*teid = (addr & ~(uint64_t)(PAGE - 1)) | (store ? TEID_STORE : TEID_FETCH);
	if (!e->valid)
		return S390AP_PGM_PAGE_TRANSLATION;
	if (store && e->prot) {
		*teid |= TEID_DAT_PROT;
		return S390AP_PGM_PROTECTION;
	}
	*abs = (uint64_t)e->frame * PAGE + addr % PAGE;
	return 0;
}

/* The access callback of the vCPU's instruction context.  Every page is
 * translated before a byte moves, so a store is all or nothing. */
static int dat_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	struct vcpu *c = ctx;
	bool store = acc->kind != S390AP_ACCESS_FETCH;
	uint64_t a, abs, teid = 0;

	if (acc->asc == S390AP_ASC_ABSOLUTE || acc->asc == S390AP_ASC_REAL) /* no prefixing */
		return abs_access(c->g, acc, buf, exc);
	if (acc->addr >= (uint64_t)NPAGES * PAGE || acc->len > NPAGES * PAGE - acc->addr) {
		exc->pgm = S390AP_PGM_ADDRESSING;
		return -1;
	}
	for (a = acc->addr; a < acc->addr + acc->len; a = (a | (PAGE - 1)) + 1) {
		uint16_t pgm = translate(c, a, store, &abs, &teid);
		if (pgm) {
			exc->pgm = pgm;
			exc->teid = teid;
			exc->flags = S390AP_EXC_TEID;
			c->last_exc = *exc;
			return -1;
		}
	}
	for (a = acc->addr; a < acc->addr + acc->len;) {
		size_t n = (size_t)(((a | (PAGE - 1)) + 1) - a), off = (size_t)(a - acc->addr);
		if (n > acc->len - off)
			n = acc->len - off;
		translate(c, a, store, &abs, &teid);
		copy_abs(c->g->abs + abs, acc->kind, (uint8_t *)buf + off, n);
		a += n;
	}
	return 0;
}

/* Host-side copy into a vCPU's logical storage (the loader: no DAT checks). */
static void host_put(struct vcpu *c, uint64_t addr, const void *src, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		const struct pte *e = &c->pt[(addr + i) / PAGE];
		c->g->abs[(uint64_t)e->frame * PAGE + (addr + i) % PAGE] =
			((const uint8_t *)src)[i];
	}
}

/* ------------------------------------------------------------------ */
/* Host hooks: the timer, the interruption, the configuration          */
/* ------------------------------------------------------------------ */
static void on_deadline(void *ctx, const s390ap_machine *m, uint64_t next)
{
	struct guest *g = ctx;

	/* cycles back to the host's nanoseconds, rounded up: never early */
	g->timer_armed = next != S390AP_NO_EVENT;
	g->timer_ns = g->timer_armed ? s390ap_machine_ns_from_cycles(m, next) : 0;
	if (g->timer_armed)
		HLOG(g, "deadline hook: timer armed for %" PRIu64 " ns\n", g->timer_ns);
	else
		HLOG(g, "deadline hook: no event, timer stopped\n");
}

static void on_irq(void *ctx, const s390ap_machine *m, unsigned isc)
{
	struct guest *g = ctx;

	(void)m;
	g->pending |= S390AP_ISC_BIT(isc); /* a floating interruption, taken later */
	HLOG(g, "irq hook: adapter interruption pending on ISC %u\n", isc);
}

static void on_config(void *ctx, const s390ap_machine *m, const s390ap_config_change *ch)
{
	struct guest *g = ctx;

	(void)m;
	g->last_config = *ch;
	g->n_config++;
	HLOG(g, "config hook: adapter 0x%02x %s\n", ch->apid,
	     ch->what == S390AP_CONFIG_ADAPTER_ADDED     ? "added"
	     : ch->what == S390AP_CONFIG_ADAPTER_REMOVED ? "removed"
							 : "changed");
}

/* Fire every machine event due by this vCPU's clock.  A vCPU whose clock
 * is behind the machine's changes nothing: the machine keeps the latest. */
static void machine_sync(struct vcpu *c)
{
	s390ap_machine *m = c->g->m;
	uint64_t cyc = s390ap_machine_cycles_from_ns(m, c->ns), before = s390ap_machine_now(m);

	CHECK(c->g, s390ap_machine_run_until(m, cyc) == 0);
	if (cyc < before) {
		c->n_behind++;
		CHECK(c->g, s390ap_machine_now(m) == before);
	}
}

/* ------------------------------------------------------------------ */
/* The toy CPU                                                         */
/* ------------------------------------------------------------------ */
/* Pseudo-ops: one 32-bit word, opcode in the top byte (LG has a 64-bit
 * literal after it).  AP instructions are the real RRE words. */
enum {
	OP_LG = 0x01,    /* r, then 8 bytes: GR r = literal */
	OP_BRC = 0x02,   /* mask, rel16: branch (halfwords) when cc is in mask */
	OP_WAIT = 0x03,  /* enabled wait for an I/O interruption */
	OP_CLC = 0x04,   /* r1, r2, len8: compare storage at GR r1 and GR r2 */
	OP_HALT = 0x05,  /* code16: stop */
	OP_TMH = 0x06,   /* r, mask16: test bits 32-47 of GR r (the status word's top) */
	OP_STB = 0x07,   /* r, imm8: store a byte at GR r */
	OP_CHKCC = 0x08, /* mask, id16: a guest assertion, stop with id unless cc in mask */
	OP_DIAG = 0x09   /* code16: hand control to the host (a hypervisor call) */
};
#define INSN_PQAP 0xB2AF0000u
#define INSN_NQAP 0xB2AD0048u /* R1 = 4 (PSMID pair), R2 = 8 (address, length) */
#define INSN_DQAP 0xB2AE0048u
#define CC0 8u
#define CC3 1u
#define NS_PSEUDO 5u /* the toy's cost model */
#define NS_AP 100u

static uint32_t fetch_word(struct vcpu *c, uint64_t addr, bool *ok)
{
	uint64_t abs, teid;

	*ok = translate(c, addr, false, &abs, &teid) == 0 && addr % 4 == 0;
	if (!*ok)
		return 0;
	return (uint32_t)get_be(c->g->abs + abs, 4);
}

static void stop(struct vcpu *c, unsigned code, const char *why)
{
	c->stopped = true;
	c->exit_code = code;
	LOG(c, "stopped: %s (%u)\n", why, code);
}

static const char *ap_name(uint32_t insn, uint64_t gr0)
{
	static const char *const fc[] = { "PQAP(TAPQ)", "PQAP(RAPQ)", "PQAP(ZAPQ)", "PQAP(AQIC)",
					  "PQAP(QCI)" };
	unsigned f = (unsigned)(gr0 >> S390AP_GR0_FC_SHIFT) & 0xffu;

	if (insn >> 16 == S390AP_OP_NQAP)
		return "NQAP";
	if (insn >> 16 == S390AP_OP_DQAP)
		return "DQAP";
	return f < 5 ? fc[f] : "PQAP";
}

/* The toy OS's program-interruption handler: the host has stored the old
 * PSW, the code and the TEID in the lowcore; the handler resolves the fault
 * and resumes.  A nullified instruction's old PSW points at it, so it runs
 * again as is; a suppressed one points past it, and the handler, having
 * fixed the cause, backs the PSW up by the ILC (as Linux does for a
 * protection fault it resolves). */
static void os_program_check(struct vcpu *c, uint64_t old_psw, unsigned ilc)
{
	const uint8_t *lc = c->g->abs + (1u + c->id) * PAGE;
	uint16_t code = (uint16_t)get_be(lc + S390AP_LC_PGM_CODE, 2);
	uint64_t teid = get_be(lc + S390AP_LC_TEID, 8), page = teid / PAGE;

	c->psw = old_psw;
	if (code == S390AP_PGM_PAGE_TRANSLATION && page < NPAGES) {
		c->pt[page].valid = true;
		LOG(c, "OS: page fault at 0x%05" PRIx64 ": page mapped, resume at 0x%" PRIx64 "\n",
		    page * PAGE, c->psw);
	} else if (code == S390AP_PGM_PROTECTION && (teid & TEID_DAT_PROT) && page < NPAGES) {
		c->pt[page].prot = false;
		c->psw -= ilc;
		LOG(c,
		    "OS: write to protected page 0x%05" PRIx64
		    ": made writable, back up to 0x%" PRIx64 "\n",
		    page * PAGE, c->psw);
	} else {
		stop(c, 0x100u + code, "unexpected program interruption");
	}
}

/* The host's part of a program interruption: the old PSW from the ending
 * (docs/embedding.md, "Taking the exception"), the lowcore fields. */
static void take_program_interruption(struct vcpu *c, uint64_t insn_addr,
				      const s390ap_insn_result *res)
{
	uint8_t *lc = c->g->abs + (1u + c->id) * PAGE;
	uint64_t old = res->ending == S390AP_ENDING_NULLIFIED ? insn_addr : insn_addr + 4;

	if (c->n_pgm < sizeof c->pgm_seen / sizeof c->pgm_seen[0])
		c->pgm_seen[c->n_pgm] = *res;
	c->n_pgm++;
	put_be(lc + S390AP_LC_PGM_ILC, 2, 4); /* RRE */
	put_be(lc + S390AP_LC_PGM_CODE, 2, res->pgm);
	if (res->exc_flags & S390AP_EXC_TEID)
		put_be(lc + S390AP_LC_TEID, 8, res->teid);
	LOG(c, "program interruption 0x%02x, %s, TEID 0x%" PRIx64 ", old PSW 0x%" PRIx64 "\n",
	    res->pgm, res->ending == S390AP_ENDING_NULLIFIED ? "nullified" : "suppressed",
	    res->teid, old);
	os_program_check(c, old, 4);
}

static void exec_ap(struct vcpu *c, uint32_t insn)
{
	struct guest *g = c->g;
	s390ap_insn_ctx ctx = { .gr = c->gr, .storage = &c->st, .asc = S390AP_ASC_PRIMARY };
	s390ap_insn_result res;
	uint64_t before[16];

	machine_sync(c); /* the instruction sees every reply due by now */
	memcpy(before, c->gr, sizeof before);
	memset(&c->last_exc, 0, sizeof c->last_exc);
	if (s390ap_execute(g->m, &ctx, insn, &res) != 0) {
		stop(c, 0xEEEE, s390ap_machine_errmsg(g->m));
		return;
	}
	if (res.pgm) {
		/* what the docs promise: the callback's code and TEID, the
		 * ending of the table, and nothing changed */
		CHECK(g, res.pgm == c->last_exc.pgm && res.teid == c->last_exc.teid);
		CHECK(g, res.exc_flags == S390AP_EXC_TEID);
		CHECK(g, res.ending == s390ap_pgm_ending(res.pgm));
		CHECK(g, res.ending == (res.pgm == S390AP_PGM_PAGE_TRANSLATION
						? S390AP_ENDING_NULLIFIED
						: S390AP_ENDING_SUPPRESSED));
		CHECK(g, !res.sw_stored && memcmp(before, c->gr, sizeof before) == 0);
		take_program_interruption(c, c->psw, &res);
		return;
	}
	c->cc = res.cc;
	if (c->ntrace < sizeof c->trace / sizeof c->trace[0])
		c->trace[c->ntrace++] = (uint64_t)res.cc << 32 | (uint32_t)c->gr[1];
	if (strcmp(ap_name(insn, before[0]), "PQAP(QCI)") == 0)
		LOG(c, "PQAP(QCI)         : cc %u", res.cc);
	else
		LOG(c, "%-10s %02x.%04x: cc %u", ap_name(insn, before[0]),
		    (unsigned)(before[0] >> 8 & 0xff), (unsigned)(before[0] & 0xff), res.cc);
	if (res.sw_stored)
		printf(", status %08" PRIx32, (uint32_t)c->gr[1]);
	/* a vCPU behind the machine may see a reply early by its own clock */
	if (s390ap_machine_cycles_from_ns(g->m, c->ns) < s390ap_machine_now(g->m))
		printf("   (machine ahead, at cycle %" PRIu64 ")", s390ap_machine_now(g->m));
	printf("\n");
	c->psw += 4;
}

/* Take a pending adapter interruption if this vCPU is enabled for it
 * (the toy is enabled for I/O only while it waits). */
static void deliver_io(struct vcpu *c)
{
	struct guest *g = c->g;
	uint8_t want = g->pending & c->isc_mask;
	unsigned isc = 0;
	bool was;

	if (!c->waiting || !want)
		return;
	while (!(want & S390AP_ISC_BIT(isc)))
		isc++;
	g->pending &= (uint8_t)~S390AP_ISC_BIT(isc);
	CHECK(g, s390ap_machine_irq_ack(g->m, isc, &was) == 0 && was);
	/* the adapter interruption word */
	put_be(g->abs + (1u + c->id) * PAGE + S390AP_LC_IO_INT_WORD, 4, 0x80000000u | isc << 27);
	c->waiting = false;
	LOG(c, "adapter interruption taken, ISC %u acknowledged\n", isc);
}

static void vcpu_step(struct vcpu *c)
{
	struct guest *g = c->g;
	bool ok;

	/* the host timer: due when this vCPU's clock reaches it */
	if (g->timer_armed && c->ns >= g->timer_ns)
		machine_sync(c);
	deliver_io(c);
	if (c->waiting) {
		if (!g->timer_armed) {
			stop(c, 0xDEAD, "waits with no event pending");
			return;
		}
		if (c->ns < g->timer_ns) {
			LOG(c, "idle: clock skips to the timer, %" PRIu64 " ns\n", g->timer_ns);
			c->ns = g->timer_ns;
		}
		return;
	}
	uint32_t w = fetch_word(c, c->psw, &ok);
	unsigned code = w >> 24, r1 = w >> 20 & 15, r2 = w >> 16 & 15;
	uint16_t imm = (uint16_t)w;
	if (!ok) {
		stop(c, 0xFE7C, "instruction fetch");
		return;
	}
	if (code == 0xB2) {
		exec_ap(c, w);
		c->ns += NS_AP;
		return;
	}
	c->ns += NS_PSEUDO;
	c->psw += 4;
	switch (code) {
	case OP_LG: {
		uint32_t hi = fetch_word(c, c->psw, &ok), lo = fetch_word(c, c->psw + 4, &ok);
		c->gr[r1] = (uint64_t)hi << 32 | lo;
		c->psw += 8;
		break;
	}
	case OP_BRC:
		if (r1 & (8u >> c->cc))
			c->psw = c->psw - 4 + (uint64_t)(int64_t)(int16_t)imm * 2;
		break;
	case OP_WAIT:
		c->waiting = true;
		LOG(c, "enabled wait for an adapter interruption\n");
		break;
	case OP_CLC: {
		uint8_t x[255], y[255];
		s390ap_access acc = { .addr = c->gr[r1], .len = w & 0xff }, acc2 = acc;
		s390ap_access_exc exc = { 0 };
		acc2.addr = c->gr[r2];
		if (acc.len == 0 || dat_access(c, &acc, x, &exc) || dat_access(c, &acc2, y, &exc))
			stop(c, 0xC1C, "CLC operand");
		else
			c->cc = memcmp(x, y, acc.len) != 0;
		break;
	}
	case OP_HALT:
		stop(c, imm, "HALT");
		break;
	case OP_TMH: {
		uint16_t v = (uint16_t)(c->gr[r1] >> 16) & imm;
		c->cc = v == 0 ? 0 : v == imm ? 3 : 1;
		break;
	}
	case OP_STB: {
		uint8_t b = (uint8_t)imm;
		s390ap_access acc = { .addr = c->gr[r1], .len = 1, .kind = S390AP_ACCESS_STORE };
		s390ap_access_exc exc = { 0 };
		if (dat_access(c, &acc, &b, &exc) != 0)
			stop(c, 0x57B, "STB operand");
		break;
	}
	case OP_CHKCC:
		if (!(r1 & (8u >> c->cc))) {
			LOG(c, "guest check %u failed: cc %u\n", imm, c->cc);
			stop(c, imm, "guest check");
		}
		break;
	case OP_DIAG:
		c->diag = imm;
		stop(c, imm, "DIAG, exit to the host");
		break;
	default:
		stop(c, 0x0FF, "unknown opcode");
	}
}

/* Run one vCPU alone until it stops (HALT, DIAG or a failure). */
static void vcpu_run(struct vcpu *c)
{
	c->stopped = false;
	c->diag = 0;
	for (unsigned i = 0; i < 100000 && !c->stopped; i++)
		vcpu_step(c);
	if (!c->stopped)
		stop(c, 0x7777, "runaway");
}

/* ------------------------------------------------------------------ */
/* Guest programs                                                      */
/* ------------------------------------------------------------------ */
struct prog {
	uint32_t w[256];
	unsigned n;
};

static void emit(struct prog *p, uint32_t w)
{
	if (p->n < sizeof p->w / sizeof p->w[0])
		p->w[p->n++] = w;
}

static void lg(struct prog *p, unsigned r, uint64_t v)
{
	emit(p, (uint32_t)OP_LG << 24 | r << 20);
	emit(p, (uint32_t)(v >> 32));
	emit(p, (uint32_t)v);
}

static void emit_op(struct prog *p, unsigned code, unsigned r1, unsigned r2, unsigned imm)
{
	emit(p, code << 24 | r1 << 20 | r2 << 16 | (imm & 0xffffu));
}

static void load_prog(struct vcpu *c, uint64_t at, const struct prog *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		uint8_t b[4];
		put_be(b, 4, p->w[i]);
		host_put(c, at + 4 * i, b, 4);
	}
	c->psw = at;
}

/* Guest assertions: each stops the vCPU with its id unless cc is in ccm. */
static void chk(struct prog *p, unsigned ccm, unsigned id)
{
	emit_op(p, OP_CHKCC, ccm, 0, id);
}

static void pqap(struct prog *p, unsigned fc, uint16_t apqn, unsigned ccm, unsigned id)
{
	lg(p, 0, (uint64_t)fc << S390AP_GR0_FC_SHIFT | apqn);
	emit(p, INSN_PQAP);
	chk(p, ccm, id);
}

/* TMH on GR1: bits 32-47, the status word's E R F ... I and RC. */
static void tmh(struct prog *p, unsigned mask, unsigned ccm, unsigned id)
{
	emit_op(p, OP_TMH, 1, 0, mask);
	chk(p, ccm, id);
}

/* Compare len bytes at logical x and y: equal, or stop with id. */
static void clc(struct prog *p, uint64_t x, uint64_t y, unsigned len, unsigned id)
{
	lg(p, 10, x);
	lg(p, 11, y);
	emit_op(p, OP_CLC, 10, 11, len);
	chk(p, CC0, id);
}

/* NQAP of the request at L_MSG (MEB1: 0x190 bytes) as PSMID psmid. */
static void nqap_req(struct prog *p, uint16_t apqn, uint64_t psmid, unsigned id)
{
	lg(p, 0, apqn | S390AP_NQAP_L);
	lg(p, 4, psmid >> 32);
	lg(p, 5, psmid & 0xffffffffu);
	lg(p, 8, L_MSG);
	lg(p, 9, 0x190);
	emit(p, INSN_NQAP);
	chk(p, CC0, id);
}

/* DQAP into L_BUF (polling while cc 3, RC 0x10: not there yet), then
 * compare the reply with the expected one at L_DATA. */
static void dqap_check(struct prog *p, uint16_t apqn, bool poll, unsigned id)
{
	lg(p, 0, apqn);
	lg(p, 2, 0);
	lg(p, 8, L_BUF);
	lg(p, 9, PAGE);
	unsigned loop = p->n;
	emit(p, INSN_DQAP);
	if (poll)
		emit_op(p, OP_BRC, CC3, 0, (loop - p->n) * 2);
	chk(p, CC0, id);
	clc(p, L_BUF, L_DATA, 0x90, id + 1);
}

/* ------------------------------------------------------------------ */
/* Requests: a type 50 MEB1 request (docs/engines.md) and its reply    */
/* ------------------------------------------------------------------ */
static uint64_t modexp(uint64_t b, uint64_t e, uint64_t n) /* n < 2^32 */
{
	uint64_t r = 1;

	for (b %= n; e; e >>= 1, b = b * b % n)
		if (e & 1)
			r = r * b % n;
	return r;
}

/* Write the request at L_MSG and the type 80 reply the guest expects at
 * L_DATA: numbers right-aligned in 128-byte fields. */
static void put_rsa(struct vcpu *c, uint64_t msg, uint64_t e, uint64_t n)
{
	uint8_t req[0x190] = { 0 }, rep[0x90] = { 0 };

	req[S390AP_MSG_TYPE_OFF] = 0x50;
	put_be(req + S390AP_T50_LEN, 2, sizeof req);
	put_be(req + S390AP_T50_KB_TYPE, 2, S390AP_T50_MEB1);
	put_be(req + S390AP_T50_HDR, 128, e);
	put_be(req + S390AP_T50_HDR + 128, 128, n);
	put_be(req + S390AP_T50_HDR + 256, 128, msg);
	rep[S390AP_MSG_TYPE_OFF] = 0x80;
	put_be(rep + S390AP_T80_LEN, 2, sizeof rep);
	put_be(rep + S390AP_T80_HDR, 128, modexp(msg, e, n));
	host_put(c, L_MSG, req, sizeof req);
	host_put(c, L_DATA, rep, sizeof rep);
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */
static int guest_init(struct guest *g, const char *name, struct checks *ck)
{
	s390ap_machine_hooks hooks = { S390AP_SIZED(s390ap_machine_hooks), .irq = on_irq,
				       .deadline = on_deadline, .config = on_config, .ctx = g };

	memset(g, 0, sizeof *g);
	g->name = name;
	g->ck = ck;
	g->abs = calloc(1, ABS_SIZE);
	g->abs_st =
		(s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = g, .access = abs_access };
	if (!g->abs || s390ap_machine_new_default(&g->m, &g->abs_st) != 0 ||
	    s390ap_machine_set_hooks(g->m, &hooks) != 0)
		return -1;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->turn_cv, NULL);
	return 0;
}

static void guest_fini(struct guest *g)
{
	s390ap_machine_free(g->m);
	free(g->abs);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->turn_cv);
}

static void vcpu_init(struct vcpu *c, struct guest *g, unsigned id)
{
	memset(c, 0, sizeof *c);
	c->g = g;
	c->id = id;
	c->name = (char)('A' + id);
	c->st = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .ctx = c, .access = dat_access };
	for (unsigned p = 0; p < NPAGES; p++)
		c->pt[p] = (struct pte){ .valid = true, .frame = 3u + id * NPAGES + p };
	c->pt[0].frame = 0; /* the shared page with the NIBs */
}

/* ------------------------------------------------------------------ */
/* Two threads taking turns                                            */
/* ------------------------------------------------------------------ */
#define SLICE 6u /* toy instructions per turn */

static void *cpu_thread(void *arg)
{
	struct vcpu *c = arg;
	struct guest *g = c->g;
	unsigned other = 1u - c->id;

	pthread_mutex_lock(&g->lock);
	c->stopped = false;
	while (!c->stopped) {
		while (g->turn != c->id && !g->done[other])
			pthread_cond_wait(&g->turn_cv, &g->lock);
		for (unsigned i = 0; i < SLICE && !c->stopped; i++)
			vcpu_step(c);
		g->turn = other;
		pthread_cond_broadcast(&g->turn_cv);
	}
	g->done[c->id] = true;
	pthread_cond_broadcast(&g->turn_cv);
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

static const uint16_t q6 = S390AP_APQN(0x03, 0x06), q7 = S390AP_APQN(0x03, 0x07);

/* vCPU A: interruption driven.  Its QCI block starts unmapped (page
 * translation) and its reply buffer read-only (protection). */
static void prog_a(struct vcpu *a)
{
	struct prog p = { .n = 0 };

	a->isc_mask = S390AP_ISC_BIT(3);
	a->pt[L_QCI / PAGE].valid = false;
	a->pt[L_BUF / PAGE].prot = true;
	put_rsa(a, 0x12345678u, 65537u, 0xFFFFFFFBu);
	host_put(a, L_DATA + 0x100, (const uint8_t[]){ 0x1C, 0x01 }, 2); /* APM byte 0, NIB */
	pqap(&p, S390AP_FC_TAPQ, q6, CC0, 1);
	lg(&p, 2, L_QCI);
	pqap(&p, S390AP_FC_QCI, 0, CC0, 2);
	clc(&p, L_QCI + S390AP_QCI_APM_OFF, L_DATA + 0x100, 1, 3); /* adapters 03-05 */
	lg(&p, 1, S390AP_AQIC_IR | 3);
	lg(&p, 2, L_NIB + a->id); /* absolute: page 0 maps 1:1 */
	pqap(&p, S390AP_FC_AQIC, q6, CC0, 4);
	nqap_req(&p, q6, 0xA0, 5);
	emit_op(&p, OP_WAIT, 0, 0, 0);
	dqap_check(&p, q6, false, 6);
	clc(&p, L_NIB + a->id, L_DATA + 0x101, 1, 8); /* the adapter set the NIB */
	emit_op(&p, OP_HALT, 0, 0, 0);
	load_prog(a, L_TEXT, &p);
}

/* vCPU B: polls with DQAP.  Its message page starts unmapped, so its NQAP
 * takes a page fault on the fetch. */
static void prog_b(struct vcpu *b)
{
	struct prog p = { .n = 0 };

	b->pt[L_MSG / PAGE].valid = false;
	put_rsa(b, 0x2222u, 3u, 0xFFFFFFFBu);
	pqap(&p, S390AP_FC_TAPQ, q7, CC0, 1);
	nqap_req(&p, q7, 0xB0, 2);
	dqap_check(&p, q7, true, 3);
	emit_op(&p, OP_HALT, 0, 0, 0);
	load_prog(b, L_TEXT, &p);
}

/* vCPU A again: a request in flight, DIAG 1 (the host resets the queue),
 * the queue is empty; DIAG 2 / 3 (adapter 0x0A plugged in, out) and QCI. */
static void prog_reset(struct vcpu *a)
{
	struct prog p = { .n = 0 };

	host_put(a, L_DATA + 0x102, (const uint8_t[]){ 0x20, 0x00 }, 2); /* APM byte 1: 0x0A */
	nqap_req(&p, q6, 0xA1, 20);
	pqap(&p, S390AP_FC_TAPQ, q6, CC0, 21);
	tmh(&p, 0x8000, CC0, 22); /* E off: not empty */
	emit_op(&p, OP_DIAG, 0, 0, 1);
	pqap(&p, S390AP_FC_TAPQ, q6, CC0, 23);
	tmh(&p, 0x8000, CC3, 24); /* E on: empty */
	tmh(&p, 0x0100, CC0, 25); /* I off: the reset disabled interruptions */
	lg(&p, 0, q6);
	lg(&p, 2, 0);
	lg(&p, 8, L_BUF);
	lg(&p, 9, PAGE); /* the NQAP used up GR9 */
	emit(&p, INSN_DQAP);
	chk(&p, CC3, 26);
	tmh(&p, 0x0010, CC3, 27); /* RC 0x10: no reply */
	tmh(&p, 0x00EF, CC0, 27);
	emit_op(&p, OP_DIAG, 0, 0, 2);
	lg(&p, 2, L_QCI);
	pqap(&p, S390AP_FC_QCI, 0, CC0, 28);
	clc(&p, L_QCI + S390AP_QCI_APM_OFF + 1, L_DATA + 0x102, 1, 29);
	emit_op(&p, OP_DIAG, 0, 0, 3);
	pqap(&p, S390AP_FC_QCI, 0, CC0, 30);
	clc(&p, L_QCI + S390AP_QCI_APM_OFF + 1, L_DATA + 0x103, 1, 31);
	emit_op(&p, OP_HALT, 0, 0, 0);
	load_prog(a, L_TEXT + 0x800, &p);
}

static void phase_threads(struct guest *g, struct vcpu *cpu)
{
	pthread_t th[NCPUS];

	printf("== 1. two vCPU threads, one machine, turns of %u instructions\n", SLICE);
	prog_a(&cpu[0]);
	prog_b(&cpu[1]);
	/* the checks' counters are the lock's too: no CHECK until the join */
	for (unsigned i = 0; i < NCPUS; i++)
		if (pthread_create(&th[i], NULL, cpu_thread, &cpu[i]) != 0) {
			fprintf(stderr, "embed: pthread_create failed\n");
			exit(1);
		}
	for (unsigned i = 0; i < NCPUS; i++)
		pthread_join(th[i], NULL);
	CHECK(g, cpu[0].exit_code == 0 && cpu[1].exit_code == 0);
	CHECK(g, cpu[0].n_pgm == 2 && cpu[1].n_pgm == 1);
	/* the docs' endings, and the TEIDs the toy DAT reported: page address,
	 * store (0x400) or fetch (0x800), DAT protection (0x004) */
	CHECK(g, cpu[0].pgm_seen[0].pgm == S390AP_PGM_PAGE_TRANSLATION &&
			 cpu[0].pgm_seen[0].ending == S390AP_ENDING_NULLIFIED &&
			 cpu[0].pgm_seen[0].teid == (L_QCI | TEID_STORE));
	CHECK(g, cpu[0].pgm_seen[1].pgm == S390AP_PGM_PROTECTION &&
			 cpu[0].pgm_seen[1].ending == S390AP_ENDING_SUPPRESSED &&
			 cpu[0].pgm_seen[1].teid == (L_BUF | TEID_STORE | TEID_DAT_PROT));
	CHECK(g, cpu[1].pgm_seen[0].pgm == S390AP_PGM_PAGE_TRANSLATION &&
			 cpu[1].pgm_seen[0].ending == S390AP_ENDING_NULLIFIED &&
			 cpu[1].pgm_seen[0].teid == (L_MSG | TEID_FETCH));
	CHECK(g, s390ap_machine_pgm_count(g->m, S390AP_PGM_PAGE_TRANSLATION) == 2);
	CHECK(g, s390ap_machine_pgm_count(g->m, S390AP_PGM_PROTECTION) == 1);
	CHECK(g, s390ap_machine_irq_count(g->m, 3) == 1 && g->pending == 0);
	CHECK(g, g->abs[L_NIB] == 0x01 && g->abs[L_NIB + 1] == 0);
	printf("   A at %" PRIu64 " ns, B at %" PRIu64 " ns, machine at cycle %" PRIu64
	       "; %u + %u run_until calls were behind the machine\n",
	       cpu[0].ns, cpu[1].ns, s390ap_machine_now(g->m), cpu[0].n_behind, cpu[1].n_behind);
}

static void phase_reset(struct guest *g, struct vcpu *a)
{
	s390ap_adapter_opts o = { S390AP_SIZED(s390ap_adapter_opts), .type = S390AP_TYPE_CEX8 };
	s390ap_queue_info qi;

	printf("== 2. host reset of 03.0006, adapter 0x0a added and removed\n");
	prog_reset(a);
	for (vcpu_run(a); a->diag; vcpu_run(a)) {
		if (a->diag == 1) {
			CHECK(g, s390ap_queue_info_get(g->m, q6, &qi) == 0 && qi.requests == 1);
			HLOG(g, "s390ap_queue_reset(03.0006) with a request in process\n");
			CHECK(g, s390ap_queue_reset(g->m, q6, false) == 0);
			CHECK(g, s390ap_queue_info_get(g->m, q6, &qi) == 0 && qi.requests == 0 &&
					 !qi.irq_enabled);
		} else if (a->diag == 2) {
			CHECK(g, s390ap_adapter_add(g->m, 0x0A, &o) == 0);
			CHECK(g, g->last_config.what == S390AP_CONFIG_ADAPTER_ADDED);
		} else {
			CHECK(g, s390ap_adapter_remove(g->m, 0x0A) == 0);
			CHECK(g, g->last_config.what == S390AP_CONFIG_ADAPTER_REMOVED);
		}
	}
	CHECK(g, a->exit_code == 0 && g->n_config == 2 && g->last_config.apid == 0x0A);
	/* the reset left the dropped reply's event on the clock: the timer
	 * fires once for nothing (docs/embedding.md, "Resets from the host") */
	CHECK(g, g->timer_armed);
	HLOG(g, "timer expires for the dropped reply: nothing to deliver\n");
	a->ns = g->timer_ns;
	machine_sync(a);
	CHECK(g, !g->timer_armed && s390ap_machine_irq_count(g->m, 3) == 1);
	CHECK(g, s390ap_queue_info_get(g->m, q6, &qi) == 0 && qi.replies == 0 && qi.requests == 0);
}

/* vCPU A once more: interruptions on, a request in flight at DIAG 4 (the
 * host saves the machine there), then wait, DQAP and check. */
static void prog_migrate(struct vcpu *a)
{
	struct prog p = { .n = 0 };
	uint8_t zero[0x90] = { 0 };

	put_rsa(a, 0x0BADCAFEu, 0x10001u, 0xFFFFFFFBu);
	host_put(a, L_BUF, zero, sizeof zero);
	lg(&p, 10, L_NIB + a->id);
	emit_op(&p, OP_STB, 10, 0, 0); /* the driver clears its NIB */
	lg(&p, 1, S390AP_AQIC_IR | 3);
	lg(&p, 2, L_NIB + a->id);
	pqap(&p, S390AP_FC_AQIC, q6, CC0, 40);
	nqap_req(&p, q6, 0xA2, 41);
	emit_op(&p, OP_DIAG, 0, 0, 4);
	emit_op(&p, OP_WAIT, 0, 0, 0);
	dqap_check(&p, q6, false, 42);
	clc(&p, L_NIB + a->id, L_DATA + 0x101, 1, 44);
	pqap(&p, S390AP_FC_TAPQ, q6, CC0, 45);
	emit_op(&p, OP_HALT, 0, 0, 0);
	load_prog(a, L_TEXT + 0x1000, &p);
}

/* Save the machine mid-run, restore the image into a second machine made
 * the same way (guest memory and vCPU copied by the host, as a migration
 * would), run both on and compare everything the guest and host see. */
static void phase_migrate(struct guest *g, struct vcpu *a)
{
	struct guest g2;
	struct vcpu a2;
	void *img = NULL;
	size_t len = 0;
	s390ap_queue_info q1, q2;

	printf("== 3. save with a request in flight, restore into vm1, run both\n");
	prog_migrate(a);
	vcpu_run(a);
	CHECK(g, a->diag == 4 && s390ap_queue_info_get(g->m, q6, &q1) == 0 && q1.requests == 1);
	CHECK(g, s390ap_machine_save(g->m, &img, &len) == 0 && img && len > 0);
	HLOG(g,
	     "saved the AP state (an AQIC and a request in flight): %zu bytes at cycle %" PRIu64
	     "\n",
	     len, s390ap_machine_now(g->m));
	if (guest_init(&g2, "vm1", g->ck) != 0) {
		CHECK(g, !"second machine");
		s390ap_state_free(img);
		return;
	}
	memcpy(g2.abs, g->abs, ABS_SIZE);
	CHECK(g, s390ap_machine_restore(g2.m, img, len) == 0);
	s390ap_state_free(img);
	/* a restore calls no hook: the host arms its timer and picks up
	 * pending ISCs itself */
	on_deadline(&g2, g2.m, s390ap_machine_next_event(g2.m));
	g2.pending = s390ap_machine_irq_pending(g2.m);
	CHECK(g, g2.pending == g->pending);
	CHECK(g, s390ap_machine_now(g2.m) == s390ap_machine_now(g->m));
	CHECK(g, s390ap_machine_next_event(g2.m) == s390ap_machine_next_event(g->m));
	CHECK(g, s390ap_queue_info_get(g2.m, q6, &q2) == 0 && q2.requests == q1.requests &&
			 q2.replies == q1.replies &&
			 q2.irq_change_pending == q1.irq_change_pending && q2.isc == q1.isc &&
			 q2.nib == q1.nib);
	a2 = *a;
	a2.g = &g2;
	a2.st.ctx = &a2;
	a->ntrace = a2.ntrace = 0;
	vcpu_run(a);
	vcpu_run(&a2);
	CHECK(g, a->exit_code == 0 && a2.exit_code == 0);
	CHECK(g, a->ns == a2.ns && a->psw == a2.psw && a->cc == a2.cc);
	CHECK(g, memcmp(a->gr, a2.gr, sizeof a->gr) == 0);
	CHECK(g, a->ntrace == a2.ntrace &&
			 memcmp(a->trace, a2.trace, a->ntrace * sizeof a->trace[0]) == 0);
	CHECK(g, memcmp(g->abs, g2.abs, ABS_SIZE) == 0); /* replies, NIBs, lowcores */
	CHECK(g, s390ap_machine_now(g2.m) == s390ap_machine_now(g->m));
	CHECK(g, s390ap_machine_next_event(g2.m) == s390ap_machine_next_event(g->m));
	CHECK(g, s390ap_machine_irq_count(g2.m, 3) == 2 && s390ap_machine_irq_count(g->m, 3) == 2);
	CHECK(g, s390ap_machine_pgm_count(g2.m, S390AP_PGM_PAGE_TRANSLATION) ==
			 s390ap_machine_pgm_count(g->m, S390AP_PGM_PAGE_TRANSLATION));
	printf("   vm0 and vm1 agree: %u AP instructions after the restore, clocks at %" PRIu64
	       " ns / cycle %" PRIu64 "\n",
	       a->ntrace, a->ns, s390ap_machine_now(g->m));
	guest_fini(&g2);
}

int main(void)
{
	struct checks ck = { 0 };
	struct guest g;
	struct vcpu cpu[NCPUS];

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("embed: the default machine (adapters 03 CEX8A, 04 CEX8C, 05 CEX7P; usage domains\n"
	       "0x06, 0x07, 0x47) under a toy host: 2 vCPUs with their own DAT and clocks\n");
	if (guest_init(&g, "vm0", &ck) != 0) {
		fprintf(stderr, "embed: cannot create the machine\n");
		return 1;
	}
	for (unsigned i = 0; i < NCPUS; i++)
		vcpu_init(&cpu[i], &g, i);
	phase_threads(&g, cpu);
	phase_reset(&g, &cpu[0]);
	phase_migrate(&g, &cpu[0]);
	printf("== %u checks, %u failed\n", ck.n, ck.failed);
	guest_fini(&g);
	return ck.failed == 0 ? 0 : 1;
}
