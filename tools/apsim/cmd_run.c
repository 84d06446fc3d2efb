/* SPDX-License-Identifier: MIT */
/* apsim scenario area "run": programs, registers, running, faults. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scn.h"

s390ap_cpu *scn_cpu(struct apsim_ctx *x)
{
	return s390ap_sys_cpu(x->sys, x->cpu);
}

static uint64_t total_insns(const struct apsim_ctx *x)
{
	s390ap_cpu_stats st;

	if (s390ap_sys_stats(x->sys, &st) < 0)
		return 0;
	return st.instructions;
}

static int start_at(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t entry)
{
	int rc;

	/* s390ap_sys_start resets every vCPU, also those in SIE */
	for (unsigned n = 0; n < S390AP_MAX_CPUS; n++)
		if (x->vcpu[n])
			return scn_error(
				x, c->pos,
				"vCPU %u runs a guest: a host program cannot start on every "
				"vCPU any more (load and start the host's programs before "
				"the first 'vm NAME vcpu N')",
				n);
	rc = s390ap_sys_start(x->sys, entry);
	if (rc < 0)
		return scn_error(x, c->pos, "cannot start at 0x%" PRIx64 ": %s", entry,
				 s390ap_sys_errmsg(x->sys));
	x->entry = entry;
	x->have_entry = true;
	return 0;
}

/* ---- load, store, start, cpu, set, resume, limit ---- */

/* load elf|builtin: a[0] = the path or name; load raw: a[2] = the address. */
static int run_load_builtin(struct apsim_ctx *x, struct scn_cmd *c)
{
	const struct apsim_builtin *b = apsim_builtin_find(c->text);

	if (!b)
		return scn_error(x, c->a[0].pos, "no built-in program '%s' (built in: %s)", c->text,
				 apsim_builtin_names());
	if (s390ap_sys_load(x->sys, b->addr, b->bytes, b->len) < 0)
		return scn_error(x, c->a[0].pos, "cannot load '%s': %s", c->text,
				 s390ap_sys_errmsg(x->sys));
	return start_at(x, c, b->entry);
}

static int run_load_elf(struct apsim_ctx *x, struct scn_cmd *c)
{
	char *data;
	size_t len;
	uint64_t entry;
	int rc;

	if (scn_read_path(x, c->a[0].pos, c->text, &data, &len) < 0)
		return -1;
	rc = s390ap_sys_load_elf(x->sys, data, len, &entry);
	free(data);
	if (rc < 0)
		return scn_error(x, c->a[0].pos, "cannot load ELF '%s': %s", c->text,
				 s390ap_sys_errmsg(x->sys));
	return start_at(x, c, entry);
}

static int run_load_raw(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint64_t size = s390ap_mem_size(s390ap_sys_mem(x->sys)), at = c->a[2].v;
	char *data;
	size_t len;
	int rc = 0;

	if (scn_read_path(x, c->a[0].pos, c->text, &data, &len) < 0)
		return -1;
	if (at > size || len > size - at)
		rc = scn_error(x, c->a[2].pos,
			       "%zu bytes at 0x%" PRIx64 " do not fit in storage (0x%" PRIx64
			       " bytes)",
			       len, at, size);
	else if (s390ap_sys_load(x->sys, at, data, len) < 0)
		rc = scn_error(x, c->a[0].pos, "cannot load '%s': %s", c->text,
			       s390ap_sys_errmsg(x->sys));
	free(data);
	return rc;
}

int scn_write_storage(struct apsim_ctx *x, struct scn_pos pos, uint64_t addr, const uint8_t *b,
		      size_t n, bool request)
{
	uint64_t size = s390ap_mem_size(s390ap_sys_mem(x->sys));

	if ((addr > size || n > size - addr) && request)
		return scn_error(x, pos,
				 "the %zu-byte request at 0x%" PRIx64 " does not fit in "
				 "storage (0x%" PRIx64 " bytes)",
				 n, addr, size);
	if (addr > size || n > size - addr)
		return scn_error(x, pos,
				 "%zu bytes at 0x%" PRIx64 " do not fit in storage (0x%" PRIx64
				 " bytes)",
				 n, addr, size);
	if (s390ap_storage_write(s390ap_sys_storage(x->sys), addr, b, n) < 0)
		return scn_error(x, pos, "cannot store %sat 0x%" PRIx64,
				 request ? "the request " : "", addr);
	return 0;
}

static int run_store(struct apsim_ctx *x, struct scn_cmd *c)
{
	return scn_write_storage(x, c->a[0].pos, c->a[0].v, c->bytes, c->nbytes, false);
}

static int run_start(struct apsim_ctx *x, struct scn_cmd *c)
{
	if (SCN_GIVEN(c, 0))
		return start_at(x, c, c->a[0].v);
	if (!x->have_entry)
		return scn_error(x, c->pos, "no program loaded yet: give the start address");
	return start_at(x, c, x->entry);
}

static int run_cpu(struct apsim_ctx *x, struct scn_cmd *c)
{
	unsigned n = s390ap_sys_ncpus(x->sys);

	if (c->a[0].v >= n)
		return scn_error(x, c->a[0].pos,
				 "vCPU %" PRIu64 " does not exist (the system has %u; "
				 "see 'cpus')",
				 c->a[0].v, n);
	x->cpu = (unsigned)c->a[0].v;
	return 0;
}

/* A refused register write: the error at a[k]. */
static int set_done(struct apsim_ctx *x, const struct scn_cmd *c, unsigned k, int rc)
{
	if (rc < 0)
		return scn_error(x, c->a[k].pos, "%s",
				 s390ap_sys_errmsg(x->sys)[0] ? s390ap_sys_errmsg(x->sys)
							      : s390ap_strerror(rc));
	return 0;
}

static int run_set_gr(struct apsim_ctx *x, struct scn_cmd *c)
{
	if (scn_guest(x))
		return set_done(x, c, 0,
				s390ap_vcpu_set_gr(scn_guest(x), (unsigned)c->a[0].v, c->a[1].v));
	s390ap_cpu_gr(scn_cpu(x))[c->a[0].v] = c->a[1].v;
	return 0;
}

static int run_set_cr(struct apsim_ctx *x, struct scn_cmd *c)
{
	if (scn_host_only(x, c, "set cr") < 0)
		return -1;
	return set_done(x, c, 1, s390ap_cpu_set_cr(scn_cpu(x), (unsigned)c->a[0].v, c->a[1].v));
}

static int run_set_psw(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_psw psw = { .mask = c->a[0].v, .addr = c->a[1].v };

	if (scn_host_only(x, c, "set psw") < 0)
		return -1;
	return set_done(x, c, 0, s390ap_cpu_set_psw(scn_cpu(x), &psw));
}

static int run_set_prefix(struct apsim_ctx *x, struct scn_cmd *c)
{
	if (scn_host_only(x, c, "set prefix") < 0)
		return -1;
	return set_done(x, c, 0, s390ap_cpu_set_prefix(scn_cpu(x), (uint32_t)c->a[0].v));
}

/* A vCPU halted by DIAG 0x44 / 0x500 continues after the DIAG: its PSW is
 * set again, which makes it runnable (a guest's vCPU enters SIE again).
 * Other states are left alone. */
static int resume_one(struct apsim_ctx *x, const struct scn_cmd *c, s390ap_cpu *cpu)
{
	s390ap_cpu_state st = s390ap_cpu_state_get(cpu);
	s390ap_psw psw;

	if (st != S390AP_CPU_HALTED)
		return 0;
	if (x->vcpu[s390ap_cpu_index(cpu)]) {
		/* the guest goes on after its DIAG, in SIE again */
		if (s390ap_vcpu_resume(x->vcpu[s390ap_cpu_index(cpu)]) < 0)
			return scn_error(x, c->pos, "cannot resume the guest on vCPU %u: %s",
					 s390ap_cpu_index(cpu), s390ap_kvm_errmsg(x->kvm));
		return 0;
	}
	s390ap_cpu_psw(cpu, &psw);
	if (s390ap_cpu_set_psw(cpu, &psw) < 0)
		return scn_error(x, c->pos, "cannot resume vCPU %u: %s", s390ap_cpu_index(cpu),
				 s390ap_sys_errmsg(x->sys));
	return 0;
}

static int run_resume(struct apsim_ctx *x, struct scn_cmd *c)
{
	return resume_one(x, c, scn_cpu(x));
}

static int run_resume_all(struct apsim_ctx *x, struct scn_cmd *c)
{
	for (unsigned k = 0; k < s390ap_sys_ncpus(x->sys); k++)
		if (resume_one(x, c, s390ap_sys_cpu(x->sys, k)) < 0)
			return -1;
	return 0;
}

static int run_limit(struct apsim_ctx *x, struct scn_cmd *c)
{
	x->limit = c->a[0].v;
	return 0;
}

/* ---- Faults: a[0] = the cycle (given: `at`), the fault's operands after ---- */

static int p_when(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const char *const when[] = { "at", "now", NULL };
	static const struct scn_arg w = SCN_WORDS(when, "when");
	static const struct scn_arg cycle = SCN_NUM(0, UINT64_MAX / 2, "the cycle");

	if (scn_parse_arg(p, c, &w, slot) < 0)
		return -1;
	c->set &= ~(1u << slot);
	return c->a[slot].v == 0 ? scn_parse_arg(p, c, &cycle, slot) : 0;
}

static int check_fail_assoc(struct scn_parser *p, struct scn_cmd *c)
{
	if (c->a[2].v != 0x35 && c->a[2].v != 0x36)
		return scn_error(p->x, c->a[2].pos, "fail-assoc takes response code 0x35 or 0x36");
	return 0;
}

#define APID(c) ((unsigned)(c)->a[1].v)
#define APQN(c) ((uint16_t)(c)->a[1].v)
#define FAULT(fn, call)                                           \
	static int fn(s390ap_machine *m, const struct scn_cmd *c) \
	{                                                         \
		return call;                                      \
	}

FAULT(f_checkstop, s390ap_adapter_checkstop(m, APID(c), !c->a[2].v))
FAULT(f_deconfigure, s390ap_adapter_configure(m, APID(c), false))
FAULT(f_configure, s390ap_adapter_configure(m, APID(c), true))
FAULT(f_busy, s390ap_queue_busy(m, APQN(c), c->a[2].v))
FAULT(f_delay_reply, s390ap_queue_delay_reply(m, APQN(c), c->a[2].v))
FAULT(f_lose_reply, s390ap_queue_lose_reply(m, APQN(c)))
FAULT(f_fail_assoc, s390ap_queue_fail_assoc(m, APQN(c), (uint8_t)c->a[2].v))
FAULT(f_remove_adapter, s390ap_adapter_remove(m, APID(c)))
FAULT(f_remove_domain, s390ap_domain_remove(m, APID(c)))

/* inject add adapter|domain: the operands of the machine statement, read
 * by the library (desc.h) to the end of the line; a[slot] = the id,
 * adapter options in c->bytes, domain kinds in a[slot + 1], a[slot + 2]. */
static int p_add(struct scn_parser *p, struct scn_cmd *c, unsigned slot, bool adapter)
{
	size_t start = scn_p_at_end(p) ? c->srclen : p->tok[p->i].col - 1u;
	s390ap_adapter_opts o;
	s390ap_desc_error err;
	unsigned id;
	bool usage, control;
	int rc;

	rc = adapter ? s390ap_desc_parse_adapter(p->x->desc, p->line, c->src, c->srclen, start, &id,
						 &o, &err)
		     : s390ap_desc_parse_domain(p->x->desc, p->line, c->src, c->srclen, start, &id,
						&usage, &control, &err);
	if (rc < 0)
		return scn_desc_error(p->x, &err, c->pos);
	if (adapter) {
		free(c->bytes);
		c->bytes = malloc(sizeof(o));
		if (!c->bytes)
			return scn_error(p->x, c->pos, "out of memory");
		memcpy(c->bytes, &o, sizeof(o));
		c->nbytes = sizeof(o);
	} else if (slot + 2 < SCN_MAX_ARGS) {
		c->a[slot + 1].v = usage;
		c->a[slot + 2].v = control;
	}
	c->a[slot].v = id;
	c->set |= 1u << slot;
	p->i = p->ntok;
	return 0;
}

static int p_add_adapter(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	return p_add(p, c, slot, true);
}

static int p_add_domain(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	return p_add(p, c, slot, false);
}

static int f_add_adapter(s390ap_machine *m, const struct scn_cmd *c)
{
	s390ap_adapter_opts o;

	memcpy(&o, c->bytes, sizeof(o));
	return s390ap_adapter_add(m, APID(c), &o);
}

static int f_add_domain(s390ap_machine *m, const struct scn_cmd *c)
{
	return s390ap_domain_add(m, APID(c), c->a[2].v != 0, c->a[3].v != 0);
}

static int apply_fault(struct apsim_ctx *x, const struct scn_cmd *c)
{
	int rc;

	fprintf(x->out, "[cycle %" PRIu64 "] %.*s\n", s390ap_sys_cycles(x->sys), (int)c->srclen,
		c->src);
	rc = c->form->fault(x->m, c);
	if (rc < 0)
		return scn_error(x, c->pos, "the fault could not be applied: %s",
				 s390ap_machine_errmsg(x->m)[0] ? s390ap_machine_errmsg(x->m)
								: s390ap_strerror(rc));
	return 0;
}

/* Timed faults wait in a binary min-heap on (cycle, seq): a scenario with
 * many of them, in any order, costs O(log n) per fault. */
static bool fault_before(const struct scn_fault *a, const struct scn_fault *b)
{
	return a->cycle != b->cycle ? a->cycle < b->cycle : a->seq < b->seq;
}

static void fault_swap(struct scn_fault *a, struct scn_fault *b)
{
	struct scn_fault t = *a;

	*a = *b;
	*b = t;
}

struct scn_fault scn_fault_pop(struct apsim_ctx *x)
{
	struct scn_fault *h = x->faults, top = h[0];
	size_t i = 0, n = --x->nfaults;

	h[0] = h[n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, s = i;

		if (l < n && fault_before(&h[l], &h[s]))
			s = l;
		if (r < n && fault_before(&h[r], &h[s]))
			s = r;
		if (s == i)
			break;
		fault_swap(&h[i], &h[s]);
		i = s;
	}
	return top;
}

/* Apply every pending fault whose cycle has come. */
static int scn_apply_faults(struct apsim_ctx *x)
{
	uint64_t now = s390ap_sys_cycles(x->sys);

	while (x->nfaults && x->faults[0].cycle <= now) {
		struct scn_fault f = scn_fault_pop(x);

		if (apply_fault(x, f.cmd) < 0)
			return -1;
	}
	return 0;
}

static int run_inject(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint64_t cycle = SCN_GIVEN(c, 0) ? c->a[0].v : 0;
	struct scn_fault *h;
	size_t at;

	if (cycle <= s390ap_sys_cycles(x->sys))
		return apply_fault(x, c);
	h = scn_grow(x->faults, &x->capfaults, x->nfaults + 1, 8, sizeof(*h));
	if (!h)
		return scn_error(x, c->pos, "out of memory");
	x->faults = h;
	at = x->nfaults++;
	x->faults[at] = (struct scn_fault){ cycle, x->fault_seq++, c };
	while (at > 0 && fault_before(&x->faults[at], &x->faults[(at - 1) / 2])) {
		fault_swap(&x->faults[at], &x->faults[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	return 0;
}

/* ---- run ---- */

enum { RUN_INSNS, RUN_HALT, RUN_CYCLE };

/* Move the clock to `cycle` while no vCPU can run (everything halted or
 * waiting), firing the machine's events on the way. */
static int clock_to(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t cycle)
{
	s390ap_stop why;
	int rc;

	/* The dispatcher moves the clock itself when asked to run to a cycle;
	 * if it cannot (nothing runnable), advance the machine directly. */
	rc = s390ap_sys_run(x->sys, 0, cycle, &why);
	if (rc < 0)
		return scn_error(x, c->pos, "run: %s", s390ap_sys_errmsg(x->sys));
	if (s390ap_sys_cycles(x->sys) < cycle) {
		rc = s390ap_machine_run_until(x->m, cycle);
		if (rc < 0)
			return scn_error(x, c->pos, "cannot advance the clock: %s",
					 s390ap_machine_errmsg(x->m));
	}
	return 0;
}

static int run_until(struct apsim_ctx *x, struct scn_cmd *c, int mode)
{
	uint64_t want = mode == RUN_INSNS ? c->a[0].v : mode == RUN_HALT ? x->limit : 0;
	bool has_target = mode == RUN_CYCLE;
	uint64_t target = has_target ? c->a[0].v : 0;
	uint64_t done = 0;
	s390ap_stop why = S390AP_STOP_ALL_DONE;
	bool capped = false;

	if (x->opts->cap_insns && (want == 0 || want > x->opts->cap_insns)) {
		want = x->opts->cap_insns;
		capped = true;
	}
	if (x->opts->cap_cycles) {
		uint64_t end = s390ap_sys_cycles(x->sys) + x->opts->cap_cycles;

		if (!has_target || target > end) {
			target = end;
			has_target = capped = true;
		}
	}
	x->stopped_idle = false;
	for (;;) {
		uint64_t stop = 0, before, now;
		int rc;

		if (scn_apply_faults(x) < 0)
			return -1;
		now = s390ap_sys_cycles(x->sys);
		if (has_target && now >= target)
			break;
		if (has_target)
			stop = target;
		if (x->nfaults && (stop == 0 || x->faults[0].cycle < stop))
			stop = x->faults[0].cycle;
		before = total_insns(x);
		rc = s390ap_sys_run(x->sys, want ? want - done : 0, stop, &why);
		if (rc < 0)
			return scn_error(x, c->pos, "run: %s", s390ap_sys_errmsg(x->sys));
		done += total_insns(x) - before;
		x->ran = true;
		x->last_stop = why;
		if (why == S390AP_STOP_INSNS || (want && done >= want))
			break;
		if (why == S390AP_STOP_CYCLE)
			continue; /* a fault's cycle or the target: see above */
		/* Every vCPU is done or waits: only time can change anything. */
		if (mode != RUN_CYCLE) {
			if (why == S390AP_STOP_ALL_DONE)
				break;
			if (!x->nfaults) {
				x->stopped_idle = true;
				break;
			}
		}
		if (stop == 0) {
			x->stopped_idle = why == S390AP_STOP_IDLE;
			break;
		}
		if (clock_to(x, c, stop) < 0)
			return -1;
	}
	if (scn_apply_faults(x) < 0)
		return -1;
	if (mode == RUN_HALT && why == S390AP_STOP_INSNS && !capped)
		return scn_expect_failed(x, c,
					 "no halt within %" PRIu64 " instructions (raise it with "
					 "'limit')",
					 x->limit);
	if (x->stopped_idle)
		fprintf(x->out, "[cycle %" PRIu64 "] every vCPU waits and no event is pending\n",
			s390ap_sys_cycles(x->sys));
	return 0;
}

#define RUN(fn, mode)                                         \
	static int fn(struct apsim_ctx *x, struct scn_cmd *c) \
	{                                                     \
		return run_until(x, c, mode);                 \
	}
RUN(run_insns, RUN_INSNS)
RUN(run_halt, RUN_HALT)
RUN(run_cycle, RUN_CYCLE)

#define STORE_MAX 65536
#define S SCN_F_SYS
#define ADDR(w) SCN_NUM(0, UINT64_MAX, w)
#define APID_ARG SCN_NUM(0, 255, "an adapter id")
#define REG SCN_NUM(0, 15, "a register number")
#define CYCLES SCN_NUM(1, UINT64_MAX / 4, "a number of cycles")

static const struct scn_form forms[] = {
	{ "load elf", S, SCN_ARGS(SCN_PATH("a file path")), .run = run_load_elf },
	{ "load raw", S,
	  SCN_ARGS(SCN_PATH("a file path"), SCN_LIT("at", "'at' and the load address"),
		   ADDR("the load address")),
	  .run = run_load_raw },
	{ "load builtin", S, SCN_ARGS(SCN_PATH("a built-in program name")),
	  .run = run_load_builtin },
	{ "store", S, SCN_ARGS(ADDR("a storage address"), SCN_HEX(STORE_MAX)), .run = run_store },
	{ "start", S, SCN_ARGS(SCN_NUM_OPT(0, UINT64_MAX, "the start address")), .run = run_start },
	{ "cpu", S, SCN_ARGS(SCN_NUM(0, S390AP_MAX_CPUS - 1, "a vCPU number")), .run = run_cpu },
	{ "set gr", S, SCN_ARGS(REG, ADDR("a 64-bit value")), .run = run_set_gr },
	{ "set cr", S, SCN_ARGS(REG, ADDR("a 64-bit value")), .run = run_set_cr },
	{ "set psw", S, SCN_ARGS(ADDR("the PSW mask (64 bits)"), ADDR("the PSW address")),
	  .run = run_set_psw },
	{ "set prefix", S, SCN_ARGS(SCN_NUM(0, UINT32_MAX, "the prefix")), .run = run_set_prefix },
	{ "resume", S, NULL, .run = run_resume },
	{ "resume all", S, NULL, .run = run_resume_all },
	{ "run", S,
	  SCN_ARGS(SCN_NUM_OR(1, UINT64_MAX / 2, "an instruction count",
			      "an instruction count or 'until'")),
	  .run = run_insns },
	{ "run until halt", S, NULL, .run = run_halt },
	{ "run until cycle", S, SCN_ARGS(SCN_NUM(0, UINT64_MAX / 2, "the cycle")),
	  .run = run_cycle },
	{ "limit", 0, SCN_ARGS(SCN_NUM(1, UINT64_MAX / 2, "an instruction count")),
	  .run = run_limit },
	{ "inject checkstop", S, SCN_ARGS(APID_ARG, SCN_FLAG("off")), .run = run_inject,
	  .fault = f_checkstop },
	{ "inject deconfigure", S, SCN_ARGS(APID_ARG), .run = run_inject, .fault = f_deconfigure },
	{ "inject configure", S, SCN_ARGS(APID_ARG), .run = run_inject, .fault = f_configure },
	{ "inject busy", S, SCN_ARGS(SCN_APQN, CYCLES), .run = run_inject, .fault = f_busy },
	{ "inject delay-reply", S, SCN_ARGS(SCN_APQN, CYCLES), .run = run_inject,
	  .fault = f_delay_reply },
	{ "inject lose-reply", S, SCN_ARGS(SCN_APQN), .run = run_inject, .fault = f_lose_reply },
	{ "inject fail-assoc", S,
	  SCN_ARGS(SCN_APQN, SCN_NUM(0, 255, "a response code (0x35 or 0x36)")), .run = run_inject,
	  .check = check_fail_assoc, .fault = f_fail_assoc },
	{ "inject remove adapter", S, SCN_ARGS(APID_ARG), .run = run_inject,
	  .fault = f_remove_adapter },
	{ "inject remove domain", S, SCN_ARGS(SCN_NUM(0, 255, "a domain id")), .run = run_inject,
	  .fault = f_remove_domain },
	{ "inject add adapter", S, SCN_ARGS(SCN_FN(p_add_adapter)), .run = run_inject,
	  .fault = f_add_adapter },
	{ "inject add domain", S, SCN_ARGS(SCN_FN(p_add_domain)), .run = run_inject,
	  .fault = f_add_domain },
};

static const struct scn_group groups[] = {
	{ "load", "what to load", NULL },
	{ "set", "what to set", NULL },
	{ "run until", "what to run until", NULL },
	{ "inject", "a fault", SCN_ARGS(SCN_FN(p_when)) },
	{ "inject remove", "what to remove", NULL },
	{ "inject add", "what to add", NULL },
};

const struct scn_area scn_area_run = SCN_AREA(forms, groups);
