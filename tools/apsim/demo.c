/* The default tour: the default machine's configuration, then TAPQ, RAPQ,
 * AQIC, NQAP and DQAP issued through s390ap_execute with a register file,
 * the way an emulator with its own CPU would call the library. */
#include <inttypes.h>
#include <string.h>

#include "demo.h"
#include "listing.h"

#define STORAGE_SIZE (1u << 20)
#define NIB_ADDR 0x1000u
#define QCI_ADDR 0x2000u
#define REQ_ADDR 0x3000u
#define REPLY_ADDR 0x8000u
#define REQ_LEN 0x118u /* type 50 ME 1024-bit: header, exponent, modulus, message */

#define PQAP 0xB2AF0000u
#define NQAP_R4_R6 0xB2AD0046u
#define DQAP_R4_R6 0xB2AE0046u

struct tour {
	FILE *out;
	s390ap_machine *m;
	s390ap_mem *mem;
	s390ap_storage st;
	uint64_t gr[16];
	s390ap_insn_ctx ctx;
	int failures;
};

static void exec(struct tour *t, const char *what, uint32_t insn, s390ap_insn_result *res)
{
	char sw[32];

	if (s390ap_execute(t->m, &t->ctx, insn, res) < 0) {
		fprintf(t->out, "  %-34s library error: %s\n", what, s390ap_machine_errmsg(t->m));
		t->failures++;
		return;
	}
	if (res->pgm)
		fprintf(t->out, "  %-34s program interruption 0x%04x\n", what, res->pgm);
	else if (res->sw_stored)
		fprintf(t->out, "  %-34s cc %u  GR1 %016" PRIx64 "  %s\n", what, res->cc, t->gr[1],
			apsim_sw_text((uint32_t)t->gr[1], sw, sizeof(sw)));
	else
		fprintf(t->out, "  %-34s cc %u\n", what, res->cc);
}

static void expect(struct tour *t, bool ok, const char *what)
{
	if (!ok) {
		fprintf(t->out, "  !! unexpected result: %s\n", what);
		t->failures++;
	}
}

static void pqap(struct tour *t, const char *what, uint64_t gr0, s390ap_insn_result *res)
{
	t->gr[0] = gr0;
	exec(t, what, PQAP, res);
}

static void advance(struct tour *t, uint64_t cycles)
{
	s390ap_machine_advance(t->m, cycles);
	fprintf(t->out, "  ... %" PRIu64 " cycles later (clock %" PRIu64 ")\n", cycles,
		s390ap_machine_now(t->m));
}

static void step_tapq(struct tour *t, uint16_t apqn)
{
	s390ap_insn_result r;
	uint64_t gr2;

	fprintf(t->out, "\nTAPQ with the T bit on %02x.%04x\n", apqn >> 8, apqn & 0xff);
	pqap(t, "PQAP(TAPQ,T)", S390AP_GR0_T | apqn, &r);
	gr2 = t->gr[2];
	fprintf(t->out, "  GR2 %016" PRIx64 ": facilities %08" PRIx32 ", type %u, nd %u, ml %u, qd %u\n",
		gr2, (uint32_t)(gr2 >> 32), (unsigned)(gr2 >> 24) & 0xff,
		(unsigned)(gr2 >> 16) & 0xff, (unsigned)(gr2 >> 8) & 0xf, (unsigned)gr2 & 0xf);
	expect(t, r.cc == 0 && (t->gr[1] & S390AP_SW_E), "TAPQ should end cc 0 with E");
}

static void step_reset(struct tour *t, uint16_t apqn)
{
	s390ap_insn_result r;

	fprintf(t->out, "\nRAPQ, then TAPQ while the reset runs and after it completes\n");
	pqap(t, "PQAP(RAPQ)", (uint64_t)S390AP_FC_RAPQ << 24 | apqn, &r);
	expect(t, r.cc == 0, "RAPQ accepted");
	pqap(t, "PQAP(TAPQ)", apqn, &r);
	expect(t, r.rc == S390AP_RC_RESET_IN_PROGRESS, "TAPQ during reset gives RC 0x02");
	advance(t, S390AP_DEFAULT_RESET_CYCLES);
	pqap(t, "PQAP(TAPQ)", apqn, &r);
	expect(t, r.cc == 0, "TAPQ after reset gives RC 0");
}

static void step_aqic(struct tour *t, uint16_t apqn)
{
	s390ap_insn_result r;

	fprintf(t->out, "\nAQIC: enable interruptions, ISC 6, NIB at 0x%x\n", NIB_ADDR);
	t->gr[1] = S390AP_AQIC_IR | 6;
	t->gr[2] = NIB_ADDR;
	pqap(t, "PQAP(AQIC,enable)", (uint64_t)S390AP_FC_AQIC << 24 | apqn, &r);
	expect(t, r.cc == 0, "AQIC enable accepted");
	pqap(t, "PQAP(TAPQ)  I bit still off", apqn, &r);
	advance(t, S390AP_DEFAULT_IRQ_CYCLES);
	pqap(t, "PQAP(TAPQ)  I bit now on", apqn, &r);
	expect(t, (t->gr[1] & S390AP_SW_I) != 0, "I bit on after the delay");
	t->gr[1] = S390AP_AQIC_IR | 6;
	t->gr[2] = NIB_ADDR;
	pqap(t, "PQAP(AQIC,enable) again", (uint64_t)S390AP_FC_AQIC << 24 | apqn, &r);
	expect(t, r.rc == S390AP_RC_OTHERWISE_CHANGED, "second enable gives RC 0x07");
}

static void step_request(struct tour *t, uint16_t apqn)
{
	uint8_t *mem = s390ap_mem_data(t->mem);
	s390ap_insn_result r;

	fprintf(t->out, "\nNQAP a type 50 request (PSMID 0x1234567800000001), DQAP its reply\n");
	memset(mem + REQ_ADDR, 0, REQ_LEN);
	mem[REQ_ADDR + 1] = 0x50;
	mem[REQ_ADDR + 2] = REQ_LEN >> 8;
	mem[REQ_ADDR + 3] = REQ_LEN & 0xff;
	mem[REQ_ADDR + 9] = 0x01; /* MEB1 */
	t->gr[0] = S390AP_NQAP_L | apqn;
	t->gr[4] = 0x12345678;
	t->gr[5] = 0x00000001;
	t->gr[6] = REQ_ADDR;
	t->gr[7] = REQ_LEN;
	exec(t, "NQAP", NQAP_R4_R6, &r);
	expect(t, r.cc == 0, "NQAP accepted");

	t->gr[0] = S390AP_DQAP_BIT32 | apqn;
	t->gr[2] = t->gr[4] = t->gr[5] = 0;
	t->gr[6] = REPLY_ADDR;
	t->gr[7] = 4096;
	exec(t, "DQAP  reply not ready yet", DQAP_R4_R6, &r);
	expect(t, r.rc == S390AP_RC_NO_PENDING_REPLY && !(t->gr[1] & S390AP_SW_E),
	       "DQAP gives RC 0x10 with E off while the request runs");

	advance(t, s390ap_machine_next_event(t->m) - s390ap_machine_now(t->m));
	fprintf(t->out, "  adapter interruption pending for ISC mask %02x, NIB byte %02x\n",
		s390ap_machine_irq_pending(t->m), mem[NIB_ADDR]);
	expect(t, s390ap_machine_irq_ack(t->m, 6) == 1, "ISC 6 pending");

	t->gr[0] = S390AP_DQAP_BIT32 | apqn;
	t->gr[2] = 0;
	t->gr[6] = REPLY_ADDR;
	t->gr[7] = 4096;
	exec(t, "DQAP", DQAP_R4_R6, &r);
	fprintf(t->out, "  PSMID %08" PRIx64 "%08" PRIx64 ", %" PRIu64 " bytes:", t->gr[4] & 0xffffffff,
		t->gr[5] & 0xffffffff, 4096 - t->gr[7]);
	for (uint64_t i = 0; i < 4096 - t->gr[7] && i < 16; i++)
		fprintf(t->out, " %02x", mem[REPLY_ADDR + i]);
	fprintf(t->out, "  (type 82 error reply: the tour's request is not a valid MEB1 block)\n");
	expect(t, r.cc == 0 && mem[REPLY_ADDR + 1] == 0x82, "type 82 reply");
}

static void step_qci(struct tour *t)
{
	uint8_t *mem = s390ap_mem_data(t->mem);
	s390ap_insn_result r;

	fprintf(t->out, "\nQCI into 0x%x\n", QCI_ADDR);
	t->gr[2] = QCI_ADDR;
	pqap(t, "PQAP(QCI)", (uint64_t)S390AP_FC_QCI << 24, &r);
	for (unsigned off = 0; off < 112; off += 16) {
		fprintf(t->out, "  %03x:", off);
		for (unsigned i = 0; i < 16; i++)
			fprintf(t->out, " %02x", mem[QCI_ADDR + off + i]);
		fputc('\n', t->out);
	}
}

int apsim_demo(FILE *out)
{
	struct tour t = { .out = out };
	const uint16_t apqn = S390AP_APQN(0x03, 0x06);
	int rc;

	rc = s390ap_mem_new(&t.mem, STORAGE_SIZE);
	if (rc == 0)
		rc = s390ap_mem_storage(t.mem, &t.st);
	if (rc == 0)
		rc = s390ap_machine_new_default(&t.m, &t.st);
	if (rc < 0) {
		fprintf(out, "apsim: cannot create the default machine: %s\n", s390ap_strerror(rc));
		s390ap_mem_free(t.mem);
		return 1;
	}
	t.ctx = (s390ap_insn_ctx){ .gr = t.gr, .storage = &t.st };

	fprintf(out, "s390ap %s: the default machine\n\n", s390ap_version());
	apsim_list_config(out, t.m);
	step_qci(&t);
	step_tapq(&t, apqn);
	step_reset(&t, apqn);
	step_aqic(&t, apqn);
	step_request(&t, apqn);
	fprintf(out, "\nAfter the tour\n\n");
	apsim_list_config(out, t.m);
	fprintf(out, "\n%s\n", t.failures ? "tour FAILED" : "tour complete: every step gave the architected result");

	s390ap_machine_free(t.m);
	s390ap_mem_free(t.mem);
	return t.failures ? 1 : 0;
}
