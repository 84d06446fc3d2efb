/* SPDX-License-Identifier: MIT */
/* The sie suite's fixture and guest helpers. */
#include "sie_test.h"

static void machine_make(struct env *e, uint32_t fac)
{
	s390ap_machine_opts mo = { .size = sizeof(mo), .facilities = fac, .facilities_set = true };
	s390ap_adapter_opts ao = { .size = sizeof(ao) };

	ck_assert_int_eq(s390ap_machine_new(&e->m, &mo), 0);
	ck_assert_int_eq(s390ap_adapter_add(e->m, 3, &ao), 0);
	ck_assert_int_eq(s390ap_adapter_add(e->m, 4, &ao), 0);
	ck_assert_int_eq(s390ap_domain_add(e->m, 6, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(e->m, 7, true, true), 0);
}

void env_open_cfg(struct env *e, const struct env_cfg *cfg)
{
	s390ap_sys_opts so = { .size = sizeof(so), .mem_size = MEM_SIZE, .ncpus = 2 };
	s390ap_vm_opts vo = { .size = sizeof(vo),
			      .facilities = cfg->vm_fac,
			      .mso = GUEST_MSO,
			      .mem_size = GUEST_SIZE,
			      .no_gisa = cfg->no_gisa,
			      .pckmo_ecc = cfg->pckmo_ecc,
			      .pckmo_hmac = cfg->pckmo_hmac };
	unsigned n = cfg->nvcpus ? cfg->nvcpus : 1;

	memset(e, 0, sizeof(*e));
	if (cfg->own_machine) {
		machine_make(e, cfg->mach_fac);
		so.machine = e->m;
	}
	ck_assert_int_eq(s390ap_sys_new(&e->sys, &so), 0);
	ck_assert_int_eq(s390ap_kvm_new(&e->kvm, e->sys, cfg->ko), 0);
	ck_assert_int_eq(s390ap_vm_new(e->kvm, &e->vm, &vo), 0);
	for (unsigned i = 0; i < n; i++) {
		s390ap_vcpu *v;

		ck_assert_int_eq(s390ap_vcpu_new(e->vm, &v, i), 0);
		e->vs[i] = v;
	}
	e->v = e->vs[0];
	e->cpu = s390ap_vcpu_cpu(e->v);
}

void env_open(struct env *e, uint32_t fac, const s390ap_kvm_opts *ko)
{
	struct env_cfg cfg = { .vm_fac = fac, .ko = ko };

	env_open_cfg(e, &cfg);
}

void env_close(struct env *e)
{
	s390ap_kvm_free(e->kvm);
	s390ap_sys_free(e->sys);
	s390ap_machine_free(e->m);
}

uint8_t *host_mem(struct env *e)
{
	return (uint8_t *)s390ap_mem_data(s390ap_sys_mem(e->sys));
}

uint8_t *scb_of(struct env *e, s390ap_vcpu *v)
{
	return host_mem(e) + s390ap_vcpu_scb(v);
}

uint8_t *crycb_host(struct env *e)
{
	s390ap_vm_crypto cr;

	ck_assert_int_eq(s390ap_vm_crypto_get(e->vm, &cr), 0);
	return host_mem(e) + cr.crycb;
}

/* Grant the guest the queues (apid, apqi) of the lists. */
void grant(struct env *e, const unsigned *apids, size_t na, const unsigned *apqis, size_t nq)
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

void grant_one(struct env *e, uint16_t apqn)
{
	const unsigned apid[] = { apqn >> 8 }, apqi[] = { apqn & 0xFFu };

	grant(e, apid, 1, apqi, 1);
}

void enable_apie(struct env *e)
{
	ck_assert_int_eq(s390ap_vm_set_attr(e->vm, S390AP_VM_CRYPTO, S390AP_VM_CRYPTO_ENABLE_APIE),
			 0);
}

void load_start(struct env *e, const unsigned char *elf, size_t len, uint64_t gr9)
{
	uint64_t entry;

	ck_assert_int_eq(s390ap_vm_load_elf(e->vm, elf, len, &entry), 0);
	ck_assert_int_eq(s390ap_vcpu_start(e->v, entry), 0);
	ck_assert(s390ap_vcpu_in_sie(e->v));
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 9, gr9), 0);
}

void run_done(struct env *e)
{
	s390ap_stop why;

	ck_assert_int_eq(s390ap_sys_run(e->sys, 0, 50000000, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
}

unsigned insn_id(const char *name)
{
	for (unsigned i = 0; i < s390ap_insn_count(); i++)
		if (strcmp(s390ap_insn_name(i), name) == 0)
			return i;
	ck_abort_msg("no instruction %s", name);
	return 0;
}

unsigned guest_cc(struct env *e)
{
	s390ap_psw psw;

	ck_assert_int_eq(s390ap_vcpu_psw(e->v, &psw), 0);
	return (unsigned)(psw.mask >> S390AP_PSW_CC_SHIFT) & 3;
}

uint8_t guest_rc(struct env *e)
{
	return (uint8_t)(s390ap_vcpu_gr(e->v, 1) >> 16);
}

void one_ap(struct env *e, enum one_ap_sel sel, const uint64_t gr[9])
{
	load_start(e, sie_one_ap_elf, sie_one_ap_elf_len, sel);
	for (unsigned i = 0; i < 9; i++)
		ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, i, gr[i]), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 13, 0), 0);
	run_done(e);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}
