/* SPDX-License-Identifier: MIT */
/* s390ap — the cycle-counted dispatcher: a z/Architecture subset that runs
 * real s390x machine code against the AP model.
 *
 * A system (s390ap_sys) bundles one AP machine, one flat main storage and
 * 1..S390AP_MAX_CPUS vCPUs.  vCPUs run interleaved in a fixed quantum of
 * cycles, in index order, so every run is reproducible.  The machine's event
 * clock advances with the cycles the vCPUs consume; a slice never runs past
 * the next event a program could notice without an AP instruction (a reply,
 * which may raise an adapter interruption), so interruptions arrive on time,
 * and every AP instruction sees the clock at its own cycle.
 *
 * How a program starts (s390ap_sys_load_elf / s390ap_cpu_set_psw): PSW at the
 * entry point, 64-bit addressing (EA|BA), supervisor state, DAT off, all
 * interruptions disabled, prefix 0, GRs and CRs zero except CR0 = 0xE0 and
 * CR14 = 0xC2000000 (architected reset values).  How it ends: DIAG 0x44
 * ("halt", exit value 0), DIAG 0x500 ("exit", value in GR2), or a disabled
 * wait PSW (exit value = PSW address low 32 bits).  See docs/cpu.md.
 */
#ifndef S390AP_CPU_H
#define S390AP_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"
#include "s390ap/storage.h"

#ifdef __cplusplus
extern "C" {
#endif

#define S390AP_MAX_CPUS 64

/* PSW mask bits (C masks on the 64-bit mask word). */
#define S390AP_PSW_PER 0x4000000000000000ull  /* bit 1 */
#define S390AP_PSW_DAT 0x0400000000000000ull  /* bit 5 */
#define S390AP_PSW_IO 0x0200000000000000ull   /* bit 6 */
#define S390AP_PSW_EXT 0x0100000000000000ull  /* bit 7 */
#define S390AP_PSW_KEY 0x00F0000000000000ull  /* bits 8-11 */
#define S390AP_PSW_MCHK 0x0004000000000000ull /* bit 13 */
#define S390AP_PSW_WAIT 0x0002000000000000ull /* bit 14 */
#define S390AP_PSW_PROB 0x0001000000000000ull /* bit 15 */
#define S390AP_PSW_ASC 0x0000C00000000000ull  /* bits 16-17 */
#define S390AP_PSW_CC 0x0000300000000000ull   /* bits 18-19 */
#define S390AP_PSW_PM 0x00000F0000000000ull   /* bits 20-23 */
#define S390AP_PSW_EA 0x0000000100000000ull   /* bit 31 */
#define S390AP_PSW_BA 0x0000000080000000ull   /* bit 32 */
#define S390AP_PSW_CC_SHIFT 44

typedef struct s390ap_psw {
	uint64_t mask;
	uint64_t addr;
} s390ap_psw;

/* Lowcore (real addresses, relative to the prefix). */
#define S390AP_LC_EXT_INT_CODE 0x86
#define S390AP_LC_PGM_ILC 0x8C       /* byte 0x8D: ILC in bytes */
#define S390AP_LC_PGM_CODE 0x8E      /* halfword */
#define S390AP_LC_EXC_ACCESS_ID 0xA0 /* byte: exception access identification */
#define S390AP_LC_TEID 0xA8          /* doubleword: translation-exception id */
#define S390AP_LC_SUBCHANNEL_ID 0xB8 /* I/O interruption parameters */
#define S390AP_LC_IO_INT_PARM 0xBC
#define S390AP_LC_IO_INT_WORD 0xC0 /* adapter: 0x80000000 | isc << 27 */
#define S390AP_LC_STFLE 0xC8       /* STFL stores here */
#define S390AP_LC_PGM_OLD_PSW 0x150
#define S390AP_LC_IO_OLD_PSW 0x170
#define S390AP_LC_PGM_NEW_PSW 0x1D0
#define S390AP_LC_IO_NEW_PSW 0x1F0

/* Why a vCPU is not running. */
typedef enum s390ap_cpu_state {
	S390AP_CPU_RUNNING = 0,
	S390AP_CPU_HALTED,   /* DIAG 0x44 / 0x500: finished, exit value set */
	S390AP_CPU_WAIT,     /* enabled wait: resumes on an I/O interruption */
	S390AP_CPU_STOPPED,  /* disabled wait: finished, exit value set */
	S390AP_CPU_CHECKSTOP /* program interruption loop (invalid new PSW) */
} s390ap_cpu_state;

/* Why s390ap_sys_run returned. */
typedef enum s390ap_stop {
	S390AP_STOP_ALL_DONE = 0, /* every vCPU halted, stopped or checkstopped */
	S390AP_STOP_INSNS,        /* the instruction limit was reached */
	S390AP_STOP_CYCLE,        /* the cycle limit was reached */
	S390AP_STOP_IDLE          /* every live vCPU waits and no event is pending */
} s390ap_stop;

/* Cost model: cycles charged per instruction.  Each instruction belongs to
 * one class; docs/cpu.md lists the class of every supported instruction. */
typedef struct s390ap_cost_model {
	uint32_t size;          /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	uint32_t simple;        /* register-register, immediates, branches not taken */
	uint32_t branch;        /* extra when a branch is taken */
	uint32_t load_store;    /* one storage operand */
	uint32_t multiple;      /* LMG/STMG/MVC/XC/CLC base ... */
	uint32_t per_256_bytes; /* ... plus this per started 256 bytes */
	uint32_t control; /* LPSWE, LCTLG, STCTG, SSM, STOSM, STNSM, SPX, STPX, STFLE, SPM, IPM */
	uint32_t diag;
	uint32_t interruption;   /* taking a program or I/O interruption */
	uint32_t ap_interpreted; /* PQAP/NQAP/DQAP done by the machine at this level */
	uint32_t ap_intercept;   /* PQAP/NQAP/DQAP intercepted to the host model */
	uint32_t sie_entry;
	uint32_t sie_exit;
	uint32_t vsie_entry;
	uint32_t vsie_exit;
} s390ap_cost_model;

/* Largest cycle count any one field may hold: s390ap_sys_new refuses a
 * model with a larger one (S390AP_EINVAL), so sums of costs cannot wrap. */
#define S390AP_COST_MAX 0x40000000u /* 2^30 */

/* The documented defaults (docs/cpu.md). */
S390AP_API s390ap_cost_model s390ap_cost_default(void);

/* AP instruction paths, for statistics. */
enum s390ap_ap_path {
	S390AP_PATH_INTERPRETED = 0,
	S390AP_PATH_INTERCEPTED,
	S390AP_PATH_VSIE,
	S390AP_PATH_COUNT
};

typedef struct s390ap_sys s390ap_sys;
typedef struct s390ap_cpu s390ap_cpu;

/* Called once per executed instruction when set (apsim --trace). */
typedef void (*s390ap_trace_fn)(void *ctx, const s390ap_cpu *cpu, uint64_t cycle,
				const s390ap_psw *psw, const uint8_t *insn, unsigned ilen);

/* Called for SIE (0xB214) with the SCB address.  Return 0 when the host
 * model handled it (it has updated the CPU), or a program-interruption code
 * to raise.  Without a handler the dispatcher runs the guest itself
 * (docs/sie.md). */
typedef int (*s390ap_sie_fn)(void *ctx, s390ap_cpu *cpu, uint64_t scb_addr);

typedef struct s390ap_sys_opts {
	uint32_t size;                 /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	uint64_t mem_size;             /* main storage bytes; 0 = 16 MiB; max 4 GiB */
	unsigned ncpus;                /* 0 = 1 */
	uint64_t quantum;              /* cycles per vCPU turn; 0 = 1000 */
	s390ap_machine *machine;       /* borrowed; NULL = the sys creates and owns
					* s390ap_machine_new_default().  A borrowed
					* machine's storage is set to the sys
					* storage (for NIB writes) and cleared
					* again by s390ap_sys_free: free the sys
					* before the machine. */
	const s390ap_cost_model *cost; /* NULL = s390ap_cost_default() */
	s390ap_trace_fn trace;
	void *trace_ctx;
	s390ap_sie_fn sie;
	void *sie_ctx;
} s390ap_sys_opts;

S390AP_API int s390ap_sys_new(s390ap_sys **out, const s390ap_sys_opts *opts);
S390AP_API void s390ap_sys_free(s390ap_sys *sys);
S390AP_API const char *s390ap_sys_errmsg(const s390ap_sys *sys);

S390AP_API s390ap_machine *s390ap_sys_machine(s390ap_sys *sys);
S390AP_API s390ap_mem *s390ap_sys_mem(s390ap_sys *sys);
/* Storage interface over main storage (absolute addresses). */
S390AP_API const s390ap_storage *s390ap_sys_storage(const s390ap_sys *sys);
S390AP_API unsigned s390ap_sys_ncpus(const s390ap_sys *sys);
S390AP_API s390ap_cpu *s390ap_sys_cpu(s390ap_sys *sys, unsigned index);
/* Set or clear the trace hook, also from inside a hook: the old hook is not
 * called again once this returns, so it may free its context. */
S390AP_API int s390ap_sys_set_trace(s390ap_sys *sys, s390ap_trace_fn fn, void *ctx);

/* Copy a raw image to absolute address addr. */
S390AP_API int s390ap_sys_load(s390ap_sys *sys, uint64_t addr, const void *data, size_t len);
/* Load an ELF64 big-endian s390 executable (PT_LOAD segments at p_paddr,
 * bss zeroed) and return its entry point.  Every malformed file is an
 * error (S390AP_EINVAL with a message), never a crash. */
S390AP_API int s390ap_sys_load_elf(s390ap_sys *sys, const void *data, size_t len, uint64_t *entry);
/* Reset every vCPU to the start state with PSW address `entry` (even, and
 * inside storage, as the ELF loader requires: S390AP_EINVAL otherwise).
 * Until then (or s390ap_cpu_set_psw) a new system's vCPUs are STOPPED. */
S390AP_API int s390ap_sys_start(s390ap_sys *sys, uint64_t entry);

/* Run until every vCPU is done, or max_insns instructions (0 = no limit)
 * were executed in this call, or the clock reaches max_cycle (0 = none). */
S390AP_API int s390ap_sys_run(s390ap_sys *sys, uint64_t max_insns, uint64_t max_cycle,
			      s390ap_stop *why);

/* Total cycles so far (= the machine's clock). */
S390AP_API uint64_t s390ap_sys_cycles(const s390ap_sys *sys);

/* ---- vCPU state ----
 * Getters are named after what they give (s390ap_cpu_cc); where that name
 * is a type already (s390ap_cpu_state, s390ap_cpu_stats) they end in _get.
 * Value getters return 0 (STOPPED for the state) for a NULL vCPU. */
S390AP_API unsigned s390ap_cpu_index(const s390ap_cpu *cpu);
S390AP_API s390ap_cpu_state s390ap_cpu_state_get(const s390ap_cpu *cpu);
/* Exit value: DIAG 0x500 GR2, 0 for DIAG 0x44, wait-PSW address for a
 * disabled wait. */
S390AP_API uint64_t s390ap_cpu_exit_value(const s390ap_cpu *cpu);
/* Copy the PSW to *psw: 0, or S390AP_EINVAL for a NULL argument. */
S390AP_API int s390ap_cpu_psw(const s390ap_cpu *cpu, s390ap_psw *psw);
/* Sets the PSW; a vCPU in any state becomes RUNNING (or WAIT for a wait
 * PSW), so a HALTED vCPU continues after its DIAG. */
S390AP_API int s390ap_cpu_set_psw(s390ap_cpu *cpu, const s390ap_psw *psw);
/* The 16 general registers, writable in place. */
S390AP_API uint64_t *s390ap_cpu_gr(s390ap_cpu *cpu);
S390AP_API uint64_t s390ap_cpu_cr(const s390ap_cpu *cpu, unsigned n);
S390AP_API int s390ap_cpu_set_cr(s390ap_cpu *cpu, unsigned n, uint64_t value);
S390AP_API uint32_t s390ap_cpu_prefix(const s390ap_cpu *cpu);
S390AP_API int s390ap_cpu_set_prefix(s390ap_cpu *cpu, uint32_t prefix);
/* Condition code of the PSW (0..3). */
S390AP_API unsigned s390ap_cpu_cc(const s390ap_cpu *cpu);

/* ---- statistics ---- */
typedef struct s390ap_cpu_stats {
	uint64_t instructions;
	uint64_t cycles;
	uint64_t pgm_interruptions;
	uint64_t io_interruptions;
	uint64_t ap_path[S390AP_PATH_COUNT];
	uint64_t last_pgm_code; /* code of the latest program interruption */
} s390ap_cpu_stats;

S390AP_API int s390ap_cpu_stats_get(const s390ap_cpu *cpu, s390ap_cpu_stats *st);
/* Summed over every vCPU. */
S390AP_API int s390ap_sys_stats(const s390ap_sys *sys, s390ap_cpu_stats *st);
/* Program interruptions taken so far with this code, over every vCPU and
 * every instruction (the machine's s390ap_machine_pgm_count counts only
 * those raised by AP instructions). */
S390AP_API uint64_t s390ap_sys_pgm_count(const s390ap_sys *sys, uint16_t code);

/* Per-instruction counts.  Instructions are numbered 0..count-1 in a fixed
 * table; s390ap_insn_name gives the mnemonic ("LGHI"). */
S390AP_API unsigned s390ap_insn_count(void);
S390AP_API const char *s390ap_insn_name(unsigned id);
S390AP_API uint64_t s390ap_sys_insn_executed(const s390ap_sys *sys, unsigned id);

/* ---- SIE ----
 * Guests this vCPU ran under SIE (its programs' own SIE instructions, and
 * the host model's vCPUs on it, kvm.h): whether it runs one now, SIE
 * entries, and interceptions by interception code (a multiple of 4 below
 * 0x100) and by instruction (s390ap_insn_name ids).  docs/sie.md. */
S390AP_API bool s390ap_cpu_in_sie(const s390ap_cpu *cpu);
S390AP_API uint64_t s390ap_cpu_sie_entries(const s390ap_cpu *cpu);
S390AP_API uint64_t s390ap_cpu_sie_icpt(const s390ap_cpu *cpu, unsigned icptcode);
S390AP_API uint64_t s390ap_cpu_sie_icpt_insn(const s390ap_cpu *cpu, unsigned insn_id);

/* ---- Saved state ----
 * A whole system in one image (docs/state-format.md, "Dispatcher systems"):
 * every vCPU's architected state and what the scheduler needs to go on
 * exactly as the saved system would have, the turn in progress, the
 * statistics and counters, the quantum and cost model, the non-zero 4 KiB
 * pages of main storage, and the AP machine (s390ap_machine_save, state.h).
 * Hooks (trace, SIE) are not state.  Call both between s390ap_sys_run
 * calls, never from a hook.
 *
 * s390ap_sys_save: *image is malloc'd (release it with s390ap_state_free,
 * state.h), *len its size.
 * s390ap_sys_restore: the target must have the same mem_size and ncpus
 * (S390AP_EINVAL otherwise); quantum and cost model come from the image,
 * the machine (owned or borrowed) is restored from it.  The image is
 * checked whole before anything changes: on any error the system and its
 * machine are as they were, with a message in s390ap_sys_errmsg(). */
S390AP_API int s390ap_sys_save(const s390ap_sys *sys, void **image, size_t *len);
S390AP_API int s390ap_sys_restore(s390ap_sys *sys, const void *image, size_t len);

/* Decode without executing: the instruction id for the bytes at `code`
 * (at least 2 bytes; `avail` says how many are readable), its length in
 * bytes, or a negative error if the opcode is not supported. */
S390AP_API int s390ap_decode(const uint8_t *code, size_t avail, unsigned *id, unsigned *ilen);

#ifdef __cplusplus
}
#endif
#endif
