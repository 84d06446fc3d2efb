# sie.S: a raw-code seed of the cpu fuzz target (gen_cpu_seeds.sh).
	.text
	.globl _start
_start:
	lghi	%r10,0x3000
	lghi	%r9,10
1:	sie	0(%r10)
	sie	1(%r10)
	brctg	%r9,1b
	diag	0,0,0x44
