/* SPDX-License-Identifier: MIT */
# qci.S - PQAP(QCI): store the 128-byte AP configuration block at 0x2000.
#
# Out: the QCI block at 0x2000 (APM at +16, AQM at +48, ADM at +80); cc;
#      halts with DIAG 0x44.
	.text
	.globl	_start
_start:
	llilf	%r0,0x04000000		# FC 4 = QCI
	lghi	%r2,0x2000		# GR2: block address (doubleword aligned)
	.insn	rre,0xb2af0000,0,0	# PQAP(QCI)
	diag	0,0,0x44
