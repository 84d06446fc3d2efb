/* SPDX-License-Identifier: MIT */
# ap_nofac.S - AP functions whose facility is not installed are
# specification exceptions: the TAPQ T bit without APFT, APIDs over 63 and
# APQIs over 15 without APXA (every AP instruction), AQIC without AQIC,
# QCI without QCI, QACT without QACT.  STFLE agrees: bits 12, 15 and 65
# are off.  The same program-interruption handler as ap_exc.S: code in
# GR13, instruction length in GR14, count in GR12, resume after the
# instruction.
#
# In:  a machine without APFT, APXA, AQIC, QACT and QCI whose queue 03.0006
#      exists (tests/scenarios/ap_nofac.scn).
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR12 = program interruptions taken; the STFLE list at `fl`.

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
	cghi	%r14,4
	jne	fail
	.endm

	.macro	want_rc rc		# no interruption; response code `rc`
	cghi	%r13,0
	jne	fail
	sllg	%r3,%r1,40
	srlg	%r3,%r3,56
	cghi	%r3,\rc
	jne	fail
	.endm

	.text
	.globl	_start
_start:
	larl	%r1,pgm_new_psw
	mvc	0x1d0(16,%r0),0(%r1)
	lghi	%r12,0
	lghi	%r9,0x0306

	step	1			# TAPQ without T works
	lgr	%r0,%r9
	pqap
	want_rc	0
	step	2			# TAPQ with T: no APFT
	llilf	%r0,0x00800306
	pqap
	want_pgm 6
	step	3			# APID 64: no APXA
	llilf	%r0,0x00004006
	pqap
	want_pgm 6
	step	4			# APQI 16: no APXA
	llilf	%r0,0x00000310
	pqap
	want_pgm 6
	step	5			# APID 63, APQI 15: legal ids, not configured
	llilf	%r0,0x00003f0f
	pqap
	want_rc	1
	step	6			# RAPQ of APID 0x80 (GR0 bit 48): no APXA
	llilf	%r0,0x01008006
	pqap
	want_pgm 6
	step	7			# NQAP to APQI 0x26 (GR0 bit 58)
	llilf	%r0,0x40000326
	llilf	%r4,0x4e4f4641		# PSMID "NOFA" 00000001
	lghi	%r5,1
	larl	%r6,req8
	lghi	%r7,8
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	want_pgm 6
	step	8			# DQAP from APID 0x40
	llilf	%r0,0x00004006
	lghi	%r2,0
	larl	%r6,buf
	lghi	%r7,16
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	want_pgm 6
	step	9			# AQIC: no AQIC facility
	llilf	%r0,0x03000306
	llihf	%r1,0x00008000
	larl	%r2,nib
	pqap
	want_pgm 6
	step	10			# QCI: no QCI facility
	llilf	%r0,0x04000000
	lghi	%r2,0x2000
	pqap
	want_pgm 6
	step	11			# QACT: no QACT facility
	llilf	%r0,0x05000306
	lghi	%r1,0
	pqap
	want_pgm 6
	step	12			# STFLE: two doublewords, cc 0
	lghi	%r0,1			# 2 doublewords provided
	larl	%r1,fl
	stfle	0(%r1)
	jnz	fail
	lg	%r3,0(%r1)		# bit 2 only: no QCI (12), no APFT (15)
	llihf	%r2,0x20000000
	clgr	%r3,%r2
	jne	fail
	lg	%r3,8(%r1)		# bit 76 (MSAX3) only: no AQIC (65)
	llihf	%r2,0x00080000
	clgr	%r3,%r2
	jne	fail
	step	13			# nothing reached the queue
	lgr	%r0,%r9
	pqap
	want_rc	0
	clgfi	%r1,0x80000000		# E
	jne	fail

	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500

pgm_handler:
	llgh	%r13,0x8e		# interruption code
	llgc	%r14,0x8d		# instruction length in bytes
	aghi	%r12,1
	lpswe	0x150			# resume after the instruction

	.data
	.balign	8
pgm_new_psw:
	.quad	0x0000000180000000, pgm_handler
fl:	.quad	0xeeeeeeeeeeeeeeee, 0xeeeeeeeeeeeeeeee	# STFLE list
req8:	.byte	0x00,0x50,0x00,0x08,0,0,0,0
nib:	.byte	0
	.balign	8
buf:	.fill	16,1,0xee
