/* SPDX-License-Identifier: MIT */
/* Filtering: the guest matrix from the assigned one, the configuration
 * and the binding; over-provisioning and configuration changes; failed
 * resets hiding their adapter. */
#include "matrix/matrix_test.h"

static void expect_guest(const s390ap_mdev *md, const int *apm, const int *aqm, const int *adm)
{
	uint8_t a[32], q[32], d[32], ea[32], eq[32], ed[32];

	ck_assert_int_eq(s390ap_mdev_guest_matrix(md, a, q, d), 0);
	mfill(ea, apm);
	mfill(eq, aqm);
	mfill(ed, adm);
	ck_assert_mem_eq(a, ea, 32);
	ck_assert_mem_eq(q, eq, 32);
	ck_assert_mem_eq(d, ed, 32);
}

static void expect_crycb(struct menv *e, s390ap_vm *vm, const int *apm, const int *aqm)
{
	uint8_t a[32], q[32], ea[32], eq[32];

	crycb_masks(e, vm, a, q, NULL, NULL);
	mfill(ea, apm);
	mfill(eq, aqm);
	ck_assert_mem_eq(a, ea, 32);
	ck_assert_mem_eq(q, eq, 32);
}

START_TEST(test_matrix_filter_rules)
{
	struct menv e;
	s390ap_mdev *a;
	s390ap_adapter_opts ao = { .size = sizeof(ao) };

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	/* 9 and 0x30 are not in the configuration (over-provisioning) */
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 5), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 9), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 0x30), 0);
	/* control domains: ANDed with the host's ADM only (0 is control-only,
	 * 0x40 is absent); no binding-based filtering */
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 0), 0);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 8), 0);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 0x40), 0);
	expect_guest(a, (const int[]){ 3, 5, -1 }, (const int[]){ 6, -1 },
		     (const int[]){ 0, 8, -1 });
	/* domain 7 exists on 3 but not on 5: the missing 05.0007 hides the
	 * whole adapter 5; the domain stays */
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), 0);
	expect_guest(a, (const int[]){ 3, -1 }, (const int[]){ 6, 7, -1 },
		     (const int[]){ 0, 8, -1 });
	ck_assert_int_eq(s390ap_mdev_unassign_domain(a, 7), 0);
	expect_guest(a, (const int[]){ 3, 5, -1 }, (const int[]){ 6, -1 },
		     (const int[]){ 0, 8, -1 });
	/* adapter 9 arrives: it appears */
	ck_assert_int_eq(s390ap_adapter_add(e.m, 9, &ao), 0);
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0906), S390AP_BIND_VFIO);
	expect_guest(a, (const int[]){ 3, 5, 9, -1 }, (const int[]){ 6, -1 },
		     (const int[]){ 0, 8, -1 });
	/* domain 0x30 arrives as usage domain: adapter 5 does not implement
	 * it, so 05.0030 is missing and 5 leaves */
	ck_assert_int_eq(s390ap_domain_add(e.m, 0x30, true, false), 0);
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0530), S390AP_BIND_NONE);
	expect_guest(a, (const int[]){ 3, 9, -1 }, (const int[]){ 6, 0x30, -1 },
		     (const int[]){ 0, 8, -1 });
	/* domain 8 leaves: the control domain goes with it */
	ck_assert_int_eq(s390ap_domain_remove(e.m, 8), 0);
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	expect_guest(a, (const int[]){ 3, 9, -1 }, (const int[]){ 6, 0x30, -1 },
		     (const int[]){ 0, -1 });
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0308), S390AP_BIND_NONE);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_config_change_open_guest)
{
	struct menv e;
	s390ap_mdev *a;
	s390ap_adapter_opts ao = { .size = sizeof(ao) };
	uint64_t u;

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_ptr_eq(s390ap_mdev_vm(a), e.vm[0]);
	expect_crycb(&e, e.vm[0], (const int[]){ 3, 4, -1 }, (const int[]){ 6, 7, -1 });
	u = s390ap_mdev_crycb_updates(a);
	/* adapter 4 leaves the machine: one CRYCB update */
	ck_assert_int_eq(s390ap_adapter_remove(e.m, 4), 0);
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 1);
	expect_crycb(&e, e.vm[0], (const int[]){ 3, -1 }, (const int[]){ 6, 7, -1 });
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0406), S390AP_BIND_NONE);
	/* a rescan that changes nothing writes nothing */
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 1);
	/* it comes back: plugged again in one update */
	ck_assert_int_eq(s390ap_adapter_add(e.m, 4, &ao), 0);
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 2);
	expect_crycb(&e, e.vm[0], (const int[]){ 3, 4, -1 }, (const int[]){ 6, 7, -1 });
	/* domain 7 leaves: one update */
	ck_assert_int_eq(s390ap_domain_remove(e.m, 7), 0);
	ck_assert_int_eq(s390ap_matrix_config_changed(e.mx), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 3);
	expect_crycb(&e, e.vm[0], (const int[]){ 3, 4, -1 }, (const int[]){ 6, -1 });
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_ptr_null(s390ap_mdev_vm(a));
	expect_crycb(&e, e.vm[0], (const int[]){ -1 }, (const int[]){ -1 });
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_failed_reset_hides_adapter)
{
	struct menv e;
	s390ap_mdev *a;
	uint32_t sw;

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_int_eq(s390ap_mdev_reset(a), 0);
	ck_assert_int_eq(s390ap_matrix_reset_status(e.mx, 0x0406, &sw), 0);
	ck_assert_uint_eq(S390AP_SW_RC(sw), 0);
	ck_assert_int_eq(s390ap_adapter_checkstop(e.m, 4, true), 0);
	ck_assert_int_eq(s390ap_mdev_reset(a), S390AP_EIO);
	ck_assert_int_eq(s390ap_matrix_reset_status(e.mx, 0x0406, &sw), 0);
	ck_assert_uint_eq(S390AP_SW_RC(sw), S390AP_RC_CHECKSTOPPED);
	expect_guest(a, (const int[]){ 3, -1 }, (const int[]){ 6, -1 }, (const int[]){ -1 });
	expect_crycb(&e, e.vm[0], (const int[]){ 3, -1 }, (const int[]){ 6, -1 });
	/* cleared, reset again: the adapter is back */
	ck_assert_int_eq(s390ap_adapter_checkstop(e.m, 4, false), 0);
	ck_assert_int_eq(s390ap_mdev_reset(a), 0);
	expect_crycb(&e, e.vm[0], (const int[]){ 3, 4, -1 }, (const int[]){ 6, -1 });
	/* a deconfigured queue counts as reset (the machine did it) */
	ck_assert_int_eq(s390ap_adapter_configure(e.m, 4, false), 0);
	ck_assert_int_eq(s390ap_mdev_reset(a), 0);
	ck_assert_int_eq(s390ap_matrix_reset_status(e.mx, 0x0406, &sw), 0);
	ck_assert_uint_eq(sw, 0);
	/* a queue busy for longer than the waits: the reset times out */
	ck_assert_int_eq(s390ap_adapter_configure(e.m, 4, true), 0);
	ck_assert_int_eq(s390ap_queue_busy(e.m, 0x0306, UINT64_MAX / 4), 0);
	ck_assert_int_eq(s390ap_mdev_reset(a), S390AP_EIO);
	ck_assert_int_eq(s390ap_matrix_reset_status(e.mx, 0x0306, &sw), 0);
	ck_assert_uint_eq(S390AP_SW_RC(sw), S390AP_RC_BUSY);
	expect_guest(a, (const int[]){ 4, -1 }, (const int[]){ 6, -1 }, (const int[]){ -1 });
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_unplug_resets_queues)
{
	struct menv e;
	s390ap_mdev *a;
	s390ap_queue_info before, after;

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e.m, 0x0406, &before), 0);
	ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 4), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e.m, 0x0406, &after), 0);
	ck_assert_uint_eq(after.resets, before.resets + 1);
	/* closed: no guest, nothing to reset */
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e.m, 0x0306, &before), 0);
	ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e.m, 0x0306, &after), 0);
	ck_assert_uint_eq(after.resets, before.resets);
	menv_close(&e);
}
END_TEST

/* The waits: by default one of 20 ms (20,000,000 cycles at 1000 per
 * microsecond) for a queue that resets at once; with retries 2 and
 * retry_cycles 1000, a queue that stays busy costs exactly two waits.  The
 * second matrix has no host model: its PQAPs run without storage. */
START_TEST(test_matrix_reset_waits)
{
	struct menv e;
	s390ap_matrix *mx2;
	s390ap_matrix_opts o = {
		.size = sizeof(o), .retries = 2, .retry_cycles = 1000, .masks_zero = true
	};
	s390ap_mdev *a;
	uint64_t t;

	menv_open(&e, NULL);
	free_all(&e);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	t = s390ap_machine_now(e.m);
	ck_assert_int_eq(s390ap_mdev_reset(a), 0);
	ck_assert_uint_eq(s390ap_machine_now(e.m) - t, 20000000u);
	ck_assert_int_eq(s390ap_mdev_remove(a), 0);

	ck_assert_int_eq(s390ap_matrix_new(&mx2, e.m, NULL, &o), 0);
	ck_assert_int_eq(s390ap_mdev_create(mx2, UUID_B, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), S390AP_EINVAL); /* no host model */
	ck_assert_int_eq(s390ap_mdev_reset(a), 0);
	ck_assert_int_eq(s390ap_queue_busy(e.m, 0x0306, 1000000000u), 0);
	t = s390ap_machine_now(e.m);
	ck_assert_int_eq(s390ap_mdev_reset(a), S390AP_EIO);
	ck_assert_uint_eq(s390ap_machine_now(e.m) - t, 2000u);
	s390ap_matrix_free(mx2);
	menv_close(&e);
}
END_TEST

TCase *matrix_filter_tcase(void)
{
	TCase *tc = tcase_create("filter");

	tcase_add_test(tc, test_matrix_filter_rules);
	tcase_add_test(tc, test_matrix_config_change_open_guest);
	tcase_add_test(tc, test_matrix_failed_reset_hides_adapter);
	tcase_add_test(tc, test_matrix_unplug_resets_queues);
	tcase_add_test(tc, test_matrix_reset_waits);
	return tc;
}
