/* SPDX-License-Identifier: MIT */
/* W1 for Hercules: the same AHI + BRCT loop as w1.S, for a bare machine.
 *
 * apbench puts this code at 0x10000 in a raw core image whose lowcore holds
 * a z/Architecture restart new PSW (0x1A0) pointing here, patches the
 * iteration count into `count` (offset 8, 1 .. 2^31 - 1), and runs it with
 * `loadcore FILE 0` + `restart`.  The program ends by loading a disabled
 * wait PSW whose instruction address is 2 * iterations (mod 2^32; an even
 * value, so the PSW stays valid), which Hercules prints as
 * "Disabled wait state / PSW=00020001 80000000 00000000xxxxxxxx": apbench
 * checks that the loop really ran.
 */
	.text
	.globl	_start
_start:
	j	1f
	.balign	8
count:				/* offset 8: patched by apbench */
	.quad	0
wait_psw:			/* disabled wait, EA + BA (64-bit) */
	.quad	0x0002000180000000
	.quad	0
1:	larl	%r1,count
	lg	%r9,0(%r1)
	lghi	%r8,0
0:	ahi	%r8,1
	brct	%r9,0b
	ar	%r8,%r8		/* 2 * iterations: an even address */
	st	%r8,wait_psw+12-count(%r1)
	lpswe	wait_psw-count(%r1)
