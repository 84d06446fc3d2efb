/* SPDX-License-Identifier: MIT */
# dq_parts.S - DQAP beyond one simple reply: no request (RC 0x10 with E),
# a continuation (GR2 != 0) with no transfer in progress (RC 0x13, with
# and without a reply waiting), a reply larger than the buffer (cc 1,
# status not stored, continued with the residual in GR2), a transfer
# restarted with GR2 = 0, DQAP in 31-bit mode, and a 4372-byte CCA "RL"
# reply (4096 random bytes) taken through an 8 KiB buffer (cc 2 at the
# CPU-determined 4096 bytes, then cc 0) and through 1000-byte buffers
# (cc 1 four times, then cc 0).
#
# In:  GR9  = APQN of an empty accelerator queue (8-byte error replies);
#      GR10 = APQN of an empty CCA coprocessor queue (answers "RL").
# Out: exit 0 when every step gave the architected result, else the step
#      number; the first RL reply at 0x40000 (8 KiB buffer), the second at
#      0x50000; GR8 = DQAPs that took the second one.

	.macro	dqap
	.insn	rre,0xb2ae0000,%r4,%r6
	.endm

	.macro	want_cc cc		# any cc but `cc` fails
	brc	15-(8>>\cc),fail
	.endm

	.macro	want_gr r, label, off	# GR r == address of label + off
	larl	%r3,\label+\off
	clgr	\r,%r3
	jne	fail
	.endm

	.text
	.globl	_start
_start:
	lghi	%r11,1			# no request at all: RC 0x10, E
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,16
	dqap
	want_cc	3
	clgfi	%r1,0x80100000
	jne	fail
	lghi	%r11,2			# GR2 != 0, nothing in transfer: 0x13
	lgr	%r0,%r9
	lghi	%r2,5
	dqap
	want_cc	3
	clgfi	%r1,0x80130000
	jne	fail
	cghi	%r2,5			# GR2 unchanged
	jne	fail

	lghi	%r11,3			# an 8-byte reply waits
	lghi	%r5,1
	bras	%r14,nq8
	lghi	%r11,4			# GR2 != 0 still needs a transfer: 0x13
	lgr	%r0,%r9
	lghi	%r2,8
	larl	%r6,reply
	lghi	%r7,16
	dqap
	want_cc	3
	clgfi	%r1,0x40130000		# R, RC 0x13
	jne	fail
	lghi	%r11,5			# a 4-byte buffer: cc 1, 4 bytes left
	lgr	%r0,%r9
	lghi	%r2,0
	lghi	%r4,0
	iihf	%r4,0xc3c3c3c3		# high words of R1, R1+1: kept
	lgr	%r5,%r4
	larl	%r6,reply
	lghi	%r7,4
	lghi	%r1,-1			# the status is not stored
	dqap
	want_cc	1
	cghi	%r1,-1
	jne	fail
	cghi	%r2,4			# residual
	jne	fail
	want_gr	%r6, reply, 4
	cghi	%r7,0
	jne	fail
	llihf	%r3,0xc3c3c3c3		# PSMID "DQPT" 00000001 in the low words
	oilf	%r3,0x44515054
	clgr	%r4,%r3
	jne	fail
	llihf	%r3,0xc3c3c3c3
	oilf	%r3,1
	clgr	%r5,%r3
	jne	fail
	lghi	%r11,6			# TAPQ: the reply is still on the queue
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0
	want_cc	0
	clgfi	%r1,0x40000000
	jne	fail
	lghi	%r11,7			# continue with GR2 = 4: the other 4 bytes
	lgr	%r0,%r9
	lghi	%r2,4
	lghi	%r7,4			# R2 already points at reply + 4
	dqap
	want_cc	0
	clgfi	%r1,0x80000000		# status stored: RC 0, now empty
	jne	fail
	cghi	%r2,0
	jne	fail
	want_gr	%r6, reply, 8
	larl	%r6,reply
	larl	%r3,want82
	clc	0(8,%r6),0(%r3)
	jne	fail

	lghi	%r11,8			# restart: 4 bytes (cc 1), then GR2 = 0
	lghi	%r5,2
	bras	%r14,nq8
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply2
	lghi	%r7,4
	dqap
	want_cc	1
	lghi	%r11,9			# GR2 = 0 starts the same reply again
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply2
	lghi	%r7,16
	dqap
	want_cc	0
	cghi	%r7,8			# all 8 bytes from the first one
	jne	fail
	cghi	%r5,2
	jne	fail
	larl	%r6,reply2
	larl	%r3,want82
	clc	0(8,%r6),0(%r3)
	jne	fail

	lghi	%r11,10			# 31-bit mode: low words only
	lghi	%r5,3
	bras	%r14,nq8
	larl	%r1,psw31
	lpswe	0(%r1)
amode31:
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply3
	iihf	%r6,0x5a5a5a5a
	lghi	%r7,16
	iihf	%r7,0x5a5a5a5a
	dqap
	want_cc	0
	larl	%r1,psw64
	lpswe	0(%r1)
amode64:
	larl	%r3,reply3+8		# low word advanced, high word kept
	iihf	%r3,0x5a5a5a5a
	clgr	%r6,%r3
	jne	fail
	llihf	%r3,0x5a5a5a5a		# 16 - 8 in the low word
	oilf	%r3,8
	clgr	%r7,%r3
	jne	fail
	larl	%r6,reply3
	larl	%r3,want82
	clc	0(8,%r6),0(%r3)
	jne	fail

	lghi	%r11,11			# CCA "RL" for 4096 bytes
	llilf	%r0,0x40000000
	ogr	%r0,%r10
	llilf	%r4,0x44515054		# PSMID "DQPT" 00000004
	lghi	%r5,4
	larl	%r6,rl
	lghi	%r7,rl_len
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	want_cc	0
	lghi	%r11,12			# 8 KiB buffer: cc 2 after 4096 bytes
rl1:	lgr	%r0,%r10
	lghi	%r2,0
	llilf	%r6,0x40000
	lghi	%r7,8192
	dqap
	brc	2,rl1got
	want_cc	3
	sllg	%r3,%r1,40
	srlg	%r3,%r3,56
	cghi	%r3,0x10		# not ready yet
	je	rl1
	j	fail
rl1got:	cghi	%r2,0x114+4096-4096	# 276 bytes left
	jne	fail
	clgfi	%r6,0x41000
	jne	fail
	cghi	%r7,4096
	jne	fail
	cghi	%r5,4
	jne	fail
	lghi	%r11,13			# re-execute: the rest, cc 0
	dqap
	want_cc	0
	clgfi	%r1,0x80000000
	jne	fail
	cghi	%r2,0
	jne	fail
	clgfi	%r6,0x40000+0x114+4096
	jne	fail
	cghi	%r7,8192-(0x114+4096)
	jne	fail
	lghi	%r11,14			# a type 86 reply with 4096 data bytes
	llilf	%r6,0x40000
	larl	%r3,want86
	clc	0(4,%r6),0(%r3)		# 00 86 02 00
	jne	fail
	clc	0x18(8,%r6),4(%r3)	# count2 0x1000, offset2 0x114
	jne	fail
	clc	0xc0(4,%r6),12(%r3)	# CCA rc 0, rs 0
	jne	fail

	lghi	%r11,15			# "RL" again, 1000-byte buffers
	llilf	%r0,0x40000000
	ogr	%r0,%r10
	llilf	%r4,0x44515054
	lghi	%r5,5
	larl	%r6,rl
	lghi	%r7,rl_len
	.insn	rre,0xb2ad0000,%r4,%r6
	want_cc	0
	lghi	%r8,1
rl2:	lgr	%r0,%r10
	lghi	%r2,0
	llilf	%r6,0x50000
	lghi	%r7,1000
	dqap
	brc	4,rl2got		# cc 1: the buffer is full
	want_cc	3
	sllg	%r3,%r1,40
	srlg	%r3,%r3,56
	cghi	%r3,0x10
	je	rl2
	j	fail
rl2got:	lghi	%r11,16			# next 1000 bytes, GR2 = the residual
	aghi	%r8,1
	lghi	%r7,1000		# R2 goes on where the last one stopped
	dqap
	brc	4,rl2got
	want_cc	0
	cghi	%r8,5			# 1000 x 4 + 372
	jne	fail
	cghi	%r7,1000-372
	jne	fail
	clgfi	%r6,0x50000+0x114+4096
	jne	fail
	cghi	%r5,5
	jne	fail
	lghi	%r11,17			# same header as the first reply ...
	llilf	%r3,0x40000
	llilf	%r6,0x50000
	clc	0(256,%r6),0(%r3)
	jne	fail
	clc	256(0x114-256,%r6),256(%r3)
	jne	fail
	clc	0x114(16,%r6),0x114(%r3)	# ... other random bytes
	je	fail
	lghi	%r11,18			# both queues empty
	lgr	%r0,%r10
	.insn	rre,0xb2af0000,0,0
	want_cc	0
	clgfi	%r1,0x80000000
	jne	fail
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500

# nq8: NQAP the 8-byte request to GR9 with PSMID "DQPT" and GR5, then TAPQ
# until its reply waits (R).  Returns with BR 14; errors go to fail.
nq8:	llilf	%r0,0x40000000
	ogr	%r0,%r9
	llilf	%r4,0x44515054		# "DQPT"
	larl	%r6,req8
	lghi	%r7,8
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	want_cc	0
1:	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# TAPQ
	want_cc	0
	srlg	%r3,%r1,16
	tmll	%r3,0x4000		# R: GR1 bit 33
	jz	1b
	br	%r14

	.data
	.balign	8
psw31:	.quad	0x0000000080000000, amode31	# 31-bit (BA only)
psw64:	.quad	0x0000000180000000, amode64
req8:					# type 50, 8 bytes: too short for the
	.byte	0x00,0x50,0x00,0x08,0,0,0,0	# engine -> type 82, 0x23
want82:	.byte	0x00,0x82,0x00,0x00,0x23,0,0,0
want86:	.byte	0x00,0x86,0x02,0x00	# type 86 reply
	.long	0x1000, 0x114		# count2, offset2 = 0x30 + count1
	.long	0			# CCA return and reason code
reply:	.fill	16,1,0xee
reply2:	.fill	16,1,0xee
reply3:	.fill	16,1,0xee

# CCA Random_Number_Generate_Long as the Linux hwrng path sends it
# (docs/engines.md): type 6 header, CPRBX, parameter block "RL" RANDOM.
	.balign	8
rl:	.byte	0x00,0x06,0,0,0,0,0,0,0,0,0,0,0,0,0,0	# type 6
	.long	0x58,0,0,0		# offset1 = the CPRBX; offsets 2-4
	.ascii	"CA"			# 0x20 agent id
	.fill	14,1,0
	.byte	0,0,0,0			# 0x30 rqid, reserved
	.ascii	"RL"			# 0x34 function code
	.byte	0,0
	.long	0xdc+16,0,0,0		# 0x38 ToCardLen1-4: CPRBX + parameters
	.long	0xec,0x1000,0,0		# 0x48 FromCardLen1-4
	.short	0xdc			# 0x58 CPRBX: cprb_len
	.byte	0x02,0,0,0		# cprb_ver_id
	.ascii	"T2"			# func_id
	.long	0			# +0x08
	.long	16			# +0x0C req_parml
	.long	0			# +0x10 req_datal
	.long	0xec			# +0x14 rpl_msgbl
	.long	0			# +0x18 rpld_parml
	.long	0x1000			# +0x1C rpl_datal: 4096 random bytes
	.fill	0xaa-0x20,1,0
	.short	7			# +0xAA domain (echoed)
	.fill	0xdc-0xac,1,0
	.ascii	"RL"			# 0x134 parameters: subfunction
	.short	10			# rule array: one keyword
	.ascii	"RANDOM  "
	.short	2,2			# empty VUD, empty key block
	.set	rl_len,.-rl
	.if	rl_len-0x144
	.error	"the RL request must be 0x144 bytes"
	.endif
