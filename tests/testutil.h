/* testutil -- what every Check suite uses, fixture or not: the naming
 * rule, ARRAY_SIZE, a 64-bit hex assertion and the suite runner.
 *
 * Test names: test_<area>_<what>, <area> the instruction, object or
 * layer under test (tapq, nqap, clock, decode, elf, ...), <what> the
 * behaviour checked (test_nqap_queue_full, test_decode_rejects).  Tables
 * run with tcase_add_loop_test keep that name for the whole table; the
 * row index is _i. */
#ifndef S390AP_TESTS_TESTUTIL_H
#define S390AP_TESTS_TESTUTIL_H

#include <check.h>
#include <inttypes.h>
#include <stdint.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define ck_assert_x64(got, exp)                                              \
	do {                                                                 \
		uint64_t got_ = (uint64_t)(got);                             \
		uint64_t exp_ = (uint64_t)(exp);                             \
		ck_assert_msg(got_ == exp_,                                  \
			      "%s == 0x%016" PRIx64 ", expected 0x%016" PRIx64, \
			      #got, got_, exp_);                             \
	} while (0)

/* Run every test of s, print Check's summary; the exit status for main. */
int run_suite(Suite *s);

#endif /* S390AP_TESTS_TESTUTIL_H */
