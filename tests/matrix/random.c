/* SPDX-License-Identifier: MIT */
/* A randomized run of every matrix operation (assign, unassign, ap_config,
 * mask writes, configuration changes, open, release, reset, create,
 * remove) that checks the invariants after each step:
 *   - no APQN is in the assigned matrices of two mdevs, and none is the
 *     default driver's by the masks;
 *   - each guest matrix is exactly the filtered assigned matrix (dynamic
 *     policy: within assigned, the configuration and the bound queues) or
 *     the assigned matrix (static policy);
 *   - an open mdev's VM has the guest matrix in its CRYCB, a VM without an
 *     mdev has empty masks.
 * S390AP_MATRIX_OPS sets the number of operations (default 3000);
 * scripts/soak.sh runs a million. */
#include <stdio.h>
#include <stdlib.h>

#include "matrix/matrix_test.h"

#define IDS 10u /* ids 0..9 in play */

/* Check's assertions log every pass; a million steps only fail. */
#define REQUIRE(cond, ...)                         \
	do {                                       \
		if (!(cond))                       \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

struct rnd {
	uint64_t s;
};

static uint64_t rnd_next(struct rnd *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static unsigned rnd_below(struct rnd *r, unsigned n)
{
	return (unsigned)(rnd_next(r) % n);
}

static unsigned long ops_wanted(void)
{
	const char *s = getenv("S390AP_MATRIX_OPS");
	unsigned long n = s ? strtoul(s, NULL, 10) : 0;

	return n ? n : 3000;
}

static void random_mask(struct rnd *r, uint8_t m[32], unsigned density)
{
	memset(m, 0, 32);
	for (unsigned id = 0; id < IDS; id++)
		if (rnd_below(r, 100) < density)
			mset(m, id);
}

static bool inter(const uint8_t *a, const uint8_t *b)
{
	for (unsigned i = 0; i < 32; i++)
		if (a[i] & b[i])
			return true;
	return false;
}

/* Some APQN of apm x aqm is in apmask x aqmask. */
static bool reserved_overlap(const uint8_t *apm, const uint8_t *aqm, const uint8_t *apmask,
			     const uint8_t *aqmask)
{
	uint8_t x[32], y[32];

	for (unsigned i = 0; i < 32; i++) {
		x[i] = apm[i] & apmask[i];
		y[i] = aqm[i] & aqmask[i];
	}
	return inter(x, x) && inter(y, y);
}

static void check_invariants(struct menv *e, unsigned policy, unsigned long step)
{
	s390ap_matrix *mx = e->mx;
	unsigned n = s390ap_matrix_mdev_count(mx);
	uint8_t hapm[32], haqm[32], hadm[32], apmask[32], aqmask[32];
	bool vm_used[2] = { false, false };

	REQUIRE((s390ap_machine_masks(e->m, hapm, haqm, hadm)) == 0,
		"s390ap_machine_masks(e->m, hapm, haqm, hadm) failed");
	REQUIRE((s390ap_matrix_apmask(mx, apmask)) == 0, "s390ap_matrix_apmask(mx, apmask) failed");
	REQUIRE((s390ap_matrix_aqmask(mx, aqmask)) == 0, "s390ap_matrix_aqmask(mx, aqmask) failed");
	for (unsigned i = 0; i < n; i++) {
		s390ap_mdev *md = s390ap_matrix_mdev(mx, i);
		uint8_t a[32], q[32], d[32], ga[32], gq[32], gd[32];
		uint8_t xa[32] = { 0 }, xq[32] = { 0 }, xd[32] = { 0 };
		s390ap_vm *vm = s390ap_mdev_vm(md);

		REQUIRE((s390ap_mdev_matrix(md, a, q, d)) == 0,
			"s390ap_mdev_matrix(md, a, q, d) failed");
		REQUIRE((s390ap_mdev_guest_matrix(md, ga, gq, gd)) == 0,
			"s390ap_mdev_guest_matrix(md, ga, gq, gd) failed");
		for (unsigned j = i + 1; j < n; j++) {
			uint8_t oa[32], oq[32];

			REQUIRE(s390ap_mdev_matrix(s390ap_matrix_mdev(mx, j), oa, oq, NULL) == 0,
				"matrix of mdev %u", j);
			REQUIRE(!(inter(a, oa) && inter(q, oq)),
				"step %lu: mdevs %u and %u share an APQN", step, i, j);
		}
		REQUIRE(!reserved_overlap(a, q, apmask, aqmask),
			"step %lu: an assigned queue is the default driver's", step);
		if (policy == S390AP_MATRIX_STATIC) {
			memcpy(xa, a, 32);
			memcpy(xq, q, 32);
			memcpy(xd, d, 32);
		} else {
			for (unsigned b = 0; b < 32; b++) {
				xa[b] = a[b] & hapm[b];
				xq[b] = q[b] & haqm[b];
				xd[b] = d[b] & hadm[b];
			}
			for (unsigned x = 0; x < 256; x++) {
				if (!mtest(xa, x))
					continue;
				for (unsigned y = 0; y < 256; y++) {
					uint16_t apqn = S390AP_APQN(x, y);
					uint32_t sw;

					if (!mtest(xq, y))
						continue;
					if (s390ap_matrix_reset_status(mx, apqn, &sw) < 0)
						sw = ~0u;
					if (s390ap_matrix_binding(mx, apqn) != S390AP_BIND_VFIO ||
					    S390AP_SW_RC(sw) != 0) {
						xa[x >> 3] &= (uint8_t) ~(0x80u >> (x & 7));
						break;
					}
				}
			}
		}
		REQUIRE(memcmp(ga, xa, 32) == 0 && memcmp(gq, xq, 32) == 0 &&
				memcmp(gd, xd, 32) == 0,
			"step %lu: mdev %u's guest matrix is not the filtered one", step, i);
		if (vm) {
			uint8_t ca[32], cq[32], cd[32];
			unsigned fmt, ma, mq, md_;

			crycb_masks(e, vm, ca, cq, cd, &fmt);
			REQUIRE((s390ap_crycb_limits(fmt, &ma, &mq, &md_)) == 0,
				"s390ap_crycb_limits(fmt, &ma, &mq, &md_) failed");
			bool same = true;

			for (unsigned x = 0; x < 256; x++)
				same = same && mtest(ca, x) == (x <= ma && mtest(ga, x)) &&
				       mtest(cq, x) == (x <= mq && mtest(gq, x)) &&
				       mtest(cd, x) == (x <= md_ && mtest(gd, x));
			REQUIRE(same, "step %lu: mdev %u's CRYCB is not its guest matrix", step, i);
			vm_used[vm == e->vm[0] ? 0 : 1] = true;
		}
	}
	for (unsigned k = 0; k < 2; k++) {
		uint8_t ca[32], cq[32], cd[32], zero[32] = { 0 };

		if (vm_used[k])
			continue;
		crycb_masks(e, e->vm[k], ca, cq, cd, NULL);
		REQUIRE(memcmp(ca, zero, 32) == 0 && memcmp(cq, zero, 32) == 0 &&
				memcmp(cd, zero, 32) == 0,
			"step %lu: VM %u without an mdev has masks", step, k);
	}
}

static bool rc_ok(int rc)
{
	return rc == 0 || rc == S390AP_EADDRNOTAVAIL || rc == S390AP_EADDRINUSE ||
	       rc == S390AP_EBUSY || rc == S390AP_ENODEV || rc == S390AP_EPERM ||
	       rc == S390AP_EIO || rc == S390AP_EEXIST;
}

static const char *const uuids[] = { "00000000-0000-4000-8000-000000000001",
				     "00000000-0000-4000-8000-000000000002",
				     "00000000-0000-4000-8000-000000000003",
				     "00000000-0000-4000-8000-000000000004" };

static void step(struct menv *e, struct rnd *r, unsigned long i)
{
	s390ap_matrix *mx = e->mx;
	unsigned n = s390ap_matrix_mdev_count(mx);
	s390ap_mdev *md = n ? s390ap_matrix_mdev(mx, rnd_below(r, n)) : NULL;
	unsigned long id = rnd_below(r, 40) == 0 ? 256 + rnd_below(r, 4) : rnd_below(r, IDS);
	unsigned op = rnd_below(r, 16);
	uint8_t m1[32], m2[32], m3[32];
	int rc = 0;

	if (!md)
		op = 13;
	switch (op) {
	case 0:
	case 1:
		rc = s390ap_mdev_assign_adapter(md, id);
		break;
	case 2:
		rc = s390ap_mdev_unassign_adapter(md, id);
		break;
	case 3:
	case 4:
		rc = s390ap_mdev_assign_domain(md, id);
		break;
	case 5:
		rc = s390ap_mdev_unassign_domain(md, id);
		break;
	case 6:
		rc = rnd_below(r, 2) ? s390ap_mdev_assign_control_domain(md, id)
				     : s390ap_mdev_unassign_control_domain(md, id);
		break;
	case 7:
		/* mostly few reserved ids, sometimes all */
		if (rnd_below(r, 8) == 0)
			memset(m1, 0xff, 32);
		else
			random_mask(r, m1, 30);
		rc = rnd_below(r, 2) ? s390ap_matrix_set_apmask(mx, m1)
				     : s390ap_matrix_set_aqmask(mx, m1);
		break;
	case 8: {
		/* the configuration changes: an adapter or a domain comes or goes */
		unsigned x = 2 + rnd_below(r, IDS - 2);
		uint8_t apm[32], aqm[32];

		REQUIRE((s390ap_machine_masks(e->m, apm, aqm, NULL)) == 0,
			"s390ap_machine_masks(e->m, apm, aqm, NULL) failed");
		if (rnd_below(r, 2)) {
			if (mtest(apm, x)) {
				REQUIRE((s390ap_adapter_remove(e->m, x)) == 0,
					"s390ap_adapter_remove(e->m, x) failed");
			} else {
				s390ap_adapter_opts ao = { .size = sizeof(ao) };

				REQUIRE((s390ap_adapter_add(e->m, x, &ao)) == 0,
					"s390ap_adapter_add(e->m, x, &ao) failed");
			}
		} else if (mtest(aqm, x)) {
			REQUIRE((s390ap_domain_remove(e->m, x)) == 0,
				"s390ap_domain_remove(e->m, x) failed");
		} else {
			REQUIRE((s390ap_domain_add(e->m, x, true, rnd_below(r, 2))) == 0,
				"s390ap_domain_add(e->m, x, true, rnd_below(r, 2)) failed");
		}
		rc = s390ap_matrix_config_changed(mx);
		break;
	}
	case 9:
	case 10:
		rc = s390ap_mdev_open(md, e->vm[rnd_below(r, 2)]);
		if (rc == S390AP_EBUSY || rc == S390AP_EPERM)
			rc = 0;
		break;
	case 11:
		rc = rnd_below(r, 4) ? s390ap_mdev_release(md) : s390ap_mdev_reset(md);
		break;
	case 12:
		random_mask(r, m1, 25);
		random_mask(r, m2, 25);
		random_mask(r, m3, 25);
		if (rnd_below(r, 20) == 0)
			mset(m2, 200 + rnd_below(r, 56)); /* over the max with Nd 99 */
		rc = s390ap_mdev_set_config(md, m1, m2, m3);
		break;
	case 13:
		rc = s390ap_mdev_create(mx, uuids[rnd_below(r, 4)], NULL);
		break;
	case 14:
		if (rnd_below(r, 4) == 0) {
			rc = s390ap_mdev_remove(md);
			if (rc == S390AP_EBUSY) {
				REQUIRE((s390ap_mdev_release(md)) == 0,
					"s390ap_mdev_release(md) failed");
				rc = s390ap_mdev_remove(md);
			}
		}
		break;
	default: {
		s390ap_queue_use use;

		rc = s390ap_matrix_queue_use(mx, S390AP_APQN(id, rnd_below(r, IDS)), &use);
		if (rc == S390AP_ENODEV)
			rc = 0;
		break;
	}
	}
	REQUIRE(rc_ok(rc), "step %lu, op %u: %s (%s)", i, op, s390ap_err_name(rc),
		s390ap_matrix_errmsg(mx));
}

static void run_random(unsigned policy, unsigned long ops, uint64_t seed)
{
	struct menv e;
	struct menv_cfg c = { .policy = policy, .nd = 99 };
	struct rnd r = { seed };

	menv_open(&e, &c);
	free_all(&e);
	for (unsigned long i = 0; i < ops; i++) {
		step(&e, &r, i);
		check_invariants(&e, policy, i);
	}
	menv_close(&e);
}

START_TEST(test_matrix_random_dynamic)
{
	const char *s = getenv("S390AP_MATRIX_SEED");

	run_random(S390AP_MATRIX_DYNAMIC, ops_wanted(),
		   s ? strtoull(s, NULL, 0) : 0x9e3779b97f4a7c15ull);
}
END_TEST

START_TEST(test_matrix_random_static)
{
	run_random(S390AP_MATRIX_STATIC, ops_wanted() / 4 + 1, 0x2545f4914f6cdd1dull);
}
END_TEST

TCase *matrix_random_tcase(void)
{
	TCase *tc = tcase_create("random");

	tcase_add_test(tc, test_matrix_random_dynamic);
	tcase_add_test(tc, test_matrix_random_static);
	return tc;
}
