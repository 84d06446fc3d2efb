/* SPDX-License-Identifier: MIT */
# nib.S - AQIC with a NIB the test chooses, under a prefix the test
# chooses: SPX to GR7 (when not 0), AQIC enable ISC 6 with the NIB at real
# address GR8, NQAP a request, enabled wait for the adapter interruption.
#
# In:  GR9 = APQN; GR8 = NIB (real); GR7 = prefix, 0 = keep 0.
# Out: exit 0 (DIAG 0x500) from the I/O handler, GR12 = the interruption
#      word at real 0xC0; exit 1 when AQIC failed (GR1 its status), 2 when
#      NQAP failed, 9 if the wait ever ended without an interruption.
	.text
	.globl	_start
_start:
	ltgr	%r7,%r7
	jz	1f
	larl	%r1,pfx
	st	%r7,0(%r1)
	spx	0(%r1)
1:	larl	%r1,io_new_psw		# I/O new PSW (real 0x1F0)
	mvc	0x1f0(16,%r0),0(%r1)
	larl	%r1,cr6
	lctlg	%c6,%c6,0(%r1)
	lghi	%r11,1
	llilf	%r0,0x03000000		# FC 3 = AQIC
	ogr	%r0,%r9
	llihf	%r1,0x00008000		# IR
	oill	%r1,6			# ISC 6
	lgr	%r2,%r8
	.insn	rre,0xb2af0000,0,0	# PQAP(AQIC)
	jnz	fail
	lghi	%r11,2
	llilf	%r0,0x40000000		# last part
	ogr	%r0,%r9
	llilf	%r4,0x4e494231		# PSMID
	lghi	%r5,1
	larl	%r6,request
	lghi	%r7,request_len
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	jnz	fail
	larl	%r1,wait_psw
	lpswe	0(%r1)
io_handler:
	llgf	%r12,0xc0
	lghi	%r11,0
fail:	lgr	%r2,%r11
	diag	0,0,0x500
resumed:
	lghi	%r2,9
	diag	0,0,0x500

	.data
	.balign	8
io_new_psw:
	.quad	0x0000000180000000, io_handler
wait_psw:				# I/O enabled, wait, 64-bit
	.quad	0x0202000180000000, resumed
cr6:	.quad	0x0000000002000000	# ISC 6
pfx:	.long	0
	.balign	8
request:				# type 50 (RSA ME, 1024-bit), length 0x118
	.byte	0x00,0x50,0x01,0x18,0,0,0,0,0,0x01
	.fill	0x118-10,1,0
	.set	request_len,.-request
