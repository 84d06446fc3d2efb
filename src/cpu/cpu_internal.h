/* SPDX-License-Identifier: MIT */
/* Internal state of the dispatcher (src/cpu/).  Not part of the public API.
 *
 * Layout of the code:
 *   decode.c        opcode tables, field extraction, the decoded-instruction cache
 *   access.c        real -> absolute prefixing, storage access slow paths,
 *                   code-write invalidation, the storage interfaces
 *   interrupt.c     PSW loading and validity, program and I/O interruptions, wait
 *   exec_load.c     loads, stores, moves (LGHI ... LTR)
 *   exec_arith.c    arithmetic, logic, shifts, compares, tests
 *   exec_branch.c   branches
 *   exec_control.c  IPM SPM STFLE/STFL LPSWE LCTLG STCTG SSM STOSM STNSM SPX STPX
 *                   STAP DIAG, the AP instructions and SIE
 *   run.c           the hot loop and the round-robin scheduler
 *   sys.c           lifecycle, accessors, statistics
 *   state.c         save and restore of a whole system
 *   elf.c           the ELF64 loader
 */
#ifndef S390AP_CPU_INTERNAL_H
#define S390AP_CPU_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/cpu.h"
#include "s390ap/error.h"
#include "s390ap/insn.h"
#include "s390ap/machine.h"
#include "s390ap/storage.h"
#include "util/be.h"

#include "pqap/pqap_internal.h"

#if defined(__GNUC__)
#define CPU_LIKELY(x) __builtin_expect(!!(x), 1)
#define CPU_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define CPU_NOINLINE __attribute__((noinline))
#define CPU_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CPU_NOINLINE
#define CPU_ALWAYS_INLINE inline
#define CPU_LIKELY(x) (x)
#define CPU_UNLIKELY(x) (x)
#endif

/* Program-interruption codes counted per code (codes are 1..0x7f here). */
#define CPU_PGM_CODES 128u

/* ------------------------------------------------------------------ */
/* The instruction table                                               */
/* ------------------------------------------------------------------ */
/* X(mnemonic, format, cost class), in id order.  The order is the public
 * numbering of s390ap_insn_name(); append, never reorder. */
/* clang-format off */
#define CPU_INSN_LIST(X)                                                   \
	X(LGHI, RI, SIMPLE) X(LHI, RI, SIMPLE) X(LGFI, RIL, SIMPLE)        \
	X(LLILF, RIL, SIMPLE) X(LLIHF, RIL, SIMPLE) X(IILF, RIL, SIMPLE)   \
	X(IIHF, RIL, SIMPLE) X(LA, RX, SIMPLE) X(LAY, RXY, SIMPLE)         \
	X(LARL, RIL, SIMPLE) X(LG, RXY, LOAD_STORE) X(LGF, RXY, LOAD_STORE) \
	X(L, RX, LOAD_STORE) X(LY, RXY, LOAD_STORE) X(LLGF, RXY, LOAD_STORE) \
	X(LLGC, RXY, LOAD_STORE) X(LLGH, RXY, LOAD_STORE)                  \
	X(LH, RX, LOAD_STORE) X(ST, RX, LOAD_STORE) X(STY, RXY, LOAD_STORE) \
	X(STG, RXY, LOAD_STORE) X(STH, RX, LOAD_STORE)                     \
	X(LMG, RSY, MULTIPLE) X(STMG, RSY, MULTIPLE) X(MVC, SS, MULTIPLE)  \
	X(MVI, SI, LOAD_STORE) X(XC, SS, MULTIPLE) X(CLC, SS, MULTIPLE)    \
	X(IC, RX, LOAD_STORE) X(STC, RX, LOAD_STORE) X(LGR, RRE, SIMPLE)   \
	X(LR, RR, SIMPLE) X(LTGR, RRE, SIMPLE) X(LTR, RR, SIMPLE)          \
	X(AGHI, RI, SIMPLE) X(AHI, RI, SIMPLE) X(AGR, RRE, SIMPLE)         \
	X(AR, RR, SIMPLE) X(SGR, RRE, SIMPLE) X(SR, RR, SIMPLE)            \
	X(NGR, RRE, SIMPLE) X(OGR, RRE, SIMPLE) X(XGR, RRE, SIMPLE)        \
	X(NILL, RI, SIMPLE) X(NILF, RIL, SIMPLE) X(OILL, RI, SIMPLE)       \
	X(OILF, RIL, SIMPLE) X(SLLG, RSY, SIMPLE) X(SRLG, RSY, SIMPLE)     \
	X(SLL, RS, SIMPLE) X(SRL, RS, SIMPLE) X(CGR, RRE, SIMPLE)          \
	X(CR, RR, SIMPLE) X(CLGR, RRE, SIMPLE) X(CGHI, RI, SIMPLE)         \
	X(CHI, RI, SIMPLE) X(CGFI, RIL, SIMPLE) X(CLGFI, RIL, SIMPLE)      \
	X(CLI, SI, LOAD_STORE) X(TM, SI, LOAD_STORE) X(TMLL, RI, SIMPLE)   \
	X(BRC, RI, SIMPLE) X(BRCL, RIL, SIMPLE) X(BRCT, RI, SIMPLE)        \
	X(BRCTG, RI, SIMPLE) X(BRAS, RI, SIMPLE) X(BRASL, RIL, SIMPLE)     \
	X(BCR, RR, SIMPLE) X(BASR, RR, SIMPLE) X(IPM, RRE, CONTROL)        \
	X(SPM, RR, CONTROL) X(STFLE, S, CONTROL) X(LPSWE, S, CONTROL)      \
	X(LCTLG, RSY, CONTROL) X(STCTG, RSY, CONTROL) X(SSM, S, CONTROL)   \
	X(STOSM, SI, CONTROL) X(STNSM, SI, CONTROL) X(SPX, S, CONTROL)     \
	X(STPX, S, CONTROL) X(DIAG, RS, DIAG) X(PQAP, RRE, AP)             \
	X(NQAP, RRE, AP) X(DQAP, RRE, AP) X(SIE, S, SIE)                   \
	X(STAP, S, CONTROL) X(STFL, S, CONTROL)
/* clang-format on */

/* clang-format off */
enum cpu_id {
#define CPU_X_(name, fmt, cls) CPU_ID_##name,
	CPU_INSN_LIST(CPU_X_)
#undef CPU_X_
	CPU_NINSNS
};
/* clang-format on */

_Static_assert(CPU_NINSNS <= 256, "struct cpu_op keeps the id in a byte");

/* Instruction formats (field layout in the decoded entry, see struct cpu_op). */
enum cpu_fmt {
	CPU_FMT_RR,
	CPU_FMT_RRE,
	CPU_FMT_RI,
	CPU_FMT_RIL,
	CPU_FMT_RX,
	CPU_FMT_RXY,
	CPU_FMT_RS,
	CPU_FMT_RSY,
	CPU_FMT_SI,
	CPU_FMT_S,
	CPU_FMT_SS
};

/* Cost classes: the base cost charged before the handler runs. */
enum cpu_cost_class {
	CPU_COST_SIMPLE,
	CPU_COST_LOAD_STORE,
	CPU_COST_MULTIPLE,
	CPU_COST_CONTROL,
	CPU_COST_DIAG,
	CPU_COST_AP,
	CPU_COST_SIE,
	CPU_NCOST
};

struct s390ap_cpu;
struct cpu_op;
typedef void (*cpu_fn)(struct s390ap_cpu *c, const struct cpu_op *op);

#define CPU_X_(name, fmt, cls) void cpu_op_##name(struct s390ap_cpu *c, const struct cpu_op *op);
CPU_INSN_LIST(CPU_X_)
#undef CPU_X_

/* A decoded instruction: one entry of the direct-mapped cache.
 *
 *   format  r1      r2        x    b1  d1   b2  d2          imm
 *   RR      R1/M1   R2        -    -   -    -   -           -
 *   RRE     R1      R2        -    -   -    -   -           -
 *   RI      R1/M1   -         -    -   -    -   -           I2 (sign-extended)
 *   RIL     R1/M1   -         -    -   -    -   -           I2 (32 bits)
 *   RX      R1      -         X2   -   -    B2  D2 (12)     -
 *   RXY     R1      -         X2   -   -    B2  D2 (20, signed)
 *   RS      R1      R3        0    -   -    B2  D2 (12)     -
 *   RSY     R1      R3        0    -   -    B2  D2 (20, signed)
 *   SI      -       -         -    B1  D1   -   -           I2 (byte)
 *   S       -       -         0    -   -    B2  D2 (12)     -
 *   SS      -       -         -    B1  D1   B2  D2 (12)     L (length - 1)
 *
 * Base and index fields hold 16 instead of 0, so that gr[16] (always zero)
 * stands for "no register" and address arithmetic needs no branch.
 */
struct cpu_op {
	uint64_t tag; /* instruction address; CPU_TAG_INVALID when empty */
	cpu_fn fn;
	int32_t d1, d2;
	int32_t imm;
	const struct cpu_op *next;   /* the cache slot of tag + ilen (the sequential
				      * successor, valid only if its tag matches) */
	const struct cpu_op *target; /* relative branches: the cache slot of taddr */
	uint64_t taddr; /* relative branches: tag + 2 * I2 (before the addressing mode) */
	uint32_t cost;  /* base cycles, resolved from the cost model */
	uint8_t id;
	uint8_t fast; /* enum cpu_fast: run inline by the hot loop */
	uint8_t ilen;
	uint8_t r1, r2, x, b1, b2;
};

/* Instructions the hot loop runs inline (with its state in registers)
 * instead of calling op->fn; op->fn does the same and is what the traced
 * loop calls.  At most eight (the loop switches on the low three bits). */
enum cpu_fast {
	CPU_FAST_CALL,
	CPU_FAST_BRC,
	CPU_FAST_BRCT,
	CPU_FAST_BRCTG,
	CPU_FAST_AHI,
	CPU_FAST_AGHI,
	CPU_FAST_LGR,
	CPU_FAST_LGHI
};

/* Odd, so never the address of a cached instruction. */
#define CPU_TAG_INVALID 1ull
#define CPU_ICACHE_BITS 12
#define CPU_ICACHE_SIZE (1u << CPU_ICACHE_BITS)
#define CPU_ICACHE_MASK (CPU_ICACHE_SIZE - 1u)

/* Code-write detection granule: one byte of the code map per 256 bytes of
 * main storage is non-zero when a cached instruction has bytes there. */
#define CPU_CODE_SHIFT 8

/* Consecutive program interruptions without a completed instruction in
 * between before the CPU checkstops. */
#define CPU_PGM_LOOP_LIMIT 16u

/* Lowcore size and the prefix register's significant bits. */
#define CPU_LOWCORE 0x2000ull
#define CPU_PREFIX_MASK 0x7FFFE000u

/* PSW mask bits that may be one in a z/Architecture PSW (1, 5-11, 13-23, 31, 32). */
#define CPU_PSW_VALID_BITS 0x47F7FF0180000000ull
#define CPU_PSW_PM_FIXED 0x0000080000000000ull /* bit 20: fixed-point overflow mask */
#define CPU_PSW_SYSMASK 0xFF00000000000000ull  /* bits 0-7 (SSM, STOSM, STNSM) */

/* How the lazy condition code is worked out (cpu_cc_eval, sys.c):
 *   CONST   cc_a is the cc
 *   ADD32   cc_a + cc_b in 32 bits: 0/1/2 signed result, 3 overflow
 *   SUB32   cc_a - cc_b in 32 bits, likewise
 *   ADD64   cc_a + cc_b in 64 bits, likewise
 *   SUB64   cc_a - cc_b in 64 bits, likewise
 *   SIGNED  cc_a as int64: 0 zero, 1 negative, 2 positive
 *   NZ      0 when cc_a is zero, 1 otherwise
 *   CMPS    cc_a against cc_b, both int64: 0 equal, 1 low, 2 high
 *   CMPU    the same unsigned */
enum cpu_cc_kind {
	CPU_CCK_CONST,
	CPU_CCK_ADD32,
	CPU_CCK_SUB32,
	CPU_CCK_ADD64,
	CPU_CCK_SUB64,
	CPU_CCK_SIGNED,
	CPU_CCK_NZ,
	CPU_CCK_CMPS,
	CPU_CCK_CMPU
};

/* ------------------------------------------------------------------ */
/* The vCPU and the system                                             */
/* ------------------------------------------------------------------ */
/* Levels with their own AP environment: 0 the vCPU's own programs, 1 the
 * guest it runs under SIE (its CRYCB's view, its storage window). */
#define CPU_AP_LEVELS 2
#define CPU_AP_GUEST 1

struct sie_state; /* src/sie/sie_internal.h */

/* A level's AP environment, prepared for insn_exec and kept while what it
 * was built from holds: the PSW problem-state bit and addressing mode (the
 * key below) and the machine's facility word.  cpu_ap_invalidate() forces
 * a rebuild (a level whose view or storage changed). */
struct cpu_ap_level {
	struct insn_env env; /* env.ctx points at ctx */
	s390ap_insn_ctx ctx; /* gr, storage and view of the level */
	uint64_t key;        /* amask ^ PSW problem-state bit it was built for;
			      * 0 = rebuild */
	uint32_t mfac;       /* machine facilities it was built for */
};

struct s390ap_cpu {
	/* hot: touched by every instruction */
	uint64_t gr[17];     /* gr[16] stays zero: "no base/index register" */
	s390ap_psw psw;      /* the cc bits of psw.mask are zero: see cc_kind */
	uint64_t cc_a, cc_b; /* the lazy condition code's operands */
	unsigned cc_kind;    /* enum cpu_cc_kind */
	uint64_t amask;      /* 0xFFFFFF, 0x7FFFFFFF or ~0 from EA/BA */
	uint8_t *mem;        /* main storage bytes (absolute address 0) */
	uint64_t mem_size;
	uint64_t prefix;
	uint64_t slice_cycles; /* cycles charged since slice_base */
	uint64_t slice_limit;  /* the slice ends when slice_cycles reaches this */
	uint8_t *code_map;     /* the system's code map */
	struct cpu_op *icache; /* CPU_ICACHE_SIZE entries */
	uint32_t branch_cost;
	uint64_t counts[CPU_NINSNS]; /* per id; their sum is the instruction count */

	/* cold */
	bool icache_clean; /* nothing cached since the last flush */
	struct s390ap_sys *sys;
	unsigned index;
	s390ap_cpu_state state;
	uint64_t exit_value;
	uint64_t cr[16];
	uint64_t slice_base; /* machine clock when the slice began */
	/* run.c: where the turn's quantum ends (slice-relative; the turn began
	 * quantum cycles before), and how far a vCPU that is the only one to
	 * run may go on past it (0: it may not) */
	uint64_t slice_qend;
	uint64_t slice_hard;
	bool psw_dirty; /* PSW set through the API: check it before running */
	s390ap_trace_fn trace;
	void *trace_ctx;
	unsigned pgm_streak;       /* program interruptions without progress */
	uint64_t pgm_insns;        /* insns at the latest program interruption */
	s390ap_storage ap_storage; /* real addresses of this CPU, for the AP instructions */
	struct cpu_ap_level ap_level[CPU_AP_LEVELS];
	/* The machine's event epoch when the AP path last bounded the slice
	 * (CPU_AP_EPOCH_STALE under a hook): an event added since may cut
	 * it.  exec_control.c. */
	uint64_t ap_epoch;
	struct cpu_op scratch;  /* decoded instruction that is not cached */
	s390ap_cpu_stats stats; /* instructions and cycles are kept above */

	/* SIE (src/sie/): while the vCPU runs a guest, mem, mem_size,
	 * code_map, prefix and icache are the guest's: its storage window
	 * (which starts at host absolute mem_base), its prefix and a cache of
	 * its own.  sie holds the rest, allocated at the first SIE. */
	bool in_sie;
	uint64_t mem_base;
	struct sie_state *sie;
};

struct s390ap_sys {
	s390ap_machine *machine;
	bool own_machine;
	s390ap_mem *mem;
	uint8_t *mem_data;
	uint64_t mem_size;
	uint8_t *code_map;
	size_t code_map_len;
	s390ap_storage storage; /* absolute addresses, with code-write invalidation */
	s390ap_cost_model cost;
	uint32_t class_cost[CPU_NCOST];
	uint64_t quantum;
	s390ap_trace_fn trace;
	void *trace_ctx;
	s390ap_sie_fn sie;
	void *sie_ctx;
	unsigned ncpus;
	struct s390ap_cpu **cpus;

	/* scheduler: the turn in progress survives s390ap_sys_run() returns */
	unsigned cur;      /* vCPU whose turn it is */
	uint64_t cur_used; /* cycles it has used of its quantum */
	/* vCPUs by state, one bit per index (S390AP_MAX_CPUS is 64); only
	 * these take turns.  The API marks what it touches in dirty_mask and
	 * the scheduler files it again before the next slice (run.c). */
	uint64_t run_mask;  /* RUNNING */
	uint64_t wait_mask; /* WAIT */
	/* WAIT with the PSW I/O bit and CR6 enabling ISC i */
	uint64_t isc_wait[S390AP_ISC_MAX + 1];
	uint64_t dirty_mask;
	/* WAIT inside SIE: they wait for their guest's GISA, not for an ISC
	 * of the machine (sie_takers) */
	uint64_t gwait_mask;
	/* dirty_mask | gwait_mask, kept up to date: a vCPU that is the only
	 * one to run goes on past its quantum only while this is 0 */
	uint64_t solo_stop;
	uint64_t last_pgm_code;
	uint64_t pgm_count[CPU_PGM_CODES]; /* program interruptions per code */
	int error;                         /* a library error met inside a handler */

	char errmsg[256];
};

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */
int cpu_sys_error(struct s390ap_sys *sys, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A library error inside a handler: record it and end the run. */
void cpu_fail(struct s390ap_cpu *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* big-endian fields: util/be.h */

/* ---- the lazy condition code ----
 * The cc does not live in psw.mask (whose cc bits are kept zero) but in
 * (cc_kind, cc_a, cc_b): an instruction that sets it records its operands
 * and the rule, and cpu_cc() works the code out only when something reads
 * it.  Whole-PSW readers use cpu_psw_mask(); whole-PSW writers call
 * cpu_cc_from_mask() afterwards. */
unsigned cpu_cc_eval(const struct s390ap_cpu *c);

static inline unsigned cpu_cc(const struct s390ap_cpu *c)
{
	if (CPU_LIKELY(c->cc_kind == CPU_CCK_CONST))
		return (unsigned)c->cc_a;
	return cpu_cc_eval(c);
}

static inline void cpu_cc_lazy(struct s390ap_cpu *c, unsigned kind, uint64_t a, uint64_t b)
{
	c->cc_kind = kind;
	c->cc_a = a;
	c->cc_b = b;
}

static inline void cpu_set_cc(struct s390ap_cpu *c, unsigned cc)
{
	c->cc_kind = CPU_CCK_CONST;
	c->cc_a = cc;
}

/* The architected PSW mask: psw.mask with the condition code put in. */
static inline uint64_t cpu_psw_mask(const struct s390ap_cpu *c)
{
	return (c->psw.mask & ~S390AP_PSW_CC) | (uint64_t)cpu_cc(c) << S390AP_PSW_CC_SHIFT;
}

/* After psw.mask was written whole: take the cc out of it. */
static inline void cpu_cc_from_mask(struct s390ap_cpu *c)
{
	cpu_set_cc(c, (unsigned)(c->psw.mask >> S390AP_PSW_CC_SHIFT) & 3u);
	c->psw.mask &= ~S390AP_PSW_CC;
}

/* End the current slice after this instruction. */
static inline void cpu_end_slice(struct s390ap_cpu *c)
{
	c->slice_limit = 0;
	c->slice_hard = 0;
}

/* Second-operand address: B2 + X2 + D2 in the addressing mode. */
static inline uint64_t cpu_ea2(const struct s390ap_cpu *c, const struct cpu_op *op)
{
	return (c->gr[op->b2] + c->gr[op->x] + (uint64_t)(int64_t)op->d2) & c->amask;
}

/* First-operand address (SI, SS): B1 + D1. */
static inline uint64_t cpu_ea1(const struct s390ap_cpu *c, const struct cpu_op *op)
{
	return (c->gr[op->b1] + (uint64_t)(int64_t)op->d1) & c->amask;
}

static inline uint64_t cpu_amask_of(uint64_t mask)
{
	if (mask & S390AP_PSW_EA)
		return ~0ull;
	return (mask & S390AP_PSW_BA) ? 0x7FFFFFFFull : 0xFFFFFFull;
}

/* ---- access.c ------------------------------------------------------ */
/* Prefixing: real <-> absolute.  The mapping swaps real 0-8K with the
 * prefix area, so it is its own inverse. */
static inline uint64_t cpu_prefix_swap(uint64_t a, uint64_t prefix)
{
	if (a < CPU_LOWCORE)
		return a + prefix;
	if ((a & ~(CPU_LOWCORE - 1)) == prefix)
		return a - prefix;
	return a;
}

static inline uint64_t cpu_prefixed(const struct s390ap_cpu *c, uint64_t a)
{
	return cpu_prefix_swap(a, c->prefix);
}

/* Direct pointer to len bytes at logical address ea when they lie in one
 * 8 KiB real block inside main storage; NULL when the slow path must
 * decide (block crossing, wrap-around, or outside storage). */
static inline uint8_t *cpu_ptr(const struct s390ap_cpu *c, uint64_t ea, uint64_t len)
{
	uint64_t abs;

	if (CPU_UNLIKELY(((ea ^ (ea + len - 1)) & ~(CPU_LOWCORE - 1)) != 0))
		return NULL;
	abs = cpu_prefixed(c, ea);
	if (CPU_UNLIKELY(abs >= c->mem_size || len > c->mem_size - abs))
		return NULL;
	return c->mem + abs;
}

void cpu_code_written(struct s390ap_sys *sys, uint64_t abs, uint64_t len);

/* After a store of len bytes at p (inside main storage). */
static inline void cpu_stored(const struct s390ap_cpu *c, const uint8_t *p, uint64_t len)
{
	uint64_t abs = (uint64_t)(p - c->mem);

	if (CPU_UNLIKELY(c->code_map[abs >> CPU_CODE_SHIFT] |
			 c->code_map[(abs + len - 1) >> CPU_CODE_SHIFT]))
		cpu_code_written(c->sys, c->mem_base + abs, len);
}

/* Slow paths: any length, any alignment, wrap-around in the addressing
 * mode, operands crossing the prefix boundaries.  All or nothing: on an
 * addressing exception nothing is stored.  The *_op variants raise the
 * addressing exception (ILC = the instruction's) and return false. */
bool cpu_read_slow(struct s390ap_cpu *c, uint64_t ea, void *dst, uint64_t len);
bool cpu_write_slow(struct s390ap_cpu *c, uint64_t ea, const void *src, uint64_t len);
bool cpu_check_range(const struct s390ap_cpu *c, uint64_t ea, uint64_t len);
uint8_t *cpu_byte_ptr(const struct s390ap_cpu *c, uint64_t ea); /* after cpu_check_range */
bool cpu_read_op(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea, void *dst,
		 uint64_t len);
bool cpu_write_op(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea, const void *src,
		  uint64_t len);

void cpu_ap_storage_init(struct s390ap_cpu *c);

/* Lowcore stores (real address off, < 8 KiB; the prefix area is always
 * inside storage). */
void cpu_lowcore_write(struct s390ap_cpu *c, uint64_t off, const void *src, size_t len);
void cpu_lowcore_read(const struct s390ap_cpu *c, uint64_t off, void *dst, size_t len);

/* ---- interrupt.c --------------------------------------------------- */
bool cpu_psw_valid(const s390ap_psw *psw);
/* Raise a program interruption.  The PSW address must already be what the
 * old PSW is to hold (the next sequential instruction for the exceptions
 * this CPU raises).  ilen: 0, 2, 4 or 6. */
void cpu_program(struct s390ap_cpu *c, uint16_t code, unsigned ilen);
/* The same for exceptions recognised before any instruction was dispatched
 * (instruction fetch, odd instruction address). */
void cpu_program_fetch(struct s390ap_cpu *c, uint16_t code, unsigned ilen);
/* Make c->psw the current PSW after LPSWE, SSM, STOSM, LCTLG, an API call:
 * early specification exception if invalid, pending I/O interruption,
 * wait state. */
void cpu_psw_settle(struct s390ap_cpu *c);
/* Deliver a pending, enabled adapter interruption; true if one was taken. */
bool cpu_io_check(struct s390ap_cpu *c);
/* Load PSW from a 16-byte image. */
void cpu_psw_from_bytes(s390ap_psw *psw, const uint8_t b[16]);
void cpu_psw_to_bytes(const s390ap_psw *psw, uint8_t b[16]);

/* ---- decode.c ------------------------------------------------------ */
/* Instruction length from the first opcode byte. */
static inline unsigned cpu_ilen(uint8_t op0)
{
	return op0 < 0x40 ? 2u : op0 < 0xC0 ? 4u : 6u;
}

/* Id for the bytes (ilen of them readable), or -1. */
int cpu_decode_id(const uint8_t *b);
void cpu_decode_fields(struct cpu_op *op, const uint8_t *b, unsigned id);
/* Cache miss: fetch and decode the instruction at address a.  Returns the
 * entry, or NULL when an exception was delivered instead. */
const struct cpu_op *cpu_fetch(struct s390ap_cpu *c, uint64_t a);
void cpu_icache_flush(struct s390ap_cpu *c);
/* The same for any cache; *clean says whether it is flushed already. */
void cpu_icache_flush_cache(struct cpu_op *ic, bool *clean);
/* Invalidate instructions of the cache ic with bytes in real [ra, ra + len). */
void cpu_icache_invalidate(struct cpu_op *ic, uint64_t ra, uint64_t len);
unsigned cpu_insn_cost_class(unsigned id);

/* ---- instruction helpers ------------------------------------------ */
/* Load / store n (1, 2, 4, 8) bytes at ea, big-endian.  On an addressing
 * exception the interruption is delivered and false returned. */
static inline bool cpu_load(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea, unsigned n,
			    uint64_t *v)
{
	const uint8_t *p = cpu_ptr(c, ea, n);
	uint8_t b[8];

	if (CPU_UNLIKELY(!p)) {
		if (!cpu_read_op(c, op, ea, b, n))
			return false;
		p = b;
	}
	*v = n == 8 ? be_get64(p) : n == 4 ? be_get32(p) : n == 2 ? be_get16(p) : p[0];
	return true;
}

static inline void cpu_put_n(uint8_t *p, unsigned n, uint64_t v)
{
	if (n == 8)
		be_put64(p, v);
	else if (n == 4)
		be_put32(p, (uint32_t)v);
	else if (n == 2)
		be_put16(p, (uint16_t)v);
	else
		p[0] = (uint8_t)v;
}

static inline bool cpu_store(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea, unsigned n,
			     uint64_t v)
{
	uint8_t *p = cpu_ptr(c, ea, n);
	uint8_t b[8];

	if (CPU_LIKELY(p)) {
		cpu_put_n(p, n, v);
		cpu_stored(c, p, n);
		return true;
	}
	cpu_put_n(b, n, v);
	return cpu_write_op(c, op, ea, b, n);
}

/* Condition codes of a signed result: 0 zero, 1 negative, 2 positive. */
static inline unsigned cpu_cc_signed(int64_t v)
{
	return v == 0 ? 0u : v < 0 ? 1u : 2u;
}

/* Condition code of a comparison: 0 equal, 1 first low, 2 first high. */
#define CPU_CC_CMP(a, b) ((a) == (b) ? 0u : (a) < (b) ? 1u : 2u)

/* Store an address into a register the way LA/LARL do: all 64 bits in
 * 64-bit mode; bits 32-63 (with the unused high bits zero) otherwise. */
static inline void cpu_set_addr_reg(struct s390ap_cpu *c, unsigned r, uint64_t a)
{
	if (c->amask == ~0ull)
		c->gr[r] = a;
	else
		c->gr[r] = (c->gr[r] & 0xFFFFFFFF00000000ull) | (a & c->amask);
}

static inline void cpu_set_lo32(struct s390ap_cpu *c, unsigned r, uint32_t v)
{
	c->gr[r] = (c->gr[r] & 0xFFFFFFFF00000000ull) | v;
}

/* Privileged-operation check; true if the exception was raised. */
static inline bool cpu_priv_fail(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (CPU_LIKELY(!(c->psw.mask & S390AP_PSW_PROB)))
		return false;
	cpu_program(c, S390AP_PGM_PRIVILEGED, op->ilen);
	return true;
}

/* Alignment check (mask = size - 1); true if the exception was raised. */
static inline bool cpu_align_fail(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea,
				  uint64_t mask)
{
	if (CPU_LIKELY(!(ea & mask)))
		return false;
	cpu_program(c, S390AP_PGM_SPECIFICATION, op->ilen);
	return true;
}

/* ---- exec_control.c ------------------------------------------------ */
/* Rebuild the AP environments before their next use. */
static inline void cpu_ap_invalidate(struct s390ap_cpu *c)
{
	for (unsigned i = 0; i < CPU_AP_LEVELS; i++)
		c->ap_level[i].key = 0;
}

/* The facility list (STFLE) of S390AP_FAC_* bits: bit 2 (z/Architecture)
 * and the AP facilities' bits 12, 15, 65, 76; and back. */
void cpu_fac_list(uint32_t fac, uint64_t fl[2]);
uint32_t cpu_fac_from_list(const uint64_t fl[2]);

/* ---- run.c --------------------------------------------------------- */
/* Kept a real function under LTO: it is where bench/callgrind.sh starts
 * counting (--toggle-collect=s390ap_sys_run), and a static link could
 * otherwise inline it into the caller. */
#if defined(__clang__)
int s390ap_sys_run(s390ap_sys *sys, uint64_t max_insns, uint64_t max_cycle, s390ap_stop *why)
	__attribute__((noinline));
#elif defined(__GNUC__)
int s390ap_sys_run(s390ap_sys *sys, uint64_t max_insns, uint64_t max_cycle, s390ap_stop *why)
	__attribute__((noinline, noclone));
#endif

/* Run the vCPU until its slice ends or, when budget is not 0, budget
 * instructions were dispatched; returns how many were (0 when budget is 0). */
uint64_t cpu_run_slice(struct s390ap_cpu *c, uint64_t budget);
/* An instruction added machine events: end the slice no later than the
 * next one the scheduler stops for. */
void cpu_slice_bound(struct s390ap_cpu *c);
/* A SIE or trace hook is installed: slices end at every event, AQIC
 * changes too, so the AP path bounds the slice after every instruction
 * (its ap_epoch is kept at CPU_AP_EPOCH_STALE, which no epoch reaches). */
#define CPU_AP_EPOCH_STALE UINT64_MAX
static inline bool cpu_ap_hooked(const struct s390ap_cpu *c)
{
	return c->sys->sie || c->trace;
}
/* Put c on the scheduler's masks for its current state. */
void cpu_sched_file(struct s390ap_sys *sys, struct s390ap_cpu *c);
/* The API changed c's PSW, state or control registers: settle and file it
 * again before the next slice. */
void cpu_sched_dirty(struct s390ap_cpu *c);

/* ---- elf.c --------------------------------------------------------- */
/* Load an ELF into the window [base, base + size) of main storage (inside
 * it), its addresses relative to base: a guest's storage for the host
 * model. */
int cpu_elf_load(struct s390ap_sys *sys, const void *data, size_t len, uint64_t base, uint64_t size,
		 uint64_t *entry);

/* ---- sys.c --------------------------------------------------------- */
void cpu_reset(struct s390ap_cpu *c, uint64_t entry);
/* A cost model s390ap_sys_new accepts: every class at least 1 cycle, no
 * field above S390AP_COST_MAX. */
bool cpu_cost_ok(const s390ap_cost_model *k);
/* Take the cost model (an accepted one): the class costs and every
 * vCPU's branch cost.  Cached instructions keep their old cost until the
 * caches are flushed. */
void cpu_cost_set(struct s390ap_sys *sys, const s390ap_cost_model *k);
/* Instructions dispatched: the sum of the per-instruction counts. */
uint64_t cpu_insns(const struct s390ap_cpu *c);

#endif
