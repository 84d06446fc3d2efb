/* SPDX-License-Identifier: MIT */
/* The validity interceptions of the CRYCB shadowing (0x0039, 0x003C,
 * 0x0022, 0x0035) and of the shadow's own entry checks, as guest-2 sees
 * them in guest-3's SCB. */
#include "vsie_test.h"

#define PG_END (G3_CRYCB + 0x1000u) /* the end of the CRYCB's page */

struct vcase {
	const char *what;
	unsigned fmt_h;
	bool apie_h;
	uint32_t eca, crycb, fmt_o;
	uint8_t ecb3;
	uint16_t reason; /* 0: guest-3 runs */
};

#define APIE S390AP_ECA_APIE
#define F0 S390AP_CRYCB_FORMAT0
#define F1 S390AP_CRYCB_FORMAT1
#define F2 S390AP_CRYCB_FORMAT2
#define AES S390AP_ECB3_AES

static const struct vcase vcases[] = {
	{ "zero origin", F2, true, APIE, 0, F2, 0, 0x0039 },
	{ "zero origin, key path", F2, true, 0, 0, F1, AES, 0x0039 },
	{ "zero origin, format 0 without APIE", F2, true, 0, 0, F0, AES, 0 },
	{ "zero origin, guest-2 without APIE and keys", F0, false, APIE, 0, F2, 0, 0 },
	/* format 0: 32 bytes, strict by one byte */
	{ "fmt0 ends at the page end", F2, true, APIE, PG_END - 32, F0, 0, 0x003C },
	{ "fmt0 fits", F2, true, APIE, PG_END - 40, F0, 0, 0 },
	{ "fmt0 on fmt1 ends at the page end", F1, true, APIE, PG_END - 32, F0, 0, 0x003C },
	/* format 1: 128 bytes, also without APIE, also before the format check */
	{ "fmt1 ends at the page end", F2, true, APIE, PG_END - 128, F1, 0, 0x003C },
	{ "fmt1 fits", F2, true, APIE, PG_END - 136, F1, 0, 0 },
	{ "fmt1 key path crossing", F2, true, 0, PG_END - 128, F1, AES, 0x003C },
	{ "fmt1 no APIE no keys crossing", F2, true, 0, PG_END - 128, F1, 0, 0x003C },
	{ "fmt1 on fmt0 crossing", F0, true, APIE, PG_END - 128, F1, 0, 0x003C },
	{ "fmt1 on fmt0", F0, true, APIE, G3_CRYCB, F1, 0, 0x0022 },
	/* format 2: 256 bytes, before the format check */
	{ "fmt2 ends at the page end", F2, true, APIE, PG_END - 256, F2, 0, 0x003C },
	{ "fmt2 fits", F2, true, APIE, PG_END - 264, F2, 0, 0 },
	{ "fmt2 on fmt1 crossing", F1, true, APIE, PG_END - 256, F2, 0, 0x003C },
	{ "fmt2 on fmt0 crossing", F0, true, APIE, PG_END - 256, F2, 0, 0x003C },
	{ "fmt2 on fmt1", F1, true, APIE, PG_END - 264, F2, 0, 0x0022 },
	/* the value 2: no page check */
	{ "value 2", F2, true, APIE, G3_CRYCB, 2, 0, 0x0022 },
	{ "value 2 crossing", F2, true, APIE, PG_END - 128, 2, 0, 0x0022 },
	{ "value 2 without APIE, keys", F2, true, 0, G3_CRYCB, 2, AES, 0 },
	/* the page check before the read: 0x003C, not 0x0035 */
	{ "fmt0 crossing outside guest-2", F2, true, APIE, 0x7FFFFFE0u, F0, 0, 0x003C },
	{ "fmt1 crossing outside guest-2", F2, true, APIE, 0x7FFFFF80u, F1, 0, 0x003C },
	{ "fmt2 crossing outside guest-2", F2, true, APIE, 0x7FFFFF00u, F2, 0, 0x003C },
	/* the origin's low three bits are not part of it */
	{ "origin bits 29-31 ignored", F2, true, APIE, 0, F2 | 4u, 0, 0x0039 },
	/* outside guest-2's storage */
	{ "APCB1 outside guest-2", F2, true, APIE, GUEST_SIZE, F2, 0, 0x0035 },
	{ "APCB0 outside guest-2", F2, true, APIE, 0x7FFFF000u, F0, 0, 0x0035 },
	{ "widened APCB0 outside guest-2", F2, true, APIE, GUEST_SIZE, F1, 0, 0x0035 },
	{ "key masks outside guest-2", F2, true, 0, GUEST_SIZE, F1, AES, 0x0035 },
	{ "key masks after a good APCB0", F2, true, APIE, GUEST_SIZE - 40, F0, AES, 0x0035 },
};

START_TEST(test_vsie_validity_crycb)
{
	const struct vcase *vc = &vcases[_i];
	struct g3_cfg c = { .eca = vc->eca, .crycbd = vc->crycb | vc->fmt_o, .ecb3 = vc->ecb3 };
	uint8_t psw[16];
	struct env e;

	vsie_open(&e, vc->fmt_h, vc->apie_h, false);
	g3_scb_put(&e, &c);
	if (vc->crycb)
		g3_crycb_put(&e, vc->crycb);
	g3_load(&e, sie_tapq3_bin, sie_tapq3_bin_len);
	memcpy(psw, g3_scb(&e) + S390AP_SCB_GPSW, sizeof(psw));
	g2_run(&e, APQN_GRANTED);
	if (vc->reason) {
		ck_assert_msg(g3_scb(&e)[S390AP_SCB_ICPTCODE] == S390AP_ICPT_VALIDITY &&
				      be_get32(g3_scb(&e) + S390AP_SCB_IPB) == (uint32_t)vc->reason
										       << 16,
			      "%s: icptcode %02x ipb %08x", vc->what,
			      g3_scb(&e)[S390AP_SCB_ICPTCODE],
			      be_get32(g3_scb(&e) + S390AP_SCB_IPB));
		expect_validity(&e, 0x1000, vc->reason);
		/* guest-3 did not run: its PSW is as guest-2 left it */
		ck_assert_mem_eq(g3_scb(&e) + S390AP_SCB_GPSW, psw, sizeof(psw));
		ck_assert_uint_eq(vsie_counts_get(&e).validity, 1);
		ck_assert_uint_eq(vsie_counts_get(&e).entries, 0);
		ck_assert(!vsie_running(&e));
	} else {
		ck_assert_msg(g3_scb(&e)[S390AP_SCB_ICPTCODE] == S390AP_ICPT_INST,
			      "%s: icptcode %02x ipb %08x", vc->what,
			      g3_scb(&e)[S390AP_SCB_ICPTCODE],
			      be_get32(g3_scb(&e) + S390AP_SCB_IPB));
		ck_assert_uint_eq(vsie_counts_get(&e).entries, 1);
		ck_assert_uint_eq(vsie_counts_get(&e).exits, 1);
	}
	env_close(&e);
}
END_TEST

/* The shadow passed the host's checks but failed the entry's own: guest-2
 * sees the reason with ipa counted one level up (0x2000). */
START_TEST(test_vsie_validity_entry_prefix)
{
	struct g3_cfg c = { .prefix = 0x100000 }; /* guest-3's window is 1 MiB */
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
	g3_scb_put(&e, &c);
	g3_load(&e, sie_tapq3_bin, sie_tapq3_bin_len);
	g2_run(&e, APQN_GRANTED);
	expect_validity(&e, 0x2000, S390AP_VALIDITY_PREFIX);
	ck_assert_uint_eq(vsie_counts_get(&e).validity, 1);
	ck_assert(!vsie_running(&e));
	env_close(&e);
}
END_TEST

/* The host's own checks of guest-3's window: ipa 0x1000. */
START_TEST(test_vsie_validity_window)
{
	struct env e;

	vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
	{
		struct g3_cfg c = { .mso = 0x200000, .msl = 0x100000 };

		g3_scb_put(&e, &c);
		g2_run(&e, APQN_GRANTED);
		expect_validity(&e, 0x1000, S390AP_VALIDITY_MSO_MSL);
	}
	{
		/* guest-3's window must end inside guest-2's 4 MiB */
		struct g3_cfg c = { .mso = 0x100000, .msl = GUEST_SIZE };

		g3_scb_put(&e, &c);
		g2_run(&e, APQN_GRANTED);
		expect_validity(&e, 0x1000, S390AP_VALIDITY_MSL);
	}
	ck_assert_uint_eq(vsie_counts_get(&e).validity, 2);
	env_close(&e);
}
END_TEST

TCase *vsie_validity_tcase(void)
{
	TCase *tc = tcase_create("validity");

	tcase_add_loop_test(tc, test_vsie_validity_crycb, 0, (int)ARRAY_SIZE(vcases));
	tcase_add_test(tc, test_vsie_validity_entry_prefix);
	tcase_add_test(tc, test_vsie_validity_window);
	return tc;
}
