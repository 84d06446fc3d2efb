/* SPDX-License-Identifier: MIT */
/* Save and restore of the AP state (include/s390ap/state.h,
 * docs/state-format.md) and the container under it (src/util/ser). */
#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "s390ap/s390ap.h"
#include "testutil.h"
#include "util/be.h"
#include "util/ser.h"

#define MEM_SIZE 0x10000u
#define NIB_AT 0x100u
#define QCI_AT 0x800u
#define MSG_AT 0x1000u
#define BUF_AT 0x8000u
#define CMP_LOW 0x1000u /* NIBs and the QCI block */
#define BUF_LEN 0x1000u /* DQAP buffers */

/* The default machine's queues (s390ap_machine_new_default). */
#define ACC S390AP_APQN(0x03, 0x06)
#define CCA S390AP_APQN(0x04, 0x06)
#define EP11 S390AP_APQN(0x05, 0x06)

#define NQ_R1 10
#define NQ_R2 12
#define DQ_R1 6
#define DQ_R2 8

#define INSN_PQAP 0xB2AF0000u
#define INSN_NQAP 0xB2AD00ACu /* R1 10, R2 12 */
#define INSN_DQAP 0xB2AE0068u /* R1 6, R2 8 */

/* ------------------------------------------------------------------ */
/* A machine on a storage of its own, with its registers                */
/* ------------------------------------------------------------------ */
struct rig {
	s390ap_mem *mem;
	s390ap_storage st;
	s390ap_machine *m;
	uint64_t gr[16];
};

static void rig_mem(struct rig *r)
{
	memset(r, 0, sizeof *r);
	ck_assert_int_eq(s390ap_mem_new(&r->mem, MEM_SIZE), 0);
	ck_assert_int_eq(s390ap_mem_storage(r->mem, &r->st), 0);
}

/* An empty machine (no adapters, no domains): a restore's target. */
static void rig_empty(struct rig *r)
{
	s390ap_machine_opts o = { 0 };

	rig_mem(r);
	o.storage = &r->st;
	ck_assert_int_eq(s390ap_machine_new(&r->m, &o), 0);
}

static void rig_default(struct rig *r)
{
	rig_mem(r);
	ck_assert_int_eq(s390ap_machine_new_default(&r->m, &r->st), 0);
}

static void rig_free(struct rig *r)
{
	s390ap_machine_free(r->m);
	s390ap_mem_free(r->mem);
	memset(r, 0, sizeof *r);
}

static int rig_exec(struct rig *r, uint32_t insn, bool se, s390ap_insn_result *res)
{
	s390ap_view v;
	s390ap_insn_ctx c = { .gr = r->gr, .amode = 64, .storage = &r->st };

	if (se) {
		s390ap_view_lpar(r->m, &v);
		v.se_guest = true;
		c.view = &v;
	}
	memset(res, 0, sizeof *res);
	return s390ap_execute(r->m, &c, insn, res);
}

static void save(const s390ap_machine *mm, void **img, size_t *len)
{
	ck_assert_msg(s390ap_machine_save(mm, img, len) == 0, "save: %s",
		      s390ap_machine_errmsg(mm));
	ck_assert_ptr_nonnull(*img);
	ck_assert_uint_gt(*len, SER_HDR_LEN);
}

static void restore_ok(s390ap_machine *mm, const void *img, size_t len)
{
	int rc = s390ap_machine_restore(mm, img, len);

	ck_assert_msg(rc == 0, "restore: %d %s", rc, s390ap_machine_errmsg(mm));
}

/* Save a, restore into b, save b: the same bytes. */
static void round_trip(const s390ap_machine *a, s390ap_machine *b)
{
	void *i1, *i2;
	size_t l1, l2;

	save(a, &i1, &l1);
	restore_ok(b, i1, l1);
	save(b, &i2, &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert_msg(memcmp(i1, i2, l1) == 0, "images differ after a round trip");
	s390ap_state_free(i1);
	s390ap_state_free(i2);
}

/* The machine saves to exactly these bytes (unchanged by a refusal). */
static void assert_image(const s390ap_machine *mm, const void *img, size_t len)
{
	void *now;
	size_t n;

	save(mm, &now, &n);
	ck_assert_uint_eq(n, len);
	ck_assert_msg(memcmp(now, img, len) == 0, "machine changed");
	s390ap_state_free(now);
}

/* ------------------------------------------------------------------ */
/* Comparing two machines by everything the API shows                  */
/* ------------------------------------------------------------------ */
static const unsigned cmp_apids[] = { 1, 2, 3, 4, 5, 7 };
static const unsigned cmp_apqis[] = { 0, 3, 4, 6, 7, 9, 0x47 };

/* Where the two machines differ first, or NULL.  (One Check assertion
 * per comparison: each costs a write to Check's log.) */
static const char *difference(const struct rig *a, const struct rig *b)
{
	uint8_t ma[3][32], mb[3][32];

	if (s390ap_machine_now(a->m) != s390ap_machine_now(b->m))
		return "now";
	if (s390ap_machine_next_event(a->m) != s390ap_machine_next_event(b->m))
		return "next_event";
	if (s390ap_machine_irq_pending(a->m) != s390ap_machine_irq_pending(b->m))
		return "irq_pending";
	if (s390ap_machine_mem_used(a->m) != s390ap_machine_mem_used(b->m) ||
	    s390ap_machine_mem_limit(a->m) != s390ap_machine_mem_limit(b->m))
		return "mem_used / mem_limit";
	if (s390ap_machine_facilities(a->m) != s390ap_machine_facilities(b->m))
		return "facilities";
	for (unsigned i = 0; i <= S390AP_ISC_MAX; i++)
		if (s390ap_machine_irq_count(a->m, i) != s390ap_machine_irq_count(b->m, i))
			return "irq_count";
	for (unsigned i = 0; i < 256; i++)
		if (s390ap_machine_rc_count(a->m, (uint8_t)i) !=
		    s390ap_machine_rc_count(b->m, (uint8_t)i))
			return "rc_count";
	for (unsigned i = 0; i < 128; i++)
		if (s390ap_machine_pgm_count(a->m, (uint16_t)i) !=
		    s390ap_machine_pgm_count(b->m, (uint16_t)i))
			return "pgm_count";
	s390ap_machine_masks(a->m, ma[0], ma[1], ma[2]);
	s390ap_machine_masks(b->m, mb[0], mb[1], mb[2]);
	if (memcmp(ma, mb, sizeof ma) != 0)
		return "masks";
	for (unsigned i = 0; i < ARRAY_SIZE(cmp_apids); i++) {
		s390ap_adapter_info ia, ib;

		if (s390ap_adapter_info_get(a->m, cmp_apids[i], &ia) !=
			    s390ap_adapter_info_get(b->m, cmp_apids[i], &ib) ||
		    memcmp(&ia, &ib, sizeof ia) != 0)
			return "adapter_info";
		for (unsigned j = 0; j < ARRAY_SIZE(cmp_apqis); j++) {
			uint16_t apqn = S390AP_APQN(cmp_apids[i], cmp_apqis[j]);
			s390ap_queue_info qa, qb;

			if (s390ap_queue_info_get(a->m, apqn, &qa) !=
				    s390ap_queue_info_get(b->m, apqn, &qb) ||
			    memcmp(&qa, &qb, sizeof qa) != 0)
				return "queue_info";
		}
	}
	if (memcmp(s390ap_mem_data(a->mem), s390ap_mem_data(b->mem), CMP_LOW) != 0)
		return "NIB / QCI storage";
	if (memcmp(s390ap_mem_data(a->mem) + BUF_AT, s390ap_mem_data(b->mem) + BUF_AT, BUF_LEN) !=
	    0)
		return "DQAP buffer";
	if (memcmp(a->gr, b->gr, sizeof a->gr) != 0)
		return "registers";
	return NULL;
}

static void assert_same(const struct rig *a, const struct rig *b, int step)
{
	const char *d = difference(a, b);

	ck_assert_msg(d == NULL, "step %d: %s differ", step, d ? d : "");
}

/* ------------------------------------------------------------------ */
/* An engine that answers some requests later (s390ap_queue_complete)  */
/* ------------------------------------------------------------------ */
static int async_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	(void)ctx;
	if (req->len && (req->msg[0] & 3) == 1)
		return S390AP_ENGINE_PENDING;
	/* the request backwards, at most 64 bytes */
	rep->len = req->len < 64 ? req->len : 64;
	for (size_t i = 0; i < rep->len; i++)
		rep->buf[i] = req->msg[req->len - 1 - i];
	if (!rep->len) {
		rep->buf[0] = 0x5a;
		rep->len = 1;
	}
	return 0;
}

static const s390ap_engine async_engine = { .process = async_process };

/* ------------------------------------------------------------------ */
/* Driving a machine                                                    */
/* ------------------------------------------------------------------ */
static uint64_t rnd_next(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd_below(uint64_t *s, unsigned n)
{
	return (unsigned)(rnd_next(s) % n);
}

/* The outcome of one operation on one machine. */
struct outcome {
	int ret;
	s390ap_insn_result res;
};

/* One random operation, fully decided by its 64-bit seed, so it can be
 * applied to two machines alike. */
static struct outcome apply_op(struct rig *r, uint64_t op_seed)
{
	uint64_t s = op_seed;
	static const unsigned apids[] = { 1, 2, 5, 5, 1, 7 };
	static const unsigned apqis[] = { 3, 9, 3, 9, 4 };
	unsigned kind = rnd_below(&s, 100);
	unsigned apid = apids[rnd_below(&s, ARRAY_SIZE(apids))];
	unsigned apqi = apqis[rnd_below(&s, ARRAY_SIZE(apqis))];
	uint16_t apqn = S390AP_APQN(apid, apqi);
	struct outcome o;
	uint8_t buf[400];

	memset(&o, 0, sizeof o);
	if (kind < 22) { /* NQAP, often in parts */
		size_t len = 1 + rnd_below(&s, rnd_below(&s, 20) ? 300 : 13000);

		if (len > sizeof buf)
			len = len > 13000 ? 13000 : len;
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (uint8_t)rnd_next(&s);
		if (s390ap_mem_write(r->mem, MSG_AT, buf, sizeof buf) != 0)
			ck_abort_msg("storage write");
		r->gr[0] = apqn | (rnd_below(&s, 3) ? S390AP_NQAP_L : 0) |
			   (rnd_below(&s, 20) ? 0 : S390AP_NQAP_SPECIAL);
		r->gr[NQ_R1] = 0;
		r->gr[NQ_R1 + 1] = 1 + rnd_below(&s, 3);
		r->gr[NQ_R2] = MSG_AT;
		r->gr[NQ_R2 + 1] = len;
		o.ret = rig_exec(r, INSN_NQAP, false, &o.res);
	} else if (kind < 42) { /* DQAP, in chunks */
		r->gr[0] = apqn;
		r->gr[DQ_R2] = BUF_AT + rnd_below(&s, 64);
		r->gr[DQ_R2 + 1] = 1 + rnd_below(&s, rnd_below(&s, 2) ? 6 : 200);
		if (!rnd_below(&s, 4))
			r->gr[2] = 0;
		o.ret = rig_exec(r, INSN_DQAP, false, &o.res);
	} else if (kind < 50) { /* TAPQ */
		r->gr[0] = (uint64_t)S390AP_FC_TAPQ << S390AP_GR0_FC_SHIFT | apqn |
			   (rnd_below(&s, 2) ? S390AP_GR0_T : 0);
		o.ret = rig_exec(r, INSN_PQAP, false, &o.res);
	} else if (kind < 54) { /* RAPQ, ZAPQ */
		r->gr[0] = (uint64_t)(rnd_below(&s, 2) ? S390AP_FC_ZAPQ : S390AP_FC_RAPQ)
				   << S390AP_GR0_FC_SHIFT |
			   apqn;
		o.ret = rig_exec(r, INSN_PQAP, false, &o.res);
	} else if (kind < 61) { /* AQIC */
		r->gr[0] = (uint64_t)S390AP_FC_AQIC << S390AP_GR0_FC_SHIFT | apqn;
		r->gr[1] = (rnd_below(&s, 3) ? S390AP_AQIC_IR : 0) | rnd_below(&s, 8);
		r->gr[2] = rnd_below(&s, 10) ? NIB_AT + rnd_below(&s, 64) : 0;
		o.ret = rig_exec(r, INSN_PQAP, false, &o.res);
	} else if (kind < 63) { /* QCI */
		r->gr[0] = (uint64_t)S390AP_FC_QCI << S390AP_GR0_FC_SHIFT;
		r->gr[2] = QCI_AT;
		o.ret = rig_exec(r, INSN_PQAP, false, &o.res);
	} else if (kind < 67) { /* BAPQ, AAPQ in an SE guest */
		r->gr[0] = (uint64_t)(rnd_below(&s, 2) ? S390AP_FC_AAPQ : S390AP_FC_BAPQ)
				   << S390AP_GR0_FC_SHIFT |
			   apqn;
		r->gr[1] = 0;
		r->gr[2] = rnd_below(&s, 8) ? rnd_below(&s, 4) : 0xffffffffu;
		o.ret = rig_exec(r, INSN_PQAP, true, &o.res);
	} else if (kind < 82) { /* the clock */
		unsigned how = rnd_below(&s, 10);
		uint64_t c = how == 0 ? 0 : how < 8 ? rnd_below(&s, 20000) : rnd_below(&s, 2000000);

		o.ret = s390ap_machine_advance(r->m, c);
	} else if (kind < 88) { /* injected faults */
		switch (rnd_below(&s, 4)) {
		case 0:
			o.ret = s390ap_queue_busy(r->m, apqn, rnd_below(&s, 5000));
			break;
		case 1:
			o.ret = s390ap_queue_delay_reply(r->m, apqn, rnd_below(&s, 60000));
			break;
		case 2:
			o.ret = s390ap_queue_lose_reply(r->m, apqn);
			break;
		default:
			o.ret = s390ap_queue_fail_assoc(r->m, apqn, rnd_below(&s, 2) ? 0x35 : 0x36);
			break;
		}
	} else if (kind < 95) { /* the host */
		bool on = rnd_below(&s, 2);
		s390ap_adapter_opts ao = { .type = S390AP_TYPE_CEX6, .depth = 3, .ml = 4 };

		switch (rnd_below(&s, 12)) {
		case 0:
			o.ret = s390ap_adapter_checkstop(r->m, apid, on);
			break;
		case 1:
			o.ret = s390ap_adapter_configure(r->m, apid, on);
			break;
		case 2:
			o.ret = s390ap_queue_reset(r->m, apqn, on);
			break;
		case 3:
			o.ret = s390ap_domain_add(r->m, rnd_below(&s, 2) ? 4 : 9, on, true);
			break;
		case 4:
			o.ret = s390ap_domain_remove(r->m, rnd_below(&s, 2) ? 4 : 9);
			break;
		case 5: /* adapter 5 keeps its engine: never removed */
			o.ret = s390ap_adapter_remove(r->m, apid == 5 ? 7 : apid);
			break;
		case 6:
			o.ret = s390ap_adapter_add(r->m, apid == 5 ? 1 : apid, &ao);
			break;
		case 7:
			o.ret = rnd_below(&s, 8)
					? 0
					: s390ap_machine_reset(r->m, on ? S390AP_RESET_CLEAR
									: S390AP_RESET_SYSTEM);
			break;
		case 8:
		case 9: {
			bool was = false;

			o.ret = s390ap_machine_irq_ack(r->m, rnd_below(&s, 8), &was);
			o.res.cc = was;
			break;
		}
		default:
			o.ret = s390ap_machine_set_mem_limit(
				r->m, rnd_below(&s, 2) ? 0 : 20000 + rnd_below(&s, 80000));
			break;
		}
	} else { /* an asynchronous engine's reply, by a guessed token */
		size_t len = rnd_below(&s, 40);

		for (size_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rnd_next(&s);
		o.ret = s390ap_queue_complete(r->m, S390AP_APQN(5, apqi), rnd_below(&s, 48), buf,
					      len);
	}
	return o;
}

/* A machine of every facility with three adapters (1 accelerator, 2 CCA
 * with 2 slots, 5 EP11 on the asynchronous engine), usage domains 3 and 9,
 * control domain 0; constants from the seed. */
static void rig_random(struct rig *r, uint64_t *s)
{
	static const uint32_t cpu_det[] = { 64, 200, 4096 };
	static const uint64_t irq_cyc[] = { 1, 500, 3000 };
	s390ap_machine_opts o = { .facilities = S390AP_FAC_ALL, .facilities_set = true };
	s390ap_adapter_opts a1 = { .type = S390AP_TYPE_CEX8, .mode = S390AP_MODE_ACCEL };
	s390ap_adapter_opts a2 = { .type = S390AP_TYPE_CEX7, .mode = S390AP_MODE_CCA, .depth = 2 };
	s390ap_adapter_opts a5 = { .type = S390AP_TYPE_CEX8, .mode = S390AP_MODE_EP11, .ml = 5 };

	rig_mem(r);
	o.storage = &r->st;
	o.cpu_determined = cpu_det[rnd_below(s, ARRAY_SIZE(cpu_det))];
	o.irq_cycles = irq_cyc[rnd_below(s, ARRAY_SIZE(irq_cyc))];
	o.reset_cycles = rnd_below(s, 2) ? 1 : 3000;
	ck_assert_int_eq(s390ap_machine_new(&r->m, &o), 0);
	ck_assert_int_eq(s390ap_domain_add(r->m, 3, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(r->m, 9, true, false), 0);
	ck_assert_int_eq(s390ap_domain_add(r->m, 0, false, true), 0);
	ck_assert_int_eq(s390ap_adapter_add(r->m, 1, &a1), 0);
	ck_assert_int_eq(s390ap_adapter_add(r->m, 2, &a2), 0);
	ck_assert_int_eq(s390ap_adapter_add(r->m, 5, &a5), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(r->m, 5, &async_engine), 0);
}

/* b becomes a copy of a through an image: a fresh machine on a copy of
 * a's storage, the engine the host would install again, the registers. */
#define NO_ASYNC 256u /* no adapter: every engine a crypto engine */

static void rig_clone(struct rig *b, const struct rig *a, unsigned async_apid)
{
	void *img;
	size_t len;

	rig_empty(b);
	ck_assert_int_eq(s390ap_mem_write(b->mem, 0, s390ap_mem_data(a->mem), MEM_SIZE), 0);
	save(a->m, &img, &len);
	restore_ok(b->m, img, len);
	if (s390ap_adapter_info_get(b->m, async_apid, &(s390ap_adapter_info){ 0 }) == 0)
		ck_assert_int_eq(s390ap_adapter_set_engine(b->m, async_apid, &async_engine), 0);
	memcpy(b->gr, a->gr, sizeof b->gr);
	/* b saves to the very bytes it was restored from */
	assert_image(b->m, img, len);
	s390ap_state_free(img);
}

#define RANDOM_RUNS 200
#define RANDOM_OPS 160

START_TEST(test_state_random_continue)
{
	uint64_t s = 0x5eed0000ull + (uint64_t)_i * 7919u;
	unsigned cut = 1 + rnd_below(&s, RANDOM_OPS - 1);
	struct rig a, b;
	void *ia, *ib;
	size_t la, lb;
	const char *d;

	rig_random(&a, &s);
	memset(&b, 0, sizeof b);
	for (unsigned step = 0; step < RANDOM_OPS; step++) {
		uint64_t op = rnd_next(&s);
		struct outcome oa, ob;

		if (step == cut) {
			rig_clone(&b, &a, 5);
			assert_same(&a, &b, (int)step);
		}
		oa = apply_op(&a, op);
		if (step < cut)
			continue;
		ob = apply_op(&b, op);
		d = oa.ret != ob.ret                          ? "return codes"
		    : memcmp(&oa.res, &ob.res, sizeof oa.res) ? "instruction results"
							      : difference(&a, &b);
		if (d)
			ck_abort_msg("seed %d step %u: %s differ (cc %u/%u rc %02x/%02x pgm %u/%u)",
				     _i, step, d, oa.res.cc, ob.res.cc, oa.res.rc, ob.res.rc,
				     oa.res.pgm, ob.res.pgm);
	}
	save(a.m, &ia, &la);
	save(b.m, &ib, &lb);
	ck_assert_uint_eq(la, lb);
	ck_assert_msg(memcmp(ia, ib, la) == 0, "final images differ");
	s390ap_state_free(ia);
	s390ap_state_free(ib);
	rig_free(&a);
	rig_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Round trips of chosen states                                         */
/* ------------------------------------------------------------------ */
START_TEST(test_state_idle_default)
{
	struct rig a, b, c;

	rig_default(&a);
	rig_empty(&b);
	rig_default(&c);
	round_trip(a.m, b.m);
	round_trip(a.m, c.m);
	assert_same(&a, &b, 0);
	assert_same(&a, &c, 0);
	ck_assert_uint_eq(s390ap_machine_next_event(b.m), S390AP_NO_EVENT);
	rig_free(&a);
	rig_free(&b);
	rig_free(&c);
}
END_TEST

/* One NQAP from the rig's registers; the result. */
static s390ap_insn_result nq(struct rig *r, uint16_t apqn, uint64_t psmid, size_t len, bool last)
{
	uint8_t msg[256];
	s390ap_insn_result res;

	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7 + psmid);
	msg[0] = 0; /* the asynchronous engine answers at once */
	ck_assert_int_eq(s390ap_mem_write(r->mem, MSG_AT, msg, sizeof msg), 0);
	r->gr[0] = apqn | (last ? S390AP_NQAP_L : 0);
	r->gr[NQ_R1] = psmid >> 32;
	r->gr[NQ_R1 + 1] = psmid & 0xffffffffu;
	r->gr[NQ_R2] = MSG_AT;
	r->gr[NQ_R2 + 1] = len;
	ck_assert_int_eq(rig_exec(r, INSN_NQAP, false, &res), 0);
	return res;
}

static s390ap_insn_result dq(struct rig *r, uint16_t apqn, size_t len, bool fresh)
{
	s390ap_insn_result res;

	r->gr[0] = apqn;
	r->gr[DQ_R2] = BUF_AT;
	r->gr[DQ_R2 + 1] = len;
	if (fresh)
		r->gr[2] = 0;
	ck_assert_int_eq(rig_exec(r, INSN_DQAP, false, &res), 0);
	return res;
}

static s390ap_insn_result pqap(struct rig *r, unsigned fc, uint16_t apqn, uint64_t gr1,
			       uint64_t gr2, bool se)
{
	s390ap_insn_result res;

	r->gr[0] = (uint64_t)fc << S390AP_GR0_FC_SHIFT | apqn;
	r->gr[1] = gr1;
	r->gr[2] = gr2;
	ck_assert_int_eq(rig_exec(r, INSN_PQAP, se, &res), 0);
	return res;
}

/* Run a and its clone side by side through the same steps. */
static void continue_both(struct rig *a, struct rig *b, int steps)
{
	for (int i = 0; i < steps; i++) {
		s390ap_insn_result ra, rb;

		ck_assert_int_eq(s390ap_machine_advance(a->m, 700), 0);
		ck_assert_int_eq(s390ap_machine_advance(b->m, 700), 0);
		ra = dq(a, ACC, 40, false);
		rb = dq(b, ACC, 40, false);
		ck_assert(memcmp(&ra, &rb, sizeof ra) == 0);
		ra = dq(a, CCA, 40, false);
		rb = dq(b, CCA, 40, false);
		ck_assert(memcmp(&ra, &rb, sizeof ra) == 0);
		assert_same(a, b, i);
	}
}

START_TEST(test_state_busy_default)
{
	struct rig a, b;
	s390ap_insn_result res;

	rig_default(&a);
	/* requests in flight, one reply ready and half transferred */
	res = nq(&a, ACC, 1, 100, true);
	ck_assert_uint_eq(res.cc, 0);
	res = nq(&a, ACC, 2, 50, true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_int_eq(s390ap_machine_advance(a.m, 100000), 0);
	res = dq(&a, ACC, 3, true);
	ck_assert_uint_eq(res.cc, 1);
	ck_assert_uint_ne(a.gr[2], 0);
	res = nq(&a, ACC, 3, 100, true);
	ck_assert_uint_eq(res.cc, 0);
	/* a partial NQAP assembly on another queue */
	res = nq(&a, CCA, 7, 60, false);
	ck_assert_uint_eq(res.cc, 1); /* part kept, more to come */
	res = nq(&a, CCA, 7, 61, false);
	ck_assert_uint_eq(res.cc, 1);
	/* AQIC change pending, a reset pending, injected faults */
	res = pqap(&a, S390AP_FC_AQIC, S390AP_APQN(3, 7), S390AP_AQIC_IR | 3, NIB_AT, false);
	ck_assert_uint_eq(res.cc, 0);
	res = pqap(&a, S390AP_FC_RAPQ, EP11, 0, 0, false);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_int_eq(s390ap_queue_busy(a.m, S390AP_APQN(4, 7), 3000), 0);
	ck_assert_int_eq(s390ap_queue_delay_reply(a.m, S390AP_APQN(4, 0x47), 9000), 0);
	ck_assert_int_eq(s390ap_queue_lose_reply(a.m, S390AP_APQN(3, 0x47)), 0);
	ck_assert_int_eq(s390ap_adapter_checkstop(a.m, 5, true), 0);
	ck_assert_int_eq(s390ap_machine_set_mem_limit(a.m, 1u << 20), 0);
	ck_assert_uint_ne(s390ap_machine_next_event(a.m), S390AP_NO_EVENT);

	rig_clone(&b, &a, NO_ASYNC);
	assert_same(&a, &b, -1);
	/* the rest of the transfer and the assembly go on alike */
	continue_both(&a, &b, 12);
	res = nq(&a, CCA, 7, 10, true);
	ck_assert_uint_eq(res.cc, 0);
	res = nq(&b, CCA, 7, 10, true);
	ck_assert_uint_eq(res.cc, 0);
	continue_both(&a, &b, 40);
	round_trip(a.m, b.m);
	rig_free(&a);
	rig_free(&b);
}
END_TEST

START_TEST(test_state_async_and_se)
{
	s390ap_machine_opts o = { .facilities = S390AP_FAC_ALL, .facilities_set = true };
	s390ap_adapter_opts ep = { .mode = S390AP_MODE_EP11 };
	uint16_t q0 = S390AP_APQN(2, 1), q1 = S390AP_APQN(2, 2);
	uint8_t msg[8] = { 1, 2, 3 }, rep[16] = { 9, 9 };
	struct rig a, b;
	s390ap_insn_result res;

	rig_mem(&a);
	o.storage = &a.st;
	ck_assert_int_eq(s390ap_machine_new(&a.m, &o), 0);
	ck_assert_int_eq(s390ap_domain_add(a.m, 1, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(a.m, 2, true, true), 0);
	ck_assert_int_eq(s390ap_adapter_add(a.m, 2, &ep), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(a.m, 2, &async_engine), 0);
	/* SE: bind q0 and start its association; q1 bound, association to fail */
	res = pqap(&a, S390AP_FC_BAPQ, q0, 0, 0, true);
	ck_assert_uint_eq(res.cc, 0);
	res = pqap(&a, S390AP_FC_AAPQ, q0, 0, 1, true);
	ck_assert_uint_eq(res.cc, 0);
	res = pqap(&a, S390AP_FC_BAPQ, q1, 0, 0, true);
	ck_assert_uint_eq(res.cc, 0);
	ck_assert_int_eq(s390ap_queue_fail_assoc(a.m, q1, 0x36), 0);
	res = pqap(&a, S390AP_FC_AAPQ, q1, 0, 2, true);
	ck_assert_uint_eq(res.cc, 0);
	/* two requests the engine answers later (first byte 1) */
	ck_assert_int_eq(s390ap_mem_write(a.mem, MSG_AT, msg, sizeof msg), 0);
	for (unsigned i = 0; i < 2; i++) {
		a.gr[0] = q0 | S390AP_NQAP_L;
		a.gr[NQ_R1] = 0;
		a.gr[NQ_R1 + 1] = 10 + i;
		a.gr[NQ_R2] = MSG_AT;
		a.gr[NQ_R2 + 1] = sizeof msg;
		ck_assert_int_eq(rig_exec(&a, INSN_NQAP, false, &res), 0);
		ck_assert_uint_eq(res.cc, 0);
	}
	ck_assert_uint_eq(s390ap_machine_next_event(a.m) != S390AP_NO_EVENT, 1);

	rig_clone(&b, &a, 2);
	/* the tokens are the same on both: complete them alike */
	for (uint64_t t = 0; t < 8; t++) {
		int ra = s390ap_queue_complete(a.m, q0, t, rep, sizeof rep);
		int rb = s390ap_queue_complete(b.m, q0, t, rep, sizeof rep);

		ck_assert_int_eq(ra, rb);
	}
	ck_assert_uint_eq(s390ap_machine_rc_count(a.m, 0) > 0, 1);
	for (int i = 0; i < 10; i++) {
		ck_assert_int_eq(s390ap_machine_advance(a.m, 1000), 0);
		ck_assert_int_eq(s390ap_machine_advance(b.m, 1000), 0);
		assert_same(&a, &b, i);
	}
	{
		s390ap_queue_info i0, i1;

		ck_assert_int_eq(s390ap_queue_info_get(b.m, q0, &i0), 0);
		ck_assert_int_eq(s390ap_queue_info_get(b.m, q1, &i1), 0);
		ck_assert_uint_eq(i0.bs, 0); /* associated */
		ck_assert_uint_eq(i0.replies, 2);
		ck_assert_uint_eq(i1.async_rc, 0x36);
	}
	round_trip(a.m, b.m);
	rig_free(&a);
	rig_free(&b);
}
END_TEST

/* The crypto engine's random-number stream goes on where it was. */
START_TEST(test_state_engine_rng)
{
	static const size_t takes[] = { 0, 1, 15, 16, 17, 33, 100 };
	s390ap_crypto_opts co = { .rng_seed = 1234 + (uint64_t)_i, .reduce_input = true };
	s390ap_engine e1, e2, e3;
	uint8_t blob[64], blob2[64], x[128], y[128];
	size_t n = 0, n2 = 0;

	ck_assert_int_eq(s390ap_crypto_engine_new(&e1, &co), 0);
	ck_assert_int_eq(s390ap_default_engine(&e2), 0);
	ck_assert(e1.save != NULL);
	ck_assert(e1.restore != NULL);
	ck_assert_int_eq(eng_rng_bytes(&((struct eng_ctx *)e1.ctx)->rng, x, takes[_i]), 0);
	/* too small a buffer: the size needed */
	ck_assert_int_eq(e1.save(e1.ctx, blob, 3, &n), S390AP_ENOSPC);
	ck_assert_uint_eq(n, 22);
	ck_assert_int_eq(e1.save(e1.ctx, blob, sizeof blob, &n), 0);
	ck_assert_int_eq(e2.restore(e2.ctx, blob, n), 0);
	ck_assert(((struct eng_ctx *)e2.ctx)->opts.reduce_input);
	ck_assert_int_eq(e2.save(e2.ctx, blob2, sizeof blob2, &n2), 0);
	ck_assert_uint_eq(n, n2);
	ck_assert(memcmp(blob, blob2, n) == 0);
	for (unsigned k = 0; k < 3; k++) {
		ck_assert_int_eq(eng_rng_bytes(&((struct eng_ctx *)e1.ctx)->rng, x, 37), 0);
		ck_assert_int_eq(eng_rng_bytes(&((struct eng_ctx *)e2.ctx)->rng, y, 37), 0);
		ck_assert(memcmp(x, y, 37) == 0);
	}
	/* a bad blob leaves the engine as it was */
	ck_assert_int_eq(e2.save(e2.ctx, blob, sizeof blob, &n), 0);
	memcpy(blob2, blob, n);
	blob2[5] = 0x80;
	ck_assert_int_eq(e2.restore(e2.ctx, blob2, n), S390AP_EINVAL);
	ck_assert_int_eq(e2.restore(e2.ctx, blob, n - 1), S390AP_EINVAL);
	ck_assert_int_eq(e2.save(e2.ctx, blob2, sizeof blob2, &n2), 0);
	ck_assert(memcmp(blob, blob2, n) == 0);
	/* the OS generator has no stream position */
	ck_assert_int_eq(s390ap_crypto_engine_new(&e3, &(s390ap_crypto_opts){ .rng_os = true }), 0);
	ck_assert_int_eq(e3.save(e3.ctx, blob, sizeof blob, &n), 0);
	ck_assert_uint_eq(blob[5] & 1, 1);
	ck_assert_uint_eq(be_get64(blob + 14), 0);
	ck_assert_int_eq(e2.restore(e2.ctx, blob, n), 0);
	ck_assert(((struct eng_ctx *)e2.ctx)->rng.os);
	e1.destroy(e1.ctx);
	e2.destroy(e2.ctx);
	e3.destroy(e3.ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Engines, hooks and the machine's own objects                         */
/* ------------------------------------------------------------------ */
struct eng_probe {
	int destroyed, processed;
};

static int probe_process(void *ctx, const s390ap_engine_request *req, s390ap_engine_reply *rep)
{
	(void)req;
	((struct eng_probe *)ctx)->processed++;
	rep->buf[0] = 0x11;
	rep->len = 1;
	return 0;
}

static void probe_destroy(void *ctx)
{
	((struct eng_probe *)ctx)->destroyed++;
}

START_TEST(test_state_engines_kept_and_removed)
{
	struct eng_probe p3 = { 0 }, p9 = { 0 };
	s390ap_engine e3 = { .process = probe_process, .destroy = probe_destroy, .ctx = &p3 };
	s390ap_engine e9 = { .process = probe_process, .destroy = probe_destroy, .ctx = &p9 };
	struct rig a, b;
	void *img, *before;
	size_t len, blen;

	rig_default(&a);
	rig_default(&b);
	ck_assert_int_eq(s390ap_adapter_add(b.m, 9, NULL), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(b.m, 9, &e9), 0);
	ck_assert_int_eq(s390ap_adapter_set_engine(b.m, 3, &e3), 0);
	save(a.m, &img, &len);
	/* adapter 3's engine cannot take the crypto engine's state: refused,
	 * nothing changes */
	save(b.m, &before, &blen);
	ck_assert_int_eq(s390ap_machine_restore(b.m, img, len), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(b.m), "adapter 03"));
	assert_image(b.m, before, blen);
	ck_assert_int_eq(p9.destroyed, 0);
	s390ap_state_free(before);
	s390ap_state_free(img);

	/* an image whose adapter 3 has a stateless engine: kept */
	ck_assert_int_eq(s390ap_adapter_set_engine(a.m, 3,
						   &(s390ap_engine){ .process = async_process }),
			 0);
	save(a.m, &img, &len);
	restore_ok(b.m, img, len);
	ck_assert_int_eq(p9.destroyed, 1); /* adapter 9 is gone with its engine */
	ck_assert_int_eq(p3.destroyed, 0);
	ck_assert_int_eq(s390ap_adapter_info_get(b.m, 9, &(s390ap_adapter_info){ 0 }),
			 S390AP_ENOENT);
	(void)nq(&b, ACC, 1, 20, true);
	ck_assert_int_eq(p3.processed, 1); /* adapter 3 kept b's engine */
	s390ap_state_free(img);
	rig_free(&a);
	rig_free(&b);
	ck_assert_int_eq(p3.destroyed, 1);
}
END_TEST

struct hook_rec {
	int calls;
	int restore_rc;
	const void *img;
	size_t len;
};

static void rec_deadline(void *ctx, const s390ap_machine *mm, uint64_t next)
{
	struct hook_rec *h = ctx;

	(void)next;
	h->calls++;
	if (h->img)
		h->restore_rc = s390ap_machine_restore((s390ap_machine *)mm, h->img, h->len);
}

static void rec_irq(void *ctx, const s390ap_machine *mm, unsigned isc)
{
	(void)mm;
	(void)isc;
	((struct hook_rec *)ctx)->calls++;
}

static void rec_config(void *ctx, const s390ap_machine *mm, const s390ap_config_change *c)
{
	(void)mm;
	(void)c;
	((struct hook_rec *)ctx)->calls++;
}

START_TEST(test_state_hooks)
{
	struct hook_rec h = { 0 };
	s390ap_machine_hooks hooks = {
		.irq = rec_irq, .deadline = rec_deadline, .config = rec_config, .ctx = &h
	};
	struct rig a, b;
	void *img;
	size_t len;

	rig_default(&a);
	rig_empty(&b);
	(void)nq(&a, ACC, 1, 20, true);
	save(a.m, &img, &len);
	ck_assert_int_eq(s390ap_machine_set_hooks(b.m, &hooks), 0);
	restore_ok(b.m, img, len);
	ck_assert_int_eq(h.calls, 0); /* no callback from a restore */
	ck_assert_uint_eq(s390ap_machine_next_event(b.m), s390ap_machine_next_event(a.m));
	/* from inside a callback: refused */
	h.img = img;
	h.len = len;
	h.restore_rc = 1;
	ck_assert_int_eq(s390ap_machine_advance(b.m, 1000000), 0);
	ck_assert_int_eq(h.restore_rc, S390AP_EBUSY);
	ck_assert_int_gt(h.calls, 0);
	/* storage stays: the NIB lands in b's */
	ck_assert_int_eq(s390ap_machine_restore(NULL, img, len), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_restore(b.m, NULL, len), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_save(NULL, &img, &len), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_save(a.m, NULL, &len), S390AP_EINVAL);
	s390ap_state_free(NULL);
	s390ap_state_free(img);
	rig_free(&a);
	rig_free(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Damaged and hostile images                                           */
/* ------------------------------------------------------------------ */
/* A small machine with something in every section. */
static void rig_small(struct rig *r)
{
	s390ap_adapter_opts ao = { .mode = S390AP_MODE_ACCEL };

	rig_empty(r);
	ck_assert_int_eq(s390ap_domain_add(r->m, 6, true, true), 0);
	ck_assert_int_eq(s390ap_adapter_add(r->m, 3, &ao), 0);
	(void)nq(r, ACC, 1, 30, true);
	ck_assert_int_eq(s390ap_machine_advance(r->m, 100000), 0);
	(void)nq(r, ACC, 2, 30, true);
	(void)pqap(r, S390AP_FC_AQIC, ACC, S390AP_AQIC_IR, NIB_AT, false);
}

/* Where section `tag` starts its payload in img (0 if absent); *plen
 * its length. */
static size_t find_sec(const uint8_t *img, size_t len, uint32_t tag, unsigned nth, size_t *plen)
{
	size_t at = SER_HDR_LEN;

	while (at + SER_SEC_HDR_LEN <= len) {
		uint32_t t = be_get32(img + at);
		size_t n = (size_t)be_get64(img + at + 8);

		if (t == tag && nth-- == 0) {
			*plen = n;
			return at + SER_SEC_HDR_LEN;
		}
		at += SER_SEC_HDR_LEN + n;
	}
	return 0;
}

/* The CRC-32 in the END section made right again after a patch. */
static void fix_crc(uint8_t *img, size_t len)
{
	be_put32(img + len - 4, ser_crc32(img, len - SER_SEC_HDR_LEN - 4));
}

START_TEST(test_state_truncated)
{
	struct rig a;
	void *img, *ref;
	size_t len, rlen;

	rig_small(&a);
	save(a.m, &img, &len);
	save(a.m, &ref, &rlen);
	for (size_t n = 0; n < len; n++) {
		ck_assert_int_eq(s390ap_machine_restore(a.m, img, n), S390AP_EINVAL);
		ck_assert(strncmp(s390ap_machine_errmsg(a.m), "state: ", 7) == 0);
	}
	assert_image(a.m, ref, rlen);
	s390ap_state_free(img);
	s390ap_state_free(ref);
	rig_free(&a);
}
END_TEST

START_TEST(test_state_byte_flips)
{
	struct rig a;
	uint8_t *img;
	void *p;
	size_t len;
	unsigned crc_msgs = 0;

	rig_small(&a);
	save(a.m, &p, &len);
	img = p;
	for (size_t i = 0; i < len; i++) {
		img[i] ^= 0x20;
		ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
		if (strstr(s390ap_machine_errmsg(a.m), "CRC-32 mismatch"))
			crc_msgs++;
		img[i] ^= 0x20;
	}
	/* every payload byte is covered by the CRC: only the header and the
	 * section headers (framing) can give another message */
	ck_assert_uint_ge(crc_msgs, len - 16 * 12);
	assert_image(a.m, img, len);
	s390ap_state_free(img);
	rig_free(&a);
}
END_TEST

/* Patch one field of a valid image (CRC made right) and expect refusal
 * with a message containing `want`. */
struct patch {
	uint32_t tag;
	unsigned nth;
	size_t off;
	unsigned width;
	uint64_t value;
	const char *want;
};

static const struct patch patches[] = {
	{ SER_TAG('M', 'A', 'C', 'H'), 0, 0, 4, 0xffffffffu, "facilities" },
	{ SER_TAG('M', 'A', 'C', 'H'), 0, 34, 4, 0, "cycles per microsecond" },
	{ SER_TAG('M', 'A', 'C', 'H'), 0, 46, 8, 12345, "bytes held" },
	{ SER_TAG('M', 'A', 'C', 'H'), 0, 90, 8, 100, "event slots" },
	{ SER_TAG('M', 'A', 'S', 'K'), 0, 0, 1, 0xff, "ADAP section" },
	{ SER_TAG('A', 'D', 'A', 'P'), 0, 1, 1, 9, "type 9" },
	{ SER_TAG('A', 'D', 'A', 'P'), 0, 4, 1, 17, "depth 17" },
	{ SER_TAG('A', 'D', 'A', 'P'), 0, 9, 1, 0x80, "facilities" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 23, 1, 9, "ISC 9" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 2, 8, 1u << 30, "generation" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 20, 1, 2, "truncated or a flag" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 19, 1, 1, "reset pending 1, reset events 0" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 22, 1, 0, "AQIC change" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 36, 1, 9, "guest ISC 9" },
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 32, 4, 0x1008, "16-byte boundary" },
	/* the first request's length (after 82 fixed bytes, the assembly
	 * flag, the transfer, the count and 19 bytes of the request): over
	 * the 12 KiB maximum */
	{ SER_TAG('Q', 'U', 'E', 'U'), 0, 82 + 1 + 5 + 4 + 19, 4, 20000,
	  "request length 20000 exceeds the adapter's maximum 12288" },
	{ SER_TAG('E', 'V', 'N', 'T'), 0, 4 + 12, 1, 7, "kind 7" },
	{ SER_TAG('E', 'V', 'N', 'T'), 0, 4, 8, 0, "before now" },
	{ SER_TAG('E', 'V', 'N', 'T'), 0, 0, 4, 5, "events in" },
	{ SER_TAG('I', 'R', 'Q', 'C'), 0, 4 + 14, 1, 3, "not 0/1" },
	{ SER_TAG('I', 'R', 'Q', 'C'), 0, 4 + 8, 4, 0xfffffff0u, "rank" },
};

START_TEST(test_state_bad_values)
{
	const struct patch *pt = &patches[_i];
	struct rig a;
	uint8_t *img;
	void *p;
	size_t len, plen = 0, at;

	rig_small(&a);
	save(a.m, &p, &len);
	img = p;
	at = find_sec(img, len, pt->tag, pt->nth, &plen);
	ck_assert_uint_ne(at, 0);
	ck_assert_uint_le(pt->off + pt->width, plen);
	be_put(img + at + pt->off, pt->width, pt->value);
	fix_crc(img, len);
	ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
	ck_assert_msg(strstr(s390ap_machine_errmsg(a.m), pt->want) != NULL, "patch %d: \"%s\"", _i,
		      s390ap_machine_errmsg(a.m));
	ck_assert(strncmp(s390ap_machine_errmsg(a.m), "state: ", 7) == 0);
	s390ap_state_free(img);
	rig_free(&a);
}
END_TEST

/* Images put together with the writer. */
START_TEST(test_state_bad_structure)
{
	struct rig a;
	struct ser_w w;
	void *img, *good;
	size_t len, glen, plen, at;
	const uint8_t *g;

	rig_small(&a);
	save(a.m, &good, &glen);
	g = good;

	/* another kind, a newer version */
	ser_w_init(&w, 1, SER_KIND_SYS);
	ck_assert_int_eq(ser_w_finish(&w, &img, &len), 0);
	ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(a.m), "other kind"));
	free(img);
	ser_w_init(&w, 3, SER_KIND_MACHINE);
	ck_assert_int_eq(ser_w_finish(&w, &img, &len), 0);
	ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(a.m), "version"));
	free(img);

	/* no sections at all */
	ser_w_init(&w, 2, SER_KIND_MACHINE);
	ck_assert_int_eq(ser_w_finish(&w, &img, &len), 0);
	ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(a.m), "missing"));
	free(img);

	/* the good sections with an unknown one after MASK */
	ser_w_init(&w, 2, SER_KIND_MACHINE);
	at = find_sec(g, glen, SER_TAG('M', 'A', 'S', 'K'), 0, &plen);
	ser_put_bytes(&w, g + SER_HDR_LEN, at + plen - SER_HDR_LEN);
	{
		size_t mk = ser_sec_begin(&w, SER_TAG('X', 'T', 'R', 'A'));

		ser_put_u32(&w, 1);
		ser_sec_end(&w, mk);
	}
	ser_put_bytes(&w, g + at + plen, glen - (at + plen) - SER_SEC_HDR_LEN - 4);
	ck_assert_int_eq(ser_w_finish(&w, &img, &len), 0);
	ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(a.m), "section XTRA"));
	free(img);

	/* the QUEU section left out */
	ser_w_init(&w, 2, SER_KIND_MACHINE);
	at = find_sec(g, glen, SER_TAG('Q', 'U', 'E', 'U'), 0, &plen);
	ser_put_bytes(&w, g + SER_HDR_LEN, at - SER_SEC_HDR_LEN - SER_HDR_LEN);
	ser_put_bytes(&w, g + at + plen, glen - (at + plen) - SER_SEC_HDR_LEN - 4);
	ck_assert_int_eq(ser_w_finish(&w, &img, &len), 0);
	ck_assert_int_eq(s390ap_machine_restore(a.m, img, len), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_machine_errmsg(a.m), "no QUEU section"));
	free(img);

	/* the good image still restores, the machine unchanged by all this */
	assert_image(a.m, good, glen);
	restore_ok(a.m, good, glen);
	assert_image(a.m, good, glen);
	s390ap_state_free(good);
	rig_free(&a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* util/ser                                                             */
/* ------------------------------------------------------------------ */
START_TEST(test_ser_round_trip)
{
	struct ser_w w;
	struct ser_r body, pl;
	void *img;
	size_t len, mark;
	uint16_t ver = 0;
	uint32_t tag = 0;
	const uint8_t *b;

	ser_w_init(&w, 3, SER_KIND_MACHINE);
	mark = ser_sec_begin(&w, SER_TAG('T', 'E', 'S', 'T'));
	ser_put_u8(&w, 0x12);
	ser_put_u16(&w, 0x3456);
	ser_put_u32(&w, 0x789abcdeu);
	ser_put_u64(&w, 0x0123456789abcdefull);
	ser_put_bool(&w, true);
	ser_put_bytes(&w, "xyz", 3);
	ser_sec_end(&w, mark);
	ck_assert_int_eq(ser_w_finish(&w, &img, &len), 0);
	ck_assert_ptr_null(w.buf);
	b = img;
	ck_assert_uint_eq(len, 16 + 16 + 19 + 16 + 4);
	ck_assert(memcmp(b, "S390APST\0\3\0\1\0\0\0\0", 16) == 0);
	ck_assert_uint_eq(be_get32(b + 16), SER_TAG('T', 'E', 'S', 'T'));
	ck_assert_uint_eq(be_get64(b + 24), 19);
	ck_assert_uint_eq(b[32], 0x12);
	ck_assert_uint_eq(be_get64(b + 39), 0x0123456789abcdefull);

	ck_assert_int_eq(ser_open(img, len, SER_KIND_MACHINE, 3, &body, &ver), SER_OK);
	ck_assert_uint_eq(ver, 3);
	ck_assert(ser_sec_next(&body, &tag, &pl));
	ck_assert_uint_eq(tag, SER_TAG('T', 'E', 'S', 'T'));
	ck_assert_uint_eq(ser_get_u8(&pl), 0x12);
	ck_assert_uint_eq(ser_get_u16(&pl), 0x3456);
	ck_assert_uint_eq(ser_get_u32(&pl), 0x789abcdeu);
	ck_assert(ser_get_u64(&pl) == 0x0123456789abcdefull);
	ck_assert(ser_get_bool(&pl));
	ck_assert(memcmp(ser_get_bytes(&pl, 3), "xyz", 3) == 0);
	ck_assert(ser_done(&pl));
	/* a short read: zeros, and the reader stays bad */
	ck_assert_uint_eq(ser_get_u32(&pl), 0);
	ck_assert(pl.bad);
	ck_assert_ptr_null(ser_get_bytes(&pl, 0));
	ck_assert(!ser_sec_next(&body, &tag, &pl));
	ck_assert(!body.bad);

	/* the open errors */
	ck_assert_int_eq(ser_open(img, len, SER_KIND_SYS, 3, &body, &ver), SER_EKIND);
	ck_assert_int_eq(ser_open(img, len, SER_KIND_MACHINE, 2, &body, &ver), SER_EVERSION);
	ck_assert_int_eq(ser_open(img, 35, SER_KIND_MACHINE, 3, &body, &ver), SER_ESHORT);
	ck_assert_int_eq(ser_open(NULL, len, SER_KIND_MACHINE, 3, &body, &ver), SER_ESHORT);
	ck_assert_int_eq(ser_open(img, len - 1, SER_KIND_MACHINE, 3, &body, &ver), SER_EFRAME);
	((uint8_t *)img)[33] ^= 1;
	ck_assert_int_eq(ser_open(img, len, SER_KIND_MACHINE, 3, &body, &ver), SER_ECRC);
	((uint8_t *)img)[0] = 'X';
	ck_assert_int_eq(ser_open(img, len, SER_KIND_MACHINE, 3, &body, &ver), SER_EMAGIC);
	ck_assert_str_eq(ser_open_errstr(SER_ECRC), "CRC-32 mismatch (corrupt)");
	free(img);
}
END_TEST

START_TEST(test_ser_reader_bounds)
{
	static const uint8_t two[] = { 2, 0 };
	static const uint8_t sec[] = { 'A', 'B', 'C', 'D', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 1 };
	struct ser_r r, pl;
	uint32_t tag;

	ser_r_init(&r, two, sizeof two);
	ck_assert(!ser_get_bool(&r)); /* 2 is no bool */
	ck_assert(r.bad);
	ser_r_init(&r, two, sizeof two);
	ck_assert_uint_eq(ser_get_u16(&r), 0x0200);
	ck_assert(ser_done(&r));
	/* a section longer than what is left */
	ser_r_init(&r, sec, sizeof sec);
	ck_assert(!ser_sec_next(&r, &tag, &pl));
	ck_assert(r.bad);
	/* CRC-32 check value */
	ck_assert_uint_eq(ser_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(ser_crc32(NULL, 0), 0);
}
END_TEST

static Suite *state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc;

	tc = tcase_create("ser");
	tcase_add_test(tc, test_ser_round_trip);
	tcase_add_test(tc, test_ser_reader_bounds);
	suite_add_tcase(s, tc);

	tc = tcase_create("round_trip");
	tcase_add_test(tc, test_state_idle_default);
	tcase_add_test(tc, test_state_busy_default);
	tcase_add_test(tc, test_state_async_and_se);
	tcase_add_loop_test(tc, test_state_engine_rng, 0, 7);
	tcase_add_test(tc, test_state_engines_kept_and_removed);
	tcase_add_test(tc, test_state_hooks);
	suite_add_tcase(s, tc);

	tc = tcase_create("damaged");
	tcase_add_test(tc, test_state_truncated);
	tcase_add_test(tc, test_state_byte_flips);
	tcase_add_loop_test(tc, test_state_bad_values, 0, (int)ARRAY_SIZE(patches));
	tcase_add_test(tc, test_state_bad_structure);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_state_random_continue, 0, RANDOM_RUNS);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(state_suite());
}
