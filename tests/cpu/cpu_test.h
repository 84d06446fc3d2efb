/* SPDX-License-Identifier: MIT */
/* The dispatcher's test harness, shared by the files of the cpu suite: a
 * small emitter for test programs, a system built around it, and readers
 * for the lowcore a program interruption leaves.
 *
 * Reference encodings were produced with s390x-linux-gnu-as and
 * s390x-linux-gnu-objdump -d; the emitter's output is checked against
 * those same bytes first (decode.c). */
#ifndef S390AP_TESTS_CPU_TEST_H
#define S390AP_TESTS_CPU_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_internal.h"
#include "util/be.h"
#include "s390ap/s390ap.h"
#include "testutil.h"

#define CODE 0x10000u
#define DATA 0x20000u
#define HANDLER 0x8000u
#define SMALL_MEM (1u << 20)

/* Reference encodings (objdump), one per supported instruction. */
struct ref {
	const char *name;
	unsigned len;
	uint8_t b[6];
};
extern const struct ref refs[];
extern const size_t nrefs;

/* ------------------------------------------------------------------ */
/* A small emitter for test programs                                   */
/* ------------------------------------------------------------------ */
struct prog {
	uint8_t b[16384];
	size_t n;
};
extern struct prog P;
void prog_begin(void);
void emit(unsigned n, uint64_t v);
uint64_t here(void);

/* Halfword offset from the current instruction to target. */
int rel(uint64_t target);
void f_rr(unsigned op, unsigned r1, unsigned r2);
void f_rre(unsigned op, unsigned r1, unsigned r2);
void f_ri(unsigned op, unsigned op2, unsigned r1, int i2);
void f_ril(unsigned op, unsigned op2, unsigned r1, int64_t i2);
void f_rx(unsigned op, unsigned r1, unsigned x2, unsigned b2, unsigned d2);
void f_rxy(unsigned op, unsigned op2, unsigned r1, unsigned x2, unsigned b2, int d2);
void f_si(unsigned op, unsigned i2, unsigned b1, unsigned d1);
void f_s(unsigned op, unsigned b2, unsigned d2);
void f_ss(unsigned op, unsigned l, unsigned b1, unsigned d1, unsigned b2, unsigned d2);

#define LGHI(r, i) f_ri(0xA7, 0x9, r, i)
#define LHI(r, i) f_ri(0xA7, 0x8, r, i)
#define LGFI(r, i) f_ril(0xC0, 0x1, r, i)
#define LLILF(r, i) f_ril(0xC0, 0xF, r, i)
#define LLIHF(r, i) f_ril(0xC0, 0xE, r, i)
#define IILF(r, i) f_ril(0xC0, 0x9, r, i)
#define IIHF(r, i) f_ril(0xC0, 0x8, r, i)
#define LA(r, d, x, b) f_rx(0x41, r, x, b, d)
#define LAY(r, d, x, b) f_rxy(0xE3, 0x71, r, x, b, d)
#define LARL(r, t) f_ril(0xC0, 0x0, r, rel(t))
#define LG(r, d, x, b) f_rxy(0xE3, 0x04, r, x, b, d)
#define LGF(r, d, x, b) f_rxy(0xE3, 0x14, r, x, b, d)
#define L(r, d, x, b) f_rx(0x58, r, x, b, d)
#define LY(r, d, x, b) f_rxy(0xE3, 0x58, r, x, b, d)
#define LLGF(r, d, x, b) f_rxy(0xE3, 0x16, r, x, b, d)
#define LLGC(r, d, x, b) f_rxy(0xE3, 0x90, r, x, b, d)
#define LLGH(r, d, x, b) f_rxy(0xE3, 0x91, r, x, b, d)
#define LH(r, d, x, b) f_rx(0x48, r, x, b, d)
#define ST(r, d, x, b) f_rx(0x50, r, x, b, d)
#define STY(r, d, x, b) f_rxy(0xE3, 0x50, r, x, b, d)
#define STG(r, d, x, b) f_rxy(0xE3, 0x24, r, x, b, d)
#define STH(r, d, x, b) f_rx(0x40, r, x, b, d)
#define LMG(r1, r3, d, b) f_rxy(0xEB, 0x04, r1, r3, b, d)
#define STMG(r1, r3, d, b) f_rxy(0xEB, 0x24, r1, r3, b, d)
#define MVC(d1, len, b1, d2, b2) f_ss(0xD2, (len)-1, b1, d1, b2, d2)
#define MVI(d1, b1, i) f_si(0x92, i, b1, d1)
#define XC(d1, len, b1, d2, b2) f_ss(0xD7, (len)-1, b1, d1, b2, d2)
#define CLC(d1, len, b1, d2, b2) f_ss(0xD5, (len)-1, b1, d1, b2, d2)
#define IC(r, d, x, b) f_rx(0x43, r, x, b, d)
#define STC(r, d, x, b) f_rx(0x42, r, x, b, d)
#define LGR(r1, r2) f_rre(0xB904, r1, r2)
#define LR(r1, r2) f_rr(0x18, r1, r2)
#define LTGR(r1, r2) f_rre(0xB902, r1, r2)
#define LTR(r1, r2) f_rr(0x12, r1, r2)
#define AGHI(r, i) f_ri(0xA7, 0xB, r, i)
#define AHI(r, i) f_ri(0xA7, 0xA, r, i)
#define AGR(r1, r2) f_rre(0xB908, r1, r2)
#define AR(r1, r2) f_rr(0x1A, r1, r2)
#define SGR(r1, r2) f_rre(0xB909, r1, r2)
#define SR(r1, r2) f_rr(0x1B, r1, r2)
#define NGR(r1, r2) f_rre(0xB980, r1, r2)
#define OGR(r1, r2) f_rre(0xB981, r1, r2)
#define XGR(r1, r2) f_rre(0xB982, r1, r2)
#define NILL(r, i) f_ri(0xA5, 0x7, r, i)
#define NILF(r, i) f_ril(0xC0, 0xB, r, i)
#define OILL(r, i) f_ri(0xA5, 0xB, r, i)
#define OILF(r, i) f_ril(0xC0, 0xD, r, i)
#define SLLG(r1, r3, d, b) f_rxy(0xEB, 0x0D, r1, r3, b, d)
#define SRLG(r1, r3, d, b) f_rxy(0xEB, 0x0C, r1, r3, b, d)
#define SLL(r, d, b) f_rx(0x89, r, 0, b, d)
#define SRL(r, d, b) f_rx(0x88, r, 0, b, d)
#define CGR(r1, r2) f_rre(0xB920, r1, r2)
#define CR(r1, r2) f_rr(0x19, r1, r2)
#define CLGR(r1, r2) f_rre(0xB921, r1, r2)
#define CGHI(r, i) f_ri(0xA7, 0xF, r, i)
#define CHI(r, i) f_ri(0xA7, 0xE, r, i)
#define CGFI(r, i) f_ril(0xC2, 0xC, r, i)
#define CLGFI(r, i) f_ril(0xC2, 0xE, r, i)
#define CLI(d, b, i) f_si(0x95, i, b, d)
#define TM(d, b, i) f_si(0x91, i, b, d)
#define TMLL(r, i) f_ri(0xA7, 0x1, r, i)
#define BRC(m, t) f_ri(0xA7, 0x4, m, rel(t))
#define BRCL(m, t) f_ril(0xC0, 0x4, m, rel(t))
#define BRCT(r, t) f_ri(0xA7, 0x6, r, rel(t))
#define BRCTG(r, t) f_ri(0xA7, 0x7, r, rel(t))
#define BRAS(r, t) f_ri(0xA7, 0x5, r, rel(t))
#define BRASL(r, t) f_ril(0xC0, 0x5, r, rel(t))
#define BCR(m, r) f_rr(0x07, m, r)
#define BASR(r1, r2) f_rr(0x0D, r1, r2)
#define IPM(r) f_rre(0xB222, r, 0)
#define SPM(r) f_rr(0x04, r, 0)
#define STFLE(d, b) f_s(0xB2B0, b, d)
#define LPSWE(d, b) f_s(0xB2B2, b, d)
#define LCTLG(c1, c3, d, b) f_rxy(0xEB, 0x2F, c1, c3, b, d)
#define STCTG(c1, c3, d, b) f_rxy(0xEB, 0x25, c1, c3, b, d)
#define SSM(d, b) f_s(0x8000, b, d)
#define STOSM(d, b, i) f_si(0xAD, i, b, d)
#define STNSM(d, b, i) f_si(0xAC, i, b, d)
#define SPX(d, b) f_s(0xB210, b, d)
#define STPX(d, b) f_s(0xB211, b, d)
#define STAP(d, b) f_s(0xB212, b, d)
#define STFL(d, b) f_s(0xB2B1, b, d)
#define DIAG(r1, r3, d, b) f_rx(0x83, r1, r3, b, d)
#define PQAP() f_rre(0xB2AF, 0, 0)
#define NQAP(r1, r2) f_rre(0xB2AD, r1, r2)
#define DQAP(r1, r2) f_rre(0xB2AE, r1, r2)
#define SIE(d, b) f_s(0xB214, b, d)
#define EXIT() DIAG(0, 0, 0x500, 0)
#define HALT() DIAG(0, 0, 0x44, 0)

/* Forward branches: emit with offset 0, patch when the target is known. */
size_t fwd_brc(unsigned mask);
void patch_here(size_t at);

/* ------------------------------------------------------------------ */
/* Harness                                                             */
/* ------------------------------------------------------------------ */
struct env {
	s390ap_sys *sys;
	s390ap_cpu *cpu;
	uint64_t *gr;
	const uint8_t *mem; /* read-only: writes go through poke*() */
	s390ap_stop why;
};

void put_psw(uint8_t *p, uint64_t mask, uint64_t addr);

#define PSW64 (S390AP_PSW_EA | S390AP_PSW_BA)

/* Storage writes from the test go through the library (s390ap_mem_write),
 * which drops decoded instructions they replace. */
void poke(struct env *e, uint64_t addr, const void *src, size_t len);
void poke8(struct env *e, uint64_t addr, uint8_t v);
void poke_fill(struct env *e, uint64_t addr, uint8_t v, size_t len);
void poke_be(struct env *e, uint64_t addr, unsigned n, uint64_t v);
void poke_psw(struct env *e, uint64_t addr, uint64_t mask, uint64_t ia);
void env_open(struct env *e, const s390ap_sys_opts *o);

/* Load P at CODE and start every vCPU there. */
void env_start(struct env *e);
void env_setup(struct env *e, const s390ap_sys_opts *o);
s390ap_stop env_run(struct env *e);

/* Run to the end and expect a DIAG halt/exit. */
void run_done(struct env *e);
void env_close(struct env *e);
unsigned cc_of(struct env *e);

/* Program new PSW -> a halt at HANDLER. */
void pgm_to_halt(struct env *e);

/* Program new PSW -> LPSWE of the program old PSW: resume after it. */
void pgm_to_resume(struct env *e);
unsigned lc_code(const struct env *e);
unsigned lc_ilc(const struct env *e);
uint64_t lc_old_mask(const struct env *e);
uint64_t lc_old_addr(const struct env *e);
uint64_t exit_value(const struct env *e);

/* A SIE hook that does nothing: SIE completes, so only the checks made
 * before the hook is called can interrupt it. */
int sie_refuse(void *ctx, s390ap_cpu *cpu, uint64_t scb);

/* AP requests the programs issue. */
#define NIB (DATA + 0x800)
#define MSG (DATA + 0x1000)
#define REPLY (DATA + 0x4000)
#define MSG_LEN 0x118u

/* Program text: AQIC enabling ISC 3 on 03.0006 with the NIB at nib. */
void emit_aqic_on(uint32_t nib);

/* Program text: NQAP of the MSG_LEN-byte request at MSG (put_request) to
 * 03.0006. */
void emit_nqap(void);

/* emit_aqic_on with the NIB at NIB, then emit_nqap. */
void emit_aqic_nqap(void);

/* Program text: DQAP of 03.0006's reply (from its first byte) into the
 * 4 KiB at REPLY. */
void emit_dqap(void);
void put_request(struct env *e);

/* A trace hook (trace_rec) recording who ran when, and a hash of it. */
struct trace_log {
	size_t n, cap;
	unsigned *cpu;
	uint64_t *cycle;
	uint64_t hash;
	uint64_t first_addr;
	uint8_t first_bytes[6];
	unsigned first_len;
};
void trace_rec(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
	       const uint8_t *insn, unsigned ilen);
void trace_free(struct trace_log *t);

/* A message engine whose reply is the request. */
int smc_echo(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep);

/* Synthetic ELF files (elf.c, cache.c). */
void put_field(uint8_t *f, unsigned off, unsigned n, uint64_t v);
/* Synthetic files: two segments, paddr 0 -> vaddr, all-or-nothing. */
size_t build_elf(uint8_t *f, const uint64_t (*seg)[4], unsigned nseg);

/* The condition code a program stored with IPM into GR r's bits 34-35. */
#define CC(r) ((e.gr[r] >> 28) & 3)

/* The suite's test cases, one function per file. */
void tcase_cpu_decode(Suite *s);
void tcase_cpu_load_store(Suite *s);
void tcase_cpu_arith(Suite *s);
void tcase_cpu_branch(Suite *s);
void tcase_cpu_control(Suite *s);
void tcase_cpu_interrupt(Suite *s);
void tcase_cpu_ap(Suite *s);
void tcase_cpu_run(Suite *s);
void tcase_cpu_cache(Suite *s);
void tcase_cpu_elf(Suite *s);
void tcase_cpu_api(Suite *s);

#endif /* S390AP_TESTS_CPU_TEST_H */
