/* apsim scenario area "setup": the machine statements.
 *
 * They describe the machine and the system before either exists; the first
 * command that needs the system (load, set, run, print, expect, ...) builds
 * both from the description (scn_build), and the parser rejects machine
 * statements after that point.
 *
 *   machine default|empty
 *   facilities ITEM...        all | none | default | NAME | +NAME | -NAME
 *   na N / nd N               QCI Na / Nd (1..255)
 *   reset-cycles N, irq-cycles N, assoc-cycles N
 *   cpu-determined N|unlimited
 *   adapter APID [type T] [mode M] [domains N] [ml N] [depth N] [latency N] [fac HEX]
 *   domain APQI [usage] [control]
 *   memory SIZE, cpus N, quantum N, cost CLASS N
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
	for (size_t k = 0; k < sizeof(default_usage) / sizeof(default_usage[0]); k++)
		sp->dom[sp->ndom++] = (struct scn_domain_spec){ default_usage[k], true, true, pos };
	sp->dom[sp->ndom++] = (struct scn_domain_spec){ 0, false, true, pos };
	for (size_t k = 0; k < sizeof(default_cards) / sizeof(default_cards[0]); k++)
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

/* ---- machine default|empty ---- */

static int parse_machine(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const kinds[] = { "default", "empty", NULL };

	if (p->machine_seen)
		return scn_error(p->x, c->pos,
				 "'machine' must be the first machine statement (it starts the "
				 "description over)");
	p->machine_seen = true;
	return scn_p_choice(p, kinds, &c->sub, "a machine");
}

static int exec_machine(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_spec *sp = &x->spec;

	if (c->sub == 0) {
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

/* Every machine statement but `machine` itself counts as "seen". */
static void seen(struct scn_parser *p)
{
	p->machine_seen = true;
}

/* ---- facilities ---- */

/* c->v[0] = bits to set, v[1] = bits to clear, sub = 1 when the list
 * starts from a fixed set given in v[2]. */
static int parse_facilities(struct scn_parser *p, struct scn_cmd *c)
{
	char names[256];
	size_t used = 0;

	seen(p);
	names[0] = '\0';
	for (unsigned b = 0; b < 32; b++) {
		const char *n = s390ap_facility_name(1u << b);
		if (n)
			used += (size_t)snprintf(names + used, sizeof(names) - used, " %s", n);
		if (used >= sizeof(names))
			break;
	}
	if (scn_p_at_end(p)) {
		char what[400];

		snprintf(what, sizeof(what), "facilities (all, none, default or NAME, +NAME, -NAME "
			 "with NAME one of%s)", names);
		return scn_p_expected(p, what);
	}
	while (!scn_p_at_end(p)) {
		const struct scn_tok *t = &p->tok[p->i];
		const char *s = t->s;
		size_t len = t->len;
		bool minus = false;
		uint32_t bit = 0;

		if (!t->quoted && len == 3 && !memcmp(s, "all", 3)) {
			c->sub = 1, c->v[2] = S390AP_FAC_ALL, c->v[0] = c->v[1] = 0;
			p->i++;
			continue;
		}
		if (!t->quoted && len == 4 && !memcmp(s, "none", 4)) {
			c->sub = 1, c->v[2] = 0, c->v[0] = c->v[1] = 0;
			p->i++;
			continue;
		}
		if (!t->quoted && len == 7 && !memcmp(s, "default", 7)) {
			c->sub = 1, c->v[2] = DEFAULT_FACILITIES, c->v[0] = c->v[1] = 0;
			p->i++;
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
			char what[400];

			snprintf(what, sizeof(what), "a facility (one of%s, with an optional + or -; "
				 "or all, none, default)", names);
			return scn_p_expected(p, what);
		}
		if (minus) {
			c->v[1] |= bit;
			c->v[0] &= ~(uint64_t)bit;
		} else {
			c->v[0] |= bit;
			c->v[1] &= ~(uint64_t)bit;
		}
		p->i++;
	}
	return 0;
}

static int exec_facilities(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_machine_opts *mo = &x->spec.mo;
	uint32_t f = mo->facilities_set ? mo->facilities : DEFAULT_FACILITIES;

	spec_touch(x);
	if (c->sub)
		f = (uint32_t)c->v[2];
	f = (f | (uint32_t)c->v[0]) & ~(uint32_t)c->v[1];
	mo->facilities = f;
	mo->facilities_set = true;
	return 0;
}

/* ---- na, nd, cycles, cpu-determined ---- */

static int parse_na(struct scn_parser *p, struct scn_cmd *c)
{
	seen(p);
	return scn_p_slot(p, c, 0, 1, 255, "Na, the largest adapter id");
}

static int exec_na(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.na = (uint8_t)c->v[0];
	return 0;
}

static int parse_nd(struct scn_parser *p, struct scn_cmd *c)
{
	seen(p);
	return scn_p_slot(p, c, 0, 1, 255, "Nd, the largest domain id");
}

static int exec_nd(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.nd = (uint8_t)c->v[0];
	return 0;
}

static int parse_cycles(struct scn_parser *p, struct scn_cmd *c)
{
	seen(p);
	return scn_p_slot(p, c, 0, 1, UINT64_MAX / 4, "a number of cycles");
}

static int exec_reset_cycles(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.reset_cycles = c->v[0];
	return 0;
}

static int exec_irq_cycles(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.irq_cycles = c->v[0];
	return 0;
}

static int exec_assoc_cycles(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.assoc_cycles = c->v[0];
	return 0;
}

static int parse_cpu_determined(struct scn_parser *p, struct scn_cmd *c)
{
	seen(p);
	if (scn_p_accept(p, "unlimited")) {
		c->v[0] = UINT32_MAX;
		return 0;
	}
	return scn_p_slot(p, c, 0, 1, UINT32_MAX - 1,
			  "bytes per NQAP/DQAP execution (or 'unlimited')");
}

static int exec_cpu_determined(struct apsim_ctx *x, struct scn_cmd *c)
{
	spec_touch(x);
	x->spec.mo.cpu_determined = (uint32_t)c->v[0];
	return 0;
}

/* ---- adapter ---- */

enum { AD_APID, AD_TYPE, AD_MODE, AD_DOMAINS, AD_ML, AD_DEPTH, AD_LATENCY, AD_FAC };

int scn_parse_adapter(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const keys[] = { "type", "mode", "domains", "ml", "depth",
					    "latency", "fac", NULL };
	static const char *const types[] = { "CEX4", "CEX5", "CEX6", "CEX7", "CEX8", NULL };
	static const char *const modes[] = { "accel", "cca", "ep11", NULL };

	if (scn_p_slot(p, c, AD_APID, 0, 255, "an adapter id") < 0)
		return -1;
	while (!scn_p_at_end(p)) {
		struct scn_pos kpos = scn_p_pos(p);
		int k, v;

		if (scn_p_choice(p, keys, &k, "an adapter property") < 0)
			return -1;
		if (c->set & (1u << (k + 1)))
			return scn_error(p->x, kpos, "'%s' given twice", keys[k]);
		switch (k + 1) {
		case AD_TYPE:
			c->vpos[AD_TYPE] = scn_p_pos(p);
			if (!scn_p_at_end(p) && !p->tok[p->i].quoted && p->tok[p->i].len > 0 &&
			    p->tok[p->i].s[0] >= '0' && p->tok[p->i].s[0] <= '9') {
				if (scn_p_slot(p, c, AD_TYPE, S390AP_TYPE_CEX4, S390AP_TYPE_CEX8,
					       "an AP type") < 0)
					return -1;
				break;
			}
			if (scn_p_choice(p, types, &v, "an adapter type") < 0)
				return -1;
			c->v[AD_TYPE] = S390AP_TYPE_CEX4 + (unsigned)v;
			c->set |= 1u << AD_TYPE;
			break;
		case AD_MODE:
			c->vpos[AD_MODE] = scn_p_pos(p);
			if (scn_p_choice(p, modes, &v, "an adapter mode") < 0)
				return -1;
			c->v[AD_MODE] = (unsigned)v;
			c->set |= 1u << AD_MODE;
			break;
		case AD_DOMAINS:
			if (scn_p_slot(p, c, AD_DOMAINS, 1, 256, "the number of domains") < 0)
				return -1;
			break;
		case AD_ML:
			if (scn_p_slot(p, c, AD_ML, 1, 15, "ML (4 KiB units; below 4 means 12 KiB)") < 0)
				return -1;
			break;
		case AD_DEPTH:
			if (scn_p_slot(p, c, AD_DEPTH, 1, 16, "the queue depth") < 0)
				return -1;
			break;
		case AD_LATENCY:
			if (scn_p_slot(p, c, AD_LATENCY, 1, UINT64_MAX / 4, "the reply latency in cycles") < 0)
				return -1;
			break;
		case AD_FAC:
			if (scn_p_slot(p, c, AD_FAC, 0, UINT32_MAX, "a TAPQ facility word") < 0)
				return -1;
			break;
		}
	}
	return 0;
}

void scn_adapter_opts(const struct scn_cmd *c, s390ap_adapter_opts *o)
{
	*o = (s390ap_adapter_opts){
		.type = (uint8_t)c->v[AD_TYPE],
		.mode = (s390ap_mode)c->v[AD_MODE],
		.domains = (uint16_t)c->v[AD_DOMAINS],
		.ml = (uint8_t)c->v[AD_ML],
		.depth = (uint8_t)c->v[AD_DEPTH],
		.latency = c->v[AD_LATENCY],
	};
	if (c->set & (1u << AD_FAC)) {
		o->fac = (uint32_t)c->v[AD_FAC];
		o->fac_explicit = true;
	}
}

static int parse_adapter(struct scn_parser *p, struct scn_cmd *c)
{
	seen(p);
	return scn_parse_adapter(p, c);
}

static int exec_adapter(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_spec *sp = &x->spec;
	struct scn_adapter_spec *a;

	spec_touch(x);
	for (unsigned k = 0; k < sp->nad; k++) {
		if (sp->ad[k].apid != c->v[AD_APID])
			continue;
		if (sp->ad[k].pos.line == 0 || sp->ad[k].pos.line == sp->base_pos.line)
			return scn_error(x, c->vpos[AD_APID],
					 "adapter %02" PRIx64 " is already part of the default machine "
					 "(start with 'machine empty' to describe every adapter)",
					 c->v[AD_APID]);
		return scn_error(x, c->vpos[AD_APID], "adapter %02" PRIx64 " already defined on line %u",
				 c->v[AD_APID], sp->ad[k].pos.line);
	}
	a = &sp->ad[sp->nad++];
	*a = (struct scn_adapter_spec){ .apid = (unsigned)c->v[AD_APID], .pos = c->pos };
	scn_adapter_opts(c, &a->o);
	return 0;
}

/* ---- domain ---- */

int scn_parse_domain(struct scn_parser *p, struct scn_cmd *c)
{
	if (scn_p_slot(p, c, 0, 0, 255, "a domain id") < 0)
		return -1;
	while (!scn_p_at_end(p)) {
		static const char *const kinds[] = { "usage", "control", NULL };
		struct scn_pos kpos = scn_p_pos(p);
		int k;

		if (scn_p_choice(p, kinds, &k, "a domain kind") < 0)
			return -1;
		if (c->sub & (1 << k))
			return scn_error(p->x, kpos, "'%s' given twice", kinds[k]);
		c->sub |= 1 << k;
	}
	if (c->sub == 0)
		c->sub = 3; /* neither said: usage and control */
	return 0;
}

static int parse_domain(struct scn_parser *p, struct scn_cmd *c)
{
	seen(p);
	return scn_parse_domain(p, c);
}

static int exec_domain(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_spec *sp = &x->spec;

	spec_touch(x);
	for (unsigned k = 0; k < sp->ndom; k++) {
		if (sp->dom[k].apqi != c->v[0])
			continue;
		if (sp->dom[k].pos.line == 0 || sp->dom[k].pos.line == sp->base_pos.line)
			return scn_error(x, c->vpos[0],
					 "domain %" PRIu64 " is already part of the default machine "
					 "(start with 'machine empty' to describe every domain)",
					 c->v[0]);
		return scn_error(x, c->vpos[0], "domain %" PRIu64 " already defined on line %u",
				 c->v[0], sp->dom[k].pos.line);
	}
	sp->dom[sp->ndom++] = (struct scn_domain_spec){ (unsigned)c->v[0], (c->sub & 1) != 0,
							(c->sub & 2) != 0, c->pos };
	return 0;
}

/* ---- memory, cpus, quantum, cost ---- */

static int parse_memory(struct scn_parser *p, struct scn_cmd *c)
{
	if (scn_p_size(p, 64u << 10, 4ull << 30, &c->v[0], &c->vpos[0], "the storage size") < 0)
		return -1;
	if (c->v[0] % 4096)
		return scn_error(p->x, c->vpos[0], "the storage size must be a multiple of 4 KiB");
	return 0;
}

static int exec_memory(struct apsim_ctx *x, struct scn_cmd *c)
{
	x->spec.so.mem_size = c->v[0];
	return 0;
}

static int parse_cpus(struct scn_parser *p, struct scn_cmd *c)
{
	return scn_p_slot(p, c, 0, 1, S390AP_MAX_CPUS, "the number of vCPUs");
}

static int exec_cpus(struct apsim_ctx *x, struct scn_cmd *c)
{
	x->spec.so.ncpus = (unsigned)c->v[0];
	return 0;
}

static int parse_quantum(struct scn_parser *p, struct scn_cmd *c)
{
	return scn_p_slot(p, c, 0, 1, UINT32_MAX, "cycles per vCPU turn");
}

static int exec_quantum(struct apsim_ctx *x, struct scn_cmd *c)
{
	x->spec.so.quantum = c->v[0];
	return 0;
}

static const char *const cost_names[] = {
	"simple", "branch", "load-store", "multiple", "per-256-bytes", "control", "diag",
	"interruption", "ap-interpreted", "ap-intercept", "sie-entry", "sie-exit",
	"vsie-entry", "vsie-exit", NULL,
};

static uint32_t *cost_field(s390ap_cost_model *cm, int k)
{
	uint32_t *f[] = {
		&cm->simple, &cm->branch, &cm->load_store, &cm->multiple, &cm->per_256_bytes,
		&cm->control, &cm->diag, &cm->interruption, &cm->ap_interpreted,
		&cm->ap_intercept, &cm->sie_entry, &cm->sie_exit, &cm->vsie_entry,
		&cm->vsie_exit,
	};

	return (unsigned)k < sizeof(f) / sizeof(f[0]) ? f[k] : NULL;
}

static int parse_cost(struct scn_parser *p, struct scn_cmd *c)
{
	if (scn_p_choice(p, cost_names, &c->sub, "a cost class") < 0)
		return -1;
	return scn_p_slot(p, c, 0, 0, 1000000, "cycles");
}

static int exec_cost(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint32_t *f;

	if (!x->spec.cost_set) {
		x->spec.cost = s390ap_cost_default();
		x->spec.cost_set = true;
	}
	f = cost_field(&x->spec.cost, c->sub);
	if (f)
		*f = (uint32_t)c->v[0];
	return 0;
}

/* ------------------------------------------------------------------ */
/* Building the machine and the system                                 */
/* ------------------------------------------------------------------ */

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
	fprintf(x->out, "%10" PRIu64 " %u %016" PRIx64 " %-12s %s\n", cycle,
		s390ap_cpu_index(cpu), psw->addr, hex, name);
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
	s390ap_machine *m;
	int rc;

	if (!sp->modified) {
		rc = s390ap_machine_new_default(&m, NULL);
		if (rc < 0)
			return scn_error(x, by->pos, "cannot create the default machine: %s",
					 s390ap_strerror(rc));
		*out = m;
		return 0;
	}
	rc = s390ap_machine_new(&m, &sp->mo);
	if (rc < 0) {
		if (rc == S390AP_ERANGE)
			return scn_error(x, by->pos,
					 "cannot create the machine: Na/Nd over 63/15 need the APXA "
					 "facility");
		return scn_error(x, by->pos, "cannot create the machine: %s", s390ap_strerror(rc));
	}
	for (unsigned k = 0; k < sp->ndom; k++) {
		const struct scn_domain_spec *d = &sp->dom[k];

		rc = s390ap_domain_add(m, d->apqi, d->usage, d->control);
		if (rc < 0) {
			struct scn_pos pos = d->pos.line ? d->pos : by->pos;

			scn_error(x, pos, "cannot add domain %u: %s%s", d->apqi,
				  s390ap_machine_errmsg(m), apxa_hint(&sp->mo, rc));
			s390ap_machine_free(m);
			return -1;
		}
	}
	for (unsigned k = 0; k < sp->nad; k++) {
		const struct scn_adapter_spec *a = &sp->ad[k];

		rc = s390ap_adapter_add(m, a->apid, &a->o);
		if (rc < 0) {
			struct scn_pos pos = a->pos.line ? a->pos : by->pos;

			scn_error(x, pos, "cannot add adapter %u: %s%s", a->apid,
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
	/* The system borrows the machine: free it first. */
	s390ap_sys_free(x->sys);
	s390ap_machine_free(x->m);
	x->sys = NULL;
	x->m = NULL;
	free(x->faults);
	x->faults = NULL;
	x->nfaults = x->capfaults = 0;
	for (size_t k = 0; k < x->nfails; k++)
		free(x->fails[k].msg);
	free(x->fails);
	x->fails = NULL;
	x->nfails = x->capfails = 0;
}

static const struct scn_cmd_def setup_cmds[] = {
	{ "machine", SCN_F_SETUP, parse_machine, exec_machine, "machine default|empty" },
	{ "facilities", SCN_F_SETUP, parse_facilities, exec_facilities,
	  "facilities all|none|default|NAME|+NAME|-NAME..." },
	{ "na", SCN_F_SETUP, parse_na, exec_na, "na N" },
	{ "nd", SCN_F_SETUP, parse_nd, exec_nd, "nd N" },
	{ "reset-cycles", SCN_F_SETUP, parse_cycles, exec_reset_cycles, "reset-cycles N" },
	{ "irq-cycles", SCN_F_SETUP, parse_cycles, exec_irq_cycles, "irq-cycles N" },
	{ "assoc-cycles", SCN_F_SETUP, parse_cycles, exec_assoc_cycles, "assoc-cycles N" },
	{ "cpu-determined", SCN_F_SETUP, parse_cpu_determined, exec_cpu_determined,
	  "cpu-determined N|unlimited" },
	{ "adapter", SCN_F_SETUP, parse_adapter, exec_adapter,
	  "adapter APID [type T] [mode M] [domains N] [ml N] [depth N] [latency N] [fac W]" },
	{ "domain", SCN_F_SETUP, parse_domain, exec_domain, "domain APQI [usage] [control]" },
	{ "memory", SCN_F_SETUP, parse_memory, exec_memory, "memory SIZE" },
	{ "cpus", SCN_F_SETUP, parse_cpus, exec_cpus, "cpus N" },
	{ "quantum", SCN_F_SETUP, parse_quantum, exec_quantum, "quantum N" },
	{ "cost", SCN_F_SETUP, parse_cost, exec_cost, "cost CLASS N" },
};

const struct scn_area scn_area_setup = { setup_cmds, sizeof(setup_cmds) / sizeof(setup_cmds[0]) };
