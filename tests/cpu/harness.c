/* SPDX-License-Identifier: MIT */
/* The cpu suite's harness: the program emitter and the system around it. */
#include "cpu_test.h"

const struct ref refs[] = {
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
const size_t nrefs = ARRAY_SIZE(refs);

struct prog P;

void prog_begin(void)
{
	memset(&P, 0, sizeof(P));
}

void emit(unsigned n, uint64_t v)
{
	ck_assert_uint_le(P.n + n, sizeof(P.b));
	for (unsigned i = 0; i < n; i++)
		P.b[P.n++] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

uint64_t here(void)
{
	return CODE + P.n;
}

/* Halfword offset from the current instruction to target. */
int rel(uint64_t target)
{
	return (int)(((int64_t)target - (int64_t)here()) / 2);
}

void f_rr(unsigned op, unsigned r1, unsigned r2)
{
	emit(2, op << 8 | r1 << 4 | r2);
}

void f_rre(unsigned op, unsigned r1, unsigned r2)
{
	emit(4, (uint64_t)op << 16 | r1 << 4 | r2);
}

void f_ri(unsigned op, unsigned op2, unsigned r1, int i2)
{
	emit(4, (uint64_t)op << 24 | r1 << 20 | op2 << 16 | (uint16_t)i2);
}

void f_ril(unsigned op, unsigned op2, unsigned r1, int64_t i2)
{
	emit(6, (uint64_t)op << 40 | (uint64_t)r1 << 36 | (uint64_t)op2 << 32 | (uint32_t)i2);
}

void f_rx(unsigned op, unsigned r1, unsigned x2, unsigned b2, unsigned d2)
{
	emit(4, (uint64_t)op << 24 | r1 << 20 | x2 << 16 | b2 << 12 | (d2 & 0xFFF));
}

void f_rxy(unsigned op, unsigned op2, unsigned r1, unsigned x2, unsigned b2, int d2)
{
	uint32_t d = (uint32_t)d2 & 0xFFFFF;

	emit(6, (uint64_t)op << 40 | (uint64_t)r1 << 36 | (uint64_t)x2 << 32 | (uint64_t)b2 << 28 |
			(uint64_t)(d & 0xFFF) << 16 | (uint64_t)(d >> 12) << 8 | op2);
}

void f_si(unsigned op, unsigned i2, unsigned b1, unsigned d1)
{
	emit(4, (uint64_t)op << 24 | (i2 & 0xFF) << 16 | b1 << 12 | (d1 & 0xFFF));
}

void f_s(unsigned op, unsigned b2, unsigned d2)
{
	emit(4, (uint64_t)op << 16 | b2 << 12 | (d2 & 0xFFF));
}

void f_ss(unsigned op, unsigned l, unsigned b1, unsigned d1, unsigned b2, unsigned d2)
{
	emit(6, (uint64_t)op << 40 | (uint64_t)l << 32 | (uint64_t)b1 << 28 |
			(uint64_t)(d1 & 0xFFF) << 16 | b2 << 12 | (d2 & 0xFFF));
}

/* Forward branches: emit with offset 0, patch when the target is known. */
size_t fwd_brc(unsigned mask)
{
	size_t at = P.n;

	f_ri(0xA7, 0x4, mask, 0);
	return at;
}

void patch_here(size_t at)
{
	int16_t r = (int16_t)((P.n - at) / 2);

	P.b[at + 2] = (uint8_t)((uint16_t)r >> 8);
	P.b[at + 3] = (uint8_t)r;
}

void put_psw(uint8_t *p, uint64_t mask, uint64_t addr)
{
	be_put(p, 8, mask);
	be_put(p + 8, 8, addr);
}

/* Storage writes from the test go through the library (s390ap_mem_write),
 * which drops decoded instructions they replace. */
void poke(struct env *e, uint64_t addr, const void *src, size_t len)
{
	ck_assert_int_eq(s390ap_mem_write(s390ap_sys_mem(e->sys), addr, src, len), 0);
}

void poke8(struct env *e, uint64_t addr, uint8_t v)
{
	poke(e, addr, &v, 1);
}

void poke_fill(struct env *e, uint64_t addr, uint8_t v, size_t len)
{
	uint8_t buf[256];

	memset(buf, v, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		poke(e, addr + off, buf, len - off < sizeof(buf) ? len - off : sizeof(buf));
}

void poke_be(struct env *e, uint64_t addr, unsigned n, uint64_t v)
{
	uint8_t b[8];

	be_put(b, n, v);
	poke(e, addr, b, n);
}

void poke_psw(struct env *e, uint64_t addr, uint64_t mask, uint64_t ia)
{
	uint8_t b[16];

	put_psw(b, mask, ia);
	poke(e, addr, b, sizeof(b));
}

void env_open(struct env *e, const s390ap_sys_opts *o)
{
	s390ap_sys_opts d = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM };

	memset(e, 0, sizeof(*e));
	ck_assert_int_eq(s390ap_sys_new(&e->sys, o ? o : &d), 0);
	e->cpu = s390ap_sys_cpu(e->sys, 0);
	e->gr = s390ap_cpu_gr(e->cpu);
	e->mem = s390ap_mem_data(s390ap_sys_mem(e->sys));
}

/* Load P at CODE and start every vCPU there. */
void env_start(struct env *e)
{
	ck_assert_int_eq(s390ap_sys_load(e->sys, CODE, P.b, P.n), 0);
	ck_assert_int_eq(s390ap_sys_start(e->sys, CODE), 0);
}

void env_setup(struct env *e, const s390ap_sys_opts *o)
{
	env_open(e, o);
	env_start(e);
}

s390ap_stop env_run(struct env *e)
{
	ck_assert_int_eq(s390ap_sys_run(e->sys, 1000000, 0, &e->why), 0);
	return e->why;
}

/* Run to the end and expect a DIAG halt/exit. */
void run_done(struct env *e)
{
	ck_assert_int_eq(env_run(e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}

void env_close(struct env *e)
{
	s390ap_sys_free(e->sys);
}

unsigned cc_of(struct env *e)
{
	return s390ap_cpu_cc(e->cpu);
}

/* Program new PSW -> a halt at HANDLER. */
void pgm_to_halt(struct env *e)
{
	static const uint8_t halt[4] = { 0x83, 0x00, 0x00, 0x44 };

	ck_assert_int_eq(s390ap_sys_load(e->sys, HANDLER, halt, sizeof(halt)), 0);
	poke_psw(e, S390AP_LC_PGM_NEW_PSW, PSW64, HANDLER);
}

/* Program new PSW -> LPSWE of the program old PSW: resume after it. */
void pgm_to_resume(struct env *e)
{
	static const uint8_t lpswe[4] = { 0xB2, 0xB2, 0x01, 0x50 };

	ck_assert_int_eq(s390ap_sys_load(e->sys, HANDLER, lpswe, sizeof(lpswe)), 0);
	poke_psw(e, S390AP_LC_PGM_NEW_PSW, PSW64, HANDLER);
}

unsigned lc_code(const struct env *e)
{
	return (unsigned)be_get(e->mem + S390AP_LC_PGM_CODE, 2);
}

unsigned lc_ilc(const struct env *e)
{
	return e->mem[S390AP_LC_PGM_ILC + 1];
}

uint64_t lc_old_mask(const struct env *e)
{
	return be_get(e->mem + S390AP_LC_PGM_OLD_PSW, 8);
}

uint64_t lc_old_addr(const struct env *e)
{
	return be_get(e->mem + S390AP_LC_PGM_OLD_PSW + 8, 8);
}

uint64_t exit_value(const struct env *e)
{
	return s390ap_cpu_exit_value(e->cpu);
}

int sie_refuse(void *ctx, s390ap_cpu *cpu, uint64_t scb)
{
	(void)ctx;
	(void)cpu;
	(void)scb;
	return 0;
}

/* Program text: AQIC enabling ISC 3 on 03.0006 with the NIB at nib. */
void emit_aqic_on(uint32_t nib)
{
	LLILF(0, 0x03000306); /* AQIC, ISC 3 */
	LLIHF(1, 0x00008000);
	OILL(1, 3);
	LLILF(2, nib);
	PQAP();
}

/* Program text: NQAP of the MSG_LEN-byte request at MSG (put_request) to
 * 03.0006. */
void emit_nqap(void)
{
	LLILF(0, 0x40000306); /* NQAP */
	LLILF(6, MSG);
	LLILF(7, MSG_LEN);
	NQAP(4, 6);
}

/* emit_aqic_on with the NIB at NIB, then emit_nqap. */
void emit_aqic_nqap(void)
{
	emit_aqic_on(NIB);
	emit_nqap();
}

/* Program text: DQAP of 03.0006's reply (from its first byte) into the
 * 4 KiB at REPLY. */
void emit_dqap(void)
{
	LLILF(0, 0x80000306); /* DQAP */
	LGHI(2, 0);
	LGHI(4, 0);
	LGHI(5, 0);
	LLILF(6, REPLY);
	LLILF(7, 4096);
	DQAP(4, 6);
}

void put_request(struct env *e)
{
	uint8_t req[MSG_LEN] = { 0 };

	req[1] = 0x50;
	req[2] = MSG_LEN >> 8;
	req[3] = MSG_LEN & 0xFF;
	poke(e, MSG, req, sizeof(req));
}

void trace_rec(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
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

void trace_free(struct trace_log *t)
{
	free(t->cpu);
	free(t->cycle);
}

int smc_echo(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	(void)ctx;
	if (req->len > rep->cap)
		return S390AP_EINVAL;
	memcpy(rep->buf, req->msg, req->len);
	rep->len = req->len;
	return 0;
}

void put_field(uint8_t *f, unsigned off, unsigned n, uint64_t v)
{
	be_put(f + off, n, v);
}

/* Synthetic files: two segments, paddr 0 -> vaddr, all-or-nothing. */
size_t build_elf(uint8_t *f, const uint64_t (*seg)[4], unsigned nseg)
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
