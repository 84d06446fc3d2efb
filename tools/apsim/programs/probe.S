/* SPDX-License-Identifier: MIT */
# probe.S - apsim's built-in 'probe': one PQAP(TAPQ) with the T bit on the
# APQN in GR9, then DIAG 0x44.  The default scenario runs it on the host and
# in a guest, to show what each of them sees of the same queue.
#
# In:  GR9 = APQN (adapter << 8 | domain).
# Out: cc, GR1 (status word) and GR2 (facilities and type) as TAPQ left them.
	.text
	.globl	_start
_start:
	llilf	%r0,0x00800000		# T bit; FC 0 = TAPQ
	ogr	%r0,%r9			# the APQN
	.insn	rre,0xb2af0000,0,0	# PQAP
	diag	0,0,0x44		# the scenario reads cc, GR1, GR2
