/* SPDX-License-Identifier: MIT */
/* test_matrix -- the vfio-ap matrix layer (src/matrix/, docs/matrix.md):
 * mdevs, the AP bus's masks and binding, the assignment rules of both
 * policies, filtering, configuration changes, open / release / reset /
 * remove on the host model's VMs, the AQIC hook, and a randomized run of
 * every operation checking the invariants after each step. */
#include <stdio.h>

#include "matrix/matrix_test.h"

START_TEST(test_matrix_create_uuid)
{
	struct menv e;
	s390ap_mdev *a, *b, *x = (s390ap_mdev *)1;

	menv_open(&e, NULL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_B, &b), 0);
	ck_assert_str_eq(s390ap_mdev_uuid(b), UUID_B_LOWER);
	ck_assert_ptr_eq(s390ap_mdev_find(e.mx, UUID_B), b);
	ck_assert_ptr_eq(s390ap_mdev_find(e.mx, UUID_B_LOWER), b);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_B_LOWER, &x), S390AP_EEXIST);
	ck_assert_ptr_null(x);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, "not-a-uuid", NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, "0e9b5a2c3f1d-4c6a-9b7e-2d4f6a8c0b1e0", NULL),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, "0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1", NULL),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, "0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e\n", NULL),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, "0e9b5a2g-3f1d-4c6a-9b7e-2d4f6a8c0b1e", NULL),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, NULL, NULL), S390AP_EINVAL);
	ck_assert_uint_eq(s390ap_matrix_mdev_count(e.mx), 2);
	ck_assert_ptr_eq(s390ap_matrix_mdev(e.mx, 0), a);
	ck_assert_ptr_eq(s390ap_matrix_mdev(e.mx, 1), b);
	ck_assert_ptr_null(s390ap_matrix_mdev(e.mx, 2));
	ck_assert_int_eq(s390ap_mdev_remove(a), 0);
	ck_assert_uint_eq(s390ap_matrix_mdev_count(e.mx), 1);
	ck_assert_ptr_eq(s390ap_matrix_mdev(e.mx, 0), b);
	ck_assert_ptr_null(s390ap_mdev_find(e.mx, UUID_A));
	menv_close(&e);
}
END_TEST

static void fill_to_limit(struct menv *e, int expect)
{
	char u[40];

	for (unsigned i = 0; i < S390AP_MATRIX_MAX_MDEVS; i++) {
		snprintf(u, sizeof u, "00000000-0000-0000-0000-%012x", i);
		ck_assert_int_eq(s390ap_mdev_create(e->mx, u, NULL), 0);
	}
	ck_assert_int_eq(s390ap_mdev_create(e->mx, UUID_A, NULL), expect);
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(e->mx), "no instances left"));
	ck_assert_uint_eq(s390ap_matrix_mdev_count(e->mx), S390AP_MATRIX_MAX_MDEVS);
	/* a taken UUID is EEXIST even when full */
	ck_assert_int_eq(s390ap_mdev_create(e->mx, "00000000-0000-0000-0000-000000000000", NULL),
			 S390AP_EEXIST);
}

START_TEST(test_matrix_create_limit)
{
	struct menv e;
	struct menv_cfg st = { .policy = S390AP_MATRIX_STATIC };

	menv_open(&e, NULL);
	fill_to_limit(&e, S390AP_EUSERS);
	menv_close(&e);
	menv_open(&e, &st);
	fill_to_limit(&e, S390AP_EPERM);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_default_masks_and_binding)
{
	struct menv e;
	struct menv_cfg z = { .masks_zero = true };
	uint8_t mask[32], ones[32];

	memset(ones, 0xff, sizeof ones);
	menv_open(&e, NULL);
	ck_assert_int_eq(s390ap_matrix_apmask(e.mx, mask), 0);
	ck_assert_mem_eq(mask, ones, 32);
	ck_assert_int_eq(s390ap_matrix_aqmask(e.mx, mask), 0);
	ck_assert_mem_eq(mask, ones, 32);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0306), S390AP_BIND_DEFAULT);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0508), S390AP_BIND_NONE); /* not on 5 */
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0906), S390AP_BIND_NONE);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0300), S390AP_BIND_NONE); /* control only */
	menv_close(&e);
	menv_open(&e, &z);
	ck_assert_int_eq(s390ap_matrix_apmask(e.mx, mask), 0);
	ck_assert(mask[0] == 0 && mask[31] == 0);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0306), S390AP_BIND_VFIO);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0506), S390AP_BIND_VFIO);
	ck_assert_int_eq(s390ap_matrix_binding(e.mx, 0x0507), S390AP_BIND_NONE);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_queue_use)
{
	struct menv e;
	s390ap_mdev *a;
	s390ap_queue_use use;

	menv_open(&e, NULL);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0306, &use), S390AP_ENODEV);
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(e.mx), "03.0006"));
	free_all(&e);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0906, &use), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0306, &use), 0);
	ck_assert_int_eq(use, S390AP_QUEUE_UNASSIGNED);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_A, &a), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 5), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 6), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), 0);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0306, &use), 0);
	ck_assert_int_eq(use, S390AP_QUEUE_ASSIGNED);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0306, &use), 0);
	ck_assert_int_eq(use, S390AP_QUEUE_IN_USE);
	/* adapter 5 is filtered (05.0007 is missing): assigned, not in use */
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0506, &use), 0);
	ck_assert_int_eq(use, S390AP_QUEUE_ASSIGNED);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0406, &use), 0);
	ck_assert_int_eq(use, S390AP_QUEUE_UNASSIGNED);
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_int_eq(s390ap_matrix_queue_use(e.mx, 0x0306, &use), 0);
	ck_assert_int_eq(use, S390AP_QUEUE_ASSIGNED);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_null_arguments)
{
	struct menv e;
	uint8_t m[32];
	s390ap_matrix *mx = (s390ap_matrix *)1;

	ck_assert_int_eq(s390ap_matrix_new(&mx, NULL, NULL, NULL), S390AP_EINVAL);
	ck_assert_ptr_null(mx);
	menv_open(&e, NULL);
	{
		s390ap_matrix_opts o = { .size = sizeof(o), .policy = 7 };

		ck_assert_int_eq(s390ap_matrix_new(&mx, e.m, NULL, &o), S390AP_EINVAL);
	}
	ck_assert_int_eq(s390ap_matrix_apmask(NULL, m), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_set_apmask(e.mx, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(NULL, 1), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_open(NULL, e.vm[0]), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_remove(NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_config_changed(NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_matrix_errmsg(NULL), "");
	ck_assert_str_eq(s390ap_mdev_uuid(NULL), "");
	ck_assert_uint_eq(s390ap_matrix_mdev_count(NULL), 0);
	s390ap_matrix_free(NULL);
	menv_close(&e);
}
END_TEST

static Suite *matrix_suite(void)
{
	Suite *s = suite_create("matrix");
	TCase *tc = tcase_create("basics");

	tcase_add_test(tc, test_matrix_create_uuid);
	tcase_add_test(tc, test_matrix_create_limit);
	tcase_add_test(tc, test_matrix_default_masks_and_binding);
	tcase_add_test(tc, test_matrix_queue_use);
	tcase_add_test(tc, test_matrix_null_arguments);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, matrix_assign_tcase());
	suite_add_tcase(s, matrix_filter_tcase());
#ifdef S390AP_MATRIX_PROGRAMS
	suite_add_tcase(s, matrix_guest_tcase());
#endif
	suite_add_tcase(s, matrix_random_tcase());
	return s;
}

int main(void)
{
	return run_suite(matrix_suite());
}
