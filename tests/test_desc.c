/* SPDX-License-Identifier: MIT */
/* Machine descriptions (desc.h, docs/machine-files.md): the default and
 * the empty machine, every statement and property with its architected
 * result (QCI block, TAPQ-visible adapter and queue state, the timing
 * knobs through PQAP and NQAP), every error with its line, column and
 * message, the statement-at-a-time API, files and untrusted bytes. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aptest.h"
#include "s390ap/desc.h"

#define DEFAULT_FACS (S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_RC8A | S390AP_FAC_APSB))
#define EXAMPLES S390AP_SOURCE_DIR "/examples/machines/"

/* The machine text describes, asserting success. */
static s390ap_machine *build(const char *text)
{
	s390ap_desc_error err = { 0 };
	s390ap_machine *mm = NULL;
	int rc = s390ap_machine_from_desc(text, strlen(text), NULL, &mm, &err);

	ck_assert_msg(rc == 0, "'%s': %d at %u:%u: %s", text, rc, err.line, err.column, err.msg);
	ck_assert_ptr_nonnull(mm);
	return mm;
}

static bool bit(const uint8_t *mask, unsigned id)
{
	return mask[id / 8] & (0x80u >> (id % 8));
}

/* Two machines look the same to a program: QCI block, every adapter,
 * every queue. */
static void assert_same(const s390ap_machine *a, const s390ap_machine *b)
{
	uint8_t qa[128], qb[128];

	ck_assert_int_eq(s390ap_machine_qci(a, qa), 0);
	ck_assert_int_eq(s390ap_machine_qci(b, qb), 0);
	ck_assert_mem_eq(qa, qb, sizeof(qa));
	ck_assert_x64(s390ap_machine_facilities(a), s390ap_machine_facilities(b));
	for (unsigned apid = 0; apid < 256; apid++) {
		s390ap_adapter_info ia, ib;

		memset(&ia, 0, sizeof(ia));
		memset(&ib, 0, sizeof(ib));
		ck_assert_int_eq(s390ap_adapter_info_get(a, apid, &ia),
				 s390ap_adapter_info_get(b, apid, &ib));
		ck_assert_int_eq(ia.present, ib.present);
		ck_assert_uint_eq(ia.type, ib.type);
		ck_assert_int_eq(ia.mode, ib.mode);
		ck_assert_x64(ia.fac, ib.fac);
		ck_assert_uint_eq(ia.domains, ib.domains);
		ck_assert_uint_eq(ia.ml, ib.ml);
		ck_assert_uint_eq(ia.depth, ib.depth);
		ck_assert_x64(ia.latency, ib.latency);
		for (unsigned apqi = 0; ia.present && apqi < 256; apqi++) {
			s390ap_queue_info xa, xb;

			memset(&xa, 0, sizeof(xa));
			memset(&xb, 0, sizeof(xb));
			s390ap_queue_info_get(a, S390AP_APQN(apid, apqi), &xa);
			s390ap_queue_info_get(b, S390AP_APQN(apid, apqi), &xb);
			ck_assert_int_eq(xa.exists, xb.exists);
			ck_assert_uint_eq(xa.capacity, xb.capacity);
		}
	}
}

static void assert_default(const s390ap_machine *mm)
{
	s390ap_machine *def;

	ck_assert_int_eq(s390ap_machine_new_default(&def, NULL), 0);
	assert_same(mm, def);
	s390ap_machine_free(def);
}

static s390ap_adapter_info adapter(const s390ap_machine *mm, unsigned apid)
{
	s390ap_adapter_info ai;

	memset(&ai, 0, sizeof(ai));
	ck_assert_int_eq(s390ap_adapter_info_get(mm, apid, &ai), 0);
	return ai;
}

static bool present(const s390ap_machine *mm, unsigned apid)
{
	s390ap_adapter_info ai;

	memset(&ai, 0, sizeof(ai));
	return s390ap_adapter_info_get(mm, apid, &ai) == 0 && ai.present;
}

static bool queue_exists(const s390ap_machine *mm, unsigned apid, unsigned apqi)
{
	s390ap_queue_info qi;

	memset(&qi, 0, sizeof(qi));
	return s390ap_queue_info_get(mm, S390AP_APQN(apid, apqi), &qi) == 0 && qi.exists;
}

/* ---- default and empty ---- */

START_TEST(test_desc_default)
{
	static const char *const texts[] = {
		"",
		"\n\n",
		"# only a comment\n   \t \r\n# another # with # hashes\n",
		"machine default\n",
		"machine default   # the implicit start, said\n",
	};

	for (size_t k = 0; k < ARRAY_SIZE(texts); k++) {
		s390ap_machine *mm = build(texts[k]);

		assert_default(mm);
		s390ap_machine_free(mm);
	}
}
END_TEST

/* Defaults spelt out build the same machine as nothing said. */
START_TEST(test_desc_default_spelt_out)
{
	s390ap_machine *mm =
		build("machine empty\nfacilities default\nreset-cycles 2000\nirq-cycles 500\n"
		      "assoc-cycles 5000\ncpu-determined 4096\nna 255\nnd 255\n"
		      "adapter 3 type CEX8 mode accel domains 85 depth 8\n"
		      "adapter 4 type CEX8 mode cca\nadapter 5 type CEX7 mode ep11\n"
		      "domain 6\ndomain 7 usage control\ndomain 0x47 control usage\n"
		      "domain 0 control\n");

	assert_default(mm);
	s390ap_machine_free(mm);
}
END_TEST

START_TEST(test_desc_empty)
{
	s390ap_machine *mm = build("machine empty");
	uint8_t q[128], zero[96];

	ck_assert_int_eq(s390ap_machine_qci(mm, q), 0);
	memset(zero, 0, sizeof(zero));
	ck_assert_uint_eq(q[0], 0xE0); /* S N C: the default facilities */
	ck_assert_uint_eq(q[1], 0x00);
	ck_assert_uint_eq(q[4], 0xFF);
	ck_assert_uint_eq(q[5], 0xFF);
	ck_assert_mem_eq(q + 16, zero, 96); /* no APM, AQM, ADM bit */
	ck_assert_x64(s390ap_machine_facilities(mm), DEFAULT_FACS);
	ck_assert(!present(mm, 3));
	s390ap_machine_free(mm);
}
END_TEST

/* ---- facilities, na, nd ---- */

static const struct {
	const char *text;
	uint32_t facs;
} facility_rows[] = {
	{ "facilities none", 0 },
	{ "facilities all", S390AP_FAC_ALL },
	{ "facilities default", DEFAULT_FACS },
	{ "facilities +APSB", DEFAULT_FACS | S390AP_FAC_APSB },
	{ "facilities default +APSB -QACT", (DEFAULT_FACS | S390AP_FAC_APSB) & ~S390AP_FAC_QACT },
	{ "facilities none AP +QCI APXA", S390AP_FAC_AP | S390AP_FAC_QCI | S390AP_FAC_APXA },
	{ "facilities all -RC8A\nfacilities -APSB",
	  S390AP_FAC_ALL & ~(uint32_t)(S390AP_FAC_RC8A | S390AP_FAC_APSB) },
	{ "facilities +APSB none +AP", S390AP_FAC_AP },
	{ "facilities -AP +AP -APFT", DEFAULT_FACS & ~S390AP_FAC_APFT },
	{ "facilities none +MSAX3 +AQIC +APSC +RC8A",
	  S390AP_FAC_MSAX3 | S390AP_FAC_AQIC | S390AP_FAC_APSC | S390AP_FAC_RC8A },
};

START_TEST(test_desc_facilities)
{
	char text[200];
	s390ap_machine *mm;
	uint8_t q[128];
	uint32_t f = facility_rows[_i].facs;

	snprintf(text, sizeof(text), "machine empty\n%s\n", facility_rows[_i].text);
	mm = build(text);
	ck_assert_x64(s390ap_machine_facilities(mm), f);
	ck_assert_int_eq(s390ap_machine_qci(mm, q), 0);
	/* byte 0: S (APSC), N (APXA), C (QACT), R (RC8A); byte 1: B (APSB) */
	ck_assert_uint_eq(q[0], (f & S390AP_FAC_APSC ? 0x80 : 0) |
					(f & S390AP_FAC_APXA ? 0x40 : 0) |
					(f & S390AP_FAC_QACT ? 0x20 : 0) |
					(f & S390AP_FAC_RC8A ? 0x10 : 0));
	ck_assert_uint_eq(q[1], f & S390AP_FAC_APSB ? 0x80 : 0);
	s390ap_machine_free(mm);
}
END_TEST

START_TEST(test_desc_na_nd)
{
	s390ap_machine *mm = build("machine empty\nna 0x7f\nnd 0X3F\nadapter 0x7f\ndomain 63\n");
	uint8_t q[128];

	ck_assert_int_eq(s390ap_machine_qci(mm, q), 0);
	ck_assert_uint_eq(q[4], 0x7f);
	ck_assert_uint_eq(q[5], 0x3f);
	ck_assert_uint_eq(s390ap_machine_max_apid(mm), 127);
	ck_assert_uint_eq(s390ap_machine_max_apqi(mm), 63);
	ck_assert(bit(q + 16, 0x7f));
	ck_assert(bit(q + 48, 63));
	ck_assert(bit(q + 80, 63));
	s390ap_machine_free(mm);

	/* decimal and hex are the same numbers */
	mm = build("machine empty\nna 127\nnd 63\nadapter 127\ndomain 0x3f\n");
	ck_assert_uint_eq(s390ap_machine_max_apid(mm), 127);
	ck_assert_uint_eq(s390ap_machine_max_apqi(mm), 63);
	s390ap_machine_free(mm);
}
END_TEST

/* ---- timing knobs, seen by the instructions ---- */

static void fixture(void)
{
	fixture_setup(1u << 20);
}

/* Replace the fixture's machine by the one text describes, on its storage. */
static void use_desc(const char *text)
{
	s390ap_desc_error err;
	s390ap_machine *mm = NULL;
	int rc = s390ap_machine_from_desc(text, strlen(text), &st, &mm, &err);

	ck_assert_msg(rc == 0, "%d %u:%u %s", rc, err.line, err.column, err.msg);
	s390ap_machine_free(m);
	m = mm;
	s390ap_view_lpar(m, &view);
}

static void pqap(unsigned fc, uint16_t apqn)
{
	gr[0] = gr0_fc(fc, apqn);
	ck_assert_int_eq(s390ap_pqap(m, &ctx, &res), 0);
	ck_assert_uint_eq(res.pgm, 0);
	ck_assert_uint_eq(res.cc, 0);
}

START_TEST(test_desc_reset_irq_cycles)
{
	use_desc("reset-cycles 10\nirq-cycles 3\n");
	pqap(S390AP_FC_RAPQ, ACC);
	ck_assert_x64(s390ap_machine_next_event(m), 10);
	advance(10);
	ck_assert(!qinfo(ACC).reset_pending);
	gr[1] = S390AP_AQIC_IR | 2;
	gr[2] = 0x1000;
	pqap(S390AP_FC_AQIC, ACC);
	ck_assert_x64(s390ap_machine_next_event(m), 13);
	advance(2);
	ck_assert(qinfo(ACC).irq_change_pending);
	advance(1);
	ck_assert(qinfo(ACC).irq_enabled);
}
END_TEST

START_TEST(test_desc_default_timing)
{
	use_desc("machine empty\nadapter 3\ndomain 6\n");
	pqap(S390AP_FC_RAPQ, ACC);
	ck_assert_x64(s390ap_machine_next_event(m), S390AP_DEFAULT_RESET_CYCLES);
}
END_TEST

START_TEST(test_desc_cpu_determined)
{
	use_desc("cpu-determined 0x100\n");
	nq_part(ACC, 1, 0x2000, 0x200, true);
	ck_assert_uint_eq(res.cc, 2); /* stopped after 256 bytes */
	ck_assert_x64(gr[NQ_R2 + 1], 0x100);

	use_desc("cpu-determined unlimited\n");
	nq_part(ACC, 2, 0x2000, 0x2000, true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_x64(gr[NQ_R2 + 1], 0);
}
END_TEST

/* assoc-cycles has no effect outside a secure-execution guest; the
 * description keeps it (the machine's saved state has it) */
START_TEST(test_desc_assoc_cycles)
{
	s390ap_machine *a = build("machine empty\nassoc-cycles 1\n");
	s390ap_machine *b = build("machine empty\nassoc-cycles 0x3fffffffffffffff\n");

	assert_same(a, b);
	s390ap_machine_free(a);
	s390ap_machine_free(b);
}
END_TEST

/* ---- adapter, domain ---- */

START_TEST(test_desc_adapters)
{
	s390ap_machine *mm =
		build("machine empty\n"
		      "adapter 0x10 type CEX5 mode cca depth 2 ml 8 domains 16 latency 777\n"
		      "adapter 0x11 type 14 mode ep11 fac 0x04000000\n"
		      "adapter 0x12\n"
		      "adapter 255 latency 0x3fffffffffffffff ml 1 depth 16 domains 256\n"
		      "domain 0 control\n"
		      "domain 0x0f\n"
		      "domain 0x1f usage\n"
		      "domain 0xff control usage\n");
	s390ap_adapter_info a;
	uint8_t q[128];

	a = adapter(mm, 0x10);
	ck_assert(a.present);
	ck_assert_uint_eq(a.type, S390AP_TYPE_CEX5);
	ck_assert_int_eq(a.mode, S390AP_MODE_CCA);
	ck_assert_uint_eq(a.depth, 2);
	ck_assert_uint_eq(a.ml, 8);
	ck_assert_uint_eq(a.domains, 16);
	ck_assert_x64(a.latency, 777);
	ck_assert(a.fac & S390AP_TAPQ_FAC_CCA);
	a = adapter(mm, 0x11);
	ck_assert_uint_eq(a.type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(a.mode, S390AP_MODE_EP11);
	ck_assert_x64(a.fac, S390AP_TAPQ_FAC_EP11); /* as given; only the mode bit */
	a = adapter(mm, 0x12); /* the defaults: CEX8 accelerator, 85 domains, depth 8 */
	ck_assert_uint_eq(a.type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(a.mode, S390AP_MODE_ACCEL);
	ck_assert_uint_eq(a.domains, 85);
	ck_assert_uint_eq(a.depth, 8);
	ck_assert(a.fac & S390AP_TAPQ_FAC_ACCEL);
	a = adapter(mm, 255);
	ck_assert_x64(a.latency, UINT64_MAX / 4);
	ck_assert_uint_eq(a.ml, 1);
	ck_assert_uint_eq(a.depth, 16);
	ck_assert_uint_eq(a.domains, 256);

	ck_assert(queue_exists(mm, 0x10, 0x0f));
	ck_assert(!queue_exists(mm, 0x10, 0x1f)); /* 16 domains only */
	ck_assert(queue_exists(mm, 0x11, 0x1f));
	ck_assert(!queue_exists(mm, 0x11, 0x00)); /* a control domain only */
	ck_assert(queue_exists(mm, 0xff, 0xff));
	ck_assert_int_eq(s390ap_machine_qci(mm, q), 0);
	ck_assert(bit(q + 16, 0x10) && bit(q + 16, 0x11) && bit(q + 16, 0x12) && bit(q + 16, 255));
	ck_assert(!bit(q + 16, 0x13));
	ck_assert(!bit(q + 48, 0) && bit(q + 48, 0x0f) && bit(q + 48, 0x1f) && bit(q + 48, 0xff));
	ck_assert(bit(q + 80, 0) && bit(q + 80, 0x0f) && !bit(q + 80, 0x1f) && bit(q + 80, 0xff));
	s390ap_machine_free(mm);
}
END_TEST

START_TEST(test_desc_adapter_types)
{
	static const char *const names[] = { "CEX4", "CEX5", "CEX6", "CEX7", "CEX8" };
	static const char *const modes[] = { "accel", "cca", "ep11" };
	char text[100];

	for (unsigned k = 0; k < ARRAY_SIZE(names); k++)
		for (unsigned md = 0; md < ARRAY_SIZE(modes); md++) {
			s390ap_machine *mm;
			s390ap_adapter_info a, b;

			snprintf(text, sizeof(text), "machine empty\nadapter 1 type %s mode %s\n",
				 names[k], modes[md]);
			mm = build(text);
			a = adapter(mm, 1);
			s390ap_machine_free(mm);
			snprintf(text, sizeof(text), "machine empty\nadapter 1 mode %s type %u\n",
				 modes[md], S390AP_TYPE_CEX4 + k);
			mm = build(text);
			b = adapter(mm, 1);
			s390ap_machine_free(mm);
			ck_assert_uint_eq(a.type, S390AP_TYPE_CEX4 + k);
			ck_assert_uint_eq(b.type, a.type);
			ck_assert_int_eq(a.mode, (s390ap_mode)md);
			ck_assert_int_eq(b.mode, a.mode);
			ck_assert_x64(b.fac, a.fac);
		}
}
END_TEST

/* Adapters and domains added to the default machine. */
START_TEST(test_desc_default_plus)
{
	s390ap_machine *mm = build("adapter 9 type CEX6 mode cca\ndomain 8 usage\n");

	ck_assert(adapter(mm, 3).present && adapter(mm, 4).present && adapter(mm, 5).present);
	ck_assert_uint_eq(adapter(mm, 9).type, S390AP_TYPE_CEX6);
	ck_assert(queue_exists(mm, 9, 8) && queue_exists(mm, 3, 6) && queue_exists(mm, 9, 0x47));
	ck_assert(!queue_exists(mm, 9, 0));
	s390ap_machine_free(mm);
}
END_TEST

/* ---- names (apsim's let) ---- */

static int names_ctx;

static int names(void *c, const char *name, size_t len, uint64_t *value)
{
	ck_assert_ptr_eq(c, &names_ctx);
	if (len == 3 && !memcmp(name, "LAT", 3)) {
		*value = 777;
		return 0;
	}
	if (len == 9 && !memcmp(name, "unlimited", 9)) {
		*value = 5;
		return 0;
	}
	if (len == 3 && !memcmp(name, "BIG", 3))
		return S390AP_ERANGE;
	return S390AP_ENOENT;
}

START_TEST(test_desc_names)
{
	static const char *const lines[] = {
		"machine empty", "adapter 2 latency LAT depth 4", "domain 6",
		"cpu-determined unlimited", /* the keyword, not the name */
	};
	s390ap_desc_error err;
	s390ap_machine *mm;
	s390ap_desc *d;

	ck_assert_int_eq(s390ap_desc_new(&d), 0);
	s390ap_desc_set_names(d, names, &names_ctx);
	for (unsigned k = 0; k < ARRAY_SIZE(lines); k++)
		ck_assert_int_eq(s390ap_desc_statement(d, k + 1, lines[k], strlen(lines[k]), &err),
				 0);
	ck_assert_int_eq(s390ap_desc_statement(d, 9, "na BIG", 6, &err), S390AP_EINVAL);
	ck_assert_uint_eq(err.line, 9);
	ck_assert_uint_eq(err.column, 4);
	ck_assert_str_eq(err.msg, "na: Na, the largest adapter id: 'BIG' is wider than 64 bits");
	ck_assert_int_eq(s390ap_desc_statement(d, 10, "na NOPE", 7, &err), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "got 'NOPE'"));
	ck_assert_int_eq(s390ap_desc_build(d, NULL, &mm, &err), 0);
	ck_assert_x64(adapter(mm, 2).latency, 777);
	s390ap_machine_free(mm);

	/* without names, only numbers */
	s390ap_desc_set_names(d, NULL, NULL);
	ck_assert_int_eq(s390ap_desc_statement(d, 11, "na LAT", 6, &err), S390AP_EINVAL);
	s390ap_desc_free(d);
}
END_TEST

/* ---- one statement at a time ---- */

START_TEST(test_desc_statements)
{
	s390ap_desc_error err;
	s390ap_machine *a, *b;
	s390ap_desc *d;

	ck_assert_int_eq(s390ap_desc_new(NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_desc_new(&d), 0);
	ck_assert(!s390ap_desc_modified(d));
	ck_assert_int_eq(s390ap_desc_statement(d, 1, "   # nothing", 12, &err), 0);
	ck_assert_int_eq(s390ap_desc_statement(d, 2, "", 0, &err), 0);
	ck_assert_int_eq(s390ap_desc_statement(d, 3, NULL, 0, &err), 0);
	ck_assert_int_eq(s390ap_desc_statement(NULL, 3, "na 5", 4, &err), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_desc_statement(d, 3, NULL, 4, &err), S390AP_EINVAL);

	/* not machine statements: ENOENT, the description unchanged */
	ck_assert_int_eq(s390ap_desc_statement(d, 4, "  memory 16M", 12, &err), S390AP_ENOENT);
	ck_assert_uint_eq(err.line, 4);
	ck_assert_uint_eq(err.column, 3);
	ck_assert_str_eq(err.msg,
			 "'memory' is an apsim system statement, not part of a machine description");
	ck_assert_int_eq(s390ap_desc_statement(d, 5, "print config", 12, &err), S390AP_ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown statement 'print'"));
	/* a refused statement changes nothing */
	ck_assert_int_eq(s390ap_desc_statement(d, 6, "na 5 6", 6, &err), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_desc_statement(d, 6, "adapter 9 depth 0", 17, &err), S390AP_EINVAL);
	ck_assert(!s390ap_desc_modified(d));
	/* `machine` still comes first: nothing was said */
	ck_assert_int_eq(s390ap_desc_statement(d, 7, "machine default", 15, &err), 0);
	ck_assert(!s390ap_desc_modified(d));
	ck_assert_int_eq(s390ap_desc_build(d, NULL, &a, &err), 0);
	assert_default(a);
	s390ap_machine_free(a);

	ck_assert_int_eq(s390ap_desc_statement(d, 8, "adapter 9", 9, &err), 0);
	ck_assert(s390ap_desc_modified(d));
	/* built as often as wanted, the same machine */
	ck_assert_int_eq(s390ap_desc_build(d, NULL, &a, &err), 0);
	ck_assert_int_eq(s390ap_desc_build(d, NULL, &b, &err), 0);
	assert_same(a, b);
	ck_assert(adapter(a, 9).present);
	s390ap_machine_free(a);
	s390ap_machine_free(b);
	ck_assert_int_eq(s390ap_desc_build(NULL, NULL, &a, &err), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_desc_build(d, NULL, NULL, &err), S390AP_EINVAL);
	s390ap_desc_free(d);
	s390ap_desc_free(NULL);
	s390ap_desc_set_names(NULL, names, NULL);
	ck_assert(!s390ap_desc_modified(NULL));
}
END_TEST

START_TEST(test_desc_parse_operands)
{
	static const char line[] = "inject now add adapter 9 type CEX6 mode cca # hot";
	static const char bad[] = "inject at 5 add adapter 9 depth 99";
	static const char dom[] = "inject now add domain 0x47 control";
	s390ap_adapter_opts o;
	s390ap_desc_error err;
	unsigned id;
	bool usage, control;

	ck_assert_int_eq(s390ap_desc_parse_adapter(NULL, 3, line, strlen(line), 23, &id, &o, &err),
			 0);
	ck_assert_uint_eq(id, 9);
	ck_assert_uint_eq(o.type, S390AP_TYPE_CEX6);
	ck_assert_int_eq(o.mode, S390AP_MODE_CCA);
	ck_assert_uint_eq(o.size, sizeof(o));
	ck_assert(!o.fac_explicit);
	ck_assert_int_eq(s390ap_desc_parse_adapter(NULL, 4, bad, strlen(bad), 24, &id, &o, &err),
			 S390AP_EINVAL);
	ck_assert_uint_eq(err.line, 4);
	ck_assert_uint_eq(err.column, 33);
	ck_assert_str_eq(err.msg, "adapter: the queue depth: 99 is out of range (expected 1..16)");
	ck_assert_int_eq(s390ap_desc_parse_adapter(NULL, 4, bad, strlen(bad), strlen(bad), &id, &o,
						   &err),
			 S390AP_EINVAL);
	ck_assert_uint_eq(err.column, strlen(bad) + 1);
	ck_assert_int_eq(s390ap_desc_parse_adapter(NULL, 4, bad, 3, 4, &id, &o, &err),
			 S390AP_EINVAL);
	ck_assert_int_eq(s390ap_desc_parse_domain(NULL, 5, dom, strlen(dom), 22, &id, &usage,
						  &control, &err),
			 0);
	ck_assert_uint_eq(id, 0x47);
	ck_assert(!usage && control);
	ck_assert_int_eq(s390ap_desc_parse_domain(NULL, 5, dom, strlen(dom), 0, &id, &usage,
						  &control, &err),
			 S390AP_EINVAL);
	ck_assert_str_eq(err.msg,
			 "domain: expected a domain id (a number, decimal or 0x hex), got 'inject'");
}
END_TEST

/* ---- errors ---- */

static const struct bad_row {
	const char *text;
	int rc;
	unsigned line, col;
	const char *msg; /* a substring of the message */
} bad_rows[] = {
	{ "memory 16M", S390AP_EINVAL, 1, 1,
	  "'memory' is an apsim system statement, not part of a machine description" },
	{ "machine empty\ncpus 2", S390AP_EINVAL, 2, 1, "'cpus' is an apsim system statement" },
	{ "quantum 5", S390AP_EINVAL, 1, 1, "'quantum' is an apsim system statement" },
	{ "cost diag 7", S390AP_EINVAL, 1, 1, "'cost' is an apsim system statement" },
	{ "  bogus 1", S390AP_EINVAL, 1, 3,
	  "unknown statement 'bogus' (a machine statement is one of machine, facilities, na, nd, "
	  "reset-cycles, irq-cycles, assoc-cycles, cpu-determined, adapter, domain)" },
	{ "adapter 3 type CEX7", S390AP_EINVAL, 1, 9,
	  "adapter 03 is already part of the default machine (start with 'machine empty' to "
	  "describe every adapter)" },
	{ "machine default\ndomain 0", S390AP_EINVAL, 2, 8,
	  "domain 0 is already part of the default machine" },
	{ "domain 0x47 usage", S390AP_EINVAL, 1, 8,
	  "domain 71 is already part of the default machine" },
	{ "machine empty\nadapter 1\n\nadapter 0x01", S390AP_EINVAL, 4, 9,
	  "adapter 01 already defined on line 2" },
	{ "machine empty\ndomain 5\ndomain 5 usage", S390AP_EINVAL, 3, 8,
	  "domain 5 already defined on line 2" },
	{ "adapter 1\nmachine empty", S390AP_EINVAL, 2, 1,
	  "'machine' must be the first machine statement (it starts the description over)" },
	{ "machine empty\nmachine empty", S390AP_EINVAL, 2, 1, "'machine' must be the first" },
	{ "machine", S390AP_EINVAL, 1, 8,
	  "machine: expected a machine (default or empty), got end of line" },
	{ "machine full", S390AP_EINVAL, 1, 9,
	  "machine: expected a machine (default or empty), got "
	  "'full'" },
	{ "machine empty extra", S390AP_EINVAL, 1, 15,
	  "machine: expected end of line, got 'extra'" },
	{ "facilities", S390AP_EINVAL, 1, 11,
	  "facilities: expected facilities (all, none, default or NAME, +NAME, -NAME with NAME "
	  "one of AP QCI APFT AQIC MSAX3 APXA APSC QACT RC8A APSB), got end of line" },
	{ "facilities +APXB", S390AP_EINVAL, 1, 12,
	  "facilities: expected a facility (one of AP QCI APFT AQIC MSAX3 APXA APSC QACT RC8A APSB, "
	  "with an optional + or -; or all, none, default), got '+APXB'" },
	{ "facilities all -", S390AP_EINVAL, 1, 16, "got '-'" },
	{ "facilities +all", S390AP_EINVAL, 1, 12, "got '+all'" },
	{ "facilities ap", S390AP_EINVAL, 1, 12, "got 'ap'" },
	{ "na 0", S390AP_EINVAL, 1, 4,
	  "na: Na, the largest adapter id: 0 is out of range (expected 1..255)" },
	{ "nd 256", S390AP_EINVAL, 1, 4,
	  "nd: Nd, the largest domain id: 256 is out of range (expected 1..255)" },
	{ "na x", S390AP_EINVAL, 1, 4,
	  "na: expected Na, the largest adapter id (a number, decimal or 0x hex), got 'x'" },
	{ "na 0x", S390AP_EINVAL, 1, 4, "got '0x'" },
	{ "na 0x1g", S390AP_EINVAL, 1, 4, "got '0x1g'" },
	{ "na -1", S390AP_EINVAL, 1, 4, "got '-1'" },
	{ "na 99999999999999999999", S390AP_EINVAL, 1, 4,
	  "na: Na, the largest adapter id: '99999999999999999999' is too large (maximum 255)" },
	{ "na 0x10000000000000000", S390AP_EINVAL, 1, 4, "is too large" },
	{ "na 5 6", S390AP_EINVAL, 1, 6, "na: expected end of line, got '6'" },
	{ "na", S390AP_EINVAL, 1, 3, "got end of line" },
	{ "na   # a comment", S390AP_EINVAL, 1, 3, "got end of line" },
	{ "machine empty\nadapter 1 type \t\r", S390AP_EINVAL, 2, 15, "got end of line" },
	{ "reset-cycles 0", S390AP_EINVAL, 1, 14,
	  "reset-cycles: a number of cycles: 0 is out of range (expected 0x1..0x3fffffffffffffff)" },
	{ "irq-cycles", S390AP_EINVAL, 1, 11,
	  "irq-cycles: expected a number of cycles (a number, decimal or 0x hex), got end of line" },
	{ "assoc-cycles 0x4000000000000000", S390AP_EINVAL, 1, 14,
	  "assoc-cycles: a number of cycles: 4611686018427387904 is out of range" },
	{ "cpu-determined 0", S390AP_EINVAL, 1, 16,
	  "cpu-determined: bytes per NQAP/DQAP execution (or 'unlimited'): 0 is out of range "
	  "(expected 0x1..0xfffffffe)" },
	{ "cpu-determined 0xffffffff", S390AP_EINVAL, 1, 16, "is out of range" },
	{ "cpu-determined", S390AP_EINVAL, 1, 15,
	  "expected bytes per NQAP/DQAP execution (or 'unlimited')" },
	{ "cpu-determined unlimited 5", S390AP_EINVAL, 1, 26, "expected end of line, got '5'" },
	{ "adapter 256", S390AP_EINVAL, 1, 9,
	  "adapter: an adapter id: 256 is out of range (expected 0..255)" },
	{ "adapter", S390AP_EINVAL, 1, 8,
	  "adapter: expected an adapter id (a number, decimal or 0x hex), got end of line" },
	{ "machine empty\nadapter 1 depth 4 depth 5", S390AP_EINVAL, 2, 19,
	  "adapter: 'depth' given twice" },
	{ "machine empty\nadapter 1 type CEX7 mode cca type CEX8", S390AP_EINVAL, 2, 30,
	  "adapter: 'type' given twice" },
	{ "machine empty\nadapter 1 colour red", S390AP_EINVAL, 2, 11,
	  "adapter: expected an adapter property (type, mode, domains, ml, depth, latency or fac), "
	  "got 'colour'" },
	{ "machine empty\nadapter 1 type CEX9", S390AP_EINVAL, 2, 16,
	  "adapter: expected an adapter type (CEX4, CEX5, CEX6, CEX7 or CEX8), got 'CEX9'" },
	{ "machine empty\nadapter 1 type cex8", S390AP_EINVAL, 2, 16, "got 'cex8'" },
	{ "machine empty\nadapter 1 type", S390AP_EINVAL, 2, 15,
	  "expected an adapter type (CEX4, CEX5, CEX6, CEX7 or CEX8), got end of line" },
	{ "machine empty\nadapter 1 type 9", S390AP_EINVAL, 2, 16,
	  "adapter: an AP type: 9 is out of range (expected 10..14)" },
	{ "machine empty\nadapter 1 type 15", S390AP_EINVAL, 2, 16, "(expected 10..14)" },
	{ "machine empty\nadapter 1 mode fast", S390AP_EINVAL, 2, 16,
	  "adapter: expected an adapter mode (accel, cca or ep11), got 'fast'" },
	{ "machine empty\nadapter 1 domains 0", S390AP_EINVAL, 2, 19,
	  "adapter: the number of domains: 0 is out of range (expected 1..256)" },
	{ "machine empty\nadapter 1 domains 257", S390AP_EINVAL, 2, 19, "(expected 1..256)" },
	{ "machine empty\nadapter 1 ml 0", S390AP_EINVAL, 2, 14,
	  "adapter: ML (4 KiB units; below 4 means 12 KiB): 0 is out of range (expected 1..15)" },
	{ "machine empty\nadapter 1 ml 16", S390AP_EINVAL, 2, 14, "(expected 1..15)" },
	{ "machine empty\nadapter 1 depth 17", S390AP_EINVAL, 2, 17,
	  "adapter: the queue depth: 17 is out of range (expected 1..16)" },
	{ "machine empty\nadapter 1 latency 0", S390AP_EINVAL, 2, 19,
	  "adapter: the reply latency in cycles: 0 is out of range" },
	{ "machine empty\nadapter 1 fac 0x100000000", S390AP_EINVAL, 2, 15,
	  "adapter: a TAPQ facility word: 4294967296 is out of range (expected 0x0..0xffffffff)" },
	{ "machine empty\nadapter 1 fac", S390AP_EINVAL, 2, 14, "got end of line" },
	{ "machine empty\ndomain 1 usage usage", S390AP_EINVAL, 2, 16,
	  "domain: 'usage' given twice" },
	{ "machine empty\ndomain 1 control usage control", S390AP_EINVAL, 2, 24,
	  "domain: 'control' given twice" },
	{ "machine empty\ndomain 1 both", S390AP_EINVAL, 2, 10,
	  "domain: expected a domain kind (usage or control), got 'both'" },
	{ "machine empty\ndomain 300", S390AP_EINVAL, 2, 8,
	  "domain: a domain id: 300 is out of range (expected 0..255)" },
	/* lexical */
	{ "na \"5\"", S390AP_EINVAL, 1, 4, "unexpected '\"' (machine statements take no strings)" },
	{ "na 5\x01", S390AP_EINVAL, 1, 5,
	  "unexpected byte 0x01 (outside comments only printable ASCII is allowed)" },
	{ "na\x80", S390AP_EINVAL, 1, 3, "unexpected byte 0x80" },
	{ "\xef\xbb\xbfna 5", S390AP_EINVAL, 1, 1, "unexpected byte 0xef" },
	{ "na 5\x7f", S390AP_EINVAL, 1, 5, "unexpected byte 0x7f" },
	{ "na 5\v", S390AP_EINVAL, 1, 5, "unexpected byte 0x0b" },
	{ "adapter 1 type CEX7 mode cca type CEX8 type CEX8 mode cca mode cca", S390AP_EINVAL, 1,
	  30, "'type' given twice" },
	/* refused when the machine is built: ERANGE with the statement's line */
	{ "machine empty\nna 0x20\nadapter 0x21", S390AP_ERANGE, 3, 1, "cannot add adapter 33: " },
	{ "facilities default -APXA", S390AP_ERANGE, 0, 0, "cannot add domain 71: " },
	{ "facilities default -APXA", S390AP_ERANGE, 0, 0, "(without APXA, ids go up to 63 / 15)" },
	{ "machine empty\nfacilities default -APXA\nadapter 64", S390AP_ERANGE, 3, 1,
	  "(without APXA, ids go up to 63 / 15)" },
	{ "machine empty\nfacilities default -APXA\n  domain 16 usage", S390AP_ERANGE, 3, 3,
	  "cannot add domain 16" },
	{ "machine empty\nfacilities default -APXA\nna 100\nadapter 1", S390AP_ERANGE, 3, 0,
	  "cannot create the machine: Na/Nd over 63/15 need the APXA facility" },
};

START_TEST(test_desc_errors)
{
	const struct bad_row *r = &bad_rows[_i];
	s390ap_machine *sentinel = (s390ap_machine *)&sentinel, *mm = sentinel;
	s390ap_desc_error err;
	int rc;

	memset(&err, 0x5a, sizeof(err));
	rc = s390ap_machine_from_desc(r->text, strlen(r->text), NULL, &mm, &err);
	ck_assert_msg(rc == r->rc, "'%s': rc %d, expected %d (%s)", r->text, rc, r->rc, err.msg);
	ck_assert_ptr_eq(mm, sentinel); /* untouched */
	ck_assert_msg(err.line == r->line && err.column == r->col, "'%s': at %u:%u, expected %u:%u",
		      r->text, err.line, err.column, r->line, r->col);
	ck_assert_msg(strstr(err.msg, r->msg), "'%s': message '%s' lacks '%s'", r->text, err.msg,
		      r->msg);
	ck_assert_ptr_null(strchr(err.msg, '\n'));
	/* err is optional */
	ck_assert_int_eq(s390ap_machine_from_desc(r->text, strlen(r->text), NULL, &mm, NULL), rc);
	ck_assert_ptr_eq(mm, sentinel);
}
END_TEST

/* NUL bytes anywhere: in a word, after one, in a comment, on a blank line. */
START_TEST(test_desc_nul)
{
	static const struct {
		const char *text;
		size_t len;
		unsigned line, col;
	} rows[] = {
		{ "na 5\0", 5, 1, 5 },    { "na\0 5", 5, 1, 3 },
		{ "na 5 #\0x", 8, 1, 7 }, { "machine empty\n\0", 15, 2, 1 },
		{ "\n \0\n", 4, 2, 2 },   { "# a\0", 4, 1, 4 },
	};
	s390ap_desc_error err;
	s390ap_machine *mm = NULL;

	for (size_t k = 0; k < ARRAY_SIZE(rows); k++) {
		ck_assert_int_eq(s390ap_machine_from_desc(rows[k].text, rows[k].len, NULL, &mm,
							  &err),
				 S390AP_EINVAL);
		ck_assert_ptr_null(mm);
		ck_assert_uint_eq(err.line, rows[k].line);
		ck_assert_uint_eq(err.column, rows[k].col);
		ck_assert_str_eq(err.msg, "NUL byte in the machine description");
	}
}
END_TEST

START_TEST(test_desc_args)
{
	s390ap_desc_error err;
	s390ap_machine *mm = NULL;

	ck_assert_int_eq(s390ap_machine_from_desc("na 5", 4, NULL, NULL, &err), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_from_desc(NULL, 4, NULL, &mm, &err), S390AP_EINVAL);
	ck_assert_ptr_null(mm);
	ck_assert_int_eq(s390ap_machine_from_desc(NULL, 0, NULL, &mm, &err), 0);
	assert_default(mm);
	s390ap_machine_free(mm);
	ck_assert_int_eq(s390ap_machine_from_desc_file(NULL, NULL, &mm, &err), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_from_desc_file("x", NULL, NULL, &err), S390AP_EINVAL);
	/* len, not a NUL, ends the text */
	ck_assert_int_eq(s390ap_machine_from_desc("machine empty\nadapter 1", 13, NULL, &mm, &err),
			 0);
	ck_assert(!present(mm, 1));
	s390ap_machine_free(mm);
}
END_TEST

/* ---- lines of any length, untrusted bytes ---- */

START_TEST(test_desc_long_lines)
{
	size_t n = 1u << 20;
	char *text = malloc(n * 4 + 64);
	s390ap_desc_error err;
	s390ap_machine *mm;
	size_t len;

	ck_assert_ptr_nonnull(text);
	/* a megabyte of blanks before a statement, a megabyte of comment after */
	len = (size_t)sprintf(text, "machine empty\n");
	memset(text + len, ' ', n);
	len += n;
	len += (size_t)sprintf(text + len, "na 5 #");
	memset(text + len, 'x', n);
	len += n;
	ck_assert_int_eq(s390ap_machine_from_desc(text, len, NULL, &mm, &err), 0);
	ck_assert_uint_eq(s390ap_machine_max_apid(mm), 5);
	s390ap_machine_free(mm);

	/* a facilities line of 300000 items */
	len = (size_t)sprintf(text, "machine empty\nfacilities none");
	for (unsigned k = 0; k < 300000; k++)
		len += (size_t)sprintf(text + len, k % 2 ? " -QCI" : " +AP");
	ck_assert_int_eq(s390ap_machine_from_desc(text, len, NULL, &mm, &err), 0);
	ck_assert_x64(s390ap_machine_facilities(mm), S390AP_FAC_AP);
	s390ap_machine_free(mm);

	/* a word of a megabyte: the message shows its start */
	len = (size_t)sprintf(text, "na ");
	memset(text + len, '7', n);
	len += n;
	ck_assert_int_eq(s390ap_machine_from_desc(text, len, NULL, &mm, &err), S390AP_EINVAL);
	ck_assert_uint_eq(err.column, 4);
	ck_assert_ptr_nonnull(strstr(err.msg, "is too large"));
	memset(text, 'q', n);
	ck_assert_int_eq(s390ap_machine_from_desc(text, n, NULL, &mm, &err), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.msg, "unknown statement 'qqqq"));
	ck_assert_uint_lt(strlen(err.msg), sizeof(err.msg));
	free(text);
}
END_TEST

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/* Random texts and mutations of valid ones: a machine or a clean error. */
START_TEST(test_desc_random)
{
	static const char *const seeds[] = {
		"machine empty\nfacilities default +APSB\nna 0x7f\nnd 0x3f\n"
		"adapter 0x0a type CEX7 mode cca depth 4 latency 50000\n"
		"adapter 0x7f type CEX8 mode ep11\ndomain 1\ndomain 0x3f usage\ndomain 2 control\n",
		"reset-cycles 100\nirq-cycles 3\nassoc-cycles 9\ncpu-determined unlimited # c\n",
	};
	static const char alphabet[] = "adapter domain 0x1 9 # \n\"\t+-ACEX8\0\x80\xff";
	char buf[512];
	uint64_t s = 0x5eed;

	for (unsigned it = 0; it < 6000; it++) {
		s390ap_desc_error err;
		s390ap_machine *mm = NULL;
		size_t len;
		int rc;

		if (it % 2) {
			len = lcg(&s) % sizeof(buf);
			for (size_t k = 0; k < len; k++)
				buf[k] = (char)(lcg(&s) % 3
							? alphabet[lcg(&s) % (sizeof(alphabet) - 1)]
							: (char)lcg(&s));
		} else {
			const char *seed = seeds[lcg(&s) % ARRAY_SIZE(seeds)];

			len = strlen(seed);
			memcpy(buf, seed, len);
			for (unsigned k = 0, n = 1 + (unsigned)(lcg(&s) % 4); k < n; k++)
				buf[lcg(&s) % len] = (char)lcg(&s);
		}
		memset(&err, 0, sizeof(err));
		rc = s390ap_machine_from_desc(buf, len, NULL, &mm, &err);
		if (rc == 0) {
			ck_assert_ptr_nonnull(mm);
			s390ap_machine_free(mm);
			continue;
		}
		ck_assert_int_lt(rc, 0);
		ck_assert_ptr_null(mm);
		ck_assert_uint_gt(strlen(err.msg), 0);
		for (const char *c = err.msg; *c; c++)
			ck_assert((unsigned char)*c >= 0x20);
	}
}
END_TEST

/* ---- files ---- */

/* A fresh file holding text; its path in path. */
static void write_file(char *path, size_t size, const char *text)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd;

	snprintf(path, size, "%s/test_desc_XXXXXX", dir && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_desc_file_round_trip)
{
	static const char text[] = "# a machine file\nmachine empty\nfacilities all -RC8A\n"
				   "na 0x20\nnd 0x1f\nadapter 0x10 type CEX5 mode cca depth 2\n"
				   "adapter 0x11 type CEX8 mode ep11\ndomain 0 control\n"
				   "domain 0x0f\ndomain 0x1f usage\n";
	s390ap_desc_error err;
	s390ap_machine *a, *b;
	char path[512];

	write_file(path, sizeof(path), text);
	ck_assert_int_eq(s390ap_machine_from_desc_file(path, NULL, &a, &err), 0);
	b = build(text);
	assert_same(a, b);
	s390ap_machine_free(a);
	s390ap_machine_free(b);
	unlink(path);

	/* an error in a file: the same line and column as in a text */
	write_file(path, sizeof(path), "machine empty\n\nadapter 1 ml 99\n");
	ck_assert_int_eq(s390ap_machine_from_desc_file(path, NULL, &a, &err), S390AP_EINVAL);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 14);
	unlink(path);
}
END_TEST

START_TEST(test_desc_file_unreadable)
{
	s390ap_desc_error err;
	s390ap_machine *mm = NULL;

	ck_assert_int_eq(s390ap_machine_from_desc_file(EXAMPLES "no-such.machine", NULL, &mm, &err),
			 S390AP_ENOENT);
	ck_assert_ptr_null(mm);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_uint_eq(err.column, 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open '"));
	ck_assert_ptr_nonnull(strstr(err.msg, "no-such.machine"));
	/* a directory opens but does not read */
	ck_assert_int_eq(s390ap_machine_from_desc_file(EXAMPLES, NULL, &mm, &err), S390AP_EIO);
	ck_assert_ptr_null(mm);
	ck_assert_uint_eq(err.line, 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot read '"));
}
END_TEST

/* The example files (examples/machines). */
START_TEST(test_desc_example_files)
{
	s390ap_desc_error err;
	s390ap_machine *mm;
	uint8_t q[128];

	ck_assert_int_eq(s390ap_machine_from_desc_file(EXAMPLES "default.machine", NULL, &mm, &err),
			 0);
	assert_default(mm);
	s390ap_machine_free(mm);

	ck_assert_int_eq(s390ap_machine_from_desc_file(EXAMPLES "two-accel.machine", NULL, &mm,
						       &err),
			 0);
	ck_assert_x64(s390ap_machine_facilities(mm), DEFAULT_FACS);
	ck_assert_uint_eq(adapter(mm, 3).type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(adapter(mm, 3).mode, S390AP_MODE_ACCEL);
	ck_assert_uint_eq(adapter(mm, 6).type, S390AP_TYPE_CEX8);
	ck_assert_int_eq(adapter(mm, 6).mode, S390AP_MODE_ACCEL);
	ck_assert_int_eq(adapter(mm, 4).mode, S390AP_MODE_CCA);
	ck_assert_uint_eq(adapter(mm, 5).type, S390AP_TYPE_CEX7);
	ck_assert_int_eq(adapter(mm, 5).mode, S390AP_MODE_EP11);
	ck_assert_int_eq(s390ap_machine_qci(mm, q), 0);
	ck_assert_uint_eq(q[16], 0x1E); /* APM 3, 4, 5, 6 */
	ck_assert_uint_eq(q[48], 0x02); /* AQM 6 */
	ck_assert_uint_eq(q[56], 0x01); /* AQM 0x47 */
	ck_assert_uint_eq(q[80], 0x82); /* ADM 0, 6 */
	ck_assert_uint_eq(q[88], 0x01); /* ADM 0x47 */
	ck_assert(!bit(q + 48, 7) && !bit(q + 80, 7));
	ck_assert(queue_exists(mm, 6, 0x47) && queue_exists(mm, 3, 6));
	ck_assert(!queue_exists(mm, 6, 0) && !queue_exists(mm, 6, 7));
	s390ap_machine_free(mm);
}
END_TEST

static Suite *desc_suite(void)
{
	Suite *s = suite_create("desc");
	TCase *tc = tcase_create("desc");
	TCase *fx;

	suite_add_tcase(s, tc);
	tcase_add_test(tc, test_desc_default);
	tcase_add_test(tc, test_desc_default_spelt_out);
	tcase_add_test(tc, test_desc_empty);
	tcase_add_loop_test(tc, test_desc_facilities, 0, (int)ARRAY_SIZE(facility_rows));
	tcase_add_test(tc, test_desc_na_nd);
	tcase_add_test(tc, test_desc_assoc_cycles);
	tcase_add_test(tc, test_desc_adapters);
	tcase_add_test(tc, test_desc_adapter_types);
	tcase_add_test(tc, test_desc_default_plus);
	tcase_add_test(tc, test_desc_names);
	tcase_add_test(tc, test_desc_statements);
	tcase_add_test(tc, test_desc_parse_operands);
	tcase_add_loop_test(tc, test_desc_errors, 0, (int)ARRAY_SIZE(bad_rows));
	tcase_add_test(tc, test_desc_nul);
	tcase_add_test(tc, test_desc_args);
	tcase_add_test(tc, test_desc_long_lines);
	tcase_add_test(tc, test_desc_random);
	tcase_add_test(tc, test_desc_file_round_trip);
	tcase_add_test(tc, test_desc_file_unreadable);
	tcase_add_test(tc, test_desc_example_files);

	fx = fixture_tcase(s, "timing", fixture);
	tcase_add_test(fx, test_desc_reset_irq_cycles);
	tcase_add_test(fx, test_desc_default_timing);
	tcase_add_test(fx, test_desc_cpu_determined);
	return s;
}

int main(void)
{
	return run_suite(desc_suite());
}
