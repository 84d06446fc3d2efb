/* apsim's built-in material: the default scenario (a short tour of what the
 * system does today) and the programs it runs. */
#include <string.h>

#include "builtin.h"

/* The tour program, assembled once with
 *
 *   s390x-linux-gnu-as -o tour.o tour.S
 *   s390x-linux-gnu-ld -Ttext=0x10000 -e _start -o tour.elf tour.o
 *   s390x-linux-gnu-objcopy -O binary tour.elf tour.bin
 *
 * from tests/asm/tour.S (tests/scenarios/tour_image.scn checks that these
 * bytes are what it assembles to):
 *
 * # tour.S - the program of apsim's built-in tour (tools/apsim/builtin.c holds
 * # its bytes; this file keeps the source assembled with the tests, and
 * # tests/scenarios/tour_image.scn checks the two agree).
 * #
 * # Works on APQN 03.0006 of the default machine.  Each DIAG 0x44 pauses the
 * # program so the scenario can show and check what happened; `resume`
 * # continues after the DIAG.  Fixed addresses: QCI block 0x2000, NIB 0x2100,
 * # request 0x3000, reply 0x4000.  Ends with exit 0 (DIAG 0x500, GR2 = 0).
 *         .text
 *         .globl  _start
 * _start:
 *         lghi    %r9,0x0306              # APQN 03.0006
 *         # 1. QCI
 *         llilf   %r0,0x04000000          # FC 4 = QCI
 *         lghi    %r2,0x2000
 *         .insn   rre,0xb2af0000,0,0      # PQAP(QCI)
 *         diag    0,0,0x44                # pause 1
 *         # 2. TAPQ with the T bit
 *         llilf   %r0,0x00800000          # FC 0 = TAPQ, bit 40 = T
 *         ogr     %r0,%r9
 *         .insn   rre,0xb2af0000,0,0      # PQAP(TAPQ)
 *         diag    0,0,0x44                # pause 2
 *         # 3. RAPQ, and TAPQ while the reset runs
 *         llilf   %r0,0x01000000          # FC 1 = RAPQ
 *         ogr     %r0,%r9
 *         .insn   rre,0xb2af0000,0,0      # PQAP(RAPQ)
 *         lgr     %r0,%r9
 *         .insn   rre,0xb2af0000,0,0      # PQAP(TAPQ): RC 0x02
 *         diag    0,0,0x44                # pause 3
 *         lghi    %r8,0                   # TAPQ until the reset is complete
 * poll:   aghi    %r8,1
 *         lgr     %r0,%r9
 *         .insn   rre,0xb2af0000,0,0
 *         jnz     poll
 *         diag    0,0,0x44                # pause 4
 *         # 4. AQIC: I/O new PSW, CR6 ISC 6, enable with the NIB at 0x2100
 *         larl    %r1,io_new_psw
 *         mvc     0x1f0(16,%r0),0(%r1)
 *         larl    %r1,cr6
 *         lctlg   %c6,%c6,0(%r1)
 *         llilf   %r0,0x03000000          # FC 3 = AQIC
 *         ogr     %r0,%r9
 *         llihf   %r1,0x00008000  # GR1 bit 16: enable
 *         oill    %r1,6                   # ISC 6
 *         lghi    %r2,0x2100              # NIB
 *         .insn   rre,0xb2af0000,0,0      # PQAP(AQIC)
 *         diag    0,0,0x44                # pause 5
 *         # 5. NQAP a type 50 request built at 0x3000, DQAP before the reply
 *         lghi    %r6,0x3000              # storage is zero: set the non-zero bytes
 *         mvi     1(%r6),0x50             # type 50 (RSA ME, 1024-bit)
 *         mvi     2(%r6),0x01             # length 0x0118
 *         mvi     3(%r6),0x18
 *         mvi     9(%r6),0x01
 *         llilf   %r0,0x40000000          # NQAP GR0 bit 33: last part
 *         ogr     %r0,%r9
 *         llilf   %r4,0x12345678          # PSMID 12345678 00000001
 *         lghi    %r5,1
 *         lghi    %r7,0x118
 *         .insn   rre,0xb2ad0000,%r4,%r6  # NQAP
 *         lgr     %r0,%r9
 *         lghi    %r2,0                   # DQAP: start a new reply
 *         lghi    %r6,0x4000
 *         lghi    %r7,0x1000
 *         .insn   rre,0xb2ae0000,%r4,%r6  # DQAP: RC 0x10, E off
 *         diag    0,0,0x44                # pause 6
 *         # 6. wait enabled for the adapter interruption
 *         larl    %r1,wait_psw
 *         lpswe   0(%r1)
 * io_handler:
 *         llgf    %r12,0xc0               # I/O interruption word
 *         lgr     %r0,%r9
 *         lghi    %r2,0
 *         lghi    %r4,0
 *         lghi    %r5,0
 *         lghi    %r6,0x4000
 *         lghi    %r7,0x1000
 *         .insn   rre,0xb2ae0000,%r4,%r6  # DQAP the reply
 *         diag    0,0,0x44                # pause 7
 *         lghi    %r2,0
 *         diag    0,0,0x500               # exit 0
 *         .balign 8
 * io_new_psw:
 *         .quad   0x0000000180000000, io_handler
 * wait_psw:                               # I/O enabled + wait; never resumes here
 *         .quad   0x0202000180000000, 0
 * cr6:    .quad   0x0000000002000000      # ISC 6
 */
static const uint8_t tour_image[] = {
	0xa7, 0x99, 0x03, 0x06, 0xc0, 0x0f, 0x04, 0x00, 0x00, 0x00, 0xa7, 0x29,
	0x20, 0x00, 0xb2, 0xaf, 0x00, 0x00, 0x83, 0x00, 0x00, 0x44, 0xc0, 0x0f,
	0x00, 0x80, 0x00, 0x00, 0xb9, 0x81, 0x00, 0x09, 0xb2, 0xaf, 0x00, 0x00,
	0x83, 0x00, 0x00, 0x44, 0xc0, 0x0f, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x81,
	0x00, 0x09, 0xb2, 0xaf, 0x00, 0x00, 0xb9, 0x04, 0x00, 0x09, 0xb2, 0xaf,
	0x00, 0x00, 0x83, 0x00, 0x00, 0x44, 0xa7, 0x89, 0x00, 0x00, 0xa7, 0x8b,
	0x00, 0x01, 0xb9, 0x04, 0x00, 0x09, 0xb2, 0xaf, 0x00, 0x00, 0xa7, 0x74,
	0xff, 0xfa, 0x83, 0x00, 0x00, 0x44, 0xc0, 0x10, 0x00, 0x00, 0x00, 0x5f,
	0xd2, 0x0f, 0x01, 0xf0, 0x10, 0x00, 0xc0, 0x10, 0x00, 0x00, 0x00, 0x69,
	0xeb, 0x66, 0x10, 0x00, 0x00, 0x2f, 0xc0, 0x0f, 0x03, 0x00, 0x00, 0x00,
	0xb9, 0x81, 0x00, 0x09, 0xc0, 0x1e, 0x00, 0x00, 0x80, 0x00, 0xa5, 0x1b,
	0x00, 0x06, 0xa7, 0x29, 0x21, 0x00, 0xb2, 0xaf, 0x00, 0x00, 0x83, 0x00,
	0x00, 0x44, 0xa7, 0x69, 0x30, 0x00, 0x92, 0x50, 0x60, 0x01, 0x92, 0x01,
	0x60, 0x02, 0x92, 0x18, 0x60, 0x03, 0x92, 0x01, 0x60, 0x09, 0xc0, 0x0f,
	0x40, 0x00, 0x00, 0x00, 0xb9, 0x81, 0x00, 0x09, 0xc0, 0x4f, 0x12, 0x34,
	0x56, 0x78, 0xa7, 0x59, 0x00, 0x01, 0xa7, 0x79, 0x01, 0x18, 0xb2, 0xad,
	0x00, 0x46, 0xb9, 0x04, 0x00, 0x09, 0xa7, 0x29, 0x00, 0x00, 0xa7, 0x69,
	0x40, 0x00, 0xa7, 0x79, 0x10, 0x00, 0xb2, 0xae, 0x00, 0x46, 0x83, 0x00,
	0x00, 0x44, 0xc0, 0x10, 0x00, 0x00, 0x00, 0x27, 0xb2, 0xb2, 0x10, 0x00,
	0xe3, 0xc0, 0x00, 0xc0, 0x00, 0x16, 0xb9, 0x04, 0x00, 0x09, 0xa7, 0x29,
	0x00, 0x00, 0xa7, 0x49, 0x00, 0x00, 0xa7, 0x59, 0x00, 0x00, 0xa7, 0x69,
	0x40, 0x00, 0xa7, 0x79, 0x10, 0x00, 0xb2, 0xae, 0x00, 0x46, 0x83, 0x00,
	0x00, 0x44, 0xa7, 0x29, 0x00, 0x00, 0x83, 0x00, 0x05, 0x00, 0x07, 0x07,
	0x07, 0x07, 0x07, 0x07, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0xe4, 0x02, 0x02, 0x00, 0x01,
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
};

/* The rsa program, assembled the same way from tests/asm/rsa.S
 * (tests/scenarios/rsa_image.scn checks that these bytes are what it
 * assembles to; the rsa_*.scn and cca_*.scn scenarios run its ELF):
 *
 * # rsa.S - NQAP the request in storage, DQAP its reply: the guest side of
 * # the RSA and CCA scenarios (tests/scenarios/rsa_*.scn, cca_*.scn) and of
 * # the default scenario's last steps (apsim's built-in program `rsa` is this
 * # file's image, tools/apsim/builtin.c; rsa_image.scn checks the bytes).
 * # Any request works; the scenario writes it, usually with `request`.
 * #
 * # In:  GR9  = APQN
 * #      GR7  = request length
 * #      GR10 = bytes per NQAP part (0: the whole request in one NQAP); parts
 * #             before the last go with the L bit off
 * #      GR11 = DQAP buffer length (0: 0x3000, the 12 KiB maximum); when the
 * #             reply is longer, DQAP fills one buffer after the other (cc 1)
 * #      GR12 = request address (0: 0x20000)
 * #      GR13 = reply address (0: 0x30000)
 * # Out: the reply at GR13, its length in GR3
 * #      GR8  = NQAP executions (cc 2 repeats included)
 * #      GR14 = DQAP executions that stored reply bytes
 * #      GR15 = DQAPs that found no reply yet (RC 0x10)
 * #      GR4/GR5 = the PSMID, 72736120 00000001 ("rsa ", 1)
 * # Ends with DIAG 0x500: exit 0, or 1 when NQAP answered cc 3, 2 when DQAP
 * # answered a response code other than 0x10, 3 when the reply's PSMID is
 * # not the request's (GR1 holds the status word).
 *         .text
 *         .globl  _start
 * _start:
 *         ltgr    %r12,%r12               # default addresses
 *         jnz     1f
 *         llilf   %r12,0x20000
 * 1:      ltgr    %r13,%r13
 *         jnz     2f
 *         llilf   %r13,0x30000
 * 2:      ltgr    %r11,%r11
 *         jnz     3f
 *         lghi    %r11,0x3000
 * 3:      llilf   %r4,0x72736120          # PSMID "rsa " 00000001
 *         lghi    %r5,1
 *         lghi    %r8,0
 *         lgr     %r6,%r12
 *         lgr     %r14,%r7                # GR14: bytes not sent yet
 *         # NQAP, part after part
 * part:   lgr     %r7,%r14                # this part: everything left ...
 *         lgr     %r0,%r9
 *         oilf    %r0,0x40000000          # ... with the L bit (GR0 bit 33)
 *         ltgr    %r10,%r10
 *         jz      send
 *         clgr    %r14,%r10
 *         jle     send
 *         lgr     %r7,%r10                # ... or GR10 bytes without it
 *         lgr     %r0,%r9
 * send:   sgr     %r14,%r7
 * nqap:   aghi    %r8,1
 *         .insn   rre,0xb2ad0000,%r4,%r6  # NQAP (advances GR6, counts down GR7)
 *         brc     2,nqap                  # cc 2: CPU-determined amount, go on
 *         brc     1,fail_nq               # cc 3
 *         ltgr    %r14,%r14               # cc 0 (last part) or 1 (part kept)
 *         jnz     part
 *         # DQAP into buffers of GR11 bytes until the reply is complete
 *         lghi    %r14,0
 *         lghi    %r15,0
 *         lgr     %r6,%r13
 *         lgr     %r7,%r11
 *         lghi    %r2,0                   # residual 0: start a new reply
 * dqap:   lgr     %r0,%r9
 *         .insn   rre,0xb2ae0000,%r4,%r6  # DQAP
 *         brc     8,done                  # cc 0: complete
 *         brc     1,norep                 # cc 3: no reply yet?
 *         aghi    %r14,1                  # cc 1: buffer full, cc 2: CPU-determined
 *         ltgr    %r7,%r7
 *         jnz     dqap
 *         lgr     %r7,%r11                # the next buffer, right after the last
 *         j       dqap
 * norep:  srlg    %r3,%r1,16              # response code: GR1 bits 40-47
 *         nill    %r3,0xff
 *         chi     %r3,0x10
 *         jne     fail_dq
 *         aghi    %r15,1
 *         j       dqap
 * done:   aghi    %r14,1
 *         lgr     %r3,%r6                 # reply length: how far GR6 advanced
 *         sgr     %r3,%r13
 *         clgfi   %r4,0x72736120          # the PSMID came back
 *         jne     fail_id
 *         chi     %r5,1
 *         jne     fail_id
 *         lghi    %r2,0
 *         diag    0,0,0x500
 * fail_nq:
 *         lghi    %r2,1
 *         diag    0,0,0x500
 * fail_dq:
 *         lghi    %r2,2
 *         diag    0,0,0x500
 * fail_id:
 *         lghi    %r2,3
 *         diag    0,0,0x500
 */
static const uint8_t rsa_image[] = {
	0xb9, 0x02, 0x00, 0xcc, 0xa7, 0x74, 0x00, 0x05, 0xc0, 0xcf, 0x00, 0x02,
	0x00, 0x00, 0xb9, 0x02, 0x00, 0xdd, 0xa7, 0x74, 0x00, 0x05, 0xc0, 0xdf,
	0x00, 0x03, 0x00, 0x00, 0xb9, 0x02, 0x00, 0xbb, 0xa7, 0x74, 0x00, 0x04,
	0xa7, 0xb9, 0x30, 0x00, 0xc0, 0x4f, 0x72, 0x73, 0x61, 0x20, 0xa7, 0x59,
	0x00, 0x01, 0xa7, 0x89, 0x00, 0x00, 0xb9, 0x04, 0x00, 0x6c, 0xb9, 0x04,
	0x00, 0xe7, 0xb9, 0x04, 0x00, 0x7e, 0xb9, 0x04, 0x00, 0x09, 0xc0, 0x0d,
	0x40, 0x00, 0x00, 0x00, 0xb9, 0x02, 0x00, 0xaa, 0xa7, 0x84, 0x00, 0x0a,
	0xb9, 0x21, 0x00, 0xea, 0xa7, 0xc4, 0x00, 0x06, 0xb9, 0x04, 0x00, 0x7a,
	0xb9, 0x04, 0x00, 0x09, 0xb9, 0x09, 0x00, 0xe7, 0xa7, 0x8b, 0x00, 0x01,
	0xb2, 0xad, 0x00, 0x46, 0xa7, 0x24, 0xff, 0xfc, 0xa7, 0x14, 0x00, 0x42,
	0xb9, 0x02, 0x00, 0xee, 0xa7, 0x74, 0xff, 0xe1, 0xa7, 0xe9, 0x00, 0x00,
	0xa7, 0xf9, 0x00, 0x00, 0xb9, 0x04, 0x00, 0x6d, 0xb9, 0x04, 0x00, 0x7b,
	0xa7, 0x29, 0x00, 0x00, 0xb9, 0x04, 0x00, 0x09, 0xb2, 0xae, 0x00, 0x46,
	0xa7, 0x84, 0x00, 0x1b, 0xa7, 0x14, 0x00, 0x0c, 0xa7, 0xeb, 0x00, 0x01,
	0xb9, 0x02, 0x00, 0x77, 0xa7, 0x74, 0xff, 0xf4, 0xb9, 0x04, 0x00, 0x7b,
	0xa7, 0xf4, 0xff, 0xf0, 0xeb, 0x31, 0x00, 0x10, 0x00, 0x0c, 0xa5, 0x37,
	0x00, 0xff, 0xa7, 0x3e, 0x00, 0x10, 0xa7, 0x74, 0x00, 0x1d, 0xa7, 0xfb,
	0x00, 0x01, 0xa7, 0xf4, 0xff, 0xe3, 0xa7, 0xeb, 0x00, 0x01, 0xb9, 0x04,
	0x00, 0x36, 0xb9, 0x09, 0x00, 0x3d, 0xc2, 0x4e, 0x72, 0x73, 0x61, 0x20,
	0xa7, 0x74, 0x00, 0x12, 0xa7, 0x5e, 0x00, 0x01, 0xa7, 0x74, 0x00, 0x0e,
	0xa7, 0x29, 0x00, 0x00, 0x83, 0x00, 0x05, 0x00, 0xa7, 0x29, 0x00, 0x01,
	0x83, 0x00, 0x05, 0x00, 0xa7, 0x29, 0x00, 0x02, 0x83, 0x00, 0x05, 0x00,
	0xa7, 0x29, 0x00, 0x03, 0x83, 0x00, 0x05, 0x00,
};

static const struct apsim_builtin builtins[] = {
	{ "tour", "the default tour: QCI, TAPQ, RAPQ, AQIC, NQAP, DQAP, an adapter interruption",
	  0x10000, 0x10000, tour_image, sizeof(tour_image) },
	{ "rsa", "NQAP the request at 0x20000 to the APQN in GR9, DQAP its reply to 0x30000",
	  0x10000, 0x10000, rsa_image, sizeof(rsa_image) },
};

const struct apsim_builtin *apsim_builtin_find(const char *name)
{
	for (size_t k = 0; k < sizeof(builtins) / sizeof(builtins[0]); k++)
		if (strcmp(builtins[k].name, name) == 0)
			return &builtins[k];
	return NULL;
}

const char *apsim_builtin_names(void)
{
	return "tour, rsa";
}

/* The default scenario.  `apsim --show-default` prints it; it is a good
 * start for a scenario of your own (docs/scenario.md). */
const char apsim_default_scenario[] =
	"# apsim's built-in tour: the default machine, then real s390x code doing\n"
	"# QCI, TAPQ, RAPQ, AQIC, NQAP and DQAP on queue 03.0006, taking the\n"
	"# adapter interruption the reply raises, an RSA operation on 03.0006 and\n"
	"# random numbers from the CCA coprocessor 04.0006.\n"
	"echo \"The default machine (adapters 03 04 05; usage domains 6, 7, 0x47):\"\n"
	"print config\n"
	"echo\n"
	"echo \"The built-in program 'tour' runs at 0x10000; each DIAG 0x44 pauses it here.\"\n"
	"load builtin tour\n"
	"echo\n"
	"echo \"1. PQAP(QCI) stores the configuration at 0x2000: APM +16, AQM +48, ADM +80\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect storage 0x2010 == 1c                        # adapters 03 04 05\n"
	"expect storage 0x2030 == 03 00 00 00 00 00 00 00 01 # domains 6 7 0x47\n"
	"print storage 0x2000 0x60\n"
	"resume\n"
	"echo\n"
	"echo \"2. PQAP(TAPQ) with the T bit: status in GR1, facilities and type in GR2\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 1 == 0x80000000                          # E: the queue is empty\n"
	"expect gr 2 & 0xff000000 == 0x0e000000             # AP type 14 (CEX8)\n"
	"print sw\n"
	"print gr 2\n"
	"resume\n"
	"echo\n"
	"echo \"3. PQAP(RAPQ), then TAPQ while the reset runs: RC 0x02\"\n"
	"run until halt\n"
	"expect gr 1 & 0xff0000 == 0x020000\n"
	"print sw\n"
	"resume\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 8 > 1\n"
	"echo \"   the reset completed; TAPQs until then (GR8):\"\n"
	"print gr 8\n"
	"resume\n"
	"echo\n"
	"echo \"4. PQAP(AQIC): interruptions on, ISC 6, NIB at 0x2100 (CR6 enables ISC 6)\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"print sw\n"
	"resume\n"
	"echo\n"
	"echo \"5. NQAP a type 50 request, then DQAP at once: RC 0x10, E off (in process)\"\n"
	"run until halt\n"
	"expect gr 1 & 0x80ff0000 == 0x00100000\n"
	"expect queue 03.0006 requests == 1\n"
	"print sw\n"
	"resume\n"
	"echo\n"
	"echo \"6. Enabled wait; the reply raises an adapter interruption; the handler DQAPs\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 12 == 0xb0000000                         # I/O interruption word: ISC 6\n"
	"expect irq-count 6 == 1\n"
	"expect stat io == 1\n"
	"expect storage 0x2100 == 01                        # NIB set by the adapter\n"
	"expect storage 0x4001 == 82          # a type 82 reply: 0x118 bytes is no type 50 block\n"
	"print sw\n"
	"print gr 4 5\n"
	"print storage 0x4000 8\n"
	"resume\n"
	"run until halt\n"
	"expect state halted\n"
	"expect exit == 0\n"
	"echo\n"
	"echo \"7. RSA-1024 on 03.0006: apsim writes a type 50 ME request at 0x20000; the\"\n"
	"echo \"   built-in program 'rsa' NQAPs it and DQAPs the type 80 reply to 0x30000\"\n"
	"# n: the modulus of a fixed test key (openssl genrsa 1024); m: \"Hello, s390ap\"\n"
	"let n = 0x"
	"bcb85c6c48ff3c7f5b367957ab2203454f12871aec686b9bedd0e81783f48f41"
	"4aaac47b6d9906f939db1ea657e79dd8eacb570c2fd46da05d7a9a953e408011"
	"dda7c555653ce755cc6edd6a8993ad8022c54160dff2c0a286944dac6037805b"
	"e2efdeb0da3c6e5411136d19ab570646d9e60f8ee744d9880410b5e986408ad3\n"
	"let m = 0x48656c6c6f2c20733339306170\n"
	"load builtin rsa\n"
	"request type50 me at 0x20000 modulus n exponent 65537 message m length len\n"
	"set gr 9 0x0306                                    # the APQN\n"
	"set gr 7 len                                       # the request's length (0x190)\n"
	"run until halt\n"
	"expect exit == 0\n"
	"expect reply 0x30000 type == 0x80\n"
	"expect reply 0x30000 result == modexp m 65537 n    # m^e mod n, by apsim with OpenSSL\n"
	"print reply 0x30000\n"
	"echo\n"
	"echo \"8. CCA on 04.0006: 16 random bytes (\\\"RL\\\"), a type 6 request, a type 86 reply\"\n"
	"start\n"
	"request cca rl at 0x20000 count 16 length rl\n"
	"set gr 9 0x0406\n"
	"set gr 7 rl\n"
	"run until halt\n"
	"expect exit == 0\n"
	"expect reply 0x30000 rc == 0                       # CCA return code 0\n"
	"expect reply 0x30000 data-length == 16\n"
	"print reply 0x30000\n"
	"print storage 0x30114 16                           # the data block at offset2 0x114\n"
	"echo\n"
	"echo \"After the tour:\"\n"
	"print config\n";
