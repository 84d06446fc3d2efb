/* SPDX-License-Identifier: MIT */
/* Native SIE: a level-1 program (sie_host.S) issues SIE on an SCB the
 * test builds in system storage, with no host model; the guest is
 * one_ap.S's flat image in the window.  What SIE wrote back into the SCB
 * is checked against the architecture. */
#include "sie_test.h"

#define N_MEM (16u << 20)
#define N_MSO (2u << 20)
#define N_SCB 0x30000u
#define N_CRYCB 0x31000u
#define N_ENTRY 0x10000u
#define NO_GR13 0xDEADull

struct native {
	s390ap_sys *sys;
	s390ap_cpu *cpu;
	uint8_t scb[S390AP_SCB_SIZE];
};

static void native_open(struct native *n)
{
	s390ap_sys_opts so = { .size = sizeof(so), .mem_size = N_MEM, .ncpus = 1 };

	memset(n, 0, sizeof(*n));
	ck_assert_int_eq(s390ap_sys_new(&n->sys, &so), 0);
	n->cpu = s390ap_sys_cpu(n->sys, 0);
	ck_assert_int_eq(s390ap_sys_load(n->sys, N_MSO + N_ENTRY, sie_one_ap_bin,
					 sie_one_ap_bin_len),
			 0);
	/* a valid block: z/Architecture guest, 1 MiB at N_MSO, prefix 0 */
	be_put32(n->scb + S390AP_SCB_CPUFLAGS, S390AP_CPUSTAT_ZARCH);
	be_put64(n->scb + S390AP_SCB_MSO, N_MSO);
	be_put64(n->scb + S390AP_SCB_MSL, N_MSO);
	be_put64(n->scb + S390AP_SCB_GPSW, S390AP_PSW_EA | S390AP_PSW_BA);
	be_put64(n->scb + S390AP_SCB_GPSW + 8, N_ENTRY);
	be_put64(n->scb + S390AP_SCB_GCR_N(0), 0xE0);
}

/* Run the host with the guest's selector in GR9; the SCB comes back in
 * n->scb. */
static void native_run(struct native *n, enum one_ap_sel sel)
{
	uint64_t entry, *gr;
	s390ap_stop why;

	ck_assert_int_eq(s390ap_sys_load(n->sys, N_SCB, n->scb, sizeof n->scb), 0);
	ck_assert_int_eq(s390ap_sys_load_elf(n->sys, sie_sie_host_elf, sie_sie_host_elf_len,
					     &entry),
			 0);
	ck_assert_int_eq(s390ap_sys_start(n->sys, entry), 0);
	gr = s390ap_cpu_gr(n->cpu);
	gr[1] = N_SCB;
	gr[9] = sel;
	gr[13] = NO_GR13;
	ck_assert_int_eq(s390ap_sys_run(n->sys, 0, 50000000, &why), 0);
	ck_assert_int_eq(why, S390AP_STOP_ALL_DONE);
	ck_assert_int_eq(s390ap_cpu_state_get(n->cpu), S390AP_CPU_HALTED);
	memcpy(n->scb, s390ap_mem_data(s390ap_sys_mem(n->sys)) + N_SCB, sizeof n->scb);
}

static uint64_t native_gr13(struct native *n)
{
	return s390ap_cpu_gr(n->cpu)[13];
}

static void native_close(struct native *n)
{
	s390ap_sys_free(n->sys);
}

START_TEST(test_sie_native_diag_intercept)
{
	struct native n;

	native_open(&n);
	native_run(&n, SEL_NOTHING);
	ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_INST);
	ck_assert_x64(s390ap_scb_ipa(n.scb), 0x8300);
	ck_assert_x64(s390ap_scb_ipb(n.scb), 0x00440000);
	/* the guest PSW points after the DIAG */
	ck_assert(memcmp(s390ap_mem_data(s390ap_sys_mem(n.sys)) + N_MSO +
				 be_get64(n.scb + S390AP_SCB_GPSW + 8) - 4,
			 "\x83\x00\x00\x44", 4) == 0);
	ck_assert_x64(native_gr13(&n), NO_GR13);
	native_close(&n);
}
END_TEST

static void validity_case(void (*spoil)(uint8_t *scb), uint16_t reason)
{
	struct native n;
	uint8_t before[S390AP_SCB_SIZE];

	native_open(&n);
	spoil(n.scb);
	memcpy(before, n.scb, sizeof before);
	native_run(&n, SEL_NOTHING);
	ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_VALIDITY);
	ck_assert_x64(s390ap_scb_ipa(n.scb), S390AP_VALIDITY_IPA);
	ck_assert_msg(s390ap_scb_ipb(n.scb) == (uint32_t)reason << 16, "ipb %08x, want %04x",
		      s390ap_scb_ipb(n.scb), reason);
	/* the guest never ran and nothing else changed */
	ck_assert_x64(native_gr13(&n), NO_GR13);
	ck_assert(memcmp(before + S390AP_SCB_GPSW, n.scb + S390AP_SCB_GPSW, 16) == 0);
	native_close(&n);
}

static void no_zarch(uint8_t *scb)
{
	be_put32(scb + S390AP_SCB_CPUFLAGS, 0);
}

static void mso_above_msl(uint8_t *scb)
{
	be_put64(scb + S390AP_SCB_MSO, N_MSO + 0x100000u);
}

static void msl_beyond(uint8_t *scb)
{
	be_put64(scb + S390AP_SCB_MSL, N_MEM);
}

static void prefix_outside(uint8_t *scb)
{
	be_put32(scb + S390AP_SCB_PREFIX, 0x100000u);
}

static void apie_crycb_zero(uint8_t *scb)
{
	be_put32(scb + S390AP_SCB_ECA, S390AP_ECA_APIE);
	be_put32(scb + S390AP_SCB_CRYCBD, 0);
}

static void crycb_beyond(uint8_t *scb)
{
	be_put32(scb + S390AP_SCB_ECA, S390AP_ECA_APIE);
	be_put32(scb + S390AP_SCB_CRYCBD, (N_MEM - 0x80u) | S390AP_CRYCB_FORMAT2);
}

static void crycb_format2(uint8_t *scb)
{
	be_put32(scb + S390AP_SCB_ECA, S390AP_ECA_APIE);
	be_put32(scb + S390AP_SCB_CRYCBD, N_CRYCB | 2u);
}

START_TEST(test_sie_native_validity)
{
	validity_case(no_zarch, 0x0001);
	validity_case(mso_above_msl, 0x0041);
	validity_case(msl_beyond, 0x003D);
	validity_case(prefix_outside, 0x0010);
	validity_case(apie_crycb_zero, 0x0039);
	validity_case(crycb_format2, 0x0022);
	validity_case(crycb_beyond, 0x0035);
}
END_TEST

START_TEST(test_sie_native_program_interruption)
{
	struct native n;

	/* with PINT: the host sees it, the guest does not */
	native_open(&n);
	be_put32(n.scb + S390AP_SCB_ICTL, S390AP_ICTL_PINT);
	native_run(&n, SEL_INVALID);
	ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_PROGI);
	ck_assert_x64(be_get16(n.scb + S390AP_SCB_IPRCC), S390AP_PGM_OPERATION);
	ck_assert_x64(be_get16(n.scb + S390AP_SCB_PGMILC), 2);
	ck_assert_x64(s390ap_scb_ipa(n.scb), 0x0000);
	ck_assert_x64(native_gr13(&n), NO_GR13);
	native_close(&n);

	/* without: into the guest, whose handler then DIAGs; its lowcore is
	 * the window's first pages, not the host's */
	native_open(&n);
	native_run(&n, SEL_INVALID);
	ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_INST);
	ck_assert_x64(s390ap_scb_ipa(n.scb), 0x8300);
	ck_assert_x64(native_gr13(&n), S390AP_PGM_OPERATION);
	{
		const uint8_t *mem = s390ap_mem_data(s390ap_sys_mem(n.sys));

		ck_assert_x64(be_get16(mem + N_MSO + 0x8E), S390AP_PGM_OPERATION);
		ck_assert_x64(be_get64(mem + N_MSO + 0x1D0), S390AP_PSW_EA | S390AP_PSW_BA);
		ck_assert_x64(be_get16(mem + 0x8E), 0);
		ck_assert_x64(be_get64(mem + 0x1D0), 0);
	}
	native_close(&n);

	/* an operation exception with the OPEREXC control: icptcode 0x2C */
	native_open(&n);
	be_put32(n.scb + S390AP_SCB_ICTL, S390AP_ICTL_OPEREXC | S390AP_ICTL_PINT);
	native_run(&n, SEL_INVALID);
	ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_OPEREXC);
	ck_assert_x64(be_get16(n.scb + S390AP_SCB_IPRCC), S390AP_PGM_OPERATION);
	ck_assert_x64(native_gr13(&n), NO_GR13);
	native_close(&n);
}
END_TEST

START_TEST(test_sie_native_pqap_without_apie)
{
	struct native n;

	native_open(&n);
	native_run(&n, SEL_PQAP);
	ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_INST);
	ck_assert_x64(s390ap_scb_ipa(n.scb), 0xB2AF);
	ck_assert_x64(s390ap_scb_ipb(n.scb), 0);
	native_close(&n);
}
END_TEST

/* ECA_APIE with a format 2 CRYCB granting 03.0006: the guest's AP
 * instructions run against it without any interception. */
static void native_apie(struct native *n)
{
	uint8_t crycb[S390AP_CRYCB_SIZE] = { 0 };

	native_open(n);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, S390AP_CRYCB_FORMAT2, S390AP_CRYCB_APM, 3,
					      true),
			 0);
	ck_assert_int_eq(s390ap_crycb_set_bit(crycb, S390AP_CRYCB_FORMAT2, S390AP_CRYCB_AQM, 6,
					      true),
			 0);
	ck_assert_int_eq(s390ap_sys_load(n->sys, N_CRYCB, crycb, sizeof crycb), 0);
	be_put32(n->scb + S390AP_SCB_ECA, S390AP_ECA_APIE);
	be_put32(n->scb + S390AP_SCB_CRYCBD, N_CRYCB | S390AP_CRYCB_FORMAT2);
	ck_assert_int_eq(s390ap_sys_load(n->sys, N_SCB, n->scb, sizeof n->scb), 0);
}

START_TEST(test_sie_native_apie_view)
{
	static const struct {
		uint16_t apqn;
		uint8_t rc;
		unsigned cc;
	} rows[] = { { 0x0306, S390AP_RC_NORMAL, 0 },
		     { 0x0307, S390AP_RC_Q_NOT_AVAIL, 3 },
		     { 0x0406, S390AP_RC_Q_NOT_AVAIL, 3 } };

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct native n;
		uint64_t entry, *gr;
		s390ap_stop why;
		unsigned cc;

		native_apie(&n);
		ck_assert_int_eq(s390ap_sys_load_elf(n.sys, sie_sie_host_elf, sie_sie_host_elf_len,
						     &entry),
				 0);
		ck_assert_int_eq(s390ap_sys_start(n.sys, entry), 0);
		gr = s390ap_cpu_gr(n.cpu);
		gr[0] = gr0_fc(S390AP_FC_TAPQ, rows[i].apqn);
		gr[1] = N_SCB;
		gr[9] = SEL_PQAP;
		gr[13] = NO_GR13;
		ck_assert_int_eq(s390ap_sys_run(n.sys, 0, 50000000, &why), 0);
		memcpy(n.scb, s390ap_mem_data(s390ap_sys_mem(n.sys)) + N_SCB, sizeof n.scb);
		/* the first interception is the DIAG after the PQAP */
		ck_assert_uint_eq(s390ap_scb_icptcode(n.scb), S390AP_ICPT_INST);
		ck_assert_x64(s390ap_scb_ipa(n.scb), 0x8300);
		cc = (unsigned)(be_get64(n.scb + S390AP_SCB_GPSW) >> S390AP_PSW_CC_SHIFT) & 3;
		ck_assert_uint_eq(cc, rows[i].cc);
		ck_assert_uint_eq((uint8_t)(gr[1] >> 16), rows[i].rc);
		ck_assert_x64(gr[13], NO_GR13);
		native_close(&n);
	}
}
END_TEST

TCase *sie_native_tcase(void)
{
	TCase *tc = tcase_create("native");

	tcase_add_test(tc, test_sie_native_diag_intercept);
	tcase_add_test(tc, test_sie_native_validity);
	tcase_add_test(tc, test_sie_native_program_interruption);
	tcase_add_test(tc, test_sie_native_pqap_without_apie);
	tcase_add_test(tc, test_sie_native_apie_view);
	return tc;
}
