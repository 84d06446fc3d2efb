/* SPDX-License-Identifier: MIT */
/* test_sie -- guests under SIE and the KVM-like host model (src/sie/,
 * docs/sie.md, docs/host.md): the storage window, interpretation of AP
 * instructions against the CRYCB's view, interception to the host,
 * handle_pqap, the AQIC hook and adapter interruptions through the GISA.
 *
 * The guest programs are the level-1 programs of tests/asm, assembled by
 * binutils and loaded unchanged into a guest's storage, and the suite's
 * own ones (tests/sie/asm).  The tcases of tests/sie/ cover the crypto
 * set-up, handle_pqap, isolation, the AQIC hook and native SIE. */
#include "sie/sie_test.h"

START_TEST(test_sie_tapq_interpreted)
{
	struct env e;
	const unsigned apid[] = { 3 }, apqi[] = { 6 };
	s390ap_vcpu_stats st;

	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 0);
	grant(&e, apid, 1, apqi, 1);
	load_start(&e, sie_tapq_elf, sie_tapq_elf_len, 0x0306);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 0);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, 0);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.icpt[S390AP_ICPT_INST >> 2], 1); /* the DIAG */
	ck_assert_uint_eq(st.user_exits, 1);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_tapq_outside_view)
{
	struct env e;
	const unsigned apid[] = { 3 }, apqi[] = { 6 };

	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 0);
	grant(&e, apid, 1, apqi, 1);
	load_start(&e, sie_tapq_elf, sie_tapq_elf_len, 0x0406); /* in the machine, not the guest's
								 */
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_eq(guest_cc(&e), 3);
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_Q_NOT_AVAIL);
	env_close(&e);
}
END_TEST

/* A guest that user space halted goes on after its DIAG when resumed. */
START_TEST(test_sie_resume_after_halt)
{
	struct env e;
	s390ap_psw before, after;
	const unsigned apid[] = { 3 }, apqi[] = { 6 };

	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 0);
	grant(&e, apid, 1, apqi, 1);
	load_start(&e, sie_tapq_elf, sie_tapq_elf_len, 0x0306);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert(!s390ap_vcpu_in_sie(e.v));
	ck_assert_int_eq(s390ap_vcpu_psw(e.v, &before), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 7, 0x77), 0);
	ck_assert_int_eq(s390ap_vcpu_resume(e.v), 0);
	ck_assert(s390ap_vcpu_in_sie(e.v));
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_RUNNING);
	ck_assert_int_eq(s390ap_vcpu_psw(e.v, &after), 0);
	ck_assert_x64(after.addr, before.addr); /* past the DIAG, where it stopped */
	ck_assert_x64(s390ap_vcpu_gr(e.v, 7), 0x77);
	ck_assert_int_eq(s390ap_vcpu_resume(e.v), 0); /* in SIE already: nothing to do */
	ck_assert_int_eq(s390ap_vcpu_resume(NULL), S390AP_EINVAL);
	env_close(&e);
}
END_TEST

struct seen {
	unsigned n;
	s390ap_kvm_exit last;
};

static void record_exit(void *ctx, s390ap_vcpu *v, const s390ap_kvm_exit *x, s390ap_kvm_reply *r)
{
	struct seen *s = ctx;

	if (x->icptcode == S390AP_ICPT_INST && x->ipa == 0xB2AF) {
		s->n++;
		s->last = *x;
		r->action = S390AP_KVM_HALT;
		r->exit_value = 0x1234;
		return;
	}
	s390ap_kvm_default_exit(NULL, v, x, r);
}

START_TEST(test_sie_pqap_intercepted_without_apie)
{
	struct env e;
	struct seen s = { 0 };
	s390ap_kvm_opts ko = { .size = sizeof(ko), .exit = record_exit, .exit_ctx = &s };

	env_open(&e, ALL_FAC, &ko);
	load_start(&e, sie_tapq_elf, sie_tapq_elf_len, 0x0306);
	run_done(&e);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.last.ipa, 0xB2AF);
	ck_assert_uint_eq(s.last.ipb, 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 0x1234);
	ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.v, insn_id("PQAP")), 1);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_irq_end_to_end)
{
	struct env e;
	const unsigned apid[] = { 3 }, apqi[] = { 6 };
	s390ap_vcpu_stats st;

	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 0);
	grant(&e, apid, 1, apqi, 1);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, s390ap_kvm_aqic_hook, NULL), 0);
	load_start(&e, sie_irq_elf, sie_irq_elf_len, 0x0306);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 0);
	ck_assert_uint_eq(s390ap_vcpu_gr(e.v, 12), 0xb0000000u);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.pqap_hook, 1);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_aqic_no_hook)
{
	struct env e;
	const unsigned apid[] = { 3 }, apqi[] = { 6 };

	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 0);
	grant(&e, apid, 1, apqi, 1);
	load_start(&e, sie_irq_elf, sie_irq_elf_len, 0x0306);
	run_done(&e);
	/* RC 0x01, cc 3: the program's step 1 fails */
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 1);
	ck_assert_uint_eq((s390ap_vcpu_gr(e.v, 1) >> 16) & 0xFF, S390AP_RC_Q_NOT_AVAIL);
	env_close(&e);
}
END_TEST

static Suite *sie_suite(void)
{
	Suite *s = suite_create("sie");
	TCase *tc = tcase_create("guest");

	tcase_add_test(tc, test_sie_tapq_interpreted);
	tcase_add_test(tc, test_sie_tapq_outside_view);
	tcase_add_test(tc, test_sie_resume_after_halt);
	tcase_add_test(tc, test_sie_pqap_intercepted_without_apie);
	tcase_add_test(tc, test_sie_irq_end_to_end);
	tcase_add_test(tc, test_sie_aqic_no_hook);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, sie_crypto_tcase());
	suite_add_tcase(s, sie_pqap_tcase());
	suite_add_tcase(s, sie_isolation_tcase());
	suite_add_tcase(s, sie_aqic_tcase());
	suite_add_tcase(s, sie_native_tcase());
	return s;
}

int main(void)
{
	return run_suite(sie_suite());
}
