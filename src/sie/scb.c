/* SPDX-License-Identifier: MIT */
/* The SIE control block as bytes: the field table, big-endian access by
 * name, flag words as text, ipa/ipb and the guest storage window
 * (include/s390ap/sie.h, docs/sie-block.md).  No state: everything works
 * on the caller's block. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "s390ap/error.h"
#include "s390ap/sie.h"
#include "util/array.h"
#include "util/be.h"

#define F(name, off, size)          \
	{                           \
#name, off, size, 1 \
	}

/* In offset order. */
static const s390ap_scb_field scb_fields[] = {
	F(cpuflags, S390AP_SCB_CPUFLAGS, S390AP_SCB_CPUFLAGS_SIZE),
	F(prefix, S390AP_SCB_PREFIX, S390AP_SCB_PREFIX_SIZE),
	F(prog0c, S390AP_SCB_PROG0C, S390AP_SCB_PROG0C_SIZE),
	F(prog20, S390AP_SCB_PROG20, S390AP_SCB_PROG20_SIZE),
	F(cputm, S390AP_SCB_CPUTM, S390AP_SCB_CPUTM_SIZE),
	F(ckc, S390AP_SCB_CKC, S390AP_SCB_CKC_SIZE),
	F(epoch, S390AP_SCB_EPOCH, S390AP_SCB_EPOCH_SIZE),
	F(svcc, S390AP_SCB_SVCC, S390AP_SCB_SVCC_SIZE),
	F(lctl, S390AP_SCB_LCTL, S390AP_SCB_LCTL_SIZE),
	F(icpua, S390AP_SCB_ICPUA, S390AP_SCB_ICPUA_SIZE),
	F(ictl, S390AP_SCB_ICTL, S390AP_SCB_ICTL_SIZE),
	F(eca, S390AP_SCB_ECA, S390AP_SCB_ECA_SIZE),
	F(icptcode, S390AP_SCB_ICPTCODE, S390AP_SCB_ICPTCODE_SIZE),
	F(icptstatus, S390AP_SCB_ICPTSTATUS, S390AP_SCB_ICPTSTATUS_SIZE),
	F(ihcpu, S390AP_SCB_IHCPU, S390AP_SCB_IHCPU_SIZE),
	F(iictl, S390AP_SCB_IICTL, S390AP_SCB_IICTL_SIZE),
	F(ipa, S390AP_SCB_IPA, S390AP_SCB_IPA_SIZE),
	F(ipb, S390AP_SCB_IPB, S390AP_SCB_IPB_SIZE),
	F(scaoh, S390AP_SCB_SCAOH, S390AP_SCB_SCAOH_SIZE),
	F(fpf, S390AP_SCB_FPF, S390AP_SCB_FPF_SIZE),
	F(ecb, S390AP_SCB_ECB, S390AP_SCB_ECB_SIZE),
	F(ecb2, S390AP_SCB_ECB2, S390AP_SCB_ECB2_SIZE),
	F(ecb3, S390AP_SCB_ECB3, S390AP_SCB_ECB3_SIZE),
	F(scaol, S390AP_SCB_SCAOL, S390AP_SCB_SCAOL_SIZE),
	F(sdf, S390AP_SCB_SDF, S390AP_SCB_SDF_SIZE),
	F(epdx, S390AP_SCB_EPDX, S390AP_SCB_EPDX_SIZE),
	F(cpnc, S390AP_SCB_CPNC, S390AP_SCB_CPNC_SIZE),
	F(todpr, S390AP_SCB_TODPR, S390AP_SCB_TODPR_SIZE),
	F(gd, S390AP_SCB_GD, S390AP_SCB_GD_SIZE),
	F(mso, S390AP_SCB_MSO, S390AP_SCB_MSO_SIZE),
	F(msl, S390AP_SCB_MSL, S390AP_SCB_MSL_SIZE),
	F(gpsw, S390AP_SCB_GPSW, S390AP_SCB_GPSW_SIZE),
	F(gg14, S390AP_SCB_GG14, S390AP_SCB_GG14_SIZE),
	F(gg15, S390AP_SCB_GG15, S390AP_SCB_GG15_SIZE),
	F(hpid, S390AP_SCB_HPID, S390AP_SCB_HPID_SIZE),
	F(eiparams, S390AP_SCB_EIPARAMS, S390AP_SCB_EIPARAMS_SIZE),
	F(extcpuaddr, S390AP_SCB_EXTCPUADDR, S390AP_SCB_EXTCPUADDR_SIZE),
	F(eic, S390AP_SCB_EIC, S390AP_SCB_EIC_SIZE),
	F(pgmilc, S390AP_SCB_PGMILC, S390AP_SCB_PGMILC_SIZE),
	F(iprcc, S390AP_SCB_IPRCC, S390AP_SCB_IPRCC_SIZE),
	F(dxc, S390AP_SCB_DXC, S390AP_SCB_DXC_SIZE),
	F(mcn, S390AP_SCB_MCN, S390AP_SCB_MCN_SIZE),
	F(perc, S390AP_SCB_PERC, S390AP_SCB_PERC_SIZE),
	F(peratmid, S390AP_SCB_PERATMID, S390AP_SCB_PERATMID_SIZE),
	F(peraddr, S390AP_SCB_PERADDR, S390AP_SCB_PERADDR_SIZE),
	F(eai, S390AP_SCB_EAI, S390AP_SCB_EAI_SIZE),
	F(peraid, S390AP_SCB_PERAID, S390AP_SCB_PERAID_SIZE),
	F(oai, S390AP_SCB_OAI, S390AP_SCB_OAI_SIZE),
	F(armid, S390AP_SCB_ARMID, S390AP_SCB_ARMID_SIZE),
	F(tecmc, S390AP_SCB_TECMC, S390AP_SCB_TECMC_SIZE),
	F(crycbd, S390AP_SCB_CRYCBD, S390AP_SCB_CRYCBD_SIZE),
	{ "gcr", S390AP_SCB_GCR, S390AP_SCB_GCR_SIZE, S390AP_SCB_GCR_COUNT },
	F(gbea, S390AP_SCB_GBEA, S390AP_SCB_GBEA_SIZE),
	F(sdnxo, S390AP_SCB_SDNXO, S390AP_SCB_SDNXO_SIZE),
	F(fac, S390AP_SCB_FAC, S390AP_SCB_FAC_SIZE),
	F(cbrlo, S390AP_SCB_CBRLO, S390AP_SCB_CBRLO_SIZE),
	F(ecd, S390AP_SCB_ECD, S390AP_SCB_ECD_SIZE),
	F(pp, S390AP_SCB_PP, S390AP_SCB_PP_SIZE),
	F(itdba, S390AP_SCB_ITDBA, S390AP_SCB_ITDBA_SIZE),
	F(riccbd, S390AP_SCB_RICCBD, S390AP_SCB_RICCBD_SIZE),
	F(gvrd, S390AP_SCB_GVRD, S390AP_SCB_GVRD_SIZE),
};

#undef F

size_t s390ap_scb_fields(const s390ap_scb_field **table)
{
	if (table)
		*table = scb_fields;
	return ARRAY_SIZE(scb_fields);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* name[0..len) equals the lower-case s, ignoring case. */
static bool name_eq(const char *name, size_t len, const char *s)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '\0' || lower(name[i]) != s[i])
			return false;
	return s[i] == '\0';
}

static const s390ap_scb_field *find_len(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(scb_fields); i++)
		if (name_eq(name, len, scb_fields[i].name))
			return &scb_fields[i];
	return NULL;
}

const s390ap_scb_field *s390ap_scb_field_find(const char *name)
{
	return name ? find_len(name, strlen(name)) : NULL;
}

/* Item geometry: an item is at most a doubleword; a larger field (gpsw)
 * is split into doublewords.  False for a field the table could not hold:
 * zero sizes, a ragged split, bytes past the block. */
static bool geometry(const s390ap_scb_field *f, unsigned *width, unsigned *items)
{
	unsigned w;

	if (!f || f->size == 0 || f->count == 0)
		return false;
	w = f->size > 8 ? 8 : f->size;
	if (f->size % w != 0 ||
	    (unsigned)f->offset + (unsigned)f->size * f->count > S390AP_SCB_SIZE)
		return false;
	*width = w;
	*items = (unsigned)f->count * (f->size / w);
	return true;
}

unsigned s390ap_scb_field_items(const s390ap_scb_field *f)
{
	unsigned width, items;

	return geometry(f, &width, &items) ? items : 0;
}

int s390ap_scb_field_lookup(const char *name, const s390ap_scb_field **f, unsigned *index)
{
	const s390ap_scb_field *field;
	size_t len, base;
	unsigned idx = 0;

	if (!name || !f)
		return S390AP_EINVAL;
	len = strlen(name);
	field = find_len(name, len);
	if (!field) {
		/* "gcr6": an indexed field's name and a decimal item number */
		base = len;
		while (base > 0 && name[base - 1] >= '0' && name[base - 1] <= '9')
			base--;
		if (base == 0 || base == len || len - base > 2)
			return S390AP_ENOENT;
		field = find_len(name, base);
		for (size_t i = base; i < len; i++)
			idx = idx * 10 + (unsigned)(name[i] - '0');
		if (!field || s390ap_scb_field_items(field) < 2 ||
		    idx >= s390ap_scb_field_items(field))
			return S390AP_ENOENT;
	}
	*f = field;
	if (index)
		*index = idx;
	return 0;
}

uint64_t s390ap_scb_get(const uint8_t *scb, const s390ap_scb_field *f, unsigned index)
{
	unsigned width, items;

	if (!scb || !geometry(f, &width, &items) || index >= items)
		return 0;
	return be_get(scb + f->offset + index * width, width);
}

int s390ap_scb_set(uint8_t *scb, const s390ap_scb_field *f, unsigned index, uint64_t v)
{
	unsigned width, items;

	if (!scb || !geometry(f, &width, &items))
		return S390AP_EINVAL;
	if (index >= items || (width < 8 && v >> (8 * width) != 0))
		return S390AP_ERANGE;
	be_put(scb + f->offset + index * width, width, v);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Flag words as text                                                  */
/* ------------------------------------------------------------------ */

struct flag_name {
	uint32_t mask;
	const char *name;
};

/* Each list in descending mask order: IBM bit 0 first. */
static const struct flag_name cpuflags_names[] = {
	{ S390AP_CPUSTAT_STOPPED, "STOPPED" },
	{ S390AP_CPUSTAT_WAIT, "WAIT" },
	{ S390AP_CPUSTAT_ECALL_PEND, "ECALL_PEND" },
	{ S390AP_CPUSTAT_STOP_INT, "STOP_INT" },
	{ S390AP_CPUSTAT_IO_INT, "IO_INT" },
	{ S390AP_CPUSTAT_EXT_INT, "EXT_INT" },
	{ S390AP_CPUSTAT_RUNNING, "RUNNING" },
	{ S390AP_CPUSTAT_RRF, "RRF" },
	{ S390AP_CPUSTAT_SLSV, "SLSV" },
	{ S390AP_CPUSTAT_SLSR, "SLSR" },
	{ S390AP_CPUSTAT_ZARCH, "ZARCH" },
	{ S390AP_CPUSTAT_KSS, "KSS" },
	{ S390AP_CPUSTAT_MCDS, "MCDS" },
	{ S390AP_CPUSTAT_SM, "SM" },
	{ S390AP_CPUSTAT_GED2, "GED2" },
	{ S390AP_CPUSTAT_GED, "GED" },
	{ S390AP_CPUSTAT_P, "P" },
};

static const struct flag_name prog0c_names[] = {
	{ S390AP_PROG_IN_SIE, "IN_SIE" },
};

static const struct flag_name prog20_names[] = {
	{ S390AP_PROG_REQUEST, "REQUEST" },
	{ S390AP_PROG_BLOCK_SIE, "BLOCK_SIE" },
};

static const struct flag_name lctl_names[] = {
	{ S390AP_LCTL_CR(0), "CR0" },   { S390AP_LCTL_CR(1), "CR1" },
	{ S390AP_LCTL_CR(2), "CR2" },   { S390AP_LCTL_CR(3), "CR3" },
	{ S390AP_LCTL_CR(4), "CR4" },   { S390AP_LCTL_CR(5), "CR5" },
	{ S390AP_LCTL_CR(6), "CR6" },   { S390AP_LCTL_CR(7), "CR7" },
	{ S390AP_LCTL_CR(8), "CR8" },   { S390AP_LCTL_CR(9), "CR9" },
	{ S390AP_LCTL_CR(10), "CR10" }, { S390AP_LCTL_CR(11), "CR11" },
	{ S390AP_LCTL_CR(12), "CR12" }, { S390AP_LCTL_CR(13), "CR13" },
	{ S390AP_LCTL_CR(14), "CR14" }, { S390AP_LCTL_CR(15), "CR15" },
};

static const struct flag_name ictl_names[] = {
	{ S390AP_ICTL_OPEREXC, "OPEREXC" }, { S390AP_ICTL_PINT, "PINT" },
	{ S390AP_ICTL_LPSW, "LPSW" },       { S390AP_ICTL_STCTL, "STCTL" },
	{ S390AP_ICTL_ISKE, "ISKE" },       { S390AP_ICTL_SSKE, "SSKE" },
	{ S390AP_ICTL_RRBE, "RRBE" },       { S390AP_ICTL_TPROT, "TPROT" },
};

static const struct flag_name eca_names[] = {
	{ S390AP_ECA_CEI, "CEI" },           { S390AP_ECA_IB, "IB" },
	{ S390AP_ECA_SIGPI, "SIGPI" },       { S390AP_ECA_MVPGI, "MVPGI" },
	{ S390AP_ECA_AIV, "AIV" },           { S390AP_ECA_VX, "VX" },
	{ S390AP_ECA_PROTEXCI, "PROTEXCI" }, { S390AP_ECA_APIE, "APIE" },
	{ S390AP_ECA_SII, "SII" },
};

static const struct flag_name ecb_names[] = {
	{ S390AP_ECB_GS, "GS" },
	{ S390AP_ECB_TE, "TE" },
	{ S390AP_ECB_SPECI, "SPECI" },
	{ S390AP_ECB_SRSI, "SRSI" },
	{ S390AP_ECB_HOSTPROTINT, "HOSTPROTINT" },
	{ S390AP_ECB_PTF, "PTF" },
};

static const struct flag_name ecb2_names[] = {
	{ S390AP_ECB2_CMMA, "CMMA" },         { S390AP_ECB2_IEP, "IEP" },
	{ S390AP_ECB2_PFMFI, "PFMFI" },       { S390AP_ECB2_ESCA, "ESCA" },
	{ S390AP_ECB2_ZPCI_LSI, "ZPCI_LSI" },
};

static const struct flag_name ecb3_names[] = {
	{ S390AP_ECB3_AISI, "AISI" }, { S390AP_ECB3_AISII, "AISII" }, { S390AP_ECB3_DEA, "DEA" },
	{ S390AP_ECB3_AES, "AES" },   { S390AP_ECB3_RI, "RI" },
};

static const struct flag_name ecd_names[] = {
	{ S390AP_ECD_HOSTREGMGMT, "HOSTREGMGMT" },
	{ S390AP_ECD_MEF, "MEF" },
	{ S390AP_ECD_ETOKENF, "ETOKENF" },
	{ S390AP_ECD_ECC, "ECC" },
	{ S390AP_ECD_HMAC, "HMAC" },
};

static const struct flag_name gd_names[] = {
	{ S390AP_GD_GISA_FORMAT1, "FORMAT1" },
};

/* Codes, not bits. */
static const struct flag_name icpt_names[] = {
	{ S390AP_ICPT_NONE, "NONE" },         { S390AP_ICPT_INST, "INST" },
	{ S390AP_ICPT_PROGI, "PROGI" },       { S390AP_ICPT_INSTPROGI, "INSTPROGI" },
	{ S390AP_ICPT_EXTREQ, "EXTREQ" },     { S390AP_ICPT_EXTINT, "EXTINT" },
	{ S390AP_ICPT_IOREQ, "IOREQ" },       { S390AP_ICPT_WAIT, "WAIT" },
	{ S390AP_ICPT_VALIDITY, "VALIDITY" }, { S390AP_ICPT_STOP, "STOP" },
	{ S390AP_ICPT_OPEREXC, "OPEREXC" },   { S390AP_ICPT_PARTEXEC, "PARTEXEC" },
	{ S390AP_ICPT_IOINST, "IOINST" },     { S390AP_ICPT_KSS, "KSS" },
};

#define NAMES(off, size, list, code)                    \
	{                                               \
		off, size, code, list, ARRAY_SIZE(list) \
	}

static const struct flag_field {
	uint16_t offset;
	uint8_t size;
	bool code; /* value is one code, not a set of bits */
	const struct flag_name *names;
	size_t n;
} flag_fields[] = {
	NAMES(S390AP_SCB_CPUFLAGS, S390AP_SCB_CPUFLAGS_SIZE, cpuflags_names, false),
	NAMES(S390AP_SCB_PROG0C, S390AP_SCB_PROG0C_SIZE, prog0c_names, false),
	NAMES(S390AP_SCB_PROG20, S390AP_SCB_PROG20_SIZE, prog20_names, false),
	NAMES(S390AP_SCB_LCTL, S390AP_SCB_LCTL_SIZE, lctl_names, false),
	NAMES(S390AP_SCB_ICTL, S390AP_SCB_ICTL_SIZE, ictl_names, false),
	NAMES(S390AP_SCB_ECA, S390AP_SCB_ECA_SIZE, eca_names, false),
	NAMES(S390AP_SCB_ICPTCODE, S390AP_SCB_ICPTCODE_SIZE, icpt_names, true),
	NAMES(S390AP_SCB_ECB, S390AP_SCB_ECB_SIZE, ecb_names, false),
	NAMES(S390AP_SCB_ECB2, S390AP_SCB_ECB2_SIZE, ecb2_names, false),
	NAMES(S390AP_SCB_ECB3, S390AP_SCB_ECB3_SIZE, ecb3_names, false),
	NAMES(S390AP_SCB_GD, S390AP_SCB_GD_SIZE, gd_names, false),
	NAMES(S390AP_SCB_ECD, S390AP_SCB_ECD_SIZE, ecd_names, false),
};

#undef NAMES

/* A text under construction; full is set once something did not fit. */
struct text {
	char *buf;
	size_t size, len;
	bool full;
};

static void put(struct text *t, const char *s)
{
	size_t n = strlen(s);
	size_t room = t->size - 1 - t->len;

	if (n > room) {
		n = room;
		t->full = true;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void put_hex(struct text *t, uint64_t v)
{
	char hex[24];

	snprintf(hex, sizeof(hex), "0x%" PRIx64, v);
	put(t, hex);
}

int s390ap_scb_flags_text(const s390ap_scb_field *f, uint64_t value, char *buf, size_t size)
{
	const struct flag_field *ff = NULL;
	struct text t = { buf, size, 0, false };
	uint64_t rest = value;

	if (!f || !buf || size == 0)
		return S390AP_EINVAL;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(flag_fields); i++)
		if (flag_fields[i].offset == f->offset && flag_fields[i].size == f->size)
			ff = &flag_fields[i];
	if (!ff) {
		put_hex(&t, value);
	} else if (ff->code) {
		size_t i = 0;

		while (i < ff->n && ff->names[i].mask != value)
			i++;
		if (i < ff->n)
			put(&t, ff->names[i].name);
		else
			put_hex(&t, value);
	} else if (value == 0) {
		put(&t, "0");
	} else {
		for (size_t i = 0; i < ff->n; i++) {
			if (!(rest & ff->names[i].mask))
				continue;
			if (t.len)
				put(&t, "|");
			put(&t, ff->names[i].name);
			rest &= ~(uint64_t)ff->names[i].mask;
		}
		if (rest) {
			if (t.len)
				put(&t, "|");
			put_hex(&t, rest);
		}
	}
	return t.full ? S390AP_ENOSPC : 0;
}

/* ------------------------------------------------------------------ */
/* ipa / ipb and the guest storage window                              */
/* ------------------------------------------------------------------ */

int s390ap_scb_ipa_ipb(const uint8_t *insn, unsigned ilen, uint16_t *ipa, uint32_t *ipb)
{
	/* the length the opcode's first two bits give: 00 -> 2, 01/10 -> 4, 11 -> 6 */
	static const unsigned ilc_len[4] = { 2, 4, 4, 6 };
	uint32_t b = 0;

	if (!insn || !ipa || !ipb || ilen != ilc_len[insn[0] >> 6])
		return S390AP_EINVAL;
	for (unsigned i = 2; i < 6; i++)
		b = b << 8 | (i < ilen ? insn[i] : 0);
	*ipa = be_get16(insn);
	*ipb = b;
	return 0;
}

int s390ap_scb_window(uint64_t mso, uint64_t msl, uint64_t *origin, uint64_t *size)
{
	uint64_t lo = mso & S390AP_SCB_MS_MASK;
	uint64_t hi = msl & S390AP_SCB_MS_MASK;

	if (!origin || !size)
		return S390AP_EINVAL;
	/* hi - lo + 1 MiB wraps to 0 only for the whole 2^64 space */
	if (lo > hi || (lo == 0 && hi == S390AP_SCB_MS_MASK))
		return S390AP_ERANGE;
	*origin = lo;
	*size = hi - lo + S390AP_SCB_MS_BLOCK;
	return 0;
}

int s390ap_scb_guest_to_host(uint64_t mso, uint64_t msl, uint64_t gaddr, uint64_t *haddr)
{
	uint64_t lo = mso & S390AP_SCB_MS_MASK;
	uint64_t hi = msl & S390AP_SCB_MS_MASK;

	if (!haddr)
		return S390AP_EINVAL;
	if (lo > hi)
		return S390AP_ERANGE;
	/* the last valid guest address: the end of MSL's block, less MSO */
	if (gaddr > (hi | (S390AP_SCB_MS_BLOCK - 1)) - lo)
		return S390AP_EFAULT;
	*haddr = lo + gaddr;
	return 0;
}
