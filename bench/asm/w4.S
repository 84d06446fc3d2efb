/* SPDX-License-Identifier: MIT */
/* W4: PQAP(AQIC) enable / disable.
 *
 * In:   GR9  = iterations (1 .. 2^31 - 1); two AQICs per iteration
 *       GR10 = GR0 for AQIC: FC 3 << 24 | APQN
 *       GR11 = GR1 to enable: 0x0000800000000000 (IR) | ISC
 *       GR12 = notification-indicator byte (NIB) address
 * Ends: DIAG 0x44 (halt) after every AQIC answered cc 0;
 *       DIAG 0x500 with GR2 = 0x41 (enable failed) or 0x42 (disable
 *       failed); GR1 then holds the status word.
 *
 * An AQIC takes effect a few cycles later (machine irq_cycles); asking for
 * the opposite state while the change is in flight is allowed, so the loop
 * flips as fast as it can.
 */
	.text
	.globl	_start
_start:
	lgr	%r0,%r10
	lgr	%r2,%r12
0:	lgr	%r1,%r11		/* enable */
	.insn	rre,0xb2af0000,0,0	/* PQAP: AQIC */
	brc	7,8f
	lghi	%r1,0			/* disable */
	.insn	rre,0xb2af0000,0,0	/* PQAP: AQIC */
	brc	7,9f
	brct	%r9,0b
	diag	%r0,%r0,0x44
8:	lghi	%r2,0x41
	diag	%r0,%r0,0x500
9:	lghi	%r2,0x42
	diag	%r0,%r0,0x500
