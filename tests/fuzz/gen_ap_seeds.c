/* SPDX-License-Identifier: MIT */
/* Writes the seed corpus of the ap fuzz target (fuzz_ap.c, whose header
 * comment defines the bytecode):
 *
 *   fuzz_ap_gen DIR      (the tree's seeds: tests/fuzz/corpus/ap)
 *   fuzz_ap_gen -r DIR   (regression inputs named after the findings they
 *                         keep fixed: tests/fuzz/regress/ap)
 *
 * Each seed is one of the flows the test programs and scenarios run
 * (tests/test_pqap.c, the scenarios in tests/scenarios): TAPQ polling, an RSA-1024
 * request and its reply, NQAP in parts and CPU-determined pieces, DQAP into
 * a short buffer, AQIC with a NIB, QCI, resets, the faults, a restricted
 * view, the CCA domain check, SE binding, 24-bit wrapping.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct seed {
	uint8_t b[4096];
	size_t n;
};

static void put(struct seed *s, unsigned v)
{
	if (s->n < sizeof(s->b))
		s->b[s->n++] = (uint8_t)v;
}

static void put64(struct seed *s, uint64_t v)
{
	for (int i = 7; i >= 0; i--)
		put(s, (unsigned)(v >> (8 * i)) & 0xff);
}

/* Queues by candidate selector (header below): adapters 03 (CEX8 accel),
 * 04 (CEX8 CCA), 05 (CEX7 EP11), then 10 (absent); domains 06, 07, 47,
 * then 0c (absent). */
#define ACC 0x00
#define ACC7 0x01
#define ACC47 0x02
#define CCA 0x08
#define EP11 0x10
#define NOAD 0x18
#define NODOM 0x03

/* raw selectors */
static void addr(struct seed *s, uint64_t a)
{
	put(s, 0xf0);
	put64(s, a);
}

static void len(struct seed *s, uint64_t l)
{
	put(s, 0xf0);
	put64(s, l);
}

static void val(struct seed *s, uint64_t v)
{
	put(s, 0xf0);
	put64(s, v);
}

/* The default machine of s390ap_machine_new_default, with option bytes for
 * the facilities to drop, cpu_determined, the reset and interruption delays
 * (header bytes: 0 = default) and the accelerator's latency byte. */
static void header_x(struct seed *s, unsigned fac_drop, unsigned cpu_det, unsigned reset,
		     unsigned irq, unsigned acc_latency)
{
	s->n = 0;
	put(s, fac_drop >> 8);
	put(s, fac_drop & 0xff);
	put(s, 0); /* na */
	put(s, 0); /* nd */
	put(s, cpu_det);
	put(s, reset);
	put(s, irq);
	put(s, 0); /* assoc */
	put(s, 2); /* 3 adapters */
	put(s, 2); /* 3 domains */
	/* apid type mode domains ml depth latency facb */
	const uint8_t ad[3][8] = {
		{ 0x03, 4, 0, 0, 0, 0, (uint8_t)acc_latency, 0 },
		{ 0x04, 4, 1, 0, 0, 0, 0, 0 },
		{ 0x05, 3, 2, 0, 0, 0, 0, 0 },
	};
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 8; j++)
			put(s, ad[i][j]);
	put(s, 0x06);
	put(s, 3);
	put(s, 0x07);
	put(s, 3);
	put(s, 0x47);
	put(s, 3);
	/* view: no masks, every facility */
	for (int i = 0; i < 6; i++)
		put(s, 0);
}

static void header(struct seed *s, unsigned fac_drop, unsigned cpu_det)
{
	header_x(s, fac_drop, cpu_det, 0, 0, 0);
}

#define DEFAULT_DROP 0x300 /* APSB and RC8A, as s390ap_machine_new */

static void pqap(struct seed *s, unsigned fc, unsigned flags, unsigned q, uint64_t g1, uint64_t g2)
{
	put(s, 0);
	put(s, fc);
	put(s, flags);
	put(s, q);
	val(s, g1);
	val(s, g2);
}

static void tapq(struct seed *s, unsigned q)
{
	pqap(s, 0, 0x30, q, 0, 0);
}

static void nqap(struct seed *s, unsigned q, unsigned flags, unsigned psmid, uint64_t a, uint64_t l)
{
	put(s, 2);
	put(s, 0);
	put(s, flags);
	put(s, q);
	put(s, psmid);
	addr(s, a);
	len(s, l);
}

static void dqap(struct seed *s, unsigned q, unsigned flags, uint64_t a, uint64_t l)
{
	put(s, 4);
	put(s, 0);
	put(s, flags);
	put(s, q);
	addr(s, a);
	len(s, l);
}

static void clock_next(struct seed *s)
{
	put(s, 6);
	put(s, 0xff);
}

static void advance(struct seed *s, unsigned sel)
{
	put(s, 6);
	put(s, sel);
}

static void fault(struct seed *s, unsigned kind, unsigned q)
{
	put(s, 7);
	put(s, kind);
	put(s, q);
}

static void msg(struct seed *s, unsigned tmpl, uint64_t a, unsigned param)
{
	put(s, 11);
	put(s, tmpl);
	addr(s, a);
	put(s, param);
}

static void poll(struct seed *s, unsigned q)
{
	put(s, 15);
	put(s, q);
}

static void ctx(struct seed *s, unsigned b)
{
	put(s, 8);
	put(s, b);
}

static void view(struct seed *s, unsigned flags, unsigned apm, unsigned aqm, unsigned adm,
		 unsigned drop)
{
	put(s, 9);
	put(s, flags);
	put(s, apm);
	put(s, aqm);
	put(s, adm);
	put(s, drop >> 8);
	put(s, drop & 0xff);
}

static void raw(struct seed *s, unsigned op, unsigned r1r2)
{
	put(s, 12);
	put(s, op);
	put(s, r1r2);
}

/* 24-bit mode: a 16-byte type 50 header stored across the top of 16 MiB
 * (0xFFFFF8, wrapping to 0), then NQAP of it, which must wrap too. */
static void wrap24_nqap(struct seed *s)
{
	header(s, DEFAULT_DROP, 0);
	ctx(s, 0x30);
	put(s, 10);
	addr(s, 0xFFFFF8);
	put(s, 8);
	for (int i = 0; i < 8; i++)
		put(s, i == 1 ? 0x50 : 0);
	put(s, 10);
	addr(s, 0);
	put(s, 8);
	for (int i = 0; i < 8; i++)
		put(s, i == 3 ? 0x10 : 0);
	nqap(s, ACC, 0, 0xa1, 0xFFFFF8, 16);
}

#define AQIC_ON 0x0000800000000003ull /* IR, ISC 3 */

static int write_seed(const char *dir, const char *name, const struct seed *s);

/* ext inputs (fac_drop bit 15): the access callback, host resets and the
 * asynchronous engine, through FAULT kinds 13, 14 and 15. */
#define EXT_DROP (DEFAULT_DROP | 0x8000)

/* Arm an access exception (stores only, or every access) on [a, a + 2^l2). */
static void acc_fault(struct seed *s, unsigned q, int stores_only, uint64_t a, unsigned l2,
		      unsigned pgm_sel, unsigned flags, unsigned eai, unsigned ending,
		      uint64_t teid)
{
	fault(s, 13, q);
	put(s, stores_only ? 2 : 1);
	addr(s, a);
	put(s, l2);
	put(s, pgm_sel);
	put(s, flags);
	put(s, eai);
	put(s, ending);
	val(s, teid);
}

static void acc_off(struct seed *s)
{
	fault(s, 13, 0);
	put(s, 0);
}

static void acc_key_asc(struct seed *s, unsigned key, unsigned asc)
{
	fault(s, 13, 0);
	put(s, 3);
	put(s, key);
	put(s, asc);
}

static void host_reset(struct seed *s, unsigned q, unsigned b)
{
	fault(s, 14, q);
	put(s, b);
}

static void async_op(struct seed *s, unsigned q, unsigned b, unsigned idx, unsigned l,
		     unsigned seed)
{
	fault(s, 15, q);
	put(s, b);
	put(s, idx);
	put(s, l);
	put(s, seed);
}

/* pgm selectors of the ACCESS op */
#define SEL_PROTECTION 1
#define SEL_SEGMENT 3
#define SEL_PAGE 4
#define SEL_ASCE 12

static void ext_seeds(const char *dir, int *rc)
{
	struct seed s;

	/* QCI against the access callback: page translation (nullified),
	 * protection with a TEID, an ending the callback chooses, a key and
	 * an address space, then a clean store */
	header(&s, EXT_DROP, 0);
	acc_key_asc(&s, 5, 2);
	acc_fault(&s, 0, 1, 0x800, 4, SEL_PAGE, 0x01, 0, 0, 0x0000000000000800ull);
	pqap(&s, 4, 0, 0, 0, 0x800);
	acc_fault(&s, 0, 1, 0x840, 2, SEL_PROTECTION, 0x03, 2, 0, 0x0000000000000804ull);
	pqap(&s, 4, 0, 0, 0, 0x800);
	acc_fault(&s, 0, 0, 0x800, 8, SEL_ASCE, 0x03, 2, 2, 0x1234);
	pqap(&s, 4, 0, 0, 0, 0x800);
	acc_off(&s);
	pqap(&s, 4, 0, 0, 0, 0x800);
	*rc |= write_seed(dir, "ext_access_qci", &s);

	/* NQAP and DQAP operands: a segment-translation exception on the
	 * message, protection on the reply buffer, then both succeed */
	header(&s, EXT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	acc_fault(&s, 0, 0, 0x1100, 8, SEL_SEGMENT, 0x01, 0, 0, 0x1100);
	nqap(&s, ACC, 0, 0x61, 0x1000, 0x190);
	acc_off(&s);
	nqap(&s, ACC, 0, 0x61, 0x1000, 0x190);
	clock_next(&s);
	acc_fault(&s, 0, 1, 0x4000, 12, SEL_PROTECTION, 0x01, 0, 0, 0x4004);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	acc_off(&s);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	*rc |= write_seed(dir, "ext_access_nqdq", &s);

	/* 24-bit DQAP across the top of 16 MiB with the wrapped piece (at 0)
	 * protected: the probe sees it before anything is stored */
	header(&s, EXT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0x62, 0x1000, 0x190);
	clock_next(&s);
	ctx(&s, 0x30);
	acc_fault(&s, 0, 1, 0, 4, SEL_PROTECTION, 0, 0, 0, 0);
	dqap(&s, ACC, 0, 0xFFFFF8, 0x1000);
	acc_off(&s);
	dqap(&s, ACC, 0, 0xFFFFF8, 0x1000);
	*rc |= write_seed(dir, "ext_access_wrap24", &s);

	/* host resets: one queue (zeroize), the machine (system, clear, an
	 * unknown kind), with requests, an AQIC change and replies about */
	header(&s, EXT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900);
	nqap(&s, ACC, 0, 0x71, 0x1000, 0x190);
	nqap(&s, ACC7, 0, 0x72, 0x1000, 0x190);
	host_reset(&s, ACC, 0x03);
	tapq(&s, ACC);
	tapq(&s, ACC7);
	host_reset(&s, ACC, 0x00);
	tapq(&s, ACC7);
	nqap(&s, ACC, 0, 0x73, 0x1000, 0x190);
	host_reset(&s, ACC, 0x02);
	host_reset(&s, ACC, 0x06);
	clock_next(&s);
	poll(&s, ACC);
	*rc |= write_seed(dir, "ext_host_reset", &s);

	/* the asynchronous engine: two requests left pending, DQAP finds
	 * nothing, completions with a valid, a stale, a bogus and a foreign
	 * token, a NULL reply, an empty and an oversized reply */
	header(&s, EXT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	async_op(&s, ACC, 0x08, 0, 0, 0);
	nqap(&s, ACC, 0, 0x81, 0x1000, 0x190);
	nqap(&s, ACC, 0, 0x82, 0x1000, 0x190);
	nqap(&s, ACC, 0, 0x83, 0x1000, 0x190);
	tapq(&s, ACC);
	clock_next(&s);
	clock_next(&s);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	async_op(&s, ACC, 1, 0, 0x40, 0x11);
	tapq(&s, ACC);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	async_op(&s, ACC, 3, 0, 0x40, 0x22);
	async_op(&s, ACC, 4, 3, 0x40, 0x33);
	async_op(&s, ACC7, 5, 0, 0x40, 0x44);
	async_op(&s, ACC, 6, 0, 0x40, 0x55);
	async_op(&s, ACC, 0x08, 0, 0, 0);
	nqap(&s, ACC, 0, 0x84, 0x1000, 0x190);
	async_op(&s, ACC, 1, 0, 0, 0);
	async_op(&s, ACC, 2, 0, 0xff, 0x66);
	poll(&s, ACC);
	*rc |= write_seed(dir, "ext_async", &s);

	/* a pending request that a fault loses, one that a reset drops, and
	 * one an interruption announces */
	header(&s, EXT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900);
	advance(&s, 0x10);
	fault(&s, 10, ACC);
	async_op(&s, ACC, 0x10, 0, 0, 0);
	nqap(&s, ACC, 0, 0x91, 0x1000, 0x190);
	nqap(&s, ACC, 0, 0x92, 0x1000, 0x190);
	nqap(&s, ACC7, 0, 0x93, 0x1000, 0x190);
	async_op(&s, ACC, 1, 1, 0x20, 0x77);
	host_reset(&s, ACC7, 0x01);
	async_op(&s, ACC7, 3, 0, 0x20, 0x88);
	async_op(&s, ACC, 1, 0, 0x20, 0x99);
	put(&s, 14);
	put(&s, 3);
	poll(&s, ACC);
	*rc |= write_seed(dir, "ext_async_lost", &s);
}

static int write_seed(const char *dir, const char *name, const struct seed *s)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(s->b, 1, s->n, f) != s->n || fclose(f) != 0) {
		fprintf(stderr, "gen_ap_seeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The regression inputs: one per finding of docs/fuzzing.md's table that
 * this format can express, each failing on the code before its fix. */
static int write_regress(const char *dir)
{
	struct seed s;
	int rc = 0;

	/* AQIC toggled with a long interruption delay (8 * 255 cycles): one
	 * change in flight per queue, so the opposite request is busy (0x05)
	 * and the same one 0x07; a ZAPQ flushes the change in flight, which
	 * holds the slot until it falls due (resets take 16 cycles) */
	header_x(&s, DEFAULT_DROP, 0, 1, 0xff, 0);
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900);
	pqap(&s, 3, 0, ACC, 0, 0);           /* 0x05 */
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900); /* 0x07 */
	for (unsigned i = 0; i < 4; i++) {
		advance(&s, 0x04);                   /* 256 cycles */
		pqap(&s, 3, 0, ACC, 0, 0);           /* 0x05 */
		pqap(&s, 3, 0, ACC, AQIC_ON, 0x900); /* 0x07 */
	}
	advance(&s, 0x21);                   /* the change lands */
	pqap(&s, 3, 0, ACC, 0, 0);           /* 0 */
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900); /* 0x05 */
	pqap(&s, 2, 0, ACC, 0, 0);           /* ZAPQ: flushed in flight */
	advance(&s, 0x01);                   /* the reset ends */
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900); /* the stale one: 0x05 */
	pqap(&s, 3, 0, ACC, 0, 0);           /* 0x07 */
	advance(&s, 0x21);                   /* the stale one falls due */
	pqap(&s, 3, 0, ACC, AQIC_ON, 0x900); /* 0 */
	tapq(&s, ACC);
	rc |= write_seed(dir, "aqic-toggle-long-irq-delay", &s);

	/* NQAP with R1 = R2 = 4: a specification exception (before the fix
	 * the address and length in GR4/GR5 were taken as the PSMID too) */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	put(&s, 2);
	put(&s, 0x44);
	put(&s, 0);
	put(&s, ACC);
	put(&s, 0x12);
	addr(&s, 0x1000);
	len(&s, 0x190);
	nqap(&s, ACC, 0, 0x13, 0x1000, 0x190);
	clock_next(&s);
	poll(&s, ACC);
	rc |= write_seed(dir, "nqap-r1-eq-r2", &s);

	/* DQAP with R1 = R2 = 8 and a reply ready: a specification exception
	 * (before the fix the reply was stored and the PSMID then overwrote the
	 * advanced address) */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0x21, 0x1000, 0x190);
	clock_next(&s);
	put(&s, 4);
	put(&s, 0x88);
	put(&s, 0);
	put(&s, ACC);
	addr(&s, 0x4000);
	len(&s, 0x1000);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	rc |= write_seed(dir, "dqap-r1-eq-r2", &s);

	/* An injected delay of 2^62 with the clock near the top: latency +
	 * delay + now saturates at the last cycle before "no event" (was: a
	 * wrap to an early reply, or an event time that read as none) */
	header(&s, DEFAULT_DROP, 0);
	put(&s, 6);
	put(&s, 0xf0);
	put64(&s, UINT64_MAX - (1ull << 40) - 0x10000);
	msg(&s, 0, 0x1000, 0);
	put(&s, 7);
	put(&s, 9);
	put(&s, ACC);
	val(&s, UINT64_MAX / 4);
	nqap(&s, ACC, 0, 0x31, 0x1000, 0x190);
	tapq(&s, ACC);
	clock_next(&s);                   /* past the cap: stays */
	advance(&s, 0xc1);                /* 64 Ki cycles, to the cap */
	dqap(&s, ACC, 0, 0x4000, 0x1000); /* no reply yet: 0x10, E = 0 */
	rc |= write_seed(dir, "delay-reply-saturates", &s);

	/* The machine-wide memory cap (s390ap_machine_set_mem_limit): an NQAP
	 * that could pass it ends cc 3 RC 0x10 and changes nothing; lifted, the
	 * same request goes */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	put(&s, 7);
	put(&s, 12);
	put(&s, ACC);
	val(&s, 0x100);                        /* 16 KiB */
	nqap(&s, ACC, 1, 0x41, 0x1000, 0x100); /* a first part */
	nqap(&s, ACC, 0, 0x41, 0x1100, 0x90);  /* the rest */
	nqap(&s, ACC, 0, 0x42, 0x1000, 0x190); /* past the cap: 0x10 */
	put(&s, 7);
	put(&s, 12);
	put(&s, ACC);
	put(&s, 0x08);                          /* 512 bytes */
	nqap(&s, ACC7, 1, 0x44, 0x1000, 0x100); /* held > cap: even a part is 0x10 */
	put(&s, 7);
	put(&s, 12);
	put(&s, ACC);
	put(&s, 0x00); /* lifted */
	nqap(&s, ACC, 0, 0x45, 0x1000, 0x190);
	clock_next(&s);
	poll(&s, ACC);
	rc |= write_seed(dir, "mem-cap-nqap", &s);

	/* 24-bit mode: a 16-byte NQAP at 0xFFFFF8 wraps to 0, and the 8-byte
	 * error reply stored at 0xFFFFFC wraps too (two accesses each) */
	wrap24_nqap(&s);
	clock_next(&s);
	dqap(&s, ACC, 0, 0xFFFFFC, 0x100);
	rc |= write_seed(dir, "wrap-24bit-nqap", &s);

	/* A reset loop with a request in process each time and a long latency
	 * (4 * 255^2 cycles): every loop leaves a stale reply event; past the
	 * 64 event slots they are dropped instead of growing the table */
	header_x(&s, DEFAULT_DROP, 0, 1, 0, 0xff);
	msg(&s, 0, 0x1000, 0);
	for (unsigned i = 0; i < 80; i++) {
		nqap(&s, ACC, 0, i, 0x1000, 0x190);
		pqap(&s, 1, 0, ACC, 0, 0); /* RAPQ, 16 cycles */
		advance(&s, 0x01);         /* 64 cycles */
	}
	rc |= write_seed(dir, "reset-loop-stale-events", &s);

	/* ext: an access callback reporting 0x0008, which is no access
	 * exception, on the QCI block: suppressed (it was "completed") */
	header(&s, EXT_DROP, 0);
	fault(&s, 13, 0);
	put(&s, 2); /* stores */
	addr(&s, 0x800);
	put(&s, 4);
	put(&s, 0xf0); /* a raw code ... */
	put(&s, 0x00);
	put(&s, 0x08); /* ... 0x0008 */
	put(&s, 0);
	put(&s, 0);
	put(&s, 0); /* the library's ending */
	val(&s, 0);
	pqap(&s, 4, 0, 0, 0, 0x800);
	rc |= write_seed(dir, "access-code-0008-suppressed", &s);
	return rc;
}

int main(int argc, char **argv)
{
	struct seed s;
	const char *dir;
	int rc = 0;

	if (argc == 3 && strcmp(argv[1], "-r") == 0)
		return write_regress(argv[2]) ? 1 : 0;
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR | -r REGRESS_DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];

	/* TAPQ on every queue, with and without T, and on queues that are not there */
	header(&s, DEFAULT_DROP, 0);
	tapq(&s, ACC);
	tapq(&s, CCA);
	tapq(&s, EP11);
	tapq(&s, ACC47);
	pqap(&s, 0, 0x31, ACC, 0, 0);
	pqap(&s, 0, 0x31, CCA, 0, 0);
	tapq(&s, NOAD);
	tapq(&s, NODOM);
	pqap(&s, 0, 0x07, ACC, 0, 0); /* reserved bits: specification */
	rc |= write_seed(dir, "tapq", &s);

	/* RSA-1024 ME on the accelerator: NQAP, DQAP before and after the reply */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0x12, 0x1000, 0x190);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	tapq(&s, ACC);
	clock_next(&s);
	tapq(&s, ACC);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	rc |= write_seed(dir, "rsa_me_1024", &s);

	/* a full queue: 8 requests, the ninth RC 0x10, then a poll */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 3, 0x1000, 0x20);
	for (unsigned i = 0; i < 9; i++)
		nqap(&s, ACC, 0, i + 1, 0x1000, 0x190);
	advance(&s, 0xbf);
	poll(&s, ACC);
	rc |= write_seed(dir, "qfull", &s);

	/* NQAP in two parts, a part with another PSMID abandoning it, then
	 * DQAP into a 16-byte buffer piece by piece */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 1, 0x21, 0x1000, 0x100);
	tapq(&s, ACC);
	nqap(&s, ACC, 0, 0x21, 0x1100, 0x90);
	nqap(&s, ACC, 1, 0x22, 0x1000, 0x100);
	nqap(&s, ACC, 1, 0x23, 0x1000, 0x100);
	nqap(&s, ACC, 0, 0x22, 0x1100, 0x90);
	clock_next(&s);
	clock_next(&s);
	dqap(&s, ACC, 0, 0x4000, 16);
	dqap(&s, ACC, 1, 0x4010, 16);
	dqap(&s, ACC, 0, 0x4000, 16);
	dqap(&s, ACC, 1, 0x4010, 0x1000);
	dqap(&s, ACC, 1, 0x4010, 0x1000);
	rc |= write_seed(dir, "nq_parts", &s);

	/* CPU-determined amount of 64 bytes: cc 2 on NQAP and DQAP, re-executed */
	header(&s, DEFAULT_DROP, 1);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0x31, 0x1000, 0x190);
	for (unsigned i = 0; i < 7; i++)
		raw(&s, 1, 0xac);
	clock_next(&s);
	clock_next(&s);
	dqap(&s, ACC, 0, 0x4000, 0x1000);
	for (unsigned i = 0; i < 3; i++)
		raw(&s, 2, 0x68);
	rc |= write_seed(dir, "cpu_determined", &s);

	/* AQIC: enable with a NIB, a reply raises the ISC, ack, disable */
	header(&s, DEFAULT_DROP, 0);
	pqap(&s, 3, 0, ACC, 0x0000800000000003ull, 0x900);
	tapq(&s, ACC);
	advance(&s, 0x10);
	tapq(&s, ACC);
	pqap(&s, 3, 0, ACC, 0x0000800000000003ull, 0x900); /* 0x07 */
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0x41, 0x1000, 0x190);
	clock_next(&s);
	clock_next(&s);
	put(&s, 14);
	put(&s, 3);
	poll(&s, ACC);
	pqap(&s, 3, 0, ACC, 0, 0);
	pqap(&s, 3, 0, ACC, 0x0000800000000001ull, 0); /* NIB 0: 0x06 */
	advance(&s, 0x10);
	pqap(&s, 3, 0, ACC, 0x0000800000000001ull, 0x30000); /* outside: 0x06 */
	rc |= write_seed(dir, "aqic", &s);

	/* QCI in the LPAR view and in a restricted one; QACT */
	header(&s, DEFAULT_DROP, 0);
	pqap(&s, 4, 0, 0, 0, 0x800);
	pqap(&s, 4, 0, 0, 0, 0x804);  /* not aligned */
	pqap(&s, 4, 0, 0, 0, 0xFFF8); /* outside */
	view(&s, 1, 0x03, 0x05, 0x01, 0);
	pqap(&s, 4, 0, 0, 0, 0x800);
	pqap(&s, 5, 0, ACC, 0x0E000000, 0);
	pqap(&s, 5, 0, CCA, 0x3F000000, 0);
	rc |= write_seed(dir, "qci_qact", &s);

	/* A restricted view: adapters 03 and 04, domain 06 only */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, EP11, 0, 0x51, 0x1000, 0x190);
	nqap(&s, ACC7, 0, 0x52, 0x1000, 0x190);
	view(&s, 1, 0x03, 0x01, 0x01, 0);
	tapq(&s, EP11);
	tapq(&s, ACC7);
	tapq(&s, ACC);
	nqap(&s, EP11, 0, 0x53, 0x1000, 0x190);
	clock_next(&s);
	clock_next(&s);
	dqap(&s, EP11, 0, 0x4000, 0x1000);
	dqap(&s, ACC7, 0, 0x4000, 0x4000); /* 16 KiB: over 12 KiB outside the view */
	pqap(&s, 1, 0, EP11, 0, 0);
	rc |= write_seed(dir, "view", &s);

	/* RAPQ and ZAPQ with requests in flight; TAPQ during the reset */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0x61, 0x1000, 0x190);
	nqap(&s, ACC, 0, 0x62, 0x1000, 0x190);
	pqap(&s, 1, 0, ACC, 0, 0);
	tapq(&s, ACC);
	nqap(&s, ACC, 0, 0x63, 0x1000, 0x190);
	advance(&s, 0x40);
	tapq(&s, ACC);
	nqap(&s, ACC, 0, 0x64, 0x1000, 0x190);
	pqap(&s, 2, 2, ACC, 0, 0);
	clock_next(&s);
	poll(&s, ACC);
	rc |= write_seed(dir, "rapq_zapq", &s);

	/* Faults: lose, delay, busy, checkstop, configure, removal */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	fault(&s, 10, ACC); /* lose the next reply */
	nqap(&s, ACC, 0, 0x71, 0x1000, 0x190);
	put(&s, 7);
	put(&s, 9);
	put(&s, ACC);
	put(&s, 0x40); /* delay 64 * 256 */
	nqap(&s, ACC, 0, 0x72, 0x1000, 0x190);
	put(&s, 7);
	put(&s, 8);
	put(&s, CCA);
	put(&s, 0x40); /* busy */
	tapq(&s, CCA);
	clock_next(&s);
	tapq(&s, ACC);
	poll(&s, ACC);
	advance(&s, 0xbf);
	poll(&s, ACC);
	nqap(&s, EP11, 0, 0x73, 0x1000, 0x190);
	fault(&s, 0, EP11); /* checkstop */
	tapq(&s, EP11);
	fault(&s, 1, EP11);
	fault(&s, 2, ACC); /* deconfigure */
	tapq(&s, ACC);
	fault(&s, 3, ACC);
	nqap(&s, ACC, 0, 0x74, 0x1000, 0x190);
	fault(&s, 4, ACC); /* remove */
	tapq(&s, ACC);
	fault(&s, 5, ACC); /* add again */
	put(&s, 0);
	put(&s, 4);
	put(&s, 0);
	put(&s, 0);
	put(&s, 0);
	put(&s, 4);
	put(&s, 10);
	put(&s, 0);
	tapq(&s, ACC);
	fault(&s, 7, ACC7); /* remove domain 07 */
	tapq(&s, ACC7);
	fault(&s, 6, ACC7); /* add it again */
	put(&s, 1);
	tapq(&s, ACC7);
	rc |= write_seed(dir, "faults", &s);

	/* CCA requests: own domain, a control domain, a foreign one (0x42) */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 1, 0x2000, 0x06);
	nqap(&s, CCA, 0, 0x81, 0x2000, 0x140);
	msg(&s, 1, 0x2000, 0x47);
	nqap(&s, CCA, 0, 0x82, 0x2000, 0x140);
	msg(&s, 1, 0x2000, 0x99);
	nqap(&s, CCA, 0, 0x83, 0x2000, 0x140);
	msg(&s, 2, 0x3000, 0);
	nqap(&s, EP11, 0, 0x84, 0x3000, 0x80);
	clock_next(&s);
	clock_next(&s);
	clock_next(&s);
	poll(&s, CCA);
	poll(&s, EP11);
	rc |= write_seed(dir, "cca_domain", &s);

	/* Secure Execution: bind and associate an EP11 queue, a failing one */
	header(&s, 0, 0);
	view(&s, 2, 0, 0, 0, 0);
	tapq(&s, EP11);
	pqap(&s, 0, 0x31, EP11, 0, 0);
	msg(&s, 2, 0x3000, 0);
	nqap(&s, EP11, 0, 0x91, 0x3000, 0x80); /* 0x0B: not bound */
	pqap(&s, 7, 0, EP11, 0, 0);            /* BAPQ */
	pqap(&s, 8, 0, EP11, 0, 5);            /* AAPQ */
	pqap(&s, 8, 0, EP11, 0, 5);            /* 0x0A */
	clock_next(&s);
	nqap(&s, EP11, 0, 0x92, 0x3000, 0x80);
	pqap(&s, 7, 0, ACC, 0, 0);
	put(&s, 7);
	put(&s, 11);
	put(&s, ACC47);
	put(&s, 0x90); /* fail assoc 0x36 */
	pqap(&s, 7, 0, ACC47, 0, 0);
	pqap(&s, 7, 0, EP11 | 2, 0, 0);
	pqap(&s, 8, 0, EP11 | 2, 0, 0x10000);
	put(&s, 7);
	put(&s, 11);
	put(&s, EP11 | 2);
	put(&s, 0x90);
	pqap(&s, 8, 0, EP11 | 2, 0, 1);
	clock_next(&s);
	clock_next(&s);
	tapq(&s, EP11 | 2);
	pqap(&s, 1, 2, EP11 | 2, 0, 0);
	tapq(&s, EP11 | 2);
	poll(&s, EP11);
	rc |= write_seed(dir, "se_bind", &s);

	/* 24-bit mode: a message and a buffer that wrap past 16 MiB */
	wrap24_nqap(&s);
	nqap(&s, ACC, 0, 0xa2, 0x7FFFF8, 16); /* outside: addressing */
	clock_next(&s);
	dqap(&s, ACC, 0, 0xFFFFFC, 0x100);
	pqap(&s, 4, 0, 0, 0, 0xFFFFC0); /* QCI wraps */
	ctx(&s, 0x20);                  /* 31-bit */
	nqap(&s, ACC, 0, 0xa3, 0x7FFFFFF8ull | 0xFF00000000000000ull, 16);
	clock_next(&s);
	dqap(&s, ACC, 0, 0x7FFFFFF0, 0x100);
	rc |= write_seed(dir, "amode_wrap", &s);

	/* Problem state, no AP facility, bad register numbers, bad amode */
	header(&s, DEFAULT_DROP, 0);
	ctx(&s, 0x0f);
	tapq(&s, ACC);
	ctx(&s, 0);
	view(&s, 0, 0, 0, 0, 1);
	tapq(&s, ACC);
	view(&s, 4, 0, 0, 0, 0);
	raw(&s, 1, 0x00);
	raw(&s, 1, 0x2c);
	raw(&s, 2, 0x6a);
	raw(&s, 2, 0x88);
	raw(&s, 3, 0x00);
	ctx(&s, 0xff);
	tapq(&s, ACC);
	rc |= write_seed(dir, "exceptions", &s);

	/* A reply in transfer when the queue is flushed (reset, checkstop):
	 * a continuation afterwards finds no transfer (0x13) */
	header(&s, DEFAULT_DROP, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, ACC, 0, 0xb1, 0x1000, 0x190);
	nqap(&s, ACC, 0, 0xb2, 0x1000, 0x190);
	clock_next(&s);
	clock_next(&s);
	dqap(&s, ACC, 0, 0x4000, 16);
	pqap(&s, 1, 0x20, ACC, 0, 0); /* RAPQ, GR2 kept */
	advance(&s, 0x40);
	dqap(&s, ACC, 1, 0x4010, 16);
	nqap(&s, ACC, 0, 0xb3, 0x1000, 0x190);
	clock_next(&s);
	dqap(&s, ACC, 0, 0x4000, 16);
	fault(&s, 0, ACC);
	fault(&s, 1, ACC);
	dqap(&s, ACC, 1, 0x4010, 16);
	nqap(&s, ACC, 0, 0xb4, 0x1000, 0x190);
	clock_next(&s);
	dqap(&s, ACC, 1, 0x4010, 16);
	poll(&s, ACC);
	rc |= write_seed(dir, "dq_flush", &s);

	/* A small machine without APXA, small depth and ML, short latencies */
	s.n = 0;
	put(&s, 0x03);
	put(&s, 0x20); /* drop APSB RC8A APXA */
	put(&s, 0x08);
	put(&s, 0x08);
	put(&s, 0x02);
	put(&s, 0x01);
	put(&s, 0x01);
	put(&s, 0x01);
	put(&s, 1);
	put(&s, 1);
	{
		const uint8_t ad[2][8] = {
			{ 0x01, 0, 0, 4, 4, 2, 3, 0 },
			{ 0x02, 2, 1, 0, 0x0f, 1, 5, 0x81 },
		};
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 8; j++)
				put(&s, ad[i][j]);
	}
	put(&s, 0x01);
	put(&s, 1);
	put(&s, 0x02);
	put(&s, 2);
	for (int i = 0; i < 6; i++)
		put(&s, 0);
	msg(&s, 0, 0x1000, 0);
	nqap(&s, 0x00, 0, 1, 0x1000, 0x190);
	nqap(&s, 0x00, 0, 2, 0x1000, 0x190);
	nqap(&s, 0x00, 0, 3, 0x1000, 0x190);
	nqap(&s, 0x08, 0, 4, 0x1000, 0x190);
	tapq(&s, 0x00);
	clock_next(&s);
	poll(&s, 0x00);
	pqap(&s, 0, 0x30, 0x00, 0, 0);
	rc |= write_seed(dir, "small_machine", &s);

	ext_seeds(dir, &rc);
	return rc ? 1 : 0;
}
