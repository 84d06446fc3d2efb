/* SPDX-License-Identifier: MIT */
/* test_vsie's fixture (vsie_test.h). */
#include "vsie_test.h"

#include "vsie/vsie_internal.h"

_Static_assert(VSIE_SHADOW_CRYCB_OFF == VSIE_SHADOW_CRYCB, "the shadow CRYCB's offset");

#define MACH_ALL (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_APSB | S390AP_FAC_RC8A))

void vsie_open(struct env *e, unsigned fmt_h, bool apie, bool pckmo_ecc)
{
	vsie_open_ko(e, fmt_h, apie, pckmo_ecc, NULL);
}

void vsie_open_ko(struct env *e, unsigned fmt_h, bool apie, bool pckmo_ecc,
		  const s390ap_kvm_opts *ko)
{
	struct env_cfg cfg = { .own_machine = true,
			       .mach_fac = MACH_ALL,
			       .vm_fac = ALL_FAC,
			       .ko = ko,
			       .pckmo_ecc = pckmo_ecc };
	s390ap_vm_crypto cr;

	if (fmt_h == S390AP_CRYCB_FORMAT0)
		cfg.vm_fac &= ~(uint32_t)S390AP_FAC_MSAX3;
	if (fmt_h == S390AP_CRYCB_FORMAT1)
		cfg.mach_fac &= ~(uint32_t)S390AP_FAC_APXA;
	env_open_cfg(e, &cfg);
	ck_assert_int_eq(s390ap_vm_crypto_get(e->vm, &cr), 0);
	ck_assert_uint_eq(cr.format, fmt_h);
	if (apie)
		enable_apie(e);
	vsie_grant(e);
}

void vsie_grant(struct env *e)
{
	const unsigned apids[] = { 3, 4, G2_APID_HIGH }, apqis[] = { 6, 7, G2_APQI_HIGH };

	grant(e, apids, 3, apqis, 3);
}

void g3_scb_put(struct env *e, const struct g3_cfg *c)
{
	uint8_t scb[S390AP_SCB_SIZE] = { 0 };

	be_put32(scb + S390AP_SCB_CPUFLAGS, S390AP_CPUSTAT_ZARCH);
	be_put64(scb + S390AP_SCB_MSO, c->mso || c->msl ? c->mso : G3_MSO);
	be_put64(scb + S390AP_SCB_MSL, c->mso || c->msl ? c->msl : G3_MSO);
	be_put64(scb + S390AP_SCB_GPSW, S390AP_PSW_EA | S390AP_PSW_BA);
	be_put64(scb + S390AP_SCB_GPSW + 8, G3_ENTRY);
	be_put32(scb + S390AP_SCB_PREFIX, c->prefix);
	be_put32(scb + S390AP_SCB_ICTL, c->ictl);
	be_put32(scb + S390AP_SCB_ECA, c->eca);
	scb[S390AP_SCB_ECB3] = c->ecb3;
	be_put32(scb + S390AP_SCB_ECD, c->ecd);
	be_put32(scb + S390AP_SCB_GD, c->gd);
	be_put32(scb + S390AP_SCB_CRYCBD, c->crycbd);
	ck_assert_int_eq(s390ap_vm_write(e->vm, G3_SCB, scb, sizeof(scb)), 0);
}

uint8_t g3_wk(unsigned i)
{
	return (uint8_t)(0x11u * i + 0x5Au);
}

void g3_crycb_put(struct env *e, uint64_t a)
{
	uint8_t c[S390AP_CRYCB_SIZE];
	size_t n = sizeof(c);

	memset(c, 0xFF, sizeof(c));
	mask_clear(c + S390AP_CRYCB_APCB0_APM, 4);
	mask_clear(c + S390AP_CRYCB_APCB1_APM, 4);
	for (unsigned i = 0; i < S390AP_CRYCB_WK_DEA_LEN + S390AP_CRYCB_WK_AES_LEN; i++)
		c[S390AP_CRYCB_WK_DEA + i] = g3_wk(i);
	if (a + n > GUEST_SIZE) /* only what lies in guest-2's storage */
		n = a < GUEST_SIZE ? GUEST_SIZE - a : 0;
	if (n)
		ck_assert_int_eq(s390ap_vm_write(e->vm, a, c, n), 0);
}

void g3_load(struct env *e, const unsigned char *bin, size_t len)
{
	ck_assert_int_eq(s390ap_vm_write(e->vm, G3_MSO + G3_ENTRY, bin, len), 0);
}

void g2_run(struct env *e, uint64_t gr9)
{
	load_start(e, sie_sie_host_elf, sie_sie_host_elf_len, gr9);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 1, G3_SCB), 0);
	run_done(e);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}

void g2_start_r14(struct env *e, const uint64_t gr[9], uint64_t gr9)
{
	load_start(e, vsie_sie_r14_elf, vsie_sie_r14_elf_len, gr9);
	for (unsigned i = 0; i < 9; i++)
		ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, i, gr[i]), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e->v, 14, G3_SCB), 0);
}

void g2_run_r14(struct env *e, const uint64_t gr[9], uint64_t gr9)
{
	g2_start_r14(e, gr, gr9);
	run_done(e);
	ck_assert_int_eq(s390ap_cpu_state_get(e->cpu), S390AP_CPU_HALTED);
}

uint8_t *g3_scb(struct env *e)
{
	return host_mem(e) + GUEST_MSO + G3_SCB;
}

unsigned g3_cc(struct env *e)
{
	return (unsigned)(be_get64(g3_scb(e) + S390AP_SCB_GPSW) >> S390AP_PSW_CC_SHIFT) & 3;
}

void expect_validity(struct env *e, uint16_t ipa, uint16_t reason)
{
	ck_assert_uint_eq(g3_scb(e)[S390AP_SCB_ICPTCODE], S390AP_ICPT_VALIDITY);
	ck_assert_uint_eq(be_get16(g3_scb(e) + S390AP_SCB_IPA), ipa);
	ck_assert_uint_eq(be_get32(g3_scb(e) + S390AP_SCB_IPB), (uint32_t)reason << 16);
}

uint64_t vsie_page(struct env *e)
{
	ck_assert_ptr_nonnull(e->v->vsie);
	ck_assert_uint_ne(e->v->vsie->page, 0);
	return e->v->vsie->page;
}

uint8_t *shadow_scb(struct env *e)
{
	return host_mem(e) + vsie_page(e) + VSIE_SHADOW_SCB;
}

uint8_t *shadow_crycb(struct env *e)
{
	return host_mem(e) + vsie_page(e) + VSIE_SHADOW_CRYCB;
}

bool vsie_running(struct env *e)
{
	return e->v->vsie && e->v->vsie->active;
}

struct vsie_counts vsie_counts_get(struct env *e)
{
	const struct vsie_state *s = e->v->vsie;

	ck_assert_ptr_nonnull(s);
	return (struct vsie_counts){ s->entries,  s->exits,      s->validity,
				     s->restarts, s->cache_hits, s->cache_builds };
}
