/* The hot loop and the scheduler.
 *
 * Time is one clock, the machine's.  vCPUs take turns in index order; a
 * turn lasts `quantum` cycles of that vCPU (or until it halts, stops or
 * waits).  A turn is cut into slices at the machine's next event, at the
 * cycle limit and at the instruction limit of s390ap_sys_run; after each
 * slice the clock moves to slice start + cycles used, firing due events.
 * The turn in progress (whose, and how much of the quantum is used)
 * survives a return from s390ap_sys_run, so a run cut into pieces by
 * limits executes exactly like one uninterrupted run.
 *
 * Interruptions are checked at the start of every slice, after every AP
 * instruction and after every instruction that can enable one (LPSWE,
 * SSM, STOSM, LCTLG).  When every live vCPU waits, the clock jumps to the
 * next event.
 */
#include "cpu/cpu_internal.h"

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
			if (!op) { /* an exception was delivered instead */
				a = c->psw.addr;
				op = &ic[(a >> 1) & CPU_ICACHE_MASK];
				continue;
			}
		}
		next = (a + op->ilen) & c->amask;
		cyc += op->cost;
		c->counts[op->id]++;
		left--;
		switch ((enum cpu_fast)op->fast) {
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
		default:
		call:
			c->psw.addr = next;
			c->slice_cycles = cyc;
			op->fn(c, op);
			cyc = c->slice_cycles;
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
			a = op->taddr & c->amask;
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

static uint64_t run_plain(struct s390ap_cpu *c, uint64_t budget)
{
	if (budget)
		return run_loop(c, budget, true);
	(void)run_loop(c, 0, false);
	return 0;
}

/* The plain loop with the trace hook called before each instruction; it
 * calls op->fn for every instruction, the inline ones included. */
static uint64_t run_traced(struct s390ap_cpu *c, uint64_t budget)
{
	uint64_t n = 0;

	while ((!budget || n < budget) && c->slice_cycles < c->slice_limit) {
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

static bool live(const struct s390ap_cpu *c)
{
	return c->state == S390AP_CPU_RUNNING || c->state == S390AP_CPU_WAIT;
}

/* Work done for a vCPU outside the hot loop (interruption delivery, PSW
 * checks) is bracketed like a slice so its cycles reach the clock. */
static void ctx_begin(struct s390ap_cpu *c)
{
	c->slice_base = s390ap_machine_now(c->sys->machine);
	c->slice_cycles = 0;
	c->slice_limit = 0;
}

static int ctx_end(struct s390ap_cpu *c)
{
	s390ap_machine *m = c->sys->machine;
	uint64_t end = c->slice_base + c->slice_cycles;

	c->stats.cycles += c->slice_cycles;
	/* A SIE hook may have moved the machine clock on by itself. */
	if (end <= s390ap_machine_now(m))
		return 0;
	return s390ap_machine_run_until(m, end);
}

static void next_turn(struct s390ap_sys *sys)
{
	sys->cur = (sys->cur + 1) % sys->ncpus;
	sys->cur_used = 0;
}

static int clock_error(struct s390ap_sys *sys, int rc)
{
	return cpu_sys_error(sys, rc, "machine clock: %s", s390ap_machine_errmsg(sys->machine));
}

/* Settle PSWs set through the API; count live and waiting vCPUs. */
static int survey(struct s390ap_sys *sys, unsigned *nlive, unsigned *nwait)
{
	*nlive = *nwait = 0;
	for (unsigned i = 0; i < sys->ncpus; i++) {
		struct s390ap_cpu *c = sys->cpus[i];
		int rc;

		if (c->psw_dirty) {
			if (live(c)) {
				ctx_begin(c);
				cpu_psw_settle(c);
				if ((rc = ctx_end(c)) < 0)
					return clock_error(sys, rc);
			}
			c->psw_dirty = false;
		}
		if (live(c))
			++*nlive;
		if (c->state == S390AP_CPU_WAIT)
			++*nwait;
	}
	return 0;
}

/* Everyone waits: offer pending interruptions in index order. */
static int wake_waiters(struct s390ap_sys *sys, bool *woke)
{
	*woke = false;
	for (unsigned i = 0; i < sys->ncpus; i++) {
		struct s390ap_cpu *c = sys->cpus[i];
		int rc;

		if (c->state != S390AP_CPU_WAIT)
			continue;
		ctx_begin(c);
		if (cpu_io_check(c))
			*woke = true;
		if ((rc = ctx_end(c)) < 0)
			return clock_error(sys, rc);
	}
	return 0;
}

/* One slice of the current turn.  *ran counts instructions. */
static int run_turn(struct s390ap_sys *sys, struct s390ap_cpu *c, uint64_t max_insns,
		    uint64_t done, uint64_t max_cycle, uint64_t *ran)
{
	s390ap_machine *m = sys->machine;
	uint64_t now = s390ap_machine_now(m), limit, ne, budget;
	int rc;

	if ((rc = s390ap_machine_run_until(m, now)) < 0) /* events due now */
		return clock_error(sys, rc);
	ctx_begin(c);
	limit = sys->quantum - sys->cur_used;
	ne = s390ap_machine_next_event(m);
	if (ne != S390AP_NO_EVENT && ne - now < limit)
		limit = ne - now;
	if (max_cycle && max_cycle - now < limit)
		limit = max_cycle - now;
	c->slice_limit = limit;
	budget = max_insns ? max_insns - done : 0;
	c->trace = sys->trace;
	c->trace_ctx = sys->trace_ctx;

	if (c->state == S390AP_CPU_WAIT || c->state == S390AP_CPU_RUNNING)
		cpu_io_check(c);
	*ran = 0;
	if (c->state == S390AP_CPU_RUNNING)
		*ran = cpu_run_slice(c, budget);

	sys->cur_used += c->slice_cycles;
	if ((rc = ctx_end(c)) < 0)
		return clock_error(sys, rc);
	if (c->state != S390AP_CPU_RUNNING || sys->cur_used >= sys->quantum)
		next_turn(sys);
	return 0;
}

int s390ap_sys_run(s390ap_sys *sys, uint64_t max_insns, uint64_t max_cycle, s390ap_stop *why)
{
	s390ap_machine *m;
	s390ap_stop stop;
	uint64_t done = 0;
	int rc;

	if (!sys)
		return S390AP_EINVAL;
	m = sys->machine;
	sys->error = 0;
	for (;;) {
		unsigned nlive, nwait;
		uint64_t now, ran = 0;
		struct s390ap_cpu *c;

		if ((rc = survey(sys, &nlive, &nwait)) < 0)
			return rc;
		if (nlive == 0) {
			stop = S390AP_STOP_ALL_DONE;
			break;
		}
		if (max_insns && done >= max_insns) {
			stop = S390AP_STOP_INSNS;
			break;
		}
		now = s390ap_machine_now(m);
		if (max_cycle && now >= max_cycle) {
			stop = S390AP_STOP_CYCLE;
			break;
		}
		if (nwait == nlive) {
			bool woke;
			uint64_t ne;

			if ((rc = wake_waiters(sys, &woke)) < 0)
				return rc;
			if (woke)
				continue;
			ne = s390ap_machine_next_event(m);
			if (ne == S390AP_NO_EVENT) {
				stop = S390AP_STOP_IDLE;
				break;
			}
			if (max_cycle && ne > max_cycle)
				ne = max_cycle;
			if ((rc = s390ap_machine_run_until(m, ne)) < 0)
				return clock_error(sys, rc);
			continue;
		}
		c = sys->cpus[sys->cur];
		if (!live(c)) {
			next_turn(sys);
			continue;
		}
		if ((rc = run_turn(sys, c, max_insns, done, max_cycle, &ran)) < 0)
			return rc;
		done += ran;
		if (sys->error)
			return sys->error;
	}
	if (why)
		*why = stop;
	return 0;
}
