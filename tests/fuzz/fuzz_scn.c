/* SPDX-License-Identifier: MIT */
/* Fuzz target: the apsim scenario language, parsed and run.
 *
 * The input is scenario text (not NUL-terminated: apsim_scenario_run takes a
 * length).  It runs with the caps apsim has for untrusted scenarios, so no
 * input runs long or asks for much storage; relative paths resolve against
 * the assembled test programs (FUZZ_ASM_DIR), so `load elf tapq.elf` in a
 * seed finds its program.  Invariant: the status is one of apsim's three.
 * Seeds: tests/scenarios; dictionary: tests/fuzz/dict/scn.dict.
 */
#include <stdio.h>

#include "fuzz.h"
#include "scenario.h"

#ifndef FUZZ_ASM_DIR
#define FUZZ_ASM_DIR "."
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* one sink per process: opening /dev/null per input costs more than
	 * many inputs do */
	static FILE *sink;
	apsim_opts o = { 0 };
	int status;

	if (!sink && !(sink = fopen("/dev/null", "w")))
		fuzz_fail("scn: cannot open /dev/null");
	o.out = sink;
	o.err = sink;
	o.cap_insns = 20000;
	o.cap_cycles = 2000000;
	o.cap_memory = 1u << 20;
	o.cap_cpus = 4;
	status = apsim_scenario_run(&o, "fuzz.scn", FUZZ_ASM_DIR, (const char *)data, size);
	if (status != APSIM_EXIT_OK && status != APSIM_EXIT_FAILED && status != APSIM_EXIT_ERROR)
		fuzz_fail("scn: status %d is none of apsim's", status);
	return 0;
}
