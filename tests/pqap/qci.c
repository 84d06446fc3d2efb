/* SPDX-License-Identifier: MIT */
/* pqap suite: QCI, the configuration information block. */
#include "pqap_test.h"

/* ================================================================== */
/* QCI                                                                 */
/* ================================================================== */
/* QCI into QCI_ADDR: cc 0 and the 128-byte block exp stored there. */
static void expect_qci_block(const uint8_t *exp)
{
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_mem_eq(ram + QCI_ADDR, exp, 128);
}

START_TEST(test_qci_default_block)
{
	uint8_t exp[128];

	memset(exp, 0, sizeof exp);
	exp[0] = 0xE0;  /* S N C, no R */
	exp[1] = 0x00;  /* no B */
	exp[4] = 0xFF;  /* Na */
	exp[5] = 0xFF;  /* Nd */
	exp[16] = 0x1C; /* APM: 3, 4, 5 */
	exp[48] = 0x03; /* AQM: 6, 7 */
	exp[56] = 0x01; /* AQM: 0x47 */
	exp[80] = 0x83; /* ADM: 0, 6, 7 */
	exp[88] = 0x01; /* ADM: 0x47 */
	memset(ram + QCI_ADDR, 0xCC, 128);
	qci(QCI_ADDR);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert(!res.sw_stored);
	ck_assert_x64(gr[1], GARBAGE);
	ck_assert_mem_eq(ram + QCI_ADDR, exp, 128);
	ck_assert_uint_eq(ram[QCI_ADDR + 128], 0x00);
}
END_TEST

START_TEST(test_qci_view_masks_anded)
{
	uint8_t apm[32], aqm[32], adm[32], exp[128];

	memset(apm, 0, sizeof apm);
	memset(aqm, 0, sizeof aqm);
	memset(adm, 0, sizeof adm);
	apm[0] = 0x10 | 0x01; /* 3 and 7 (7 not configured) */
	apm[31] = 0x01;       /* 255, not configured */
	aqm[0] = 0x01;        /* 7 */
	aqm[8] = 0x01;        /* 0x47 */
	adm[0] = 0x80 | 0x40; /* 0 and 1 (1 not configured) */
	view.apm = apm;
	view.aqm = aqm;
	view.adm = adm;

	memset(exp, 0, sizeof exp);
	exp[0] = 0xE0;
	exp[4] = 0xFF;
	exp[5] = 0xFF;
	exp[16] = 0x10;
	exp[48] = 0x01;
	exp[56] = 0x01;
	exp[80] = 0x80;
	expect_qci_block(exp);
}
END_TEST

START_TEST(test_qci_view_without_apxa)
{
	uint8_t exp[128];

	view.facilities &= ~(uint32_t)(S390AP_FAC_APXA | S390AP_FAC_QACT);
	memset(exp, 0, sizeof exp);
	exp[0] = 0x80; /* S only */
	exp[16] = 0x1C;
	exp[48] = 0x03;
	exp[56] = 0x01;
	exp[80] = 0x83;
	exp[88] = 0x01;
	expect_qci_block(exp);
}
END_TEST

START_TEST(test_qci_all_facilities)
{
	s390ap_machine_opts o;
	uint8_t exp[128];

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.facilities_set = true;
	o.facilities = S390AP_FAC_ALL;
	o.na = 0x3F;
	o.nd = 0x7F;
	use_machine(&o);
	add_adapter(0, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	add_adapter(0x3F, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 0x7F, true, false), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 0x08, false, true), 0);

	memset(exp, 0, sizeof exp);
	exp[0] = 0xF0; /* S N C R */
	exp[1] = 0x80; /* B */
	exp[4] = 0x3F;
	exp[5] = 0x7F;
	exp[16] = 0x80;      /* APM 0 */
	exp[16 + 7] = 0x01;  /* APM 0x3F */
	exp[48 + 15] = 0x01; /* AQM 0x7F */
	exp[80 + 1] = 0x80;  /* ADM 8 */
	expect_qci_block(exp);
}
END_TEST

START_TEST(test_qci_matches_machine_image)
{
	uint8_t img[128];

	s390ap_machine_qci(m, img);
	expect_qci_block(img);
}
END_TEST

void tcase_pqap_qci(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "qci", setup);
	tcase_add_test(tc, test_qci_default_block);
	tcase_add_test(tc, test_qci_view_masks_anded);
	tcase_add_test(tc, test_qci_view_without_apxa);
	tcase_add_test(tc, test_qci_all_facilities);
	tcase_add_test(tc, test_qci_matches_machine_image);
}
