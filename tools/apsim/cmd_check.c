/* SPDX-License-Identifier: MIT */
/* apsim scenario area "check": echo, print, expect; the statistics
 * (--stats, print stats) and the results (--json).
 *
 * An expectation is a form with a getter: the getter says what the value
 * is called and returns it, scn_expect_value compares it with the last
 * two slots (OP VALUE).  OP is one of == != < <= > >=.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "scn.h"

#define PRINT_MAX_STORAGE 65536

/* ---- echo ---- */

/* The rest of the line, tokens joined by one blank: text, a[0] = length. */
static int p_rest(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	size_t total = 1;
	char *s;

	for (size_t k = p->i; k < p->ntok; k++)
		total += p->tok[k].len + 1;
	s = malloc(total);
	if (!s)
		return scn_error(p->x, c->pos, "out of memory");
	total = 0;
	for (; p->i < p->ntok; p->i++) {
		const struct scn_tok *t = &p->tok[p->i];

		if (total)
			s[total++] = ' ';
		memcpy(s + total, t->s, t->len);
		total += t->len;
	}
	s[total] = '\0';
	c->text = s;
	c->a[slot].v = total;
	return 0;
}

static int run_echo(struct apsim_ctx *x, struct scn_cmd *c)
{
	fwrite(c->text, 1, c->a[0].v, x->out);
	fputc('\n', x->out);
	return 0;
}

/* ---- print ---- */

/* print gr N...: a[0] = a bit per register */
static int p_grs(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const struct scn_arg reg = SCN_NUM(0, 15, "a register number");

	do {
		if (scn_parse_arg(p, c, &reg, slot + 1) < 0)
			return -1;
		c->a[slot].v |= 1u << c->a[slot + 1].v;
	} while (!scn_p_at_end(p));
	return 0;
}

/* len bytes of storage at a[0] in a fresh buffer, or NULL after an error. */
static uint8_t *read_storage(struct apsim_ctx *x, const struct scn_cmd *c, size_t len)
{
	uint64_t size = s390ap_mem_size(s390ap_sys_mem(x->sys)), addr = c->a[0].v;
	uint8_t *buf = malloc(len ? len : 1);

	if (!buf)
		scn_error(x, c->pos, "out of memory");
	else if (addr > size || len > size - addr)
		scn_error(x, c->a[0].pos,
			  "%zu bytes at 0x%" PRIx64 " are outside storage (0x%" PRIx64 " bytes)",
			  len, addr, size);
	else if (s390ap_storage_read(s390ap_sys_storage(x->sys), addr, buf, len) < 0)
		scn_error(x, c->a[0].pos, "cannot read storage at 0x%" PRIx64, addr);
	else
		return buf;
	free(buf);
	return NULL;
}

/* Printers that need nothing but the system. */
#define PRINTER(fn, call)                                     \
	static int fn(struct apsim_ctx *x, struct scn_cmd *c) \
	{                                                     \
		(void)c;                                      \
		call;                                         \
		return 0;                                     \
	}
PRINTER(print_regs, apsim_list_cpu(x->out, scn_cpu(x), scn_guest(x),
				   scn_guest(x) ? x->vms[x->vcpu_vm[x->cpu]].name : NULL))
PRINTER(print_stats, scn_print_stats(x, x->out))
PRINTER(print_queue, apsim_list_queue(x->out, x->m, (uint16_t)c->a[0].v))
PRINTER(print_lszcrypt, apsim_list_machine(x->out, x->m, S390AP_LIST_LSZCRYPT))
PRINTER(print_sysfs,
	apsim_list_machine(x->out, x->m, c->a[0].v ? S390AP_LIST_SYSFS_POLLING : S390AP_LIST_SYSFS))

static int print_gr(struct apsim_ctx *x, struct scn_cmd *c)
{
	const char *sep = "";

	for (unsigned r = 0; r < 16; r++) {
		if (!(c->a[0].v & (1u << r)))
			continue;
		fprintf(x->out, "%sGR%u %016" PRIx64, sep, r, scn_gr(x, r));
		sep = "  ";
	}
	fputc('\n', x->out);
	return 0;
}

static int print_sw(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_cpu *cpu = scn_cpu(x);
	char sw[32];

	(void)c;
	(void)cpu;
	fprintf(x->out, "cc %u  GR1 status %s\n", scn_cc(x),
		apsim_sw_text((uint32_t)scn_gr(x, 1), sw, sizeof(sw)));
	return 0;
}

static int print_storage(struct apsim_ctx *x, struct scn_cmd *c)
{
	uint8_t *buf = read_storage(x, c, c->a[1].v);

	if (!buf)
		return -1;
	apsim_hexdump(x->out, c->a[0].v, buf, c->a[1].v);
	free(buf);
	return 0;
}

/* ---- expect ---- */

/* The fields of an info structure, in the order of their names: offset
 * and size (0: computed by the getter). */
struct field {
	unsigned short off, size;
};

/* clang-format off */
#define QF(f) { offsetof(s390ap_queue_info, f), sizeof(((s390ap_queue_info *)0)->f) }
#define AF(f) { offsetof(s390ap_adapter_info, f), sizeof(((s390ap_adapter_info *)0)->f) }
#define SF(f) { offsetof(s390ap_cpu_stats, f), 8 }

static const char *const queue_names[] = {
	"exists", "requests", "replies", "pending", "capacity", "irq", "irq-changing", "isc",
	"nib", "reset", "bs", "async-rc", "enqueued", "dequeued", "resets",
	"use", "driver", /* the matrix's, words: cmd_matrix.c */
	NULL,
};
#define QUEUE_USE 15 /* and QUEUE_USE + 1, driver */
static const struct field queue_fields[] = {
	QF(exists), QF(requests), QF(replies), { 0, 0 } /* requests + replies */, QF(capacity),
	QF(irq_enabled), QF(irq_change_pending), QF(isc), QF(nib), QF(reset_pending), QF(bs),
	QF(async_rc), QF(enqueued), QF(dequeued), QF(resets),
};

static const char *const adapter_names[] = {
	"present", "configured", "checkstopped", "type", "mode", "domains", "ml", "depth",
	"latency", "requests", "fac", NULL,
};
static const struct field adapter_fields[] = {
	AF(present), AF(configured), AF(checkstopped), AF(type), AF(mode), AF(domains), AF(ml),
	AF(depth), AF(latency), AF(requests), AF(fac),
};

static const char *const stat_names[] = {
	"instructions", "cycles", "pgm", "io", "ap-interpreted", "ap-intercepted", "ap-vsie",
	"clock", NULL,
};
/* "clock" is the machine's, not a per-vCPU figure */
static const struct field stat_fields[] = {
	SF(instructions), SF(cycles), SF(pgm_interruptions), SF(io_interruptions),
	SF(ap_path[S390AP_PATH_INTERPRETED]), SF(ap_path[S390AP_PATH_INTERCEPTED]),
	SF(ap_path[S390AP_PATH_VSIE]), { 0, 0 },
};
/* clang-format on */

/* An unsigned field of any size. */
static uint64_t field_value(const void *base, const struct field *f)
{
	const unsigned char *p = (const unsigned char *)base + f->off;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (f->size) {
	case 1:
		memcpy(&u8, p, 1);
		return u8;
	case 2:
		memcpy(&u16, p, 2);
		return u16;
	case 4:
		memcpy(&u32, p, 4);
		return u32;
	default:
		memcpy(&u64, p, 8);
		return u64;
	}
}

int scn_check(struct apsim_ctx *x, const struct scn_cmd *c, const char *what, uint64_t actual)
{
	enum scn_cmp cmp = (enum scn_cmp)c->a[c->n - 2].v;
	uint64_t want = c->a[c->n - 1].v;

	if (scn_cmp_eval(cmp, actual, want)) {
		x->passed++;
		return 0;
	}
	if (actual < 10 && want < 10)
		return scn_expect_failed(x, c, "%s is %" PRIu64 ", expected %s %" PRIu64, what,
					 actual, scn_cmp_text(cmp), want);
	if (actual < 1000000)
		return scn_expect_failed(x, c,
					 "%s is 0x%" PRIx64 " (%" PRIu64
					 "), expected %s 0x%" PRIx64,
					 what, actual, actual, scn_cmp_text(cmp), want);
	return scn_expect_failed(x, c, "%s is 0x%" PRIx64 ", expected %s 0x%" PRIx64, what, actual,
				 scn_cmp_text(cmp), want);
}

int scn_expect_value(struct apsim_ctx *x, struct scn_cmd *c)
{
	char what[96];
	uint64_t v = 0;
	int rc = c->form->get(x, c, &v, what, sizeof(what));

	return rc ? rc : scn_check(x, c, what, v);
}

/* Getters: a[0] (and a[1]) are the operands before OP VALUE. */
#define GETTER(fn)                                                                           \
	static int fn(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t *v, char *what, \
		      size_t size)

GETTER(get_gr)
{
	uint64_t mask = SCN_GIVEN(c, 2) ? c->a[2].v : UINT64_MAX;

	if (SCN_GIVEN(c, 2))
		snprintf(what, size, "GR%" PRIu64 " & 0x%" PRIx64, c->a[0].v, mask);
	else
		snprintf(what, size, "GR%" PRIu64, c->a[0].v);
	*v = scn_gr(x, (unsigned)c->a[0].v) & mask;
	return 0;
}

/* Getters of one call, described by one snprintf. */
#define GET(fn, value, ...)                        \
	GETTER(fn)                                 \
	{                                          \
		(void)x, (void)c;                  \
		snprintf(what, size, __VA_ARGS__); \
		*v = (value);                      \
		return 0;                          \
	}
GET(get_cr, scn_cr(x, (unsigned)c->a[0].v), "CR%" PRIu64, c->a[0].v)
GET(get_cc, scn_cc(x), "the cc%s", "")
GET(get_irq_count, s390ap_machine_irq_count(x->m, (unsigned)c->a[0].v),
    "the interruption count of ISC %" PRIu64, c->a[0].v)
GET(get_irq_pending, (s390ap_machine_irq_pending(x->m) & (0x80u >> c->a[0].v)) ? 1 : 0,
    "pending for ISC %" PRIu64, c->a[0].v)
GET(get_pgm_count, s390ap_sys_pgm_count(x->sys, (uint16_t)c->a[0].v),
    "the count of program interruptions 0x%04" PRIx64, c->a[0].v)
GET(get_rc_count, s390ap_machine_rc_count(x->m, (uint8_t)c->a[0].v),
    "the count of response code 0x%02" PRIx64, c->a[0].v)
GET(get_insn_count, s390ap_sys_insn_executed(x->sys, (unsigned)c->a[0].v), "the count of %s",
    s390ap_insn_name((unsigned)c->a[0].v))

GETTER(get_psw)
{
	s390ap_psw psw;

	scn_psw(x, &psw);
	snprintf(what, size, c->a[0].v ? "the PSW mask" : "the PSW address");
	*v = c->a[0].v ? psw.mask : psw.addr;
	return 0;
}

GETTER(get_queue)
{
	uint16_t apqn = (uint16_t)c->a[0].v;
	const struct field *f;
	s390ap_queue_info qi;

	if (c->a[1].v >= QUEUE_USE)
		return scn_expect_queue_use(x, c);
	f = &queue_fields[c->a[1].v];

	snprintf(what, size, "queue %02x.%04x %s", S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn),
		 queue_names[c->a[1].v]);
	if (s390ap_queue_info_get(x->m, apqn, &qi) != 0)
		qi = (s390ap_queue_info){ .exists = false };
	if (!qi.exists && c->a[1].v != 0)
		return scn_expect_failed(x, c, "queue %02x.%04x does not exist",
					 S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn));
	*v = f->size ? field_value(&qi, f) : (uint64_t)qi.requests + qi.replies;
	return 0;
}

/* A number, or for `use` and `driver` a word. */
static int p_queue_value(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const struct scn_arg num = SCN_NUM(0, UINT64_MAX, "a value");

	if (c->a[1].v >= QUEUE_USE)
		return scn_p_queue_use(p, c, slot);
	return scn_parse_arg(p, c, &num, slot);
}

GETTER(get_adapter)
{
	const struct field *f = &adapter_fields[c->a[1].v];
	s390ap_adapter_info ai;

	snprintf(what, size, "adapter %02" PRIx64 " %s", c->a[0].v, adapter_names[c->a[1].v]);
	if (s390ap_adapter_info_get(x->m, (unsigned)c->a[0].v, &ai) != 0)
		ai = (s390ap_adapter_info){ .present = false };
	if (!ai.present && c->a[1].v != 0)
		return scn_expect_failed(x, c, "adapter %02" PRIx64 " does not exist", c->a[0].v);
	*v = field_value(&ai, f);
	return 0;
}

GETTER(get_exit)
{
	s390ap_cpu *cpu = scn_cpu(x);
	s390ap_cpu_state st = s390ap_cpu_state_get(cpu);

	if (st != S390AP_CPU_HALTED && st != S390AP_CPU_STOPPED)
		return scn_expect_failed(x, c, "vCPU %u has not exited (it is %s)", x->cpu,
					 apsim_state_name(st));
	snprintf(what, size, "the exit value");
	*v = s390ap_cpu_exit_value(cpu);
	return 0;
}

GETTER(get_stat)
{
	const struct field *f = &stat_fields[c->a[0].v];
	s390ap_cpu_stats st;

	if (s390ap_sys_stats(x->sys, &st) < 0)
		return scn_error(x, c->pos, "no statistics: %s", s390ap_sys_errmsg(x->sys));
	snprintf(what, size, "stat %s", stat_names[c->a[0].v]);
	*v = f->size ? field_value(&st, f) : s390ap_sys_cycles(x->sys);
	return 0;
}

/* insn-count MNEMONIC: a[slot] = the instruction id */
static int p_mnemonic(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = &p->tok[p->i];
	unsigned n = s390ap_insn_count(), k;

	if (scn_p_at_end(p) || t->quoted)
		return scn_p_expected(p, "an instruction mnemonic (LGHI, PQAP, ...)");
	for (k = 0; k < n; k++) {
		const char *name = s390ap_insn_name(k);

		if (name && strlen(name) == t->len && !strncmp(name, t->s, t->len))
			break;
	}
	if (k >= n)
		return scn_error(p->x, scn_p_pos(p),
				 "'%.*s' is not an instruction the dispatcher knows "
				 "(mnemonics in capitals, as in docs/cpu.md)",
				 (int)(t->len > 40 ? 40 : t->len), t->s);
	p->i++;
	c->a[slot].v = k;
	return 0;
}

/* state [==|!=] NAME: a[0] = the comparison, a[1] = the state */
static int p_state_cmp(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	c->a[slot].v = scn_p_accept(p, "!=") ? SCN_NE : SCN_EQ;
	if (c->a[slot].v == SCN_EQ)
		scn_p_accept(p, "==");
	return 0;
}

static int expect_state(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_cpu_state st = s390ap_cpu_state_get(scn_cpu(x));

	if (((uint64_t)st == c->a[1].v) == (c->a[0].v == SCN_EQ)) {
		x->passed++;
		return 0;
	}
	return scn_expect_failed(x, c, "vCPU %u is %s", x->cpu, apsim_state_name(st));
}

/* storage ADDR ==|!= BYTES... | file PATH: a[2] = 1 for a file (text) */
static int p_storage_data(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const struct scn_arg path = SCN_TEXT("a file path");
	static const struct scn_arg hex = SCN_HEX(PRINT_MAX_STORAGE);

	if (!scn_p_accept(p, "file"))
		return scn_parse_arg(p, c, &hex, slot);
	if (scn_parse_arg(p, c, &path, slot) < 0)
		return -1;
	c->a[slot].v = 1;
	return 0;
}

static int storage_compare(struct apsim_ctx *x, const struct scn_cmd *c, const uint8_t *want,
			   size_t n)
{
	uint8_t *buf = read_storage(x, c, n);
	char got[3 * 16 + 1];
	size_t at = 0, show;
	bool eq = c->a[1].v == SCN_EQ;

	if (!buf)
		return -1;
	if ((memcmp(buf, want, n) == 0) == eq) {
		x->passed++;
		free(buf);
		return 0;
	}
	if (!eq) {
		free(buf);
		return scn_expect_failed(x, c, "the %zu bytes at 0x%" PRIx64 " are equal", n,
					 c->a[0].v);
	}
	while (buf[at] == want[at])
		at++;
	show = n - at < 16 ? n - at : 16;
	for (size_t k = 0; k < show; k++)
		snprintf(got + 3 * k, sizeof(got) - 3 * k, "%s%02x", k ? " " : "", buf[at + k]);
	free(buf);
	return scn_expect_failed(x, c, "byte 0x%" PRIx64 " differs: storage has %s%s",
				 c->a[0].v + at, got, n - at > 16 ? " ..." : "");
}

static int expect_storage(struct apsim_ctx *x, struct scn_cmd *c)
{
	char *data;
	size_t len;
	int rc;

	if (!c->a[2].v)
		return storage_compare(x, c, c->bytes, c->nbytes);
	if (scn_read_path(x, c->a[2].pos, c->text, &data, &len) < 0)
		return -1;
	rc = storage_compare(x, c, (const uint8_t *)data, len);
	free(data);
	return rc;
}

/* ---- Statistics (--stats, print stats) and results (--json) ---- */

/* The per-id counters of --stats and --json: AP response codes, AP
 * program exceptions, adapter interruptions.  Ids print as 0x%0*x (width
 * digits) or, width 0, decimal. */
static const struct counter {
	const char *label, *key, *prefix;
	unsigned first, end, width;
} counters[] = {
	{ "  AP response codes      ", "ap_rc", "", 0, 256, 2 },
	{ "  AP program exceptions  ", "ap_pgm", "", 1, 0x80, 4 },
	{ "  adapter interruptions  ", "irq", "ISC ", 0, 8, 0 },
};

static uint64_t counter_value(struct apsim_ctx *x, size_t k, unsigned id)
{
	if (k == 0)
		return s390ap_machine_rc_count(x->m, (uint8_t)id);
	if (k == 1)
		return s390ap_machine_pgm_count(x->m, (uint16_t)id);
	return s390ap_machine_irq_count(x->m, id);
}

/* Each counter to the text (out) or the JSON (j) statistics. */
static void print_counters(struct apsim_ctx *x, FILE *out, apsim_json *j)
{
	char key[16];

	for (size_t k = 0; k < ARRAY_SIZE(counters); k++) {
		const struct counter *ct = &counters[k];
		bool any = false;

		if (j) {
			apsim_json_key(j, ct->key);
			apsim_json_object_begin(j);
		} else {
			fputs(ct->label, out);
		}
		for (unsigned id = ct->first; id < ct->end; id++) {
			uint64_t n = counter_value(x, k, id);

			if (!n)
				continue;
			if (ct->width)
				snprintf(key, sizeof(key), "0x%0*x", (int)ct->width, id);
			else
				snprintf(key, sizeof(key), "%u", id);
			if (j)
				apsim_json_kv_u64(j, key, n);
			else
				fprintf(out, " %s%s: %" PRIu64, ct->prefix, key, n);
			any = true;
		}
		if (j)
			apsim_json_object_end(j);
		else
			fprintf(out, "%s\n", any ? "" : " none");
	}
}

void scn_print_stats(struct apsim_ctx *x, FILE *out)
{
	s390ap_cpu_stats st;
	unsigned n = s390ap_insn_count();

	if (s390ap_sys_stats(x->sys, &st) < 0)
		return;
	fprintf(out, "statistics (%u vCPU%s)\n", s390ap_sys_ncpus(x->sys),
		s390ap_sys_ncpus(x->sys) == 1 ? "" : "s");
	fprintf(out, "  instructions            %" PRIu64 "\n", st.instructions);
	fprintf(out, "  cycles                  %" PRIu64 " (clock %" PRIu64 ")\n", st.cycles,
		s390ap_sys_cycles(x->sys));
	fprintf(out, "  program interruptions   %" PRIu64 "\n", st.pgm_interruptions);
	fprintf(out, "  I/O interruptions       %" PRIu64 "\n", st.io_interruptions);
	fprintf(out,
		"  AP instructions         interpreted %" PRIu64 ", intercepted %" PRIu64
		", vSIE %" PRIu64 "\n",
		st.ap_path[S390AP_PATH_INTERPRETED], st.ap_path[S390AP_PATH_INTERCEPTED],
		st.ap_path[S390AP_PATH_VSIE]);
	fprintf(out, "  per instruction\n");
	for (unsigned id = 0; id < n; id++) {
		uint64_t k = s390ap_sys_insn_executed(x->sys, id);
		if (k)
			fprintf(out, "    %-10s %" PRIu64 "\n", s390ap_insn_name(id), k);
	}
	print_counters(x, out, NULL);
	scn_print_guest_stats(x, out);
}

static void json_pos(apsim_json *j, struct scn_pos pos)
{
	apsim_json_kv_u64(j, "line", pos.line);
	apsim_json_kv_u64(j, "column", pos.col);
}

static void json_stats(struct apsim_ctx *x, apsim_json *j)
{
	s390ap_cpu_stats st;
	unsigned n = s390ap_insn_count();

	if (s390ap_sys_stats(x->sys, &st) < 0) {
		apsim_json_null(j);
		return;
	}
	apsim_json_object_begin(j);
	apsim_json_kv_u64(j, "instructions", st.instructions);
	apsim_json_kv_u64(j, "cycles", st.cycles);
	apsim_json_kv_u64(j, "pgm_interruptions", st.pgm_interruptions);
	apsim_json_kv_u64(j, "io_interruptions", st.io_interruptions);
	apsim_json_key(j, "ap_paths");
	apsim_json_object_begin(j);
	apsim_json_kv_u64(j, "interpreted", st.ap_path[S390AP_PATH_INTERPRETED]);
	apsim_json_kv_u64(j, "intercepted", st.ap_path[S390AP_PATH_INTERCEPTED]);
	apsim_json_kv_u64(j, "vsie", st.ap_path[S390AP_PATH_VSIE]);
	apsim_json_object_end(j);
	apsim_json_key(j, "insns");
	apsim_json_object_begin(j);
	for (unsigned id = 0; id < n; id++) {
		uint64_t k = s390ap_sys_insn_executed(x->sys, id);
		if (k && s390ap_insn_name(id))
			apsim_json_kv_u64(j, s390ap_insn_name(id), k);
	}
	apsim_json_object_end(j);
	print_counters(x, NULL, j);
	apsim_json_object_end(j);
}

/* Why the last `run` returned. */
static const char *const stop_names[] = {
	[S390AP_STOP_ALL_DONE] = "all-done",
	[S390AP_STOP_INSNS] = "instructions",
	[S390AP_STOP_CYCLE] = "cycle",
	[S390AP_STOP_IDLE] = "idle",
};

void scn_json_result(struct apsim_ctx *x, int status)
{
	apsim_json *j = x->opts->json;

	apsim_json_object_begin(j);
	apsim_json_kv_string(j, "file", x->name);
	apsim_json_kv_string(j, "status",
			     status == APSIM_EXIT_OK       ? "pass"
			     : status == APSIM_EXIT_FAILED ? "fail"
							   : "error");
	apsim_json_kv_u64(j, "exit", (uint64_t)status);
	apsim_json_key(j, "expectations");
	apsim_json_object_begin(j);
	apsim_json_kv_u64(j, "passed", x->passed);
	apsim_json_kv_u64(j, "failed", x->failed);
	apsim_json_object_end(j);
	apsim_json_key(j, "failures");
	apsim_json_array_begin(j);
	for (size_t k = 0; k < x->nfails; k++) {
		apsim_json_object_begin(j);
		json_pos(j, x->fails[k].pos);
		apsim_json_kv_string(j, "message", x->fails[k].msg);
		apsim_json_object_end(j);
	}
	apsim_json_array_end(j);
	apsim_json_key(j, "error");
	if (x->errored) {
		apsim_json_object_begin(j);
		json_pos(j, x->errpos);
		apsim_json_kv_string(j, "message", x->errmsg);
		apsim_json_object_end(j);
	} else {
		apsim_json_null(j);
	}
	apsim_json_key(j, "cpus");
	apsim_json_array_begin(j);
	for (unsigned k = 0; x->sys && k < s390ap_sys_ncpus(x->sys); k++) {
		s390ap_cpu *cpu = s390ap_sys_cpu(x->sys, k);
		s390ap_cpu_state st = s390ap_cpu_state_get(cpu);
		unsigned cur = x->cpu;
		uint64_t gr[16];
		s390ap_psw psw;

		x->cpu = k; /* a guest's registers where a guest runs */
		scn_psw(x, &psw);
		for (unsigned r = 0; r < 16; r++)
			gr[r] = scn_gr(x, r);
		x->cpu = cur;
		apsim_json_object_begin(j);
		apsim_json_kv_u64(j, "cpu", k);
		if (x->vcpu[k])
			apsim_json_kv_string(j, "guest", x->vms[x->vcpu_vm[k]].name);
		apsim_json_kv_string(j, "state", apsim_state_name(st));
		apsim_json_key(j, "exit");
		if (st == S390AP_CPU_HALTED || st == S390AP_CPU_STOPPED)
			apsim_json_hex(j, s390ap_cpu_exit_value(cpu));
		else
			apsim_json_null(j);
		apsim_json_key(j, "psw");
		apsim_json_array_begin(j);
		apsim_json_hex(j, psw.mask);
		apsim_json_hex(j, psw.addr);
		apsim_json_array_end(j);
		apsim_json_kv_u64(j, "cc",
				  x->vcpu[k] ? (psw.mask >> S390AP_PSW_CC_SHIFT) & 3
					     : s390ap_cpu_cc(cpu));
		apsim_json_key(j, "gr");
		apsim_json_array_begin(j);
		for (unsigned r = 0; r < 16; r++)
			apsim_json_hex(j, gr[r]);
		apsim_json_array_end(j);
		apsim_json_object_end(j);
	}
	apsim_json_array_end(j);
	apsim_json_key(j, "guests");
	scn_json_guests(x, j);
	apsim_json_kv_u64(j, "cycles", x->sys ? s390ap_sys_cycles(x->sys) : 0);
	apsim_json_key(j, "last_run");
	if (x->ran)
		apsim_json_string(j, stop_names[x->last_stop]);
	else
		apsim_json_null(j);
	apsim_json_key(j, "stats");
	if (x->sys)
		json_stats(x, j);
	else
		apsim_json_null(j);
	apsim_json_object_end(j);
}

#define S SCN_F_SYS
#define ADDR(w) SCN_NUM(0, UINT64_MAX, w)
#define U64 ADDR("a 64-bit value")
#define COUNT ADDR("a count")
#define REG SCN_NUM(0, 15, "a register number")
#define ISC SCN_NUM(0, 7, "an interruption subclass")

static const char *const psw_parts[] = { "addr", "mask", NULL };

static const struct scn_form forms[] = {
	{ "echo", 0, SCN_ARGS(SCN_FN(p_rest)), .run = run_echo },
	{ "print config", S, NULL, .run = scn_print_config },
	{ "print regs", S, NULL, .run = print_regs },
	{ "print gr", S, SCN_ARGS(SCN_FN(p_grs)), .run = print_gr },
	{ "print sw", S, NULL, .run = print_sw },
	{ "print storage", S,
	  SCN_ARGS(ADDR("a storage address"), SCN_NUM(1, PRINT_MAX_STORAGE, "a length in bytes")),
	  .run = print_storage },
	{ "print queue", S, SCN_ARGS(SCN_APQN), .run = print_queue },
	{ "print lszcrypt", S, NULL, .run = print_lszcrypt },
	{ "print sysfs", S, SCN_ARGS(SCN_FLAG("polling")), .run = print_sysfs },
	{ "print stats", S, NULL, .run = print_stats },
	{ "print reply", S, SCN_ARGS(ADDR("the address of the reply")), .run = scn_reply_print },
	{ "expect gr", S,
	  SCN_ARGS(REG, SCN_FLAG("&"), SCN_NUM_IF(0, UINT64_MAX, "a mask"), SCN_CMP, U64),
	  .get = get_gr },
	{ "expect cr", S, SCN_ARGS(REG, SCN_CMP, U64), .get = get_cr },
	{ "expect cc", S, SCN_ARGS(SCN_CMP, SCN_NUM(0, 3, "a condition code")), .get = get_cc },
	{ "expect psw", S, SCN_ARGS(SCN_WORDS(psw_parts, "a PSW part"), SCN_CMP, U64),
	  .get = get_psw },
	{ "expect storage", S,
	  SCN_ARGS(ADDR("a storage address"), SCN_CMPEQ, SCN_FN(p_storage_data)),
	  .run = expect_storage },
	{ "expect queue", S,
	  SCN_ARGS(SCN_APQN, SCN_WORDS(queue_names, "a queue field"), SCN_CMP,
		   SCN_FN(p_queue_value)),
	  .get = get_queue },
	{ "expect adapter", S,
	  SCN_ARGS(SCN_NUM(0, 255, "an adapter id"), SCN_WORDS(adapter_names, "an adapter field"),
		   SCN_CMP, ADDR("a value")),
	  .get = get_adapter },
	{ "expect irq-count", S, SCN_ARGS(ISC, SCN_CMP, COUNT), .get = get_irq_count },
	{ "expect irq-pending", S, SCN_ARGS(ISC, SCN_CMP, COUNT), .get = get_irq_pending },
	{ "expect state", S,
	  SCN_ARGS(SCN_FN(p_state_cmp), SCN_WORDS(apsim_state_names, "a vCPU state")),
	  .run = expect_state },
	{ "expect exit", S, SCN_ARGS(SCN_CMP, ADDR("an exit value")), .get = get_exit },
	{ "expect pgm-count", S,
	  SCN_ARGS(SCN_NUM(1, 0x7f, "a program-interruption code"), SCN_CMP, COUNT),
	  .get = get_pgm_count },
	{ "expect rc-count", S, SCN_ARGS(SCN_NUM(0, 255, "a response code"), SCN_CMP, COUNT),
	  .get = get_rc_count },
	{ "expect insn-count", S, SCN_ARGS(SCN_FN(p_mnemonic), SCN_CMP, COUNT),
	  .get = get_insn_count },
	{ "expect stat", S, SCN_ARGS(SCN_WORDS(stat_names, "a statistic"), SCN_CMP, COUNT),
	  .get = get_stat },
	{ "expect reply", S,
	  SCN_ARGS(ADDR("the address of the reply"), SCN_WORDS(scn_reply_fields, "a reply field"),
		   SCN_CMP, SCN_FN(scn_reply_value)),
	  .run = scn_reply_expect },
};

static const struct scn_group groups[] = {
	{ "print", "what to print", NULL },
	{ "expect", "what to expect", NULL },
};

const struct scn_area scn_area_check = SCN_AREA(forms, groups);
