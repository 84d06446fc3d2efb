/* SPDX-License-Identifier: MIT */
# sie_r14.S - a guest-2 that runs one guest-3 with SIE, its operand based on
# GR14 as a real hypervisor's is: GR14 is not one of the registers guest-3
# shares with guest-2 (those are GR0-13), so a SIE that the host makes
# guest-2 issue again (a restart) still finds guest-3's SCB.
#
# In:  GR14 = guest-3's SCB address; GR0-13 = guest-3's GR0-13.
# Out: guest-3's SCB as SIE left it, GR0-13 guest-3's; halts with
#      DIAG 0x44.
	.text
	.globl	_start
_start:
	sie	0(%r14)
	diag	0,0,0x44
