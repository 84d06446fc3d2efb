/* SPDX-License-Identifier: MIT */
/* aptest -- the fixture and helpers shared by the Check suites. */
#include "aptest.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

s390ap_machine *m;
s390ap_storage st;
uint8_t *ram;
uint64_t ram_size;
s390ap_view view;
s390ap_insn_ctx ctx;
uint64_t gr[16];
s390ap_insn_result res;

static bool ram_range(uint64_t addr, size_t len)
{
	return addr <= ram_size && len <= ram_size - addr;
}

static int ram_read(void *c, uint64_t addr, void *dst, size_t len)
{
	(void)c;
	if (!ram_range(addr, len))
		return -1;
	memcpy(dst, ram + addr, len);
	return 0;
}

static int ram_write(void *c, uint64_t addr, const void *src, size_t len)
{
	(void)c;
	if (!ram_range(addr, len))
		return -1;
	memcpy(ram + addr, src, len);
	return 0;
}

void fixture_setup(uint64_t mem_size)
{
	ram = calloc(1, (size_t)mem_size);
	ck_assert_ptr_nonnull(ram);
	ram_size = mem_size;
	st = (s390ap_storage){ S390AP_SIZED(s390ap_storage), .read = ram_read, .write = ram_write };
	ck_assert_int_eq(s390ap_machine_new_default(&m, &st), 0);
	s390ap_view_lpar(m, &view);
	memset(gr, 0, sizeof gr);
	memset(&ctx, 0, sizeof ctx);
	ctx.gr = gr;
	ctx.problem_state = false;
	ctx.amode = 64;
	ctx.view = &view;
	ctx.storage = &st;
	memset(&res, 0, sizeof res);
}

int irq_ack_was(unsigned isc)
{
	bool was = false;
	int rc = s390ap_machine_irq_ack(m, isc, &was);

	return rc < 0 ? rc : was;
}

void fixture_teardown(void)
{
	s390ap_machine_free(m);
	m = NULL;
	free(ram);
	ram = NULL;
	ram_size = 0;
}

void use_machine(s390ap_machine_opts *o)
{
	s390ap_machine_free(m);
	m = NULL;
	o->storage = &st;
	ck_assert_int_eq(s390ap_machine_new(&m, o), 0);
	s390ap_view_lpar(m, &view);
}

void use_machine_facs(uint32_t facilities)
{
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.facilities_set = true;
	o.facilities = facilities;
	use_machine(&o);
}

void add_adapter(unsigned apid, uint8_t type, s390ap_mode mode)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = type;
	ao.mode = mode;
	ck_assert_int_eq(s390ap_adapter_add(m, apid, &ao), 0);
}

void use_machine_acc(s390ap_machine_opts *o)
{
	use_machine(o);
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
}

int ainfo_get(unsigned apid, s390ap_adapter_info *ai)
{
	memset(ai, 0, sizeof *ai);
	return s390ap_adapter_info_get(m, apid, ai);
}

int qinfo_get(uint16_t apqn, s390ap_queue_info *qi)
{
	memset(qi, 0, sizeof *qi);
	return s390ap_queue_info_get(m, apqn, qi);
}

s390ap_adapter_info ainfo(unsigned apid)
{
	s390ap_adapter_info ai;

	ck_assert_int_eq(ainfo_get(apid, &ai), 0);
	return ai;
}

s390ap_queue_info qinfo(uint16_t apqn)
{
	s390ap_queue_info qi;

	ck_assert_int_eq(qinfo_get(apqn, &qi), 0);
	return qi;
}

void advance(uint64_t cycles)
{
	ck_assert_int_eq(s390ap_machine_advance(m, cycles), 0);
}

void nq_part(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len, bool last)
{
	gr[0] = apqn | (last ? S390AP_NQAP_L : 0);
	gr[NQ_R1] = psmid >> 32;
	gr[NQ_R1 + 1] = psmid & 0xffffffffu;
	gr[NQ_R2] = addr;
	gr[NQ_R2 + 1] = len;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
}

uint64_t gr0_fc(unsigned fc, uint16_t apqn)
{
	return (uint64_t)fc << S390AP_GR0_FC_SHIFT | apqn;
}

uint64_t dq_psmid(void)
{
	return (gr[DQ_R1] & 0xffffffffu) << 32 | (gr[DQ_R1 + 1] & 0xffffffffu);
}

TCase *fixture_tcase(Suite *s, const char *name, SFun setup)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, fixture_teardown);
	suite_add_tcase(s, tc);
	return tc;
}

int run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
