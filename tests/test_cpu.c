/* SPDX-License-Identifier: MIT */
/* Check suite for the dispatcher (src/cpu/): decoding of every supported
 * instruction from real encodings, execution semantics and condition codes
 * per group, interruptions, wait states, the scheduler, cost accounting,
 * the decoded-instruction cache and the ELF loader.  The test cases live
 * in tests/cpu/, one file per group. */
#include "cpu/cpu_test.h"

static Suite *cpu_suite(void)
{
	Suite *s = suite_create("cpu");

	tcase_cpu_decode(s);
	tcase_cpu_load_store(s);
	tcase_cpu_arith(s);
	tcase_cpu_branch(s);
	tcase_cpu_control(s);
	tcase_cpu_interrupt(s);
	tcase_cpu_ap(s);
	tcase_cpu_run(s);
	tcase_cpu_cache(s);
	tcase_cpu_elf(s);
	tcase_cpu_api(s);
	return s;
}

int main(void)
{
	return run_suite(cpu_suite());
}
