/* SPDX-License-Identifier: MIT */
/* apbench — the workload programs: real s390x machine code assembled from
 * bench/asm/wN.S at build time (s390x-linux-gnu-as, ld -Ttext=0x10000,
 * objcopy -O binary) and embedded as byte arrays by bench/cmake/bin2c.cmake.
 *
 * Every image starts with its entry point (_start) and is loaded at
 * APBENCH_LOAD_ADDR (a guest's: guest absolute).  W6 runs w2 and W7 runs
 * w4 in a guest; w8 is for a guest only; w10_g2 and w11_g2 are guest-2s
 * that run a guest-3 with SIE (W10 runs w2 as guest-3).
 */
#ifndef APBENCH_PROGRAMS_H
#define APBENCH_PROGRAMS_H

#include <stddef.h>

#define APBENCH_LOAD_ADDR 0x10000u

extern const unsigned char apbench_prog_w1[]; /* AHI + BRCT loop, DIAG 0x44 */
extern const size_t apbench_prog_w1_len;
extern const unsigned char apbench_prog_w1h[]; /* the same loop for Hercules */
extern const size_t apbench_prog_w1h_len;
extern const unsigned char apbench_prog_w2[]; /* PQAP(TAPQ) loop */
extern const size_t apbench_prog_w2_len;
extern const unsigned char apbench_prog_w3[]; /* NQAP + DQAP round trips */
extern const size_t apbench_prog_w3_len;
extern const unsigned char apbench_prog_w4[]; /* PQAP(AQIC) enable / disable */
extern const size_t apbench_prog_w4_len;
extern const unsigned char apbench_prog_w5[]; /* RSA-2048 ME via NQAP + DQAP */
extern const size_t apbench_prog_w5_len;
extern const unsigned char apbench_prog_w8[]; /* DIAG 0x9C loop (a guest) */
extern const size_t apbench_prog_w8_len;
extern const unsigned char apbench_prog_w10_g2[]; /* guest-2: one SIE of guest-3 */
extern const size_t apbench_prog_w10_g2_len;
extern const unsigned char apbench_prog_w11_g2[]; /* guest-2: SIE of guest-3 in a loop */
extern const size_t apbench_prog_w11_g2_len;

#endif
