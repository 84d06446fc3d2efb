/* SPDX-License-Identifier: MIT */
/* Fuzz target: ELF images and raw machine code run by the dispatcher.
 *
 * Input, one of three forms:
 *
 *   "\x7fELF..."   an ELF file for s390ap_sys_load_elf.  Its bytes 8..15
 *                  (EI_ABIVERSION and EI_PAD, which the loader ignores) are
 *                  the first 8 option bytes below; the rest are zero.
 *   0x00 o0..o39 code...
 *                  options, then raw code loaded at `load` (0x10000, or 0
 *                  so the code brings its own lowcore: new PSWs at 0x1D0,
 *                  0x1F0).  0x00 is no opcode, so no program starts so.
 *   anything else  raw code at 0x10000 with default options: the flat
 *                  images of the assembled test programs (the build's
 *                  tests/asm/NAME.bin) as they are.
 *
 * Options (zero = default throughout; multi-byte fields big-endian):
 *   o0      bits 0-1 vCPUs - 1; bits 2-3 storage 256 KiB / 128 KiB / 1 MiB /
 *           8 KiB; bit 4 problem state; bits 5-6 addressing mode 64 / 31 /
 *           24 / 64; bit 7 I/O interruptions enabled (PSW I/O, CR6 all ISCs)
 *   o1      prefixes: 0 = all 0, else vCPU i gets 8 KiB frame
 *           ((o1 & 63) + i * (o1 >> 6)) mod frames
 *   o2      bits 0-1 instruction chunk, bits 2-3 cycle chunk of the second
 *           run (0 = one s390ap_sys_run call); bits 4-6 quantum; bit 7 load
 *           raw code at 0 (raw form only)
 *   o3      0 = the sys's default machine; else a machine of our own:
 *           bit 0 facilities from o10-11, bit 1 short reset / irq / assoc
 *           delays, bit 2 CPU-determined amount 256, bits 3-4 adapters
 *           (0..3, from o12..o20), bit 5 SIE hook installed
 *   o4-5    instruction limit: ((v - 1) & 0x7FF) + 1  (1..2048)
 *   o6-7    cycle limit: v * 32, or 2^21 for 0
 *   o8-9    entry: load + (v & ~1) (raw form only; kept inside storage)
 *   o10-11  facilities (& S390AP_FAC_ALL)
 *   o12-20  three adapters: apid | type (10 + b % 5), mode (b >> 4) % 3 |
 *           ML (b & 15), depth (b >> 4)
 *   o21,22  usage / control domains: bit k selects domain dom_set[k]
 *   o23-30  four cost tweaks: field (bit 7 = on, (b & 127) % 14) | value
 *           cost_vals[b & 15] (past S390AP_COST_MAX: the sys is refused)
 *   o31-38  two GR seeds, each r << 28 | value (28 bits), every vCPU
 *   o39     the trace hook clears itself after o39 * 3 calls (0 = never)
 *
 * Run twice, on two fresh systems from the same input: traced (a hook that
 * checks each call) in one s390ap_sys_run, and untraced in one call or cut
 * into chunks by instruction and cycle limits (docs/cpu.md: a run cut into
 * pieces executes exactly like one uninterrupted run).  Invariants:
 *   - everything observable is equal: per vCPU the PSW, GRs, CRs, cc,
 *     state, exit value, prefix and statistics; the clock; the summed
 *     statistics, per-instruction counts and program-interruption counts;
 *     main storage; the machine's response-code, program and ISC counts,
 *     pending ISCs, next event, and queue and adapter counters; the stop
 *     reason and return code;
 *   - the hook is called once per executed instruction (calls = the
 *     instruction count, unless it cleared itself, and then never again),
 *     for a vCPU of its system, at an even address, with bytes that decode
 *     to the length given, at cycles that never go back;
 *   - a rejected ELF file leaves storage untouched.
 * Bounds: at most 2048 instructions and 2^21 cycles per run, storage at
 * most 1 MiB (256 KiB by default).  Seeds: corpus/cpu (raw-form inputs
 * made by gen_cpu_seeds.sh) and the assembled test programs (.elf, .bin);
 * dictionary: dict/opcodes.dict.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "s390ap/s390ap.h"

#define OPT_LEN 40u            /* options in the raw form, o0..o39 */
#define HDR_LEN (1u + OPT_LEN) /* the 0x00 marker and the options */
#define ELF_OPT_OFF 8u         /* EI_ABIVERSION */
#define ELF_OPT_LEN 8u
#define DEFAULT_LOAD 0x10000u
#define MAX_OBS 4096u

static const uint64_t mem_sizes[4] = { 256u << 10, 128u << 10, 1u << 20, 8u << 10 };
static const uint64_t quanta[8] = { 0, 1, 7, 64, 333, 1000, 5000, 100000 };
static const uint64_t insn_chunks[4] = { 0, 1, 7, 250 };
static const uint64_t cycle_chunks[4] = { 0, 3, 37, 4000 };
static const uint8_t dom_set[8] = { 0x00, 0x01, 0x06, 0x07, 0x0F, 0x47, 0x80, 0xFF };
static const uint32_t cost_vals[16] = {
	0,
	1,
	2,
	3,
	5,
	17,
	100,
	255,
	1000,
	4096,
	65535,
	1u << 20,
	S390AP_COST_MAX - 1,
	S390AP_COST_MAX,
	S390AP_COST_MAX + 1,
	UINT32_MAX,
};

struct cfg {
	uint8_t o[OPT_LEN];
	bool elf;
	const uint8_t *image; /* ELF file or raw code */
	size_t image_len;
	unsigned ncpus;
	uint64_t mem_size, load, entry, max_insns, max_cycle;
};

/* What one run left behind, as a list of numbers with names. */
struct obs {
	size_t n;
	uint64_t v[MAX_OBS];
	const char *what[MAX_OBS];
	unsigned idx[MAX_OBS];
};

static void put(struct obs *ob, const char *what, unsigned idx, uint64_t v)
{
	if (ob->n == MAX_OBS)
		fuzz_fail("cpu: more than %u observations", MAX_OBS);
	ob->what[ob->n] = what;
	ob->idx[ob->n] = idx;
	ob->v[ob->n++] = v;
}

struct trace_ctx {
	s390ap_sys *sys;
	uint64_t calls, last_cycle, off_after;
	bool off;
};

static void trace_hook(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
		       const uint8_t *insn, unsigned ilen)
{
	struct trace_ctx *t = ctx;
	unsigned id, n;

	if (t->off)
		fuzz_fail("cpu: trace hook called after it cleared itself");
	t->calls++;
	if (!cpu || s390ap_sys_cpu(t->sys, s390ap_cpu_index(cpu)) != cpu)
		fuzz_fail("cpu: trace hook called for a vCPU not of its system");
	if (!psw || (psw->addr & 1))
		fuzz_fail("cpu: trace hook at an odd address");
	if (s390ap_decode(insn, ilen, &id, &n) != 0 || n != ilen)
		fuzz_fail("cpu: traced bytes %02x%02x do not decode to %u bytes", insn[0], insn[1],
			  ilen);
	if (cycle < t->last_cycle)
		fuzz_fail("cpu: trace cycle went back from %llu to %llu",
			  (unsigned long long)t->last_cycle, (unsigned long long)cycle);
	t->last_cycle = cycle;
	if (t->off_after && t->calls == t->off_after) {
		if (s390ap_sys_set_trace(t->sys, NULL, NULL) != 0)
			fuzz_fail("cpu: clearing the trace hook failed");
		t->off = true;
	}
}

/* A host model for SIE: deterministic, touches only the vCPU. */
static int sie_hook(void *ctx, s390ap_cpu *cpu, uint64_t scb_addr)
{
	(void)ctx;
	if (scb_addr & 0xFF)
		return 6; /* specification */
	s390ap_cpu_gr(cpu)[0] += scb_addr;
	return 0;
}

static void parse(struct cfg *c, const uint8_t *data, size_t size)
{
	memset(c, 0, sizeof(*c));
	c->load = DEFAULT_LOAD;
	if (size >= 4 && memcmp(data, "\177ELF", 4) == 0) {
		c->elf = true;
		for (unsigned i = 0; i < ELF_OPT_LEN && ELF_OPT_OFF + i < size; i++)
			c->o[i] = data[ELF_OPT_OFF + i];
		c->image = data;
		c->image_len = size;
	} else if (size >= 1 && data[0] == 0x00) {
		struct fuzz_in in = { data + 1, size - 1 };
		size_t got;

		for (unsigned i = 0; i < OPT_LEN; i++)
			c->o[i] = fuzz_u8(&in);
		c->image = fuzz_take(&in, in.n, &got);
		c->image_len = got;
		if (c->o[2] & 0x80)
			c->load = 0;
	} else {
		c->image = data;
		c->image_len = size;
	}
	c->ncpus = 1u + (c->o[0] & 3u);
	c->mem_size = mem_sizes[(c->o[0] >> 2) & 3u];
	if (c->load + 2 > c->mem_size)
		c->load = 0;
	if (!c->elf && c->image_len > c->mem_size - c->load)
		c->image_len = (size_t)(c->mem_size - c->load);
	c->entry = c->load + ((uint64_t)(c->o[8] << 8 | c->o[9]) & ~1ull);
	if (c->entry >= c->mem_size)
		c->entry = c->load;
	c->max_insns = (((unsigned)(c->o[4] << 8 | c->o[5]) - 1u) & 0x7FFu) + 1u;
	c->max_cycle = (uint64_t)(c->o[6] << 8 | c->o[7]) * 32u;
	if (!c->max_cycle)
		c->max_cycle = 1u << 21;
}

static bool custom_machine(const struct cfg *c)
{
	return c->o[3] != 0;
}

static unsigned nadapters(const struct cfg *c)
{
	return (c->o[3] >> 3) & 3u;
}

/* The machine of o3 (NULL: the sys makes its default one). */
static int make_machine(const struct cfg *c, s390ap_machine **out)
{
	s390ap_machine_opts mo = { S390AP_SIZED(s390ap_machine_opts) };
	s390ap_machine *m;

	*out = NULL;
	if (!custom_machine(c))
		return 0;
	if (c->o[3] & 1) {
		mo.facilities_set = true;
		mo.facilities = (uint32_t)(c->o[10] << 8 | c->o[11]) & S390AP_FAC_ALL;
	}
	if (c->o[3] & 2) {
		mo.reset_cycles = 1;
		mo.irq_cycles = 1;
		mo.assoc_cycles = 1;
	}
	if (c->o[3] & 4)
		mo.cpu_determined = 256;
	if (s390ap_machine_new(&m, &mo) < 0)
		return -1;
	for (unsigned i = 0; i < nadapters(c); i++) {
		const uint8_t *a = &c->o[12 + 3 * i];
		s390ap_adapter_opts ao = {
			S390AP_SIZED(s390ap_adapter_opts),
			.type = (uint8_t)(S390AP_TYPE_CEX4 + a[1] % 5u),
			.mode = (s390ap_mode)((a[1] >> 4) % 3u),
			.ml = a[2] & 15u,
			.depth = a[2] >> 4,
		};
		(void)s390ap_adapter_add(m, a[0], &ao); /* a refused one is no adapter */
	}
	for (unsigned k = 0; k < 8; k++) {
		bool usage = (c->o[21] >> k) & 1u, control = (c->o[22] >> k) & 1u;

		if (usage || control)
			(void)s390ap_domain_add(m, dom_set[k], usage, control);
	}
	*out = m;
	return 0;
}

static void cost_of(const struct cfg *c, s390ap_cost_model *k)
{
	uint32_t *f[14] = {
		&k->simple,         &k->branch,       &k->load_store, &k->multiple,
		&k->per_256_bytes,  &k->control,      &k->diag,       &k->interruption,
		&k->ap_interpreted, &k->ap_intercept, &k->sie_entry,  &k->sie_exit,
		&k->vsie_entry,     &k->vsie_exit,
	};

	*k = s390ap_cost_default();
	for (unsigned i = 0; i < 4; i++) {
		uint8_t sel = c->o[23 + 2 * i], val = c->o[24 + 2 * i];

		if (sel & 0x80)
			*f[(sel & 0x7Fu) % 14u] = cost_vals[val & 15u];
	}
}

struct run {
	s390ap_machine *m; /* ours, or NULL */
	s390ap_sys *sys;
	bool loaded; /* image loaded and vCPUs started */
	int rc;      /* of the last s390ap_sys_run */
	s390ap_stop why;
};

/* A fresh system with the image loaded and the vCPUs set up; false if the
 * options or the image are refused (the same for both runs). */
static bool setup(const struct cfg *c, struct run *r, struct trace_ctx *t)
{
	s390ap_sys_opts so = { S390AP_SIZED(s390ap_sys_opts) };
	s390ap_cost_model cost;
	uint64_t entry = c->entry;
	int rc;

	memset(r, 0, sizeof(*r));
	if (make_machine(c, &r->m) < 0)
		return false;
	cost_of(c, &cost);
	so.mem_size = c->mem_size;
	so.ncpus = c->ncpus;
	so.quantum = quanta[(c->o[2] >> 4) & 7u];
	so.machine = r->m;
	so.cost = &cost;
	if (custom_machine(c) && (c->o[3] & 0x20))
		so.sie = sie_hook;
	if (t) {
		so.trace = trace_hook;
		so.trace_ctx = t;
	}
	rc = s390ap_sys_new(&r->sys, &so);
	if (rc < 0)
		return false;
	if (t)
		t->sys = r->sys;
	if (c->elf) {
		rc = s390ap_sys_load_elf(r->sys, c->image, c->image_len, &entry);
		if (rc < 0) {
			/* validated before anything is written */
			const uint8_t *mem = s390ap_mem_data(s390ap_sys_mem(r->sys));

			/* every byte equal to the first, and that is 0 */
			if (mem[0] || memcmp(mem, mem + 1, (size_t)c->mem_size - 1) != 0)
				fuzz_fail("cpu: a rejected ELF file wrote storage");
			return false;
		}
	} else if (s390ap_sys_load(r->sys, c->load, c->image, c->image_len) < 0) {
		fuzz_fail("cpu: loading %zu bytes at 0x%llx refused: %s", c->image_len,
			  (unsigned long long)c->load, s390ap_sys_errmsg(r->sys));
	}
	if (s390ap_sys_start(r->sys, entry) < 0)
		return false; /* an ELF entry the loader took but start did not */

	for (unsigned i = 0; i < c->ncpus; i++) {
		s390ap_cpu *cpu = s390ap_sys_cpu(r->sys, i);
		uint64_t *gr = s390ap_cpu_gr(cpu);
		s390ap_psw psw;
		uint8_t o0 = c->o[0], o1 = c->o[1];

		for (unsigned k = 0; k < 2; k++) {
			const uint8_t *s = &c->o[31 + 4 * k];
			uint32_t v = (uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 |
				     (uint32_t)s[2] << 8 | s[3];

			if (v)
				gr[v >> 28] = v & 0x0FFFFFFFu;
		}
		if (o1) {
			uint64_t frames = c->mem_size / 0x2000u;
			uint32_t pfx = (uint32_t)(((o1 & 63u) + i * (o1 >> 6)) % frames) * 0x2000u;

			if (s390ap_cpu_set_prefix(cpu, pfx) < 0)
				fuzz_fail("cpu: prefix 0x%x refused: %s", pfx,
					  s390ap_sys_errmsg(r->sys));
		}
		if (s390ap_cpu_psw(cpu, &psw) < 0)
			fuzz_fail("cpu: no PSW");
		if (o0 & 0x10)
			psw.mask |= S390AP_PSW_PROB;
		switch ((o0 >> 5) & 3u) {
		case 1:
			psw.mask &= ~S390AP_PSW_EA;
			break;
		case 2:
			psw.mask &= ~(S390AP_PSW_EA | S390AP_PSW_BA);
			break;
		}
		if (o0 & 0x80) {
			psw.mask |= S390AP_PSW_IO;
			if (s390ap_cpu_set_cr(cpu, 6, 0xFF000000u) < 0)
				fuzz_fail("cpu: CR6 refused");
		}
		if (s390ap_cpu_set_psw(cpu, &psw) < 0)
			fuzz_fail("cpu: PSW refused");
	}
	r->loaded = true;
	return true;
}

static void run_whole(const struct cfg *c, struct run *r)
{
	r->rc = s390ap_sys_run(r->sys, c->max_insns, c->max_cycle, &r->why);
}

static uint64_t insns_of(const s390ap_sys *sys)
{
	s390ap_cpu_stats st;

	if (s390ap_sys_stats(sys, &st) < 0)
		fuzz_fail("cpu: no statistics");
	return st.instructions;
}

/* The same limits, reached in pieces. */
static void run_chunked(const struct cfg *c, struct run *r)
{
	uint64_t ichunk = insn_chunks[c->o[2] & 3u], cchunk = cycle_chunks[(c->o[2] >> 2) & 3u];
	uint64_t done = 0;

	if (!ichunk && !cchunk) {
		run_whole(c, r);
		return;
	}
	for (;;) {
		uint64_t left = c->max_insns - done, lim = left, cyc = c->max_cycle;
		uint64_t before = insns_of(r->sys), now = s390ap_sys_cycles(r->sys);

		if (ichunk && ichunk < lim)
			lim = ichunk;
		if (cchunk && now + cchunk < cyc)
			cyc = now + cchunk;
		r->rc = s390ap_sys_run(r->sys, lim, cyc, &r->why);
		if (r->rc < 0)
			return;
		done += insns_of(r->sys) - before;
		if (done > c->max_insns)
			fuzz_fail("cpu: %llu instructions in chunks of %llu, limit %llu",
				  (unsigned long long)done, (unsigned long long)lim,
				  (unsigned long long)c->max_insns);
		if (r->why == S390AP_STOP_INSNS && done < c->max_insns)
			continue;
		if (r->why == S390AP_STOP_CYCLE && s390ap_sys_cycles(r->sys) < c->max_cycle)
			continue;
		return;
	}
}

/* Queues worth looking at: the adapters and domains the machine has. */
static void observe_machine(const struct cfg *c, s390ap_sys *sys, struct obs *ob)
{
	const s390ap_machine *m = s390ap_sys_machine(sys);
	uint8_t apids[3] = { 3, 4, 5 };
	unsigned na = 3;

	for (unsigned rc = 0; rc < 256; rc++)
		put(ob, "machine rc count", rc, s390ap_machine_rc_count(m, (uint8_t)rc));
	for (unsigned p = 1; p < 0x80; p++)
		put(ob, "machine pgm count", p, s390ap_machine_pgm_count(m, (uint16_t)p));
	for (unsigned isc = 0; isc < 8; isc++)
		put(ob, "irq count", isc, s390ap_machine_irq_count(m, isc));
	put(ob, "irq pending", 0, s390ap_machine_irq_pending(m));
	put(ob, "machine now", 0, s390ap_machine_now(m));
	put(ob, "next event", 0, s390ap_machine_next_event(m));
	if (custom_machine(c)) {
		na = nadapters(c);
		for (unsigned i = 0; i < na; i++)
			apids[i] = c->o[12 + 3 * i];
	}
	for (unsigned i = 0; i < na; i++) {
		s390ap_adapter_info ai;

		if (s390ap_adapter_info_get(m, apids[i], &ai) == 0 && ai.present) {
			put(ob, "adapter requests", apids[i], ai.requests);
			put(ob, "adapter configured", apids[i], ai.configured);
		}
		for (unsigned k = 0; k < 8; k++) {
			uint16_t apqn = S390AP_APQN(apids[i], dom_set[k]);
			s390ap_queue_info qi;

			if (s390ap_queue_info_get(m, apqn, &qi) < 0 || !qi.exists)
				continue;
			put(ob, "queue reset pending", apqn, qi.reset_pending);
			put(ob, "queue irq", apqn, qi.irq_enabled << 1 | qi.irq_change_pending);
			put(ob, "queue isc", apqn, qi.isc);
			put(ob, "queue nib", apqn, qi.nib);
			put(ob, "queue requests", apqn, qi.requests);
			put(ob, "queue replies", apqn, qi.replies);
			put(ob, "queue bs", apqn, qi.bs);
			put(ob, "queue async rc", apqn, qi.async_rc);
			put(ob, "queue enqueued", apqn, qi.enqueued);
			put(ob, "queue dequeued", apqn, qi.dequeued);
			put(ob, "queue resets", apqn, qi.resets);
		}
	}
}

static void observe(const struct cfg *c, const struct run *r, struct obs *ob)
{
	s390ap_sys *sys = r->sys;
	s390ap_cpu_stats st;

	ob->n = 0;
	put(ob, "run rc", 0, (uint64_t)(int64_t)r->rc);
	put(ob, "stop reason", 0, r->rc < 0 ? 99u : (uint64_t)r->why);
	put(ob, "cycles", 0, s390ap_sys_cycles(sys));
	for (unsigned i = 0; i < c->ncpus; i++) {
		s390ap_cpu *cpu = s390ap_sys_cpu(sys, i);
		s390ap_psw psw;
		const uint64_t *gr;

		if (s390ap_cpu_psw(cpu, &psw) < 0 || s390ap_cpu_stats_get(cpu, &st) < 0)
			fuzz_fail("cpu: vCPU %u has no PSW or statistics", i);
		gr = s390ap_cpu_gr(cpu);
		put(ob, "PSW mask", i, psw.mask);
		put(ob, "PSW address", i, psw.addr);
		put(ob, "cc", i, s390ap_cpu_cc(cpu));
		put(ob, "state", i, (uint64_t)s390ap_cpu_state_get(cpu));
		put(ob, "exit value", i, s390ap_cpu_exit_value(cpu));
		put(ob, "prefix", i, s390ap_cpu_prefix(cpu));
		for (unsigned k = 0; k < 16; k++) {
			put(ob, "GR", i << 8 | k, gr[k]);
			put(ob, "CR", i << 8 | k, s390ap_cpu_cr(cpu, k));
		}
		put(ob, "instructions", i, st.instructions);
		put(ob, "vCPU cycles", i, st.cycles);
		put(ob, "pgm interruptions", i, st.pgm_interruptions);
		put(ob, "io interruptions", i, st.io_interruptions);
		for (unsigned p = 0; p < S390AP_PATH_COUNT; p++)
			put(ob, "ap path", i << 8 | p, st.ap_path[p]);
		put(ob, "last pgm code", i, st.last_pgm_code);
	}
	if (s390ap_sys_stats(sys, &st) < 0)
		fuzz_fail("cpu: no system statistics");
	put(ob, "sys instructions", 0, st.instructions);
	put(ob, "sys cycles", 0, st.cycles);
	put(ob, "sys pgm interruptions", 0, st.pgm_interruptions);
	put(ob, "sys io interruptions", 0, st.io_interruptions);
	put(ob, "sys last pgm code", 0, st.last_pgm_code);
	for (unsigned id = 0; id < s390ap_insn_count(); id++)
		put(ob, "executed", id, s390ap_sys_insn_executed(sys, id));
	for (unsigned p = 0; p < 128; p++)
		put(ob, "sys pgm count", p, s390ap_sys_pgm_count(sys, (uint16_t)p));
	observe_machine(c, sys, ob);
}

static void compare(const struct cfg *c, const struct run *a, const struct run *b, struct obs *oa,
		    struct obs *ob)
{
	const uint8_t *ma = s390ap_mem_data(s390ap_sys_mem(a->sys));
	const uint8_t *mb = s390ap_mem_data(s390ap_sys_mem(b->sys));

	observe(c, a, oa);
	observe(c, b, ob);
	if (oa->n != ob->n)
		fuzz_fail("cpu: %zu observations traced, %zu untraced", oa->n, ob->n);
	for (size_t i = 0; i < oa->n; i++) {
		if (oa->v[i] != ob->v[i]) {
			const char *insn = strcmp(oa->what[i], "executed") == 0
						   ? s390ap_insn_name(oa->idx[i])
						   : "";

			fuzz_fail("cpu: %s [0x%x]%s%s: traced 0x%llx, untraced 0x%llx "
				  "(chunks %u/%u, trace off after %u)",
				  oa->what[i], oa->idx[i], *insn ? " " : "", insn,
				  (unsigned long long)oa->v[i], (unsigned long long)ob->v[i],
				  c->o[2] & 3u, (c->o[2] >> 2) & 3u, c->o[39] * 3u);
		}
	}
	if (memcmp(ma, mb, (size_t)c->mem_size) != 0) {
		size_t i = 0;

		while (ma[i] == mb[i])
			i++;
		fuzz_fail("cpu: storage differs at 0x%zx: traced %02x, untraced %02x", i, ma[i],
			  mb[i]);
	}
}

static void release(struct run *r)
{
	s390ap_sys_free(r->sys); /* before a borrowed machine */
	s390ap_machine_free(r->m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg c;
	struct run a, b;
	struct trace_ctx t = { 0 };
	struct obs *oa, *ob;
	bool ok_a, ok_b = false;

	parse(&c, data, size);
	t.off_after = c.o[39] * 3u;
	memset(&b, 0, sizeof(b));
	ok_a = setup(&c, &a, &t);
	if (ok_a) {
		uint64_t before = insns_of(a.sys);

		ok_b = setup(&c, &b, NULL);
		if (!ok_b)
			fuzz_fail("cpu: the same input set up once and refused once");
		run_whole(&c, &a);
		if (!t.off && t.calls != insns_of(a.sys) - before)
			fuzz_fail("cpu: %llu trace calls for %llu instructions",
				  (unsigned long long)t.calls,
				  (unsigned long long)(insns_of(a.sys) - before));
		run_chunked(&c, &b);
		oa = malloc(sizeof(*oa));
		ob = malloc(sizeof(*ob));
		if (!oa || !ob)
			fuzz_fail("cpu: out of memory");
		compare(&c, &a, &b, oa, ob);
		free(oa);
		free(ob);
	}
	release(&a);
	release(&b);
	return 0;
}
