/* SPDX-License-Identifier: MIT */
/* test_vsie -- nested guests (src/vsie/, docs/vsie.md): a guest-2 of the
 * host model (tests/sie/asm/sie_host.S) issues SIE on a guest-3 SCB it
 * keeps in its own storage; the host shadows guest-3's SCB and CRYCB and
 * runs guest-3 (tests/asm/tapq.S) against the shadow.  The layout of
 * guest-2's storage is in vsie/vsie_test.h; the format table, the validity
 * codes, the key masks and the restart are in tests/vsie/. */
#include "vsie/vsie_test.h"

/* A format-2 CRYCB for guest-3 with every mask all ones. */
static void g3_crycb_all(struct env *e)
{
	uint8_t c[S390AP_CRYCB_SIZE];

	memset(c, 0, sizeof(c));
	memset(c + S390AP_CRYCB_APCB0, 0xFF, S390AP_CRYCB_APCB0_LEN);
	memset(c + S390AP_CRYCB_APCB1, 0xFF, 96);
	ck_assert_int_eq(s390ap_vm_write(e->vm, G3_CRYCB, c, sizeof(c)), 0);
}

/* Guest-3's SCB and program (tapq.S) in guest-2's storage. */
static void g3_setup(struct env *e, uint32_t eca, uint32_t crycbd)
{
	struct g3_cfg c = { .eca = eca, .crycbd = crycbd };

	g3_scb_put(e, &c);
	g3_load(e, sie_tapq3_bin, sie_tapq3_bin_len);
}

START_TEST(test_vsie_tapq_granted)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, S390AP_ECA_APIE, G3_CRYCB | S390AP_CRYCB_FORMAT2);
	g3_crycb_all(&e);
	g2_run(&e, APQN_GRANTED);
	/* guest-3's DIAG 0x44 went back to guest-2 as its interception */
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	{
		s390ap_vsie_info vi;

		ck_assert_int_eq(s390ap_vcpu_vsie(e.v, &vi), 0);
		ck_assert(!vi.active);
		ck_assert_uint_eq(vi.entries, 1);
		ck_assert_uint_eq(vi.exits, 1);
		ck_assert_uint_eq(vi.validity, 0);
		ck_assert_uint_eq(vi.g3_scb, G3_SCB);
		ck_assert_uint_eq(vi.shadow_crycb, vi.shadow_scb + 0x700);
		ck_assert_uint_lt(vi.shadow_crycb, 0x80000000u);
		/* the shadow's view: guest-2's 03.0006 only (format 2) */
		ck_assert_uint_eq(host_mem(&e)[vi.shadow_crycb + S390AP_CRYCB_APCB1_APM], 0x10);
		ck_assert_uint_eq(s390ap_vcpu_vsie(NULL, &vi), S390AP_EINVAL);
	}
	{
		s390ap_cpu_stats st;

		/* guest-3's TAPQ counts on the vSIE path */
		ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, &st), 0);
		ck_assert_uint_eq(st.ap_path[S390AP_PATH_VSIE], 1);
		ck_assert_uint_eq(st.ap_path[S390AP_PATH_INTERPRETED], 0);
	}
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0x8300);
	ck_assert_uint_eq(be_get32(g3_scb(&e) + S390AP_SCB_IPB), 0x00440000);
	ck_assert_uint_eq(g3_cc(&e), 0);
	/* guest-3's GR1 (the status word) is guest-2's after its SIE */
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_NORMAL);
	env_close(&e);
}
END_TEST

/* All ones in guest-3's masks reach nothing guest-2 was not given. */
START_TEST(test_vsie_tapq_outside_guest2)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, S390AP_ECA_APIE, G3_CRYCB | S390AP_CRYCB_FORMAT2);
	g3_crycb_all(&e);
	g2_run(&e, 0x0406);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(g3_cc(&e), 3);
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_Q_NOT_AVAIL);
	env_close(&e);
}
END_TEST

START_TEST(test_vsie_validity_zero_origin)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, S390AP_ECA_APIE, S390AP_CRYCB_FORMAT2); /* origin 0 */
	g2_run(&e, APQN_GRANTED);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_VALIDITY);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0x1000);
	ck_assert_uint_eq(be_get32(g3_scb(&e) + S390AP_SCB_IPB), 0x0039u << 16);
	env_close(&e);
}
END_TEST

/* Without ECA_APIE in guest-3's SCB its PQAP goes back to guest-2. */
START_TEST(test_vsie_pqap_to_guest2)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, 0, 0);
	g2_run(&e, APQN_GRANTED);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0xB2AF);
	env_close(&e);
}
END_TEST

static Suite *vsie_suite(void)
{
	Suite *s = suite_create("vsie");
	TCase *tc = tcase_create("nested");

	tcase_add_test(tc, test_vsie_tapq_granted);
	tcase_add_test(tc, test_vsie_tapq_outside_guest2);
	tcase_add_test(tc, test_vsie_validity_zero_origin);
	tcase_add_test(tc, test_vsie_pqap_to_guest2);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, vsie_formats_tcase());
	suite_add_tcase(s, vsie_validity_tcase());
	suite_add_tcase(s, vsie_keys_tcase());
	suite_add_tcase(s, vsie_run_tcase());
	suite_add_tcase(s, vsie_cache_tcase());
	return s;
}

int main(void)
{
	return run_suite(vsie_suite());
}
