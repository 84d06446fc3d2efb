/* SPDX-License-Identifier: MIT */
/* vSIE: a guest of the host model (guest-2) that issues SIE itself to run
 * a guest-3 (docs/vsie.md).  Not part of the public API.
 *
 * The host intercepts guest-2's SIE, reads guest-3's SCB and CRYCB from
 * guest-2's storage, builds a shadow SCB and a shadow CRYCB in a page of
 * its own and runs guest-3 on the vCPU against the shadow, as a guest of
 * its own: guest-3's storage window is host MSO(2) + MSO(3), its view the
 * shadow CRYCB's masks (guest-3's ANDed with guest-2's).  When guest-3
 * leaves SIE, the interception goes back into guest-3's SCB in guest-2's
 * storage and guest-2 goes on after its SIE instruction.
 *
 *   vsie page + 0x000  the shadow SCB
 *   vsie page + 0x700  the shadow CRYCB (256 bytes, always format 2)
 */
#ifndef S390AP_VSIE_INTERNAL_H
#define S390AP_VSIE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "sie/kvm_internal.h"

#define VSIE_SHADOW_SCB 0x000u
#define VSIE_SHADOW_CRYCB 0x700u

/* Reads of guest-3's CRYCB one shadowing makes: an APCB and the
 * wrapping-key masks. */
#define VSIE_CACHE_READS 2u

/* The shadow cache (docs/vsie.md, "The shadow cache"): everything the
 * shadow CRYCB and the shadow SCB's crypto controls were built from, and
 * what those controls became.  When all inputs are equal at the next SIE
 * of guest-2, building again would write the same bytes, so the shadow
 * CRYCB in the page is kept as it is. */
struct vsie_cache {
	bool valid;
	uint64_t gen; /* guest-2's VM crypto generation (kvm.c) */
	/* guest-3's SCB (as guest-2 wrote it) and guest-2's, the bits used */
	uint32_t g3_crycbd, g3_eca, g3_ecd;
	uint32_t g2_crycbd, g2_eca, g2_ecd;
	uint8_t g3_ecb3, g2_ecb3;
	/* the bytes of guest-3's CRYCB that were read, at their offsets */
	unsigned nreads;
	struct {
		uint16_t off, len;
	} reads[VSIE_CACHE_READS];
	uint8_t bytes[S390AP_CRYCB_SIZE];
	/* the shadow SCB's crypto controls */
	uint32_t sh_eca, sh_ecd, sh_crycbd;
	uint8_t sh_ecb3;
};

struct vsie_state {
	uint64_t page;   /* host absolute; 0 = not allocated yet */
	uint64_t g3_scb; /* guest-2 absolute address of guest-3's SCB */
	bool active;     /* the vCPU runs guest-3 now */
	uint64_t entries, exits, validity, restarts;
	struct vsie_cache cache;
	uint64_t cache_hits, cache_builds; /* shadow CRYCBs kept, built */
};

/* Guest-2's SIE was intercepted (ipb: its operand): shadow guest-3's SCB
 * and CRYCB and enter guest-3.  1: guest-3 runs; 0: guest-2 goes on (a
 * validity interception stored in guest-3's SCB, or an exception queued
 * for guest-2); < 0: a library error. */
int vsie_handle(s390ap_vcpu *v, uint32_t ipb);
/* Guest-3 left SIE: its state and interception into its SCB, guest-2
 * entered again after its SIE instruction. */
void vsie_exit(s390ap_vcpu *v);
/* Force guest-3 out without an interception (the host changed guest-2's
 * crypto): its state into its SCB, guest-2's PSW back at its SIE
 * instruction so that guest-2 issues it again and the shadow is built
 * anew.  The caller enters guest-2 again. */
void vsie_restart(s390ap_vcpu *v);
bool vsie_active(const s390ap_vcpu *v);
/* Forget guest-3 (the vCPU was reset) and free the state. */
void vsie_drop(s390ap_vcpu *v);
void vsie_free(s390ap_vcpu *v);

#endif
