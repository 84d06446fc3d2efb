/* SPDX-License-Identifier: MIT */
# nqdq.S - a request round trip: NQAP a type 50 request, DQAP until the
# reply is there, check its PSMID and that it is a type 82 reply.
#
# In:  GR9 = APQN.
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR8 = DQAPs that answered RC 0x10 (reply not ready yet);
#      the reply is at label `reply` (its address in GR10).
	.text
	.globl	_start
_start:
	lghi	%r11,1			# step 1: NQAP
	llilf	%r0,0x40000000		# GR0 bit 33: last part
	ogr	%r0,%r9
	llilf	%r4,0x12345678		# PSMID 12345678 00000001
	lghi	%r5,1
	larl	%r6,request
	lghi	%r7,request_len
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	jnz	fail
	lghi	%r11,2			# step 2: DQAP until the reply is ready
	lghi	%r8,0
poll:	lgr	%r0,%r9
	lghi	%r2,0			# GR2 = 0: start with a new reply
	lghi	%r4,0
	lghi	%r5,0
	larl	%r6,reply
	lghi	%r7,reply_len
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	jz	got
	srlg	%r3,%r1,16		# response code: GR1 bits 40-47
	nill	%r3,0xff
	chi	%r3,0x10		# RC 0x10: no reply yet
	jne	fail
	aghi	%r8,1
	j	poll
got:	lghi	%r11,3			# step 3: the PSMID came back in GR4/GR5
	clgfi	%r4,0x12345678
	jne	fail
	chi	%r5,1
	jne	fail
	lghi	%r11,4			# step 4: reply type 0x82 (error reply)
	larl	%r10,reply
	cli	1(%r10),0x82
	jne	fail
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500

	.data
	.balign	8
request:				# type 50 (RSA ME, 1024-bit), length 0x118
	.byte	0x00,0x50,0x01,0x18,0,0,0,0,0,0x01
	.fill	0x118-10,1,0
	.set	request_len,.-request
	.balign	8
reply:	.fill	256,1,0xee
	.set	reply_len,.-reply
