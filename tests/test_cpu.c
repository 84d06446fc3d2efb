/* Check suite for the dispatcher (src/cpu/): decoding of every supported
 * instruction from real encodings, execution semantics and condition codes
 * per group, interruptions, wait states, the scheduler, cost accounting,
 * the decoded-instruction cache and the ELF loader.  The test cases live
 * in tests/cpu/, one file per group. */
#include "cpu/cpu_test.h"

static Suite *cpu_suite(void)
{
	Suite *s = suite_create("cpu");

	suite_add_tcase(s, tcase_cpu_decode());
	suite_add_tcase(s, tcase_cpu_load_store());
	suite_add_tcase(s, tcase_cpu_arith());
	suite_add_tcase(s, tcase_cpu_branch());
	suite_add_tcase(s, tcase_cpu_control());
	suite_add_tcase(s, tcase_cpu_interrupt());
	suite_add_tcase(s, tcase_cpu_ap());
	suite_add_tcase(s, tcase_cpu_run());
	suite_add_tcase(s, tcase_cpu_cache());
	suite_add_tcase(s, tcase_cpu_elf());
	suite_add_tcase(s, tcase_cpu_api());
	return s;
}

int main(void)
{
	return run_suite(cpu_suite());
}
