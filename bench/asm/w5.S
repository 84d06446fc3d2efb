/* SPDX-License-Identifier: MIT */
/* W5: RSA-2048 modular exponentiation, request / reply through NQAP and
 * DQAP on an accelerator with the crypto engine.
 *
 * In:   GR9  = iterations (1 .. 2^31 - 1)
 *       GR10 = GR0 for NQAP: 0x40000000 (L, last part) | APQN
 *       GR11 = GR0 for DQAP: APQN
 *       GR12 = request address (a type 50 MEB2 request, 0x310 bytes)
 *       GR13 = reply buffer address, GR8 = its length
 *       GR14 = request length
 * Out:  GR15 = DQAP executions that found no reply yet (RC 0x10)
 * Ends: DIAG 0x44 (halt) after every round trip came back as a type 80
 *       reply; DIAG 0x500 with GR2 = 0x51 (NQAP cc 3), 0x52 (DQAP cc 3
 *       with a response code other than 0x10), 0x53 (the reply's PSMID is
 *       not the request's), 0x54 (the reply is not type 80: the engine
 *       refused the request).  GR1 then holds the status word.
 *
 * The request is sent unchanged every time, so every reply must be the
 * same result; apbench checks the last one.  PSMID = iteration number.
 */
	.text
	.globl	_start
_start:
	lghi	%r3,0			/* PSMID counter */
	lghi	%r15,0			/* polls */
loop:	aghi	%r3,1
	lghi	%r4,0			/* PSMID high word */
	lgr	%r5,%r3			/* PSMID low word */
	lgr	%r6,%r12
	lgr	%r7,%r14
	lgr	%r0,%r10
1:	.insn	rre,0xb2ad0000,%r4,%r6	/* NQAP */
	brc	6,1b			/* cc 1, 2: move the rest */
	brc	1,8f			/* cc 3: fail */
	lgr	%r6,%r13
	lgr	%r7,%r8
	lghi	%r2,0			/* residual 0: a new reply */
	lgr	%r0,%r11
2:	.insn	rre,0xb2ae0000,%r4,%r6	/* DQAP */
	brc	6,2b			/* cc 1, 2: move the rest */
	brc	8,3f			/* cc 0: complete */
	srlg	%r0,%r1,16		/* cc 3: response code (GR1 bits 40-47) */
	nill	%r0,0xff
	chi	%r0,0x10		/* no reply yet? */
	brc	7,9f
	aghi	%r15,1
	lgr	%r0,%r11
	j	2b
3:	cr	%r5,%r3			/* the reply answers this request */
	brc	7,7f
	cli	1(%r13),0x80		/* and it is a type 80 reply */
	brc	7,6f
	brct	%r9,loop
	diag	%r0,%r0,0x44
6:	lghi	%r2,0x54
	diag	%r0,%r0,0x500
7:	lghi	%r2,0x53
	diag	%r0,%r0,0x500
8:	lghi	%r2,0x51
	diag	%r0,%r0,0x500
9:	lghi	%r2,0x52
	diag	%r0,%r0,0x500
