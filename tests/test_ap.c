/* SPDX-License-Identifier: MIT */
/* test_ap -- the AP hardware model through the public API: machines,
 * adapters, domains, the QCI image, the event clock, adapter
 * interruptions, fault injection, the message engine seam (the default
 * crypto engine's answers to malformed requests -- tests/test_engine.c has
 * the rest -- and the error-only engine) and the small helpers (errors,
 * storage, names).
 *
 * Expected values come from docs/ap-model.md and the public headers.
 * The fixture and the shared helpers are in aptest.h.
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

#define DEFAULT_FACS (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_APSB | S390AP_FAC_RC8A))

/* ------------------------------------------------------------------ */
/* Fixture: a flat storage and the default machine                     */
/* ------------------------------------------------------------------ */
static void setup(void)
{
	fixture_setup(MEM_SIZE);
}

/* Adapter presence: an absent adapter may be reported either with
 * present = false or with a negative return. */
static bool adapter_present(unsigned apid)
{
	s390ap_adapter_info ai;

	return ainfo_get(apid, &ai) >= 0 && ai.present;
}

/* Queue existence: a queue that does not exist may be reported either
 * with exists = false or with a negative return. */
static bool queue_exists(uint16_t apqn)
{
	s390ap_queue_info qi;

	return qinfo_get(apqn, &qi) >= 0 && qi.exists;
}

/* Instructions, used to drive the queues. */
static void do_pqap(unsigned fc, uint16_t apqn, uint64_t extra)
{
	gr[0] = gr0_fc(fc, apqn) | extra;
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
}

static void tapq(uint16_t apqn)
{
	gr[1] = 0;
	gr[2] = 0;
	do_pqap(S390AP_FC_TAPQ, apqn, 0);
}

static void aqic_on(uint16_t apqn, unsigned isc, uint64_t nib)
{
	gr[1] = S390AP_AQIC_IR | isc;
	gr[2] = nib;
	do_pqap(S390AP_FC_AQIC, apqn, 0);
	ck_assert_uint_eq(res.cc, 0);
}

/* AQIC with this GR1 (GR2 as it is) ends cc 3 with RC rc, E set. */
static void aqic_refused(uint16_t apqn, uint64_t gr1, uint8_t rc)
{
	gr[1] = gr1;
	do_pqap(S390AP_FC_AQIC, apqn, 0);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], E | RC(rc));
}

static void put_msg50(uint64_t addr, size_t len, uint16_t lenfield, uint8_t type)
{
	uint8_t *p = ram + addr;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(0xA0u + i);
	p[0] = 0;
	p[1] = type;
	p[2] = (uint8_t)(lenfield >> 8);
	p[3] = (uint8_t)lenfield;
}

static void nqap(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len)
{
	gr[0] = apqn | S390AP_NQAP_L;
	gr[NQ_R1] = psmid >> 32;
	gr[NQ_R1 + 1] = psmid & 0xffffffffu;
	gr[NQ_R2] = addr;
	gr[NQ_R2 + 1] = len;
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
}

static void nqap16(uint16_t apqn, uint64_t psmid)
{
	put_msg50(MSG_ADDR, 16, 16, 0x50);
	nqap(apqn, psmid, MSG_ADDR, 16);
	ck_assert_uint_eq(res.cc, 0);
}

static void dqap(uint16_t apqn, uint64_t addr, uint64_t len)
{
	gr[0] = apqn;
	gr[2] = 0;
	gr[DQ_R1] = 0;
	gr[DQ_R1 + 1] = 0;
	gr[DQ_R2] = addr;
	gr[DQ_R2 + 1] = len;
	ck_assert_int_eq(s390ap_dqap(m, &ctx, DQ_R1, DQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
}

/* ================================================================== */
/* Machines                                                            */
/* ================================================================== */
START_TEST(test_machine_new_null_opts)
{
	s390ap_machine *x = NULL;
	uint8_t apm[32], aqm[32], adm[32], zero[32];

	ck_assert_int_eq(s390ap_machine_new(&x, NULL), 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(s390ap_machine_facilities(x), DEFAULT_FACS);
	ck_assert_uint_eq(s390ap_machine_max_apid(x), 255);
	ck_assert_uint_eq(s390ap_machine_max_apqi(x), 255);
	ck_assert_x64(s390ap_machine_now(x), 0);
	ck_assert_x64(s390ap_machine_next_event(x), S390AP_NO_EVENT);
	ck_assert_uint_eq(s390ap_machine_irq_pending(x), 0);
	ck_assert_ptr_nonnull(s390ap_machine_errmsg(x));
	ck_assert_str_eq(s390ap_machine_errmsg(x), "");
	memset(zero, 0, sizeof zero);
	memset(apm, 0xff, sizeof apm);
	memset(aqm, 0xff, sizeof aqm);
	memset(adm, 0xff, sizeof adm);
	s390ap_machine_masks(x, apm, aqm, adm);
	ck_assert_mem_eq(apm, zero, 32);
	ck_assert_mem_eq(aqm, zero, 32);
	ck_assert_mem_eq(adm, zero, 32);
	s390ap_machine_free(x);
}
END_TEST

START_TEST(test_machine_new_without_apxa)
{
	s390ap_machine *x = NULL;
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.facilities_set = true;
	o.facilities = S390AP_FAC_AP | S390AP_FAC_QCI | S390AP_FAC_APFT;
	ck_assert_int_eq(s390ap_machine_new(&x, &o), 0);
	ck_assert_uint_eq(s390ap_machine_facilities(x), o.facilities);
	ck_assert_uint_eq(s390ap_machine_max_apid(x), 63);
	ck_assert_uint_eq(s390ap_machine_max_apqi(x), 15);
	s390ap_machine_free(x);
}
END_TEST

START_TEST(test_machine_na_nd)
{
	s390ap_machine_opts o;
	s390ap_adapter_opts ao;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.na = 0x20;
	o.nd = 0x30;
	use_machine(&o);
	ck_assert_uint_eq(s390ap_machine_max_apid(m), 0x20);
	ck_assert_uint_eq(s390ap_machine_max_apqi(m), 0x30);
	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ck_assert_int_eq(s390ap_adapter_add(m, 0x20, &ao), 0);
	ck_assert_int_lt(s390ap_adapter_add(m, 0x21, &ao), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 0x30, true, true), 0);
	ck_assert_int_lt(s390ap_domain_add(m, 0x31, true, true), 0);
}
END_TEST

/* Machine options the library refuses, one per row. */
static const struct {
	uint32_t facilities; /* 0: the default set */
	unsigned na, nd;
	bool half_storage; /* a storage with a read callback only */
	int err;
} machine_refused[] = {
	/* facility bits that do not exist */
	{ .facilities = S390AP_FAC_ALL | (1u << 10), .err = S390AP_EINVAL },
	/* Na / Nd beyond 63 / 15 without APXA */
	{ .facilities = S390AP_FAC_AP | S390AP_FAC_QCI, .na = 64, .err = S390AP_ERANGE },
	{ .facilities = S390AP_FAC_AP | S390AP_FAC_QCI, .nd = 16, .err = S390AP_ERANGE },
	{ .half_storage = true, .err = S390AP_EINVAL },
};

START_TEST(test_machine_invalid_opts)
{
	s390ap_machine *x = (s390ap_machine *)&x;
	s390ap_machine_opts o;
	s390ap_storage half;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	if (machine_refused[_i].facilities) {
		o.facilities_set = true;
		o.facilities = machine_refused[_i].facilities;
	}
	o.na = machine_refused[_i].na;
	o.nd = machine_refused[_i].nd;
	if (machine_refused[_i].half_storage) {
		memset(&half, 0, sizeof half);
		half.size = sizeof(half);
		half.read = st.read;
		o.storage = &half;
	}
	ck_assert_int_eq(s390ap_machine_new(&x, &o), machine_refused[_i].err);
	ck_assert_ptr_null(x);
}
END_TEST

START_TEST(test_machine_new_no_result)
{
	ck_assert_int_eq(s390ap_machine_new(NULL, NULL), S390AP_EINVAL);
	/* there is no machine to hold the message; the text is still safe */
	ck_assert_ptr_nonnull(s390ap_machine_errmsg(NULL));
}
END_TEST

START_TEST(test_machine_default_contents)
{
	uint8_t apm[32], aqm[32], adm[32];
	uint8_t eapm[32], eaqm[32], eadm[32];
	s390ap_adapter_info ai;

	ck_assert_uint_eq(s390ap_machine_facilities(m), DEFAULT_FACS);
	ck_assert(s390ap_machine_facilities(m) & S390AP_FAC_APXA);
	ck_assert_uint_eq(s390ap_machine_max_apid(m), 255);
	ck_assert_uint_eq(s390ap_machine_max_apqi(m), 255);

	memset(eapm, 0, 32);
	memset(eaqm, 0, 32);
	memset(eadm, 0, 32);
	eapm[0] = 0x1C; /* 3, 4, 5 */
	eaqm[0] = 0x03; /* 6, 7 */
	eaqm[8] = 0x01; /* 0x47 */
	eadm[0] = 0x83; /* 0, 6, 7 */
	eadm[8] = 0x01; /* 0x47 */
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_mem_eq(apm, eapm, 32);
	ck_assert_mem_eq(aqm, eaqm, 32);
	ck_assert_mem_eq(adm, eadm, 32);

	ai = ainfo(3);
	ck_assert(ai.present);
	ck_assert_uint_eq(ai.type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(ai.mode, S390AP_MODE_ACCEL);
	ai = ainfo(4);
	ck_assert(ai.present);
	ck_assert_uint_eq(ai.type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(ai.mode, S390AP_MODE_CCA);
	ai = ainfo(5);
	ck_assert(ai.present);
	ck_assert_uint_eq(ai.type, S390AP_TYPE_CEX7);
	ck_assert_int_eq(ai.mode, S390AP_MODE_EP11);

	for (unsigned apid = 3; apid <= 5; apid++) {
		ck_assert(queue_exists(S390AP_APQN(apid, 0x06)));
		ck_assert(queue_exists(S390AP_APQN(apid, 0x07)));
		ck_assert(queue_exists(S390AP_APQN(apid, 0x47)));
		ck_assert(!queue_exists(S390AP_APQN(apid, 0x00)));
		ck_assert(!queue_exists(S390AP_APQN(apid, 0x08)));
	}
	ck_assert(!queue_exists(S390AP_APQN(0x02, 0x06)));
	ck_assert(!adapter_present(6));
}
END_TEST

START_TEST(test_machine_free_null)
{
	s390ap_machine_free(NULL);
	s390ap_mem_free(NULL);
}
END_TEST

START_TEST(test_machines_independent)
{
	s390ap_machine *x = NULL;

	ck_assert_int_eq(s390ap_machine_new_default(&x, NULL), 0);
	ck_assert_int_eq(s390ap_adapter_remove(x, 3), 0);
	ck_assert(ainfo(3).present);
	advance(500);
	ck_assert_x64(s390ap_machine_now(x), 0);
	ck_assert_x64(s390ap_machine_now(m), 500);
	s390ap_machine_free(x);
}
END_TEST

START_TEST(test_version_string)
{
	ck_assert_str_eq(s390ap_version(), S390AP_VERSION_STRING);
	ck_assert_str_eq(s390ap_version(), "0.1.0");
}
END_TEST

/* ================================================================== */
/* Adapters                                                            */
/* ================================================================== */
START_TEST(test_adapter_add_remove)
{
	uint8_t apm[32], aqm[32], adm[32];

	add_adapter(0x10, S390AP_TYPE_CEX6, S390AP_MODE_CCA);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_uint_eq(apm[2], 0x80);
	ck_assert(ainfo(0x10).present);
	ck_assert_uint_eq(ainfo(0x10).type, S390AP_TYPE_CEX6);
	ck_assert(queue_exists(S390AP_APQN(0x10, 0x06)));
	ck_assert(queue_exists(S390AP_APQN(0x10, 0x47)));

	ck_assert_int_eq(s390ap_adapter_remove(m, 0x10), 0);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_uint_eq(apm[2], 0x00);
	ck_assert(!queue_exists(S390AP_APQN(0x10, 0x06)));
	ck_assert_int_eq(s390ap_adapter_remove(m, 0x10), S390AP_ENOENT);
}
END_TEST

/* Adapter options the library refuses, one per row, each on apid 0x10 of
 * the default machine (0 in a field: the row leaves it at its default). */
static const struct {
	unsigned apid;
	uint8_t type;
	unsigned mode;
	unsigned depth, domains;
	bool no_machine;
} adapter_add_refused[] = {
	{ .apid = 256 },
	{ .apid = 0x10, .type = 9 },
	{ .apid = 0x10, .type = 15 },
	{ .apid = 0x10, .type = S390AP_TYPE_CEX8, .mode = 3 },
	{ .apid = 0x10, .type = S390AP_TYPE_CEX8, .depth = 17 },
	{ .apid = 0x10, .type = S390AP_TYPE_CEX8, .domains = 257 },
	{ .apid = 0x10, .type = S390AP_TYPE_CEX8, .no_machine = true },
};

START_TEST(test_adapter_add_errors)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = adapter_add_refused[_i].type;
	ao.mode = (s390ap_mode)adapter_add_refused[_i].mode;
	ao.depth = adapter_add_refused[_i].depth;
	ao.domains = adapter_add_refused[_i].domains;
	ck_assert_int_lt(s390ap_adapter_add(adapter_add_refused[_i].no_machine ? NULL : m,
					    adapter_add_refused[_i].apid, &ao),
			 0);
	if (!adapter_add_refused[_i].no_machine)
		ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	ck_assert(!adapter_present(0x10));
}
END_TEST

START_TEST(test_adapter_add_existing)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ck_assert_int_eq(s390ap_adapter_add(m, 3, &ao), S390AP_EEXIST);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
}
END_TEST

/* Without APXA, apid 64 is out of range and 63 the highest. */
START_TEST(test_adapter_add_without_apxa)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	use_machine_facs(S390AP_FAC_AP | S390AP_FAC_QCI | S390AP_FAC_APFT);
	ck_assert_int_lt(s390ap_adapter_add(m, 64, &ao), 0);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	ck_assert_int_eq(s390ap_adapter_add(m, 63, &ao), 0);
}
END_TEST

START_TEST(test_adapter_info_defaults)
{
	s390ap_adapter_info ai;

	ai = ainfo(3); /* CEX8 accel: S M C A N H */
	ck_assert_x64(ai.fac, 0xEB000000u);
	ck_assert(ai.configured);
	ck_assert(!ai.checkstopped);
	ck_assert_uint_eq(ai.domains, 85);
	ck_assert_uint_eq(ai.ml, 3);
	ck_assert_uint_eq(ai.depth, 8);
	ck_assert_uint_eq(ai.latency, 2000);
	ck_assert_uint_eq(ai.requests, 0);

	ai = ainfo(4); /* CEX8 CCA: S D N H F */
	ck_assert_x64(ai.fac, 0x93800000u);
	ck_assert_uint_eq(ai.latency, 20000);

	ai = ainfo(5); /* CEX7 EP11: S X N F; one generation older: x1.25 */
	ck_assert_x64(ai.fac, 0x86800000u);
	ck_assert_uint_eq(ai.latency, 37500);
}
END_TEST

START_TEST(test_adapter_fac_without_apsc)
{
	use_machine_facs(DEFAULT_FACS & ~(uint32_t)S390AP_FAC_APSC);
	add_adapter(1, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	add_adapter(2, S390AP_TYPE_CEX7, S390AP_MODE_ACCEL);
	add_adapter(3, S390AP_TYPE_CEX4, S390AP_MODE_CCA);
	add_adapter(4, S390AP_TYPE_CEX8, S390AP_MODE_EP11);
	add_adapter(5, S390AP_TYPE_CEX6, S390AP_MODE_EP11);
	ck_assert_x64(ainfo(1).fac, 0x6B000000u); /* M C A N H */
	ck_assert_x64(ainfo(2).fac, 0x6A000000u); /* M C A N */
	ck_assert_x64(ainfo(3).fac, 0x12800000u); /* D N F */
	ck_assert_x64(ainfo(4).fac, 0x07800000u); /* X N H F */
	ck_assert_x64(ainfo(5).fac, 0x06800000u); /* X N F */
}
END_TEST

START_TEST(test_adapter_fac_explicit)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX8;
	ao.mode = S390AP_MODE_ACCEL;
	ao.fac = S390AP_TAPQ_FAC_MEX4K;
	ao.fac_explicit = true;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	/* the mode bit is forced */
	ck_assert_x64(ainfo(0x10).fac, S390AP_TAPQ_FAC_MEX4K | S390AP_TAPQ_FAC_ACCEL);
}
END_TEST

START_TEST(test_adapter_opts_defaults)
{
	s390ap_adapter_opts ao;
	s390ap_adapter_info ai;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	ai = ainfo(0x10);
	ck_assert_uint_eq(ai.type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(ai.mode, S390AP_MODE_ACCEL);
	ck_assert_uint_eq(ai.domains, 85);
	ck_assert_uint_eq(ai.ml, 3);
	ck_assert_uint_eq(ai.depth, 8);
	ck_assert_uint_eq(ai.latency, 2000);

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX4; /* four generations older: x2 */
	ck_assert_int_eq(s390ap_adapter_add(m, 0x12, &ao), 0);
	ck_assert_uint_eq(ainfo(0x12).latency, 4000);

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.type = S390AP_TYPE_CEX5;
	ao.mode = S390AP_MODE_CCA;
	ao.domains = 16;
	ao.ml = 6;
	ao.depth = 16;
	ao.latency = 123;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x11, &ao), 0);
	ai = ainfo(0x11);
	ck_assert_uint_eq(ai.type, S390AP_TYPE_CEX5);
	ck_assert_uint_eq(ai.domains, 16);
	ck_assert_uint_eq(ai.ml, 6);
	ck_assert_uint_eq(ai.depth, 16);
	ck_assert_uint_eq(ai.latency, 123);
	ck_assert_uint_eq(qinfo(S390AP_APQN(0x11, 6)).capacity, 16);
}
END_TEST

START_TEST(test_adapter_domains_limit_queues)
{
	s390ap_adapter_opts ao;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.domains = 7;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	ck_assert(queue_exists(S390AP_APQN(0x10, 6)));
	ck_assert(!queue_exists(S390AP_APQN(0x10, 7)));
	ck_assert(!queue_exists(S390AP_APQN(0x10, 0x47)));
}
END_TEST

START_TEST(test_adapter_remove_destroys_queues)
{
	nqap16(ACC, 1);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	ck_assert_int_eq(s390ap_adapter_remove(m, 3), 0);
	ck_assert(!queue_exists(ACC));
	tapq(ACC);
	ck_assert_uint_eq(res.rc, S390AP_RC_Q_NOT_AVAIL);
	advance(5000);
	add_adapter(3, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL);
	ck_assert(queue_exists(ACC));
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	tapq(ACC);
	ck_assert_x64(gr[1], E);
}
END_TEST

START_TEST(test_adapter_requests_counter)
{
	nqap16(ACC, 1);
	nqap16(ACC, 2);
	nqap16(S390AP_APQN(3, 7), 3);
	ck_assert_uint_eq(ainfo(3).requests, 3);
	ck_assert_uint_eq(qinfo(ACC).enqueued, 2);
}
END_TEST

/* ================================================================== */
/* Domains                                                             */
/* ================================================================== */
START_TEST(test_domain_add_remove)
{
	uint8_t apm[32], aqm[32], adm[32];

	ck_assert_int_eq(s390ap_domain_add(m, 0x10, true, true), 0);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_uint_eq(aqm[2], 0x80);
	ck_assert_uint_eq(adm[2], 0x80);
	for (unsigned apid = 3; apid <= 5; apid++)
		ck_assert(queue_exists(S390AP_APQN(apid, 0x10)));

	/* control only: no queue */
	ck_assert_int_eq(s390ap_domain_add(m, 0x11, false, true), 0);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_uint_eq(aqm[2], 0x80);
	ck_assert_uint_eq(adm[2], 0xC0);
	ck_assert(!queue_exists(S390AP_APQN(3, 0x11)));

	/* usage only */
	ck_assert_int_eq(s390ap_domain_add(m, 0x12, true, false), 0);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_uint_eq(aqm[2], 0xA0);
	ck_assert_uint_eq(adm[2], 0xC0);
	ck_assert(queue_exists(S390AP_APQN(3, 0x12)));

	ck_assert_int_eq(s390ap_domain_remove(m, 0x10), 0);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_uint_eq(aqm[2], 0x20);
	ck_assert_uint_eq(adm[2], 0x40);
	ck_assert(!queue_exists(S390AP_APQN(3, 0x10)));
	ck_assert_int_eq(s390ap_domain_remove(m, 0x10), S390AP_ENOENT);
}
END_TEST

START_TEST(test_domain_remove_destroys_queues)
{
	nqap16(ACC, 1);
	advance(2000);
	nqap16(ACC, 2);
	ck_assert_int_eq(s390ap_domain_remove(m, 6), 0);
	ck_assert(!queue_exists(ACC));
	ck_assert(queue_exists(S390AP_APQN(3, 7)));
	advance(5000);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(gr[1], E | RC(S390AP_RC_NO_PENDING_REPLY));
}
END_TEST

START_TEST(test_domain_new_queue_is_reset)
{
	s390ap_queue_info qi;

	ck_assert_int_eq(s390ap_domain_add(m, 0x20, true, false), 0);
	qi = qinfo(S390AP_APQN(3, 0x20));
	ck_assert(qi.exists);
	ck_assert(!qi.reset_pending);
	ck_assert(!qi.irq_enabled);
	ck_assert_uint_eq(qi.requests, 0);
	ck_assert_uint_eq(qi.replies, 0);
	ck_assert_uint_eq(qi.capacity, 8);
	ck_assert_uint_eq(qi.async_rc, 0);
	tapq(S390AP_APQN(3, 0x20));
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[1], E);
}
END_TEST

START_TEST(test_domain_errors)
{
	ck_assert_int_lt(s390ap_domain_add(m, 256, true, true), 0);
	ck_assert_int_lt(s390ap_domain_add(NULL, 1, true, true), 0);

	use_machine_facs(S390AP_FAC_AP | S390AP_FAC_QCI);
	ck_assert_int_lt(s390ap_domain_add(m, 16, true, true), 0);
	ck_assert_str_ne(s390ap_machine_errmsg(m), "");
	ck_assert_int_eq(s390ap_domain_add(m, 15, true, true), 0);
	ck_assert_int_eq(s390ap_domain_remove(m, 3), S390AP_ENOENT);
}
END_TEST

START_TEST(test_domain_before_adapter)
{
	s390ap_machine *x = NULL;
	s390ap_adapter_opts ao;
	s390ap_queue_info qi;

	ck_assert_int_eq(s390ap_machine_new(&x, NULL), 0);
	ck_assert_int_eq(s390ap_domain_add(x, 9, true, false), 0);
	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ck_assert_int_eq(s390ap_adapter_add(x, 1, &ao), 0);
	memset(&qi, 0, sizeof qi);
	ck_assert_int_eq(s390ap_queue_info_get(x, S390AP_APQN(1, 9), &qi), 0);
	ck_assert(qi.exists);
	s390ap_machine_free(x);
}
END_TEST

/* ================================================================== */
/* QCI image                                                           */
/* ================================================================== */
/* The machine's QCI image is exp, all 128 bytes of it. */
static void expect_qci_image(const uint8_t *exp)
{
	uint8_t got[128];

	memset(got, 0xCC, sizeof got);
	s390ap_machine_qci(m, got);
	ck_assert_mem_eq(got, exp, 128);
}

START_TEST(test_qci_default_image)
{
	uint8_t exp[128];

	memset(exp, 0, sizeof exp);
	exp[0] = 0xE0;  /* S (APSC), N (APXA), C (QACT); no R */
	exp[1] = 0x00;  /* no B (APSB) */
	exp[4] = 0xFF;  /* Na */
	exp[5] = 0xFF;  /* Nd */
	exp[16] = 0x1C; /* APM 3, 4, 5 */
	exp[48] = 0x03; /* AQM 6, 7 */
	exp[56] = 0x01; /* AQM 0x47 */
	exp[80] = 0x83; /* ADM 0, 6, 7 */
	exp[88] = 0x01; /* ADM 0x47 */
	expect_qci_image(exp);
}
END_TEST

START_TEST(test_qci_without_apxa_image)
{
	uint8_t exp[128];

	use_machine_facs(S390AP_FAC_AP | S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_QACT |
			 S390AP_FAC_RC8A);
	add_adapter(0, S390AP_TYPE_CEX4, S390AP_MODE_ACCEL);
	add_adapter(63, S390AP_TYPE_CEX4, S390AP_MODE_ACCEL);
	ck_assert_int_eq(s390ap_domain_add(m, 15, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 1, false, true), 0);

	memset(exp, 0, sizeof exp);
	exp[0] = 0x30;      /* C R */
	exp[16] = 0x80;     /* APM 0 */
	exp[16 + 7] = 0x01; /* APM 63 */
	exp[48 + 1] = 0x01; /* AQM 15 */
	exp[80] = 0x40;     /* ADM 1 */
	exp[80 + 1] = 0x01; /* ADM 15 */
	expect_qci_image(exp);
}
END_TEST

START_TEST(test_qci_all_facilities_image)
{
	uint8_t exp[128];

	use_machine_facs(S390AP_FAC_ALL);
	add_adapter(0xFF, S390AP_TYPE_CEX8, S390AP_MODE_EP11);
	ck_assert_int_eq(s390ap_domain_add(m, 0xFE, true, false), 0);
	ck_assert_int_eq(s390ap_domain_add(m, 0xFF, false, true), 0);
	memset(exp, 0, sizeof exp);
	exp[0] = 0xF0;
	exp[1] = 0x80;
	exp[4] = 0xFF;
	exp[5] = 0xFF;
	exp[16 + 31] = 0x01; /* APM 255 */
	exp[48 + 31] = 0x02; /* AQM 254 */
	exp[80 + 31] = 0x01; /* ADM 255 */
	expect_qci_image(exp);
}
END_TEST

START_TEST(test_qci_tracks_changes)
{
	uint8_t before[128], after[128];

	s390ap_machine_qci(m, before);
	ck_assert_int_eq(s390ap_adapter_remove(m, 4), 0);
	s390ap_machine_qci(m, after);
	ck_assert_uint_eq(after[16], 0x14);
	after[16] = before[16];
	ck_assert_mem_eq(after, before, 128);
}
END_TEST

START_TEST(test_masks_match_qci)
{
	uint8_t q[128], apm[32], aqm[32], adm[32];

	s390ap_machine_qci(m, q);
	s390ap_machine_masks(m, apm, aqm, adm);
	ck_assert_mem_eq(q + S390AP_QCI_APM_OFF, apm, 32);
	ck_assert_mem_eq(q + S390AP_QCI_AQM_OFF, aqm, 32);
	ck_assert_mem_eq(q + S390AP_QCI_ADM_OFF, adm, 32);
}
END_TEST

/* ================================================================== */
/* Event clock                                                         */
/* ================================================================== */
START_TEST(test_clock_initial)
{
	ck_assert_x64(s390ap_machine_now(m), 0);
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
	advance(0);
	ck_assert_x64(s390ap_machine_now(m), 0);
}
END_TEST

START_TEST(test_clock_advance_run_until)
{
	advance(100);
	ck_assert_x64(s390ap_machine_now(m), 100);
	ck_assert_int_eq(s390ap_machine_run_until(m, 250), 0);
	ck_assert_x64(s390ap_machine_now(m), 250);
	ck_assert_int_eq(s390ap_machine_run_until(m, 250), 0);
	ck_assert_x64(s390ap_machine_now(m), 250);
	/* an older cycle (another vCPU's clock) is no error and changes nothing */
	ck_assert_int_eq(s390ap_machine_run_until(m, 249), 0);
	ck_assert_x64(s390ap_machine_now(m), 250);
	ck_assert_int_eq(s390ap_machine_run_until(m, 0), 0);
	ck_assert_x64(s390ap_machine_now(m), 250);
	ck_assert_int_lt(s390ap_machine_advance(NULL, 1), 0);
}
END_TEST

START_TEST(test_clock_reset_event)
{
	advance(10);
	do_pqap(S390AP_FC_RAPQ, ACC, 0);
	ck_assert_x64(s390ap_machine_next_event(m), 10 + 2000);
	ck_assert(qinfo(ACC).reset_pending);
	ck_assert_int_eq(s390ap_machine_run_until(m, 2009), 0);
	ck_assert(qinfo(ACC).reset_pending);
	ck_assert_x64(s390ap_machine_next_event(m), 2010);
	ck_assert_int_eq(s390ap_machine_run_until(m, 2010), 0);
	ck_assert(!qinfo(ACC).reset_pending);
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
}
END_TEST

START_TEST(test_clock_ordering)
{
	nqap16(ACC, 1); /* reply at 2000 */
	advance(100);
	nqap16(CCA, 2);  /* reply at 20100 */
	nqap16(EP11, 3); /* CEX7: reply at 100 + 37500 = 37600 */
	ck_assert_x64(s390ap_machine_next_event(m), 2000);
	ck_assert_int_eq(s390ap_machine_run_until(m, 2000), 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_uint_eq(qinfo(CCA).replies, 0);
	ck_assert_x64(s390ap_machine_next_event(m), 20100);
	ck_assert_int_eq(s390ap_machine_run_until(m, 37599), 0);
	ck_assert_uint_eq(qinfo(CCA).replies, 1);
	ck_assert_uint_eq(qinfo(EP11).replies, 0);
	ck_assert_x64(s390ap_machine_next_event(m), 37600);
	advance(1);
	ck_assert_uint_eq(qinfo(EP11).replies, 1);
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
}
END_TEST

START_TEST(test_clock_one_advance_fires_all)
{
	do_pqap(S390AP_FC_RAPQ, S390AP_APQN(3, 7), 0);
	nqap16(ACC, 1);
	nqap16(CCA, 2);
	aqic_on(EP11, 6, NIB_ADDR);
	advance(100000);
	ck_assert(!qinfo(S390AP_APQN(3, 7)).reset_pending);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_uint_eq(qinfo(CCA).replies, 1);
	ck_assert(qinfo(EP11).irq_enabled);
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
	ck_assert_x64(s390ap_machine_now(m), 100000);
}
END_TEST

START_TEST(test_clock_same_cycle_insertion_order)
{
	nqap16(ACC, 0x11);
	nqap16(ACC, 0x22);
	nqap16(ACC, 0x33);
	advance(2000);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(dq_psmid(), 0x11);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(dq_psmid(), 0x22);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_x64(dq_psmid(), 0x33);
}
END_TEST

START_TEST(test_clock_knobs)
{
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.reset_cycles = 10;
	o.irq_cycles = 3;
	use_machine_acc(&o);
	do_pqap(S390AP_FC_RAPQ, ACC, 0);
	ck_assert_x64(s390ap_machine_next_event(m), 10);
	advance(10);
	ck_assert(!qinfo(ACC).reset_pending);
	aqic_on(ACC, 2, NIB_ADDR);
	ck_assert_x64(s390ap_machine_next_event(m), 13);
	advance(2);
	ck_assert(!qinfo(ACC).irq_enabled);
	ck_assert(qinfo(ACC).irq_change_pending);
	advance(1);
	ck_assert(qinfo(ACC).irq_enabled);
	ck_assert(!qinfo(ACC).irq_change_pending);
}
END_TEST

/* Events due on the same cycle fire in the order they were added, loud
 * ones (a reply) and quiet ones (an interruption-state change) alike.
 * AQIC then NQAP: the I bit is on when the reply lands, which raises the
 * ISC; NQAP then AQIC: the reply lands first and raises nothing. */
START_TEST(test_clock_ties_across_kinds)
{
	for (unsigned aqic_first = 0; aqic_first < 2; aqic_first++) {
		s390ap_machine_opts o;

		memset(&o, 0, sizeof o);
		o.size = sizeof(o);
		o.irq_cycles = 2000;
		use_machine_acc(&o);
		ram[NIB_ADDR] = 0;
		if (aqic_first)
			aqic_on(ACC, 3, NIB_ADDR);
		nqap16(ACC, 1);
		if (!aqic_first)
			aqic_on(ACC, 3, NIB_ADDR);
		ck_assert_x64(s390ap_machine_next_event(m), 2000);
		advance(1999);
		ck_assert_uint_eq(qinfo(ACC).replies, 0);
		advance(1);
		ck_assert(qinfo(ACC).irq_enabled);
		ck_assert_uint_eq(qinfo(ACC).replies, 1);
		ck_assert_x64(s390ap_machine_irq_pending(m), aqic_first ? 0x10 : 0);
		ck_assert_uint_eq(ram[NIB_ADDR], aqic_first ? 1 : 0);
		ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
	}
}
END_TEST

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/* 65,536 far-future events, then 100,000 near ones on 5,000 cycles (many
 * ties): stepping the clock cycle by cycle fires exactly the events due,
 * the last one added on a cycle decides the I bit, the far ones wait. */
START_TEST(test_clock_many_events)
{
	enum { N = 100000, SPAN = 5000, FAR = 65536 };
	const uint64_t far0 = 1000000000000ull;
	unsigned count[SPAN + 1];
	int last[SPAN + 1];
	struct ap_queue *q = ap_queue_get(m, ACC);
	uint64_t s = 1, t0, first = SPAN + 1;
	size_t pending = FAR + N;

	ck_assert_ptr_nonnull(q);
	memset(count, 0, sizeof count);
	advance(10);
	t0 = s390ap_machine_now(m);
	for (unsigned i = 0; i < FAR; i++)
		ck_assert_int_eq(ap_event_add(m, far0 + (uint64_t)(i * 7919u % FAR), AP_EV_IRQ, q,
					      1),
				 0);
	for (unsigned i = 0; i < N; i++) {
		unsigned d = 1 + (unsigned)(lcg(&s) % SPAN);
		int v = (int)(lcg(&s) & 1);

		ck_assert_int_eq(ap_event_add(m, d, AP_EV_IRQ, q, (uint64_t)v), 0);
		count[d]++;
		last[d] = v;
		if (d < first)
			first = d;
	}
	ck_assert_uint_eq(ap_events_pending(m), pending);
	ck_assert_x64(s390ap_machine_next_event(m), t0 + first);
	for (unsigned d = 1; d <= SPAN; d++) {
		if (!count[d])
			continue;
		ck_assert_int_eq(s390ap_machine_run_until(m, t0 + d), 0);
		pending -= count[d];
		ck_assert_uint_eq(ap_events_pending(m), pending);
		ck_assert_int_eq(qinfo(ACC).irq_enabled, last[d]);
		ck_assert_uint_gt(s390ap_machine_next_event(m), t0 + d);
	}
	ck_assert_uint_eq(pending, FAR);
	ck_assert_x64(s390ap_machine_next_event(m), t0 + far0);
	ck_assert_int_eq(s390ap_machine_run_until(m, t0 + far0 + FAR - 2), 0);
	ck_assert_uint_eq(ap_events_pending(m), 1);
	ck_assert_x64(s390ap_machine_next_event(m), t0 + far0 + FAR - 1);
	advance(1);
	ck_assert_uint_eq(ap_events_pending(m), 0);
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
}
END_TEST

/* The 32-bit insertion ranks run out: the pending events are renumbered
 * and ties still fire in the order they were added. */
START_TEST(test_clock_rank_renumber)
{
	static const int vals[] = { 0, 1, 0, 1, 1, 0, 1 };
	struct ap_queue *q = ap_queue_get(m, ACC);

	ck_assert_ptr_nonnull(q);
	ck_assert_int_eq(ap_event_add(m, 80, AP_EV_IRQ, q, 0), 0);
	m->ev_rank = UINT32_MAX - 3;
	for (unsigned i = 0; i < ARRAY_SIZE(vals); i++) {
		ck_assert_int_eq(ap_event_add(m, 50, AP_EV_IRQ, q, (uint64_t)vals[i]), 0);
		ck_assert_int_eq(ap_event_add(m, 20 + i, AP_EV_IRQ, q, 0), 0);
	}
	ck_assert_uint_lt(m->ev_rank, 32);
	ck_assert_uint_eq(ap_events_pending(m), 15);
	advance(49);
	ck_assert(!qinfo(ACC).irq_enabled);
	advance(1);
	ck_assert(qinfo(ACC).irq_enabled);
	ck_assert_x64(s390ap_machine_next_event(m), 80);
	advance(30);
	ck_assert(!qinfo(ACC).irq_enabled);
	ck_assert_uint_eq(ap_events_pending(m), 0);
}
END_TEST

/* An AQIC change due past the end of the clock saturates like any event:
 * it is pending at S390AP_NO_EVENT - 1, not "no event". */
START_TEST(test_clock_aqic_change_saturates)
{
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.irq_cycles = UINT64_MAX;
	use_machine_acc(&o);
	gr[1] = S390AP_AQIC_IR | 3;
	gr[2] = NIB_ADDR;
	do_pqap(S390AP_FC_AQIC, ACC, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(s390ap_machine_next_event(m), S390AP_NO_EVENT - 1);
	ck_assert_int_eq(qinfo(ACC).irq_change_pending, 1);
	ck_assert_int_eq(s390ap_machine_run_until(m, S390AP_NO_EVENT - 1), 0);
	ck_assert_int_eq(qinfo(ACC).irq_enabled, 1);
	ck_assert_uint_eq(s390ap_machine_next_event(m), S390AP_NO_EVENT);
}
END_TEST

/* AQIC changes wait in a FIFO of their own, one per queue at most: N
 * queues enabled one cycle apart land irq_cycles after their own AQIC, in
 * order; the pending count and the next event follow them cycle by cycle.
 * While a queue's change is in flight, asking again for the same state is
 * 0x07 and for the other state busy (0x05); neither adds to the FIFO. */
START_TEST(test_clock_aqic_changes_in_order)
{
	enum { N = 80, D = 100 };
	s390ap_machine_opts o;
	uint64_t t0;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.irq_cycles = D;
	use_machine_acc(&o);
	for (unsigned qi = 0; qi < N; qi++)
		if (qi != 6)
			ck_assert_int_eq(s390ap_domain_add(m, qi, true, true), 0);
	t0 = s390ap_machine_now(m);
	for (unsigned i = 0; i < N + D; i++) {
		unsigned made = i < N ? i + 1 : N; /* AQICs taken by now */
		int landed;                        /* the last change landed, -1 none */

		if (i < N) {
			uint16_t apqn = S390AP_APQN(3, i);

			aqic_on(apqn, 3, NIB_ADDR);
			aqic_refused(apqn, S390AP_AQIC_IR | 3, 0x07);
			aqic_refused(apqn, 0, 0x05);
		}
		advance(1);
		/* now t0 + i + 1: the change made at t0 + j has landed iff
		 * j + D <= i + 1 */
		landed = i + 1 >= D ? (int)(i + 1 - D) : -1;
		if (landed >= N)
			landed = N - 1;
		for (unsigned j = 0; j < made; j++) {
			s390ap_queue_info q = qinfo(S390AP_APQN(3, j));

			ck_assert_int_eq(q.irq_enabled, (int)j <= landed);
			ck_assert_int_eq(q.irq_change_pending, (int)j > landed);
		}
		ck_assert_uint_eq(ap_events_pending(m), made - (unsigned)(landed + 1));
		if ((int)made > landed + 1)
			ck_assert_x64(s390ap_machine_next_event(m),
				      t0 + (uint64_t)(landed + 1) + D);
		else
			ck_assert_x64(s390ap_machine_next_event(m), S390AP_NO_EVENT);
	}
	ck_assert(m->ev_irq.cap <= 128);
}
END_TEST

/* A guest toggling AQIC under a huge irq delay, with and without resets in
 * between, keeps at most one change per queue pending: 100k toggles leave
 * the pending-event count and the FIFO's size bounded (before, each AQIC
 * added an entry: about 40 bytes for as long as the guest ran). */
START_TEST(test_clock_aqic_toggles_bounded)
{
	enum { TOGGLES = 100000 };
	s390ap_machine_opts o;
	unsigned busy = 0, same = 0;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.irq_cycles = 1ull << 40;
	use_machine_acc(&o);
	for (unsigned i = 0; i < TOGGLES; i++) {
		gr[1] = (i & 1) ? 0 : S390AP_AQIC_IR | 3;
		gr[2] = NIB_ADDR;
		do_pqap(S390AP_FC_AQIC, ACC, 0);
		if (i == 0) {
			ck_assert_uint_eq(res.cc, 0);
		} else {
			ck_assert_uint_eq(res.cc, 3);
			busy += (gr[1] & RC(0xFF)) == RC(S390AP_RC_BUSY);
			same += (gr[1] & RC(0xFF)) == RC(S390AP_RC_OTHERWISE_CHANGED);
		}
		advance(10);
		ck_assert_uint_le(ap_events_pending(m), 1);
	}
	ck_assert_uint_eq(busy, TOGGLES / 2);
	ck_assert_uint_eq(same, TOGGLES / 2 - 1);
	ck_assert(qinfo(ACC).irq_change_pending);
	ck_assert(!qinfo(ACC).irq_enabled);

	/* a reset drops the change, but its FIFO entry is still in flight:
	 * the queue stays busy for AQIC until it has passed, so reset loops
	 * cannot grow the FIFO either */
	for (unsigned i = 0; i < 1000; i++) {
		gr[1] = 0;
		do_pqap(S390AP_FC_RAPQ, ACC, 0);
		ck_assert_uint_eq(res.cc, 0);
		ck_assert(!qinfo(ACC).irq_change_pending);
		advance(S390AP_DEFAULT_RESET_CYCLES);
		gr[2] = NIB_ADDR;
		aqic_refused(ACC, S390AP_AQIC_IR | 3, 0x05);
		aqic_refused(ACC, 0, 0x07);
		ck_assert_uint_le(ap_events_pending(m), 1);
	}
	ck_assert_uint_le(m->ev_irq.cap, 16);
	/* the stale entry lands without effect; then AQIC works again */
	ck_assert_int_eq(s390ap_machine_run_until(m, s390ap_machine_next_event(m)), 0);
	ck_assert_uint_eq(ap_events_pending(m), 0);
	ck_assert(!qinfo(ACC).irq_enabled);
	aqic_on(ACC, 3, NIB_ADDR);
	ck_assert_x64(gr[1], E);
	ck_assert_uint_eq(ap_events_pending(m), 1);
}
END_TEST

/* A guest that resets a queue in a loop while its requests are in process
 * leaves their reply events stale; with a long latency they would pile up
 * until due.  Out of slots, the clock drops stale events before it grows,
 * so the pending events stay within a small multiple of the live ones, and
 * a live reply still arrives on time among them. */
START_TEST(test_clock_stale_events_dropped)
{
	enum { LOOPS = 20000 };
	s390ap_adapter_opts ao;
	const uint16_t q = S390AP_APQN(0x10, 6);
	size_t most = 0;

	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.latency = 1ull << 40;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	for (unsigned i = 0; i < LOOPS; i++) {
		nqap16(q, i);
		gr[1] = 0;
		do_pqap(S390AP_FC_RAPQ, q, 0);
		ck_assert_uint_eq(res.cc, 0);
		advance(S390AP_DEFAULT_RESET_CYCLES);
		if (ap_events_pending(m) > most)
			most = ap_events_pending(m);
	}
	ck_assert_uint_le(most, 256);
	ck_assert_uint_le(m->ev_cap, 256);

	/* a request that survives: its reply is due 2^40 cycles on, and the
	 * stale events around it change nothing */
	nqap16(q, 0xABCD);
	ck_assert_uint_eq(res.cc, 0);
	advance((1ull << 40) - 1);
	ck_assert_uint_eq(qinfo(q).replies, 0);
	advance(1);
	ck_assert_uint_eq(qinfo(q).replies, 1);
	dqap(q, BUF_ADDR, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[DQ_R1] << 32 | (gr[DQ_R1 + 1] & 0xffffffffu), 0xABCD);
}
END_TEST

/* The ranks run out with an AQIC change pending: renumbering keeps the
 * change and an event due on the same cycle in the order they were made,
 * either way round. */
START_TEST(test_clock_aqic_rank_renumber)
{
	for (unsigned aqic_first = 0; aqic_first < 2; aqic_first++) {
		s390ap_machine_opts o;
		struct ap_queue *q;

		memset(&o, 0, sizeof o);
		o.size = sizeof(o);
		o.irq_cycles = 50;
		use_machine_acc(&o);
		q = ap_queue_get(m, ACC);
		ck_assert_ptr_nonnull(q);
		m->ev_rank = UINT32_MAX - 1;
		if (aqic_first)
			aqic_on(ACC, 3, NIB_ADDR);
		ck_assert_int_eq(ap_event_add(m, 50, AP_EV_IRQ, q, 0), 0);
		if (!aqic_first)
			aqic_on(ACC, 3, NIB_ADDR);
		ck_assert_uint_lt(m->ev_rank, 4);
		ck_assert_uint_eq(ap_events_pending(m), 2);
		ck_assert_x64(s390ap_machine_next_event(m), 50);
		advance(49);
		ck_assert(!qinfo(ACC).irq_enabled);
		advance(1);
		/* the later of the two decides */
		ck_assert_int_eq(qinfo(ACC).irq_enabled, !aqic_first);
		ck_assert_uint_eq(ap_events_pending(m), 0);
	}
}
END_TEST

/* ================================================================== */
/* Adapter interruptions                                               */
/* ================================================================== */
START_TEST(test_irq_nib_and_pending)
{
	bool was = false;

	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 6, NIB_ADDR);
	advance(500);
	nqap16(ACC, 1);
	advance(1999);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	advance(1);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x80 >> 6);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 1);
	ck_assert_int_eq(s390ap_machine_irq_ack(m, 6, &was), 0);
	ck_assert(was);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	/* not pending: no error, was_pending false */
	ck_assert_int_eq(s390ap_machine_irq_ack(m, 6, &was), 0);
	ck_assert(!was);
	ck_assert_int_eq(s390ap_machine_irq_ack(m, 6, NULL), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 1);
	ck_assert_int_eq(s390ap_machine_irq_ack(m, 8, &was), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_irq_ack(NULL, 6, &was), S390AP_EINVAL);
}
END_TEST

START_TEST(test_irq_isc_bits)
{
	ram[NIB_ADDR] = 0;
	ram[NIB_ADDR + 1] = 0;
	aqic_on(ACC, 0, NIB_ADDR);
	aqic_on(S390AP_APQN(3, 7), 7, NIB_ADDR + 1);
	advance(500);
	nqap16(ACC, 1);
	nqap16(S390AP_APQN(3, 7), 2);
	advance(2000);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x81);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 0), 1);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 7), 1);
	ck_assert_int_eq(irq_ack_was(7), 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x80);
	ck_assert_int_eq(irq_ack_was(0), 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
}
END_TEST

START_TEST(test_irq_coalescing)
{
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 6, NIB_ADDR);
	aqic_on(S390AP_APQN(3, 7), 6, NIB_ADDR);
	advance(500);
	nqap16(ACC, 1);
	advance(10);
	nqap16(S390AP_APQN(3, 7), 2);
	advance(2000 - 10);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 1);
	ck_assert_int_eq(irq_ack_was(6), 1);
	/* second reply while the NIB is still non-zero: no new interruption */
	advance(10);
	ck_assert_uint_eq(qinfo(S390AP_APQN(3, 7)).replies, 1);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 1);

	/* the program clears the NIB: the next reply interrupts again */
	ram[NIB_ADDR] = 0;
	nqap16(ACC, 3);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x01);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x02);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 2);
}
END_TEST

START_TEST(test_irq_nib_nonzero_untouched)
{
	ram[NIB_ADDR] = 0x55;
	aqic_on(ACC, 6, NIB_ADDR);
	advance(500);
	nqap16(ACC, 1);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0x55);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 0);
}
END_TEST

START_TEST(test_irq_not_before_enabled)
{
	s390ap_adapter_opts ao;
	const uint16_t q = S390AP_APQN(0x10, 6);
	s390ap_queue_info qi;

	/* an adapter whose replies come before the I bit turns on */
	memset(&ao, 0, sizeof ao);
	ao.size = sizeof(ao);
	ao.latency = 100;
	ck_assert_int_eq(s390ap_adapter_add(m, 0x10, &ao), 0);
	ram[NIB_ADDR] = 0;
	aqic_on(q, 6, NIB_ADDR); /* I bit on at 500 */
	qi = qinfo(q);
	ck_assert(qi.irq_change_pending);
	ck_assert(!qi.irq_enabled);
	ck_assert_uint_eq(qi.isc, 6);
	ck_assert_x64(qi.nib, NIB_ADDR);
	nqap16(q, 1);
	advance(100);
	ck_assert_uint_eq(qinfo(q).replies, 1);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 0);
	/* the I bit turning on does not interrupt for an older reply */
	advance(400);
	ck_assert(qinfo(q).irq_enabled);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0);
}
END_TEST

START_TEST(test_irq_after_disable)
{
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 6, NIB_ADDR);
	advance(500);
	gr[1] = 0;
	gr[2] = 0;
	do_pqap(S390AP_FC_AQIC, ACC, 0);
	ck_assert_uint_eq(res.cc, 0);
	advance(500);
	ck_assert(!qinfo(ACC).irq_enabled);
	nqap16(ACC, 1);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 0);
	ck_assert_uint_eq(s390ap_machine_irq_count(m, 6), 0);
}
END_TEST

START_TEST(test_irq_storage_set_later)
{
	s390ap_machine *x = NULL;

	/* host storage attached after creation is where the NIB goes */
	ck_assert_int_eq(s390ap_machine_new_default(&x, NULL), 0);
	s390ap_machine_free(m);
	m = x;
	ck_assert_int_eq(s390ap_machine_set_storage(m, &st), 0);
	ram[NIB_ADDR] = 0;
	aqic_on(ACC, 3, NIB_ADDR);
	advance(500);
	nqap16(ACC, 1);
	advance(2000);
	ck_assert_uint_eq(ram[NIB_ADDR], 1);
	ck_assert_uint_eq(s390ap_machine_irq_pending(m), 0x10);
}
END_TEST

/* ================================================================== */
/* Fault injection                                                     */
/* ================================================================== */
START_TEST(test_fault_checkstop)
{
	nqap16(ACC, 1);
	advance(2000);
	nqap16(ACC, 2);
	aqic_on(ACC, 6, NIB_ADDR);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, true), 0);
	ck_assert(ainfo(3).checkstopped);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	tapq(ACC);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], E | RC(S390AP_RC_CHECKSTOPPED));
	ck_assert_x64(gr[2], 0x0E540307u);
	ck_assert_int_eq(s390ap_adapter_checkstop(m, 3, false), 0);
	ck_assert(!ainfo(3).checkstopped);
	advance(100000);
	tapq(ACC);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[1], E); /* IRQs off, queue empty */
}
END_TEST

START_TEST(test_fault_deconfigure)
{
	nqap16(CCA, 1);
	ck_assert_int_eq(s390ap_adapter_configure(m, 4, false), 0);
	ck_assert(!ainfo(4).configured);
	ck_assert_uint_eq(qinfo(CCA).requests, 0);
	tapq(CCA);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], E | RC(S390AP_RC_DECONFIGURED));
	ck_assert_x64(gr[2], 0x0E540307u);
	advance(30000);
	ck_assert_uint_eq(qinfo(CCA).replies, 0);
	ck_assert_int_eq(s390ap_adapter_configure(m, 4, true), 0);
	ck_assert(ainfo(4).configured);
	tapq(CCA);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[1], E);
}
END_TEST

START_TEST(test_fault_busy)
{
	nqap16(ACC, 0x42);
	advance(2000);
	ck_assert_int_eq(s390ap_queue_busy(m, ACC, 300), 0);
	tapq(ACC);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], R | RC(S390AP_RC_BUSY));
	put_msg50(MSG_ADDR, 16, 16, 0x50);
	nqap(ACC, 0x43, MSG_ADDR, 16);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_uint_eq(res.rc, S390AP_RC_BUSY);
	/* DQAP still works */
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[1], E);
	ck_assert_x64(dq_psmid(), 0x42);
	/* other queues unaffected */
	tapq(S390AP_APQN(3, 7));
	ck_assert_uint_eq(res.cc, 0);
	advance(299);
	tapq(ACC);
	ck_assert_uint_eq(res.rc, S390AP_RC_BUSY);
	advance(1);
	tapq(ACC);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[1], E);
}
END_TEST

START_TEST(test_fault_delay_reply)
{
	ck_assert_int_eq(s390ap_queue_delay_reply(m, ACC, 1000), 0);
	nqap16(ACC, 1);
	advance(2000);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	advance(999);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	advance(1);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	/* only the next reply is delayed */
	nqap16(ACC, 2);
	advance(2000);
	ck_assert_uint_eq(qinfo(ACC).replies, 2);
}
END_TEST

/* Reply times saturate one short of S390AP_NO_EVENT: a huge adapter
 * latency plus an injected delay does not wrap round to an early cycle,
 * and a reply due at the end of time is still a pending event. */
START_TEST(test_fault_delay_reply_saturates)
{
	s390ap_adapter_opts ao = { S390AP_SIZED(s390ap_adapter_opts), .type = S390AP_TYPE_CEX8,
				   .mode = S390AP_MODE_ACCEL, .latency = UINT64_MAX - 5 };
	const uint16_t slow = S390AP_APQN(0x21, 0x06);

	ck_assert_int_eq(s390ap_adapter_add(m, 0x21, &ao), 0);
	ck_assert_int_eq(s390ap_queue_delay_reply(m, slow, 100), 0);
	nqap16(slow, 1);
	ck_assert_uint_eq(s390ap_machine_next_event(m), S390AP_NO_EVENT - 1);
	advance(100000);
	ck_assert_uint_eq(qinfo(slow).replies, 0);
	ck_assert_uint_eq(qinfo(slow).requests, 1);

	/* near the end of the clock: the default latency saturates too */
	ck_assert_int_eq(s390ap_machine_run_until(m, UINT64_MAX - 1000), 0);
	nqap16(ACC, 2);
	ck_assert_uint_eq(s390ap_machine_next_event(m), S390AP_NO_EVENT - 1);
	ck_assert_int_eq(s390ap_machine_run_until(m, S390AP_NO_EVENT - 1), 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
	ck_assert_uint_eq(qinfo(slow).replies, 1);
	ck_assert_uint_eq(s390ap_machine_next_event(m), S390AP_NO_EVENT);
}
END_TEST

START_TEST(test_fault_lose_reply)
{
	ck_assert_int_eq(s390ap_queue_lose_reply(m, ACC), 0);
	nqap16(ACC, 1);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	tapq(ACC);
	ck_assert_x64(gr[1], 0);
	advance(1999);
	ck_assert_uint_eq(qinfo(ACC).requests, 1);
	advance(1);
	ck_assert_uint_eq(qinfo(ACC).requests, 0);
	ck_assert_uint_eq(qinfo(ACC).replies, 0);
	dqap(ACC, BUF_ADDR, 64);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], E | RC(S390AP_RC_NO_PENDING_REPLY));
	/* only the next request is lost */
	nqap16(ACC, 2);
	advance(2000);
	ck_assert_uint_eq(qinfo(ACC).replies, 1);
}
END_TEST

/* An SE guest on a machine with every facility and one adapter, a CEX8
 * EP11 at 5 with domain 6; AAPQ completes after assoc_cycles. */
static void use_se_ep11_machine(uint64_t assoc_cycles)
{
	s390ap_machine_opts o;

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.facilities_set = true;
	o.facilities = S390AP_FAC_ALL;
	o.assoc_cycles = assoc_cycles;
	use_machine(&o);
	add_adapter(5, S390AP_TYPE_CEX8, S390AP_MODE_EP11);
	ck_assert_int_eq(s390ap_domain_add(m, 6, true, true), 0);
	view.se_guest = true;
}

START_TEST(test_fault_fail_assoc)
{
	use_se_ep11_machine(100);
	do_pqap(S390AP_FC_RAPQ, EP11, S390AP_GR0_F); /* unbind: bs 2 */
	advance(2000);
	ck_assert_uint_eq(qinfo(EP11).bs, 2);
	do_pqap(S390AP_FC_BAPQ, EP11, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(qinfo(EP11).bs, 1);

	ck_assert_int_eq(s390ap_queue_fail_assoc(m, EP11, 0x36), 0);
	gr[2] = 0x10;
	do_pqap(S390AP_FC_AAPQ, EP11, 0);
	ck_assert_uint_eq(res.cc, 0);
	advance(100);
	ck_assert_uint_eq(qinfo(EP11).async_rc, S390AP_RC_ASSOC_FAILED);
	tapq(EP11);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], E | A | RC(S390AP_RC_ASSOC_FAILED));
}
END_TEST

START_TEST(test_fault_assoc_ok)
{
	use_se_ep11_machine(100);
	do_pqap(S390AP_FC_RAPQ, EP11, S390AP_GR0_F);
	advance(2000);
	do_pqap(S390AP_FC_BAPQ, EP11, 0);
	gr[2] = 0x10;
	do_pqap(S390AP_FC_AAPQ, EP11, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(s390ap_machine_next_event(m), 2100);
	advance(99);
	ck_assert_uint_eq(qinfo(EP11).bs, 1);
	advance(1);
	ck_assert_uint_eq(qinfo(EP11).bs, 0);
	ck_assert_uint_eq(qinfo(EP11).async_rc, 0);
}
END_TEST

static int fault_checkstop_no_adapter(void)
{
	return s390ap_adapter_checkstop(m, 0x10, true);
}

static int fault_configure_no_adapter(void)
{
	return s390ap_adapter_configure(m, 0x10, false);
}

static int fault_busy_no_queue(void)
{
	return s390ap_queue_busy(m, S390AP_APQN(0x10, 6), 10);
}

/* Domain 0 of adapter 3 is control-only: no queue. */
static int fault_delay_no_queue(void)
{
	return s390ap_queue_delay_reply(m, S390AP_APQN(3, 0), 10);
}

static int fault_lose_no_queue(void)
{
	return s390ap_queue_lose_reply(m, S390AP_APQN(0x10, 6));
}

/* Only 0x35 and 0x36 fail an association. */
static int fault_fail_assoc_bad_code(void)
{
	return s390ap_queue_fail_assoc(m, EP11, 0x20);
}

static int fault_checkstop_no_machine(void)
{
	return s390ap_adapter_checkstop(NULL, 3, true);
}

static int fault_busy_no_machine(void)
{
	return s390ap_queue_busy(NULL, ACC, 10);
}

static int (*const fault_refused[])(void) = {
	fault_checkstop_no_adapter, fault_configure_no_adapter, fault_busy_no_queue,
	fault_delay_no_queue,       fault_lose_no_queue,        fault_fail_assoc_bad_code,
	fault_checkstop_no_machine, fault_busy_no_machine,
};

START_TEST(test_fault_bad_args)
{
	ck_assert_int_lt(fault_refused[_i](), 0);
}
END_TEST

/* ================================================================== */
/* Message engine                                                      */
/* ================================================================== */
static void expect_reply(uint16_t apqn, uint8_t type, uint8_t code)
{
	uint8_t exp[8];

	ck_assert_uint_eq(res.cc, 0);
	advance(100000);
	memset(ram + BUF_ADDR, 0xCC, 64);
	dqap(apqn, BUF_ADDR, 64);
	ck_assert_uint_eq(res.cc, 0);
	/* an 8-byte error reply, never the request */
	ck_assert_x64(gr[DQ_R2 + 1], 64 - 8);
	ck_assert_uint_eq(ram[BUF_ADDR + 1], type);
	ck_assert_uint_eq(ram[BUF_ADDR + 4], code);
	ck_assert_int_eq(s390ap_error_reply(exp, sizeof exp, type, code), 0);
	ck_assert_mem_eq(ram + BUF_ADDR, exp, 8);
	ck_assert_uint_eq(ram[BUF_ADDR + 8], 0xCC);
	ck_assert_int_ne(memcmp(ram + BUF_ADDR, ram + MSG_ADDR, 8), 0);
}

/* The default engine is the crypto engine (docs/engines.md): put_msg50
 * fills the reserved byte 4, so a type 50 of the right length field is
 * refused with 0x24; cleared, the key block type 0 is unknown (0x29). */
START_TEST(test_engine_accel_type50)
{
	put_msg50(MSG_ADDR, 64, 64, 0x50);
	nqap(ACC, 1, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, S390AP_REPLY_RESERVED_FIELD);
	put_msg50(MSG_ADDR, 64, 64, 0x50);
	memset(ram + MSG_ADDR + 4, 0, 60);
	nqap(ACC, 2, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, S390AP_REPLY_FORMAT_FIELD);
}
END_TEST

START_TEST(test_engine_accel_length_mismatch)
{
	put_msg50(MSG_ADDR, 64, 60, 0x50);
	nqap(ACC, 1, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, 0x23);
}
END_TEST

START_TEST(test_engine_accel_wrong_type)
{
	put_msg50(MSG_ADDR, 64, 64, 0x06);
	nqap(ACC, 1, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, 0x20);
}
END_TEST

START_TEST(test_engine_coprocessor_wrong_type)
{
	put_msg50(MSG_ADDR, 64, 64, 0x50);
	nqap(CCA, 1, MSG_ADDR, 64);
	expect_reply(CCA, 0x82, 0x20);
	put_msg50(MSG_ADDR, 64, 64, 0x50);
	nqap(EP11, 2, MSG_ADDR, 64);
	expect_reply(EP11, 0x82, 0x20);
}
END_TEST

START_TEST(test_engine_explicit_default)
{
	s390ap_engine eng;

	ck_assert_int_eq(s390ap_default_engine(&eng), 0);
	ck_assert_int_eq(s390ap_default_engine(NULL), S390AP_EINVAL);
	ck_assert(eng.process != NULL);
	ck_assert(eng.destroy != NULL);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
	put_msg50(MSG_ADDR, 32, 32, 0x50);
	nqap(ACC, 1, MSG_ADDR, 32);
	expect_reply(ACC, 0x82, S390AP_REPLY_RESERVED_FIELD);
}
END_TEST

/* Setting the engine that is installed already keeps it alive: no
 * destroy of a context still in use (a use after free and a double free
 * at s390ap_machine_free before). */
START_TEST(test_engine_set_same_twice)
{
	s390ap_engine eng;

	ck_assert_int_eq(s390ap_default_engine(&eng), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
	put_msg50(MSG_ADDR, 32, 32, 0x50);
	nqap(ACC, 1, MSG_ADDR, 32);
	expect_reply(ACC, 0x82, S390AP_REPLY_RESERVED_FIELD);
}
END_TEST

/* The error-only engine keeps the old default behaviour: 0x30 for a
 * type 50 whose length field is right, 0x23 / 0x20 as before. */
START_TEST(test_engine_error_engine)
{
	s390ap_engine eng;

	ck_assert_int_eq(s390ap_error_engine(&eng), 0);
	ck_assert_int_eq(s390ap_error_engine(NULL), S390AP_EINVAL);
	ck_assert(eng.process != NULL);
	ck_assert(eng.destroy == NULL);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 4, &eng), 0);
	put_msg50(MSG_ADDR, 64, 64, 0x50);
	nqap(ACC, 1, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, 0x30);
	put_msg50(MSG_ADDR, 64, 60, 0x50);
	nqap(ACC, 2, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, 0x23);
	put_msg50(MSG_ADDR, 64, 64, 0x06);
	nqap(ACC, 3, MSG_ADDR, 64);
	expect_reply(ACC, 0x82, 0x20);
	put_msg50(MSG_ADDR, 64, 64, 0x06);
	nqap(CCA, 4, MSG_ADDR, 64);
	expect_reply(CCA, 0x82, 0x30);
	put_msg50(MSG_ADDR, 64, 64, 0x50);
	nqap(CCA, 5, MSG_ADDR, 64);
	expect_reply(CCA, 0x82, 0x20);
}
END_TEST

struct eng_state {
	unsigned calls;
	unsigned destroyed;
	int ret;
	s390ap_engine_request req;
	uint64_t latency_in;
	size_t cap;
};

static int eng_process(void *c, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	struct eng_state *es = c;

	es->calls++;
	es->req = *req;
	es->req.msg = NULL;
	es->latency_in = rep->latency;
	es->cap = rep->cap;
	if (es->ret < 0)
		return es->ret;
	rep->buf[0] = 0x5A;
	rep->len = 1;
	return 0;
}

static void eng_destroy(void *c)
{
	((struct eng_state *)c)->destroyed++;
}

/* Engine states outlive the tests: the machine calls destroy at teardown. */
static struct eng_state es_a, es_b;

START_TEST(test_engine_request_fields)
{
	struct eng_state *esp = &es_a;
	s390ap_engine eng = { .process = eng_process, .destroy = eng_destroy, .ctx = &es_a };

	memset(&es_a, 0, sizeof es_a);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 4, &eng), 0);
	put_msg50(MSG_ADDR, 40, 40, 0x06);
	nqap(S390AP_APQN(4, 0x47), 0x0000000700000009ull, MSG_ADDR, 40);
	ck_assert_uint_eq(res.cc, 0);
	advance(20000);
	ck_assert_uint_eq(esp->calls, 1);
	ck_assert_uint_eq(esp->req.apqn, S390AP_APQN(4, 0x47));
	ck_assert_uint_eq(esp->req.type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(esp->req.mode, S390AP_MODE_CCA);
	ck_assert_x64(esp->req.fac, 0x93800000u);
	ck_assert(!esp->req.special);
	ck_assert_x64(esp->req.psmid, 0x0000000700000009ull);
	ck_assert_uint_eq(esp->req.len, 40);
	ck_assert_uint_eq(esp->latency_in, 20000);
	ck_assert_uint_eq(esp->cap, 12288);
	dqap(S390AP_APQN(4, 0x47), BUF_ADDR, 64);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[DQ_R2 + 1], 63);
	ck_assert_uint_eq(ram[BUF_ADDR], 0x5A);
}
END_TEST

START_TEST(test_engine_failure_reply)
{
	struct eng_state *esp = &es_a;
	s390ap_engine eng = { .process = eng_process, .destroy = eng_destroy, .ctx = &es_a };

	memset(&es_a, 0, sizeof es_a);
	esp->ret = S390AP_EINVAL;
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &eng), 0);
	put_msg50(MSG_ADDR, 16, 16, 0x50);
	nqap(ACC, 1, MSG_ADDR, 16);
	expect_reply(ACC, 0x82, 0x10);
	ck_assert_uint_eq(esp->calls, 1);
}
END_TEST

START_TEST(test_engine_destroy)
{
	struct eng_state *a = &es_a, *b = &es_b;
	s390ap_engine ea = { .process = eng_process, .destroy = eng_destroy, .ctx = &es_a };
	s390ap_engine eb = { .process = eng_process, .destroy = eng_destroy, .ctx = &es_b };
	s390ap_engine def;

	ck_assert_int_eq(s390ap_default_engine(&def), 0);
	memset(&es_a, 0, sizeof es_a);
	memset(&es_b, 0, sizeof es_b);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &ea), 0);
	ck_assert_uint_eq(a->destroyed, 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 3, &def), 0);
	ck_assert_uint_eq(a->destroyed, 1);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 4, &eb), 0);
	s390ap_machine_free(m);
	m = NULL;
	ck_assert_uint_eq(a->destroyed, 1);
	ck_assert_uint_eq(b->destroyed, 1);
}
END_TEST

START_TEST(test_engine_destroy_on_remove)
{
	struct eng_state *a = &es_a;
	s390ap_engine ea = { .process = eng_process, .destroy = eng_destroy, .ctx = &es_a };

	memset(&es_a, 0, sizeof es_a);
	ck_assert_int_eq(s390ap_adapter_set_engine(m, 5, &ea), 0);
	ck_assert_int_eq(s390ap_adapter_remove(m, 5), 0);
	ck_assert_uint_eq(a->destroyed, 1);
}
END_TEST

START_TEST(test_engine_bad_args)
{
	s390ap_engine def, none;

	ck_assert_int_eq(s390ap_default_engine(&def), 0);
	none = def;
	none.process = NULL;
	ck_assert_int_lt(s390ap_adapter_set_engine(m, 0x10, &def), 0);
	ck_assert_int_lt(s390ap_adapter_set_engine(NULL, 3, &def), 0);
	ck_assert_int_lt(s390ap_adapter_set_engine(m, 3, &none), 0);
	ck_assert_int_lt(s390ap_adapter_set_engine(m, 3, NULL), 0);
	/* a refused engine stays the caller's */
	def.destroy(def.ctx);
}
END_TEST

START_TEST(test_error_reply_helper)
{
	uint8_t buf[16];

	memset(buf, 0xEE, sizeof buf);
	ck_assert_int_eq(s390ap_error_reply(buf, sizeof buf, S390AP_MSG_TYPE82,
					    S390AP_REPLY_INVALID_MSG_LEN),
			 0);
	ck_assert_uint_eq(buf[1], S390AP_MSG_TYPE82);
	ck_assert_uint_eq(buf[4], S390AP_REPLY_INVALID_MSG_LEN);
	ck_assert_uint_eq(buf[8], 0xEE);
	ck_assert_int_eq(s390ap_error_reply(buf, sizeof buf, S390AP_MSG_TYPE88, 0x90), 0);
	ck_assert_uint_eq(buf[1], S390AP_MSG_TYPE88);
	ck_assert_uint_eq(buf[4], 0x90);
	/* too small: an error, the buffer untouched */
	memset(buf, 0xEE, sizeof buf);
	ck_assert_int_eq(s390ap_error_reply(buf, 7, S390AP_MSG_TYPE82,
					    S390AP_REPLY_INVALID_MSG_LEN),
			 S390AP_ENOSPC);
	ck_assert_uint_eq(buf[1], 0xEE);
	ck_assert_int_eq(s390ap_error_reply(NULL, 8, S390AP_MSG_TYPE82,
					    S390AP_REPLY_INVALID_MSG_LEN),
			 S390AP_EINVAL);
	ck_assert_int_eq(S390AP_ERROR_REPLY_LEN, 8);
}
END_TEST

/* ================================================================== */
/* Errors, storage, names                                              */
/* ================================================================== */
START_TEST(test_strerror_texts)
{
	ck_assert_str_eq(s390ap_strerror(S390AP_EINVAL), "invalid argument");
	ck_assert_str_eq(s390ap_strerror(S390AP_ENOMEM), "out of memory");
	ck_assert_str_eq(s390ap_strerror(S390AP_ENOENT), "no such adapter, domain or queue");
	ck_assert_str_eq(s390ap_strerror(S390AP_EEXIST), "already exists");
	ck_assert_str_eq(s390ap_strerror(S390AP_ERANGE), "value out of range");
	ck_assert_str_eq(s390ap_strerror(S390AP_EFAULT), "storage address out of range");
	ck_assert_str_eq(s390ap_strerror(S390AP_EBUSY), "resource busy");
	ck_assert_str_eq(s390ap_strerror(S390AP_ENOTSUP), "not supported by this configuration");
	ck_assert_str_eq(s390ap_strerror(S390AP_ENOSPC), "no space left (table full)");
	ck_assert_str_eq(s390ap_strerror(-9999), "unknown error");
	ck_assert_str_eq(s390ap_strerror(22), "unknown error");
}
END_TEST

START_TEST(test_err_name)
{
	ck_assert_int_eq(S390AP_EINVAL, -22);
	ck_assert_int_eq(S390AP_EFAULT, -14);
	ck_assert_str_eq(s390ap_err_name(S390AP_EINVAL), "EINVAL");
	ck_assert_str_eq(s390ap_err_name(S390AP_ENOMEM), "ENOMEM");
	ck_assert_str_eq(s390ap_err_name(S390AP_ENOENT), "ENOENT");
	ck_assert_str_eq(s390ap_err_name(S390AP_EEXIST), "EEXIST");
	ck_assert_str_eq(s390ap_err_name(S390AP_ERANGE), "ERANGE");
	ck_assert_str_eq(s390ap_err_name(S390AP_EFAULT), "EFAULT");
	ck_assert_str_eq(s390ap_err_name(S390AP_EBUSY), "EBUSY");
	ck_assert_str_eq(s390ap_err_name(S390AP_ENOTSUP), "ENOTSUP");
	ck_assert_str_eq(s390ap_err_name(S390AP_ENOSPC), "ENOSPC");
	ck_assert_str_eq(s390ap_err_name(1), "UNKNOWN");
	ck_assert_str_eq(s390ap_err_name(-1000), "UNKNOWN");
}
END_TEST

START_TEST(test_mem_bounds)
{
	s390ap_mem *x = NULL;
	s390ap_storage xs;
	uint8_t buf[16], zero[16];

	ck_assert_int_eq(s390ap_mem_new(&x, 4096), 0);
	ck_assert_x64(s390ap_mem_size(x), 4096);
	ck_assert_int_eq(s390ap_mem_storage(x, &xs), 0);
	memset(zero, 0, sizeof zero);

	memset(buf, 0xFF, sizeof buf);
	ck_assert_int_eq(s390ap_storage_read(&xs, 4080, buf, 16), 0);
	ck_assert_mem_eq(buf, zero, 16);
	ck_assert_int_eq(s390ap_storage_read(&xs, 4081, buf, 16), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_storage_read(&xs, 4096, buf, 1), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_storage_read(&xs, UINT64_MAX, buf, 2), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_storage_read(&xs, UINT64_MAX - 4, buf, 16), S390AP_EFAULT);

	memset(buf, 0x5C, sizeof buf);
	ck_assert_int_eq(s390ap_storage_write(&xs, 0, buf, 16), 0);
	ck_assert_mem_eq(s390ap_mem_data(x), buf, 16);
	/* all or nothing */
	ck_assert_int_eq(s390ap_storage_write(&xs, 4090, buf, 16), S390AP_EFAULT);
	ck_assert_uint_eq(s390ap_mem_data(x)[4090], 0);
	ck_assert_uint_eq(s390ap_mem_data(x)[4095], 0);
	ck_assert_int_eq(s390ap_storage_write(&xs, 4095, buf, 1), 0);
	ck_assert_uint_eq(s390ap_mem_data(x)[4095], 0x5C);

	/* s390ap_mem_write: the same bounds, all or nothing */
	memset(buf, 0x3A, sizeof buf);
	ck_assert_int_eq(s390ap_mem_write(x, 16, buf, 16), 0);
	ck_assert_mem_eq(s390ap_mem_data(x) + 16, buf, 16);
	ck_assert_int_eq(s390ap_mem_write(x, 4081, buf, 16), S390AP_EFAULT);
	ck_assert_uint_eq(s390ap_mem_data(x)[4081], 0);
	ck_assert_int_eq(s390ap_mem_write(x, UINT64_MAX - 4, buf, 16), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_mem_write(x, 4096, buf, 0), 0);
	ck_assert_int_eq(s390ap_mem_write(NULL, 0, buf, 1), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_mem_write(x, 0, NULL, 1), S390AP_EINVAL);
	ck_assert_ptr_null(s390ap_mem_data(NULL));

	ck_assert_int_lt(s390ap_mem_new(NULL, 4096), 0);
	ck_assert_int_lt(s390ap_mem_storage(NULL, &xs), 0);
	ck_assert_int_lt(s390ap_mem_storage(x, NULL), 0);
	s390ap_mem_free(x);
}
END_TEST

START_TEST(test_mem_read_leaves_dst_on_failure)
{
	uint8_t buf[8];

	memset(buf, 0x77, sizeof buf);
	ck_assert_int_ne(st.read(st.ctx, MEM_SIZE - 4, buf, 8), 0);
	for (unsigned k = 0; k < 8; k++)
		ck_assert_uint_eq(buf[k], 0x77);
	ck_assert_int_eq(st.read(st.ctx, MEM_SIZE - 8, buf, 8), 0);
}
END_TEST

START_TEST(test_card_names)
{
	char buf[16];

	ck_assert_str_eq(s390ap_card_name(S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, buf, sizeof buf),
			 "CEX8A");
	ck_assert_str_eq(buf, "CEX8A");
	ck_assert_str_eq(s390ap_card_name(S390AP_TYPE_CEX8, S390AP_MODE_CCA, buf, sizeof buf),
			 "CEX8C");
	ck_assert_str_eq(s390ap_card_name(S390AP_TYPE_CEX7, S390AP_MODE_EP11, buf, sizeof buf),
			 "CEX7P");
	ck_assert_str_eq(s390ap_card_name(S390AP_TYPE_CEX4, S390AP_MODE_ACCEL, buf, sizeof buf),
			 "CEX4A");
	ck_assert_str_eq(s390ap_type_name(S390AP_TYPE_CEX4), "CEX4");
	ck_assert_str_eq(s390ap_type_name(S390AP_TYPE_CEX5), "CEX5");
	ck_assert_str_eq(s390ap_type_name(S390AP_TYPE_CEX6), "CEX6");
	ck_assert_str_eq(s390ap_type_name(S390AP_TYPE_CEX7), "CEX7");
	ck_assert_str_eq(s390ap_type_name(S390AP_TYPE_CEX8), "CEX8");
	ck_assert_str_eq(s390ap_type_name(0), "?");
	ck_assert_str_eq(s390ap_type_name(99), "?");
	ck_assert_ptr_nonnull(s390ap_mode_name(S390AP_MODE_ACCEL));
	ck_assert_ptr_nonnull(s390ap_mode_name(S390AP_MODE_CCA));
	ck_assert_ptr_nonnull(s390ap_mode_name(S390AP_MODE_EP11));
	ck_assert_str_ne(s390ap_mode_name(S390AP_MODE_ACCEL), s390ap_mode_name(S390AP_MODE_CCA));
}
END_TEST

START_TEST(test_facility_names)
{
	ck_assert_str_eq(s390ap_facility_name(S390AP_FAC_APXA), "APXA");
	ck_assert_str_eq(s390ap_facility_name(S390AP_FAC_APSC), "APSC");
	ck_assert_str_eq(s390ap_facility_name(S390AP_FAC_QACT), "QACT");
	ck_assert_str_eq(s390ap_facility_name(S390AP_FAC_RC8A), "RC8A");
	ck_assert_str_eq(s390ap_facility_name(S390AP_FAC_APSB), "APSB");
	for (unsigned b = 0; b < 10; b++)
		ck_assert_ptr_nonnull(s390ap_facility_name(1u << b));
	ck_assert_ptr_null(s390ap_facility_name(0));
	ck_assert_ptr_null(s390ap_facility_name(1u << 10));
	ck_assert_ptr_null(s390ap_facility_name(S390AP_FAC_AP | S390AP_FAC_QCI));
}
END_TEST

START_TEST(test_ml_bytes)
{
	ck_assert_uint_eq(s390ap_ml_bytes(0), 12288);
	ck_assert_uint_eq(s390ap_ml_bytes(1), 12288);
	ck_assert_uint_eq(s390ap_ml_bytes(2), 12288);
	ck_assert_uint_eq(s390ap_ml_bytes(3), 12288);
	ck_assert_uint_eq(s390ap_ml_bytes(4), 16384);
	ck_assert_uint_eq(s390ap_ml_bytes(8), 32768);
	ck_assert_uint_eq(s390ap_ml_bytes(15), 61440);
}
END_TEST

START_TEST(test_info_bad_args)
{
	s390ap_queue_info qi;
	s390ap_adapter_info ai;

	ck_assert_int_lt(s390ap_queue_info_get(NULL, ACC, &qi), 0);
	ck_assert_int_lt(s390ap_queue_info_get(m, ACC, NULL), 0);
	ck_assert_int_lt(s390ap_adapter_info_get(NULL, 3, &ai), 0);
	ck_assert_int_lt(s390ap_adapter_info_get(m, 3, NULL), 0);
	ck_assert_int_lt(s390ap_adapter_info_get(m, 256, &ai), 0);
}
END_TEST

/* ================================================================== */
/* Message buffers (internal state: ap/ap_internal.h)                   */
/* ================================================================== */
/* A queue holds an assembly buffer only while a message arrives in more
 * than one part or chunk, sized to the bytes so far; a reply is allocated
 * to its own length. */
static struct ap_queue *q_of(uint16_t apqn)
{
	struct ap_queue *q = ap_queue_get(m, apqn);

	ck_assert_ptr_nonnull(q);
	return q;
}

/* The machine-wide memory cap (s390ap_machine_set_mem_limit): it counts
 * assembly buffers and reply messages (header + buffer; a reply in the
 * adapter's full-size buffer counts the maximum), an NQAP that could pass it
 * ends cc 3 with RC 0x10 and changes nothing, DQAP and reset give the bytes
 * back, and 0 means no cap. */
START_TEST(test_buf_mem_limit)
{
	const uint64_t H = sizeof(struct ap_msg), M = ap_adapter_get(m, 3)->max_msg;
	const uint64_t RLEN = S390AP_ERROR_REPLY_LEN; /* the engine's answer to nqap16 */
	uint64_t regs[16], used;

	ck_assert_uint_eq(M, 12288);
	ck_assert_uint_eq(s390ap_machine_mem_limit(m), 0);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 0);
	nqap16(ACC, 1); /* the adapter's full-size buffer */
	ck_assert_uint_eq(s390ap_machine_mem_used(m), H + M);
	nqap16(ACC, 2); /* a buffer shrunk to the reply */
	used = 2 * H + M + RLEN;
	ck_assert_uint_eq(s390ap_machine_mem_used(m), used);

	/* a request needs room for a reply of the maximum size */
	ck_assert_int_eq(s390ap_machine_set_mem_limit(m, used + H + M - 1), 0);
	ck_assert_uint_eq(s390ap_machine_mem_limit(m), used + H + M - 1);
	put_msg50(MSG_ADDR, 16, 16, 0x50);
	gr[1] = 0x5A5A;
	gr[0] = ACC | S390AP_NQAP_L;
	gr[NQ_R1] = 0;
	gr[NQ_R1 + 1] = 3;
	gr[NQ_R2] = MSG_ADDR;
	gr[NQ_R2 + 1] = 16;
	memcpy(regs, gr, sizeof regs);
	ck_assert_int_eq(s390ap_nqap(m, &ctx, NQ_R1, NQ_R2, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_uint_eq(res.rc, S390AP_RC_Q_FULL);
	ck_assert_x64(gr[1], RC(S390AP_RC_Q_FULL));
	regs[1] = gr[1];
	ck_assert_mem_eq(gr, regs, sizeof regs);
	ck_assert_uint_eq(qinfo(ACC).requests, 2);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), used);
	ck_assert_int_eq(s390ap_machine_set_mem_limit(m, used + H + M), 0);
	nqap16(ACC, 3);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), used + H + RLEN);

	/* DQAP gives the bytes back */
	advance(100000);
	for (unsigned i = 0; i < 3; i++) {
		dqap(ACC, BUF_ADDR, 4096);
		ck_assert_uint_eq(res.cc, 0);
	}
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 0);

	/* a part that would grow the assembly buffer past the cap */
	ck_assert_int_eq(s390ap_machine_set_mem_limit(m, 100), 0);
	put_msg50(MSG_ADDR, 256, 144, 0x50);
	nq_part(ACC, 7, MSG_ADDR, 64, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 64);
	nq_part(ACC, 7, MSG_ADDR + 64, 64, false);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_x64(gr[1], RC(S390AP_RC_Q_FULL));
	ck_assert_x64(gr[NQ_R2], MSG_ADDR + 64);
	ck_assert_uint_eq(q_of(ACC)->asm_len, 64);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 64);
	/* no cap: the message goes on where it stopped */
	ck_assert_int_eq(s390ap_machine_set_mem_limit(m, 0), 0);
	nq_part(ACC, 7, MSG_ADDR + 64, 64, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 128);
	nq_part(ACC, 7, MSG_ADDR + 128, 16, true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), H + M);
	/* a reset drops it, and the bytes */
	do_pqap(S390AP_FC_RAPQ, ACC, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 0);
	/* a partial message goes with its queue's adapter */
	nq_part(ACC, 8, MSG_ADDR, 64, false);
	advance(S390AP_DEFAULT_RESET_CYCLES);
	nq_part(ACC, 8, MSG_ADDR, 64, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 64);
	ck_assert_int_eq(s390ap_adapter_remove(m, 3), 0);
	ck_assert_uint_eq(s390ap_machine_mem_used(m), 0);

	ck_assert_int_eq(s390ap_machine_set_mem_limit(NULL, 1), S390AP_EINVAL);
	ck_assert_uint_eq(s390ap_machine_mem_used(NULL), 0);
	ck_assert_uint_eq(s390ap_machine_mem_limit(NULL), 0);
}
END_TEST

START_TEST(test_buf_single_part_keeps_none)
{
	nqap16(ACC, 1);
	ck_assert_ptr_null(q_of(ACC)->asm_buf);
	ck_assert_uint_eq(q_of(ACC)->inproc.n, 1);
	/* the 8-byte error reply of the crypto engine to this made-up type
	 * 50 block */
	ck_assert_uint_eq(q_of(ACC)->inproc.head->len, 8);
	advance(100000);
	dqap(ACC, BUF_ADDR, 4096);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_ptr_null(q_of(ACC)->asm_buf);
	ck_assert_ptr_null(ap_queue_reply(q_of(ACC)));
}
END_TEST

/* The adapter's one full-capacity reply buffer circulates: the first reply
 * takes it, a second one in flight meanwhile gets its own allocation, and
 * the buffer comes back when its reply is dequeued or the queue reset. */
START_TEST(test_buf_spare_reply_circulates)
{
	struct ap_adapter *a = q_of(ACC)->ad;
	struct ap_msg *spare = a->spare;

	ck_assert_ptr_nonnull(spare);
	nqap16(ACC, 1);
	ck_assert_ptr_null(a->spare);
	ck_assert_ptr_eq(q_of(ACC)->inproc.head, spare);
	ck_assert(q_of(ACC)->inproc.head->full);
	nqap16(ACC, 2);
	ck_assert(!q_of(ACC)->inproc.tail->full);
	advance(100000);
	dqap(ACC, BUF_ADDR, 4096);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_ptr_eq(a->spare, spare);
	dqap(ACC, BUF_ADDR, 4096);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_ptr_eq(a->spare, spare);

	/* a reset drops the reply holding it: back to the adapter */
	nqap16(ACC, 3);
	ck_assert_ptr_null(a->spare);
	do_pqap(S390AP_FC_RAPQ, ACC, 0);
	ck_assert_ptr_eq(a->spare, spare);
	advance(S390AP_DEFAULT_RESET_CYCLES);

	/* a lost reply too */
	ck_assert_int_eq(s390ap_queue_lose_reply(m, ACC), 0);
	nqap16(ACC, 4);
	ck_assert_ptr_null(a->spare);
	advance(100000);
	ck_assert_ptr_eq(a->spare, spare);

	/* and the queue's destruction (memcheck sees no leak either way) */
	nqap16(ACC, 5);
	ck_assert_int_eq(s390ap_domain_remove(m, 6), 0);
	ck_assert_ptr_eq(a->spare, spare);
}
END_TEST

START_TEST(test_buf_grows_with_parts)
{
	struct ap_queue *q = q_of(ACC);

	put_msg50(MSG_ADDR, 400, 400, 0x50);
	nq_part(ACC, 7, MSG_ADDR, 32, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_ptr_nonnull(q->asm_buf);
	ck_assert_uint_eq(q->asm_len, 32);
	ck_assert_uint_eq(q->asm_cap, 32);
	nq_part(ACC, 7, MSG_ADDR + 32, 100, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_eq(q->asm_len, 132);
	ck_assert_uint_eq(q->asm_cap, 132);
	ck_assert_mem_eq(q->asm_buf, ram + MSG_ADDR, 132);
	nq_part(ACC, 7, MSG_ADDR + 132, 268, true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_ptr_null(q->asm_buf);
	ck_assert_uint_eq(q->asm_len, 0);
	ck_assert_uint_eq(q->inproc.n, 1);
}
END_TEST

START_TEST(test_buf_chunks)
{
	struct ap_queue *q = q_of(ACC);

	/* 10000 bytes, 4096 per execution */
	put_msg50(MSG_ADDR, 10000, 10000, 0x50);
	nq_part(ACC, 7, MSG_ADDR, 10000, true);
	ck_assert_uint_eq(res.cc, 2);
	ck_assert_uint_eq(q->asm_cap, 4096);
	nq_part(ACC, 7, gr[NQ_R2], gr[NQ_R2 + 1], true);
	ck_assert_uint_eq(res.cc, 2);
	ck_assert_uint_eq(q->asm_cap, 8192);
	nq_part(ACC, 7, gr[NQ_R2], gr[NQ_R2 + 1], true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_ptr_null(q->asm_buf);
}
END_TEST

START_TEST(test_buf_freed_by_reset_and_refusals)
{
	struct ap_queue *q = q_of(ACC);

	put_msg50(MSG_ADDR, 400, 400, 0x50);
	nq_part(ACC, 7, MSG_ADDR, 32, false);
	ck_assert_ptr_nonnull(q->asm_buf);
	do_pqap(S390AP_FC_RAPQ, ACC, 0);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_ptr_null(q->asm_buf);
	advance(S390AP_DEFAULT_RESET_CYCLES);

	/* a part that makes the message too big discards it: RC 0x15 */
	nq_part(ACC, 8, MSG_ADDR, 32, false);
	ck_assert_ptr_nonnull(q->asm_buf);
	nq_part(ACC, 8, MSG_ADDR, 12288, false);
	ck_assert_uint_eq(res.cc, 3);
	ck_assert_uint_eq(S390AP_SW_RC(gr[1]), 0x15);
	ck_assert_ptr_null(q->asm_buf);

	/* another PSMID abandons the partial message: a buffer of its own size */
	nq_part(ACC, 9, MSG_ADDR, 32, false);
	nq_part(ACC, 10, MSG_ADDR, 48, false);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_eq(q->asm_psmid, 10);
	ck_assert_uint_eq(q->asm_cap, 48);

	/* a continuation outside storage is nullified: the partial stays */
	nq_part(ACC, 10, MEM_SIZE + 0x1000, 48, false);
	ck_assert_uint_eq(res.pgm, S390AP_PGM_ADDRESSING);
	ck_assert_uint_eq(q->asm_len, 48);
	ck_assert_mem_eq(q->asm_buf, ram + MSG_ADDR, 48);

	/* the queue goes away with a partial message: no leak (memcheck) */
}
END_TEST

/* ================================================================== */
static Suite *ap_suite(void)
{
	Suite *s = suite_create("ap");
	TCase *tc;

	tc = fixture_tcase(s, "machine", setup);
	tcase_add_test(tc, test_machine_new_null_opts);
	tcase_add_test(tc, test_machine_new_without_apxa);
	tcase_add_test(tc, test_machine_na_nd);
	tcase_add_loop_test(tc, test_machine_invalid_opts, 0, (int)ARRAY_SIZE(machine_refused));
	tcase_add_test(tc, test_machine_new_no_result);
	tcase_add_test(tc, test_machine_default_contents);
	tcase_add_test(tc, test_machine_free_null);
	tcase_add_test(tc, test_machines_independent);
	tcase_add_test(tc, test_version_string);

	tc = fixture_tcase(s, "adapters", setup);
	tcase_add_test(tc, test_adapter_add_remove);
	tcase_add_loop_test(tc, test_adapter_add_errors, 0, (int)ARRAY_SIZE(adapter_add_refused));
	tcase_add_test(tc, test_adapter_add_existing);
	tcase_add_test(tc, test_adapter_add_without_apxa);
	tcase_add_test(tc, test_adapter_info_defaults);
	tcase_add_test(tc, test_adapter_fac_without_apsc);
	tcase_add_test(tc, test_adapter_fac_explicit);
	tcase_add_test(tc, test_adapter_opts_defaults);
	tcase_add_test(tc, test_adapter_domains_limit_queues);
	tcase_add_test(tc, test_adapter_remove_destroys_queues);
	tcase_add_test(tc, test_adapter_requests_counter);
	tcase_add_test(tc, test_info_bad_args);

	tc = fixture_tcase(s, "domains", setup);
	tcase_add_test(tc, test_domain_add_remove);
	tcase_add_test(tc, test_domain_remove_destroys_queues);
	tcase_add_test(tc, test_domain_new_queue_is_reset);
	tcase_add_test(tc, test_domain_errors);
	tcase_add_test(tc, test_domain_before_adapter);

	tc = fixture_tcase(s, "qci", setup);
	tcase_add_test(tc, test_qci_default_image);
	tcase_add_test(tc, test_qci_without_apxa_image);
	tcase_add_test(tc, test_qci_all_facilities_image);
	tcase_add_test(tc, test_qci_tracks_changes);
	tcase_add_test(tc, test_masks_match_qci);

	tc = fixture_tcase(s, "clock", setup);
	tcase_add_test(tc, test_clock_initial);
	tcase_add_test(tc, test_clock_advance_run_until);
	tcase_add_test(tc, test_clock_reset_event);
	tcase_add_test(tc, test_clock_ordering);
	tcase_add_test(tc, test_clock_one_advance_fires_all);
	tcase_add_test(tc, test_clock_same_cycle_insertion_order);
	tcase_add_test(tc, test_clock_knobs);
	tcase_add_test(tc, test_clock_ties_across_kinds);
	tcase_add_test(tc, test_clock_many_events);
	tcase_add_test(tc, test_clock_rank_renumber);
	tcase_add_test(tc, test_clock_aqic_change_saturates);
	tcase_add_test(tc, test_clock_aqic_changes_in_order);
	tcase_add_test(tc, test_clock_aqic_toggles_bounded);
	tcase_add_test(tc, test_clock_stale_events_dropped);
	tcase_add_test(tc, test_clock_aqic_rank_renumber);

	tc = fixture_tcase(s, "irq", setup);
	tcase_add_test(tc, test_irq_nib_and_pending);
	tcase_add_test(tc, test_irq_isc_bits);
	tcase_add_test(tc, test_irq_coalescing);
	tcase_add_test(tc, test_irq_nib_nonzero_untouched);
	tcase_add_test(tc, test_irq_not_before_enabled);
	tcase_add_test(tc, test_irq_after_disable);
	tcase_add_test(tc, test_irq_storage_set_later);

	tc = fixture_tcase(s, "faults", setup);
	tcase_add_test(tc, test_fault_checkstop);
	tcase_add_test(tc, test_fault_deconfigure);
	tcase_add_test(tc, test_fault_busy);
	tcase_add_test(tc, test_fault_delay_reply);
	tcase_add_test(tc, test_fault_delay_reply_saturates);
	tcase_add_test(tc, test_fault_lose_reply);
	tcase_add_test(tc, test_fault_fail_assoc);
	tcase_add_test(tc, test_fault_assoc_ok);
	tcase_add_loop_test(tc, test_fault_bad_args, 0, (int)ARRAY_SIZE(fault_refused));

	tc = fixture_tcase(s, "engine", setup);
	tcase_add_test(tc, test_engine_accel_type50);
	tcase_add_test(tc, test_engine_accel_length_mismatch);
	tcase_add_test(tc, test_engine_accel_wrong_type);
	tcase_add_test(tc, test_engine_coprocessor_wrong_type);
	tcase_add_test(tc, test_engine_explicit_default);
	tcase_add_test(tc, test_engine_set_same_twice);
	tcase_add_test(tc, test_engine_error_engine);
	tcase_add_test(tc, test_engine_request_fields);
	tcase_add_test(tc, test_engine_failure_reply);
	tcase_add_test(tc, test_engine_destroy);
	tcase_add_test(tc, test_engine_destroy_on_remove);
	tcase_add_test(tc, test_engine_bad_args);
	tcase_add_test(tc, test_error_reply_helper);

	tc = fixture_tcase(s, "buffers", setup);
	tcase_add_test(tc, test_buf_mem_limit);
	tcase_add_test(tc, test_buf_single_part_keeps_none);
	tcase_add_test(tc, test_buf_spare_reply_circulates);
	tcase_add_test(tc, test_buf_grows_with_parts);
	tcase_add_test(tc, test_buf_chunks);
	tcase_add_test(tc, test_buf_freed_by_reset_and_refusals);

	tc = fixture_tcase(s, "util", setup);
	tcase_add_test(tc, test_strerror_texts);
	tcase_add_test(tc, test_err_name);
	tcase_add_test(tc, test_mem_bounds);
	tcase_add_test(tc, test_mem_read_leaves_dst_on_failure);
	tcase_add_test(tc, test_card_names);
	tcase_add_test(tc, test_facility_names);
	tcase_add_test(tc, test_ml_bytes);

	return s;
}

int main(void)
{
	return run_suite(ap_suite());
}
