/* SPDX-License-Identifier: MIT */
/* apsim scenarios: file reading, the tokenizer, the generic parser driven
 * by the command tables, and the driver that parses a whole scenario and
 * then runs it.
 *
 * A line is a sequence of tokens separated by blanks (space, tab):
 *
 *     word      any printable ASCII except blanks, '"' and '#'
 *     "string"  anything but a newline; escapes \" \\ \n \t
 *     # ...     a comment to the end of the line (outside strings)
 *
 * The first token names the command; the words of its form and the
 * arguments of its signature must take the rest.  Columns count bytes
 * from 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "util/be.h"
#include "util/num.h"

/* The command areas, searched in order. */
static const struct scn_area *const areas[] = {
	&scn_area_setup, &scn_area_run,    &scn_area_check, &scn_area_msg,
	&scn_area_guest, &scn_area_matrix, &scn_area_vsie,
};

/* ---- Files ---- */

int apsim_read_file(const char *path, char **data, size_t *len, char *errbuf, size_t errsize)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char *buf = NULL, *nbuf;
	size_t cap = 0, n = 0, got = 1;

	*data = NULL;
	*len = 0;
	if (!f) {
		snprintf(errbuf, errsize, "cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	while (got) {
		if (n == cap && cap > APSIM_MAX_FILE) {
			snprintf(errbuf, errsize, "'%s' is larger than %u MiB",
				 is_stdin ? "<stdin>" : path, APSIM_MAX_FILE >> 20);
			goto fail;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			cap = cap > (size_t)APSIM_MAX_FILE + 1 ? (size_t)APSIM_MAX_FILE + 1 : cap;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				snprintf(errbuf, errsize, "out of memory reading '%s'", path);
				goto fail;
			}
			buf = nbuf;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	}
	if (ferror(f)) {
		snprintf(errbuf, errsize, "cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	buf[n] = '\0';
	if (!is_stdin)
		fclose(f);
	*data = buf;
	*len = n;
	return 0;
fail:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return -1;
}

int scn_read_path(struct apsim_ctx *x, struct scn_pos pos, const char *path, char **data,
		  size_t *len)
{
	bool absolute = path[0] == '/';
	size_t ncand = absolute ? 1 : 1 + x->opts->nsearch, used = 0;
	char err[600], where[400];

	for (size_t k = 0; k < ncand; k++) {
		const char *dir = absolute ? ""
				  : k == 0 ? (x->dir ? x->dir : ".")
					   : x->opts->search[k - 1];
		char *full = malloc(strlen(dir) + strlen(path) + 2);
		FILE *f;
		int rc;

		if (!full)
			return scn_error(x, pos, "out of memory");
		sprintf(full, "%s%s%s", dir, absolute ? "" : "/", path);
		errno = 0;
		f = fopen(full, "rb");
		if (!f && errno == ENOENT) {
			if (used < sizeof(where))
				used += (size_t)snprintf(where + used, sizeof(where) - used, "%s%s",
							 used ? ", " : "", dir);
			free(full);
			continue; /* try the next directory */
		}
		if (f)
			fclose(f);
		rc = apsim_read_file(full, data, len, err, sizeof(err));
		free(full);
		return rc < 0 ? scn_error(x, pos, "%s", err) : 0;
	}
	if (absolute)
		return scn_error(x, pos, "cannot find '%s'", path);
	return scn_error(x, pos, "cannot find '%s' (looked in %s)", path, where);
}

void *scn_grow(void *v, size_t *cap, size_t need, size_t first, size_t elem)
{
	size_t ncap = *cap ? *cap : first;

	while (ncap < need)
		ncap *= 2;
	if (ncap != *cap && (v = realloc(v, ncap * elem)) != NULL)
		*cap = ncap;
	return v;
}

/* ---- Reporting ---- */

static void print_where(struct apsim_ctx *x, FILE *f, struct scn_pos pos)
{
	if (pos.line == 0)
		fprintf(f, "%s: ", x->name);
	else if (pos.col == 0)
		fprintf(f, "%s:%u: ", x->name, pos.line);
	else
		fprintf(f, "%s:%u:%u: ", x->name, pos.line, pos.col);
}

int scn_error(struct apsim_ctx *x, struct scn_pos pos, const char *fmt, ...)
{
	va_list ap;

	if (x->errored)
		return -1; /* keep the first */
	va_start(ap, fmt);
	vsnprintf(x->errmsg, sizeof(x->errmsg), fmt, ap);
	va_end(ap);
	x->errored = true;
	x->errpos = pos;
	fflush(x->out);
	print_where(x, x->err, pos);
	fprintf(x->err, "error: %s\n", x->errmsg);
	return -1;
}

int scn_expect_failed(struct apsim_ctx *x, const struct scn_cmd *c, const char *fmt, ...)
{
	struct scn_failure *fails;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	x->failed++;
	fflush(x->out);
	print_where(x, x->err, c->pos);
	fprintf(x->err, "expectation failed: %.*s: %s\n", (int)c->srclen, c->src, msg);

	fails = scn_grow(x->fails, &x->capfails, x->nfails + 1, 8, sizeof(*fails));
	if (!fails)
		return 1; /* counted and printed; only the JSON detail is lost */
	x->fails = fails;
	x->fails[x->nfails].pos = c->pos;
	x->fails[x->nfails].msg = malloc(strlen(msg) + 1);
	if (x->fails[x->nfails].msg)
		strcpy(x->fails[x->nfails++].msg, msg);
	return 1;
}

/* ---- Tokens ---- */

bool scn_p_at_end(const struct scn_parser *p)
{
	return p->i >= p->ntok;
}

struct scn_pos scn_p_pos(const struct scn_parser *p)
{
	return (struct scn_pos){ p->line, scn_p_at_end(p) ? p->eol_col : p->tok[p->i].col };
}

int scn_p_expected(struct scn_parser *p, const char *what)
{
	const struct scn_tok *t = &p->tok[p->i];

	if (scn_p_at_end(p))
		return scn_error(p->x, scn_p_pos(p), "expected %s, got end of line", what);
	if (t->len > 40)
		return scn_error(p->x, scn_p_pos(p), "expected %s, got '%.40s...'", what, t->s);
	if (t->quoted)
		return scn_error(p->x, scn_p_pos(p), "expected %s, got a string", what);
	return scn_error(p->x, scn_p_pos(p), "expected %s, got '%.*s'", what, (int)t->len, t->s);
}

/* The next token, if it is a bare word (else NULL). */
static const struct scn_tok *word(const struct scn_parser *p)
{
	return scn_p_at_end(p) || p->tok[p->i].quoted ? NULL : &p->tok[p->i];
}

static bool tok_is(const struct scn_tok *t, const char *w, size_t n)
{
	return t && t->len == n && memcmp(t->s, w, n) == 0;
}

bool scn_p_accept(struct scn_parser *p, const char *w)
{
	if (!tok_is(word(p), w, strlen(w)))
		return false;
	p->i++;
	return true;
}

/* names joined by sep, the last two by last */
static void join_list(char *list, size_t size, const char *const *names, const char *last)
{
	size_t used = 0;

	list[0] = '\0';
	for (int k = 0; names[k] && used < size; k++)
		used += (size_t)snprintf(list + used, size - used, "%s%s",
					 k ? (names[k + 1] ? ", " : last) : "", names[k]);
}

static int choice(struct scn_parser *p, const char *const *names, int *idx, const char *what)
{
	char list[512], msg[640];

	for (int k = 0; names[k]; k++) {
		if (scn_p_accept(p, names[k])) {
			*idx = k;
			return 0;
		}
	}
	join_list(list, sizeof(list), names, " or ");
	snprintf(msg, sizeof(msg), "%s (%s)", what, list);
	return scn_p_expected(p, msg);
}

/* ---- Numbers and names ---- */

/* Names are found through an open-addressing hash index (1 + index into
 * names, 0 = free), so a scenario with many `let` lines parses in linear
 * time. */
static size_t name_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (size_t k = 0; k < len; k++)
		h = (h ^ (uint8_t)s[k]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 32));
}

/* The name the token spells, if it was defined; its value into out. */
static const struct scn_name *find_name(const struct scn_parser *p, const struct scn_tok *t,
					struct scn_big *out)
{
	size_t mask = p->name_slots - 1;

	if (!t || t->len > SCN_NAME_MAX || !p->name_slots)
		return NULL;
	for (size_t i = name_hash(t->s, t->len) & mask; p->name_index[i]; i = (i + 1) & mask) {
		const struct scn_name *nm = &p->names[p->name_index[i] - 1];

		if (strlen(nm->name) != t->len || memcmp(nm->name, t->s, t->len))
			continue;
		if (out && (out->len = nm->len) != 0)
			memcpy(out->b, p->vals + nm->off, nm->len);
		return nm;
	}
	return NULL;
}

int scn_desc_name(void *parser, const char *name, size_t len, uint64_t *value)
{
	const struct scn_tok t = { .s = name, .len = len };
	struct scn_big val;

	if (!find_name(parser, &t, &val))
		return S390AP_ENOENT;
	if (val.len > 8)
		return S390AP_ERANGE;
	*value = be_get(val.b, (unsigned)val.len);
	return 0;
}

/* Put names[j] in the first free slot of its probe sequence. */
static void slot_put(const struct scn_parser *p, size_t j)
{
	const char *nm = p->names[j].name;
	size_t i = name_hash(nm, strlen(nm)) & (p->name_slots - 1);

	while (p->name_index[i])
		i = (i + 1) & (p->name_slots - 1);
	p->name_index[i] = (uint32_t)(j + 1);
}

static int number_token(struct scn_parser *p, const struct scn_arg *a, uint64_t *v)
{
	const struct scn_tok *t = word(p);
	struct scn_pos here = scn_p_pos(p);
	bool size = a->kind == SCN_K_SIZE;
	const char *unit;
	size_t len = t ? t->len : 0;
	unsigned shift = 0;
	char expect[256];
	int rc;

	snprintf(expect, sizeof(expect), "%s (%s)", a->what,
		 size ? "a number, decimal or 0x hex, optional K, M or G"
		      : "a number, decimal or 0x hex");
	if (!t)
		return scn_p_expected(p, expect);
	if (size && len > 1 && !(len > 2 && (t->s[1] == 'x' || t->s[1] == 'X')) &&
	    (unit = strchr("KMG", t->s[len - 1])) != NULL) {
		shift = 10 * (unsigned)(unit - "KMG" + 1);
		len--;
	}
	rc = num_parse_u64(t->s, len, v);
	if (rc == 0 && shift && *v > (UINT64_MAX >> shift))
		rc = -2;
	if (rc == -1) {
		struct scn_big val;
		const struct scn_name *nm = find_name(p, t, &val);

		if (!nm)
			return scn_p_expected(p, expect);
		if (val.len > 8)
			return scn_error(p->x, here,
					 "%s: '%s' is a %zu-bit number (at most 64 bits here)",
					 a->what, nm->name, scn_bits(val.b, val.len));
		*v = be_get(val.b, (unsigned)val.len);
		rc = 0;
	}
	if (rc == -2)
		return scn_error(p->x, here, "%s: '%.*s' is too large (maximum %" PRIu64 ")",
				 a->what, (int)(t->len > 40 ? 40 : t->len), t->s, a->max);
	*v <<= shift;
	if (*v < a->min || *v > a->max) {
		if (a->max > 0xffff)
			return scn_error(p->x, here,
					 "%s: %" PRIu64 " is out of range (expected 0x%" PRIx64
					 "..0x%" PRIx64 ")",
					 a->what, *v, a->min, a->max);
		return scn_error(p->x, here,
				 "%s: %" PRIu64 " is out of range (expected %" PRIu64 "..%" PRIu64
				 ")",
				 a->what, *v, a->min, a->max);
	}
	p->i++;
	return 0;
}

/* Hex digits of s[0..n) as a number into *v (n <= 16); false if one is not. */
static bool hex_digits(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	for (size_t k = 0; k < n; k++) {
		int d = num_digit(s[k], 16);

		if (d < 0)
			return false;
		*v = *v << 4 | (unsigned)d;
	}
	return true;
}

static int p_apqn(struct scn_parser *p, struct scn_val *v)
{
	static const char what[] = "an APQN AA.DDDD (hex, as lszcrypt prints it)";
	const struct scn_tok *t = word(p);
	const char *dot = t ? memchr(t->s, '.', t->len) : NULL;
	size_t na = dot ? (size_t)(dot - t->s) : 0, nd = dot ? t->len - na - 1 : 0;
	uint64_t apid, apqi;

	if (!dot || na < 1 || na > 2 || nd < 1 || nd > 4 || !hex_digits(t->s, na, &apid) ||
	    !hex_digits(dot + 1, nd, &apqi))
		return scn_p_expected(p, what);
	if (apqi > 0xff)
		return scn_error(p->x, scn_p_pos(p),
				 "domain 0x%" PRIx64
				 " of APQN '%.*s' is out of range (expected 0000..00ff)",
				 apqi, (int)t->len, t->s);
	v->v = S390AP_APQN(apid, apqi);
	p->i++;
	return 0;
}

static int p_text(struct scn_parser *p, char **out, const char *what)
{
	const struct scn_tok *t = &p->tok[p->i];
	char *s;

	if (scn_p_at_end(p))
		return scn_p_expected(p, what);
	if (memchr(t->s, '\0', t->len))
		return scn_error(p->x, scn_p_pos(p), "%s must not contain a NUL byte", what);
	s = malloc(t->len + 1);
	if (!s)
		return scn_error(p->x, scn_p_pos(p), "out of memory");
	memcpy(s, t->s, t->len);
	s[t->len] = '\0';
	free(*out);
	*out = s;
	p->i++;
	return 0;
}

/* Hex bytes to the end of the line: tokens of an even number of hex digits
 * ("00 50 0118" = 4 bytes); at least one byte, at most max. */
static int p_hexbytes(struct scn_parser *p, struct scn_cmd *c, size_t max)
{
	static const char what[] = "hex bytes (pairs of hex digits without 0x, like '00 50 0118')";
	size_t total = 0, first = p->i;
	uint64_t byte;

	if (scn_p_at_end(p))
		return scn_p_expected(p, what);
	for (; p->i < p->ntok; p->i++) {
		const struct scn_tok *t = &p->tok[p->i];
		bool ok = !t->quoted && t->len % 2 == 0;

		for (size_t d = 0; ok && d < t->len; d++)
			ok = num_digit(t->s[d], 16) >= 0;
		if (!ok)
			return scn_p_expected(p, what);
		total += t->len / 2;
		if (total > max)
			return scn_error(p->x, scn_p_pos(p),
					 "too many bytes (at most %zu per line)", max);
	}
	free(c->bytes);
	c->bytes = malloc(total);
	if (!c->bytes)
		return scn_error(p->x, c->pos, "out of memory");
	c->nbytes = 0;
	for (size_t k = first; k < p->ntok; k++)
		for (size_t d = 0; d < p->tok[k].len; d += 2) {
			hex_digits(p->tok[k].s + d, 2, &byte);
			c->bytes[c->nbytes++] = (uint8_t)byte;
		}
	return 0;
}

/* ---- Big numbers ---- */

/* Bytes (leading zeros allowed) to a big number; false if over SCN_BIG_MAX. */
static bool scn_big_set_bytes(struct scn_big *b, const uint8_t *p, size_t n)
{
	while (n && *p == 0) {
		p++;
		n--;
	}
	if (n > SCN_BIG_MAX)
		return false;
	if (n)
		memmove(b->b, p, n); /* p may point into b->b */
	b->len = n;
	return true;
}

void scn_big_set_u64(struct scn_big *b, uint64_t v)
{
	uint8_t be[8];

	be_put64(be, v);
	scn_big_set_bytes(b, be, sizeof(be));
}

size_t scn_bits(const uint8_t *p, size_t n)
{
	size_t bits;

	while (n && *p == 0) {
		p++;
		n--;
	}
	if (!n)
		return 0;
	bits = 8 * (n - 1);
	for (unsigned top = p[0]; top; top >>= 1)
		bits++;
	return bits;
}

const char *scn_hex_text(const uint8_t *p, size_t n, char *buf, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	char digits[2 * 16 + 1];
	size_t nd, used = 0;

	while (n && *p == 0) {
		p++;
		n--;
	}
	nd = n ? 2 * n - (p[0] < 0x10) : 0; /* hex digits without leading zeros */
	/* all of them, or the first and the last 12 */
	for (size_t k = 2 * n - nd; k < 2 * n && (nd <= 32 || used < 12); k++)
		digits[used++] = hex[(p[k / 2] >> (k % 2 ? 0 : 4)) & 0xf];
	for (size_t k = 2 * n - 12; nd > 32 && k < 2 * n; k++)
		digits[used++] = hex[(p[k / 2] >> (k % 2 ? 0 : 4)) & 0xf];
	digits[used] = '\0';
	if (nd > 32)
		snprintf(buf, size, "0x%.12s...%s (%zu bits)", digits, digits + 12, scn_bits(p, n));
	else
		snprintf(buf, size, "0x%s", n ? digits : "0");
	return buf;
}

static int p_big(struct scn_parser *p, struct scn_big *out, const char *what)
{
	const struct scn_tok *t = word(p);
	struct scn_pos here = scn_p_pos(p);
	char expect[256];
	uint64_t v;
	int rc;

	snprintf(expect, sizeof(expect),
		 "%s (a number: decimal, 0x hex up to 4096 bits, or a name defined with let)",
		 what);
	if (!t)
		return scn_p_expected(p, expect);
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) {
		size_t first = 2, nd;

		for (size_t k = 2; k < t->len; k++)
			if (num_digit(t->s[k], 16) < 0)
				return scn_p_expected(p, expect);
		while (first < t->len - 1 && t->s[first] == '0')
			first++;
		nd = t->len - first;
		if ((nd + 1) / 2 > SCN_BIG_MAX)
			return scn_error(p->x, here,
					 "%s: a number of %zu hex digits is too large (at most "
					 "4096 bits)",
					 what, nd);
		/* right-aligned, from the last digit */
		memset(out->b, 0, (nd + 1) / 2);
		for (size_t k = 0; k < nd; k++) {
			unsigned d = (unsigned)num_digit(t->s[t->len - 1 - k], 16);

			out->b[(nd + 1) / 2 - 1 - k / 2] |= (uint8_t)(k % 2 ? d << 4 : d);
		}
		scn_big_set_bytes(out, out->b, (nd + 1) / 2); /* no leading zero bytes */
	} else if ((rc = num_parse_u64(t->s, t->len, &v)) == -2) {
		return scn_error(p->x, here,
				 "%s: '%.*s' is too large for a decimal number (at most "
				 "2^64-1; write larger numbers in 0x hex)",
				 what, (int)(t->len > 40 ? 40 : t->len), t->s);
	} else if (rc == 0) {
		scn_big_set_u64(out, v);
	} else if (!find_name(p, t, out)) {
		return scn_p_expected(p, expect);
	}
	p->i++;
	return 0;
}

static int p_newname(struct scn_parser *p, char out[SCN_NAME_MAX + 1])
{
	static const char what[] = "a name (letters, digits, '_' and '-', starting with a letter)";
	const struct scn_tok *t = word(p);
	const struct scn_name *nm;
	struct scn_pos here = scn_p_pos(p);
	size_t ok = 0;

	while (t && ok < t->len &&
	       ((t->s[ok] >= 'a' && t->s[ok] <= 'z') || (t->s[ok] >= 'A' && t->s[ok] <= 'Z') ||
		(ok &&
		 ((t->s[ok] >= '0' && t->s[ok] <= '9') || t->s[ok] == '_' || t->s[ok] == '-'))))
		ok++;
	if (!t || ok < t->len)
		return scn_p_expected(p, what);
	if (t->len > SCN_NAME_MAX)
		/* t->s need not be NUL-terminated: bound the print by the token */
		return scn_error(p->x, here, "the name '%.*s...' is longer than %u bytes",
				 (int)(t->len < 40 ? t->len : 40), t->s, SCN_NAME_MAX);
	if (tok_is(t, "modexp", 6))
		return scn_error(p->x, here, "'modexp' is a keyword, not a name");
	nm = find_name(p, t, NULL);
	if (nm)
		return scn_error(p->x, here, "'%s' is already defined on line %u", nm->name,
				 nm->line);
	memcpy(out, t->s, t->len);
	out[t->len] = '\0';
	p->i++;
	return 0;
}

int scn_define(struct scn_parser *p, const char *name, const struct scn_big *val,
	       struct scn_pos pos)
{
	struct scn_name *nm = scn_grow(p->names, &p->capnames, p->nnames + 1, 8, sizeof(*nm));
	uint8_t *vals = nm ? scn_grow(p->vals, &p->capvals, p->nvals + val->len, 1024, 1) : NULL;

	p->names = nm ? nm : p->names;
	p->vals = vals ? vals : p->vals;
	if (!vals)
		return scn_error(p->x, pos, "out of memory");
	if (2 * (p->nnames + 1) > p->name_slots) { /* keep the index at most half full */
		size_t slots = p->name_slots ? p->name_slots * 2 : 16;
		uint32_t *idx = p->nnames < UINT32_MAX / 2 ? calloc(slots, sizeof(*idx)) : NULL;

		if (!idx)
			return scn_error(p->x, pos, "out of memory");
		free(p->name_index);
		p->name_index = idx;
		p->name_slots = slots;
		for (size_t j = 0; j < p->nnames; j++)
			slot_put(p, j);
	}
	nm = &p->names[p->nnames];
	snprintf(nm->name, sizeof(nm->name), "%s", name);
	nm->len = (uint16_t)val->len;
	nm->off = p->nvals;
	nm->line = pos.line;
	slot_put(p, p->nnames++);
	if (val->len) /* no arena yet for a first value of 0 bytes */
		memcpy(p->vals + p->nvals, val->b, val->len);
	p->nvals += val->len;
	return 0;
}

int scn_cmd_bigs(struct scn_parser *p, struct scn_cmd *c, unsigned n)
{
	free(c->big);
	p->nbigs -= c->nbig;
	c->nbig = 0;
	if (n > SCN_MAX_BIGS - p->nbigs)
		return scn_error(p->x, c->pos,
				 "more than %u big numbers in one scenario (apsim's limit)",
				 SCN_MAX_BIGS);
	c->big = calloc(n ? n : 1, sizeof(*c->big));
	if (!c->big)
		return scn_error(p->x, c->pos, "out of memory");
	c->nbig = n;
	p->nbigs += n;
	return 0;
}

static const char *const cmp_ops[] = { "==", "!=", "<", "<=", ">", ">=", NULL };

bool scn_cmp_eval(enum scn_cmp cmp, uint64_t a, uint64_t b)
{
	/* the orders of a and b each comparison accepts: bit 0 <, bit 1 ==, bit 2 > */
	static const unsigned accepts[] = {
		[SCN_EQ] = 2, [SCN_NE] = 5, [SCN_LT] = 1, [SCN_LE] = 3, [SCN_GT] = 4, [SCN_GE] = 6,
	};
	unsigned order = a < b ? 1 : a == b ? 2 : 4;

	return (unsigned)cmp <= SCN_GE && (accepts[cmp] & order);
}

const char *scn_cmp_text(enum scn_cmp cmp)
{
	return (unsigned)cmp <= SCN_GE ? cmp_ops[cmp] : "?";
}

/* ---- Arguments by signature ---- */

static int p_props(struct scn_parser *p, struct scn_cmd *c, const struct scn_props *pr,
		   unsigned base)
{
	while (!scn_p_at_end(p)) {
		struct scn_pos kpos = scn_p_pos(p);
		unsigned s;
		int k;

		if (choice(p, pr->words, &k, pr->what) < 0)
			return -1;
		s = base + (unsigned)k;
		if (SCN_GIVEN(c, s))
			return scn_error(p->x, kpos, "'%s' %s", pr->words[k], pr->twice);
		if (pr->args[k].kind == SCN_K_END) {
			c->a[s] = (struct scn_val){ 1, kpos };
			c->set |= 1u << s;
		} else if (scn_parse_arg(p, c, &pr->args[k], s) < 0) {
			return -1;
		}
	}
	return 0;
}

int scn_parse_arg(struct scn_parser *p, struct scn_cmd *c, const struct scn_arg *a, unsigned slot)
{
	struct scn_val *v = &c->a[slot];
	int k, rc = 0;

	if ((a->flags & SCN_A_OPT) && scn_p_at_end(p))
		return 0;
	if ((a->flags & SCN_A_IF) && !(slot && c->a[slot - 1].v))
		return 0;
	v->pos = scn_p_pos(p);
	switch (a->kind) {
	case SCN_K_NUM:
	case SCN_K_SIZE:
		if (a->endwhat && scn_p_at_end(p))
			return scn_p_expected(p, a->endwhat);
		rc = number_token(p, a, &v->v);
		break;
	case SCN_K_APQN:
		rc = p_apqn(p, v);
		break;
	case SCN_K_CMP:
	case SCN_K_CMPEQ:
	case SCN_K_WORDS:
		rc = choice(p, a->words ? a->words : cmp_ops, &k,
			    a->what ? a->what : "a comparison");
		v->v = (uint64_t)k;
		if (rc == 0 && a->kind == SCN_K_CMPEQ && k != SCN_EQ && k != SCN_NE)
			return scn_error(p->x, c->pos, "storage compares with == or != only");
		break;
	case SCN_K_TEXT:
	case SCN_K_PATH:
		rc = p_text(p, &c->text, a->what);
		if (rc == 0 && a->kind == SCN_K_PATH && c->text[0] == '\0')
			return scn_error(p->x, v->pos, "empty path");
		break;
	case SCN_K_HEX:
		rc = p_hexbytes(p, c, a->max);
		break;
	case SCN_K_BIG:
		rc = p_big(p, &p->big[slot], a->what);
		break;
	case SCN_K_NEWNAME:
		rc = p_newname(p, p->newname);
		break;
	case SCN_K_LIT:
		return scn_p_accept(p, a->word) ? 0 : scn_p_expected(p, a->what);
	case SCN_K_FLAG:
		v->v = scn_p_accept(p, a->word);
		break;
	case SCN_K_PROPS:
		return p_props(p, c, a->props, slot);
	case SCN_K_FN:
		return a->fn(p, c, slot);
	case SCN_K_END:
		return 0;
	}
	if (rc < 0)
		return -1;
	c->set |= 1u << slot;
	return 0;
}

/* ---- Tokenizer ---- */

struct tokens {
	struct scn_tok *v;
	size_t n, cap;
};

static bool is_blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Split one line (without its newline) into tokens.  Strings are unescaped
 * into `scratch` (at least len bytes).  *srclen = the line up to a comment,
 * without trailing blanks; *eol_col = the column after the last token. */
static int tokenize(struct apsim_ctx *x, unsigned line, const char *s, size_t len,
		    struct tokens *tv, char *scratch, size_t *srclen, unsigned *eol_col)
{
	size_t i = 0, used = 0, end = len;
	struct scn_tok *nv;

#define AT_I (struct scn_pos){ line, (unsigned)(i + 1) }
	tv->n = 0;
	*eol_col = 1;
	while (i < len) {
		unsigned char ch = (unsigned char)s[i];
		struct scn_tok t = { .s = s + i, .col = (unsigned)(i + 1) };
		struct scn_pos pos = AT_I;

		if (is_blank(ch)) {
			i++;
			continue;
		}
		if (ch == '#') {
			for (end = i; i < len; i++)
				if (s[i] == '\0')
					return scn_error(x, AT_I, "NUL byte in the scenario");
			break;
		}
		if (ch == '"') {
			char *d = scratch + used;
			static const char esc[] = "\"\"\\\\n\nt\t";
			const char *e;

			for (i++, t.s = d, t.quoted = true; i >= len || s[i] != '"'; t.len++) {
				if (i >= len)
					return scn_error(x, pos, "unterminated string");
				if (s[i] == '\0')
					return scn_error(x, AT_I, "NUL byte in the scenario");
				if (s[i] != '\\') {
					d[t.len] = s[i++];
					continue;
				}
				e = i + 1 < len && s[i + 1] ? strchr(esc, s[i + 1]) : NULL;
				if (!e || (e - esc) % 2)
					return scn_error(x, AT_I,
							 "unknown escape in string (expected \\\" "
							 "\\\\ \\n or \\t)");
				d[t.len] = e[1];
				i += 2;
			}
			i++; /* closing quote */
			if (i < len && !is_blank((unsigned char)s[i]) && s[i] != '#')
				return scn_error(x, AT_I,
						 "expected a blank after the closing quote");
			used += t.len;
		} else {
			for (; i < len && !is_blank((unsigned char)s[i]) && s[i] != '#'; i++) {
				ch = (unsigned char)s[i];
				if (ch == '"')
					return scn_error(x, AT_I, "unexpected '\"' inside a word");
				if (ch == '\0')
					return scn_error(x, AT_I, "NUL byte in the scenario");
				if (ch < 0x20 || ch >= 0x7f)
					return scn_error(
						x, AT_I,
						"unexpected byte 0x%02x (outside strings "
						"and comments only printable ASCII is allowed)",
						ch);
			}
			t.len = (size_t)(s + i - t.s);
		}
#undef AT_I
		nv = scn_grow(tv->v, &tv->cap, tv->n + 1, 16, sizeof(*nv));
		if (!nv)
			return scn_error(x, (struct scn_pos){ line, t.col }, "out of memory");
		tv->v = nv;
		tv->v[tv->n++] = t;
		*eol_col = (unsigned)(i + 1);
	}
	while (end > 0 && is_blank((unsigned char)s[end - 1]))
		end--;
	*srclen = end;
	return 0;
}

/* ---- Forms ---- */

/* Bytes of the first d words of a path, or SIZE_MAX when it has fewer. */
static size_t path_prefix(const char *path, unsigned d)
{
	size_t n = 0;

	for (unsigned k = 0; k < d; k++) {
		if (!path[n])
			return SIZE_MAX;
		n += strcspn(path + n, " ");
		if (k + 1 < d && path[n])
			n++;
	}
	return n;
}

static const struct scn_group *find_group(const struct scn_form *ref, unsigned d)
{
	size_t n = path_prefix(ref->path, d);

	for (size_t a = 0; a < ARRAY_SIZE(areas); a++)
		for (size_t k = 0; k < areas[a]->ngroups; k++) {
			const struct scn_group *g = &areas[a]->groups[k];

			if (strlen(g->prefix) == n && !memcmp(g->prefix, ref->path, n))
				return g;
		}
	return NULL;
}

#define MAX_CHOICES 40

/* Where the forms sharing a form's first d words go on: the one that ends
 * there, and the distinct next words in table order (NULL-terminated), each
 * with the first form that has it. */
struct branch {
	char buf[MAX_CHOICES][24];
	const char *names[MAX_CHOICES];
	const struct scn_form *forms[MAX_CHOICES], *ends;
};

static bool has_word(const struct branch *b, size_t n, const char *w, size_t len)
{
	for (size_t k = 0; k < n; k++)
		if (strlen(b->names[k]) == len && !memcmp(b->names[k], w, len))
			return true;
	return false;
}

static size_t branch(const struct scn_form *ref, unsigned d, struct branch *b)
{
	size_t n = 0, pre = path_prefix(ref->path, d);

	b->ends = NULL;
	for (size_t a = 0; a < ARRAY_SIZE(areas); a++)
		for (size_t i = 0; i < areas[a]->nforms; i++) {
			const struct scn_form *f = &areas[a]->forms[i];
			const char *w;
			size_t len;

			if (path_prefix(f->path, d) != pre || memcmp(f->path, ref->path, pre))
				continue;
			if (!f->path[pre]) {
				b->ends = b->ends ? b->ends : f;
				continue;
			}
			w = f->path + pre + (d > 0);
			len = strcspn(w, " ");
			if (has_word(b, n, w, len) || n + 1 >= MAX_CHOICES ||
			    len >= sizeof(b->buf[0]))
				continue;
			memcpy(b->buf[n], w, len);
			b->buf[n][len] = '\0';
			b->names[n] = b->buf[n];
			b->forms[n++] = f;
		}
	b->names[n] = NULL;
	return n;
}

static int parse_args(struct scn_parser *p, struct scn_cmd *c, const struct scn_arg *a)
{
	for (; a && a->kind != SCN_K_END; a++) {
		if (scn_parse_arg(p, c, a, c->n) < 0)
			return -1;
		c->n += a->kind == SCN_K_PROPS ? a->props->n : 1;
	}
	return 0;
}

/* The first form of the command word (for the checks before a command is
 * kept), or NULL after reporting. */
static const struct scn_form *find_cmd(struct scn_parser *p, struct branch *b)
{
	char list[1024], msg[1100];
	int k;

	branch(&(struct scn_form){ .path = "" }, 0, b);
	for (k = 0; b->names[k] && !scn_p_accept(p, b->names[k]); k++)
		;
	if (!b->names[k]) {
		join_list(list, sizeof(list), b->names, ", ");
		snprintf(msg, sizeof(msg), "a command (%s)", list);
		scn_p_expected(p, msg);
		return NULL;
	}
	if ((b->forms[k]->flags & SCN_F_SETUP) && p->sys_needed) {
		scn_error(p->x, (struct scn_pos){ p->line, p->tok[0].col },
			  "machine statement '%s' after the system was built by line %u "
			  "(machine statements come before load, set, run, ...)",
			  b->names[k], p->sys_line);
		return NULL;
	}
	return b->forms[k];
}

/* The form's further words (and arguments before a branch, as in `inject
 * at CYCLE`); returns the form, or NULL after reporting. */
static const struct scn_form *find_form(struct scn_parser *p, struct scn_cmd *c,
					const struct scn_form *ref, struct branch *b)
{
	int k;

	p->i = 1;
	for (unsigned d = 1;; d++) {
		const struct scn_group *g = find_group(ref, d);

		if (g && parse_args(p, c, g->pre) < 0)
			return NULL;
		if (!branch(ref, d, b))
			return b->ends;
		for (k = 0; b->ends && b->names[k] && !scn_p_accept(p, b->names[k]); k++)
			;
		if (b->ends && !b->names[k])
			return b->ends;
		if (!b->ends && choice(p, b->names, &k, g ? g->what : "a word") < 0)
			return NULL;
		ref = b->forms[k];
	}
}

static void cmd_free(struct scn_cmd *c)
{
	free(c->text);
	free(c->bytes);
	free(c->big);
}

struct cmds {
	struct scn_cmd *v;
	size_t n, cap;
};

static void cmds_free(struct cmds *cv)
{
	for (size_t k = 0; k < cv->n; k++)
		cmd_free(&cv->v[k]);
	free(cv->v);
}

/* One line: the form, its arguments, its checks. */
static int parse_line(struct scn_parser *p, struct scn_cmd *c, const struct scn_form *ref,
		      struct branch *b)
{
	const struct scn_form *f = find_form(p, c, ref, b);

	if (!f)
		return -1;
	c->form = f;
	if (parse_args(p, c, f->args) < 0 || (f->check && f->check(p, c) < 0))
		return -1;
	if (!scn_p_at_end(p))
		return scn_p_expected(p, "end of line");
	if ((f->flags & SCN_F_SYS) && !p->sys_needed) {
		p->sys_needed = true;
		p->sys_line = p->line;
	}
	return 0;
}

/* Parse every line; stop at the first error. */
static int parse_all(struct apsim_ctx *x, const char *text, size_t len, struct cmds *cv)
{
	struct scn_parser *p = calloc(1, sizeof(*p));
	struct branch br;
	struct tokens tv = { 0 };
	char *scratch = malloc(len + 1);
	size_t off = 0;
	unsigned line = 0;
	int rc = 0;

	if (!scratch || !p || (!x->desc && s390ap_desc_new(&x->desc) < 0)) {
		free(scratch);
		free(p);
		return scn_error(x, (struct scn_pos){ 0, 0 }, "out of memory");
	}
	p->x = x;
	/* machine statements may use the names defined so far */
	s390ap_desc_set_names(x->desc, scn_desc_name, p);
	while (off < len && rc == 0) {
		const char *s = text + off;
		const char *nl = memchr(s, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - s) : len - off;
		size_t srclen = 0;
		struct scn_cmd *c;
		const struct scn_form *ref;

		off += ll + (nl ? 1 : 0);
		if (++line == 0) {
			rc = scn_error(x, (struct scn_pos){ 0, 0 }, "too many lines");
			break;
		}
		if (tokenize(x, line, s, ll, &tv, scratch, &srclen, &p->eol_col) < 0) {
			rc = -1;
			break;
		}
		if (tv.n == 0)
			continue;
		p->line = line;
		p->tok = tv.v;
		p->ntok = tv.n;
		p->i = 0;
		ref = find_cmd(p, &br);
		if (!ref) {
			rc = -1;
			break;
		}
		p->i = 0;
		if (cv->n == SCN_MAX_CMDS) {
			rc = scn_error(x, scn_p_pos(p),
				       "more than %u commands in one scenario (apsim's limit)",
				       SCN_MAX_CMDS);
			break;
		}
		c = scn_grow(cv->v, &cv->cap, cv->n + 1, 32, sizeof(*c));
		if (!c) {
			rc = scn_error(x, scn_p_pos(p), "out of memory");
			break;
		}
		cv->v = c;
		c = &cv->v[cv->n++];
		*c = (struct scn_cmd){ .pos = { line, tv.v[0].col }, .src = s, .srclen = srclen };
		rc = parse_line(p, c, ref, &br);
		if (rc == 0 && (c->form->flags & SCN_F_PARSE)) {
			cmd_free(c); /* nothing left to run (let) */
			cv->n--;
		}
	}
	s390ap_desc_set_names(x->desc, NULL, NULL);
	free(tv.v);
	free(scratch);
	free(p->names);
	free(p->vals);
	free(p->name_index);
	free(p);
	return rc;
}

static int run_all(struct apsim_ctx *x, struct cmds *cv)
{
	for (size_t k = 0; k < cv->n; k++) {
		struct scn_cmd *c = &cv->v[k];
		const struct scn_form *f = c->form;

		if ((f->flags & SCN_F_SYS) && !x->sys && scn_build(x, c) < 0)
			return -1;
		if ((f->run ? f->run(x, c) : scn_expect_value(x, c)) < 0)
			return -1;
	}
	return 0;
}
int apsim_scenario_run(const apsim_opts *opts, const char *name, const char *dir, const char *text,
		       size_t len)
{
	struct apsim_ctx x = {
		.opts = opts,
		.out = opts->out,
		.err = opts->err,
		.name = name,
		.dir = dir,
		.limit = SCN_DEFAULT_LIMIT,
	};
	struct cmds cv = { 0 };
	int status;

	if ((!opts->machine_text || scn_machine_file(&x) == 0) &&
	    parse_all(&x, text, len, &cv) == 0 && !opts->check_only && run_all(&x, &cv) == 0) {
		while (x.nfaults) { /* in the order they would have fired */
			struct scn_fault f = scn_fault_pop(&x);

			fprintf(x.err,
				"%s:%u:%u: note: fault for cycle %" PRIu64
				" never applied (the scenario ended at cycle %" PRIu64 ")\n",
				x.name, f.cmd->pos.line, f.cmd->pos.col, f.cycle,
				x.sys ? s390ap_sys_cycles(x.sys) : 0);
		}
	}
	status = x.errored ? APSIM_EXIT_ERROR : x.failed ? APSIM_EXIT_FAILED : APSIM_EXIT_OK;
	if (opts->stats && x.sys)
		scn_print_stats(&x, x.out);
	if (opts->json)
		scn_json_result(&x, status);
	if (!x.errored && x.failed)
		fprintf(x.err, "%s: %u of %u expectations failed\n", x.name, x.failed,
			x.failed + x.passed);
	else if (!x.errored && x.passed)
		fprintf(x.out, "%s: %s%u expectation%s held\n", x.name, x.passed > 1 ? "all " : "",
			x.passed, x.passed > 1 ? "s" : "");
	fflush(x.out);
	scn_ctx_release(&x);
	cmds_free(&cv);
	return status;
}
