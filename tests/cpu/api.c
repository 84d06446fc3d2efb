/* SPDX-License-Identifier: MIT */
/* cpu suite: the system API: creation errors, state, invalid PSWs, random
 * code. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* API                                                                 */
/* ------------------------------------------------------------------ */
/* System options the library refuses, one per row (0: the default). */
static const struct {
	uint64_t mem_size;
	unsigned ncpus;
	bool no_simple_cost; /* a cost model whose simple class costs 0 */
	int err;
} sys_refused[] = {
	{ .mem_size = 4096, .err = S390AP_ERANGE },
	{ .mem_size = (4ull << 30) + 1, .err = S390AP_ERANGE },
	{ .mem_size = SMALL_MEM, .ncpus = S390AP_MAX_CPUS + 1, .err = S390AP_ERANGE },
	{ .mem_size = SMALL_MEM, .ncpus = 1, .no_simple_cost = true, .err = S390AP_EINVAL },
};

START_TEST(test_api_new_errors)
{
	s390ap_sys *sys = (s390ap_sys *)&sys;
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts) };
	s390ap_cost_model k = s390ap_cost_default();

	o.mem_size = sys_refused[_i].mem_size;
	o.ncpus = sys_refused[_i].ncpus;
	if (sys_refused[_i].no_simple_cost) {
		k.simple = 0;
		o.cost = &k;
	}
	ck_assert_int_eq(s390ap_sys_new(&sys, &o), sys_refused[_i].err);
	ck_assert_ptr_null(sys);
}
END_TEST

/* No result pointer; and the defaults: one vCPU, 16 MiB, an owned default
 * machine, nothing loaded. */
START_TEST(test_api_new_defaults)
{
	s390ap_sys *sys;

	ck_assert_int_eq(s390ap_sys_new(NULL, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_new(&sys, NULL), 0);
	ck_assert_uint_eq(s390ap_sys_ncpus(sys), 1);
	ck_assert_uint_eq(s390ap_mem_size(s390ap_sys_mem(sys)), 16u << 20);
	ck_assert_ptr_nonnull(s390ap_sys_machine(sys));
	ck_assert_int_eq(s390ap_cpu_state_get(s390ap_sys_cpu(sys, 0)), S390AP_CPU_STOPPED);
	ck_assert_int_eq(s390ap_sys_run(sys, 0, 0, &(s390ap_stop){ S390AP_STOP_IDLE }), 0);
	s390ap_sys_free(sys);
	s390ap_sys_free(NULL);
}
END_TEST

START_TEST(test_api_state)
{
	struct env e;
	s390ap_psw psw;
	uint8_t buf[8];
	const s390ap_storage *st;

	prog_begin();
	EXIT();
	env_setup(&e, NULL);
	s390ap_cpu_psw(e.cpu, &psw);
	ck_assert_uint_eq(psw.mask, PSW64);
	ck_assert_uint_eq(psw.addr, CODE);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 0), 0xE0);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 14), 0xC2000000u);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 16), 0);
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 16, 1), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 3, 0x33), 0);
	ck_assert_uint_eq(s390ap_cpu_cr(e.cpu, 3), 0x33);
	ck_assert_uint_eq(s390ap_cpu_index(e.cpu), 0);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, 0x1000), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, SMALL_MEM), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, SMALL_MEM - 0x2000), 0);
	ck_assert_int_eq(s390ap_cpu_set_prefix(e.cpu, 0), 0);
	ck_assert_int_eq(s390ap_sys_load(e.sys, SMALL_MEM - 4, buf, 8), S390AP_EFAULT);
	ck_assert_str_ne(s390ap_sys_errmsg(e.sys), "");
	ck_assert_int_eq(s390ap_sys_load(e.sys, 0, NULL, 8), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "no image (NULL data, 8 bytes)");
	ck_assert_int_eq(s390ap_sys_load(e.sys, SMALL_MEM, NULL, 0), 0);
	ck_assert_int_eq(s390ap_sys_start(e.sys, CODE + 1), S390AP_EINVAL);
	/* as the ELF loader refuses one: an entry point outside storage */
	ck_assert_int_eq(s390ap_sys_start(e.sys, SMALL_MEM), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(e.sys), "outside storage"));
	ck_assert_int_eq(s390ap_sys_start(e.sys, SMALL_MEM - 2), 0);
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, NULL), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(e.sys), "no PSW"));
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 16, 0), S390AP_EINVAL);
	ck_assert_ptr_nonnull(strstr(s390ap_sys_errmsg(e.sys), "control register 16"));
	/* the getters with no output say so too */
	ck_assert_int_eq(s390ap_cpu_stats_get(e.cpu, NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "vCPU 0: no stats output (NULL)");
	ck_assert_int_eq(s390ap_cpu_set_cr(e.cpu, 16, 0), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_stats(e.sys, NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "no stats output (NULL)");
	ck_assert_int_eq(s390ap_cpu_psw(e.cpu, NULL), S390AP_EINVAL);
	ck_assert_str_eq(s390ap_sys_errmsg(e.sys), "vCPU 0: no PSW output (NULL)");

	st = s390ap_sys_storage(e.sys);
	ck_assert_int_eq(s390ap_storage_write(st, SMALL_MEM - 4, buf, 8), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_storage_read(st, SMALL_MEM - 8, buf, 8), 0);
	ck_assert_int_eq(s390ap_storage_read(st, SMALL_MEM - 7, buf, 8), S390AP_EFAULT);

	/* NULL-tolerant getters */
	ck_assert_ptr_null(s390ap_sys_cpu(NULL, 0));
	ck_assert_ptr_null(s390ap_sys_machine(NULL));
	ck_assert_ptr_null(s390ap_sys_mem(NULL));
	ck_assert_ptr_null(s390ap_sys_storage(NULL));
	ck_assert_ptr_null(s390ap_cpu_gr(NULL));
	ck_assert_uint_eq(s390ap_sys_ncpus(NULL), 0);
	ck_assert_uint_eq(s390ap_sys_cycles(NULL), 0);
	ck_assert_int_eq(s390ap_sys_run(NULL, 0, 0, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_stats(NULL, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_cpu_stats_get(NULL, NULL), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_sys_set_trace(NULL, NULL, NULL), S390AP_EINVAL);

	/* set_psw: wait PSWs set the state at once */
	psw.mask = PSW64 | S390AP_PSW_WAIT;
	psw.addr = 0x4242;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_STOPPED);
	ck_assert_uint_eq(exit_value(&e), 0x4242);
	psw.mask |= S390AP_PSW_IO;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_WAIT);
	psw.mask = PSW64;
	psw.addr = CODE;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_RUNNING);
	run_done(&e);
	env_close(&e);
}
END_TEST

/* An invalid PSW set through the API is an early exception on the run. */
START_TEST(test_api_invalid_psw)
{
	struct env e;
	s390ap_psw psw = { PSW64, CODE + 1 };

	prog_begin();
	EXIT();
	env_setup(&e, NULL);
	pgm_to_halt(&e);
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	run_done(&e);
	ck_assert_uint_eq(lc_code(&e), S390AP_PGM_SPECIFICATION);
	ck_assert_uint_eq(lc_ilc(&e), 0);
	ck_assert_uint_eq(lc_old_addr(&e), CODE + 1);
	env_close(&e);
}
END_TEST

/* Random code, random registers, random lowcore: the library never fails
 * or crashes; every vCPU ends in a defined state. */
START_TEST(test_random_code)
{
	uint64_t seed = 0x9E3779B97F4A7C15ull, insns = 0, pgms = 0;
	s390ap_cpu_stats sum;

	for (unsigned round = 0; round < 120; round++) {
		s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = 256u << 10,
				      .ncpus = 1 + round % 3, .quantum = 97 };
		struct env e;
		s390ap_stop why;

		prog_begin();
		while (P.n < 2048) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			if (seed >> 63) {
				emit(2, (seed >> 40) & 0xFFFF);
			} else {
				/* a supported opcode with random operand fields */
				const struct ref *r = &refs[(seed >> 32) % nrefs];
				uint8_t b[6];

				for (unsigned k = 0; k < 6; k++)
					b[k] = (uint8_t)(seed >> (8 * k));
				b[0] = r->b[0];
				if (r->b[0] == 0xB2 || r->b[0] == 0xB9)
					b[1] = r->b[1];
				else if ((r->b[0] & 0xF0) == 0xA0 || (r->b[0] & 0xF0) == 0xC0)
					b[1] = (uint8_t)((b[1] & 0xF0) | (r->b[1] & 0x0F));
				if (r->b[0] == 0xE3 || r->b[0] == 0xEB)
					b[5] = r->b[5];
				for (unsigned k = 0; k < r->len; k++)
					emit(1, b[k]);
			}
		}
		env_setup(&e, &o);
		pgm_to_resume(&e);
		poke_psw(&e, S390AP_LC_IO_NEW_PSW, PSW64, CODE);
		for (unsigned c = 0; c < o.ncpus; c++) {
			uint64_t *gr = s390ap_cpu_gr(s390ap_sys_cpu(e.sys, c));

			for (unsigned r = 0; r < 16; r++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				gr[r] = (seed >> 32) % 3 == 0 ? seed >> 40 : (seed >> 16) & 0x3FFF8;
			}
		}
		ck_assert_int_eq(s390ap_sys_run(e.sys, 20000, 0, &why), 0);
		ck_assert_int_eq(s390ap_sys_stats(e.sys, &sum), 0);
		insns += sum.instructions;
		pgms += sum.pgm_interruptions;
		for (unsigned c = 0; c < o.ncpus; c++) {
			s390ap_cpu_state st = s390ap_cpu_state_get(s390ap_sys_cpu(e.sys, c));

			ck_assert_int_ge(st, S390AP_CPU_RUNNING);
			ck_assert_int_le(st, S390AP_CPU_CHECKSTOP);
		}
		env_close(&e);
	}
	ck_assert_uint_gt(insns, 100000);
	ck_assert_uint_gt(pgms, 10000);
}
END_TEST

void tcase_cpu_api(Suite *s)
{
	TCase *tc = tcase_create("api");

	tcase_add_loop_test(tc, test_api_new_errors, 0, (int)ARRAY_SIZE(sys_refused));
	tcase_add_test(tc, test_api_new_defaults);
	tcase_add_test(tc, test_api_state);
	tcase_add_test(tc, test_api_invalid_psw);
	tcase_add_test(tc, test_random_code);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
}
