/* SPDX-License-Identifier: MIT */
# tapq.S - PQAP(TAPQ) with the T bit on the APQN the scenario puts in GR9.
#
# In:  GR9 = APQN (adapter << 8 | domain).
# Out: cc and GR1 (status word) and GR2 (facilities, type, nd, ml, qd) as
#      TAPQ left them; halts with DIAG 0x44.
	.text
	.globl	_start
_start:
	llilf	%r0,0x00800000		# GR0 bit 40: T (test facilities); FC 0 = TAPQ
	ogr	%r0,%r9			# APQN into bits 48-63
	.insn	rre,0xb2af0000,0,0	# PQAP
	diag	0,0,0x44		# halt; the scenario checks cc, GR1, GR2
