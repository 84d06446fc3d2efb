/* SPDX-License-Identifier: MIT */
/* test_pqap -- the AP instructions PQAP, NQAP and DQAP as an embedding
 * emulator sees them: a 16-register file, a flat storage and an AP view.
 * The test cases live in tests/pqap/, one file per instruction group; the
 * fixture and the helpers every suite shares are in aptest.h. */
#include "pqap/pqap_test.h"

static Suite *pqap_suite(void)
{
	Suite *s = suite_create("pqap");

	tcase_pqap_exceptions(s);
	tcase_pqap_tapq(s);
	tcase_pqap_qci(s);
	tcase_pqap_aqic(s);
	tcase_pqap_nqap(s);
	tcase_pqap_dqap(s);
	tcase_pqap_rc(s);
	tcase_pqap_se(s);
	tcase_pqap_execute(s);
	tcase_pqap_access(s);
	tcase_pqap_api_errors(s);
	return s;
}

int main(void)
{
	return run_suite(pqap_suite());
}
