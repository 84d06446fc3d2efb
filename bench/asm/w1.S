/* SPDX-License-Identifier: MIT */
/* W1: a tight BRCT loop -- the dispatcher baseline.
 *
 * In:   GR9 = iterations (1 .. 2^31 - 1; BRCT counts the low word)
 * Out:  GR8 = iterations (the loop's own count, checked by apbench)
 * Ends: DIAG 0x44 (halt)
 *
 * Two instructions per iteration: AHI + BRCT (taken).  The Hercules peer
 * runs the same two-instruction loop (w1h.S).
 */
	.text
	.globl	_start
_start:
	lghi	%r8,0
0:	ahi	%r8,1
	brct	%r9,0b
	diag	%r0,%r0,0x44
