/* SPDX-License-Identifier: MIT */
/* apsim scenario area "setup": the machine statements and the system's.
 *
 * The AP machine statements (machine, facilities, na, nd, ..., adapter,
 * domain) are the library's machine description language (s390ap/desc.h,
 * docs/machine-files.md): each such line goes whole to
 * s390ap_desc_statement while parsing, so apsim and every other reader of
 * machine files agree.  apsim keeps its own system statements (memory,
 * cpus, quantum, cost).  The first command that needs the system (load,
 * set, run, print, expect, ...) builds both (scn_build), and the parser
 * rejects machine statements after that point.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

int scn_desc_error(struct apsim_ctx *x, const s390ap_desc_error *err, struct scn_pos otherwise)
{
	struct scn_pos pos = { err->line, err->column };

	return scn_error(x, err->line ? pos : otherwise, "%s", err->msg);
}

int scn_machine_file(struct apsim_ctx *x)
{
	const char *text = x->opts->machine_text, *name = x->name;
	size_t len = x->opts->machine_len, off = 0;
	unsigned line = 0;

	if (!x->desc && s390ap_desc_new(&x->desc) < 0)
		return scn_error(x, (struct scn_pos){ 0, 0 }, "out of memory");
	while (off < len) {
		const char *s = text + off, *nl = memchr(s, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - s) : len - off;
		s390ap_desc_error err;

		off += ll + (nl ? 1 : 0);
		if (++line == 0 || s390ap_desc_statement(x->desc, line, s, ll, &err) < 0) {
			if (line == 0)
				err = (s390ap_desc_error){ .msg = "too many lines" };
			x->name = x->opts->machine_name; /* the message names the file */
			scn_desc_error(x, &err, (struct scn_pos){ 0, 0 });
			x->name = name;
			return -1;
		}
	}
	return 0;
}

/* A machine statement: the whole line to the library. */
static int p_desc(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	s390ap_desc_error err;

	(void)slot;
	if (s390ap_desc_statement(p->x->desc, p->line, c->src, c->srclen, &err) < 0)
		return scn_desc_error(p->x, &err, c->pos);
	p->i = p->ntok;
	return 0;
}

/* All done by the parse. */
static int run_desc(struct apsim_ctx *x, struct scn_cmd *c)
{
	(void)x;
	(void)c;
	return 0;
}

#define SPEC_FIELD(fn, field, type)                           \
	static int fn(struct apsim_ctx *x, struct scn_cmd *c) \
	{                                                     \
		x->spec.field = (type)c->a[0].v;              \
		return 0;                                     \
	}
SPEC_FIELD(run_memory, so.mem_size, uint64_t)
SPEC_FIELD(run_cpus, so.ncpus, unsigned)
SPEC_FIELD(run_quantum, so.quantum, uint64_t)

static int check_memory(struct scn_parser *p, struct scn_cmd *c)
{
	if (c->a[0].v % 4096)
		return scn_error(p->x, c->a[0].pos, "the storage size must be a multiple of 4 KiB");
	return 0;
}

/* ---- cost ---- */

static const char *const cost_names[] = {
	"simple",    "branch",   "load-store",   "multiple",       "per-256-bytes",
	"control",   "diag",     "interruption", "ap-interpreted", "ap-intercept",
	"sie-entry", "sie-exit", "vsie-entry",   "vsie-exit",      NULL,
};

/* The cost model's fields in cost_names order. */
static const size_t cost_off[] = {
	offsetof(s390ap_cost_model, simple),         offsetof(s390ap_cost_model, branch),
	offsetof(s390ap_cost_model, load_store),     offsetof(s390ap_cost_model, multiple),
	offsetof(s390ap_cost_model, per_256_bytes),  offsetof(s390ap_cost_model, control),
	offsetof(s390ap_cost_model, diag),           offsetof(s390ap_cost_model, interruption),
	offsetof(s390ap_cost_model, ap_interpreted), offsetof(s390ap_cost_model, ap_intercept),
	offsetof(s390ap_cost_model, sie_entry),      offsetof(s390ap_cost_model, sie_exit),
	offsetof(s390ap_cost_model, vsie_entry),     offsetof(s390ap_cost_model, vsie_exit),
};

static int run_cost(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint32_t v = (uint32_t)c->a[1].v;

	if (!x->spec.cost_set) {
		x->spec.cost = s390ap_cost_default();
		x->spec.cost_set = true;
	}
	memcpy((char *)&x->spec.cost + cost_off[c->a[0].v], &v, sizeof(v));
	return 0;
}

/* ---- Building the machine and the system ---- */

static void trace_line(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
		       const uint8_t *insn, unsigned ilen)
{
	struct apsim_ctx *x = ctx;
	char hex[16];
	unsigned id, len;
	const char *name = "?";

	if (ilen > 6)
		ilen = 6;
	for (unsigned k = 0; k < ilen; k++)
		snprintf(hex + 2 * k, sizeof(hex) - 2 * k, "%02x", insn[k]);
	if (ilen == 0)
		hex[0] = '\0';
	if (s390ap_decode(insn, ilen, &id, &len) == 0 && s390ap_insn_name(id))
		name = s390ap_insn_name(id);
	fprintf(x->out, "%10" PRIu64 " %u %016" PRIx64 " %-12s %s\n", cycle, s390ap_cpu_index(cpu),
		psw->addr, hex, name);
}

static int build_machine(struct apsim_ctx *x, const struct scn_cmd *by, s390ap_machine **out)
{
	s390ap_desc_error err;
	int rc;

	if (!x->desc) {
		rc = s390ap_machine_new_default(out, NULL);
		if (rc < 0)
			return scn_error(x, by->pos, "cannot create the default machine: %s",
					 s390ap_strerror(rc));
		return 0;
	}
	if (s390ap_desc_build(x->desc, NULL, out, &err) < 0)
		return scn_desc_error(x, &err, by->pos);
	return 0;
}

int scn_build(struct apsim_ctx *x, const struct scn_cmd *by)
{
	s390ap_sys_opts so = x->spec.so;
	s390ap_machine *m = NULL;
	s390ap_sys *sys = NULL;
	int rc;

	if (x->sys)
		return 0;
	if (build_machine(x, by, &m) < 0)
		return -1;
	so.size = sizeof(so);
	so.machine = m;
	so.cost = x->spec.cost_set ? &x->spec.cost : NULL;
	if (x->opts->cap_memory && (so.mem_size == 0 || so.mem_size > x->opts->cap_memory))
		so.mem_size = x->opts->cap_memory;
	if (x->opts->cap_cpus && so.ncpus > x->opts->cap_cpus)
		so.ncpus = x->opts->cap_cpus;
	if (x->opts->trace) {
		so.trace = trace_line;
		so.trace_ctx = x;
	}
	rc = s390ap_sys_new(&sys, &so);
	if (rc < 0) {
		s390ap_machine_free(m);
		return scn_error(x, by->pos, "cannot create the system: %s", s390ap_strerror(rc));
	}
	/* s390ap_sys_new attached its storage to m for NIB writes */
	x->m = m;
	x->sys = sys;
	x->cpu = 0;
	return 0;
}

void scn_ctx_release(struct apsim_ctx *x)
{
	/* The matrix borrows the host and the machine, the host sits on the
	 * system, the system borrows the machine. */
	scn_matrix_release(x);
	scn_guests_release(x);
	s390ap_sys_free(x->sys);
	s390ap_machine_free(x->m);
	s390ap_desc_free(x->desc);
	free(x->faults);
	for (size_t k = 0; k < x->nfails; k++)
		free(x->fails[k].msg);
	free(x->fails);
	*x = (struct apsim_ctx){ .opts = x->opts };
}

#define DESC(word)                                                           \
	{                                                                    \
		word, SCN_F_SETUP, SCN_ARGS(SCN_FN(p_desc)), .run = run_desc \
	}

static const struct scn_form forms[] = {
	DESC("machine"),
	DESC("facilities"),
	DESC("na"),
	DESC("nd"),
	DESC("reset-cycles"),
	DESC("irq-cycles"),
	DESC("assoc-cycles"),
	DESC("cpu-determined"),
	DESC("adapter"),
	DESC("domain"),
	{ "memory", SCN_F_SETUP, SCN_ARGS(SCN_SIZE(64u << 10, 4ull << 30, "the storage size")),
	  .run = run_memory, .check = check_memory },
	{ "cpus", SCN_F_SETUP, SCN_ARGS(SCN_NUM(1, S390AP_MAX_CPUS, "the number of vCPUs")),
	  .run = run_cpus },
	{ "quantum", SCN_F_SETUP, SCN_ARGS(SCN_NUM(1, UINT32_MAX, "cycles per vCPU turn")),
	  .run = run_quantum },
	{ "cost", SCN_F_SETUP,
	  SCN_ARGS(SCN_WORDS(cost_names, "a cost class"), SCN_NUM(0, 1000000, "cycles")),
	  .run = run_cost },
};

const struct scn_area scn_area_setup = { forms, ARRAY_SIZE(forms), NULL, 0 };
