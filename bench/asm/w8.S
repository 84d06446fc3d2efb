/* SPDX-License-Identifier: MIT */
/* W8: SIE entry and exit with nothing to do -- a guest's DIAG 0x9C loop.
 *
 * In:   GR9 = iterations (1 .. 2^31 - 1)
 * Out:  GR8 = iterations (the loop's own count, checked by apbench)
 * Ends: DIAG 0x44 (halt)
 *
 * Runs as a guest only: DIAG 0x9C (a directed yield) is intercepted and
 * the host model handles it in its "kernel" by resuming the guest at once,
 * so every iteration is one SIE exit and one SIE entry.  Three guest
 * instructions per iteration: DIAG, AHI, BRCT (taken).
 */
	.text
	.globl	_start
_start:
	lghi	%r8,0
0:	diag	%r0,%r0,0x9c
	ahi	%r8,1
	brct	%r9,0b
	diag	%r0,%r0,0x44
