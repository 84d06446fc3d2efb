/* SPDX-License-Identifier: MIT */
# zapq.S - NQAP a request, ZAPQ the queue before the reply comes, and show
# that the request is gone: after the reset TAPQ reports E (empty) and DQAP
# answers RC 0x10 with E on.
#
# In:  GR9 = APQN.
# Out: exit 0 when every step gave the architected result, else exit N,
#      the number of the failing step (kept in GR11).
	.text
	.globl	_start
_start:
	lghi	%r11,1			# step 1: NQAP one request
	llilf	%r0,0x40000000		# NQAP GR0 bit 33: last part
	ogr	%r0,%r9
	llilf	%r4,0x5a415051		# PSMID "ZAPQ" 00000001
	lghi	%r5,1
	larl	%r6,request
	lghi	%r7,request_len
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	jnz	fail
	lghi	%r11,2			# step 2: ZAPQ
	llilf	%r0,0x02000000		# FC 2 = ZAPQ
	ogr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(ZAPQ)
	jnz	fail
	lghi	%r11,3			# step 3: TAPQ until the reset completes
poll:	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ)
	jnz	poll			# RC 0x02 while resetting
	srlg	%r3,%r1,16		# status bits 32-47 into bits 48-63
	tmll	%r3,0x8000		# E bit (GR1 bit 32): queue empty
	jz	fail
	lghi	%r11,4			# step 4: DQAP finds no reply
	lgr	%r0,%r9
	lghi	%r2,0			# GR2 = 0: start with a new reply
	larl	%r6,reply
	lghi	%r7,reply_len
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	jz	fail			# cc 0 would mean a reply came back
	clgfi	%r1,0x80100000		# E on, RC 0x10 (no pending reply)
	jne	fail
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500		# exit with the step number (0 = all good)

	.data
	.balign	8
request:				# type 50 (RSA ME, 1024-bit), length 0x118
	.byte	0x00,0x50,0x01,0x18,0,0,0,0,0,0x01
	.fill	0x118-10,1,0
	.set	request_len,.-request
	.balign	8
reply:	.fill	256,1,0xee
	.set	reply_len,.-reply
