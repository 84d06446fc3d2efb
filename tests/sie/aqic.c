/* SPDX-License-Identifier: MIT */
/* The built-in AQIC hook: NIB checks, the GISA's absence, guest ISC
 * registration, and the NIB translated through the guest's prefix and
 * window. */
#include "sie_test.h"

#define NIB_ADDR 0x5000u

static void aqic_guest(struct env *e, uint64_t nib)
{
	const uint64_t gr[9] = { gr0_fc(S390AP_FC_AQIC, APQN_GRANTED), S390AP_AQIC_IR | ISC, nib };

	one_ap(e, SEL_PQAP, gr);
}

static void hook_open(struct env *e, const struct env_cfg *cfg)
{
	env_open_cfg(e, cfg);
	enable_apie(e);
	grant_one(e, APQN_GRANTED);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e->vm, s390ap_kvm_aqic_hook, NULL), 0);
}

START_TEST(test_sie_aqic_hook_bad_nib)
{
	const struct env_cfg cfg = { .vm_fac = ALL_FAC };
	const uint64_t nibs[] = { 0, GUEST_SIZE, GUEST_SIZE + 0x100000u, 0xFFFFFFFFFFFFF000ull };
	struct env e;

	for (size_t i = 0; i < ARRAY_SIZE(nibs); i++) {
		hook_open(&e, &cfg);
		aqic_guest(&e, nibs[i]);
		ck_assert_x64(s390ap_vcpu_gr(e.v, 13), 0);
		ck_assert_msg(guest_rc(&e) == S390AP_RC_INVALID_ADDRESS, "nib %llx: rc %02x",
			      (unsigned long long)nibs[i], guest_rc(&e));
		ck_assert_uint_eq(guest_cc(&e), 3);
		/* no registration left behind */
		ck_assert_uint_eq(host_mem(&e)[s390ap_vm_gisa(e.vm) + S390AP_GISA_IAM], 0);
		ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, ISC), S390AP_EINVAL);
		env_close(&e);
	}
	/* a good NIB: RC 0, cc 0, the guest ISC registered */
	hook_open(&e, &cfg);
	aqic_guest(&e, NIB_ADDR);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_NORMAL);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq(host_mem(&e)[s390ap_vm_gisa(e.vm) + S390AP_GISA_IAM],
			  S390AP_GISA_ISC_BIT(ISC));
	env_close(&e);
}
END_TEST

START_TEST(test_sie_aqic_hook_without_gisa)
{
	const struct env_cfg cfg = { .vm_fac = ALL_FAC, .no_gisa = true };
	struct env e;
	s390ap_vcpu_stats st;
	unsigned nisc = 99;

	hook_open(&e, &cfg);
	ck_assert_x64(s390ap_vm_gisa(e.vm), 0);
	ck_assert(!(be_get32(scb_of(&e, e.v) + S390AP_SCB_ECA) & S390AP_ECA_AIV));
	ck_assert_x64(be_get32(scb_of(&e, e.v) + S390AP_SCB_GD), 0);
	aqic_guest(&e, NIB_ADDR);
	/* the hook passes it on: user space's operation exception */
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_OPERATION);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.pqap_hook, 1);
	ck_assert_uint_eq(st.user_exits, 2);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, ISC, &nisc), S390AP_ENODEV);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, ISC), S390AP_ENODEV);
	ck_assert_uint_eq(nisc, 99);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_gisc_refcount)
{
	s390ap_kvm_opts ko0 = { .size = sizeof(ko0), .nisc = S390AP_KVM_NISC_0 };
	struct env e;
	const uint8_t *iam;
	unsigned nisc = 99;

	env_open(&e, ALL_FAC, NULL);
	iam = host_mem(&e) + s390ap_vm_gisa(e.vm) + S390AP_GISA_IAM;
	ck_assert_uint_eq(S390AP_GISA_IAM, 7);
	ck_assert_uint_eq(*iam, 0);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, 8, &nisc), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 8), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 3), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, 3, &nisc), 0);
	ck_assert_uint_eq(nisc, S390AP_KVM_DEFAULT_NISC);
	ck_assert_uint_eq(*iam, 0x80 >> 3);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, 3, NULL), 0);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, 0, NULL), 0);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, 7, NULL), 0);
	ck_assert_uint_eq(*iam, 0x80 | 0x10 | 0x01);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 3), 0);
	ck_assert_uint_eq(*iam, 0x80 | 0x10 | 0x01); /* one reference left */
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 3), 0);
	ck_assert_uint_eq(*iam, 0x80 | 0x01);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 3), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 0), 0);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, 7), 0);
	ck_assert_uint_eq(*iam, 0);
	env_close(&e);

	env_open(&e, ALL_FAC, &ko0);
	ck_assert_int_eq(s390ap_vm_gisc_register(e.vm, 2, &nisc), 0);
	ck_assert_uint_eq(nisc, 0);
	ck_assert_uint_eq(host_mem(&e)[s390ap_kvm_gib(e.kvm) + S390AP_GIB_NISC] &
				  S390AP_GIB_NISC_MASK,
			  0);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_aqic_hook_disable_releases_isc)
{
	const struct env_cfg cfg = { .vm_fac = ALL_FAC };
	const uint64_t off[9] = { gr0_fc(S390AP_FC_AQIC, APQN_GRANTED), 0, 0 };
	struct env e;
	const uint8_t *iam;
	s390ap_stop why;

	hook_open(&e, &cfg);
	iam = host_mem(&e) + s390ap_vm_gisa(e.vm) + S390AP_GISA_IAM;
	aqic_guest(&e, NIB_ADDR);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_NORMAL);
	ck_assert_uint_eq(*iam, S390AP_GISA_ISC_BIT(ISC));
	/* let the enable complete on the machine */
	(void)s390ap_sys_run(e.sys, 0, s390ap_sys_cycles(e.sys) + 100000, &why);
	one_ap(&e, SEL_PQAP, off);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), 0);
	ck_assert_msg(guest_rc(&e) == S390AP_RC_NORMAL, "disable: rc %02x", guest_rc(&e));
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq(*iam, 0);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm, ISC), S390AP_EINVAL);
	env_close(&e);
}
END_TEST

/* nib.S end to end: prefix, NIB real address, and where the NIB lands. */
static void nib_case(uint32_t prefix, uint64_t nib_real, uint64_t nib_abs)
{
	const struct env_cfg cfg = { .vm_fac = ALL_FAC };
	uint8_t poison[1] = { 0xA5 }, b;
	struct env e;

	hook_open(&e, &cfg);
	/* the host's own storage at the same numbers must not change */
	ck_assert_int_eq(s390ap_sys_load(e.sys, nib_abs, poison, 1), 0);
	ck_assert_int_eq(s390ap_sys_load(e.sys, nib_real, poison, 1), 0);
	load_start(&e, sie_nib_elf, sie_nib_elf_len, APQN_GRANTED);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 8, nib_real), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 7, prefix), 0);
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_msg(s390ap_cpu_exit_value(e.cpu) == 0, "nib.S step %llu",
		      (unsigned long long)s390ap_cpu_exit_value(e.cpu));
	ck_assert_x64(s390ap_vcpu_gr(e.v, 12), 0x80000000u | ISC << 27);
	ck_assert_int_eq(s390ap_vm_read(e.vm, nib_abs, &b, 1), 0);
	ck_assert_uint_ne(b, 0);
	if (nib_abs != nib_real) {
		ck_assert_int_eq(s390ap_vm_read(e.vm, nib_real, &b, 1), 0);
		ck_assert_uint_eq(b, 0);
	}
	ck_assert_uint_eq(host_mem(&e)[nib_abs], 0xA5);
	ck_assert_uint_eq(host_mem(&e)[nib_real], 0xA5);
	env_close(&e);
}

START_TEST(test_sie_aqic_nib_in_guest_storage)
{
	nib_case(0, NIB_ADDR, NIB_ADDR);
	/* in the prefix area: real 0x1000 is absolute prefix + 0x1000 */
	nib_case(0x20000, 0x1000, 0x21000);
	/* and the other way round: real prefix + 0x1000 is absolute 0x1000 */
	nib_case(0x20000, 0x21000, 0x1000);
}
END_TEST

TCase *sie_aqic_tcase(void)
{
	TCase *tc = tcase_create("aqic_hook");

	tcase_add_test(tc, test_sie_aqic_hook_bad_nib);
	tcase_add_test(tc, test_sie_aqic_hook_without_gisa);
	tcase_add_test(tc, test_sie_gisc_refcount);
	tcase_add_test(tc, test_sie_aqic_hook_disable_releases_isc);
	tcase_add_test(tc, test_sie_aqic_nib_in_guest_storage);
	return tc;
}
