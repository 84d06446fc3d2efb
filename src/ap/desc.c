/* SPDX-License-Identifier: MIT */
/* Machine descriptions (desc.h, docs/machine-files.md): a lexer for one
 * line at a time, the statements, and building the machine.
 *
 * A statement is parsed completely into locals and checked before it
 * changes the description, so a refused line leaves the description as it
 * was.  The lexer works in place on the caller's text (no copies, no line
 * buffers), so lines may be of any length.
 */
#include "s390ap/desc.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s390ap/error.h"
#include "util/array.h"
#include "util/num.h"

/* The default machine, as s390ap_machine_new_default builds it (machine.h):
 * what a description starts from until `machine empty`. */
static const struct {
	unsigned apid;
	uint8_t type;
	s390ap_mode mode;
} default_adapters[] = {
	{ 0x03, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL },
	{ 0x04, S390AP_TYPE_CEX8, S390AP_MODE_CCA },
	{ 0x05, S390AP_TYPE_CEX7, S390AP_MODE_EP11 },
};
static const unsigned default_usage[] = { 0x06, 0x07, 0x47 };

/* Facilities of a machine created without facilities_set
 * (docs/ap-model.md: everything but RC8A and APSB). */
#define DEFAULT_FACILITIES (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_RC8A | S390AP_FAC_APSB))

struct desc_adapter {
	unsigned apid;
	unsigned line, col; /* the statement; line 0: the default machine's */
	s390ap_adapter_opts o;
};

struct desc_domain {
	unsigned apqi;
	unsigned line, col;
	bool usage, control;
};

struct s390ap_desc {
	bool seen;           /* a statement came before: `machine` is refused */
	bool filled;         /* ad / dom hold the content (else: the default machine's) */
	bool modified;       /* anything but the plain default machine */
	unsigned base_line;  /* the `machine` statement, 0 without one */
	unsigned range_line; /* the last na / nd statement */
	s390ap_machine_opts mo;
	struct desc_adapter ad[S390AP_MAX_IDS];
	unsigned nad;
	struct desc_domain dom[S390AP_MAX_IDS];
	unsigned ndom;
	s390ap_desc_name_fn *names;
	void *names_ctx;
};

/* ---- Errors ---- */

static unsigned col_of(size_t i)
{
	return i < UINT_MAX ? (unsigned)i + 1 : UINT_MAX;
}

static int fail_at(s390ap_desc_error *err, int rc, unsigned line, unsigned col, const char *fmt,
		   ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int fail_at(s390ap_desc_error *err, int rc, unsigned line, unsigned col, const char *fmt,
		   ...)
{
	va_list ap;

	if (!err)
		return rc;
	err->line = line;
	err->column = col;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* one line of printable text, whatever a path or a name held */
	for (char *s = err->msg; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
	return rc;
}

/* ---- Lexer ---- */

struct lex {
	const char *s;
	size_t len, i;
	size_t end; /* just after the last token read (where "end of line" is) */
	unsigned line;
	const char *stmt; /* the statement, for messages ("adapter") */
	s390ap_desc_name_fn *names;
	void *names_ctx;
	s390ap_desc_error *err;
};

struct tok {
	const char *s;
	size_t len;
	unsigned col;
};

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* An error of the statement being parsed, at a column: "STMT: ..." */
static int bad(struct lex *lx, unsigned col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int bad(struct lex *lx, unsigned col, const char *fmt, ...)
{
	char msg[sizeof(((s390ap_desc_error *)0)->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lx->stmt)
		return fail_at(lx->err, S390AP_EINVAL, lx->line, col, "%s: %s", lx->stmt, msg);
	return fail_at(lx->err, S390AP_EINVAL, lx->line, col, "%s", msg);
}

/* The next token into t: 1, 0 at the end of the line (a comment ends it),
 * or EINVAL for a byte the language does not allow. */
static int lex_next(struct lex *lx, struct tok *t)
{
	const char *s = lx->s;
	size_t i = lx->i;

	while (i < lx->len && is_blank(s[i]))
		i++;
	if (i >= lx->len || s[i] == '#') {
		/* a comment may hold any byte but these two */
		for (size_t k = i; k < lx->len; k++)
			if (s[k] == '\0' || s[k] == '\n')
				return fail_at(lx->err, S390AP_EINVAL, lx->line, col_of(k),
					       s[k] ? "a newline inside a statement"
						    : "NUL byte in the machine description");
		lx->i = lx->len;
		return 0;
	}
	t->s = s + i;
	t->col = col_of(i);
	for (; i < lx->len && !is_blank(s[i]) && s[i] != '#'; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\0')
			return fail_at(lx->err, S390AP_EINVAL, lx->line, col_of(i),
				       "NUL byte in the machine description");
		if (ch == '\n')
			return fail_at(lx->err, S390AP_EINVAL, lx->line, col_of(i),
				       "a newline inside a statement");
		if (ch == '"')
			return fail_at(lx->err, S390AP_EINVAL, lx->line, col_of(i),
				       "unexpected '\"' (machine statements take no strings)");
		if (ch < 0x20 || ch >= 0x7f)
			return fail_at(lx->err, S390AP_EINVAL, lx->line, col_of(i),
				       "unexpected byte 0x%02x (outside comments only printable "
				       "ASCII is allowed)",
				       ch);
	}
	t->len = (size_t)(s + i - t->s);
	lx->i = lx->end = i;
	return 1;
}

static int lex_peek(struct lex *lx, struct tok *t)
{
	size_t i = lx->i;
	int rc = lex_next(lx, t);

	lx->i = i;
	return rc;
}

static bool tok_is(const struct tok *t, const char *w)
{
	return t->len == strlen(w) && memcmp(t->s, w, t->len) == 0;
}

/* "expected WHAT, got 'TOKEN'" (rc = lex_next's for the token: 1, or 0 at
 * the end). */
static int expected(struct lex *lx, const char *what, int rc, const struct tok *t)
{
	if (rc < 0)
		return rc;
	if (rc == 0)
		return bad(lx, col_of(lx->end), "expected %s, got end of line", what);
	if (t->len > 40)
		return bad(lx, t->col, "expected %s, got '%.40s...'", what, t->s);
	return bad(lx, t->col, "expected %s, got '%.*s'", what, (int)t->len, t->s);
}

static int expect_end(struct lex *lx)
{
	struct tok t;
	int rc = lex_next(lx, &t);

	return rc == 0 ? 0 : expected(lx, "end of line", rc, &t);
}

/* One of words (NULL-terminated): its index, or a negative error. */
static int choice(struct lex *lx, const char *const *words, const char *what, unsigned *col)
{
	char list[256], msg[400];
	size_t used = 0;
	struct tok t;
	int rc = lex_next(lx, &t);

	if (rc == 1) {
		*col = t.col;
		for (int k = 0; words[k]; k++)
			if (tok_is(&t, words[k]))
				return k;
	}
	list[0] = '\0';
	for (int k = 0; words[k] && used < sizeof(list); k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
					 k ? (words[k + 1] ? ", " : " or ") : "", words[k]);
	snprintf(msg, sizeof(msg), "%s (%s)", what, list);
	return expected(lx, msg, rc, &t);
}

/* A number (decimal, 0x hex or a caller's name) in [min, max]. */
static int number(struct lex *lx, const char *what, uint64_t min, uint64_t max, uint64_t *v,
		  unsigned *col)
{
	char expect[200];
	struct tok t;
	int rc = lex_next(lx, &t), nrc;

	snprintf(expect, sizeof(expect), "%s (a number, decimal or 0x hex)", what);
	if (rc != 1)
		return expected(lx, expect, rc, &t);
	if (col)
		*col = t.col;
	nrc = num_parse_u64(t.s, t.len, v);
	if (nrc == -1) {
		int found = lx->names ? lx->names(lx->names_ctx, t.s, t.len, v) : S390AP_ENOENT;

		if (found == S390AP_ERANGE)
			return bad(lx, t.col, "%s: '%.*s' is wider than 64 bits", what,
				   (int)(t.len > 40 ? 40 : t.len), t.s);
		if (found != 0)
			return expected(lx, expect, rc, &t);
	}
	if (nrc == -2)
		return bad(lx, t.col, "%s: '%.*s' is too large (maximum %" PRIu64 ")", what,
			   (int)(t.len > 40 ? 40 : t.len), t.s, max);
	if (*v < min || *v > max) {
		if (max > 0xffff)
			return bad(lx, t.col,
				   "%s: %" PRIu64 " is out of range (expected 0x%" PRIx64
				   "..0x%" PRIx64 ")",
				   what, *v, min, max);
		return bad(lx, t.col,
			   "%s: %" PRIu64 " is out of range (expected %" PRIu64 "..%" PRIu64 ")",
			   what, *v, min, max);
	}
	return 0;
}

/* ---- The description ---- */

/* The default machine's adapters and domains, on line `line`. */
static void fill_default(s390ap_desc *d, unsigned line)
{
	d->nad = d->ndom = 0;
	for (size_t k = 0; k < ARRAY_SIZE(default_usage); k++)
		d->dom[d->ndom++] = (struct desc_domain){ default_usage[k], line, 0, true, true };
	d->dom[d->ndom++] = (struct desc_domain){ 0, line, 0, false, true };
	for (size_t k = 0; k < ARRAY_SIZE(default_adapters); k++)
		d->ad[d->nad++] = (struct desc_adapter){
			.apid = default_adapters[k].apid,
			.line = line,
			.o = { .type = default_adapters[k].type, .mode = default_adapters[k].mode },
		};
	d->filled = true;
}

/* Every statement but `machine`: the description leaves the plain default. */
static void touch(s390ap_desc *d)
{
	if (!d->filled)
		fill_default(d, 0);
	d->modified = true;
}

int s390ap_desc_new(s390ap_desc **out)
{
	s390ap_desc *d;

	if (!out)
		return S390AP_EINVAL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return S390AP_ENOMEM;
	d->mo.size = sizeof(d->mo);
	*out = d;
	return 0;
}

void s390ap_desc_free(s390ap_desc *d)
{
	free(d);
}

void s390ap_desc_set_names(s390ap_desc *d, s390ap_desc_name_fn *fn, void *ctx)
{
	if (d) {
		d->names = fn;
		d->names_ctx = ctx;
	}
}

bool s390ap_desc_modified(const s390ap_desc *d)
{
	return d && d->modified;
}

/* ---- Statements ---- */

static const char *const adapter_props[] = { "type",  "mode",    "domains", "ml",
					     "depth", "latency", "fac",     NULL };
static const char *const adapter_types[] = { "CEX4", "CEX5", "CEX6", "CEX7", "CEX8", NULL };
static const char *const adapter_modes[] = { "accel", "cca", "ep11", NULL };
static const char *const domain_kinds[] = { "usage", "control", NULL };

/* APID [PROP VALUE]... to the end of the line. */
static int p_adapter(struct lex *lx, unsigned *apid, unsigned *idcol, s390ap_adapter_opts *o)
{
	unsigned given = 0, col = 0;
	uint64_t v;
	int rc, k;

	if ((rc = number(lx, "an adapter id", 0, 255, &v, idcol)) < 0)
		return rc;
	*apid = (unsigned)v;
	*o = (s390ap_adapter_opts){ S390AP_SIZED(s390ap_adapter_opts) };
	for (;;) {
		struct tok t;

		if ((rc = lex_peek(lx, &t)) <= 0)
			return rc;
		if ((k = choice(lx, adapter_props, "an adapter property", &col)) < 0)
			return k;
		if (given & (1u << k))
			return bad(lx, col, "'%s' given twice", adapter_props[k]);
		given |= 1u << k;
		switch (k) {
		case 0: /* type: an AP type number or a name */
			if ((rc = lex_peek(lx, &t)) == 1 && t.s[0] >= '0' && t.s[0] <= '9') {
				rc = number(lx, "an AP type", S390AP_TYPE_CEX4, S390AP_TYPE_CEX8,
					    &v, NULL);
			} else {
				rc = choice(lx, adapter_types, "an adapter type", &col);
				v = (uint64_t)rc + S390AP_TYPE_CEX4;
			}
			o->type = (uint8_t)v;
			break;
		case 1:
			rc = choice(lx, adapter_modes, "an adapter mode", &col);
			o->mode = (s390ap_mode)rc;
			break;
		case 2:
			rc = number(lx, "the number of domains", 1, 256, &v, NULL);
			o->domains = (uint16_t)v;
			break;
		case 3:
			rc = number(lx, "ML (4 KiB units; below 4 means 12 KiB)", 1, 15, &v, NULL);
			o->ml = (uint8_t)v;
			break;
		case 4:
			rc = number(lx, "the queue depth", 1, 16, &v, NULL);
			o->depth = (uint8_t)v;
			break;
		case 5:
			rc = number(lx, "the reply latency in cycles", 1, UINT64_MAX / 4, &v, NULL);
			o->latency = v;
			break;
		default:
			rc = number(lx, "a TAPQ facility word", 0, UINT32_MAX, &v, NULL);
			o->fac = (uint32_t)v;
			o->fac_explicit = true;
			break;
		}
		if (rc < 0)
			return rc;
	}
}

/* APQI [usage] [control]: neither word means both. */
static int p_domain(struct lex *lx, unsigned *apqi, unsigned *idcol, bool *usage, bool *control)
{
	unsigned given = 0, col = 0;
	uint64_t v;
	int rc, k;

	if ((rc = number(lx, "a domain id", 0, 255, &v, idcol)) < 0)
		return rc;
	*apqi = (unsigned)v;
	for (;;) {
		struct tok t;

		if ((rc = lex_peek(lx, &t)) < 0)
			return rc;
		if (rc == 0)
			break;
		if ((k = choice(lx, domain_kinds, "a domain kind", &col)) < 0)
			return k;
		if (given & (1u << k))
			return bad(lx, col, "'%s' given twice", domain_kinds[k]);
		given |= 1u << k;
	}
	*usage = given == 0 || (given & 1u);
	*control = given == 0 || (given & 2u);
	return 0;
}

/* The line an id was described on: 0 the default machine, -1 not at all. */
static long adapter_line(const s390ap_desc *d, unsigned apid)
{
	if (!d->filled) {
		for (size_t k = 0; k < ARRAY_SIZE(default_adapters); k++)
			if (default_adapters[k].apid == apid)
				return 0;
		return -1;
	}
	for (unsigned k = 0; k < d->nad; k++)
		if (d->ad[k].apid == apid)
			return d->ad[k].line;
	return -1;
}

static long domain_line(const s390ap_desc *d, unsigned apqi)
{
	if (!d->filled) {
		for (size_t k = 0; k < ARRAY_SIZE(default_usage); k++)
			if (default_usage[k] == apqi)
				return 0;
		return apqi == 0 ? 0 : -1;
	}
	for (unsigned k = 0; k < d->ndom; k++)
		if (d->dom[k].apqi == apqi)
			return d->dom[k].line;
	return -1;
}

static int defined_twice(const s390ap_desc *d, struct lex *lx, const char *what, unsigned id,
			 long at, unsigned col)
{
	char name[8];

	snprintf(name, sizeof(name), what[0] == 'a' ? "%02x" : "%u", id);
	if (at == 0 || (unsigned long)at == d->base_line)
		return fail_at(lx->err, S390AP_EINVAL, lx->line, col,
			       "%s %s is already part of the default machine (start with "
			       "'machine empty' to describe every %s)",
			       what, name, what);
	return fail_at(lx->err, S390AP_EINVAL, lx->line, col, "%s %s already defined on line %ld",
		       what, name, at);
}

/* facilities ITEM...: the set after the items, starting from f. */
static int p_facilities(struct lex *lx, uint32_t *f)
{
	static const char *const sets[] = { "all", "none", "default" };
	static const uint32_t set_bits[] = { S390AP_FAC_ALL, 0, DEFAULT_FACILITIES };
	char names[160], what[300];
	size_t used = 0;
	struct tok t;
	int rc;

	names[0] = '\0';
	for (unsigned b = 0; b < 32 && used < sizeof(names); b++) {
		const char *n = s390ap_facility_name(1u << b);

		if (n)
			used += (size_t)snprintf(names + used, sizeof(names) - used, " %s", n);
	}
	if ((rc = lex_next(lx, &t)) <= 0) {
		snprintf(what, sizeof(what),
			 "facilities (all, none, default or NAME, +NAME, -NAME with NAME one of%s)",
			 names);
		return expected(lx, what, rc, &t);
	}
	do {
		const char *s = t.s;
		size_t len = t.len;
		uint32_t bit = 0;
		bool minus = false, set = false;

		for (size_t k = 0; k < ARRAY_SIZE(sets); k++)
			if (tok_is(&t, sets[k])) {
				*f = set_bits[k];
				set = true;
			}
		if (set)
			continue;
		if (len > 1 && (s[0] == '+' || s[0] == '-')) {
			minus = s[0] == '-';
			s++;
			len--;
		}
		for (unsigned b = 0; b < 32; b++) {
			const char *n = s390ap_facility_name(1u << b);

			if (n && strlen(n) == len && !memcmp(n, s, len))
				bit = 1u << b;
		}
		if (!bit) {
			snprintf(what, sizeof(what),
				 "a facility (one of%s, with an optional + or -; or all, none, "
				 "default)",
				 names);
			return expected(lx, what, 1, &t);
		}
		*f = minus ? *f & ~bit : *f | bit;
	} while ((rc = lex_next(lx, &t)) == 1);
	return rc;
}

enum stmt {
	ST_MACHINE,
	ST_FACILITIES,
	ST_NA,
	ST_ND,
	ST_RESET,
	ST_IRQ,
	ST_ASSOC,
	ST_CPU_DETERMINED,
	ST_ADAPTER,
	ST_DOMAIN
};

static const char *const statements[] = {
	"machine",      "facilities",     "na",      "nd",     "reset-cycles", "irq-cycles",
	"assoc-cycles", "cpu-determined", "adapter", "domain", NULL,
};

/* apsim's own statements: named in the error, so a scenario's system
 * statements in a machine file are understood. */
static const char *const system_statements[] = { "memory", "cpus", "quantum", "cost" };

static void lex_init(struct lex *lx, const s390ap_desc *d, unsigned line, const char *text,
		     size_t len, s390ap_desc_error *err)
{
	*lx = (struct lex){ .s = text, .len = len, .line = line, .err = err };
	if (d) {
		lx->names = d->names;
		lx->names_ctx = d->names_ctx;
	}
}

/* The statement of line lx (its first token t) into d. */
static int statement(s390ap_desc *d, struct lex *lx, enum stmt st, const struct tok *t)
{
	static const char *const machines[] = { "default", "empty", NULL };
	uint64_t *cycles[] = { &d->mo.reset_cycles, &d->mo.irq_cycles, &d->mo.assoc_cycles };
	s390ap_adapter_opts o;
	unsigned id, col = 0;
	bool usage, control;
	uint32_t f;
	uint64_t v = 0;
	long at;
	int rc;

	switch (st) {
	case ST_MACHINE:
		if (d->seen)
			return fail_at(lx->err, S390AP_EINVAL, lx->line, t->col,
				       "'machine' must be the first machine statement (it starts "
				       "the description over)");
		if ((rc = choice(lx, machines, "a machine", &col)) < 0 || expect_end(lx) < 0)
			return S390AP_EINVAL;
		if (rc == 0) {
			fill_default(d, lx->line);
			d->modified = false; /* still the plain default until changed */
		} else {
			d->nad = d->ndom = 0;
			d->filled = true;
			d->modified = true;
		}
		d->base_line = lx->line;
		return 0;
	case ST_FACILITIES:
		f = d->mo.facilities_set ? d->mo.facilities : DEFAULT_FACILITIES;
		if (p_facilities(lx, &f) < 0)
			return S390AP_EINVAL;
		touch(d);
		d->mo.facilities = f;
		d->mo.facilities_set = true;
		return 0;
	case ST_NA:
	case ST_ND:
		if (number(lx,
			   st == ST_NA ? "Na, the largest adapter id" : "Nd, the largest domain id",
			   1, 255, &v, NULL) < 0 ||
		    expect_end(lx) < 0)
			return S390AP_EINVAL;
		touch(d);
		*(st == ST_NA ? &d->mo.na : &d->mo.nd) = (uint8_t)v;
		d->range_line = lx->line;
		return 0;
	case ST_RESET:
	case ST_IRQ:
	case ST_ASSOC:
		if (number(lx, "a number of cycles", 1, UINT64_MAX / 4, &v, NULL) < 0 ||
		    expect_end(lx) < 0)
			return S390AP_EINVAL;
		touch(d);
		*cycles[st - ST_RESET] = v;
		return 0;
	case ST_CPU_DETERMINED: {
		struct tok u;

		if ((rc = lex_peek(lx, &u)) < 0)
			return rc;
		if (rc == 1 && tok_is(&u, "unlimited")) {
			lex_next(lx, &u);
			v = UINT32_MAX;
		} else if (number(lx, "bytes per NQAP/DQAP execution (or 'unlimited')", 1,
				  UINT32_MAX - 1, &v, NULL) < 0) {
			return S390AP_EINVAL;
		}
		if (expect_end(lx) < 0)
			return S390AP_EINVAL;
		touch(d);
		d->mo.cpu_determined = (uint32_t)v;
		return 0;
	}
	case ST_ADAPTER:
		if (p_adapter(lx, &id, &col, &o) < 0)
			return S390AP_EINVAL;
		if ((at = adapter_line(d, id)) >= 0)
			return defined_twice(d, lx, "adapter", id, at, col);
		touch(d);
		d->ad[d->nad++] = (struct desc_adapter){
			.apid = id, .line = lx->line, .col = t->col, .o = o
		};
		return 0;
	case ST_DOMAIN:
		if (p_domain(lx, &id, &col, &usage, &control) < 0)
			return S390AP_EINVAL;
		if ((at = domain_line(d, id)) >= 0)
			return defined_twice(d, lx, "domain", id, at, col);
		touch(d);
		d->dom[d->ndom++] = (struct desc_domain){ id, lx->line, t->col, usage, control };
		return 0;
	}
	return S390AP_EINVAL;
}

int s390ap_desc_statement(s390ap_desc *d, unsigned line, const char *text, size_t len,
			  s390ap_desc_error *err)
{
	char list[200];
	size_t used = 0;
	struct lex lx;
	struct tok t;
	int rc;

	if (!d || (!text && len))
		return fail_at(err, S390AP_EINVAL, line, 0, "no description or no text");
	lex_init(&lx, d, line, text, len, err);
	if ((rc = lex_next(&lx, &t)) <= 0)
		return rc; /* blank, comment or a bad byte */
	for (int k = 0; statements[k]; k++) {
		if (!tok_is(&t, statements[k]))
			continue;
		lx.stmt = statements[k];
		rc = statement(d, &lx, (enum stmt)k, &t);
		if (rc == 0)
			d->seen = true;
		return rc;
	}
	for (size_t k = 0; k < ARRAY_SIZE(system_statements); k++)
		if (tok_is(&t, system_statements[k]))
			return fail_at(err, S390AP_ENOENT, line, t.col,
				       "'%s' is an apsim system statement, not part of a machine "
				       "description",
				       system_statements[k]);
	list[0] = '\0';
	for (int k = 0; statements[k] && used < sizeof(list); k++)
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", k ? ", " : "",
					 statements[k]);
	return fail_at(err, S390AP_ENOENT, line, t.col,
		       "unknown statement '%.*s' (a machine statement is one of %s)",
		       (int)(t.len > 40 ? 40 : t.len), t.s, list);
}

int s390ap_desc_parse_adapter(const s390ap_desc *d, unsigned line, const char *text, size_t len,
			      size_t start, unsigned *apid, s390ap_adapter_opts *opts,
			      s390ap_desc_error *err)
{
	struct lex lx;
	unsigned col;

	if (!text || start > len || !apid || !opts)
		return fail_at(err, S390AP_EINVAL, line, 0, "adapter: no text or no result");
	lex_init(&lx, d, line, text, len, err);
	lx.i = lx.end = start;
	lx.stmt = "adapter";
	return p_adapter(&lx, apid, &col, opts) < 0 ? S390AP_EINVAL : 0;
}

int s390ap_desc_parse_domain(const s390ap_desc *d, unsigned line, const char *text, size_t len,
			     size_t start, unsigned *apqi, bool *usage, bool *control,
			     s390ap_desc_error *err)
{
	struct lex lx;
	unsigned col;

	if (!text || start > len || !apqi || !usage || !control)
		return fail_at(err, S390AP_EINVAL, line, 0, "domain: no text or no result");
	lex_init(&lx, d, line, text, len, err);
	lx.i = lx.end = start;
	lx.stmt = "domain";
	return p_domain(&lx, apqi, &col, usage, control) < 0 ? S390AP_EINVAL : 0;
}

/* ---- Building ---- */

int s390ap_desc_build(const s390ap_desc *d, const s390ap_storage *storage, s390ap_machine **out,
		      s390ap_desc_error *err)
{
	s390ap_machine_opts mo;
	s390ap_machine *m;
	int rc;

	if (!d || !out)
		return fail_at(err, S390AP_EINVAL, 0, 0, "no description or no result");
	if (!d->modified) {
		rc = s390ap_machine_new_default(&m, storage);
		if (rc < 0)
			return fail_at(err, rc, 0, 0, "cannot create the default machine: %s",
				       s390ap_strerror(rc));
		*out = m;
		return 0;
	}
	mo = d->mo;
	mo.size = sizeof(mo);
	mo.storage = storage;
	rc = s390ap_machine_new(&m, &mo);
	if (rc == S390AP_ERANGE)
		return fail_at(err, rc, d->range_line, 0,
			       "cannot create the machine: Na/Nd over 63/15 need the APXA "
			       "facility");
	if (rc < 0)
		return fail_at(err, rc, 0, 0, "cannot create the machine: %s", s390ap_strerror(rc));
	/* the domains, then the adapters */
	for (unsigned k = 0; k < d->ndom + d->nad; k++) {
		const struct desc_domain *dm = k < d->ndom ? &d->dom[k] : NULL;
		const struct desc_adapter *a = dm ? NULL : &d->ad[k - d->ndom];

		rc = dm ? s390ap_domain_add(m, dm->apqi, dm->usage, dm->control)
			: s390ap_adapter_add(m, a->apid, &a->o);
		if (rc < 0) {
			bool apxa = rc == S390AP_ERANGE && mo.facilities_set &&
				    !(mo.facilities & S390AP_FAC_APXA);

			fail_at(err, rc, dm ? dm->line : a->line, dm ? dm->col : a->col,
				"cannot add %s %u: %s%s", dm ? "domain" : "adapter",
				dm ? dm->apqi : a->apid, s390ap_machine_errmsg(m),
				apxa ? " (without APXA, ids go up to 63 / 15)" : "");
			s390ap_machine_free(m);
			return rc;
		}
	}
	*out = m;
	return 0;
}

/* ---- Whole texts and files ---- */

int s390ap_machine_from_desc(const char *text, size_t len, const s390ap_storage *storage,
			     s390ap_machine **out, s390ap_desc_error *err)
{
	s390ap_desc *d;
	size_t off = 0;
	unsigned line = 0;
	int rc;

	if (!out || (!text && len))
		return fail_at(err, S390AP_EINVAL, 0, 0, "no text or no result");
	if ((rc = s390ap_desc_new(&d)) < 0)
		return fail_at(err, rc, 0, 0, "out of memory");
	while (off < len) {
		const char *s = text + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - s) : len - off;

		off += ll + (nl ? 1 : 0);
		if (line == UINT_MAX) {
			rc = fail_at(err, S390AP_EINVAL, 0, 0, "too many lines");
			break;
		}
		rc = s390ap_desc_statement(d, ++line, s, ll, err);
		if (rc == S390AP_ENOENT)
			rc = S390AP_EINVAL; /* not a machine statement: refused here */
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = s390ap_desc_build(d, storage, out, err);
	s390ap_desc_free(d);
	return rc;
}

int s390ap_machine_from_desc_file(const char *path, const s390ap_storage *storage,
				  s390ap_machine **out, s390ap_desc_error *err)
{
	FILE *f;
	char *buf = NULL, *nbuf;
	size_t cap = 0, n = 0, got = 1;
	int rc;

	if (!path || !out)
		return fail_at(err, S390AP_EINVAL, 0, 0, "no path or no result");
	errno = 0;
	f = fopen(path, "rb");
	if (!f)
		return fail_at(err, errno == ENOENT ? S390AP_ENOENT : S390AP_EIO, 0, 0,
			       "cannot open '%s': %s", path, strerror(errno));
	while (got) {
		if (n == cap && cap > S390AP_DESC_MAX_FILE) {
			rc = fail_at(err, S390AP_ERANGE, 0, 0, "'%s' is larger than %u MiB", path,
				     S390AP_DESC_MAX_FILE >> 20);
			goto out;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			cap = cap > (size_t)S390AP_DESC_MAX_FILE + 1
				      ? (size_t)S390AP_DESC_MAX_FILE + 1
				      : cap;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				rc = fail_at(err, S390AP_ENOMEM, 0, 0, "out of memory reading '%s'",
					     path);
				goto out;
			}
			buf = nbuf;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	}
	if (ferror(f)) {
		rc = fail_at(err, S390AP_EIO, 0, 0, "cannot read '%s': %s", path, strerror(errno));
		goto out;
	}
	rc = s390ap_machine_from_desc(buf, n, storage, out, err);
out:
	free(buf);
	fclose(f);
	return rc;
}
