/* SPDX-License-Identifier: MIT */
/* The tests/asm and tests/matrix/asm programs test_matrix runs as guests, embedded at build
 * time (tests/CMakeLists.txt), linked at their usual 0x10000. */
#ifndef S390AP_TESTS_MATRIX_PROGRAMS_H
#define S390AP_TESTS_MATRIX_PROGRAMS_H

#include <stddef.h>

extern const unsigned char matrix_tapq_elf[];
extern const size_t matrix_tapq_elf_len;
extern const unsigned char matrix_irq_elf[];
extern const size_t matrix_irq_elf_len;
extern const unsigned char matrix_qci_elf[];
extern const size_t matrix_qci_elf_len;
/* tests/matrix/asm */
extern const unsigned char matrix_tapq_wait_elf[];
extern const size_t matrix_tapq_wait_elf_len;

#endif
