/* SPDX-License-Identifier: MIT */
# aqic_err.S - PQAP(AQIC) response codes and the delayed I bit: disable
# when disabled (0x07), enable with a NIB of 0, all ones or outside storage
# (0x06), enable (RC 0, I still off), enable while enabling (0x07), the I
# bit after the delay, enable while enabled (0x07), disable (I still on),
# disable while disabling (0x07), the I bit going off.  Every AQIC and
# TAPQ result is checked as the whole status word (GR1 bits 0-31 zero).
# Pauses once (DIAG 0x44) with interruptions enabled so the scenario can
# look at the queue's ISC and NIB.
#
# In:  GR9 = APQN of an empty queue; storage of 16 MiB.
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR8 = TAPQs until the I bit came on, GR10 = TAPQs until it
#      went off.

	.macro	pqap
	.insn	rre,0xb2af0000,0,0
	.endm

	.macro	aqic enable, nib	# AQIC, ISC 5; NIB address from `nib`
	llilf	%r0,0x03000000		# FC 3 = AQIC
	ogr	%r0,%r9
	lghi	%r1,5			# GR1 bits 61-63: ISC 5
	.if	\enable
	iihf	%r1,0x00008000		# GR1 bits 0-31: bit 16 = enable
	.endif
	\nib
	pqap
	.endm

	.macro	want sw, cc		# status word and cc
	brc	15-(8>>\cc),fail	# any cc but `cc` fails
	clgfi	%r1,\sw
	jne	fail
	.endm

	.text
	.globl	_start
_start:
	lghi	%r11,1			# disable while disabled: 0x07
	aqic	0, "lghi %r2,0"
	want	0x80070000, 3
	lghi	%r11,2			# enable, NIB 0: 0x06
	aqic	1, "lghi %r2,0"
	want	0x80060000, 3
	lghi	%r11,3			# enable, NIB all ones: 0x06
	aqic	1, "lghi %r2,-1"
	want	0x80060000, 3
	lghi	%r11,4			# enable, NIB just past 16 MiB: 0x06
	aqic	1, "llilf %r2,0x01000000"
	want	0x80060000, 3
	lghi	%r11,5			# enable, NIB 0x3001 (any alignment): RC 0
	aqic	1, "lghi %r2,0x3001"
	want	0x80000000, 0		# I not on yet
	lghi	%r11,6			# TAPQ at once: I still off
	lgr	%r0,%r9
	pqap
	want	0x80000000, 0
	lghi	%r11,7			# enable while enabling: 0x07
	aqic	1, "lghi %r2,0x3001"
	want	0x80070000, 3
	lghi	%r11,8			# TAPQ until I comes on
	lghi	%r8,0
on:	aghi	%r8,1
	lgr	%r0,%r9
	pqap
	jnz	fail
	clgfi	%r1,0x80000000		# E, I off: poll again
	je	on
	clgfi	%r1,0x81000000		# E, I
	jne	fail
	diag	0,0,0x44		# pause: the scenario looks at ISC and NIB
	lghi	%r11,9			# enable while enabled: 0x07
	aqic	1, "lghi %r2,0x3001"
	want	0x81070000, 3
	lghi	%r11,10			# disable: RC 0, I still on
	aqic	0, "lghi %r2,0"
	want	0x81000000, 0
	lghi	%r11,11			# disable while disabling: 0x07
	aqic	0, "lghi %r2,0"
	want	0x81070000, 3
	lghi	%r11,12			# TAPQ until I goes off
	lghi	%r10,0
off:	aghi	%r10,1
	lgr	%r0,%r9
	pqap
	jnz	fail
	clgfi	%r1,0x81000000		# E, I still on: poll again
	je	off
	clgfi	%r1,0x80000000		# E
	jne	fail
	lghi	%r11,13			# disable when disabled again: 0x07
	aqic	0, "lghi %r2,0"
	want	0x80070000, 3
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500
