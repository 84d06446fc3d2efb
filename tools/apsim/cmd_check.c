/* apsim scenario area "check": output and expectations.
 *
 *   echo [TEXT...]
 *   print config | regs | gr N... | sw | storage ADDR LEN | queue AA.DDDD | stats
 *       | reply ADDR
 *   expect gr N [& MASK] OP V     expect cr N OP V      expect cc OP N
 *   expect psw addr|mask OP V     expect storage ADDR ==|!= BYTES...
 *   expect queue AA.DDDD FIELD OP V
 *   expect adapter APID FIELD OP V
 *   expect irq-count ISC OP N     expect irq-pending ISC OP N
 *   expect state [==|!=] NAME     expect exit OP V
 *   expect pgm-count CODE OP N    expect rc-count RC OP N
 *   expect insn-count MNEMONIC OP N
 *   expect stat NAME OP N
 *   expect reply ADDR FIELD OP V  (reply.c: type code length rc rs data-length result)
 *
 * OP is one of == != < <= > >=.  Also: scn_print_stats (--stats) and
 * scn_json_result (--json).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "scn.h"

/* ---- echo ---- */

static int parse_echo(struct scn_parser *p, struct scn_cmd *c)
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
	c->v[0] = total;
	return 0;
}

static int exec_echo(struct apsim_ctx *x, struct scn_cmd *c)
{
	fwrite(c->text, 1, c->v[0], x->out);
	fputc('\n', x->out);
	return 0;
}

/* ---- print ---- */

enum { PR_CONFIG, PR_REGS, PR_GR, PR_SW, PR_STORAGE, PR_QUEUE, PR_STATS, PR_REPLY };

#define PRINT_MAX_STORAGE 65536

static int parse_print(struct scn_parser *p, struct scn_cmd *c)
{
	static const char *const what[] = { "config", "regs", "gr", "sw", "storage",
					    "queue", "stats", "reply", NULL };

	if (scn_p_choice(p, what, &c->sub, "what to print") < 0)
		return -1;
	switch (c->sub) {
	case PR_GR:
		do {
			uint64_t r;

			if (scn_p_number(p, 0, 15, &r, NULL, "a register number") < 0)
				return -1;
			c->v[0] |= 1u << r;
		} while (!scn_p_at_end(p));
		return 0;
	case PR_STORAGE:
		if (scn_p_slot(p, c, 0, 0, UINT64_MAX, "a storage address") < 0)
			return -1;
		return scn_p_slot(p, c, 1, 1, PRINT_MAX_STORAGE, "a length in bytes");
	case PR_QUEUE:
		return scn_p_apqn(p, c, 0);
	case PR_REPLY:
		return scn_p_slot(p, c, 0, 0, UINT64_MAX, "the address of the reply");
	default:
		return 0;
	}
}

static int read_storage(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t addr, size_t len,
			uint8_t *buf)
{
	uint64_t size = s390ap_mem_size(s390ap_sys_mem(x->sys));

	if (addr > size || len > size - addr)
		return scn_error(x, c->vpos[0],
				 "%zu bytes at 0x%" PRIx64 " are outside storage (0x%" PRIx64 " bytes)",
				 len, addr, size);
	if (s390ap_storage_read(s390ap_sys_storage(x->sys), addr, buf, len) < 0)
		return scn_error(x, c->vpos[0], "cannot read storage at 0x%" PRIx64, addr);
	return 0;
}

static int exec_print(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_cpu *cpu = scn_cpu(x);
	uint8_t *buf;
	char sw[32];

	switch (c->sub) {
	case PR_CONFIG:
		apsim_list_config(x->out, x->m);
		break;
	case PR_REGS:
		apsim_list_cpu(x->out, cpu);
		break;
	case PR_GR: {
		const uint64_t *gr = s390ap_cpu_gr(cpu);
		const char *sep = "";

		for (unsigned r = 0; r < 16; r++) {
			if (!(c->v[0] & (1u << r)))
				continue;
			fprintf(x->out, "%sGR%u %016" PRIx64, sep, r, gr[r]);
			sep = "  ";
		}
		fputc('\n', x->out);
		break;
	}
	case PR_SW:
		fprintf(x->out, "cc %u  GR1 status %s\n", s390ap_cpu_cc(cpu),
			apsim_sw_text((uint32_t)s390ap_cpu_gr(cpu)[1], sw, sizeof(sw)));
		break;
	case PR_STORAGE:
		buf = malloc(c->v[1]);
		if (!buf)
			return scn_error(x, c->pos, "out of memory");
		if (read_storage(x, c, c->v[0], c->v[1], buf) < 0) {
			free(buf);
			return -1;
		}
		apsim_hexdump(x->out, c->v[0], buf, c->v[1]);
		free(buf);
		break;
	case PR_QUEUE:
		apsim_list_queue(x->out, x->m, (uint16_t)c->v[0]);
		break;
	case PR_STATS:
		scn_print_stats(x, x->out);
		break;
	case PR_REPLY:
		return scn_exec_reply_print(x, c);
	}
	return 0;
}

/* ---- expect ---- */

enum {
	EX_GR,
	EX_CR,
	EX_CC,
	EX_PSW,
	EX_STORAGE,
	EX_QUEUE,
	EX_ADAPTER,
	EX_IRQ_COUNT,
	EX_IRQ_PENDING,
	EX_STATE,
	EX_EXIT,
	EX_PGM_COUNT,
	EX_RC_COUNT,
	EX_INSN_COUNT,
	EX_STAT,
	EX_REPLY,
};

static const char *const expect_what[] = {
	"gr", "cr", "cc", "psw", "storage", "queue", "adapter", "irq-count", "irq-pending",
	"state", "exit", "pgm-count", "rc-count", "insn-count", "stat", "reply", NULL,
};

static const char *const queue_fields[] = {
	"exists", "requests", "replies", "pending", "capacity", "irq", "irq-changing", "isc",
	"nib", "reset", "bs", "async-rc", "enqueued", "dequeued", "resets", NULL,
};

static const char *const adapter_fields[] = {
	"present", "configured", "checkstopped", "type", "mode", "domains", "ml", "depth",
	"latency", "requests", "fac", NULL,
};

static const char *const stat_names[] = {
	"instructions", "cycles", "pgm", "io", "ap-interpreted", "ap-intercepted", "ap-vsie",
	"clock", NULL,
};

static const char *const state_names[] = {
	"running", "halted", "wait", "stopped", "checkstop", NULL,
};

/* Layout: sub = what; sel = field/selector; v[0] = first operand (register,
 * address, APQN, ISC, code), v[1] = mask (gr &), v[2] = the expected value. */
static int parse_value(struct scn_parser *p, struct scn_cmd *c, uint64_t max, const char *what)
{
	if (scn_p_cmp(p, &c->cmp) < 0)
		return -1;
	return scn_p_slot(p, c, 2, 0, max, what);
}

static int parse_expect(struct scn_parser *p, struct scn_cmd *c)
{
	int k;

	if (scn_p_choice(p, expect_what, &c->sub, "what to expect") < 0)
		return -1;
	switch (c->sub) {
	case EX_GR:
		if (scn_p_slot(p, c, 0, 0, 15, "a register number") < 0)
			return -1;
		c->v[1] = UINT64_MAX;
		if (scn_p_accept(p, "&") && scn_p_slot(p, c, 1, 0, UINT64_MAX, "a mask") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a 64-bit value");
	case EX_CR:
		if (scn_p_slot(p, c, 0, 0, 15, "a register number") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a 64-bit value");
	case EX_CC:
		return parse_value(p, c, 3, "a condition code");
	case EX_PSW: {
		static const char *const parts[] = { "addr", "mask", NULL };

		if (scn_p_choice(p, parts, &c->sel, "a PSW part") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a 64-bit value");
	}
	case EX_STORAGE:
		if (scn_p_slot(p, c, 0, 0, UINT64_MAX, "a storage address") < 0)
			return -1;
		if (scn_p_cmp(p, &c->cmp) < 0)
			return -1;
		if (c->cmp != SCN_EQ && c->cmp != SCN_NE)
			return scn_error(p->x, c->pos, "storage compares with == or != only");
		if (scn_p_accept(p, "file")) {
			c->sel = 1;
			return scn_p_text(p, &c->text, &c->vpos[1], "a file path");
		}
		return scn_p_hexbytes(p, c, PRINT_MAX_STORAGE);
	case EX_QUEUE:
		if (scn_p_apqn(p, c, 0) < 0)
			return -1;
		if (scn_p_choice(p, queue_fields, &c->sel, "a queue field") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a value");
	case EX_ADAPTER:
		if (scn_p_slot(p, c, 0, 0, 255, "an adapter id") < 0)
			return -1;
		if (scn_p_choice(p, adapter_fields, &c->sel, "an adapter field") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a value");
	case EX_IRQ_COUNT:
	case EX_IRQ_PENDING:
		if (scn_p_slot(p, c, 0, 0, 7, "an interruption subclass") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a count");
	case EX_STATE:
		c->cmp = SCN_EQ;
		if (scn_p_accept(p, "!="))
			c->cmp = SCN_NE;
		else
			scn_p_accept(p, "==");
		return scn_p_choice(p, state_names, &c->sel, "a vCPU state");
	case EX_EXIT:
		return parse_value(p, c, UINT64_MAX, "an exit value");
	case EX_PGM_COUNT:
		if (scn_p_slot(p, c, 0, 1, 0x7f, "a program-interruption code") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a count");
	case EX_RC_COUNT:
		if (scn_p_slot(p, c, 0, 0, 255, "a response code") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a count");
	case EX_INSN_COUNT: {
		struct scn_pos pos = scn_p_pos(p);
		const struct scn_tok *t;
		unsigned n = s390ap_insn_count();

		if (scn_p_at_end(p) || p->tok[p->i].quoted)
			return scn_p_expected(p, "an instruction mnemonic (LGHI, PQAP, ...)");
		t = &p->tok[p->i];
		for (k = 0; (unsigned)k < n; k++) {
			const char *name = s390ap_insn_name((unsigned)k);

			if (name && strlen(name) == t->len && !strncmp(name, t->s, t->len))
				break;
		}
		if ((unsigned)k >= n)
			return scn_error(p->x, pos,
					 "'%.*s' is not an instruction the dispatcher knows "
					 "(mnemonics in capitals, as in docs/cpu.md)",
					 (int)(t->len > 40 ? 40 : t->len), t->s);
		p->i++;
		c->sel = k;
		return parse_value(p, c, UINT64_MAX, "a count");
	}
	case EX_STAT:
		if (scn_p_choice(p, stat_names, &c->sel, "a statistic") < 0)
			return -1;
		return parse_value(p, c, UINT64_MAX, "a count");
	case EX_REPLY:
		return scn_parse_reply_expect(p, c);
	}
	return 0;
}

static uint64_t queue_field(const s390ap_queue_info *q, int sel)
{
	switch (sel) {
	case 0:
		return q->exists;
	case 1:
		return q->requests;
	case 2:
		return q->replies;
	case 3:
		return (uint64_t)q->requests + q->replies;
	case 4:
		return q->capacity;
	case 5:
		return q->irq_enabled;
	case 6:
		return q->irq_change_pending;
	case 7:
		return q->isc;
	case 8:
		return q->nib;
	case 9:
		return q->reset_pending;
	case 10:
		return q->bs;
	case 11:
		return q->async_rc;
	case 12:
		return q->enqueued;
	case 13:
		return q->dequeued;
	default:
		return q->resets;
	}
}

static uint64_t adapter_field(const s390ap_adapter_info *a, int sel)
{
	switch (sel) {
	case 0:
		return a->present;
	case 1:
		return a->configured;
	case 2:
		return a->checkstopped;
	case 3:
		return a->type;
	case 4:
		return (uint64_t)a->mode;
	case 5:
		return a->domains;
	case 6:
		return a->ml;
	case 7:
		return a->depth;
	case 8:
		return a->latency;
	case 9:
		return a->requests;
	default:
		return a->fac;
	}
}

static uint64_t stat_value(const s390ap_cpu_stats *st, int sel)
{
	switch (sel) {
	case 0:
		return st->instructions;
	case 1:
		return st->cycles;
	case 2:
		return st->pgm_interruptions;
	case 3:
		return st->io_interruptions;
	case 4:
		return st->ap_path[S390AP_PATH_INTERPRETED];
	case 5:
		return st->ap_path[S390AP_PATH_INTERCEPTED];
	default:
		return st->ap_path[S390AP_PATH_VSIE];
	}
}

#define STAT_CLOCK 7 /* the machine's clock, not a per-vCPU figure */

/* Compare, count, and report "WHAT is ACTUAL, expected OP WANT". */
static int check(struct apsim_ctx *x, const struct scn_cmd *c, const char *what, uint64_t actual)
{
	uint64_t want = c->v[2];

	if (scn_cmp_eval(c->cmp, actual, want)) {
		x->passed++;
		return 0;
	}
	if (actual < 10 && want < 10)
		return scn_expect_failed(x, c, "%s is %" PRIu64 ", expected %s %" PRIu64, what,
					 actual, scn_cmp_text(c->cmp), want);
	if (actual < 1000000)
		return scn_expect_failed(x, c, "%s is 0x%" PRIx64 " (%" PRIu64 "), expected %s 0x%" PRIx64,
					 what, actual, actual, scn_cmp_text(c->cmp), want);
	return scn_expect_failed(x, c, "%s is 0x%" PRIx64 ", expected %s 0x%" PRIx64, what, actual,
				 scn_cmp_text(c->cmp), want);
}

int scn_check(struct apsim_ctx *x, const struct scn_cmd *c, const char *what, uint64_t actual)
{
	return check(x, c, what, actual);
}

/* Compare storage at c->v[0] with want[0..n). */
static int storage_compare(struct apsim_ctx *x, const struct scn_cmd *c, const uint8_t *want,
			   size_t n)
{
	uint8_t *buf = malloc(n ? n : 1);
	char got[3 * 16 + 1];
	size_t at = 0, show;
	bool same;

	if (!buf)
		return scn_error(x, c->pos, "out of memory");
	if (read_storage(x, c, c->v[0], n, buf) < 0) {
		free(buf);
		return -1;
	}
	same = memcmp(buf, want, n) == 0;
	if (same == (c->cmp == SCN_EQ)) {
		x->passed++;
		free(buf);
		return 0;
	}
	if (c->cmp == SCN_NE) {
		free(buf);
		return scn_expect_failed(x, c, "the %zu bytes at 0x%" PRIx64 " are equal", n, c->v[0]);
	}
	while (buf[at] == want[at])
		at++;
	show = n - at < 16 ? n - at : 16;
	for (size_t k = 0; k < show; k++)
		snprintf(got + 3 * k, sizeof(got) - 3 * k, "%s%02x", k ? " " : "", buf[at + k]);
	free(buf);
	return scn_expect_failed(x, c, "byte 0x%" PRIx64 " differs: storage has %s%s",
				 c->v[0] + at, got, n - at > 16 ? " ..." : "");
}

static int expect_storage(struct apsim_ctx *x, const struct scn_cmd *c)
{
	char *data;
	size_t len;
	int rc;

	if (!c->sel)
		return storage_compare(x, c, c->bytes, c->nbytes);
	if (scn_read_path(x, c->vpos[1], c->text, &data, &len) < 0)
		return -1;
	rc = storage_compare(x, c, (const uint8_t *)data, len);
	free(data);
	return rc;
}

static int exec_expect(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_cpu *cpu = scn_cpu(x);
	char what[64];
	s390ap_psw psw;
	s390ap_cpu_stats st;
	s390ap_queue_info qi;
	s390ap_adapter_info ai;
	s390ap_cpu_state state;
	uint16_t apqn;

	switch (c->sub) {
	case EX_GR:
		if (c->set & 2)
			snprintf(what, sizeof(what), "GR%" PRIu64 " & 0x%" PRIx64, c->v[0], c->v[1]);
		else
			snprintf(what, sizeof(what), "GR%" PRIu64, c->v[0]);
		return check(x, c, what, s390ap_cpu_gr(cpu)[c->v[0]] & c->v[1]);
	case EX_CR:
		snprintf(what, sizeof(what), "CR%" PRIu64, c->v[0]);
		return check(x, c, what, s390ap_cpu_cr(cpu, (unsigned)c->v[0]));
	case EX_CC:
		return check(x, c, "the cc", s390ap_cpu_cc(cpu));
	case EX_PSW:
		s390ap_cpu_psw(cpu, &psw);
		return check(x, c, c->sel ? "the PSW mask" : "the PSW address",
			     c->sel ? psw.mask : psw.addr);
	case EX_STORAGE:
		return expect_storage(x, c);
	case EX_QUEUE:
		apqn = (uint16_t)c->v[0];
		snprintf(what, sizeof(what), "queue %02x.%04x %s", S390AP_APQN_APID(apqn),
			 S390AP_APQN_APQI(apqn), queue_fields[c->sel]);
		if (s390ap_queue_info_get(x->m, apqn, &qi) != 0)
			qi = (s390ap_queue_info){ .exists = false };
		if (!qi.exists && c->sel != 0)
			return scn_expect_failed(x, c, "queue %02x.%04x does not exist",
						 S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn));
		return check(x, c, what, queue_field(&qi, c->sel));
	case EX_ADAPTER:
		snprintf(what, sizeof(what), "adapter %02" PRIx64 " %s", c->v[0],
			 adapter_fields[c->sel]);
		if (s390ap_adapter_info_get(x->m, (unsigned)c->v[0], &ai) != 0)
			ai = (s390ap_adapter_info){ .present = false };
		if (!ai.present && c->sel != 0)
			return scn_expect_failed(x, c, "adapter %02" PRIx64 " does not exist", c->v[0]);
		return check(x, c, what, adapter_field(&ai, c->sel));
	case EX_IRQ_COUNT:
		snprintf(what, sizeof(what), "the interruption count of ISC %" PRIu64, c->v[0]);
		return check(x, c, what, s390ap_machine_irq_count(x->m, (unsigned)c->v[0]));
	case EX_IRQ_PENDING:
		snprintf(what, sizeof(what), "pending for ISC %" PRIu64, c->v[0]);
		return check(x, c, what,
			     (s390ap_machine_irq_pending(x->m) & (0x80u >> c->v[0])) ? 1 : 0);
	case EX_STATE:
		state = s390ap_cpu_state_get(cpu);
		if (((int)state == c->sel) == (c->cmp == SCN_EQ)) {
			x->passed++;
			return 0;
		}
		return scn_expect_failed(x, c, "vCPU %u is %s", x->cpu, apsim_state_name(state));
	case EX_EXIT:
		state = s390ap_cpu_state_get(cpu);
		if (state != S390AP_CPU_HALTED && state != S390AP_CPU_STOPPED)
			return scn_expect_failed(x, c, "vCPU %u has not exited (it is %s)", x->cpu,
						 apsim_state_name(state));
		return check(x, c, "the exit value", s390ap_cpu_exit_value(cpu));
	case EX_PGM_COUNT:
		snprintf(what, sizeof(what), "the count of program interruptions 0x%04" PRIx64,
			 c->v[0]);
		return check(x, c, what, s390ap_sys_pgm_count(x->sys, (uint16_t)c->v[0]));
	case EX_RC_COUNT:
		snprintf(what, sizeof(what), "the count of response code 0x%02" PRIx64, c->v[0]);
		return check(x, c, what, s390ap_machine_rc_count(x->m, (uint8_t)c->v[0]));
	case EX_INSN_COUNT:
		snprintf(what, sizeof(what), "the count of %s", s390ap_insn_name((unsigned)c->sel));
		return check(x, c, what, s390ap_sys_insn_executed(x->sys, (unsigned)c->sel));
	case EX_STAT:
		if (s390ap_sys_stats(x->sys, &st) < 0)
			return scn_error(x, c->pos, "no statistics: %s", s390ap_sys_errmsg(x->sys));
		snprintf(what, sizeof(what), "stat %s", stat_names[c->sel]);
		if (c->sel == STAT_CLOCK)
			return check(x, c, what, s390ap_sys_cycles(x->sys));
		return check(x, c, what, stat_value(&st, c->sel));
	case EX_REPLY:
		return scn_exec_reply_expect(x, c);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Statistics (--stats, print stats) and results (--json)              */
/* ------------------------------------------------------------------ */

void scn_print_stats(struct apsim_ctx *x, FILE *out)
{
	s390ap_cpu_stats st;
	unsigned n = s390ap_insn_count();
	bool any;

	if (s390ap_sys_stats(x->sys, &st) < 0)
		return;
	fprintf(out, "statistics (%u vCPU%s)\n", s390ap_sys_ncpus(x->sys),
		s390ap_sys_ncpus(x->sys) == 1 ? "" : "s");
	fprintf(out, "  instructions            %" PRIu64 "\n", st.instructions);
	fprintf(out, "  cycles                  %" PRIu64 " (clock %" PRIu64 ")\n", st.cycles,
		s390ap_sys_cycles(x->sys));
	fprintf(out, "  program interruptions   %" PRIu64 "\n", st.pgm_interruptions);
	fprintf(out, "  I/O interruptions       %" PRIu64 "\n", st.io_interruptions);
	fprintf(out, "  AP instructions         interpreted %" PRIu64 ", intercepted %" PRIu64
		", vSIE %" PRIu64 "\n",
		st.ap_path[S390AP_PATH_INTERPRETED], st.ap_path[S390AP_PATH_INTERCEPTED],
		st.ap_path[S390AP_PATH_VSIE]);
	fprintf(out, "  per instruction\n");
	for (unsigned id = 0; id < n; id++) {
		uint64_t k = s390ap_sys_insn_executed(x->sys, id);
		if (k)
			fprintf(out, "    %-10s %" PRIu64 "\n", s390ap_insn_name(id), k);
	}
	fprintf(out, "  AP response codes      ");
	any = false;
	for (unsigned rc = 0; rc < 256; rc++) {
		uint64_t k = s390ap_machine_rc_count(x->m, (uint8_t)rc);
		if (k) {
			fprintf(out, " 0x%02x: %" PRIu64, rc, k);
			any = true;
		}
	}
	fprintf(out, "%s\n", any ? "" : " none");
	fprintf(out, "  AP program exceptions  ");
	any = false;
	for (unsigned code = 1; code < 0x80; code++) {
		uint64_t k = s390ap_machine_pgm_count(x->m, (uint16_t)code);
		if (k) {
			fprintf(out, " 0x%04x: %" PRIu64, code, k);
			any = true;
		}
	}
	fprintf(out, "%s\n", any ? "" : " none");
	fprintf(out, "  adapter interruptions  ");
	any = false;
	for (unsigned isc = 0; isc < 8; isc++) {
		uint64_t k = s390ap_machine_irq_count(x->m, isc);
		if (k) {
			fprintf(out, " ISC %u: %" PRIu64, isc, k);
			any = true;
		}
	}
	fprintf(out, "%s\n", any ? "" : " none");
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
	char key[16];

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
	apsim_json_key(j, "ap_rc");
	apsim_json_object_begin(j);
	for (unsigned rc = 0; rc < 256; rc++) {
		uint64_t k = s390ap_machine_rc_count(x->m, (uint8_t)rc);
		if (k) {
			snprintf(key, sizeof(key), "0x%02x", rc);
			apsim_json_kv_u64(j, key, k);
		}
	}
	apsim_json_object_end(j);
	apsim_json_key(j, "ap_pgm");
	apsim_json_object_begin(j);
	for (unsigned code = 1; code < 0x80; code++) {
		uint64_t k = s390ap_machine_pgm_count(x->m, (uint16_t)code);
		if (k) {
			snprintf(key, sizeof(key), "0x%04x", code);
			apsim_json_kv_u64(j, key, k);
		}
	}
	apsim_json_object_end(j);
	apsim_json_key(j, "irq");
	apsim_json_object_begin(j);
	for (unsigned isc = 0; isc < 8; isc++) {
		uint64_t k = s390ap_machine_irq_count(x->m, isc);
		if (k) {
			snprintf(key, sizeof(key), "%u", isc);
			apsim_json_kv_u64(j, key, k);
		}
	}
	apsim_json_object_end(j);
	apsim_json_object_end(j);
}

/* Why the last `run` returned: "all-done", "instructions", "cycle", "idle". */
static const char *stop_name(s390ap_stop why)
{
	switch (why) {
	case S390AP_STOP_ALL_DONE:
		return "all-done";
	case S390AP_STOP_INSNS:
		return "instructions";
	case S390AP_STOP_CYCLE:
		return "cycle";
	case S390AP_STOP_IDLE:
		return "idle";
	}
	return "?";
}

void scn_json_result(struct apsim_ctx *x, int status)
{
	apsim_json *j = x->opts->json;

	apsim_json_object_begin(j);
	apsim_json_kv_string(j, "file", x->name);
	apsim_json_kv_string(j, "status", status == APSIM_EXIT_OK	? "pass"
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
		const uint64_t *gr = s390ap_cpu_gr(cpu);
		s390ap_psw psw;

		s390ap_cpu_psw(cpu, &psw);
		apsim_json_object_begin(j);
		apsim_json_kv_u64(j, "cpu", k);
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
		apsim_json_kv_u64(j, "cc", s390ap_cpu_cc(cpu));
		apsim_json_key(j, "gr");
		apsim_json_array_begin(j);
		for (unsigned r = 0; r < 16; r++)
			apsim_json_hex(j, gr[r]);
		apsim_json_array_end(j);
		apsim_json_object_end(j);
	}
	apsim_json_array_end(j);
	apsim_json_kv_u64(j, "cycles", x->sys ? s390ap_sys_cycles(x->sys) : 0);
	apsim_json_key(j, "last_run");
	if (x->ran)
		apsim_json_string(j, stop_name(x->last_stop));
	else
		apsim_json_null(j);
	apsim_json_key(j, "stats");
	if (x->sys)
		json_stats(x, j);
	else
		apsim_json_null(j);
	apsim_json_object_end(j);
}

static const struct scn_cmd_def check_cmds[] = {
	{ "echo", 0, parse_echo, exec_echo, "echo [TEXT...]" },
	{ "print", SCN_F_SYS, parse_print, exec_print,
	  "print config|regs|gr N...|sw|storage ADDR LEN|queue AA.DDDD|stats|reply ADDR" },
	{ "expect", SCN_F_SYS, parse_expect, exec_expect, "expect WHAT ... OP VALUE" },
};

const struct scn_area scn_area_check = { check_cmds, sizeof(check_cmds) / sizeof(check_cmds[0]) };
