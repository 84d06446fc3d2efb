/* SPDX-License-Identifier: MIT */
/* pqap suite: AQIC and the adapter interruptions it enables. */
#include "pqap_test.h"

/* ================================================================== */
/* AQIC                                                                */
/* ================================================================== */
START_TEST(test_aqic_sequence)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	ck_assert_x64(gr[1] >> 32, 0);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES - 1);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);

	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | I | RC(S390AP_RC_OTHERWISE_CHANGED));

	aqic(ACC, false, 0, 0);
	EXPECT_SW(0, E | I);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	tapq(ACC, false);
	EXPECT_SW(0, E);

	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | RC(S390AP_RC_OTHERWISE_CHANGED));
}
END_TEST

START_TEST(test_aqic_change_in_flight)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(S390AP_RC_OTHERWISE_CHANGED));
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(0, E | I);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | I | RC(S390AP_RC_OTHERWISE_CHANGED));
}
END_TEST

/* One change in flight per queue (docs/ap-model.md, UNCERTAIN): a disable
 * 100 cycles after an enable, while the enable is in flight, is busy (RC
 * 0x05, nothing changes); another enable is 0x07.  Once the enable has
 * landed the disable is taken and lands irq_cycles after it. */
START_TEST(test_aqic_enable_then_disable_in_flight)
{
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(100);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | RC(S390AP_RC_BUSY));
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(S390AP_RC_OTHERWISE_CHANGED));
	ck_assert(qinfo(ACC).irq_change_pending);
	advance(S390AP_DEFAULT_IRQ_CYCLES - 101);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);
	ck_assert(!qinfo(ACC).irq_change_pending);
	aqic(ACC, false, 0, 0);
	EXPECT_SW(0, E | I);
	ck_assert(qinfo(ACC).irq_change_pending);
	/* and the other way round: an enable while the disable is in flight */
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | I | RC(S390AP_RC_BUSY));
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | I | RC(S390AP_RC_OTHERWISE_CHANGED));
	advance(S390AP_DEFAULT_IRQ_CYCLES - 1);
	tapq(ACC, false);
	EXPECT_SW(0, E | I);
	advance(1);
	tapq(ACC, false);
	EXPECT_SW(0, E);
	ck_assert(!qinfo(ACC).irq_change_pending);
}
END_TEST
START_TEST(test_aqic_disabled_initially)
{
	aqic(ACC, false, 0, 0);
	EXPECT_SW(3, E | RC(S390AP_RC_OTHERWISE_CHANGED));
}
END_TEST

START_TEST(test_aqic_invalid_nib)
{
	aqic(ACC, true, 6, 0);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ADDRESS));
	aqic(ACC, true, 6, 0xFFFFFFFFFFFFFFFFull);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ADDRESS));
	aqic(ACC, true, 6, MEM_SIZE);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ADDRESS));
	ck_assert(!qinfo(ACC).irq_change_pending);
	/* any alignment, last byte of storage */
	aqic(ACC, true, 6, MEM_SIZE - 1);
	EXPECT_SW(0, E);
}
END_TEST

/* The NIB is checked in the machine's storage, where the interruption sets
 * it, not through the instruction's storage (a vCPU's prefixed real
 * storage); only a machine without storage leaves it to the instruction's. */
static int nib_low_refused(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	return addr < 0x1000 ? -1 : st.read(st.ctx, addr, dst, len);
}

static int nib_big_read(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	if (addr >= MEM_SIZE) {
		memset(dst, 0, len);
		return 0;
	}
	return st.read(st.ctx, addr, dst, len);
}

static int nib_write(void *c, uint64_t addr, const void *src, size_t len)
{
	(void)c;
	return st.write(st.ctx, addr, src, len);
}

START_TEST(test_aqic_nib_in_machine_storage)
{
	s390ap_storage low = { S390AP_SIZED(s390ap_storage), .read = nib_low_refused,
			       .write = nib_write };
	s390ap_storage big = { S390AP_SIZED(s390ap_storage), .read = nib_big_read,
			       .write = nib_write };

	/* refused by the instruction's storage, there in the machine's */
	ctx.storage = &low;
	ram[NIB_ADDR] = 0;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	ctx.storage = &st;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	EXPECT_SW(0, I);
	advance(100000);
	ck_assert_uint_eq(ram[NIB_ADDR], 1);
	ck_assert_int_eq(irq_ack_was(6), 1);
	rapq(ACC);
	advance(S390AP_DEFAULT_RESET_CYCLES);

	/* there in the instruction's storage, outside the machine's: 0x06 */
	ctx.storage = &big;
	aqic(ACC, true, 6, MEM_SIZE + 0x10);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ADDRESS));
	ck_assert(!qinfo(ACC).irq_change_pending);

	/* no machine storage: the instruction's storage decides */
	ck_assert_int_eq(s390ap_machine_set_storage(m, NULL), 0);
	ctx.storage = &low;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(3, E | RC(S390AP_RC_INVALID_ADDRESS));
	ctx.storage = &big;
	aqic(ACC, true, 6, MEM_SIZE + 0x10);
	EXPECT_SW(0, E);
}
END_TEST

START_TEST(test_aqic_records_isc_and_nib)
{
	struct s390ap_queue_info qi;

	gr[1] = 0xFFFF000000000000ull | S390AP_AQIC_IR | 5; /* zone, gisc junk */
	gr[2] = NIB2_ADDR;
	do_pqap(gr0_fc(S390AP_FC_AQIC, ACC));
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	qi = qinfo(ACC);
	ck_assert(qi.irq_enabled);
	ck_assert_uint_eq(qi.isc, 5);
	ck_assert_x64(qi.nib, NIB2_ADDR);
}
END_TEST

START_TEST(test_adapter_interruption)
{
	ram[NIB_ADDR] = 0;
	aqic(ACC, true, 6, NIB_ADDR);
	EXPECT_SW(0, E);
	advance(S390AP_DEFAULT_IRQ_CYCLES);
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 0x1234, MSG_ADDR, 16);
	EXPECT_SW(0, I);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x80 >> 6);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 1);
	ck_assert_int_eq(irq_ack_was(6), 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	dqap(ACC, BUF_ADDR, 64);
	EXPECT_SW(0, E | I);
	ck_assert_x64(dq_psmid(), 0x1234);
}
END_TEST

START_TEST(test_no_interruption_when_disabled)
{
	ram[NIB_ADDR] = 0;
	put_msg(MSG_ADDR, 16);
	nqap(ACC, 1, MSG_ADDR, 16);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	for (unsigned isc = 0; isc < 8; isc++)
		ck_assert_uint_eq(s390ap_machine_irq_count(m, isc), 0);
}
END_TEST

void tcase_pqap_aqic(Suite *s)
{
	TCase *tc;

	tc = fixture_tcase(s, "aqic", setup);
	tcase_add_test(tc, test_aqic_sequence);
	tcase_add_test(tc, test_aqic_change_in_flight);
	tcase_add_test(tc, test_aqic_enable_then_disable_in_flight);
	tcase_add_test(tc, test_aqic_disabled_initially);
	tcase_add_test(tc, test_aqic_invalid_nib);
	tcase_add_test(tc, test_aqic_nib_in_machine_storage);
	tcase_add_test(tc, test_aqic_records_isc_and_nib);
	tcase_add_test(tc, test_adapter_interruption);
	tcase_add_test(tc, test_no_interruption_when_disabled);
}
