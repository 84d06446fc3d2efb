/* SPDX-License-Identifier: MIT */
/* The shadow cache: it keeps a shadow CRYCB only while a new build would
 * write the same bytes.  Two hosts run the same sequence, one with the
 * cache and one with vsie_no_cache; after every SIE of guest-2 the shadow
 * SCB and CRYCB, guest-3's SCB and the registers must be the same. */
#include "vsie_test.h"

#define APQN_G3 0x0406u /* granted to guest-2 by vsie_grant */

/* Guest-3's SCB and the APQN of its TAPQ, as the sequence has them. */
struct g3_state {
	struct g3_cfg cfg;
	uint16_t apqn;
};

struct pair {
	struct env e[2]; /* [0] with the cache, [1] without */
	struct g3_state g;
	unsigned sies;
};

static void pair_open(struct pair *p, unsigned fmt_h)
{
	const s390ap_kvm_opts ko[2] = {
		{ S390AP_SIZED(s390ap_kvm_opts) },
		{ S390AP_SIZED(s390ap_kvm_opts), .vsie_no_cache = true },
	};

	for (unsigned i = 0; i < 2; i++) {
		vsie_open_ko(&p->e[i], fmt_h, true, fmt_h != S390AP_CRYCB_FORMAT0, &ko[i]);
		g3_crycb_put(&p->e[i], G3_CRYCB);
		g3_load(&p->e[i], sie_one_ap_bin, sie_one_ap_bin_len);
	}
	p->g = (struct g3_state){
		.cfg = { .eca = S390AP_ECA_APIE, .crycbd = G3_CRYCB | fmt_h },
		.apqn = APQN_GRANTED,
	};
	p->sies = 0;
}

static void pair_close(struct pair *p)
{
	for (unsigned i = 0; i < 2; i++)
		env_close(&p->e[i]);
}

/* Guest-2 issues SIE once (guest-3 from its entry: TAPQ on g.apqn) in both
 * hosts; everything guest-2 or the host can see must be equal. */
static void pair_sie(struct pair *p)
{
	const uint64_t gr[9] = { gr0_fc(S390AP_FC_TAPQ, p->g.apqn) };
	struct vsie_counts n[2];

	for (unsigned i = 0; i < 2; i++) {
		g3_scb_put(&p->e[i], &p->g.cfg);
		g2_run_r14(&p->e[i], gr, SEL_PQAP);
		n[i] = vsie_counts_get(&p->e[i]);
	}
	p->sies++;
	ck_assert_msg(memcmp(shadow_scb(&p->e[0]), shadow_scb(&p->e[1]), S390AP_SCB_SIZE) == 0,
		      "shadow SCB differs after SIE %u", p->sies);
	ck_assert_msg(memcmp(shadow_crycb(&p->e[0]), shadow_crycb(&p->e[1]), S390AP_CRYCB_SIZE) ==
			      0,
		      "shadow CRYCB differs after SIE %u", p->sies);
	ck_assert_msg(memcmp(g3_scb(&p->e[0]), g3_scb(&p->e[1]), S390AP_SCB_SIZE) == 0,
		      "guest-3's SCB differs after SIE %u", p->sies);
	for (unsigned r = 0; r < 16; r++)
		ck_assert_uint_eq(s390ap_vcpu_gr(p->e[0].v, r), s390ap_vcpu_gr(p->e[1].v, r));
	ck_assert_uint_eq(n[0].entries, n[1].entries);
	ck_assert_uint_eq(n[0].exits, n[1].exits);
	ck_assert_uint_eq(n[0].validity, n[1].validity);
	ck_assert_uint_eq(n[1].hits, 0);
}

/* Guest-2 stores one byte of guest-3's CRYCB (an absolute address in its
 * storage) in both hosts. */
static void pair_poke(struct pair *p, uint64_t a, uint8_t b)
{
	for (unsigned i = 0; i < 2; i++)
		ck_assert_int_eq(s390ap_vm_write(p->e[i].vm, a, &b, 1), 0);
}

/* A crypto attribute in both hosts: the same answer from both. */
static void pair_attr(struct pair *p, unsigned attr)
{
	int rc0 = s390ap_vm_set_attr(p->e[0].vm, S390AP_VM_CRYPTO, attr);
	int rc1 = s390ap_vm_set_attr(p->e[1].vm, S390AP_VM_CRYPTO, attr);

	ck_assert_int_eq(rc0, rc1);
}

static void pair_grant(struct pair *p, const unsigned *apids, size_t na, const unsigned *apqis,
		       size_t nq)
{
	for (unsigned i = 0; i < 2; i++)
		grant(&p->e[i], apids, na, apqis, nq);
}

static bool apm_bit(const uint8_t *crycb, unsigned apid)
{
	return (crycb[S390AP_CRYCB_APCB1_APM + apid / 8] & (0x80u >> (apid % 8))) != 0;
}

/* Which inputs make the cache build again: guest-3's CRYCB bytes that
 * were read, the host's masks, the key-wrapping controls; bytes that were
 * not read do not. */
START_TEST(test_vsie_cache_keys)
{
	struct pair p;
	struct vsie_counts n;
	uint8_t *sh;

	pair_open(&p, S390AP_CRYCB_FORMAT2);
	pair_sie(&p);
	n = vsie_counts_get(&p.e[0]);
	ck_assert_uint_eq(n.builds, 1);
	ck_assert_uint_eq(n.hits, 0);
	pair_sie(&p);
	n = vsie_counts_get(&p.e[0]);
	ck_assert_uint_eq(n.builds, 1);
	ck_assert_uint_eq(n.hits, 1);
	ck_assert_uint_eq(vsie_counts_get(&p.e[1]).builds, 2);
	sh = shadow_crycb(&p.e[0]);
	ck_assert(apm_bit(sh, 3));
	ck_assert(!apm_bit(sh, 4)); /* guest-3's CRYCB lacks APID 4 */
	ck_assert(apm_bit(sh, G2_APID_HIGH));

	/* guest-2 takes APID 3 from guest-3 (APCB1 is read): a new build */
	pair_poke(&p, G3_CRYCB + S390AP_CRYCB_APCB1_APM, 0xEF);
	pair_sie(&p);
	n = vsie_counts_get(&p.e[0]);
	ck_assert_uint_eq(n.builds, 2);
	ck_assert(!apm_bit(shadow_crycb(&p.e[0]), 3));
	ck_assert(apm_bit(shadow_crycb(&p.e[0]), G2_APID_HIGH));

	/* APCB0 is not read over a format-2 guest-2 with format 2 */
	pair_poke(&p, G3_CRYCB + S390AP_CRYCB_APCB0_APM, 0x00);
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).hits, 2);

	/* the host changes guest-2's masks */
	{
		const unsigned apids[] = { 3, 5 }, apqis[] = { 6 };

		pair_grant(&p, apids, 2, apqis, 1);
	}
	pair_sie(&p);
	n = vsie_counts_get(&p.e[0]);
	ck_assert_uint_eq(n.builds, 3);
	ck_assert(!apm_bit(shadow_crycb(&p.e[0]), G2_APID_HIGH));
	ck_assert(apm_bit(shadow_crycb(&p.e[0]), 5));

	/* AES key wrapping for guest-2 and guest-3: the masks are read */
	pair_attr(&p, S390AP_VM_CRYPTO_ENABLE_AES_KW);
	p.g.cfg.ecb3 = S390AP_ECB3_AES;
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).builds, 4);
	ck_assert_uint_eq(shadow_scb(&p.e[0])[S390AP_SCB_ECB3], S390AP_ECB3_AES);
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).hits, 3);
	pair_poke(&p, G3_CRYCB + S390AP_CRYCB_WK_AES + 5, 0x00);
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).builds, 5);

	/* guest-3's SCB bits that the shadowing uses */
	p.g.cfg.ecb3 = 0;
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).builds, 6);
	ck_assert_uint_eq(shadow_scb(&p.e[0])[S390AP_SCB_ECB3], 0);
	p.g.cfg.eca = 0;
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).builds, 7);
	ck_assert_uint_eq(be_get32(shadow_scb(&p.e[0]) + S390AP_SCB_ECA) & S390AP_ECA_APIE, 0);
	pair_close(&p);
}
END_TEST

/* Guest-3's decoded instructions kept beside guest-2's (the cache's
 * spare): a store into guest-3's code between two SIEs reaches them.
 * Guest-3 is LGHI 5,imm; DIAG 0x9C, and GR5 comes back to guest-2. */
START_TEST(test_vsie_cache_code_written)
{
	struct pair p;

	pair_open(&p, S390AP_CRYCB_FORMAT2);
	for (unsigned round = 0; round < 4; round++) {
		const uint8_t code[8] = { 0xA7, 0x59, 0x12, (uint8_t)(0x30 + round),
					  0x83, 0x00, 0x00, 0x9C };

		for (unsigned i = 0; i < 2; i++)
			g3_load(&p.e[i], code, sizeof(code));
		pair_sie(&p);
		pair_sie(&p);
		ck_assert_uint_eq(g3_scb(&p.e[0])[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
		ck_assert_uint_eq(be_get32(g3_scb(&p.e[0]) + S390AP_SCB_IPB), 0x009C0000u);
		ck_assert_uint_eq(s390ap_vcpu_gr(p.e[0].v, 5), 0x1230u + round);
	}
	pair_close(&p);
}
END_TEST

/* A validity leaves no shadow to keep: the next good SIE builds again. */
START_TEST(test_vsie_cache_validity)
{
	struct pair p;

	pair_open(&p, S390AP_CRYCB_FORMAT2);
	pair_sie(&p);
	p.g.cfg.crycbd = 0 | S390AP_CRYCB_FORMAT2; /* zero origin */
	pair_sie(&p);
	expect_validity(&p.e[0], S390AP_VALIDITY_IPA, S390AP_VALIDITY_CRYCB_ZERO);
	p.g.cfg.crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2;
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).builds, 3);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).hits, 0);
	/* a validity before the crypto shadowing leaves the shadow CRYCB as
	 * it was, and the cache keeps it */
	p.g.cfg.mso = 0x200000;
	p.g.cfg.msl = 0x100000;
	pair_sie(&p);
	expect_validity(&p.e[0], S390AP_VALIDITY_IPA, S390AP_VALIDITY_MSO_MSL);
	p.g.cfg.mso = p.g.cfg.msl = 0;
	pair_sie(&p);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).hits, 1);
	pair_close(&p);
}
END_TEST

static const unsigned fmts_h[] = { S390AP_CRYCB_FORMAT0, S390AP_CRYCB_FORMAT1,
				   S390AP_CRYCB_FORMAT2 };

/* A written sequence over every guest-2 format: guest-3's format, origin
 * and controls switching, its CRYCB written between SIEs, the host's
 * masks and attributes changing. */
START_TEST(test_vsie_cache_sequence)
{
	static const unsigned attrs[] = {
		S390AP_VM_CRYPTO_ENABLE_AES_KW,  S390AP_VM_CRYPTO_ENABLE_DEA_KW,
		S390AP_VM_CRYPTO_DISABLE_AES_KW, S390AP_VM_CRYPTO_DISABLE_APIE,
		S390AP_VM_CRYPTO_ENABLE_APIE,    S390AP_VM_CRYPTO_DISABLE_DEA_KW,
	};
	const unsigned fmt_h = fmts_h[_i];
	struct pair p;

	pair_open(&p, fmt_h);
	for (unsigned fmt = 0; fmt < 4; fmt++) {
		p.g.cfg.crycbd = G3_CRYCB | fmt;
		pair_sie(&p);
		pair_sie(&p);
		pair_poke(&p, G3_CRYCB + S390AP_CRYCB_APCB0_APM, 0x10);
		pair_sie(&p);
		pair_poke(&p, G3_CRYCB + S390AP_CRYCB_APCB1_APM + 8, 0x3F);
		pair_sie(&p);
		p.g.cfg.ecb3 = S390AP_ECB3_AES | S390AP_ECB3_DEA;
		p.g.cfg.ecd = S390AP_ECD_ECC;
		for (size_t a = 0; a < ARRAY_SIZE(attrs); a++) {
			pair_attr(&p, attrs[a]);
			pair_sie(&p);
			pair_poke(&p, G3_CRYCB + S390AP_CRYCB_WK_DEA + a, (uint8_t)(a * 37u));
			pair_sie(&p);
		}
		p.g.cfg.crycbd = (G3_CRYCB + 0xF80u) | fmt; /* the page check */
		pair_sie(&p);
		p.g.cfg.crycbd = (G3_CRYCB + 0x100u) | fmt;
		pair_sie(&p);
		g3_crycb_put(&p.e[0], G3_CRYCB + 0x100u);
		g3_crycb_put(&p.e[1], G3_CRYCB + 0x100u);
		pair_sie(&p);
		p.g.apqn = APQN_G3;
		pair_sie(&p);
		p.g.apqn = APQN_GRANTED;
		p.g.cfg.ecb3 = 0;
		p.g.cfg.ecd = 0;
		p.g.cfg.eca ^= S390AP_ECA_APIE;
		pair_sie(&p);
		p.g.cfg.eca ^= S390AP_ECA_APIE;
		pair_sie(&p);
	}
	ck_assert_uint_gt(vsie_counts_get(&p.e[0]).hits, 0);
	pair_close(&p);
}
END_TEST

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Random steps, each an action and a SIE of guest-2. */
START_TEST(test_vsie_cache_random)
{
	static const uint64_t origins[] = { G3_CRYCB, G3_CRYCB + 0x100u, G3_CRYCB + 0xF80u,
					    G3_CRYCB + 0xFF0u, 0 };
	static const uint16_t apqns[] = { APQN_GRANTED, APQN_OTHER, APQN_G3, 0x4614 };
	const unsigned fmt_h = fmts_h[_i];
	uint64_t seed = 0x9E3779B97F4A7C15ull ^ fmt_h;
	uint64_t hits;
	struct pair p;

	pair_open(&p, fmt_h);
	for (unsigned step = 0; step < 250; step++) {
		uint64_t r = xs(&seed);
		uint64_t origin = p.g.cfg.crycbd & S390AP_CRYCBD_ORIGIN_MASK;

		switch (r % 10) {
		case 0:
		case 1:
		case 2: /* guest-2 writes guest-3's CRYCB */
			if (origin)
				pair_poke(&p, origin + (r >> 8) % S390AP_CRYCB_SIZE,
					  (uint8_t)(r >> 24));
			break;
		case 3: /* guest-3's format or origin */
			p.g.cfg.crycbd = (uint32_t)origins[(r >> 8) % ARRAY_SIZE(origins)] |
					 (uint32_t)((r >> 16) & 3);
			break;
		case 4:
			p.g.cfg.eca ^= S390AP_ECA_APIE;
			break;
		case 5:
			p.g.cfg.ecb3 = (uint8_t)((r >> 8) & (S390AP_ECB3_AES | S390AP_ECB3_DEA));
			p.g.cfg.ecd = (uint32_t)(r >> 16) & (S390AP_ECD_ECC | S390AP_ECD_HMAC);
			break;
		case 6: { /* the host's masks */
			unsigned apids[2] = { 3u + (unsigned)((r >> 8) & 1), 70 };
			unsigned apqis[2] = { 6u + (unsigned)((r >> 9) & 1), 20 };

			pair_grant(&p, apids, 1 + ((r >> 10) & 1), apqis, 1 + ((r >> 11) & 1));
			break;
		}
		case 7:
			pair_attr(&p, (unsigned)((r >> 8) % (S390AP_VM_CRYPTO_DISABLE_APIE + 1)));
			break;
		case 8:
			p.g.apqn = apqns[(r >> 8) % ARRAY_SIZE(apqns)];
			break;
		default: /* nothing: the same SIE again */
			break;
		}
		pair_sie(&p);
	}
	hits = vsie_counts_get(&p.e[0]).hits;
	ck_assert_uint_gt(hits, 0);
	ck_assert_uint_eq(vsie_counts_get(&p.e[0]).builds + hits, vsie_counts_get(&p.e[1]).builds);
	pair_close(&p);
}
END_TEST

TCase *vsie_cache_tcase(void)
{
	TCase *tc = tcase_create("cache");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_vsie_cache_keys);
	tcase_add_test(tc, test_vsie_cache_validity);
	tcase_add_test(tc, test_vsie_cache_code_written);
	tcase_add_loop_test(tc, test_vsie_cache_sequence, 0, ARRAY_SIZE(fmts_h));
	tcase_add_loop_test(tc, test_vsie_cache_random, 0, ARRAY_SIZE(fmts_h));
	return tc;
}
