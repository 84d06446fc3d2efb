/* SPDX-License-Identifier: MIT */
/* Entering and leaving SIE (docs/sie.md).
 *
 * At the entry the SCB is read once: the guest's PSW, GR 14/15, control
 * registers, prefix, storage window (MSO/MSL), interception controls and,
 * with ECA_APIE, the CRYCB's masks, which become the guest's AP view.
 * Changes to the SCB or CRYCB while the guest runs take effect at the next
 * entry, which is why a host forces its vCPUs out of SIE after it changed
 * them (kvm.c).  At the exit the guest's state and the interception go
 * back into the SCB and the vCPU has its host context again.
 *
 * Guest absolute address A is host absolute MSO + A: the host's own
 * prefixing does not apply to the window (a host with prefix 0, or a
 * window clear of both of its lowcore areas, sees no difference).
 */
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "s390ap/crycb.h"
#include "sie/sie_internal.h"

#define MIB 0x100000ull
#define WINDOW_MASK (~(MIB - 1))

uint8_t *sie_scb(const struct s390ap_cpu *c)
{
	return c->sys->mem_data + c->sie->scb;
}

static struct sie_state *state_get(struct s390ap_cpu *c)
{
	struct sie_state *s = c->sie;

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->gc.cache = malloc(CPU_ICACHE_SIZE * sizeof(*s->gc.cache));
	if (!s->gc.cache) {
		free(s);
		return NULL;
	}
	s->gc.clean = false;
	cpu_icache_flush_cache(s->gc.cache, &s->gc.clean);
	c->sie = s;
	return s;
}

void sie_free(struct s390ap_cpu *c)
{
	if (!c->sie)
		return;
	free(c->sie->gc.cache);
	free(c->sie->spare.cache);
	free(c->sie);
	c->sie = NULL;
}

/* A guest cache: drop what it holds of host absolute [abs, abs + len). */
static void gcache_invalidate(const struct sie_gcache *g, uint64_t abs, uint64_t len)
{
	if (g->valid && abs - g->base < g->size)
		cpu_icache_invalidate(g->cache, cpu_prefix_swap(abs - g->base, g->prefix), len);
}

/* The caches not in use: the guest's at level 1, the host's in SIE, and
 * the spare guest cache always. */
void sie_icache_invalidate_other(struct s390ap_cpu *c, uint64_t abs, uint64_t len)
{
	struct sie_state *s = c->sie;

	if (c->in_sie) {
		if (abs < c->sys->mem_size) /* the host window is all of storage */
			cpu_icache_invalidate(s->host_icache, cpu_prefix_swap(abs, s->host_prefix),
					      len);
	} else {
		gcache_invalidate(&s->gc, abs, len);
	}
	gcache_invalidate(&s->spare, abs, len);
}

/* A validity interception at the entry: icptcode 0x20, ipa 0x1000, ipb
 * the reason in its left halfword.  Nothing else in the SCB changes. */
static void validity(struct s390ap_cpu *c, uint8_t *scb, uint16_t reason)
{
	scb[S390AP_SCB_ICPTCODE] = S390AP_ICPT_VALIDITY;
	be_put16(scb + S390AP_SCB_IPA, S390AP_VALIDITY_IPA);
	be_put32(scb + S390AP_SCB_IPB, S390AP_VALIDITY_IPB(reason));
	cpu_code_written(c->sys, c->mem_base + (uint64_t)(scb - c->mem), S390AP_SCB_SIZE);
	if (c->sie) {
		c->sie->icpt[S390AP_ICPT_VALIDITY >> 2]++;
		c->sie->entries++;
	}
}

/* The AP view of a guest with ECA_APIE: its CRYCB's masks (widened by the
 * format) and the facilities of its list; APXA only with format 2 and the
 * CRYCBD's APXA bit.  0 or a validity reason. */
static uint16_t view_setup(struct s390ap_cpu *c, struct sie_state *s)
{
	const s390ap_machine *m = c->sys->machine;
	uint32_t origin = s->crycbd & S390AP_CRYCBD_ORIGIN_MASK;
	unsigned fmt = s->crycbd & S390AP_CRYCBD_FORMAT_MASK;
	uint32_t fac = m->fac;

	if (!s390ap_crycb_format_valid(fmt))
		return S390AP_VALIDITY_CRYCB_FORMAT;
	if (origin == 0)
		return S390AP_VALIDITY_CRYCB_ZERO;
	if ((uint64_t)origin + s390ap_crycb_format_size(fmt) > c->sys->mem_size)
		return S390AP_VALIDITY_CRYCB_FETCH;
	/* A format-2 designation on a machine without APXA (a vSIE shadow
	 * over a format-1 guest-2) has its masks in APCB0: the firmware reads
	 * the block the machine can have. */
	(void)s390ap_crycb_masks(c->sys->mem_data + origin,
				 fmt == S390AP_CRYCB_FORMAT2 && !(fac & S390AP_FAC_APXA)
					 ? S390AP_CRYCB_FORMAT1
					 : fmt,
				 s->apm, s->aqm, s->adm);
	if (s->has_fac)
		fac = (fac & ~(uint32_t)(S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC |
					 S390AP_FAC_MSAX3)) |
		      (fac & cpu_fac_from_list(s->fac_list));
	if (fmt != S390AP_CRYCB_FORMAT2 || !(s->crycbd & S390AP_CRYCBD_APXA))
		fac &= ~(uint32_t)S390AP_FAC_APXA;
	s->view = (s390ap_view){ .apm = s->apm, .aqm = s->aqm, .adm = s->adm, .facilities = fac };
	return 0;
}

/* Read the SCB's controls into s and check them: 0 or a validity reason. */
static uint16_t controls(struct s390ap_cpu *c, struct sie_state *s, const uint8_t *scb,
			 uint32_t *prefix)
{
	uint64_t hsize = c->sys->mem_size;
	uint32_t f = be_get32(scb + S390AP_SCB_CPUFLAGS);
	uint32_t gd, fac;

	s->cpuflags = f;
	if (!(f & S390AP_CPUSTAT_ZARCH) || (f & (S390AP_CPUSTAT_RRF | S390AP_CPUSTAT_MCDS)) ||
	    (f & (S390AP_CPUSTAT_GED | S390AP_CPUSTAT_GED2)) ==
		    (S390AP_CPUSTAT_GED | S390AP_CPUSTAT_GED2))
		return S390AP_VALIDITY_MODE;
	if (f & (S390AP_CPUSTAT_SLSV | S390AP_CPUSTAT_SLSR))
		return S390AP_VALIDITY_SLS;
	if (f & S390AP_CPUSTAT_SM) {
		s->mso = 0;
		s->gsize = hsize;
	} else {
		uint64_t mso = be_get64(scb + S390AP_SCB_MSO) & WINDOW_MASK;
		uint64_t msl = be_get64(scb + S390AP_SCB_MSL) & WINDOW_MASK;

		if (mso > msl)
			return S390AP_VALIDITY_MSO_MSL;
		if ((msl | (MIB - 1)) >= hsize)
			return S390AP_VALIDITY_MSL;
		s->mso = mso;
		s->gsize = msl - mso + MIB;
	}
	*prefix = be_get32(scb + S390AP_SCB_PREFIX) & CPU_PREFIX_MASK;
	if (*prefix + CPU_LOWCORE > s->gsize)
		return S390AP_VALIDITY_PREFIX;
	s->ictl = be_get32(scb + S390AP_SCB_ICTL);
	s->eca = be_get32(scb + S390AP_SCB_ECA);
	s->lctl = be_get16(scb + S390AP_SCB_LCTL);
	s->ecb3 = scb[S390AP_SCB_ECB3];
	s->ecd = be_get32(scb + S390AP_SCB_ECD);
	s->crycbd = be_get32(scb + S390AP_SCB_CRYCBD);
	fac = be_get32(scb + S390AP_SCB_FAC) & S390AP_CRYCBD_ORIGIN_MASK;
	s->has_fac = fac != 0;
	if (s->has_fac) {
		if ((uint64_t)fac + 16 > hsize)
			return S390AP_VALIDITY_FAC;
		s->fac_list[0] = be_get64(c->sys->mem_data + fac);
		s->fac_list[1] = be_get64(c->sys->mem_data + fac + 8);
	}
	s->gisa = 0;
	gd = be_get32(scb + S390AP_SCB_GD) & S390AP_GD_GISA_ORIGIN_MASK;
	if ((s->eca & S390AP_ECA_AIV) && gd) {
		if ((uint64_t)gd + S390AP_GISA_SIZE > hsize)
			return S390AP_VALIDITY_GISA;
		s->gisa = gd;
	}
	if (s->eca & S390AP_ECA_APIE)
		return view_setup(c, s);
	return 0;
}

/* Whether the cache was made through the window and prefix entered now. */
static bool gcache_fits(const struct sie_gcache *g, const struct sie_state *s, uint32_t now)
{
	return g->valid && g->base == s->mso && g->size == s->gsize && g->prefix == now;
}

/* The guest cache in use and the spare trade places (the spare allocated
 * at the first need; without memory there is just the one). */
static void gcache_swap(struct sie_state *s)
{
	struct sie_gcache t;

	if (!s->spare.cache) {
		s->spare.cache = malloc(CPU_ICACHE_SIZE * sizeof(*s->spare.cache));
		if (!s->spare.cache)
			return;
		s->spare.clean = false;
		s->spare.valid = false;
		cpu_icache_flush_cache(s->spare.cache, &s->spare.clean);
	}
	t = s->gc;
	s->gc = s->spare;
	s->spare = t;
}

/* Switch c's storage, prefix and cache to the guest's. */
static void window_in(struct s390ap_cpu *c, struct sie_state *s, uint32_t prefix)
{
	struct s390ap_sys *sys = c->sys;

	s->host_icache = c->icache;
	s->host_icache_clean = c->icache_clean;
	if (!gcache_fits(&s->gc, s, prefix)) {
		if (!s->vcpu || kvm_keeps_spare_cache(s->vcpu))
			gcache_swap(s);
		if (!gcache_fits(&s->gc, s, prefix))
			cpu_icache_flush_cache(s->gc.cache, &s->gc.clean);
	}
	s->gc.valid = true;
	s->gc.base = s->mso;
	s->gc.size = s->gsize;
	s->gc.prefix = prefix;
	c->icache = s->gc.cache;
	c->icache_clean = s->gc.clean;
	c->mem = sys->mem_data + s->mso;
	c->mem_size = s->gsize;
	c->code_map = sys->code_map + (s->mso >> CPU_CODE_SHIFT);
	c->mem_base = s->mso;
	c->prefix = prefix;
	c->in_sie = true;
	c->ap_level[CPU_AP_GUEST].key = 0; /* a new view */
}

/* And back to the host's. */
static void window_out(struct s390ap_cpu *c, struct sie_state *s)
{
	struct s390ap_sys *sys = c->sys;

	s->gc.clean = c->icache_clean;
	/* the guest may have moved its prefix (SPX is intercepted, but the
	 * API may set it): the cache's tags follow the one it ran with */
	s->gc.prefix = c->prefix;
	c->icache = s->host_icache;
	c->icache_clean = s->host_icache_clean;
	c->mem = sys->mem_data;
	c->mem_size = sys->mem_size;
	c->code_map = sys->code_map;
	c->mem_base = 0;
	c->prefix = s->host_prefix;
	c->in_sie = false;
}

int sie_enter(struct s390ap_cpu *c, uint64_t scb_addr, struct s390ap_vcpu *vcpu, unsigned ap_path)
{
	struct sie_state *s = state_get(c);
	uint8_t *scb = c->sys->mem_data + scb_addr;
	uint16_t reason;
	uint32_t prefix = 0;
	uint8_t b[16];

	if (!s)
		return S390AP_ENOMEM;
	s->vcpu = vcpu;
	s->scb = scb_addr;
	s->ap_path = (uint8_t)ap_path;
	reason = controls(c, s, scb, &prefix);
	if (reason) {
		validity(c, scb, reason);
		return 1;
	}
	s->entries++;

	/* the host's context */
	s->host_psw.mask = cpu_psw_mask(c);
	s->host_psw.addr = c->psw.addr;
	s->host_gr14 = c->gr[14];
	s->host_gr15 = c->gr[15];
	memcpy(s->host_cr, c->cr, sizeof(s->host_cr));
	s->host_prefix = c->prefix;

	/* the guest's: GR 0-13 are the vCPU's own already */
	c->gr[14] = be_get64(scb + S390AP_SCB_GG14);
	c->gr[15] = be_get64(scb + S390AP_SCB_GG15);
	for (unsigned i = 0; i < 16; i++)
		c->cr[i] = be_get64(scb + S390AP_SCB_GCR + 8 * i);
	memcpy(b, scb + S390AP_SCB_GPSW, 16);
	cpu_psw_from_bytes(&c->psw, b);
	cpu_cc_from_mask(c);
	c->amask = cpu_amask_of(c->psw.mask);
	window_in(c, s, prefix);
	c->pgm_streak = 0;
	c->pgm_insns = cpu_insns(c);
	cpu_end_slice(c);

	if (s->cpuflags & S390AP_CPUSTAT_STOP_INT) {
		sie_exit(c, S390AP_ICPT_STOP);
		return 1;
	}
	c->state = S390AP_CPU_RUNNING;
	cpu_psw_settle(c); /* an invalid PSW, a pending interruption, a wait */
	return 0;
}

/* The guest's state into the SCB. */
static void store_guest(struct s390ap_cpu *c, struct sie_state *s, uint8_t *scb, uint8_t code)
{
	s390ap_psw psw = { cpu_psw_mask(c), c->psw.addr };
	uint8_t b[16];

	scb[S390AP_SCB_ICPTCODE] = code;
	scb[S390AP_SCB_ICPTSTATUS] = 0;
	if (code == S390AP_ICPT_INST || code == S390AP_ICPT_OPEREXC) {
		be_put16(scb + S390AP_SCB_IPA, s->ipa);
		be_put32(scb + S390AP_SCB_IPB, s->ipb);
	} else {
		be_put16(scb + S390AP_SCB_IPA, 0);
		be_put32(scb + S390AP_SCB_IPB, 0);
	}
	cpu_psw_to_bytes(&psw, b);
	memcpy(scb + S390AP_SCB_GPSW, b, 16);
	be_put64(scb + S390AP_SCB_GG14, c->gr[14]);
	be_put64(scb + S390AP_SCB_GG15, c->gr[15]);
	for (unsigned i = 0; i < 16; i++)
		be_put64(scb + S390AP_SCB_GCR + 8 * i, c->cr[i]);
	be_put32(scb + S390AP_SCB_PREFIX,
		 (be_get32(scb + S390AP_SCB_PREFIX) & ~CPU_PREFIX_MASK) | (uint32_t)c->prefix);
}

void sie_exit(struct s390ap_cpu *c, uint8_t code)
{
	struct sie_state *s = c->sie;
	uint8_t *scb = sie_scb(c);

	store_guest(c, s, scb, code);
	s->icpt[(code >> 2) % SIE_ICPT_SLOTS]++;
	c->slice_cycles += c->sys->cost.sie_exit;

	/* the host's context */
	c->gr[14] = s->host_gr14;
	c->gr[15] = s->host_gr15;
	memcpy(c->cr, s->host_cr, sizeof(c->cr));
	c->psw = s->host_psw;
	cpu_cc_from_mask(c);
	c->amask = cpu_amask_of(c->psw.mask);
	window_out(c, s);
	cpu_code_written(c->sys, s->scb, S390AP_SCB_SIZE);
	cpu_end_slice(c);
	c->state = S390AP_CPU_RUNNING;
	if (s->vcpu)
		kvm_handle_exit(s->vcpu);
}

void sie_abandon(struct s390ap_cpu *c)
{
	struct sie_state *s = c->sie;

	if (!c->in_sie)
		return;
	memcpy(c->cr, s->host_cr, sizeof(c->cr));
	window_out(c, s);
	s->vcpu = NULL;
}

void sie_kick(struct s390ap_cpu *c)
{
	struct sie_state *s = c->sie;
	struct s390ap_vcpu *v = s->vcpu;

	/* out with no interception, and no handling of one */
	s->vcpu = NULL;
	s->ipa = 0;
	s->ipb = 0;
	sie_exit(c, S390AP_ICPT_NONE);
	s->vcpu = v;
}

void sie_cache_forget(struct s390ap_cpu *c)
{
	if (c->sie) {
		c->sie->gc.valid = false;
		c->sie->spare.valid = false;
	}
}

bool s390ap_cpu_in_sie(const s390ap_cpu *cpu)
{
	return cpu && cpu->in_sie;
}

uint64_t s390ap_cpu_sie_entries(const s390ap_cpu *cpu)
{
	return cpu && cpu->sie ? cpu->sie->entries : 0;
}

uint64_t s390ap_cpu_sie_icpt(const s390ap_cpu *cpu, unsigned icptcode)
{
	if (!cpu || !cpu->sie || (icptcode & 3) || icptcode >= 4 * SIE_ICPT_SLOTS)
		return 0;
	return cpu->sie->icpt[icptcode >> 2];
}

uint64_t s390ap_cpu_sie_icpt_insn(const s390ap_cpu *cpu, unsigned insn_id)
{
	return cpu && cpu->sie && insn_id < CPU_NINSNS ? cpu->sie->icpt_insn[insn_id] : 0;
}
