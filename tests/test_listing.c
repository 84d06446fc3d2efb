/* SPDX-License-Identifier: MIT */
/* s390ap_machine_list (src/ap/listing.c): lszcrypt's default table and
 * Linux 6.1's AP sysfs attributes of a machine, exactly as docs/listings.md
 * derives them; truncation and the length needed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aptest.h"
#include "s390ap/s390ap.h"

#define MEM_SIZE 0x100000u
#define MSG_ADDR 0x10000u

static void setup(void)
{
	fixture_setup(MEM_SIZE);
}

/* The whole listing of kind, malloc'ed; asserts the two calls agree. */
static char *list(s390ap_list_kind kind)
{
	size_t needed = 0, again = 0;
	char *text;

	ck_assert_int_eq(s390ap_machine_list(m, kind, NULL, 0, &needed), 0);
	text = malloc(needed + 1);
	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(s390ap_machine_list(m, kind, text, needed + 1, &again), 0);
	ck_assert_uint_eq(again, needed);
	ck_assert_uint_eq(strlen(text), needed);
	return text;
}

static void expect_list(s390ap_list_kind kind, const char *want)
{
	char *got = list(kind);

	ck_assert_str_eq(got, want);
	free(got);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

/* Every line ends in a newline and the lines are in strcmp order. */
static void expect_sorted(const char *text)
{
	const char *prev = NULL, *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');

		ck_assert_ptr_nonnull(nl);
		if (prev) {
			size_t a = (size_t)(p - prev) - 1, b = (size_t)(nl - p);
			int c = memcmp(prev, p, a < b ? a : b);

			ck_assert_msg(c < 0 || (c == 0 && a < b), "out of order: %.*s / %.*s",
				      (int)a, prev, (int)b, p);
		}
		prev = p;
		p = nl + 1;
	}
}

static const char lszcrypt_default[] = "CARD.DOM TYPE  MODE        STATUS     REQUESTS\n"
				       "----------------------------------------------\n"
				       "03       CEX8A Accelerator online            0\n"
				       "03.0006  CEX8A Accelerator online            0\n"
				       "03.0007  CEX8A Accelerator online            0\n"
				       "03.0047  CEX8A Accelerator online            0\n"
				       "04       CEX8C CCA-Coproc  online            0\n"
				       "04.0006  CEX8C CCA-Coproc  online            0\n"
				       "04.0007  CEX8C CCA-Coproc  online            0\n"
				       "04.0047  CEX8C CCA-Coproc  online            0\n"
				       "05       CEX7P EP11-Coproc online            0\n"
				       "05.0006  CEX7P EP11-Coproc online            0\n"
				       "05.0007  CEX7P EP11-Coproc online            0\n"
				       "05.0047  CEX7P EP11-Coproc online            0\n";

START_TEST(test_listing_lszcrypt_default)
{
	expect_list(S390AP_LIST_LSZCRYPT, lszcrypt_default);
}
END_TEST

#define QUEUE(id, irq)                                          \
	"bus/ap/devices/" id "/chkstop 0\n"                     \
	"bus/ap/devices/" id "/config 1\n"                      \
	"bus/ap/devices/" id "/interrupt Interrupts " irq ".\n" \
	"bus/ap/devices/" id "/online 1\n"                      \
	"bus/ap/devices/" id "/request_count 0\n"
#define QUEUES(irq)           \
	QUEUE("03.0006", irq) \
	QUEUE("03.0007", irq) \
	QUEUE("03.0047", irq) \
	QUEUE("04.0006", irq) \
	QUEUE("04.0007", irq) \
	QUEUE("04.0047", irq) \
	QUEUE("05.0006", irq) QUEUE("05.0007", irq) QUEUE("05.0047", irq)
#define CARD(id, fac, type, zc)                            \
	"bus/ap/devices/card" id "/ap_functions " fac "\n" \
	"bus/ap/devices/card" id "/chkstop 0\n"            \
	"bus/ap/devices/card" id "/config 1\n"             \
	"bus/ap/devices/card" id "/depth 7\n"              \
	"bus/ap/devices/card" id "/hwtype " type "\n"      \
	"bus/ap/devices/card" id "/max_msg_size 12288\n"   \
	"bus/ap/devices/card" id "/modalias ap:t0" zc "\n"
#define CARD_END(id, type, zc)                            \
	"bus/ap/devices/card" id "/online 1\n"            \
	"bus/ap/devices/card" id "/raw_hwtype " type "\n" \
	"bus/ap/devices/card" id "/request_count 0\n"     \
	"bus/ap/devices/card" id "/type " zc "\n"
#define BUS(irq)                                                                                      \
	"bus/ap/ap_adapter_mask 0x1c00000000000000000000000000000000000000000000000000000000000000\n" \
	"bus/ap/ap_control_domain_mask "                                                              \
	"0x8300000000000000010000000000000000000000000000000000000000000000\n"                        \
	"bus/ap/ap_domain 6\n"                                                                        \
	"bus/ap/ap_interrupts " irq "\n"                                                              \
	"bus/ap/ap_max_adapter_id 255\n"                                                              \
	"bus/ap/ap_max_domain_id 255\n"                                                               \
	"bus/ap/ap_usage_domain_mask "                                                                \
	"0x0300000000000000010000000000000000000000000000000000000000000000\n"

START_TEST(test_listing_sysfs_default)
{
	s390ap_adapter_info a3 = ainfo(3), a4 = ainfo(4), a5 = ainfo(5);
	char fac[3][16];

	/* ap_functions is the adapter's TAPQ facility word as it stands */
	snprintf(fac[0], sizeof(fac[0]), "0x%08X", a3.fac);
	snprintf(fac[1], sizeof(fac[1]), "0x%08X", a4.fac);
	snprintf(fac[2], sizeof(fac[2]), "0x%08X", a5.fac);
	ck_assert_str_eq(fac[0], "0xEB000000");
	ck_assert_str_eq(fac[1], "0x93800000");
	ck_assert_str_eq(fac[2], "0x86800000");
	expect_list(S390AP_LIST_SYSFS,
		    BUS("1") QUEUES("enabled") CARD("03", "0xEB000000", "14", "E")
			    CARD_END("03", "14", "CEX8A") CARD("04", "0x93800000", "14", "E")
				    CARD_END("04", "14", "CEX8C")
					    CARD("05", "0x86800000", "13", "D")
						    CARD_END("05", "13", "CEX7P"));
}
END_TEST

START_TEST(test_listing_sysfs_polling)
{
	expect_list(S390AP_LIST_SYSFS_POLLING,
		    BUS("0") QUEUES("disabled") CARD("03", "0xEB000000", "14", "E")
			    CARD_END("03", "14", "CEX8A") CARD("04", "0x93800000", "14", "E")
				    CARD_END("04", "14", "CEX8C")
					    CARD("05", "0x86800000", "13", "D")
						    CARD_END("05", "13", "CEX7P"));
}
END_TEST

/* A machine with an adapter of each state and a control-only domain: 01 CCA
 * (ML 8), 04 accelerator deconfigured, 05 EP11 checkstopped, 0xd0 beyond
 * the cards in sysfs order; domains 1 (both), 2 (control only), 0x20
 * (usage only). */
static void setup_states(void)
{
	s390ap_adapter_opts ao = { 0 };
	s390ap_machine_opts o = { 0 };

	fixture_setup(MEM_SIZE);
	use_machine(&o);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_CCA;
	ao.ml = 8;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x01, &ao), 0);
	add_adapter(0x04, S390AP_TYPE_CEX7, S390AP_MODE_ACCEL);
	add_adapter(0x05, S390AP_TYPE_CEX6, S390AP_MODE_EP11);
	add_adapter(0xd0, S390AP_TYPE_CEX4, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 1, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 2, false, true), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 0x20, true, false), 0);
	ck_assert_int_eq(s390ap_adapter_configure(m, 0x04, false), 0);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 0x05, true), 0);
}

START_TEST(test_listing_lszcrypt_states)
{
	expect_list(S390AP_LIST_LSZCRYPT, "CARD.DOM TYPE  MODE        STATUS     REQUESTS\n"
					  "----------------------------------------------\n"
					  "01       CEX8C CCA-Coproc  online            0\n"
					  "01.0001  CEX8C CCA-Coproc  online            0\n"
					  "01.0020  CEX8C CCA-Coproc  online            0\n"
					  "04       CEX7A Accelerator deconfig          -\n"
					  "04.0001  CEX7A Accelerator deconfig          -\n"
					  "04.0020  CEX7A Accelerator deconfig          -\n"
					  "05       CEX6P EP11-Coproc chkstop           0\n"
					  "05.0001  CEX6P EP11-Coproc chkstop           0\n"
					  "05.0020  CEX6P EP11-Coproc chkstop           0\n"
					  "d0       CEX4A Accelerator online            0\n"
					  "d0.0001  CEX4A Accelerator online            0\n"
					  "d0.0020  CEX4A Accelerator online            0\n");
}
END_TEST

START_TEST(test_listing_sysfs_states)
{
	char *t = list(S390AP_LIST_SYSFS);

	expect_sorted(t);
	/* the control-only domain makes no queue device */
	ck_assert_ptr_null(strstr(t, ".0002/"));
	ck_assert(has_line(t,
			   "bus/ap/ap_control_domain_mask "
			   "0x6000000000000000000000000000000000000000000000000000000000000000"));
	ck_assert(has_line(t,
			   "bus/ap/ap_usage_domain_mask "
			   "0x4000000080000000000000000000000000000000000000000000000000000000"));
	ck_assert(has_line(t, "bus/ap/ap_domain 1"));
	ck_assert(has_line(t, "bus/ap/devices/card01/max_msg_size 32768"));
	ck_assert(has_line(t, "bus/ap/devices/card01/type CEX8C"));
	/* deconfigured: RC 03 on TAPQ */
	ck_assert(has_line(t, "bus/ap/devices/card04/config 0"));
	ck_assert(has_line(t, "bus/ap/devices/card04/chkstop 0"));
	ck_assert(has_line(t, "bus/ap/devices/card04/online 0"));
	ck_assert(has_line(t, "bus/ap/devices/04.0020/config 0"));
	ck_assert(has_line(t, "bus/ap/devices/04.0020/online 0"));
	ck_assert(has_line(t, "bus/ap/devices/04.0020/interrupt Interrupts disabled."));
	/* checkstopped: RC 04, configured as far as Linux knows */
	ck_assert(has_line(t, "bus/ap/devices/card05/config 1"));
	ck_assert(has_line(t, "bus/ap/devices/card05/chkstop 1"));
	ck_assert(has_line(t, "bus/ap/devices/card05/online 1"));
	ck_assert(has_line(t, "bus/ap/devices/05.0001/chkstop 1"));
	ck_assert(has_line(t, "bus/ap/devices/05.0001/interrupt Interrupts disabled."));
	ck_assert(has_line(t, "bus/ap/devices/01.0001/interrupt Interrupts enabled."));
	ck_assert(has_line(t, "bus/ap/devices/cardd0/type CEX4A"));
	ck_assert(has_line(t, "bus/ap/devices/cardd0/modalias ap:t0A"));
	ck_assert(has_line(t, "bus/ap/devices/d0.0020/online 1"));
	free(t);
}
END_TEST

/* The default domain skips domains whose queues all answer RC 03 / 04. */
START_TEST(test_listing_sysfs_default_domain)
{
	char *t;

	ck_assert_int_eq(s390ap_adapter_configure(m, 3, false), 0);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 4, true), 0);
	ck_assert_int_eq(s390ap_adapter_configure(m, 5, false), 0);
	t = list(S390AP_LIST_SYSFS);
	ck_assert(has_line(t, "bus/ap/ap_domain -1"));
	free(t);
	ck_assert_int_eq(s390ap_adapter_configure(m, 5, true), 0);
	t = list(S390AP_LIST_SYSFS);
	ck_assert(has_line(t, "bus/ap/ap_domain 6"));
	free(t);
}
END_TEST

/* REQUESTS: what NQAP accepted, per queue and per card. */
START_TEST(test_listing_requests)
{
	char *t;

	memset(ram + MSG_ADDR, 0, 64);
	nq_part(ACC, 1, MSG_ADDR, 64, true);
	nq_part(ACC, 2, MSG_ADDR, 64, true);
	nq_part(S390AP_APQN(3, 7), 3, MSG_ADDR, 64, true);
	t = list(S390AP_LIST_LSZCRYPT);
	ck_assert(has_line(t, "03       CEX8A Accelerator online            3"));
	ck_assert(has_line(t, "03.0006  CEX8A Accelerator online            2"));
	ck_assert(has_line(t, "03.0007  CEX8A Accelerator online            1"));
	ck_assert(has_line(t, "03.0047  CEX8A Accelerator online            0"));
	free(t);
	t = list(S390AP_LIST_SYSFS);
	ck_assert(has_line(t, "bus/ap/devices/card03/request_count 3"));
	ck_assert(has_line(t, "bus/ap/devices/03.0006/request_count 2"));
	free(t);
}
END_TEST

/* Without APFT TAPQ gives no facility word: ap_functions 0, and zcrypt
 * takes no card, so lszcrypt lists none and the driver's files are gone. */
START_TEST(test_listing_no_apft)
{
	char *t;

	use_machine_facs(S390AP_FAC_ALL & ~(S390AP_FAC_APFT | S390AP_FAC_APSB | S390AP_FAC_RC8A));
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	expect_list(S390AP_LIST_LSZCRYPT, "CARD.DOM TYPE  MODE        STATUS     REQUESTS\n"
					  "----------------------------------------------\n");
	t = list(S390AP_LIST_SYSFS);
	ck_assert(has_line(t, "bus/ap/devices/card03/ap_functions 0x00000000"));
	ck_assert(has_line(t, "bus/ap/devices/card03/type <missing>"));
	ck_assert(has_line(t, "bus/ap/devices/card03/online <missing>"));
	ck_assert(has_line(t, "bus/ap/devices/03.0006/online <missing>"));
	ck_assert(has_line(t, "bus/ap/devices/03.0006/request_count -"));
	ck_assert(has_line(t, "bus/ap/devices/03.0006/interrupt Interrupts disabled."));
	free(t);
}
END_TEST

/* Without QCI: no masks, and Linux scans adapters 0..63, domains 0..15. */
START_TEST(test_listing_no_qci)
{
	use_machine_facs(S390AP_FAC_ALL & ~(S390AP_FAC_QCI | S390AP_FAC_APSB | S390AP_FAC_RC8A));
	add_adapter(0x02, S390AP_TYPE_CEX8, S390AP_MODE_EP11);
	add_adapter(0x40, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 3, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 0x10, true, true), 0);
	expect_list(S390AP_LIST_SYSFS,
		    "bus/ap/ap_adapter_mask not supported\n"
		    "bus/ap/ap_control_domain_mask not supported\n"
		    "bus/ap/ap_domain 3\n"
		    "bus/ap/ap_interrupts 1\n"
		    "bus/ap/ap_max_adapter_id 63\n"
		    "bus/ap/ap_max_domain_id 15\n"
		    "bus/ap/ap_usage_domain_mask not supported\n" QUEUE("02.0003", "enabled")
			    CARD("02", "0x87800000", "14", "E") CARD_END("02", "14", "CEX8P"));
}
END_TEST

/* Na / Nd from QCI bound the scan when APXA is on. */
START_TEST(test_listing_na_nd)
{
	s390ap_machine_opts o = { 0 };
	char *t;

	o.na = 0x7f;
	o.nd = 0x3f;
	use_machine(&o);
	add_adapter(0x7f, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 0x3f, true, true), 0);
	t = list(S390AP_LIST_SYSFS);
	ck_assert(has_line(t, "bus/ap/ap_max_adapter_id 127"));
	ck_assert(has_line(t, "bus/ap/ap_max_domain_id 63"));
	ck_assert(has_line(t, "bus/ap/devices/7f.003f/online 1"));
	free(t);
}
END_TEST

START_TEST(test_listing_empty)
{
	s390ap_machine_opts o = { 0 };

	use_machine(&o);
	expect_list(S390AP_LIST_LSZCRYPT, "");
	expect_list(S390AP_LIST_SYSFS,
		    "bus/ap/ap_adapter_mask "
		    "0x0000000000000000000000000000000000000000000000000000000000000000\n"
		    "bus/ap/ap_control_domain_mask "
		    "0x0000000000000000000000000000000000000000000000000000000000000000\n"
		    "bus/ap/ap_domain -1\n"
		    "bus/ap/ap_interrupts 1\n"
		    "bus/ap/ap_max_adapter_id 255\n"
		    "bus/ap/ap_max_domain_id 255\n"
		    "bus/ap/ap_usage_domain_mask "
		    "0x0000000000000000000000000000000000000000000000000000000000000000\n");
}
END_TEST

/* Without AP instructions Linux has no AP bus. */
START_TEST(test_listing_no_ap)
{
	use_machine_facs(0);
	expect_list(S390AP_LIST_LSZCRYPT, "");
	expect_list(S390AP_LIST_SYSFS, "bus/ap <missing>\n");
}
END_TEST

START_TEST(test_listing_truncated)
{
	char buf[64];
	size_t whole = strlen(lszcrypt_default), needed = 0;

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_LSZCRYPT, buf, sizeof(buf), &needed),
			 0);
	ck_assert_uint_eq(needed, whole);
	ck_assert_uint_eq(strlen(buf), sizeof(buf) - 1);
	ck_assert(memcmp(buf, lszcrypt_default, sizeof(buf) - 1) == 0);
	/* one byte: only the NUL */
	buf[0] = 'x';
	ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_LSZCRYPT, buf, 1, &needed), 0);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(needed, whole);
	/* no buffer at all, needed only */
	ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_SYSFS, NULL, 0, &needed), 0);
	ck_assert_uint_gt(needed, whole);
	/* needed may be NULL; the size that exactly fits */
	{
		char *full = malloc(whole + 1);

		ck_assert_ptr_nonnull(full);
		ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_LSZCRYPT, full, whole + 1,
						     NULL),
				 0);
		ck_assert_str_eq(full, lszcrypt_default);
		ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_LSZCRYPT, full, whole, NULL),
				 0);
		ck_assert_uint_eq(strlen(full), whole - 1);
		free(full);
	}
}
END_TEST

START_TEST(test_listing_errors)
{
	char buf[8];
	size_t needed = 7;

	ck_assert_int_eq(s390ap_machine_list(NULL, S390AP_LIST_LSZCRYPT, buf, sizeof(buf), &needed),
			 S390AP_EINVAL);
	ck_assert_uint_eq(needed, 7);
	ck_assert_int_eq(s390ap_machine_list(m, (s390ap_list_kind)3, buf, sizeof(buf), &needed),
			 S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(m), "kind"));
	ck_assert_int_eq(s390ap_machine_list(m, (s390ap_list_kind)-1, buf, sizeof(buf), NULL),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_SYSFS, NULL, 4, &needed),
			 S390AP_EINVAL);
	ck_assert_uint_eq(needed, 7);
	/* a listing that succeeds leaves the last message alone */
	s390ap_machine_errmsg_clear(m);
	ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_SYSFS, buf, sizeof(buf), NULL), 0);
	ck_assert_int_eq(s390ap_machine_list(m, S390AP_LIST_LSZCRYPT, buf, sizeof(buf), NULL), 0);
	ck_assert_str_eq(s390ap_machine_errmsg(m), "");
}
END_TEST

static Suite *listing_suite(void)
{
	Suite *s = suite_create("listing");
	TCase *tc = fixture_tcase(s, "default", setup);

	tcase_add_test(tc, test_listing_lszcrypt_default);
	tcase_add_test(tc, test_listing_sysfs_default);
	tcase_add_test(tc, test_listing_sysfs_polling);
	tcase_add_test(tc, test_listing_sysfs_default_domain);
	tcase_add_test(tc, test_listing_requests);
	tcase_add_test(tc, test_listing_truncated);
	tcase_add_test(tc, test_listing_errors);

	tc = fixture_tcase(s, "states", setup_states);
	tcase_add_test(tc, test_listing_lszcrypt_states);
	tcase_add_test(tc, test_listing_sysfs_states);

	tc = fixture_tcase(s, "facilities", setup);
	tcase_add_test(tc, test_listing_no_apft);
	tcase_add_test(tc, test_listing_no_qci);
	tcase_add_test(tc, test_listing_na_nd);
	tcase_add_test(tc, test_listing_empty);
	tcase_add_test(tc, test_listing_no_ap);
	return s;
}

int main(void)
{
	return run_suite(listing_suite());
}
