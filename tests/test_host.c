/* SPDX-License-Identifier: MIT */
/* test_host -- what a host embedding the machine uses around the AP
 * instructions: the monotonic clock and the time conversions, the host
 * callbacks (ISC pending, next-event deadline, configuration changes),
 * host-side resets of the machine and of one queue, asynchronous engines
 * and the error-message rule.
 *
 * Expected values come from docs/embedding.md, docs/ap-model.md and the
 * public headers.  The fixture is aptest.h's.
 */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "s390ap/s390ap.h"
#include "aptest.h"

#define MEM_SIZE 0x40000u
#define NIB_ADDR 0x900u
#define MSG_ADDR 0x1000u
#define BUF_ADDR 0x8000u

#define ACC7 S390AP_APQN(0x03, 0x07)
#define ACC_LATENCY 2000u /* CEX8 accelerator, error reply: the base alone */

static void setup(void)
{
	fixture_setup(MEM_SIZE);
}

static void do_pqap(unsigned fc, uint16_t apqn, uint64_t extra)
{
	gr[0] = gr0_fc(fc, apqn) | extra;
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
}

/* TAPQ's GR1: the status word and response code. */
static uint64_t tapq_gr1(uint16_t apqn)
{
	gr[1] = 0;
	gr[2] = 0;
	do_pqap(S390AP_FC_TAPQ, apqn, 0);
	return gr[1];
}

static void aqic_on(uint16_t apqn, unsigned isc, uint64_t nib)
{
	gr[1] = S390AP_AQIC_IR | isc;
	gr[2] = nib;
	do_pqap(S390AP_FC_AQIC, apqn, 0);
	ck_assert_uint_eq(res.cc, 0);
}

/* A 16-byte type 50 request (the crypto engine answers it with an error
 * reply after the adapter's base latency). */
static void nqap16(uint16_t apqn, uint64_t psmid)
{
	uint8_t *p = ram + MSG_ADDR;

	memset(p, 0xA5, 16);
	p[0] = 0;
	p[1] = 0x50;
	p[2] = 0;
	p[3] = 16;
	nq_part(apqn, psmid, MSG_ADDR, 16, true);
	ck_assert_uint_eq(res.cc, 0);
}

static void dqap(uint16_t apqn, uint64_t len)
{
	gr[0] = apqn;
	gr[2] = 0;
	gr[DQ_R1] = 0;
	gr[DQ_R1 + 1] = 0;
	gr[DQ_R2] = BUF_ADDR;
	gr[DQ_R2 + 1] = len;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
}

/* ================================================================== */
/* Time                                                                */
/* ================================================================== */
START_TEST(test_time_clamp)
{
	advance(100);
	nqap16(ACC, 1);
	ck_assert_x64(s390ap_machine_next_event(m), 100 + ACC_LATENCY);
	/* another vCPU's clock, behind: no error, nothing moves or fires */
	ck_assert_int_eq(s390ap_machine_run_until(m, 50), 0);
	ck_assert_x64(s390ap_machine_now(m), 100);
	ck_assert_int_eq(s390ap_machine_run_until(m, 0), 0);
	ck_assert_x64(s390ap_machine_now(m), 100);
	ck_assert_x64(s390ap_machine_next_event(m), 100 + ACC_LATENCY);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	/* the same cycle is no move either, a later one fires */
	ck_assert_int_eq(s390ap_machine_run_until(m, 100), 0);
	ck_assert_int_eq(s390ap_machine_run_until(m, 100 + ACC_LATENCY), 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	/* a delta past the end of the clock is refused, unchanged */
	ck_assert_int_eq(s390ap_machine_advance(m, UINT64_MAX), S390AP_ERANGE);
	ck_assert_x64(s390ap_machine_now(m), 100 + ACC_LATENCY);
	ck_assert_int_eq(s390ap_machine_run_until(NULL, 5), S390AP_EINVAL);
}
END_TEST

START_TEST(test_time_conversions_default)
{
	/* the default: 1000 cycles a microsecond, a cycle is a nanosecond */
	ck_assert_uint_eq(s390ap_machine_cycles_per_us(m), S390AP_DEFAULT_CYCLES_PER_US);
	ck_assert_uint_eq(S390AP_DEFAULT_CYCLES_PER_US, 1000);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, 0), 0);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, 123456789), 123456789);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, UINT64_MAX), UINT64_MAX);
	/* TOD: bit 51 (0x1000) is one microsecond */
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x1000), 1000);
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x800), 500);
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 1), 0);
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x1000ull * 1000000), 1000000000ull);
	ck_assert_x64(s390ap_machine_ns_from_cycles(m, 2000), 2000);
	ck_assert_x64(s390ap_machine_ns_from_cycles(m, UINT64_MAX), UINT64_MAX);
	ck_assert_x64(s390ap_machine_cycles_from_ns(NULL, 5), 0);
	ck_assert_x64(s390ap_machine_cycles_from_tod(NULL, 5), 0);
	ck_assert_x64(s390ap_machine_ns_from_cycles(NULL, 5), 0);
	ck_assert_uint_eq(s390ap_machine_cycles_per_us(NULL), 0);
}
END_TEST

START_TEST(test_time_conversions_scaled)
{
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.cycles_per_us = 3000; /* 3 cycles a nanosecond */
	use_machine(&o);
	ck_assert_uint_eq(s390ap_machine_cycles_per_us(m), 3000);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, 1), 3);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, 1001), 3003);
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x1000), 3000);
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x1001), 3000); /* rounds down */
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x1002), 3001);
	/* the inverse rounds up: a timer never fires before the cycle */
	ck_assert_x64(s390ap_machine_ns_from_cycles(m, 1), 1);
	ck_assert_x64(s390ap_machine_ns_from_cycles(m, 3000), 1000);
	ck_assert_x64(s390ap_machine_ns_from_cycles(m, 3001), 1001);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, UINT64_MAX / 2), UINT64_MAX);

	o.cycles_per_us = 1; /* a cycle is a microsecond */
	use_machine(&o);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, 999), 0);
	ck_assert_x64(s390ap_machine_cycles_from_ns(m, 1000), 1);
	ck_assert_x64(s390ap_machine_cycles_from_tod(m, 0x1000), 1);
	ck_assert_x64(s390ap_machine_ns_from_cycles(m, 7), 7000);
}
END_TEST

/* ================================================================== */
/* Callbacks                                                           */
/* ================================================================== */
#define LOG_MAX 16

struct hook_log {
	unsigned n_irq, n_deadline, n_config;
	unsigned isc[LOG_MAX];
	uint64_t deadline[LOG_MAX];
	uint64_t now_at_deadline[LOG_MAX];
	s390ap_config_change config[LOG_MAX];
	/* what calls back into the library gave */
	bool reenter;
	int rc_advance, rc_add, rc_reset, rc_complete, rc_ack;
	uint8_t pending_seen;
};

static struct hook_log hl;

static void try_reenter(const s390ap_machine *cm)
{
	s390ap_machine *mm = (s390ap_machine *)cm; /* what a careless host might do */

	if (!hl.reenter)
		return;
	hl.rc_advance = s390ap_machine_advance(mm, 1);
	hl.rc_add = s390ap_adapter_add(mm, 0x20, NULL);
	hl.rc_reset = s390ap_machine_reset(mm, S390AP_RESET_SYSTEM);
	hl.rc_complete = s390ap_queue_complete(mm, ACC, 0, NULL, 0);
	hl.pending_seen = s390ap_machine_irq_pending(cm);
}

static void on_irq(void *c, const s390ap_machine *cm, unsigned isc)
{
	ck_assert_ptr_eq(c, &hl);
	ck_assert_ptr_eq(cm, m);
	if (hl.n_irq < LOG_MAX)
		hl.isc[hl.n_irq] = isc;
	hl.n_irq++;
	try_reenter(cm);
	if (hl.reenter)
		hl.rc_ack = s390ap_machine_irq_ack((s390ap_machine *)cm, isc, NULL);
}

static void on_deadline(void *c, const s390ap_machine *cm, uint64_t next)
{
	ck_assert_ptr_eq(c, &hl);
	/* the value given is the one the getter reports */
	ck_assert_x64(s390ap_machine_next_event(cm), next);
	if (hl.n_deadline < LOG_MAX) {
		hl.deadline[hl.n_deadline] = next;
		hl.now_at_deadline[hl.n_deadline] = s390ap_machine_now(cm);
	}
	hl.n_deadline++;
}

static void on_config(void *c, const s390ap_machine *cm, const s390ap_config_change *chg)
{
	ck_assert_ptr_eq(c, &hl);
	if (hl.n_config < LOG_MAX)
		hl.config[hl.n_config] = *chg;
	hl.n_config++;
	try_reenter(cm);
}

static void hooks_on(void)
{
	s390ap_machine_hooks h = { S390AP_SIZED(s390ap_machine_hooks), .irq = on_irq,
				   .deadline = on_deadline, .config = on_config, .ctx = &hl };

	memset(&hl, 0, sizeof hl);
	ck_assert_int_eq(s390ap_machine_set_hooks(m, &h), 0);
}

START_TEST(test_hook_deadline)
{
	hooks_on();
	ck_assert_uint_eq(hl.n_deadline, 0); /* installing calls nothing */
	advance(10);
	ck_assert_uint_eq(hl.n_deadline, 0); /* the clock moved, no event */
	nqap16(ACC, 1);
	ck_assert_uint_eq(hl.n_deadline, 1);
	ck_assert_x64(hl.deadline[0], 10 + ACC_LATENCY);
	/* a later event does not change the deadline: no call */
	do_pqap(S390AP_FC_RAPQ, CCA, 0);
	ck_assert_uint_eq(hl.n_deadline, 1);
	/* an earlier one does */
	aqic_on(ACC7, 2, NIB_ADDR);
	ck_assert_uint_eq(hl.n_deadline, 2);
	ck_assert_x64(hl.deadline[1], 10 + S390AP_DEFAULT_IRQ_CYCLES);
	/* moving short of it: nothing */
	advance(S390AP_DEFAULT_IRQ_CYCLES - 1);
	ck_assert_uint_eq(hl.n_deadline, 2);
	/* firing it: the next one */
	advance(1);
	ck_assert_uint_eq(hl.n_deadline, 3);
	ck_assert_x64(hl.deadline[2], 10 + ACC_LATENCY);
	ck_assert_x64(hl.now_at_deadline[2], 10 + S390AP_DEFAULT_IRQ_CYCLES);
	/* the reply and the reset complete at the same cycle: one call */
	ck_assert_int_eq(s390ap_machine_run_until(m, 10 + ACC_LATENCY), 0);
	ck_assert_uint_eq(hl.n_deadline, 4);
	ck_assert_x64(hl.deadline[3], S390AP_NO_EVENT);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert(!qinfo(CCA).reset_pending);
	/* removed: no more calls */
	ck_assert_int_eq(s390ap_machine_set_hooks(m, NULL), 0);
	nqap16(ACC, 2);
	advance(ACC_LATENCY);
	ck_assert_uint_eq(hl.n_deadline, 4);
	ck_assert_int_eq(s390ap_machine_set_hooks(NULL, NULL), S390AP_EINVAL);
}
END_TEST

START_TEST(test_hook_irq)
{
	hooks_on();
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 6, NIB_ADDR);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	nqap16(ACC, 1);
	advance(ACC_LATENCY - 1);
	ck_assert_uint_eq(hl.n_irq, 0);
	advance(1);
	ck_assert_uint_eq(hl.n_irq, 1);
	ck_assert_uint_eq(hl.isc[0], 6);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), S390AP_ISC_BIT(6));
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);

	/* ISC 6 still pending: another interruption counts, no call */
	ram[NIB_ADDR] = 0;
	nqap16(ACC, 2);
	advance(ACC_LATENCY);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 2);
	ck_assert_uint_eq(hl.n_irq, 1);

	/* accepted, then a new one: called again */
	ck_assert_int_eq(irq_ack_was(6), 1);
	ram[NIB_ADDR] = 0;
	nqap16(ACC, 3);
	advance(ACC_LATENCY);
	ck_assert_uint_eq(hl.n_irq, 2);
	ck_assert_uint_eq(hl.isc[1], 6);

	/* accepted, but the NIB still 1: no interruption, no call */
	ck_assert_int_eq(irq_ack_was(6), 1);
	nqap16(ACC, 4);
	advance(ACC_LATENCY);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(hl.n_irq, 2);
	ck_assert_uint_eq(hl.n_config, 0);
}
END_TEST

START_TEST(test_hook_config)
{
	s390ap_adapter_opts ao;

	hooks_on();
	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	ck_assert_uint_eq(hl.n_config, 1);
	ck_assert_int_eq(hl.config[0].what, S390AP_CONFIG_ADAPTER_ADDED);
	ck_assert_uint_eq(hl.config[0].apid, 0x10);
	/* a failing call changes nothing and tells nothing */
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), S390AP_EEXIST);
	ck_assert_uint_eq(hl.n_config, 1);

	ck_assert_int_eq(s390ap_adapter_configure(m, 0x10, false), 0);
	ck_assert_uint_eq(hl.n_config, 2);
	ck_assert_int_eq(hl.config[1].what, S390AP_CONFIG_ADAPTER_CONFIGURE);
	ck_assert_uint_eq(hl.config[1].apid, 0x10);
	ck_assert(!hl.config[1].on);
	/* no change, no call */
	ck_assert_int_eq(s390ap_adapter_configure(m, 0x10, false), 0);
	ck_assert_uint_eq(hl.n_config, 2);
	ck_assert_int_eq(s390ap_adapter_configure(m, 0x10, true), 0);
	ck_assert_uint_eq(hl.n_config, 3);
	ck_assert(hl.config[2].on);

	ck_assert_int_eq(s390ap_adapter_checkstop(m, 0x03, true), 0);
	ck_assert_uint_eq(hl.n_config, 4);
	ck_assert_int_eq(hl.config[3].what, S390AP_CONFIG_ADAPTER_CHECKSTOP);
	ck_assert_uint_eq(hl.config[3].apid, 0x03);
	ck_assert(hl.config[3].on);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 0x03, true), 0);
	ck_assert_uint_eq(hl.n_config, 4);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 0x03, false), 0);
	ck_assert_uint_eq(hl.n_config, 5);
	ck_assert(!hl.config[4].on);

	ck_assert_int_eq(s390ap_domain_add(m, 0x20, true, false), 0);
	ck_assert_uint_eq(hl.n_config, 6);
	ck_assert_int_eq(hl.config[5].what, S390AP_CONFIG_DOMAIN_ADDED);
	ck_assert_uint_eq(hl.config[5].apqi, 0x20);
	ck_assert(hl.config[5].usage && !hl.config[5].control);
	/* adding the control role to it: only that role is new */
	ck_assert_int_eq(s390ap_domain_add(m, 0x20, true, true), 0);
	ck_assert_uint_eq(hl.n_config, 7);
	ck_assert(!hl.config[6].usage && hl.config[6].control);
	ck_assert_int_eq(s390ap_domain_remove(m, 0x20), 0);
	ck_assert_uint_eq(hl.n_config, 8);
	ck_assert_int_eq(hl.config[7].what, S390AP_CONFIG_DOMAIN_REMOVED);
	ck_assert(hl.config[7].usage && hl.config[7].control);
	ck_assert_int_eq(s390ap_domain_remove(m, 0x20), S390AP_ENOENT);
	ck_assert_uint_eq(hl.n_config, 8);

	ck_assert_int_eq(s390ap_adapter_remove(m, 0x10), 0);
	ck_assert_uint_eq(hl.n_config, 9);
	ck_assert_int_eq(hl.config[8].what, S390AP_CONFIG_ADAPTER_REMOVED);
	ck_assert_uint_eq(hl.config[8].apid, 0x10);
	ck_assert_uint_eq(hl.n_irq, 0);
}
END_TEST

/* From a callback, mutators answer EBUSY; getters and irq_ack work. */
START_TEST(test_hook_reentry_refused)
{
	s390ap_adapter_info ai;

	hooks_on();
	hl.reenter = true;
	ck_assert_int_eq(s390ap_adapter_configure(m, 0x03, false), 0);
	ck_assert_uint_eq(hl.n_config, 1);
	ck_assert_int_eq(hl.rc_advance, S390AP_EBUSY);
	ck_assert_int_eq(hl.rc_add, S390AP_EBUSY);
	ck_assert_int_eq(hl.rc_reset, S390AP_EBUSY);
	ck_assert_int_eq(hl.rc_complete, S390AP_EBUSY);
	ck_assert_int_eq(ainfo_get(0x20, &ai), S390AP_ENOENT);
	ck_assert_x64(s390ap_machine_now(m), 0);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	/* after the callback the machine takes calls again */
	ck_assert_int_eq(s390ap_adapter_configure(m, 0x03, true), 0);
	hl.reenter = false;
	ck_assert_int_eq(s390ap_machine_advance(m, 1), 0);

	/* the ISC callback sees its ISC pending and may accept it */
	hl.reenter = true;
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 1, NIB_ADDR);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	nqap16(ACC, 1);
	advance(ACC_LATENCY);
	ck_assert_uint_eq(hl.n_irq, 1);
	ck_assert_uint_eq(hl.pending_seen, S390AP_ISC_BIT(1));
	ck_assert_int_eq(hl.rc_ack, 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 1), 1);
}
END_TEST

/* ================================================================== */
/* Host resets                                                         */
/* ================================================================== */
/* ACC: one reply waiting, one request in process, interruptions on with
 * ISC 2 pending; CCA: a RAPQ running; ACC7: an AQIC in flight. */
static void busy_machine(void)
{
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 2, NIB_ADDR);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	nqap16(ACC, 1);
	advance(ACC_LATENCY);
	nqap16(ACC, 2);
	do_pqap(S390AP_FC_RAPQ, CCA, 0);
	aqic_on(ACC7, 3, NIB_ADDR + 1);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	ck_assert(qinfo(ACC).irq_enabled);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), S390AP_ISC_BIT(2));
	ck_assert(qinfo(CCA).reset_pending);
	ck_assert_x64(tapq_gr1(ACC), R | I);
}

static void assert_reset_queue(uint16_t apqn)
{
	s390ap_queue_info qi = qinfo(apqn);

	ck_assert_uint_eq(qi.requests, 0);
	ck_assert_uint_eq(qi.replies, 0);
	ck_assert(!qi.irq_enabled);
	ck_assert(!qi.irq_change_pending);
	ck_assert(!qi.reset_pending);
	ck_assert_uint_eq(qi.async_rc, 0);
	/* usable at once: TAPQ cc 0, empty, RC 0 */
	ck_assert_x64(tapq_gr1(apqn), E);
	ck_assert_uint_eq(res.cc, 0);
}

START_TEST(test_reset_system)
{
	uint64_t now, mem_before;
	unsigned resets;

	mem_before = s390ap_machine_mem_used(m);
	busy_machine();
	hooks_on();
	now = s390ap_machine_now(m);
	resets = (unsigned)qinfo(ACC).resets;
	ck_assert_int_eq(s390ap_machine_reset(m, S390AP_RESET_SYSTEM), 0);
	ck_assert_x64(s390ap_machine_now(m), now); /* the clock stays */
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
	ck_assert_uint_eq(hl.n_deadline, 1);
	ck_assert_x64(hl.deadline[0], S390AP_NO_EVENT);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 2), 1); /* counters stay */
	ck_assert_uint_eq(hl.n_irq, 0);
	ck_assert_uint_eq(hl.n_config, 0);
	assert_reset_queue(ACC);
	assert_reset_queue(CCA);
	assert_reset_queue(ACC7);
	ck_assert_uint_eq(qinfo(ACC).resets, resets + 1);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), mem_before);
	/* nothing left behind fires later */
	advance(100000);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert(!qinfo(ACC7).irq_enabled);
	/* and the queues work as before: a new AQIC, a new request */
	aqic_on(ACC7, 3, NIB_ADDR + 1);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	ck_assert(qinfo(ACC7).irq_enabled);
	nqap16(ACC, 5);
	advance(ACC_LATENCY);
	dqap(ACC, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(dq_psmid(), 5);
}
END_TEST

START_TEST(test_reset_clear_unbinds)
{
	use_machine_facs(S390AP_FAC_ALL);
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	ck_assert_uint_eq(qinfo(ACC).bs, 2);
	/* as after BAPQ and AAPQ */
	ap_queue_get(m, ACC)->bs = 0;
	ck_assert_int_eq(s390ap_machine_reset(m, S390AP_RESET_SYSTEM), 0);
	ck_assert_uint_eq(qinfo(ACC).bs, 0);
	ck_assert_int_eq(s390ap_machine_reset(m, S390AP_RESET_CLEAR), 0);
	ck_assert_uint_eq(qinfo(ACC).bs, 2);
	ck_assert_int_eq(s390ap_machine_reset(m, (s390ap_reset_kind)7), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_reset(NULL, S390AP_RESET_SYSTEM), S390AP_EINVAL);
}
END_TEST

START_TEST(test_reset_one_queue)
{
	busy_machine();
	nqap16(ACC7, 9);
	ck_assert_int_eq(s390ap_queue_reset(m, ACC, false), 0);
	assert_reset_queue(ACC);
	/* the others keep their state, the ISC stays pending */
	ck_assert(qinfo(CCA).reset_pending);
	ck_assert(qinfo(ACC7).irq_change_pending);
	ck_assert_uint_eq(qinfo(ACC7).requests, 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), S390AP_ISC_BIT(2));
	advance(ACC_LATENCY);
	/* ACC's request was dropped; ACC7's reply arrives */
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert_uint_eq(qinfo(ACC7).replies, 1);
	ck_assert(qinfo(ACC7).irq_enabled);
	ck_assert(!qinfo(CCA).reset_pending);
	ck_assert_int_eq(s390ap_queue_reset(m, S390AP_APQN(3, 8), true), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_queue_reset(NULL, ACC, true), S390AP_EINVAL);
}
END_TEST

/* ================================================================== */
/* Asynchronous engines                                                */
/* ================================================================== */
struct async_eng {
	bool sync; /* answer at once instead */
	unsigned calls;
	uint64_t last_token;
	uint64_t token[LOG_MAX];
	uint64_t psmid[LOG_MAX];
	unsigned destroyed;
};

static struct async_eng ae;

static int async_process(void *c, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct async_eng *e = c;

	if (e->calls < LOG_MAX) {
		e->token[e->calls] = req->token;
		e->psmid[e->calls] = req->psmid;
	}
	e->calls++;
	e->last_token = req->token;
	if (e->sync) {
		rep->buf[0] = 0x5A;
		rep->len = 1;
		return 0;
	}
	/* its own token, from inside process: not pending yet */
	ck_assert_int_eq(s390ap_queue_complete(m, req->apqn, req->token, rep->buf, 1),
			 S390AP_ENOENT);
	return S390AP_ENGINE_PENDING;
}

static void async_destroy(void *c)
{
	((struct async_eng *)c)->destroyed++;
}

static void async_setup(void)
{
	s390ap_engine eng = { .process = async_process, .destroy = async_destroy, .ctx = &ae };

	setup();
	memset(&ae, 0, sizeof ae);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
}

static const uint8_t answer[4] = { 0x00, 0x80, 0x12, 0x34 };

START_TEST(test_async_complete)
{
	uint64_t mem0 = s390ap_machine_mem_used(m);

	advance(7);
	nqap16(ACC, 0x1111);
	ck_assert_uint_eq(ae.calls, 1);
	ck_assert_x64(ae.psmid[0], 0x1111);
	/* no event: the latency model does not apply */
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
	advance(1000000);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert_x64(tapq_gr1(ACC), 0); /* not empty, no reply */
	dqap(ACC, 64);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], RC(S390AP_RC_NO_PENDING_REPLY));

	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], answer, sizeof answer), 0);
	/* ready at the current cycle, no clock move needed */
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_x64(tapq_gr1(ACC), R);
	dqap(ACC, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(dq_psmid(), 0x1111);
	ck_assert_x64(gr[DQ_R2 + 1], 64 - sizeof answer);
	ck_assert_mem_eq(ram + BUF_ADDR, answer, sizeof answer);
	ck_assert_x64(tapq_gr1(ACC), E);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), mem0);
	ck_assert_uint_eq(qinfo(ACC).enqueued, 1);
	ck_assert_uint_eq(qinfo(ACC).dequeued, 1);

	/* the same token again: gone */
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], answer, sizeof answer),
			 S390AP_ENOENT);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
}
END_TEST

START_TEST(test_async_order_and_tokens)
{
	nqap16(ACC, 1);
	nqap16(ACC, 2);
	nqap16(ACC7, 3);
	ck_assert_uint_eq(ae.calls, 3);
	ck_assert_x64(ae.token[0] != ae.token[1], 1);
	ck_assert_x64(ae.token[1] != ae.token[2], 1);
	/* unknown tokens, the wrong queue, no queue, NULL reply */
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[2] + 1000, answer, 4),
			 S390AP_ENOENT);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[2], answer, 4), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_queue_complete(m, S390AP_APQN(9, 9), ae.token[0], answer, 4),
			 S390AP_ENOENT);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], NULL, 4), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_queue_complete(NULL, ACC, ae.token[0], answer, 4), S390AP_EINVAL);
	ck_assert_uint_eq(qinfo(ACC).requests, 2);
	/* completed out of order: replies come in completion order */
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[1], answer, 4), 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], answer, 2), 0);
	dqap(ACC, 64);
	ck_assert_x64(dq_psmid(), 2);
	dqap(ACC, 64);
	ck_assert_x64(dq_psmid(), 1);
	ck_assert_x64(gr[DQ_R2 + 1], 62);
	/* an empty or oversized reply: the machine-failure reply */
	ck_assert_int_eq(s390ap_queue_complete(m, ACC7, ae.token[2], NULL, 0), 0);
	dqap(ACC7, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[DQ_R2 + 1], 64 - S390AP_ERROR_REPLY_LEN);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], S390AP_MSG_TYPE82);
	ck_assert_uint_eq(ram[BUF_ADDR + 4], S390AP_REPLY_MACHINE_FAILURE);
}
END_TEST

/* Completion after the request was reset: nothing is delivered. */
START_TEST(test_async_reset_race)
{
	nqap16(ACC, 1);
	do_pqap(S390AP_FC_RAPQ, ACC, 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], answer, 4), S390AP_ENOENT);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	ck_assert_x64(tapq_gr1(ACC), E);

	nqap16(ACC, 2);
	do_pqap(S390AP_FC_ZAPQ, ACC, 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[1], answer, 4), S390AP_ENOENT);
	advance(S390AP_DEFAULT_RESET_CYCLES);

	nqap16(ACC, 3);
	ck_assert_int_eq(s390ap_queue_reset(m, ACC, true), 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[2], answer, 4), S390AP_ENOENT);

	nqap16(ACC, 4);
	ck_assert_int_eq(s390ap_machine_reset(m, S390AP_RESET_SYSTEM), 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[3], answer, 4), S390AP_ENOENT);

	nqap16(ACC, 5);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, true), 0);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, false), 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[4], answer, 4), S390AP_ENOENT);

	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert_x64(tapq_gr1(ACC), E);
	ck_assert_uint_eq(ae.calls, 5);
}
END_TEST

START_TEST(test_async_interruption)
{
	hooks_on();
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 5, NIB_ADDR);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	/* the AQIC's change came and went: deadline, then none */
	ck_assert_uint_eq(hl.n_deadline, 2);
	nqap16(ACC, 1);
	ck_assert_uint_eq(hl.n_irq, 0);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], answer, 4), 0);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), S390AP_ISC_BIT(5));
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 5), 1);
	ck_assert_uint_eq(hl.n_irq, 1);
	ck_assert_uint_eq(hl.isc[0], 5);
	ck_assert_x64(tapq_gr1(ACC), R | I);
	/* no event was involved in the request */
	ck_assert_uint_eq(hl.n_deadline, 2);
	ck_assert_x64(hl.deadline[1], S390AP_NO_EVENT);
}
END_TEST

/* Injected loss applies to a pending request too; a synchronous answer
 * from the same engine takes the latency model. */
START_TEST(test_async_lost_and_sync)
{
	ck_assert_int_eq(s390ap_queue_lose_reply(m, ACC), 0);
	nqap16(ACC, 1);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[0], answer, 4), 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert_x64(tapq_gr1(ACC), E);

	ae.sync = true;
	advance(3);
	nqap16(ACC, 2);
	ck_assert_x64(s390ap_machine_next_event(m), 3 + ACC_LATENCY);
	ck_assert_int_eq(s390ap_queue_complete(m, ACC, ae.token[1], answer, 4), S390AP_ENOENT);
	advance(ACC_LATENCY);
	dqap(ACC, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(ram[BUF_ADDR], 0x5A);
}
END_TEST

/* A request still pending when the machine goes is freed with it. */
START_TEST(test_async_pending_at_free)
{
	nqap16(ACC, 1);
	nqap16(ACC, 2);
	ck_assert_uint_eq(qinfo(ACC).requests, 2);
	ck_assert_uint_gt(s390ap_machine_mem_used(m), 0);
}
END_TEST

/* A pseudo-random mix of requests, completions (live and stale),
 * host and program resets and DQAPs on two queues, against a model of
 * which tokens are pending and how many replies wait. */
#define MIX_TOKENS 64

struct mix_queue {
	uint16_t apqn;
	uint64_t pending[8];
	unsigned npending, ready;
};

static void mix_drop(struct mix_queue *mq, uint64_t *dead, unsigned *ndead)
{
	for (unsigned i = 0; i < mq->npending; i++)
		dead[(*ndead)++ % MIX_TOKENS] = mq->pending[i];
	mq->npending = 0;
	mq->ready = 0;
}

START_TEST(test_async_mixed_model)
{
	struct mix_queue mq[2] = { { .apqn = ACC }, { .apqn = ACC7 } };
	uint64_t dead[MIX_TOKENS], mem0 = s390ap_machine_mem_used(m);
	unsigned ndead = 0, completed = 0, stale = 0;
	uint32_t x = 12345;

	for (unsigned step = 0; step < 2000; step++) {
		struct mix_queue *q;
		unsigned op;

		x = x * 1103515245u + 12345u;
		q = &mq[(x >> 8) & 1];
		op = (x >> 16) % 8;
		switch (op) {
		case 0:
		case 1:
			if (q->npending + q->ready >= 8)
				break;
			nqap16(q->apqn, step);
			q->pending[q->npending++] = ae.last_token;
			break;
		case 2:
		case 3:
			if (q->npending) {
				unsigned i = (x >> 20) % q->npending;
				ck_assert_int_eq(s390ap_queue_complete(m, q->apqn, q->pending[i],
								       answer, 1 + (x >> 24) % 4),
						 0);
				q->pending[i] = q->pending[--q->npending];
				q->ready++;
				completed++;
			}
			break;
		case 4: {
			unsigned live = ndead < MIX_TOKENS ? ndead : MIX_TOKENS;

			if (!live)
				break;
			ck_assert_int_eq(s390ap_queue_complete(m, q->apqn, dead[(x >> 20) % live],
							       answer, 4),
					 S390AP_ENOENT);
			stale++;
			break;
		}
		case 5:
			if ((x >> 20) & 3) {
				dqap(q->apqn, 64);
				if (q->ready) {
					ck_assert_uint_eq(res.cc, 0);
					q->ready--;
				} else {
					ck_assert_uint_eq(res.cc, 3);
					ck_assert_x64(gr[1] & 0xff0000,
						      RC(S390AP_RC_NO_PENDING_REPLY));
				}
			} else {
				ck_assert_int_eq(s390ap_queue_reset(m, q->apqn, (x >> 22) & 1), 0);
				mix_drop(q, dead, &ndead);
			}
			break;
		case 6:
			do_pqap((x >> 20) & 1 ? S390AP_FC_ZAPQ : S390AP_FC_RAPQ, q->apqn, 0);
			ck_assert_uint_eq(res.cc, 0);
			advance(S390AP_DEFAULT_RESET_CYCLES);
			mix_drop(q, dead, &ndead);
			break;
		default:
			if (((x >> 20) & 15) == 0) {
				ck_assert_int_eq(s390ap_machine_reset(m, (x >> 24) & 1), 0);
				mix_drop(&mq[0], dead, &ndead);
				mix_drop(&mq[1], dead, &ndead);
			} else {
				advance((x >> 20) & 0xff);
			}
			break;
		}
		for (unsigned i = 0; i < 2; i++) {
			s390ap_queue_info qi = qinfo(mq[i].apqn);
			ck_assert_uint_eq(qi.requests, mq[i].npending);
			ck_assert_uint_eq(qi.replies, mq[i].ready);
		}
	}
	/* the mix did each thing many times */
	ck_assert_uint_gt(ae.calls, 300);
	ck_assert_uint_gt(completed, 200);
	ck_assert_uint_gt(stale, 100);
	ck_assert_int_eq(s390ap_machine_reset(m, S390AP_RESET_CLEAR), 0);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), mem0);
}
END_TEST

/* ================================================================== */
/* Error messages                                                      */
/* ================================================================== */
START_TEST(test_errmsg_last_failure)
{
	ck_assert_str_eq(s390ap_machine_errmsg(m), "");
	ck_assert_int_eq(s390ap_adapter_remove(m, 0x99), S390AP_ENOENT);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	/* a later success leaves the last failure's text */
	ck_assert_int_eq(s390ap_adapter_configure(m, 3, false), 0);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	s390ap_machine_errmsg_clear(m);
	ck_assert_str_eq(s390ap_machine_errmsg(m), "");
	s390ap_machine_errmsg_clear(NULL);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), S390AP_EEXIST);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
}
END_TEST

static Suite *host_suite(void)
{
	Suite *s = suite_create("host");
	TCase *tc;

	tc = fixture_tcase(s, "time", setup);
	tcase_add_test(tc, test_time_clamp);
	tcase_add_test(tc, test_time_conversions_default);
	tcase_add_test(tc, test_time_conversions_scaled);

	tc = fixture_tcase(s, "hooks", setup);
	tcase_add_test(tc, test_hook_deadline);
	tcase_add_test(tc, test_hook_irq);
	tcase_add_test(tc, test_hook_config);
	tcase_add_test(tc, test_hook_reentry_refused);

	tc = fixture_tcase(s, "reset", setup);
	tcase_add_test(tc, test_reset_system);
	tcase_add_test(tc, test_reset_clear_unbinds);
	tcase_add_test(tc, test_reset_one_queue);

	tc = fixture_tcase(s, "async", async_setup);
	tcase_add_test(tc, test_async_complete);
	tcase_add_test(tc, test_async_order_and_tokens);
	tcase_add_test(tc, test_async_reset_race);
	tcase_add_test(tc, test_async_interruption);
	tcase_add_test(tc, test_async_lost_and_sync);
	tcase_add_test(tc, test_async_pending_at_free);
	tcase_add_test(tc, test_async_mixed_model);

	tc = fixture_tcase(s, "errmsg", setup);
	tcase_add_test(tc, test_errmsg_last_failure);

	return s;
}

int main(void)
{
	return run_suite(host_suite());
}
