/* SPDX-License-Identifier: MIT */
# fault_poll.S - watch a queue while faults come and go: TAPQ and DQAP in a
# loop, each logging its response code whenever it changes.  The scenario
# injects the faults at fixed cycles; the logs show what a program sees:
# busy (0x05 for TAPQ; DQAP is not affected), deconfigured (0x03),
# checkstopped (0x04), and the queue answering again in between.
#
# In:  GR9 = APQN of an empty queue; GR10 = TAPQ log entries to collect.
# Out: exit 0 once GR10 TAPQ entries were logged, 1 when the loop ran
#      100000 times first or DQAP found a reply; the TAPQ log at 0x3000 and
#      the DQAP log at 0x3100, one byte per change; GR8 = loop iterations,
#      GR11 = TAPQ entries, GR12 / GR13 = the end of the TAPQ / DQAP log.
	.text
	.globl	_start
_start:
	lghi	%r8,0			# iterations
	lghi	%r11,0			# TAPQ entries
	lghi	%r12,0x3000		# TAPQ log
	lghi	%r13,0x3100		# DQAP log
	lghi	%r14,-1			# TAPQ's last RC (none yet)
	lghi	%r15,-1			# DQAP's last RC
loop:	aghi	%r8,1
	cgfi	%r8,100000
	jh	fail
	lgr	%r0,%r9
	.insn	rre,0xb2af0000,0,0	# PQAP(TAPQ)
	sllg	%r3,%r1,40		# response code
	srlg	%r3,%r3,56
	cgr	%r3,%r14
	je	1f
	lgr	%r14,%r3		# changed: log it
	stc	%r3,0(%r12)
	aghi	%r12,1
	aghi	%r11,1
1:	lgr	%r0,%r9
	lghi	%r2,0
	larl	%r6,buf
	lghi	%r7,16
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP: never a reply here
	jz	fail
	sllg	%r3,%r1,40
	srlg	%r3,%r3,56
	cgr	%r3,%r15
	je	2f
	lgr	%r15,%r3
	stc	%r3,0(%r13)
	aghi	%r13,1
2:	cgr	%r11,%r10
	jl	loop
	lghi	%r2,0
	diag	0,0,0x500		# exit 0
fail:	lghi	%r2,1
	diag	0,0,0x500		# exit 1
	.data
	.balign	8
buf:	.fill	16,1,0xee
