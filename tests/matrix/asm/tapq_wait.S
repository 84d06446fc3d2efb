/* SPDX-License-Identifier: MIT */
# tapq_wait.S - TAPQ the queue until it answers cc 0: a guest that waits
# for its queue to be hot-plugged.
#
# In:  GR9 = APQN.
# Out: DIAG 0x44 once TAPQ gave cc 0; GR8 = TAPQs issued, GR1 = the last
#      status word.
	.text
	.globl	_start
_start:
	lghi	%r8,0
poll:	lgr	%r0,%r9			# FC 0 = TAPQ, the APQN
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ)
	la	%r8,1(%r8)		# count; LA leaves the cc alone
	jnz	poll			# cc 1-3: not there yet
	diag	0,0,0x44
