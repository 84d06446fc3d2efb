/* SPDX-License-Identifier: MIT */
# ap_exc.S - AP program exceptions, each caught by a program-interruption
# handler that resumes the program: privileged operation (problem state),
# specification (function codes, GR0 bits, register fields, lengths, QCI
# alignment) and addressing (QCI block, NQAP message, DQAP buffer outside
# storage), and the look-alikes that are *not* exceptions (GR0 bits the
# instructions ignore, ids above the configuration with APXA, ZAPQ's F bit
# without APSB, a 12 KiB DQAP buffer for an APQN with no adapter).
#
# The handler at the program new PSW (lowcore 0x1D0) puts the interruption
# code (0x8E) in GR13 and the instruction length (0x8D) in GR14, counts
# interruptions in GR12, turns the problem-state bit of the old PSW off and
# loads it: the program goes on after the suppressed instruction, always in
# supervisor state.  Every step clears GR13 first and checks it afterwards.
#
# In:  the default machine: 03.0006 (CEX8 accelerator), 05.0047 (EP11),
#      16 MiB of storage.
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR12 = program interruptions taken.

	.macro	pqap
	.insn	rre,0xb2af0000,0,0
	.endm

	.macro	step n			# start step n: nothing recorded yet
	lghi	%r11,\n
	lghi	%r13,0
	.endm

	.macro	want_pgm code		# the last instruction raised `code`
	cghi	%r13,\code
	jne	fail
	cghi	%r14,4			# the AP instructions are 4 bytes long
	jne	fail
	.endm

	.macro	want_rc rc		# no interruption; response code `rc`
	cghi	%r13,0
	jne	fail
	sllg	%r3,%r1,40		# GR1 bits 40-47 ...
	srlg	%r3,%r3,56		# ... into bits 56-63
	cghi	%r3,\rc
	jne	fail
	.endm

	.macro	problem_state		# go on at the next instruction, problem state
	larl	%r14,psw_prob
	larl	%r15,1f
	stg	%r15,8(%r14)
	lpswe	0(%r14)
1:
	.endm

	.text
	.globl	_start
_start:
	larl	%r1,pgm_new_psw		# program new PSW -> pgm_handler
	mvc	0x1d0(16,%r0),0(%r1)
	lghi	%r12,0
	lghi	%r9,0x0306		# APQN 03.0006

	# --- privileged operation: every AP instruction, in problem state ---
	step	1			# PQAP(TAPQ)
	lgr	%r0,%r9
	problem_state
	pqap
	want_pgm 2
	step	2			# NQAP of a valid request
	llilf	%r0,0x40000000		# L bit
	ogr	%r0,%r9
	larl	%r6,req8
	lghi	%r7,8
	problem_state
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	want_pgm 2
	step	3			# DQAP
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,16
	problem_state
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	want_pgm 2
	step	4			# NQAP with R1 = 0: privileged before specification
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	problem_state
	.insn	rre,0xb2ad0000,%r0,%r6
	want_pgm 2

	# --- PQAP specification: function codes ---
	step	5			# FC 6 (reserved)
	llilf	%r0,0x06000306
	pqap
	want_pgm 6
	step	6			# FC 9 (above AAPQ)
	llilf	%r0,0x09000306
	pqap
	want_pgm 6
	step	7			# FC 42
	llilf	%r0,0x2a000306
	pqap
	want_pgm 6
	step	8			# FC 255
	llilf	%r0,0xff000306
	pqap
	want_pgm 6
	step	9			# FC 7 BAPQ: only in an SE guest
	llilf	%r0,0x07000306
	pqap
	want_pgm 6
	step	10			# FC 8 AAPQ: only in an SE guest
	llilf	%r0,0x08000306
	lghi	%r2,0
	pqap
	want_pgm 6

	# --- PQAP specification: GR0 bits 41-47 with TAPQ, one at a time ---
	lghi	%r11,11			# steps 11..17 = bits 41..47
	llilf	%r10,0x00400000		# GR0 bit 41 (F)
bits:	lghi	%r13,0
	lgr	%r0,%r9
	ogr	%r0,%r10
	pqap
	want_pgm 6
	aghi	%r11,1
	srlg	%r10,%r10,1		# the next bit to the right
	clgfi	%r10,0x8000		# stop after bit 47 (0x10000)
	jh	bits

	# --- the T bit is for TAPQ only ---
	step	18			# RAPQ with T
	llilf	%r0,0x01800306
	pqap
	want_pgm 6
	step	19			# QACT with T
	llilf	%r0,0x05800306
	pqap
	want_pgm 6

	# --- QCI: alignment (specification) before storage (addressing) ---
	step	20			# GR2 not doubleword aligned
	llilf	%r0,0x04000000
	lghi	%r2,0x2004
	pqap
	want_pgm 6
	step	21			# misaligned and outside storage: specification
	llilf	%r0,0x04000000
	llilf	%r2,0x01000004
	pqap
	want_pgm 6
	step	22			# just past the end of the 16 MiB
	llilf	%r0,0x04000000
	llilf	%r2,0x01000000
	pqap
	want_pgm 5
	step	23			# the block would cross the end: nothing stored
	llilf	%r0,0x04000000
	llilf	%r2,0x00ffffc0
	pqap
	want_pgm 5

	# --- NQAP specification ---
	llilf	%r4,0x45584331		# PSMID "EXC1" 00000001
	lghi	%r5,1
	larl	%r6,req8
	lghi	%r7,8
	step	24			# R1 odd
	llilf	%r0,0x40000306
	.insn	rre,0xb2ad0000,%r5,%r6
	want_pgm 6
	step	25			# R2 odd
	llilf	%r0,0x40000306
	.insn	rre,0xb2ad0000,%r4,%r7
	want_pgm 6
	step	26			# R2 = 0
	llilf	%r0,0x40000306
	.insn	rre,0xb2ad0000,%r4,%r0
	want_pgm 6
	step	27			# length 0
	llilf	%r0,0x40000306
	lghi	%r7,0
	.insn	rre,0xb2ad0000,%r4,%r6
	want_pgm 6
	lghi	%r7,8
	step	28			# GR0 bit 32
	llilf	%r0,0xc0000306
	.insn	rre,0xb2ad0000,%r4,%r6
	want_pgm 6
	step	29			# GR0 bit 40
	llilf	%r0,0x40800306
	.insn	rre,0xb2ad0000,%r4,%r6
	want_pgm 6
	step	30			# message crosses the end of storage
	llilf	%r0,0x40000306
	llilf	%r6,0x00fffff0
	lghi	%r7,0x20
	.insn	rre,0xb2ad0000,%r4,%r6
	want_pgm 5
	clgfi	%r6,0x00fffff0		# nullified: registers unchanged
	jne	fail
	cghi	%r7,0x20
	jne	fail
	step	31			# and nothing was queued: TAPQ says E
	lgr	%r0,%r9
	pqap
	want_rc	0
	clgfi	%r1,0x80000000
	jne	fail

	# --- DQAP specification (no reply is waiting: 0x10 if it got that far) ---
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,16
	step	32			# R1 = 0
	lgr	%r0,%r9
	.insn	rre,0xb2ae0000,%r0,%r6
	want_pgm 6
	step	33			# R1 = 2 (GR2 holds the residual)
	lgr	%r0,%r9
	.insn	rre,0xb2ae0000,%r2,%r6
	want_pgm 6
	step	34			# R2 = 2
	lgr	%r0,%r9
	.insn	rre,0xb2ae0000,%r4,%r2
	want_pgm 6
	step	35			# R1 odd
	lgr	%r0,%r9
	.insn	rre,0xb2ae0000,%r5,%r6
	want_pgm 6
	step	36			# R2 = 0
	lgr	%r0,%r9
	.insn	rre,0xb2ae0000,%r4,%r0
	want_pgm 6
	step	37			# buffer length 0
	lgr	%r0,%r9
	lghi	%r7,0
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 6
	step	38			# 12 KiB + 1: over the adapter's maximum
	lgr	%r0,%r9
	lghi	%r7,12289
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 6
	step	39			# exactly 12 KiB is fine: RC 0x10
	lgr	%r0,%r9
	lghi	%r7,12288
	.insn	rre,0xb2ae0000,%r4,%r6
	want_rc	0x10
	lghi	%r7,16
	step	40			# GR0 bit 33
	llilf	%r0,0x40000306
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 6
	step	41			# GR0 bit 41
	llilf	%r0,0x00400306
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 6
	step	42			# bits 32, 36-39, 42-47 are ignored: RC 0x10
	llilf	%r0,0x8f3f0306
	.insn	rre,0xb2ae0000,%r4,%r6
	want_rc	0x10

	# --- not exceptions ---
	step	43			# TAPQ ignores GR0 bits 0-31
	lghi	%r0,-1
	nilf	%r0,0x00000306		# 0xffffffff00000306
	pqap
	want_rc	0
	step	44			# APID 64 with APXA: legal, not configured
	llilf	%r0,0x00004006
	pqap
	want_rc	1
	step	45			# APQI 16 with APXA: legal, not configured
	llilf	%r0,0x00000310
	pqap
	want_rc	1
	step	46			# ZAPQ with F (bit 41) on 05.0047: accepted
	llilf	%r0,0x02400547
	pqap
	want_rc	0

	# --- DQAP buffer outside storage while a reply waits ---
	step	47			# NQAP an 8-byte request (error reply)
	llilf	%r0,0x40000306
	llilf	%r4,0x45584332		# PSMID "EXC2" 00000002
	lghi	%r5,2
	larl	%r6,req8
	lghi	%r7,8
	.insn	rre,0xb2ad0000,%r4,%r6
	want_rc	0
	step	48			# TAPQ until the reply is there (R)
poll:	lgr	%r0,%r9
	pqap
	want_rc	0
	srlg	%r3,%r1,16
	tmll	%r3,0x4000		# R: GR1 bit 33
	jz	poll
	step	49			# the buffer crosses the end of storage
	lgr	%r0,%r9
	lghi	%r2,0
	lghi	%r4,0
	lghi	%r5,0
	llilf	%r6,0x00fffffc
	lghi	%r7,8
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 5
	cghi	%r2,0			# nullified: no residual, no PSMID,
	jne	fail
	cghi	%r4,0
	jne	fail
	clgfi	%r6,0x00fffffc		# registers unchanged
	jne	fail
	step	50			# the reply is still there
	lgr	%r0,%r9
	pqap
	want_rc	0
	clgfi	%r1,0x40000000		# R, not E
	jne	fail
	step	51			# and comes out whole
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,16
	.insn	rre,0xb2ae0000,%r4,%r6
	want_rc	0
	cghi	%r7,8			# 8 bytes stored
	jne	fail
	clgfi	%r4,0x45584332
	jne	fail
	larl	%r6,reply
	larl	%r3,reply_want
	clc	0(8,%r6),0(%r3)
	jne	fail

	# --- DQAP to an APQN with no adapter: the 12 KiB default maximum ---
	step	52			# 08.0006, 12 KiB + 1: specification
	llilf	%r0,0x00000806
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,12289
	.insn	rre,0xb2ae0000,%r4,%r6
	want_pgm 6
	step	53			# 12 KiB: RC 0x01 (no such queue)
	llilf	%r0,0x00000806
	lghi	%r7,12288
	.insn	rre,0xb2ae0000,%r4,%r6
	want_rc	1
	step	54			# PQAP ignores its R1 and R2 fields
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,%r4,%r6	# TAPQ
	want_rc	0

	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500		# exit with the step number (0 = all good)
	j	fail			# (a DIAG in problem state comes back here)

pgm_handler:
	llgh	%r13,0x8e		# interruption code
	llgc	%r14,0x8d		# instruction length in bytes
	aghi	%r12,1
	llgc	%r15,0x151		# old PSW bits 8-15: key, M, W, P
	nill	%r15,0xfe		# P off: resume in supervisor state
	stc	%r15,0x151
	lpswe	0x150			# program old PSW: after the instruction

	.data
	.balign	8
pgm_new_psw:				# 64-bit mode, interruptions disabled
	.quad	0x0000000180000000, pgm_handler
psw_prob:				# problem state (bit 15), 64-bit
	.quad	0x0001000180000000, 0
req8:					# type 50, length 8: too short for the
	.byte	0x00,0x50,0x00,0x08,0,0,0,0	# engine -> type 82 code 0x23
reply_want:
	.byte	0x00,0x82,0x00,0x00,0x23,0,0,0
	.balign	8
reply:	.fill	16,1,0xee
