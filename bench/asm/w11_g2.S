/* SPDX-License-Identifier: MIT */
/* W11: guest-2 runs guest-3 with SIE in a loop; guest-3's first
 * instruction is a DIAG, intercepted at once (every interception of
 * guest-3 goes to guest-2), so each iteration is one SIE entry and exit of
 * guest-3 through the host's vSIE.
 *
 * In:   GR9  = iterations (1 .. 2^31 - 1)
 *       GR7  = guest-3's entry (its DIAG)
 *       GR14 = guest-3's SCB (guest-2 real)
 * Out:  GR8  = round trips (checked by apbench)
 * Ends: DIAG 0x44 (halt); DIAG 0x500 with GR2 = 0x22 when guest-3 left
 *       SIE with anything but an instruction interception.
 *
 * Guest-3 shares GR0-13 with guest-2 and its DIAG changes none of them, so
 * GR7-GR9 keep their values across the SIE.  Per iteration: STG (guest-3's
 * PSW address back at its DIAG), SIE, CLI, BRC, AHI, BRCT in guest-2 and
 * the DIAG in guest-3.
 */
	.text
	.globl	_start
_start:
	lghi	%r8,0
0:	stg	%r7,0x98(%r14)		/* guest-3's PSW address */
	sie	0(%r14)
	cli	0x50(%r14),0x04		/* icptcode: instruction */
	jne	9f
	ahi	%r8,1
	brct	%r9,0b
	diag	%r0,%r0,0x44
9:	lghi	%r2,0x22
	diag	%r0,%r0,0x500
