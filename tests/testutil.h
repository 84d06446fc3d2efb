/* SPDX-License-Identifier: MIT */
/* testutil -- what every Check suite uses, with the AP fixture of
 * aptest.h or without it (the cpu suite): ARRAY_SIZE, a 64-bit hex
 * assertion and the suite runner.  The naming rule is in aptest.h. */
#ifndef S390AP_TESTS_TESTUTIL_H
#define S390AP_TESTS_TESTUTIL_H

#include <check.h>
#include <inttypes.h>
#include <stdint.h>

#include "util/array.h"

#define ck_assert_x64(got, exp)                                                               \
	do {                                                                                  \
		uint64_t got_ = (uint64_t)(got);                                              \
		uint64_t exp_ = (uint64_t)(exp);                                              \
		ck_assert_msg(got_ == exp_, "%s == 0x%016" PRIx64 ", expected 0x%016" PRIx64, \
			      #got, got_, exp_);                                              \
	} while (0)

/* Run every test of s, print Check's summary; the exit status for main. */
int run_suite(Suite *s);

#endif /* S390AP_TESTS_TESTUTIL_H */
