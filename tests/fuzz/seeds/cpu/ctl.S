# ctl.S: a raw-code seed of the cpu fuzz target (gen_cpu_seeds.sh).
	.text
	.globl _start
_start:
	stpx	0x900(%r0)
	stctg	%c0,%c15,0xa00(%r0)
	lctlg	%c6,%c6,0xa30(%r0)
	stosm	0x910(%r0),0x02
	stnsm	0x911(%r0),0xfd
	ssm	0x912(%r0)
	spm	%r1
	stfle	0xb00(%r0)
	stfl	0(%r0)
	llilf	%r1,0x4000
	st	%r1,0x920(%r0)
	spx	0x920(%r0)
	stpx	0x924(%r0)
	larl	%r2,3f
	bras	%r14,4f
3:	diag	0,0,0x500
4:	basr	%r13,%r14
	br	%r14
