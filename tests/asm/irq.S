/* SPDX-License-Identifier: MIT */
# irq.S - an adapter interruption, end to end: install an I/O new PSW,
# enable ISC 6 in CR6, AQIC enable with a NIB, NQAP a request, then wait
# in an enabled wait PSW.  The reply makes the adapter interruption pending;
# the handler checks the interruption code and the NIB, DQAPs the reply and
# exits 0.  Only the handler can exit 0.
#
# In:  GR9 = APQN.
# Out: exit 0 from the handler, else the failing step number;
#      GR12 = the I/O interruption word the handler found at 0xC0.
	.text
	.globl	_start
_start:
	larl	%r1,io_new_psw		# I/O new PSW (lowcore 0x1F0) -> handler
	mvc	0x1f0(16,%r0),0(%r1)
	larl	%r1,cr6			# CR6: enable I/O interruption subclass 6
	lctlg	%c6,%c6,0(%r1)
	lghi	%r11,1			# step 1: AQIC enable, ISC 6, NIB
	llilf	%r0,0x03000000		# FC 3 = AQIC
	ogr	%r0,%r9
	llihf	%r1,0x00008000	# GR1 bit 16: enable
	oill	%r1,6			# ISC 6
	larl	%r2,nib
	.insn	rre,0xb2af0000,0,0	# PQAP(AQIC)
	jnz	fail
	lghi	%r11,2			# step 2: NQAP
	llilf	%r0,0x40000000		# GR0 bit 33: last part
	ogr	%r0,%r9
	llilf	%r4,0x49525131		# PSMID "IRQ1" 00000001
	lghi	%r5,1
	larl	%r6,request
	lghi	%r7,request_len
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	jnz	fail
	lghi	%r11,3			# step 3: enabled wait
	larl	%r1,wait_psw
	lpswe	0(%r1)			# waits for the I/O interruption

io_handler:
	lghi	%r11,4			# step 4: adapter interruption for ISC 6
	llgf	%r12,0xc0		# I/O interruption word
	clgfi	%r12,0xb0000000		# 0x80000000 | ISC 6 << 27
	jne	fail
	lghi	%r11,5			# step 5: the NIB byte was set to 1
	larl	%r1,nib
	cli	0(%r1),1
	jne	fail
	lghi	%r11,6			# step 6: DQAP the reply
	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,reply
	lghi	%r7,reply_len
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	jnz	fail
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500
resumed:				# the wait PSW must never come back
	lghi	%r2,9
	diag	0,0,0x500

	.data
	.balign	8
io_new_psw:				# 64-bit mode, interruptions disabled
	.quad	0x0000000180000000, io_handler
wait_psw:				# I/O enabled (bit 6) + wait (bit 14), 64-bit
	.quad	0x0202000180000000, resumed
cr6:	.quad	0x0000000002000000	# CR6 bit 38: ISC 6
nib:	.byte	0
	.balign	8
request:				# type 50 (RSA ME, 1024-bit), length 0x118
	.byte	0x00,0x50,0x01,0x18,0,0,0,0,0,0x01
	.fill	0x118-10,1,0
	.set	request_len,.-request
	.balign	8
reply:	.fill	256,1,0xee
	.set	reply_len,.-reply
