/* SPDX-License-Identifier: MIT */
/* test_abi -- the size member of the versioned input structures
 * (docs/abi.md): 0 and the exact size are accepted, a size below the first
 * version is refused, a larger size is accepted only when the bytes past
 * the library's structure are zero, and what is accepted is read as the
 * library's layout.  Each case runs once per structure.
 */
#include <check.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "engine/engine_internal.h"
#include "s390ap/s390ap.h"
#include "testutil.h"
#include "util/opts.h"

#define TAIL 24 /* bytes a "newer" caller adds */

static alignas(max_align_t) uint8_t buf[1024];
static s390ap_machine *m;

static void setup(void)
{
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(s390ap_machine_new(&m, NULL), 0);
}

static void teardown(void)
{
	s390ap_machine_free(m);
	m = NULL;
}

static int stub_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	(void)ctx, (void)addr, (void)dst, (void)len;
	return -1;
}

static int stub_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	(void)ctx, (void)addr, (void)src, (void)len;
	return -1;
}

static void stub_deadline(void *ctx, const s390ap_machine *mm, uint64_t next)
{
	(void)ctx, (void)mm, (void)next;
}

static int stub_ctx;

/* ---- one valid structure of each kind, and the call that takes it ---- */

static void fill_machine(void *p)
{
	s390ap_machine_opts *o = p;

	o->na = 15;
	o->nd = 7;
}

static int try_machine(const void *p)
{
	s390ap_machine *x = NULL;
	int rc = s390ap_machine_new(&x, p);

	if (rc == 0) {
		ck_assert_uint_eq(s390ap_machine_max_apid(x), 15);
		ck_assert_uint_eq(s390ap_machine_max_apqi(x), 7);
	} else {
		ck_assert_ptr_null(x);
	}
	s390ap_machine_free(x);
	return rc;
}

static void fill_adapter(void *p)
{
	s390ap_adapter_opts *o = p;

	o->type = S390AP_TYPE_CEX7;
	o->mode = S390AP_MODE_CCA;
	o->depth = 4;
	o->latency = 1234;
}

static int try_adapter(const void *p)
{
	s390ap_adapter_info info;
	int rc = s390ap_adapter_add(m, 0x10, p);

	/* a refused adapter is not there (asked without a getter, which would
	 * replace the error message) */
	ck_assert(rc == 0 || m->ad[0x10] == NULL);
	if (rc == 0) {
		ck_assert_int_eq(s390ap_adapter_info_get(m, 0x10, &info), 0);
		ck_assert_uint_eq(info.type, S390AP_TYPE_CEX7);
		ck_assert_uint_eq(info.mode, S390AP_MODE_CCA);
		ck_assert_uint_eq(info.depth, 4);
		ck_assert_x64(info.latency, 1234);
	}
	return rc;
}

static void fill_sys(void *p)
{
	s390ap_sys_opts *o = p;

	o->mem_size = 1u << 20;
	o->ncpus = 2;
}

static int try_sys(const void *p)
{
	s390ap_sys *sys = NULL;
	int rc = s390ap_sys_new(&sys, p);

	if (rc == 0) {
		ck_assert_uint_eq(s390ap_sys_ncpus(sys), 2);
		ck_assert_x64(s390ap_mem_size(s390ap_sys_mem(sys)), 1u << 20);
		/* the storage the system made carries its size */
		ck_assert_uint_eq(s390ap_sys_storage(sys)->size, sizeof(s390ap_storage));
	} else {
		ck_assert_ptr_null(sys);
	}
	s390ap_sys_free(sys);
	return rc;
}

static void fill_kvm(void *p)
{
	s390ap_kvm_opts *o = p;

	o->area_size = 0x10000;
	o->nisc = 5;
}

static int try_kvm(const void *p)
{
	s390ap_sys_opts so = { S390AP_SIZED(s390ap_sys_opts), .mem_size = 4u << 20 };
	s390ap_sys *sys = NULL;
	s390ap_kvm *kvm = NULL;
	int rc;

	ck_assert_int_eq(s390ap_sys_new(&sys, &so), 0);
	rc = s390ap_kvm_new(&kvm, sys, p);
	if (rc == 0) {
		/* the area is the last 64 KiB; the GIB its first page, NISC 5 */
		ck_assert_x64(s390ap_kvm_gib(kvm), (4u << 20) - 0x10000);
		ck_assert_uint_eq(s390ap_mem_size(s390ap_sys_mem(sys)), 4u << 20);
	} else {
		ck_assert_ptr_null(kvm);
	}
	s390ap_kvm_free(kvm);
	s390ap_sys_free(sys);
	return rc;
}

static void fill_vm(void *p)
{
	s390ap_vm_opts *o = p;

	o->facilities = S390AP_FAC_QCI;
	o->mso = 1u << 20;
	o->mem_size = 1u << 20;
}

static int try_vm(const void *p)
{
	s390ap_sys_opts so = { S390AP_SIZED(s390ap_sys_opts), .mem_size = 4u << 20 };
	s390ap_sys *sys = NULL;
	s390ap_kvm *kvm = NULL;
	s390ap_vm *vm = NULL;
	int rc;

	ck_assert_int_eq(s390ap_sys_new(&sys, &so), 0);
	ck_assert_int_eq(s390ap_kvm_new(&kvm, sys, NULL), 0);
	rc = s390ap_vm_new(kvm, &vm, p);
	if (rc == 0)
		ck_assert_uint_eq(s390ap_vm_facilities(vm), S390AP_FAC_QCI);
	else
		ck_assert_ptr_null(vm);
	s390ap_kvm_free(kvm);
	s390ap_sys_free(sys);
	return rc;
}

static void fill_matrix(void *p)
{
	s390ap_matrix_opts *o = p;

	o->policy = S390AP_MATRIX_STATIC;
	o->retries = 3;
	o->masks_zero = true;
}

static int try_matrix(const void *p)
{
	s390ap_machine *mm = NULL;
	s390ap_matrix *mx = NULL;
	uint8_t mask[32];
	int rc;

	ck_assert_int_eq(s390ap_machine_new(&mm, NULL), 0);
	rc = s390ap_matrix_new(&mx, mm, NULL, p);
	if (rc == 0) {
		ck_assert_int_eq(s390ap_matrix_apmask(mx, mask), 0);
		ck_assert_uint_eq(mask[0], 0); /* masks_zero read */
	} else {
		ck_assert_ptr_null(mx);
	}
	s390ap_matrix_free(mx);
	s390ap_machine_free(mm);
	return rc;
}

static void fill_cost(void *p)
{
	s390ap_cost_model k = s390ap_cost_default();

	ck_assert_uint_eq(k.size, sizeof(k));
	k.diag = 7;
	memcpy(p, &k, sizeof(k));
}

static int try_cost(const void *p)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = 1u << 20, .cost = p };
	s390ap_sys *sys = NULL;
	int rc = s390ap_sys_new(&sys, &o);

	s390ap_sys_free(sys);
	return rc;
}

static void fill_crypto(void *p)
{
	s390ap_crypto_opts *o = p;

	o->rng_seed = 42;
	o->reduce_input = true;
}

static int try_crypto(const void *p)
{
	s390ap_engine e;
	int rc = s390ap_crypto_engine_new(&e, p);

	if (rc == 0) {
		const struct eng_ctx *c = e.ctx;

		ck_assert_x64(c->opts.rng_seed, 42);
		ck_assert(c->opts.reduce_input);
		ck_assert_uint_eq(c->opts.size, sizeof(s390ap_crypto_opts));
		e.destroy(e.ctx);
	} else {
		ck_assert(e.process == NULL);
	}
	return rc;
}

static void fill_hooks(void *p)
{
	s390ap_machine_hooks *h = p;

	h->deadline = stub_deadline;
	h->ctx = &stub_ctx;
}

static int try_hooks(const void *p)
{
	int rc = s390ap_machine_set_hooks(m, p);

	if (rc == 0) {
		ck_assert(m->hooks.deadline == stub_deadline);
		ck_assert_ptr_eq(m->hooks.ctx, &stub_ctx);
		ck_assert_uint_eq(m->hooks.size, sizeof(s390ap_machine_hooks));
	} else {
		ck_assert(m->hooks.deadline == NULL);
	}
	return rc;
}

static void fill_storage(void *p)
{
	s390ap_storage *st = p;

	st->ctx = &stub_ctx;
	st->read = stub_read;
	st->write = stub_write;
}

static int try_storage(const void *p)
{
	int rc = s390ap_machine_set_storage(m, p);

	ck_assert(m->has_host == (rc == 0));
	if (rc == 0) {
		ck_assert(m->host.read == stub_read);
		ck_assert(m->host.write == stub_write);
		ck_assert(m->host.access == NULL);
		ck_assert_uint_eq(m->host.size, sizeof(s390ap_storage));
	}
	return rc;
}

/* The storage handed to the constructor in s390ap_machine_opts. */
static int try_storage_new(const void *p)
{
	s390ap_machine_opts o = { S390AP_SIZED(s390ap_machine_opts), .storage = p };
	s390ap_machine *x = NULL;
	int rc = s390ap_machine_new(&x, &o);

	if (rc == 0) {
		ck_assert(x->has_host);
		ck_assert(x->host.read == stub_read);
		ck_assert_uint_eq(x->host.size, sizeof(s390ap_storage));
	}
	s390ap_machine_free(x);
	return rc;
}

struct sized_case {
	const char *name;
	size_t size;  /* the library's sizeof */
	size_t first; /* end of the first version's last member */
	bool msg;     /* a refusal leaves a message on the machine m */
	void (*fill)(void *p);
	int (*call)(const void *p);
};

#define CASE(type, last, msg, fill, call)                                  \
	{                                                                  \
#type, sizeof(type), OPTS_END(type, last), msg, fill, call \
	}

static const struct sized_case cases[] = {
	CASE(s390ap_machine_opts, cycles_per_us, false, fill_machine, try_machine),
	CASE(s390ap_adapter_opts, latency, true, fill_adapter, try_adapter),
	CASE(s390ap_sys_opts, sie_ctx, false, fill_sys, try_sys),
	CASE(s390ap_cost_model, vsie_exit, false, fill_cost, try_cost),
	CASE(s390ap_kvm_opts, vsie_no_cache, false, fill_kvm, try_kvm),
	CASE(s390ap_vm_opts, pckmo_hmac, false, fill_vm, try_vm),
	CASE(s390ap_matrix_opts, masks_zero, false, fill_matrix, try_matrix),
	CASE(s390ap_crypto_opts, reduce_input, false, fill_crypto, try_crypto),
	CASE(s390ap_machine_hooks, ctx, true, fill_hooks, try_hooks),
	CASE(s390ap_storage, access, true, fill_storage, try_storage),
	CASE(s390ap_storage, access, false, fill_storage, try_storage_new),
};

/* Fill case i's structure into buf with the given size member. */
static const struct sized_case *prepare(int i, uint32_t size)
{
	const struct sized_case *c = &cases[i];

	ck_assert_uint_le(c->size + TAIL, sizeof(buf));
	memset(buf, 0, sizeof(buf));
	c->fill(buf);
	memcpy(buf, &size, sizeof(size));
	return c;
}

/* Refused with S390AP_EINVAL and, on a machine, a message naming the
 * structure, the size and why. */
static void refused(const struct sized_case *c, uint32_t size, const char *why)
{
	char want[64];

	ck_assert_msg(c->call(buf) == S390AP_EINVAL, "%s.size %u accepted", c->name, size);
	if (c->msg) {
		snprintf(want, sizeof(want), "%s.size %u: ", c->name, size);
		ck_assert_msg(strstr(s390ap_machine_errmsg(m), want) != NULL, "errmsg \"%s\"",
			      s390ap_machine_errmsg(m));
		ck_assert_msg(strstr(s390ap_machine_errmsg(m), why) != NULL, "errmsg \"%s\"",
			      s390ap_machine_errmsg(m));
	}
}

START_TEST(test_abi_size_zero)
{
	const struct sized_case *c = prepare(_i, 0);

	ck_assert_int_eq(c->call(buf), 0);
}
END_TEST

START_TEST(test_abi_size_exact)
{
	const struct sized_case *c = prepare(_i, (uint32_t)cases[_i].size);

	ck_assert_int_eq(c->call(buf), 0);
}
END_TEST

/* Tail padding is no field: a size that ends at the last member is whole. */
START_TEST(test_abi_size_first_version)
{
	const struct sized_case *c = prepare(_i, (uint32_t)cases[_i].first);

	ck_assert_uint_le(c->first, c->size);
	ck_assert_int_eq(c->call(buf), 0);
}
END_TEST

START_TEST(test_abi_size_smaller_refused)
{
	const uint32_t sizes[] = { 1, sizeof(uint32_t), (uint32_t)cases[_i].first / 2,
				   (uint32_t)cases[_i].first - 1 };

	for (unsigned k = 0; k < ARRAY_SIZE(sizes); k++)
		refused(prepare(_i, sizes[k]), sizes[k], "smaller than the first version");
}
END_TEST

START_TEST(test_abi_size_larger_zero_tail)
{
	const struct sized_case *c = prepare(_i, (uint32_t)(cases[_i].size + TAIL));

	ck_assert_int_eq(c->call(buf), 0);
}
END_TEST

/* A newer caller that sets a field this library does not know: refused,
 * wherever in the unknown part the byte is. */
START_TEST(test_abi_size_larger_nonzero_tail)
{
	const size_t at[] = { 0, 1, TAIL - 1 };

	for (unsigned k = 0; k < ARRAY_SIZE(at); k++) {
		uint32_t size = (uint32_t)(cases[_i].size + TAIL);
		const struct sized_case *c = prepare(_i, size);

		buf[c->size + at[k]] = 0x01;
		refused(c, size, "not zero");
	}
	/* a non-zero byte past the caller's size is not the caller's */
	{
		uint32_t size = (uint32_t)(cases[_i].size + TAIL);
		const struct sized_case *c = prepare(_i, size);

		buf[c->size + TAIL] = 0xFF;
		ck_assert_int_eq(c->call(buf), 0);
	}
}
END_TEST

/* The helper itself: the rules of docs/abi.md on a structure of 16 bytes
 * whose first version ended at byte 12. */
START_TEST(test_abi_opts_copy_rules)
{
	uint8_t src[40], dst[16];
	uint32_t size;

	memset(src, 0xAB, sizeof(src));
	size = 12;
	memcpy(src, &size, sizeof(size));
	memset(dst, 0x77, sizeof(dst));
	ck_assert_int_eq(opts_copy(dst, sizeof(dst), src, 12), 0);
	memcpy(&size, dst, sizeof(size));
	ck_assert_uint_eq(size, 16); /* normalised to the library's size */
	ck_assert_uint_eq(dst[11], 0xAB);
	ck_assert_uint_eq(dst[12], 0); /* what the caller lacks reads as 0 */
	ck_assert_uint_eq(dst[15], 0);

	size = 11;
	memcpy(src, &size, sizeof(size));
	memset(dst, 0x77, sizeof(dst));
	ck_assert_int_eq(opts_copy(dst, sizeof(dst), src, 12), S390AP_EINVAL);
	ck_assert_uint_eq(dst[0], 0x77); /* untouched on failure */

	size = 40; /* bytes 16..39 are 0xAB: unknown fields set */
	memcpy(src, &size, sizeof(size));
	ck_assert_int_eq(opts_copy(dst, sizeof(dst), src, 12), S390AP_EINVAL);
	memset(src + 16, 0, 24);
	ck_assert_int_eq(opts_copy(dst, sizeof(dst), src, 12), 0);
	ck_assert_uint_eq(dst[15], 0xAB);
}
END_TEST

/* A refused hooks table leaves the installed one in place. */
START_TEST(test_abi_refusal_keeps_state)
{
	s390ap_machine_hooks h = { S390AP_SIZED(s390ap_machine_hooks), .deadline = stub_deadline };
	s390ap_storage st = { S390AP_SIZED(s390ap_storage), .read = stub_read,
			      .write = stub_write };

	ck_assert_int_eq(s390ap_machine_set_hooks(m, &h), 0);
	ck_assert_int_eq(s390ap_machine_set_storage(m, &st), 0);
	h.size = 2;
	h.deadline = NULL;
	st.size = 3;
	st.ctx = &stub_ctx;
	ck_assert_int_eq(s390ap_machine_set_hooks(m, &h), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_machine_set_storage(m, &st), S390AP_EINVAL);
	ck_assert(m->hooks.deadline == stub_deadline);
	ck_assert(m->has_host);
	ck_assert_ptr_null(m->host.ctx);
}
END_TEST

/* s390ap_mem_storage fills a whole structure of this header's layout. */
START_TEST(test_abi_mem_storage_sized)
{
	s390ap_mem *mem = NULL;
	s390ap_storage st;

	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(s390ap_mem_new(&mem, 4096), 0);
	ck_assert_int_eq(s390ap_mem_storage(mem, &st), 0);
	ck_assert_uint_eq(st.size, sizeof(st));
	ck_assert_int_eq(s390ap_machine_set_storage(m, &st), 0);
	s390ap_mem_free(mem);
}
END_TEST

static Suite *abi_suite(void)
{
	Suite *s = suite_create("abi");
	TCase *tc = tcase_create("size");
	const int n = (int)ARRAY_SIZE(cases);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_abi_size_zero, 0, n);
	tcase_add_loop_test(tc, test_abi_size_exact, 0, n);
	tcase_add_loop_test(tc, test_abi_size_first_version, 0, n);
	tcase_add_loop_test(tc, test_abi_size_smaller_refused, 0, n);
	tcase_add_loop_test(tc, test_abi_size_larger_zero_tail, 0, n);
	tcase_add_loop_test(tc, test_abi_size_larger_nonzero_tail, 0, n);
	tcase_add_test(tc, test_abi_opts_copy_rules);
	tcase_add_test(tc, test_abi_refusal_keeps_state);
	tcase_add_test(tc, test_abi_mem_storage_sized);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(abi_suite());
}
