/* SPDX-License-Identifier: MIT */
# tour.S - apsim's built-in program `tour` (embedded at build time), which
# the default scenario runs.
#
# Works on APQN 03.0006 of the default machine.  Each DIAG 0x44 pauses the
# program so the scenario can show and check what happened; `resume`
# continues after the DIAG.  Fixed addresses: QCI block 0x2000, NIB 0x2100,
# request 0x3000, reply 0x4000.  Ends with exit 0 (DIAG 0x500, GR2 = 0).
	.text
	.globl	_start
_start:
	lghi	%r9,0x0306		# APQN 03.0006
	# 1. QCI
	llilf	%r0,0x04000000		# FC 4 = QCI
	lghi	%r2,0x2000
	.insn	rre,0xb2af0000,0,0	# PQAP(QCI)
	diag	0,0,0x44		# pause 1
	# 2. TAPQ with the T bit
	llilf	%r0,0x00800000		# FC 0 = TAPQ, bit 40 = T
	ogr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ)
	diag	0,0,0x44		# pause 2
	# 3. RAPQ, and TAPQ while the reset runs
	llilf	%r0,0x01000000		# FC 1 = RAPQ
	ogr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(RAPQ)
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ): RC 0x02
	diag	0,0,0x44		# pause 3
	lghi	%r8,0			# TAPQ until the reset is complete
poll:	aghi	%r8,1
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0
	jnz	poll
	diag	0,0,0x44		# pause 4
	# 4. AQIC: I/O new PSW, CR6 ISC 6, enable with the NIB at 0x2100
	larl	%r1,io_new_psw
	mvc	0x1f0(16,%r0),0(%r1)
	larl	%r1,cr6
	lctlg	%c6,%c6,0(%r1)
	llilf	%r0,0x03000000		# FC 3 = AQIC
	ogr	%r0,%r9
	llihf	%r1,0x00008000	# GR1 bit 16: enable
	oill	%r1,6			# ISC 6
	lghi	%r2,0x2100		# NIB
	.insn	rre,0xb2af0000,0,0	# PQAP(AQIC)
	diag	0,0,0x44		# pause 5
	# 5. NQAP a type 50 request built at 0x3000, DQAP before the reply
	lghi	%r6,0x3000		# storage is zero: set the non-zero bytes
	mvi	1(%r6),0x50		# type 50 (RSA ME, 1024-bit)
	mvi	2(%r6),0x01		# length 0x0118
	mvi	3(%r6),0x18
	mvi	9(%r6),0x01
	llilf	%r0,0x40000000		# NQAP GR0 bit 33: last part
	ogr	%r0,%r9
	llilf	%r4,0x12345678		# PSMID 12345678 00000001
	lghi	%r5,1
	lghi	%r7,0x118
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	lgr	%r0,%r9
	lghi	%r2,0			# DQAP: start a new reply
	lghi	%r6,0x4000
	lghi	%r7,0x1000
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP: RC 0x10, E off
	diag	0,0,0x44		# pause 6
	# 6. wait enabled for the adapter interruption
	larl	%r1,wait_psw
	lpswe	0(%r1)
io_handler:
	llgf	%r12,0xc0		# I/O interruption word
	lgr	%r0,%r9
	lghi	%r2,0
	lghi	%r4,0
	lghi	%r5,0
	lghi	%r6,0x4000
	lghi	%r7,0x1000
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP the reply
	diag	0,0,0x44		# pause 7
	lghi	%r2,0
	diag	0,0,0x500		# exit 0
	.balign	8
io_new_psw:
	.quad	0x0000000180000000, io_handler
wait_psw:				# I/O enabled + wait; never resumes here
	.quad	0x0202000180000000, 0
cr6:	.quad	0x0000000002000000	# ISC 6
