/* SPDX-License-Identifier: MIT */
/* The format table of the CRYCB shadowing: guest-3's format (as guest-2
 * wrote it) against guest-2's, every cell, with the shadow CRYCB compared
 * byte for byte with the image it must hold. */
#include "vsie_test.h"

enum apcb_kind { K_00, K_10, K_11, K_BAD };

struct cell {
	unsigned fmt_h, fmt_o;
	enum apcb_kind kind;
};

/* rows: guest-3's format 0, 1, 2 (value 3), the invalid value 2 */
static const struct cell cells[] = {
	{ S390AP_CRYCB_FORMAT0, S390AP_CRYCB_FORMAT0, K_00 },
	{ S390AP_CRYCB_FORMAT0, S390AP_CRYCB_FORMAT1, K_BAD },
	{ S390AP_CRYCB_FORMAT0, S390AP_CRYCB_FORMAT2, K_BAD },
	{ S390AP_CRYCB_FORMAT0, 2, K_BAD },
	{ S390AP_CRYCB_FORMAT1, S390AP_CRYCB_FORMAT0, K_00 },
	{ S390AP_CRYCB_FORMAT1, S390AP_CRYCB_FORMAT1, K_00 },
	{ S390AP_CRYCB_FORMAT1, S390AP_CRYCB_FORMAT2, K_BAD },
	{ S390AP_CRYCB_FORMAT1, 2, K_BAD },
	{ S390AP_CRYCB_FORMAT2, S390AP_CRYCB_FORMAT0, K_10 },
	{ S390AP_CRYCB_FORMAT2, S390AP_CRYCB_FORMAT1, K_10 },
	{ S390AP_CRYCB_FORMAT2, S390AP_CRYCB_FORMAT2, K_11 },
	{ S390AP_CRYCB_FORMAT2, 2, K_BAD },
};

/* The shadow CRYCB each kind must give with guest-2's masks (vsie_grant)
 * and guest-3's CRYCB (g3_crycb_put: all ones but APID 4), without key
 * wrapping: everything not named here is zero. */
static void expected_image(enum apcb_kind k, uint8_t img[S390AP_CRYCB_SIZE])
{
	memset(img, 0, S390AP_CRYCB_SIZE);
	switch (k) {
	case K_00: /* APCB0 AND APCB0: guest-2's APCB0 holds 3, 4 and 6, 7 */
		mask_set(img + S390AP_CRYCB_APCB0_APM, 3);
		mask_set(img + S390AP_CRYCB_APCB0_AQM, 6);
		mask_set(img + S390AP_CRYCB_APCB0_AQM, 7);
		mask_set(img + S390AP_CRYCB_APCB0_ADM, 6);
		mask_set(img + S390AP_CRYCB_APCB0_ADM, 7);
		break;
	case K_10: /* widened: word 0 of each APCB1 mask, AQM/ADM cut to 16 bits */
		mask_set(img + S390AP_CRYCB_APCB1_APM, 3);
		mask_set(img + S390AP_CRYCB_APCB1_AQM, 6);
		mask_set(img + S390AP_CRYCB_APCB1_AQM, 7);
		mask_set(img + S390AP_CRYCB_APCB1_ADM, 6);
		mask_set(img + S390AP_CRYCB_APCB1_ADM, 7);
		break;
	case K_11: /* APCB1 AND APCB1, all 128 bytes */
		mask_set(img + S390AP_CRYCB_APCB1_APM, 3);
		mask_set(img + S390AP_CRYCB_APCB1_APM, G2_APID_HIGH);
		for (unsigned i = 0; i < 2; i++) {
			uint8_t *m = img + (i ? S390AP_CRYCB_APCB1_ADM : S390AP_CRYCB_APCB1_AQM);

			mask_set(m, 6);
			mask_set(m, 7);
			mask_set(m, G2_APQI_HIGH);
		}
		break;
	case K_BAD:
		break;
	}
}

static void run_cell(struct env *e, unsigned fmt_o)
{
	struct g3_cfg c = { .eca = S390AP_ECA_APIE, .crycbd = G3_CRYCB | fmt_o };

	g3_scb_put(e, &c);
	g3_crycb_put(e, G3_CRYCB);
	g3_load(e, sie_tapq3_bin, sie_tapq3_bin_len);
	g2_run(e, APQN_GRANTED);
}

static void expect_shadow(struct env *e, enum apcb_kind k)
{
	uint8_t img[S390AP_CRYCB_SIZE];
	const uint8_t *shs = shadow_scb(e);

	expected_image(k, img);
	ck_assert_mem_eq(shadow_crycb(e), img, S390AP_CRYCB_SIZE);
	/* always format 2 (value 3), whatever the two formats were */
	ck_assert_uint_eq(be_get32(shs + S390AP_SCB_CRYCBD),
			  (uint32_t)(vsie_page(e) + VSIE_SHADOW_CRYCB_OFF) | S390AP_CRYCB_FORMAT2);
	ck_assert_uint_eq(be_get32(shs + S390AP_SCB_ECA) & S390AP_ECA_APIE, S390AP_ECA_APIE);
}

START_TEST(test_vsie_format_table)
{
	const struct cell *cl = &cells[_i];
	struct env e;

	vsie_open(&e, cl->fmt_h, true, false);
	run_cell(&e, cl->fmt_o);
	if (cl->kind == K_BAD) {
		expect_validity(&e, 0x1000, 0x0022);
		ck_assert_uint_eq(vsie_counts_get(&e).validity, 1);
		ck_assert_uint_eq(vsie_counts_get(&e).entries, 0);
	} else {
		ck_assert_msg(g3_scb(&e)[S390AP_SCB_ICPTCODE] == S390AP_ICPT_INST,
			      "fmt_h %u fmt_o %u: icptcode %02x", cl->fmt_h, cl->fmt_o,
			      g3_scb(&e)[S390AP_SCB_ICPTCODE]);
		expect_shadow(&e, cl->kind);
		/* guest-3's TAPQ on 03.0006 went through the shadow: its APCB1
		 * on a machine with APXA, its APCB0 on one without (guest-2
		 * format 1); a format-0 guest-2 on an APXA machine has its
		 * shadow's masks in APCB0, which that machine does not read */
		if (cl->kind != K_00 || cl->fmt_h == S390AP_CRYCB_FORMAT1)
			ck_assert_uint_eq(g3_cc(&e), 0);
		else
			ck_assert_uint_eq(g3_cc(&e), 3);
	}
	env_close(&e);
}
END_TEST

/* One vsie page serves guest-2's SIEs one after the other: a format-0/1
 * shadow after a format-2 one keeps nothing of it. */
START_TEST(test_vsie_format_no_stale_words)
{
	uint8_t img[S390AP_CRYCB_SIZE];
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
	run_cell(&e, S390AP_CRYCB_FORMAT2);
	expected_image(K_11, img);
	ck_assert_mem_eq(shadow_crycb(&e), img, S390AP_CRYCB_SIZE);
	run_cell(&e, S390AP_CRYCB_FORMAT1);
	expected_image(K_10, img);
	ck_assert_mem_eq(shadow_crycb(&e), img, S390AP_CRYCB_SIZE);
	/* words 1-3 of APM, AQM and ADM in particular */
	for (unsigned m = 0; m < 3; m++)
		for (unsigned w = 1; w < 4; w++)
			ck_assert_uint_eq(be_get64(shadow_crycb(&e) + S390AP_CRYCB_APCB1 + 32 * m +
						   8 * w),
					  0);
	ck_assert_uint_eq(vsie_counts_get(&e).entries, 2);
	/* and a guest-3 with no crypto after it: an empty shadow */
	{
		struct g3_cfg c = { 0 };

		g3_scb_put(&e, &c);
		g2_run(&e, APQN_GRANTED);
		memset(img, 0, sizeof(img));
		ck_assert_mem_eq(shadow_crycb(&e), img, S390AP_CRYCB_SIZE);
		ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_CRYCBD), 0);
	}
	env_close(&e);
}
END_TEST

TCase *vsie_formats_tcase(void)
{
	TCase *tc = tcase_create("formats");

	tcase_add_loop_test(tc, test_vsie_format_table, 0, (int)ARRAY_SIZE(cells));
	tcase_add_test(tc, test_vsie_format_no_stale_words);
	return tc;
}
