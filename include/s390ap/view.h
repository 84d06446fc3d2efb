/* SPDX-License-Identifier: MIT */
/* s390ap — the AP view: what the executing level (an LPAR, a guest, a
 * nested guest) may see of a machine.  s390ap_execute takes one in its
 * context (insn.h); the dispatcher builds one per vCPU and level.
 */
#ifndef S390AP_VIEW_H
#define S390AP_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The masks are 32-byte MSB-first images; a NULL mask means "the machine's
 * configuration".  A level sees a queue only if it is in its masks AND in
 * the machine's configuration. */
typedef struct s390ap_view {
	const uint8_t *apm;
	const uint8_t *aqm;
	const uint8_t *adm;
	uint32_t facilities; /* S390AP_FAC_* visible at this level, ANDed with the machine's */
	bool se_guest;       /* executing in a Secure Execution guest (BAPQ/AAPQ) */
} s390ap_view;

/* Initialise a view that sees the whole machine (an LPAR). */
S390AP_API void s390ap_view_lpar(const s390ap_machine *m, s390ap_view *view);

#ifdef __cplusplus
}
#endif
#endif
