/* SPDX-License-Identifier: MIT */
/* The pqap suite's instruction helpers and capturing engine. */
#include "pqap_test.h"

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */
void setup(void)
{
	fixture_setup(MEM_SIZE);
}

/* ------------------------------------------------------------------ */
/* Instruction helpers                                                 */
/* ------------------------------------------------------------------ */
void do_pqap(uint64_t g0)
{
	gr[0] = g0;
	memset(&res, 0xee, sizeof res);
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), 0);
}

void tapq(uint16_t apqn, bool t)
{
	gr[1] = GARBAGE;
	gr[2] = 0;
	do_pqap(gr0_fc(S390AP_FC_TAPQ, apqn) | (t ? S390AP_GR0_T : 0));
}

void rapq(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_RAPQ, apqn));
}

void zapq(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_ZAPQ, apqn));
}

void aqic(uint16_t apqn, bool enable, unsigned isc, uint64_t nib)
{
	gr[1] = (enable ? S390AP_AQIC_IR : 0) | (isc & S390AP_AQIC_ISC_MASK);
	gr[2] = nib;
	do_pqap(gr0_fc(S390AP_FC_AQIC, apqn));
}

void qci(uint64_t addr)
{
	gr[1] = GARBAGE;
	gr[2] = addr;
	do_pqap(gr0_fc(S390AP_FC_QCI, 0));
}

void nqap_raw(uint64_t g0, uint64_t psmid, uint64_t addr, uint64_t len)
{
	gr[0] = g0;
	gr[1] = GARBAGE;
	gr[NQ_R1] = psmid >> 32;
	gr[NQ_R1 + 1] = psmid & 0xffffffffu;
	gr[NQ_R2] = addr;
	gr[NQ_R2 + 1] = len;
	memset(&res, 0xee, sizeof res);
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
}

/* NQAP of a complete (L = 1) message. */
void nqap(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len)
{
	nqap_raw(apqn | S390AP_NQAP_L, psmid, addr, len);
}

/* DQAP with GR0 = g0, keeping GR2 (continuation). */
void dqap_raw(uint64_t g0, uint64_t addr, uint64_t len)
{
	gr[0] = g0;
	gr[1] = GARBAGE;
	gr[DQ_R1] = PSMID_HI_FILL;
	gr[DQ_R1 + 1] = PSMID_LO_FILL;
	gr[DQ_R2] = addr;
	gr[DQ_R2 + 1] = len;
	memset(&res, 0xee, sizeof res);
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
}

/* DQAP keeping GR2 (continuation). */
void dqap_cont(uint16_t apqn, uint64_t addr, uint64_t len)
{
	dqap_raw(apqn, addr, len);
}

/* DQAP starting a new reply (GR2 = 0). */
void dqap(uint16_t apqn, uint64_t addr, uint64_t len)
{
	gr[2] = 0;
	dqap_cont(apqn, addr, len);
}

/* A type 50 request of len bytes whose length field says lenfield. */
void put_msg50(uint64_t addr, size_t len, uint16_t lenfield)
{
	uint8_t *p = ram + addr;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 31u + 7u);
	p[0] = 0x00;
	p[1] = 0x50;
	p[2] = (uint8_t)(lenfield >> 8);
	p[3] = (uint8_t)lenfield;
}

void put_msg(uint64_t addr, size_t len)
{
	put_msg50(addr, len, (uint16_t)len);
}

struct capture cap;

uint8_t reply_byte(uint64_t psmid, size_t k)
{
	return (uint8_t)(psmid ^ (k * 13u + 1u));
}

int cap_process(void *c, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct capture *cp = c;
	unsigned i = cp->calls++;
	size_t n;

	if (i < CAP_MAX) {
		cp->psmid[i] = req->psmid;
		cp->len[i] = req->len;
		cp->special[i] = req->special;
	}
	cp->last_len = req->len;
	memcpy(cp->last, req->msg, req->len < sizeof cp->last ? req->len : sizeof cp->last);
	n = cp->reply_len ? cp->reply_len : 8;
	if (n > rep->cap)
		n = rep->cap;
	for (size_t k = 0; k < n; k++)
		rep->buf[k] = reply_byte(req->psmid, k);
	rep->len = n;
	if (cp->latency_from_psmid)
		rep->latency = req->psmid & 0xffffu;
	return 0;
}

void cap_destroy(void *c)
{
	((struct capture *)c)->destroyed++;
}

void use_capture(unsigned apid)
{
	s390ap_engine eng = { .process = cap_process, .destroy = cap_destroy, .ctx = &cap };

	memset(&cap, 0, sizeof cap);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, apid, &eng), 0);
}

/* Secure Execution */
void use_se_machine(void)
{
	use_machine_facs(S390AP_FAC_ALL);
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	add_adapter(4, S390AP_TYPE_CEX8, S390AP_MODE_CCA);
	add_adapter(5, S390AP_TYPE_CEX7, S390AP_MODE_EP11);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	view.se_guest = true;
}

/* RAPQ with F: unbind (bs -> 2), wait for the reset. */
void se_unbind(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_RAPQ, apqn) | S390AP_GR0_F);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_RESET_CYCLES);
}

unsigned tapq_bs(uint16_t apqn)
{
	tapq(apqn, true);
	return (unsigned)(gr[2] >> 46) & 3;
}

void bapq(uint16_t apqn)
{
	gr[1] = GARBAGE;
	do_pqap(gr0_fc(S390AP_FC_BAPQ, apqn));
}

void aapq(uint16_t apqn, uint64_t index)
{
	gr[1] = GARBAGE;
	gr[2] = index;
	do_pqap(gr0_fc(S390AP_FC_AAPQ, apqn));
}
