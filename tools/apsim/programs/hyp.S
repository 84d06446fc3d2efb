/* SPDX-License-Identifier: MIT */
# hyp.S - apsim's built-in 'hyp': a guest-2 hypervisor that runs one guest-3
# with SIE on the SCB whose address is in GR14, then DIAG 0x44.  GR14 is not
# one of the registers guest-3 shares (GR0-13), so when the host restarts
# the SIE (guest-2's masks changed under it) the operand still holds.
#
# In:  GR14 = guest-3's SCB (guest-2 address); GR0-13 = guest-3's GR0-13.
# Out: guest-3's SCB as SIE left it; GR0-13 guest-3's.
	.text
	.globl	_start
_start:
	sie	0(%r14)
	diag	0,0,0x44		# the scenario reads guest-3's SCB and GRs
