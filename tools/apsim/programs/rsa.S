/* SPDX-License-Identifier: MIT */
# rsa.S - NQAP the request in storage, DQAP its reply: apsim's built-in
# program `rsa` (embedded at build time), the guest side of the default
# scenario's last steps and of the RSA and CCA scenarios
# (tests/scenarios/rsa_*.scn, cca_*.scn load its ELF, rsa.elf).
# Any request works; the scenario writes it, usually with `request`.
#
# In:  GR9  = APQN
#      GR7  = request length
#      GR10 = bytes per NQAP part (0: the whole request in one NQAP); parts
#             before the last go with the L bit off
#      GR11 = DQAP buffer length (0: 0x3000, the 12 KiB maximum); when the
#             reply is longer, DQAP fills one buffer after the other (cc 1)
#      GR12 = request address (0: 0x20000)
#      GR13 = reply address (0: 0x30000)
# Out: the reply at GR13, its length in GR3
#      GR8  = NQAP executions (cc 2 repeats included)
#      GR14 = DQAP executions that stored reply bytes
#      GR15 = DQAPs that found no reply yet (RC 0x10)
#      GR4/GR5 = the PSMID, 72736120 00000001 ("rsa ", 1)
# Ends with DIAG 0x500: exit 0, or 1 when NQAP answered cc 3, 2 when DQAP
# answered a response code other than 0x10, 3 when the reply's PSMID is
# not the request's (GR1 holds the status word).
	.text
	.globl	_start
_start:
	ltgr	%r12,%r12		# default addresses
	jnz	1f
	llilf	%r12,0x20000
1:	ltgr	%r13,%r13
	jnz	2f
	llilf	%r13,0x30000
2:	ltgr	%r11,%r11
	jnz	3f
	lghi	%r11,0x3000
3:	llilf	%r4,0x72736120		# PSMID "rsa " 00000001
	lghi	%r5,1
	lghi	%r8,0
	lgr	%r6,%r12
	lgr	%r14,%r7		# GR14: bytes not sent yet
	# NQAP, part after part
part:	lgr	%r7,%r14		# this part: everything left ...
	lgr	%r0,%r9
	oilf	%r0,0x40000000		# ... with the L bit (GR0 bit 33)
	ltgr	%r10,%r10
	jz	send
	clgr	%r14,%r10
	jle	send
	lgr	%r7,%r10		# ... or GR10 bytes without it
	lgr	%r0,%r9
send:	sgr	%r14,%r7
nqap:	aghi	%r8,1
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP (advances GR6, counts down GR7)
	brc	2,nqap			# cc 2: CPU-determined amount, go on
	brc	1,fail_nq		# cc 3
	ltgr	%r14,%r14		# cc 0 (last part) or 1 (part kept)
	jnz	part
	# DQAP into buffers of GR11 bytes until the reply is complete
	lghi	%r14,0
	lghi	%r15,0
	lgr	%r6,%r13
	lgr	%r7,%r11
	lghi	%r2,0			# residual 0: start a new reply
dqap:	lgr	%r0,%r9
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	brc	8,done			# cc 0: complete
	brc	1,norep			# cc 3: no reply yet?
	aghi	%r14,1			# cc 1: buffer full, cc 2: CPU-determined
	ltgr	%r7,%r7
	jnz	dqap
	lgr	%r7,%r11		# the next buffer, right after the last
	j	dqap
norep:	srlg	%r3,%r1,16		# response code: GR1 bits 40-47
	nill	%r3,0xff
	chi	%r3,0x10
	jne	fail_dq
	aghi	%r15,1
	j	dqap
done:	aghi	%r14,1
	lgr	%r3,%r6			# reply length: how far GR6 advanced
	sgr	%r3,%r13
	clgfi	%r4,0x72736120		# the PSMID came back
	jne	fail_id
	chi	%r5,1
	jne	fail_id
	lghi	%r2,0
	diag	0,0,0x500
fail_nq:
	lghi	%r2,1
	diag	0,0,0x500
fail_dq:
	lghi	%r2,2
	diag	0,0,0x500
fail_id:
	lghi	%r2,3
	diag	0,0,0x500
