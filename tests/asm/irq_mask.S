/* SPDX-License-Identifier: MIT */
# irq_mask.S - when adapter interruptions are taken: two queues with AQIC
# on ISC 5 (03.0006, NIB 0x3000) and ISC 3 (03.0007, NIB 0x3001).
#
#   round 1  both replies arrive with the PSW I/O bit off: the NIBs become
#            1 and both ISCs stay pending; I/O on with CR6 = 0 takes
#            nothing; CR6 = ISC 5 takes ISC 5 right after the LCTLG, then
#            CR6 = ISC 3 + 5 takes ISC 3.
#   round 2  both pending again, CR6 enables both, I/O off: turning I/O on
#            takes ISC 3 before ISC 5 (the lowest ISC first) although
#            ISC 5's reply came first.
#   round 3  a reply while the NIB is still 1 raises no interruption.
#   round 4  NIB reset to 0, an enabled wait: the reply wakes the vCPU.
#
# The I/O handler logs the interruption word (0xC0) and the address of the
# I/O old PSW (low word of 0x178) as 8 bytes at GR12 (from 0x3100), turns
# the wait bit of the old PSW off and loads it.  GR12 and GR13 belong to
# the handler.  Pauses once (DIAG 0x44) after round 1's replies arrived.
#
# In:  the default machine (03.0006 and 03.0007 on the CEX8 accelerator).
# Out: exit 0 when every step gave the expected result, else the step
#      number; the log at 0x3100, GR12 = its end.

	.macro	pqap
	.insn	rre,0xb2af0000,0,0
	.endm

	.macro	aqic apqn, isc, nib	# enable, or fail
	llilf	%r0,0x03000000|\apqn
	lghi	%r1,\isc
	iihf	%r1,0x00008000		# GR1 bit 16: enable
	lghi	%r2,\nib
	pqap
	jnz	fail
	.endm

	.macro	nq apqn			# NQAP the 8-byte request, or fail
	llilf	%r0,0x40000000|\apqn
	llilf	%r4,0x49524d4b		# PSMID "IRMK" apqn
	lghi	%r5,\apqn
	larl	%r6,req8
	lghi	%r7,8
	.insn	rre,0xb2ad0000,%r4,%r6
	jnz	fail
	.endm

	.macro	dq apqn			# DQAP one reply (cc 0), or fail
	lghi	%r0,\apqn
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,16
	.insn	rre,0xb2ae0000,%r4,%r6
	jnz	fail
	.endm

	.macro	want_log n		# GR12 = 0x3100 + 8 n: n interruptions
	cghi	%r12,0x3100+8*\n
	jne	fail
	.endm

	.text
	.globl	_start
_start:
	larl	%r1,io_new_psw		# I/O new PSW (0x1F0) -> io_handler
	mvc	0x1f0(16,%r0),0(%r1)
	lghi	%r12,0x3100		# the handler's log
	lghi	%r11,1			# AQIC: ISC 5 and ISC 3
	aqic	0x0306, 5, 0x3000
	aqic	0x0307, 3, 0x3001
	lghi	%r11,2			# TAPQ until both I bits are on
1:	lghi	%r0,0x0307
	pqap
	jnz	fail
	clgfi	%r1,0x81000000		# E, I
	jne	1b
	lghi	%r0,0x0306
	pqap
	clgfi	%r1,0x81000000
	jne	fail

	# --- round 1 ---
	lghi	%r11,3			# both replies, I/O off
	nq	0x0306
	nq	0x0307
	bras	%r14,wait_r
	lghi	%r11,4			# both NIBs set, nothing taken
	lghi	%r1,0x3000
	larl	%r3,ones
	clc	0(2,%r1),0(%r3)
	jne	fail
	want_log 0
	diag	0,0,0x44		# pause: both ISCs pending
	lghi	%r11,5			# I/O on, CR6 = 0: nothing
	larl	%r1,smask
	stosm	0(%r1),0x02		# PSW bit 6: I/O
	want_log 0
	lghi	%r11,6			# CR6 = ISC 5: ISC 5 right after LCTLG
	larl	%r1,cr6_5
	lctlg	%c6,%c6,0(%r1)
after1:	want_log 1
	lghi	%r1,0x3100
	larl	%r3,after1
	bras	%r14,check_entry
	.long	0xa8000000		# 0x80000000 | 5 << 27
	lghi	%r11,7			# CR6 = ISC 3 + 5: ISC 3
	larl	%r1,cr6_35
	lctlg	%c6,%c6,0(%r1)
after2:	want_log 2
	lghi	%r1,0x3108
	larl	%r3,after2
	bras	%r14,check_entry
	.long	0x98000000		# 0x80000000 | 3 << 27
	lghi	%r11,8			# take both replies; I/O off; NIBs to 0
	dq	0x0306
	dq	0x0307
	larl	%r1,smask
	stnsm	0(%r1),0xfd		# PSW bit 6 off
	lghi	%r1,0x3000
	xc	0(2,%r1),0(%r1)

	# --- round 2 ---
	lghi	%r11,9			# both pending again, both enabled in CR6
	nq	0x0306
	nq	0x0307
	bras	%r14,wait_r
	want_log 2
	lghi	%r11,10			# I/O on: ISC 3 first, then ISC 5
	larl	%r1,smask
	stosm	0(%r1),0x02
after3:	want_log 4
	lghi	%r1,0x3110
	larl	%r3,after3
	bras	%r14,check_entry
	.long	0x98000000
	lghi	%r1,0x3118
	larl	%r3,after3		# the second one interrupted the same place
	bras	%r14,check_entry
	.long	0xa8000000
	lghi	%r11,11			# take both; reset only ISC 3's NIB
	dq	0x0306
	dq	0x0307
	lghi	%r1,0x3001
	mvi	0(%r1),0

	# --- round 3 ---
	lghi	%r11,12			# NIB 0x3000 is still 1: no interruption
	nq	0x0306
2:	lghi	%r0,0x0306
	pqap
	jnz	fail
	clgfi	%r1,0x41000000		# R, I
	jne	2b
	want_log 4
	dq	0x0306

	# --- round 4 ---
	lghi	%r11,13			# NIB to 0, NQAP, enabled wait
	lghi	%r1,0x3000
	mvi	0(%r1),0
	nq	0x0306
	larl	%r1,wait_psw
	lpswe	0(%r1)
woke:	want_log 5
	lghi	%r1,0x3120
	larl	%r3,woke
	bras	%r14,check_entry
	.long	0xa8000000
	lghi	%r11,14
	dq	0x0306
	lghi	%r1,0x3000		# the machine set the NIB again
	cli	0(%r1),1
	jne	fail
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500

# wait_r: TAPQ 03.0007 until its reply waits (it was enqueued last).
wait_r:	lghi	%r0,0x0307
	pqap
	jnz	fail
	srlg	%r3,%r1,16
	tmll	%r3,0x4000		# R
	jz	wait_r
	br	%r14

# check_entry: the log entry at GR1 holds the word that follows the BRAS
# and the address in GR3 (low word); returns past the word.
check_entry:
	clc	0(4,%r1),0(%r14)
	jne	fail
	larl	%r2,tmp			# the address's low word
	st	%r3,0(%r2)
	clc	4(4,%r1),0(%r2)
	jne	fail
	la	%r14,4(%r14)		# skip the word
	br	%r14

io_handler:
	mvc	0(4,%r12),0xc0		# interruption word
	mvc	4(4,%r12),0x17c		# I/O old PSW address, low word
	aghi	%r12,8
	llgc	%r13,0x171		# old PSW bits 8-15
	nill	%r13,0xfd		# W (bit 14) off: do not wait again
	stc	%r13,0x171
	lpswe	0x170

	.data
	.balign	8
io_new_psw:				# 64-bit, interruptions disabled
	.quad	0x0000000180000000, io_handler
wait_psw:				# I/O + wait, 64-bit
	.quad	0x0202000180000000, woke
cr6_5:	.quad	0x0000000004000000	# CR6 bit 37: ISC 5
cr6_35:	.quad	0x0000000014000000	# CR6 bits 35, 37: ISC 3 and 5
smask:	.quad	0			# STOSM / STNSM store the old mask here
tmp:	.long	0
ones:	.byte	1,1
req8:	.byte	0x00,0x50,0x00,0x08,0,0,0,0	# error reply, 8 bytes
	.balign	8
reply:	.fill	16,1,0xee
