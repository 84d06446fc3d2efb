/* SPDX-License-Identifier: MIT */
/* test_sie -- guests under SIE and the KVM-like host model (src/sie/,
 * docs/sie.md, docs/host.md): the storage window, interpretation of AP
 * instructions against the CRYCB's view, interception to the host,
 * handle_pqap, the AQIC hook and adapter interruptions through the GISA.
 *
 * The guest programs are the level-1 programs of tests/asm, assembled by
 * binutils and loaded unchanged into a guest's storage. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "sie/programs.h"
#include "testutil.h"
#include "util/be.h"
#include "util/mask.h"

#define MEM_SIZE (64u << 20)
#define GUEST_MSO (8u << 20)
#define GUEST_SIZE (4u << 20)
#define ALL_FAC (S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC | S390AP_FAC_MSAX3)

struct env {
	s390ap_sys *sys;
	s390ap_kvm *kvm;
	s390ap_vm *vm;
	s390ap_vcpu *v;
	s390ap_cpu *cpu;
};

static void env_open(struct env *e, uint32_t fac, const s390ap_kvm_opts *ko)
{
	s390ap_sys_opts so = { .size = sizeof(so), .mem_size = MEM_SIZE, .ncpus = 2 };
	s390ap_vm_opts vo = {
		.size = sizeof(vo), .facilities = fac, .mso = GUEST_MSO, .mem_size = GUEST_SIZE
	};

	memset(e, 0, sizeof(*e));
	ck_assert_int_eq(s390ap_sys_new(&e->sys, &so), 0);
	ck_assert_int_eq(s390ap_kvm_new(&e->kvm, e->sys, ko), 0);
	ck_assert_int_eq(s390ap_vm_new(e->kvm, &e->vm, &vo), 0);
	ck_assert_int_eq(s390ap_vcpu_new(e->vm, &e->v, 0), 0);
	e->cpu = s390ap_vcpu_cpu(e->v);
}

static void env_close(struct env *e)
{
	s390ap_kvm_free(e->kvm);
	s390ap_sys_free(e->sys);
}

/* Grant the guest the queues (apid, apqi) of the lists. */
static void grant(struct env *e, const unsigned *apids, size_t na, const unsigned *apqis, size_t nq)
{
	uint8_t apm[32] = { 0 }, aqm[32] = { 0 }, adm[32] = { 0 };

	for (size_t i = 0; i < na; i++)
		mask_set(apm, apids[i]);
	for (size_t i = 0; i < nq; i++) {
		mask_set(aqm, apqis[i]);
		mask_set(adm, apqis[i]);
	}
	ck_assert_int_eq(s390ap_vm_set_masks(e->vm, apm, aqm, adm), 0);
}

static void load_start(struct env *e, const unsigned char *elf, size_t len, uint64_t gr9)
{
	uint64_t entry;

	ck_assert_int_eq(s390ap_vm_load_elf(e->vm, elf, len, &entry), 0);
	ck_assert_int_eq(s390ap_vcpu_start(e->v, entry), 0);
	ck_assert(s390ap_vcpu_in_sie(e->v));
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 9, gr9), 0);
}

static void run_done(struct env *e)
{
	s390ap_stop why;

	ck_assert_int_eq(s390ap_sys_run(e->sys, 0, 50000000, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
}

static unsigned insn_id(const char *name)
{
	for (unsigned i = 0; i < s390ap_insn_count(); i++)
		if (strcmp(s390ap_insn_name(i), name) == 0)
			return i;
	ck_abort_msg("no instruction %s", name);
	return 0;
}

static unsigned guest_cc(struct env *e)
{
	s390ap_psw psw;

	ck_assert_int_eq(s390ap_vcpu_psw(e->v, &psw), 0);
	return (unsigned)(psw.mask >> S390AP_PSW_CC_SHIFT) & 3;
}

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
	tcase_add_test(tc, test_sie_pqap_intercepted_without_apie);
	tcase_add_test(tc, test_sie_irq_end_to_end);
	tcase_add_test(tc, test_sie_aqic_no_hook);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(sie_suite());
}
