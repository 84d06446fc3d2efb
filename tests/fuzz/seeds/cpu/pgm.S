# pgm.S: a raw-code seed of the cpu fuzz target (gen_cpu_seeds.sh).
	.text
	.globl _start
_start:
	.org	0x1d0
	.quad	0x0000000180000000, 0x400	# PGM new PSW: 64-bit, handler at 0x400
	.org	0x1f0
	.quad	0x0000000180000000, 0x500	# I/O new PSW
	.org	0x200
	lghi	%r7,3
	.long	0x00000000			# operation exception
	.insn	rre,0xb2af0000,0,0		# PQAP
	lpswe	0x600
	.org	0x400
	brct	%r7,2f
	diag	0,0,0x44
2:	lg	%r1,0x158(%r0)			# PGM old PSW address
	stg	%r1,0x700(%r0)
	lpswe	0x150
	.org	0x500
	diag	0,0,0x500
	.org	0x600
	.quad	0x0202000180000000, 0		# enabled wait, I/O
