/* SPDX-License-Identifier: MIT */
# aqic.S - PQAP(AQIC): enable adapter interruptions, watch the I bit come on,
# enable again (RC 0x07), disable and watch the I bit go off.
#
# In:  GR9 = APQN.
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR8 = TAPQs until the I bit came on (AQIC takes effect later).
	.text
	.globl	_start
_start:
	lghi	%r11,1			# step 1: AQIC enable, ISC 6, NIB
	llilf	%r0,0x03000000		# FC 3 = AQIC
	ogr	%r0,%r9
	llihf	%r1,0x00008000	# GR1 bit 16: enable interruptions
	oill	%r1,6			# GR1 bits 61-63: ISC 6
	larl	%r2,nib			# GR2: notification indicator byte
	.insn	rre,0xb2af0000,0,0	# PQAP(AQIC)
	jnz	fail
	lghi	%r11,2			# step 2: TAPQ until I is on
	lghi	%r8,0
poll1:	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ)
	jnz	fail
	aghi	%r8,1
	srlg	%r3,%r1,16		# status bits 32-47 into bits 48-63
	tmll	%r3,0x0100		# I bit (GR1 bit 39)
	jz	poll1
	lghi	%r11,3			# step 3: enable again -> RC 0x07
	llilf	%r0,0x03000000
	ogr	%r0,%r9
	llihf	%r1,0x00008000
	oill	%r1,6
	larl	%r2,nib
	.insn	rre,0xb2af0000,0,0
	jz	fail			# must not be cc 0
	srlg	%r3,%r1,16		# response code: GR1 bits 40-47
	nill	%r3,0xff
	chi	%r3,0x07
	jne	fail
	lghi	%r11,4			# step 4: disable, TAPQ until I is off
	llilf	%r0,0x03000000
	ogr	%r0,%r9
	lghi	%r1,0			# GR1 bit 16 off: disable
	.insn	rre,0xb2af0000,0,0
	jnz	fail
poll2:	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0
	jnz	fail
	srlg	%r3,%r1,16
	tmll	%r3,0x0100
	jnz	poll2
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500

	.data
nib:	.byte	0
