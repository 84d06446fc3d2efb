# loop.S: a raw-code seed of the cpu fuzz target (gen_cpu_seeds.sh).
	.text
	.globl _start
_start:
	stap	0x800(%r0)		# vCPU address
	lh	%r3,0x800(%r0)
	sllg	%r3,%r3,3
	lghi	%r4,50
1:	ahi	%r5,3
	stg	%r5,0x1000(%r3)
	brct	%r4,1b
	lghi	%r10,0x1000
	mvc	0x100(16,%r10),0(%r10)
	xc	0x200(8,%r10),0(%r10)
	clc	0x100(8,%r10),0(%r10)
	ipm	%r6
	lgr	%r2,%r5
	diag	0,0,0x500
