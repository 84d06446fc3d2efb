/* SPDX-License-Identifier: MIT */
# qact.S - PQAP(QACT), FC 5: GR1 in = apinfo (mode bits 3-5, compatibility
# type bits 32-39); GR2 out = the adapter's mode bits and
# cat = min(requested, adapter type), version 0; status in GR1.  A table
# of cases, each run and checked in turn: GR0, GR1 in, then the expected
# GR2, GR1 (status word) and cc.  GR2 is preset to a marker so a case that
# must leave it alone can say so.
#
# In:  the default machine: 03 CEX8 accelerator, 04 CEX8 CCA, 05 CEX7 EP11.
# Out: exit 0 when every case matched, else the case number (1-based);
#      GR3 = the GR2 and GR1 = the status word of the last case run.
	.text
	.globl	_start
_start:
	larl	%r10,cases
	lghi	%r11,0			# case number
next:	aghi	%r11,1
	lg	%r0,0(%r10)
	ltgr	%r0,%r0			# GR0 = 0: end of the table
	jz	done
	lg	%r1,8(%r10)		# apinfo in
	llilf	%r2,0x5a5a5a5a		# marker
	.insn	rre,0xb2af0000,0,0	# PQAP
	lghi	%r3,0
	ipm	%r3			# cc in bits 34-35
	srlg	%r3,%r3,28
	nill	%r3,3
	lg	%r4,16(%r10)
	clgr	%r2,%r4			# GR2 (apinfo out)
	jne	fail
	lg	%r4,24(%r10)
	clgr	%r1,%r4			# GR1 (status word, bits 0-31 zero)
	jne	fail
	lg	%r4,32(%r10)
	clgr	%r3,%r4			# cc
	jne	fail
	aghi	%r10,40
	j	next
done:	lghi	%r11,0
fail:	lgr	%r3,%r2			# keep GR2 for the scenario
	lgr	%r2,%r11
	diag	0,0,0x500

	.data
	.balign	8
	# GR0, GR1 in, GR2 expected, GR1 expected, cc expected
cases:	# 1. accelerator, cat 12 requested: A (bit 4), cat 12
	.quad	0x0000000005000306, 0x000000000c000000
	.quad	0x080000000c000000, 0x0000000080000000, 0
	# 2. accelerator, CCA mode bit and cat 255 asked: still A, cat 14
	.quad	0x0000000005000306, 0x10000000ff000000
	.quad	0x080000000e000000, 0x0000000080000000, 0
	# 3. CCA coprocessor, cat 11: D (bit 3), cat 11
	.quad	0x0000000005000407, 0x000000000b000000
	.quad	0x100000000b000000, 0x0000000080000000, 0
	# 4. EP11 CEX7 (type 13), cat 14 asked: X (bit 5), cat 13
	.quad	0x0000000005000547, 0x000000000e000000
	.quad	0x040000000d000000, 0x0000000080000000, 0
	# 5. EP11 with the F bit (GR0 bit 41) and cat 10; version bits ignored
	.quad	0x0000000005400547, 0x000000000a00ffff
	.quad	0x040000000a000000, 0x0000000080000000, 0
	# 6. cat 0 asked: cat 0; GR0 bits 0-31 ignored
	.quad	0xffffffff05000306, 0x0000000000000000
	.quad	0x0800000000000000, 0x0000000080000000, 0
	# 7. 03.0008 is not configured: RC 0x01, GR2 unchanged
	.quad	0x0000000005000308, 0x000000000c000000
	.quad	0x000000005a5a5a5a, 0x0000000000010000, 3
	# 8. RAPQ 03.0007 (a case of its own: GR2 untouched, RC 0) ...
	.quad	0x0000000001000307, 0
	.quad	0x000000005a5a5a5a, 0x0000000080000000, 0
	# 9. ... then QACT during the reset: RC 0x02, GR2 unchanged
	.quad	0x0000000005000307, 0x000000000c000000
	.quad	0x000000005a5a5a5a, 0x0000000080020000, 3
	.quad	0			# end
