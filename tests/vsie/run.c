/* SPDX-License-Identifier: MIT */
/* Guest-3 at work: no queue outside guest-2's CRYCB, a host change of
 * guest-2's masks restarts guest-2's SIE, and what of guest-3's exit goes
 * back into its SCB. */
#include "vsie_test.h"

#define REQ3 0x20000u   /* guest-3 real: a request */
#define REPLY3 0x21000u /* guest-3 real: a reply buffer */

/* Guest-3's SCB as guest-2 first sets it up (at guest-3's entry). */
static void g3_fresh(struct env *e)
{
	struct g3_cfg c = { .eca = S390AP_ECA_APIE, .crycbd = G3_CRYCB | S390AP_CRYCB_FORMAT2 };

	g3_scb_put(e, &c);
}

static void g3_open(struct env *e, const unsigned char *bin, size_t len)
{
	vsie_open(e, S390AP_CRYCB_FORMAT2, true, false);
	grant_one(e, APQN_GRANTED);
	g3_fresh(e);
	g3_crycb_put(e, G3_CRYCB);
	g3_load(e, bin, len);
}

/* one_ap as guest-3 from its entry, GR0-GR8 from gr */
static void g3_one_ap(struct env *e, enum one_ap_sel sel, const uint64_t gr[9])
{
	g3_fresh(e);
	g2_run_r14(e, gr, sel);
}

static void g3_not_avail(struct env *e, const char *what, uint16_t q)
{
	uint8_t rc = (uint8_t)(s390ap_vcpu_gr(e->v, 1) >> 16);

	ck_assert_uint_eq(g3_scb(e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(s390ap_vcpu_gr(e->v, 13), 0); /* no program exception */
	ck_assert_msg(g3_cc(e) == 3 && rc == S390AP_RC_Q_NOT_AVAIL, "%s on %04x: cc %u rc %02x",
		      what, q, g3_cc(e), rc);
}

/* Guest-3's CRYCB has every bit but APID 4; guest-2 has 03.0006 only.  No
 * other queue answers guest-3, whatever the instruction. */
START_TEST(test_vsie_isolation_one_ap)
{
	static const uint16_t others[] = { APQN_OTHER, 0x0406, 0x0000 };
	struct env e;

	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		const uint16_t q = others[i];
		const uint64_t tapq[9] = { gr0_fc(S390AP_FC_TAPQ, q) | S390AP_GR0_T };
		const uint64_t rapq[9] = { gr0_fc(S390AP_FC_RAPQ, q) };
		const uint64_t zapq[9] = { gr0_fc(S390AP_FC_ZAPQ, q) };
		const uint64_t nqap[9] = { S390AP_NQAP_L | q, 0, 0, 0, 0, 1, REQ3, 64 };
		const uint64_t dqap[9] = { q, 0, 0, 0, 0, 0, REPLY3, 256 };

		g3_open(&e, sie_one_ap_bin, sie_one_ap_bin_len);
		g3_one_ap(&e, SEL_PQAP, tapq);
		g3_not_avail(&e, "TAPQ", q);
		g3_one_ap(&e, SEL_PQAP, rapq);
		g3_not_avail(&e, "RAPQ", q);
		g3_one_ap(&e, SEL_PQAP, zapq);
		g3_not_avail(&e, "ZAPQ", q);
		g3_one_ap(&e, SEL_NQAP, nqap);
		g3_not_avail(&e, "NQAP", q);
		g3_one_ap(&e, SEL_DQAP, dqap);
		g3_not_avail(&e, "DQAP", q);
		ck_assert_uint_eq(s390ap_machine_mem_used(s390ap_sys_machine(e.sys)), 0);
		env_close(&e);
	}
	/* the one queue guest-2 has answers */
	{
		const uint64_t tapq[9] = { gr0_fc(S390AP_FC_TAPQ, APQN_GRANTED) };

		g3_open(&e, sie_one_ap_bin, sie_one_ap_bin_len);
		g3_one_ap(&e, SEL_PQAP, tapq);
		ck_assert_uint_eq(g3_cc(&e), 0);
		env_close(&e);
	}
}
END_TEST

/* The host gives guest-2 a queue while guest-3 polls it: guest-3 is
 * forced out, guest-2 issues its SIE again, the new shadow has the queue. */
START_TEST(test_vsie_restart_on_masks)
{
	static const uint64_t gr[9] = { 0 };
	const unsigned apid[] = { 3 }, apqi[] = { 6, 7 };
	s390ap_vcpu_stats st0, st1;
	struct vsie_counts n;
	s390ap_stop why;
	struct env e;

	g3_open(&e, vsie_tapq_wait3_bin, vsie_tapq_wait3_bin_len);
	g2_start_r14(&e, gr, APQN_OTHER);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, s390ap_sys_cycles(e.sys) + 2000000, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_CYCLE);
	ck_assert(vsie_running(&e));
	ck_assert_uint_gt(s390ap_vcpu_gr(e.v, 8), 1); /* guest-3 polled, cc 3 */
	n = vsie_counts_get(&e);
	ck_assert_uint_eq(n.entries, 1);
	ck_assert_uint_eq(n.restarts, 0);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st0), 0);

	grant(&e, apid, 1, apqi, 2); /* 03.0007 now */
	n = vsie_counts_get(&e);
	ck_assert_uint_eq(n.restarts, 1);
	ck_assert_uint_eq(n.exits, 0);
	ck_assert(!vsie_running(&e));
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st1), 0);
	ck_assert_uint_eq(st1.kicks, st0.kicks + 1);
	/* guest-3's state went back into its SCB, no interception */
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_NONE);

	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	n = vsie_counts_get(&e);
	ck_assert_uint_eq(n.entries, 2);
	ck_assert_uint_eq(n.exits, 1);
	ck_assert_uint_eq(n.restarts, 1);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0x8300);
	ck_assert_uint_eq(g3_cc(&e), 0);
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_NORMAL);
	ck_assert(mask_test(shadow_crycb(&e) + S390AP_CRYCB_APCB1_AQM, 7));
	env_close(&e);
}
END_TEST

/* Interruption parameters (SCB 0xC0-0xEF) go back only with a program
 * interception (0x08, 0x0C) or an external one (0x14). */
START_TEST(test_vsie_exit_params)
{
	static const uint64_t gr[9] = { 0 };
	uint8_t pat[0x30];
	struct env e;

	memset(pat, 0xA5, sizeof(pat));
	for (unsigned k = 0; k < 3; k++) {
		static const uint32_t ictl[3] = { S390AP_ICTL_PINT, S390AP_ICTL_OPEREXC, 0 };
		static const uint8_t code[3] = { S390AP_ICPT_PROGI, S390AP_ICPT_OPEREXC,
						 S390AP_ICPT_INST };
		struct g3_cfg c = { .ictl = ictl[k] };

		vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
		g3_scb_put(&e, &c);
		ck_assert_int_eq(s390ap_vm_write(e.vm, G3_SCB + S390AP_SCB_EIPARAMS, pat,
						 sizeof(pat)),
				 0);
		g3_load(&e, sie_one_ap_bin, sie_one_ap_bin_len);
		/* an invalid opcode, or nothing (its DIAG) without an ICTL bit */
		g2_run_r14(&e, gr, k < 2 ? SEL_INVALID : SEL_NOTHING);
		ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], code[k]);
		if (code[k] == S390AP_ICPT_PROGI) {
			ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPRCC),
					  S390AP_PGM_OPERATION);
			ck_assert(memcmp(g3_scb(&e) + S390AP_SCB_EIPARAMS, pat, sizeof(pat)) != 0);
		} else {
			ck_assert_mem_eq(g3_scb(&e) + S390AP_SCB_EIPARAMS, pat, sizeof(pat));
		}
		env_close(&e);
	}
}
END_TEST

/* The shadow lives in the host's control-block area below 2 GiB: its
 * CRYCB origin fits the CRYCBD's 31 bits. */
START_TEST(test_vsie_shadow_below_2g)
{
	struct env e;
	uint64_t page;

	g3_open(&e, sie_tapq3_bin, sie_tapq3_bin_len);
	g2_run(&e, APQN_GRANTED);
	page = vsie_page(&e);
	ck_assert_uint_eq(page & 0xFFF, 0);
	ck_assert_uint_lt(page + VSIE_SHADOW_CRYCB_OFF + S390AP_CRYCB_SIZE, 0x80000000ull);
	ck_assert_uint_eq(be_get32(shadow_scb(&e) + S390AP_SCB_CRYCBD) & S390AP_CRYCBD_ORIGIN_MASK,
			  page + VSIE_SHADOW_CRYCB_OFF);
	/* guest-3's window is guest-2's 0x100000 in host storage */
	ck_assert_uint_eq(be_get64(shadow_scb(&e) + S390AP_SCB_MSO), GUEST_MSO + G3_MSO);
	env_close(&e);
}
END_TEST

/* Guest-2's SIE operand: 512-byte aligned and inside guest-2's storage,
 * else guest-2 takes the program interruption (its handler: the DIAG
 * after its SIE). */
START_TEST(test_vsie_operand_checks)
{
	static const uint64_t gr[9] = { 0 };
	static const struct {
		uint64_t scb;
		uint16_t code;
	} ops[] = { { G3_SCB + 8, S390AP_PGM_SPECIFICATION },
		    { GUEST_SIZE, S390AP_PGM_ADDRESSING } };
	struct env e;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		uint8_t psw[16], code[2];
		s390ap_vcpu_stats st;

		vsie_open(&e, S390AP_CRYCB_FORMAT2, true, false);
		be_put64(psw, S390AP_PSW_EA | S390AP_PSW_BA);
		be_put64(psw + 8, 0x10004); /* sie_r14.S's DIAG */
		ck_assert_int_eq(s390ap_vm_write(e.vm, 0x1D0, psw, sizeof(psw)), 0);
		g2_start_r14(&e, gr, 0);
		ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 14, ops[i].scb), 0);
		run_done(&e);
		ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
		ck_assert_int_eq(s390ap_vm_read(e.vm, 0x8E, code, 2), 0);
		ck_assert_uint_eq(be_get16(code), ops[i].code);
		ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
		ck_assert_uint_eq(st.injected, 1);
		ck_assert(!vsie_running(&e));
		env_close(&e);
	}
}
END_TEST

TCase *vsie_run_tcase(void)
{
	TCase *tc = tcase_create("run");

	tcase_add_test(tc, test_vsie_isolation_one_ap);
	tcase_add_test(tc, test_vsie_restart_on_masks);
	tcase_add_test(tc, test_vsie_exit_params);
	tcase_add_test(tc, test_vsie_shadow_below_2g);
	tcase_add_test(tc, test_vsie_operand_checks);
	return tc;
}
