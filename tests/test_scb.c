/* SPDX-License-Identifier: MIT */
/* The SIE control block model (include/s390ap/sie.h, docs/sie-block.md):
 * offsets and constants against the architected numbers written out here,
 * big-endian access by name with exact byte images, ipa/ipb, the guest
 * storage window and flag words as text. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "testutil.h"

static uint8_t scb[512];
static uint8_t want[512];

static void setup(void)
{
	memset(scb, 0, sizeof(scb));
	memset(want, 0, sizeof(want));
}

static const s390ap_scb_field *field(const char *name)
{
	const s390ap_scb_field *f = s390ap_scb_field_find(name);

	ck_assert_msg(f != NULL, "no field %s", name);
	return f;
}

/* ------------------------------------------------------------------ */
/* Layout                                                              */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	unsigned offset, size, count;
} layout[] = {
	{ "cpuflags", 0x000, 4, 1 },   { "prefix", 0x004, 4, 1 },     { "prog0c", 0x00C, 4, 1 },
	{ "prog20", 0x020, 4, 1 },     { "cputm", 0x028, 8, 1 },      { "ckc", 0x030, 8, 1 },
	{ "epoch", 0x038, 8, 1 },      { "svcc", 0x040, 4, 1 },       { "lctl", 0x044, 2, 1 },
	{ "icpua", 0x046, 2, 1 },      { "ictl", 0x048, 4, 1 },       { "eca", 0x04C, 4, 1 },
	{ "icptcode", 0x050, 1, 1 },   { "icptstatus", 0x051, 1, 1 }, { "ihcpu", 0x052, 2, 1 },
	{ "iictl", 0x055, 1, 1 },      { "ipa", 0x056, 2, 1 },        { "ipb", 0x058, 4, 1 },
	{ "scaoh", 0x05C, 4, 1 },      { "fpf", 0x060, 1, 1 },        { "ecb", 0x061, 1, 1 },
	{ "ecb2", 0x062, 1, 1 },       { "ecb3", 0x063, 1, 1 },       { "scaol", 0x064, 4, 1 },
	{ "sdf", 0x068, 1, 1 },        { "epdx", 0x069, 1, 1 },       { "cpnc", 0x06A, 1, 1 },
	{ "todpr", 0x06C, 4, 1 },      { "gd", 0x070, 4, 1 },         { "mso", 0x080, 8, 1 },
	{ "msl", 0x088, 8, 1 },        { "gpsw", 0x090, 16, 1 },      { "gg14", 0x0A0, 8, 1 },
	{ "gg15", 0x0A8, 8, 1 },       { "hpid", 0x0B8, 1, 1 },       { "eiparams", 0x0C0, 4, 1 },
	{ "extcpuaddr", 0x0C4, 2, 1 }, { "eic", 0x0C6, 2, 1 },        { "pgmilc", 0x0CC, 2, 1 },
	{ "iprcc", 0x0CE, 2, 1 },      { "dxc", 0x0D0, 4, 1 },        { "mcn", 0x0D4, 2, 1 },
	{ "perc", 0x0D6, 1, 1 },       { "peratmid", 0x0D7, 1, 1 },   { "peraddr", 0x0D8, 8, 1 },
	{ "eai", 0x0E0, 1, 1 },        { "peraid", 0x0E1, 1, 1 },     { "oai", 0x0E2, 1, 1 },
	{ "armid", 0x0E3, 1, 1 },      { "tecmc", 0x0E8, 8, 1 },      { "crycbd", 0x0FC, 4, 1 },
	{ "gcr", 0x100, 8, 16 },       { "gbea", 0x180, 8, 1 },       { "sdnxo", 0x190, 8, 1 },
	{ "fac", 0x1A0, 4, 1 },        { "cbrlo", 0x1B8, 8, 1 },      { "ecd", 0x1C8, 4, 1 },
	{ "pp", 0x1DE, 8, 1 },         { "itdba", 0x1E8, 8, 1 },      { "riccbd", 0x1F0, 8, 1 },
	{ "gvrd", 0x1F8, 8, 1 },
};

START_TEST(test_scb_offsets_table)
{
	const s390ap_scb_field *table;
	size_t n = s390ap_scb_fields(&table);

	ck_assert_uint_eq(n, ARRAY_SIZE(layout));
	ck_assert_uint_eq(s390ap_scb_fields(NULL), n);
	for (size_t i = 0; i < n; i++) {
		const s390ap_scb_field *f = field(layout[i].name);

		ck_assert_str_eq(table[i].name, layout[i].name);
		ck_assert_ptr_eq(f, &table[i]);
		ck_assert_msg(f->offset == layout[i].offset, "%s at 0x%x", f->name, f->offset);
		ck_assert_uint_eq(f->size, layout[i].size);
		ck_assert_uint_eq(f->count, layout[i].count);
		/* in offset order, no overlap, inside the block */
		if (i > 0)
			ck_assert_uint_ge(f->offset,
					  table[i - 1].offset +
						  table[i - 1].size * table[i - 1].count);
		ck_assert_uint_le(f->offset + f->size * f->count, 512);
	}
}
END_TEST

/* The header's macros carry the same numbers. */
START_TEST(test_scb_offsets_macros)
{
	static const unsigned got[][2] = {
		{ S390AP_SCB_SIZE, 512 },
		{ S390AP_SCB_ALIGN, 512 },
		{ S390AP_SCB_CPUFLAGS, 0x000 },
		{ S390AP_SCB_PREFIX, 0x004 },
		{ S390AP_SCB_PROG0C, 0x00C },
		{ S390AP_SCB_PROG20, 0x020 },
		{ S390AP_SCB_CPUTM, 0x028 },
		{ S390AP_SCB_CKC, 0x030 },
		{ S390AP_SCB_EPOCH, 0x038 },
		{ S390AP_SCB_SVCC, 0x040 },
		{ S390AP_SCB_LCTL, 0x044 },
		{ S390AP_SCB_ICPUA, 0x046 },
		{ S390AP_SCB_ICTL, 0x048 },
		{ S390AP_SCB_ECA, 0x04C },
		{ S390AP_SCB_ICPTCODE, 0x050 },
		{ S390AP_SCB_ICPTSTATUS, 0x051 },
		{ S390AP_SCB_IHCPU, 0x052 },
		{ S390AP_SCB_IICTL, 0x055 },
		{ S390AP_SCB_IPA, 0x056 },
		{ S390AP_SCB_IPB, 0x058 },
		{ S390AP_SCB_SCAOH, 0x05C },
		{ S390AP_SCB_FPF, 0x060 },
		{ S390AP_SCB_ECB, 0x061 },
		{ S390AP_SCB_ECB2, 0x062 },
		{ S390AP_SCB_ECB3, 0x063 },
		{ S390AP_SCB_SCAOL, 0x064 },
		{ S390AP_SCB_SDF, 0x068 },
		{ S390AP_SCB_EPDX, 0x069 },
		{ S390AP_SCB_CPNC, 0x06A },
		{ S390AP_SCB_TODPR, 0x06C },
		{ S390AP_SCB_GD, 0x070 },
		{ S390AP_SCB_MSO, 0x080 },
		{ S390AP_SCB_MSL, 0x088 },
		{ S390AP_SCB_GPSW, 0x090 },
		{ S390AP_SCB_GPSW_MASK, 0x090 },
		{ S390AP_SCB_GPSW_ADDR, 0x098 },
		{ S390AP_SCB_GG14, 0x0A0 },
		{ S390AP_SCB_GG15, 0x0A8 },
		{ S390AP_SCB_HPID, 0x0B8 },
		{ S390AP_SCB_EIPARAMS, 0x0C0 },
		{ S390AP_SCB_EXTCPUADDR, 0x0C4 },
		{ S390AP_SCB_EIC, 0x0C6 },
		{ S390AP_SCB_PGMILC, 0x0CC },
		{ S390AP_SCB_IPRCC, 0x0CE },
		{ S390AP_SCB_DXC, 0x0D0 },
		{ S390AP_SCB_MCN, 0x0D4 },
		{ S390AP_SCB_PERC, 0x0D6 },
		{ S390AP_SCB_PERATMID, 0x0D7 },
		{ S390AP_SCB_PERADDR, 0x0D8 },
		{ S390AP_SCB_EAI, 0x0E0 },
		{ S390AP_SCB_PERAID, 0x0E1 },
		{ S390AP_SCB_OAI, 0x0E2 },
		{ S390AP_SCB_ARMID, 0x0E3 },
		{ S390AP_SCB_TECMC, 0x0E8 },
		{ S390AP_SCB_CRYCBD, 0x0FC },
		{ S390AP_SCB_GCR, 0x100 },
		{ S390AP_SCB_GCR_N(6), 0x130 },
		{ S390AP_SCB_GCR_N(15), 0x178 },
		{ S390AP_SCB_GBEA, 0x180 },
		{ S390AP_SCB_SDNXO, 0x190 },
		{ S390AP_SCB_FAC, 0x1A0 },
		{ S390AP_SCB_CBRLO, 0x1B8 },
		{ S390AP_SCB_ECD, 0x1C8 },
		{ S390AP_SCB_PP, 0x1DE },
		{ S390AP_SCB_ITDBA, 0x1E8 },
		{ S390AP_SCB_RICCBD, 0x1F0 },
		{ S390AP_SCB_GVRD, 0x1F8 },
		/* GISA and GIB */
		{ S390AP_GISA_SIZE, 32 },
		{ S390AP_GISA_NEXT_ALERT, 0x00 },
		{ S390AP_GISA_IPM, 0x04 },
		{ S390AP_GISA_IAM, 0x07 },
		{ S390AP_GISA0_FLAGS, 0x06 },
		{ S390AP_GISA0_G, 0x02 },
		{ S390AP_GISA0_C, 0x01 },
		{ S390AP_GISA0_AIRQ_COUNT, 0x0C },
		{ S390AP_GISA1_SIMM, 0x05 },
		{ S390AP_GISA1_NIMM, 0x06 },
		{ S390AP_GISA1_AISM, 0x08 },
		{ S390AP_GISA1_FLAGS, 0x10 },
		{ S390AP_GISA1_AIRQ_COUNT, 0x1C },
		{ S390AP_GISA_ISC_BIT(0), 0x80 },
		{ S390AP_GISA_ISC_BIT(3), 0x10 },
		{ S390AP_GISA_ISC_BIT(7), 0x01 },
		{ S390AP_GIB_SIZE, 32 },
		{ S390AP_GIB_ALERT_LIST_ORIGIN, 0 },
		{ S390AP_GIB_RESERVED, 4 },
		{ S390AP_GIB_NISC, 8 },
		{ S390AP_GIB_NISC_MASK, 0x07 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(got); i++)
		ck_assert_msg(got[i][0] == got[i][1], "row %zu: 0x%x, expected 0x%x", i, got[i][0],
			      got[i][1]);
}
END_TEST

START_TEST(test_scb_constants)
{
	static const uint64_t got[][2] = {
		{ S390AP_CPUSTAT_STOPPED, 0x80000000 },
		{ S390AP_CPUSTAT_WAIT, 0x10000000 },
		{ S390AP_CPUSTAT_ECALL_PEND, 0x08000000 },
		{ S390AP_CPUSTAT_STOP_INT, 0x04000000 },
		{ S390AP_CPUSTAT_IO_INT, 0x02000000 },
		{ S390AP_CPUSTAT_EXT_INT, 0x01000000 },
		{ S390AP_CPUSTAT_RUNNING, 0x00800000 },
		{ S390AP_CPUSTAT_RRF, 0x00008000 },
		{ S390AP_CPUSTAT_SLSV, 0x00004000 },
		{ S390AP_CPUSTAT_SLSR, 0x00002000 },
		{ S390AP_CPUSTAT_ZARCH, 0x00000800 },
		{ S390AP_CPUSTAT_KSS, 0x00000200 },
		{ S390AP_CPUSTAT_MCDS, 0x00000100 },
		{ S390AP_CPUSTAT_SM, 0x00000080 },
		{ S390AP_CPUSTAT_GED2, 0x10 },
		{ S390AP_CPUSTAT_GED, 0x04 },
		{ S390AP_CPUSTAT_P, 0x01 },
		{ S390AP_SCB_PREFIX_MASK, 0x7FFFE000 },
		{ S390AP_PROG_IN_SIE, 0x1 },
		{ S390AP_PROG_BLOCK_SIE, 0x1 },
		{ S390AP_PROG_REQUEST, 0x2 },
		{ S390AP_LCTL_CR(0), 0x8000 },
		{ S390AP_LCTL_CR(6), 0x0200 },
		{ S390AP_LCTL_CR(15), 0x0001 },
		{ S390AP_ICTL_OPEREXC, 0x80000000 },
		{ S390AP_ICTL_PINT, 0x20000000 },
		{ S390AP_ICTL_LPSW, 0x00400000 },
		{ S390AP_ICTL_STCTL, 0x00040000 },
		{ S390AP_ICTL_ISKE, 0x4000 },
		{ S390AP_ICTL_SSKE, 0x2000 },
		{ S390AP_ICTL_RRBE, 0x1000 },
		{ S390AP_ICTL_TPROT, 0x200 },
		{ S390AP_ECA_CEI, 0x80000000 },
		{ S390AP_ECA_IB, 0x40000000 },
		{ S390AP_ECA_SIGPI, 0x10000000 },
		{ S390AP_ECA_MVPGI, 0x01000000 },
		{ S390AP_ECA_AIV, 0x00200000 },
		{ S390AP_ECA_VX, 0x00020000 },
		{ S390AP_ECA_PROTEXCI, 0x2000 },
		{ S390AP_ECA_APIE, 0x00000008 },
		{ S390AP_ECA_SII, 0x1 },
		{ S390AP_ECB_GS, 0x40 },
		{ S390AP_ECB_TE, 0x10 },
		{ S390AP_ECB_SPECI, 0x08 },
		{ S390AP_ECB_SRSI, 0x04 },
		{ S390AP_ECB_HOSTPROTINT, 0x02 },
		{ S390AP_ECB_PTF, 0x01 },
		{ S390AP_ECB2_CMMA, 0x80 },
		{ S390AP_ECB2_IEP, 0x20 },
		{ S390AP_ECB2_PFMFI, 0x08 },
		{ S390AP_ECB2_ESCA, 0x04 },
		{ S390AP_ECB2_ZPCI_LSI, 0x02 },
		{ S390AP_ECB3_AISI, 0x20 },
		{ S390AP_ECB3_AISII, 0x10 },
		{ S390AP_ECB3_DEA, 0x08 },
		{ S390AP_ECB3_AES, 0x04 },
		{ S390AP_ECB3_RI, 0x01 },
		{ S390AP_ECD_HOSTREGMGMT, 0x20000000 },
		{ S390AP_ECD_MEF, 0x08000000 },
		{ S390AP_ECD_ETOKENF, 0x02000000 },
		{ S390AP_ECD_ECC, 0x00200000 },
		{ S390AP_ECD_HMAC, 0x00004000 },
		{ S390AP_GD_GISA_FORMAT1, 0x1 },
		{ S390AP_SCB_FAC_ORIGIN_MASK, 0x7FFFFFF8 },
		{ S390AP_SCB_MS_BLOCK, 0x100000 },
		{ S390AP_SCB_MS_MASK, 0xFFFFFFFFFFF00000 },
		{ S390AP_ICPT_NONE, 0x00 },
		{ S390AP_ICPT_INST, 0x04 },
		{ S390AP_ICPT_PROGI, 0x08 },
		{ S390AP_ICPT_INSTPROGI, 0x0C },
		{ S390AP_ICPT_EXTREQ, 0x10 },
		{ S390AP_ICPT_EXTINT, 0x14 },
		{ S390AP_ICPT_IOREQ, 0x18 },
		{ S390AP_ICPT_WAIT, 0x1C },
		{ S390AP_ICPT_VALIDITY, 0x20 },
		{ S390AP_ICPT_STOP, 0x28 },
		{ S390AP_ICPT_OPEREXC, 0x2C },
		{ S390AP_ICPT_PARTEXEC, 0x38 },
		{ S390AP_ICPT_IOINST, 0x40 },
		{ S390AP_ICPT_KSS, 0x5C },
		{ S390AP_VALIDITY_IPA, 0x1000 },
		{ S390AP_VALIDITY_IPB(S390AP_VALIDITY_CRYCB_FORMAT), 0x00220000 },
		{ S390AP_VALIDITY_REASON(0x003C0000u), 0x003C },
		{ S390AP_VALIDITY_MODE, 0x0001 },
		{ S390AP_VALIDITY_SLS, 0x0007 },
		{ S390AP_VALIDITY_PREFIX, 0x0010 },
		{ S390AP_VALIDITY_CRYCB_FORMAT, 0x0022 },
		{ S390AP_VALIDITY_CRYCB_FETCH, 0x0035 },
		{ S390AP_VALIDITY_PREFIX_ACCESS, 0x0037 },
		{ S390AP_VALIDITY_CRYCB_ZERO, 0x0039 },
		{ S390AP_VALIDITY_CRYCB_PAGE, 0x003C },
		{ S390AP_VALIDITY_MSL, 0x003D },
		{ S390AP_VALIDITY_MSO_MSL, 0x0041 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(got); i++)
		ck_assert_msg(got[i][0] == got[i][1], "row %zu: 0x%llx, expected 0x%llx", i,
			      (unsigned long long)got[i][0], (unsigned long long)got[i][1]);
}
END_TEST

/* ------------------------------------------------------------------ */
/* get / set                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_scb_set_byte_images)
{
	const s390ap_scb_field *gcr = field("gcr"), *gpsw = field("gpsw");

	ck_assert_int_eq(s390ap_scb_set(scb, field("cpuflags"), 0,
					S390AP_CPUSTAT_ZARCH | S390AP_CPUSTAT_RUNNING),
			 0);
	memcpy(want + 0x000, "\x00\x80\x08\x00", 4);
	ck_assert_int_eq(s390ap_scb_set(scb, field("lctl"), 0, 0x8200), 0);
	memcpy(want + 0x044, "\x82\x00", 2);
	ck_assert_int_eq(s390ap_scb_set(scb, field("icptcode"), 0, 0x04), 0);
	want[0x050] = 0x04;
	ck_assert_int_eq(s390ap_scb_set(scb, field("ipb"), 0, 0x00440000), 0);
	memcpy(want + 0x058, "\x00\x44\x00\x00", 4);
	ck_assert_int_eq(s390ap_scb_set(scb, field("ecb3"), 0, 0x0C), 0);
	want[0x063] = 0x0C;
	ck_assert_int_eq(s390ap_scb_set(scb, field("msl"), 0, 0x00000001234FFFFFu), 0);
	memcpy(want + 0x088, "\x00\x00\x00\x01\x23\x4F\xFF\xFF", 8);
	ck_assert_int_eq(s390ap_scb_set(scb, gpsw, 0, 0x0705000180000000u), 0);
	memcpy(want + 0x090, "\x07\x05\x00\x01\x80\x00\x00\x00", 8);
	ck_assert_int_eq(s390ap_scb_set(scb, gpsw, 1, 0x0000000000012345u), 0);
	memcpy(want + 0x098, "\x00\x00\x00\x00\x00\x01\x23\x45", 8);
	ck_assert_int_eq(s390ap_scb_set(scb, field("crycbd"), 0, 0x00123459u), 0);
	memcpy(want + 0x0FC, "\x00\x12\x34\x59", 4);
	ck_assert_int_eq(s390ap_scb_set(scb, gcr, 0, 0xE0u), 0);
	memcpy(want + 0x100, "\x00\x00\x00\x00\x00\x00\x00\xE0", 8);
	ck_assert_int_eq(s390ap_scb_set(scb, gcr, 15, 0x0102030405060708u), 0);
	memcpy(want + 0x178, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	ck_assert_int_eq(s390ap_scb_set(scb, field("ecd"), 0, 0x00200000), 0);
	memcpy(want + 0x1C8, "\x00\x20\x00\x00", 4);
	ck_assert_int_eq(s390ap_scb_set(scb, field("pp"), 0, 0x1122334455667788u), 0);
	memcpy(want + 0x1DE, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	ck_assert_int_eq(s390ap_scb_set(scb, field("gvrd"), 0, 0xFFFFFFFFFFFFFE00u), 0);
	memcpy(want + 0x1F8, "\xFF\xFF\xFF\xFF\xFF\xFF\xFE\x00", 8);

	ck_assert_mem_eq(scb, want, sizeof(want));

	/* and back */
	ck_assert_x64(s390ap_scb_get(scb, field("cpuflags"), 0), 0x00800800);
	ck_assert_x64(s390ap_scb_get(scb, gpsw, 0), 0x0705000180000000u);
	ck_assert_x64(s390ap_scb_get(scb, gpsw, 1), 0x12345);
	ck_assert_x64(s390ap_scb_get(scb, gcr, 15), 0x0102030405060708u);
	ck_assert_x64(s390ap_scb_get(scb, gcr, 0), 0xE0);
	ck_assert_x64(s390ap_scb_get(scb, gcr, 14), 0);
	ck_assert_x64(s390ap_scb_get(scb, field("pp"), 0), 0x1122334455667788u);
	ck_assert_x64(s390ap_scb_get(scb, field("ecb3"), 0), 0x0C);
	ck_assert_uint_eq(s390ap_scb_icptcode(scb), S390AP_ICPT_INST);
	ck_assert_uint_eq(s390ap_scb_ipb(scb), 0x00440000);
	ck_assert_uint_eq(s390ap_scb_ipa(scb), 0);
}
END_TEST

/* A round trip of every item of every field, one at a time on a zero block:
 * only that item's bytes change. */
START_TEST(test_scb_set_every_item)
{
	const s390ap_scb_field *table;
	size_t n = s390ap_scb_fields(&table);

	for (size_t i = 0; i < n; i++) {
		unsigned items = s390ap_scb_field_items(&table[i]);
		unsigned width = table[i].size > 8 ? 8 : table[i].size;

		ck_assert_uint_eq(items, table[i].count * (table[i].size / width));
		for (unsigned k = 0; k < items; k++) {
			uint64_t v = 0xA1B2C3D4E5F60718u >> (8 * (8 - width));

			memset(scb, 0, sizeof(scb));
			memset(want, 0, sizeof(want));
			for (unsigned b = 0; b < width; b++)
				want[table[i].offset + k * width + b] =
					(uint8_t)(v >> (8 * (width - 1 - b)));
			ck_assert_int_eq(s390ap_scb_set(scb, &table[i], k, v), 0);
			ck_assert_mem_eq(scb, want, sizeof(want));
			ck_assert_x64(s390ap_scb_get(scb, &table[i], k), v);
		}
	}
}
END_TEST

START_TEST(test_scb_set_errors)
{
	const s390ap_scb_field bad = { "bad", 0x1FC, 8, 1 };

	ck_assert_int_eq(s390ap_scb_set(scb, field("icptcode"), 0, 0x100), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_set(scb, field("lctl"), 0, 0x10000), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_set(scb, field("prefix"), 0, 0x100000000u), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_set(scb, field("gcr"), 16, 1), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_set(scb, field("gpsw"), 2, 1), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_set(scb, field("eca"), 1, 1), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_set(scb, &bad, 0, 1), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_scb_set(NULL, field("eca"), 0, 1), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_scb_set(scb, NULL, 0, 1), S390AP_EINVAL);
	ck_assert_mem_eq(scb, want, sizeof(want)); /* nothing written */

	memset(scb, 0xFF, sizeof(scb));
	ck_assert_x64(s390ap_scb_get(scb, field("gcr"), 16), 0);
	ck_assert_x64(s390ap_scb_get(scb, &bad, 0), 0);
	ck_assert_x64(s390ap_scb_get(NULL, field("gcr"), 0), 0);
	ck_assert_x64(s390ap_scb_get(scb, NULL, 0), 0);
	ck_assert_uint_eq(s390ap_scb_field_items(&bad), 0);
	ck_assert_uint_eq(s390ap_scb_field_items(NULL), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Lookup                                                              */
/* ------------------------------------------------------------------ */

START_TEST(test_scb_lookup)
{
	const s390ap_scb_field *f = NULL;
	unsigned idx = 99;

	ck_assert_int_eq(s390ap_scb_field_lookup("gcr6", &f, &idx), 0);
	ck_assert_str_eq(f->name, "gcr");
	ck_assert_uint_eq(f->offset, 0x100);
	ck_assert_uint_eq(idx, 6);
	ck_assert_int_eq(s390ap_scb_field_lookup("GCR15", &f, &idx), 0);
	ck_assert_uint_eq(idx, 15);
	ck_assert_int_eq(s390ap_scb_field_lookup("gcr", &f, &idx), 0);
	ck_assert_uint_eq(idx, 0);
	ck_assert_int_eq(s390ap_scb_field_lookup("gpsw1", &f, &idx), 0);
	ck_assert_uint_eq(f->offset, 0x090);
	ck_assert_uint_eq(idx, 1);
	/* names ending in digits are names, not items */
	ck_assert_int_eq(s390ap_scb_field_lookup("prog20", &f, &idx), 0);
	ck_assert_uint_eq(f->offset, 0x020);
	ck_assert_uint_eq(idx, 0);
	ck_assert_int_eq(s390ap_scb_field_lookup("ECB3", &f, NULL), 0);
	ck_assert_uint_eq(f->offset, 0x063);
	ck_assert_int_eq(s390ap_scb_field_lookup("gg15", &f, &idx), 0);
	ck_assert_uint_eq(f->offset, 0x0A8);

	f = NULL;
	ck_assert_int_eq(s390ap_scb_field_lookup("gcr16", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("gpsw2", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("eca1", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("ecb4", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("gcr100", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("nosuch", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("6", &f, &idx), S390AP_ENOENT);
	ck_assert_int_eq(s390ap_scb_field_lookup("", &f, &idx), S390AP_ENOENT);
	ck_assert_ptr_null(f);
	ck_assert_int_eq(s390ap_scb_field_lookup(NULL, &f, &idx), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_scb_field_lookup("eca", NULL, &idx), S390AP_EINVAL);

	ck_assert_ptr_nonnull(s390ap_scb_field_find("CpuFlags"));
	ck_assert_ptr_null(s390ap_scb_field_find("gcr6"));
	ck_assert_ptr_null(s390ap_scb_field_find("cpuflag"));
	ck_assert_ptr_null(s390ap_scb_field_find("cpuflagsx"));
	ck_assert_ptr_null(s390ap_scb_field_find(""));
	ck_assert_ptr_null(s390ap_scb_field_find(NULL));
}
END_TEST

/* ------------------------------------------------------------------ */
/* ipa / ipb                                                           */
/* ------------------------------------------------------------------ */

START_TEST(test_scb_ipa_ipb)
{
	static const struct {
		uint8_t insn[6];
		unsigned ilen;
		uint16_t ipa;
		uint32_t ipb;
	} cases[] = {
		{ { 0xB2, 0xAF, 0x00, 0x00 }, 4, 0xB2AF, 0x00000000 },             /* PQAP */
		{ { 0x83, 0x00, 0x00, 0x44 }, 4, 0x8300, 0x00440000 },             /* DIAG 0x44 */
		{ { 0xAE, 0x20, 0x00, 0x05 }, 4, 0xAE20, 0x00050000 },             /* SIGP */
		{ { 0xB2, 0xAD, 0x00, 0xAC }, 4, 0xB2AD, 0x00AC0000 },             /* NQAP */
		{ { 0x0A, 0x05 }, 2, 0x0A05, 0x00000000 },                         /* SVC 5 */
		{ { 0xE3, 0x10, 0x20, 0x08, 0x00, 0x04 }, 6, 0xE310, 0x20080004 }, /* LG */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		uint16_t ipa = 0xFFFF;
		uint32_t ipb = 0xFFFFFFFF;

		ck_assert_int_eq(s390ap_scb_ipa_ipb(cases[i].insn, cases[i].ilen, &ipa, &ipb), 0);
		ck_assert_uint_eq(ipa, cases[i].ipa);
		ck_assert_uint_eq(ipb, cases[i].ipb);
	}

	/* RRE operands of NQAP R10,R12; S operand of B2 B2 F123 */
	ck_assert_uint_eq(s390ap_ipb_rre_r1(0x00AC0000), 10);
	ck_assert_uint_eq(s390ap_ipb_rre_r2(0x00AC0000), 12);
	ck_assert_uint_eq(s390ap_ipb_base(0xF1230000), 0xF);
	ck_assert_uint_eq(s390ap_ipb_disp(0xF1230000), 0x123);

	/* the length must be the opcode's */
	{
		static const uint8_t pqap[4] = { 0xB2, 0xAF, 0, 0 };
		uint16_t ipa = 0x1234;
		uint32_t ipb = 0x5678;

		ck_assert_int_eq(s390ap_scb_ipa_ipb(pqap, 2, &ipa, &ipb), S390AP_EINVAL);
		ck_assert_int_eq(s390ap_scb_ipa_ipb(pqap, 6, &ipa, &ipb), S390AP_EINVAL);
		ck_assert_int_eq(s390ap_scb_ipa_ipb(pqap, 3, &ipa, &ipb), S390AP_EINVAL);
		ck_assert_int_eq(s390ap_scb_ipa_ipb(NULL, 4, &ipa, &ipb), S390AP_EINVAL);
		ck_assert_int_eq(s390ap_scb_ipa_ipb(pqap, 4, NULL, &ipb), S390AP_EINVAL);
		ck_assert_int_eq(s390ap_scb_ipa_ipb(pqap, 4, &ipa, NULL), S390AP_EINVAL);
		ck_assert_uint_eq(ipa, 0x1234);
		ck_assert_uint_eq(ipb, 0x5678);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Guest storage window                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_scb_window)
{
	uint64_t origin = 7, size = 7, h = 7;

	/* MSL == MSO: one 1 MiB block */
	ck_assert_int_eq(s390ap_scb_window(0x300000, 0x300000, &origin, &size), 0);
	ck_assert_x64(origin, 0x300000);
	ck_assert_x64(size, 0x100000);

	/* low 20 bits of both ignored */
	ck_assert_int_eq(s390ap_scb_window(0x3ABCDE, 0x4FFFFF, &origin, &size), 0);
	ck_assert_x64(origin, 0x300000);
	ck_assert_x64(size, 0x200000);
	ck_assert_int_eq(s390ap_scb_window(0x3FFFFF, 0x300001, &origin, &size), 0);
	ck_assert_x64(size, 0x100000);

	/* MSO above MSL: refused, nothing stored */
	origin = size = 7;
	ck_assert_int_eq(s390ap_scb_window(0x400000, 0x3FFFFF, &origin, &size), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_window(0x0, 0xFFFFFFFFFFFFFFFFu, &origin, &size),
			 S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_window(0x0, 0x0, NULL, &size), S390AP_EINVAL);
	ck_assert_x64(origin, 7);
	ck_assert_x64(size, 7);
	ck_assert_int_eq(s390ap_scb_window(0x100000, 0xFFFFFFFFFFFFFFFFu, &origin, &size), 0);
	ck_assert_x64(size, 0xFFFFFFFFFFF00000u);

	/* guest absolute to host: the window is [0, (MSL | 0xFFFFF) - MSO] */
	ck_assert_int_eq(s390ap_scb_guest_to_host(0x300000, 0x4FFFFF, 0, &h), 0);
	ck_assert_x64(h, 0x300000);
	ck_assert_int_eq(s390ap_scb_guest_to_host(0x300000, 0x400000, 0x1FFFFF, &h), 0);
	ck_assert_x64(h, 0x4FFFFF);
	h = 7;
	ck_assert_int_eq(s390ap_scb_guest_to_host(0x300000, 0x400000, 0x200000, &h), S390AP_EFAULT);
	ck_assert_int_eq(s390ap_scb_guest_to_host(0x400000, 0x300000, 0, &h), S390AP_ERANGE);
	ck_assert_int_eq(s390ap_scb_guest_to_host(0, 0, 0, NULL), S390AP_EINVAL);
	ck_assert_x64(h, 7);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Flags as text                                                       */
/* ------------------------------------------------------------------ */

static void text_is(const char *name, uint64_t v, const char *exp)
{
	char buf[128];

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(s390ap_scb_flags_text(field(name), v, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, exp);
}

START_TEST(test_scb_flags_text)
{
	char buf[8];

	text_is("cpuflags", S390AP_CPUSTAT_ZARCH | S390AP_CPUSTAT_RUNNING, "RUNNING|ZARCH");
	text_is("cpuflags", 0x80000000 | 0x40 | 0x20, "STOPPED|0x60");
	text_is("cpuflags", 0, "0");
	text_is("eca", S390AP_ECA_APIE | S390AP_ECA_AIV, "AIV|APIE");
	text_is("ecb3", S390AP_ECB3_AES | S390AP_ECB3_DEA, "DEA|AES");
	text_is("ecb", 0x80, "0x80");
	text_is("ecb2", 0x84, "CMMA|ESCA");
	text_is("ecd", 0x00200000, "ECC");
	text_is("ictl", 0xA0000000, "OPEREXC|PINT");
	text_is("lctl", 0x8201, "CR0|CR6|CR15");
	text_is("prog0c", 1, "IN_SIE");
	text_is("prog20", 3, "REQUEST|BLOCK_SIE");
	text_is("gd", 0x00123450 | 1, "FORMAT1|0x123450");
	text_is("icptcode", 0x04, "INST");
	text_is("icptcode", 0x20, "VALIDITY");
	text_is("icptcode", 0x00, "NONE");
	text_is("icptcode", 0x5C, "KSS");
	text_is("icptcode", 0x24, "0x24");
	text_is("mso", 0x100000, "0x100000");
	text_is("gcr", 0xE0, "0xe0");

	/* cut to fit, terminated */
	ck_assert_int_eq(s390ap_scb_flags_text(field("cpuflags"), 0x00800800, buf, 5),
			 S390AP_ENOSPC);
	ck_assert_str_eq(buf, "RUNN");
	ck_assert_int_eq(s390ap_scb_flags_text(field("eca"), 0x8, buf, 1), S390AP_ENOSPC);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(s390ap_scb_flags_text(field("eca"), 0x8, buf, 0), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_scb_flags_text(NULL, 0x8, buf, sizeof(buf)), S390AP_EINVAL);
	ck_assert_int_eq(s390ap_scb_flags_text(field("eca"), 0x8, NULL, 8), S390AP_EINVAL);
}
END_TEST

static Suite *scb_suite(void)
{
	Suite *s = suite_create("scb");
	TCase *tc;

	tc = tcase_create("layout");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_scb_offsets_table);
	tcase_add_test(tc, test_scb_offsets_macros);
	tcase_add_test(tc, test_scb_constants);
	suite_add_tcase(s, tc);

	tc = tcase_create("access");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_scb_set_byte_images);
	tcase_add_test(tc, test_scb_set_every_item);
	tcase_add_test(tc, test_scb_set_errors);
	tcase_add_test(tc, test_scb_lookup);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_scb_ipa_ipb);
	tcase_add_test(tc, test_scb_window);
	tcase_add_test(tc, test_scb_flags_text);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return run_suite(scb_suite());
}
