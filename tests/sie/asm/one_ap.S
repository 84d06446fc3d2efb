/* SPDX-License-Identifier: MIT */
# one_ap.S - one instruction in a guest, chosen by GR9, with the registers
# the test put in GR0-GR8; then DIAG 0x44.  A program interruption is
# caught: its code goes to GR13 and the guest halts with DIAG 0x44 too.
#
# In:  GR9 = 0 PQAP; 1 NQAP 4,6; 2 DQAP 4,6; 3 PQAP in problem state;
#      4 nothing; 5 an invalid opcode (0x0000).
#      PQAP runs with the cc of `cghi 0,5` (1) before it.
# Out: cc and registers as the instruction left them; GR13 = the program
#      interruption code, untouched without one.  DIAG 0x44 repeats until
#      the host halts the guest.
	.macro	pqap
	.insn	rre,0xb2af0000,0,0
	.endm

	.text
	.globl	_start
_start:
	larl	%r12,pgm_new_psw	# program new PSW (lowcore 0x1D0)
	mvc	0x1d0(16,%r0),0(%r12)
	cghi	%r9,1
	je	do_nqap
	cghi	%r9,2
	je	do_dqap
	cghi	%r9,3
	je	do_prob
	cghi	%r9,4
	je	done
	cghi	%r9,5
	je	do_invalid
	pqap
done:	diag	0,0,0x44
	j	done			# a host that resumes the DIAG gets it again
do_nqap:
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	j	done
do_dqap:
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	j	done
do_prob:
	larl	%r12,prob_psw
	lpswe	0(%r12)
prob:	pqap				# privileged: never completes
	j	done
do_invalid:
	.short	0
	j	done
pgm_handler:
	llgh	%r13,0x8e		# program interruption code
	diag	0,0,0x44

	.data
	.balign	8
pgm_new_psw:				# 64-bit, supervisor, disabled
	.quad	0x0000000180000000, pgm_handler
prob_psw:				# 64-bit, problem state
	.quad	0x0001000180000000, prob
