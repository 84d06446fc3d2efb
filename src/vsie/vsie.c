/* SPDX-License-Identifier: MIT */
/* vSIE: shadowing guest-3's SCB and CRYCB (docs/vsie.md). */
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "vsie/vsie_internal.h"

#define MIB 0x100000ull
#define PAGE 0x1000ull
#define SIE_ILEN 4u

/* Reasons setup_apcb gives, mapped to validity codes at the end (the
 * kernel's -EINVAL, -EFAULT, -EACCES). */
enum apcb_err { APCB_OK = 0, APCB_FORMAT, APCB_FAULT, APCB_PAGE };

bool vsie_active(const s390ap_vcpu *v)
{
	return v->vsie && v->vsie->active;
}

static struct vsie_state *state_get(s390ap_vcpu *v)
{
	struct vsie_state *s = v->vsie;

	if (s && s->page)
		return s;
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		v->vsie = s;
	}
	if (kvm_page_alloc(v->vm->kvm, &s->page) < 0)
		return NULL;
	return s;
}

void vsie_free(s390ap_vcpu *v)
{
	if (!v->vsie)
		return;
	if (v->vsie->page)
		kvm_page_free(v->vm->kvm, v->vsie->page);
	free(v->vsie);
	v->vsie = NULL;
}

void vsie_drop(s390ap_vcpu *v)
{
	/* the shadow cache stays: the page and its inputs are what they were */
	if (v->vsie)
		v->vsie->active = false;
}

/* Guest-2 absolute [a, a + len) in host storage, or NULL outside
 * guest-2's window. */
static uint8_t *g2_ptr(const s390ap_vcpu *v, uint64_t a, uint64_t len)
{
	const s390ap_vm *vm = v->vm;

	if (a > vm->size || len > vm->size - a)
		return NULL;
	return kvm_hmem(vm->kvm, vm->mso + a);
}

/* The strict page check of the shadowing: a block of n bytes at a whose
 * end (a + n, one past it) is on another page fails, even when it ends
 * exactly at the page's end. */
static bool crosses(uint64_t a, uint64_t n)
{
	return (a & ~(PAGE - 1)) != ((a + n) & ~(PAGE - 1));
}

/* Bytes [off, off + len) of guest-3's CRYCB at crycb, or NULL outside
 * guest-2's storage; rec (the cache being filled, or NULL) keeps a copy. */
static const uint8_t *g3_read(const s390ap_vcpu *v, struct vsie_cache *rec, uint64_t crycb,
			      unsigned off, unsigned len)
{
	const uint8_t *p = g2_ptr(v, crycb + off, len);

	if (p && rec) {
		if (rec->nreads < VSIE_CACHE_READS) {
			rec->reads[rec->nreads].off = (uint16_t)off;
			rec->reads[rec->nreads].len = (uint16_t)len;
			memcpy(rec->bytes + off, p, len);
		}
		rec->nreads++; /* one too many: the shadow is not kept */
	}
	return p;
}

/* APCB0 -> APCB0 (off 0x00, 32 bytes) or APCB1 -> APCB1 (off 0x80, 128
 * bytes): guest-3's block ANDed with guest-2's, reserved bytes included. */
static enum apcb_err apcb_and(const s390ap_vcpu *v, struct vsie_cache *rec, uint64_t crycb,
			      unsigned off, unsigned len, uint8_t *sh)
{
	const uint8_t *g3 = g3_read(v, rec, crycb, off, len);
	const uint8_t *g2 = kvm_crycb(v->vm) + off;

	if (!g3)
		return APCB_FAULT;
	for (unsigned i = 0; i < len; i++)
		sh[off + i] = g3[i] & g2[i];
	return APCB_OK;
}

static enum apcb_err apcb00(const s390ap_vcpu *v, struct vsie_cache *rec, uint64_t crycb,
			    uint8_t *sh)
{
	return apcb_and(v, rec, crycb, S390AP_CRYCB_APCB0, S390AP_CRYCB_APCB0_LEN, sh);
}

static enum apcb_err apcb11(const s390ap_vcpu *v, struct vsie_cache *rec, uint64_t crycb,
			    uint8_t *sh)
{
	return apcb_and(v, rec, crycb, S390AP_CRYCB_APCB1, S390AP_CRYCB_APCB1_LEN, sh);
}

/* Guest-3's APCB0 widened into the shadow's APCB1: the first doubleword
 * of each mask, AQM and ADM cut to their 16 bits; the rest stays zero. */
static enum apcb_err apcb10(const s390ap_vcpu *v, struct vsie_cache *rec, uint64_t crycb,
			    uint8_t *sh)
{
	static const unsigned off0[3] = { S390AP_CRYCB_APCB0_APM, S390AP_CRYCB_APCB0_AQM,
					  S390AP_CRYCB_APCB0_ADM };
	static const unsigned off1[3] = { S390AP_CRYCB_APCB1_APM, S390AP_CRYCB_APCB1_AQM,
					  S390AP_CRYCB_APCB1_ADM };
	static const uint64_t keep[3] = { ~0ull, 0xFFFF000000000000ull, 0xFFFF000000000000ull };
	const uint8_t *g3 = g3_read(v, rec, crycb, S390AP_CRYCB_APCB0, S390AP_CRYCB_APCB0_LEN);
	const uint8_t *g2 = kvm_crycb(v->vm);

	if (!g3)
		return APCB_FAULT;
	for (unsigned i = 0; i < 3; i++)
		be_put64(sh + off1[i], be_get64(g2 + off1[i]) &
					       be_get64(g3 + off0[i] - S390AP_CRYCB_APCB0) &
					       keep[i]);
	return APCB_OK;
}

/* The format table: guest-3's format (as guest-2 wrote it) against the
 * format the host gave guest-2. */
static enum apcb_err setup_apcb(const s390ap_vcpu *v, struct vsie_cache *rec, uint64_t crycb,
				unsigned fmt_o, unsigned fmt_h, uint8_t *sh)
{
	switch (fmt_o) {
	case S390AP_CRYCB_FORMAT0:
		if (crosses(crycb, S390AP_CRYCB_APCB0_LEN))
			return APCB_PAGE;
		return fmt_h == S390AP_CRYCB_FORMAT2 ? apcb10(v, rec, crycb, sh)
						     : apcb00(v, rec, crycb, sh);
	case S390AP_CRYCB_FORMAT1: /* its 128-byte page check came before */
		if (fmt_h == S390AP_CRYCB_FORMAT0)
			return APCB_FORMAT;
		return fmt_h == S390AP_CRYCB_FORMAT2 ? apcb10(v, rec, crycb, sh)
						     : apcb00(v, rec, crycb, sh);
	case S390AP_CRYCB_FORMAT2:
		if (crosses(crycb, S390AP_CRYCB_SIZE))
			return APCB_PAGE;
		if (fmt_h != S390AP_CRYCB_FORMAT2)
			return APCB_FORMAT;
		return apcb11(v, rec, crycb, sh);
	default: /* the value 2 */
		return APCB_FORMAT;
	}
}

static uint16_t apcb_validity(enum apcb_err e)
{
	switch (e) {
	case APCB_FORMAT:
		return S390AP_VALIDITY_CRYCB_FORMAT;
	case APCB_FAULT:
		return S390AP_VALIDITY_CRYCB_FETCH;
	case APCB_PAGE:
		return S390AP_VALIDITY_CRYCB_PAGE;
	default:
		return 0;
	}
}

/* The shadow CRYCB and the crypto controls of the shadow SCB, in the
 * order of KVM's shadowing.  0 or a validity reason for guest-2.  rec:
 * the cache entry whose reads of guest-3's CRYCB to record, or NULL. */
static uint16_t crycb_build(s390ap_vcpu *v, const uint8_t *g3s, uint8_t *shs, uint8_t *shc,
			    uint64_t shc_abs, struct vsie_cache *rec)
{
	const uint8_t *g2s = kvm_scb(v);
	uint32_t crycbd_o = be_get32(g3s + S390AP_SCB_CRYCBD);
	uint64_t crycb = crycbd_o & S390AP_CRYCBD_ORIGIN_MASK;
	unsigned fmt_o = crycbd_o & S390AP_CRYCBD_FORMAT_MASK;
	unsigned fmt_h = be_get32(g2s + S390AP_SCB_CRYCBD) & S390AP_CRYCBD_FORMAT_MASK;
	bool key_msk = (v->vm->model & S390AP_FAC_MSAX3) != 0;
	bool apie_h = (be_get32(g2s + S390AP_SCB_ECA) & S390AP_ECA_APIE) != 0;
	bool apie_s = apie_h && (be_get32(g3s + S390AP_SCB_ECA) & S390AP_ECA_APIE);
	enum apcb_err err = APCB_OK;
	uint8_t ecb3;
	uint32_t ecd;

	memset(shc, 0, S390AP_CRYCB_SIZE); /* no stale words from an earlier shadow */
	be_put32(shs + S390AP_SCB_CRYCBD, 0);
	if (!apie_s && (!key_msk || fmt_o == S390AP_CRYCB_FORMAT0))
		return 0;
	if (crycb == 0)
		return S390AP_VALIDITY_CRYCB_ZERO;
	if (fmt_o == S390AP_CRYCB_FORMAT1 && crosses(crycb, 128))
		return S390AP_VALIDITY_CRYCB_PAGE;
	if (apie_s) {
		err = setup_apcb(v, rec, crycb, fmt_o, fmt_h, shc);
		if (err)
			return apcb_validity(err);
		be_put32(shs + S390AP_SCB_ECA,
			 be_get32(shs + S390AP_SCB_ECA) |
				 (be_get32(g3s + S390AP_SCB_ECA) & S390AP_ECA_APIE));
	}
	ecb3 = g3s[S390AP_SCB_ECB3] & g2s[S390AP_SCB_ECB3] & (S390AP_ECB3_AES | S390AP_ECB3_DEA);
	ecd = be_get32(g3s + S390AP_SCB_ECD) & be_get32(g2s + S390AP_SCB_ECD) &
	      (S390AP_ECD_ECC | S390AP_ECD_HMAC);
	if (ecb3 || ecd) {
		const unsigned wk = S390AP_CRYCB_WK_DEA_LEN + S390AP_CRYCB_WK_AES_LEN;
		const uint8_t *g3wk = g3_read(v, rec, crycb, S390AP_CRYCB_WK_DEA, wk);
		const uint8_t *g2wk = kvm_crycb(v->vm) + S390AP_CRYCB_WK_DEA;

		if (!g3wk)
			return S390AP_VALIDITY_CRYCB_FETCH;
		shs[S390AP_SCB_ECB3] |= ecb3;
		be_put32(shs + S390AP_SCB_ECD, be_get32(shs + S390AP_SCB_ECD) | ecd);
		for (unsigned i = 0; i < wk; i++)
			shc[S390AP_CRYCB_WK_DEA + i] = g3wk[i] ^ g2wk[i];
	}
	be_put32(shs + S390AP_SCB_CRYCBD, (uint32_t)shc_abs | S390AP_CRYCB_FORMAT2);
	return 0;
}

/* The inputs of crycb_build besides guest-3's CRYCB bytes. */
static void cache_key(const s390ap_vcpu *v, const uint8_t *g3s, struct vsie_cache *k)
{
	const uint8_t *g2s = kvm_scb(v);

	k->gen = v->vm->crypto_gen;
	k->g3_crycbd = be_get32(g3s + S390AP_SCB_CRYCBD);
	k->g3_eca = be_get32(g3s + S390AP_SCB_ECA) & S390AP_ECA_APIE;
	k->g3_ecb3 = g3s[S390AP_SCB_ECB3] & (S390AP_ECB3_AES | S390AP_ECB3_DEA);
	k->g3_ecd = be_get32(g3s + S390AP_SCB_ECD) & (S390AP_ECD_ECC | S390AP_ECD_HMAC);
	k->g2_crycbd = be_get32(g2s + S390AP_SCB_CRYCBD);
	k->g2_eca = be_get32(g2s + S390AP_SCB_ECA) & S390AP_ECA_APIE;
	k->g2_ecb3 = g2s[S390AP_SCB_ECB3] & (S390AP_ECB3_AES | S390AP_ECB3_DEA);
	k->g2_ecd = be_get32(g2s + S390AP_SCB_ECD) & (S390AP_ECD_ECC | S390AP_ECD_HMAC);
}

static bool cache_hit(const s390ap_vcpu *v, const struct vsie_cache *c, const struct vsie_cache *k)
{
	uint64_t crycb = c->g3_crycbd & S390AP_CRYCBD_ORIGIN_MASK;

	if (!c->valid || c->gen != k->gen || c->g3_crycbd != k->g3_crycbd ||
	    c->g3_eca != k->g3_eca || c->g3_ecb3 != k->g3_ecb3 || c->g3_ecd != k->g3_ecd ||
	    c->g2_crycbd != k->g2_crycbd || c->g2_eca != k->g2_eca || c->g2_ecb3 != k->g2_ecb3 ||
	    c->g2_ecd != k->g2_ecd)
		return false;
	for (unsigned i = 0; i < c->nreads; i++) {
		const uint8_t *p = g2_ptr(v, crycb + c->reads[i].off, c->reads[i].len);

		if (!p || memcmp(p, c->bytes + c->reads[i].off, c->reads[i].len) != 0)
			return false;
	}
	return true;
}

/* crycb_build, or the shadow CRYCB of the last build kept as it is when
 * none of its inputs changed (then building would write the same bytes:
 * the page is written by nothing else).  Only successful builds are kept:
 * a validity leaves the shadow CRYCB half-built. */
static uint16_t shadow_crycb(s390ap_vcpu *v, const uint8_t *g3s, uint8_t *shs, uint8_t *shc,
			     uint64_t shc_abs)
{
	struct vsie_state *s = v->vsie;
	struct vsie_cache *c = &s->cache;
	struct vsie_cache k;
	uint16_t reason;

	if (v->vm->kvm->o.vsie_no_cache) {
		s->cache_builds++;
		return crycb_build(v, g3s, shs, shc, shc_abs, NULL);
	}
	cache_key(v, g3s, &k);
	if (cache_hit(v, c, &k)) {
		s->cache_hits++;
		be_put32(shs + S390AP_SCB_ECA, be_get32(shs + S390AP_SCB_ECA) | c->sh_eca);
		shs[S390AP_SCB_ECB3] |= c->sh_ecb3;
		be_put32(shs + S390AP_SCB_ECD, be_get32(shs + S390AP_SCB_ECD) | c->sh_ecd);
		be_put32(shs + S390AP_SCB_CRYCBD, c->sh_crycbd);
		return 0;
	}
	s->cache_builds++;
	c->valid = false;
	c->nreads = 0;
	reason = crycb_build(v, g3s, shs, shc, shc_abs, c);
	if (reason || c->nreads > VSIE_CACHE_READS)
		return reason;
	c->gen = k.gen;
	c->g3_crycbd = k.g3_crycbd;
	c->g3_eca = k.g3_eca;
	c->g3_ecb3 = k.g3_ecb3;
	c->g3_ecd = k.g3_ecd;
	c->g2_crycbd = k.g2_crycbd;
	c->g2_eca = k.g2_eca;
	c->g2_ecb3 = k.g2_ecb3;
	c->g2_ecd = k.g2_ecd;
	/* crycb_build only ORs into these (shadow_scb cleared them) */
	c->sh_eca = be_get32(shs + S390AP_SCB_ECA);
	c->sh_ecb3 = shs[S390AP_SCB_ECB3];
	c->sh_ecd = be_get32(shs + S390AP_SCB_ECD);
	c->sh_crycbd = be_get32(shs + S390AP_SCB_CRYCBD);
	c->valid = true;
	return 0;
}

/* The shadow SCB from guest-3's.  0 or a validity reason for guest-2. */
static uint16_t shadow_scb(s390ap_vcpu *v, const uint8_t *g3s, uint8_t *shs, uint8_t *shc,
			   uint64_t shc_abs)
{
	const s390ap_vm *vm = v->vm;
	uint32_t f = be_get32(g3s + S390AP_SCB_CPUFLAGS), fac;
	uint64_t mso, msl;

	memset(shs, 0, S390AP_SCB_SIZE);
	if (!(f & S390AP_CPUSTAT_ZARCH))
		return S390AP_VALIDITY_MODE;
	be_put32(shs + S390AP_SCB_CPUFLAGS,
		 S390AP_CPUSTAT_ZARCH | (f & (S390AP_CPUSTAT_STOP_INT | S390AP_CPUSTAT_IO_INT |
					      S390AP_CPUSTAT_EXT_INT)));
	/* guest-3's window inside guest-2's (SM: all of guest-2's storage) */
	if (f & S390AP_CPUSTAT_SM) {
		mso = 0;
		msl = vm->size - MIB;
	} else {
		mso = be_get64(g3s + S390AP_SCB_MSO) & S390AP_SCB_MS_MASK;
		msl = be_get64(g3s + S390AP_SCB_MSL) & S390AP_SCB_MS_MASK;
		if (mso > msl)
			return S390AP_VALIDITY_MSO_MSL;
		if ((msl | (MIB - 1)) >= vm->size)
			return S390AP_VALIDITY_MSL;
	}
	be_put64(shs + S390AP_SCB_MSO, vm->mso + mso);
	be_put64(shs + S390AP_SCB_MSL, vm->mso + msl);
	/* copied as they are */
	memcpy(shs + S390AP_SCB_PREFIX, g3s + S390AP_SCB_PREFIX, 4);
	memcpy(shs + S390AP_SCB_CPUTM, g3s + S390AP_SCB_CPUTM, 24); /* cputm, ckc, epoch */
	memcpy(shs + S390AP_SCB_SVCC, g3s + S390AP_SCB_SVCC, 12);   /* svcc, lctl, icpua, ictl */
	memcpy(shs + S390AP_SCB_IHCPU, g3s + S390AP_SCB_IHCPU, 2);
	memcpy(shs + S390AP_SCB_TODPR, g3s + S390AP_SCB_TODPR, 4);
	memcpy(shs + S390AP_SCB_GPSW, g3s + S390AP_SCB_GPSW, 32); /* gpsw, gg14, gg15 */
	memcpy(shs + S390AP_SCB_GCR, g3s + S390AP_SCB_GCR, S390AP_SCB_GCR_SIZE);
	memcpy(shs + S390AP_SCB_GBEA, g3s + S390AP_SCB_GBEA, 8);
	memcpy(shs + S390AP_SCB_PP, g3s + S390AP_SCB_PP, 8);
	/* the facility list is a guest-2 address: the host's for it */
	fac = be_get32(g3s + S390AP_SCB_FAC) & S390AP_SCB_FAC_ORIGIN_MASK;
	if (fac) {
		uint64_t h = vm->mso + fac;

		if (!g2_ptr(v, fac, 16) || h > S390AP_SCB_FAC_ORIGIN_MASK)
			return S390AP_VALIDITY_FAC;
		be_put32(shs + S390AP_SCB_FAC, (uint32_t)h);
	}
	/* eca, ecb3, ecd: only what the crypto shadowing passes; gd and
	 * ECA_AIV never (guest-3 has no GISA) */
	return shadow_crycb(v, g3s, shs, shc, shc_abs);
}

/* A validity interception for guest-2 in guest-3's SCB. */
static void g3_validity(s390ap_vcpu *v, uint8_t *g3s, uint16_t ipa, uint16_t reason)
{
	g3s[S390AP_SCB_ICPTCODE] = S390AP_ICPT_VALIDITY;
	be_put16(g3s + S390AP_SCB_IPA, ipa);
	be_put32(g3s + S390AP_SCB_IPB, S390AP_VALIDITY_IPB(reason));
	kvm_host_written(v->vm->kvm, v->vm->mso + v->vsie->g3_scb, S390AP_SCB_SIZE);
	v->vsie->validity++;
}

int vsie_handle(s390ap_vcpu *v, uint32_t ipb)
{
	struct s390ap_cpu *c = v->cpu;
	s390ap_kvm *kvm = v->vm->kvm;
	uint64_t ea = kvm_s_operand(v, ipb), gabs;
	struct vsie_state *s;
	uint8_t *g3s, *shs, *shc;
	uint16_t reason;
	int rc;

	if (ea & (S390AP_SCB_ALIGN - 1)) {
		kvm_inject(v, S390AP_PGM_SPECIFICATION, SIE_ILEN);
		return 0;
	}
	if (!kvm_guest_abs(v, ea, S390AP_SCB_SIZE, &gabs)) {
		kvm_inject(v, S390AP_PGM_ADDRESSING, SIE_ILEN);
		return 0;
	}
	s = state_get(v);
	if (!s)
		return S390AP_ENOMEM;
	s->g3_scb = gabs;
	g3s = kvm_hmem(kvm, v->vm->mso + gabs);
	shs = kvm_hmem(kvm, s->page + VSIE_SHADOW_SCB);
	shc = kvm_hmem(kvm, s->page + VSIE_SHADOW_CRYCB);
	reason = shadow_scb(v, g3s, shs, shc, s->page + VSIE_SHADOW_CRYCB);
	kvm_host_written(kvm, s->page, PAGE);
	if (reason) {
		g3_validity(v, g3s, S390AP_VALIDITY_IPA, reason);
		return 0;
	}
	s->entries++;
	s->active = true;
	c->slice_cycles += kvm->sys->cost.vsie_entry;
	rc = sie_enter(c, s->page + VSIE_SHADOW_SCB, v, S390AP_PATH_VSIE);
	if (rc < 0) {
		s->active = false;
		return rc;
	}
	if (rc == 1 && s->active) {
		/* the shadow failed the entry's own checks: guest-2 sees them
		 * with ipa counted one level up */
		uint16_t ipa = be_get16(shs + S390AP_SCB_IPA);

		s->active = false;
		if ((ipa & 0xF000) != 0xF000)
			ipa = (uint16_t)(ipa + 0x1000);
		g3_validity(v, g3s, ipa,
			    (uint16_t)S390AP_VALIDITY_REASON(be_get32(shs + S390AP_SCB_IPB)));
		return 0;
	}
	/* guest-3 runs, or it left SIE at once and guest-2 runs again */
	return 1;
}

/* Guest-3's state and interception from the shadow into its SCB. */
static void unshadow(s390ap_vcpu *v)
{
	struct vsie_state *s = v->vsie;
	s390ap_kvm *kvm = v->vm->kvm;
	const uint8_t *shs = kvm_hmem(kvm, s->page + VSIE_SHADOW_SCB);
	uint8_t *g3s = kvm_hmem(kvm, v->vm->mso + s->g3_scb);
	uint8_t code = shs[S390AP_SCB_ICPTCODE];

	g3s[S390AP_SCB_ICPTCODE] = code;
	g3s[S390AP_SCB_ICPTSTATUS] = shs[S390AP_SCB_ICPTSTATUS];
	memcpy(g3s + S390AP_SCB_IPA, shs + S390AP_SCB_IPA, 6);      /* ipa, ipb */
	memcpy(g3s + S390AP_SCB_CPUTM, shs + S390AP_SCB_CPUTM, 16); /* cputm, ckc */
	memcpy(g3s + S390AP_SCB_TODPR, shs + S390AP_SCB_TODPR, 4);
	memcpy(g3s + S390AP_SCB_GPSW, shs + S390AP_SCB_GPSW, 32);
	memcpy(g3s + S390AP_SCB_GCR, shs + S390AP_SCB_GCR, S390AP_SCB_GCR_SIZE);
	memcpy(g3s + S390AP_SCB_GBEA, shs + S390AP_SCB_GBEA, 8);
	memcpy(g3s + S390AP_SCB_PP, shs + S390AP_SCB_PP, 8);
	memcpy(g3s + S390AP_SCB_IHCPU, shs + S390AP_SCB_IHCPU, 2);
	memcpy(g3s + S390AP_SCB_PREFIX, shs + S390AP_SCB_PREFIX, 4);
	if (code == S390AP_ICPT_PROGI || code == S390AP_ICPT_INSTPROGI ||
	    code == S390AP_ICPT_EXTINT)
		memcpy(g3s + S390AP_SCB_EIPARAMS, shs + S390AP_SCB_EIPARAMS, 0x30);
	kvm_host_written(kvm, v->vm->mso + s->g3_scb, S390AP_SCB_SIZE);
	s->active = false;
}

void vsie_exit(s390ap_vcpu *v)
{
	v->vsie->exits++;
	v->cpu->slice_cycles += v->vm->kvm->sys->cost.vsie_exit;
	unshadow(v);
	/* guest-2's SIE completes: it goes on after the instruction, with
	 * guest-3's GR 0-13 in its registers */
	(void)kvm_vcpu_enter(v);
}

void vsie_restart(s390ap_vcpu *v)
{
	uint8_t *g2s = kvm_scb(v);
	uint64_t addr;

	sie_kick(v->cpu); /* guest-3's state into the shadow, icptcode 0 */
	unshadow(v);
	v->vsie->restarts++;
	addr = be_get64(g2s + S390AP_SCB_GPSW + 8);
	be_put64(g2s + S390AP_SCB_GPSW + 8,
		 (addr - SIE_ILEN) & cpu_amask_of(be_get64(g2s + S390AP_SCB_GPSW)));
	kvm_host_written(v->vm->kvm, v->scb, S390AP_SCB_SIZE);
}

int s390ap_vcpu_vsie(const s390ap_vcpu *vcpu, s390ap_vsie_info *info)
{
	const struct vsie_state *s;

	if (!vcpu || !info)
		return S390AP_EINVAL;
	memset(info, 0, sizeof(*info));
	s = vcpu->vsie;
	if (!s)
		return 0;
	info->active = s->active;
	if (s->page) {
		info->shadow_scb = s->page + VSIE_SHADOW_SCB;
		info->shadow_crycb = s->page + VSIE_SHADOW_CRYCB;
	}
	info->g3_scb = s->g3_scb;
	info->entries = s->entries;
	info->exits = s->exits;
	info->validity = s->validity;
	info->restarts = s->restarts;
	return 0;
}
