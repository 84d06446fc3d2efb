/* SPDX-License-Identifier: MIT */
# ap_noap.S - a machine without the AP facility: PQAP, NQAP and DQAP are
# operation exceptions, and operation comes first: before specification
# (NQAP with R1 = 0) and before privileged operation (problem state).
# The program-interruption handler of ap_exc.S: code in GR13, instruction
# length in GR14, count in GR12, resume in supervisor state after the
# instruction.
#
# In:  a machine without S390AP_FAC_AP (tests/scenarios/ap_noap.scn).
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR12 = program interruptions taken.

	.macro	step n
	lghi	%r11,\n
	lghi	%r13,0
	.endm

	.macro	want_pgm code
	cghi	%r13,\code
	jne	fail
	cghi	%r14,4
	jne	fail
	.endm

	.text
	.globl	_start
_start:
	larl	%r1,pgm_new_psw
	mvc	0x1d0(16,%r0),0(%r1)
	lghi	%r12,0
	llilf	%r4,0x4e4f4150		# PSMID "NOAP" 00000001
	lghi	%r5,1
	larl	%r6,req8
	lghi	%r7,8

	step	1			# PQAP(TAPQ)
	lghi	%r0,0x0306
	.insn	rre,0xb2af0000,0,0
	want_pgm 1
	step	2			# PQAP(QCI)
	llilf	%r0,0x04000000
	lghi	%r2,0x2000
	.insn	rre,0xb2af0000,0,0
	want_pgm 1
	step	3			# NQAP
	llilf	%r0,0x40000306
	.insn	rre,0xb2ad0000,%r4,%r6
	want_pgm 1
	step	4			# DQAP
	lghi	%r0,0x0306
	lghi	%r2,0
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 1
	step	5			# NQAP with R1 = 0: operation, not specification
	llilf	%r0,0x40000306
	.insn	rre,0xb2ad0000,%r0,%r6
	want_pgm 1
	step	6			# PQAP in problem state: operation, not privileged
	lghi	%r0,0x0306
	larl	%r14,psw_prob
	larl	%r15,prob
	stg	%r15,8(%r14)
	lpswe	0(%r14)
prob:	.insn	rre,0xb2af0000,0,0
	want_pgm 1
	step	7			# back in supervisor state: DIAG works
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500
	j	fail

pgm_handler:
	llgh	%r13,0x8e		# interruption code
	llgc	%r14,0x8d		# instruction length in bytes
	aghi	%r12,1
	llgc	%r15,0x151		# old PSW bits 8-15
	nill	%r15,0xfe		# P off
	stc	%r15,0x151
	lpswe	0x150

	.data
	.balign	8
pgm_new_psw:
	.quad	0x0000000180000000, pgm_handler
psw_prob:				# problem state, 64-bit
	.quad	0x0001000180000000, 0
req8:	.byte	0x00,0x50,0x00,0x08,0,0,0,0
