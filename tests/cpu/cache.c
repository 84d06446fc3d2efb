/* SPDX-License-Identifier: MIT */
/* cpu suite: the decoded-instruction cache against every way of writing
 * storage. */
#include "cpu_test.h"

/* ------------------------------------------------------------------ */
/* Decoded-instruction cache                                           */
/* ------------------------------------------------------------------ */
/* A store into an instruction already executed (so cached) must be seen
 * the next time it runs. */
START_TEST(test_self_modifying_code)
{
	struct env e;
	uint64_t x;
	size_t fix;

	prog_begin();
	LGHI(3, 0);
	x = here();
	LGHI(2, 1); /* the immediate byte at x + 3 gets patched */
	AGHI(3, 1);
	CHI(3, 2);
	fix = fwd_brc(8);
	LARL(1, x);
	MVI(3, 1, 5);
	BRC(15, x);
	patch_here(fix);
	EXIT();
	env_setup(&e, NULL);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), 5);
	env_close(&e);
}
END_TEST

/* Code patched from outside between runs (s390ap_sys_load), and by the
 * machine's storage interface. */
START_TEST(test_code_patched_between_runs)
{
	struct env e;
	uint64_t loop;
	static const uint8_t aghi_5[4] = { 0xA7, 0x3B, 0x00, 0x05 };

	prog_begin();
	loop = here();
	AGHI(3, 1);
	BRC(15, loop);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 10, 0, &e.why), 0);
	ck_assert_uint_eq(e.gr[3], 5);
	ck_assert_int_eq(s390ap_sys_load(e.sys, loop, aghi_5, 4), 0);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 10, 0, &e.why), 0);
	ck_assert_uint_eq(e.gr[3], 5 + 25);
	ck_assert_int_eq(s390ap_storage_write(s390ap_sys_storage(e.sys), loop + 3, "\x07", 1), 0);
	ck_assert_int_eq(s390ap_sys_run(e.sys, 10, 0, &e.why), 0);
	ck_assert_uint_eq(e.gr[3], 30 + 35);
	env_close(&e);
}
END_TEST

/* Another vCPU (with another prefix) patches code the first has cached. */
START_TEST(test_code_patched_by_other_cpu)
{
	s390ap_sys_opts o = { S390AP_SIZED(s390ap_sys_opts), .mem_size = SMALL_MEM, .ncpus = 2,
			      .quantum = 40 };
	struct env e;
	uint64_t loop, patch, cpu1;
	size_t fix;

	prog_begin();
	STAP(0x300, 0);
	LLGH(1, 0x300, 0, 0);
	LTGR(1, 1);
	fix = fwd_brc(6); /* CPU 1 goes to the patcher */
	loop = here();
	AGHI(3, 1);
	patch = here();
	BRC(15, loop); /* becomes BRC 0 */
	LGR(2, 3);
	EXIT();
	patch_here(fix);
	cpu1 = here();
	LARL(5, patch);
	LGHI(6, 100);
	loop = here();
	BRCTG(6, loop);  /* let CPU 0 spin a while */
	MVI(1, 5, 0x04); /* A7F4 -> A704: never branch */
	HALT();
	(void)cpu1;
	env_setup(&e, &o);
	ck_assert_int_eq(s390ap_cpu_set_prefix(s390ap_sys_cpu(e.sys, 1), 0x40000), 0);
	ck_assert_int_eq(env_run(&e), S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(e.cpu), S390AP_CPU_HALTED);
	ck_assert_uint_gt(exit_value(&e), 10);
	env_close(&e);
}
END_TEST

/* Every public way to write a system's storage drops the decoded
 * instructions it replaces: run LGHI 2,imm + exit (so it is cached), rewrite
 * the immediate through one path, run again from the start: the new
 * immediate must come out.  _i selects the path. */
enum smc_path {
	SMC_SYS_LOAD,       /* s390ap_sys_load */
	SMC_SYS_LOAD_ELF,   /* s390ap_sys_load_elf */
	SMC_SYS_STORAGE_CB, /* s390ap_sys_storage()->write, called directly */
	SMC_SYS_STORAGE,    /* s390ap_storage_write(s390ap_sys_storage()) */
	SMC_MEM_WRITE,      /* s390ap_mem_write(s390ap_sys_mem()) */
	SMC_MEM_STORAGE,    /* s390ap_mem_storage(s390ap_sys_mem()) callbacks */
	SMC_DQAP,           /* s390ap_execute(DQAP) storing a reply over code */
	SMC_NIB,            /* the machine setting a NIB byte inside code */
	SMC_PATHS
};

/* One AP instruction (RRE, r1 = 4, r2 = 6) through the public entry on
 * the system's storage; it must end in cc 0. */
static void smc_ap(struct env *e, uint32_t op, uint64_t *gr)
{
	s390ap_insn_ctx ctx = { .gr = gr, .amode = 64, .storage = s390ap_sys_storage(e->sys) };
	s390ap_insn_result r;

	ck_assert_int_eq(s390ap_execute(s390ap_sys_machine(e->sys), &ctx, op << 16 | 0x46, &r), 0);
	ck_assert_uint_eq(r.pgm, 0);
	ck_assert_uint_eq(r.cc, 0);
}

START_TEST(test_code_patched_every_path)
{
	static const uint8_t imm[2] = { 0x00, 0x02 };
	const uint16_t acc = S390AP_APQN(0x03, 0x06);
	s390ap_machine *m;
	s390ap_storage st;
	s390ap_psw psw;
	struct env e;
	uint64_t gr[16] = { 0 };
	uint64_t before = 1, after = 2;
	uint8_t f[256];
	uint64_t entry;
	size_t n;

	prog_begin();
	LGHI(2, _i == SMC_NIB ? 0x100 : 1); /* bytes 2-3 of CODE: the immediate */
	EXIT();
	env_setup(&e, NULL);
	m = s390ap_sys_machine(e.sys);
	if (_i == SMC_NIB)
		before = 0x100, after = 0x101;
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), before);

	switch ((enum smc_path)_i) {
	case SMC_SYS_LOAD:
		ck_assert_int_eq(s390ap_sys_load(e.sys, CODE + 2, imm, 2), 0);
		break;
	case SMC_SYS_LOAD_ELF: {
		const uint64_t seg[1][4] = { { CODE + 2, 0, 2, 2 } };

		n = build_elf(f, seg, 1);
		memcpy(f + 64 + 56, imm, 2); /* the segment's data */
		ck_assert_uint_eq(n, 64 + 56 + 2);
		ck_assert_int_eq(s390ap_sys_load_elf(e.sys, f, n, &entry), 0);
		break;
	}
	case SMC_SYS_STORAGE_CB: {
		const s390ap_storage *sst = s390ap_sys_storage(e.sys);

		ck_assert_int_eq(sst->write(sst->ctx, CODE + 2, imm, 2), 0);
		break;
	}
	case SMC_SYS_STORAGE:
		ck_assert_int_eq(s390ap_storage_write(s390ap_sys_storage(e.sys), CODE + 2, imm, 2),
				 0);
		break;
	case SMC_MEM_WRITE:
		ck_assert_int_eq(s390ap_mem_write(s390ap_sys_mem(e.sys), CODE + 2, imm, 2), 0);
		break;
	case SMC_MEM_STORAGE:
		ck_assert_int_eq(s390ap_mem_storage(s390ap_sys_mem(e.sys), &st), 0);
		ck_assert_int_eq(s390ap_storage_write(&st, CODE + 2, imm, 2), 0);
		break;
	case SMC_DQAP: {
		s390ap_engine echo = { .process = smc_echo, .destroy = NULL, .ctx = NULL };

		ck_assert_int_eq(s390ap_adapter_set_engine(m, 0x03, &echo), 0);
		poke(&e, DATA, imm, 2);
		gr[0] = S390AP_NQAP_L | acc;
		gr[5] = 7; /* PSMID */
		gr[6] = DATA;
		gr[7] = 2;
		smc_ap(&e, S390AP_OP_NQAP, gr);
		ck_assert_int_eq(s390ap_machine_advance(m, 1000000), 0);
		gr[0] = acc;
		gr[6] = CODE + 2; /* the reply lands on the immediate */
		gr[7] = 2;
		smc_ap(&e, S390AP_OP_DQAP, gr);
		ck_assert_uint_eq(gr[5], 7);
		break;
	}
	case SMC_NIB: {
		s390ap_engine echo = { .process = smc_echo, .destroy = NULL, .ctx = NULL };

		ck_assert_int_eq(s390ap_adapter_set_engine(m, 0x03, &echo), 0);
		gr[0] = (uint64_t)S390AP_FC_AQIC << S390AP_GR0_FC_SHIFT | acc;
		gr[1] = S390AP_AQIC_IR | 3;
		gr[2] = CODE + 3; /* the NIB is the immediate's low byte (0) */
		smc_ap(&e, S390AP_OP_PQAP, gr);
		ck_assert_int_eq(s390ap_machine_advance(m, 1000000), 0);
		poke(&e, DATA, imm, 2);
		gr[0] = S390AP_NQAP_L | acc;
		gr[6] = DATA;
		gr[7] = 2;
		smc_ap(&e, S390AP_OP_NQAP, gr);
		ck_assert_int_eq(s390ap_machine_advance(m, 1000000), 0); /* reply: NIB = 1 */
		ck_assert_uint_eq(e.mem[CODE + 3], 0x01);
		break;
	}
	case SMC_PATHS:
		ck_abort();
	}

	ck_assert_int_eq(s390ap_cpu_psw(e.cpu, &psw), 0);
	psw.addr = CODE;
	ck_assert_int_eq(s390ap_cpu_set_psw(e.cpu, &psw), 0);
	run_done(&e);
	ck_assert_uint_eq(exit_value(&e), after);
	env_close(&e);
}
END_TEST

/* A guest DQAP storing a 4 KiB reply over code the vCPU has cached: the
 * subroutine at `sub` (LGHI 2,1; BR 14) runs, the reply rewrites it to
 * LGHI 2,2 and the second call must see that.  The code sits in a middle
 * granule of the store (_i 0), in the last one of a store that starts
 * mid-granule (_i 1), and past the 8 KiB boundary a store crosses (_i 2). */
START_TEST(test_code_patched_by_guest_dqap)
{
	static const struct {
		uint64_t dst, sub;
	} at[] = {
		{ CODE + 0x400, CODE + 0x900 },
		{ CODE + 0x430, CODE + 0x1420 },
		{ CODE + 0x1800, CODE + 0x2100 },
	};
	static const uint8_t new_sub[6] = { 0xA7, 0x29, 0x00, 0x02, 0x07, 0xFE };
	const uint64_t dst = at[_i].dst, sub = at[_i].sub, len = 0x1000;
	const uint16_t acc = S390AP_APQN(0x03, 0x06);
	s390ap_engine echo = { .process = smc_echo, .destroy = NULL, .ctx = NULL };
	static uint8_t msg[0x1000];
	struct env e;
	uint64_t poll;

	prog_begin();
	BRAS(14, sub);
	LGR(3, 2);
	LLILF(0, S390AP_NQAP_L | acc);
	LGHI(4, 0);
	LGHI(5, 7); /* PSMID */
	LLILF(6, DATA);
	LLILF(7, (int64_t)len);
	NQAP(4, 6);
	poll = here();
	LLILF(0, acc);
	LGHI(2, 0);
	LLILF(6, (int64_t)dst);
	LLILF(7, (int64_t)len);
	DQAP(4, 6);
	BRC(7, poll);
	BRAS(14, sub);
	EXIT();
	ck_assert_uint_lt(here(), dst);
	while (here() < sub)
		emit(1, 0);
	LGHI(2, 1);
	BCR(15, 14);
	env_setup(&e, NULL);
	ck_assert_int_eq(s390ap_adapter_set_engine(s390ap_sys_machine(e.sys), 0x03, &echo), 0);
	memset(msg, 0, sizeof(msg));
	memcpy(msg + (sub - dst), new_sub, sizeof(new_sub));
	poke(&e, DATA, msg, sizeof(msg));
	run_done(&e);
	ck_assert_uint_eq(e.gr[3], 1);
	ck_assert_uint_eq(e.gr[5], 7);
	ck_assert_mem_eq(e.mem + sub, new_sub, sizeof(new_sub));
	ck_assert_uint_eq(exit_value(&e), 2);
	env_close(&e);
}
END_TEST

void tcase_cpu_cache(Suite *s)
{
	TCase *tc = tcase_create("cache");

	tcase_add_test(tc, test_self_modifying_code);
	tcase_add_test(tc, test_code_patched_between_runs);
	tcase_add_test(tc, test_code_patched_by_other_cpu);
	tcase_add_loop_test(tc, test_code_patched_every_path, 0, SMC_PATHS);
	tcase_add_loop_test(tc, test_code_patched_by_guest_dqap, 0, 3);
	suite_add_tcase(s, tc);
}
