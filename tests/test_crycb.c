/* SPDX-License-Identifier: MIT */
/* test_crycb -- the crypto control block: format selection, the CRYCBD,
 * the byte images the AP masks leave in APCB0 and APCB1, the limits of
 * APCB0, the wrapping-key masks and their seedable generator, the APQN
 * listing, and a randomised round trip of the masks.
 *
 * Expected values come from docs/crycb.md and include/s390ap/crycb.h;
 * the generator's outputs are splitmix64's published ones for seed 0.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "testutil.h"
#include "util/mask.h"

#define FILL 0xA5u

static uint8_t crycb[S390AP_CRYCB_SIZE];

static void fill(uint8_t *b, size_t len, uint8_t v)
{
	memset(b, v, len);
}

/* ---- formats and the designation ---------------------------------------- */

static const struct {
	bool msax3, apxa;
	unsigned fmt;
} select_rows[] = {
	{ false, false, S390AP_CRYCB_FORMAT0 },
	{ false, true, S390AP_CRYCB_FORMAT0 },
	{ true, false, S390AP_CRYCB_FORMAT1 },
	{ true, true, S390AP_CRYCB_FORMAT2 },
};

START_TEST(test_crycb_format_select)
{
	ck_assert_uint_eq(s390ap_crycb_format_select(select_rows[_i].msax3, select_rows[_i].apxa),
			  select_rows[_i].fmt);
}
END_TEST

START_TEST(test_crycb_format_values)
{
	ck_assert_uint_eq(S390AP_CRYCB_FORMAT2, 3);
	ck_assert(s390ap_crycb_format_valid(0));
	ck_assert(s390ap_crycb_format_valid(1));
	ck_assert(!s390ap_crycb_format_valid(2));
	ck_assert(s390ap_crycb_format_valid(3));
	ck_assert(!s390ap_crycb_format_valid(4));
	ck_assert(!s390ap_crycb_format_valid(~0u));
	ck_assert_uint_eq(s390ap_crycb_format_size(0), 32);
	ck_assert_uint_eq(s390ap_crycb_format_size(1), 128);
	ck_assert_uint_eq(s390ap_crycb_format_size(2), 0);
	ck_assert_uint_eq(s390ap_crycb_format_size(3), 256);
	ck_assert_uint_eq(s390ap_crycb_format_size(7), 0);
	/* the format field is the MSAX3 and APXA bits */
	ck_assert_uint_eq(S390AP_CRYCB_FORMAT1, S390AP_CRYCBD_MSAX3);
	ck_assert_uint_eq(S390AP_CRYCB_FORMAT2, S390AP_CRYCBD_MSAX3 | S390AP_CRYCBD_APXA);
	/* the two wrapping-key masks are one 56-byte area */
	ck_assert_uint_eq(S390AP_CRYCB_WK_DEA + S390AP_CRYCB_WK_DEA_LEN, S390AP_CRYCB_WK_AES);
	ck_assert_uint_eq(S390AP_CRYCB_WK_AES + S390AP_CRYCB_WK_AES_LEN, S390AP_CRYCB_APCB1);
}
END_TEST

START_TEST(test_crycb_crycbd_encode)
{
	uint32_t d = 0x12345678u, origin;
	unsigned fmt;

	ck_assert_int_eq(s390ap_crycbd_encode(0x1000, S390AP_CRYCB_FORMAT2, &d), 0);
	ck_assert_x64(d, 0x1003);
	s390ap_crycbd_decode(d, &origin, &fmt);
	ck_assert_x64(origin, 0x1000);
	ck_assert_uint_eq(fmt, 3);
	ck_assert(d & S390AP_CRYCBD_APXA);
	ck_assert(d & S390AP_CRYCBD_MSAX3);

	ck_assert_int_eq(s390ap_crycbd_encode(0x7ff8, S390AP_CRYCB_FORMAT1, &d), 0);
	ck_assert_x64(d, 0x7ff9);
	ck_assert(!(d & S390AP_CRYCBD_APXA));
	ck_assert_int_eq(s390ap_crycbd_encode(0x20, S390AP_CRYCB_FORMAT0, &d), 0);
	ck_assert_x64(d, 0x20);

	/* refusals leave the designation alone */
	d = 0xdeadbeefu;
	ck_assert_int_eq(s390ap_crycbd_encode(0x1000, 2, &d), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x1000, 4, &d), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x1004, S390AP_CRYCB_FORMAT2, &d), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x1001, S390AP_CRYCB_FORMAT0, &d), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x80000000u, S390AP_CRYCB_FORMAT0, &d),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x100001000ull, S390AP_CRYCB_FORMAT0, &d),
			 S390AP_EINVAL);
	/* the block the format uses must end at or below 2 GiB */
	ck_assert_int_eq(s390ap_crycbd_encode(0x7fffff08u, S390AP_CRYCB_FORMAT2, &d),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x7fffffe8u, S390AP_CRYCB_FORMAT0, &d),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycbd_encode(0x1000, S390AP_CRYCB_FORMAT0, NULL), S390AP_EINVAL);
	ck_assert_x64(d, 0xdeadbeefu);

	ck_assert_int_eq(s390ap_crycbd_encode(0x7fffff00u, S390AP_CRYCB_FORMAT2, &d), 0);
	ck_assert_x64(d, 0x7fffff03u);
	ck_assert_int_eq(s390ap_crycbd_encode(0x7fffffe0u, S390AP_CRYCB_FORMAT0, &d), 0);
	ck_assert_x64(d, 0x7fffffe0u);
}
END_TEST

START_TEST(test_crycb_crycbd_decode)
{
	uint32_t origin;
	unsigned fmt;

	/* bit 0 and bit 29 are no part of origin or format */
	s390ap_crycbd_decode(0xfffffffeu, &origin, &fmt);
	ck_assert_x64(origin, 0x7ffffff8u);
	ck_assert_uint_eq(fmt, 2);
	ck_assert(!s390ap_crycb_format_valid(fmt));
	s390ap_crycbd_decode(0x00abcde5u, &origin, &fmt);
	ck_assert_x64(origin, 0x00abcde0u);
	ck_assert_uint_eq(fmt, 1);
	s390ap_crycbd_decode(0x1003, NULL, &fmt);
	ck_assert_uint_eq(fmt, 3);
	s390ap_crycbd_decode(0x1003, &origin, NULL);
	ck_assert_x64(origin, 0x1000);
}
END_TEST

START_TEST(test_crycb_limits)
{
	unsigned a = 0, q = 0, d = 0;

	for (unsigned fmt = 0; fmt <= 1; fmt++) {
		ck_assert_int_eq(s390ap_crycb_limits(fmt, &a, &q, &d), 0);
		ck_assert_uint_eq(a, 63);
		ck_assert_uint_eq(q, 15);
		ck_assert_uint_eq(d, 15);
	}
	ck_assert_int_eq(s390ap_crycb_limits(3, &a, &q, &d), 0);
	ck_assert_uint_eq(a, 255);
	ck_assert_uint_eq(q, 255);
	ck_assert_uint_eq(d, 255);
	ck_assert_int_eq(s390ap_crycb_limits(3, NULL, NULL, NULL), 0);
	a = 7;
	ck_assert_int_eq(s390ap_crycb_limits(2, &a, NULL, NULL), S390AP_EINVAL);
	ck_assert_uint_eq(a, 7);
}
END_TEST

/* ---- AP masks ------------------------------------------------------------- */

/* Formats 0 and 1: apid 0 and 63, apqi 5 and 15, control domain 0 and 15
 * land in APCB0; the rest of its AQM and ADM words and everything else
 * keep their bytes. */
START_TEST(test_crycb_set_masks_apcb0)
{
	unsigned fmt = _i ? S390AP_CRYCB_FORMAT1 : S390AP_CRYCB_FORMAT0;
	uint8_t apm[32] = { 0 }, aqm[32] = { 0 }, adm[32] = { 0 };
	uint8_t exp[S390AP_CRYCB_SIZE];

	mask_set(apm, 0);
	mask_set(apm, 63);
	mask_set(aqm, 5);
	mask_set(aqm, 15);
	mask_set(adm, 0);
	mask_set(adm, 15);
	fill(crycb, sizeof(crycb), FILL);
	fill(exp, sizeof(exp), FILL);
	memcpy(exp + 0x00, (const uint8_t[8]){ 0x80, 0, 0, 0, 0, 0, 0, 0x01 }, 8);
	memcpy(exp + 0x08, (const uint8_t[2]){ 0x04, 0x01 }, 2);
	memcpy(exp + 0x10, (const uint8_t[2]){ 0x80, 0x01 }, 2);

	ck_assert_int_eq(s390ap_crycb_set_masks(crycb, fmt, apm, aqm, adm), 0);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
	ck_assert(s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_APM, 0));
	ck_assert(s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_APM, 63));
	ck_assert(!s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_APM, 1));
	ck_assert(s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_AQM, 5));
	ck_assert(s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_ADM, 15));

	/* NULL masks are zeros, over the same bytes */
	memset(exp + 0x00, 0, 8);
	memset(exp + 0x08, 0, 2);
	memset(exp + 0x10, 0, 2);
	ck_assert_int_eq(s390ap_crycb_set_masks(crycb, fmt, NULL, NULL, NULL), 0);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
}
END_TEST

START_TEST(test_crycb_set_masks_apcb1)
{
	uint8_t apm[32] = { 0 }, aqm[32] = { 0 }, adm[32] = { 0 };
	uint8_t exp[S390AP_CRYCB_SIZE];

	mask_set(apm, 0);
	mask_set(apm, 255);
	mask_set(aqm, 5);
	mask_set(aqm, 200);
	mask_set(adm, 16);
	fill(crycb, sizeof(crycb), FILL);
	fill(exp, sizeof(exp), FILL);
	memset(exp + 0x80, 0, 96);
	exp[0x80] = 0x80;
	exp[0x9f] = 0x01;
	exp[0xa0] = 0x04;
	exp[0xa0 + 25] = 0x80;
	exp[0xc2] = 0x80;

	ck_assert_int_eq(s390ap_crycb_set_masks(crycb, S390AP_CRYCB_FORMAT2, apm, aqm, adm), 0);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
	ck_assert(s390ap_crycb_test_bit(crycb, 3, S390AP_CRYCB_APM, 255));
	ck_assert(s390ap_crycb_test_bit(crycb, 3, S390AP_CRYCB_AQM, 200));
	ck_assert(s390ap_crycb_test_bit(crycb, 3, S390AP_CRYCB_ADM, 16));
	ck_assert(!s390ap_crycb_test_bit(crycb, 3, S390AP_CRYCB_ADM, 15));

	/* an invalid format changes nothing */
	ck_assert_int_eq(s390ap_crycb_set_masks(crycb, 2, NULL, NULL, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycb_set_masks(NULL, 3, apm, aqm, adm), S390AP_EINVAL);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
}
END_TEST

/* APCB0 has 16 usage and 16 control domains: what lies beyond is left out
 * by set_masks, refused by set_bit and cut off by masks(). */
START_TEST(test_crycb_apcb0_domain_limit)
{
	unsigned fmt = _i ? S390AP_CRYCB_FORMAT1 : S390AP_CRYCB_FORMAT0;
	uint8_t aqm[32], adm[32], apm[32], got[3][32], exp[32] = { 0 };

	memset(crycb, 0, sizeof(crycb));
	memset(apm, 0xff, sizeof(apm));
	memset(aqm, 0xff, sizeof(aqm));
	memset(adm, 0xff, sizeof(adm));
	ck_assert_int_eq(s390ap_crycb_set_masks(crycb, fmt, apm, aqm, adm), 0);
	for (unsigned i = 0; i < 8; i++)
		ck_assert_uint_eq(crycb[i], 0xff);
	ck_assert_uint_eq(crycb[0x08], 0xff);
	ck_assert_uint_eq(crycb[0x09], 0xff);
	ck_assert_uint_eq(crycb[0x0a], 0x00); /* apqi 16-23 left out */
	ck_assert_uint_eq(crycb[0x11], 0xff);
	ck_assert_uint_eq(crycb[0x12], 0x00);
	for (unsigned i = 0x18; i < S390AP_CRYCB_SIZE; i++)
		ck_assert_uint_eq(crycb[i], 0);

	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, fmt, S390AP_CRYCB_AQM, 16, true),
			 S390AP_ERANGE);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, fmt, S390AP_CRYCB_ADM, 16, true),
			 S390AP_ERANGE);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, fmt, S390AP_CRYCB_APM, 64, true),
			 S390AP_ERANGE);
	ck_assert_uint_eq(crycb[0x0a], 0x00);
	ck_assert(!s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_AQM, 16));

	/* stray bits in the undefined part of the words are not seen */
	memset(crycb + 0x08, 0xff, 8);
	memset(crycb + 0x10, 0xff, 8);
	ck_assert(!s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_AQM, 16));
	ck_assert(!s390ap_crycb_test_bit(crycb, fmt, S390AP_CRYCB_ADM, 63));
	ck_assert_int_eq(s390ap_crycb_masks(crycb, fmt, got[0], got[1], got[2]), 0);
	memset(exp, 0xff, 8);
	ck_assert_mem_eq(got[0], exp, 32);
	memset(exp, 0, sizeof(exp));
	exp[0] = exp[1] = 0xff;
	ck_assert_mem_eq(got[1], exp, 32);
	ck_assert_mem_eq(got[2], exp, 32);
}
END_TEST

START_TEST(test_crycb_set_bit)
{
	uint8_t exp[S390AP_CRYCB_SIZE] = { 0 };

	memset(crycb, 0, sizeof(crycb));
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_APM, 1, true), 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 1, S390AP_CRYCB_AQM, 5, true), 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_ADM, 8, true), 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_APM, 255, true), 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_AQM, 9, true), 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_ADM, 254, true), 0);
	exp[0x00] = 0x40;
	exp[0x08] = 0x04;
	exp[0x11] = 0x80;
	exp[0x9f] = 0x01;
	exp[0xa1] = 0x40;
	exp[0xdf] = 0x02;
	ck_assert_mem_eq(crycb, exp, sizeof(exp));

	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_APM, 255, false), 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_APM, 1, false), 0);
	exp[0x9f] = 0;
	exp[0x00] = 0;
	ck_assert_mem_eq(crycb, exp, sizeof(exp));

	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_APM, 256, true),
			 S390AP_ERANGE);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 2, S390AP_CRYCB_APM, 0, true), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, 3, (enum s390ap_crycb_mask)3, 0, true),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycb_set_bit(NULL, 3, S390AP_CRYCB_APM, 0, true), S390AP_EINVAL);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
	ck_assert(!s390ap_crycb_test_bit(NULL, 3, S390AP_CRYCB_AQM, 9));
	ck_assert(!s390ap_crycb_test_bit(crycb, 2, S390AP_CRYCB_AQM, 9));
	ck_assert(!s390ap_crycb_test_bit(crycb, 3, (enum s390ap_crycb_mask)7, 9));
	ck_assert(!s390ap_crycb_test_bit(crycb, 3, S390AP_CRYCB_AQM, 256));
	ck_assert(s390ap_crycb_test_bit(crycb, 3, S390AP_CRYCB_AQM, 9));
}
END_TEST

START_TEST(test_crycb_clear_masks)
{
	uint8_t exp[S390AP_CRYCB_SIZE];

	fill(crycb, sizeof(crycb), 0xff);
	fill(exp, sizeof(exp), 0xff);
	memset(exp + S390AP_CRYCB_APCB0, 0, S390AP_CRYCB_APCB0_LEN);
	memset(exp + S390AP_CRYCB_APCB1, 0, S390AP_CRYCB_APCB1_LEN);
	s390ap_crycb_clear_masks(crycb);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
	s390ap_crycb_clear_masks(NULL);
}
END_TEST

START_TEST(test_crycb_masks_errors)
{
	uint8_t m[32];

	memset(m, 0x5a, sizeof(m));
	ck_assert_int_eq(s390ap_crycb_masks(crycb, 2, m, m, m), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycb_masks(NULL, 0, m, m, m), S390AP_EINVAL);
	ck_assert_uint_eq(m[0], 0x5a);
	/* a NULL output is skipped */
	memset(crycb, 0, sizeof(crycb));
	crycb[0xa0] = 0x80;
	ck_assert_int_eq(s390ap_crycb_masks(crycb, 3, NULL, m, NULL), 0);
	ck_assert_uint_eq(m[0], 0x80);
	ck_assert_uint_eq(m[1], 0x00);
}
END_TEST

/* ---- wrapping-key masks ------------------------------------------------- */

START_TEST(test_crycb_wkgen_known)
{
	static const uint64_t seed0[3] = { 0xe220a8397b1dcdafull, 0x6e789e6aa1b965f4ull,
					   0x06c45d188009454full };
	s390ap_wkgen g;
	uint8_t b[11],
		exp[11] = { 0xe2, 0x20, 0xa8, 0x39, 0x7b, 0x1d, 0xcd, 0xaf, 0x6e, 0x78, 0x9e };

	s390ap_wkgen_seed(&g, 0);
	for (unsigned i = 0; i < 3; i++)
		ck_assert_x64(s390ap_wkgen_next(&g), seed0[i]);
	s390ap_wkgen_seed(&g, 0);
	s390ap_wkgen_fill(&g, b, sizeof(b));
	ck_assert_mem_eq(b, exp, sizeof(b));
	/* the cut word was used up */
	ck_assert_x64(s390ap_wkgen_next(&g), seed0[2]);
	ck_assert_x64(s390ap_wkgen_next(NULL), 0);
	s390ap_wkgen_seed(NULL, 1);
	s390ap_wkgen_fill(NULL, b, sizeof(b));
	s390ap_wkgen_fill(&g, NULL, 4);
}
END_TEST

START_TEST(test_crycb_wk_generate)
{
	uint8_t a[S390AP_CRYCB_SIZE], b[S390AP_CRYCB_SIZE], exp[S390AP_CRYCB_SIZE];
	s390ap_wkgen g;

	/* repeatable from a seed */
	fill(a, sizeof(a), FILL);
	fill(b, sizeof(b), FILL);
	s390ap_wkgen_seed(&g, 42);
	s390ap_crycb_wk_generate(a, S390AP_CRYCB_WKM_DEA, &g);
	s390ap_crycb_wk_generate(a, S390AP_CRYCB_WKM_AES, &g);
	s390ap_wkgen_seed(&g, 42);
	s390ap_crycb_wk_generate(b, S390AP_CRYCB_WKM_DEA, &g);
	s390ap_crycb_wk_generate(b, S390AP_CRYCB_WKM_AES, &g);
	ck_assert_mem_eq(a, b, sizeof(a));

	/* another seed, other masks */
	s390ap_wkgen_seed(&g, 43);
	s390ap_crycb_wk_generate(b, S390AP_CRYCB_WKM_DEA, &g);
	s390ap_crycb_wk_generate(b, S390AP_CRYCB_WKM_AES, &g);
	ck_assert_mem_ne(a + S390AP_CRYCB_WK_DEA, b + S390AP_CRYCB_WK_DEA, 24);
	ck_assert_mem_ne(a + S390AP_CRYCB_WK_AES, b + S390AP_CRYCB_WK_AES, 32);

	/* AES touches 0x60..0x7f only: the generator's bytes, in order */
	fill(a, sizeof(a), FILL);
	memcpy(exp, a, sizeof(exp));
	s390ap_wkgen_seed(&g, 7);
	s390ap_wkgen_fill(&g, exp + 0x60, 32);
	s390ap_wkgen_seed(&g, 7);
	s390ap_crycb_wk_generate(a, S390AP_CRYCB_WKM_AES, &g);
	ck_assert_mem_eq(a, exp, sizeof(a));

	/* DEA touches 0x48..0x5f only */
	fill(a, sizeof(a), FILL);
	memcpy(exp, a, sizeof(exp));
	s390ap_wkgen_seed(&g, 7);
	s390ap_wkgen_fill(&g, exp + 0x48, 24);
	s390ap_wkgen_seed(&g, 7);
	s390ap_crycb_wk_generate(a, S390AP_CRYCB_WKM_DEA, &g);
	ck_assert_mem_eq(a, exp, sizeof(a));

	/* unknown mask or NULL: nothing */
	s390ap_crycb_wk_generate(a, (enum s390ap_crycb_wkm)2, &g);
	s390ap_crycb_wk_generate(a, S390AP_CRYCB_WKM_AES, NULL);
	s390ap_crycb_wk_generate(NULL, S390AP_CRYCB_WKM_AES, &g);
	ck_assert_mem_eq(a, exp, sizeof(a));
}
END_TEST

START_TEST(test_crycb_wk_clear)
{
	uint8_t exp[S390AP_CRYCB_SIZE];

	fill(crycb, sizeof(crycb), 0xff);
	fill(exp, sizeof(exp), 0xff);
	memset(exp + 0x48, 0, 24);
	s390ap_crycb_wk_clear(crycb, S390AP_CRYCB_WKM_DEA);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
	memset(exp + 0x60, 0, 32);
	s390ap_crycb_wk_clear(crycb, S390AP_CRYCB_WKM_AES);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
	s390ap_crycb_wk_clear(crycb, (enum s390ap_crycb_wkm)5);
	s390ap_crycb_wk_clear(NULL, S390AP_CRYCB_WKM_AES);
	ck_assert_mem_eq(crycb, exp, sizeof(exp));
}
END_TEST

/* ---- the APQN listing -------------------------------------------------- */

START_TEST(test_crycb_apqn_list)
{
	static const char want0[] = "01.0004 01.0005 03.0004 03.0005";
	char buf[64];
	unsigned n = 99;

	memset(crycb, 0, sizeof(crycb));
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 0, buf, sizeof(buf), &n), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(n, 0);

	s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_APM, 3, true);
	s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_APM, 1, true);
	s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_AQM, 5, true);
	s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_AQM, 4, true);
	s390ap_crycb_set_bit(crycb, 0, S390AP_CRYCB_ADM, 7, true); /* no part of the APQNs */
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 1, buf, sizeof(buf), &n), 0);
	ck_assert_str_eq(buf, want0);
	ck_assert_uint_eq(n, 4);
	/* exactly 8 bytes an APQN fit, one less does not */
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 0, buf, 32, NULL), 0);
	ck_assert_str_eq(buf, want0);
	n = 0;
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 0, buf, 31, &n), S390AP_ENOSPC);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 0, NULL, 0, &n), S390AP_ENOSPC);
	ck_assert_uint_eq(n, 4);

	/* format 2 reads APCB1 */
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 3, buf, sizeof(buf), &n), 0);
	ck_assert_str_eq(buf, "");
	s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_APM, 0xff, true);
	s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_AQM, 0xff, true);
	s390ap_crycb_set_bit(crycb, 3, S390AP_CRYCB_AQM, 0x10, true);
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 3, buf, sizeof(buf), &n), 0);
	ck_assert_str_eq(buf, "ff.0010 ff.00ff");
	ck_assert_uint_eq(n, 2);

	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 2, buf, sizeof(buf), &n), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycb_apqn_list(NULL, 3, buf, sizeof(buf), &n), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 3, NULL, 8, &n), S390AP_EINVAL);
}
END_TEST

/* Every APQN of a full format 2 block: 65536 entries in 8 * 65536 bytes. */
START_TEST(test_crycb_apqn_list_full)
{
	static char buf[8u * 65536u];
	unsigned n = 0;

	memset(crycb, 0xff, sizeof(crycb));
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 3, buf, sizeof(buf), &n), 0);
	ck_assert_uint_eq(n, 65536);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert(strncmp(buf, "00.0000 00.0001 ", 16) == 0);
	ck_assert_str_eq(buf + sizeof(buf) - 16, "ff.00fe ff.00ff");
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 3, buf, sizeof(buf) - 1, &n), S390AP_ENOSPC);
	/* formats 0 and 1: 64 adapters by 16 domains, whatever lies beyond */
	ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, 0, buf, sizeof(buf), &n), 0);
	ck_assert_uint_eq(n, 64 * 16);
	ck_assert_str_eq(buf + 8u * 1024u - 16, "3f.000e 3f.000f");
}
END_TEST

/* ---- randomised round trip ---------------------------------------------- */

/* Random masks over a random block: masks() gives back what set_masks
 * stored (whole for format 2, cut to APCB0's ids for formats 0 and 1),
 * test_bit agrees with the input, and the APQN count is |APM| x |AQM|. */
START_TEST(test_crycb_masks_roundtrip_random)
{
	static const unsigned fmts[3] = { 0, 1, 3 };
	static char text[8u * 65536u];
	s390ap_wkgen g;

	s390ap_wkgen_seed(&g, 0x5eed0000u + (uint64_t)_i);
	for (unsigned iter = 0; iter < 300; iter++) {
		unsigned fmt = fmts[s390ap_wkgen_next(&g) % 3];
		uint8_t in[3][32], out[3][32], exp[3][32];
		unsigned max[3], na = 0, nq = 0, n = 0;

		s390ap_wkgen_fill(&g, crycb, sizeof(crycb));
		s390ap_wkgen_fill(&g, in, sizeof(in));
		/* sparse masks now and then, so some listings are short */
		if (iter & 1) {
			for (unsigned k = 0; k < 32; k++) {
				in[0][k] &= (uint8_t)s390ap_wkgen_next(&g);
				in[1][k] &= (uint8_t)s390ap_wkgen_next(&g);
			}
		}
		ck_assert_int_eq(s390ap_crycb_limits(fmt, &max[0], &max[1], &max[2]), 0);
		ck_assert_int_eq(s390ap_crycb_set_masks(crycb, fmt, in[0], in[1], in[2]), 0);
		ck_assert_int_eq(s390ap_crycb_masks(crycb, fmt, out[0], out[1], out[2]), 0);

		memset(exp, 0, sizeof(exp));
		for (unsigned k = 0; k < 3; k++)
			memcpy(exp[k], in[k], (max[k] + 1) / 8);
		ck_assert_mem_eq(out, exp, sizeof(exp));
		if (fmt == S390AP_CRYCB_FORMAT2)
			ck_assert_mem_eq(out, in, sizeof(in));

		/* one assertion per mask: Check's are not free in a 300-round loop */
		for (unsigned k = 0; k < 3; k++) {
			unsigned bad = 256;

			for (unsigned id = 0; id < 256 && bad == 256; id++)
				if (s390ap_crycb_test_bit(crycb, fmt, (enum s390ap_crycb_mask)k,
							  id) !=
				    (id <= max[k] && mask_test(in[k], id)))
					bad = id;
			ck_assert_msg(bad == 256, "format %u mask %u id %u", fmt, k, bad);
		}
		for (unsigned id = 0; id <= max[0]; id++)
			na += mask_test(in[0], id);
		for (unsigned id = 0; id <= max[1]; id++)
			nq += mask_test(in[1], id);
		ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, fmt, NULL, 0, &n), S390AP_ENOSPC);
		ck_assert_uint_eq(n, na * nq);
		ck_assert_int_eq(s390ap_crycb_apqn_list(crycb, fmt, text, n ? 8u * n : 1u, NULL),
				 0);
		ck_assert_uint_eq(strlen(text), n ? 8u * n - 1 : 0);
	}
}
END_TEST

static Suite *crycb_suite(void)
{
	Suite *s = suite_create("crycb");
	TCase *tc;

	tc = tcase_create("format");
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tc, test_crycb_format_select, 0, (int)ARRAY_SIZE(select_rows));
	tcase_add_test(tc, test_crycb_format_values);
	tcase_add_test(tc, test_crycb_crycbd_encode);
	tcase_add_test(tc, test_crycb_crycbd_decode);
	tcase_add_test(tc, test_crycb_limits);

	tc = tcase_create("masks");
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tc, test_crycb_set_masks_apcb0, 0, 2);
	tcase_add_test(tc, test_crycb_set_masks_apcb1);
	tcase_add_loop_test(tc, test_crycb_apcb0_domain_limit, 0, 2);
	tcase_add_test(tc, test_crycb_set_bit);
	tcase_add_test(tc, test_crycb_clear_masks);
	tcase_add_test(tc, test_crycb_masks_errors);
	tcase_add_loop_test(tc, test_crycb_masks_roundtrip_random, 0, 4);

	tc = tcase_create("wk");
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_crycb_wkgen_known);
	tcase_add_test(tc, test_crycb_wk_generate);
	tcase_add_test(tc, test_crycb_wk_clear);

	tc = tcase_create("apqn");
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_crycb_apqn_list);
	tcase_add_test(tc, test_crycb_apqn_list_full);

	return s;
}

int main(void)
{
	return run_suite(crycb_suite());
}
