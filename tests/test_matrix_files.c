/* SPDX-License-Identifier: MIT */
/* The matrix layer's string interface and mdevctl configurations:
 * s390ap_matrix_write / s390ap_matrix_read and s390ap_mdevctl_*, on the
 * default machine (adapters 03-05, domains 0006, 0007, 0047; other ids
 * over-provision) with host masks that start all zero. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "s390ap/matrix.h"
#include "testutil.h"

#define UUID "669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2"
#define UUID2 "3a8d0ac2-2c3e-4c9b-9b0a-1f2e3d4c5b6a"
#define MD "devices/vfio_ap/matrix/" UUID "/"
#define TY "devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/"

static s390ap_machine *mach;
static s390ap_matrix *mx;

static void setup(void)
{
	ck_assert_int_eq(s390ap_machine_new_default(&mach, NULL), 0);
	s390ap_matrix_opts o = { .masks_zero = true };
	ck_assert_int_eq(s390ap_matrix_new(&mx, mach, NULL, &o), 0);
}

static void teardown(void)
{
	s390ap_matrix_free(mx);
	s390ap_machine_free(mach);
}

static const char *rd(const char *path)
{
	static char buf[4096];
	size_t len = 0;
	int rc = s390ap_matrix_read(mx, path, buf, sizeof(buf), &len);
	ck_assert_msg(rc == 0, "read %s: %d %s", path, rc, s390ap_matrix_errmsg(mx));
	ck_assert_uint_eq(len, strlen(buf));
	return buf;
}

static void wr(const char *path, const char *text)
{
	int rc = s390ap_matrix_write(mx, path, text);
	ck_assert_msg(rc == 0, "write %s <- %s: %d %s", path, text, rc, s390ap_matrix_errmsg(mx));
}

START_TEST(test_matrix_files_type)
{
	ck_assert_str_eq(rd(TY "name"), "VFIO AP Passthrough Device\n");
	ck_assert_str_eq(rd(TY "device_api"), "vfio-ap\n");
	ck_assert_str_eq(rd(TY "available_instances"), "256\n");
	ck_assert_str_eq(rd("devices/vfio_ap/matrix/features"), "guest_matrix hotplug ap_config\n");
	wr(TY "create", "669D9B23-FE1B-4ECD-BE08-E5FD00F0F4A2\n");
	ck_assert_str_eq(rd(TY "available_instances"), "255\n");
	ck_assert_ptr_nonnull(s390ap_mdev_find(mx, UUID));
	ck_assert_int_eq(s390ap_matrix_write(mx, TY "create", UUID), S390AP_EEXIST);
	ck_assert_int_eq(s390ap_matrix_write(mx, TY "create", "not-a-uuid"), S390AP_EINVAL);
	ck_assert_str_eq(rd(TY "available_instances"), "255\n");
}
END_TEST

START_TEST(test_matrix_files_masks)
{
	ck_assert_str_eq(rd("bus/ap/apmask"),
			 "0x0000000000000000000000000000000000000000000000000000000000000000\n");
	wr("bus/ap/apmask", "0x41\n");
	ck_assert_str_eq(rd("bus/ap/apmask"),
			 "0x4100000000000000000000000000000000000000000000000000000000000000\n");
	wr("bus/ap/apmask", "+0-3,-1\n");
	ck_assert_str_eq(rd("bus/ap/apmask"),
			 "0xb100000000000000000000000000000000000000000000000000000000000000\n");
	wr("bus/ap/aqmask", "-0,+255");
	ck_assert_str_eq(rd("bus/ap/aqmask"),
			 "0x0000000000000000000000000000000000000000000000000000000000000001\n");
	ck_assert_int_eq(s390ap_matrix_write(mx, "bus/ap/aqmask", "+256"), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_write(mx, "bus/ap/aqmask", "1,2"), S390AP_EINVAL);
	ck_assert_str_eq(rd("bus/ap/aqmask"),
			 "0x0000000000000000000000000000000000000000000000000000000000000001\n");
}
END_TEST

START_TEST(test_matrix_files_assign)
{
	wr(TY "create", UUID);
	ck_assert_str_eq(rd(MD "matrix"), "");
	wr(MD "assign_adapter", "5\n");
	wr(MD "assign_adapter", "0x06");
	ck_assert_str_eq(rd(MD "matrix"), "05.\n06.\n");
	wr(MD "assign_domain", "04");
	wr(MD "assign_domain", "0xab\n");
	ck_assert_str_eq(rd(MD "matrix"), "05.0004\n05.00ab\n06.0004\n06.00ab\n");
	wr(MD "unassign_adapter", "5");
	wr(MD "unassign_adapter", "5");
	ck_assert_str_eq(rd(MD "matrix"), "06.0004\n06.00ab\n");
	wr(MD "assign_control_domain", "171");
	wr(MD "assign_control_domain", "0");
	ck_assert_str_eq(rd(MD "control_domains"), "0000\n00ab\n");
	wr(MD "unassign_control_domain", "0");
	wr(MD "unassign_domain", "4");
	ck_assert_str_eq(rd(MD "control_domains"), "00ab\n");
	ck_assert_str_eq(rd(MD "ap_config"),
			 "0x0200000000000000000000000000000000000000000000000000000000000000,"
			 "0x0000000000000000000000000000000000000000001000000000000000000000,"
			 "0x0000000000000000000000000000000000000000001000000000000000000000\n");
	/* no configuration: the guest sees nothing */
	ck_assert_str_eq(rd(MD "guest_matrix"), "");
}
END_TEST

START_TEST(test_matrix_files_assign_errors)
{
	wr(TY "create", UUID);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "assign_adapter", "five"), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "assign_adapter", "5,6"), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "assign_domain", "99999999999999999999999"),
			 S390AP_ERANGE);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "assign_adapter", "256"), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "unassign_control_domain", "0x100"),
			 S390AP_ENODEV);
	ck_assert_str_eq(rd(MD "matrix"), "");
	/* another mdev's files, unknown files */
	ck_assert_int_eq(s390ap_matrix_write(mx, "devices/vfio_ap/matrix/" UUID2 "/assign_adapter",
					     "5"),
			 S390AP_ENOENT);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "bogus", "5"), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_matrix_write(mx, "bus/ap/bogus", "5"), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_matrix_write(mx, NULL, "5"), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "assign_adapter", NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_matrix_write(NULL, MD "assign_adapter", "5"), S390AP_EINVAL);
	/* write-only and read-only files */
	char buf[64];
	size_t len;
	ck_assert_int_eq(s390ap_matrix_read(mx, MD "assign_adapter", buf, sizeof(buf), &len),
			 S390AP_EPERM);
	ck_assert_int_eq(s390ap_matrix_read(mx, MD "remove", buf, sizeof(buf), &len), S390AP_EPERM);
	ck_assert_int_eq(s390ap_matrix_read(mx, TY "create", buf, sizeof(buf), &len), S390AP_EPERM);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "matrix", "5"), S390AP_EPERM);
	ck_assert_int_eq(s390ap_matrix_write(mx, TY "name", "x"), S390AP_EPERM);
	ck_assert_int_eq(s390ap_matrix_write(mx, "devices/vfio_ap/matrix/features", "x"),
			 S390AP_EPERM);
	/* a queue outside the configuration has no status file */
	ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/devices/07.0047/status", buf, sizeof(buf),
					    &len),
			 S390AP_ENOENT);
}
END_TEST

START_TEST(test_matrix_files_ap_config)
{
	wr(TY "create", UUID);
	wr(MD "ap_config", "0x04,0x0000000000000000010,x8\n");
	ck_assert_str_eq(rd(MD "matrix"), "05.0047\n");
	ck_assert_str_eq(rd(MD "control_domains"), "0000\n");
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "ap_config", "0x04,0x01"), S390AP_EINVAL);
	ck_assert_str_eq(rd(MD "matrix"), "05.0047\n");
	wr(MD "ap_config", ",,\n");
	ck_assert_str_eq(rd(MD "matrix"), "");
}
END_TEST

START_TEST(test_matrix_files_read_short)
{
	char buf[8];
	size_t len = 0;
	ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/apmask", buf, sizeof(buf), &len),
			 S390AP_ENOSPC);
	ck_assert_uint_eq(len, 68);
	ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/apmask", NULL, 0, &len), S390AP_ENOSPC);
	ck_assert_uint_eq(len, 68);
	char fit[68];
	ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/apmask", fit, sizeof(fit), &len), 0);
	ck_assert_uint_eq(len, 67);
	ck_assert_int_eq(s390ap_matrix_read(mx, "nowhere", fit, sizeof(fit), &len), S390AP_ENOENT);
}
END_TEST

START_TEST(test_matrix_files_remove)
{
	wr(TY "create", UUID);
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "remove", "x"), S390AP_EINVAL);
	/* 0 does nothing */
	wr(MD "remove", "0\n");
	ck_assert_ptr_nonnull(s390ap_mdev_find(mx, UUID));
	wr(MD "remove", "1\n");
	ck_assert_ptr_null(s390ap_mdev_find(mx, UUID));
	ck_assert_int_eq(s390ap_matrix_write(mx, MD "remove", "1"), S390AP_ENOENT);
	ck_assert_str_eq(rd(TY "available_instances"), "256\n");
}
END_TEST

START_TEST(test_matrix_files_status)
{
	char buf[64];
	size_t len;
	wr(TY "create", UUID);
	/* no such queue in the configuration */
	ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/devices/07.0047/status", buf, sizeof(buf),
					    &len),
			 S390AP_ENOENT);
	if (s390ap_matrix_binding(mx, S390AP_APQN(5, 0x47)) != S390AP_BIND_VFIO) {
		/* a core that binds nothing: no queue has the file */
		ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/devices/05.0047/status", buf,
						    sizeof(buf), &len),
				 S390AP_ENOENT);
		return;
	}
	ck_assert_str_eq(rd("bus/ap/devices/05.0047/status"), "unassigned\n");
	wr(MD "assign_adapter", "5");
	wr(MD "assign_domain", "0x47");
	ck_assert_str_eq(rd("bus/ap/devices/05.0047/status"), "assigned\n");
	ck_assert_str_eq(rd("bus/ap/devices/05.0006/status"), "unassigned\n");
	/* 04.0006 to the default driver: its status file goes */
	wr("bus/ap/apmask", "+4");
	wr("bus/ap/aqmask", "+6");
	ck_assert_int_eq(s390ap_matrix_read(mx, "bus/ap/devices/04.0006/status", buf, sizeof(buf),
					    &len),
			 S390AP_ENOENT);
	/* 04.0047 is nobody's; 05.0047 is assigned: the default driver cannot
	 * have it, and the mask stays */
	wr("bus/ap/aqmask", "+0x47");
	ck_assert_int_eq(s390ap_matrix_write(mx, "bus/ap/apmask", "+5"), S390AP_EBUSY);
	ck_assert_str_eq(rd("bus/ap/apmask"),
			 "0x0800000000000000000000000000000000000000000000000000000000000000\n");
	ck_assert_int_eq(s390ap_matrix_write(mx, "bus/ap/devices/05.0047/status", "x"),
			 S390AP_EPERM);
}
END_TEST

/* ---- mdevctl ---- */

static const char *cfg_example = "{\n"
				 "  \"mdev_type\": \"vfio_ap-passthrough\",\n"
				 "  \"start\": \"auto\",\n"
				 "  \"attrs\": [\n"
				 "    { \"assign_adapter\": \"5\" },\n"
				 "    { \"assign_domain\": \"0x47\" },\n"
				 "    { \"assign_domain\": \"0xff\" },\n"
				 "    { \"assign_control_domain\": \"0x47\" }\n"
				 "  ]\n"
				 "}\n";

START_TEST(test_matrix_mdevctl_start)
{
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID, cfg_example), 0);
	ck_assert_str_eq(rd(MD "matrix"), "05.0047\n05.00ff\n");
	ck_assert_str_eq(rd(MD "control_domains"), "0047\n");
	/* the same UUID again */
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID, cfg_example), S390AP_EEXIST);
	/* no start, no attrs */
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID2,
					      "{\"mdev_type\": \"vfio_ap-passthrough\"}"),
			 0);
	ck_assert_uint_eq(s390ap_matrix_mdev_count(mx), 2);
}
END_TEST

START_TEST(test_matrix_mdevctl_export)
{
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID, cfg_example), 0);
	s390ap_mdev *md = s390ap_mdev_find(mx, UUID);
	ck_assert_ptr_nonnull(md);
	char *json = NULL;
	ck_assert_int_eq(s390ap_mdevctl_export(md, &json), 0);
	ck_assert_str_eq(json, "{\n"
			       "  \"mdev_type\": \"vfio_ap-passthrough\",\n"
			       "  \"start\": \"manual\",\n"
			       "  \"attrs\": [\n"
			       "    {\n"
			       "      \"assign_adapter\": \"5\"\n"
			       "    },\n"
			       "    {\n"
			       "      \"assign_domain\": \"71\"\n"
			       "    },\n"
			       "    {\n"
			       "      \"assign_domain\": \"255\"\n"
			       "    },\n"
			       "    {\n"
			       "      \"assign_control_domain\": \"71\"\n"
			       "    }\n"
			       "  ]\n"
			       "}");
	/* what export writes, start takes (once the queues are free again) */
	wr(MD "remove", "1");
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID2, json), 0);
	s390ap_mdevctl_free(json);
	ck_assert_str_eq(rd("devices/vfio_ap/matrix/" UUID2 "/matrix"), "05.0047\n05.00ff\n");
	ck_assert_str_eq(rd("devices/vfio_ap/matrix/" UUID2 "/control_domains"), "0047\n");
	/* an empty mdev */
	md = s390ap_mdev_find(mx, UUID2);
	ck_assert_ptr_nonnull(md);
	wr("devices/vfio_ap/matrix/" UUID2 "/ap_config", ",,");
	ck_assert_int_eq(s390ap_mdevctl_export(md, &json), 0);
	ck_assert_str_eq(json, "{\n"
			       "  \"mdev_type\": \"vfio_ap-passthrough\",\n"
			       "  \"start\": \"manual\",\n"
			       "  \"attrs\": []\n"
			       "}");
	s390ap_mdevctl_free(json);
	s390ap_mdevctl_free(NULL);
	ck_assert_int_eq(s390ap_mdevctl_export(NULL, &json), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdevctl_export(md, NULL), S390AP_EINVAL);
}
END_TEST

static const char *bad_configs[] = {
	"",
	"[]",
	"{\"mdev_type\": \"vfio_ccw-io\"}",
	"{\"start\": \"auto\"}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"start\": \"sometimes\"}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"start\": 1}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": {\"assign_adapter\": \"5\"}}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": [{\"assign_adapter\": 5}]}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": [{}]}",
	("{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": "
	 "[{\"assign_adapter\": \"5\", \"assign_domain\": \"6\"}]}"),
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": [{\"matrix\": \"5\"}]}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": [{\"remove\": \"1\"}]}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": [\"assign_adapter\"]}",
	"{\"mdev_type\": \"vfio_ap-passthrough\", \"mdev_type\": \"vfio_ap-passthrough\"}",
	"{\"mdev_type\": \"vfio_ap-passthrough\"",
};

START_TEST(test_matrix_mdevctl_bad_config)
{
	int rc = s390ap_mdevctl_start(mx, UUID, bad_configs[_i]);
	ck_assert_msg(rc == S390AP_EINVAL, "%s: %d", bad_configs[_i], rc);
	ck_assert_uint_eq(s390ap_matrix_mdev_count(mx), 0);
	ck_assert_str_ne(s390ap_matrix_errmsg(mx), "");
}
END_TEST

START_TEST(test_matrix_mdevctl_attr_fails)
{
	/* the third attribute fails: the mdev is removed again */
	const char *cfg = "{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": ["
			  "{\"assign_adapter\": \"5\"}, {\"assign_domain\": \"0x47\"},"
			  "{\"assign_domain\": \"5,6\"}]}";
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID, cfg), S390AP_EINVAL);
	ck_assert_ptr_null(s390ap_mdev_find(mx, UUID));
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(mx), "attrs[2]"));
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(mx), "assign_domain"));
	cfg = "{\"mdev_type\": \"vfio_ap-passthrough\", \"attrs\": [{\"assign_adapter\": \"256\"}]}";
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID, cfg), S390AP_ENODEV);
	ck_assert_ptr_nonnull(strstr(s390ap_matrix_errmsg(mx), "attrs[0]"));
	ck_assert_uint_eq(s390ap_matrix_mdev_count(mx), 0);
	/* bad arguments */
	ck_assert_int_eq(s390ap_mdevctl_start(mx, "nope", cfg_example), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID "\n", cfg_example), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdevctl_start(mx, UUID, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdevctl_start(NULL, UUID, cfg_example), S390AP_EINVAL);
	ck_assert_uint_eq(s390ap_matrix_mdev_count(mx), 0);
}
END_TEST

static Suite *matrix_files_suite(void)
{
	Suite *s = suite_create("matrix_files");
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_matrix_files_type);
	tcase_add_test(tc, test_matrix_files_masks);
	tcase_add_test(tc, test_matrix_files_assign);
	tcase_add_test(tc, test_matrix_files_assign_errors);
	tcase_add_test(tc, test_matrix_files_ap_config);
	tcase_add_test(tc, test_matrix_files_read_short);
	tcase_add_test(tc, test_matrix_files_remove);
	tcase_add_test(tc, test_matrix_files_status);

	tc = tcase_create("mdevctl");
	tcase_add_checked_fixture(tc, setup, teardown);
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_matrix_mdevctl_start);
	tcase_add_test(tc, test_matrix_mdevctl_export);
	tcase_add_loop_test(tc, test_matrix_mdevctl_bad_config, 0, (int)ARRAY_SIZE(bad_configs));
	tcase_add_test(tc, test_matrix_mdevctl_attr_fails);
	return s;
}

int main(void)
{
	return run_suite(matrix_files_suite());
}
