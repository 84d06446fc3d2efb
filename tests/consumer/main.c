/* SPDX-License-Identifier: MIT */
/* Smallest outside user of an installed s390ap: create the default machine,
 * add an adapter with sized options (docs/abi.md), run one TAPQ on APQN
 * 03.0006 and check the library matches the headers. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <s390ap/s390ap.h>

int main(void)
{
	s390ap_machine *m = NULL;
	int err = s390ap_machine_new_default(&m, NULL);
	if (err) {
		fprintf(stderr, "machine: %s\n", s390ap_strerror(err));
		return 1;
	}

	s390ap_adapter_opts ao = { S390AP_SIZED(s390ap_adapter_opts), .mode = S390AP_MODE_CCA };
	err = s390ap_adapter_add(m, 0x10, &ao);
	if (err) {
		fprintf(stderr, "adapter: %s\n", s390ap_machine_errmsg(m));
		s390ap_machine_free(m);
		return 1;
	}

	uint64_t gr[16] = { 0 };
	gr[0] = (uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT | S390AP_APQN(0x03, 0x06);
	s390ap_insn_ctx ctx = { .gr = gr };
	s390ap_insn_result res;
	err = s390ap_execute(m, &ctx, (uint32_t)S390AP_OP_PQAP << 16, &res);

	printf("s390ap %s (headers %s)\n", s390ap_version(), S390AP_VERSION_STRING);
	printf("TAPQ 03.0006: err %d pgm %u cc %u status 0x%08" PRIx32 "\n", err, (unsigned)res.pgm,
	       (unsigned)res.cc, (uint32_t)gr[1]);

	int ok = err == 0 && res.pgm == 0 && res.cc == 0 &&
		 strcmp(s390ap_version(), S390AP_VERSION_STRING) == 0;
	s390ap_machine_free(m);
	return ok ? 0 : 1;
}
