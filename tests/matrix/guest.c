/* SPDX-License-Identifier: MIT */
/* mdevs on guests: open / release / remove, hot plug seen by the guest's
 * own TAPQ, release zeroizing the queues, the AQIC hook from a guest
 * program, CRYCB formats. */
#include "matrix/matrix_test.h"
#include "matrix/programs.h"

static s390ap_mdev *mdev_36(struct menv *e, const char *uuid)
{
	s390ap_mdev *md;

	ck_assert_int_eq(s390ap_mdev_create(e->mx, uuid, &md), 0);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(md, 3), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(md, 6), 0);
	return md;
}

START_TEST(test_matrix_open_rules)
{
	struct menv e;
	struct menv_cfg nokvm = { .no_kvm = true };
	s390ap_mdev *a, *b;

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_create(e.mx, UUID_B, &b), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[1]), S390AP_EBUSY);
	ck_assert_int_eq(s390ap_mdev_open(b, e.vm[0]), S390AP_EPERM); /* one per VM */
	ck_assert_int_eq(s390ap_mdev_open(b, e.vm[1]), 0);
	ck_assert_int_eq(s390ap_mdev_release(b), 0);
	ck_assert_int_eq(s390ap_mdev_release(b), 0); /* closed already */
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_int_eq(s390ap_mdev_open(b, e.vm[0]), 0);
	menv_close(&e); /* frees b open */

	menv_open(&e, &nokvm);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	/* a VM of another host stands in for "no KVM": the matrix has none */
	{
		struct menv o;

		menv_open(&o, NULL);
		ck_assert_int_eq(s390ap_mdev_open(a, o.vm[0]), S390AP_EINVAL);
		menv_close(&o);
	}
	menv_close(&e);
}
END_TEST

struct req {
	unsigned calls;
	bool release;
};

static void on_request(void *ctx, s390ap_mdev *md)
{
	struct req *r = ctx;

	r->calls++;
	if (r->release)
		ck_assert_int_eq(s390ap_mdev_release(md), 0);
}

START_TEST(test_matrix_remove_open)
{
	struct menv e;
	s390ap_mdev *a;
	struct req r = { 0 };

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_int_eq(s390ap_mdev_remove(a), S390AP_EBUSY);
	ck_assert_str_eq(s390ap_matrix_errmsg(e.mx),
			 "No device request registered, blocked until released by user");
	ck_assert_int_eq(s390ap_mdev_set_request(a, on_request, &r), 0);
	ck_assert_int_eq(s390ap_mdev_remove(a), S390AP_EBUSY);
	ck_assert_uint_eq(r.calls, 1);
	r.release = true;
	ck_assert_int_eq(s390ap_mdev_remove(a), 0);
	ck_assert_uint_eq(r.calls, 2);
	ck_assert_uint_eq(s390ap_matrix_mdev_count(e.mx), 0);
	/* the VM is free for another mdev */
	a = mdev_36(&e, UUID_B);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_hot_plug_seen_by_guest)
{
	struct menv e;
	s390ap_mdev *a;
	uint64_t u;

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0306);
	ck_assert_uint_eq(guest_cc(&e), 0);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0406);
	ck_assert_uint_eq(guest_cc(&e), 3);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_Q_NOT_AVAIL);
	u = s390ap_mdev_crycb_updates(a);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 1);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0406);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq(guest_rc(&e), 0);
	/* a domain that hides adapter 5 at once: assigning 5 changes nothing */
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 2);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 5), 0);
	ck_assert_uint_eq(s390ap_mdev_crycb_updates(a), u + 2);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0506);
	ck_assert_uint_eq(guest_cc(&e), 3);
	/* unplug */
	ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 4), 0);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0406);
	ck_assert_uint_eq(guest_cc(&e), 3);
	/* ... and removing domain 7 brings 5 in */
	ck_assert_int_eq(s390ap_mdev_unassign_domain(a, 7), 0);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0506);
	ck_assert_uint_eq(guest_cc(&e), 0);
	menv_close(&e);
}
END_TEST

/* The guest's QCI block (stored at guest 0x2000 by qci.S): its APM. */
static void guest_qci_apm(struct menv *e, uint8_t apm[32])
{
	guest_run(e, matrix_qci_elf, matrix_qci_elf_len, 0);
	ck_assert_uint_eq(guest_cc(e), 0);
	ck_assert_int_eq(s390ap_vm_read(e->vm[0], 0x2000 + 16, apm, 32), 0);
}

/* Hot plug seen by the guest's QCI: the adapter enters the APM the guest
 * reads, and leaves it again on unplug. */
START_TEST(test_matrix_hot_plug_seen_by_qci)
{
	struct menv e;
	s390ap_mdev *a;
	uint8_t apm[32];

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	guest_qci_apm(&e, apm);
	ck_assert_uint_eq(apm[0], 0x10); /* adapter 3 only */
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), 0);
	guest_qci_apm(&e, apm);
	ck_assert_uint_eq(apm[0], 0x18); /* 3 and 4 */
	ck_assert_int_eq(s390ap_mdev_unassign_adapter(a, 3), 0);
	guest_qci_apm(&e, apm);
	ck_assert_uint_eq(apm[0], 0x08); /* 4 */
	for (unsigned i = 1; i < 32; i++)
		ck_assert_uint_eq(apm[i], 0);
	menv_close(&e);
}
END_TEST

/* A guest that polls TAPQ for 04.0006 sees it arrive while it runs: the
 * assignment kicks its vCPU out of SIE and in again with the new CRYCB. */
START_TEST(test_matrix_hot_plug_while_running)
{
	struct menv e;
	s390ap_mdev *a;
	uint64_t entry, polls;
	s390ap_stop why;
	s390ap_vcpu_stats st;

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	ck_assert_int_eq(s390ap_vm_load_elf(e.vm[0], matrix_tapq_wait_elf, matrix_tapq_wait_elf_len,
					    &entry),
			 0);
	ck_assert_int_eq(s390ap_vcpu_start(e.v, entry), 0);
	ck_assert_int_eq(s390ap_vcpu_set_gr(e.v, 9, 0x0406), 0);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, s390ap_sys_cycles(e.sys) + 200000, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_CYCLE);
	ck_assert(s390ap_vcpu_in_sie(e.v));
	polls = s390ap_vcpu_gr(e.v, 8);
	ck_assert_uint_gt(polls, 10);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_Q_NOT_AVAIL);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 4), 0);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_ge(st.kicks, 1);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 0, 0, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_eq(guest_cc(&e), 0);
	ck_assert_uint_eq(guest_rc(&e), 0);
	/* the next TAPQ saw it (the run may have stopped between the last
	 * TAPQ and its count) */
	ck_assert_uint_ge(s390ap_vcpu_gr(e.v, 8), polls + 1);
	ck_assert_uint_le(s390ap_vcpu_gr(e.v, 8), polls + 2);
	menv_close(&e);
}
END_TEST

/* A request NQAPed at level 1 whose reply waits in the queue. */
static void leave_reply(struct menv *e, uint16_t apqn)
{
	uint64_t gr[16] = { 0 };
	s390ap_insn_ctx ctx = { .gr = gr, .storage = s390ap_sys_storage(e->sys) };
	s390ap_insn_result res;
	uint8_t msg[64] = { 0 };
	s390ap_queue_info qi;

	msg[1] = 0x06; /* a type-6 header; whatever the engine answers is a reply */
	ck_assert_int_eq(s390ap_sys_load(e->sys, 0x40000, msg, sizeof msg), 0);
	gr[0] = S390AP_NQAP_L | apqn;
	gr[2] = 0x1234; /* PSMID */
	gr[3] = 1;
	gr[4] = 0x40000;
	gr[5] = sizeof msg;
	ck_assert_int_eq(s390ap_nqap(e->m, &ctx, 2, 4, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_int_eq(s390ap_machine_advance(e->m, 100000000), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e->m, apqn, &qi), 0);
	ck_assert_uint_eq(qi.replies, 1);
}

START_TEST(test_matrix_release_zeroizes)
{
	struct menv e;
	s390ap_mdev *a;
	s390ap_queue_info qi;
	uint32_t sw;

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	leave_reply(&e, 0x0306);
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e.m, 0x0306, &qi), 0);
	ck_assert_uint_eq(qi.replies, 0);
	ck_assert_uint_eq(qi.requests, 0);
	ck_assert(!qi.reset_pending);
	ck_assert_int_eq(s390ap_matrix_reset_status(e.mx, 0x0306, &sw), 0);
	ck_assert_uint_eq(S390AP_SW_RC(sw), 0);
	/* the CRYCB's masks are cleared */
	{
		uint8_t apm[32], aqm[32], adm[32], zero[32] = { 0 };

		crycb_masks(&e, e.vm[0], apm, aqm, adm, NULL);
		ck_assert_mem_eq(apm, zero, 32);
		ck_assert_mem_eq(aqm, zero, 32);
		ck_assert_mem_eq(adm, zero, 32);
	}
	/* VFIO reset does the same on a closed mdev */
	leave_reply(&e, 0x0306);
	ck_assert_int_eq(s390ap_mdev_reset(a), 0);
	ck_assert_int_eq(s390ap_queue_info_get(e.m, 0x0306, &qi), 0);
	ck_assert_uint_eq(qi.replies, 0);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_aqic_hook_from_guest)
{
	struct menv e;
	s390ap_mdev *a;
	s390ap_vcpu_stats st;

	menv_open(&e, NULL);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_assign_adapter(a, 5), 0);
	ck_assert_int_eq(s390ap_mdev_assign_domain(a, 7), 0); /* hides 5 */
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	/* the whole path: AQIC through the hook, NQAP, the interruption */
	guest_run(&e, matrix_irq_elf, matrix_irq_elf_len, 0x0306);
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 0);
	ck_assert_uint_eq(s390ap_vcpu_gr(e.v, 12), 0xb0000000u);
	ck_assert_int_eq(s390ap_vcpu_stats_get(e.v, &st), 0);
	ck_assert_uint_eq(st.pqap_hook, 1);
	/* a queue of the assigned matrix that the guest does not have: 0x01 */
	guest_run(&e, matrix_irq_elf, matrix_irq_elf_len, 0x0506);
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 1);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_Q_NOT_AVAIL);
	ck_assert_uint_eq(guest_cc(&e), 3);
	/* the guest's ISC 6 registration is dropped with the queue's reset at
	 * release: nothing is left to unregister */
	ck_assert_int_eq(s390ap_mdev_release(a), 0);
	ck_assert_int_eq(s390ap_vm_gisc_unregister(e.vm[0], 6), S390AP_EINVAL);
	/* without the mdev the hook is gone too: 0x01 from the host model */
	guest_run(&e, matrix_irq_elf, matrix_irq_elf_len, 0x0306);
	ck_assert_uint_eq(s390ap_cpu_exit_value(e.cpu), 1);
	ck_assert_uint_eq(guest_rc(&e), S390AP_RC_Q_NOT_AVAIL);
	menv_close(&e);
}
END_TEST

START_TEST(test_matrix_crycb_format0)
{
	struct menv e;
	struct menv_cfg c = { .vm_no_msax3 = true };
	s390ap_mdev *a;
	uint8_t apm[32], aqm[32], adm[32], ea[32], eq[32], ed[32];
	unsigned fmt;

	menv_open(&e, &c);
	free_all(&e);
	a = mdev_36(&e, UUID_A);
	ck_assert_int_eq(s390ap_mdev_assign_control_domain(a, 0), 0);
	ck_assert_int_eq(s390ap_mdev_open(a, e.vm[0]), 0);
	crycb_masks(&e, e.vm[0], apm, aqm, adm, &fmt);
	ck_assert_uint_eq(fmt, S390AP_CRYCB_FORMAT0);
	ck_assert_int_eq(s390ap_mdev_guest_matrix(a, ea, eq, ed), 0);
	ck_assert_mem_eq(apm, ea, 32);
	ck_assert_mem_eq(aqm, eq, 32);
	ck_assert_mem_eq(adm, ed, 32);
	guest_run(&e, matrix_tapq_elf, matrix_tapq_elf_len, 0x0306);
	ck_assert_uint_eq(guest_cc(&e), 0);
	menv_close(&e);
}
END_TEST

TCase *matrix_guest_tcase(void)
{
	TCase *tc = tcase_create("guest");

	tcase_add_test(tc, test_matrix_open_rules);
	tcase_add_test(tc, test_matrix_remove_open);
	tcase_add_test(tc, test_matrix_hot_plug_seen_by_guest);
	tcase_add_test(tc, test_matrix_hot_plug_seen_by_qci);
	tcase_add_test(tc, test_matrix_hot_plug_while_running);
	tcase_add_test(tc, test_matrix_release_zeroizes);
	tcase_add_test(tc, test_matrix_aqic_hook_from_guest);
	tcase_add_test(tc, test_matrix_crycb_format0);
	return tc;
}
