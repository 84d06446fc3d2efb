/* apsim scenario internals shared by the parser (scenario.c) and the command
 * areas (cmd_setup.c: the machine; cmd_run.c: programs, registers, running,
 * faults; cmd_check.c: print, echo, expect).
 *
 * Adding a command: write a parse and an exec function in the area's file,
 * add a row to that area's table (name, flags, usage).  Adding an area: a
 * new cmd_*.c with its own table, listed in scenario.c's `areas`.
 */
#ifndef APSIM_SCN_H
#define APSIM_SCN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "s390ap/s390ap.h"
#include "scenario.h"

#if defined(__GNUC__)
#define SCN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SCN_PRINTF(f, a)
#endif

/* A place in the scenario (1-based; col 0 = the whole line). */
struct scn_pos {
	unsigned line, col;
};

/* One token of a line: a bare word, or a "quoted string" (already
 * unescaped). */
struct scn_tok {
	const char *s;
	size_t len;
	unsigned col;
	bool quoted;
};

struct apsim_ctx;
struct scn_parser;
struct scn_cmd;

enum scn_flags {
	SCN_F_SETUP = 1u << 0, /* machine statement: only before the system exists */
	SCN_F_SYS = 1u << 1,   /* needs the system: builds it on first use */
	SCN_F_PARSE = 1u << 2  /* all done while parsing: the command is not kept */
};

struct scn_cmd_def {
	const char *name;
	unsigned flags;
	int (*parse)(struct scn_parser *p, struct scn_cmd *c);
	int (*exec)(struct apsim_ctx *x, struct scn_cmd *c);
	const char *usage; /* shown when the command is misused */
};

/* A table of commands for one area. */
struct scn_area {
	const struct scn_cmd_def *cmds;
	size_t count;
};

extern const struct scn_area scn_area_setup;
extern const struct scn_area scn_area_run;
extern const struct scn_area scn_area_check;
extern const struct scn_area scn_area_msg;

enum scn_cmp { SCN_EQ, SCN_NE, SCN_LT, SCN_LE, SCN_GT, SCN_GE };

#define SCN_MAX_VALS 10

/* A big number (let, request, expect reply ... result): non-negative,
 * big-endian bytes without leading zero bytes; len 0 is zero.  At most
 * SCN_BIG_MAX bytes: 4096 bits, the largest field of any message. */
#define SCN_BIG_MAX 512
/* What one scenario may hold, so the parse of a file at APSIM_MAX_FILE
 * stays within about 200 MB (a command is about 250 bytes, a big number
 * SCN_BIG_MAX + 8); hand-written and generated scenarios are far below. */
#define SCN_MAX_CMDS (1u << 18)
#define SCN_MAX_BIGS (1u << 14)

struct scn_big {
	size_t len;
	uint8_t b[SCN_BIG_MAX];
};

/* A name defined by `let NAME = NUMBER` or `request ... length NAME`.
 * Names are constants of the parse: a later line uses the value wherever
 * it takes a number. */
#define SCN_NAME_MAX 32

/* A defined name; its value's bytes are in the parser's value arena (a
 * value is as long as it is, not SCN_BIG_MAX). */
struct scn_name {
	char name[SCN_NAME_MAX + 1];
	uint16_t len;              /* value bytes */
	unsigned line;             /* where it was defined */
	size_t off;                /* value at vals + off */
};

/* One parsed command.  Each command documents how it uses the slots. */
struct scn_cmd {
	const struct scn_cmd_def *def;
	struct scn_pos pos;        /* the keyword */
	const char *src;           /* source text of the line (no comment) */
	size_t srclen;
	int sub;                   /* which form / what is selected */
	int sel;                   /* a second selector */
	enum scn_cmp cmp;
	unsigned set;              /* bit i: v[i] was given */
	uint64_t v[SCN_MAX_VALS];
	struct scn_pos vpos[SCN_MAX_VALS];
	char *text;                /* owned: path, name, echo text */
	uint8_t *bytes;            /* owned: hex bytes, a built message */
	size_t nbytes;
	struct scn_big *big;       /* owned: big numbers (scn_cmd_bigs) */
	unsigned nbig;
};

/* Parser state for one line, plus what the parse of the whole file has
 * learnt so far (so that ordering rules are checked before anything runs). */
struct scn_parser {
	struct apsim_ctx *x;
	unsigned line;
	unsigned eol_col;          /* column just after the last token */
	const struct scn_tok *tok;
	size_t ntok, i;
	bool sys_needed;           /* a command that needs the system came before */
	unsigned sys_line;         /* ... on this line */
	bool machine_seen;         /* a machine statement came before */
	struct scn_name *names;    /* defined so far (let, request ... length) */
	size_t nnames, capnames;
	uint8_t *vals;             /* the names' values, back to back */
	size_t nvals, capvals;
	uint32_t *name_index;      /* open-addressing hash: 1 + index into names, 0 = free */
	size_t name_slots;         /* a power of two, at least twice nnames */
	size_t nbigs;              /* big numbers held by the commands so far */
};

/* ---- the machine being described (setup phase) ---- */
struct scn_adapter_spec {
	unsigned apid;
	s390ap_adapter_opts o;
	struct scn_pos pos;
};

struct scn_domain_spec {
	unsigned apqi;
	bool usage, control;
	struct scn_pos pos;
};

struct scn_spec {
	bool from_default;         /* the content is the default machine's */
	bool modified;             /* anything but the default content */
	struct scn_pos base_pos;   /* the `machine` statement (or line 0) */
	s390ap_machine_opts mo;
	struct scn_adapter_spec ad[S390AP_MAX_IDS];
	unsigned nad;
	struct scn_domain_spec dom[S390AP_MAX_IDS];
	unsigned ndom;
	s390ap_sys_opts so;
	s390ap_cost_model cost;
	bool cost_set;
};

/* A fault waiting for its cycle. */
struct scn_fault {
	uint64_t cycle;
	uint64_t seq;              /* scenario order: equal cycles fire in it */
	const struct scn_cmd *cmd;
};

/* A failed expectation (kept for --json). */
struct scn_failure {
	struct scn_pos pos;
	char *msg;
};

#define SCN_DEFAULT_LIMIT 100000000ull /* `run until halt` instruction cap */

struct apsim_ctx {
	const apsim_opts *opts;
	FILE *out;
	FILE *err;
	const char *name;          /* scenario name for messages */
	const char *dir;           /* base for relative paths, NULL = cwd */

	struct scn_spec spec;
	s390ap_machine *m;
	s390ap_sys *sys;
	unsigned cpu;              /* the current vCPU */
	uint64_t entry;            /* entry of the last loaded program */
	bool have_entry;
	uint64_t limit;            /* `run until halt` instruction cap */

	struct scn_fault *faults;  /* pending: a binary min-heap on (cycle, seq) */
	size_t nfaults, capfaults;
	uint64_t fault_seq;

	unsigned passed;           /* expectations */
	unsigned failed;
	struct scn_failure *fails;
	size_t nfails, capfails;
	bool errored;              /* a scenario error stopped the run */
	struct scn_pos errpos;
	char errmsg[512];
	bool stopped_idle;         /* the last run ended with every vCPU waiting */
	s390ap_stop last_stop;     /* why the last s390ap_sys_run returned (--json) */
	bool ran;                  /* a run command ran */
};

/* ---- reporting ---- */
/* A scenario error at pos: printed as name:line:col, returns -1. */
int scn_error(struct apsim_ctx *x, struct scn_pos pos, const char *fmt, ...) SCN_PRINTF(3, 4);
/* A failed expectation of command c: printed, counted, returns 0. */
int scn_expect_failed(struct apsim_ctx *x, const struct scn_cmd *c, const char *fmt, ...)
	SCN_PRINTF(3, 4);

/* ---- parsing helpers (all return 0, or -1 after reporting) ---- */
bool scn_p_at_end(const struct scn_parser *p);
/* Position of the next token (or of the end of the line). */
struct scn_pos scn_p_pos(const struct scn_parser *p);
/* "expected WHAT, got 'TOKEN'" at the next token. */
int scn_p_expected(struct scn_parser *p, const char *what);
/* Consume the next token if it is this bare word. */
bool scn_p_accept(struct scn_parser *p, const char *word);
/* One of the NULL-terminated names (bare word); *idx = its index. */
int scn_p_choice(struct scn_parser *p, const char *const *names, int *idx, const char *what);
/* A number (decimal or 0x hex) in [min, max]. */
int scn_p_number(struct scn_parser *p, uint64_t min, uint64_t max, uint64_t *v,
		 struct scn_pos *pos, const char *what);
/* Same, stored in c->v[slot] / c->vpos[slot], marking c->set. */
int scn_p_slot(struct scn_parser *p, struct scn_cmd *c, unsigned slot, uint64_t min,
	       uint64_t max, const char *what);
/* A size: a number with an optional K, M or G suffix (powers of 1024). */
int scn_p_size(struct scn_parser *p, uint64_t min, uint64_t max, uint64_t *v,
	       struct scn_pos *pos, const char *what);
/* An APQN written as lszcrypt does: AA.DDDD in hex. */
int scn_p_apqn(struct scn_parser *p, struct scn_cmd *c, unsigned slot);
/* ==, !=, <, <=, >, >= */
int scn_p_cmp(struct scn_parser *p, enum scn_cmp *cmp);
/* A quoted string or a bare word, copied (NUL-terminated). */
int scn_p_text(struct scn_parser *p, char **out, struct scn_pos *pos, const char *what);
/* Hex bytes to the end of the line: tokens of an even number of hex
 * digits ("00 50 0118" = 4 bytes); at least one byte, at most max. */
int scn_p_hexbytes(struct scn_parser *p, struct scn_cmd *c, size_t max);
/* Nothing may follow. */
int scn_p_end(struct scn_parser *p);

/* A big number: decimal (up to 64 bits), 0x hex up to 4096 bits, or a name
 * defined before (let, request ... length).  scn_p_number also takes a name
 * whose value fits its range. */
int scn_p_big(struct scn_parser *p, struct scn_big *out, struct scn_pos *pos, const char *what);
/* A new name (letters, digits, '_' and '-', starting with a letter, at
 * most SCN_NAME_MAX bytes, not defined yet), copied to out. */
int scn_p_newname(struct scn_parser *p, char out[SCN_NAME_MAX + 1], struct scn_pos *pos);
/* Define a name checked by scn_p_newname. */
int scn_define(struct scn_parser *p, const char *name, const struct scn_big *val,
	       struct scn_pos pos);
/* Give c room for n big numbers (zero). */
int scn_cmd_bigs(struct scn_parser *p, struct scn_cmd *c, unsigned n);

/* Big numbers from / to 64-bit values; the second returns false when the
 * number has more than 64 bits. */
void scn_big_set_u64(struct scn_big *b, uint64_t v);
bool scn_big_get_u64(const struct scn_big *b, uint64_t *v);
/* Bytes (leading zeros allowed) to a big number; false if over SCN_BIG_MAX. */
bool scn_big_set_bytes(struct scn_big *b, const uint8_t *p, size_t n);
/* Significant bits of a number given as bytes (leading zeros allowed). */
size_t scn_bits(const uint8_t *p, size_t n);
/* "0x1234" or, above 32 hex digits, "0x0123456789ab...fedcba987654 (1024
 * bits)" of a number given as bytes (leading zeros allowed). */
const char *scn_hex_text(const uint8_t *p, size_t n, char *buf, size_t size);

/* Shared by `adapter`/`domain` and `inject ... add` (cmd_setup.c):
 * adapter: v[0] = apid, v[1..7] = type, mode, domains, ml, depth, latency,
 * fac (c->set tells which were given); domain: v[0] = apqi, sub = bit 0
 * usage, bit 1 control. */
int scn_parse_adapter(struct scn_parser *p, struct scn_cmd *c);
void scn_adapter_opts(const struct scn_cmd *c, s390ap_adapter_opts *o);
int scn_parse_domain(struct scn_parser *p, struct scn_cmd *c);

/* ---- evaluation helpers ---- */
bool scn_cmp_eval(enum scn_cmp cmp, uint64_t actual, uint64_t want);
const char *scn_cmp_text(enum scn_cmp cmp);

/* ---- the system ---- */
/* Build the machine and the system from the spec, once. */
int scn_build(struct apsim_ctx *x, const struct scn_cmd *by);
/* The current vCPU. */
s390ap_cpu *scn_cpu(struct apsim_ctx *x);
/* Apply every pending fault whose cycle has come. */
int scn_apply_faults(struct apsim_ctx *x);
/* The earliest pending timed fault (x->nfaults > 0), taken off the list. */
struct scn_fault scn_fault_pop(struct apsim_ctx *x);
/* Free what the context owns (machine, system, faults, failures). */
void scn_ctx_release(struct apsim_ctx *x);
/* Read the file a scenario names: an absolute path as is, a relative one
 * from the scenario's directory, then from each -I directory.  Returns 0, or
 * -1 after reporting the error at pos. */
int scn_read_path(struct apsim_ctx *x, struct scn_pos pos, const char *path, char **data,
		  size_t *len);

/* ---- shared printers and checks (cmd_check.c) ---- */
void scn_print_stats(struct apsim_ctx *x, FILE *out);
void scn_json_result(struct apsim_ctx *x, int status);
/* Compare `actual` with c->v[2] by c->cmp: count a pass, or report "WHAT is
 * ACTUAL, expected OP WANT".  Returns 0 (-1 only on a scenario error). */
int scn_check(struct apsim_ctx *x, const struct scn_cmd *c, const char *what, uint64_t actual);

/* ---- AP replies in storage (reply.c) ---- */
/* The fields of `expect reply ADDR FIELD ...`, NULL-terminated. */
extern const char *const scn_reply_fields[];
/* `expect reply` after the word "reply": ADDR FIELD OP VALUE. */
int scn_parse_reply_expect(struct scn_parser *p, struct scn_cmd *c);
int scn_exec_reply_expect(struct apsim_ctx *x, struct scn_cmd *c);
/* `print reply ADDR` (v[0] = ADDR). */
int scn_exec_reply_print(struct apsim_ctx *x, struct scn_cmd *c);

#endif
