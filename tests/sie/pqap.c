/* SPDX-License-Identifier: MIT */
/* handle_pqap: the order of its checks, called directly from an exit and
 * reached through the dispatcher, and the rows of the compatibility table
 * (kvm opts pqap_policy). */
#include "sie_test.h"

#define MACH_ALL (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_APSB | S390AP_FAC_RC8A))
#define GR1_FILL 0x1111222233334444ull
#define CC_BEFORE 1u /* one_ap.S's cc before its PQAP */

/* A hook that answers with the response code in its context. */
struct hook_ctx {
	uint8_t rc;
	int ret;
	unsigned calls;
};

static int hook_rc(void *ctx, s390ap_vcpu *v)
{
	struct hook_ctx *h = ctx;

	h->calls++;
	if (h->ret == 0)
		(void)s390ap_vcpu_set_gr(v, 1, (uint64_t)h->rc << 16);
	return h->ret;
}

/* The PQAP(AQIC) of one_ap.S in a guest; GR13 is the program
 * interruption it took, if any. */
static void guest_aqic(struct env *e, uint64_t gr0)
{
	const uint64_t gr[9] = { gr0, GR1_FILL };

	one_ap(e, SEL_PQAP, gr);
}

/* ---- through the dispatcher ---- */

START_TEST(test_sie_pqap_host_without_ap)
{
	struct env_cfg cfg = { .own_machine = true,
			       .mach_fac = MACH_ALL & ~(uint32_t)S390AP_FAC_AP,
			       .vm_fac = ALL_FAC };
	struct env e;
	s390ap_vcpu_stats st;
	uint8_t *scb;

	env_open_cfg(&e, &cfg);
	/* even with ECA_APIE forced on: the host has nothing to offer */
	scb = scb_of(&e, e.v);
	be_put32(scb + S390AP_SCB_ECA, be_get32(scb + S390AP_SCB_ECA) | S390AP_ECA_APIE);
	ck_assert_int_eq(s390ap_kvm_handle_pqap(e.v), S390AP_ENOTSUP);
	env_close(&e);

	env_open_cfg(&e, &cfg);
	guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_OPERATION);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	/* the guest's own operation exception, as at level 1: only the
	 * DIAG reaches the host */
	ck_assert_uint_eq(st.user_exits, 1);
	ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.v, insn_id("PQAP")), 0);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_pqap_without_apie_user_space)
{
	struct env e;
	struct hook_ctx h = { 0 };
	s390ap_vcpu_stats st;

	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_OPERATION);
	ck_assert_uint_eq(h.calls, 0);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.pqap_hook, 0);
	ck_assert_uint_eq(st.injected, 1);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_pqap_problem_state_before_icpt)
{
	struct env e;
	struct hook_ctx h = { 0 };
	const uint64_t gr[9] = { gr0_fc(S390AP_FC_AQIC, APQN_GRANTED), GR1_FILL };
	s390ap_vcpu_stats st;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	one_ap(&e, SEL_PQAP_PROBLEM, gr);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_PRIVILEGED);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 1), GR1_FILL);
	ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.v, insn_id("PQAP")), 0);
	ck_assert_uint_eq(h.calls, 0);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.injected, 0); /* the guest's own exception */
	env_close(&e);

	/* without APIE, where every AP instruction intercepts: the same */
	env_open(&e, ALL_FAC, NULL);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	one_ap(&e, SEL_PQAP_PROBLEM, gr);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_PRIVILEGED);
	ck_assert_uint_eq(s390ap_vcpu_icpt_insn(e.v, insn_id("PQAP")), 0);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.user_exits, 1); /* the DIAG only */
	env_close(&e);
}
END_TEST

/* Rows 5-8: a specification exception for the guest, before any hook. */
static void spec_case(uint32_t vm_fac, bool apxa, uint64_t gr0, uint16_t want_pgm)
{
	struct env_cfg cfg = { .own_machine = true,
			       .mach_fac = apxa ? MACH_ALL : MACH_ALL & ~(uint32_t)S390AP_FAC_APXA,
			       .vm_fac = vm_fac };
	struct hook_ctx h = { .rc = 0 };
	struct env e;

	env_open_cfg(&e, &cfg);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	guest_aqic(&e, gr0);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), want_pgm);
	if (want_pgm) {
		ck_assert_uint_eq(h.calls, 0);
		ck_assert_x64(s390ap_vcpu_gr(e.v, 1), GR1_FILL);
	} else {
		ck_assert_uint_eq(h.calls, 1);
		ck_assert_uint_eq(guest_cc(&e), 0);
	}
	env_close(&e);
}

START_TEST(test_sie_pqap_spec_rows)
{
	const uint64_t aqic = gr0_fc(S390AP_FC_AQIC, APQN_GRANTED);

	/* 5: GR0 bits 41-47 */
	spec_case(ALL_FAC, true, aqic | 0x00010000u, S390AP_PGM_SPECIFICATION);
	spec_case(ALL_FAC, true, aqic | 0x00400000u, S390AP_PGM_SPECIFICATION);
	/* 6: the T bit needs facility 15 */
	spec_case(ALL_FAC & ~(uint32_t)S390AP_FAC_APFT, true, aqic | S390AP_GR0_T,
		  S390AP_PGM_SPECIFICATION);
	spec_case(ALL_FAC, true, aqic | S390AP_GR0_T, 0);
	/* 7: ids above 63/15 need the CRYCB's APXA bit (format 2) */
	spec_case(ALL_FAC, false, gr0_fc(S390AP_FC_AQIC, 0x0316), S390AP_PGM_SPECIFICATION);
	spec_case(ALL_FAC, false, gr0_fc(S390AP_FC_AQIC, 0x4306), S390AP_PGM_SPECIFICATION);
	spec_case(ALL_FAC & ~(uint32_t)S390AP_FAC_MSAX3, true, gr0_fc(S390AP_FC_AQIC, 0x8306),
		  S390AP_PGM_SPECIFICATION);
	spec_case(ALL_FAC, true, gr0_fc(S390AP_FC_AQIC, 0x0316), 0);
	spec_case(ALL_FAC, false, aqic, 0);
	/* 8: facility 65 */
	spec_case(ALL_FAC & ~(uint32_t)S390AP_FAC_AQIC, true, aqic, S390AP_PGM_SPECIFICATION);
}
END_TEST

START_TEST(test_sie_pqap_hook_cc)
{
	static const struct {
		unsigned policy;
		uint8_t rc;
		unsigned cc;
	} rows[] = {
		{ S390AP_KVM_PQAP_CURRENT, 0x00, 0 },
		{ S390AP_KVM_PQAP_CURRENT, 0x06, 3 },
		{ S390AP_KVM_PQAP_BEFORE_CC_FIX, 0x00, CC_BEFORE },
		{ S390AP_KVM_PQAP_BEFORE_CC_FIX, 0x01, 3 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		s390ap_kvm_opts ko = { .size = sizeof(ko), .pqap_policy = rows[i].policy };
		struct hook_ctx h = { .rc = rows[i].rc };
		struct env e;

		env_open(&e, ALL_FAC, &ko);
		enable_apie(&e);
		grant_one(&e, APQN_GRANTED);
		ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
		guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
		ck_assert_uint_eq(h.calls, 1);
		ck_assert_x64(s390ap_vcpu_gr(e.v, 13), 0);
		ck_assert_uint_eq(guest_rc(&e), rows[i].rc);
		ck_assert_uint_eq(guest_cc(&e), rows[i].cc);
		env_close(&e);
	}
}
END_TEST

START_TEST(test_sie_pqap_hook_enotsup_and_error)
{
	struct env e;
	struct hook_ctx h = { .ret = S390AP_ENOTSUP };
	s390ap_stop why;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
	ck_assert_uint_eq(h.calls, 1);
	ck_assert_x64(s390ap_vcpu_gr(e.v, 13), S390AP_PGM_OPERATION);
	env_close(&e);

	/* any other error ends the run */
	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	h = (struct hook_ctx){ .ret = S390AP_ENODEV };
	ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	load_start(&e, sie_one_ap_elf, sie_one_ap_elf_len, SEL_PQAP);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 0, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED)), 0);
	(void)s390ap_sys_run(e.sys, 0, 50000000, &why);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_CHECKSTOP);
	env_close(&e);
}
END_TEST

START_TEST(test_sie_pqap_no_hook_status_word)
{
	s390ap_kvm_opts ko = { .size = sizeof(ko), .nohook_high_word = true };
	struct env e;

	env_open(&e, ALL_FAC, NULL);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
	ck_assert_x64(s390ap_vcpu_gr(e.v, 1), 0x0000000000010000ull); /* bits 0-31 zero */
	ck_assert_uint_eq(guest_cc(&e), 3);
	env_close(&e);

	env_open(&e, ALL_FAC, &ko);
	enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
	ck_assert_x64(s390ap_vcpu_gr(e.v, 1), 0x0001000033334444ull);
	ck_assert_uint_eq(guest_cc(&e), 3);
	env_close(&e);
}
END_TEST

/* ---- called directly, from an exit: the DIAG of one_ap.S ---- */

struct direct {
	uint64_t gr0;
	bool problem;   /* put the guest PSW in problem state first */
	bool drop_apie; /* clear ECA_APIE in the SCB first */
	int rc;
	unsigned calls;
	struct env *e;
	uint64_t gr1; /* out: GR1 and the cc at the end */
	unsigned cc;
};

static void direct_exit(void *ctx, s390ap_vcpu *v, const s390ap_kvm_exit *x, s390ap_kvm_reply *r)
{
	struct direct *d = ctx;

	if (x->icptcode == S390AP_ICPT_INST && x->ipa == 0x8300 && d->calls++ == 0) {
		uint8_t *scb = scb_of(d->e, v);

		ck_assert(!s390ap_vcpu_in_sie(v));
		if (d->problem)
			be_put64(scb + S390AP_SCB_GPSW,
				 be_get64(scb + S390AP_SCB_GPSW) | S390AP_PSW_PROB);
		if (d->drop_apie)
			be_put32(scb + S390AP_SCB_ECA,
				 be_get32(scb + S390AP_SCB_ECA) & ~(uint32_t)S390AP_ECA_APIE);
		(void)s390ap_vcpu_set_gr(v, 0, d->gr0);
		(void)s390ap_vcpu_set_gr(v, 1, GR1_FILL);
		d->rc = s390ap_kvm_handle_pqap(v);
		return; /* resume: a queued program interruption comes in */
	}
	r->action = S390AP_KVM_HALT;
}

static void direct_case(struct direct *d, uint32_t vm_fac, bool apie, bool hook)
{
	s390ap_kvm_opts ko = { .size = sizeof(ko), .exit = direct_exit, .exit_ctx = d };
	struct hook_ctx h = { .rc = 0 };
	const uint64_t gr[9] = { 0 };
	struct env e;

	env_open(&e, vm_fac, &ko);
	d->e = &e;
	if (apie)
		enable_apie(&e);
	grant_one(&e, APQN_GRANTED);
	if (hook)
		ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
	one_ap(&e, SEL_NOTHING, gr);
	ck_assert_uint_eq(d->calls, 2);
	d->calls = h.calls;
	d->gr0 = s390ap_vcpu_gr(e.v, 13); /* the program interruption */
	d->gr1 = s390ap_vcpu_gr(e.v, 1);
	d->cc = guest_cc(&e);
	env_close(&e);
}

START_TEST(test_sie_pqap_direct_order)
{
	const uint64_t aqic = gr0_fc(S390AP_FC_AQIC, APQN_GRANTED);
	struct direct d;

	/* 2: no ECA_APIE */
	d = (struct direct){ .gr0 = aqic };
	direct_case(&d, ALL_FAC, false, true);
	ck_assert_int_eq(d.rc, S390AP_ENOTSUP);
	d = (struct direct){ .gr0 = aqic, .drop_apie = true, .problem = true };
	direct_case(&d, ALL_FAC, true, true);
	ck_assert_int_eq(d.rc, S390AP_ENOTSUP);
	/* 3: another function code (only reachable directly with APIE) */
	d = (struct direct){ .gr0 = gr0_fc(S390AP_FC_TAPQ, APQN_GRANTED), .problem = true };
	direct_case(&d, ALL_FAC, true, true);
	ck_assert_int_eq(d.rc, S390AP_ENOTSUP);
	ck_assert_uint_eq(d.calls, 0);
	/* 4: problem state, before the specification checks */
	d = (struct direct){ .gr0 = aqic | 0x007F0000u, .problem = true };
	direct_case(&d, ALL_FAC & ~(uint32_t)S390AP_FAC_AQIC, true, true);
	ck_assert_int_eq(d.rc, 0);
	ck_assert_x64(d.gr0, S390AP_PGM_PRIVILEGED);
	ck_assert_uint_eq(d.calls, 0);
	/* 5, 6, 8 */
	d = (struct direct){ .gr0 = aqic | 0x00020000u };
	direct_case(&d, ALL_FAC, true, true);
	ck_assert_int_eq(d.rc, 0);
	ck_assert_x64(d.gr0, S390AP_PGM_SPECIFICATION);
	d = (struct direct){ .gr0 = aqic | S390AP_GR0_T };
	direct_case(&d, ALL_FAC & ~(uint32_t)S390AP_FAC_APFT, true, true);
	ck_assert_x64(d.gr0, S390AP_PGM_SPECIFICATION);
	d = (struct direct){ .gr0 = aqic };
	direct_case(&d, ALL_FAC & ~(uint32_t)S390AP_FAC_AQIC, true, true);
	ck_assert_x64(d.gr0, S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(d.calls, 0);
	/* 9: the hook */
	d = (struct direct){ .gr0 = aqic };
	direct_case(&d, ALL_FAC, true, true);
	ck_assert_int_eq(d.rc, 0);
	ck_assert_x64(d.gr0, 0);
	ck_assert_uint_eq(d.calls, 1);
	ck_assert_uint_eq(d.cc, 0);
	/* 10: no hook */
	d = (struct direct){ .gr0 = aqic };
	direct_case(&d, ALL_FAC, true, false);
	ck_assert_int_eq(d.rc, 0);
	ck_assert_x64(d.gr0, 0);
	ck_assert_x64(d.gr1, 0x0000000000010000ull);
	ck_assert_uint_eq(d.cc, 3);
}
END_TEST

/* ---- the compatibility table ---- */

struct compat_row {
	unsigned policy;
	bool hook, fac65;
	uint16_t pgm; /* the guest's program interruption, or 0 */
	uint8_t rc;
	unsigned cc;
};

START_TEST(test_sie_pqap_compat_table)
{
	static const struct compat_row rows[] = {
		{ S390AP_KVM_PQAP_CURRENT, true, true, 0, 0x00, 0 },
		{ S390AP_KVM_PQAP_CURRENT, false, true, 0, 0x01, 3 },
		{ S390AP_KVM_PQAP_CURRENT, true, false, S390AP_PGM_SPECIFICATION, 0, 0 },
		{ S390AP_KVM_PQAP_CURRENT, false, false, S390AP_PGM_SPECIFICATION, 0, 0 },
		{ S390AP_KVM_PQAP_BEFORE_CC_FIX, true, true, 0, 0x00, CC_BEFORE },
		{ S390AP_KVM_PQAP_BEFORE_CC_FIX, false, true, 0, 0x01, 3 },
		{ S390AP_KVM_PQAP_BEFORE_CC_FIX, true, false, S390AP_PGM_SPECIFICATION, 0, 0 },
		{ S390AP_KVM_PQAP_BEFORE_CC_FIX, false, false, S390AP_PGM_SPECIFICATION, 0, 0 },
		{ S390AP_KVM_PQAP_NO_AQIC_ICPT, true, true, S390AP_PGM_OPERATION, 0, 0 },
		{ S390AP_KVM_PQAP_NO_AQIC_ICPT, false, true, S390AP_PGM_OPERATION, 0, 0 },
		{ S390AP_KVM_PQAP_NO_AQIC_ICPT, true, false, S390AP_PGM_OPERATION, 0, 0 },
		{ S390AP_KVM_PQAP_NO_AQIC_ICPT, false, false, S390AP_PGM_OPERATION, 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		const struct compat_row *r = &rows[i];
		s390ap_kvm_opts ko = { .size = sizeof(ko), .pqap_policy = r->policy };
		uint32_t fac = r->fac65 ? ALL_FAC : ALL_FAC & ~(uint32_t)S390AP_FAC_AQIC;
		struct hook_ctx h = { .rc = 0 };
		struct env e;

		env_open(&e, fac, &ko);
		if (r->policy == S390AP_KVM_PQAP_NO_AQIC_ICPT)
			ck_assert(!(s390ap_vm_facilities(e.vm) & S390AP_FAC_AQIC));
		else
			ck_assert_uint_eq(!!(s390ap_vm_facilities(e.vm) & S390AP_FAC_AQIC),
					  r->fac65);
		enable_apie(&e);
		grant_one(&e, APQN_GRANTED);
		if (r->hook)
			ck_assert_int_eq(s390ap_vm_set_pqap_hook(e.vm, hook_rc, &h), 0);
		guest_aqic(&e, gr0_fc(S390AP_FC_AQIC, APQN_GRANTED));
		ck_assert_msg(s390ap_vcpu_gr(e.v, 13) == r->pgm, "row %zu: pgm %llx", i,
			      (unsigned long long)s390ap_vcpu_gr(e.v, 13));
		if (!r->pgm) {
			ck_assert_msg(guest_rc(&e) == r->rc, "row %zu: rc", i);
			ck_assert_msg(guest_cc(&e) == r->cc, "row %zu: cc %u", i, guest_cc(&e));
		} else {
			ck_assert_x64(s390ap_vcpu_gr(e.v, 1), GR1_FILL);
		}
		ck_assert_uint_eq(h.calls, r->hook && !r->pgm ? 1 : 0);
		env_close(&e);
	}
}
END_TEST

TCase *sie_pqap_tcase(void)
{
	TCase *tc = tcase_create("handle_pqap");

	tcase_add_test(tc, test_sie_pqap_host_without_ap);
	tcase_add_test(tc, test_sie_pqap_without_apie_user_space);
	tcase_add_test(tc, test_sie_pqap_problem_state_before_icpt);
	tcase_add_test(tc, test_sie_pqap_spec_rows);
	tcase_add_test(tc, test_sie_pqap_hook_cc);
	tcase_add_test(tc, test_sie_pqap_hook_enotsup_and_error);
	tcase_add_test(tc, test_sie_pqap_no_hook_status_word);
	tcase_add_test(tc, test_sie_pqap_direct_order);
	tcase_add_test(tc, test_sie_pqap_compat_table);
	return tc;
}
