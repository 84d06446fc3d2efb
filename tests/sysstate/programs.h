/* SPDX-License-Identifier: MIT */
/* The s390x programs test_sysstate runs, as ELF files embedded at build
 * time (tests/CMakeLists.txt): each is linked at an address of its own,
 * 128 KiB apart from 0x200000, so that several share one storage. */
#ifndef S390AP_TESTS_SYSSTATE_PROGRAMS_H
#define S390AP_TESTS_SYSSTATE_PROGRAMS_H

#include <stddef.h>

#define SYSSTATE_PROG_(name)                                \
	extern const unsigned char sysstate_##name##_elf[]; \
	extern const size_t sysstate_##name##_elf_len;

SYSSTATE_PROG_(tour)
SYSSTATE_PROG_(irq)
SYSSTATE_PROG_(irq_mask)
SYSSTATE_PROG_(nqdq)
SYSSTATE_PROG_(spec)
SYSSTATE_PROG_(ap_exc)
SYSSTATE_PROG_(zapq)
SYSSTATE_PROG_(rapq)
SYSSTATE_PROG_(aqic)
SYSSTATE_PROG_(qfull)
SYSSTATE_PROG_(tapq)

#undef SYSSTATE_PROG_

#endif
