/* SPDX-License-Identifier: MIT */
/* The two AP entry paths agree: the public s390ap_execute() an embedder
 * calls, and the dispatcher's internal path (a vCPU executing the same
 * instruction through its prepared AP environment).
 *
 * Two identical systems take the same seeded random sequence of PQAP (every
 * FC, invalid ones too), NQAP and DQAP with random GR0/GR1/GR2, random and
 * odd R1/R2, random operand addresses and lengths, problem state and the
 * three addressing modes, plus fault injections and clock steps between
 * instructions.  System A runs each one through s390ap_execute() on its
 * machine; system B runs it as a program instruction (one instruction per
 * s390ap_sys_run).  After every instruction: condition code or program
 * interruption, all 16 GRs, the operand storage, every queue's state, the
 * machine's response-code and program-interruption counters and the clock
 * must be the same.
 */
#include <stdlib.h>
#include <string.h>

#include "aptest.h"

#define MEM_SIZE 0x100000ull
#define CODE 0x10000ull
#define DATA 0x20000ull
#define DATA_LEN 0x8000ull
#define STEPS 5000

/* xorshift64*: the sequence depends on the seed only. */
static uint64_t rng_state;

static uint64_t rnd64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static unsigned rnd(unsigned n)
{
	return (unsigned)(rnd64() >> 33) % n;
}

/* APQNs the machines have, lack, or half-have. */
static const uint16_t apqns[] = {
	S390AP_APQN(0x03, 0x06), S390AP_APQN(0x04, 0x06), S390AP_APQN(0x05, 0x06),
	S390AP_APQN(0x03, 0x07), S390AP_APQN(0x04, 0x47), S390AP_APQN(0x05, 0x00),
	S390AP_APQN(0x06, 0x06), /* adapter with 4 domains: no queue 6 */
	S390AP_APQN(0x06, 0x02), S390AP_APQN(0x09, 0x06), S390AP_APQN(0x03, 0x08),
	S390AP_APQN(0x43, 0x06), S390AP_APQN(0x03, 0x16),
};
#define NAPQNS ARRAY_SIZE(apqns)

/* Machine configurations: facilities and timings. */
struct cfg {
	const char *name;
	bool fac_set;
	uint32_t fac;
	uint32_t cpu_determined;
};

static const struct cfg cfgs[] = {
	{ "default", false, 0, 0 },
	{ "all facilities, 200-byte pieces", true, S390AP_FAC_ALL, 200 },
	{ "no APXA/AQIC/APFT/QCI", true, S390AP_FAC_AP | S390AP_FAC_QACT, 0 },
	{ "no AP", true, S390AP_FAC_ALL & ~S390AP_FAC_AP, 0 },
};

/* Checks in the loops: Check records every passing ck_assert (a write to
 * its pipe), so these only call it on a failure. */
#define CHECK(cond, ...)                           \
	do {                                       \
		if (!(cond))                       \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)
#define CHECK0(call) CHECK((call) == 0, "%s failed", #call)

struct side {
	s390ap_machine *m;
	s390ap_sys *sys;
};

/* Program new PSW: a disabled wait, so a program interruption stops the
 * vCPU with the code in the lowcore. */
static void pgm_new_psw(uint8_t psw[16])
{
	memset(psw, 0, 16);
	psw[1] = 0x02; /* wait */
	psw[3] = 0x01; /* EA */
	psw[4] = 0x80; /* BA */
	psw[15] = 0x0E;
}

static void make_machine(const struct cfg *c, s390ap_machine **out)
{
	s390ap_machine_opts o;
	static const struct {
		unsigned apid;
		uint8_t type;
		s390ap_mode mode;
		uint16_t domains;
	} cards[] = {
		{ 0x03, S390AP_TYPE_CEX8, S390AP_MODE_ACCEL, 0 },
		{ 0x04, S390AP_TYPE_CEX8, S390AP_MODE_CCA, 0 },
		{ 0x05, S390AP_TYPE_CEX7, S390AP_MODE_EP11, 0 },
		{ 0x06, S390AP_TYPE_CEX6, S390AP_MODE_CCA, 4 },
	};

	memset(&o, 0, sizeof o);
	o.size = sizeof(o);
	o.facilities_set = c->fac_set;
	o.facilities = c->fac;
	o.cpu_determined = c->cpu_determined;
	o.reset_cycles = 700;
	o.irq_cycles = 150;
	o.assoc_cycles = 900;
	ck_assert_int_eq(s390ap_machine_new(out, &o), 0);
	ck_assert_int_eq(s390ap_domain_add(*out, 0x06, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(*out, 0x07, true, false), 0);
	ck_assert_int_eq(s390ap_domain_add(*out, 0x02, true, true), 0);
	ck_assert_int_eq(s390ap_domain_add(*out, 0x00, false, true), 0);
	for (unsigned i = 0; i < ARRAY_SIZE(cards); i++) {
		s390ap_adapter_opts ao;

		memset(&ao, 0, sizeof ao);
		ao.size = sizeof(ao);
		ao.type = cards[i].type;
		ao.mode = cards[i].mode;
		ao.domains = cards[i].domains;
		ao.latency = 300 + 100 * i;
		ck_assert_int_eq(s390ap_adapter_add(*out, cards[i].apid, &ao), 0);
	}
}

static void side_open(struct side *s, const struct cfg *c)
{
	s390ap_sys_opts so;
	uint8_t data[DATA_LEN], psw[16];
	uint64_t seed = 0x5EED;

	make_machine(c, &s->m);
	memset(&so, 0, sizeof so);
	so.size = sizeof(so);
	so.mem_size = MEM_SIZE;
	so.machine = s->m;
	ck_assert_int_eq(s390ap_sys_new(&s->sys, &so), 0);
	/* the same random operand bytes on both sides */
	for (size_t i = 0; i < sizeof data; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		data[i] = (uint8_t)(seed >> 56);
	}
	ck_assert_int_eq(s390ap_sys_load(s->sys, DATA, data, sizeof data), 0);
	pgm_new_psw(psw);
	ck_assert_int_eq(s390ap_sys_load(s->sys, S390AP_LC_PGM_NEW_PSW, psw, sizeof psw), 0);
}

static void side_close(struct side *s)
{
	s390ap_sys_free(s->sys);
	s390ap_machine_free(s->m);
}

static uint64_t rand_addr(void)
{
	uint64_t low = DATA + rnd((unsigned)DATA_LEN);

	switch (rnd(10)) {
	case 0:
		return low & ~7ull;
	case 1:
		return MEM_SIZE - 1 - rnd(64); /* runs off the end of storage */
	case 2:
		return MEM_SIZE + rnd(0x100000); /* outside storage */
	case 3:                                  /* high bits the mode may drop */
		return (rnd64() & 0xFFFFFFFFFF000000ull) | low;
	case 4:
		return (rnd64() & 0xFFFFFFFF00000000ull) | low;
	case 5:
		return ~0ull - rnd(16);
	default:
		return low;
	}
}

static uint64_t rand_len(void)
{
	switch (rnd(10)) {
	case 0:
		return 0;
	case 1:
		return 12288 + rnd(3) - 1;
	case 2:
		return rnd64();
	case 3:
		return (rnd64() & 0xFFFFFFFF00000000ull) | (1 + rnd(700));
	case 4:
		return 1 + rnd(9000);
	default:
		return 1 + rnd(700);
	}
}

static uint16_t rand_apqn(void)
{
	if (rnd(8) == 0)
		return (uint16_t)rnd64();
	return rnd(2) ? apqns[rnd(3)] : apqns[rnd(NAPQNS)]; /* mostly queues that exist */
}

/* A CCA-looking request (type 6, agent "CA", a domain) at a on both sides,
 * when it fits in the data area. */
static void put_cca_header(struct side *a, struct side *b, uint64_t at)
{
	uint8_t h[0x58 + 0xAC];

	if (at < DATA || at >= DATA + DATA_LEN || DATA + DATA_LEN - at < sizeof h)
		return;
	memset(h, 0, sizeof h);
	h[1] = 0x06;
	h[0x20] = 'C';
	h[0x21] = 'A';
	h[0x58 + 0xAA] = 0;
	h[0x58 + 0xAB] = (uint8_t)(rnd(3) == 0 ? rnd(0x50) : 0x06);
	CHECK0(s390ap_sys_load(a->sys, at, h, sizeof h));
	CHECK0(s390ap_sys_load(b->sys, at, h, sizeof h));
}

struct step {
	uint32_t insn; /* RRE image */
	uint64_t psw_mask;
	uint64_t gr[16];
};

static void new_step(struct step *stp, bool keep_regs)
{
	unsigned op = rnd(10), r1 = rnd(16), r2 = rnd(16), amode = rnd(10);
	uint64_t *g = stp->gr;

	if (!keep_regs)
		for (unsigned i = 0; i < 16; i++)
			g[i] = rnd64();
	/* mostly sensible operands, some of everything */
	if (op < 6) {
		unsigned pick = rnd(12);
		unsigned fc = pick == 0 ? rnd(256) : pick < 4 ? rnd(9) : rnd(6);
		uint64_t gr0 = (uint64_t)fc << 24 | rand_apqn();

		if (rnd(10) == 0)
			gr0 |= S390AP_GR0_T;
		if (rnd(10) == 0)
			gr0 |= S390AP_GR0_F;
		if (rnd(15) == 0)
			gr0 |= 1ull << (16 + rnd(6)); /* reserved */
		g[0] = (rnd(2) ? g[0] & ~0xFFFFFFFFull : 0) | gr0;
		g[1] = rnd(3) ? (rnd(2) ? S390AP_AQIC_IR : 0) | rnd(8) : g[1];
		g[2] = rnd(20) == 0 ? 0 : rnd(4) ? rand_addr() : g[2];
		stp->insn = S390AP_OP_PQAP << 16 | (rnd(8) == 0 ? r1 << 4 | r2 : 0);
	} else if (op < 8) {
		uint64_t gr0 = rand_apqn();

		if (rnd(4))
			gr0 |= S390AP_NQAP_L;
		if (rnd(10) == 0)
			gr0 |= S390AP_NQAP_SPECIAL;
		if (rnd(15) == 0)
			gr0 |= 1ull << (16 + rnd(16)); /* reserved or ignored */
		if (rnd(5))
			r1 = 4 + 2 * rnd(6);
		if (rnd(5))
			r2 = 4 + 2 * rnd(6);
		if (r1 == r2 && rnd(2))
			r2 = r1 == 14 ? 4 : r1 + 2;
		g[0] = gr0;
		g[r1 & 14] = rnd(4) ? (rnd64() & ~0xFFFFFFFFull) | rnd(5) : g[r1 & 14];
		g[r2 & 14] = rand_addr();
		g[(r2 & 14) + 1] = rand_len();
		stp->insn = S390AP_OP_NQAP << 16 | r1 << 4 | r2;
	} else {
		uint64_t gr0 = rand_apqn();

		if (rnd(2))
			gr0 |= S390AP_DQAP_BIT32;
		if (rnd(15) == 0)
			gr0 |= 1ull << (16 + rnd(16));
		if (rnd(5))
			r1 = 4 + 2 * rnd(6);
		if (rnd(5))
			r2 = 4 + 2 * rnd(6);
		g[0] = gr0;
		g[2] = rnd(4) ? 0 : g[2];
		g[r2 & 14] = rand_addr();
		g[(r2 & 14) + 1] = rnd(3) ? 1 + rnd(5000) : rand_len();
		stp->insn = S390AP_OP_DQAP << 16 | r1 << 4 | r2;
	}
	stp->psw_mask = amode < 7 ? S390AP_PSW_EA | S390AP_PSW_BA : amode < 9 ? S390AP_PSW_BA : 0;
	if (rnd(10) == 0)
		stp->psw_mask |= S390AP_PSW_PROB;
}

/* Fault injections and clock steps, the same on both machines. */
static void perturb(struct side *a, struct side *b)
{
	struct side *s[2] = { a, b };
	unsigned what = rnd(40), apid = 3 + rnd(4);
	uint16_t apqn = apqns[rnd(NAPQNS)];
	uint64_t n = 1 + rnd(3000);
	bool on = rnd(2) != 0;

	for (unsigned i = 0; i < 2; i++) {
		s390ap_machine *mach = s[i]->m;

		switch (what) {
		case 0:
			(void)s390ap_adapter_checkstop(mach, apid, on);
			break;
		case 1:
			(void)s390ap_adapter_configure(mach, apid, false);
			break;
		case 2:
		case 3:
			(void)s390ap_adapter_configure(mach, apid, true);
			(void)s390ap_adapter_checkstop(mach, apid, false);
			break;
		case 4:
			(void)s390ap_queue_busy(mach, apqn, n);
			break;
		case 5:
			(void)s390ap_queue_lose_reply(mach, apqn);
			break;
		case 6:
			(void)s390ap_queue_delay_reply(mach, apqn, n);
			break;
		case 7:
			(void)s390ap_queue_fail_assoc(mach, apqn, 0x36);
			break;
		case 8:
		case 9:
		case 10:
			CHECK0(s390ap_machine_advance(mach, n));
			break;
		default:
			break;
		}
	}
}

static void assert_same_state(struct side *a, struct side *b, unsigned step)
{
	uint8_t da[DATA_LEN], db[DATA_LEN];
	const s390ap_storage *sa = s390ap_sys_storage(a->sys), *sb = s390ap_sys_storage(b->sys);

	CHECK(s390ap_machine_now(a->m) == s390ap_machine_now(b->m), "step %u: clocks differ", step);
	CHECK0(s390ap_storage_read(sa, DATA, da, sizeof da));
	CHECK0(s390ap_storage_read(sb, DATA, db, sizeof db));
	CHECK(memcmp(da, db, sizeof da) == 0, "step %u: operand storage differs", step);
	for (unsigned id = 0; id < 8; id++) {
		for (unsigned qi = 0; qi < 0x48; qi++) {
			s390ap_queue_info qa, qb;
			uint16_t apqn = S390AP_APQN(id, qi);
			int ra, rb;

			memset(&qa, 0, sizeof qa);
			memset(&qb, 0, sizeof qb);
			ra = s390ap_queue_info_get(a->m, apqn, &qa);
			rb = s390ap_queue_info_get(b->m, apqn, &qb);
			CHECK(ra == rb, "step %u: queue %04x info %d / %d", step, apqn, ra, rb);
			CHECK(qa.exists == qb.exists && qa.reset_pending == qb.reset_pending &&
				      qa.irq_enabled == qb.irq_enabled &&
				      qa.irq_change_pending == qb.irq_change_pending &&
				      qa.isc == qb.isc && qa.nib == qb.nib &&
				      qa.requests == qb.requests && qa.replies == qb.replies &&
				      qa.capacity == qb.capacity && qa.bs == qb.bs &&
				      qa.async_rc == qb.async_rc && qa.enqueued == qb.enqueued &&
				      qa.dequeued == qb.dequeued && qa.resets == qb.resets,
			      "step %u: queue %04x differs", step, apqn);
		}
	}
	for (unsigned rc = 0; rc < 256; rc++)
		CHECK(s390ap_machine_rc_count(a->m, (uint8_t)rc) ==
			      s390ap_machine_rc_count(b->m, (uint8_t)rc),
		      "step %u: RC %02x counts differ", step, rc);
	for (uint16_t pgm = 1; pgm < 128; pgm++)
		CHECK(s390ap_machine_pgm_count(a->m, pgm) == s390ap_machine_pgm_count(b->m, pgm),
		      "step %u: program-interruption %04x counts differ", step, pgm);
	CHECK(s390ap_machine_irq_pending(a->m) == s390ap_machine_irq_pending(b->m),
	      "step %u: pending ISCs differ", step);
}

static unsigned amode_of(uint64_t mask)
{
	return (mask & S390AP_PSW_EA) ? 64 : (mask & S390AP_PSW_BA) ? 31 : 24;
}

/* One instruction on both sides; returns the program-interruption code. */
static uint16_t run_both(struct side *a, struct side *b, const struct step *stp, unsigned n)
{
	s390ap_cpu *cpu = s390ap_sys_cpu(b->sys, 0);
	const uint64_t ap_cost = s390ap_cost_default().ap_interpreted;
	uint64_t t0 = s390ap_machine_now(b->m), ga[16];
	uint8_t code[4], lc[4] = { 0 }, pnpsw[16] = { 0 };
	s390ap_psw psw = { stp->psw_mask, CODE };
	s390ap_insn_result r;
	s390ap_insn_ctx c;
	s390ap_stop why;
	uint16_t pgm;

	/* B: the program (an operand may have overwritten it, or the program
	 * new PSW) */
	code[0] = (uint8_t)(stp->insn >> 24);
	code[1] = (uint8_t)(stp->insn >> 16);
	code[2] = 0;
	code[3] = (uint8_t)stp->insn;
	CHECK0(s390ap_sys_load(b->sys, CODE, code, 4));
	pgm_new_psw(pnpsw);
	CHECK0(s390ap_sys_load(b->sys, S390AP_LC_PGM_NEW_PSW, pnpsw, sizeof pnpsw));
	CHECK0(s390ap_sys_load(b->sys, S390AP_LC_PGM_ILC, lc, sizeof lc));
	memcpy(s390ap_cpu_gr(cpu), stp->gr, sizeof stp->gr);
	CHECK0(s390ap_cpu_set_psw(cpu, &psw));
	CHECK0(s390ap_sys_run(b->sys, 1, 0, &why));

	/* A: the public call at the cycle B's instruction completed */
	CHECK0(s390ap_machine_run_until(a->m, t0 + ap_cost));
	memcpy(ga, stp->gr, sizeof ga);
	memset(&c, 0, sizeof c);
	c.gr = ga;
	c.problem_state = (stp->psw_mask & S390AP_PSW_PROB) != 0;
	c.amode = (uint8_t)amode_of(stp->psw_mask);
	c.view = NULL;
	c.storage = s390ap_sys_storage(a->sys);
	CHECK0(s390ap_execute(a->m, &c, stp->insn, &r));
	CHECK0(s390ap_machine_run_until(a->m, s390ap_machine_now(b->m)));

	CHECK0(s390ap_storage_read(s390ap_sys_storage(b->sys), S390AP_LC_PGM_ILC, lc, sizeof lc));
	pgm = (uint16_t)(lc[2] << 8 | lc[3]);
	CHECK(pgm == r.pgm, "step %u (insn %08x): pgm %04x internal, %04x public", n, stp->insn,
	      pgm, r.pgm);
	if (r.pgm) {
		CHECK(lc[1] == 4, "step %u: ILC %u", n, lc[1]);
		CHECK(s390ap_cpu_state_get(cpu) == S390AP_CPU_STOPPED, "step %u: not stopped", n);
	} else {
		s390ap_psw now;

		s390ap_cpu_psw(cpu, &now);
		CHECK(now.addr == CODE + 4, "step %u: PSW address %" PRIx64, n, now.addr);
		CHECK(s390ap_cpu_state_get(cpu) == S390AP_CPU_RUNNING, "step %u: not running", n);
		CHECK(s390ap_cpu_cc(cpu) == r.cc, "step %u (insn %08x): cc %u internal, %u public",
		      n, stp->insn, s390ap_cpu_cc(cpu), r.cc);
	}
	for (unsigned i = 0; i < 16; i++)
		CHECK(s390ap_cpu_gr(cpu)[i] == ga[i],
		      "step %u (insn %08x): GR%u %016" PRIx64 " internal, %016" PRIx64 " public", n,
		      stp->insn, i, s390ap_cpu_gr(cpu)[i], ga[i]);
	return pgm;
}

static void compare_paths(const struct cfg *c, uint64_t seed)
{
	struct side a, b;
	struct step stp;
	unsigned cc_seen = 0, pgm_seen = 0;

	side_open(&a, c);
	side_open(&b, c);
	rng_state = seed;
	memset(&stp, 0, sizeof stp);
	new_step(&stp, false);
	for (unsigned n = 0; n < STEPS; n++) {
		unsigned kind = rnd(10);
		uint16_t pgm;

		if (kind == 0) {
			/* the same instruction again on the registers it left
			 * (multi-part NQAP/DQAP, cc 2 re-execution) */
			memcpy(stp.gr, s390ap_cpu_gr(s390ap_sys_cpu(b.sys, 0)), sizeof stp.gr);
		} else {
			new_step(&stp, kind < 5);
		}
		if ((stp.insn >> 16) == S390AP_OP_NQAP && rnd(4) == 0)
			put_cca_header(&a, &b, stp.gr[stp.insn & 14]);
		pgm = run_both(&a, &b, &stp, n);
		if (pgm)
			pgm_seen++;
		else
			cc_seen++;
		if (rnd(4) == 0)
			perturb(&a, &b);
		assert_same_state(&a, &b, n);
	}
	/* the sequence reached both outcomes */
	if (c->fac_set && !(c->fac & S390AP_FAC_AP))
		ck_assert_uint_eq(cc_seen, 0);
	else
		ck_assert_uint_gt(cc_seen, STEPS / 4);
	ck_assert_uint_gt(pgm_seen, 0);
	side_close(&a);
	side_close(&b);
}

START_TEST(test_paths_agree)
{
	compare_paths(&cfgs[_i], 0x9E3779B97F4A7C15ull + (uint64_t)_i);
}
END_TEST

/* The prepared environment follows the PSW: the same TAPQ in the
 * supervisor state, then the problem state, then the supervisor state
 * again, and across addressing modes. */
START_TEST(test_prepared_env_follows_psw)
{
	struct side b;
	s390ap_cpu *cpu;
	static const uint64_t masks[] = {
		S390AP_PSW_EA | S390AP_PSW_BA,
		S390AP_PSW_EA | S390AP_PSW_BA | S390AP_PSW_PROB,
		S390AP_PSW_EA | S390AP_PSW_BA,
		S390AP_PSW_BA,
		0,
		S390AP_PSW_PROB,
		S390AP_PSW_EA | S390AP_PSW_BA,
	};

	side_open(&b, &cfgs[0]);
	cpu = s390ap_sys_cpu(b.sys, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(masks); i++) {
		uint8_t code[4] = { 0xB2, 0xAF, 0x00, 0x00 }, lc[4] = { 0 };
		s390ap_psw psw = { masks[i], CODE };
		s390ap_stop why;
		uint64_t *g = s390ap_cpu_gr(cpu);

		ck_assert_int_eq(s390ap_sys_load(b.sys, CODE, code, 4), 0);
		ck_assert_int_eq(s390ap_sys_load(b.sys, S390AP_LC_PGM_ILC, lc, sizeof lc), 0);
		memset(g, 0, 16 * sizeof *g);
		g[0] = S390AP_APQN(0x03, 0x06);
		g[1] = 0xFFFFFFFFFFFFFFFFull;
		ck_assert_int_eq(s390ap_cpu_set_psw(cpu, &psw), 0);
		ck_assert_int_eq(s390ap_sys_run(b.sys, 1, 0, &why), 0);
		ck_assert_int_eq(s390ap_storage_read(s390ap_sys_storage(b.sys), S390AP_LC_PGM_ILC,
						     lc, sizeof lc),
				 0);
		if (masks[i] & S390AP_PSW_PROB) {
			ck_assert_uint_eq((unsigned)(lc[2] << 8 | lc[3]), S390AP_PGM_PRIVILEGED);
			ck_assert_x64(g[1], 0xFFFFFFFFFFFFFFFFull);
		} else {
			ck_assert_uint_eq((unsigned)(lc[2] << 8 | lc[3]), 0);
			ck_assert_uint_eq(s390ap_cpu_cc(cpu), 0);
			ck_assert_x64(g[1], E);
		}
	}
	side_close(&b);
}
END_TEST

/* An AP instruction that schedules an event earlier than the end of the
 * slice cuts the slice there, also on the fast path (no clock sync before
 * it).  NQAP's reply event sets the NIB; a loop of plain instructions spins
 * on the NIB byte and counts.  The reply must be seen within an iteration
 * or two of its latency, not at the end of a long quantum. */
START_TEST(test_event_cuts_slice)
{
	static const uint8_t prog[] = {
		0xB2, 0xAF, 0x00, 0x00, /* PQAP       AQIC enable (GR0..GR2 preset) */
		0xA7, 0x49, 0x00, 0xC8, /* LGHI  4,200 */
		0xA7, 0x46, 0x00, 0x00, /* BRCT  4,*   let the change land */
		0xB9, 0x04, 0x00, 0x07, /* LGR   0,7   TAPQ */
		0xB2, 0xAF, 0x00, 0x00, /* PQAP */
		0xB9, 0x04, 0x00, 0x08, /* LGR   0,8   NQAP, L bit */
		0xB2, 0xAD, 0x00, 0xAC, /* NQAP  10,12 */
		0xA7, 0x59, 0x00, 0x00, /* LGHI  5,0 */
		0xA7, 0x5B, 0x00, 0x01, /* AGHI  5,1 */
		0x95, 0x00, 0x90, 0x00, /* CLI   0(9),0 */
		0xA7, 0x84, 0xFF, 0xFC, /* BRC   8,*-8 */
		0x83, 0x00, 0x00, 0x44, /* DIAG  halt */
	};
	const uint64_t nib = 0x30000, latency = 300; /* adapter 03: make_machine */
	s390ap_cost_model k = s390ap_cost_default();
	uint64_t iter = k.simple + k.load_store + k.simple + k.branch, *g;
	s390ap_machine *mach;
	s390ap_sys *sys;
	s390ap_sys_opts so;
	s390ap_stop why;

	make_machine(&cfgs[0], &mach);
	memset(&so, 0, sizeof so);
	so.size = sizeof(so);
	so.mem_size = MEM_SIZE;
	so.machine = mach;
	so.quantum = 1000000;
	ck_assert_int_eq(s390ap_sys_new(&sys, &so), 0);
	ck_assert_int_eq(s390ap_sys_load(sys, CODE, prog, sizeof prog), 0);
	ck_assert_int_eq(s390ap_sys_start(sys, CODE), 0);
	g = s390ap_cpu_gr(s390ap_sys_cpu(sys, 0));
	g[0] = (uint64_t)S390AP_FC_AQIC << 24 | S390AP_APQN(0x03, 0x06);
	g[1] = S390AP_AQIC_IR | 3;
	g[2] = nib;
	g[7] = S390AP_APQN(0x03, 0x06);
	g[8] = S390AP_NQAP_L | S390AP_APQN(0x03, 0x06);
	g[9] = nib;
	g[10] = 0x1234;
	g[11] = 0x5678;
	g[12] = DATA;
	g[13] = 64;
	ck_assert_int_eq(s390ap_sys_run(sys, 0, 0, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(sys, 0)), S390AP_CPU_HALTED);
	ck_assert_uint_eq(s390ap_machine_irq_count(mach, 3), 1);
	ck_assert_msg(g[5] * iter >= latency - 2 * iter && g[5] * iter <= latency + 2 * iter,
		      "%" PRIu64 " iterations of %" PRIu64 " cycles for a latency of %" PRIu64,
		      g[5], iter, latency);
	s390ap_sys_free(sys);
	s390ap_machine_free(mach);
}
END_TEST

static Suite *path_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("paths");

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_paths_agree, 0, (int)ARRAY_SIZE(cfgs));
	tcase_add_test(tc, test_prepared_env_follows_psw);
	tcase_add_test(tc, test_event_cuts_slice);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(path_suite());
}
