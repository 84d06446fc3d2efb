/* SPDX-License-Identifier: MIT */
# spec.S - a program interruption: NQAP with R1 = 0 is a specification
# exception in this model.  A program new PSW (lowcore 0x1D0) catches it;
# the handler exits with the interruption code from lowcore 0x8E.
#
# Out: exit 6 (specification) from the handler; exit 99 if NQAP completed.
	.text
	.globl	_start
_start:
	larl	%r1,pgm_new_psw		# program new PSW -> handler
	mvc	0x1d0(16,%r0),0(%r1)
	llilf	%r0,0x40000306		# NQAP 03.0006, last part
	.insn	rre,0xb2ad0000,%r0,%r6	# NQAP with R1 = 0: specification
	lghi	%r2,99
	diag	0,0,0x500
pgm_handler:
	llgh	%r2,0x8e		# program-interruption code
	diag	0,0,0x500		# exit with it

	.data
	.balign	8
pgm_new_psw:				# 64-bit mode, interruptions disabled
	.quad	0x0000000180000000, pgm_handler
