/* SPDX-License-Identifier: MIT */
/* test_vsie -- nested guests (src/vsie/, docs/vsie.md): a guest-2 of the
 * host model (tests/sie/asm/sie_host.S) issues SIE on a guest-3 SCB it
 * keeps in its own storage; the host shadows guest-3's SCB and CRYCB and
 * runs guest-3 (tests/asm/tapq.S) against the shadow.
 *
 * Guest-2's storage (4 MiB at host 8 MiB):
 *   0x100000  guest-3's window (1 MiB: MSO = MSL = 0x100000)
 *   0x300000  guest-3's SCB
 *   0x301000  guest-3's CRYCB */
#include "sie/sie_test.h"

#define G3_MSO 0x100000u
#define G3_SCB 0x300000u
#define G3_CRYCB 0x301000u
#define G3_ENTRY 0x10000u

/* Guest-3's SCB and program in guest-2's storage. */
static void g3_setup(struct env *e, uint32_t eca, uint32_t crycbd)
{
	uint8_t scb[S390AP_SCB_SIZE] = { 0 };

	be_put32(scb + S390AP_SCB_CPUFLAGS, S390AP_CPUSTAT_ZARCH);
	be_put64(scb + S390AP_SCB_MSO, G3_MSO);
	be_put64(scb + S390AP_SCB_MSL, G3_MSO);
	be_put64(scb + S390AP_SCB_GPSW, S390AP_PSW_EA | S390AP_PSW_BA);
	be_put64(scb + S390AP_SCB_GPSW + 8, G3_ENTRY);
	be_put32(scb + S390AP_SCB_ECA, eca);
	be_put32(scb + S390AP_SCB_CRYCBD, crycbd);
	ck_assert_int_eq(s390ap_vm_write(e->vm, G3_SCB, scb, sizeof(scb)), 0);
	ck_assert_int_eq(s390ap_vm_write(e->vm, G3_MSO + G3_ENTRY, sie_tapq3_bin,
					 sie_tapq3_bin_len),
			 0);
}

/* A format-2 CRYCB for guest-3 with every mask all ones. */
static void g3_crycb_all(struct env *e)
{
	uint8_t c[S390AP_CRYCB_SIZE];

	memset(c, 0, sizeof(c));
	memset(c + S390AP_CRYCB_APCB0, 0xFF, S390AP_CRYCB_APCB0_LEN);
	memset(c + S390AP_CRYCB_APCB1, 0xFF, 96);
	ck_assert_int_eq(s390ap_vm_write(e->vm, G3_CRYCB, c, sizeof(c)), 0);
}

/* Guest-2 runs sie_host.S on guest-3's SCB and halts after its SIE. */
static void g2_run(struct env *e, uint64_t apqn)
{
	load_start(e, sie_sie_host_elf, sie_sie_host_elf_len, apqn);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 1, G3_SCB), 0);
	run_done(e);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}

static uint8_t *g3_scb(struct env *e)
{
	return host_mem(e) + GUEST_MSO + G3_SCB;
}

static unsigned g3_cc(struct env *e)
{
	return (unsigned)(be_get64(g3_scb(e) + S390AP_SCB_GPSW) >> S390AP_PSW_CC_SHIFT) & 3;
}

START_TEST(test_vsie_tapq_granted)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, S390AP_ECA_APIE, G3_CRYCB | S390AP_CRYCB_FORMAT2);
	g3_crycb_all(&e);
	g2_run(&e, APQN_GRANTED);
	/* guest-3's DIAG 0x44 went back to guest-2 as its interception */
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0x8300);
	ck_assert_uint_eq(be_get32(g3_scb(&e) + S390AP_SCB_IPB), 0x00440000);
	ck_assert_uint_eq(g3_cc(&e), 0);
	/* guest-3's GR1 (the status word) is guest-2's after its SIE */
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_NORMAL);
	env_close(&e);
}
END_TEST

/* All ones in guest-3's masks reach nothing guest-2 was not given. */
START_TEST(test_vsie_tapq_outside_guest2)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, S390AP_ECA_APIE, G3_CRYCB | S390AP_CRYCB_FORMAT2);
	g3_crycb_all(&e);
	g2_run(&e, 0x0406);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(g3_cc(&e), 3);
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_Q_NOT_AVAIL);
	env_close(&e);
}
END_TEST

START_TEST(test_vsie_validity_zero_origin)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, S390AP_ECA_APIE, S390AP_CRYCB_FORMAT2); /* origin 0 */
	g2_run(&e, APQN_GRANTED);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_VALIDITY);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0x1000);
	ck_assert_uint_eq(be_get32(g3_scb(&e) + S390AP_SCB_IPB), 0x0039u << 16);
	env_close(&e);
}
END_TEST

/* Without ECA_APIE in guest-3's SCB its PQAP goes back to guest-2. */
START_TEST(test_vsie_pqap_to_guest2)
{
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	g3_setup(&e, 0, 0);
	g2_run(&e, APQN_GRANTED);
	ck_assert_uint_eq(g3_scb(&e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_INST);
	ck_assert_uint_eq(be_get16(g3_scb(&e) + S390AP_SCB_IPA), 0xB2AF);
	env_close(&e);
}
END_TEST

static Suite *vsie_suite(void)
{
	Suite *s = suite_create("vsie");
	TCase *tc = tcase_create("nested");

	tcase_add_test(tc, test_vsie_tapq_granted);
	tcase_add_test(tc, test_vsie_tapq_outside_guest2);
	tcase_add_test(tc, test_vsie_validity_zero_origin);
	tcase_add_test(tc, test_vsie_pqap_to_guest2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(vsie_suite());
}
