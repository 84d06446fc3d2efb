/* SPDX-License-Identifier: MIT */
/* Assignment: the error codes and their order, idempotence, control
 * domains, ap_config, both policies, and the host masks' EBUSY. */
#include <stdio.h>

#include "matrix/matrix_test.h"

static void expect_matrix(const s390ap_mdev *md, const int *apm, const int *aqm, const int *adm)
{
	uint8_t a[32], q[32], d[32], ea[32], eq[32], ed[32];

	ck_assert_int_eq(s390ap_mdev_matrix(md, a, q, d), 0);
	mfill(ea, apm);
	mfill(eq, aqm);
	mfill(ed, adm);
	ck_assert_mem_eq(a, ea, 32);
	ck_assert_mem_eq(q, eq, 32);
	ck_assert_mem_eq(d, ed, 32);
}

static const int none[] = { -1 };

START_TEST(test_matrix_assign_ownership_and_sharing)
{
	struct menv e;
	s390ap_mdev *a, *b;
	char msg[160];
	const int a3[] = { 3, -1 }, d6[] = { 6, -1 }, c6[] = { 6, -1 };

	menv_open(&e, NULL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_B, &b), 0);
	/* adapters alone make no queue: no ownership check yet */
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), S390AP_EADDRNOTAVAIL);
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(e.mx), "03.0006"));
	expect_matrix(a, a3, none, none);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	/* another mdev: the domain alone is fine, the adapter makes 03.0006 */
	ck_assert_int_eq(s390ap_mdev_assign_domain(b, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(b, 3), S390AP_EADDRINUSE);
	snprintf(msg, sizeof msg,
		 "Userspace may not assign queue 03.0006 to mdev: already assigned to %s", UUID_A);
	ck_assert_str_eq(s390ap_matrix_errmsg(e.mx), msg);
	expect_matrix(b, none, d6, none);
	/* control domains are shared */
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(b, 6), 0);
	/* idempotent */
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 9), 0);
	ck_assert_int_eq(s390ap_mdev_unassign_domain(a, 9), 0);
	ck_assert_int_eq(s390ap_mdev_unassign_control_domain(a, 9), 0);
	expect_matrix(a, a3, d6, c6);
	/* re-assigning an id already set is not validated again */
	{
		uint8_t ones[32];

		memset(ones, 0xff, sizeof ones);
		ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 3), 0);
		ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 3), 0);
		ck_assert_int_eq(s390ap_mdev_assign_adapter(b, 3), 0);
		ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), S390AP_EADDRINUSE);
		(void)ones;
	}
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_assign_max_ids)
{
	struct menv e;
	struct menv_cfg small = { .na = 7, .nd = 9 }, noxa = { .no_apxa = true };
	s390ap_mdev *a;

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 256), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 256), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 256), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 256), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_unassign_domain(a, 1000), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_unassign_control_domain(a, (unsigned long)-1), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 255), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 255), 0);
	menv_close(&e);

	menv_open(&e, &small);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 8), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 7), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 10), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 9), 0);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 10), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 9), 0);
	menv_close(&e);

	menv_open(&e, &noxa);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 64), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 63), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 16), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 15), 0);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 16), S390AP_ENODEV);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_set_config_all_or_nothing)
{
	struct menv e;
	struct menv_cfg small = { .na = 15, .nd = 15 };
	s390ap_mdev *a, *b;
	uint8_t apm[32], aqm[32], adm[32];
	const int a34[] = { 3, 4, -1 }, a3_16[] = { 3, 16, -1 }, a4[] = { 4, -1 };
	const int d6[] = { 6, -1 }, d67[] = { 6, 7, -1 }, c0[] = { 0, -1 }, c20[] = { 0, 20, -1 };
	const int a3[] = { 3, -1 };

	menv_open(&e, &small);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_B, &b), 0);
	/* only queue 04.0006 and 04.0007 are given to vfio_ap (adapter 4 out
	 * of apmask); 03.xxxx stay the default driver's */
	{
		uint8_t m[32];

		memset(m, 0xff, sizeof m);
		m[0] = (uint8_t)~0x08u; /* clear apid 4 */
		ck_assert_int_eq(s390ap_matrix_set_apmask(e.mx, m), 0);
	}
	ck_assert_int_eq(s390ap_mdev_assign_adapter(b, 4), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(b, 7), 0);
	/* ownership + sharing + max: EADDRNOTAVAIL wins */
	mfill(apm, a3_16);
	mfill(aqm, d67);
	mfill(adm, c20);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), S390AP_EADDRNOTAVAIL);
	expect_matrix(a, none, none, none);
	/* sharing + max: EADDRINUSE */
	mfill(apm, a4);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), S390AP_EADDRINUSE);
	expect_matrix(a, none, none, none);
	/* max only: ENODEV, also for a control domain */
	mfill(aqm, d6);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), S390AP_ENODEV);
	expect_matrix(a, none, none, none);
	mfill(adm, c0);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), 0);
	expect_matrix(a, a4, d6, c0);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, NULL), S390AP_EINVAL);
	/* a replacement that takes away and adds at once */
	free_all(&e);
	mfill(apm, a3);
	mfill(aqm, d6);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), 0);
	expect_matrix(a, a3, d6, c0);
	mfill(apm, a34);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), 0);
	expect_matrix(a, a34, d6, c0);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_static_policy)
{
	struct menv e;
	struct menv_cfg st = { .policy = S390AP_MATRIX_STATIC };
	s390ap_mdev *a;
	uint8_t m[32], apm[32], aqm[32], adm[32], capm[32], caqm[32], cadm[32];
	const int a3[] = { 3, -1 }, d6[] = { 6, -1 }, c0x20[] = { 0x20, -1 };

	menv_open(&e, &st);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	/* nothing of adapter 3 is bound to vfio_ap */
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), S390AP_EADDRNOTAVAIL);
	memset(m, 0xff, sizeof m);
	m[0] = (uint8_t)~0x10u; /* adapter 3 to vfio_ap */
	ck_assert_int_eq(s390ap_matrix_set_apmask(e.mx, m), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), S390AP_EADDRNOTAVAIL); /* 04.0006 */
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(e.mx), "not bound to vfio_ap"));
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 9), S390AP_EADDRNOTAVAIL); /* absent */
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 0x20), 0);          /* range only */
	/* no filtering: the guest matrix is the assigned one */
	ck_assert_int_eq(s390ap_mdev_guest_matrix(a, apm, aqm, adm), 0);
	mfill(m, a3);
	ck_assert_mem_eq(apm, m, 32);
	mfill(m, d6);
	ck_assert_mem_eq(aqm, m, 32);
	mfill(m, c0x20);
	ck_assert_mem_eq(adm, m, 32);
	/* open: nothing changes while a guest has it */
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	crycb_masks(&e, e.vm[0], capm, caqm, cadm, NULL);
	ck_assert_mem_eq(capm, apm, 32);
	ck_assert_mem_eq(caqm, aqm, 32);
	ck_assert_mem_eq(cadm, adm, 32);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_unassign_domain(a, 6), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 1), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_unassign_control_domain(a, 0x20), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_set_config(a, apm, aqm, adm), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_remove(a), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), 0);
	ck_assert_int_eq(s390ap_mdev_remove(a), 0);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_host_mask_ebusy)
{
	struct menv e;
	s390ap_mdev *a;
	uint8_t m[32], before[32];
	const int a3[] = { 3, -1 }, a34[] = { 3, 4, -1 }, a4[] = { 4, -1 }, d7[] = { 7, -1 };
	const int d6[] = { 6, -1 };

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	/* with aqmask zero nothing is reserved by setting apmask bits */
	mfill(m, a34);
	ck_assert_int_eq(s390ap_matrix_set_apmask(e.mx, m), 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0306), S390AP_BIND_VFIO);
	/* 04.0007, 03.0007: not assigned */
	mfill(m, d7);
	ck_assert_int_eq(s390ap_matrix_set_aqmask(e.mx, m), 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0407), S390AP_BIND_DEFAULT);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0307), S390AP_BIND_DEFAULT);
	/* 03.0006 is A's: EBUSY, nothing changes */
	ck_assert_int_eq(s390ap_matrix_aqmask(e.mx, before), 0);
	mfill(m, (const int[]){ 6, 7, -1 });
	ck_assert_int_eq(s390ap_matrix_set_aqmask(e.mx, m), S390AP_EBUSY);
	ck_assert_str_eq(s390ap_matrix_errmsg(e.mx),
			 "Can not reserve queue 03.0006 for host driver: in use by mdev");
	ck_assert_int_eq(s390ap_matrix_aqmask(e.mx, m), 0);
	ck_assert_mem_eq(m, before, 32);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0406), S390AP_BIND_VFIO);
	/* narrowing apmask to 4 first makes the same aqmask acceptable */
	mfill(m, a4);
	ck_assert_int_eq(s390ap_matrix_set_apmask(e.mx, m), 0);
	mfill(m, (const int[]){ 6, 7, -1 });
	ck_assert_int_eq(s390ap_matrix_set_aqmask(e.mx, m), 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0406), S390AP_BIND_DEFAULT);
	/* and setting apid 3 back is refused */
	mfill(m, a34);
	ck_assert_int_eq(s390ap_matrix_set_apmask(e.mx, m), S390AP_EBUSY);
	/* clearing bits always works */
	mfill(m, d6);
	ck_assert_int_eq(s390ap_matrix_set_aqmask(e.mx, m), 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0407), S390AP_BIND_VFIO);
	mfill(m, a3);
	(void)m;
	menv_close(&e);
}
END_TEST

TCase *matrix_assign_tcase(void)
{
	TCase *tc = tcase_create("assign");

	tcase_add_test(tc, test_matrix_assign_ownership_and_sharing);
	tcase_add_test(tc, test_matrix_assign_max_ids);
	tcase_add_test(tc, test_matrix_set_config_all_or_nothing);
	tcase_add_test(tc, test_matrix_static_policy);
	tcase_add_test(tc, test_matrix_host_mask_ebusy);
	return tc;
}
