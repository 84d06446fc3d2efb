/* SPDX-License-Identifier: MIT */
/* apsim scenario internals: the command tables, the parsed command, the
 * context a scenario runs in.
 *
 * Every statement is a row of a table (a `scn_form`): its words ("set gr"),
 * the signature of its arguments and a handler.  One generic parser reads
 * the words, then the arguments by signature into the command's slots
 * (a[0], a[1], ... in signature order), and the handler reads them by index.
 * `expect` forms name a getter instead of a handler: the getter returns the
 * value, the comparison is common.  Adding a statement is a row in an
 * area's table (cmd_*.c) and its handler.
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
#include "util/array.h"

#if defined(__GNUC__)
#define SCN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SCN_PRINTF(f, a)
#endif

/* A place in the scenario (1-based; col 0 = the whole line). */
struct scn_pos {
	unsigned line, col;
};

/* One token: a bare word or a "quoted string" (already unescaped). */
struct scn_tok {
	const char *s;
	size_t len;
	unsigned col;
	bool quoted;
};

struct apsim_ctx;
struct scn_parser;
struct scn_cmd;

/* ---- signatures ---- */
enum scn_kind {
	SCN_K_END,
	SCN_K_NUM,     /* decimal or 0x hex (or a defined name) in [min, max] */
	SCN_K_SIZE,    /* same with an optional K, M or G suffix */
	SCN_K_APQN,    /* AA.DDDD in hex */
	SCN_K_CMP,     /* == != < <= > >= (v = enum scn_cmp) */
	SCN_K_CMPEQ,   /* the same, but only == or != */
	SCN_K_WORDS,   /* one of `words` (v = its index) */
	SCN_K_TEXT,    /* a word or a string: c->text */
	SCN_K_PATH,    /* the same, not empty */
	SCN_K_HEX,     /* hex bytes to the end of the line (at most max): c->bytes */
	SCN_K_BIG,     /* a big number: p->big[slot] */
	SCN_K_NEWNAME, /* a name not defined yet: p->newname */
	SCN_K_LIT,     /* the word `word`, else "expected what" */
	SCN_K_FLAG,    /* the word `word` if it is there (v = 1) */
	SCN_K_PROPS,   /* `props` in any order, each once, to the end of the line */
	SCN_K_FN       /* fn parses it */
};

enum {
	SCN_A_OPT = 1u << 0, /* only when the line goes on */
	SCN_A_IF = 1u << 1   /* only when the previous slot is 1 (after a FLAG) */
};

struct scn_props;

struct scn_arg {
	enum scn_kind kind;
	unsigned flags;
	uint64_t min, max;
	const char *what;         /* for "expected WHAT, got ..." */
	const char *endwhat;      /* NUM: what to say at the end of the line */
	const char *word;         /* LIT, FLAG */
	const char *const *words; /* WORDS (NULL-terminated) */
	const struct scn_props *props;
	int (*fn)(struct scn_parser *p, struct scn_cmd *c, unsigned slot);
};

/* Keyword operands: words[k] takes args[k] (kind END: none) into slot
 * base + k. */
struct scn_props {
	const char *what;  /* "an adapter property" */
	const char *twice; /* "given twice" */
	const char *const *words;
	const struct scn_arg *args;
	unsigned n;
};

/* clang-format off */
/* words: a NULL-terminated array; the args follow in its order */
#define SCN_PROPS_OF(what, twice, words, ...) \
	{ what, twice, words, SCN_ARGS(__VA_ARGS__), ARRAY_SIZE(words) - 1 }
#define SCN_ARGS(...) ((const struct scn_arg[]){ __VA_ARGS__, { .kind = SCN_K_END } })
#define SCN_NUM(lo, hi, w) { .kind = SCN_K_NUM, .min = (lo), .max = (hi), .what = (w) }
#define SCN_NUM_OPT(lo, hi, w) \
	{ .kind = SCN_K_NUM, .flags = SCN_A_OPT, .min = (lo), .max = (hi), .what = (w) }
#define SCN_NUM_IF(lo, hi, w) \
	{ .kind = SCN_K_NUM, .flags = SCN_A_IF, .min = (lo), .max = (hi), .what = (w) }
/* ew: what to say when the line ends before it */
#define SCN_NUM_OR(lo, hi, w, ew) \
	{ .kind = SCN_K_NUM, .min = (lo), .max = (hi), .what = (w), .endwhat = (ew) }
#define SCN_SIZE(lo, hi, w) { .kind = SCN_K_SIZE, .min = (lo), .max = (hi), .what = (w) }
#define SCN_APQN { .kind = SCN_K_APQN }
#define SCN_CMP { .kind = SCN_K_CMP }
#define SCN_CMPEQ { .kind = SCN_K_CMPEQ }
#define SCN_WORDS(list, w) { .kind = SCN_K_WORDS, .words = (list), .what = (w) }
#define SCN_TEXT(w) { .kind = SCN_K_TEXT, .what = (w) }
#define SCN_PATH(w) { .kind = SCN_K_PATH, .what = (w) }
#define SCN_HEX(hi) { .kind = SCN_K_HEX, .max = (hi) }
#define SCN_BIG(w) { .kind = SCN_K_BIG, .what = (w) }
#define SCN_NEWNAME { .kind = SCN_K_NEWNAME }
#define SCN_LIT(wd, w) { .kind = SCN_K_LIT, .word = (wd), .what = (w) }
#define SCN_FLAG(wd) { .kind = SCN_K_FLAG, .word = (wd) }
#define SCN_PROPS(pr) { .kind = SCN_K_PROPS, .props = (pr) }
#define SCN_FN(f) { .kind = SCN_K_FN, .fn = (f) }
#define SCN_NONE { .kind = SCN_K_END }
/* clang-format on */

enum scn_flags {
	SCN_F_SETUP = 1u << 0, /* machine statement: only before the system exists */
	SCN_F_SYS = 1u << 1,   /* needs the system: builds it on first use */
	SCN_F_PARSE = 1u << 2  /* all done while parsing: the command is not kept */
};

typedef int scn_run_fn(struct apsim_ctx *x, struct scn_cmd *c);
/* An expectation's actual value and what it is called; 0, or 1 when the
 * expectation was decided (a failure reported), or -1 on an error. */
typedef int scn_get_fn(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t *v, char *what,
		       size_t size);

struct scn_form {
	const char *path; /* the words: "set gr" */
	unsigned flags;
	const struct scn_arg *args; /* SCN_ARGS(...) or NULL */
	scn_run_fn *run;            /* NULL with get: scn_expect_value */
	scn_get_fn *get;            /* expect: the actual value */
	/* after the arguments, while parsing: checks and messages built */
	int (*check)(struct scn_parser *p, struct scn_cmd *c);
	/* inject: the fault itself */
	int (*fault)(s390ap_machine *m, const struct scn_cmd *c);
};

/* Where a form path branches: what to call the choice, and arguments that
 * come before it (inject at CYCLE ...). */
struct scn_group {
	const char *prefix;
	const char *what;
	const struct scn_arg *pre;
};

struct scn_area {
	const struct scn_form *forms;
	size_t nforms;
	const struct scn_group *groups;
	size_t ngroups;
};

/* clang-format off */
#define SCN_AREA(f, g) { f, ARRAY_SIZE(f), g, ARRAY_SIZE(g) }
/* clang-format on */

extern const struct scn_area scn_area_setup;
extern const struct scn_area scn_area_run;
extern const struct scn_area scn_area_check;
extern const struct scn_area scn_area_msg;
extern const struct scn_area scn_area_guest;
extern const struct scn_area scn_area_matrix;
extern const struct scn_area scn_area_vsie;

enum scn_cmp { SCN_EQ, SCN_NE, SCN_LT, SCN_LE, SCN_GT, SCN_GE };

/* A big number (let, request, expect reply ... result): non-negative,
 * big-endian bytes without leading zero bytes; len 0 is zero.  At most
 * SCN_BIG_MAX bytes: 4096 bits, the largest field of any message. */
#define SCN_BIG_MAX 512
/* What one scenario may hold, so the parse of a file at APSIM_MAX_FILE
 * stays within about 200 MB (a command is about 250 bytes, a big number
 * SCN_BIG_MAX + 8); hand-written and generated scenarios are far below. */
#define SCN_MAX_CMDS (1u << 18)
#define SCN_MAX_BIGS (1u << 14)
/* Slots of one command: the most a signature takes (request type50 crt). */
#define SCN_MAX_ARGS 10

struct scn_big {
	size_t len;
	uint8_t b[SCN_BIG_MAX];
};

/* Names (let, request ... length) are constants of the parse. */
#define SCN_NAME_MAX 32
/* VMs one scenario may create (`vm NAME mso ...`). */
#define SCN_MAX_VMS 8

/* A defined name; its value's bytes are in the parser's value arena. */
struct scn_name {
	char name[SCN_NAME_MAX + 1];
	uint16_t len;
	unsigned line;
	size_t off; /* value at vals + off */
};

struct scn_val {
	uint64_t v;
	struct scn_pos pos;
};

/* One parsed command: its form and the argument slots. */
struct scn_cmd {
	const struct scn_form *form;
	struct scn_pos pos; /* the keyword */
	const char *src;    /* source text of the line (no comment) */
	size_t srclen;
	unsigned n;   /* slots used */
	unsigned set; /* bit i: a[i] was given */
	struct scn_val a[SCN_MAX_ARGS];
	char *text;     /* owned: path, name, echo text */
	uint8_t *bytes; /* owned: hex bytes, a built message */
	size_t nbytes;
	struct scn_big *big; /* owned: big numbers (scn_cmd_bigs) */
	unsigned nbig;
};

#define SCN_GIVEN(c, i) (((c)->set >> (i)) & 1u)

/* Parser state for one line, plus what the whole parse has learnt. */
struct scn_parser {
	struct apsim_ctx *x;
	unsigned line;
	unsigned eol_col; /* column just after the last token */
	const struct scn_tok *tok;
	size_t ntok, i;
	bool sys_needed; /* a command that needs the system came before */
	unsigned sys_line;
	struct scn_name *names; /* defined so far */
	size_t nnames, capnames;
	uint8_t *vals; /* the value arena: the names' values back to back */
	size_t nvals, capvals;
	uint32_t *name_index; /* open-addressing hash: 1 + index into names, 0 = free */
	size_t name_slots;
	size_t nbigs;                                /* big numbers held by the commands so far */
	struct scn_big big[SCN_MAX_ARGS];            /* BIG arguments of the line */
	char newname[SCN_NAME_MAX + 1];              /* the NEWNAME argument of the line */
	char vmnames[SCN_MAX_VMS][SCN_NAME_MAX + 1]; /* VMs defined so far (vm NAME mso) */
	unsigned nvms;
	unsigned matrix_line; /* the first line that uses the matrix (0: none yet) */
};

/* ---- the system being described (setup phase) ----
 * The AP machine's own statements go to the library's machine description
 * (s390ap/desc.h, x->desc); apsim keeps the system's. */
struct scn_spec {
	s390ap_sys_opts so;
	s390ap_cost_model cost;
	bool cost_set;
};

/* A fault waiting for its cycle. */
struct scn_fault {
	uint64_t cycle;
	uint64_t seq; /* scenario order: equal cycles fire in it */
	const struct scn_cmd *cmd;
};

/* A failed expectation (kept for --json). */
struct scn_failure {
	struct scn_pos pos;
	char *msg;
};

#define SCN_DEFAULT_LIMIT 100000000ull /* `run until halt` instruction cap */

/* A VM of the scenario (cmd_guest.c): the masks apsim gave it, as 32-byte
 * images, and the entry of the last program loaded into it. */
struct scn_vm {
	char name[SCN_NAME_MAX + 1];
	s390ap_vm *vm;
	uint8_t apm[32], aqm[32], adm[32];
	uint64_t entry;
	bool have_entry;
	uint64_t g3scb; /* guest-3's SCB (guest-2 address), from `vm NAME g3 scb` */
	bool have_g3scb;
};

struct apsim_ctx {
	const apsim_opts *opts;
	FILE *out;
	FILE *err;
	const char *name; /* scenario name for messages */
	const char *dir;  /* base for relative paths, NULL = cwd */

	struct scn_spec spec;
	s390ap_desc *desc; /* the machine statements, parsed by the library */
	s390ap_machine *m;
	s390ap_sys *sys;
	unsigned cpu;   /* the current vCPU */
	uint64_t entry; /* entry of the last loaded program */
	bool have_entry;
	uint64_t limit; /* `run until halt` instruction cap */

	struct scn_fault *faults; /* pending: a binary min-heap on (cycle, seq) */
	size_t nfaults, capfaults;
	uint64_t fault_seq;

	unsigned passed, failed; /* expectations */
	struct scn_failure *fails;
	size_t nfails, capfails;
	bool errored; /* a scenario error stopped the run */
	struct scn_pos errpos;
	char errmsg[512];
	bool stopped_idle;     /* the last run ended with every vCPU waiting */
	s390ap_stop last_stop; /* why the last s390ap_sys_run returned (--json) */
	bool ran;              /* a run command ran */

	s390ap_kvm *kvm; /* the host, made by the first `vm` */
	struct scn_vm vms[SCN_MAX_VMS];
	unsigned nvms;
	s390ap_vcpu *vcpu[S390AP_MAX_CPUS]; /* the guest vCPU on each system vCPU */
	unsigned vcpu_vm[S390AP_MAX_CPUS];  /* its VM's index in vms */

	s390ap_matrix *mx;  /* the vfio-ap matrix, made at its first use (cmd_matrix.c) */
	unsigned mx_policy; /* its options: `matrix policy`, `matrix masks-zero` */
	bool mx_masks_zero;
};

/* ---- reporting ---- */
/* A scenario error at pos: printed as name:line:col, returns -1. */
int scn_error(struct apsim_ctx *x, struct scn_pos pos, const char *fmt, ...) SCN_PRINTF(3, 4);
/* A failed expectation of command c: printed, counted, returns 1 (a run
 * handler may return it: only a negative result stops the scenario). */
int scn_expect_failed(struct apsim_ctx *x, const struct scn_cmd *c, const char *fmt, ...)
	SCN_PRINTF(3, 4);

/* v, grown to hold `need` elements (doubling from `first`), or NULL (v
 * is then unchanged). */
void *scn_grow(void *v, size_t *cap, size_t need, size_t first, size_t elem);

/* ---- parsing (all return 0, or -1 after reporting) ---- */
bool scn_p_at_end(const struct scn_parser *p);
struct scn_pos scn_p_pos(const struct scn_parser *p);
/* "expected WHAT, got 'TOKEN'" at the next token. */
int scn_p_expected(struct scn_parser *p, const char *what);
/* Consume the next token if it is this bare word. */
bool scn_p_accept(struct scn_parser *p, const char *word);
/* One argument by its signature into slot `slot`. */
int scn_parse_arg(struct scn_parser *p, struct scn_cmd *c, const struct scn_arg *a, unsigned slot);
/* Define a name (checked by a NEWNAME argument). */
int scn_define(struct scn_parser *p, const char *name, const struct scn_big *val,
	       struct scn_pos pos);
/* Give c room for n big numbers (zero), counted against SCN_MAX_BIGS. */
int scn_cmd_bigs(struct scn_parser *p, struct scn_cmd *c, unsigned n);

/* ---- big numbers ---- */
void scn_big_set_u64(struct scn_big *b, uint64_t v);
/* Significant bits of a number given as bytes (leading zeros allowed). */
size_t scn_bits(const uint8_t *p, size_t n);
/* "0x1234" or, above 32 hex digits, "0x0123456789ab...fedcba987654 (1024
 * bits)". */
const char *scn_hex_text(const uint8_t *p, size_t n, char *buf, size_t size);

/* ---- evaluation ---- */
bool scn_cmp_eval(enum scn_cmp cmp, uint64_t actual, uint64_t want);
const char *scn_cmp_text(enum scn_cmp cmp);
/* Compare `actual` with the command's last slot by the one before it:
 * count a pass, or report "WHAT is ACTUAL, expected OP WANT".  Returns 0 or 1. */
int scn_check(struct apsim_ctx *x, const struct scn_cmd *c, const char *what, uint64_t actual);

/* ---- machine statements (cmd_setup.c; also `inject add`) ---- */
/* A library error (desc.h) as a scenario error at its place. */
int scn_desc_error(struct apsim_ctx *x, const s390ap_desc_error *err, struct scn_pos otherwise);
/* The machine file of --machine into x->desc (before the scenario's lines). */
int scn_machine_file(struct apsim_ctx *x);
/* The value of a name defined before (a s390ap_desc_name_fn on a parser). */
int scn_desc_name(void *parser, const char *name, size_t len, uint64_t *value);

/* ---- the system ---- */
int scn_build(struct apsim_ctx *x, const struct scn_cmd *by);
s390ap_cpu *scn_cpu(struct apsim_ctx *x);
/* The earliest pending timed fault (x->nfaults > 0), taken off the heap. */
struct scn_fault scn_fault_pop(struct apsim_ctx *x);
void scn_ctx_release(struct apsim_ctx *x);
/* Read a file the scenario names: absolute as is, relative from the
 * scenario's directory, then each -I directory. */
int scn_read_path(struct apsim_ctx *x, struct scn_pos pos, const char *path, char **data,
		  size_t *len);
/* Write bytes (a request: say so in errors) to storage; errors at pos. */
int scn_write_storage(struct apsim_ctx *x, struct scn_pos pos, uint64_t addr, const uint8_t *b,
		      size_t n, bool request);

/* ---- guests (cmd_guest.c) ---- */
/* The guest vCPU running on the current system vCPU, or NULL. */
s390ap_vcpu *scn_guest(const struct apsim_ctx *x);
/* A scenario error when the current vCPU runs a guest (what: the command). */
int scn_host_only(struct apsim_ctx *x, const struct scn_cmd *c, const char *what);
/* Guest registers, PSW and CRs: the guest's when a guest runs on cpu. */
uint64_t scn_gr(const struct apsim_ctx *x, unsigned n);
void scn_psw(const struct apsim_ctx *x, s390ap_psw *psw);
unsigned scn_cc(const struct apsim_ctx *x);
uint64_t scn_cr(const struct apsim_ctx *x, unsigned n);
/* --stats and --json lines of the guests. */
void scn_print_guest_stats(struct apsim_ctx *x, FILE *out);
void scn_json_guests(struct apsim_ctx *x, apsim_json *j);
void scn_guests_release(struct apsim_ctx *x);
/* A VM made on an earlier line: a[slot] = its index in vms. */
int scn_p_vmname(struct scn_parser *p, struct scn_cmd *c, unsigned slot);

/* Shared with cmd_vsie.c. */
const char *scn_kvm_msg(const struct apsim_ctx *x, int rc);
/* The guest vCPU on system vCPU a[k], or NULL after an error. */
s390ap_vcpu *scn_vcpu_at(struct apsim_ctx *x, const struct scn_cmd *c, unsigned k);
/* An id list into mask k (0 apm, 1 aqm, 2 adm) of c->bytes (96 bytes). */
int scn_p_idlist_at(struct scn_parser *p, struct scn_cmd *c, unsigned slot, unsigned k);
/* An SCB field name: a[slot] = table index << 8 | item. */
int scn_p_scbfield(struct scn_parser *p, struct scn_cmd *c, unsigned slot);
/* A mask in hex, trailing zero bytes past the 8th shortened to "...00". */
void scn_hex_mask(FILE *out, const uint8_t *m, size_t n);
const char *scn_crycb_format_name(unsigned fmt);
/* The lines of print scb / print crycb after their heading. */
void scn_list_scb(FILE *out, const uint8_t scb[S390AP_SCB_SIZE]);
void scn_list_crycb(FILE *out, const uint8_t blk[S390AP_CRYCB_SIZE], unsigned fmt);

/* vm NAME load elf PATH at BASE (cmd_vsie.c): the segments at BASE + their
 * addresses; a[1] is the path (c->text). */
int scn_vm_load_elf_at(struct apsim_ctx *x, struct scn_cmd *c, uint64_t base);

/* ---- the vfio-ap matrix (cmd_matrix.c) ---- */
/* Before the host: the matrix borrows it and the machine. */
void scn_matrix_release(struct apsim_ctx *x);
/* print config: the table, with the vfio_ap columns once a matrix exists. */
scn_run_fn scn_print_config;
/* expect queue APQN use ==|!= unassigned|assigned|in-use: the word, and the
 * check (decided there: returns 1, or -1). */
int scn_p_queue_use(struct scn_parser *p, struct scn_cmd *c, unsigned slot);
int scn_expect_queue_use(struct apsim_ctx *x, const struct scn_cmd *c);

/* ---- expect (cmd_check.c) ---- */
/* A form's getter, compared by scn_check. */
scn_run_fn scn_expect_value;
void scn_print_stats(struct apsim_ctx *x, FILE *out);
void scn_json_result(struct apsim_ctx *x, int status);

/* ---- AP replies (reply.c) ---- */
extern const char *const scn_reply_fields[];
int scn_reply_value(struct scn_parser *p, struct scn_cmd *c, unsigned slot);
scn_run_fn scn_reply_print, scn_reply_expect;

#endif
