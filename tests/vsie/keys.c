/* SPDX-License-Identifier: MIT */
/* The wrapping-key masks (guest-3's XOR guest-2's) and what the shadow SCB
 * passes on: ECA_APIE, ECB3_AES/DEA and ECD_ECC only when both levels set
 * them, gd and ECA_AIV never; no CRYCB at all without APIE and keys. */
#include "vsie_test.h"

#define WK_LEN (S390AP_CRYCB_WK_DEA_LEN + S390AP_CRYCB_WK_AES_LEN)
#define KEYS (S390AP_ECB3_AES | S390AP_ECB3_DEA)

static void run_g3(struct env *e, const struct g3_cfg *c)
{
	g3_scb_put(e, c);
	g3_crycb_put(e, G3_CRYCB);
	g3_load(e, sie_tapq3_bin, sie_tapq3_bin_len);
	g2_run(e, APQN_GRANTED);
}

/* The shadow's 56 bytes at 0x48: guest-3's XOR guest-2's. */
static void expect_wk(struct env *e)
{
	const uint8_t *g2 = crycb_host(e) + S390AP_CRYCB_WK_DEA;
	uint8_t img[WK_LEN];

	for (unsigned i = 0; i < WK_LEN; i++)
		img[i] = g3_wk(i) ^ g2[i];
	ck_assert_mem_eq(shadow_crycb(e) + S390AP_CRYCB_WK_DEA, img, WK_LEN);
}

static uint32_t shadow_crycbd(struct env *e)
{
	return (uint32_t)(vsie_page(e) + VSIE_SHADOW_CRYCB_OFF) | S390AP_CRYCB_FORMAT2;
}

START_TEST(test_vsie_keys_xor)
{
	struct g3_cfg c = { .eca = S390AP_ECA_APIE | S390AP_ECA_AIV,
			    .gd = 0x12340,
			    .ecb3 = KEYS,
			    .ecd = S390AP_ECD_ECC | S390AP_ECD_HMAC,
			    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };
	static const uint8_t zero[WK_LEN];
	const uint8_t *shs;
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, true);
	/* guest-2 wraps with both keys and has ECD_ECC (pckmo_ecc), no HMAC */
	ck_assert_uint_eq(scb_of(&e, e.v)[S390AP_SCB_ECB3] & KEYS, KEYS);
	ck_assert_uint_eq(be_get32(scb_of(&e, e.v) + S390AP_SCB_ECD) &
				  (S390AP_ECD_ECC | S390AP_ECD_HMAC),
			  S390AP_ECD_ECC);
	ck_assert(memcmp(crycb_host(&e) + S390AP_CRYCB_WK_DEA, zero, WK_LEN) != 0);
	run_g3(&e, &c);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	shs = shadow_scb(&e);
	expect_wk(&e);
	ck_assert_uint_eq(shs[S390AP_SCB_ECB3], KEYS);
	ck_assert_uint_eq(be_get32(shs + S390AP_SCB_ECD), S390AP_ECD_ECC);
	ck_assert_uint_eq(be_get32(shs + S390AP_SCB_ECA), S390AP_ECA_APIE); /* no AIV */
	ck_assert_uint_eq(be_get32(shs + S390AP_SCB_GD), 0);
	ck_assert_uint_eq(be_get32(shs + S390AP_SCB_CRYCBD), shadow_crycbd(&e));
	/* the APCB beside it */
	ck_assert(mask_test(shadow_crycb(&e) + S390AP_CRYCB_APCB1_APM, 3));
	ck_assert(!mask_test(shadow_crycb(&e) + S390AP_CRYCB_APCB1_APM, 4));
	env_close(&e);
}
END_TEST

/* ECD_ECC needs it at both levels: guest-2 has it only with pckmo_ecc. */
START_TEST(test_vsie_keys_no_ecc)
{
	struct g3_cfg c = { .eca = S390AP_ECA_APIE,
			    .ecb3 = KEYS,
			    .ecd = S390AP_ECD_ECC,
			    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
	ck_assert_uint_eq(be_get32(scb_of(&e, e.v) + S390AP_SCB_ECD) & S390AP_ECD_ECC, 0);
	run_g3(&e, &c);
	ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], KEYS);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECD), 0);
	expect_wk(&e);
	env_close(&e);
}
END_TEST

/* Guest-2 without AES key wrapping: only DEA passes, and the XOR runs over
 * guest-2's zeroed AES mask (guest-3's bytes as they are). */
START_TEST(test_vsie_keys_aes_off)
{
	struct g3_cfg c = { .eca = S390AP_ECA_APIE,
			    .ecb3 = KEYS,
			    .ecd = S390AP_ECD_ECC,
			    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT1 };
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, true);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO,
					    S390AP_VM_CRYPTO_DISABLE_AES_KW),
			 0);
	ck_assert_uint_eq(scb_of(&e, e.v)[S390AP_SCB_ECB3] & KEYS, S390AP_ECB3_DEA);
	run_g3(&e, &c);
	ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], S390AP_ECB3_DEA);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECD), 0);
	expect_wk(&e);
	for (unsigned i = S390AP_CRYCB_WK_DEA_LEN; i < WK_LEN; i++)
		ck_assert_uint_eq(shadow_crycb(&e)[S390AP_CRYCB_WK_DEA + i], g3_wk(i));
	env_close(&e);
}
END_TEST

/* Guest-2 without APIE: guest-3's ECA_APIE does not pass, no APCB is
 * built, the keys do; guest-3's PQAP goes back to guest-2. */
START_TEST(test_vsie_keys_without_apie_h)
{
	struct g3_cfg c = { .eca = S390AP_ECA_APIE,
			    .ecb3 = S390AP_ECB3_AES,
			    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };
	static const uint8_t zero[S390AP_CRYCB_APCB1_LEN];
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, false, false);
	run_g3(&e, &c);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0xB2AF);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECA), 0);
	ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], S390AP_ECB3_AES);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_CRYCBD), shadow_crycbd(&e));
	ck_assert_mem_eq(shadow_crycb(&e) + S390AP_CRYCB_APCB1, zero, sizeof(zero));
	ck_assert_mem_eq(shadow_crycb(&e) + S390AP_CRYCB_APCB0, zero, S390AP_CRYCB_APCB0_LEN);
	expect_wk(&e);
	env_close(&e);
}
END_TEST

/* APIE in guest-2 only, keys off in guest-3: no APIE, no key bits, but a
 * CRYCB (guest-2 has MSAX3 and guest-3 is not format 0). */
START_TEST(test_vsie_apie_needs_both)
{
	struct g3_cfg c = { .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };
	static const uint8_t zero[S390AP_CRYCB_SIZE];
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
	run_g3(&e, &c);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0xB2AF);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECA), 0);
	ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], 0);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_CRYCBD), shadow_crycbd(&e));
	ck_assert_mem_eq(shadow_crycb(&e), zero, sizeof(zero));
	env_close(&e);
}
END_TEST

/* Neither APIE at both levels nor key wrapping: no CRYCB (crycbd 0), no
 * crypto bits, and nothing left of an earlier shadow. */
START_TEST(test_vsie_keys_early_return)
{
	static const uint8_t zero[S390AP_CRYCB_SIZE];
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, true);
	{
		struct g3_cfg c = { .eca = S390AP_ECA_APIE,
				    .ecb3 = KEYS,
				    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };

		run_g3(&e, &c);
		ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], KEYS);
	}
	{
		/* format 0 and no APIE: the keys guest-3 asks for are not given */
		struct g3_cfg c = { .ecb3 = KEYS,
				    .ecd = S390AP_ECD_ECC,
				    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT0 };

		run_g3(&e, &c);
		ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
		ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_CRYCBD), 0);
		ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], 0);
		ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECD), 0);
		ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECA), 0);
		ck_assert_mem_eq(shadow_crycb(&e), zero, sizeof(zero));
	}
	env_close(&e);

	/* guest-2 without MSAX3 (format 0) and without APIE: nothing either */
	vsie_open(&e, S390AP_CRYCB_FORMAT0, false, false);
	{
		struct g3_cfg c = { .eca = S390AP_ECA_APIE,
				    .ecb3 = KEYS,
				    .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };

		run_g3(&e, &c);
		ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
		ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_CRYCBD), 0);
		ck_assert_uint_eq(shadow_scb(&e)[S390AP_SCB_ECB3], 0);
		ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_ECA), 0);
	}
	env_close(&e);
}
END_TEST

TCase *vsie_keys_tcase(void)
{
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, test_vsie_keys_xor);
	tcase_add_test(tc, test_vsie_keys_no_ecc);
	tcase_add_test(tc, test_vsie_keys_aes_off);
	tcase_add_test(tc, test_vsie_keys_without_apie_h);
	tcase_add_test(tc, test_vsie_apie_needs_both);
	tcase_add_test(tc, test_vsie_keys_early_return);
	return tc;
}
