/* SPDX-License-Identifier: MIT */
/* test_vsie's fixture: the sie suite's host and VM (guest-2), a guest-3 SCB
 * and CRYCB in guest-2's storage, and access to the host's shadow page.
 *
 * Guest-2's storage (4 MiB at host 8 MiB):
 *   0x100000  guest-3's window (1 MiB: MSO = MSL = 0x100000)
 *   0x300000  guest-3's SCB
 *   0x301000  guest-3's CRYCB (tests move it inside this page) */
#ifndef S390AP_TESTS_VSIE_TEST_H
#define S390AP_TESTS_VSIE_TEST_H

#include "sie/sie_test.h"
#include "vsie/programs.h"

#define G3_MSO 0x100000u
#define G3_SCB 0x300000u
#define G3_CRYCB 0x301000u
#define G3_ENTRY 0x10000u

/* Guest-2's masks (vsie_grant): APIDs 3, 4, 70; APQIs and domains 6, 7,
 * 20.  Formats 0 and 1 keep what APCB0 holds: APIDs 3, 4; 6, 7. */
#define G2_APID_HIGH 70u
#define G2_APQI_HIGH 20u

/* What guest-2's SCB for guest-3 holds besides the window and the PSW. */
struct g3_cfg {
	uint32_t eca, crycbd, ecd, ictl, prefix, gd;
	uint8_t ecb3;
	uint64_t mso, msl; /* 0 0: G3_MSO G3_MSO */
};

/* A host whose VM (guest-2) gets CRYCB format fmt_h (S390AP_CRYCB_FORMAT*)
 * from its CPU model and the machine: format 0 without MSAX3, format 1
 * with it on a machine without APXA, format 2 with both.  apie: enable
 * APIE for guest-2; the masks of vsie_grant. */
void vsie_open(struct env *e, unsigned fmt_h, bool apie, bool pckmo_ecc);
/* vsie_open with these host options (NULL: the defaults). */
void vsie_open_ko(struct env *e, unsigned fmt_h, bool apie, bool pckmo_ecc,
		  const s390ap_kvm_opts *ko);
void vsie_grant(struct env *e);

void g3_scb_put(struct env *e, const struct g3_cfg *c);
/* A 256-byte guest-3 CRYCB at a: all ones except APID 4 in both APMs,
 * the wrapping-key masks 0x48-0x7F a counting pattern (g3_wk). */
void g3_crycb_put(struct env *e, uint64_t a);
uint8_t g3_wk(unsigned i);
void g3_load(struct env *e, const unsigned char *bin, size_t len);

/* Guest-2 runs sie_host.S (SIE on GR1 = G3_SCB) with GR9 = gr9 and halts
 * after its SIE. */
void g2_run(struct env *e, uint64_t gr9);
/* Guest-2 runs sie_r14.S (SIE on GR14 = G3_SCB) with GR0-GR8 from gr
 * and GR9 = gr9: guest-3 starts with them. */
void g2_run_r14(struct env *e, const uint64_t gr[9], uint64_t gr9);
void g2_start_r14(struct env *e, const uint64_t gr[9], uint64_t gr9);

uint8_t *g3_scb(struct env *e);
unsigned g3_cc(struct env *e);
/* Guest-3's SCB holds a validity interception with this ipa and reason. */
void expect_validity(struct env *e, uint16_t ipa, uint16_t reason);

/* Where the shadow CRYCB lies in the vsie page (checked against
 * src/vsie/ in harness.c). */
#define VSIE_SHADOW_CRYCB_OFF 0x700u

/* The host's vsie page (host absolute) and its shadow SCB and CRYCB. */
uint64_t vsie_page(struct env *e);
uint8_t *shadow_scb(struct env *e);
uint8_t *shadow_crycb(struct env *e);
bool vsie_running(struct env *e);
struct vsie_counts {
	uint64_t entries, exits, validity, restarts;
	uint64_t hits, builds; /* shadow CRYCBs kept by the cache, built */
};
struct vsie_counts vsie_counts_get(struct env *e);

TCase *vsie_formats_tcase(void);
TCase *vsie_validity_tcase(void);
TCase *vsie_keys_tcase(void);
TCase *vsie_run_tcase(void);
TCase *vsie_cache_tcase(void);

#endif
