# nq.S: a raw-code seed of the cpu fuzz target (gen_cpu_seeds.sh): TAPQ,
# NQAP of a (malformed) type 50 request to 03.0006 and DQAP until the reply.
	.text
	.globl _start
_start:
	llilf	%r0,0x00800306		# TAPQ T, 03.0006
	.insn	rre,0xb2af0000,0,0
	llilf	%r0,0x40000306		# last part, 03.0006
	llilf	%r5,0x12345678		# PSMID in GR4/GR5
	larl	%r6,msg
	lghi	%r7,16
	.insn	rre,0xb2ad0000,%r4,%r6	# NQAP
	lghi	%r8,100
1:	llilf	%r0,0x00000306
	lghi	%r2,0
	larl	%r6,buf
	lghi	%r7,64
	.insn	rre,0xb2ae0000,%r4,%r6	# DQAP
	brc	8,2f			# cc 0: the reply
	brct	%r8,1b
	diag	0,0,0x44
2:	lgr	%r2,%r5
	diag	0,0,0x500
	.align	8
msg:	.quad	0x0050001000000000, 0x0001000000000000
buf:	.fill	64,1,0
