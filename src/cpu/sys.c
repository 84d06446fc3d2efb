/* SPDX-License-Identifier: MIT */
/* System lifecycle, vCPU state accessors and statistics. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/mem_internal.h"
#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"
#include "util/array.h"
#include "util/opts.h"

#define DEFAULT_MEM_SIZE (16ull << 20)
#define MAX_MEM_SIZE (4ull << 30)
#define DEFAULT_QUANTUM 1000u

/* Architected initial values. */
#define CR0_RESET 0xE0ull
#define CR14_RESET 0xC2000000ull

int cpu_sys_error(struct s390ap_sys *sys, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sys->errmsg, sizeof(sys->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

void cpu_fail(struct s390ap_cpu *c, int err, const char *fmt, ...)
{
	struct s390ap_sys *sys = c->sys;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sys->errmsg, sizeof(sys->errmsg), fmt, ap);
	va_end(ap);
	sys->error = err;
	cpu_end_slice(c);
}

s390ap_cost_model s390ap_cost_default(void)
{
	return (s390ap_cost_model){
		S390AP_SIZED(s390ap_cost_model),
		.simple = 1,
		.branch = 1,
		.load_store = 2,
		.multiple = 4,
		.per_256_bytes = 4,
		.control = 20,
		.diag = 100,
		.interruption = 100,
		.ap_interpreted = 300,
		.ap_intercept = 3000,
		.sie_entry = 1000,
		.sie_exit = 800,
		.vsie_entry = 5000,
		.vsie_exit = 4000,
	};
}

/* Every class at least 1 cycle (a loop always reaches the end of its
 * slice), every field at most S390AP_COST_MAX (multiple + per_256_bytes and
 * the extras added to a slice cannot wrap). */
bool cpu_cost_ok(const s390ap_cost_model *k)
{
	const uint32_t all[] = {
		k->simple,    k->branch,   k->load_store,   k->multiple,       k->per_256_bytes,
		k->control,   k->diag,     k->interruption, k->ap_interpreted, k->ap_intercept,
		k->sie_entry, k->sie_exit, k->vsie_entry,   k->vsie_exit,
	};

	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i] > S390AP_COST_MAX)
			return false;
	return k->simple && k->load_store && k->multiple && k->control && k->diag &&
	       k->ap_interpreted && k->sie_entry;
}

void cpu_cost_set(struct s390ap_sys *sys, const s390ap_cost_model *k)
{
	sys->cost = *k;
	sys->class_cost[CPU_COST_SIMPLE] = k->simple;
	sys->class_cost[CPU_COST_LOAD_STORE] = k->load_store;
	/* LMG/STMG/MVC/XC/CLC move at most 256 bytes: one started unit. */
	sys->class_cost[CPU_COST_MULTIPLE] = k->multiple + k->per_256_bytes;
	sys->class_cost[CPU_COST_CONTROL] = k->control;
	sys->class_cost[CPU_COST_DIAG] = k->diag;
	sys->class_cost[CPU_COST_AP] = k->ap_interpreted;
	sys->class_cost[CPU_COST_SIE] = k->sie_entry;
	for (unsigned i = 0; sys->cpus && i < sys->ncpus; i++)
		sys->cpus[i]->branch_cost = k->branch;
}

void cpu_reset(struct s390ap_cpu *c, uint64_t entry)
{
	sie_abandon(c); /* a guest it ran is gone */
	memset(c->gr, 0, sizeof(c->gr));
	memset(c->cr, 0, sizeof(c->cr));
	c->cr[0] = CR0_RESET;
	c->cr[14] = CR14_RESET;
	c->prefix = 0;
	c->psw.mask = S390AP_PSW_EA | S390AP_PSW_BA;
	cpu_set_cc(c, 0);
	c->psw.addr = entry;
	c->amask = ~0ull;
	c->state = S390AP_CPU_RUNNING;
	c->exit_value = 0;
	c->psw_dirty = false;
	c->pgm_streak = 0;
	c->pgm_insns = cpu_insns(c);
	cpu_icache_flush(c);
}

static void cpu_free(struct s390ap_cpu *c)
{
	if (!c)
		return;
	sie_abandon(c);
	sie_free(c);
	free(c->icache);
	free(c);
}

void s390ap_sys_free(s390ap_sys *sys)
{
	if (!sys)
		return;
	if (sys->cpus) {
		for (unsigned i = 0; i < sys->ncpus; i++)
			cpu_free(sys->cpus[i]);
		free(sys->cpus);
	}
	if (sys->own_machine)
		s390ap_machine_free(sys->machine);
	else if (sys->machine)
		s390ap_machine_set_storage(sys->machine, NULL);
	free(sys->code_map);
	s390ap_mem_free(sys->mem);
	free(sys);
}

static int cpu_new(struct s390ap_sys *sys, unsigned index)
{
	struct s390ap_cpu *c = calloc(1, sizeof(*c));

	if (!c)
		return S390AP_ENOMEM;
	sys->cpus[index] = c;
	c->icache = malloc(CPU_ICACHE_SIZE * sizeof(*c->icache));
	if (!c->icache)
		return S390AP_ENOMEM;
	c->sys = sys;
	c->index = index;
	c->mem = sys->mem_data;
	c->mem_size = sys->mem_size;
	c->code_map = sys->code_map;
	c->branch_cost = sys->cost.branch;
	cpu_ap_storage_init(c);
	cpu_ap_invalidate(c);
	cpu_reset(c, 0);
	/* Nothing loaded yet: a disabled wait until s390ap_sys_start(). */
	c->psw.mask |= S390AP_PSW_WAIT;
	c->state = S390AP_CPU_STOPPED;
	return 0;
}

/* A write through s390ap_mem_write or the mem's own storage callbacks. */
static void mem_written(void *ctx, uint64_t addr, uint64_t len)
{
	cpu_code_written(ctx, addr, len);
}

int s390ap_sys_new(s390ap_sys **out, const s390ap_sys_opts *opts)
{
	s390ap_sys_opts o = { 0 };
	s390ap_cost_model cost = s390ap_cost_default();
	s390ap_sys *sys;
	int rc;

	if (!out)
		return S390AP_EINVAL;
	*out = NULL;
	if (opts && OPTS_COPY(&o, opts, s390ap_sys_opts, sie_ctx) < 0)
		return S390AP_EINVAL;
	if (!o.mem_size)
		o.mem_size = DEFAULT_MEM_SIZE;
	if (!o.ncpus)
		o.ncpus = 1;
	if (!o.quantum)
		o.quantum = DEFAULT_QUANTUM;
	if (o.mem_size < CPU_LOWCORE || o.mem_size > MAX_MEM_SIZE || o.ncpus > S390AP_MAX_CPUS)
		return S390AP_ERANGE;
	if (o.cost &&
	    (OPTS_COPY(&cost, o.cost, s390ap_cost_model, vsie_exit) < 0 || !cpu_cost_ok(&cost)))
		return S390AP_EINVAL;

	sys = calloc(1, sizeof(*sys));
	if (!sys)
		return S390AP_ENOMEM;
	cpu_cost_set(sys, &cost);
	sys->quantum = o.quantum;
	sys->trace = o.trace;
	sys->trace_ctx = o.trace_ctx;
	sys->sie = o.sie;
	sys->sie_ctx = o.sie_ctx;

	rc = s390ap_mem_new(&sys->mem, o.mem_size);
	if (rc < 0)
		goto fail;
	sys->mem_data = ap_mem_bytes(sys->mem);
	ap_mem_set_write_hook(sys->mem, mem_written, sys);
	sys->mem_size = s390ap_mem_size(sys->mem);
	sys->code_map_len =
		(size_t)((sys->mem_size + (1u << CPU_CODE_SHIFT) - 1) >> CPU_CODE_SHIFT);
	sys->code_map = calloc(sys->code_map_len, 1);
	rc = S390AP_ENOMEM;
	if (!sys->code_map)
		goto fail;
	/* the system's absolute storage is the mem's: its writes reach
	 * mem_written, which drops cached code */
	(void)s390ap_mem_storage(sys->mem, &sys->storage);

	if (o.machine) {
		/* NIB writes of adapter interruptions must land in our storage */
		rc = s390ap_machine_set_storage(o.machine, &sys->storage);
		if (rc < 0)
			goto fail;
		sys->machine = o.machine;
	} else {
		rc = s390ap_machine_new_default(&sys->machine, &sys->storage);
		if (rc < 0)
			goto fail;
		sys->own_machine = true;
	}

	sys->ncpus = o.ncpus;
	sys->cpus = calloc(o.ncpus, sizeof(*sys->cpus));
	rc = S390AP_ENOMEM;
	if (!sys->cpus)
		goto fail;
	for (unsigned i = 0; i < o.ncpus; i++)
		if ((rc = cpu_new(sys, i)) < 0)
			goto fail;
	*out = sys;
	return 0;
fail:
	if (!sys->cpus)
		sys->ncpus = 0;
	s390ap_sys_free(sys);
	return rc;
}

const char *s390ap_sys_errmsg(const s390ap_sys *sys)
{
	return sys ? sys->errmsg : "no system";
}

s390ap_machine *s390ap_sys_machine(s390ap_sys *sys)
{
	return sys ? sys->machine : NULL;
}

s390ap_mem *s390ap_sys_mem(s390ap_sys *sys)
{
	return sys ? sys->mem : NULL;
}

const s390ap_storage *s390ap_sys_storage(const s390ap_sys *sys)
{
	return sys ? &sys->storage : NULL;
}

unsigned s390ap_sys_ncpus(const s390ap_sys *sys)
{
	return sys ? sys->ncpus : 0;
}

s390ap_cpu *s390ap_sys_cpu(s390ap_sys *sys, unsigned index)
{
	return sys && index < sys->ncpus ? sys->cpus[index] : NULL;
}

int s390ap_sys_set_trace(s390ap_sys *sys, s390ap_trace_fn fn, void *ctx)
{
	if (!sys)
		return S390AP_EINVAL;
	sys->trace = fn;
	sys->trace_ctx = ctx;
	return 0;
}

int s390ap_sys_load(s390ap_sys *sys, uint64_t addr, const void *data, size_t len)
{
	if (!sys)
		return S390AP_EINVAL;
	if (!data && len)
		return cpu_sys_error(sys, S390AP_EINVAL, "no image (NULL data, %zu bytes)", len);
	if (addr > sys->mem_size || len > sys->mem_size - addr)
		return cpu_sys_error(
			sys, S390AP_EFAULT,
			"image of %zu bytes at 0x%llx does not fit in %llu bytes of storage", len,
			(unsigned long long)addr, (unsigned long long)sys->mem_size);
	if (len) {
		memcpy(sys->mem_data + addr, data, len);
		cpu_code_written(sys, addr, len);
	}
	return 0;
}

int s390ap_sys_start(s390ap_sys *sys, uint64_t entry)
{
	if (!sys)
		return S390AP_EINVAL;
	if (entry & 1)
		return cpu_sys_error(sys, S390AP_EINVAL, "odd entry point 0x%llx",
				     (unsigned long long)entry);
	/* as the ELF loader: a program starts inside storage (s390ap_cpu_set_psw
	 * may still point anywhere, to test the addressing exception) */
	if (entry >= sys->mem_size)
		return cpu_sys_error(sys, S390AP_EINVAL,
				     "entry point 0x%llx outside storage (%llu bytes)",
				     (unsigned long long)entry, (unsigned long long)sys->mem_size);
	memset(sys->code_map, 0, sys->code_map_len);
	for (unsigned i = 0; i < sys->ncpus; i++) {
		cpu_reset(sys->cpus[i], entry);
		cpu_sched_file(sys, sys->cpus[i]);
	}
	sys->cur = 0;
	sys->cur_used = 0;
	return 0;
}

uint64_t s390ap_sys_cycles(const s390ap_sys *sys)
{
	return sys ? s390ap_machine_now(sys->machine) : 0;
}

/* ---- vCPU state ---- */

unsigned s390ap_cpu_index(const s390ap_cpu *cpu)
{
	return cpu ? cpu->index : 0;
}

s390ap_cpu_state s390ap_cpu_state_get(const s390ap_cpu *cpu)
{
	return cpu ? cpu->state : S390AP_CPU_STOPPED;
}

uint64_t s390ap_cpu_exit_value(const s390ap_cpu *cpu)
{
	return cpu ? cpu->exit_value : 0;
}

int s390ap_cpu_psw(const s390ap_cpu *cpu, s390ap_psw *psw)
{
	if (!cpu)
		return S390AP_EINVAL;
	if (!psw)
		return cpu_sys_error(cpu->sys, S390AP_EINVAL, "vCPU %u: no PSW output (NULL)",
				     cpu->index);
	psw->mask = cpu_psw_mask(cpu);
	psw->addr = cpu->psw.addr;
	return 0;
}

int s390ap_cpu_set_psw(s390ap_cpu *cpu, const s390ap_psw *psw)
{
	if (!cpu)
		return S390AP_EINVAL;
	if (!psw)
		return cpu_sys_error(cpu->sys, S390AP_EINVAL, "vCPU %u: no PSW (NULL)", cpu->index);
	cpu->psw = *psw;
	cpu_cc_from_mask(cpu);
	cpu->amask = cpu_amask_of(psw->mask);
	if (psw->mask & S390AP_PSW_WAIT) {
		if (psw->mask & (S390AP_PSW_IO | S390AP_PSW_EXT | S390AP_PSW_MCHK)) {
			cpu->state = S390AP_CPU_WAIT;
		} else {
			cpu->state = S390AP_CPU_STOPPED;
			cpu->exit_value = psw->addr & 0xFFFFFFFFull;
		}
	} else {
		cpu->state = S390AP_CPU_RUNNING;
	}
	/* Validity and pending interruptions are checked before it runs. */
	cpu->psw_dirty = true;
	cpu_sched_dirty(cpu);
	cpu->pgm_streak = 0;
	return 0;
}

uint64_t *s390ap_cpu_gr(s390ap_cpu *cpu)
{
	return cpu ? cpu->gr : NULL;
}

uint64_t s390ap_cpu_cr(const s390ap_cpu *cpu, unsigned n)
{
	return cpu && n < 16 ? cpu->cr[n] : 0;
}

int s390ap_cpu_set_cr(s390ap_cpu *cpu, unsigned n, uint64_t value)
{
	if (!cpu)
		return S390AP_EINVAL;
	if (n >= 16)
		return cpu_sys_error(cpu->sys, S390AP_EINVAL, "vCPU %u: no control register %u",
				     cpu->index, n);
	cpu->cr[n] = value;
	cpu->psw_dirty = true; /* CR6 may enable a pending interruption */
	cpu_sched_dirty(cpu);
	return 0;
}

uint32_t s390ap_cpu_prefix(const s390ap_cpu *cpu)
{
	return cpu ? (uint32_t)cpu->prefix : 0;
}

int s390ap_cpu_set_prefix(s390ap_cpu *cpu, uint32_t prefix)
{
	if (!cpu)
		return S390AP_EINVAL;
	if (prefix & ~CPU_PREFIX_MASK)
		return cpu_sys_error(cpu->sys, S390AP_EINVAL,
				     "prefix 0x%x is not an 8 KiB boundary below 2 GiB", prefix);
	if (prefix + CPU_LOWCORE > cpu->mem_size)
		return cpu_sys_error(cpu->sys, S390AP_ERANGE,
				     "prefix area at 0x%x is outside storage", prefix);
	if (prefix != cpu->prefix) {
		cpu->prefix = prefix;
		cpu_icache_flush(cpu);
	}
	return 0;
}

uint64_t cpu_insns(const struct s390ap_cpu *c)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < CPU_NINSNS; i++)
		n += c->counts[i];
	return n;
}

unsigned cpu_cc_eval(const struct s390ap_cpu *c)
{
	uint64_t a = c->cc_a, b = c->cc_b, r;
	uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, r32;

	switch ((enum cpu_cc_kind)c->cc_kind) {
	case CPU_CCK_CONST:
		break;
	case CPU_CCK_ADD32:
		r32 = a32 + b32;
		if (((a32 ^ r32) & (b32 ^ r32)) >> 31)
			return 3;
		return cpu_cc_signed((int32_t)r32);
	case CPU_CCK_SUB32:
		r32 = a32 - b32;
		if (((a32 ^ b32) & (a32 ^ r32)) >> 31)
			return 3;
		return cpu_cc_signed((int32_t)r32);
	case CPU_CCK_ADD64:
		r = a + b;
		if (((a ^ r) & (b ^ r)) >> 63)
			return 3;
		return cpu_cc_signed((int64_t)r);
	case CPU_CCK_SUB64:
		r = a - b;
		if (((a ^ b) & (a ^ r)) >> 63)
			return 3;
		return cpu_cc_signed((int64_t)r);
	case CPU_CCK_SIGNED:
		return cpu_cc_signed((int64_t)a);
	case CPU_CCK_NZ:
		return a != 0;
	case CPU_CCK_CMPS:
		return CPU_CC_CMP((int64_t)a, (int64_t)b);
	case CPU_CCK_CMPU:
		return CPU_CC_CMP(a, b);
	}
	return (unsigned)a & 3u;
}

unsigned s390ap_cpu_cc(const s390ap_cpu *cpu)
{
	return cpu ? cpu_cc(cpu) : 0;
}

/* ---- statistics ---- */

int s390ap_cpu_stats_get(const s390ap_cpu *cpu, s390ap_cpu_stats *st)
{
	if (!cpu)
		return S390AP_EINVAL;
	if (!st)
		return cpu_sys_error(cpu->sys, S390AP_EINVAL, "vCPU %u: no stats output (NULL)",
				     cpu->index);
	*st = cpu->stats;
	st->instructions = cpu_insns(cpu);
	return 0;
}

int s390ap_sys_stats(const s390ap_sys *sys, s390ap_cpu_stats *st)
{
	if (!sys)
		return S390AP_EINVAL;
	if (!st) /* the message is diagnostics, not the system's state */
		return cpu_sys_error((struct s390ap_sys *)sys, S390AP_EINVAL,
				     "no stats output (NULL)");
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0; i < sys->ncpus; i++) {
		const struct s390ap_cpu *c = sys->cpus[i];

		st->instructions += cpu_insns(c);
		st->cycles += c->stats.cycles;
		st->pgm_interruptions += c->stats.pgm_interruptions;
		st->io_interruptions += c->stats.io_interruptions;
		for (unsigned p = 0; p < S390AP_PATH_COUNT; p++)
			st->ap_path[p] += c->stats.ap_path[p];
	}
	st->last_pgm_code = sys->last_pgm_code;
	return 0;
}

uint64_t s390ap_sys_insn_executed(const s390ap_sys *sys, unsigned id)
{
	uint64_t n = 0;

	if (!sys || id >= CPU_NINSNS)
		return 0;
	for (unsigned i = 0; i < sys->ncpus; i++)
		n += sys->cpus[i]->counts[id];
	return n;
}

uint64_t s390ap_sys_pgm_count(const s390ap_sys *sys, uint16_t code)
{
	return sys && code < CPU_PGM_CODES ? sys->pgm_count[code] : 0;
}
