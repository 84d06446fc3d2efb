/* SPDX-License-Identifier: MIT */
/* W2: a PQAP(TAPQ) loop.
 *
 * In:   GR9  = iterations (1 .. 2^31 - 1)
 *       GR10 = GR0 for TAPQ: FC 0 << 24 | APQN
 * Ends: DIAG 0x44 (halt) after every TAPQ answered cc 0;
 *       DIAG 0x500 with GR2 = 0x21 at the first TAPQ that did not
 *       (GR1 then holds its status word).
 *
 * Three instructions per iteration: PQAP, BRC (not taken), BRCT (taken).
 */
	.text
	.globl	_start
_start:
	lgr	%r0,%r10
0:	.insn	rre,0xb2af0000,0,0	/* PQAP: TAPQ */
	brc	7,9f			/* cc 1, 2, 3: fail */
	brct	%r9,0b
	diag	%r0,%r0,0x44
9:	lghi	%r2,0x21
	diag	%r0,%r0,0x500
