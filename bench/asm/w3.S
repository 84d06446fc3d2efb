/* SPDX-License-Identifier: MIT */
/* W3: NQAP + DQAP request / reply round trips.
 *
 * In:   GR9  = iterations (1 .. 2^31 - 1)
 *       GR10 = GR0 for NQAP: 0x40000000 (L, last part) | APQN
 *       GR11 = GR0 for DQAP: 0x80000000 | APQN
 *       GR12 = request address, GR13 = reply buffer address
 *       GR14 = message length (request length = reply buffer length)
 * Out:  GR15 = DQAP executions that found no reply yet (RC 0x10)
 * Ends: DIAG 0x44 (halt) after every round trip completed;
 *       DIAG 0x500 with GR2 = 0x31 (NQAP cc 3), 0x32 (DQAP cc 3 with a
 *       response code other than 0x10), 0x33 (the reply's PSMID is not
 *       the request's).  GR1 then holds the status word.
 *
 * Each request carries PSMID = iteration number (R1 = GR4 / GR5 low words).
 * NQAP and DQAP repeat on cc 1 / 2 (partial, CPU-determined amount).  DQAP
 * polls on RC 0x10: the reply appears when the machine clock has passed the
 * adapter latency, and the dispatcher moves the clock as cycles are spent.
 */
	.text
	.globl	_start
_start:
	lghi	%r3,0			/* PSMID counter */
	lghi	%r15,0			/* polls */
loop:	aghi	%r3,1
	lghi	%r4,0			/* PSMID high word */
	lgr	%r5,%r3			/* PSMID low word */
	lgr	%r6,%r12		/* request address */
	lgr	%r7,%r14		/* request length */
	lgr	%r0,%r10
1:	.insn	rre,0xb2ad0000,%r4,%r6	/* NQAP */
	brc	6,1b			/* cc 1, 2: move the rest */
	brc	1,8f			/* cc 3: fail */
	lgr	%r6,%r13		/* reply buffer */
	lgr	%r7,%r14		/* reply buffer length */
	lghi	%r2,0			/* residual 0: a new reply */
	lgr	%r0,%r11
2:	.insn	rre,0xb2ae0000,%r4,%r6	/* DQAP */
	brc	6,2b			/* cc 1, 2: move the rest */
	brc	8,3f			/* cc 0: complete */
	srlg	%r8,%r1,16		/* cc 3: response code */
	nill	%r8,0xff
	chi	%r8,0x10		/* no reply yet? */
	brc	7,9f
	aghi	%r15,1
	j	2b
3:	cr	%r5,%r3			/* the reply answers this request */
	brc	7,7f
	brct	%r9,loop
	diag	%r0,%r0,0x44
7:	lghi	%r2,0x33
	diag	%r0,%r0,0x500
8:	lghi	%r2,0x31
	diag	%r0,%r0,0x500
9:	lghi	%r2,0x32
	diag	%r0,%r0,0x500
