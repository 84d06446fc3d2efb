/* SPDX-License-Identifier: MIT */
/* W10: guest-2 of a vSIE run -- one SIE of guest-3, then halt.
 *
 * In:   GR14 = guest-3's SCB (guest-2 real); GR0-13 = guest-3's GR0-13
 *       (W10: GR9 = iterations, GR10 = TAPQ's GR0 for guest-3's W2 loop)
 * Ends: DIAG 0x44 (halt) when guest-3 left SIE with its own DIAG 0x44 (an
 *       instruction interception to guest-2); DIAG 0x500 with GR2 = 0x22
 *       on any other interception code.
 *
 * GR14 is not one of the registers guest-3 shares with guest-2, so the SCB
 * address survives guest-3's run.
 */
	.text
	.globl	_start
_start:
	sie	0(%r14)
	cli	0x50(%r14),0x04		/* icptcode: instruction */
	jne	9f
	diag	%r0,%r0,0x44
9:	lghi	%r2,0x22
	diag	%r0,%r0,0x500
