/* SPDX-License-Identifier: MIT */
# sie_host.S - a level-1 host that runs one guest with SIE itself: the
# test builds the SCB and puts its address in GR1; whatever ends SIE, the
# host halts with DIAG 0x44 and the test reads the SCB.
#
# In:  GR1 = SCB address (absolute, 512-byte aligned).
# Out: the SCB as SIE left it.
	.text
	.globl	_start
_start:
	sie	0(%r1)
	diag	0,0,0x44
