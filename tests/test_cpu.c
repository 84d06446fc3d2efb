/* Check suite for the dispatcher (src/cpu/): decoding of every supported
 * instruction from real encodings, execution semantics and condition codes
 * per group, interruptions, wait states, the scheduler, cost accounting,
 * the decoded-instruction cache and the ELF loader.
 *
 * The reference encodings below were produced with s390x-linux-gnu-as and
 * s390x-linux-gnu-objdump -d; the test programs are built with a small
 * emitter whose output is checked against those same bytes first. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_internal.h"
#include "util/be.h"
#include "s390ap/s390ap.h"

#define CODE 0x10000u
#define DATA 0x20000u
#define HANDLER 0x8000u
#define SMALL_MEM (1u << 20)

/* ------------------------------------------------------------------ */
/* Reference encodings (objdump)                                       */
/* ------------------------------------------------------------------ */
struct ref {
	const char *name;
	unsigned len;
	uint8_t b[6];
};

static const struct ref refs[] = {
	{ "LGHI", 4, { 0xa7, 0x19, 0xff, 0xfe } },
	{ "LHI", 4, { 0xa7, 0x18, 0xff, 0xfe } },
	{ "LGFI", 6, { 0xc0, 0x11, 0xff, 0xff, 0xff, 0xfe } },
	{ "LLILF", 6, { 0xc0, 0x1f, 0x12, 0x34, 0x56, 0x78 } },
	{ "LLIHF", 6, { 0xc0, 0x1e, 0x12, 0x34, 0x56, 0x78 } },
	{ "IILF", 6, { 0xc0, 0x19, 0x12, 0x34, 0x56, 0x78 } },
	{ "IIHF", 6, { 0xc0, 0x18, 0x12, 0x34, 0x56, 0x78 } },
	{ "LA", 4, { 0x41, 0x12, 0x30, 0x04 } },
	{ "LAY", 6, { 0xe3, 0x12, 0x3f, 0xfc, 0xff, 0x71 } },
	{ "LARL", 6, { 0xc0, 0x10, 0xff, 0xff, 0xff, 0xe8 } },
	{ "LG", 6, { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x04 } },
	{ "LGF", 6, { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x14 } },
	{ "L", 4, { 0x58, 0x12, 0x30, 0x08 } },
	{ "LY", 6, { 0xe3, 0x12, 0x3f, 0xf8, 0xff, 0x58 } },
	{ "LLGF", 6, { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x16 } },
	{ "LLGC", 6, { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x90 } },
	{ "LLGH", 6, { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x91 } },
	{ "LH", 4, { 0x48, 0x12, 0x30, 0x08 } },
	{ "ST", 4, { 0x50, 0x12, 0x30, 0x08 } },
	{ "STY", 6, { 0xe3, 0x12, 0x3f, 0xf8, 0xff, 0x50 } },
	{ "STG", 6, { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x24 } },
	{ "STH", 4, { 0x40, 0x12, 0x30, 0x08 } },
	{ "LMG", 6, { 0xeb, 0x13, 0x40, 0x08, 0x00, 0x04 } },
	{ "STMG", 6, { 0xeb, 0x13, 0x40, 0x08, 0x00, 0x24 } },
	{ "MVC", 6, { 0xd2, 0x01, 0x30, 0x01, 0x50, 0x04 } },
	{ "MVI", 4, { 0x92, 0x55, 0x30, 0x01 } },
	{ "XC", 6, { 0xd7, 0x01, 0x30, 0x01, 0x50, 0x04 } },
	{ "CLC", 6, { 0xd5, 0x01, 0x30, 0x01, 0x50, 0x04 } },
	{ "IC", 4, { 0x43, 0x12, 0x30, 0x08 } },
	{ "STC", 4, { 0x42, 0x12, 0x30, 0x08 } },
	{ "LGR", 4, { 0xb9, 0x04, 0x00, 0x12 } },
	{ "LR", 2, { 0x18, 0x12 } },
	{ "LTGR", 4, { 0xb9, 0x02, 0x00, 0x12 } },
	{ "LTR", 2, { 0x12, 0x12 } },
	{ "AGHI", 4, { 0xa7, 0x1b, 0xff, 0xfe } },
	{ "AHI", 4, { 0xa7, 0x1a, 0xff, 0xfe } },
	{ "AGR", 4, { 0xb9, 0x08, 0x00, 0x12 } },
	{ "AR", 2, { 0x1a, 0x12 } },
	{ "SGR", 4, { 0xb9, 0x09, 0x00, 0x12 } },
	{ "SR", 2, { 0x1b, 0x12 } },
	{ "NGR", 4, { 0xb9, 0x80, 0x00, 0x12 } },
	{ "OGR", 4, { 0xb9, 0x81, 0x00, 0x12 } },
	{ "XGR", 4, { 0xb9, 0x82, 0x00, 0x12 } },
	{ "NILL", 4, { 0xa5, 0x17, 0x12, 0x34 } },
	{ "NILF", 6, { 0xc0, 0x1b, 0x12, 0x34, 0x56, 0x78 } },
	{ "OILL", 4, { 0xa5, 0x1b, 0x12, 0x34 } },
	{ "OILF", 6, { 0xc0, 0x1d, 0x12, 0x34, 0x56, 0x78 } },
	{ "SLLG", 6, { 0xeb, 0x12, 0x40, 0x03, 0x00, 0x0d } },
	{ "SRLG", 6, { 0xeb, 0x12, 0x40, 0x03, 0x00, 0x0c } },
	{ "SLL", 4, { 0x89, 0x10, 0x40, 0x03 } },
	{ "SRL", 4, { 0x88, 0x10, 0x40, 0x03 } },
	{ "CGR", 4, { 0xb9, 0x20, 0x00, 0x12 } },
	{ "CR", 2, { 0x19, 0x12 } },
	{ "CLGR", 4, { 0xb9, 0x21, 0x00, 0x12 } },
	{ "CGHI", 4, { 0xa7, 0x1f, 0xff, 0xfe } },
	{ "CHI", 4, { 0xa7, 0x1e, 0xff, 0xfe } },
	{ "CGFI", 6, { 0xc2, 0x1c, 0xff, 0xff, 0xff, 0xfe } },
	{ "CLGFI", 6, { 0xc2, 0x1e, 0xff, 0xff, 0xff, 0xfe } },
	{ "CLI", 4, { 0x95, 0x55, 0x30, 0x01 } },
	{ "TM", 4, { 0x91, 0x55, 0x30, 0x01 } },
	{ "TMLL", 4, { 0xa7, 0x11, 0x12, 0x34 } },
	{ "BRC", 4, { 0xa7, 0x84, 0xff, 0x71 } },
	{ "BRCL", 6, { 0xc0, 0x84, 0xff, 0xff, 0xff, 0x6f } },
	{ "BRCT", 4, { 0xa7, 0x16, 0xff, 0x6c } },
	{ "BRCTG", 4, { 0xa7, 0x17, 0xff, 0x6a } },
	{ "BRAS", 4, { 0xa7, 0xe5, 0xff, 0x68 } },
	{ "BRASL", 6, { 0xc0, 0xe5, 0xff, 0xff, 0xff, 0x66 } },
	{ "BCR", 2, { 0x07, 0x8e } },
	{ "BASR", 2, { 0x0d, 0xef } },
	{ "IPM", 4, { 0xb2, 0x22, 0x00, 0x10 } },
	{ "SPM", 2, { 0x04, 0x10 } },
	{ "STFLE", 4, { 0xb2, 0xb0, 0x20, 0x08 } },
	{ "LPSWE", 4, { 0xb2, 0xb2, 0x20, 0x08 } },
	{ "LCTLG", 6, { 0xeb, 0x13, 0x40, 0x08, 0x00, 0x2f } },
	{ "STCTG", 6, { 0xeb, 0x13, 0x40, 0x08, 0x00, 0x25 } },
	{ "SSM", 4, { 0x80, 0x00, 0x20, 0x08 } },
	{ "STOSM", 4, { 0xad, 0x55, 0x20, 0x08 } },
	{ "STNSM", 4, { 0xac, 0x55, 0x20, 0x08 } },
	{ "SPX", 4, { 0xb2, 0x10, 0x20, 0x08 } },
	{ "STPX", 4, { 0xb2, 0x11, 0x20, 0x08 } },
	{ "DIAG", 4, { 0x83, 0x13, 0x45, 0x00 } },
	{ "PQAP", 4, { 0xb2, 0xaf, 0x00, 0x00 } },
	{ "NQAP", 4, { 0xb2, 0xad, 0x00, 0x24 } },
	{ "DQAP", 4, { 0xb2, 0xae, 0x00, 0x24 } },
	{ "SIE", 4, { 0xb2, 0x14, 0x20, 0x08 } },
	{ "STAP", 4, { 0xb2, 0x12, 0x20, 0x08 } },
	{ "STFL", 4, { 0xb2, 0xb1, 0x20, 0x08 } },
};
#define NREFS (sizeof(refs) / sizeof(refs[0]))

/* A tiny ELF: ld -Ttext=0x10000 -e _start -N -s; text loads 40 from .data,
 * adds an 8-byte .bss word and exits with DIAG 0x500 (exit value 40 when
 * the bss was zeroed). */
static const uint8_t elf_bin[] = {
  0x7f, 0x45, 0x4c, 0x46, 0x02, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x16, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x38, 0x00, 0x01, 0x00, 0x40,
  0x00, 0x05, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
  0xc0, 0x30, 0x00, 0x00, 0x00, 0x10, 0xe3, 0x20, 0x30, 0x00, 0x00, 0x04,
  0xc0, 0x40, 0x00, 0x00, 0x00, 0x0e, 0xe3, 0x50, 0x40, 0x00, 0x00, 0x04,
  0xb9, 0x08, 0x00, 0x25, 0x83, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x28, 0x00, 0x2e, 0x73, 0x68, 0x73, 0x74, 0x72, 0x74,
  0x61, 0x62, 0x00, 0x2e, 0x74, 0x65, 0x78, 0x74, 0x00, 0x2e, 0x64, 0x61,
  0x74, 0x61, 0x00, 0x2e, 0x62, 0x73, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x98, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x17, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x28,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xa0,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00
};

/* ------------------------------------------------------------------ */
/* A small emitter for test programs                                   */
/* ------------------------------------------------------------------ */
static struct {
	uint8_t b[16384];
	size_t n;
} P;

static void prog_begin(void)
{
	memset(&P, 0, sizeof(P));
}

static void emit(unsigned n, uint64_t v)
{
	ck_assert_uint_le(P.n + n, sizeof(P.b));
	for (unsigned i = 0; i < n; i++)
		P.b[P.n++] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static uint64_t here(void)
{
	return CODE + P.n;
}

/* Halfword offset from the current instruction to target. */
static int rel(uint64_t target)
{
	return (int)(((int64_t)target - (int64_t)here()) / 2);
}

static void f_rr(unsigned op, unsigned r1, unsigned r2)
{
	emit(2, op << 8 | r1 << 4 | r2);
}

static void f_rre(unsigned op, unsigned r1, unsigned r2)
{
	emit(4, (uint64_t)op << 16 | r1 << 4 | r2);
}

static void f_ri(unsigned op, unsigned op2, unsigned r1, int i2)
{
	emit(4, (uint64_t)op << 24 | r1 << 20 | op2 << 16 | (uint16_t)i2);
}

static void f_ril(unsigned op, unsigned op2, unsigned r1, int64_t i2)
{
	emit(6, (uint64_t)op << 40 | (uint64_t)r1 << 36 | (uint64_t)op2 << 32 | (uint32_t)i2);
}

static void f_rx(unsigned op, unsigned r1, unsigned x2, unsigned b2, unsigned d2)
{
	emit(4, (uint64_t)op << 24 | r1 << 20 | x2 << 16 | b2 << 12 | (d2 & 0xFFF));
}

static void f_rxy(unsigned op, unsigned op2, unsigned r1, unsigned x2, unsigned b2, int d2)
{
	uint32_t d = (uint32_t)d2 & 0xFFFFF;

	emit(6, (uint64_t)op << 40 | (uint64_t)r1 << 36 | (uint64_t)x2 << 32 |
			(uint64_t)b2 << 28 | (uint64_t)(d & 0xFFF) << 16 |
			(uint64_t)(d >> 12) << 8 | op2);
}

static void f_si(unsigned op, unsigned i2, unsigned b1, unsigned d1)
{
	emit(4, (uint64_t)op << 24 | (i2 & 0xFF) << 16 | b1 << 12 | (d1 & 0xFFF));
}

static void f_s(unsigned op, unsigned b2, unsigned d2)
{
	emit(4, (uint64_t)op << 16 | b2 << 12 | (d2 & 0xFFF));
}

static void f_ss(unsigned op, unsigned l, unsigned b1, unsigned d1, unsigned b2, unsigned d2)
{
	emit(6, (uint64_t)op << 40 | (uint64_t)l << 32 | (uint64_t)b1 << 28 |
			(uint64_t)(d1 & 0xFFF) << 16 | b2 << 12 | (d2 & 0xFFF));
}

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
#define MVC(d1, len, b1, d2, b2) f_ss(0xD2, (len) - 1, b1, d1, b2, d2)
#define MVI(d1, b1, i) f_si(0x92, i, b1, d1)
#define XC(d1, len, b1, d2, b2) f_ss(0xD7, (len) - 1, b1, d1, b2, d2)
#define CLC(d1, len, b1, d2, b2) f_ss(0xD5, (len) - 1, b1, d1, b2, d2)
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
static size_t fwd_brc(unsigned mask)
{
	size_t at = P.n;

	f_ri(0xA7, 0x4, mask, 0);
	return at;
}

static void patch_here(size_t at)
{
	int16_t r = (int16_t)((P.n - at) / 2);

	P.b[at + 2] = (uint8_t)((uint16_t)r >> 8);
	P.b[at + 3] = (uint8_t)r;
}

/* ------------------------------------------------------------------ */
/* Harness                                                             */
/* ------------------------------------------------------------------ */
struct env {
	s390ap_sys *sys;
	s390ap_cpu *cpu;
	uint64_t *gr;
	const uint8_t *mem;  /* read-only: writes go through poke*() */
	s390ap_stop why;
};

static void put_psw(uint8_t *p, uint64_t mask, uint64_t addr)
{
	be_put(p, 8, mask);
	be_put(p + 8, 8, addr);
}

#define PSW64 (S390AP_PSW_EA | S390AP_PSW_BA)

/* Storage writes from the test go through the library (s390ap_mem_write),
 * which drops decoded instructions they replace. */
static void poke(struct env *e, uint64_t addr, const void *src, size_t len)
{
	ck_assert_int_eq(s390ap_mem_write(s390ap_sys_mem(e->sys), addr, src, len), 0);
}

static void poke8(struct env *e, uint64_t addr, uint8_t v)
{
	poke(e, addr, &v, 1);
}

static void poke_fill(struct env *e, uint64_t addr, uint8_t v, size_t len)
{
	uint8_t buf[256];

	memset(buf, v, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		poke(e, addr + off, buf, len - off < sizeof(buf) ? len - off : sizeof(buf));
}

static void poke_be(struct env *e, uint64_t addr, unsigned n, uint64_t v)
{
	uint8_t b[8];

	be_put(b, n, v);
	poke(e, addr, b, n);
}

static void poke_psw(struct env *e, uint64_t addr, uint64_t mask, uint64_t ia)
{
	uint8_t b[16];

	put_psw(b, mask, ia);
	poke(e, addr, b, sizeof(b));
}

static void env_open(struct env *e, const s390ap_sys_opts *o)
{
	s390ap_sys_opts d = { .mem_size = SMALL_MEM };

	memset(e, 0, sizeof(*e));
	ck_assert_int_eq(s390ap_sys_new(&e->sys, o ? o : &d), 0);
	e->cpu = s390ap_sys_cpu(e->sys, 0);
	e->gr = s390ap_cpu_gr(e->cpu);
	e->mem = s390ap_mem_data(s390ap_sys_mem(e->sys));
}

/* Load P at CODE and start every vCPU there. */
static void env_start(struct env *e)
{
	ck_assert_int_eq(s390ap_sys_load(e->sys, CODE, P.b, P.n), 0);
	ck_assert_int_eq(s390ap_sys_start(e->sys, CODE), 0);
}

static void env_setup(struct env *e, const s390ap_sys_opts *o)
{
	env_open(e, o);
	env_start(e);
}

static s390ap_stop env_run(struct env *e)
{
	ck_assert_int_eq(s390ap_sys_run(e->sys, 1000000, 0, &e->why), 0);
	return e->why;
}

/* Run to the end and expect a DIAG halt/exit. */
static void run_done(struct env *e)
{
	ck_assert_int_eq(env_run(e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}

static void env_close(struct env *e)
{
	s390ap_sys_free(e->sys);
}

static unsigned cc_of(struct env *e)
{
	return s390ap_cpu_cc(e->cpu);
}

/* Program new PSW -> a halt at HANDLER. */
static void pgm_to_halt(struct env *e)
{
	static const uint8_t halt[4] = { 0x83, 0x00, 0x00, 0x44 };

	ck_assert_int_eq(s390ap_sys_load(e->sys, HANDLER, halt, sizeof(halt)), 0);
	poke_psw(e, S390AP_LC_PGM_NEW_PSW, PSW64, HANDLER);
}

/* Program new PSW -> LPSWE of the program old PSW: resume after it. */
static void pgm_to_resume(struct env *e)
{
	static const uint8_t lpswe[4] = { 0xB2, 0xB2, 0x01, 0x50 };

	ck_assert_int_eq(s390ap_sys_load(e->sys, HANDLER, lpswe, sizeof(lpswe)), 0);
	poke_psw(e, S390AP_LC_PGM_NEW_PSW, PSW64, HANDLER);
}

static unsigned lc_code(const struct env *e)
{
	return (unsigned)be_get(e->mem + S390AP_LC_PGM_CODE, 2);
}

static unsigned lc_ilc(const struct env *e)
{
	return e->mem[S390AP_LC_PGM_ILC + 1];
}

static uint64_t lc_old_mask(const struct env *e)
{
	return be_get(e->mem + S390AP_LC_PGM_OLD_PSW, 8);
}

static uint64_t lc_old_addr(const struct env *e)
{
	return be_get(e->mem + S390AP_LC_PGM_OLD_PSW + 8, 8);
}

static uint64_t exit_value(const struct env *e)
{
	return s390ap_cpu_exit_value(e->cpu);
}

/* ------------------------------------------------------------------ */
/* Decoding                                                            */
/* ------------------------------------------------------------------ */
START_TEST(t_decode_every_instruction)
{
	bool seen[256] = { false };

	ck_assert_uint_le(s390ap_insn_count(), 256);
	for (size_t i = 0; i < NREFS; i++) {
		unsigned id = 999, ilen = 0;

		ck_assert_msg(s390ap_decode(refs[i].b, refs[i].len, &id, &ilen) == 0,
			      "%s does not decode", refs[i].name);
		ck_assert_str_eq(s390ap_insn_name(id), refs[i].name);
		ck_assert_uint_eq(ilen, refs[i].len);
		seen[id] = true;
	}
	for (unsigned id = 0; id < s390ap_insn_count(); id++)
		ck_assert_msg(seen[id], "%s has no decoder test", s390ap_insn_name(id));
}
END_TEST

START_TEST(t_decode_names)
{
	unsigned n = s390ap_insn_count();

	ck_assert_uint_eq(n, NREFS);
	for (unsigned i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(s390ap_insn_name(i));
		for (unsigned j = 0; j < i; j++)
			ck_assert_str_ne(s390ap_insn_name(i), s390ap_insn_name(j));
	}
	ck_assert_ptr_null(s390ap_insn_name(n));
	ck_assert_str_eq(s390ap_insn_name(0), "LGHI");
}
END_TEST

START_TEST(t_decode_rejects)
{
	static const uint8_t bad[][6] = {
		{ 0x00, 0x00 },                         /* 00: not installed */
		{ 0xA7, 0x12, 0, 0 },                   /* A7x2 (TMHH): not supported */
		{ 0xB2, 0x00, 0, 0 },                   /* B200 */
		{ 0xB9, 0x05, 0, 0x12 },                /* B905 */
		{ 0xE3, 0x12, 0x30, 0x08, 0x00, 0x02 }, /* E3..02 (LTG) */
		{ 0xEB, 0x13, 0x40, 0x08, 0x00, 0x0A }, /* EB..0A (SRAG) */
		{ 0xC0, 0x12, 0, 0, 0, 0 },             /* C0x2 */
		{ 0xFF, 0xFF, 0, 0, 0, 0 },
	};
	static const uint8_t lg[6] = { 0xe3, 0x12, 0x30, 0x08, 0x00, 0x04 };
	unsigned id, ilen;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(s390ap_decode(bad[i], 6, &id, &ilen), S390AP_ENOTSUP);
	ck_assert_int_eq(s390ap_decode(lg, 5, &id, &ilen), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_decode(lg, 1, &id, &ilen), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_decode(NULL, 6, &id, &ilen), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_decode(lg, 6, NULL, NULL), 0);
}
END_TEST

/* Field extraction per format (internal decoder). */
START_TEST(t_decode_fields)
{
	struct cpu_op op;
	static const uint8_t lay[6] = { 0xe3, 0x12, 0x3f, 0xfc, 0xff, 0x71 };
	static const uint8_t mvc[6] = { 0xd2, 0x01, 0x30, 0x01, 0x50, 0x04 };
	static const uint8_t lghi[4] = { 0xa7, 0x19, 0xff, 0xfe };
	static const uint8_t lgfi[6] = { 0xc0, 0x11, 0xff, 0xff, 0xff, 0xfe };
	static const uint8_t lmg[6] = { 0xeb, 0x13, 0x40, 0x08, 0x00, 0x04 };
	static const uint8_t stfle[4] = { 0xb2, 0xb0, 0x20, 0x08 };
	static const uint8_t mvi[4] = { 0x92, 0x55, 0x30, 0x01 };
	static const uint8_t la0[4] = { 0x41, 0x10, 0x0f, 0xff };
	static const uint8_t lg_pos[6] = { 0xe3, 0x10, 0x0f, 0xff, 0x7f, 0x04 };

	cpu_decode_fields(&op, lay, CPU_ID_LAY);
	ck_assert_int_eq(op.d2, -4);
	ck_assert_uint_eq(op.r1, 1);
	ck_assert_uint_eq(op.x, 2);
	ck_assert_uint_eq(op.b2, 3);
	ck_assert_uint_eq(op.ilen, 6);

	cpu_decode_fields(&op, lg_pos, CPU_ID_LG);
	ck_assert_int_eq(op.d2, 0x7FFFF);
	ck_assert_uint_eq(op.x, 16);
	ck_assert_uint_eq(op.b2, 16);

	cpu_decode_fields(&op, mvc, CPU_ID_MVC);
	ck_assert_int_eq(op.imm, 1);
	ck_assert_uint_eq(op.b1, 3);
	ck_assert_int_eq(op.d1, 1);
	ck_assert_uint_eq(op.b2, 5);
	ck_assert_int_eq(op.d2, 4);

	cpu_decode_fields(&op, lghi, CPU_ID_LGHI);
	ck_assert_int_eq(op.imm, -2);
	ck_assert_uint_eq(op.r1, 1);

	cpu_decode_fields(&op, lgfi, CPU_ID_LGFI);
	ck_assert_int_eq(op.imm, -2);

	cpu_decode_fields(&op, lmg, CPU_ID_LMG);
	ck_assert_uint_eq(op.r1, 1);
	ck_assert_uint_eq(op.r2, 3);
	ck_assert_uint_eq(op.b2, 4);
	ck_assert_uint_eq(op.x, 16);
	ck_assert_int_eq(op.d2, 8);

	cpu_decode_fields(&op, stfle, CPU_ID_STFLE);
	ck_assert_uint_eq(op.b2, 2);
	ck_assert_int_eq(op.d2, 8);

	cpu_decode_fields(&op, mvi, CPU_ID_MVI);
	ck_assert_int_eq(op.imm, 0x55);
	ck_assert_uint_eq(op.b1, 3);
	ck_assert_int_eq(op.d1, 1);

	cpu_decode_fields(&op, la0, CPU_ID_LA);
	ck_assert_uint_eq(op.x, 16);
	ck_assert_uint_eq(op.b2, 16);
	ck_assert_int_eq(op.d2, 0xFFF);
}
END_TEST

/* The emitter used by every program below produces the assembler's bytes. */
START_TEST(t_emitter_matches_assembler)
{
	uint8_t want[1024];
	size_t n = 0;

	for (size_t i = 0; i < NREFS; i++) {
		memcpy(want + n, refs[i].b, refs[i].len);
		n += refs[i].len;
	}
	prog_begin();
	LGHI(1, -2); LHI(1, -2); LGFI(1, -2); LLILF(1, 0x12345678); LLIHF(1, 0x12345678);
	IILF(1, 0x12345678); IIHF(1, 0x12345678); LA(1, 4, 2, 3); LAY(1, -4, 2, 3);
	LARL(1, CODE); LG(1, 8, 2, 3); LGF(1, 8, 2, 3); L(1, 8, 2, 3); LY(1, -8, 2, 3);
	LLGF(1, 8, 2, 3); LLGC(1, 8, 2, 3); LLGH(1, 8, 2, 3); LH(1, 8, 2, 3);
	ST(1, 8, 2, 3); STY(1, -8, 2, 3); STG(1, 8, 2, 3); STH(1, 8, 2, 3);
	LMG(1, 3, 8, 4); STMG(1, 3, 8, 4); MVC(1, 2, 3, 4, 5); MVI(1, 3, 0x55);
	XC(1, 2, 3, 4, 5); CLC(1, 2, 3, 4, 5); IC(1, 8, 2, 3); STC(1, 8, 2, 3);
	LGR(1, 2); LR(1, 2); LTGR(1, 2); LTR(1, 2); AGHI(1, -2); AHI(1, -2);
	AGR(1, 2); AR(1, 2); SGR(1, 2); SR(1, 2); NGR(1, 2); OGR(1, 2); XGR(1, 2);
	NILL(1, 0x1234); NILF(1, 0x12345678); OILL(1, 0x1234); OILF(1, 0x12345678);
	SLLG(1, 2, 3, 4); SRLG(1, 2, 3, 4); SLL(1, 3, 4); SRL(1, 3, 4);
	CGR(1, 2); CR(1, 2); CLGR(1, 2); CGHI(1, -2); CHI(1, -2); CGFI(1, -2);
	CLGFI(1, 0xfffffffe); CLI(1, 3, 0x55); TM(1, 3, 0x55); TMLL(1, 0x1234);
	BRC(8, CODE); BRCL(8, CODE); BRCT(1, CODE); BRCTG(1, CODE); BRAS(14, CODE);
	BRASL(14, CODE); BCR(8, 14); BASR(14, 15); IPM(1); SPM(1); STFLE(8, 2);
	LPSWE(8, 2); LCTLG(1, 3, 8, 4); STCTG(1, 3, 8, 4); SSM(8, 2); STOSM(8, 2, 0x55);
	STNSM(8, 2, 0x55); SPX(8, 2); STPX(8, 2); DIAG(1, 3, 0x500, 4); PQAP();
	NQAP(2, 4); DQAP(2, 4); SIE(8, 2); STAP(8, 2); STFL(8, 2);
	ck_assert_uint_eq(P.n, n);
	ck_assert_mem_eq(P.b, want, n);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Loads, stores, moves                                                */
/* ------------------------------------------------------------------ */
START_TEST(t_immediates)
{
	struct env e;

	prog_begin();
	LGHI(1, -2);
	LHI(2, -3);
	LGFI(3, -5);
	LLILF(4, 0x87654321);
	LLIHF(5, 0x87654321);
	IILF(6, 0xAABBCCDD);
	IIHF(7, 0x11223344);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x1111111122222222ull;
	e.gr[6] = 0x0102030405060708ull;
	e.gr[7] = 0x0102030405060708ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0xFFFFFFFFFFFFFFFEull);
	ck_assert_uint_eq(e.gr[2], 0x11111111FFFFFFFDull);
	ck_assert_uint_eq(e.gr[3], 0xFFFFFFFFFFFFFFFBull);
	ck_assert_uint_eq(e.gr[4], 0x0000000087654321ull);
	ck_assert_uint_eq(e.gr[5], 0x8765432100000000ull);
	ck_assert_uint_eq(e.gr[6], 0x01020304AABBCCDDull);
	ck_assert_uint_eq(e.gr[7], 0x1122334405060708ull);
	ck_assert_uint_eq(cc_of(&e), 0); /* none of them sets the cc */
	env_close(&e);
}
END_TEST

START_TEST(t_address_loads)
{
	struct env e;
	uint64_t larl_at, target;

	prog_begin();
	LA(1, 0x10, 2, 3);     /* r2 + r3 + 16 */
	LA(4, 0xFFF, 0, 0);    /* no base, no index */
	LAY(5, -0x10, 0, 3);
	larl_at = here();
	target = larl_at + 0x100;
	LARL(6, target);
	LARL(7, CODE);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x1000;
	e.gr[3] = 0x20000;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x21010);
	ck_assert_uint_eq(e.gr[4], 0xFFF);
	ck_assert_uint_eq(e.gr[5], 0x1FFF0);
	ck_assert_uint_eq(e.gr[6], target);
	ck_assert_uint_eq(e.gr[7], CODE);
	env_close(&e);
}
END_TEST

START_TEST(t_storage_loads)
{
	struct env e;
	static const uint8_t data[16] = { 0x80, 0x91, 0xA2, 0xB3, 0xC4, 0xD5, 0xE6, 0xF7,
					  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

	prog_begin();
	LLILF(9, DATA);
	LG(1, 0, 0, 9);
	LGF(2, 0, 0, 9);
	L(3, 8, 0, 9);
	LY(4, 8, 0, 9);
	LLGF(5, 0, 0, 9);
	LLGC(6, 1, 0, 9);
	LLGH(7, 0, 0, 9);
	LH(8, 0, 0, 9);
	LGHI(10, 8);
	LG(11, 0, 10, 9);      /* index register */
	LAY(12, 0x10, 0, 9);
	LY(13, -0x8, 0, 12);   /* negative long displacement */
	IC(14, 2, 0, 9);
	EXIT();
	env_setup(&e, NULL);
	poke(&e, DATA, data, sizeof(data));
	e.gr[3] = e.gr[4] = e.gr[8] = 0xAAAAAAAA00000000ull;
	e.gr[14] = 0x1122334455667788ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x8091A2B3C4D5E6F7ull);
	ck_assert_uint_eq(e.gr[2], 0xFFFFFFFF8091A2B3ull);
	ck_assert_uint_eq(e.gr[3], 0xAAAAAAAA01020304ull);
	ck_assert_uint_eq(e.gr[4], 0xAAAAAAAA01020304ull);
	ck_assert_uint_eq(e.gr[5], 0x8091A2B3ull);
	ck_assert_uint_eq(e.gr[6], 0x91);
	ck_assert_uint_eq(e.gr[7], 0x8091);
	ck_assert_uint_eq(e.gr[8], 0xAAAAAAAAFFFF8091ull);
	ck_assert_uint_eq(e.gr[11], 0x0102030405060708ull);
	ck_assert_uint_eq(e.gr[13], 0x01020304ull);
	ck_assert_uint_eq(e.gr[14], 0x11223344556677A2ull);
	env_close(&e);
}
END_TEST

START_TEST(t_storage_stores)
{
	struct env e;
	static const uint8_t want[24] = {
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, /* STG */
		0x55, 0x66, 0x77, 0x88,                         /* ST */
		0x55, 0x66, 0x77, 0x88,                         /* STY */
		0x77, 0x88,                                     /* STH */
		0x88,                                           /* STC */
		0x5A,                                           /* MVI */
		0x00, 0x00, 0x00, 0x00 };

	prog_begin();
	LLILF(9, DATA);
	STG(1, 0, 0, 9);
	ST(1, 8, 0, 9);
	LAY(10, 0x20, 0, 9);
	STY(1, -0x14, 0, 10);
	STH(1, 16, 0, 9);
	LGHI(2, 18);
	STC(1, 0, 2, 9);
	MVI(19, 9, 0x5A);
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 0x1122334455667788ull;
	run_done(&e);
	ck_assert_mem_eq(e.mem + DATA, want, sizeof(want));
	env_close(&e);
}
END_TEST

START_TEST(t_lmg_stmg)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	STMG(14, 2, 0, 9);     /* r14, r15, r0, r1, r2: wraps */
	LMG(3, 7, 0, 9);
	EXIT();
	env_setup(&e, NULL);
	e.gr[14] = 14;
	e.gr[15] = 15;
	e.gr[0] = 100;
	e.gr[1] = 101;
	e.gr[2] = 102;
	run_done(&e);
	ck_assert_uint_eq(be_get(e.mem + DATA, 8), 14);
	ck_assert_uint_eq(be_get(e.mem + DATA + 32, 8), 102);
	ck_assert_uint_eq(e.gr[3], 14);
	ck_assert_uint_eq(e.gr[4], 15);
	ck_assert_uint_eq(e.gr[5], 100);
	ck_assert_uint_eq(e.gr[6], 101);
	ck_assert_uint_eq(e.gr[7], 102);
	env_close(&e);
}
END_TEST

START_TEST(t_mvc_xc_clc)
{
	struct env e;
	uint8_t want[16];

	prog_begin();
	LLILF(9, DATA);
	MVC(0x100, 8, 9, 0, 9);           /* plain copy */
	MVC(0x201, 15, 9, 0x200, 9);      /* destructive overlap: propagate */
	XC(0x300, 8, 9, 0x300, 9);        /* clear: cc 0 */
	IPM(1);
	XC(0x100, 4, 9, 0x400, 9);        /* non-zero: cc 1 */
	IPM(2);
	CLC(0x500, 4, 9, 0x504, 9);       /* equal: cc 0 */
	IPM(3);
	CLC(0x508, 4, 9, 0x50C, 9);       /* low: cc 1 */
	IPM(4);
	CLC(0x50C, 4, 9, 0x508, 9);       /* high: cc 2 */
	IPM(5);
	MVC(0x600, 256, 9, 0x700, 9);     /* 256 bytes */
	EXIT();
	env_setup(&e, NULL);
	for (unsigned i = 0; i < 8; i++)
		poke8(&e, DATA + i, (uint8_t)(0x10 + i));
	poke8(&e, DATA + 0x200, 0xEE);
	poke_fill(&e, DATA + 0x300, 0x5A, 8);
	poke_fill(&e, DATA + 0x400, 0xFF, 4);
	poke(&e, DATA + 0x500, "ABCDABCDABCEABCF", 16);
	poke(&e, DATA + 0x50C, "ABDA", 4);
	for (unsigned i = 0; i < 256; i++)
		poke8(&e, DATA + 0x700 + i, (uint8_t)i);
	run_done(&e);
	ck_assert_mem_eq(e.mem + DATA + 0x100 + 4, e.mem + DATA + 4, 4);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_eq(e.mem[DATA + 0x100 + i], (uint8_t)((0x10 + i) ^ 0xFF));
	memset(want, 0xEE, sizeof(want));
	ck_assert_mem_eq(e.mem + DATA + 0x200, want, 16);
	memset(want, 0, 8);
	ck_assert_mem_eq(e.mem + DATA + 0x300, want, 8);
	ck_assert_uint_eq((e.gr[1] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[2] >> 28) & 3, 1);
	ck_assert_uint_eq((e.gr[3] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[4] >> 28) & 3, 1);
	ck_assert_uint_eq((e.gr[5] >> 28) & 3, 2);
	ck_assert_mem_eq(e.mem + DATA + 0x600, e.mem + DATA + 0x700, 256);
	env_close(&e);
}
END_TEST

/* Operands crossing 8 KiB blocks, the prefix area, and wrap-around take the
 * slow path with identical results. */
START_TEST(t_ss_slow_path)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA + 0x1FF0);
	MVC(0, 64, 9, 0x100, 0);          /* from lowcore (prefixed) across 8K */
	XC(0x40, 32, 9, 0x40, 9);
	IPM(1);
	CLC(0, 32, 9, 0x100, 0);
	IPM(2);
	LG(3, 0xC, 0, 9);                 /* straddles DATA + 0x2000 */
	LLILF(10, DATA + 0x3FFC);
	STG(3, 0, 0, 10);                 /* straddles DATA + 0x4000 */
	EXIT();
	env_setup(&e, NULL);
	for (unsigned i = 0; i < 64; i++)
		poke8(&e, 0x100 + i, (uint8_t)(i * 3 + 1));
	poke_fill(&e, DATA + 0x1FF0 + 0x40, 0x77, 32);
	run_done(&e);
	ck_assert_mem_eq(e.mem + DATA + 0x1FF0, e.mem + 0x100, 64);
	ck_assert_uint_eq((e.gr[1] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[2] >> 28) & 3, 0);
	ck_assert_uint_eq(e.gr[3], be_get(e.mem + 0x10C, 8));
	ck_assert_mem_eq(e.mem + DATA + 0x3FFC, e.mem + 0x10C, 8);
	env_close(&e);
}
END_TEST

START_TEST(t_register_loads)
{
	struct env e;

	prog_begin();
	LGR(1, 2);
	LR(3, 2);
	LTGR(4, 5);
	IPM(10);
	LTGR(4, 2);
	IPM(11);
	LTGR(4, 6);
	IPM(12);
	LTR(7, 6);                 /* low word 0: cc 0 */
	IPM(13);
	LTR(8, 2);                 /* low word 0x80000001: negative */
	IPM(14);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x8000000080000001ull;
	e.gr[3] = 0x3333333333333333ull;
	e.gr[5] = 0;
	e.gr[6] = 0x0000000100000000ull;
	e.gr[7] = 0x7777777777777777ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x8000000080000001ull);
	ck_assert_uint_eq(e.gr[3], 0x3333333380000001ull);
	ck_assert_uint_eq(e.gr[4], 0x0000000100000000ull);
	ck_assert_uint_eq((e.gr[10] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[11] >> 28) & 3, 1);
	ck_assert_uint_eq((e.gr[12] >> 28) & 3, 2);
	ck_assert_uint_eq(e.gr[7], 0x7777777700000000ull);
	ck_assert_uint_eq((e.gr[13] >> 28) & 3, 0);
	ck_assert_uint_eq((e.gr[14] >> 28) & 3, 1);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Arithmetic and logic                                                */
/* ------------------------------------------------------------------ */
#define CC(r) ((e.gr[r] >> 28) & 3)

START_TEST(t_add_subtract)
{
	struct env e;

	prog_begin();
	LGHI(1, 5);   AGHI(1, -5);   IPM(1);         /* 0 -> cc 0 (IPM into r1 keeps bits 0-31) */
	LGHI(2, 5);   AGHI(2, -6);   IPM(3);         /* -1: cc 1 */
	LGHI(4, 5);   AGHI(4, 1);    IPM(5);         /* 6: cc 2 */
	LLIHF(6, 0x7FFFFFFF); OILF(6, 0xFFFFFFFF); AGHI(6, 1); IPM(7); /* overflow: cc 3 */
	LLILF(8, 0x7FFFFFFF); AHI(8, 1); IPM(9);      /* 32-bit overflow */
	LGR(10, 6); LGHI(11, -1); AGR(10, 11); IPM(12); /* INT64_MIN + -1: overflow */
	LLILF(13, 0x80000000); LHI(14, 1); SR(13, 14); IPM(0); /* INT32_MIN - 1 */
	EXIT();
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(e.gr[1] & 0xFFFFFFFF00FFFFFFull, 0);
	ck_assert_uint_eq(CC(1), 0);
	ck_assert_uint_eq(e.gr[2], UINT64_MAX);
	ck_assert_uint_eq(CC(3), 1);
	ck_assert_uint_eq(e.gr[4], 6);
	ck_assert_uint_eq(CC(5), 2);
	ck_assert_uint_eq(e.gr[6], 0x8000000000000000ull);
	ck_assert_uint_eq(CC(7), 3);
	ck_assert_uint_eq(e.gr[8], 0x80000000ull);
	ck_assert_uint_eq(CC(9), 3);
	ck_assert_uint_eq(e.gr[10], 0x7FFFFFFFFFFFFFFFull);
	ck_assert_uint_eq(CC(12), 3);
	ck_assert_uint_eq(e.gr[13], 0x7FFFFFFFull);
	ck_assert_uint_eq(CC(0), 3);
	env_close(&e);
}
END_TEST

START_TEST(t_add_subtract_registers)
{
	struct env e;

	prog_begin();
	AGR(1, 2);  IPM(10);           /* 7 + -9 = -2: cc 1 */
	AR(3, 4);   IPM(11);           /* 32-bit: 1 + 1 = 2: cc 2 */
	SGR(5, 6);  IPM(12);           /* 3 - 3 = 0 */
	SR(7, 8);   IPM(13);           /* 2 - 5 = -3 (32-bit) */
	SGR(9, 2);  IPM(14);           /* INT64_MIN - (-9): no overflow, negative */
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 7;
	e.gr[2] = (uint64_t)-9;
	e.gr[3] = 0xFFFFFFFF00000001ull;
	e.gr[4] = 0x1234567800000001ull;
	e.gr[5] = e.gr[6] = 3;
	e.gr[7] = 0xABCD000000000002ull;
	e.gr[8] = 5;
	e.gr[9] = 0x8000000000000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], (uint64_t)-2);
	ck_assert_uint_eq(CC(10), 1);
	ck_assert_uint_eq(e.gr[3], 0xFFFFFFFF00000002ull);
	ck_assert_uint_eq(CC(11), 2);
	ck_assert_uint_eq(e.gr[5], 0);
	ck_assert_uint_eq(CC(12), 0);
	ck_assert_uint_eq(e.gr[7], 0xABCD0000FFFFFFFDull);
	ck_assert_uint_eq(CC(13), 1);
	ck_assert_uint_eq(e.gr[9], 0x8000000000000009ull);
	ck_assert_uint_eq(CC(14), 1);
	env_close(&e);
}
END_TEST

/* With the fixed-point-overflow mask on, overflow completes the add and
 * raises program interruption 0x0008 pointing after it. */
START_TEST(t_fixed_point_overflow)
{
	struct env e;
	uint64_t at;

	prog_begin();
	LLILF(1, 0x08000000);           /* program mask 8: fixed-point overflow */
	SPM(1);
	LLILF(2, 0x7FFFFFFF);
	at = here();
	AHI(2, 1);
	LGHI(3, 1);                      /* resumes here */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_uint_eq(e.gr[2], 0x80000000ull);
	ck_assert_uint_eq(e.gr[3], 1);
	ck_assert_uint_eq(lc_code(&e), 0x0008);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), at + 4);
	ck_assert_uint_eq((lc_old_mask(&e) >> 44) & 3, 3);
	env_close(&e);
}
END_TEST

START_TEST(t_logic)
{
	struct env e;

	prog_begin();
	NGR(1, 2);  IPM(10);
	OGR(3, 4);  IPM(11);
	XGR(5, 5);  IPM(12);
	NILL(6, 0x00F0); IPM(13);
	NILF(7, 0x0000FFFF); IPM(14);
	OILL(8, 0);  IPM(15);
	OILF(9, 0x80000000); IPM(0);
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 0xF0F0F0F0F0F0F0F0ull;
	e.gr[2] = 0x0F0F0F0F0F0F0F0Full;
	e.gr[3] = 0;
	e.gr[4] = 0x100;
	e.gr[5] = 0x12345;
	e.gr[6] = 0xFFFFFFFFFFFF0F0Full;
	e.gr[7] = 0x12345678ABCD0000ull;
	e.gr[8] = 0xFFFF000000000000ull;
	e.gr[9] = 0x1111111100000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0);
	ck_assert_uint_eq(CC(10), 0);
	ck_assert_uint_eq(e.gr[3], 0x100);
	ck_assert_uint_eq(CC(11), 1);
	ck_assert_uint_eq(e.gr[5], 0);
	ck_assert_uint_eq(CC(12), 0);
	ck_assert_uint_eq(e.gr[6], 0xFFFFFFFFFFFF0000ull);
	ck_assert_uint_eq(CC(13), 0);             /* only bits 48-63 count */
	ck_assert_uint_eq(e.gr[7], 0x1234567800000000ull);
	ck_assert_uint_eq(CC(14), 0);
	ck_assert_uint_eq(e.gr[8], 0xFFFF000000000000ull);
	ck_assert_uint_eq(CC(15), 0);
	ck_assert_uint_eq(e.gr[9], 0x1111111180000000ull);
	ck_assert_uint_eq(CC(0), 1);
	env_close(&e);
}
END_TEST

START_TEST(t_shifts)
{
	struct env e;

	prog_begin();
	SLLG(1, 2, 4, 0);              /* by 4 */
	SRLG(3, 2, 0x43, 0);           /* amount is address & 63: 3 */
	SLLG(4, 2, 1, 5);              /* base register: 63 + 1 = 64 -> 0 */
	SLL(6, 31, 0);
	SRL(7, 32, 0);                 /* >= 32 clears the low word */
	SRL(8, 4, 0);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x8000000000000011ull;
	e.gr[5] = 63;
	e.gr[6] = 0xAAAAAAAA00000003ull;
	e.gr[7] = 0xBBBBBBBBFFFFFFFFull;
	e.gr[8] = 0xCCCCCCCC000000F0ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x0000000000000110ull);
	ck_assert_uint_eq(e.gr[3], 0x1000000000000002ull);
	ck_assert_uint_eq(e.gr[4], 0x8000000000000011ull);
	ck_assert_uint_eq(e.gr[6], 0xAAAAAAAA80000000ull);
	ck_assert_uint_eq(e.gr[7], 0xBBBBBBBB00000000ull);
	ck_assert_uint_eq(e.gr[8], 0xCCCCCCCC0000000Full);
	ck_assert_uint_eq(cc_of(&e), 0);
	env_close(&e);
}
END_TEST

/* Each compare against "less", "equal" and "greater" operands. */
START_TEST(t_compares)
{
	struct env e;
	/* r1 = -1 (64-bit), r2 = 1, r3 = low word 0xFFFFFFFF (-1 as 32-bit) */
	prog_begin();
	CGR(1, 2);  IPM(4);        /* -1 < 1 signed: 1 */
	CLGR(1, 2); IPM(5);        /* unsigned: high: 2 */
	CR(3, 2);   IPM(6);        /* 32-bit -1 < 1: 1 */
	CGHI(1, -1); IPM(7);       /* equal: 0 */
	CHI(2, -5); IPM(8);        /* 1 > -5: 2 */
	CGFI(2, 0x7FFFFFFF); IPM(9); /* low: 1 */
	CLGFI(1, 0xFFFFFFFF); IPM(10); /* unsigned 2^64-1 > 2^32-1: 2 */
	CLGFI(3, 0xFFFFFFFF); IPM(11); /* r3 = 0xFFFFFFFF: equal 0 */
	LLILF(12, DATA);
	CLI(0, 12, 0x80); IPM(13); /* 0x7F < 0x80 unsigned: 1 */
	CLI(1, 12, 0x80); IPM(14); /* 0x80: 0 */
	CLI(2, 12, 0x80); IPM(15); /* 0xFF: 2 */
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = UINT64_MAX;
	e.gr[2] = 1;
	e.gr[3] = 0xFFFFFFFFull;
	poke8(&e, DATA, 0x7F);
	poke8(&e, DATA + 1, 0x80);
	poke8(&e, DATA + 2, 0xFF);
	run_done(&e);
	ck_assert_uint_eq(CC(4), 1);
	ck_assert_uint_eq(CC(5), 2);
	ck_assert_uint_eq(CC(6), 1);
	ck_assert_uint_eq(CC(7), 0);
	ck_assert_uint_eq(CC(8), 2);
	ck_assert_uint_eq(CC(9), 1);
	ck_assert_uint_eq(CC(10), 2);
	ck_assert_uint_eq(CC(11), 0);
	ck_assert_uint_eq(CC(13), 1);
	ck_assert_uint_eq(CC(14), 0);
	ck_assert_uint_eq(CC(15), 2);
	env_close(&e);
}
END_TEST

START_TEST(t_test_under_mask)
{
	struct env e;

	prog_begin();
	LLILF(12, DATA);
	TM(0, 12, 0xF0); IPM(1);   /* byte 0x0F: selected all zero -> 0 */
	TM(0, 12, 0x0C); IPM(2);   /* all ones -> 3 */
	TM(0, 12, 0x18); IPM(3);   /* mixed -> 1 */
	TM(0, 12, 0x00); IPM(4);   /* mask 0 -> 0 */
	TMLL(5, 0xFF00); IPM(6);   /* r5 = 0x00F0: zero -> 0 */
	TMLL(5, 0x00F0); IPM(7);   /* ones -> 3 */
	TMLL(5, 0x0180); IPM(8);   /* mixed, leftmost (0x0100) zero -> 1 */
	TMLL(5, 0x0081); IPM(9);   /* mixed, leftmost (0x0080) one -> 2 */
	TMLL(5, 0); IPM(10);       /* mask 0 -> 0 */
	EXIT();
	env_setup(&e, NULL);
	poke8(&e, DATA, 0x0F);
	e.gr[5] = 0xFFFFFFFFFFFF00F0ull;
	run_done(&e);
	ck_assert_uint_eq(CC(1), 0);
	ck_assert_uint_eq(CC(2), 3);
	ck_assert_uint_eq(CC(3), 1);
	ck_assert_uint_eq(CC(4), 0);
	ck_assert_uint_eq(CC(6), 0);
	ck_assert_uint_eq(CC(7), 3);
	ck_assert_uint_eq(CC(8), 1);
	ck_assert_uint_eq(CC(9), 2);
	ck_assert_uint_eq(CC(10), 0);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Branches                                                            */
/* ------------------------------------------------------------------ */
/* Every mask against every cc, for BRC, BRCL and BCR. */
START_TEST(t_branch_masks)
{
	for (unsigned kind = 0; kind < 3; kind++) {
		for (unsigned cc = 0; cc < 4; cc++) {
			for (unsigned mask = 0; mask < 16; mask++) {
				struct env e;
				size_t fix;

				prog_begin();
				LLILF(1, cc << 28);
				SPM(1);
				LGHI(2, 0);
				if (kind == 0) {
					fix = fwd_brc(mask);
					EXIT();
					patch_here(fix);
				} else if (kind == 1) {
					BRCL(mask, here() + 6 + 4);
					EXIT();
				} else {
					LARL(3, here() + 6 + 2 + 4);
					BCR(mask, 3);
					EXIT();
				}
				LGHI(2, 1);
				EXIT();
				env_setup(&e, NULL);
				run_done(&e);
				ck_assert_msg(exit_value(&e) == ((mask >> (3 - cc)) & 1),
					      "kind %u cc %u mask %u", kind, cc, mask);
				env_close(&e);
			}
		}
	}
}
END_TEST

START_TEST(t_branch_count)
{
	struct env e;
	uint64_t loop;

	prog_begin();
	LHI(1, 5);
	LGHI(2, 0);
	loop = here();
	AGHI(2, 1);
	BRCT(1, loop);
	LGHI(3, 7);
	LGHI(4, 0);
	loop = here();
	AGHI(4, 2);
	BRCTG(3, loop);
	EXIT();
	env_setup(&e, NULL);
	e.gr[1] = 0xFFFFFFFF00000000ull;
	e.gr[3] = 0xFFFFFFFF00000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[2], 5);
	ck_assert_uint_eq(e.gr[1], 0xFFFFFFFF00000000ull); /* high word kept */
	ck_assert_uint_eq(e.gr[4], 14);
	ck_assert_uint_eq(e.gr[3], 0);
	env_close(&e);
}
END_TEST

START_TEST(t_branch_and_save)
{
	struct env e;
	uint64_t sub, after_bras, after_brasl, after_basr;
	size_t skip;

	prog_begin();
	skip = fwd_brc(15);
	sub = here();
	AGHI(5, 1);
	BCR(15, 14);               /* return */
	patch_here(skip);
	BRAS(14, sub);
	after_bras = here();
	LGR(6, 14);
	BRASL(14, sub);
	after_brasl = here();
	LGR(7, 14);
	LARL(8, sub);
	BASR(14, 8);
	after_basr = here();
	LGR(9, 14);
	BASR(10, 0);               /* R2 = 0: link only */
	LGR(11, 10);
	LARL(12, here() + 6 + 2 + 4);
	BASR(12, 12);              /* R1 = R2: target read first */
	LGHI(13, 1);               /* skipped */
	EXIT();
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(e.gr[5], 3);
	ck_assert_uint_eq(e.gr[6], after_bras);
	ck_assert_uint_eq(e.gr[7], after_brasl);
	ck_assert_uint_eq(e.gr[9], after_basr);
	ck_assert_uint_eq(e.gr[11], after_basr + 4 + 2);
	ck_assert_uint_eq(e.gr[12], here() - 8);
	ck_assert_uint_eq(e.gr[13], 0);
	env_close(&e);
}
END_TEST

/* BCR to an odd address: the branch completes, then specification with
 * the odd address in the old PSW and the branch's ILC. */
START_TEST(t_branch_odd)
{
	struct env e;

	prog_begin();
	LLILF(1, CODE + 0x101);
	BCR(15, 1);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 2);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 0x101);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Addressing modes                                                    */
/* ------------------------------------------------------------------ */
START_TEST(t_amode_31_24)
{
	struct env e;
	s390ap_sys_opts o = { 0 }; /* 16 MiB: the 24-bit wrap point exists */
	s390ap_psw psw = { S390AP_PSW_BA, CODE };
	uint64_t after;

	prog_begin();
	LA(1, 0, 0, 2);            /* 31-bit: bit 32 zero, high word kept */
	BRAS(3, here() + 4);
	after = here();
	EXIT();
	env_setup(&e, &o);
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	e.gr[1] = 0x1234567800000000ull;
	e.gr[2] = UINT64_MAX;
	e.gr[3] = 0xABCDABCD00000000ull;
	run_done(&e);
	ck_assert_uint_eq(e.gr[1], 0x123456787FFFFFFFull);
	ck_assert_uint_eq(e.gr[3], 0xABCDABCD00000000ull | 0x80000000u | after);
	env_close(&e);

	/* 24-bit: an 8-byte load at 0xFFFFFC wraps to 0; LA keeps 24 bits;
	 * BRAS stores ILC, cc and program mask. */
	prog_begin();
	LG(4, 0xFFC, 0, 5);
	LA(6, 0, 0, 2);
	LLILF(1, 0x2A000000);      /* cc 2, program mask 0xA */
	SPM(1);
	BRAS(7, here() + 4);
	after = here();
	EXIT();
	env_setup(&e, &o);
	psw.mask = 0;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	e.gr[2] = UINT64_MAX;
	e.gr[5] = 0xFFF000;
	e.gr[6] = 0x5555555500000000ull;
	poke_be(&e, 0xFFFFFC, 4, 0x11223344);
	poke_be(&e, 0, 4, 0x55667788);
	run_done(&e);
	ck_assert_uint_eq(e.gr[4], 0x1122334455667788ull);
	ck_assert_uint_eq(e.gr[6], 0x5555555500FFFFFFull);
	ck_assert_uint_eq(e.gr[7] & 0xFFFFFFFFu, 2u << 30 | 2u << 28 | 0xAu << 24 | after);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Control                                                             */
/* ------------------------------------------------------------------ */
START_TEST(t_ipm_spm)
{
	struct env e;

	prog_begin();
	LLILF(1, 0xFF000000);      /* bits 32-33 ignored: cc 3, pm 0xF */
	SPM(1);
	IPM(2);
	LGHI(3, 0);
	LTGR(3, 3);                /* cc 0, pm stays */
	IPM(4);
	EXIT();
	env_setup(&e, NULL);
	e.gr[2] = 0x12345678FFFFFFFFull;
	e.gr[4] = 0;
	run_done(&e);
	ck_assert_uint_eq(e.gr[2], 0x123456783FFFFFFFull);
	ck_assert_uint_eq(e.gr[4], 0x0F000000ull);
	env_close(&e);
}
END_TEST

START_TEST(t_stfle)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	LGHI(0, 0);                /* room for one doubleword */
	STFLE(0, 9);
	IPM(1);
	LGR(2, 0);
	LGHI(0, 2);                /* room for three */
	STFLE(0x10, 9);
	IPM(3);
	LGR(4, 0);
	STFL(0, 0);
	EXIT();
	env_setup(&e, NULL);
	poke_fill(&e, DATA, 0xEE, 0x40);
	run_done(&e);
	ck_assert_uint_eq(CC(1), 3);
	ck_assert_uint_eq(e.gr[2], 1);
	ck_assert_uint_eq(be_get(e.mem + DATA, 8), 0x2009000000000000ull); /* 2, 12, 15 */
	ck_assert_uint_eq(e.mem[DATA + 8], 0xEE);                    /* only one stored */
	ck_assert_uint_eq(CC(3), 0);
	ck_assert_uint_eq(e.gr[4], 1);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x10, 8), 0x2009000000000000ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x18, 8), 0x4008000000000000ull); /* 65, 76 */
	ck_assert_uint_eq(e.mem[DATA + 0x20], 0xEE);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_STFLE, 4), 0x20090000u);
	env_close(&e);
}
END_TEST

START_TEST(t_stfle_machine_facilities)
{
	struct env e;
	s390ap_machine *m;
	s390ap_machine_opts mo = { .facilities = S390AP_FAC_AP | S390AP_FAC_APFT,
				   .facilities_set = true };
	s390ap_sys_opts o = { .mem_size = SMALL_MEM };

	ck_assert_int_eq(s390ap_machine_new(&m, &mo), 0);
	o.machine = m;
	prog_begin();
	LLILF(9, DATA);
	LGHI(0, 1);
	STFLE(0, 9);
	EXIT();
	env_setup(&e, &o);
	ck_assert_ptr_eq(s390ap_sys_machine(e.sys), m);
	run_done(&e);
	ck_assert_uint_eq(be_get(e.mem + DATA, 8), 0x2001000000000000ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 8, 8), 0);
	env_close(&e);
	s390ap_machine_free(m); /* borrowed: still ours */
}
END_TEST

START_TEST(t_lpswe)
{
	struct env e;
	uint64_t target = CODE + 0x200;

	prog_begin();
	LLILF(9, DATA);
	LPSWE(0, 9);
	EXIT();                    /* skipped */
	while (here() < target)
		emit(2, 0x0700);   /* BCR 0,0 filler */
	LGHI(2, 0x31);
	EXIT();
	env_setup(&e, NULL);
	/* 31-bit PSW with cc 1 */
	poke_psw(&e, DATA, S390AP_PSW_BA | 1ull << S390AP_PSW_CC_SHIFT, target);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 0x31);
	ck_assert_uint_eq(cc_of(&e), 1);
	env_close(&e);
}
END_TEST

/* LPSWE of an invalid PSW: early specification, ILC 0, old PSW = the new one. */
START_TEST(t_lpswe_invalid_psw)
{
	static const uint64_t bad_masks[] = {
		PSW64 | 0x8000000000000000ull,   /* bit 0 */
		PSW64 | 0x0008000000000000ull,   /* bit 12 */
		S390AP_PSW_EA,                   /* EA without BA */
		PSW64 | 0x0000000000000001ull,   /* bit 63 */
	};

	for (size_t i = 0; i < sizeof(bad_masks) / sizeof(bad_masks[0]) + 2; i++) {
		struct env e;
		uint64_t mask = PSW64, addr = CODE + 0x40;

		if (i < 4)
			mask = bad_masks[i];
		else if (i == 4)
			addr = CODE + 0x41;              /* odd */
		else {
			mask = S390AP_PSW_BA;    /* address beyond 31 bits */
			addr = 0x80000000ull;
		}
		prog_begin();
		LLILF(9, DATA);
		LPSWE(0, 9);
		EXIT();
		env_setup(&e, NULL);
		pgm_to_halt(&e);
		poke_psw(&e, DATA, mask, addr);
		run_done(&e);
		ck_assert_uint_eq(lc_code(&e), 6);
		ck_assert_uint_eq(lc_ilc(&e), 0);
		ck_assert_uint_eq(lc_old_mask(&e), mask);
		ck_assert_uint_eq(lc_old_addr(&e), addr);
		env_close(&e);
	}
}
END_TEST

START_TEST(t_control_registers)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	LCTLG(15, 1, 0, 9);        /* CR15, CR0, CR1: wraps */
	STCTG(14, 2, 0x40, 9);     /* CR14, CR15, CR0, CR1, CR2 */
	EXIT();
	env_setup(&e, NULL);
	poke_be(&e, DATA, 8, 0x1515151515151515ull);
	poke_be(&e, DATA + 8, 8, 0x0000000000000A0Aull);
	poke_be(&e, DATA + 16, 8, 0x0101010101010101ull);
	run_done(&e);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 15), 0x1515151515151515ull);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 0), 0xA0A);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 1), 0x0101010101010101ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x40, 8), 0xC2000000ull); /* CR14 reset value */
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x48, 8), 0x1515151515151515ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x50, 8), 0xA0A);
	ck_assert_uint_eq(be_get(e.mem + DATA + 0x60, 8), 0);
	env_close(&e);
}
END_TEST

START_TEST(t_system_mask)
{
	struct env e;
	s390ap_psw psw;

	prog_begin();
	LLILF(9, DATA);
	STOSM(0, 9, 0x03);         /* store 0x00, then I/O + EXT on */
	STNSM(1, 9, 0xFD);         /* store 0x03, then I/O off */
	SSM(2, 9);                 /* load 0x04 (DAT) */
	STOSM(3, 9, 0x00);
	EXIT();
	env_setup(&e, NULL);
	poke8(&e, DATA + 2, 0x04);
	run_done(&e);
	ck_assert_uint_eq(e.mem[DATA], 0x00);
	ck_assert_uint_eq(e.mem[DATA + 1], 0x03);
	ck_assert_uint_eq(e.mem[DATA + 3], 0x04);
	s390ap_cpu_psw(e.cpu, &psw);
	ck_assert_uint_eq(psw.mask >> 56, 0x04);
	env_close(&e);
}
END_TEST

START_TEST(t_system_mask_errors)
{
	struct env e;

	/* SSM with bit 0 on: specification, PSW unchanged. */
	prog_begin();
	LLILF(9, DATA);
	SSM(0, 9);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	poke8(&e, DATA, 0x80);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_mask(&e), PSW64);
	env_close(&e);

	/* STOSM turning on bit 0: stored, then early specification (ILC 0). */
	prog_begin();
	LLILF(9, DATA);
	STOSM(0, 9, 0x80);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 0);
	ck_assert_uint_eq(lc_old_mask(&e), PSW64 | 0x8000000000000000ull);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 4);
	env_close(&e);
}
END_TEST

/* SPX moves the lowcore; both directions of prefixing. */
START_TEST(t_prefix)
{
	struct env e;
	const uint32_t pfx = 0x40000;

	prog_begin();
	LLILF(9, DATA);
	SPX(0, 9);
	LGHI(1, 0x77);
	STG(1, 0x100, 0, 0);       /* real 0x100 -> absolute 0x40100 */
	LLILF(2, pfx);
	LG(3, 0x200, 0, 2);        /* real 0x40200 -> absolute 0x200 */
	STPX(8, 9);
	STAP(12, 9);
	LLILF(5, 0x1FFC);
	LG(4, 0, 0, 5);            /* real 1FFC-2003: absolute 41FFC-41FFF, 2000-2003 */
	EXIT();
	env_setup(&e, NULL);
	poke_be(&e, pfx + 0x1FFC, 4, 0x01020304);
	poke_be(&e, 0x2000, 4, 0x05060708);
	poke_be(&e, DATA, 4, pfx | 0x80001FFFu); /* bits outside 1-18 ignored */
	poke_be(&e, 0x200, 8, 0xA5A5A5A5A5A5A5A5ull);
	run_done(&e);
	ck_assert_uint_eq(s390ap_cpu_prefix(e.cpu), pfx);
	ck_assert_uint_eq(be_get(e.mem + pfx + 0x100, 8), 0x77);
	ck_assert_uint_eq(be_get(e.mem + 0x100, 8), 0);
	ck_assert_uint_eq(e.gr[3], 0xA5A5A5A5A5A5A5A5ull);
	ck_assert_uint_eq(be_get(e.mem + DATA + 8, 4), pfx);
	ck_assert_uint_eq(be_get(e.mem + DATA + 12, 2), 0);
	ck_assert_uint_eq(e.gr[4], 0x0102030405060708ull);
	env_close(&e);
}
END_TEST

START_TEST(t_prefix_errors)
{
	struct env e;

	/* Prefix area outside storage: addressing; misaligned: specification. */
	for (unsigned i = 0; i < 4; i++) {
		prog_begin();
		LLILF(9, DATA);
		if (i == 0)
			SPX(0, 9);
		else if (i == 1)
			SPX(2, 9);
		else if (i == 2)
			STPX(1, 9);
		else
			STAP(1, 9);
		EXIT();
		env_setup(&e, NULL);
		pgm_to_halt(&e);
		poke_be(&e, DATA, 4, SMALL_MEM);
		run_done(&e);
		ck_assert_uint_eq(lc_code(&e), i == 0 ? 5u : 6u);
		ck_assert_uint_eq(s390ap_cpu_prefix(e.cpu), 0);
		env_close(&e);
	}
}
END_TEST

START_TEST(t_diag)
{
	struct env e;

	/* 0x44: halt, exit value 0; code = (base + displacement) & 0xFFFF */
	prog_begin();
	LLILF(2, 0x99);
	LLILF(5, 0x30000);
	DIAG(0, 0, 0x44, 5);
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 0);
	env_close(&e);

	prog_begin();
	LLILF(2, 0x99);
	LLILF(5, 0x1FF);
	DIAG(0, 0, 0x301, 5);      /* 0x1FF + 0x301 = 0x500 */
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 0x99);
	env_close(&e);

	/* anything else: specification */
	prog_begin();
	DIAG(0, 0, 0x9C, 0);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 4);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Program interruptions                                               */
/* ------------------------------------------------------------------ */
static int sie_refuse(void *ctx, s390ap_cpu *cpu, uint64_t scb)
{
	(void)ctx;
	(void)cpu;
	(void)scb;
	return 0;
}

static void p_lpswe(void) { LPSWE(0x200, 0); }
static void p_lctlg(void) { LCTLG(0, 0, 0x200, 0); }
static void p_stctg(void) { STCTG(0, 0, 0x200, 0); }
static void p_ssm(void) { SSM(0x200, 0); }
static void p_stosm(void) { STOSM(0x200, 0, 0); }
static void p_stnsm(void) { STNSM(0x200, 0, 0xFF); }
static void p_spx(void) { SPX(0x200, 0); }
static void p_stpx(void) { STPX(0x200, 0); }
static void p_stap(void) { STAP(0x200, 0); }
static void p_stfl(void) { STFL(0x200, 0); }
static void p_diag(void) { EXIT(); }
static void p_pqap(void) { PQAP(); }
static void p_nqap(void) { NQAP(4, 6); }
static void p_dqap(void) { DQAP(4, 6); }
static void p_sie(void) { SIE(0x200, 0); }

static const struct {
	const char *name;
	void (*emit)(void);
	unsigned ilen;
} privileged[] = {
	{ "LPSWE", p_lpswe, 4 }, { "LCTLG", p_lctlg, 6 }, { "STCTG", p_stctg, 6 },
	{ "SSM", p_ssm, 4 },     { "STOSM", p_stosm, 4 }, { "STNSM", p_stnsm, 4 },
	{ "SPX", p_spx, 4 },     { "STPX", p_stpx, 4 },   { "STAP", p_stap, 4 },
	{ "STFL", p_stfl, 4 },   { "DIAG", p_diag, 4 },   { "PQAP", p_pqap, 4 },
	{ "NQAP", p_nqap, 4 },   { "DQAP", p_dqap, 4 },   { "SIE", p_sie, 4 },
};

/* Every privileged instruction in problem state: privileged operation,
 * suppressed, old PSW after it with the problem-state bit. */
START_TEST(t_privileged)
{
	for (size_t i = 0; i < sizeof(privileged) / sizeof(privileged[0]); i++) {
		struct env e;
		s390ap_sys_opts o = { .mem_size = SMALL_MEM, .sie = sie_refuse };
		s390ap_psw psw = { PSW64 | S390AP_PSW_PROB, CODE };
		s390ap_cpu_stats st;

		prog_begin();
		privileged[i].emit();
		EXIT();
		env_setup(&e, &o);
		pgm_to_halt(&e);
		ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
		run_done(&e);
		ck_assert_msg(lc_code(&e) == 2, "%s: code %u", privileged[i].name, lc_code(&e));
		ck_assert_uint_eq(lc_ilc(&e), privileged[i].ilen);
		ck_assert_uint_eq(lc_old_addr(&e), CODE + privileged[i].ilen);
		ck_assert_uint_eq(lc_old_mask(&e), PSW64 | S390AP_PSW_PROB);
		ck_assert_uint_eq(s390ap_cpu_prefix(e.cpu), 0);
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		ck_assert_uint_eq(st.pgm_interruptions, 1);
		ck_assert_uint_eq(st.last_pgm_code, 2);
		env_close(&e);
	}
}
END_TEST

/* Unknown opcodes: operation exception with the ILC from the opcode; the
 * handler resumes after each. */
START_TEST(t_operation_exception)
{
	struct env e;
	s390ap_cpu_stats st;

	prog_begin();
	emit(2, 0x0000);
	emit(4, 0xB2000000);
	emit(6, 0xE31230080002ull);
	SIE(0, 0);                 /* no SIE handler: operation */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, 4);
	ck_assert_uint_eq(st.last_pgm_code, 1);
	ck_assert_uint_eq(lc_code(&e), 1);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 2 + 4 + 6 + 4);
	ck_assert_uint_eq(s390ap_machine_pgm_count(s390ap_sys_machine(e.sys), 1), 0);
	env_close(&e);
}
END_TEST

/* The architected lowcore image of a program interruption. */
START_TEST(t_program_lowcore)
{
	struct env e;
	uint8_t want[4] = { 0x00, 0x06, 0x00, 0x01 };

	prog_begin();
	LLILF(1, 0x20000000);      /* cc 2 */
	SPM(1);
	emit(6, 0xE31230080002ull);
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	poke_fill(&e, 0x8C, 0xEE, 4);
	run_done(&e);
	ck_assert_mem_eq(e.mem + 0x8C, want, 4);
	ck_assert_uint_eq(lc_old_mask(&e), PSW64 | 2ull << S390AP_PSW_CC_SHIFT);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 2 + 6);
	env_close(&e);
}
END_TEST

START_TEST(t_addressing_exception)
{
	struct env e;
	s390ap_cpu_stats st;
	uint8_t zero[16] = { 0 };

	prog_begin();
	LLILF(9, SMALL_MEM - 8);
	LGHI(1, 7);
	LG(1, 8, 0, 9);            /* outside: suppressed, r1 unchanged */
	STMG(2, 3, 0, 9);          /* half inside: nothing stored */
	MVC(0, 16, 9, 0, 0);       /* destination crosses the end */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	e.gr[2] = e.gr[3] = UINT64_MAX;
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(e.gr[1], 7);
	ck_assert_mem_eq(e.mem + SMALL_MEM - 8, zero, 8);
	ck_assert_uint_eq(st.pgm_interruptions, 3);
	ck_assert_uint_eq(st.last_pgm_code, 5);
	ck_assert_uint_eq(lc_ilc(&e), 6);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 4 + 6 + 6 + 6);
	env_close(&e);

	/* instruction fetch outside storage: ILC 2, old PSW past the halfword */
	prog_begin();
	LLILF(8, SMALL_MEM + 0x100);
	BCR(15, 8);
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), 5);
	ck_assert_uint_eq(lc_ilc(&e), 2);
	ck_assert_uint_eq(lc_old_addr(&e), SMALL_MEM + 0x102);
	env_close(&e);

	/* a handler that resumes into fetches outside storage makes progress
	 * (it completes an LPSWE each time): no checkstop, limits apply */
	prog_begin();
	LLILF(8, SMALL_MEM + 0x100);
	BCR(15, 8);
	env_setup(&e, NULL);
	pgm_to_resume(&e);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 100, 0, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_INSNS);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_RUNNING);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, 98);
	env_close(&e);
}
END_TEST

/* Alignment: LPSWE, STFLE, LCTLG, STCTG need doublewords; SIE 512 bytes. */
START_TEST(t_specification_alignment)
{
	struct env e;
	s390ap_cpu_stats st;
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .sie = sie_refuse };

	prog_begin();
	LLILF(9, DATA + 4);
	LPSWE(0, 9);
	STFLE(0, 9);
	LCTLG(0, 0, 0, 9);
	STCTG(0, 0, 0, 9);
	SIE(0x100, 9);
	EXIT();
	env_setup(&e, &o);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, 5);
	ck_assert_uint_eq(st.last_pgm_code, 6);
	ck_assert_uint_eq(s390ap_machine_pgm_count(s390ap_sys_machine(e.sys), 6), 0);
	env_close(&e);
}
END_TEST

/* A program new PSW that cannot work loops; the CPU checkstops. */
START_TEST(t_checkstop)
{
	struct env e;
	s390ap_cpu_stats st;
	s390ap_stop why;

	/* all-zero new PSW: fetch at 0 finds 0x0000, operation, again ... */
	prog_begin();
	emit(2, 0x0000);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 0, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_CHECKSTOP);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.pgm_interruptions, CPU_PGM_LOOP_LIMIT);
	env_close(&e);

	/* invalid new PSW: early specification exceptions forever */
	prog_begin();
	emit(2, 0x0000);
	env_setup(&e, NULL);
	poke_psw(&e, S390AP_LC_PGM_NEW_PSW, PSW64 | 0x8000000000000000ull, HANDLER);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 0, &why), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_CHECKSTOP);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 0);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Wait states                                                         */
/* ------------------------------------------------------------------ */
START_TEST(t_disabled_wait)
{
	struct env e;

	prog_begin();
	LLILF(9, DATA);
	LPSWE(0, 9);
	env_setup(&e, NULL);
	poke_psw(&e, DATA, PSW64 | S390AP_PSW_WAIT, 0xDEADBEEF12345678ull);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_STOPPED);
	ck_assert_uint_eq(exit_value(&e), 0x12345678);
	env_close(&e);
}
END_TEST

START_TEST(t_enabled_wait_idle)
{
	struct env e;
	uint64_t before;

	/* RAPQ starts a reset (an event), then an enabled wait with no ISC
	 * enabled: the clock skips to the event, then the system is idle. */
	prog_begin();
	LLILF(0, 0x01000306);
	PQAP();
	LLILF(9, DATA);
	LPSWE(0, 9);
	env_setup(&e, NULL);
	poke_psw(&e, DATA, PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0);
	before = s390ap_sys_cycles(e.sys);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_WAIT);
	ck_assert_uint_ge(s390ap_sys_cycles(e.sys) - before, S390AP_DEFAULT_RESET_CYCLES);
	ck_assert_uint_eq(s390ap_machine_next_event(s390ap_sys_machine(e.sys)), S390AP_NO_EVENT);
	/* again: nothing changes */
	before = s390ap_sys_cycles(e.sys);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);
	ck_assert_uint_eq(s390ap_sys_cycles(e.sys), before);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* AP instructions and adapter interruptions                           */
/* ------------------------------------------------------------------ */
#define NIB (DATA + 0x800)
#define MSG (DATA + 0x1000)
#define REPLY (DATA + 0x4000)
#define MSG_LEN 0x118u

/* Program text: AQIC enabling ISC 3 on 03.0006 with the NIB at nib. */
static void emit_aqic_on(uint32_t nib)
{
	LLILF(0, 0x03000306);      /* AQIC, ISC 3 */
	LLIHF(1, 0x00008000);
	OILL(1, 3);
	LLILF(2, nib);
	PQAP();
}

/* Program text: NQAP of the MSG_LEN-byte request at MSG (put_request) to
 * 03.0006. */
static void emit_nqap(void)
{
	LLILF(0, 0x40000306);      /* NQAP */
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	NQAP(4, 6);
}

/* emit_aqic_on with the NIB at NIB, then emit_nqap. */
static void emit_aqic_nqap(void)
{
	emit_aqic_on(NIB);
	emit_nqap();
}

/* Program text: DQAP of 03.0006's reply (from its first byte) into the
 * 4 KiB at REPLY. */
static void emit_dqap(void)
{
	LLILF(0, 0x80000306);      /* DQAP */
	LGHI(2, 0);
	LGHI(4, 0);
	LGHI(5, 0);
	LLILF(6, REPLY);
	LLILF(7, 4096);
	DQAP(4, 6);
}

static void put_request(struct env *e)
{
	uint8_t req[MSG_LEN] = { 0 };

	req[1] = 0x50;
	req[2] = MSG_LEN >> 8;
	req[3] = MSG_LEN & 0xFF;
	poke(e, MSG, req, sizeof(req));
}

/* AQIC (ISC 3) + NQAP, then an enabled wait; the reply makes ISC 3
 * pending; the I/O interruption wakes the CPU; the handler dequeues. */
START_TEST(t_io_interruption)
{
	struct env e;
	s390ap_cpu_stats st;
	uint64_t handler, wait_addr = CODE + 0x1000;
	s390ap_machine *m;

	prog_begin();
	LLILF(9, DATA);
	LCTLG(6, 6, 0, 9);
	LLILF(0, 0x03000306);      /* AQIC on 03.0006 */
	LLIHF(1, 0x00008000);      /* IR */
	OILL(1, 3);                /* ISC 3 */
	LLILF(2, NIB);
	PQAP();
	IPM(10);
	LLILF(0, 0x40000306);      /* NQAP, last part */
	LLILF(4, 0x12345678);
	LLILF(5, 1);
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	NQAP(4, 6);
	IPM(11);
	LPSWE(0x10, 9);            /* enabled wait */
	handler = here();
	L(8, 0xC0, 0, 0);
	emit_dqap();
	IPM(12);
	HALT();
	env_setup(&e, NULL);
	m = s390ap_sys_machine(e.sys);
	poke_be(&e, DATA, 8, 0x80000000u >> 3);
	poke_psw(&e, DATA + 0x10, PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, wait_addr);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	run_done(&e);

	ck_assert_uint_eq(CC(10), 0);
	ck_assert_uint_eq(CC(11), 0);
	ck_assert_uint_eq(CC(12), 0);
	ck_assert_uint_eq(e.gr[8] & 0xFFFFFFFF, 0x98000000u);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_SUBCHANNEL_ID, 4), 0);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_INT_PARM, 4), 0);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_INT_WORD, 4), 0x98000000u);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_OLD_PSW, 8), PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO);
	ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_OLD_PSW + 8, 8), wait_addr);
	ck_assert_uint_eq(e.mem[NIB], 1);
	ck_assert_uint_eq(e.mem[REPLY + 1], 0x82);
	ck_assert_uint_eq(e.gr[5] & 0xFFFFFFFF, 1); /* PSMID low word */
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.io_interruptions, 1);
	ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERPRETED], 3);
	ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERCEPTED], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 3), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_PQAP), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_NQAP), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_DQAP), 1);
	/* the reply (CEX8 accelerator latency 2000) arrived on time */
	ck_assert_uint_ge(s390ap_sys_cycles(e.sys), 2000);
	env_close(&e);
}
END_TEST

/* AQIC's NIB is an absolute address, checked and set in the same place:
 * on a vCPU with prefix P, a NIB in real 0-8K or in the prefix area is set
 * at that absolute address, not where prefixing would move a real one. */
#define NA_PREFIX 0x40000u
START_TEST(t_aqic_nib_absolute_under_prefix)
{
	static const uint32_t nibs[] = { 0x1100, NA_PREFIX + 0x1100 };

	for (unsigned i = 0; i < 2; i++) {
		const uint32_t nib = nibs[i];
		const uint32_t other = nib < 0x2000 ? nib + NA_PREFIX : nib - NA_PREFIX;
		struct env e;
		uint64_t poll;

		prog_begin();
		emit_aqic_on(nib);
		IPM(10);
		emit_nqap();
		poll = here();
		emit_dqap();
		BRC(7, poll);
		HALT();
		env_setup(&e, NULL);
		ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, NA_PREFIX), 0);
		put_request(&e);
		run_done(&e);
		ck_assert_uint_eq(CC(10), 0);
		ck_assert_uint_eq(e.mem[REPLY + 1], 0x82);
		ck_assert_uint_eq(e.mem[nib], 1);
		ck_assert_uint_eq(e.mem[other], 0);
		ck_assert_uint_eq(s390ap_machine_irq_count(s390ap_sys_machine(e.sys), 3), 1);
		env_close(&e);
	}
}
END_TEST

/* A running (not waiting) CPU takes the interruption as soon as the reply
 * event fires; with the ISC masked in CR6 it stays pending. */
START_TEST(t_io_interruption_running)
{
	for (unsigned masked = 0; masked < 2; masked++) {
		struct env e;
		uint64_t loop, handler;
		s390ap_stop why;
		s390ap_cpu_stats st;

		prog_begin();
		LLILF(9, DATA);
		LCTLG(6, 6, 0, 9);
		LLILF(0, 0x03000306);
		LLIHF(1, 0x00008000);
		OILL(1, 5);
		LLILF(2, NIB);
		PQAP();
		LLILF(0, 0x40000306);
		LLILF(6, MSG);
		LLILF(7, MSG_LEN);
		NQAP(4, 6);
		STOSM(0x20, 9, 0x02);      /* enable I/O */
		loop = here();
		AGHI(3, 1);
		BRC(15, loop);
		handler = here();
		HALT();
		env_setup(&e, NULL);
		poke_be(&e, DATA, 8, masked ? 0 : 0x80000000u >> 5);
		poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
		put_request(&e);
		ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 200000, &why), 0);
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		if (masked) {
			ck_assert_int_eq(why, S390AP_STOP_CYCLE);
			ck_assert_uint_eq(st.io_interruptions, 0);
			ck_assert_uint_eq(s390ap_machine_irq_pending(s390ap_sys_machine(e.sys)), 0x04);
		} else {
			ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
			ck_assert_uint_eq(st.io_interruptions, 1);
			ck_assert_uint_gt(e.gr[3], 100);
			ck_assert_uint_eq(be_get(e.mem + S390AP_LC_IO_INT_WORD, 4), 0x80000000u | 5u << 27);
			/* delivered within one loop iteration of the event */
			ck_assert_uint_lt(s390ap_sys_cycles(e.sys), 2000 + 2 * 300 + 200 + 100 + 100);
		}
		env_close(&e);
	}
}
END_TEST

START_TEST(t_ap_results)
{
	struct env e;
	s390ap_machine *m;

	prog_begin();
	LLILF(0, 0x0306);          /* TAPQ 03.0006: cc 0 */
	PQAP();
	IPM(10);
	LGR(11, 1);
	LLILF(0, 0x0106);          /* TAPQ 01.0006: not available, cc 3 */
	PQAP();
	IPM(12);
	LGR(13, 1);
	LLILF(0, 0x40000306);
	NQAP(3, 6);                /* odd R1: specification from the AP layer */
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	m = s390ap_sys_machine(e.sys);
	run_done(&e);
	ck_assert_uint_eq(CC(10), 0);
	ck_assert_uint_eq(S390AP_SW_RC(e.gr[11]), 0);
	ck_assert_uint_eq(CC(12), 3);
	ck_assert_uint_eq(S390AP_SW_RC(e.gr[13]), 1);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 4);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 3 * (6 + 4) + 2 * (4 + 4));
	ck_assert_uint_eq(s390ap_machine_rc_count(m, 1), 1);
	ck_assert_uint_eq(s390ap_machine_pgm_count(m, 6), 1);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* SIE hook                                                            */
/* ------------------------------------------------------------------ */
struct sie_probe {
	unsigned calls;
	uint64_t scb;
	int ret;
	bool stop;
};

static int sie_hook(void *ctx, s390ap_cpu *cpu, uint64_t scb)
{
	struct sie_probe *p = ctx;
	s390ap_psw psw;

	p->calls++;
	p->scb = scb;
	s390ap_cpu_psw(cpu, &psw);
	s390ap_cpu_gr(cpu)[5] = psw.addr; /* SIE + 4 */
	if (p->stop) {
		psw.mask = PSW64 | S390AP_PSW_WAIT;
		psw.addr = 0x5150;
		s390ap_cpu_set_psw(cpu, &psw);
	}
	return p->ret;
}

START_TEST(t_sie)
{
	for (unsigned k = 0; k < 4; k++) {
		struct sie_probe probe = { 0 };
		s390ap_sys_opts o = { .mem_size = SMALL_MEM, .sie = sie_hook, .sie_ctx = &probe };
		struct env e;
		s390ap_cpu_stats st;
		int rc;

		if (k == 1)
			probe.ret = 0x0006;
		if (k == 2)
			probe.ret = S390AP_EBUSY;
		if (k == 3)
			probe.stop = true;
		prog_begin();
		LLILF(9, DATA);
		SIE(0x200, 9);
		EXIT();
		env_setup(&e, &o);
		pgm_to_halt(&e);
		e.gr[2] = 0x77;
		rc = s390ap_sys_run(e.sys, 1000, 0, &e.why);
		ck_assert_uint_eq(probe.calls, 1);
		ck_assert_uint_eq(probe.scb, DATA + 0x200);
		ck_assert_uint_eq(e.gr[5], CODE + 6 + 4);
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		switch (k) {
		case 0:
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(exit_value(&e), 0x77);
			ck_assert_uint_eq(st.pgm_interruptions, 0);
			ck_assert_uint_eq(st.cycles, 1 + 1000 + 800 + 100);
			break;
		case 1:
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(lc_code(&e), 6);
			ck_assert_uint_eq(lc_old_addr(&e), CODE + 6 + 4);
			break;
		case 2:
			ck_assert_int_eq(rc, S390AP_EBUSY);
			ck_assert_str_ne(s390ap_sys_errmsg(e.sys), "");
			break;
		case 3:
			ck_assert_int_eq(rc, 0);
			ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_STOPPED);
			ck_assert_uint_eq(exit_value(&e), 0x5150);
			break;
		}
		env_close(&e);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Scheduler: round robin, determinism, limits                         */
/* ------------------------------------------------------------------ */
struct trace_log {
	size_t n, cap;
	unsigned *cpu;
	uint64_t *cycle;
	uint64_t hash;
	uint64_t first_addr;
	uint8_t first_bytes[6];
	unsigned first_len;
};

static void trace_rec(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
		      const uint8_t *insn, unsigned ilen)
{
	struct trace_log *t = ctx;

	if (t->n == 0) {
		t->first_addr = psw->addr;
		memcpy(t->first_bytes, insn, ilen);
		t->first_len = ilen;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->cpu = realloc(t->cpu, t->cap * sizeof(*t->cpu));
		t->cycle = realloc(t->cycle, t->cap * sizeof(*t->cycle));
		ck_assert_ptr_nonnull(t->cpu);
		ck_assert_ptr_nonnull(t->cycle);
	}
	t->cpu[t->n] = s390ap_cpu_index(cpu);
	t->cycle[t->n] = cycle;
	t->n++;
	t->hash = (t->hash ^ (cycle * 31 + s390ap_cpu_index(cpu)) ^ psw->addr) * 0x100000001B3ull;
}

static void trace_free(struct trace_log *t)
{
	free(t->cpu);
	free(t->cycle);
}

/* Each CPU counts to (index + 1) * 128 and exits with the count. */
static void mp_program(void)
{
	uint64_t loop;

	prog_begin();
	STAP(0x300, 0);
	LLGH(3, 0x300, 0, 0);
	AGHI(3, 1);
	SLLG(4, 3, 7, 0);
	LGHI(5, 0);
	loop = here();
	AGHI(5, 1);
	BRCTG(4, loop);
	SLLG(6, 3, 3, 0);
	LLILF(7, DATA);
	STG(5, 0, 6, 7);
	LGR(2, 5);
	EXIT();
}

#define MP_CPUS 4u

struct mp_result {
	uint64_t cycles;
	uint64_t exit[MP_CPUS];
	s390ap_cpu_stats st[MP_CPUS];
	uint64_t hash;
	unsigned calls;
};

/* chop: 0 = one run; 1 = max_insns 7 per call; 2 = max_cycle +37 per call */
static void mp_run(unsigned chop, struct mp_result *r, struct trace_log *log)
{
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .ncpus = MP_CPUS, .quantum = 50 };
	struct env e;
	s390ap_stop why;

	memset(r, 0, sizeof(*r));
	if (log) {
		o.trace = trace_rec;
		o.trace_ctx = log;
	}
	mp_program();
	env_setup(&e, &o);
	ck_assert_uint_eq(s390ap_sys_ncpus(e.sys), MP_CPUS);
	for (unsigned i = 1; i < MP_CPUS; i++)
		ck_assert_int_eq(s390ap_cpu_set_prefix(s390ap_sys_cpu(e.sys, i), 0x40000 + i * 0x2000), 0);
	do {
		uint64_t insns = chop == 1 ? 7 : 0;
		uint64_t cyc = chop == 2 ? s390ap_sys_cycles(e.sys) + 37 : 0;

		ck_assert_int_eq(s390ap_sys_run(e.sys, insns, cyc, &why), 0);
		r->calls++;
	} while (why != S390AP_STOP_ALL_DONE);
	r->cycles = s390ap_sys_cycles(e.sys);
	for (unsigned i = 0; i < MP_CPUS; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);

		ck_assert_int_eq(s390ap_cpu_state_get(c), S390AP_CPU_HALTED);
		r->exit[i] = s390ap_cpu_exit_value(c);
		ck_assert_int_eq(s390ap_cpu_stats_get(c, &r->st[i]), 0);
		ck_assert_uint_eq(be_get(e.mem + DATA + 8 * (i + 1), 8), (i + 1) * 128);
	}
	ck_assert_ptr_null(s390ap_sys_cpu(e.sys, MP_CPUS));
	if (log)
		r->hash = log->hash;
	env_close(&e);
}

START_TEST(t_multi_cpu_round_robin)
{
	struct trace_log log = { 0 };
	struct mp_result r;
	size_t i = 0;
	unsigned turn = 0;

	mp_run(0, &r, &log);
	for (unsigned c = 0; c < MP_CPUS; c++)
		ck_assert_uint_eq(r.exit[c], (c + 1) * 128);
	/* one clock: the trace's cycles never go back */
	for (size_t k = 1; k < log.n; k++)
		ck_assert_uint_ge(log.cycle[k], log.cycle[k - 1]);
	/* the first eight turns go 0 1 2 3 0 1 2 3, each about a quantum long */
	while (turn < 8 && i < log.n) {
		size_t start = i;

		ck_assert_uint_eq(log.cpu[i], turn % MP_CPUS);
		while (i < log.n && log.cpu[i] == log.cpu[start])
			i++;
		ck_assert_uint_ge(log.cycle[i] - log.cycle[start], 50);
		ck_assert_uint_le(log.cycle[i] - log.cycle[start], 50 + 20);
		turn++;
	}
	ck_assert_uint_eq(turn, 8);
	trace_free(&log);
}
END_TEST

START_TEST(t_multi_cpu_determinism)
{
	struct trace_log l0 = { 0 }, l1 = { 0 }, l2 = { 0 }, l3 = { 0 };
	struct mp_result a, b, c, d;

	mp_run(0, &a, &l0);
	mp_run(0, &b, &l1);
	mp_run(1, &c, &l2);
	mp_run(2, &d, &l3);
	ck_assert_uint_gt(c.calls, 10);
	ck_assert_uint_gt(d.calls, 10);
	ck_assert_mem_eq(&a, &b, offsetof(struct mp_result, calls));
	ck_assert_mem_eq(&a, &c, offsetof(struct mp_result, calls));
	ck_assert_mem_eq(&a, &d, offsetof(struct mp_result, calls));
	/* Without a trace hook the hot loop runs AGHI and BRCTG inline; with
	 * one every instruction goes through its handler.  Same results. */
	for (unsigned chop = 0; chop < 3; chop++) {
		struct mp_result u;

		mp_run(chop, &u, NULL);
		ck_assert_mem_eq(&a, &u, offsetof(struct mp_result, hash));
	}
	trace_free(&l0);
	trace_free(&l1);
	trace_free(&l2);
	trace_free(&l3);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Scheduler: many vCPUs in mixed states                               */
/* ------------------------------------------------------------------ */
#define MIX_CPUS 64u
#define ISC3_CR6 (0x80000000u >> 3)
#define ISC5_CR6 (0x80000000u >> 5)

struct mix_result {
	uint64_t cycles;
	s390ap_cpu_state state[MIX_CPUS];
	uint64_t exit[MIX_CPUS];
	s390ap_cpu_stats st[MIX_CPUS];
	uint64_t gr3;
	uint64_t irq3;
	unsigned calls;
};

/* vCPU 0 enables ISC 3 interruptions for 03.0006, sends a request and
 * counts to 3000 with I/O disabled, then halts.  vCPUs 1-20 halt at once,
 * 21-40 are in a disabled wait, 41-63 in an enabled wait: 45 and 59
 * enable ISC 3, 50 enables ISC 5, the others none.  The reply's
 * interruption goes to the first waiter in index order that takes ISC 3;
 * its handler exits with 0x77. */
static void mix_run(unsigned chop, struct mix_result *r)
{
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .ncpus = MIX_CPUS, .quantum = 200 };
	uint64_t loop, halt_at, handler;
	struct env e;
	s390ap_stop why;

	memset(r, 0, sizeof(*r));
	prog_begin();
	emit_aqic_nqap();
	LGHI(3, 0);
	LLILF(8, 3000);
	loop = here();
	AGHI(3, 1);
	BRCT(8, loop);
	HALT();
	halt_at = here();
	HALT();
	handler = here();
	LGHI(2, 0x77);
	EXIT();
	env_setup(&e, &o);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	for (unsigned i = 1; i < MIX_CPUS; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_psw psw = { PSW64, halt_at };

		if (i > 20 && i <= 40)
			psw = (s390ap_psw){ PSW64 | S390AP_PSW_WAIT, 0x2100 + 2 * i };
		else if (i > 40)
			psw = (s390ap_psw){ PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0x3000 };
		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
		if (i == 45 || i == 59)
			ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, ISC3_CR6), 0);
		if (i == 50)
			ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, ISC5_CR6), 0);
	}
	do {
		uint64_t insns = chop == 1 ? 7 : 0;
		uint64_t cyc = chop == 2 ? s390ap_sys_cycles(e.sys) + 37 : 0;

		ck_assert_int_eq(s390ap_sys_run(e.sys, insns, cyc, &why), 0);
		r->calls++;
	} while (why == S390AP_STOP_INSNS || why == S390AP_STOP_CYCLE);
	ck_assert_int_eq(why, S390AP_STOP_IDLE);
	r->cycles = s390ap_sys_cycles(e.sys);
	for (unsigned i = 0; i < MIX_CPUS; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);

		r->state[i] = s390ap_cpu_state_get(c);
		r->exit[i] = s390ap_cpu_exit_value(c);
		ck_assert_int_eq(s390ap_cpu_stats_get(c, &r->st[i]), 0);
	}
	r->gr3 = e.gr[3];
	r->irq3 = s390ap_machine_irq_count(s390ap_sys_machine(e.sys), 3);
	env_close(&e);
}

START_TEST(t_sched_mixed_states)
{
	struct mix_result a, b, c;

	mix_run(0, &a);
	ck_assert_int_eq(a.state[0], S390AP_CPU_HALTED);
	ck_assert_uint_eq(a.gr3, 3000);
	for (unsigned i = 1; i <= 20; i++) {
		ck_assert_int_eq(a.state[i], S390AP_CPU_HALTED);
		ck_assert_uint_eq(a.exit[i], 0);
		ck_assert_uint_eq(a.st[i].instructions, 1);
	}
	for (unsigned i = 21; i <= 40; i++) {
		ck_assert_int_eq(a.state[i], S390AP_CPU_STOPPED);
		ck_assert_uint_eq(a.exit[i], 0x2100 + 2 * i);
		ck_assert_uint_eq(a.st[i].instructions, 0);
		ck_assert_uint_eq(a.st[i].cycles, 0);
	}
	for (unsigned i = 41; i < MIX_CPUS; i++) {
		if (i == 45) {
			/* the first waiter in index order that takes ISC 3 */
			ck_assert_int_eq(a.state[i], S390AP_CPU_HALTED);
			ck_assert_uint_eq(a.exit[i], 0x77);
			ck_assert_uint_eq(a.st[i].io_interruptions, 1);
			ck_assert_uint_eq(a.st[i].instructions, 2);
			continue;
		}
		ck_assert_int_eq(a.state[i], S390AP_CPU_WAIT);
		ck_assert_uint_eq(a.st[i].io_interruptions, 0);
		ck_assert_uint_eq(a.st[i].instructions, 0);
		ck_assert_uint_eq(a.st[i].cycles, 0);
	}
	ck_assert_uint_eq(a.st[0].io_interruptions, 0);
	ck_assert_uint_eq(a.irq3, 1);
	/* the reply arrived while vCPU 0 was counting */
	ck_assert_uint_gt(a.cycles, 3 * 3000);
	/* the same run cut every 7 instructions and every 37 cycles */
	mix_run(1, &b);
	mix_run(2, &c);
	ck_assert_uint_gt(b.calls, 100);
	ck_assert_uint_gt(c.calls, 100);
	ck_assert_mem_eq(&a, &b, offsetof(struct mix_result, calls));
	ck_assert_mem_eq(&a, &c, offsetof(struct mix_result, calls));
}
END_TEST

/* Waiters that cannot take a pending interruption sit still until an API
 * call changes that; stopped vCPUs until their PSW is set. */
START_TEST(t_sched_woken_by_api)
{
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .ncpus = 4 };
	uint64_t handler, other;
	s390ap_cpu_stats st;
	s390ap_cpu *c1, *c2, *c3;
	s390ap_machine *m;
	struct env e;

	prog_begin();
	emit_aqic_nqap();
	HALT();
	handler = here();
	LGHI(2, 0x77);
	EXIT();
	other = here();
	LGHI(2, 0x55);
	EXIT();
	env_setup(&e, &o);
	m = s390ap_sys_machine(e.sys);
	c1 = s390ap_sys_cpu(e.sys, 1);
	c2 = s390ap_sys_cpu(e.sys, 2);
	c3 = s390ap_sys_cpu(e.sys, 3);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	ck_assert_int_eq(s390ap_cpu_set_psw(c1, &(s390ap_psw){ PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0x3000 }), 0);
	ck_assert_int_eq(s390ap_cpu_set_psw(c2, &(s390ap_psw){ PSW64 | S390AP_PSW_WAIT, 0x4000 }), 0);
	ck_assert_int_eq(s390ap_cpu_set_psw(c3, &(s390ap_psw){ PSW64 | S390AP_PSW_WAIT, 0x5000 }), 0);

	/* vCPU 0 halts; the reply makes ISC 3 pending; nobody takes it */
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_int_eq(s390ap_cpu_state_get(c1), S390AP_CPU_WAIT);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x10);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_IDLE);

	/* CR6 now enables ISC 3: vCPU 1 takes it before anything runs */
	ck_assert_int_eq(s390ap_cpu_set_cr(c1, 6, ISC3_CR6), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(c1), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(c1), 0x77);
	ck_assert_int_eq(s390ap_cpu_stats_get(c1, &st), 0);
	ck_assert_uint_eq(st.io_interruptions, 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(c2), S390AP_CPU_STOPPED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(c2), 0x4000);

	/* a PSW set through the API starts a stopped vCPU */
	ck_assert_int_eq(s390ap_cpu_set_psw(c2, &(s390ap_psw){ PSW64, other }), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(c2), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(c2), 0x55);
	ck_assert_int_eq(s390ap_cpu_state_get(c3), S390AP_CPU_STOPPED);

	/* and s390ap_sys_start every vCPU */
	ck_assert_int_eq(s390ap_sys_start(e.sys, other), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(e.sys, i)), S390AP_CPU_HALTED);
		ck_assert_uint_eq(s390ap_cpu_exit_value(s390ap_sys_cpu(e.sys, i)), 0x55);
	}
	env_close(&e);
}
END_TEST

/* Two waiters take two interruptions in index order, each at its turn
 * among running vCPUs. */
START_TEST(t_sched_waiters_in_index_order)
{
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .ncpus = 6, .quantum = 100 };
	uint64_t handler, loop, spin;
	struct env e;

	prog_begin();
	LLILF(0, 0x03000306);      /* AQIC, ISC 3 */
	LLIHF(1, 0x00008000);
	OILL(1, 3);
	LLILF(2, NIB);
	PQAP();
	LLILF(0, 0x40000306);      /* NQAP, then a second request */
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	NQAP(4, 6);
	LLILF(8, 2000);            /* the first reply arrives meanwhile */
	loop = here();
	BRCT(8, loop);
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	AGHI(5, 1);
	NQAP(4, 6);
	LLILF(8, 4000);
	loop = here();
	BRCT(8, loop);
	HALT();
	handler = here();
	LLILF(9, NIB);
	MVI(0, 9, 0);              /* re-arm the NIB for the next reply */
	LGHI(2, 0x77);
	EXIT();
	spin = here();
	LLILF(8, 4000);
	loop = here();
	BRCT(8, loop);
	HALT();
	env_setup(&e, &o);
	poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, handler);
	put_request(&e);
	for (unsigned i = 1; i < 6; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_psw psw = { PSW64, spin };

		if (i == 2 || i == 4)
			psw = (s390ap_psw){ PSW64 | S390AP_PSW_WAIT | S390AP_PSW_IO, 0x3000 };
		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
		ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, ISC3_CR6), 0);
	}
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	for (unsigned i = 0; i < 6; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_cpu_stats st;

		ck_assert_int_eq(s390ap_cpu_state_get(c), S390AP_CPU_HALTED);
		ck_assert_int_eq(s390ap_cpu_stats_get(c, &st), 0);
		ck_assert_uint_eq(st.io_interruptions, i == 2 || i == 4);
		ck_assert_uint_eq(s390ap_cpu_exit_value(c), i == 2 || i == 4 ? 0x77 : 0);
	}
	ck_assert_uint_eq(s390ap_machine_irq_count(s390ap_sys_machine(e.sys), 3), 2);
	env_close(&e);
}
END_TEST

/* One running vCPU among many that wait or are stopped runs exactly as it
 * would alone (its slices go on past the quantum), and the same with a
 * trace hook (which makes every quantum and event end a slice). */
struct solo_result {
	uint64_t cycles;
	s390ap_cpu_stats st;
	uint64_t gr[16];
	uint8_t reply[64];
};

static void solo_run(unsigned ncpus, bool traced, struct solo_result *r)
{
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .ncpus = ncpus, .quantum = 50 };
	struct trace_log log = { 0 };
	uint64_t poll, loop;
	struct env e;

	memset(r, 0, sizeof(*r));
	if (traced) {
		o.trace = trace_rec;
		o.trace_ctx = &log;
	}
	prog_begin();
	LLILF(9, 20);
	loop = here();
	emit_aqic_on(NIB);         /* AQIC on, AQIC off */
	LGHI(1, 0);
	PQAP();
	emit_nqap();               /* NQAP, then DQAP until the reply is there */
	poll = here();
	emit_dqap();
	BRC(7, poll);
	AGHI(10, 1);
	BRCT(9, loop);
	HALT();
	env_setup(&e, &o);
	put_request(&e);
	for (unsigned i = 1; i < ncpus; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(e.sys, i);
		s390ap_psw psw = { PSW64 | S390AP_PSW_WAIT | (i & 1 ? S390AP_PSW_IO : 0), 0x3000 };

		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
	}
	ck_assert_int_eq(s390ap_sys_run(e.sys, 1000000, 0, &e.why), 0);
	/* the waiters are still there at the end */
	ck_assert_int_eq(e.why, ncpus > 1 ? S390AP_STOP_IDLE : S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	r->cycles = s390ap_sys_cycles(e.sys);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &r->st), 0);
	memcpy(r->gr, e.gr, sizeof(r->gr));
	memcpy(r->reply, e.mem + REPLY, sizeof(r->reply));
	ck_assert_uint_eq(e.gr[10], 20);
	env_close(&e);
	trace_free(&log);
}

START_TEST(t_sched_solo_past_quantum)
{
	struct solo_result a, b, c, d;

	solo_run(1, false, &a);
	solo_run(64, false, &b);
	solo_run(1, true, &c);
	solo_run(64, true, &d);
	ck_assert_uint_gt(a.cycles, 20 * 2000);
	ck_assert_uint_gt(a.st.ap_path[S390AP_PATH_INTERPRETED], 20 * 4);
	ck_assert_mem_eq(&a, &b, sizeof(a));
	ck_assert_mem_eq(&a, &c, sizeof(a));
	ck_assert_mem_eq(&a, &d, sizeof(a));
}
END_TEST

START_TEST(t_limits)
{
	struct env e;
	uint64_t loop;
	s390ap_cpu_stats st;

	prog_begin();
	loop = here();
	AGHI(1, 1);
	BRC(15, loop);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 100, 0, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_INSNS);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.instructions, 100);
	ck_assert_uint_eq(e.gr[1], 50);
	ck_assert_uint_eq(s390ap_sys_cycles(e.sys), 50 * 3);

	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 5000, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_CYCLE);
	ck_assert_uint_ge(s390ap_sys_cycles(e.sys), 5000);
	ck_assert_uint_lt(s390ap_sys_cycles(e.sys), 5003);
	/* already there: returns at once */
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 10, &e.why), 0);
	ck_assert_int_eq(e.why, S390AP_STOP_CYCLE);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 5, 0, NULL), 0); /* why may be NULL */
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Cost accounting                                                     */
/* ------------------------------------------------------------------ */
START_TEST(t_cost_default)
{
	s390ap_cost_model k = s390ap_cost_default();

	ck_assert_uint_eq(k.simple, 1);
	ck_assert_uint_eq(k.branch, 1);
	ck_assert_uint_eq(k.load_store, 2);
	ck_assert_uint_eq(k.multiple, 4);
	ck_assert_uint_eq(k.per_256_bytes, 4);
	ck_assert_uint_eq(k.control, 20);
	ck_assert_uint_eq(k.diag, 100);
	ck_assert_uint_eq(k.interruption, 100);
	ck_assert_uint_eq(k.ap_interpreted, 300);
	ck_assert_uint_eq(k.ap_intercept, 3000);
	ck_assert_uint_eq(k.sie_entry, 1000);
	ck_assert_uint_eq(k.sie_exit, 800);
	ck_assert_uint_eq(k.vsie_entry, 5000);
	ck_assert_uint_eq(k.vsie_exit, 4000);
}
END_TEST

/* Every field is range-checked: a cost over S390AP_COST_MAX is refused,
 * so multiple + per_256_bytes cannot wrap to a 0-cycle MVC. */
START_TEST(t_cost_range)
{
	s390ap_cost_model k = s390ap_cost_default();
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .cost = &k };
	uint32_t *field[] = {
		&k.simple, &k.branch, &k.load_store, &k.multiple, &k.per_256_bytes, &k.control,
		&k.diag, &k.interruption, &k.ap_interpreted, &k.ap_intercept, &k.sie_entry,
		&k.sie_exit, &k.vsie_entry, &k.vsie_exit,
	};
	s390ap_sys *sys = NULL;

	for (size_t i = 0; i < sizeof(field) / sizeof(field[0]); i++) {
		k = s390ap_cost_default();
		*field[i] = S390AP_COST_MAX + 1;
		ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_EINVAL);
		ck_assert_ptr_null(sys);
		*field[i] = S390AP_COST_MAX;
		ck_assert_int_eq(s390ap_sys_new(&sys, &o), 0);
		s390ap_sys_free(sys);
		sys = NULL;
	}
	/* the wrap of the finding: 0xFFFFFFFF + 1 */
	k = s390ap_cost_default();
	k.multiple = UINT32_MAX;
	k.per_256_bytes = 1;
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_EINVAL);
}
END_TEST

/* Each class gets its own decimal digit, so the total spells out how often
 * each was charged. */
START_TEST(t_cost_accounting)
{
	s390ap_cost_model k = {
		.simple = 1, .branch = 10, .load_store = 100, .multiple = 1000,
		.per_256_bytes = 10000, .control = 100000, .diag = 1000000,
		.interruption = 10000000, .ap_interpreted = 100000000,
		.ap_intercept = 7, .sie_entry = 7, .sie_exit = 7, .vsie_entry = 7, .vsie_exit = 7,
	};
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .cost = &k, .quantum = 100 };
	struct env e;
	s390ap_cpu_stats st, sys_st;

	prog_begin();
	LGHI(1, 0);                /* simple */
	LLILF(9, DATA);            /* simple */
	LG(2, 0, 0, 9);            /* load_store */
	MVC(8, 16, 9, 0, 9);       /* multiple + per_256_bytes */
	BRC(15, here() + 4);       /* simple + branch */
	BRC(0, 0);                 /* simple, not taken */
	IPM(3);                    /* control */
	emit(2, 0x0000);           /* interruption; the handler's LPSWE: control */
	LLILF(0, 0x0306);          /* simple */
	PQAP();                    /* ap_interpreted */
	EXIT();                    /* diag */
	env_setup(&e, &o);
	pgm_to_resume(&e);
	run_done(&e);
	ck_assert_uint_eq(s390ap_sys_cycles(e.sys), 111211115ull);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	ck_assert_uint_eq(st.cycles, 111211115ull);
	ck_assert_uint_eq(st.instructions, 11);
	ck_assert_uint_eq(st.pgm_interruptions, 1);
	ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERPRETED], 1);
	ck_assert_int_eq(s390ap_sys_stats(e.sys, &sys_st), 0);
	ck_assert_mem_eq(&st, &sys_st, sizeof(st));
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_LLILF), 2);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_BRC), 2);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_LPSWE), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_DIAG), 1);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_XC), 0);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, 9999), 0);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Decoded-instruction cache                                           */
/* ------------------------------------------------------------------ */
/* A store into an instruction already executed (so cached) must be seen
 * the next time it runs. */
START_TEST(t_self_modifying_code)
{
	struct env e;
	uint64_t x;
	size_t fix;

	prog_begin();
	LGHI(3, 0);
	x = here();
	LGHI(2, 1);                /* the immediate byte at x + 3 gets patched */
	AGHI(3, 1);
	CHI(3, 2);
	fix = fwd_brc(8);
	LARL(1, x);
	MVI(3, 1, 5);
	BRC(15, x);
	patch_here(fix);
	EXIT();
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 5);
	env_close(&e);
}
END_TEST

/* Code patched from outside between runs (s390ap_sys_load), and by the
 * machine's storage interface. */
START_TEST(t_code_patched_between_runs)
{
	struct env e;
	uint64_t loop;
	static const uint8_t aghi_5[4] = { 0xA7, 0x3B, 0x00, 0x05 };

	prog_begin();
	loop = here();
	AGHI(3, 1);
	BRC(15, loop);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 10, 0, &e.why), 0);
	ck_assert_uint_eq(e.gr[3], 5);
	ck_assert_int_eq(s390ap_sys_load(e.sys, loop, aghi_5, 4), 0);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 10, 0, &e.why), 0);
	ck_assert_uint_eq(e.gr[3], 5 + 25);
	ck_assert_int_eq(s390ap_storage_write(s390ap_sys_storage(e.sys), loop + 3,
					      "\x07", 1), 0);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 10, 0, &e.why), 0);
	ck_assert_uint_eq(e.gr[3], 30 + 35);
	env_close(&e);
}
END_TEST

/* Another vCPU (with another prefix) patches code the first has cached. */
START_TEST(t_code_patched_by_other_cpu)
{
	s390ap_sys_opts o = { .mem_size = SMALL_MEM, .ncpus = 2, .quantum = 40 };
	struct env e;
	uint64_t loop, patch, cpu1;
	size_t fix;

	prog_begin();
	STAP(0x300, 0);
	LLGH(1, 0x300, 0, 0);
	LTGR(1, 1);
	fix = fwd_brc(6);          /* CPU 1 goes to the patcher */
	loop = here();
	AGHI(3, 1);
	patch = here();
	BRC(15, loop);             /* becomes BRC 0 */
	LGR(2, 3);
	EXIT();
	patch_here(fix);
	cpu1 = here();
	LARL(5, patch);
	LGHI(6, 100);
	loop = here();
	BRCTG(6, loop);            /* let CPU 0 spin a while */
	MVI(1, 5, 0x04);           /* A7F4 -> A704: never branch */
	HALT();
	(void)cpu1;
	env_setup(&e, &o);
	ck_assert_int_eq(s390ap_cpu_set_prefix(s390ap_sys_cpu(e.sys, 1), 0x40000), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_gt(exit_value(&e), 10);
	env_close(&e);
}
END_TEST

START_TEST(t_trace)
{
	struct trace_log log = { 0 };
	struct env e;

	prog_begin();
	LGHI(1, -2);
	LR(2, 1);
	EXIT();
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_set_trace(e.sys, trace_rec, &log), 0);
	run_done(&e);
	ck_assert_uint_eq(log.n, 3);
	ck_assert_uint_eq(log.first_addr, CODE);
	ck_assert_uint_eq(log.first_len, 4);
	ck_assert_mem_eq(log.first_bytes, refs[0].b, 4);
	ck_assert_uint_eq(log.cycle[0], 0);
	ck_assert_uint_eq(log.cycle[1], 1);
	ck_assert_uint_eq(log.cycle[2], 2);
	ck_assert_int_eq(s390ap_sys_set_trace(e.sys, NULL, NULL), 0);
	env_close(&e);
	trace_free(&log);
}
END_TEST

/* A trace hook that clears itself and frees its context mid-slice is
 * never called again (the old loop kept calling it to the slice's end). */
struct self_clearing {
	s390ap_sys *sys;
	unsigned left;
	unsigned *calls;
};

static void trace_once_then_off(void *ctx, const s390ap_cpu *cpu, uint64_t cycle,
				const s390ap_psw *psw, const uint8_t *insn, unsigned ilen)
{
	struct self_clearing *sc = ctx;

	(void)cpu, (void)cycle, (void)psw, (void)insn, (void)ilen;
	++*sc->calls;
	if (--sc->left == 0) {
		ck_assert_int_eq(s390ap_sys_set_trace(sc->sys, NULL, NULL), 0);
		free(sc);
	}
}

START_TEST(t_trace_clears_itself)
{
	struct self_clearing *sc = malloc(sizeof(*sc));
	unsigned calls = 0;
	uint64_t loop;
	struct env e;

	ck_assert_ptr_nonnull(sc);
	prog_begin();
	LGHI(6, 200);
	loop = here();
	BRCTG(6, loop);
	EXIT();
	env_setup(&e, NULL);
	*sc = (struct self_clearing){ e.sys, 3, &calls };
	ck_assert_int_eq(s390ap_sys_set_trace(e.sys, trace_once_then_off, sc), 0);
	run_done(&e);
	ck_assert_uint_eq(calls, 3);
	ck_assert_uint_eq(s390ap_sys_insn_executed(e.sys, CPU_ID_BRCTG), 200);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* ELF loader                                                          */
/* ------------------------------------------------------------------ */
#define ELF_LOAD_END 0xA0u /* the one PT_LOAD's data ends here */

START_TEST(t_elf_runs)
{
	struct env e;
	uint64_t entry = 0;

	env_open(&e, NULL);
	poke_fill(&e, 0x10020, 0xEE, 0x40); /* bss must come out zero */
	ck_assert_int_eq(s390ap_sys_load_elf(e.sys, elf_bin, sizeof(elf_bin), &entry), 0);
	ck_assert_uint_eq(entry, 0x10000);
	ck_assert_uint_eq(be_get(e.mem + 0x10020, 8), 40);
	ck_assert_uint_eq(be_get(e.mem + 0x10028, 8), 0);
	ck_assert_uint_eq(be_get(e.mem + 0x10030, 8), 0);
	ck_assert_uint_eq(e.mem[0x10038], 0xEE);
	ck_assert_int_eq(s390ap_sys_start(e.sys, entry), 0);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 40);
	env_close(&e);
}
END_TEST

START_TEST(t_elf_truncated)
{
	struct env e;
	uint64_t entry;

	env_open(&e, NULL);
	for (size_t n = 0; n <= sizeof(elf_bin); n++) {
		int rc = s390ap_sys_load_elf(e.sys, elf_bin, n, &entry);

		ck_assert_int_eq(rc, n < ELF_LOAD_END ? S390AP_EINVAL : 0);
		if (rc)
			ck_assert_str_ne(s390ap_sys_errmsg(e.sys), "");
	}
	ck_assert_int_eq(s390ap_sys_load_elf(e.sys, NULL, 100, &entry), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_load_elf(NULL, elf_bin, sizeof(elf_bin), &entry), S390AP_EINVAL);
	env_close(&e);
}
END_TEST

static void put_field(uint8_t *f, unsigned off, unsigned n, uint64_t v)
{
	be_put(f + off, n, v);
}

START_TEST(t_elf_bad_headers)
{
	static const struct {
		unsigned off, n;
		uint64_t v;
	} bad[] = {
		{ 0, 1, 0x7E },                      /* magic */
		{ 4, 1, 1 },                         /* ELFCLASS32 */
		{ 5, 1, 1 },                         /* little-endian */
		{ 6, 1, 0 },                         /* EI_VERSION */
		{ 16, 2, 3 },                        /* ET_DYN */
		{ 18, 2, 62 },                       /* x86-64 */
		{ 20, 4, 0 },                        /* e_version */
		{ 24, 8, 0x10001 },                  /* odd entry */
		{ 24, 8, SMALL_MEM },                /* entry outside storage */
		{ 32, 8, 0xFFFFFFFFFFFFFFF0ull },    /* e_phoff */
		{ 32, 8, 500 },                      /* headers past the end */
		{ 54, 2, 32 },                       /* e_phentsize */
		{ 56, 2, 0 },                        /* e_phnum 0 */
		{ 56, 2, 0xFFFF },                   /* PN_XNUM */
		{ 0x40, 4, 4 },                      /* PT_NOTE only: no PT_LOAD */
		{ 0x40 + 8, 8, 0xFFFFFFFFFFFFFFFFull }, /* p_offset */
		{ 0x40 + 8, 8, 0x1F0 },              /* data runs past the end */
		{ 0x40 + 32, 8, 0xFFFFFFFFFFFFFFF0ull }, /* p_filesz */
		{ 0x40 + 40, 8, 0x20 },              /* memsz < filesz */
		{ 0x40 + 40, 8, 0xFFFFFFFFFFFFFFFFull }, /* memsz */
		{ 0x40 + 24, 8, SMALL_MEM - 0x20 },  /* crosses the end of storage */
		{ 0x40 + 24, 8, 0xFFFFFFFFFFFFFFF8ull }, /* address wraps */
	};
	struct env e;
	uint8_t f[sizeof(elf_bin)];
	uint64_t entry;

	env_open(&e, NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(f, elf_bin, sizeof(f));
		put_field(f, bad[i].off, bad[i].n, bad[i].v);
		ck_assert_msg(s390ap_sys_load_elf(e.sys, f, sizeof(f), &entry) == S390AP_EINVAL,
			      "case %zu accepted", i);
	}
	/* nothing was written by any of them */
	ck_assert_uint_eq(be_get(e.mem + 0x10000, 8), 0);
	env_close(&e);
}
END_TEST

/* Synthetic files: two segments, paddr 0 -> vaddr, all-or-nothing. */
static size_t build_elf(uint8_t *f, const uint64_t (*seg)[4], unsigned nseg)
{
	/* seg: vaddr, paddr, filesz, memsz; data follows the headers */
	size_t off = 64 + 56u * nseg;

	memset(f, 0, 64 + 56u * nseg);
	memcpy(f, "\177ELF\2\2\1", 7);
	be_put(f + 16, 2, 2);
	be_put(f + 18, 2, 22);
	be_put(f + 20, 4, 1);
	be_put(f + 24, 8, 0x30000);
	be_put(f + 32, 8, 64);
	be_put(f + 52, 2, 64);
	be_put(f + 54, 2, 56);
	be_put(f + 56, 2, nseg);
	for (unsigned i = 0; i < nseg; i++) {
		uint8_t *p = f + 64 + 56 * i;

		be_put(p, 4, 1);
		be_put(p + 8, 8, off);
		be_put(p + 16, 8, seg[i][0]);
		be_put(p + 24, 8, seg[i][1]);
		be_put(p + 32, 8, seg[i][2]);
		be_put(p + 40, 8, seg[i][3]);
		for (uint64_t b = 0; b < seg[i][2]; b++)
			f[off + b] = (uint8_t)(0xA0 + i);
		off += seg[i][2];
	}
	return off;
}

START_TEST(t_elf_segments)
{
	struct env e;
	uint8_t f[1024];
	uint64_t entry;
	const uint64_t good[2][4] = { { 0x30000, 0, 16, 32 }, { 0, 0x40000, 8, 8 } };
	const uint64_t half_bad[2][4] = { { 0x50000, 0, 16, 16 }, { 0, SMALL_MEM, 8, 8 } };
	size_t n;

	env_open(&e, NULL);
	poke_fill(&e, 0x30000, 0xEE, 64);
	n = build_elf(f, good, 2);
	ck_assert_int_eq(s390ap_sys_load_elf(e.sys, f, n, &entry), 0);
	ck_assert_uint_eq(entry, 0x30000);
	ck_assert_uint_eq(e.mem[0x30000], 0xA0);
	ck_assert_uint_eq(e.mem[0x3000F], 0xA0);
	ck_assert_uint_eq(e.mem[0x30010], 0);
	ck_assert_uint_eq(e.mem[0x3001F], 0);
	ck_assert_uint_eq(e.mem[0x30020], 0xEE);
	ck_assert_uint_eq(e.mem[0x40000], 0xA1);

	n = build_elf(f, half_bad, 2);
	ck_assert_int_eq(s390ap_sys_load_elf(e.sys, f, n, &entry), S390AP_EINVAL);
	ck_assert_uint_eq(e.mem[0x50000], 0);
	env_close(&e);
}
END_TEST

/* Every public way to write a system's storage drops the decoded
 * instructions it replaces: run LGHI 2,imm + exit (so it is cached), rewrite
 * the immediate through one path, run again from the start: the new
 * immediate must come out.  _i selects the path. */
enum smc_path {
	SMC_SYS_LOAD,        /* s390ap_sys_load */
	SMC_SYS_LOAD_ELF,    /* s390ap_sys_load_elf */
	SMC_SYS_STORAGE_CB,  /* s390ap_sys_storage()->write, called directly */
	SMC_SYS_STORAGE,     /* s390ap_storage_write(s390ap_sys_storage()) */
	SMC_MEM_WRITE,       /* s390ap_mem_write(s390ap_sys_mem()) */
	SMC_MEM_STORAGE,     /* s390ap_mem_storage(s390ap_sys_mem()) callbacks */
	SMC_DQAP,            /* s390ap_execute(DQAP) storing a reply over code */
	SMC_NIB,             /* the machine setting a NIB byte inside code */
	SMC_PATHS
};

static int smc_echo(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	(void)ctx;
	if (req->len > rep->cap)
		return S390AP_EINVAL;
	memcpy(rep->buf, req->msg, req->len);
	rep->len = req->len;
	return 0;
}

/* One AP instruction (RRE, r1 = 4, r2 = 6) through the public entry on
 * the system's storage; it must end in cc 0. */
static void smc_ap(struct env *e, uint32_t op, uint64_t *gr)
{
	s390ap_insn_ctx ctx = { .gr = gr, .amode = 64, .storage = s390ap_sys_storage(e->sys) };
	s390ap_insn_result r;

	ck_assert_int_eq(s390ap_execute(s390ap_sys_machine(e->sys), &ctx, op << 16 | 0x46, &r), 0);
	ck_assert_uint_eq(r.pgm, 0);
	ck_assert_uint_eq(r.cc, 0);
}

START_TEST(t_code_patched_every_path)
{
	static const uint8_t imm[2] = { 0x00, 0x02 };
	const uint16_t acc = S390AP_APQN(0x03, 0x06);
	s390ap_machine *m;
	s390ap_storage st;
	s390ap_psw psw;
	struct env e;
	uint64_t gr[16] = { 0 };
	uint64_t before = 1, after = 2;
	uint8_t f[256];
	uint64_t entry;
	size_t n;

	prog_begin();
	LGHI(2, _i == SMC_NIB ? 0x100 : 1); /* bytes 2-3 of CODE: the immediate */
	EXIT();
	env_setup(&e, NULL);
	m = s390ap_sys_machine(e.sys);
	if (_i == SMC_NIB)
		before = 0x100, after = 0x101;
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), before);

	switch ((enum smc_path)_i) {
	case SMC_SYS_LOAD:
		ck_assert_int_eq(s390ap_sys_load(e.sys, CODE + 2, imm, 2), 0);
		break;
	case SMC_SYS_LOAD_ELF: {
		const uint64_t seg[1][4] = { { CODE + 2, 0, 2, 2 } };

		n = build_elf(f, seg, 1);
		memcpy(f + 64 + 56, imm, 2); /* the segment's data */
		ck_assert_uint_eq(n, 64 + 56 + 2);
		ck_assert_int_eq(s390ap_sys_load_elf(e.sys, f, n, &entry), 0);
		break;
	}
	case SMC_SYS_STORAGE_CB: {
		const s390ap_storage *sst = s390ap_sys_storage(e.sys);

		ck_assert_int_eq(sst->write(sst->ctx, CODE + 2, imm, 2), 0);
		break;
	}
	case SMC_SYS_STORAGE:
		ck_assert_int_eq(s390ap_storage_write(s390ap_sys_storage(e.sys), CODE + 2, imm, 2), 0);
		break;
	case SMC_MEM_WRITE:
		ck_assert_int_eq(s390ap_mem_write(s390ap_sys_mem(e.sys), CODE + 2, imm, 2), 0);
		break;
	case SMC_MEM_STORAGE:
		ck_assert_int_eq(s390ap_mem_storage(s390ap_sys_mem(e.sys), &st), 0);
		ck_assert_int_eq(s390ap_storage_write(&st, CODE + 2, imm, 2), 0);
		break;
	case SMC_DQAP: {
		s390ap_engine echo = { smc_echo, NULL, NULL };

		ck_assert_int_eq(s390ap_adapter_set_engine(m, 0x03, &echo), 0);
		poke(&e, DATA, imm, 2);
		gr[0] = S390AP_NQAP_L | acc;
		gr[5] = 7;           /* PSMID */
		gr[6] = DATA;
		gr[7] = 2;
		smc_ap(&e, S390AP_OP_NQAP, gr);
		ck_assert_int_eq(s390ap_machine_advance(m, 1000000), 0);
		gr[0] = acc;
		gr[6] = CODE + 2;    /* the reply lands on the immediate */
		gr[7] = 2;
		smc_ap(&e, S390AP_OP_DQAP, gr);
		ck_assert_uint_eq(gr[5], 7);
		break;
	}
	case SMC_NIB: {
		s390ap_engine echo = { smc_echo, NULL, NULL };

		ck_assert_int_eq(s390ap_adapter_set_engine(m, 0x03, &echo), 0);
		gr[0] = (uint64_t)S390AP_FC_AQIC << S390AP_GR0_FC_SHIFT | acc;
		gr[1] = S390AP_AQIC_IR | 3;
		gr[2] = CODE + 3;    /* the NIB is the immediate's low byte (0) */
		smc_ap(&e, S390AP_OP_PQAP, gr);
		ck_assert_int_eq(s390ap_machine_advance(m, 1000000), 0);
		poke(&e, DATA, imm, 2);
		gr[0] = S390AP_NQAP_L | acc;
		gr[6] = DATA;
		gr[7] = 2;
		smc_ap(&e, S390AP_OP_NQAP, gr);
		ck_assert_int_eq(s390ap_machine_advance(m, 1000000), 0); /* reply: NIB = 1 */
		ck_assert_uint_eq(e.mem[CODE + 3], 0x01);
		break;
	}
	case SMC_PATHS:
		ck_abort();
	}

	ck_assert_int_eq(s390ap_cpu_psw(e.cpu, &psw), 0);
	psw.addr = CODE;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), after);
	env_close(&e);
}
END_TEST

/* A guest DQAP storing a 4 KiB reply over code the vCPU has cached: the
 * subroutine at `sub` (LGHI 2,1; BR 14) runs, the reply rewrites it to
 * LGHI 2,2 and the second call must see that.  The code sits in a middle
 * granule of the store (_i 0), in the last one of a store that starts
 * mid-granule (_i 1), and past the 8 KiB boundary a store crosses (_i 2). */
START_TEST(t_code_patched_by_guest_dqap)
{
	static const struct { uint64_t dst, sub; } at[] = {
		{ CODE + 0x400, CODE + 0x900 },
		{ CODE + 0x430, CODE + 0x1420 },
		{ CODE + 0x1800, CODE + 0x2100 },
	};
	static const uint8_t new_sub[6] = { 0xA7, 0x29, 0x00, 0x02, 0x07, 0xFE };
	const uint64_t dst = at[_i].dst, sub = at[_i].sub, len = 0x1000;
	const uint16_t acc = S390AP_APQN(0x03, 0x06);
	s390ap_engine echo = { smc_echo, NULL, NULL };
	static uint8_t msg[0x1000];
	struct env e;
	uint64_t poll;

	prog_begin();
	BRAS(14, sub);
	LGR(3, 2);
	LLILF(0, S390AP_NQAP_L | acc);
	LGHI(4, 0);
	LGHI(5, 7);                /* PSMID */
	LLILF(6, DATA);
	LLILF(7, (int64_t)len);
	NQAP(4, 6);
	poll = here();
	LLILF(0, acc);
	LGHI(2, 0);
	LLILF(6, (int64_t)dst);
	LLILF(7, (int64_t)len);
	DQAP(4, 6);
	BRC(7, poll);
	BRAS(14, sub);
	EXIT();
	ck_assert_uint_lt(here(), dst);
	while (here() < sub)
		emit(1, 0);
	LGHI(2, 1);
	BCR(15, 14);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_adapter_set_engine(s390ap_sys_machine(e.sys), 0x03, &echo), 0);
	memset(msg, 0, sizeof(msg));
	memcpy(msg + (sub - dst), new_sub, sizeof(new_sub));
	poke(&e, DATA, msg, sizeof(msg));
	run_done(&e);
	ck_assert_uint_eq(e.gr[3], 1);
	ck_assert_uint_eq(e.gr[5], 7);
	ck_assert_mem_eq(e.mem + sub, new_sub, sizeof(new_sub));
	ck_assert_uint_eq(exit_value(&e), 2);
	env_close(&e);
}
END_TEST

/* The vCPU's real storage for NQAP and DQAP under prefixing: operands in
 * one piece that prefixing leaves in place, operands crossing into real
 * 0-8K or the prefix area, a 24-bit operand wrapping to 0, and operands
 * past the end of storage (addressing, nothing stored).  The echo engine
 * returns what NQAP read, so the reply must land, byte for byte, where
 * prefixing puts each real address of the DQAP buffer. */
#define RS_PREFIX 0x40000u
#define RS_BIG_MEM (32u << 20)

static uint64_t rs_abs(uint64_t real)
{
	if (real < 0x2000)
		return real + RS_PREFIX;
	if ((real & ~0x1FFFull) == RS_PREFIX)
		return real - RS_PREFIX;
	return real;
}

START_TEST(t_ap_real_storage_prefixing)
{
	static const struct {
		unsigned amode;
		uint32_t src, dst, len;
		uint16_t pgm;
	} cs[] = {
		{ 64, 0x30000, 0x31000, 0x1000, 0 },              /* both in place */
		{ 64, 0x1F00, RS_PREFIX - 0x100, 0x300, 0 },       /* lowcore -> 8K; -> prefix area */
		{ 64, RS_PREFIX + 0x1F80, 0x1FF0, 0x300, 0 },      /* prefix area out; lowcore out */
		{ 64, 0x30000, SMALL_MEM - 0x100, 0x300, 5 },      /* DQAP past the end */
		{ 64, SMALL_MEM - 0x100, 0x31000, 0x300, 5 },      /* NQAP past the end */
		{ 24, 0x30000, 0xFFFF00, 0x300, 0 },               /* DQAP wraps to real 0 */
	};
	const uint16_t acc = S390AP_APQN(0x03, 0x06);
	s390ap_sys_opts big = { .mem_size = RS_BIG_MEM };
	s390ap_engine echo = { smc_echo, NULL, NULL };
	static const uint8_t halt[4] = { 0x83, 0x00, 0x00, 0x44 };
	const uint64_t amask = cs[_i].amode == 24 ? 0xFFFFFFu : ~0ull;
	const uint32_t len = cs[_i].len;
	s390ap_cpu_stats st;
	s390ap_psw psw;
	struct env e;
	uint64_t poll;

	prog_begin();
	LLILF(0, S390AP_NQAP_L | acc);
	LGHI(4, 0);
	LGHI(5, 7);
	LLILF(6, cs[_i].src);
	LLILF(7, len);
	NQAP(4, 6);
	poll = here();
	LLILF(0, acc);
	LGHI(2, 0);
	LLILF(6, cs[_i].dst);
	LLILF(7, len);
	DQAP(4, 6);
	BRC(7, poll);
	EXIT();
	env_setup(&e, cs[_i].amode == 24 ? &big : NULL);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, RS_PREFIX), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(s390ap_sys_machine(e.sys), 0x03, &echo), 0);
	ck_assert_int_eq(s390ap_sys_load(e.sys, HANDLER, halt, sizeof(halt)), 0);
	poke_psw(&e, RS_PREFIX + S390AP_LC_PGM_NEW_PSW, PSW64, HANDLER);
	if (cs[_i].amode == 24) {
		ck_assert_int_eq(s390ap_cpu_psw(e.cpu, &psw), 0);
		psw.mask &= ~(uint64_t)PSW64;
		ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	}
	for (uint32_t i = 0; i < len; i++) {
		uint64_t a = rs_abs((cs[_i].src + i) & amask);

		if (a < SMALL_MEM)
			poke8(&e, a, (uint8_t)(i * 7 + 1));
	}
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
	if (cs[_i].pgm) {
		ck_assert_uint_eq(st.pgm_interruptions, 1);
		ck_assert_uint_eq(st.last_pgm_code, cs[_i].pgm);
		for (uint32_t i = 0; i < len; i++) {
			uint64_t a = rs_abs((cs[_i].dst + i) & amask);

			if (a < SMALL_MEM)
				ck_assert_uint_eq(e.mem[a], 0);
		}
	} else {
		ck_assert_uint_eq(st.pgm_interruptions, 0);
		ck_assert_uint_eq(exit_value(&e), 0);
		ck_assert_uint_eq(e.gr[5], 7);
		for (uint32_t i = 0; i < len; i++)
			ck_assert_uint_eq(e.mem[rs_abs((cs[_i].dst + i) & amask)], (uint8_t)(i * 7 + 1));
		if (cs[_i].amode == 24) /* nothing past the 16 MiB the operand wrapped at */
			ck_assert_uint_eq(e.mem[0x1000000], 0);
	}
	env_close(&e);
}
END_TEST

/* Random corruption of the headers never crashes: 0 or EINVAL. */
START_TEST(t_elf_fuzz)
{
	struct env e;
	uint8_t f[sizeof(elf_bin)];
	uint64_t seed = 0x2545F4914F6CDD1Dull, entry;
	unsigned ok = 0;

	env_open(&e, NULL);
	for (unsigned i = 0; i < 4000; i++) {
		unsigned flips;
		size_t len;
		int rc;

		memcpy(f, elf_bin, sizeof(f));
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		flips = 1 + (unsigned)(seed >> 60) % 4;
		for (unsigned k = 0; k < flips; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			f[(seed >> 33) % ELF_LOAD_END] = (uint8_t)(seed >> 20);
		}
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		len = (seed >> 62) == 0 ? (size_t)((seed >> 30) % sizeof(f)) : sizeof(f);
		rc = s390ap_sys_load_elf(e.sys, f, len, &entry);
		ck_assert(rc == 0 || rc == S390AP_EINVAL);
		if (rc == 0) {
			ck_assert_uint_lt(entry, SMALL_MEM);
			ok++;
		}
	}
	ck_assert_uint_gt(ok, 0);
	env_close(&e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */
START_TEST(t_api_new_errors)
{
	s390ap_sys *sys = (s390ap_sys *)&sys;
	s390ap_sys_opts o = { 0 };
	s390ap_cost_model k = s390ap_cost_default();

	ck_assert_int_eq(s390ap_sys_new(NULL, NULL), S390AP_EINVAL);
	o.mem_size = 4096;
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_ERANGE);
	ck_assert_ptr_null(sys);
	o.mem_size = (4ull << 30) + 1;
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_ERANGE);
	o.mem_size = SMALL_MEM;
	o.ncpus = S390AP_MAX_CPUS + 1;
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_ERANGE);
	o.ncpus = 1;
	k.simple = 0;
	o.cost = &k;
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), S390AP_EINVAL);

	/* defaults: one vCPU, 16 MiB, an owned default machine, nothing loaded */
	ck_assert_int_eq(s390ap_sys_new(&sys, NULL), 0);
	ck_assert_uint_eq(s390ap_sys_ncpus(sys), 1);
	ck_assert_uint_eq(s390ap_mem_size(s390ap_sys_mem(sys)), 16u << 20);
	ck_assert_ptr_nonnull(s390ap_sys_machine(sys));
	ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(sys, 0)), S390AP_CPU_STOPPED);
	ck_assert_int_eq(s390ap_sys_run(sys, 0, 0, &(s390ap_stop){ S390AP_STOP_IDLE }), 0);
	s390ap_sys_free(sys);
	s390ap_sys_free(NULL);
}
END_TEST

START_TEST(t_api_state)
{
	struct env e;
	s390ap_psw psw;
	uint8_t buf[8];
	const s390ap_storage *st;

	prog_begin();
	EXIT();
	env_setup(&e, NULL);
	s390ap_cpu_psw(e.cpu, &psw);
	ck_assert_uint_eq(psw.mask, PSW64);
	ck_assert_uint_eq(psw.addr, CODE);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 0), 0xE0);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 14), 0xC2000000u);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 16), 0);
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 16, 1), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 3, 0x33), 0);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 3), 0x33);
	ck_assert_uint_eq(s390ap_cpu_index(e.cpu), 0);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, 0x1000), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, SMALL_MEM), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, SMALL_MEM - 0x2000), 0);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, 0), 0);
	ck_assert_int_eq(s390ap_sys_load(e.sys, SMALL_MEM - 4, buf, 8), S390AP_EFAULT);
	ck_assert_str_ne(s390ap_sys_errmsg(e.sys), "");
	ck_assert_int_eq(s390ap_sys_load(e.sys, 0, NULL, 8), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "no image (NULL data, 8 bytes)");
	ck_assert_int_eq(s390ap_sys_load(e.sys, SMALL_MEM, NULL, 0), 0);
	ck_assert_int_eq(s390ap_sys_start(e.sys, CODE + 1), S390AP_EINVAL);
	/* as the ELF loader refuses one: an entry point outside storage */
	ck_assert_int_eq(s390ap_sys_start(e.sys, SMALL_MEM), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(e.sys), "outside storage"));
	ck_assert_int_eq(s390ap_sys_start(e.sys, SMALL_MEM - 2), 0);
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, NULL), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(e.sys), "no PSW"));
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 16, 0), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(e.sys), "control register 16"));
	/* the getters with no output say so too */
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "vCPU 0: no stats output (NULL)");
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 16, 0), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_stats(e.sys, NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "no stats output (NULL)");
	ck_assert_int_eq(s390ap_cpu_psw(e.cpu, NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "vCPU 0: no PSW output (NULL)");

	st = s390ap_sys_storage(e.sys);
	ck_assert_int_eq(s390ap_storage_write(st, SMALL_MEM - 4, buf, 8), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_storage_read(st, SMALL_MEM - 8, buf, 8), 0);
	ck_assert_int_eq(s390ap_storage_read(st, SMALL_MEM - 7, buf, 8), S390AP_EFAULT);

	/* NULL-tolerant getters */
	ck_assert_ptr_null(s390ap_sys_cpu(NULL, 0));
	ck_assert_ptr_null(s390ap_sys_machine(NULL));
	ck_assert_ptr_null(s390ap_sys_mem(NULL));
	ck_assert_ptr_null(s390ap_sys_storage(NULL));
	ck_assert_ptr_null(s390ap_cpu_gr(NULL));
	ck_assert_uint_eq(s390ap_sys_ncpus(NULL), 0);
	ck_assert_uint_eq(s390ap_sys_cycles(NULL), 0);
	ck_assert_int_eq(s390ap_sys_run(NULL, 0, 0, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_stats(NULL, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_cpu_stats_get(NULL, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_set_trace(NULL, NULL, NULL), S390AP_EINVAL);

	/* set_psw: wait PSWs set the state at once */
	psw.mask = PSW64 | S390AP_PSW_WAIT;
	psw.addr = 0x4242;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_STOPPED);
	ck_assert_uint_eq(exit_value(&e), 0x4242);
	psw.mask |= S390AP_PSW_IO;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_WAIT);
	psw.mask = PSW64;
	psw.addr = CODE;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_RUNNING);
	run_done(&e);
	env_close(&e);
}
END_TEST

/* An invalid PSW set through the API is an early exception on the run. */
START_TEST(t_api_invalid_psw)
{
	struct env e;
	s390ap_psw psw = { PSW64, CODE + 1 };

	prog_begin();
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), 6);
	ck_assert_uint_eq(lc_ilc(&e), 0);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 1);
	env_close(&e);
}
END_TEST

/* Random code, random registers, random lowcore: the library never fails
 * or crashes; every vCPU ends in a defined state. */
START_TEST(t_random_code)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull, insns = 0, pgms = 0;
	s390ap_cpu_stats sum;

	for (unsigned round = 0; round < 120; round++) {
		s390ap_sys_opts o = { .mem_size = 256u << 10, .ncpus = 1 + round % 3, .quantum = 97 };
		struct env e;
		s390ap_stop why;

		prog_begin();
		while (P.n < 2048) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			if (seed >> 63) {
				emit(2, (seed >> 40) & 0xFFFF);
			} else {
				/* a supported opcode with random operand fields */
				const struct ref *r = &refs[(seed >> 32) % NREFS];
				uint8_t b[6];

				for (unsigned k = 0; k < 6; k++)
					b[k] = (uint8_t)(seed >> (8 * k));
				b[0] = r->b[0];
				if (r->b[0] == 0xB2 || r->b[0] == 0xB9)
					b[1] = r->b[1];
				else if ((r->b[0] & 0xF0) == 0xA0 || (r->b[0] & 0xF0) == 0xC0)
					b[1] = (uint8_t)((b[1] & 0xF0) | (r->b[1] & 0x0F));
				if (r->b[0] == 0xE3 || r->b[0] == 0xEB)
					b[5] = r->b[5];
				for (unsigned k = 0; k < r->len; k++)
					emit(1, b[k]);
			}
		}
		env_setup(&e, &o);
		pgm_to_resume(&e);
		poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, CODE);
		for (unsigned c = 0; c < o.ncpus; c++) {
			uint64_t *gr = s390ap_cpu_gr(s390ap_sys_cpu(e.sys, c));

			for (unsigned r = 0; r < 16; r++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				gr[r] = (seed >> 32) % 3 == 0 ? seed >> 40 : (seed >> 16) & 0x3FFF8;
			}
		}
		ck_assert_int_eq(s390ap_sys_run(e.sys, 20000, 0, &why), 0);
		ck_assert_int_eq(s390ap_sys_stats(e.sys, &sum), 0);
		insns += sum.instructions;
		pgms += sum.pgm_interruptions;
		for (unsigned c = 0; c < o.ncpus; c++) {
			s390ap_cpu_state st = s390ap_cpu_state_get(s390ap_sys_cpu(e.sys, c));

			ck_assert_int_ge(st, S390AP_CPU_RUNNING);
			ck_assert_int_le(st, S390AP_CPU_CHECKSTOP);
		}
		env_close(&e);
	}
	ck_assert_uint_gt(insns, 100000);
	ck_assert_uint_gt(pgms, 10000);
}
END_TEST

/* ------------------------------------------------------------------ */
static Suite *cpu_suite(void)
{
	Suite *s = suite_create("cpu");
	TCase *dec = tcase_create("decode");
	TCase *exe = tcase_create("execute");
	TCase *intr = tcase_create("interruptions");
	TCase *sched = tcase_create("scheduler");
	TCase *elf = tcase_create("elf");
	TCase *api = tcase_create("api");

	tcase_add_test(dec, t_decode_every_instruction);
	tcase_add_test(dec, t_decode_names);
	tcase_add_test(dec, t_decode_rejects);
	tcase_add_test(dec, t_decode_fields);
	tcase_add_test(dec, t_emitter_matches_assembler);
	suite_add_tcase(s, dec);

	tcase_add_test(exe, t_immediates);
	tcase_add_test(exe, t_address_loads);
	tcase_add_test(exe, t_storage_loads);
	tcase_add_test(exe, t_storage_stores);
	tcase_add_test(exe, t_lmg_stmg);
	tcase_add_test(exe, t_mvc_xc_clc);
	tcase_add_test(exe, t_ss_slow_path);
	tcase_add_test(exe, t_register_loads);
	tcase_add_test(exe, t_add_subtract);
	tcase_add_test(exe, t_add_subtract_registers);
	tcase_add_test(exe, t_fixed_point_overflow);
	tcase_add_test(exe, t_logic);
	tcase_add_test(exe, t_shifts);
	tcase_add_test(exe, t_compares);
	tcase_add_test(exe, t_test_under_mask);
	tcase_add_test(exe, t_branch_masks);
	tcase_add_test(exe, t_branch_count);
	tcase_add_test(exe, t_branch_and_save);
	tcase_add_test(exe, t_branch_odd);
	tcase_add_test(exe, t_amode_31_24);
	tcase_add_test(exe, t_ipm_spm);
	tcase_add_test(exe, t_stfle);
	tcase_add_test(exe, t_stfle_machine_facilities);
	tcase_add_test(exe, t_lpswe);
	tcase_add_test(exe, t_lpswe_invalid_psw);
	tcase_add_test(exe, t_control_registers);
	tcase_add_test(exe, t_system_mask);
	tcase_add_test(exe, t_system_mask_errors);
	tcase_add_test(exe, t_prefix);
	tcase_add_test(exe, t_prefix_errors);
	tcase_add_test(exe, t_diag);
	tcase_add_test(exe, t_self_modifying_code);
	tcase_add_test(exe, t_code_patched_between_runs);
	tcase_add_test(exe, t_code_patched_by_other_cpu);
	tcase_add_loop_test(exe, t_code_patched_every_path, 0, SMC_PATHS);
	tcase_add_loop_test(exe, t_code_patched_by_guest_dqap, 0, 3);
	tcase_add_loop_test(exe, t_ap_real_storage_prefixing, 0, 6);
	tcase_add_test(exe, t_trace);
	tcase_add_test(exe, t_trace_clears_itself);
	suite_add_tcase(s, exe);

	tcase_add_test(intr, t_privileged);
	tcase_add_test(intr, t_operation_exception);
	tcase_add_test(intr, t_program_lowcore);
	tcase_add_test(intr, t_addressing_exception);
	tcase_add_test(intr, t_specification_alignment);
	tcase_add_test(intr, t_checkstop);
	tcase_add_test(intr, t_disabled_wait);
	tcase_add_test(intr, t_enabled_wait_idle);
	tcase_add_test(intr, t_io_interruption);
	tcase_add_test(intr, t_aqic_nib_absolute_under_prefix);
	tcase_add_test(intr, t_io_interruption_running);
	tcase_add_test(intr, t_ap_results);
	tcase_add_test(intr, t_sie);
	suite_add_tcase(s, intr);

	tcase_add_test(sched, t_multi_cpu_round_robin);
	tcase_add_test(sched, t_multi_cpu_determinism);
	tcase_add_test(sched, t_sched_mixed_states);
	tcase_add_test(sched, t_sched_woken_by_api);
	tcase_add_test(sched, t_sched_waiters_in_index_order);
	tcase_add_test(sched, t_sched_solo_past_quantum);
	tcase_add_test(sched, t_limits);
	tcase_add_test(sched, t_cost_default);
	tcase_add_test(sched, t_cost_accounting);
	tcase_add_test(sched, t_cost_range);
	suite_add_tcase(s, sched);

	tcase_add_test(elf, t_elf_runs);
	tcase_add_test(elf, t_elf_truncated);
	tcase_add_test(elf, t_elf_bad_headers);
	tcase_add_test(elf, t_elf_segments);
	tcase_add_test(elf, t_elf_fuzz);
	suite_add_tcase(s, elf);

	tcase_add_test(api, t_api_new_errors);
	tcase_add_test(api, t_api_state);
	tcase_add_test(api, t_api_invalid_psw);
	tcase_add_test(api, t_random_code);
	tcase_set_timeout(api, 300);
	suite_add_tcase(s, api);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cpu_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
