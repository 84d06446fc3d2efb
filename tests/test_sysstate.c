/* SPDX-License-Identifier: MIT */
/* Check suite for saved states of a dispatcher system (src/cpu/state.c,
 * docs/state-format.md, "Dispatcher systems"): round trips to identical bytes, runs that go
 * on after a restore exactly as the saved system would have, and images
 * that are cut, flipped or carry values no system can have, all refused
 * with the target left as it was.
 *
 * The programs are real s390x code (tests/asm, apsim's tour), several in
 * one storage, one per vCPU, each vCPU with a lowcore of its own. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_internal.h"
#include "s390ap/s390ap.h"
#include "s390ap/state.h"
#include "testutil.h"
#include "util/be.h"
#include "util/ser.h"
#ifdef S390AP_SYSSTATE_PROGRAMS
#include "sysstate/programs.h"
#endif

#define MEM_SIZE (4u << 20)
#define PREFIX_BASE 0x100000u /* vCPU i: PREFIX_BASE + i * 8 KiB */
#define CYCLE_CAP 2000000u    /* a mix ends here if it has not ended before */
#define MAX_STEPS 400u
#define MAX_RESUMES 10u

/* Offsets in the section payloads (docs/state-format.md, "Dispatcher systems"). */
#define SYS_LEN 76u
#define SYS_MEM_SIZE 0u
#define SYS_NCPUS 8u
#define SYS_QUANTUM 12u
#define SYS_COST 20u
#define SCHD_CUR 0u
#define SCHD_CUR_USED 4u
#define SCHD_DIRTY 12u
#define SCHD_NPGM 28u
#define SCHD_LEN (32u + 8u * CPU_PGM_CODES)
#define CPU_INDEX 0u
#define CPU_STATE 4u
#define CPU_DIRTY 5u
#define CPU_MASK 6u
#define CPU_ADDR 14u
#define CPU_GR 22u
#define CPU_CR 150u
#define CPU_PREFIX 278u
#define CPU_STREAK 294u
#define CPU_PGM_INSNS 298u
#define CPU_NPATH 378u
#define CPU_NINSN 406u
#define CPU_COUNTS 410u
#define CPU_LEN (CPU_COUNTS + 8u * CPU_NINSNS)

#define TAG_SYS SER_TAG('S', 'Y', 'S', ' ')
#define TAG_SCHD SER_TAG('S', 'C', 'H', 'D')
#define TAG_CPU SER_TAG('C', 'P', 'U', ' ')
#define TAG_MEM SER_TAG('M', 'E', 'M', ' ')
#define TAG_MACH SER_TAG('M', 'A', 'C', 'H')

/* xorshift64*: the tests' own deterministic numbers */
static uint64_t rnd(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1Dull;
}

struct img {
	uint8_t *p;
	size_t n;
};

static struct img img_save(const s390ap_sys *sys)
{
	struct img im;
	void *p = NULL;

	ck_assert_int_eq(s390ap_sys_save(sys, &p, &im.n), 0);
	im.p = p;
	return im;
}

static struct img img_copy(const struct img *a)
{
	struct img b = { malloc(a->n), a->n };

	ck_assert_ptr_nonnull(b.p);
	memcpy(b.p, a->p, a->n);
	return b;
}

static void img_same(const struct img *a, const struct img *b)
{
	ck_assert_uint_eq(a->n, b->n);
	ck_assert_msg(memcmp(a->p, b->p, a->n) == 0, "images of %zu bytes differ", a->n);
}

/* After an edit inside a section: the END section's CRC again. */
static void img_fix_crc(struct img *im)
{
	size_t end = im->n - SER_SEC_HDR_LEN - 4;

	be_put32(im->p + im->n - 4, ser_crc32(im->p, end));
}

/* Where the k-th section with tag starts (its payload), and its length. */
static size_t img_sec(const struct img *im, uint32_t tag, unsigned k, size_t *len)
{
	struct ser_r body, pl;
	uint16_t ver;
	uint32_t t;

	ck_assert_int_eq(ser_open(im->p, im->n, SER_KIND_SYS, 1, &body, &ver), SER_OK);
	while (ser_sec_next(&body, &t, &pl)) {
		if (t == tag && k-- == 0) {
			if (len)
				*len = pl.len;
			return (size_t)(pl.p - im->p);
		}
	}
	ck_abort_msg("no section %08x", tag);
	return 0;
}

/* A new image from the sections of im in the order of idx (indices into
 * im's sections, END excluded), each payload as it is. */
static struct img img_rebuild(const struct img *im, const int *idx, unsigned n)
{
	struct ser_r body, pl;
	struct ser_r secs[80];
	uint32_t tags[80];
	unsigned ns = 0;
	uint16_t ver;
	struct ser_w w;
	struct img out;
	void *p;

	ck_assert_int_eq(ser_open(im->p, im->n, SER_KIND_SYS, 1, &body, &ver), SER_OK);
	while (ns < 80 && ser_sec_next(&body, &tags[ns], &pl))
		secs[ns++] = pl;
	ser_w_init(&w, 1, SER_KIND_SYS);
	for (unsigned i = 0; i < n; i++) {
		size_t mark;

		ck_assert_uint_lt((unsigned)idx[i], ns);
		mark = ser_sec_begin(&w, tags[idx[i]]);
		ser_put_bytes(&w, secs[idx[i]].p, secs[idx[i]].len);
		ser_sec_end(&w, mark);
	}
	ck_assert_int_eq(ser_w_finish(&w, &p, &out.n), 0);
	out.p = p;
	return out;
}

static unsigned img_nsecs(const struct img *im)
{
	struct ser_r body, pl;
	uint16_t ver;
	uint32_t t;
	unsigned n = 0;

	ck_assert_int_eq(ser_open(im->p, im->n, SER_KIND_SYS, 1, &body, &ver), SER_OK);
	while (ser_sec_next(&body, &t, &pl))
		n++;
	return n;
}

static s390ap_sys *sys_make(unsigned ncpus, uint64_t quantum, uint64_t mem_size)
{
	s390ap_sys_opts o = { .mem_size = mem_size, .ncpus = ncpus, .quantum = quantum };
	s390ap_sys *sys = NULL;

	ck_assert_int_eq(s390ap_sys_new(&sys, &o), 0);
	return sys;
}

/* The restore must be refused with EINVAL and a message, and change
 * nothing: the system saves to the same bytes as before. */
static void refused(s390ap_sys *sys, const struct img *bad, const char *msg)
{
	struct img before = img_save(sys), after;

	ck_assert_int_eq(s390ap_sys_restore(sys, bad->p, bad->n), S390AP_EINVAL);
	ck_assert_msg(strstr(s390ap_sys_errmsg(sys), msg) != NULL, "message \"%s\" lacks \"%s\"",
		      s390ap_sys_errmsg(sys), msg);
	after = img_save(sys);
	img_same(&before, &after);
	free(before.p);
	free(after.p);
}

/* Everything a caller can observe of a system, compared. */
static void sys_same(s390ap_sys *a, s390ap_sys *b)
{
	s390ap_machine *ma = s390ap_sys_machine(a), *mb = s390ap_sys_machine(b);
	s390ap_cpu_stats sa, sb;
	const uint8_t *da = s390ap_mem_data(s390ap_sys_mem(a));
	const uint8_t *db = s390ap_mem_data(s390ap_sys_mem(b));

	ck_assert_uint_eq(s390ap_sys_ncpus(a), s390ap_sys_ncpus(b));
	for (unsigned i = 0; i < s390ap_sys_ncpus(a); i++) {
		s390ap_cpu *ca = s390ap_sys_cpu(a, i), *cb = s390ap_sys_cpu(b, i);
		s390ap_psw pa, pb;

		ck_assert_int_eq(s390ap_cpu_state_get(ca), s390ap_cpu_state_get(cb));
		ck_assert_x64(s390ap_cpu_exit_value(ca), s390ap_cpu_exit_value(cb));
		ck_assert_int_eq(s390ap_cpu_psw(ca, &pa), 0);
		ck_assert_int_eq(s390ap_cpu_psw(cb, &pb), 0);
		ck_assert_x64(pa.mask, pb.mask);
		ck_assert_x64(pa.addr, pb.addr);
		ck_assert_uint_eq(s390ap_cpu_cc(ca), s390ap_cpu_cc(cb));
		for (unsigned r = 0; r < 16; r++) {
			ck_assert_x64(s390ap_cpu_gr(ca)[r], s390ap_cpu_gr(cb)[r]);
			ck_assert_x64(s390ap_cpu_cr(ca, r), s390ap_cpu_cr(cb, r));
		}
		ck_assert_x64(s390ap_cpu_prefix(ca), s390ap_cpu_prefix(cb));
		ck_assert_int_eq(s390ap_cpu_stats_get(ca, &sa), 0);
		ck_assert_int_eq(s390ap_cpu_stats_get(cb, &sb), 0);
		ck_assert(memcmp(&sa, &sb, sizeof(sa)) == 0);
	}
	ck_assert_int_eq(s390ap_sys_stats(a, &sa), 0);
	ck_assert_int_eq(s390ap_sys_stats(b, &sb), 0);
	ck_assert(memcmp(&sa, &sb, sizeof(sa)) == 0);
	for (unsigned id = 0; id < s390ap_insn_count(); id++)
		ck_assert_uint_eq(s390ap_sys_insn_executed(a, id), s390ap_sys_insn_executed(b, id));
	for (uint16_t code = 0; code < CPU_PGM_CODES; code++) {
		ck_assert_uint_eq(s390ap_sys_pgm_count(a, code), s390ap_sys_pgm_count(b, code));
		ck_assert_uint_eq(s390ap_machine_pgm_count(ma, code),
				  s390ap_machine_pgm_count(mb, code));
	}
	ck_assert_uint_eq(s390ap_sys_cycles(a), s390ap_sys_cycles(b));
	ck_assert_uint_eq(s390ap_machine_now(ma), s390ap_machine_now(mb));
	ck_assert_uint_eq(s390ap_machine_next_event(ma), s390ap_machine_next_event(mb));
	ck_assert_uint_eq(s390ap_machine_irq_pending(ma), s390ap_machine_irq_pending(mb));
	for (unsigned isc = 0; isc <= S390AP_ISC_MAX; isc++)
		ck_assert_uint_eq(s390ap_machine_irq_count(ma, isc),
				  s390ap_machine_irq_count(mb, isc));
	for (unsigned rc = 0; rc < 256; rc++)
		ck_assert_uint_eq(s390ap_machine_rc_count(ma, (uint8_t)rc),
				  s390ap_machine_rc_count(mb, (uint8_t)rc));
	ck_assert_uint_eq(s390ap_mem_size(s390ap_sys_mem(a)), s390ap_mem_size(s390ap_sys_mem(b)));
	ck_assert(memcmp(da, db, (size_t)s390ap_mem_size(s390ap_sys_mem(a))) == 0);
}

/* ------------------------------------------------------------------ */
/* Systems without programs                                            */
/* ------------------------------------------------------------------ */

START_TEST(test_sysstate_idle_round_trip)
{
	s390ap_sys *a = sys_make(3, 250, 1u << 20), *b = sys_make(3, 1000, 1u << 20);
	struct img ia = img_save(a), ib, ia2;

	/* header, kind, a section per part and one per vCPU; the machine's
	 * image whole in MACH */
	ck_assert(memcmp(ia.p, "S390APST", 8) == 0);
	ck_assert_uint_eq(be_get16(ia.p + 8), 1);
	ck_assert_uint_eq(be_get16(ia.p + 10), SER_KIND_SYS);
	ck_assert_uint_eq(img_nsecs(&ia), 4 + 3);
	{
		size_t mlen, moff = img_sec(&ia, TAG_MACH, 0, &mlen);
		void *mimg;
		size_t n;

		ck_assert_int_eq(s390ap_machine_save(s390ap_sys_machine(a), &mimg, &n), 0);
		ck_assert_uint_eq(mlen, n);
		ck_assert(memcmp(ia.p + moff, mimg, n) == 0);
		s390ap_state_free(mimg);
	}
	ck_assert_int_eq(s390ap_sys_restore(b, ia.p, ia.n), 0);
	ib = img_save(b);
	img_same(&ia, &ib);
	/* the quantum came from the image */
	ck_assert_uint_eq(b->quantum, 250);
	sys_same(a, b);
	/* into itself */
	ck_assert_int_eq(s390ap_sys_restore(a, ia.p, ia.n), 0);
	ia2 = img_save(a);
	img_same(&ia, &ia2);
	free(ia.p);
	free(ib.p);
	free(ia2.p);
	s390ap_sys_free(a);
	s390ap_sys_free(b);
}
END_TEST

/* The storage holds only non-zero pages, a short last page included. */
START_TEST(test_sysstate_storage_pages)
{
	const uint64_t size = 3 * 4096 + 100 + 8192;
	s390ap_sys *a = sys_make(1, 0, size), *b = sys_make(1, 0, size);
	const uint8_t one = 0x5a, last = 0xa5;
	struct img ia, ib;
	size_t len, off;

	ck_assert_int_eq(s390ap_sys_load(a, 4096 * 2 + 7, &one, 1), 0);
	ck_assert_int_eq(s390ap_sys_load(a, size - 1, &last, 1), 0);
	ia = img_save(a);
	off = img_sec(&ia, TAG_MEM, 0, &len);
	/* page 2 whole, page 5 of 100 bytes */
	ck_assert_uint_eq(len, 4 + 4096 + 4 + 100);
	ck_assert_uint_eq(be_get32(ia.p + off), 2);
	ck_assert_uint_eq(ia.p[off + 4 + 7], one);
	ck_assert_uint_eq(be_get32(ia.p + off + 4 + 4096), 5);
	/* a target with other bytes in storage ends with exactly these */
	ck_assert_int_eq(s390ap_sys_load(b, 0, &one, 1), 0);
	ck_assert_int_eq(s390ap_sys_restore(b, ia.p, ia.n), 0);
	ib = img_save(b);
	img_same(&ia, &ib);
	sys_same(a, b);
	free(ia.p);
	free(ib.p);
	s390ap_sys_free(a);
	s390ap_sys_free(b);
}
END_TEST

/* PSW, registers, prefix and the lazy cc as the API set them; the cc is
 * saved architected, in the PSW mask. */
START_TEST(test_sysstate_cpu_fields)
{
	s390ap_sys *a = sys_make(2, 0, 1u << 20), *b = sys_make(2, 0, 1u << 20);
	s390ap_cpu *c = s390ap_sys_cpu(a, 1);
	const s390ap_psw psw = { S390AP_PSW_EA | S390AP_PSW_BA | 2ull << S390AP_PSW_CC_SHIFT,
				 0x4000 };
	struct img ia, ib;
	size_t off, len;

	ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_set_prefix(c, 0x6000), 0);
	ck_assert_int_eq(s390ap_cpu_set_cr(c, 6, 0x12000000), 0);
	for (unsigned r = 0; r < 16; r++)
		s390ap_cpu_gr(c)[r] = 0x1111111111111111ull * r;
	/* a lazy cc (ADD64 overflow: 3) */
	cpu_cc_lazy(c, CPU_CCK_ADD64, 0x7FFFFFFFFFFFFFFFull, 1);
	ia = img_save(a);
	off = img_sec(&ia, TAG_CPU, 1, &len);
	ck_assert_uint_eq(len, CPU_LEN);
	ck_assert_uint_eq(be_get32(ia.p + off + CPU_INDEX), 1);
	ck_assert_uint_eq(ia.p[off + CPU_STATE], S390AP_CPU_RUNNING);
	ck_assert_uint_eq(ia.p[off + CPU_DIRTY], 1);
	ck_assert_x64(be_get64(ia.p + off + CPU_MASK), psw.mask | S390AP_PSW_CC);
	ck_assert_x64(be_get64(ia.p + off + CPU_ADDR), 0x4000);
	ck_assert_x64(be_get64(ia.p + off + CPU_GR + 8 * 15), 0xFFFFFFFFFFFFFFFFull);
	ck_assert_x64(be_get64(ia.p + off + CPU_CR + 8 * 6), 0x12000000);
	ck_assert_x64(be_get64(ia.p + off + CPU_PREFIX), 0x6000);
	ck_assert_int_eq(s390ap_sys_restore(b, ia.p, ia.n), 0);
	ib = img_save(b);
	img_same(&ia, &ib);
	sys_same(a, b);
	c = s390ap_sys_cpu(b, 1);
	ck_assert_uint_eq(c->cc_kind, CPU_CCK_CONST);
	ck_assert_uint_eq(s390ap_cpu_cc(c), 3);
	ck_assert_x64(c->amask, ~0ull);
	ck_assert_x64(b->dirty_mask, 2);
	free(ia.p);
	free(ib.p);
	s390ap_sys_free(a);
	s390ap_sys_free(b);
}
END_TEST

START_TEST(test_sysstate_config_mismatch)
{
	s390ap_sys *a = sys_make(2, 0, 1u << 20);
	s390ap_sys *b = sys_make(3, 0, 1u << 20), *c = sys_make(2, 0, 2u << 20);
	struct img ia = img_save(a);

	refused(b, &ia, "same mem_size and ncpus");
	refused(c, &ia, "same mem_size and ncpus");
	free(ia.p);
	s390ap_sys_free(a);
	s390ap_sys_free(b);
	s390ap_sys_free(c);
}
END_TEST

START_TEST(test_sysstate_api_errors)
{
	s390ap_sys *a = sys_make(1, 0, 1u << 20);
	struct img ia = img_save(a);
	void *p = &p;
	size_t n = 7;

	ck_assert_int_eq(s390ap_sys_save(NULL, &p, &n), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_save(a, NULL, &n), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_save(a, &p, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_restore(NULL, ia.p, ia.n), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_restore(a, NULL, ia.n), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(a), "NULL"));
	free(ia.p);
	s390ap_sys_free(a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Images that must be refused                                         */
/* ------------------------------------------------------------------ */

/* A system worth saving: two vCPUs, one with a PSW set through the API. */
static s390ap_sys *small_sys(void)
{
	s390ap_sys *sys = sys_make(2, 300, 1u << 20);
	const uint8_t code[] = { 0xa7, 0x19, 0x00, 0x05,   /* LGHI 1,5 */
				 0x83, 0x00, 0x00, 0x44 }; /* DIAG (halt) */
	s390ap_stop why;

	ck_assert_int_eq(s390ap_sys_load(sys, 0x10000, code, sizeof(code)), 0);
	ck_assert_int_eq(s390ap_sys_start(sys, 0x10000), 0);
	ck_assert_int_eq(s390ap_sys_run(sys, 0, 0, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	return sys;
}

/* Set n bytes (big-endian v) at off in the k-th section with tag, fix the
 * CRC, and expect the restore to be refused with msg. */
static void refuse_field(s390ap_sys *sys, const struct img *good, uint32_t tag, unsigned k,
			 size_t off, unsigned n, uint64_t v, const char *msg)
{
	struct img bad = img_copy(good);
	size_t at = img_sec(&bad, tag, k, NULL) + off;

	be_put(bad.p + at, n, v);
	img_fix_crc(&bad);
	refused(sys, &bad, msg);
	free(bad.p);
}

START_TEST(test_sysstate_bad_fields)
{
	s390ap_sys *a = small_sys(), *t = sys_make(2, 300, 1u << 20);
	struct img good = img_save(a);

	/* the good image is accepted: the edits below are what is refused */
	ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), 0);
	refuse_field(t, &good, TAG_SYS, 0, SYS_MEM_SIZE, 8, 2u << 20, "same mem_size");
	refuse_field(t, &good, TAG_SYS, 0, SYS_NCPUS, 4, 64, "same mem_size");
	refuse_field(t, &good, TAG_SYS, 0, SYS_QUANTUM, 8, 0, "quantum 0");
	refuse_field(t, &good, TAG_SYS, 0, SYS_COST, 4, 0, "cost model");
	refuse_field(t, &good, TAG_SYS, 0, SYS_COST + 4 * 6, 4, S390AP_COST_MAX + 1, "cost model");
	refuse_field(t, &good, TAG_SCHD, 0, SCHD_CUR, 4, 2, "current vCPU");
	refuse_field(t, &good, TAG_SCHD, 0, SCHD_CUR_USED, 8, 300, "whole quantum");
	refuse_field(t, &good, TAG_SCHD, 0, SCHD_DIRTY, 8, 4, "dirty");
	refuse_field(t, &good, TAG_SCHD, 0, SCHD_NPGM, 4, 127, "program codes");
	refuse_field(t, &good, TAG_CPU, 1, CPU_INDEX, 4, 0, "index order");
	refuse_field(t, &good, TAG_CPU, 0, CPU_STATE, 1, 5, "state");
	refuse_field(t, &good, TAG_CPU, 0, CPU_DIRTY, 1, 2, "neither 0 nor 1");
	refuse_field(t, &good, TAG_CPU, 0, CPU_DIRTY, 1, 1, "not marked dirty");
	refuse_field(t, &good, TAG_CPU, 0, CPU_PREFIX, 8, 0x1000, "prefix");
	refuse_field(t, &good, TAG_CPU, 0, CPU_PREFIX, 8, 0x100000, "prefix");
	refuse_field(t, &good, TAG_CPU, 0, CPU_PREFIX, 8, 1ull << 40, "prefix");
	refuse_field(t, &good, TAG_CPU, 0, CPU_STREAK, 4, CPU_PGM_LOOP_LIMIT + 2, "streak");
	refuse_field(t, &good, TAG_CPU, 0, CPU_PGM_INSNS, 8, 3, "after the vCPU's last");
	refuse_field(t, &good, TAG_CPU, 0, CPU_NPATH, 4, 4, "AP paths");
	refuse_field(t, &good, TAG_CPU, 0, CPU_NINSN, 4, CPU_NINSNS + 1, "does not know");
	refuse_field(t, &good, TAG_CPU, 0, CPU_COUNTS, 8, ~0ull, "overflow");
	/* waiting, with the PSW of a halted vCPU (no wait bit) */
	refuse_field(t, &good, TAG_CPU, 0, CPU_STATE, 1, S390AP_CPU_WAIT, "cannot have");
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

/* A running vCPU with a PSW the CPU cannot have made is refused; the same
 * PSW set through the API (to be settled before it runs) is state. */
START_TEST(test_sysstate_bad_psw)
{
	s390ap_sys *r = sys_make(1, 0, 1u << 20), *t = sys_make(1, 0, 1u << 20);
	const s390ap_psw odd = { S390AP_PSW_EA | S390AP_PSW_BA, 0x10001 };
	const uint8_t loop[] = { 0xa7, 0xf4, 0x00, 0x00 }; /* BRC 15,* */
	struct img good;
	s390ap_stop why;

	ck_assert_int_eq(s390ap_sys_load(r, 0x10000, loop, sizeof(loop)), 0);
	ck_assert_int_eq(s390ap_sys_start(r, 0x10000), 0);
	good = img_save(r);
	ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), 0);
	refuse_field(t, &good, TAG_CPU, 0, CPU_ADDR, 8, 0x10001, "cannot have");
	refuse_field(t, &good, TAG_CPU, 0, CPU_MASK, 8, S390AP_PSW_EA, "cannot have");
	refuse_field(t, &good, TAG_CPU, 0, CPU_MASK, 8, S390AP_PSW_EA | S390AP_PSW_BA | 1ull << 63,
		     "cannot have");
	refuse_field(t, &good, TAG_CPU, 0, CPU_MASK, 8,
		     S390AP_PSW_EA | S390AP_PSW_BA | S390AP_PSW_WAIT, "cannot have");
	refuse_field(t, &good, TAG_CPU, 0, CPU_STATE, 1, S390AP_CPU_WAIT, "cannot have");
	free(good.p);
	/* 24-bit mode with an address past 16 MiB */
	ck_assert_int_eq(s390ap_cpu_set_psw(s390ap_sys_cpu(r, 0), &(s390ap_psw){ 0, 0x10000 }), 0);
	ck_assert_int_eq(s390ap_sys_run(r, 1, 0, &why), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(r, 0)), S390AP_CPU_RUNNING);
	good = img_save(r);
	ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), 0);
	refuse_field(t, &good, TAG_CPU, 0, CPU_ADDR, 8, 0x1000000, "cannot have");
	free(good.p);

	ck_assert_int_eq(s390ap_cpu_set_psw(s390ap_sys_cpu(r, 0), &odd), 0);
	good = img_save(r);
	ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), 0);
	ck_assert_int_eq(s390ap_sys_run(t, 0, 100000, &why), 0);
	ck_assert_uint_eq(s390ap_sys_pgm_count(t, S390AP_PGM_SPECIFICATION), 1);
	free(good.p);
	s390ap_sys_free(r);
	s390ap_sys_free(t);
}
END_TEST

START_TEST(test_sysstate_bad_sections)
{
	s390ap_sys *a = small_sys(), *t = sys_make(2, 300, 1u << 20);
	struct img good = img_save(a), bad;
	/* sections: 0 SYS, 1 SCHD, 2 CPU 0, 3 CPU 1, 4 MEM, 5 MACH */
	static const int missing_sched[] = { 0, 2, 3, 4, 5 };
	static const int swapped_cpus[] = { 0, 1, 3, 2, 4, 5 };
	static const int one_cpu[] = { 0, 1, 2, 4, 5 };
	static const int extra[] = { 0, 1, 2, 3, 4, 5, 5 };
	static const int no_mem[] = { 0, 1, 2, 3, 5 };
	static const int no_mach[] = { 0, 1, 2, 3, 4 };
	static const int mach_first[] = { 5, 0, 1, 2, 3, 4 };
	static const int sys_twice[] = { 0, 0, 1, 2, 3, 4, 5 };
	static const struct {
		const int *idx;
		unsigned n;
		const char *msg;
	} cases[] = {
		{ missing_sched, 5, "no SCHD" }, { swapped_cpus, 6, "index order" },
		{ one_cpu, 5, "fewer CPU" },     { extra, 7, "after the MACH" },
		{ no_mem, 5, "no MEM" },         { no_mach, 5, "no MACH" },
		{ mach_first, 6, "no SYS" },     { sys_twice, 7, "no SCHD" },
	};
	size_t off, len;

	ck_assert_uint_eq(img_nsecs(&good), 6);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		bad = img_rebuild(&good, cases[i].idx, cases[i].n);
		refused(t, &bad, cases[i].msg);
		free(bad.p);
	}
	/* an unknown tag in place of SYS */
	bad = img_copy(&good);
	be_put32(bad.p + SER_HDR_LEN, SER_TAG('S', 'Y', 'S', 'X'));
	img_fix_crc(&bad);
	refused(t, &bad, "no SYS");
	free(bad.p);

	/* a section one byte longer or shorter than its fields: rebuilt with
	 * an edited payload */
	for (int d = -1; d <= 1; d += 2) {
		struct ser_w w;
		void *p;
		struct img src = good;

		ser_w_init(&w, 1, SER_KIND_SYS);
		for (unsigned s = 0; s < 6; s++) {
			static const uint32_t tags[] = { TAG_SYS, TAG_SCHD, TAG_CPU,
							 TAG_CPU, TAG_MEM,  TAG_MACH };
			uint32_t tag = tags[s];
			size_t mark = ser_sec_begin(&w, tag);

			off = img_sec(&src, tag, s == 3 ? 1 : 0, &len);
			ser_put_bytes(&w, src.p + off, s == 1 ? len + (size_t)d : len);
			ser_sec_end(&w, mark);
		}
		ck_assert_int_eq(ser_w_finish(&w, &p, &bad.n), 0);
		bad.p = p;
		refused(t, &bad, "SCHD section has the wrong length");
		free(bad.p);
	}
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

/* Storage pages: inside storage, in order, none twice, none cut short. */
START_TEST(test_sysstate_bad_pages)
{
	const uint64_t size = 5 * 4096 + 100;
	s390ap_sys *a = sys_make(1, 0, size), *t = sys_make(1, 0, size);
	const uint8_t v = 1;
	struct img good, bad;
	static const struct {
		uint32_t first, second;
		size_t second_len;
		const char *msg;
	} cases[] = {
		{ 1, 1, 4096, "twice" },    { 3, 1, 4096, "out of order" },
		{ 1, 6, 4096, "outside" },  { 1, 0xFFFFFFFFu, 4096, "outside" },
		{ 1, 5, 101, "cut short" }, { 1, 3, 4095, "cut short" },
		{ 1, 3, 2, "cut short" },
	};

	ck_assert_int_eq(s390ap_sys_load(a, 4096, &v, 1), 0);
	good = img_save(a);
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ser_w w;
		void *p;
		uint8_t page[4096] = { 7 };
		size_t mark;

		ser_w_init(&w, 1, SER_KIND_SYS);
		for (unsigned s = 0; s < 3; s++) {
			static const uint32_t tags[] = { TAG_SYS, TAG_SCHD, TAG_CPU };
			size_t len, off = img_sec(&good, tags[s], 0, &len);

			mark = ser_sec_begin(&w, tags[s]);
			ser_put_bytes(&w, good.p + off, len);
			ser_sec_end(&w, mark);
		}
		mark = ser_sec_begin(&w, TAG_MEM);
		ser_put_u32(&w, cases[i].first);
		ser_put_bytes(&w, page, 4096);
		ser_put_u32(&w, cases[i].second);
		ser_put_bytes(&w, page, cases[i].second_len);
		ser_sec_end(&w, mark);
		{
			size_t len, off = img_sec(&good, TAG_MACH, 0, &len);

			mark = ser_sec_begin(&w, TAG_MACH);
			ser_put_bytes(&w, good.p + off, len);
			ser_sec_end(&w, mark);
		}
		ck_assert_int_eq(ser_w_finish(&w, &p, &bad.n), 0);
		bad.p = p;
		refused(t, &bad, cases[i].msg);
		free(bad.p);
	}
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

/* The machine refuses its part: the system is left as it was too (it is
 * put in place only after the machine took its image). */
START_TEST(test_sysstate_bad_machine)
{
	s390ap_sys *a = small_sys(), *t = small_sys();
	struct img good, bad;
	size_t off, len;
	s390ap_stop why;

	/* the target differs from the image: another cycle, another storage */
	ck_assert_int_eq(s390ap_sys_load(t, 0x30000, "x", 1), 0);
	ck_assert_int_eq(s390ap_sys_start(t, 0x10000), 0);
	ck_assert_int_eq(s390ap_sys_run(t, 0, 0, &why), 0);
	ck_assert_int_eq(s390ap_machine_advance(s390ap_sys_machine(t), 12345), 0);
	good = img_save(a);

	/* a bit of the machine's END CRC: the nested image fails its own CRC */
	bad = img_copy(&good);
	off = img_sec(&bad, TAG_MACH, 0, &len);
	bad.p[off + len - 1] ^= 1;
	img_fix_crc(&bad);
	refused(t, &bad, "machine");
	free(bad.p);
	/* a machine image of the wrong kind inside */
	bad = img_copy(&good);
	be_put16(bad.p + off + 10, SER_KIND_SYS);
	img_fix_crc(&bad);
	refused(t, &bad, "machine");
	free(bad.p);
	/* an empty MACH section */
	{
		struct ser_w w;
		void *p;

		ser_w_init(&w, 1, SER_KIND_SYS);
		for (unsigned s = 0; s < 6; s++) {
			static const uint32_t tags[] = { TAG_SYS, TAG_SCHD, TAG_CPU,
							 TAG_CPU, TAG_MEM,  TAG_MACH };
			size_t mark = ser_sec_begin(&w, tags[s]);

			off = img_sec(&good, tags[s], s == 3 ? 1 : 0, &len);
			if (s < 5)
				ser_put_bytes(&w, good.p + off, len);
			ser_sec_end(&w, mark);
		}
		ck_assert_int_eq(ser_w_finish(&w, &p, &bad.n), 0);
		bad.p = p;
		refused(t, &bad, "machine");
		free(bad.p);
	}
	/* and the good one still restores */
	ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), 0);
	sys_same(a, t);
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

static void count_trace(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
			const uint8_t *insn, unsigned ilen)
{
	(void)cpu, (void)cycle, (void)psw, (void)insn, (void)ilen;
	(*(unsigned *)ctx)++;
}

/* Hooks are the target's, not state: a restore keeps them. */
START_TEST(test_sysstate_hooks_stay)
{
	s390ap_sys *a = sys_make(1, 0, 1u << 20), *t;
	const uint8_t code[] = { 0xa7, 0x19, 0x00, 0x05, 0x83, 0x00, 0x00, 0x44 };
	unsigned n = 0;
	s390ap_sys_opts o = { .mem_size = 1u << 20, .trace = count_trace, .trace_ctx = &n };
	struct img ia;
	s390ap_stop why;

	ck_assert_int_eq(s390ap_sys_new(&t, &o), 0);
	ck_assert_int_eq(s390ap_sys_load(a, 0x10000, code, sizeof(code)), 0);
	ck_assert_int_eq(s390ap_sys_start(a, 0x10000), 0);
	ia = img_save(a);
	ck_assert_int_eq(s390ap_sys_restore(t, ia.p, ia.n), 0);
	ck_assert_int_eq(s390ap_sys_run(t, 0, 0, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_uint_eq(n, 2);
	ck_assert_x64(s390ap_cpu_gr(s390ap_sys_cpu(t, 0))[1], 5);
	free(ia.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

/* A borrowed machine is the system's machine: restored with it. */
START_TEST(test_sysstate_borrowed_machine)
{
	s390ap_sys *a = small_sys(), *t;
	s390ap_machine *m;
	s390ap_sys_opts o = { .mem_size = 1u << 20, .ncpus = 2 };
	struct img ia, it;

	ck_assert_int_eq(s390ap_machine_advance(s390ap_sys_machine(a), 777), 0);
	ck_assert_int_eq(s390ap_machine_new_default(&m, NULL), 0);
	o.machine = m;
	ck_assert_int_eq(s390ap_sys_new(&t, &o), 0);
	ia = img_save(a);
	ck_assert_int_eq(s390ap_sys_restore(t, ia.p, ia.n), 0);
	ck_assert_ptr_eq(s390ap_sys_machine(t), m);
	ck_assert_uint_eq(s390ap_machine_now(m), s390ap_sys_cycles(a));
	sys_same(a, t);
	it = img_save(t);
	img_same(&ia, &it);
	free(ia.p);
	free(it.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
	s390ap_machine_free(m);
}
END_TEST

/* Cut anywhere, a byte changed anywhere, another kind or version: the
 * container refuses it. */
START_TEST(test_sysstate_truncated_flipped)
{
	s390ap_sys *a = small_sys(), *t = sys_make(2, 300, 1u << 20);
	struct img good = img_save(a), bad;
	uint64_t seed = 0x5eed;

	for (size_t n = 0; n < good.n; n += n < 600 ? 1 : 509) {
		bad = (struct img){ good.p, n };
		ck_assert_int_eq(s390ap_sys_restore(t, bad.p, bad.n), S390AP_EINVAL);
	}
	for (unsigned i = 0; i < 300; i++) {
		size_t at = (size_t)(rnd(&seed) % good.n);
		uint8_t bit = (uint8_t)(1u << (rnd(&seed) & 7));

		good.p[at] ^= bit;
		ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), S390AP_EINVAL);
		good.p[at] ^= bit;
	}
	/* a machine image, a newer version */
	bad = img_copy(&good);
	be_put16(bad.p + 10, SER_KIND_MACHINE);
	refused(t, &bad, "other kind");
	be_put16(bad.p + 10, SER_KIND_SYS);
	be_put16(bad.p + 8, 2);
	refused(t, &bad, "version");
	free(bad.p);
	ck_assert_int_eq(s390ap_sys_restore(t, good.p, good.n), 0);
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

/* Values changed with the CRC made right again: refused, or accepted and
 * then the system runs; never a crash (the asan and valgrind runs). */
static unsigned mutations(s390ap_sys *t, const struct img *good, uint64_t seed, unsigned n)
{
	size_t mem_off = img_sec(good, TAG_MEM, 0, NULL);
	unsigned accepted = 0;

	for (unsigned i = 0; i < n; i++) {
		struct img bad = img_copy(good);
		unsigned nflip = 1 + (unsigned)(rnd(&seed) % 3);
		s390ap_stop why;

		for (unsigned k = 0; k < nflip; k++) {
			/* the sections before the storage: the header of each */
			size_t at = SER_HDR_LEN + (size_t)(rnd(&seed) % (mem_off - SER_HDR_LEN));

			bad.p[at] ^= (uint8_t)rnd(&seed) | 1;
		}
		img_fix_crc(&bad);
		if (s390ap_sys_restore(t, bad.p, bad.n) == 0) {
			accepted++;
			(void)s390ap_sys_run(t, 5000, s390ap_sys_cycles(t) + 20000, &why);
			ck_assert_int_eq(s390ap_sys_restore(t, good->p, good->n), 0);
		}
		free(bad.p);
	}
	return accepted;
}

START_TEST(test_sysstate_mutations_run)
{
	s390ap_sys *a = small_sys(), *t = sys_make(2, 300, 1u << 20);
	struct img good = img_save(a);

	/* most flips land in registers, counters and statistics */
	ck_assert_uint_gt(mutations(t, &good, 0xfeedface, 400), 50);
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

#ifdef S390AP_SYSSTATE_PROGRAMS
/* ------------------------------------------------------------------ */
/* Programs                                                            */
/* ------------------------------------------------------------------ */

static const struct program {
	const char *name;
	const unsigned char *elf;
	const size_t *len;
	bool gr9; /* takes its APQN in GR9 */
} programs[] = {
#define P_(n, g)                                                   \
	{                                                          \
#n, sysstate_##n##_elf, &sysstate_##n##_elf_len, g \
	}
	P_(tour, false), P_(irq, true),     P_(irq_mask, false), P_(nqdq, true),
	P_(spec, false), P_(ap_exc, false), P_(zapq, true),      P_(rapq, true),
	P_(aqic, true),  P_(qfull, true),   P_(tapq, true),
#undef P_
};

/* Usage domains of the default machine's cards (accelerator 03, CCA 04). */
static const uint16_t apqns[] = { 0x0306, 0x0307, 0x0347, 0x0406, 0x0407 };

struct mix {
	unsigned ncpus;
	uint64_t quantum;
	unsigned prog[4];
	uint16_t apqn[4];
};

static void mix_pick(struct mix *m, uint64_t *seed)
{
	m->ncpus = 1 + (unsigned)(rnd(seed) % 4);
	m->quantum = 20 + rnd(seed) % 3000;
	for (unsigned i = 0; i < 4; i++) {
		m->prog[i] = (unsigned)(rnd(seed) % ARRAY_SIZE(programs));
		m->apqn[i] = apqns[rnd(seed) % ARRAY_SIZE(apqns)];
	}
	/* the first vCPU runs a program with interruptions half the time */
	if (rnd(seed) & 1)
		m->prog[0] = (rnd(seed) & 1) ? 0 : 1;
}

/* Every program loaded at its own address; vCPU i runs m->prog[i] with a
 * lowcore of its own. */
static s390ap_sys *mix_build(const struct mix *m)
{
	s390ap_sys *sys = sys_make(m->ncpus, m->quantum, MEM_SIZE);
	uint64_t entry[ARRAY_SIZE(programs)];

	for (unsigned p = 0; p < ARRAY_SIZE(programs); p++)
		ck_assert_int_eq(s390ap_sys_load_elf(sys, programs[p].elf, *programs[p].len,
						     &entry[p]),
				 0);
	for (unsigned i = 0; i < m->ncpus; i++) {
		s390ap_cpu *c = s390ap_sys_cpu(sys, i);
		const s390ap_psw psw = { S390AP_PSW_EA | S390AP_PSW_BA, entry[m->prog[i]] };

		ck_assert_int_eq(s390ap_cpu_set_prefix(c, PREFIX_BASE + i * 0x2000u), 0);
		if (programs[m->prog[i]].gr9)
			s390ap_cpu_gr(c)[9] = m->apqn[i];
		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
	}
	return sys;
}

/* The driver: s390ap_sys_run in pieces cut by random instruction and
 * cycle limits; a vCPU that halts (the tour pauses with DIAG 0x44) is
 * resumed a few times.  Its state is copied with the system's. */
struct drv {
	uint64_t seed;
	unsigned steps;
	unsigned resumes[4];
};

struct step {
	int rc;
	s390ap_stop why;
	uint64_t cycles;
	bool more;
};

/* DIAG 0x44 right before the PSW address: a pause, to resume. */
static bool paused(s390ap_sys *sys, const s390ap_psw *psw)
{
	const uint8_t *mem = s390ap_mem_data(s390ap_sys_mem(sys));
	static const uint8_t diag44[] = { 0x83, 0x00, 0x00, 0x44 };

	return psw->addr >= 4 && psw->addr <= MEM_SIZE &&
	       memcmp(mem + psw->addr - 4, diag44, sizeof(diag44)) == 0;
}

/* Resume a paused vCPU; now and then one that ended too, which then runs
 * into whatever follows (program interruptions, a checkstop). */
static bool resume_one(s390ap_sys *sys, struct drv *d)
{
	bool any = (rnd(&d->seed) & 7) == 0;

	for (unsigned i = 0; i < s390ap_sys_ncpus(sys); i++) {
		s390ap_cpu *c = s390ap_sys_cpu(sys, i);
		s390ap_psw psw;

		if (s390ap_cpu_state_get(c) != S390AP_CPU_HALTED || d->resumes[i] >= MAX_RESUMES)
			continue;
		ck_assert_int_eq(s390ap_cpu_psw(c, &psw), 0);
		if (!any && !paused(sys, &psw))
			continue;
		d->resumes[i]++;
		ck_assert_int_eq(s390ap_cpu_set_psw(c, &psw), 0);
		return true;
	}
	return false;
}

static struct step drv_step(s390ap_sys *sys, struct drv *d)
{
	struct step s = { .why = (s390ap_stop)-1 };
	uint64_t now = s390ap_sys_cycles(sys), r = rnd(&d->seed);
	uint64_t max_insns = (r & 3) ? 1 + (r >> 8) % 300 : 0;
	uint64_t max_cycle = now + 1 + (r >> 24) % 8000;

	if (max_cycle > CYCLE_CAP)
		max_cycle = CYCLE_CAP;
	s.rc = s390ap_sys_run(sys, max_insns, max_cycle, &s.why);
	s.cycles = s390ap_sys_cycles(sys);
	s.more = s.rc == 0 && ++d->steps < MAX_STEPS && s.cycles < CYCLE_CAP;
	if (s.more && (s.why == S390AP_STOP_ALL_DONE || s.why == S390AP_STOP_IDLE))
		s.more = resume_one(sys, d);
	return s;
}

/* Continue a and b with the same driver to the end, step by step alike. */
static unsigned run_both(s390ap_sys *a, s390ap_sys *b, struct drv *da, struct drv *db)
{
	unsigned n = 0;

	for (;;) {
		struct step sa = drv_step(a, da), sb = drv_step(b, db);

		n++;
		ck_assert_int_eq(sa.rc, sb.rc);
		ck_assert_int_eq(sa.why, sb.why);
		ck_assert_uint_eq(sa.cycles, sb.cycles);
		ck_assert_int_eq(sa.more, sb.more);
		if (!sa.more)
			return n;
	}
}

/* A trace hook hashing who ran what at which cycle. */
struct trace_hash {
	uint64_t h, n;
};

static void hash_trace(void *ctx, const s390ap_cpu *cpu, uint64_t cycle, const s390ap_psw *psw,
		       const uint8_t *insn, unsigned ilen)
{
	struct trace_hash *t = ctx;
	uint64_t v = cycle ^ (uint64_t)s390ap_cpu_index(cpu) << 56 ^ psw->addr << 8 ^ psw->mask;

	(void)insn, (void)ilen;
	t->h = (t->h ^ v) * 0x100000001B3ull;
	t->n++;
}

/* One saved-and-restored run: a runs k driver steps, is saved, and b
 * (fresh, or used for another mix first) restores it; both go on to the
 * end and must agree on everything, and save to the same bytes. */
static void one_seed(uint64_t seed0)
{
	uint64_t seed = seed0 * 0x9E3779B97F4A7C15ull + 1;
	struct mix m, other;
	struct drv da = { 0 }, db, dt;
	struct img ia, ib;
	s390ap_sys *a, *b;
	unsigned k, mode = (unsigned)(seed0 % 3);
	/* with a trace hook slices end at every event; the hook is not state,
	 * both systems have their own */
	bool api, traced = (seed0 / 3) & 1;
	struct trace_hash ta = { 0 }, tb = { 0 };

	mix_pick(&m, &seed);
	da.seed = rnd(&seed) | 1;
	/* the save falls anywhere in the run: count its steps first */
	a = mix_build(&m);
	if (traced)
		ck_assert_int_eq(s390ap_sys_set_trace(a, hash_trace, &ta), 0);
	dt = da;
	for (k = 1; drv_step(a, &dt).more; k++)
		;
	s390ap_sys_free(a);
	k = (unsigned)(rnd(&seed) % k);
	a = mix_build(&m);
	if (traced)
		ck_assert_int_eq(s390ap_sys_set_trace(a, hash_trace, &ta), 0);
	dt = da;
	for (unsigned i = 0; i < k; i++)
		if (!drv_step(a, &da).more)
			break;
	/* sometimes an API change right before the save: it is state too */
	api = rnd(&seed) & 1;
	if (api)
		(void)resume_one(a, &da);
	ia = img_save(a);

	if (mode == 1) {
		/* a twin that ran the same: the restore must not change its
		 * future (caches, masks and the AP epoch rebuilt) */
		b = mix_build(&m);
		if (traced)
			ck_assert_int_eq(s390ap_sys_set_trace(b, hash_trace, &tb), 0);
		for (unsigned i = 0; i < k; i++)
			if (!drv_step(b, &dt).more)
				break;
		if (api)
			(void)resume_one(b, &dt);
	} else if (mode == 2) {
		/* a system that ran something else: caches and all overwritten */
		uint64_t s2 = seed ^ 0xabcdef;
		struct drv d2 = { .seed = s2 | 1 };

		mix_pick(&other, &s2);
		other.ncpus = m.ncpus;
		b = mix_build(&other);
		for (unsigned i = 0; i < 20 && drv_step(b, &d2).more; i++)
			;
	} else {
		/* fresh, with another quantum: the image's counts */
		b = sys_make(m.ncpus, m.quantum + 17, MEM_SIZE);
	}
	if (traced)
		ck_assert_int_eq(s390ap_sys_set_trace(b, hash_trace, &tb), 0);
	ck_assert_int_eq(s390ap_sys_restore(b, ia.p, ia.n), 0);
	ib = img_save(b);
	img_same(&ia, &ib);
	free(ib.p);
	sys_same(a, b);

	db = da;
	ta = tb = (struct trace_hash){ 0 };
	(void)run_both(a, b, &da, &db);
	sys_same(a, b);
	/* every instruction at the same cycle on the same vCPU */
	ck_assert_uint_eq(ta.n, tb.n);
	ck_assert_x64(ta.h, tb.h);
	free(ia.p);
	ia = img_save(a);
	ib = img_save(b);
	img_same(&ia, &ib);
	free(ia.p);
	free(ib.p);
	s390ap_sys_free(a);
	s390ap_sys_free(b);
}

/* The mutations again on a mix saved in the middle of its run: vCPUs
 * running, waiting, halted, with interruptions and replies pending. */
START_TEST(test_sysstate_mutations_programs)
{
	struct mix m = { 4, 300, { 0, 1, 2, 5 }, { 0x0306, 0x0347, 0x0307, 0x0406 } };
	s390ap_sys *a = mix_build(&m), *t = sys_make(4, 1000, MEM_SIZE);
	struct img good;
	s390ap_stop why;

	/* until the irq program waits for its reply */
	for (unsigned i = 0;
	     i < 100000 && s390ap_cpu_state_get(s390ap_sys_cpu(a, 1)) != S390AP_CPU_WAIT; i++)
		ck_assert_int_eq(s390ap_sys_run(a, 1, 0, &why), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(a, 1)), S390AP_CPU_WAIT);
	ck_assert_uint_ne(s390ap_machine_next_event(s390ap_sys_machine(a)), S390AP_NO_EVENT);
	good = img_save(a);
	ck_assert_uint_gt(mutations(t, &good, 0xc0ffee, 300), 50);
	free(good.p);
	s390ap_sys_free(a);
	s390ap_sys_free(t);
}
END_TEST

START_TEST(test_sysstate_random_runs)
{
	one_seed((uint64_t)_i);
}
END_TEST

/* After a run with programs: the image restores to the same bytes, and a
 * save with nothing run in between is the same. */
START_TEST(test_sysstate_programs_round_trip)
{
	struct mix m = { 4, 400, { 0, 1, 5, 9 }, { 0x0306, 0x0307, 0x0347, 0x0406 } };
	s390ap_sys *a = mix_build(&m), *b = sys_make(4, 1000, MEM_SIZE);
	struct drv d = { .seed = 77 };
	struct img ia, ia2, ib;

	for (unsigned i = 0; i < 30 && drv_step(a, &d).more; i++)
		;
	ia = img_save(a);
	ia2 = img_save(a);
	img_same(&ia, &ia2);
	ck_assert_int_eq(s390ap_sys_restore(b, ia.p, ia.n), 0);
	ib = img_save(b);
	img_same(&ia, &ib);
	sys_same(a, b);
	free(ia.p);
	free(ia2.p);
	free(ib.p);
	s390ap_sys_free(a);
	s390ap_sys_free(b);
}
END_TEST
#endif

static Suite *sysstate_suite(void)
{
	Suite *s = suite_create("sysstate");
	TCase *tc = tcase_create("sysstate");

	tcase_add_test(tc, test_sysstate_idle_round_trip);
	tcase_add_test(tc, test_sysstate_storage_pages);
	tcase_add_test(tc, test_sysstate_cpu_fields);
	tcase_add_test(tc, test_sysstate_config_mismatch);
	tcase_add_test(tc, test_sysstate_api_errors);
	tcase_add_test(tc, test_sysstate_bad_fields);
	tcase_add_test(tc, test_sysstate_bad_psw);
	tcase_add_test(tc, test_sysstate_bad_sections);
	tcase_add_test(tc, test_sysstate_bad_pages);
	tcase_add_test(tc, test_sysstate_bad_machine);
	tcase_add_test(tc, test_sysstate_hooks_stay);
	tcase_add_test(tc, test_sysstate_borrowed_machine);
	tcase_add_test(tc, test_sysstate_truncated_flipped);
	tcase_add_test(tc, test_sysstate_mutations_run);
#ifdef S390AP_SYSSTATE_PROGRAMS
	tcase_add_test(tc, test_sysstate_programs_round_trip);
	tcase_add_test(tc, test_sysstate_mutations_programs);
	tcase_add_loop_test(tc, test_sysstate_random_runs, 0, 48);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(sysstate_suite());
}
