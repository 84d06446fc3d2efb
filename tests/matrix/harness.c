/* SPDX-License-Identifier: MIT */
/* The matrix suite's fixture and helpers. */
#include "matrix/matrix_test.h"

void mset(uint8_t m[32], unsigned id)
{
	m[id >> 3] = (uint8_t)(m[id >> 3] | (0x80u >> (id & 7u)));
}

bool mtest(const uint8_t m[32], unsigned id)
{
	return (m[id >> 3] & (0x80u >> (id & 7u))) != 0;
}

void mfill(uint8_t m[32], const int *ids)
{
	memset(m, 0, 32);
	for (; *ids >= 0; ids++)
		mset(m, (unsigned)*ids);
}

void menv_open(struct menv *e, const struct menv_cfg *cfg)
{
	static const struct menv_cfg dflt = { 0 };
	s390ap_machine_opts mo = { .size = sizeof(mo) };
	s390ap_adapter_opts ao = { .size = sizeof(ao) };
	s390ap_sys_opts so = { .size = sizeof(so), .mem_size = MEM_SIZE, .ncpus = 1 };
	s390ap_matrix_opts xo = { .size = sizeof(xo) };

	if (!cfg)
		cfg = &dflt;
	memset(e, 0, sizeof(*e));
	if (cfg->no_apxa) {
		mo.facilities = S390AP_FAC_ALL &
				~(S390AP_FAC_APXA | S390AP_FAC_APSB | S390AP_FAC_RC8A);
		mo.facilities_set = true;
	}
	mo.na = cfg->na;
	mo.nd = cfg->nd;
	ck_assert_int_eq(s390ap_machine_new(&e->m, &mo), 0);
	ck_assert_int_eq(s390ap_adapter_add(e->m, 3, &ao), 0);
	ck_assert_int_eq(s390ap_adapter_add(e->m, 4, &ao), 0);
	ao.domains = 7; /* 05.0007 and 05.0008 do not exist */
	ck_assert_int_eq(s390ap_adapter_add(e->m, 5, &ao), 0);
	for (unsigned d = 6; d <= 8; d++)
		ck_assert_int_eq(s390ap_domain_add(e->m, d, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(e->m, 0, false, true), 0);
	so.machine = e->m;
	ck_assert_int_eq(s390ap_sys_new(&e->sys, &so), 0);
	if (!cfg->no_kvm) {
		uint32_t fac = cfg->vm_no_msax3 ? ALL_FAC & ~S390AP_FAC_MSAX3 : ALL_FAC;

		ck_assert_int_eq(s390ap_kvm_new(&e->kvm, e->sys, NULL), 0);
		for (unsigned i = 0; i < 2; i++) {
			s390ap_vm_opts vo = { .size = sizeof(vo),
					      .facilities = fac,
					      .mso = (8u + 4u * i) << 20,
					      .mem_size = GUEST_SIZE };

			ck_assert_int_eq(s390ap_vm_new(e->kvm, &e->vm[i], &vo), 0);
			ck_assert_int_eq(s390ap_vm_set_attr(e->vm[i], S390AP_VM_CRYPTO,
							    S390AP_VM_CRYPTO_ENABLE_APIE),
					 0);
		}
		ck_assert_int_eq(s390ap_vcpu_new(e->vm[0], &e->v, 0), 0);
		e->cpu = s390ap_vcpu_cpu(e->v);
	}
	xo.policy = cfg->policy;
	xo.masks_zero = cfg->masks_zero;
	ck_assert_int_eq(s390ap_matrix_new(&e->mx, e->m, e->kvm, &xo), 0);
}

void menv_close(struct menv *e)
{
	s390ap_matrix_free(e->mx);
	s390ap_kvm_free(e->kvm);
	s390ap_sys_free(e->sys);
	s390ap_machine_free(e->m);
}

void crycb_masks(struct menv *e, s390ap_vm *vm, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32],
		 unsigned *fmt)
{
	s390ap_vm_crypto cr;
	const uint8_t *mem = s390ap_mem_data(s390ap_sys_mem(e->sys));

	ck_assert_int_eq(s390ap_vm_crypto_get(vm, &cr), 0);
	ck_assert_int_eq(s390ap_crycb_masks(mem + cr.crycb, cr.format, apm, aqm, adm), 0);
	if (fmt)
		*fmt = cr.format;
}

void free_all(struct menv *e)
{
	const uint8_t zero[32] = { 0 };

	ck_assert_int_eq(s390ap_matrix_set_apmask(e->mx, zero), 0);
	ck_assert_int_eq(s390ap_matrix_set_aqmask(e->mx, zero), 0);
}

void guest_run(struct menv *e, const unsigned char *elf, size_t len, uint64_t gr9)
{
	uint64_t entry;
	s390ap_stop why;

	ck_assert_int_eq(s390ap_vm_load_elf(e->vm[0], elf, len, &entry), 0);
	ck_assert_int_eq(s390ap_vcpu_start(e->v, entry), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 9, gr9), 0);
	ck_assert_int_eq(s390ap_sys_run(e->sys, 0, 50000000, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}

unsigned guest_cc(struct menv *e)
{
	s390ap_psw psw;

	ck_assert_int_eq(s390ap_vcpu_psw(e->v, &psw), 0);
	return (unsigned)(psw.mask >> S390AP_PSW_CC_SHIFT) & 3;
}

uint8_t guest_rc(struct menv *e)
{
	return (uint8_t)(s390ap_vcpu_gr(e->v, 1) >> 16);
}
