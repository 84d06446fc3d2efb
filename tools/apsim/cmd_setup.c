/* SPDX-License-Identifier: MIT */
/* apsim scenario area "setup": the machine statements.
 *
 * They describe the machine and the system before either exists; the first
 * command that needs the system (load, set, run, print, expect, ...) builds
 * both from the description (scn_build), and the parser rejects machine
 * statements after that point.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

/* The default machine, as s390ap_machine_new_default documents it
 * (machine.h).  When a scenario changes anything about the default machine
 * (facilities, another adapter, ...) apsim builds it from this description
 * with s390ap_machine_new; untouched, it calls s390ap_machine_new_default. */
static const struct {
	unsigned apid;
	uint8_t type;
	s390ap_mode mode;
} default_cards[] = {
	{ 0x03, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL },
	{ 0x04, S390AP_TYPE_CEX8, S390AP_MODE_CCA },
	{ 0x05, S390AP_TYPE_CEX7, S390AP_MODE_EP11 },
};
static const unsigned default_usage[] = { 0x06, 0x07, 0x47 };

/* Facilities of a machine created without facilities_set
 * (docs/ap-model.md: everything but RC8A and APSB). */
#define DEFAULT_FACILITIES (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_RC8A | S390AP_FAC_APSB))

static void spec_default_content(struct scn_spec *sp, struct scn_pos pos)
{
	sp->nad = 0;
	sp->ndom = 0;
	for (size_t k = 0; k < ARRAY_SIZE(default_usage); k++)
		sp->dom[sp->ndom++] = (struct scn_domain_spec){ default_usage[k], true, true, pos };
	sp->dom[sp->ndom++] = (struct scn_domain_spec){ 0, false, true, pos };
	for (size_t k = 0; k < ARRAY_SIZE(default_cards); k++)
		sp->ad[sp->nad++] = (struct scn_adapter_spec){
			.apid = default_cards[k].apid,
			.o = { .type = default_cards[k].type, .mode = default_cards[k].mode },
			.pos = pos,
		};
	sp->from_default = true;
}

static void spec_touch(struct apsim_ctx *x)
{
	struct scn_spec *sp = &x->spec;

	/* First statement: the description starts as the default machine. */
	if (!sp->modified && sp->from_default && sp->nad == 0)
		spec_default_content(sp, (struct scn_pos){ 0, 0 });
	sp->modified = true;
}

/* machine default|empty: a[0] = the machine checked first, a[1] = which. */
static int machine_first(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	(void)slot;
	if (p->machine_seen)
		return scn_error(p->x, c->pos,
				 "'machine' must be the first machine statement (it starts the "
				 "description over)");
	p->machine_seen = true;
	return 0;
}

static int run_machine(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_spec *sp = &x->spec;

	if (c->a[1].v == 0) {
		spec_default_content(sp, c->pos);
		sp->modified = false; /* still the plain default until changed */
	} else {
		sp->nad = sp->ndom = 0;
		sp->from_default = false;
		sp->modified = true;
	}
	sp->base_pos = c->pos;
	return 0;
}

/* facilities: a[0] = bits to set, a[1] = bits to clear, a[2] = the fixed
 * set the list starts from (given: all, none or default came last). */
static int p_facilities(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const char *const sets[] = { "all", "none", "default", NULL };
	static const uint64_t set_bits[] = { S390AP_FAC_ALL, 0, DEFAULT_FACILITIES };
	char names[256], what[400];
	size_t used = 0;

	(void)slot;
	names[0] = '\0';
	for (unsigned b = 0; b < 32 && used < sizeof(names); b++) {
		const char *n = s390ap_facility_name(1u << b);
		if (n)
			used += (size_t)snprintf(names + used, sizeof(names) - used, " %s", n);
	}
	if (scn_p_at_end(p)) {
		snprintf(what, sizeof(what),
			 "facilities (all, none, default or NAME, +NAME, -NAME "
			 "with NAME one of%s)",
			 names);
		return scn_p_expected(p, what);
	}
	while (!scn_p_at_end(p)) {
		const struct scn_tok *t = &p->tok[p->i];
		const char *s = t->s;
		size_t len = t->len;
		bool minus = false;
		uint32_t bit = 0;
		int k;

		for (k = 0; sets[k] && !scn_p_accept(p, sets[k]); k++)
			;
		if (sets[k]) {
			c->a[0].v = c->a[1].v = 0;
			c->a[2].v = set_bits[k];
			c->set |= 1u << 2;
			continue;
		}
		if (!t->quoted && len > 1 && (s[0] == '+' || s[0] == '-')) {
			minus = s[0] == '-';
			s++;
			len--;
		}
		for (unsigned b = 0; !t->quoted && b < 32; b++) {
			const char *n = s390ap_facility_name(1u << b);
			if (n && strlen(n) == len && !memcmp(n, s, len))
				bit = 1u << b;
		}
		if (!bit) {
			snprintf(what, sizeof(what),
				 "a facility (one of%s, with an optional + or -; "
				 "or all, none, default)",
				 names);
			return scn_p_expected(p, what);
		}
		c->a[minus].v |= bit;
		c->a[!minus].v &= ~(uint64_t)bit;
		p->i++;
	}
	return 0;
}

static int run_facilities(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_machine_opts *mo = &x->spec.mo;
	uint32_t f = mo->facilities_set ? mo->facilities : DEFAULT_FACILITIES;

	spec_touch(x);
	if (SCN_GIVEN(c, 2))
		f = (uint32_t)c->a[2].v;
	mo->facilities = (f | (uint32_t)c->a[0].v) & ~(uint32_t)c->a[1].v;
	mo->facilities_set = true;
	return 0;
}

/* Statements that set one field of the description from a[0]. */
#define SPEC_FIELD(fn, touch, field, type)                    \
	static int fn(struct apsim_ctx *x, struct scn_cmd *c) \
	{                                                     \
		if (touch)                                    \
			spec_touch(x);                        \
		x->spec.field = (type)c->a[0].v;              \
		return 0;                                     \
	}
SPEC_FIELD(run_na, true, mo.na, uint8_t)
SPEC_FIELD(run_nd, true, mo.nd, uint8_t)
SPEC_FIELD(run_reset_cycles, true, mo.reset_cycles, uint64_t)
SPEC_FIELD(run_irq_cycles, true, mo.irq_cycles, uint64_t)
SPEC_FIELD(run_assoc_cycles, true, mo.assoc_cycles, uint64_t)
SPEC_FIELD(run_memory, false, so.mem_size, uint64_t)
SPEC_FIELD(run_cpus, false, so.ncpus, unsigned)
SPEC_FIELD(run_quantum, false, so.quantum, uint64_t)

/* cpu-determined N | cpu-determined unlimited (a[0] not given) */
static int run_cpu_determined(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.cpu_determined = SCN_GIVEN(c, 0) ? (uint32_t)c->a[0].v : UINT32_MAX;
	return 0;
}

static int check_memory(struct scn_parser *p, struct scn_cmd *c)
{
	if (c->a[0].v % 4096)
		return scn_error(p->x, c->a[0].pos, "the storage size must be a multiple of 4 KiB");
	return 0;
}

/* ---- adapter, domain (also `inject add`) ---- */

/* adapter type: a number 10..14 or a name */
static int p_adapter_type(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const char *const types[] = { "CEX4", "CEX5", "CEX6", "CEX7", "CEX8", NULL };
	static const struct scn_arg num = SCN_NUM(S390AP_TYPE_CEX4, S390AP_TYPE_CEX8, "an AP type");
	static const struct scn_arg name = SCN_WORDS(types, "an adapter type");
	const struct scn_tok *t = &p->tok[p->i];

	if (!scn_p_at_end(p) && !t->quoted && t->len > 0 && t->s[0] >= '0' && t->s[0] <= '9')
		return scn_parse_arg(p, c, &num, slot);
	if (scn_parse_arg(p, c, &name, slot) < 0)
		return -1;
	c->a[slot].v += S390AP_TYPE_CEX4;
	return 0;
}

static const char *const adapter_words[] = { "type",  "mode",    "domains", "ml",
					     "depth", "latency", "fac",     NULL };
static const char *const modes[] = { "accel", "cca", "ep11", NULL };

const struct scn_props scn_adapter_props =
	SCN_PROPS_OF("an adapter property", "given twice", adapter_words, SCN_FN(p_adapter_type),
		     SCN_WORDS(modes, "an adapter mode"), SCN_NUM(1, 256, "the number of domains"),
		     SCN_NUM(1, 15, "ML (4 KiB units; below 4 means 12 KiB)"),
		     SCN_NUM(1, 16, "the queue depth"),
		     SCN_NUM(1, UINT64_MAX / 4, "the reply latency in cycles"),
		     SCN_NUM(0, UINT32_MAX, "a TAPQ facility word"));

static const char *const domain_words[] = { "usage", "control", NULL };

const struct scn_props scn_domain_props =
	SCN_PROPS_OF("a domain kind", "given twice", domain_words, SCN_NONE, SCN_NONE);

/* The adapter whose id is in a[k] and properties in a[k + 1 ...]. */
void scn_adapter_opts(const struct scn_cmd *c, unsigned k, s390ap_adapter_opts *o)
{
	const struct scn_val *v = &c->a[k + 1];

	*o = (s390ap_adapter_opts){
		S390AP_SIZED(s390ap_adapter_opts),
		.type = (uint8_t)v[0].v,
		.mode = (s390ap_mode)v[1].v,
		.domains = (uint16_t)v[2].v,
		.ml = (uint8_t)v[3].v,
		.depth = (uint8_t)v[4].v,
		.latency = v[5].v,
		.fac = (uint32_t)v[6].v,
		.fac_explicit = SCN_GIVEN(c, k + 7),
	};
}

/* Neither usage nor control said: both. */
void scn_domain_kind(const struct scn_cmd *c, unsigned k, bool *usage, bool *control)
{
	bool none = !SCN_GIVEN(c, k + 1) && !SCN_GIVEN(c, k + 2);

	*usage = none || SCN_GIVEN(c, k + 1);
	*control = none || SCN_GIVEN(c, k + 2);
}

/* An id already described: by the default machine or on an earlier line. */
static int defined_twice(struct apsim_ctx *x, const struct scn_cmd *c, const char *what,
			 struct scn_pos at)
{
	char id[8];

	snprintf(id, sizeof(id), what[0] == 'a' ? "%02x" : "%u", (unsigned)c->a[0].v);
	if (at.line == 0 || at.line == x->spec.base_pos.line)
		return scn_error(x, c->a[0].pos,
				 "%s %s is already part of the default machine (start with "
				 "'machine empty' to describe every %s)",
				 what, id, what);
	return scn_error(x, c->a[0].pos, "%s %s already defined on line %u", what, id, at.line);
}

static int run_adapter(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_spec *sp = &x->spec;
	struct scn_adapter_spec *a;

	spec_touch(x);
	for (unsigned k = 0; k < sp->nad; k++)
		if (sp->ad[k].apid == c->a[0].v)
			return defined_twice(x, c, "adapter", sp->ad[k].pos);
	a = &sp->ad[sp->nad++];
	*a = (struct scn_adapter_spec){ .apid = (unsigned)c->a[0].v, .pos = c->pos };
	scn_adapter_opts(c, 0, &a->o);
	return 0;
}

static int run_domain(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_spec *sp = &x->spec;
	struct scn_domain_spec *d;

	spec_touch(x);
	for (unsigned k = 0; k < sp->ndom; k++)
		if (sp->dom[k].apqi == c->a[0].v)
			return defined_twice(x, c, "domain", sp->dom[k].pos);
	d = &sp->dom[sp->ndom++];
	*d = (struct scn_domain_spec){ .apqi = (unsigned)c->a[0].v, .pos = c->pos };
	scn_domain_kind(c, 0, &d->usage, &d->control);
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

/* Ids over 63 / 15 fail without APXA: say why. */
static const char *apxa_hint(const s390ap_machine_opts *mo, int rc)
{
	if (rc == S390AP_ERANGE && mo->facilities_set && !(mo->facilities & S390AP_FAC_APXA))
		return " (without APXA, ids go up to 63 / 15)";
	return "";
}

static int build_machine(struct apsim_ctx *x, const struct scn_cmd *by, s390ap_machine **out)
{
	struct scn_spec *sp = &x->spec;
	s390ap_machine_opts mo = sp->mo;
	s390ap_machine *m;
	int rc;

	if (!sp->modified) {
		rc = s390ap_machine_new_default(out, NULL);
		if (rc < 0)
			return scn_error(x, by->pos, "cannot create the default machine: %s",
					 s390ap_strerror(rc));
		return 0;
	}
	mo.size = sizeof(mo);
	rc = s390ap_machine_new(&m, &mo);
	if (rc == S390AP_ERANGE)
		return scn_error(
			x, by->pos,
			"cannot create the machine: Na/Nd over 63/15 need the APXA facility");
	if (rc < 0)
		return scn_error(x, by->pos, "cannot create the machine: %s", s390ap_strerror(rc));
	/* the domains, then the adapters */
	for (unsigned k = 0; k < sp->ndom + sp->nad; k++) {
		const struct scn_domain_spec *d = k < sp->ndom ? &sp->dom[k] : NULL;
		const struct scn_adapter_spec *a = d ? NULL : &sp->ad[k - sp->ndom];
		struct scn_pos pos = d ? d->pos : a->pos;

		rc = d ? s390ap_domain_add(m, d->apqi, d->usage, d->control)
		       : s390ap_adapter_add(m, a->apid, &a->o);
		if (rc < 0) {
			scn_error(x, pos.line ? pos : by->pos, "cannot add %s %u: %s%s",
				  d ? "domain" : "adapter", d ? d->apqi : a->apid,
				  s390ap_machine_errmsg(m), apxa_hint(&sp->mo, rc));
			s390ap_machine_free(m);
			return -1;
		}
	}
	*out = m;
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
	free(x->faults);
	for (size_t k = 0; k < x->nfails; k++)
		free(x->fails[k].msg);
	free(x->fails);
	*x = (struct apsim_ctx){ .opts = x->opts };
}

#define SETUP (SCN_F_SETUP | SCN_F_MACH)
static const char *const machines[] = { "default", "empty", NULL };
#define CYCLES SCN_ARGS(SCN_NUM(1, UINT64_MAX / 4, "a number of cycles"))

static const struct scn_form forms[] = {
	{ "machine", SCN_F_SETUP, SCN_ARGS(SCN_FN(machine_first), SCN_WORDS(machines, "a machine")),
	  .run = run_machine },
	{ "facilities", SETUP, SCN_ARGS(SCN_FN(p_facilities)), .run = run_facilities },
	{ "na", SETUP, SCN_ARGS(SCN_NUM(1, 255, "Na, the largest adapter id")), .run = run_na },
	{ "nd", SETUP, SCN_ARGS(SCN_NUM(1, 255, "Nd, the largest domain id")), .run = run_nd },
	{ "reset-cycles", SETUP, CYCLES, .run = run_reset_cycles },
	{ "irq-cycles", SETUP, CYCLES, .run = run_irq_cycles },
	{ "assoc-cycles", SETUP, CYCLES, .run = run_assoc_cycles },
	{ "cpu-determined", SETUP,
	  SCN_ARGS(SCN_NUM(1, UINT32_MAX - 1, "bytes per NQAP/DQAP execution (or 'unlimited')")),
	  .run = run_cpu_determined },
	{ "cpu-determined unlimited", SETUP, NULL, .run = run_cpu_determined },
	{ "adapter", SETUP,
	  SCN_ARGS(SCN_NUM(0, 255, "an adapter id"), SCN_PROPS(&scn_adapter_props)),
	  .run = run_adapter },
	{ "domain", SETUP, SCN_ARGS(SCN_NUM(0, 255, "a domain id"), SCN_PROPS(&scn_domain_props)),
	  .run = run_domain },
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
