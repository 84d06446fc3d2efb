/* SPDX-License-Identifier: MIT */
# nq_parts.S - NQAP beyond one simple request: a message in two parts
# (L bit 0: cc 1, then L bit 1: cc 0) that the engine answers as a whole;
# a part with another PSMID abandoning a partial message; a 12 KiB message
# moved 4096 bytes per execution (cc 2, registers advanced, re-executed
# until cc 0); 12 KiB + 1 bytes, whole or in parts (RC 0x15); NQAP in
# 31-bit mode (only the low words of R2 and R2+1 count and change); the
# special-command bit (GR0 bit 41); an APQN whose domain is configured but
# beyond the adapter's domains (TAPQ 0x01, NQAP/DQAP 0x11).
#
# The request is a real type 50 MEB1 (1024-bit ME) request: 65536^3 mod
# 0xFFFFFFFB = 0x50000, so the type 80 reply proves the engine got the
# parts in order.
#
# In:  GR9  = APQN of an empty queue on a CEX8 accelerator (12 KiB);
#      GR10 = the response code expected for the special-command NQAP
#             (0 when machine and adapter have APSC, else 0x16);
#      GR12 = an APQN whose domain is beyond its adapter's domains, or 0
#             to skip that step.
# Out: exit 0 when every step gave the architected result, else the step
#      number; GR8 = executions the 12 KiB NQAP took.

	.macro	nqap
	.insn	rre,0xb2ad0000,%r4,%r6
	.endm

	.macro	want_cc cc		# any cc but `cc` fails
	brc	15-(8>>\cc),fail
	.endm

	.macro	want_gr r, label, off	# GR r == address of label + off
	larl	%r3,\label+\off
	clgr	\r,%r3
	jne	fail
	.endm

	.macro	psmid n			# PSMID "PART" 0000000n
	llilf	%r4,0x50415254
	lghi	%r5,\n
	.endm

	.text
	.globl	_start
_start:
	lghi	%r11,1			# part 1: 100 bytes, L = 0 -> cc 1
	lgr	%r0,%r9
	psmid	1
	larl	%r6,rsa
	lghi	%r7,100
	lghi	%r1,-1			# GR1 must stay untouched
	nqap
	want_cc	1
	cghi	%r1,-1
	jne	fail
	want_gr	%r6, rsa, 100		# R2 advanced, R2+1 down to 0
	cghi	%r7,0
	jne	fail
	lghi	%r11,2			# TAPQ: the partial message counts (not E)
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0
	want_cc	0
	cghi	%r1,0
	jne	fail
	lghi	%r11,3			# part 2: the other 300 bytes, L = 1 -> cc 0
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	lghi	%r7,300			# R2 already points at byte 100
	nqap
	want_cc	0
	cghi	%r1,0			# status: one request in process
	jne	fail
	want_gr	%r6, rsa, 400
	lghi	%r11,4			# the reply: type 80, result 0x50000
	bras	%r14,dq
	cghi	%r5,1
	jne	fail
	cghi	%r7,256-0x90		# 0x90 bytes: 16 + 128
	jne	fail
	larl	%r3,want80
	larl	%r6,reply		# (R2 is past the reply)
	clc	0(16,%r6),0(%r3)
	jne	fail
	clc	0x8c(4,%r6),16(%r3)	# last 4 bytes of the 128-byte result
	jne	fail

	lghi	%r11,5			# PSMID 2: a first part, L = 0
	lgr	%r0,%r9
	psmid	2
	larl	%r6,rsa
	lghi	%r7,100
	nqap
	want_cc	1
	lghi	%r11,6			# PSMID 3, whole: abandons PSMID 2's part
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	psmid	3
	larl	%r6,rsa
	lghi	%r7,400
	nqap
	want_cc	0
	cghi	%r1,0			# one message (not two) on the queue
	jne	fail
	lghi	%r11,7			# its reply, and nothing after it
	bras	%r14,dq
	cghi	%r5,3
	jne	fail
	lgr	%r0,%r9
	lghi	%r2,0
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	want_cc	3
	clgfi	%r1,0x80100000		# E, RC 0x10
	jne	fail

	lghi	%r11,8			# 12 KiB, L = 1: 4096 bytes, cc 2
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	psmid	4
	larl	%r6,big
	lghi	%r7,12288
	lghi	%r1,-1
	lghi	%r8,1
	nqap
	want_cc	2
	cghi	%r1,-1			# GR1 untouched
	jne	fail
	want_gr	%r6, big, 4096
	cghi	%r7,8192
	jne	fail
	lghi	%r11,9			# re-execute while cc 2
more:	aghi	%r8,1
	nqap
	brc	2,more
	want_cc	0
	cghi	%r8,3
	jne	fail
	want_gr	%r6, big, 12288
	cghi	%r7,0
	jne	fail
	lghi	%r11,10			# answered: type 82, 0x80 (not a MEB1 length)
	bras	%r14,dq
	cghi	%r5,4
	jne	fail
	larl	%r3,want82
	larl	%r6,reply
	clc	0(8,%r6),0(%r3)
	jne	fail

	lghi	%r11,11			# 12 KiB + 1: RC 0x15, nothing moved
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	psmid	5
	larl	%r6,big
	lghi	%r7,12289
	nqap
	want_cc	3
	clgfi	%r1,0x80150000
	jne	fail
	want_gr	%r6, big, 0
	cghi	%r7,12289
	jne	fail
	lghi	%r11,12			# 8 KiB, L = 0: cc 2, then cc 1
	lgr	%r0,%r9
	lghi	%r7,8192
	nqap
	want_cc	2
	nqap
	want_cc	1
	want_gr	%r6, big, 8192
	lghi	%r11,13			# + 4097 bytes, L = 1: over 12 KiB, 0x15
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	lghi	%r7,4097
	nqap
	want_cc	3
	clgfi	%r1,0x80150000		# E: the partial message is gone too
	jne	fail
	want_gr	%r6, big, 8192
	cghi	%r7,4097
	jne	fail

	lghi	%r11,14			# 31-bit mode
	larl	%r1,psw31
	lpswe	0(%r1)
amode31:
	llilf	%r0,0x40000000
	ogr	%r0,%r9
	psmid	6
	larl	%r6,rsa			# bits 32-63 only in 31-bit mode
	iihf	%r6,0xa5a5a5a5		# bits 0-31: ignored by NQAP
	lghi	%r7,400
	iihf	%r7,0xa5a5a5a5
	nqap
	want_cc	0
	larl	%r1,psw64
	lpswe	0(%r1)
amode64:
	larl	%r3,rsa+400		# low word advanced, high word kept
	iihf	%r3,0xa5a5a5a5
	clgr	%r6,%r3
	jne	fail
	llihf	%r3,0xa5a5a5a5		# length: low word 0, high word kept
	clgr	%r7,%r3
	jne	fail
	lghi	%r11,15			# the 31-bit request was answered
	bras	%r14,dq
	cghi	%r5,6
	jne	fail
	larl	%r3,want80
	larl	%r6,reply
	clc	0x8c(4,%r6),16(%r3)
	jne	fail

	lghi	%r11,16			# special-command bit (GR0 bit 41)
	llilf	%r0,0x40400000
	ogr	%r0,%r9
	psmid	7
	larl	%r6,rsa
	lghi	%r7,400
	nqap
	sllg	%r3,%r1,40		# response code
	srlg	%r3,%r3,56
	cgr	%r3,%r10
	jne	fail
	ltgr	%r10,%r10
	jnz	nodrain
	lghi	%r11,17			# accepted: its reply comes back
	bras	%r14,dq
	cghi	%r5,7
	jne	fail
nodrain:
	ltgr	%r12,%r12
	jz	tail
	lghi	%r11,18			# TAPQ on the APQN beyond the domains: 0x01
	lgr	%r0,%r12
	.insn	rre,0xb2af0000,0,0
	want_cc	3
	clgfi	%r1,0x00010000		# no flags: there is no queue
	jne	fail
	lghi	%r11,19			# NQAP there: 0x11
	llilf	%r0,0x40000000
	ogr	%r0,%r12
	larl	%r6,rsa
	lghi	%r7,400
	nqap
	want_cc	3
	clgfi	%r1,0x00110000
	jne	fail
	lghi	%r11,20			# DQAP there: 0x11
	lgr	%r0,%r12
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,256
	.insn	rre,0xb2ae0000,%r4,%r6
	want_cc	3
	clgfi	%r1,0x00110000
	jne	fail
tail:	lghi	%r11,21			# the queue is empty at the end
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0
	want_cc	0
	clgfi	%r1,0x80000000
	jne	fail
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500

# dq: DQAP from GR9 into `reply` (256 bytes) until a reply is there.
# Returns (BR 14) with cc 0 and the PSMID in GR4/GR5; anything but RC 0x10
# while polling goes to fail.
dq:	lgr	%r0,%r9
	lghi	%r2,0
	lghi	%r4,0
	lghi	%r5,0
	larl	%r6,reply
	lghi	%r7,256
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	jz	1f
	sllg	%r3,%r1,40
	srlg	%r3,%r3,56
	cghi	%r3,0x10		# not yet
	je	dq
	j	fail
1:	clgfi	%r4,0x50415254		# "PART"
	jne	fail
	br	%r14

	.data
	.balign	8
psw31:	.quad	0x0000000080000000, amode31	# 31-bit (BA only)
psw64:	.quad	0x0000000180000000, amode64
rsa:					# type 50 MEB1, length 0x190
	.byte	0x00,0x50,0x01,0x90,0,0,0,0
	.byte	0x00,0x01,0,0,0,0,0,0	# keyblock type 0x0001
	.fill	127,1,0			# exponent 3
	.byte	0x03
	.fill	124,1,0			# modulus 0xFFFFFFFB (odd)
	.byte	0xff,0xff,0xff,0xfb
	.fill	125,1,0			# message 0x10000
	.byte	0x01,0x00,0x00
want80:	.byte	0x00,0x80,0x00,0x90,0,0,0,0,0,0,0,0,0,0,0,0
	.byte	0x00,0x05,0x00,0x00	# the result's last 4 bytes
want82:	.byte	0x00,0x82,0x00,0x00,0x80,0,0,0
	.balign	256
reply:	.fill	256,1,0xee
big:					# type 50, length 0x3000, MEB1 block type
	.byte	0x00,0x50,0x30,0x00,0,0,0,0
	.byte	0x00,0x01,0,0,0,0,0,0
	.fill	12289-16,1,0
