/* SPDX-License-Identifier: MIT */
/* test_vsie's own programs, embedded at build time (tests/CMakeLists.txt). */
#ifndef S390AP_TESTS_VSIE_PROGRAMS_H
#define S390AP_TESTS_VSIE_PROGRAMS_H

#include <stddef.h>

/* vsie/asm/sie_r14.S: guest-2, SIE on the SCB at GR14, then DIAG 0x44 */
extern const unsigned char vsie_sie_r14_elf[];
extern const size_t vsie_sie_r14_elf_len;

/* matrix/asm/tapq_wait.S as a flat image from 0x10000 (a guest-3 that
 * polls TAPQ on the APQN in GR9 until it answers cc 0) */
extern const unsigned char vsie_tapq_wait3_bin[];
extern const size_t vsie_tapq_wait3_bin_len;

#endif
