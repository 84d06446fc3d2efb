/* SPDX-License-Identifier: MIT */
# qfull.S - NQAP requests until the queue is full.
#
# In:  GR9 = APQN.
# Out: exit 0 when the last NQAP answered RC 0x10 with the F bit, else 1;
#      GR8 = requests accepted (the queue depth).
	.text
	.globl	_start
_start:
	lghi	%r8,0			# requests accepted
loop:	llilf	%r0,0x40000000		# GR0 bit 33: last part
	ogr	%r0,%r9
	llilf	%r4,0x46554c4c		# PSMID "FULL" n
	lgr	%r5,%r8
	larl	%r6,request
	lghi	%r7,request_len
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	jnz	full
	aghi	%r8,1
	chi	%r8,64			# no queue is that deep: give up
	jl	loop
	j	fail
full:	srlg	%r3,%r1,16		# response code: GR1 bits 40-47
	nill	%r3,0xff
	chi	%r3,0x10		# RC 0x10: queue full
	jne	fail
	srlg	%r3,%r1,16		# status bits 32-47 into bits 48-63
	tmll	%r3,0x2000		# F bit (GR1 bit 34)
	jz	fail
	lghi	%r2,0
	diag	0,0,0x500		# exit 0
fail:	lghi	%r2,1
	diag	0,0,0x500		# exit 1

	.data
	.balign	8
request:				# type 50 (RSA ME, 1024-bit), length 0x118
	.byte	0x00,0x50,0x01,0x18,0,0,0,0,0,0x01
	.fill	0x118-10,1,0
	.set	request_len,.-request
