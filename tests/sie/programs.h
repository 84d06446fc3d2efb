/* SPDX-License-Identifier: MIT */
/* The tests/asm and tests/sie/asm programs test_sie runs, as ELF files
 * embedded at build time (tests/CMakeLists.txt), linked at their usual
 * 0x10000. */
#ifndef S390AP_TESTS_SIE_PROGRAMS_H
#define S390AP_TESTS_SIE_PROGRAMS_H

#include <stddef.h>

#define SIE_PROG_(name)                                \
	extern const unsigned char sie_##name##_elf[]; \
	extern const size_t sie_##name##_elf_len;

SIE_PROG_(tapq)
SIE_PROG_(irq)
SIE_PROG_(spec)
SIE_PROG_(ap_exc)
SIE_PROG_(aqic)
/* tests/sie/asm */
SIE_PROG_(one_ap)
SIE_PROG_(nib)
SIE_PROG_(sie_host)

/* one_ap as the flat image from its origin 0x10000 */
extern const unsigned char sie_one_ap_bin[];
extern const size_t sie_one_ap_bin_len;

/* tests/asm/tapq.S as a flat image linked at 0x10000 (guest-3 of test_vsie) */
extern const unsigned char sie_tapq3_bin[];
extern const size_t sie_tapq3_bin_len;

#undef SIE_PROG_
#endif
