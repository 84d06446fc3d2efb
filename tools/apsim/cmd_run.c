/* apsim scenario area "run": programs, registers, running, faults.
 *
 *   load elf PATH | load raw PATH at ADDR | load builtin NAME
 *   store ADDR BYTES...
 *   start [ADDR]
 *   cpu N
 *   set gr N V | set cr N V | set psw MASK ADDR | set prefix V
 *   resume [all]
 *   run N | run until halt | run until cycle T
 *   limit N
 *   inject at CYCLE FAULT... | inject now FAULT...
 */
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

static uint64_t storage_size(struct apsim_ctx *x)
{
	return s390ap_mem_size(s390ap_sys_mem(x->sys));
}

/* ---- load ---- */

enum { LOAD_ELF, LOAD_RAW, LOAD_BUILTIN };

static int parse_load(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const kinds[] = { "elf", "raw", "builtin", NULL };

	if (scn_p_choice(p, kinds, &c->sub, "what to load") < 0)
		return -1;
	if (scn_p_text(p, &c->text, &c->vpos[1],
		       c->sub == LOAD_BUILTIN ? "a built-in program name" : "a file path") < 0)
		return -1;
	if (c->text[0] == '\0')
		return scn_error(p->x, c->vpos[1], "empty path");
	if (c->sub == LOAD_RAW) {
		if (!scn_p_accept(p, "at"))
			return scn_p_expected(p, "'at' and the load address");
		return scn_p_slot(p, c, 0, 0, UINT64_MAX, "the load address");
	}
	return 0;
}

static int start_at(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t entry)
{
	int rc = s390ap_sys_start(x->sys, entry);

	if (rc < 0)
		return scn_error(x, c->pos, "cannot start at 0x%" PRIx64 ": %s", entry,
				 s390ap_sys_errmsg(x->sys));
	x->entry = entry;
	x->have_entry = true;
	return 0;
}

static int exec_load(struct apsim_ctx *x, struct scn_cmd *c)
{
	char *data;
	size_t len;
	uint64_t entry;
	int rc;

	if (c->sub == LOAD_BUILTIN) {
		const struct apsim_builtin *b = apsim_builtin_find(c->text);

		if (!b)
			return scn_error(x, c->vpos[1], "no built-in program '%s' (built in: %s)",
					 c->text, apsim_builtin_names());
		rc = s390ap_sys_load(x->sys, b->addr, b->bytes, b->len);
		if (rc < 0)
			return scn_error(x, c->vpos[1], "cannot load '%s': %s", c->text,
					 s390ap_sys_errmsg(x->sys));
		return start_at(x, c, b->entry);
	}

	if (scn_read_path(x, c->vpos[1], c->text, &data, &len) < 0)
		return -1;

	if (c->sub == LOAD_RAW) {
		uint64_t size = storage_size(x);

		rc = 0;
		if (c->v[0] > size || len > size - c->v[0])
			rc = scn_error(x, c->vpos[0],
				       "%zu bytes at 0x%" PRIx64 " do not fit in storage (0x%" PRIx64
				       " bytes)",
				       len, c->v[0], size);
		else if (s390ap_sys_load(x->sys, c->v[0], data, len) < 0)
			rc = scn_error(x, c->vpos[1], "cannot load '%s': %s", c->text,
				       s390ap_sys_errmsg(x->sys));
		free(data);
		return rc;
	}
	rc = s390ap_sys_load_elf(x->sys, data, len, &entry);
	free(data);
	if (rc < 0)
		return scn_error(x, c->vpos[1], "cannot load ELF '%s': %s", c->text,
				 s390ap_sys_errmsg(x->sys));
	return start_at(x, c, entry);
}

/* ---- store ---- */

#define STORE_MAX 65536

static int parse_store(struct scn_parser *p, struct scn_cmd *c)
{
	if (scn_p_slot(p, c, 0, 0, UINT64_MAX, "a storage address") < 0)
		return -1;
	return scn_p_hexbytes(p, c, STORE_MAX);
}

static int exec_store(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint64_t size = storage_size(x);

	if (c->v[0] > size || c->nbytes > size - c->v[0])
		return scn_error(x, c->vpos[0],
				 "%zu bytes at 0x%" PRIx64 " do not fit in storage (0x%" PRIx64 " bytes)",
				 c->nbytes, c->v[0], size);
	if (s390ap_storage_write(s390ap_sys_storage(x->sys), c->v[0], c->bytes, c->nbytes) < 0)
		return scn_error(x, c->vpos[0], "cannot store at 0x%" PRIx64, c->v[0]);
	return 0;
}

/* ---- start ---- */

static int parse_start(struct scn_parser *p, struct scn_cmd *c)
{
	if (scn_p_at_end(p))
		return 0;
	return scn_p_slot(p, c, 0, 0, UINT64_MAX, "the start address");
}

static int exec_start(struct apsim_ctx *x, struct scn_cmd *c)
{
	if (c->set & 1)
		return start_at(x, c, c->v[0]);
	if (!x->have_entry)
		return scn_error(x, c->pos, "no program loaded yet: give the start address");
	return start_at(x, c, x->entry);
}

/* ---- cpu ---- */

static int parse_cpu(struct scn_parser *p, struct scn_cmd *c)
{
	return scn_p_slot(p, c, 0, 0, S390AP_MAX_CPUS - 1, "a vCPU number");
}

static int exec_cpu(struct apsim_ctx *x, struct scn_cmd *c)
{
	unsigned n = s390ap_sys_ncpus(x->sys);

	if (c->v[0] >= n)
		return scn_error(x, c->vpos[0], "vCPU %" PRIu64 " does not exist (the system has %u; "
				 "see 'cpus')", c->v[0], n);
	x->cpu = (unsigned)c->v[0];
	return 0;
}

/* ---- set ---- */

enum { SET_GR, SET_CR, SET_PSW, SET_PREFIX };

static int parse_set(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const what[] = { "gr", "cr", "psw", "prefix", NULL };

	if (scn_p_choice(p, what, &c->sub, "what to set") < 0)
		return -1;
	switch (c->sub) {
	case SET_GR:
	case SET_CR:
		if (scn_p_slot(p, c, 0, 0, 15, "a register number") < 0)
			return -1;
		return scn_p_slot(p, c, 1, 0, UINT64_MAX, "a 64-bit value");
	case SET_PSW:
		if (scn_p_slot(p, c, 0, 0, UINT64_MAX, "the PSW mask (64 bits)") < 0)
			return -1;
		return scn_p_slot(p, c, 1, 0, UINT64_MAX, "the PSW address");
	default:
		return scn_p_slot(p, c, 0, 0, UINT32_MAX, "the prefix");
	}
}

static int exec_set(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_cpu *cpu = scn_cpu(x);
	s390ap_psw psw;
	int rc = 0;

	switch (c->sub) {
	case SET_GR:
		s390ap_cpu_gr(cpu)[c->v[0]] = c->v[1];
		return 0;
	case SET_CR:
		rc = s390ap_cpu_set_cr(cpu, (unsigned)c->v[0], c->v[1]);
		break;
	case SET_PSW:
		psw.mask = c->v[0];
		psw.addr = c->v[1];
		rc = s390ap_cpu_set_psw(cpu, &psw);
		break;
	default:
		rc = s390ap_cpu_set_prefix(cpu, (uint32_t)c->v[0]);
		break;
	}
	if (rc < 0)
		return scn_error(x, c->vpos[c->sub == SET_PSW ? 0 : c->sub == SET_PREFIX ? 0 : 1],
				 "%s", s390ap_sys_errmsg(x->sys)[0] ? s390ap_sys_errmsg(x->sys)
								   : s390ap_strerror(rc));
	return 0;
}

/* ---- resume ---- */

static int parse_resume(struct scn_parser *p, struct scn_cmd *c)
{
	c->sub = scn_p_accept(p, "all");
	return 0;
}

/* A vCPU halted by DIAG 0x44 / 0x500 continues after the DIAG: its PSW is
 * set again, which makes it runnable.  Other states are left alone. */
static int resume_one(struct apsim_ctx *x, const struct scn_cmd *c, s390ap_cpu *cpu)
{
	s390ap_cpu_state st = s390ap_cpu_state_get(cpu);
	s390ap_psw psw;

	if (st != S390AP_CPU_HALTED)
		return 0;
	s390ap_cpu_psw(cpu, &psw);
	if (s390ap_cpu_set_psw(cpu, &psw) < 0)
		return scn_error(x, c->pos, "cannot resume vCPU %u: %s", s390ap_cpu_index(cpu),
				 s390ap_sys_errmsg(x->sys));
	return 0;
}

static int exec_resume(struct apsim_ctx *x, struct scn_cmd *c)
{
	if (!c->sub)
		return resume_one(x, c, scn_cpu(x));
	for (unsigned k = 0; k < s390ap_sys_ncpus(x->sys); k++)
		if (resume_one(x, c, s390ap_sys_cpu(x->sys, k)) < 0)
			return -1;
	return 0;
}

/* ---- limit ---- */

static int parse_limit(struct scn_parser *p, struct scn_cmd *c)
{
	return scn_p_slot(p, c, 0, 1, UINT64_MAX / 2, "an instruction count");
}

static int exec_limit(struct apsim_ctx *x, struct scn_cmd *c)
{
	x->limit = c->v[0];
	return 0;
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */
/* ------------------------------------------------------------------ */

enum fault_kind {
	F_CHECKSTOP,
	F_DECONFIGURE,
	F_CONFIGURE,
	F_BUSY,
	F_DELAY_REPLY,
	F_LOSE_REPLY,
	F_FAIL_ASSOC,
	F_REMOVE,
	F_ADD,
};

/* inject: sel = fault kind, v[SLOT_CYCLE] = cycle (set bit: "at" given),
 * the fault's own arguments in v[0..].  checkstop: v[0] apid, sub 1 = off;
 * busy/delay-reply: v[0] apqn, v[1] cycles; fail-assoc: v[0] apqn, v[1] rc;
 * remove: sub 0 adapter (v[0] apid) / 1 domain (v[0] apqi); add: sub2 (in
 * v[8]) 0 adapter (adapter slots) / 1 domain (domain slot + sub bits). */
#define SLOT_CYCLE 9
#define SLOT_ADDKIND 8

static int parse_inject(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const when[] = { "at", "now", NULL };
	static const char *const kinds[] = { "checkstop", "deconfigure", "configure", "busy",
					     "delay-reply", "lose-reply", "fail-assoc", "remove",
					     "add", NULL };
	static const char *const objs[] = { "adapter", "domain", NULL };
	int w, obj;

	if (scn_p_choice(p, when, &w, "when") < 0)
		return -1;
	if (w == 0 && scn_p_slot(p, c, SLOT_CYCLE, 0, UINT64_MAX / 2, "the cycle") < 0)
		return -1;
	if (scn_p_choice(p, kinds, &c->sel, "a fault") < 0)
		return -1;
	switch ((enum fault_kind)c->sel) {
	case F_CHECKSTOP:
		if (scn_p_slot(p, c, 0, 0, 255, "an adapter id") < 0)
			return -1;
		c->sub = scn_p_accept(p, "off");
		return 0;
	case F_DECONFIGURE:
	case F_CONFIGURE:
		return scn_p_slot(p, c, 0, 0, 255, "an adapter id");
	case F_BUSY:
	case F_DELAY_REPLY:
		if (scn_p_apqn(p, c, 0) < 0)
			return -1;
		return scn_p_slot(p, c, 1, 1, UINT64_MAX / 4, "a number of cycles");
	case F_LOSE_REPLY:
		return scn_p_apqn(p, c, 0);
	case F_FAIL_ASSOC:
		if (scn_p_apqn(p, c, 0) < 0)
			return -1;
		if (scn_p_slot(p, c, 1, 0, 255, "a response code (0x35 or 0x36)") < 0)
			return -1;
		if (c->v[1] != 0x35 && c->v[1] != 0x36)
			return scn_error(p->x, c->vpos[1], "fail-assoc takes response code 0x35 or 0x36");
		return 0;
	case F_REMOVE:
		if (scn_p_choice(p, objs, &c->sub, "what to remove") < 0)
			return -1;
		return scn_p_slot(p, c, 0, 0, 255, c->sub ? "a domain id" : "an adapter id");
	case F_ADD:
		if (scn_p_choice(p, objs, &obj, "what to add") < 0)
			return -1;
		c->v[SLOT_ADDKIND] = (uint64_t)obj;
		return obj ? scn_parse_domain(p, c) : scn_parse_adapter(p, c);
	}
	return 0;
}

static int apply_fault(struct apsim_ctx *x, const struct scn_cmd *c)
{
	s390ap_machine *m = x->m;
	s390ap_adapter_opts ao;
	uint16_t apqn = (uint16_t)c->v[0];
	unsigned id = (unsigned)c->v[0];
	int rc = 0;

	fprintf(x->out, "[cycle %" PRIu64 "] %.*s\n", s390ap_sys_cycles(x->sys), (int)c->srclen,
		c->src);
	switch ((enum fault_kind)c->sel) {
	case F_CHECKSTOP:
		rc = s390ap_adapter_checkstop(m, id, !c->sub);
		break;
	case F_DECONFIGURE:
		rc = s390ap_adapter_configure(m, id, false);
		break;
	case F_CONFIGURE:
		rc = s390ap_adapter_configure(m, id, true);
		break;
	case F_BUSY:
		rc = s390ap_queue_busy(m, apqn, c->v[1]);
		break;
	case F_DELAY_REPLY:
		rc = s390ap_queue_delay_reply(m, apqn, c->v[1]);
		break;
	case F_LOSE_REPLY:
		rc = s390ap_queue_lose_reply(m, apqn);
		break;
	case F_FAIL_ASSOC:
		rc = s390ap_queue_fail_assoc(m, apqn, (uint8_t)c->v[1]);
		break;
	case F_REMOVE:
		rc = c->sub ? s390ap_domain_remove(m, id) : s390ap_adapter_remove(m, id);
		break;
	case F_ADD:
		if (c->v[SLOT_ADDKIND]) {
			rc = s390ap_domain_add(m, id, (c->sub & 1) != 0, (c->sub & 2) != 0);
		} else {
			scn_adapter_opts(c, &ao);
			rc = s390ap_adapter_add(m, id, &ao);
		}
		break;
	}
	if (rc < 0)
		return scn_error(x, c->pos, "the fault could not be applied: %s",
				 s390ap_machine_errmsg(m)[0] ? s390ap_machine_errmsg(m)
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

int scn_apply_faults(struct apsim_ctx *x)
{
	uint64_t now = s390ap_sys_cycles(x->sys);

	while (x->nfaults && x->faults[0].cycle <= now) {
		struct scn_fault f = scn_fault_pop(x);

		if (apply_fault(x, f.cmd) < 0)
			return -1;
	}
	return 0;
}

static int exec_inject(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint64_t cycle = (c->set & (1u << SLOT_CYCLE)) ? c->v[SLOT_CYCLE] : 0;
	size_t at;

	if (cycle <= s390ap_sys_cycles(x->sys))
		return apply_fault(x, c);
	if (x->nfaults == x->capfaults) {
		size_t ncap = x->capfaults ? x->capfaults * 2 : 8;
		struct scn_fault *n = realloc(x->faults, ncap * sizeof(*n));

		if (!n)
			return scn_error(x, c->pos, "out of memory");
		x->faults = n;
		x->capfaults = ncap;
	}
	at = x->nfaults++;
	x->faults[at] = (struct scn_fault){ cycle, x->fault_seq++, c };
	while (at > 0 && fault_before(&x->faults[at], &x->faults[(at - 1) / 2])) {
		fault_swap(&x->faults[at], &x->faults[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* run                                                                 */
/* ------------------------------------------------------------------ */

enum { RUN_INSNS, RUN_HALT, RUN_CYCLE };

static int parse_run(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const until[] = { "halt", "cycle", NULL };
	int k;

	if (scn_p_accept(p, "until")) {
		if (scn_p_choice(p, until, &k, "what to run until") < 0)
			return -1;
		c->sub = k == 0 ? RUN_HALT : RUN_CYCLE;
		if (c->sub == RUN_CYCLE)
			return scn_p_slot(p, c, 0, 0, UINT64_MAX / 2, "the cycle");
		return 0;
	}
	c->sub = RUN_INSNS;
	if (scn_p_at_end(p))
		return scn_p_expected(p, "an instruction count or 'until'");
	return scn_p_slot(p, c, 0, 1, UINT64_MAX / 2, "an instruction count");
}

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

static int exec_run(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint64_t want = c->sub == RUN_INSNS ? c->v[0] : c->sub == RUN_HALT ? x->limit : 0;
	bool has_target = c->sub == RUN_CYCLE;
	uint64_t target = has_target ? c->v[0] : 0;
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
		if (c->sub != RUN_CYCLE) {
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
	if (c->sub == RUN_HALT && why == S390AP_STOP_INSNS && !capped)
		return scn_expect_failed(x, c,
					 "no halt within %" PRIu64 " instructions (raise it with "
					 "'limit')",
					 x->limit);
	if (x->stopped_idle)
		fprintf(x->out, "[cycle %" PRIu64 "] every vCPU waits and no event is pending\n",
			s390ap_sys_cycles(x->sys));
	return 0;
}

static const struct scn_cmd_def run_cmds[] = {
	{ "load", SCN_F_SYS, parse_load, exec_load,
	  "load elf PATH | load raw PATH at ADDR | load builtin NAME" },
	{ "store", SCN_F_SYS, parse_store, exec_store, "store ADDR BYTES..." },
	{ "start", SCN_F_SYS, parse_start, exec_start, "start [ADDR]" },
	{ "cpu", SCN_F_SYS, parse_cpu, exec_cpu, "cpu N" },
	{ "set", SCN_F_SYS, parse_set, exec_set,
	  "set gr N V | set cr N V | set psw MASK ADDR | set prefix V" },
	{ "resume", SCN_F_SYS, parse_resume, exec_resume, "resume [all]" },
	{ "run", SCN_F_SYS, parse_run, exec_run, "run N | run until halt | run until cycle T" },
	{ "limit", 0, parse_limit, exec_limit, "limit N" },
	{ "inject", SCN_F_SYS, parse_inject, exec_inject, "inject at CYCLE FAULT | inject now FAULT" },
};

const struct scn_area scn_area_run = { run_cmds, sizeof(run_cmds) / sizeof(run_cmds[0]) };
