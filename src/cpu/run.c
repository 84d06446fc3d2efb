/* SPDX-License-Identifier: MIT */
/* The hot loop and the scheduler.
 *
 * Time is one clock, the machine's.  vCPUs take turns in index order; a
 * turn lasts `quantum` cycles of that vCPU (or until it halts, stops or
 * waits).  Only vCPUs that run, and waiters that would take an ISC now
 * pending, get turns: the system keeps its vCPUs on bit masks by state,
 * and API calls mark what they touch dirty (docs/cpu.md).  A turn is cut
 * into slices at the machine's next loud event (ap_event_loud), at the
 * cycle limit and at the instruction limit of s390ap_sys_run; after each
 * slice the clock moves to slice start + cycles used, firing due events.
 * A vCPU that is the only one to run goes on past its quantum in the same
 * slice.  The turn in progress (whose, and how much of the quantum is
 * used) survives a return from s390ap_sys_run, so a run cut into pieces
 * by limits executes exactly like one uninterrupted run.
 *
 * Interruptions are checked at the start of every slice, after every AP
 * instruction and after every instruction that can enable one (LPSWE,
 * SSM, STOSM, LCTLG).  When every live vCPU waits, the clock jumps to the
 * next event.
 */
#include "ap/ap_internal.h"
#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"

static void trace_one(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t a)
{
	uint8_t b[6] = { 0 };
	s390ap_psw psw = { cpu_psw_mask(c), a };

	(void)cpu_read_slow(c, a, b, op->ilen);
	c->trace(c->trace_ctx, c, c->slice_base + c->slice_cycles, &psw, b, op->ilen);
}

/* Fetch (from the decoded-instruction cache, or decode on a miss), charge,
 * count and execute until the slice's cycle budget is spent, a handler ends
 * the slice (slice_limit = 0) or, when `counted`, `left` instructions were
 * dispatched.  Returns the number dispatched when counted.
 *
 * The loop carries the instruction address (a), the entry (op) and the
 * slice's cycles (cyc) in registers.  The branches marked in op->fast run
 * inline on those registers; for everything else the loop stores the next
 * sequential address into the PSW and cyc into slice_cycles, so the handler
 * sees exactly the state it always did, and reads them back afterwards.
 * When the address is still the sequential one, the next entry is op->next
 * (the cache slot of the successor), checked by its tag like any lookup, so
 * straight-line code needs no index arithmetic.  The PSW address and
 * slice_cycles are up to date whenever anything outside the loop can see
 * them: in a handler, in cpu_fetch, and after the loop. */
static inline uint64_t run_loop(struct s390ap_cpu *c, uint64_t left, bool counted)
{
	struct cpu_op *const ic = c->icache;
	uint64_t cyc = c->slice_cycles, a = c->psw.addr, start = left;
	uint64_t amask = c->amask; /* only handlers change it: read again after one */
	const struct cpu_op *op = &ic[(a >> 1) & CPU_ICACHE_MASK];

	for (;;) {
		uint64_t next;
		bool taken;

		if (counted && left == 0)
			break;
		if (cyc >= c->slice_limit)
			break;
		if (CPU_UNLIKELY(op->tag != a)) {
			c->psw.addr = a;
			c->slice_cycles = cyc;
			op = cpu_fetch(c, a);
			cyc = c->slice_cycles;
			amask = c->amask;
			if (!op) { /* an exception was delivered instead */
				a = c->psw.addr;
				op = &ic[(a >> 1) & CPU_ICACHE_MASK];
				continue;
			}
		}
		next = (a + op->ilen) & amask;
		cyc += op->cost;
		c->counts[op->id]++;
		left--;
		/* eight kinds, every one a case: no range check */
		switch ((enum cpu_fast)(op->fast & 7u)) {
		case CPU_FAST_AHI: /* cpu_op_AHI, unless an overflow could interrupt */
			if (CPU_UNLIKELY(c->psw.mask & CPU_PSW_PM_FIXED))
				goto call;
			{
				uint32_t x = (uint32_t)c->gr[op->r1], y = (uint32_t)op->imm;

				cpu_set_lo32(c, op->r1, x + y);
				cpu_cc_lazy(c, CPU_CCK_ADD32, x, y);
			}
			a = next;
			op = op->next;
			continue;
		case CPU_FAST_AGHI: /* cpu_op_AGHI, likewise */
			if (CPU_UNLIKELY(c->psw.mask & CPU_PSW_PM_FIXED))
				goto call;
			{
				uint64_t x = c->gr[op->r1], y = (uint64_t)(int64_t)op->imm;

				c->gr[op->r1] = x + y;
				cpu_cc_lazy(c, CPU_CCK_ADD64, x, y);
			}
			a = next;
			op = op->next;
			continue;
		case CPU_FAST_LGR: /* cpu_op_LGR */
			c->gr[op->r1] = c->gr[op->r2];
			a = next;
			op = op->next;
			continue;
		case CPU_FAST_LGHI: /* cpu_op_LGHI */
			c->gr[op->r1] = (uint64_t)(int64_t)op->imm;
			a = next;
			op = op->next;
			continue;
		case CPU_FAST_BRC: /* cpu_op_BRC */
			taken = (op->r1 & (8u >> cpu_cc(c))) != 0;
			break;
		case CPU_FAST_BRCT: { /* cpu_op_BRCT */
			uint32_t v = (uint32_t)c->gr[op->r1] - 1;

			cpu_set_lo32(c, op->r1, v);
			taken = v != 0;
			break;
		}
		case CPU_FAST_BRCTG: /* cpu_op_BRCTG */
			taken = --c->gr[op->r1] != 0;
			break;
		case CPU_FAST_CALL:
		call:
			c->psw.addr = next;
			c->slice_cycles = cyc;
			op->fn(c, op);
			cyc = c->slice_cycles;
			amask = c->amask;
			if (CPU_LIKELY(c->psw.addr == next)) {
				a = next;
				op = op->next;
			} else {
				a = c->psw.addr;
				op = &ic[(a >> 1) & CPU_ICACHE_MASK];
			}
			continue;
		}
		/* an inline relative branch */
		if (taken) {
			a = op->taddr & amask;
			cyc += c->branch_cost;
			op = op->target;
		} else {
			a = next;
			op = op->next;
		}
	}
	c->psw.addr = a;
	c->slice_cycles = cyc;
	return start - left;
}

static bool solo_goes_on(const struct s390ap_cpu *c);

/* The plain loop.  When the scheduler allows it (slice_hard), a vCPU that
 * is the only one to run goes on past the end of its quantum: its next
 * turn would start right there, so the slice does not end for it. */
static uint64_t run_plain(struct s390ap_cpu *c, uint64_t budget)
{
	uint64_t n = 0;

	for (;;) {
		if (budget)
			n += run_loop(c, budget - n, true);
		else
			(void)run_loop(c, 0, false);
		if (CPU_LIKELY(!c->slice_hard))
			return n;
		if (c->slice_limit != c->slice_qend || c->slice_cycles >= c->slice_hard ||
		    (budget && n == budget) || !solo_goes_on(c))
			return n;
		/* a turn ends here and the next is c's again */
		c->slice_qend = c->slice_cycles + c->sys->quantum;
		c->slice_limit = c->slice_qend < c->slice_hard ? c->slice_qend : c->slice_hard;
	}
}

/* The plain loop with the trace hook called before each instruction; it
 * calls op->fn for every instruction, the inline ones included. */
static uint64_t run_traced(struct s390ap_cpu *c, uint64_t budget)
{
	uint64_t n = 0;

	/* a trace hook that clears or replaces itself (and frees its context)
	 * ends the slice: the old hook is never called again */
	while ((!budget || n < budget) && c->slice_cycles < c->slice_limit &&
	       c->trace == c->sys->trace && c->trace_ctx == c->sys->trace_ctx) {
		uint64_t a = c->psw.addr;
		const struct cpu_op *op = &c->icache[(a >> 1) & CPU_ICACHE_MASK];

		if (op->tag != a) {
			op = cpu_fetch(c, a);
			if (!op)
				continue;
		}
		trace_one(c, op, a);
		c->psw.addr = (a + op->ilen) & c->amask;
		c->slice_cycles += op->cost;
		c->counts[op->id]++;
		n++;
		op->fn(c, op);
	}
	return budget ? n : 0;
}

uint64_t cpu_run_slice(struct s390ap_cpu *c, uint64_t budget)
{
	if (c->trace)
		return run_traced(c, budget);
	return run_plain(c, budget);
}

/* ------------------------------------------------------------------ */
/* The scheduler                                                        */
/* ------------------------------------------------------------------ */

static inline unsigned low_bit(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned i = 0;

	while (!(x & 1)) {
		x >>= 1;
		i++;
	}
	return i;
#endif
}

static bool live(const struct s390ap_cpu *c)
{
	return c->state == S390AP_CPU_RUNNING || c->state == S390AP_CPU_WAIT;
}

void cpu_sched_file(struct s390ap_sys *sys, struct s390ap_cpu *c)
{
	uint64_t bit = 1ull << c->index;

	sys->run_mask &= ~bit;
	if (sys->wait_mask & bit) {
		sys->wait_mask &= ~bit;
		sys->gwait_mask &= ~bit;
		for (unsigned i = 0; i < 8; i++)
			sys->isc_wait[i] &= ~bit;
	}
	if (c->state == S390AP_CPU_RUNNING) {
		sys->run_mask |= bit;
	} else if (c->state == S390AP_CPU_WAIT && c->in_sie) {
		sys->wait_mask |= bit; /* for its GISA */
		sys->gwait_mask |= bit;
	} else if (c->state == S390AP_CPU_WAIT) {
		/* Its PSW and CR6 change only through the API, which refiles it. */
		uint8_t take = (c->psw.mask & S390AP_PSW_IO) ? (uint8_t)(c->cr[6] >> 24) : 0;

		sys->wait_mask |= bit;
		for (unsigned i = 0; i < 8; i++)
			if (take & (0x80u >> i))
				sys->isc_wait[i] |= bit;
	}
	sys->solo_stop = sys->dirty_mask | sys->gwait_mask;
}

void cpu_sched_dirty(struct s390ap_cpu *c)
{
	c->sys->dirty_mask |= 1ull << c->index;
	c->sys->solo_stop |= 1ull << c->index;
}

/* Waiting vCPUs that would take one of the ISCs in pend. */
static inline uint64_t takers(const struct s390ap_sys *sys, uint8_t pend)
{
	uint64_t t = 0;

	for (unsigned i = 0; pend; i++, pend = (uint8_t)(pend << 1))
		if (pend & 0x80u)
			t |= sys->isc_wait[i];
	return t;
}

/* Waiting guests (SIE) that would take an interruption from their GISA:
 * out of line, so that the checks of the usual case stay small. */
static CPU_NOINLINE uint64_t guest_takers(const struct s390ap_sys *sys)
{
	return sie_takers(sys);
}

/* Both kinds of waiter that would take something now. */
static inline uint64_t all_takers(const struct s390ap_sys *sys, uint8_t pend)
{
	uint64_t t = pend ? takers(sys, pend) : 0;

	if (CPU_UNLIKELY(sys->gwait_mask))
		t |= guest_takers(sys);
	return t;
}

/* The cycle a slice must stop at for the machine's sake: the next loud
 * event (ap_event_loud).  Quiet events fire when the clock next moves:
 * at the slice's end, or before an AP instruction reads the queues
 * (ap_insn syncs the clock).  A SIE or trace hook may look at the machine
 * at any instruction, so with one installed every event ends a slice. */
static inline uint64_t slice_deadline(const struct s390ap_cpu *c, const s390ap_machine *m)
{
	if (CPU_UNLIKELY(cpu_ap_hooked(c)))
		return ap_clock_next(m);
	return ap_clock_next_loud(m);
}

void cpu_slice_bound(struct s390ap_cpu *c)
{
	uint64_t ne = slice_deadline(c, c->sys->machine);

	if (ne != S390AP_NO_EVENT) {
		uint64_t lim = ne > c->slice_base ? ne - c->slice_base : 0;

		if (lim < c->slice_limit)
			c->slice_limit = lim;
		if (lim < c->slice_hard)
			c->slice_hard = lim;
	}
}

/* c, running, is the only vCPU that would get a turn: no other runs, no
 * waiter could take a pending ISC, nothing waits to be settled. */
static CPU_ALWAYS_INLINE bool solo(const struct s390ap_cpu *c)
{
	const struct s390ap_sys *sys = c->sys;
	uint8_t pend = ap_clock_irq_pending(sys->machine);

	return sys->run_mask == 1ull << c->index && !sys->solo_stop && !sys->error &&
	       !(pend && takers(sys, pend));
}

static bool solo_goes_on(const struct s390ap_cpu *c)
{
	return c->state == S390AP_CPU_RUNNING && solo(c);
}

/* Work done for a vCPU outside the hot loop (interruption delivery, PSW
 * checks) is bracketed like a slice so its cycles reach the clock. */
static void ctx_begin(struct s390ap_cpu *c)
{
	c->slice_base = ap_clock_now(c->sys->machine);
	c->slice_cycles = 0;
	c->slice_limit = 0;
}

static void ctx_end(struct s390ap_cpu *c)
{
	s390ap_machine *m = c->sys->machine;
	uint64_t end = c->slice_base + c->slice_cycles;

	c->stats.cycles += c->slice_cycles;
	/* A SIE hook may have moved the machine clock on by itself. */
	if (end > ap_clock_now(m))
		ap_clock_to(m, end);
}

static void next_turn(struct s390ap_sys *sys)
{
	sys->cur = (sys->cur + 1) % sys->ncpus;
	sys->cur_used = 0;
}

/* Whose turn it is: the first vCPU, cyclically from cur, that runs or
 * waits for an ISC that is pending now.  A waiting vCPU that could take
 * nothing would spend its turn on nothing, so it is passed over without
 * one.  Needs a running vCPU. */
static struct s390ap_cpu *pick(struct s390ap_sys *sys)
{
	uint64_t cand = sys->run_mask, hi;
	uint8_t pend = ap_clock_irq_pending(sys->machine);
	unsigned next;

	cand |= all_takers(sys, pend);
	hi = cand & (~0ull << sys->cur);
	next = low_bit(hi ? hi : cand);
	if (next != sys->cur) {
		sys->cur = next;
		sys->cur_used = 0;
	}
	return sys->cpus[next];
}

/* Settle PSWs set through the API, in index order, and file the vCPUs
 * the API touched under their new state. */
static void settle_dirty(struct s390ap_sys *sys)
{
	while (sys->dirty_mask) {
		unsigned i = low_bit(sys->dirty_mask);
		struct s390ap_cpu *c = sys->cpus[i];

		sys->dirty_mask &= ~(1ull << i);
		if (c->psw_dirty) {
			if (live(c)) {
				ctx_begin(c);
				cpu_psw_settle(c);
				ctx_end(c);
			}
			c->psw_dirty = false;
		}
		cpu_sched_file(sys, c);
	}
	sys->solo_stop = sys->gwait_mask;
}

/* Everyone waits: offer pending interruptions in index order. */
static void wake_waiters(struct s390ap_sys *sys, bool *woke)
{
	s390ap_machine *m = sys->machine;
	unsigned from = 0;

	*woke = false;
	for (;;) {
		uint64_t t = all_takers(sys, ap_clock_irq_pending(m)) & (~0ull << from);
		struct s390ap_cpu *c;
		unsigned i;

		if (!t)
			break;
		i = low_bit(t);
		c = sys->cpus[i];
		ctx_begin(c);
		if (cpu_io_check(c))
			*woke = true;
		ctx_end(c);
		cpu_sched_file(sys, c);
		if (i == 63)
			break;
		from = i + 1;
	}
}

/* The turn of c: slices until the turn ends, or until the scheduler's
 * loop would have something else to do before c's next slice (a stop,
 * an API call, another vCPU's turn).  Between two slices of c this costs
 * a few compares, not a pass over the vCPUs. */
static void run_turn(struct s390ap_sys *sys, struct s390ap_cpu *c, uint64_t max_insns,
		     uint64_t *done, uint64_t max_cycle)
{
	s390ap_machine *m = sys->machine;
	uint64_t now = ap_clock_now(m);

	c->trace = sys->trace;
	c->trace_ctx = sys->trace_ctx;
	for (;;) {
		uint64_t qend = sys->quantum - sys->cur_used;
		uint64_t hard = slice_deadline(c, m) - now;
		uint64_t end;

		/* events due now have fired: the deadline is later than now */
		if (max_cycle && max_cycle - now < hard)
			hard = max_cycle - now;
		c->slice_base = now;
		c->slice_cycles = 0;
		c->slice_limit = qend < hard ? qend : hard;
		c->slice_qend = qend;
		c->slice_hard = 0;
		if (CPU_UNLIKELY(cpu_ap_hooked(c)))
			c->ap_epoch = CPU_AP_EPOCH_STALE;

		/* c runs or waits; ISCs become pending only as events fire
		 * (a guest's in its GISA) */
		if (ap_clock_irq_pending(m) || c->in_sie)
			cpu_io_check(c);
		if (c->state == S390AP_CPU_RUNNING) {
			if (!cpu_ap_hooked(c) && solo(c))
				c->slice_hard = hard;
			*done += cpu_run_slice(c, max_insns ? max_insns - *done : 0);
		}

		/* the turn in progress began quantum cycles before slice_qend */
		sys->cur_used = c->slice_cycles - (c->slice_qend - sys->quantum);
		c->stats.cycles += c->slice_cycles;
		end = c->slice_base + c->slice_cycles;
		if (end > ap_clock_now(m)) /* a SIE hook may have moved it on */
			ap_clock_to(m, end);

		if (c->state != S390AP_CPU_RUNNING) {
			cpu_sched_file(sys, c);
			next_turn(sys);
			return;
		}
		if (CPU_UNLIKELY(!(sys->run_mask & (1ull << c->index))))
			cpu_sched_file(sys, c); /* it was waiting and took an interruption */
		if (sys->cur_used >= sys->quantum)
			next_turn(sys);

		/* What s390ap_sys_run checks before a slice, in its order. */
		/* a hook that set or cleared the trace: the next turn takes it */
		if (sys->error || sys->dirty_mask || c->trace != sys->trace ||
		    c->trace_ctx != sys->trace_ctx)
			return;
		if (max_insns && *done >= max_insns)
			return;
		now = ap_clock_now(m);
		if (max_cycle && now >= max_cycle)
			return;
		if (ap_clock_next(m) <= now)
			ap_clock_fire(m, now);
		if (sys->cur != c->index && pick(sys) != c)
			return;
	}
}

int s390ap_sys_run(s390ap_sys *sys, uint64_t max_insns, uint64_t max_cycle, s390ap_stop *why)
{
	s390ap_machine *m;
	s390ap_stop stop;
	uint64_t done = 0;

	if (!sys)
		return S390AP_EINVAL;
	m = sys->machine;
	sys->error = 0;
	for (;;) {
		uint64_t now;

		if (sys->dirty_mask)
			settle_dirty(sys);
		if (!(sys->run_mask | sys->wait_mask)) {
			stop = S390AP_STOP_ALL_DONE;
			break;
		}
		if (max_insns && done >= max_insns) {
			stop = S390AP_STOP_INSNS;
			break;
		}
		now = ap_clock_now(m);
		if (max_cycle && now >= max_cycle) {
			stop = S390AP_STOP_CYCLE;
			break;
		}
		if (!sys->run_mask) {
			bool woke;
			uint64_t ne;

			wake_waiters(sys, &woke);
			if (woke)
				continue;
			ne = ap_clock_next(m);
			if (ne == S390AP_NO_EVENT) {
				stop = S390AP_STOP_IDLE;
				break;
			}
			if (max_cycle && ne > max_cycle)
				ne = max_cycle;
			ap_clock_to(m, ne);
			continue;
		}
		if (ap_clock_next(m) <= now) /* events due now, before anyone looks */
			ap_clock_fire(m, now);
		run_turn(sys, pick(sys), max_insns, &done, max_cycle);
		if (sys->error)
			return sys->error;
	}
	if (why)
		*why = stop;
	return 0;
}
