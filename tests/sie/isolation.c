/* SPDX-License-Identifier: MIT */
/* Isolation: a guest with ECA_APIE sees only the queues its CRYCB grants,
 * whatever AP instruction and function code it uses, and its storage
 * accesses stay in its window. */
#include "sie_test.h"

#define REQ_ADDR 0x6000u
#define REPLY_ADDR 0x7000u
#define QCI_ADDR 0x4000u
#define REQ_LEN 0x118u
#define BEYOND (GUEST_SIZE + 0x100000u) /* guest address past the window */

static void request_image(uint8_t *req)
{
	memset(req, 0, REQ_LEN);
	req[1] = 0x50; /* type 50: RSA ME, 1024-bit */
	req[2] = REQ_LEN >> 8;
	req[3] = REQ_LEN & 0xFF;
	req[9] = 0x01;
}

#define MACH_ALL (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_APSB | S390AP_FAC_RC8A))

static void iso_open_apxa(struct env *e, uint32_t fac, bool apxa)
{
	struct env_cfg cfg = { .own_machine = !apxa,
			       .mach_fac = MACH_ALL & ~(uint32_t)S390AP_FAC_APXA,
			       .vm_fac = fac };

	env_open_cfg(e, &cfg);
	enable_apie(e);
	grant_one(e, APQN_GRANTED);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e->vm, s390ap_kvm_aqic_hook, NULL), 0);
}

static void iso_open(struct env *e, uint32_t fac)
{
	iso_open_apxa(e, fac, true);
}

/* One instruction on apqn; the guest must take no exception. */
static void iso_run(struct env *e, enum one_ap_sel sel, const uint64_t gr[9])
{
	one_ap(e, sel, gr);
	ck_assert_x64(s390ap_vcpu_gr(e->v, 13), 0);
}

static void not_avail(struct env *e, const char *what, uint16_t apqn)
{
	ck_assert_msg(guest_cc(e) == 3 && guest_rc(e) == S390AP_RC_Q_NOT_AVAIL,
		      "%s on %04x: cc %u rc %02x", what, apqn, guest_cc(e), guest_rc(e));
}

static void isolation_case(uint32_t fac, bool apxa)
{
	static const uint16_t others[] = { APQN_OTHER, 0x0406, 0x0000 };
	uint8_t req[REQ_LEN], blk[128];
	struct env e;

	request_image(req);
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		const uint16_t q = others[i];
		const uint64_t tapq[9] = { gr0_fc(S390AP_FC_TAPQ, q) | S390AP_GR0_T };
		const uint64_t rapq[9] = { gr0_fc(S390AP_FC_RAPQ, q) };
		const uint64_t zapq[9] = { gr0_fc(S390AP_FC_ZAPQ, q) };
		const uint64_t qact[9] = { gr0_fc(S390AP_FC_QACT, q) };
		const uint64_t aqic[9] = { gr0_fc(S390AP_FC_AQIC, q), S390AP_AQIC_IR | ISC,
					   0x5000 };
		const uint64_t nqap[9] = { S390AP_NQAP_L | q, 0, 0, 0, 0, 1, REQ_ADDR, REQ_LEN };
		const uint64_t dqap[9] = { q, 0, 0, 0, 0, 0, REPLY_ADDR, 256 };

		iso_open_apxa(&e, fac, apxa);
		ck_assert_int_eq(s390ap_vm_write(e.vm, REQ_ADDR, req, sizeof req), 0);
		iso_run(&e, SEL_PQAP, tapq);
		not_avail(&e, "TAPQ", q);
		iso_run(&e, SEL_PQAP, rapq);
		not_avail(&e, "RAPQ", q);
		iso_run(&e, SEL_PQAP, zapq);
		not_avail(&e, "ZAPQ", q);
		iso_run(&e, SEL_PQAP, qact);
		not_avail(&e, "QACT", q);
		iso_run(&e, SEL_PQAP, aqic);
		not_avail(&e, "AQIC", q);
		iso_run(&e, SEL_NQAP, nqap);
		not_avail(&e, "NQAP", q);
		iso_run(&e, SEL_DQAP, dqap);
		not_avail(&e, "DQAP", q);
		/* nothing reached the machine's queues */
		ck_assert_uint_eq(s390ap_machine_mem_used(s390ap_sys_machine(e.sys)), 0);
		env_close(&e);
	}

	/* the granted queue is there, and QCI shows the grant only */
	{
		const uint64_t tapq[9] = { gr0_fc(S390AP_FC_TAPQ, APQN_GRANTED) };
		const uint64_t qci[9] = { gr0_fc(S390AP_FC_QCI, 0), 0, QCI_ADDR };
		uint8_t apm[32] = { 0 }, aqm[32] = { 0 };

		iso_open_apxa(&e, fac, apxa);
		iso_run(&e, SEL_PQAP, tapq);
		ck_assert_uint_eq(guest_cc(&e), 0);
		ck_assert_uint_eq(guest_rc(&e), S390AP_RC_NORMAL);
		iso_run(&e, SEL_PQAP, qci);
		ck_assert_uint_eq(guest_cc(&e), 0);
		ck_assert_int_eq(s390ap_vm_read(e.vm, QCI_ADDR, blk, sizeof blk), 0);
		mask_set(apm, APQN_GRANTED >> 8);
		mask_set(aqm, APQN_GRANTED & 0xFF);
		ck_assert(memcmp(blk + S390AP_QCI_APM_OFF, apm, 32) == 0);
		ck_assert(memcmp(blk + S390AP_QCI_AQM_OFF, aqm, 32) == 0);
		ck_assert(memcmp(blk + S390AP_QCI_ADM_OFF, aqm, 32) == 0);
		env_close(&e);
	}
}

START_TEST(test_sie_isolation_format2)
{
	isolation_case(ALL_FAC, true);
}
END_TEST

START_TEST(test_sie_isolation_format0)
{
	isolation_case(ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3, true);
}
END_TEST

START_TEST(test_sie_isolation_format1)
{
	isolation_case(ALL_FAC, false);
}
END_TEST

/* The guest's facilities are its model's: QCI without facility 12 and the
 * T bit without facility 15 are specification exceptions for it, and ids
 * beyond a format 0 or 1 CRYCB's limits do not exist for it. */
START_TEST(test_sie_isolation_model_facilities)
{
	const uint64_t qci[9] = { gr0_fc(S390AP_FC_QCI, 0), 0, QCI_ADDR };
	const uint64_t tapq_t[9] = { gr0_fc(S390AP_FC_TAPQ, APQN_GRANTED) | S390AP_GR0_T };
	const uint64_t tapq_big[9] = { gr0_fc(S390AP_FC_TAPQ, 0x4306) };
	struct env e;

	iso_open(&e, ALL_FAC & ~(uint32_t)S390AP_FAC_QCI);
	one_ap(&e, SEL_PQAP, qci);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_SPECIFICATION);
	env_close(&e);

	iso_open(&e, ALL_FAC & ~(uint32_t)S390AP_FAC_APFT);
	one_ap(&e, SEL_PQAP, tapq_t);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_SPECIFICATION);
	env_close(&e);

	/* format 0 (no APXA for the guest): apid 0x43 is beyond 63 */
	iso_open(&e, ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3);
	one_ap(&e, SEL_PQAP, tapq_big);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_SPECIFICATION);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_isolation_storage_window)
{
	uint8_t req[REQ_LEN], poison[128], back[128];
	struct env e;
	const uint64_t beyond[9] = { S390AP_NQAP_L | APQN_GRANTED, 0, 0, 0, 0, 1, BEYOND, REQ_LEN };
	const uint64_t across[9] = { S390AP_NQAP_L | APQN_GRANTED, 0,      0, 0, 0, 1,
				     GUEST_SIZE - 0x100,           REQ_LEN };
	const uint64_t qci[9] = { gr0_fc(S390AP_FC_QCI, 0), 0, BEYOND + 0x1000 };
	const uint64_t ok[9] = { S390AP_NQAP_L | APQN_GRANTED, 0, 0, 0, 0, 1, REQ_ADDR, REQ_LEN };
	const uint64_t dq_beyond[9] = { APQN_GRANTED, 0, 0, 0, 0, 0, BEYOND + 0x1000, 128 };
	const uint64_t dq_ok[9] = { APQN_GRANTED, 0, 0, 0, 0, 0, REPLY_ADDR, 256 };

	request_image(req);
	memset(poison, 0xA5, sizeof poison);
	iso_open(&e, ALL_FAC);
	/* a well-formed request in host storage right where the guest
	 * address would land without the window's limit */
	ck_assert_int_eq(s390ap_sys_load(e.sys, GUEST_MSO + BEYOND, req, sizeof req), 0);
	ck_assert_int_eq(s390ap_sys_load(e.sys, GUEST_MSO + BEYOND + 0x1000, poison, sizeof poison),
			 0);
	one_ap(&e, SEL_NQAP, beyond);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_ADDRESSING);
	one_ap(&e, SEL_NQAP, across);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_ADDRESSING);
	ck_assert_uint_eq(s390ap_machine_mem_used(s390ap_sys_machine(e.sys)), 0);
	/* a store beyond the window: the QCI block */
	one_ap(&e, SEL_PQAP, qci);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_ADDRESSING);
	memcpy(back, host_mem(&e) + GUEST_MSO + BEYOND + 0x1000, sizeof back);
	ck_assert(memcmp(back, poison, sizeof back) == 0);
	/* the same request inside the window is taken */
	ck_assert_int_eq(s390ap_vm_write(e.vm, REQ_ADDR, req, sizeof req), 0);
	one_ap(&e, SEL_NQAP, ok);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), 0);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_gt(s390ap_machine_mem_used(s390ap_sys_machine(e.sys)), 0);
	/* its reply: a DQAP buffer beyond the window is an addressing
	 * exception and stores nothing; inside, the reply comes */
	ck_assert_int_eq(s390ap_machine_advance(s390ap_sys_machine(e.sys), 10000000), 0);
	one_ap(&e, SEL_DQAP, dq_beyond);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_ADDRESSING);
	memcpy(back, host_mem(&e) + GUEST_MSO + BEYOND + 0x1000, sizeof back);
	ck_assert(memcmp(back, poison, sizeof back) == 0);
	one_ap(&e, SEL_DQAP, dq_ok);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), 0);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_NORMAL);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 5), 1); /* the PSMID's low word */
	ck_assert_int_eq(s390ap_vm_read(e.vm, REPLY_ADDR, back, 4), 0);
	ck_assert_uint_eq(back[1], 0x82); /* the all-zero request: an error reply */
	env_close(&e);
}
END_TEST

/* BAPQ and AAPQ exist only for a Secure Execution guest (docs/ap-model.md),
 * which the host model never runs: in its guests both are specification
 * exceptions whatever the APQN (granted, in the machine but not granted,
 * or absent), before any queue is looked at, also with APSB installed.
 * They are interpreted: the host sees nothing, and no queue binds. */
static void bapq_aapq_case(uint32_t mach_fac)
{
	static const uint16_t apqns[] = { APQN_GRANTED, APQN_OTHER, 0x0406, 0x0000 };
	struct env_cfg cfg = { .own_machine = true, .mach_fac = mach_fac, .vm_fac = ALL_FAC };
	const uint64_t marker = 0x5a5a5a5a5a5a5a5aull;
	struct env e;

	env_open_cfg(&e, &cfg);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	for (size_t i = 0; i < ARRAY_SIZE(apqns); i++) {
		const uint16_t q = apqns[i];
		const unsigned fcs[] = { S390AP_FC_BAPQ, S390AP_FC_AAPQ };

		for (size_t k = 0; k < ARRAY_SIZE(fcs); k++) {
			/* AAPQ's GR2: secret index 1 */
			const uint64_t gr[9] = { gr0_fc(fcs[k], q), marker, 1 };

			one_ap(&e, SEL_PQAP, gr);
			ck_assert_msg(s390ap_vcpu_gr(e.v, 13) == S390AP_PGM_SPECIFICATION,
				      "FC %u on %04x: pgm %llx", fcs[k], q,
				      (unsigned long long)s390ap_vcpu_gr(e.v, 13));
			ck_assert_x64(s390ap_vcpu_gr(e.v, 1), marker);
			ck_assert_x64(s390ap_vcpu_gr(e.v, 2), 1);
		}
	}
	ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.v, insn_id("PQAP")), 0);
	for (size_t i = 0; i < 3; i++) {
		s390ap_queue_info qi;

		ck_assert_int_eq(s390ap_queue_info_get(e.m, apqns[i], &qi), 0);
		ck_assert(qi.exists);
		ck_assert_uint_eq(qi.bs, (mach_fac & S390AP_FAC_APSB) ? 2 : 0);
		ck_assert_uint_eq(qi.enqueued, 0);
	}
	env_close(&e);
}

START_TEST(test_sie_isolation_bapq_aapq_apsb)
{
	bapq_aapq_case(MACH_ALL | S390AP_FAC_APSB);
}
END_TEST

START_TEST(test_sie_isolation_bapq_aapq_no_apsb)
{
	bapq_aapq_case(MACH_ALL);
}
END_TEST

TCase *sie_isolation_tcase(void)
{
	TCase *tc = tcase_create("isolation");

	tcase_add_test(tc, test_sie_isolation_format2);
	tcase_add_test(tc, test_sie_isolation_format0);
	tcase_add_test(tc, test_sie_isolation_format1);
	tcase_add_test(tc, test_sie_isolation_model_facilities);
	tcase_add_test(tc, test_sie_isolation_storage_window);
	tcase_add_test(tc, test_sie_isolation_bapq_aapq_apsb);
	tcase_add_test(tc, test_sie_isolation_bapq_aapq_no_apsb);
	return tc;
}
