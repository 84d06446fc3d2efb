/* SPDX-License-Identifier: MIT */
/* apbench — host baselines: for each workload, a minimal C loop doing only
 * the host work one operation needs, timed in the same process as the
 * emulated run.  The ratio between the two (vs_baseline) says how much the
 * emulation costs over doing the same thing natively.
 *
 * The compiler must not delete or fold these loops: an empty asm statement
 * that "changes" a value (KEEP) or "reads memory" (CLOBBER) keeps every
 * iteration without adding instructions.  `__asm__` is accepted in strict
 * C11 by GCC and Clang.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>

#include "bench.h"

#define KEEP(x) __asm__ __volatile__("" : "+r"(x))
#define CLOBBER(p) __asm__ __volatile__("" : : "r"(p) : "memory")

/* W1: a counted loop with one add, the host image of AHI + BRCT. */
uint64_t baseline_w1(uint64_t ops)
{
	uint64_t acc = 0, t0 = bench_now_ns();

	for (uint64_t i = ops; i != 0; i--) {
		acc++;
		KEEP(acc);
	}
	KEEP(acc);
	return bench_now_ns() - t0;
}

/* W2: what TAPQ has to compute: the APM and AQM bit tests (MSB-first
 * 32-byte masks) and the status word and GR2 information it stores. */
uint64_t baseline_w2(uint64_t ops)
{
	uint8_t apm[32] = { 0 }, aqm[32] = { 0 };
	uint64_t sink = 0, apqn = 0x0306, t0;

	apm[0x03 >> 3] |= (uint8_t)(0x80u >> (0x03 & 7));
	aqm[0x06 >> 3] |= (uint8_t)(0x80u >> (0x06 & 7));
	CLOBBER(apm);
	CLOBBER(aqm);
	t0 = bench_now_ns();
	for (uint64_t i = ops; i != 0; i--) {
		unsigned apid, apqi, ok;
		uint64_t gr1, gr2;

		KEEP(apqn); /* a fresh GR0 every time */
		apid = (unsigned)(apqn >> 8) & 0xff;
		apqi = (unsigned)apqn & 0xff;
		ok = (apm[apid >> 3] >> (7 - (apid & 7))) & 1;
		ok &= aqm[apqi >> 3] >> (7 - (apqi & 7));
		gr1 = ok ? 0x80000000u /* E, RC 0 */ : 0x00010000u /* RC 1 */;
		gr2 = ok ? (uint64_t)14 << 24 | 84u << 16 | 3u << 8 | 7u : 0;
		sink ^= gr1 ^ gr2;
		KEEP(sink);
	}
	KEEP(sink);
	return bench_now_ns() - t0;
}

/* W3: the bytes of one request / reply trip: 4 KiB into the queue, 4 KiB
 * back out. */
uint64_t baseline_w3(uint64_t ops)
{
	static unsigned char req[4096], queue[4096], rep[4096];
	uint64_t t0;

	for (unsigned i = 0; i < sizeof(req); i++)
		req[i] = (unsigned char)(i * 7 + 1);
	t0 = bench_now_ns();
	for (uint64_t i = ops; i != 0; i--) {
		CLOBBER(req);
		memcpy(queue, req, sizeof(queue));
		CLOBBER(queue);
		memcpy(rep, queue, sizeof(rep));
		CLOBBER(rep);
	}
	return bench_now_ns() - t0;
}

/* W4: one AQIC: test the request against the state (RC 0x07 if equal),
 * test the NIB address, flip the state. */
uint64_t baseline_w4(uint64_t ops)
{
	uint64_t state = 0, nib = 0x30000, bad = 0, t0 = bench_now_ns();

	for (uint64_t i = ops; i != 0; i--) {
		uint64_t want = ~(i ^ ops) & 1; /* enable, disable, enable, ... */

		KEEP(nib);
		if (want == state || (want && nib == 0))
			bad++;
		else
			state = want;
		KEEP(state);
	}
	KEEP(bad);
	return bench_now_ns() - t0;
}

/* W5: the modular exponentiation itself, as the crypto engine does it
 * (src/engine/rsa.c): BN_mod_exp with the exponent flagged
 * BN_FLG_CONSTTIME (the engine cannot tell a public exponent from a
 * private one), the same operands, one BN_CTX for all of them.  Parsing
 * the request and writing the reply are the emulation's share, not the
 * baseline's.  Returns 0 (an impossible time) when OpenSSL fails or the
 * result is wrong, which apbench reports as a failed baseline. */
uint64_t baseline_w5(uint64_t ops)
{
	unsigned char out[sizeof(w5_result)];
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *n, *m, *e, *r;
	uint64_t t0, t1 = 0;
	bool ok;

	if (!ctx)
		return 0;
	BN_CTX_start(ctx);
	n = BN_CTX_get(ctx);
	m = BN_CTX_get(ctx);
	e = BN_CTX_get(ctx);
	r = BN_CTX_get(ctx);
	ok = r && BN_bin2bn(w5_modulus, (int)sizeof(w5_modulus), n) &&
	     BN_bin2bn(w5_message, (int)sizeof(w5_message), m) && BN_set_word(e, 65537);
	if (ok) {
		BN_set_flags(e, BN_FLG_CONSTTIME);
		t0 = bench_now_ns();
		for (uint64_t i = ops; ok && i != 0; i--) {
			ok = BN_mod_exp(r, m, e, n, ctx) == 1;
			CLOBBER(r);
		}
		t1 = bench_now_ns() - t0;
	}
	ok = ok && BN_bn2binpad(r, out, (int)sizeof(out)) == (int)sizeof(out) &&
	     memcmp(out, w5_result, sizeof(out)) == 0;
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return ok ? t1 : 0;
}

/* W6: TAPQ in a guest with APIE: W2's work, with the APQN tested against
 * the guest's view (the CRYCB's APM and AQM) before the machine's. */
static uint64_t view_tapq_loop(uint64_t ops, const uint8_t *vapm, const uint8_t *vaqm)
{
	uint8_t capm[32], caqm[32], apm[32] = { 0 }, aqm[32] = { 0 };
	uint64_t sink = 0, apqn = 0x0306, t0;

	memcpy(capm, vapm, 32);
	memcpy(caqm, vaqm, 32);
	apm[0x03 >> 3] = (uint8_t)(0x80u >> (0x03 & 7));
	aqm[0x06 >> 3] = (uint8_t)(0x80u >> (0x06 & 7));
	CLOBBER(capm);
	CLOBBER(caqm);
	CLOBBER(apm);
	CLOBBER(aqm);
	t0 = bench_now_ns();
	for (uint64_t i = ops; i != 0; i--) {
		unsigned apid, apqi, ok;
		uint64_t gr1, gr2;

		KEEP(apqn);
		apid = (unsigned)(apqn >> 8) & 0xff;
		apqi = (unsigned)apqn & 0xff;
		ok = (capm[apid >> 3] >> (7 - (apid & 7))) & 1; /* the view */
		ok &= caqm[apqi >> 3] >> (7 - (apqi & 7));
		ok &= apm[apid >> 3] >> (7 - (apid & 7)); /* the machine */
		ok &= aqm[apqi >> 3] >> (7 - (apqi & 7));
		gr1 = ok ? 0x80000000u : 0x00010000u;
		gr2 = ok ? (uint64_t)14 << 24 | 84u << 16 | 3u << 8 | 7u : 0;
		sink ^= gr1 ^ gr2;
		KEEP(sink);
	}
	KEEP(sink);
	return bench_now_ns() - t0;
}

uint64_t baseline_w6(uint64_t ops)
{
	uint8_t vapm[32] = { 0 }, vaqm[32] = { 0 };

	vapm[0x03 >> 3] = (uint8_t)(0x80u >> (0x03 & 7));
	vaqm[0x06 >> 3] = (uint8_t)(0x80u >> (0x06 & 7));
	return view_tapq_loop(ops, vapm, vaqm);
}

/* W10: TAPQ in a guest-3: the view is the shadow's, guest-3's masks ANDed
 * with guest-2's once, before the loop; each TAPQ then does W6's work. */
uint64_t baseline_w10(uint64_t ops)
{
	uint8_t g2[2][32] = { { 0 } }, g3[2][32] = { { 0 } }, sh[2][32];

	g2[0][0x03 >> 3] = g3[0][0x03 >> 3] = (uint8_t)(0x80u >> (0x03 & 7));
	g2[1][0x06 >> 3] = g3[1][0x06 >> 3] = (uint8_t)(0x80u >> (0x06 & 7));
	CLOBBER(g2);
	CLOBBER(g3);
	for (unsigned m = 0; m < 2; m++)
		for (unsigned i = 0; i < 32; i++)
			sh[m][i] = g2[m][i] & g3[m][i];
	return view_tapq_loop(ops, sh[0], sh[1]);
}

/* W7 and W8: an interception round trip done natively.  The "guest" state
 * (16 GRs, the PSW, the interception code and instruction) is stored into
 * a control block, a handler is called through a function pointer the
 * compiler cannot see through, and the state is loaded back: SIE exit,
 * host handler, SIE entry, with the handler's own work and nothing of an
 * emulated CPU. */
struct icpt_block {
	uint64_t gr[16];
	uint64_t psw_mask, psw_addr;
	uint16_t ipa;
	uint32_t ipb;
	uint64_t state; /* W7: the queue's interruption state */
};

typedef int (*icpt_handler)(struct icpt_block *b);

/* W7's handler: decode PQAP and its function code, check the NIB on an
 * enable, flip the state, store the status word (W4's baseline work). */
static int handle_aqic(struct icpt_block *b)
{
	uint64_t want = b->gr[1] >> 47 & 1;

	if (b->ipa != 0xB2AF || (b->gr[0] >> 24 & 0xff) != 3)
		return -1;
	if (want == b->state || (want && b->gr[2] == 0)) {
		b->gr[1] = (b->gr[1] & ~0xffffffffull) | 0x00070000u;
		b->psw_mask |= 3ull << 44;
		return 0;
	}
	b->state = want;
	b->gr[1] &= ~0xffffffffull;
	b->psw_mask &= ~(3ull << 44);
	return 0;
}

/* W8's handler: decode DIAG and its code, nothing to do for 0x9C. */
static int handle_diag(struct icpt_block *b)
{
	unsigned base = b->ipb >> 28;
	uint64_t code = ((base ? b->gr[base] : 0) + (b->ipb >> 16 & 0xfff)) & 0xffff;

	return (b->ipa >> 8) == 0x83 && code == 0x9C ? 0 : -1;
}

static uint64_t icpt_loop(uint64_t ops, icpt_handler fn, uint16_t ipa, uint32_t ipb)
{
	struct icpt_block b;
	uint64_t gr[16] = { 0 }, mask = 0x0000000180000000ull, addr = 0x10000, bad = 0, t0;

	memset(&b, 0, sizeof(b));
	gr[0] = 3u << 24 | 0x0306;
	gr[2] = 0x30000;
	CLOBBER(gr);
	t0 = bench_now_ns();
	for (uint64_t i = ops; i != 0; i--) {
		gr[1] = (~(i ^ ops) & 1) << 47 | 3; /* enable, disable, ... */
		memcpy(b.gr, gr, sizeof(gr));       /* exit: the state into the block */
		b.psw_mask = mask;
		b.psw_addr = addr;
		b.ipa = ipa;
		b.ipb = ipb;
		KEEP(fn);
		bad += fn(&b) != 0;
		CLOBBER(&b);
		memcpy(gr, b.gr, sizeof(gr)); /* entry: the state back */
		mask = b.psw_mask;
		addr = b.psw_addr + 4;
		CLOBBER(gr);
	}
	KEEP(bad);
	KEEP(addr);
	return bad ? 0 : bench_now_ns() - t0;
}

uint64_t baseline_w7(uint64_t ops)
{
	return icpt_loop(ops, handle_aqic, 0xB2AF, 0);
}

uint64_t baseline_w8(uint64_t ops)
{
	return icpt_loop(ops, handle_diag, 0x8300, 0x009C0000u);
}

/* W11: one SIE round trip of a guest-3, natively.  Guest-3's exit stores
 * its state into the shadow block and the host copies it on into guest-3's
 * block (guest-2's storage); guest-2's handler, called through a pointer,
 * checks the interception and sets guest-3's PSW back; guest-2's SIE
 * copies guest-3's block into the shadow again and compares the inputs of
 * the shadow CRYCB (the 128 bytes of guest-3's APCB1 and guest-2's
 * controls) with the ones it was built from, as a shadow cache does. */
struct w11_block {
	uint64_t gr[16];
	uint64_t psw_mask, psw_addr;
	uint16_t ipa;
	uint32_t ipb;
	uint8_t icptcode;
};

typedef int (*w11_handler)(struct w11_block *b, uint64_t entry);

static int w11_guest2(struct w11_block *b, uint64_t entry)
{
	if (b->icptcode != 4 || (b->ipa >> 8) != 0x83)
		return -1;
	b->psw_addr = entry;
	return 0;
}

uint64_t baseline_w11(uint64_t ops)
{
	struct w11_block shadow, g3;
	uint8_t g3_apcb[128] = { 0 }, kept[128];
	uint64_t bad = 0, rebuilt = 0, key = 0x0000000001000000ull, kept_key, t0;
	w11_handler fn = w11_guest2;

	memset(&shadow, 0, sizeof(shadow));
	memset(&g3, 0, sizeof(g3));
	g3.psw_mask = 0x0000000180000000ull;
	g3.psw_addr = 0x10000;
	g3_apcb[0] = 0x10;
	memcpy(kept, g3_apcb, sizeof(kept));
	kept_key = key;
	CLOBBER(g3_apcb);
	t0 = bench_now_ns();
	for (uint64_t i = ops; i != 0; i--) {
		/* guest-2's SIE: the shadow from guest-3's block */
		memcpy(shadow.gr, g3.gr, sizeof(g3.gr));
		shadow.psw_mask = g3.psw_mask;
		shadow.psw_addr = g3.psw_addr;
		KEEP(key);
		if (key != kept_key || memcmp(kept, g3_apcb, sizeof(kept)) != 0) {
			memcpy(kept, g3_apcb, sizeof(kept));
			kept_key = key;
			rebuilt++;
		}
		/* guest-3's DIAG: the exit into the shadow, then into guest-3's block */
		shadow.icptcode = 4;
		shadow.ipa = 0x8300;
		shadow.ipb = 0x009C0000u;
		shadow.psw_addr += 4;
		CLOBBER(&shadow);
		g3.icptcode = shadow.icptcode;
		g3.ipa = shadow.ipa;
		g3.ipb = shadow.ipb;
		g3.psw_mask = shadow.psw_mask;
		g3.psw_addr = shadow.psw_addr;
		memcpy(g3.gr, shadow.gr, sizeof(g3.gr));
		/* guest-2 goes on: its handler, its loop */
		KEEP(fn);
		bad += fn(&g3, 0x10000) != 0;
		CLOBBER(&g3);
	}
	KEEP(bad);
	KEEP(rebuilt);
	return bad ? 0 : bench_now_ns() - t0;
}

/* W9: what a configuration change needs at the least, done natively: the
 * configuration's APM bit flipped, then for each of n mdevs its guest
 * masks recomputed (assigned AND configuration, 3 x 32 bytes), compared
 * with the ones it has, and on a change a 256-byte CRYCB image built and
 * written to the guest's control block. */
struct w9_mdev {
	uint8_t apm[32], aqm[32], adm[32]; /* assigned */
	uint8_t guest[3][32];
	uint8_t crycb[256];
};

static uint64_t w9_loop(uint64_t ops, unsigned n)
{
	struct w9_mdev *md = calloc(n, sizeof(*md));
	uint8_t capm[32] = { 0 }, caqm[32] = { 0 }, cadm[32] = { 0 };
	uint64_t writes = 0, t0;

	if (!md)
		return 0;
	for (unsigned a = 0; a < 4; a++)
		capm[0] |= (uint8_t)(0x80u >> a);
	for (unsigned i = 0; i < n; i++) {
		caqm[i >> 3] = cadm[i >> 3] |= (uint8_t)(0x80u >> (i & 7));
		md[i].apm[0] = capm[0];
		md[i].aqm[i >> 3] = md[i].adm[i >> 3] = (uint8_t)(0x80u >> (i & 7));
		memcpy(md[i].guest[0], md[i].apm, 32);
		memcpy(md[i].guest[1], md[i].aqm, 32);
		memcpy(md[i].guest[2], md[i].adm, 32);
	}
	CLOBBER(md);
	t0 = bench_now_ns();
	for (uint64_t k = ops; k != 0; k--) {
		capm[0] ^= 0x80u >> 3; /* adapter 3 out, then back in */
		CLOBBER(capm);
		for (unsigned i = 0; i < n; i++) {
			struct w9_mdev *d = &md[i];
			uint8_t g[3][32];

			for (unsigned b = 0; b < 32; b++) {
				g[0][b] = d->apm[b] & capm[b];
				g[1][b] = d->aqm[b] & caqm[b];
				g[2][b] = d->adm[b] & cadm[b];
			}
			if (memcmp(g, d->guest, sizeof(g)) == 0)
				continue;
			memcpy(d->guest, g, sizeof(g));
			memset(d->crycb, 0, sizeof(d->crycb));
			memcpy(d->crycb + 0x80, g, sizeof(g)); /* APCB1's masks */
			writes++;
		}
		CLOBBER(md);
	}
	KEEP(writes);
	t0 = bench_now_ns() - t0;
	free(md);
	return writes == ops * n ? t0 : 0;
}

uint64_t baseline_w9n1(uint64_t ops)
{
	return w9_loop(ops, 1);
}

uint64_t baseline_w9n16(uint64_t ops)
{
	return w9_loop(ops, 16);
}

uint64_t baseline_w9n64(uint64_t ops)
{
	return w9_loop(ops, 64);
}

uint64_t baseline_w9(uint64_t ops)
{
	return w9_loop(ops, 256);
}
