/* SPDX-License-Identifier: MIT */
# rapq.S - PQAP(RAPQ), then TAPQ until the reset has completed.
#
# In:  GR9 = APQN.
# Out: GR8 = number of TAPQs that answered RC 0x02 (reset in progress),
#      GR1 = the final TAPQ status word, cc of the final TAPQ.
	.text
	.globl	_start
_start:
	llilf	%r0,0x01000000		# FC 1 = RAPQ
	ogr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(RAPQ): RC 0, reset starts
	jnz	fail
	lghi	%r8,0			# polls while the reset runs
poll:	lgr	%r0,%r9			# FC 0 = TAPQ, no T bit
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ)
	jz	done			# cc 0: RC 0, reset complete
	srlg	%r3,%r1,16		# response code = GR1 bits 40-47
	nill	%r3,0xff
	chi	%r3,0x02		# RC 0x02: still resetting
	jne	fail
	aghi	%r8,1
	j	poll
done:	diag	0,0,0x44
fail:	lghi	%r2,1
	diag	0,0,0x500		# exit 1
