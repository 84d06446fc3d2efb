/* SPDX-License-Identifier: MIT */
/* The matrix layer's text formats (src/matrix/text.c): id and mask
 * parsing, the printers of the mdev and AP bus files, ap_config, UUIDs and
 * paths.  Pure functions, no matrix. */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "matrix/text.h"
#include "s390ap/error.h"
#include "testutil.h"
#include "util/mask.h"

static void set_ids(uint8_t m[32], const unsigned *ids, size_t n)
{
	memset(m, 0, 32);
	for (size_t i = 0; i < n; i++)
		mask_set(m, ids[i]);
}

/* ---- kstrtoul-like ids ---- */

static const struct {
	const char *text;
	int rc;
	unsigned long v;
} ulong_cases[] = {
	{ "71", 0, 71 },
	{ "0x47", 0, 0x47 },
	{ "0X47", 0, 0x47 },
	{ "0107", 0, 0107 },
	{ "0", 0, 0 },
	{ "5\n", 0, 5 },
	{ "+5", 0, 5 },
	{ "0xff\n", 0, 255 },
	{ "", S390AP_EINVAL, 0 },
	{ "\n", S390AP_EINVAL, 0 },
	{ "5\n\n", S390AP_EINVAL, 0 },
	{ " 5", S390AP_EINVAL, 0 },
	{ "5 ", S390AP_EINVAL, 0 },
	{ "-1", S390AP_EINVAL, 0 },
	{ "08", S390AP_EINVAL, 0 },
	{ "0x", S390AP_EINVAL, 0 },
	{ "0xg", S390AP_EINVAL, 0 },
	{ "5,6", S390AP_EINVAL, 0 },
	{ "abc", S390AP_EINVAL, 0 },
	{ "++5", S390AP_EINVAL, 0 },
	{ "99999999999999999999999", S390AP_ERANGE, 0 },
	{ "0x10000000000000000", S390AP_ERANGE, 0 },
};

START_TEST(test_matrix_text_ulong)
{
	unsigned long v = 12345;
	int rc = mtx_parse_ulong(ulong_cases[_i].text, &v);
	ck_assert_msg(rc == ulong_cases[_i].rc, "\"%s\": rc %d", ulong_cases[_i].text, rc);
	ck_assert_uint_eq(v, rc ? 12345 : ulong_cases[_i].v);
}
END_TEST

START_TEST(test_matrix_text_ulong_limits)
{
	char t[64];
	unsigned long v;
	snprintf(t, sizeof(t), "%lu", ULONG_MAX);
	ck_assert_int_eq(mtx_parse_ulong(t, &v), 0);
	ck_assert_uint_eq(v, ULONG_MAX);
	snprintf(t, sizeof(t), "%lu0", ULONG_MAX);
	ck_assert_int_eq(mtx_parse_ulong(t, &v), S390AP_ERANGE);
	snprintf(t, sizeof(t), "0x%lx\n", ULONG_MAX);
	ck_assert_int_eq(mtx_parse_ulong(t, &v), 0);
	ck_assert_uint_eq(v, ULONG_MAX);
	/* an overflowing number followed by junk is junk */
	ck_assert_int_eq(mtx_parse_ulong("99999999999999999999999x", &v), S390AP_EINVAL);
	ck_assert_int_eq(mtx_parse_ulong(NULL, &v), S390AP_EINVAL);
	ck_assert_int_eq(mtx_parse_ulong("5", NULL), S390AP_EINVAL);
}
END_TEST

/* ---- AP bus masks ---- */

START_TEST(test_matrix_text_mask_absolute)
{
	uint8_t cur[32], m[32], exp[32];
	memset(cur, 0xff, 32);
	/* 0x41: ids 1 and 7 */
	static const unsigned ids41[] = { 1, 7 };
	set_ids(exp, ids41, 2);
	const char *forms[] = { "0x41", "41", "x41", "0x41\n", "41\n", "0x4100" };
	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		memset(m, 0xaa, 32);
		ck_assert_int_eq(mtx_parse_bus_mask(forms[i], cur, m), 0);
		ck_assert_mem_eq(m, exp, 32);
	}
	/* 64 digits fill the mask; uppercase digits are hex too */
	char t[80] = "0x";
	for (int i = 0; i < 64; i++)
		strcat(t, "F");
	ck_assert_int_eq(mtx_parse_bus_mask(t, NULL, m), 0);
	memset(exp, 0xff, 32);
	ck_assert_mem_eq(m, exp, 32);
	/* "0x" and an empty line: all zero */
	memset(exp, 0, 32);
	ck_assert_int_eq(mtx_parse_bus_mask("0x", cur, m), 0);
	ck_assert_mem_eq(m, exp, 32);
	memset(m, 0xaa, 32);
	ck_assert_int_eq(mtx_parse_bus_mask("\n", cur, m), 0);
	ck_assert_mem_eq(m, exp, 32);
}
END_TEST

START_TEST(test_matrix_text_mask_absolute_bad)
{
	uint8_t cur[32] = { 0 }, m[32];
	char t[80] = "";
	for (int i = 0; i < 65; i++)
		strcat(t, "0");
	const char *bad[] = { t, "0x4g", "0xx41", "41\n\n", "4 1", "0X41", "41," };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(m, 0x5a, 32);
		ck_assert_msg(mtx_parse_bus_mask(bad[i], cur, m) == S390AP_EINVAL, "%s", bad[i]);
		ck_assert_uint_eq(m[0], 0x5a);
	}
	ck_assert_int_eq(mtx_parse_bus_mask(NULL, cur, m), S390AP_EINVAL);
}
END_TEST

START_TEST(test_matrix_text_mask_relative)
{
	uint8_t cur[32], m[32], exp[32];
	memset(cur, 0, 32);
	ck_assert_int_eq(mtx_parse_bus_mask("+0,-6,+0x47,-0xf0", cur, m), 0);
	static const unsigned a[] = { 0, 0x47 };
	set_ids(exp, a, 2);
	ck_assert_mem_eq(m, exp, 32);

	/* ranges, inclusive, octal ids, later terms win, starting from cur */
	memset(cur, 0xff, 32);
	ck_assert_int_eq(mtx_parse_bus_mask("-0-255,+1-16,-010\n", cur, m), 0);
	memset(exp, 0, 32);
	for (unsigned id = 1; id <= 16; id++)
		if (id != 8)
			mask_set(exp, id);
	ck_assert_mem_eq(m, exp, 32);

	memset(cur, 0, 32);
	ck_assert_int_eq(mtx_parse_bus_mask("+0-15,-128", cur, m), 0);
	ck_assert_uint_eq(m[0], 0xff);
	ck_assert_uint_eq(m[1], 0xff);
	ck_assert_uint_eq(m[2], 0);
	/* trailing and doubled separators are skipped */
	ck_assert_int_eq(mtx_parse_bus_mask("+255,,\n", cur, m), 0);
	ck_assert_uint_eq(m[31], 0x01);
	/* in place */
	memset(m, 0, 32);
	ck_assert_int_eq(mtx_parse_bus_mask("+7", m, m), 0);
	ck_assert_uint_eq(m[0], 0x01);
}
END_TEST

START_TEST(test_matrix_text_mask_relative_bad)
{
	uint8_t cur[32], m[32];
	memset(cur, 0x11, 32);
	const char *bad[] = {
		"+256", "+0-256", "+",   "+,",    "-",           "+5-", "+5-3",
		"+1,2", "+1 +2",  "+0x", "+1;+2", "+4294967552", "+-1", "+99999999999999999999999"
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(m, 0x5a, 32);
		ck_assert_msg(mtx_parse_bus_mask(bad[i], cur, m) == S390AP_EINVAL, "%s", bad[i]);
		/* nothing changes on failure */
		ck_assert_uint_eq(m[0], 0x5a);
	}
	ck_assert_int_eq(mtx_parse_bus_mask("+1", NULL, m), S390AP_EINVAL);
}
END_TEST

START_TEST(test_matrix_text_mask_print)
{
	uint8_t m[32];
	char buf[128];
	mtx_buf b;
	static const unsigned ids[] = { 0, 7, 255 };
	set_ids(m, ids, 3);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_mask(&b, m);
	ck_assert_str_eq(buf, "0x81000000000000000000000000000000"
			      "00000000000000000000000000000001\n");
	ck_assert_uint_eq(b.len, 67);
	ck_assert(mtx_buf_fits(&b));
	/* printed text parses back */
	uint8_t back[32];
	ck_assert_int_eq(mtx_parse_bus_mask(buf, NULL, back), 0);
	ck_assert_mem_eq(back, m, 32);
}
END_TEST

START_TEST(test_matrix_text_buf_short)
{
	uint8_t m[32] = { 0 };
	char buf[10];
	mtx_buf b;
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_mask(&b, m);
	ck_assert_uint_eq(b.len, 67);
	ck_assert(!mtx_buf_fits(&b));
	ck_assert_str_eq(buf, "0x0000000");
	/* count only */
	mtx_buf_init(&b, NULL, 0);
	mtx_print_mask(&b, m);
	ck_assert_uint_eq(b.len, 67);
	/* exactly the length: the NUL does not fit */
	char exact[67];
	mtx_buf_init(&b, exact, sizeof(exact));
	mtx_print_mask(&b, m);
	ck_assert(!mtx_buf_fits(&b));
	char fit[68];
	mtx_buf_init(&b, fit, sizeof(fit));
	mtx_print_mask(&b, m);
	ck_assert(mtx_buf_fits(&b));
}
END_TEST

/* ---- matrix, control_domains, ap_config ---- */

START_TEST(test_matrix_text_matrix_print)
{
	uint8_t apm[32], aqm[32];
	char buf[256];
	mtx_buf b;
	static const unsigned ad[] = { 5, 6 }, dom[] = { 4, 0xab };
	set_ids(apm, ad, 2);
	set_ids(aqm, dom, 2);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_matrix(&b, apm, aqm);
	ck_assert_str_eq(buf, "05.0004\n05.00ab\n06.0004\n06.00ab\n");

	memset(aqm, 0, 32);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_matrix(&b, apm, aqm);
	ck_assert_str_eq(buf, "05.\n06.\n");

	static const unsigned d47[] = { 0x47 };
	set_ids(aqm, d47, 1);
	memset(apm, 0, 32);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_matrix(&b, apm, aqm);
	ck_assert_str_eq(buf, ".0047\n");

	memset(aqm, 0, 32);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_matrix(&b, apm, aqm);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(b.len, 0);

	/* the full matrix: 65536 lines of 8 characters */
	memset(apm, 0xff, 32);
	memset(aqm, 0xff, 32);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_matrix(&b, apm, aqm);
	ck_assert_uint_eq(b.len, 65536u * 8u);
	ck_assert(!strncmp(buf, "00.0000\n00.0001\n", 16));
}
END_TEST

START_TEST(test_matrix_text_domains_print)
{
	uint8_t adm[32];
	char buf[64];
	mtx_buf b;
	static const unsigned d[] = { 0, 0xab, 255 };
	set_ids(adm, d, 3);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_domains(&b, adm);
	ck_assert_str_eq(buf, "0000\n00ab\n00ff\n");
	memset(adm, 0, 32);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_domains(&b, adm);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_matrix_text_ap_config_print)
{
	uint8_t apm[32] = { 0 }, aqm[32] = { 0 }, adm[32] = { 0 };
	char buf[256];
	mtx_buf b;
	mask_set(apm, 5);
	mask_set(aqm, 0x47);
	mask_set(adm, 255);
	mtx_buf_init(&b, buf, sizeof(buf));
	mtx_print_ap_config(&b, apm, aqm, adm);
	ck_assert_uint_eq(b.len, 3 * 66 + 3);
	ck_assert_str_eq(buf,
			 "0x0400000000000000000000000000000000000000000000000000000000000000,"
			 "0x0000000000000000010000000000000000000000000000000000000000000000,"
			 "0x0000000000000000000000000000000000000000000000000000000000000001\n");
	/* what it prints, ap_config takes */
	uint8_t a[32], q[32], d[32];
	ck_assert_int_eq(mtx_parse_ap_config(buf, a, q, d), 0);
	ck_assert_mem_eq(a, apm, 32);
	ck_assert_mem_eq(q, aqm, 32);
	ck_assert_mem_eq(d, adm, 32);
}
END_TEST

START_TEST(test_matrix_text_ap_config_parse)
{
	uint8_t a[32], q[32], d[32];
	ck_assert_int_eq(mtx_parse_ap_config("0x04,x0000000000000000010,8\n", a, q, d), 0);
	ck_assert_uint_eq(a[0], 0x04);
	ck_assert_uint_eq(q[8], 0x01);
	ck_assert_uint_eq(q[0], 0);
	ck_assert_uint_eq(d[0], 0x80);
	for (int i = 1; i < 32; i++) {
		ck_assert_uint_eq(a[i], 0);
		ck_assert_uint_eq(d[i], 0);
	}
	/* empty masks are all zero */
	memset(a, 0xee, 32);
	ck_assert_int_eq(mtx_parse_ap_config(",,", a, q, d), 0);
	ck_assert_uint_eq(a[0], 0);
	ck_assert_uint_eq(d[31], 0);
}
END_TEST

START_TEST(test_matrix_text_ap_config_bad)
{
	uint8_t a[32], q[32], d[32];
	char long_mask[80] = "0x";
	for (int i = 0; i < 65; i++)
		strcat(long_mask, "1");
	char t[256];
	snprintf(t, sizeof(t), "0x1,%s,0x1", long_mask);
	const char *bad[] = {
		"0x1,0x2",         "0x1",         "", "0x1,0x2,0x3,0x4", "0x1,0xg,0x3",
		"0x1,0x2,0x3\n\n", "0x1;0x2;0x3", t
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(a, 0x5a, 32);
		ck_assert_msg(mtx_parse_ap_config(bad[i], a, q, d) == S390AP_EINVAL, "%s", bad[i]);
		ck_assert_uint_eq(a[0], 0x5a);
	}
	ck_assert_int_eq(mtx_parse_ap_config(NULL, a, q, d), S390AP_EINVAL);
}
END_TEST

/* Input past 201 characters is cut before parsing: the longest proper
 * text (3 x 66 + 2 commas + newline) fits, text after it is never seen. */
START_TEST(test_matrix_text_ap_config_truncated)
{
	char t[512];
	char mask[67] = "0x";
	for (int i = 0; i < 64; i++)
		strcat(mask, "f");
	snprintf(t, sizeof(t), "%s,%s,%s\n", mask, mask, mask);
	ck_assert_uint_eq(strlen(t), 201);
	uint8_t a[32], q[32], d[32];
	ck_assert_int_eq(mtx_parse_ap_config(t, a, q, d), 0);
	ck_assert_uint_eq(d[31], 0xff);
	/* junk after the 201st character is cut off */
	strcat(t, "junk");
	ck_assert_int_eq(mtx_parse_ap_config(t, a, q, d), 0);
	/* without the newline, the 201st character is a 65th digit */
	snprintf(t, sizeof(t), "%s,%s,%s0", mask, mask, mask);
	ck_assert_int_eq(mtx_parse_ap_config(t, a, q, d), S390AP_EINVAL);
	/* a too-long first mask pushes the third past the cut */
	snprintf(t, sizeof(t), "0x%0100d,0x1,0x1", 0);
	ck_assert_int_eq(mtx_parse_ap_config(t, a, q, d), S390AP_EINVAL);
}
END_TEST

/* ---- words, UUIDs, APQNs, paths ---- */

START_TEST(test_matrix_text_words)
{
	ck_assert_str_eq(mtx_queue_use_word(S390AP_QUEUE_UNASSIGNED), "unassigned");
	ck_assert_str_eq(mtx_queue_use_word(S390AP_QUEUE_ASSIGNED), "assigned");
	ck_assert_str_eq(mtx_queue_use_word(S390AP_QUEUE_IN_USE), "in use");
	ck_assert_ptr_null(mtx_queue_use_word((s390ap_queue_use)7));
	ck_assert_str_eq(MTX_FEATURES, "guest_matrix hotplug ap_config\n");
	ck_assert_str_eq(MTX_TYPE_NAME, "VFIO AP Passthrough Device\n");
	ck_assert_str_eq(MTX_DEVICE_API, "vfio-ap\n");
}
END_TEST

START_TEST(test_matrix_text_uuid)
{
	char u[S390AP_UUID_LEN + 1];
	ck_assert_int_eq(mtx_parse_uuid("669D9B23-FE1B-4ECD-BE08-E5FD00F0F4A2\n", u), 0);
	ck_assert_str_eq(u, "669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2");
	ck_assert_int_eq(mtx_parse_uuid("00000000-0000-0000-0000-000000000000", u), 0);
	const char *bad[] = { "669d9b23-fe1b-4ecd-be08-e5fd00f0f4a",
			      "669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2a",
			      "669d9b23fe1b-4ecd-be08-e5fd00f0f4a2-",
			      "669d9b23-fe1b-4ecd-be08-e5fd00f0f4g2",
			      "669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2\n\n",
			      "{669d9b23-fe1b-4ecd-be08-e5fd00f0f4a}",
			      "",
			      "669d9b23_fe1b_4ecd_be08_e5fd00f0f4a2" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		strcpy(u, "unchanged");
		ck_assert_msg(mtx_parse_uuid(bad[i], u) == S390AP_EINVAL, "%s", bad[i]);
		ck_assert_str_eq(u, "unchanged");
	}
}
END_TEST

START_TEST(test_matrix_text_apqn_name)
{
	uint16_t apqn = 0;
	ck_assert_int_eq(mtx_parse_apqn_name("05.0047", 7, &apqn), 0);
	ck_assert_uint_eq(apqn, 0x0547);
	ck_assert_int_eq(mtx_parse_apqn_name("ff.00ff", 7, &apqn), 0);
	ck_assert_uint_eq(apqn, 0xffff);
	const char *bad[] = { "05.0100", "5.0047",  "05.047",  "05-0047",
			      "0A.0047", "05.004G", "05.00470" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(mtx_parse_apqn_name(bad[i], strlen(bad[i]), &apqn) == S390AP_ENOENT,
			      "%s", bad[i]);
}
END_TEST

#define MD "devices/vfio_ap/matrix/669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2/"
#define TY "devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/"

static const struct {
	const char *path;
	mtx_file file;
	bool r, w;
} path_cases[] = {
	{ "bus/ap/apmask", MTX_F_APMASK, true, true },
	{ "bus/ap/aqmask", MTX_F_AQMASK, true, true },
	{ "bus/ap/devices/05.0047/status", MTX_F_QUEUE_STATUS, true, false },
	{ "devices/vfio_ap/matrix/features", MTX_F_FEATURES, true, false },
	{ TY "create", MTX_F_TYPE_CREATE, false, true },
	{ TY "available_instances", MTX_F_TYPE_AVAILABLE, true, false },
	{ TY "name", MTX_F_TYPE_NAME, true, false },
	{ TY "device_api", MTX_F_TYPE_DEVICE_API, true, false },
	{ MD "assign_adapter", MTX_F_ASSIGN_ADAPTER, false, true },
	{ MD "unassign_adapter", MTX_F_UNASSIGN_ADAPTER, false, true },
	{ MD "assign_domain", MTX_F_ASSIGN_DOMAIN, false, true },
	{ MD "unassign_domain", MTX_F_UNASSIGN_DOMAIN, false, true },
	{ MD "assign_control_domain", MTX_F_ASSIGN_CONTROL_DOMAIN, false, true },
	{ MD "unassign_control_domain", MTX_F_UNASSIGN_CONTROL_DOMAIN, false, true },
	{ MD "matrix", MTX_F_MATRIX, true, false },
	{ MD "guest_matrix", MTX_F_GUEST_MATRIX, true, false },
	{ MD "control_domains", MTX_F_CONTROL_DOMAINS, true, false },
	{ MD "ap_config", MTX_F_AP_CONFIG, true, true },
	{ MD "remove", MTX_F_REMOVE, false, true },
};

START_TEST(test_matrix_text_path)
{
	mtx_path p;
	ck_assert_int_eq(mtx_parse_path(path_cases[_i].path, &p), 0);
	ck_assert_int_eq(p.file, path_cases[_i].file);
	ck_assert(mtx_file_readable(p.file) == path_cases[_i].r);
	ck_assert(mtx_file_writable(p.file) == path_cases[_i].w);
	if (p.file >= MTX_F_ASSIGN_ADAPTER)
		ck_assert_str_eq(p.uuid, "669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2");
	if (p.file == MTX_F_QUEUE_STATUS)
		ck_assert_uint_eq(p.apqn, 0x0547);
}
END_TEST

START_TEST(test_matrix_text_path_unknown)
{
	const char *bad[] = {
		"",
		"/sys/bus/ap/apmask",
		"bus/ap/apmask/",
		"bus/ap/ap_domain",
		"bus/ap/devices/05.0047",
		"bus/ap/devices/05.0047/status/",
		"bus/ap/devices/05.0147/status",
		"bus/ap/devices/0A.0047/status",
		"devices/vfio_ap/matrix/",
		"devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/",
		"devices/vfio_ap/matrix/mdev_supported_types/other/create",
		"devices/vfio_ap/matrix/669D9B23-FE1B-4ECD-BE08-E5FD00F0F4A2/matrix",
		"devices/vfio_ap/matrix/669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2/",
		"devices/vfio_ap/matrix/669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2/bogus",
		"devices/vfio_ap/matrix/669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2",
		"devices/vfio_ap/matrix/669d9b23-fe1b-4ecd-be08-e5fd00f0f4a/matrix",
		"devices/vfio_ap/matrix/669d9b23-fe1b-4ecd-be08-e5fd00f0f4a2/x/matrix"
	};
	mtx_path p;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(mtx_parse_path(bad[i], &p) == S390AP_ENOENT, "%s", bad[i]);
	ck_assert_int_eq(mtx_parse_path(NULL, &p), S390AP_EINVAL);
	ck_assert_int_eq(mtx_mdev_attr("assign_domain"), MTX_F_ASSIGN_DOMAIN);
	ck_assert_int_eq(mtx_mdev_attr("create"), 0);
	ck_assert_int_eq(mtx_mdev_attr(NULL), 0);
}
END_TEST

static Suite *matrix_text_suite(void)
{
	Suite *s = suite_create("matrix_text");
	TCase *tc = tcase_create("ids");
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tc, test_matrix_text_ulong, 0, (int)ARRAY_SIZE(ulong_cases));
	tcase_add_test(tc, test_matrix_text_ulong_limits);

	tc = tcase_create("bus_masks");
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_matrix_text_mask_absolute);
	tcase_add_test(tc, test_matrix_text_mask_absolute_bad);
	tcase_add_test(tc, test_matrix_text_mask_relative);
	tcase_add_test(tc, test_matrix_text_mask_relative_bad);
	tcase_add_test(tc, test_matrix_text_mask_print);
	tcase_add_test(tc, test_matrix_text_buf_short);

	tc = tcase_create("mdev_files");
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_matrix_text_matrix_print);
	tcase_add_test(tc, test_matrix_text_domains_print);
	tcase_add_test(tc, test_matrix_text_ap_config_print);
	tcase_add_test(tc, test_matrix_text_ap_config_parse);
	tcase_add_test(tc, test_matrix_text_ap_config_bad);
	tcase_add_test(tc, test_matrix_text_ap_config_truncated);

	tc = tcase_create("names");
	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_matrix_text_words);
	tcase_add_test(tc, test_matrix_text_uuid);
	tcase_add_test(tc, test_matrix_text_apqn_name);
	tcase_add_loop_test(tc, test_matrix_text_path, 0, (int)ARRAY_SIZE(path_cases));
	tcase_add_test(tc, test_matrix_text_path_unknown);
	return s;
}

int main(void)
{
	return run_suite(matrix_text_suite());
}
