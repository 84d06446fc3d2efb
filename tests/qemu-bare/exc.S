/* SPDX-License-Identifier: MIT */
# exc.S - bare-metal s390x program for QEMU's s390-ccw-virtio machine with
# the s390ap device: the access exceptions of PQAP(QCI), NQAP and DQAP as a
# real CPU reports them (addressing with DAT off; low-address protection;
# page translation and protection with DAT on, in the primary, secondary and
# home spaces), operand addresses in the 64-, 31- and 24-bit modes and
# through the prefix, the privileged-operation exception in problem state,
# and, without the device, the operation exception.  README.md lists every
# check.
#
# QEMU loads the ELF at its link address and starts it with a 64-bit PSW,
# DAT off, disabled, key 0.  The program does not rely on that: SAM64 and an
# LPSWE of its own PSW come first.
#
# Results (absolute 0x30000, read by run.py with QMP pmemsave):
#   +0  magic "S390APEX"      +8  mode: 1 = AP, 2 = no AP facility
#   +16 checks passed         +24 first failing check id, 0 = none
#   +32 the final PSW address
#   +64*id: record of check id (1..31): +0 status (1 pass, 2 fail),
#           +8.. v0..v6, the observed values
# The program ends in a disabled wait whose address is the outcome:
#   0x600DA9 all passed (AP), 0x600D00 all passed (no AP),
#   0xBAD000+id the first failing check, 0xDEAD0n an unexpected interruption.
#
# Storage map (absolute = real = virtual: low storage is identity-mapped):
#   0x00000 lowcore; 0x300.. the program's own fields (below)
#   0x01000 low-address protected (4096-4607) while CR0 bit 35 is on
#   0x20000 this program        0x30000 results
#   0x40000 segment table       0x44000 page table for the first MiB
#   0x48000, 0x4c000 the same for the secondary and home spaces, where
#           0x82000 is invalid
#   0x60000 the prefix area during check 30
#   0x80000 page made invalid   0x81000 page made page-protected
#   0x82000 a good page         0x83000 a good page
#   0x84000 a second page-protected page
#   0xffffc0 and 0x0: the 24-bit wrap-around QCI block (64 bytes each)
#   64 MiB: the end of storage (run.py: -m 64M)

	.equ	LC_PGM_ILC, 0x8c	# halfword: instruction length in bytes
	.equ	LC_PGM_CODE, 0x8e
	.equ	LC_TEID, 0xa8
	.equ	LC_PGM_OLD, 0x150
	.equ	LC_RESTART_NEW, 0x1a0
	.equ	LC_EXT_NEW, 0x1b0
	.equ	LC_SVC_NEW, 0x1c0
	.equ	LC_PGM_NEW, 0x1d0
	.equ	LC_MCCK_NEW, 0x1e0
	.equ	LC_IO_NEW, 0x1f0

	.equ	SAVE, 0x300		# GRs at a program interruption
	.equ	RESUME, 0x380		# PSW the handler resumes with
	.equ	PGMCNT, 0x390		# program interruptions taken
	.equ	PGMBEFORE, 0x398	# PGMCNT before the instruction under test
	.equ	INSADDR, 0x3a0		# address of the instruction under test
	.equ	CCOUT, 0x3a8		# its condition code when it completed
	.equ	CURMASK, 0x3b0		# PSW mask the program runs with
	.equ	TMPPSW, 0x3c0
	.equ	SNAP_BEFORE, 0x400	# GR0-15 just before the instruction
	.equ	SNAP_AFTER, 0x480	# GR0-15 just after it (or after resuming)
	.equ	REGIMG, 0x500		# GR0-9 loaded for the instruction
	.equ	FACS, 0x600		# STFLE output

	.equ	RES, 0x30000
	.equ	SEGTAB, 0x40000
	.equ	PAGETAB, 0x44000
	.equ	SEGTAB2, 0x48000	# secondary and home space: as primary,
	.equ	PAGETAB2, 0x4c000	# but PG_GOOD invalid
	.equ	LAP_PAGE, 0x1000	# low-address protected: 4096-4607
	.equ	PG_INVALID, 0x80000
	.equ	PG_PROT, 0x81000
	.equ	PG_GOOD, 0x82000
	.equ	PG_GOOD2, 0x83000
	.equ	PG_PROT2, 0x84000	# page-protected, after the good page 0x83000
	.equ	TOP24, 0x1000000	# 16 MiB: where 24-bit addresses wrap
	.equ	PREFIX, 0x60000		# prefix area for check 30
	.equ	PFX_OFF, 0x1800		# unused lowcore bytes the QCI goes to
	.equ	MEM_END, 0x4000000

	.equ	APQN, 0x0306		# adapter 03 (CEX8 accelerator), domain 6
	.equ	NQAP_L, 0x40000000	# GR0 bit 33: last part
	.equ	FC_QCI, 0x04000000	# GR0 bits 32-39: function code 4
	.equ	SW_E, 0x80000000
	.equ	SW_R, 0x40000000

	# check ids (run.py names them)
	.equ	C_TAPQ, 1
	.equ	C_STFLE, 2
	.equ	C_QCI, 3
	.equ	C_QCI_ADDR, 4
	.equ	C_QCI_ADDR_CROSS, 5
	.equ	C_NQAP_ADDR, 6
	.equ	C_NQAP_SEND, 7
	.equ	C_REPLY_READY, 8
	.equ	C_DQAP_ADDR, 9
	.equ	C_QCI_PAGE, 10
	.equ	C_NQAP_PAGE, 11
	.equ	C_DQAP_PROT, 12
	.equ	C_REPLY_KEPT, 13
	.equ	C_DQAP_REPLY, 14
	.equ	C_PQAP_PRIV, 15
	.equ	C_NQAP_PRIV, 16
	.equ	C_DQAP_PRIV, 17
	.equ	C_QCI_PROT_CROSS, 18
	.equ	C_QCI_LAP, 19
	.equ	C_QCI_SECONDARY, 24
	.equ	C_QCI_HOME, 25
	.equ	C_QCI_DAT, 26
	.equ	C_QCI_31, 27
	.equ	C_QCI_24, 28
	.equ	C_QCI_WRAP24, 29
	.equ	C_QCI_PREFIX, 30
	.equ	C_NQAP_PAGE_CROSS, 31
	.equ	C_PQAP_OPER, 20
	.equ	C_NQAP_OPER, 21
	.equ	C_DQAP_OPER, 22
	.equ	C_STFLE_NOAP, 23

	.macro	pqap
	.insn	rre,0xb2af0000,0,0
	.endm
	.macro	nqap			# R1 = 4 (PSMID), R2 = 6 (message, length)
	.insn	rre,0xb2ad0000,%r4,%r6
	.endm
	.macro	dqap			# R1 = 4 (PSMID), R2 = 6 (buffer, length)
	.insn	rre,0xb2ae0000,%r4,%r6
	.endm

	# GR r of the register image := 64-bit value
	.macro	setreg r, value
	llihf	%r1,(\value) >> 32
	oilf	%r1,(\value) & 0xffffffff
	stg	%r1,REGIMG+8*\r
	.endm

	# Run one instruction with GR0-9 from REGIMG.  A program interruption
	# resumes right after it (the handler restores every GR as the CPU
	# left it); either way GR0-15 are in SNAP_BEFORE / SNAP_AFTER and the
	# interruption count in PGMCNT - PGMBEFORE.
	.macro	attempt ins:vararg
	lghi	%r1,0			# LARL in 31/24-bit mode keeps bits 0-31
	larl	%r1,.Lres\@
	stg	%r1,RESUME+8
	mvc	RESUME(8),CURMASK
	mvc	PGMBEFORE(8),PGMCNT
	larl	%r1,.Lins\@
	stg	%r1,INSADDR
	lmg	%r0,%r9,REGIMG
	stmg	%r0,%r15,SNAP_BEFORE
.Lins\@:
	\ins
.Lres\@:
	stmg	%r0,%r15,SNAP_AFTER
	ipm	%r1
	srl	%r1,28
	stg	%r1,CCOUT
	# no interruption is expected until the next attempt
	larl	%r1,dead_pgm
	mvc	RESUME(16),0(%r1)
	.endm

	# load CURMASK with address-space control `asc` (PSW bits 16-17)
	.macro	setasc asc
	ni	CURMASK+2,0x3f
	oi	CURMASK+2,\asc << 6
	larl	%r1,.Lasc\@
	stg	%r1,TMPPSW+8
	mvc	TMPPSW(8),CURMASK
	lpswe	TMPPSW
.Lasc\@:
	.endm

	# a QCI in the current addressing mode with GR2 = addr must store the
	# block of check 3 (at PG_GOOD) at `lo` (the first `split` bytes) and 0
	# (the rest): cc 0, no interruption; v0 cc, v1 interruptions
	.macro	qci_amode id, mode, addr, lo, split
	llilf	%r1,\lo
	xc	0(128,%r1),0(%r1)
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, \addr
	\mode
	attempt	pqap
	sam64
	mvc	8(8,%r12),CCOUT
	lg	%r2,PGMCNT
	sg	%r2,PGMBEFORE
	stg	%r2,16(%r12)
	jnz	.Lf\id
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf\id
	llilf	%r1,\lo
	llilf	%r2,PG_GOOD
	mvc	24(8,%r12),16(%r1)	# v2 bytes 16-23 where the block went
	clc	0(\split,%r1),0(%r2)
	jne	.Lf\id
	.if	\split < 128
	clc	0(128-\split,%r0),\split(%r2)
	jne	.Lf\id
	.endif
	.endm

	.macro	begin id		# GR12 := the check's record
	lghi	%r12,\id
	sllg	%r12,%r12,6
	agr	%r12,%r13
	.endm

	.macro	endcheck id		# pass unless a compare went to .Lf<id>
	bras	%r11,pass
	j	.Ld\id
.Lf\id:	bras	%r11,fail
.Ld\id:
	.endm

	.macro	record slot, gr		# v<slot> := GR gr after the instruction
	mvc	8+8*\slot(8,%r12),SNAP_AFTER+8*\gr
	.endm

	# an exception check: code, old PSW = instruction + offset, ILC 4,
	# registers unchanged (v0..v4, v6), else fail
	.macro	want_exc id, code, offset
	lghi	%r2,\code
	lghi	%r3,\offset
	bras	%r11,exc_eval
	ltgr	%r2,%r2
	jnz	.Lf\id
	.endm

	.text
	.globl	_start
_start:
	sam64
	larl	%r1,init_psw
	lpswe	0(%r1)
start64:
	llilf	%r13,RES
	larl	%r10,konst		# GR10: the constants below, for the whole run
	lghi	%r1,0
	stg	%r1,PGMCNT
	xc	0(256,%r13),0(%r13)
	xc	256(256,%r13),256(%r13)
	xc	512(256,%r13),512(%r13)
	xc	768(256,%r13),768(%r13)
	xc	1024(256,%r13),1024(%r13)
	xc	1280(256,%r13),1280(%r13)
	xc	1536(256,%r13),1536(%r13)
	xc	1792(256,%r13),1792(%r13)
	larl	%r1,magic
	mvc	0(8,%r13),0(%r1)
	larl	%r1,init_psw
	mvc	CURMASK(8),0(%r1)
	# new PSWs: program -> handler; every other class is unexpected
	larl	%r1,pgm_new
	mvc	LC_PGM_NEW(16),0(%r1)
	larl	%r1,dead_restart
	mvc	LC_RESTART_NEW(16),0(%r1)
	larl	%r1,dead_ext
	mvc	LC_EXT_NEW(16),0(%r1)
	larl	%r1,dead_svc
	mvc	LC_SVC_NEW(16),0(%r1)
	larl	%r1,dead_mcck
	mvc	LC_MCCK_NEW(16),0(%r1)
	larl	%r1,dead_io
	mvc	LC_IO_NEW(16),0(%r1)
	larl	%r1,dead_pgm
	mvc	RESUME(16),0(%r1)

	# ---- PQAP(TAPQ) 03.0006; an operation exception means no AP ----------
	begin	C_TAPQ
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	attempt	pqap
	lg	%r1,PGMCNT
	sg	%r1,PGMBEFORE
	jz	1f
	llgh	%r1,LC_PGM_CODE
	cghi	%r1,1
	je	noap
1:	lghi	%r1,1
	stg	%r1,8(%r13)		# mode: AP
	mvc	8(8,%r12),CCOUT		# v0 cc
	record	1, 1			# v1 status word
	record	2, 2			# v2 TAPQ information
	lg	%r1,PGMCNT
	sg	%r1,PGMBEFORE
	stg	%r1,32(%r12)		# v3 interruptions
	jnz	.Lf1
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf1
	lg	%r1,SNAP_AFTER+8
	nilf	%r1,0x00ff0000		# RC 0
	jnz	.Lf1
	endcheck 1

	# ---- STFLE: QCI (12), APFT (15), AQIC (65) offered ----------------------
	begin	C_STFLE
	bras	%r11,stfle_bits
	cghi	%r2,7
	jne	.Lf2
	endcheck 2

	# ---- QCI into a good buffer, DAT off -----------------------------------
	begin	C_QCI
	llilf	%r1,PG_GOOD
	mvi	0(%r1),0xaa
	mvc	1(127,%r1),0(%r1)
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, PG_GOOD
	attempt	pqap
	mvc	8(8,%r12),CCOUT		# v0 cc
	llilf	%r1,PG_GOOD
	mvc	16(8,%r12),16(%r1)	# v1 APM bits 0-63
	mvc	24(8,%r12),48(%r1)	# v2 AQM bits 0-63
	mvc	32(8,%r12),80(%r1)	# v3 ADM bits 0-63
	mvc	40(8,%r12),0(%r1)	# v4 bytes 0-7
	lg	%r2,PGMCNT
	sg	%r2,PGMBEFORE
	stg	%r2,48(%r12)		# v5 interruptions
	jnz	.Lf3
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf3
	clc	16(8,%r1),apm_03_04_05-konst(%r10)
	jne	.Lf3
	clc	24(24,%r1),zero-konst(%r10) # APM bits 64-255
	jne	.Lf3
	endcheck 3

	# ---- the QCI address follows the addressing mode -----------------------
	begin	C_QCI_31		# 31-bit: GR2 bits 0-32 ignored
	qci_amode 27, sam31, 0xffffffff80000000 | PG_GOOD2, PG_GOOD2, 128
	endcheck 27
	begin	C_QCI_24		# 24-bit: GR2 bits 0-39 ignored
	qci_amode 28, sam24, 0xffffffffff000000 | PG_GOOD2, PG_GOOD2, 128
	endcheck 28
	begin	C_QCI_WRAP24		# 24-bit: 64 bytes below 16 MiB, 64 at 0
	qci_amode 29, sam24, TOP24-64, TOP24-64, 64
	endcheck 29

	# ---- with a prefix, a real address in the first 8 KiB is the prefix
	# area: the block goes to absolute PREFIX + PFX_OFF, not to PFX_OFF --------
	begin	C_QCI_PREFIX
	llilf	%r1,PFX_OFF
	xc	0(128,%r1),0(%r1)
	llilf	%r1,PREFIX
	lghi	%r2,0
	lghi	%r3,32			# the lowcore, 8 KiB, to the new prefix
1:	mvc	0(256,%r1),0(%r2)
	aghi	%r1,256
	aghi	%r2,256
	brctg	%r3,1b
	llilf	%r1,PREFIX + PFX_OFF
	xc	0(128,%r1),0(%r1)
	llilf	%r1,PREFIX
	st	%r1,TMPPSW
	spx	TMPPSW
	xc	REGIMG(80),REGIMG	# REGIMG is in the new prefix area now
	setreg	0, FC_QCI
	setreg	2, PFX_OFF
	attempt	pqap
	# the program's fields back to absolute 0 (real PREFIX now), prefix 0
	llilf	%r1,PREFIX
	mvc	0(256,%r1),0
	mvc	256(256,%r1),256
	mvc	512(256,%r1),512
	mvc	768(256,%r1),768
	mvc	1024(256,%r1),1024
	mvc	1280(256,%r1),1280
	mvc	1536(256,%r1),1536
	mvc	1792(256,%r1),1792
	xc	TMPPSW(4),TMPPSW
	spx	TMPPSW
	mvc	8(8,%r12),CCOUT		# v0 cc
	lg	%r2,PGMCNT
	sg	%r2,PGMBEFORE
	stg	%r2,16(%r12)		# v1 interruptions
	jnz	.Lf30
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf30
	llilf	%r1,PREFIX + PFX_OFF
	mvc	24(8,%r12),16(%r1)	# v2 absolute PREFIX + PFX_OFF + 16
	llilf	%r2,PG_GOOD
	clc	0(128,%r1),0(%r2)
	jne	.Lf30
	llilf	%r1,PFX_OFF
	mvc	32(8,%r12),16(%r1)	# v3 absolute PFX_OFF + 16
	clc	0(32,%r1),zero-konst(%r10)
	jne	.Lf30
	clc	32(32,%r1),zero-konst(%r10)
	jne	.Lf30
	clc	64(32,%r1),zero-konst(%r10)
	jne	.Lf30
	clc	96(32,%r1),zero-konst(%r10)
	jne	.Lf30
	endcheck 30

	# ---- QCI block beyond the end of storage: addressing, suppressed -------
	begin	C_QCI_ADDR
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, MEM_END
	attempt	pqap
	want_exc 4, 5, 4
	endcheck 4

	# ---- QCI block across the end: addressing, nothing stored --------------
	begin	C_QCI_ADDR_CROSS
	llilf	%r1,MEM_END-64
	mvi	0(%r1),0x5a
	mvc	1(63,%r1),0(%r1)
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, MEM_END-64
	attempt	pqap
	want_exc 5, 5, 4
	llilf	%r1,MEM_END-64
	mvc	48(8,%r12),0(%r1)	# v5 first bytes below the end
	clc	0(64,%r1),pattern5a-konst(%r10)
	jne	.Lf5
	endcheck 5

	# ---- NQAP message beyond the end of storage: addressing ----------------
	begin	C_NQAP_ADDR
	xc	REGIMG(80),REGIMG
	setreg	0, APQN | NQAP_L
	setreg	4, 0x11111111
	setreg	5, 0x22222222
	setreg	6, MEM_END
	setreg	7, 16
	attempt	nqap
	want_exc 6, 5, 4
	bras	%r11,tapq
	stg	%r2,48(%r12)		# v5 status afterwards: still empty
	llilf	%r1,SW_E
	ngr	%r2,%r1
	jz	.Lf6
	endcheck 6

	# ---- NQAP a type 50 request with a wrong length field: cc 0 -----------
	begin	C_NQAP_SEND
	bras	%r11,request_to_good
	xc	REGIMG(80),REGIMG
	setreg	0, APQN | NQAP_L
	setreg	4, 0x12345678
	setreg	5, 0x9abcdef0
	setreg	6, PG_GOOD
	setreg	7, 16
	attempt	nqap
	mvc	8(8,%r12),CCOUT		# v0 cc
	record	1, 1			# v1 status
	lg	%r1,PGMCNT
	sg	%r1,PGMBEFORE
	stg	%r1,24(%r12)		# v2 interruptions
	jnz	.Lf7
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf7
	lg	%r1,SNAP_AFTER+8
	nilf	%r1,0x00ff0000
	jnz	.Lf7
	endcheck 7

	# ---- the reply arrives (TAPQ until R; the clock is QEMU's virtual) -----
	begin	C_REPLY_READY
	llilf	%r8,50000000
	lghi	%r9,0
1:	aghi	%r9,1
	bras	%r11,tapq
	llilf	%r1,SW_R
	ngr	%r1,%r2
	jnz	2f
	brctg	%r8,1b
2:	stg	%r2,8(%r12)		# v0 status
	stg	%r9,16(%r12)		# v1 TAPQs issued
	ltgr	%r1,%r1
	jz	.Lf8
	endcheck 8

	# ---- DQAP into storage beyond the end: addressing, reply kept ----------
	begin	C_DQAP_ADDR
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	setreg	6, MEM_END
	setreg	7, 4096
	attempt	dqap
	want_exc 9, 5, 4
	bras	%r11,tapq
	stg	%r2,48(%r12)		# v5 status afterwards: R
	llilf	%r1,SW_R
	ngr	%r2,%r1
	jz	.Lf9
	endcheck 9

	# ---- QCI into low-address-protected storage: protection, suppressed ----
	begin	C_QCI_LAP
	llilf	%r1,LAP_PAGE
	mvi	0(%r1),0xc3
	mvc	1(127,%r1),0(%r1)
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, LAP_PAGE
	stctg	%c0,%c0,TMPPSW
	oi	TMPPSW+4,0x10		# CR0 bit 35: low-address protection
	lctlg	%c0,%c0,TMPPSW
	attempt	pqap
	stctg	%c0,%c0,TMPPSW
	ni	TMPPSW+4,0xef
	lctlg	%c0,%c0,TMPPSW
	want_exc 19, 4, 4
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_lap-konst(%r10)
	jne	.Lf19
	llilf	%r1,LAP_PAGE
	clc	0(128,%r1),pattern_c3-konst(%r10)
	jne	.Lf19
	endcheck 19

	# ---- DAT on: identity map of the first MiB, one page invalid, one
	# page-protected; the rest of the 512 MiB segment table invalid --------
	llilf	%r1,SEGTAB
	lghi	%r2,0x20		# segment-invalid bit
	lghi	%r3,512
1:	stg	%r2,0(%r1)
	aghi	%r1,8
	brctg	%r3,1b
	llilf	%r1,PAGETAB
	llilf	%r2,SEGTAB
	stg	%r1,0(%r2)		# segment 0 -> page table, valid
	lghi	%r2,0
	lghi	%r3,256
1:	stg	%r2,0(%r1)
	aghi	%r1,8
	aghi	%r2,0x1000
	brctg	%r3,1b
	llilf	%r1,PAGETAB + (PG_INVALID >> 12) * 8
	oi	6(%r1),0x04		# page-invalid bit (53)
	llilf	%r1,PAGETAB + (PG_PROT >> 12) * 8
	oi	6(%r1),0x02		# page-protection bit (54)
	llilf	%r1,PAGETAB + (PG_PROT2 >> 12) * 8
	oi	6(%r1),0x02
	llilf	%r1,PG_PROT
	mvi	0(%r1),0xc3
	mvc	1(255,%r1),0(%r1)
	llilf	%r1,PG_PROT2-64
	mvi	0(%r1),0xc3
	mvc	1(127,%r1),0(%r1)
	# the secondary and home spaces: a copy with PG_GOOD invalid
	llilf	%r1,SEGTAB2
	lghi	%r2,0x20
	lghi	%r3,512
1:	stg	%r2,0(%r1)
	aghi	%r1,8
	brctg	%r3,1b
	llilf	%r1,PAGETAB2
	llilf	%r2,SEGTAB2
	stg	%r1,0(%r2)
	llilf	%r2,PAGETAB
	lghi	%r3,8
1:	mvc	0(256,%r1),0(%r2)
	aghi	%r1,256
	aghi	%r2,256
	brctg	%r3,1b
	llilf	%r1,PAGETAB2 + (PG_GOOD >> 12) * 8
	oi	6(%r1),0x04
	larl	%r1,cr1_asce
	lctlg	%c1,%c1,0(%r1)
	larl	%r1,cr7_asce
	lctlg	%c7,%c7,0(%r1)
	lctlg	%c13,%c13,0(%r1)
	oi	CURMASK,0x04		# DAT (PSW bit 5)
	stosm	TMPPSW,0x04

	# ---- QCI into the good page through the primary space: cc 0 ----------
	begin	C_QCI_DAT
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, PG_GOOD
	attempt	pqap
	mvc	8(8,%r12),CCOUT		# v0 cc
	llilf	%r1,PG_GOOD
	mvc	16(8,%r12),16(%r1)	# v1 APM bits 0-63
	lg	%r2,PGMCNT
	sg	%r2,PGMBEFORE
	stg	%r2,24(%r12)		# v2 interruptions
	jnz	.Lf26
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf26
	endcheck 26

	# ---- the same QCI in secondary-space mode (operands through CR7, where
	# the page is invalid): page translation, TEID space bits 10 ----------
	begin	C_QCI_SECONDARY
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, PG_GOOD
	setasc	2
	attempt	pqap
	setasc	0
	want_exc 24, 0x11, 0
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_secondary-konst(%r10)
	jne	.Lf24
	endcheck 24

	# ---- and in home-space mode (CR13): TEID space bits 11 ----------------
	begin	C_QCI_HOME
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, PG_GOOD
	setasc	3
	attempt	pqap
	setasc	0
	want_exc 25, 0x11, 0
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_home-konst(%r10)
	jne	.Lf25
	endcheck 25

	# ---- QCI into the invalid page: page translation, nullified ------------
	begin	C_QCI_PAGE
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, PG_INVALID
	attempt	pqap
	want_exc 10, 0x11, 0
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_qci-konst(%r10)
	jne	.Lf10
	endcheck 10

	# ---- NQAP message in the invalid page: page translation, nullified -----
	begin	C_NQAP_PAGE
	xc	REGIMG(80),REGIMG
	setreg	0, APQN | NQAP_L
	setreg	4, 0x33333333
	setreg	5, 0x44444444
	setreg	6, PG_INVALID
	setreg	7, 16
	attempt	nqap
	want_exc 11, 0x11, 0
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_nqap-konst(%r10)
	jne	.Lf11
	endcheck 11

	# ---- NQAP message whose first 8 bytes are mapped and the rest is in the
	# invalid page: page translation for the second page, nullified ---------
	begin	C_NQAP_PAGE_CROSS
	xc	REGIMG(80),REGIMG
	setreg	0, APQN | NQAP_L
	setreg	4, 0x77777777
	setreg	5, 0x88888888
	setreg	6, PG_INVALID-8
	setreg	7, 16
	attempt	nqap
	want_exc 31, 0x11, 0
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_nqap-konst(%r10)
	jne	.Lf31
	endcheck 31

	# ---- DQAP into the protected page: protection, suppressed --------------
	begin	C_DQAP_PROT
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	setreg	6, PG_PROT
	setreg	7, 4096
	attempt	dqap
	want_exc 12, 4, 4
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_dqap-konst(%r10)
	jne	.Lf12
	llilf	%r1,PG_PROT		# not one byte stored
	clc	0(8,%r1),pattern_c3-konst(%r10)
	jne	.Lf12
	endcheck 12

	# ---- QCI block across a page boundary into a protected page: protection
	# for the second page, and not one byte stored in the first ------------
	begin	C_QCI_PROT_CROSS
	xc	REGIMG(80),REGIMG
	setreg	0, FC_QCI
	setreg	2, PG_PROT2-64
	attempt	pqap
	want_exc 18, 4, 4
	mvc	48(8,%r12),LC_TEID	# v5 TEID
	clc	LC_TEID(8),teid_qci_cross-konst(%r10)
	jne	.Lf18
	llilf	%r1,PG_PROT2-64
	clc	0(128,%r1),pattern_c3-konst(%r10)
	jne	.Lf18
	endcheck 18

	# ---- the reply is still there: the DQAP consumed nothing ---------------
	begin	C_REPLY_KEPT
	bras	%r11,tapq
	stg	%r2,8(%r12)		# v0 status
	llilf	%r1,SW_R
	ngr	%r2,%r1
	jz	.Lf13
	endcheck 13

	# ---- DQAP into a good page: the type 82 reply, cc 0 --------------------
	begin	C_DQAP_REPLY
	llilf	%r1,PG_GOOD
	xc	0(16,%r1),0(%r1)
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	setreg	4, 0x5555555555555555
	setreg	5, 0x6666666666666666
	setreg	6, PG_GOOD
	setreg	7, 4096
	attempt	dqap
	mvc	8(8,%r12),CCOUT		# v0 cc
	record	1, 1			# v1 status
	llilf	%r1,PG_GOOD
	mvc	24(8,%r12),0(%r1)	# v2 reply bytes 0-7
	record	3, 4			# v3 GR4: PSMID high word in bits 32-63
	record	4, 5			# v4 GR5: PSMID low word in bits 32-63
	record	5, 7			# v5 GR7: buffer length left
	lg	%r2,PGMCNT
	sg	%r2,PGMBEFORE
	jnz	.Lf14
	clc	CCOUT(8),zero-konst(%r10)
	jne	.Lf14
	clc	0(8,%r1),reply_82_23-konst(%r10)
	jne	.Lf14
	clc	SNAP_AFTER+32(16),psmid_after-konst(%r10)
	jne	.Lf14
	lg	%r1,SNAP_AFTER+56
	cghi	%r1,4096-8
	jne	.Lf14
	bras	%r11,tapq		# and the queue is empty again
	stg	%r2,56(%r12)		# v6 status afterwards
	llilf	%r1,SW_E
	ngr	%r2,%r1
	jz	.Lf14
	endcheck 14

	# ---- DAT off; problem state: privileged operation -----------------------
	stnsm	TMPPSW,0xfb
	ni	CURMASK,0xfb
	larl	%r1,svc_back_new
	mvc	LC_SVC_NEW(16),0(%r1)
	oi	CURMASK+1,0x01		# problem state (PSW bit 15)
	larl	%r1,problem
	stg	%r1,TMPPSW+8
	mvc	TMPPSW(8),CURMASK
	lpswe	TMPPSW
problem:
	begin	C_PQAP_PRIV
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	attempt	pqap
	want_exc 15, 2, 4
	endcheck 15

	begin	C_NQAP_PRIV
	bras	%r11,request_to_good
	xc	REGIMG(80),REGIMG
	setreg	0, APQN | NQAP_L
	setreg	6, PG_GOOD
	setreg	7, 16
	attempt	nqap
	want_exc 16, 2, 4
	endcheck 16

	begin	C_DQAP_PRIV
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	setreg	6, PG_GOOD
	setreg	7, 4096
	attempt	dqap
	want_exc 17, 2, 4
	endcheck 17
	svc	0			# back to supervisor state at svc_back
svc_back:
	ni	CURMASK+1,0xfe
	larl	%r1,dead_svc
	mvc	LC_SVC_NEW(16),0(%r1)
	# the privileged NQAP must not have queued anything
	begin	C_NQAP_PRIV
	bras	%r11,tapq
	stg	%r2,48(%r12)		# v5 status afterwards: still empty
	llilf	%r1,SW_E
	ngr	%r2,%r1
	jnz	finish
	bras	%r11,fail
	j	finish

	# ---- no AP facility: each instruction is an operation exception --------
noap:
	lghi	%r1,2
	stg	%r1,8(%r13)		# mode: no AP
	begin	C_PQAP_OPER
	want_exc 20, 1, 4
	endcheck 20

	begin	C_NQAP_OPER
	bras	%r11,request_to_good
	xc	REGIMG(80),REGIMG
	setreg	0, APQN | NQAP_L
	setreg	6, PG_GOOD
	setreg	7, 16
	attempt	nqap
	want_exc 21, 1, 4
	endcheck 21

	begin	C_DQAP_OPER
	xc	REGIMG(80),REGIMG
	setreg	0, APQN
	setreg	6, PG_GOOD
	setreg	7, 4096
	attempt	dqap
	want_exc 22, 1, 4
	endcheck 22

	begin	C_STFLE_NOAP
	bras	%r11,stfle_bits
	ltgr	%r2,%r2
	jnz	.Lf23
	endcheck 23

	# ---- the outcome in the disabled-wait PSW ------------------------------
finish:
	lg	%r2,24(%r13)
	ltgr	%r2,%r2
	jz	1f
	llilf	%r1,0xbad000
	agr	%r1,%r2
	j	3f
1:	llilf	%r1,0x600da9
	lg	%r2,8(%r13)
	cghi	%r2,1
	je	3f
	llilf	%r1,0x600d00
3:	stg	%r1,32(%r13)
	stg	%r1,TMPPSW+8
	larl	%r2,wait_mask
	mvc	TMPPSW(8),0(%r2)
	lpswe	TMPPSW

# ---- subroutines (return through GR11) --------------------------------------

pass:	lghi	%r1,1
	stg	%r1,0(%r12)
	lg	%r1,16(%r13)
	aghi	%r1,1
	stg	%r1,16(%r13)
	br	%r11

fail:	lghi	%r1,2
	stg	%r1,0(%r12)
	lg	%r1,24(%r13)
	ltgr	%r1,%r1
	jnz	1f
	lgr	%r1,%r12
	sgr	%r1,%r13
	srlg	%r1,%r1,6
	stg	%r1,24(%r13)
1:	br	%r11

# The last attempt raised code GR2 with the old PSW at the instruction + GR3,
# ILC 4, every GR unchanged.  v0 interruptions, v1 code, v2 ILC, v3 old PSW
# address, v4 the address expected, v6 1 when the GRs are unchanged.
# Out: GR2 = 0 when all holds.
exc_eval:
	lghi	%r5,0
	lg	%r1,PGMCNT
	sg	%r1,PGMBEFORE
	stg	%r1,8(%r12)
	cghi	%r1,1
	je	1f
	lghi	%r5,1
1:	llgh	%r1,LC_PGM_CODE
	stg	%r1,16(%r12)
	cgr	%r1,%r2
	je	1f
	lghi	%r5,1
1:	llgh	%r1,LC_PGM_ILC
	stg	%r1,24(%r12)
	cghi	%r1,4
	je	1f
	lghi	%r5,1
1:	lg	%r1,LC_PGM_OLD+8
	stg	%r1,32(%r12)
	lg	%r4,INSADDR
	agr	%r4,%r3
	stg	%r4,40(%r12)
	cgr	%r1,%r4
	je	1f
	lghi	%r5,1
1:	lghi	%r1,1
	clc	SNAP_BEFORE(128),SNAP_AFTER
	je	1f
	lghi	%r1,0
	lghi	%r5,1
1:	stg	%r1,56(%r12)
	lgr	%r2,%r5
	br	%r11

# PQAP(TAPQ) 03.0006; out: GR2 = the status word (GR1).  GR0-2 clobbered.
tapq:	lghi	%r0,APQN
	lghi	%r2,0
	pqap
	lgr	%r2,%r1
	br	%r11

# STFLE; v0, v1 = facility doublewords 0 and 1; out: GR2 = bit 0: facility 12,
# bit 1: 15, bit 2: 65.
stfle_bits:
	lghi	%r0,1
	stfle	FACS
	mvc	8(8,%r12),FACS
	mvc	16(8,%r12),FACS+8
	lghi	%r2,0
	tm	FACS+1,0x08		# facility 12: QCI
	jz	1f
	oill	%r2,1
1:	tm	FACS+1,0x01		# facility 15: APFT
	jz	1f
	oill	%r2,2
1:	tm	FACS+8,0x40		# facility 65: AQIC
	jz	1f
	oill	%r2,4
1:	stg	%r2,24(%r12)		# v2
	br	%r11

# A 16-byte type 50 request at PG_GOOD whose length field says 0: the
# accelerator answers with a type 82 reply, code 0x23 (invalid length).
request_to_good:
	llilf	%r1,PG_GOOD
	xc	0(16,%r1),0(%r1)
	mvi	1(%r1),0x50
	br	%r11

# The program-interruption handler: count, restore every GR, resume.
pgm_handler:
	stmg	%r0,%r15,SAVE
	lg	%r1,PGMCNT
	aghi	%r1,1
	stg	%r1,PGMCNT
	lmg	%r0,%r15,SAVE
	lpswe	RESUME

# ---- constants ---------------------------------------------------------------
	.align	8
init_psw:	.quad	0x0000000180000000, start64
pgm_new:	.quad	0x0000000180000000, pgm_handler
svc_back_new:	.quad	0x0000000180000000, svc_back
wait_mask:	.quad	0x0002000180000000
dead_restart:	.quad	0x0002000180000000, 0xdead01
dead_ext:	.quad	0x0002000180000000, 0xdead02
dead_svc:	.quad	0x0002000180000000, 0xdead03
dead_mcck:	.quad	0x0002000180000000, 0xdead04
dead_io:	.quad	0x0002000180000000, 0xdead05
dead_pgm:	.quad	0x0002000180000000, 0xdead06
cr1_asce:	.quad	SEGTAB			# segment table, length 512 entries
cr7_asce:	.quad	SEGTAB2
konst:
magic:		.ascii	"S390APEX"
zero:		.quad	0, 0, 0, 0
apm_03_04_05:	.quad	0x1c00000000000000
teid_qci:	.quad	PG_INVALID | 0x400	# store; primary space
teid_nqap:	.quad	PG_INVALID | 0x800	# fetch; primary space
teid_dqap:	.quad	PG_PROT | 0x400 | 0x4	# store; DAT protection
reply_82_23:	.quad	0x0082000023000000
psmid_after:	.quad	0x5555555512345678, 0x666666669abcdef0
pattern5a:	.fill	64, 1, 0x5a
teid_lap:	.quad	LAP_PAGE | 0x400 | 0x80	# store; low-address protection
teid_secondary:	.quad	PG_GOOD | 0x400 | 2	# store; secondary space
teid_home:	.quad	PG_GOOD | 0x400 | 3	# store; home space
teid_qci_cross:	.quad	PG_PROT2 | 0x400 | 0x4	# the second page
pattern_c3:	.fill	128, 1, 0xc3
