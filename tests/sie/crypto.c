/* SPDX-License-Identifier: MIT */
/* The VM's crypto set-up: CRYCB format, wrapping keys, the crypto
 * attributes, the vCPUs' SCB crypto fields, the reset of all vCPUs and the
 * AP masks in the CRYCB. */
#include <errno.h>

#include "sie_test.h"

#define MACH_ALL (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_APSB | S390AP_FAC_RC8A))

static bool all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void crycb_format_case(bool msax3, bool apxa, unsigned want)
{
	struct env_cfg cfg = { .own_machine = true,
			       .mach_fac = apxa ? MACH_ALL : MACH_ALL & ~(uint32_t)S390AP_FAC_APXA,
			       .vm_fac = msax3 ? ALL_FAC : ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3 };
	struct env e;
	s390ap_vm_crypto cr;

	env_open_cfg(&e, &cfg);
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert_uint_eq(cr.format, want);
	ck_assert_uint_eq(cr.crycbd & S390AP_CRYCBD_FORMAT_MASK, want);
	ck_assert_x64(cr.crycbd & S390AP_CRYCBD_ORIGIN_MASK, cr.crycb);
	ck_assert_uint_eq(cr.crycb & 7, 0);
	ck_assert(!cr.apie);
	env_close(&e);
}

START_TEST(test_sie_crycb_format_from_model)
{
	crycb_format_case(false, true, S390AP_CRYCB_FORMAT0);
	crycb_format_case(false, false, S390AP_CRYCB_FORMAT0);
	crycb_format_case(true, false, S390AP_CRYCB_FORMAT1);
	crycb_format_case(true, true, S390AP_CRYCB_FORMAT2);
	ck_assert_uint_eq(S390AP_CRYCB_FORMAT2, 3);
}
END_TEST

START_TEST(test_sie_vm_new_wrapping_keys)
{
	s390ap_kvm_opts ko = { .size = sizeof(ko), .wk_seed = 42 };
	struct env e, e2;
	s390ap_vm_crypto cr;
	uint8_t aes[S390AP_CRYCB_WK_AES_LEN], dea[S390AP_CRYCB_WK_DEA_LEN];
	const uint8_t *cb;

	env_open(&e, ALL_FAC, &ko);
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(cr.aes_kw && cr.dea_kw && !cr.apie);
	cb = crycb_host(&e);
	ck_assert(!all_zero(cb + S390AP_CRYCB_WK_AES, S390AP_CRYCB_WK_AES_LEN));
	ck_assert(!all_zero(cb + S390AP_CRYCB_WK_DEA, S390AP_CRYCB_WK_DEA_LEN));
	memcpy(aes, cb + S390AP_CRYCB_WK_AES, sizeof aes);
	memcpy(dea, cb + S390AP_CRYCB_WK_DEA, sizeof dea);
	ck_assert(memcmp(aes, dea, sizeof dea) != 0);
	/* the seeded generator: the same seed gives the same masks */
	env_open(&e2, ALL_FAC, &ko);
	cb = crycb_host(&e2);
	ck_assert(memcmp(cb + S390AP_CRYCB_WK_AES, aes, sizeof aes) == 0);
	ck_assert(memcmp(cb + S390AP_CRYCB_WK_DEA, dea, sizeof dea) == 0);
	env_close(&e2);
	env_close(&e);

	/* no facility 76: no key wrapping, no masks */
	env_open(&e, ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3, &ko);
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(!cr.aes_kw && !cr.dea_kw && !cr.apie);
	cb = crycb_host(&e);
	ck_assert(all_zero(cb + S390AP_CRYCB_WK_DEA,
			   S390AP_CRYCB_WK_DEA_LEN + S390AP_CRYCB_WK_AES_LEN));
	env_close(&e);
}
END_TEST

START_TEST(test_sie_attr_key_wrapping)
{
	struct env e;
	s390ap_vm_crypto cr;
	uint8_t old[S390AP_CRYCB_WK_AES_LEN];
	uint8_t *cb;

	env_open(&e, ALL_FAC, NULL);
	cb = crycb_host(&e);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO,
					    S390AP_VM_CRYPTO_DISABLE_AES_KW),
			 0);
	ck_assert(all_zero(cb + S390AP_CRYCB_WK_AES, S390AP_CRYCB_WK_AES_LEN));
	ck_assert(!all_zero(cb + S390AP_CRYCB_WK_DEA, S390AP_CRYCB_WK_DEA_LEN));
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO,
					    S390AP_VM_CRYPTO_DISABLE_DEA_KW),
			 0);
	ck_assert(all_zero(cb + S390AP_CRYCB_WK_DEA, S390AP_CRYCB_WK_DEA_LEN));
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(!cr.aes_kw && !cr.dea_kw);

	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_AES_KW),
			 0);
	ck_assert(!all_zero(cb + S390AP_CRYCB_WK_AES, S390AP_CRYCB_WK_AES_LEN));
	memcpy(old, cb + S390AP_CRYCB_WK_AES, sizeof old);
	/* every enable is a new mask */
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_AES_KW),
			 0);
	ck_assert(memcmp(old, cb + S390AP_CRYCB_WK_AES, sizeof old) != 0);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_DEA_KW),
			 0);
	ck_assert(!all_zero(cb + S390AP_CRYCB_WK_DEA, S390AP_CRYCB_WK_DEA_LEN));
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(cr.aes_kw && cr.dea_kw);
	env_close(&e);

	env_open(&e, ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3, NULL);
	for (unsigned a = S390AP_VM_CRYPTO_ENABLE_AES_KW; a <= S390AP_VM_CRYPTO_DISABLE_DEA_KW; a++)
		ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, a), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(!cr.aes_kw && !cr.dea_kw);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_attr_apie_and_unknown)
{
	struct env_cfg noap = { .own_machine = true,
				.mach_fac = MACH_ALL & ~(uint32_t)S390AP_FAC_AP,
				.vm_fac = ALL_FAC };
	struct env e;
	s390ap_vm_crypto cr;
	uint64_t val = 7;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(cr.apie);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_DISABLE_APIE),
			 0);
	ck_assert_int_eq(s390ap_vm_crypto_get(e.vm, &cr), 0);
	ck_assert(!cr.apie);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, 6), S390AP_ENXIO);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, 1, S390AP_VM_CRYPTO_ENABLE_APIE), S390AP_ENXIO);
	for (unsigned a = 0; a <= S390AP_VM_CRYPTO_DISABLE_APIE; a++) {
		ck_assert_int_eq(s390ap_vm_has_attr(e.vm, S390AP_VM_CRYPTO, a), 0);
		ck_assert_int_eq(s390ap_vm_get_attr(e.vm, S390AP_VM_CRYPTO, a, &val), S390AP_ENXIO);
	}
	ck_assert_int_eq(s390ap_vm_has_attr(e.vm, S390AP_VM_CRYPTO, 6), S390AP_ENXIO);
	ck_assert_int_eq(s390ap_vm_has_attr(e.vm, 3, 0), S390AP_ENXIO);
	ck_assert_uint_eq(val, 7);
	env_close(&e);

	/* a host without AP instructions */
	env_open_cfg(&e, &noap);
	ck_assert_int_eq(S390AP_ENOTSUP, -EOPNOTSUPP);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 S390AP_ENOTSUP);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_DISABLE_APIE),
			 S390AP_ENOTSUP);
	ck_assert_int_eq(s390ap_vm_set_attr(e.vm, S390AP_VM_CRYPTO,
					    S390AP_VM_CRYPTO_DISABLE_AES_KW),
			 0);
	for (unsigned a = 0; a <= S390AP_VM_CRYPTO_DISABLE_DEA_KW; a++)
		ck_assert_int_eq(s390ap_vm_has_attr(e.vm, S390AP_VM_CRYPTO, a), 0);
	ck_assert_int_eq(s390ap_vm_has_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 S390AP_ENXIO);
	ck_assert_int_eq(s390ap_vm_has_attr(e.vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_DISABLE_APIE),
			 S390AP_ENXIO);
	ck_assert_int_eq(s390ap_vm_get_attr(e.vm, S390AP_VM_CRYPTO, 4, &val), S390AP_ENXIO);
	env_close(&e);

	/* the key-wrapping attributes exist without facility 76 too */
	env_open(&e, 0, NULL);
	for (unsigned a = 0; a <= S390AP_VM_CRYPTO_DISABLE_DEA_KW; a++)
		ck_assert_int_eq(s390ap_vm_has_attr(e.vm, S390AP_VM_CRYPTO, a), 0);
	env_close(&e);
}
END_TEST

/* The SCB crypto fields of every vCPU against the truth table, from the
 * VM's state as the test tracks it. */
struct want {
	bool fac76, apie, aes, dea, ecc, hmac;
};

static void check_setup(struct env *e, const struct want *w)
{
	s390ap_vm_crypto cr;

	ck_assert_int_eq(s390ap_vm_crypto_get(e->vm, &cr), 0);
	ck_assert(cr.apie == w->apie && cr.aes_kw == w->aes && cr.dea_kw == w->dea);
	for (unsigned i = 0; i < 2; i++) {
		const uint8_t *scb = scb_of(e, e->vs[i]);
		uint32_t eca = be_get32(scb + S390AP_SCB_ECA), ecd = be_get32(scb + S390AP_SCB_ECD);
		uint8_t ecb3 = scb[S390AP_SCB_ECB3];

		/* the GISA's control is not the crypto set-up's to touch */
		ck_assert(eca & S390AP_ECA_AIV);
		if (!w->apie && !w->fac76) {
			ck_assert_x64(be_get32(scb + S390AP_SCB_CRYCBD), 0);
			ck_assert(!(eca & S390AP_ECA_APIE));
			ck_assert(!(ecb3 & (S390AP_ECB3_AES | S390AP_ECB3_DEA)));
			ck_assert(!(ecd & (S390AP_ECD_ECC | S390AP_ECD_HMAC)));
			continue;
		}
		ck_assert_x64(be_get32(scb + S390AP_SCB_CRYCBD), cr.crycbd);
		ck_assert_uint_eq(!!(eca & S390AP_ECA_APIE), w->apie);
		ck_assert_uint_eq(!!(ecb3 & S390AP_ECB3_AES), w->fac76 && w->aes);
		ck_assert_uint_eq(!!(ecb3 & S390AP_ECB3_DEA), w->fac76 && w->dea);
		ck_assert_uint_eq(!!(ecd & S390AP_ECD_ECC), w->fac76 && w->aes && w->ecc);
		ck_assert_uint_eq(!!(ecd & S390AP_ECD_HMAC), w->fac76 && w->aes && w->hmac);
	}
}

static void set_and_check(struct env *e, struct want *w, unsigned attr)
{
	ck_assert_int_eq(s390ap_vm_set_attr(e->vm, S390AP_VM_CRYPTO, attr), 0);
	switch (attr) {
	case S390AP_VM_CRYPTO_ENABLE_AES_KW:
		w->aes = true;
		break;
	case S390AP_VM_CRYPTO_ENABLE_DEA_KW:
		w->dea = true;
		break;
	case S390AP_VM_CRYPTO_DISABLE_AES_KW:
		w->aes = false;
		break;
	case S390AP_VM_CRYPTO_DISABLE_DEA_KW:
		w->dea = false;
		break;
	case S390AP_VM_CRYPTO_ENABLE_APIE:
		w->apie = true;
		break;
	default:
		w->apie = false;
		break;
	}
	check_setup(e, w);
}

START_TEST(test_sie_vcpu_crypto_truth_table)
{
	for (unsigned opt = 0; opt < 4; opt++) {
		struct env_cfg cfg = { .vm_fac = ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3,
				       .pckmo_ecc = opt & 1,
				       .pckmo_hmac = (opt & 2) != 0,
				       .nvcpus = 2 };
		struct want w = { .ecc = opt & 1, .hmac = (opt & 2) != 0 };
		struct env e;

		/* no facility 76: only APIE moves anything */
		env_open_cfg(&e, &cfg);
		check_setup(&e, &w);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_ENABLE_APIE);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_DISABLE_APIE);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_ENABLE_APIE);
		env_close(&e);

		cfg.vm_fac = ALL_FAC;
		w = (struct want){ .fac76 = true,
				   .aes = true,
				   .dea = true,
				   .ecc = opt & 1,
				   .hmac = (opt & 2) != 0 };
		env_open_cfg(&e, &cfg);
		check_setup(&e, &w);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_DISABLE_AES_KW);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_ENABLE_APIE);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_DISABLE_DEA_KW);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_ENABLE_AES_KW);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_DISABLE_APIE);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_ENABLE_DEA_KW);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_DISABLE_AES_KW);
		set_and_check(&e, &w, S390AP_VM_CRYPTO_DISABLE_DEA_KW);
		env_close(&e);
	}
}
END_TEST

START_TEST(test_sie_reset_all_kicks_and_keeps_guest)
{
	struct env e;
	s390ap_vcpu_stats st;
	s390ap_psw before, after;
	s390ap_stop why;
	const uint8_t *scb;

	env_open(&e, ALL_FAC, NULL);
	load_start(&e, sie_one_ap_elf, sie_one_ap_elf_len, SEL_PQAP);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 0, gr0_fc(S390AP_FC_TAPQ, APQN_GRANTED)), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 5, 0x5555), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 13, 0), 0);
	/* into the program, short of its PQAP */
	ck_assert_int_eq(s390ap_sys_run(e.sys, 3, 0, &why), 0);
	ck_assert(s390ap_vcpu_in_sie(e.v));
	ck_assert_int_eq(s390ap_vcpu_psw(e.v, &before), 0);

	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.kicks, 2);
	ck_assert(s390ap_vcpu_in_sie(e.v));
	ck_assert_int_eq(s390ap_vcpu_psw(e.v, &after), 0);
	ck_assert_x64(after.addr, before.addr);
	ck_assert_x64(after.mask, before.mask);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 5), 0x5555);
	scb = scb_of(&e, e.v);
	ck_assert(!(be_get32(scb + S390AP_SCB_PROG20) & S390AP_PROG_BLOCK_SIE));
	ck_assert(be_get32(scb + S390AP_SCB_ECA) & S390AP_ECA_APIE);

	/* the guest goes on with the new view: TAPQ interpreted, cc 0 */
	run_done(&e);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_NORMAL);
	ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.v, insn_id("PQAP")), 0);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), 0);
	env_close(&e);

	/* two vCPUs in SIE: each is kicked by each change and sees it */
	{
		struct env_cfg cfg = { .vm_fac = ALL_FAC, .nvcpus = 2 };
		uint64_t entry;

		env_open_cfg(&e, &cfg);
		ck_assert_int_eq(s390ap_vm_load_elf(e.vm, sie_one_ap_elf, sie_one_ap_elf_len,
						    &entry),
				 0);
		for (unsigned i = 0; i < 2; i++) {
			ck_assert_int_eq(s390ap_vcpu_start(e.vs[i], entry), 0);
			ck_assert_int_eq(s390ap_vcpu_set_gr(e.vs[i], 0,
							    gr0_fc(S390AP_FC_TAPQ, APQN_GRANTED)),
					 0);
			ck_assert_int_eq(s390ap_vcpu_set_gr(e.vs[i], 9, SEL_PQAP), 0);
			ck_assert_int_eq(s390ap_vcpu_set_gr(e.vs[i], 13, 0), 0);
		}
		enable_apie(&e);
		grant_one(&e, APQN_GRANTED);
		run_done(&e);
		for (unsigned i = 0; i < 2; i++) {
			ck_assert_int_eq(s390ap_vcpu_stats_get(e.vs[i], &st), 0);
			ck_assert_uint_eq(st.kicks, 2);
			ck_assert_int_eq(s390ap_cpu_state_get(s390ap_vcpu_cpu(e.vs[i])),
					 S390AP_CPU_HALTED);
			ck_assert_uint_eq((uint8_t)(s390ap_vcpu_gr(e.vs[i], 1) >> 16),
					  S390AP_RC_NORMAL);
			ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.vs[i], insn_id("PQAP")), 0);
			ck_assert(!(be_get32(scb_of(&e, e.vs[i]) + S390AP_SCB_PROG20) &
				    S390AP_PROG_BLOCK_SIE));
		}
		env_close(&e);
	}

	/* a vCPU not in SIE is not kicked */
	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.kicks, 0);
	env_close(&e);
}
END_TEST

static void fill_masks(uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32])
{
	for (unsigned i = 0; i < 32; i++) {
		apm[i] = (uint8_t)(0x10 + i);
		aqm[i] = (uint8_t)(0x80 + i);
		adm[i] = (uint8_t)(0xC0 + i);
	}
}

static void masks_case(uint32_t vm_fac, bool apxa, unsigned fmt)
{
	struct env_cfg cfg = { .own_machine = true,
			       .mach_fac = apxa ? MACH_ALL : MACH_ALL & ~(uint32_t)S390AP_FAC_APXA,
			       .vm_fac = vm_fac };
	uint8_t apm[32], aqm[32], adm[32], wk[56];
	struct env e;
	uint8_t *cb;

	fill_masks(apm, aqm, adm);
	env_open_cfg(&e, &cfg);
	cb = crycb_host(&e);
	ck_assert_uint_eq(cb == NULL, 0);
	memcpy(wk, cb + S390AP_CRYCB_WK_DEA, sizeof wk);
	ck_assert_int_eq(s390ap_vm_set_masks(e.vm, apm, aqm, adm), 0);
	if (fmt == S390AP_CRYCB_FORMAT2) {
		ck_assert(memcmp(cb + S390AP_CRYCB_APCB1_APM, apm, 32) == 0);
		ck_assert(memcmp(cb + S390AP_CRYCB_APCB1_AQM, aqm, 32) == 0);
		ck_assert(memcmp(cb + S390AP_CRYCB_APCB1_ADM, adm, 32) == 0);
		ck_assert(all_zero(cb + S390AP_CRYCB_APCB0, 32));
	} else {
		ck_assert(memcmp(cb + S390AP_CRYCB_APCB0_APM, apm, 8) == 0);
		ck_assert(memcmp(cb + S390AP_CRYCB_APCB0_AQM, aqm, 2) == 0);
		ck_assert(memcmp(cb + S390AP_CRYCB_APCB0_ADM, adm, 2) == 0);
		ck_assert(all_zero(cb + S390AP_CRYCB_APCB0_AQM + 2, 6));
		ck_assert(all_zero(cb + S390AP_CRYCB_APCB0_ADM + 2, 6));
		ck_assert(all_zero(cb + S390AP_CRYCB_APCB1, 0x60));
	}
	ck_assert_int_eq(s390ap_vm_clear_masks(e.vm), 0);
	ck_assert(all_zero(cb + S390AP_CRYCB_APCB0, 32));
	ck_assert(all_zero(cb + S390AP_CRYCB_APCB1, 0x60));
	ck_assert(memcmp(wk, cb + S390AP_CRYCB_WK_DEA, sizeof wk) == 0);
	env_close(&e);
}

START_TEST(test_sie_masks_by_format)
{
	masks_case(ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3, true, S390AP_CRYCB_FORMAT0);
	masks_case(ALL_FAC, false, S390AP_CRYCB_FORMAT1);
	masks_case(ALL_FAC, true, S390AP_CRYCB_FORMAT2);
}
END_TEST

TCase *sie_crypto_tcase(void)
{
	TCase *tc = tcase_create("crypto");

	tcase_add_test(tc, test_sie_crycb_format_from_model);
	tcase_add_test(tc, test_sie_vm_new_wrapping_keys);
	tcase_add_test(tc, test_sie_attr_key_wrapping);
	tcase_add_test(tc, test_sie_attr_apie_and_unknown);
	tcase_add_test(tc, test_sie_vcpu_crypto_truth_table);
	tcase_add_test(tc, test_sie_reset_all_kicks_and_keeps_guest);
	tcase_add_test(tc, test_sie_masks_by_format);
	return tc;
}
